//! JSON paths (`rules[3].consequent[0]`) for problems, and finding them in the source
//! text as line:column.

use crate::map::StrMap;
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
    locate_all(text, &[path]).pop().flatten()
}

/// [`locate`] for many paths at once, in one pass over `text`: the time is linear in the
/// text and the paths, not their product (a config with 100,000 broken rules is located in
/// milliseconds, not minutes). Where a key is repeated, the first member that holds the
/// rest of the path is used.
pub fn locate_all(text: &str, paths: &[&JsonPath]) -> Vec<Option<(usize, usize)>> {
    locate_all_from(text, paths, |_, _| None)
}

/// [`locate_all`] when the byte offset of some array elements is known: see
/// [`offsets_from`].
pub(crate) fn locate_all_from(
    text: &str,
    paths: &[&JsonPath],
    start: impl Fn(&str, usize) -> Option<usize>,
) -> Vec<Option<(usize, usize)>> {
    let offsets = offsets_from(text, paths, start);
    let mut sweep = Sweep::new(&offsets);
    while !sweep.step(text, &offsets, usize::MAX) {}
    sweep.into_locations()
}

/// The byte offset of each path in `text`. `start(key, i)` may tell where the element
/// `key[i]` of the top-level object starts (the streaming reader records where each
/// catalog entry and rule starts): paths into those elements are walked from there,
/// without scanning the document before them.
pub(crate) fn offsets_from(
    text: &str,
    paths: &[&JsonPath],
    start: impl Fn(&str, usize) -> Option<usize>,
) -> Vec<Option<usize>> {
    let mut offsets = vec![None; paths.len()];
    let mut from_root = Vec::new();
    // (where the element starts, path, the rest of the path), grouped by element below.
    let mut from_element: Vec<(usize, usize, &[Segment])> = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        match path.segments() {
            [Segment::Key(key), Segment::Index(n), rest @ ..] if start(key, *n).is_some() => {
                let at = start(key, *n).unwrap_or_default();
                from_element.push((at, i, rest));
            }
            segments => from_root.push((i, segments)),
        }
    }
    let root = skip_ws(text.as_bytes(), 0);
    crate::sort::sort_by_key(&mut from_element, |(at, i, _)| (*at, *i));
    let mut groups: Vec<(usize, Wanted<'_>)> = Vec::new();
    for (at, i, rest) in from_element {
        match groups.last_mut() {
            Some((last, wanted)) if *last == at => wanted.push((i, rest)),
            _ => groups.push((at, vec![(i, rest)])),
        }
    }
    for (at, wanted) in groups.into_iter().chain([(root, from_root)]) {
        if wanted.is_empty() {
            continue;
        }
        let nodes = trie(wanted.iter().map(|(_, segments)| *segments));
        let mut found = vec![None; wanted.len()];
        walk(text, &nodes, 0, at, at, &mut found);
        for ((i, _), offset) in wanted.iter().zip(found) {
            offsets[*i] = offset;
        }
    }
    offsets
}

/// Paths to find (their index, the steps left), walked from one place.
type Wanted<'p> = Vec<(usize, &'p [Segment])>;

/// The paths as a trie, so each object or array on the way is scanned once; node 0 is
/// the root and path `i` ends at a node whose `wanted` holds `i`.
fn trie<'s>(paths: impl Iterator<Item = &'s [Segment]>) -> Vec<Node> {
    let mut nodes = vec![Node::default()];
    for (i, path) in paths.enumerate() {
        let mut n = 0;
        for segment in path {
            let next = nodes.len();
            let child = match segment {
                Segment::Key(k) => *nodes[n].keys.get_or_insert_with(k, || next),
                Segment::Index(at) => {
                    let indices = &mut nodes[n].indices;
                    match indices.binary_search_by_key(at, |(i, _)| *i) {
                        Ok(found) => indices[found].1,
                        Err(slot) => {
                            indices.insert(slot, (*at, next));
                            next
                        }
                    }
                }
            };
            if child == next {
                nodes.push(Node::default());
            }
            n = child;
        }
        nodes[n].wanted.push(i);
    }
    nodes
}

/// One step of [`locate_all`]'s trie: the paths that end here and the steps further in.
#[derive(Default)]
struct Node {
    wanted: Vec<usize>,
    keys: StrMap<usize>,
    /// (array index, child node), sorted.
    indices: Vec<(usize, usize)>,
}

