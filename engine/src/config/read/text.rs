//! Configs as JSON text, read with `serde_json`: the CLI's, the studio's and the tests'
//! way in (the widget hands the reader the browser's own values instead).
//!
//! - [`parse`] turns the text into `serde_json` values in one pass and notes every object
//!   with a member written twice, which a tree of values would otherwise hide (it keeps
//!   the last, as browsers do).
//! - `&serde_json::Value` is a [`Node`] the reader takes apart.
//! - [`locate`] is the one place a JSON path becomes a line and column: it finds each
//!   problem's value in the text by walking the path with `serde_json`'s raw values.

use super::{Duplicates, JsonKind, Node};
use crate::FxHashMap;
use crate::config::path::{JsonPath, Segment};
use crate::config::problem::{Problem, ProblemKind};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};
use std::cell::RefCell;
use std::fmt;

/// The text as `serde_json` values, and each object with a member written twice (its path
/// and the member): or the problem that makes it no JSON document (with its line:column).
pub fn parse(text: &str) -> Result<(Value, Duplicates), Box<Problem>> {
    let duplicates = RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_str(text);
    let tree = Tree {
        at: &Chain::Root,
        duplicates: &duplicates,
    };
    let value = tree
        .deserialize(&mut de)
        .and_then(|value| de.end().map(|()| value));
    match value {
        Ok(value) => Ok((value, duplicates.into_inner())),
        Err(e) => Err(Box::new(not_json(&e))),
    }
}

/// A `serde_json` syntax error as a problem of the whole document.
fn not_json(e: &serde_json::Error) -> Problem {
    let message = e.to_string();
    // serde_json's message ends with where it is; that goes into `location`.
    let position = format!(" at line {} column {}", e.line(), e.column());
    let message = message.strip_suffix(&position).unwrap_or(&message);
    let problem = Problem::error(ProblemKind::NotJson, JsonPath::root(), message);
    // serde_json counts columns from 0 at the very start of a line (an empty file, the
    // end after a newline); they are 1-based everywhere else.
    match e.line() {
        0 => problem,
        line => problem.at((line, e.column().max(1))),
    }
}

/// Where a value stands while the tree is built: a chain on the stack.
enum Chain<'a> {
    Root,
    Key(&'a Chain<'a>, &'a str),
    Index(&'a Chain<'a>, usize),
}

impl Chain<'_> {
    fn path(&self) -> JsonPath {
        match self {
            Chain::Root => JsonPath::root(),
            Chain::Key(parent, key) => parent.path().key(*key),
            Chain::Index(parent, index) => parent.path().index(*index),
        }
    }
}

/// Builds one value, noting repeated members.
struct Tree<'a> {
    at: &'a Chain<'a>,
    duplicates: &'a RefCell<Duplicates>,
}

impl<'de> DeserializeSeed<'de> for Tree<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Tree<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // JSON text holds finite numbers only (serde_json refuses the rest).
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let at = Chain::Index(self.at, items.len());
            let tree = Tree {
                at: &at,
                duplicates: self.duplicates,
            };
            match seq.next_element_seed(tree)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let at = Chain::Key(self.at, &key);
            let tree = Tree {
                at: &at,
                duplicates: self.duplicates,
            };
            let value = map.next_value_seed(tree)?;
            if members.contains_key(&key) {
                self.duplicates
                    .borrow_mut()
                    .push((self.at.path(), key.clone()));
            }
            members.insert(key, value);
        }
        Ok(Value::Object(members))
    }
}

impl Node for &Value {
    type Leaf = Value;
    type LeafError = serde_json::Error;

    fn kind(&self) -> JsonKind {
        match self {
            Value::Null => JsonKind::Null,
            Value::Bool(_) => JsonKind::Bool,
            Value::Number(_) => JsonKind::Number,
            Value::String(_) => JsonKind::String,
            Value::Array(_) => JsonKind::Array,
            Value::Object(_) => JsonKind::Object,
        }
    }

    fn members(&self) -> Option<Vec<(String, Self)>> {
        let members = self.as_object()?;
        Some(members.iter().map(|(k, v)| (k.clone(), v)).collect())
    }

    fn elements(&self) -> Option<Vec<Self>> {
        Some(self.as_array()?.iter().collect())
    }

