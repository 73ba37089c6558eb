//! Orders with their holdout bucket, read from the exports `cartlift report` takes:
//! Shopify's orders export, WooCommerce order exports with a bucket column, and a plain
//! CSV. Like [`crate::orders`], this module never opens a file: the caller pushes bytes in
//! chunks of any size and calls [`OrdersReader::finish`].
//!
//! Formats ([`OrdersFormat`], told by the header; names match case-insensitively):
//! - **Shopify** orders export (Admin → Orders → Export): one row per line item, the
//!   order's own fields on its first row. `Name` is the order, `Created at` its date,
//!   `Total` its revenue, `Currency`, `Cancelled at` (a cancelled order is left out),
//!   `Lineitem quantity` / `Lineitem name` / `Lineitem price` / `Lineitem sku` its lines,
//!   and `Note Attributes` the cart attributes the widget set, one `name: value` per line:
//!   `_cartlift_bucket` (`treatment` or `holdout`), `_cartlift_experiment` and
//!   `_cartlift_added`, a JSON array of `[placement, product, rule]`, one per product the
//!   widget added to the cart, oldest first.
//! - **WooCommerce**: WooCommerce orders carry nothing from cartlift unless the store
//!   saves the bucket as order meta, so only an export with a bucket column can be
//!   compared: an order export plugin's rows (order `Order ID`, `Order Number`,
//!   `order_id` or `order_number`; date `Order Date`, `Date` or `order_date`; total
//!   `Order Total Amount`, `Order Total` or `order_total`; lines `SKU` / `Item Name` /
//!   `Quantity` / `Item Cost`; status `Order Status`) with the meta columns
//!   `_cartlift_bucket` (or `cartlift_bucket`), optionally `_cartlift_experiment` and
//!   `_cartlift_added`. The Analytics → Orders download (`Order #`, `Date`, `N. Revenue`,
//!   `Items sold`, `Status`) is read too, but it has no bucket column.
//! - **plain** CSV, one row per order: `order_id`, `date`, `total`, `bucket`, and
//!   optionally `items` (how many), `currency`, `experiment`, order lines (`sku`, or
//!   `product_id`, with `quantity`, `price` and `name`: rows of one order id are one
//!   order; with a `sku` column, `total` and `bucket` may be left out, as `cartlift
//!   email` reads them) and `added` (the same JSON
//!   array as Shopify's, whose entries may say what became of the product as a fourth
//!   element: its revenue if it was bought, `["cart","hdd-2tb","mined:nvr-8ch->hdd-2tb",69.0]`,
//!   or `null` if it was not; without it, it is not known).
//!
//! A row that cannot be read is a [`RowProblem`] naming its line: skipped, or fatal with
//! [`OrdersReader::strict`]. A bucket that is neither `treatment` nor `holdout`, or an
//! `_cartlift_added` that is not such an array, keeps its order (without a bucket, or
//! without adds) and is reported the same way.

use crate::FxHashMap;
use crate::config::raw::RawProduct;
use crate::csv::{Header, Record, Records};
use crate::shopper::Bucket;

/// Which export was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrdersFormat {
    /// Shopify's orders export.
    Shopify,
    /// A WooCommerce order export plugin's rows (one per line item or per order).
    WooCommerce,
    /// WooCommerce's Analytics → Orders download.
    WooCommerceAnalytics,
    /// One row per order: `order_id`, `date`, `total`, `bucket`, …
    Plain,
}

impl OrdersFormat {
    /// A name for people.
    pub fn name(self) -> &'static str {
        match self {
            OrdersFormat::Shopify => "Shopify orders export",
            OrdersFormat::WooCommerce => "WooCommerce order export",
            OrdersFormat::WooCommerceAnalytics => "WooCommerce Analytics orders download",
            OrdersFormat::Plain => "plain orders CSV",
        }
    }
}

/// A calendar day, as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i32);

