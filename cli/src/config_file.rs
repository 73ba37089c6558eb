//! Reading a config file and printing its problems compiler-style
//! (`config.json:12:7: error in catalog[3].id: …`), shared by every command that takes one.

use anyhow::{Context, Result};
use cartlift_engine::{Config, JsonPath, Problem, ProblemKind, RawConfig};
use std::path::Path;
use std::process::ExitCode;

/// A config file, read and checked once.
pub enum Loaded {
    /// Usable: the config, the document it was read from, and its warnings.
    Valid(Box<Valid>),
    /// Has errors: every problem.
    Invalid(Vec<Problem>),
}

/// A config without errors.
pub struct Valid {
    /// Built and indexed.
    pub config: Config,
    /// As written.
    pub raw: RawConfig,
    /// Its warnings.
    pub warnings: Vec<Problem>,
}

/// Reads and builds a config; only I/O errors are `Err`.
pub fn load(path: &Path) -> Result<Loaded> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let text = match decode(&bytes) {
        Ok(text) => text,
        Err(problem) => return Ok(Loaded::Invalid(vec![*problem])),
    };
    let read = Config::read(text);
    let errors = read.errors();
    Ok(match read.config {
        Some(config) if errors == 0 => Loaded::Valid(Box::new(Valid {
            config,
            raw: read.raw,
            warnings: read.problems,
        })),
        _ => Loaded::Invalid(read.problems),
    })
}

/// A config a command needs valid: or, when it is not, its problems printed with the
/// command's refusal (`why`, as for [`refuse`]) and the exit code to return.
pub fn load_valid(path: &Path, why: &str) -> Result<std::result::Result<Valid, ExitCode>> {
    Ok(match load(path)? {
        Loaded::Valid(valid) => Ok(*valid),
        Loaded::Invalid(problems) => Err(refuse(path, &problems, why)),
    })
}

/// The file as UTF-8 text, or why it is not: a config is UTF-8 without a byte order mark
/// (RFC 8259), and what an editor saved otherwise gets a message saying how to fix it.
fn decode(bytes: &[u8]) -> std::result::Result<&str, Box<Problem>> {
    let problem = |message: String, location: (usize, usize)| {
        Box::new(Problem::error(ProblemKind::NotJson, JsonPath::root(), message).at(location))
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
/// (`why`: "fix them before sharding") to stderr, as diagnostics: the command's stdout is
/// for what it makes (`validate`, whose product the problems are, prints them to stdout).
/// Returns the exit code (1: invalid input).
pub fn refuse(path: &Path, problems: &[Problem], why: &str) -> ExitCode {
    for problem in problems {
        eprintln!("{}", show(path, problem));
    }
    eprintln!(
        "cartlift: error: {}: {} error(s); {why}",
        path.display(),
        errors(problems)
    );
    ExitCode::from(1)
}

/// How many problems are errors.
pub fn errors(problems: &[Problem]) -> usize {
    cartlift_engine::config::error_count(problems)
}
