//! Google Merchant Center product feeds, as documented in the "Product data
//! specification" (support.google.com/merchants/answer/7052112): a tab-separated file
//! whose header names the attributes, or an RSS 2.0 document whose `<item>`s carry them
//! in the `g:` namespace (`http://base.google.com/ns/1.0`; `title`, `link` and
//! `description` may also be RSS's own elements).
//!
//! - `id` is the product id; items sharing an `item_group_id` are one product with that
//!   id, each item a variant (its `id`), titled by its `color`, `size`, `material` and
//!   `pattern` (else its `title`); the product takes the first item's title, link and
//!   image.
//! - `price` is `79.00 USD`: every price in the feed must be in one currency, and that
//!   the store's. With `sale_price`, that is the price and `price` the compare-at price.
//! - `availability` `out_of_stock` (or `out of stock`) is out of stock; `in_stock`,
//!   `preorder` and `backorder` are for sale.
//! - `link` and `image_link` are the product page and image, `brand` the vendor, the last
//!   level of `product_type` the category (`Home > Cameras > Dome` → `Dome`).
//! - `gtin` and `mpn` identify the product for Google; the config has no use for them.
//!   Google asks for the store's SKU as `id` where there is one, so order exports
//!   keyed by SKU match the product ids and variant ids.
//!
//! Attribute names match case-insensitively; in a TSV header a space may stand for the
//! underscore (`image link`).

use super::common::{CatalogError, CatalogErrorKind, Format, Offer, Out, column, leaf, settle};
use crate::Currency;
use crate::config::raw::RawProduct;
use crate::csv::{Header, Record};
use std::collections::HashMap;

/// The `g:` namespace.
pub const NAMESPACE: &str = "http://base.google.com/ns/1.0";

/// The attributes read, in [`Item`]'s order.
const ATTRIBUTES: [&str; 13] = [
    "id",
    "title",
    "link",
    "image_link",
    "availability",
    "price",
    "sale_price",
    "brand",
    "product_type",
    "item_group_id",
    "color",
    "size",
    "material",
];
/// Also a variant's option, after [`ATTRIBUTES`]' last three.
const PATTERN: usize = ATTRIBUTES.len();

/// One item's attributes, by [`ATTRIBUTES`] index (and [`PATTERN`]).
#[derive(Debug, Default)]
struct Item<'a> {
    values: [&'a str; ATTRIBUTES.len() + 1],
}

impl<'a> Item<'a> {
    fn get(&self, name: &str) -> &'a str {
        let i = ATTRIBUTES
            .iter()
            .position(|a| *a == name)
            .unwrap_or(PATTERN);
        self.values[i]
    }

    fn set(&mut self, name: &str, value: &'a str) {
        let i = if name.eq_ignore_ascii_case("pattern") {
            PATTERN
        } else if let Some(i) = ATTRIBUTES.iter().position(|a| a.eq_ignore_ascii_case(name)) {
            i
        } else {
            return;
        };
        self.values[i] = value.trim();
    }
}

/// Products and variant groups being assembled.
#[derive(Debug, Default)]
struct Groups {
    /// Products in feed order: a single item, or a group's first item.
    products: Vec<(u64, RawProduct, Vec<Offer>, bool)>,
    by_group: HashMap<String, usize>,
}

impl Groups {
    fn item(
        &mut self,
        line: u64,
        item: &Item<'_>,
        out: &mut Out<'_>,
    ) -> Result<(), CatalogErrorKind> {
        let id = item.get("id");
        if id.is_empty() {
            return Err(CatalogErrorKind::Empty("id".into()));
        }
        let title = item.get("title");
        if title.is_empty() {
            return Err(CatalogErrorKind::Empty("title".into()));
        }
        let price = item.get("price");
        if price.is_empty() {
            return Err(CatalogErrorKind::Empty("price".into()));
        }
        let regular = price_of(out, "price", price)?;
        let sale = match item.get("sale_price") {
            "" => None,
            sale => Some(price_of(out, "sale_price", sale)?),
        };
        let availability = item
            .get("availability")
            .to_ascii_lowercase()
            .replace(' ', "_");
        let in_stock = match availability.as_str() {
            "" | "in_stock" | "preorder" | "backorder" => true,
            "out_of_stock" => false,
            _ => {
                return Err(CatalogErrorKind::Value {
                    column: "availability".into(),
                    value: item.get("availability").into(),
                    expected: "in_stock, out_of_stock, preorder or backorder",
                });
            }
        };
        let options: Vec<&str> = ["color", "size", "material", "pattern"]
            .iter()
            .map(|a| item.get(a))
            .filter(|v| !v.is_empty())
            .collect();
        let offer = Offer {
            id: id.to_string(),
            sku: None,
            title: if options.is_empty() {
                title.to_string()
            } else {
                options.join(" / ")
            },
            price: sale.unwrap_or(regular),
            compare_at: sale.map(|_| regular),
            in_stock,
        };
        let group = item.get("item_group_id");
        if !group.is_empty()
            && let Some(&k) = self.by_group.get(group)
        {
            self.products[k].2.push(offer);
            return Ok(());
        }
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let product = RawProduct {
            id: if group.is_empty() { id } else { group }.to_string(),
            title: title.to_string(),
            url: some(item.get("link")),
            image: some(item.get("image_link")),
            category: leaf(item.get("product_type")),
            vendor: some(item.get("brand")),
            in_stock: true,
            ..RawProduct::default()
        };
        if !group.is_empty() {
            self.by_group.insert(group.to_string(), self.products.len());
        }
        self.products
            .push((line, product, vec![offer], !group.is_empty()));
        Ok(())
    }

