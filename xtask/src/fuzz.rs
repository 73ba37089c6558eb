//! `cargo xtask fuzz [--seconds N]`: the engine's cargo-fuzz targets (`engine/fuzz/`), each
//! for N seconds, one process at a time (the machines have two cores), with a report.
//!
//! Each target's working corpus (`engine/fuzz/corpus/<target>/`, git-ignored) is seeded
//! from the project's real files the first time; the regression corpus
//! (`engine/fuzz/regressions/<target>/`, in git, replayed by the engine's tests) is read
//! too. A crash, timeout or out-of-memory input lands in `engine/fuzz/artifacts/<target>/`
//! and makes the command exit non-zero: minimize it (`cargo +nightly fuzz tmin`), fix the
//! engine, and add the input to the regression corpus.

use crate::tools;
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::time::SystemTime;

/// The targets, in the order they run (names of `engine/fuzz/fuzz_targets/*.rs`).
pub const TARGETS: [&str; 2] = ["config", "orders"];

/// Longest input libFuzzer makes: the engine's `fuzzing::MAX_LEN` (the demo config, the
/// largest seed, is about 48 KB).
const MAX_LEN: usize = 64 * 1024;

/// Lines of `tests/data/groceries.csv` taken as an orders seed.
const GROCERIES_LINES: usize = 100;

/// What one target's run produced.
struct Report {
    target: &'static str,
    executions: Option<u64>,
    execs_per_sec: Option<u64>,
    corpus: usize,
    new_units: Option<u64>,
    peak_rss_mb: Option<u64>,
    findings: Vec<PathBuf>,
    status: Option<i32>,
}

/// Runs every target (or `only`) for `seconds` each.
pub fn run(seconds: u64, only: Option<&str>, sanitizer: &str) -> Result<ExitCode> {
    if let Some(t) = only
        && !TARGETS.contains(&t)
    {
        bail!("no fuzz target {t:?} (targets: {})", TARGETS.join(", "));
    }
    tools::ensure_fuzz_tools()?;
    let mut reports = Vec::new();
    for target in TARGETS.into_iter().filter(|t| only.is_none_or(|o| o == *t)) {
        seed(target)?;
        reports.push(fuzz(target, seconds, sanitizer)?);
    }

    println!("\n=== fuzzing report ({seconds} s per target)");
    let mut failed = false;
    for r in &reports {
        let num = |n: Option<u64>| n.map_or("?".to_string(), |n| n.to_string());
        println!(
            "{:<8} {:>12} executions  {:>7} exec/s  corpus {:>5} files (+{} new)  peak RSS {} MB  findings: {}",
            r.target,
            num(r.executions),
            num(r.execs_per_sec),
            r.corpus,
            num(r.new_units),
            num(r.peak_rss_mb),
            r.findings.len(),
        );
        for f in &r.findings {
            println!("         finding: {}", f.display());
        }
        if !r.findings.is_empty() || r.status != Some(0) {
            failed = true;
            if r.findings.is_empty() {
                println!("         libFuzzer exited with {:?}", r.status);
            }
        }
    }
    if failed {
        println!(
            "minimize with `cargo +nightly fuzz tmin <target> <file>` (in engine/), fix, then add \
             the input to engine/fuzz/regressions/<target>/"
        );
        Ok(ExitCode::FAILURE)
    } else {
        println!("no findings");
        Ok(ExitCode::SUCCESS)
    }
}

fn fuzz_dir() -> PathBuf {
    crate::root().join("engine/fuzz")
}

fn corpus_dir(target: &str) -> PathBuf {
    fuzz_dir().join("corpus").join(target)
}

fn artifacts_dir(target: &str) -> PathBuf {
    fuzz_dir().join("artifacts").join(target)
}