impl Day {
    /// The day a date or timestamp is written on: `YYYY-MM-DD` with anything after it
    /// (`2025-03-01 10:00:00 -0500`, `2025-03-01T10:00:00Z`), or `YYYYMMDD`. The date as
    /// written, in the store's time zone: no conversion.
    pub fn parse(text: &str) -> Option<Day> {
        let text = text.trim();
        let date = match text.get(..10) {
            Some(d) if d.as_bytes().get(4) == Some(&b'-') => d,
            _ if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) => {
                return Day::parse(&format!("{}-{}-{}", &text[..4], &text[4..6], &text[6..]));
            }
            _ => return None,
        };
        if text.len() > 10 && !matches!(text.as_bytes()[10], b' ' | b'T' | b't') {
            return None;
        }
        let seconds = crate::time::parse_moment(date)?;
        Some(Day((seconds / 86_400) as i32))
    }

    /// The UTC day of a Unix time in milliseconds.
    pub fn from_unix_millis(ms: i64) -> Day {
        Day(ms.div_euclid(86_400_000) as i32)
    }
}

impl std::fmt::Display for Day {
    /// `YYYY-MM-DD`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (year, month, day) = crate::time::civil_from_days(i64::from(self.0));
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

/// One order.
#[derive(Clone, Debug, PartialEq)]
pub struct Order {
    /// The order's id or name (`#1001`).
    pub id: String,
    /// The line of the file where it starts.
    pub line: u64,
    /// The day it was placed, if the export says.
    pub day: Option<Day>,
    /// Its revenue, in the currency's major unit (`95.00`).
    pub total: f64,
    /// Its currency, if the export says.
    pub currency: Option<String>,
    /// Items bought (quantities summed).
    pub items: u64,
    /// Its side of the holdout split, if it carries one.
    pub bucket: Option<Bucket>,
    /// The holdout's experiment name, if it carries one.
    pub experiment: Option<String>,
    /// Its line items, where the export lists them.
    pub lines: Vec<OrderLine>,
    /// What the widget added to its cart, oldest first, one entry per product.
    pub added: Vec<Added>,
}

/// A line item.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderLine {
    /// Its SKU (may be empty).
    pub sku: String,
    /// Its name as the export writes it.
    pub name: String,
    /// Unit price.
    pub price: f64,
    /// Quantity.
    pub quantity: u64,
}

/// A product the widget added to the order's cart.
#[derive(Clone, Debug, PartialEq)]
pub struct Added {
    /// The placement it was added from (`product`, `cart`, …).
    pub placement: String,
    /// The catalog id of the product.
    pub product: String,
    /// The rule behind the suggestion.
    pub rule: String,
    /// Whether it was bought, and for how much.
    pub outcome: Outcome,
}

/// What became of an added product.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// Bought: the revenue of its order line (unit price × quantity) or as the plain CSV
    /// says.
    Bought(f64),
    /// Added, but no line of the order is that product (or the plain CSV says `null`):
    /// removed before checkout.
    NotBought,
    /// The export lists no lines and gives no revenue.
    Unknown,
}

/// A row that could not be read, or a value that was set aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    /// The 1-based line where the row starts.
    pub line: u64,
    /// What is wrong.
    pub message: String,
    /// Whether the whole row was skipped (else only the value named).
    pub skipped: bool,
}

impl std::fmt::Display for RowProblem {
    /// `line 12: reason (row skipped)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)?;
        if self.skipped {
            f.write_str(" (row skipped)")?;
        }
        Ok(())
    }
}

/// What [`OrdersReader::finish`] returns.
#[derive(Debug)]
pub struct OrdersRead {
    /// The export read.
    pub format: OrdersFormat,
    /// Orders in the order they first appear (cancelled ones left out).
    pub orders: Vec<Order>,
    /// Cancelled, failed or refunded orders left out.
    pub cancelled: u64,
    /// Rows read, the header included.
    pub rows: u64,
    /// Problems not yet taken with [`OrdersReader::take_problems`].
    pub problems: Vec<RowProblem>,
}

/// Where each field of a row is, once the header is known.
#[derive(Clone, Debug, Default)]
struct Layout {
    order: usize,
    order_name: String,
    date: Option<usize>,
    total: Option<usize>,
    total_name: String,
    currency: Option<usize>,
    bucket: Option<usize>,
    experiment: Option<usize>,
    added: Option<usize>,
    notes: Option<usize>,
    cancelled: Option<usize>,
    status: Option<usize>,
    items: Option<usize>,
    sku: Option<usize>,
    name: Option<usize>,
    price: Option<usize>,
    quantity: Option<usize>,
}

