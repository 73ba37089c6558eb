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
    assert!(stdout.contains("valid: 27 products, 49 rules"), "{stdout}");
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