    fn member(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key)
    }

    fn string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }

    /// A copy of the leaf (a number, a string): `Value`'s owned deserializer reads any
    /// lifetime's visitor.
    fn leaf(&self) -> Value {
        (*self).clone()
    }

    fn message(error: serde_json::Error) -> String {
        error.to_string()
    }
}

/// Gives every problem without a location the line and column of its value in `text` (of
/// the member's name when its path ends in one), walking each path once through the
/// text's objects and arrays: each is taken apart once, however many problems are in it.
pub fn locate(text: &str, problems: &mut [Problem]) {
    let unlocated: Vec<usize> = (0..problems.len())
        .filter(|&i| problems[i].location.is_none())
        .collect();
    let paths: Vec<&JsonPath> = unlocated.iter().map(|&i| &problems[i].path).collect();
    let found = locate_paths(text, &paths);
    for (i, location) in unlocated.into_iter().zip(found) {
        problems[i].location = location;
    }
}

/// The line and column of each path's value in `text` (of the member's name when the
/// path ends in one), as [`locate`] finds them.
pub fn locate_paths(text: &str, paths: &[&JsonPath]) -> Vec<Option<(usize, usize)>> {
    let mut locator = Locator::new(text);
    let offsets: Vec<(usize, usize)> = paths
        .iter()
        .enumerate()
        .filter_map(|(i, path)| Some((locator.offset(path)?, i)))
        .collect();
    let mut found = vec![None; paths.len()];
    for (i, location) in line_columns(text, offsets) {
        found[i] = Some(location);
    }
    found
}

/// The 1-based line and column (in characters) of each `(offset, id)`, in one sweep over
/// the text: a minified config is one line of millions of characters, and counting from
/// each line's start for each of 100,000 problems would take minutes.
fn line_columns(text: &str, mut offsets: Vec<(usize, usize)>) -> Vec<(usize, (usize, usize))> {
    offsets.sort_unstable();
    let (mut pos, mut line, mut column) = (0, 1, 1);
    let bytes = text.as_bytes();
    offsets
        .into_iter()
        .map(|(offset, id)| {
            for &b in &bytes[pos..offset.min(bytes.len())] {
                if b == b'\n' {
                    line += 1;
                    column = 1;
                } else if b & 0xC0 != 0x80 {
                    // Not a UTF-8 continuation byte: a new character.
                    column += 1;
                }
            }
            pos = pos.max(offset.min(bytes.len()));
            (id, (line, column))
        })
        .collect()
}

/// Finds paths in one text; remembers the objects and arrays it took apart.
struct Locator<'t> {
    text: &'t str,
    /// Objects and arrays by the offset they start at.
    parts: FxHashMap<usize, Part<'t>>,
}

/// An object's members (with an index of the first by name) or an array's elements.
enum Part<'t> {
    Object(Vec<&'t RawValue>, FxHashMap<String, usize>),
    Array(Vec<&'t RawValue>),
    Leaf,
}

impl<'t> Locator<'t> {
    fn new(text: &'t str) -> Locator<'t> {
        Locator {
            text,
            parts: FxHashMap::default(),
        }
    }

    /// The byte offset of `path`'s value (or member name) in the text.
    fn offset(&mut self, path: &JsonPath) -> Option<usize> {
        let text = self.text;
        let mut at = text.len() - text.trim_start().len();
        let segments = path.segments();
        for (i, segment) in segments.iter().enumerate() {
            let part = self.part(at)?;
            let value = match (segment, part) {
                (Segment::Key(key), Part::Object(values, index)) => values[*index.get(key)?],
                (Segment::Index(n), Part::Array(values)) => *values.get(*n)?,
                _ => return None,
            };
            at = offset_in(text, value.get());
            if i + 1 == segments.len() && matches!(segment, Segment::Key(_)) {
                return name_before(text, at);
            }
        }
        Some(at)
    }

    /// The object or array starting at `at`, taken apart once.
    fn part(&mut self, at: usize) -> Option<&Part<'t>> {
        let text = self.text;
        let part = self.parts.entry(at).or_insert_with(|| {
            let raw = text.get(at..).unwrap_or_default();
            let mut de = serde_json::Deserializer::from_str(raw);
            match raw.as_bytes().first() {
                Some(b'{') => match Members::deserialize(&mut de) {
                    Ok(Members(members)) => {
                        let mut index = FxHashMap::default();
                        for (i, (key, _)) in members.iter().enumerate() {
                            index.entry(key.clone()).or_insert(i);
                        }
                        Part::Object(members.into_iter().map(|(_, v)| v).collect(), index)
                    }
                    Err(_) => Part::Leaf,
                },
                Some(b'[') => match <Vec<&RawValue>>::deserialize(&mut de) {
                    Ok(elements) => Part::Array(elements),
                    Err(_) => Part::Leaf,
                },
                _ => Part::Leaf,
            }
        });
        Some(part)
    }
}

/// Where `slice` (a part of `text`) starts in it.
fn offset_in(text: &str, slice: &str) -> usize {
    slice.as_ptr() as usize - text.as_ptr() as usize
}

/// Where the member name of the value at `value` starts: back over `:` and the quoted
/// name (a quote inside it is escaped by an odd number of backslashes).
fn name_before(text: &str, value: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let before = text.get(..value)?.trim_end();
    let before = before.strip_suffix(':')?.trim_end();
    let mut close = before.len().checked_sub(1)?;
    if bytes[close] != b'"' {
        return None;
    }
    loop {
        let open = text.get(..close)?.rfind('"')?;
        let backslashes = bytes[..open]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        if backslashes % 2 == 0 {
            return Some(open);
        }
        close = open;
    }
}

/// An object's members as names and raw values, in order.
struct Members<'t>(Vec<(String, &'t RawValue)>);

