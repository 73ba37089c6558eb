//! Validation and indexing: [`RawConfig`] → [`Config`], collecting every problem.
//!
//! Each product and rule is checked on its own; one with an error is left out (and the
//! error reported) while the rest is built, so the lenient entry points can still serve
//! the valid part. References to a product that was left out for its own error do not
//! produce a second, misleading "unknown product" error.

use super::model::{
    AddOn, Adjacency, BoughtTogether, Conditions, Config, CrossSell, Edge, FrequencyCap, HandIndex,
    Holdout, IdIndex, MaxItems, Product, ProductIdx, Rule, RuleIdx, RuleKind, Selector, Store,
    Threshold, TriggerIndex, Triggers, Upgrade, Variant,
};
use super::path::JsonPath;
use super::problem::{
    ConfigError, Problem, ProblemKind, Severity, closest, did_you_mean, sort_for_people,
};
use super::ranking::{Measures, Ranking};
use super::raw::{
    CONFIG_VERSION, RawAddOn, RawBoughtTogether, RawConditions, RawConfig, RawCrossSell,
    RawProduct, RawRule, RawSelector, RawThreshold, RawUpgrade, RuleSource,
};
use crate::FxHashMap;
use crate::copy::Translations;
use crate::money::{Currency, Money};
use crate::placement::Placement;
use crate::time::{is_whole_date, parse_moment};
use crate::url::check_url;
use std::collections::HashSet;

impl Config {
    /// Validates and indexes a raw config; every problem is reported, not just the first.
    pub fn build(raw: &RawConfig) -> Result<Config, ConfigError> {
        let (config, problems) = Config::build_lenient(raw);
        match config {
            Some(config) if !problems.iter().any(|p| p.severity == Severity::Error) => Ok(config),
            _ => Err(ConfigError::new(problems)),
        }
    }

    /// Like [`Config::build`], keeping what is valid: products and rules with errors are
    /// left out and everything else works. `None` only when nothing usable remains (wrong
    /// version, unusable store settings).
    pub fn build_lenient(raw: &RawConfig) -> (Option<Config>, Vec<Problem>) {
        let (config, mut problems) = build(raw, &Broken::default());
        sort_for_people(&mut problems);
        (config.map(|c| c.with_warnings(&problems)), problems)
    }
}

/// What the reader already left out, so the builder neither double-reports nor misplaces
/// problems.
#[derive(Debug, Default)]
pub(crate) struct Broken {
    /// Ids of catalog entries left out for their own errors.
    pub(crate) products: HashSet<String>,
    /// Original positions of the catalog entries passed in (empty: identity).
    pub(crate) catalog_index: Vec<usize>,
    /// Original positions of the rules passed in (empty: identity).
    pub(crate) rules_index: Vec<usize>,
}

impl Broken {
    fn catalog_path(&self, i: usize) -> JsonPath {
        JsonPath::root()
            .key("catalog")
            .index(self.catalog_index.get(i).copied().unwrap_or(i))
    }

    fn rule_path(&self, i: usize) -> JsonPath {
        JsonPath::root()
            .key("rules")
            .index(self.rules_index.get(i).copied().unwrap_or(i))
    }
}

/// Collects problems; `failed` marks the current item as unusable.
struct Check<'a> {
    problems: &'a mut Vec<Problem>,
    failed: bool,
}

impl Check<'_> {
    fn error(&mut self, kind: ProblemKind, path: JsonPath, message: impl Into<String>) {
        self.failed = true;
        self.problems.push(Problem::error(kind, path, message));
    }

    fn warning(&mut self, kind: ProblemKind, path: JsonPath, message: impl Into<String>) {
        self.problems.push(Problem::warning(kind, path, message));
    }
}

/// Which ids were seen, and where first, without copying them: the hash of each id →
/// its first position (the id itself is read back from the raw config to confirm), and
/// the rare id whose hash another id took, by value. A config with 200,000 rules costs
/// no string copies, and dropping it no 200,000 frees.
#[derive(Debug, Default)]
struct FirstSeen {
    by_hash: FxHashMap<u64, usize>,
    clashes: Vec<(String, usize)>,
}

impl FirstSeen {
    fn with_capacity(n: usize) -> FirstSeen {
        let mut by_hash = FxHashMap::default();
        by_hash.reserve(n);
        FirstSeen {
            by_hash,
            clashes: Vec::new(),
        }
    }

    /// Where `id` was first seen; if it is new, notes it at `at`. `id_at(j)` is the id
    /// noted at `j`.
    fn check<'r>(
        &mut self,
        id: &str,
        at: usize,
        id_at: impl Fn(usize) -> &'r str,
    ) -> Option<usize> {
        use std::collections::hash_map::Entry;
        use std::hash::BuildHasher;
        let hash = rustc_hash::FxBuildHasher.hash_one(id);
        match self.by_hash.entry(hash) {
            Entry::Vacant(slot) => {
                slot.insert(at);
                None
            }
            Entry::Occupied(slot) if id_at(*slot.get()) == id => Some(*slot.get()),
            Entry::Occupied(_) => {
                if let Some((_, first)) = self.clashes.iter().find(|(c, _)| c == id) {
                    return Some(*first);
                }
                self.clashes.push((id.to_owned(), at));
                None
            }
        }
    }
}

/// Interned category or tag names, with the products that have each.
#[derive(Debug, Default)]
struct Names(FxHashMap<String, u32>, Vec<Vec<ProductIdx>>);

impl Names {
    fn intern(&mut self, name: &str, product: ProductIdx) -> u32 {
        let next = self.0.len() as u32;
        let key = *self.0.entry(name.to_owned()).or_insert(next);
        if key == next {
            self.1.push(Vec::new());
        }
        self.1[key as usize].push(product);
        key
    }
}

pub(crate) fn build(raw: &RawConfig, broken: &Broken) -> (Option<Config>, Vec<Problem>) {
    let mut builder = Builder::new(raw);
    while !builder.step(raw, broken, usize::MAX) {}
    builder.finish()
}

