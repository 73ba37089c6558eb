//! Writing mined rules for analysts: CSV or JSON lines with every measure and count
//! (config rules are written by [`crate::bought_together::file`], shared with `import`).

use crate::bought_together::file::to_path_or_stdout;
use crate::bought_together::json::{self, Num};
use anyhow::Result;
use cartlift_engine::mining::{Rules, Transactions};
use std::io::{self, Write};
use std::path::Path;

/// Writes `rules` as CSV to `path` (`None` or `-`: stdout).
pub(super) fn write_csv(path: Option<&Path>, rules: &Rules, tx: &Transactions) -> Result<()> {
    to_path_or_stdout(path, |out| csv(out, rules, tx))
}

/// Writes `rules` as JSON lines to `path` (`None` or `-`: stdout).
pub(super) fn write_jsonl(path: Option<&Path>, rules: &Rules, tx: &Transactions) -> Result<()> {
    to_path_or_stdout(path, |out| jsonl(out, rules, tx))
}

const CSV_HEADER: &str = "antecedent,consequent,support,confidence,lift,leverage,conviction,count,antecedent_count,consequent_count,weight\n";

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
        out.write_all(b",")?;
        if let Some(w) = rule.weight() {
            num.put(out, w)?;
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
        json::names(out, rule.antecedent(), tx)?;
        out.write_all(b",\"consequent\":")?;
        json::names(out, rule.consequent(), tx)?;
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
        if let Some(w) = rule.weight() {
            out.write_all(b",\"weight\":")?;
            num.put(out, w)?;
        }
        out.write_all(b"}\n")?;
    }
    Ok(())
}

/// One CSV field, quoted where needed ([`crate::write::csv_field`]).
fn csv_field(out: &mut dyn Write, s: &str) -> io::Result<()> {
    out.write_all(crate::write::csv_field(s).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        let mut out = Vec::new();
        csv_field(&mut out, "plain").unwrap();
        csv_field(&mut out, "a, \"b\"").unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "plain\"a, \"\"b\"\"\"");
    }
}
