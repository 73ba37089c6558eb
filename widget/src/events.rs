//! The widget's events for the page and analytics: bubbling, composed `CustomEvent`s from
//! the `<cartlift-suggestions>` element, mirrored into `window.dataLayer` when the store
//! asks for it (`store.data_layer`).
//!
//! | event | when | detail |
//! |---|---|---|
//! | `cartlift:impression` | a placement view is at least half visible, once per view | `products`, `rules`, `shown` |
//! | `cartlift:click` | a suggestion's link is followed | `product`, `rules` |
//! | `cartlift:add-to-cart` | before an add (cancellable: the page takes over) | `items`, `rules`, `replaces` |
//! | `cartlift:dismiss` | "Not interested" | `product`, `rules` |
//!
//! Every detail also carries `placement`, `bucket` (`treatment` or `holdout`) and
//! `experiment` (the holdout's name, or `null`): the [`EventContext`] the caller passes.

use crate::adapter::Item;
use crate::js_value::Build;
use cartlift_engine::shopper::Bucket;
use wasm_bindgen::JsValue;
use web_sys::HtmlElement;

/// An event about to be sent.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// A placement view was seen. `shown` is false for a held-out shopper (who saw
    /// nothing: the event says what would have been shown).
    Impression {
        /// Product ids shown.
        products: Vec<String>,
        /// Rule ids behind them.
        rules: Vec<String>,
        /// Whether the shopper saw them.
        shown: bool,
    },
    /// A suggestion's link was followed.
    Click {
        /// The product.
        product: String,
        /// Rule ids behind it.
        rules: Vec<String>,
    },
    /// An add is about to reach the cart.
    AddToCart {
        /// What is added.
        items: Vec<Item>,
        /// Rule ids behind the suggestion(s).
        rules: Vec<String>,
        /// The basket line an upgrade replaces.
        replaces: Option<String>,
    },
    /// "Not interested".
    Dismiss {
        /// The product.
        product: String,
        /// Rule ids behind it.
        rules: Vec<String>,
    },
}

impl Event {
    /// `impression`, `click`, `add-to-cart` or `dismiss`.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Impression { .. } => "impression",
            Event::Click { .. } => "click",
            Event::AddToCart { .. } => "add-to-cart",
            Event::Dismiss { .. } => "dismiss",
        }
    }
}

/// What every event carries beyond its own fields, from the store's config and the
/// shopper's bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventContext {
    /// The shopper's side of the holdout split.
    pub bucket: Bucket,
    /// The holdout's experiment name, if the store runs one.
    pub experiment: Option<String>,
    /// Mirror events into `window.dataLayer`.
    pub data_layer: bool,
}

impl Default for EventContext {
    fn default() -> Self {
        EventContext {
            bucket: Bucket::Treatment,
            experiment: None,
            data_layer: false,
        }
    }
}

/// An event's `detail`: the context's fields, then the event's own.
fn detail<B: Build>(placement: &str, context: &EventContext, event: &Event) -> B {
    let placement = ("placement", B::string(placement));
    let bucket = ("bucket", B::string(context.bucket.name()));
    let experiment = ("experiment", B::text_or_null(context.experiment.as_deref()));
    match event {
        Event::Impression {
            products,
            rules,
            shown,
        } => B::object(&[
            placement,
            bucket,
            experiment,
            ("products", B::strings(products)),
            ("rules", B::strings(rules)),
            ("shown", B::bool(*shown)),
        ]),
        Event::Click { product, rules } | Event::Dismiss { product, rules } => B::object(&[
            placement,
            bucket,
            experiment,
            ("product", B::string(product)),
            ("rules", B::strings(rules)),
        ]),
        Event::AddToCart {
            items,
            rules,
            replaces,
        } => B::object(&[
            placement,
            bucket,
            experiment,
            ("items", B::array(items.iter().map(Item::build).collect())),
            ("rules", B::strings(rules)),
            ("replaces", B::text_or_null(replaces.as_deref())),
        ]),
    }
}

/// Dispatches `event` from `host` (a `placement` placement); returns false if a listener
/// cancelled it (only `add-to-cart` is cancellable).
pub(crate) fn send(
    host: &HtmlElement,
    placement: &str,
    context: &EventContext,
    event: &Event,
) -> bool {
    let detail: JsValue = detail(placement, context, event);
    let name = event.name();
    let cancelable = matches!(event, Event::AddToCart { .. });
    let proceed = crate::dom::dispatch(host, &format!("cartlift:{name}"), &detail, cancelable);
    if context.data_layer {
        // The same object the DOM event carries.
        push_data_layer(JsValue::object(&[
            (
                "event",
                JsValue::string(&format!("cartlift_{}", name.replace('-', "_"))),
            ),
            ("cartlift", detail),
        ]));
    }
    proceed
}

/// `window.dataLayer.push(entry)`, creating the array if needed.
fn push_data_layer(entry: JsValue) {
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
    // GTM replaces `push`; call whatever is there, and never let it throw into us.
    if let Ok(push) = js_sys::Reflect::get(&layer, &"push".into())
        && let Some(push) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&push)
    {
        let _ = push.call1(&layer, &entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The details as the page's listeners read them (JSON has the same shape as the JS
    /// object the widget hands over).
    #[test]
    fn details_carry_the_context_then_the_events_own_fields() {
        let context = EventContext {
            bucket: Bucket::Holdout,
            experiment: Some("q4".into()),
            data_layer: true,
        };
        let detail = |event: &Event| detail::<serde_json::Value>("cart", &context, event);
        assert_eq!(
            detail(&Event::Impression {
                products: vec!["cam".into()],
                rules: vec!["r1".into()],
                shown: false,
            }),
            serde_json::json!({"placement": "cart", "bucket": "holdout", "experiment": "q4",
                "products": ["cam"], "rules": ["r1"], "shown": false})
        );
        assert_eq!(
            detail(&Event::AddToCart {
                items: vec![Item {
                    product: "cam".into(),
                    variant: None,
                    quantity: 2,
                }],
                rules: vec![],
                replaces: None,
            }),
            serde_json::json!({"placement": "cart", "bucket": "holdout", "experiment": "q4",
                "items": [{"id": "cam", "variant": null, "quantity": 2}], "rules": [],
                "replaces": null})
        );
        let plain = EventContext::default();
        assert_eq!(
            super::detail::<serde_json::Value>(
                "product",
                &plain,
                &Event::Dismiss {
                    product: "psu".into(),
                    rules: vec!["r2".into()],
                },
            ),
            serde_json::json!({"placement": "product", "bucket": "treatment",
                "experiment": null, "product": "psu", "rules": ["r2"]})
        );
    }
}
