//! `Bundle`: "Frequently bought together". The page's product and its complements side by
//! side, each with a checkbox; the running total (and the bundle price when the store
//! grants a bundle discount and everything is ticked); one button that adds what is ticked.

use super::suggestion_card::{image, title};
use super::{CartButton, Scope, dismiss_button};
use crate::adapter::{CartRequest, Discount, Item};
use crate::view::{BundleChoice, BundleModel, bundle_summary};
use cartlift_engine::copy::CopyKey;
use yew::prelude::*;

/// Props of [`Bundle`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct BundleProps {
    /// The placement's context.
    pub scope: Scope,
    /// What to show.
    pub bundle: BundleModel,
}

/// The bundle section.
#[component]
pub fn Bundle(props: &BundleProps) -> Html {
    let bundle = &props.bundle;
    // A new set of members (re-ranking, a dismissal) starts fully ticked again.
    let members: Vec<String> = bundle.items.iter().map(|c| c.id.clone()).collect();
    let choice = {
        let bundle = bundle.clone();
        use_state_eq(move || BundleChoice::all(&bundle))
    };
    {
        let (choice, bundle) = (choice.clone(), bundle.clone());
        use_effect_with((members, bundle.anchor_in_basket), move |_| {
            choice.set(BundleChoice::all(&bundle))
        });
    }
    let scope = &props.scope;
    if choice.checked.len() != bundle.items.len() + 1 {
        // The effect above resets it before the next paint.
        return Html::default();
    }
    let locale = scope.locale();
    let fmt = scope.format();
    let live = scope
        .live
        .as_deref()
        .unwrap_or(&cartlift_engine::live::NONE);
    let mut summary = bundle_summary(&scope.config, live, bundle, &choice, &locale, &fmt);
    if scope.discount_withdrawn {
        // The store did not grant it on an earlier add: not promised again on this page.
        summary.discounted = None;
    }
    let toggle = |i: usize| {
        let choice = choice.clone();
        Callback::from(move |_: Event| {
            let mut next = (*choice).clone();
            next.checked[i] = !next.checked[i];
            choice.set(next);
        })
    };
    let chosen = choice.chosen(bundle);
    // One loop, by hand: the items, the rules behind them (each once) and the names for
    // the announcement. Not iterator chains with a fold and `[&str]::join` (this was the
    // compiled builds' only join): those cost them 0.3 KB brotli more.
    let mut items = Vec::new();
    let mut rules: Vec<String> = Vec::new();
    let mut names = String::new();
    for c in &chosen {
        items.push(Item {
            product: c.id.clone(),
            variant: c.variant.clone(),
            quantity: 1,
        });
        for rule in &c.rules {
            if !rules.contains(rule) {
                rules.push(rule.clone());
            }
        }
        if !names.is_empty() {
            names.push_str(", ");
        }
        names.push_str(&c.title);
    }
    let request = CartRequest {
        items,
        replaces: None,
        placement: scope.placement,
        rules,
        discount: summary
            .discounted
            .as_ref()
            .and_then(|_| Discount::of(scope.config.store())),
        attribution: None,
    };
    let members = std::iter::once(&bundle.anchor)
        .chain(&bundle.items)
        .enumerate();
    let this_item = scope.text(CopyKey::BundleThisItem);
    html! {
        <section class="section bundle" aria-label={bundle.title.clone()}>
            <h2 class="title">{ &bundle.title }</h2>
            <ul class="members" role="list">
                { for members.map(|(i, card)| {
                    let anchor = i == 0;
                    let disabled = anchor && bundle.anchor_in_basket;
                    html! {
                        <li class="member" data-off={(!choice.checked[i] && !disabled).then_some("")} data-product={card.id.clone()} key={card.id.clone()}>
                            if !anchor {
                                { dismiss_button(scope, &card.id, &card.title, &card.rules) }
                            }
                            <div class="media">{ image(card) }</div>
                            <div class="pick">
                                <input
                                    type="checkbox"
                                    aria-label={if anchor { format!("{this_item}: {}", card.title) } else { card.title.clone() }}
                                    checked={choice.checked[i]}
                                    disabled={disabled}
                                    onchange={toggle(i)}
                                />
                                <span class="pick-text">
                                    if anchor { <span class="this">{ &this_item }{ ": " }</span> }
                                    { title(card, (!anchor).then_some(scope)) }
                                </span>
                            </div>
                            <p class="price"><span class="now">{ scope.money(card.price) }</span></p>
                            if !anchor { <p class="reason">{ &card.reason }</p> }
                        </li>
                    }
                }) }
            </ul>
            <div class="summary">
                <p class="total" aria-live="polite">
                    { &summary.total }
                    if let Some(deal) = &summary.discounted { <span class="deal">{ deal }</span> }
                </p>
                if summary.count > 0 {
                    <CartButton
                        scope={scope.clone()}
                        key={summary.button.clone()}
                        primary=true
                        request={request}
                        label={summary.button.clone()}
                        done_message={scope.fill(CopyKey::AddedAnnouncement, &[("product", &names)])}
                        subject={names}
                    />
                }
            </div>
        </section>
    }
}
