//! A brute-force miner, obviously right and exponentially slow: count every subset of
//! every basket, keep the frequent ones, try every split into antecedent and consequent.
//! The reference FP-growth and the rule generator are checked against.

use std::collections::{BTreeMap, BTreeSet};

/// Itemsets (sorted names) → count, for those in at least `min_count` baskets and of at
/// most `max_len` items.
pub fn itemsets(
    baskets: &[Vec<String>],
    min_count: u32,
    max_len: usize,
) -> BTreeMap<Vec<String>, u32> {
    let mut counts: BTreeMap<Vec<String>, u32> = BTreeMap::new();
    for basket in baskets {
        let items: Vec<&String> = basket.iter().collect::<BTreeSet<_>>().into_iter().collect();
        assert!(items.len() <= 16, "brute force needs small baskets");
        for mask in 1u32..(1 << items.len()) {
            if mask.count_ones() as usize > max_len {
                continue;
            }
            let set: Vec<String> = (0..items.len())
                .filter(|&i| mask & (1 << i) != 0)
                .map(|i| items[i].clone())
                .collect();
            *counts.entry(set).or_default() += 1;
        }
    }
    counts.retain(|_, c| *c >= min_count);
    counts
}

/// A rule as the brute force sees it: (antecedent, consequent) → (count, antecedent
/// count, consequent count).
pub type RuleMap = BTreeMap<(Vec<String>, Vec<String>), (u32, u32, u32)>;

/// Every rule of `itemsets` with a consequent of at most `max_consequent` items and at
/// least the given confidence and lift (`total` orders).
pub fn rules(
    itemsets: &BTreeMap<Vec<String>, u32>,
    total: u64,
    min_confidence: f64,
    min_lift: f64,
    max_consequent: usize,
) -> RuleMap {
    let mut out = RuleMap::new();
    for (set, &count) in itemsets {
        let n = set.len();
        if n < 2 {
            continue;
        }
        for mask in 1u32..((1 << n) - 1) {
            if mask.count_ones() as usize > max_consequent {
                continue;
            }
            let (consequent, antecedent): (Vec<String>, Vec<String>) = {
                let mut c = Vec::new();
                let mut a = Vec::new();
                for (i, item) in set.iter().enumerate() {
                    if mask & (1 << i) != 0 {
                        c.push(item.clone());
                    } else {
                        a.push(item.clone());
                    }
                }
                (c, a)
            };
            let a_count = itemsets[&antecedent];
            let c_count = itemsets[&consequent];
            let confidence = f64::from(count) / f64::from(a_count);
            let lift = f64::from(count) * total as f64 / (f64::from(a_count) * f64::from(c_count));
            if confidence >= min_confidence && (min_lift <= 0.0 || lift >= min_lift) {
                out.insert((antecedent, consequent), (count, a_count, c_count));
            }
        }
    }
    out
}

#[test]
fn the_brute_force_counts_a_hand_example() {
    let baskets: Vec<Vec<String>> = [vec!["a", "b"], vec!["a", "b", "c"], vec!["a"]]
        .iter()
        .map(|b| b.iter().map(|s| s.to_string()).collect())
        .collect();
    let sets = itemsets(&baskets, 2, usize::MAX);
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        sets,
        BTreeMap::from([
            (names(&["a"]), 3),
            (names(&["a", "b"]), 2),
            (names(&["b"]), 2)
        ])
    );
    let r = rules(&sets, 3, 0.0, 0.0, 1);
    assert_eq!(r[&(names(&["b"]), names(&["a"]))], (2, 2, 3));
    assert_eq!(r[&(names(&["a"]), names(&["b"]))], (2, 3, 2));
}
