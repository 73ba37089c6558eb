//! A titled, horizontally scrolling row of suggestion cards. One row keeps its height
//! whatever the number of cards, so re-ranking never moves the page.

use super::{Scope, suggestion_card};
use crate::view::Card;
use yew::prelude::*;

/// A heading and the cards (`kind`, its `data-list`: "suggestions", "add-ons", "fs-items");
/// nothing when there are no cards. A plain function, not a component: it has no state of
/// its own, and each component costs every shopper its share of Yew's lifecycle code.
pub fn card_list(scope: &Scope, title: &str, cards: &[Card], kind: &'static str) -> Html {
    if cards.is_empty() {
        return Html::default();
    }
    html! {
        <section class="section" data-list={kind} aria-label={title.to_owned()}>
            <h2 class="title">{ title }</h2>
            <ul class="items" role="list">
                { for cards.iter().map(|card| suggestion_card(scope, card)) }
            </ul>
        </section>
    }
}
