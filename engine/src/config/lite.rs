//! Reads a [`RawConfig`] from text with [`crate::json`] instead of `serde_json` and serde's
//! derives: the widget's way in, and the fast path everywhere.
//!
//! It accepts exactly the documents the serde types accept, builds the same values, and
//! stops at the first problem (with its JSON path). Where it is stricter than serde (serde
//! also reads a struct from an array of its fields), the caller falls back to serde when it
//! has it (the `diagnostics` feature), so the CLI's behaviour does not depend on this file.

use super::build::{Problem, closest};
use super::path::JsonPath;
use super::raw::{
    RawAddOn, RawBoughtTogether, RawConditions, RawConfig, RawCrossSell, RawDateWindow,
    RawFrequencyCap, RawHoldout, RawMaxItems, RawProduct, RawRange, RawRule, RawRuleCopy,
    RawSelector, RawShard, RawShards, RawStore, RawThreshold, RawUpgrade, RawVariant, RuleSource,
};
use crate::json::{self, Value};
use crate::map::StrMap;
use std::borrow::Cow;

/// The first problem, located by path (and, for syntax errors, by line and column): the
/// [`Reader`] run to the end.
pub(super) fn from_json(text: &str) -> Result<RawConfig, Problem> {
    let mut reader = Reader::new(text);
    loop {
        if let Some(done) = reader.step(usize::MAX) {
            return done;
        }
    }
}

/// The top-level members, in the order the typed reading reads them (and so ranks their
/// problems).
const ROOT_KEYS: [&str; 6] = ["$schema", "version", "store", "catalog", "rules", "shards"];
const CATALOG: usize = 3;
const RULES: usize = 4;

/// Reads a config in steps: the top-level members one by one, and the catalog and the
/// rules one entry at a time, so the widget can give the page the main thread between
/// steps and the document is never one tree in memory. It reports the problem the whole
/// document read at once would: a syntax error anywhere first, then a misnamed or
/// repeated top-level key, then the first problem of `$schema`, `version`, `store`,
/// `catalog`, `rules` in that order. After a problem it only checks the syntax of the
/// rest.
#[derive(Debug)]
pub(super) struct Reader<'t> {
    text: &'t str,
    cursor: json::Cursor<'t>,
    state: State,
    raw: RawConfig,
    seen: [bool; 6],
    /// The problem to report and its rank: 0 for a top-level key, 1 + its place in
    /// [`ROOT_KEYS`] for a member's value.
    problem: Option<(usize, Problem)>,
    /// Byte offset of each catalog entry read, in order.
    pub(super) catalog_at: Vec<usize>,
    /// Byte offset of each rule read, in order.
    pub(super) rules_at: Vec<usize>,
}

#[derive(Debug, Clone, Copy)]
enum State {
    Start,
    Members,
    Elements { field: usize, index: usize },
}

