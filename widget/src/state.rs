//! The widget's state: one plain value and its reducer, as Yew's own examples keep
//! theirs. Every decision the runtime makes about the page is here and tested on the host:
//! when a basket applies, when placements wait, when an impression is due and what it
//! counts, what a dismissal hides. The browser shell ([`crate::runtime`]) applies
//! [`Action`]s and carries out the [`Effect`]s they return; nothing here touches the page.

use crate::WidgetError;
use crate::adapter::CartNews;
use crate::basket::{self, RawLine};
use crate::events::{Event, EventContext, EventItem};
use cartlift_engine::live::Live;
use cartlift_engine::shopper::{Bucket, ShopperMemory};
use cartlift_engine::{BasketLine, Config, Placement};
use std::rc::Rc;

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
    /// `data-segments`: the shopper's customer segments, names separated by spaces (see
    /// [`crate::segments`]); empty when absent.
    pub segments: String,
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

/// A mounted placement, as the runtime numbers them.
pub type PlacementId = u32;

/// What a placement reads when it renders.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The config; `Loading` also while a platform cart has not been read yet.
    pub config: ConfigState,
    /// The basket as the cart last reported it.
    pub basket: Rc<[BasketLine]>,
    /// The page's language, to pick texts and number formats.
    pub locale: Option<Rc<str>>,
    /// Products not to suggest: dismissed, or resting after the frequency cap.
    pub excluded: Rc<[String]>,
    /// The page's customer segments, names separated by spaces (a placement's `segments`
    /// attribute replaces them).
    pub segments: String,
    /// What the placement's events carry (the shopper's bucket among it).
    pub context: EventContext,
    /// The store's live price and stock of the products read so far (see [`crate::live`]).
    pub live: Option<Rc<Live>>,
    /// The store did not grant the bundle discount: the bundle price is not promised.
    pub discount_withdrawn: bool,
}

/// One placement's view, for its impression.
#[derive(Clone, Debug, PartialEq)]
struct View {
    placement: Placement,
    /// What it shows now: product ids, the rules behind them, and what its events may
    /// name.
    products: Vec<String>,
    rules: Vec<String>,
    items: Rc<[EventItem]>,
    /// The impression of this view was sent.
    impressed: bool,
    /// Seen at least half in view since the view began.
    visible: bool,
}

/// Something that happened: from the script tag, the config source, the page, the cart,
/// or a placement.
#[derive(Clone, Debug)]
pub enum Action {
    /// The script tag's settings. `platform_cart`: the cart is the platform's (Shopify,
    /// WooCommerce), so placements wait for its first read, or they would suggest what is
    /// already in it.
    Start {
        /// The settings.
        settings: Settings,
        /// Whether a platform adapter reads the cart.
        platform_cart: bool,
    },
    /// The shopper's memory was read from storage (the first read counts).
    MemoryLoaded {
        /// What was stored, or a fresh memory.
        memory: ShopperMemory,
        /// Unix seconds.
        now: i64,
    },
    /// The config loaded, failed, or (tests) went back to loading.
    Config(ConfigState),
    /// A sharded config's shard was fetched: the config with it merged in, or `None` if
    /// it added nothing (missing, or broken: the placements waiting go on without it).
    ShardSettled(Option<Rc<Config>>),
    /// `cartlift.setBasket(lines)`: the page's lines as read, or why they could not be.
    PageBasket(Result<Vec<RawLine>, String>),
    /// `cartlift.setSegments(names)`: the names, checked by the loader, joined by spaces.
    PageSegments(String),
    /// A platform cart adapter's news.
    Cart(CartNews),
    /// The live product reads so far (every answer, merged), after one settled.
    Live(Rc<Live>),
    /// A whole bundle was added but the store did not grant its discount: why.
    DiscountRefused(String),
    /// A placement was mounted (or its attributes changed).
    Mounted(PlacementId, Placement),
    /// A placement left the page.
    Unmounted(PlacementId),
    /// A placement rendered; a new view (another product) earns a new impression.
    Shown {
        /// Which.
        id: PlacementId,
        /// Product ids shown.
        products: Vec<String>,
        /// Rule ids behind them.
        rules: Vec<String>,
        /// What events may name, with names, prices and section headings.
        items: Rc<[EventItem]>,
        /// A new view began.
        new_view: bool,
        /// Unix seconds.
        now: i64,
    },
    /// The loader saw the placement come at least half into view, or leave it.
    Visible {
        /// Which.
        id: PlacementId,
        /// In view now.
        in_view: bool,
        /// Unix seconds.
        now: i64,
    },
    /// A suggestion's link was followed.
    Clicked {
        /// Where.
        id: PlacementId,
        /// The product.
        product: String,
        /// Rule ids behind it.
        rules: Vec<String>,
    },
    /// The cart confirmed an add of these products.
    Added(Vec<String>),
    /// "Not interested".
    Dismissed {
        /// Where.
        id: PlacementId,
        /// The product.
        product: String,
        /// Rule ids behind it.
        rules: Vec<String>,
        /// Unix seconds.
        now: i64,
    },
    /// Show everything the shopper dismissed again ("show hidden suggestions").
    ForgetDismissals,
}

