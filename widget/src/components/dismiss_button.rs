//! The dismiss button: "Not interested" for one suggestion. The product disappears from every
//! placement at once and stays away for the store's `dismiss_days`, remembered in the
//! shopper's browser only.

use super::Scope;
use crate::state::Action;
use cartlift_engine::copy::CopyKey;
use yew::prelude::*;

/// A small "×" with a full accessible name and a tooltip, for `product` (`title` names it;
/// `rules` are the rules behind the suggestion, for the event).
pub fn dismiss_button(scope: &Scope, product: &str, title: &str, rules: &[String]) -> Html {
    let label = scope.fill(CopyKey::NotInterestedLabel, &[("product", title)]);
    let onclick = {
        let scope = scope.clone();
        let (product, rules) = (product.to_owned(), rules.to_vec());
        Callback::from(move |_: MouseEvent| {
            scope.dispatch(Action::Dismissed {
                id: scope.id,
                product: product.clone(),
                rules: rules.clone(),
                now: crate::dom::now(),
            });
        })
    };
    html! {
        <button type="button" class="dismiss" aria-label={label} title={scope.text(CopyKey::NotInterested)} onclick={onclick}>
            <span aria-hidden="true">{ "×" }</span>
        </button>
    }
}
