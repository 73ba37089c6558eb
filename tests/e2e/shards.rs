//! A sharded config (`cartlift shard`) on the demo store: each page fetches the small core
//! and the shards of its product and basket lines, shows exactly what the whole config
//! shows, and loads a fraction of the bytes.

use anyhow::Result;
use cartlift_demo::http::Response;
use cartlift_e2e::{Browser, Site};
use cartlift_engine::RawConfig;
use cartlift_engine::config::shard::{CART_SHARD, Limits, file_name, split};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// The demo store serving its config split: `/cartlift/config.json` is the core, the
/// shards are under `/cartlift/shards/`. Records the config files asked for.
fn sharded_site() -> Result<(Site, Arc<Mutex<Vec<String>>>)> {
    let dir = std::path::PathBuf::from(std::env::var("CARTLIFT_SITE")?);
    let raw: RawConfig =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cartlift/config.json"))?)?;
    let sharded = split(&raw, "shards/", Limits::default())?;
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    files.insert(
        "/cartlift/config.json".into(),
        serde_json::to_string(&sharded.core)?,
    );
    for (product, shard) in &sharded.shards {
        files.insert(
            format!("/cartlift/shards/{}", file_name(product)),
            serde_json::to_string(shard)?,
        );
    }
    if let Some(cart) = &sharded.cart {
        files.insert(
            format!("/cartlift/shards/{CART_SHARD}"),
            serde_json::to_string(cart)?,
        );
    }
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&asked);
    let site = Site::with_handler(move |request| {
        if !request.path.starts_with("/cartlift/config.json")
            && !request.path.starts_with("/cartlift/shards/")
        {
            return None;
        }
        log.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(request.path.clone());
        Some(match files.get(&request.path) {
            Some(body) => Response::new(200, "application/json", body.clone()),
            None => Response::text(404, "no such shard"),
        })
    })?;
    Ok((site, asked))
}

/// Every suggested product of every placement on the page, in order, once they settled.
async fn shown(browser: &Browser, site: &Site, path: &str, cart: &str) -> Result<Vec<String>> {
    browser.set_storage(site, "watchpost-cart", cart).await?;
    browser.goto(&site.url(path)).await?;
    browser.scroll_to_placement().await?;
    let all = "[...document.querySelectorAll('cartlift-suggestions')]";
    browser
        .wait_for(
            "every placement to settle",
            &format!("{all}.every(e => e.hasAttribute('data-empty') || (e.shadowRoot?.querySelector('[data-product]') && !e.shadowRoot.querySelector('.skeleton')))"),
        )
        .await?;
    browser
        .eval(
            &format!("return {all}.flatMap(e => [...(e.shadowRoot?.querySelectorAll('[data-product]') ?? [])].map(c => `${{e.getAttribute('placement')}}:${{c.dataset.product}}`))"),
            vec![],
        )
        .await
}

/// Bytes of config the page fetched (core and shards), and how long after the core's
/// response the last shard's response ended (the extra round trip).
async fn config_traffic(browser: &Browser) -> Result<(u64, f64)> {
    let (bytes, extra): (f64, f64) = browser
        .eval(
            "const e = performance.getEntriesByType('resource').filter(r => r.name.includes('/cartlift/config.json') || r.name.includes('/cartlift/shards/')); const core = e.find(r => r.name.includes('config.json')); const last = Math.max(...e.map(r => r.responseEnd)); return [e.reduce((n, r) => n + r.encodedBodySize, 0), core ? last - core.responseEnd : 0];",
            vec![],
        )
        .await?;
    Ok((bytes as u64, extra))
}

const PAGES: [(&str, &str); 4] = [
    ("/products/cam-dome-4mp.html", "[]"),
    (
        "/products/nvr-8ch.html",
        r#"[{"id":"cam-dome-4mp","quantity":2}]"#,
    ),
    (
        "/cart.html",
        r#"[{"id":"cam-dome-4mp","quantity":2},{"id":"nvr-8ch","quantity":1}]"#,
    ),
    (
        "/checkout.html",
        r#"[{"id":"cam-bullet-4mp","quantity":1}]"#,
    ),
];

#[tokio::test]
async fn a_sharded_config_shows_what_the_whole_config_shows_for_a_fraction_of_the_bytes()
-> Result<()> {
    let whole = Site::start()?;
    let (sharded, asked) = sharded_site()?;
    let whole_bytes = std::fs::metadata(
        std::path::PathBuf::from(std::env::var("CARTLIFT_SITE")?).join("cartlift/config.json"),
    )?
    .len();
    let browser = Browser::start().await?;
    for (path, cart) in PAGES {
        let expected = shown(&browser, &whole, path, cart).await?;
        assert!(!expected.is_empty(), "{path}: nothing shown");
        browser.assert_clean().await?;
        asked.lock().unwrap_or_else(|e| e.into_inner()).clear();
        let got = shown(&browser, &sharded, path, cart).await?;
        assert_eq!(got, expected, "{path} with {cart}");
        let (bytes, extra) = config_traffic(&browser).await?;
        let files = asked.lock().unwrap_or_else(|e| e.into_inner()).clone();
        eprintln!(
            "sharded {path}: {bytes} B of config in {} files ({files:?}) instead of {whole_bytes} B; last shard {extra:.1} ms after the core",
            files.len()
        );
        if path.starts_with("/products/") {
            assert!(bytes < 20_000, "{path}: {bytes} B of config");
        }
        assert!(bytes < whole_bytes, "{path}: {bytes} B");
        browser.assert_clean().await?;
    }
    browser.close().await
}
