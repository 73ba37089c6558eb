//! The validated, indexed config: built once from a [`RawConfig`](super::raw::RawConfig),
//! then always valid. A built `Config` holds only resolved references (product indexes,
//! money in minor units, checked URLs, parsed dates), so evaluation cannot fail and never
//! re-validates. This module owns the model and its lookups; reading is `read`'s,
//! checking and indexing `build`'s, evaluation [`crate::recommend`]'s.

use super::problem::Problem;
use super::ranking::{Measures, Ranking};
use super::raw::{Kind, RawRuleCopy, RuleSource};
use crate::copy::{Locale, Translations};
use crate::money::{Currency, Money};
use crate::placement::Placement;

/// Index of a product in [`Config::products`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProductIdx(pub(crate) u32);

impl ProductIdx {
    /// Position in [`Config::products`].
    pub fn get(self) -> usize {
        self.0 as usize
    }
}

/// Products by id, for [`Config::product_idx`]: an open-addressing table of product
/// indexes (FNV-1a, linear probing, at most half full), the ids read from the products
/// themselves.
///
/// Not a `HashMap<String, ProductIdx>`, which copied every id and brought hashbrown's
/// code for one more key type into the widget (0.8 KB brotli), and not a binary search
/// over the ids in order, which was as small but made a 20-line cart call on a
/// 20,000-product store 43% slower (`cargo bench -p cartlift-engine --bench recommend`).
#[derive(Clone, Debug, Default)]
pub(crate) struct IdIndex {
    /// A power of two in length; [`IdIndex::EMPTY`] or a product's index.
    slots: Vec<u32>,
}

impl IdIndex {
    const EMPTY: u32 = u32::MAX;

    /// The index of `products`, or `None` if two of them share an id.
    pub(crate) fn build(products: &[Product]) -> Option<IdIndex> {
        let mut slots = vec![Self::EMPTY; (products.len() * 2).next_power_of_two()];
        let mask = slots.len() - 1;
        for (i, p) in products.iter().enumerate() {
            let mut at = fnv1a(&p.id) & mask;
            while slots[at] != Self::EMPTY {
                if products[slots[at] as usize].id == p.id {
                    return None;
                }
                at = (at + 1) & mask;
            }
            slots[at] = u32::try_from(i).ok()?;
        }
        Some(IdIndex { slots })
    }

    /// The product with `id`. At most half the slots are taken, so the probe ends.
    fn get(&self, products: &[Product], id: &str) -> Option<ProductIdx> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut at = fnv1a(id) & mask;
        loop {
            let i = self.slots[at];
            if i == Self::EMPTY {
                return None;
            }
            if products.get(i as usize)?.id == id {
                return Some(ProductIdx(i));
            }
            at = (at + 1) & mask;
        }
    }
}

/// The 32-bit FNV-1a hash of `s`.
fn fnv1a(s: &str) -> usize {
    let hash = s.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    hash as usize
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

/// Per-placement limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaxItems {
    /// Product page.
    pub product: usize,
    /// Cart.
    pub cart: usize,
    /// Checkout.
    pub checkout: usize,
    /// Order confirmation.
    pub confirmation: usize,
}

impl MaxItems {
    /// The limit for `placement`.
    pub fn of(&self, placement: Placement) -> usize {
        match placement {
            Placement::Product => self.product,
            Placement::Cart => self.cart,
            Placement::Checkout => self.checkout,
            Placement::Confirmation => self.confirmation,
        }
    }
}

/// Store-wide settings, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Store {
    /// Config name, for tools.
    pub name: String,
    /// The store currency.
    pub currency: Currency,
    /// Default BCP 47 locale.
    pub locale: String,
    /// Basket value from which shipping is free.
    pub free_shipping_threshold: Option<Money>,
    /// Suggestion limits per section of each placement.
    pub max_items: MaxItems,
    /// Percent off a whole bundle, when the store grants one.
    pub bundle_discount_percent: Option<f64>,
    /// The discount code that grants it, applied after a whole bundle is added.
    pub bundle_discount_code: Option<String>,
    /// The store grants it by itself.
    pub bundle_discount_automatic: bool,
    /// The widget's texts, by locale.
    pub translations: Translations,
    /// Dismissal and frequency-cap periods.
    pub frequency_cap: FrequencyCap,
    /// The holdout split, if the store runs one.
    pub holdout: Option<Holdout>,
    /// Mirror events into `window.dataLayer`.
    pub data_layer: bool,
}

