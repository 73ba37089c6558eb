//! The rule studio at `/studio/`: live validation with paths, mining groceries.csv in the
//! Web Worker, the sortable rule table and charts, adding a mined rule to the config, the
//! preview changing with it, and the exported file.

use anyhow::Result;
use cartlift_e2e::{Browser, Site};
use serde_json::Value;

/// The studio's rule-id slug of an item name (as `cartlift_studio::merge::slug`).
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Replaces the editor's text as typing would (an `input` event).
async fn type_config(browser: &Browser, text: &str) -> Result<()> {
    browser
        .eval::<Value>(
            "const t = document.querySelector('#config'); t.value = arguments[0]; t.dispatchEvent(new Event('input', {bubbles: true})); return null;",
            vec![Value::String(text.to_owned())],
        )
        .await?;
    Ok(())
}

async fn text_of(browser: &Browser, selector: &str) -> Result<String> {
    browser
        .eval(
            &format!("return document.querySelector('{selector}')?.textContent ?? ''"),
            vec![],
        )
        .await
}

/// Product ids the preview shows, in order.
async fn shown(browser: &Browser) -> Result<Vec<String>> {
    browser
        .eval(
            "return [...document.querySelectorAll('#preview .suggestion')].map(s => s.dataset.product)",
            vec![],
        )
        .await
}

#[tokio::test]
async fn studio_mines_groceries_adds_a_rule_and_the_preview_changes() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    browser.goto(&site.url("/studio/")).await?;
    browser
        .wait_for(
            "the demo config in the editor",
            "document.querySelector('#config').value.includes('\"catalog\"') && document.querySelector('#preview .suggestion')",
        )
        .await?;
    assert_eq!(
        text_of(&browser, "#problems-summary").await?,
        "Valid: no problems."
    );
    let original: String = browser
        .eval("return document.querySelector('#config').value", vec![])
        .await?;
    let before = shown(&browser).await?;
    assert!(!before.is_empty());

    // Live validation: a broken reference is reported with its path and line.
    let broken = original.replacen("\"consequent\": [", "\"consequent\": [\"no-such-sku\", ", 1);
    type_config(&browser, &broken).await?;
    browser
        .wait_for(
            "the problem to be listed",
            "document.querySelector('#problems .problem.error')",
        )
        .await?;
    let problem = text_of(&browser, "#problems .problem.error").await?;
    assert!(
        problem.contains(".consequent[0]") && problem.contains("no-such-sku"),
        "{problem}"
    );
    let line = broken
        .lines()
        .position(|l| l.contains("no-such-sku"))
        .map(|i| i + 1)
        .unwrap_or_default();
    assert!(problem.starts_with(&format!("{line}:")), "{problem}");
    type_config(&browser, &original).await?;
    browser
        .wait_for(
            "the config to be valid again",
            "document.querySelector('#problems-summary').textContent.startsWith('Valid')",
        )
        .await?;

    // Mine groceries.csv, picked with the file input, in the worker.
    let groceries = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/groceries.csv");
    browser
        .element("document.querySelector('#orders-file')")
        .await?
        .send_keys(&groceries.display().to_string())
        .await?;
    browser
        .wait_for(
            "groceries.csv to be mined",
            "document.querySelector('#mining-summary')",
        )
        .await?;
    let summary = text_of(&browser, "#mining-summary").await?;
    assert!(
        summary.starts_with("groceries.csv: 9835 orders"),
        "{summary}"
    );
    let rows: usize = browser
        .eval(
            "return document.querySelectorAll('#rules tbody tr').length",
            vec![],
        )
        .await?;
    assert!(rows > 10, "{rows} rules");
    let dots: usize = browser
        .eval(
            "return document.querySelectorAll('#scatter circle').length",
            vec![],
        )
        .await?;
    assert!(dots >= rows, "one dot per rule: {dots}");
    let bars: usize = browser
        .eval(
            "return document.querySelectorAll('#pairs rect').length",
            vec![],
        )
        .await?;
    assert_eq!(bars, 12);

    // Sort by support: the table's support column descends.
    browser
        .click("document.querySelector('#sort-support')")
        .await?;
    let supports: Vec<f64> = browser
        .eval(
            "return [...document.querySelectorAll('#rules tbody tr td:nth-child(3)')].map(td => +td.textContent)",
            vec![],
        )
        .await?;
    assert!(supports.windows(2).all(|w| w[0] >= w[1]), "{supports:?}");

    // Tick the strongest pair and add it.
    let label = text_of(&browser, "#rules tbody tr td.rule").await?;
    let (antecedent, consequent) = label.split_once(" → ").expect("a → b");
    let (antecedent, consequent) = (slug(antecedent), slug(consequent));
    browser
        .click("document.querySelector('#rules tbody tr input.pick')")
        .await?;
    browser
        .click("document.querySelector('#add-rules')")
        .await?;
    browser
        .wait_for(
            "the rule to be added",
            "document.querySelector('#status').textContent.startsWith('Added 1 rule')",
        )
        .await?;
    let rule_id = format!("mined:{antecedent}->{consequent}");
    let config: String = browser
        .eval("return document.querySelector('#config').value", vec![])
        .await?;
    assert!(config.contains(&rule_id), "{rule_id} not in the editor");
    assert_eq!(
        text_of(&browser, "#problems-summary").await?,
        "Valid: no problems."
    );

    // The preview, on the antecedent's page, now suggests the consequent, by that rule.
    browser
        .eval::<Value>(
            "const s = document.querySelector('#product'); s.value = arguments[0]; s.dispatchEvent(new Event('change', {bubbles: true})); return null;",
            vec![Value::String(antecedent.clone())],
        )
        .await?;
    browser
        .wait_for(
            "the new suggestion",
            &format!(
                "document.querySelector('#preview .suggestion[data-product=\"{consequent}\"]')"
            ),
        )
        .await?;
    let after = shown(&browser).await?;
    assert_ne!(after, before);
    assert_eq!(after[0], consequent);
    let why = text_of(
        &browser,
        &format!("#preview .suggestion[data-product=\"{consequent}\"] .rule-id"),
    )
    .await?;
    assert_eq!(why, rule_id);

    // Export: the downloaded file is the editor's config, with the rule.
    browser
        .eval::<Value>(
            "const original = URL.createObjectURL; URL.createObjectURL = (b) => { window.__exported = b; return original(b); }; return null;",
            vec![],
        )
        .await?;
    browser.click("document.querySelector('#export')").await?;
    let exported: String = browser
        .eval("return window.__exported.text()", vec![])
        .await?;
    let exported: Value = serde_json::from_str(&exported)?;
    assert!(
        exported["rules"]
            .as_array()
            .is_some_and(|rules| rules.iter().any(|r| r["id"] == rule_id.as_str())),
        "{rule_id} not exported"
    );
    browser.assert_clean().await?;
    browser.close().await
}

