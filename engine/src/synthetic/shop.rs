//! A seeded shop's order history with planted complements, for measuring suggestion
//! quality on something larger and more long-tailed than groceries.csv (`cartlift
//! evaluate` on the file `cargo xtask quality` writes).
//!
//! Items are numbered by popularity and drawn from a Zipf distribution. Every item has a
//! few complements, fixed by the seed: other items of its category (blocks of
//! [`ShopSpec::category`] consecutive items), preferably the category's popular ones, as
//! a camera's cable and mount are. A drawn item brings its `k`-th complement
//! (0-based) with probability `attach / (k + 1)`. So the truth is known and directed: a
//! rare item predicts its complements well, a popular accessory predicts little, and most
//! items are seen a handful of times, so a ranking must cope with thin evidence.

use super::{Rng, Zipf};

/// The shape of a generated shop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ShopSpec {
    /// How many orders.
    pub baskets: usize,
    /// How many distinct items.
    pub items: usize,
    /// Zipf exponent of item popularity.
    pub exponent: f64,
    /// Mean number of independently drawn items per order (at least 1).
    pub mean_draws: f64,
    /// Complements per item.
    pub complements: usize,
    /// Chance that a drawn item brings its first complement.
    pub attach: f64,
    /// Items per category (complements are drawn within the category).
    pub category: usize,
}

impl ShopSpec {
    /// The evaluation set: 150,000 orders over 20,000 items.
    pub const EVALUATION: ShopSpec = ShopSpec {
        baskets: 150_000,
        items: 20_000,
        exponent: 1.0,
        mean_draws: 2.0,
        complements: 3,
        attach: 0.5,
        category: 100,
    };

    /// The orders of this spec for a seed, each item named by
    /// [`super::baskets::item_name`], ready to mine (for the engine's own tests).
    #[cfg(test)]
    pub(crate) fn transactions(self, seed: u64) -> crate::mining::Transactions {
        let mut orders = crate::mining::Transactions::new();
        for basket in self.generate(seed) {
            let names: Vec<String> = basket.into_iter().map(super::baskets::item_name).collect();
            orders.push(names.iter().map(String::as_str));
        }
        orders
    }

    /// The orders of this spec for a seed: sorted, distinct item numbers `0..items`.
    pub fn generate(self, seed: u64) -> ShopOrders {
        let mut rng = Rng::new(seed);
        let zipf = Zipf::new(self.items, self.exponent);
        let category = self.category.max(2);
        let mut complements = Vec::with_capacity(self.items * self.complements);
        for item in 0..self.items {
            let base = item / category * category;
            let size = category.min(self.items - base);
            let mut mine: Vec<u32> = Vec::with_capacity(self.complements);
            // Squaring a uniform number favours the category's first (popular) items.
            for _ in 0..self.complements * 8 {
                if mine.len() == self.complements || size < 2 {
                    break;
                }
                let u = rng.unit();
                let c = (base + (u * u * size as f64) as usize) as u32;
                if c as usize != item && !mine.contains(&c) {
                    mine.push(c);
                }
            }
            mine.resize(self.complements, u32::MAX);
            complements.extend(mine);
        }
        ShopOrders {
            spec: self,
            rng,
            zipf,
            complements,
            left: self.baskets,
        }
    }
}

/// An iterator over a generated shop's orders.
#[derive(Clone, Debug)]
pub struct ShopOrders {
    spec: ShopSpec,
    rng: Rng,
    zipf: Zipf,
    /// `complements` slots per item; `u32::MAX` where an item has fewer.
    complements: Vec<u32>,
    left: usize,
}

impl ShopOrders {
    /// The planted complements of `item`, strongest first.
    pub fn complements_of(&self, item: u32) -> impl Iterator<Item = u32> + '_ {
        let n = self.spec.complements;
        self.complements[item as usize * n..(item as usize + 1) * n]
            .iter()
            .copied()
            .filter(|&c| c != u32::MAX)
    }
}

impl Iterator for ShopOrders {
    type Item = Vec<u32>;

    fn next(&mut self) -> Option<Vec<u32>> {
        if self.left == 0 || self.spec.items == 0 {
            return None;
        }
        self.left -= 1;
        let more = 1.0 - 1.0 / self.spec.mean_draws.max(1.0);
        let mut basket = Vec::new();
        loop {
            let item = self.zipf.sample(&mut self.rng);
            basket.push(item);
            for k in 0..self.spec.complements {
                let c = self.complements[item as usize * self.spec.complements + k];
                if c != u32::MAX && self.rng.unit() < self.spec.attach / (k + 1) as f64 {
                    basket.push(c);
                }
            }
            if self.rng.unit() >= more {
                break;
            }
        }
        basket.sort_unstable();
        basket.dedup();
        Some(basket)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_long_tailed_with_planted_complements() {
        let spec = ShopSpec {
            baskets: 30_000,
            items: 2_000,
            ..ShopSpec::EVALUATION
        };
        let orders = spec.generate(7);
        let planted: Vec<u32> = orders.complements_of(150).collect();
        assert_eq!(planted.len(), 3);
        assert!(planted.iter().all(|&c| (100..200).contains(&c) && c != 150));
        let all: Vec<Vec<u32>> = orders.collect();
        assert_eq!(all, spec.generate(7).collect::<Vec<_>>());
        assert_ne!(all, spec.generate(8).collect::<Vec<_>>());
        assert_eq!(all.len(), 30_000);
        let mut counts = vec![0u32; 2_000];
        let mut with_first = 0u32;
        for basket in &all {
            assert!(!basket.is_empty() && basket.windows(2).all(|w| w[0] < w[1]));
            for &i in basket {
                counts[i as usize] += 1;
            }
            if basket.contains(&150) && basket.contains(&planted[0]) {
                with_first += 1;
            }
        }
        // Long-tailed: the bestseller far above the median item, which still sells.
        let mut sorted = counts.clone();
        sorted.sort_unstable();
        assert!(
            counts[0] > 20 * sorted[1_000],
            "{} vs {}",
            counts[0],
            sorted[1_000]
        );
        assert!(sorted[1_000] > 0);
        // The first complement comes along with half of item 150's own draws (150 is
        // also brought in as others' complement, so a little less of its orders), far
        // above the complement's share of all orders.
        let share = f64::from(with_first) / f64::from(counts[150]);
        assert!(
            (0.2..0.6).contains(&share),
            "{with_first} of {}",
            counts[150]
        );
        let base = f64::from(counts[planted[0] as usize]) / 30_000.0;
        assert!(share > 10.0 * base, "{share} vs {base}");
    }
}
