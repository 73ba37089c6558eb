//! The serde `Deserializer` every config value is read through: a value of a parsed
//! document ([`Node`]: `serde_json`'s for text, the browser's own in the widget), read into
//! the schema's serde types. It gives serde what a lenient reading needs:
//!
//! - **Where.** A failure comes back with the JSON path of the value at fault.
//! - **Why, typed.** Serde's reasons (wrong type, missing or repeated member, unknown
//!   variant) arrive as a [`Mismatch`], not as a sentence to be taken apart. An error of
//!   ours that has to travel up through a format's own error type (a leaf's) is kept
//!   meanwhile ([`Track`]) and taken back when it arrives.
//! - **Every typo at once.** A member its object's schema does not have is noted and
//!   skipped, and reading goes on; members listed in `skip` read as absent, so the caller
//!   can look past one problem for the next.
//! - **JSON's own types.** Objects and arrays are taken apart through [`Node`] by their JSON
//!   type, so a string is never read as an array of its characters nor an array as a
//!   struct; leaves are read by the format's own deserializer (serde-wasm-bindgen in the
//!   widget), asked for the type the schema wants, and expected types are named in JSON's
//!   words ("a number").
//!
//! It replaces `serde_path_to_error` (paths) and the hand-written readers before it.

use super::node::{JsonKind, Node};
use crate::config::path::JsonPath;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, Expected, IntoDeserializer,
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

/// What one read shares across the layers of the value read.
#[derive(Debug, Default)]
pub struct Track<'s> {
    /// Members that read as absent (values found wanting on an earlier read).
    skip: &'s [JsonPath],
    /// Members of the value read (not of the values inside it) that read as absent: a
    /// rule's `kind`, which picks the struct and is not one of its members.
    ignore: &'s [&'s str],
    /// Members no schema has, in the order met.
    unknown: RefCell<Vec<Unknown>>,
    /// An error of ours on its way up through a format's error type.
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

    /// Reads a `T` from `node`, the whole value standing at `path`.
    pub fn read<T: DeserializeOwned, N: Node>(&self, path: &JsonPath, node: N) -> Result<T, Error> {
        T::deserialize(De {
            node,
            at: At::Root(path),
            track: self,
        })
    }

    /// Our error, leaving through a format's error type: kept here, with its path, until
    /// [`Track::lift`] takes it back.
    fn carry<E: de::Error>(&self, at: &At<'_>, error: Error) -> E {
        *self.carried.borrow_mut() = Some(error.at(at));
        E::custom("")
    }

    /// A format's error arriving at `at`: ours if we sent one down, else the format's own
    /// (`message` says it).
    fn lift(&self, at: &At<'_>, message: impl FnOnce() -> String) -> Error {
        self.carried.borrow_mut().take().unwrap_or_else(|| Error {
            path: Some(at.path()),
            mismatch: Mismatch::Format(message()),
        })
    }
}

