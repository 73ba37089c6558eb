//! The browser shell around the [`State`]: one per page (wasm in the browser is
//! single-threaded, so a thread-local is the whole world). It turns what happens into
//! [`Action`]s, applies them, and carries out the [`Effect`]s: re-rendering the placements
//! (in batches, those in view first), storing the shopper's memory, sending events,
//! console warnings. It also owns what cannot be a plain value: the pool of Yew apps,
//! the cart adapter and the page's add handler.
//!
//! Effects run after the state is released, so an event listener on the page may call back
//! into the widget (`cartlift.setBasket` from a `cartlift:add-to-cart` listener).

use crate::WidgetError;
use crate::adapter::{self, CartAdapter, CartEvents, JsCart};
use crate::components::{Link, PlacementProps, PlacementView};
use crate::state::{Action, ConfigState, Effect, PlacementId, Settings, Snapshot, State};
use crate::{basket, config_source, dom, events, memory, report};
use cartlift_engine::{BasketLine, Config, Placement};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlElement};
use yew::AppHandle;

/// One mounted placement.
struct App {
    id: PlacementId,
    host: HtmlElement,
    handle: AppHandle<PlacementView>,
    /// Its mount point inside the host's shadow root.
    root: Element,
    /// What it was last given, for the next re-render.
    props: PlacementProps,
}

struct Shell {
    state: State,
    started: bool,
    /// The page's cart (`data-cart="js"`), holding the handler `onAddToCart` registers
    /// (made when first needed).
    js_cart: Option<Rc<JsCart>>,
    /// A platform cart, if the script tag asks for one.
    platform: Option<Rc<dyn CartAdapter>>,
    apps: Vec<App>,
    /// Apps of placements that left the page, idle, for the next placement to take:
    /// Yew never frees an app's event handlers (they are "static" to it), so destroying
    /// and creating apps leaks ~1.7 KB per placement; reusing them costs nothing.
    idle: Vec<(AppHandle<PlacementView>, Element)>,
    next_id: PlacementId,
    /// Bumped by each render; one still re-rendering placements stops when a newer one
    /// starts (which re-renders them all).
    generation: u32,
}

thread_local! {
    // `const`: no lazy initialization code in the wasm.
    static SHELL: RefCell<Shell> = const {
        RefCell::new(Shell {
            state: State::new(),
            started: false,
            js_cart: None,
            platform: None,
            apps: Vec::new(),
            idle: Vec::new(),
            next_id: 0,
            generation: 0,
        })
    };
}

impl Shell {
    fn js_cart(&mut self) -> Rc<JsCart> {
        self.js_cart.get_or_insert_with(Rc::default).clone()
    }
}

fn with<R>(f: impl FnOnce(&mut Shell) -> R) -> R {
    SHELL.with(|shell| f(&mut shell.borrow_mut()))
}

/// Applies `action` and carries out what it calls for.
pub fn dispatch(action: Action) {
    let effects = with(|sh| sh.state.reduce(action));
    for effect in effects {
        match effect {
            Effect::Render => render(),
            Effect::SaveMemory => {
                with(|sh| sh.state.memory().map(memory::save));
            }
            Effect::Send {
                to,
                placement,
                event,
                context,
                items,
            } => {
                let host = with(|sh| sh.apps.iter().find(|a| a.id == to).map(|a| a.host.clone()));
                if let Some(host) = host {
                    events::send(&host, placement.name(), &context, &event, &items);
                }
            }
            Effect::Warn(message) => report::warn(&message),
        }
    }
}

/// The way back from the placements.
const LINK: Link = Link {
    dispatch,
    cart,
    shards_ready,
    live_ready,
};

/// Starts loading the config once; later calls are ignored.
pub fn start(settings: Settings) {
    if with(|sh| std::mem::replace(&mut sh.started, true)) {
        return;
    }
    let events = CartEvents::new(|news| dispatch(Action::Cart(news)), config, attribution);
    let platform = adapter::platform(&settings.cart, settings.cart_url.as_deref(), events)
        .unwrap_or_else(|e| {
            report::warn(&e);
            None
        });
    if platform.is_some() {
        enable_live();
    }
    with(|sh| sh.platform = platform.clone());
    dispatch(Action::Start {
        settings: settings.clone(),
        platform_cart: platform.is_some(),
    });
    load_memory();
    wasm_bindgen_futures::spawn_local(async move {
        match config_source::load_config(&settings).await {
            Ok(config) => {
                // A Shopify page in another currency than the config's: no prices at all
                // rather than wrong ones (see `shop_money`).
                #[cfg(feature = "shopify")]
                if let Some(e) = crate::shop_money::currency_mismatch(config.store().currency) {
                    report::warn(&e);
                    dispatch(Action::Config(ConfigState::Failed));
                    return;
                }
                dispatch(Action::Config(ConfigState::Ready(Rc::new(config))));
                if let Some(cart) = platform {
                    cart.watch();
                }
            }
            Err(e) => {
                report::warn(&e.to_string());
                dispatch(Action::Config(ConfigState::Failed));
            }
        }
    });
}

