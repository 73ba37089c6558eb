//! The widget in a real browser (headless Chromium through wasm-bindgen-test): placements
//! mounted into shadow roots exactly as `cartlift.js` mounts them.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test with its location.
#![allow(clippy::unwrap_used)]

use cartlift_engine::Config;
use cartlift_widget::runtime;
use cartlift_widget::state::ConfigState;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const CONFIG: &str = r#"{
  "version": 1,
  "store": {"currency": "EUR", "locale": "de-DE", "bundle_discount_percent": 10, "bundle_discount_automatic": true,
            "copy": {"fa": {"add_to_cart": "افزودن به سبد", "cart_title": "شاید لازم داشته باشید"}}},
  "catalog": [
    {"id": "cam", "title": "Kamera", "price": 89, "url": "/p/cam"},
    {"id": "cable", "title": "<img src=x onerror=alert(1)>", "price": 1234.5, "url": "/p/cable", "image": "/i/cable.svg"},
    {"id": "psu", "title": "Netzteil", "price": 15},
    {"id": "box", "title": "Box", "price": 9}
  ],
  "rules": [
    {"kind": "bought_together", "id": "r-cable", "antecedent": ["cam"], "consequent": ["cable"], "confidence": 0.6},
    {"kind": "bought_together", "id": "r-psu", "antecedent": ["cam"], "consequent": ["psu"], "confidence": 0.4},
    {"kind": "bought_together", "id": "r-box", "antecedent": ["cam"], "consequent": ["box"], "confidence": 0.2},
    {"kind": "bought_together", "id": "r-cable-psu", "antecedent": ["cable"], "consequent": ["psu"], "confidence": 0.3}
  ]
}"#;

