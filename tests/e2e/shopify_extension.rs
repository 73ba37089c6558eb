//! The Shopify theme app extension (integrations/shopify/) as a shop runs it. `cargo xtask
//! dist` assembles it (the built widget in assets/, the loader's hash in the app embed),
//! theme-check passes it, and liquidjs renders its app embed and app block into theme
//! pages from the Liquid objects of tests/data/shopify/ (a customer tagged `VIP` and
//! `Newsletter`, or a guest), into `$CARTLIFT_SHOPIFY_PAGES`. The fake Shopify store serves
//! those pages, the extension's assets at the CDN path `asset_url` gave them, a config with
//! a rule for the `vip` segment, and its Ajax API; the widget runs there end to end.

use anyhow::{Context, Result, bail, ensure};
use cartlift_e2e::fake_store::{Store, Theme};
use cartlift_e2e::{Browser, TIMEOUT};
use cartlift_engine::{BasketLine, Config, Placement, RawConfig};
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::PathBuf;

/// Suggested in the cart for the `vip` segment only, first (the customer's `VIP` tag).
const VIP: &str = "ups-600va";
/// The product of the product pages, and what the store's cart holds.
const PRODUCT: &str = "cam-dome-4mp";

/// `$CARTLIFT_SHOPIFY_PAGES/pages.json`, written by xtask/shopify/render.mjs.
#[derive(Deserialize)]
struct Rendered {
    assets_url: String,
    assets_dir: PathBuf,
    pages: Vec<Page>,
}

#[derive(Deserialize)]
struct Page {
    url: String,
    file: String,
}

fn rendered() -> Result<(PathBuf, Rendered)> {
    let dir = std::env::var_os("CARTLIFT_SHOPIFY_PAGES")
        .map(PathBuf::from)
        .context(
            "CARTLIFT_SHOPIFY_PAGES is not set: it names the theme pages `cargo xtask test` renders \
             from the Shopify extension in its release stage (run the end-to-end tests through it)",
        )?;
    let manifest = dir.join("pages.json");
    let text = std::fs::read_to_string(&manifest).with_context(|| {
        format!(
            "reading {}: the Shopify extension's pages were not rendered",
            manifest.display()
        )
    })?;
    Ok((dir, serde_json::from_str(&text)?))
}

/// The demo config with a cart rule for the `vip` segment.
fn config() -> Result<Value> {
    let dir = PathBuf::from(std::env::var("CARTLIFT_SITE")?);
    let mut config: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cartlift/config.json"))?)?;
    let Some(rules) = config["rules"].as_array_mut() else {
        bail!("the demo config has no rules array");
    };
    rules.push(json!({"kind": "cross_sell", "id": "vip-ups", "priority": 9,
        "conditions": {"segments": ["vip"], "placements": ["cart"]},
        "suggest": {"products": [VIP]}}));
    Ok(config)
}

/// A fake Shopify store serving the rendered pages (and `extra` ones), with the cart
/// holding what the pages' Liquid `cart` holds.
fn store(dir: &std::path::Path, rendered: &Rendered, extra: &[(&str, PathBuf)]) -> Result<Store> {
    let mut pages: Vec<(String, PathBuf)> = rendered
        .pages
        .iter()
        .map(|p| (p.url.clone(), dir.join(&p.file)))
        .collect();
    pages.extend(
        extra
            .iter()
            .map(|(url, file)| ((*url).to_owned(), file.clone())),
    );
    let store = Store::shopify_theme(
        config()?,
        Theme {
            pages,
            assets: Some((rendered.assets_url.clone(), rendered.assets_dir.clone())),
        },
    )?;
    store.seed(&[(PRODUCT, 1)]);
    Ok(store)
}

/// What the engine suggests (cross-sells, then add-ons) for the store's cart.
fn expected(
    config: &Config,
    placement: Placement,
    segments: &[&str],
) -> (Vec<String>, Vec<String>) {
    let basket = [BasketLine {
        product: PRODUCT.into(),
        variant: None,
        quantity: 1,
        price: None,
    }];
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let mut ctx = cartlift_engine::Context::new(placement, now)
        .basket(&basket)
        .segments(segments);
    if placement == Placement::Product {
        ctx = ctx.product(PRODUCT);
    }
    let recs = config.recommend(&ctx);
    let ids = |list: &[cartlift_engine::recommend::Suggestion]| {
        list.iter()
            .map(|s| config.product(s.product).id.clone())
            .collect::<Vec<_>>()
    };
    (ids(&recs.cross_sells), ids(&recs.add_ons))
}

