//! The config file as written: serde types that mirror the JSON one to one.
//!
//! Nothing here is trusted. [`crate::Config::build`] turns a [`RawConfig`] into a validated,
//! indexed [`crate::Config`]; every check lives there, not in these types. Unknown fields
//! are rejected so a typo (`"prise"`) is an error, not a silently ignored setting. The JSON
//! Schema shipped with cartlift (`cartlift schema`) is generated from these types.

use crate::map::StrMap;
use serde::{Deserialize, Serialize};

/// The only config version this engine reads.
pub const CONFIG_VERSION: u32 = 1;

/// Texts by locale tag (`"en"`, `"fa-IR"`), then by key.
pub type Translations = StrMap<StrMap<String>>;

/// A whole config document, version 1.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// Where editors find the JSON Schema; ignored by cartlift.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Must be 1.
    pub version: u32,
    /// Store-wide settings.
    pub store: RawStore,
    /// Every product the widget may show or reason about.
    #[serde(default)]
    pub catalog: Vec<RawProduct>,
    /// The rules, in no particular order; priority and strength decide.
    #[serde(default)]
    pub rules: Vec<RawRule>,
    /// Set in the core file of a sharded config (`cartlift shard`): the rest of the
    /// catalog and rules are in one shard file per product, fetched when that product is
    /// on the page or in the basket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shards: Option<RawShards>,
}

/// Where a sharded config's shards are, and where the core's own entries sit in the
/// whole config (so ranking ties break as they would in one file).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawShards {
    /// The shard files' folder, relative to the core file (`"shards/"`): product `id`'s
    /// shard is `path` + [`crate::config::shard::file_name`]`(id)`.
    pub path: String,
    /// Position in the whole config of each of the core's catalog entries, in order.
    #[serde(default)]
    pub catalog_at: Vec<u32>,
    /// Position in the whole config of each of the core's rules, in order.
    #[serde(default)]
    pub rules_at: Vec<u32>,
    /// The cart and checkout placements also fetch `path` +
    /// [`crate::config::shard::CART_SHARD`]: the free-shipping rules and their fillers,
    /// which product pages never need.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cart: bool,
}

/// One product's shard file (`cartlift shard`): the rules that product can fire, on its
/// page or in a basket, and the catalog entries those rules need, each with its position
/// in the whole config.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShard {
    /// Must be 1.
    pub version: u32,
    /// Catalog entries.
    #[serde(default)]
    pub catalog: Vec<RawProduct>,
    /// Position of each catalog entry in the whole config.
    #[serde(default)]
    pub catalog_at: Vec<u32>,
    /// Rules.
    #[serde(default)]
    pub rules: Vec<RawRule>,
    /// Position of each rule in the whole config.
    #[serde(default)]
    pub rules_at: Vec<u32>,
}

/// Store-wide settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawStore {
    /// Names the config in tools.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// ISO 4217 code, e.g. `"USD"`.
    pub currency: String,
    /// Default BCP 47 locale for prices and copy, e.g. `"en-US"`; the page's language
    /// (`<html lang>`) picks another when the config has copy for it.
    #[serde(default = "default_locale")]
    pub locale: String,
    /// Basket value (decimal, store currency) from which shipping is free; enables the
    /// free-shipping bar and `threshold` rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_shipping_threshold: Option<f64>,
    /// At most this many suggestions per section of each placement.
    #[serde(default)]
    pub max_items: RawMaxItems,
    /// Percent off the bundle price when a shopper adds a whole "bought together" bundle
    /// (0 < p < 100). The store grants it: with `bundle_discount_code`, or by itself
    /// (`bundle_discount_automatic`); the widget checks the cart after the add and stops
    /// promising it when the cart shows no discount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundle_discount_percent: Option<f64>,
    /// A discount code the store created for the bundle discount: the platform cart
    /// adapter applies it after adding a whole bundle (Shopify: `/cart/update.js`
    /// `discount`; WooCommerce: Store API `cart/apply-coupon`); the `js` cart hands it to
    /// the page's `onAddToCart` handler as `discount_code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundle_discount_code: Option<String>,
    /// The store applies the bundle discount by itself (an automatic discount, a cart
    /// rule, or the `js` page's own cart): nothing is applied, the cart is checked.
    #[serde(default, skip_serializing_if = "is_false")]
    pub bundle_discount_automatic: bool,
    /// Overrides of the widget's texts, by locale then key (see [`crate::copy::CopyKey`]).
    #[serde(default, skip_serializing_if = "StrMap::is_empty")]
    pub copy: Translations,
    /// How long the widget leaves a product alone after the shopper dismissed it or
    /// ignored it several times.
    #[serde(default)]
    pub frequency_cap: RawFrequencyCap,
    /// Hide suggestions from a stable share of shoppers to measure what they add.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holdout: Option<RawHoldout>,
    /// Also push every widget event to `window.dataLayer` (Google Tag Manager).
    #[serde(default, skip_serializing_if = "is_false")]
    pub data_layer: bool,
    /// How mined rules are ranked; `cartlift mine` chooses it on the store's own orders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranking: Option<RawRanking>,
}