/// Reads the shopper's memory from storage (once): what rests now stays hidden for this
/// page view.
pub fn load_memory() {
    if with(|sh| sh.state.memory().is_some()) {
        return;
    }
    let now = dom::now();
    dispatch(Action::MemoryLoaded {
        memory: memory::load(now),
        now,
    });
}

/// Installs a loaded config (or its failure, or, in tests, loading again).
pub fn set_config(state: ConfigState) {
    dispatch(Action::Config(state));
}

/// The config, once loaded.
pub fn config() -> Option<Rc<Config>> {
    with(|sh| sh.state.config().cloned())
}

/// The shopper's bucket for the store's records, once the config and the shopper's
/// memory (its anonymous id decides the bucket) are both read.
fn attribution() -> Option<adapter::Attribution> {
    with(|sh| {
        sh.state.memory()?;
        sh.state.config()?;
        let context = sh.state.event_context();
        Some(adapter::Attribution {
            bucket: context.bucket,
            experiment: context.experiment,
        })
    })
}

/// `cartlift.setBasket(lines)`: the page's basket. Read at once (a copy: the page may
/// reuse its array), checked once the config is there; a bad one is reported and the
/// previous basket stays.
pub fn set_basket(lines: JsValue) {
    dispatch(Action::PageBasket(basket::from_page(lines)));
}

/// `cartlift.setSegments(names)`: the page's segments (the loader checked them), names
/// joined by spaces.
pub fn set_segments(names: String) {
    dispatch(Action::PageSegments(names));
}

/// A sharded config's shard arrived (see [`config_source::has_shards_for`]).
fn shard_settled(config: Option<Config>) {
    dispatch(Action::ShardSettled(config.map(Rc::new)));
}

fn shards_ready(product: Option<&str>, basket: &[BasketLine], cart: bool) -> bool {
    config_source::has_shards_for(product, basket, cart, shard_settled)
}

fn live_ready(ids: &[&str]) -> bool {
    crate::live::ready(ids, read_live)
}

/// Asks the cart adapter for the store's live figures of `ids`; the placements re-render
/// with every answer so far once it is in (see [`crate::live`]).
fn read_live(ids: Vec<String>) {
    wasm_bindgen_futures::spawn_local(async move {
        let asked = ids.clone();
        let answer = match config().and_then(|c| cart().live(c, ids)) {
            Some(read) => read.await,
            None => Ok(Vec::new()),
        };
        dispatch(Action::Live(crate::live::settled(&asked, answer)));
    });
}

/// The cart adapter chosen by the script tag (the page's own by default).
pub fn cart() -> Rc<dyn CartAdapter> {
    with(|sh| match &sh.platform {
        Some(cart) => cart.clone(),
        None => sh.js_cart(),
    })
}

/// Registers the page's add handler (`cartlift.onAddToCart`).
pub fn set_add_handler(handler: js_sys::Function) {
    let (started, kind) = with(|sh| {
        sh.js_cart().set_handler(handler);
        (sh.started, sh.state.settings().cart.clone())
    });
    if started && kind != "js" {
        report::warn(&format!(
            "onAddToCart is for data-cart=\"js\"; the {kind} adapter adds to the store's cart itself, so the handler is not called"
        ));
    }
}

/// Registers the page's live product read (`cartlift.onProducts`).
pub fn set_products_handler(handler: js_sys::Function) {
    let platform = with(|sh| {
        sh.js_cart().set_products(handler);
        sh.platform.is_some()
    });
    if platform {
        report::warn(
            "onProducts is for data-cart=\"js\"; the platform adapter reads the store's products itself",
        );
    } else {
        enable_live();
    }
}

/// Live reads are possible: the tab's earlier answers, if any, go to the placements.
fn enable_live() {
    if let Some(live) = crate::live::enable() {
        dispatch(Action::Live(live));
    }
}

/// The store's cart changed behind our back (the theme added something): re-read it.
pub fn cart_changed() {
    cart().refresh();
}

/// The loader saw the element come at least half into view (`true`) or leave it.
pub fn visible(host: &HtmlElement, in_view: bool) {
    if let Some(id) = with(|sh| sh.apps.iter().find(|a| a.host == *host).map(|a| a.id)) {
        dispatch(Action::Visible {
            id,
            in_view,
            now: dom::now(),
        });
    }
}

/// Shows everything the shopper dismissed again, here and in storage (a store's "show
/// hidden suggestions" link; also used by the tests).
pub fn forget_dismissals() {
    dispatch(Action::ForgetDismissals);
}

