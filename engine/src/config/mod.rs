//! The validated, indexed config: built once from a [`RawConfig`], then always valid.
//!
//! [`Config::build`] checks everything and reports every problem at once, each with its
//! JSON path. A built `Config` holds only resolved references (product indexes, money in
//! minor units, checked URLs), so evaluation cannot fail and never re-validates.
//! This module owns building and lookups; what to suggest lives in [`crate::recommend`].

mod build;
pub mod raw;

use crate::copy::CopyTexts;
use crate::money::{Currency, Money};
use std::collections::HashMap;

pub use build::{ConfigError, Problem, Severity};
pub use raw::RawConfig;

/// Index of a product in [`Config::products`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProductIdx(pub(crate) u32);

impl ProductIdx {
    /// Position in [`Config::products`].
    pub fn get(self) -> usize {
        self.0 as usize
    }
}

/// Index of a rule in [`Config::rules`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleIdx(pub(crate) u32);

impl RuleIdx {
    /// Position in [`Config::rules`].
    pub fn get(self) -> usize {
        self.0 as usize
    }
}

/// Store-wide settings, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Store {
    /// Config name, for tools.
    pub name: String,
    /// The store currency.
    pub currency: Currency,
    /// BCP 47 locale.
    pub locale: String,
    /// Suggestion limits per placement.
    pub max_items: raw::RawMaxItems,
    /// The widget's texts.
    pub copy: CopyTexts,
}

/// A catalog entry, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Product {
    /// The store's id.
    pub id: String,
    /// Shown as text.
    pub title: String,
    /// Current price.
    pub price: Money,
    /// "Was" price, only when above `price`.
    pub compare_at_price: Option<Money>,
    /// Checked by [`crate::url::check_url`].
    pub url: Option<String>,
    /// Checked by [`crate::url::check_url`].
    pub image: Option<String>,
    /// Category.
    pub category: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Brand.
    pub vendor: Option<String>,
    /// Never suggested when false.
    pub in_stock: bool,
    /// Comparable attributes, sorted by name.
    pub attributes: Vec<(String, String)>,
}

/// A rule, validated, with resolved references.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Unique rule id.
    pub id: String,
    /// Higher first.
    pub priority: i32,
    /// What the rule does.
    pub kind: RuleKind,
}

/// The rule kinds.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleKind {
    /// Association rule `antecedent → consequent`.
    BoughtTogether(BoughtTogether),
}

/// A resolved association rule.
#[derive(Clone, Debug, PartialEq)]
pub struct BoughtTogether {
    /// All must be present (on the page or in the basket) for the rule to fire.
    pub antecedent: Vec<ProductIdx>,
    /// Suggested items.
    pub consequent: Vec<ProductIdx>,
    /// Measures, when mined or given.
    pub measures: Measures,
}

/// Association measures of a rule; `None` where the config gives none (hand-made rules).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Measures {
    /// P(antecedent ∪ consequent).
    pub support: Option<f64>,
    /// P(consequent | antecedent).
    pub confidence: Option<f64>,
    /// confidence / P(consequent).
    pub lift: Option<f64>,
}

/// A validated config with its lookup indexes.
#[derive(Clone, Debug)]
pub struct Config {
    store: Store,
    products: Vec<Product>,
    rules: Vec<Rule>,
    by_id: HashMap<String, ProductIdx>,
    /// For each product, the bought-together rules anchored on it (its first antecedent
    /// item). A rule fires only when its whole antecedent is present, so its anchor is
    /// present too: visiting the anchors of present items visits each candidate rule once.
    anchored: Vec<Vec<RuleIdx>>,
    warnings: Vec<Problem>,
}

impl Config {
    /// Parses and builds a config from JSON text.
    ///
    /// ```
    /// let config = cartlift_engine::Config::from_json(r#"{
    ///   "version": 1,
    ///   "store": {"currency": "USD"},
    ///   "catalog": [{"id": "cam", "title": "Camera", "price": 89.0}],
    ///   "rules": []
    /// }"#).unwrap();
    /// assert_eq!(config.product_by_id("cam").map(|p| p.price.minor()), Some(8900));
    /// ```
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = serde_json::from_str(text).map_err(ConfigError::from_json)?;
        Config::build(&raw)
    }

    /// Validates and indexes a raw config; every problem is reported, not just the first.
    pub fn build(raw: &RawConfig) -> Result<Config, ConfigError> {
        build::build(raw)
    }

    /// Store settings.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// All products, in config order.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// All rules, in config order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The product at `idx`.
    pub fn product(&self, idx: ProductIdx) -> &Product {
        &self.products[idx.get()]
    }

    /// The rule at `idx`.
    pub fn rule(&self, idx: RuleIdx) -> &Rule {
        &self.rules[idx.get()]
    }

    /// Resolves a product id.
    pub fn product_idx(&self, id: &str) -> Option<ProductIdx> {
        self.by_id.get(id).copied()
    }

    /// Looks a product up by id.
    pub fn product_by_id(&self, id: &str) -> Option<&Product> {
        self.product_idx(id).map(|i| self.product(i))
    }

    /// Problems that do not stop the config from working (e.g. a rule that only ever
    /// suggests out-of-stock items).
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }

    pub(crate) fn rules_anchored_on(&self, product: ProductIdx) -> &[RuleIdx] {
        &self.anchored[product.get()]
    }
}
