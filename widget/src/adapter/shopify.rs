//! The `shopify` adapter: Shopify's Ajax Cart API, same origin as the storefront.
//!
//! Reads `GET /cart.js`, adds with one `POST /cart/add.js` (`{items:[{id, quantity}]}`),
//! removes a replaced line with `POST /cart/change.js` (`{id: line key, quantity: 0}`).
//! It re-reads the cart after its own changes and whenever the loader sees the theme
//! change the cart (a `fetch`/XHR to `/cart/…`), so the widget re-ranks on every change.
//! Catalog ids are matched against each line's SKU, handle, product id and variant id.

use super::http::{self, array_field, id_field, number_field};
use super::{AddOutcome, CartAdapter, CartFailure, CartFuture, CartRequest, basket_line};
use crate::{report, runtime};
use cartlift_engine::Money;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// The Shopify cart.
#[derive(Debug)]
pub struct ShopifyCart {
    state: Rc<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Shop root ("" for the storefront's own origin, or a locale prefix like "/fr").
    root: String,
    /// Catalog id → line key, from the last read.
    keys: RefCell<Vec<(String, String)>>,
    reading: Cell<bool>,
    stale: Cell<bool>,
}

impl ShopifyCart {
    /// A cart under `root` (`""` or e.g. `"/en-ca"` for a Markets locale prefix).
    pub fn new(root: &str) -> Self {
        ShopifyCart {
            state: Rc::new(State {
                root: root.trim_end_matches('/').to_owned(),
                ..State::default()
            }),
        }
    }
}

impl State {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.root)
    }

    /// Reads the cart and reports it; concurrent calls coalesce into one more read.
    async fn read(self: Rc<Self>) {
        if self.reading.replace(true) {
            self.stale.set(true);
            return;
        }
        loop {
            self.stale.set(false);
            match http::read(&self.url("/cart.js")).await {
                Ok(reply) if reply.ok() => self.report(&reply.body),
                Ok(reply) => {
                    report::warn(&format!(
                        "shopify cart: could not read /cart.js: {}",
                        reply.error_text()
                    ));
                    runtime::cart_unreadable();
                }
                Err(e) => {
                    report::warn(&format!("shopify cart: could not read the cart: {e}"));
                    runtime::cart_unreadable();
                }
            }
            if !self.stale.get() {
                break;
            }
        }
        self.reading.set(false);
    }

    fn report(&self, cart: &JsValue) {
        let Some(config) = runtime::config() else {
            return;
        };
        let mut keys = Vec::new();
        let lines = array_field(cart, "items")
            .iter()
            .filter_map(|item| {
                let quantity = number_field(item, "quantity").unwrap_or(1.0).max(1.0) as u32;
                let cents = number_field(item, "final_price").or(number_field(item, "price"));
                let line = basket_line(
                    &config,
                    &[
                        id_field(item, "sku"),
                        id_field(item, "handle"),
                        id_field(item, "product_id"),
                        id_field(item, "variant_id"),
                        id_field(item, "id"),
                    ],
                    quantity,
                    cents.map(|c| Money(c.round() as i64)),
                )?;
                if let Some(key) = id_field(item, "key") {
                    keys.push((line.product.clone(), key));
                }
                Some(line)
            })
            .collect();
        *self.keys.borrow_mut() = keys;
        runtime::set_basket_lines(lines);
    }
}

/// A Shopify variant id: numbers go as numbers, anything else as written.
fn variant_value(id: &str) -> JsValue {
    match id.parse::<u64>() {
        Ok(n) if n < (1u64 << 53) => JsValue::from_f64(n as f64),
        _ => JsValue::from_str(id),
    }
}

impl CartAdapter for ShopifyCart {
    fn apply(&self, request: CartRequest) -> CartFuture {
        let state = self.state.clone();
        Box::pin(async move {
            let items: js_sys::Array = request
                .items
                .iter()
                .map(|item| {
                    let id = item.variant.as_deref().unwrap_or(&item.product);
                    crate::dom::js_object(&[
                        ("id", variant_value(id)),
                        ("quantity", item.quantity.into()),
                    ])
                })
                .collect();
            let body = crate::dom::js_object(&[("items", items.into())]);
            let added = http::send("POST", &state.url("/cart/add.js"), Some(&body), &[]).await;
            let failure = match added {
                Ok(reply) if reply.ok() => None,
                Ok(reply) => Some(reply.error_text()),
                Err(e) => Some(e),
            };
            if let Some(message) = failure {
                // The add may have happened (a timeout); the fresh cart tells.
                state.clone().read().await;
                return Err(CartFailure::new(0, message));
            }
            if let Some(old) = &request.replaces {
                let key = state
                    .keys
                    .borrow()
                    .iter()
                    .find(|(p, _)| p == old)
                    .map(|(_, k)| k.clone());
                if let Some(key) = key {
                    let body = crate::dom::js_object(&[
                        ("id", JsValue::from_str(&key)),
                        ("quantity", 0.into()),
                    ]);
                    let removed =
                        http::send("POST", &state.url("/cart/change.js"), Some(&body), &[]).await;
                    let failure = match removed {
                        Ok(reply) if reply.ok() => None,
                        Ok(reply) => Some(reply.error_text()),
                        Err(e) => Some(e),
                    };
                    if let Some(message) = failure {
                        state.clone().read().await;
                        return Err(CartFailure::new(
                            request.items.len(),
                            format!("added the upgrade but could not remove {old}: {message}"),
                        ));
                    }
                }
            }
            state.read().await;
            Ok(AddOutcome::Added)
        })
    }

    fn watch(self: Rc<Self>) {
        self.refresh();
    }

    fn refresh(self: Rc<Self>) {
        let state = self.state.clone();
        wasm_bindgen_futures::spawn_local(state.read());
    }
}