impl<'t> Reader<'t> {
    pub(super) fn new(text: &'t str) -> Reader<'t> {
        Reader {
            text,
            cursor: json::Cursor::new(text),
            state: State::Start,
            raw: RawConfig::default(),
            seen: [false; 6],
            problem: None,
            catalog_at: Vec::new(),
            rules_at: Vec::new(),
        }
    }

    /// Reads about `budget` members or entries; the outcome once the document is read.
    pub(super) fn step(&mut self, budget: usize) -> Option<Result<RawConfig, Problem>> {
        for _ in 0..budget.max(1) {
            match self.advance() {
                Ok(false) => {}
                Ok(true) => return Some(self.outcome()),
                Err(e) => {
                    let mut problem = Problem::error(JsonPath::root(), e.message);
                    problem.location = Some(e.line_column(self.text));
                    return Some(Err(problem));
                }
            }
        }
        None
    }

    /// One member or entry; `true` once the document is read.
    fn advance(&mut self) -> Result<bool, json::SyntaxError> {
        match self.state {
            State::Start => {
                if !self.cursor.open_object() {
                    let value = self.cursor.value()?;
                    self.cursor.finish()?;
                    let message = format!("invalid type: {}, expected an object", value.kind());
                    self.note(0, Problem::error(JsonPath::root(), message));
                    return Ok(true);
                }
                self.state = State::Members;
            }
            State::Members => {
                let Some(key) = self.cursor.next_member()? else {
                    self.cursor.finish()?;
                    return Ok(true);
                };
                match ROOT_KEYS.iter().position(|k| *k == key) {
                    None => {
                        let hint = closest(&key, &ROOT_KEYS)
                            .map(|k| format!("; did you mean `{k}`?"))
                            .unwrap_or_default();
                        let path = JsonPath::root().key(key.as_ref());
                        self.note(
                            0,
                            Problem::error(path, format!("unknown field `{key}`{hint}")),
                        );
                        self.cursor.value()?;
                    }
                    Some(field) if self.seen[field] => {
                        let message = format!("duplicate field `{key}`");
                        self.note(0, Problem::error(JsonPath::root(), message));
                        self.cursor.value()?;
                    }
                    Some(field) => {
                        self.seen[field] = true;
                        if field >= CATALOG && self.cursor.open_array() {
                            self.state = State::Elements { field, index: 0 };
                        } else {
                            let value = self.cursor.value()?;
                            if self.wants(field) {
                                let read = self.member(field, &value);
                                if let Err(e) = read {
                                    let problem = located(JsonPath::root().key(key.as_ref()), e);
                                    self.note(1 + field, problem);
                                }
                            }
                        }
                    }
                }
            }
            State::Elements { field, index } => {
                if !self.cursor.next_element()? {
                    self.state = State::Members;
                    return Ok(false);
                }
                let at = self.cursor.value_start();
                let value = self.cursor.value()?;
                self.state = State::Elements {
                    field,
                    index: index + 1,
                };
                if !self.wants(field) {
                    return Ok(false);
                }
                let read = if field == CATALOG {
                    RawProduct::read(&value).map(|p| {
                        self.raw.catalog.push(p);
                        self.catalog_at.push(at);
                    })
                } else {
                    RawRule::read(&value).map(|r| {
                        self.raw.rules.push(r);
                        self.rules_at.push(at);
                    })
                };
                if let Err(e) = read {
                    let path = JsonPath::root().key(ROOT_KEYS[field]).index(index);
                    self.note(1 + field, located(path, e));
                }
            }
        }
        Ok(false)
    }

    /// Reads a whole top-level member into the config.
    fn member<'v>(&mut self, field: usize, value: &'v Value<'_>) -> Read<'v, ()> {
        match field {
            0 => self.raw.schema = ReadJson::read(value)?,
            1 => self.raw.version = ReadJson::read(value)?,
            2 => self.raw.store = ReadJson::read(value)?,
            CATALOG => self.raw.catalog = ReadJson::read(value)?,
            RULES => self.raw.rules = ReadJson::read(value)?,
            _ => self.raw.shards = ReadJson::read(value)?,
        }
        Ok(())
    }

    /// Whether reading `field` could still change the problem reported.
    fn wants(&self, field: usize) -> bool {
        self.problem
            .as_ref()
            .is_none_or(|(rank, _)| 1 + field < *rank)
    }

    fn note(&mut self, rank: usize, problem: Problem) {
        if self.problem.as_ref().is_none_or(|(r, _)| rank < *r) {
            self.problem = Some((rank, problem));
        }
    }

    fn outcome(&mut self) -> Result<RawConfig, Problem> {
        for (field, key) in [(1, "version"), (2, "store")] {
            if !self.seen[field] {
                let message = format!("missing field `{key}`");
                self.note(1 + field, Problem::error(JsonPath::root(), message));
            }
        }
        match self.problem.take() {
            Some((_, problem)) => Err(problem),
            None => Ok(std::mem::take(&mut self.raw)),
        }
    }
}

/// A reading problem at `prefix` plus the path it carries.
fn located(prefix: JsonPath, e: Error<'_>) -> Problem {
    let mut path = prefix;
    for segment in e.path.iter().rev() {
        path = match segment {
            Step::Key(k) => path.key(*k),
            Step::Index(i) => path.index(*i),
        };
    }
    Problem::error(path, e.message)
}

/// A shard file (see [`RawShard`]), or its first problem.
pub(super) fn shard_from_json(text: &str) -> Result<RawShard, Problem> {
    let value = json::parse(text).map_err(|e| {
        let mut problem = Problem::error(JsonPath::root(), e.message);
        problem.location = Some(e.line_column(text));
        problem
    })?;
    RawShard::read(&value).map_err(|e| located(JsonPath::root(), e))
}

impl ReadJson for RawShard {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let f = Fields::new(
            value,
            &["version", "catalog", "catalog_at", "rules", "rules_at"],
        )?;
        Ok(RawShard {
            version: f.req("version")?,
            catalog: f.opt("catalog")?,
            catalog_at: f.opt("catalog_at")?,
            rules: f.opt("rules")?,
            rules_at: f.opt("rules_at")?,
        })
    }
}

