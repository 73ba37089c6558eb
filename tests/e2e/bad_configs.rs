//! Every config of the bad-config corpus (`tests/data/bad-configs/`) served, byte for byte,
//! as the demo product page's config: the widget shows nothing or only the valid part,
//! says what is wrong in exactly one `cartlift:` console message, throws nothing into the
//! page, and the store's own script keeps working ("Add to cart" updates the header).

use anyhow::{Result, bail};
use cartlift_demo::http::Response;
use cartlift_e2e::bad_configs::{self, BadConfig};
use cartlift_e2e::{Browser, Site, shadow};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// What a browser reads as a valid config: `Response.text()` drops a UTF-8 byte order
/// mark and reads Latin-1 bytes as U+FFFD (so the title is odd, not broken); `JSON.parse`
/// keeps the last of a member written twice and takes a lone surrogate escape as a
/// string's character. The CLI refuses all four; the widget rightly shows the config.
const VALID_IN_A_BROWSER: [&str; 4] = [
    "bom-utf8.json",
    "latin1-title.json",
    "duplicate-key.json",
    "lone-surrogate.json",
];

/// Where the widget finds the problem in a document `JSON.parse` reads but the CLI's
/// parser refuses as a whole: a number beyond `f64` is `Infinity` to the browser (so the
/// price is not finite), and deep nesting is parsed, then refused where the schema wants
/// something else.
const IN_A_BROWSER: [(&str, &str); 4] = [
    ("number-too-large.json", "catalog[0].price"),
    ("number-1m-digits", "catalog[0].price"),
    ("deep-arrays-100k", "catalog[0]"),
    ("deep-objects-100k", "catalog[3].attributes.a"),
];

/// The catalog of `valid-base.json`, the only products the valid part may show.
const BASE_PRODUCTS: [&str; 5] = [
    "cam-dome-4mp",
    "cable-cat6-20m",
    "hdd-2tb",
    "sign-cctv",
    "cam-dome-4k",
];

#[tokio::test]
async fn bad_configs_leave_the_page_working_with_one_message_each() -> Result<()> {
    let body: Arc<Mutex<Vec<u8>>> = Arc::default();
    let served = Arc::clone(&body);
    let site = Site::with_handler(move |request| {
        (request.path == "/cartlift/config.json").then(|| {
            let bytes = served.lock().map(|b| b.clone()).unwrap_or_default();
            Response::new(200, "application/json", bytes).with_header("Cache-Control", "no-store")
        })
    })?;
    let browser = Browser::start().await?;
    let started = Instant::now();

    let mut cases = vec![BadConfig {
        name: "valid-base.json".into(),
        bytes: bad_configs::base().into_bytes(),
        path: String::new(),
        at: None,
        message: String::new(),
    }];
    cases.extend(bad_configs::all());
    let (mut nothing, mut partial, mut valid, mut failures) = (0, 0, 0, Vec::new());
    for case in &cases {
        *body.lock().expect("the config lock") = case.bytes.clone();
        let t = Instant::now();
        match check(&browser, &site, case).await {
            Ok(Outcome::Nothing) => nothing += 1,
            Ok(Outcome::Partial) => partial += 1,
            Ok(Outcome::Valid) => valid += 1,
            Err(e) => failures.push(format!("{}: {e:#}", case.name)),
        }
        eprintln!("{:>7.0} ms  {}", t.elapsed().as_secs_f64() * 1e3, case.name);
    }
    eprintln!(
        "{} configs in {:.1} s: {nothing} render nothing, {partial} only their valid part, {valid} valid in a browser; {} failed",
        cases.len(),
        started.elapsed().as_secs_f64(),
        failures.len()
    );
    if !failures.is_empty() {
        bail!("{}", failures.join("\n"));
    }
    assert!(cases.len() > 50);
    browser.close().await
}

enum Outcome {
    Nothing,
    Partial,
    Valid,
}

async fn check(browser: &Browser, site: &Site, case: &BadConfig) -> Result<Outcome> {
    browser
        .goto(&site.url("/products/cam-dome-4mp.html"))
        .await?;
    let root = shadow("product");
    let placement = r#"document.querySelector('cartlift-suggestions[placement="product"]')"#;
    let expect_valid =
        case.name == "valid-base.json" || VALID_IN_A_BROWSER.contains(&case.name.as_str());
    // Settled: the placement shows something or gave its space back.
    browser
        .wait_for(
            "the placement to settle",
            &format!(
                "{placement}.hasAttribute('data-empty') || {root}.querySelectorAll('[data-product]').length > 0"
            ),
        )
        .await?;
    if !expect_valid {
        browser
            .wait_for(
                "the widget's message",
                "window.__probe.some((m) => m.includes('cartlift:'))",
            )
            .await?;
    }
    let problems = browser.problems().await?;
    let shown: Vec<String> = browser
        .eval(
            &format!("return [...{root}.querySelectorAll('[data-product]')].map((e) => e.dataset.product);"),
            vec![],
        )
        .await?;
    let outcome = if expect_valid {
        if !problems.is_empty() {
            bail!("a config the browser reads as valid reported {problems:?}");
        }
        if shown.is_empty() {
            bail!("a valid config showed nothing");
        }
        Outcome::Valid
    } else {
        let [message] = &problems[..] else {
            bail!("want exactly one message, got {problems:?}");
        };
        if !message.starts_with("console.warn: cartlift: the config from /cartlift/config.json") {
            bail!("not the widget's one warning: {message:?}");
        }
        // The message names where the problem is: its path, or line:column for a document
        // that is not a config at all.
        let path = IN_A_BROWSER
            .iter()
            .find(|(name, _)| *name == case.name)
            .map_or(case.path.as_str(), |(_, path)| path);
        let named = if path.is_empty() {
            message.contains(": error: ")
        } else if path != case.path {
            message.contains(&format!("error in {path}: "))
        } else {
            let first = case.path.split(['.', '[']).next().unwrap_or_default();
            message.contains(&format!("error in {first}"))
        };
        if !named {
            bail!("the message does not name {path:?}: {message}");
        }
        if message.len() > 2000 {
            bail!("a {} byte message", message.len());
        }
        if message.contains("cannot be used") {
            if !shown.is_empty() {
                bail!("an unusable config still showed {shown:?}");
            }
            Outcome::Nothing
        } else if message.contains("the parts with errors are left out") {
            if let Some(stranger) = shown.iter().find(|p| !BASE_PRODUCTS.contains(&p.as_str())) {
                bail!("showed {stranger}, not in the config");
            }
            Outcome::Partial
        } else {
            bail!("neither 'cannot be used' nor 'left out': {message}");
        }
    };
    // The store's own script still runs.
    let before: String = browser
        .eval(
            "return document.getElementById('cart-count').textContent",
            vec![],
        )
        .await?;
    let before: u32 = before.parse()?;
    browser
        .click("document.querySelector('button.buy[data-add]')")
        .await?;
    browser
        .wait_for(
            "the store's Add to cart",
            &format!(
                "document.getElementById('cart-count').textContent === '{}'",
                before + 1
            ),
        )
        .await?;
    Ok(outcome)
}
