//! Live price and stock (issue 19 §2) against the fake Shopify and WooCommerce stores, in
//! which the owner changed prices and stock after building the config: the placements
//! show the store's figures, never a sold-out product, and an add succeeds; a store API
//! that fails or hangs leaves the config's figures and one warning.

use anyhow::{Result, ensure};
use cartlift_e2e::fake_store::Store;
use cartlift_e2e::{Browser, shadow};
use std::time::Duration;

/// The product page's placement once it shows something: `(product id, price text,
/// bundle member)` of every bundle member and card.
async fn cards(browser: &Browser, store: &Store) -> Result<Vec<(String, String, bool)>> {
    cards_at(browser, &store.page_url()).await
}

async fn cards_at(browser: &Browser, url: &str) -> Result<Vec<(String, String, bool)>> {
    browser.goto(url).await?;
    let root = shadow("product");
    browser
        .wait_for(
            "the product placement's suggestions",
            &format!(
                "!!{root}.querySelector('[data-product]') && !{root}.querySelector('.skeleton')"
            ),
        )
        .await?;
    browser
        .eval(
            &format!(
                "return [...{root}.querySelectorAll('.member[data-product], .card[data-product]')].map(c => [c.dataset.product, (c.querySelector('.now') || {{}}).textContent || '', c.classList.contains('member')])"
            ),
            vec![],
        )
        .await
}

/// Every product either placement painted so far (`placement:id`, sampled each frame).
async fn painted(browser: &Browser) -> Result<Vec<String>> {
    browser.eval("return window.__painted", vec![]).await
}

/// The bundle's "Total price: …" line.
async fn bundle_total(browser: &Browser) -> Result<String> {
    browser
        .eval(
            &format!(
                "return {}.querySelector('.total').textContent",
                shadow("product")
            ),
            vec![],
        )
        .await
}

/// "$1,234.50" for 123450 cents.
fn usd(cents: i64) -> String {
    let dollars = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, d) in dollars.chars().enumerate() {
        if i > 0 && (dollars.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(d);
    }
    format!("${grouped}.{:02}", cents % 100)
}

