//! The `js` adapter: the page owns the cart. It reports the basket with
//! `cartlift.setBasket(lines)` and adds items in the handler it registers with
//! `cartlift.onAddToCart(fn)`: `fn(item)` is called once per item, in order, with
//! `{id, variant, quantity, placement, rules, replaces}`; it may return a promise, and an
//! item counts as added only when that promise resolves (a rejection or `false` is a
//! failure). For an upgrade switch, `replaces` names the basket line the page should
//! swap out.

use super::cart::{
    AddOutcome, CartAdapter, CartFailure, CartFuture, CartRequest, Item, LIVE_TIMEOUT_MS,
    LiveFuture,
};
use crate::error::js_message;
use crate::js_value::{Build, Js, Value};
use cartlift_engine::live::LiveProduct;
use cartlift_engine::{Config, Currency};
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The page-driven cart.
#[derive(Debug, Default)]
pub struct JsCart {
    handler: RefCell<Option<js_sys::Function>>,
    /// `cartlift.onProducts(fn)`: the page's live product read.
    products: RefCell<Option<js_sys::Function>>,
}

impl JsCart {
    /// Registers the page's add handler, replacing an earlier one.
    pub fn set_handler(&self, handler: js_sys::Function) {
        *self.handler.borrow_mut() = Some(handler);
    }

    /// Registers the page's live product read, replacing an earlier one.
    pub fn set_products(&self, handler: js_sys::Function) {
        *self.products.borrow_mut() = Some(handler);
    }
}

/// What the page's `onProducts(ids)` answered: an array of `{id, price, compare_at_price,
/// in_stock, variant}`, prices decimal in the store's currency like `setBasket`'s;
/// `in_stock` defaults to true, the others but `id` and `price` may be absent or `null`.
/// One message for any mistake, naming the item: a message per kind of mistake cost the
/// smallest build 0.3 KB brotli.
fn page_products(
    answer: &impl Value,
    currency: Currency,
) -> Result<Vec<(String, LiveProduct)>, String> {
    let mut read = Vec::new();
    for (i, item) in answer.elements().unwrap_or_default().iter().enumerate() {
        let amount = |key| {
            item.get(key)
                .and_then(|v| currency.to_minor(v.number()?).ok())
        };
        let id = item.get("id").and_then(|v| v.id());
        let (Some(id), Some(price)) = (id, amount("price")) else {
            return Err(format!(
                "onProducts: item {i} is not {{id, price, compare_at_price, in_stock}} with an id and a price in {}",
                currency.code()
            ));
        };
        read.push((
            id,
            LiveProduct {
                price,
                compare_at_price: amount("compare_at_price"),
                in_stock: item
                    .get("in_stock")
                    .and_then(|v| v.boolean())
                    .unwrap_or(true),
                variant: item.get("variant").and_then(|v| v.id()),
            },
        ));
    }
    if answer.elements().is_none() {
        return Err(
            "onProducts: expected an array of {id, price, compare_at_price, in_stock}".into(),
        );
    }
    Ok(read)
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
        (
            "discount_code",
            B::text_or_null(request.discount.as_ref().and_then(|d| d.code())),
        ),
        // The shopper's side of the holdout, for the store to keep with the order.
        (
            "bucket",
            B::string(
                request
                    .attribution
                    .as_ref()
                    .map_or(cartlift_engine::shopper::Bucket::Treatment.name(), |a| {
                        a.bucket.name()
                    }),
            ),
        ),
        (
            "experiment",
            B::text_or_null(
                request
                    .attribution
                    .as_ref()
                    .and_then(|a| a.experiment.as_deref()),
            ),
        ),
    ])
}

/// Waits for the page's promise, or fails once it has not settled within `ms`: an add
/// button then offers a retry instead of spinning forever.
async fn settle_within(
    promise: &js_sys::Promise,
    ms: u32,
    handler: &str,
) -> Result<JsValue, JsValue> {
    let mut timer = None;
    let timeout = js_sys::Promise::new(&mut |_, reject| {
        let message = JsValue::from_str(&format!(
            "the page's {handler} handler did not settle within {ms} ms"
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
                    let value = settle_within(promise, super::http::TIMEOUT_MS, "onAddToCart")
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

    fn live(&self, config: Rc<Config>, ids: Vec<String>) -> Option<LiveFuture> {
        let handler = self.products.borrow().clone()?;
        Some(Box::pin(async move {
            let ids: JsValue = Build::strings(&ids);
            let returned = handler
                .call1(&JsValue::NULL, &ids)
                .map_err(|e| js_message(&e))?;
            let answer = match returned.dyn_ref::<js_sys::Promise>() {
                Some(promise) => settle_within(promise, LIVE_TIMEOUT_MS, "onProducts")
                    .await
                    .map_err(|e| js_message(&e))?,
                None => returned,
            };
            page_products(&Js(answer), config.store().currency)
        }))
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
            discount: None,
            attribution: Some(super::super::Attribution {
                bucket: cartlift_engine::shopper::Bucket::Treatment,
                experiment: Some("q4".into()),
            }),
        };
        assert_eq!(
            handler_item::<serde_json::Value>(&request, &request.items[0]),
            serde_json::json!({"id": "cam", "variant": "cam-4k", "quantity": 1,
                "placement": "product", "rules": ["r1"], "replaces": "cam-2k",
                "discount_code": null, "bucket": "treatment", "experiment": "q4"})
        );
    }

    #[test]
    fn the_pages_product_answer_is_read_in_the_stores_currency() {
        let usd = Currency::parse("USD").unwrap();
        let answer = serde_json::json!([
            {"id": "cam", "price": 79.5, "compare_at_price": 89, "in_stock": true, "variant": 4410},
            {"id": "cable", "price": 12, "compare_at_price": null, "in_stock": false},
            {"id": "mount", "price": 15, "extra": "ignored"}
        ]);
        let read = page_products(&answer, usd).unwrap();
        assert_eq!(read[0].0, "cam");
        assert_eq!(
            read[0].1,
            LiveProduct {
                price: cartlift_engine::Money(7950),
                compare_at_price: Some(cartlift_engine::Money(8900)),
                in_stock: true,
                variant: Some("4410".into()),
            }
        );
        assert!(!read[1].1.in_stock);
        assert!(read[2].1.in_stock);
        let err = |v: serde_json::Value| page_products(&v, usd).unwrap_err();
        assert_eq!(
            err(serde_json::json!({"id": "cam"})),
            "onProducts: expected an array of {id, price, compare_at_price, in_stock}"
        );
        let item = "is not {id, price, compare_at_price, in_stock} with an id and a price in USD";
        assert_eq!(
            err(serde_json::json!([{"price": 1}])),
            format!("onProducts: item 0 {item}")
        );
        assert_eq!(
            err(serde_json::json!([{"id": "a", "price": 1}, {"id": "b", "price": "12"}])),
            format!("onProducts: item 1 {item}")
        );
        assert_eq!(
            err(serde_json::json!([{"id": "a", "price": -1}])),
            format!("onProducts: item 0 {item}")
        );
    }
}
