//! Shopify prices as the rest of the shop shows them, and only in the page's currency.
//!
//! - `data-money-format` on the script tag: the shop's money format (Liquid's
//!   `shop.money_format`, which the Shopify app embed passes), such as `${{amount}}` or
//!   `{{amount_with_comma_separator}} €`. Prices then read as in the theme instead of as
//!   the browser's `Intl.NumberFormat` writes them. The placeholders are those of Shopify's
//!   currency formatting (Settings > Store details > Change formatting):
//!
//!   | placeholder | 1134.65 |
//!   |---|---|
//!   | `amount` | 1,134.65 |
//!   | `amount_no_decimals` | 1,135 |
//!   | `amount_with_comma_separator` | 1.134,65 |
//!   | `amount_no_decimals_with_comma_separator` | 1.135 |
//!   | `amount_with_apostrophe_separator` | 1'134.65 |
//!   | `amount_no_decimals_with_space_separator` | 1 135 |
//!   | `amount_with_space_separator` | 1 134,65 |
//!   | `amount_with_period_and_space_separator` | 1 134.65 |
//!
//!   Amounts are in hundredths of the currency, as Shopify's are (a yen price has two
//!   decimals under `amount`); rounded formats round half up. A format without one of
//!   these is one console warning, and prices keep the browser's format.
//! - `data-currency`: the currency the shopper sees (Liquid's `cart.currency.iso_code`;
//!   with Shopify Markets it can differ from the shop's). If it is not the config's
//!   currency, every price the config knows would be wrong, so the placements show
//!   nothing and the console says why, once.
//!
//! Only in the builds with the Shopify cart adapter (feature `shopify`): the others pay
//! nothing for it.

use cartlift_engine::{Currency, Money};
use std::cell::RefCell;

/// A shop's money format, checked once: the text around its placeholder and how the
/// placeholder writes an amount.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct MoneyFormat {
    before: String,
    after: String,
    /// Two decimals (else rounded to whole units).
    decimals: bool,
    thousands: &'static str,
    decimal: char,
}

/// Shopify's placeholders: name, two decimals (else whole units), thousands separator,
/// decimal separator. A table and one warning for any unreadable format: 92 B of brotli
/// less than a `match` and a message per mistake.
const PLACEHOLDERS: [(&str, bool, &str, char); 8] = [
    ("amount", true, ",", '.'),
    ("amount_no_decimals", false, ",", '.'),
    ("amount_with_comma_separator", true, ".", ','),
    ("amount_no_decimals_with_comma_separator", false, ".", ','),
    ("amount_with_apostrophe_separator", true, "'", '.'),
    ("amount_no_decimals_with_space_separator", false, " ", '.'),
    ("amount_with_space_separator", true, " ", ','),
    ("amount_with_period_and_space_separator", true, " ", '.'),
];

impl MoneyFormat {
    /// Reads a format such as `${{amount}}` or `{{ amount_no_decimals }} kr`: the text
    /// around its first `{{…}}`, which must name one of [`PLACEHOLDERS`].
    pub(crate) fn parse(text: &str) -> Option<MoneyFormat> {
        // Byte searches: `{` and `}` are ASCII, so the offsets are character boundaries.
        let at = |pair: &[u8], from: usize| {
            text.as_bytes()[from..]
                .windows(2)
                .position(|w| w == pair)
                .map(|i| from + i)
        };
        let open = at(b"{{", 0)?;
        let close = at(b"}}", open)?;
        let name = text[open + 2..close].trim_ascii();
        let &(_, decimals, thousands, decimal) = PLACEHOLDERS.iter().find(|p| p.0 == name)?;
        Some(MoneyFormat {
            before: text[..open].to_owned(),
            after: text[close + 2..].to_owned(),
            decimals,
            thousands,
            decimal,
        })
    }

    /// `money` (in `currency`) written in this format. Plain `u64` arithmetic and digits
    /// pushed by hand: written first with 128-bit integers and `format!` padding, it cost
    /// the Shopify build 1.6 KB more brotli.
    pub(crate) fn format(&self, money: Money, currency: Currency) -> String {
        // Hundredths of a unit, as Shopify counts every currency (`exponent` is 0 to 4).
        let minor = money.minor();
        let mut hundredths = minor.unsigned_abs();
        let mut exponent = currency.exponent();
        while exponent < 2 {
            hundredths = hundredths.saturating_mul(10);
            exponent += 1;
        }
        while exponent > 2 {
            hundredths = hundredths / 10 + u64::from(hundredths % 10 >= 5);
            exponent -= 1;
        }
        let units = if self.decimals {
            hundredths / 100
        } else {
            (hundredths + 50) / 100
        };
        let mut digits = Vec::with_capacity(20);
        let mut rest = units;
        loop {
            digits.push(b'0' + (rest % 10) as u8);
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        let mut out = self.before.clone();
        if minor < 0 && hundredths > 0 {
            out.push('-');
        }
        for (i, d) in digits.iter().rev().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(self.thousands);
            }
            out.push(char::from(*d));
        }
        if self.decimals {
            out.push(self.decimal);
            out.push(char::from(b'0' + (hundredths % 100 / 10) as u8));
            out.push(char::from(b'0' + (hundredths % 10) as u8));
        }
        out.push_str(&self.after);
        out
    }
}

