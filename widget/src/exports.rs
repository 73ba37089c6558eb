//! Every function JS can call, in one place. `cartlift.js` calls them; nothing else should.
//!
//! None of them throws: a problem becomes one `cartlift:` console warning and the page goes
//! on. The page-facing API (`window.cartlift.setBasket`, `…setSegments`, `…onAddToCart`) is defined by
//! `cartlift.js`, which queues calls until this module is ready and then forwards them here.

use crate::{report, runtime};
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

/// Reads the script tag's settings (`{config, cart, cartUrl, locale, segments,
/// moneyFormat, currency}`; the last two only in builds with the Shopify adapter) and
/// starts loading the config.
#[wasm_bindgen]
pub fn start(settings: JsValue) {
    install_panic_hook();
    let get = |key: &str| {
        js_sys::Reflect::get(&settings, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
            .filter(|s| !s.is_empty())
    };
    let page_lang = || {
        let root = web_sys::window()?.document()?.document_element()?;
        root.get_attribute("lang").filter(|l| !l.is_empty())
    };
    #[cfg(feature = "shopify")]
    crate::shop_money::set(get("moneyFormat"), get("currency"));
    runtime::start(crate::state::Settings {
        config_url: get("config"),
        cart: get("cart").unwrap_or_else(|| "js".into()),
        cart_url: get("cartUrl"),
        locale: get("locale").or_else(page_lang),
        segments: get("segments").unwrap_or_default(),
    });
}

/// Renders the placement of a `<cartlift-suggestions>` element (again, if its attributes
/// changed).
#[wasm_bindgen]
pub fn mount(host: HtmlElement) {
    if let Err(e) = runtime::mount(host) {
        report::warn(&e.to_string());
    }
}

/// Removes the placement of an element that left the page.
#[wasm_bindgen]
pub fn unmount(host: HtmlElement) {
    runtime::unmount(&host);
}

/// `cartlift.setBasket(lines)`: the page reports its basket; placements re-rank at once.
#[wasm_bindgen(js_name = setBasket)]
pub fn set_basket(lines: JsValue) {
    runtime::set_basket(lines);
}

/// `cartlift.setSegments(names)`: the shopper's customer segments, checked by the loader
/// and joined by spaces; placements re-rank at once.
#[wasm_bindgen(js_name = setSegments)]
pub fn set_segments(names: String) {
    runtime::set_segments(names);
}

/// `cartlift.onAddToCart(fn)`: the page's add handler for the `js` cart adapter.
#[wasm_bindgen(js_name = onAddToCart)]
pub fn on_add_to_cart(handler: JsValue) {
    match handler.dyn_into::<js_sys::Function>() {
        Ok(f) => runtime::set_add_handler(f),
        Err(_) => report::warn("onAddToCart: expected a function"),
    }
}

/// `cartlift.onProducts(fn)`: the page's live product read for the `js` cart adapter:
/// `fn(ids)` answers (or resolves to) `[{id, price, compare_at_price, in_stock}]`.
#[wasm_bindgen(js_name = onProducts)]
pub fn on_products(handler: JsValue) {
    match handler.dyn_into::<js_sys::Function>() {
        Ok(f) => runtime::set_products_handler(f),
        Err(_) => report::warn("onProducts: expected a function"),
    }
}

/// The loader saw the element come at least half into view (`true`) or leave it
/// (impressions).
#[wasm_bindgen]
pub fn visible(host: HtmlElement, in_view: bool) {
    runtime::visible(&host, in_view);
}

/// The loader saw the page change the store's cart (`fetch`/XHR to the cart API, or a
/// platform cart event): the adapter re-reads it.
#[wasm_bindgen(js_name = cartChanged)]
pub fn cart_changed() {
    runtime::cart_changed();
}

/// A panic is a bug in cartlift; say so in the console instead of a bare "unreachable".
/// The shipped builds abort at once on a panic (no message to format: see the README's
/// Size section), so there is nothing to hook; tests and debug builds keep the message.
#[cfg(not(panic = "immediate-abort"))]
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        report::warn(&format!("internal error, please report it: {info}"));
    }));
}

#[cfg(panic = "immediate-abort")]
fn install_panic_hook() {}
