//! `cartlift`: the store developer's command-line tool.
//!
//! Layered like ripgrep: `main` maps the outcome to an exit code; `run` parses flags and
//! dispatches; each command lives in its own module and works on validated inputs.
//!
//! Exit codes: 0 success; 1 the input is invalid (config errors, malformed orders under
//! `--strict`); 2 usage or I/O errors.

mod validate;

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
    }
}
