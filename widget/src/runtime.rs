//! The state every placement on a page shares: settings, the config, the basket, the cart
//! adapter, the shopper's memory and the mounted apps.
//!
//! One page, one runtime (wasm in the browser is single-threaded, so a thread-local is the
//! whole world). Every change goes through a function here, which then tells subscribed
//! placements to re-render. Listeners are called after the state is released, so a
//! re-render may read the runtime freely.

use crate::WidgetError;
use crate::adapter::{self, CartAdapter, JsCart};
use crate::components::{PlacementProps, PlacementView};
use crate::events::{self, Event};
use crate::js_value::Build;
use crate::{memory, report};
use cartlift_engine::shopper::{Bucket, ShopperMemory};
use cartlift_engine::{BasketLine, Config, Placement};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlElement};
use yew::{AppHandle, Callback};

/// Where the config comes from and which cart to talk to, from the script tag.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// `data-config`: URL of the config JSON.
    pub config_url: Option<String>,
    /// `data-cart`: which cart adapter (`js` by default).
    pub cart: String,
    /// `data-cart-url`: the cart API's root, when not the platform default.
    pub cart_url: Option<String>,
    /// The page's language: `data-locale` on the script tag, else `<html lang>`.
    pub locale: Option<String>,
}

/// Loading state of the config.
#[derive(Clone, Debug, Default)]
pub enum ConfigState {
    /// Not fetched yet, or in flight: placements hold their space.
    #[default]
    Loading,
    /// Ready to use.
    Ready(Rc<Config>),
    /// Fetching or validation failed (already reported once): placements render nothing.
    Failed,
}

/// What a placement reads when it renders.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The config.
    pub config: ConfigState,
    /// The basket as the cart last reported it.
    pub basket: Rc<[BasketLine]>,
    /// The page's language, to pick texts and number formats.
    pub locale: Option<Rc<str>>,
    /// Products not to suggest: dismissed, or resting after the frequency cap.
    pub excluded: Rc<[String]>,
    /// The shopper's side of the store's holdout split.
    pub bucket: Bucket,
}

/// One mounted placement.
struct App {
    host: HtmlElement,
    handle: AppHandle<PlacementView>,
    /// Its mount point inside the host's shadow root.
    root: Element,
    /// What it shows now: product ids and rule ids (for the impression).
    shown: (Vec<String>, Vec<String>),
    /// The impression of this view was sent.
    impressed: bool,
    /// Seen at least half in view since the view began.
    visible: bool,
}

#[derive(Default)]
struct Runtime {
    settings: Settings,
    started: bool,
    config: ConfigState,
    basket: Option<Rc<[BasketLine]>>,
    /// A basket handed over before the config (and so the currency) was known, as read.
    pending_basket: Option<Result<Vec<crate::basket::RawLine>, String>>,
    js_cart: Rc<JsCart>,
    cart: Option<Rc<dyn CartAdapter>>,
    /// The cart is the platform's (Shopify, WooCommerce): placements wait for its first
    /// read, or they would suggest what is already in it.
    platform_cart: bool,
    memory: Option<ShopperMemory>,
    /// Resting at page load plus dismissed since: stable for the page view, so a product
    /// does not vanish under the shopper's eyes when it reaches its cap.
    excluded: Rc<[String]>,
    /// Placements to re-render on a change: id, callback, and the host element.
    listeners: Vec<(u32, Callback<()>, HtmlElement)>,
    /// Apps of placements that left the page, idle, for the next placement to take:
    /// Yew never frees an app's event handlers (they are "static" to it), so destroying
    /// and creating apps leaks ~1.7 KB per placement; reusing them costs nothing.
    idle: Vec<(AppHandle<PlacementView>, Element)>,
    next_listener: u32,
    /// Bumped by each change; a change still telling placements stops when a newer
    /// one starts (which tells them all).
    generation: u32,
    apps: Vec<App>,
}

thread_local! {
    static RUNTIME: RefCell<Runtime> = RefCell::new(Runtime::default());
}

