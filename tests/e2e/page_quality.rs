//! What the widget costs the host page: no layout shift while it loads and renders
//! (cumulative layout shift measured by Chromium's PerformanceObserver, at desktop width
//! and at 320 px), and no serious or critical accessibility violations (axe-core, shadow
//! roots included) on every page kind, in English and Persian.

use anyhow::{Result, ensure};
use cartlift_e2e::{Browser, Site, shadow};
use std::time::Duration;

/// The pages, each with the placement it carries and a cart to seed first.
const PAGES: &[(&str, &str, &str)] = &[
    ("/products/cam-dome-4mp.html", "product", "[]"),
    ("/products/nvr-8ch.html", "product", "[]"),
    (
        "/cart.html",
        "cart",
        r#"[{"id":"cam-dome-4mp","quantity":1}]"#,
    ),
    (
        "/checkout.html",
        "checkout",
        r#"[{"id":"cam-dome-4mp","quantity":2}]"#,
    ),
    ("/fa/products/cam-dome-4mp.html", "product", "[]"),
    (
        "/fa/cart.html",
        "cart",
        r#"[{"id":"nvr-8ch","quantity":1}]"#,
    ),
];

/// Loads a page with its cart seeded, scrolls the placement into view (as a shopper
/// would) and waits until it has rendered and its images have loaded.
async fn load(
    browser: &Browser,
    site: &Site,
    path: &str,
    placement: &str,
    cart: &str,
) -> Result<()> {
    browser.set_storage(site, "watchpost-cart", cart).await?;
    browser.goto(&site.url(path)).await?;
    // Placements render as they approach the viewport: bring this one there.
    browser.scroll_to_placement().await?;
    let root = shadow(placement);
    browser
        .wait_for(
            &format!("the {placement} placement on {path}"),
            &format!(
                "{root}.querySelector('.placement') && [...{root}.querySelectorAll('img')].every(i => i.complete)"
            ),
        )
        .await?;
    // Let late layout (fonts, lazy images near the fold) settle.
    tokio::time::sleep(Duration::from_millis(400)).await;
    Ok(())
}

async fn no_layout_shift(width: u32, height: u32) -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    browser.resize(width, height).await?;
    let mut failures = Vec::new();
    for &(path, placement, cart) in PAGES {
        load(&browser, &site, path, placement, cart).await?;
        let (cls, shifts) = browser.layout_shift().await?;
        if cls > 0.0 {
            failures.push(format!("{path} at {width}px: CLS {cls:.4}: {shifts:?}"));
        }
        browser.assert_clean().await?;
    }
    browser.close().await?;
    ensure!(
        failures.is_empty(),
        "layout shifts:\n{}",
        failures.join("\n")
    );
    Ok(())
}

#[tokio::test]
async fn no_layout_shift_on_desktop() -> Result<()> {
    no_layout_shift(1280, 1000).await
}

#[tokio::test]
async fn no_layout_shift_on_a_320px_phone() -> Result<()> {
    no_layout_shift(320, 640).await
}

#[tokio::test]
async fn no_serious_accessibility_violations() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    let mut failures = Vec::new();
    for &(path, placement, cart) in PAGES {
        load(&browser, &site, path, placement, cart).await?;
        for violation in browser.axe_serious().await? {
            failures.push(format!("{path}: {violation}"));
        }
    }
    browser.close().await?;
    ensure!(
        failures.is_empty(),
        "axe-core found serious or critical violations:\n{}",
        failures.join("\n")
    );
    Ok(())
}

#[tokio::test]
async fn every_control_is_reachable_by_keyboard_with_a_visible_focus() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    load(
        &browser,
        &site,
        "/products/cam-dome-4mp.html",
        "product",
        "[]",
    )
    .await?;
    // Every interactive element in the shadow root is in the tab order, and focusing it
    // draws an outline.
    let report: Vec<String> = browser
        .eval(
            &format!(
                r#"const root = {};
                   const bad = [];
                   for (const el of root.querySelectorAll('button, a[href], input')) {{
                     if (el.tabIndex < 0) bad.push(`not tabbable: ${{el.outerHTML.slice(0, 80)}}`);
                     el.focus({{ focusVisible: true }});
                     if (root.activeElement !== el) {{ bad.push(`cannot focus: ${{el.outerHTML.slice(0, 80)}}`); continue; }}
                     const s = getComputedStyle(el);
                     if (s.outlineStyle === 'none' || parseFloat(s.outlineWidth) < 2) bad.push(`no visible focus: ${{el.outerHTML.slice(0, 80)}}`);
                   }}
                   return bad;"#,
                shadow("product")
            ),
            vec![],
        )
        .await?;
    assert!(report.is_empty(), "{report:#?}");
    browser.close().await
}
