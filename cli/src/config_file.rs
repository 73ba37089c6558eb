//! Reading a config file and printing its problems compiler-style
//! (`config.json:12:7: error in catalog[3].id: …`), shared by every command that takes one.

use anyhow::{Context, Result};
use cartlift_engine::{Config, Problem, Severity};
use std::path::Path;

/// A config file, read and checked.
pub enum Loaded {
    /// Usable: the config and its warnings.
    Valid(Box<Config>, Vec<Problem>),
    /// Has errors: every problem.
    Invalid(Vec<Problem>),
}

/// Reads and builds a config; only I/O errors are `Err`.
pub fn load(path: &Path) -> Result<Loaded> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let (config, problems) = Config::from_json_lenient(&text);
    let has_errors = problems.iter().any(|p| p.severity == Severity::Error);
    Ok(match config {
        Some(config) if !has_errors => Loaded::Valid(Box::new(config), problems),
        _ => Loaded::Invalid(problems),
    })
}

/// `file:line:col: error in path: message`.
pub fn show(path: &Path, problem: &Problem) -> String {
    match problem.location {
        Some(_) => format!("{}:{problem}", path.display()),
        None => format!("{}: {problem}", path.display()),
    }
}

/// Prints every problem to stdout.
pub fn print(path: &Path, problems: &[Problem]) {
    for problem in problems {
        println!("{}", show(path, problem));
    }
}

/// How many problems are errors.
pub fn errors(problems: &[Problem]) -> usize {
    problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count()
}
