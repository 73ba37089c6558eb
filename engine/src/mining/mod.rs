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

pub use fpgrowth::{FpGrowth, Itemset, Itemsets, MiningError, min_count};
pub use rules::{Rule, RuleGen, Rules};
pub use transactions::{Item, Transaction, Transactions};
pub use weights::{PairWeights, Ridge};
