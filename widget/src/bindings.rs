//! Every JS import the widget makes beyond web-sys, in one place, each one catching.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Intl.NumberFormat`, imported by hand so a bad locale or currency is a `Result`
    /// instead of an exception thrown through the host page.
    #[wasm_bindgen(js_namespace = Intl, js_name = NumberFormat)]
    #[derive(Debug, Clone)]
    pub(crate) type NumberFormat;

    #[wasm_bindgen(constructor, js_namespace = Intl, js_class = "NumberFormat", catch)]
    pub(crate) fn new(locales: &str, options: &JsValue) -> Result<NumberFormat, JsValue>;

    #[wasm_bindgen(method, catch)]
    pub(crate) fn format(this: &NumberFormat, value: f64) -> Result<String, JsValue>;

    /// `JSON.parse` of a string the browser holds, so a fetched config is parsed where it
    /// is, never copied into the wasm as text (`js_sys::JSON::parse` takes a `&str`).
    #[cfg(feature = "json")]
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub(crate) fn parse_json(text: &js_sys::JsString) -> Result<JsValue, JsValue>;
}