/// Copies the seed files into the working corpus, once each (`seed-<name>`).
fn seed(target: &str) -> Result<()> {
    let root = crate::root();
    let dir = corpus_dir(target);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut seeds: Vec<(String, Vec<u8>)> = Vec::new();
    let add_dir = |seeds: &mut Vec<(String, Vec<u8>)>, sub: &str, ext: &str| -> Result<()> {
        let from = root.join(sub);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&from)
            .with_context(|| format!("reading {}", from.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .collect();
        files.sort();
        for f in files {
            seeds.push((file_name(&f), std::fs::read(&f)?));
        }
        Ok(())
    };
    match target {
        "config" => {
            add_dir(&mut seeds, "tests/data/bad-configs", "json")?;
            add_dir(&mut seeds, "cli/tests/data/orders", "json")?;
            let demo = root.join("demo-site/cartlift/config.json");
            seeds.push(("demo-config.json".into(), std::fs::read(&demo)?));
        }
        "orders" => {
            add_dir(&mut seeds, "cli/tests/data/orders", "csv")?;
            let groceries = std::fs::read_to_string(root.join("tests/data/groceries.csv"))?;
            let slice: String = groceries
                .lines()
                .take(GROCERIES_LINES)
                .map(|l| format!("{l}\n"))
                .collect();
            seeds.push(("groceries-head.csv".into(), slice.into_bytes()));
            let demo = root.join("demo-site/data/orders.csv");
            if let Ok(text) = std::fs::read_to_string(&demo) {
                let slice: String = text.lines().take(100).map(|l| format!("{l}\n")).collect();
                seeds.push(("demo-orders-head.csv".into(), slice.into_bytes()));
            }
        }
        _ => bail!("no seeds for {target}"),
    }
    for (name, bytes) in seeds {
        if bytes.len() > MAX_LEN {
            continue;
        }
        let to = dir.join(format!("seed-{name}"));
        if !to.exists() {
            std::fs::write(&to, bytes).with_context(|| format!("writing {}", to.display()))?;
        }
    }
    Ok(())
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `cargo +nightly fuzz run <target>` for `seconds`, echoing libFuzzer's output and keeping
/// its final stats.
fn fuzz(target: &'static str, seconds: u64, sanitizer: &str) -> Result<Report> {
    let started = SystemTime::now();
    let mut cmd = tools::nightly_cargo();
    cmd.current_dir(crate::root().join("engine"))
        .args(["fuzz", "run", "--sanitizer", sanitizer, target])
        .arg(corpus_dir(target))
        .arg(fuzz_dir().join("regressions").join(target))
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-max_len={MAX_LEN}"))
        // Per input: a reader or a config that takes seconds is a finding.
        .arg("-timeout=10")
        .arg("-rss_limit_mb=2048")
        .arg("-print_final_stats=1")
        .stderr(Stdio::piped());
    eprintln!("\n=== fuzz {target} ({seconds} s)");
    eprintln!("$ {}", crate::run::show(&cmd));
    let mut child = cmd
        .spawn()
        .with_context(|| format!("starting cargo fuzz for {target}"))?;
    let mut executions = None;
    let mut execs_per_sec = None;
    let mut new_units = None;
    let mut peak_rss_mb = None;
    let stderr = child.stderr.take().context("libFuzzer's stderr")?;
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap_or_default();
        eprintln!("{line}");
        let value = |key: &str| -> Option<u64> {
            line.strip_prefix(key)?
                .trim()
                .trim_start_matches(':')
                .trim()
                .parse()
                .ok()
        };
        executions = value("stat::number_of_executed_units").or(executions);
        execs_per_sec = value("stat::average_exec_per_sec").or(execs_per_sec);
        new_units = value("stat::new_units_added").or(new_units);
        peak_rss_mb = value("stat::peak_rss_mb").or(peak_rss_mb);
    }
    let status = child.wait()?.code();
    let corpus = std::fs::read_dir(corpus_dir(target))
        .map(|d| d.count())
        .unwrap_or(0);
    Ok(Report {
        target,
        executions,
        execs_per_sec,
        corpus,
        new_units,
        peak_rss_mb,
        findings: findings(target, started),
        status,
    })
}

/// Crash, timeout, out-of-memory and leak inputs written since `since`.
fn findings(target: &str, since: SystemTime) -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir(artifacts_dir(target)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = dir
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            ["crash-", "timeout-", "oom-", "leak-"]
                .iter()
                .any(|p| name.starts_with(p))
                && e.metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|m| m >= since)
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}
