//! `cartlift schema`: the shipped schema file is exactly what the types generate.

use std::process::Command;

#[test]
fn the_shipped_schema_matches_the_types() {
    let out = Command::new(env!("CARGO_BIN_EXE_cartlift"))
        .arg("schema")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let shipped = include_str!("../../../engine/schema/config.v1.schema.json");
    assert!(
        String::from_utf8_lossy(&out.stdout) == shipped,
        "engine/schema/config.v1.schema.json is stale: run `cargo run -p cartlift-cli -- schema -o engine/schema/config.v1.schema.json`"
    );
    let schema: serde_json::Value = serde_json::from_str(shipped).expect("JSON");
    // Unknown fields are errors for editors too.
    assert_eq!(schema["$defs"]["RawProduct"]["additionalProperties"], false);
}
