//! The shared flag groups: every command that takes the output flags (`-o`, `--into`,
//! `--backup`: `mine`, `import`, `catalog`) or the order-input flags (`--format`, `--delimiter`,
//! `--order-col`, `--item-col`, `--strict`: `mine`, `evaluate`) accepts and refuses the
//! same combinations, with the same message and exit code.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(command: &str, args: &[&dyn AsRef<OsStr>]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cartlift"))
        .arg(command)
        .args(args)
        .output()
        .expect("runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh scratch directory per test and command.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cartlift-flags-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A command that writes rules, with an input it reads and a config its rules merge into.
struct Writer {
    command: &'static str,
    input: PathBuf,
    config: PathBuf,
}

fn writers() -> [Writer; 3] {
    [
        Writer {
            command: "mine",
            input: manifest().join("tests/data/orders/shopify_orders_export.csv"),
            config: manifest().join("tests/data/orders/store_config.json"),
        },
        Writer {
            command: "import",
            input: manifest().join("tests/data/spark/groceries-rules.json"),
            config: manifest().join("tests/data/spark/grocery_config.json"),
        },
        Writer {
            command: "catalog",
            input: manifest().join("../tests/data/catalogs/shopify_products.csv"),
            config: manifest().join("../tests/data/catalogs/shopify_store.json"),
        },
    ]
}

#[test]
fn mine_import_and_catalog_take_the_same_output_flags() {
    for w in writers() {
        let dir = scratch(w.command);
        let config = dir.join("config.json");
        std::fs::copy(&w.config, &config).unwrap();
        let before = std::fs::read(&config).unwrap();
        let rules = dir.join("rules.json");
        let merged = dir.join("merged.json");
        let ok = |out: &Output| assert_eq!(out.status.code(), Some(0), "{}", stderr(out));

        // -o: a rules file.
        let out = run(w.command, &[&w.input, &"-o", &rules]);
        ok(&out);
        let written = std::fs::read(&rules).unwrap();
        assert!(out.stdout.is_empty());
        // -o again with --backup: the file replaced is kept.
        ok(&run(w.command, &[&w.input, &"-o", &rules, &"--backup"]));
        assert_eq!(std::fs::read(dir.join("rules.json.bak")).unwrap(), written);

        // --into with -o: the merged config goes to -o, the config is not touched.
        ok(&run(
            w.command,
            &[&w.input, &"--into", &config, &"-o", &merged],
        ));
        assert_eq!(std::fs::read(&config).unwrap(), before, "{}", w.command);
        assert!(
            std::fs::read_to_string(&merged)
                .unwrap()
                .contains("\"catalog\"")
        );
        assert!(!dir.join("merged.json.bak").exists(), "no backup unasked");

        // --into alone, with --backup: the config is replaced and its old self kept.
        ok(&run(
            w.command,
            &[&w.input, &"--into", &config, &"--backup"],
        ));
        assert_ne!(std::fs::read(&config).unwrap(), before, "{}", w.command);
        assert_eq!(std::fs::read(dir.join("config.json.bak")).unwrap(), before);

        let refused = |args: &[&dyn AsRef<OsStr>], message: &str| {
            let mut all: Vec<&dyn AsRef<OsStr>> = vec![&w.input];
            all.extend_from_slice(args);
            let out = run(w.command, &all);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{}: {}",
                w.command,
                stderr(&out)
            );
            assert!(
                stderr(&out).contains(message),
                "{}: {}",
                w.command,
                stderr(&out)
            );
            assert!(out.stdout.is_empty(), "{}: nothing written", w.command);
        };
        std::fs::copy(&w.config, &config).unwrap();
        // A merged config has no place on stdout.
        refused(
            &[&"--into", &config, &"-o", &"-"],
            "--into writes a config file; -o - (stdout) goes without it",
        );
        assert_eq!(std::fs::read(&config).unwrap(), before);
        // --backup without a file to replace: refused by clap, naming what it needs.
        refused(&[&"--backup"], "--backup");
        refused(&[&"--backup"], "--output <OUTPUT>|--into <CONFIG>");
        refused(
            &[&"-o", &"-", &"--backup"],
            "--backup keeps a replaced file; -o - (stdout) replaces none",
        );
        // The flags are given once.
        refused(
            &[&"--into", &config, &"--into", &config],
            "cannot be used multiple times",
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Runs `command` (`mine` or `evaluate`) on `orders` with `args`, with its summary as
/// JSON; on success, the number of orders it read.
fn read_orders(command: &str, orders: &Path, args: &[&str]) -> (Output, Option<u64>) {
    let mut all: Vec<&dyn AsRef<OsStr>> = vec![&orders];
    let summary = if command == "mine" {
        ["--summary-json", "-o", "-"].as_slice()
    } else {
        ["--json"].as_slice()
    };
    all.extend(summary.iter().map(|s| s as &dyn AsRef<OsStr>));
    all.extend(args.iter().map(|s| s as &dyn AsRef<OsStr>));
    let out = run(command, &all);
    let json = if command == "mine" {
        stderr(&out).lines().last().unwrap_or_default().to_string()
    } else {
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let key = if command == "mine" {
        "transactions"
    } else {
        "orders"
    };
    let orders = serde_json::from_str::<serde_json::Value>(&json)
        .ok()
        .and_then(|v| v[key].as_u64());
    (out, orders)
}

#[test]
fn mine_and_evaluate_take_the_same_order_input_flags() {
    let data = manifest().join("tests/data/orders");
    let dir = scratch("orders");
    let semicolons = dir.join("baskets.csv");
    std::fs::write(&semicolons, "a;b\na;b;c\nb;c\na;c\n").unwrap();
    let tabs = dir.join("baskets.tsv");
    std::fs::write(&tabs, "a\tb\na\tb\tc\nb\tc\na\tc\n").unwrap();
    let interleaved = data.join("order_lines_interleaved.csv");
    let shopify = data.join("shopify_orders_export.csv");
    let malformed = data.join("baskets_malformed.csv");
    for command in ["mine", "evaluate"] {
        let accepted = |orders: &Path, args: &[&str], count: u64| {
            let (out, read) = read_orders(command, orders, args);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{command} {args:?}: {}",
                stderr(&out)
            );
            assert_eq!(read, Some(count), "{command} {args:?}");
        };
        accepted(&semicolons, &["--delimiter", ";"], 4);
        accepted(&tabs, &["--delimiter", "\\t"], 4);
        accepted(&tabs, &["--delimiter", "tab", "--format", "baskets"], 4);
        accepted(
            &interleaved,
            &[
                "--delimiter",
                ";",
                "--order-col",
                "order_id",
                "--item-col",
                "sku",
            ],
            3,
        );
        accepted(
            &interleaved,
            &[
                "--delimiter",
                ";",
                "--format",
                "order-lines",
                "--order-col",
                "1",
                "--item-col",
                "2",
            ],
            3,
        );
        accepted(&shopify, &["--format", "shopify"], 6);

        let refused = |args: &[&str], message: &str| {
            let (out, _) = read_orders(command, &shopify, args);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{command} {args:?}: {}",
                stderr(&out)
            );
            assert!(
                stderr(&out).contains(message),
                "{command} {args:?}: {}",
                stderr(&out)
            );
        };
        refused(
            &["--order-col", "x"],
            "order-line input needs both --order-col and --item-col",
        );
        refused(
            &["--item-col", "x"],
            "order-line input needs both --order-col and --item-col",
        );
        refused(
            &["--format", "order-lines"],
            "--format order-lines needs --order-col and --item-col",
        );
        refused(
            &["--format", "shopify", "--order-col", "a", "--item-col", "b"],
            "--order-col and --item-col go with --format order-lines",
        );
        refused(
            &["--delimiter", "::"],
            "invalid value '::' for '--delimiter <DELIMITER>': use a single ASCII character (or \\t)",
        );
        refused(
            &["--format", "csv"],
            "invalid value 'csv' for '--format <FORMAT>'",
        );

        // --strict: a malformed row is fatal (exit 1), named by file and line.
        let (out, _) = read_orders(command, &malformed, &["--strict"]);
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("baskets_malformed.csv:2: empty item in field 2"),
            "{command}: {}",
            stderr(&out)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
