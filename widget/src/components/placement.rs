//! `PlacementView`: the root of one `<cartlift-suggestions>` element.

use super::SuggestionCard;
use crate::format::IntlFormat;
use crate::hooks::use_runtime;
use crate::runtime::ConfigState;
use crate::view::placement_model;
use cartlift_engine::{Context, Placement};
use web_sys::HtmlElement;
use yew::prelude::*;

/// Read from the element's attributes by [`crate::runtime::mount`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct PlacementProps {
    /// The custom element: events are dispatched from it.
    pub host: HtmlElement,
    /// `placement` attribute.
    pub placement: Placement,
    /// `product` attribute (product pages).
    #[prop_or_default]
    pub product: Option<AttrValue>,
}

/// Holds its space while the config loads, renders nothing if it failed or nothing
/// applies, and otherwise the engine's suggestions, re-ranked on every basket change.
#[component]
pub fn PlacementView(props: &PlacementProps) -> Html {
    let snapshot = use_runtime();
    let config = match &snapshot.config {
        ConfigState::Loading => {
            return html! { <div class="skeleton" aria-hidden="true"></div> };
        }
        ConfigState::Failed => return Html::default(),
        ConfigState::Ready(config) => config.clone(),
    };
    let locale = config.locale(snapshot.locale.as_deref());
    let store = config.store();
    let fmt = IntlFormat {
        currency: store.currency,
        locale: locale.tag,
    };
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let mut ctx = Context::new(props.placement, now).basket(&snapshot.basket);
    if let Some(product) = props.product.as_deref() {
        ctx = ctx.product(product);
    }
    let model = placement_model(&config, &ctx, &locale, &fmt);
    if model.cards.is_empty() {
        return Html::default();
    }
    html! {
        <section class="placement" aria-label={model.title.clone()}>
            <h2 class="title">{ model.title }</h2>
            <ul class="items" role="list">
                { for model.cards.into_iter().map(|card| {
                    let key = card.id.clone();
                    html! { <SuggestionCard
                        key={key}
                        card={card}
                        currency={store.currency}
                        locale={AttrValue::from(locale.tag.to_owned())}
                        copy={locale.texts.clone()}
                        host={props.host.clone()}
                        placement={props.placement}
                    /> }
                }) }
            </ul>
        </section>
    }
}