/// The incremental reader: [`OrdersReader::push`] bytes, then [`OrdersReader::finish`].
#[derive(Debug)]
pub struct OrdersReader {
    records: Records,
    rows: Rows,
}

#[derive(Debug)]
struct Rows {
    strict: bool,
    format: Option<OrdersFormat>,
    layout: Layout,
    orders: Vec<Order>,
    /// Order id → index in `orders` (rows of one order need not be adjacent).
    index: FxHashMap<String, usize>,
    /// Orders whose status or `Cancelled at` says they did not go through.
    dropped: FxHashMap<String, ()>,
    /// Orders whose total was read.
    totals: Vec<bool>,
    problems: Vec<RowProblem>,
}

impl Default for OrdersReader {
    fn default() -> Self {
        Self::new()
    }
}

impl OrdersReader {
    /// A comma-separated reader.
    pub fn new() -> OrdersReader {
        Self::with_delimiter(b',')
    }

    /// A reader of fields separated by `delimiter`.
    pub fn with_delimiter(delimiter: u8) -> OrdersReader {
        OrdersReader {
            records: Records::new(delimiter),
            rows: Rows {
                strict: false,
                format: None,
                layout: Layout::default(),
                orders: Vec::new(),
                index: FxHashMap::default(),
                dropped: FxHashMap::default(),
                totals: Vec::new(),
                problems: Vec::new(),
            },
        }
    }

    /// Make every problem fatal.
    pub fn strict(mut self, strict: bool) -> OrdersReader {
        self.rows.strict = strict;
        self
    }

    /// Problems since the last call.
    pub fn take_problems(&mut self) -> Vec<RowProblem> {
        std::mem::take(&mut self.rows.problems)
    }

    /// Reads the next chunk. Errors: a header of no known export; in strict mode, the
    /// first problem.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), RowProblem> {
        let rows = &mut self.rows;
        self.records.push(bytes, &mut |r| rows.record(&r))
    }

    /// Ends the input. An order without a total is a problem (skipped).
    pub fn finish(mut self) -> Result<OrdersRead, RowProblem> {
        let rows = &mut self.rows;
        self.records.finish(&mut |r| rows.record(&r))?;
        let rows_read = self.records.rows();
        let mut rows = self.rows;
        let Some(format) = rows.format else {
            return Err(RowProblem {
                line: 1,
                message: "the file is empty: expected a header".into(),
                skipped: false,
            });
        };
        let mut orders = Vec::with_capacity(rows.orders.len());
        let mut cancelled = 0;
        for (order, has_total) in rows.orders.into_iter().zip(rows.totals) {
            // A plain CSV of order lines may have no total column: its orders are for
            // `cartlift email`, which needs only their lines.
            let no_totals = format == OrdersFormat::Plain && rows.layout.total.is_none();
            if rows.dropped.contains_key(&order.id) {
                cancelled += 1;
            } else if has_total || no_totals {
                orders.push(order);
            } else {
                let problem = RowProblem {
                    line: order.line,
                    message: format!(
                        "order {} has no {}",
                        order.id,
                        quoted(&rows.layout.total_name)
                    ),
                    skipped: true,
                };
                if rows.strict {
                    return Err(problem);
                }
                rows.problems.push(problem);
            }
        }
        Ok(OrdersRead {
            format,
            orders,
            cancelled,
            rows: rows_read,
            problems: rows.problems,
        })
    }
}

fn quoted(s: &str) -> String {
    format!("{s:?}")
}

/// An order-level value read from a row, applied only when the whole row reads.
#[derive(Default)]
struct RowValues {
    day: Option<Day>,
    total: Option<f64>,
    currency: Option<String>,
    bucket: Option<Option<Bucket>>,
    experiment: Option<String>,
    added: Option<Vec<Added>>,
    items: Option<u64>,
    line: Option<OrderLine>,
    dropped: bool,
}

impl Rows {
    fn record(&mut self, r: &Record<'_>) -> Result<(), RowProblem> {
        if self.format.is_none() {
            return self.header(r);
        }
        let mut notes = Vec::new();
        match self.row(r, &mut notes) {
            Ok(()) => {}
            Err(message) => notes.push(RowProblem {
                line: r.line,
                message,
                skipped: true,
            }),
        }
        for problem in notes {
            if self.strict {
                return Err(problem);
            }
            self.problems.push(problem);
        }
        Ok(())
    }

