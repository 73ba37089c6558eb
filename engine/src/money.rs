//! Money in integer minor units (cents, fils, yen) and the currency that scales it.
//!
//! Prices arrive as decimal JSON numbers (`89.99`) because that is how stores write them.
//! Every sum, difference and comparison happens on integers, so a bundle of ten items
//! never totals `$129.98999`. Formatting for people is the widget's job (it uses
//! `Intl.NumberFormat`); this module only knows how many decimals a currency has.

use std::fmt;

/// An ISO 4217 currency code with its number of minor-unit digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Currency {
    code: [u8; 3],
    exponent: u8,
}

impl Currency {
    /// Parses a three-letter upper-case ISO 4217 code.
    ///
    /// ```
    /// use cartlift_engine::Currency;
    /// assert_eq!(Currency::parse("JPY").unwrap().exponent(), 0);
    /// assert_eq!(Currency::parse("KWD").unwrap().exponent(), 3);
    /// assert!(Currency::parse("usd").is_none());
    /// ```
    pub fn parse(code: &str) -> Option<Self> {
        let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
        if !bytes.iter().all(u8::is_ascii_uppercase) {
            return None;
        }
        Some(Self {
            code: bytes,
            exponent: minor_digits(code),
        })
    }

    /// `XXX` ("no currency"): what a reader that has already failed returns in place of
    /// a currency, never a store's.
    pub(crate) const NONE: Currency = Currency {
        code: *b"XXX",
        exponent: 2,
    };

    /// The three-letter code, e.g. `"USD"`.
    pub fn code(&self) -> &str {
        // Only ASCII upper-case letters are ever stored.
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// How many decimal digits the minor unit has (2 for USD, 0 for JPY, 3 for KWD).
    pub fn exponent(&self) -> u8 {
        self.exponent
    }

    /// Converts a decimal amount as written in a config into minor units.
    ///
    /// Fails for negative, non-finite or absurdly large amounts, and for amounts with
    /// more decimals than the currency has (`1.005` USD), which are typos, not prices.
    pub fn to_minor(&self, amount: f64) -> Result<Money, AmountError> {
        if !amount.is_finite() {
            return Err(AmountError::NotFinite);
        }
        if amount < 0.0 {
            return Err(AmountError::Negative);
        }
        let scaled = amount * 10f64.powi(i32::from(self.exponent));
        if scaled > MAX_MINOR as f64 {
            return Err(AmountError::TooLarge);
        }
        let rounded = scaled.round();
        // Decimal JSON numbers are not exact binary floats: 0.07 * 100 is 7.000000000000001.
        if (scaled - rounded).abs() > 1e-6 * scaled.abs().max(1.0) {
            return Err(AmountError::TooManyDecimals(self.exponent));
        }
        Ok(Money(rounded as i64))
    }

    /// `USD 12.50`, `JPY 1200`, `-USD 3.00`: locale-free text for tools and fallbacks,
    /// computed on integers (no float formatting).
    ///
    /// ```
    /// use cartlift_engine::{Currency, Money};
    /// let usd = Currency::parse("USD").unwrap();
    /// assert_eq!(usd.plain(Money(1250)), "USD 12.50");
    /// assert_eq!(usd.plain(Money(-5)), "-USD 0.05");
    /// assert_eq!(Currency::parse("JPY").unwrap().plain(Money(1200)), "JPY 1200");
    /// ```
    pub fn plain(&self, money: Money) -> String {
        let sign = if money.0 < 0 { "-" } else { "" };
        let abs = money.0.unsigned_abs();
        let scale = 10u64.pow(u32::from(self.exponent));
        let (major, minor) = (abs / scale, abs % scale);
        let mut out = format!("{sign}{} {major}", self.code());
        if self.exponent > 0 {
            let digits = minor.to_string();
            out.push('.');
            for _ in digits.len()..usize::from(self.exponent) {
                out.push('0');
            }
            out.push_str(&digits);
        }
        out
    }

    /// Converts minor units back to a decimal amount, for display through `Intl`.
    pub fn to_major(&self, money: Money) -> f64 {
        money.0 as f64 / 10f64.powi(i32::from(self.exponent))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The largest amount a config may hold: 10^15 minor units, far above any real price,
/// far below where `f64` stops representing integers exactly.
const MAX_MINOR: i64 = 1_000_000_000_000_000;

/// ISO 4217 minor-unit digits; everything not listed has two.
fn minor_digits(code: &str) -> u8 {
    match code {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}

/// Why a decimal amount is not a valid price.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// NaN or infinity.
    #[error("is not a finite number")]
    NotFinite,
    /// Below zero.
    #[error("is negative")]
    Negative,
    /// Above 10^15 minor units.
    #[error("is too large")]
    TooLarge,
    /// More decimals than the currency's minor unit.
    #[error("has more than {0} decimal places")]
    TooManyDecimals(u8),
}

/// An amount in minor units of the store's currency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(0);

    /// The amount in minor units.
    pub fn minor(self) -> i64 {
        self.0
    }

    /// `self * quantity`, saturating instead of overflowing.
    pub fn times(self, quantity: u32) -> Money {
        Money(self.0.saturating_mul(i64::from(quantity)))
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_prices_become_exact_minor_units() {
        let usd = Currency::parse("USD").unwrap();
        assert_eq!(usd.to_minor(0.07), Ok(Money(7)));
        assert_eq!(usd.to_minor(89.99), Ok(Money(8999)));
        assert_eq!(usd.to_minor(1.005), Err(AmountError::TooManyDecimals(2)));
        assert_eq!(usd.to_minor(-1.0), Err(AmountError::Negative));
        assert_eq!(usd.to_minor(f64::NAN), Err(AmountError::NotFinite));
        assert_eq!(usd.to_minor(1e300), Err(AmountError::TooLarge));
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(jpy.to_minor(1200.0), Ok(Money(1200)));
        assert_eq!(jpy.to_minor(1200.5), Err(AmountError::TooManyDecimals(0)));
        assert_eq!(usd.to_major(Money(12999)), 129.99);
    }

    #[test]
    fn ten_items_sum_without_float_drift() {
        let usd = Currency::parse("USD").unwrap();
        let p = usd.to_minor(12.99).unwrap();
        assert_eq!(std::iter::repeat_n(p, 10).sum::<Money>(), Money(12990));
    }
}
