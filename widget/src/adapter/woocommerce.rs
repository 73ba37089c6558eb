//! The `woocommerce` adapter: the WooCommerce Store API (`/wp-json/wc/store/v1`).
//!
//! Reads `GET cart` (and keeps the `Nonce` and `Cart-Token` headers it returns, which
//! every write must send back), adds each item with `POST cart/add-item` (`{id, quantity}`)
//! and removes a replaced line with `POST cart/remove-item` (`{key}`). Every write answers
//! with the whole cart, which is reported at once. A stale nonce is renewed once.
//! Catalog ids are matched against each line's SKU and product id.

use super::http::{self, Reply, array_field, id_field, number_field};
use super::{AddOutcome, CartAdapter, CartFailure, CartFuture, CartRequest, basket_line};
use crate::{report, runtime};
use cartlift_engine::Money;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// The WooCommerce cart.
#[derive(Debug)]
pub struct WooCart {
    state: Rc<State>,
}

#[derive(Debug, Default)]
struct State {
    root: String,
    nonce: RefCell<Option<String>>,
    token: RefCell<Option<String>>,
    /// Catalog id → line key, from the last cart seen.
    keys: RefCell<Vec<(String, String)>>,
    reading: Cell<bool>,
    stale: Cell<bool>,
}

impl WooCart {
    /// A cart whose Store API lives at `root` (default `/wp-json/wc/store/v1`).
    pub fn new(root: &str) -> Self {
        WooCart {
            state: Rc::new(State {
                root: root.trim_end_matches('/').to_owned(),
                ..State::default()
            }),
        }
    }
}

impl State {
    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.root)
    }

    fn remember(&self, reply: &Reply) {
        let header = |name: &str| reply.headers.get(name).ok().flatten();
        if let Some(n) = header("Nonce").or_else(|| header("X-WC-Store-API-Nonce")) {
            *self.nonce.borrow_mut() = Some(n);
        }
        if let Some(t) = header("Cart-Token") {
            *self.token.borrow_mut() = Some(t);
        }
    }

    async fn read(self: Rc<Self>) {
        if self.reading.replace(true) {
            self.stale.set(true);
            return;
        }
        loop {
            self.stale.set(false);
            match http::read(&self.url("cart")).await {
                Ok(reply) if reply.ok() => {
                    self.remember(&reply);
                    self.report(&reply.body);
                }
                Ok(reply) => {
                    report::warn(&format!(
                        "woocommerce cart: could not read the cart: {}",
                        reply.error_text()
                    ));
                    runtime::cart_unreadable();
                }
                Err(e) => {
                    report::warn(&format!("woocommerce cart: could not read the cart: {e}"));
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
        let exponent = config.store().currency.exponent();
        let mut keys = Vec::new();
        let lines = array_field(cart, "items")
            .iter()
            .filter_map(|item| {
                let quantity = number_field(item, "quantity").unwrap_or(1.0).max(1.0) as u32;
                let prices = js_sys::Reflect::get(item, &"prices".into()).ok();
                // Store API prices are strings in the store's minor units: "1800" = 18.00
                // with `currency_minor_unit` 2, but "18" with 0 (a store set to show no
                // decimals), whatever the currency's own minor unit.
                let price = prices.as_ref().and_then(|p| {
                    let amount = number_field(p, "price")?;
                    // A count of digits: `powi`, not `powf` (libm's pow, 2 KB of wasm).
                    let digits = number_field(p, "currency_minor_unit")
                        .map_or(i32::from(exponent), |d| d as i32);
                    let minor = amount * 10f64.powi(i32::from(exponent) - digits);
                    Some(Money(minor.round() as i64))
                });
                let line = basket_line(
                    &config,
                    &[id_field(item, "sku"), id_field(item, "id")],
                    quantity,
                    price,
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

    /// Fetches a fresh nonce (and cart token). Not through [`State::read`]: that returns at
    /// once when a read is already in flight, and the write would go without a nonce.
    async fn renew_nonce(&self) {
        match http::send("GET", &self.url("cart"), None, &[]).await {
            Ok(reply) if reply.ok() => self.remember(&reply),
            _ => {}
        }
    }

    /// A write with the nonce; renews a missing or rejected nonce once.
    async fn write(self: &Rc<Self>, path: &str, body: &JsValue) -> Result<Reply, String> {
        let mut renewed = false;
        loop {
            if self.nonce.borrow().is_none() {
                self.renew_nonce().await;
            }
            let nonce = self.nonce.borrow().clone().unwrap_or_default();
            let token = self.token.borrow().clone();
            let mut headers = vec![("Nonce", nonce.as_str())];
            if let Some(t) = &token {
                headers.push(("Cart-Token", t.as_str()));
            }
            let reply = http::send("POST", &self.url(path), Some(body), &headers).await?;
            self.remember(&reply);
            // 401 woocommerce_rest_missing_nonce, 403 woocommerce_rest_invalid_nonce.
            let stale_nonce = matches!(reply.status, 401 | 403)
                && reply.field("code").is_some_and(|c| c.contains("nonce"));
            if stale_nonce && !renewed {
                renewed = true;
                *self.nonce.borrow_mut() = None;
                continue;
            }
            if reply.ok() {
                self.report(&reply.body);
            }
            return Ok(reply);
        }
    }
}

impl CartAdapter for WooCart {
    fn apply(&self, request: CartRequest) -> CartFuture {
        let state = self.state.clone();
        Box::pin(async move {
            for (done, item) in request.items.iter().enumerate() {
                let id = item.variant.as_deref().unwrap_or(&item.product);
                let id_value = match id.parse::<u64>() {
                    Ok(n) if n < (1u64 << 53) => JsValue::from_f64(n as f64),
                    _ => JsValue::from_str(id),
                };
                let body =
                    crate::dom::js_object(&[("id", id_value), ("quantity", item.quantity.into())]);
                let failure = match state.write("cart/add-item", &body).await {
                    Ok(reply) if reply.ok() => None,
                    Ok(reply) => Some(reply.error_text()),
                    Err(e) => Some(e),
                };
                if let Some(message) = failure {
                    state.clone().read().await;
                    return Err(CartFailure::new(done, message));
                }
            }
            if let Some(old) = &request.replaces {
                let key = state
                    .keys
                    .borrow()
                    .iter()
                    .find(|(p, _)| p == old)
                    .map(|(_, k)| k.clone());
                if let Some(key) = key {
                    let body = crate::dom::js_object(&[("key", JsValue::from_str(&key))]);
                    let failure = match state.write("cart/remove-item", &body).await {
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
            Ok(AddOutcome::Added)
        })
    }

    fn watch(self: Rc<Self>) {
        self.refresh();
    }

    fn refresh(self: Rc<Self>) {
        wasm_bindgen_futures::spawn_local(self.state.clone().read());
    }
}
