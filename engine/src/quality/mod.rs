//! Offline quality: how often a ranking would have suggested what shoppers went on to buy,
//! measured on orders it never saw, next to simple baselines computed in the same run.
//!
//! This module owns the evaluation protocol and the baselines, nothing else: callers read
//! the orders ([`crate::orders`]), mine the training orders ([`crate::mining`]) and build
//! the config whose [`crate::Config::recommend`] is measured. Everything is seeded and
//! deterministic, so a figure can be reproduced from its seed.
//!
//! The protocol ("leave one out" on held-out baskets):
//! 1. [`Split`] the orders into training and test orders: a seeded random 80/20 split, or
//!    by date when the orders have dates (the latest 20% are the test).
//! 2. For every test basket with at least two distinct items, [`Split::cases`] hides one
//!    item, chosen by the seed; the rest is the shopper's cart.
//! 3. Each method ranks items not in the cart; [`Scorecard`] counts how often the hidden
//!    item is among its first 1, k and 10 (hit rate, HR@n) and the mean reciprocal rank of
//!    the hidden item within the first 10 (MRR@10).
//!
//! ```
//! use cartlift_engine::mining::Transactions;
//! use cartlift_engine::quality::{Baseline, CoCounts, Scorecard, Split};
//!
//! let mut orders = Transactions::new();
//! for _ in 0..20 {
//!     orders.push(["camera", "cable"]);
//!     orders.push(["camera", "cable", "nvr"]);
//!     orders.push(["nvr", "disk"]);
//! }
//! let split = Split::random(&orders, 0.2, 42);
//! assert_eq!((split.train.len(), split.test.len()), (48, 12));
//! let counts = CoCounts::new(&split.train);
//! let mut card = Scorecard::new(4);
//! let mut ranked = Vec::new();
//! for case in split.cases(42) {
//!     Baseline::PairConfidenceSum.rank(&counts, &case.cart, 10, &mut ranked);
//!     card.add(&ranked, case.hidden);
//! }
//! assert_eq!(card.cases(), 12);
//! assert!(card.hit_rate(4) > 0.99); // every hidden item is one of three candidates
//! ```

mod baselines;
mod metrics;
mod split;
mod tune;
mod widget;

pub use baselines::{Baseline, CoCounts};
pub use metrics::Scorecard;
pub use split::{
    Case, DateSplit, DateSplitError, Split, TEST_SHARE, VALIDATION_STREAM, split_rows_by_date,
};
pub use tune::{
    CountChoice, FAMILIES, MAX_PAIRS_PER_ORDER_FOR_SINGLES, MIN_CASES, PENALTIES, Tuning,
    pairs_per_order, tune_min_count, tune_ridge,
};
pub use widget::{Assembly, WidgetRanker};
