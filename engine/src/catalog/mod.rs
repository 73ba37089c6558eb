//! Reading a store's product export into the config's catalog ([`RawProduct`](crate::config::raw::RawProduct)s): the
//! files stores actually have, by their documented column names and shapes.
//!
//! - **Shopify**'s product CSV export ([`shopify`]): one product over several rows.
//! - **WooCommerce**'s product CSV export ([`woocommerce`]): products and their
//!   variations, each on its own row.
//! - **Google Merchant Center** product feeds ([`merchant_center`]), tab-separated or
//!   RSS 2.0 XML: the way in for any other platform that can write such a feed.
//!
//! Like [`crate::orders`], this module owns the formats and never opens a file: the caller
//! hands over a file's bytes ([`read`]), the same in the CLI and in a browser. A catalog is
//! held whole in the result, so the bytes are too (a 10,000-product export is a few MB).
//!
//! What is not for sale (drafts, archived, unpublished or private products, gift cards,
//! grouped and external products) is left out and counted by [`LeftOut`] reason. A row
//! that cannot be read is a [`CatalogError`] naming its line: skipped and returned in
//! [`Read::problems`], or, with [`Options::strict`], fatal. A file in which no row could
//! be read is an error, never an empty catalog. Column names match case-insensitively and
//! ignoring surrounding spaces; a UTF-8 byte order mark is ignored.
//!
//! Prices become decimal numbers as the export writes them: with [`Options::currency`]
//! set, each is checked to have no more decimals than the currency (`1.005` USD is an
//! error), and a Merchant Center feed in another currency is refused, naming both.

pub mod merchant_center;
pub mod shopify;
pub mod woocommerce;

mod common;

use crate::csv::{Header, Record, Records};
use common::Out;
pub use common::{CatalogError, CatalogErrorKind, Format, LeftOut, Options, Read, Summary};

/// Reads one file.
///
/// ```
/// use cartlift_engine::catalog::{read, Format, Options};
///
/// let csv = "ID,Type,SKU,Name,Published,In stock?,Regular price,Sale price\r\n\
///            41,simple,cam-4mp,Dome camera,1,1,89,79.50\r\n";
/// let read = read(csv.as_bytes(), &Options::default())?;
/// assert_eq!(read.format, Format::WooCommerce);
/// let cam = &read.products[0];
/// assert_eq!((cam.id.as_str(), cam.sku.as_deref()), ("41", Some("cam-4mp")));
/// assert_eq!((cam.price, cam.compare_at_price), (79.5, Some(89.0)));
/// # Ok::<(), cartlift_engine::catalog::CatalogError>(())
/// ```
pub fn read(bytes: &[u8], options: &Options) -> Result<Read, CatalogError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let xml = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
    let mut out = Out::new(options);
    let format = if xml {
        if !matches!(options.format, Format::Auto | Format::MerchantCenter) {
            return Err(CatalogErrorKind::Xml(format!(
                "an XML file is not a {}; only Merchant Center feeds are XML",
                options.format.name()
            ))
            .at(0));
        }
        merchant_center::read_xml(body, &mut out)?;
        Format::MerchantCenter
    } else {
        read_csv(bytes, &mut out)?
    };
    out.finish(format)
}

/// The readers of CSV exports, once the header has told which.
enum Sheet {
    Pending,
    Shopify(shopify::Reader),
    WooCommerce(woocommerce::Reader),
    MerchantCenter(merchant_center::Reader),
}

fn read_csv(bytes: &[u8], out: &mut Out<'_>) -> Result<Format, CatalogError> {
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = if first_line.contains(&b'\t') {
        b'\t'
    } else {
        b','
    };
    let mut records = Records::new(delimiter);
    let mut sheet = Sheet::Pending;
    let mut on_record = |record: Record<'_>| -> Result<(), CatalogError> {
        let line = record.line;
        if matches!(sheet, Sheet::Pending) {
            sheet = header(&Header::of(&record), out.options.format).map_err(|k| k.at(line))?;
            return Ok(());
        }
        let result = match &mut sheet {
            Sheet::Pending => Ok(()),
            Sheet::Shopify(r) => r.row(&record, out),
            Sheet::WooCommerce(r) => r.row(&record, out),
            Sheet::MerchantCenter(r) => r.row(&record, out),
        };
        out.rows += 1;
        match result {
            Ok(()) => Ok(()),
            Err(kind) => out.problem(kind.at(line)),
        }
    };
    records.push(bytes, &mut on_record)?;
    records.finish(&mut on_record)?;
    match sheet {
        Sheet::Pending => Err(CatalogErrorKind::NothingRead(": it is empty".into()).at(0)),
        Sheet::Shopify(r) => r.finish(out).map(|()| Format::Shopify),
        Sheet::WooCommerce(r) => r.finish(out).map(|()| Format::WooCommerce),
        Sheet::MerchantCenter(r) => r.finish(out).map(|()| Format::MerchantCenter),
    }
}

fn header(header: &Header, format: Format) -> Result<Sheet, CatalogErrorKind> {
    let has = |names: &[&str]| names.iter().all(|n| header.find(n).is_some());
    let format = match format {
        Format::Auto if has(&["Handle"]) => Format::Shopify,
        Format::Auto if has(&["ID", "Type", "Name"]) => Format::WooCommerce,
        Format::Auto if has(&["id", "title", "price"]) => Format::MerchantCenter,
        Format::Auto => return Err(CatalogErrorKind::UnknownFormat),
        known => known,
    };
    Ok(match format {
        Format::Shopify => Sheet::Shopify(shopify::Reader::new(header)?),
        Format::WooCommerce => Sheet::WooCommerce(woocommerce::Reader::new(header)?),
        _ => Sheet::MerchantCenter(merchant_center::Reader::new(header)?),
    })
}
