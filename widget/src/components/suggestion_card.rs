//! One suggested product's card: image, title, price, reason, add button and
//! "Not interested".

use super::{CartButton, Scope, dismiss_button};
use crate::adapter::CartRequest;
use crate::state::Action;
use crate::view::Card;
use cartlift_engine::copy::CopyKey;
use yew::prelude::*;

/// Renders one card, keyed by product so re-ranking moves cards (and their add buttons'
/// state) instead of rewriting them. Every shop-supplied string goes in as text, never as
/// markup; URLs were checked when the config was built.
pub fn suggestion_card(scope: &Scope, card: &Card) -> Html {
    html! {
        <li class="card" data-product={card.id.clone()} key={card.id.clone()}>
            { dismiss_button(scope, &card.id, &card.title, &card.rules) }
            <div class="media">{ image(card) }</div>
            { title(card, Some(scope)) }
            { price(scope, card) }
            <p class="reason">{ &card.reason }</p>
            <CartButton
                scope={scope.clone()}
                request={CartRequest::single(card, scope.placement)}
                label={scope.text(CopyKey::AddToCart)}
                subject={card.title.clone()}
                done_message={scope.fill(CopyKey::AddedAnnouncement, &[("product", &card.title)])}
            />
        </li>
    }
}

/// The product image (decorative: the title says what it is), lazy and sized so it never
/// shifts the layout.
pub(crate) fn image(card: &Card) -> Html {
    match &card.image {
        Some(src) => html! {
            <img class="image" src={src.clone()} alt="" loading="lazy" decoding="async" width="160" height="160" />
        },
        None => Html::default(),
    }
}

/// The title: a link when the product has a URL and the title is for `scope`'s shopper to
/// follow (following it sends `cartlift:click`), else plain text.
pub(crate) fn title(card: &Card, link_for: Option<&Scope>) -> Html {
    match (&card.url, link_for) {
        (Some(url), Some(scope)) => html! {
            <a class="name" dir="auto" href={url.clone()} onclick={click_handler(scope, card)}>{ &card.title }</a>
        },
        _ => html! { <span class="name" dir="auto">{ &card.title }</span> },
    }
}

/// Price, with the struck-through "was" price when there is one.
pub(crate) fn price(scope: &Scope, card: &Card) -> Html {
    html! {
        <p class="price">
            <span class="now">{ scope.money(card.price) }</span>
            { for card.compare_at_price.map(|w| html! { <s class="was">{ scope.money(w) }</s> }) }
        </p>
    }
}

/// Sends `cartlift:click` and resets the product's frequency count; never blocks the link.
fn click_handler(scope: &Scope, card: &Card) -> Callback<MouseEvent> {
    let (scope, id, rules) = (scope.clone(), card.id.clone(), card.rules.clone());
    Callback::from(move |_: MouseEvent| {
        scope.dispatch(Action::Clicked {
            id: scope.id,
            product: id.clone(),
            rules: rules.clone(),
        });
    })
}