/// What the shell must do after an action.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Re-render every placement from a new [`Snapshot`].
    Render,
    /// Store the shopper's memory ([`State::memory`]).
    SaveMemory,
    /// Dispatch an event from a placement's element.
    Send {
        /// From which placement.
        to: PlacementId,
        /// Its placement attribute.
        placement: Placement,
        /// The event.
        event: Event,
        /// What it carries besides.
        context: EventContext,
        /// The placement's products, for the event's names and prices.
        items: Rc<[EventItem]>,
    },
    /// Say something in the console.
    Warn(String),
}

/// Everything the runtime decides from.
#[derive(Debug)]
pub struct State {
    settings: Settings,
    platform_cart: bool,
    config: ConfigState,
    /// `None` until a cart reported: with a platform cart, "not read yet".
    basket: Option<Rc<[BasketLine]>>,
    /// A basket handed over before the config (and so the currency) was known.
    pending_basket: Option<Result<Vec<RawLine>, String>>,
    memory: Option<ShopperMemory>,
    /// Resting at page load plus dismissed since: stable for the page view, so a product
    /// does not vanish under the shopper's eyes when it reaches its cap.
    excluded: Vec<String>,
    /// The last `setSegments`, which replaces `data-segments`.
    segments: Option<String>,
    views: Vec<(PlacementId, View)>,
    live: Option<Rc<Live>>,
    /// Live prices that differ from the config were reported (once a page view).
    prices_reported: bool,
    discount_withdrawn: bool,
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

impl State {
    /// Nothing known yet. `const`, so the runtime's thread-local needs no lazy
    /// initialization code.
    pub const fn new() -> Self {
        State {
            settings: Settings {
                config_url: None,
                cart: String::new(),
                cart_url: None,
                locale: None,
                segments: String::new(),
            },
            platform_cart: false,
            config: ConfigState::Loading,
            basket: None,
            pending_basket: None,
            memory: None,
            excluded: Vec::new(),
            segments: None,
            views: Vec::new(),
            live: None,
            prices_reported: false,
            discount_withdrawn: false,
        }
    }

