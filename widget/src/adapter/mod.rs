//! Cart adapters: how "Add to cart" reaches the store's real cart.
//!
//! One trait, one implementation per cart (`js` today). An adapter answers only when the
//! cart has confirmed the add, so the button never claims a success that did not happen.

mod js;

pub use js::JsCart;

use crate::WidgetError;
use cartlift_engine::Placement;
use std::future::Future;
use std::pin::Pin;

/// One add request: what, how many, and where it came from (for the page and analytics).
#[derive(Clone, Debug, PartialEq)]
pub struct AddRequest {
    /// Catalog id.
    pub product: String,
    /// Variant id, if any.
    pub variant: Option<String>,
    /// Units to add.
    pub quantity: u32,
    /// The placement the click came from.
    pub placement: Placement,
    /// Ids of the rules behind the suggestion.
    pub rules: Vec<String>,
}

/// What became of an add.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddOutcome {
    /// The cart confirmed it.
    Added,
    /// The page cancelled the `cartlift:add-to-cart` event: it took over, nothing to confirm.
    Cancelled,
}

/// A boxed future, since adapters are trait objects.
pub type AddFuture = Pin<Box<dyn Future<Output = Result<AddOutcome, WidgetError>>>>;

/// A store cart the widget can add to.
pub trait CartAdapter {
    /// Adds the item; resolves once the cart has confirmed (or refused) it.
    fn add(&self, request: AddRequest) -> AddFuture;
}
