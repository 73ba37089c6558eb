//! `use_runtime`: the current config and basket, re-rendering whenever either changes.

use crate::runtime::{self, Snapshot};
use yew::prelude::*;

/// Subscribes the component to the shared [`runtime`] and returns its current state.
#[hook]
pub(crate) fn use_runtime() -> Snapshot {
    let update = use_force_update();
    use_effect_with((), move |_| {
        let id = runtime::subscribe(Callback::from(move |()| update.force_update()));
        move || runtime::unsubscribe(id)
    });
    runtime::snapshot()
}
