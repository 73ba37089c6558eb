//! `cargo xtask quality`: the tables of docs/quality.md. Writes the seeded
//! synthetic shop (`engine::synthetic::shop`, to `target/quality/`), runs `cartlift
//! evaluate --json` on it and on groceries.csv for seed 42 and for several more seeds,
//! and prints the seed-42 figures and the mean ± standard deviation over the seeds.

use crate::run::{cargo, run};
use anyhow::{Context, Result, ensure};
use cartlift_engine::synthetic::shop::ShopSpec;
use cartlift_engine::synthetic::suite::SUITE;
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The seed of the synthetic shop's orders (not of the split).
pub const SHOP_SEED: u64 = 8;
/// Methods in report order: cartlift, then the baselines.
const METHODS: [(&str, &str); 5] = [
    ("cartlift", "cartlift (the widget's ranking)"),
    ("popularity", "popularity"),
    ("best_pair_confidence", "best single-pair confidence"),
    ("cosine_sum", "item-item cosine, summed"),
    ("pair_confidence_sum", "pair confidence, summed"),
];
const METRICS: [&str; 4] = ["hr@1", "hr@4", "hr@10", "mrr@10"];

pub fn run_quality(seeds: u64) -> Result<ExitCode> {
    let dir = crate::target_dir().join("quality");
    std::fs::create_dir_all(&dir)?;
    run(cargo().args(["build", "--release", "-p", "cartlift-cli"]))?;
    let cartlift = crate::target_dir().join("release/cartlift");
    let shop = dir.join("shop-150k.csv");
    write_shop(&shop)?;
    let mut sets = vec![
        (
            "groceries.csv".to_owned(),
            crate::root().join("tests/data/groceries.csv"),
        ),
        ("synthetic shop".to_owned(), shop),
    ];
    for store in SUITE {
        let file = dir.join(format!("suite-{}.csv", store.name));
        crate::bench_mine::write_baskets(&file, store.spec.generate(store.seed))?;
        sets.push((format!("suite: {} ({})", store.name, store.about), file));
    }
    let mut seed_list = vec![42];
    seed_list.extend((1..=seeds).filter(|&s| s != 42));
    let mut report = String::new();
    for (name, file) in &sets {
        let mut runs = Vec::new();
        for &seed in &seed_list {
            eprintln!("evaluate {name}, seed {seed}");
            runs.push(evaluate(&cartlift, file, seed)?);
        }
        report += &table(name, file, &runs)?;
    }
    println!("\n{report}");
    std::fs::write(dir.join("report.md"), &report)?;
    println!("(also in {})", dir.join("report.md").display());
    Ok(ExitCode::SUCCESS)
}

/// The synthetic shop as one basket per line.
fn write_shop(path: &Path) -> Result<()> {
    crate::bench_mine::write_baskets(path, ShopSpec::EVALUATION.generate(SHOP_SEED))
}

fn evaluate(cartlift: &Path, file: &Path, seed: u64) -> Result<Value> {
    let out = Command::new(cartlift)
        .args(["evaluate", "--json", "--k", "4", "--seed"])
        .arg(seed.to_string())
        .arg(file)
        .output()
        .with_context(|| format!("running {}", cartlift.display()))?;
    ensure!(
        out.status.success(),
        "cartlift evaluate {} failed: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(serde_json::from_slice(&out.stdout)?)
}

fn metric(run: &Value, method: &str, m: &str) -> Result<f64> {
    run["methods"][method][m]
        .as_f64()
        .with_context(|| format!("no {m} for {method}"))
}

fn table(name: &str, file: &Path, runs: &[Value]) -> Result<String> {
    let first = &runs[0];
    let mut s = format!(
        "### {name}: {} orders; seed 42: {} test cases, {} rules mined\n\n",
        first["orders"], first["cases"], first["mining"]["rules"]
    );
    let seeds: Vec<String> = runs.iter().map(|r| r["seed"].to_string()).collect();
    writeln!(
        s,
        "`cartlift evaluate {} --k 4 --seed 42`; mean ± standard deviation over seeds {}\n",
        shown(file),
        seeds.join(", ")
    )?;
    s += "| method | HR@1 | HR@4 | HR@10 | MRR@10 | HR@4, all seeds |\n|---|---:|---:|---:|---:|---:|\n";
    for (key, label) in METHODS {
        write!(s, "| {label} |")?;
        for m in METRICS {
            write!(s, " {:.3} |", metric(first, key, m)?)?;
        }
        let hr4: Vec<f64> = runs
            .iter()
            .map(|r| metric(r, key, "hr@4"))
            .collect::<Result<_>>()?;
        let (mean, sd) = mean_sd(&hr4);
        writeln!(s, " {mean:.3} ± {sd:.3} |")?;
    }
    // How often cartlift beats the best baseline, seed by seed.
    let mut wins = 0;
    let mut margins = Vec::new();
    for r in runs {
        let ours = metric(r, "cartlift", "hr@4")?;
        let best = METHODS[1..]
            .iter()
            .map(|(k, _)| metric(r, k, "hr@4"))
            .collect::<Result<Vec<f64>>>()?
            .into_iter()
            .fold(f64::MIN, f64::max);
        if ours > best {
            wins += 1;
        }
        margins.push(ours - best);
    }
    let (mean, sd) = mean_sd(&margins);
    let worst = margins.iter().copied().fold(f64::MAX, f64::min);
    writeln!(
        s,
        "\ncartlift's HR@4 minus the best baseline's, per seed: {mean:+.3} ± {sd:.3} (worst {worst:+.3}); above every baseline on {wins} of {} seeds\n",
        runs.len()
    )?;
    Ok(s)
}

fn shown(file: &Path) -> String {
    let root = crate::root();
    file.strip_prefix(&root)
        .map(PathBuf::from)
        .unwrap_or_else(|_| file.to_path_buf())
        .display()
        .to_string()
}

/// Mean and sample standard deviation.
fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = if v.len() > 1 {
        v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, var.sqrt())
}
