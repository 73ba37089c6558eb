//! `cartlift import`: Apache Spark's FPGrowth rules in, the rules `cartlift mine` writes out.
//!
//! The fixtures under `tests/data/spark/` are Spark 4.0.1's own output (two part files
//! per format, `_SUCCESS`, `.crc` checksums), written by `cargo xtask spark --fixtures`
//! from groceries.csv at min support 0.02 and min confidence 0.25: 49 rules.

use cartlift_engine::config::RawConfig;
use cartlift_engine::config::raw::RawRule;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cartlift() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cartlift"))
}

fn spark(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/spark")
        .join(name)
}

fn groceries() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/groceries.csv")
}

/// The fixtures' thresholds, for `cartlift mine`; Spark's rules carry no ranking weights and
/// are of every length, so mine neither fits weights nor stops at pairs.
const THRESHOLDS: [&str; 6] = [
    "--min-support",
    "0.02",
    "--min-confidence",
    "0.25",
    "--ridge",
    "off",
];

/// A fresh scratch directory per test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cartlift-import-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The part files of a Spark output directory, in name order.
fn parts(dir: &Path) -> Vec<PathBuf> {
    let mut parts: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("part-"))
        })
        .collect();
    parts.sort();
    parts
}

fn import(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut cmd = cartlift();
    cmd.arg("import");
    for a in args {
        cmd.arg(a);
    }
    cmd.output().expect("runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn summary(out: &Output) -> Value {
    let text = stderr(out);
    serde_json::from_str(text.lines().last().expect("a summary line")).expect("JSON summary")
}

fn rules(path: &Path) -> Vec<Value> {
    let doc: Value = serde_json::from_slice(&std::fs::read(path).expect("written")).expect("JSON");
    doc["rules"].as_array().expect("rules").clone()
}

/// Units in the last place between two doubles.
fn ulps(x: f64, y: f64) -> u64 {
    (x.to_bits() as i64 - y.to_bits() as i64).unsigned_abs()
}

/// The same rules in the same order with the same ids and sides; support and confidence
/// bit for bit, lift within 2 ulp (Spark rounds it twice more than cartlift).
fn assert_same_rules(imported: &[Value], mined: &[Value]) {
    assert_eq!(imported.len(), mined.len());
    for (a, b) in imported.iter().zip(mined) {
        for key in [
            "id",
            "kind",
            "antecedent",
            "consequent",
            "source",
            "support",
        ] {
            assert_eq!(a[key], b[key], "{key} of {}", b["id"]);
        }
        assert_eq!(a["confidence"], b["confidence"], "{}", b["id"]);
        let lift = |r: &Value| r["lift"].as_f64().expect("a lift");
        let (x, y) = (lift(a), lift(b));
        assert!(ulps(x, y) <= 2, "lift of {}: {x} vs {y}", b["id"]);
    }
}

#[test]
#[cfg(feature = "parquet")]
fn spark_json_and_parquet_import_to_the_rules_mine_finds_at_the_same_thresholds() {
    let dir = scratch("same");
    let (from_json, from_parquet, mined) = (
        dir.join("json.json"),
        dir.join("parquet.json"),
        dir.join("mine.json"),
    );
    for (input, output, files) in [
        ("groceries-rules.json", &from_json, "json_files"),
        ("groceries-rules.parquet", &from_parquet, "parquet_files"),
    ] {
        let out = import(&[
            &spark(input),
            &"--min-lift",
            &"0",
            &"--summary-json",
            &"-o",
            output,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let s = summary(&out);
        assert_eq!(
            (&s["read"], &s["rules"], &s[files]),
            (&49.into(), &49.into(), &2.into())
        );
    }
    assert_eq!(
        std::fs::read(&from_json).unwrap(),
        std::fs::read(&from_parquet).unwrap(),
        "the same doubles, whichever format carried them"
    );

    let out = cartlift()
        .arg("mine")
        .arg(groceries())
        .args(THRESHOLDS)
        .args(["--min-lift", "0", "-o"])
        .arg(&mined)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let imported = rules(&from_json);
    assert_same_rules(&imported, &rules(&mined));

    // Spark's numbers are the counts' ratios: beef in 516 orders, with whole milk in 209.
    let first = &imported[0];
    assert_eq!(first["id"], "mined:beef->whole milk");
    assert_eq!(first["support"].as_f64(), Some(209.0 / 9835.0));
    assert_eq!(first["confidence"].as_f64(), Some(209.0 / 516.0));
    // Antecedents come sorted by name, whatever order Spark's FP-tree gave them.
    let pair = imported
        .iter()
        .find(|r| r["id"] == "mined:other vegetables+whole milk->root vegetables")
        .expect("a two-item antecedent");
    assert_eq!(
        pair["antecedent"],
        serde_json::json!(["other vegetables", "whole milk"])
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn defaults_drop_lift_under_one_and_filters_work_like_mine() {
    let json = spark("groceries-rules.json");
    // Default --min-lift 1, as mine: "bottled beer -> whole milk" (lift 0.993) goes.
    let out = import(&[&json, &"--summary-json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(summary(&out)["rules"], 48);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("bottled beer"));

    let out = import(&[&json, &"--top", &"1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("rules on stdout");
    let sausage: Vec<&Value> = doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["antecedent"] == serde_json::json!(["sausage"]))
        .collect();
    assert_eq!(sausage.len(), 1);
    assert_eq!(sausage[0]["consequent"], serde_json::json!(["rolls/buns"]));

    let out = import(&[
        &json,
        &"--min-support",
        &"0.03",
        &"--min-confidence",
        &"0.4",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "mined:root vegetables->whole milk",
            "mined:root vegetables->other vegetables",
            "mined:tropical fruit->whole milk",
            "mined:whipped/sour cream->whole milk",
            "mined:yogurt->whole milk",
        ]
    );
    assert!(
        stderr(&out).contains(
            "49 rules in 2 JSON-lines file(s)\n  5 rules kept (min support 0.03, min confidence 0.4, min lift 1)"
        ),
        "{}",
        stderr(&out)
    );

    // Thresholds compared with mine's on the same file at the same settings.
    let dir = scratch("top");
    let out = import(&[&json, &"--top", &"2", &"-o", &dir.join("import.json")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = cartlift()
        .arg("mine")
        .arg(groceries())
        .args(THRESHOLDS)
        .args(["--top", "2", "-o"])
        .arg(dir.join("mine.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_same_rules(
        &rules(&dir.join("import.json")),
        &rules(&dir.join("mine.json")),
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
#[cfg(feature = "parquet")]
fn a_part_file_is_read_alone_and_its_format_found_by_extension_or_content() {
    let dir = scratch("single");
    // Both formats hold the same rows in the same part numbers: take the first part of
    // one and the second of the other.
    let parquet = &parts(&spark("groceries-rules.parquet"))[0];
    let json = &parts(&spark("groceries-rules.json"))[1];
    let out = import(&[parquet, &"--min-lift", &"0", &"--summary-json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let by_extension = summary(&out);
    assert_eq!(by_extension["parquet_files"], 1);

    // No extension: Parquet's magic bytes; anything else is taken for JSON lines.
    let bare = dir.join("rules");
    std::fs::copy(parquet, &bare).unwrap();
    let text = dir.join("rules.txt");
    std::fs::copy(json, &text).unwrap();
    let out = import(&[&bare, &text, &"--min-lift", &"0", &"--summary-json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = summary(&out);
    assert_eq!(
        (&s["parquet_files"], &s["json_files"]),
        (&1.into(), &1.into())
    );
    assert_eq!(s["rules"], 49, "the two part files hold all 49 rules");

    // Forcing the wrong format fails on the first line.
    let out = import(&[parquet, &"--format", &"json"]);
    assert_eq!(out.status.code(), Some(1));
    let name = parquet.display().to_string();
    assert!(
        stderr(&out).contains(&format!("{name}:1:1: not JSON: expected value")),
        "{}",
        stderr(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn malformed_json_rows_are_named_by_file_and_line_and_nothing_is_written() {
    let dir = scratch("malformed");
    let copy = dir.join("rules.json");
    std::fs::create_dir_all(&copy).unwrap();
    for part in parts(&spark("groceries-rules.json")) {
        std::fs::copy(&part, copy.join(part.file_name().unwrap())).unwrap();
    }
    std::fs::write(copy.join("_SUCCESS"), "").unwrap();
    let second = &parts(&copy)[1];
    let mut lines: Vec<String> = std::fs::read_to_string(second)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    lines[16] = lines[16].replacen(r#""antecedent":["#, r#""antecedent":"x","was":["#, 1);
    lines[2].truncate(30);
    lines[19] =
        r#"{"antecedent":["a"],"consequent":["b"],"confidence":1.5,"lift":2.0,"support":0.1}"#
            .into();
    std::fs::write(second, lines.join("\n") + "\n").unwrap();
    let output = dir.join("out.json");
    let out = import(&[&copy, &"-o", &output]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let name = second.display();
    for expected in [
        format!("cartlift: error: {name}:3:30: not JSON: EOF while parsing a string"),
        format!("cartlift: error: {name}:17: antecedent is not an array of strings"),
        format!("cartlift: error: {name}:20: confidence is 1.5; it must be between 0 and 1"),
        "cartlift: error: 3 problem(s) in Spark's rules; nothing was written".to_string(),
    ] {
        assert!(err.contains(&expected), "{expected}\nnot in\n{err}");
    }
    assert!(!output.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
#[cfg(feature = "parquet")]
fn parquet_that_is_not_spark_rules_is_refused_with_the_reason() {
    let dir = scratch("parquet-bad");
    // Real Spark output, but zstd-compressed (cartlift reads Snappy, Spark's default).
    let zstd = &parts(&spark("groceries-rules-zstd.parquet"))[0];
    let out = import(&[&spark("groceries-rules-zstd.parquet")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "{}: written with zstd compression; cartlift reads Snappy (Spark's default) and uncompressed Parquet: write with .option(\"compression\", \"snappy\")",
            zstd.display()
        )),
        "{}",
        stderr(&out)
    );

    // FPGrowth's other output.
    let itemsets = &parts(&spark("groceries-itemsets.parquet"))[0];
    let out = import(&[itemsets]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "{}: no column antecedent (columns: items, freq): this is FPGrowth's freqItemsets; write model.associationRules",
            itemsets.display()
        )),
        "{}",
        stderr(&out)
    );

    // A part file cut short (a copy that did not finish).
    let cut = dir.join("part-00000.parquet");
    let bytes = std::fs::read(&parts(&spark("groceries-rules.parquet"))[0]).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let out = import(&[&cut, &"-o", &dir.join("out.json")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("{}: not a Parquet file", cut.display())),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("out.json").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
#[cfg(feature = "parquet")]
fn the_same_rules_twice_are_refused_naming_both_places() {
    let out = import(&[
        &spark("groceries-rules.json"),
        &spark("groceries-rules.parquet"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let parquet = &parts(&spark("groceries-rules.parquet"))[0];
    let json = &parts(&spark("groceries-rules.json"))[0];
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{}: row 1: the rule [\"butter\"] -> [\"whole milk\"] is also at {}:1",
            parquet.display(),
            json.display()
        )),
        "{err}"
    );
    assert!(err.contains("49 problem(s) in Spark's rules; nothing was written"));
}

#[test]
fn into_merges_like_mine_matching_titles_and_keeping_hand_written_rules() {
    let dir = scratch("into");
    let config = dir.join("config.json");
    std::fs::copy(spark("grocery_config.json"), &config).unwrap();
    let before = std::fs::read(&config).unwrap();
    let out = import(&[
        &spark("groceries-rules.json"),
        &"--into",
        &config,
        &"--backup",
        &"--summary-json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = summary(&out);
    // 48 rules at lift ≥ 1; 28 name a product the shop lacks (or "butter", whose title
    // two products share); five items are matched by title, three by id.
    assert_eq!(
        (
            &s["into"]["written"],
            &s["into"]["skipped"],
            &s["into"]["replaced"],
            &s["into"]["kept"],
            &s["into"]["by_title"]
        ),
        (&20.into(), &28.into(), &1.into(), &2.into(), &5.into())
    );
    assert_eq!(std::fs::read(dir.join("config.json.bak")).unwrap(), before);
    let raw: RawConfig = serde_json::from_slice(&std::fs::read(&config).unwrap()).unwrap();
    assert!(raw.rules.iter().any(|r| r.id() == "bt-sausage-rolls-hand"));
    assert!(raw.rules.iter().any(|r| r.id() == "addon-milk-rolls"));
    let Some(RawRule::BoughtTogether(rule)) = raw
        .rules
        .iter()
        .find(|r| r.id() == "mined:root vegetables+whole milk->other vegetables")
    else {
        panic!("the rule is merged")
    };
    assert_eq!(rule.antecedent, ["root-vegetables", "whole-milk"]);
    assert_eq!(rule.consequent, ["other-vegetables"]);
    assert_eq!(rule.confidence, Some(0.47401247401247404));
    let validate = cartlift().arg("validate").arg(&config).output().unwrap();
    assert_eq!(validate.status.code(), Some(0), "{}", stderr(&validate));

    // mine --into on the same store at the same thresholds writes the same config.
    let mined = dir.join("mined.json");
    std::fs::copy(spark("grocery_config.json"), &mined).unwrap();
    let out = cartlift()
        .arg("mine")
        .arg(groceries())
        .args(THRESHOLDS)
        .arg("--into")
        .arg(&mined)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = |p: &Path| -> Value { serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap() };
    let (imported, mined) = (doc(&config), doc(&mined));
    assert_eq!(imported["catalog"], mined["catalog"]);
    let split = |config: &Value| -> (Vec<Value>, Vec<Value>) {
        config["rules"]
            .as_array()
            .unwrap()
            .iter()
            .cloned()
            .partition(|r| r["source"] == "mined")
    };
    let ((imported_mined, imported_hand), (mined_mined, mined_hand)) =
        (split(&imported), split(&mined));
    assert_eq!(imported_hand, mined_hand);
    assert_eq!(imported_mined.len(), 20);
    assert_same_rules(&imported_mined, &mined_mined);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn into_leaves_an_invalid_config_untouched() {
    let dir = scratch("into-invalid");
    let config = dir.join("config.json");
    std::fs::write(&config, "{\"version\": 1,\n \"store\": }").unwrap();
    let out = import(&[&spark("groceries-rules.json"), &"--into", &config]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("config.json:2:"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        "{\"version\": 1,\n \"store\": }"
    );
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["config.json"], "no temporary or backup file");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rules_without_support_from_old_spark_are_written_without_it() {
    // Spark 2.4 wrote antecedent, consequent, confidence, lift: no support.
    let dir = scratch("no-support");
    let old = dir.join("old-spark.json");
    let lines: Vec<String> = parts(&spark("groceries-rules.json"))
        .iter()
        .flat_map(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .map(|l| {
                    let mut v: Value = serde_json::from_str(l).unwrap();
                    v.as_object_mut().unwrap().remove("support");
                    v.to_string()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    std::fs::write(&old, lines.join("\n")).unwrap();
    let out = import(&[&old, &"--min-lift", &"0"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "warning: 49 rule(s) have no support (Spark before 3.0 wrote none): written without it"
        ),
        "{}",
        stderr(&out)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = doc["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 49);
    assert!(
        rules
            .iter()
            .all(|r| r.get("support").is_none() && r["confidence"].is_f64())
    );

    let out = import(&[&old, &"--min-support", &"0.01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!(
            "--min-support needs a support column, and {}:1 has none",
            old.display()
        )),
        "{}",
        stderr(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn paths_that_are_not_spark_output_are_reported() {
    let dir = scratch("paths");
    let out = import(&[&"/nonexistent/rules.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("reading /nonexistent/rules.json"));

    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = import(&[&empty]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no part files and no _SUCCESS: not a directory Spark wrote"),
        "{}",
        stderr(&out)
    );

    // Part files copied without the marker: read, with a warning.
    let copied = dir.join("copied");
    std::fs::create_dir_all(&copied).unwrap();
    for part in parts(&spark("groceries-rules.json")) {
        std::fs::copy(&part, copied.join(part.file_name().unwrap())).unwrap();
    }
    let out = import(&[&copied, &"--min-lift", &"0", &"--summary-json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("no _SUCCESS marker: the Spark job may not have finished"));
    assert_eq!(summary(&out)["rules"], 49);

    let gz = dir.join("part-00000.json.gz");
    std::fs::write(&gz, b"\x1f\x8b").unwrap();
    let out = import(&[&gz]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("compressed JSON is not read"),
        "{}",
        stderr(&out)
    );

    let out = cartlift().arg("import").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "no RULES: a usage error");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
#[cfg(not(feature = "parquet"))]
fn without_the_parquet_feature_parquet_input_is_a_usage_error() {
    let out = import(&[&spark("groceries-rules.parquet")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "this cartlift was built without Parquet support (cargo feature `parquet`); write the rules with df.write.json(dir) instead"
        ),
        "{}",
        stderr(&out)
    );
}
