//! A small JSON reader and string writer, so the widget does not ship `serde_json`.
//!
//! [`parse`] reads a document into a [`Value`] tree; numbers keep their source text, so
//! each field converts it exactly as `serde_json` would (integers stay integers, floats are
//! correctly rounded by `str::parse`). The grammar is RFC 8259 and as strict as
//! `serde_json`'s: no comments, no trailing commas, no control characters or lone
//! surrogates in strings. The config's typed reading lives in `config::lite`; the CLI and
//! the tests keep `serde_json` for everything that is not on the widget's path.

use std::borrow::Cow;

/// A parsed JSON value. Objects keep their members in document order, duplicates included.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written (`-1.5e3`).
    Number(&'a str),
    /// A string, unescaped (borrowed from the text unless it had escapes).
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object's members in document order.
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

/// A parsed JSON value as the small readers ask for it (the shopper's memory, the widget's
/// basket), so the same checks run on this module's [`Value`] and on the browser's values:
/// the widget reads what `JSON.parse` (or the page itself) made, and its small builds then
/// carry no JSON reader at all.
pub trait Json: Sized {
    /// What it is, for messages: "a string", "an object", ….
    fn kind(&self) -> &'static str;
    /// `null`.
    fn is_null(&self) -> bool;
    /// The string, if this is one.
    fn string(&self) -> Option<String>;
    /// The number to within an ulp ([`Value::as_near_f64`]), if this is one.
    fn number(&self) -> Option<f64>;
    /// The number, if it is an integer that fits an `i64` (for [`Value`]: written as one).
    fn integer(&self) -> Option<i64>;
    /// How it is written, for messages (a number's digits).
    fn written(&self) -> String;
    /// The elements, if this is an array.
    fn elements(&self) -> Option<Vec<Self>>;
    /// The members in order (repeats included, where the reader keeps them), if this is an
    /// object.
    fn members(&self) -> Option<Vec<(String, Self)>>;
}

impl Json for Value<'_> {
    fn kind(&self) -> &'static str {
        Value::kind(self)
    }
    fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    fn string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn number(&self) -> Option<f64> {
        self.as_near_f64()
    }
    fn integer(&self) -> Option<i64> {
        self.as_i64()
    }
    fn written(&self) -> String {
        match self {
            Value::Number(text) => (*text).to_owned(),
            other => other.kind().to_owned(),
        }
    }
    fn elements(&self) -> Option<Vec<Self>> {
        match self {
            Value::Array(items) => Some(items.clone()),
            _ => None,
        }
    }
    fn members(&self) -> Option<Vec<(String, Self)>> {
        match self {
            Value::Object(members) => Some(
                members
                    .iter()
                    .map(|(k, v)| (k.as_ref().to_owned(), v.clone()))
                    .collect(),
            ),
            _ => None,
        }
    }
}

/// Why a document is not JSON, and where (a byte offset into the text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// What was expected or found.
    pub message: &'static str,
    /// Byte offset of the problem.
    pub offset: usize,
}

impl SyntaxError {
    /// The 1-based line and column (in characters) of the problem in `text`.
    pub fn line_column(&self, text: &str) -> (usize, usize) {
        line_column(text, self.offset)
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

impl<'a> Value<'a> {
    /// What kind of value this is, for messages: `"a string"`, `"null"`, ….
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s.as_ref()),
            _ => None,
        }
    }

    /// The number as the nearest `f64`, if this is a number that fits (like `serde_json`,
    /// a literal too large for `f64` is not a number).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(text) => number(text),
            _ => None,
        }
    }

    /// The number to within an ulp or two, from two `f64` operations: exact (correctly
    /// rounded) for up to 15 significant digits and powers of ten up to 22, which is every
    /// price and quantity a page writes. Where the number is then checked to be whole or
    /// rounded to minor units with a tolerance ([`crate::Currency::to_minor`]), the answer
    /// is the same as [`Value::as_f64`]'s, without the exact conversion's code: the
    /// widget's small builds, which read only the page's basket, then carry none (2 KB
    /// brotli of wasm).
    pub fn as_near_f64(&self) -> Option<f64> {
        match self {
            Value::Number(text) => Some(near_f64(text)),
            _ => None,
        }
    }

    /// The number, if it is written as an integer (no fraction, no exponent, not `-0`)
    /// and fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(text) if is_integer(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// The number, if it is written as an integer ≥ 0 that fits a `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(text) if is_integer(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// The member `key` of an object (the last one, if repeated).
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Value::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|m| &m.1),
            _ => None,
        }
    }
}