/// Records `at` for the paths ending at node `n`, whose value starts at `pos`, and goes
/// on into the members it has children for. Recursion follows the paths only, so it is
/// as deep as the longest path, whatever the document's nesting.
fn walk(
    text: &str,
    nodes: &[Node],
    n: usize,
    pos: usize,
    at: usize,
    offsets: &mut [Option<usize>],
) -> Option<()> {
    let node = &nodes[n];
    for &i in &node.wanted {
        offsets[i].get_or_insert(at);
    }
    let bytes = text.as_bytes();
    let open = *bytes.get(pos)?;
    if open == b'{' && !node.keys.is_empty() {
        let mut pos = skip_ws(bytes, pos + 1);
        while bytes.get(pos) == Some(&b'"') {
            let key_start = pos;
            let key_end = skip_string(bytes, pos)?;
            pos = skip_ws(bytes, key_end);
            if bytes.get(pos) != Some(&b':') {
                return None;
            }
            pos = skip_ws(bytes, pos + 1);
            let quoted = text.get(key_start..key_end)?;
            let child = if quoted.contains('\\') {
                crate::json::parse(quoted)
                    .ok()
                    .and_then(|k| k.as_str().and_then(|k| node.keys.get(k)).copied())
            } else {
                node.keys.get(&quoted[1..quoted.len() - 1]).copied()
            };
            if let Some(child) = child {
                walk(text, nodes, child, pos, key_start, offsets);
            }
            pos = skip_ws(bytes, skip_value(bytes, pos)?);
            if bytes.get(pos) != Some(&b',') {
                return None;
            }
            pos = skip_ws(bytes, pos + 1);
        }
    } else if open == b'[' && !node.indices.is_empty() {
        let mut pos = skip_ws(bytes, pos + 1);
        for index in 0.. {
            if matches!(bytes.get(pos), None | Some(b']')) {
                return None;
            }
            if let Ok(found) = node.indices.binary_search_by_key(&index, |(i, _)| *i) {
                let child = node.indices[found].1;
                walk(text, nodes, child, pos, pos, offsets);
            }
            pos = skip_ws(bytes, skip_value(bytes, pos)?);
            if bytes.get(pos) != Some(&b',') {
                return None;
            }
            pos = skip_ws(bytes, pos + 1);
        }
    }
    Some(())
}

/// Byte offsets to 1-based line and column (in characters), in one sweep over the text
/// that can be done in steps (the text may be a large minified config: one line of
/// millions of characters).
#[derive(Debug)]
pub(crate) struct Sweep {
    /// Indices of the offsets to find, in text order.
    order: Vec<usize>,
    next: usize,
    pos: usize,
    line: usize,
    column: usize,
    out: Vec<Option<(usize, usize)>>,
}

impl Sweep {
    pub(crate) fn new(offsets: &[Option<usize>]) -> Sweep {
        let mut order: Vec<usize> = (0..offsets.len())
            .filter(|&i| offsets[i].is_some())
            .collect();
        crate::sort::sort_by_key(&mut order, |&i| offsets[i]);
        Sweep {
            order,
            next: 0,
            pos: 0,
            line: 1,
            column: 1,
            out: vec![None; offsets.len()],
        }
    }

    /// Sweeps about `bytes` bytes of `text` on; `true` when every offset is placed.
    pub(crate) fn step(&mut self, text: &str, offsets: &[Option<usize>], bytes: usize) -> bool {
        let text = text.as_bytes();
        let stop = self.pos.saturating_add(bytes.max(1));
        while let Some(&i) = self.order.get(self.next) {
            let target = offsets[i].unwrap_or_default().min(text.len());
            let end = target.min(stop);
            for &b in &text[self.pos.min(end)..end] {
                if b == b'\n' {
                    self.line += 1;
                    self.column = 1;
                } else if b & 0xC0 != 0x80 {
                    // Not a UTF-8 continuation byte: a new character.
                    self.column += 1;
                }
            }
            self.pos = self.pos.max(end);
            if end < target {
                return false;
            }
            self.out[i] = Some((self.line, self.column));
            self.next += 1;
        }
        true
    }

    pub(crate) fn into_locations(self) -> Vec<Option<(usize, usize)>> {
        self.out
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
    fn locates_many_paths_in_one_pass_as_one_by_one() {
        let paths: Vec<JsonPath> = [
            "store.currency",
            "catalog[1]",
            "catalog[1].price",
            "catalog[0].tags[1]",
            "catalog[2]",
            "store.nothing",
            "",
            "catalog[1].price",
            "catalog[1].id",
        ]
        .iter()
        .map(|s| JsonPath::parse(s))
        .collect();
        let refs: Vec<&JsonPath> = paths.iter().collect();
        let one_by_one: Vec<_> = paths.iter().map(|p| locate(DOC, p)).collect();
        assert_eq!(locate_all(DOC, &refs), one_by_one);
        assert_eq!(one_by_one[8], Some((5, 6)), "an escaped key's neighbour");
        let keyed = "{\"a\\u0062\": [1, {\"é\": 2}]}";
        assert_eq!(locate(keyed, &JsonPath::parse("ab[1]")), Some((1, 17)));
        assert_eq!(
            locate(keyed, &JsonPath::root().key("ab").index(1).key("é")),
            Some((1, 18))
        );
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
