//! The Yew components and the view functions they share. [`PlacementView`] is the root of
//! one `<cartlift-suggestions>` element; it picks the sections its placement shows. One
//! component or view per file:
//!
//! - product page: [`Bundle`] ("Frequently bought together", checkboxes, total, "Add all"),
//!   the [`upgrade_card`] (the better version, side by side), add-ons as a [`card_list`];
//! - cart and checkout: the [`free_shipping_bar`], then cross-sells and add-ons as
//!   [`card_list`]s, then upgrades for basket lines;
//! - confirmation: "Complete your setup" as a [`card_list`].
//!
//! Shared by all: [`suggestion_card`], [`CartButton`] (honest add/switch progress) and
//! [`dismiss_button`] ("Not interested"). [`Scope`] carries what every part needs and is
//! passed down explicitly.
//!
//! Components are only what has state or a lifecycle of its own (the root, the bundle's
//! checkboxes, each cart button, the upgrade's switch included); the rest are plain functions
//! returning `Html`. Every component costs each shopper its share of Yew's lifecycle code:
//! four components that became functions, and the context provider that became a prop,
//! saved 4.6 KB brotli of wasm (the upgrade card, later, 0.6 KB more).
//!
//! Every `class` is a literal; what changes goes in a data attribute (`data-state` of a
//! cart button, `data-off` of an unticked bundle member, `data-reached`, `data-list`).
//! For anything but a literal, Yew's `class={…}` goes through `Classes`, an index set
//! split from and joined back into the string, which costs every shopper 2 KB brotli; a
//! data attribute is a plain string. (Setting the `className` property instead breaks
//! when Yew reuses an element that had a `class` attribute: it removes the attribute after
//! setting the property.)

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
pub use scope::{Link, Scope};
pub use suggestion_card::suggestion_card;
pub use upgrade_card::upgrade_card;
