//! The config behind a bad network: missing, failing, slow, truncated, or an HTML error
//! page. The store's page keeps working, the widget gives its space back with one clear
//! console message, transient failures (and a request that hangs past the 15 s timeout)
//! are retried a bounded number of times, and a slow (10 s) server still gets its
//! suggestions shown.

use anyhow::Result;
use cartlift_demo::http::Response;
use cartlift_e2e::{Browser, Site, shadow};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Serves the demo with `/cartlift/config.json` answered by `answer(try number)`, and
/// counts the tries.
fn site(
    answer: impl Fn(usize, &str) -> Response + Send + Sync + 'static,
) -> Result<(Site, Arc<AtomicUsize>)> {
    let real = std::fs::read_to_string(
        std::path::PathBuf::from(std::env::var("CARTLIFT_SITE").unwrap_or_default())
            .join("cartlift/config.json"),
    )?;
    let tries = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&tries);
    let site = Site::with_handler(move |request| {
        (request.path == "/cartlift/config.json")
            .then(|| answer(counted.fetch_add(1, Ordering::SeqCst) + 1, &real))
    })?;
    Ok((site, tries))
}

async fn open(browser: &Browser, site: &Site) -> Result<()> {
    browser
        .goto(&site.url("/products/cam-dome-4mp.html"))
        .await?;
    browser.scroll_to_placement().await?;
    Ok(())
}

/// The widget gave up: space returned, nothing rendered, exactly one `cartlift:` warning
/// containing `expect`, and the store's own Add to cart still works.
async fn gave_up_cleanly(browser: &Browser, expect: &str) -> Result<()> {
    browser
        .wait_for(
            "the placement to give its space back",
            "document.querySelector('cartlift-suggestions').hasAttribute('data-empty')",
        )
        .await?;
    let problems = browser.messages().await?;
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with("console.warn: cartlift:") && problems[0].contains(expect),
        "{problems:#?}"
    );
    let cards: usize = browser
        .eval(
            &format!(
                "return {}.querySelectorAll('.card, .member').length",
                shadow("product")
            ),
            vec![],
        )
        .await?;
    assert_eq!(cards, 0);
    browser
        .click("document.querySelector('button.buy[data-add]')")
        .await?;
    browser
        .wait_for(
            "the store's own cart to work",
            "document.getElementById('cart-count').textContent === '1'",
        )
        .await
}

#[tokio::test]
async fn a_missing_config_is_not_retried_and_the_page_works() -> Result<()> {
    let (site, tries) = site(|_, _| Response::text(404, "not found"))?;
    let browser = Browser::start().await?;
    open(&browser, &site).await?;
    gave_up_cleanly(&browser, "HTTP 404").await?;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(tries.load(Ordering::SeqCst), 1, "a 404 is not retried");
    browser.close().await
}

#[tokio::test]
async fn a_failing_server_is_retried_twice_then_given_up() -> Result<()> {
    let (site, tries) = site(|_, _| Response::text(500, "boom"))?;
    let browser = Browser::start().await?;
    open(&browser, &site).await?;
    gave_up_cleanly(&browser, "HTTP 500 (after 3 tries)").await?;
    assert_eq!(tries.load(Ordering::SeqCst), 3);
    browser.close().await
}

#[tokio::test]
async fn a_blip_is_retried_and_suggestions_appear() -> Result<()> {
    let (site, tries) = site(|n, real| {
        if n == 1 {
            Response::text(503, "deploy in progress")
        } else {
            Response::new(200, "application/json", real.to_owned())
        }
    })?;
    let browser = Browser::start().await?;
    open(&browser, &site).await?;
    browser
        .wait_for(
            "suggestions after the retry",
            &format!(
                "{}.querySelectorAll('.member').length > 0",
                shadow("product")
            ),
        )
        .await?;
    assert_eq!(tries.load(Ordering::SeqCst), 2);
    let problems: Vec<String> = browser
        .problems()
        .await?
        .into_iter()
        .filter(|p| !p.starts_with("HTTP 503"))
        .collect();
    assert_eq!(problems, Vec::<String>::new());
    browser.close().await
}

