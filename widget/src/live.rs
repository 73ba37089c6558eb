//! The store's live price and stock of what the placements are about to show.
//!
//! A placement computes what it would show from the config, then asks [`ready`] for
//! those products (and the page's product, whose price the bundle and upgrade use). The
//! ones not yet read are asked of the cart adapter in one go (Shopify: one
//! `/products/<handle>.js` each, at once; WooCommerce: one `products?include=…`; the `js`
//! cart: the page's `cartlift.onProducts(ids)`), and the placement holds its reserved
//! space until the answer. The answer re-renders every placement with the live figures
//! ([`crate::state::Action::Live`]): a product sold out since is not suggested and the next
//! candidate, read in turn, takes its place; prices, bundle totals and savings are the
//! store's.
//!
//! A product is read once a page view; what was read is kept in `sessionStorage` for
//! [`CACHE_SECONDS`] so the next page shows at once. A read that fails or takes longer than
//! [`crate::adapter::LIVE_TIMEOUT_MS`] leaves those products at the config's figures, with one console
//! warning a page view; without a way to read (the `js` cart with no `onProducts`)
//! placements never wait.

use crate::js_value::{Build, Js, Value};
use cartlift_engine::Money;
use cartlift_engine::live::{Live, LiveProduct};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// How long a page's live answers serve the next pages of the same tab: long enough for
/// a shopper going from product to cart, short enough that a price change shows soon.
pub const CACHE_SECONDS: i64 = 120;

const KEY: &str = "cartlift:live";

#[derive(Default)]
struct Reads {
    /// The cart adapter can read live figures.
    enabled: bool,
    /// The session cache was read (once, when enabled).
    loaded: bool,
    /// Every id asked this page view (answered, failed or in flight).
    asked: Vec<String>,
    /// Ids of reads in flight.
    pending: Vec<String>,
    live: Live,
    failure_reported: bool,
}

thread_local! {
    static READS: RefCell<Reads> = RefCell::default();
}

/// The cart adapter can read live figures (a platform cart, or the page registered
/// `onProducts`): what the tab's earlier pages read, if any, for the placements' first
/// render (the runtime hands it to the state).
pub fn enable() -> Option<Rc<Live>> {
    READS.with(|r| {
        let r = &mut *r.borrow_mut();
        r.enabled = true;
        if std::mem::replace(&mut r.loaded, true) {
            return None;
        }
        load(r);
        (!r.live.is_empty()).then(|| Rc::new(r.live.clone()))
    })
}

/// Whether every product of `ids` has been read (or cannot be): if not, `read` is handed
/// the rest to ask of the cart adapter (the runtime's, which hands the answer to
/// [`settled`] and re-renders the placements).
pub fn ready(ids: &[&str], read: fn(Vec<String>)) -> bool {
    let (missing, waiting) = READS.with(|r| {
        let r = &mut *r.borrow_mut();
        if !r.enabled {
            return (Vec::new(), false);
        }
        // Linear scans: a page asks about tens of products, and a sorted set's search and
        // insertion cost more wasm than they save.
        let mut missing = Vec::new();
        let mut waiting = false;
        for id in ids {
            if !r.asked.iter().any(|a| a == id) {
                r.asked.push((*id).to_owned());
                r.pending.push((*id).to_owned());
                missing.push((*id).to_owned());
            }
            waiting |= r.pending.iter().any(|p| p == id);
        }
        (missing, waiting)
    });
    if !missing.is_empty() {
        read(missing);
    }
    !waiting
}

/// The cart adapter answered for `asked` (or failed): every answer so far, merged, for
/// the placements.
pub fn settled(asked: &[String], answer: Result<Vec<(String, LiveProduct)>, String>) -> Rc<Live> {
    READS.with(|r| {
        let r = &mut *r.borrow_mut();
        r.pending.retain(|p| !asked.contains(p));
        match answer {
            Ok(found) => {
                for (id, product) in found {
                    r.live.insert(&id, product);
                }
                save(&r.live);
            }
            Err(e) if !r.failure_reported => {
                r.failure_reported = true;
                crate::report::warn(&format!(
                    "could not read live prices and stock ({e}); showing the config's"
                ));
            }
            Err(_) => {}
        }
        Rc::new(r.live.clone())
    })
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The tab's answers of the last [`CACHE_SECONDS`]: `{t, p: [[id, price, was, in_stock,
/// variant]]}`, prices in minor units. Anything unreadable is ignored.
fn load(r: &mut Reads) {
    let Some(text) = storage().and_then(|s| s.get_item(KEY).ok()?) else {
        return;
    };
    let Ok(stored) = Js::parse(&text) else {
        return;
    };
    let fresh = stored
        .get("t")
        .and_then(|t| t.integer())
        .is_some_and(|t| (0..CACHE_SECONDS).contains(&(crate::dom::now() - t)));
    if !fresh {
        return;
    }
    for entry in stored
        .get("p")
        .and_then(|p| p.elements())
        .unwrap_or_default()
    {
        let fields = entry.elements().unwrap_or_default();
        let field = |i: usize| fields.get(i).cloned();
        let money = |i| field(i).and_then(|v| v.integer()).map(Money);
        let (Some(id), Some(price)) = (field(0).and_then(|v| v.id()), money(1)) else {
            continue;
        };
        let product = LiveProduct {
            price,
            compare_at_price: money(2),
            in_stock: field(3).and_then(|v| v.boolean()).unwrap_or(false),
            variant: field(4).and_then(|v| v.id()),
        };
        r.live.insert(&id, product);
        r.asked.push(id);
    }
}

fn save(live: &Live) {
    let entries = live
        .iter()
        .map(|(id, l)| {
            let money =
                |m: Option<Money>| m.map_or(JsValue::NULL, |m| JsValue::from(m.minor() as f64));
            JsValue::from(js_sys::Array::of5(
                &JsValue::from_str(id),
                &money(Some(l.price)),
                &money(l.compare_at_price),
                &JsValue::from_bool(l.in_stock),
                &<JsValue as Build>::text_or_null(l.variant.as_deref()),
            ))
        })
        .collect();
    let stored: JsValue = Build::object(&[
        ("t", Build::number(crate::dom::now() as f64)),
        ("p", Build::array(entries)),
    ]);
    if let (Some(s), Ok(text)) = (storage(), js_sys::JSON::stringify(&stored)) {
        // A full or refused storage only loses the cache.
        let _ = s.set_item(KEY, &String::from(text));
    }
}
