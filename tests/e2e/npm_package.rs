//! The npm package as a store's project gets it (issue 20): `cargo xtask test` packs
//! `cartlift-widget`, installs the tarball offline into a scratch project
//! (`$CARTLIFT_NPM_PROJECT`, from tests/npm/) and type-checks the project's TypeScript.
//! Here a page of that project loads the widget from `node_modules/cartlift-widget/`: it
//! shows suggestions, adds through the page's `onAddToCart`, and sends every event; the
//! details it really sent are then written out as TypeScript and checked by `tsc --strict`
//! against the package's declarations, so a field the widget sends that the declarations
//! lack (or the reverse) fails.

use anyhow::{Context, Result, bail, ensure};
use cartlift_e2e::{Browser, shadow};
use serde_json::Value;
use std::path::PathBuf;

fn project() -> Result<PathBuf> {
    let dir = std::env::var_os("CARTLIFT_NPM_PROJECT")
        .map(PathBuf::from)
        .context("CARTLIFT_NPM_PROJECT is not set: run `cargo xtask test`, whose release stage installs the npm package into a scratch project")?;
    ensure!(
        dir.join("node_modules/cartlift-widget/cartlift.js")
            .is_file(),
        "{} has no node_modules/cartlift-widget/: run `cargo xtask dist`'s checks (cargo xtask test) first",
        dir.display()
    );
    Ok(dir)
}

/// The interface in the package's index.d.ts for each event.
fn detail_type(event: &str) -> Option<&'static str> {
    Some(match event {
        "cartlift:impression" => "CartliftImpressionDetail",
        "cartlift:click" => "CartliftClickDetail",
        "cartlift:add-to-cart" => "CartliftAddToCartDetail",
        "cartlift:dismiss" => "CartliftDismissDetail",
        _ => return None,
    })
}

#[tokio::test]
async fn a_page_loads_the_widget_from_node_modules_and_its_events_match_the_declarations()
-> Result<()> {
    let dir = project()?;
    let server = cartlift_demo::server::start(&dir, 0)?;
    let browser = Browser::start().await?;
    browser
        .goto(&format!("{}/index.html", server.url()))
        .await?;
    let root = shadow("product");
    browser
        .wait_for(
            "suggestions from the npm package",
            &format!("{root}.querySelectorAll('.card[data-product]').length > 0"),
        )
        .await?;
    let loaded: Vec<String> = browser
        .eval(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => p.includes('cartlift'))",
            vec![],
        )
        .await?;
    ensure!(
        loaded
            .iter()
            .any(|p| p == "/node_modules/cartlift-widget/cartlift_widget_bg.wasm"),
        "the wasm did not come from node_modules: {loaded:?}"
    );

    // A click and an add on one card, a dismiss on another.
    let cards: Vec<String> = browser
        .eval(
            &format!("return [...{root}.querySelectorAll('.card[data-product]')].map(c => c.dataset.product)"),
            vec![],
        )
        .await?;
    ensure!(cards.len() >= 2, "too few cards to try: {cards:?}");
    let card = |i: usize, what: &str| {
        format!(
            "{root}.querySelector('.card[data-product=\"{}\"] {what}')",
            cards[i]
        )
    };
    browser.click(&card(0, "a.name")).await?;
    browser.click(&card(0, "button.add")).await?;
    browser
        .wait_for("the page's add handler", "window.__added.length === 1")
        .await?;
    browser.click(&card(1, "button.dismiss")).await?;
    let all = "['impression', 'click', 'add-to-cart', 'dismiss'].every(n => window.__events.some(e => e.type === 'cartlift:' + n))";
    if let Err(e) = browser
        .wait_for("an impression, a click, an add and a dismiss", all)
        .await
    {
        let sent: Vec<String> = browser
            .eval("return window.__events.map(e => e.type)", vec![])
            .await?;
        bail!("{e:#}; the events sent: {sent:?}");
    }
    let added: Vec<Value> = browser.eval("return window.__added", vec![]).await?;
    assert_eq!(added[0]["id"], cards[0].as_str(), "{added:?}");
    assert_eq!(added[0]["placement"], "product", "{added:?}");
    let events: Vec<Value> = browser.eval("return window.__events", vec![]).await?;
    browser.assert_clean().await?;
    browser.close().await?;

    // What the widget sent, as TypeScript object literals typed by the declarations:
    // excess-property and missing-property checks apply to each.
    let mut ts = String::from(
        "// Written by tests/e2e/npm_package.rs: event details and an add item a real widget sent.\n\
         import type { CartliftAddItem, CartliftAddToCartDetail, CartliftClickDetail, CartliftDismissDetail, CartliftImpressionDetail } from 'cartlift-widget';\n",
    );
    for (i, event) in events.iter().enumerate() {
        let name = event["type"].as_str().unwrap_or_default();
        let Some(ty) = detail_type(name) else {
            bail!("an event the declarations do not name: {name}");
        };
        ts += &format!("export const detail{i}: {ty} = {};\n", event["detail"]);
    }
    for (i, item) in added.iter().enumerate() {
        ts += &format!("export const added{i}: CartliftAddItem = {item};\n");
    }
    let captured = dir.join("captured.ts");
    std::fs::write(&captured, &ts)?;
    let tsc = std::env::var_os("TSC")
        .context("TSC (TypeScript's bin/tsc) is not set: run under cargo xtask test")?;
    let out = std::process::Command::new("node")
        .arg(tsc)
        .args(["--project", "tsconfig.json", "--noEmit", "--strict"])
        .current_dir(&dir)
        .output()
        .context("running tsc")?;
    ensure!(
        out.status.success(),
        "the details the widget sent do not type-check against index.d.ts:\n{}{}\n{ts}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}
