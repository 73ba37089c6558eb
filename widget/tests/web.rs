//! The widget in a real browser (headless Chromium through wasm-bindgen-test): placements
//! mounted into shadow roots exactly as `cartlift.js` mounts them.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test with its location.
#![allow(clippy::unwrap_used)]

use cartlift_engine::Config;
use cartlift_widget::runtime::{self, ConfigState};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const CONFIG: &str = r#"{
  "version": 1,
  "store": {"currency": "EUR", "locale": "de-DE"},
  "catalog": [
    {"id": "cam", "title": "Kamera", "price": 89, "url": "/p/cam"},
    {"id": "cable", "title": "<img src=x onerror=alert(1)>", "price": 1234.5, "url": "/p/cable", "image": "/i/cable.svg"},
    {"id": "psu", "title": "Netzteil", "price": 15},
    {"id": "box", "title": "Box", "price": 9}
  ],
  "rules": [
    {"kind": "bought_together", "id": "r-cable", "antecedent": ["cam"], "consequent": ["cable"], "confidence": 0.6},
    {"kind": "bought_together", "id": "r-psu", "antecedent": ["cam"], "consequent": ["psu"], "confidence": 0.4},
    {"kind": "bought_together", "id": "r-box", "antecedent": ["cam"], "consequent": ["box"], "confidence": 0.2}
  ]
}"#;

/// A fresh host element with a mounted placement, and the runtime set to `CONFIG`.
async fn mount(placement: &str, product: Option<&str>) -> HtmlElement {
    runtime::set_config(ConfigState::Ready(Rc::new(
        Config::from_json(CONFIG).expect("valid"),
    )));
    runtime::set_basket_json("[]");
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    host.set_attribute("placement", placement).unwrap();
    if let Some(p) = product {
        host.set_attribute("product", p).unwrap();
    }
    document.body().unwrap().append_child(&host).unwrap();
    runtime::mount(host.clone()).unwrap();
    yew::scheduler::flush().await;
    host
}

fn all(host: &HtmlElement, selector: &str) -> Vec<Element> {
    let list = host
        .shadow_root()
        .unwrap()
        .query_selector_all(selector)
        .unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn ids(host: &HtmlElement) -> Vec<String> {
    all(host, ".card")
        .iter()
        .map(|c| c.get_attribute("data-product").unwrap())
        .collect()
}

async fn settle() {
    // Let promise callbacks run, then Yew render.
    for _ in 0..5 {
        wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL))
            .await
            .unwrap();
        yew::scheduler::flush().await;
    }
}

#[wasm_bindgen_test]
async fn renders_ranked_suggestions_as_text_with_locale_prices() {
    let host = mount("product", Some("cam")).await;
    assert_eq!(ids(&host), ["cable", "psu", "box"]);
    let first = &all(&host, ".card")[0];
    // The hostile title is text, not markup.
    let name = first.query_selector(".name").unwrap().unwrap();
    assert_eq!(name.text_content().unwrap(), "<img src=x onerror=alert(1)>");
    assert!(first.query_selector("img[src='x']").unwrap().is_none());
    // de-DE formats euros with a decimal comma and the sign after the amount.
    let price = first
        .query_selector(".now")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(price, "1.234,50\u{a0}€");
    host.remove();
}

#[wasm_bindgen_test]
async fn re_ranks_the_moment_the_basket_changes() {
    let host = mount("product", Some("cam")).await;
    runtime::set_basket_json(r#"[{"id": "cable", "quantity": 1}]"#);
    yew::scheduler::flush().await;
    assert_eq!(ids(&host), ["psu", "box"]);
    // A broken basket is refused and the previous one stays.
    runtime::set_basket_json(r#"[{"quantity": 1}]"#);
    yew::scheduler::flush().await;
    assert_eq!(ids(&host), ["psu", "box"]);
    host.remove();
}

#[wasm_bindgen_test]
async fn add_shows_added_only_after_the_cart_confirms() {
    let host = mount("product", Some("cam")).await;
    let calls = Rc::new(std::cell::Cell::new(0));
    let counter = calls.clone();
    // The page's handler resolves only when the test says so.
    let resolver: Rc<std::cell::RefCell<Option<js_sys::Function>>> = Rc::default();
    let keep = resolver.clone();
    let handler = Closure::<dyn FnMut(JsValue) -> js_sys::Promise>::new(move |_item: JsValue| {
        counter.set(counter.get() + 1);
        let keep = keep.clone();
        js_sys::Promise::new(&mut |resolve, _reject| *keep.borrow_mut() = Some(resolve))
    });
    runtime::js_cart().set_handler(handler.as_ref().unchecked_ref::<js_sys::Function>().clone());

    let button: HtmlElement = all(&host, ".card")[1]
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    button.click(); // a double click must not add twice
    settle().await;
    assert_eq!(calls.get(), 1);
    assert_eq!(button.text_content().unwrap(), "Adding…");

    resolver
        .borrow()
        .as_ref()
        .unwrap()
        .call0(&JsValue::NULL)
        .unwrap();
    settle().await;
    assert_eq!(button.text_content().unwrap(), "Added");
    host.remove();
}

#[wasm_bindgen_test]
async fn a_refused_add_says_so_and_can_retry() {
    let host = mount("product", Some("cam")).await;
    let handler = Closure::<dyn FnMut(JsValue) -> js_sys::Promise>::new(|_item: JsValue| {
        js_sys::Promise::reject(&js_sys::Error::new("cart service down").into())
    });
    runtime::js_cart().set_handler(handler.as_ref().unchecked_ref::<js_sys::Function>().clone());
    let button: HtmlElement = all(&host, ".card")[0]
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    settle().await;
    assert_eq!(button.text_content().unwrap(), "Couldn't add. Retry");
    assert!(button.class_name().contains("failed"));
    // Retrying reaches the cart again.
    let ok = Closure::<dyn FnMut(JsValue) -> js_sys::Promise>::new(|_item: JsValue| {
        js_sys::Promise::resolve(&JsValue::TRUE)
    });
    runtime::js_cart().set_handler(ok.as_ref().unchecked_ref::<js_sys::Function>().clone());
    button.click();
    settle().await;
    assert_eq!(button.text_content().unwrap(), "Added");
    drop(handler);
    host.remove();
}

#[wasm_bindgen_test]
async fn an_unknown_placement_renders_nothing_and_does_not_throw() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    host.set_attribute("placement", "sidebar").unwrap();
    assert!(runtime::mount(host.clone()).is_err());
    assert!(host.shadow_root().is_none());
}
