//! `cargo xtask spark`: `cartlift import` checked against a real Apache Spark run.
//!
//! A store whose order history does not fit one machine mines it with Spark's FPGrowth
//! on its cluster and ships the rules with `cartlift import`. This task proves that path
//! end to end on groceries.csv: pyspark (from PyPI, in a throw-away venv under
//! `target/spark/venv`; Java 17 must be installed) runs FPGrowth in local mode
//! (`xtask/spark/mine_groceries.py`) and writes `associationRules` as JSON lines and as
//! Parquet, in several part files each. Then `cartlift import` reads both directories and
//! `cartlift mine` mines groceries.csv at the same thresholds, and the task fails unless:
//!
//! - Spark and cartlift saw the same orders, used the same minimum count
//!   (Spark: `ceil(minSupport × orders)`; cartlift the same, except that products within
//!   1e-9 of a whole number count as whole: the thresholds here are far from that edge)
//!   and found the same number of frequent itemsets and rules;
//! - the JSON and the Parquet import are byte-identical;
//! - the import and mine's own rules are the same rules, in the same order, with the same
//!   ids; support and confidence bit for bit (both are one division of the same counts),
//!   lift within 2 units in the last place (Spark divides confidence by the consequent's
//!   support, two more roundings than cartlift's one division of counts);
//! - the same holds with `--top 3` and the default `--min-lift 1` on both sides.
//!
//! Semantics lined up: Spark's minSupport is a share of all orders, like `--min-support`;
//! its rules have one-item consequents, like mine's default `--max-consequent 1`; it has
//! no length limit (mine's `--max-len` is left unset) and no lift filter (both sides run
//! with `--min-lift 0`). Spark refuses repeated items in a basket and cartlift counts them
//! once: the script drops repeats (groceries.csv has none).
//!
//! `cargo xtask spark --fixtures` instead regenerates the small real Spark output that
//! the CLI's tests read (`cli/tests/data/spark/`).

use crate::run::{cargo, run};
use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// pyspark from PyPI, pinned so every run tests the same Spark (4.0 runs on Java 17).
const PYSPARK: &str = "pyspark==4.0.1";
/// pyspark.ml needs numpy.
const NUMPY: &str = "numpy==2.4.6";

/// The check's thresholds on groceries.csv: ≥ 50 of 9,835 orders, a few hundred rules.
const MIN_SUPPORT: f64 = 0.005;
const MIN_CONFIDENCE: f64 = 0.1;
/// Part files per output directory, as a cluster would leave several.
const PARTITIONS: usize = 4;

/// The fixtures' thresholds: a few dozen rules, small enough to read in a diff.
const FIXTURE_MIN_SUPPORT: f64 = 0.02;
const FIXTURE_MIN_CONFIDENCE: f64 = 0.25;

/// Lift may differ by this many units in the last place (see the module docs).
const MAX_LIFT_ULPS: u64 = 2;