impl Error {
    /// The error, placed at `at` unless it already has a place (deeper down).
    fn at(mut self, at: &At<'_>) -> Error {
        if self.path.is_none() {
            self.path = Some(at.path());
        }
        self
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

/// The deserializer at one value of a document: objects and arrays are taken apart
/// through [`Node`], a member or an element at a time, each at its path; leaves (strings,
/// numbers, booleans, null) are read by the format's own deserializer ([`Node::leaf`]:
/// serde-wasm-bindgen's in the widget), asked for the type the schema wants.
///
/// Not the format's deserializer for the whole value: serde-wasm-bindgen reads an object
/// through two kinds of map access (an iterator's, and `Object.entries`'), so every
/// struct's reading code was compiled twice, and its struct reading looks only for the
/// struct's own fields (a typo went unseen). Measured on the JSON build: 178.7 KB brotli
/// that way, over its 165 KB budget (see docs/size.md).
struct De<'a, 's, N> {
    node: N,
    at: At<'a>,
    track: &'a Track<'s>,
}

impl<'a, 's, N: Node> De<'a, 's, N> {
    /// An error made here: this value is not `expected`.
    fn not(&self, expected: &str) -> Error {
        let found = match self.node.string() {
            Some(s) => found(Unexpected::Str(&s)),
            None => self.node.kind().to_string(),
        };
        Error {
            path: Some(self.at.path()),
            mismatch: Mismatch::Type {
                found,
                expected: expected.to_owned(),
            },
        }
    }

    fn leaf<V>(&self, v: V, want: Want) -> Vis<'a, 's, V> {
        Vis {
            v,
            at: self.at,
            track: self.track,
            want,
        }
    }

    fn object<'de, V: Visitor<'de>>(
        self,
        fields: Option<&'static [&'static str]>,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let Some(members) = self.node.members() else {
            return Err(self.not("an object"));
        };
        let map = Map {
            members: members.into_iter(),
            at: self.at,
            track: self.track,
            fields,
            value: None,
        };
        visitor.visit_map(map).map_err(|e| e.at(&self.at))
    }

    fn array<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let Some(elements) = self.node.elements() else {
            return Err(self.not("an array"));
        };
        let seq = Seq {
            elements: elements.into_iter(),
            at: self.at,
            track: self.track,
            index: 0,
        };
        visitor.visit_seq(seq).map_err(|e| e.at(&self.at))
    }
}

/// Reads a leaf through the format's deserializer, asking for `$want`. A value that is
/// no leaf (or `null`) where the schema wants one is refused here, in JSON's words: the
/// format would describe a browser object by its whole contents.
macro_rules! leaf {
    ($($method:ident($($arg:ident: $ty:ty),*) => $want:expr;)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Error> {
            if let Want::Leaf(described) = $want
                && !matches!(self.node.kind(), JsonKind::Bool | JsonKind::Number | JsonKind::String)
            {
                return Err(self.not(described));
            }
            let vis = self.leaf(visitor, $want);
            let (at, track) = (self.at, self.track);
            self.node
                .leaf()
                .$method($($arg,)* vis)
                .map_err(|e| track.lift(&at, || N::message(e)))
        }
    )*};
}

const WHOLE: &str = "a whole number";
const COUNT: &str = "a whole number ≥ 0";
const NUMBER: &str = "a number";
const STRING: &str = "a string";

impl<'de, N: Node> Deserializer<'de> for De<'_, '_, N> {
    type Error = Error;