impl ReadJson for RawShards {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let f = Fields::new(value, &["path", "catalog_at", "rules_at", "cart"])?;
        Ok(RawShards {
            path: f.req("path")?,
            catalog_at: f.opt("catalog_at")?,
            rules_at: f.opt("rules_at")?,
            cart: f.opt("cart")?,
        })
    }
}

/// A problem, with its path built from the inside out as it propagates.
struct Error<'v> {
    path: Vec<Step<'v>>,
    message: String,
}

enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

type Read<'v, T> = Result<T, Error<'v>>;

fn fail<'v, T>(message: String) -> Read<'v, T> {
    Err(Error {
        path: Vec::new(),
        message,
    })
}

fn invalid<'v, T>(value: &Value<'_>, expected: &str) -> Read<'v, T> {
    fail(format!(
        "invalid type: {}, expected {expected}",
        value.kind()
    ))
}

fn at<'v, T>(result: Read<'v, T>, step: Step<'v>) -> Read<'v, T> {
    result.map_err(|mut e| {
        e.path.push(step);
        e
    })
}

/// A value read from JSON the way its serde derive reads it.
trait ReadJson: Sized {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self>;
}

impl ReadJson for String {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        match value {
            Value::String(s) => Ok(s.as_ref().to_owned()),
            other => invalid(other, "a string"),
        }
    }
}

impl ReadJson for f64 {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        value
            .as_f64()
            .map_or_else(|| invalid(value, "a number"), Ok)
    }
}

impl ReadJson for u32 {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        match value.as_u64().map(u32::try_from) {
            Some(Ok(n)) => Ok(n),
            _ => invalid(value, "a whole number ≥ 0"),
        }
    }
}

impl ReadJson for i32 {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        match value.as_i64().map(i32::try_from) {
            Some(Ok(n)) => Ok(n),
            _ => invalid(value, "a whole number"),
        }
    }
}

impl ReadJson for bool {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        match value {
            Value::Bool(b) => Ok(*b),
            other => invalid(other, "true or false"),
        }
    }
}

impl<T: ReadJson> ReadJson for Option<T> {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        match value {
            Value::Null => Ok(None),
            other => T::read(other).map(Some),
        }
    }
}

impl<T: ReadJson> ReadJson for Vec<T> {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let Value::Array(items) = value else {
            return invalid(value, "an array");
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| at(T::read(item), Step::Index(i)))
            .collect()
    }
}

/// Like serde's map: a repeated key keeps its last value.
impl<T: ReadJson> ReadJson for StrMap<T> {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let Value::Object(members) = value else {
            return invalid(value, "an object");
        };
        // Inserting one by one, not `collect()`: that sorts, and each sort is its own
        // copy of the standard library's sort in the wasm.
        let mut map = StrMap::new();
        for (k, v) in members {
            map.insert(k.as_ref().to_owned(), at(T::read(v), Step::Key(k))?);
        }
        Ok(map)
    }
}

