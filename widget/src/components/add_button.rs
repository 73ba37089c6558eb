//! `AddButton`: "Add to cart" with honest progress: it shows success only after the cart
//! confirmed it, shows failure with a retry, and never sends a second add while one is in
//! flight (double clicks included).

use crate::actions::add_to_cart;
use crate::adapter::{AddOutcome, AddRequest};
use crate::report;
use cartlift_engine::copy::{CopyKey, CopyTexts};
use std::cell::Cell;
use std::rc::Rc;
use web_sys::HtmlElement;
use yew::prelude::*;

/// Props of [`AddButton`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct AddButtonProps {
    /// What to add.
    pub request: AddRequest,
    /// For the accessible label ("Add Camera to cart").
    pub product_title: AttrValue,
    /// The store's texts.
    pub copy: CopyTexts,
    /// The custom element, for the add event.
    pub host: HtmlElement,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AddState {
    Idle,
    Adding,
    Added,
    Failed,
}

/// The add button of one card.
#[component]
pub fn AddButton(props: &AddButtonProps) -> Html {
    let state = use_state_eq(|| AddState::Idle);
    // Checked synchronously on click: a second click can arrive before the re-render that
    // disables the button.
    let in_flight = use_mut_ref(|| Rc::new(Cell::new(false)));
    let onclick = {
        let state = state.clone();
        let in_flight = in_flight.borrow().clone();
        let request = props.request.clone();
        let host = props.host.clone();
        Callback::from(move |_: MouseEvent| {
            if in_flight.get() || *state == AddState::Added {
                return;
            }
            in_flight.set(true);
            state.set(AddState::Adding);
            let (state, in_flight, request, host) = (
                state.clone(),
                in_flight.clone(),
                request.clone(),
                host.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = add_to_cart(&host, request).await;
                in_flight.set(false);
                state.set(match outcome {
                    Ok(AddOutcome::Added) => AddState::Added,
                    Ok(AddOutcome::Cancelled) => AddState::Idle,
                    Err(e) => {
                        report::warn(&e.to_string());
                        AddState::Failed
                    }
                });
            });
        })
    };
    let key = match *state {
        AddState::Idle => CopyKey::AddToCart,
        AddState::Adding => CopyKey::Adding,
        AddState::Added => CopyKey::Added,
        AddState::Failed => CopyKey::AddFailed,
    };
    let class = match *state {
        AddState::Idle => "add",
        AddState::Adding => "add adding",
        AddState::Added => "add added",
        AddState::Failed => "add failed",
    };
    let label = format!("{} – {}", props.copy.get(key), props.product_title);
    html! {
        <button
            type="button"
            class={class}
            aria-label={label}
            aria-busy={(*state == AddState::Adding).then_some("true")}
            disabled={*state == AddState::Added}
            onclick={onclick}
        >
            { props.copy.get(key) }
        </button>
    }
}