fn with<R>(f: impl FnOnce(&mut Runtime) -> R) -> R {
    RUNTIME.with(|rt| f(&mut rt.borrow_mut()))
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Starts loading the config once; later calls are ignored.
pub fn start(settings: Settings) {
    let first = with(|rt| {
        if rt.started {
            return false;
        }
        rt.started = true;
        let cart = adapter::from_settings(&settings.cart, settings.cart_url.as_deref());
        rt.platform_cart = settings.cart != "js" && cart.is_ok();
        let cart = cart.unwrap_or_else(|e| {
            report::warn(&e);
            rt.js_cart.clone()
        });
        // `js` shares the handler `onAddToCart` registers.
        rt.cart = Some(if settings.cart == "js" {
            rt.js_cart.clone()
        } else {
            cart
        });
        rt.settings = settings;
        true
    });
    if !first {
        return;
    }
    load_memory();
    let settings = with(|rt| rt.settings.clone());
    wasm_bindgen_futures::spawn_local(async move {
        match crate::config_source::load_config(&settings).await {
            Ok(config) => {
                set_config(ConfigState::Ready(Rc::new(config)));
                cart().watch();
            }
            Err(e) => {
                report::warn(&e.to_string());
                set_config(ConfigState::Failed);
            }
        }
    });
}

/// Reads the shopper's memory from storage (once): what rests now stays hidden for this
/// page view.
pub fn load_memory() {
    if with(|rt| rt.memory.is_some()) {
        return;
    }
    let memory = memory::load(now());
    with(|rt| {
        rt.excluded = memory
            .excluded(now())
            .into_iter()
            .map(String::from)
            .collect();
        rt.memory = Some(memory);
    });
}

/// Installs a loaded config (or its failure) and applies a basket that arrived early.
pub fn set_config(state: ConfigState) {
    let pending = with(|rt| {
        rt.config = state;
        rt.pending_basket.take()
    });
    if let Some(lines) = pending {
        page_basket(lines);
    }
    notify();
}

/// Whether the config has what a placement needs: with a sharded config, the shards of
/// the page's product and of the basket's lines (and, for the cart and checkout, the cart
/// shard); see [`crate::config_source::has_shards_for`].
pub fn has_shards_for(product: Option<&str>, basket: &[BasketLine], cart: bool) -> bool {
    crate::config_source::has_shards_for(product, basket, cart, shard_settled)
}

/// A shard arrived: the config with it merged in, or nothing new (the placements waiting
/// for it go on without it).
fn shard_settled(config: Option<Config>) {
    match config {
        Some(config) => set_config(ConfigState::Ready(Rc::new(config))),
        None => notify(),
    }
}

/// The config, once loaded.
pub fn config() -> Option<Rc<Config>> {
    with(|rt| match &rt.config {
        ConfigState::Ready(c) => Some(c.clone()),
        _ => None,
    })
}

/// Replaces the basket with the page's lines (`cartlift.setBasket`), read at once (the
/// page may reuse its array); invalid input is reported and ignored, so the previous
/// basket stays.
pub fn set_basket(lines: JsValue) {
    page_basket(crate::basket::from_page(lines));
}

/// The page's basket as read: checked in the store's currency once the config is there
/// (kept until then).
fn page_basket(lines: Result<Vec<crate::basket::RawLine>, String>) {
    let currency = with(|rt| match &rt.config {
        ConfigState::Ready(c) => Ok(c.store().currency),
        ConfigState::Loading => Err(true),
        ConfigState::Failed => Err(false),
    });
    let currency = match currency {
        Ok(c) => c,
        Err(loading) => {
            if loading {
                with(|rt| rt.pending_basket = Some(lines));
            }
            return;
        }
    };
    match lines.and_then(|lines| crate::basket::to_basket(lines, currency)) {
        Ok(lines) => set_basket_lines(lines),
        Err(e) => report::warn(&WidgetError::Basket(e).to_string()),
    }
}

/// Replaces the basket (from a cart adapter); placements re-rank.
pub fn set_basket_lines(lines: Vec<BasketLine>) {
    let changed = with(|rt| {
        let same = rt.basket.as_deref() == Some(lines.as_slice());
        if !same {
            rt.basket = Some(lines.into());
        }
        !same
    });
    if changed {
        notify();
    }
}

/// The platform cart could not be read: placements stop waiting for it and show what
/// suits an empty basket (a later read still re-ranks them).
pub fn cart_unreadable() {
    let first = with(|rt| {
        let first = rt.basket.is_none();
        if first {
            rt.basket = Some(Rc::from([]));
        }
        first
    });
    if first {
        notify();
    }
}

/// The current state, for rendering.
pub fn snapshot() -> Snapshot {
    with(|rt| Snapshot {
        // Until a platform cart has answered its first read, the basket is unknown:
        // placements hold their space as while the config loads.
        config: match (&rt.config, &rt.basket) {
            (ConfigState::Ready(_), None) if rt.platform_cart => ConfigState::Loading,
            (config, _) => config.clone(),
        },
        basket: rt.basket.clone().unwrap_or_else(|| Rc::from([])),
        locale: rt.settings.locale.as_deref().map(Rc::from),
        excluded: rt.excluded.clone(),
        bucket: bucket_of(rt),
    })
}

fn bucket_of(rt: &Runtime) -> Bucket {
    match (&rt.config, &rt.memory) {
        (ConfigState::Ready(c), Some(m)) => m.bucket(c.store().holdout.as_ref()),
        _ => Bucket::Treatment,
    }
}

/// What every event carries: bucket, experiment name, and whether to mirror it into
/// `window.dataLayer`.
pub(crate) fn event_context() -> (&'static str, Option<String>, bool) {
    with(|rt| {
        let store = match &rt.config {
            ConfigState::Ready(c) => Some(c.store()),
            _ => None,
        };
        (
            bucket_of(rt).name(),
            store.and_then(|s| s.holdout.as_ref().map(|h| h.experiment.clone())),
            store.is_some_and(|s| s.data_layer),
        )
    })
}

/// The cart adapter chosen by the script tag.
pub fn cart() -> Rc<dyn CartAdapter> {
    with(|rt| rt.cart.clone().unwrap_or_else(|| rt.js_cart.clone()))
}

/// Registers the page's add handler (`cartlift.onAddToCart`).
pub fn set_add_handler(handler: js_sys::Function) {
    let kind = with(|rt| {
        rt.js_cart.set_handler(handler);
        rt.settings.cart.clone()
    });
    if rt_started() && kind != "js" {
        report::warn(&format!(
            "onAddToCart is for data-cart=\"js\"; the {kind} adapter adds to the store's cart itself, so the handler is not called"
        ));
    }
}

fn rt_started() -> bool {
    with(|rt| rt.started)
}

/// The store's cart changed behind our back (the theme added something): re-read it.
pub fn cart_changed() {
    cart().refresh();
}

/// Calls `listener` after every change to what the placement on `host` shows; returns
/// an id for [`unsubscribe`].
pub fn subscribe(host: HtmlElement, listener: Callback<()>) -> u32 {
    with(|rt| {
        rt.next_listener += 1;
        rt.listeners.push((rt.next_listener, listener, host));
        rt.next_listener
    })
}

/// Stops calling a listener.
pub fn unsubscribe(id: u32) {
    with(|rt| rt.listeners.retain(|(i, _, _)| *i != id));
}

/// Placements re-rendered in one task. Re-ranking is fast (microseconds), but a page
/// with 200 placements and a 500-line basket would otherwise re-render them all in one
/// long task (measured: 330 ms); in tasks of this many, the page keeps answering.
const RENDER_BATCH: usize = 8;

/// Tells every placement to re-render: those in view first, then the rest, a batch per
/// task.
fn notify() {
    let (generation, listeners) = with(|rt| {
        rt.generation = rt.generation.wrapping_add(1);
        let in_view = |host: &HtmlElement| rt.apps.iter().any(|a| a.host == *host && a.visible);
        let mut listeners: Vec<(bool, Callback<()>)> = rt
            .listeners
            .iter()
            .map(|(_, l, host)| (!in_view(host), l.clone()))
            .collect();
        // Stable: document order within each group.
        cartlift_engine::sort::sort_by_key(&mut listeners, |(later, _)| *later);
        (rt.generation, listeners)
    });
    let mut batches = listeners.chunks(RENDER_BATCH).map(<[_]>::to_vec);
    let emit = |batch: Vec<(bool, Callback<()>)>| batch.into_iter().for_each(|(_, l)| l.emit(()));
    if let Some(first) = batches.next() {
        emit(first);
    }
    let rest: Vec<_> = batches.collect();
    if rest.is_empty() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        for batch in rest {
            crate::net::sleep(0).await;
            if with(|rt| rt.generation) != generation {
                return;
            }
            emit(batch);
        }
    });
}

