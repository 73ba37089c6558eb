//! Reading order history files into [`Transactions`]: baskets files, order-line CSVs, and
//! the order exports of Shopify and WooCommerce, as they come.
//!
//! This module owns the file formats and nothing else: it never opens a file. The caller
//! feeds bytes in chunks of any size ([`OrderReader::push`]) and calls
//! [`OrderReader::finish`] at the end, so the same parser serves the CLI (files, stdin)
//! and the browser studio (a dropped file, read in slices). Memory follows distinct items
//! and distinct baskets, plus, for order-line files, a small index of order ids (see
//! [`OrderReader`]); never the number of rows.
//!
//! Formats ([`Format`]):
//! - **baskets**: one order per line, items separated by a delimiter, no header
//!   (groceries.csv).
//! - **order lines**: a CSV with a header and one row per order line; an order column
//!   and one or more item columns (the first non-empty one names the item).
//! - **Shopify** orders export (Admin → Orders → Export): `Name` (`#1001`) is the order,
//!   `Lineitem sku` the item, `Lineitem name` when the SKU is empty.
//! - **WooCommerce**: the built-in Analytics → Orders CSV download (`Order #`, and
//!   `Product(s)` as `2× Beanie, 1× Cap`), and order-per-row-item exports of the order
//!   export plugins: order column `Order ID`, `Order Number`, `order_id` or
//!   `order_number`; item column `SKU`, `Item SKU`, `Product SKU` or `item_sku`, falling
//!   back to `Item Name`, `Product Name` or `item_name`.
//! - **auto**: one of the above, told by the header; a file without a known header is a
//!   baskets file.
//!
//! Column names match case-insensitively and ignoring surrounding spaces; a UTF-8 byte
//! order mark is ignored. Item names and order ids are trimmed.
//!
//! A trailing delimiter or trailing whitespace ends a baskets line (`a,b,`, or `1 2 3 ` as
//! the classic frequent-itemset benchmark files end every line); a line of nothing but
//! delimiters and spaces is blank. An input that gives no order at all is an error
//! ([`OrderErrorKind::NoOrders`], with the first malformed rows), never zero orders.
//!
//! A row that cannot be read (invalid UTF-8, too few fields, an empty item or order id)
//! is an [`OrderError`] naming its line: fatal with [`OrderReader::strict`], otherwise
//! skipped, counted in [`ReadStats::skipped_rows`] and handed to the caller through
//! [`OrderReader::take_problems`] to report. Nothing is dropped silently.
//!
//! ```
//! use cartlift_engine::orders::{Format, OrderReader};
//!
//! let mut reader = OrderReader::new(Format::Auto);
//! reader.push(b"Name,Lineitem quantity,Lineitem name,Lineitem sku\n#1001,1,Dome camera,cam-4mp\n#1001,2,")?;
//! reader.push(b"Cable,cable-20m\n#1002,1,Dome camera,cam-4mp\n")?;
//! let read = reader.finish()?;
//! assert_eq!(read.format, Format::Shopify);
//! assert_eq!(read.transactions.len(), 2);
//! let cam = read.transactions.item("cam-4mp").unwrap();
//! assert_eq!(read.transactions.count(cam), 2);
//! # Ok::<(), cartlift_engine::orders::OrderError>(())
//! ```

use crate::csv::{Header, Record, Records};
use crate::mining::{Item, Transactions};
use hashbrown::HashTable;
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

/// What kind of file is being read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// Tell from the first line: a Shopify or WooCommerce header, else a baskets file.
    Auto,
    /// One order per line, items separated by the delimiter, no header.
    Baskets,
    /// A CSV with a header and one row per order line.
    OrderLines {
        /// The column holding the order id.
        order: Column,
        /// Columns naming the item; the first non-empty one in a row is used.
        items: Vec<Column>,
    },
    /// Shopify's orders export.
    Shopify,
    /// A WooCommerce orders export (Analytics download or a per-item plugin export).
    WooCommerce,
}