fn cents(price: &str) -> i64 {
    let digits: String = price.chars().filter(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(0)
}

/// How long the page's product reads took, in ms (Resource Timing), for the report.
async fn read_times(browser: &Browser) -> Result<Vec<f64>> {
    browser
        .eval(
            "return performance.getEntriesByType('resource').filter(e => /\\/products(\\/[^/]+\\.js|\\?)/.test(e.name)).map(e => Math.round(e.responseEnd - e.startTime))",
            vec![],
        )
        .await
}

/// The junction box sold out and the recorder costs $199 now (the config says $229).
fn change_the_store(store: &Store) {
    store.set_now("junction-box", 1600, false);
    store.set_now("nvr-8ch", 19900, true);
}

async fn live_figures_are_shown_and_a_sold_out_product_never(
    store: Store,
    add_path: &str,
) -> Result<()> {
    let browser = Browser::start().await?;
    // As configured (nothing changed in the store): the junction box is suggested.
    let before = cards(&browser, &store).await?;
    ensure!(
        before.iter().any(|(id, ..)| id == "junction-box"),
        "the config suggests the junction box on this page: {before:?}"
    );
    browser.assert_clean().await?;

    change_the_store(&store);
    // A new tab session: nothing cached from the first visit.
    browser
        .eval::<serde_json::Value>("sessionStorage.clear(); return null", vec![])
        .await?;
    let after = cards(&browser, &store).await?;
    ensure!(
        !after.iter().any(|(id, ..)| id == "junction-box"),
        "a sold-out product is suggested: {after:?}"
    );
    let painted = painted(&browser).await?;
    ensure!(
        !painted.iter().any(|p| p.ends_with(":junction-box")),
        "the sold-out junction box was painted, even for a frame: {painted:?}"
    );
    // The next candidate took its place: the bundle is as large as before.
    let members = |cards: &[(String, String, bool)]| cards.iter().filter(|c| c.2).count();
    assert_eq!(members(&after), members(&before), "{before:?} → {after:?}");
    let nvr = after.iter().find(|(id, ..)| id == "nvr-8ch");
    assert_eq!(
        nvr.map(|(_, price, _)| price.as_str()),
        Some("$199.00"),
        "{after:?}"
    );
    // The bundle's total adds up the live prices of its members (all ticked).
    let sum: i64 = after
        .iter()
        .filter(|(_, _, member)| *member)
        .map(|(_, price, _)| cents(price))
        .sum();
    let total = bundle_total(&browser).await?;
    ensure!(
        total.starts_with(&format!("Total price: {}", usd(sum))),
        "the bundle's total {total:?} is not the sum of its members' live prices {after:?}"
    );
    // One warning: the recorder's price is not the config's.
    assert_eq!(
        browser.messages().await?,
        ["console.warn: cartlift: 1 price differs from the config; re-run cartlift catalog"]
    );
    eprintln!(
        "live product reads on {} took {:?} ms",
        store.page_url(),
        read_times(&browser).await?
    );

    // Adding the whole bundle goes through: nothing sold out is sent, and the store
    // takes every member.
    let members: Vec<String> = after
        .iter()
        .filter(|(_, _, member)| *member)
        .map(|(id, ..)| id.clone())
        .collect();
    browser
        .click(&format!(
            "{}.querySelector('.bundle .summary button')",
            shadow("product")
        ))
        .await?;
    store
        .wait_until("the bundle in the cart", |s| {
            let cart = s.cart();
            members.iter().all(|m| cart.iter().any(|(id, _)| id == m))
        })
        .await?;
    let adds = store.posts(add_path);
    ensure!(!adds.is_empty(), "{:#?}", store.api_requests());
    browser.close().await
}

#[tokio::test]
async fn shopify_shows_live_prices_and_never_a_sold_out_product() -> Result<()> {
    live_figures_are_shown_and_a_sold_out_product_never(
        Store::shopify_without_variant_ids()?,
        "/cart/add.js",
    )
    .await
}

#[tokio::test]
async fn woocommerce_shows_live_prices_and_never_a_sold_out_product() -> Result<()> {
    live_figures_are_shown_and_a_sold_out_product_never(Store::woocommerce()?, "/cart/add-item")
        .await
}

/// Shopify without variant ids in the config: the add sends the variant id the store's
/// product read gave.
#[tokio::test]
async fn shopify_adds_by_the_variant_id_the_store_gave() -> Result<()> {
    let store = Store::shopify_without_variant_ids()?;
    let browser = Browser::start().await?;
    let shown = cards(&browser, &store).await?;
    let id = shown
        .iter()
        .find(|(id, _, member)| !member && id != cartlift_e2e::fake_store::PAGE_PRODUCT)
        .map(|(id, ..)| id.clone())
        .expect("a suggestion with its own add button");
    browser
        .click(&format!(
            "{}.querySelector('.card[data-product=\"{id}\"] button.add')",
            shadow("product")
        ))
        .await?;
    store
        .wait_until("the suggestion in the cart", |s| {
            s.cart().iter().any(|(p, _)| *p == id)
        })
        .await?;
    let adds = store.posts("/cart/add.js");
    assert_eq!(
        adds[0].body_without_properties(),
        serde_json::json!({ "items": [{ "id": store.product(&id).variant_id, "quantity": 1 }] })
    );
    browser.assert_clean().await?;
    browser.close().await
}

/// A product API that fails (Shopify, 500) or hangs (WooCommerce, 5 s): the placements
/// show the config's figures without waiting for it, and say so once.
async fn a_failed_read_leaves_the_configs_figures(store: Store, fault: &str) -> Result<()> {
    change_the_store(&store);
    match fault {
        "fail" => store.fail_product_reads(500),
        _ => store.slow_product_reads(Duration::from_secs(5)),
    }
    let browser = Browser::start().await?;
    let started = std::time::Instant::now();
    let shown = cards(&browser, &store).await?;
    let waited = started.elapsed();
    // The config's figures: the recorder at $229 (the store's change is unknown).
    let nvr = shown.iter().find(|(id, ..)| id == "nvr-8ch");
    if let Some((_, price, _)) = nvr {
        assert_eq!(price, "$229.00", "{shown:?}");
    }
    ensure!(
        shown.iter().any(|(id, ..)| id == "junction-box"),
        "the config's suggestions are shown: {shown:?}"
    );
    let messages = browser.messages().await?;
    ensure!(
        messages.len() == 1
            && messages[0]
                .starts_with("console.warn: cartlift: could not read live prices and stock (")
            && messages[0].ends_with("); showing the config's"),
        "{messages:#?}"
    );
    ensure!(
        waited < Duration::from_secs(5),
        "the page waited {waited:?} for a hung product read"
    );
    eprintln!("{fault}: suggestions shown {waited:?} after navigation started");
    browser.close().await
}

#[tokio::test]
async fn shopify_a_failing_product_read_leaves_the_configs_figures() -> Result<()> {
    a_failed_read_leaves_the_configs_figures(Store::shopify()?, "fail").await
}

#[tokio::test]
async fn woocommerce_a_hung_product_read_leaves_the_configs_figures() -> Result<()> {
    a_failed_read_leaves_the_configs_figures(Store::woocommerce()?, "hang").await
}

/// The `js` cart: the page's `cartlift.onProducts(ids)` answers for what the demo's
/// product page is about to show; its figures are shown, and a product it says is sold
/// out never is. (Registered from a script that runs before the page's own, as a store's
/// theme would right after the loader.)
#[tokio::test]
async fn the_pages_on_products_handler_gives_live_figures() -> Result<()> {
    let site = cartlift_e2e::Site::start()?;
    let browser = Browser::start().await?;
    browser
        .before_each_page(
            r#"window.__asked = [];
               let api;
               Object.defineProperty(window, 'cartlift', { configurable: true,
                 get() { return api; },
                 set(value) {
                   api = value;
                   api.onProducts(async (ids) => {
                     window.__asked.push(...ids);
                     return ids.map((id) => ({ id, price: id === 'nvr-8ch' ? 199 : null,
                       in_stock: id !== 'junction-box' })).filter((p) => p.price !== null
                       || p.in_stock === false).map((p) => ({ ...p, price: p.price ?? 16 }));
                   });
                 } });"#,
        )
        .await?;
    let shown = cards_at(&browser, &site.url("/products/cam-dome-4mp.html")).await?;
    let asked: Vec<String> = browser.eval("return window.__asked", vec![]).await?;
    ensure!(
        asked.iter().any(|id| id == "junction-box"),
        "the handler was asked for what the page would show: {asked:?}"
    );
    ensure!(
        !shown.iter().any(|(id, ..)| id == "junction-box"),
        "the product the page says is sold out is shown: {shown:?}"
    );
    let nvr = shown.iter().find(|(id, ..)| id == "nvr-8ch");
    assert_eq!(
        nvr.map(|(_, p, _)| p.as_str()),
        Some("$199.00"),
        "{shown:?}"
    );
    assert_eq!(
        browser.messages().await?,
        ["console.warn: cartlift: 1 price differs from the config; re-run cartlift catalog"]
    );
    browser.close().await
}

/// What a page read is kept for the tab's next pages for a short while: the second view
/// of the product page reads nothing again, and still never shows the sold-out product.
#[tokio::test]
async fn the_next_page_uses_the_answers_already_read() -> Result<()> {
    let store = Store::shopify()?;
    change_the_store(&store);
    let browser = Browser::start().await?;
    let first = cards(&browser, &store).await?;
    let reads = store.product_reads().len();
    ensure!(reads > 0, "the first view reads the products");
    let second = cards(&browser, &store).await?;
    assert_eq!(
        store.product_reads().len(),
        reads,
        "the second view read again: {:#?}",
        store
            .product_reads()
            .iter()
            .map(|r| &r.path)
            .collect::<Vec<_>>()
    );
    assert_eq!(first, second);
    ensure!(
        !second.iter().any(|(id, ..)| id == "junction-box"),
        "{second:?}"
    );
    browser.close().await
}
