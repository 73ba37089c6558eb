//! The `woocommerce` adapter: the WooCommerce Store API (`/wp-json/wc/store/v1`).
//!
//! Reads `GET cart` (and keeps the `Nonce` and `Cart-Token` headers it returns, which
//! every write must send back), adds each item with `POST cart/add-item` (`{id, quantity}`)
//! and removes a replaced line with `POST cart/remove-item` (`{key}`). Every write answers
//! with the whole cart, which is reported at once. A stale nonce is renewed once.
//! Catalog ids are matched against each line's SKU and product id.

use super::cart::Item;
use super::cart::{
    AddOutcome, CartAdapter, CartEvents, CartFailure, CartFuture, CartNews, CartRequest, Discount,
    LIVE_TIMEOUT_MS, LiveFuture, basket_line, code_entry, minor,
};
use super::http::{self, Reply};
use crate::js_value::{Build, Js, Value};
use crate::report;
use cartlift_engine::live::LiveProduct;
use cartlift_engine::{BasketLine, Config, Money};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// The WooCommerce cart.
#[derive(Debug)]
pub struct WooCart {
    state: Rc<State>,
}

#[derive(Debug)]
struct State {
    root: String,
    events: CartEvents,
    nonce: RefCell<Option<String>>,
    token: RefCell<Option<String>>,
    /// Catalog id → line key, from the last cart seen.
    keys: RefCell<Vec<(String, String)>>,
    reading: Cell<bool>,
    stale: Cell<bool>,
}

impl WooCart {
    /// A cart whose Store API lives at `root` (default `/wp-json/wc/store/v1`), reporting
    /// through `events`.
    pub fn new(root: &str, events: CartEvents) -> Self {
        WooCart {
            state: Rc::new(State {
                root: root.trim_end_matches('/').to_owned(),
                events,
                nonce: RefCell::default(),
                token: RefCell::default(),
                keys: RefCell::default(),
                reading: Cell::default(),
                stale: Cell::default(),
            }),
        }
    }
}

impl State {
    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.root)
    }

    fn remember(&self, reply: &Reply) {
        let header = |name: &str| reply.headers.get(name);
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
                    self.report(reply.body);
                }
                Ok(reply) => {
                    report::warn(&format!(
                        "woocommerce cart: could not read the cart: {}",
                        reply.error_text()
                    ));
                    self.events.report(CartNews::Unreadable);
                }
                Err(e) => {
                    report::warn(&format!("woocommerce cart: could not read the cart: {e}"));
                    self.events.report(CartNews::Unreadable);
                }
            }
            if !self.stale.get() {
                break;
            }
        }
        self.reading.set(false);
    }

    fn report(&self, cart: wasm_bindgen::JsValue) {
        let Some(config) = self.events.config() else {
            return;
        };
        let (lines, keys) = lines(&Js(cart), &config);
        *self.keys.borrow_mut() = keys;
        self.events.report(CartNews::Lines(lines));
    }

    /// Fetches a fresh nonce (and cart token). Not through [`State::read`]: that returns at
    /// once when a read is already in flight, and the write would go without a nonce.
    async fn renew_nonce(&self) {
        match http::send("GET", &self.url("cart"), None, &[]).await {
            Ok(reply) if reply.ok() => self.remember(&reply),
            _ => {}
        }
    }

    /// Applies the bundle's coupon (`POST cart/apply-coupon` `{code}`; the Store API
    /// refuses one the cart cannot take) or, when the store applies the discount by itself,
    /// looks at `cart` (the last add's answer); either way the cart must then show it.
    async fn grant(self: &Rc<Self>, discount: &Discount, cart: JsValue) -> Result<(), String> {
        let cart = match discount.code() {
            Some(code) => {
                let body: JsValue = Build::object(&[("code", Build::string(code))]);
                let reply = self.write("cart/apply-coupon", &body).await?;
                if !reply.ok() {
                    return Err(reply.error_text());
                }
                reply.body
            }
            None => cart,
        };
        granted(&Js(cart), discount.code())
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
                && reply.field("code").is_some_and(|c| mentions_nonce(&c));
            if stale_nonce && !renewed {
                renewed = true;
                *self.nonce.borrow_mut() = None;
                continue;
            }
            if reply.ok() {
                self.report(reply.body.clone());
            }
            return Ok(reply);
        }
    }
}

