//! `CartButton`: "Add to cart", "Add all 3 to cart" or "Switch to this", with honest
//! progress. It shows success only after the cart confirmed it, shows a failure with a
//! retry (which resends only what did not make it), and never sends a second request
//! while one is in flight (double clicks included).

use super::Scope;
use crate::adapter::{AddOutcome, CartRequest};
use crate::events::Event;
use crate::report;
use crate::state::Action;
use cartlift_engine::copy::CopyKey;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`CartButton`].
#[derive(Properties, PartialEq, Clone, Debug)]
pub struct CartButtonProps {
    /// The placement's context.
    pub scope: Scope,
    /// What to add (and what it replaces).
    pub request: CartRequest,
    /// The idle label ("Add to cart", "Add all 3 to cart").
    pub label: AttrValue,
    /// What the button acts on, for its accessible name ("Dome Camera").
    pub subject: AttrValue,
    /// Announced when the cart confirms ("Dome Camera added to cart").
    pub done_message: AttrValue,
    /// The section's main action (the bundle's "Add all"): styled as such.
    #[prop_or_default]
    pub primary: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Idle,
    Working,
    Done,
    Failed,
}

/// One button that changes the store's cart.
#[component]
pub fn CartButton(props: &CartButtonProps) -> Html {
    let state = use_state_eq(|| State::Idle);
    // How many of the request's items the cart already took (after a partial failure).
    let skip = use_mut_ref(|| 0usize);
    // Checked synchronously on click: a second click can arrive before the re-render that
    // marks the button busy.
    let in_flight = use_mut_ref(|| Rc::new(Cell::new(false)));
    let scope = &props.scope;
    let onclick = {
        let state = state.clone();
        let in_flight = in_flight.borrow().clone();
        let props = props.clone();
        let scope = scope.clone();
        let skip = skip.clone();
        Callback::from(move |_: MouseEvent| {
            if in_flight.get() || *state == State::Done {
                return;
            }
            let mut request = props.request.clone();
            let skipped = (*skip.borrow()).min(request.items.len());
            request.items.drain(..skipped);
            if request.items.is_empty() && request.replaces.is_none() {
                return;
            }
            in_flight.set(true);
            state.set(State::Working);
            let (state, in_flight, scope, skip, done_message) = (
                state.clone(),
                in_flight.clone(),
                scope.clone(),
                skip.clone(),
                props.done_message.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = send(&scope, request.clone()).await;
                in_flight.set(false);
                match outcome {
                    Ok(outcome @ (AddOutcome::Added | AddOutcome::AddedWithoutDiscount(_))) => {
                        scope.dispatch(Action::Added(
                            request.items.iter().map(|i| i.product.clone()).collect(),
                        ));
                        if let AddOutcome::AddedWithoutDiscount(why) = outcome {
                            scope.dispatch(Action::DiscountRefused(why));
                        }
                        scope.announce.emit(done_message.to_string());
                        state.set(State::Done);
                    }
                    Ok(AddOutcome::Cancelled) => state.set(State::Idle),
                    Err(failure) => {
                        *skip.borrow_mut() += failure.done;
                        report::warn(&failure.error.to_string());
                        scope.announce.emit(scope.text(CopyKey::AddFailed));
                        state.set(State::Failed);
                    }
                }
            });
        })
    };
    let (text, progress) = match *state {
        State::Idle => (props.label.to_string(), None),
        State::Working => (scope.text(CopyKey::Adding), Some("busy")),
        State::Done => (scope.text(CopyKey::Added), Some("done")),
        State::Failed => (scope.text(CopyKey::AddFailed), Some("failed")),
    };
    let label = format!("{} – {}", text, props.subject);
    html! {
        <button
            type="button"
            class="add"
            data-state={progress}
            data-primary={props.primary.then_some("")}
            aria-label={label}
            aria-busy={(*state == State::Working).then_some("true")}
            aria-disabled={(*state == State::Done).then_some("true")}
            onclick={onclick}
        >
            { text }
        </button>
    }
}

/// Announces the change with a cancellable `cartlift:add-to-cart` event and, unless the
/// page cancelled it, asks the cart adapter; resolves once the cart has answered.
async fn send(
    scope: &Scope,
    request: CartRequest,
) -> Result<AddOutcome, crate::adapter::CartFailure> {
    let event = Event::AddToCart {
        items: request.items.clone(),
        rules: request.rules.clone(),
        replaces: request.replaces.clone(),
    };
    if !scope.send(&event) {
        return Ok(AddOutcome::Cancelled);
    }
    let mut request = request;
    request.attribution = Some(crate::adapter::Attribution {
        bucket: scope.context.bucket,
        experiment: scope.context.experiment.clone(),
    });
    let outcome = (scope.link.cart)().apply(request).await;
    if matches!(
        outcome,
        Ok(AddOutcome::Added | AddOutcome::AddedWithoutDiscount(_))
    ) {
        scope.added(&event);
    }
    outcome
}
