//! Mining at two scales: groceries.csv (9,835 real baskets, min support 0.001) and the
//! seeded synthetic history (100,000 baskets over 16,000 long-tailed items).
//!
//! - `*/parse`: bytes to `Transactions` through the incremental order reader;
//! - `*/itemsets`: FP-growth;
//! - `*/rules`: single-consequent rules at min confidence 0.1.
//!
//! Run: `cargo bench -p cartlift-engine --bench mining`. `cargo xtask bench-mine` runs the
//! CLI end to end against pyfim.

use cartlift_engine::mining::{FpGrowth, RuleGen, Transactions};
use cartlift_engine::orders::{Format, OrderReader};
use cartlift_engine::synthetic::baskets::{BasketSpec, item_name};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

/// Minimum support for the synthetic set: 0.0005 of 100,000 baskets = 50 orders.
pub const SYNTHETIC_MIN_SUPPORT: f64 = 0.0005;

fn parse(bytes: &[u8]) -> Transactions {
    let mut reader = OrderReader::new(Format::Baskets).strict(true);
    reader.push(bytes).expect("well formed");
    reader.finish().expect("well formed").transactions
}

fn synthetic_bytes() -> Vec<u8> {
    let mut out = String::new();
    for basket in BasketSpec::BENCHMARK.generate(42) {
        let names: Vec<String> = basket.into_iter().map(item_name).collect();
        out.push_str(&names.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

fn bench_set(c: &mut Criterion, name: &str, bytes: &[u8], min_support: f64) {
    let tx = parse(bytes);
    let miner = FpGrowth::new(min_support).expect("valid");
    let itemsets = miner.mine(&tx).expect("mines");
    let rules = RuleGen::new().min_confidence(0.1).generate(&itemsets, &tx);
    eprintln!(
        "{name}: {} orders, {} items, {} itemsets, {} rules",
        tx.len(),
        tx.item_count(),
        itemsets.len(),
        rules.len()
    );
    let mut group = c.benchmark_group(name);
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("parse", |b| b.iter(|| parse(black_box(bytes))));
    group.bench_function("itemsets", |b| b.iter(|| miner.mine(black_box(&tx))));
    group.bench_function("rules", |b| {
        b.iter(|| {
            RuleGen::new()
                .min_confidence(0.1)
                .generate(black_box(&itemsets), &tx)
        })
    });
    group.finish();
}

fn groceries(c: &mut Criterion) {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/groceries.csv"
    ))
    .expect("tests/data/groceries.csv");
    bench_set(c, "groceries", &bytes, 0.001);
}

fn synthetic(c: &mut Criterion) {
    bench_set(c, "synthetic", &synthetic_bytes(), SYNTHETIC_MIN_SUPPORT);
}

criterion_group!(benches, groceries, synthetic);
criterion_main!(benches);