/// A struct's members, checked against its field names (`deny_unknown_fields`, no
/// repeats) before any field is read.
struct Fields<'v, 'a>(&'v [(Cow<'a, str>, Value<'a>)]);

impl<'v, 'a> Fields<'v, 'a> {
    fn new(value: &'v Value<'a>, known: &[&str]) -> Read<'v, Self> {
        Self::with_skip(value, known, "")
    }

    /// Like `new`, ignoring the member `skip` (a rule's `kind` tag).
    fn with_skip(value: &'v Value<'a>, known: &[&str], skip: &str) -> Read<'v, Self> {
        let Value::Object(members) = value else {
            return invalid(value, "an object");
        };
        for (i, (key, _)) in members.iter().enumerate() {
            if key == skip {
                continue;
            }
            if !known.contains(&key.as_ref()) {
                let hint = closest(key, known)
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default();
                return at(fail(format!("unknown field `{key}`{hint}")), Step::Key(key));
            }
            if members[..i].iter().any(|(k, _)| k == key) {
                return fail(format!("duplicate field `{key}`"));
            }
        }
        Ok(Fields(members))
    }

    fn get(&self, key: &str) -> Option<&'v Value<'a>> {
        self.0.iter().find(|(k, _)| k == key).map(|m| &m.1)
    }

    /// A required field.
    fn req<T: ReadJson>(&self, key: &'static str) -> Read<'v, T> {
        match self.get(key) {
            Some(v) => at(T::read(v), Step::Key(key)),
            None => fail(format!("missing field `{key}`")),
        }
    }

    /// A field that defaults to `T::default()`.
    fn opt<T: ReadJson + Default>(&self, key: &'static str) -> Read<'v, T> {
        self.or(key, T::default)
    }

    /// A field with its own default.
    fn or<T: ReadJson>(&self, key: &'static str, default: impl FnOnce() -> T) -> Read<'v, T> {
        match self.get(key) {
            Some(v) => at(T::read(v), Step::Key(key)),
            None => Ok(default()),
        }
    }
}

impl ReadJson for RawStore {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let f = Fields::new(
            value,
            &[
                "name",
                "currency",
                "locale",
                "free_shipping_threshold",
                "max_items",
                "bundle_discount_percent",
                "copy",
                "frequency_cap",
                "holdout",
                "data_layer",
            ],
        )?;
        let defaults = RawStore::default();
        Ok(RawStore {
            name: f.opt("name")?,
            currency: f.req("currency")?,
            locale: f.or("locale", || defaults.locale)?,
            free_shipping_threshold: f.opt("free_shipping_threshold")?,
            max_items: f.opt("max_items")?,
            bundle_discount_percent: f.opt("bundle_discount_percent")?,
            copy: f.opt("copy")?,
            frequency_cap: f.opt("frequency_cap")?,
            holdout: f.opt("holdout")?,
            data_layer: f.opt("data_layer")?,
        })
    }
}

impl ReadJson for RawFrequencyCap {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let f = Fields::new(value, &["dismiss_days", "impressions", "rest_days"])?;
        let d = RawFrequencyCap::default();
        Ok(RawFrequencyCap {
            dismiss_days: f.or("dismiss_days", || d.dismiss_days)?,
            impressions: f.or("impressions", || d.impressions)?,
            rest_days: f.or("rest_days", || d.rest_days)?,
        })
    }
}

impl ReadJson for RawHoldout {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let f = Fields::new(value, &["experiment", "percent"])?;
        Ok(RawHoldout {
            experiment: f.req("experiment")?,
            percent: f.req("percent")?,
        })
    }
}

impl ReadJson for RawMaxItems {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let f = Fields::new(value, &["product", "cart", "checkout", "confirmation"])?;
        let d = RawMaxItems::default();
        Ok(RawMaxItems {
            product: f.or("product", || d.product)?,
            cart: f.or("cart", || d.cart)?,
            checkout: f.or("checkout", || d.checkout)?,
            confirmation: f.or("confirmation", || d.confirmation)?,
        })
    }
}

