//! The upgrade card: the better version of a product on the page or in the basket, what it
//! costs on top ("+$40.00"), the attributes the rule names side by side, and one button
//! to switch (it replaces the basket line when the product is already in the basket).

use super::suggestion_card::{image, title};
use super::{CartButton, Scope, dismiss_button};
use crate::adapter::{CartRequest, Item};
use crate::view::{UpgradeModel, upgrade_difference};
use cartlift_engine::copy::CopyKey;
use yew::prelude::*;

/// One upgrade offer, keyed by the better version: another offer is a new card (and a new
/// switch button), never this one's state under another product. A plain function: the
/// only state, the switch's progress, is the [`CartButton`]'s.
pub fn upgrade_card(scope: &Scope, up: &UpgradeModel) -> Html {
    let locale = scope.locale();
    let difference = upgrade_difference(up.difference, &locale, &scope.format());
    let request = CartRequest {
        items: vec![Item {
            product: up.to.id.clone(),
            variant: up.to.variant.clone(),
            quantity: 1,
        }],
        replaces: up.from_in_basket.then(|| up.from.id.clone()),
        placement: scope.placement,
        rules: up.to.rules.clone(),
        discount: None,
        attribution: None,
    };
    let heading = scope.text(CopyKey::UpgradeTitle);
    let dash = || html! { <span aria-label="—">{ "—" }</span> };
    html! {
        <section class="section upgrade" aria-label={heading.clone()} data-product={up.to.id.clone()} key={up.to.id.clone()}>
            <h2 class="title">{ heading }</h2>
            { dismiss_button(scope, &up.to.id, &up.to.title, &up.to.rules) }
            <div class="upgrade-head">
                <div class="media">{ image(&up.to) }</div>
                <div class="upgrade-text">
                    { title(&up.to, Some(scope)) }
                    <p class="price">
                        <span class="now">{ scope.money(up.to.price) }</span>
                        <span class="difference">{ difference }</span>
                    </p>
                    <p class="reason">{ &up.to.reason }</p>
                </div>
            </div>
            if !up.rows.is_empty() {
                // Scrolls inside the fixed-height card when a rule compares many
                // attributes; focusable so keyboard users can scroll it too.
                <div class="compare-wrap" tabindex="0" role="group" aria-label={scope.text(CopyKey::UpgradeAttribute)}>
                <table class="compare">
                    <thead>
                        <tr>
                            <th scope="col">{ scope.text(CopyKey::UpgradeAttribute) }</th>
                            <th scope="col" dir="auto">{ &up.from.title }</th>
                            <th scope="col" dir="auto">{ &up.to.title }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for up.rows.iter().map(|(name, from, to)| html! {
                            <tr>
                                <th scope="row" dir="auto">{ name }</th>
                                <td dir="auto">{ from.clone().map(Html::from).unwrap_or_else(dash) }</td>
                                <td class="better" dir="auto">{ to.clone().map(Html::from).unwrap_or_else(dash) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                </div>
            }
            <CartButton
                scope={scope.clone()}
                request={request}
                label={scope.text(CopyKey::UpgradeSwitch)}
                subject={up.to.title.clone()}
                done_message={scope.fill(CopyKey::AddedAnnouncement, &[("product", &up.to.title)])}
            />
        </section>
    }
}
