//! [`Scope`]: what every component of one placement needs, provided once by the root.

use crate::adapter::CartAdapter;
use crate::events::{self, Event, EventContext, EventItem};
use crate::format::IntlFormat;
use crate::state::{Action, PlacementId};
use cartlift_engine::copy::{CopyKey, Locale};
use cartlift_engine::live::Live;
use cartlift_engine::{BasketLine, Config, Money, Placement};
use std::rc::Rc;
use web_sys::HtmlElement;
use yew::Callback;

/// The ways back from a placement to the runtime, handed down by it: components never
/// reach for the runtime themselves. Plain functions, since there is one runtime a page.
#[derive(Clone, Copy)]
pub struct Link {
    /// Tells the runtime what happened (shown, clicked, added, dismissed).
    pub dispatch: fn(Action),
    /// The store's cart.
    pub cart: fn() -> Rc<dyn CartAdapter>,
    /// Whether a sharded config has the shards for a product, a basket and (`true`) the
    /// cart; what is missing is fetched, and the placements re-render when it arrives.
    pub shards_ready: fn(Option<&str>, &[BasketLine], bool) -> bool,
    /// Whether the store's live price and stock of these products are in (or cannot
    /// be); what is missing is read, and the placements re-render when it arrives.
    pub live_ready: fn(&[&str]) -> bool,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Link")
    }
}

/// The placement's shared context (passed down, so props stay about content).
#[derive(Clone, Debug)]
pub struct Scope {
    /// The store's config.
    pub config: Rc<Config>,
    /// The store's live figures read so far.
    pub live: Option<Rc<Live>>,
    /// The store did not grant the bundle discount on an add: the bundle price is no
    /// longer promised on this page.
    pub discount_withdrawn: bool,
    /// The page's requested locale (`<html lang>` or `data-locale`).
    pub requested_locale: Option<Rc<str>>,
    /// The custom element: events are dispatched from it.
    pub host: HtmlElement,
    /// The runtime's number for this placement.
    pub id: PlacementId,
    /// Where.
    pub placement: Placement,
    /// What the placement's events carry.
    pub context: EventContext,
    /// What its events may name, with titles, prices and section headings.
    pub items: Rc<[EventItem]>,
    /// The way back to the runtime.
    pub link: Link,
    /// Says something in the placement's live region (cart updates, failures).
    pub announce: Callback<String>,
}

impl PartialEq for Scope {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.config, &other.config)
            && self.discount_withdrawn == other.discount_withdrawn
            && match (&self.live, &other.live) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
            && self.requested_locale == other.requested_locale
            && self.host == other.host
            && self.id == other.id
            && self.placement == other.placement
            && self.context == other.context
            && self.items == other.items
    }
}

impl Scope {
    /// The resolved locale: texts, tag, direction.
    pub fn locale(&self) -> Locale<'_> {
        self.config.locale(self.requested_locale.as_deref())
    }

    /// Formats through `Intl` for the resolved locale and store currency.
    pub(crate) fn format(&self) -> IntlFormat<'_> {
        IntlFormat {
            currency: self.config.store().currency,
            locale: self.locale().tag,
        }
    }

    /// A price for people.
    pub fn money(&self, amount: Money) -> String {
        cartlift_engine::Format::money(&self.format(), amount)
    }

    /// The store's text for `key`.
    pub fn text(&self, key: CopyKey) -> String {
        self.locale().texts.get(key).to_owned()
    }

    /// Tells the runtime what happened here.
    pub fn dispatch(&self, action: Action) {
        (self.link.dispatch)(action);
    }

    /// Sends `event` from this placement's element; false if the page cancelled it.
    pub(crate) fn send(&self, event: &Event) -> bool {
        events::send(
            &self.host,
            self.placement.name(),
            &self.context,
            event,
            &self.items,
        )
    }

    /// The cart confirmed the add `event` announced (analytics' `add_to_cart`).
    pub(crate) fn added(&self, event: &Event) {
        events::added(self.placement.name(), &self.context, event, &self.items);
    }

    /// The store's text for `key` with `{name}` placeholders filled.
    pub fn fill(&self, key: CopyKey, args: &[(&str, &str)]) -> String {
        self.locale().texts.fill(key, args)
    }
}
