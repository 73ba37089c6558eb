//! The compiled config: a built [`Config`] as bytes, written by `cartlift compile` and read
//! by the widget's small build, which ships neither the JSON reader nor the validator.
//!
//! Reading, checking and indexing a JSON config is about a quarter of the widget's wasm
//! (measured: 39.8 KB of 172.6 KB brotli). `cartlift compile` does all of it ahead of time,
//! on the store owner's machine, and writes the result: the indexed model itself, after a
//! ten-byte header (`CARTLIFT`, then [`FORMAT`]). The encoding is this module's [`Wire`]:
//! fields in declaration order, integers as LEB128 varints (signed ones zigzagged), `f64`
//! as 8 little-endian bytes, strings and lists length-first, an `Option` or enum behind a
//! tag byte. It is written by hand rather than derived because the widget downloads the
//! reader: serde's derived visitors with postcard read the same bytes for 1.1 KB more
//! brotli in the small build (measured against this reader before its reads stopped
//! returning `Result`s; see below).
//!
//! Nothing read is trusted. After decoding, [`Config::from_compiled`] checks every index,
//! count and URL that evaluation relies on, so a truncated, tampered or stale file is
//! refused with a reason and never panics or shows an unchecked link.
//!
//! A read does not return a `Result`: the [`Reader`] keeps the first reason the bytes do
//! not decode, and from then on every read is empty (zero, `false`, no elements), so a
//! failed read still builds a value and [`Config::from_compiled`] asks once, at the end.
//! With a `?` after every field, each struct's reader carried its own drop code for every
//! field read before a failure, and moved each value through a `Result` (measured on the
//! smallest build: 16.4 KB of wasm and 4.05 KB brotli less without them).
//!
//! Each type's fields are listed once, in [`wire!`], which writes and reads them in that
//! order; the reader builds the struct from the list, so a field added to a type and not
//! to the list does not compile. [`FORMAT`] changes whenever any type written here changes
//! shape: the `a_compiled_fixture_keeps_its_bytes` test pins the bytes of a fixture, so a
//! change of layout cannot slip through without someone deciding whether to bump it.

use super::model::{
    AddOn, Adjacency, BoughtTogether, Conditions, Config, CrossSell, Edge, FrequencyCap, HandIndex,
    Holdout, IdIndex, MaxItems, Product, ProductIdx, Rule, RuleIdx, RuleKind, Selector, Store,
    Threshold, TriggerIndex, Triggers, Upgrade, Variant,
};
use super::ranking::{Measures, Ranking};
use super::raw::{RawRuleCopy, RuleSource};
use crate::copy::{CopyTexts, Translations};
use crate::money::{Currency, Money};

/// The header every compiled config starts with.
const MAGIC: &[u8; 8] = b"CARTLIFT";

/// The layout version this engine writes and reads.
pub const FORMAT: u16 = 3;

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
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&FORMAT.to_le_bytes());
        self.store.put(&mut out);
        self.products.put(&mut out);
        self.rules.put(&mut out);
        self.stock.put(&mut out);
        self.bought.put(&mut out);
        self.ranking.put(&mut out);
        self.hand.put(&mut out);
        Ok(out)
    }

    /// Reads a compiled config, refusing anything that is not exactly what
    /// [`Config::to_compiled`] writes (see the module docs): [`Decoding`] run to the end.
    pub fn from_compiled(bytes: &[u8]) -> Result<Config, CompiledError> {
        let mut decoding = Decoding::new(bytes);
        loop {
            if let Some(done) = decoding.step(usize::MAX) {
                return done;
            }
        }
    }
}

