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
    // Every penalty's weights, then the summed weights of each ranked in one pass.
    let fits: Vec<_> = base
        .fit_each(&itemsets, &PENALTIES)
        .iter()
        .map(|w| w.by_antecedent())
        .collect();
    let edges = Edges::new(&fits, &base_rate, train);
    let summed: Vec<(usize, Ranking)> = (0..PENALTIES.len())
        .map(|column| (column, family(FAMILIES[0])))
        .collect();
    let by_penalty = hit_rates_of(&edges, &cases, &summed);
    let mut hit_rates = Vec::with_capacity(PENALTIES.len());
    let mut chosen_fit = 0;
    for (k, (&penalty, &hr)) in PENALTIES.iter().zip(&by_penalty).enumerate() {
        hit_rates.push((penalty, hr));
        // Ties go to the stronger penalty (the later one): smoother weights.
        if hr >= by_penalty[chosen_fit] {
            chosen_fit = k;
        }
    }
    let penalty = PENALTIES[chosen_fit];
    let edges = Edges::new(&fits[chosen_fit..=chosen_fit], &base_rate, train);
    let families: Vec<(usize, Ranking)> = FAMILIES.iter().map(|&f| (0, family(f))).collect();
    let by_family = hit_rates_of(&edges, &cases, &families);
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

/// The widget's ranking with family `(peak, prior)`.
fn family((peak, prior): (f64, f64)) -> Ranking {
    Ranking {
        peak,
        prior,
        ..Ranking::DEFAULT
    }
}

/// One fit's pair rules: `(consequent, weight, pair count)` by antecedent item index.
type ByAntecedent = Vec<Vec<(Item, f64, u32)>>;

/// The mined pair rules by antecedent, flattened: each rule's consequent, its confidence
/// as the widget computes it ([`Ranking::confidence`] without the prior, which each
/// family adds), its consequent's base rate, and its weight in each of several fits (one
/// column per fit), computed once instead of once per case.
struct Edges {
    /// Where each antecedent's rules start (by item index; one more entry than items).
    start: Vec<usize>,
    target: Vec<Item>,
    confidence: Vec<f64>,
    /// `columns` weights per rule.
    weights: Vec<f64>,
    columns: usize,
    base_rate: Vec<f64>,
}

impl Edges {
    /// `fits`: the same rules, as [`crate::mining::PairWeights::by_antecedent`] lists
    /// them, with each fit's weights.
    fn new(fits: &[ByAntecedent], base_rate: &[f64], train: &Transactions) -> Edges {
        let orders = train.len() as f64;
        let columns = fits.len();
        let first = &fits[0];
        let rules: usize = first.iter().map(Vec::len).sum();
        let mut edges = Edges {
            start: Vec::with_capacity(base_rate.len() + 1),
            target: Vec::with_capacity(rules),
            confidence: Vec::with_capacity(rules),
            weights: Vec::with_capacity(rules * columns),
            columns,
            base_rate: base_rate.to_vec(),
        };
        for a in train.items() {
            edges.start.push(edges.target.len());
            let Some(list) = first.get(a.index()) else {
                continue;
            };
            let na = train.count(a) as f64;
            for (r, &(b, _, count)) in list.iter().enumerate() {
                let confidence = f64::from(count) / na;
                let m = Measures {
                    support: Some(f64::from(count) / orders),
                    confidence: Some(confidence),
                    lift: Some(confidence / base_rate[b.index()]),
                    weight: None,
                };
                edges.target.push(b);
                edges.confidence.push(Ranking::DEFAULT.confidence(&m));
                for fit in fits {
                    let (same, w, _) = fit[a.index()][r];
                    debug_assert_eq!(same, b, "every fit weighs the same pairs");
                    edges.weights.push(w.max(f64::MIN_POSITIVE));
                }
            }
        }
        edges.start.push(edges.target.len());
        edges
    }

    /// The rules of antecedent `a`, as indices into the flat vectors.
    fn of(&self, a: Item) -> std::ops::Range<usize> {
        match (self.start.get(a.index()), self.start.get(a.index() + 1)) {
            (Some(&from), Some(&to)) => from..to,
            _ => 0..0,
        }
    }
}

