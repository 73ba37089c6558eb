//! What the catalog readers share: the formats, options, errors and counters, the
//! builder every reader writes its products into ([`Out`]) and the field helpers.

use crate::Currency;
use crate::config::raw::RawProduct;
use crate::csv::{Header, Record};
use std::collections::{BTreeMap, HashMap};

/// Which export a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Tell by the header (or, for XML, the document).
    Auto,
    /// Shopify's product CSV export.
    Shopify,
    /// WooCommerce's product CSV export.
    WooCommerce,
    /// A Google Merchant Center product feed: tab-separated or RSS 2.0 XML.
    MerchantCenter,
}

impl Format {
    /// How people call it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Shopify => "Shopify product export",
            Format::WooCommerce => "WooCommerce product export",
            Format::MerchantCenter => "Merchant Center feed",
        }
    }
}

/// How to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The file's format.
    pub format: Format,
    /// The store's address (`https://shop.example`), for the product page URLs the
    /// Shopify and WooCommerce exports do not hold; without it they are site-relative.
    pub base_url: Option<String>,
    /// The store's currency: prices are checked against it.
    pub currency: Option<Currency>,
    /// Malformed rows are fatal.
    pub strict: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            format: Format::Auto,
            base_url: None,
            currency: None,
            strict: false,
        }
    }
}

/// A problem with the input, at a line (0: the file as a whole).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct CatalogError {
    /// The 1-based line where the row (or XML item) starts; 0 for the whole file.
    pub line: u64,
    /// What is wrong.
    pub kind: CatalogErrorKind,
}

impl std::fmt::Display for CatalogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            0 => write!(f, "{}", self.kind),
            line => write!(f, "line {line}: {}", self.kind),
        }
    }
}

/// What is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogErrorKind {
    /// The file is none of the known exports (always fatal).
    #[error(
        "not a product export cartlift knows: expected Shopify's (a \"Handle\" column), WooCommerce's (\"ID\", \"Type\", \"Name\") or a Merchant Center feed (\"id\", \"title\", \"price\")"
    )]
    UnknownFormat,
    /// The header lacks a column the format needs (always fatal).
    #[error("the header has no column {column:?}, which a {format} has")]
    MissingColumn {
        /// The column.
        column: &'static str,
        /// The format's name.
        format: &'static str,
    },
    /// A field is not UTF-8.
    #[error("field {0} is not valid UTF-8")]
    InvalidUtf8(usize),
    /// A field that must have a value is empty.
    #[error("empty {0}")]
    Empty(String),
    /// A price that is not a decimal amount (or has too many decimals).
    #[error("{column} {value:?} is not a price{why}")]
    Price {
        /// The column.
        column: String,
        /// The value as written.
        value: String,
        /// Why, when more can be said (`: has more than 2 decimal places`).
        why: String,
    },
    /// A value the column does not take.
    #[error("{column} {value:?} is not {expected}")]
    Value {
        /// The column.
        column: String,
        /// The value as written.
        value: String,
        /// What it takes.
        expected: &'static str,
    },
    /// A row belongs to a product whose first row is missing or was skipped.
    #[error("{0}")]
    Orphan(String),
    /// A product id seen twice.
    #[error("product `{id}` is listed twice (first on line {first}); the first is kept")]
    Duplicate {
        /// The id.
        id: String,
        /// Where it was first.
        first: u64,
    },
    /// Prices in another currency than the store's (always fatal).
    #[error("prices are in {feed}, but the store's currency is {store}")]
    Currency {
        /// The feed's currency.
        feed: String,
        /// The store's.
        store: String,
    },
    /// The XML is not well-formed, or not an RSS 2.0 feed (always fatal).
    #[error("{0}")]
    Xml(String),
    /// No row of the file could be read (always fatal).
    #[error("no product could be read from the file{0}")]
    NothingRead(String),
}

impl CatalogErrorKind {
    pub(super) fn at(self, line: u64) -> CatalogError {
        CatalogError { line, kind: self }
    }
}

/// Why something in the export was left out of the catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LeftOut {
    /// A draft (Shopify `Status` draft, WooCommerce `Published` -1).
    Draft,
    /// Archived (Shopify `Status` archived).
    Archived,
    /// Not published to the online store (Shopify `Published` FALSE).
    Unpublished,
    /// Private (WooCommerce `Published` 0).
    Private,
    /// A gift card (Shopify `Gift Card` TRUE).
    GiftCard,
    /// A grouped product: a list of other products, with no price of its own.
    Grouped,
    /// An external (affiliate) product, sold on another site.
    External,
    /// A variation that is not enabled (WooCommerce `Published` 0 on a variation).
    DisabledVariation,
}

impl LeftOut {
    /// As the summary says it.
    pub fn name(self) -> &'static str {
        match self {
            LeftOut::Draft => "draft",
            LeftOut::Archived => "archived",
            LeftOut::Unpublished => "unpublished",
            LeftOut::Private => "private",
            LeftOut::GiftCard => "gift card",
            LeftOut::Grouped => "grouped",
            LeftOut::External => "external",
            LeftOut::DisabledVariation => "disabled variation",
        }
    }
}

