//! The browser's values as [`Json`] ([`Js`]): what the page hands `setBasket`, and what
//! `JSON.parse` makes of the order attribute and the stored shopper memory. Reading them
//! through `Reflect` instead of parsing text keeps the engine's JSON reader out of the
//! small builds (6 KB brotli of wasm measured without any reader); the checks are the
//! engine's and the basket's, the same as for its own [`cartlift_engine::json::Value`].

use cartlift_engine::json::Json;
use wasm_bindgen::{JsCast, JsValue};

/// `JSON.parse(text)`, or the browser's message for why it is not JSON.
pub(crate) fn parse(text: &str) -> Result<Js, String> {
    js_sys::JSON::parse(text)
        .map(Js)
        .map_err(|e| crate::error::js_message(&e))
}

/// Integers JavaScript holds exactly.
const SAFE: f64 = 9_007_199_254_740_991.0;

/// A browser value read as [`Json`].
pub(crate) struct Js(pub(crate) JsValue);

impl Json for Js {
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

    fn integer(&self) -> Option<i64> {
        self.number()
            .filter(|n| n.fract() == 0.0 && n.abs() <= SAFE)
            .map(|n| n as i64)
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

    fn elements(&self) -> Option<Vec<Self>> {
        self.0
            .dyn_ref::<js_sys::Array>()
            .map(|a| a.iter().map(Js).collect())
    }

    fn members(&self) -> Option<Vec<(String, Self)>> {
        if !self.0.is_object() || js_sys::Array::is_array(&self.0) {
            return None;
        }
        let entries = js_sys::Object::entries(self.0.unchecked_ref());
        Some(
            entries
                .iter()
                .filter_map(|entry| {
                    // A member set to `undefined` is absent, as `JSON.stringify` has it.
                    let pair = entry.dyn_into::<js_sys::Array>().ok()?;
                    let value = pair.get(1);
                    (!value.is_undefined()).then_some(())?;
                    Some((pair.get(0).as_string()?, Js(value)))
                })
                .collect(),
        )
    }
}