pub fn run_spark(fixtures: bool) -> Result<ExitCode> {
    let started = Instant::now();
    let dir = crate::target_dir().join("spark");
    std::fs::create_dir_all(&dir)?;
    ensure_java()?;

    let t = Instant::now();
    run(cargo().args(["build", "--release", "-p", "cartlift-cli"]))?;
    let cartlift = crate::target_dir().join("release/cartlift");
    let build_time = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let (python, installed) = ensure_pyspark(&dir)?;
    let venv_time = t.elapsed().as_secs_f64();

    let groceries = crate::root().join("tests/data/groceries.csv");
    if fixtures {
        return write_fixtures(&python, &groceries, &dir);
    }

    // Spark.
    let out = dir.join("run");
    let _ = std::fs::remove_dir_all(&out);
    let t = Instant::now();
    let spark = spark_job(
        &python,
        &groceries,
        &out,
        MIN_SUPPORT,
        MIN_CONFIDENCE,
        PARTITIONS,
        false,
    )?;
    let spark_time = t.elapsed().as_secs_f64();
    ensure!(
        spark["orders_with_repeated_items"] == 0,
        "Spark saw baskets with repeated items; the comparison assumes none"
    );
    ensure!(
        spark["longest_consequent"] == 1,
        "Spark wrote rules with longer consequents than one item"
    );

    // cartlift.
    // Spark's rules have no ranking weights and are of every length: like with like.
    let thresholds = [
        "--min-support".to_string(),
        MIN_SUPPORT.to_string(),
        "--min-confidence".to_string(),
        MIN_CONFIDENCE.to_string(),
        "--ridge".to_string(),
        "off".to_string(),
    ];
    let (mine, mine_ms) = cartlift_json(
        Command::new(&cartlift)
            .arg("mine")
            .arg(&groceries)
            .args(["--format", "baskets", "--min-lift", "0", "--summary-json"])
            .args(&thresholds)
            .arg("-o")
            .arg(dir.join("mine.json")),
    )?;
    let import = |from: &str, to: &str, flags: &[&str]| {
        cartlift_json(
            Command::new(&cartlift)
                .arg("import")
                .arg(out.join(from))
                .args(flags)
                .arg("--summary-json")
                .arg("-o")
                .arg(dir.join(to)),
        )
    };
    let (from_json, json_ms) = import("rules.json", "import-json.json", &["--min-lift", "0"])?;
    let (from_parquet, parquet_ms) =
        import("rules.parquet", "import-parquet.json", &["--min-lift", "0"])?;

    // Counts.
    let same = |what: &str, spark: &Value, ours: &Value| -> Result<()> {
        ensure!(
            spark == ours && !spark.is_null(),
            "{what}: Spark {spark}, cartlift {ours}"
        );
        Ok(())
    };
    same("orders", &spark["orders"], &mine["transactions"])?;
    same("minimum count", &spark["min_count"], &mine["min_count"])?;
    same("frequent itemsets", &spark["itemsets"], &mine["itemsets"])?;
    same("rules", &spark["rules"], &mine["rules"])?;
    same(
        "rules imported from JSON",
        &spark["rules"],
        &from_json["rules"],
    )?;
    same(
        "rules imported from Parquet",
        &spark["rules"],
        &from_parquet["rules"],
    )?;
    ensure!(
        from_json["json_files"] == PARTITIONS && from_parquet["parquet_files"] == PARTITIONS,
        "expected {PARTITIONS} part files in each directory: {from_json} / {from_parquet}"
    );
    ensure!(
        std::fs::read(dir.join("import-json.json"))?
            == std::fs::read(dir.join("import-parquet.json"))?,
        "the JSON and the Parquet import differ"
    );

    // Rules.
    let all = compare(&dir.join("import-parquet.json"), &dir.join("mine.json"))?;

    // The widget's usual cut: top 3 per antecedent at the default lift ≥ 1.
    cartlift_json(
        Command::new(&cartlift)
            .arg("mine")
            .arg(&groceries)
            .args(["--format", "baskets", "--top", "3", "--summary-json"])
            .args(&thresholds)
            .arg("-o")
            .arg(dir.join("mine-top3.json")),
    )?;
    import("rules.parquet", "import-top3.json", &["--top", "3"])?;
    let top = compare(&dir.join("import-top3.json"), &dir.join("mine-top3.json"))?;

    let seconds = |k: &str| spark["seconds"][k].as_f64().unwrap_or(f64::NAN);
    let mut report = String::new();
    writeln!(
        report,
        "Spark {} FPGrowth (local[2]) on groceries.csv: {} orders, min support {MIN_SUPPORT} (≥ {} orders), min confidence {MIN_CONFIDENCE}: {} itemsets, {} rules, written as {PARTITIONS} JSON-lines and {PARTITIONS} Parquet part files.",
        spark["spark"].as_str().unwrap_or("?"),
        spark["orders"],
        spark["min_count"],
        spark["itemsets"],
        spark["rules"],
    )?;
    writeln!(
        report,
        "cartlift mine at the same thresholds: the same {} orders, {} itemsets, {} rules.",
        mine["transactions"], mine["itemsets"], mine["rules"]
    )?;
    writeln!(report, "\n| check | rules | result |\n|---|---:|---|")?;
    writeln!(
        report,
        "| import of JSON vs import of Parquet | {} | byte-identical |",
        from_json["rules"]
    )?;
    for (name, c) in [
        ("import vs mine, all rules (lift ≥ 0)", &all),
        ("import vs mine, `--top 3`, lift ≥ 1", &top),
    ] {
        writeln!(
            report,
            "| {name} | {} | same rules, order and ids; support and confidence bit-identical; lift identical in {}, ≤ {} ulp apart in the rest |",
            c.rules, c.lift_identical, c.max_lift_ulps
        )?;
    }
    writeln!(
        report,
        "\n| time | seconds |\n|---|---:|\n| cargo build --release -p cartlift-cli | {build_time:.1} |\n| venv with pyspark ({}) | {venv_time:.1} |\n| Spark job, whole (JVM start {:.1}, fit + counts {:.1}, write JSON + Parquet {:.1}) | {spark_time:.1} |\n| cartlift import, JSON / Parquet | {:.3} / {:.3} |\n| cartlift mine | {:.3} |\n| **whole task** | **{:.1}** |",
        if installed {
            "installed now"
        } else {
            "already there"
        },
        seconds("start"),
        seconds("fit"),
        seconds("write"),
        json_ms / 1000.0,
        parquet_ms / 1000.0,
        mine_ms / 1000.0,
        started.elapsed().as_secs_f64(),
    )?;
    println!("\n{report}");
    std::fs::write(dir.join("report.md"), &report)?;
    println!("(also in {})", dir.join("report.md").display());
    Ok(ExitCode::SUCCESS)
}

