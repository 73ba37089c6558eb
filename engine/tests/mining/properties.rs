//! FP-growth and the rule generator equal the brute force on random small histories, and
//! the order reader does not care how its input is chunked.

use crate::brute;
use cartlift_engine::mining::{FpGrowth, Rule, RuleGen, Rules, Transactions};
use cartlift_engine::orders::{Format, OrderReader};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn history() -> impl Strategy<Value = Vec<Vec<String>>> {
    // A skewed alphabet (item 0 is in many baskets) so itemsets of several sizes occur.
    let basket =
        proptest::collection::vec(prop_oneof![3 => 0u8..4, 2 => 0u8..12], 1..9).prop_map(|items| {
            items
                .into_iter()
                .map(|i| format!("item{i}"))
                .collect::<Vec<_>>()
        });
    proptest::collection::vec(basket, 1..40)
}

fn transactions(baskets: &[Vec<String>]) -> Transactions {
    let mut tx = Transactions::new();
    for b in baskets {
        tx.push(b.iter().map(String::as_str));
    }
    tx
}

fn mined_itemsets(tx: &Transactions, min: u32, max_len: usize) -> BTreeMap<Vec<String>, u32> {
    let found = FpGrowth::with_min_count(min)
        .max_len(max_len)
        .mine(tx)
        .expect("mines");
    let mut out = BTreeMap::new();
    for set in found.iter() {
        let mut names: Vec<String> = set.items().map(|i| tx.name(i).to_string()).collect();
        names.sort();
        assert_eq!(names.len(), set.len());
        assert!(out.insert(names, set.count()).is_none(), "an itemset twice");
    }
    assert_eq!(out.len(), found.len());
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fp_growth_equals_brute_force(baskets in history(), min in 1u32..6, max_len in 1usize..7) {
        let tx = transactions(&baskets);
        let expected = brute::itemsets(&baskets, min, max_len);
        prop_assert_eq!(mined_itemsets(&tx, min, max_len), expected);
    }

    #[test]
    fn rules_equal_brute_force(
        baskets in history(),
        min in 1u32..5,
        min_confidence in prop_oneof![Just(0.0), 0.0..1.0],
        min_lift in prop_oneof![Just(0.0), 0.5..2.0],
        max_consequent in 1usize..4,
    ) {
        let tx = transactions(&baskets);
        let itemsets = FpGrowth::with_min_count(min).mine(&tx).expect("mines");
        let rules = RuleGen::new()
            .min_confidence(min_confidence)
            .min_lift(min_lift)
            .max_consequent_len(max_consequent)
            .generate(&itemsets, &tx);
        let mut found = brute::RuleMap::new();
        for r in rules.iter() {
            let key = (
                r.antecedent().iter().map(|&i| tx.name(i).to_string()).collect::<Vec<_>>(),
                r.consequent().iter().map(|&i| tx.name(i).to_string()).collect::<Vec<_>>(),
            );
            // Sides are sorted by name, as documented.
            prop_assert!(key.0.windows(2).all(|w| w[0] < w[1]) && key.1.windows(2).all(|w| w[0] < w[1]));
            let value = (r.count(), r.antecedent_count(), r.consequent_count());
            prop_assert!(found.insert(key, value).is_none(), "a rule twice");
            let n = tx.len() as f64;
            prop_assert!((r.support() - f64::from(r.count()) / n).abs() < 1e-12);
            prop_assert!((r.lift() - r.confidence() / (f64::from(r.consequent_count()) / n)).abs() < 1e-9);
        }
        let sets = brute::itemsets(&baskets, min, usize::MAX);
        let expected = brute::rules(&sets, tx.len(), min_confidence, min_lift, max_consequent);
        prop_assert_eq!(found, expected);
    }

    #[test]
    fn top_per_antecedent_keeps_the_most_confident(baskets in history(), n in 1usize..3) {
        let tx = transactions(&baskets);
        let itemsets = FpGrowth::with_min_count(1).mine(&tx).expect("mines");
        let unweighted = RuleGen::new().weights(None);
        let all = unweighted.clone().generate(&itemsets, &tx);
        let top = unweighted.top_per_antecedent(n).generate(&itemsets, &tx);
        prop_assert_top(&tx, &all, &top, n, |r| r.confidence())?;
    }

    #[test]
    fn weighted_top_per_antecedent_keeps_the_heaviest(baskets in history(), n in 1usize..3) {
        let tx = transactions(&baskets);
        let itemsets = FpGrowth::with_min_count(1).max_len(3).mine(&tx).expect("mines");
        let all = RuleGen::new().generate(&itemsets, &tx);
        let top = RuleGen::new().top_per_antecedent(n).generate(&itemsets, &tx);
        prop_assert_top(&tx, &all, &top, n, |r| r.weight().expect("weighted"))?;
    }

    #[test]
    fn chunking_does_not_change_what_is_read(baskets in history(), cut in 1usize..50) {
        let text: String = baskets.iter().map(|b| b.join(",") + "\n").collect();
        let mut reader = OrderReader::new(Format::Baskets).strict(true);
        for chunk in text.as_bytes().chunks(cut) {
            reader.push(chunk).expect("well formed");
        }
        let read = reader.finish().expect("well formed");
        prop_assert_eq!(mined_itemsets(&read.transactions, 1, 3), mined_itemsets(&transactions(&baskets), 1, 3));
    }
}

/// Per antecedent, `top` keeps the `n` highest `measure`s of `all`.
fn prop_assert_top(
    tx: &Transactions,
    all: &Rules,
    top: &Rules,
    n: usize,
    measure: impl Fn(&Rule<'_>) -> f64,
) -> Result<(), TestCaseError> {
    let by_antecedent = |rules: &Rules| {
        let mut per: BTreeMap<Vec<String>, Vec<f64>> = BTreeMap::new();
        for r in rules.iter() {
            let names = tx
                .names(r.antecedent())
                .iter()
                .map(|s| s.to_string())
                .collect();
            per.entry(names).or_default().push(measure(&r));
        }
        per
    };
    let (per, kept) = (by_antecedent(all), by_antecedent(top));
    prop_assert_eq!(per.len(), kept.len());
    for (antecedent, mut values) in per {
        values.sort_by(|a, b| b.total_cmp(a));
        values.truncate(n);
        let mut got = kept[&antecedent].clone();
        got.sort_by(|a, b| b.total_cmp(a));
        prop_assert_eq!(got, values);
    }
    Ok(())
}