/// A column of an order-line CSV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Column {
    /// By header name (case-insensitive, trimmed).
    Name(String),
    /// By position, from 0.
    Index(usize),
}

impl Column {
    /// A number is a position (from 1, as people count columns), anything else a name.
    pub fn parse(s: &str) -> Column {
        match s.trim().parse::<usize>() {
            Ok(n) if n >= 1 => Column::Index(n - 1),
            _ => Column::Name(s.trim().to_string()),
        }
    }
}

impl std::fmt::Display for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Column::Name(n) => write!(f, "{n:?}"),
            Column::Index(i) => write!(f, "#{}", i + 1),
        }
    }
}

/// A problem with the input, at a line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct OrderError {
    /// The 1-based line where the row starts.
    pub line: u64,
    /// What is wrong.
    pub kind: OrderErrorKind,
}

/// What is wrong with a row or the header.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OrderErrorKind {
    /// The header lacks a column the format needs (always fatal).
    #[error("the header has no column {column}{}", hint(.expected))]
    MissingColumn {
        /// The column looked for.
        column: String,
        /// What the format accepts there.
        expected: Vec<String>,
    },
    /// A field is not UTF-8.
    #[error("field {field} is not valid UTF-8")]
    InvalidUtf8 {
        /// 1-based field number.
        field: usize,
    },
    /// The row has fewer fields than the columns need.
    #[error("{found} field(s), but column {column} is field {needed}")]
    TooFewFields {
        /// Fields in the row.
        found: usize,
        /// 1-based field number needed.
        needed: usize,
        /// The column's name.
        column: String,
    },
    /// An item is empty (e.g. `a,,b`, or every item column of a row is blank).
    #[error("empty item in {0}")]
    EmptyItem(String),
    /// The order id is empty.
    #[error("empty order id in column {0}")]
    EmptyOrder(String),
    /// A field spans lines, which an item or order id never does: most likely a quote
    /// that is not closed.
    #[error("{0} spans several lines (a quote not closed?)")]
    LineBreak(String),
    /// A WooCommerce Analytics `Product(s)` cell that is not a list like `2× Beanie, 1× Cap`.
    #[error("Product(s) is not a list like \"2× Beanie, 1× Cap\": {0:?}")]
    ProductList(String),
    /// The input holds no order: nothing but malformed rows (the first reasons given), or
    /// no rows at all. Mining or evaluating it would report zeros as if they were a result.
    #[error("no order could be read: {0}")]
    NoOrders(String),
}

fn hint(expected: &[String]) -> String {
    if expected.is_empty() {
        String::new()
    } else {
        format!(" (expected one of: {})", expected.join(", "))
    }
}

/// Counters of what was read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadStats {
    /// Bytes consumed.
    pub bytes: u64,
    /// Lines seen.
    pub lines: u64,
    /// Rows read (CSV records, header included).
    pub rows: u64,
    /// Blank lines between rows (no data in them).
    pub blank_lines: u64,
    /// Rows skipped as malformed.
    pub skipped_rows: u64,
    /// Orders whose rows were not adjacent in the file and were merged.
    pub merged_orders: u64,
}

/// The result of [`OrderReader::finish`].
#[derive(Debug)]
pub struct Read {
    /// The orders.
    pub transactions: Transactions,
    /// The format read (what [`Format::Auto`] resolved to).
    pub format: Format,
    /// Counters.
    pub stats: ReadStats,
    /// Problems not yet taken with [`OrderReader::take_problems`].
    pub problems: Vec<OrderError>,
}

/// WooCommerce per-item export: order columns, most specific first.
const WOO_ORDER: &[&str] = &["Order ID", "Order Number", "order_id", "order_number"];
/// WooCommerce per-item export: item columns, SKUs first.
const WOO_ITEM: &[&str] = &[
    "SKU",
    "Item SKU",
    "Product SKU",
    "item_sku",
    "Item Name",
    "Product Name",
    "item_name",
];

