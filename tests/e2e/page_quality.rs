//! What the widget costs the host page: no layout shift while it loads and renders
//! (cumulative layout shift measured by Chromium's PerformanceObserver, at desktop width
//! and at 320 px), and no serious or critical accessibility violations (axe-core, shadow
//! roots included) on every page kind, in English and Persian, and every control of a
//! placement reached by the Tab key with a visible focus.

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
    // An empty cart: the loader reserves the placement's space before it knows, so the
    // placement must fill it (the demo's best sellers) rather than give it back (issue 19:
    // CLS 0.031 when it collapsed).
    ("/cart.html", "cart", "[]"),
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
    ("/fa/cart.html", "cart", "[]"),
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
                "({root}.querySelector('.placement') || {root}.host.hasAttribute('data-empty')) && [...{root}.querySelectorAll('img')].every(i => i.complete)"
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
        eprintln!("{path} at {width}px, cart {cart}: CLS {:.4}", cls.abs());
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

/// Where the focus is after a key press, as seen from the product placement: `inside` it
/// or elsewhere on the page; `at`, the index of the focused element among the placement's
/// controls (`None` for another stop, such as a scrollable region); `visible`, whether it
/// draws an outline of at least 2 px.
#[derive(Debug, serde::Deserialize)]
struct Focus {
    inside: bool,
    at: Option<usize>,
    visible: bool,
    what: String,
}

/// The controls a keyboard user must be able to reach, in a placement's shadow root.
const CONTROLS: &str = "button, a[href], input";

/// More Tab presses than the product page has stops before and in its placement: the
/// focus must have come through the placement and left it by then.
const MAX_TABS: usize = 200;

/// A keyboard user tabs from the top of the page: every control of the placement is reached
/// by Tab (real key presses sent through WebDriver, not script focus), and every stop in the
/// placement draws a visible focus outline when reached.
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
    let root = shadow("product");
    // A keyboard user types into a focused window; without it Blink draws no focus at all
    // (see `Browser::focus_window`), which would blame the widget for the session.
    browser.focus_window().await?;
    ensure!(
        browser
            .eval::<bool>("return document.hasFocus();", vec![])
            .await?,
        "the browser window has no focus (document.hasFocus() is false): no page could show a focus ring"
    );
    // Each control, and whether it shows before any Tab: the row's "previous" button
    // shows only once the row has scrolled, so Tab cannot reach it from the start.
    let controls: Vec<(String, bool)> = browser
        .eval(
            &format!(
                "return [...{root}.querySelectorAll('{CONTROLS}')].map((el) => [el.outerHTML.slice(0, 80), el.checkVisibility()]);"
            ),
            vec![]
        )
        .await?;
    ensure!(
        !controls.is_empty(),
        "the product placement has no controls"
    );
    // The focused element, looked up through open shadow roots.
    let focus = format!(
        r#"const controls = [...{root}.querySelectorAll('{CONTROLS}')];
           let el = document.activeElement;
           while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
           const at = controls.indexOf(el);
           const s = el && getComputedStyle(el);
           return {{
             inside: !!el && {root}.contains(el),
             at: at < 0 ? null : at,
             visible: !!s && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
             what: el ? el.outerHTML.slice(0, 80) : 'nothing',
           }};"#
    );
    // Tab from the top of the page until the focus has passed through the placement (a
    // shadow root is one stop in the page's tab order: its controls come in one run).
    let mut visible: Vec<Option<bool>> = vec![None; controls.len()];
    let mut report = Vec::new();
    let mut inside = false;
    let mut trail = Vec::new();
    for _ in 0..MAX_TABS {
        browser.press(fantoccini::key::Key::Tab).await?;
        let now: Focus = browser.eval(&focus, vec![]).await?;
        if !now.inside {
            if inside {
                break;
            }
            trail.push(now.what);
            continue;
        }
        inside = true;
        match now.at {
            Some(at) => visible[at] = Some(now.visible),
            None if !now.visible => report.push(format!("no visible focus: {}", now.what)),
            None => {}
        }
    }
    ensure!(
        inside,
        "{MAX_TABS} Tab presses never reached the product placement; they went through {trail:#?}"
    );
    for ((control, shown), visible) in controls.iter().zip(&visible) {
        match visible {
            None if !shown => {}
            None => report.push(format!("not reachable with Tab: {control}")),
            Some(false) => report.push(format!("no visible focus: {control}")),
            Some(true) => {}
        }
    }
    ensure!(report.is_empty(), "{report:#?}");
    browser.assert_clean().await?;
    browser.close().await
}
