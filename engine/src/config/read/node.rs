//! A parsed JSON value as the reader sees it ([`Node`]): `serde_json`'s values for text
//! ([`super::text`]), the browser's own in the widget.

use serde::de::{self, Deserializer};
use std::fmt;

/// The JSON types, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl fmt::Display for JsonKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JsonKind::Null => "null",
            JsonKind::Bool => "a boolean",
            JsonKind::Number => "a number",
            JsonKind::String => "a string",
            JsonKind::Array => "an array",
            JsonKind::Object => "an object",
        })
    }
}

/// A parsed JSON value the reader can take apart and read parts of through serde:
/// objects and arrays through these methods, leaves through the format's deserializer.
pub trait Node: Sized + Clone {
    /// The format's deserializer for a leaf (a string, number, boolean or null).
    type Leaf: for<'de> Deserializer<'de, Error = Self::LeafError>;
    /// Its error.
    type LeafError: de::Error;

    /// Its JSON type.
    fn kind(&self) -> JsonKind;
    /// An object's members, in order; `None` if it is not an object.
    fn members(&self) -> Option<Vec<(String, Self)>>;
    /// An array's elements; `None` if it is not an array.
    fn elements(&self) -> Option<Vec<Self>>;
    /// An object's member.
    fn member(&self, key: &str) -> Option<Self>;
    /// The string, if it is one.
    fn string(&self) -> Option<String>;
    /// The format's deserializer for this value, a leaf.
    fn leaf(&self) -> Self::Leaf;
    /// What the format's error says, for people (without the format's own decorations:
    /// a browser error's `Error: `).
    fn message(error: Self::LeafError) -> String;
}
