//! Stores of different shapes, by name and seed, for checking that the ranking chosen per
//! store (see [`crate::quality::tune_ridge`]) holds up on stores it was not tuned on: a
//! few hundred products bought many at a time, long-tailed catalogs of tens of thousands
//! bought two or three at a time, strong complements, and none at all.
//!
//! Every store is a [`ShopSpec`]: the truth (which items go together) is planted, so a
//! result can be judged against what a perfect ranking could do.

use super::shop::ShopSpec;

/// One store of the suite.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SuiteStore {
    /// A short name for tables and file names.
    pub name: &'static str,
    /// What it stands for.
    pub about: &'static str,
    /// Its shape.
    pub spec: ShopSpec,
    /// The seed of its orders.
    pub seed: u64,
}

/// The suite, in report order.
pub const SUITE: [SuiteStore; 5] = [
    SuiteStore {
        name: "dense",
        about: "170 products, about 5 per basket, weak complements (like groceries.csv)",
        spec: ShopSpec {
            baskets: 10_000,
            items: 170,
            exponent: 0.9,
            mean_draws: 4.0,
            complements: 3,
            attach: 0.15,
            category: 10,
        },
        seed: 1,
    },
    SuiteStore {
        name: "long-tail",
        about: "30,000 products, 2-3 per basket, most sold a handful of times",
        spec: ShopSpec {
            baskets: 60_000,
            items: 30_000,
            exponent: 1.0,
            mean_draws: 1.3,
            complements: 2,
            attach: 0.5,
            category: 50,
        },
        seed: 2,
    },
    SuiteStore {
        name: "complements",
        about: "5,000 products, each with three strong complements",
        spec: ShopSpec {
            baskets: 40_000,
            items: 5_000,
            exponent: 1.0,
            mean_draws: 1.5,
            complements: 3,
            attach: 0.9,
            category: 20,
        },
        seed: 3,
    },
    SuiteStore {
        name: "independent",
        about: "2,000 products bought independently: no complements at all",
        spec: ShopSpec {
            baskets: 30_000,
            items: 2_000,
            exponent: 1.0,
            mean_draws: 3.0,
            complements: 0,
            attach: 0.0,
            category: 100,
        },
        seed: 4,
    },
    SuiteStore {
        name: "retail",
        about: "88,162 baskets over 16,470 products, about 10 per basket, a dense head",
        spec: ShopSpec {
            baskets: 88_162,
            items: 16_470,
            exponent: 1.05,
            mean_draws: 7.0,
            complements: 3,
            attach: 0.3,
            category: 100,
        },
        seed: 5,
    },
];

/// The suite store called `name`.
pub fn store(name: &str) -> Option<SuiteStore> {
    SUITE.iter().copied().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_what_they_say() {
        let mean = |s: &SuiteStore| {
            let spec = ShopSpec {
                baskets: 3_000,
                ..s.spec
            };
            let orders: Vec<Vec<u32>> = spec.generate(s.seed).collect();
            orders.iter().map(Vec::len).sum::<usize>() as f64 / orders.len() as f64
        };
        let sizes: Vec<f64> = SUITE.iter().map(mean).collect();
        assert!((4.0..7.0).contains(&sizes[0]), "dense {}", sizes[0]);
        assert!((1.8..3.2).contains(&sizes[1]), "long-tail {}", sizes[1]);
        assert!((2.0..5.0).contains(&sizes[2]), "complements {}", sizes[2]);
        assert!((2.5..3.5).contains(&sizes[3]), "independent {}", sizes[3]);
        assert!((8.0..13.0).contains(&sizes[4]), "retail {}", sizes[4]);
        assert_eq!(store("retail").map(|s| s.spec.baskets), Some(88_162));
        assert!(store("nope").is_none());
    }
}