fn update_memory(f: impl FnOnce(&mut ShopperMemory, &Config)) {
    let Some(config) = config() else {
        return;
    };
    with(|rt| {
        if let Some(m) = rt.memory.as_mut() {
            f(m, &config);
            memory::save(m);
        }
    });
}

/// "Not interested": hidden now and for the store's `dismiss_days`, on every placement.
pub fn dismiss(host: &HtmlElement, placement: Placement, product: &str, rules: &[String]) {
    update_memory(|m, c| m.dismiss(product, now(), c.store().frequency_cap));
    with(|rt| {
        let mut excluded: Vec<String> = rt.excluded.to_vec();
        if !excluded.iter().any(|e| e == product) {
            excluded.push(product.to_owned());
        }
        rt.excluded = excluded.into();
    });
    events::send(
        host,
        Event {
            name: "dismiss",
            placement: placement.name(),
            fields: vec![
                ("product", product.into()),
                ("rules", JsValue::strings(rules)),
            ],
        },
    );
    notify();
}

/// Shows everything the shopper dismissed again, here and in storage (a store's "show
/// hidden suggestions" link; also used by the tests).
pub fn forget_dismissals() {
    with(|rt| {
        rt.excluded = Rc::from([]);
        if let Some(m) = rt.memory.as_mut() {
            *m = ShopperMemory::new(m.id());
            memory::save(m);
        }
    });
    notify();
}

