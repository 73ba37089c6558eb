//! Sharding: a catalog too large for one file.
//!
//! [`split`] (behind `cartlift shard`) turns a config into a small core (store settings,
//! the rules that fire without any product, and the catalog entries they need), one shard
//! per product (the rules that product can fire, on its page or in a basket, and the
//! catalog entries those rules need) and a cart shard (the free-shipping rules and their
//! fillers, and the rules that fire without any product but only in the cart or checkout,
//! which only the cart and checkout show). A page fetches the core, then the
//! shards of its product and basket lines (and the cart shard on cart pages); [`ShardSet`] merges them in the whole config's order, so
//! ranking ties break as they would with one file and the widget suggests what it would
//! have suggested from the whole config (within the bounds of [`Limits`]).
//!
//! ```
//! use cartlift_engine::config::shard::{split, Limits, ShardSet};
//! use cartlift_engine::{Context, Placement, RawConfig};
//!
//! let raw: RawConfig = serde_json::from_str(r#"{"version": 1, "store": {"currency": "USD"},
//!   "catalog": [{"id": "cam", "title": "Camera", "price": 89},
//!               {"id": "cable", "title": "Cable", "price": 9},
//!               {"id": "disk", "title": "Disk", "price": 59}],
//!   "rules": [{"kind": "bought_together", "id": "r", "antecedent": ["cam"],
//!              "consequent": ["cable"], "confidence": 0.6}]}"#).unwrap();
//! let sharded = split(&raw, "shards/", Limits::default()).unwrap();
//! assert!(sharded.core.catalog.is_empty());
//! let (_, cam) = sharded.shards.iter().find(|(id, _)| id == "cam").unwrap();
//!
//! let mut page = ShardSet::new(sharded.core.clone()).unwrap();
//! assert_eq!(page.url_of("cam"), "shards/cam.json");
//! page.add("cam", Some(cam.clone()));
//! let (config, problems) = page.build();
//! assert!(problems.is_empty());
//! let config = config.unwrap();
//! let recs = config.recommend(&Context::new(Placement::Product, 0).product("cam"));
//! let ids: Vec<&str> = recs.products().map(|p| config.product(p).id.as_str()).collect();
//! assert_eq!(ids, ["cable"]);
//! ```

use super::model::{Config, ProductIdx, RuleKind, Selector};
use super::path::JsonPath;
use super::problem::{ConfigError, Problem, ProblemKind};
use super::raw::{CONFIG_VERSION, RawConfig, RawProduct, RawRule, RawShard, RawShards, RuleSource};
use crate::placement::Placement;

/// How [`split`] bounds a shard, so that a product page's config stays small whatever the
/// size of the catalog. Where a bound bites, the sharded widget can suggest less than the
/// whole config would: only candidates beyond it are lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Mined bought-together rules kept per product: the strongest (priority, then
    /// confidence, then lift). Hand-written rules are always kept.
    pub mined_per_product: usize,
    /// Products a category- or tag-wide suggestion carries: the first in catalog order
    /// (the engine takes them in that order).
    pub suggested: usize,
    /// Free-shipping fillers in the cart shard, shared by the threshold rules (at least 4
    /// each), spread over each rule's candidates' prices.
    pub fillers: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            mined_per_product: 50,
            suggested: 24,
            fillers: 64,
        }
    }
}

/// A config split into a core and shards.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    /// The core file: store settings, the rules no product triggers, their entries, and
    /// where the shards are.
    pub core: RawConfig,
    /// `(product id, shard)` for every product of the catalog, in catalog order.
    pub shards: Vec<(String, RawShard)>,
    /// The free-shipping rules and their fillers ([`CART_SHARD`]), if there are any.
    pub cart: Option<RawShard>,
}

/// The cart shard's file name (no product's [`file_name`] has a second `.`).
pub const CART_SHARD: &str = "cart.shard.json";

/// The key under which [`ShardSet`] knows the cart shard (no product id is empty).
const CART_KEY: &str = "";

/// The file name of `product`'s shard: [`safe_name`] with `.json`.
pub fn file_name(product: &str) -> String {
    let mut name = safe_name(product);
    name.push_str(".json");
    name
}

