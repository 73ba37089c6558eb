//! Training and test orders, and the hidden item of each test basket.

use crate::mining::{Item, Transactions};
use crate::orders::Column;
use crate::synthetic::Rng;
use csv_core::{ReadRecordResult, ReaderBuilder};

/// Mixed into the seed to carve validation orders out of the training orders (tuning
/// never looks at the test orders).
pub const VALIDATION_STREAM: u64 = 0x7A11_DA7E_0F7E_57ED;

/// The share of orders held out for testing unless told otherwise.
pub const TEST_SHARE: f64 = 0.2;

/// Orders split for evaluation. Test baskets use the training set's item ids (items only
/// ever bought in test orders are interned into `train` with a count of 0).
#[derive(Clone, Debug)]
pub struct Split {
    /// What the methods learn from.
    pub train: Transactions,
    /// One basket per held-out order (sorted item ids, no repeats).
    pub test: Vec<Vec<Item>>,
}

/// One test: the cart the shopper has, and the item they also bought.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// The test basket without the hidden item.
    pub cart: Vec<Item>,
    /// The item to find.
    pub hidden: Item,
}

/// Keeps the hiding stream apart from the splitting stream of the same seed.
const HIDE_STREAM: u64 = 0xC0FF_EE15_D15C_0DE5;

impl Split {
    /// A seeded random split: `round(test_share × orders)` orders, drawn uniformly, are
    /// the test set. The same orders and seed always give the same split.
    pub fn random(orders: &Transactions, test_share: f64, seed: u64) -> Split {
        let baskets: Vec<&[Item]> = orders.iter().map(|t| t.items()).collect();
        let mut each: Vec<u32> = Vec::with_capacity(orders.len() as usize);
        for (b, t) in orders.iter().enumerate() {
            each.extend(std::iter::repeat_n(b as u32, t.count() as usize));
        }
        let mut rng = Rng::new(seed);
        for i in (1..each.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            each.swap(i, j);
        }
        let held = test_count(each.len(), test_share);
        let mut train = orders.clone();
        let mut test = Vec::with_capacity(held);
        for &b in &each[..held] {
            let items = baskets[b as usize];
            let removed = train.remove_items(items, 1);
            debug_assert!(removed, "every drawn order is in the training copy once");
            test.push(items.to_vec());
        }
        Split { train, test }
    }

    /// A split made elsewhere (e.g. by date, [`split_rows_by_date`]): the test orders are
    /// re-interned into the training set's items.
    pub fn from_parts(mut train: Transactions, test: &Transactions) -> Split {
        let mut baskets = Vec::with_capacity(test.len() as usize);
        for t in test.iter() {
            let mut items: Vec<Item> = t
                .items()
                .iter()
                .map(|&i| train.intern(test.name(i)))
                .collect();
            items.sort_unstable();
            for _ in 0..t.count() {
                baskets.push(items.clone());
            }
        }
        Split {
            train,
            test: baskets,
        }
    }

    /// The test cases: every test basket with at least two items, with one item hidden,
    /// chosen by `seed`.
    pub fn cases(&self, seed: u64) -> Vec<Case> {
        let mut rng = Rng::new(seed ^ HIDE_STREAM);
        self.test
            .iter()
            .filter(|b| b.len() >= 2)
            .map(|basket| {
                let h = rng.below(basket.len() as u64) as usize;
                let mut cart = basket.clone();
                let hidden = cart.remove(h);
                Case { cart, hidden }
            })
            .collect()
    }
}

fn test_count(orders: usize, share: f64) -> usize {
    ((orders as f64 * share.clamp(0.0, 1.0)).round() as usize).min(orders)
}

/// An order-line file cut in two by date: the header and rows of the earlier orders, and
/// the header and rows of the latest ones, ready for [`crate::orders::OrderReader`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateSplit {
    /// CSV text of the training orders.
    pub train: Vec<u8>,
    /// CSV text of the test orders.
    pub test: Vec<u8>,
    /// Orders seen (by order id).
    pub orders: usize,
    /// Orders in the test part.
    pub test_orders: usize,
    /// The date of the first test order, as written in the file.
    pub cutoff: String,
}

/// Why a file could not be split by date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateSplitError {
    /// The header has no such column.
    #[error("the header has no column {0}")]
    MissingColumn(String),
    /// An order has no date this module can read (`YYYY-MM-DD`, optionally followed by a
    /// time `HH:MM[:SS]`).
    #[error("order {order:?} has no readable date (found {found:?})")]
    Undated {
        /// The order id.
        order: String,
        /// Its date field.
        found: String,
    },
    /// There are too few orders to hold any out.
    #[error("{0} order(s) are too few to split")]
    TooFew(usize),
}