/// The element of the page's (one) app block.
const HOST: &str = "document.querySelector('cartlift-suggestions')";

/// Product ids in the element's `selector` (inside its shadow root), once it has rendered.
async fn ids(browser: &Browser, selector: &str) -> Result<Vec<String>> {
    browser
        .wait_for(
            "the app block's placement to render",
            &format!(
                "{HOST}.shadowRoot && !{HOST}.shadowRoot.querySelector('.skeleton') && {HOST}.shadowRoot.querySelector('[data-product]')"
            ),
        )
        .await?;
    browser
        .eval(
            &format!(
                "return [...{HOST}.shadowRoot.querySelectorAll(`{selector}`)].map(c => c.dataset.product)"
            ),
            vec![],
        )
        .await
}

async fn text(browser: &Browser, selector: &str) -> Result<String> {
    browser
        .eval(
            &format!("return {HOST}.shadowRoot.querySelector(`{selector}`)?.textContent ?? null"),
            vec![],
        )
        .await
        .and_then(|t: Option<String>| t.with_context(|| format!("no {selector} in the app block")))
}

#[tokio::test]
async fn the_extensions_pages_run_the_widget_with_their_settings_and_the_customers_tags()
-> Result<()> {
    let (dir, rendered) = rendered()?;
    let engine = Config::build(&serde_json::from_value::<RawConfig>(config()?)?)?;
    let store = store(&dir, &rendered, &[])?;
    let browser = Browser::start().await?;

    // The product page: the embed's loader tag carries the SHA-384 of the file served.
    browser.goto(&store.url("/products/cam-dome-4mp")).await?;
    let loader: Value = browser
        .eval(
            r#"return (async () => {
                 const s = document.querySelector('script[type=module][src*="cartlift.js"]');
                 const bytes = await (await fetch(s.src)).arrayBuffer();
                 const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', bytes));
                 return { src: new URL(s.src).pathname, integrity: s.integrity,
                          computed: 'sha384-' + btoa(String.fromCharCode(...digest)),
                          config: s.dataset.config, cart: s.dataset.cart, locale: s.dataset.locale,
                          currency: s.dataset.currency, money: s.dataset.moneyFormat,
                          segments: s.dataset.segments };
               })()"#,
            vec![],
        )
        .await?;
    assert_eq!(
        loader["src"],
        format!("{}cartlift.js", rendered.assets_url),
        "{loader}"
    );
    assert_eq!(loader["integrity"], loader["computed"], "{loader}");
    assert_eq!(
        loader,
        json!({"src": loader["src"], "integrity": loader["computed"], "computed": loader["computed"],
               "config": "/cartlift/config.bin", "cart": "shopify", "locale": "en", "currency": "USD",
               "money": "${{amount_no_decimals}}", "segments": "vip newsletter"})
    );
    // The block on a product template: the product placement for the section's product,
    // at most 2 items a row, the merchant's heading.
    let host: Value = browser
        .eval(
            &format!("return [...{HOST}.attributes].map(a => [a.name, a.value])"),
            vec![],
        )
        .await?;
    assert_eq!(
        host,
        json!([
            ["placement", "product"],
            ["product", PRODUCT],
            ["max-items", "2"],
            ["heading", "Goes well with"]
        ])
    );
    let (cross_sells, add_ons) = expected(&engine, Placement::Product, &["vip", "newsletter"]);
    ensure!(
        cross_sells.len() > 2,
        "the config must offer more than the block's 2 complements for the test to tell: {cross_sells:?}"
    );
    let members = ids(&browser, ".member").await?;
    assert_eq!(members[0], PRODUCT);
    assert_eq!(members[1..], cross_sells[..2]);
    assert_eq!(
        ids(&browser, "[data-list=add-ons] .card").await?,
        add_ons[..add_ons.len().min(2)]
    );
    assert_eq!(text(&browser, ".bundle .title").await?, "Goes well with");
    // Prices in the shop's money format (`${{amount_no_decimals}}`), not the browser's
    // "$79.00".
    assert_eq!(
        text(&browser, &format!(".member[data-product={PRODUCT}] .now")).await?,
        "$79"
    );
    browser.assert_clean().await?;
    let wasm: Vec<String> = browser
        .eval(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => p.endsWith('.wasm'))",
            vec![],
        )
        .await?;
    assert_eq!(
        wasm,
        [format!(
            "{}cartlift_compiled_shopify_bg.wasm",
            rendered.assets_url
        )]
    );

    // A guest's cart page: no segments, so no rule for them.
    let (guest, guest_add_ons) = expected(&engine, Placement::Cart, &[]);
    let guest: Vec<String> = guest.into_iter().chain(guest_add_ons).collect();
    assert!(!guest.iter().any(|p| p == VIP), "{guest:?}");
    browser.goto(&store.url("/guest/cart")).await?;
    assert_eq!(ids(&browser, "[data-list=suggestions] .card").await?, guest);
    browser.assert_clean().await?;
    // The block set to the cart placement on a product template: the cart row there.
    browser
        .goto(&store.url("/guest/products/cam-dome-4mp"))
        .await?;
    assert_eq!(
        ids(&browser, "[data-list=suggestions] .card").await?,
        guest,
        "placement \"Cart\" on a product page"
    );
    let product_attr: Option<String> = browser
        .eval(&format!("return {HOST}.getAttribute('product')"), vec![])
        .await?;
    assert_eq!(product_attr, None);
    browser.assert_clean().await?;

    // The customer's cart page: their `VIP` tag is the `vip` segment, whose rule comes
    // first.
    let (vip, vip_add_ons) = expected(&engine, Placement::Cart, &["vip", "newsletter"]);
    let vip: Vec<String> = vip.into_iter().chain(vip_add_ons).collect();
    assert_eq!(vip.first().map(String::as_str), Some(VIP), "{vip:?}");
    browser.goto(&store.url("/cart")).await?;
    assert_eq!(ids(&browser, "[data-list=suggestions] .card").await?, vip);
    assert_eq!(
        text(&browser, &format!(".card[data-product={VIP}] .now")).await?,
        "$89"
    );
    // Adding it posts its variant to the Ajax Cart API.
    browser
        .click(&format!(
            "{HOST}.shadowRoot.querySelector('.card[data-product={VIP}] button.add')"
        ))
        .await?;
    store
        .wait_until("the add", |s| !s.posts("/cart/add.js").is_empty())
        .await?;
    let adds = store.posts("/cart/add.js");
    assert_eq!(adds.len(), 1, "{:?}", store.api_requests());
    assert_eq!(
        adds[0].body_without_properties(),
        json!({"items": [{"id": store.product(VIP).variant_id, "quantity": 1}]}),
        "{:?}",
        store.api_requests()
    );
    store
        .wait_until("the cart to hold it", |s| {
            s.cart().iter().any(|(id, _)| id == VIP)
        })
        .await?;
    browser.assert_clean().await?;
    browser.close().await
}