impl ReadJson for RawProduct {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let f = Fields::new(
            value,
            &[
                "id",
                "title",
                "price",
                "compare_at_price",
                "url",
                "image",
                "category",
                "tags",
                "vendor",
                "in_stock",
                "variants",
                "attributes",
            ],
        )?;
        Ok(RawProduct {
            id: f.req("id")?,
            title: f.req("title")?,
            price: f.req("price")?,
            compare_at_price: f.opt("compare_at_price")?,
            url: f.opt("url")?,
            image: f.opt("image")?,
            category: f.opt("category")?,
            tags: f.opt("tags")?,
            vendor: f.opt("vendor")?,
            in_stock: f.or("in_stock", || true)?,
            variants: f.opt("variants")?,
            attributes: f.opt("attributes")?,
        })
    }
}

impl ReadJson for RawVariant {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let f = Fields::new(value, &["id", "title", "price", "in_stock"])?;
        Ok(RawVariant {
            id: f.req("id")?,
            title: f.opt("title")?,
            price: f.opt("price")?,
            in_stock: f.or("in_stock", || true)?,
        })
    }
}

const KINDS: [&str; 5] = [
    "bought_together",
    "cross_sell",
    "upgrade",
    "add_on",
    "threshold",
];

impl ReadJson for RawRule {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let Value::Object(members) = value else {
            return invalid(value, "an object");
        };
        let mut kinds = members.iter().filter(|(k, _)| k == "kind");
        let kind = match (kinds.next(), kinds.next()) {
            (Some(_), Some(_)) => return fail("duplicate field `kind`".into()),
            (None, _) => {
                return fail(format!(
                    "missing field `kind` (one of {})",
                    KINDS.join(", ")
                ));
            }
            (Some((_, Value::String(kind))), None) => kind.as_ref(),
            (Some((_, other)), None) => {
                return at(invalid(other, "a string"), Step::Key("kind"));
            }
        };
        let rule = |known: &[&str]| Fields::with_skip(value, known, "kind");
        Ok(match kind {
            "bought_together" => {
                let f = rule(&[
                    "id",
                    "antecedent",
                    "consequent",
                    "support",
                    "confidence",
                    "lift",
                    "weight",
                    "priority",
                    "conditions",
                    "limit",
                    "copy",
                    "source",
                ])?;
                RawRule::BoughtTogether(RawBoughtTogether {
                    id: f.req("id")?,
                    antecedent: f.req("antecedent")?,
                    consequent: f.req("consequent")?,
                    support: f.opt("support")?,
                    confidence: f.opt("confidence")?,
                    lift: f.opt("lift")?,
                    weight: f.opt("weight")?,
                    priority: f.opt("priority")?,
                    conditions: f.opt("conditions")?,
                    limit: f.opt("limit")?,
                    copy: f.opt("copy")?,
                    source: f.opt("source")?,
                })
            }
            "cross_sell" => {
                let f = rule(&["id", "conditions", "suggest", "priority", "limit", "copy"])?;
                RawRule::CrossSell(RawCrossSell {
                    id: f.req("id")?,
                    conditions: f.opt("conditions")?,
                    suggest: f.req("suggest")?,
                    priority: f.opt("priority")?,
                    limit: f.opt("limit")?,
                    copy: f.opt("copy")?,
                })
            }
            "upgrade" => {
                let f = rule(&[
                    "id",
                    "from",
                    "to",
                    "compare",
                    "conditions",
                    "priority",
                    "copy",
                ])?;
                RawRule::Upgrade(RawUpgrade {
                    id: f.req("id")?,
                    from: f.req("from")?,
                    to: f.req("to")?,
                    compare: f.opt("compare")?,
                    conditions: f.opt("conditions")?,
                    priority: f.opt("priority")?,
                    copy: f.opt("copy")?,
                })
            }
            "add_on" => {
                let f = rule(&[
                    "id",
                    "trigger",
                    "add_ons",
                    "conditions",
                    "priority",
                    "limit",
                    "copy",
                ])?;
                RawRule::AddOn(RawAddOn {
                    id: f.req("id")?,
                    trigger: f.req("trigger")?,
                    add_ons: f.req("add_ons")?,
                    conditions: f.opt("conditions")?,
                    priority: f.opt("priority")?,
                    limit: f.opt("limit")?,
                    copy: f.opt("copy")?,
                })
            }
            "threshold" => {
                let f = rule(&["id", "suggest", "conditions", "priority", "limit", "copy"])?;
                RawRule::Threshold(RawThreshold {
                    id: f.req("id")?,
                    suggest: f.opt("suggest")?,
                    conditions: f.opt("conditions")?,
                    priority: f.opt("priority")?,
                    limit: f.opt("limit")?,
                    copy: f.opt("copy")?,
                })
            }
            other => {
                return at(
                    fail(format!(
                        "unknown rule kind `{other}` (one of {})",
                        KINDS.join(", ")
                    )),
                    Step::Key("kind"),
                );
            }
        })
    }
}

