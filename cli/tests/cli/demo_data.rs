//! The demo config's mined rules are exactly what `cartlift mine --into` makes of the
//! committed demo order history, so they cannot drift from it (`cargo xtask demo-data`
//! regenerates both).

use std::process::Command;

#[test]
fn the_demo_configs_mined_rules_come_from_the_demo_order_history() {
    let dir = std::env::temp_dir().join(format!("cartlift-demo-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.json");
    std::fs::copy(cartlift_demo::config_path(), &config).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cartlift"))
        .arg("mine")
        .arg(cartlift_demo::orders_path())
        .arg("--into")
        .arg(&config)
        .args(cartlift_demo::orders::MINE_ARGS)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let remined = std::fs::read_to_string(&config).unwrap();
    let committed = std::fs::read_to_string(cartlift_demo::config_path()).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        remined == committed,
        "demo-site/cartlift/config.json differs from mining demo-site/data/orders.csv: run `cargo xtask demo-data`"
    );
}