/// How long the widget leaves a product alone, in days (see `store.frequency_cap`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrequencyCap {
    /// After "Not interested".
    pub dismiss_days: u32,
    /// Impressions without a click before a rest; 0 = no cap.
    pub impressions: u32,
    /// Length of the rest.
    pub rest_days: u32,
}

/// A validated holdout split.
#[derive(Clone, Debug, PartialEq)]
pub struct Holdout {
    /// Experiment name, part of the bucketing hash.
    pub experiment: String,
    /// Held-out share in basis points (1% = 100), so bucketing is integer arithmetic.
    pub basis_points: u32,
}

/// A purchasable variant.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// The store's variant id.
    pub id: String,
    /// E.g. "White".
    pub title: String,
    /// Price of this variant.
    pub price: Money,
    /// Can be added.
    pub in_stock: bool,
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
    /// Never suggested when false: the product is marked out of stock, or all its
    /// variants are.
    pub in_stock: bool,
    /// Variants, in config order.
    pub variants: Vec<Variant>,
    /// Comparable attributes, sorted by name.
    pub attributes: Vec<(String, String)>,
    pub(crate) category_key: Option<u32>,
    pub(crate) tag_keys: Vec<u32>,
}

impl Product {
    /// The variant an "Add to cart" adds: the first one in stock (none if the product has
    /// no variants).
    pub fn default_variant(&self) -> Option<&Variant> {
        self.variants.iter().find(|v| v.in_stock)
    }

    /// The price of what "Add to cart" adds.
    pub fn price_to_add(&self) -> Money {
        self.default_variant().map_or(self.price, |v| v.price)
    }

    /// The value of an attribute.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
            .map(|i| self.attributes[i].1.as_str())
    }
}

/// A rule, validated, with resolved references.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Unique rule id.
    pub id: String,
    /// Higher first.
    pub priority: i32,
    /// At most this many products from this rule.
    pub limit: Option<usize>,
    /// When it applies; `None` for the many rules (all mined ones) that have no
    /// conditions, which keeps `Rule` small and a 200,000-rule config cheap to build.
    pub(super) conditions: Option<Box<Conditions>>,
    /// The rule's own texts, by locale (as written).
    pub copy: Vec<(String, RawRuleCopy)>,
    /// Hand-made or mined.
    pub source: RuleSource,
    /// What the rule does.
    pub kind: RuleKind,
}

impl Rule {
    /// When the rule applies.
    pub fn conditions(&self) -> &Conditions {
        static NONE: Conditions = Conditions::NONE;
        self.conditions.as_deref().unwrap_or(&NONE)
    }
}

/// The rule kinds.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleKind {
    /// Association rule `antecedent → consequent`.
    BoughtTogether(BoughtTogether),
    /// Hand-made suggestions when conditions hold.
    CrossSell(CrossSell),
    /// A better version of some products.
    Upgrade(Upgrade),
    /// Extras for matching products.
    AddOn(AddOn),
    /// Free-shipping gap fillers.
    Threshold(Threshold),
}

impl RuleKind {
    /// Which kind of rule it is.
    pub fn kind(&self) -> Kind {
        match self {
            RuleKind::BoughtTogether(_) => Kind::BoughtTogether,
            RuleKind::CrossSell(_) => Kind::CrossSell,
            RuleKind::Upgrade(_) => Kind::Upgrade,
            RuleKind::AddOn(_) => Kind::AddOn,
            RuleKind::Threshold(_) => Kind::Threshold,
        }
    }

    /// The `kind` tag as written in the config.
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }
}

/// A resolved association rule.
#[derive(Clone, Debug, PartialEq)]
pub struct BoughtTogether {
    /// All must be present for the rule to fire.
    pub antecedent: Vec<ProductIdx>,
    /// Suggested items.
    pub consequent: Vec<ProductIdx>,
    /// Measures, when mined or given.
    pub measures: Measures,
}

