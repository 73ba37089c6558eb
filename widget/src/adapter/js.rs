//! The `js` adapter: the page owns the cart. It reports the basket with
//! `cartlift.setBasket(lines)` and adds items in the handler it registers with
//! `cartlift.onAddToCart(fn)`; `fn(item)` may return a promise, and the add counts as done
//! only when that promise resolves.

use super::{AddFuture, AddOutcome, AddRequest, CartAdapter};
use crate::WidgetError;
use crate::error::js_message;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

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

impl CartAdapter for JsCart {
    fn add(&self, request: AddRequest) -> AddFuture {
        let handler = self.handler.borrow().clone();
        Box::pin(async move {
            let Some(handler) = handler else {
                return Err(WidgetError::AddToCart(
                    "the page registered no handler: call cartlift.onAddToCart(item => …) to add items to your cart".into(),
                ));
            };
            let item = crate::dom::add_request_object(&request);
            let returned = handler
                .call1(&JsValue::NULL, &item)
                .map_err(|e| WidgetError::AddToCart(js_message(&e)))?;
            if let Some(promise) = returned.dyn_ref::<js_sys::Promise>() {
                wasm_bindgen_futures::JsFuture::from(promise.clone())
                    .await
                    .map_err(|e| WidgetError::AddToCart(js_message(&e)))?;
            } else if returned == JsValue::FALSE {
                return Err(WidgetError::AddToCart(
                    "the page's handler returned false".into(),
                ));
            }
            Ok(AddOutcome::Added)
        })
    }
}
