//! `cargo xtask bench-mine`: `cartlift mine` against Borgelt's pyfim (the fastest widely
//! used implementation, C behind a Python API), side by side in one run.
//!
//! Three data sets: groceries.csv (9,835 real baskets) at min support 0.001 and min
//! confidence 0.1, a seeded synthetic history of 100,000 baskets over 16,000
//! long-tailed items (`engine::synthetic::baskets`), and the suite's retail-sized store
//! (88,162 baskets of about ten items over 16,470 products, at 0.001), written to
//! `target/bench-mine/`. A last row per set times `cartlift mine` with its defaults (pairs,
//! the ranking weights and family tuned) against pyfim's plain mining.
//! Both tools do the same job (cartlift with `--ridge off`, no weights, every itemset
//! length): read the baskets file, find frequent itemsets, derive
//! single-consequent rules, write them as config rules (JSON). Each tool runs several
//! times; the table shows medians per phase and end to end, and the ratio.
//!
//! Fairness: cartlift is timed as a whole fresh process (start-up included) writing its
//! file atomically and durably (temp file, fsync, rename); pyfim is timed inside one warm
//! Python process, interpreter start-up and `import fim` excluded, writing with plain
//! `open().write()`; its end to end is parse + `fpgrowth(target='r')` (itemsets and rules
//! in one C call) + write. Both must produce the same itemset and rule counts, and the
//! same rules with the same counts, or the benchmark fails.
//!
//! pyfim lives in a throw-away venv under `target/bench-mine/venv` (pip builds its C
//! code with gcc); it is never a dependency of the product.

use crate::run::{cargo, run};
use anyhow::{Context, Result, bail, ensure};
use cartlift_engine::synthetic::baskets::{BasketSpec, item_name};
use cartlift_engine::synthetic::suite;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Runs of each tool per data set; the median is reported.
const RUNS: usize = 9;
/// Minimum support for the synthetic set: 20 of 100,000 orders. Low enough that the
/// long tail matters (thousands of items qualify, and pairs of them), high enough that
/// every pair found is backed by twenty real orders and the result stays in the tens of
/// thousands of rules.
const SYNTHETIC_MIN_SUPPORT: f64 = 0.0002;
const SYNTHETIC_SEED: u64 = 42;

struct DataSet {
    name: &'static str,
    file: PathBuf,
    min_support: f64,
    min_confidence: f64,
}

pub fn run_bench() -> Result<ExitCode> {
    let dir = crate::target_dir().join("bench-mine");
    std::fs::create_dir_all(&dir)?;
    run(cargo().args(["build", "--release", "-p", "cartlift-cli"]))?;
    let cartlift = crate::target_dir().join("release/cartlift");
    let python = ensure_pyfim(&dir)?;
    let script = dir.join("pyfim_job.py");
    std::fs::write(&script, PYFIM_JOB)?;

    let synthetic = dir.join("synthetic-100k.csv");
    write_synthetic(&synthetic)?;
    let retail = dir.join("suite-retail.csv");
    let store = suite::store("retail").context("the suite's retail store")?;
    write_baskets(&retail, store.spec.generate(store.seed))?;
    let sets = [
        DataSet {
            name: "groceries.csv",
            file: crate::root().join("tests/data/groceries.csv"),
            min_support: 0.001,
            min_confidence: 0.1,
        },
        DataSet {
            name: "synthetic 100k × 16k",
            file: synthetic,
            min_support: SYNTHETIC_MIN_SUPPORT,
            min_confidence: 0.1,
        },
        DataSet {
            name: "suite store `retail` (88,162 orders, 16,470 products, ~10 a basket)",
            file: retail,
            min_support: 0.001,
            min_confidence: 0.1,
        },
    ];
    let mut report = String::new();
    for set in &sets {
        report += &bench_set(set, &cartlift, &python, &script, &dir)?;
    }
    report += &match wasm_in_chromium(&dir) {
        Ok(line) => line,
        Err(e) => format!("wasm in headless Chromium: not measured ({e:#})\n"),
    };
    println!("\n{report}");
    std::fs::write(dir.join("report.md"), &report)?;
    println!("(also in {})", dir.join("report.md").display());
    Ok(ExitCode::SUCCESS)
}

