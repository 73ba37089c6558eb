//! The compiled config: a built [`Config`] as bytes, written by `cartlift compile` and read
//! by the widget's small build, which ships neither the JSON reader nor the validator.
//!
//! Reading, checking and indexing a JSON config is about a quarter of the widget's wasm
//! (measured: 39.8 KB of 172.6 KB brotli). `cartlift compile` does all of it ahead of time,
//! on the store owner's machine, and writes the result: the indexed model itself in
//! postcard's compact encoding after a ten-byte header (`CARTLIFT`, then [`FORMAT`]).
//!
//! Nothing read is trusted. After decoding, [`Config::from_compiled`] checks every index,
//! count and URL that evaluation relies on, so a truncated, tampered or stale file is
//! refused with a reason and never panics or shows an unchecked link.
//!
//! [`FORMAT`] changes whenever any type written here changes shape: the
//! `a_compiled_fixture_keeps_its_bytes` test pins the bytes of a fixture, so a change of
//! layout cannot slip through without someone deciding whether to bump it.

use super::{Adjacency, Config, HandIndex, Product, ProductIdx, Rule, RuleIdx, RuleKind};
use super::{Selector, Store, TriggerIndex, Triggers};
use crate::FxHashMap;
use crate::recommend::Ranking;
use serde::{Deserialize, Serialize};

/// The header every compiled config starts with.
const MAGIC: &[u8; 8] = b"CARTLIFT";

/// The layout version this engine writes and reads.
pub const FORMAT: u16 = 1;

/// Why compiled bytes were not turned into a config, or a config not into bytes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompiledError {
    /// The bytes do not start with the header (a JSON file, an HTML error page).
    #[error("not a compiled config (it does not start with `CARTLIFT`)")]
    NotCompiled,
    /// Written by a cartlift whose layout differs.
    #[error(
        "compiled in format {found}, and this widget reads format {FORMAT}: compile it again with the matching `cartlift compile`"
    )]
    Format {
        /// The format in the file.
        found: u16,
    },
    /// The bytes end early or do not decode.
    #[error("the file is {0}: compile it again")]
    Damaged(&'static str),
    /// It decodes, but what it says does not hold together.
    #[error("the file is inconsistent ({0}): compile it again")]
    Inconsistent(&'static str),
    /// Only whole configs compile (the core of a sharded config names files to fetch).
    #[error(
        "the core of a sharded config cannot be compiled: compile the whole config, or serve the JSON core and shards"
    )]
    Sharded,
}

/// What is written, in order (by reference when writing, owned when reading).
#[derive(Serialize)]
struct BodyRef<'a> {
    store: &'a Store,
    products: &'a [Product],
    rules: &'a [Rule],
    stock: &'a [bool],
    bought: &'a Adjacency,
    ranking: &'a Ranking,
    hand: &'a HandIndex,
}

#[derive(Deserialize)]
struct Body {
    store: Store,
    products: Vec<Product>,
    rules: Vec<Rule>,
    stock: Vec<bool>,
    bought: Adjacency,
    ranking: Ranking,
    hand: HandIndex,
}

impl Config {
    /// The compiled form of this config: what [`Config::from_compiled`] reads back as the
    /// same config (without its warnings, which are for the person compiling it).
    ///
    /// ```
    /// use cartlift_engine::Config;
    /// let config = Config::from_json(r#"{"version": 1, "store": {"currency": "USD"},
    ///   "catalog": [{"id": "cam", "title": "Camera", "price": 89}], "rules": []}"#).unwrap();
    /// let bytes = config.to_compiled().unwrap();
    /// assert!(bytes.starts_with(b"CARTLIFT"));
    /// let back = Config::from_compiled(&bytes).unwrap();
    /// assert_eq!(back.product_by_id("cam").map(|p| p.price.minor()), Some(8900));
    /// ```
    pub fn to_compiled(&self) -> Result<Vec<u8>, CompiledError> {
        if self.shards.is_some() {
            return Err(CompiledError::Sharded);
        }
        let body = BodyRef {
            store: &self.store,
            products: &self.products,
            rules: &self.rules,
            stock: &self.stock,
            bought: &self.bought,
            ranking: &self.ranking,
            hand: &self.hand,
        };
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&FORMAT.to_le_bytes());
        // Writing into a Vec fails only on types postcard cannot encode; there are none.
        let encoded =
            postcard::to_allocvec(&body).map_err(|_| CompiledError::Damaged("not encodable"))?;
        out.extend_from_slice(&encoded);
        Ok(out)
    }

    /// Reads a compiled config, refusing anything that is not exactly what
    /// [`Config::to_compiled`] writes (see the module docs).
    pub fn from_compiled(bytes: &[u8]) -> Result<Config, CompiledError> {
        let rest = bytes
            .strip_prefix(MAGIC)
            .ok_or(CompiledError::NotCompiled)?;
        let (format, rest) = rest
            .split_first_chunk::<2>()
            .ok_or(CompiledError::Damaged("cut short"))?;
        let found = u16::from_le_bytes(*format);
        if found != FORMAT {
            return Err(CompiledError::Format { found });
        }
        let (body, left): (Body, &[u8]) = postcard::take_from_bytes(rest).map_err(|e| {
            CompiledError::Damaged(match e {
                postcard::Error::DeserializeUnexpectedEnd => "cut short",
                _ => "damaged",
            })
        })?;
        if !left.is_empty() {
            return Err(CompiledError::Damaged("longer than what it encodes"));
        }
        let mut by_id = FxHashMap::default();
        by_id.reserve(body.products.len());
        for (i, p) in body.products.iter().enumerate() {
            if by_id.insert(p.id.clone(), ProductIdx(i as u32)).is_some() {
                return Err(CompiledError::Inconsistent("a product id twice"));
            }
        }
        let config = Config {
            store: body.store,
            products: body.products,
            rules: body.rules,
            by_id,
            stock: body.stock,
            bought: body.bought,
            ranking: body.ranking,
            hand: body.hand,
            warnings: Vec::new(),
            shards: None,
        };
        check(&config).map_err(CompiledError::Inconsistent)?;
        Ok(config)
    }
}

