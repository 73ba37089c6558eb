//! `SuggestionCard`: one suggested product: image, title, price, reason, add button.

use super::AddButton;
use crate::adapter::AddRequest;
use crate::format;
use crate::view::Card;
use cartlift_engine::copy::CopyTexts;
use cartlift_engine::{Currency, Placement};
use web_sys::HtmlElement;
use yew::prelude::*;

/// Props of [`SuggestionCard`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct SuggestionCardProps {
    /// What to show.
    pub card: Card,
    /// Store currency.
    pub currency: Currency,
    /// Store locale.
    pub locale: AttrValue,
    /// The store's texts.
    pub copy: CopyTexts,
    /// The custom element, for events.
    pub host: HtmlElement,
    /// Where the card is shown.
    pub placement: Placement,
}

/// Renders one card. Every shop-supplied string goes in as text, never as markup; URLs
/// were checked when the config was built.
#[component]
pub fn SuggestionCard(props: &SuggestionCardProps) -> Html {
    let card = &props.card;
    let price = format::price(card.price, props.currency, &props.locale);
    let was = card
        .compare_at_price
        .map(|m| format::price(m, props.currency, &props.locale));
    let image = card.image.as_ref().map(|src| {
        html! { <img class="image" src={src.clone()} alt="" loading="lazy" width="160" height="160" /> }
    });
    let title = match &card.url {
        Some(url) => html! { <a class="name" href={url.clone()}>{ &card.title }</a> },
        None => html! { <span class="name">{ &card.title }</span> },
    };
    let request = AddRequest {
        product: card.id.clone(),
        variant: card.variant.clone(),
        quantity: 1,
        placement: props.placement,
        rules: card.rules.clone(),
    };
    html! {
        <li class="card" data-product={card.id.clone()}>
            <div class="media">{ for image }</div>
            { title }
            <p class="price">
                <span class="now">{ price }</span>
                { for was.map(|w| html! { <s class="was">{ w }</s> }) }
            </p>
            <p class="reason">{ &card.reason }</p>
            <AddButton
                request={request}
                product_title={AttrValue::from(card.title.clone())}
                copy={props.copy.clone()}
                host={props.host.clone()}
            />
        </li>
    }
}