/// How rows become orders, once the header is known.
#[derive(Clone, Debug)]
enum Layout {
    /// Not decided yet (before the first row).
    Pending,
    Baskets,
    Lines {
        order: usize,
        order_name: String,
        items: Vec<(usize, String)>,
    },
    /// WooCommerce Analytics: one row per order, products listed in one cell.
    ProductList {
        order: usize,
        products: usize,
    },
}

/// The incremental reader. Feed it with [`OrderReader::push`], end with
/// [`OrderReader::finish`].
///
/// Order-line formats group rows by order id. Rows of one order are usually adjacent
/// (Shopify writes them so); to stay correct when they are not, the reader keeps every order id it has closed with the slot of its basket (about
/// 12 bytes of index plus the id's length per order; the basket itself is already
/// stored), and merges a late row into its order.
/// [`OrderReader::contiguous`] drops that index when the file is known to be grouped.
#[derive(Debug)]
pub struct OrderReader {
    /// The CSV layer: records with their lines.
    records: Records,
    /// What the records make.
    rows: Rows,
}

/// How many malformed rows [`OrderErrorKind::NoOrders`] quotes.
const FIRST_PROBLEMS: usize = 3;

/// The order reader but for its CSV layer: rows in, orders out.
#[derive(Debug)]
struct Rows {
    format: Format,
    layout: Layout,
    strict: bool,
    contiguous: bool,
    /// `skipped_rows` and `merged_orders` (the CSV layer counts the rest).
    stats: ReadStats,
    problems: Vec<OrderError>,
    /// The first few malformed rows, kept past [`OrderReader::take_problems`] to say why
    /// an input gave no order at all.
    first_problems: Vec<OrderError>,
    tx: Transactions,
    basket: Vec<Item>,
    // The order being read (order-line formats).
    order: String,
    order_items: Vec<Item>,
    // Closed orders: id bytes in `order_ids`, (id range, basket slot) in the table.
    order_ids: String,
    order_index: HashTable<ClosedOrder>,
}

#[derive(Clone, Copy, Debug)]
struct ClosedOrder {
    id_start: u32,
    id_end: u32,
    /// Where its basket is stored in the transactions (its items are not copied).
    slot: u32,
}

fn hash_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    s.hash(&mut h);
    h.finish()
}

impl OrderReader {
    /// A reader for this format, reporting malformed rows and skipping them.
    pub fn new(format: Format) -> OrderReader {
        Self::with_delimiter(format, b',')
    }

    /// A reader whose fields are separated by `delimiter` (`,` by default; `;` and tab are
    /// common in European exports).
    pub fn with_delimiter(format: Format, delimiter: u8) -> OrderReader {
        OrderReader {
            records: Records::new(delimiter),
            rows: Rows {
                format,
                layout: Layout::Pending,
                strict: false,
                contiguous: false,
                stats: ReadStats::default(),
                problems: Vec::new(),
                first_problems: Vec::new(),
                tx: Transactions::new(),
                basket: Vec::new(),
                order: String::new(),
                order_items: Vec::new(),
                order_ids: String::new(),
                order_index: HashTable::new(),
            },
        }
    }

    /// Make malformed rows fatal: [`OrderReader::push`] returns the first one.
    pub fn strict(mut self, strict: bool) -> OrderReader {
        self.rows.strict = strict;
        self
    }

    /// Promise that each order's rows are adjacent: no order-id index is kept, and an
    /// order id that comes back later starts a new order.
    pub fn contiguous(mut self, contiguous: bool) -> OrderReader {
        self.rows.contiguous = contiguous;
        self
    }

    /// Counters so far (for progress reports).
    pub fn stats(&self) -> ReadStats {
        ReadStats {
            bytes: self.records.bytes(),
            lines: self.records.lines(),
            rows: self.records.rows(),
            blank_lines: self.records.blank_lines(),
            ..self.rows.stats
        }
    }

    /// The orders read so far (the order being read is not in yet).
    pub fn transactions(&self) -> &Transactions {
        &self.rows.tx
    }

    /// Takes the malformed rows reported since the last call (non-strict mode), so the
    /// caller can show them as they come and memory does not grow with bad rows.
    pub fn take_problems(&mut self) -> Vec<OrderError> {
        std::mem::take(&mut self.rows.problems)
    }