    fn header(&mut self, r: &Record<'_>) -> Result<(), RowProblem> {
        let h = Header::of(r);
        let any = |names: &[&str]| h.find_any(names);
        let mut l = Layout {
            bucket: any(&["_cartlift_bucket", "cartlift_bucket"]),
            experiment: any(&["_cartlift_experiment", "cartlift_experiment"]),
            added: any(&["_cartlift_added", "cartlift_added"]),
            ..Layout::default()
        };
        let plain_order = any(&["order_id", "order", "id"]);
        // Order lines by SKU, unless the file is a WooCommerce plugin's (below).
        let plain_sku = any(&["sku", "product_id", "product"])
            .filter(|_| any(&["Order Total Amount", "Order Total", "order_total"]).is_none());
        let format = if let (Some(order), true) = (
            plain_order,
            (h.find("bucket").is_some() && h.find("total").is_some()) || plain_sku.is_some(),
        ) {
            l.order = order;
            l.bucket = h.find("bucket");
            l.total = h.find("total");
            l.sku = plain_sku;
            l.name = any(&["name", "title"]);
            l.price = h.find("price");
            l.quantity = any(&["quantity", "qty"]);
            l.date = h.find("date");
            l.items = h.find("items");
            l.currency = h.find("currency");
            l.experiment = h.find("experiment").or(l.experiment);
            l.added = h.find("added").or(l.added);
            OrdersFormat::Plain
        } else if let (Some(order), true) = (
            h.find("Name"),
            h.find("Lineitem sku").is_some() || h.find("Lineitem name").is_some(),
        ) {
            l.order = order;
            l.date = h.find("Created at");
            l.total = h.find("Total");
            l.currency = h.find("Currency");
            l.notes = h.find("Note Attributes");
            l.cancelled = h.find("Cancelled at");
            l.sku = h.find("Lineitem sku");
            l.name = h.find("Lineitem name");
            l.price = h.find("Lineitem price");
            l.quantity = h.find("Lineitem quantity");
            OrdersFormat::Shopify
        } else if let (Some(order), Some(total)) = (h.find("Order #"), h.find("N. Revenue")) {
            l.order = order;
            l.total = Some(total);
            l.date = h.find("Date");
            l.status = h.find("Status");
            l.items = h.find("Items sold");
            OrdersFormat::WooCommerceAnalytics
        } else if let (Some(order), Some(total)) = (
            any(&["Order ID", "Order Number", "order_id", "order_number"]),
            any(&["Order Total Amount", "Order Total", "order_total"]),
        ) {
            l.order = order;
            l.total = Some(total);
            l.date = any(&["Order Date", "Date", "order_date"]);
            l.status = any(&["Order Status", "Status", "order_status"]);
            l.currency = any(&["Order Currency", "Currency", "currency"]);
            l.sku = any(&["SKU", "Item SKU", "Product SKU", "item_sku"]);
            l.name = any(&["Item Name", "Product Name", "item_name"]);
            l.price = any(&["Item Cost", "item_price"]);
            l.quantity = any(&["Quantity", "Qty", "qty"]);
            OrdersFormat::WooCommerce
        } else {
            return Err(RowProblem {
                line: r.line,
                message: "the header is not one of a Shopify orders export (Name, Lineitem sku, \
                          Total, Note Attributes), a WooCommerce order export (Order ID, \
                          Order Total Amount, _cartlift_bucket) or a plain orders CSV \
                          (order_id, date, total, bucket; or order_id, sku)"
                    .into(),
                skipped: false,
            });
        };
        l.order_name = h.name(l.order).to_string();
        l.total_name = l.total.map_or("Total", |i| h.name(i)).to_string();
        self.layout = l;
        self.format = Some(format);
        Ok(())
    }

