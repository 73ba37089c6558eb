//! `cartlift explain`.

use crate::cartlift;

fn explain(args: &[&str]) -> (Option<i32>, String, String) {
    let config = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../demo-site/cartlift/config.json"
    );
    let mut all = vec!["explain", config, "--now", "2026-11-25"];
    all.extend_from_slice(args);
    cartlift(&all)
}

#[test]
fn shows_suggestions_scores_reasons_and_what_was_left_out() {
    let (code, out, _) = explain(&[
        "--placement",
        "product",
        "--product",
        "cam-dome-4mp",
        "--basket",
        "hdd-2tb",
    ]);
    assert_eq!(code, Some(0), "{out}");
    for line in [
        "basket    1×hdd-2tb (value USD 69.00)",
        "  1. cable-cat6-20m (Outdoor Cat6 Cable 20 m, Pre-terminated)  USD 18.00  priority 0  score 0.391",
        "       bought_together `mined:cam-dome-4mp->cable-cat6-20m`: Bought together with Dome Camera 4 MP, PoE by 53% of shoppers",
        "  hdd-2tb (Surveillance Hard Disk 2 TB) from bought_together `mined:cam-dome-4mp->hdd-2tb`: it is already in the basket",
    ] {
        assert!(out.lines().any(|l| l == line), "missing {line:?} in\n{out}");
    }
}

#[test]
fn bad_arguments_are_usage_errors() {
    let (code, _, err) = explain(&["--placement", "sidebar"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("--placement sidebar: use product, cart, checkout or confirmation"),
        "{err}"
    );
    let (code, _, err) = explain(&["--placement", "product", "--product", "nope"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("product `nope` is not in the catalog"),
        "{err}"
    );
}

/// The demo's camera page, in the order the end-to-end tests expect the bundle and the
/// rest of the placement (`tests/e2e/product_page.rs`, `tests/e2e/adapters.rs`): the
/// junction box, bought by fewer shoppers, above the recorder since the ranking discounts
/// popular consequents (issue 8).
#[test]
fn the_demo_camera_page_ranks_what_the_end_to_end_tests_expect() {
    let ranked = |basket: &[&str]| -> Vec<String> {
        let mut args = vec!["--placement", "product", "--product", "cam-dome-4mp"];
        if !basket.is_empty() {
            args.push("--basket");
        }
        let joined = basket.join(",");
        if !basket.is_empty() {
            args.push(&joined);
        }
        let (code, out, err) = explain(&args);
        assert_eq!(code, Some(0), "{err}");
        out.lines()
            .filter_map(|l| {
                let (n, rest) = l.trim_start().split_once(". ")?;
                n.parse::<u32>().ok()?;
                Some(rest.split(' ').next()?.to_string())
            })
            .collect()
    };
    assert_eq!(
        ranked(&[]),
        [
            "cable-cat6-20m",
            "junction-box",
            "nvr-8ch",
            "sign-cctv",
            "install-kit"
        ]
    );
    assert_eq!(
        ranked(&["cable-cat6-20m", "hdd-2tb"]),
        ["junction-box", "nvr-8ch", "sign-cctv", "install-kit"]
    );
}

/// The demo config with the two segment rules of the end-to-end test
/// (`tests/e2e/segments.rs`), in a file.
fn segment_config() -> std::path::PathBuf {
    let demo = include_str!("../../../demo-site/cartlift/config.json");
    let rules = r#""rules": [
    {"kind": "cross_sell", "id": "vip-ups", "priority": 9, "conditions": {"segments": ["vip"], "placements": ["cart"]}, "suggest": {"products": ["ups-600va"]}},
    {"kind": "cross_sell", "id": "trade-tools", "priority": 8, "conditions": {"segments": ["trade", "installer"], "placements": ["cart"]}, "suggest": {"products": ["poe-switch-8"]}},"#;
    assert!(demo.contains(r#""rules": ["#));
    let dir = std::env::temp_dir().join(format!("cartlift-explain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("segments.json");
    std::fs::write(&path, demo.replacen(r#""rules": ["#, rules, 1)).expect("written");
    path
}

#[test]
fn segments_are_repeated_or_comma_or_space_separated_and_any_one_fires_a_rule() {
    let config = segment_config();
    let run = |segments: &[&str]| -> (Vec<String>, String) {
        let mut args = vec![
            "explain".to_owned(),
            config.display().to_string(),
            "--placement".into(),
            "cart".into(),
            "--basket".into(),
            "cam-dome-4mp".into(),
        ];
        for s in segments {
            args.push("--segment".into());
            args.push((*s).into());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, text, _) = cartlift(&args);
        assert_eq!(code, Some(0), "{text}");
        let ranked = text
            .lines()
            .filter_map(|l| {
                let (n, rest) = l.trim_start().split_once(". ")?;
                n.parse::<u32>().ok()?;
                Some(rest.split(' ').next()?.to_string())
            })
            .collect();
        (ranked, text)
    };
    let (plain, out) = run(&[]);
    assert!(
        !plain
            .iter()
            .any(|p| p == "ups-600va" || p == "poe-switch-8"),
        "{out}"
    );
    for line in [
        "  cross_sell `vip-ups` did not fire: the shopper is in none of its segments (vip)",
        "  cross_sell `trade-tools` did not fire: the shopper is in none of its segments (trade, installer)",
    ] {
        assert!(out.lines().any(|l| l == line), "missing {line:?} in\n{out}");
    }
    assert!(!out.contains("segments  "), "{out}");

    let (vip, out) = run(&["vip,returning"]);
    assert_eq!(vip.first().map(String::as_str), Some("ups-600va"), "{out}");
    assert!(
        out.lines().any(|l| l == "segments  vip, returning"),
        "{out}"
    );
    assert!(!out.contains("`vip-ups` did not fire"), "{out}");
    // Repeated, space-separated as in `data-segments`, with stray spaces and commas: the
    // same shopper.
    for same in [
        &["returning", " vip "][..],
        &["vip returning"],
        &["vip,,returning,"],
    ] {
        assert_eq!(run(same).0, vip, "{same:?}");
    }
    // Any one of a rule's segments fires it; names match exactly.
    let (installer, out) = run(&["installer"]);
    assert_eq!(
        installer.first().map(String::as_str),
        Some("poe-switch-8"),
        "{out}"
    );
    assert!(!installer.iter().any(|p| p == "ups-600va"), "{out}");
    assert_eq!(run(&["VIP"]).0, plain);
    let _ = std::fs::remove_file(&config);
}
