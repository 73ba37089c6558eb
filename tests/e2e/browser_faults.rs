//! Browsers that get in the way: storage that throws (disabled, private mode) or is full,
//! and no WebAssembly at all. The store's page is unaffected every time; the widget
//! either works for the page view or steps aside with one message.

use anyhow::Result;
use cartlift_e2e::{Browser, Site, shadow};

async fn open_camera(browser: &Browser, site: &Site) -> Result<()> {
    browser
        .goto(&site.url("/products/cam-dome-4mp.html"))
        .await?;
    browser.scroll_to_placement().await?;
    Ok(())
}

/// Dismissing works for the page view; the store's own cart still works.
async fn dismiss_and_add(browser: &Browser) -> Result<()> {
    let root = shadow("product");
    browser
        .wait_for(
            "suggestions",
            &format!("{root}.querySelectorAll('[data-list=add-ons] .card').length > 0"),
        )
        .await?;
    browser
        .click(&format!(
            "{root}.querySelector('.card[data-product=\"sign-cctv\"] button.dismiss')"
        ))
        .await?;
    browser
        .wait_for(
            "the dismissed card to go",
            &format!("!{root}.querySelector('.card[data-product=\"sign-cctv\"]')"),
        )
        .await?;
    browser
        .click("document.querySelector('button.buy[data-add]')")
        .await?;
    browser
        .wait_for(
            "the store's cart",
            "document.getElementById('cart-count').textContent === '1'",
        )
        .await
}

#[tokio::test]
async fn storage_that_throws_everywhere_costs_only_the_memory() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    // As with storage disabled: touching localStorage at all throws.
    browser
        .before_each_page(
            "Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });",
        )
        .await?;
    open_camera(&browser, &site).await?;
    dismiss_and_add(&browser).await?;
    browser.assert_clean().await?;
    browser.close().await
}

#[tokio::test]
async fn full_storage_costs_only_the_memory() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    browser
        .before_each_page(
            "Storage.prototype.setItem = function () { throw new DOMException('quota', 'QuotaExceededError'); };",
        )
        .await?;
    open_camera(&browser, &site).await?;
    dismiss_and_add(&browser).await?;
    browser.assert_clean().await?;
    browser.close().await
}

#[tokio::test]
async fn without_webassembly_the_page_is_unaffected_and_the_space_is_given_back() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    browser
        .before_each_page("delete window.WebAssembly;")
        .await?;
    open_camera(&browser, &site).await?;
    browser
        .wait_for(
            "the placement to give its space back",
            "document.querySelector('cartlift-suggestions').hasAttribute('data-empty')",
        )
        .await?;
    let height: f64 = browser
        .eval(
            "return document.querySelector('cartlift-suggestions').getBoundingClientRect().height",
            vec![],
        )
        .await?;
    assert_eq!(height, 0.0);
    browser
        .click("document.querySelector('button.buy[data-add]')")
        .await?;
    browser
        .wait_for(
            "the store's cart",
            "document.getElementById('cart-count').textContent === '1'",
        )
        .await?;
    let problems = browser.problems().await?;
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with("console.warn: cartlift: could not start (the page is unaffected)"),
        "{problems:#?}"
    );
    browser.close().await
}

#[tokio::test]
async fn a_tampered_wasm_file_is_refused_by_its_integrity_hash() -> Result<()> {
    let dir = std::path::PathBuf::from(std::env::var("CARTLIFT_SITE").unwrap_or_default());
    let mut wasm = std::fs::read(dir.join("cartlift/cartlift_widget_bg.wasm"))?;
    let middle = wasm.len() / 2;
    wasm[middle] ^= 0x01;
    let site = Site::with_handler(move |request| {
        (request.path == "/cartlift/cartlift_widget_bg.wasm")
            .then(|| cartlift_demo::http::Response::new(200, "application/wasm", wasm.clone()))
    })?;
    let browser = Browser::start().await?;
    open_camera(&browser, &site).await?;
    browser
        .wait_for(
            "the placement to give its space back",
            "document.querySelector('cartlift-suggestions').hasAttribute('data-empty')",
        )
        .await?;
    let problems = browser.problems().await?;
    assert!(
        problems.len() == 1
            && problems[0].starts_with("console.warn: cartlift: could not start")
            && problems[0].to_lowercase().contains("integrity"),
        "{problems:#?}"
    );
    browser
        .click("document.querySelector('button.buy[data-add]')")
        .await?;
    browser
        .wait_for(
            "the store's cart",
            "document.getElementById('cart-count').textContent === '1'",
        )
        .await?;
    browser.close().await
}