/// The nearest `f64` to a JSON number literal; `None` beyond `f64`'s range.
#[cfg(not(target_arch = "wasm32"))]
fn number(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The nearest `f64` to a JSON number literal; `None` beyond `f64`'s range. In the wasm,
/// [`literal_to_f64`] instead of `str::parse`, whose Eisel-Lemire tables are ~10 KB.
#[cfg(target_arch = "wasm32")]
fn number(text: &str) -> Option<f64> {
    literal_to_f64(text)
}

/// Correctly rounded (ties to even) decimal → `f64` for a JSON number literal, without
/// tables: exact with two `f64` operations when the digits and the power of ten are
/// small (nearly every number in a config), else exact with big integers. `None` when it
/// rounds to infinity. Tested against `str::parse` on the host.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn literal_to_f64(text: &str) -> Option<f64> {
    let literal = Literal::split(text);
    let mut exp10 = literal.exp.saturating_sub(literal.frac.len() as i64);
    // Significant digits, without leading and trailing zeros.
    let mut sig: Vec<u8> = literal
        .digits()
        .skip_while(|&d| d == b'0')
        .map(|d| d - b'0')
        .collect();
    while sig.last() == Some(&0) {
        sig.pop();
        exp10 += 1;
    }
    let magnitude = if sig.is_empty() {
        0.0
    } else if sig.len() <= 19 && (-22..=22).contains(&exp10) {
        small_to_f64(sig.iter().fold(0u64, |w, &d| w * 10 + u64::from(d)), exp10)
    } else {
        big_to_f64(&sig, exp10)?
    };
    Some(literal.signed(magnitude))
}

/// A JSON number literal's parts: `-` `int` `.frac` `e exp` (digits as written).
struct Literal<'a> {
    negative: bool,
    int: &'a str,
    frac: &'a str,
    exp: i64,
}

impl<'a> Literal<'a> {
    /// `magnitude` with the literal's sign.
    fn signed(&self, magnitude: f64) -> f64 {
        if self.negative { -magnitude } else { magnitude }
    }

    /// Every digit of the mantissa, the point left out.
    fn digits(&self) -> impl Iterator<Item = u8> + use<'a> {
        self.int.bytes().chain(self.frac.bytes())
    }

    /// Splits a literal the parser accepted.
    fn split(text: &'a str) -> Self {
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exp) = match text.find(['e', 'E']) {
            Some(i) => {
                // An exponent too long for i64 is just very large or very small.
                let e = &text[i + 1..];
                let huge = if e.starts_with('-') {
                    -(1 << 40)
                } else {
                    1 << 40
                };
                (&text[..i], e.parse::<i64>().unwrap_or(huge))
            }
            None => (text, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        Literal {
            negative,
            int,
            frac,
            exp,
        }
    }
}

/// Halfway between `f64::MAX` and 2^1024 (2^1024 − 2^970): a literal rounds to a finite
/// `f64` exactly when its magnitude is below this (at it, ties-to-even goes up).
const OVERFLOW: &str = "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";

/// Whether a literal the parser accepted rounds to a finite `f64`, decided on its digits
/// (no conversion, so a build that never asks for a number's exact value carries none).
/// Tested against `str::parse` on the host.
fn fits_f64(text: &str) -> bool {
    let literal = Literal::split(text);
    let digits = || literal.digits().skip_while(|&d| d == b'0');
    let count = digits().count() as i64;
    if count == 0 {
        return true;
    }
    // How many digits the value has before the decimal point.
    let whole = count
        .saturating_add(literal.exp)
        .saturating_sub(literal.frac.len() as i64);
    match whole.cmp(&(OVERFLOW.len() as i64)) {
        Ordering::Less => true,
        Ordering::Greater => false,
        // Same length: digit by digit, the literal's padded with zeros.
        Ordering::Equal => {
            let padded = digits().chain(std::iter::repeat(b'0'));
            OVERFLOW
                .bytes()
                .zip(padded)
                .find(|(o, d)| o != d)
                .is_some_and(|(o, d)| d < o)
        }
    }
}

/// [`Value::as_near_f64`]: the first 19 significant digits as an integer, scaled by the
/// power of ten with one `f64` multiplication or division.
fn near_f64(text: &str) -> f64 {
    let literal = Literal::split(text);
    let (mut w, mut exp10) = (0u64, literal.exp);
    for (i, d) in literal.digits().enumerate() {
        let fraction = i >= literal.int.len();
        if w < 1_000_000_000_000_000_000 {
            w = w * 10 + u64::from(d - b'0');
            exp10 -= i64::from(fraction);
        } else {
            exp10 += i64::from(!fraction);
        }
    }
    let scale = 10f64.powi(exp10.unsigned_abs().min(400) as i32);
    let magnitude = if w == 0 {
        0.0
    } else if exp10 < 0 {
        w as f64 / scale
    } else {
        w as f64 * scale
    };
    literal.signed(magnitude)
}