/// [`build`] in steps, so a large config is validated without holding the page's main
/// thread: [`Builder::step`] takes a few catalog entries, then rules, at a time;
/// [`Builder::finish`] checks upgrade cycles and builds the indexes.
#[derive(Debug)]
pub(crate) struct Builder {
    problems: Vec<Problem>,
    fatal: bool,
    store: Store,
    catalog: Catalog,
    /// Catalog position of the first entry with each id, for duplicates.
    first_at: FirstSeen,
    rules: Vec<Rule>,
    /// Config position of each rule built.
    rule_index: Vec<usize>,
    /// Config position of the first rule with each id, for duplicates.
    seen_rules: FirstSeen,
    next_product: usize,
    next_rule: usize,
    /// The shard folder of a sharded config's core.
    shards: Option<String>,
    /// Set once every rule is checked and upgrade cycles are dropped: the indexes being
    /// built, and the next rule to index.
    index: Option<(HandIndex, usize)>,
    /// Bought-together edges, by anchor product.
    edges: Vec<(ProductIdx, Edge)>,
    /// How many bought-together rules each product is in the antecedent of: a rule with
    /// a longer antecedent is anchored on its least common item, so a popular basket
    /// item does not visit (and reject) every longer rule it is part of.
    in_antecedents: Vec<u32>,
    /// How bought-together rules' measures become scores (`store.ranking`).
    ranking: Ranking,
}

impl Builder {
    /// Checks the version and the store settings.
    pub(crate) fn new(raw: &RawConfig) -> Builder {
        let mut problems = Vec::new();
        let mut fatal = false;
        if raw.version != CONFIG_VERSION {
            fatal = true;
            problems.push(Problem::error(
                ProblemKind::UnsupportedVersion {
                    version: raw.version,
                },
                JsonPath::root().key("version"),
                format!(
                    "unsupported config version {}; this engine reads version {CONFIG_VERSION}",
                    raw.version
                ),
            ));
        }
        let mut check = Check {
            problems: &mut problems,
            failed: false,
        };
        let store = build_store(raw, &mut check);
        let ranking = build_ranking(raw, &mut check);
        let shards = raw.shards.as_ref().map(|sh| {
            let path = JsonPath::root().key("shards");
            if let Err(e) = check_url(&sh.path) {
                check.error(
                    ProblemKind::BadShards,
                    path.key("path"),
                    format!("the shard folder {e}"),
                );
            }
            for (key, at, of) in [
                ("catalog_at", sh.catalog_at.len(), raw.catalog.len()),
                ("rules_at", sh.rules_at.len(), raw.rules.len()),
            ] {
                if at != of {
                    check.error(
                        ProblemKind::BadShards,
                        path.key(key),
                        format!(
                            "{at} positions for {of} entries: write the core with `cartlift shard`"
                        ),
                    );
                }
            }
            sh.path.clone()
        });
        fatal |= check.failed;
        let mut catalog = Catalog {
            products: Vec::with_capacity(raw.catalog.len()),
            by_id: FxHashMap::default(),
            categories: Names::default(),
            tags: Names::default(),
            rejected: HashSet::new(),
        };
        catalog.by_id.reserve(raw.catalog.len());
        let first_at = FirstSeen::with_capacity(raw.catalog.len());
        let seen_rules = FirstSeen::with_capacity(raw.rules.len());
        Builder {
            problems,
            fatal,
            store,
            catalog,
            first_at,
            rules: Vec::with_capacity(raw.rules.len()),
            rule_index: Vec::with_capacity(raw.rules.len()),
            seen_rules,
            next_product: 0,
            next_rule: 0,
            shards,
            index: None,
            edges: Vec::new(),
            in_antecedents: Vec::new(),
            ranking,
        }
    }

    /// Does about `budget` units: checks catalog entries, then rules (they refer to the
    /// entries), then drops upgrade cycles and indexes the rules; `true` when all is done
    /// and [`Builder::finish`] may assemble the config. `raw` and `broken` are the ones
    /// [`Builder::new`] saw.
    pub(crate) fn step(&mut self, raw: &RawConfig, broken: &Broken, budget: usize) -> bool {
        let mut budget = budget.max(1);
        while budget > 0 {
            budget -= 1;
            if self.next_product < raw.catalog.len() {
                self.product(raw, self.next_product, broken);
                self.next_product += 1;
            } else if self.next_rule < raw.rules.len() {
                self.rule(raw, self.next_rule, broken);
                self.next_rule += 1;
            } else if self.index.is_none() {
                drop_upgrade_cycles(
                    &mut self.rules,
                    &self.rule_index,
                    &self.catalog.products,
                    broken,
                    &mut self.problems,
                );
                let (products, categories, tags) = (
                    self.catalog.products.len(),
                    self.catalog.categories.0.len(),
                    self.catalog.tags.0.len(),
                );
                let triggers = || Triggers {
                    on_page: TriggerIndex::new(products, categories, tags),
                    in_basket: TriggerIndex::new(products, categories, tags),
                    always: Vec::new(),
                };
                let hand = HandIndex {
                    cross_sell: triggers(),
                    upgrade: triggers(),
                    add_on: triggers(),
                    threshold: Vec::new(),
                };
                // A fatal problem leaves nothing to index.
                let start = if self.fatal { self.rules.len() } else { 0 };
                self.index = Some((hand, start));
            } else if let Some((hand, next)) = self.index.as_mut() {
                let Some(rule) = self.rules.get(*next) else {
                    return true;
                };
                index_rule(
                    hand,
                    &self.ranking,
                    &mut self.edges,
                    &self.in_antecedents,
                    RuleIdx(*next as u32),
                    rule,
                );
                *next += 1;
            }
        }
        matches!(&self.index, Some((_, next)) if *next >= self.rules.len())
    }