/// What was read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Data rows (CSV records after the header) or feed items read.
    pub rows: u64,
    /// Products in the catalog.
    pub products: usize,
    /// Variants of those products.
    pub variants: usize,
    /// Products (and variations) left out, by reason.
    pub left_out: BTreeMap<LeftOut, u64>,
    /// Rows skipped as malformed.
    pub skipped_rows: u64,
}

/// The result of [`read`](super::read).
#[derive(Clone, Debug)]
pub struct Read {
    /// The format read (what [`Format::Auto`] resolved to).
    pub format: Format,
    /// The catalog, in the export's order.
    pub products: Vec<RawProduct>,
    /// The currency the file names (Merchant Center feeds), if any.
    pub currency: Option<Currency>,
    /// Whether variant ids are the platform's (WooCommerce, Merchant Center) rather than
    /// made up from SKUs or options (Shopify's product export has none).
    pub platform_variant_ids: bool,
    /// Counters.
    pub summary: Summary,
    /// The rows skipped, in file order.
    pub problems: Vec<CatalogError>,
}

/// The column `name`, or the fatal error naming it.
pub(super) fn column(
    header: &Header,
    name: &'static str,
    format: Format,
) -> Result<usize, CatalogErrorKind> {
    header.find(name).ok_or(CatalogErrorKind::MissingColumn {
        column: name,
        format: format.name(),
    })
}

/// Field `i` of a record, trimmed (`""` when the row is shorter).
pub(super) fn text<'a>(record: &Record<'a>, i: Option<usize>) -> Result<&'a str, CatalogErrorKind> {
    match i {
        Some(i) => record
            .get(i)
            .map(str::trim)
            .map_err(CatalogErrorKind::InvalidUtf8),
        None => Ok(""),
    }
}

/// What the readers build, shared: the catalog, the counters and the problems.
pub(super) struct Out<'o> {
    pub(super) options: &'o Options,
    pub(super) products: Vec<RawProduct>,
    /// Product id → line it was first read on.
    pub(super) ids: HashMap<String, u64>,
    pub(super) left_out: BTreeMap<LeftOut, u64>,
    pub(super) rows: u64,
    pub(super) skipped: u64,
    pub(super) problems: Vec<CatalogError>,
    pub(super) currency: Option<Currency>,
    pub(super) platform_variant_ids: bool,
}

