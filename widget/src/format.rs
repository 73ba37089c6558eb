//! Prices for people, through the browser's `Intl.NumberFormat` (no locale data shipped).

use crate::bindings::NumberFormat;
use cartlift_engine::{Currency, Format, Money};
use std::cell::RefCell;
use wasm_bindgen::JsValue;

thread_local! {
    static CACHE: RefCell<Option<(String, Currency, Option<NumberFormat>)>> = const { RefCell::new(None) };
}

/// Formats `money` in `currency` for `locale`: `$1,299.00`, `۱۲٬۹۹۰٫۰۰ $`, `¥1,200`.
///
/// The formatter is built once per (locale, currency). If the browser rejects them, falls
/// back to `USD 12.99`-style text rather than showing nothing.
pub(crate) fn price(money: Money, currency: Currency, locale: &str) -> String {
    let amount = currency.to_major(money);
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let stale = !matches!(&*cache, Some((l, c, _)) if l == locale && *c == currency);
        if stale {
            *cache = Some((locale.to_owned(), currency, formatter(locale, currency)));
        }
        let formatted = cache
            .as_ref()
            .and_then(|(_, _, f)| f.as_ref())
            .and_then(|f| f.format(amount).ok());
        formatted.unwrap_or_else(|| currency.plain(money))
    })
}

fn formatter(locale: &str, currency: Currency) -> Option<NumberFormat> {
    let options = js_sys::Object::new();
    let set = |k: &str, v: &str| js_sys::Reflect::set(&options, &k.into(), &JsValue::from_str(v));
    set("style", "currency").ok()?;
    set("currency", currency.code()).ok()?;
    match NumberFormat::new(locale, &options) {
        Ok(f) => Some(f),
        Err(e) => {
            crate::report::warn(&format!(
                "cannot format prices for locale `{locale}` and currency {currency}: {}",
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
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"style".into(), &"percent".into());
        NumberFormat::new(self.locale, &options)
            .and_then(|f| f.format(share))
            .unwrap_or_else(|_| format!("{}%", (share * 100.0).round() as i64))
    }

    fn count(&self, n: usize) -> String {
        NumberFormat::new(self.locale, &js_sys::Object::new())
            .and_then(|f| f.format(n as f64))
            .unwrap_or_else(|_| n.to_string())
    }
}
