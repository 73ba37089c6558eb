//! The shopper's memory ([`ShopperMemory`]) in localStorage, under one key, in the form its
//! serde derive writes, built and read through [`crate::js_value`] with `JSON.stringify`
//! and `JSON.parse` (see there why not serde-wasm-bindgen).
//!
//! Storage may be missing, blocked (privacy modes, sandboxed frames) or full: every access
//! is caught, and the widget then remembers for the current page only.
//!
//! Not gloo-storage: its `LocalStorage::get`/`set` go through serde_json's text reader and
//! writer, which no build otherwise carries (measured, wasm brotli: +28.6 KB for the `js`
//! compiled-config build, +24.4 KB for the JSON build; every budget broken), and its
//! `LocalStorage::raw()` throws when storage is blocked (`expect_throw`).

use crate::js_value::{Build, Js, Value};
use cartlift_engine::map::StrMap;
use cartlift_engine::shopper::ShopperMemory;

/// The localStorage key.
pub(crate) const KEY: &str = "cartlift:v1";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads the stored memory, or starts a fresh one with a new anonymous id.
pub(crate) fn load(now: i64) -> ShopperMemory {
    stored(now).unwrap_or_else(|| {
        let fresh = ShopperMemory::new(anonymous_id());
        save(&fresh);
        fresh
    })
}

/// The stored memory, if there is a usable one.
fn stored(now: i64) -> Option<ShopperMemory> {
    let text = storage()?.get_item(KEY).ok()??;
    read(&Js::parse(&text).ok()?, now)
}

/// Reads the stored form as its serde derive does: unknown members are ignored, a
/// missing one is empty, a wrong type anywhere makes it unreadable.
fn read(value: &impl Value, now: i64) -> Option<ShopperMemory> {
    if !value.is_object() {
        return None;
    }
    let v = match value.get("v") {
        Some(v) => u8::try_from(v.integer()?).ok()?,
        None => 0,
    };
    let id = match value.get("id") {
        Some(id) => id.string()?,
        None => String::new(),
    };
    let rest = match value.get("rest") {
        Some(rest) => map(&rest, Value::integer)?,
        None => StrMap::new(),
    };
    let shown = match value.get("shown") {
        Some(shown) => map(&shown, |pair| match pair.elements()?.as_slice() {
            [count, last] => Some((u32::try_from(count.integer()?).ok()?, last.integer()?)),
            _ => None,
        })?,
        None => StrMap::new(),
    };
    ShopperMemory::from_parts(v, id, rest, shown, now)
}

/// The form the serde derive writes: `{"v":1,"id":"…","rest":{…},"shown":{…}}`.
fn stored_form<B: Build>(memory: &ShopperMemory) -> B {
    let (v, id, rest, shown) = memory.parts();
    B::object(&[
        ("v", B::number(f64::from(v))),
        ("id", B::string(id)),
        (
            "rest",
            B::map(
                rest.iter()
                    .map(|(k, until)| (k.as_str(), B::number(*until as f64))),
            ),
        ),
        (
            "shown",
            B::map(shown.iter().map(|(k, (count, last))| {
                let pair = vec![B::number(f64::from(*count)), B::number(*last as f64)];
                (k.as_str(), B::array(pair))
            })),
        ),
    ])
}

/// An object read as a map.
fn map<J: Value, V>(value: &J, read: impl Fn(&J) -> Option<V>) -> Option<StrMap<V>> {
    // Inserting one by one: `collect()` would sort, with its own copy of the sort.
    let mut map = StrMap::new();
    for (k, v) in value.members()? {
        map.insert(k, read(&v)?);
    }
    Some(map)
}

/// Stores the memory; returns false when storage refused (blocked or full).
pub(crate) fn save(memory: &ShopperMemory) -> bool {
    let Some(text) = js_sys::JSON::stringify(&stored_form::<wasm_bindgen::JsValue>(memory))
        .ok()
        .and_then(|t| t.as_string())
    else {
        return false;
    };
    storage().is_some_and(|s| s.set_item(KEY, &text).is_ok())
}

/// 64 random bits as hex: an id with no meaning beyond the holdout hash.
fn anonymous_id() -> String {
    let mut bytes = [0u8; 8];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str, now: i64) -> Option<ShopperMemory> {
        read(&serde_json::from_str::<serde_json::Value>(text).ok()?, now)
    }

    /// What this reader reads is what the engine's serde derive reads, case by case.
    #[test]
    fn reads_the_stored_form_as_serde_does() {
        let cap = cartlift_engine::config::FrequencyCap {
            dismiss_days: 30,
            impressions: 3,
            rest_days: 7,
        };
        let mut m = ShopperMemory::new("id \"q\"\n");
        m.dismiss("cam", 1000, cap);
        m.record_impressions(["nvr", "hdd \\ 2tb", "é"], 2000, cap);
        let stored = serde_json::to_string(&m).unwrap();
        for text in [
            stored.as_str(),
            r#"{"v":1,"id":"x","extra":[1,{"a":null}],"rest":{"a":5,"b":9},"shown":{"b":[1,2]}}"#,
            r#"{"v":1,"id":"x"}"#,
            r#"{"v":1,"id":"x","shown":{"b":[1,2,3]}}"#,
            r#"{"v":1,"id":"x","shown":{"b":[-1,2]}}"#,
            r#"{"v":1,"id":"x","rest":{"b":1.5}}"#,
            r#"{"v":1,"id":"x","rest":5}"#,
            r#"{"v":300,"id":"x"}"#,
            r#"{"v":2,"id":"x"}"#,
            r#"{"v":1,"id":null}"#,
            r#"{"v":1}"#,
            "[]",
            "null",
        ] {
            for now in [0, 1000 + 31 * 86_400] {
                assert_eq!(
                    read_text(text, now),
                    ShopperMemory::from_json(text, now),
                    "{text} at {now}"
                );
            }
        }
        assert_eq!(read_text(&stored, 0), Some(m.clone()));
        // And what this writer writes is what the derive writes.
        assert_eq!(
            stored_form::<serde_json::Value>(&m),
            serde_json::to_value(&m).unwrap()
        );
        assert!(read_text(r#"{"v":1,"id":"x","rest":{"a":5}}"#, 0).is_some());
    }
}