impl ReadJson for RawSelector {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let f = Fields::new(value, &["products", "categories", "tags"])?;
        Ok(RawSelector {
            products: f.opt("products")?,
            categories: f.opt("categories")?,
            tags: f.opt("tags")?,
        })
    }
}

impl ReadJson for RawConditions {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let f = Fields::new(
            value,
            &[
                "placements",
                "viewing",
                "basket_contains_any",
                "basket_contains_all",
                "basket_contains_none",
                "basket_value",
                "segments",
                "dates",
            ],
        )?;
        Ok(RawConditions {
            placements: f.opt("placements")?,
            viewing: f.opt("viewing")?,
            basket_contains_any: f.opt("basket_contains_any")?,
            basket_contains_all: f.opt("basket_contains_all")?,
            basket_contains_none: f.opt("basket_contains_none")?,
            basket_value: f.opt("basket_value")?,
            segments: f.opt("segments")?,
            dates: f.opt("dates")?,
        })
    }
}

impl ReadJson for RawRange {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let f = Fields::new(value, &["min", "max"])?;
        Ok(RawRange {
            min: f.opt("min")?,
            max: f.opt("max")?,
        })
    }
}

impl ReadJson for RawDateWindow {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let f = Fields::new(value, &["from", "until"])?;
        Ok(RawDateWindow {
            from: f.opt("from")?,
            until: f.opt("until")?,
        })
    }
}

impl ReadJson for RawRuleCopy {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        let f = Fields::new(value, &["title", "reason"])?;
        Ok(RawRuleCopy {
            title: f.opt("title")?,
            reason: f.opt("reason")?,
        })
    }
}

