//! The basket as the page hands it over (`cartlift.setBasket(lines)`, the `order`
//! attribute), read and checked.
//!
//! Lines are objects `{"id": "SKU", "variant": "V", "quantity": 2, "price": 12.5}`; `id` is
//! required, `quantity` defaults to 1, `price` (decimal, store currency) is optional. Extra
//! members a page may carry (titles, images) are ignored, and so is one set to `undefined`
//! (as `JSON.stringify` has it). Messages say which line, which field, and what was
//! expected.
//!
//! Reading ([`read_lines`]) checks everything but the price, which needs the store's
//! currency ([`to_basket`]): a basket handed over before the config arrives is kept read,
//! and its prices checked once the currency is known.
//!
//! Numbers are read as the page's floats: a quantity must be whole and a price is rounded
//! to minor units with [`Currency::to_minor`]'s tolerance, so their last bits never change
//! the answer.

use crate::js_value::{Js, Value};
use cartlift_engine::{BasketLine, Currency};

/// One line as the page wrote it, checked but for its price.
#[derive(Clone, Debug, PartialEq)]
pub struct RawLine {
    /// Catalog id (not empty).
    pub id: String,
    /// Variant id; `null` is none.
    pub variant: Option<String>,
    /// Units, from 1 to [`MAX_QUANTITY`].
    pub quantity: u32,
    /// Unit price in the store's currency (a decimal); `null` is none.
    pub price: Option<f64>,
}

/// What every basket message starts with: what the page should have handed over.
pub(crate) const EXPECTED: &str = "expected an array of {id, quantity, price} lines";

/// The most units of one line a basket may hold; more is a bug in the page, not a shopper.
pub const MAX_QUANTITY: u32 = 1_000_000;

/// Reads line `i`: unknown members are ignored, a mistyped one is an error.
fn read_line(i: usize, value: &impl Value) -> Result<RawLine, String> {
    if !value.is_object() {
        return Err(format!(
            "line {i}: invalid type: {}, expected a line object",
            value.kind()
        ));
    }
    let wrong = |key: &str, kind: &str| format!("line {i}: invalid type: {kind} for `{key}`");
    let id = value
        .get("id")
        .ok_or_else(|| format!("line {i}: missing field `id`"))?;
    let id = id.id().ok_or_else(|| wrong("id", id.kind()))?;
    if id.is_empty() {
        return Err(format!("line {i}: id is empty"));
    }
    let variant = match value.get("variant") {
        Some(v) if !v.is_null() => Some(v.id().ok_or_else(|| wrong("variant", v.kind()))?),
        _ => None,
    };
    let quantity = match value.get("quantity") {
        Some(q) => {
            let n = q.number().ok_or_else(|| wrong("quantity", q.kind()))?;
            if !(n.fract() == 0.0 && (1.0..=f64::from(MAX_QUANTITY)).contains(&n)) {
                return Err(format!(
                    "line {i} (`{id}`): quantity {} is not a whole number from 1 to {MAX_QUANTITY}",
                    q.written()
                ));
            }
            n as u32
        }
        None => 1,
    };
    let price = match value.get("price") {
        Some(p) if !p.is_null() => Some(p.number().ok_or_else(|| wrong("price", p.kind()))?),
        _ => None,
    };
    Ok(RawLine {
        id,
        variant,
        quantity,
        price,
    })
}

/// Reads the page's lines (an array of line objects), or says what is wrong with the
/// first line that is not one: `line 2: invalid type: a string for `quantity``.
pub(crate) fn read_lines(lines: &impl Value) -> Result<Vec<RawLine>, String> {
    let items = lines
        .elements()
        .ok_or_else(|| format!("{EXPECTED}: invalid type: {}", lines.kind()))?;
    // A loop rather than an iterator chain collected into a `Result`: the same work in
    // less wasm.
    let mut read = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        read.push(read_line(i, item)?);
    }
    Ok(read)
}

/// The page's lines as the engine's basket, prices in the store's currency, or what is
/// wrong with the first price that does not fit.
///
/// ```
/// use cartlift_engine::Currency;
/// use cartlift_widget::basket::{RawLine, to_basket};
/// let usd = Currency::parse("USD").unwrap();
/// let line = RawLine {
///     id: "cam".into(),
///     variant: None,
///     quantity: 2,
///     price: Some(89.99),
/// };
/// let lines = to_basket(vec![line], usd).unwrap();
/// assert_eq!(lines[0].quantity, 2);
/// assert_eq!(lines[0].price.map(|p| p.minor()), Some(8999));
/// ```
pub fn to_basket(lines: Vec<RawLine>, currency: Currency) -> Result<Vec<BasketLine>, String> {
    let mut basket = Vec::with_capacity(lines.len());
    for (i, line) in lines.into_iter().enumerate() {
        let price = match line.price.map(|p| currency.to_minor(p)) {
            Some(Err(e)) => return Err(format!("line {i} (`{}`): price {e}", line.id)),
            Some(Ok(price)) => Some(price),
            None => None,
        };
        basket.push(BasketLine {
            product: line.id,
            variant: line.variant,
            quantity: line.quantity,
            price,
        });
    }
    Ok(basket)
}

