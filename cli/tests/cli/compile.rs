//! `cartlift compile`: a valid config becomes the `.bin` the widget's small build reads,
//! which reads back as the same config; an invalid one is refused with its problems, and
//! nothing is written.

use cartlift_engine::Config;
use std::path::PathBuf;
use std::process::{Command, Output};

const DEMO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../demo-site/cartlift/config.json"
);

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cartlift-compile-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn compile(config: &std::path::Path, out: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cartlift"))
        .arg("compile")
        .arg(config)
        .arg("-o")
        .arg(out)
        .output()
        .expect("runs")
}

#[test]
fn the_demo_config_compiles_to_what_it_says() {
    let dir = scratch("demo");
    let out = dir.join("config.bin");
    let run = compile(DEMO.as_ref(), &out);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let bytes = std::fs::read(&out).expect("written");
    let source = Config::from_json(&std::fs::read_to_string(DEMO).unwrap()).unwrap();
    let read = Config::from_compiled(&bytes).expect("reads back");
    assert_eq!(read.products(), source.products());
    assert_eq!(read.rules(), source.rules());
    assert!(
        stderr.contains(&format!(
            "compiled {} products and {} rules into {} ({} bytes;",
            source.products().len(),
            source.rules().len(),
            out.display(),
            bytes.len()
        )),
        "{stderr}"
    );
}

#[test]
fn an_invalid_config_or_a_wrong_name_writes_nothing() {
    let dir = scratch("invalid");
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"version": 1, "store": {"currency": "USD"},
  "catalog": [{"id": "cam", "title": "Camera", "price": -3}], "rules": []}"#,
    )
    .unwrap();
    let out = dir.join("config.bin");
    let run = compile(&bad, &out);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(run.stdout.is_empty(), "problems are diagnostics, on stderr");
    assert!(stderr.contains("bad.json:2:"), "{stderr}");
    assert!(
        stderr.contains("a compiled config must be valid"),
        "{stderr}"
    );
    assert!(!out.exists());

    let named = dir.join("config.json");
    let run = compile(DEMO.as_ref(), &named);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("must end in .bin"), "{stderr}");
    assert!(!named.exists());
}
