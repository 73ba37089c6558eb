//! Writing mined rules on their own: config rules (`{"rules": [...]}`, one rule per line),
//! CSV or JSON lines. Hand-rolled and buffered: tens of thousands of rules are written in
//! milliseconds, without building a JSON value per rule. Files are replaced atomically.

use super::Emit;
use crate::write;
use anyhow::{Context, Result};
use cartlift_engine::mining::{Item, Rule, Rules, Transactions};
use std::collections::HashSet;
use std::io::{self, Write};
use std::path::Path;

/// Writes `rules` to `path` (`None` or `-`: stdout).
pub(super) fn write(
    path: Option<&Path>,
    emit: Emit,
    rules: &Rules,
    tx: &Transactions,
) -> Result<()> {
    let fill = |out: &mut dyn Write| -> io::Result<()> {
        match emit {
            Emit::Config => config(out, rules, tx),
            Emit::Csv => csv(out, rules, tx),
            Emit::Jsonl => jsonl(out, rules, tx),
        }
    };
    match path {
        Some(p) if p != Path::new("-") => write::atomically_with(p, |out| fill(out))
            .with_context(|| format!("writing {}", p.display())),
        _ => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
            fill(&mut out)
                .and_then(|()| out.flush())
                .context("writing to stdout")
        }
    }
}

/// Rule ids: `mined:` antecedent names joined by `+`, `->`, consequent names. Unique by
/// construction unless a name contains `+` or `->`; then collisions get `#2`, `#3`, …
pub(super) struct RuleIds {
    seen: Option<HashSet<String>>,
}

impl RuleIds {
    /// Ids for rules over `tx`'s items, distinct from `taken`.
    pub(super) fn new<'a>(tx: &Transactions, taken: impl IntoIterator<Item = &'a str>) -> RuleIds {
        let ambiguous = tx.items().any(|i| {
            let n = tx.name(i);
            n.contains('+') || n.contains("->")
        });
        let taken: HashSet<String> = taken.into_iter().map(str::to_string).collect();
        RuleIds {
            seen: (ambiguous || taken.iter().any(|id| id.starts_with("mined:"))).then_some(taken),
        }
    }

    pub(super) fn id(&mut self, rule: &Rule<'_>, tx: &Transactions) -> String {
        let mut id = String::from("mined:");
        for (k, &i) in rule.antecedent().iter().enumerate() {
            if k > 0 {
                id.push('+');
            }
            id.push_str(tx.name(i));
        }
        id.push_str("->");
        for (k, &i) in rule.consequent().iter().enumerate() {
            if k > 0 {
                id.push('+');
            }
            id.push_str(tx.name(i));
        }
        if let Some(seen) = &mut self.seen {
            if seen.contains(&id) {
                let base = id.clone();
                let mut n = 2;
                while seen.contains(&id) {
                    id = format!("{base}#{n}");
                    n += 1;
                }
            }
            seen.insert(id.clone());
        }
        id
    }

    /// Writes the id as a JSON string; without building it when ids cannot collide.
    fn write_json(
        &mut self,
        out: &mut dyn Write,
        rule: &Rule<'_>,
        tx: &Transactions,
    ) -> io::Result<()> {
        if self.seen.is_some() {
            return json_str(out, &self.id(rule, tx));
        }
        out.write_all(b"\"mined:")?;
        for (k, &i) in rule.antecedent().iter().enumerate() {
            if k > 0 {
                out.write_all(b"+")?;
            }
            json_inner(out, tx.name(i))?;
        }
        out.write_all(b"->")?;
        for (k, &i) in rule.consequent().iter().enumerate() {
            if k > 0 {
                out.write_all(b"+")?;
            }
            json_inner(out, tx.name(i))?;
        }
        out.write_all(b"\"")
    }
}

fn config(out: &mut dyn Write, rules: &Rules, tx: &Transactions) -> io::Result<()> {
    let mut ids = RuleIds::new(tx, []);
    let mut num = Num::new();
    out.write_all(b"{\n  \"rules\": [")?;
    for (k, rule) in rules.iter().enumerate() {
        out.write_all(if k == 0 { b"\n    " } else { b",\n    " })?;
        out.write_all(b"{\"kind\": \"bought_together\", \"id\": ")?;
        ids.write_json(out, &rule, tx)?;
        out.write_all(b", \"antecedent\": ")?;
        json_names(out, rule.antecedent(), tx)?;
        out.write_all(b", \"consequent\": ")?;
        json_names(out, rule.consequent(), tx)?;
        out.write_all(b", \"support\": ")?;
        num.put(out, rule.support())?;
        out.write_all(b", \"confidence\": ")?;
        num.put(out, rule.confidence())?;
        out.write_all(b", \"lift\": ")?;
        num.put(out, rule.lift())?;
        out.write_all(b", \"source\": \"mined\"}")?;
    }
    out.write_all(b"\n  ]\n}\n")
}