/// The preview can pick the shopper's segments: one checkbox per segment the rules name,
/// and ticking one re-ranks as `data-segments` would.
#[tokio::test]
async fn the_preview_picks_segments_and_re_ranks() -> Result<()> {
    let site = Site::start()?;
    let browser = Browser::start().await?;
    browser.goto(&site.url("/studio/")).await?;
    browser
        .wait_for(
            "the demo config in the editor",
            "document.querySelector('#config').value.includes('\"catalog\"') && document.querySelector('#preview .suggestion')",
        )
        .await?;
    // The demo's rules name no segment: nothing to pick.
    let pickers: bool = browser
        .eval("return !!document.querySelector('#segments')", vec![])
        .await?;
    assert!(!pickers);
    let original: String = browser
        .eval("return document.querySelector('#config').value", vec![])
        .await?;
    let with_rule = original.replacen(
        "\"rules\": [",
        r#""rules": [
    {"kind": "cross_sell", "id": "vip-ups", "priority": 9, "conditions": {"segments": ["vip", "trade"]}, "suggest": {"products": ["ups-600va"]}},"#,
        1,
    );
    type_config(&browser, &with_rule).await?;
    browser
        .wait_for(
            "a checkbox per segment",
            "[...document.querySelectorAll('#segments input')].map(i => i.value).join() === 'vip,trade'",
        )
        .await?;
    let before = shown(&browser).await?;
    assert!(!before.contains(&"ups-600va".to_owned()), "{before:?}");
    browser
        .click("document.querySelector('#segments input[value=trade]')")
        .await?;
    browser
        .wait_for(
            "the rule for the segment to fire",
            "document.querySelector('#preview .suggestion')?.dataset.product === 'ups-600va'",
        )
        .await?;
    browser
        .click("document.querySelector('#segments input[value=trade]')")
        .await?;
    browser
        .wait_for(
            "the suggestion to go with the segment",
            "![...document.querySelectorAll('#preview .suggestion')].some(s => s.dataset.product === 'ups-600va')",
        )
        .await?;
    browser.assert_clean().await?;
    browser.close().await
}
