//! [`Scope`]: what every component of one placement needs, provided once by the root.

use crate::format::IntlFormat;
use cartlift_engine::copy::{CopyKey, Locale};
use cartlift_engine::{Config, Money, Placement};
use std::rc::Rc;
use web_sys::HtmlElement;
use yew::Callback;

/// The placement's shared context (a Yew context, so props stay about content).
#[derive(Clone, Debug)]
pub struct Scope {
    /// The store's config.
    pub config: Rc<Config>,
    /// The page's requested locale (`<html lang>` or `data-locale`).
    pub requested_locale: Option<Rc<str>>,
    /// The custom element: events are dispatched from it.
    pub host: HtmlElement,
    /// Where.
    pub placement: Placement,
    /// Says something in the placement's live region (cart updates, failures).
    pub announce: Callback<String>,
}

impl PartialEq for Scope {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.config, &other.config)
            && self.requested_locale == other.requested_locale
            && self.host == other.host
            && self.placement == other.placement
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

    /// The store's text for `key` with `{name}` placeholders filled.
    pub fn fill(&self, key: CopyKey, args: &[(&str, &str)]) -> String {
        self.locale().texts.fill(key, args)
    }
}
