//! `cartlift email`'s block in a real rendering engine: built by the CLI from the demo
//! store's config, put in a plain post-purchase email, and shown in Chromium at 600 px
//! (the usual email width) and 320 px (a phone), left to right and in Persian. The block
//! is served from the demo store's origin, its images are the store's own.
//!
//! The CLI is `$CARTLIFT_CLI` (`cargo xtask test` builds it), else `target/debug/cartlift`.
//! With `CARTLIFT_SCREENSHOTS=DIR`, the 600 px email is saved as `DIR/email.png` (the
//! README's picture).

use anyhow::{Context, Result, bail};
use cartlift_e2e::{Browser, Site};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The `cartlift` binary.
fn cli() -> Result<PathBuf> {
    let path = std::env::var_os("CARTLIFT_CLI").map_or_else(
        || {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../target/debug/cartlift"
            ))
        },
        PathBuf::from,
    );
    if !path.is_file() {
        bail!(
            "{} is missing: `cargo build -p cartlift-cli` (or set CARTLIFT_CLI)",
            path.display()
        );
    }
    Ok(path)
}

/// The block `cartlift email` writes for the demo store's `basket`.
fn block(base: &str, basket: &str, extra: &[&str]) -> Result<String> {
    let config = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../demo-site/cartlift/config.json"
    );
    let out = std::process::Command::new(cli()?)
        .args([
            "email",
            config,
            "--basket",
            basket,
            "--now",
            "2026-11-25",
            "--base-url",
            base,
        ])
        .args(extra)
        .output()
        .context("running cartlift email")?;
    if !out.status.success() {
        bail!("cartlift email: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8(out.stdout)?)
}

/// A plain order-confirmation email around the block, as an email platform's template
/// would put it: a 600 px column, the store's header, the order, then the suggestions.
fn email(block: &str, rtl: bool) -> String {
    let (dir, lang, thanks, order) = if rtl {
        (
            "rtl",
            "fa",
            "از خرید شما سپاسگزاریم",
            "سفارش ۱۰۰۱ ثبت شد و فردا ارسال می‌شود.",
        )
    } else {
        (
            "ltr",
            "en",
            "Thanks for your order",
            "Order #1001 is confirmed and ships tomorrow: 2 × Dome Camera 4 MP, PoE and 1 × 8-Channel PoE Recorder (NVR).",
        )
    };
    format!(
        r#"<!doctype html><html lang="{lang}" dir="{dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{thanks}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6;"><tr><td align="center" style="padding:0;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;color:#1f2328;">
<tr><td style="padding:20px 24px;background:#0f2740;color:#ffffff;font-size:18px;font-weight:bold;">Watchpost Security Supply</td></tr>
<tr><td style="padding:24px 24px 0;"><h1 style="margin:0 0 8px;font-size:24px;">{thanks}</h1><p style="margin:0;font-size:14px;line-height:20px;color:#57606a;">{order}</p></td></tr>
<tr><td style="padding:0 24px 24px;">{block}</td></tr>
</table></td></tr></table></body></html>"#
    )
}

/// The page's layout facts at a viewport width.
async fn layout(browser: &Browser, width: u32) -> Result<Value> {
    browser
        .cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": 1400, "deviceScaleFactor": 1, "mobile": width < 400}),
        )
        .await?;
    browser
        .wait_for(
            "every image loaded",
            "[...document.images].length > 0 && [...document.images].every((i) => i.complete)",
        )
        .await?;
    browser
        .eval(
            "const block = document.querySelector('table[dir][lang]');
             const r = block.getBoundingClientRect();
             return {
               overflow: document.documentElement.scrollWidth - window.innerWidth,
               blockLeft: r.left, blockRight: r.right, blockWidth: r.width,
               direction: getComputedStyle(block).direction,
               images: [...block.querySelectorAll('img')].map((i) => ({
                 loaded: i.naturalWidth > 0, width: i.getBoundingClientRect().width,
                 height: i.getBoundingClientRect().height, alt: i.alt,
                 right: i.getBoundingClientRect().right })),
               links: [...block.querySelectorAll('a')].map((a) => a.href),
               cut: [...block.querySelectorAll('td')].filter((td) => td.scrollWidth > td.clientWidth + 1).length,
             };",
            vec![],
        )
        .await
}

#[tokio::test]
async fn the_post_purchase_email_renders_at_600_and_320_pixels() -> Result<()> {
    let pages: Arc<Mutex<BTreeMap<String, String>>> = Arc::default();
    let served = pages.clone();
    let site = Site::with_handler(move |request| {
        let pages = served.lock().ok()?;
        pages.get(&request.path).map(|page| {
            cartlift_demo::http::Response::new(200, "text/html; charset=utf-8", page.clone())
        })
    })?;
    let base = site.url("");
    let en = block(&base, "cam-dome-4mp*2,nvr-8ch", &[])?;
    let fa = block(&base, "cam-dome-4mp*2,nvr-8ch", &["--locale", "fa"])?;
    if let Ok(mut pages) = pages.lock() {
        pages.insert("/email.html".into(), email(&en, false));
        pages.insert("/email-fa.html".into(), email(&fa, true));
    }
    let browser = Browser::start().await?;
    browser.goto(&site.url("/email.html")).await?;
    for width in [600, 320] {
        let page = layout(&browser, width).await?;
        // Wider than the viewport (a vertical scrollbar makes it negative).
        let overflow = page["overflow"].as_f64().context("overflow")?;
        assert!(
            overflow <= 0.0,
            "no sideways scrolling at {width} px: {page}"
        );
        assert_eq!(page["cut"], 0, "no cell cut off at {width} px: {page}");
        assert_eq!(page["direction"], "ltr");
        let images = page["images"].as_array().context("images")?;
        assert_eq!(images.len(), 6, "{page}");
        for image in images {
            assert_eq!(image["loaded"], true, "{image}");
            assert_eq!(
                (image["width"].as_f64(), image["height"].as_f64()),
                (Some(96.0), Some(96.0))
            );
            assert!(!image["alt"].as_str().unwrap_or("").is_empty(), "{image}");
        }
        for link in page["links"].as_array().context("links")? {
            let link = link.as_str().unwrap_or("");
            assert!(
                link.starts_with(&base) && link.contains("utm_medium=email"),
                "{link}"
            );
        }
        if width == 600 {
            if let Some(dir) = std::env::var_os("CARTLIFT_SCREENSHOTS") {
                let height: u32 = browser
                    .eval("return Math.ceil(document.body.firstElementChild.getBoundingClientRect().bottom);", vec![])
                    .await?;
                browser
                    .cdp(
                        "Emulation.setDeviceMetricsOverride",
                        json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
                    )
                    .await?;
                std::fs::write(
                    PathBuf::from(dir).join("email.png"),
                    browser.screenshot().await?,
                )?;
            }
        }
    }
    // Persian: right to left, the images on the right.
    browser.goto(&site.url("/email-fa.html")).await?;
    for width in [600, 320] {
        let page = layout(&browser, width).await?;
        assert_eq!(page["direction"], "rtl", "{page}");
        assert!(
            page["overflow"].as_f64().is_some_and(|o| o <= 0.0),
            "{page}"
        );
        let right = page["blockRight"].as_f64().context("block")?;
        let image = page["images"][0]["right"].as_f64().context("image")?;
        assert!(
            (right - image).abs() < 1.0,
            "the image starts the row on the right: {page}"
        );
    }
    browser.assert_clean().await?;
    browser.close().await
}