/// `cartlift.setBasket(lines)`: the page's own values, read at once (the page may reuse
/// its array afterwards).
pub(crate) fn from_page(lines: wasm_bindgen::JsValue) -> Result<Vec<RawLine>, String> {
    read_lines(&Js(lines))
}

/// A confirmation page's `order` attribute: the order's lines as JSON text.
pub(crate) fn from_order(text: &str) -> Result<Vec<RawLine>, String> {
    read_lines(&Js::parse(text).map_err(|e| format!("{EXPECTED}: {e}"))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str, currency: Currency) -> Result<Vec<BasketLine>, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        to_basket(read_lines(&value)?, currency)
    }

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    #[test]
    fn numeric_ids_and_defaults() {
        let lines = parse_text(
            r#"[{"id": 42, "variant": 7}, {"id": "b", "title": "x", "variant": null, "price": null}]"#,
            usd(),
        )
        .unwrap();
        assert_eq!(lines[0].product, "42");
        assert_eq!(lines[0].variant.as_deref(), Some("7"));
        assert_eq!(lines[0].quantity, 1);
        assert_eq!(lines[1].product, "b");
        assert_eq!((lines[1].variant.as_deref(), lines[1].price), (None, None));
    }

    #[test]
    fn prices_and_quantities_as_pages_write_them() {
        let one = |line: &str| parse_text(&format!("[{line}]"), usd()).map(|l| l[0].clone());
        // Shortest digits of c / 100 as JavaScript and Rust write them: always c cents.
        let mut rng = cartlift_engine::synthetic::Rng::new(3);
        for _ in 0..20_000 {
            let cents = rng.next_u64() % 100_000_000_000;
            let price = cents as f64 / 100.0;
            let line = one(&format!(r#"{{"id": "a", "price": {price}}}"#)).unwrap();
            assert_eq!(line.price.map(|p| p.minor()), Some(cents as i64), "{price}");
        }
        // A float sum a page computed, an exponent, a whole quantity written as a decimal.
        let line = one(r#"{"id": "a", "price": 0.30000000000000004, "quantity": 2.0}"#).unwrap();
        assert_eq!(
            (line.price.map(|p| p.minor()), line.quantity),
            (Some(30), 2)
        );
        let line = one(r#"{"id": "a", "price": 1.25e2, "quantity": 3e0}"#).unwrap();
        assert_eq!(
            (line.price.map(|p| p.minor()), line.quantity),
            (Some(12_500), 3)
        );
        assert!(
            one(r#"{"id": "a", "price": 1.005}"#)
                .unwrap_err()
                .contains("more than 2 decimal places")
        );
        // The number as the browser writes it (`String(1e7)`), not as the page's source did.
        assert_eq!(
            one(r#"{"id": "a", "quantity": 1e7}"#).unwrap_err(),
            "line 0 (`a`): quantity 10000000 is not a whole number from 1 to 1000000"
        );
    }

    #[test]
    fn rejects_what_a_cart_cannot_hold() {
        for (bad, needle) in [
            (r#"{"id": "a"}"#, "expected an array"),
            (r#"[{"id": "a", "quantity": 0}]"#, "quantity 0"),
            (r#"[{"id": "a", "quantity": 1.5}]"#, "quantity 1.5"),
            (r#"[{"id": "a", "price": -1}]"#, "price is negative"),
            (r#"[{"id": ""}]"#, "id is empty"),
        ] {
            let err = parse_text(bad, usd()).unwrap_err();
            assert!(err.contains(needle), "{bad}: {err}");
        }
    }

    /// Every message names the line, the field and what was expected, exactly.
    #[test]
    fn messages_say_which_line_which_field_and_what_was_expected() {
        for (bad, message) in [
            (
                r#"{"id": "a"}"#,
                "expected an array of {id, quantity, price} lines: invalid type: an object",
            ),
            (
                r#""a""#,
                "expected an array of {id, quantity, price} lines: invalid type: a string",
            ),
            (
                r#"[{"id": "a"}, "b"]"#,
                "line 1: invalid type: a string, expected a line object",
            ),
            (
                r#"[{"id": "a"}, {"quantity": 1}]"#,
                "line 1: missing field `id`",
            ),
            (
                r#"[{"id": "a", "quantity": "2"}]"#,
                "line 0: invalid type: a string for `quantity`",
            ),
            (
                r#"[{"id": "a", "quantity": null}]"#,
                "line 0: invalid type: null for `quantity`",
            ),
            (
                r#"[{"id": "a", "price": "12.50"}]"#,
                "line 0: invalid type: a string for `price`",
            ),
            (
                r#"[{"id": 1.5}]"#,
                "line 0: invalid type: a number for `id`",
            ),
            (r#"[{"id": -3}]"#, "line 0: invalid type: a number for `id`"),
            (
                r#"[{"id": "a", "variant": true}]"#,
                "line 0: invalid type: a boolean for `variant`",
            ),
        ] {
            assert_eq!(parse_text(bad, usd()).unwrap_err(), message, "{bad}");
        }
    }
}