/// Splits an order-line CSV by date: orders sorted by their date (the first non-empty
/// date among their rows; ties keep file order), the latest `round(test_share × orders)`
/// go to the test part. Rows are copied as they are; rows with an empty order id follow
/// the previous row's order.
///
/// ```
/// use cartlift_engine::orders::Column;
/// use cartlift_engine::quality::split_rows_by_date;
///
/// let file = b"Name,Created at,Lineitem sku\n#2,2025-03-02 09:00:00 -0500,cam\n#2,,cable\n#1,2025-03-01,cam\n";
/// let cut = split_rows_by_date(file, b',', &Column::parse("Name"), &Column::parse("Created at"), 0.5)?;
/// assert_eq!(cut.train, b"Name,Created at,Lineitem sku\n#1,2025-03-01,cam\n");
/// assert_eq!(cut.test, b"Name,Created at,Lineitem sku\n#2,2025-03-02 09:00:00 -0500,cam\n#2,,cable\n");
/// assert_eq!((cut.orders, cut.test_orders, cut.cutoff.as_str()), (2, 1, "2025-03-02 09:00:00 -0500"));
/// # Ok::<(), cartlift_engine::quality::DateSplitError>(())
/// ```
pub fn split_rows_by_date(
    input: &[u8],
    delimiter: u8,
    order: &Column,
    date: &Column,
    test_share: f64,
) -> Result<DateSplit, DateSplitError> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    each_record(input, delimiter, |fields| rows.push(fields));
    let Some((header, rows)) = rows.split_first() else {
        return Err(DateSplitError::TooFew(0));
    };
    let find = |c: &Column| -> Result<usize, DateSplitError> {
        match c {
            Column::Index(i) if *i < header.len() => Ok(*i),
            Column::Name(n) => header
                .iter()
                .position(|h| {
                    h.trim_start_matches('\u{feff}')
                        .trim()
                        .eq_ignore_ascii_case(n)
                })
                .ok_or_else(|| DateSplitError::MissingColumn(format!("{n:?}"))),
            Column::Index(_) => Err(DateSplitError::MissingColumn(c.to_string())),
        }
    };
    let (order_col, date_col) = (find(order)?, find(date)?);

    // Orders in first-seen order, with their date.
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut dates: Vec<(Option<(u64, String)>, &str)> = Vec::new();
    let mut row_order: Vec<usize> = Vec::with_capacity(rows.len());
    let mut current = None;
    for row in rows {
        let id = row.get(order_col).map(|s| s.trim()).unwrap_or("");
        let o = if id.is_empty() {
            match current {
                Some(o) => o,
                None => continue,
            }
        } else {
            *index.entry(id).or_insert_with(|| {
                dates.push((None, id));
                dates.len() - 1
            })
        };
        current = Some(o);
        row_order.push(o);
        if dates[o].0.is_none() {
            let d = row.get(date_col).map(|s| s.trim()).unwrap_or("");
            if !d.is_empty() {
                let key = date_key(d).ok_or_else(|| DateSplitError::Undated {
                    order: dates[o].1.to_string(),
                    found: d.to_string(),
                })?;
                dates[o].0 = Some((key, d.to_string()));
            }
        }
    }
    if let Some((_, id)) = dates.iter().find(|(d, _)| d.is_none()) {
        return Err(DateSplitError::Undated {
            order: id.to_string(),
            found: String::new(),
        });
    }
    let n = dates.len();
    let held = test_count(n, test_share);
    if n < 2 || held == 0 || held == n {
        return Err(DateSplitError::TooFew(n));
    }
    let mut by_date: Vec<usize> = (0..n).collect();
    by_date.sort_by_key(|&o| (dates[o].0.as_ref().map_or(0, |d| d.0), o));
    let mut is_test = vec![false; n];
    for &o in &by_date[n - held..] {
        is_test[o] = true;
    }
    let cutoff = dates[by_date[n - held]]
        .0
        .as_ref()
        .map(|d| d.1.clone())
        .unwrap_or_default();

    let mut train = Vec::new();
    let mut test = Vec::new();
    write_record(&mut train, header, delimiter);
    write_record(&mut test, header, delimiter);
    let mut k = 0;
    let mut current = None;
    for row in rows {
        let id = row.get(order_col).map(|s| s.trim()).unwrap_or("");
        if id.is_empty() && current.is_none() {
            continue;
        }
        let o = row_order[k];
        k += 1;
        current = Some(o);
        let out = if is_test[o] { &mut test } else { &mut train };
        write_record(out, row, delimiter);
    }
    Ok(DateSplit {
        train,
        test,
        orders: n,
        test_orders: held,
        cutoff,
    })
}

/// `YYYY-MM-DD[( |T)HH:MM[:SS]]…` as a number that sorts like the moment (the offset, if
/// any, is ignored: exports write one time zone).
fn date_key(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u64> {
        let s = b.get(range)?;
        s.iter().try_fold(0u64, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u64::from(c - b'0'))
        })
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut key = ((y * 100 + m) * 100 + d) * 1_000_000;
    if b.len() >= 16 && (b[10] == b' ' || b[10] == b'T') && b[13] == b':' {
        let (h, min) = (digits(11..13)?, digits(14..16)?);
        let s = if b.len() >= 19 && b[16] == b':' {
            digits(17..19)?
        } else {
            0
        };
        key += (h * 100 + min) * 100 + s;
    }
    Some(key)
}

