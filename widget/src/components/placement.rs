//! `PlacementView`: the root of one `<cartlift-suggestions>` element. It asks the engine
//! (through [`placement_model`]) and lays out the sections its placement shows.

use super::{Bundle, Link, Scope, card_list, free_shipping_bar, upgrade_card};
use crate::events::EventItem;
use crate::state::{Action, ConfigState, PlacementId, Snapshot};
use crate::view::{PlacementModel, placement_model};
use cartlift_engine::copy::CopyKey;
use cartlift_engine::shopper::Bucket;
use cartlift_engine::{BasketLine, Context, Placement};
use std::rc::Rc;
use web_sys::HtmlElement;
use yew::prelude::*;

/// Read from the element's attributes by [`crate::runtime::mount`], with the runtime's
/// state and the way back to it.
#[derive(Properties, Clone, Debug)]
pub struct PlacementProps {
    /// The custom element: events are dispatched from it.
    pub host: HtmlElement,
    /// The runtime's number for this placement.
    pub id: PlacementId,
    /// `placement` attribute.
    pub placement: Placement,
    /// `product` attribute (product pages).
    #[prop_or_default]
    pub product: Option<AttrValue>,
    /// `order` attribute (confirmation pages): the order's lines as JSON, like `setBasket`.
    #[prop_or_default]
    pub order: Option<AttrValue>,
    /// `false` while the app waits, idle, for its next element (see `runtime::unmount`):
    /// it renders nothing and touches no element.
    #[prop_or(true)]
    pub active: bool,
    /// The runtime's state; a new one (every change) re-renders the placement.
    pub snapshot: Rc<Snapshot>,
    /// The way back to the runtime.
    pub link: Link,
}

impl PartialEq for PlacementProps {
    fn eq(&self, other: &Self) -> bool {
        self.host == other.host
            && self.id == other.id
            && self.placement == other.placement
            && self.product == other.product
            && self.order == other.order
            && self.active == other.active
            && Rc::ptr_eq(&self.snapshot, &other.snapshot)
    }
}