/// Placements re-rendered in one task. Re-ranking is fast (microseconds), but a page
/// with 200 placements and a 500-line basket would otherwise re-render them all in one
/// long task (measured: 330 ms); in tasks of this many, the page keeps answering.
const RENDER_BATCH: usize = 8;

/// Re-renders every placement from a new snapshot: those in view first, then the rest, a
/// batch per task.
fn render() {
    let (generation, snapshot, mut order) = with(|sh| {
        sh.generation = sh.generation.wrapping_add(1);
        let mut order: Vec<(bool, PlacementId)> = sh
            .apps
            .iter()
            .map(|a| (!sh.state.in_view(a.id), a.id))
            .collect();
        // Stable: document order (of mounting) within each group.
        cartlift_engine::sort::sort_by_key(&mut order, |(later, _)| *later);
        (sh.generation, Rc::new(sh.state.snapshot()), order)
    });
    let update = move |batch: &[(bool, PlacementId)], snapshot: &Rc<Snapshot>| {
        with(|sh| {
            for app in &mut sh.apps {
                if batch.iter().any(|(_, id)| *id == app.id) {
                    app.props.snapshot = snapshot.clone();
                    app.handle.update(app.props.clone());
                }
            }
        });
    };
    let rest = order.split_off(RENDER_BATCH.min(order.len()));
    update(&order, &snapshot);
    if rest.is_empty() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        for batch in rest.chunks(RENDER_BATCH) {
            crate::net::sleep(0).await;
            if with(|sh| sh.generation) != generation {
                return;
            }
            update(batch, &snapshot);
        }
    });
}

/// Renders (or re-renders, after an attribute change) the placement on `host`.
pub fn mount(host: HtmlElement) -> Result<(), WidgetError> {
    let placement_attr = host.get_attribute("placement").unwrap_or_default();
    let placement = Placement::parse(&placement_attr).ok_or_else(|| {
        WidgetError::Js(format!(
            "<cartlift-suggestions placement=\"{placement_attr}\">: placement must be product, cart, checkout or confirmation"
        ))
    })?;
    let product = host.get_attribute("product").filter(|p| !p.is_empty());
    if placement == Placement::Product && product.is_none() {
        report::warn(
            "<cartlift-suggestions placement=\"product\"> needs a product=\"ID\" attribute",
        );
    }
    if let Some(m) = host
        .get_attribute("max-items")
        .filter(|m| crate::view::max_items(m).is_none())
    {
        report::warn(&format!(
            "<cartlift-suggestions max-items=\"{m}\">: expected a whole number from 1; the config's limit applies"
        ));
    }
    let existing = with(|sh| sh.apps.iter().find(|a| a.host == host).map(|a| a.id));
    let id = existing.unwrap_or_else(|| {
        with(|sh| {
            sh.next_id = sh.next_id.wrapping_add(1);
            sh.next_id
        })
    });
    dispatch(Action::Mounted(id, placement));
    let props = PlacementProps {
        host: host.clone(),
        id,
        placement,
        product: product.map(Into::into),
        order: host.get_attribute("order").map(Into::into),
        active: true,
        snapshot: Rc::new(with(|sh| sh.state.snapshot())),
        link: LINK,
    };
    if existing.is_some() {
        with(|sh| {
            if let Some(app) = sh.apps.iter_mut().find(|a| a.id == id) {
                app.props = props.clone();
                app.handle.update(props);
            }
        });
        return Ok(());
    }
    let (handle, root) = match with(|sh| sh.idle.pop()) {
        Some((mut handle, root)) => {
            dom::prepare_shadow_root(&host, &root)?;
            handle.update(props.clone());
            (handle, root)
        }
        None => {
            let root = dom::new_mount_point(&host)?;
            dom::prepare_shadow_root(&host, &root)?;
            let handle =
                yew::Renderer::<PlacementView>::with_root_and_props(root.clone(), props.clone())
                    .render();
            (handle, root)
        }
    };
    with(|sh| {
        sh.apps.push(App {
            id,
            host,
            handle,
            root,
            props,
        })
    });
    Ok(())
}

/// Takes the placement off `host` (the element left the page): its app goes idle, out
/// of the element, for the next placement.
pub fn unmount(host: &HtmlElement) {
    let app = with(|sh| {
        let i = sh.apps.iter().position(|a| a.host == *host)?;
        // `remove`, not `swap_remove`: the order is the order placements re-render in.
        Some(sh.apps.remove(i))
    });
    let Some(App {
        id,
        mut handle,
        root,
        props,
        ..
    }) = app
    else {
        return;
    };
    dispatch(Action::Unmounted(id));
    handle.update(PlacementProps {
        product: None,
        order: None,
        active: false,
        ..props
    });
    root.remove();
    with(|sh| sh.idle.push((handle, root)));
}
