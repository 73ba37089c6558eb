//! What a shopper's click does, independent of which component it came from.

use crate::WidgetError;
use crate::adapter::{AddOutcome, AddRequest};
use crate::{dom, runtime};
use web_sys::HtmlElement;

/// Announces the add with a cancellable `cartlift:add-to-cart` event and, unless the page
/// cancelled it, asks the cart adapter to add; resolves once the cart has answered.
pub(crate) async fn add_to_cart(
    host: &HtmlElement,
    request: AddRequest,
) -> Result<AddOutcome, WidgetError> {
    let detail = dom::add_request_object(&request);
    if !dom::dispatch(host, "cartlift:add-to-cart", &detail, true) {
        return Ok(AddOutcome::Cancelled);
    }
    runtime::cart().add(request).await
}
