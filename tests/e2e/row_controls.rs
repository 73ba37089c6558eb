//! The row of suggestions scrolls sideways; where it is cut off it says so. At 1280 px the
//! product page's row (bundle, upgrade card, add-ons) overflows: a "next" button and a fade
//! show at the cut edge, "previous" only once scrolled, each hidden at its end; they scroll
//! the row by a click or the keyboard, mirrored in a right-to-left store; a row that fits
//! shows neither.

use anyhow::{Result, ensure};
use cartlift_e2e::{Browser, Site, shadow};
use fantoccini::key::Key;
use serde::Deserialize;

/// What a shopper sees of the row's controls.
#[derive(Debug, Deserialize)]
struct Row {
    /// `scrollLeft` of the strip (negative past the start in right to left).
    at: f64,
    overflows: bool,
    back: bool,
    next: bool,
    back_label: String,
    next_label: String,
    /// The buttons' left edges relative to the strip's (CSS px).
    back_x: f64,
    next_x: f64,
    strip_width: f64,
    /// The fade at each side, from the stylesheet's variables.
    fade_back: String,
    fade_more: String,
    /// The host's height against the space the loader reserved.
    host_height: f64,
    reserved: f64,
    /// The focused control in the placement, if any: `back`, `next` or another.
    focus: String,
}

fn row_state(root: &str) -> String {
    format!(
        r#"const root = {root};
           const s = root.querySelector('.strip'), p = s.parentNode;
           const back = root.querySelector('.scroll.back'), next = root.querySelector('.scroll.next');
           const box = s.getBoundingClientRect(), cs = getComputedStyle(s), host = root.host;
           const f = root.activeElement;
           return {{
             at: s.scrollLeft,
             overflows: s.scrollWidth > s.clientWidth + 1,
             back: back.checkVisibility(), next: next.checkVisibility(),
             back_label: back.getAttribute('aria-label'), next_label: next.getAttribute('aria-label'),
             back_x: back.getBoundingClientRect().left - box.left,
             next_x: next.getBoundingClientRect().left - box.left,
             strip_width: box.width,
             fade_back: cs.getPropertyValue('--_back').trim() || '0px',
             fade_more: cs.getPropertyValue('--_more').trim() || '0px',
             host_height: host.getBoundingClientRect().height,
             reserved: parseFloat(getComputedStyle(host).minHeight),
             focus: f ? (f.classList.contains('back') ? 'back' : f.classList.contains('next') ? 'next' : f.className) : '',
           }};"#
    )
}

async fn open(browser: &Browser, site: &Site, path: &str) -> Result<String> {
    browser.resize(1280, 1000).await?;
    browser.goto(&site.url(path)).await?;
    browser.scroll_to_placement().await?;
    let root = shadow("product");
    browser
        .wait_for(
            "the product placement to render and its row to be measured",
            &format!("{root}.querySelector('.placement[data-more]')"),
        )
        .await?;
    Ok(root)
}

/// Waits until the row stops moving (a smooth scroll) and returns its state.
async fn settled(browser: &Browser, root: &str) -> Result<Row> {
    let js = row_state(root);
    let mut last: Row = browser.eval(&js, vec![]).await?;
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let now: Row = browser.eval(&js, vec![]).await?;
        if (now.at - last.at).abs() < 0.5 {
            return Ok(now);
        }
        last = now;
    }
}

