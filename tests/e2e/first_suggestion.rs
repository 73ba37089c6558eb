//! Time to the first suggestion over a slow network: a report, not a timed assertion.
//!
//! On 127.0.0.1 a round trip costs nothing, so the order in which the page fetches the
//! widget's files hides in local runs; on a shopper's phone each round trip is 50–150 ms.
//! This runs the product page with Chromium's network emulation at 100 ms of latency per
//! request, a cold cache and a fresh profile, for the JSON build, the compiled build and
//! the compiled build on a Shopify cart, and reports (to stderr and to
//! `target/reports/first-suggestion.md`) when the first suggestion showed and when each of
//! the widget's requests started and ended. What it asserts is only that the suggestions
//! come, every run: timings on a shared machine are for reading, not for failing a test.

use anyhow::{Context, Result, ensure};
use cartlift_e2e::fake_store::Store;
use cartlift_e2e::{Browser, Site};
use serde::Deserialize;
use serde_json::json;
use std::fmt::Write as _;

/// Emulated latency added to every request, in ms.
const LATENCY_MS: u32 = 100;
/// Cold loads per page; the report gives their median.
const RUNS: usize = 3;

/// Before the page's own scripts: bring the first placement into view as soon as it is
/// in the document (a shopper who scrolls to it at once), then note the time (ms since
/// navigation) at which any placement first shows a product.
const PROBE: &str = r#"(() => {
  const found = () => [...document.querySelectorAll('cartlift-suggestions')]
    .some((e) => e.shadowRoot?.querySelector('[data-product]'));
  let scrolled = false;
  const tick = () => {
    const first = document.querySelector('cartlift-suggestions');
    if (first && !scrolled) { scrolled = true; first.scrollIntoView({ block: 'center' }); }
    if (found()) { window.__firstSuggestion = performance.now(); return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();"#;

/// What one cold load measured.
#[derive(Debug, Deserialize)]
struct Load {
    /// ms from navigation to the first product shown.
    first: f64,
    /// The widget's requests: (name, start, end), ms from navigation.
    requests: Vec<(String, f64, f64)>,
}

/// One cold load of `url` at [`LATENCY_MS`].
async fn cold_load(url: &str) -> Result<Load> {
    let browser = Browser::start().await?;
    browser.cdp("Network.enable", json!({})).await?;
    browser
        .cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true }))
        .await?;
    browser
        .cdp(
            "Network.emulateNetworkConditions",
            json!({
                "offline": false,
                "latency": LATENCY_MS,
                "downloadThroughput": -1,
                "uploadThroughput": -1,
            }),
        )
        .await?;
    browser.before_each_page(PROBE).await?;
    browser.goto(url).await?;
    browser
        .wait_for(
            "the first suggestion",
            "typeof window.__firstSuggestion === 'number'",
        )
        .await?;
    // The widget's own requests and the cart read, in the order they started.
    let load: Load = browser
        .eval(
            r#"const mine = /\/cartlift\/|\/cart\.js|\/wp-json\//;
return {
  first: window.__firstSuggestion,
  requests: performance.getEntriesByType('resource')
    .filter((e) => mine.test(e.name))
    .map((e) => [new URL(e.name).pathname, e.startTime, e.responseEnd]),
};"#,
            vec![],
        )
        .await
        .context("reading the page's timings")?;
    browser.assert_clean().await?;
    browser.close().await?;
    Ok(load)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// [`RUNS`] cold loads of `url`, as a section of the report.
async fn report(title: &str, url: &str) -> Result<String> {
    let mut loads = Vec::new();
    for _ in 0..RUNS {
        loads.push(cold_load(url).await?);
    }
    let firsts: Vec<f64> = loads.iter().map(|l| l.first).collect();
    let mut out = format!(
        "### {title}\n\nfirst suggestion: **{:.0} ms** median (runs: {})\n\n| request (median run) | start | end |\n|---|---:|---:|\n",
        median(firsts.clone()),
        firsts
            .iter()
            .map(|f| format!("{f:.0}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let typical = loads
        .iter()
        .min_by(|a, b| {
            let m = median(firsts.clone());
            (a.first - m).abs().total_cmp(&(b.first - m).abs())
        })
        .context("no runs")?;
    for (name, start, end) in &typical.requests {
        writeln!(out, "| `{name}` | {start:.0} | {end:.0} |")?;
    }
    for load in &loads {
        // Each file once: a preload hint the loader's request did not match would show
        // as a second request for the same URL.
        let mut names: Vec<&str> = load.requests.iter().map(|(n, _, _)| n.as_str()).collect();
        names.sort_unstable();
        ensure!(
            names.windows(2).all(|w| w[0] != w[1]),
            "{title}: a file fetched twice: {names:?}"
        );
        ensure!(
            load.requests
                .iter()
                .any(|(name, _, _)| name.ends_with(".wasm")),
            "{title}: no wasm request recorded: {load:?}"
        );
    }
    Ok(out)
}

#[tokio::test]
async fn the_first_suggestion_over_a_100_ms_network_is_reported() -> Result<()> {
    let site = Site::start()?;
    let dir = std::env::var("CARTLIFT_SITE")?;
    let product = std::fs::read_to_string(format!("{dir}/products/cam-dome-4mp.html"))?;
    // The same page with the compiled config: what a store that ran `cartlift compile` has.
    let compiled_page = product
        .replace(
            "data-config=\"/cartlift/config.json\"",
            "data-config=\"/cartlift/config.bin\"",
        )
        .replace(
            "href=\"/cartlift/cartlift_widget.js\"",
            "href=\"/cartlift/cartlift_compiled.js\"",
        );
    ensure!(
        compiled_page != product,
        "the product page names no config.json"
    );
    // And with the README's hints in <head>: the glue and the config fetched while the
    // page is parsed, before the loader runs.
    let hinted_page = compiled_page.replace(
        "</head>",
        "<link rel=\"preload\" href=\"/cartlift/config.bin\" as=\"fetch\" crossorigin>\n</head>",
    );
    let compiled = Site::with_handler(move |request| {
        let page = match request.path.as_str() {
            "/products/cam-dome-4mp.html" => &compiled_page,
            "/hinted/cam-dome-4mp.html" => &hinted_page,
            _ => return None,
        };
        Some(cartlift_demo::http::Response::new(
            200,
            "text/html; charset=utf-8",
            page.clone(),
        ))
    })?;
    let shopify = Store::shopify_compiled()?;

    let mut out = format!(
        "## Time to first suggestion at {LATENCY_MS} ms latency\n\nCold cache, fresh profile, Chromium's network emulation; times in ms from navigation, {RUNS} runs each.\n\n"
    );
    for (title, url) in [
        (
            "JSON config (the demo's product page)",
            site.url("/products/cam-dome-4mp.html"),
        ),
        (
            "compiled config, js cart",
            compiled.url("/products/cam-dome-4mp.html"),
        ),
        (
            "compiled config, js cart, the README's preload hints",
            compiled.url("/hinted/cam-dome-4mp.html"),
        ),
        (
            "compiled config, Shopify cart (fake store)",
            shopify.page_url(),
        ),
    ] {
        let section = report(title, &url).await?;
        out.push_str(&section);
        out.push('\n');
    }
    eprintln!("{out}");
    let reports = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/reports");
    std::fs::create_dir_all(&reports)?;
    std::fs::write(reports.join("first-suggestion.md"), &out)?;
    Ok(())
}
