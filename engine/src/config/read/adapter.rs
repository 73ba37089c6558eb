//! A serde `Deserializer` adapter through which every config value is read, whatever the
//! format underneath (`serde_json`'s values for text, serde-wasm-bindgen's for the
//! browser's own). It adds what serde leaves to its formats:
//!
//! - **Where.** A failure comes back with the JSON path of the value at fault.
//! - **Why, typed.** Serde's reasons (wrong type, missing or repeated member, unknown
//!   variant) arrive as a [`Mismatch`], not as a sentence to be taken apart. An error of
//!   ours that has to travel up through the format's own error type is kept here
//!   meanwhile ([`Track`]) and taken back when it arrives.
//! - **Every typo at once.** A member its object's schema does not have is noted and
//!   skipped, and reading goes on; members listed in `skip` read as absent, so the caller
//!   can look past one problem for the next.
//! - **JSON's own types.** Objects, arrays and the leaves are asked for by JSON type
//!   (`deserialize_any`), so a string is never read as an array of its characters and an
//!   array never as a struct; the expected type is named in JSON's words ("a number").
//!
//! Like `serde_path_to_error`, which this replaces, it wraps each layer of serde's
//! protocol (deserializer, visitor, sequence, map, enum, seed) and forwards.

use crate::config::path::JsonPath;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, Expected, IgnoredAny, IntoDeserializer,
    MapAccess, SeqAccess, Unexpected, VariantAccess, Visitor,
};
use std::cell::RefCell;
use std::fmt;

/// Why a value does not fit the schema, as serde's derives and the formats say it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// A value of the wrong JSON type.
    Type {
        /// What was there (`string "18.00"`).
        found: String,
        /// What the schema takes (`a number`).
        expected: String,
    },
    /// A value of the right type its field cannot hold (`-3` for a count).
    Value {
        /// What was there.
        found: String,
        /// What the schema takes.
        expected: String,
    },
    /// An array of the wrong length.
    Length {
        /// Its length.
        length: usize,
        /// What the schema takes.
        expected: String,
    },
    /// A string that is none of the names the schema allows.
    Variant {
        /// The string.
        found: String,
        /// The names allowed.
        expected: &'static [&'static str],
    },
    /// A required member is missing.
    Missing(&'static str),
    /// A member written twice.
    Duplicate(&'static str),
    /// A member the schema does not have (only where the adapter did not skip it).
    Field {
        /// The member.
        found: String,
        /// The members the object has.
        expected: &'static [&'static str],
    },
    /// The format's own refusal (a browser value of no JSON type, say).
    Format(String),
    /// A `Deserialize` implementation's own message.
    Custom(String),
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::Type { found, expected } => {
                write!(f, "invalid type: {found}, expected {expected}")
            }
            Mismatch::Value { found, expected } => {
                write!(f, "invalid value: {found}, expected {expected}")
            }
            Mismatch::Length { length, expected } => {
                write!(f, "invalid length {length}, expected {expected}")
            }
            Mismatch::Variant { found, expected } => {
                write!(f, "unknown value `{found}`, expected {}", one_of(expected))
            }
            Mismatch::Missing(field) => write!(f, "missing field `{field}`"),
            Mismatch::Duplicate(field) => write!(f, "duplicate field `{field}`"),
            Mismatch::Field { found, expected } => {
                write!(f, "unknown field `{found}`, expected {}", one_of(expected))
            }
            Mismatch::Format(message) | Mismatch::Custom(message) => f.write_str(message),
        }
    }
}

/// `a`, `a or b`, `one of a, b, c`.
fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing".to_owned(),
        [one] => format!("`{one}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        _ => format!("one of {}", names.join(", ")),
    }
}

/// A value's description for messages, in JSON's words; a long string is cut.
fn found(unexpected: Unexpected<'_>) -> String {
    const LONGEST: usize = 60;
    match unexpected {
        Unexpected::Unit | Unexpected::Option => "null".to_owned(),
        Unexpected::Seq => "an array".to_owned(),
        Unexpected::Map => "an object".to_owned(),
        // A huge number as JSON writes it (`1e20`), not in 21 digits.
        Unexpected::Float(f) if f.abs() >= 1e16 => format!("floating point `{f:e}`"),
        Unexpected::Str(s) if s.chars().count() > LONGEST => {
            let cut: String = s.chars().take(LONGEST).collect();
            format!("string \"{cut}…\" ({} bytes)", s.len())
        }
        other => other.to_string(),
    }
}

