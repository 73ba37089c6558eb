//! The Yew components and the view functions they share. [`PlacementView`] is the root of
//! one `<cartlift-suggestions>` element; it picks the sections its placement shows. One
//! component or view per file:
//!
//! - product page: [`Bundle`] ("Frequently bought together", checkboxes, total, "Add all"),
//!   [`UpgradeCard`] (the better version, side by side), add-ons as a [`card_list`];
//! - cart and checkout: the [`free_shipping_bar`], then cross-sells and add-ons as
//!   [`card_list`]s, then upgrades for basket lines;
//! - confirmation: "Complete your setup" as a [`card_list`].
//!
//! Shared by all: [`suggestion_card`], [`CartButton`] (honest add/switch progress) and
//! [`dismiss_button`] ("Not interested"). [`Scope`] carries what every part needs and is
//! passed down explicitly.
//!
//! Components are only what has state or a lifecycle of its own (the root, the bundle's
//! checkboxes, the upgrade's switch, each cart button); the rest are plain functions
//! returning `Html`. Every component costs each shopper its share of Yew's lifecycle code:
//! four components that became functions, and the context provider that became a prop,
//! saved 4.6 KB brotli of wasm.

/// A `class` attribute from the parts that apply (`None` and `""` are left out). Plain
/// strings, not Yew's `classes!` (an ordered set of names): 0.6 KB brotli less wasm.
pub(crate) fn class_list<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let mut out = String::new();
    for part in parts.into_iter().flatten().filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

mod bundle;
mod card_list;
mod cart_button;
mod dismiss_button;
mod free_shipping;
mod placement;
mod scope;
mod suggestion_card;
mod upgrade_card;

pub use bundle::{Bundle, BundleProps};
pub use card_list::card_list;
pub use cart_button::{CartButton, CartButtonProps};
pub use dismiss_button::dismiss_button;
pub use free_shipping::free_shipping_bar;
pub use placement::{PlacementProps, PlacementView};
pub use scope::Scope;
pub use suggestion_card::suggestion_card;
pub use upgrade_card::{UpgradeCard, UpgradeCardProps};
