//! A compiled config (`cartlift compile`, `data-config` ending in `.bin`): the loader picks
//! the small build, which suggests exactly what the JSON build suggests; a damaged, stale
//! or mislabelled `.bin` is one clear console message and the page keeps working.

use anyhow::Result;
use cartlift_demo::http::Response;
use cartlift_e2e::{Browser, Site, shadow};
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// The demo's pages pointed at `/cartlift/config.bin`, which is `bin` when set (else the
/// compiled demo config the site build wrote).
fn site(bin: Arc<Mutex<Option<Vec<u8>>>>) -> Result<Site> {
    let dir = std::path::PathBuf::from(std::env::var("CARTLIFT_SITE").unwrap_or_default());
    Site::with_handler(move |request| {
        if request.path == "/cartlift/config.bin" {
            let body = bin.lock().ok()?.clone()?;
            return Some(Response::new(200, "application/octet-stream", body));
        }
        request.path.ends_with(".html").then(|| {
            let mut page = cartlift_demo::server::serve_file(&dir, request);
            page.body = String::from_utf8_lossy(&page.body)
                .replace("/cartlift/config.json", "/cartlift/config.bin")
                .replace(
                    "/cartlift/cartlift_widget.js",
                    "/cartlift/cartlift_compiled.js",
                )
                .into_bytes();
            page
        })
    })
}

/// The wasm files the page fetched.
async fn wasm_fetched(browser: &Browser) -> Result<Vec<String>> {
    browser
        .eval(
            "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname).filter(p => p.endsWith('.wasm'));",
            vec![],
        )
        .await
}

#[tokio::test]
async fn the_small_build_reads_a_compiled_config_and_suggests_the_same() -> Result<()> {
    let site = site(Arc::default())?;
    let browser = Browser::start().await?;
    browser
        .goto(&site.url("/products/cam-dome-4mp.html"))
        .await?;
    let root = shadow("product");
    browser
        .wait_for(
            "the product placement",
            &format!("{root}.querySelectorAll('.member').length > 0"),
        )
        .await?;
    let ids: Vec<String> = browser
        .eval(
            &format!("return [...{root}.querySelectorAll('.member')].map(c => c.dataset.product);"),
            vec![],
        )
        .await?;
    // What `product_page.rs` sees with the JSON config.
    assert_eq!(
        ids,
        ["cam-dome-4mp", "cable-cat6-20m", "junction-box", "nvr-8ch"]
    );
    let total: String = browser
        .eval(
            &format!("return {root}.querySelector('.bundle .total').textContent;"),
            vec![],
        )
        .await?;
    assert_eq!(
        total,
        "Total price: $342.00Bundle price: $324.90 (save $17.10)"
    );
    assert_eq!(
        wasm_fetched(&browser).await?,
        ["/cartlift/cartlift_compiled_bg.wasm"]
    );

    // The cart: the free-shipping gap, and re-ranking when the basket changes.
    browser
        .set_storage(
            &site,
            "watchpost-cart",
            r#"[{"id":"cam-dome-4mp","quantity":1}]"#,
        )
        .await?;
    browser.goto(&site.url("/cart.html")).await?;
    let cart = shadow("cart");
    browser
        .wait_for(
            "the free-shipping gap",
            &format!(
                "{cart}.querySelector('.fs-text')?.textContent === '$71.00 away from free shipping'"
            ),
        )
        .await?;
    browser
        .eval::<Value>(
            "cartlift.setBasket([{id: 'nvr-8ch', quantity: 1}]); return null;",
            vec![],
        )
        .await?;
    browser
        .wait_for(
            "the cart's suggestions for the recorder",
            &format!(
                "[...{cart}.querySelectorAll('.card')].some(c => c.dataset.product === 'hdd-2tb')"
            ),
        )
        .await?;
    let problems = browser.problems().await?;
    assert!(problems.is_empty(), "{problems:#?}");
    browser.close().await
}

#[tokio::test]
async fn a_damaged_stale_or_mislabelled_bin_is_one_message_and_the_page_works() -> Result<()> {
    let dir = std::path::PathBuf::from(std::env::var("CARTLIFT_SITE").unwrap_or_default());
    let good = std::fs::read(dir.join("cartlift/config.bin"))?;
    let json = std::fs::read(dir.join("cartlift/config.json"))?;
    let mut stale = good.clone();
    stale[8] = stale[8].wrapping_add(1);
    let served: Arc<Mutex<Option<Vec<u8>>>> = Arc::default();
    let site = site(Arc::clone(&served))?;
    let browser = Browser::start().await?;
    let cases = [
        (good[..good.len() / 2].to_vec(), "the file is cut short"),
        (
            stale,
            "compile it again with the matching `cartlift compile`",
        ),
        (
            json,
            "not a compiled config (it does not start with `CARTLIFT`)",
        ),
    ];
    for (bytes, said) in cases {
        *served.lock().expect("the lock") = Some(bytes);
        browser
            .goto(&site.url("/products/cam-dome-4mp.html"))
            .await?;
        browser.scroll_to_placement().await?;
        browser
            .wait_for(
                "the placement to give its space back",
                "document.querySelector('cartlift-suggestions').hasAttribute('data-empty')",
            )
            .await?;
        let problems = browser.problems().await?;
        assert!(
            problems.len() == 1
                && problems[0].starts_with(
                    "console.warn: cartlift: the compiled config from /cartlift/config.bin cannot be used: "
                )
                && problems[0].contains(said),
            "{said}: {problems:#?}"
        );
        // The store's own button still works.
        browser
            .click("document.querySelector('button.buy[data-add]')")
            .await?;
        browser
            .wait_for(
                "the store's cart",
                "Number(document.getElementById('cart-count').textContent) >= 1",
            )
            .await?;
    }
    browser.close().await
}
