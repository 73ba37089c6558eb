//! The bad-config corpus: the small files under `tests/data/bad-configs/`, listed with what
//! `cartlift validate` must say in that directory's README table, and big ones generated
//! here at test time (a 10 MB string, 100,000 nested arrays, 100,000 rules, …) so the
//! repository does not carry megabytes.
//!
//! Only `std`: the CLI's and the engine's tests include this file with `#[path]`, so the
//! three kinds of test read one list.

use std::path::PathBuf;

/// One malformed or hostile config and what the CLI must report for it.
#[derive(Clone, Debug)]
pub struct BadConfig {
    /// File name (committed) or a name for a generated case.
    pub name: String,
    /// The document, byte for byte.
    pub bytes: Vec<u8>,
    /// JSON path of the first error `cartlift validate` prints; empty for the root.
    pub path: String,
    /// Its `line:column`, if fixed (generated cases only say that there is one).
    pub at: Option<(usize, usize)>,
    /// A fragment of its message.
    pub message: String,
}

/// `tests/data/bad-configs` (every crate including this file is a sibling of `tests/`).
pub fn dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/bad-configs"
    ))
}

/// The valid config every case breaks one thing in.
pub fn base() -> String {
    std::fs::read_to_string(dir().join("valid-base.json")).expect("valid-base.json is readable")
}

/// Every case: the committed files, then the generated ones.
pub fn all() -> Vec<BadConfig> {
    let mut all = files();
    all.extend(generated());
    all
}

/// The committed files, from the README's first table.
pub fn files() -> Vec<BadConfig> {
    let readme = std::fs::read_to_string(dir().join("README.md")).expect("README.md is readable");
    let rows = readme
        .lines()
        .skip_while(|l| !l.starts_with("| file |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'));
    let cases: Vec<BadConfig> = rows
        .map(|row| {
            let cells: Vec<&str> = row.trim_matches('|').split(" | ").map(str::trim).collect();
            let [file, path, at, message] = cells[..] else {
                panic!("a README row has four cells: {row}");
            };
            let name = file.trim_matches('`').to_owned();
            let (line, column) = at.split_once(':').expect("line:column");
            BadConfig {
                bytes: std::fs::read(dir().join(&name)).unwrap_or_else(|e| panic!("{name}: {e}")),
                name,
                path: unroot(path.trim_matches('`')),
                at: Some((
                    line.parse().expect("a line"),
                    column.parse().expect("a column"),
                )),
                message: message.to_owned(),
            }
        })
        .collect();
    assert!(cases.len() >= 50, "the README lists {} files", cases.len());
    cases
}

fn unroot(path: &str) -> String {
    if path == "(root)" {
        String::new()
    } else {
        path.to_owned()
    }
}

/// The big cases, built from [`base`].
pub fn generated() -> Vec<BadConfig> {
    let base = base();
    let case = |name: &str, text: String, path: &str, message: &str| BadConfig {
        name: name.to_owned(),
        bytes: text.into_bytes(),
        path: path.to_owned(),
        at: None,
        message: message.to_owned(),
    };
    let replace = |from: &str, to: &str| {
        assert!(base.contains(from), "valid-base.json holds {from}");
        base.replacen(from, to, 1)
    };
    const N: usize = 100_000;
    let rules = |rule: &dyn Fn(usize) -> String| {
        let mut rules: Vec<String> = (0..N).map(rule).collect();
        rules.push(String::new());
        replace(
            "\"rules\": [\n",
            &format!("\"rules\": [\n{}", rules.join(",\n")),
        )
    };
    vec![
        case(
            "deep-arrays-100k",
            format!(
                r#"{{"version": 1, "store": {{"currency": "USD"}}, "catalog": {}{}}}"#,
                "[".repeat(N),
                "]".repeat(N)
            ),
            "",
            "recursion limit exceeded",
        ),
        case(
            "deep-objects-100k",
            replace(
                "\"price\": 6.5",
                &format!(
                    "\"price\": 6.5, \"attributes\": {}\"x\"{}",
                    "{\"a\": ".repeat(N),
                    "}".repeat(N)
                ),
            ),
            "",
            "recursion limit exceeded",
        ),
        case(
            "title-10mb",
            replace(
                "\"Dome Camera 4 MP, PoE\"",
                &format!("\"{}\"", "A".repeat(10_000_000)),
            ),
            "catalog[0].title",
            "has a title of 10000000 bytes",
        ),
        case(
            "number-1m-digits",
            replace(
                "\"price\": 79.0",
                &format!("\"price\": 1{}", "0".repeat(1_000_000)),
            ),
            "",
            "number out of range",
        ),
        case(
            "whitespace-10mb-then-truncated",
            format!("{}{}", " ".repeat(10_000_000), &base[..base.len() / 2]),
            "",
            "EOF while parsing",
        ),
        case(
            "rules-100k-unknown-products",
            rules(&|i| {
                format!(
                    r#"    {{"kind": "bought_together", "id": "r{i}", "antecedent": ["cam-dome-4mp"], "consequent": ["x{i}"]}}"#
                )
            }),
            "rules[0].consequent[0]",
            "names unknown product `x0`",
        ),
        case(
            "rules-100k-duplicate-ids",
            rules(&|_| {
                r#"    {"kind": "bought_together", "id": "dup", "antecedent": ["cam-dome-4mp"], "consequent": ["cable-cat6-20m"]}"#.to_owned()
            }),
            "rules[1].id",
            "duplicate rule id `dup`",
        ),
        case(
            "fields-100k-unknown",
            replace(
                "{\n",
                &format!(
                    "{{\n{}",
                    (0..N)
                        .map(|i| format!("\"field{i}\": {i}, "))
                        .collect::<String>()
                ),
            ),
            "field0",
            "unknown field `field0`",
        ),
        case(
            "variants-100k",
            replace(
                "\"price\": 6.5",
                &format!(
                    "\"price\": 6.5, \"variants\": [{}{{\"id\": \"v0\"}}]",
                    (0..N)
                        .map(|i| format!("{{\"id\": \"v{i}\"}}, "))
                        .collect::<String>()
                ),
            ),
            "catalog[3].variants[100000].id",
            "has two variants with id `v0`",
        ),
    ]
}