    fn product(&mut self, raw: &RawConfig, i: usize, broken: &Broken) {
        let p = &raw.catalog[i];
        let catalog = &mut self.catalog;
        let path = broken.catalog_path(i);
        let mut check = Check {
            problems: &mut self.problems,
            failed: false,
        };
        if p.id.trim().is_empty() {
            check.error(ProblemKind::EmptyId, path.key("id"), "product id is empty");
        } else if let Some(first) = self.first_at.check(&p.id, i, |j| &raw.catalog[j].id) {
            check.error(
                ProblemKind::DuplicateId { id: p.id.clone() },
                path.key("id"),
                format!(
                    "duplicate product id `{}` (first at {})",
                    p.id,
                    broken.catalog_path(first)
                ),
            );
        }
        let duplicate = check.failed;
        match build_product(p, self.store.currency, &path, &mut check) {
            Some(mut product) if !check.failed => {
                let idx = ProductIdx(catalog.products.len() as u32);
                product.category_key = p
                    .category
                    .as_deref()
                    .map(|c| catalog.categories.intern(c, idx));
                product.tag_keys = p.tags.iter().map(|t| catalog.tags.intern(t, idx)).collect();
                catalog.by_id.insert(p.id.clone(), idx);
                catalog.products.push(product);
            }
            _ if !duplicate => {
                catalog.rejected.insert(p.id.clone());
            }
            _ => {}
        }
    }

    fn rule(&mut self, raw: &RawConfig, i: usize, broken: &Broken) {
        let raw_rule = &raw.rules[i];
        let mut check = Check {
            problems: &mut self.problems,
            failed: false,
        };
        let id = raw_rule.id();
        if id.trim().is_empty() {
            check.error(
                ProblemKind::EmptyId,
                broken.rule_path(i).key("id"),
                "rule id is empty",
            );
        } else if let Some(first) = self.seen_rules.check(id, i, |j| raw.rules[j].id()) {
            let first = broken.rule_path(first);
            check.error(
                ProblemKind::DuplicateId { id: id.to_owned() },
                broken.rule_path(i).key("id"),
                format!("duplicate rule id `{id}` (first at {first})"),
            );
        }
        let rule = RuleBuilder {
            catalog: &self.catalog,
            store: &self.store,
            broken,
            index: i,
            id,
        }
        .build(raw_rule, &mut check);
        if let (Some(rule), false) = (rule, check.failed) {
            if let RuleKind::BoughtTogether(bt) = &rule.kind {
                self.in_antecedents.resize(self.catalog.products.len(), 0);
                for &a in &bt.antecedent {
                    self.in_antecedents[a.get()] += 1;
                }
            }
            self.rules.push(rule);
            self.rule_index.push(i);
        }
    }

    /// The config, unless a problem makes the whole of it unusable; call once
    /// [`Builder::step`] returned `true`.
    pub(crate) fn finish(self) -> (Option<Config>, Vec<Problem>) {
        let Builder {
            problems,
            fatal,
            store,
            catalog,
            rules,
            index,
            edges,
            shards,
            ranking,
            ..
        } = self;
        let (Some((hand, _)), false) = (index, fatal) else {
            return (None, problems);
        };
        let Catalog { products, .. } = catalog;
        let Some(by_id) = IdIndex::build(&products) else {
            unreachable!("the catalog step keeps one product per id (`Catalog::by_id`)")
        };
        let stock = products.iter().map(|p| p.in_stock).collect();
        let bought = Adjacency::build(products.len(), &edges);
        let config = Config {
            store,
            products,
            rules,
            by_id,
            stock,
            bought,
            ranking,
            hand,
            warnings: Vec::new(),
            shards,
        };
        (Some(config), problems)
    }
}

/// Puts one rule in the index of its kind (bought-together rules become edges).
fn index_rule(
    hand: &mut HandIndex,
    ranking: &Ranking,
    edges: &mut Vec<(ProductIdx, Edge)>,
    in_antecedents: &[u32],
    idx: RuleIdx,
    rule: &Rule,
) {
    let c = rule.conditions();
    match &rule.kind {
        RuleKind::BoughtTogether(bt) => {
            let simple = bt.antecedent.len() == 1 && c.trivial && rule.limit.is_none();
            let strength = ranking.strength(&bt.measures, bt.antecedent.len());
            let confidence = ranking.confidence(&bt.measures);
            let count = |a: &ProductIdx| in_antecedents.get(a.get()).copied().unwrap_or(0);
            let Some(anchor) = bt.antecedent.iter().copied().min_by_key(|a| (count(a), *a)) else {
                return; // validation never builds a rule without an antecedent
            };
            for &target in &bt.consequent {
                edges.push((
                    anchor,
                    Edge {
                        target,
                        rule: idx,
                        strength,
                        confidence,
                        priority: rule.priority,
                        simple,
                    },
                ));
            }
        }
        RuleKind::CrossSell(_) => {
            let t = &mut hand.cross_sell;
            let basket_key = if !c.any.is_empty() {
                Some(c.any.clone())
            } else {
                first_key(&c.all)
            };
            if !c.viewing.is_empty() {
                t.on_page.add(&c.viewing, idx);
            }
            if let Some(key) = &basket_key {
                t.in_basket.add(key, idx);
            }
            if c.viewing.is_empty() && basket_key.is_none() {
                t.always.push(idx);
            }
        }
        RuleKind::Upgrade(u) => {
            let from = Selector {
                products: u.from.clone(),
                ..Selector::default()
            };
            hand.upgrade.on_page.add(&from, idx);
            hand.upgrade.in_basket.add(&from, idx);
        }
        RuleKind::AddOn(a) => {
            hand.add_on.on_page.add(&a.trigger, idx);
            hand.add_on.in_basket.add(&a.trigger, idx);
        }
        RuleKind::Threshold(_) => hand.threshold.push(idx),
    }
}

/// One key of a selector (a rule fires only if all of `all` is present, so any one key is
/// a sound index entry).
fn first_key(selector: &Selector) -> Option<Selector> {
    if let Some(&p) = selector.products.first() {
        return Some(Selector {
            products: vec![p],
            ..Selector::default()
        });
    }
    if let Some(&c) = selector.categories.first() {
        return Some(Selector {
            categories: vec![c],
            ..Selector::default()
        });
    }
    selector.tags.first().map(|&t| Selector {
        tags: vec![t],
        ..Selector::default()
    })
}