/// `w × 10^exp10` (`w` > 0, |exp10| ≤ 22) rounded to the nearest `f64`, in integer
/// arithmetic: 10^k = 5^k · 2^k and 5^22 < 2^52, so the work fits a `u128`. This covers
/// the 16- and 17-digit numbers serializers write for computed values (a mined rule's
/// confidence): the big-integer path took ~5 µs each, most of a large config's parse.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn small_to_f64(w: u64, exp10: i64) -> f64 {
    let k = exp10.unsigned_abs() as u32;
    let five = 5u128.pow(k);
    if w < 1 << 53 && k <= 15 {
        // Both operands are exact doubles, so one IEEE operation rounds correctly.
        let (w, p) = (w as f64, (10u64.pow(k)) as f64);
        return if exp10 < 0 { w / p } else { w * p };
    }
    if exp10 >= 0 {
        // w·5^k < 2^116 is an integer: one correctly rounded conversion, then an exact
        // scaling by 2^k (the result is far from overflow).
        return (u128::from(w) * five) as f64 * pow2(k as i32);
    }
    // q = ⌊w·2^s / 5^k⌋ with at least 55 bits, its last bit forced to 1 when the division
    // is inexact (a sticky bit below the rounding bit): the conversion then rounds
    // exactly as the true quotient would, and 2^-(s+k) scales it exactly.
    let bits_w = 64 - w.leading_zeros() as i32;
    let bits_five = 128 - five.leading_zeros() as i32;
    // (A long `w` over a small 5^k has the bits already: no shift.)
    let s = (56 + bits_five - bits_w).max(0);
    let num = u128::from(w) << s;
    let (q, r) = (num / five, num % five);
    (q | u128::from(r != 0)) as f64 * pow2(-(s + k as i32))
}

/// 2^e for a normal `f64` exponent.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn pow2(e: i32) -> f64 {
    f64::from_bits(((1023 + e) as u64) << 52)
}

/// `sig × 10^exp10` (`sig` non-empty, no leading zero) rounded to the nearest `f64`.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn big_to_f64(sig: &[u8], exp10: i64) -> Option<f64> {
    let digits = sig.len() as i64;
    if digits + exp10 > 310 {
        return None;
    }
    if digits + exp10 < -324 {
        return Some(0.0);
    }
    let mut num = Big::from_digits(sig);
    let mut den = Big(vec![1]);
    if exp10 >= 0 {
        num.mul_pow10(exp10 as u32);
    } else {
        den.mul_pow10(exp10.unsigned_abs() as u32);
    }
    // value = num / den = q × 2^-s with q in [2^52, 2^53) for a normal double.
    let mut s = 53 - (num.bits() as i64 - den.bits() as i64);
    loop {
        // Subnormals: the last bit weighs 2^-1074 at most.
        s = s.min(1074);
        let (q, half) = Big::div_shifted(&num, &den, s);
        if q >= 1 << 53 {
            s -= 1;
            continue;
        }
        if q < 1 << 52 && s < 1074 {
            s += 1;
            continue;
        }
        // Round half to even.
        let mut q = q;
        if half == Ordering::Greater || (half == Ordering::Equal && q & 1 == 1) {
            q += 1;
        }
        if q == 1 << 53 {
            q >>= 1;
            s -= 1;
        }
        let bits = if q >= 1 << 52 {
            let exponent = 52 - s + 1023;
            if exponent >= 0x7ff {
                return None;
            }
            ((exponent as u64) << 52) | (q - (1 << 52))
        } else {
            q
        };
        return Some(f64::from_bits(bits));
    }
}

use std::cmp::Ordering;
/// An `f64` displayed exactly as `{}` displays it (shortest digits that read back to the
/// same number, no exponent). In the wasm this avoids core's float formatting (~15 KB):
/// the digits come from the exact decimal expansion, and the shortest candidate that
/// [`literal_to_f64`] reads back wins. Tested against `{}` on the host.
#[derive(Clone, Copy, Debug)]
pub struct Shortest(pub f64);

impl std::fmt::Display for Shortest {
    #[cfg(not(target_arch = "wasm32"))]
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }

    #[cfg(target_arch = "wasm32")]
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&shortest(self.0))
    }
}

