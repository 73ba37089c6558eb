//! The widget's events for the page and analytics: bubbling, composed `CustomEvent`s from
//! the `<cartlift-suggestions>` element, mirrored into `window.dataLayer` when the store
//! asks for it (`store.data_layer`), next to Google Analytics 4's recommended ecommerce
//! events for the same moments.
//!
//! | event | when | detail | GA4 event |
//! |---|---|---|---|
//! | `cartlift:impression` | a placement view is at least half visible, once per view | `products`, `rules`, `shown` | `view_item_list` (not for a held-out shopper, who saw nothing) |
//! | `cartlift:click` | a suggestion's link is followed | `product`, `rules` | `select_item` |
//! | `cartlift:add-to-cart` | before an add (cancellable: the page takes over) | `items`, `rules`, `replaces` | `add_to_cart`, once the cart confirmed the add |
//! | `cartlift:dismiss` | "Not interested" | `product`, `rules` | none |
//!
//! Every detail also carries `placement`, `bucket` (`treatment` or `holdout`) and
//! `experiment` (the holdout's name, or `null`): the [`EventContext`] the caller passes;
//! and `value` and `currency` when the products it names have prices (the sum, units
//! counted). The GA4 events follow Google's documented `dataLayer` shape: a
//! `{ecommerce: null}` push first (clearing the previous event's items), then `{event,
//! ecommerce: {item_list_id, item_list_name, currency, value, items: [{item_id, item_name,
//! price, quantity, item_list_id, item_list_name, index}]}, cartlift_bucket,
//! cartlift_experiment}`, `item_list_id` the placement and `item_list_name` the heading of
//! the section the product is shown in.

use crate::adapter::Item;
use crate::js_value::Build;
pub use crate::view::EventItem;
use cartlift_engine::shopper::Bucket;
use cartlift_engine::{Currency, Money};
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
    /// The store's currency (`None` until the config is read).
    pub currency: Option<Currency>,
}

impl Default for EventContext {
    fn default() -> Self {
        EventContext {
            bucket: Bucket::Treatment,
            experiment: None,
            data_layer: false,
            currency: None,
        }
    }
}

impl Event {
    /// The products the event names, with their units: what its `value` adds up.
    fn units(&self) -> Vec<(&str, u32)> {
        match self {
            Event::Impression { products, .. } => {
                products.iter().map(|p| (p.as_str(), 1)).collect()
            }
            Event::Click { product, .. } | Event::Dismiss { product, .. } => {
                vec![(product.as_str(), 1)]
            }
            Event::AddToCart { items, .. } => items
                .iter()
                .map(|i| (i.product.as_str(), i.quantity))
                .collect(),
        }
    }

    /// Google Analytics 4's name for the event, if it has one.
    fn ga4_name(&self) -> Option<&'static str> {
        match self {
            Event::Impression { shown: true, .. } => Some("view_item_list"),
            Event::Click { .. } => Some("select_item"),
            Event::AddToCart { .. } => Some("add_to_cart"),
            Event::Impression { shown: false, .. } | Event::Dismiss { .. } => None,
        }
    }
}

/// The value of `units` at `items`' prices, in major units of `currency`; `None` if no
/// product named has a known price.
fn value(units: &[(&str, u32)], items: &[EventItem], currency: Currency) -> Option<f64> {
    let mut total = 0i64;
    let mut priced = false;
    for (id, quantity) in units {
        if let Some(item) = items.iter().find(|i| i.id == *id) {
            total = total.saturating_add(item.price.0.saturating_mul(i64::from(*quantity)));
            priced = true;
        }
    }
    priced.then(|| currency.to_major(Money(total)))
}

