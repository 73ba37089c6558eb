//! Spark's `df.write.json(dir)` part files: one JSON object per line. Null fields are
//! left out by Spark (`ignoreNullFields`), so a missing key reads as null.

use super::spark::{Location, ReadError, Row, Sink, not_rules_hint};
use serde_json::{Map, Value};
use std::io::BufRead;
use std::path::Path;

/// Reads every line of `path` into `sink`.
pub fn read(path: &Path, sink: &mut Sink<'_>) -> Result<(), ReadError> {
    let file = std::fs::File::open(path)?;
    let mut input = std::io::BufReader::with_capacity(1 << 16, file);
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        number += 1;
        let text = line.trim_ascii();
        if text.is_empty() {
            continue;
        }
        match serde_json::from_slice::<Value>(text) {
            Ok(Value::Object(object)) => sink(Location::Line(number, None), row(&object)),
            Ok(_) => sink(
                Location::Line(number, None),
                Err("not a JSON object (Spark writes one object per line)".into()),
            ),
            Err(e) => {
                // Leading whitespace was trimmed: count it back into the column.
                let indent = line.len() - line.trim_ascii_start().len();
                let message = e.to_string();
                let message = message
                    .rsplit_once(" at line ")
                    .map_or(message.as_str(), |(m, _)| m);
                sink(
                    Location::Line(number, Some(e.column() as u64 + indent as u64)),
                    Err(format!("not JSON: {message}")),
                )
            }
        }
    }
}

fn row(object: &Map<String, Value>) -> Result<Row, String> {
    let field = |key: &str| object.get(key).filter(|v| !v.is_null());
    let missing = |key: &str| {
        let keys: Vec<&str> = object.keys().map(String::as_str).collect();
        format!("no {key}{}", not_rules_hint(&keys))
    };
    let items = |key: &str| -> Result<Vec<String>, String> {
        let value = field(key).ok_or_else(|| missing(key))?;
        let not = || format!("{key} is not an array of strings");
        value
            .as_array()
            .ok_or_else(not)?
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                // Numeric product ids (array<bigint> in Spark) name catalog ids as text.
                Value::Number(n) if n.is_i64() || n.is_u64() => Ok(n.to_string()),
                _ => Err(not()),
            })
            .collect()
    };
    let number = |key: &str| -> Result<Option<f64>, String> {
        field(key)
            .map(|v| v.as_f64().ok_or_else(|| format!("{key} is not a number")))
            .transpose()
    };
    Ok(Row {
        antecedent: items("antecedent")?,
        consequent: items("consequent")?,
        confidence: number("confidence")?.ok_or_else(|| missing("confidence"))?,
        lift: number("lift")?.ok_or_else(|| missing("lift"))?,
        support: number("support")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<(Location, Result<Row, String>)> {
        let path = std::env::temp_dir().join(format!(
            "cartlift-json-lines-{}-{}.json",
            std::process::id(),
            text.len()
        ));
        std::fs::write(&path, text).unwrap();
        let mut out = Vec::new();
        read(&path, &mut |at, row| out.push((at, row))).unwrap();
        std::fs::remove_file(&path).unwrap();
        out
    }

    #[test]
    fn spark_lines_are_read_and_problems_located() {
        let out = rows(concat!(
            r#"{"antecedent":["yogurt",7],"consequent":["whole milk"],"confidence":0.4,"lift":1.5,"support":0.05}"#,
            "\n\n",
            r#"{"antecedent":"yogurt","consequent":["whole milk"],"confidence":0.4,"lift":1.5}"#,
            "\n",
            r#"  {"antecedent":["a"], "consequent":["b"] "confidence":0.4}"#,
            "\n",
            r#"{"items":["a","b"],"freq":12}"#,
            "\n",
            r#"{"antecedent":["a"],"consequent":["b"],"confidence":"NaN","lift":1}"#,
            "\n[1]\n",
        ));
        assert_eq!(
            out[0],
            (
                Location::Line(1, None),
                Ok(Row {
                    antecedent: vec!["yogurt".into(), "7".into()],
                    consequent: vec!["whole milk".into()],
                    confidence: 0.4,
                    lift: 1.5,
                    support: Some(0.05),
                })
            )
        );
        let errors: Vec<String> = out[1..]
            .iter()
            .map(|(at, r)| format!("{at}: {}", r.as_ref().unwrap_err()))
            .collect();
        assert_eq!(
            errors,
            [
                ":3: antecedent is not an array of strings",
                ":4:43: not JSON: expected `,` or `}`",
                ":5: no antecedent: this is FPGrowth's freqItemsets; write model.associationRules",
                ":6: confidence is not a number",
                ":7: not a JSON object (Spark writes one object per line)",
            ]
        );
    }
}
