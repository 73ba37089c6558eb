//! `cartlift compile CONFIG -o config.bin`: the config read, checked and indexed here, once,
//! and written in the compact form the widget's small build reads
//! (`cartlift_engine::Config::to_compiled`). A page whose `data-config` ends in `.bin`
//! loads that build, which ships neither the JSON reader nor the validator.

use crate::config_file;
use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;

/// Flags of `cartlift compile`.
#[derive(clap::Args)]
pub struct Args {
    /// The config (JSON).
    config: PathBuf,
    /// Where to write the compiled config; its name must end in `.bin` (the loader picks
    /// the small build by it).
    #[arg(short, long, value_name = "FILE")]
    out: PathBuf,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    if args.out.extension().and_then(|e| e.to_str()) != Some("bin") {
        eprintln!(
            "cartlift: error: {}: a compiled config's name must end in .bin (the widget's loader picks the build that reads it by its name)",
            args.out.display()
        );
        return Ok(ExitCode::from(2));
    }
    let valid = match config_file::load_valid(&args.config, "a compiled config must be valid")? {
        Ok(valid) => valid,
        Err(code) => return Ok(code),
    };
    let (config, warnings) = (valid.config, valid.warnings);
    config_file::print(&args.config, &warnings);
    let bytes = match config.to_compiled() {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("cartlift: error: {}: {e}", args.config.display());
            return Ok(ExitCode::from(1));
        }
    };
    crate::write::atomically(&args.out, &bytes)
        .with_context(|| format!("writing {}", args.out.display()))?;
    let json = std::fs::metadata(&args.config).map_or(0, |m| m.len());
    eprintln!(
        "compiled {} products and {} rules into {} ({} bytes; the JSON is {json}), format {}",
        config.products().len(),
        config.rules().len(),
        args.out.display(),
        bytes.len(),
        cartlift_engine::COMPILED_FORMAT,
    );
    Ok(ExitCode::SUCCESS)
}