fn write_synthetic(path: &Path) -> Result<()> {
    write_baskets(path, BasketSpec::BENCHMARK.generate(SYNTHETIC_SEED))
}

/// Generated baskets as a file of one basket per line (`sku-00042,sku-00107`), the
/// format of groceries.csv.
pub(crate) fn write_baskets(path: &Path, baskets: impl Iterator<Item = Vec<u32>>) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for basket in baskets {
        for (k, item) in basket.into_iter().enumerate() {
            if k > 0 {
                out.write_all(b",")?;
            }
            out.write_all(item_name(item).as_bytes())?;
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// The venv's python with pyfim importable, creating the venv if needed.
fn ensure_pyfim(dir: &Path) -> Result<PathBuf> {
    let venv = dir.join("venv");
    let python = venv.join("bin/python");
    let has_fim = |python: &Path| {
        Command::new(python)
            .args(["-c", "import fim"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if python.exists() && has_fim(&python) {
        return Ok(python);
    }
    eprintln!(
        "installing pyfim into a throw-away venv ({})",
        venv.display()
    );
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(&python).args(["-m", "pip", "install", "--quiet", "pyfim"]))?;
    ensure!(has_fim(&python), "pyfim installed but `import fim` fails");
    Ok(python)
}

#[derive(Default)]
struct Times {
    parse: Vec<f64>,
    itemsets: Vec<f64>,
    rules: Vec<f64>,
    write: Vec<f64>,
    total: Vec<f64>,
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn bench_set(
    set: &DataSet,
    cartlift: &Path,
    python: &Path,
    script: &Path,
    dir: &Path,
) -> Result<String> {
    eprintln!("\n=== {}", set.name);
    let slug: String = set
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let ours_out = dir.join(format!("{slug}.cartlift.json"));
    let theirs_out = dir.join(format!("{slug}.pyfim.json"));

    // cartlift, fresh process per run.
    let mut ours = Times::default();
    let mut summary = Value::Null;
    for _ in 0..RUNS {
        let t = Instant::now();
        let out = Command::new(cartlift)
            .arg("mine")
            .arg(&set.file)
            .args(["--format", "baskets", "--min-lift", "0", "--summary-json"])
            .args(["--ridge", "off"])
            .args(["--min-support", &set.min_support.to_string()])
            .args(["--min-confidence", &set.min_confidence.to_string()])
            .arg("-o")
            .arg(&ours_out)
            .output()
            .context("running cartlift")?;
        let wall = t.elapsed().as_secs_f64() * 1000.0;
        ensure!(
            out.status.success(),
            "cartlift failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        summary =
            serde_json::from_slice(out.stderr.trim_ascii()).context("cartlift's --summary-json")?;
        let ms = |k: &str| summary["ms"][k].as_f64().unwrap_or(f64::NAN);
        ours.parse.push(ms("read"));
        ours.itemsets.push(ms("mine"));
        ours.rules.push(ms("rules"));
        ours.write.push(ms("write"));
        ours.total.push(wall);
    }
    let min_count = summary["min_count"].as_u64().context("min_count")?;

    // cartlift with its defaults at the same support: pairs, ranking weights and the
    // ranking family chosen on held-out orders (what a store runs).
    let defaults_out = dir.join(format!("{slug}.defaults.json"));
    let mut defaults = Vec::new();
    let mut defaults_summary = Value::Null;
    for _ in 0..RUNS {
        let t = Instant::now();
        let out = Command::new(cartlift)
            .arg("mine")
            .arg(&set.file)
            .args(["--format", "baskets", "--summary-json"])
            .args(["--min-support", &set.min_support.to_string()])
            .arg("-o")
            .arg(&defaults_out)
            .output()
            .context("running cartlift")?;
        defaults.push(t.elapsed().as_secs_f64() * 1000.0);
        ensure!(
            out.status.success(),
            "cartlift failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        defaults_summary =
            serde_json::from_slice(out.stderr.trim_ascii()).context("cartlift's --summary-json")?;
    }

    // pyfim, one warm process.
    let out = Command::new(python)
        .arg(script)
        .arg(&set.file)
        .arg(min_count.to_string())
        .arg((set.min_confidence * 100.0).to_string())
        .arg(RUNS.to_string())
        .arg(&theirs_out)
        .output()
        .context("running the pyfim job")?;
    ensure!(
        out.status.success(),
        "pyfim job failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pyfim: Value =
        serde_json::from_slice(out.stdout.trim_ascii()).context("pyfim job output")?;
    let series = |k: &str| -> Vec<f64> {
        pyfim["ms"][k]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default()
    };
    let theirs = Times {
        parse: series("parse"),
        itemsets: series("itemsets"),
        rules: series("rules"),
        write: series("write"),
        total: series("total"),
    };

    // Same results, or the race means nothing.
    let counts = |v: &Value, k: &str| v[k].as_u64().unwrap_or(u64::MAX);
    ensure!(
        counts(&summary, "itemsets") == counts(&pyfim, "itemsets")
            && counts(&summary, "rules") == counts(&pyfim, "rules"),
        "{}: cartlift found {} itemsets / {} rules, pyfim {} / {}",
        set.name,
        counts(&summary, "itemsets"),
        counts(&summary, "rules"),
        counts(&pyfim, "itemsets"),
        counts(&pyfim, "rules")
    );
    let same_rules = rule_table(&ours_out)? == rule_table(&theirs_out)?;
    if !same_rules {
        bail!(
            "{}: the two rule files differ (antecedent, consequent or counts)",
            set.name
        );
    }

    let mut s = String::new();
    writeln!(
        s,
        "### {} — {} orders, {} items; min support {} (≥ {} orders), min confidence {}: {} itemsets (longest {}), {} rules; identical rules in both\n",
        set.name,
        summary["transactions"],
        summary["items"],
        set.min_support,
        min_count,
        set.min_confidence,
        summary["itemsets"],
        summary["longest"],
        summary["rules"],
    )?;
    writeln!(
        s,
        "| median of {RUNS} runs, ms | cartlift | pyfim | pyfim ÷ cartlift |"
    )?;
    writeln!(s, "|---|---:|---:|---:|")?;
    let row = |s: &mut String, name: &str, a: &[f64], b: &[f64]| -> std::fmt::Result {
        let (a, b) = (median(a), median(b));
        writeln!(s, "| {name} | {a:.1} | {b:.1} | {:.1}× |", b / a)
    };
    row(&mut s, "parse the file", &ours.parse, &theirs.parse)?;
    row(
        &mut s,
        "frequent itemsets",
        &ours.itemsets,
        &theirs.itemsets,
    )?;
    let ours_mine_rules: Vec<f64> = ours
        .itemsets
        .iter()
        .zip(&ours.rules)
        .map(|(a, b)| a + b)
        .collect();
    row(
        &mut s,
        "itemsets + rules (pyfim: one `fpgrowth(target='r')` call)",
        &ours_mine_rules,
        &theirs.rules,
    )?;
    row(&mut s, "write rules (JSON)", &ours.write, &theirs.write)?;
    row(
        &mut s,
        "**end to end** (cartlift: whole process)",
        &ours.total,
        &theirs.total,
    )?;
    // pyfim's plain mining: parse + `fpgrowth(target='r')`, without writing (Python's
    // JSON writing is not mining).
    let plain: Vec<f64> = theirs
        .parse
        .iter()
        .zip(&theirs.rules)
        .map(|(a, b)| a + b)
        .collect();
    let (d, plain) = (median(&defaults), median(&plain));
    writeln!(
        s,
        "| **cartlift mine with its defaults**, whole process (pairs, min confidence 0.1, lift ≥ 1, ranking weights and family tuned on held-out orders: {} rules); pyfim: parse + mine | {d:.1} | {plain:.1} | {:.2}× |",
        defaults_summary["rules"],
        plain / d
    )?;
    writeln!(s)?;
    eprint!("{s}");
    Ok(s)
}

/// (antecedent, consequent) → "support confidence".
type RuleTable = BTreeMap<(Vec<String>, Vec<String>), String>;

/// The rules of a config-rules JSON file.
fn rule_table(path: &Path) -> Result<RuleTable> {
    let v: Value = serde_json::from_slice(&std::fs::read(path)?)
        .with_context(|| format!("reading {}", path.display()))?;
    let names = |x: &Value| -> Vec<String> {
        let mut n: Vec<String> = x
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str().map(str::to_string))
            .collect();
        n.sort();
        n
    };
    let mut table = BTreeMap::new();
    for rule in v["rules"].as_array().context("a rules array")? {
        // Rounded: the two tools compute the same ratios in different float orders.
        let support = format!("{:.9}", rule["support"].as_f64().unwrap_or(f64::NAN));
        let confidence = format!("{:.9}", rule["confidence"].as_f64().unwrap_or(f64::NAN));
        table.insert(
            (names(&rule["antecedent"]), names(&rule["consequent"])),
            format!("{support} {confidence}"),
        );
    }
    Ok(table)
}

/// Groceries parse + mine + rules in wasm, in headless Chromium: a throw-away cdylib
/// under `target/bench-mine/wasm-probe` (its own workspace, never part of the product)
/// embeds groceries.csv; a page runs it 11 times and shows the first and median times.
fn wasm_in_chromium(dir: &Path) -> Result<String> {
    let probe = dir.join("wasm-probe");
    std::fs::create_dir_all(probe.join("src"))?;
    let root = crate::root();
    std::fs::write(
        probe.join("Cargo.toml"),
        format!(
            "[package]\nname = \"wasm-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[lib]\ncrate-type = [\"cdylib\"]\n\n\
             [dependencies]\ncartlift-engine = {{ path = {:?}, default-features = false }}\n\n\
             [profile.release]\nopt-level = 3\nlto = true\ncodegen-units = 1\npanic = \"abort\"\n\n[workspace]\n",
            root.join("engine")
        ),
    )?;
    std::fs::write(
        probe.join("src/lib.rs"),
        format!(
            "use cartlift_engine::mining::{{FpGrowth, RuleGen}};\n\
             use cartlift_engine::orders::{{Format, OrderReader}};\n\
             static DATA: &[u8] = include_bytes!({:?});\n\
             /// Itemsets << 32 | rules.\n\
             #[unsafe(no_mangle)]\npub extern \"C\" fn run() -> u64 {{\n\
             let mut r = OrderReader::new(Format::Baskets);\n\
             if r.push(DATA).is_err() {{ return 0; }}\n\
             let Ok(read) = r.finish() else {{ return 0 }};\n\
             let tx = read.transactions;\n\
             let Ok(miner) = FpGrowth::new(0.001) else {{ return 0 }};\n\
             let Ok(sets) = miner.mine(&tx) else {{ return 0 }};\n\
             let rules = RuleGen::new().min_confidence(0.1).generate(&sets, &tx);\n\
             (sets.len() as u64) << 32 | rules.len() as u64\n}}\n",
            root.join("tests/data/groceries.csv")
        ),
    )?;
    run(cargo()
        .env("CARGO_TARGET_DIR", probe.join("target"))
        .args([
            "build",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "--manifest-path",
        ])
        .arg(probe.join("Cargo.toml")))?;
    let wasm = std::fs::read(probe.join("target/wasm32-unknown-unknown/release/wasm_probe.wasm"))?;
    let page = probe.join("page.html");
    std::fs::write(&page, WASM_PAGE.replace("WASM_BASE64", &base64(&wasm)))?;
    let out = Command::new(crate::tools::CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--dump-dom",
        ])
        .arg(format!(
            "--user-data-dir={}",
            probe.join("profile").display()
        ))
        .arg(format!("file://{}", page.display()))
        .stderr(Stdio::null())
        .output()
        .context("running Chromium")?;
    let dom = String::from_utf8_lossy(&out.stdout);
    let result = dom
        .split("<pre id=\"out\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .filter(|r| r.starts_with("itemsets"))
        .context("the page did not report")?;
    ensure!(
        result.starts_with("itemsets 13492 rules 32783"),
        "wasm result differs: {result}"
    );
    let line =
        format!("wasm in headless Chromium (groceries, parse + mine + rules, 11 runs): {result}\n");
    eprint!("{line}");
    Ok(line)
}

const WASM_PAGE: &str = r#"<!doctype html><html><body><pre id="out">pending</pre><script>
const bytes = Uint8Array.from(atob("WASM_BASE64"), c => c.charCodeAt(0));
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
const times = [];
let r;
for (let i = 0; i < 11; i++) { const t = performance.now(); r = instance.exports.run(); times.push(performance.now() - t); }
const first = times[0];
times.sort((a, b) => a - b);
document.getElementById("out").textContent = "itemsets " + Number(r >> 32n) + " rules " + Number(r & 0xffffffffn)
  + "; first run " + first.toFixed(1) + " ms, median " + times[5].toFixed(1) + " ms (" + navigator.userAgent.match(/HeadlessChrome\/[0-9.]+/) + ")";
</script></body></html>
"#;

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The pyfim side: argv = baskets file, min count, min confidence (percent), runs, output.
/// Prints one JSON object: counts and per-run milliseconds per phase.
const PYFIM_JOB: &str = r#"
import json, sys, time
import fim

path, min_count, conf, runs, out_path = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
ms = {"parse": [], "itemsets": [], "rules": [], "write": [], "total": []}
for _ in range(runs):
    t0 = time.perf_counter()
    with open(path, encoding="utf-8") as f:
        baskets = [[x.strip() for x in line.rstrip("\r\n").split(",")] for line in f if line.strip()]
    t1 = time.perf_counter()
    itemsets = fim.fpgrowth(baskets, target="s", supp=-min_count, zmin=1, report="a")
    t2 = time.perf_counter()
    rules = fim.fpgrowth(baskets, target="r", supp=-min_count, conf=conf, zmin=2, report="abh", mode="o")
    t3 = time.perf_counter()
    n = len(baskets)
    parts = []
    for head, body, a, b, h in rules:
        body = sorted(body)
        rid = "mined:" + "+".join(body) + "->" + head
        parts.append('{"kind": "bought_together", "id": ' + json.dumps(rid) + ', "antecedent": ' + json.dumps(body)
                     + ', "consequent": ' + json.dumps([head]) + ', "support": ' + repr(a / n)
                     + ', "confidence": ' + repr(a / b) + ', "lift": ' + repr(a * n / (b * h)) + ', "source": "mined"}')
    with open(out_path, "w", encoding="utf-8") as f:
        f.write('{\n  "rules": [\n    ' + ',\n    '.join(parts) + '\n  ]\n}\n')
    t4 = time.perf_counter()
    for k, v in (("parse", t1 - t0), ("itemsets", t2 - t1), ("rules", t3 - t2), ("write", t4 - t3),
                 ("total", (t1 - t0) + (t3 - t2) + (t4 - t3))):
        ms[k].append(v * 1000)
print(json.dumps({"itemsets": len(itemsets), "rules": len(rules), "ms": ms}))
"#;