impl CartAdapter for WooCart {
    fn apply(&self, request: CartRequest) -> CartFuture {
        let state = self.state.clone();
        Box::pin(async move {
            let mut cart = JsValue::NULL;
            for (done, item) in request.items.iter().enumerate() {
                let body = add_body(item);
                let failure = match state.write("cart/add-item", &body).await {
                    Ok(reply) if reply.ok() => {
                        cart = reply.body;
                        None
                    }
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
                    let body = remove_body(&key);
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
            Ok(match &request.discount {
                Some(discount) => match state.grant(discount, cart).await {
                    Ok(()) => AddOutcome::Added,
                    Err(why) => AddOutcome::AddedWithoutDiscount(why),
                },
                None => AddOutcome::Added,
            })
        })
    }

    fn watch(self: Rc<Self>) {
        self.refresh();
    }

    /// One `GET products?include=…` for every product asked (up to 100, the Store API's
    /// page size); a product the store does not list keeps the config's figures.
    fn live(&self, config: Rc<Config>, ids: Vec<String>) -> Option<LiveFuture> {
        let state = self.state.clone();
        Some(Box::pin(async move {
            let exponent = i32::from(config.store().currency.exponent());
            let asked: Vec<(String, String)> = ids
                .into_iter()
                .filter_map(|id| Some((store_id(config.product_by_id(&id)?)?.to_owned(), id)))
                .take(100)
                .collect();
            if asked.is_empty() {
                return Ok(Vec::new());
            }
            let numbers: Vec<&str> = asked.iter().map(|(n, _)| n.as_str()).collect();
            let url = state.url(&format!(
                "products?include={}&per_page=100",
                numbers.join(",")
            ));
            let reply = http::get_within(&url, LIVE_TIMEOUT_MS).await?;
            if !reply.ok() {
                return Err(format!("{url}: {}", reply.error_text()));
            }
            let mut found = Vec::new();
            for product in Js(reply.body).elements().unwrap_or_default() {
                let number = product.get("id").and_then(|i| i.id());
                let Some(live) = live_product(&product, exponent) else {
                    continue;
                };
                for (_, id) in asked.iter().filter(|(n, _)| Some(n) == number.as_ref()) {
                    found.push((id.clone(), live.clone()));
                }
            }
            Ok(found)
        }))
    }

    fn refresh(self: Rc<Self>) {
        wasm_bindgen_futures::spawn_local(self.state.clone().read());
    }
}

/// The Store API's error code is about the nonce (`woocommerce_rest_missing_nonce`,
/// `woocommerce_rest_invalid_nonce`). Compared as bytes: `str::contains` ships core's
/// two-way substring searcher, which nothing else in this build uses (1.3 KB of wasm).
fn mentions_nonce(code: &str) -> bool {
    code.as_bytes().windows(5).any(|w| w == b"nonce")
}

/// Catalog id → line key, for removing the line an upgrade replaces.
type Keys = Vec<(String, String)>;

/// `GET cart` (the Store API's cart) as a basket: each of `items[]` in catalog ids (`sku`,
/// else `id`, the product's or the variation's), with its `quantity` and unit price in
/// the config currency's minor units; and each line's `key`, what `cart/remove-item`
/// takes. Prices (`prices.price`) are strings of minor units, `prices.currency_minor_unit`
/// digits of them after the point: "1800" is 18.00 with 2, but "18" with 0 (a store set
/// to show no decimals), whatever the currency's own minor unit.
fn lines(cart: &impl Value, config: &Config) -> (Vec<BasketLine>, Keys) {
    let exponent = i32::from(config.store().currency.exponent());
    let mut keys = Vec::new();
    let lines = cart
        .get("items")
        .and_then(|items| items.elements())
        .unwrap_or_default()
        .iter()
        .filter_map(|item| {
            let id = |key| item.get(key).and_then(|v| v.id());
            let price = item
                .get("prices")
                .and_then(|p| money(&p, "price", exponent));
            let quantity = item.get("quantity").and_then(|q| minor(&q)).unwrap_or(1);
            let line = basket_line(
                config,
                &[id("sku"), id("id")],
                quantity.clamp(1, i64::from(u32::MAX)) as u32,
                price,
            )?;
            if let Some(key) = id("key") {
                keys.push((line.product.clone(), key));
            }
            Some(line)
        })
        .collect();
    (lines, keys)
}

/// Whether a Store API cart grants the bundle discount: the coupon, if one was applied,
/// is among `coupons`, and `totals.total_discount` is above zero.
fn granted(cart: &impl Value, code: Option<&str>) -> Result<(), String> {
    let listed = code.is_none_or(|code| code_entry(cart, "coupons", code).is_some());
    let total = cart
        .get("totals")
        .and_then(|t| t.get("total_discount"))
        .and_then(|v| minor(&v))
        .unwrap_or(0);
    match (code, listed && total > 0) {
        (_, true) => Ok(()),
        (Some(code), false) => Err(format!("coupon {code} was not applied to the cart")),
        (None, false) => Err("the cart shows no discount".into()),
    }
}

/// An amount of a Store API `prices` object (`price`, `regular_price`: strings of minor
/// units, `currency_minor_unit` digits of them after the point) in the config currency's
/// minor units (`exponent` digits).
fn money(prices: &impl Value, key: &str, exponent: i32) -> Option<Money> {
    let amount = minor(&prices.get(key)?)? as f64;
    let digits = prices
        .get("currency_minor_unit")
        .and_then(|d| d.integer())
        .map_or(exponent, |d| d as i32);
    // A count of digits: `powi`, not `powf` (libm's pow, 2 KB of wasm).
    Some(Money(
        (amount * 10f64.powi(exponent - digits)).round() as i64
    ))
}

/// The Store API's number for a catalog product: its id if that is a number (what
/// `cartlift catalog` makes of a WooCommerce export), else its first variant's (the
/// product or variation id an add sends).
fn store_id(product: &cartlift_engine::Product) -> Option<&str> {
    let number = |s: &&str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    Some(product.id.as_str()).filter(number).or_else(|| {
        product
            .variants
            .first()
            .map(|v| v.id.as_str())
            .filter(number)
    })
}

/// One product of `GET products?include=…` as what an add would buy now: `prices.price`,
/// `prices.regular_price` as the "was" price when higher, in stock when `is_in_stock` and
/// `is_purchasable`; a simple product is added by its own `id` (a variable one keeps the
/// config's variation).
fn live_product(product: &impl Value, exponent: i32) -> Option<LiveProduct> {
    let prices = product.get("prices")?;
    let yes = |key| product.get(key).and_then(|v| v.boolean()).unwrap_or(true);
    let has_variations = product
        .get("variations")
        .and_then(|v| v.elements())
        .is_some_and(|v| !v.is_empty());
    Some(LiveProduct {
        price: money(&prices, "price", exponent)?,
        compare_at_price: money(&prices, "regular_price", exponent),
        in_stock: yes("is_in_stock") && yes("is_purchasable"),
        variant: product
            .get("id")
            .and_then(|i| i.id())
            .filter(|_| !has_variations),
    })
}

/// `POST cart/add-item`: `{id, quantity}`, the id the product's or variation's (a number).
fn add_body<B: Build>(item: &Item) -> B {
    B::object(&[
        (
            "id",
            B::id(item.variant.as_deref().unwrap_or(&item.product)),
        ),
        ("quantity", B::number(f64::from(item.quantity))),
    ])
}

/// `POST cart/remove-item`: `{key}`.
fn remove_body<B: Build>(key: &str) -> B {
    B::object(&[("key", B::string(key))])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(currency: &str) -> Config {
        Config::from_json(&format!(
            r#"{{"version": 1, "store": {{"currency": "{currency}"}},
                "catalog": [{{"id": "cam-dome", "title": "Dome", "price": 89}}, {{"id": "101", "title": "Cable", "price": 12}}],
                "rules": []}}"#
        ))
        .expect("valid")
    }