/// [`Ranking::DEFAULT`] with the store's `ranking` settings.
fn build_ranking(raw: &RawConfig, check: &mut Check<'_>) -> Ranking {
    let mut ranking = Ranking::DEFAULT;
    if let Some(r) = raw.store.ranking {
        let at = JsonPath::root().key("store").key("ranking");
        if r.peak.is_finite() && (0.0..=1.0).contains(&r.peak) {
            ranking.peak = r.peak;
        } else {
            check.error(
                ProblemKind::InvalidValue,
                at.key("peak"),
                format!("{} is not a share from 0 to 1", r.peak),
            );
        }
        if r.prior.is_finite() && r.prior >= 0.0 {
            ranking.prior = r.prior;
        } else {
            check.error(
                ProblemKind::InvalidValue,
                at.key("prior"),
                format!("{} is not a number of 0 or more", r.prior),
            );
        }
    }
    ranking
}

fn build_store(raw: &RawConfig, check: &mut Check<'_>) -> Store {
    let path = JsonPath::root().key("store");
    let s = &raw.store;
    let currency = Currency::parse(&s.currency).unwrap_or_else(|| {
        check.error(
            ProblemKind::InvalidValue,
            path.key("currency"),
            format!(
                "`{}` is not a three-letter ISO 4217 currency code such as USD",
                s.currency
            ),
        );
        Currency::parse("USD").expect("USD is a currency code")
    });
    if s.locale.trim().is_empty() {
        check.error(
            ProblemKind::InvalidValue,
            path.key("locale"),
            "locale is empty; use a BCP 47 tag such as en-US",
        );
    }
    let free_shipping_threshold =
        s.free_shipping_threshold
            .and_then(|amount| match currency.to_minor(amount) {
                Ok(m) => Some(m),
                Err(e) => {
                    check.error(
                        ProblemKind::InvalidValue,
                        path.key("free_shipping_threshold"),
                        format!("free-shipping threshold {e}"),
                    );
                    None
                }
            });
    if let Some(p) = s.bundle_discount_percent
        && !(p.is_finite() && p > 0.0 && p < 100.0)
    {
        check.error(
            ProblemKind::InvalidValue,
            path.key("bundle_discount_percent"),
            format!("bundle discount {}% must be above 0 and below 100", p),
        );
    }
    let code = s
        .bundle_discount_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let granted = code.is_some() || s.bundle_discount_automatic;
    match (s.bundle_discount_percent.is_some(), granted) {
        (true, false) => check.warning(
            ProblemKind::UngrantedDiscount,
            path.key("bundle_discount_percent"),
            "the widget would promise a bundle price that nothing grants: set \
             store.bundle_discount_code (a discount code the cart applies after the add) or \
             store.bundle_discount_automatic: true (the store applies it itself); until then \
             the bundle price is not shown"
                .to_owned(),
        ),
        (false, true) => check.warning(
            ProblemKind::UngrantedDiscount,
            path.key(if code.is_some() {
                "bundle_discount_code"
            } else {
                "bundle_discount_automatic"
            }),
            "there is no bundle_discount_percent to grant: set it, or remove this".to_owned(),
        ),
        _ => {}
    }
    let mut unknown = Vec::new();
    let translations = Translations::build(&s.locale, &s.copy, |locale, key| {
        unknown.push((locale.to_owned(), key.to_owned()));
    });
    for (locale, key) in unknown {
        let known: Vec<&str> = crate::copy::CopyKey::ALL.iter().map(|k| k.name()).collect();
        let suggestion = closest(&key, &known);
        let message = format!("unknown copy key `{key}`{}", did_you_mean(suggestion));
        // An unknown text key never stops a store: the default text is shown.
        check.problems.push(Problem::error(
            ProblemKind::UnknownCopyKey {
                key: key.clone(),
                suggestion: suggestion.map(str::to_owned),
            },
            path.key("copy").key(locale.as_str()).key(key.as_str()),
            message,
        ));
    }
    let cap = s.frequency_cap;
    for (key, days) in [
        ("dismiss_days", cap.dismiss_days),
        ("rest_days", cap.rest_days),
    ] {
        if days > 3650 {
            check.error(
                ProblemKind::InvalidValue,
                path.key("frequency_cap").key(key),
                format!("{days} days is more than ten years; use at most 3650"),
            );
        }
    }
    let holdout = s.holdout.as_ref().and_then(|h| {
        let at = path.key("holdout");
        let mut ok = true;
        if h.experiment.trim().is_empty() {
            check.error(
                ProblemKind::InvalidValue,
                at.key("experiment"),
                "the experiment needs a name".to_owned(),
            );
            ok = false;
        }
        if !(h.percent.is_finite() && (0.0..=100.0).contains(&h.percent)) {
            check.error(
                ProblemKind::InvalidValue,
                at.key("percent"),
                "the holdout share must be a percentage from 0 to 100".to_owned(),
            );
            ok = false;
        }
        ok.then(|| Holdout {
            experiment: h.experiment.trim().to_owned(),
            basis_points: (h.percent * 100.0).round() as u32,
        })
    });
    let m = s.max_items;
    Store {
        name: s.name.clone(),
        currency,
        locale: s.locale.clone(),
        free_shipping_threshold,
        max_items: MaxItems {
            product: m.product as usize,
            cart: m.cart as usize,
            checkout: m.checkout as usize,
            confirmation: m.confirmation as usize,
        },
        // A bundle price nothing grants is not promised (see the warning above).
        bundle_discount_percent: s
            .bundle_discount_percent
            .filter(|p| granted && p.is_finite() && *p > 0.0 && *p < 100.0),
        bundle_discount_code: code.map(str::to_owned),
        bundle_discount_automatic: s.bundle_discount_automatic,
        translations,
        frequency_cap: FrequencyCap {
            dismiss_days: cap.dismiss_days.min(3650),
            impressions: cap.impressions,
            rest_days: cap.rest_days.min(3650),
        },
        holdout,
        data_layer: s.data_layer,
    }
}

#[derive(Debug)]
struct Catalog {
    products: Vec<Product>,
    by_id: FxHashMap<String, ProductIdx>,
    categories: Names,
    tags: Names,
    /// Ids of entries left out for their own errors (already reported).
    rejected: HashSet<String>,
}

/// The longest product title accepted, in bytes (1,000 to 4,000 characters).
const MAX_TITLE_BYTES: usize = 4096;

