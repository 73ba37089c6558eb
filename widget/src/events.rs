//! The widget's events for the page and analytics: bubbling, composed `CustomEvent`s from
//! the `<cartlift-suggestions>` element, mirrored into `window.dataLayer` when the store
//! asks for it (`store.data_layer`).
//!
//! | event | when | detail |
//! |---|---|---|
//! | `cartlift:impression` | a placement view is at least half visible, once per view | `products`, `rules` |
//! | `cartlift:click` | a suggestion's link is followed | `product`, `rules` |
//! | `cartlift:add-to-cart` | before an add (cancellable: the page takes over) | `items`, `rules`, `replaces` |
//! | `cartlift:dismiss` | "Not interested" | `product`, `rules` |
//!
//! Every detail also carries `placement`, `bucket` (`treatment` or `holdout`) and
//! `experiment` (the holdout's name, or `null`).

use crate::dom;
use crate::js_value::Build;
use crate::runtime;
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;

/// An event about to be sent.
pub(crate) struct Event<'a> {
    /// `impression`, `click`, `add-to-cart` or `dismiss`.
    pub(crate) name: &'static str,
    /// The placement's attribute value.
    pub(crate) placement: &'a str,
    /// Event-specific fields.
    pub(crate) fields: Vec<(&'static str, JsValue)>,
}

/// Dispatches the event from `host`; returns false if a listener cancelled it (only
/// `add-to-cart` is cancellable).
pub(crate) fn send(host: &HtmlElement, event: Event<'_>) -> bool {
    let (bucket, experiment, data_layer) = runtime::event_context();
    let mut fields = vec![
        ("placement", JsValue::from_str(event.placement)),
        ("bucket", JsValue::from_str(bucket)),
        ("experiment", JsValue::text_or_null(experiment.as_deref())),
    ];
    fields.extend(event.fields);
    let detail = JsValue::object(&fields);
    let name = format!("cartlift:{}", event.name);
    let cancelable = event.name == "add-to-cart";
    let proceed = dom::dispatch(host, &name, &detail, cancelable);
    if data_layer {
        push_data_layer(
            &format!("cartlift_{}", event.name.replace('-', "_")),
            &detail,
        );
    }
    proceed
}

/// `window.dataLayer.push({event, cartlift: detail})`, creating the array if needed.
fn push_data_layer(event: &str, detail: &JsValue) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let key = JsValue::from_str("dataLayer");
    let layer = js_sys::Reflect::get(&window, &key)
        .ok()
        .filter(js_sys::Array::is_array)
        .unwrap_or_else(|| {
            let fresh: JsValue = js_sys::Array::new().into();
            let _ = js_sys::Reflect::set(&window, &key, &fresh);
            fresh
        });
    let entry = JsValue::object(&[("event", event.into()), ("cartlift", detail.clone())]);
    // GTM replaces `push`; call whatever is there, and never let it throw into us.
    if let Ok(push) = js_sys::Reflect::get(&layer, &"push".into())
        && let Some(push) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&push)
    {
        let _ = push.call1(&layer, &entry);
    }
}