/// Calls `each` with the fields of every record of a whole CSV text.
fn each_record(input: &[u8], delimiter: u8, mut each: impl FnMut(Vec<String>)) {
    let mut csv = ReaderBuilder::new().delimiter(delimiter).build();
    let mut out = vec![0u8; 1 << 12];
    let mut ends = vec![0usize; 64];
    let (mut out_len, mut nends, mut pos) = (0, 0, 0);
    loop {
        let (res, nin, nout, nend) =
            csv.read_record(&input[pos..], &mut out[out_len..], &mut ends[nends..]);
        pos += nin;
        out_len += nout;
        nends += nend;
        match res {
            ReadRecordResult::InputEmpty => {}
            ReadRecordResult::OutputFull => out.resize(out.len() * 2, 0),
            ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            ReadRecordResult::Record => {
                let mut start = 0;
                let fields = ends[..nends]
                    .iter()
                    .map(|&end| {
                        let f = String::from_utf8_lossy(&out[start..end]).into_owned();
                        start = end;
                        f
                    })
                    .collect();
                each(fields);
                out_len = 0;
                nends = 0;
            }
            ReadRecordResult::End => break,
        }
    }
}

fn write_record(out: &mut Vec<u8>, fields: &[String], delimiter: u8) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        let quote = f
            .bytes()
            .any(|b| b == delimiter || b == b'"' || b == b'\n' || b == b'\r');
        if quote {
            out.push(b'"');
            for b in f.bytes() {
                if b == b'"' {
                    out.push(b'"');
                }
                out.push(b);
            }
            out.push(b'"');
        } else {
            out.extend_from_slice(f.as_bytes());
        }
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orders() -> Transactions {
        let mut t = Transactions::new();
        for i in 0..100u32 {
            let a = format!("i{}", i % 7);
            let b = format!("i{}", i % 5 + 7);
            t.push([a.as_str(), b.as_str()]);
        }
        t
    }

    #[test]
    fn same_seed_same_split_and_cases() {
        let t = orders();
        let (a, b) = (Split::random(&t, 0.2, 42), Split::random(&t, 0.2, 42));
        assert_eq!(a.test, b.test);
        assert_eq!(a.cases(42), b.cases(42));
        assert_eq!((a.train.len(), a.test.len()), (80, 20));
        // Train and test together are the orders, exactly.
        let mut back = a.train.clone();
        for basket in &a.test {
            back.push_items(&mut basket.clone(), 1);
        }
        for item in t.items() {
            assert_eq!(back.count(item), t.count(item));
        }
        let other = Split::random(&t, 0.2, 43);
        assert_ne!(a.test, other.test);
    }

    #[test]
    fn cases_hide_one_item_of_baskets_with_two_or_more() {
        let mut t = Transactions::new();
        t.push(["a"]);
        t.push(["a", "b", "c"]);
        let split = Split {
            test: t.iter().map(|b| b.items().to_vec()).collect(),
            train: t,
        };
        let cases = split.cases(1);
        assert_eq!(cases.len(), 1);
        let c = &cases[0];
        assert_eq!(c.cart.len(), 2);
        assert!(!c.cart.contains(&c.hidden));
    }

    #[test]
    fn date_split_keeps_order_rows_together_and_quotes() {
        let file = "Order ID,Order Date,SKU,Note\n\
                    3,2025-03-03 10:00,cam,\"a, b\"\n\
                    1,2025-03-01 10:00,cam,\n\
                    2,2025-03-02,nvr,\n\
                    3,2025-03-03 10:00,\"say \"\"hi\"\"\",\n\
                    1,2025-03-01 10:00,cable,\n";
        let cut = split_rows_by_date(
            file.as_bytes(),
            b',',
            &Column::parse("order id"),
            &Column::parse("Order Date"),
            0.34,
        )
        .unwrap();
        assert_eq!((cut.orders, cut.test_orders), (3, 1));
        assert_eq!(cut.cutoff, "2025-03-03 10:00");
        assert_eq!(
            String::from_utf8(cut.test).unwrap(),
            "Order ID,Order Date,SKU,Note\n3,2025-03-03 10:00,cam,\"a, b\"\n3,2025-03-03 10:00,\"say \"\"hi\"\"\",\n"
        );
        assert_eq!(
            String::from_utf8(cut.train).unwrap(),
            "Order ID,Order Date,SKU,Note\n1,2025-03-01 10:00,cam,\n2,2025-03-02,nvr,\n1,2025-03-01 10:00,cable,\n"
        );
        let bad = split_rows_by_date(
            b"id,date,sku\n1,03/01/2025,cam\n2,2025-03-02,cam\n",
            b',',
            &Column::parse("id"),
            &Column::parse("date"),
            0.5,
        );
        assert!(matches!(bad, Err(DateSplitError::Undated { .. })));
        assert_eq!(date_key("2025-03-01T10:11:12Z"), Some(20250301101112));
        assert_eq!(date_key("2025-13-01"), None);
    }
}