/// What `format!("{}", v)` gives, without core's float formatting.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn shortest(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    let sign = if v.is_sign_negative() { "-" } else { "" };
    if v.is_infinite() {
        return format!("{sign}inf");
    }
    if v == 0.0 {
        return format!("{sign}0");
    }
    let bits = v.to_bits();
    let (exp, frac) = (((bits >> 52) & 0x7ff) as i64, bits & ((1 << 52) - 1));
    let (m, e2) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp - 1075)
    };
    // |v| = n / 10^scale exactly.
    let mut n = Big(vec![m as u32, (m >> 32) as u32]);
    let mut scale = 0i64;
    if e2 >= 0 {
        n = n.shl(e2 as u32);
    } else {
        for _ in 0..-e2 {
            n.mul_add(5, 0);
        }
        scale = -e2;
    }
    n.trim();
    let exact = n.decimal();
    // |v| = 0.exact × 10^k.
    let k = exact.len() as i64 - scale;
    let reads_back = |digits: &[u8], k: i64| {
        let text: String = digits.iter().map(|&d| char::from(b'0' + d)).collect();
        literal_to_f64(&format!("0.{text}e{k}")) == Some(v.abs())
    };
    let mut best = (exact.clone(), k);
    for p in 1..exact.len() {
        let down = exact[..p].to_vec();
        let mut up = down.clone();
        let mut up_k = k;
        // Increment the last digit, carrying.
        let mut i = p;
        loop {
            if i == 0 {
                up.insert(0, 1);
                up.pop();
                up_k += 1;
                break;
            }
            i -= 1;
            if up[i] == 9 {
                up[i] = 0;
            } else {
                up[i] += 1;
                break;
            }
        }
        let (down_ok, up_ok) = (reads_back(&down, k), reads_back(&up, up_k));
        // Closest wins; on a tie, up (as core's Dragon4 does).
        let rest = &exact[p..];
        let up_closer = rest[0] >= 5;
        let pick = match (down_ok, up_ok) {
            (true, true) if up_closer => Some((up, up_k)),
            (true, _) => Some((down, k)),
            (false, true) => Some((up, up_k)),
            (false, false) => None,
        };
        if let Some(found) = pick {
            best = found;
            break;
        }
    }
    let (mut digits, k) = best;
    while digits.len() > 1 && digits.last() == Some(&0) {
        digits.pop();
    }
    let text: String = digits.iter().map(|&d| char::from(b'0' + d)).collect();
    let p = text.len() as i64;
    let body = if k <= 0 {
        format!("0.{}{text}", "0".repeat(k.unsigned_abs() as usize))
    } else if k >= p {
        format!("{text}{}", "0".repeat((k - p) as usize))
    } else {
        format!("{}.{}", &text[..k as usize], &text[k as usize..])
    };
    format!("{sign}{body}")
}

/// A non-negative big integer, little-endian base-2^32 limbs.
#[derive(Clone)]
struct Big(Vec<u32>);

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
impl Big {
    fn from_digits(digits: &[u8]) -> Big {
        let mut n = Big(vec![0]);
        for &d in digits {
            n.mul_add(10, u32::from(d));
        }
        n
    }

    fn mul_add(&mut self, m: u32, mut carry: u32) {
        for limb in &mut self.0 {
            let x = u64::from(*limb) * u64::from(m) + u64::from(carry);
            *limb = x as u32;
            carry = (x >> 32) as u32;
        }
        if carry > 0 {
            self.0.push(carry);
        }
    }

    fn mul_pow10(&mut self, mut e: u32) {
        while e > 0 {
            let step = e.min(9);
            self.mul_add(10u32.pow(step), 0);
            e -= step;
        }
    }

    /// Decimal digits, most significant first.
    fn decimal(&self) -> Vec<u8> {
        let mut n = self.clone();
        let mut out = Vec::new();
        while n.0.len() > 1 || n.0[0] > 0 {
            let mut rem = 0u64;
            for limb in n.0.iter_mut().rev() {
                let x = (rem << 32) | u64::from(*limb);
                *limb = (x / 10) as u32;
                rem = x % 10;
            }
            out.push(rem as u8);
            n.trim();
        }
        out.reverse();
        out
    }

    fn trim(&mut self) {
        while self.0.len() > 1 && self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn bits(&self) -> u32 {
        let top = self.0.len() - 1;
        top as u32 * 32 + (32 - self.0[top].leading_zeros())
    }

    fn shl(&self, n: u32) -> Big {
        let (limbs, bits) = ((n / 32) as usize, n % 32);
        let mut out = vec![0; limbs];
        let mut carry = 0;
        for &limb in &self.0 {
            out.push((limb << bits) | carry);
            carry = if bits == 0 { 0 } else { limb >> (32 - bits) };
        }
        out.push(carry);
        let mut out = Big(out);
        out.trim();
        out
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let x = i64::from(*limb) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            borrow = i64::from(x < 0);
            *limb = (x + (borrow << 32)) as u32;
        }
        self.trim();
    }

    /// `floor(num × 2^s / den)` (at most 54 bits), and how the remainder compares with half
    /// of the divisor.
    fn div_shifted(num: &Big, den: &Big, s: i64) -> (u64, Ordering) {
        let (mut rem, den) = if s >= 0 {
            (num.shl(s as u32), den.clone())
        } else {
            (num.clone(), den.shl(s.unsigned_abs() as u32))
        };
        let mut q = 0u64;
        for bit in (0..55).rev() {
            let d = den.shl(bit);
            if rem.cmp(&d) != Ordering::Less {
                rem.sub(&d);
                q |= 1 << bit;
            }
        }
        (q, rem.shl(1).cmp(&den))
    }
}

/// `serde_json` reads `-0` as a float and anything with `.`/`e` as a float.
fn is_integer(text: &str) -> bool {
    text != "-0" && !text.contains(['.', 'e', 'E'])
}

/// Parses a whole JSON document.
///
/// ```
/// use cartlift_engine::json::{parse, Value};
/// let v = parse(r#"{"id": "a\u00e9", "n": [1, 2.5]}"#).unwrap();
/// assert_eq!(v.get("id").and_then(Value::as_str), Some("aé"));
/// assert!(parse("[1,]").is_err());
/// ```
pub fn parse(text: &str) -> Result<Value<'_>, SyntaxError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    let value = p.value()?;
    p.ws();
    if p.pos < p.bytes.len() {
        return Err(p.fail("trailing characters"));
    }
    Ok(value)
}