fn build_product(
    p: &RawProduct,
    currency: Currency,
    path: &JsonPath,
    check: &mut Check<'_>,
) -> Option<Product> {
    let id = &p.id;
    if p.title.trim().is_empty() {
        check.error(
            ProblemKind::InvalidValue,
            path.key("title"),
            format!("product `{id}` has an empty title"),
        );
    } else if p.title.len() > MAX_TITLE_BYTES {
        // A hostile or broken export (a whole page pasted into a title) would otherwise
        // reach every shopper's page and the console message; the title is not repeated.
        check.error(
            ProblemKind::InvalidValue,
            path.key("title"),
            format!(
                "product `{id}` has a title of {} bytes; the most is {MAX_TITLE_BYTES}",
                p.title.len()
            ),
        );
    }
    let price = money(
        currency,
        p.price,
        || path.key("price"),
        &format!("price of `{id}`"),
        check,
    );
    let compare_at_price = p.compare_at_price.and_then(|amount| {
        money(
            currency,
            amount,
            || path.key("compare_at_price"),
            &format!("compare-at price of `{id}`"),
            check,
        )
        .filter(|was| Some(*was) > price)
    });
    for (field, value) in [("url", &p.url), ("image", &p.image)] {
        if let Some(url) = value
            && let Err(e) = check_url(url)
        {
            check.error(
                ProblemKind::InvalidValue,
                path.key(field),
                format!("{field} of `{id}` {e}"),
            );
        }
    }
    for (j, tag) in p.tags.iter().enumerate() {
        if tag.trim().is_empty() {
            check.error(
                ProblemKind::InvalidValue,
                path.key("tags").index(j),
                format!("product `{id}` has an empty tag"),
            );
        }
    }
    if p.category.as_deref().is_some_and(|c| c.trim().is_empty()) {
        check.error(
            ProblemKind::InvalidValue,
            path.key("category"),
            format!("product `{id}` has an empty category"),
        );
    }
    let mut variants = Vec::with_capacity(p.variants.len());
    // A set, not a scan of the earlier variants: 100,000 variants must not take minutes.
    let mut variant_ids: HashSet<&str> = HashSet::new();
    for (j, v) in p.variants.iter().enumerate() {
        let vpath = path.key("variants").index(j);
        if v.id.trim().is_empty() {
            check.error(
                ProblemKind::EmptyId,
                vpath.key("id"),
                format!("a variant of `{id}` has an empty id"),
            );
        } else if !variant_ids.insert(v.id.as_str()) {
            check.error(
                ProblemKind::DuplicateId { id: v.id.clone() },
                vpath.key("id"),
                format!("product `{id}` has two variants with id `{}`", v.id),
            );
        }
        let vprice = match v.price {
            Some(amount) => money(
                currency,
                amount,
                || vpath.key("price"),
                &format!("price of variant `{}` of `{id}`", v.id),
                check,
            ),
            None => price,
        };
        variants.push(Variant {
            id: v.id.clone(),
            title: v.title.clone(),
            price: vprice.unwrap_or(Money::ZERO),
            in_stock: v.in_stock,
        });
    }
    let in_stock = p.in_stock && (variants.is_empty() || variants.iter().any(|v| v.in_stock));
    Some(Product {
        id: id.clone(),
        title: p.title.clone(),
        price: price?,
        compare_at_price,
        url: p.url.clone(),
        image: p.image.clone(),
        category: p.category.clone(),
        tags: p.tags.clone(),
        vendor: p.vendor.clone(),
        in_stock,
        variants,
        attributes: p
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        // Set when the product is accepted (see `build_catalog`).
        category_key: None,
        tag_keys: Vec::new(),
    })
}

fn money(
    currency: Currency,
    amount: f64,
    path: impl FnOnce() -> JsonPath,
    what: &str,
    check: &mut Check<'_>,
) -> Option<Money> {
    match currency.to_minor(amount) {
        Ok(m) => Some(m),
        Err(e) => {
            check.error(
                ProblemKind::InvalidValue,
                path(),
                format!("{what} ({}) {e}", amount),
            );
            None
        }
    }
}

/// Builds one rule; reports through `check` (which decides whether it is kept). Paths are
/// made only when a problem is reported: building 200,000 valid rules allocates none.
struct RuleBuilder<'a> {
    catalog: &'a Catalog,
    store: &'a Store,
    broken: &'a Broken,
    index: usize,
    id: &'a str,
}

/// A JSON path, made on demand.
type Field<'f> = &'f dyn Fn() -> JsonPath;

