//! The order a placement shows its suggestions in, as data, for what is rendered outside
//! the browser: `cartlift email` (the confirmation and cart placements in a message) and
//! `cartlift feed` (each product page's suggestions). It follows the widget's row
//! (`widget/src/components/placement.rs`), so an email and the page it stands for list
//! the same products in the same order:
//!
//! - **product**: the bundle's cross-sells, the first upgrade, then the add-ons;
//! - **cart** and **checkout**: the free-shipping gap closers (while there is a gap), the
//!   cross-sells and add-ons under one heading, then at most two upgrades;
//! - **confirmation**: the cross-sells and add-ons under one heading.
//!
//! What a section is called and how an item looks is the caller's.

use super::model::{Reason, Recommendations, Suggestion};
use crate::config::ProductIdx;
use crate::placement::Placement;

fn entry(section: Section, s: &Suggestion) -> (Section, ProductIdx, &[Reason]) {
    (section, s.product, &s.reasons)
}

/// Upgrade cards a cart-like row shows (the widget's `take(2)`).
const CART_UPGRADES: usize = 2;

/// The part of a placement's row an item is shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// Items that close the gap to free shipping (cart and checkout).
    FreeShipping,
    /// The placement's main list: its cross-sells (the bundle on a product page), and
    /// elsewhere its add-ons too.
    Suggestions,
    /// A product page's add-ons.
    AddOns,
    /// Better versions of what is on the page or in the basket.
    Upgrades,
}

/// One product of the row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowItem<'a> {
    /// Where it is shown.
    pub section: Section,
    /// The product.
    pub product: ProductIdx,
    /// The rules behind it, strongest first (never empty).
    pub reasons: &'a [Reason],
}

impl Recommendations {
    /// Every product the placement shows, in the widget's order (see the module docs).
    ///
    /// ```
    /// use cartlift_engine::{Config, Context, Placement};
    /// use cartlift_engine::recommend::Section;
    /// let config = Config::from_json(r#"{
    ///   "version": 1, "store": {"currency": "USD"},
    ///   "catalog": [{"id": "cam", "title": "Camera", "price": 89}, {"id": "cable", "title": "Cable", "price": 9},
    ///               {"id": "sign", "title": "Sign", "price": 5}],
    ///   "rules": [{"kind": "add_on", "id": "a", "trigger": {"products": ["cam"]}, "add_ons": ["sign"]},
    ///             {"kind": "bought_together", "id": "b", "antecedent": ["cam"], "consequent": ["cable"]}]
    /// }"#).unwrap();
    /// let recs = config.recommend(&Context::new(Placement::Product, 0).product("cam"));
    /// let row: Vec<(&str, Section)> =
    ///     recs.row().iter().map(|i| (config.product(i.product).id.as_str(), i.section)).collect();
    /// assert_eq!(row, [("cable", Section::Suggestions), ("sign", Section::AddOns)]);
    /// ```
    pub fn row(&self) -> Vec<RowItem<'_>> {
        let gap_closers = self
            .free_shipping
            .iter()
            .filter(|f| f.gap.minor() > 0)
            .flat_map(|f| &f.items)
            .map(|s| entry(Section::FreeShipping, s));
        let cross_sells = self
            .cross_sells
            .iter()
            .map(|s| entry(Section::Suggestions, s));
        let add_ons_section = match self.placement {
            Placement::Product => Section::AddOns,
            _ => Section::Suggestions,
        };
        let add_ons = self.add_ons.iter().map(|s| entry(add_ons_section, s));
        let upgrades = |n| {
            self.upgrades
                .iter()
                .take(n)
                .map(|u| (Section::Upgrades, u.to, u.reasons.as_slice()))
        };
        let all: Vec<(Section, ProductIdx, &[Reason])> = match self.placement {
            Placement::Product => cross_sells.chain(upgrades(1)).chain(add_ons).collect(),
            Placement::Cart | Placement::Checkout => gap_closers
                .chain(cross_sells)
                .chain(add_ons)
                .chain(upgrades(CART_UPGRADES))
                .collect(),
            Placement::Confirmation => cross_sells.chain(add_ons).collect(),
        };
        all.into_iter()
            .filter(|(_, _, reasons)| !reasons.is_empty())
            .map(|(section, product, reasons)| RowItem {
                section,
                product,
                reasons,
            })
            .collect()
    }
}