    fn cart(decimals: u32, price: &str) -> serde_json::Value {
        serde_json::json!({
            "coupons": [], "totals": {"total_price": price, "currency_minor_unit": decimals},
            "items": [
                {"key": "k1", "id": 7, "type": "simple", "quantity": 3, "sku": "cam-dome",
                 "prices": {"price": price, "regular_price": price, "currency_code": "USD",
                            "currency_minor_unit": decimals, "raw_prices": {"precision": 6}},
                 "quantity_limits": {"minimum": 1}},
                {"key": "k2", "id": 101, "quantity": 1, "sku": "",
                 "prices": {"price": price, "currency_minor_unit": decimals}}
            ]
        })
    }

    #[test]
    fn cart_lines_map_to_catalog_ids_in_the_stores_minor_units() {
        let (dollars, keys) = lines(&cart(2, "1800"), &config("USD"));
        let price = |l: &BasketLine| l.price.map(|p| p.minor());
        assert_eq!(
            dollars
                .iter()
                .map(|l| (l.product.as_str(), l.quantity, price(l)))
                .collect::<Vec<_>>(),
            [("cam-dome", 3, Some(1800)), ("101", 1, Some(1800))]
        );
        assert_eq!(
            keys,
            [
                ("cam-dome".to_owned(), "k1".to_owned()),
                ("101".to_owned(), "k2".to_owned())
            ]
        );
        // A store set to show no decimals: "18" is 18.00 dollars, 1800 cents.
        let (no_decimals, _) = lines(&cart(0, "18"), &config("USD"));
        assert_eq!(price(&no_decimals[0]), Some(1800));
        // A currency without minor units, shown with two decimals: "1800" is 18 yen.
        let (yen, _) = lines(&cart(2, "1800"), &config("JPY"));
        assert_eq!(price(&yen[0]), Some(18));
    }