/// A compiled config decoded and checked in bounded steps, so the widget can give the
/// page its main thread between them: a store of 20,000 products and 202,000 rules
/// compiles to 14.5 MB, which decodes and is checked in ~70 ms natively and several times
/// that in the widget's wasm (a task of 342 ms in one go, measured in Chromium).
///
/// ```
/// use cartlift_engine::Config;
/// use cartlift_engine::config::Decoding;
/// let config = Config::from_json(r#"{"version": 1, "store": {"currency": "USD"},
///   "catalog": [{"id": "cam", "title": "Camera", "price": 89},
///               {"id": "cable", "title": "Cable", "price": 9}], "rules": []}"#).unwrap();
/// let bytes = config.to_compiled().unwrap();
/// let mut decoding = Decoding::new(&bytes);
/// let mut steps = 1;
/// let back = loop {
///     match decoding.step(1) {
///         Some(done) => break done.unwrap(),
///         None => steps += 1, // the widget gives the page the main thread here
///     }
/// };
/// assert_eq!(back.products().len(), 2);
/// assert!(steps > 3);
/// ```
#[derive(Debug)]
pub struct Decoding<'b> {
    /// What is left to read.
    bytes: &'b [u8],
    stage: Stage,
}

#[derive(Debug)]
enum Stage {
    Header,
    /// The products; `left` more to read.
    Products {
        store: Box<Store>,
        left: usize,
        products: Vec<Product>,
    },
    /// The rules; `left` more to read.
    Rules {
        store: Box<Store>,
        products: Vec<Product>,
        left: usize,
        rules: Vec<Rule>,
    },
    /// The indexes, then the checks of the whole.
    Indexes {
        store: Box<Store>,
        products: Vec<Product>,
        rules: Vec<Rule>,
    },
    /// Each product, then each rule, checked.
    Checking {
        config: Box<Config>,
        product: usize,
        rule: usize,
    },
    Done,
}

