//! The engine at the scale of a large store: 20,000 products, 200,000 mined pair rules and
//! 2,000 hand-written rules (`synthetic::store::StoreSpec::BENCHMARK`).
//!
//! - `config/parse` and `config/index`: turning the config text into a `RawConfig`, and
//!   validating and indexing that into a `Config` (goal: index under 200 ms).
//! - `recommend/product_page` and `recommend/cart_20_lines`: one call each (goal: under
//!   50 µs natively).
//!
//! Run: `cargo bench -p cartlift-engine --bench recommend`.

use cartlift_engine::synthetic::Rng;
use cartlift_engine::synthetic::store::{StoreSpec, store};
use cartlift_engine::{BasketLine, Config, Context, Placement, RawConfig};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

const NOW: i64 = 1_795_000_000;

fn config_benches(c: &mut Criterion) {
    let raw = store(StoreSpec::BENCHMARK, 42);
    let text = serde_json::to_string(&raw).expect("serializes");
    eprintln!("synthetic config: {} bytes of JSON", text.len());
    let mut group = c.benchmark_group("config");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("parse", |b| {
        b.iter(|| serde_json::from_str::<RawConfig>(black_box(&text)).expect("parses"))
    });
    group.bench_function("index", |b| {
        b.iter(|| Config::build(black_box(&raw)).expect("valid"))
    });
    // What the CLI and the studio do with the text: serde_json's values, the lenient
    // reader part by part, validation and indexes (`Config::read`; the widget runs the
    // same `config::Loading` on the browser's values, in slices).
    group.bench_function("load", |b| {
        b.iter(|| Config::read(black_box(&text)).config.expect("valid"))
    });
    group.finish();
}

fn recommend_benches(c: &mut Criterion) {
    let config = Config::build(&store(StoreSpec::BENCHMARK, 42)).expect("valid");
    let mut rng = Rng::new(7);
    // Popular products (low ids) are what shoppers look at most, and anchor most rules.
    let pages: Vec<String> = (0..256)
        .map(|_| format!("p{}", (rng.unit() * rng.unit() * 20_000.0) as usize))
        .collect();
    let baskets: Vec<Vec<BasketLine>> = (0..64)
        .map(|_| {
            (0..20)
                .map(|_| BasketLine {
                    product: format!("p{}", (rng.unit() * rng.unit() * 20_000.0) as usize),
                    variant: None,
                    quantity: 1 + rng.below(3) as u32,
                    price: None,
                })
                .collect()
        })
        .collect();
    let mut group = c.benchmark_group("recommend");
    let mut i = 0;
    group.bench_function("product_page", |b| {
        b.iter(|| {
            i = (i + 1) % pages.len();
            let ctx = Context::new(Placement::Product, NOW)
                .product(&pages[i])
                .basket(&baskets[i % 64][..3]);
            black_box(config.recommend(black_box(&ctx)))
        })
    });
    let mut j = 0;
    group.bench_function("cart_20_lines", |b| {
        b.iter(|| {
            j = (j + 1) % baskets.len();
            let ctx = Context::new(Placement::Cart, NOW).basket(&baskets[j]);
            black_box(config.recommend(black_box(&ctx)))
        })
    });
    group.finish();
}

criterion_group!(benches, config_benches, recommend_benches);
criterion_main!(benches);
