//! Apache Spark's `FPGrowthModel.associationRules`, as `df.write.json(dir)` or
//! `df.write.parquet(dir)` leave it, turned into rules cartlift writes.
//!
//! Spark writes a directory: `part-*` files with the rows, `_SUCCESS` when the job
//! finished, hidden `.crc` checksums. Every row has `antecedent` and `consequent` (arrays
//! of items: strings, or integers for numeric product ids), `confidence`, `lift` and,
//! since Spark 3.0, `support`. This module finds the files, checks every row (each
//! problem named by file and row), and collects the rules in the order `cartlift mine`
//! writes them. It owns no output: [`crate::bought_together`] writes the rules.

use crate::bought_together::MinedRule;
use anyhow::{Context, Result};
use cartlift_engine::config::raw::RawBoughtTogether;
use cartlift_engine::mining::{Item, Transactions};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// A file's layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line (`df.write.json`).
    Json,
    /// Apache Parquet (`df.write.parquet`).
    Parquet,
}

/// One file to read.
#[derive(Debug)]
pub struct Input {
    pub path: PathBuf,
    pub format: Format,
}

/// The files behind the arguments: files as given, directories as Spark wrote them
/// (their `part-*` files in name order; `_*` and `.*` skipped). Warnings (a directory
/// without `_SUCCESS`) go to `warn`. `Err`: a path cannot be read (exit 2).
/// `Ok(Err(message))`: an argument is not Spark output (exit 1).
pub fn inputs(
    paths: &[PathBuf],
    forced: Option<Format>,
    warn: &mut dyn FnMut(String),
) -> Result<std::result::Result<Vec<Input>, String>> {
    let mut inputs = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
        if !meta.is_dir() {
            match format_of(path, forced)? {
                Ok(format) => inputs.push(Input {
                    path: path.clone(),
                    format,
                }),
                Err(message) => return Ok(Err(message)),
            }
            continue;
        }
        let mut names: Vec<(String, PathBuf)> = Vec::new();
        let mut success = false;
        for entry in
            std::fs::read_dir(path).with_context(|| format!("reading {}", path.display()))?
        {
            let entry = entry.with_context(|| format!("reading {}", path.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            success |= name == "_SUCCESS";
            // Hadoop's convention, which Spark follows: `_` and `.` files are metadata.
            if name.starts_with('_') || name.starts_with('.') {
                continue;
            }
            if entry.path().is_dir() {
                return Ok(Err(format!(
                    "{}: a directory inside Spark's output (written with partitionBy?); pass the part files or their directories",
                    entry.path().display()
                )));
            }
            names.push((name, entry.path()));
        }
        names.sort();
        if names.is_empty() && !success {
            return Ok(Err(format!(
                "{}: no part files and no _SUCCESS: not a directory Spark wrote",
                path.display()
            )));
        }
        if !success {
            warn(format!(
                "{}: no _SUCCESS marker: the Spark job may not have finished",
                path.display()
            ));
        }
        for (_, file) in names {
            match format_of(&file, forced)? {
                Ok(format) => inputs.push(Input { path: file, format }),
                Err(message) => return Ok(Err(message)),
            }
        }
    }
    Ok(Ok(inputs))
}

/// By the name's extension, else by the first bytes (Parquet starts with `PAR1`).
fn format_of(path: &Path, forced: Option<Format>) -> Result<std::result::Result<Format, String>> {
    if let Some(format) = forced {
        return Ok(Ok(format));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
    match extension {
        "parquet" => return Ok(Ok(Format::Parquet)),
        "json" | "jsonl" | "ndjson" => return Ok(Ok(Format::Json)),
        "gz" | "bz2" | "deflate" | "lz4" | "snappy" | "zst" => {
            return Ok(Err(format!(
                "{}: compressed JSON is not read: write it with .option(\"compression\", \"none\") (Spark's default for JSON) or decompress it first",
                path.display()
            )));
        }
        _ => {}
    }
    let mut magic = [0u8; 4];
    let mut file =
        std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let n = std::io::Read::read(&mut file, &mut magic)
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(Ok(if n == 4 && &magic == b"PAR1" {
        Format::Parquet
    } else {
        Format::Json
    }))
}

/// Where a row is: a JSON line (and column, for syntax errors) or a Parquet row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// 1-based line, optional 1-based column.
    Line(u64, Option<u64>),
    /// 1-based row of the file.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    Row(u64),
}

impl fmt::Display for Location {
    /// `:17`, `:17:5` or `: row 17`, to follow a file name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(line, None) => write!(f, ":{line}"),
            Location::Line(line, Some(column)) => write!(f, ":{line}:{column}"),
            Location::Row(row) => write!(f, ": row {row}"),
        }
    }
}