impl<'b> Decoding<'b> {
    /// Starts decoding `bytes`; nothing is done until [`Decoding::step`].
    pub fn new(bytes: &'b [u8]) -> Decoding<'b> {
        Decoding {
            bytes,
            stage: Stage::Header,
        }
    }

    /// Does about `work` units (a product or a rule decoded or checked); the config, or
    /// why the bytes are refused, once done (after that, `None`).
    pub fn step(&mut self, work: usize) -> Option<Result<Config, CompiledError>> {
        let work = work.max(1);
        let mut r = Reader::new(self.bytes);
        let stage = match std::mem::replace(&mut self.stage, Stage::Done) {
            Stage::Header => {
                let Some(rest) = self.bytes.strip_prefix(MAGIC) else {
                    return Some(Err(CompiledError::NotCompiled));
                };
                let Some((format, rest)) = rest.split_first_chunk::<2>() else {
                    return Some(Err(CUT));
                };
                let found = u16::from_le_bytes(*format);
                if found != FORMAT {
                    return Some(Err(CompiledError::Format { found }));
                }
                r = Reader::new(rest);
                let store = Box::new(Store::get(&mut r));
                let left = r.len();
                Stage::Products {
                    store,
                    left,
                    products: Vec::with_capacity(left),
                }
            }
            Stage::Products {
                store,
                mut left,
                mut products,
            } => {
                for _ in 0..work.min(left) {
                    products.push(Product::get(&mut r));
                    left -= 1;
                }
                if left > 0 {
                    Stage::Products {
                        store,
                        left,
                        products,
                    }
                } else {
                    let left = r.len();
                    Stage::Rules {
                        store,
                        products,
                        left,
                        rules: Vec::with_capacity(left),
                    }
                }
            }
            Stage::Rules {
                store,
                products,
                mut left,
                mut rules,
            } => {
                for _ in 0..work.min(left) {
                    rules.push(Rule::get(&mut r));
                    left -= 1;
                }
                if left > 0 {
                    Stage::Rules {
                        store,
                        products,
                        left,
                        rules,
                    }
                } else {
                    Stage::Indexes {
                        store,
                        products,
                        rules,
                    }
                }
            }
            Stage::Indexes {
                store,
                products,
                rules,
            } => {
                let stock = Wire::get(&mut r);
                let bought = Wire::get(&mut r);
                let ranking = Wire::get(&mut r);
                let hand = Wire::get(&mut r);
                if let Err(why) = r.finish() {
                    return Some(Err(why));
                }
                let Some(by_id) = IdIndex::build(&products) else {
                    return Some(Err(CompiledError::Inconsistent("a product id twice")));
                };
                let config = Config {
                    store: *store,
                    products,
                    rules,
                    by_id,
                    stock,
                    bought,
                    ranking,
                    hand,
                    warnings: Vec::new(),
                    shards: None,
                };
                if let Err(why) = check_config(&config) {
                    return Some(Err(CompiledError::Inconsistent(why)));
                }
                Stage::Checking {
                    config: Box::new(config),
                    product: 0,
                    rule: 0,
                }
            }
            Stage::Checking {
                config,
                mut product,
                mut rule,
            } => {
                for _ in 0..work {
                    let checked = if let Some(p) = config.products.get(product) {
                        product += 1;
                        check_product(&config, p, config.stock[product - 1])
                    } else if let Some(x) = config.rules.get(rule) {
                        rule += 1;
                        check_rule(&config, x)
                    } else {
                        return Some(Ok(*config));
                    };
                    if let Err(why) = checked {
                        return Some(Err(CompiledError::Inconsistent(why)));
                    }
                }
                Stage::Checking {
                    config,
                    product,
                    rule,
                }
            }
            Stage::Done => return None,
        };
        // The reader's first failure ends the decoding: nothing after it is read.
        if let Some(why) = r.error.take() {
            return Some(Err(why));
        }
        self.bytes = r.bytes;
        self.stage = stage;
        None
    }
}

/// `Ok` if `ok`, else `what` does not hold together.
fn ensure(ok: bool, what: &'static str) -> Result<(), &'static str> {
    if ok { Ok(()) } else { Err(what) }
}

/// The invariants of a built config as a whole that evaluation indexes by; each product
/// and rule is checked on its own ([`check_product`], [`check_rule`]), in steps.
fn check_config(c: &Config) -> Result<(), &'static str> {
    let products = c.products.len();
    let rules = c.rules.len();
    let dims = c.hand.cross_sell.on_page.dims();
    ensure(u32::try_from(products).is_ok(), "too many products")?;
    ensure(c.stock.len() == products, "stock")?;
    ensure(dims.0 == products, "trigger index")?;
    ensure(c.store.translations.is_complete(), "texts")?;
    let product = |p: &ProductIdx| p.get() < products;
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

/// How many categories and tags `c`'s indexes have.
fn name_counts(c: &Config) -> (usize, usize) {
    let dims = c.hand.cross_sell.on_page.dims();
    (dims.1, dims.2)
}

/// What evaluation relies on in a product, or shows shoppers of it.
fn check_product(c: &Config, p: &Product, in_stock: bool) -> Result<(), &'static str> {
    let (categories, tags) = name_counts(c);
    ensure(p.in_stock == in_stock, "stock")?;
    ensure(
        p.category_key.is_none_or(|k| (k as usize) < categories)
            && p.tag_keys.iter().all(|&k| (k as usize) < tags),
        "product keys",
    )?;
    for url in [&p.url, &p.image].into_iter().flatten() {
        ensure(crate::url::check_url(url).is_ok(), "a product URL")?;
    }
    Ok(())
}

/// A rule names only products, categories and tags that exist.
fn check_rule(c: &Config, rule: &Rule) -> Result<(), &'static str> {
    let (categories, tags) = name_counts(c);
    let products = c.products.len();
    let product = |p: &ProductIdx| p.get() < products;
    let selector = |s: &Selector| {
        s.products.iter().all(product)
            && s.categories.iter().all(|&k| (k as usize) < categories)
            && s.tags.iter().all(|&k| (k as usize) < tags)
    };
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
    ensure(refs_ok, "rule products")
}

/// Bytes being read: each read takes from the front. The first failure is kept, and
/// from then on there is nothing left to read.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    error: Option<CompiledError>,
}

