//! A shopper's walk through the demo store, as a person would click it: home, a category,
//! a product, the cart, checkout, the order confirmation; the widget on every page that
//! carries a placement, and the order appended to the store's order history.

use anyhow::Result;
use cartlift_e2e::{Browser, Site, shadow};

async fn wait_placement(browser: &Browser, placement: &str) -> Result<()> {
    browser.scroll_to_placement().await?;
    browser
        .wait_for(
            &format!("the {placement} placement"),
            &format!(
                "{}.querySelectorAll('.card, .member').length > 0",
                shadow(placement)
            ),
        )
        .await
}

async fn path(browser: &Browser) -> Result<String> {
    browser.eval("return location.pathname", vec![]).await
}

#[tokio::test]
async fn home_to_order_confirmation_with_the_widget_on_every_page() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    browser.goto(&site.url("/")).await?;
    browser
        .click("document.querySelector('nav.menu a[href=\"/category/cameras.html\"]')")
        .await?;
    assert_eq!(path(&browser).await?, "/category/cameras.html");
    let tiles: usize = browser
        .eval(
            "return document.querySelectorAll('.tiles .tile').length",
            vec![],
        )
        .await?;
    assert_eq!(tiles, 6, "six cameras in the catalog");
    browser
        .click("document.querySelector('.tile a[href=\"/products/cam-bullet-4mp.html\"]')")
        .await?;
    assert_eq!(path(&browser).await?, "/products/cam-bullet-4mp.html");
    wait_placement(&browser, "product").await?;

    // The store's own button adds the camera; then the first add-on from the widget.
    browser
        .click("document.querySelector('button.buy[data-add]')")
        .await?;
    browser
        .wait_for(
            "the camera in the cart",
            "document.getElementById('cart-count').textContent === '1'",
        )
        .await?;
    let add_on = format!(
        "{}.querySelector('[data-list=add-ons] .card button.add')",
        shadow("product")
    );
    browser.click(&add_on).await?;
    browser
        .wait_for(
            "the add-on in the cart",
            "document.getElementById('cart-count').textContent === '2'",
        )
        .await?;

    browser
        .click("document.querySelector('a.cart-link')")
        .await?;
    assert_eq!(path(&browser).await?, "/cart.html");
    let lines: usize = browser
        .eval(
            "return document.querySelectorAll('.cart-line').length",
            vec![],
        )
        .await?;
    assert_eq!(lines, 2);
    wait_placement(&browser, "cart").await?;

    browser
        .click("document.querySelector('.cart-actions a.buy')")
        .await?;
    assert_eq!(path(&browser).await?, "/checkout.html");
    wait_placement(&browser, "checkout").await?;

    browser
        .click("document.getElementById('place-order')")
        .await?;
    browser
        .wait_for(
            "the confirmation page",
            "location.pathname === '/confirmation.html'",
        )
        .await?;
    wait_placement(&browser, "confirmation").await?;
    // The order joined the store's order history: its two lines end /data/orders.csv,
    // and the studio mines the history with it.
    let order: String = browser
        .eval(
            "return JSON.parse(localStorage.getItem('watchpost-last-order')).id",
            vec![],
        )
        .await?;
    let history: String = browser
        .eval(
            "return fetch('/data/orders.csv').then(r => r.text())",
            vec![],
        )
        .await?;
    let committed = std::fs::read_to_string(cartlift_demo::orders_path())?;
    let placed: Vec<&str> = history
        .strip_prefix(committed.as_str())
        .expect("the committed history comes first")
        .lines()
        .collect();
    assert_eq!(placed.len(), 2, "{placed:?}");
    let mut skus: Vec<&str> = placed
        .iter()
        .map(|row| {
            let fields: Vec<&str> = row.split(',').collect();
            assert_eq!(fields.len(), 4, "{row}");
            assert_eq!(fields[0], order, "{row}");
            assert_eq!(fields[3], "1", "{row}");
            fields[2]
        })
        .collect();
    skus.sort_unstable();
    skus.dedup();
    assert_eq!(skus.len(), 2, "two products: {skus:?}");
    assert!(skus.contains(&"cam-bullet-4mp"), "{skus:?}");
    let orders = cartlift_demo::orders::ORDERS + 1;
    browser.goto(&site.url("/studio/")).await?;
    browser
        .wait_for("the studio", "document.querySelector('#store-orders')")
        .await?;
    browser
        .click("document.querySelector('#store-orders')")
        .await?;
    browser
        .wait_for(
            "the store's orders to be mined",
            "document.querySelector('#mining-summary')",
        )
        .await?;
    let summary: String = browser
        .eval(
            "return document.querySelector('#mining-summary').textContent",
            vec![],
        )
        .await?;
    assert!(
        summary.starts_with(&format!("the store's orders: {orders} orders")),
        "{summary}"
    );
    browser.assert_clean().await?;
    browser.close().await
}
