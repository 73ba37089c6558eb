//! `cartlift import RULES...`: association rules mined elsewhere (Apache Spark's
//! `FPGrowth` on a cluster, for order histories beyond one machine) into the config's
//! `bought_together` rules.
//!
//! Reads what `model.associationRules.write.json(dir)` or `.parquet(dir)` left, checks
//! every row (problems are named by file and row, and nothing is written if there is
//! one), filters like `cartlift mine` (`--min-*`, `--top`), and hands the rules to the same
//! writer and `--into` merge as `mine`: same ids, same order, same numbers.

mod json_lines;
#[cfg(feature = "parquet")]
mod parquet;
mod spark;

use crate::bought_together::{self, into, thousands};
use crate::flags::{Destination, Output, Target};
use anyhow::{Result, bail};
use spark::{Collector, Filters, Format, Imported, ReadError};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Flags of `cartlift import`.
#[derive(clap::Args)]
pub struct Args {
    /// Spark's output: directories written by `df.write.json(dir)` / `df.write.parquet(dir)`,
    /// or their part files.
    #[arg(required = true, value_name = "RULES")]
    rules: Vec<PathBuf>,
    // `-o`, `--into`, `--backup`, shared with `mine`.
    #[command(flatten)]
    out: Output,
    /// The files' format; `auto`: by extension (.json, .parquet), else by content.
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    format: FormatArg,
    /// Keep rules with at least this support (Spark's minSupport already applied).
    #[arg(long, default_value_t = 0.0, value_name = "S")]
    min_support: f64,
    /// Keep rules with at least this confidence (Spark's minConfidence already applied).
    #[arg(long, default_value_t = 0.0, value_name = "C")]
    min_confidence: f64,
    /// Keep rules with at least this lift (1: bought together more often than chance, as
    /// `cartlift mine`; 0: no filter).
    #[arg(long, default_value_t = 1.0, value_name = "L")]
    min_lift: f64,
    /// Keep the N best rules (confidence, then lift) of each antecedent.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Print the summary as one JSON object (for scripts).
    #[arg(long)]
    summary_json: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    Auto,
    Json,
    Parquet,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let started = Instant::now();
    let filters = filters(args)?;
    let dest = args.out.destination()?;
    if dest.backup {
        crate::write::keep_backups();
    }
    let forced = match args.format {
        FormatArg::Auto => None,
        FormatArg::Json => Some(Format::Json),
        FormatArg::Parquet => Some(Format::Parquet),
    };

    // Read.
    let mut warn = |message: String| eprintln!("cartlift: warning: {message}");
    let inputs = match spark::inputs(&args.rules, forced, &mut warn)? {
        Ok(inputs) => inputs,
        Err(message) => {
            eprintln!("cartlift: error: {message}");
            return Ok(ExitCode::from(1));
        }
    };
    let mut collector = Collector::default();
    let (mut json_files, mut parquet_files) = (0, 0);
    for input in &inputs {
        let file = collector.file(input.path.display().to_string());
        let result = {
            let mut sink = |at, row| collector.row(file, at, row);
            match input.format {
                Format::Json => {
                    json_files += 1;
                    json_lines::read(&input.path, &mut sink)
                }
                Format::Parquet => {
                    parquet_files += 1;
                    read_parquet(&input.path, &mut sink)?
                }
            }
        };
        match result {
            Ok(()) => {}
            Err(ReadError::Io(e)) => {
                return Err(
                    anyhow::Error::new(e).context(format!("reading {}", input.path.display()))
                );
            }
            Err(ReadError::Invalid(message)) => collector.problem(file, &message),
        }
    }
    if filters.min_support > 0.0
        && let Some(at) = collector.first_without_support()
    {
        bail!(
            "--min-support needs a support column, and {at} has none (Spark before 3.0 wrote none)"
        );
    }
    let read_time = started.elapsed();
    let imported = match collector.finish(filters) {
        Ok(imported) => imported,
        Err(problems) => {
            let (shown, count) = (&problems.shown, problems.count);
            for p in shown {
                eprintln!("cartlift: error: {p}");
            }
            if count > shown.len() as u64 {
                eprintln!(
                    "cartlift: error: … and {} more",
                    thousands(count - shown.len() as u64)
                );
            }
            eprintln!(
                "cartlift: error: {} problem(s) in Spark's rules; nothing was written",
                thousands(count)
            );
            return Ok(ExitCode::from(1));
        }
    };
    if imported.without_support > 0 {
        eprintln!(
            "cartlift: warning: {} rule(s) have no support (Spark before 3.0 wrote none): written without it",
            thousands(imported.without_support as u64)
        );
    }