/// A resolved cross-sell.
#[derive(Clone, Debug, PartialEq)]
pub struct CrossSell {
    /// Products to suggest: listed ones in order, then matching categories/tags in catalog
    /// order, without repeats.
    pub suggest: Vec<ProductIdx>,
}

/// A resolved upgrade.
#[derive(Clone, Debug, PartialEq)]
pub struct Upgrade {
    /// What it upgrades.
    pub from: Vec<ProductIdx>,
    /// The better version.
    pub to: ProductIdx,
    /// Attributes to compare.
    pub compare: Vec<String>,
}

/// A resolved add-on rule.
#[derive(Clone, Debug, PartialEq)]
pub struct AddOn {
    /// What the extras go with.
    pub trigger: Selector,
    /// The extras, in order.
    pub add_ons: Vec<ProductIdx>,
}

/// A resolved free-shipping rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Threshold {
    /// Candidates sorted by price, then catalog order.
    pub by_price: Vec<ProductIdx>,
}

/// Products, categories and tags, resolved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector {
    pub(crate) products: Vec<ProductIdx>,
    pub(crate) categories: Vec<u32>,
    pub(crate) tags: Vec<u32>,
}

impl Selector {
    const EMPTY: Selector = Selector {
        products: Vec::new(),
        categories: Vec::new(),
        tags: Vec::new(),
    };

    /// Nothing listed (matches nothing; as a condition, it does not constrain).
    pub fn is_empty(&self) -> bool {
        self.products.is_empty() && self.categories.is_empty() && self.tags.is_empty()
    }

    /// Whether `product` is listed, in a listed category, or has a listed tag.
    pub fn matches(&self, product: ProductIdx, p: &Product) -> bool {
        self.products.contains(&product)
            || p.category_key.is_some_and(|c| self.categories.contains(&c))
            || p.tag_keys.iter().any(|t| self.tags.contains(t))
    }
}

/// When a rule applies, compiled.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Conditions {
    /// Bit set of allowed placements; 0 means all.
    pub(crate) placements: u8,
    pub(crate) viewing: Selector,
    pub(crate) any: Selector,
    pub(crate) all: Selector,
    pub(crate) none: Selector,
    pub(crate) min_value: Option<Money>,
    pub(crate) max_value: Option<Money>,
    pub(crate) segments: Vec<String>,
    /// Unix seconds, inclusive.
    pub(crate) from: Option<i64>,
    /// Unix seconds, exclusive.
    pub(crate) until: Option<i64>,
    /// No condition at all: evaluation skips the checks.
    pub(crate) trivial: bool,
}

impl Conditions {
    /// No conditions at all.
    pub const NONE: Conditions = Conditions {
        placements: 0,
        viewing: Selector::EMPTY,
        any: Selector::EMPTY,
        all: Selector::EMPTY,
        none: Selector::EMPTY,
        min_value: None,
        max_value: None,
        segments: Vec::new(),
        from: None,
        until: None,
        trivial: true,
    };

    /// Whether a rule with these conditions may show in `placement`.
    pub fn allows(&self, placement: Placement) -> bool {
        self.placements == 0 || self.placements & placement.bit() != 0
    }

    /// The customer segments the rule is for (any of them; empty: every shopper).
    pub fn segments(&self) -> &[String] {
        &self.segments
    }
}

/// Rules indexed by what triggers them, so an evaluation visits only rules that can fire.
#[derive(Clone, Debug, Default)]
pub(crate) struct TriggerIndex {
    pub(crate) by_product: Vec<Vec<RuleIdx>>,
    pub(crate) by_category: Vec<Vec<RuleIdx>>,
    pub(crate) by_tag: Vec<Vec<RuleIdx>>,
}

impl TriggerIndex {
    pub(crate) fn new(products: usize, categories: usize, tags: usize) -> TriggerIndex {
        TriggerIndex {
            by_product: vec![Vec::new(); products],
            by_category: vec![Vec::new(); categories],
            by_tag: vec![Vec::new(); tags],
        }
    }

