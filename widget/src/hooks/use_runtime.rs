//! `use_runtime`: the current config and basket, re-rendering whenever either changes.

use crate::runtime::{self, Snapshot};
use web_sys::HtmlElement;
use yew::prelude::*;

/// Subscribes the placement on `host` to the shared [`runtime`] and returns its current
/// state.
#[hook]
pub(crate) fn use_runtime(host: &HtmlElement) -> Snapshot {
    let update = use_force_update();
    // A reused app gets a new host: subscribe again, for it.
    use_effect_with(host.clone(), move |host| {
        let id = runtime::subscribe(
            host.clone(),
            Callback::from(move |()| update.force_update()),
        );
        move || runtime::unsubscribe(id)
    });
    runtime::snapshot()
}
