//! `cartlift feed CONFIG [--format json|csv] [--top 4] -o feed.json`: every product with
//! its catalog fields and the suggestions its product page shows, for email platforms
//! that import a custom catalog feed and build "bought together" blocks in their own
//! templates. What each product suggests is the engine's (`cartlift_engine::feed`); this
//! module names the fields and writes the file.
//!
//! Field names are Google Merchant Center's product data names (`id`, `title`, `link`,
//! `image_link`, `price` as `79.00 USD`, `sale_price`, `availability` `in_stock` /
//! `out_of_stock`, `product_type`, `brand`), which Klaviyo, Mailchimp and most feed
//! importers map; the suggestions are `cartlift_suggestions` (JSON: `id`, `kind`, `rule`
//! per suggestion) or, in CSV, `cartlift_suggestion_ids` and `cartlift_suggestion_kinds`
//! (comma-separated, in the same order). Output is deterministic: catalog order, fixed
//! field order.

use crate::config_file;
use crate::links::Links;
use crate::write::{self, csv_field};
use anyhow::{Context, Result};
use cartlift_engine::{Config, Currency, Money, Product};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Flags of `cartlift feed`.
#[derive(clap::Args)]
pub struct Args {
    /// The config file (JSON).
    config: PathBuf,
    /// json (an array of products) or csv.
    #[arg(long, value_enum, default_value_t = FeedFormat::Json)]
    format: FeedFormat,
    /// Suggestions per product, in the widget's order.
    #[arg(long, default_value_t = 4, value_name = "N")]
    top: usize,
    /// Where relative catalog URLs live, e.g. https://shop.example (feeds need absolute
    /// links).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Evaluate at this date or RFC 3339 time instead of now (rules with dates).
    #[arg(long)]
    now: Option<String>,
    /// Where to write the feed (`-` or nothing: stdout).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
enum FeedFormat {
    Json,
    Csv,
}

/// The CSV columns, in order.
const COLUMNS: [&str; 11] = [
    "id",
    "title",
    "link",
    "image_link",
    "price",
    "sale_price",
    "availability",
    "product_type",
    "brand",
    "cartlift_suggestion_ids",
    "cartlift_suggestion_kinds",
];

pub fn run(args: &Args) -> Result<ExitCode> {
    let config = match config_file::load_valid(&args.config, "fix them before writing a feed")? {
        Ok(valid) => valid.config,
        Err(code) => return Ok(code),
    };
    let links = Links::new(args.base_url.as_deref(), Vec::new())?;
    let now = crate::basket::now(args.now.as_deref())?;
    let entries = cartlift_engine::feed::feed(&config, now, args.top);
    let mut rows = Vec::with_capacity(entries.len());
    for entry in &entries {
        let p = config.product(entry.product);
        let suggestions: Vec<(&str, &str, &str)> = entry
            .suggestions
            .iter()
            .map(|s| {
                (
                    config.product(s.product).id.as_str(),
                    s.kind.name(),
                    config.rule(s.rule).id.as_str(),
                )
            })
            .collect();
        rows.push((fields(&config, p, &links)?, suggestions));
    }
    let text = match args.format {
        FeedFormat::Json => {
            let products: Vec<serde_json::Value> = rows
                .iter()
                .map(|(fields, suggestions)| {
                    let mut object = serde_json::Map::new();
                    for (name, value) in COLUMNS.iter().zip(fields) {
                        if let Some(value) = value {
                            object.insert((*name).to_owned(), json!(value));
                        }
                    }
                    object.insert(
                        "cartlift_suggestions".into(),
                        suggestions
                            .iter()
                            .map(|(id, kind, rule)| json!({"id": id, "kind": kind, "rule": rule}))
                            .collect(),
                    );
                    serde_json::Value::Object(object)
                })
                .collect();
            serde_json::to_string_pretty(&products)? + "\n"
        }
        FeedFormat::Csv => {
            let mut out = COLUMNS.join(",") + "\n";
            for (fields, suggestions) in &rows {
                let ids: Vec<&str> = suggestions.iter().map(|s| s.0).collect();
                let kinds: Vec<&str> = suggestions.iter().map(|s| s.1).collect();
                let cells = fields
                    .iter()
                    .map(|f| f.clone().unwrap_or_default())
                    .chain([ids.join(","), kinds.join(",")]);
                let line: Vec<String> = cells.map(|c| csv_field(&c).into_owned()).collect();
                out.push_str(&line.join(","));
                out.push('\n');
            }
            out
        }
    };
    match &args.output {
        Some(path) if path != Path::new("-") => {
            write::atomically(path, text.as_bytes())
                .with_context(|| format!("writing {}", path.display()))?;
            eprintln!("{}: {} products", path.display(), rows.len());
        }
        _ => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// A product's catalog fields, in [`COLUMNS`] order (the last two are the suggestions').
fn fields(config: &Config, p: &Product, links: &Links) -> Result<[Option<String>; 9]> {
    let currency = config.store().currency;
    let absolute = |url: &Option<String>| -> Result<Option<String>> {
        Ok(match url {
            Some(url) => links.absolute(url)?.map(String::from),
            None => None,
        })
    };
    let price = p.price_to_add();
    // Merchant Center's `price` is the regular price; a lower current one is `sale_price`.
    let (regular, sale) = match p.compare_at_price.filter(|was| *was > price) {
        Some(was) => (was, Some(price)),
        None => (price, None),
    };
    Ok([
        Some(p.id.clone()),
        Some(p.title.clone()),
        absolute(&p.url)?,
        absolute(&p.image)?,
        Some(merchant_price(currency, regular)),
        sale.map(|s| merchant_price(currency, s)),
        Some(
            if p.in_stock {
                "in_stock"
            } else {
                "out_of_stock"
            }
            .to_owned(),
        ),
        p.category.clone(),
        p.vendor.clone(),
    ])
}

/// Merchant Center's price text: `79.00 USD`.
fn merchant_price(currency: Currency, amount: Money) -> String {
    let plain = currency.plain(amount);
    match plain.split_once(' ') {
        Some((code, number)) => format!("{number} {code}"),
        None => plain,
    }
}
