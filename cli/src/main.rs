//! `cartlift`: the store developer's command-line tool.
//!
//! Layered like ripgrep: `main` maps the outcome to an exit code; `run` parses flags and
//! dispatches; each command lives in its own module and works on validated inputs.
//!
//! Exit codes: 0 success; 1 the input is invalid (config errors, malformed orders under
//! `--strict`); 2 usage or I/O errors.

mod basket;
mod bought_together;
mod catalog;
mod compile;
mod config_file;
mod email;
mod evaluate;
mod explain;
mod feed;
mod flags;
mod import;
mod links;
mod locale_format;
mod mine;
mod report;
mod schema;
mod shard;
mod validate;
mod write;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cartlift",
    version,
    about = "Configure and check cartlift recommendations"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a config and list every problem with its JSON path.
    Validate(validate::Args),
    /// Show what the widget would suggest somewhere, and why (and what it left out).
    Explain(explain::Args),
    /// Render the suggestions for an order or cart as an email block (HTML, text, JSON).
    Email(email::Args),
    /// Write every product with its suggestions as a product feed for email platforms.
    Feed(feed::Args),
    /// Read the store's product exports (Shopify, WooCommerce, Merchant Center) into the catalog.
    Catalog(catalog::Args),
    /// Mine "bought together" rules from order history (baskets, order lines, Shopify, WooCommerce).
    Mine(mine::Args),
    /// Import association rules mined by Apache Spark's FPGrowth (JSON lines or Parquet).
    Import(import::Args),
    /// Measure the widget's suggestions on held-out orders, next to simple baselines.
    Evaluate(evaluate::Args),
    /// The widget's effect in money: treatment vs holdout orders, with 95% intervals.
    Report(report::Args),
    /// Split a config too large for one file into a core and per-product shards.
    Shard(shard::Args),
    /// Check and index a config once, into the compact `.bin` form the widget's small build reads.
    Compile(compile::Args),
    /// Print the JSON Schema of the config, for editors.
    Schema(schema::Args),
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cartlift: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode> {
    match Cli::parse().command {
        Command::Validate(args) => validate::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Email(args) => email::run(&args),
        Command::Feed(args) => feed::run(&args),
        Command::Catalog(args) => catalog::run(&args),
        Command::Mine(args) => mine::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Evaluate(args) => evaluate::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Shard(args) => shard::run(&args),
        Command::Compile(args) => compile::run(&args),
    }
}
