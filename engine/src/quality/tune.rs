//! Choosing how a store's suggestions are ranked, on its own orders.
//!
//! What ranks best depends on the shop: groceries.csv (169 items, dense baskets) wants
//! ridge weights with a strong penalty, the long-tailed synthetic shop (thousands of
//! items, most rarely bought) a weak one that lets rare items' evidence through, and a
//! sparse catalog with a dense head does best with the single most confident rule. So
//! `cartlift mine` measures instead of guessing: it holds a seeded 20% of the orders out,
//! mines the rest with the same miner, and
//! 1. fits the weights for every candidate penalty and keeps the one whose summed weights
//!    find the hidden item of the held-out baskets in their top 4 most often;
//! 2. with those weights, tries every ranking family of [`FAMILIES`]: a share `peak` of
//!    the score taken from the candidate's most confident rule instead of the sum, and a
//!    `prior` that adds the candidate's popularity to that rule's confidence, and keeps
//!    the best. The choice is written into the config (`store.ranking`), so the widget
//!    ranks as measured.
//!
//! Only the orders being mined are looked at (under `cartlift evaluate`, only the
//! training orders).

use super::metrics::Scorecard;
use super::split::{Case, Split, TEST_SHARE, VALIDATION_STREAM};
use crate::config::{Measures, Ranking};
use crate::mining::{FpGrowth, Item, MiningError, Ridge, Transactions};

/// The penalties tried, as shares of the orders.
pub const PENALTIES: [f64; 7] = [0.00005, 0.0002, 0.001, 0.005, 0.02, 0.05, 0.1];

/// The ranking families tried, `(peak, prior)` (see [`Ranking::peak`] and
/// [`Ranking::prior`]), simplest first: ties keep the earlier one. A prior without a
/// peak share would do nothing, so none is tried.
pub const FAMILIES: [(f64, f64); 13] = [
    (0.0, 0.0),
    (0.25, 0.0),
    (0.5, 0.0),
    (0.75, 0.0),
    (1.0, 0.0),
    (0.25, 1.0),
    (0.5, 1.0),
    (0.75, 1.0),
    (1.0, 1.0),
    (0.25, 10.0),
    (0.5, 10.0),
    (0.75, 10.0),
    (1.0, 10.0),
];

/// Below this many held-out baskets of 2+ items the measurement is noise: keep
/// [`Ridge::DEFAULT`] and the summed weights.
pub const MIN_CASES: usize = 200;

/// At most this many held-out baskets are ranked: HR@4 is then known to about ±0.013
/// (95%), finer than the differences that decide, and a store with a hundred thousand
/// orders tunes in a third of the time.
pub const MAX_CASES: usize = 5_000;

/// The seed of the held-out orders (fixed: mining the same orders gives the same config).
pub const SEED: u64 = 42 ^ VALIDATION_STREAM;

/// What [`tune_ridge`] measured.
#[derive(Clone, Debug, PartialEq)]
pub struct Tuning {
    /// The settings to fit the weights with.
    pub ridge: Ridge,
    /// The ranking family chosen: [`Ranking::peak`].
    pub peak: f64,
    /// The ranking family chosen: [`Ranking::prior`].
    pub prior: f64,
    /// Held-out baskets with 2+ items (one item hidden in each).
    pub cases: usize,
    /// HR@4 of the summed weights per penalty tried, in [`PENALTIES`] order; empty when
    /// there were too few cases.
    pub hit_rates: Vec<(f64, f64)>,
    /// HR@4 per family tried with the chosen penalty, in [`FAMILIES`] order: `(peak,
    /// prior, HR@4)`; empty when there were too few cases.
    pub families: Vec<(f64, f64, f64)>,
}

impl Tuning {
    /// The widget's ranking with the chosen family.
    pub fn ranking(&self) -> Ranking {
        Ranking {
            peak: self.peak,
            prior: self.prior,
            ..Ranking::DEFAULT
        }
    }

    /// HR@4 of the choice on the held-out baskets (`None`: too few to choose on).
    pub fn hit_rate(&self) -> Option<f64> {
        self.families
            .iter()
            .find(|&&(peak, prior, _)| (peak, prior) == (self.peak, self.prior))
            .map(|&(_, _, hr)| hr)
    }
}

