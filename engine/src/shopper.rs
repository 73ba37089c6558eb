//! What the widget remembers about one shopper, kept in their own browser only: products
//! they marked "Not interested", how often each product was shown without a click, and an
//! anonymous random id used for nothing but the holdout bucket.
//!
//! Pure and clock-free like the rest of the engine: the widget passes `now` in and stores
//! the serde form wherever it can (localStorage, or nowhere when storage is blocked), and
//! checks what it reads back with [`ShopperMemory::usable`]; a reader and writer of the
//! caller's use [`ShopperMemory::from_parts`] and [`ShopperMemory::parts`]. Anything unreadable is treated
//! as an empty memory, never as an error: a corrupt entry must not cost the shopper their
//! suggestions.

use crate::config::{FrequencyCap, Holdout};
use crate::map::StrMap;
use serde::{Deserialize, Serialize};

const DAY: i64 = 86_400;

/// The segment names in a page's text (`data-segments="vip returning"`, the `segments`
/// attribute, each `cartlift explain --segment`): separated by ASCII whitespace, as HTML
/// separates the names in `class`, so they are trimmed and empty ones are ignored. The
/// widget and the CLI read segments only through this, so both mean the same by a text.
///
/// ```
/// let names = cartlift_engine::shopper::segment_names(" vip\treturning  ");
/// assert_eq!(names, ["vip", "returning"]);
/// ```
pub fn segment_names(text: &str) -> Vec<&str> {
    // By hand; `split_ascii_whitespace().collect()` is the same, and measured about as
    // large in the widget (0.51 KB of wasm before wasm-opt, this 0.49 KB).
    let mut names = Vec::new();
    let mut start = None;
    for (i, b) in text.bytes().enumerate() {
        match (b.is_ascii_whitespace(), start) {
            (true, Some(s)) => {
                names.push(&text[s..i]);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        names.push(&text[s..]);
    }
    names
}

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

    /// Reads a stored memory from JSON text; `None` when it is unreadable (the caller starts
    /// a fresh one). The widget reads the same serde form from the browser's own
    /// `JSON.parse`, and then asks [`ShopperMemory::usable`].
    pub fn from_json(text: &str, now: i64) -> Option<Self> {
        serde_json::from_str::<Self>(text).ok()?.usable(now)
    }

    /// A memory from its stored parts, read by a reader of the caller's (the widget reads
    /// the browser's `JSON.parse` by hand, without a JSON reader in its wasm): as
    /// [`ShopperMemory::usable`] has it. [`ShopperMemory::parts`] is the other way.
    pub fn from_parts(
        v: u8,
        id: String,
        rest: StrMap<i64>,
        shown: StrMap<(u32, i64)>,
        now: i64,
    ) -> Option<Self> {
        ShopperMemory { v, id, rest, shown }.usable(now)
    }

    /// The stored parts, for a writer of the caller's: `(v, id, rest, shown)`, as the serde
    /// form has them.
    pub fn parts(&self) -> (u8, &str, &StrMap<i64>, &StrMap<(u32, i64)>) {
        (self.v, &self.id, &self.rest, &self.shown)
    }

    /// A memory read back through serde, if it is one this version wrote (`v` 1 and an id),
    /// with the rests that are over dropped.
    pub fn usable(mut self, now: i64) -> Option<Self> {
        if self.v != 1 || self.id.is_empty() {
            return None;
        }
        self.rest.retain(|_, until| *until > now);
        Some(self)
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
        let stored = serde_json::to_string(&m).unwrap();
        let back = ShopperMemory::from_json(&stored, 1000).unwrap();
        assert_eq!(back, m);
        // Expired rests are dropped on load.
        let later = ShopperMemory::from_json(&stored, 1000 + 31 * DAY).unwrap();
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

    /// The stored form, exactly: what a browser wrote stays readable across versions.
    #[test]
    fn the_stored_form_is_compact_and_reads_back() {
        let mut m = ShopperMemory::new("id \"q\"\n");
        m.dismiss("cam", 1000, CAP);
        m.record_impressions(["nvr", "hdd \\ 2tb", "é"], 2000, CAP);
        let stored = serde_json::to_string(&m).unwrap();
        assert_eq!(
            stored,
            r#"{"v":1,"id":"id \"q\"\n","rest":{"cam":2593000},"shown":{"hdd \\ 2tb":[1,2000],"nvr":[1,2000],"é":[1,2000]}}"#
        );
        assert_eq!(ShopperMemory::from_json(&stored, 0), Some(m));
        // Unknown members are ignored and a repeated key keeps its last value; a wrong
        // shape anywhere makes the whole memory unreadable.
        let read = ShopperMemory::from_json(
            r#"{"v":1,"id":"x","extra":[1,{"a":null}],"rest":{"a":5,"a":9},"shown":{"b":[1,2]}}"#,
            0,
        )
        .unwrap();
        assert_eq!(read.excluded(0), ["a"]);
        assert_eq!(read.rest.get("a"), Some(&9));
        assert_eq!(read.impressions("b"), 1);
        for bad in [
            r#"{"v":1,"id":"x","v":1}"#,
            r#"{"v":1,"id":"x","shown":{"b":[1,2,3]}}"#,
            r#"{"v":1,"id":"x","shown":{"b":[-1,2]}}"#,
            r#"{"v":1,"id":"x","rest":{"b":1.5}}"#,
            r#"{"v":300,"id":"x"}"#,
            r#"{"v":1,"id":null}"#,
        ] {
            assert_eq!(ShopperMemory::from_json(bad, 0), None, "{bad}");
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
