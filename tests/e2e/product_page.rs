//! The product placement on a real product page: suggestions render inside the shadow
//! root, "Add to cart" reaches the store's cart, and the page stays clean.

use anyhow::Result;
use cartlift_e2e::{Browser, Site, shadow};

#[tokio::test]
async fn suggestions_render_and_add_to_cart_updates_the_store_cart() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    browser
        .goto(&site.url("/products/cam-dome-4mp.html"))
        .await?;
    let root = shadow("product");
    browser
        .wait_for(
            "the product placement",
            &format!("{root}.querySelectorAll('.card').length > 0"),
        )
        .await?;

    // The bought-together rules for this camera, strongest first (the junction box is
    // fifth, cut by max_items.product = 4), then the camera add-ons.
    let cards: Vec<(String, String, String)> = browser
        .eval(
            &format!(
                "return [...{root}.querySelectorAll('.card')].map(c => [c.dataset.product, c.querySelector('.now').textContent, c.querySelector('.reason').textContent]);"
            ),
            vec![],
        )
        .await?;
    let ids: Vec<&str> = cards.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(
        ids,
        [
            "cable-cat6-20m",
            "nvr-8ch",
            "hdd-2tb",
            "mount-wall",
            "sign-cctv",
            "install-kit"
        ]
    );
    assert_eq!(
        cards[0].1, "$18.00",
        "price formatted by Intl for en-US/USD"
    );
    assert_eq!(
        cards[0].2,
        "Bought together with Dome Camera 4 MP, PoE by 58% of shoppers"
    );
    let title: String = browser
        .eval(
            &format!("return {root}.querySelector('.title').textContent"),
            vec![],
        )
        .await?;
    assert_eq!(title, "Frequently bought together");

    let count = || {
        browser.eval::<String>(
            "return document.getElementById('cart-count').textContent",
            vec![],
        )
    };
    assert_eq!(count().await?, "0");
    browser
        .click(&format!(
            "{root}.querySelector('.card[data-product=\"nvr-8ch\"] button.add')"
        ))
        .await?;
    browser
        .wait_for(
            "the cart count to change",
            "document.getElementById('cart-count').textContent === '1'",
        )
        .await?;
    // The basket now holds the recorder, so the widget re-ranks without it.
    browser
        .wait_for(
            "the recorder to leave the suggestions",
            &format!("!{root}.querySelector('.card[data-product=\"nvr-8ch\"]')"),
        )
        .await?;
    let ids: Vec<String> = browser
        .eval(
            &format!("return [...{root}.querySelectorAll('.card')].map(c => c.dataset.product)"),
            vec![],
        )
        .await?;
    assert_eq!(
        ids,
        [
            "cable-cat6-20m",
            "hdd-2tb",
            "mount-wall",
            "junction-box",
            "sign-cctv",
            "install-kit"
        ]
    );
    let stored: String = browser
        .eval("return localStorage.getItem('watchpost-cart')", vec![])
        .await?;
    assert_eq!(stored, r#"[{"id":"nvr-8ch","quantity":1}]"#);

    browser.assert_clean().await?;
    browser.close().await
}