/// An id (a product's, an order's) as a file name without its extension: every
/// character but ASCII letters, digits, `-` and `_` written as `~XX` (its UTF-8 bytes in
/// hex), so any id is a safe file name and URL path segment and no two ids share one;
/// very long ids keep 96 characters and a hash.
pub fn safe_name(id: &str) -> String {
    let product = id;
    let mut name = String::with_capacity(product.len() + 5);
    for b in product.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            name.push(char::from(b));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            name.push('~');
            name.push(char::from(HEX[usize::from(b >> 4)]));
            name.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    if name.len() > 128 {
        // FNV-1a: stable everywhere, unlike a seeded hasher.
        let hash = product.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        name.truncate(96);
        name.push_str("~~");
        for shift in (0..16).rev() {
            let digit = (hash >> (shift * 4)) & 15;
            name.push(char::from(b"0123456789abcdef"[digit as usize]));
        }
    }
    name
}

/// Splits a valid config (`path`: the shard folder, relative to the core file or
/// absolute). Errors: the config does not validate, or is a core already.
pub fn split(raw: &RawConfig, path: &str, limits: Limits) -> Result<Split, ConfigError> {
    if raw.shards.is_some() {
        return Err(ConfigError::new(vec![Problem::error(
            ProblemKind::BadShards,
            JsonPath::root().key("shards"),
            "this is the core of a sharded config already: split the whole config",
        )]));
    }
    let config = Config::build(raw)?;
    let products = config.products();
    // With no errors every entry and rule is built, in order: positions are shared.
    debug_assert_eq!(products.len(), raw.catalog.len());
    debug_assert_eq!(config.rules().len(), raw.rules.len());
    let mut by_category: Vec<Vec<ProductIdx>> = Vec::new();
    let mut by_tag: Vec<Vec<ProductIdx>> = Vec::new();
    fn add(members: &mut Vec<Vec<ProductIdx>>, key: u32, idx: ProductIdx) {
        let key = key as usize;
        if members.len() <= key {
            members.resize_with(key + 1, Vec::new);
        }
        members[key].push(idx);
    }
    for (i, p) in products.iter().enumerate() {
        let idx = ProductIdx(i as u32);
        if let Some(key) = p.category_key {
            add(&mut by_category, key, idx);
        }
        for &key in &p.tag_keys {
            add(&mut by_tag, key, idx);
        }
    }
    let members = |keys: &[u32], of: &[Vec<ProductIdx>]| -> Vec<ProductIdx> {
        keys.iter()
            .flat_map(|k| of.get(*k as usize).into_iter().flatten().copied())
            .collect()
    };
    // Every product a selector can match.
    let expand = |s: &Selector| -> Vec<ProductIdx> {
        let mut all = s.products.clone();
        all.extend(members(&s.categories, &by_category));
        all.extend(members(&s.tags, &by_tag));
        all
    };
    // The listed products and one product of each named category and tag: enough for
    // the rule to validate in a partial config (the basket's and page's own entries come
    // with their shards).
    let named = |s: &Selector| -> Vec<ProductIdx> {
        let first = |keys: &[u32], of: &[Vec<ProductIdx>]| -> Vec<ProductIdx> {
            keys.iter()
                .filter_map(|k| of.get(*k as usize).and_then(|m| m.first()).copied())
                .collect()
        };
        let mut all = s.products.clone();
        all.extend(first(&s.categories, &by_category));
        all.extend(first(&s.tags, &by_tag));
        all
    };

    let thresholds = config
        .rules()
        .iter()
        .filter(|r| matches!(r.kind, RuleKind::Threshold(_)))
        .count();
    let fillers_per_rule = (limits.fillers / thresholds.max(1)).max(4);
    let mut rules_of: Vec<Vec<usize>> = vec![Vec::new(); products.len()];
    let mut core_rules = Vec::new();
    let mut cart_rules = Vec::new();
    let mut needs: Vec<Vec<ProductIdx>> = Vec::with_capacity(raw.rules.len());
    for (i, rule) in config.rules().iter().enumerate() {
        let c = rule.conditions();
        let mut need: Vec<ProductIdx> = [&c.viewing, &c.any, &c.all, &c.none]
            .into_iter()
            .flat_map(&named)
            .collect();
        let triggers = match &rule.kind {
            RuleKind::BoughtTogether(bt) => {
                need.extend(&bt.antecedent);
                need.extend(&bt.consequent);
                bt.antecedent.clone()
            }
            RuleKind::Upgrade(u) => {
                need.extend(&u.from);
                need.push(u.to);
                u.from.clone()
            }
            RuleKind::AddOn(a) => {
                need.extend(&a.add_ons);
                need.extend(named(&a.trigger));
                expand(&a.trigger)
            }
            RuleKind::CrossSell(x) => {
                need.extend(x.suggest.iter().take(limits.suggested));
                [&c.viewing, &c.any, &c.all]
                    .into_iter()
                    .flat_map(&expand)
                    .collect()
            }
            RuleKind::Threshold(t) => {
                need.extend(spread(&t.by_price, fillers_per_rule));
                Vec::new()
            }
        };
        // A rule nothing triggers goes to the core, unless only the cart and checkout can
        // show it (an empty cart's best sellers): then to the cart shard, which only they
        // fetch, so product pages do not carry it and its products.
        let cart_only = !c.allows(Placement::Product) && !c.allows(Placement::Confirmation);
        if matches!(rule.kind, RuleKind::Threshold(_)) || (triggers.is_empty() && cart_only) {
            cart_rules.push(i);
        } else if triggers.is_empty() {
            core_rules.push(i);
        }
        for t in triggers {
            let of = &mut rules_of[t.get()];
            if of.last() != Some(&i) {
                of.push(i);
            }
        }
        needs.push(need);
    }

    let mined = |i: usize| matches!(&raw.rules[i], RawRule::BoughtTogether(b) if b.source == RuleSource::Mined);
    let strength = |i: usize| {
        let rule = &config.rules()[i];
        let m = match &rule.kind {
            RuleKind::BoughtTogether(bt) => bt.measures,
            _ => Default::default(),
        };
        (
            rule.priority,
            m.confidence.unwrap_or(0.0),
            m.lift.unwrap_or(0.0),
        )
    };
    let entries = |rules: &[usize], also: Option<ProductIdx>| -> Vec<usize> {
        let mut catalog: Vec<usize> = also.into_iter().map(ProductIdx::get).collect();
        catalog.extend(rules.iter().flat_map(|&i| needs[i].iter().map(|p| p.get())));
        crate::sort::sort(&mut catalog);
        catalog.dedup();
        catalog
    };
    let shard_of = |rules: &[usize], catalog: &[usize]| RawShard {
        version: CONFIG_VERSION,
        catalog: catalog.iter().map(|&j| raw.catalog[j].clone()).collect(),
        catalog_at: catalog.iter().map(|&j| j as u32).collect(),
        rules: rules.iter().map(|&i| raw.rules[i].clone()).collect(),
        rules_at: rules.iter().map(|&i| i as u32).collect(),
    };
    let shards = products
        .iter()
        .enumerate()
        .map(|(p, product)| {
            let (mut kept, mut strong): (Vec<usize>, Vec<usize>) =
                rules_of[p].iter().partition(|&&i| !mined(i));
            if strong.len() > limits.mined_per_product {
                crate::sort::sort_by(&mut strong, |&a, &b| {
                    let (sa, sb) = (strength(a), strength(b));
                    sb.0.cmp(&sa.0)
                        .then(sb.1.total_cmp(&sa.1))
                        .then(sb.2.total_cmp(&sa.2))
                        .then(a.cmp(&b))
                });
                strong.truncate(limits.mined_per_product);
            }
            kept.extend(strong);
            crate::sort::sort(&mut kept);
            let catalog = entries(&kept, Some(ProductIdx(p as u32)));
            (product.id.clone(), shard_of(&kept, &catalog))
        })
        .collect();
    let cart = (!cart_rules.is_empty()).then(|| shard_of(&cart_rules, &entries(&cart_rules, None)));
    let catalog = entries(&core_rules, None);
    let core = RawConfig {
        schema: raw.schema.clone(),
        version: raw.version,
        store: raw.store.clone(),
        catalog: catalog.iter().map(|&j| raw.catalog[j].clone()).collect(),
        rules: core_rules.iter().map(|&i| raw.rules[i].clone()).collect(),
        shards: Some(RawShards {
            path: path.to_owned(),
            catalog_at: catalog.iter().map(|&j| j as u32).collect(),
            rules_at: core_rules.iter().map(|&i| i as u32).collect(),
            cart: cart.is_some(),
        }),
    };
    Ok(Split { core, shards, cart })
}

