//! Prices for people, through the browser's `Intl.NumberFormat` (no locale data shipped).

use crate::bindings::NumberFormat;
use cartlift_engine::{Currency, Format, Money};
use std::cell::RefCell;
use wasm_bindgen::JsValue;

/// What a formatter is for.
#[derive(Clone, Copy, PartialEq)]
enum Style {
    Price(Currency),
    Percent,
    Count,
}

/// Formatters built so far, by locale and style: building an `Intl.NumberFormat` costs
/// far more than using one, and every card formats a price and often a share.
type Formatters = Vec<(String, Style, Option<NumberFormat>)>;

thread_local! {
    static FORMATTERS: RefCell<Formatters> = const { RefCell::new(Vec::new()) };
}

/// Formats `value` with the (cached) formatter for `locale` and `style`; `None` if the
/// browser rejects them (warned once).
fn format(locale: &str, style: Style, value: f64) -> Option<String> {
    FORMATTERS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let at = match cache
            .iter()
            .position(|(l, s, _)| l == locale && *s == style)
        {
            Some(at) => at,
            None => {
                // A page uses one or two locales; a bound keeps a misbehaving one in check.
                if cache.len() >= 16 {
                    cache.clear();
                }
                cache.push((locale.to_owned(), style, formatter(locale, style)));
                cache.len() - 1
            }
        };
        cache[at].2.as_ref()?.format(value).ok()
    })
}

/// Formats `money` in `currency` for `locale`: `$1,299.00`, `۱۲٬۹۹۰٫۰۰ $`, `¥1,200` (or in
/// the Shopify shop's money format: [`crate::shop_money`]).
/// If the browser rejects the locale or currency, `USD 12.99`-style text rather than
/// nothing.
pub(crate) fn price(money: Money, currency: Currency, locale: &str) -> String {
    // A Shopify page's own money format, where it gave one (`data-money-format`).
    #[cfg(feature = "shopify")]
    if let Some(text) = crate::shop_money::price(money, currency) {
        return text;
    }
    format(locale, Style::Price(currency), currency.to_major(money))
        .unwrap_or_else(|| currency.plain(money))
}

fn formatter(locale: &str, style: Style) -> Option<NumberFormat> {
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| js_sys::Reflect::set(&options, &k.into(), &JsValue::from_str(v));
    match style {
        Style::Price(currency) => {
            set("style", "currency").ok()?;
            set("currency", currency.code()).ok()?;
        }
        Style::Percent => {
            set("style", "percent").ok()?;
        }
        Style::Count => {}
    }
    match NumberFormat::new(locale, &options) {
        Ok(f) => Some(f),
        // The browser's message says what it refused (the locale or the currency code):
        // naming the style here too cost every build ~0.1 KB brotli (issue 19 paid with it).
        Err(e) => {
            crate::report::warn(&format!(
                "cannot format numbers for locale `{locale}`: {}",
                crate::error::js_message(&e)
            ));
            None
        }
    }
}

/// The engine's [`Format`] through `Intl`, so reasons read naturally in the page's
/// locale (native digits in Persian and Arabic).
#[derive(Clone, Copy, Debug)]
pub(crate) struct IntlFormat<'a> {
    pub(crate) currency: Currency,
    pub(crate) locale: &'a str,
}

impl Format for IntlFormat<'_> {
    fn money(&self, amount: Money) -> String {
        price(amount, self.currency, self.locale)
    }

    fn percent(&self, share: f64) -> String {
        format(self.locale, Style::Percent, share)
            .unwrap_or_else(|| format!("{}%", (share * 100.0).round() as i64))
    }

    fn count(&self, n: usize) -> String {
        format(self.locale, Style::Count, n as f64).unwrap_or_else(|| n.to_string())
    }
}
