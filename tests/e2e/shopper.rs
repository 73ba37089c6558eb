//! The shopper's side: "not interested" survives reloads, events carry what analytics
//! needs, a failed add is reported honestly and can be retried, double clicks add once,
//! and the Persian store is right-to-left with native digits.

use anyhow::Result;
use cartlift_e2e::{Browser, Site, shadow};
use serde_json::{Value, json};

async fn add_on_ids(browser: &Browser) -> Result<Vec<String>> {
    browser
        .eval(
            &format!(
                "return [...{}.querySelectorAll('[data-list=add-ons] .card')].map(c => c.dataset.product)",
                shadow("product")
            ),
            vec![],
        )
        .await
}

async fn open_camera(browser: &Browser, site: &Site) -> Result<()> {
    browser
        .goto(&site.url("/products/cam-dome-4mp.html"))
        .await?;
    browser
        .wait_for(
            "the product placement",
            &format!(
                "{}.querySelectorAll('[data-list=add-ons] .card').length > 0",
                shadow("product")
            ),
        )
        .await
}

#[tokio::test]
async fn not_interested_is_remembered_across_reloads_and_reported() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    browser.record_events().await?;
    open_camera(&browser, &site).await?;
    let root = shadow("product");
    assert_eq!(add_on_ids(&browser).await?, ["sign-cctv", "install-kit"]);
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
    let events = browser.events().await?;
    let dismiss: Vec<&Value> = events
        .iter()
        .filter(|e| e["type"] == "cartlift:dismiss")
        .collect();
    assert_eq!(dismiss.len(), 1, "{events:#?}");
    assert_eq!(dismiss[0]["detail"]["product"], "sign-cctv");
    assert_eq!(dismiss[0]["detail"]["placement"], "product");
    assert_eq!(dismiss[0]["bubbles"], true);
    assert_eq!(dismiss[0]["composed"], true);
    assert!(
        dismiss[0]["detail"]["rules"]
            .as_array()
            .is_some_and(|r| !r.is_empty())
    );
    // Analytics get the same through the data layer (the demo config turns it on).
    let layer: Vec<Value> = browser
        .eval(
            "return (window.dataLayer || []).filter(e => e.event === 'cartlift_dismiss').map(e => e.cartlift.product)",
            vec![],
        )
        .await?;
    assert_eq!(layer, [json!("sign-cctv")]);

    browser.reload().await?;
    browser
        .wait_for(
            "the placement after reload",
            &format!("{root}.querySelectorAll('.member').length > 0"),
        )
        .await?;
    let after = add_on_ids(&browser).await?;
    assert!(!after.contains(&"sign-cctv".to_owned()), "{after:?}");
    let stored: String = browser
        .eval("return localStorage.getItem('cartlift:v1') || ''", vec![])
        .await?;
    assert!(stored.contains("sign-cctv"), "{stored}");
    browser.assert_clean().await?;
    browser.close().await
}

#[tokio::test]
async fn impressions_are_sent_once_per_view_when_visible() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    browser.record_events().await?;
    open_camera(&browser, &site).await?;
    // Rendered just below the fold (a quarter in view): no impression yet.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(browser.events().await?, Vec::<Value>::new());
    browser
        .eval::<Value>(
            "document.querySelector('cartlift-suggestions').scrollIntoView(); return null;",
            vec![],
        )
        .await?;
    browser
        .wait_for(
            "an impression",
            "(window.__events || []).some(e => e.type === 'cartlift:impression')",
        )
        .await?;
    // Re-rendering (a basket change) is not a new view.
    browser
        .eval::<Value>(
            "cartlift.setBasket([{id: 'hdd-2tb', quantity: 1}]); return null;",
            vec![],
        )
        .await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let impressions: Vec<Value> = browser
        .events()
        .await?
        .into_iter()
        .filter(|e| e["type"] == "cartlift:impression")
        .collect();
    assert_eq!(impressions.len(), 1, "{impressions:#?}");
    let detail = &impressions[0]["detail"];
    assert_eq!(detail["placement"], "product");
    assert_eq!(detail["bucket"], "treatment");
    assert_eq!(detail["experiment"], Value::Null);
    assert_eq!(detail["products"][0], "cable-cat6-20m");
    assert!(detail["rules"].as_array().is_some_and(|r| !r.is_empty()));
    browser.assert_clean().await?;
    browser.close().await
}