/// One row of `associationRules` as a reader found it (types checked, nothing else).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub antecedent: Vec<String>,
    pub consequent: Vec<String>,
    pub confidence: f64,
    pub lift: f64,
    /// `None`: no support column (Spark before 3.0) or a null.
    pub support: Option<f64>,
}

/// A file that cannot be read to the end.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system failed us (exit 2).
    Io(std::io::Error),
    /// The file is not what Spark writes (exit 1); the message may start with a
    /// [`Location`] (`: row 12: …`), else it is about the whole file.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    Invalid(String),
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> ReadError {
        ReadError::Io(e)
    }
}

/// What a reader calls for every row it reads.
pub type Sink<'a> = dyn FnMut(Location, std::result::Result<Row, String>) + 'a;

/// One imported rule: antecedent then consequent items (each side sorted by name).
#[derive(Clone, Debug)]
pub struct ImportedRule {
    items: Vec<Item>,
    antecedent_len: usize,
    support: Option<f64>,
    confidence: f64,
    lift: f64,
}

impl MinedRule for ImportedRule {
    fn antecedent(&self) -> &[Item] {
        &self.items[..self.antecedent_len]
    }
    fn consequent(&self) -> &[Item] {
        &self.items[self.antecedent_len..]
    }
    fn support(&self) -> Option<f64> {
        self.support
    }
    fn confidence(&self) -> f64 {
        self.confidence
    }
    fn lift(&self) -> f64 {
        self.lift
    }
}

/// Rules read so far, and what was wrong.
#[derive(Debug, Default)]
pub struct Collector {
    names: Transactions,
    rules: Vec<ImportedRule>,
    /// Where each rule was read: file index, location.
    origins: Vec<(u32, Location)>,
    files: Vec<String>,
    problems: Vec<String>,
    problem_count: u64,
    without_support: Option<(u32, Location)>,
}

/// What was wrong with the input.
#[derive(Clone, Debug, PartialEq)]
pub struct Problems {
    /// The first [`SHOWN_PROBLEMS`] messages (`file:row: reason`).
    pub shown: Vec<String>,
    /// How many in all.
    pub count: u64,
}

/// Problems shown one by one; the rest are only counted.
pub const SHOWN_PROBLEMS: usize = 50;

/// `--min-*` and `--top`, as `cartlift mine` applies them.
#[derive(Clone, Copy, Debug)]
pub struct Filters {
    pub min_support: f64,
    pub min_confidence: f64,
    pub min_lift: f64,
    pub top: Option<usize>,
}

/// Spark computes lift as confidence ÷ (consequent count ÷ orders), two roundings more
/// than cartlift's one division of counts, so a rule exactly at `--min-lift` can come out
/// a few units in the last place under it. Compare with that much slack (relative), so
/// the filter keeps what it keeps on the exact value, like `cartlift mine`.
const LIFT_SLACK: f64 = 8.0 * f64::EPSILON;

