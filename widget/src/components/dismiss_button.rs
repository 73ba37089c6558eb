//! `DismissButton`: "Not interested" for one suggestion. The product disappears from every
//! placement at once and stays away for the store's `dismiss_days`, remembered in the
//! shopper's browser only.

use super::Scope;
use crate::runtime;
use cartlift_engine::copy::CopyKey;
use yew::prelude::*;

/// Props of [`DismissButton`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct DismissButtonProps {
    /// Catalog id.
    pub product: AttrValue,
    /// For the accessible name ("Hide Dome Camera").
    pub title: AttrValue,
    /// The rules behind the suggestion, for the event.
    pub rules: Vec<String>,
}

/// A small "×" with a full accessible name and a tooltip.
#[component]
pub fn DismissButton(props: &DismissButtonProps) -> Html {
    let Some(scope) = use_context::<Scope>() else {
        return Html::default();
    };
    let label = scope.fill(CopyKey::NotInterestedLabel, &[("product", &props.title)]);
    let onclick = {
        let props = props.clone();
        let scope = scope.clone();
        Callback::from(move |_: MouseEvent| {
            runtime::dismiss(&scope.host, scope.placement, &props.product, &props.rules);
        })
    };
    html! {
        <button type="button" class="dismiss" aria-label={label} title={scope.text(CopyKey::NotInterested)} onclick={onclick}>
            <span aria-hidden="true">{ "×" }</span>
        </button>
    }
}
