//! The JS boundary's structured values, by hand: reading what the page and the platforms
//! hand over (the basket's lines, the `order` attribute, the stored shopper memory, the
//! platform carts' JSON) through [`Value`], and building what the widget hands out (event
//! details, the `dataLayer` entry, the item for the page's `onAddToCart` handler, the
//! platform carts' request bodies, the stored memory) through [`Build`].
//!
//! Not serde-wasm-bindgen, by measurement (`cargo xtask build`, wasm brotli, the `js`
//! compiled-config build unless said; budget 100 KB, 98.6 KB before): all of these values
//! through it cost 14.1 KB; its deserializer alone 11.5 KB, in every build (the JSON
//! build: +19 KB with the writing), because its error messages format
//! `serde::de::Unexpected` (a float, a `{:?}`-quoted string, a `JsValue`'s `Debug`), which
//! brings core's float formatting and Unicode tables along, and it keeps a hash map of
//! interned field names. Writing alone through it, with every struct written as a map (no
//! interned names) and one value type per kind, cost 2.0 KB here and more with the
//! platform carts' bodies; the three compiled-config builds then exceed their budgets.
//! So every build uses this one implementation: a second one, for the JSON build alone,
//! would describe every value twice.
//!
//! Readers and builders are generic: browser values ([`Js`], `JsValue`) in the widget, and
//! serde_json's in the host tests, so what a page gets (messages, objects) is tested
//! without a browser.

use wasm_bindgen::{JsCast, JsValue};

/// A JSON-like value: what a reader needs to know of it.
pub(crate) trait Value: Sized {
    /// What it is, for messages: `a string`, `an object`, `null`…
    fn kind(&self) -> &'static str;
    /// `null`.
    fn is_null(&self) -> bool;
    /// A string's text.
    fn string(&self) -> Option<String>;
    /// A finite number.
    fn number(&self) -> Option<f64>;
    /// `true` or `false`.
    fn boolean(&self) -> Option<bool>;
    /// A number as JavaScript writes it (`String(n)`), for messages: no float formatting
    /// in the wasm (it costs every shopper ~1.3 KB brotli).
    fn written(&self) -> String;
    /// An object (not an array, not `null`).
    fn is_object(&self) -> bool;
    /// An array's elements.
    fn elements(&self) -> Option<Vec<Self>>;
    /// An object's member; `None` if it is absent or `undefined` (as `JSON.stringify` has
    /// it), or if this is not an object.
    fn get(&self, key: &str) -> Option<Self>;
    /// An object's members, in order; `None` if this is not an object.
    fn members(&self) -> Option<Vec<(String, Self)>>;

    /// A whole number JavaScript holds exactly.
    fn integer(&self) -> Option<i64> {
        const SAFE: f64 = 9_007_199_254_740_991.0;
        self.number()
            .filter(|n| n.fract() == 0.0 && n.abs() <= SAFE)
            .map(|n| n as i64)
    }

    /// An id as pages and platforms write it: a string, or a whole number (Shopify's ids
    /// are numbers, and so are many stores' own).
    fn id(&self) -> Option<String> {
        self.string()
            .or_else(|| self.integer().filter(|n| *n >= 0).map(|n| n.to_string()))
    }
}

/// A browser value.
#[derive(Clone)]
pub(crate) struct Js(pub(crate) JsValue);

impl Js {
    /// `JSON.parse(text)`, or the browser's message for why it is not JSON.
    pub(crate) fn parse(text: &str) -> Result<Js, String> {
        js_sys::JSON::parse(text)
            .map(Js)
            .map_err(|e| crate::error::js_message(&e))
    }
}