/// The rules of every input, checked, filtered and in `cartlift mine`'s order.
#[derive(Debug)]
pub struct Imported {
    /// Names the rules' items (no baskets).
    pub names: Transactions,
    pub rules: Vec<ImportedRule>,
    /// Rules read (before filters).
    pub read: usize,
    /// Rules read without support.
    pub without_support: usize,
}

impl Collector {
    /// Starts a file; rows and problems from now on are its.
    pub fn file(&mut self, shown: String) -> u32 {
        self.files.push(shown);
        (self.files.len() - 1) as u32
    }

    /// Records a problem about file `file`.
    pub fn problem(&mut self, file: u32, message: &str) {
        self.problem_count += 1;
        if self.problems.len() < SHOWN_PROBLEMS {
            self.problems
                .push(format!("{}{message}", self.files[file as usize]));
        }
    }

    /// Problems so far.
    pub fn problems(&self) -> Problems {
        Problems {
            shown: self.problems.clone(),
            count: self.problem_count,
        }
    }

    /// Checks one row of file `file` and keeps its rule.
    pub fn row(&mut self, file: u32, at: Location, row: std::result::Result<Row, String>) {
        let row = match row.and_then(check) {
            Ok(row) => row,
            Err(message) => return self.problem(file, &format!("{at}: {message}")),
        };
        if row.support.is_none() && self.without_support.is_none() {
            self.without_support = Some((file, at));
        }
        let names = &mut self.names;
        let mut side = |items: &[String]| -> Vec<Item> {
            let mut ids: Vec<Item> = items.iter().map(|n| names.intern(n)).collect();
            ids.sort_unstable_by(|&a, &b| names.name(a).cmp(names.name(b)));
            ids
        };
        let mut items = side(&row.antecedent);
        let antecedent_len = items.len();
        items.extend(side(&row.consequent));
        self.rules.push(ImportedRule {
            items,
            antecedent_len,
            support: row.support,
            confidence: row.confidence,
            lift: row.lift,
        });
        self.origins.push((file, at));
    }

    /// Where a rule without support was first read, if any (for `--min-support`).
    pub fn first_without_support(&self) -> Option<String> {
        self.without_support
            .map(|(file, at)| format!("{}{at}", self.files[file as usize]))
    }

    /// The same rule twice is an error (two runs' output mixed?): ids would collide.
    /// Then filters, `cartlift mine`'s order, `--top`.
    pub fn finish(mut self, filters: Filters) -> std::result::Result<Imported, Problems> {
        let mut seen: HashMap<(&[Item], &[Item]), usize> = HashMap::new();
        let mut duplicates = Vec::new();
        for (k, rule) in self.rules.iter().enumerate() {
            if let Some(&first) = seen.get(&(rule.antecedent(), rule.consequent())) {
                duplicates.push((k, first));
            } else {
                seen.insert((rule.antecedent(), rule.consequent()), k);
            }
        }
        drop(seen);
        for (k, first) in duplicates {
            let (file, at) = self.origins[k];
            let (first_file, first_at) = self.origins[first];
            let rule = &self.rules[k];
            let message = format!(
                "{at}: the rule {} -> {} is also at {}{first_at}",
                self.show(rule.antecedent()),
                self.show(rule.consequent()),
                self.files[first_file as usize]
            );
            self.problem(file, &message);
        }
        if self.problem_count > 0 {
            return Err(self.problems());
        }
        let read = self.rules.len();
        let without_support = self.rules.iter().filter(|r| r.support.is_none()).count();
        let mut rules = self.rules;
        rules.retain(|r| {
            r.support.is_none_or(|s| s >= filters.min_support)
                && r.confidence >= filters.min_confidence
                && r.lift >= filters.min_lift * (1.0 - LIFT_SLACK)
        });
        // mine's order: antecedent names, then confidence, lift, support (descending),
        // then consequent names.
        let rank = self.names.name_ranks();
        let ranks = |items: &[Item]| items.iter().map(|i| rank[i.index()]).collect::<Vec<_>>();
        let mut keyed: Vec<(Vec<u32>, Vec<u32>, ImportedRule)> = rules
            .into_iter()
            .map(|r| (ranks(r.antecedent()), ranks(r.consequent()), r))
            .collect();
        keyed.sort_unstable_by(|(xa, xc, x), (ya, yc, y)| {
            xa.cmp(ya)
                .then(y.confidence.total_cmp(&x.confidence))
                .then(y.lift.total_cmp(&x.lift))
                .then(
                    y.support
                        .unwrap_or(0.0)
                        .total_cmp(&x.support.unwrap_or(0.0)),
                )
                .then_with(|| xc.cmp(yc))
        });
        if let Some(n) = filters.top {
            let mut kept = 0;
            let mut prev: Option<&[u32]> = None;
            let mut keep = Vec::with_capacity(keyed.len());
            for (antecedent, _, _) in &keyed {
                kept = if prev == Some(antecedent.as_slice()) {
                    kept + 1
                } else {
                    1
                };
                prev = Some(antecedent);
                keep.push(kept <= n);
            }
            let mut keep = keep.into_iter();
            keyed.retain(|_| keep.next().unwrap_or(false));
        }
        let rules = keyed.into_iter().map(|(_, _, r)| r).collect();
        Ok(Imported {
            names: self.names,
            rules,
            read,
            without_support,
        })
    }