/// `serde_json`'s nesting limit.
const MAX_DEPTH: u32 = 128;

/// Reads a document whose top level is an object piece by piece: its members one at a
/// time, and the elements of an array member one at a time, each as a [`Value`]. So a
/// large config is read in steps (the widget yields to the page between them) and never
/// held as one tree. It accepts and rejects exactly what [`parse`] does, at the same
/// offsets, and nests as deep.
///
/// ```text
/// open_object → (next_member → (value | open_array → (next_element → value)*))* → finish
/// ```
#[derive(Debug)]
pub(crate) struct Cursor<'a> {
    p: Parser<'a>,
    /// The next `next_member` / `next_element` call is the container's first.
    first: bool,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            p: Parser {
                text,
                bytes: text.as_bytes(),
                pos: 0,
                depth: 0,
            },
            first: true,
        }
    }

    /// Enters the top-level object; `false` (nothing consumed) if the document is not
    /// one: read it with [`Cursor::value`].
    pub(crate) fn open_object(&mut self) -> bool {
        self.p.ws();
        if self.p.peek() != Some(b'{') {
            return false;
        }
        self.p.pos += 1;
        self.p.depth = 1;
        self.first = true;
        true
    }

    /// The next member's key (its value comes next), or `None` after the closing `}`.
    pub(crate) fn next_member(&mut self) -> Result<Option<Cow<'a, str>>, SyntaxError> {
        let p = &mut self.p;
        p.ws();
        if std::mem::take(&mut self.first) {
            if p.peek() == Some(b'}') {
                p.pos += 1;
                p.depth -= 1;
                return Ok(None);
            }
        } else {
            match p.peek() {
                Some(b',') => p.pos += 1,
                Some(b'}') => {
                    p.pos += 1;
                    p.depth -= 1;
                    return Ok(None);
                }
                _ => return Err(p.fail("expected `,` or `}`")),
            }
        }
        p.ws();
        if p.peek() != Some(b'"') {
            return Err(p.fail("key must be a string"));
        }
        let key = p.string()?;
        p.ws();
        if p.peek() != Some(b':') {
            return Err(p.fail("expected `:`"));
        }
        p.pos += 1;
        Ok(Some(key))
    }

    /// Enters an array member's value; `false` (nothing consumed) if the value is not an
    /// array: read it with [`Cursor::value`].
    pub(crate) fn open_array(&mut self) -> bool {
        self.p.ws();
        if self.p.peek() != Some(b'[') {
            return false;
        }
        self.p.pos += 1;
        self.p.depth += 1;
        self.first = true;
        true
    }

    /// Whether another element follows (read it with [`Cursor::value`]); `false` after
    /// the closing `]`, back in the object.
    pub(crate) fn next_element(&mut self) -> Result<bool, SyntaxError> {
        let p = &mut self.p;
        p.ws();
        let first = std::mem::take(&mut self.first);
        match p.peek() {
            Some(b']') => {
                p.pos += 1;
                p.depth -= 1;
                Ok(false)
            }
            _ if first => Ok(true),
            Some(b',') => {
                p.pos += 1;
                Ok(true)
            }
            _ => Err(p.fail("expected `,` or `]`")),
        }
    }

    /// Where the next value starts (after whitespace).
    pub(crate) fn value_start(&mut self) -> usize {
        self.p.ws();
        self.p.pos
    }

    /// One whole value: a member's, an element's, or the document's.
    pub(crate) fn value(&mut self) -> Result<Value<'a>, SyntaxError> {
        self.p.value()
    }

    /// Nothing but whitespace may follow the document.
    pub(crate) fn finish(&mut self) -> Result<(), SyntaxError> {
        self.p.ws();
        if self.p.pos < self.p.bytes.len() {
            return Err(self.p.fail("trailing characters"));
        }
        Ok(())
    }
}

#[derive(Debug)]
struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: u32,
}

