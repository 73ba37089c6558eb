//! JSON paths (`rules[3].consequent[0]`): where a problem is in a config document.
//! [`super::read::text::locate`] finds them in the text as line:column.

use std::fmt;

/// One step into a JSON document.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// Where a value sits in a JSON document; the empty path is the whole document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct JsonPath(Vec<Segment>);

impl JsonPath {
    /// The whole document.
    pub fn root() -> JsonPath {
        JsonPath(Vec::new())
    }

    /// This path, then an object member.
    pub fn key(&self, key: impl Into<String>) -> JsonPath {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.into()));
        JsonPath(segments)
    }

    /// This path, then an array element.
    pub fn index(&self, index: usize) -> JsonPath {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        JsonPath(segments)
    }

    /// This path followed by `other`.
    pub fn join(&self, other: &JsonPath) -> JsonPath {
        JsonPath(self.0.iter().chain(&other.0).cloned().collect())
    }

    /// The steps from the root.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// Parses the `a.b[2]` form produced by `serde_path_to_error` (and by `Display`).
    pub fn parse(text: &str) -> JsonPath {
        let mut segments = Vec::new();
        for part in text.split('.').filter(|p| !p.is_empty()) {
            let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
            if !key.is_empty() {
                segments.push(Segment::Key(key.to_owned()));
            }
            while let Some((n, after)) = rest.split_once(']') {
                if let Ok(i) = n.parse() {
                    segments.push(Segment::Index(i));
                }
                rest = after.strip_prefix('[').unwrap_or(after);
            }
        }
        JsonPath(segments)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Index(n) => write!(f, "[{n}]")?,
                Segment::Key(k) if k.is_empty() || k.contains(['.', '[', ']', '"', ' ']) => {
                    write!(f, "[{k:?}]")?
                }
                Segment::Key(k) if i == 0 => f.write_str(k)?,
                Segment::Key(k) => write!(f, ".{k}")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_and_parses_back() {
        let path = JsonPath::root()
            .key("rules")
            .index(3)
            .key("consequent")
            .index(0);
        assert_eq!(path.to_string(), "rules[3].consequent[0]");
        assert_eq!(JsonPath::parse("rules[3].consequent[0]"), path);
        assert_eq!(
            JsonPath::root().key("copy").key("fa IR").to_string(),
            "copy[\"fa IR\"]"
        );
    }
}
