//! JSON paths (`rules[3].consequent[0]`) for problems, and finding them in the source
//! text as line:column.

use crate::json::line_column;
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

/// The 1-based line and column of `path` in `text` (a valid JSON document): of the member
/// name when the path ends in a key, of the value otherwise. `None` if absent.
pub fn locate(text: &str, path: &JsonPath) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    let mut at = pos;
    for segment in path.segments() {
        match segment {
            Segment::Key(want) => {
                if bytes.get(pos) != Some(&b'{') {
                    return None;
                }
                pos = skip_ws(bytes, pos + 1);
                loop {
                    if bytes.get(pos) != Some(&b'"') {
                        return None;
                    }
                    let key_start = pos;
                    let key_end = skip_string(bytes, pos)?;
                    pos = skip_ws(bytes, key_end);
                    if bytes.get(pos) != Some(&b':') {
                        return None;
                    }
                    pos = skip_ws(bytes, pos + 1);
                    if key_matches(&text[key_start..key_end], want) {
                        at = key_start;
                        break;
                    }
                    pos = skip_ws(bytes, skip_value(bytes, pos)?);
                    match bytes.get(pos) {
                        Some(b',') => pos = skip_ws(bytes, pos + 1),
                        _ => return None,
                    }
                }
            }
            Segment::Index(want) => {
                if bytes.get(pos) != Some(&b'[') {
                    return None;
                }
                pos = skip_ws(bytes, pos + 1);
                for _ in 0..*want {
                    pos = skip_ws(bytes, skip_value(bytes, pos)?);
                    match bytes.get(pos) {
                        Some(b',') => pos = skip_ws(bytes, pos + 1),
                        _ => return None,
                    }
                }
                if bytes.get(pos) == Some(&b']') {
                    return None;
                }
                at = pos;
            }
        }
    }
    Some(line_column(text, at))
}

fn key_matches(quoted: &str, want: &str) -> bool {
    if quoted.contains('\\') {
        crate::json::parse(quoted).is_ok_and(|k| k.as_str() == Some(want))
    } else {
        &quoted[1..quoted.len() - 1] == want
    }
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while matches!(bytes.get(pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        pos += 1;
    }
    pos
}

/// `pos` is at an opening quote; returns the position after the closing one.
fn skip_string(bytes: &[u8], mut pos: usize) -> Option<usize> {
    pos += 1;
    loop {
        match bytes.get(pos)? {
            b'\\' => pos += 2,
            b'"' => return Some(pos + 1),
            _ => pos += 1,
        }
    }
}

fn skip_value(bytes: &[u8], pos: usize) -> Option<usize> {
    match bytes.get(pos)? {
        b'"' => skip_string(bytes, pos),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut p = pos;
            loop {
                match bytes.get(p)? {
                    b'"' => {
                        p = skip_string(bytes, p)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(p + 1);
                        }
                    }
                    _ => {}
                }
                p += 1;
            }
        }
        _ => {
            let mut p = pos;
            while !matches!(
                bytes.get(p),
                None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            ) {
                p += 1;
            }
            Some(p)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "{\n  \"store\": {\"currency\": \"USD\"},\n  \"catalog\": [\n    {\"id\": \"a\", \"tags\": [\"x\", \"y\"]},\n    {\"id\": \"b\\\"q\", \"price\": 1}\n  ]\n}";

    #[test]
    fn finds_keys_and_elements() {
        let p = |s: &str| locate(DOC, &JsonPath::parse(s));
        assert_eq!(p("store.currency"), Some((2, 13)));
        assert_eq!(p("catalog[1]"), Some((5, 5)));
        assert_eq!(p("catalog[1].price"), Some((5, 20)));
        assert_eq!(p("catalog[0].tags[1]"), Some((4, 31)));
        assert_eq!(p("catalog[2]"), None);
        assert_eq!(p("store.nothing"), None);
        assert_eq!(p(""), Some((1, 1)));
    }

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