    /// Reads the next chunk; chunks may split lines and rows anywhere.
    ///
    /// Errors: a header that lacks a needed column; in strict mode, the first
    /// malformed row.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), OrderError> {
        let rows = &mut self.rows;
        self.records.push(bytes, &mut |record| rows.record(&record))
    }

    /// Ends the input: reads what is left and closes the last order.
    pub fn finish(mut self) -> Result<Read, OrderError> {
        let rows = &mut self.rows;
        self.records.finish(&mut |record| rows.record(&record))?;
        let stats = self.stats();
        let mut rows = self.rows;
        rows.close_order();
        if matches!(rows.layout, Layout::Pending) {
            // Nothing but blank lines: an empty baskets file.
            rows.layout = Layout::Baskets;
        }
        if rows.tx.is_empty() {
            let why = if rows.first_problems.is_empty() {
                "the input holds no rows of orders".to_owned()
            } else {
                let first: Vec<String> =
                    rows.first_problems.iter().map(|p| p.to_string()).collect();
                format!(
                    "all {} row(s) were malformed; the first: {}",
                    rows.stats.skipped_rows,
                    first.join("; ")
                )
            };
            return Err(OrderError {
                line: rows.first_problems.first().map_or(1, |p| p.line),
                kind: OrderErrorKind::NoOrders(why),
            });
        }
        let format = match (&rows.format, &rows.layout) {
            (Format::Auto, Layout::Baskets) => Format::Baskets,
            (Format::Auto, Layout::ProductList { .. }) => Format::WooCommerce,
            (Format::Auto, Layout::Lines { .. }) => rows.detected_lines_format(),
            (f, _) => f.clone(),
        };
        Ok(Read {
            transactions: rows.tx,
            format,
            stats: ReadStats {
                merged_orders: rows.stats.merged_orders,
                ..stats
            },
            problems: rows.problems,
        })
    }
}

impl Rows {
    fn detected_lines_format(&self) -> Format {
        match &self.layout {
            Layout::Lines { order_name, .. } if order_name.eq_ignore_ascii_case("Name") => {
                Format::Shopify
            }
            _ => Format::WooCommerce,
        }
    }

    /// One CSV record.
    fn record(&mut self, record: &Record<'_>) -> Result<(), OrderError> {
        match self.row(record) {
            Ok(()) => Ok(()),
            Err(kind) => {
                let error = OrderError {
                    line: record.line,
                    kind,
                };
                let fatal = matches!(error.kind, OrderErrorKind::MissingColumn { .. });
                if self.strict || fatal {
                    return Err(error);
                }
                self.stats.skipped_rows += 1;
                if self.first_problems.len() < FIRST_PROBLEMS {
                    self.first_problems.push(error.clone());
                }
                self.problems.push(error);
                Ok(())
            }
        }
    }

    fn row(&mut self, r: &Record<'_>) -> Result<(), OrderErrorKind> {
        if matches!(self.layout, Layout::Pending) {
            return self.header(r);
        }
        match &self.layout {
            Layout::Pending => unreachable!("decided above"),
            Layout::Baskets => self.basket_row(r),
            Layout::Lines {
                order,
                order_name,
                items,
            } => {
                let (order, order_name) = (*order, order_name.clone());
                let items = items.clone();
                self.line_row(r, order, &order_name, &items)
            }
            &Layout::ProductList { order, products } => self.product_list_row(r, order, products),
        }
    }

