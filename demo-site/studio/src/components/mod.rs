//! The studio's Yew components, one per file; they draw [`State`] and send
//! [`Action`]s, nothing more.

mod charts;
mod editor;
mod miner;
mod preview;

use crate::browser;
use crate::state::{Action, State};
use yew::prelude::*;

/// Where the demo store's config is served.
pub const CONFIG_URL: &str = "/cartlift/config.json";

/// The studio page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(State::default);
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match browser::fetch_text(CONFIG_URL).await {
                    Ok(text) => dispatch.dispatch(Action::Loaded(text)),
                    Err(e) => dispatch.dispatch(Action::LoadFailed(format!(
                        "Could not load {CONFIG_URL}: {e}"
                    ))),
                }
            });
        });
    }
    let export = {
        let state = state.clone();
        Callback::from(move |_| {
            if let Err(e) = browser::download("config.json", &state.text) {
                web_sys::console::warn_1(&format!("cartlift studio: download failed: {e}").into());
            }
        })
    };
    let errors = state.checked.errors();
    html! {
        <>
        <header class="bar">
            <h1>{"cartlift rule studio"}</h1>
            <span class="status" id="status" role="status">
                { state.loading.clone().or_else(|| state.notice.clone()).unwrap_or_default() }
            </span>
            <button id="export" class="primary" onclick={export}
                title={if errors > 0 { "The config has errors: the widget leaves out what they concern" } else { "Download config.json to host next to the script tag" }}>
                { if errors > 0 { format!("Export config.json ({errors} errors)") } else { "Export config.json".to_owned() } }
            </button>
        </header>
        <main class="grid">
            <editor::Editor state={state.clone()} />
            <preview::PreviewPanel state={state.clone()} />
            <miner::Miner state={state.clone()} />
        </main>
        </>
    }
}
