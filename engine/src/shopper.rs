//! What the widget remembers about one shopper, kept in their own browser only: products
//! they marked "Not interested", how often each product was shown without a click, and an
//! anonymous random id used for nothing but the holdout bucket.
//!
//! Pure and clock-free like the rest of the engine: the widget passes `now` in and stores
//! [`ShopperMemory::to_json`] wherever it can (localStorage, or nowhere when storage is
//! blocked). Anything unreadable is treated as an empty memory, never as an error: a
//! corrupt entry must not cost the shopper their suggestions.

use crate::config::{FrequencyCap, Holdout};
use crate::json::{self, Json};
use crate::map::StrMap;
use serde::{Deserialize, Serialize};

const DAY: i64 = 86_400;

/// Most products remembered per list; the oldest entries go first beyond that, so the
/// stored value stays a few kilobytes whatever the catalog.
pub const MAX_REMEMBERED: usize = 400;

/// Which side of a holdout split a shopper is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bucket {
    /// Sees suggestions (also: every shopper when the store runs no holdout).
    Treatment,
    /// Sees none; events still report what would have been shown.
    Holdout,
}

impl Bucket {
    /// `"treatment"` or `"holdout"`, as reported in events.
    pub fn name(self) -> &'static str {
        match self {
            Bucket::Treatment => "treatment",
            Bucket::Holdout => "holdout",
        }
    }
}

/// One shopper's memory. Serialized compactly: `{"v":1,"id":"…","rest":{…},"shown":{…}}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopperMemory {
    #[serde(default)]
    v: u8,
    /// Anonymous random id (no meaning outside the holdout hash).
    #[serde(default)]
    id: String,
    /// Product id → Unix second until which it is not suggested.
    #[serde(default)]
    rest: StrMap<i64>,
    /// Product id → (impressions without a click, Unix second of the last one).
    #[serde(default)]
    shown: StrMap<(u32, i64)>,
}

impl ShopperMemory {
    /// A fresh memory with the given anonymous id.
    pub fn new(id: impl Into<String>) -> Self {
        ShopperMemory {
            v: 1,
            id: id.into(),
            ..Default::default()
        }
    }

    /// Reads a stored memory; `None` when there is none or it is unreadable (the caller
    /// starts a fresh one). Rests that are over are dropped.
    pub fn from_json(text: &str, now: i64) -> Option<Self> {
        Self::from_value(&json::parse(text).ok()?, now)
    }

    /// [`ShopperMemory::from_json`] of a document already parsed (the widget's is the
    /// browser's `JSON.parse`).
    pub fn from_value(value: &impl Json, now: i64) -> Option<Self> {
        let mut memory = Self::read(value)?;
        if memory.v != 1 || memory.id.is_empty() {
            return None;
        }
        memory.rest.retain(|_, until| *until > now);
        Some(memory)
    }

    /// Reads the stored form the way its serde derive does (unknown members ignored, a
    /// repeated field or a wrong type makes it unreadable), from any [`Json`] value.
    fn read(value: &impl Json) -> Option<Self> {
        let members = value.members()?;
        let mut memory = ShopperMemory::default();
        let mut seen = [false; 4];
        for (key, value) in &members {
            let field = ["v", "id", "rest", "shown"].iter().position(|k| k == key);
            let Some(field) = field else { continue };
            if std::mem::replace(&mut seen[field], true) {
                return None;
            }
            match field {
                0 => memory.v = u8::try_from(value.integer()?).ok()?,
                1 => memory.id = value.string()?,
                2 => memory.rest = map(value, Json::integer)?,
                _ => {
                    memory.shown = map(value, |pair| match pair.elements()?.as_slice() {
                        [count, last] => {
                            Some((u32::try_from(count.integer()?).ok()?, last.integer()?))
                        }
                        _ => None,
                    })?
                }
            }
        }
        Some(memory)
    }

