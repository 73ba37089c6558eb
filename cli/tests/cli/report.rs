//! `cartlift report`: each platform's order export (written from its documented columns,
//! see `cli/tests/data/report/README.md`), the widget's events as cartlift's `dataLayer`
//! lines and as GA4 BigQuery export rows, the HTML page, and a simulated store with a
//! planted effect read back through files, which must give exactly what the engine
//! computes on it.

use cartlift_engine::report::events::Events;
use cartlift_engine::report::{Settings, build};
use cartlift_engine::synthetic::holdout::HoldoutSpec;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn data(name: &str) -> String {
    format!("{}/tests/data/report/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cartlift-report-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Exit code, stdout, stderr.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cartlift"))
        .arg("report")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The JSON report and stderr; exit 0 asserted.
fn json(args: &[&str]) -> (Value, String) {
    let mut all = args.to_vec();
    all.push("--json");
    let (code, stdout, stderr) = run(&all);
    assert_eq!(code, 0, "{stderr}");
    (
        serde_json::from_str(&stdout).expect("one JSON object"),
        stderr,
    )
}

/// (bucket, orders, revenue) per row.
fn buckets(r: &Value) -> Vec<(String, u64, f64)> {
    r["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .map(|b| {
            (
                b["bucket"].as_str().unwrap_or_default().to_string(),
                b["orders"].as_u64().unwrap_or_default(),
                b["revenue"].as_f64().unwrap_or_default(),
            )
        })
        .collect()
}

fn row(bucket: &str, orders: u64, revenue: f64) -> (String, u64, f64) {
    (bucket.to_string(), orders, revenue)
}

