//! Evaluation: given where the shopper is and what is in the basket, what to suggest and
//! why.
//!
//! Pure and deterministic: the same config and context always give the same answer, in
//! the same order, whatever the order of the basket lines. Filters that always hold:
//! never the page's product, never what is in the basket, never out of stock, never what
//! the shopper dismissed, never the same product twice in one placement, never more than
//! the limits. Evaluation visits only rules indexed under what is on the page or in the
//! basket (plus the few with no product trigger), never the whole rule set.

mod eval;
mod explain;
mod model;
mod row;

pub use crate::config::Ranking;
pub use crate::placement::Placement;
pub use explain::{Format, PlainFormat};
pub use model::{
    AttributeComparison, BasketLine, Bundle, BundlePrice, Context, FilterReason, Filtered,
    FreeShipping, Reason, ReasonDetail, Recommendations, Suggestion, UpgradeOffer,
};
pub use row::{RowItem, Section};
