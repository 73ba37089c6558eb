//! Integration tests of the engine's public API.

mod bad_configs;
mod compiled;
mod fuzz_regressions;
mod properties;
mod ranking;
mod recommend;
mod report;
mod shard;
mod validation;

/// The demo store's config, as the demo site serves it.
fn demo_config_text() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../demo-site/cartlift/config.json"
    );
    std::fs::read_to_string(path).expect("the demo config")
}