/// The store's ranking of bought-together suggestions (written by `cartlift mine`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawRanking {
    /// The share (0 to 1) of a suggestion's score taken from its single most confident
    /// rule; the rest is the sum of its rules' weights. 0 (the default) sums only.
    #[serde(default)]
    pub peak: f64,
    /// How much a suggestion's popularity (its share of orders) adds to that best
    /// rule's confidence (0 or more; 0, the default, adds none).
    #[serde(default)]
    pub prior: f64,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Shopper respect: "Not interested" and a frequency cap, remembered in the shopper's
/// browser only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawFrequencyCap {
    /// Days a product the shopper marked "Not interested" stays hidden.
    #[serde(default = "default_dismiss_days")]
    pub dismiss_days: u32,
    /// A product shown this many times without a click rests; 0 turns the cap off.
    #[serde(default = "default_impressions")]
    pub impressions: u32,
    /// Days a capped product rests before it may be shown again.
    #[serde(default = "default_rest_days")]
    pub rest_days: u32,
}

impl Default for RawFrequencyCap {
    fn default() -> Self {
        Self {
            dismiss_days: default_dismiss_days(),
            impressions: default_impressions(),
            rest_days: default_rest_days(),
        }
    }
}

fn default_dismiss_days() -> u32 {
    90
}
fn default_impressions() -> u32 {
    6
}
fn default_rest_days() -> u32 {
    7
}

/// A holdout (A/B) split: shoppers are bucketed by a stable hash of an anonymous id kept
/// in their browser; the holdout share sees no suggestions. Events carry the bucket.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawHoldout {
    /// Names the experiment; changing it re-buckets everyone.
    pub experiment: String,
    /// Share of shoppers held out, in percent (0 to 100).
    pub percent: f64,
}

impl Default for RawStore {
    fn default() -> Self {
        Self {
            name: String::new(),
            currency: "USD".into(),
            locale: default_locale(),
            free_shipping_threshold: None,
            max_items: RawMaxItems::default(),
            bundle_discount_percent: None,
            bundle_discount_code: None,
            bundle_discount_automatic: false,
            copy: Translations::new(),
            frequency_cap: RawFrequencyCap::default(),
            holdout: None,
            ranking: None,
            data_layer: false,
        }
    }
}

fn default_locale() -> String {
    "en-US".into()
}

/// Per-placement limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawMaxItems {
    /// Product page.
    #[serde(default = "default_max")]
    pub product: u32,
    /// Cart page or drawer.
    #[serde(default = "default_max")]
    pub cart: u32,
    /// Checkout page.
    #[serde(default = "default_max")]
    pub checkout: u32,
    /// Order confirmation page.
    #[serde(default = "default_max")]
    pub confirmation: u32,
}

impl Default for RawMaxItems {
    fn default() -> Self {
        Self {
            product: default_max(),
            cart: default_max(),
            checkout: default_max(),
            confirmation: default_max(),
        }
    }
}

fn default_max() -> u32 {
    4
}

/// One catalog entry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawProduct {
    /// The store's id for the product (SKU, handle or numeric id), unique in the catalog.
    pub id: String,
    /// Shown to shoppers, as text.
    pub title: String,
    /// The product's own SKU, when it has one and it is not the `id` (`cartlift catalog`
    /// writes it): order exports name line items by SKU, and `cartlift mine --into` maps
    /// them to this product. Tools only: the widget never reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
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
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub in_stock: bool,
    /// Purchasable variants (sizes, colours); the first in stock is the one added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<RawVariant>,
    /// Comparable attributes, e.g. `{"Resolution": "4 MP"}`, shown in upgrade comparisons.
    #[serde(default, skip_serializing_if = "StrMap::is_empty")]
    pub attributes: StrMap<String>,
}

/// A purchasable variant of a product.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawVariant {
    /// The store's variant id (Shopify variant id, WooCommerce variation id), unique in the product.
    pub id: String,
    /// The variant's SKU: order lines naming it are this product's (`cartlift mine
    /// --into`). Tools only: the widget never reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// E.g. `"White"`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Overrides the product price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// Out-of-stock variants are never added.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub in_stock: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// A rule, tagged by `kind`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RawRule {
    /// "Shoppers who bought the antecedent also bought the consequent": mined or hand-made.
    BoughtTogether(RawBoughtTogether),
    /// When the conditions hold, suggest these products, categories or tags.
    CrossSell(RawCrossSell),
    /// Offer a better, pricier version of a product on its page and in the cart.
    Upgrade(RawUpgrade),
    /// A small extra for a product (gift wrap, warranty, installation kit).
    AddOn(RawAddOn),
    /// Items that close the gap to the free-shipping threshold.
    Threshold(RawThreshold),
}