    /// Applies `action`; returns what the shell must do, in order.
    pub fn reduce(&mut self, action: Action) -> Vec<Effect> {
        let mut effects = Effects::default();
        match action {
            Action::Start {
                settings,
                platform_cart,
            } => {
                self.settings = settings;
                self.platform_cart = platform_cart;
            }
            Action::MemoryLoaded { memory, now } => {
                if self.memory.is_none() {
                    self.excluded = memory.excluded(now).into_iter().map(String::from).collect();
                    self.memory = Some(memory);
                }
            }
            Action::Config(config) => self.set_config(config, &mut effects),
            Action::ShardSettled(Some(config)) => {
                self.set_config(ConfigState::Ready(config), &mut effects);
            }
            Action::ShardSettled(None) => effects.render(),
            Action::PageBasket(lines) => self.page_basket(lines, &mut effects),
            // Placements re-rank only if the segments changed.
            Action::PageSegments(text) => {
                if *self.page_segments() != text {
                    self.segments = Some(text);
                    effects.render();
                }
            }
            Action::Live(live) => {
                self.report_prices(&live, &mut effects);
                self.live = Some(live);
                effects.render();
            }
            Action::DiscountRefused(why) => {
                if !std::mem::replace(&mut self.discount_withdrawn, true) {
                    effects.push(Effect::Warn(format!(
                        "the store did not grant the bundle discount ({why}); the bundle price is no longer shown on this page"
                    )));
                    effects.render();
                }
            }
            Action::Cart(CartNews::Lines(lines)) => self.set_basket(lines, &mut effects),
            Action::Cart(CartNews::Unreadable) => {
                // Placements stop waiting and show what suits an empty basket; a later
                // read still re-ranks them.
                if self.basket.is_none() {
                    self.basket = Some(Rc::from([]));
                    effects.render();
                }
            }
            Action::Mounted(id, placement) => match self.view_mut(id) {
                Some(view) => view.placement = placement,
                None => self.views.push((
                    id,
                    View {
                        placement,
                        products: Vec::new(),
                        rules: Vec::new(),
                        items: Rc::from([]),
                        impressed: false,
                        visible: false,
                    },
                )),
            },
            Action::Unmounted(id) => self.views.retain(|(v, _)| *v != id),
            Action::Shown {
                id,
                products,
                rules,
                items,
                new_view,
                now,
            } => {
                if let Some(view) = self.view_mut(id) {
                    // Whether the element is in view is the loader's to say (it reports
                    // every crossing), so `visible` stays as it is.
                    if new_view {
                        view.impressed = false;
                    }
                    view.products = products;
                    view.rules = rules;
                    view.items = items;
                    self.impression(id, now, &mut effects);
                }
            }
            Action::Visible { id, in_view, now } => {
                if let Some(view) = self.view_mut(id) {
                    view.visible = in_view;
                    self.impression(id, now, &mut effects);
                }
            }
            Action::Clicked { id, product, rules } => {
                self.update_memory(&mut effects, |m, _| m.record_engagement(&product));
                self.send(id, Event::Click { product, rules }, &mut effects);
            }
            Action::Added(products) => self.update_memory(&mut effects, |m, _| {
                for product in &products {
                    m.record_engagement(product);
                }
            }),
            Action::Dismissed {
                id,
                product,
                rules,
                now,
            } => {
                self.update_memory(&mut effects, |m, c| {
                    m.dismiss(&product, now, c.store().frequency_cap);
                });
                if !self.excluded.contains(&product) {
                    self.excluded.push(product.clone());
                }
                self.send(id, Event::Dismiss { product, rules }, &mut effects);
                effects.render();
            }
            Action::ForgetDismissals => {
                self.excluded.clear();
                if let Some(m) = self.memory.as_mut() {
                    *m = ShopperMemory::new(m.id());
                    effects.push(Effect::SaveMemory);
                }
                effects.render();
            }
        }
        effects.into_vec()
    }