/// The penalty (with `base`'s neighbourhood size) and the ranking family that rank
/// `orders`' held-out baskets best, mining the rest with `miner`.
///
/// Errors: the miner's own (too many itemsets).
pub fn tune_ridge(
    orders: &Transactions,
    miner: &FpGrowth,
    base: Ridge,
) -> Result<Tuning, MiningError> {
    let split = Split::random(orders, TEST_SHARE, SEED);
    let mut cases = split.cases(SEED);
    // The held-out orders are a seeded random sample, so their first cases are too.
    cases.truncate(MAX_CASES);
    if cases.len() < MIN_CASES {
        return Ok(Tuning {
            ridge: base,
            peak: 0.0,
            prior: 0.0,
            cases: cases.len(),
            hit_rates: Vec::new(),
            families: Vec::new(),
        });
    }
    let itemsets = miner.clone().max_len(2).mine(&split.train)?;
    let train = &split.train;
    let orders_n = train.len() as f64;
    let base_rate: Vec<f64> = train
        .items()
        .map(|i| train.count(i) as f64 / orders_n)
        .collect();
    let mut hit_rates = Vec::with_capacity(PENALTIES.len());
    let mut best = (f64::NEG_INFINITY, base.penalty, Vec::new());
    for &penalty in &PENALTIES {
        let ridge = Ridge { penalty, ..base };
        let lists = ridge.fit(&itemsets).by_antecedent();
        let hr = hit_rates_of(&lists, &base_rate, train, &cases, &FAMILIES[..1])[0];
        hit_rates.push((penalty, hr));
        // Ties go to the stronger penalty (the later one): smoother weights.
        if hr >= best.0 {
            best = (hr, penalty, lists);
        }
    }
    let (_, penalty, lists) = best;
    let by_family = hit_rates_of(&lists, &base_rate, train, &cases, &FAMILIES);
    let mut chosen = 0;
    for (k, &hr) in by_family.iter().enumerate() {
        if hr > by_family[chosen] {
            chosen = k;
        }
    }
    Ok(Tuning {
        ridge: Ridge { penalty, ..base },
        peak: FAMILIES[chosen].0,
        prior: FAMILIES[chosen].1,
        cases: cases.len(),
        hit_rates,
        families: FAMILIES
            .iter()
            .zip(by_family)
            .map(|(&(peak, prior), hr)| (peak, prior, hr))
            .collect(),
    })
}

/// Pair occurrences per order up to which [`tune_min_count`] also tries pairs seen in a
/// single order: the catalogs where they are most of the evidence there is (a long tail
/// bought two or three at a time) have few, and the cost of mining and fitting them grows
/// with their number (groceries.csv has 14 per order, a retail history of ten items a
/// basket about 80).
pub const MAX_PAIRS_PER_ORDER_FOR_SINGLES: f64 = 16.0;

/// Pairs of items per order in `orders` (`Σ k(k−1)/2` over baskets of `k` items).
pub fn pairs_per_order(orders: &Transactions) -> f64 {
    let pairs: f64 = orders
        .iter()
        .map(|t| {
            let k = t.items().len() as f64;
            k * (k - 1.0) / 2.0 * t.count() as f64
        })
        .sum();
    pairs / (orders.len().max(1)) as f64
}

/// [`tune_ridge`] for each of `min_counts` (the mined pairs' minimum order count, tried
/// in order): the count whose chosen ranking finds the most held-out items, ties to the
/// earlier.
///
/// Errors: the miner's own (too many itemsets).
pub fn tune_min_count(
    orders: &Transactions,
    min_counts: &[u32],
    max_len: usize,
    base: Ridge,
) -> Result<CountChoice, MiningError> {
    let mut best: Option<(u32, Tuning)> = None;
    let mut tried = Vec::new();
    for &count in min_counts {
        let miner = FpGrowth::with_min_count(count).max_len(max_len);
        let tuning = tune_ridge(orders, &miner, base)?;
        let hr = tuning.hit_rate();
        tried.push((count, hr));
        let better = match &best {
            None => true,
            Some((_, b)) => {
                hr.unwrap_or(f64::NEG_INFINITY) > b.hit_rate().unwrap_or(f64::NEG_INFINITY)
            }
        };
        if better {
            best = Some((count, tuning));
        }
    }
    let (count, tuning) = best.expect("at least one minimum count to try");
    Ok(CountChoice {
        count,
        tuning,
        tried,
    })
}

/// What [`tune_min_count`] chose.
#[derive(Clone, Debug, PartialEq)]
pub struct CountChoice {
    /// The minimum count to mine with.
    pub count: u32,
    /// The tuning with that count.
    pub tuning: Tuning,
    /// HR@4 of each count's chosen ranking, in the order tried (`None`: too few baskets).
    pub tried: Vec<(u32, Option<f64>)>,
}