impl Value for Js {
    fn kind(&self) -> &'static str {
        let v = &self.0;
        if v.is_null() {
            "null"
        } else if v.as_bool().is_some() {
            "a boolean"
        } else if v.as_f64().is_some() {
            "a number"
        } else if v.is_string() {
            "a string"
        } else if js_sys::Array::is_array(v) {
            "an array"
        } else if v.is_object() {
            "an object"
        } else {
            "undefined"
        }
    }

    fn is_null(&self) -> bool {
        self.0.is_null()
    }

    fn string(&self) -> Option<String> {
        self.0.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.0.as_f64().filter(|n| n.is_finite())
    }

    fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }

    fn written(&self) -> String {
        match self.0.dyn_ref::<js_sys::Number>() {
            Some(n) => n
                .to_string_with_radix(10)
                .map(String::from)
                .unwrap_or_default(),
            None => self.kind().to_owned(),
        }
    }

    fn is_object(&self) -> bool {
        self.0.is_object() && !js_sys::Array::is_array(&self.0)
    }

    fn elements(&self) -> Option<Vec<Self>> {
        self.0
            .dyn_ref::<js_sys::Array>()
            .map(|a| a.iter().map(Js).collect())
    }

    fn get(&self, key: &str) -> Option<Self> {
        if !self.is_object() {
            return None;
        }
        js_sys::Reflect::get(&self.0, &JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_undefined())
            .map(Js)
    }

    fn members(&self) -> Option<Vec<(String, Self)>> {
        if !self.is_object() {
            return None;
        }
        let entries = js_sys::Object::entries(self.0.unchecked_ref());
        Some(
            entries
                .iter()
                .filter_map(|entry| {
                    let pair = entry.dyn_into::<js_sys::Array>().ok()?;
                    let value = pair.get(1);
                    (!value.is_undefined()).then_some(())?;
                    Some((pair.get(0).as_string()?, Js(value)))
                })
                .collect(),
        )
    }
}

/// A config document as the browser parsed it (`JSON.parse`), for the engine's one
/// lenient reading: objects and arrays taken apart through [`Value`], each leaf read into
/// the engine's serde types by serde-wasm-bindgen (the JSON build only).
#[cfg(feature = "json")]
impl cartlift_engine::config::read::Node for Js {
    type Leaf = serde_wasm_bindgen::Deserializer;
    type LeafError = serde_wasm_bindgen::Error;

    fn kind(&self) -> cartlift_engine::config::read::JsonKind {
        use cartlift_engine::config::read::JsonKind;
        let v = &self.0;
        if v.is_null() || v.is_undefined() {
            JsonKind::Null
        } else if v.as_bool().is_some() {
            JsonKind::Bool
        } else if v.as_f64().is_some() {
            JsonKind::Number
        } else if v.is_string() {
            JsonKind::String
        } else if js_sys::Array::is_array(v) {
            JsonKind::Array
        } else {
            JsonKind::Object
        }
    }

    fn members(&self) -> Option<Vec<(String, Self)>> {
        Value::members(self)
    }

    fn elements(&self) -> Option<Vec<Self>> {
        Value::elements(self)
    }

    fn member(&self, key: &str) -> Option<Self> {
        Value::get(self, key)
    }

    fn string(&self) -> Option<String> {
        Value::string(self)
    }

    fn leaf(&self) -> serde_wasm_bindgen::Deserializer {
        serde_wasm_bindgen::Deserializer::from(self.0.clone())
    }

    /// The JS `Error`'s message (its `String()` begins `Error: `).
    fn message(error: serde_wasm_bindgen::Error) -> String {
        crate::error::js_message(&JsValue::from(error))
    }
}