/// Holds its space while the config loads, renders nothing if it failed, nothing applies
/// or the shopper is in the holdout, and otherwise the engine's suggestions, re-ranked on
/// every basket change.
#[component]
pub fn PlacementView(props: &PlacementProps) -> Html {
    let snapshot = &props.snapshot;
    let announcement = use_state(String::new);
    let previous_view = use_mut_ref(|| None::<Option<AttrValue>>);
    let config = match &snapshot.config {
        ConfigState::Ready(config) if props.active => Some(config.clone()),
        _ => None,
    };
    let order = use_memo(
        (
            props.order.clone(),
            config.as_ref().map(|c| c.store().currency),
        ),
        |(order, currency)| {
            let (json, currency) = (order.as_ref()?, (*currency)?);
            let lines = crate::basket::from_order(json);
            match lines.and_then(|lines| crate::basket::to_basket(lines, currency)) {
                Ok(lines) => Some(Rc::<[BasketLine]>::from(lines)),
                Err(e) => {
                    crate::report::warn(&format!("order attribute: {e}"));
                    None
                }
            }
        },
    );
    let basket = (*order).clone().unwrap_or_else(|| snapshot.basket.clone());
    // A sharded config: until this page's shards are in, hold the space as while loading.
    let config = config.filter(|_| {
        (props.link.shards_ready)(props.product.as_deref(), &basket, props.placement.is_cart())
    });
    let waiting = config.is_none() && matches!(snapshot.config, ConfigState::Ready(_));
    let model: Option<Rc<PlacementModel>> = config.as_ref().map(|config| {
        let excluded: Vec<&str> = snapshot.excluded.iter().map(String::as_str).collect();
        // The element's `segments` attribute, read here rather than passed down as a prop
        // (`runtime::mount` re-renders the placement when it changes, with a new
        // snapshot): a prop cost every build 0.1 KB brotli in its clone, comparison and drop.
        let own = props.host.get_attribute("segments");
        let segments = crate::segments::for_placement(own.as_deref(), &snapshot.segments);
        let live = snapshot
            .live
            .as_deref()
            .unwrap_or(&cartlift_engine::live::NONE);
        let mut ctx = Context::new(props.placement, crate::dom::now())
            .basket(&basket)
            .exclude(&excluded)
            .segments(&segments)
            .live(live);
        if let Some(product) = props.product.as_deref() {
            ctx = ctx.product(product);
        }
        let scope_locale = config.locale(snapshot.locale.as_deref());
        let fmt = crate::format::IntlFormat {
            currency: config.store().currency,
            locale: scope_locale.tag,
        };
        let mut model = placement_model(config, &ctx, &scope_locale, &fmt);
        // The element's own `max-items` and `heading`, read here like `segments` (a bad
        // `max-items` was warned of once, by `runtime::mount`).
        let max = props.host.get_attribute("max-items");
        crate::view::apply_element_settings(
            &mut model,
            max.and_then(|m| crate::view::max_items(&m)),
            props.host.get_attribute("heading").as_deref(),
        );
        Rc::new(model)
    });
    // The store's live figures of what it would show (and of the page's product, which
    // the bundle and an upgrade price): until they are in, hold the space as while
    // loading; a sold-out product then gives its place to the next, read in turn.
    let model = model.filter(|m| {
        if m.is_empty() {
            return true;
        }
        let mut ids = m.shown();
        ids.extend(props.product.as_deref());
        (props.link.live_ready)(&ids)
    });
    let waiting = waiting || (config.is_some() && model.is_none());
    let held_out = snapshot.context.bucket == Bucket::Holdout;
    let empty = model.as_ref().is_some_and(|m| m.is_empty())
        || held_out
        || matches!(snapshot.config, ConfigState::Failed);
    // What this placement's events may name: each product with its title, price and
    // section heading (GA4's item_name, price, item_list_name).
    let items: Rc<[EventItem]> = match (&config, &model) {
        (Some(config), Some(model)) => {
            let texts = &config.locale(snapshot.locale.as_deref()).texts;
            model
                .event_items(
                    texts.get(CopyKey::UpgradeTitle),
                    texts.get(CopyKey::FreeShippingItems),
                )
                .into()
        }
        _ => Rc::from([]),
    };
    {
        // After each render: tell the runtime what is shown (for the impression) and mark
        // an empty host so it gives its reserved space back.
        let (host, dispatch) = (props.host.clone(), props.link.dispatch);
        let id = props.id;
        let shown = model.as_ref().map(|m| {
            (
                m.shown().into_iter().map(String::from).collect::<Vec<_>>(),
                m.rules().into_iter().map(String::from).collect::<Vec<_>>(),
                items.clone(),
            )
        });
        let view = props.product.clone();
        let previous_view = previous_view.clone();
        let active = props.active;
        use_effect_with(
            (id, shown, view, empty, active),
            move |(id, shown, view, empty, active)| {
                if !*active {
                    // Idle: the next element is a new view.
                    *previous_view.borrow_mut() = None;
                    return;
                }
                let _ = host.toggle_attribute_with_force("data-empty", *empty);
                if let Some((products, rules, items)) = shown {
                    let new_view = previous_view.borrow().as_ref() != Some(view);
                    *previous_view.borrow_mut() = Some(view.clone());
                    dispatch(Action::Shown {
                        id: *id,
                        products: products.clone(),
                        rules: rules.clone(),
                        items: items.clone(),
                        new_view,
                        now: crate::dom::now(),
                    });
                }
            },
        );
    }
    let (Some(config), Some(model)) = (config, model) else {
        return match snapshot.config {
            ConfigState::Loading if props.active => {
                html! { <div class="skeleton" aria-hidden="true"></div> }
            }
            _ if waiting && props.active => {
                html! { <div class="skeleton" aria-hidden="true"></div> }
            }
            _ => Html::default(),
        };
    };
    if empty {
        return Html::default();
    }
    let announce = {
        let announcement = announcement.setter();
        Callback::from(move |text: String| announcement.set(text))
    };
    let scope = Scope {
        config: config.clone(),
        live: snapshot.live.clone(),
        discount_withdrawn: snapshot.discount_withdrawn,
        requested_locale: snapshot.locale.clone(),
        host: props.host.clone(),
        id: props.id,
        placement: props.placement,
        context: snapshot.context.clone(),
        items,
        link: props.link,
        announce,
    };
    let locale = config.locale(snapshot.locale.as_deref());
    // Every section sits in one row that scrolls sideways at a fixed height, so the
    // placement is exactly as tall as the space the loader reserved, whatever it shows.
    let header = match (&model.free_shipping, props.placement) {
        (Some(fs), Placement::Cart | Placement::Checkout) => free_shipping_bar(&scope, fs),
        _ => Html::default(),
    };
    let sections = match props.placement {
        Placement::Product => html! {
            <>
                if let Some(bundle) = &model.bundle {
                    <Bundle scope={scope.clone()} bundle={bundle.clone()} />
                }
                if let Some(upgrade) = model.upgrades.first() {
                    { upgrade_card(&scope, upgrade) }
                }
                { card_list(&scope, &model.add_ons_title, &model.add_ons, "add-ons") }
                if model.bundle.is_none() {
                    { card_list(&scope, &model.title, &model.cards, "suggestions") }
                }
            </>
        },
        Placement::Cart | Placement::Checkout => html! {
            <>
                if let Some(fs) = model.free_shipping.as_ref().filter(|fs| fs.gap.minor() > 0) {
                    { card_list(&scope, &scope.text(CopyKey::FreeShippingItems), &fs.items, "fs-items") }
                }
                { card_list(&scope, &model.title, &model.cards, "suggestions") }
                { for model.upgrades.iter().take(2).map(|u| upgrade_card(&scope, u)) }
            </>
        },
        Placement::Confirmation => card_list(&scope, &model.title, &model.cards, "suggestions"),
    };
    html! {
            <div
                class="placement"
                dir={if locale.rtl { "rtl" } else { "ltr" }}
                lang={locale.tag.to_owned()}
            >
                { header }
                // Shown by the loader only while the row overflows, each while there is
                // more on its side (`data-back`, `data-more`); it also scrolls on click.
                <button type="button" class="scroll back" aria-label={locale.texts.get(CopyKey::ScrollPrevious).to_owned()}>{ "‹" }</button>
                <button type="button" class="scroll next" aria-label={locale.texts.get(CopyKey::ScrollNext).to_owned()}>{ "›" }</button>
                <div class="strip">{ sections }</div>
                <p class="sr-only" role="status" aria-live="polite">{ (*announcement).clone() }</p>
            </div>
    }
}