    /// The state as placements render it.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            // Until a platform cart has answered its first read, the basket is unknown:
            // placements hold their space as while the config loads.
            config: match (&self.config, &self.basket) {
                (ConfigState::Ready(_), None) if self.platform_cart => ConfigState::Loading,
                (config, _) => config.clone(),
            },
            basket: self.basket.clone().unwrap_or_else(|| Rc::from([])),
            locale: self.settings.locale.as_deref().map(Rc::from),
            excluded: self.excluded.as_slice().into(),
            segments: self.page_segments().clone(),
            context: self.event_context(),
            live: self.live.clone(),
            discount_withdrawn: self.discount_withdrawn,
        }
    }

    /// Says once a page view how many live prices differ from the config's, so the owner
    /// knows the config is out of date.
    fn report_prices(&mut self, live: &Live, effects: &mut Effects) {
        let ConfigState::Ready(config) = &self.config else {
            return;
        };
        if self.prices_reported {
            return;
        }
        let differ = live
            .iter()
            .filter(|(id, l)| {
                config
                    .product_by_id(id)
                    .is_some_and(|p| p.price_to_add() != l.price)
            })
            .count();
        if differ > 0 {
            self.prices_reported = true;
            effects.push(Effect::Warn(format!(
                "{differ} price{} differ{} from the config; re-run cartlift catalog",
                if differ == 1 { "" } else { "s" },
                if differ == 1 { "s" } else { "" },
            )));
        }
    }

    /// The page's segments: the last `setSegments`, else `data-segments`.
    fn page_segments(&self) -> &String {
        self.segments.as_ref().unwrap_or(&self.settings.segments)
    }

    /// The config, once loaded.
    pub fn config(&self) -> Option<&Rc<Config>> {
        match &self.config {
            ConfigState::Ready(c) => Some(c),
            _ => None,
        }
    }

    /// The script tag's settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The shopper's memory, once read.
    pub fn memory(&self) -> Option<&ShopperMemory> {
        self.memory.as_ref()
    }

    /// The shopper's side of the store's holdout split (treatment until both the config
    /// and the memory are there).
    pub fn bucket(&self) -> Bucket {
        match (self.config(), &self.memory) {
            (Some(c), Some(m)) => m.bucket(c.store().holdout.as_ref()),
            _ => Bucket::Treatment,
        }
    }

    /// What every event carries now.
    pub fn event_context(&self) -> EventContext {
        let store = self.config().map(|c| c.store());
        EventContext {
            bucket: self.bucket(),
            experiment: store.and_then(|s| s.holdout.as_ref().map(|h| h.experiment.clone())),
            data_layer: store.is_some_and(|s| s.data_layer),
            currency: store.map(|s| s.currency),
        }
    }

    /// Whether placement `id` is in view (placements in view re-render first).
    pub fn in_view(&self, id: PlacementId) -> bool {
        self.views.iter().any(|(v, view)| *v == id && view.visible)
    }

    fn view_mut(&mut self, id: PlacementId) -> Option<&mut View> {
        self.views
            .iter_mut()
            .find(|(v, _)| *v == id)
            .map(|(_, view)| view)
    }

    /// Installs a loaded config (or its failure) and applies a basket that arrived early.
    fn set_config(&mut self, config: ConfigState, effects: &mut Effects) {
        self.config = config;
        if let Some(lines) = self.pending_basket.take() {
            self.page_basket(lines, effects);
        }
        effects.render();
    }

    /// The page's basket: checked in the store's currency once the config is there (kept
    /// until then); a bad one is reported and the previous basket stays.
    fn page_basket(&mut self, lines: Result<Vec<RawLine>, String>, effects: &mut Effects) {
        let currency = match &self.config {
            ConfigState::Ready(c) => c.store().currency,
            ConfigState::Loading => {
                self.pending_basket = Some(lines);
                return;
            }
            ConfigState::Failed => return,
        };
        match lines.and_then(|lines| basket::to_basket(lines, currency)) {
            Ok(lines) => self.set_basket(lines, effects),
            Err(e) => effects.push(Effect::Warn(WidgetError::Basket(e).to_string())),
        }
    }

    /// Replaces the basket; placements re-rank only if it changed.
    fn set_basket(&mut self, lines: Vec<BasketLine>, effects: &mut Effects) {
        if self.basket.as_deref() != Some(lines.as_slice()) {
            self.basket = Some(lines.into());
            effects.render();
        }
    }

    /// Changes the memory (once the config, whose frequency cap it follows, is there) and
    /// has it stored.
    fn update_memory(
        &mut self,
        effects: &mut Effects,
        f: impl FnOnce(&mut ShopperMemory, &Config),
    ) {
        let (ConfigState::Ready(config), Some(memory)) = (&self.config, self.memory.as_mut())
        else {
            return;
        };
        f(memory, config);
        effects.push(Effect::SaveMemory);
    }

    /// Sends this view's impression once, when it is visible and shows something, and
    /// counts it towards the frequency cap (not for a held-out shopper, who saw nothing).
    fn impression(&mut self, id: PlacementId, now: i64, effects: &mut Effects) {
        let Some(view) = self.view_mut(id) else {
            return;
        };
        if view.impressed || !view.visible || view.products.is_empty() {
            return;
        }
        view.impressed = true;
        let (products, rules) = (view.products.clone(), view.rules.clone());
        let held_out = self.bucket() == Bucket::Holdout;
        if !held_out {
            self.update_memory(effects, |m, c| {
                m.record_impressions(
                    products.iter().map(String::as_str),
                    now,
                    c.store().frequency_cap,
                );
            });
        }
        self.send(
            id,
            Event::Impression {
                products,
                rules,
                shown: !held_out,
            },
            effects,
        );
    }

    fn send(&self, id: PlacementId, event: Event, effects: &mut Effects) {
        let Some((_, view)) = self.views.iter().find(|(v, _)| *v == id) else {
            return;
        };
        effects.push(Effect::Send {
            to: id,
            placement: view.placement,
            event,
            context: self.event_context(),
            items: view.items.clone(),
        });
    }
}

