//! Prices and shares for people, in a locale, outside the browser: what the widget writes
//! through `Intl.NumberFormat` (`$1,299.00`, `‎$ ۱۲٬۹۹۰٫۰۰`, `€12.00`), from CLDR data
//! compiled into the CLI (ICU4X). For what is rendered ahead of time: `cartlift email`.

use cartlift_engine::{Currency, Format, Money, PlainFormat};
use fixed_decimal::Decimal;
use icu_decimal::DecimalFormatter;
use icu_experimental::dimension::currency::CurrencyCode;
use icu_experimental::dimension::currency::formatter::CurrencyFormatter;
use icu_experimental::dimension::percent::formatter::PercentFormatter;
use writeable::Writeable;

/// The engine's [`Format`] for a locale. A locale ICU cannot read gets the widget's own
/// fallback, `USD 12.99`-style text.
#[derive(Debug)]
pub struct LocaleFormat {
    currency: Currency,
    formatters: Option<(CurrencyFormatter, PercentFormatter<DecimalFormatter>)>,
}

impl LocaleFormat {
    /// Formatting for `locale` (a BCP 47 tag, `en-US`, `fa`) and the store's currency.
    pub fn new(locale: &str, currency: Currency) -> LocaleFormat {
        let formatters = icu_locale_core::Locale::try_from_str(locale)
            .ok()
            .and_then(|l| {
                let money = CurrencyFormatter::try_new((&l).into(), Default::default()).ok()?;
                let percent = PercentFormatter::try_new((&l).into(), Default::default()).ok()?;
                Some((money, percent))
            });
        LocaleFormat {
            currency,
            formatters,
        }
    }
}

impl Format for LocaleFormat {
    fn money(&self, amount: Money) -> String {
        let code = tinystr::TinyAsciiStr::try_from_str(self.currency.code()).ok();
        match (&self.formatters, code) {
            (Some((money, _)), Some(code)) => {
                // Minor units with the currency's decimals: 7900 USD is 79.00.
                let mut value = Decimal::from(amount.minor());
                value.multiply_pow10(-i16::from(self.currency.exponent()));
                money
                    .format_fixed_decimal(&value, &CurrencyCode(code))
                    .write_to_string()
                    .into_owned()
            }
            _ => PlainFormat(self.currency).money(amount),
        }
    }

    fn percent(&self, share: f64) -> String {
        let whole = (share * 100.0).round() as i64;
        match &self.formatters {
            Some((_, percent)) => percent
                .format(&Decimal::from(whole))
                .write_to_string()
                .into_owned(),
            None => PlainFormat(self.currency).percent(share),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_in_the_locale_and_currency() {
        let usd = Currency::parse("USD").unwrap();
        assert_eq!(
            LocaleFormat::new("en-US", usd).money(Money(129_900)),
            "$1,299.00"
        );
        assert_eq!(
            LocaleFormat::new("fa", usd).money(Money(7_900)),
            "\u{200e}$\u{a0}۷۹٫۰۰"
        );
        // ICU4X writes the Latin percent sign where Chromium writes `٪`.
        assert_eq!(LocaleFormat::new("fa", usd).percent(0.53), "۵۳%");
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(
            LocaleFormat::new("ja-JP", jpy).money(Money(1_200)),
            "￥1,200"
        );
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(
            LocaleFormat::new("de-DE", eur).money(Money(1_250)),
            "12,50\u{a0}€"
        );
        // Not a locale: the plain fallback.
        assert_eq!(
            LocaleFormat::new("??", usd).money(Money(1_250)),
            "USD 12.50"
        );
    }
}