fn notes(r: &Value) -> Vec<String> {
    r["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| n.as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn shopify_export_buckets_and_the_widgets_adds_matched_through_the_catalog() {
    let orders = data("shopify_orders_export.csv");
    let config = data("store_config.json");
    let (r, stderr) = json(&[&orders, "--experiment", "q4", "--config", &config]);
    assert_eq!(r["formats"], "Shopify orders export");
    assert_eq!(r["currency"], "USD");
    assert_eq!(
        buckets(&r),
        [
            row("treatment", 4, 660.0),
            row("holdout", 3, 786.0),
            row("no bucket", 1, 12.0)
        ]
    );
    assert_eq!(r["period"], serde_json::json!(["2025-03-01", "2025-03-10"]));
    // `control` is no bucket: the order is kept without one, and the row named.
    assert!(
        stderr.contains(
            "shopify_orders_export.csv:23: bucket \"control\" is neither treatment nor holdout \
             (order #1008 counted without a bucket)"
        ),
        "{stderr}"
    );
    let notes = notes(&r);
    assert!(notes.contains(&"1 cancelled, failed or refunded order(s) left out".to_string()));
    assert!(notes.contains(&"2 order(s) of another experiment, or of none, left out".to_string()));
    // #1002's and #1011's disk is the line with SKU HDD-2TB-WD, the catalog's `hdd-2tb`;
    // #1002's cable was added but not bought.
    assert_eq!(
        r["attributed"],
        serde_json::json!({"key": "all", "added": 5, "bought": 4, "orders": 4, "revenue": 178.0})
    );
    assert_eq!(r["by_rule"][0]["key"], "mined:nvr-8ch->hdd-2tb");
    assert_eq!(r["by_rule"][0]["revenue"], 138.0);
    assert_eq!(r["by_placement"][0]["key"], "cart");
    // Seven orders: the figures, and how many more orders it takes.
    let e = &r["order_value"];
    assert_eq!(e["verdict"], "TooFewOrders");
    assert_eq!(e["difference"]["estimate"], -97.0);
    let sentence = e["sentence"].as_str().expect("sentence");
    assert!(
        sentence.starts_with(
            "no measurable effect yet: too few orders for an interval (4 in the treatment, 3 in \
             the holdout; it takes 20 in each); about "
        ),
        "{sentence}"
    );
    assert!(
        sentence.ends_with(" more orders needed to detect +5%"),
        "{sentence}"
    );

    // Without the catalog a line's SKU is the product id: the disks are not found.
    let (r, _) = json(&[&orders, "--experiment", "q4"]);
    assert_eq!(r["attributed"]["bought"], 2);
    assert_eq!(r["attributed"]["revenue"], 40.0);
}

#[test]
fn orders_of_several_experiments_need_one_picked() {
    let (code, _, stderr) = run(&[&data("shopify_orders_export.csv")]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("the orders are from 2 experiments (q3, q4): pick one with --experiment"),
        "{stderr}"
    );
    // The old experiment alone.
    let (r, _) = json(&[&data("shopify_orders_export.csv"), "--experiment", "q3"]);
    assert_eq!(
        buckets(&r),
        [row("treatment", 1, 308.0), row("holdout", 0, 0.0)]
    );
    assert!(
        notes(&r)
            .iter()
            .any(|n| n.starts_with("no order is in the holdout"))
    );
}

#[test]
fn woocommerce_export_with_the_bucket_as_order_meta() {
    let (r, _) = json(&[&data("woocommerce_order_export.csv")]);
    assert_eq!(r["formats"], "WooCommerce order export");
    assert_eq!(
        buckets(&r),
        [row("treatment", 2, 186.0), row("holdout", 2, 261.0)]
    );
    // 413's mount was bought, its cable not; 411's cable was.
    assert_eq!(
        r["attributed"],
        serde_json::json!({"key": "all", "added": 3, "bought": 2, "orders": 2, "revenue": 28.0})
    );
    assert!(notes(&r).contains(&"1 cancelled, failed or refunded order(s) left out".to_string()));
}

#[test]
fn an_export_without_a_bucket_is_refused_with_what_to_do() {
    let analytics = format!(
        "{}/tests/data/orders/woocommerce_analytics_orders.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let (code, stdout, stderr) = run(&[&analytics]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stderr.contains("no order carries a holdout bucket"),
        "{stderr}"
    );
    assert!(stderr.contains("`_cartlift_bucket` column"), "{stderr}");
    assert!(stderr.contains("plain CSV"), "{stderr}");
    // A header of no known export: exit 1, named.
    let dir = scratch("unknown");
    let file = dir.join("orders.csv");
    std::fs::write(&file, "Foo,Bar\n1,2\n").expect("write");
    let (code, _, stderr) = run(&[file.to_str().expect("path")]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("orders.csv:1: the header is not one of"),
        "{stderr}"
    );
}

#[test]
fn plain_orders_with_the_widgets_events() {
    let orders = data("orders.csv");
    let events = data("events.jsonl");
    let (r, stderr) = json(&[&orders, "--events", &events]);
    assert!(
        stderr.contains("orders.csv:4: total \"12,50\" is not a number (row skipped)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("events.jsonl:27: not JSON: EOF while parsing an object"),
        "{stderr}"
    );
    assert!(stderr.contains("(line skipped)"), "{stderr}");
    assert_eq!(r["currency"], "EUR");
    assert_eq!(
        buckets(&r),
        [row("treatment", 4, 435.5), row("holdout", 3, 185.0)]
    );
    let sessions: Vec<&Value> = r["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .map(|b| &b["sessions"])
        .collect();
    assert_eq!(sessions, [&Value::from(9), &Value::from(4)]);
    let e = &r["events"];
    assert_eq!(e["source"], "Cartlift");
    assert_eq!(
        (&e["lines"], &e["counted"], &e["without_session"]),
        (&Value::from(26), &Value::from(20), &Value::from(1))
    );
    assert_eq!(
        (&e["duplicates"], &e["other_events"]),
        (&Value::from(4), &Value::from(1))
    );
    let placements: Vec<(String, String, u64, u64, u64)> = r["placements"]
        .as_array()
        .expect("placements")
        .iter()
        .map(|p| {
            (
                p["bucket"].as_str().unwrap_or_default().to_string(),
                p["placement"].as_str().unwrap_or_default().to_string(),
                p["sessions"].as_u64().unwrap_or_default(),
                p["click_sessions"].as_u64().unwrap_or_default(),
                p["add_sessions"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let p = |b: &str, pl: &str, s, c, a| (b.to_string(), pl.to_string(), s, c, a);
    assert_eq!(
        placements,
        [
            p("treatment", "cart", 5, 1, 1),
            p("treatment", "product", 4, 2, 1),
            p("holdout", "cart", 2, 0, 0),
            p("holdout", "product", 2, 0, 0)
        ]
    );
    assert_eq!(r["per_session"]["verdict"], "TooFewOrders");
    let said = notes(&r);
    assert!(
        said.iter()
            .any(|n| n.starts_with("1 event(s) had no session key")),
        "{said:?}"
    );
    assert!(
        said.contains(
            &"4 GA4 ecommerce event(s) not counted: cartlift's own lines record the same events"
                .to_string()
        ),
        "{said:?}"
    );
    // The rule id (hostile on purpose) is data, kept as written.
    assert_eq!(r["by_rule"][1]["key"], "<img src=x onerror=alert(1)>");

    // A period: the orders of 2025-03-01 and 03-02, the events with a time in it.
    let (r, _) = json(&[
        &orders,
        "--events",
        &events,
        "--from",
        "2025-03-01",
        "--until",
        "2025-03-02",
    ]);
    assert_eq!(
        buckets(&r),
        [row("treatment", 2, 215.5), row("holdout", 1, 80.0)]
    );
    assert_eq!(r["from"], "2025-03-01");
    assert!(notes(&r).contains(&"4 order(s) outside --from/--until left out".to_string()));
    assert!(
        notes(&r)
            .iter()
            .any(|n| n.ends_with("event(s) outside --from/--until, or without a time, left out")),
        "{:?}",
        notes(&r)
    );

    // --strict: the first bad row is fatal.
    let (code, _, stderr) = run(&[&orders, "--strict"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("cartlift: error: ") && stderr.contains("orders.csv:4: total \"12,50\""),
        "{stderr}"
    );
}

#[test]
fn ga4_bigquery_export_rows_count_sessions_of_user_and_ga_session() {
    let (r, stderr) = json(&[
        &data("orders.csv"),
        "--events",
        &data("ga4_bigquery_events.jsonl"),
    ]);
    assert!(!stderr.contains("ga4_bigquery_events"), "{stderr}");
    let e = &r["events"];
    assert_eq!(e["source"], "Ga4");
    // 5 session_start rows and the store's own add_to_cart are not the widget's.
    assert_eq!(
        (&e["counted"], &e["other_events"], &e["without_session"]),
        (&Value::from(10), &Value::from(6), &Value::from(1))
    );
    let sessions: Vec<&Value> = r["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .map(|b| &b["sessions"])
        .collect();
    assert_eq!(sessions, [&Value::from(3), &Value::from(2)]);
    // 4 treatment orders but 3 sessions: the events do not cover the orders; said, not
    // compared.
    assert_eq!(r["per_session"], Value::Null);
    assert!(
        notes(&r)
            .iter()
            .any(|n| n
                .starts_with("treatment has more orders (4) than sessions with an impression (3)")),
        "{:?}",
        notes(&r)
    );
    let product = r["placements"]
        .as_array()
        .expect("placements")
        .iter()
        .find(|p| p["bucket"] == "treatment" && p["placement"] == "product")
        .expect("treatment product");
    assert_eq!(
        (
            &product["adds"],
            &product["added_value"],
            &product["add_sessions"]
        ),
        (&Value::from(2), &Value::from(32.0), &Value::from(2))
    );
}

#[test]
fn the_html_page_is_self_contained_and_escapes_shop_data() {
    let dir = scratch("html");
    let page = dir.join("report.html");
    let (code, stdout, stderr) = run(&[
        &data("orders.csv"),
        "--events",
        &data("events.jsonl"),
        "--html",
        page.to_str().expect("path"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("cartlift report: 7 order(s) from plain orders CSV"));
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(html.starts_with("<!DOCTYPE html>"));
    for absent in [
        "<script", "http://", "https://", "<link", "@import", "url(", "<img",
    ] {
        assert!(!html.contains(absent), "{absent}");
    }
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("<svg"), "charts are inline SVG");
    assert!(html.contains("Orders per bucket") && html.contains("Top rules"));
}

#[test]
fn flags_checked_before_anything_is_read() {
    let orders = data("orders.csv");
    for (args, message) in [
        (
            vec![orders.as_str(), "--from", "2025-3-1"],
            "--from 2025-3-1: use a date, YYYY-MM-DD",
        ),
        (
            vec![
                orders.as_str(),
                "--from",
                "2025-03-05",
                "--until",
                "2025-03-01",
            ],
            "--from 2025-03-05 is after --until 2025-03-01",
        ),
        (
            vec![orders.as_str(), "--resamples", "10"],
            "--resamples 10: use at least 100",
        ),
        (vec!["no-such-file.csv"], "reading no-such-file.csv"),
    ] {
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

/// A simulated store (+5% planted) written as the plain CSV and the widget's events:
/// what the CLI reads back is what the engine computes on the store itself.
#[test]
fn a_simulated_store_through_files_gives_the_engines_figures() {
    let spec = HoldoutSpec {
        sessions: 20_000,
        ..HoldoutSpec::STORE
    };
    let store = spec.generate(5);
    let dir = scratch("simulated");
    let (orders, events, page) = (
        dir.join("orders.csv"),
        dir.join("events.jsonl"),
        dir.join("report.html"),
    );
    std::fs::write(&orders, store.orders_csv()).expect("orders");
    std::fs::write(&events, store.events_jsonl()).expect("events");
    let path = |p: &PathBuf| p.to_str().expect("path").to_string();
    let (r, stderr) = json(&[
        &path(&orders),
        "--events",
        &path(&events),
        "--resamples",
        "500",
        "--html",
        &path(&page),
    ]);
    assert!(stderr.is_empty(), "{stderr}");
    let settings = Settings {
        resamples: 500,
        ..Settings::default()
    };
    let sessions = store.session_counts();
    let engine = build(
        &store.orders,
        Some(&Events {
            sessions,
            ..Events::default()
        }),
        &settings,
    );
    let close = |json: &Value, x: f64| (json.as_f64().expect("a number") - x).abs() < 1e-6;
    for (b, row) in engine
        .buckets
        .iter()
        .zip(r["buckets"].as_array().expect("rows"))
    {
        assert_eq!(row["orders"], b.orders);
        assert!(close(&row["revenue"], b.revenue));
    }
    assert_eq!(r["buckets"][0]["sessions"], sessions[0]);
    assert_eq!(r["buckets"][1]["sessions"], sessions[1]);
    for (key, effect) in [
        ("order_value", engine.order_value.as_ref()),
        ("per_session", engine.per_session.as_ref()),
    ] {
        let effect = effect.expect("an interval");
        let d = &r[key]["difference"];
        assert!(close(&d["estimate"], effect.difference.estimate), "{key}");
        assert!(close(&d["low"], effect.difference.low), "{key}");
        assert!(close(&d["high"], effect.difference.high), "{key}");
        assert_eq!(r[key]["sentence"], effect.sentence(Some("USD")));
    }
    assert!(close(
        &r["attributed"]["revenue"],
        engine.attributed.revenue
    ));
    assert_eq!(r["attributed"]["added"], engine.attributed.added);
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(html.contains("Difference in average order value"));
    assert!(html.contains("Difference in revenue per session"));
    assert!(html.contains("Revenue per day"));
}