/// Effects in order, and a render at most once, last: placements re-render after the
/// events and the memory they reflect.
#[derive(Default)]
struct Effects {
    effects: Vec<Effect>,
    render: bool,
}

impl Effects {
    fn push(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    fn render(&mut self) {
        self.render = true;
    }

    fn into_vec(mut self) -> Vec<Effect> {
        if self.render {
            self.effects.push(Effect::Render);
        }
        self.effects
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartlift_engine::Money;

    /// A store with a frequency cap of 2 impressions; `store` adds to the store object.
    fn config(store: &str) -> Rc<Config> {
        let text = format!(
            r#"{{"version": 1,
              "store": {{"currency": "EUR", "frequency_cap": {{"impressions": 2, "rest_days": 7, "dismiss_days": 30}}{store}}},
              "catalog": [{{"id": "cam", "title": "Cam", "price": 80}}, {{"id": "psu", "title": "PSU", "price": 15}}],
              "rules": [{{"kind": "bought_together", "id": "r1", "antecedent": ["cam"], "consequent": ["psu"], "confidence": 0.5}}]}}"#
        );
        Rc::new(Config::from_json(&text).expect("valid"))
    }

    const NOW: i64 = 1_700_000_000;

    fn raw(id: &str, price: Option<f64>) -> RawLine {
        RawLine {
            id: id.into(),
            variant: None,
            quantity: 1,
            price,
        }
    }

    fn line(id: &str, cents: Option<i64>) -> BasketLine {
        BasketLine {
            product: id.into(),
            variant: None,
            quantity: 1,
            price: cents.map(Money),
        }
    }

    /// A state with the store's config, the shopper's memory and placement 1 (a cart)
    /// mounted.
    fn ready(store: &str) -> State {
        let mut state = State::default();
        state.reduce(Action::MemoryLoaded {
            memory: ShopperMemory::new("shopper-1"),
            now: NOW,
        });
        state.reduce(Action::Config(ConfigState::Ready(config(store))));
        state.reduce(Action::Mounted(1, Placement::Cart));
        state
    }

    fn shown(id: PlacementId, products: &[&str], new_view: bool) -> Action {
        Action::Shown {
            id,
            products: products.iter().map(|p| p.to_string()).collect(),
            rules: vec!["r1".into()],
            items: Rc::from([]),
            new_view,
            now: NOW,
        }
    }

    fn visible(id: PlacementId, in_view: bool) -> Action {
        Action::Visible {
            id,
            in_view,
            now: NOW,
        }
    }

    fn eur() -> Option<cartlift_engine::Currency> {
        cartlift_engine::Currency::parse("EUR")
    }

    fn impression(shown: bool, context: EventContext) -> Effect {
        Effect::Send {
            to: 1,
            placement: Placement::Cart,
            event: Event::Impression {
                products: vec!["psu".into()],
                rules: vec!["r1".into()],
                shown,
            },
            context,
            items: Rc::from([]),
        }
    }

