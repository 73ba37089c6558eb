//! What every cart adapter shares: the [`CartAdapter`] trait, what a shopper asks of a
//! cart ([`CartRequest`]) and what comes of it, the [`CartEvents`] the platform adapters
//! report through, and the mapping of a platform's cart line to a catalog product.

use crate::WidgetError;
use cartlift_engine::live::LiveProduct;
use cartlift_engine::{BasketLine, Config, Placement};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

/// One product to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Catalog id.
    pub product: String,
    /// Variant id, if the product has variants.
    pub variant: Option<String>,
    /// Units to add.
    pub quantity: u32,
}

impl Item {
    /// As events show it: `{id, variant, quantity}`.
    pub(crate) fn build<B: crate::js_value::Build>(&self) -> B {
        B::object(&[
            ("id", B::string(&self.product)),
            ("variant", B::text_or_null(self.variant.as_deref())),
            ("quantity", B::number(f64::from(self.quantity))),
        ])
    }
}

/// One change a shopper asked for: add these items (a card, a bundle), optionally in place
/// of a basket line (an upgrade "Switch").
#[derive(Clone, Debug, PartialEq)]
pub struct CartRequest {
    /// What to add, in order.
    pub items: Vec<Item>,
    /// Catalog id of a basket line to remove once the items are in (upgrade switch).
    pub replaces: Option<String>,
    /// The placement the click came from.
    pub placement: Placement,
    /// Ids of the rules behind the suggestion(s).
    pub rules: Vec<String>,
    /// A whole bundle at the store's bundle price: how the store grants the saving, which
    /// the adapter applies (a code) and then checks in the cart.
    pub discount: Option<Discount>,
    /// The shopper's side of the holdout, for the store's records (set by the add button
    /// from its placement's events' context).
    pub attribution: Option<Attribution>,
}

/// Who the widget served, as the store's order records keep it: the Shopify adapter writes
/// it into the cart's attributes (`_cartlift_bucket`, `_cartlift_experiment`), which reach
/// the order and the orders export, so `cartlift report` can compare the buckets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribution {
    /// The shopper's side of the holdout split.
    pub bucket: cartlift_engine::shopper::Bucket,
    /// The holdout's experiment name, if the store runs one.
    pub experiment: Option<String>,
}

/// How the store grants the bundle discount (`store.bundle_discount_code`,
/// `store.bundle_discount_automatic`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Discount {
    /// A discount code the adapter applies after the add.
    Code(String),
    /// The store applies it by itself; the adapter only checks.
    Automatic,
}

impl Discount {
    /// What the config says, if it promises a bundle price.
    pub fn of(store: &cartlift_engine::config::Store) -> Option<Discount> {
        store.bundle_discount_percent?;
        match &store.bundle_discount_code {
            Some(code) => Some(Discount::Code(code.clone())),
            None => store
                .bundle_discount_automatic
                .then_some(Discount::Automatic),
        }
    }

    /// The code, if there is one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Discount::Code(code) => Some(code),
            Discount::Automatic => None,
        }
    }
}

/// What became of a request the cart accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddOutcome {
    /// The cart confirmed it.
    Added,
    /// The cart took the items but not the bundle discount: why (the code was refused,
    /// the cart shows no discount).
    AddedWithoutDiscount(String),
    /// The page cancelled the `cartlift:add-to-cart` event: it took over, nothing to confirm.
    Cancelled,
}

/// A request the cart did not (fully) accept.
#[derive(Debug)]
pub struct CartFailure {
    /// How many of the request's items the cart did take (a retry skips them).
    pub done: usize,
    /// What went wrong.
    pub error: WidgetError,
}

impl CartFailure {
    pub(super) fn new(done: usize, message: impl Into<String>) -> Self {
        CartFailure {
            done,
            error: WidgetError::AddToCart(message.into()),
        }
    }
}

/// A boxed future, since adapters are trait objects.
pub type CartFuture = Pin<Box<dyn Future<Output = Result<AddOutcome, CartFailure>>>>;

/// What a live read found: each catalog id the store answered for, with what it says of
/// it now (ids it did not answer for keep the config's figures).
pub type LiveFuture = Pin<Box<dyn Future<Output = Result<Vec<(String, LiveProduct)>, String>>>>;

/// A live read that takes longer than this is given up: the placements show the config's
/// figures rather than keep the shopper waiting.
pub const LIVE_TIMEOUT_MS: u32 = 800;

/// A store cart the widget can add to.
pub trait CartAdapter {
    /// Applies the request; resolves once the cart has confirmed (or refused) it.
    fn apply(&self, request: CartRequest) -> CartFuture;

    /// Starts reporting the cart's contents (now and after every change the adapter can
    /// see). The `js` cart needs nothing: the page calls `setBasket`.
    fn watch(self: Rc<Self>) {}

    /// Re-reads the cart (something changed it); a no-op for the `js` cart.
    fn refresh(self: Rc<Self>) {}