    fn basket_row(&mut self, r: &Record<'_>) -> Result<(), OrderErrorKind> {
        // A trailing delimiter or trailing whitespace ends the line; it is not an empty
        // item (`a,b,`; `a b c ` as the classic frequent-itemset benchmark files end every
        // line). A row of nothing but delimiters and spaces is a blank line.
        let mut end = r.len();
        while end > 0 && r.field(end - 1).is_ok_and(|f| f.trim().is_empty()) {
            end -= 1;
        }
        if end == 0 {
            return Ok(());
        }
        let mut basket = std::mem::take(&mut self.basket);
        basket.clear();
        for i in 0..end {
            let name = match r.field(i).map_err(invalid_utf8) {
                Ok(name) => name.trim(),
                Err(e) => {
                    self.basket = basket;
                    return Err(e);
                }
            };
            if name.is_empty() {
                self.basket = basket;
                return Err(OrderErrorKind::EmptyItem(format!("field {}", i + 1)));
            }
            if name.contains('\n') {
                self.basket = basket;
                return Err(OrderErrorKind::LineBreak(format!("field {}", i + 1)));
            }
            let item = self.tx.intern(name);
            basket.push(item);
        }
        self.tx.push_items(&mut basket, 1);
        self.basket = basket;
        Ok(())
    }