impl ReadJson for RuleSource {
    fn read<'v>(value: &'v Value<'_>) -> Read<'v, Self> {
        match value.as_str() {
            Some("hand") => Ok(RuleSource::Hand),
            Some("mined") => Ok(RuleSource::Mined),
            Some(other) => fail(format!(
                "unknown variant `{other}`, expected `hand` or `mined`"
            )),
            None => invalid(value, "a string"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde(text: &str) -> Option<RawConfig> {
        serde_json::from_str(text).ok()
    }

    /// Wherever the small reader accepts a document, serde accepts it too and reads the
    /// same config; on real configs they agree on acceptance as well.
    #[test]
    fn reads_what_serde_reads() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
        for file in [
            "demo-site/cartlift/config.json",
            "tests/data/configs/ten-mistakes.json",
        ] {
            let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
            assert_eq!(from_json(&text).ok(), serde(&text), "{file}");
        }
        let store = r#""store": {"currency": "EUR", "name": "s", "max_items": {"cart": 2},
            "copy": {"fa": {"a": "b", "a": "c"}}, "frequency_cap": {"impressions": 0},
            "holdout": {"experiment": "e", "percent": 5}, "data_layer": true,
            "free_shipping_threshold": 50, "bundle_discount_percent": null}"#;
        let rules = r#"[
            {"kind": "bought_together", "id": "r1", "antecedent": ["a"], "consequent": ["b"],
             "support": 0.1, "confidence": 1, "lift": null, "priority": -3, "source": "mined",
             "conditions": {"placements": ["cart"], "basket_value": {"min": 1e1},
                            "dates": {"from": "2024-01-01"}, "viewing": {"tags": ["t"]}}},
            {"id": "r2", "kind": "cross_sell", "suggest": {"categories": ["c"]}, "limit": 2,
             "copy": {"en": {"title": "T", "reason": null}}},
            {"kind": "upgrade", "id": "r3", "from": ["a"], "to": "b", "compare": ["x"]},
            {"kind": "add_on", "id": "r4", "trigger": {"products": ["a"]}, "add_ons": ["c"]},
            {"kind": "threshold", "id": "r5"}
        ]"#;
        let catalog = r#"[{"id": "a", "title": "A", "price": 0.1, "tags": ["t"],
            "variants": [{"id": "v", "price": null, "in_stock": false}],
            "attributes": {"k": "v"}, "in_stock": true, "url": "/a", "compare_at_price": 1}]"#;
        let good = format!(
            r#"{{"$schema": "x", "version": 1, {store}, "catalog": {catalog}, "rules": {rules}}}"#
        );
        let config = from_json(&good).ok();
        assert!(config.is_some());
        assert_eq!(config, serde(&good));
        assert_eq!(
            from_json(r#"{"version": 1, "store": {"currency": "USD"}}"#).ok(),
            serde(r#"{"version": 1, "store": {"currency": "USD"}}"#)
        );

        let bad = [
            (r#"{"version": 1}"#, "", "missing field `store`"),
            (
                r#"{"version": -1, "store": {"currency": "USD"}}"#,
                "version",
                "invalid type",
            ),
            (
                r#"{"version": 1.0, "store": {"currency": "USD"}}"#,
                "version",
                "invalid type",
            ),
            (
                r#"{"version": 1, "store": {"currency": "USD", "currency": "EUR"}}"#,
                "store",
                "duplicate field `currency`",
            ),
            (
                r#"{"version": 1, "store": {"currency": "USD"}, "catalog": null}"#,
                "catalog",
                "invalid type: null",
            ),
            (
                r#"{"version": 1, "store": {"currency": "USD"}, "catalog": [{"id": "a", "title": "A", "prise": 1}]}"#,
                "catalog[0].prise",
                "unknown field `prise`; did you mean `price`?",
            ),
            (
                r#"{"version": 1, "store": {"currency": "USD"}, "rules": [{"id": "r"}]}"#,
                "rules[0]",
                "missing field `kind`",
            ),
            (
                r#"{"version": 1, "store": {"currency": "USD"}, "rules": [{"kind": "x", "id": "r"}]}"#,
                "rules[0].kind",
                "unknown rule kind",
            ),
            (
                r#"{"version": 1, "store": {"currency": "USD"}, "rules": [{"kind": "upgrade", "kind": "upgrade"}]}"#,
                "rules[0]",
                "duplicate",
            ),
            (
                r#"{"version": 1, "store": {"currency": "USD"}, "rules": [{"kind": "threshold", "id": "r", "priority": 3000000000}]}"#,
                "rules[0].priority",
                "invalid type",
            ),
            (
                r#"{"version": 1, "store": {"currency": "USD"}, "rules": [{"kind": "threshold", "id": "r", "source": "mined"}]}"#,
                "rules[0].source",
                "unknown field",
            ),
            (
                r#"{"version": 1, "store": {"currency": "USD", "copy": {"fa": {"a": 1}}}}"#,
                "store.copy.fa.a",
                "invalid type: a number",
            ),
            (
                r#"{"version": 1, "store": {"currency": "USD"}, "x": 1}"#,
                "x",
                "unknown field `x`",
            ),
        ];
        for (text, path, message) in bad {
            let problem = from_json(text).unwrap_err();
            assert!(serde(text).is_none(), "{text}");
            assert_eq!(problem.path.to_string(), path, "{text}");
            assert!(
                problem.message.contains(message),
                "{text}: {}",
                problem.message
            );
        }
        let syntax = from_json("{\n  \"version\": 1,\n}").unwrap_err();
        assert_eq!(syntax.location, Some((3, 1)));
    }
}