const CUT: CompiledError = CompiledError::Damaged("cut short");
const BAD: CompiledError = CompiledError::Damaged("damaged");

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, error: None }
    }

    /// Records why the bytes do not decode, unless a reason is already recorded, and
    /// empties the reader.
    fn fail(&mut self, why: CompiledError) {
        self.error.get_or_insert(why);
        self.bytes = &[];
    }

    /// The first failure, or one for bytes left over.
    fn finish(&mut self) -> Result<(), CompiledError> {
        match self.error.take() {
            Some(why) => Err(why),
            None if !self.bytes.is_empty() => {
                Err(CompiledError::Damaged("longer than what it encodes"))
            }
            None => Ok(()),
        }
    }

    /// The next `n` bytes; none if there are fewer.
    fn take(&mut self, n: usize) -> &'a [u8] {
        if n > self.bytes.len() {
            self.fail(CUT);
            return &[];
        }
        let (taken, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        taken
    }

    fn byte(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or(0)
    }

    fn varint(&mut self) -> u64 {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte();
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return value;
            }
        }
        self.fail(BAD);
        0
    }

    /// A varint that must fit `T`; zero if it does not.
    fn narrow<T: TryFrom<V> + Default, V>(&mut self, v: V) -> T {
        T::try_from(v).unwrap_or_else(|_| {
            self.fail(BAD);
            T::default()
        })
    }

    /// A length, bounded by what is left (every element takes at least a byte), so a
    /// damaged length cannot ask for a huge allocation.
    fn len(&mut self) -> usize {
        let n: usize = {
            let v = self.varint();
            self.narrow(v)
        };
        if n > self.bytes.len() {
            self.fail(CUT);
            return 0;
        }
        n
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A value in compiled bytes.
pub(crate) trait Wire: Sized {
    /// Appends the value.
    fn put(&self, out: &mut Vec<u8>);
    /// Reads one value from the front; if the bytes do not decode, the reader records why
    /// and this is a placeholder (see the module docs).
    fn get(r: &mut Reader<'_>) -> Self;
}

impl Wire for u64 {
    fn put(&self, out: &mut Vec<u8>) {
        put_varint(out, *self);
    }
    fn get(r: &mut Reader<'_>) -> Self {
        r.varint()
    }
}

/// Unsigned integers narrower than `u64`: a varint that must fit.
macro_rules! wire_unsigned {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn put(&self, out: &mut Vec<u8>) {
                put_varint(out, *self as u64);
            }
            fn get(r: &mut Reader<'_>) -> Self {
                let v = r.varint();
                r.narrow(v)
            }
        }
    )*};
}
wire_unsigned!(u8, u32, usize);

/// Signed integers: zigzagged, so small negatives stay short.
macro_rules! wire_signed {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn put(&self, out: &mut Vec<u8>) {
                let v = i64::from(*self);
                put_varint(out, ((v << 1) ^ (v >> 63)) as u64);
            }
            fn get(r: &mut Reader<'_>) -> Self {
                let z = r.varint();
                let v = (z >> 1) as i64 ^ -((z & 1) as i64);
                r.narrow(v)
            }
        }
    )*};
}
wire_signed!(i32, i64);

impl Wire for f64 {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn get(r: &mut Reader<'_>) -> Self {
        <[u8; 8]>::try_from(r.take(8)).map_or(0.0, f64::from_le_bytes)
    }
}

impl Wire for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn get(r: &mut Reader<'_>) -> Self {
        match r.byte() {
            0 => false,
            1 => true,
            _ => {
                r.fail(BAD);
                false
            }
        }
    }
}

/// A string: its length, then its UTF-8 bytes.
fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

impl Wire for String {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(out, self);
    }
    fn get(r: &mut Reader<'_>) -> Self {
        let n = r.len();
        match std::str::from_utf8(r.take(n)) {
            Ok(s) => s.to_owned(),
            Err(_) => {
                r.fail(BAD);
                String::new()
            }
        }
    }
}

impl Wire for Box<str> {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(out, self);
    }
    fn get(r: &mut Reader<'_>) -> Self {
        String::get(r).into_boxed_str()
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        put_varint(out, self.len() as u64);
        self.iter().for_each(|x| x.put(out));
    }
    fn get(r: &mut Reader<'_>) -> Self {
        let n = r.len();
        let mut v = Vec::with_capacity(n);
        // After a failure the rest of the list is not read as placeholders.
        while v.len() < n && r.error.is_none() {
            v.push(T::get(r));
        }
        v
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(x) => {
                out.push(1);
                x.put(out);
            }
        }
    }
    fn get(r: &mut Reader<'_>) -> Self {
        bool::get(r).then(|| T::get(r))
    }
}