    fn need<'a>(r: &Record<'a>, index: usize, column: &str) -> Result<&'a str, OrderErrorKind> {
        if index >= r.len() {
            return Err(OrderErrorKind::TooFewFields {
                found: r.len(),
                needed: index + 1,
                column: column.to_string(),
            });
        }
        let value = r.field(index).map_err(invalid_utf8)?.trim();
        if value.contains('\n') {
            return Err(OrderErrorKind::LineBreak(format!("column {column:?}")));
        }
        Ok(value)
    }

    fn line_row(
        &mut self,
        r: &Record<'_>,
        order: usize,
        order_name: &str,
        items: &[(usize, String)],
    ) -> Result<(), OrderErrorKind> {
        let id = Self::need(r, order, order_name)?;
        if id.is_empty() {
            return Err(OrderErrorKind::EmptyOrder(format!("{order_name:?}")));
        }
        let mut name = "";
        for (index, column) in items {
            // A row may end before a fallback column; only the first one is required.
            if *index < r.len() {
                name = Self::need(r, *index, column)?;
                if !name.is_empty() {
                    break;
                }
            }
        }
        if name.is_empty() {
            let (first, column) = &items[0];
            Self::need(r, *first, column)?;
            let columns: Vec<String> = items.iter().map(|(_, c)| format!("{c:?}")).collect();
            return Err(OrderErrorKind::EmptyItem(format!(
                "column {}",
                columns.join(" or ")
            )));
        }
        let (id, name) = (id.to_string(), name.to_string());
        if id != self.order {
            self.close_order();
            self.order = id;
        }
        let item = self.tx.intern(&name);
        self.order_items.push(item);
        Ok(())
    }

    fn product_list_row(
        &mut self,
        r: &Record<'_>,
        order: usize,
        products: usize,
    ) -> Result<(), OrderErrorKind> {
        let id = Self::need(r, order, "Order #")?.to_string();
        if id.is_empty() {
            return Err(OrderErrorKind::EmptyOrder("\"Order #\"".into()));
        }
        let cell = Self::need(r, products, "Product(s)")?.to_string();
        let names =
            parse_product_list(&cell).ok_or_else(|| OrderErrorKind::ProductList(cell.clone()))?;
        if id != self.order {
            self.close_order();
            self.order = id;
        }
        for name in names {
            let item = self.tx.intern(name);
            self.order_items.push(item);
        }
        Ok(())
    }

    /// The order being read is complete (its id changed, or the input ended).
    fn close_order(&mut self) {
        if self.order.is_empty() {
            return;
        }
        let mut items = std::mem::take(&mut self.order_items);
        items.sort_unstable();
        items.dedup();
        if self.contiguous {
            self.tx.push_items(&mut items, 1);
        } else {
            let hash = hash_str(&self.order);
            let (ids, order) = (&self.order_ids, &self.order);
            let found = self.order_index.find_mut(hash, |c| {
                &ids[c.id_start as usize..c.id_end as usize] == order
            });
            match found {
                Some(closed) => {
                    // The order's rows were not adjacent: take back what was counted and
                    // count the merged order instead.
                    let old = self.tx.slot_items(closed.slot).to_vec();
                    let removed = self.tx.remove_items(&old, 1);
                    debug_assert!(removed, "a closed order is in the transactions");
                    items.extend_from_slice(&old);
                    self.stats.merged_orders += 1;
                    if let Some(slot) = self.tx.push_slot(&mut items, 1) {
                        closed.slot = slot;
                    }
                }
                None => {
                    let Some(slot) = self.tx.push_slot(&mut items, 1) else {
                        self.order_items = items;
                        self.order.clear();
                        return;
                    };
                    let id_start = self.order_ids.len() as u32;
                    self.order_ids.push_str(&self.order);
                    let entry = ClosedOrder {
                        id_start,
                        id_end: self.order_ids.len() as u32,
                        slot,
                    };
                    let ids = &self.order_ids;
                    self.order_index.insert_unique(hash, entry, |c| {
                        hash_str(&ids[c.id_start as usize..c.id_end as usize])
                    });
                }
            }
        }
        items.clear();
        self.order_items = items;
        self.order.clear();
    }

    /// The first row: a header, or (auto, no known header) the first basket.
    fn header(&mut self, r: &Record<'_>) -> Result<(), OrderErrorKind> {
        // A header that is not UTF-8 cannot be a known one; as data it is reported below.
        let header = Header::of(r);
        let names = header.names();
        let find = |name: &str| header.find(name);
        let missing = |column: &str, expected: &[&str]| OrderErrorKind::MissingColumn {
            column: format!("{column:?}"),
            expected: expected.iter().map(|s| format!("{s:?}")).collect(),
        };
        let shopify = || -> Option<Layout> {
            let order = find("Name")?;
            let items: Vec<(usize, String)> = ["Lineitem sku", "Lineitem name"]
                .iter()
                .filter_map(|&c| find(c).map(|i| (i, names[i].clone())))
                .collect();
            (!items.is_empty()).then(|| Layout::Lines {
                order,
                order_name: names[order].clone(),
                items,
            })
        };
        let woo = || -> Option<Layout> {
            if let (Some(order), Some(products)) = (find("Order #"), find("Product(s)")) {
                return Some(Layout::ProductList { order, products });
            }
            let order = WOO_ORDER.iter().find_map(|&c| find(c))?;
            let items: Vec<(usize, String)> = WOO_ITEM
                .iter()
                .filter_map(|&c| find(c).map(|i| (i, names[i].clone())))
                .collect();
            (!items.is_empty()).then(|| Layout::Lines {
                order,
                order_name: names[order].clone(),
                items,
            })
        };
        match self.format.clone() {
            Format::Baskets => {
                self.layout = Layout::Baskets;
                self.basket_row(r)
            }
            Format::Shopify => {
                self.layout = shopify().ok_or_else(|| {
                    if find("Name").is_none() {
                        missing("Name", &["Name"])
                    } else {
                        missing("Lineitem sku", &["Lineitem sku", "Lineitem name"])
                    }
                })?;
                Ok(())
            }
            Format::WooCommerce => {
                self.layout = woo().ok_or_else(|| {
                    if WOO_ORDER
                        .iter()
                        .chain(&["Order #"])
                        .all(|c| find(c).is_none())
                    {
                        let mut expected = vec!["Order #"];
                        expected.extend_from_slice(WOO_ORDER);
                        missing("for the order", &expected)
                    } else {
                        let mut expected = vec!["Product(s)"];
                        expected.extend_from_slice(WOO_ITEM);
                        missing("for the item", &expected)
                    }
                })?;
                Ok(())
            }
            Format::Auto => {
                if let Some(layout) = shopify().or_else(woo) {
                    self.layout = layout;
                    Ok(())
                } else {
                    self.layout = Layout::Baskets;
                    self.basket_row(r)
                }
            }
            Format::OrderLines { order, items } => {
                let resolve = |c: &Column| -> Result<(usize, String), OrderErrorKind> {
                    match c {
                        Column::Index(i) => Ok((
                            *i,
                            names
                                .get(*i)
                                .cloned()
                                .unwrap_or_else(|| format!("#{}", i + 1)),
                        )),
                        Column::Name(n) => find(n)
                            .map(|i| (i, names[i].clone()))
                            .ok_or_else(|| missing(n, &[])),
                    }
                };
                let (order, order_name) = resolve(&order)?;
                let items = items.iter().map(resolve).collect::<Result<Vec<_>, _>>()?;
                self.layout = Layout::Lines {
                    order,
                    order_name,
                    items,
                };
                Ok(())
            }
        }
    }
}