/// A JSON-like value built for the page.
pub(crate) trait Build: Sized + Clone {
    /// `null`.
    fn null() -> Self;
    /// `true` or `false`.
    fn bool(value: bool) -> Self;
    /// A number.
    fn number(value: f64) -> Self;
    /// A string.
    fn string(value: &str) -> Self;
    /// An array.
    fn array(items: Vec<Self>) -> Self;
    /// A plain object with these members, in order.
    fn object(members: &[(&str, Self)]) -> Self {
        Self::map(members.iter().map(|(k, v)| (*k, v.clone())))
    }
    /// A plain object with members known only as the program runs (a map).
    fn map<'a>(members: impl Iterator<Item = (&'a str, Self)>) -> Self;

    /// An array of strings.
    fn strings(items: &[String]) -> Self {
        Self::array(items.iter().map(|s| Self::string(s)).collect())
    }

    /// A string, or `null`.
    fn text_or_null(value: Option<&str>) -> Self {
        value.map_or_else(Self::null, Self::string)
    }

    #[cfg_attr(
        not(any(feature = "shopify", feature = "woocommerce")),
        allow(dead_code)
    )]
    /// An id as the platforms' APIs take it: a number when it is one JavaScript holds
    /// exactly (Shopify's variant ids, WooCommerce's product ids), else the string.
    fn id(id: &str) -> Self {
        match id.parse::<u64>() {
            Ok(n) if n < (1u64 << 53) => Self::number(n as f64),
            _ => Self::string(id),
        }
    }
}

impl Build for JsValue {
    fn null() -> Self {
        JsValue::NULL
    }

    fn bool(value: bool) -> Self {
        JsValue::from_bool(value)
    }

    fn number(value: f64) -> Self {
        JsValue::from_f64(value)
    }

    fn string(value: &str) -> Self {
        JsValue::from_str(value)
    }

    fn array(items: Vec<Self>) -> Self {
        items.into_iter().collect::<js_sys::Array>().into()
    }

    fn object(members: &[(&str, Self)]) -> Self {
        let object = js_sys::Object::new();
        for (key, value) in members {
            // Setting a fresh own property on a plain object cannot fail.
            let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
        }
        object.into()
    }

    fn map<'a>(members: impl Iterator<Item = (&'a str, Self)>) -> Self {
        let object = js_sys::Object::new();
        for (key, value) in members {
            let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &value);
        }
        object.into()
    }
}

/// serde_json's values, for the host tests: the readers see what they would see in a
/// browser after `JSON.parse`, and the builders build what `JSON.stringify` would write.
#[cfg(test)]
impl Build for serde_json::Value {
    fn null() -> Self {
        serde_json::Value::Null
    }

    fn bool(value: bool) -> Self {
        value.into()
    }

    fn number(value: f64) -> Self {
        // A whole number as serde_json writes an integer, as `JSON.stringify` does.
        if value.fract() == 0.0 && value.abs() < 9e15 {
            (value as i64).into()
        } else {
            value.into()
        }
    }

    fn string(value: &str) -> Self {
        value.into()
    }

    fn array(items: Vec<Self>) -> Self {
        items.into()
    }

    fn map<'a>(members: impl Iterator<Item = (&'a str, Self)>) -> Self {
        serde_json::Value::Object(members.map(|(k, v)| (k.to_owned(), v)).collect())
    }
}

/// serde_json's values, for the host tests (see [`Build`]'s).
#[cfg(test)]
impl Value for serde_json::Value {
    fn kind(&self) -> &'static str {
        match self {
            serde_json::Value::Null => "null",
            serde_json::Value::Bool(_) => "a boolean",
            serde_json::Value::Number(_) => "a number",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Array(_) => "an array",
            serde_json::Value::Object(_) => "an object",
        }
    }

    fn is_null(&self) -> bool {
        self.is_null()
    }

    fn string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn written(&self) -> String {
        // JavaScript's `String(n)` for the numbers the tests use: whole ones without a
        // decimal point, the rest as Rust writes them (the same shortest digits).
        match self.as_f64() {
            Some(n) if n.fract() == 0.0 && n.abs() < 1e21 => format!("{}", n as i64),
            Some(n) => n.to_string(),
            None => self.kind().to_owned(),
        }
    }

    fn is_object(&self) -> bool {
        self.is_object()
    }

    fn elements(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }

    fn get(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key).cloned()
    }

    fn members(&self) -> Option<Vec<(String, Self)>> {
        Some(
            self.as_object()?
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        )
    }
}