    fn finish(self, out: &mut Out<'_>) -> Result<(), CatalogError> {
        for (line, mut product, offers, grouped) in self.products {
            settle(&mut product, offers, grouped);
            out.product(line, product)?;
        }
        Ok(())
    }
}

/// `79.00 USD`: the amount, checked against the feed's currency (the first price's)
/// and the store's.
fn price_of(out: &mut Out<'_>, column: &str, value: &str) -> Result<f64, CatalogErrorKind> {
    let bad = |why: &str| CatalogErrorKind::Price {
        column: column.into(),
        value: value.into(),
        why: why.into(),
    };
    let (amount, code) = value
        .split_once(' ')
        .ok_or_else(|| bad(": write it as `79.00 USD`"))?;
    let currency = Currency::parse(code.trim())
        .ok_or_else(|| bad(": the currency is not an ISO 4217 code"))?;
    if let Some(store) = out.options.currency
        && store != currency
    {
        return Err(CatalogErrorKind::Currency {
            feed: currency.code().into(),
            store: store.code().into(),
        });
    }
    match out.currency {
        Some(feed) if feed != currency => {
            return Err(bad(&format!(
                ": the feed's other prices are in {}",
                feed.code()
            )));
        }
        _ => out.currency = Some(currency),
    }
    out.amount_in(column, amount.trim(), Some(currency))
}

/// Reads the rows of a tab-separated feed.
#[derive(Debug)]
pub(super) struct Reader {
    /// (column, attribute name) of the attributes the header has.
    columns: Vec<(usize, String)>,
    groups: Groups,
}

impl Reader {
    pub(super) fn new(header: &Header) -> Result<Reader, CatalogErrorKind> {
        for required in ["id", "title", "price"] {
            column(header, required, Format::MerchantCenter)?;
        }
        let columns = header
            .names()
            .iter()
            .enumerate()
            .map(|(i, n)| (i, n.replace(' ', "_")))
            .collect();
        Ok(Reader {
            columns,
            groups: Groups::default(),
        })
    }

    pub(super) fn row(
        &mut self,
        r: &Record<'_>,
        out: &mut Out<'_>,
    ) -> Result<(), CatalogErrorKind> {
        let mut item = Item::default();
        for (i, name) in &self.columns {
            let value = r.get(*i).map_err(CatalogErrorKind::InvalidUtf8)?;
            item.set(name, value);
        }
        self.groups.item(r.line, &item, out)
    }

    pub(super) fn finish(self, out: &mut Out<'_>) -> Result<(), CatalogError> {
        self.groups.finish(out)
    }
}

/// Reads an RSS 2.0 feed.
pub(super) fn read_xml(bytes: &[u8], out: &mut Out<'_>) -> Result<(), CatalogError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
            + 1;
        CatalogErrorKind::Xml("the feed is not UTF-8".into()).at(line)
    })?;
    let doc = roxmltree::Document::parse(text).map_err(|e| {
        CatalogErrorKind::Xml(format!("not well-formed XML: {e}")).at(u64::from(e.pos().row))
    })?;
    let rss = doc.root_element();
    let channel = rss
        .children()
        .find(|n| n.has_tag_name("channel"))
        .filter(|_| rss.has_tag_name("rss"));
    let Some(channel) = channel else {
        return Err(CatalogErrorKind::Xml(format!(
            "the document is <{}>, not an RSS 2.0 feed (<rss><channel><item>…)",
            rss.tag_name().name()
        ))
        .at(1));
    };
    let mut groups = Groups::default();
    for node in channel.children().filter(|n| n.has_tag_name("item")) {
        let line = u64::from(doc.text_pos_at(node.range().start).row);
        out.rows += 1;
        let mut item = Item::default();
        for field in node.children().filter(|n| n.is_element()) {
            let name = field.tag_name();
            let ours = match name.namespace() {
                Some(ns) => ns == NAMESPACE,
                None => matches!(name.name(), "title" | "link" | "description"),
            };
            if ours {
                // A `g:` attribute wins over RSS's own element of the same name.
                let name = name.name();
                if field.tag_name().namespace().is_some() || item.get(name).is_empty() {
                    item.set(name, field.text().unwrap_or_default());
                }
            }
        }
        if let Err(kind) = groups.item(line, &item, out) {
            out.problem(kind.at(line))?;
        }
    }
    groups.finish(out)
}

#[cfg(test)]
mod tests {
    use crate::catalog::{Options, read};

    #[test]
    fn a_repeated_id_or_a_second_currency_is_a_skipped_row() {
        let tsv = "id\ttitle\tprice\tavailability\n\
                   a\tA\t5.00 USD\tin stock\n\
                   a\tA again\t6.00 USD\tin_stock\n\
                   b\tB\t7.00 EUR\tin_stock\n\
                   c\tC\t8 USD\tsold out\n";
        let read = read(tsv.as_bytes(), &Options::default()).unwrap();
        let problems: Vec<String> = read.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            [
                "line 3: product `a` is listed twice (first on line 2); the first is kept",
                "line 4: price \"7.00 EUR\" is not a price: the feed's other prices are in USD",
                "line 5: availability \"sold out\" is not in_stock, out_of_stock, preorder or backorder",
            ]
        );
        assert_eq!(read.products.len(), 1);
        assert_eq!(
            read.currency.map(|c| c.code().to_string()).as_deref(),
            Some("USD")
        );
    }

    #[test]
    fn an_xml_feed_that_is_not_rss_is_refused_with_its_line() {
        let e = read(b"<feed><entry/></feed>", &Options::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 1: the document is <feed>, not an RSS 2.0 feed (<rss><channel><item>…)"
        );
        let e = read(
            b"<rss>\n<channel>\n<item></channel></rss>",
            &Options::default(),
        )
        .unwrap_err();
        assert_eq!(e.line, 3, "{e}");
    }
}