/// At most `n` of `sorted` (by price), evenly spread, always with the first and last: a
/// free-shipping gap of any size finds candidates near it.
fn spread(sorted: &[ProductIdx], n: usize) -> Vec<ProductIdx> {
    if sorted.len() <= n || n < 2 {
        return sorted.iter().take(n).copied().collect();
    }
    (0..n)
        .map(|k| sorted[k * (sorted.len() - 1) / (n - 1)])
        .collect()
}

/// A sharded config as a page holds it: the core and the shards fetched so far, merged
/// by their positions in the whole config.
#[derive(Clone, Debug)]
pub struct ShardSet {
    core: RawConfig,
    path: String,
    /// The core has a cart shard.
    cart: bool,
    catalog: Vec<(u32, RawProduct)>,
    rules: Vec<(u32, RawRule)>,
    /// Products whose shard was merged, or found missing.
    loaded: Vec<String>,
}

impl ShardSet {
    /// The set for a core; `None` if `core` is not a sharded config's core.
    pub fn new(mut core: RawConfig) -> Option<ShardSet> {
        let shards = core.shards.take()?;
        let catalog = shards
            .catalog_at
            .into_iter()
            .zip(std::mem::take(&mut core.catalog))
            .collect();
        let rules = shards
            .rules_at
            .into_iter()
            .zip(std::mem::take(&mut core.rules))
            .collect();
        let mut set = ShardSet {
            core,
            path: shards.path,
            cart: shards.cart,
            catalog: Vec::new(),
            rules: Vec::new(),
            loaded: Vec::new(),
        };
        set.merge(catalog, rules);
        Some(set)
    }

