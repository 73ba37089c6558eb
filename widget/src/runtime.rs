//! The state every placement on a page shares: settings, the config, the basket, the cart
//! adapter and the mounted apps.
//!
//! One page, one runtime (wasm in the browser is single-threaded, so a thread-local is the
//! whole world). Every change goes through a function here, which then tells subscribed
//! placements to re-render. Listeners are called after the state is released, so a
//! re-render may read the runtime freely.

use crate::WidgetError;
use crate::adapter::{CartAdapter, JsCart};
use crate::components::{PlacementProps, PlacementView};
use crate::report;
use cartlift_engine::{BasketLine, Config, Placement};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::HtmlElement;
use yew::{AppHandle, Callback};

/// Where the config comes from and which cart to talk to, from the script tag.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// `data-config`: URL of the config JSON.
    pub config_url: Option<String>,
    /// `data-cart`: which cart adapter (`js` by default).
    pub cart: String,
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
    /// The basket as the page last reported it.
    pub basket: Rc<[BasketLine]>,
    /// The page's language, to pick texts and number formats.
    pub locale: Option<Rc<str>>,
}

#[derive(Default)]
struct Runtime {
    settings: Settings,
    started: bool,
    config: ConfigState,
    basket: Option<Rc<[BasketLine]>>,
    /// A basket handed over before the config (and so the currency) was known.
    pending_basket: Option<String>,
    cart: Rc<JsCart>,
    listeners: Vec<(u32, Callback<()>)>,
    next_listener: u32,
    apps: Vec<(HtmlElement, AppHandle<PlacementView>)>,
}

thread_local! {
    static RUNTIME: RefCell<Runtime> = RefCell::new(Runtime::default());
}

fn with<R>(f: impl FnOnce(&mut Runtime) -> R) -> R {
    RUNTIME.with(|rt| f(&mut rt.borrow_mut()))
}

/// Starts loading the config once; later calls are ignored.
pub fn start(settings: Settings) {
    let first = with(|rt| {
        if rt.started {
            return false;
        }
        rt.started = true;
        if settings.cart != "js" {
            report::warn(&format!(
                "unknown data-cart=\"{}\"; using the js adapter (cartlift.setBasket / cartlift.onAddToCart)",
                settings.cart
            ));
        }
        rt.settings = settings;
        true
    });
    if first {
        let settings = with(|rt| rt.settings.clone());
        wasm_bindgen_futures::spawn_local(async move {
            match crate::dom::load_config(&settings).await {
                Ok(config) => set_config(ConfigState::Ready(Rc::new(config))),
                Err(e) => {
                    report::warn(&e.to_string());
                    set_config(ConfigState::Failed);
                }
            }
        });
    }
}

/// Installs a loaded config (or its failure) and applies a basket that arrived early.
pub fn set_config(state: ConfigState) {
    let pending = with(|rt| {
        rt.config = state;
        rt.pending_basket.take()
    });
    if let Some(json) = pending {
        set_basket_json(&json);
    }
    notify();
}

/// Replaces the basket from the page's JSON; invalid input is reported and ignored, so the
/// previous basket stays.
pub fn set_basket_json(json: &str) {
    let currency = with(|rt| match &rt.config {
        ConfigState::Ready(c) => Ok(c.store().currency),
        ConfigState::Loading => Err(true),
        ConfigState::Failed => Err(false),
    });
    let currency = match currency {
        Ok(c) => c,
        Err(loading) => {
            if loading {
                with(|rt| rt.pending_basket = Some(json.to_owned()));
            }
            return;
        }
    };
    match crate::basket::parse_basket(json, currency) {
        Ok(lines) => {
            with(|rt| rt.basket = Some(lines.into()));
            notify();
        }
        Err(e) => report::warn(&WidgetError::Basket(e).to_string()),
    }
}

/// The current state, for rendering.
pub fn snapshot() -> Snapshot {
    with(|rt| Snapshot {
        config: rt.config.clone(),
        basket: rt.basket.clone().unwrap_or_else(|| Rc::from([])),
        locale: rt.settings.locale.as_deref().map(Rc::from),
    })
}

/// The cart adapter chosen by the script tag.
pub fn cart() -> Rc<dyn CartAdapter> {
    with(|rt| rt.cart.clone())
}

/// The `js` adapter, to register the page's add handler on.
pub fn js_cart() -> Rc<JsCart> {
    with(|rt| rt.cart.clone())
}

/// Calls `listener` after every change; returns an id for [`unsubscribe`].
pub fn subscribe(listener: Callback<()>) -> u32 {
    with(|rt| {
        rt.next_listener += 1;
        rt.listeners.push((rt.next_listener, listener));
        rt.next_listener
    })
}

/// Stops calling a listener.
pub fn unsubscribe(id: u32) {
    with(|rt| rt.listeners.retain(|(i, _)| *i != id));
}

fn notify() {
    let listeners: Vec<Callback<()>> =
        with(|rt| rt.listeners.iter().map(|(_, l)| l.clone()).collect());
    for listener in listeners {
        listener.emit(());
    }
}

/// Renders (or re-renders, after an attribute change) the placement on `host`.
pub fn mount(host: HtmlElement) -> Result<(), WidgetError> {
    let placement_attr = host.get_attribute("placement").unwrap_or_default();
    let placement = Placement::parse(&placement_attr).ok_or_else(|| {
        WidgetError::Js(format!(
            "<cartlift-suggestions placement=\"{placement_attr}\">: placement must be product, cart, checkout or confirmation"
        ))
    })?;
    let props = PlacementProps {
        host: host.clone(),
        placement,
        product: host.get_attribute("product").map(Into::into),
    };
    if let Some(app) = with(|rt| rt.apps.iter().position(|(h, _)| *h == host)) {
        with(|rt| rt.apps[app].1.update(props));
        return Ok(());
    }
    let root = crate::dom::prepare_shadow_root(&host)?;
    let app = yew::Renderer::<PlacementView>::with_root_and_props(root, props).render();
    with(|rt| rt.apps.push((host, app)));
    Ok(())
}

/// Tears down the placement on `host` (the element left the page).
pub fn unmount(host: &HtmlElement) {
    let app = with(|rt| {
        let i = rt.apps.iter().position(|(h, _)| h == host)?;
        Some(rt.apps.swap_remove(i).1)
    });
    if let Some(app) = app {
        app.destroy();
    }
}
