//! The `shopify` adapter: Shopify's Ajax Cart API, same origin as the storefront.
//!
//! Reads `GET /cart.js`, adds with one `POST /cart/add.js` (`{items:[{id, quantity}]}`),
//! removes a replaced line with `POST /cart/change.js` (`{id: line key, quantity: 0}`).
//! It re-reads the cart after its own changes and whenever the loader sees the theme
//! change the cart (a `fetch`/XHR to `/cart/…`), so the widget re-ranks on every change.
//! Catalog ids are matched against each line's SKU, handle, product id and variant id.
//!
//! The store's records say what the widget did, for `cartlift report`: each line it adds
//! carries hidden line item properties (`_cartlift_placement`, `_cartlift_rule`), and the
//! cart hidden attributes (`POST /cart/update.js` `{attributes}`): `_cartlift_bucket` and
//! `_cartlift_experiment` (written once a cart with lines is read and lacks them, so a
//! held-out shopper's order is marked too), and `_cartlift_added`, a JSON array of
//! `[placement, product, rule]` for each product the widget added, the newest
//! [`MAX_ADDED`]. Shopify carries cart attributes to the order (the orders export's `Note
//! Attributes`); a leading underscore hides them from the shopper at checkout.

use super::cart::{
    AddOutcome, Attribution, CartAdapter, CartEvents, CartFailure, CartFuture, CartNews,
    CartRequest, Discount, LIVE_TIMEOUT_MS, LiveFuture, basket_line, code_entry, minor,
};
use super::http;
use crate::js_value::{Build, Js, Value};
use crate::report;
use cartlift_engine::live::LiveProduct;
use cartlift_engine::{BasketLine, Config, Money};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// The Shopify cart.
#[derive(Debug)]
pub struct ShopifyCart {
    state: Rc<State>,
}

#[derive(Debug)]
struct State {
    /// Shop root ("" for the storefront's own origin, or a locale prefix like "/fr").
    root: String,
    events: CartEvents,
    /// Catalog id → line key, from the last read.
    keys: RefCell<Vec<(String, String)>>,
    /// `_cartlift_added` as the last read found it.
    added: RefCell<Vec<Added>>,
    /// The cart's bucket was written (or tried) on this page: once is enough.
    marked: Cell<bool>,
    reading: Cell<bool>,
    stale: Cell<bool>,
}

/// One product the widget added: `[placement, product, rule]`.
type Added = [String; 3];

/// How many added products `_cartlift_added` keeps, newest last: a cart attribute is
/// text the order carries; a shopper who adds more than this is rare, and the newest say
/// what the widget did.
const MAX_ADDED: usize = 25;

