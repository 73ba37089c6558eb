//! Fake Shopify and WooCommerce storefronts on 127.0.0.1, for the server-backed cart
//! adapters' end-to-end tests.
//!
//! Each fake serves, on its own ephemeral port:
//! - the built widget from `$CARTLIFT_SITE/cartlift/` and the demo's images and CSS;
//! - the site's config, with each catalog product given the platform's id for it as its
//!   one variant (`variants[].id` is what the widget adds: a Shopify variant id, a
//!   WooCommerce product id), as a store's config generated from its catalog would;
//! - one product page embedding the widget exactly as a theme would (the script tag with
//!   `data-cart`, a product placement and a cart placement), whose own script changes the
//!   cart through the platform's endpoints (`window.theme`), and which records every
//!   product id either placement ever painted (`window.__painted`, sampled each frame);
//! - the cart endpoints, with real response shapes, state, a log of every request, and
//!   switchable faults (failed adds, held adds, failed or slow reads, a stale nonce).
//!
//! A Shopify fake can instead serve a theme's pages ([`Store::shopify_theme`]: pages
//! rendered elsewhere, such as from the theme app extension, and the extension's assets at
//! their CDN path) with a config of the test's own.
//!
//! Shopify: `GET /cart.js`, `POST /cart/add.js`, `/cart/change.js`, `/cart/update.js`
//! (attributes, discount codes), `/cart/clear.js`.
//! WooCommerce: `GET /wp-json/wc/store/v1/cart`, `POST …/cart/add-item`,
//! `…/cart/remove-item`, `…/cart/update-item` (every write needs the current `Nonce`:
//! 401 when missing, 403 when stale), and the classic theme's `POST /?wc-ajax=add_to_cart`.

use anyhow::{Context, Result, anyhow, bail};
use cartlift_demo::http::{Handler, Request, Response, Server};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The product whose page the fakes serve.
pub const PAGE_PRODUCT: &str = "cam-dome-4mp";

/// A held add is answered after at most this long, released or not, so no server thread
/// outlives a failed test by much.
const MAX_HOLD: Duration = Duration::from_secs(15);

/// Which platform a fake plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Platform {
    Shopify,
    Woo,
}

/// One request the store received.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The raw query string.
    pub query: String,
    /// Header names lower-cased.
    pub headers: BTreeMap<String, String>,
    /// The body: parsed JSON, form fields as an object of strings, or `null`.
    pub body: Value,
}

impl Recorded {
    /// A header's value, by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The body without each item's `properties` (the hidden line item properties
    /// cartlift sends with a Shopify add), for tests about what is added.
    pub fn body_without_properties(&self) -> Value {
        let mut body = self.body.clone();
        if let Some(items) = body.get_mut("items").and_then(Value::as_array_mut) {
            for item in items {
                if let Some(item) = item.as_object_mut() {
                    item.remove("properties");
                }
            }
        }
        body
    }
}

/// A catalog product as the platform knows it.
#[derive(Clone, Debug)]
pub struct Product {
    /// The catalog id (also the Shopify handle and the WooCommerce SKU).
    pub id: String,
    /// Title.
    pub title: String,
    /// Price in cents.
    pub cents: i64,
    /// Shopify product id, or WooCommerce product id.
    pub product_id: u64,
    /// Shopify variant id (what `/cart/add.js` takes); the product id for WooCommerce.
    pub variant_id: u64,
    /// The platform's SKU: `WP-CAM-DOME-4MP` on Shopify (not a catalog id, so lines map
    /// through their handle), the catalog id on WooCommerce.
    pub sku: String,
}

#[derive(Clone, Debug)]
struct Line {
    product: usize,
    quantity: u32,
    key: String,
}

#[derive(Debug, Default)]
struct Faults {
    /// The next adds fail with these statuses, first first.
    fail_adds: Vec<u16>,
    /// Adds wait for [`Store::release_adds`].
    hold_adds: bool,
    /// Cart reads answer this late.
    slow_reads: Duration,
    /// The next cart reads fail with these statuses, first first.
    fail_reads: Vec<u16>,
    /// Product reads (Shopify `/products/<handle>.js`, WooCommerce `products`) fail
    /// with this status.
    fail_product_reads: Option<u16>,
    /// Product reads answer this late.
    slow_product_reads: Duration,
}

#[derive(Debug)]
struct State {
    lines: Vec<Line>,
    log: Vec<Recorded>,
    faults: Faults,
    /// WooCommerce's current `wc_store_api` nonce.
    nonce: String,
    nonces_issued: u32,
    /// WooCommerce's "Number of decimals" setting (the Store API's `currency_minor_unit`).
    decimals: u32,
    /// What the store sells a product at now and whether it has stock, where that is no
    /// longer what the config says (the owner changed it after building the config).
    now: BTreeMap<usize, (i64, bool)>,
    /// Discount codes the store accepts (5% off the cart), and those applied to the cart.
    codes: Vec<String>,
    applied: Vec<String>,
    /// Shopify's cart attributes (`/cart/update.js` `{attributes}`), which reach the order.
    attributes: BTreeMap<String, String>,
}

/// A theme's pages and its app extension's assets, for [`Store::shopify_theme`].
#[derive(Clone, Debug, Default)]
pub struct Theme {
    /// URL paths (without a query) and the HTML files that answer them.
    pub pages: Vec<(String, PathBuf)>,
    /// The URL prefix of the extension's assets (ending in `/`) and the folder that holds
    /// them: `<prefix><file>` answers with that file.
    pub assets: Option<(String, PathBuf)>,
}

#[derive(Debug)]
struct Shared {
    platform: Platform,
    theme: Theme,
    site: PathBuf,
    products: Vec<Product>,
    config: String,
    /// The same config compiled (`cartlift compile`), when the page loads `config.bin`.
    compiled: Option<Vec<u8>>,
    page: String,
    state: Mutex<State>,
    /// Signalled when held adds are released.
    released: Condvar,
}