    #[test]
    fn an_early_basket_is_kept_and_applied_in_the_stores_currency_once_the_config_is_ready() {
        let mut state = State::default();
        assert_eq!(
            state.reduce(Action::PageBasket(Ok(vec![raw("cam", Some(12.5))]))),
            []
        );
        assert!(state.snapshot().basket.is_empty());
        assert_eq!(
            state.reduce(Action::Config(ConfigState::Ready(config("")))),
            [Effect::Render]
        );
        assert_eq!(*state.snapshot().basket, [line("cam", Some(1250))]);
        // Applied once: a second config (a shard) does not apply it again.
        state.reduce(Action::Cart(CartNews::Lines(vec![line("psu", None)])));
        assert_eq!(
            state.reduce(Action::ShardSettled(Some(config("")))),
            [Effect::Render]
        );
        assert_eq!(*state.snapshot().basket, [line("psu", None)]);
    }

    #[test]
    fn an_early_basket_that_does_not_fit_is_reported_once_the_config_is_ready() {
        let mut state = State::default();
        state.reduce(Action::PageBasket(Ok(vec![raw("cam", Some(1.005))])));
        assert_eq!(
            state.reduce(Action::Config(ConfigState::Ready(config("")))),
            [
                Effect::Warn(
                    "setBasket: line 0 (`cam`): price has more than 2 decimal places".into()
                ),
                Effect::Render
            ]
        );
        assert!(state.snapshot().basket.is_empty());
        // With a config that failed, a basket is never applied nor reported.
        let mut failed = State::default();
        failed.reduce(Action::PageBasket(Err("line 0: missing field `id`".into())));
        assert_eq!(
            failed.reduce(Action::Config(ConfigState::Failed)),
            [Effect::Render]
        );
        assert_eq!(
            failed.reduce(Action::PageBasket(Ok(vec![raw("cam", None)]))),
            []
        );
    }

    #[test]
    fn a_bad_basket_is_reported_and_the_previous_one_stays() {
        let mut state = ready("");
        state.reduce(Action::PageBasket(Ok(vec![raw("cam", None)])));
        assert_eq!(
            state.reduce(Action::PageBasket(Err("line 0: missing field `id`".into()))),
            [Effect::Warn("setBasket: line 0: missing field `id`".into())]
        );
        assert_eq!(*state.snapshot().basket, [line("cam", None)]);
    }

    #[test]
    fn an_unchanged_basket_does_not_re_render() {
        let mut state = ready("");
        let cart = || Action::Cart(CartNews::Lines(vec![line("cam", Some(8000))]));
        assert_eq!(state.reduce(cart()), [Effect::Render]);
        assert_eq!(state.reduce(cart()), []);
        // The page's basket, read the same: no re-render either; another one: one.
        assert_eq!(
            state.reduce(Action::PageBasket(Ok(vec![raw("cam", Some(80.0))]))),
            []
        );
        assert_eq!(
            state.reduce(Action::PageBasket(Ok(vec![raw("cam", Some(79.0))]))),
            [Effect::Render]
        );
    }

    #[test]
    fn the_pages_segments_are_data_segments_then_each_set_segments() {
        let mut state = State::default();
        state.reduce(Action::Start {
            settings: Settings {
                segments: " vip  returning ".into(),
                ..Settings::default()
            },
            platform_cart: false,
        });
        assert_eq!(state.snapshot().segments, " vip  returning ");
        state.reduce(Action::Config(ConfigState::Ready(config(""))));
        let set = |text: &str| Action::PageSegments(text.into());
        // The same again: nothing to re-rank; others: every placement re-ranks.
        assert_eq!(state.reduce(set(" vip  returning ")), []);
        assert_eq!(state.reduce(set("wholesale")), [Effect::Render]);
        assert_eq!(state.snapshot().segments, "wholesale");
        assert_eq!(state.reduce(set("wholesale")), []);
        // None at all (`setSegments([])`), which `data-segments` does not come back over.
        assert_eq!(state.reduce(set("")), [Effect::Render]);
        assert_eq!(state.snapshot().segments, "");
        assert_eq!(state.reduce(set(" vip  returning ")), [Effect::Render]);
    }

