//! The bundle price the widget promises is the price the shopper pays (issue 19 §6),
//! against the fake Shopify and WooCommerce stores, whose config grants the 5% bundle
//! discount with the code `BUNDLE5`: after adding a whole bundle the adapter applies the
//! code and checks the cart; a store that refuses the code gets one console warning and
//! the bundle price is not promised again on the page.

use anyhow::{Result, ensure};
use cartlift_e2e::fake_store::Store;
use cartlift_e2e::{Browser, shadow};

/// Opens the product page and waits for its bundle with the bundle price.
async fn open(browser: &Browser, store: &Store) -> Result<()> {
    browser.goto(&store.page_url()).await?;
    let root = shadow("product");
    browser
        .wait_for(
            "the bundle with its bundle price",
            &format!("!!{root}.querySelector('.bundle .deal')"),
        )
        .await
}

/// The bundle's members, and whether the page shows a bundle price anywhere.
async fn members_and_deal(browser: &Browser) -> Result<(Vec<String>, bool)> {
    let root = shadow("product");
    browser
        .eval(
            &format!(
                "return [[...{root}.querySelectorAll('.bundle .member')].map(m => m.dataset.product), !!{root}.querySelector('.deal')]"
            ),
            vec![],
        )
        .await
}

async fn add_the_whole_bundle(browser: &Browser, store: &Store) -> Result<Vec<String>> {
    let (members, deal) = members_and_deal(browser).await?;
    ensure!(deal && members.len() >= 2, "{members:?}");
    browser
        .click(&format!(
            "{}.querySelector('.bundle .summary button')",
            shadow("product")
        ))
        .await?;
    store
        .wait_until("the whole bundle in the cart", |s| {
            let cart = s.cart();
            members.iter().all(|m| cart.iter().any(|(id, _)| id == m))
        })
        .await?;
    Ok(members)
}

async fn the_code_is_applied_and_checked(store: Store, apply_path: &str) -> Result<()> {
    let browser = Browser::start().await?;
    open(&browser, &store).await?;
    add_the_whole_bundle(&browser, &store).await?;
    store
        .wait_until("the bundle's code applied", |s| {
            s.applied_codes()
                .iter()
                .any(|c| c.eq_ignore_ascii_case("BUNDLE5"))
        })
        .await?;
    // The discount is applied once (Shopify's `/cart/update.js` also takes cartlift's
    // cart attributes, which are not about the discount).
    let applies: Vec<_> = store
        .posts(apply_path)
        .into_iter()
        .filter(|r| r.body.get("attributes").is_none())
        .collect();
    ensure!(applies.len() == 1, "{:#?}", store.api_requests());
    // Granted: nothing to say.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    browser.assert_clean().await?;
    browser.close().await
}

#[tokio::test]
async fn shopify_applies_the_bundle_code_and_the_cart_shows_the_discount() -> Result<()> {
    the_code_is_applied_and_checked(Store::shopify()?, "/cart/update.js").await
}

#[tokio::test]
async fn woocommerce_applies_the_bundle_coupon_and_the_cart_shows_the_discount() -> Result<()> {
    the_code_is_applied_and_checked(Store::woocommerce()?, "/cart/apply-coupon").await
}

async fn a_refused_code_withdraws_the_bundle_price(store: Store, warning: &str) -> Result<()> {
    store.refuse_discount_codes();
    let browser = Browser::start().await?;
    open(&browser, &store).await?;
    add_the_whole_bundle(&browser, &store).await?;
    let message = format!(
        "console.warn: cartlift: the store did not grant the bundle discount ({warning}); the bundle price is no longer shown on this page"
    );
    browser
        .wait_for(
            "the warning",
            &format!(
                "(window.__probe || []).includes({})",
                serde_json::to_string(&message)?
            ),
        )
        .await?;
    // The items stay added (the add did succeed); the promise is gone from the page.
    let (_, deal) = members_and_deal(&browser).await?;
    ensure!(!deal, "the bundle price is still promised");
    // That one warning, and nothing else.
    assert_eq!(browser.messages().await?, [message]);
    browser.close().await
}

#[tokio::test]
async fn shopify_a_refused_code_withdraws_the_bundle_price() -> Result<()> {
    a_refused_code_withdraws_the_bundle_price(
        Store::shopify()?,
        "code BUNDLE5 was not applied to the cart",
    )
    .await
}

#[tokio::test]
async fn woocommerce_a_refused_coupon_withdraws_the_bundle_price() -> Result<()> {
    a_refused_code_withdraws_the_bundle_price(
        Store::woocommerce()?,
        "Coupon \"bundle5\" does not exist! (HTTP 400)",
    )
    .await
}