/// A fake store; the server stops when it is dropped.
#[derive(Debug)]
pub struct Store {
    server: Server,
    shared: Arc<Shared>,
}

/// A fake Shopify storefront (Ajax Cart API).
pub type FakeShopify = Store;
/// A fake WooCommerce storefront (Store API).
pub type FakeWoo = Store;

impl Store {
    /// Starts a Shopify storefront serving `$CARTLIFT_SITE`.
    pub fn shopify() -> Result<Store> {
        Store::start(Platform::Shopify, false)
    }

    /// [`Store::shopify`] with the page loading the compiled config (the small build).
    pub fn shopify_compiled() -> Result<Store> {
        Store::start(Platform::Shopify, true)
    }

    /// [`Store::shopify`] whose config has no variant ids, as `cartlift catalog` makes it
    /// from a product export (which has none): the widget learns them from the store.
    pub fn shopify_without_variant_ids() -> Result<Store> {
        Store::start_with(Platform::Shopify, false, false, None, Theme::default())
    }

    /// [`Store::shopify`] with `edit` applied to the site's config first (a holdout, …).
    pub fn shopify_with_config(edit: impl FnOnce(&mut Value)) -> Result<Store> {
        let text = std::fs::read_to_string(site_dir()?.join("cartlift/config.json"))
            .context("reading the site's cartlift/config.json")?;
        let mut config: Value = serde_json::from_str(&text)?;
        edit(&mut config);
        Store::start_with(
            Platform::Shopify,
            false,
            true,
            Some(config),
            Theme::default(),
        )
    }

    /// Starts a WooCommerce storefront serving `$CARTLIFT_SITE`.
    pub fn woocommerce() -> Result<Store> {
        Store::start(Platform::Woo, false)
    }

    /// [`Store::woocommerce`] with the page loading the compiled config (the small build).
    pub fn woocommerce_compiled() -> Result<Store> {
        Store::start(Platform::Woo, true)
    }

    /// A Shopify storefront serving `theme`'s pages and assets (and `$CARTLIFT_SITE`'s
    /// files), with `config` (a config JSON whose catalog gets the store's variant ids, as
    /// for [`Store::shopify`]) at `/cartlift/config.json` and compiled at
    /// `/cartlift/config.bin`.
    pub fn shopify_theme(config: Value, theme: Theme) -> Result<Store> {
        Store::start_with(Platform::Shopify, true, true, Some(config), theme)
    }

    fn start(platform: Platform, compiled: bool) -> Result<Store> {
        Store::start_with(platform, compiled, true, None, Theme::default())
    }

    fn start_with(
        platform: Platform,
        compiled: bool,
        variant_ids: bool,
        config: Option<Value>,
        theme: Theme,
    ) -> Result<Store> {
        let site = site_dir()?;
        let mut config: Value = match config {
            Some(config) => config,
            None => {
                let text = std::fs::read_to_string(site.join("cartlift/config.json"))
                    .context("reading the site's cartlift/config.json")?;
                serde_json::from_str(&text)?
            }
        };
        let catalog = config["catalog"]
            .as_array_mut()
            .ok_or_else(|| anyhow!("the config has no catalog"))?;
        let mut products = Vec::new();
        for (i, entry) in catalog.iter_mut().enumerate() {
            let id = entry["id"].as_str().unwrap_or_default().to_owned();
            let price = entry["price"].as_f64().unwrap_or_default();
            let n = i as u64;
            let product = match platform {
                Platform::Shopify => Product {
                    sku: format!("WP-{}", id.to_uppercase()),
                    product_id: 7_100_000_000_000 + n,
                    variant_id: 44_100_000_000_000 + n,
                    id: id.clone(),
                    title: entry["title"].as_str().unwrap_or_default().to_owned(),
                    cents: (price * 100.0).round() as i64,
                },
                Platform::Woo => Product {
                    sku: id.clone(),
                    product_id: 101 + n,
                    variant_id: 101 + n,
                    id: id.clone(),
                    title: entry["title"].as_str().unwrap_or_default().to_owned(),
                    cents: (price * 100.0).round() as i64,
                },
            };
            if variant_ids {
                entry["variants"] = json!([{ "id": product.variant_id.to_string() }]);
            }
            products.push(product);
        }
        let config = config.to_string();
        let (config_url, compiled) = if compiled {
            let bytes = cartlift_engine::Config::from_json(&config)
                .map_err(|e| anyhow!("the store's config: {e}"))?
                .to_compiled()?;
            ("/cartlift/config.bin", Some(bytes))
        } else {
            ("/cartlift/config.json", None)
        };
        let page = page(platform, &products, config_url)?;
        let shared = Arc::new(Shared {
            platform,
            theme,
            site,
            products,
            config,
            compiled,
            page,
            state: Mutex::new(State {
                lines: Vec::new(),
                log: Vec::new(),
                faults: Faults::default(),
                nonce: nonce(1),
                nonces_issued: 1,
                decimals: 2,
                now: BTreeMap::new(),
                codes: vec!["BUNDLE5".into()],
                applied: Vec::new(),
                attributes: BTreeMap::new(),
            }),
            released: Condvar::new(),
        });
        let handler: Arc<Handler> = {
            let shared = Arc::clone(&shared);
            Arc::new(move |request: &Request| shared.handle(request))
        };
        Ok(Store {
            server: Server::start(0, handler)?,
            shared,
        })
    }

    /// Absolute URL of a path on this store.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    /// The storefront page for [`PAGE_PRODUCT`].
    pub fn page_url(&self) -> String {
        self.url(&page_path(self.shared.platform))
    }

    /// The platform's ids for a catalog product.
    pub fn product(&self, id: &str) -> Product {
        self.shared.product(id).cloned().unwrap_or_else(|| {
            panic!("{id} is not in the catalog");
        })
    }