    // Write.
    let t = Instant::now();
    let report = match &dest.to {
        Target::Into { config, output } => {
            let target = output.as_deref().unwrap_or(config);
            match into::merge(config, target, imported.rules.iter(), &imported.names, None)? {
                Ok(report) => Some(report),
                Err(code) => return Ok(code),
            }
        }
        Target::Rules(output) => {
            bought_together::file::write(
                output.as_deref(),
                imported.rules.iter(),
                &imported.names,
                None,
            )?;
            None
        }
    };
    let write_time = t.elapsed();

    let summary = Summary {
        args,
        dest: &dest,
        imported: &imported,
        files: [json_files, parquet_files],
        report,
        times: [read_time, write_time, started.elapsed()],
    };
    if args.summary_json {
        eprintln!("{}", summary.json());
    } else {
        eprint!("{}", summary.text());
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(feature = "parquet")]
fn read_parquet(path: &Path, sink: &mut spark::Sink<'_>) -> Result<Result<(), ReadError>> {
    Ok(parquet::read(path, sink))
}

#[cfg(not(feature = "parquet"))]
fn read_parquet(path: &Path, _: &mut spark::Sink<'_>) -> Result<Result<(), ReadError>> {
    bail!(
        "{}: this cartlift was built without Parquet support (cargo feature `parquet`); write the rules with df.write.json(dir) instead",
        path.display()
    )
}

fn filters(args: &Args) -> Result<Filters> {
    for (flag, value) in [
        ("--min-support", args.min_support),
        ("--min-confidence", args.min_confidence),
    ] {
        if !(0.0..=1.0).contains(&value) {
            bail!("{flag} {value}: use a value in [0, 1]");
        }
    }
    if args.min_lift.is_nan() || args.min_lift < 0.0 {
        bail!("--min-lift {}: use a value of 0 or more", args.min_lift);
    }
    Ok(Filters {
        min_support: args.min_support,
        min_confidence: args.min_confidence,
        min_lift: args.min_lift,
        top: args.top,
    })
}

struct Summary<'a> {
    args: &'a Args,
    dest: &'a Destination,
    imported: &'a Imported,
    /// JSON-lines files, Parquet files.
    files: [usize; 2],
    report: Option<into::Report>,
    /// Read, write, total.
    times: [Duration; 3],
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl Summary<'_> {
    fn text(&self) -> String {
        let [json, parquet] = self.files;
        let inputs: Vec<String> = self
            .args
            .rules
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let mut kinds = Vec::new();
        if json > 0 {
            kinds.push(format!("{json} JSON-lines"));
        }
        if parquet > 0 {
            kinds.push(format!("{parquet} Parquet"));
        }
        if kinds.is_empty() {
            kinds.push("no part".into());
        }
        let a = self.args;
        let mut s = format!(
            "{}: {} rules in {} file(s)\n  {} rules kept (min support {}, min confidence {}, min lift {}{})",
            inputs.join(", "),
            thousands(self.imported.read as u64),
            kinds.join(" + "),
            thousands(self.imported.rules.len() as u64),
            a.min_support,
            a.min_confidence,
            a.min_lift,
            a.top
                .map(|n| format!(", top {n} per antecedent"))
                .unwrap_or_default()
        );
        if let (Some(r), Some(config)) = (&self.report, self.dest.config()) {
            s += &format!("\n  {}", r.text(config));
        }
        if let Some(out) = self.dest.shown() {
            s += &format!(" -> {out}");
        }
        let [read, write, total] = self.times;
        s += &format!(
            "\n  time: read {:.1} ms, write {:.1} ms, total {:.1} ms\n",
            ms(read),
            ms(write),
            ms(total)
        );
        s
    }

    fn json(&self) -> String {
        let [read, write, total] = self.times;
        let [json, parquet] = self.files;
        let mut v = serde_json::json!({
            "inputs": self.args.rules.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "json_files": json,
            "parquet_files": parquet,
            "read": self.imported.read,
            "without_support": self.imported.without_support,
            "rules": self.imported.rules.len(),
            "output": self.dest.shown(),
            "ms": {"read": ms(read), "write": ms(write), "total": ms(total)},
        });
        if let Some(r) = &self.report {
            v["into"] = r.json();
        }
        v.to_string()
    }
}