/// Waits up to 25 s (longer than `wait_for`'s timeout: the widget's own 15 s timeout or
/// a 10 s server is in the way) for the product placement's bundle; fails saying `what`.
async fn suggestions_within_25_s(browser: &Browser, what: &str) -> Result<()> {
    let deadline = std::time::Instant::now() + Duration::from_secs(25);
    loop {
        let shown: bool = browser
            .eval(
                &format!(
                    "return {}.querySelectorAll('.member').length > 0",
                    shadow("product")
                ),
                vec![],
            )
            .await?;
        if shown {
            return Ok(());
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no suggestions within 25 s {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A config request that hangs is abandoned at the widget's 15 s timeout and tried
/// again; the second answers, and the suggestions appear.
#[tokio::test]
async fn a_config_request_that_hangs_times_out_and_is_retried() -> Result<()> {
    let (site, tries) = site(|n, real| {
        let mut r = Response::new(200, "application/json", real.to_owned());
        if n == 1 {
            r.delay = Duration::from_secs(30);
        }
        r
    })?;
    let browser = Browser::start().await?;
    open(&browser, &site).await?;
    let started = std::time::Instant::now();
    suggestions_within_25_s(&browser, "after the hang").await?;
    assert!(
        started.elapsed() > Duration::from_secs(10),
        "shown before the timeout could have passed"
    );
    assert_eq!(tries.load(Ordering::SeqCst), 2);
    browser.assert_clean().await?;
    browser.close().await
}

#[tokio::test]
async fn a_slow_server_still_gets_its_suggestions_shown() -> Result<()> {
    let (site, _) = site(|_, real| {
        let mut r = Response::new(200, "application/json", real.to_owned());
        r.delay = Duration::from_secs(10);
        r
    })?;
    let browser = Browser::start().await?;
    open(&browser, &site).await?;
    // The space is held meanwhile, and the store's page is usable.
    browser
        .click("document.querySelector('button.buy[data-add]')")
        .await?;
    browser
        .wait_for(
            "the store's cart while the config is on its way",
            "document.getElementById('cart-count').textContent === '1'",
        )
        .await?;
    suggestions_within_25_s(&browser, "from the slow server").await?;
    browser.assert_clean().await?;
    browser.close().await
}

#[tokio::test]
async fn truncated_json_and_html_error_pages_are_named_as_such() -> Result<()> {
    for (body, kind, expect) in [
        ("TRUNCATED", "application/json", "the JSON is cut short"),
        (
            "<!doctype html><title>502 Bad Gateway</title>",
            "text/html; charset=utf-8",
            "an HTML page",
        ),
    ] {
        let (site, _) = site(move |_, real| {
            let text = if body == "TRUNCATED" {
                real[..real.len() / 2].to_owned()
            } else {
                body.to_owned()
            };
            Response::new(200, kind, text)
        })?;
        let browser = Browser::start().await?;
        open(&browser, &site).await?;
        gave_up_cleanly(&browser, expect).await?;
        browser.close().await?;
    }
    Ok(())
}

/// A CDN that labels the config `text/plain` or `application/octet-stream` costs nothing:
/// the body is JSON, so it is read as JSON.
#[tokio::test]
async fn a_config_with_the_wrong_content_type_is_still_read() -> Result<()> {
    for kind in ["text/plain; charset=utf-8", "application/octet-stream"] {
        let (site, _) = site(move |_, real| Response::new(200, kind, real.to_owned()))?;
        let browser = Browser::start().await?;
        open(&browser, &site).await?;
        browser
            .wait_for(
                "suggestions",
                &format!(
                    "{}.querySelectorAll('.member').length > 0",
                    shadow("product")
                ),
            )
            .await?;
        browser.assert_clean().await?;
        browser.close().await?;
    }
    Ok(())
}
