//! `cartlift catalog FILE...`: a store's product exports (Shopify, WooCommerce, Merchant
//! Center) in, as the config's catalog: a standalone `{"catalog": [...]}` file, or with
//! `--into` the catalog of an existing config replaced.
//!
//! The formats are the engine's ([`cartlift_engine::catalog`]); this command reads the
//! files, reports what each held (products, variants, what was left out and why, rows
//! skipped as `file:line: reason (row skipped)`), and merges. With `--into`, what an
//! export cannot know is kept from the config for products that are still there: their
//! `attributes` and `category`, and, from Shopify's export (which has no variant ids),
//! the variant ids the config had for the same SKU. Rules naming a product that is gone
//! are listed and dropped; the result must build without errors before it replaces the
//! config, atomically, as `mine --into` does.

use crate::bought_together::file::to_path_or_stdout;
use crate::bought_together::thousands;
use crate::flags::{Output, Target};
use crate::write;
use anyhow::{Context, Result, bail};
use cartlift_engine::catalog::{self, CatalogError, Format, LeftOut, Options, Read};
use cartlift_engine::config::ProblemKind;
use cartlift_engine::config::path::Segment;
use cartlift_engine::config::raw::RawProduct;
use cartlift_engine::{Config, Currency, RawConfig};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Flags of `cartlift catalog`.
#[derive(clap::Args)]
pub struct Args {
    /// Product exports: Shopify or WooCommerce product CSV, Merchant Center feed (TSV or
    /// RSS XML). Several files make one catalog.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The files' format; `auto` tells by the header (XML is a Merchant Center feed).
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    format: FormatArg,
    /// The store's address (`https://shop.example`), for product page URLs the Shopify
    /// and WooCommerce exports do not hold; without it they are site-relative.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    // `-o`, `--into`, `--backup`, shared with `mine` and `import`.
    #[command(flatten)]
    out: Output,
    /// Malformed rows are fatal (exit 1) instead of skipped and reported.
    #[arg(long)]
    strict: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    Auto,
    Shopify,
    Woocommerce,
    MerchantCenter,
}

/// Malformed rows shown one by one per file; the rest are only counted.
const SHOWN_PROBLEMS: usize = 50;

pub fn run(args: &Args) -> Result<ExitCode> {
    let dest = args.out.destination()?;
    if let Some(url) = &args.base_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        bail!("--base-url {url}: use the store's address, e.g. https://shop.example");
    }
    if dest.backup {
        write::keep_backups();
    }
    let config = match dest.config() {
        Some(path) => {
            match crate::config_file::load_valid(path, "fix them before replacing its catalog")? {
                Ok(valid) => Some((path, valid.raw)),
                Err(code) => return Ok(code),
            }
        }
        None => None,
    };
    let currency = match &config {
        Some((_, raw)) => Currency::parse(&raw.store.currency),
        None => None,
    };
    let options = Options {
        format: match args.format {
            FormatArg::Auto => Format::Auto,
            FormatArg::Shopify => Format::Shopify,
            FormatArg::Woocommerce => Format::WooCommerce,
            FormatArg::MerchantCenter => Format::MerchantCenter,
        },
        base_url: args.base_url.clone(),
        currency,
        strict: args.strict,
    };

    // Read every file.
    let mut products: Vec<RawProduct> = Vec::new();
    let mut from: HashMap<String, usize> = HashMap::new();
    let mut feed_currency: Option<(Currency, usize)> = None;
    let mut platform_variant_ids = true;
    for (k, file) in args.files.iter().enumerate() {
        let shown = file.display();
        let bytes = std::fs::read(file).with_context(|| format!("reading {shown}"))?;
        let read = match catalog::read(&bytes, &options) {
            Ok(read) => read,
            Err(e) => {
                eprintln!("cartlift: error: {}", located(file, &e));
                return Ok(ExitCode::from(1));
            }
        };
        for (n, p) in read.problems.iter().enumerate() {
            if n < SHOWN_PROBLEMS {
                eprintln!("cartlift: warning: {} (row skipped)", located(file, p));
            } else {
                eprintln!(
                    "cartlift: warning: {shown}: more malformed rows; they are counted below"
                );
                break;
            }
        }
        if let Some(currency) = read.currency {
            match feed_currency {
                Some((first, at)) if first != currency => {
                    eprintln!(
                        "cartlift: error: {shown}: prices are in {currency}, but those of {} in {first}",
                        args.files[at].display()
                    );
                    return Ok(ExitCode::from(1));
                }
                _ => feed_currency = Some((currency, k)),
            }
        }
        eprintln!("{shown}: {}", summary(&read));
        platform_variant_ids &= read.platform_variant_ids;
        for p in read.products {
            if let Some(&first) = from.get(&p.id) {
                eprintln!(
                    "cartlift: warning: {shown}: product `{}` is also in {}; the first is kept",
                    p.id,
                    args.files[first].display()
                );
                continue;
            }
            from.insert(p.id.clone(), k);
            products.push(p);
        }
    }
    if products.is_empty() {
        eprintln!("cartlift: error: no product for sale in the export(s): nothing to write");
        return Ok(ExitCode::from(1));
    }
    shared_skus(&products);

    let variants: usize = products.iter().map(|p| p.variants.len()).sum();
    let mut line = format!(
        "catalog: {} products, {} variants",
        thousands(products.len() as u64),
        thousands(variants as u64)
    );
    match (&dest.to, config) {
        (Target::Into { output, .. }, Some((path, raw))) => {
            let target = output.as_deref().unwrap_or(path);
            match merge(path, target, raw, products, platform_variant_ids)? {
                Ok(text) => line += &text,
                Err(code) => return Ok(code),
            }
        }
        (to, _) => {
            let output = match to {
                Target::Rules(output) => output.as_deref(),
                Target::Into { output, .. } => output.as_deref(),
            };
            let json = serde_json::json!({ "catalog": products });
            to_path_or_stdout(output, |out| {
                serde_json::to_writer_pretty(&mut *out, &json)?;
                out.write_all(b"\n")
            })?;
        }
    }
    if let Some(shown) = dest.shown() {
        line += &format!(" -> {shown}");
    }
    eprintln!("{line}");
    Ok(ExitCode::SUCCESS)
}

