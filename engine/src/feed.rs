//! What `cartlift feed` lists: every catalog product with the suggestions its product
//! page shows, in the widget's order ([`Recommendations::row`]), for email platforms that
//! build "bought together" blocks from a product feed in their own templates.
//!
//! The product page is asked with an empty basket, as a shopper arriving from an email
//! sees it. Pure and deterministic: the same config at the same moment gives the same
//! feed, in catalog order. Field names and file formats are the CLI's.
//!
//! ```
//! use cartlift_engine::Config;
//! use cartlift_engine::feed::feed;
//! let config = Config::from_json(r#"{
//!   "version": 1, "store": {"currency": "USD"},
//!   "catalog": [{"id": "cam", "title": "Camera", "price": 89}, {"id": "cable", "title": "Cable", "price": 9}],
//!   "rules": [{"kind": "bought_together", "id": "b", "antecedent": ["cam"], "consequent": ["cable"]}]
//! }"#).unwrap();
//! let entries = feed(&config, 0, 4);
//! let cam = &entries[0];
//! assert_eq!(config.product(cam.product).id, "cam");
//! assert_eq!(config.product(cam.suggestions[0].product).id, "cable");
//! assert_eq!(cam.suggestions[0].kind.name(), "bought_together");
//! assert!(entries[1].suggestions.is_empty());
//! ```
//!
//! [`Recommendations::row`]: crate::recommend::Recommendations::row

use crate::config::raw::Kind;
use crate::config::{Config, ProductIdx, RuleIdx};
use crate::recommend::{Context, Placement};

/// One product and what its page suggests.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedEntry {
    /// The product.
    pub product: ProductIdx,
    /// Its page's suggestions, in the widget's order, at most the feed's `top`.
    pub suggestions: Vec<FeedSuggestion>,
}

/// One suggested product.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FeedSuggestion {
    /// The suggested product.
    pub product: ProductIdx,
    /// The kind of the strongest rule behind it.
    pub kind: Kind,
    /// That rule.
    pub rule: RuleIdx,
}

/// Every product of the catalog, in catalog order, with at most `top` suggestions of its
/// product page at `now` (Unix seconds; date-limited rules depend on it).
pub fn feed(config: &Config, now: i64, top: usize) -> Vec<FeedEntry> {
    config
        .products()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let recs = config.recommend(&Context::new(Placement::Product, now).product(&p.id));
            let suggestions = recs
                .row()
                .iter()
                .take(top)
                .map(|item| {
                    let rule = item.reasons[0].rule;
                    FeedSuggestion {
                        product: item.product,
                        kind: config.rule(rule).kind.kind(),
                        rule,
                    }
                })
                .collect();
            FeedEntry {
                product: ProductIdx(i as u32),
                suggestions,
            }
        })
        .collect()
}