    /// How many products, categories and tags it is indexed by.
    pub(crate) fn dims(&self) -> (usize, usize, usize) {
        (
            self.by_product.len(),
            self.by_category.len(),
            self.by_tag.len(),
        )
    }

    /// Registers `rule` under every key of `selector`.
    pub(crate) fn add(&mut self, selector: &Selector, rule: RuleIdx) {
        for p in &selector.products {
            self.by_product[p.get()].push(rule);
        }
        for &c in &selector.categories {
            self.by_category[c as usize].push(rule);
        }
        for &t in &selector.tags {
            self.by_tag[t as usize].push(rule);
        }
    }

    /// Appends `(rule, product)` for the rules registered under `product`'s keys.
    pub(crate) fn collect(
        &self,
        product: ProductIdx,
        p: &Product,
        out: &mut Vec<(RuleIdx, ProductIdx)>,
    ) {
        let mut push = |rules: &[RuleIdx]| out.extend(rules.iter().map(|&r| (r, product)));
        push(&self.by_product[product.get()]);
        if let Some(c) = p.category_key {
            push(&self.by_category[c as usize]);
        }
        for &t in &p.tag_keys {
            push(&self.by_tag[t as usize]);
        }
    }
}

/// The rules of one hand-made kind, by trigger.
#[derive(Clone, Debug, Default)]
pub(crate) struct Triggers {
    /// By the page's product (`viewing`, upgrade `from`, add-on `trigger`).
    pub(crate) on_page: TriggerIndex,
    /// By basket lines.
    pub(crate) in_basket: TriggerIndex,
    /// With no product trigger: evaluated on every call.
    pub(crate) always: Vec<RuleIdx>,
}

/// Hand-made rules, one index per kind, so each section visits only its own rules.
#[derive(Clone, Debug, Default)]
pub(crate) struct HandIndex {
    pub(crate) cross_sell: Triggers,
    pub(crate) upgrade: Triggers,
    pub(crate) add_on: Triggers,
    pub(crate) threshold: Vec<RuleIdx>,
}

/// One bought-together suggestion edge `anchor → target`, 32 bytes, stored contiguously
/// per anchor: evaluating a popular product reads a few cache lines, not its rules.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Edge {
    pub(crate) target: ProductIdx,
    pub(crate) rule: RuleIdx,
    pub(crate) strength: f64,
    /// The rule's confidence for the best-rule share of the score ([`Ranking::peak`]).
    pub(crate) confidence: f64,
    pub(crate) priority: i32,
    /// A one-item antecedent, no conditions, no limit: nothing to check but the filters.
    pub(crate) simple: bool,
}

/// Edges grouped by anchor (compressed sparse rows).
#[derive(Clone, Debug, Default)]
pub(crate) struct Adjacency {
    pub(super) offsets: Vec<u32>,
    pub(super) edges: Vec<Edge>,
}

impl Adjacency {
    /// Builds from `(anchor, edge)` pairs; edges keep their order within an anchor.
    pub(crate) fn build(nodes: usize, pairs: &[(ProductIdx, Edge)]) -> Adjacency {
        let mut offsets = vec![0u32; nodes + 1];
        for (anchor, _) in pairs {
            offsets[anchor.get() + 1] += 1;
        }
        for i in 0..nodes {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let placeholder = Edge {
            target: ProductIdx(0),
            rule: RuleIdx(0),
            strength: 0.0,
            confidence: 0.0,
            priority: 0,
            simple: true,
        };
        let mut edges = vec![placeholder; pairs.len()];
        for (anchor, edge) in pairs {
            let slot = &mut next[anchor.get()];
            edges[*slot as usize] = *edge;
            *slot += 1;
        }
        Adjacency { offsets, edges }
    }

    /// Whether the rows are well formed for `nodes` anchors (a compiled config's check).
    pub(crate) fn is_consistent(&self, nodes: usize) -> bool {
        self.offsets.len() == nodes + 1
            && self.offsets.first() == Some(&0)
            && self.offsets.windows(2).all(|w| w[0] <= w[1])
            && self.offsets.last().map(|&n| n as usize) == Some(self.edges.len())
    }

    /// Every edge, for re-weighting.
    pub(crate) fn edges_mut(&mut self) -> &mut [Edge] {
        &mut self.edges
    }

    /// The edges anchored on `p`.
    pub(crate) fn of(&self, p: ProductIdx) -> &[Edge] {
        &self.edges[self.offsets[p.get()] as usize..self.offsets[p.get() + 1] as usize]
    }
}

/// A validated config with its lookup indexes.
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) store: Store,
    pub(crate) products: Vec<Product>,
    pub(crate) rules: Vec<Rule>,
    /// Every product's index by its id.
    pub(crate) by_id: IdIndex,
    /// `in_stock` of every product, compact: checked for every candidate.
    pub(crate) stock: Vec<bool>,
    /// Bought-together rules as edges by one antecedent item, the one in the fewest
    /// antecedents. A rule fires only when its whole antecedent is present, so its anchor
    /// is present too: visiting the anchors of present items visits each candidate rule.
    pub(crate) bought: Adjacency,
    /// How rule measures became the edges' strengths.
    pub(crate) ranking: Ranking,
    /// Hand-made rules by kind and trigger.
    pub(crate) hand: HandIndex,
    pub(crate) warnings: Vec<Problem>,
    /// A sharded config's shard folder (see [`super::shard`]).
    pub(crate) shards: Option<String>,
}

