//! The Yew components. [`PlacementView`] is the root of one `<cartlift-suggestions>`
//! element; it picks the sections its placement shows. One component per file:
//!
//! - product page: [`Bundle`] ("Frequently bought together", checkboxes, total, "Add all"),
//!   [`UpgradeCard`] (the better version, side by side), add-ons as [`CardList`];
//! - cart and checkout: [`FreeShippingBar`], then cross-sells and add-ons as [`CardList`],
//!   then upgrades for basket lines;
//! - confirmation: "Complete your setup" as [`CardList`].
//!
//! Shared by all: [`SuggestionCard`], [`CartButton`] (honest add/switch progress) and
//! [`DismissButton`] ("Not interested"). [`Scope`] carries what every component needs.

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
pub use card_list::{CardList, CardListProps};
pub use cart_button::{CartButton, CartButtonProps};
pub use dismiss_button::{DismissButton, DismissButtonProps};
pub use free_shipping::{FreeShippingBar, FreeShippingBarProps};
pub use placement::{PlacementProps, PlacementView};
pub use scope::Scope;
pub use suggestion_card::{SuggestionCard, SuggestionCardProps};
pub use upgrade_card::{UpgradeCard, UpgradeCardProps};
