//! Cart adapters: how "Add to cart" reaches the store's real cart, and how the widget
//! learns what the cart holds.
//!
//! One trait, one implementation per cart: [`JsCart`] (the page owns the cart and talks to
//! cartlift through `window.cartlift`), [`ShopifyCart`] (the Ajax Cart API) and
//! [`WooCart`] (the WooCommerce Store API). An adapter resolves only when the cart has
//! confirmed the change, so a button never claims a success that did not happen; on
//! failure it says how many items did make it, so a retry adds only the rest.
//!
//! The platform adapters learn the cart's contents themselves; they report them through
//! the [`CartEvents`] they are given at construction, and read the config they map lines
//! with from it. They know nothing of who listens.

mod cart;
mod http;
mod js;
#[cfg(feature = "shopify")]
mod shopify;
#[cfg(feature = "woocommerce")]
mod woocommerce;

pub use cart::{
    AddOutcome, Attribution, CartAdapter, CartEvents, CartFailure, CartFuture, CartNews,
    CartRequest, Discount, Item, LIVE_TIMEOUT_MS, LiveFuture,
};
pub use js::JsCart;
#[cfg(feature = "shopify")]
pub use shopify::ShopifyCart;
#[cfg(feature = "woocommerce")]
pub use woocommerce::WooCart;

use std::rc::Rc;

/// The platform cart a script tag asks for (`data-cart="shopify|woocommerce"`, with
/// `data-cart-url` overriding the platform's API root), reporting through `events`;
/// `None` for `js`, the page's own cart.
#[cfg_attr(
    not(any(feature = "shopify", feature = "woocommerce")),
    allow(unused_variables)
)]
pub fn platform(
    kind: &str,
    base: Option<&str>,
    events: CartEvents,
) -> Result<Option<Rc<dyn CartAdapter>>, String> {
    match kind {
        "js" => Ok(None),
        #[cfg(feature = "shopify")]
        "shopify" => Ok(Some(Rc::new(ShopifyCart::new(base.unwrap_or(""), events)))),
        #[cfg(feature = "woocommerce")]
        "woocommerce" => Ok(Some(Rc::new(WooCart::new(
            base.unwrap_or("/wp-json/wc/store/v1"),
            events,
        )))),
        other => Err(format!(
            "unknown data-cart=\"{other}\": use js, shopify or woocommerce; using js (cartlift.setBasket / cartlift.onAddToCart)"
        )),
    }
}
