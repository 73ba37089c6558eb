//! `cartlift`: the store developer's command-line tool.
//!
//! Layered like ripgrep: `main` maps the outcome to an exit code; `run` parses flags and
//! dispatches; each command is a function over validated inputs. Exit codes: 0 success,
//! 1 the input is invalid (the config has errors), 2 usage or I/O errors.

use anyhow::{Context, Result};
use cartlift_engine::{Config, Severity};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
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
    Validate {
        /// The config file (JSON).
        config: PathBuf,
    },
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
        Command::Validate { config } => validate(&config),
    }
}

fn validate(path: &PathBuf) -> Result<ExitCode> {
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