impl<'a> Parser<'a> {
    /// A problem at the current position. At the end of the input every problem is the
    /// same one, whatever was expected there: the text stops early (a truncated download,
    /// a half-written file), and that is what the message says.
    fn fail(&self, message: &'static str) -> SyntaxError {
        let message = if self.pos >= self.bytes.len() && !message.starts_with("EOF") {
            "EOF while parsing: the text ends before the JSON is complete"
        } else {
            message
        };
        SyntaxError {
            message,
            offset: self.pos,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Value<'a>, SyntaxError> {
        self.ws();
        match self.peek() {
            None => Err(self.fail("EOF while parsing a value")),
            Some(b'"') => self.string().map(Value::String),
            Some(b'{' | b'[') => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.fail("recursion limit exceeded"));
                }
                let open = self.bytes[self.pos];
                self.pos += 1;
                let value = if open == b'{' {
                    self.object()
                } else {
                    self.array()
                };
                self.depth -= 1;
                value
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => {
                for (word, value) in [
                    ("null", Value::Null),
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                ] {
                    let rest = &self.bytes[self.pos..];
                    if rest.starts_with(word.as_bytes()) {
                        self.pos += word.len();
                        return Ok(value);
                    }
                    if word.as_bytes().starts_with(rest) {
                        // `tr` and then nothing: cut short, not misspelt.
                        self.pos = self.bytes.len();
                        return Err(self.fail("EOF while parsing a value"));
                    }
                }
                Err(self.fail("expected value"))
            }
        }
    }

    fn array(&mut self) -> Result<Value<'a>, SyntaxError> {
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.fail("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Result<Value<'a>, SyntaxError> {
        let mut members = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.fail("key must be a string"));
            }
            let key = self.string()?;
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.fail("expected `:`"));
            }
            self.pos += 1;
            members.push((key, self.value()?));
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.fail("expected `,` or `}`")),
            }
        }
    }

    /// At the opening quote. Borrowed from the text unless it has escapes: most keys and
    /// values are read without an allocation.
    fn string(&mut self) -> Result<Cow<'a, str>, SyntaxError> {
        self.pos += 1;
        let start = self.pos;
        loop {
            let Some(b) = self.peek() else {
                return Err(self.fail("EOF while parsing a string"));
            };
            match b {
                b'"' => {
                    // ASCII, so `start..pos` lies on character boundaries.
                    let s = self.text.get(start..self.pos).unwrap_or_default();
                    self.pos += 1;
                    return Ok(Cow::Borrowed(s));
                }
                b'\\' => break,
                0..=0x1f => return Err(self.fail("control character found while parsing a string")),
                _ => self.pos += 1,
            }
        }
        let mut out = String::from(self.text.get(start..self.pos).unwrap_or_default());
        let mut start = self.pos;
        loop {
            let Some(b) = self.peek() else {
                return Err(self.fail("EOF while parsing a string"));
            };
            match b {
                b'"' | b'\\' => {
                    out.push_str(self.text.get(start..self.pos).unwrap_or_default());
                    self.pos += 1;
                    if b == b'"' {
                        return Ok(Cow::Owned(out));
                    }
                    self.escape(&mut out)?;
                    start = self.pos;
                }
                0..=0x1f => return Err(self.fail("control character found while parsing a string")),
                _ => self.pos += 1,
            }
        }
    }

    /// After a backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), SyntaxError> {
        let Some(b) = self.peek() else {
            return Err(self.fail("EOF while parsing a string"));
        };
        self.pos += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                let code = match hi {
                    0xD800..=0xDBFF => {
                        if !self.bytes[self.pos..].starts_with(b"\\u") {
                            return Err(self.fail("lone leading surrogate in hex escape"));
                        }
                        self.pos += 2;
                        let lo = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&lo) {
                            return Err(self.fail("lone leading surrogate in hex escape"));
                        }
                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                    }
                    0xDC00..=0xDFFF => {
                        return Err(self.fail("lone trailing surrogate in hex escape"));
                    }
                    _ => hi,
                };
                char::from_u32(code).ok_or_else(|| self.fail("invalid unicode code point"))?
            }
            _ => return Err(self.fail("invalid escape")),
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|b| (b as char).to_digit(16))
                .ok_or_else(|| self.fail("invalid escape"))?;
            n = n * 16 + digit;
            self.pos += 1;
        }
        Ok(n)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Value<'a>, SyntaxError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.fail("invalid number"));
                }
            }
            _ => {
                if self.digits() == 0 {
                    return Err(self.fail("invalid number"));
                }
            }
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.fail("invalid number"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.fail("invalid number"));
            }
        }
        let text = self.text.get(start..self.pos).unwrap_or_default();
        // Like serde_json: a literal beyond f64's range is an error, not infinity.
        if !fits_f64(text) {
            self.pos = start;
            return Err(self.fail("number out of range"));
        }
        Ok(Value::Number(text))
    }
}