/// `file:line: reason`, or `file: reason` for the file as a whole.
fn located(file: &Path, e: &CatalogError) -> String {
    match e.line {
        0 => format!("{}: {}", file.display(), e.kind),
        line => format!("{}:{line}: {}", file.display(), e.kind),
    }
}

/// `Shopify product export, 11 rows: 4 products, 5 variants; left out: 1 draft, …; 1
/// malformed row skipped`.
fn summary(read: &Read) -> String {
    let s = &read.summary;
    let mut text = format!(
        "{}, {} rows: {} products, {} variants",
        read.format.name(),
        thousands(s.rows),
        thousands(s.products as u64),
        thousands(s.variants as u64)
    );
    let left: Vec<String> = s
        .left_out
        .iter()
        .map(|(why, n)| format!("{n} {}", plural(*why, *n)))
        .collect();
    if left.is_empty() {
        text += "; nothing left out";
    } else {
        text += &format!("; left out (not for sale): {}", left.join(", "));
    }
    text += &format!("; {} malformed row(s) skipped", thousands(s.skipped_rows));
    text
}

fn plural(why: LeftOut, n: u64) -> String {
    match (why, n) {
        (_, 1) => why.name().to_string(),
        (LeftOut::GiftCard, _) => "gift cards".into(),
        (LeftOut::DisabledVariation, _) => "disabled variations".into(),
        (LeftOut::Grouped | LeftOut::External, _) => format!("{} products", why.name()),
        _ => format!("{} products", why.name()),
    }
}

/// Warns about a SKU that two products have: order lines naming it cannot be mapped.
fn shared_skus(products: &[RawProduct]) {
    let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
    let mut warned = BTreeSet::new();
    for p in products {
        let skus = p
            .sku
            .iter()
            .chain(p.variants.iter().filter_map(|v| v.sku.as_ref()));
        for sku in skus {
            match owner.get(sku.as_str()) {
                Some(&other) if other != p.id && warned.insert(sku.as_str()) => eprintln!(
                    "cartlift: warning: SKU `{sku}` belongs to products `{other}` and `{}`: orders naming it cannot be told apart",
                    p.id
                ),
                Some(_) => {}
                None => {
                    owner.insert(sku, &p.id);
                }
            }
        }
    }
}

/// Replaces the catalog of `raw` (read from `config`) with `products`, writes it to
/// `target`; the summary's part about the merge, or the exit code of a refusal (reported).
fn merge(
    config: &Path,
    target: &Path,
    mut raw: RawConfig,
    mut products: Vec<RawProduct>,
    platform_variant_ids: bool,
) -> Result<std::result::Result<String, ExitCode>> {
    let old: HashMap<String, RawProduct> = std::mem::take(&mut raw.catalog)
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    let mut kept = 0;
    for p in &mut products {
        let Some(was) = old.get(&p.id) else { continue };
        kept += 1;
        if p.attributes.is_empty() {
            p.attributes = was.attributes.clone();
        }
        if was.category.is_some() {
            p.category = was.category.clone();
        }
        if !platform_variant_ids {
            for v in &mut p.variants {
                let same = was
                    .variants
                    .iter()
                    .find(|w| w.sku.is_some() && w.sku == v.sku);
                if let Some(same) = same {
                    v.id = same.id.clone();
                }
            }
        }
    }
    let gone: BTreeSet<&str> = old
        .keys()
        .filter(|id| !products.iter().any(|p| &p.id == *id))
        .map(String::as_str)
        .collect();
    raw.catalog = products;

    // Rules that name a product no longer in the catalog.
    let (_, problems) = Config::build_lenient(&raw);
    let mut dropped: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for p in &problems {
        if let ProblemKind::UnknownProduct { product } = &p.kind
            && gone.contains(product.as_str())
            && let [Segment::Key(rules), Segment::Index(i), ..] = p.path.segments()
            && rules == "rules"
        {
            dropped.entry(*i).or_default().insert(product.clone());
        }
    }
    for (&i, ids) in &dropped {
        let ids: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
        eprintln!(
            "cartlift: warning: rule `{}` dropped: {} no longer in the catalog",
            raw.rules[i].id(),
            ids.join(", ")
        );
    }
    let mut i = 0;
    raw.rules.retain(|_| {
        i += 1;
        !dropped.contains_key(&(i - 1))
    });
    let rules_dropped = dropped.len();
    let rules_kept = raw.rules.len();

    if let Err(e) = Config::build(&raw) {
        for p in &e.problems {
            eprintln!("cartlift: error: merged config: {p}");
        }
        eprintln!(
            "cartlift: error: the merged config is invalid; {} was not changed",
            config.display()
        );
        return Ok(Err(ExitCode::from(1)));
    }
    let mut json = serde_json::to_vec_pretty(&raw).context("serializing the config")?;
    json.push(b'\n');
    write::atomically(target, &json).with_context(|| format!("writing {}", target.display()))?;
    Ok(Ok(format!(
        "; into {}: {} products kept, {} new, {} gone; {} rules kept, {} dropped",
        config.display(),
        thousands(kept as u64),
        thousands((raw.catalog.len() - kept) as u64),
        thousands(gone.len() as u64),
        thousands(rules_kept as u64),
        thousands(rules_dropped as u64),
    )))
}