    #[test]
    fn placements_wait_for_a_platform_carts_first_read() {
        let waiting = |state: &State| matches!(state.snapshot().config, ConfigState::Loading);
        let start = |platform_cart| {
            let mut state = State::default();
            state.reduce(Action::Start {
                settings: Settings::default(),
                platform_cart,
            });
            state.reduce(Action::Config(ConfigState::Ready(config(""))));
            state
        };
        // The page's own cart: the basket is whatever the page said (nothing yet).
        assert!(!waiting(&start(false)));
        let mut read = start(true);
        assert!(waiting(&read));
        assert_eq!(
            read.reduce(Action::Cart(CartNews::Lines(vec![line("cam", None)]))),
            [Effect::Render]
        );
        assert!(!waiting(&read));
        assert_eq!(*read.snapshot().basket, [line("cam", None)]);
        // A cart that cannot be read: suggestions for an empty basket, once; a later read
        // still re-ranks.
        let mut unreadable = start(true);
        assert_eq!(
            unreadable.reduce(Action::Cart(CartNews::Unreadable)),
            [Effect::Render]
        );
        assert!(!waiting(&unreadable));
        assert!(unreadable.snapshot().basket.is_empty());
        assert_eq!(unreadable.reduce(Action::Cart(CartNews::Unreadable)), []);
        assert_eq!(
            unreadable.reduce(Action::Cart(CartNews::Lines(vec![line("cam", None)]))),
            [Effect::Render]
        );
    }

    #[test]
    fn an_impression_is_sent_once_per_view_only_when_visible_and_not_empty() {
        let mut state = ready("");
        let context = state.event_context();
        let counted = [Effect::SaveMemory, impression(true, context.clone())];
        // Shown but not in view: nothing yet; in view: the impression, counted.
        assert_eq!(state.reduce(shown(1, &["psu"], true)), []);
        assert_eq!(state.reduce(visible(1, true)), counted);
        assert_eq!(state.memory().map(|m| m.impressions("psu")), Some(1));
        // The same view again: re-rendered, scrolled away and back: no second one.
        assert_eq!(state.reduce(shown(1, &["psu"], false)), []);
        assert_eq!(state.reduce(visible(1, false)), []);
        assert_eq!(state.reduce(visible(1, true)), []);
        // A new view earns a new one (it is still in view).
        assert_eq!(state.reduce(shown(1, &["psu"], true)), counted);
        assert_eq!(state.memory().map(|m| m.impressions("psu")), Some(0));
        assert_eq!(
            state.memory().map(|m| m.excluded(NOW)),
            Some(vec!["psu"]),
            "the cap of 2 is reached: the product rests"
        );
        // A view showing nothing sends nothing, visible or not.
        assert_eq!(state.reduce(shown(1, &[], true)), []);
        // Unknown or unmounted placements: nothing.
        assert_eq!(state.reduce(visible(2, true)), []);
        state.reduce(Action::Unmounted(1));
        assert_eq!(state.reduce(shown(1, &["psu"], true)), []);
    }