fn ensure_java() -> Result<()> {
    let ok = Command::new("java")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ensure!(
        ok,
        "Spark needs Java 17 or newer on PATH (Debian: apt-get install openjdk-17-jre-headless)"
    );
    Ok(())
}

/// The venv's python with the pinned pyspark importable, creating the venv if needed.
/// The bool: whether it was installed now.
fn ensure_pyspark(dir: &Path) -> Result<(PathBuf, bool)> {
    let venv = dir.join("venv");
    let python = venv.join("bin/python");
    let wanted = PYSPARK.trim_start_matches("pyspark==");
    let ready = |python: &Path| {
        Command::new(python)
            .args([
                "-c",
                "import numpy, pyspark, pyspark.ml.fpm; print(pyspark.__version__)",
            ])
            .stderr(Stdio::null())
            .output()
            .is_ok_and(|o| {
                o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == wanted
            })
    };
    if python.exists() && ready(&python) {
        return Ok((python, false));
    }
    eprintln!(
        "installing {PYSPARK} into a throw-away venv ({})",
        venv.display()
    );
    if !python.exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    run(Command::new(&python).args(["-m", "pip", "install", "--quiet", PYSPARK, NUMPY]))?;
    ensure!(
        ready(&python),
        "{PYSPARK} installed but `import pyspark.ml.fpm` fails"
    );
    Ok((python, true))
}

