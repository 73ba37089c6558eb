//! Hand-rolled JSON pieces for writing rules: tens of thousands of rules are written in
//! milliseconds, without building a JSON value per rule.

use cartlift_engine::mining::{Item, Transactions};
use std::io::{self, Write};

/// Shortest round-trip decimal (Ryū: several times faster than `{}` for f64, which
/// dominated writing tens of thousands of rules).
pub struct Num(ryu::Buffer);

impl Num {
    /// A reusable buffer.
    pub fn new() -> Num {
        Num(ryu::Buffer::new())
    }

    /// Writes a finite `x`.
    pub fn put(&mut self, out: &mut dyn Write, x: f64) -> io::Result<()> {
        out.write_all(self.0.format_finite(x).as_bytes())
    }
}

/// `["a", "b"]`: the names of `items`.
pub fn names(out: &mut dyn Write, items: &[Item], names: &Transactions) -> io::Result<()> {
    out.write_all(b"[")?;
    for (k, &item) in items.iter().enumerate() {
        if k > 0 {
            out.write_all(b", ")?;
        }
        string(out, names.name(item))?;
    }
    out.write_all(b"]")
}

/// `s` as a JSON string.
pub fn string(out: &mut dyn Write, s: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    inner(out, s)?;
    out.write_all(b"\"")
}

/// The body of a JSON string (no quotes).
pub fn inner(out: &mut dyn Write, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    if !bytes.iter().any(|&b| b == b'"' || b == b'\\' || b < 0x20) {
        return out.write_all(bytes);
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: Option<&[u8]> = match b {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0..=0x1f => None,
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        match escape {
            Some(e) => out.write_all(e)?,
            None => write!(out, "\\u{:04x}", b)?,
        }
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        let mut out = Vec::new();
        string(&mut out, "a\"b\\c\nd\u{1}é").unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#""a\"b\\c\nd\u0001é""#);
    }
}
