//! `cargo xtask`: the project's two commands and their helpers.
//!
//! - `cargo xtask demo [--port N]`: install what is missing, build the widget, assemble the
//!   demo store, serve it on 127.0.0.1.
//! - `cargo xtask test`: install what is missing, then lint, native tests, the widget's
//!   browser tests and the end-to-end tests, with one summary.
//! - `cargo xtask dist`: the release archive a store installs without Rust, and the npm
//!   package (see `dist`).
//! - `cargo xtask fuzz [--seconds N]`: install cargo-fuzz if missing and fuzz the engine.
//! - `cargo xtask spark [--fixtures]`: install pyspark in a throw-away venv, run Apache
//!   Spark's FPGrowth in local mode on groceries.csv, and check that `cartlift import` of
//!   its JSON and Parquet output equals `cartlift mine` at the same thresholds (needs
//!   Java 17; not part of `test`: the cold run downloads pyspark). `--fixtures`
//!   regenerates the Spark output the CLI's tests read.
//! - `cargo xtask screenshots`: retake the README's pictures (demo-site/screenshots/).
//!
//! Every step that installs something checks first, so both commands are idempotent and
//! cheap on a machine that already has everything.

mod bench_mine;
mod build;
mod dist;
mod fresh;
mod fuzz;
#[cfg(test)]
mod imports;
mod quality;
mod run;
mod shopify_ext;
mod spark;
mod test;
mod tools;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(about = "cartlift's build, demo and test tasks")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Build the widget and serve the demo store on 127.0.0.1.
    Demo {
        /// Port to listen on.
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Run the whole test suite (lint, native, browser, end to end).
    Test,
    /// Build the widget and the demo site without serving them; prints the size report.
    Build,
    /// Write the release (target/dist/cartlift-<version>/ and its .tar.gz: the widget, the
    /// CLI, the schema, the Shopify extension, INSTALL.md, SHA256SUMS) and the npm package.
    Dist {
        /// Then check it all, as `cargo xtask test` does: the archive against its sums, a
        /// second widget build (reproducible), `cargo install --path cli`, the npm package
        /// installed and type-checked, the Shopify extension through theme-check.
        #[arg(long)]
        check: bool,
    },
    /// Build only the widget (target/widget/); `dist`'s reproducibility check runs it in
    /// another target folder.
    #[command(hide = true)]
    Widget {
        /// Build in this target folder instead (and its `widget/`).
        #[arg(long)]
        target_dir: Option<PathBuf>,
    },
    /// Benchmark `cartlift mine` against pyfim (installed in a throw-away venv).
    BenchMine,
    /// Measure suggestion quality (the README's tables): `cartlift evaluate` on groceries.csv
    /// and on a seeded synthetic shop, for seed 42 and seeds 1..=N.
    Quality {
        /// How many more seeds after 42.
        #[arg(long, default_value_t = 10)]
        seeds: u64,
    },
    /// Regenerate the demo store's order history (seeded) and mine it into the demo config.
    DemoData,
    /// Check `cartlift import` against a real Apache Spark FPGrowth run (local mode, pyspark
    /// in a throw-away venv; needs Java 17): same rules as `cartlift mine`.
    Spark {
        /// Instead, regenerate the Spark output under cli/tests/data/spark/.
        #[arg(long)]
        fixtures: bool,
    },
    /// Retake the README's screenshots of the demo store and the studio
    /// (demo-site/screenshots/), in Chromium through playwright-core.
    Screenshots,
    /// Fuzz the engine (cargo-fuzz, nightly): config parsing + evaluation, order-file readers
    /// + mining. Exits non-zero on a crash, timeout or out-of-memory input.
    Fuzz {
        /// Seconds per target.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Only this target (`config` or `orders`).
        #[arg(long)]
        target: Option<String>,
        /// libFuzzer sanitizer: `none` (the engine forbids unsafe code; twice the
        /// executions) or `address`.
        #[arg(long, default_value = "none")]
        sanitizer: String,
    },
}

fn main() -> ExitCode {
    match run_cli() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("xtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_cli() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.task {
        Task::Demo { port } => {
            tools::ensure_build_tools()?;
            build::widget_and_site()?;
            let server = cartlift_demo::server::start(&build::site_dir(), port)?;
            println!("\ncartlift demo store: {}/", server.url());
            println!(
                "  product page: {}/products/cam-dome-4mp.html",
                server.url()
            );
            println!("  cart:         {}/cart.html", server.url());
            println!("(Ctrl-C to stop)");
            server.wait();
            Ok(ExitCode::SUCCESS)
        }
        Task::Build => {
            tools::ensure_build_tools()?;
            build::widget_and_site()?;
            Ok(ExitCode::SUCCESS)
        }
        Task::Dist { check } => dist::run_dist(check),
        Task::Widget { target_dir } => {
            if let Some(dir) = target_dir {
                TARGET_DIR
                    .set(std::path::absolute(dir)?)
                    .expect("set once, first");
            }
            tools::ensure_build_tools()?;
            build::widget()?;
            Ok(ExitCode::SUCCESS)
        }
        Task::Test => test::all(),
        Task::Screenshots => screenshots(),
        Task::BenchMine => bench_mine::run_bench(),
        Task::DemoData => demo_data(),
        Task::Spark { fixtures } => spark::run_spark(fixtures),
        Task::Quality { seeds } => quality::run_quality(seeds),
        Task::Fuzz {
            seconds,
            target,
            sanitizer,
        } => fuzz::run(seconds, target.as_deref(), &sanitizer),
    }
}

/// Serves the built demo on a free port and has `xtask/screenshots/take.js` photograph it
/// into `demo-site/screenshots/`.
fn screenshots() -> Result<ExitCode> {
    tools::ensure_test_tools()?;
    build::widget_and_site()?;
    let server = cartlift_demo::server::start(&build::site_dir(), 0)?;
    run::run(
        tools::command("node")
            .arg(root().join("xtask/screenshots/take.js"))
            .arg(server.url())
            .arg(root().join("demo-site/screenshots")),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Writes `demo-site/data/orders.csv` from the seeded generator, then runs
/// `cartlift mine --into` on the demo config (its hand-written rules are kept).
fn demo_data() -> Result<ExitCode> {
    let orders = cartlift_demo::orders_path();
    std::fs::create_dir_all(orders.parent().expect("data dir"))?;
    std::fs::write(&orders, cartlift_demo::orders::history())?;
    println!(
        "wrote {} ({} orders, seed {})",
        orders.display(),
        cartlift_demo::orders::ORDERS,
        cartlift_demo::orders::SEED
    );
    run::run(
        run::cargo()
            .args(["run", "-q", "--release", "-p", "cartlift-cli", "--", "mine"])
            .arg(&orders)
            .arg("--into")
            .arg(cartlift_demo::config_path())
            .args(cartlift_demo::orders::MINE_ARGS),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// A target folder other than the workspace's, for this run (`widget --target-dir`).
static TARGET_DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// `target/` of the workspace (honours CARGO_TARGET_DIR), or [`TARGET_DIR`]'s. Commands
/// started through `tools::command` are given it as their CARGO_TARGET_DIR.
fn target_dir() -> PathBuf {
    TARGET_DIR.get().cloned().unwrap_or_else(|| {
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root().join("target"))
    })
}