    /// Where `product`'s shard is, relative to the core file.
    pub fn url_of(&self, product: &str) -> String {
        format!("{}{}", self.path, file_name(product))
    }

    /// Where the cart shard is, relative to the core file, if the config has one (the
    /// cart and checkout placements need it; see [`ShardSet::add_cart`]).
    pub fn cart_url(&self) -> Option<String> {
        self.cart
            .then(|| format!("{}{CART_SHARD}", self.path))
            .filter(|_| !self.has(CART_KEY))
    }

    /// Adds the cart shard (`None`: it could not be had).
    pub fn add_cart(&mut self, shard: Option<RawShard>) {
        self.add(CART_KEY, shard);
    }

    /// Whether `product`'s shard was added (or found missing).
    pub fn has(&self, product: &str) -> bool {
        self.loaded.iter().any(|p| p == product)
    }

    /// Adds `product`'s shard; `None` when it has none (not in the catalog).
    pub fn add(&mut self, product: &str, shard: Option<RawShard>) {
        if self.has(product) {
            return;
        }
        self.loaded.push(product.to_owned());
        if let Some(shard) = shard {
            let catalog = shard.catalog_at.into_iter().zip(shard.catalog).collect();
            let rules = shard.rules_at.into_iter().zip(shard.rules).collect();
            self.merge(catalog, rules);
        }
    }

    fn merge(&mut self, catalog: Vec<(u32, RawProduct)>, rules: Vec<(u32, RawRule)>) {
        insert(&mut self.catalog, catalog);
        insert(&mut self.rules, rules);
    }

    /// The config of what is loaded, built keeping what is valid (as
    /// [`Config::build_lenient`]).
    pub fn build(&self) -> (Option<Config>, Vec<Problem>) {
        let raw = RawConfig {
            catalog: self.catalog.iter().map(|(_, p)| p.clone()).collect(),
            rules: self.rules.iter().map(|(_, r)| r.clone()).collect(),
            shards: Some(RawShards {
                path: self.path.clone(),
                catalog_at: self.catalog.iter().map(|(at, _)| *at).collect(),
                rules_at: self.rules.iter().map(|(at, _)| *at).collect(),
                cart: self.cart,
            }),
            ..self.core.clone()
        };
        Config::build_lenient(&raw)
    }
}

/// Inserts entries by position; a position already there is kept (a rule arrives with
/// the shard of each product that triggers it).
fn insert<T>(into: &mut Vec<(u32, T)>, entries: Vec<(u32, T)>) {
    for (at, entry) in entries {
        if let Err(i) = into.binary_search_by_key(&at, |(a, _)| *a) {
            into.insert(i, (at, entry));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_distinct() {
        assert_eq!(file_name("cam-dome_4mp"), "cam-dome_4mp.json");
        assert_eq!(file_name("../etc/passwd"), "~2E~2E~2Fetc~2Fpasswd.json");
        assert_eq!(file_name("a b"), "a~20b.json");
        assert_eq!(file_name("é"), "~C3~A9.json");
        let long = "x".repeat(300);
        let name = file_name(&long);
        assert_eq!(name.len(), 96 + 2 + 16 + 5);
        assert_ne!(name, file_name(&"x".repeat(301)));
    }

    #[test]
    fn spread_keeps_the_ends_and_bounds() {
        let ids: Vec<ProductIdx> = (0..100).map(ProductIdx).collect();
        let picked = spread(&ids, 5);
        assert_eq!(
            picked.iter().map(|p| p.get()).collect::<Vec<_>>(),
            [0, 24, 49, 74, 99]
        );
        assert_eq!(spread(&ids[..3], 5).len(), 3);
    }
}