/// Every invariant of a built config that evaluation indexes by or shows to shoppers.
fn check(c: &Config) -> Result<(), &'static str> {
    let products = c.products.len();
    let rules = c.rules.len();
    let dims = c.hand.cross_sell.on_page.dims();
    let (categories, tags) = (dims.1, dims.2);
    let ensure = |ok: bool, what: &'static str| if ok { Ok(()) } else { Err(what) };
    ensure(u32::try_from(products).is_ok(), "too many products")?;
    ensure(c.stock.len() == products, "stock")?;
    ensure(dims.0 == products, "trigger index")?;
    ensure(c.store.translations.is_complete(), "texts")?;
    for (p, in_stock) in c.products.iter().zip(&c.stock) {
        ensure(p.in_stock == *in_stock, "stock")?;
        ensure(
            p.category_key.is_none_or(|k| (k as usize) < categories)
                && p.tag_keys.iter().all(|&k| (k as usize) < tags),
            "product keys",
        )?;
        for url in [&p.url, &p.image].into_iter().flatten() {
            ensure(crate::url::check_url(url).is_ok(), "a product URL")?;
        }
    }
    let product = |p: &ProductIdx| p.get() < products;
    let selector = |s: &Selector| {
        s.products.iter().all(product)
            && s.categories.iter().all(|&k| (k as usize) < categories)
            && s.tags.iter().all(|&k| (k as usize) < tags)
    };
    for rule in &c.rules {
        let cond = rule.conditions();
        ensure(
            [&cond.viewing, &cond.any, &cond.all, &cond.none]
                .into_iter()
                .all(selector),
            "rule conditions",
        )?;
        let refs_ok = match &rule.kind {
            RuleKind::BoughtTogether(bt) => {
                bt.antecedent.iter().all(product) && bt.consequent.iter().all(product)
            }
            RuleKind::CrossSell(cs) => cs.suggest.iter().all(product),
            RuleKind::Upgrade(u) => u.from.iter().all(product) && product(&u.to),
            RuleKind::AddOn(a) => selector(&a.trigger) && a.add_ons.iter().all(product),
            RuleKind::Threshold(t) => t.by_price.iter().all(product),
        };
        ensure(refs_ok, "rule products")?;
    }
    let rule = |r: &RuleIdx| r.get() < rules;
    let index = |i: &TriggerIndex| {
        i.dims() == dims
            && [&i.by_product, &i.by_category, &i.by_tag]
                .into_iter()
                .flatten()
                .all(|rs| rs.iter().all(rule))
    };
    let triggers =
        |t: &Triggers| index(&t.on_page) && index(&t.in_basket) && t.always.iter().all(rule);
    let hand = &c.hand;
    ensure(
        triggers(&hand.cross_sell)
            && triggers(&hand.upgrade)
            && triggers(&hand.add_on)
            && hand.threshold.iter().all(rule),
        "rule index",
    )?;
    ensure(
        c.bought.is_consistent(products)
            && c.bought
                .edges
                .iter()
                .all(|e| product(&e.target) && rule(&e.rule)),
        "bought-together index",
    )
}

/// [`super::RawRuleCopy`] skips absent texts when written as JSON; postcard needs every
/// field, in order.
pub(crate) mod rule_copy {
    use crate::config::RawRuleCopy;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    type Wire = Vec<(String, Option<String>, Option<String>)>;

    pub(crate) fn serialize<S: Serializer>(
        copy: &[(String, RawRuleCopy)],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let wire: Vec<_> = copy
            .iter()
            .map(|(tag, c)| (tag, &c.title, &c.reason))
            .collect();
        wire.serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(String, RawRuleCopy)>, D::Error> {
        Ok(Wire::deserialize(d)?
            .into_iter()
            .map(|(tag, title, reason)| (tag, RawRuleCopy { title, reason }))
            .collect())
    }
}
