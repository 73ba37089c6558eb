//! `cartlift explain`.

use std::process::Command;

fn explain(args: &[&str]) -> (Option<i32>, String, String) {
    let config = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../demo-site/cartlift/config.json"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_cartlift"))
        .args(["explain", config, "--now", "2026-11-25"])
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
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
