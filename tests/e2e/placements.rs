//! The cart, checkout and confirmation placements on the demo store: what they suggest,
//! re-ranking when the basket changes (no reload, no network), the free-shipping bar,
//! and the whole walk from cart to order confirmation.

use anyhow::Result;
use cartlift_e2e::{Browser, Site, shadow};

const CART: &str = "watchpost-cart";

/// Product ids of the cards a placement shows.
async fn cards(browser: &Browser, placement: &str) -> Result<Vec<String>> {
    browser
        .eval(
            &format!(
                "return [...{}.querySelectorAll('.card')].map(c => c.dataset.product)",
                shadow(placement)
            ),
            vec![],
        )
        .await
}

async fn text(browser: &Browser, placement: &str, selector: &str) -> Result<String> {
    browser
        .eval(
            &format!(
                "return {}.querySelector('{selector}')?.textContent ?? null",
                shadow(placement)
            ),
            vec![],
        )
        .await
}

/// How many resources the page has fetched so far, other than images (newly shown
/// suggestions bring their pictures).
async fn fetched(browser: &Browser) -> Result<usize> {
    browser
        .eval(
            "return performance.getEntriesByType('resource').filter(e => e.initiatorType !== 'img').length",
            vec![],
        )
        .await
}

#[tokio::test]
async fn cart_reranks_on_every_basket_change_and_shows_the_free_shipping_gap() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    browser
        .set_storage(&site, CART, r#"[{"id":"cam-dome-4mp","quantity":1}]"#)
        .await?;
    browser.goto(&site.url("/cart.html")).await?;
    let root = shadow("cart");
    browser
        .wait_for(
            "cart suggestions",
            &format!("{root}.querySelectorAll('.card').length > 0"),
        )
        .await?;
    let first = cards(&browser, "cart").await?;
    assert!(!first.contains(&"cam-dome-4mp".to_owned()), "{first:?}");
    // $79 in the cart, free shipping from $150.
    assert_eq!(
        text(&browser, "cart", ".fs-text").await?,
        "$71.00 away from free shipping"
    );
    let bar: String = browser
        .eval(
            &format!("return {root}.querySelector('.fs-bar').value + ''"),
            vec![],
        )
        .await?;
    assert_eq!(bar, "53", "79 of 150, rounded");

    // The shopper raises the quantity in the store's own cart UI: the widget re-ranks
    // at once, with no request of its own.
    let before = fetched(&browser).await?;
    browser
        .eval::<serde_json::Value>(
            "const q = document.querySelector('.cart-line input'); q.value = '2'; q.dispatchEvent(new Event('change')); return null;",
            vec![],
        )
        .await?;
    browser
        .wait_for(
            "the free-shipping bar to follow the basket",
            &format!(
                "{root}.querySelector('.fs-text').textContent === 'You\\'ve unlocked free shipping'"
            ),
        )
        .await?;
    // Removing the camera leaves an empty basket: nothing to cross-sell, so the space the
    // placement holds shows the store's best sellers (its `basket_value.max: 0` rule)
    // rather than being given back, which would shift the page (issue 19).
    browser
        .click("document.querySelector('.cart-line .remove')")
        .await?;
    browser
        .wait_for(
            "the best sellers in the empty cart",
            &format!("{root}.querySelector('.title')?.textContent === 'Our best sellers'"),
        )
        .await?;
    assert_eq!(
        cards(&browser, "cart").await?,
        ["cable-cat6-20m", "nvr-8ch", "hdd-2tb", "cam-dome-4mp"]
    );
    assert_eq!(
        text(&browser, "cart", ".reason").await?,
        "One of our most-bought products"
    );
    assert_eq!(
        fetched(&browser).await?,
        before,
        "re-ranking fetched nothing"
    );

    // A different basket, a different ranking.
    browser
        .eval::<serde_json::Value>(
            "cartlift.setBasket([{id: 'nvr-8ch', quantity: 1}]); return null;",
            vec![],
        )
        .await?;
    browser
        .wait_for(
            "suggestions for the recorder",
            &format!("{root}.querySelectorAll('.card').length > 0"),
        )
        .await?;
    let second = cards(&browser, "cart").await?;
    assert!(!second.contains(&"nvr-8ch".to_owned()), "{second:?}");
    assert_ne!(first, second);
    browser.assert_clean().await?;
    browser.close().await
}

#[tokio::test]
async fn checkout_to_confirmation_suggests_completing_the_order_just_placed() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    browser
        .set_storage(&site, CART, r#"[{"id":"cam-dome-4mp","quantity":2}]"#)
        .await?;
    browser.goto(&site.url("/checkout.html")).await?;
    let checkout = shadow("checkout");
    browser
        .wait_for(
            "checkout suggestions",
            &format!("{checkout}.querySelectorAll('.card').length > 0"),
        )
        .await?;
    assert!(
        !cards(&browser, "checkout")
            .await?
            .contains(&"cam-dome-4mp".to_owned())
    );

    browser
        .click("document.getElementById('place-order')")
        .await?;
    browser
        .wait_for(
            "the confirmation page",
            "location.pathname === '/confirmation.html' && document.getElementById('complete-setup')?.hasAttribute('order')",
        )
        .await?;
    let root = shadow("confirmation");
    browser
        .wait_for(
            "complete-your-setup suggestions",
            &format!("{root}.querySelectorAll('.card').length > 0"),
        )
        .await?;
    assert_eq!(
        text(&browser, "confirmation", ".title").await?,
        "Complete your setup"
    );
    let suggested = cards(&browser, "confirmation").await?;
    assert!(
        !suggested.contains(&"cam-dome-4mp".to_owned()),
        "nothing from the order itself: {suggested:?}"
    );
    // The order emptied the cart; the confirmation still speaks about the order.
    let cart: String = browser
        .eval("return localStorage.getItem('watchpost-cart')", vec![])
        .await?;
    assert_eq!(cart, "[]");
    browser.assert_clean().await?;
    browser.close().await
}