    /// The value to store.
    pub fn to_json(&self) -> String {
        let mut out = format!("{{\"v\":{},\"id\":", self.v);
        json::write_str(&mut out, &self.id);
        out.push_str(",\"rest\":{");
        for (i, (product, until)) in self.rest.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json::write_str(&mut out, product);
            out.push(':');
            out.push_str(&until.to_string());
        }
        out.push_str("},\"shown\":{");
        for (i, (product, (count, last))) in self.shown.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json::write_str(&mut out, product);
            out.push_str(&format!(":[{count},{last}]"));
        }
        out.push_str("}}");
        out
    }

    /// The anonymous id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Products not to suggest now (dismissed or resting after the cap), sorted.
    pub fn excluded(&self, now: i64) -> Vec<&str> {
        self.rest
            .iter()
            .filter(|(_, until)| **until > now)
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// "Not interested": the product rests for `cap.dismiss_days`.
    pub fn dismiss(&mut self, product: &str, now: i64, cap: FrequencyCap) {
        self.shown.remove(product);
        self.rest
            .insert(product.to_owned(), now + i64::from(cap.dismiss_days) * DAY);
        prune(&mut self.rest, |until| *until);
    }

    /// The shopper saw these products (one placement view). A product seen
    /// `cap.impressions` times without a click rests for `cap.rest_days`. Returns the
    /// products that started resting.
    pub fn record_impressions<'a>(
        &mut self,
        products: impl IntoIterator<Item = &'a str>,
        now: i64,
        cap: FrequencyCap,
    ) -> Vec<String> {
        let mut resting = Vec::new();
        for product in products {
            let entry = self.shown.get_or_insert_with(product, || (0, now));
            entry.0 = entry.0.saturating_add(1);
            entry.1 = now;
            if cap.impressions > 0 && entry.0 >= cap.impressions {
                self.shown.remove(product);
                self.rest
                    .insert(product.to_owned(), now + i64::from(cap.rest_days) * DAY);
                resting.push(product.to_owned());
            }
        }
        prune(&mut self.shown, |(_, last)| *last);
        prune(&mut self.rest, |until| *until);
        resting
    }

    /// The shopper clicked or added the product: its impression count starts over.
    pub fn record_engagement(&mut self, product: &str) {
        self.shown.remove(product);
    }

    /// Impressions without a click so far (for tests and tools).
    pub fn impressions(&self, product: &str) -> u32 {
        self.shown.get(product).map_or(0, |(n, _)| *n)
    }

    /// This shopper's side of the store's holdout split; stable for an id and experiment.
    pub fn bucket(&self, holdout: Option<&Holdout>) -> Bucket {
        match holdout {
            Some(h) if bucket_point(&h.experiment, &self.id) < h.basis_points => Bucket::Holdout,
            _ => Bucket::Treatment,
        }
    }
}

/// Where an id falls in 0..10,000 for an experiment: FNV-1a, stable across builds and
/// platforms (unlike `std`'s hasher), so a shopper keeps their bucket.
pub fn bucket_point(experiment: &str, id: &str) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in experiment
        .bytes()
        .chain(std::iter::once(0))
        .chain(id.bytes())
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash % 10_000) as u32
}

/// A JSON object read as a map (a repeated key keeps its last value, like serde's).
fn map<J: Json, V>(value: &J, read: impl Fn(&J) -> Option<V>) -> Option<StrMap<V>> {
    // Inserting one by one: `collect()` would sort, with its own copy of the sort.
    let mut map = StrMap::new();
    for (k, v) in value.members()? {
        map.insert(k, read(&v)?);
    }
    Some(map)
}