#[tokio::test]
async fn a_failed_add_says_so_offers_retry_and_double_clicks_add_once() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    open_camera(&browser, &site).await?;
    let root = shadow("product");
    // The store's cart rejects the first add (out of stock at the warehouse, say) and
    // counts every call.
    browser
        .eval::<Value>(
            r#"window.__calls = 0;
               cartlift.onAddToCart(async (item) => {
                 window.__calls += 1;
                 await new Promise((r) => setTimeout(r, 200));
                 if (window.__calls === 1) throw new Error('warehouse says no');
                 // Pages throw what they like: a plain object is reported as its JSON.
                 if (window.__calls === 2) throw { code: 'E42' };
                 window.__added = (window.__added || []).concat(item.id);
               });
               return null;"#,
            vec![],
        )
        .await?;
    let button = format!("{root}.querySelector('.card[data-product=\"sign-cctv\"] button.add')");
    // Two quick clicks while the first is in flight: one call.
    browser
        .eval::<Value>(
            &format!("{button}.click(); {button}.click(); return null;"),
            vec![],
        )
        .await?;
    browser
        .wait_for(
            "the failure to show",
            &format!("{button}.textContent === \"Couldn't add. Retry\""),
        )
        .await?;
    let calls: u32 = browser.eval("return window.__calls", vec![]).await?;
    assert_eq!(calls, 1, "a double click adds once");
    let added: Value = browser
        .eval("return window.__added || null", vec![])
        .await?;
    assert_eq!(added, Value::Null, "nothing was reported added");
    let announced: String = browser
        .eval(
            &format!("return {root}.querySelector('[role=status]').textContent"),
            vec![],
        )
        .await?;
    assert_eq!(announced, "Couldn't add. Retry");

    // The retry fails too, with a thrown object, and the one after it succeeds.
    browser.click(&button).await?;
    browser
        .wait_for(
            "the second failure",
            &format!("window.__calls === 2 && {button}.dataset.state === 'failed'"),
        )
        .await?;
    browser.click(&button).await?;
    browser
        .wait_for(
            "the retry to succeed",
            &format!("{button}.textContent === 'Added'"),
        )
        .await?;
    let added: Vec<String> = browser.eval("return window.__added", vec![]).await?;
    assert_eq!(added, ["sign-cctv"]);
    // One console warning per failure names it; nothing was thrown into the page.
    let problems = browser.problems().await?;
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("warehouse says no"), "{problems:#?}");
    assert!(
        problems[1].ends_with(r#": {"code":"E42"}"#),
        "{problems:#?}"
    );
    browser.close().await
}

#[tokio::test]
async fn the_persian_store_is_right_to_left_with_native_digits() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    browser
        .goto(&site.url("/fa/products/cam-dome-4mp.html"))
        .await?;
    let root = shadow("product");
    browser
        .wait_for(
            "the Persian placement",
            &format!("{root}.querySelectorAll('.member').length > 0"),
        )
        .await?;
    let seen: Value = browser
        .eval(
            &format!(
                r#"const p = {root}.querySelector('.placement');
                   return {{
                     dir: p.getAttribute('dir'),
                     lang: p.getAttribute('lang'),
                     direction: getComputedStyle(p).direction,
                     title: {root}.querySelector('.bundle .title').textContent,
                     price: {root}.querySelector('.member .now').textContent,
                     button: {root}.querySelector('.bundle .summary button.add').textContent,
                   }};"#
            ),
            vec![],
        )
        .await?;
    assert_eq!(seen["dir"], "rtl", "{seen:#}");
    assert_eq!(seen["direction"], "rtl", "{seen:#}");
    assert!(
        seen["lang"].as_str().is_some_and(|l| l.starts_with("fa")),
        "{seen:#}"
    );
    let persian_digits = |s: &str| s.chars().any(|c| ('۰'..='۹').contains(&c));
    let price = seen["price"].as_str().unwrap_or_default();
    assert!(persian_digits(price), "{price}");
    assert!(!price.chars().any(|c| c.is_ascii_digit()), "{price}");
    let title = seen["title"].as_str().unwrap_or_default();
    assert!(
        title
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "copy comes from the config's fa translation: {title}"
    );
    browser.assert_clean().await?;
    browser.close().await
}

/// A shopper in the holdout sees nothing (the reserved space is given back) while the
/// impression still reports what would have been shown, bucket and experiment, so a
/// store can measure the lift; with a 0% holdout everyone sees suggestions.
#[tokio::test]
async fn a_holdout_shopper_sees_nothing_and_is_reported_as_such() -> Result<()> {
    for (percent, bucket) in [(100, "holdout"), (0, "treatment")] {
        let site = Site::with_config(|config| {
            config["store"]["holdout"] = json!({ "experiment": "e2e-q4", "percent": percent });
        })?;
        let browser = Browser::start().await?;
        browser.record_events().await?;
        browser
            .goto(&site.url("/products/cam-dome-4mp.html"))
            .await?;
        browser.scroll_to_placement().await?;
        browser
            .wait_for(
                "the impression",
                "(window.__events || []).some(e => e.type === 'cartlift:impression')",
            )
            .await?;
        let impression = browser
            .events()
            .await?
            .into_iter()
            .find(|e| e["type"] == "cartlift:impression")
            .unwrap_or_default();
        let detail = &impression["detail"];
        assert_eq!(detail["bucket"], bucket, "{impression:#}");
        assert_eq!(detail["experiment"], "e2e-q4", "{impression:#}");
        assert_eq!(detail["products"][0], "cable-cat6-20m", "{impression:#}");
        let (empty, cards): (bool, u32) = browser
            .eval(
                &format!(
                    "const host = document.querySelector('cartlift-suggestions'); return [host.hasAttribute('data-empty'), {}.querySelectorAll('.member, .card').length]",
                    shadow("product")
                ),
                vec![],
            )
            .await?;
        if percent == 100 {
            assert!(empty && cards == 0, "held out: nothing shown");
            assert_eq!(detail["shown"], false);
        } else {
            assert!(!empty && cards > 0, "treatment: suggestions shown");
            assert_eq!(detail["shown"], true);
        }
        browser.assert_clean().await?;
        browser.close().await?;
    }
    Ok(())
}