/// HR@4 of each family on `cases`, ranking with `lists` (weights and pair counts by
/// antecedent) as the widget ranks mined pair rules. The cases are split between the
/// machine's cores (two threads at most: the tuning is a small part of mining).
fn hit_rates_of(
    lists: &[Vec<(Item, f64, u32)>],
    base_rate: &[f64],
    train: &Transactions,
    cases: &[Case],
    families: &[(f64, f64)],
) -> Vec<f64> {
    // Each rule's confidence as the widget computes it (Ranking::confidence without the
    // prior, which each family adds), once instead of once per case.
    let orders = train.len() as f64;
    let lists: Vec<Vec<(Item, f64, f64)>> = lists
        .iter()
        .zip(train.items())
        .map(|(list, a)| {
            let na = train.count(a) as f64;
            list.iter()
                .map(|&(b, w, count)| {
                    let confidence = f64::from(count) / na;
                    let m = Measures {
                        support: Some(f64::from(count) / orders),
                        confidence: Some(confidence),
                        lift: Some(confidence / base_rate[b.index()]),
                        weight: None,
                    };
                    (b, w.max(f64::MIN_POSITIVE), Ranking::DEFAULT.confidence(&m))
                })
                .collect()
        })
        .collect();
    let families: Vec<Ranking> = families
        .iter()
        .map(|&(peak, prior)| Ranking {
            peak,
            prior,
            ..Ranking::DEFAULT
        })
        .collect();
    let scorer = || Scorer::new(&lists, base_rate, &families);
    let threads = if cfg!(target_arch = "wasm32") {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(2))
    };
    let cards: Vec<Vec<Scorecard>> = if threads < 2 || cases.len() < 2 * MIN_CASES {
        vec![scorer().run(cases)]
    } else {
        let (a, b) = cases.split_at(cases.len() / 2);
        std::thread::scope(|s| {
            let other = s.spawn(|| scorer().run(b));
            let mine = scorer().run(a);
            vec![
                mine,
                other.join().expect("the tuning thread does not panic"),
            ]
        })
    };
    (0..families.len())
        .map(|f| {
            let mut total = Scorecard::new(4);
            for part in &cards {
                total.merge(&part[f]);
            }
            total.hit_rate(4)
        })
        .collect()
}

/// Ranks a cart as the widget ranks mined pair rules: per candidate, the summed weights
/// of the cart items' rules and the best rule's (smoothed) confidence, mixed by each
/// family's [`Ranking::score`].
struct Scorer<'a> {
    /// `(consequent, weight, confidence)` by antecedent.
    lists: &'a [Vec<(Item, f64, f64)>],
    base_rate: &'a [f64],
    families: &'a [Ranking],
    /// Per item: where it is in `touched`, `u32::MAX` when untouched.
    slot: Vec<u32>,
    /// This case's candidates: item, summed weight, best confidence, base rate.
    touched: Vec<(Item, f64, f64, f64)>,
}

impl<'a> Scorer<'a> {
    fn new(
        lists: &'a [Vec<(Item, f64, f64)>],
        base_rate: &'a [f64],
        families: &'a [Ranking],
    ) -> Scorer<'a> {
        Scorer {
            lists,
            base_rate,
            families,
            slot: vec![u32::MAX; base_rate.len()],
            touched: Vec::new(),
        }
    }

    fn run(mut self, cases: &[Case]) -> Vec<Scorecard> {
        let mut cards = vec![Scorecard::new(4); self.families.len()];
        let mut top: Vec<(f64, Item)> = Vec::with_capacity(5);
        let mut ranked: Vec<Item> = Vec::with_capacity(4);
        for case in cases {
            for &a in &case.cart {
                for &(b, w, c) in self.lists.get(a.index()).map_or(&[][..], Vec::as_slice) {
                    let at = self.slot[b.index()];
                    if at == u32::MAX {
                        self.slot[b.index()] = self.touched.len() as u32;
                        self.touched.push((b, w, c, self.base_rate[b.index()]));
                    } else {
                        let t = &mut self.touched[at as usize];
                        t.1 += w;
                        t.2 = t.2.max(c);
                    }
                }
            }
            for &(b, ..) in &self.touched {
                self.slot[b.index()] = u32::MAX;
            }
            self.touched.retain(|t| !case.cart.contains(&t.0));
            for (family, card) in self.families.iter().zip(&mut cards) {
                top.clear();
                for &(b, sum, best, base) in &self.touched {
                    let score = family.score(sum, best + family.prior * base);
                    // Score descending, then item: the first four, kept sorted.
                    if top.len() == 4 && top[3].0 > score {
                        continue;
                    }
                    let at = top.partition_point(|&(s, i)| s > score || (s == score && i < b));
                    if at < 4 {
                        top.insert(at, (score, b));
                        top.truncate(4);
                    }
                }
                ranked.clear();
                ranked.extend(top.iter().map(|&(_, i)| i));
                card.add(&ranked, case.hidden);
            }
            self.touched.clear();
        }
        cards
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
