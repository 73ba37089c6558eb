//! `cartlift validate CONFIG`: every problem, with its JSON path and line:column.

use crate::config_file::{self, Loaded};
use anyhow::Result;
use cartlift_engine::Severity;
use std::path::PathBuf;
use std::process::ExitCode;

/// Flags of `cartlift validate`.
#[derive(clap::Args)]
pub struct Args {
    /// The config file (JSON).
    config: PathBuf,
    /// Print problems as JSON lines (`{"severity","path","line","column","message"}`) for tools.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let path = &args.config;
    let (problems, summary) = match config_file::load(path)? {
        Loaded::Valid(valid) => {
            let (config, warnings) = (valid.config, valid.warnings);
            let summary = format!(
                "{}: valid: {} products, {} rules, {} warning(s)",
                path.display(),
                config.products().len(),
                config.rules().len(),
                warnings.len()
            );
            (warnings, summary)
        }
        Loaded::Invalid(problems) => {
            let summary = format!(
                "{}: invalid: {} error(s)",
                path.display(),
                config_file::errors(&problems)
            );
            (problems, summary)
        }
    };
    if args.json {
        for p in &problems {
            let line = serde_json::json!({
                "severity": if p.severity == Severity::Error { "error" } else { "warning" },
                "path": p.path.to_string(),
                "line": p.location.map(|l| l.0),
                "column": p.location.map(|l| l.1),
                "message": p.message,
            });
            println!("{line}");
        }
        eprintln!("{summary}");
    } else {
        config_file::print(path, &problems);
        println!("{summary}");
    }
    Ok(if config_file::errors(&problems) > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
