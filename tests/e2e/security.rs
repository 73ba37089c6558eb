//! Hostile catalog data and a strict Content-Security-Policy: nothing from the config
//! executes, links and images keep only safe URLs, no shop data reaches CSS (not even
//! through the theming custom properties), and the widget needs no inline script, no
//! eval and no inline style.

use anyhow::Result;
use cartlift_e2e::{Browser, Site, shadow};
use serde_json::{Value, json};

/// Sets `field` of the demo catalog's product `id`.
fn set(config: &mut Value, id: &str, field: &str, value: Value) {
    if let Some(product) = config["catalog"]
        .as_array_mut()
        .and_then(|c| c.iter_mut().find(|p| p["id"] == id))
    {
        product[field] = value;
    }
}

/// One payload of the hostile-data corpus `tests/data/xss.json`, shared with `cartlift
/// email`'s tests (`cli/tests/cli/email.rs`).
fn payload(name: &str) -> String {
    let corpus: Value = serde_json::from_str(include_str!("../data/xss.json")).expect("xss.json");
    corpus[name].as_str().expect("a payload").to_owned()
}

#[tokio::test]
async fn xss_payloads_in_the_catalog_stay_text_and_urls_stay_safe() -> Result<()> {
    let img = payload("img");
    let img = img.as_str();
    let script = payload("script");
    // CSS that would hide the widget or load a `javascript:` URL if it reached a
    // stylesheet or a `style` attribute.
    let css_payload = payload("css");
    let site = Site::with_config(|config| {
        set(config, "cable-cat6-20m", "title", json!(img));
        set(config, "hdd-2tb", "title", json!(script));
        set(config, "hdd-2tb", "vendor", json!(img));
        // No whitespace, so a valid relative URL: set through the DOM, it stays one.
        set(config, "hdd-2tb", "url", json!(payload("url_attribute")));
        set(
            config,
            "cable-cat6-20m",
            "image",
            json!(payload("image_attribute")),
        );
        // Refused by validation: these products are left out, with one message.
        set(config, "nvr-8ch", "url", json!(payload("javascript_url")));
        set(config, "install-kit", "image", json!(payload("data_url")));
        config["store"]["copy"]["en"] =
            json!({ "product_title": img, "add_ons_title": payload("style") });
        // CSS in a compared attribute (the upgrade card shows it next to the 4 MP dome's).
        if let Some(p) = config["catalog"]
            .as_array_mut()
            .and_then(|c| c.iter_mut().find(|p| p["id"] == "cam-dome-4k"))
        {
            p["attributes"]["Resolution"] = json!(css_payload);
        }
    })?;
    let browser = Browser::start().await?;
    browser
        .goto(&site.url("/products/cam-dome-4mp.html"))
        .await?;
    let root = shadow("product");
    browser
        .wait_for(
            "the product placement",
            &format!("{root}.querySelector('[data-product=\"cable-cat6-20m\"]')"),
        )
        .await?;
    browser
        .wait_for(
            "the upgrade card",
            &format!("{root}.querySelector('.upgrade')"),
        )
        .await?;
    // The store's theming hooks given hostile values: they only ever style.
    let _: Value = browser
        .eval(
            "const host = document.querySelector('cartlift-suggestions'); host.style.setProperty('--cartlift-accent', \"url(javascript:window.__pwned='var')\"); host.style.setProperty('--cartlift-font', `x;}</style><img src=x onerror=\"window.__pwned='font'\">`); return null;",
            vec![],
        )
        .await?;
    // Hover and focus everything, then give any handler time to run.
    let _: Value = browser
        .eval(
            &format!(
                "for (const e of {root}.querySelectorAll('*')) {{ for (const t of ['mouseover', 'mouseenter', 'focus', 'error', 'load']) e.dispatchEvent(new Event(t)); }} return null;"
            ),
            vec![],
        )
        .await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let pwned: Value = browser
        .eval("return window.__pwned ?? null;", vec![])
        .await?;
    assert_eq!(pwned, Value::Null, "a payload ran");
    let dangerous: Vec<String> = browser
        .eval(
            &format!(
                "return [...{root}.querySelectorAll('script, style, [onerror], [onload], [onmouseover], iframe, object')].map((e) => e.outerHTML);"
            ),
            vec![],
        )
        .await?;
    assert!(dangerous.is_empty(), "{dangerous:?}");
    let urls: Vec<String> = browser
        .eval(
            &format!(
                "return [...{root}.querySelectorAll('a[href]')].map((a) => a.href).concat([...{root}.querySelectorAll('img')].map((i) => i.src));"
            ),
            vec![],
        )
        .await?;
    assert!(!urls.is_empty());
    let origin = site.url("/");
    for url in &urls {
        assert!(url.starts_with(&origin), "{url} left the store's origin");
    }
    let text: String = browser
        .eval(&format!("return {root}.textContent;"), vec![])
        .await?;
    assert!(text.contains(img), "the payload shows as text: {text}");
    assert!(
        text.contains(&css_payload),
        "the CSS payload shows as text: {text}"
    );
    // No shop data reaches a style: the widget sets no inline style at all.
    let styled: Vec<String> = browser
        .eval(
            &format!("return [...{root}.querySelectorAll('[style]')].map((e) => e.outerHTML);"),
            vec![],
        )
        .await?;
    assert!(styled.is_empty(), "{styled:?}");
    assert!(
        !text.contains("8-Channel"),
        "the javascript: product is left out"
    );
    let problems = browser.problems().await?;
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("cartlift:") && problems[0].contains("`javascript:`"));
    browser.close().await
}

/// The policy the README tells a store to send, and nothing more.
pub const STORE_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'";

#[tokio::test]
async fn the_widget_runs_under_a_strict_content_security_policy() -> Result<()> {
    let site = Site::with_handler(|request| {
        request.path.ends_with(".html").then(|| {
            let dir = std::env::var_os("CARTLIFT_SITE").unwrap_or_default();
            let mut page = cartlift_demo::server::serve_file(std::path::Path::new(&dir), request);
            // The demo's own `data:,` favicon is not cartlift's to allow.
            page.body = String::from_utf8_lossy(&page.body)
                .replace(
                    r#"href="data:,""#,
                    r#"href="/img/products/cam-dome-4mp.svg""#,
                )
                .into_bytes();
            page.with_header("Content-Security-Policy", STORE_CSP)
        })
    })?;
    let browser = Browser::start().await?;
    browser
        .before_each_page(
            "document.addEventListener('securitypolicyviolation', (e) => window.__probe.push(`csp: ${e.violatedDirective} ${e.blockedURI}`));",
        )
        .await?;
    browser
        .goto(&site.url("/products/cam-dome-4mp.html"))
        .await?;
    let root = shadow("product");
    browser
        .wait_for(
            "the product placement under CSP",
            &format!("{root}.querySelectorAll('.member').length > 0"),
        )
        .await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    browser.assert_clean().await?;
    browser.close().await
}