/// A field that is not UTF-8 (its 1-based number, as [`Record::field`] gives it).
fn invalid_utf8(field: usize) -> OrderErrorKind {
    OrderErrorKind::InvalidUtf8 { field }
}

/// Splits WooCommerce Analytics' `Product(s)` cell, `"2× Beanie, 1× Hoodie, with logo"`,
/// into names. Names may contain ", "; only ", " followed by `<digits>× ` starts the next
/// product. None if the cell does not start like a product.
fn parse_product_list(cell: &str) -> Option<Vec<&str>> {
    fn quantity_prefix(s: &str) -> Option<usize> {
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        s[digits..].starts_with("× ").then_some(digits + "× ".len())
    }
    if cell.is_empty() {
        return Some(Vec::new());
    }
    let mut names = Vec::new();
    let mut rest = &cell[quantity_prefix(cell)?..];
    loop {
        let mut cut = None;
        let mut from = 0;
        while let Some(pos) = rest[from..].find(", ") {
            let at = from + pos;
            if let Some(skip) = quantity_prefix(&rest[at + 2..]) {
                cut = Some((at, at + 2 + skip));
                break;
            }
            from = at + 2;
        }
        match cut {
            Some((end, next)) => {
                names.push(rest[..end].trim());
                rest = &rest[next..];
            }
            None => {
                names.push(rest.trim());
                break;
            }
        }
    }
    if names.iter().any(|n| n.is_empty()) {
        return None;
    }
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(format: Format, chunks: &[&[u8]]) -> Read {
        let mut r = OrderReader::new(format);
        for c in chunks {
            r.push(c).unwrap();
        }
        r.finish().unwrap()
    }

    fn baskets(read: &Read) -> Vec<(Vec<&str>, u64)> {
        let t = &read.transactions;
        let mut v: Vec<(Vec<&str>, u64)> = t
            .iter()
            .map(|b| {
                let mut n = t.names(b.items());
                n.sort_unstable();
                (n, b.count())
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn baskets_with_quotes_crlf_blank_lines_and_no_final_newline() {
        let r = read(
            Format::Baskets,
            &[b"milk,bread\r\n\r\n\"cheese, soft\",milk\nbread,mi", b"lk"],
        );
        assert_eq!(
            baskets(&r),
            vec![
                (vec!["bread", "milk"], 2),
                (vec!["cheese, soft", "milk"], 1)
            ]
        );
        assert_eq!(r.stats.lines, 4);
        assert_eq!(r.stats.blank_lines, 1);
        assert_eq!(r.format, Format::Baskets);
    }

    #[test]
    fn malformed_rows_are_reported_with_their_line_and_skipped() {
        let mut r = OrderReader::new(Format::Baskets);
        r.push(b"a,b\n\na,,b\nc\n\"open,d\ne\n").unwrap();
        let problems = r.take_problems();
        let read = r.finish().unwrap();
        let mut all = problems;
        all.extend(read.problems.iter().cloned());
        assert_eq!(
            all.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            vec![
                "line 3: empty item in field 2",
                "line 5: field 1 spans several lines (a quote not closed?)"
            ]
        );
        assert_eq!(read.stats.skipped_rows, 2);
        assert_eq!(baskets(&read), vec![(vec!["a", "b"], 1), (vec!["c"], 1)]);
    }

    #[test]
    fn strict_mode_stops_at_the_first_malformed_row() {
        let mut r = OrderReader::new(Format::Baskets).strict(true);
        let err = r.push(b"a\nb,,c\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert_eq!(err.kind, OrderErrorKind::EmptyItem("field 2".into()));
    }

    /// Issue 23: the classic frequent-itemset benchmark files end every line with a space.
    #[test]
    fn a_trailing_delimiter_or_trailing_whitespace_is_not_an_empty_item() {
        let mut r = OrderReader::with_delimiter(Format::Baskets, b' ').strict(true);
        r.push(b"1 2 3 \n4 5 \n   \n6 \n").unwrap();
        let read = r.finish().unwrap();
        assert_eq!(
            baskets(&read),
            vec![
                (vec!["1", "2", "3"], 1),
                (vec!["4", "5"], 1),
                (vec!["6"], 1)
            ]
        );
        let mut r = OrderReader::new(Format::Baskets).strict(true);
        r.push(b"a,b,\nc,,\n,\n").unwrap();
        let read = r.finish().unwrap();
        assert_eq!(baskets(&read), vec![(vec!["a", "b"], 1), (vec!["c"], 1)]);
        // An empty item before the end is still one.
        let mut r = OrderReader::new(Format::Baskets).strict(true);
        assert_eq!(
            r.push(b"a,,b,\n").unwrap_err().kind,
            OrderErrorKind::EmptyItem("field 2".into())
        );
    }

    /// Issue 23: an input that gives no order is an error naming the first reasons, never
    /// zero orders read as if that were a result.
    #[test]
    fn an_input_without_one_readable_order_is_an_error() {
        let mut r = OrderReader::new(Format::Baskets);
        r.push(b"a,,b\n\n,,c\n").unwrap();
        // The caller may have shown (and taken) the problems as they came.
        let problems = r.take_problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        let err = r.finish().unwrap_err();
        assert_eq!(err.line, 1);
        assert_eq!(
            err.to_string(),
            "line 1: no order could be read: all 2 row(s) were malformed; the first: \
             line 1: empty item in field 2; line 3: empty item in field 1"
        );
        let empty = OrderReader::new(Format::Auto).finish().unwrap_err();
        assert_eq!(
            empty.kind,
            OrderErrorKind::NoOrders("the input holds no rows of orders".into())
        );
        let mut header_only = OrderReader::new(Format::Auto);
        header_only.push(b"Name,Lineitem sku\n").unwrap();
        assert!(matches!(
            header_only.finish().unwrap_err().kind,
            OrderErrorKind::NoOrders(_)
        ));
    }

    #[test]
    fn order_lines_group_rows_and_merge_orders_that_come_back() {
        let r = read(
            Format::OrderLines {
                order: Column::parse("order"),
                items: vec![Column::parse("sku")],
            },
            &[b"order,sku,qty\n1,a,1\n1,b,2\n2,a,1\n1,c,1\n3,b,1\n"],
        );
        assert_eq!(
            baskets(&r),
            vec![(vec!["a"], 1), (vec!["a", "b", "c"], 1), (vec!["b"], 1)]
        );
        assert_eq!(r.stats.merged_orders, 1);
        assert_eq!(r.transactions.len(), 3);
    }

    #[test]
    fn contiguous_mode_trusts_the_grouping() {
        let mut reader = OrderReader::new(Format::OrderLines {
            order: Column::Index(0),
            items: vec![Column::Index(1)],
        })
        .contiguous(true);
        reader.push(b"o,i\n1,a\n2,b\n1,c\n").unwrap();
        let r = reader.finish().unwrap();
        assert_eq!(r.transactions.len(), 3);
    }

    #[test]
    fn missing_columns_are_fatal_and_named() {
        let mut r = OrderReader::new(Format::Shopify);
        let err = r.push(b"Name,Email\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1: the header has no column \"Lineitem sku\" (expected one of: \"Lineitem sku\", \"Lineitem name\")"
        );
    }

    #[test]
    fn woocommerce_analytics_product_lists() {
        assert_eq!(
            parse_product_list("2× Beanie, 1× Hoodie, with logo, 10× Cap"),
            Some(vec!["Beanie", "Hoodie, with logo", "Cap"])
        );
        assert_eq!(parse_product_list("Beanie"), None);
        assert_eq!(parse_product_list(""), Some(vec![]));
    }
}