/// An event's `detail`: the context's fields, then the event's own, then `value` and
/// `currency` when its products have prices in `items`.
fn detail<B: Build>(
    placement: &str,
    context: &EventContext,
    event: &Event,
    items: &[EventItem],
) -> B {
    let placement = ("placement", B::string(placement));
    let bucket = ("bucket", B::string(context.bucket.name()));
    let experiment = ("experiment", B::text_or_null(context.experiment.as_deref()));
    let mut members: Vec<(&str, B)> = match event {
        Event::Impression {
            products,
            rules,
            shown,
        } => vec![
            placement,
            bucket,
            experiment,
            ("products", B::strings(products)),
            ("rules", B::strings(rules)),
            ("shown", B::bool(*shown)),
        ],
        Event::Click { product, rules } | Event::Dismiss { product, rules } => vec![
            placement,
            bucket,
            experiment,
            ("product", B::string(product)),
            ("rules", B::strings(rules)),
        ],
        Event::AddToCart {
            items,
            rules,
            replaces,
        } => vec![
            placement,
            bucket,
            experiment,
            ("items", B::array(items.iter().map(Item::build).collect())),
            ("rules", B::strings(rules)),
            ("replaces", B::text_or_null(replaces.as_deref())),
        ],
    };
    if let Some(currency) = context.currency
        && let Some(value) = value(&event.units(), items, currency)
    {
        members.push(("value", B::number(value)));
        members.push(("currency", B::string(currency.code())));
    }
    B::map(members.into_iter())
}

/// The Google Analytics 4 event for `event` (see the module's table), or `None` for one GA4
/// has no name for. Products not in `items` are listed by id alone.
fn ga4<B: Build>(
    placement: &str,
    context: &EventContext,
    event: &Event,
    items: &[EventItem],
) -> Option<B> {
    let name = event.ga4_name()?;
    let units = event.units();
    let listed: Vec<B> = units
        .iter()
        .map(|(id, quantity)| {
            let mut fields = vec![("item_id", B::string(id))];
            if let Some((index, item)) = items.iter().enumerate().find(|(_, i)| i.id == *id) {
                fields.push(("item_name", B::string(&item.name)));
                if let Some(currency) = context.currency {
                    fields.push(("price", B::number(currency.to_major(item.price))));
                }
                fields.push(("item_list_name", B::string(&item.list)));
                fields.push(("index", B::number(index as f64)));
            }
            fields.push(("item_list_id", B::string(placement)));
            fields.push(("quantity", B::number(f64::from(*quantity))));
            B::map(fields.into_iter())
        })
        .collect();
    let list_name = units
        .first()
        .and_then(|(id, _)| items.iter().find(|i| i.id == *id))
        .map_or(placement, |i| i.list.as_str());
    let mut ecommerce = vec![
        ("item_list_id", B::string(placement)),
        ("item_list_name", B::string(list_name)),
    ];
    if let Some(currency) = context.currency
        && let Some(value) = value(&units, items, currency)
    {
        ecommerce.push(("currency", B::string(currency.code())));
        ecommerce.push(("value", B::number(value)));
    }
    ecommerce.push(("items", B::array(listed)));
    Some(B::object(&[
        ("event", B::string(name)),
        ("ecommerce", B::map(ecommerce.into_iter())),
        ("cartlift_bucket", B::string(context.bucket.name())),
        (
            "cartlift_experiment",
            B::text_or_null(context.experiment.as_deref()),
        ),
    ]))
}

/// Dispatches `event` from `host` (a `placement` placement), its products' names and
/// prices read from `items` (what the placement shows); returns false if a listener
/// cancelled it (only `add-to-cart` is cancellable).
pub(crate) fn send(
    host: &HtmlElement,
    placement: &str,
    context: &EventContext,
    event: &Event,
    items: &[EventItem],
) -> bool {
    let detail: JsValue = detail(placement, context, event, items);
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
        // GA4's add_to_cart waits for the cart to confirm the add ([`added`]).
        if !cancelable {
            push_ga4(placement, context, event, items);
        }
    }
    proceed
}

/// The cart confirmed the add `event` announced: GA4's `add_to_cart`, with `store.data_layer`.
pub(crate) fn added(placement: &str, context: &EventContext, event: &Event, items: &[EventItem]) {
    if context.data_layer {
        push_ga4(placement, context, event, items);
    }
}

