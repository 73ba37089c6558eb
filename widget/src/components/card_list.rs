//! `CardList`: a titled, horizontally scrolling row of [`SuggestionCard`]s. One row keeps
//! its height whatever the number of cards, so re-ranking never moves the page.

use super::SuggestionCard;
use crate::view::Card;
use yew::prelude::*;

/// Props of [`CardList`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct CardListProps {
    /// Heading.
    pub title: AttrValue,
    /// Cards, best first.
    pub cards: Vec<Card>,
    /// Section class ("suggestions", "add-ons").
    pub class: &'static str,
}

/// A heading and the cards.
#[component]
pub fn CardList(props: &CardListProps) -> Html {
    if props.cards.is_empty() {
        return Html::default();
    }
    html! {
        <section class={classes!("section", props.class)} aria-label={props.title.clone()}>
            <h2 class="title">{ &props.title }</h2>
            <ul class="items" role="list">
                { for props.cards.iter().map(|card| html! {
                    <SuggestionCard key={card.id.clone()} card={card.clone()} />
                }) }
            </ul>
        </section>
    }
}