#[tokio::test]
async fn the_row_says_where_it_is_cut_and_scrolls_by_click_and_keyboard() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    let root = open(&browser, &site, "/products/cam-dome-4mp.html").await?;
    let start = settled(&browser, &root).await?;
    ensure!(start.overflows, "the row fits at 1280 px: {start:?}");
    ensure!(
        !start.back && start.next && start.at == 0.0,
        "at the start only 'next' shows: {start:?}"
    );
    ensure!(
        start.back_label == "Previous suggestions" && start.next_label == "More suggestions",
        "{start:?}"
    );
    ensure!(
        start.next_x > start.strip_width / 2.0,
        "'next' sits on the right edge: {start:?}"
    );
    ensure!(
        start.fade_back == "0px" && start.fade_more == "52px",
        "the fade is at the cut (right) edge only: {start:?}"
    );
    ensure!(
        (start.host_height - start.reserved).abs() < 0.5,
        "the placement is exactly as tall as the space reserved: {start:?}"
    );

    // A click on "next" scrolls about a row's width (or to the end, if nearer);
    // "previous" appears with its fade.
    browser
        .click(&format!("{root}.querySelector('.scroll.next')"))
        .await?;
    let clicked = settled(&browser, &root).await?;
    ensure!(
        clicked.at > 0.0 && clicked.back && clicked.fade_back == "52px",
        "'next' scrolled: {clicked:?}"
    );
    ensure!(
        !clicked.next || clicked.at > start.strip_width * 0.5,
        "'next' scrolled by about a row or to the end: {clicked:?}"
    );

    // The keyboard, from the start again: Enter on the focused "next" scrolls to the end
    // (at 1280 px the row is less than a row's width too wide), where "next" and its fade
    // go and the focus moves to "previous"; Enter there goes back to the start, where
    // "previous" goes and hands the focus back.
    browser
        .eval::<serde_json::Value>(
            &format!("{root}.querySelector('.strip').scrollLeft = 0; return null;"),
            vec![],
        )
        .await?;
    let again = settled(&browser, &root).await?;
    ensure!(again.at == 0.0 && !again.back && again.next, "{again:?}");
    browser.focus_window().await?;
    browser
        .eval::<serde_json::Value>(
            &format!("{root}.querySelector('.scroll.next').focus(); return null;"),
            vec![],
        )
        .await?;
    browser.press(Key::Enter).await?;
    let end = settled(&browser, &root).await?;
    ensure!(
        end.at > 0.0 && !end.next && end.back && end.fade_more == "0px",
        "Enter on 'next' scrolled to the end, where 'next' and its fade are gone: {end:?}"
    );
    ensure!(
        end.focus == "back",
        "the focus moved to 'previous' when 'next' hid: {end:?}"
    );
    browser.press(Key::Enter).await?;
    let back = settled(&browser, &root).await?;
    ensure!(
        back.at == 0.0 && back.next && !back.back && back.focus == "next",
        "Enter on 'previous' scrolled back to the start: {back:?}"
    );

    // A row that fits (the host made wide): no buttons, no fade.
    browser
        .eval::<serde_json::Value>(
            &format!("{root}.host.style.width = '4000px'; return null;"),
            vec![],
        )
        .await?;
    browser
        .wait_for(
            "the buttons to go when the row fits",
            &format!("!{root}.querySelector('.placement').matches('[data-more], [data-back]')"),
        )
        .await?;
    let wide = settled(&browser, &root).await?;
    ensure!(
        !wide.overflows && !wide.back && !wide.next && wide.fade_more == "0px",
        "{wide:?}"
    );
    browser.assert_clean().await?;
    browser.close().await
}

#[tokio::test]
async fn right_to_left_the_row_starts_at_the_right_and_next_goes_left() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    let root = open(&browser, &site, "/fa/products/cam-dome-4mp.html").await?;
    let start = settled(&browser, &root).await?;
    ensure!(
        start.overflows && !start.back && start.next && start.at == 0.0,
        "{start:?}"
    );
    ensure!(
        start.back_label == "پیشنهادهای قبلی" && start.next_label == "پیشنهادهای بیشتر",
        "the store's Persian texts name the buttons: {start:?}"
    );
    ensure!(
        start.next_x < start.strip_width / 2.0,
        "'next' sits on the left edge: {start:?}"
    );
    browser
        .click(&format!("{root}.querySelector('.scroll.next')"))
        .await?;
    let moved = settled(&browser, &root).await?;
    ensure!(
        moved.at < 0.0 && moved.back && (!moved.next || moved.at < -start.strip_width * 0.5),
        "'next' scrolled toward the end, leftwards: {moved:?}"
    );
    ensure!(
        moved.back_x > moved.strip_width / 2.0,
        "'previous' sits on the right edge: {moved:?}"
    );
    browser
        .click(&format!("{root}.querySelector('.scroll.back')"))
        .await?;
    let back = settled(&browser, &root).await?;
    ensure!(
        back.at == 0.0 && back.next && !back.back,
        "'previous' scrolled back to the start: {back:?}"
    );
    browser.assert_clean().await?;
    browser.close().await
}

#[tokio::test]
async fn with_reduced_motion_the_row_jumps_instead_of_gliding() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    browser
        .cdp(
            "Emulation.setEmulatedMedia",
            serde_json::json!({"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]}),
        )
        .await?;
    let root = open(&browser, &site, "/products/cam-dome-4mp.html").await?;
    // The click and the read in one script: a smooth scroll would have barely begun.
    let at: f64 = browser
        .eval(
            &format!(
                "const s = {root}.querySelector('.strip'); {root}.querySelector('.scroll.next').click(); return s.scrollLeft;"
            ),
            vec![],
        )
        .await?;
    let settled = settled(&browser, &root).await?;
    ensure!(
        at > 0.0 && (at - settled.at).abs() < 1.0,
        "with prefers-reduced-motion the row is where it ends at once: {at} then {settled:?}"
    );
    browser.assert_clean().await?;
    browser.close().await
}
