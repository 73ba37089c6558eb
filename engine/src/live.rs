//! What the store says about a product right now, read on the page (the widget's platform
//! adapters, or the page's `cartlift.onProducts`): its price, "was" price, stock and the
//! variant an add adds. A config is a snapshot taken when the owner ran `cartlift catalog`;
//! these are the facts of this page view.
//!
//! The engine takes them through [`Context::live`](crate::Context) and uses them in place of
//! the config's figures wherever it decides or prices, through one merge,
//! [`Config::offer`]: a sold-out product is never suggested (the next candidate takes its
//! place), and bundle totals, upgrade differences, free-shipping gaps and the cards' prices
//! are the store's current ones. A product with no live entry keeps the config's figures.
//!
//! ```
//! use cartlift_engine::live::{Live, LiveProduct};
//! use cartlift_engine::{Config, Context, Money, Placement};
//!
//! let config = Config::from_json(r#"{"version": 1, "store": {"currency": "USD"},
//!   "catalog": [{"id": "cam", "title": "Camera", "price": 89},
//!               {"id": "cable", "title": "Cable", "price": 12},
//!               {"id": "mount", "title": "Mount", "price": 15}],
//!   "rules": [{"kind": "bought_together", "id": "r", "antecedent": ["cam"],
//!              "consequent": ["cable", "mount"], "confidence": 0.4}]}"#)?;
//! let mut live = Live::default();
//! live.insert("cable", LiveProduct { price: Money(9_00), compare_at_price: None, in_stock: false, variant: None });
//! live.insert("mount", LiveProduct { price: Money(14_00), compare_at_price: Some(Money(15_00)), in_stock: true, variant: Some("4410".into()) });
//! let ctx = Context::new(Placement::Product, 0).product("cam").live(&live);
//! let recs = config.recommend(&ctx);
//! // The cable sold out since the config was built: the mount takes its place, at today's price.
//! let ids: Vec<_> = recs.cross_sells.iter().map(|s| config.product(s.product).id.as_str()).collect();
//! assert_eq!(ids, ["mount"]);
//! let mount = config.offer(&live, recs.cross_sells[0].product);
//! assert_eq!((mount.price, mount.variant), (Money(14_00), Some("4410")));
//! # Ok::<(), cartlift_engine::ConfigError>(())
//! ```

use crate::{Config, Money, ProductIdx};

/// One product as the store has it now.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveProduct {
    /// The price of what an add adds.
    pub price: Money,
    /// The struck-through "was" price, when above `price`.
    pub compare_at_price: Option<Money>,
    /// It can be bought.
    pub in_stock: bool,
    /// The platform's id of the variant an add adds (Shopify's variant id, a WooCommerce
    /// product or variation id), when the store said it.
    pub variant: Option<String>,
}

/// Live facts of a page view, by catalog id.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Live {
    /// Sorted by id.
    entries: Vec<(String, LiveProduct)>,
}

/// No live facts: every product keeps the config's figures.
pub static NONE: Live = Live {
    entries: Vec::new(),
};

impl Live {
    /// Records (or replaces) what the store says of product `id`.
    pub fn insert(&mut self, id: &str, product: LiveProduct) {
        match self.entries.binary_search_by(|(k, _)| k.as_str().cmp(id)) {
            Ok(i) => self.entries[i].1 = product,
            Err(i) => self.entries.insert(i, (id.to_owned(), product)),
        }
    }

    /// What the store says of product `id`, if it was read.
    pub fn get(&self, id: &str) -> Option<&LiveProduct> {
        if self.entries.is_empty() {
            return None;
        }
        self.entries
            .binary_search_by(|(k, _)| k.as_str().cmp(id))
            .ok()
            .map(|i| &self.entries[i].1)
    }

    /// Every entry, by id.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &LiveProduct)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Nothing was read.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// What adding a product adds and costs: the config's figures, or the store's live ones.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Offer<'a> {
    /// The price of what an add adds.
    pub price: Money,
    /// The "was" price, only when above `price`.
    pub compare_at_price: Option<Money>,
    /// It can be bought.
    pub in_stock: bool,
    /// The variant an add adds, if any.
    pub variant: Option<&'a str>,
}

