//! Mining: pick or drop an order file (or the groceries sample, or the demo store's own
//! order history with the orders placed at its checkout), mine it in a Web Worker
//! with progress, browse the rules (sortable table, scatter plot, top pairs), tick rules
//! and add them to the config.

use super::charts::{PairBars, Scatter};
use crate::browser::{self, MiningWorker, WorkerEvent};
use crate::mining::{self, MineSettings, SortKey};
use crate::state::{Action, Mining, State};
use js_sys::ArrayBuffer;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{DragEvent, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The sample order file the demo site ships next to the studio.
pub const SAMPLE: &str = "samples/groceries.csv";
/// The demo store's order history, with the orders placed at its checkout since the
/// server started (see `cartlift_demo::server`).
pub const STORE_ORDERS: &str = "/data/orders.csv";

/// Rows the table draws; the charts use every rule.
const ROWS: usize = 200;

/// Props: the studio state.
#[derive(Properties, PartialEq)]
pub struct MinerProps {
    /// The studio state.
    pub state: UseReducerHandle<State>,
}

type Slot = Rc<RefCell<Option<MiningWorker>>>;

/// Sends `bytes` to a fresh worker (stopping any earlier run).
fn start(
    slot: &Slot,
    dispatch: UseReducerDispatcher<State>,
    name: String,
    bytes: ArrayBuffer,
    settings: &MineSettings,
) {
    dispatch.dispatch(Action::MineStarted(name));
    let on_event = {
        let dispatch = dispatch.clone();
        move |e| {
            dispatch.dispatch(match e {
                WorkerEvent::Progress(phase, share) => Action::MineProgress(phase, share),
                WorkerEvent::Done(mined) => Action::MineDone(mined),
                WorkerEvent::Failed(why) => Action::MineFailed(why),
            })
        }
    };
    *slot.borrow_mut() = None;
    match MiningWorker::start(bytes, settings, on_event) {
        Ok(worker) => *slot.borrow_mut() = Some(worker),
        Err(e) => dispatch.dispatch(Action::MineFailed(e)),
    }
}

/// The mining panel.
#[component]
pub fn Miner(props: &MinerProps) -> Html {
    let state = &props.state;
    let settings = use_state(MineSettings::default);
    let slot: Slot = use_mut_ref(|| None::<MiningWorker>);
    let dragging = use_state(|| false);

    let mine_file = {
        let slot = slot.clone();
        let dispatch = state.dispatcher();
        let settings = settings.clone();
        Callback::from(move |file: web_sys::File| {
            let (slot, dispatch, settings) = (slot.clone(), dispatch.clone(), (*settings).clone());
            wasm_bindgen_futures::spawn_local(async move {
                match browser::file_bytes(&file).await {
                    Ok(bytes) => start(&slot, dispatch, file.name(), bytes, &settings),
                    Err(e) => dispatch.dispatch(Action::MineFailed(e)),
                }
            });
        })
    };
    let on_pick = {
        let mine_file = mine_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                mine_file.emit(file);
            }
            input.set_value("");
        })
    };
    let on_drop = {
        let mine_file = mine_file.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                mine_file.emit(file);
            }
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    // Fetch an order file the site serves, then mine it.
    let mine_url = {
        let slot = slot.clone();
        let dispatch = state.dispatcher();
        let settings = settings.clone();
        move |url: &'static str, name: &'static str| {
            let (slot, dispatch, settings) = (slot.clone(), dispatch.clone(), settings.clone());
            Callback::from(move |_: Option<MouseEvent>| {
                let (slot, dispatch, settings) =
                    (slot.clone(), dispatch.clone(), (*settings).clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match browser::fetch_bytes(url).await {
                        Ok(bytes) => start(&slot, dispatch, name.into(), bytes, &settings),
                        Err(e) => dispatch.dispatch(Action::MineFailed(e)),
                    }
                });
            })
        }
    };
    let on_sample = mine_url(SAMPLE, "groceries.csv");
    let on_store_orders = mine_url(STORE_ORDERS, "the store's orders");
    // `/studio/#sample` mines the sample on load: a link that shows the whole loop.
    {
        let on_sample = on_sample.clone();
        use_effect_with((), move |_| {
            let hash = web_sys::window().and_then(|w| w.location().hash().ok());
            if hash.as_deref() == Some("#sample") {
                on_sample.emit(None);
            }
        });
    }
    let number = |field: fn(&mut MineSettings) -> &mut f64| {
        let settings = settings.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().trim().parse::<f64>() {
                let mut s = (*settings).clone();
                *field(&mut s) = v;
                settings.set(s);
            }
        })
    };
    let on_format = {
        let settings = settings.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let mut s = (*settings).clone();
            s.format = select.value();
            settings.set(s);
        })
    };

    let status = match &state.mining {
        Mining::Idle => {
            html! { <p class="muted">{"Pick or drop an order file: one basket per line (groceries.csv), or a Shopify / WooCommerce orders export."}</p> }
        }
        Mining::Running(name, phase, share) => html! {
            <p id="mining-progress">{format!("Mining {name}: {phase} ")}
                <progress max="100" value={format!("{:.0}", share * 100.0)} /></p>
        },
        Mining::Failed(why) => {
            html! { <p class="bad" id="mining-error">{format!("Mining failed: {why}")}</p> }
        }
        Mining::Done(name, m) => html! {
            <p id="mining-summary">{format!(
                "{name}: {} orders ({}), {} items, {} frequent itemsets, {} rules{}.",
                m.orders, m.format, m.items, m.itemsets, m.rules.len(),
                if m.skipped_rows > 0 { format!(", {} malformed rows skipped ({})", m.skipped_rows, m.problems.join("; ")) } else { String::new() }
            )}</p>
        },
    };

    let results = if let Mining::Done(_, mined) = &state.mining {
        let rules = &mined.rules;
        let (key, ascending) = state.sort;
        let order = mining::sorted(rules, key, ascending);
        let header = |k: SortKey, label: &'static str| {
            let dispatch = state.dispatcher();
            let arrow = if key == k {
                if ascending { " ▲" } else { " ▼" }
            } else {
                ""
            };
            let sort = match (key == k, ascending) {
                (true, true) => "ascending",
                (true, false) => "descending",
                _ => "none",
            };
            html! {
                <th class="num" aria-sort={sort}>
                    <button class="link" id={format!("sort-{}", label.to_lowercase())}
                        onclick={Callback::from(move |_| dispatch.dispatch(Action::Sort(k)))}>{label}{arrow}</button>
                </th>
            }
        };
        let rows = order.iter().take(ROWS).map(|&i| {
            let r = &rules[i];
            let pick = {
                let dispatch = state.dispatcher();
                Callback::from(move |_: Event| dispatch.dispatch(Action::Pick(i)))
            };
            html! {
                <tr key={i} class={classes!(state.picked.contains(&i).then_some("picked"))}>
                    <td><input type="checkbox" class="pick" aria-label={format!("Pick {}", r.label())}
                        checked={state.picked.contains(&i)} onchange={pick} /></td>
                    <td class="rule">{r.label()}</td>
                    <td class="num">{format!("{:.4}", r.support)}</td>
                    <td class="num">{format!("{:.3}", r.confidence)}</td>
                    <td class="num">{format!("{:.2}", r.lift)}</td>
                </tr>
            }
        });
        let pick_top = {
            let dispatch = state.dispatcher();
            let top: Vec<usize> = order.iter().take(10).copied().collect();
            Callback::from(move |_| dispatch.dispatch(Action::PickMany(top.clone())))
        };
        let add = {
            let dispatch = state.dispatcher();
            Callback::from(move |_| dispatch.dispatch(Action::AddPicked))
        };
        let picked = state.picked.len();
        html! {
            <>
            <div class="actions">
                <button id="pick-top" onclick={pick_top}>{"Tick the top 10"}</button>
                <button id="add-rules" class="primary" disabled={picked == 0} onclick={add}>
                    {format!("Add {picked} rule(s) to the config")}
                </button>
                <span class="muted">{"Items not in the catalog get placeholder entries (price 0) you can fill in."}</span>
            </div>
            <div class="results">
                <div class="table-wrap">
                    <table id="rules">
                        <thead><tr>
                            <th></th><th>{"Rule"}</th>
                            {header(SortKey::Support, "Support")}
                            {header(SortKey::Confidence, "Confidence")}
                            {header(SortKey::Lift, "Lift")}
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                    if rules.len() > ROWS { <p class="muted">{format!("First {ROWS} of {} rules in this order.", rules.len())}</p> }
                </div>
                <div class="charts">
                    <Scatter mined={mined.clone()} picked={state.picked.clone()} />
                    <PairBars mined={mined.clone()} />
                </div>
            </div>
            </>
        }
    } else {
        html! {}
    };

    let s = &*settings;
    html! {
        <section class="panel miner">
            <h2>{"Mine order history"}</h2>
            <div class={classes!("drop", (*dragging).then_some("over"))}
                ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
                <label class="file">{"Order file "}
                    <input type="file" id="orders-file" accept=".csv,.txt,text/csv" onchange={on_pick} />
                </label>
                <span class="muted">{" or drop it here, or "}</span>
                <button id="sample" onclick={on_sample.reform(Some)}>{"mine the groceries.csv sample"}</button>
                <span class="muted">{" or "}</span>
                <button id="store-orders" onclick={on_store_orders.reform(Some)}>{"mine this store's orders"}</button>
            </div>
            <div class="settings">
                <label>{"Format "}
                    <select id="format" onchange={on_format}>
                        { for [("auto", "auto"), ("baskets", "baskets"), ("shopify", "Shopify"), ("woocommerce", "WooCommerce")].iter().map(|(v, l)| html! {
                            <option value={*v} selected={s.format == *v}>{*l}</option>
                        }) }
                    </select>
                </label>
                <label>{"Min support "}<input id="min-support" type="number" step="0.001" min="0.0001" max="1" value={s.min_support.to_string()} onchange={number(|s| &mut s.min_support)} /></label>
                <label>{"Min confidence "}<input id="min-confidence" type="number" step="0.05" min="0" max="1" value={s.min_confidence.to_string()} onchange={number(|s| &mut s.min_confidence)} /></label>
                <label>{"Min lift "}<input id="min-lift" type="number" step="0.1" min="0" value={s.min_lift.to_string()} onchange={number(|s| &mut s.min_lift)} /></label>
            </div>
            {status}
            {results}
        </section>
    }
}
