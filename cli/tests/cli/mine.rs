//! `cartlift mine`: real-looking exports in, exact rules out; exit codes and reports.

use cartlift_engine::config::raw::RawRule;
use cartlift_engine::config::{RawConfig, RuleSource};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn cartlift() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cartlift"))
}

fn data(name: &str) -> String {
    format!("{}/tests/data/orders/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn groceries() -> String {
    format!("{}/../tests/data/groceries.csv", env!("CARGO_MANIFEST_DIR"))
}

/// A fresh scratch directory per test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cartlift-mine-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn mine(args: &[&str]) -> Output {
    cartlift().arg("mine").args(args).output().expect("runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn summary(out: &Output) -> Value {
    let text = stderr(out);
    serde_json::from_str(text.lines().last().expect("a summary line")).expect("JSON summary")
}

/// Rules of a standalone config-rules file, as (id, antecedent, consequent, support,
/// confidence, lift), after checking every rule is a mined bought_together rule.
/// (id, antecedent, consequent, support, confidence, lift).
type MinedRule = (String, Vec<String>, Vec<String>, f64, f64, f64);

fn rules_of(json: &str) -> Vec<MinedRule> {
    let doc: Value = serde_json::from_str(json).expect("JSON");
    let rules: Vec<RawRule> =
        serde_json::from_value(doc["rules"].clone()).expect("the config's rule format");
    rules
        .into_iter()
        .map(|r| match r {
            RawRule::BoughtTogether(b) => {
                assert_eq!(b.source, RuleSource::Mined);
                (
                    b.id,
                    b.antecedent,
                    b.consequent,
                    b.support.expect("support"),
                    b.confidence.expect("confidence"),
                    b.lift.expect("lift"),
                )
            }
            other => panic!("not a bought_together rule: {other:?}"),
        })
        .collect()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn groceries_gives_the_reference_counts_from_a_file_and_from_stdin() {
    let dir = scratch("groceries");
    let out_file = dir.join("rules.json");
    let flags = [
        "--min-support",
        "0.001",
        "--min-confidence",
        "0.1",
        "--min-lift",
        "0",
        // arules' default: the reference counts are of itemsets of every length.
        "--max-len",
        "10",
        "--summary-json",
    ];
    let out = cartlift()
        .arg("mine")
        .arg(groceries())
        .args(flags)
        .arg("-o")
        .arg(&out_file)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = summary(&out);
    assert_eq!(
        (
            &s["transactions"],
            &s["items"],
            &s["itemsets"],
            &s["longest"],
            &s["rules"],
            &s["min_count"]
        ),
        (
            &9835.into(),
            &169.into(),
            &13492.into(),
            &6.into(),
            &32783.into(),
            &10.into()
        )
    );
    let text = std::fs::read_to_string(&out_file).expect("written");
    let rules = rules_of(&text);
    assert_eq!(rules.len(), 32783);
    let ids: std::collections::HashSet<&String> = rules.iter().map(|r| &r.0).collect();
    assert_eq!(ids.len(), rules.len(), "ids are unique");
    let milk = rules
        .iter()
        .find(|r| r.0 == "mined:butter+yogurt->whole milk")
        .expect("the rule");
    assert_eq!(
        (&milk.1, &milk.2),
        (&strings(&["butter", "yogurt"]), &strings(&["whole milk"]))
    );
    assert_eq!(
        (milk.3, milk.4, milk.5),
        (92.0 / 9835.0, 92.0 / 144.0, 2.5003868771278244)
    );
    assert_eq!(
        std::fs::read_dir(&dir).expect("dir").count(),
        1,
        "no temporary file left"
    );

    // The same from stdin, in one pass.
    let mut child = cartlift()
        .args(["mine", "-", "-o", "-"])
        .args(flags)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let bytes = std::fs::read(groceries()).expect("groceries");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&bytes)
        .expect("writes");
    let out = child.wait_with_output().expect("finishes");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(summary(&out)["rules"], 32783);
    assert_eq!(String::from_utf8_lossy(&out.stdout), text);
}

#[test]
fn a_shopify_export_is_read_without_column_flags() {
    let out = mine(&[
        &data("shopify_orders_export.csv"),
        "--min-support",
        "0.3",
        "--min-lift",
        "0",
        "-o",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("6 orders (6 distinct baskets) with 5 items, Shopify export"),
        "{}",
        stderr(&out)
    );
    let rules = rules_of(&String::from_utf8_lossy(&out.stdout));
    let third = 1.0 / 3.0;
    assert_eq!(
        rules,
        vec![
            (
                "mined:cable-cat6-20m->cam-dome-4mp".into(),
                strings(&["cable-cat6-20m"]),
                strings(&["cam-dome-4mp"]),
                0.5,
                0.75,
                0.9
            ),
            (
                "mined:cam-dome-4mp->cable-cat6-20m".into(),
                strings(&["cam-dome-4mp"]),
                strings(&["cable-cat6-20m"]),
                0.5,
                0.6,
                0.9
            ),
            (
                "mined:cam-dome-4mp->nvr-8ch".into(),
                strings(&["cam-dome-4mp"]),
                strings(&["nvr-8ch"]),
                third,
                0.4,
                1.2
            ),
            (
                "mined:nvr-8ch->cam-dome-4mp".into(),
                strings(&["nvr-8ch"]),
                strings(&["cam-dome-4mp"]),
                third,
                1.0,
                1.2
            ),
        ]
    );
}

#[test]
fn a_woocommerce_plugin_export_is_read_by_order_id_and_sku() {
    let out = mine(&[
        &data("woocommerce_order_export_items.csv"),
        "--min-support",
        "0.5",
        "--min-confidence",
        "0.9",
        "--min-lift",
        "0",
        "-o",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("3 orders (3 distinct baskets) with 3 items, WooCommerce export")
    );
    let rules = rules_of(&String::from_utf8_lossy(&out.stdout));
    let ids: Vec<&str> = rules.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            "mined:cable-cat6-20m->cam-dome-4mp",
            "mined:nvr-8ch->cam-dome-4mp"
        ]
    );
    assert_eq!((rules[0].3, rules[0].4, rules[0].5), (2.0 / 3.0, 1.0, 1.0));
}

#[test]
fn woocommerce_analytics_names_products_and_into_matches_them_by_title() {
    let dir = scratch("woo-into");
    let config = dir.join("config.json");
    std::fs::copy(data("store_config.json"), &config).expect("copy");
    let out = mine(&[
        &data("woocommerce_analytics_orders.csv"),
        "--min-support",
        "0.3",
        "--into",
        config.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = stderr(&out);
    assert!(
        report.contains("5 orders (4 distinct baskets) with 3 items, WooCommerce export"),
        "{report}"
    );
    assert!(report.contains("2 mined rules written, 1 old mined rules replaced, 2 other rules kept; 0 rule(s) skipped"), "{report}");
    assert!(
        report.contains("3 item(s) matched by product title"),
        "{report}"
    );
    let raw: RawConfig =
        serde_json::from_str(&std::fs::read_to_string(&config).expect("read")).expect("a config");
    let ids: Vec<&str> = raw.rules.iter().map(RawRule::id).collect();
    assert_eq!(
        ids,
        [
            "bt-cam-cable-hand",
            "addon-mount",
            "mined:8-Channel NVR->Dome Camera 4 MP, PoE",
            "mined:Dome Camera 4 MP, PoE->8-Channel NVR"
        ]
    );
    let RawRule::BoughtTogether(nvr) = &raw.rules[2] else {
        panic!("bought together")
    };
    assert_eq!(
        (&nvr.antecedent, &nvr.consequent),
        (&strings(&["nvr-8ch"]), &strings(&["cam-dome-4mp"]))
    );
    assert_eq!(
        (nvr.support, nvr.confidence, nvr.lift),
        (Some(0.4), Some(1.0), Some(1.25))
    );
    let validate = cartlift()
        .arg("validate")
        .arg(&config)
        .output()
        .expect("runs");
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&validate.stdout)
    );
}

#[test]
fn into_counts_rules_outside_the_catalog_and_keeps_hand_written_ones() {
    let dir = scratch("into-skip");
    let config = dir.join("config.json");
    std::fs::copy(data("store_config.json"), &config).expect("copy");
    let out = cartlift()
        .arg("mine")
        .arg(data("shopify_orders_export.csv"))
        .args([
            "--min-support",
            "0.1",
            "--min-lift",
            "0",
            "--summary-json",
            "--into",
        ])
        .arg(&config)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = summary(&out);
    // Pairs with the wall mount or the SKU-less gift card (read by its line item name)
    // cannot be shown by the widget: skipped, and said so.
    assert_eq!(s["rules"], 12, "pairs");
    assert_eq!(
        (
            &s["into"]["written"],
            &s["into"]["skipped"],
            &s["into"]["replaced"],
            &s["into"]["kept"]
        ),
        (&6.into(), &6.into(), &1.into(), &2.into())
    );
    let raw: RawConfig =
        serde_json::from_str(&std::fs::read_to_string(&config).expect("read")).expect("a config");
    assert!(raw.rules.iter().any(|r| r.id() == "bt-cam-cable-hand"));
    assert!(!raw.rules.iter().any(|r| r.id() == "mined:old"));
    assert!(
        !raw.rules
            .iter()
            .any(|r| r.id().contains("mount-wall-x") || r.id().contains("Gift Card"))
    );
}

#[test]
fn an_invalid_config_is_left_alone() {
    let dir = scratch("into-invalid");
    let config = dir.join("config.json");
    std::fs::write(&config, "{\"version\": 1,\n \"store\": }").expect("write");
    let out = mine(&[&groceries(), "--into", config.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("config.json:2:"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&config).expect("read"),
        "{\"version\": 1,\n \"store\": }"
    );
}

#[test]
fn interleaved_order_lines_are_merged_and_written_as_csv() {
    let out = mine(&[
        &data("order_lines_interleaved.csv"),
        "--delimiter",
        ";",
        "--order-col",
        "order_id",
        "--item-col",
        "sku",
        "--min-support",
        "0.3",
        "--min-lift",
        "0",
        "--emit",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("3 order(s) with rows spread over the file merged"));
    // weight: the ridge fit with too few orders to tune on, penalty 0.02 × 3 orders;
    // cam-dome-4mp's only co-purchase gives w = 2 / (3 + 0.06).
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "antecedent,consequent,support,confidence,lift,leverage,conviction,count,antecedent_count,consequent_count,weight\n\
         cable-cat6-20m,cam-dome-4mp,0.6666666666666666,0.6666666666666666,1.0,0.0,1.0,2,3,2,0.6535947712418301\n\
         cable-cat6-20m,nvr-8ch,0.3333333333333333,0.3333333333333333,1.0,0.0,1.0,1,3,1,0.32679738562091504\n\
         cam-dome-4mp,cable-cat6-20m,0.6666666666666666,1.0,1.0,0.0,inf,2,2,3,0.970873786407767\n\
         nvr-8ch,cable-cat6-20m,0.3333333333333333,1.0,1.0,0.0,inf,1,1,3,0.9433962264150942\n"
    );
}

#[test]
fn malformed_rows_are_reported_skipped_and_counted_or_fatal_with_strict() {
    let file = data("baskets_malformed.csv");
    let out = mine(&[&file, "--min-support", "0.3", "--emit", "jsonl"]);
    assert_eq!(out.status.code(), Some(0));
    let report = stderr(&out);
    assert!(
        report.contains("baskets_malformed.csv:2: empty item in field 2 (row skipped)"),
        "{report}"
    );
    assert!(
        report.contains(
            "3 orders (3 distinct baskets) with 3 items, baskets; 1 malformed row(s) skipped"
        ),
        "{report}"
    );
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["antecedent"], serde_json::json!(["nvr-8ch"]));
    assert_eq!(lines[1]["conviction"], Value::Null); // confidence 1: never wrong
    assert_eq!(lines[0]["lift"].as_f64(), Some(1.5));
    let conviction = lines[0]["conviction"].as_f64().expect("finite");
    assert!((conviction - 4.0 / 3.0).abs() < 1e-12, "{conviction}");

    let out = mine(&[&file, "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("baskets_malformed.csv:2: empty item in field 2"));
}

#[test]
fn a_wrong_format_or_missing_file_is_reported() {
    let out = mine(&[&groceries(), "--format", "shopify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("groceries.csv:1: the header has no column \"Name\""),
        "{}",
        stderr(&out)
    );
    let out = mine(&["/nonexistent/orders.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("reading /nonexistent/orders.csv"));
    let out = mine(&[&groceries(), "--order-col", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!Path::new("rules.json").exists());
}

#[test]
fn into_keeps_a_backup_on_request_and_never_touches_the_config_on_failure() {
    let dir = scratch("backup");
    let config = dir.join("config.json");
    std::fs::copy(data("store_config.json"), &config).unwrap();
    let before = std::fs::read(&config).unwrap();
    let orders = data("shopify_orders_export.csv");
    let out = mine(&[&orders, "--into", config.to_str().unwrap(), "--backup"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read(dir.join("config.json.bak")).unwrap(), before);
    assert_ne!(std::fs::read(&config).unwrap(), before, "rules were merged");

    // A config that does not parse: exit 1, not a byte changed, no temporary left over.
    let broken = dir.join("broken.json");
    std::fs::write(&broken, b"{\"version\": 1, \"store\": ").unwrap();
    let out = mine(&[&orders, "--into", broken.to_str().unwrap()]);
    assert!(!out.status.success());
    assert_eq!(
        std::fs::read(&broken).unwrap(),
        b"{\"version\": 1, \"store\": "
    );
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp-")), "{names:?}");

    // Through a symlink: the link stays, the file it names gets the rules.
    let link = dir.join("linked.json");
    std::os::unix::fs::symlink(&config, &link).unwrap();
    let out = mine(&[&orders, "--into", link.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_min_count_is_the_support_it_amounts_to_and_excludes_min_support() {
    let run = |threshold: [&str; 2]| {
        let out = mine(&[
            &groceries(),
            threshold[0],
            threshold[1],
            "--min-lift",
            "0",
            "--max-len",
            "3",
            "--top",
            "10",
            "--summary-json",
            "-o",
            "-",
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let s = summary(&out);
        (
            s["min_count"].clone(),
            s["itemsets"].clone(),
            s["rules"].clone(),
            out.stdout,
        )
    };
    // ceil(0.0008 × 9,835) = 8 orders.
    let by_count = run(["--min-count", "8"]);
    assert_eq!(
        (&by_count.0, &by_count.1, &by_count.2),
        (&Value::from(8), &Value::from(13_340), &Value::from(14_845))
    );
    assert_eq!(by_count, run(["--min-support", "0.0008"]));
    let out = mine(&[
        &groceries(),
        "--min-count",
        "8",
        "--min-support",
        "0.01",
        "-o",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot be used with"),
        "{}",
        stderr(&out)
    );
}

/// Issue 23: lines that end with a space (the classic frequent-itemset benchmark files) are
/// read as baskets, and a file with no readable row is an error naming it, never "0
/// orders" with exit 0.
#[test]
fn trailing_spaces_are_not_items_and_a_file_without_an_order_is_an_error() {
    let dir = scratch("trailing-spaces");
    let spaced = dir.join("retail.dat");
    std::fs::write(&spaced, "1 2 3 \n1 2 \n\n2 3 \n1 2 3 \n").expect("writes");
    let out = mine(&[
        spaced.to_str().expect("utf-8"),
        "--format",
        "baskets",
        "--delimiter",
        " ",
        "--min-count",
        "2",
        "--min-lift",
        "0",
        "-o",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("empty item"), "{}", stderr(&out));
    let rules = rules_of(&String::from_utf8_lossy(&out.stdout));
    assert!(!rules.is_empty());

    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "a,,b\n,,c\n").expect("writes");
    let out = mine(&[bad.to_str().expect("utf-8"), "-o", "-"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "cartlift: error: {}:1: no order could be read: all 2 row(s) were malformed; the first: line 1: empty item in field 2",
            bad.display()
        )),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing written");
    let empty = dir.join("empty.csv");
    std::fs::write(&empty, "").expect("writes");
    let out = mine(&[empty.to_str().expect("utf-8"), "-o", "-"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("the input holds no rows of orders"));
}
