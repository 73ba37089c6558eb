//! Seeded order histories with a long tail, for mining tests and benchmarks far larger
//! than groceries.csv.
//!
//! Items are drawn from a Zipf distribution (item `k` about `1/(k+1)^s` as likely as the
//! most popular), as sales are in real stores: a few bestsellers, a long tail sold a
//! handful of times. Baskets have a geometric size, and items come with complements:
//! items are grouped in blocks of 8 (a camera, its cables, mounts, …) and an item drags a
//! block-mate into the basket with [`BasketSpec::complement`] probability, so there are
//! real "bought together" rules to find, not only coincidences.

use super::{Rng, Zipf};

/// The shape of a generated history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BasketSpec {
    /// How many baskets (orders).
    pub baskets: usize,
    /// How many distinct items the store sells.
    pub items: usize,
    /// Zipf exponent `s` (1.0 is the classic long tail).
    pub exponent: f64,
    /// Mean number of draws per basket (at least 1).
    pub mean_draws: f64,
    /// Chance that a drawn item brings a complement from its block.
    pub complement: f64,
}

impl BasketSpec {
    /// The benchmark set: 100,000 baskets over 16,000 items.
    pub const BENCHMARK: BasketSpec = BasketSpec {
        baskets: 100_000,
        items: 16_000,
        exponent: 1.0,
        mean_draws: 3.0,
        complement: 0.4,
    };

    /// The baskets of this spec for a seed.
    pub fn generate(self, seed: u64) -> Baskets {
        let zipf = Zipf::new(self.items, self.exponent);
        Baskets {
            spec: self,
            rng: Rng::new(seed),
            zipf,
            left: self.baskets,
        }
    }
}

/// The name of generated item `k`: `sku-00042`.
pub fn item_name(k: u32) -> String {
    format!("sku-{k:05}")
}

/// An iterator over generated baskets: sorted, distinct item numbers `0..items`.
#[derive(Clone, Debug)]
pub struct Baskets {
    spec: BasketSpec,
    rng: Rng,
    zipf: Zipf,
    left: usize,
}

impl Iterator for Baskets {
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
            if self.rng.unit() < self.spec.complement {
                let block = item / 8 * 8;
                let mate = block + self.rng.below(8) as u32;
                if (mate as usize) < self.spec.items {
                    basket.push(mate);
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
    fn seeded_long_tailed_and_sized() {
        let spec = BasketSpec {
            baskets: 20_000,
            items: 1_000,
            ..BasketSpec::BENCHMARK
        };
        let a: Vec<Vec<u32>> = spec.generate(7).collect();
        assert_eq!(a, spec.generate(7).collect::<Vec<_>>());
        assert_eq!(a.len(), 20_000);
        let mut counts = vec![0u32; 1_000];
        for basket in &a {
            assert!(!basket.is_empty() && basket.windows(2).all(|w| w[0] < w[1]));
            for &i in basket {
                counts[i as usize] += 1;
            }
        }
        // The bestseller sells far more than the median item, which still sells.
        let mut sorted = counts.clone();
        sorted.sort_unstable();
        assert!(
            counts[0] > 20 * sorted[500],
            "{} vs {}",
            counts[0],
            sorted[500]
        );
        assert!(sorted[500] > 0);
        assert_eq!(item_name(42), "sku-00042");
    }
}