    fn show(&self, items: &[Item]) -> String {
        let names: Vec<&str> = items.iter().map(|&i| self.names.name(i)).collect();
        format!("{names:?}")
    }
}

/// What Spark never writes and a config cannot hold.
fn check(row: Row) -> std::result::Result<Row, String> {
    for (side, items) in [
        ("antecedent", &row.antecedent),
        ("consequent", &row.consequent),
    ] {
        if items.is_empty() {
            return Err(format!("{side} is empty"));
        }
        if items.iter().any(String::is_empty) {
            return Err(format!("{side} has an empty item"));
        }
        for (k, item) in items.iter().enumerate() {
            if items[..k].contains(item) {
                return Err(format!("{side} has {item:?} twice"));
            }
        }
    }
    if let Some(item) = row.antecedent.iter().find(|i| row.consequent.contains(i)) {
        return Err(format!("{item:?} is in both antecedent and consequent"));
    }
    for (field, value) in [
        ("support", row.support),
        ("confidence", Some(row.confidence)),
        ("lift", Some(row.lift)),
    ] {
        if let Some(v) = value
            && let Some(range) = RawBoughtTogether::measure_out_of_range(field, v)
        {
            return Err(format!("{field} is {v}; it must be {range}"));
        }
    }
    Ok(row)
}