impl ShopifyCart {
    /// A cart under `root` (`""` or e.g. `"/en-ca"` for a Markets locale prefix),
    /// reporting through `events`.
    pub fn new(root: &str, events: CartEvents) -> Self {
        ShopifyCart {
            state: Rc::new(State {
                root: root.trim_end_matches('/').to_owned(),
                events,
                keys: RefCell::default(),
                added: RefCell::default(),
                marked: Cell::default(),
                reading: Cell::default(),
                stale: Cell::default(),
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
                Ok(reply) if reply.ok() => self.report(reply.body),
                Ok(reply) => {
                    report::warn(&format!(
                        "shopify cart: could not read /cart.js: {}",
                        reply.error_text()
                    ));
                    self.events.report(CartNews::Unreadable);
                }
                Err(e) => {
                    report::warn(&format!("shopify cart: could not read the cart: {e}"));
                    self.events.report(CartNews::Unreadable);
                }
            }
            if !self.stale.get() {
                break;
            }
        }
        self.reading.set(false);
    }

    /// Applies the bundle's discount code (`POST /cart/update.js` `{discount}`) or, when
    /// the store applies it by itself, reads the cart; either way the cart must then show
    /// the discount.
    async fn grant(&self, discount: &Discount) -> Result<(), String> {
        let reply = match discount.code() {
            Some(code) => {
                let body: JsValue = Build::object(&[("discount", Build::string(code))]);
                http::send("POST", &self.url("/cart/update.js"), Some(&body), &[]).await?
            }
            None => http::read(&self.url("/cart.js")).await?,
        };
        if !reply.ok() {
            return Err(reply.error_text());
        }
        granted(&Js(reply.body), discount.code())
    }

    fn report(self: &Rc<Self>, cart: wasm_bindgen::JsValue) {
        let Some(config) = self.events.config() else {
            return;
        };
        let cart = Js(cart);
        let (lines, keys) = lines(&cart, &config);
        *self.keys.borrow_mut() = keys;
        *self.added.borrow_mut() = added(&cart);
        // A cart with lines that does not say the shopper's bucket gets it, once a page.
        if !lines.is_empty()
            && let Some(attribution) = self.events.attribution()
            && !marked(&cart, &attribution)
            && !self.marked.replace(true)
        {
            let state = self.clone();
            wasm_bindgen_futures::spawn_local(async move {
                state.write_attributes(&attribution, None).await;
            });
        }
        self.events.report(CartNews::Lines(lines));
    }

    /// `POST /cart/update.js` `{attributes}`: the bucket, and the products added if
    /// `added`. A failure is one warning: the add it follows did happen.
    async fn write_attributes(&self, attribution: &Attribution, added: Option<&[Added]>) {
        let added = added.and_then(|a| {
            js_sys::JSON::stringify(&added_list::<JsValue>(a))
                .ok()
                .map(String::from)
        });
        let body: JsValue = attributes_body(attribution, added.as_deref());
        let failure = match http::send("POST", &self.url("/cart/update.js"), Some(&body), &[]).await
        {
            Ok(reply) if reply.ok() => return,
            Ok(reply) => reply.error_text(),
            Err(e) => e,
        };
        report::warn(&format!(
            "shopify cart: could not record cartlift's attributes on the cart: {failure}"
        ));
    }
}

/// `_cartlift_added` of a cart read: the products the widget added, oldest first (an
/// unreadable value is none).
fn added(cart: &Js) -> Vec<Added> {
    cart.get("attributes")
        .and_then(|a| a.get("_cartlift_added"))
        .and_then(|v| v.string())
        .and_then(|text| Js::parse(&text).ok())
        .map_or_else(Vec::new, |list| added_entries(&list))
}

/// The `[placement, product, rule]` entries of `_cartlift_added`'s parsed value.
fn added_entries(list: &impl Value) -> Vec<Added> {
    list.elements()
        .unwrap_or_default()
        .iter()
        .filter_map(|entry| {
            let parts = entry.elements()?;
            let part = |i: usize| parts.get(i).and_then(|p| p.string());
            Some([part(0)?, part(1)?, part(2).unwrap_or_default()])
        })
        .collect()
}

/// Whether a cart read already says this bucket and experiment.
fn marked(cart: &impl Value, attribution: &Attribution) -> bool {
    let attribute = |key| {
        cart.get("attributes")
            .and_then(|a| a.get(key))
            .and_then(|v| v.string())
    };
    attribute("_cartlift_bucket").as_deref() == Some(attribution.bucket.name())
        && attribute("_cartlift_experiment").filter(|e| !e.is_empty()) == attribution.experiment
}

/// `_cartlift_added`'s value before it is written as JSON text.
fn added_list<B: Build>(added: &[Added]) -> B {
    B::array(
        added
            .iter()
            .map(|entry| B::array(entry.iter().map(|part| B::string(part)).collect()))
            .collect(),
    )
}

/// The products a request adds, after what the cart already lists, the newest
/// [`MAX_ADDED`].
fn with_added(mut added: Vec<Added>, request: &CartRequest) -> Vec<Added> {
    let rule = request.rules.first().cloned().unwrap_or_default();
    for item in &request.items {
        added.push([
            request.placement.name().to_owned(),
            item.product.clone(),
            rule.clone(),
        ]);
    }
    let extra = added.len().saturating_sub(MAX_ADDED);
    added.drain(..extra);
    added
}

/// `POST /cart/update.js`: `{attributes: {_cartlift_bucket, _cartlift_experiment,
/// _cartlift_added}}` (an empty experiment clears an old one; `added` only when given).
fn attributes_body<B: Build>(attribution: &Attribution, added: Option<&str>) -> B {
    let mut attributes = vec![
        ("_cartlift_bucket", B::string(attribution.bucket.name())),
        (
            "_cartlift_experiment",
            B::string(attribution.experiment.as_deref().unwrap_or("")),
        ),
    ];
    if let Some(added) = added {
        attributes.push(("_cartlift_added", B::string(added)));
    }
    B::object(&[("attributes", B::map(attributes.into_iter()))])
}

/// Catalog id → line key, for removing the line an upgrade replaces.
type Keys = Vec<(String, String)>;

/// `GET /cart.js` (Shopify's Ajax Cart API) as a basket: each of `items[]` in catalog ids
/// (`sku`, `handle`, `product_id`, `variant_id`, `id`: the first the config knows), with
/// its `quantity` and unit price in cents (`final_price`, after line discounts, else
/// `price`); and each line's `key`, what `/cart/change.js` takes.
fn lines(cart: &impl Value, config: &Config) -> (Vec<BasketLine>, Keys) {
    let mut keys = Vec::new();
    let lines = cart
        .get("items")
        .and_then(|items| items.elements())
        .unwrap_or_default()
        .iter()
        .filter_map(|item| {
            let id = |key| item.get(key).and_then(|v| v.id());
            let number = |key| item.get(key).and_then(|v| minor(&v));
            let line = basket_line(
                config,
                &[
                    id("sku"),
                    id("handle"),
                    id("product_id"),
                    id("variant_id"),
                    id("id"),
                ],
                number("quantity")
                    .unwrap_or(1)
                    .clamp(1, i64::from(u32::MAX)) as u32,
                number("final_price").or(number("price")).map(Money),
            )?;
            if let Some(key) = id("key") {
                keys.push((line.product.clone(), key));
            }
            Some(line)
        })
        .collect();
    (lines, keys)
}

/// `POST /cart/add.js`: `{items: [{id, quantity, properties}]}`, each id the variant's (a
/// number), its hidden properties the placement and the first rule behind it.
fn add_body<B: Build>(request: &CartRequest) -> B {
    let rule = request.rules.first().map_or("", String::as_str);
    let items = request
        .items
        .iter()
        .map(|item| {
            B::object(&[
                (
                    "id",
                    B::id(item.variant.as_deref().unwrap_or(&item.product)),
                ),
                ("quantity", B::number(f64::from(item.quantity))),
                (
                    "properties",
                    B::object(&[
                        ("_cartlift_placement", B::string(request.placement.name())),
                        ("_cartlift_rule", B::string(rule)),
                    ]),
                ),
            ])
        })
        .collect();
    B::object(&[("items", B::array(items))])
}

/// The handle a product's page lives under: the `/products/<handle>` of its URL (a handle
/// is letters, digits and dashes, so a `.html` a theme adds is not part of it), else its
/// catalog id (what `cartlift catalog` makes of a Shopify export).
fn handle(product: &cartlift_engine::Product) -> &str {
    product
        .url
        .as_deref()
        .and_then(|url| url.split("/products/").nth(1))
        .and_then(|rest| rest.split(['/', '?', '#', '.']).next())
        .filter(|h| !h.is_empty())
        .unwrap_or(&product.id)
}

/// `GET /products/<handle>.js` (the Ajax Product API) as what an add would buy now: the
/// variant the config names if the store still sells it, else the first available one,
/// with its `price` and `compare_at_price` in cents; in stock when the product is
/// `available`.
fn live_product<V: Value>(product: &V, wanted: Option<&str>) -> Option<LiveProduct> {
    fn available<V: Value>(v: &V) -> bool {
        v.get("available")
            .and_then(|a| a.boolean())
            .unwrap_or(false)
    }
    fn cents<V: Value>(v: &V, key: &str) -> Option<Money> {
        v.get(key).and_then(|x| minor(&x)).map(Money)
    }
    let variants = product
        .get("variants")
        .and_then(|v| v.elements())
        .unwrap_or_default();
    let variant_id = |v: &V| v.get("id").and_then(|i| i.id());
    let pick = variants
        .iter()
        .find(|v| available(*v) && wanted.is_some() && variant_id(v).as_deref() == wanted)
        .or_else(|| variants.iter().find(|v| available(*v)))
        .or(variants.first());
    Some(LiveProduct {
        price: pick
            .and_then(|v| cents(v, "price"))
            .or_else(|| cents(product, "price"))?,
        compare_at_price: match pick {
            Some(v) => cents(v, "compare_at_price"),
            None => cents(product, "compare_at_price"),
        },
        in_stock: available(product),
        variant: pick.and_then(variant_id),
    })
}

/// Whether a cart (`/cart.js`, or `/cart/update.js`'s answer) grants the bundle discount:
/// the code, if one was applied, is not among `discount_codes` as `applicable: false`, and
/// `total_discount` (cents) is above zero.
fn granted(cart: &impl Value, code: Option<&str>) -> Result<(), String> {
    let refused = code
        .and_then(|code| code_entry(cart, "discount_codes", code))
        .is_some_and(|c| c.get("applicable").and_then(|a| a.boolean()) == Some(false));
    let total = cart
        .get("total_discount")
        .and_then(|v| minor(&v))
        .unwrap_or(0);
    match (code, refused || total <= 0) {
        (_, false) => Ok(()),
        (Some(code), true) => Err(format!("code {code} was not applied to the cart")),
        (None, true) => Err("the cart shows no discount".into()),
    }
}

/// `POST /cart/change.js`: `{id: line key, quantity: 0}` removes the line.
fn remove_body<B: Build>(key: &str) -> B {
    B::object(&[("id", B::string(key)), ("quantity", B::number(0.0))])
}

impl CartAdapter for ShopifyCart {
    fn apply(&self, request: CartRequest) -> CartFuture {
        let state = self.state.clone();
        Box::pin(async move {
            let body: JsValue = add_body(&request);
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
                    let body: JsValue = remove_body(&key);
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
            let outcome = match &request.discount {
                Some(discount) => match state.grant(discount).await {
                    Ok(()) => AddOutcome::Added,
                    Err(why) => AddOutcome::AddedWithoutDiscount(why),
                },
                None => AddOutcome::Added,
            };
            if let Some(attribution) = &request.attribution {
                let added = with_added(state.added.borrow().clone(), &request);
                state.write_attributes(attribution, Some(&added)).await;
                state.marked.set(true);
            }
            state.read().await;
            Ok(outcome)
        })
    }

