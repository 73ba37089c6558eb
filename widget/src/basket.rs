//! The basket as the page hands it over (`cartlift.setBasket(lines)`), parsed and checked.
//!
//! Read from any [`Json`] value: the page's own objects and `JSON.parse`d text in the
//! browser, the engine's reader on the host, where it is tested. Lines are objects
//! `{"id": "SKU", "variant": "V", "quantity": 2, "price": 12.5}`; `id` is required,
//! `quantity` defaults to 1, `price` (decimal, store currency) is optional. Extra fields a
//! page may carry (titles, images) are ignored.
//!
//! Numbers are read to within an ulp ([`Json::number`]): a quantity must be whole
//! and a price is rounded to minor units with [`Currency::to_minor`]'s tolerance, so their
//! last bits never change the answer, and the small builds carry no exact decimal-to-float
//! conversion.

use cartlift_engine::json::Json;
use cartlift_engine::{BasketLine, Currency};

/// One line as the page wrote it.
struct RawLine {
    id: String,
    variant: Option<String>,
    /// The number and how the page wrote it, for messages: no float formatting in the
    /// wasm (it costs every shopper ~1 KB brotli).
    quantity: (f64, String),
    price: Option<f64>,
}

/// Stores use numeric ids (Shopify) as often as strings; both are accepted.
fn id(value: &impl Json) -> Option<String> {
    value
        .string()
        .or_else(|| value.integer().filter(|n| *n >= 0).map(|n| n.to_string()))
}

/// Reads one line: unknown members are ignored, a repeated or mistyped one is an error.
fn raw_line(value: &impl Json) -> Result<RawLine, String> {
    let Some(members) = value.members() else {
        return Err(format!(
            "invalid type: {}, expected a line object",
            value.kind()
        ));
    };
    let mut line = RawLine {
        id: String::new(),
        variant: None,
        quantity: (1.0, "1".to_owned()),
        price: None,
    };
    let mut seen = [false; 4];
    for (key, value) in &members {
        let Some(field) = ["id", "variant", "quantity", "price"]
            .iter()
            .position(|k| k == key)
        else {
            continue;
        };
        if std::mem::replace(&mut seen[field], true) {
            return Err(format!("duplicate field `{key}`"));
        }
        let wrong = || format!("invalid type: {} for `{key}`", value.kind());
        match field {
            0 => line.id = id(value).ok_or_else(wrong)?,
            1 | 3 if value.is_null() => {}
            1 => line.variant = Some(id(value).ok_or_else(wrong)?),
            2 => line.quantity = (value.number().ok_or_else(wrong)?, value.written()),
            _ => line.price = Some(value.number().ok_or_else(wrong)?),
        }
    }
    if !seen[0] {
        return Err("missing field `id`".into());
    }
    Ok(line)
}

/// What every basket message starts with: what the page should have handed over.
pub(crate) const EXPECTED: &str = "expected an array of {id, quantity, price} lines";

/// The most units of one line a basket may hold; more is a bug in the page, not a shopper.
const MAX_QUANTITY: u32 = 1_000_000;

/// Reads the page's basket (an array of lines) or says exactly what is wrong.
///
/// ```
/// use cartlift_engine::{Currency, json};
/// let usd = Currency::parse("USD").unwrap();
/// let basket = json::parse(r#"[{"id":"cam","quantity":2,"price":89.99}]"#).unwrap();
/// let lines = cartlift_widget::basket::parse_basket(&basket, usd).unwrap();
/// assert_eq!(lines[0].quantity, 2);
/// assert_eq!(lines[0].price.map(|p| p.minor()), Some(8999));
/// let no_id = json::parse(r#"[{"quantity":2}]"#).unwrap();
/// assert!(cartlift_widget::basket::parse_basket(&no_id, usd).is_err());
/// ```
pub fn parse_basket(lines: &impl Json, currency: Currency) -> Result<Vec<BasketLine>, String> {
    let items = lines
        .elements()
        .ok_or_else(|| format!("{EXPECTED}: invalid type: {}", lines.kind()))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let line = raw_line(item).map_err(|e| format!("line {i}: {e}"))?;
            let id = line.id;
            if id.is_empty() {
                return Err(format!("line {i}: id is empty"));
            }
            let (q, written) = line.quantity;
            if !(q.fract() == 0.0 && (1.0..=f64::from(MAX_QUANTITY)).contains(&q)) {
                return Err(format!(
                    "line {i} (`{id}`): quantity {written} is not a whole number from 1 to {MAX_QUANTITY}"
                ));
            }
            let price = line
                .price
                .map(|p| currency.to_minor(p))
                .transpose()
                .map_err(|e| format!("line {i} (`{id}`): price {e}"))?;
            Ok(BasketLine {
                product: id,
                variant: line.variant,
                quantity: q as u32,
                price,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartlift_engine::json;

    fn parse_text(text: &str, currency: Currency) -> Result<Vec<BasketLine>, String> {
        parse_basket(
            &json::parse(text).map_err(|e| e.message.to_owned())?,
            currency,
        )
    }

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    #[test]
    fn numeric_ids_and_defaults() {
        let lines = parse_text(
            r#"[{"id": 42, "variant": 7}, {"id": "b", "title": "x"}]"#,
            usd(),
        )
        .unwrap();
        assert_eq!(lines[0].product, "42");
        assert_eq!(lines[0].variant.as_deref(), Some("7"));
        assert_eq!(lines[0].quantity, 1);
        assert_eq!(lines[1].product, "b");
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
        assert!(
            one(r#"{"id": "a", "quantity": 1e7}"#)
                .unwrap_err()
                .contains("quantity 1e7")
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
}