/// The end of a "this is not associationRules" message, from the columns found.
pub fn not_rules_hint(columns: &[&str]) -> &'static str {
    if columns.contains(&"items") && columns.contains(&"freq") {
        ": this is FPGrowth's freqItemsets; write model.associationRules"
    } else {
        ": is this FPGrowth's associationRules?"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(a: &[&str], c: &[&str], confidence: f64, lift: f64, support: Option<f64>) -> Row {
        Row {
            antecedent: a.iter().map(|s| s.to_string()).collect(),
            consequent: c.iter().map(|s| s.to_string()).collect(),
            confidence,
            lift,
            support,
        }
    }

    const ALL: Filters = Filters {
        min_support: 0.0,
        min_confidence: 0.0,
        min_lift: 0.0,
        top: None,
    };

    #[test]
    fn rows_come_out_in_mines_order_with_sides_sorted_by_name() {
        let mut c = Collector::default();
        let f = c.file("rules.json".into());
        c.row(
            f,
            Location::Line(1, None),
            Ok(row(&["b"], &["a"], 0.5, 1.2, Some(0.1))),
        );
        c.row(
            f,
            Location::Line(2, None),
            Ok(row(&["z", "a"], &["b"], 0.9, 3.0, Some(0.1))),
        );
        c.row(
            f,
            Location::Line(3, None),
            Ok(row(&["b"], &["c"], 0.5, 1.5, Some(0.1))),
        );
        c.row(
            f,
            Location::Line(4, None),
            Ok(row(&["b"], &["d"], 0.7, 1.0, None)),
        );
        let imported = c.finish(ALL).unwrap();
        let shown: Vec<(Vec<&str>, Vec<&str>)> = imported
            .rules
            .iter()
            .map(|r| {
                (
                    imported.names.names(r.antecedent()),
                    imported.names.names(r.consequent()),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                (vec!["a", "z"], vec!["b"]),
                (vec!["b"], vec!["d"]),
                (vec!["b"], vec!["c"]),
                (vec!["b"], vec!["a"]),
            ]
        );
        assert_eq!((imported.read, imported.without_support), (4, 1));
    }

    #[test]
    fn filters_and_top_apply_like_mine_and_lift_has_rounding_slack() {
        let mut c = Collector::default();
        let f = c.file("r".into());
        // Exactly lift 1 in cartlift's arithmetic, one unit in the last place under it
        // in Spark's.
        let just_under = 1.0 - f64::EPSILON / 2.0;
        c.row(
            f,
            Location::Row(1),
            Ok(row(&["a"], &["b"], 0.5, just_under, Some(0.2))),
        );
        c.row(
            f,
            Location::Row(2),
            Ok(row(&["a"], &["c"], 0.6, 0.9, Some(0.2))),
        );
        c.row(
            f,
            Location::Row(3),
            Ok(row(&["a"], &["d"], 0.4, 2.0, Some(0.05))),
        );
        c.row(
            f,
            Location::Row(4),
            Ok(row(&["a"], &["e"], 0.3, 2.0, Some(0.2))),
        );
        let filters = Filters {
            min_support: 0.1,
            min_confidence: 0.0,
            min_lift: 1.0,
            top: Some(1),
        };
        let imported = c.finish(filters).unwrap();
        let kept: Vec<Vec<&str>> = imported
            .rules
            .iter()
            .map(|r| imported.names.names(r.consequent()))
            .collect();
        assert_eq!(kept, [vec!["b"]], "c: lift 0.9; d: support; e: not top 1");
    }

    #[test]
    fn bad_rows_and_duplicates_are_named_by_file_and_row() {
        let mut c = Collector::default();
        let f = c.file("part-0.json".into());
        c.row(
            f,
            Location::Line(1, None),
            Ok(row(&["a"], &["b"], 0.5, 1.0, Some(0.1))),
        );
        c.row(
            f,
            Location::Line(2, None),
            Ok(row(&["a"], &["a"], 0.5, 1.0, Some(0.1))),
        );
        c.row(
            f,
            Location::Line(3, None),
            Ok(row(&["a"], &["b"], 1.5, 1.0, Some(0.1))),
        );
        c.row(
            f,
            Location::Line(4, None),
            Ok(row(&[], &["b"], 0.5, 1.0, None)),
        );
        let g = c.file("part-1.parquet".into());
        c.row(
            g,
            Location::Row(7),
            Ok(row(&["a"], &["b"], 0.5, 1.0, Some(0.1))),
        );
        c.row(g, Location::Row(8), Err("lift is not a number".into()));
        let Err(problems) = c.finish(ALL) else {
            panic!("problems expected")
        };
        assert_eq!(problems.count, 5);
        assert_eq!(
            problems.shown,
            [
                "part-0.json:2: \"a\" is in both antecedent and consequent",
                "part-0.json:3: confidence is 1.5; it must be between 0 and 1",
                "part-0.json:4: antecedent is empty",
                "part-1.parquet: row 8: lift is not a number",
                "part-1.parquet: row 7: the rule [\"a\"] -> [\"b\"] is also at part-0.json:1",
            ]
        );
    }
}