/// HR@4 of each of `rankings` on `cases`: `(column, ranking)`, the fit whose weights are
/// summed and the family mixing them with the best rule's confidence, as the widget
/// ranks mined pair rules. The cases are split between the machine's cores (two threads
/// at most: the tuning is a small part of mining).
fn hit_rates_of(edges: &Edges, cases: &[Case], rankings: &[(usize, Ranking)]) -> Vec<f64> {
    let scorer = || Scorer::new(edges, rankings);
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
    (0..rankings.len())
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
/// of the cart items' rules (one sum per fit) and the best rule's (smoothed) confidence,
/// mixed by each ranking's [`Ranking::score`].
struct Scorer<'a> {
    edges: &'a Edges,
    rankings: &'a [(usize, Ranking)],
    /// Per item: where it is in `touched`, [`UNTOUCHED`] or [`IN_CART`].
    slot: Vec<u32>,
    /// This case's candidates: item, best confidence, base rate.
    touched: Vec<(Item, f64, f64)>,
    /// Their summed weights, `edges.columns` per candidate.
    sums: Vec<f64>,
}

/// A ranking's first four candidates so far, best first (score descending, then item).
/// A fixed array beside the others, not the baselines' growable top-k: with a `Vec` per
/// ranking and a comparator, `evaluate`'s mine phase on the suite's retail-sized store took
/// 6.9 s instead of 5.6 s (three runs each), the scorer offering ~10⁹ candidates.
#[derive(Clone, Copy)]
struct Top4 {
    kept: [(f64, Item); 4],
    len: usize,
}

impl Top4 {
    const EMPTY: Top4 = Top4 {
        kept: [(0.0, Item::FIRST); 4],
        len: 0,
    };

    fn offer(&mut self, score: f64, b: Item) {
        let kept = &self.kept[..self.len];
        let at = kept.partition_point(|&(s, i)| s > score || (s == score && i < b));
        if at < 4 {
            self.len = (self.len + 1).min(4);
            self.kept.copy_within(at..self.len - 1, at + 1);
            self.kept[at] = (score, b);
        }
    }
}

const UNTOUCHED: u32 = u32::MAX;
const IN_CART: u32 = u32::MAX - 1;

impl<'a> Scorer<'a> {
    fn new(edges: &'a Edges, rankings: &'a [(usize, Ranking)]) -> Scorer<'a> {
        Scorer {
            edges,
            rankings,
            slot: vec![UNTOUCHED; edges.base_rate.len()],
            touched: Vec::new(),
            sums: Vec::new(),
        }
    }

    fn run(mut self, cases: &[Case]) -> Vec<Scorecard> {
        let edges = self.edges;
        let columns = edges.columns;
        let mut cards = vec![Scorecard::new(4); self.rankings.len()];
        let mut tops = vec![Top4::EMPTY; self.rankings.len()];
        let mut ranked: Vec<Item> = Vec::with_capacity(4);
        for case in cases {
            // The cart's own items are never suggested: marked, so their rules' targets
            // are skipped as they stream past.
            for &a in &case.cart {
                self.slot[a.index()] = IN_CART;
            }
            for &a in &case.cart {
                for e in edges.of(a) {
                    let b = edges.target[e];
                    let weights = &edges.weights[e * columns..(e + 1) * columns];
                    let c = edges.confidence[e];
                    match self.slot[b.index()] {
                        IN_CART => {}
                        UNTOUCHED => {
                            self.slot[b.index()] = self.touched.len() as u32;
                            self.touched.push((b, c, edges.base_rate[b.index()]));
                            self.sums.extend_from_slice(weights);
                        }
                        at => {
                            let at = at as usize;
                            let t = &mut self.touched[at];
                            t.1 = t.1.max(c);
                            for (sum, w) in self.sums[at * columns..(at + 1) * columns]
                                .iter_mut()
                                .zip(weights)
                            {
                                *sum += w;
                            }
                        }
                    }
                }
            }
            for &(b, ..) in &self.touched {
                self.slot[b.index()] = UNTOUCHED;
            }
            for &a in &case.cart {
                self.slot[a.index()] = UNTOUCHED;
            }
            // Every ranking's first four in one pass over the candidates (each
            // candidate's sums read once, not once per ranking): score descending, then
            // item, kept sorted; a candidate below a ranking's fourth is turned away by
            // one comparison.
            tops.fill(Top4::EMPTY);
            for (k, &(b, best, base)) in self.touched.iter().enumerate() {
                let sums = &self.sums[k * columns..(k + 1) * columns];
                for (&(column, family), top) in self.rankings.iter().zip(&mut tops) {
                    let score = family.score(sums[column], best + family.prior * base);
                    if top.len == 4 && top.kept[3].0 > score {
                        continue;
                    }
                    top.offer(score, b);
                }
            }
            for (top, card) in tops.iter().zip(&mut cards) {
                ranked.clear();
                ranked.extend(top.kept[..top.len].iter().map(|&(_, i)| i));
                card.add(&ranked, case.hidden);
            }
            self.touched.clear();
            self.sums.clear();
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
        let orders = spec.transactions(7);
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
