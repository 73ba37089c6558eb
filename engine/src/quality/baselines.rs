//! The baselines cartlift's ranking is measured against: what a store gets from
//! popularity or from textbook item-to-item co-occurrence, with no thresholds at all
//! (every pair seen in the training orders counts).

use crate::mining::{Item, Transactions};

/// Item and pair counts of the training orders.
#[derive(Clone, Debug)]
pub struct CoCounts {
    /// Orders holding each item.
    counts: Vec<u64>,
    /// Items by descending count, then id.
    popular: Vec<Item>,
    /// Co-occurrence lists: `offsets[a]..offsets[a + 1]` in `pairs`, sorted by item.
    offsets: Vec<usize>,
    pairs: Vec<(Item, u64)>,
}

impl CoCounts {
    /// Counts every item and every pair of items bought together.
    pub fn new(train: &Transactions) -> CoCounts {
        let n = train.item_count();
        let counts: Vec<u64> = train.items().map(|i| train.count(i)).collect();
        let mut popular: Vec<Item> = train.items().filter(|&i| counts[i.index()] > 0).collect();
        popular.sort_by(|a, b| counts[b.index()].cmp(&counts[a.index()]).then(a.cmp(b)));
        let mut flat: Vec<(Item, Item, u64)> = Vec::new();
        for t in train.iter() {
            let items = t.items();
            for &a in items {
                for &c in items {
                    if a != c {
                        flat.push((a, c, t.count()));
                    }
                }
            }
        }
        flat.sort_unstable_by_key(|&(a, c, _)| (a, c));
        let mut offsets = vec![0usize; n + 1];
        let mut pairs: Vec<(Item, u64)> = Vec::new();
        for (a, c, count) in flat {
            match pairs.last_mut() {
                Some((last, total)) if *last == c && offsets[a.index() + 1] > 0 => {
                    *total += count;
                }
                _ => {
                    pairs.push((c, count));
                    offsets[a.index() + 1] += 1;
                }
            }
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        CoCounts {
            counts,
            popular,
            offsets,
            pairs,
        }
    }

    /// Orders holding `item` in training.
    pub fn count(&self, item: Item) -> u64 {
        self.counts.get(item.index()).copied().unwrap_or(0)
    }

    /// The items bought with `item`, with how often.
    pub fn with(&self, item: Item) -> &[(Item, u64)] {
        match self.offsets.get(item.index() + 1) {
            Some(&end) => &self.pairs[self.offsets[item.index()]..end],
            None => &[],
        }
    }

    /// Items by popularity, best first.
    pub fn popular(&self) -> &[Item] {
        &self.popular
    }
}

thread_local! {
    /// [`Baseline::rank_all`]'s scores per item (best confidence, summed cosine, summed
    /// confidence; NaN: untouched), one array per thread so the counts can be shared by
    /// threads ranking different cases. Reused across calls: a popular cart item
    /// co-occurs with thousands of items.
    static SCRATCH_ALL: std::cell::RefCell<Vec<[f64; 3]>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A baseline ranking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Baseline {
    /// The most often bought items, whatever the cart.
    Popularity,
    /// Each candidate scored by its best single rule: max over cart items `a` of
    /// confidence(a → c) = count(a, c) / count(a).
    BestPairConfidence,
    /// Item-to-item cosine (Linden, Smith and York, Amazon 2003), summed over the cart:
    /// count(a, c) / sqrt(count(a) × count(c)).
    CosineSum,
    /// Pair confidence summed over the cart items.
    PairConfidenceSum,
}

impl Baseline {
    /// All baselines, in report order.
    pub const ALL: [Baseline; 4] = [
        Baseline::Popularity,
        Baseline::BestPairConfidence,
        Baseline::CosineSum,
        Baseline::PairConfidenceSum,
    ];

    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Baseline::Popularity => "popularity",
            Baseline::BestPairConfidence => "best pair confidence",
            Baseline::CosineSum => "item-item cosine, summed",
            Baseline::PairConfidenceSum => "pair confidence, summed",
        }
    }

