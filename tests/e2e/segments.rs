//! Segments from the page (issue 19): the demo config with two rules for customer
//! segments, on a cart page that says who the shopper is through `data-segments` on the
//! script tag, a `segments` attribute on one element (that placement's segments instead
//! of the page's) and `cartlift.setSegments` at run time. Each placement shows exactly
//! what the engine answers for the same config and segments, which is what `cartlift
//! explain --segment` prints (the CLI asks the engine with the same `Context::segments`,
//! its text split by the same `shopper::segment_names`). Run with the JSON config and
//! with the compiled one (the small build shoppers download).

use anyhow::{Result, bail};
use cartlift_demo::http::Response;
use cartlift_e2e::{Browser, Site};
use cartlift_engine::{BasketLine, Config, Context, Placement, RawConfig};
use serde_json::{Value, json};

/// For the `vip` segment only, in the cart, first.
const VIP: &str = "ups-600va";
/// For the `trade` or `installer` segments, in the cart.
const TRADE: &str = "poe-switch-8";
/// What the page puts in the basket.
const BASKET: &str = "cam-dome-4mp";

/// The demo's config with the two segment rules.
fn config() -> Result<Value> {
    let dir = std::path::PathBuf::from(std::env::var("CARTLIFT_SITE")?);
    let mut config: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cartlift/config.json"))?)?;
    let Some(rules) = config["rules"].as_array_mut() else {
        bail!("the demo config has no rules array");
    };
    rules.push(json!({"kind": "cross_sell", "id": "vip-ups", "priority": 9,
        "conditions": {"segments": ["vip"], "placements": ["cart"]},
        "suggest": {"products": [VIP]}}));
    rules.push(
        json!({"kind": "cross_sell", "id": "trade-tools", "priority": 8,
        "conditions": {"segments": ["trade", "installer"], "placements": ["cart"]},
        "suggest": {"products": [TRADE]}}),
    );
    Ok(config)
}

/// What the engine puts in a cart placement's suggestion row (cross-sells, then add-ons)
/// for the page's basket and `segments`.
fn expected(config: &Config, segments: &[&str]) -> Vec<String> {
    let basket = [BasketLine {
        product: BASKET.into(),
        variant: None,
        quantity: 1,
        price: None,
    }];
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let recs = config.recommend(
        &Context::new(Placement::Cart, now)
            .basket(&basket)
            .segments(segments),
    );
    recs.cross_sells
        .iter()
        .chain(&recs.add_ons)
        .map(|s| config.product(s.product).id.clone())
        .collect()
}

/// A cart page: the page's own placement (`#page`) and one with `segments="installer"`
/// (`#own`).
fn page(config_url: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>segments</title>
<link rel="icon" href="/img/products/cam-dome-4mp.svg">
<script type="module" src="/cartlift/cartlift.js" data-config="{config_url}" data-segments=" vip
  returning "></script>
</head><body><main>
<cartlift-suggestions id="page" placement="cart"></cartlift-suggestions>
<cartlift-suggestions id="own" placement="cart" segments="installer"></cartlift-suggestions>
</main>
<script type="module">cartlift.setBasket([{{ id: '{BASKET}', quantity: 1 }}]);</script>
</body></html>"#
    )
}

/// Waits until element `id`'s suggestion row is `expected`; fails with what it shows.
async fn shows(browser: &Browser, id: &str, expected: &[String], what: &str) -> Result<()> {
    let cards = format!(
        "[...document.getElementById('{id}').shadowRoot.querySelectorAll('[data-list=suggestions] .card')].map(c => c.dataset.product)"
    );
    let want = serde_json::to_string(expected)?;
    if let Err(e) = browser
        .wait_for(what, &format!("JSON.stringify({cards}) === '{want}'"))
        .await
    {
        let shown: Value = browser.eval(&format!("return {cards};"), vec![]).await?;
        bail!("{e}\n#{id} shows {shown}, the engine says {want}");
    }
    Ok(())
}

