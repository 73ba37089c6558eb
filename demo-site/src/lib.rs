//! # cartlift-demo
//!
//! The demo storefront, "Watchpost Security Supply": a security-camera shop whose parts are
//! natural complements (cameras need cables, power, recorders, disks, mounts) and come in
//! better, pricier versions. [`build_site`] assembles the static site from `www/` (styles,
//! the store's own cart script), the cartlift config in `cartlift/config.json` (the
//! catalog the pages are generated from) and the built widget; [`server::start`] serves it on
//! 127.0.0.1 for `cargo xtask demo` and the end-to-end tests.
#![deny(missing_docs)]

mod art;
mod html;
pub mod http;
pub mod orders;
mod pages;
pub mod server;

pub use pages::{EMBED, Lang};
pub use server::Server;

use anyhow::{Context, Result, bail};
use cartlift_engine::Config;
use std::fs;
use std::path::{Path, PathBuf};

/// The demo-site source folder (this crate's directory).
pub fn source_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The demo store's cartlift config.
pub fn config_path() -> PathBuf {
    source_dir().join("cartlift").join("config.json")
}

/// The files of a built widget, as `cargo xtask` produces them; all are copied to `/cartlift/`.
pub const WIDGET_FILES: [&str; 9] = [
    "cartlift.js",
    "cartlift_widget.js",
    "cartlift_widget_bg.wasm",
    "cartlift_compiled.js",
    "cartlift_compiled_bg.wasm",
    "cartlift_compiled_shopify.js",
    "cartlift_compiled_shopify_bg.wasm",
    "cartlift_compiled_woocommerce.js",
    "cartlift_compiled_woocommerce_bg.wasm",
];

/// The demo store's order history (`cargo xtask demo-data` writes it; see [`orders`]).
pub fn orders_path() -> PathBuf {
    source_dir().join("data").join("orders.csv")
}

/// Reads and validates the demo config.
pub fn load_config() -> Result<Config> {
    let config_text = fs::read_to_string(config_path())
        .with_context(|| format!("reading {}", config_path().display()))?;
    Config::from_json(&config_text).map_err(|e| anyhow::anyhow!("{}: {e}", config_path().display()))
}

/// Writes the complete demo site to `out` (emptied first), taking the widget from `widget`.
pub fn build_site(out: &Path, widget: &Path) -> Result<()> {
    let config = load_config()?;

    if out.exists() {
        fs::remove_dir_all(out).with_context(|| format!("emptying {}", out.display()))?;
    }
    copy_dir(&source_dir().join("www"), out)?;
    let feed = store_feed(&config);

    for lang in pages::Lang::ALL {
        let dir = out.join(lang.prefix().trim_start_matches('/'));
        write(&dir.join("index.html"), &pages::home(&config, lang))?;
        write(&dir.join("cart.html"), &pages::cart(lang, &feed))?;
        write(&dir.join("checkout.html"), &pages::checkout(lang, &feed))?;
        write(&dir.join("confirmation.html"), &pages::confirmation(lang))?;
        for i in 0..pages::CATEGORIES.len() {
            let slug = pages::CATEGORIES[i].0;
            write(
                &dir.join(format!("category/{slug}.html")),
                &pages::category(&config, lang, i),
            )?;
        }
    }
    for product in config.products() {
        let category = product.category.as_deref().unwrap_or("");
        write(
            &out.join("img/products").join(format!("{}.svg", product.id)),
            &art::product_svg(&product.id, category),
        )?;
        for lang in pages::Lang::ALL {
            let dir = out.join(lang.prefix().trim_start_matches('/'));
            write(
                &dir.join("products").join(format!("{}.html", product.id)),
                &pages::product(product, lang),
            )?;
        }
    }
    write(&out.join("data/products.json"), &feed)?;
    // The order history the checkout appends to and the studio mines (see `server`).
    fs::copy(orders_path(), out.join("data/orders.csv"))
        .with_context(|| format!("copying {}", orders_path().display()))?;

    let cartlift = out.join("cartlift");
    fs::create_dir_all(&cartlift)?;
    for file in WIDGET_FILES {
        let from = widget.join(file);
        if !from.is_file() {
            bail!(
                "{} is missing: build the widget first (cargo xtask demo does)",
                from.display()
            );
        }
        fs::copy(&from, cartlift.join(file))
            .with_context(|| format!("copying {}", from.display()))?;
    }
    fs::copy(config_path(), cartlift.join("config.json"))
        .with_context(|| format!("copying {}", config_path().display()))?;
    // The same config compiled (`cartlift compile`), which the small build reads.
    let compiled = config
        .to_compiled()
        .map_err(|e| anyhow::anyhow!("compiling {}: {e}", config_path().display()))?;
    fs::write(cartlift.join("config.bin"), compiled)?;
    // The config names its schema ("$schema": "./config.schema.json") for editors.
    let schema = source_dir().join("../engine/schema/config.v1.schema.json");
    fs::copy(&schema, cartlift.join("config.schema.json"))
        .with_context(|| format!("copying {}", schema.display()))?;
    Ok(())
}

/// The store's own product feed for its cart page (ids, titles, prices), as a shop's
/// backend would serve it; cartlift does not use it.
fn store_feed(config: &Config) -> String {
    let currency = config.store().currency;
    let products: serde_json::Map<String, serde_json::Value> = config
        .products()
        .iter()
        .map(|p| {
            (
                p.id.clone(),
                serde_json::json!({
                    "title": p.title,
                    "price": currency.to_major(p.price),
                    "url": p.url,
                    "image": p.image,
                }),
            )
        })
        .collect();
    serde_json::Value::Object(products).to_string()
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}
