//! Reading a config file and printing its problems compiler-style
//! (`config.json:12:7: error in catalog[3].id: …`), shared by every command that takes one.

use anyhow::{Context, Result};
use cartlift_engine::{Config, JsonPath, Problem, Severity};
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
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let text = match decode(&bytes) {
        Ok(text) => text,
        Err(problem) => return Ok(Loaded::Invalid(vec![problem])),
    };
    let (config, problems) = Config::from_json_lenient(text);
    let has_errors = problems.iter().any(|p| p.severity == Severity::Error);
    Ok(match config {
        Some(config) if !has_errors => Loaded::Valid(Box::new(config), problems),
        _ => Loaded::Invalid(problems),
    })
}

/// The file as UTF-8 text, or why it is not: a config is UTF-8 without a byte order mark
/// (RFC 8259), and what an editor saved otherwise gets a message saying how to fix it.
fn decode(bytes: &[u8]) -> std::result::Result<&str, Problem> {
    let problem = |message: String, location: (usize, usize)| Problem {
        severity: Severity::Error,
        path: JsonPath::root(),
        message,
        location: Some(location),
    };
    let utf16 = bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || (bytes.len() >= 2 && (bytes[0] == 0) != (bytes[1] == 0));
    if utf16 {
        return Err(problem(
            "the file is UTF-16 text; save it as UTF-8".into(),
            (1, 1),
        ));
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Err(problem(
            "the file starts with a byte order mark (U+FEFF); save it as UTF-8 without BOM".into(),
            (1, 1),
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let column = valid[valid.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count()
            + 1;
        problem(
            format!(
                "the file is not UTF-8 (byte 0x{:02X}); save it as UTF-8",
                bytes[e.valid_up_to()]
            ),
            (line, column),
        )
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

/// Prints every problem and the one-line refusal of a command that needs a valid config
/// (`why`: "fix them before sharding"); the exit code to return (1: invalid input).
pub fn refuse(path: &Path, problems: &[Problem], why: &str) -> std::process::ExitCode {
    print(path, problems);
    eprintln!(
        "cartlift: error: {}: {} error(s); {why}",
        path.display(),
        errors(problems)
    );
    std::process::ExitCode::from(1)
}

/// How many problems are errors.
pub fn errors(problems: &[Problem]) -> usize {
    problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count()
}