/// Appends `s` as a JSON string literal, escaped the way `serde_json` does.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every document here must be read exactly as `serde_json` reads it.
    #[test]
    fn agrees_with_serde_json() {
        let docs = [
            r#"{"a": [1, -2, 3.5e2, -0, 0.1, 1E-3, 12345678901234567890123], "b": null}"#,
            r#"["\u00e9\ud83d\ude00\n\t\"\\\/", "plain", ""]"#,
            " \t\r\n true ",
            "false",
            r#"{"dup": 1, "dup": 2}"#,
            "1e308",
            "5e-324",
            "1e-400",
        ];
        for doc in docs {
            let ours = parse(doc).unwrap();
            let theirs: serde_json::Value = serde_json::from_str(doc).unwrap();
            assert_eq!(to_serde(&ours), theirs, "{doc}");
        }
        for bad in [
            "",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "+1",
            "[1 2]",
            "{\"a\" 1}",
            "{a:1}",
            "\"\\x\"",
            "\"a\nb\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "nul",
            "[1] x",
            "1e400",
            "-1e400",
            "\"abc",
            "[",
            "{\"a\":",
            "// c\n1",
            "\u{feff}1",
            "NaN",
            "Infinity",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} parsed");
            assert!(
                serde_json::from_str::<serde_json::Value>(bad).is_err(),
                "{bad:?}"
            );
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(parse(&deep).is_err());
    }

    /// A document cut anywhere is named as cut short, never as some other mistake: a
    /// truncated download must not send a store owner hunting for a bad key.
    #[test]
    fn a_document_cut_anywhere_says_it_ends_early() {
        let doc = r#"{"store": {"currency": "EUR"}, "rules": [{"id": "r1", "if": ["a"], "then": ["b", "c"], "confidence": 0.5, "ok": true, "none": null}]}"#;
        assert!(parse(doc).is_ok());
        for cut in 0..doc.len() {
            let head = &doc[..cut];
            let err = parse(head).unwrap_err();
            assert!(err.message.starts_with("EOF"), "{head:?}: {}", err.message);
        }
    }

    fn to_serde(v: &Value<'_>) -> serde_json::Value {
        match v {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Number(text) => serde_json::from_str(text).unwrap(),
            Value::String(s) => s.as_ref().into(),
            Value::Array(items) => items.iter().map(to_serde).collect(),
            Value::Object(members) => members
                .iter()
                .map(|(k, v)| (k.to_string(), to_serde(v)))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }

    /// The table-free conversion the wasm uses agrees with `str::parse` everywhere.
    #[test]
    fn literal_to_f64_fits_f64_and_near_f64_match_std() {
        let check = |text: &str| {
            let std = text.parse::<f64>().ok().filter(|n| n.is_finite());
            assert_eq!(
                literal_to_f64(text).map(f64::to_bits),
                std.map(f64::to_bits),
                "{text}"
            );
            assert_eq!(fits_f64(text), std.is_some(), "{text}");
            if let Some(x) = std.filter(|x| *x == 0.0 || (1e-290..1e290).contains(&x.abs())) {
                let near = near_f64(text);
                assert!((near - x).abs() <= x.abs() * 1e-15, "{text}: {near} vs {x}");
            }
        };
        for text in [
            "0",
            "-0",
            "0.0",
            "1",
            "0.1",
            "0.30000000000000004",
            "79.99",
            "1e22",
            "1e23",
            "9007199254740993",
            "9007199254740992.5",
            "123456789012345678901234567890",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "4.9e-324",
            "2.4e-324",
            "2.5e-324",
            "1e-400",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e309",
            "0.000001",
            "123.456e-7",
            "5e-324",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "7.2057594037927933e16",
            "0e999999",
            "100000000000000000000000000000000e-30",
            "0e99999999999999999999",
            "1e-99999999999999999999",
            "1e99999999999999999999",
        ] {
            check(text);
        }
        let mut rng = crate::synthetic::Rng::new(7);
        for _ in 0..3_000 {
            let bits = rng.next_u64();
            let x = f64::from_bits(bits);
            if x.is_finite() {
                check(&format!("{x:e}"));
                check(&format!("{:e}", x.abs()));
            }
            // Exactly halfway between two neighbouring doubles, m·2^-j and (m+1)·2^-j:
            // (2m+1)·5^(j+1) / 10^(j+1), and the same above 2^53: the ties.
            let m = u128::from((bits >> 11) | (1 << 52));
            let j = (rng.next_u64() % 21) as u32;
            check(&format!("{}e-{}", (2 * m + 1) * 5u128.pow(j + 1), j + 1));
            check(&format!("{}", (2 * m + 1) << (rng.next_u64() % 20)));
            check(&format!("{}", ((2 * m + 1) << (rng.next_u64() % 20)) + 1));
            // What serializers write for computed values: 15 to 19 digits, small exponents.
            let long = rng.next_u64() % 10_000_000_000_000_000_000;
            check(&format!("0.{long:019}"));
            check(&format!("{long}e-{}", rng.next_u64() % 23));
            check(&format!("{long}e{}", rng.next_u64() % 23));
            check(&format!("{}", f64::from_bits(bits >> 2)));
            let digits = rng.next_u64() % 10_000_000_000_000_000;
            let exp = (rng.next_u64() % 700) as i64 - 350;
            check(&format!("{digits}e{exp}"));
            check(&format!("{}.{digits}e{exp}", digits % 1000));
            // Up to 15 digits and 10^±22: what pages write. Here the near value is exact.
            let short = rng.next_u64() % 1_000_000_000_000_000;
            let exp = (rng.next_u64() % 45) as i64 - 22;
            for text in [
                format!("{short}e{exp}"),
                format!("{}.{:03}", short / 1000, short % 1000),
            ] {
                check(&text);
                let std = text.parse::<f64>().unwrap();
                assert_eq!(near_f64(&text).to_bits(), std.to_bits(), "{text}");
            }
        }
        // The edge of f64's range, decided on digits alone.
        let below = format!("{}{}", &OVERFLOW[..OVERFLOW.len() - 1], '1');
        for text in [
            OVERFLOW.to_owned(),
            format!("{OVERFLOW}.0"),
            format!("{OVERFLOW}e0"),
            format!("-{OVERFLOW}"),
            format!("0.{OVERFLOW}e309"),
            format!("{OVERFLOW}0e-1"),
            below.clone(),
            format!("{below}.99999999999999999999"),
            format!("{below}9e-1"),
            format!("{}e1", &OVERFLOW[..OVERFLOW.len() - 1]),
            "1e308".to_owned(),
            "9.99e308".to_owned(),
            "0.00001e313".to_owned(),
            "10e307".to_owned(),
            "1797693134862315807937289714053e278".to_owned(),
            "1797693134862315807937289714052e278".to_owned(),
        ] {
            check(&text);
        }
    }

    /// The cursor reads what `parse` reads and fails where it fails, at the same offset.
    #[test]
    fn cursor_agrees_with_parse() {
        /// The document through the cursor, rebuilt as one value.
        fn through_cursor(text: &str) -> Result<Value<'_>, SyntaxError> {
            let mut c = Cursor::new(text);
            if !c.open_object() {
                let v = c.value()?;
                c.finish()?;
                return Ok(v);
            }
            let mut members = Vec::new();
            while let Some(key) = c.next_member()? {
                if key.starts_with('a') && c.open_array() {
                    let mut items = Vec::new();
                    while c.next_element()? {
                        items.push(c.value()?);
                    }
                    members.push((key, Value::Array(items)));
                } else {
                    members.push((key, c.value()?));
                }
            }
            c.finish()?;
            Ok(Value::Object(members))
        }
        let deep = format!("{{\"a\": [{}{}]}}", "[".repeat(126), "]".repeat(126));
        let too_deep = format!("{{\"a\": [{}{}]}}", "[".repeat(127), "]".repeat(127));
        let docs = [
            r#"{"a": [1, {"x": [2]}, "s"], "b": {"c": null}, "a2": 3}"#,
            r#" { } "#,
            r#"{"a": []}"#,
            r#"{"a": [1,]}"#,
            r#"{"a": [1 2]}"#,
            r#"{"a": [1], }"#,
            r#"{"a": [1]"#,
            r#"{"a": [1"#,
            r#"{"a" 1}"#,
            r#"{1: 2}"#,
            r#"{"a": 1} x"#,
            r#"{"a": [1]} {"#,
            r#"{"#,
            "",
            "[1, 2]",
            "\"text\"",
            r#"{"a": [1, 1e999]}"#,
            r#"{"a": ["\ud800"]}"#,
            &deep,
            &too_deep,
        ];
        for doc in docs {
            assert_eq!(through_cursor(doc), parse(doc), "{doc}");
        }
    }

    /// The table-free formatting the wasm uses matches `{}`.
    #[test]
    fn shortest_matches_display() {
        let check = |x: f64| assert_eq!(shortest(x), format!("{x}"), "{x:e}");
        for x in [
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.1,
            0.3,
            79.99,
            1e21,
            1e22,
            1e23,
            123456789.0,
            5e-324,
            2.2250738585072014e-308,
            f64::MAX,
            f64::MIN_POSITIVE,
            0.000001,
            1e-7,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            9007199254740993.0,
            0.30000000000000004,
            1152921504606846976.0,
            4.35,
            2.675,
            1.005,
        ] {
            check(x);
        }
        let mut rng = crate::synthetic::Rng::new(11);
        for _ in 0..3_000 {
            check(f64::from_bits(rng.next_u64()));
            check((rng.next_u64() % 100_000) as f64 / 100.0);
            check((rng.next_u64() % 1_000) as f64 / 7.0);
        }
    }

    #[test]
    fn numbers_convert_like_serde_json() {
        let n = |text| Value::Number(text);
        assert_eq!(n("0.1").as_f64(), Some(0.1));
        assert_eq!(n("12").as_u64(), Some(12));
        assert_eq!(n("1e2").as_u64(), None);
        assert_eq!(n("-0").as_i64(), None);
        assert_eq!(n("-5").as_u64(), None);
        assert_eq!(n("-5").as_i64(), Some(-5));
    }

    #[test]
    fn writes_strings_like_serde_json() {
        for s in [
            "plain",
            "q\"b\\s/",
            "\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}",
            "é😀",
        ] {
            let mut ours = String::new();
            write_str(&mut ours, s);
            assert_eq!(ours, serde_json::to_string(s).unwrap());
        }
    }

    #[test]
    fn locates_syntax_errors() {
        let text = "{\n  \"a\": [1,]\n}";
        let err = parse(text).unwrap_err();
        assert_eq!(err.line_column(text), (2, 11));
    }
}