    fn row(&mut self, r: &Record<'_>, notes: &mut Vec<RowProblem>) -> Result<(), String> {
        let l = &self.layout;
        let field = |i: Option<usize>| -> Result<&str, String> {
            match i {
                Some(i) => r
                    .get(i)
                    .map(str::trim)
                    .map_err(|f| format!("field {f} is not valid UTF-8")),
                None => Ok(""),
            }
        };
        let id = field(Some(l.order))?;
        if id.is_empty() {
            return Err(format!("empty order id in {}", quoted(&l.order_name)));
        }
        let mut v = RowValues::default();
        let date = field(l.date)?;
        if !date.is_empty() {
            v.day =
                Some(Day::parse(date).ok_or_else(|| {
                    format!("date {date:?} is not YYYY-MM-DD (or an ISO 8601 time)")
                })?);
        }
        let total = field(l.total)?;
        if !total.is_empty() {
            v.total = Some(
                parse_amount(total).ok_or_else(|| format!("total {total:?} is not a number"))?,
            );
        }
        let currency = field(l.currency)?;
        if !currency.is_empty() {
            v.currency = Some(currency.to_string());
        }
        v.dropped = !field(l.cancelled)?.is_empty()
            || matches!(
                field(l.status)?
                    .to_ascii_lowercase()
                    .trim_start_matches("wc-"),
                "cancelled" | "failed" | "refunded"
            );
        let items = field(l.items)?;
        if !items.is_empty() {
            v.items = Some(
                items
                    .parse()
                    .map_err(|_| format!("items {items:?} is not a whole number"))?,
            );
        }
        // The cartlift values: columns, or Shopify's note attributes.
        let (mut bucket, mut experiment, mut added) = (
            field(l.bucket)?.to_string(),
            field(l.experiment)?.to_string(),
            field(l.added)?.to_string(),
        );
        for line in field(l.notes)?.lines() {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim().to_string();
            match name.trim() {
                "_cartlift_bucket" => bucket = value,
                "_cartlift_experiment" => experiment = value,
                "_cartlift_added" => added = value,
                _ => {}
            }
        }
        if !bucket.is_empty() {
            v.bucket = Some(match bucket.to_ascii_lowercase().as_str() {
                "treatment" => Some(Bucket::Treatment),
                "holdout" => Some(Bucket::Holdout),
                _ => {
                    notes.push(RowProblem {
                        line: r.line,
                        message: format!(
                            "bucket {bucket:?} is neither treatment nor holdout (order {id} \
                             counted without a bucket)"
                        ),
                        skipped: false,
                    });
                    None
                }
            });
        }
        if !experiment.is_empty() {
            v.experiment = Some(experiment);
        }
        if !added.is_empty() {
            match parse_added(&added) {
                Some(list) => v.added = Some(list),
                None => notes.push(RowProblem {
                    line: r.line,
                    message: format!(
                        "_cartlift_added is not a JSON array of [placement, product, rule] \
                         (order {id} counted without the widget's adds)"
                    ),
                    skipped: false,
                }),
            }
        }
        // A line item.
        let (sku, name) = (field(l.sku)?, field(l.name)?);
        if !sku.is_empty() || !name.is_empty() {
            let price = field(l.price)?;
            let quantity = field(l.quantity)?;
            v.line = Some(OrderLine {
                sku: sku.to_string(),
                name: name.to_string(),
                price: if price.is_empty() {
                    0.0
                } else {
                    parse_amount(price)
                        .ok_or_else(|| format!("line item price {price:?} is not a number"))?
                },
                quantity: if quantity.is_empty() {
                    1
                } else {
                    quantity
                        .parse()
                        .map_err(|_| format!("quantity {quantity:?} is not a whole number"))?
                },
            });
        }
        self.apply(id, r.line, v);
        Ok(())
    }

    fn apply(&mut self, id: &str, line: u64, v: RowValues) {
        let at = match self.index.get(id) {
            Some(&at) => at,
            None => {
                self.index.insert(id.to_string(), self.orders.len());
                self.orders.push(Order {
                    id: id.to_string(),
                    line,
                    day: None,
                    total: 0.0,
                    currency: None,
                    items: 0,
                    bucket: None,
                    experiment: None,
                    lines: Vec::new(),
                    added: Vec::new(),
                });
                self.totals.push(false);
                self.orders.len() - 1
            }
        };
        let order = &mut self.orders[at];
        if order.day.is_none() {
            order.day = v.day;
        }
        if let Some(total) = v.total
            && !self.totals[at]
        {
            order.total = total;
            self.totals[at] = true;
        }
        if order.currency.is_none() {
            order.currency = v.currency;
        }
        if let Some(bucket) = v.bucket
            && order.bucket.is_none()
        {
            order.bucket = bucket;
        }
        if order.experiment.is_none() {
            order.experiment = v.experiment;
        }
        if let Some(added) = v.added
            && order.added.is_empty()
        {
            order.added = added;
        }
        match (v.items, &v.line) {
            (Some(items), _) => order.items = items,
            (None, Some(l)) => order.items += l.quantity,
            (None, None) => {}
        }
        if let Some(l) = v.line {
            order.lines.push(l);
        }
        if v.dropped {
            self.dropped.insert(order.id.clone(), ());
        }
    }
}