    /// Puts lines in the cart, as an earlier visit would have.
    pub fn seed(&self, lines: &[(&str, u32)]) {
        let mut state = self.shared.lock();
        for (id, quantity) in lines {
            let index = self
                .shared
                .index(id)
                .unwrap_or_else(|| panic!("{id} is not in the catalog"));
            self.shared.add(&mut state, index, *quantity);
        }
    }

    /// The cart: catalog id and quantity per line, in cart order.
    pub fn cart(&self) -> Vec<(String, u32)> {
        let state = self.shared.lock();
        state
            .lines
            .iter()
            .map(|l| (self.shared.products[l.product].id.clone(), l.quantity))
            .collect()
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.lock().log.clone()
    }

    /// The `POST`s so far whose path ends with `suffix` (the cart writes).
    pub fn posts(&self, suffix: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path.ends_with(suffix))
            .collect()
    }

    /// The next `n` adds (widget's or theme's) fail with `status`, changing nothing.
    pub fn fail_next_adds(&self, n: usize, status: u16) {
        self.shared.lock().faults.fail_adds = vec![status; n];
    }

    /// Adds wait, unanswered, until [`Store::release_adds`].
    pub fn hold_adds(&self) {
        self.shared.lock().faults.hold_adds = true;
    }

    /// Answers the held adds (and stops holding new ones).
    pub fn release_adds(&self) {
        self.shared.lock().faults.hold_adds = false;
        self.shared.released.notify_all();
    }

    /// The next `n` cart reads fail with `status`.
    pub fn fail_next_reads(&self, n: usize, status: u16) {
        self.shared.lock().faults.fail_reads = vec![status; n];
    }

    /// Cart reads answer `delay` late.
    pub fn slow_reads(&self, delay: Duration) {
        self.shared.lock().faults.slow_reads = delay;
    }

    /// The store now sells `id` at `cents` (`in_stock` or sold out): its product pages,
    /// product reads, cart lines and adds say so; the config still has the old figures.
    pub fn set_now(&self, id: &str, cents: i64, in_stock: bool) {
        let index = self
            .shared
            .index(id)
            .unwrap_or_else(|| panic!("{id} is not in the catalog"));
        self.shared.lock().now.insert(index, (cents, in_stock));
    }

    /// The store accepts no discount code (the owner never created the bundle's code).
    pub fn refuse_discount_codes(&self) {
        self.shared.lock().codes.clear();
    }

    /// The discount codes applied to the cart.
    pub fn applied_codes(&self) -> Vec<String> {
        self.shared.lock().applied.clone()
    }

    /// The Shopify cart's attributes now.
    pub fn cart_attributes(&self) -> BTreeMap<String, String> {
        self.shared.lock().attributes.clone()
    }

    /// Product reads fail with `status` from now on.
    pub fn fail_product_reads(&self, status: u16) {
        self.shared.lock().faults.fail_product_reads = Some(status);
    }

    /// Product reads answer `delay` late from now on.
    pub fn slow_product_reads(&self, delay: Duration) {
        self.shared.lock().faults.slow_product_reads = delay;
    }

    /// The product reads so far (`GET /products/<handle>.js`, `GET …/products?…`).
    pub fn product_reads(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| {
                r.method == "GET"
                    && (r.path.starts_with("/products/") && r.path.ends_with(".js")
                        || r.path == "/wp-json/wc/store/v1/products")
            })
            .collect()
    }

    /// WooCommerce: a new nonce replaces the current one (the session changed), so the
    /// nonce the page holds is stale; responses carry the new one from now on.
    pub fn rotate_nonce(&self) {
        let mut state = self.shared.lock();
        state.nonces_issued += 1;
        state.nonce = nonce(state.nonces_issued);
    }

    /// WooCommerce: the store's "Number of decimals" setting (2 by default); Store API
    /// prices are strings in that many minor digits (`currency_minor_unit`).
    pub fn set_price_decimals(&self, decimals: u32) {
        self.shared.lock().decimals = decimals;
    }

    /// WooCommerce: the current nonce.
    pub fn nonce(&self) -> String {
        self.shared.lock().nonce.clone()
    }

    /// Waits until `check` holds for the store's state (it is polled), or fails.
    pub async fn wait_until(&self, what: &str, check: impl Fn(&Store) -> bool) -> Result<()> {
        let deadline = Instant::now() + crate::TIMEOUT;
        while !check(self) {
            if Instant::now() > deadline {
                bail!(
                    "timed out waiting for {what}; cart {:?}; requests {:#?}",
                    self.cart(),
                    self.api_requests()
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        Ok(())
    }

    /// The cart API requests so far, as `METHOD path body` lines (for failure messages).
    pub fn api_requests(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter(|r| is_api(&r.path, &r.query))
            .map(|r| format!("{} {} {}", r.method, r.path, r.body))
            .collect()
    }
}

fn nonce(n: u32) -> String {
    format!(
        "{:010x}",
        u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 24
    )
}

fn page_path(platform: Platform) -> String {
    match platform {
        Platform::Shopify => format!("/products/{PAGE_PRODUCT}"),
        Platform::Woo => format!("/product/{PAGE_PRODUCT}/"),
    }
}

fn is_api(path: &str, query: &str) -> bool {
    path == "/cart"
        || path.starts_with("/cart/")
        || path.starts_with("/cart.")
        || path.starts_with("/wp-json/")
        || query.contains("wc-ajax=")
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not wedge the server for the others.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn index(&self, id: &str) -> Option<usize> {
        self.products.iter().position(|p| p.id == id)
    }

    fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.id == id)
    }

    /// The product a request names by platform id (a number or a numeric string).
    fn by_platform_id(&self, id: &Value) -> Option<usize> {
        let id = match id {
            Value::Number(n) => n.as_u64()?,
            Value::String(s) => s.trim().parse().ok()?,
            _ => return None,
        };
        self.products.iter().position(|p| p.variant_id == id)
    }

    /// The cart's value before discounts, and the discount its codes grant (5%).
    fn totals(&self, state: &State) -> (i64, i64) {
        let total: i64 = state
            .lines
            .iter()
            .map(|l| self.now(state, l.product).0 * i64::from(l.quantity))
            .sum();
        let discount = if state.applied.is_empty() {
            0
        } else {
            (total as f64 * 0.05).round() as i64
        };
        (total, discount)
    }

    /// What the store sells `product` at now, and whether it has stock.
    fn now(&self, state: &State, product: usize) -> (i64, bool) {
        state
            .now
            .get(&product)
            .copied()
            .unwrap_or((self.products[product].cents, true))
    }

    /// A product read's answer, after the product read faults.
    fn product_reply(&self, response: Response) -> Response {
        let state = self.lock();
        if let Some(status) = state.faults.fail_product_reads {
            return Response::json(status, &json!({ "message": "Service Unavailable" }));
        }
        let delay = state.faults.slow_product_reads;
        Response { delay, ..response }
    }

    /// Shopify's Ajax Product API answer for a product (`GET /products/<handle>.js`):
    /// prices in cents, one "Default Title" variant.
    fn shopify_product(&self, state: &State, product: usize) -> Value {
        let p = &self.products[product];
        let (cents, available) = self.now(state, product);
        json!({
            "id": p.product_id,
            "title": p.title,
            "handle": p.id,
            "description": "",
            "published_at": "2026-01-05T10:00:00-05:00",
            "created_at": "2026-01-05T10:00:00-05:00",
            "vendor": "Watchpost",
            "type": "",
            "tags": [],
            "price": cents,
            "price_min": cents,
            "price_max": cents,
            "available": available,
            "price_varies": false,
            "compare_at_price": null,
            "compare_at_price_min": 0,
            "compare_at_price_max": 0,
            "compare_at_price_varies": false,
            "variants": [{
                "id": p.variant_id,
                "title": "Default Title",
                "option1": "Default Title",
                "option2": null,
                "option3": null,
                "sku": p.sku,
                "requires_shipping": true,
                "taxable": true,
                "featured_image": null,
                "available": available,
                "name": p.title,
                "public_title": null,
                "options": ["Default Title"],
                "price": cents,
                "weight": 0,
                "compare_at_price": null,
                "inventory_management": "shopify",
                "barcode": "",
            }],
            "images": [],
            "featured_image": null,
            "options": ["Title"],
            "url": format!("/products/{}", p.id),
        })
    }

    /// A product of the Store API's `GET products` (a simple product).
    fn woo_product(&self, state: &State, product: usize) -> Value {
        let p = &self.products[product];
        let (cents, in_stock) = self.now(state, product);
        let mut prices = Self::woo_money(state);
        prices["price"] = Self::woo_amount(state, cents).into();
        prices["regular_price"] = Self::woo_amount(state, cents).into();
        prices["sale_price"] = Self::woo_amount(state, cents).into();
        prices["price_range"] = Value::Null;
        json!({
            "id": p.product_id,
            "name": p.title,
            "parent": 0,
            "type": "simple",
            "variation": "",
            "permalink": format!("/product/{}/", p.id),
            "sku": p.sku,
            "short_description": "",
            "description": "",
            "on_sale": false,
            "prices": prices,
            "price_html": "",
            "average_rating": "0",
            "review_count": 0,
            "images": [],
            "categories": [],
            "tags": [],
            "attributes": [],
            "variations": [],
            "has_options": false,
            "is_purchasable": true,
            "is_in_stock": in_stock,
            "is_on_backorder": false,
            "low_stock_remaining": null,
            "sold_individually": false,
            "add_to_cart": { "text": "Add to cart", "description": format!("Add “{}” to your cart", p.title) },
            "extensions": {},
        })
    }

    fn key(&self, product: usize) -> String {
        let p = &self.products[product];
        let hash = u128::from(p.variant_id).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835);
        match self.platform {
            Platform::Shopify => format!("{}:{:032x}", p.variant_id, hash),
            Platform::Woo => format!("{hash:032x}"),
        }
    }

    fn add(&self, state: &mut State, product: usize, quantity: u32) {
        match state.lines.iter_mut().find(|l| l.product == product) {
            Some(line) => line.quantity += quantity,
            None => state.lines.push(Line {
                product,
                quantity,
                key: self.key(product),
            }),
        }
    }

    fn handle(&self, request: &Request) -> Response {
        let recorded = Recorded {
            method: request.method.clone(),
            path: request.path.clone(),
            query: request.query.clone(),
            headers: request.headers.clone(),
            body: parse_body(request),
        };
        self.lock().log.push(recorded.clone());
        if let Some(response) = self.theme_file(request) {
            return response;
        }
        if recorded.path == page_path(self.platform) {
            return Response::new(200, "text/html; charset=utf-8", self.page.clone())
                .with_header("Cache-Control", "no-store");
        }
        if recorded.path == "/cartlift/config.json" {
            return Response::new(200, "application/json", self.config.clone());
        }
        if let (Some(bytes), "/cartlift/config.bin") = (&self.compiled, recorded.path.as_str()) {
            return Response::new(200, "application/octet-stream", bytes.clone());
        }
        let api = match self.platform {
            Platform::Shopify => self.shopify(&recorded),
            Platform::Woo => self.woo(&recorded),
        };
        api.unwrap_or_else(|| cartlift_demo::server::serve_file(&self.site, request))
    }

    /// A theme page or an extension asset, if the request is for one.
    fn theme_file(&self, request: &Request) -> Option<Response> {
        if let Some((_, file)) = self.theme.pages.iter().find(|(p, _)| *p == request.path) {
            let html = std::fs::read(file).unwrap_or_default();
            return Some(
                Response::new(200, "text/html; charset=utf-8", html)
                    .with_header("Cache-Control", "no-store"),
            );
        }
        let (prefix, dir) = self.theme.assets.as_ref()?;
        let name = request.path.strip_prefix(prefix.as_str())?;
        let inside = Request {
            method: request.method.clone(),
            path: format!("/{name}"),
            query: request.query.clone(),
            headers: request.headers.clone(),
            body: Vec::new(),
        };
        Some(cartlift_demo::server::serve_file(dir, &inside))
    }

    /// Applies the add faults: waits while adds are held, then maybe fails.
    fn add_fault(&self) -> Option<u16> {
        let mut state = self.lock();
        let deadline = Instant::now() + MAX_HOLD;
        while state.faults.hold_adds && Instant::now() < deadline {
            state = self
                .released
                .wait_timeout(state, Duration::from_millis(100))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        (!state.faults.fail_adds.is_empty()).then(|| state.faults.fail_adds.remove(0))
    }

    /// A cart read's answer, after the read faults: a failure, or `response` late.
    fn read_reply(&self, response: Response) -> Response {
        let mut state = self.lock();
        if !state.faults.fail_reads.is_empty() {
            let status = state.faults.fail_reads.remove(0);
            return Response::json(status, &json!({ "message": "Service Unavailable" }));
        }
        let delay = state.faults.slow_reads;
        Response { delay, ..response }
    }

    // ---- Shopify ---------------------------------------------------------------------

    fn shopify_line(&self, state: &State, line: &Line) -> Value {
        let p = &self.products[line.product];
        let cents = self.now(state, line.product).0;
        let total = cents * i64::from(line.quantity);
        json!({
            "id": p.variant_id,
            "properties": {},
            "quantity": line.quantity,
            "variant_id": p.variant_id,
            "key": line.key,
            "title": p.title,
            "price": cents,
            "original_price": cents,
            "discounted_price": cents,
            "line_price": total,
            "original_line_price": total,
            "total_discount": 0,
            "discounts": [],
            "sku": p.sku,
            "grams": 0,
            "vendor": "Watchpost",
            "taxable": true,
            "product_id": p.product_id,
            "product_has_only_default_variant": true,
            "gift_card": false,
            "final_price": cents,
            "final_line_price": total,
            "url": format!("/products/{}?variant={}", p.id, p.variant_id),
            "handle": p.id,
            "requires_shipping": true,
            "product_type": "",
            "product_title": p.title,
            "variant_title": null,
            "variant_options": ["Default Title"],
        })
    }

    fn shopify_cart(&self, state: &State) -> Value {
        let items: Vec<Value> = state
            .lines
            .iter()
            .map(|l| self.shopify_line(state, l))
            .collect();
        let (total, discount) = self.totals(state);
        let codes: Vec<Value> = state
            .applied
            .iter()
            .map(|code| json!({ "code": code, "applicable": true }))
            .collect();
        json!({
            "token": "c1-7f3e0a9b2d4c4e5f8a6b1c2d3e4f5a6b",
            "note": null,
            "attributes": state.attributes,
            "original_total_price": total,
            "total_price": total - discount,
            "total_discount": discount,
            "discount_codes": codes,
            "total_weight": 0,
            "item_count": state.lines.iter().map(|l| l.quantity).sum::<u32>(),
            "items": items,
            "requires_shipping": !state.lines.is_empty(),
            "currency": "USD",
            "items_subtotal_price": total,
            "cart_level_discount_applications": [],
        })
    }

    fn shopify_error(status: u16, description: &str) -> Response {
        Response::json(
            status,
            &json!({ "status": status, "message": "Cart Error", "description": description }),
        )
    }

    fn shopify(&self, r: &Recorded) -> Option<Response> {
        let path = r.path.trim_end_matches(".js");
        Some(match (r.method.as_str(), path) {
            ("GET", "/cart" | "/cart.json") if r.path != "/cart" => {
                let cart = self.shopify_cart(&self.lock());
                self.read_reply(Response::json(200, &cart))
            }
            ("POST", "/cart/add") => {
                // `{items:[{id, quantity}]}`, or one `{id, quantity}` (JSON or form).
                let wanted: Vec<&Value> = match r.body.get("items").and_then(Value::as_array) {
                    Some(items) => items.iter().collect(),
                    None => vec![&r.body],
                };
                let mut adds = Vec::new();
                for item in wanted {
                    let Some(product) = item.get("id").and_then(|id| self.by_platform_id(id))
                    else {
                        return Some(Self::shopify_error(422, "Cannot find variant"));
                    };
                    let quantity = item
                        .get("quantity")
                        .and_then(|q| q.as_u64().or_else(|| q.as_str()?.parse().ok()))
                        .unwrap_or(1) as u32;
                    adds.push((product, quantity));
                }
                if let Some(status) = self.add_fault() {
                    return Some(Self::shopify_error(
                        status,
                        "The cart could not be updated. Please try again.",
                    ));
                }
                let mut state = self.lock();
                if let Some((p, _)) = adds.iter().find(|(p, _)| !self.now(&state, *p).1) {
                    let title = &self.products[*p].title;
                    return Some(Self::shopify_error(
                        422,
                        &format!("The product '{title}' is already sold out."),
                    ));
                }
                let mut added = Vec::new();
                for (product, quantity) in adds {
                    self.add(&mut state, product, quantity);
                    if let Some(line) = state.lines.iter().find(|l| l.product == product) {
                        added.push(self.shopify_line(&state, line));
                    }
                }
                Response::json(200, &json!({ "items": added }))
            }
            ("POST", "/cart/change") => {
                let mut state = self.lock();
                let quantity = r.body.get("quantity").and_then(Value::as_u64).unwrap_or(1) as u32;
                let index = match (r.body.get("id"), r.body.get("line")) {
                    (Some(Value::String(key)), _) if key.contains(':') => {
                        state.lines.iter().position(|l| &l.key == key)
                    }
                    (Some(id), _) => self
                        .by_platform_id(id)
                        .and_then(|p| state.lines.iter().position(|l| l.product == p)),
                    (None, Some(line)) => line
                        .as_u64()
                        .and_then(|n| (n as usize).checked_sub(1))
                        .filter(|i| *i < state.lines.len()),
                    (None, None) => None,
                };
                let Some(index) = index else {
                    return Some(Self::shopify_error(
                        400,
                        "no valid id or line parameter in request",
                    ));
                };
                if quantity == 0 {
                    state.lines.remove(index);
                } else {
                    state.lines[index].quantity = quantity;
                }
                Response::json(200, &self.shopify_cart(&state))
            }
            ("GET", _) if r.path.starts_with("/products/") && r.path.ends_with(".js") => {
                let handle = &path["/products/".len()..];
                let state = self.lock();
                let response = match self.index(handle) {
                    Some(p) => Response::json(200, &self.shopify_product(&state, p)),
                    None => {
                        Response::json(404, &json!({ "status": 404, "description": "Not Found" }))
                    }
                };
                drop(state);
                self.product_reply(response)
            }
            ("POST", "/cart/update") => {
                // `{attributes: {name: value}}`: merged into the cart's (a blank value
                // removes one). `{discount: "CODE"}`: the codes the cart should have
                // (comma-separated); one the store does not know stays listed as not
                // applicable. Either, both or neither, as Shopify takes them.
                let mut state = self.lock();
                if let Some(attributes) = r.body.get("attributes").and_then(Value::as_object) {
                    for (name, value) in attributes {
                        let value = match value {
                            Value::String(s) => s.clone(),
                            Value::Null => String::new(),
                            other => other.to_string(),
                        };
                        if value.is_empty() {
                            state.attributes.remove(name);
                        } else {
                            state.attributes.insert(name.clone(), value);
                        }
                    }
                }
                let mut refused = Vec::new();
                let asked = r.body.get("discount").and_then(Value::as_str);
                if asked.is_some() {
                    state.applied.clear();
                }
                for code in asked
                    .unwrap_or("")
                    .split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                {
                    if state.codes.iter().any(|c| c.eq_ignore_ascii_case(code)) {
                        state.applied.push(code.to_owned());
                    } else {
                        refused.push(json!({ "code": code, "applicable": false }));
                    }
                }
                let mut cart = self.shopify_cart(&state);
                if let Some(codes) = cart["discount_codes"].as_array_mut() {
                    codes.extend(refused);
                }
                Response::json(200, &cart)
            }
            ("POST", "/cart/clear") => {
                let mut state = self.lock();
                state.lines.clear();
                Response::json(200, &self.shopify_cart(&state))
            }
            _ => return None,
        })
    }

    // ---- WooCommerce -----------------------------------------------------------------

    /// Cents as a Store API amount string with the store's decimals ("7900", or "79").
    fn woo_amount(state: &State, cents: i64) -> String {
        let scale = 10f64.powi(2 - state.decimals as i32);
        ((cents as f64 / scale).round() as i64).to_string()
    }

    fn woo_money(state: &State) -> Value {
        json!({
            "currency_code": "USD",
            "currency_symbol": "$",
            "currency_minor_unit": state.decimals,
            "currency_decimal_separator": ".",
            "currency_thousand_separator": ",",
            "currency_prefix": "$",
            "currency_suffix": "",
        })
    }

    fn woo_line(&self, state: &State, line: &Line) -> Value {
        let p = &self.products[line.product];
        let cents = self.now(state, line.product).0;
        let price = Self::woo_amount(state, cents);
        let total = Self::woo_amount(state, cents * i64::from(line.quantity));
        let mut prices = Self::woo_money(state);
        prices["price"] = price.clone().into();
        prices["regular_price"] = price.clone().into();
        prices["sale_price"] = price.into();
        prices["price_range"] = Value::Null;
        prices["raw_prices"] = json!({
            "precision": 6,
            "price": (cents * 10_000).to_string(),
            "regular_price": (cents * 10_000).to_string(),
            "sale_price": (cents * 10_000).to_string(),
        });
        json!({
            "key": line.key,
            "id": p.product_id,
            "type": "simple",
            "quantity": line.quantity,
            "quantity_limits": { "minimum": 1, "maximum": 9999, "multiple_of": 1, "editable": true },
            "name": p.title,
            "short_description": "",
            "description": "",
            "sku": p.sku,
            "low_stock_remaining": null,
            "backorders_allowed": false,
            "show_backorder_badge": false,
            "sold_individually": false,
            "permalink": format!("/product/{}/", p.id),
            "images": [],
            "variation": [],
            "item_data": [],
            "prices": prices,
            "totals": {
                "line_subtotal": total,
                "line_subtotal_tax": "0",
                "line_total": total,
                "line_total_tax": "0",
                "currency_code": "USD",
                "currency_symbol": "$",
                "currency_minor_unit": state.decimals,
                "currency_decimal_separator": ".",
                "currency_thousand_separator": ",",
                "currency_prefix": "$",
                "currency_suffix": "",
            },
            "catalog_visibility": "visible",
            "extensions": {},
        })
    }

    fn woo_cart(&self, state: &State) -> Value {
        let (total, discount) = self.totals(state);
        let mut totals = Self::woo_money(state);
        totals["total_items"] = Self::woo_amount(state, total).into();
        totals["total_price"] = Self::woo_amount(state, total - discount).into();
        totals["total_discount"] = Self::woo_amount(state, discount).into();
        let coupons: Vec<Value> = state
            .applied
            .iter()
            .map(|code| {
                let mut coupon_totals = Self::woo_money(state);
                coupon_totals["total_discount"] = Self::woo_amount(state, discount).into();
                coupon_totals["total_discount_tax"] = "0".into();
                json!({ "code": code.to_lowercase(), "discount_type": "percent", "totals": coupon_totals })
            })
            .collect();
        for field in [
            "total_items_tax",
            "total_fees",
            "total_fees_tax",
            "total_discount_tax",
            "total_shipping",
            "total_shipping_tax",
            "total_tax",
        ] {
            totals[field] = "0".into();
        }
        json!({
            "items": state.lines.iter().map(|l| self.woo_line(state, l)).collect::<Vec<_>>(),
            "coupons": coupons,
            "fees": [],
            "totals": totals,
            "shipping_address": {},
            "billing_address": {},
            "needs_payment": !state.lines.is_empty(),
            "needs_shipping": !state.lines.is_empty(),
            "payment_requirements": ["products"],
            "has_calculated_shipping": false,
            "shipping_rates": [],
            "items_count": state.lines.iter().map(|l| l.quantity).sum::<u32>(),
            "items_weight": 0,
            "cross_sells": [],
            "errors": [],
            "payment_methods": ["cod"],
            "extensions": {},
        })
    }

    /// Every Store API response carries a fresh nonce and the cart token.
    fn woo_reply(&self, status: u16, body: &Value) -> Response {
        let nonce = self.lock().nonce.clone();
        Response::json(status, body)
            .with_header("Nonce", &nonce)
            .with_header("Nonce-Timestamp", "1767225600")
            .with_header("User-ID", "0")
            .with_header(
                "Cart-Token",
                "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.fake.cart-token",
            )
            .with_header("Cart-Hash", "0d4f1e3c2b5a69788796a5b4c3d2e1f0")
    }

    fn woo_error(&self, status: u16, code: &str, message: &str) -> Response {
        self.woo_reply(
            status,
            &json!({ "code": code, "message": message, "data": { "status": status } }),
        )
    }

    fn woo(&self, r: &Recorded) -> Option<Response> {
        if r.method == "POST" && r.path == "/" && r.query.contains("wc-ajax=add_to_cart") {
            // The classic theme's AJAX add (no nonce), answered with fragments.
            let product = r
                .body
                .get("product_id")
                .and_then(|id| self.by_platform_id(id))?;
            let quantity = r
                .body
                .get("quantity")
                .and_then(|q| q.as_str()?.parse().ok())
                .unwrap_or(1);
            let mut state = self.lock();
            self.add(&mut state, product, quantity);
            return Some(Response::json(
                200,
                &json!({ "fragments": { "div.widget_shopping_cart_content": "<div class=\"widget_shopping_cart_content\"></div>" }, "cart_hash": "0d4f1e3c2b5a69788796a5b4c3d2e1f0" }),
            ));
        }
        let route = r.path.strip_prefix("/wp-json/wc/store/v1/")?;
        Some(match (r.method.as_str(), route) {
            ("GET", "cart") => {
                let cart = self.woo_cart(&self.lock());
                self.read_reply(self.woo_reply(200, &cart))
            }
            ("GET", "products") => {
                // `include=1,2,3` (comma-separated ids), as the Store API takes an array.
                let include: Vec<u64> = r
                    .query
                    .split('&')
                    .filter_map(|kv| kv.strip_prefix("include="))
                    .flat_map(|list| list.split([',', '%']).map(|n| n.trim_start_matches("2C")))
                    .filter_map(|n| n.parse().ok())
                    .collect();
                let state = self.lock();
                let products: Vec<Value> = (0..self.products.len())
                    .filter(|&p| include.contains(&self.products[p].product_id))
                    .map(|p| self.woo_product(&state, p))
                    .collect();
                drop(state);
                self.product_reply(self.woo_reply(200, &Value::Array(products)))
            }
            (
                "POST",
                "cart/add-item" | "cart/remove-item" | "cart/update-item" | "cart/apply-coupon",
            ) => {
                let sent = r
                    .header("nonce")
                    .or_else(|| r.header("x-wc-store-api-nonce"))
                    .unwrap_or_default();
                if sent.is_empty() {
                    return Some(self.woo_error(
                        401,
                        "woocommerce_rest_missing_nonce",
                        "Missing the Nonce header. This endpoint requires a valid nonce.",
                    ));
                }
                if sent != self.lock().nonce {
                    return Some(self.woo_error(
                        403,
                        "woocommerce_rest_invalid_nonce",
                        "Nonce is invalid.",
                    ));
                }
                if route == "cart/add-item" {
                    self.woo_add(r)
                } else if route == "cart/apply-coupon" {
                    self.woo_coupon(r)
                } else {
                    self.woo_change(r, route == "cart/remove-item")
                }
            }
            _ => self.woo_error(
                404,
                "rest_no_route",
                "No route was found matching the URL and request method.",
            ),
        })
    }

    fn woo_add(&self, r: &Recorded) -> Response {
        let Some(product) = r.body.get("id").and_then(|id| self.by_platform_id(id)) else {
            return self.woo_error(
                400,
                "woocommerce_rest_cart_invalid_product",
                "This product cannot be added to the cart.",
            );
        };
        let quantity = r.body.get("quantity").and_then(Value::as_u64).unwrap_or(1) as u32;
        if let Some(status) = self.add_fault() {
            return self.woo_error(
                status,
                "internal_server_error",
                "There has been a critical error on this website.",
            );
        }
        let mut state = self.lock();
        if !self.now(&state, product).1 {
            let title = self.products[product].title.clone();
            drop(state);
            return self.woo_error(
                400,
                "woocommerce_rest_product_out_of_stock",
                &format!("You cannot add &quot;{title}&quot; to the cart because the product is out of stock."),
            );
        }
        self.add(&mut state, product, quantity);
        let cart = self.woo_cart(&state);
        drop(state);
        self.woo_reply(201, &cart)
    }

    /// `POST cart/apply-coupon` `{code}`: the cart with the coupon, or 400
    /// `woocommerce_rest_cart_coupon_error` for a code the store does not have.
    fn woo_coupon(&self, r: &Recorded) -> Response {
        let code = r.body.get("code").and_then(Value::as_str).unwrap_or("");
        let mut state = self.lock();
        if !state.codes.iter().any(|c| c.eq_ignore_ascii_case(code)) {
            drop(state);
            return self.woo_error(
                400,
                "woocommerce_rest_cart_coupon_error",
                &format!("Coupon \"{}\" does not exist!", code.to_lowercase()),
            );
        }
        state.applied.push(code.to_owned());
        let cart = self.woo_cart(&state);
        drop(state);
        self.woo_reply(200, &cart)
    }

    fn woo_change(&self, r: &Recorded, remove: bool) -> Response {
        let mut state = self.lock();
        let key = r
            .body
            .get("key")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(index) = state.lines.iter().position(|l| l.key == key) else {
            drop(state);
            return self.woo_error(
                409,
                "woocommerce_rest_cart_invalid_key",
                "Cart item no longer exists or is invalid.",
            );
        };
        let quantity = r.body.get("quantity").and_then(Value::as_u64);
        match quantity {
            Some(q) if !remove && q > 0 => state.lines[index].quantity = q as u32,
            _ => {
                state.lines.remove(index);
            }
        }
        let cart = self.woo_cart(&state);
        drop(state);
        self.woo_reply(200, &cart)
    }
}

