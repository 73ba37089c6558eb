//! `cartlift shard CONFIG -o DIR`: a config too large for one file becomes a small core
//! (`DIR/config.json`, what the script tag's `data-config` points at), one shard per
//! product (`DIR/shards/<product>.json`) and a cart shard, which the widget fetches when
//! a product is on the page or in the basket. The split itself is the engine's
//! (`cartlift_engine::config::shard`); this module reads, writes and reports.
//!
//! The output folder is written beside the target and swapped in at the end
//! ([`crate::write::Folder`]), so a crash or a full disk never leaves a half-written set.

use crate::config_file;
use crate::write::Folder;
use anyhow::Result;
use cartlift_engine::Config;
use cartlift_engine::config::shard::{CART_SHARD, Limits, file_name, split};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Flags of `cartlift shard`.
#[derive(clap::Args)]
pub struct Args {
    /// The whole config (JSON).
    config: PathBuf,
    /// The output folder: `config.json` (the core) and `shards/`. Replaced if it holds an
    /// earlier `cartlift shard` output; any other existing folder is refused.
    #[arg(short, long, value_name = "DIR")]
    out: PathBuf,
    /// Mined bought-together rules kept per product: the strongest (priority, confidence,
    /// lift). Hand-written rules are always kept.
    #[arg(long, default_value_t = Limits::default().mined_per_product, value_name = "N")]
    mined_per_product: usize,
    /// Products a category- or tag-wide suggestion carries (the first in catalog order).
    #[arg(long, default_value_t = Limits::default().suggested, value_name = "N")]
    suggested: usize,
    /// Free-shipping fillers in the cart shard, shared by the threshold rules (at least 4
    /// each), spread over their prices.
    #[arg(long, default_value_t = Limits::default().fillers, value_name = "N")]
    fillers: usize,
    /// Print one JSON object with the figures instead of the summary.
    #[arg(long)]
    json: bool,
}

/// The folder shards go in, relative to the core.
const SHARDS: &str = "shards/";
/// A page's config above this many bytes (core plus one shard) is reported.
const PAGE_BUDGET: usize = 20_000;

pub fn run(args: &Args) -> Result<ExitCode> {
    let started = Instant::now();
    let raw = match config_file::load_valid(&args.config, "fix them before sharding")? {
        Ok(valid) => valid.raw,
        Err(code) => return Ok(code),
    };
    let limits = Limits {
        mined_per_product: args.mined_per_product,
        suggested: args.suggested,
        fillers: args.fillers,
    };
    let sharded = match split(&raw, SHARDS, limits) {
        Ok(s) => s,
        Err(e) => {
            config_file::print(&args.config, &e.problems);
            return Ok(ExitCode::from(1));
        }
    };

    let out = &args.out;
    let folder = Folder::stage(
        out,
        is_shard_output,
        "`cartlift shard` output (a config.json core and shards/ only)",
    )?;
    let mut sizes = Vec::with_capacity(sharded.shards.len());
    let written = (|| -> Result<(usize, Option<usize>)> {
        let core = serde_json::to_vec(&sharded.core)?;
        folder.write("config.json", &core)?;
        for (product, shard) in &sharded.shards {
            let bytes = serde_json::to_vec(shard)?;
            folder.write(Path::new(SHARDS).join(file_name(product)), &bytes)?;
            sizes.push((bytes.len(), product.as_str()));
        }
        let cart = match &sharded.cart {
            Some(cart) => {
                let bytes = serde_json::to_vec(cart)?;
                folder.write(Path::new(SHARDS).join(CART_SHARD), &bytes)?;
                Some(bytes.len())
            }
            None => None,
        };
        Ok((core.len(), cart))
    })();
    let (core, cart) = match written {
        Ok(w) => w,
        Err(e) => return Err(e.context(format!("writing {}", folder.staging().display()))),
    };
    folder.finish()?;

    sizes.sort_unstable();
    let at =
        |q: f64| sizes.get(((sizes.len() as f64 * q) as usize).min(sizes.len().saturating_sub(1)));
    let (median, p99, largest) = (at(0.5), at(0.99), sizes.last());
    let over: Vec<&str> = sizes
        .iter()
        .filter(|(b, _)| core + b > PAGE_BUDGET)
        .map(|(_, p)| *p)
        .collect();
    let size = |s: Option<&(usize, &str)>| s.map_or(0, |s| s.0);
    if args.json {
        let summary = serde_json::json!({
            "core_bytes": core,
            "shards": sizes.len(),
            "median_shard_bytes": size(median),
            "p99_shard_bytes": size(p99),
            "largest_shard_bytes": size(largest),
            "largest_shard_product": largest.map(|s| s.1),
            "cart_shard_bytes": cart,
            "pages_over_budget": over.len(),
            "seconds": started.elapsed().as_secs_f64(),
        });
        println!("{summary}");
    } else {
        println!(
            "{}: core {core} B, {} product shards (median {} B, 99th percentile {} B, largest {} B: {}){}",
            out.display(),
            sizes.len(),
            size(median),
            size(p99),
            size(largest),
            largest.map_or("", |s| s.1),
            cart.map_or(String::new(), |b| format!(", cart shard {b} B")),
        );
        println!(
            "a product page loads {} B of config at the median, {} B at most; took {:.1?}",
            core + size(median),
            core + size(largest),
            started.elapsed()
        );
        if !over.is_empty() {
            eprintln!(
                "cartlift: warning: {} product page(s) load over {PAGE_BUDGET} B of config (e.g. {}); lower --mined-per-product or --suggested",
                over.len(),
                over.iter()
                    .rev()
                    .take(3)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An earlier output of this command (a core and `shards/`, nothing else): the only
/// folder `-o` may replace.
fn is_shard_output(out: &Path) -> bool {
    let core = out.join("config.json");
    let ours = out.join(SHARDS).is_dir()
        && std::fs::read_to_string(&core)
            .is_ok_and(|text| Config::read(&text).raw.shards.is_some());
    ours && std::fs::read_dir(out).is_ok_and(|entries| {
        entries
            .flatten()
            .all(|e| matches!(e.file_name().to_str(), Some("config.json" | "shards")))
    })
}
