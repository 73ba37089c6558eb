//! Replays the fuzz regression corpus (`engine/fuzz/regressions/<target>/`) through the
//! same functions the cargo-fuzz targets call (`cartlift_engine::fuzzing`), so an input
//! that crashed the engine once is checked by every `cargo test`, on stable. New crashes
//! found by `cargo xtask fuzz` are minimized and added there.

use std::path::{Path, PathBuf};

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn replay(target: &str, run: fn(&[u8])) {
    let files = corpus(target);
    let mut failures = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).expect("a readable regression file");
        assert!(
            bytes.len() <= cartlift_engine::fuzzing::MAX_LEN,
            "{}: regression files stay small",
            file.display()
        );
        if std::panic::catch_unwind(|| run(&bytes)).is_err() {
            failures.push(file.display().to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "{target}: {} of {} regression input(s) fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn config_regressions_replay_without_panic() {
    replay("config", cartlift_engine::fuzzing::config);
}

#[test]
fn orders_regressions_replay_without_panic() {
    replay("orders", cartlift_engine::fuzzing::orders);
}