    #[test]
    fn a_held_out_shopper_is_reported_as_not_shown_and_not_counted() {
        let mut state = ready(r#", "holdout": {"experiment": "q4", "percent": 100}"#);
        let context = EventContext {
            bucket: Bucket::Holdout,
            experiment: Some("q4".into()),
            data_layer: false,
            currency: eur(),
        };
        assert_eq!(state.snapshot().context, context);
        state.reduce(shown(1, &["psu"], true));
        assert_eq!(state.reduce(visible(1, true)), [impression(false, context)]);
        assert_eq!(state.memory().map(|m| m.impressions("psu")), Some(0));
        // Nobody is held out of a store without a holdout.
        assert_eq!(ready("").bucket(), Bucket::Treatment);
    }

    #[test]
    fn a_dismissal_hides_the_product_at_once_and_is_remembered() {
        let mut state = ready("");
        let dismiss = Action::Dismissed {
            id: 1,
            product: "psu".into(),
            rules: vec!["r1".into()],
            now: NOW,
        };
        assert_eq!(
            state.reduce(dismiss.clone()),
            [
                Effect::SaveMemory,
                Effect::Send {
                    to: 1,
                    placement: Placement::Cart,
                    event: Event::Dismiss {
                        product: "psu".into(),
                        rules: vec!["r1".into()],
                    },
                    context: EventContext {
                        currency: eur(),
                        ..EventContext::default()
                    },
                    items: Rc::from([]),
                },
                Effect::Render
            ]
        );
        assert_eq!(*state.snapshot().excluded, ["psu".to_owned()]);
        let remembered = state.memory().cloned().expect("loaded");
        assert_eq!(remembered.excluded(NOW + 29 * 86_400), ["psu"]);
        // Dismissed twice, listed once.
        state.reduce(dismiss);
        assert_eq!(state.snapshot().excluded.len(), 1);
        // The next page view starts from the stored memory: still hidden.
        let mut next = State::default();
        next.reduce(Action::MemoryLoaded {
            memory: remembered,
            now: NOW + 86_400,
        });
        assert_eq!(*next.snapshot().excluded, ["psu".to_owned()]);
        // "Show hidden suggestions": back everywhere, and in storage, same shopper.
        assert_eq!(
            state.reduce(Action::ForgetDismissals),
            [Effect::SaveMemory, Effect::Render]
        );
        assert!(state.snapshot().excluded.is_empty());
        assert_eq!(
            state.memory().map(|m| (m.id(), m.excluded(NOW).len())),
            Some(("shopper-1", 0))
        );
    }

    #[test]
    fn a_click_or_an_add_starts_the_products_count_over() {
        let mut state = ready("");
        state.reduce(shown(1, &["psu"], true));
        state.reduce(visible(1, true));
        assert_eq!(
            state.reduce(Action::Clicked {
                id: 1,
                product: "psu".into(),
                rules: vec!["r1".into()],
            }),
            [
                Effect::SaveMemory,
                Effect::Send {
                    to: 1,
                    placement: Placement::Cart,
                    event: Event::Click {
                        product: "psu".into(),
                        rules: vec!["r1".into()],
                    },
                    context: EventContext {
                        currency: eur(),
                        ..EventContext::default()
                    },
                    items: Rc::from([]),
                }
            ]
        );
        assert_eq!(state.memory().map(|m| m.impressions("psu")), Some(0));
        state.reduce(shown(1, &["psu"], true));
        assert_eq!(state.memory().map(|m| m.impressions("psu")), Some(1));
        assert_eq!(
            state.reduce(Action::Added(vec!["psu".into()])),
            [Effect::SaveMemory]
        );
        assert_eq!(state.memory().map(|m| m.impressions("psu")), Some(0));
    }

    #[test]
    fn events_carry_the_stores_experiment_and_data_layer_setting() {
        let state = ready(r#", "data_layer": true, "holdout": {"experiment": "q4", "percent": 0}"#);
        assert_eq!(
            state.event_context(),
            EventContext {
                bucket: Bucket::Treatment,
                experiment: Some("q4".into()),
                data_layer: true,
                currency: eur(),
            }
        );
        // Before the config: treatment, no experiment, no dataLayer.
        assert_eq!(State::default().event_context(), EventContext::default());
    }

    #[test]
    fn live_figures_re_render_and_prices_that_differ_from_the_config_are_said_once() {
        use cartlift_engine::live::LiveProduct;
        let mut state = ready("");
        let product = |cents| LiveProduct {
            price: Money(cents),
            compare_at_price: None,
            in_stock: true,
            variant: None,
        };
        let config = state.config().unwrap().clone();
        let [first, second] = [&config.products()[0], &config.products()[1]];
        let mut live = Live::default();
        // The same price as the config: nothing to say.
        live.insert(&first.id, product(first.price_to_add().minor()));
        assert_eq!(
            state.reduce(Action::Live(Rc::new(live.clone()))),
            [Effect::Render]
        );
        assert_eq!(state.snapshot().live.as_deref(), Some(&live));
        live.insert(&first.id, product(first.price_to_add().minor() + 100));
        live.insert(&second.id, product(second.price_to_add().minor() + 100));
        assert_eq!(
            state.reduce(Action::Live(Rc::new(live.clone()))),
            [
                Effect::Warn("2 prices differ from the config; re-run cartlift catalog".into()),
                Effect::Render
            ]
        );
        // Once a page view.
        assert_eq!(state.reduce(Action::Live(Rc::new(live))), [Effect::Render]);
    }
}