impl<T: Wire> Wire for Box<T> {
    fn put(&self, out: &mut Vec<u8>) {
        (**self).put(out);
    }
    fn get(r: &mut Reader<'_>) -> Self {
        Box::new(T::get(r))
    }
}

impl<A: Wire, B: Wire> Wire for (A, B) {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn get(r: &mut Reader<'_>) -> Self {
        (A::get(r), B::get(r))
    }
}

/// Structs with named fields (every field, in this order), tuple structs of one field, and
/// enums whose variants hold one value or none (tagged by a byte).
macro_rules! wire {
    ($($ty:ident { $($field:ident),* $(,)? })*) => {$(
        impl Wire for $ty {
            fn put(&self, out: &mut Vec<u8>) {
                $(self.$field.put(out);)*
            }
            fn get(r: &mut Reader<'_>) -> Self {
                // Fields are evaluated in the order written, which is the order put.
                $ty { $($field: Wire::get(r),)* }
            }
        }
    )*};
}

macro_rules! wire_newtype {
    ($($ty:ident),*) => {$(
        impl Wire for $ty {
            fn put(&self, out: &mut Vec<u8>) {
                self.0.put(out);
            }
            fn get(r: &mut Reader<'_>) -> Self {
                $ty(Wire::get(r))
            }
        }
    )*};
}

macro_rules! wire_enum {
    ($ty:ident { $($tag:literal => $variant:ident $(($inner:ident))?),* $(,)? }) => {
        impl Wire for $ty {
            fn put(&self, out: &mut Vec<u8>) {
                match self {
                    $($ty::$variant $(($inner))? => {
                        out.push($tag);
                        $($inner.put(out);)?
                    })*
                }
            }
            fn get(r: &mut Reader<'_>) -> Self {
                match r.byte() {
                    $($tag => $ty::$variant $((wire_enum!(@get r $inner)))?,)*
                    _ => {
                        // The placeholder: a failed reader reads tag 0 from now on.
                        r.fail(BAD);
                        Self::get(r)
                    }
                }
            }
        }
    };
    (@get $r:ident $inner:ident) => { Wire::get($r) };
}

wire_newtype!(ProductIdx, RuleIdx, Money);

wire! {
    Store { name, currency, locale, free_shipping_threshold, max_items,
            bundle_discount_percent, bundle_discount_code, bundle_discount_automatic,
            translations, frequency_cap, holdout, data_layer }
    MaxItems { product, cart, checkout, confirmation }
    FrequencyCap { dismiss_days, impressions, rest_days }
    Holdout { experiment, basis_points }
    Translations { default_locale, locales }
    CopyTexts { texts }
    Product { id, title, price, compare_at_price, url, image, category, tags, vendor,
              in_stock, variants, attributes, category_key, tag_keys }
    Variant { id, title, price, in_stock }
    Rule { id, priority, limit, conditions, copy, source, kind }
    RawRuleCopy { title, reason }
    BoughtTogether { antecedent, consequent, measures }
    Measures { support, confidence, lift, weight }
    CrossSell { suggest }
    Upgrade { from, to, compare }
    AddOn { trigger, add_ons }
    Threshold { by_price }
    Selector { products, categories, tags }
    Conditions { placements, viewing, any, all, none, min_value, max_value, segments,
                 from, until, trivial }
    TriggerIndex { by_product, by_category, by_tag }
    Triggers { on_page, in_basket, always }
    HandIndex { cross_sell, upgrade, add_on, threshold }
    Edge { target, rule, strength, confidence, priority, simple }
    Adjacency { offsets, edges }
    Ranking { smoothing, power, damping, spread, longer, weighted, peak, prior }
}

