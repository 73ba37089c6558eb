//! `cartlift schema`: the JSON Schema of config version 1, generated from the engine's
//! types, for editors (`"$schema": "…/config.v1.schema.json"`).

use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;

/// Flags of `cartlift schema`.
#[derive(clap::Args)]
pub struct Args {
    /// Write to this file instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// The schema as pretty JSON with a trailing newline.
pub fn text() -> String {
    let mut schema = schemars::schema_for!(cartlift_engine::RawConfig);
    schema.insert("title".into(), "cartlift config, version 1".into());
    let mut out = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    out.push('\n');
    out
}

pub fn run(args: &Args) -> Result<ExitCode> {
    match &args.output {
        None => print!("{}", text()),
        Some(path) => crate::write::atomically(path, text().as_bytes())
            .with_context(|| format!("writing {}", path.display()))?,
    }
    Ok(ExitCode::SUCCESS)
}