async fn run(browser: &Browser, url: &str, config: &Config) -> Result<()> {
    let none = expected(config, &[]);
    let page_segments = expected(config, &["vip", "returning"]);
    let installer = expected(config, &["installer"]);
    let trade = expected(config, &["trade"]);
    // The rules change the answer only for their segments (so the test can fail).
    assert!(!none.iter().any(|p| p == VIP || p == TRADE), "{none:?}");
    assert!(
        page_segments.first().map(String::as_str) == Some(VIP)
            && !page_segments.iter().any(|p| p == TRADE)
    );
    assert!(
        installer.first().map(String::as_str) == Some(TRADE) && !installer.iter().any(|p| p == VIP)
    );
    assert_eq!(installer, trade);

    browser.goto(url).await?;
    // `data-segments`, trimmed and split: the page's placement.
    shows(browser, "page", &page_segments, "data-segments").await?;
    // The element's own attribute: its segments instead of the page's.
    shows(browser, "own", &installer, "the segments attribute").await?;

    // At run time: the page's placements re-rank, the element with its own keeps them.
    browser
        .eval::<Value>("cartlift.setSegments([' trade ']); return null;", vec![])
        .await?;
    shows(browser, "page", &trade, "setSegments").await?;
    shows(browser, "own", &installer, "the attribute over setSegments").await?;
    // An empty attribute: no segment there; no attribute: the page's segments again.
    browser
        .eval::<Value>(
            "document.getElementById('own').setAttribute('segments', ''); return null;",
            vec![],
        )
        .await?;
    shows(browser, "own", &none, "an empty segments attribute").await?;
    browser
        .eval::<Value>(
            "document.getElementById('own').removeAttribute('segments'); return null;",
            vec![],
        )
        .await?;
    shows(
        browser,
        "own",
        &trade,
        "the page's segments without the attribute",
    )
    .await?;
    // No segments at all.
    browser
        .eval::<Value>("cartlift.setSegments([]); return null;", vec![])
        .await?;
    shows(browser, "page", &none, "setSegments([])").await?;
    browser.assert_clean().await?;

    // Bad input: one clear console warning, nothing thrown, the segments stay.
    let thrown: Value = browser
        .eval(
            "try { cartlift.setSegments('vip'); cartlift.setSegments(['vip', ' ']); cartlift.setSegments([7]); return null; } catch (e) { return String(e); }",
            vec![],
        )
        .await?;
    assert_eq!(thrown, Value::Null);
    let said = "console.warn: cartlift: setSegments: expected an array of names, like ['vip']";
    let expected_warnings = [said, said, said];
    browser
        .wait_for("the warnings", "window.__probe.length >= 3")
        .await?;
    assert_eq!(browser.problems().await?, expected_warnings);
    shows(browser, "page", &none, "the segments kept after bad input").await?;
    Ok(())
}

#[tokio::test]
async fn segments_from_the_page_fire_the_rules_explain_predicts() -> Result<()> {
    let config_json = config()?;
    let raw: RawConfig = serde_json::from_value(config_json.clone())?;
    let engine = Config::build(&raw)?;
    let json_body = config_json.to_string();
    let bin = engine.to_compiled()?;
    let site = Site::with_handler(move |request| match request.path.as_str() {
        "/cartlift/segments.json" => {
            Some(Response::new(200, "application/json", json_body.clone()))
        }
        "/cartlift/segments.bin" => {
            Some(Response::new(200, "application/octet-stream", bin.clone()))
        }
        // `?bin`: the compiled config, and so the small build.
        "/segments.html" => Some(Response::new(
            200,
            "text/html; charset=utf-8",
            page(if request.query == "bin" {
                "/cartlift/segments.bin"
            } else {
                "/cartlift/segments.json"
            }),
        )),
        _ => None,
    })?;
    let browser = Browser::start().await?;
    for path in ["/segments.html", "/segments.html?bin"] {
        run(&browser, &site.url(path), &engine)
            .await
            .map_err(|e| e.context(path))?;
    }
    let wasm: Vec<String> = browser
        .eval(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => p.endsWith('.wasm'));",
            vec![],
        )
        .await?;
    assert_eq!(wasm, ["/cartlift/cartlift_compiled_bg.wasm"]);
    browser.close().await
}
