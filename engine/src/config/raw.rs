//! The config file as written: serde types that mirror the JSON one to one.
//!
//! Nothing here is trusted. [`crate::Config::build`] turns a [`RawConfig`] into a validated,
//! indexed [`crate::Config`]; every check lives there, not in these types. Unknown fields
//! are rejected so a typo (`"prise"`) is an error, not a silently ignored setting.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The only config version this engine reads.
pub const CONFIG_VERSION: u32 = 1;

/// A whole config document, version 1.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// Must be 1.
    pub version: u32,
    /// Store-wide settings.
    pub store: RawStore,
    /// Every product the widget may show or reason about.
    #[serde(default)]
    pub catalog: Vec<RawProduct>,
    /// The rules, in no particular order; priority decides.
    #[serde(default)]
    pub rules: Vec<RawRule>,
}

/// Store-wide settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStore {
    /// Shown nowhere yet; names the config in tools.
    #[serde(default)]
    pub name: String,
    /// ISO 4217 code, e.g. `"USD"`.
    pub currency: String,
    /// BCP 47 locale for prices and copy, e.g. `"en-US"`, `"fa-IR"`.
    #[serde(default = "default_locale")]
    pub locale: String,
    /// At most this many suggestions per placement.
    #[serde(default)]
    pub max_items: RawMaxItems,
    /// Overrides for the widget's texts, by key (see [`crate::copy`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub copy: BTreeMap<String, String>,
}

impl Default for RawStore {
    fn default() -> Self {
        Self {
            name: String::new(),
            currency: "USD".into(),
            locale: default_locale(),
            max_items: RawMaxItems::default(),
            copy: BTreeMap::new(),
        }
    }
}

fn default_locale() -> String {
    "en-US".into()
}

/// Per-placement limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMaxItems {
    /// Product page.
    #[serde(default = "default_max")]
    pub product: u32,
    /// Cart and checkout pages.
    #[serde(default = "default_max")]
    pub cart: u32,
    /// Order confirmation page.
    #[serde(default = "default_max")]
    pub confirmation: u32,
}

impl Default for RawMaxItems {
    fn default() -> Self {
        Self {
            product: default_max(),
            cart: default_max(),
            confirmation: default_max(),
        }
    }
}

fn default_max() -> u32 {
    4
}

/// One catalog entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProduct {
    /// The store's id for the product (SKU, handle or numeric id), unique in the catalog.
    pub id: String,
    /// Shown to shoppers, as text.
    pub title: String,
    /// Decimal price in the store currency, e.g. `89.99`.
    pub price: f64,
    /// The struck-through "was" price, if the product is on sale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at_price: Option<f64>,
    /// Product page: absolute http(s) or site-relative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Product image: absolute http(s) or site-relative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// One category, e.g. `"cameras"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Free-form tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Brand or maker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// Out-of-stock products are never suggested.
    #[serde(default = "yes")]
    pub in_stock: bool,
    /// Comparable attributes, e.g. `{"resolution": "4 MP"}`, shown in upgrade comparisons.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

/// A rule, tagged by `kind`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RawRule {
    /// "Shoppers who bought the antecedent also bought the consequent": mined or hand-made.
    BoughtTogether(RawBoughtTogether),
}

/// An association rule `antecedent → consequent` with its mined measures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBoughtTogether {
    /// Unique among rules.
    pub id: String,
    /// All of these in the basket or on the page make the rule fire.
    pub antecedent: Vec<String>,
    /// What to suggest.
    pub consequent: Vec<String>,
    /// Share of all orders holding antecedent and consequent (0..=1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support: Option<f64>,
    /// Share of orders with the antecedent that also hold the consequent (0..=1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Confidence divided by the consequent's support (> 1: bought together more than chance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lift: Option<f64>,
    /// Higher first; mined rules default to 0.
    #[serde(default)]
    pub priority: i32,
    /// Who made the rule: `cartlift mine --into` replaces `mined` rules and keeps the rest.
    #[serde(default, skip_serializing_if = "RuleSource::is_hand")]
    pub source: RuleSource,
}

/// Where a rule came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleSource {
    /// Written by a person (the default).
    #[default]
    Hand,
    /// Written by `cartlift mine` from order history.
    Mined,
}

impl RuleSource {
    fn is_hand(&self) -> bool {
        *self == RuleSource::Hand
    }
}