fn push_ga4(placement: &str, context: &EventContext, event: &Event, items: &[EventItem]) {
    if let Some(ga4) = ga4::<JsValue>(placement, context, event, items) {
        push_data_layer(JsValue::object(&[("ecommerce", JsValue::null())]));
        push_data_layer(ga4);
    }
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

    fn usd() -> Option<Currency> {
        Currency::parse("USD")
    }

    /// What a cart placement shows: two cross-sells under one heading.
    fn shown() -> Vec<EventItem> {
        vec![
            EventItem {
                id: "cam".into(),
                name: "Dome camera".into(),
                price: Money(7_950),
                list: "Goes well with".into(),
            },
            EventItem {
                id: "psu".into(),
                name: "Power supply".into(),
                price: Money(1_200),
                list: "Add-ons".into(),
            },
        ]
    }

    /// The details as the page's listeners read them (JSON has the same shape as the JS
    /// object the widget hands over).
    #[test]
    fn details_carry_the_context_then_the_events_own_fields_then_value_and_currency() {
        let context = EventContext {
            bucket: Bucket::Holdout,
            experiment: Some("q4".into()),
            data_layer: true,
            currency: usd(),
        };
        let items = shown();
        let detail = |event: &Event| detail::<serde_json::Value>("cart", &context, event, &items);
        assert_eq!(
            detail(&Event::Impression {
                products: vec!["cam".into(), "psu".into()],
                rules: vec!["r1".into()],
                shown: false,
            }),
            serde_json::json!({"placement": "cart", "bucket": "holdout", "experiment": "q4",
                "products": ["cam", "psu"], "rules": ["r1"], "shown": false,
                "value": 91.5, "currency": "USD"})
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
                "replaces": null, "value": 159, "currency": "USD"})
        );
        // Nothing priced (an unknown product, or no config yet): no value, no currency.
        let plain = EventContext::default();
        assert_eq!(
            super::detail::<serde_json::Value>(
                "product",
                &plain,
                &Event::Dismiss {
                    product: "psu".into(),
                    rules: vec!["r2".into()],
                },
                &items,
            ),
            serde_json::json!({"placement": "product", "bucket": "treatment",
                "experiment": null, "product": "psu", "rules": ["r2"]})
        );
        assert_eq!(
            detail(&Event::Click {
                product: "gone".into(),
                rules: vec![],
            }),
            serde_json::json!({"placement": "cart", "bucket": "holdout", "experiment": "q4",
                "product": "gone", "rules": []})
        );
    }

    /// Google's documented `dataLayer` shape for GA4's recommended ecommerce events.
    #[test]
    fn ga4_events_follow_googles_names_and_shapes() {
        let context = EventContext {
            bucket: Bucket::Treatment,
            experiment: Some("q4".into()),
            data_layer: true,
            currency: usd(),
        };
        let items = shown();
        let ga4 = |event: &Event| ga4::<serde_json::Value>("cart", &context, event, &items);
        assert_eq!(
            ga4(&Event::Impression {
                products: vec!["cam".into(), "psu".into()],
                rules: vec![],
                shown: true,
            }),
            Some(serde_json::json!({"event": "view_item_list", "ecommerce": {
                "item_list_id": "cart", "item_list_name": "Goes well with",
                "currency": "USD", "value": 91.5, "items": [
                    {"item_id": "cam", "item_name": "Dome camera", "price": 79.5,
                     "item_list_name": "Goes well with", "index": 0, "item_list_id": "cart", "quantity": 1},
                    {"item_id": "psu", "item_name": "Power supply", "price": 12,
                     "item_list_name": "Add-ons", "index": 1, "item_list_id": "cart", "quantity": 1}]},
                "cartlift_bucket": "treatment", "cartlift_experiment": "q4"}))
        );
        assert_eq!(
            ga4(&Event::AddToCart {
                items: vec![Item {
                    product: "psu".into(),
                    variant: Some("psu-eu".into()),
                    quantity: 3,
                }],
                rules: vec![],
                replaces: None,
            }),
            Some(serde_json::json!({"event": "add_to_cart", "ecommerce": {
                "item_list_id": "cart", "item_list_name": "Add-ons",
                "currency": "USD", "value": 36, "items": [
                    {"item_id": "psu", "item_name": "Power supply", "price": 12,
                     "item_list_name": "Add-ons", "index": 1, "item_list_id": "cart", "quantity": 3}]},
                "cartlift_bucket": "treatment", "cartlift_experiment": "q4"}))
        );
        let click = ga4(&Event::Click {
            product: "cam".into(),
            rules: vec![],
        });
        assert_eq!(
            click.as_ref().map(|c| c["event"].clone()),
            Some("select_item".into())
        );
        // A held-out shopper saw nothing; a dismissal has no GA4 name.
        let unseen = Event::Impression {
            products: vec!["cam".into()],
            rules: vec![],
            shown: false,
        };
        assert_eq!(ga4(&unseen), None);
        let dismiss = Event::Dismiss {
            product: "cam".into(),
            rules: vec![],
        };
        assert_eq!(ga4(&dismiss), None);
    }
}