impl RawRule {
    /// The rule's id, whatever its kind.
    pub fn id(&self) -> &str {
        match self {
            RawRule::BoughtTogether(r) => &r.id,
            RawRule::CrossSell(r) => &r.id,
            RawRule::Upgrade(r) => &r.id,
            RawRule::AddOn(r) => &r.id,
            RawRule::Threshold(r) => &r.id,
        }
    }

    /// The rule's kind.
    pub fn kind(&self) -> Kind {
        match self {
            RawRule::BoughtTogether(_) => Kind::BoughtTogether,
            RawRule::CrossSell(_) => Kind::CrossSell,
            RawRule::Upgrade(_) => Kind::Upgrade,
            RawRule::AddOn(_) => Kind::AddOn,
            RawRule::Threshold(_) => Kind::Threshold,
        }
    }
}

/// A rule's kind, as its `kind` member names it. The names are serde's, from the variants
/// (as [`RawRule`]'s tag has them): written nowhere else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// [`RawRule::BoughtTogether`].
    BoughtTogether,
    /// [`RawRule::CrossSell`].
    CrossSell,
    /// [`RawRule::Upgrade`].
    Upgrade,
    /// [`RawRule::AddOn`].
    AddOn,
    /// [`RawRule::Threshold`].
    Threshold,
}

impl Kind {
    /// Every kind, in the order the schema lists them.
    pub const ALL: [Kind; 5] = [
        Kind::BoughtTogether,
        Kind::CrossSell,
        Kind::Upgrade,
        Kind::AddOn,
        Kind::Threshold,
    ];

    /// The name `kind` gives it (`"bought_together"`).
    pub fn name(self) -> &'static str {
        crate::config::read::adapter::variants_of::<Kind>()[self as usize]
    }
}

/// An association rule `antecedent → consequent` with its mined measures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawBoughtTogether {
    /// Unique among rules.
    pub id: String,
    /// All of these present (the page's product, or the basket) make the rule fire.
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
    /// What the rule adds to its consequent's score when it fires (a finite number ≥ 0):
    /// `cartlift mine` writes the ridge weight of pair rules, fitted so that the sum over
    /// a basket does not count shared evidence twice. Without it the score comes from the
    /// other measures (see `cartlift_engine::recommend::Ranking`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Higher first; mined rules default to 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub priority: i32,
    /// Further conditions (placement, basket, segment, dates).
    #[serde(default, skip_serializing_if = "RawConditions::is_empty")]
    pub conditions: RawConditions,
    /// At most this many products from this rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The rule's own texts, by locale.
    #[serde(default, skip_serializing_if = "StrMap::is_empty")]
    pub copy: StrMap<RawRuleCopy>,
    /// Who made the rule: `cartlift mine --into` replaces `mined` rules and keeps the rest.
    #[serde(default, skip_serializing_if = "RuleSource::is_hand")]
    pub source: RuleSource,
}

impl RawBoughtTogether {
    /// If `value` is outside the range of the measure named `measure`, that range in
    /// words: `support` and `confidence` are shares (0 to 1), `lift` and `weight` any
    /// finite number ≥ 0. One rule for the config's validation and for imported rules.
    pub fn measure_out_of_range(measure: &str, value: f64) -> Option<&'static str> {
        let share = measure == "support" || measure == "confidence";
        let ok = value.is_finite() && value >= 0.0 && (!share || value <= 1.0);
        (!ok).then_some(if share {
            "between 0 and 1"
        } else {
            "a finite number ≥ 0"
        })
    }
}

/// A hand-made cross-sell: when the conditions hold, suggest these.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawCrossSell {
    /// Unique among rules.
    pub id: String,
    /// When the rule applies; usually `viewing` or `basket_contains_any`.
    #[serde(default, skip_serializing_if = "RawConditions::is_empty")]
    pub conditions: RawConditions,
    /// What to suggest: listed products in order, then products of the listed categories
    /// and tags in catalog order.
    pub suggest: RawSelector,
    /// Higher first.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub priority: i32,
    /// At most this many products from this rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The rule's own texts, by locale.
    #[serde(default, skip_serializing_if = "StrMap::is_empty")]
    pub copy: StrMap<RawRuleCopy>,
}