fn parse_body(request: &Request) -> Value {
    if request.body.is_empty() {
        return Value::Null;
    }
    let form = request
        .header("content-type")
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if form {
        let fields: serde_json::Map<String, Value> = url::form_urlencoded::parse(&request.body)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect();
        return Value::Object(fields);
    }
    serde_json::from_slice(&request.body).unwrap_or(Value::Null)
}

/// Records every product id a placement paints, sampled once a frame (before paint), so a
/// suggestion that shows only for a moment is still seen.
const PAINT_RECORDER: &str = r#"<script>
  window.__painted = [];
  const sample = () => {
    for (const el of document.querySelectorAll('cartlift-suggestions')) {
      for (const c of el.shadowRoot ? el.shadowRoot.querySelectorAll('[data-product]') : []) {
        const seen = `${el.getAttribute('placement')}:${c.dataset.product}`;
        if (!window.__painted.includes(seen)) window.__painted.push(seen);
      }
    }
    requestAnimationFrame(sample);
  };
  requestAnimationFrame(sample);
</script>"#;

/// The storefront's product page, embedding the widget as a theme would.
fn page(platform: Platform, products: &[Product], config_url: &str) -> Result<String> {
    let p = products
        .iter()
        .find(|p| p.id == PAGE_PRODUCT)
        .ok_or_else(|| anyhow!("{PAGE_PRODUCT} is not in the catalog"))?;
    let (cart, theme) = match platform {
        Platform::Shopify => ("shopify", SHOPIFY_THEME),
        Platform::Woo => ("woocommerce", WOO_THEME),
    };
    Ok(format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – Watchpost Security Supply</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/css/store.css">
{PAINT_RECORDER}
<script type="module" src="/cartlift/cartlift.js" data-config="{config_url}" data-cart="{cart}"></script>
</head>
<body>
<main>
  <h1>{title}</h1>
  <button id="theme-add" type="button" data-id="{id}">Add to cart</button>
  <cartlift-suggestions placement="product" product="{handle}"></cartlift-suggestions>
  <h2>Your cart</h2>
  <cartlift-suggestions placement="cart"></cartlift-suggestions>
</main>
<script type="module">{theme}</script>
</body>
</html>
"#,
        title = p.title,
        id = p.variant_id,
        handle = p.id,
    ))
}

