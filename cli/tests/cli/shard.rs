//! `cartlift shard`: the core, one shard per product and the cart shard on disk; an
//! earlier output replaced whole; any other folder left alone.

use cartlift_engine::RawConfig;
use cartlift_engine::config::raw::RawShard;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DEMO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../demo-site/cartlift/config.json"
);

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cartlift-shard-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn shard(config: &str, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cartlift"))
        .arg("shard")
        .arg(config)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .expect("runs")
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("a folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn the_demo_store_becomes_a_core_and_a_shard_per_product() {
    let dir = scratch("demo");
    let out = dir.join("site");
    let run = shard(DEMO, &out, &["--json"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout).expect("one JSON object");
    assert_eq!(summary["shards"], 27);
    assert_eq!(summary["pages_over_budget"], 0);
    assert_eq!(files(&out), ["config.json", "shards"]);

    let core: RawConfig =
        serde_json::from_str(&std::fs::read_to_string(out.join("config.json")).expect("core"))
            .expect("the core is a config");
    let shards = core.shards.as_ref().expect("marked as a core");
    assert_eq!(shards.path, "shards/");
    assert!(shards.cart, "the demo has a free-shipping rule");
    assert_eq!(
        summary["core_bytes"],
        std::fs::metadata(out.join("config.json"))
            .expect("core")
            .len()
    );
    let whole: RawConfig =
        serde_json::from_str(&std::fs::read_to_string(DEMO).expect("demo")).expect("demo");
    assert_eq!(core.store, whole.store);

    let names = files(&out.join("shards"));
    assert_eq!(names.len(), 28, "{names:?}");
    assert!(names.contains(&"cart.shard.json".to_owned()));
    let camera: RawShard = serde_json::from_str(
        &std::fs::read_to_string(out.join("shards/cam-dome-4mp.json")).expect("shard"),
    )
    .expect("a shard");
    // The camera's own entry, its complements and its upgrade, with their positions.
    let ids: Vec<&str> = camera.catalog.iter().map(|p| p.id.as_str()).collect();
    for id in ["cam-dome-4mp", "cable-cat6-20m", "nvr-8ch", "cam-dome-4k"] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    assert_eq!(camera.catalog.len(), camera.catalog_at.len());
    for (p, at) in camera.catalog.iter().zip(&camera.catalog_at) {
        assert_eq!(whole.catalog[*at as usize], *p);
    }
    for (r, at) in camera.rules.iter().zip(&camera.rules_at) {
        assert_eq!(whole.rules[*at as usize], *r);
    }
    assert!(camera.rules.iter().any(|r| r.id() == "up-dome-4k"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_earlier_output_is_replaced_whole_and_another_folder_refused() {
    let dir = scratch("replace");
    let out = dir.join("site");
    assert_eq!(shard(DEMO, &out, &[]).status.code(), Some(0));
    // A shard left from an earlier catalog goes with the old output.
    std::fs::write(out.join("shards/retired-product.json"), "{}").expect("write");
    let run = shard(DEMO, &out, &[]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!out.join("shards/retired-product.json").exists());
    assert_eq!(
        files(&dir),
        ["site"],
        "no staging or old folder left behind"
    );

    let other = dir.join("photos");
    std::fs::create_dir_all(&other).expect("mkdir");
    std::fs::write(other.join("summer.jpg"), "jpeg").expect("write");
    let run = shard(DEMO, &other, &[]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("is not an earlier `cartlift shard` output"),
        "{stderr}"
    );
    assert_eq!(files(&other), ["summer.jpg"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_invalid_config_is_not_sharded() {
    let dir = scratch("invalid");
    let config = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/configs/ten-mistakes.json"
    );
    let out = dir.join("site");
    let run = shard(config, &out, &[]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("ten-mistakes.json:"), "{stderr}");
    assert!(stderr.contains("fix them before sharding"), "{stderr}");
    assert!(!out.exists());
    let _ = std::fs::remove_dir_all(&dir);
}