impl<'de> de::Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Members<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    members.push((key, map.next_value::<&RawValue>()?));
                }
                Ok(Members(members))
            }
        }
        de.deserialize_map(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "{\n  \"store\": {\"currency\": \"USD\"},\n  \"catalog\": [\n    {\"id\": \"a\", \"tags\": [\"x\", \"y\"]},\n    {\"id\": \"b\\\"q\", \"price\": 1}\n  ]\n}";

    fn at(text: &str, path: &str) -> Option<(usize, usize)> {
        at_path(text, &JsonPath::parse(path))
    }

    fn at_path(text: &str, path: &JsonPath) -> Option<(usize, usize)> {
        locate_paths(text, &[path])[0]
    }

    #[test]
    fn finds_member_names_and_elements() {
        assert_eq!(at(DOC, "store.currency"), Some((2, 13)));
        assert_eq!(at(DOC, "catalog[1]"), Some((5, 5)));
        assert_eq!(at(DOC, "catalog[1].price"), Some((5, 20)));
        assert_eq!(at(DOC, "catalog[1].id"), Some((5, 6)));
        assert_eq!(at(DOC, "catalog[0].tags[1]"), Some((4, 31)));
        assert_eq!(at(DOC, "catalog[2]"), None);
        assert_eq!(at(DOC, "store.nothing"), None);
        assert_eq!(at(DOC, ""), Some((1, 1)));
        let keyed = "{\"a\\u0062\": [1, {\"é\": 2}], \"q\\\"\": 3}";
        assert_eq!(at(keyed, "ab[1]"), Some((1, 17)));
        let accented = JsonPath::root().key("ab").index(1).key("é");
        assert_eq!(at_path(keyed, &accented), Some((1, 18)));
        let quoted = JsonPath::root().key("q\"");
        assert_eq!(at_path(keyed, &quoted), Some((1, 28)));
    }

    #[test]
    fn a_repeated_member_is_found_at_its_first_name() {
        let text = "{\"a\": 1,\n \"a\": {\"b\": 2}}";
        assert_eq!(at(text, "a"), Some((1, 2)));
    }

    #[test]
    fn parsing_notes_every_repeated_member_with_its_object() {
        let text = r#"{"a": 1, "b": [{"c": 1, "c": 2}], "a": 3, "d": {"e": {"f": 1, "f": 1}}}"#;
        let (value, duplicates) = parse(text).unwrap();
        assert_eq!(value["a"], 3);
        let found: Vec<String> = duplicates
            .iter()
            .map(|(path, key)| format!("{path}:{key}"))
            .collect();
        assert_eq!(found, ["b[0]:c", ":a", "d.e:f"]);
    }

    #[test]
    fn a_syntax_error_is_located_without_repeating_its_place() {
        let problem = parse("{\n  \"version\": 1,\n}").unwrap_err();
        assert_eq!(problem.kind, ProblemKind::NotJson);
        assert_eq!(problem.location, Some((3, 1)));
        assert_eq!(problem.message, "trailing comma");
        let empty = parse("").unwrap_err();
        assert_eq!(empty.location, Some((1, 1)));
    }
}