    #[test]
    fn nonce_errors_are_recognised_by_their_code() {
        assert!(mentions_nonce("woocommerce_rest_missing_nonce"));
        assert!(mentions_nonce("woocommerce_rest_invalid_nonce"));
        assert!(!mentions_nonce("woocommerce_rest_cart_invalid_product"));
        assert!(!mentions_nonce("nonc"));
    }

    #[test]
    fn add_and_remove_bodies_are_what_the_store_api_takes() {
        let add = |product: &str, variant: Option<&str>| {
            add_body::<serde_json::Value>(&Item {
                product: product.into(),
                variant: variant.map(Into::into),
                quantity: 2,
            })
        };
        assert_eq!(
            add("cam", Some("101")),
            serde_json::json!({"id": 101, "quantity": 2})
        );
        assert_eq!(
            add("sku-1", None),
            serde_json::json!({"id": "sku-1", "quantity": 2})
        );
        assert_eq!(
            remove_body::<serde_json::Value>("k1"),
            serde_json::json!({"key": "k1"})
        );
    }

    /// A product of `GET products` as the Store API documents it (`prices` in minor units
    /// as strings, `is_in_stock`, `is_purchasable`, `variations`).
    #[test]
    fn a_product_read_gives_price_was_price_stock_and_what_to_add() {
        let simple = serde_json::json!({
            "id": 34, "name": "Pennant", "sku": "wp-pennant", "on_sale": true,
            "prices": {"currency_code": "USD", "currency_minor_unit": 2, "price": "1105",
                       "regular_price": "1500", "sale_price": "1105", "price_range": null},
            "is_purchasable": true, "is_in_stock": true, "variations": []
        });
        let live = live_product(&simple, 2).unwrap();
        assert_eq!(live.price, Money(1105));
        assert_eq!(live.compare_at_price, Some(Money(1500)));
        assert!(live.in_stock);
        assert_eq!(live.variant.as_deref(), Some("34"));
        // A store showing no decimals, a variable product, not purchasable.
        let variable = serde_json::json!({
            "id": 40, "prices": {"currency_minor_unit": 0, "price": "20", "regular_price": "20"},
            "is_purchasable": false, "is_in_stock": true,
            "variations": [{"id": 41, "attributes": [{"name": "Size", "value": "M"}]}]
        });
        let live = live_product(&variable, 2).unwrap();
        assert_eq!(
            (live.price, live.in_stock, live.variant),
            (Money(2000), false, None)
        );
    }

    #[test]
    fn the_store_api_number_is_the_id_else_the_first_variants() {
        let config = Config::from_json(
            r#"{"version": 1, "store": {"currency": "USD"}, "rules": [],
                "catalog": [
                  {"id": "34", "title": "A", "price": 1},
                  {"id": "tee", "title": "B", "price": 1, "variants": [{"id": "101"}]},
                  {"id": "cap", "title": "C", "price": 1}]}"#,
        )
        .unwrap();
        let n = |id| store_id(config.product_by_id(id).unwrap());
        assert_eq!(
            (n("34"), n("tee"), n("cap")),
            (Some("34"), Some("101"), None)
        );
    }

    /// The Store API's cart after `cart/apply-coupon`.
    #[test]
    fn the_bundle_coupon_is_granted_only_when_the_cart_lists_it_with_a_discount() {
        let cart = |coupons: serde_json::Value, discount: &str| {
            serde_json::json!({"items": [], "coupons": coupons,
                "totals": {"total_discount": discount, "currency_minor_unit": 2}})
        };
        let coupon = serde_json::json!([{"code": "bundle5", "discount_type": "percent",
            "totals": {"total_discount": "450", "currency_minor_unit": 2}}]);
        assert_eq!(granted(&cart(coupon, "450"), Some("BUNDLE5")), Ok(()));
        assert_eq!(
            granted(&cart(serde_json::json!([]), "0"), Some("BUNDLE5")),
            Err("coupon BUNDLE5 was not applied to the cart".into())
        );
        assert_eq!(granted(&cart(serde_json::json!([]), "450"), None), Ok(()));
        assert_eq!(
            granted(&cart(serde_json::json!([]), "0"), None),
            Err("the cart shows no discount".into())
        );
    }
}
