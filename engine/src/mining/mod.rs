//! Association mining: which products are bought together, from a store's order history.
//!
//! This module owns the whole path from baskets to rules, and nothing around it:
//!
//! 1. [`Transactions`] collects baskets (one per order) as dense [`Item`] ids, keeping each
//!    distinct basket once with a count, so memory follows distinct items and distinct
//!    baskets, never the number of rows read.
//! 2. [`FpGrowth`] finds every frequent itemset (FP-growth over an arena-allocated prefix
//!    tree) into an [`Itemsets`] trie.
//! 3. [`RuleGen`] derives association rules with support, confidence, lift, leverage and
//!    conviction into [`Rules`].
//!
//! Reading files belongs to the callers (the CLI reads files and stdin, the studio reads a
//! dropped file); [`crate::orders`] turns their bytes into [`Transactions`]. Everything here
//! is deterministic and single-threaded, so it runs the same natively and in wasm.
//!
//! ```
//! use cartlift_engine::mining::{FpGrowth, RuleGen, Transactions};
//!
//! let mut orders = Transactions::new();
//! for basket in [&["camera", "cable"][..], &["camera", "cable", "nvr"], &["camera", "nvr"], &["cable"]] {
//!     orders.push(basket.iter().copied());
//! }
//! let itemsets = FpGrowth::new(0.5)?.mine(&orders)?;
//! // {camera}, {cable}, {nvr}, {camera, cable}, {camera, nvr}: each in at least 2 of 4 orders.
//! assert_eq!(itemsets.len(), 5);
//!
//! let rules = RuleGen::new().min_confidence(0.6).generate(&itemsets, &orders);
//! let best = rules.iter().find(|r| orders.names(r.antecedent()) == ["nvr"]).unwrap();
//! assert_eq!(orders.names(best.consequent()), ["camera"]);
//! assert_eq!(best.confidence(), 1.0); // every order with the recorder had a camera
//! assert_eq!(best.lift(), 4.0 / 3.0);
//! # Ok::<(), cartlift_engine::mining::MiningError>(())
//! ```

mod fpgrowth;
mod rules;
mod transactions;
mod weights;

pub use fpgrowth::{FpGrowth, Itemset, Itemsets};
pub use rules::{Rule, RuleGen, Rules};
pub use transactions::{Transaction, Transactions};
pub use weights::{PairWeights, Ridge};

/// A product (or any item) in [`Transactions`]: a dense id, given in order of first
/// appearance. Its name is [`Transactions::name`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Item(u32);

impl Item {
    /// The dense index, `0..Transactions::item_count()`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What can go wrong when mining.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MiningError {
    /// The minimum support is a share of all orders: more than 0, at most 1.
    #[error("minimum support {0} is not in (0, 1]")]
    MinSupport(f64),
    /// Counts are 32-bit: more orders than that cannot be mined in one go.
    #[error("{0} orders are more than the 4,294,967,295 one run can count")]
    TooManyTransactions(u64),
    /// The thresholds let through more itemsets than the limit set with
    /// [`FpGrowth::max_itemsets`]; a higher minimum support or a shorter maximum length
    /// keeps the result finite.
    #[error(
        "more than {limit} frequent itemsets at a minimum count of {min_count}: raise the minimum support or lower the maximum length"
    )]
    TooManyItemsets {
        /// The limit that was reached.
        limit: usize,
        /// The absolute minimum count in force.
        min_count: u32,
    },
}

/// The absolute minimum count for a relative minimum support: `ceil(min_support × n)`,
/// at least 1. Products like `0.01 × 1000` that are whole numbers up to floating-point
/// noise count as whole, so the threshold is the one a person computes by hand.
///
/// ```
/// use cartlift_engine::mining::min_count;
/// assert_eq!(min_count(0.001, 9835), 10);
/// assert_eq!(min_count(0.01, 1000), 10); // 0.01 × 1000 is 10.000000000000002 in f64
/// assert_eq!(min_count(0.5, 3), 2);
/// ```
pub fn min_count(min_support: f64, transactions: u64) -> u32 {
    let exact = min_support * transactions as f64;
    let nearest = exact.round();
    let count = if (exact - nearest).abs() <= 1e-9 * nearest.max(1.0) {
        nearest
    } else {
        exact.ceil()
    };
    count.clamp(1.0, u32::MAX as f64) as u32
}