#[tokio::test]
async fn a_page_in_another_currency_or_with_a_wrong_loader_hash_shows_nothing() -> Result<()> {
    let (dir, rendered) = rendered()?;
    // The product page with its loader's hash changed by one character.
    let page = std::fs::read_to_string(dir.join("product.html"))?;
    let at = page
        .find("integrity=\"sha384-")
        .context("no integrity attribute")?
        + 18;
    let mut tampered = page.clone();
    let flipped = if &page[at..=at] == "A" { "B" } else { "A" };
    tampered.replace_range(at..=at, flipped);
    let file = std::env::temp_dir().join(format!("cartlift-tampered-{}.html", std::process::id()));
    std::fs::write(&file, tampered)?;
    let store = store(&dir, &rendered, &[("/tampered", file.clone())])?;
    let browser = Browser::start().await?;

    // A Shopify Markets market in euros: the config's prices are dollars.
    browser.goto(&store.url("/en-de/cart")).await?;
    browser
        .wait_for(
            "the placement to give its space back",
            &format!("{HOST}.hasAttribute('data-empty')"),
        )
        .await?;
    let cards: usize = browser
        .eval(
            &format!("return {HOST}.shadowRoot ? {HOST}.shadowRoot.querySelectorAll('[data-product]').length : 0"),
            vec![],
        )
        .await?;
    assert_eq!(cards, 0);
    assert_eq!(
        browser.messages().await?,
        [
            "console.warn: cartlift: the page's prices are in EUR (data-currency) but the config's are in USD: no suggestions are shown, rather than prices in the wrong currency"
        ]
    );

    // A loader that does not match its hash is not run: no widget at all.
    browser.goto(&store.url("/tampered")).await?;
    let deadline = std::time::Instant::now() + TIMEOUT / 4;
    while std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let state: Value = browser
        .eval(
            "return {api: typeof window.cartlift, element: !!customElements.get('cartlift-suggestions')}",
            vec![],
        )
        .await?;
    assert_eq!(state, json!({"api": "undefined", "element": false}));
    let asked = store
        .requests()
        .iter()
        .any(|r| r.path == format!("{}cartlift.js", rendered.assets_url));
    assert!(asked, "the page did ask for the loader");
    std::fs::remove_file(&file)?;
    browser.close().await
}
