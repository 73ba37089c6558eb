//! `use_runtime`: the current config and basket, re-rendering whenever either changes.

use crate::runtime::{self, Snapshot};
use web_sys::HtmlElement;
use yew::prelude::*;

/// Subscribes the placement on `host` to the shared [`runtime`] and returns its current
/// state.
#[hook]
pub(crate) fn use_runtime(host: &HtmlElement) -> Snapshot {
    let update = use_force_update();
    let host = host.clone();
    use_effect_with((), move |_| {
        let id = runtime::subscribe(host, Callback::from(move |()| update.force_update()));
        move || runtime::unsubscribe(id)
    });
    runtime::snapshot()
}
