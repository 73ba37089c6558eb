//! [`StrMap`]: the config's small maps (a product's attributes, texts by locale and key,
//! the shopper's memory), as one sorted vector instead of `BTreeMap`s.
//!
//! Every `BTreeMap<K, V>` brings its own copy of the B-tree's insert, search, iteration
//! and drop code into the wasm; the widget had 36 KB of them for maps of a handful of
//! entries. A sorted `Vec` does the same job in a fraction of the code, reads and writes
//! JSON as the same object, and iterates in the same (key) order.

use std::borrow::Borrow;

/// A map from strings, kept sorted by key; a repeated key keeps its last value.
///
/// ```
/// use cartlift_engine::map::StrMap;
///
/// let mut m = StrMap::new();
/// m.insert("lens".to_owned(), "2.8 mm");
/// m.insert("power".to_owned(), "PoE");
/// assert_eq!(m.insert("lens".to_owned(), "4 mm"), Some("2.8 mm"));
/// assert_eq!(m.get("lens"), Some(&"4 mm"));
/// assert_eq!(m.keys().collect::<Vec<_>>(), ["lens", "power"]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StrMap<V> {
    entries: Vec<(String, V)>,
}

impl<V> Default for StrMap<V> {
    fn default() -> Self {
        StrMap {
            entries: Vec::new(),
        }
    }
}

impl<V> StrMap<V> {
    /// An empty map.
    pub const fn new() -> Self {
        StrMap {
            entries: Vec::new(),
        }
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.find(key).ok().map(|i| &self.entries[i].1)
    }

    /// The value of `key`, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.find(key).ok().map(|i| &mut self.entries[i].1)
    }

    /// Whether `key` is there.
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key`; the value it had, if any.
    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// The value of `key`, set to `make()` first if it is not there.
    pub fn get_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(key) {
            Ok(i) => i,
            Err(i) => {
                self.entries.insert(i, (key.to_owned(), make()));
                i
            }
        };
        &mut self.entries[i].1
    }

    /// Takes `key` out; its value, if it was there.
    pub fn remove(&mut self, key: &str) -> Option<V> {
        self.find(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// Keeps the entries `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    /// Entries in key order.
    pub fn iter(
        &self,
    ) -> impl ExactSizeIterator<Item = (&String, &V)> + DoubleEndedIterator + Clone {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Keys in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator + Clone {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    /// Values in key order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &V> + DoubleEndedIterator + Clone {
        self.entries.iter().map(|(_, v)| v)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<K: Into<String>, V> FromIterator<(K, V)> for StrMap<V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(items: I) -> Self {
        let mut map = StrMap::new();
        for (k, v) in items {
            map.insert(k.into(), v);
        }
        map
    }
}

impl<K: Into<String>, V, const N: usize> From<[(K, V); N]> for StrMap<V> {
    fn from(items: [(K, V); N]) -> Self {
        items.into_iter().collect()
    }
}

impl<'a, V> IntoIterator for &'a StrMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, V)>,
        fn(&'a (String, V)) -> (&'a String, &'a V),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<V> IntoIterator for StrMap<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<V, Q: ?Sized + Borrow<str>> std::ops::Index<&Q> for StrMap<V> {
    type Output = V;
    fn index(&self, key: &Q) -> &V {
        match self.get(key.borrow()) {
            Some(v) => v,
            None => panic!("no entry `{}` in the map", key.borrow()),
        }
    }
}

impl<V: serde::Serialize> serde::Serialize for StrMap<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de, V: serde::Deserialize<'de>> serde::Deserialize<'de> for StrMap<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: serde::Deserialize<'de>> serde::de::Visitor<'de> for Visitor<V> {
            type Value = StrMap<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<StrMap<V>, A::Error> {
                let mut map = StrMap::new();
                while let Some((k, v)) = a.next_entry::<String, V>()? {
                    map.insert(k, v);
                }
                Ok(map)
            }
        }
        d.deserialize_map(Visitor(std::marker::PhantomData))
    }
}

#[cfg(feature = "schema")]
impl<V: schemars::JsonSchema> schemars::JsonSchema for StrMap<V> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <std::collections::BTreeMap<String, V>>::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        <std::collections::BTreeMap<String, V>>::schema_id()
    }

    fn inline_schema() -> bool {
        <std::collections::BTreeMap<String, V>>::inline_schema()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <std::collections::BTreeMap<String, V>>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_json_like_a_btreemap() {
        let text = r#"{"b": 1, "a": 2, "b": 3}"#;
        let ours: StrMap<u32> = serde_json::from_str(text).unwrap();
        let theirs: std::collections::BTreeMap<String, u32> = serde_json::from_str(text).unwrap();
        assert_eq!(
            ours.iter()
                .map(|(k, v)| (k.clone(), *v))
                .collect::<Vec<_>>(),
            theirs.clone().into_iter().collect::<Vec<_>>()
        );
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&theirs).unwrap()
        );
        let mut m = ours;
        assert_eq!(m.remove("a"), Some(2));
        m.retain(|_, v| *v > 10);
        assert!(m.is_empty());
    }
}