impl Config {
    /// The same config ranking bought-together rules by `ranking` instead of its own
    /// (`store.ranking`, else [`Ranking::DEFAULT`]): for offline tuning.
    pub fn with_ranking(mut self, ranking: Ranking) -> Config {
        self.set_ranking(ranking);
        self
    }

    /// Like [`Config::with_ranking`], in place.
    pub fn set_ranking(&mut self, ranking: Ranking) {
        let rules = &self.rules;
        for edge in self.bought.edges_mut() {
            if let RuleKind::BoughtTogether(bt) = &rules[edge.rule.get()].kind {
                edge.strength = ranking.strength(&bt.measures, bt.antecedent.len());
                edge.confidence = ranking.confidence(&bt.measures);
            }
        }
        self.ranking = ranking;
    }

    /// How bought-together rules are ranked.
    pub fn ranking(&self) -> Ranking {
        self.ranking
    }

    /// Keeps the final (located, sorted) warnings.
    pub(crate) fn with_warnings(mut self, problems: &[Problem]) -> Config {
        self.warnings = problems
            .iter()
            .filter(|p| p.severity == super::problem::Severity::Warning)
            .cloned()
            .collect();
        self
    }

    /// The shard folder, when this is the core of a sharded config (see [`super::shard`]): the
    /// products' shards are to be fetched and merged with [`super::shard::ShardSet`].
    pub fn shards(&self) -> Option<&str> {
        self.shards.as_deref()
    }

    /// Store settings.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// All products, in config order.
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// All rules, in config order (without the ones left out for errors).
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
        self.by_id.get(&self.products, id)
    }

    /// Looks a product up by id.
    pub fn product_by_id(&self, id: &str) -> Option<&Product> {
        self.product_idx(id).map(|i| self.product(i))
    }

    /// Looks a rule up by id.
    pub fn rule_by_id(&self, id: &str) -> Option<(RuleIdx, &Rule)> {
        self.rules
            .iter()
            .enumerate()
            .find(|(_, r)| r.id == id)
            .map(|(i, r)| (RuleIdx(i as u32), r))
    }

    /// Problems that do not stop the config from working (e.g. a rule that only ever
    /// suggests out-of-stock items).
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }

    /// Texts and formatting locale for a page that asks for `requested` (its language).
    pub fn locale(&self, requested: Option<&str>) -> Locale<'_> {
        self.store.translations.resolve(requested)
    }

    /// A rule's own texts in `locale`, if it has some in that language.
    pub fn rule_copy(&self, rule: RuleIdx, locale: &str) -> Option<&RawRuleCopy> {
        let copy = &self.rule(rule).copy;
        let tag = crate::copy::best_match(copy.iter().map(|(t, _)| t.as_str()), locale)?;
        copy.iter().find(|(t, _)| t == tag).map(|(_, c)| c)
    }
}