impl Config {
    /// Product `p` as an add would buy it now: `live`'s figures where the store said them,
    /// else the config's (its first variant in stock, and that variant's price). A live
    /// entry without a variant keeps the config's default variant.
    #[inline(never)]
    pub fn offer<'a>(&'a self, live: &'a Live, p: ProductIdx) -> Offer<'a> {
        let product = self.product(p);
        let variant = product.default_variant();
        match live.get(&product.id) {
            Some(l) => Offer {
                price: l.price,
                compare_at_price: l.compare_at_price.filter(|&was| was > l.price),
                in_stock: l.in_stock,
                variant: l.variant.as_deref().or(variant.map(|v| v.id.as_str())),
            },
            None => Offer {
                price: variant.map_or(product.price, |v| v.price),
                compare_at_price: product.compare_at_price,
                in_stock: self.stock[p.get()],
                variant: variant.map(|v| v.id.as_str()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BasketLine, Context, Placement};

    fn config() -> Config {
        Config::from_json(
            r#"{"version": 1, "store": {"currency": "USD", "free_shipping_threshold": 100,
                "bundle_discount_percent": 10, "bundle_discount_automatic": true},
              "catalog": [
                {"id": "cam", "title": "Camera", "price": 89},
                {"id": "cam-pro", "title": "Camera Pro", "price": 129},
                {"id": "cable", "title": "Cable", "price": 12,
                 "variants": [{"id": "c-1", "title": "1 m", "price": 12}]},
                {"id": "mount", "title": "Mount", "price": 15, "in_stock": false}],
              "rules": [
                {"kind": "bought_together", "id": "bt", "antecedent": ["cam"],
                 "consequent": ["cable", "mount"], "confidence": 0.4},
                {"kind": "upgrade", "id": "up", "from": ["cam"], "to": "cam-pro"},
                {"kind": "threshold", "id": "fs", "suggest": {"products": ["cable", "mount"]}}]}"#,
        )
        .unwrap()
    }

    fn live(price: i64, in_stock: bool) -> LiveProduct {
        LiveProduct {
            price: Money(price),
            compare_at_price: None,
            in_stock,
            variant: None,
        }
    }

    fn idx(config: &Config, id: &str) -> ProductIdx {
        config.product_idx(id).unwrap()
    }

    #[test]
    fn without_live_facts_the_offer_is_the_configs() {
        let config = config();
        let cable = config.offer(&NONE, idx(&config, "cable"));
        assert_eq!(
            (cable.price, cable.in_stock, cable.variant),
            (Money(12_00), true, Some("c-1"))
        );
        assert!(!config.offer(&NONE, idx(&config, "mount")).in_stock);
    }

    #[test]
    fn live_facts_replace_price_stock_and_variant() {
        let config = config();
        let mut l = Live::default();
        l.insert("mount", live(13_00, true));
        l.insert("cable", live(11_00, false));
        let mount = config.offer(&l, idx(&config, "mount"));
        assert_eq!((mount.price, mount.in_stock), (Money(13_00), true));
        // No live variant: the config's stays what an add adds.
        assert_eq!(config.offer(&l, idx(&config, "cable")).variant, Some("c-1"));
        // A "was" price at or below the price is not shown.
        l.insert(
            "cam",
            LiveProduct {
                compare_at_price: Some(Money(80_00)),
                ..live(85_00, true)
            },
        );
        assert_eq!(config.offer(&l, idx(&config, "cam")).compare_at_price, None);
    }

    #[test]
    fn a_product_sold_out_since_is_not_suggested_and_one_back_in_stock_is() {
        let config = config();
        let ids = |l: &Live| -> Vec<String> {
            let recs =
                config.recommend(&Context::new(Placement::Product, 0).product("cam").live(l));
            recs.cross_sells
                .iter()
                .map(|s| config.product(s.product).id.clone())
                .collect()
        };
        assert_eq!(ids(&NONE), ["cable"]);
        let mut l = Live::default();
        l.insert("cable", live(12_00, false));
        l.insert("mount", live(15_00, true));
        assert_eq!(ids(&l), ["mount"]);
    }

    #[test]
    fn bundle_upgrade_and_free_shipping_use_live_prices() {
        let config = config();
        let mut l = Live::default();
        l.insert("cam", live(79_00, true));
        l.insert("cable", live(10_00, true));
        l.insert("cam-pro", live(99_00, true));
        let ctx = Context::new(Placement::Product, 0).product("cam").live(&l);
        let recs = config.recommend(&ctx);
        let bundle = recs.bundle.unwrap();
        assert_eq!(bundle.price.total, Money(89_00));
        assert_eq!(bundle.price.discounted, Some(Money(80_10)));
        assert_eq!(recs.upgrades[0].price_difference, 20_00);
        // The basket's line has no price: its value is the live one, so the gap is 100 − 79.
        let basket = [BasketLine {
            product: "cam".into(),
            variant: None,
            quantity: 1,
            price: None,
        }];
        let ctx = Context::new(Placement::Cart, 0).basket(&basket).live(&l);
        let fs = config.recommend(&ctx).free_shipping.unwrap();
        assert_eq!(fs.gap, Money(21_00));
        assert_eq!(config.basket_value(&basket, &l), Money(79_00));
    }
}