/// The shopper clicked or added a suggestion: its frequency count starts over.
pub fn engaged(product: &str) {
    update_memory(|m, _| m.record_engagement(product));
}

/// A placement tells what it shows after each render; a new view (another product)
/// resets the impression.
pub fn set_shown(host: &HtmlElement, products: Vec<String>, rules: Vec<String>, new_view: bool) {
    let visible = with(|rt| {
        let app = rt.apps.iter_mut().find(|a| a.host == *host)?;
        // A new view earns a new impression; whether the element is in view is the
        // loader's to say (it reports every crossing), so `visible` stays as it is.
        if new_view {
            app.impressed = false;
        }
        app.shown = (products, rules);
        Some(app.visible)
    });
    if visible == Some(true) {
        impression(host);
    }
}

/// The loader saw the element come at least half into view (`true`) or leave it.
pub fn visible(host: &HtmlElement, in_view: bool) {
    with(|rt| {
        if let Some(app) = rt.apps.iter_mut().find(|a| a.host == *host) {
            app.visible = in_view;
        }
    });
    if in_view {
        impression(host);
    }
}

/// Sends this view's impression once, when it is visible and shows something, and counts
/// it towards the frequency cap.
fn impression(host: &HtmlElement) {
    let due = with(|rt| {
        let app = rt.apps.iter_mut().find(|a| a.host == *host)?;
        if app.impressed || !app.visible || app.shown.0.is_empty() {
            return None;
        }
        app.impressed = true;
        Some(app.shown.clone())
    });
    let Some((products, rules)) = due else {
        return;
    };
    let placement = host.get_attribute("placement").unwrap_or_default();
    let held_out = snapshot().bucket == Bucket::Holdout;
    if !held_out {
        update_memory(|m, c| {
            m.record_impressions(
                products.iter().map(String::as_str),
                now(),
                c.store().frequency_cap,
            );
        });
    }
    events::send(
        host,
        Event {
            name: "impression",
            placement: &placement,
            fields: vec![
                ("products", JsValue::strings(&products)),
                ("rules", JsValue::strings(&rules)),
                ("shown", JsValue::bool(!held_out)),
            ],
        },
    );
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
    let props = PlacementProps {
        host: host.clone(),
        placement,
        product: product.map(Into::into),
        order: host.get_attribute("order").map(Into::into),
        active: true,
    };
    if let Some(i) = with(|rt| rt.apps.iter().position(|a| a.host == host)) {
        with(|rt| rt.apps[i].handle.update(props));
        return Ok(());
    }
    let (handle, root) = match with(|rt| rt.idle.pop()) {
        Some((mut handle, root)) => {
            crate::dom::prepare_shadow_root(&host, &root)?;
            handle.update(props);
            (handle, root)
        }
        None => {
            let root = crate::dom::new_mount_point(&host)?;
            crate::dom::prepare_shadow_root(&host, &root)?;
            let handle =
                yew::Renderer::<PlacementView>::with_root_and_props(root.clone(), props).render();
            (handle, root)
        }
    };
    with(|rt| {
        rt.apps.push(App {
            host,
            handle,
            root,
            shown: Default::default(),
            impressed: false,
            visible: false,
        })
    });
    Ok(())
}

/// Takes the placement off `host` (the element left the page): its app goes idle, out
/// of the element, for the next placement.
pub fn unmount(host: &HtmlElement) {
    let app = with(|rt| {
        let i = rt.apps.iter().position(|a| a.host == *host)?;
        Some(rt.apps.swap_remove(i))
    });
    if let Some(App {
        mut handle, root, ..
    }) = app
    {
        handle.update(PlacementProps {
            host: host.clone(),
            placement: Placement::Product,
            product: None,
            order: None,
            active: false,
        });
        root.remove();
        with(|rt| rt.idle.push((handle, root)));
    }
}
