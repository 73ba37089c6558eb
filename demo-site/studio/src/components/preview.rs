//! The live preview: placement, product, basket and segment pickers, then what the widget
//! would show there and why, from the same engine call.

use crate::preview::{self, Preview};
use crate::state::{Action, State};
use cartlift_engine::Placement;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Props: the studio state.
#[derive(Properties, PartialEq)]
pub struct PreviewProps {
    /// The studio state.
    pub state: UseReducerHandle<State>,
}

const PLACEMENTS: [Placement; 4] = [
    Placement::Product,
    Placement::Cart,
    Placement::Checkout,
    Placement::Confirmation,
];

/// The preview panel.
#[component]
pub fn PreviewPanel(props: &PreviewProps) -> Html {
    let state = &props.state;
    let Some(config) = &state.checked.config else {
        return html! {
            <section class="panel preview"><h2>{"Preview"}</h2>
            <p class="muted">{"Nothing to preview until the config reads: see its problems."}</p></section>
        };
    };
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let shown: Preview = preview::preview(config, &state.selection, now);
    let sel = &state.selection;

    let on_placement = {
        let dispatch = state.dispatcher();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(p) = Placement::parse(&select.value()) {
                dispatch.dispatch(Action::Placement(p));
            }
        })
    };
    let on_product = {
        let dispatch = state.dispatcher();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            dispatch.dispatch(Action::Product(select.value()));
        })
    };
    let products = config.products();
    let product_options = products.iter().map(|p| {
        html! { <option value={p.id.clone()} selected={sel.product.as_deref() == Some(&p.id)}>{format!("{} ({})", p.title, p.id)}</option> }
    });
    let basket = products.iter().map(|p| {
        let toggle = {
            let dispatch = state.dispatcher();
            let id = p.id.clone();
            Callback::from(move |_: Event| dispatch.dispatch(Action::ToggleBasket(id.clone())))
        };
        html! {
            <label key={p.id.clone()} class="check">
                <input type="checkbox" value={p.id.clone()} checked={sel.basket.contains(&p.id)} onchange={toggle} />
                {&p.title}
            </label>
        }
    });
    // The segments the rules are for: ticking one is the page saying
    // `data-segments="…"` (or `cartlift.setSegments([…])`) for this shopper.
    let segment_names = preview::segments(config);
    let segments = segment_names.iter().map(|name| {
        let toggle = {
            let dispatch = state.dispatcher();
            let name = (*name).to_owned();
            Callback::from(move |_: Event| dispatch.dispatch(Action::ToggleSegment(name.clone())))
        };
        html! {
            <label key={(*name).to_owned()} class="check">
                <input type="checkbox" value={(*name).to_owned()} checked={sel.segments.iter().any(|s| s == name)} onchange={toggle} />
                {*name}
            </label>
        }
    });
    let sections = shown.sections.iter().map(|s| {
        html! {
            <div class="section">
                <h3>{&s.title}</h3>
                if let Some(note) = &s.note { <p class="note">{note}</p> }
                <ol class="suggestions">
                { for s.items.iter().map(|i| html! {
                    <li class="suggestion" data-product={i.id.clone()}>
                        <div class="line">
                            <strong>{&i.title}</strong>
                            <span class="price">{&i.price}</span>
                            <span class="score" title="priority, then score">{format!("priority {} · score {:.3}", i.priority, i.score)}</span>
                        </div>
                        <ul class="why">
                        { for i.why.iter().map(|w| html! {
                            <li><code class="rule-id">{&w.rule}</code>{" "}<span class="kind">{w.kind}</span>{" "}{&w.sentence}</li>
                        }) }
                        </ul>
                    </li>
                }) }
                </ol>
            </div>
        }
    });
    let left_out = shown.left_out.iter().map(|l| html! {
        <li><strong>{l.product.clone().unwrap_or_default()}</strong>{" from "}<code>{&l.rule}</code>{": "}{l.why}</li>
    });
    let not_fired = shown.not_fired.iter().map(|l| {
        html! {
            <li><code>{&l.rule}</code>{": "}{l.why}</li>
        }
    });
    html! {
        <section class="panel preview">
            <h2>{"Preview"}</h2>
            <div class="pickers">
                <label>{"Placement "}
                    <select id="placement" onchange={on_placement}>
                    { for PLACEMENTS.iter().map(|p| html! {
                        <option value={p.name()} selected={*p == sel.placement}>{p.name()}</option>
                    }) }
                    </select>
                </label>
                <label>{"Product "}
                    <select id="product" onchange={on_product}>
                        <option value="" selected={sel.product.is_none()}>{"(none)"}</option>
                        { for product_options }
                    </select>
                </label>
            </div>
            <details class="basket">
                <summary>{format!("Basket: {}", if sel.basket.is_empty() { "empty".to_owned() } else { sel.basket.join(", ") })}</summary>
                <div id="basket" class="basket-list">{ for basket }</div>
            </details>
            if !segment_names.is_empty() {
                <fieldset id="segments" class="segments">
                    <legend>{"The shopper's segments (data-segments)"}</legend>
                    { for segments }
                </fieldset>
            }
            <div id="preview">
                if shown.sections.is_empty() {
                    <p class="muted" id="nothing">{"The widget shows nothing here (it gives the space back)."}</p>
                }
                { for sections }
            </div>
            <details class="left-out" open={!shown.left_out.is_empty()}>
                <summary>{format!("Left out ({})", shown.left_out.len())}</summary>
                <ul id="left-out">{ for left_out }</ul>
            </details>
            <details class="left-out">
                <summary>{format!("Rules that did not fire ({})", shown.not_fired.len())}</summary>
                <ul>{ for not_fired }</ul>
            </details>
        </section>
    }
}