    /// A machine name for JSON.
    pub fn key(self) -> &'static str {
        match self {
            Baseline::Popularity => "popularity",
            Baseline::BestPairConfidence => "best_pair_confidence",
            Baseline::CosineSum => "cosine_sum",
            Baseline::PairConfidenceSum => "pair_confidence_sum",
        }
    }

    /// The top `k` items not in `cart` (sorted, no repeats) into `out`: score descending,
    /// then popularity, then item id. Co-occurrence baselines suggest only items seen
    /// with a cart item, so they may return fewer than `k`. (A co-occurrence baseline is
    /// ranked with the others, [`Baseline::rank_all`]: to rank several, call that.)
    pub fn rank(self, counts: &CoCounts, cart: &[Item], k: usize, out: &mut Vec<Item>) {
        out.clear();
        if self == Baseline::Popularity {
            let in_cart = |i: &Item| cart.binary_search(i).is_ok();
            out.extend(counts.popular.iter().filter(|i| !in_cart(i)).take(k));
            return;
        }
        let mut all: [Vec<Item>; 4] = Default::default();
        Baseline::rank_all(counts, cart, k, &mut all);
        let at = Baseline::ALL
            .iter()
            .position(|&b| b == self)
            .expect("in ALL");
        *out = std::mem::take(&mut all[at]);
    }

    /// Every baseline of [`Baseline::ALL`] at once, into `outs` in that order: the same
    /// lists as [`Baseline::rank`] one by one, in one pass over the cart's co-occurrences
    /// (on a store with a dense head those lists hold thousands of items each, and the
    /// three co-occurrence baselines read the same ones).
    pub fn rank_all(counts: &CoCounts, cart: &[Item], k: usize, outs: &mut [Vec<Item>; 4]) {
        Baseline::Popularity.rank(counts, cart, k, &mut outs[0]);
        SCRATCH_ALL.with_borrow_mut(|scores| {
            let in_cart = |i: &Item| cart.binary_search(i).is_ok();
            scores.resize(counts.counts.len(), [f64::NAN; 3]);
            let mut seen: Vec<Item> = Vec::new();
            for &a in cart {
                let na = counts.count(a) as f64;
                for &(c, n) in counts.with(a) {
                    if in_cart(&c) {
                        continue;
                    }
                    let n = n as f64;
                    let confidence = n / na;
                    let cosine = n / (na * counts.count(c) as f64).sqrt();
                    let slot = &mut scores[c.index()];
                    if slot[0].is_nan() {
                        *slot = [confidence, cosine, confidence];
                        seen.push(c);
                    } else {
                        slot[0] = slot[0].max(confidence);
                        slot[1] += cosine;
                        slot[2] += confidence;
                    }
                }
            }
            let mut touched: Vec<(Item, [f64; 3])> = seen
                .iter()
                .map(|&c| (c, std::mem::replace(&mut scores[c.index()], [f64::NAN; 3])))
                .collect();
            let mut list: Vec<(Item, f64)> = Vec::with_capacity(touched.len());
            for (m, out) in outs[1..].iter_mut().enumerate() {
                out.clear();
                list.clear();
                list.extend(touched.iter().map(|&(c, s)| (c, s[m])));
                top(counts, &mut list, k, out);
            }
            touched.clear();
        });
    }
}

/// The first `k` of `scored` (score descending, then popularity, then item) into `out`.
fn top(counts: &CoCounts, scored: &mut [(Item, f64)], k: usize, out: &mut Vec<Item>) {
    let order = |(a, sa): &(Item, f64), (b, sb): &(Item, f64)| {
        sb.total_cmp(sa)
            .then(counts.count(*b).cmp(&counts.count(*a)))
            .then(a.cmp(b))
    };
    let scored = if scored.len() > k {
        scored.select_nth_unstable_by(k, order);
        &mut scored[..k]
    } else {
        scored
    };
    scored.sort_unstable_by(order);
    out.extend(scored.iter().map(|&(c, _)| c));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baselines_rank_by_their_own_measure() {
        let mut t = Transactions::new();
        // milk is everywhere; cable goes with the camera; disk with the nvr.
        for _ in 0..6 {
            t.push(["milk", "bread"]);
        }
        for _ in 0..3 {
            t.push(["camera", "cable", "milk"]);
        }
        t.push(["camera", "nvr", "milk"]);
        for _ in 0..4 {
            t.push(["nvr", "disk"]);
        }
        let id = |n: &str| t.item(n).unwrap();
        let counts = CoCounts::new(&t);
        assert_eq!(counts.count(id("milk")), 10);
        assert_eq!(counts.with(id("camera")).len(), 3);
        let names = |b: Baseline, cart: &[&str]| -> Vec<String> {
            let mut cart: Vec<Item> = cart.iter().map(|n| id(n)).collect();
            cart.sort();
            let mut out = Vec::new();
            b.rank(&counts, &cart, 3, &mut out);
            out.iter().map(|&i| t.name(i).to_string()).collect()
        };
        assert_eq!(
            names(Baseline::Popularity, &["milk"]),
            ["bread", "nvr", "camera"]
        );
        // camera → milk 4/4, cable 3/4, nvr 1/4.
        assert_eq!(
            names(Baseline::BestPairConfidence, &["camera"]),
            ["milk", "cable", "nvr"]
        );
        // Cosine discounts milk's popularity: cable 3/sqrt(4·3) > milk 4/sqrt(4·10).
        assert_eq!(
            names(Baseline::CosineSum, &["camera"]),
            ["cable", "milk", "nvr"]
        );
        // With the nvr in the cart too, the disk (4/5 from the nvr) passes the cable (3/4).
        assert_eq!(
            names(Baseline::PairConfidenceSum, &["camera", "nvr"]),
            ["milk", "disk", "cable"]
        );
        // Nothing was bought with the disk but the nvr: fewer than k.
        assert_eq!(names(Baseline::PairConfidenceSum, &["disk"]), ["nvr"]);
    }
}
