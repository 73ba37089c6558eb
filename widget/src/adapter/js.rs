//! The `js` adapter: the page owns the cart. It reports the basket with
//! `cartlift.setBasket(lines)` and adds items in the handler it registers with
//! `cartlift.onAddToCart(fn)`: `fn(item)` is called once per item, in order, with
//! `{id, variant, quantity, placement, rules, replaces}`; it may return a promise, and an
//! item counts as added only when that promise resolves (a rejection or `false` is a
//! failure). For an upgrade switch, `replaces` names the basket line the page should
//! swap out.

use super::cart::{AddOutcome, CartAdapter, CartFailure, CartFuture, CartRequest, Item};
use crate::error::js_message;
use crate::js_value::Build;
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The page-driven cart.
#[derive(Debug, Default)]
pub struct JsCart {
    handler: RefCell<Option<js_sys::Function>>,
}

impl JsCart {
    /// Registers the page's add handler, replacing an earlier one.
    pub fn set_handler(&self, handler: js_sys::Function) {
        *self.handler.borrow_mut() = Some(handler);
    }
}

/// The object the page's handler receives for one item: the item as events show it, and
/// `placement`, `rules`, `replaces`.
fn handler_item<B: Build>(request: &CartRequest, item: &Item) -> B {
    B::object(&[
        ("id", B::string(&item.product)),
        ("variant", B::text_or_null(item.variant.as_deref())),
        ("quantity", B::number(f64::from(item.quantity))),
        ("placement", B::string(request.placement.name())),
        ("rules", B::strings(&request.rules)),
        ("replaces", B::text_or_null(request.replaces.as_deref())),
    ])
}

/// Waits for the page's promise, or fails once it has not settled within the adapters'
/// timeout: the button then offers a retry instead of spinning forever.
async fn settle_within(promise: &js_sys::Promise) -> Result<JsValue, JsValue> {
    let ms = super::http::TIMEOUT_MS;
    let mut timer = None;
    let timeout = js_sys::Promise::new(&mut |_, reject| {
        let message = JsValue::from_str(&format!(
            "the page's onAddToCart handler did not settle within {} s",
            ms / 1000
        ));
        timer = Some(Timeout::new(ms, move || {
            let _ = reject.call1(&JsValue::NULL, &message);
        }));
    });
    // The timer lives until the race is decided, and is cleared if the page was first.
    let settled = JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(
        promise, &timeout,
    )));
    let outcome = settled.await;
    drop(timer);
    outcome
}

impl CartAdapter for JsCart {
    fn apply(&self, request: CartRequest) -> CartFuture {
        let handler = self.handler.borrow().clone();
        Box::pin(async move {
            let Some(handler) = handler else {
                return Err(CartFailure::new(
                    0,
                    "the page registered no handler: call cartlift.onAddToCart(item => …) to add items to your cart",
                ));
            };
            for (done, item) in request.items.iter().enumerate() {
                let fail = |message: String| CartFailure::new(done, message);
                let argument: JsValue = handler_item(&request, item);
                let returned = handler
                    .call1(&JsValue::NULL, &argument)
                    .map_err(|e| fail(js_message(&e)))?;
                if let Some(promise) = returned.dyn_ref::<js_sys::Promise>() {
                    let value = settle_within(promise)
                        .await
                        .map_err(|e| fail(js_message(&e)))?;
                    if value == JsValue::FALSE {
                        return Err(fail("the page's handler resolved to false".into()));
                    }
                } else if returned == JsValue::FALSE {
                    return Err(fail("the page's handler returned false".into()));
                }
            }
            Ok(AddOutcome::Added)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartlift_engine::Placement;

    #[test]
    fn the_handler_gets_the_item_and_where_it_comes_from() {
        let request = CartRequest {
            items: vec![Item {
                product: "cam".into(),
                variant: Some("cam-4k".into()),
                quantity: 1,
            }],
            replaces: Some("cam-2k".into()),
            placement: Placement::Product,
            rules: vec!["r1".into()],
        };
        assert_eq!(
            handler_item::<serde_json::Value>(&request, &request.items[0]),
            serde_json::json!({"id": "cam", "variant": "cam-4k", "quantity": 1,
                "placement": "product", "rules": ["r1"], "replaces": "cam-2k"})
        );
    }
}
