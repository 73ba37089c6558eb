//! The free-shipping bar: progress to the store's free-shipping threshold ("$12.50 away from
//! free shipping") as a native `<progress>`, and the items that best close the gap.

use super::Scope;
use crate::view::FreeShippingModel;
use cartlift_engine::copy::CopyKey;
use yew::prelude::*;

/// The bar ("$12.50 away from free shipping"), announced politely when it changes.
pub fn free_shipping_bar(scope: &Scope, m: &FreeShippingModel) -> Html {
    let reached = m.gap.minor() <= 0;
    let text = if reached {
        scope.text(CopyKey::FreeShippingReached)
    } else {
        scope.fill(CopyKey::FreeShippingGap, &[("amount", &scope.money(m.gap))])
    };
    let percent = (m.progress * 100.0).round() as u32;
    html! {
        <section class="section free-shipping" data-reached={reached.then_some("")}>
            <p class="fs-text" aria-live="polite">{ &text }</p>
            <progress class="fs-bar" max="100" value={percent.to_string()} aria-label={text.clone()}></progress>
        </section>
    }
}