const CSV_HEADER: &str = "antecedent,consequent,support,confidence,lift,leverage,conviction,count,antecedent_count,consequent_count\n";

fn csv(out: &mut dyn Write, rules: &Rules, tx: &Transactions) -> io::Result<()> {
    out.write_all(CSV_HEADER.as_bytes())?;
    let mut cell = String::new();
    let mut num = Num::new();
    let mut int = itoa::Buffer::new();
    for rule in rules.iter() {
        for side in [rule.antecedent(), rule.consequent()] {
            cell.clear();
            for (k, &i) in side.iter().enumerate() {
                if k > 0 {
                    cell.push_str(" + ");
                }
                cell.push_str(tx.name(i));
            }
            csv_field(out, &cell)?;
            out.write_all(b",")?;
        }
        for x in [
            rule.support(),
            rule.confidence(),
            rule.lift(),
            rule.leverage(),
        ] {
            num.put(out, x)?;
            out.write_all(b",")?;
        }
        let conviction = rule.conviction();
        if conviction.is_finite() {
            num.put(out, conviction)?;
        } else {
            out.write_all(b"inf")?;
        }
        for n in [
            rule.count(),
            rule.antecedent_count(),
            rule.consequent_count(),
        ] {
            out.write_all(b",")?;
            out.write_all(int.format(n).as_bytes())?;
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn jsonl(out: &mut dyn Write, rules: &Rules, tx: &Transactions) -> io::Result<()> {
    let mut num = Num::new();
    let mut int = itoa::Buffer::new();
    for rule in rules.iter() {
        out.write_all(b"{\"antecedent\":")?;
        json_names(out, rule.antecedent(), tx)?;
        out.write_all(b",\"consequent\":")?;
        json_names(out, rule.consequent(), tx)?;
        for (key, x) in [
            (&b",\"support\":"[..], rule.support()),
            (b",\"confidence\":", rule.confidence()),
            (b",\"lift\":", rule.lift()),
            (b",\"leverage\":", rule.leverage()),
        ] {
            out.write_all(key)?;
            num.put(out, x)?;
        }
        out.write_all(b",\"conviction\":")?;
        let conviction = rule.conviction();
        if conviction.is_finite() {
            num.put(out, conviction)?;
        } else {
            // JSON has no infinity; null means "never wrong" (confidence 1).
            out.write_all(b"null")?;
        }
        for (key, n) in [
            (&b",\"count\":"[..], rule.count()),
            (b",\"antecedent_count\":", rule.antecedent_count()),
            (b",\"consequent_count\":", rule.consequent_count()),
        ] {
            out.write_all(key)?;
            out.write_all(int.format(n).as_bytes())?;
        }
        out.write_all(b"}\n")?;
    }
    Ok(())
}

/// Shortest round-trip decimal (Ryū: several times faster than `{}` for f64, which
/// dominated writing tens of thousands of rules).
struct Num(ryu::Buffer);

impl Num {
    fn new() -> Num {
        Num(ryu::Buffer::new())
    }

    fn put(&mut self, out: &mut dyn Write, x: f64) -> io::Result<()> {
        out.write_all(self.0.format_finite(x).as_bytes())
    }
}

fn csv_field(out: &mut dyn Write, s: &str) -> io::Result<()> {
    if s.contains([',', '"', '\n', '\r']) {
        out.write_all(b"\"")?;
        out.write_all(s.replace('"', "\"\"").as_bytes())?;
        out.write_all(b"\"")
    } else {
        out.write_all(s.as_bytes())
    }
}

fn json_names(out: &mut dyn Write, items: &[Item], tx: &Transactions) -> io::Result<()> {
    out.write_all(b"[")?;
    for (k, &item) in items.iter().enumerate() {
        if k > 0 {
            out.write_all(b", ")?;
        }
        json_str(out, tx.name(item))?;
    }
    out.write_all(b"]")
}

fn json_str(out: &mut dyn Write, s: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    json_inner(out, s)?;
    out.write_all(b"\"")
}

/// The body of a JSON string (no quotes).
fn json_inner(out: &mut dyn Write, s: &str) -> io::Result<()> {
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
        json_str(&mut out, "a\"b\\c\nd\u{1}é").unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#""a\"b\\c\nd\u0001é""#);
    }

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        let mut out = Vec::new();
        csv_field(&mut out, "plain").unwrap();
        csv_field(&mut out, "a, \"b\"").unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "plain\"a, \"\"b\"\"\"");
    }
}