/// A reading failure: why, and where (set as it leaves the place it happened).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The value at fault; `None` only while the error is still where it was made.
    pub path: Option<JsonPath>,
    /// Why.
    pub mismatch: Mismatch,
}

impl Error {
    fn new(mismatch: Mismatch) -> Error {
        Error {
            path: None,
            mismatch,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.mismatch.fmt(f)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Error {
        Error::new(Mismatch::Custom(message.to_string()))
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Error {
        Error::new(Mismatch::Type {
            found: found(unexpected),
            expected: expected.to_string(),
        })
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Error {
        Error::new(Mismatch::Value {
            found: found(unexpected),
            expected: expected.to_string(),
        })
    }

    fn invalid_length(length: usize, expected: &dyn Expected) -> Error {
        Error::new(Mismatch::Length {
            length,
            expected: expected.to_string(),
        })
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Error {
        Error::new(Mismatch::Variant {
            found: variant.to_owned(),
            expected,
        })
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Error {
        Error::new(Mismatch::Field {
            found: field.to_owned(),
            expected,
        })
    }

    fn missing_field(field: &'static str) -> Error {
        Error::new(Mismatch::Missing(field))
    }

    fn duplicate_field(field: &'static str) -> Error {
        Error::new(Mismatch::Duplicate(field))
    }
}

/// A member its object's schema does not have: where, as written, and the names the
/// object has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    /// The member's path.
    pub path: JsonPath,
    /// Its name.
    pub field: String,
    /// The members its object has.
    pub expected: &'static [&'static str],
}

/// What one read shares across the adapter's layers.
#[derive(Debug, Default)]
pub struct Track<'s> {
    /// Members that read as absent (values found wanting on an earlier read).
    skip: &'s [JsonPath],
    /// Members of the value read (not of the values inside it) that read as absent: a
    /// rule's `kind`, which picks the struct and is not one of its members.
    ignore: &'s [&'s str],
    /// Members no schema has, in the order met.
    unknown: RefCell<Vec<Unknown>>,
    /// An error of ours on its way up through the format's error type.
    carried: RefCell<Option<Error>>,
}

impl<'s> Track<'s> {
    /// A read skipping the members at `skip`, and `ignore`'s members of the top value.
    pub fn new(skip: &'s [JsonPath], ignore: &'s [&'s str]) -> Track<'s> {
        Track {
            skip,
            ignore,
            ..Track::default()
        }
    }

    /// The members no schema has, in the order met.
    pub fn into_unknown(self) -> Vec<Unknown> {
        self.unknown.into_inner()
    }

    /// Reads a `T` from `de`, the whole value standing at `path`.
    pub fn read<'de, T: de::Deserialize<'de>, D: Deserializer<'de>>(
        &self,
        path: &JsonPath,
        de: D,
    ) -> Result<T, Error> {
        T::deserialize(De {
            de,
            at: At::Root(path),
            track: self,
        })
    }

    /// Our error, leaving through a format's error type: kept here, with its path, until
    /// [`Track::lift`] takes it back.
    fn carry<E: de::Error>(&self, at: &At<'_>, mut error: Error) -> E {
        if error.path.is_none() {
            error.path = Some(at.path());
        }
        *self.carried.borrow_mut() = Some(error);
        E::custom("")
    }

    /// A format's error arriving at `at`: ours if we sent one down, else the format's own.
    fn lift(&self, at: &At<'_>, error: impl fmt::Display) -> Error {
        self.carried.borrow_mut().take().unwrap_or_else(|| Error {
            path: Some(at.path()),
            mismatch: Mismatch::Format(error.to_string()),
        })
    }
}

/// Where a value is: a chain on the stack, made into a [`JsonPath`] only for a problem.
#[derive(Clone, Copy, Debug)]
enum At<'a> {
    Root(&'a JsonPath),
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    fn path(&self) -> JsonPath {
        match self {
            At::Root(path) => (*path).clone(),
            At::Key(parent, key) => parent.path().key(*key),
            At::Index(parent, index) => parent.path().index(*index),
        }
    }

    fn skipped(&self, track: &Track<'_>) -> bool {
        !track.skip.is_empty() && track.skip.contains(&self.path())
    }
}

/// What the schema wants of a value, in JSON's words.
#[derive(Clone, Copy, Debug)]
enum Want {
    /// Whatever the visitor says.
    Any,
    /// A leaf of this description.
    Leaf(&'static str),
    /// An array.
    Array,
    /// An object: a struct's members, or any (a map).
    Object(Option<&'static [&'static str]>),
}

impl Want {
    fn describe(self) -> Option<&'static str> {
        match self {
            Want::Any => None,
            Want::Leaf(what) => Some(what),
            Want::Array => Some("an array"),
            Want::Object(_) => Some("an object"),
        }
    }
}

/// The deserializer at one value.
struct De<'a, 's, D> {
    de: D,
    at: At<'a>,
    track: &'a Track<'s>,
}

impl<'a, 's, D> De<'a, 's, D> {
    fn visitor<V>(&self, v: V, want: Want) -> Vis<'a, 's, V> {
        Vis {
            v,
            at: self.at,
            track: self.track,
            want,
        }
    }
}

/// Forwards `deserialize_*` methods, asking the visitor for `want`.
macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*) => $want:expr;)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Error> {
            let vis = self.visitor(visitor, $want);
            let (at, track) = (self.at, self.track);
            self.de.$method($($arg,)* vis).map_err(|e| track.lift(&at, e))
        }
    )*};
}

