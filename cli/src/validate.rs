//! `cartlift validate CONFIG`: every problem, with its JSON path.

use anyhow::{Context, Result};
use cartlift_engine::{Config, Severity};
use std::path::PathBuf;
use std::process::ExitCode;

/// Flags of `cartlift validate`.
#[derive(clap::Args)]
pub struct Args {
    /// The config file (JSON).
    config: PathBuf,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let path = &args.config;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    match Config::from_json(&text) {
        Ok(config) => {
            for warning in config.warnings() {
                println!("{}: {warning}", path.display());
            }
            println!(
                "{}: valid: {} products, {} rules, {} warning(s)",
                path.display(),
                config.products().len(),
                config.rules().len(),
                config.warnings().len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            for problem in &e.problems {
                println!("{}: {problem}", path.display());
            }
            let errors = e
                .problems
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .count();
            println!("{}: invalid: {errors} error(s)", path.display());
            Ok(ExitCode::from(1))
        }
    }
}