    /// Reads what the store says now of these catalog products (price, stock, the variant
    /// an add adds), within [`LIVE_TIMEOUT_MS`]; `None` when this cart cannot (the `js`
    /// cart with no `cartlift.onProducts` handler).
    fn live(&self, config: Rc<Config>, ids: Vec<String>) -> Option<LiveFuture> {
        let _ = (config, ids);
        None
    }
}

/// What a platform adapter learned about the cart.
#[derive(Clone, Debug, PartialEq)]
pub enum CartNews {
    /// The cart holds these lines (catalog ids where they match the config).
    Lines(Vec<BasketLine>),
    /// The cart could not be read (after the retries).
    Unreadable,
}

/// How a platform adapter talks back: where its news goes, and where it gets the config
/// it maps cart lines to catalog products with (a sharded config grows as shards arrive).
#[derive(Clone)]
pub struct CartEvents {
    report: Rc<dyn Fn(CartNews)>,
    config: Rc<dyn Fn() -> Option<Rc<Config>>>,
    attribution: Rc<dyn Fn() -> Option<Attribution>>,
}

impl CartEvents {
    /// News go to `report`; the config is `config()` (`None` while it loads), the
    /// shopper's bucket `attribution()` (`None` until it is known).
    pub fn new(
        report: impl Fn(CartNews) + 'static,
        config: impl Fn() -> Option<Rc<Config>> + 'static,
        attribution: impl Fn() -> Option<Attribution> + 'static,
    ) -> Self {
        CartEvents {
            report: Rc::new(report),
            config: Rc::new(config),
            attribution: Rc::new(attribution),
        }
    }

    #[cfg_attr(not(feature = "shopify"), allow(dead_code))]
    pub(super) fn attribution(&self) -> Option<Attribution> {
        (self.attribution)()
    }

    #[cfg_attr(
        not(any(feature = "shopify", feature = "woocommerce")),
        allow(dead_code)
    )]
    pub(super) fn report(&self, news: CartNews) {
        (self.report)(news);
    }

    #[cfg_attr(
        not(any(feature = "shopify", feature = "woocommerce")),
        allow(dead_code)
    )]
    pub(super) fn config(&self) -> Option<Rc<Config>> {
        (self.config)()
    }
}

impl std::fmt::Debug for CartEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CartEvents")
    }
}

/// Maps a platform cart line to a catalog product: the first candidate id (SKU, handle,
/// product id, variant id, …) that is a catalog product or one of its variants. Lines
/// that match nothing keep their first id: they still count towards the basket value.
#[cfg_attr(
    not(any(feature = "shopify", feature = "woocommerce")),
    allow(dead_code)
)]
pub(crate) fn basket_line(
    config: &Config,
    candidates: &[Option<String>],
    quantity: u32,
    unit_price: Option<cartlift_engine::Money>,
) -> Option<BasketLine> {
    let ids: Vec<&str> = candidates
        .iter()
        .flatten()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    let first = ids.first()?;
    let (product, variant) = ids
        .iter()
        .find_map(|id| {
            if config.product_by_id(id).is_some() {
                return Some((id.to_string(), None));
            }
            config
                .products()
                .iter()
                .find(|p| p.variants.iter().any(|v| v.id == *id))
                .map(|p| (p.id.clone(), Some(id.to_string())))
        })
        .unwrap_or_else(|| (first.to_string(), None));
    Some(BasketLine {
        product,
        variant,
        quantity: quantity.max(1),
        price: unit_price,
    })
}

/// The entry of a platform cart's list of discount codes (Shopify's `discount_codes`,
/// WooCommerce's `coupons`) whose `code` is `code`, in any case (both platforms treat
/// codes case-insensitively, and WooCommerce lower-cases them).
#[cfg_attr(
    not(any(feature = "shopify", feature = "woocommerce")),
    allow(dead_code)
)]
pub(crate) fn code_entry<V: crate::js_value::Value>(cart: &V, list: &str, code: &str) -> Option<V> {
    cart.get(list)?.elements()?.into_iter().find(|c| {
        c.get("code")
            .and_then(|v| v.string())
            .is_some_and(|s| s.eq_ignore_ascii_case(code))
    })
}

/// An amount in minor units as platforms write it: a number (Shopify's cents), or one
/// written as a string (WooCommerce's Store API: "1800"). Read with `str::parse::<i64>`
/// rather than a float reader, which the small builds do not otherwise carry.
#[cfg_attr(
    not(any(feature = "shopify", feature = "woocommerce")),
    allow(dead_code)
)]
pub(crate) fn minor(value: &impl crate::js_value::Value) -> Option<i64> {
    value
        .number()
        .map(|n| n.round() as i64)
        .or_else(|| value.string()?.trim().parse::<i64>().ok())
}

impl CartRequest {
    /// Adding one card's product.
    pub fn single(card: &crate::view::Card, placement: Placement) -> Self {
        CartRequest {
            items: vec![Item {
                product: card.id.clone(),
                variant: card.variant.clone(),
                quantity: 1,
            }],
            replaces: None,
            placement,
            rules: card.rules.clone(),
            discount: None,
            attribution: None,
        }
    }
}