/// A decimal amount as exports write it: `95.00`, `-3.5`, `111`.
pub fn parse_amount(text: &str) -> Option<f64> {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    t.parse().ok().filter(|v: &f64| v.is_finite())
}

/// The widget's `_cartlift_added`: `[[placement, product, rule], …]`; the plain CSV's
/// entries may add a fourth element, the revenue of the bought product or `null` for
/// one not bought. A product added twice counts once, for the placement that added it
/// first.
pub fn parse_added(text: &str) -> Option<Vec<Added>> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut out: Vec<Added> = Vec::new();
    for entry in value.as_array()? {
        let parts = entry.as_array()?;
        if !(3..=4).contains(&parts.len()) {
            return None;
        }
        let text = |i: usize| parts[i].as_str().map(str::to_string);
        let (placement, product, rule) = (text(0)?, text(1)?, text(2)?);
        let outcome = match parts.get(3) {
            Some(serde_json::Value::Null) => Outcome::NotBought,
            Some(v) => Outcome::Bought(v.as_f64().filter(|r| r.is_finite())?),
            None => Outcome::Unknown,
        };
        if out.iter().any(|a| a.product == product) {
            continue;
        }
        out.push(Added {
            placement,
            product,
            rule,
            outcome,
        });
    }
    Some(out)
}

/// Tells which catalog product an order line is: by SKU (the product's id, its `sku`,
/// a variant's `sku` or id), then by title (the line name, or the part before Shopify's
/// ` - Variant`). Without a catalog, a line's SKU is the product id.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    skus: FxHashMap<String, Option<String>>,
    titles: FxHashMap<String, Option<String>>,
}

impl Catalog {
    /// From a config's catalog. A SKU or title two products share matches neither.
    pub fn new(products: &[RawProduct]) -> Catalog {
        let mut c = Catalog::default();
        let add = |map: &mut FxHashMap<String, Option<String>>, key: &str, id: &str| {
            map.entry(key.to_string())
                .and_modify(|t| {
                    if t.as_deref() != Some(id) {
                        *t = None;
                    }
                })
                .or_insert_with(|| Some(id.to_string()));
        };
        for p in products {
            add(&mut c.skus, &p.id, &p.id);
            for sku in p.sku.iter() {
                add(&mut c.skus, sku, &p.id);
            }
            for v in &p.variants {
                add(&mut c.skus, &v.id, &p.id);
                for sku in v.sku.iter() {
                    add(&mut c.skus, sku, &p.id);
                }
            }
            add(&mut c.titles, &p.title, &p.id);
        }
        c
    }

    /// The product id of a line, if it is known.
    pub fn product_of<'a>(&'a self, line: &'a OrderLine) -> Option<&'a str> {
        if self.skus.is_empty() {
            return (!line.sku.is_empty()).then_some(line.sku.as_str());
        }
        let by = |map: &'a FxHashMap<String, Option<String>>, key: &str| {
            map.get(key).and_then(|id| id.as_deref())
        };
        by(&self.skus, &line.sku)
            .or_else(|| by(&self.titles, &line.name))
            .or_else(|| {
                let (title, _) = line.name.rsplit_once(" - ")?;
                by(&self.titles, title)
            })
    }
}