    leaf! {
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
        deserialize_char() => Want::Leaf(STRING);
        deserialize_str() => Want::Leaf(STRING);
        deserialize_string() => Want::Leaf(STRING);
        deserialize_bytes() => Want::Any;
        deserialize_byte_buf() => Want::Any;
        deserialize_identifier() => Want::Leaf(STRING);
        deserialize_unit() => Want::Any;
        deserialize_unit_struct(name: &'static str) => Want::Any;
        deserialize_enum(name: &'static str, variants: &'static [&'static str]) => Want::Leaf(STRING);
    }

    /// By the value's JSON type (a config's schema never asks for "anything", but serde
    /// may).
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.kind() {
            JsonKind::Object => self.object(None, visitor),
            JsonKind::Array => self.array(visitor),
            JsonKind::Null => visitor.visit_unit::<Error>().map_err(|e| e.at(&self.at)),
            JsonKind::Bool => self.deserialize_bool(visitor),
            JsonKind::Number => self.deserialize_f64(visitor),
            JsonKind::String => self.deserialize_string(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let at = self.at;
        match self.node.kind() {
            JsonKind::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| e.at(&at))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let at = self.at;
        visitor.visit_newtype_struct(self).map_err(|e| e.at(&at))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.array(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        self.array(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.array(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.object(None, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.object(Some(fields), visitor)
    }

    /// Nothing to read: the value is already parsed, and its nesting is not walked.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// What the schema wants of a leaf, in JSON's words.
#[derive(Clone, Copy, Debug)]
enum Want {
    /// Whatever the visitor says.
    Any,
    /// A leaf of this description.
    Leaf(&'static str),
}

/// The visitor of a leaf, handed to the format: forwards to the schema's visitor, names
/// the expected type in JSON's words, and carries the schema's typed errors through the
/// format's error type. Leaves are asked for by type (`deserialize_f64`…), so a format
/// calls one or two of these methods per visitor, not all of them.
struct Vis<'a, 's, V> {
    v: V,
    at: At<'a>,
    track: &'a Track<'s>,
    want: Want,
}

impl<V> Vis<'_, '_, V> {
    /// The schema's visitor refused the value: the error goes up through the format,
    /// naming what is expected in JSON's words.
    fn carry<E: de::Error>(&self, mut error: Error) -> E {
        if let Want::Leaf(described) = self.want
            && let Mismatch::Type { expected, .. } | Mismatch::Value { expected, .. } =
                &mut error.mismatch
        {
            *expected = described.to_owned();
        }
        self.track.carry(&self.at, error)
    }
}

/// Forwards `visit_*` methods of one argument.
macro_rules! visit {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method<E: de::Error>(self, value: $ty) -> Result<Self::Value, E> {
            let this = Vis { v: (), at: self.at, track: self.track, want: self.want };
            self.v.$method::<Error>(value).map_err(|e| this.carry(e))
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Vis<'_, '_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.want {
            Want::Leaf(described) => f.write_str(described),
            Want::Any => self.v.expecting(f),
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
        let this = Vis {
            v: (),
            at: self.at,
            track: self.track,
            want: self.want,
        };
        self.v.visit_none::<Error>().map_err(|e| this.carry(e))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        let this = Vis {
            v: (),
            at: self.at,
            track: self.track,
            want: self.want,
        };
        self.v.visit_unit::<Error>().map_err(|e| this.carry(e))
    }

    /// A unit variant (`"mined"`), which is all a config's enums have: the variant's
    /// name read as a string.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        let this = Vis {
            v: (),
            at: self.at,
            track: self.track,
            want: self.want,
        };
        let (name, variant): (String, _) = data.variant()?;
        variant.unit_variant()?;
        let name: de::value::StringDeserializer<Error> = name.into_deserializer();
        self.v.visit_enum(name).map_err(|e| this.carry(e))
    }
}

/// The elements of an array, each at its index; skipped ones read as absent.
struct Seq<'a, 's, N> {
    elements: std::vec::IntoIter<N>,
    at: At<'a>,
    track: &'a Track<'s>,
    index: usize,
}

impl<'de, N: Node> SeqAccess<'de> for Seq<'_, '_, N> {
    type Error = Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Error> {
        for node in self.elements.by_ref() {
            let at = At::Index(&self.at, self.index);
            self.index += 1;
            if at.skipped(self.track) {
                continue;
            }
            let track = self.track;
            return seed.deserialize(De { node, at, track }).map(Some);
        }
        Ok(None)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.elements.len())
    }
}

/// The members of an object: a struct's unknown members are noted and skipped, and the
/// skipped and ignored ones read as absent.
struct Map<'a, 's, N> {
    members: std::vec::IntoIter<(String, N)>,
    at: At<'a>,
    track: &'a Track<'s>,
    /// The struct's members; `None` for a map, where any name goes.
    fields: Option<&'static [&'static str]>,
    /// The member whose value is next.
    value: Option<(String, N)>,
}

impl<'de, N: Node> MapAccess<'de> for Map<'_, '_, N> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let track = self.track;
        for (key, node) in self.members.by_ref() {
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
                continue;
            }
            let name: de::value::StrDeserializer<'_, Error> = key.as_str().into_deserializer();
            let read = seed.deserialize(name)?;
            self.value = Some((key, node));
            return Ok(Some(read));
        }
        Ok(None)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Error> {
        let Some((key, node)) = self.value.take() else {
            return Err(de::Error::custom("a value asked for before its key"));
        };
        let at = At::Key(&self.at, &key);
        seed.deserialize(De {
            node,
            at,
            track: self.track,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
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
