//! Hit rate and mean reciprocal rank over test cases.

use crate::mining::Item;

/// The cutoffs reported besides `k`: the first suggestion and a full page of ten.
const FIRST: usize = 1;
const PAGE: usize = 10;

/// Running totals of one method over the test cases.
///
/// HR@n is the share of cases whose hidden item is among the first `n` suggestions;
/// MRR@10 the mean of `1 / rank` of the hidden item, counting 0 when it is not in the
/// first 10. A method that suggests fewer items simply has fewer chances.
///
/// ```
/// use cartlift_engine::mining::Transactions;
/// use cartlift_engine::quality::Scorecard;
///
/// let mut t = Transactions::new();
/// let [a, b, c] = ["a", "b", "c"].map(|n| t.intern(n));
/// let mut card = Scorecard::new(2);
/// card.add(&[a, b], b); // rank 2
/// card.add(&[c], a);    // missed
/// assert_eq!(card.hit_rate(1), 0.0);
/// assert_eq!(card.hit_rate(2), 0.5);
/// assert_eq!(card.mrr(), 0.25);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Scorecard {
    k: usize,
    cases: u64,
    /// Hits at 1, k and 10.
    hits: [u64; 3],
    reciprocal: f64,
    /// Cases where the method had at least `k` suggestions.
    full: u64,
}

impl Scorecard {
    /// Totals for cutoffs 1, `k` and 10 (`k` at least 1).
    pub fn new(k: usize) -> Scorecard {
        Scorecard {
            k: k.max(1),
            cases: 0,
            hits: [0; 3],
            reciprocal: 0.0,
            full: 0,
        }
    }

    /// How many suggestions a method should return for every figure to be known:
    /// `max(k, 10)`.
    pub fn depth(&self) -> usize {
        self.k.max(PAGE)
    }

    /// Counts one case: `ranked` suggestions, best first, and the item that was bought.
    pub fn add(&mut self, ranked: &[Item], hidden: Item) {
        self.cases += 1;
        if ranked.len() >= self.k {
            self.full += 1;
        }
        if let Some(rank) = ranked.iter().position(|&i| i == hidden) {
            for (hits, cut) in self.hits.iter_mut().zip([FIRST, self.k, PAGE]) {
                if rank < cut {
                    *hits += 1;
                }
            }
            if rank < PAGE {
                self.reciprocal += 1.0 / (rank + 1) as f64;
            }
        }
    }

    /// Adds the cases counted by `other` (with the same cutoff), as if counted here.
    pub fn merge(&mut self, other: &Scorecard) {
        debug_assert_eq!(self.k, other.k, "scorecards of different cutoffs");
        self.cases += other.cases;
        for (h, o) in self.hits.iter_mut().zip(other.hits) {
            *h += o;
        }
        self.reciprocal += other.reciprocal;
        self.full += other.full;
    }

    /// The headline cutoff.
    pub fn k(&self) -> usize {
        self.k
    }

    /// Cases counted.
    pub fn cases(&self) -> u64 {
        self.cases
    }

    /// HR@n for n in 1, k or 10.
    ///
    /// # Panics
    /// For another `n`: only those three are counted.
    pub fn hit_rate(&self, n: usize) -> f64 {
        let i = if n == self.k {
            1
        } else if n == FIRST {
            0
        } else if n == PAGE {
            2
        } else {
            panic!("HR@{n} is not counted: only @1, @{} and @10", self.k)
        };
        self.share(self.hits[i])
    }

    /// MRR@10.
    pub fn mrr(&self) -> f64 {
        if self.cases == 0 {
            0.0
        } else {
            self.reciprocal / self.cases as f64
        }
    }

    /// Share of cases where the method had at least `k` suggestions.
    pub fn coverage(&self) -> f64 {
        self.share(self.full)
    }

    fn share(&self, n: u64) -> f64 {
        if self.cases == 0 {
            0.0
        } else {
            n as f64 / self.cases as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mining::Transactions;

    #[test]
    fn hit_rates_and_mrr_on_hand_cases() {
        let mut t = Transactions::new();
        let items: Vec<Item> = (0..12).map(|i| t.intern(&format!("i{i}"))).collect();
        let mut card = Scorecard::new(4);
        card.add(&items[..10], items[0]); // rank 1
        card.add(&items[..10], items[3]); // rank 4
        card.add(&items[..10], items[9]); // rank 10
        card.add(&items[..3], items[11]); // missed, and only 3 suggestions
        assert_eq!(card.cases(), 4);
        assert_eq!(card.hit_rate(1), 0.25);
        assert_eq!(card.hit_rate(4), 0.5);
        assert_eq!(card.hit_rate(10), 0.75);
        let mrr = (1.0 + 0.25 + 0.1) / 4.0;
        assert!((card.mrr() - mrr).abs() < 1e-12);
        assert_eq!(card.coverage(), 0.75);
        assert_eq!(card.depth(), 10);
        // A hit past 10 counts for nothing.
        let mut long = Scorecard::new(12);
        long.add(&items, items[11]);
        assert_eq!(
            (long.hit_rate(10), long.hit_rate(12), long.mrr()),
            (0.0, 1.0, 0.0)
        );
        assert_eq!(long.depth(), 12);
    }

    #[test]
    fn empty_scorecard_is_all_zero() {
        let card = Scorecard::new(4);
        assert_eq!(
            (card.hit_rate(4), card.mrr(), card.coverage()),
            (0.0, 0.0, 0.0)
        );
    }
}