/// Runs the Spark script; returns its summary.
fn spark_job(
    python: &Path,
    baskets: &Path,
    out: &Path,
    min_support: f64,
    min_confidence: f64,
    partitions: usize,
    extras: bool,
) -> Result<Value> {
    let script = crate::root().join("xtask/spark/mine_groceries.py");
    let mut cmd = Command::new(python);
    cmd.arg(&script)
        .arg(baskets)
        .arg(out)
        .args(["--min-support", &min_support.to_string()])
        .args(["--min-confidence", &min_confidence.to_string()])
        .args(["--partitions", &partitions.to_string()])
        // Local mode only: bind nothing but the loopback interface.
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .env("PYSPARK_PYTHON", python)
        .stderr(Stdio::inherit());
    if extras {
        cmd.arg("--extras");
    }
    eprintln!("$ {}", crate::run::show(&cmd));
    let output = cmd.output().context("running the Spark job")?;
    ensure!(output.status.success(), "the Spark job failed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout
        .lines()
        .last()
        .context("the Spark job printed nothing")?;
    serde_json::from_str(last).with_context(|| format!("the Spark job's summary: {last}"))
}

/// Runs cartlift with `--summary-json`; returns the summary and the wall time in ms.
fn cartlift_json(cmd: &mut Command) -> Result<(Value, f64)> {
    eprintln!("$ {}", crate::run::show(cmd));
    let t = Instant::now();
    let out = cmd.output().context("running cartlift")?;
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    if !out.status.success() {
        bail!(
            "`{}` failed: {}",
            crate::run::show(cmd),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().context("no summary")?;
    Ok((
        serde_json::from_str(last).with_context(|| format!("cartlift's summary: {last}"))?,
        ms,
    ))
}

struct Comparison {
    rules: usize,
    lift_identical: usize,
    max_lift_ulps: u64,
}

/// Rule by rule: the same ids in the same order, sides equal, support and confidence
/// bit-identical, lift within [`MAX_LIFT_ULPS`].
fn compare(imported: &Path, mined: &Path) -> Result<Comparison> {
    let rules = |path: &Path| -> Result<Vec<Value>> {
        let v: Value = serde_json::from_slice(&std::fs::read(path)?)
            .with_context(|| format!("reading {}", path.display()))?;
        Ok(v["rules"].as_array().context("a rules array")?.clone())
    };
    let (ours, theirs) = (rules(mined)?, rules(imported)?);
    let name = imported.file_name().unwrap_or_default().to_string_lossy();
    ensure!(
        ours.len() == theirs.len(),
        "{name}: {} rules, mine wrote {}",
        theirs.len(),
        ours.len()
    );
    let mut c = Comparison {
        rules: ours.len(),
        lift_identical: 0,
        max_lift_ulps: 0,
    };
    let mut problems = Vec::new();
    for (k, (a, b)) in theirs.iter().zip(&ours).enumerate() {
        for key in ["id", "antecedent", "consequent", "source"] {
            if a[key] != b[key] {
                problems.push(format!(
                    "rule {}: {key} {} (import) vs {} (mine)",
                    k + 1,
                    a[key],
                    b[key]
                ));
            }
        }
        for key in ["support", "confidence", "lift"] {
            let (x, y) = (a[key].as_f64(), b[key].as_f64());
            let (Some(x), Some(y)) = (x, y) else {
                problems.push(format!("rule {} ({}): no {key}", k + 1, b["id"]));
                continue;
            };
            let ulps = (x.to_bits() as i64 - y.to_bits() as i64).unsigned_abs();
            let allowed = if key == "lift" { MAX_LIFT_ULPS } else { 0 };
            if key == "lift" {
                c.lift_identical += usize::from(ulps == 0);
                c.max_lift_ulps = c.max_lift_ulps.max(ulps);
            }
            if ulps > allowed {
                problems.push(format!(
                    "rule {} ({}): {key} {x} (import) vs {y} (mine), {ulps} ulp apart",
                    k + 1,
                    b["id"]
                ));
            }
        }
    }
    if !problems.is_empty() {
        let shown: Vec<&str> = problems.iter().take(20).map(String::as_str).collect();
        bail!(
            "{name}: {} difference(s) from mine:\n  {}",
            problems.len(),
            shown.join("\n  ")
        );
    }
    Ok(c)
}

/// Regenerates `cli/tests/data/spark/`: groceries at the fixture thresholds in two part
/// files per format, plus what cartlift must refuse with a clear message: the rules as
/// zstd-compressed Parquet, and FPGrowth's freqItemsets instead of its rules. The files
/// are Spark's own, `_SUCCESS` and `.crc` checksums included, so the tests read the real
/// layout.
fn write_fixtures(python: &Path, groceries: &Path, dir: &Path) -> Result<ExitCode> {
    let staging = dir.join("fixtures");
    let _ = std::fs::remove_dir_all(&staging);
    let summary = spark_job(
        python,
        groceries,
        &staging,
        FIXTURE_MIN_SUPPORT,
        FIXTURE_MIN_CONFIDENCE,
        2,
        true,
    )?;
    let target = crate::root().join("cli/tests/data/spark");
    std::fs::create_dir_all(&target)?;
    for name in [
        "rules.json",
        "rules.parquet",
        "rules-zstd.parquet",
        "itemsets.parquet",
    ] {
        let to = target.join(format!("groceries-{name}"));
        let _ = std::fs::remove_dir_all(&to);
        std::fs::rename(staging.join(name), &to)
            .with_context(|| format!("moving {name} to {}", to.display()))?;
    }
    println!(
        "wrote {} from Spark {}: groceries.csv at min support {FIXTURE_MIN_SUPPORT}, min confidence {FIXTURE_MIN_CONFIDENCE}: {} rules",
        target.display(),
        summary["spark"].as_str().unwrap_or("?"),
        summary["rules"]
    );
    Ok(ExitCode::SUCCESS)
}