/// Asks the format for any value, so the JSON type decides what is visited.
macro_rules! by_type {
    ($($method:ident($($arg:ident: $ty:ty),*) => $want:expr;)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Error> {
            $(let _ = $arg;)*
            let vis = self.visitor(visitor, $want);
            let (at, track) = (self.at, self.track);
            self.de.deserialize_any(vis).map_err(|e| track.lift(&at, e))
        }
    )*};
}

const WHOLE: &str = "a whole number";
const COUNT: &str = "a whole number ≥ 0";
const NUMBER: &str = "a number";

impl<'de, D: Deserializer<'de>> Deserializer<'de> for De<'_, '_, D> {
    type Error = Error;

    forward! {
        deserialize_any() => Want::Any;
        deserialize_bool() => Want::Leaf("true or false");
        deserialize_i8() => Want::Leaf(WHOLE);
        deserialize_i16() => Want::Leaf(WHOLE);
        deserialize_i32() => Want::Leaf(WHOLE);
        deserialize_i64() => Want::Leaf(WHOLE);
        deserialize_u8() => Want::Leaf(COUNT);
        deserialize_u16() => Want::Leaf(COUNT);
        deserialize_u32() => Want::Leaf(COUNT);
        deserialize_u64() => Want::Leaf(COUNT);
        deserialize_f32() => Want::Leaf(NUMBER);
        deserialize_f64() => Want::Leaf(NUMBER);
        deserialize_char() => Want::Leaf("a string");
        deserialize_str() => Want::Leaf("a string");
        deserialize_string() => Want::Leaf("a string");
        deserialize_bytes() => Want::Any;
        deserialize_byte_buf() => Want::Any;
        deserialize_option() => Want::Any;
        deserialize_unit() => Want::Any;
        deserialize_unit_struct(name: &'static str) => Want::Any;
        deserialize_newtype_struct(name: &'static str) => Want::Any;
        deserialize_identifier() => Want::Any;
        deserialize_ignored_any() => Want::Any;
        deserialize_enum(name: &'static str, variants: &'static [&'static str]) => Want::Any;
    }

    by_type! {
        deserialize_seq() => Want::Array;
        deserialize_tuple(len: usize) => Want::Array;
        deserialize_tuple_struct(name: &'static str, len: usize) => Want::Array;
        deserialize_map() => Want::Object(None);
        deserialize_struct(name: &'static str, fields: &'static [&'static str]) => Want::Object(Some(fields));
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// The visitor at one value: forwards, names the expected type, and wraps what it is
/// handed (arrays, objects, optional and enum values) so the layers below are tracked too.
struct Vis<'a, 's, V> {
    v: V,
    at: At<'a>,
    track: &'a Track<'s>,
    want: Want,
}

/// An error a visitor made at `at` leaves through the format's error type, naming what is
/// expected in JSON's words (errors from deeper down already have a path and keep theirs).
fn carry<E: de::Error>(at: &At<'_>, track: &Track<'_>, want: Want, mut error: Error) -> E {
    if error.path.is_none()
        && let Some(described) = want.describe()
        && let Mismatch::Type { expected, .. } | Mismatch::Value { expected, .. } =
            &mut error.mismatch
    {
        *expected = described.to_owned();
    }
    track.carry(at, error)
}

/// Forwards `visit_*` methods of one argument.
macro_rules! visit {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method<E: de::Error>(self, value: $ty) -> Result<Self::Value, E> {
            let (at, track, want) = (self.at, self.track, self.want);
            self.v.$method::<Error>(value).map_err(|e| carry(&at, track, want, e))
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Vis<'_, '_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.want.describe() {
            Some(described) => f.write_str(described),
            None => self.v.expecting(f),
        }
    }

    visit! {
        visit_bool(bool);
        visit_i8(i8);
        visit_i16(i16);
        visit_i32(i32);
        visit_i64(i64);
        visit_i128(i128);
        visit_u8(u8);
        visit_u16(u16);
        visit_u32(u32);
        visit_u64(u64);
        visit_u128(u128);
        visit_f32(f32);
        visit_f64(f64);
        visit_char(char);
        visit_str(&str);
        visit_borrowed_str(&'de str);
        visit_string(String);
        visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]);
        visit_byte_buf(Vec<u8>);
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        let (at, track, want) = (self.at, self.track, self.want);
        self.v
            .visit_none::<Error>()
            .map_err(|e| carry(&at, track, want, e))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        let (at, track, want) = (self.at, self.track, self.want);
        self.v
            .visit_unit::<Error>()
            .map_err(|e| carry(&at, track, want, e))
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        let (at, track, want) = (self.at, self.track, self.want);
        self.v
            .visit_some(De { de, at, track })
            .map_err(|e| carry(&at, track, want, e))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        let (at, track, want) = (self.at, self.track, self.want);
        self.v
            .visit_newtype_struct(De { de, at, track })
            .map_err(|e| carry(&at, track, want, e))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let (at, track, want) = (self.at, self.track, self.want);
        if let Want::Object(_) = want {
            // Serde reads a struct from an array of its members; a config never does.
            let error = de::Error::invalid_type(Unexpected::Seq, &"an object");
            return Err(carry(&at, track, want, error));
        }
        let seq = Seq {
            seq,
            at,
            track,
            index: 0,
        };
        self.v
            .visit_seq(seq)
            .map_err(|e| carry(&at, track, want, e))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let (at, track, want) = (self.at, self.track, self.want);
        let fields = match want {
            Want::Object(fields) => fields,
            _ => None,
        };
        let map = Map {
            map,
            at,
            track,
            fields,
            key: String::new(),
        };
        self.v
            .visit_map(map)
            .map_err(|e| carry(&at, track, want, e))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        let (at, track, want) = (self.at, self.track, self.want);
        self.v
            .visit_enum(Enum { data, at, track })
            .map_err(|e| carry(&at, track, want, e))
    }
}

/// The elements of an array, each at its index.
struct Seq<'a, 's, A> {
    seq: A,
    at: At<'a>,
    track: &'a Track<'s>,
    index: usize,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Seq<'_, '_, A> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        loop {
            let at = At::Index(&self.at, self.index);
            self.index += 1;
            if at.skipped(self.track) {
                match self.seq.next_element::<IgnoredAny>() {
                    Ok(Some(_)) => continue,
                    Ok(None) => return Ok(None),
                    Err(e) => return Err(self.track.lift(&at, e)),
                }
            }
            let track = self.track;
            return self
                .seq
                .next_element_seed(Seed { seed, at, track })
                .map_err(|e| track.lift(&at, e));
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

/// The members of an object: a struct's unknown members are noted and skipped, and the
/// skipped and ignored ones read as absent.
struct Map<'a, 's, A> {
    map: A,
    at: At<'a>,
    track: &'a Track<'s>,
    /// The struct's members; `None` for a map, where any name goes.
    fields: Option<&'static [&'static str]>,
    /// The member whose value is next.
    key: String,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Map<'_, '_, A> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let track = self.track;
        loop {
            let key: Option<String> = self.map.next_key().map_err(|e| track.lift(&self.at, e))?;
            let Some(key) = key else {
                return Ok(None);
            };
            let at = At::Key(&self.at, &key);
            let ignored = matches!(self.at, At::Root(_)) && track.ignore.contains(&key.as_str());
            let unknown = self
                .fields
                .is_some_and(|fields| !fields.contains(&key.as_str()));
            if unknown && !ignored {
                track.unknown.borrow_mut().push(Unknown {
                    path: at.path(),
                    field: key.clone(),
                    expected: self.fields.unwrap_or_default(),
                });
            }
            if ignored || unknown || at.skipped(track) {
                self.map
                    .next_value::<IgnoredAny>()
                    .map_err(|e| track.lift(&at, e))?;
                continue;
            }
            self.key = key;
            let name: de::value::StrDeserializer<'_, Error> = self.key.as_str().into_deserializer();
            return seed.deserialize(name).map(Some);
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let at = At::Key(&self.at, &self.key);
        let track = self.track;
        self.map
            .next_value_seed(Seed { seed, at, track })
            .map_err(|e| track.lift(&at, e))
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// A string that names one of an enum's variants (`"mined"`).
struct Enum<'a, 's, A> {
    data: A,
    at: At<'a>,
    track: &'a Track<'s>,
}

impl<'a, 's, 'de, A: EnumAccess<'de>> EnumAccess<'de> for Enum<'a, 's, A> {
    type Error = Error;
    type Variant = Variant<'a, 's, A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), Error> {
        let (at, track) = (self.at, self.track);
        let (value, variant) = self
            .data
            .variant_seed(Seed { seed, at, track })
            .map_err(|e| track.lift(&at, e))?;
        Ok((value, Variant { variant, at, track }))
    }
}

/// What follows a variant's name.
struct Variant<'a, 's, A> {
    variant: A,
    at: At<'a>,
    track: &'a Track<'s>,
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Variant<'_, '_, A> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        let (at, track) = (self.at, self.track);
        self.variant.unit_variant().map_err(|e| track.lift(&at, e))
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        let (at, track) = (self.at, self.track);
        self.variant
            .newtype_variant_seed(Seed { seed, at, track })
            .map_err(|e| track.lift(&at, e))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Error> {
        let (at, track) = (self.at, self.track);
        let vis = Vis {
            v: visitor,
            at,
            track,
            want: Want::Array,
        };
        self.variant
            .tuple_variant(len, vis)
            .map_err(|e| track.lift(&at, e))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (at, track) = (self.at, self.track);
        let vis = Vis {
            v: visitor,
            at,
            track,
            want: Want::Object(Some(fields)),
        };
        self.variant
            .struct_variant(fields, vis)
            .map_err(|e| track.lift(&at, e))
    }
}

/// A value about to be read at `at`: what the format hands over is tracked too.
struct Seed<'a, 's, S> {
    seed: S,
    at: At<'a>,
    track: &'a Track<'s>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, '_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<S::Value, D::Error> {
        let (at, track) = (self.at, self.track);
        self.seed
            .deserialize(De { de, at, track })
            .map_err(|e| track.carry(&at, e))
    }
}

/// The member names serde's derive gives `T` (for a struct: its fields, renames applied).
pub fn fields_of<'de, T: de::Deserialize<'de>>() -> &'static [&'static str] {
    names_of::<T>(false)
}

/// The variant names serde's derive gives `T` (for an enum), in declaration order.
pub fn variants_of<'de, T: de::Deserialize<'de>>() -> &'static [&'static str] {
    names_of::<T>(true)
}

fn names_of<'de, T: de::Deserialize<'de>>(variants: bool) -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    let _ = T::deserialize(Names {
        variants,
        names: &mut names,
    });
    names
}

/// A deserializer that only notes the names a derive hands it, then refuses.
struct Names<'n> {
    variants: bool,
    names: &'n mut &'static [&'static str],
}

impl<'de> Deserializer<'de> for Names<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("names only"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        if !self.variants {
            *self.names = fields;
        }
        Err(de::Error::custom("names only"))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        if self.variants {
            *self.names = variants;
        }
        Err(de::Error::custom("names only"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map identifier
        ignored_any
    }
}