/// Settles what became of each product the widget added: an order line of that product
/// (each line claimed once) makes it bought for the line's revenue, no such line makes
/// it not bought; an order without lines leaves it as the export said.
pub fn settle(orders: &mut [Order], catalog: &Catalog) {
    for order in orders {
        if order.lines.is_empty() {
            continue;
        }
        let mut claimed = vec![false; order.lines.len()];
        for added in &mut order.added {
            if matches!(added.outcome, Outcome::Bought(_)) {
                continue;
            }
            let found = order.lines.iter().enumerate().position(|(i, l)| {
                !claimed[i] && catalog.product_of(l) == Some(added.product.as_str())
            });
            added.outcome = match found {
                Some(i) => {
                    claimed[i] = true;
                    let l = &order.lines[i];
                    Outcome::Bought(l.price * l.quantity as f64)
                }
                None => Outcome::NotBought,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<OrdersRead, RowProblem> {
        let mut r = OrdersReader::new();
        // Byte by byte: chunks may split anything.
        for b in text.as_bytes().chunks(7) {
            r.push(b)?;
        }
        r.finish()
    }

    #[test]
    fn plain_order_lines_need_no_total_or_bucket() {
        let lines_read =
            read("order_id,sku,quantity\nA-1,cam,1\nA-2,hdd,1\nA-1,cable,2\n").unwrap();
        assert_eq!(lines_read.format, OrdersFormat::Plain);
        assert!(lines_read.problems.is_empty(), "{:?}", lines_read.problems);
        let lines = |o: &Order| -> Vec<(String, u64)> {
            o.lines
                .iter()
                .map(|l| (l.sku.clone(), l.quantity))
                .collect()
        };
        assert_eq!(lines_read.orders[0].id, "A-1");
        assert_eq!(
            lines(&lines_read.orders[0]),
            [("cam".to_string(), 1), ("cable".to_string(), 2)]
        );
        assert_eq!(lines(&lines_read.orders[1]), [("hdd".to_string(), 1)]);
        // A WooCommerce plugin export with an `order_id` and a `sku` stays WooCommerce.
        let woo =
            read("order_id,order_total,sku,_cartlift_bucket\n7,10.00,cam,treatment\n").unwrap();
        assert_eq!(woo.format, OrdersFormat::WooCommerce);
    }

    #[test]
    fn days_parse_and_print() {
        for (text, shown) in [
            ("2025-03-01 10:00:00 -0500", "2025-03-01"),
            ("2025-03-01T23:59:59Z", "2025-03-01"),
            ("2024-02-29", "2024-02-29"),
            ("20251231", "2025-12-31"),
            ("1970-01-01", "1970-01-01"),
        ] {
            assert_eq!(Day::parse(text).unwrap().to_string(), shown, "{text}");
        }
        for bad in ["01/03/2025", "2025-02-30", "2025-03-01x", ""] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Day::from_unix_millis(1_740_787_200_000).to_string(),
            "2025-03-01"
        );
    }

    #[test]
    fn shopify_note_attributes_give_the_bucket_and_the_adds() {
        let text = "Name,Created at,Total,Currency,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Note Attributes,Cancelled at\n\
            #1,2025-03-01 10:00:00 -0500,95.00,USD,1,Cam,79.00,cam,\"_cartlift_bucket: treatment\n_cartlift_experiment: q4\n_cartlift_added: [[\"\"cart\"\",\"\"cable\"\",\"\"r1\"\"],[\"\"product\"\",\"\"hdd\"\",\"\"r2\"\"]]\",\n\
            #1,,,,2,Cable,8.00,cable,,\n\
            #2,2025-03-02 09:00:00 -0500,10.00,USD,1,Cable,10.00,cable,\"_cartlift_bucket: holdout\",\n\
            #3,2025-03-02 09:30:00 -0500,50.00,USD,1,Cam,50.00,cam,,2025-03-03 10:00:00 -0500\n";
        let mut read = read(text).unwrap();
        assert_eq!(read.format, OrdersFormat::Shopify);
        assert_eq!(read.cancelled, 1);
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        settle(&mut read.orders, &Catalog::default());
        let o = &read.orders[0];
        assert_eq!((o.id.as_str(), o.total, o.items), ("#1", 95.0, 3));
        assert_eq!(o.bucket, Some(Bucket::Treatment));
        assert_eq!(o.experiment.as_deref(), Some("q4"));
        assert_eq!(o.added.len(), 2);
        assert_eq!(o.added[0].outcome, Outcome::Bought(16.0));
        assert_eq!(o.added[1].outcome, Outcome::NotBought);
        assert_eq!(read.orders[1].bucket, Some(Bucket::Holdout));
        assert_eq!(read.orders[1].day.unwrap().to_string(), "2025-03-02");
    }

    #[test]
    fn plain_rows_and_their_problems() {
        let text = "order_id,date,total,bucket,items,added\n\
            A1,2025-03-01,120.50,treatment,3,\"[[\"\"cart\"\",\"\"hdd\"\",\"\"r\"\",69]]\"\n\
            A2,2025-03-01,abc,holdout,1,\n\
            A3,2025-03-02,20,control,1,\n\
            A4,2025-03-02,30,holdout,1,[1]\n\
            ,2025-03-02,30,holdout,1,\n";
        let read = read(text).unwrap();
        assert_eq!(read.format, OrdersFormat::Plain);
        let shown: Vec<String> = read.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "line 3: total \"abc\" is not a number (row skipped)",
                "line 4: bucket \"control\" is neither treatment nor holdout (order A3 counted without a bucket)",
                "line 5: _cartlift_added is not a JSON array of [placement, product, rule] (order A4 counted without the widget's adds)",
                "line 6: empty order id in \"order_id\" (row skipped)",
            ]
        );
        let ids: Vec<&str> = read.orders.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["A1", "A3", "A4"]);
        assert_eq!(read.orders[0].added[0].outcome, Outcome::Bought(69.0));
        assert_eq!(read.orders[1].bucket, None);
        // Strict: the first problem is fatal.
        let mut strict = OrdersReader::new().strict(true);
        let err = strict.push(text.as_bytes()).unwrap_err();
        assert_eq!(err.line, 3);
    }

    #[test]
    fn woocommerce_exports_and_unknown_headers() {
        let text = "Order ID,Order Number,Order Status,Order Date,Item Name,SKU,Quantity,Item Cost,Order Total Amount,_cartlift_bucket,_cartlift_added\n\
            311,311,processing,2025-03-04 12:00,Cam,cam,1,79.00,95.00,treatment,\"[[\"\"cart\"\",\"\"cable\"\",\"\"r\"\"]]\"\n\
            311,311,processing,2025-03-04 12:00,Cable,cable,2,8.00,95.00,treatment,\"[[\"\"cart\"\",\"\"cable\"\",\"\"r\"\"]]\"\n\
            312,312,cancelled,2025-03-04 13:10,Cam,cam,1,79.00,79.00,holdout,\n";
        let mut read = read(text).unwrap();
        assert_eq!(read.format, OrdersFormat::WooCommerce);
        assert_eq!((read.orders.len(), read.cancelled), (1, 1));
        settle(&mut read.orders, &Catalog::default());
        assert_eq!(read.orders[0].items, 3);
        assert_eq!(read.orders[0].added[0].outcome, Outcome::Bought(16.0));
        let err = read_err("Foo,Bar\n1,2\n");
        assert!(
            err.message.starts_with("the header is not one of"),
            "{err:?}"
        );
    }

    fn read_err(text: &str) -> RowProblem {
        read(text).unwrap_err()
    }

    #[test]
    fn a_catalog_maps_skus_variants_and_titles_to_products() {
        let products: Vec<RawProduct> = serde_json::from_str(
            r#"[{"id":"hdd-2tb","title":"Disk 2 TB","price":69,"sku":"HD-2",
                 "variants":[{"id":"v9","sku":"HD-2-RED","title":"Red"}]},
                {"id":"cable","title":"Cable","price":8}]"#,
        )
        .unwrap();
        let c = Catalog::new(&products);
        let line = |sku: &str, name: &str| OrderLine {
            sku: sku.into(),
            name: name.into(),
            price: 1.0,
            quantity: 1,
        };
        assert_eq!(c.product_of(&line("HD-2-RED", "x")), Some("hdd-2tb"));
        assert_eq!(c.product_of(&line("HD-2", "x")), Some("hdd-2tb"));
        assert_eq!(c.product_of(&line("", "Disk 2 TB - Red")), Some("hdd-2tb"));
        assert_eq!(c.product_of(&line("", "Cable")), Some("cable"));
        assert_eq!(c.product_of(&line("nope", "nope")), None);
        assert_eq!(
            Catalog::default().product_of(&line("cable", "Cable")),
            Some("cable")
        );
    }
}