impl<'o> Out<'o> {
    pub(super) fn new(options: &'o Options) -> Out<'o> {
        Out {
            options,
            products: Vec::new(),
            ids: HashMap::new(),
            left_out: BTreeMap::new(),
            rows: 0,
            skipped: 0,
            problems: Vec::new(),
            currency: None,
            platform_variant_ids: true,
        }
    }

    /// A row that cannot be read: fatal with `strict`, else skipped and kept to report.
    pub(super) fn problem(&mut self, error: CatalogError) -> Result<(), CatalogError> {
        let fatal = matches!(
            error.kind,
            CatalogErrorKind::MissingColumn { .. }
                | CatalogErrorKind::Currency { .. }
                | CatalogErrorKind::UnknownFormat
        );
        if self.options.strict || fatal {
            return Err(error);
        }
        self.skipped += 1;
        self.problems.push(error);
        Ok(())
    }

    pub(super) fn leave_out(&mut self, why: LeftOut) {
        *self.left_out.entry(why).or_default() += 1;
    }

    /// A product read on `line`; a second product with the same id is a problem.
    pub(super) fn product(&mut self, line: u64, product: RawProduct) -> Result<(), CatalogError> {
        if let Some(&first) = self.ids.get(&product.id) {
            return self.problem(
                CatalogErrorKind::Duplicate {
                    id: product.id,
                    first,
                }
                .at(line),
            );
        }
        self.ids.insert(product.id.clone(), line);
        self.products.push(product);
        Ok(())
    }

    /// A product page on the store: `path` under `--base-url`, or site-relative.
    pub(super) fn url(&self, path: &str) -> String {
        match &self.options.base_url {
            Some(base) => format!("{}{path}", base.trim_end_matches('/')),
            None => path.to_string(),
        }
    }

    /// A decimal amount as exports write it (`79`, `79.5`, `79.00`), checked against the
    /// store's currency when known.
    pub(super) fn amount(&self, column: &str, value: &str) -> Result<f64, CatalogErrorKind> {
        self.amount_in(column, value, self.options.currency)
    }

    pub(super) fn amount_in(
        &self,
        column: &str,
        value: &str,
        currency: Option<Currency>,
    ) -> Result<f64, CatalogErrorKind> {
        let bad = |why: String| CatalogErrorKind::Price {
            column: column.to_string(),
            value: value.to_string(),
            why,
        };
        let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(fraction)
            || (value.contains('.') && fraction.is_empty())
        {
            return Err(bad(String::new()));
        }
        let amount: f64 = value.parse().map_err(|_| bad(String::new()))?;
        if let Some(currency) = currency {
            currency
                .to_minor(amount)
                .map_err(|e| bad(format!(": it {e} for {currency}")))?;
        }
        Ok(amount)
    }

    pub(super) fn finish(mut self, format: Format) -> Result<Read, CatalogError> {
        // Problems found once the file was read (duplicates, orphans) join the others.
        self.problems.sort_by_key(|p| p.line);
        if self.products.is_empty() && self.left_out.is_empty() {
            let why = if self.rows == 0 {
                ": it has no rows".to_string()
            } else {
                let first = self
                    .problems
                    .first()
                    .map(|p| format!(", the first for: {p}"));
                format!(
                    ": all {} row(s) were skipped{}",
                    self.rows,
                    first.unwrap_or_default()
                )
            };
            return Err(CatalogErrorKind::NothingRead(why).at(0));
        }
        let variants = self.products.iter().map(|p| p.variants.len()).sum();
        Ok(Read {
            format,
            summary: Summary {
                rows: self.rows,
                products: self.products.len(),
                variants,
                left_out: self.left_out,
                skipped_rows: self.skipped,
            },
            products: self.products,
            currency: self.currency,
            platform_variant_ids: self.platform_variant_ids,
            problems: self.problems,
        })
    }
}

/// The last part of a category path (`Cameras > Dome` → `Dome`).
pub(super) fn leaf(path: &str) -> Option<String> {
    let leaf = path.rsplit('>').next().unwrap_or_default().trim();
    (!leaf.is_empty()).then(|| leaf.to_string())
}

/// A comma-separated list, trimmed, without empty entries.
pub(super) fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A purchasable option of a product being assembled, before prices are settled.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Offer {
    pub(super) id: String,
    pub(super) sku: Option<String>,
    pub(super) title: String,
    pub(super) price: f64,
    pub(super) compare_at: Option<f64>,
    pub(super) in_stock: bool,
}

/// Settles a product's price, compare-at price, stock and variants from its offers: a
/// product with one offer and no option to choose has no `variants`; otherwise the
/// product's price is its lowest variant price among those in stock (what a store shows
/// as "from"; among all when none is), and a variant's own price is written only where it
/// differs.
pub(super) fn settle(product: &mut RawProduct, offers: Vec<Offer>, variants: bool) {
    use crate::config::raw::RawVariant;
    if !variants && let [only] = offers.as_slice() {
        product.price = only.price;
        product.compare_at_price = only.compare_at.filter(|&was| was > only.price);
        product.in_stock = only.in_stock;
        product.sku = only.sku.clone();
        return;
    }
    let any_in_stock = offers.iter().any(|o| o.in_stock);
    let cheapest = offers
        .iter()
        .filter(|o| o.in_stock || !any_in_stock)
        .min_by(|a, b| a.price.total_cmp(&b.price))
        .cloned()
        .unwrap_or_default();
    product.price = cheapest.price;
    product.compare_at_price = cheapest.compare_at.filter(|&was| was > cheapest.price);
    product.in_stock = offers.iter().any(|o| o.in_stock);
    product.variants = offers
        .into_iter()
        .map(|o| RawVariant {
            price: (o.price != cheapest.price).then_some(o.price),
            id: o.id,
            sku: o.sku,
            title: o.title,
            in_stock: o.in_stock,
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::read;

    #[test]
    pub(super) fn amounts_are_decimals_with_the_currency_s_digits() {
        let usd = Options {
            currency: Currency::parse("USD"),
            ..Options::default()
        };
        let out = Out::new(&usd);
        assert_eq!(out.amount("Price", "79"), Ok(79.0));
        assert_eq!(out.amount("Price", "0.07"), Ok(0.07));
        for bad in ["", "7,90", "-1", "1e3", ".5", "5.", "$5"] {
            assert!(out.amount("Price", bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            out.amount("Price", "1.005").unwrap_err().to_string(),
            "Price \"1.005\" is not a price: it has more than 2 decimal places for USD"
        );
    }

    #[test]
    pub(super) fn cut_or_damaged_exports_never_panic() {
        let fixtures: [&[u8]; 4] = [
            include_bytes!("../../../tests/data/catalogs/shopify_products.csv"),
            include_bytes!("../../../tests/data/catalogs/woocommerce_products.csv"),
            include_bytes!("../../../tests/data/catalogs/merchant_center.tsv"),
            include_bytes!("../../../tests/data/catalogs/merchant_center.xml"),
        ];
        for bytes in fixtures {
            for strict in [false, true] {
                let options = Options {
                    strict,
                    currency: Currency::parse("USD"),
                    ..Options::default()
                };
                for cut in (0..bytes.len()).step_by(13) {
                    let _ = read(&bytes[..cut], &options);
                    let mut damaged = bytes.to_vec();
                    damaged[cut] = [b'"', b'\t', b',', 0xFF, b'<', b'\n'][cut % 6];
                    let _ = read(&damaged, &options);
                }
            }
        }
    }

    #[test]
    pub(super) fn an_unknown_header_or_an_empty_file_is_an_error() {
        let e = read(b"sku,qty\na,1\n", &Options::default()).unwrap_err();
        assert_eq!(e.line, 1);
        assert_eq!(e.kind, CatalogErrorKind::UnknownFormat);
        let e = read(b"", &Options::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no product could be read from the file: it is empty"
        );
    }
}