/// What the script tag said.
struct Page {
    format: Option<MoneyFormat>,
    currency: Option<String>,
}

thread_local! {
    static PAGE: RefCell<Page> = const { RefCell::new(Page { format: None, currency: None }) };
}

/// Takes the script tag's `data-money-format` and `data-currency` (once, at start); a
/// format that cannot be read is one warning.
pub(crate) fn set(format: Option<String>, currency: Option<String>) {
    let format = format.and_then(|text| {
        let format = MoneyFormat::parse(&text);
        if format.is_none() {
            crate::report::warn(&format!(
                "data-money-format=\"{text}\" has none of Shopify's placeholders ({{{{amount}}}} and the like); prices use the browser's format"
            ));
        }
        format
    });
    PAGE.with(|p| *p.borrow_mut() = Page { format, currency });
}

/// `money` in the shop's money format, if the page gave one.
pub(crate) fn price(money: Money, currency: Currency) -> Option<String> {
    PAGE.with(|p| Some(p.borrow().format.as_ref()?.format(money, currency)))
}

/// The warning when the page's currency (`data-currency`) is not the config's: then no
/// placement shows anything.
pub(crate) fn currency_mismatch(config: Currency) -> Option<String> {
    PAGE.with(|p| mismatch(p.borrow().currency.as_deref()?, config.code()))
}

fn mismatch(page: &str, config: &str) -> Option<String> {
    (!page.trim_ascii().eq_ignore_ascii_case(config)).then(|| {
        format!(
            "the page's prices are in {page} (data-currency) but the config's are in {config}: no suggestions are shown, rather than prices in the wrong currency"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(format: &str, minor: i64, currency: &str) -> String {
        let currency = Currency::parse(currency).unwrap();
        MoneyFormat::parse(format)
            .unwrap()
            .format(Money(minor), currency)
    }

    #[test]
    fn each_of_shopifys_placeholders_writes_1134_65_as_its_help_page_shows() {
        let cases = [
            ("{{amount}}", "1,134.65"),
            ("{{amount_no_decimals}}", "1,135"),
            ("{{amount_with_comma_separator}}", "1.134,65"),
            ("{{amount_no_decimals_with_comma_separator}}", "1.135"),
            ("{{amount_with_apostrophe_separator}}", "1'134.65"),
            ("{{amount_no_decimals_with_space_separator}}", "1 135"),
            ("{{amount_with_space_separator}}", "1 134,65"),
            ("{{amount_with_period_and_space_separator}}", "1 134.65"),
        ];
        for (format, expected) in cases {
            assert_eq!(show(format, 113_465, "USD"), expected, "{format}");
        }
    }

    #[test]
    fn the_text_around_the_placeholder_is_kept_and_amounts_are_grouped_and_rounded() {
        assert_eq!(show("${{amount}}", 7900, "USD"), "$79.00");
        assert_eq!(
            show("${{ amount_no_decimals }} USD", 7950, "USD"),
            "$80 USD"
        );
        assert_eq!(show("${{amount_no_decimals}}", 7949, "USD"), "$79");
        assert_eq!(show("{{amount}}", 123_456_789, "USD"), "1,234,567.89");
        assert_eq!(show("{{amount}}", 5, "USD"), "0.05");
        assert_eq!(
            show("€{{amount_with_comma_separator}}", -1050, "EUR"),
            "€-10,50"
        );
        // Shopify counts hundredths in every currency: a yen price has two decimals, a
        // dinar's third decimal is rounded.
        assert_eq!(show("¥{{amount}}", 1200, "JPY"), "¥1,200.00");
        assert_eq!(show("¥{{amount_no_decimals}}", 1200, "JPY"), "¥1,200");
        assert_eq!(show("{{amount}} KD", 1_235, "KWD"), "1.24 KD");
        // Only the first placeholder is one: anything after it is text, as in Shopify.
        assert_eq!(show("{{amount}} {{x}}", 100, "USD"), "1.00 {{x}}");
    }

    #[test]
    fn a_format_without_a_known_placeholder_is_refused() {
        for bad in [
            "$",
            "${{amount",
            "${{amount_in_words}}",
            "${{}}",
            "{{amount}",
        ] {
            assert_eq!(MoneyFormat::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_another_currency_than_the_configs_is_a_mismatch() {
        assert_eq!(mismatch("USD", "USD"), None);
        assert_eq!(mismatch(" usd ", "USD"), None);
        let e = mismatch("EUR", "USD").unwrap();
        assert!(
            e.contains("in EUR (data-currency)") && e.contains("config's are in USD"),
            "{e}"
        );
    }
}