    fn watch(self: Rc<Self>) {
        self.refresh();
    }

    fn refresh(self: Rc<Self>) {
        let state = self.state.clone();
        wasm_bindgen_futures::spawn_local(state.read());
    }

    /// One `GET /products/<handle>.js` per product, all at once (the Ajax API reads one
    /// product a request). A product the store answers 404 for is no longer for sale.
    fn live(&self, config: Rc<Config>, ids: Vec<String>) -> Option<LiveFuture> {
        let state = self.state.clone();
        Some(Box::pin(async move {
            let reads = ids.into_iter().filter_map(|id| {
                let product = config.product_by_id(&id)?;
                let url = state.url(&format!("/products/{}.js", handle(product)));
                let wanted = product.default_variant().map(|v| v.id.clone());
                let price = product.price_to_add();
                let read: std::pin::Pin<Box<dyn std::future::Future<Output = _>>> =
                    Box::pin(async move {
                        let reply = http::get_within(&url, LIVE_TIMEOUT_MS).await?;
                        let live = match reply.status {
                            404 => LiveProduct {
                                price,
                                compare_at_price: None,
                                in_stock: false,
                                variant: None,
                            },
                            _ if reply.ok() => live_product(&Js(reply.body), wanted.as_deref())
                                .ok_or_else(|| format!("{url}: no price in the answer"))?,
                            _ => return Err(format!("{url}: {}", reply.error_text())),
                        };
                        Ok::<_, String>((id, live))
                    });
                Some(read)
            });
            crate::net::join_all(reads.collect())
                .await
                .into_iter()
                .collect()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapter::Item;

    fn config() -> Config {
        Config::from_json(
            r#"{"version": 1, "store": {"currency": "USD"},
                "catalog": [
                  {"id": "cam-dome", "title": "Dome", "price": 89.99},
                  {"id": "CBL-20", "title": "Cable", "price": 12},
                  {"id": "nvr", "title": "NVR", "price": 199, "variants": [{"id": "44100000000007"}]}
                ],
                "rules": []}"#,
        )
        .expect("valid")
    }

    /// `/cart.js` as Shopify answers it (the fields around the ones read are ignored).
    #[test]
    fn cart_lines_map_to_catalog_ids_with_their_keys() {
        let cart = serde_json::json!({
            "token": "c1-7f3e", "item_count": 4, "currency": "USD",
            "items": [
                {"id": 44100000000001u64, "variant_id": 44100000000001u64, "product_id": 7100000000001u64,
                 "key": "44100000000001:aa", "sku": null, "handle": "cam-dome", "quantity": 2,
                 "price": 8999, "final_price": 7999, "title": "Dome", "properties": {}, "discounts": []},
                {"id": 44100000000002u64, "variant_id": 44100000000002u64, "product_id": 7100000000002u64,
                 "key": "44100000000002:bb", "sku": "CBL-20", "handle": "cable", "quantity": 1, "price": 1200},
                {"id": 44100000000007u64, "variant_id": 44100000000007u64, "product_id": 7100000000007u64,
                 "key": "44100000000007:cc", "sku": "", "handle": "nvr-8", "quantity": 1, "final_price": 19900},
                {"id": 9, "key": "9:dd", "handle": "gift-card", "quantity": 1, "final_price": 2500}
            ]
        });
        let (lines, keys) = lines(&cart, &config());
        let line = |product: &str, variant: Option<&str>, quantity, cents| BasketLine {
            product: product.into(),
            variant: variant.map(Into::into),
            quantity,
            price: Some(Money(cents)),
        };
        assert_eq!(
            lines,
            [
                // No SKU: the handle matches.
                line("cam-dome", None, 2, 7999),
                // `final_price` missing: `price`.
                line("CBL-20", None, 1, 1200),
                // A variant of a catalog product.
                line("nvr", Some("44100000000007"), 1, 19900),
                // Not in the catalog: its first id, so it still counts towards the value.
                line("gift-card", None, 1, 2500),
            ]
        );
        assert_eq!(
            keys,
            [
                ("cam-dome".to_owned(), "44100000000001:aa".to_owned()),
                ("CBL-20".to_owned(), "44100000000002:bb".to_owned()),
                ("nvr".to_owned(), "44100000000007:cc".to_owned()),
                ("gift-card".to_owned(), "9:dd".to_owned()),
            ]
        );
    }

    #[test]
    fn add_and_change_bodies_are_what_the_ajax_api_takes() {
        let item = |product: &str, variant: Option<&str>, quantity| Item {
            product: product.into(),
            variant: variant.map(Into::into),
            quantity,
        };
        let request = CartRequest {
            items: vec![
                item("nvr", Some("44100000000007"), 2),
                item("not-a-number", None, 1),
            ],
            replaces: None,
            placement: cartlift_engine::Placement::Cart,
            rules: vec!["mined:cam->nvr".into(), "r2".into()],
            discount: None,
            attribution: None,
        };
        let hidden =
            serde_json::json!({"_cartlift_placement": "cart", "_cartlift_rule": "mined:cam->nvr"});
        assert_eq!(
            add_body::<serde_json::Value>(&request),
            serde_json::json!({"items": [
                {"id": 44100000000007u64, "quantity": 2, "properties": hidden},
                {"id": "not-a-number", "quantity": 1, "properties": hidden}]})
        );
        assert_eq!(
            remove_body::<serde_json::Value>("k:1"),
            serde_json::json!({"id": "k:1", "quantity": 0})
        );
    }

    /// `/products/<handle>.js` as Shopify documents it (Ajax Product API): prices in
    /// cents, `available` on the product and on each variant.
    #[test]
    fn a_product_read_gives_the_variant_an_add_buys_and_its_price() {
        let product = serde_json::json!({
            "id": 7100000000001u64, "title": "Dome", "handle": "cam-dome", "available": true,
            "price": 7900, "compare_at_price": 8900, "tags": [], "options": ["Color"],
            "variants": [
                {"id": 44100000000001u64, "title": "White", "available": false, "price": 7900,
                 "compare_at_price": 8900, "sku": "WP-DOME-W"},
                {"id": 44100000000002u64, "title": "Black", "available": true, "price": 8400,
                 "compare_at_price": null, "sku": "WP-DOME-B"}
            ]
        });
        // The configured variant sold out: the first available one is added, at its price.
        let live = live_product(&product, Some("44100000000001")).unwrap();
        assert_eq!(live.price, Money(8400));
        assert_eq!(live.compare_at_price, None);
        assert!(live.in_stock);
        assert_eq!(live.variant.as_deref(), Some("44100000000002"));
        // Nothing available: sold out, priced as the first variant.
        let sold_out = serde_json::json!({"available": false, "price": 7900,
            "variants": [{"id": 1, "available": false, "price": 7900, "compare_at_price": 8900}]});
        let live = live_product(&sold_out, None).unwrap();
        assert_eq!(
            (live.in_stock, live.compare_at_price),
            (false, Some(Money(8900)))
        );
        // No price at all is not an answer.
        assert_eq!(
            live_product(&serde_json::json!({"available": true}), None),
            None
        );
    }

    #[test]
    fn a_products_handle_comes_from_its_url_else_its_id() {
        let config = Config::from_json(
            r#"{"version": 1, "store": {"currency": "USD"}, "rules": [],
                "catalog": [
                  {"id": "SKU-1", "title": "A", "price": 1, "url": "https://shop.example/products/dome-4mp?variant=1"},
                  {"id": "cable", "title": "B", "price": 1, "url": "/collections/all"},
                  {"id": "nvr", "title": "C", "price": 1}]}"#,
        )
        .unwrap();
        let h = |id| handle(config.product_by_id(id).unwrap());
        assert_eq!(
            (h("SKU-1"), h("cable"), h("nvr")),
            ("dome-4mp", "cable", "nvr")
        );
    }

    /// The cart after `/cart/update.js` with a discount code, as Shopify answers it.
    #[test]
    fn the_bundle_discount_is_granted_only_when_the_cart_shows_it() {
        let cart = |codes: serde_json::Value, total: i64| {
            serde_json::json!({"items": [], "total_price": 9000, "total_discount": total,
                "discount_codes": codes, "cart_level_discount_applications": []})
        };
        let applied = serde_json::json!([{"code": "BUNDLE5", "applicable": true}]);
        assert_eq!(granted(&cart(applied, 450), Some("bundle5")), Ok(()));
        let refused = serde_json::json!([{"code": "BUNDLE5", "applicable": false}]);
        assert_eq!(
            granted(&cart(refused, 0), Some("BUNDLE5")),
            Err("code BUNDLE5 was not applied to the cart".into())
        );
        assert_eq!(
            granted(&cart(serde_json::json!([]), 0), None),
            Err("the cart shows no discount".into())
        );
        // An automatic discount: no code, a discount in the cart.
        assert_eq!(granted(&cart(serde_json::json!([]), 450), None), Ok(()));
    }

    /// The cart attributes that reach the order (`Note Attributes` in the orders export).
    #[test]
    fn the_cart_attributes_say_the_bucket_and_what_was_added_newest_kept() {
        use cartlift_engine::shopper::Bucket;
        let attribution = Attribution {
            bucket: Bucket::Holdout,
            experiment: Some("q4".into()),
        };
        assert_eq!(
            attributes_body::<serde_json::Value>(&attribution, None),
            serde_json::json!({"attributes": {"_cartlift_bucket": "holdout", "_cartlift_experiment": "q4"}})
        );
        let request = |product: &str| CartRequest {
            items: vec![Item {
                product: product.into(),
                variant: None,
                quantity: 1,
            }],
            replaces: None,
            placement: cartlift_engine::Placement::Product,
            rules: vec!["camera-extras".into()],
            discount: None,
            attribution: Some(attribution.clone()),
        };
        let before = added_entries(&serde_json::json!([
            ["cart", "hdd-2tb", "mined:nvr->hdd"],
            "junk"
        ]));
        assert_eq!(
            before,
            [["cart".to_owned(), "hdd-2tb".into(), "mined:nvr->hdd".into()]]
        );
        let after = with_added(before, &request("sign-cctv"));
        let text = serde_json::to_string(&added_list::<serde_json::Value>(&after)).unwrap();
        assert_eq!(
            text,
            r#"[["cart","hdd-2tb","mined:nvr->hdd"],["product","sign-cctv","camera-extras"]]"#
        );
        assert_eq!(
            attributes_body::<serde_json::Value>(&attribution, Some(&text))["attributes"]["_cartlift_added"],
            serde_json::Value::String(text.clone())
        );
        // The newest MAX_ADDED are kept.
        let mut many = Vec::new();
        for i in 0..MAX_ADDED + 3 {
            many = with_added(many, &request(&format!("p{i}")));
        }
        assert_eq!(many.len(), MAX_ADDED);
        assert_eq!(many[0][1], "p3");
        // A cart that says the bucket and experiment is not written again.
        let cart = serde_json::json!({"attributes": {"_cartlift_bucket": "holdout", "_cartlift_experiment": "q4"}});
        assert!(marked(&cart, &attribution));
        let treatment = Attribution {
            bucket: Bucket::Treatment,
            experiment: Some("q4".into()),
        };
        assert!(!marked(&cart, &treatment));
        assert!(!marked(
            &serde_json::json!({"attributes": {}}),
            &attribution
        ));
        // Without a holdout the experiment is written empty, and reads back as none.
        let plain = Attribution {
            bucket: Bucket::Treatment,
            experiment: None,
        };
        let cart = serde_json::json!({"attributes": {"_cartlift_bucket": "treatment", "_cartlift_experiment": ""}});
        assert!(marked(&cart, &plain));
    }
}