wire_enum!(RuleKind {
    0 => BoughtTogether(x),
    1 => CrossSell(x),
    2 => Upgrade(x),
    3 => AddOn(x),
    4 => Threshold(x),
});

wire_enum!(RuleSource {
    0 => Hand,
    1 => Mined,
});

/// As its code; reading it back re-derives the exponent, so a compiled config cannot carry
/// a currency the engine does not know how to scale.
impl Wire for Currency {
    fn put(&self, out: &mut Vec<u8>) {
        put_str(out, self.code());
    }
    fn get(r: &mut Reader<'_>) -> Self {
        let code = String::get(r);
        Currency::parse(&code).unwrap_or_else(|| {
            r.fail(CompiledError::Inconsistent("currency"));
            Currency::NONE
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One value from the front of `bytes`, or why it does not decode.
    fn read<T: Wire>(bytes: &[u8]) -> Result<T, CompiledError> {
        let r = &mut Reader::new(bytes);
        let value = T::get(r);
        r.error.take().map_or(Ok(value), Err)
    }

    /// `value` written and read back, with nothing left over.
    fn back<T: Wire>(value: &T) -> Result<T, CompiledError> {
        let mut out = Vec::new();
        value.put(&mut out);
        let r = &mut Reader::new(&out);
        let value = T::get(r);
        r.finish().map(|()| value)
    }

    #[test]
    fn integers_round_trip_at_their_edges() {
        for v in [0, 1, 127, 128, 16_383, 16_384, u64::MAX] {
            assert_eq!(back(&v), Ok(v));
        }
        for v in [0, -1, 1, -64, 64, i64::MIN, i64::MAX] {
            assert_eq!(back(&v), Ok(v));
        }
        assert_eq!(back(&i32::MIN), Ok(i32::MIN));
        assert_eq!(back(&u32::MAX), Ok(u32::MAX));
        assert_eq!(back(&-0.0f64).map(f64::to_bits), Ok((-0.0f64).to_bits()));
        assert_eq!(
            back(&Some("دوربین".to_owned())),
            Ok(Some("دوربین".to_owned()))
        );
    }

    #[test]
    fn out_of_range_and_overlong_values_are_refused() {
        let mut out = Vec::new();
        u64::from(u32::MAX).wrapping_add(1).put(&mut out);
        assert_eq!(read::<u32>(&out), Err(BAD));
        // Eleven continuation bytes: longer than any u64.
        let overlong = [0x80u8; 11];
        assert_eq!(read::<u64>(&overlong), Err(BAD));
        assert_eq!(read::<bool>(&[2]), Err(BAD));
        assert_eq!(read::<String>(&[2, 0xff, 0xfe]), Err(BAD));
        // A list claiming more elements than there are bytes left.
        assert_eq!(read::<Vec<u8>>(&[200, 1]), Err(CUT));
        assert_eq!(read::<Option<u8>>(&[1]), Err(CUT));
        assert_eq!(read::<RuleSource>(&[7]), Err(BAD));
    }

    /// The first failure is the one reported, and nothing after it is read: a list whose
    /// third element is damaged stops there, and a later cut does not replace the reason.
    #[test]
    fn the_first_failure_stands_and_ends_the_read() {
        // Three bools, the third damaged (9), then a cut where a number should follow.
        assert_eq!(read::<(Vec<bool>, u64)>(&[3, 1, 0, 9]), Err(BAD));
        // The damaged element is a placeholder, and the list ends with it.
        let r = &mut Reader::new(&[3, 1, 9, 1, 0x80]);
        assert_eq!(Vec::<bool>::get(r), [true, false]);
        assert_eq!(r.bytes, &[] as &[u8]);
        assert_eq!(u64::get(r), 0);
        assert_eq!(r.finish(), Err(BAD));
        // Bytes left over after a whole value.
        let r = &mut Reader::new(&[1, 1, 0]);
        assert_eq!(Vec::<bool>::get(r), [true]);
        assert_eq!(
            r.finish(),
            Err(CompiledError::Damaged("longer than what it encodes"))
        );
    }
}