/// A fresh host element with a mounted placement, the runtime set to `CONFIG` and the
/// basket to `basket`.
async fn mount(placement: &str, product: Option<&str>, basket: &str) -> HtmlElement {
    runtime::load_memory();
    runtime::set_config(ConfigState::Ready(Rc::new(
        Config::from_json(CONFIG).expect("valid"),
    )));
    set_basket(basket);
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

/// `cartlift.setBasket(lines)` with the lines written as JSON.
fn set_basket(lines: &str) {
    runtime::set_basket(js_sys::JSON::parse(lines).unwrap());
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

fn ids(host: &HtmlElement, selector: &str) -> Vec<String> {
    all(host, selector)
        .iter()
        .map(|c| c.get_attribute("data-product").unwrap())
        .collect()
}

fn text(host: &HtmlElement, selector: &str) -> String {
    host.shadow_root()
        .unwrap()
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .text_content()
        .unwrap()
}

fn button(host: &HtmlElement, selector: &str) -> HtmlElement {
    host.shadow_root()
        .unwrap()
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into()
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

/// The ids a test handler saw, and the handler (kept alive while the test runs).
type Handler = (
    Rc<std::cell::RefCell<Vec<String>>>,
    Closure<dyn FnMut(JsValue) -> js_sys::Promise>,
);

/// Registers a page handler that records item ids and answers with `answer(call)`.
fn handler(answer: impl Fn(usize) -> js_sys::Promise + 'static) -> Handler {
    let seen: Rc<std::cell::RefCell<Vec<String>>> = Rc::default();
    let log = seen.clone();
    let f = Closure::<dyn FnMut(JsValue) -> js_sys::Promise>::new(move |item: JsValue| {
        let id = js_sys::Reflect::get(&item, &"id".into())
            .unwrap()
            .as_string()
            .unwrap();
        log.borrow_mut().push(id);
        answer(log.borrow().len())
    });
    runtime::set_add_handler(f.as_ref().unchecked_ref::<js_sys::Function>().clone());
    (seen, f)
}

#[wasm_bindgen_test]
async fn bundle_renders_as_text_with_locale_prices_and_totals_what_is_ticked() {
    let host = mount("product", Some("cam"), "[]").await;
    assert_eq!(ids(&host, ".member"), ["cam", "cable", "psu", "box"]);
    let cable = &all(&host, ".member")[1];
    // The hostile title is text, not markup.
    let name = cable.query_selector(".name").unwrap().unwrap();
    assert_eq!(name.text_content().unwrap(), "<img src=x onerror=alert(1)>");
    assert!(cable.query_selector("img[src='x']").unwrap().is_none());
    // de-DE formats euros with a decimal comma and the sign after the amount.
    let price = cable
        .query_selector(".now")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(price, "1.234,50\u{a0}€");
    // 89 + 1234.50 + 15 + 9 = 1347.50, and 10% off for the whole bundle.
    assert_eq!(
        text(&host, ".total"),
        "Total price: 1.347,50\u{a0}€Bundle price: 1.212,75\u{a0}€ (save 134,75\u{a0}€)"
    );
    assert_eq!(text(&host, ".summary .add"), "Add all 4 to cart");
    // Unticking the cable drops it from the total, the discount and the button.
    button(&host, ".member[data-product=cable] input").click();
    settle().await;
    assert_eq!(text(&host, ".total"), "Total price: 113,00\u{a0}€");
    assert_eq!(text(&host, ".summary .add"), "Add 3 to cart");
    host.remove();
}

#[wasm_bindgen_test]
async fn add_all_adds_each_ticked_item_once_and_a_retry_resends_only_the_rest() {
    let host = mount("product", Some("cam"), "[]").await;
    // The third item fails the first time.
    let fail_once = Rc::new(std::cell::Cell::new(true));
    let (seen, _keep) = handler(move |n| {
        if n == 3 && fail_once.replace(false) {
            js_sys::Promise::reject(&js_sys::Error::new("out of stock at the warehouse").into())
        } else {
            js_sys::Promise::resolve(&JsValue::TRUE)
        }
    });
    let add = button(&host, ".summary .add");
    add.click();
    add.click(); // a double click must not add twice
    settle().await;
    assert_eq!(*seen.borrow(), ["cam", "cable", "psu"]);
    assert_eq!(add.text_content().unwrap(), "Couldn't add. Retry");
    add.click();
    settle().await;
    // Only what did not make it is sent again.
    assert_eq!(*seen.borrow(), ["cam", "cable", "psu", "psu", "box"]);
    assert_eq!(add.text_content().unwrap(), "Added");
    host.remove();
}

/// The page's own objects, as `setBasket` gets them: a member set to `undefined` is
/// absent (as `JSON.stringify` has it), a numeric id is an id, extra members are ignored.
#[wasm_bindgen_test]
async fn set_basket_reads_the_pages_own_objects() {
    let host = mount("cart", None, r#"[{"id": "cam"}]"#).await;
    let line = |id: &JsValue, extra: &[(&str, JsValue)]| {
        let line = js_sys::Object::new();
        js_sys::Reflect::set(&line, &"id".into(), id).unwrap();
        for (k, v) in extra {
            js_sys::Reflect::set(&line, &(*k).into(), v).unwrap();
        }
        JsValue::from(line)
    };
    let lines = js_sys::Array::of2(
        &line(
            &"cam".into(),
            &[
                ("variant", JsValue::UNDEFINED),
                ("price", JsValue::UNDEFINED),
            ],
        ),
        &line(
            &"cable".into(),
            &[("quantity", 1.into()), ("title", "Cable".into())],
        ),
    );
    runtime::set_basket(lines.into());
    yew::scheduler::flush().await;
    assert_eq!(ids(&host, ".card"), ["psu", "box"]);
    // A number where a quantity's text is expected: refused, the basket stays.
    runtime::set_basket(
        js_sys::Array::of1(&line(&"psu".into(), &[("quantity", 1.5.into())])).into(),
    );
    yew::scheduler::flush().await;
    assert_eq!(ids(&host, ".card"), ["psu", "box"]);
    // Idle, so the next test's placement reuses this app and its listener instead of
    // adding one (a change re-renders eight listeners at once, the rest a task later).
    runtime::unmount(&host);
    host.remove();
}

/// A basket handed over while the config loads is kept as a copy, read once the config
/// is there; one JSON cannot hold (a function) is refused then, and never throws.
#[wasm_bindgen_test]
async fn a_basket_before_the_config_is_copied_and_read_when_it_loads() {
    let host = mount("cart", None, r#"[{"id": "cam"}]"#).await;
    assert_eq!(ids(&host, ".card"), ["cable", "psu", "box"]);
    let config = runtime::config().expect("ready");
    runtime::set_config(ConfigState::Loading);
    runtime::set_basket(js_sys::Function::new_no_args("return 1").into());
    runtime::set_config(ConfigState::Ready(config.clone()));
    yew::scheduler::flush().await;
    assert_eq!(ids(&host, ".card"), ["cable", "psu", "box"]);
    // The page empties its array after handing it over: the copy is what counts.
    runtime::set_config(ConfigState::Loading);
    let lines: js_sys::Array = js_sys::JSON::parse(r#"[{"id": "cam"}, {"id": "cable"}]"#)
        .unwrap()
        .unchecked_into();
    runtime::set_basket(lines.clone().into());
    lines.set_length(0);
    runtime::set_config(ConfigState::Ready(config));
    // Earlier tests' placements are still listening: this one may re-render in a later
    // batch (a task each), so wait a few tasks.
    for _ in 0..4 {
        let task = js_sys::Promise::new(&mut |resolve, _| {
            let _ = web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        });
        wasm_bindgen_futures::JsFuture::from(task).await.unwrap();
        yew::scheduler::flush().await;
    }
    assert_eq!(ids(&host, ".card"), ["psu", "box"]);
    runtime::unmount(&host);
    host.remove();
}

#[wasm_bindgen_test]
async fn cart_re_ranks_the_moment_the_basket_changes() {
    let host = mount("cart", None, r#"[{"id": "cam"}]"#).await;
    assert_eq!(ids(&host, ".card"), ["cable", "psu", "box"]);
    set_basket(r#"[{"id": "cam"}, {"id": "cable", "quantity": 1}]"#);
    yew::scheduler::flush().await;
    assert_eq!(ids(&host, ".card"), ["psu", "box"]);
    // A broken basket is refused and the previous one stays.
    set_basket(r#"[{"quantity": 1}]"#);
    yew::scheduler::flush().await;
    assert_eq!(ids(&host, ".card"), ["psu", "box"]);
    host.remove();
}

#[wasm_bindgen_test]
async fn add_shows_added_only_after_the_cart_confirms() {
    let host = mount("cart", None, r#"[{"id": "cam"}]"#).await;
    // The page's handler resolves only when the test says so.
    let resolver: Rc<std::cell::RefCell<Option<js_sys::Function>>> = Rc::default();
    let keep = resolver.clone();
    let (seen, _keep) = handler(move |_| {
        let keep = keep.clone();
        js_sys::Promise::new(&mut |resolve, _reject| *keep.borrow_mut() = Some(resolve))
    });
    let add = button(&host, ".card[data-product=psu] .add");
    add.click();
    add.click(); // a double click must not add twice
    settle().await;
    assert_eq!(*seen.borrow(), ["psu"]);
    assert_eq!(add.text_content().unwrap(), "Adding…");
    assert_eq!(add.get_attribute("aria-busy").as_deref(), Some("true"));
    resolver
        .borrow()
        .as_ref()
        .unwrap()
        .call0(&JsValue::NULL)
        .unwrap();
    settle().await;
    assert_eq!(add.text_content().unwrap(), "Added");
    assert_eq!(text(&host, "[role=status]"), "Netzteil added to cart");
    host.remove();
}

/// Waits `ms` of real time.
async fn sleep(ms: i32) {
    let done = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(done).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_handler_that_never_settles_ends_in_a_retry_not_an_endless_spinner() {
    let host = mount("cart", None, r#"[{"id": "cam"}]"#).await;
    let (seen, _keep) = handler(|_| js_sys::Promise::new(&mut |_, _| {}));
    let add = button(&host, ".card[data-product=psu] .add");
    add.click();
    settle().await;
    assert_eq!(add.text_content().unwrap(), "Adding…");
    // The adapters' 12 s timeout, and a little more.
    sleep(12_300).await;
    settle().await;
    assert_eq!(add.text_content().unwrap(), "Couldn't add. Retry");
    assert_eq!(*seen.borrow(), ["psu"]);
    host.remove();
}

#[wasm_bindgen_test]
async fn a_refused_add_says_so_and_can_retry() {
    let host = mount("cart", None, r#"[{"id": "cam"}]"#).await;
    let refuse = Rc::new(std::cell::Cell::new(true));
    let (seen, _keep) = handler(move |_| {
        if refuse.replace(false) {
            js_sys::Promise::reject(&js_sys::Error::new("cart service down").into())
        } else {
            js_sys::Promise::resolve(&JsValue::TRUE)
        }
    });
    let add = button(&host, ".card[data-product=box] .add");
    add.click();
    settle().await;
    assert_eq!(add.text_content().unwrap(), "Couldn't add. Retry");
    assert_eq!(add.get_attribute("data-state").as_deref(), Some("failed"));
    add.click();
    settle().await;
    assert_eq!(add.text_content().unwrap(), "Added");
    assert_eq!(*seen.borrow(), ["box", "box"]);
    host.remove();
}

#[wasm_bindgen_test]
async fn not_interested_hides_the_product_everywhere_and_is_remembered() {
    let cart = mount("cart", None, r#"[{"id": "cam"}]"#).await;
    let product = mount("product", Some("cam"), r#"[{"id": "cam"}]"#).await;
    let events: Rc<std::cell::RefCell<Vec<String>>> = Rc::default();
    let log = events.clone();
    let listener =
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
            let id = js_sys::Reflect::get(&e.detail(), &"product".into()).unwrap();
            log.borrow_mut().push(id.as_string().unwrap());
        });
    let document = web_sys::window().unwrap().document().unwrap();
    document
        .add_event_listener_with_callback("cartlift:dismiss", listener.as_ref().unchecked_ref())
        .unwrap();
    button(&cart, ".card[data-product=psu] .dismiss").click();
    settle().await;
    assert_eq!(ids(&cart, ".card"), ["cable", "box"]);
    assert_eq!(ids(&product, ".member"), ["cam", "cable", "box"]);
    // The event bubbled out of the shadow root to the document.
    assert_eq!(*events.borrow(), ["psu"]);
    let stored = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("cartlift:v1")
        .unwrap()
        .unwrap();
    assert!(stored.contains("\"psu\""), "{stored}");
    document
        .remove_event_listener_with_callback("cartlift:dismiss", listener.as_ref().unchecked_ref())
        .unwrap();
    cart.remove();
    product.remove();
    runtime::forget_dismissals();
}

#[wasm_bindgen_test]
async fn an_unknown_placement_renders_nothing_and_does_not_throw() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    host.set_attribute("placement", "sidebar").unwrap();
    assert!(runtime::mount(host.clone()).is_err());
    assert!(host.shadow_root().is_none());
}

#[wasm_bindgen_test]
async fn a_placement_that_leaves_hands_its_app_to_the_next_one() {
    let first = mount("product", Some("cam"), "[]").await;
    assert_eq!(ids(&first, ".member"), ["cam", "cable", "psu", "box"]);
    runtime::unmount(&first);
    settle().await;
    assert_eq!(
        first.shadow_root().unwrap().child_element_count(),
        0,
        "the element that left keeps nothing"
    );
    // The idle app now serves another placement, with its own content and events.
    let second = mount("cart", None, r#"[{"id": "cam"}]"#).await;
    assert_eq!(ids(&second, ".card"), ["cable", "psu", "box"]);
    assert!(all(&second, ".member").is_empty());
    set_basket(r#"[{"id": "cam"}, {"id": "cable"}]"#);
    settle().await;
    assert_eq!(ids(&second, ".card"), ["psu", "box"]);
    runtime::unmount(&second);
}

#[wasm_bindgen_test]
async fn an_elements_max_items_and_heading_apply_and_follow_its_attributes() {
    runtime::load_memory();
    runtime::set_config(ConfigState::Ready(Rc::new(
        Config::from_json(CONFIG).expect("valid"),
    )));
    set_basket(r#"[{"id": "cam"}]"#);
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    host.set_attribute("placement", "cart").unwrap();
    host.set_attribute("max-items", "1").unwrap();
    host.set_attribute("heading", "<b>Für Sie</b>").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    runtime::mount(host.clone()).unwrap();
    settle().await;
    assert_eq!(ids(&host, ".card"), ["cable"]);
    // The heading is text: no element comes of it.
    let title = "[data-list=suggestions] .title";
    assert_eq!(text(&host, title), "<b>Für Sie</b>");
    assert!(all(&host, ".title b").is_empty());
    // An attribute change re-renders (the loader's attributeChangedCallback mounts again).
    host.set_attribute("max-items", "2").unwrap();
    host.remove_attribute("heading").unwrap();
    runtime::mount(host.clone()).unwrap();
    settle().await;
    assert_eq!(ids(&host, ".card"), ["cable", "psu"]);
    assert_ne!(text(&host, title), "<b>Für Sie</b>");
    // A bad value is ignored (and warned of once): the config's limit applies.
    host.set_attribute("max-items", "none").unwrap();
    runtime::mount(host.clone()).unwrap();
    settle().await;
    assert_eq!(ids(&host, ".card"), ["cable", "psu", "box"]);
    runtime::unmount(&host);
    host.remove();
}
