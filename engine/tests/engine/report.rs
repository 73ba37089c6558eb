//! `cartlift report`'s intervals on simulated stores with a known, planted effect
//! (`synthetic::holdout`): 100 seeded stores per check, of about 1,000 orders (200 in a
//! 20% holdout) and 20,000 sessions each, reported as the CLI reports them but with 500
//! bootstrap resamples instead of 2,000 (so each check takes a few seconds in a debug
//! build).
//!
//! - At +5% planted (stores 1–100), the 95% interval of the difference contains the
//!   planted difference, in average order value and in revenue per session, in at least
//!   93 of 100 stores.
//! - At 0% planted (stores 101–200: the two checks share no store), the report says "no
//!   measurable effect" in at least 93 of 100.
//!
//! A 95% interval misses 5 stores in 100 on average, and a block of 100 has more than 7
//! misses about one time in eight. Measured on 2,000 stores per planted effect, and how
//! the blocks were chosen: docs/measuring.md. The counts are printed (`cargo test -p
//! cartlift-engine --test engine report -- --nocapture`).

use cartlift_engine::report::events::Events;
use cartlift_engine::report::{Report, Settings, Verdict, build};
use cartlift_engine::synthetic::holdout::HoldoutSpec;

const RUNS: u64 = 100;
const RESAMPLES: usize = 500;

fn reports(spec: HoldoutSpec, first_seed: u64) -> Vec<Report> {
    let settings = Settings {
        resamples: RESAMPLES,
        ..Settings::default()
    };
    (first_seed..first_seed + RUNS)
        .map(|seed| {
            let store = spec.generate(seed);
            let events = Events {
                sessions: store.session_counts(),
                ..Events::default()
            };
            build(&store.orders, Some(&events), &settings)
        })
        .collect()
}

#[test]
fn intervals_contain_a_planted_five_percent_lift_in_at_least_93_of_100_stores() {
    let spec = HoldoutSpec {
        lift: 0.05,
        ..HoldoutSpec::STORE
    };
    let (per_order, per_session) = (
        spec.planted_order_value_difference(),
        spec.planted_per_session_difference(),
    );
    let all = reports(spec, 1);
    let covered = |pick: &dyn Fn(&Report) -> bool| all.iter().filter(|r| pick(r)).count();
    let aov = covered(&|r| {
        r.order_value
            .as_ref()
            .is_some_and(|e| e.difference.contains(per_order))
    });
    let rps = covered(&|r| {
        r.per_session
            .as_ref()
            .is_some_and(|e| e.difference.contains(per_session))
    });
    let found = covered(&|r| r.headline().is_some_and(|e| e.verdict == Verdict::Raised));
    eprintln!(
        "+5% planted (USD {per_order:.2} per order, USD {per_session:.4} per session): the \
         interval contains it in {aov}/{RUNS} stores (order value) and {rps}/{RUNS} \
         (per session); the effect was found in {found}/{RUNS}"
    );
    assert!(aov >= 93, "order value: {aov}/{RUNS}");
    assert!(rps >= 93, "revenue per session: {rps}/{RUNS}");
}

#[test]
fn a_planted_zero_effect_reads_no_measurable_effect_in_at_least_93_of_100_stores() {
    let spec = HoldoutSpec {
        lift: 0.0,
        ..HoldoutSpec::STORE
    };
    let all = reports(spec, 101);
    let none = |pick: &dyn Fn(&Report) -> Option<Verdict>| {
        all.iter()
            .filter(|r| pick(r) == Some(Verdict::NoMeasurableEffect))
            .count()
    };
    let aov = none(&|r| r.order_value.as_ref().map(|e| e.verdict));
    let rps = none(&|r| r.per_session.as_ref().map(|e| e.verdict));
    let said = all
        .iter()
        .filter(|r| {
            r.headline()
                .is_some_and(|e| e.sentence(Some("USD")).starts_with("no measurable effect"))
        })
        .count();
    eprintln!(
        "0% planted: \"no measurable effect\" in {aov}/{RUNS} stores (order value), \
         {rps}/{RUNS} (per session), and in the headline sentence in {said}/{RUNS}"
    );
    assert!(aov >= 93, "order value: {aov}/{RUNS}");
    assert!(rps >= 93, "revenue per session: {rps}/{RUNS}");
    assert!(said >= 93, "sentence: {said}/{RUNS}");
}

/// The same checks on 2,000 stores per planted effect (seeds 1–2000, chosen before any
/// was run), in blocks of 100: what the interval's coverage really is, beyond the luck of
/// one block. Asserted at 93% over all 2,000: an exact 95% interval misses more than 140
/// of 2,000 about once in 50,000 runs (but more than 7 of one block of 100 about once in
/// eight); at the 5.2–5.8% misses measured here, about once in 300.
/// Ignored in debug builds (minutes); `cargo xtask test` runs it in release (about 20 s):
/// `cargo test --release -p cartlift-engine --test engine coverage_over_2000_stores --
/// --ignored --nocapture`.
#[test]
#[ignore = "run in release by cargo xtask test: 20 s there, minutes in debug"]
fn coverage_over_2000_stores() {
    for lift in [0.0, 0.05] {
        let spec = HoldoutSpec {
            lift,
            ..HoldoutSpec::STORE
        };
        let (aov, rps) = (
            spec.planted_order_value_difference(),
            spec.planted_per_session_difference(),
        );
        let mut blocks = Vec::new();
        for block in 0..20 {
            let all = reports(spec, 1 + block * RUNS);
            let miss = |pick: &dyn Fn(&Report) -> bool| all.iter().filter(|r| !pick(r)).count();
            blocks.push((
                miss(&|r| {
                    r.order_value
                        .as_ref()
                        .is_some_and(|e| e.difference.contains(aov))
                }),
                miss(&|r| {
                    r.per_session
                        .as_ref()
                        .is_some_and(|e| e.difference.contains(rps))
                }),
            ));
        }
        let (a, s): (usize, usize) = blocks.iter().fold((0, 0), |(a, s), b| (a + b.0, s + b.1));
        eprintln!(
            "{:+.0}% planted, {RESAMPLES} resamples: the interval misses it in {a}/2000 stores \
             (order value) and {s}/2000 (per session); misses per block of 100 (order value, \
             per session): {blocks:?}",
            lift * 100.0
        );
        assert!(
            a <= 140,
            "order value: the interval missed in {a}/2000 stores"
        );
        assert!(
            s <= 140,
            "revenue per session: the interval missed in {s}/2000 stores"
        );
    }
}