/// Upgrade offer: from any of `from` to `to`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawUpgrade {
    /// Unique among rules.
    pub id: String,
    /// The products this upgrades.
    pub from: Vec<String>,
    /// The better version.
    pub to: String,
    /// Attribute names to compare side by side (from the catalog's `attributes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compare: Vec<String>,
    /// Further conditions.
    #[serde(default, skip_serializing_if = "RawConditions::is_empty")]
    pub conditions: RawConditions,
    /// Higher first.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub priority: i32,
    /// The rule's own texts, by locale.
    #[serde(default, skip_serializing_if = "StrMap::is_empty")]
    pub copy: StrMap<RawRuleCopy>,
}

/// Add-on: when a matching product is on the page or in the basket, offer these extras.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawAddOn {
    /// Unique among rules.
    pub id: String,
    /// Products, categories or tags the add-ons go with.
    pub trigger: RawSelector,
    /// The extras, in order.
    pub add_ons: Vec<String>,
    /// Further conditions.
    #[serde(default, skip_serializing_if = "RawConditions::is_empty")]
    pub conditions: RawConditions,
    /// Higher first.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub priority: i32,
    /// At most this many products from this rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The rule's own texts, by locale.
    #[serde(default, skip_serializing_if = "StrMap::is_empty")]
    pub copy: StrMap<RawRuleCopy>,
}

/// Free-shipping gap fillers (cart and checkout); needs `store.free_shipping_threshold`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawThreshold {
    /// Unique among rules.
    pub id: String,
    /// Candidate products; empty means the whole catalog.
    #[serde(default, skip_serializing_if = "RawSelector::is_empty")]
    pub suggest: RawSelector,
    /// Further conditions.
    #[serde(default, skip_serializing_if = "RawConditions::is_empty")]
    pub conditions: RawConditions,
    /// Higher first.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub priority: i32,
    /// At most this many products from this rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The rule's own texts, by locale.
    #[serde(default, skip_serializing_if = "StrMap::is_empty")]
    pub copy: StrMap<RawRuleCopy>,
}

/// Products, categories and tags; a product matches if it is listed, or is in a listed
/// category, or has a listed tag.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawSelector {
    /// Product ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<String>,
    /// Category names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

impl RawSelector {
    /// Nothing listed.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty() && self.categories.is_empty() && self.tags.is_empty()
    }
}

/// When a rule applies. Every condition given must hold; an empty one always holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawConditions {
    /// Placements the rule may show in: `product`, `cart`, `checkout`, `confirmation`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placements: Vec<String>,
    /// The product page's product matches (product placement only).
    #[serde(default, skip_serializing_if = "RawSelector::is_empty")]
    pub viewing: RawSelector,
    /// At least one basket line matches.
    #[serde(default, skip_serializing_if = "RawSelector::is_empty")]
    pub basket_contains_any: RawSelector,
    /// Every listed product is in the basket, and every listed category and tag is
    /// matched by some line.
    #[serde(default, skip_serializing_if = "RawSelector::is_empty")]
    pub basket_contains_all: RawSelector,
    /// No basket line matches.
    #[serde(default, skip_serializing_if = "RawSelector::is_empty")]
    pub basket_contains_none: RawSelector,
    /// Basket value range (decimal, store currency), inclusive.
    #[serde(default, skip_serializing_if = "RawRange::is_empty")]
    pub basket_value: RawRange,
    /// Customer segments the rule is for (the page passes the shopper's segment).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<String>,
    /// Dates the rule is live: `YYYY-MM-DD` or RFC 3339 timestamps; `until` is inclusive
    /// for whole dates.
    #[serde(default, skip_serializing_if = "RawDateWindow::is_empty")]
    pub dates: RawDateWindow,
}

impl RawConditions {
    /// No condition at all.
    pub fn is_empty(&self) -> bool {
        self.placements.is_empty()
            && self.viewing.is_empty()
            && self.basket_contains_any.is_empty()
            && self.basket_contains_all.is_empty()
            && self.basket_contains_none.is_empty()
            && self.basket_value.is_empty()
            && self.segments.is_empty()
            && self.dates.is_empty()
    }
}

/// An inclusive numeric range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawRange {
    /// Lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

impl RawRange {
    /// No bound.
    pub fn is_empty(&self) -> bool {
        self.min.is_none() && self.max.is_none()
    }
}

/// A date window.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawDateWindow {
    /// First moment the rule is live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day (or moment) the rule is live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

impl RawDateWindow {
    /// Open on both ends.
    pub fn is_empty(&self) -> bool {
        self.from.is_none() && self.until.is_none()
    }
}

/// A rule's own texts for one locale.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RawRuleCopy {
    /// Heading for what this rule suggests ("Complete your kit").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The reason sentence; may use `{product}` (what triggered it) and, for
    /// bought-together rules, `{percent}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Where a rule came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

fn is_zero(n: &i32) -> bool {
    *n == 0
}