/// The Shopify theme's cart calls: `fetch` for adds (as Dawn does), XHR for changes (as
/// older jQuery themes do).
const SHOPIFY_THEME: &str = r#"
const json = (r) => r.json().then((body) => (r.ok ? body : Promise.reject(new Error(body.description))));
window.theme = {
  add: (id, quantity = 1) => fetch('/cart/add.js', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' },
    body: JSON.stringify({ items: [{ id, quantity }] }),
  }).then(json),
  change: (id, quantity) => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/cart/change.js');
    xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.onload = () => resolve(JSON.parse(xhr.responseText));
    xhr.onerror = reject;
    xhr.send(JSON.stringify({ id, quantity }));
  }),
};
document.getElementById('theme-add').addEventListener('click', (e) => theme.add(Number(e.target.dataset.id)));
"#;

/// The WooCommerce theme's cart calls: the block theme's Store API `fetch` with the nonce
/// the page was rendered with (renewed from responses), and the classic theme's
/// `?wc-ajax=add_to_cart` XHR.
const WOO_THEME: &str = r#"
let nonce = null;
const api = (path, init = {}) => fetch(`/wp-json/wc/store/v1/${path}`, {
  ...init,
  headers: { 'Content-Type': 'application/json', ...(nonce ? { Nonce: nonce } : {}) },
}).then((r) => {
  nonce = r.headers.get('Nonce') || nonce;
  return r.json().then((body) => (r.ok ? body : Promise.reject(new Error(body.code))));
});
window.theme = {
  // The theme's own first read (a failure here is the theme's to show).
  ready: api('cart').catch(() => null),
  add: (id, quantity = 1) => api('cart/add-item', { method: 'POST', body: JSON.stringify({ id, quantity }) }),
  remove: (key) => api('cart/remove-item', { method: 'POST', body: JSON.stringify({ key }) }),
  ajaxAdd: (id, quantity = 1) => new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/?wc-ajax=add_to_cart');
    xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
    xhr.onload = () => resolve(JSON.parse(xhr.responseText));
    xhr.onerror = reject;
    xhr.send(`product_id=${id}&quantity=${quantity}`);
  }),
};
document.getElementById('theme-add').addEventListener('click', (e) => theme.add(Number(e.target.dataset.id)));
"#;

/// `$CARTLIFT_SITE`, checked to hold the built widget.
fn site_dir() -> Result<PathBuf> {
    let dir = std::env::var_os("CARTLIFT_SITE")
        .map(PathBuf::from)
        .ok_or_else(|| {
            anyhow!("CARTLIFT_SITE is not set: run the end-to-end tests with `cargo xtask test`")
        })?;
    if !dir.join("cartlift/cartlift_widget_bg.wasm").is_file() {
        bail!(
            "{} holds no built widget: run `cargo xtask test`",
            dir.display()
        );
    }
    Ok(dir)
}