/// Keeps at most [`MAX_REMEMBERED`] entries, dropping those with the smallest key.
fn prune<V>(map: &mut StrMap<V>, age: impl Fn(&V) -> i64) {
    if map.len() <= MAX_REMEMBERED {
        return;
    }
    let mut ages: Vec<i64> = map.values().map(&age).collect();
    crate::sort::sort(&mut ages);
    let cut = ages[map.len() - MAX_REMEMBERED];
    map.retain(|_, v| age(v) >= cut);
    // Ties at the cut may leave a few over; drop them by key order.
    while map.len() > MAX_REMEMBERED {
        let first = map.keys().next().map(str::to_owned);
        if let Some(k) = first {
            map.remove(&k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAP: FrequencyCap = FrequencyCap {
        dismiss_days: 30,
        impressions: 3,
        rest_days: 7,
    };

    #[test]
    fn dismissed_products_rest_then_return() {
        let mut m = ShopperMemory::new("abc");
        m.dismiss("cam", 1000, CAP);
        assert_eq!(m.excluded(1000), ["cam"]);
        assert_eq!(m.excluded(1000 + 30 * DAY - 1), ["cam"]);
        assert!(m.excluded(1000 + 30 * DAY).is_empty());
        let back = ShopperMemory::from_json(&m.to_json(), 1000).unwrap();
        assert_eq!(back, m);
        // Expired rests are dropped on load.
        let later = ShopperMemory::from_json(&m.to_json(), 1000 + 31 * DAY).unwrap();
        assert!(later.rest.is_empty());
    }

    #[test]
    fn impressions_without_a_click_hit_the_cap() {
        let mut m = ShopperMemory::new("abc");
        assert!(m.record_impressions(["a", "b"], 10, CAP).is_empty());
        assert!(m.record_impressions(["a", "b"], 20, CAP).is_empty());
        m.record_engagement("b");
        assert_eq!(m.record_impressions(["a", "b"], 30, CAP), ["a"]);
        assert_eq!(m.excluded(31), ["a"]);
        assert_eq!(m.impressions("b"), 1);
        // A cap of 0 never rests anything.
        let off = FrequencyCap {
            impressions: 0,
            ..CAP
        };
        for t in 0..100 {
            assert!(m.record_impressions(["b"], 40 + t, off).is_empty());
        }
    }

    /// The hand-written reader and writer match the serde derives they replace.
    #[test]
    fn json_form_matches_serde() {
        let mut m = ShopperMemory::new("id \"q\"\n");
        m.dismiss("cam", 1000, CAP);
        m.record_impressions(["nvr", "hdd \\ 2tb", "é"], 2000, CAP);
        assert_eq!(m.to_json(), serde_json::to_string(&m).unwrap());
        for text in [
            m.to_json(),
            r#"{"v":1,"id":"x","extra":[1,{"a":null}],"rest":{"a":5,"a":9},"shown":{"b":[1,2]}}"#
                .into(),
            r#"{"v":1,"id":"x","v":1}"#.into(),
            r#"{"v":1,"id":"x","shown":{"b":[1,2,3]}}"#.into(),
            r#"{"v":1,"id":"x","shown":{"b":[-1,2]}}"#.into(),
            r#"{"v":1,"id":"x","rest":{"b":1.5}}"#.into(),
            r#"{"v":300,"id":"x"}"#.into(),
            r#"{"v":1,"id":null}"#.into(),
        ] {
            let serde = serde_json::from_str::<ShopperMemory>(&text)
                .ok()
                .filter(|m| m.v == 1 && !m.id.is_empty());
            assert_eq!(ShopperMemory::from_json(&text, 0), serde, "{text}");
        }
    }

    #[test]
    fn garbage_is_an_empty_memory_not_an_error() {
        for bad in [
            "",
            "null",
            "[]",
            "{\"v\":2,\"id\":\"x\"}",
            "{\"v\":1}",
            "{\"v\":1,\"id\":\"x\",\"rest\":5}",
        ] {
            assert!(ShopperMemory::from_json(bad, 0).is_none(), "{bad}");
        }
    }

    #[test]
    fn memory_stays_small() {
        let mut m = ShopperMemory::new("abc");
        for i in 0..2000 {
            m.record_impressions([format!("p{i}").as_str()], i, CAP);
            m.dismiss(&format!("d{i}"), i, CAP);
        }
        assert!(m.shown.len() <= MAX_REMEMBERED && m.rest.len() <= MAX_REMEMBERED);
        // The newest are kept.
        assert_eq!(m.impressions("p1999"), 1);
        assert!(m.rest.contains_key("d1999"));
    }

    #[test]
    fn buckets_are_stable_and_close_to_the_share() {
        let holdout = Holdout {
            experiment: "q4".into(),
            basis_points: 1000,
        };
        let held = (0..20_000)
            .filter(|i| {
                ShopperMemory::new(format!("id-{i}")).bucket(Some(&holdout)) == Bucket::Holdout
            })
            .count();
        assert!((1800..2200).contains(&held), "{held} of 20000 held out");
        let m = ShopperMemory::new("shopper-1");
        assert_eq!(m.bucket(Some(&holdout)), m.bucket(Some(&holdout)));
        assert_eq!(m.bucket(None), Bucket::Treatment);
        // Pinned so a change of hash (which would re-bucket every shopper) fails here.
        assert_eq!(bucket_point("q4", "shopper-1"), 1401);
        assert_ne!(
            bucket_point("q4", "shopper-1"),
            bucket_point("q5", "shopper-1")
        );
    }
}
