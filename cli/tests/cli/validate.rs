//! `cartlift validate`.

use std::process::Command;

fn cartlift() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cartlift"))
}

#[test]
fn the_demo_config_is_valid() {
    let config = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../demo-site/cartlift/config.json"
    );
    let out = cartlift()
        .args(["validate", config])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("valid: 27 products, 103 rules"), "{stdout}");
}

#[test]
fn a_missing_file_is_an_io_error() {
    let out = cartlift()
        .args(["validate", "/nonexistent/config.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reading /nonexistent/config.json"));
}

#[test]
fn ten_seeded_mistakes_are_listed_with_file_line_column_and_path() {
    let config = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/configs/ten-mistakes.json"
    );
    let out = cartlift()
        .args(["validate", config])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let expected = [
        ":6:23: error in store.copy.en.product_tittle: unknown copy key `product_tittle`; did you mean `product_title`?",
        ":10:50: error in catalog[1].prise: unknown field `prise`; did you mean `price`?",
        ":11:45: error in catalog[2].price: price of `cable` (-18) is negative",
        ":12:7: error in catalog[3].id: duplicate product id `cam` (first at catalog[0])",
        ":13:21: error in catalog[4].title: product `disk` has an empty title",
        ":14:60: error in catalog[5].url: url of `mount` uses the scheme `javascript:`; only http, https and relative URLs are allowed",
        ":19:96: error in rules[0].consequent[1]: rule `cam-nvr` names unknown product `psu-12v`",
        ":21:29: error in rules[2].id: duplicate rule id `cam-extras` (first at rules[1])",
        ":22:5: error in rules[3]: upgrade cycle cam → cam-4k → cam (rules up-4k, down-4mp)",
        ":23:5: error in rules[4]: upgrade cycle cam → cam-4k → cam (rules up-4k, down-4mp)",
        ":24:5: error in rules[5]: threshold rule `free-ship` needs store.free_shipping_threshold, which is not set",
        ":25:66: error in rules[6].conditions.basket_value: rule `big-baskets` needs a basket value above its maximum, so it never fires",
        ":23:64: warning in rules[4].to: upgrade `down-4mp` offers `cam`, which costs no more than `cam-4k`",
        ":26:5: warning in rules[7]: rule `nvr-housing` only suggests out-of-stock products, so it shows nothing until they are back",
    ];
    assert_eq!(lines.len(), expected.len() + 1, "{stdout}");
    for (line, want) in lines.iter().zip(expected) {
        assert_eq!(*line, format!("{config}{want}"));
    }
    assert_eq!(
        lines[expected.len()],
        format!("{config}: invalid: 12 error(s)")
    );
}

#[test]
fn json_output_is_one_problem_per_line() {
    let config = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/configs/ten-mistakes.json"
    );
    let out = cartlift()
        .args(["validate", "--json", config])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let first: serde_json::Value =
        serde_json::from_str(stdout.lines().next().expect("a line")).expect("JSON");
    assert_eq!(
        first,
        serde_json::json!({"severity": "error", "path": "store.copy.en.product_tittle", "line": 6, "column": 23,
            "message": "unknown copy key `product_tittle`; did you mean `product_title`?"})
    );
    assert_eq!(stdout.lines().count(), 14);
}
