//! Choosing the ridge penalty of a store's pair weights on its own orders.
//!
//! The best penalty depends on the shop: groceries.csv (169 items, dense baskets) wants a
//! strong one, the long-tailed synthetic shop (thousands of items, most rarely bought) a
//! weak one that lets rare items' evidence through. So `cartlift mine` measures instead of
//! guessing: it holds a seeded 20% of the orders out, mines the rest with the same miner,
//! fits the weights for every candidate penalty, and keeps the one whose summed weights
//! find the hidden item of the held-out baskets in their top 4 most often. Only the orders
//! being mined are looked at (under `cartlift evaluate`, only the training orders).

use super::metrics::Scorecard;
use super::split::{Case, Split, TEST_SHARE, VALIDATION_STREAM};
use crate::mining::{FpGrowth, Item, MiningError, Ridge, Transactions};

/// The penalties tried, as shares of the orders.
pub const PENALTIES: [f64; 7] = [0.00005, 0.0002, 0.001, 0.005, 0.02, 0.05, 0.1];

/// Below this many held-out baskets of 2+ items the measurement is noise: keep
/// [`Ridge::DEFAULT`].
pub const MIN_CASES: usize = 200;

/// The seed of the held-out orders (fixed: mining the same orders gives the same config).
pub const SEED: u64 = 42 ^ VALIDATION_STREAM;

/// What [`tune_ridge`] measured.
#[derive(Clone, Debug, PartialEq)]
pub struct Tuning {
    /// The settings to fit the weights with.
    pub ridge: Ridge,
    /// Held-out baskets with 2+ items (one item hidden in each).
    pub cases: usize,
    /// HR@4 per penalty tried, in [`PENALTIES`] order; empty when there were too few cases.
    pub hit_rates: Vec<(f64, f64)>,
}

/// The penalty (with `base`'s neighbourhood size) that ranks `orders`' held-out baskets
/// best, mining the rest with `miner`.
///
/// Errors: the miner's own (too many itemsets).
pub fn tune_ridge(
    orders: &Transactions,
    miner: &FpGrowth,
    base: Ridge,
) -> Result<Tuning, MiningError> {
    let split = Split::random(orders, TEST_SHARE, SEED);
    let cases = split.cases(SEED);
    if cases.len() < MIN_CASES {
        return Ok(Tuning {
            ridge: base,
            cases: cases.len(),
            hit_rates: Vec::new(),
        });
    }
    let itemsets = miner.clone().max_len(2).mine(&split.train)?;
    let mut scorer = Scorer::new(split.train.item_count());
    let mut hit_rates = Vec::with_capacity(PENALTIES.len());
    let mut best = (f64::NEG_INFINITY, base.penalty);
    for &penalty in &PENALTIES {
        let ridge = Ridge { penalty, ..base };
        let hr = scorer.hit_rate(&ridge.fit(&itemsets).by_antecedent(), &cases);
        hit_rates.push((penalty, hr));
        // Ties go to the stronger penalty (the later one): smoother weights.
        if hr >= best.0 {
            best = (hr, penalty);
        }
    }
    Ok(Tuning {
        ridge: Ridge {
            penalty: best.1,
            ..base
        },
        cases: cases.len(),
        hit_rates,
    })
}

/// Ranks a cart by its items' summed weights, as the widget does for mined pair rules.
struct Scorer {
    score: Vec<f64>,
    touched: Vec<Item>,
    ranked: Vec<Item>,
}

impl Scorer {
    fn new(items: usize) -> Scorer {
        Scorer {
            score: vec![0.0; items],
            touched: Vec::new(),
            ranked: Vec::new(),
        }
    }

    fn hit_rate(&mut self, weights: &[Vec<(Item, f64)>], cases: &[Case]) -> f64 {
        let mut card = Scorecard::new(4);
        for case in cases {
            for &a in &case.cart {
                for &(b, w) in weights.get(a.index()).map_or(&[][..], Vec::as_slice) {
                    if self.score[b.index()] == 0.0 {
                        self.touched.push(b);
                    }
                    // Never exactly 0 once touched, so `touched` holds each item once.
                    self.score[b.index()] += w.max(f64::MIN_POSITIVE);
                }
            }
            self.ranked.clear();
            self.ranked.extend(
                self.touched
                    .iter()
                    .copied()
                    .filter(|b| !case.cart.contains(b)),
            );
            let score = &self.score;
            self.ranked.sort_unstable_by(|x, y| {
                score[y.index()].total_cmp(&score[x.index()]).then(x.cmp(y))
            });
            self.ranked.truncate(4);
            card.add(&self.ranked, case.hidden);
            for b in self.touched.drain(..) {
                self.score[b.index()] = 0.0;
            }
        }
        card.hit_rate(4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_few_baskets_keep_the_default() {
        let mut t = Transactions::new();
        for _ in 0..50 {
            t.push(["a", "b"]);
        }
        let tuning = tune_ridge(&t, &FpGrowth::with_min_count(2), Ridge::DEFAULT).unwrap();
        assert_eq!(tuning.ridge, Ridge::DEFAULT);
        assert_eq!(tuning.cases, 10);
        assert!(tuning.hit_rates.is_empty());
    }

    #[test]
    fn every_penalty_is_measured_and_the_best_is_kept() {
        let spec = crate::synthetic::shop::ShopSpec {
            baskets: 3_000,
            items: 300,
            ..crate::synthetic::shop::ShopSpec::EVALUATION
        };
        let mut orders = Transactions::new();
        for basket in spec.generate(7) {
            orders.push(
                basket
                    .iter()
                    .map(|i| format!("i{i}"))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(String::as_str),
            );
        }
        let tuning = tune_ridge(&orders, &FpGrowth::with_min_count(2), Ridge::DEFAULT).unwrap();
        assert!(tuning.cases >= MIN_CASES, "{}", tuning.cases);
        assert_eq!(tuning.hit_rates.len(), PENALTIES.len());
        let best = tuning
            .hit_rates
            .iter()
            .map(|&(_, hr)| hr)
            .fold(f64::NEG_INFINITY, f64::max);
        let chosen = tuning
            .hit_rates
            .iter()
            .find(|&&(p, _)| p == tuning.ridge.penalty)
            .unwrap();
        assert_eq!(chosen.1, best);
        assert!(best > 0.0);
        let again = tune_ridge(&orders, &FpGrowth::with_min_count(2), Ridge::DEFAULT).unwrap();
        assert_eq!(again, tuning, "reproducible");
    }
}