impl RuleBuilder<'_> {
    fn path(&self) -> JsonPath {
        self.broken.rule_path(self.index)
    }

    fn at(&self, key: &str) -> JsonPath {
        self.path().key(key)
    }

    fn build(&self, raw: &RawRule, check: &mut Check<'_>) -> Option<Rule> {
        let (priority, limit, conditions, copy, kind) = match raw {
            RawRule::BoughtTogether(r) => (
                r.priority,
                r.limit,
                &r.conditions,
                &r.copy,
                self.bought_together(r, check),
            ),
            RawRule::CrossSell(r) => (
                r.priority,
                r.limit,
                &r.conditions,
                &r.copy,
                self.cross_sell(r, check),
            ),
            RawRule::Upgrade(r) => (
                r.priority,
                None,
                &r.conditions,
                &r.copy,
                self.upgrade(r, check),
            ),
            RawRule::AddOn(r) => (
                r.priority,
                r.limit,
                &r.conditions,
                &r.copy,
                self.add_on(r, check),
            ),
            RawRule::Threshold(r) => (
                r.priority,
                r.limit,
                &r.conditions,
                &r.copy,
                self.threshold(r, check),
            ),
        };
        if limit == Some(0) {
            check.error(
                ProblemKind::NeverShows,
                self.at("limit"),
                format!("rule `{}` has limit 0, so it never shows anything", self.id),
            );
        }
        let conditions = self.conditions(conditions, raw, check);
        let kind = kind?;
        self.warn_if_all_out_of_stock(&kind, check);
        Some(Rule {
            id: self.id.to_owned(),
            priority,
            limit: limit.map(|l| l as usize),
            conditions: Some(conditions?).filter(|c| !c.trivial).map(Box::new),
            copy: copy.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            source: match raw {
                RawRule::BoughtTogether(r) => r.source,
                _ => RuleSource::Hand,
            },
            kind,
        })
    }

    /// Resolves product ids; `None` if any is unknown or was left out for its own error.
    fn products(
        &self,
        field: Field<'_>,
        ids: &[String],
        check: &mut Check<'_>,
    ) -> Option<Vec<ProductIdx>> {
        let mut out = Vec::with_capacity(ids.len());
        let mut ok = true;
        for (j, id) in ids.iter().enumerate() {
            match self.catalog.by_id.get(id) {
                Some(&p) => {
                    if !out.contains(&p) {
                        out.push(p);
                    }
                }
                None if self.broken.products.contains(id) || self.catalog.rejected.contains(id) => {
                    // Already reported at the product; only the rule is left out.
                    check.failed = true;
                    ok = false;
                }
                None => {
                    ok = false;
                    check.error(
                        ProblemKind::UnknownProduct {
                            product: id.clone(),
                        },
                        field().index(j),
                        format!("rule `{}` names unknown product `{id}`", self.id),
                    );
                }
            }
        }
        ok.then_some(out)
    }

    fn selector(
        &self,
        field: Field<'_>,
        raw: &RawSelector,
        check: &mut Check<'_>,
    ) -> Option<Selector> {
        let products = self.products(&|| field().key("products"), &raw.products, check)?;
        let mut resolve = |names: &[String], known: &Names, what: &str, key: &str| -> Vec<u32> {
            names
                .iter()
                .enumerate()
                .filter_map(|(j, n)| {
                    let k = known.0.get(n).copied();
                    if k.is_none() {
                        check.error(
                            ProblemKind::UnknownName { name: n.clone() },
                            field().key(key).index(j),
                            format!(
                                "rule `{}` names {what} `{n}`, which no product has",
                                self.id
                            ),
                        );
                    }
                    k
                })
                .collect()
        };
        let categories = resolve(
            &raw.categories,
            &self.catalog.categories,
            "category",
            "categories",
        );
        let tags = resolve(&raw.tags, &self.catalog.tags, "tag", "tags");
        Some(Selector {
            products,
            categories,
            tags,
        })
    }

    /// Listed products in order, then those of the listed categories and tags in catalog
    /// order, without repeats.
    fn expand(&self, selector: &Selector) -> Vec<ProductIdx> {
        let mut grouped: Vec<ProductIdx> = selector
            .categories
            .iter()
            .flat_map(|&c| &self.catalog.categories.1[c as usize])
            .chain(
                selector
                    .tags
                    .iter()
                    .flat_map(|&t| &self.catalog.tags.1[t as usize]),
            )
            .copied()
            .filter(|p| !selector.products.contains(p))
            .collect();
        crate::sort::sort(&mut grouped);
        grouped.dedup();
        let mut out = selector.products.clone();
        out.extend(grouped);
        out
    }

    fn bought_together(&self, r: &RawBoughtTogether, check: &mut Check<'_>) -> Option<RuleKind> {
        let nonempty = |field: &str, ids: &[String], check: &mut Check<'_>| {
            if ids.is_empty() {
                check.error(
                    ProblemKind::NeverShows,
                    self.at(field),
                    format!("rule `{}` has an empty {field}", self.id),
                );
            }
        };
        nonempty("antecedent", &r.antecedent, check);
        nonempty("consequent", &r.consequent, check);
        let antecedent = self.products(&|| self.at("antecedent"), &r.antecedent, check);
        let consequent = self.products(&|| self.at("consequent"), &r.consequent, check);
        for (field, value) in [
            ("support", r.support),
            ("confidence", r.confidence),
            ("lift", r.lift),
            ("weight", r.weight),
        ] {
            if let Some(v) = value {
                if let Some(range) = RawBoughtTogether::measure_out_of_range(field, v) {
                    check.error(
                        ProblemKind::InvalidValue,
                        self.at(field),
                        format!("{field} of rule `{}` is {}; it must be {range}", self.id, v),
                    );
                }
            }
        }
        let (antecedent, consequent) = (antecedent?, consequent?);
        if antecedent.is_empty() || consequent.is_empty() {
            return None;
        }
        if consequent.iter().all(|c| antecedent.contains(c)) {
            check.error(
                ProblemKind::NeverShows,
                self.at("consequent"),
                format!(
                    "rule `{}` only suggests products of its own antecedent, so it never fires",
                    self.id
                ),
            );
        }
        let consequent = consequent
            .into_iter()
            .filter(|c| !antecedent.contains(c))
            .collect();
        Some(RuleKind::BoughtTogether(BoughtTogether {
            antecedent,
            consequent,
            measures: Measures {
                support: r.support,
                confidence: r.confidence,
                lift: r.lift,
                weight: r.weight,
            },
        }))
    }

    fn cross_sell(&self, r: &RawCrossSell, check: &mut Check<'_>) -> Option<RuleKind> {
        if r.suggest.is_empty() {
            check.error(
                ProblemKind::NeverShows,
                self.at("suggest"),
                format!("rule `{}` suggests nothing", self.id),
            );
            return None;
        }
        let selector = self.selector(&|| self.at("suggest"), &r.suggest, check)?;
        Some(RuleKind::CrossSell(CrossSell {
            suggest: self.expand(&selector),
        }))
    }

    fn upgrade(&self, r: &RawUpgrade, check: &mut Check<'_>) -> Option<RuleKind> {
        if r.from.is_empty() {
            check.error(
                ProblemKind::NeverShows,
                self.at("from"),
                format!("upgrade `{}` upgrades nothing: `from` is empty", self.id),
            );
        }
        let from = self.products(&|| self.at("from"), &r.from, check);
        let to = self
            .products(&|| self.at("to"), std::slice::from_ref(&r.to), check)
            .and_then(|t| t.first().copied());
        let (from, to) = (from?, to?);
        if from.contains(&to) {
            check.error(
                ProblemKind::InvalidValue,
                self.at("to"),
                format!("upgrade `{}` upgrades `{}` to itself", self.id, r.to),
            );
            return None;
        }
        let target = &self.catalog.products[to.get()];
        for (j, attribute) in r.compare.iter().enumerate() {
            let missing: Vec<&str> = from
                .iter()
                .map(|f| &self.catalog.products[f.get()])
                .chain([target])
                .filter(|p| p.attribute(attribute).is_none())
                .map(|p| p.id.as_str())
                .collect();
            if !missing.is_empty() {
                check.warning(
                    ProblemKind::DoubtfulUpgrade,
                    self.at("compare").index(j),
                    format!(
                        "upgrade `{}` compares `{attribute}`, which {} do(es) not have",
                        self.id,
                        missing.join(", ")
                    ),
                );
            }
        }
        for f in &from {
            let source = &self.catalog.products[f.get()];
            if target.price_to_add() <= source.price_to_add() {
                check.warning(
                    ProblemKind::DoubtfulUpgrade,
                    self.at("to"),
                    format!(
                        "upgrade `{}` offers `{}`, which costs no more than `{}`",
                        self.id, target.id, source.id
                    ),
                );
            }
        }
        Some(RuleKind::Upgrade(Upgrade {
            from,
            to,
            compare: r.compare.clone(),
        }))
    }

    fn add_on(&self, r: &RawAddOn, check: &mut Check<'_>) -> Option<RuleKind> {
        if r.trigger.is_empty() {
            check.error(
                ProblemKind::NeverShows,
                self.at("trigger"),
                format!(
                    "add-on rule `{}` has no trigger, so it never fires",
                    self.id
                ),
            );
        }
        if r.add_ons.is_empty() {
            check.error(
                ProblemKind::NeverShows,
                self.at("add_ons"),
                format!("add-on rule `{}` offers no add-ons", self.id),
            );
        }
        let trigger = self.selector(&|| self.at("trigger"), &r.trigger, check);
        let add_ons = self.products(&|| self.at("add_ons"), &r.add_ons, check);
        let (trigger, add_ons) = (trigger?, add_ons?);
        if trigger.is_empty() || add_ons.is_empty() {
            return None;
        }
        Some(RuleKind::AddOn(AddOn { trigger, add_ons }))
    }

    fn threshold(&self, r: &RawThreshold, check: &mut Check<'_>) -> Option<RuleKind> {
        if self.store.free_shipping_threshold.is_none() {
            check.error(
                ProblemKind::NeverShows,
                self.path(),
                format!(
                    "threshold rule `{}` needs store.free_shipping_threshold, which is not set",
                    self.id
                ),
            );
        }
        let selector = self.selector(&|| self.at("suggest"), &r.suggest, check)?;
        let mut by_price = if r.suggest.is_empty() {
            (0..self.catalog.products.len() as u32)
                .map(ProductIdx)
                .collect()
        } else {
            self.expand(&selector)
        };
        crate::sort::sort_by_key(&mut by_price, |p| {
            (self.catalog.products[p.get()].price_to_add(), *p)
        });
        Some(RuleKind::Threshold(Threshold { by_price }))
    }

    fn warn_if_all_out_of_stock(&self, kind: &RuleKind, check: &mut Check<'_>) {
        let suggested: &[ProductIdx] = match kind {
            RuleKind::BoughtTogether(bt) => &bt.consequent,
            RuleKind::CrossSell(cs) => &cs.suggest,
            RuleKind::Upgrade(u) => std::slice::from_ref(&u.to),
            RuleKind::AddOn(a) => &a.add_ons,
            RuleKind::Threshold(t) => &t.by_price,
        };
        if !suggested.is_empty()
            && suggested
                .iter()
                .all(|p| !self.catalog.products[p.get()].in_stock)
        {
            check.warning(
                ProblemKind::NeverShows,
                self.path(),
                format!("rule `{}` only suggests out-of-stock products, so it shows nothing until they are back", self.id),
            );
        }
    }

    fn conditions(
        &self,
        raw: &RawConditions,
        rule: &RawRule,
        check: &mut Check<'_>,
    ) -> Option<Conditions> {
        if raw.is_empty() {
            // Most rules (all mined ones) have no conditions: nothing to compile.
            return Some(Conditions::NONE);
        }
        let path = || self.at("conditions");
        let id = self.id;
        let mut placements = 0u8;
        for (j, name) in raw.placements.iter().enumerate() {
            match Placement::parse(name) {
                Some(p) => placements |= p.bit(),
                None => check.error(
                    ProblemKind::InvalidValue,
                    path().key("placements").index(j),
                    format!(
                        "unknown placement `{name}`; use product, cart, checkout or confirmation"
                    ),
                ),
            }
        }
        let allows = |p: Placement| placements == 0 || placements & p.bit() != 0;
        if matches!(rule, RawRule::Threshold(_))
            && !allows(Placement::Cart)
            && !allows(Placement::Checkout)
        {
            check.error(ProblemKind::NeverShows, path().key("placements"), format!("threshold rule `{id}` only shows in cart and checkout, which its placements exclude"));
        }
        if !raw.viewing.is_empty() && !allows(Placement::Product) {
            check.error(ProblemKind::NeverShows, path().key("viewing"), format!("rule `{id}` needs a product page (`viewing`) but its placements exclude product pages, so it never fires"));
        }
        let viewing = self.selector(&|| path().key("viewing"), &raw.viewing, check);
        let any = self.selector(
            &|| path().key("basket_contains_any"),
            &raw.basket_contains_any,
            check,
        );
        let all = self.selector(
            &|| path().key("basket_contains_all"),
            &raw.basket_contains_all,
            check,
        );
        let none = self.selector(
            &|| path().key("basket_contains_none"),
            &raw.basket_contains_none,
            check,
        );
        if let (Some(all), Some(none)) = (&all, &none)
            && let Some(p) = all.products.iter().find(|p| none.products.contains(p))
        {
            let pid = &self.catalog.products[p.get()].id;
            check.error(
                ProblemKind::NeverShows,
                path(),
                format!(
                    "rule `{id}` needs `{pid}` both in and not in the basket, so it never fires"
                ),
            );
        }
        let currency = self.store.currency;
        let min_value = raw.basket_value.min.and_then(|a| {
            money(
                currency,
                a,
                || path().key("basket_value").key("min"),
                "minimum basket value",
                check,
            )
        });
        let max_value = raw.basket_value.max.and_then(|a| {
            money(
                currency,
                a,
                || path().key("basket_value").key("max"),
                "maximum basket value",
                check,
            )
        });
        if let (Some(lo), Some(hi)) = (min_value, max_value)
            && lo > hi
        {
            check.error(
                ProblemKind::NeverShows,
                path().key("basket_value"),
                format!("rule `{id}` needs a basket value above its maximum, so it never fires"),
            );
        }
        for (j, s) in raw.segments.iter().enumerate() {
            if s.trim().is_empty() {
                check.error(
                    ProblemKind::InvalidValue,
                    path().key("segments").index(j),
                    "empty segment name",
                );
            } else if s.bytes().any(|b| b.is_ascii_whitespace()) {
                // A page names segments separated by spaces (`data-segments`, the
                // `segments` attribute), and `setSegments` refuses a name with a space.
                check.warning(
                    ProblemKind::NeverShows,
                    path().key("segments").index(j),
                    format!(
                        "segment `{s}` has a space, and a page separates segment names by spaces, so no shopper is ever in it"
                    ),
                );
            }
        }
        let mut moment = |field: &str, text: &Option<String>, end: bool| -> Option<i64> {
            let text = text.as_ref()?;
            match parse_moment(text) {
                // A whole date as the end means "through that day".
                Some(t) if end && is_whole_date(text) => Some(t + 86_400),
                Some(t) => Some(t),
                None => {
                    check.error(
                        ProblemKind::InvalidValue,
                        path().key("dates").key(field),
                        format!("`{text}` is not a date (YYYY-MM-DD) or an RFC 3339 timestamp"),
                    );
                    None
                }
            }
        };
        let from = moment("from", &raw.dates.from, false);
        let until = moment("until", &raw.dates.until, true);
        if let (Some(f), Some(u)) = (from, until)
            && u <= f
        {
            check.error(
                ProblemKind::NeverShows,
                path().key("dates"),
                format!("rule `{id}` ends before it starts, so it never fires"),
            );
        }
        Some(Conditions {
            placements,
            viewing: viewing?,
            any: any?,
            all: all?,
            none: none?,
            min_value,
            max_value,
            segments: raw.segments.clone(),
            from,
            until,
            trivial: raw.is_empty(),
        })
    }
}

