//! What the widget did, in the store's own records and in analytics (issue 21 §1, §2), on
//! the fake Shopify store with a holdout experiment:
//! - an add carries hidden line item properties (`_cartlift_placement`, `_cartlift_rule`)
//!   and writes the cart's hidden attributes (`_cartlift_bucket`, `_cartlift_experiment`,
//!   `_cartlift_added`), which Shopify carries to the order;
//! - a held-out shopper's cart with lines is marked `holdout` too, so `cartlift report` can
//!   compare the buckets;
//! - with `data_layer`, Google Analytics 4's `view_item_list`, `select_item` and
//!   `add_to_cart` reach `window.dataLayer` in Google's documented shape, each after an
//!   `{ecommerce: null}`, and cartlift's own events carry `value` and `currency`.

use anyhow::{Context, Result, ensure};
use cartlift_e2e::fake_store::Store;
use cartlift_e2e::{Browser, shadow};
use serde_json::{Value, json};

fn with_holdout(percent: u32) -> Result<Store> {
    Store::shopify_with_config(|config| {
        config["store"]["holdout"] = json!({"experiment": "q4", "percent": percent});
        config["store"]["data_layer"] = Value::Bool(true);
    })
}

#[tokio::test]
async fn an_add_is_recorded_on_the_line_and_the_cart_and_ga4_sees_it() -> Result<()> {
    let store = with_holdout(0)?;
    let browser = Browser::start().await?;
    browser.goto(&store.page_url()).await?;
    let root = shadow("product");
    let card = format!("{root}.querySelector('[data-list=add-ons] .card')");
    browser.wait_for("an add-on card", &card).await?;
    browser
        .eval::<Value>(
            "document.querySelector('cartlift-suggestions[placement=product]').scrollIntoView({block: 'center'}); return null;",
            vec![],
        )
        .await?;
    let (product, title): (String, String) = browser
        .eval(
            &format!("const c = {card}; return [c.dataset.product, c.querySelector('a.name').textContent]"),
            vec![],
        )
        .await?;
    if let Err(e) = browser
        .wait_for(
            "the GA4 impression of the product placement",
            "(window.dataLayer || []).some(e => e.event === 'view_item_list' && e.ecommerce.item_list_id === 'product')",
        )
        .await
    {
        let layer: Value = browser.eval("return [window.dataLayer, innerHeight, [...document.querySelectorAll('cartlift-suggestions')].map(e => [e.getAttribute('placement'), e.getBoundingClientRect().top, e.getBoundingClientRect().height, e.hasAttribute('data-empty'), e.__cartliftInView, e.__cartliftNear, !!e.shadowRoot])]", vec![]).await?;
        anyhow::bail!("{e:#}: {layer}");
    }
    browser
        .click(&format!(
            "{root}.querySelector('[data-list=add-ons] .card[data-product=\"{product}\"] button.add')"
        ))
        .await?;
    store
        .wait_until("the cart attributes with the add", |s| {
            s.cart_attributes().contains_key("_cartlift_added")
        })
        .await?;

    // The line: hidden properties saying where the add came from.
    let adds = store.posts("/cart/add.js");
    ensure!(adds.len() == 1, "{:#?}", store.api_requests());
    let properties = &adds[0].body["items"][0]["properties"];
    assert_eq!(properties["_cartlift_placement"], "product", "{properties}");
    let rule = properties["_cartlift_rule"]
        .as_str()
        .context("no _cartlift_rule")?
        .to_owned();
    ensure!(!rule.is_empty(), "{properties}");

    // The cart: the bucket, the experiment, and what was added (JSON), as the order keeps them.
    let attributes = store.cart_attributes();
    assert_eq!(attributes["_cartlift_bucket"], "treatment");
    assert_eq!(attributes["_cartlift_experiment"], "q4");
    let added: Value = serde_json::from_str(&attributes["_cartlift_added"])?;
    assert_eq!(added, json!([["product", product, rule]]));

    // GA4: the impression, then the add once the cart confirmed it.
    browser
        .wait_for(
            "GA4's add_to_cart",
            "window.dataLayer.some(e => e.event === 'add_to_cart')",
        )
        .await?;
    let layer: Vec<Value> = browser.eval("return window.dataLayer", vec![]).await?;
    // The page has a product and a cart placement: the product one's list.
    let view = layer
        .iter()
        .position(|e| e["event"] == "view_item_list" && e["ecommerce"]["item_list_id"] == "product")
        .context("no view_item_list of the product placement")?;
    let add = layer
        .iter()
        .position(|e| e["event"] == "add_to_cart")
        .context("no add_to_cart")?;
    for i in [view, add] {
        assert_eq!(layer[i - 1], json!({"ecommerce": null}), "{layer:#?}");
        assert_eq!(layer[i]["cartlift_bucket"], "treatment");
        assert_eq!(layer[i]["cartlift_experiment"], "q4");
    }
    let listed = &layer[view]["ecommerce"];
    assert_eq!(listed["item_list_id"], "product");
    let item = listed["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["item_id"] == product.as_str()))
        .with_context(|| format!("{product} not in view_item_list: {listed}"))?;
    assert_eq!(item["item_name"], title.as_str());
    assert_eq!(item["item_list_id"], "product");
    assert_eq!(item["quantity"], 1);
    ensure!(item["price"].as_f64().is_some_and(|p| p > 0.0), "{item}");
    ensure!(item["index"].as_u64().is_some(), "{item}");
    ensure!(
        item["item_list_name"]
            .as_str()
            .is_some_and(|n| !n.is_empty()),
        "{item}"
    );
    let price = item["price"].clone();
    let bought = &layer[add]["ecommerce"];
    assert_eq!(bought["currency"], "USD");
    assert_eq!(bought["value"], price);
    assert_eq!(bought["items"][0]["item_id"], product.as_str());
    assert_eq!(bought["items"][0]["price"], price);
    // cartlift's own event carries the value too.
    let own = layer
        .iter()
        .find(|e| e["event"] == "cartlift_add_to_cart")
        .context("no cartlift_add_to_cart")?;
    assert_eq!(own["cartlift"]["value"], price);
    assert_eq!(own["cartlift"]["currency"], "USD");
    browser.assert_clean().await?;
    browser.close().await
}

#[tokio::test]
async fn a_held_out_shoppers_cart_is_marked_holdout_and_sees_nothing() -> Result<()> {
    let store = with_holdout(100)?;
    store.seed(&[("cam-dome-4mp", 1)]);
    let browser = Browser::start().await?;
    browser.goto(&store.page_url()).await?;
    store
        .wait_until("the cart marked with the bucket", |s| {
            s.cart_attributes().contains_key("_cartlift_bucket")
        })
        .await?;
    let attributes = store.cart_attributes();
    assert_eq!(attributes["_cartlift_bucket"], "holdout");
    assert_eq!(attributes["_cartlift_experiment"], "q4");
    assert!(!attributes.contains_key("_cartlift_added"));
    browser
        .wait_for(
            "the placements to give their space back",
            "[...document.querySelectorAll('cartlift-suggestions')].every(e => e.hasAttribute('data-empty'))",
        )
        .await?;
    // Marked once: the next read finds it and writes nothing more.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let writes = store.posts("/cart/update.js");
    assert_eq!(writes.len(), 1, "{:#?}", store.api_requests());
    // Held out: GA4 hears of no list the shopper never saw.
    let views: usize = browser
        .eval(
            "return (window.dataLayer || []).filter(e => e.event === 'view_item_list').length",
            vec![],
        )
        .await?;
    assert_eq!(views, 0);
    browser.assert_clean().await?;
    browser.close().await
}