/// Upgrades that lead back to where they started would offer A → B on A's page and
/// B → A on B's: reported as errors and left out.
fn drop_upgrade_cycles(
    rules: &mut Vec<Rule>,
    index: &[usize],
    products: &[Product],
    broken: &Broken,
    problems: &mut Vec<Problem>,
) {
    let mut edges: FxHashMap<ProductIdx, Vec<(ProductIdx, usize)>> = FxHashMap::default();
    for (pos, rule) in rules.iter().enumerate() {
        if let RuleKind::Upgrade(u) = &rule.kind {
            for &f in &u.from {
                edges.entry(f).or_default().push((u.to, pos));
            }
        }
    }
    if edges.is_empty() {
        return;
    }
    let mut in_cycle = vec![false; rules.len()];
    let mut starts: Vec<ProductIdx> = edges.keys().copied().collect();
    crate::sort::sort(&mut starts);
    let mut done: HashSet<ProductIdx> = HashSet::new();
    for start in starts {
        // Iterative DFS keeping the current path, to name the cycle.
        let mut stack: Vec<(ProductIdx, usize)> = vec![(start, 0)];
        let mut on_path: Vec<(ProductIdx, Option<usize>)> = vec![(start, None)];
        while let Some((node, next)) = stack.last_mut() {
            let out = edges.get(node).map(Vec::as_slice).unwrap_or(&[]);
            if *next >= out.len() || done.contains(node) {
                done.insert(*node);
                stack.pop();
                on_path.pop();
                continue;
            }
            let (to, rule_pos) = out[*next];
            *next += 1;
            if let Some(at) = on_path.iter().position(|(p, _)| *p == to) {
                let cycle_rules: Vec<usize> = on_path[at + 1..]
                    .iter()
                    .filter_map(|(_, r)| *r)
                    .chain([rule_pos])
                    .collect();
                if cycle_rules.iter().all(|&r| !in_cycle[r]) {
                    let names: Vec<&str> = on_path[at..]
                        .iter()
                        .map(|(p, _)| products[p.get()].id.as_str())
                        .chain([products[to.get()].id.as_str()])
                        .collect();
                    let ids: Vec<&str> =
                        cycle_rules.iter().map(|&r| rules[r].id.as_str()).collect();
                    for &r in &cycle_rules {
                        problems.push(Problem::error(
                            ProblemKind::UpgradeCycle,
                            broken.rule_path(index[r]),
                            format!(
                                "upgrade cycle {} (rules {})",
                                names.join(" → "),
                                ids.join(", ")
                            ),
                        ));
                    }
                }
                for r in cycle_rules {
                    in_cycle[r] = true;
                }
            } else if !done.contains(&to) {
                stack.push((to, 0));
                on_path.push((to, Some(rule_pos)));
            }
        }
    }
    let mut pos = 0;
    rules.retain(|_| {
        pos += 1;
        !in_cycle[pos - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_seen_tells_ids_apart_when_their_hashes_clash() {
        let ids = ["a", "b", "a", "c", "b"];
        let mut seen = FirstSeen::default();
        let found: Vec<Option<usize>> = (0..ids.len())
            .map(|i| seen.check(ids[i], i, |j| ids[j]))
            .collect();
        assert_eq!(found, [None, None, Some(0), None, Some(1)]);

        // Make "b" hash like "a": it must still be new, then found by value.
        use std::hash::BuildHasher;
        let mut seen = FirstSeen::default();
        assert_eq!(seen.check("a", 0, |j| ids[j]), None);
        let hash_b = rustc_hash::FxBuildHasher.hash_one("b");
        seen.by_hash.insert(hash_b, 0);
        let clash = ["a", "b", "b"];
        assert_eq!(seen.check("b", 1, |j| clash[j]), None);
        assert_eq!(seen.check("b", 2, |j| clash[j]), Some(1));
        assert_eq!(seen.clashes, [("b".to_owned(), 1)]);
    }
}
