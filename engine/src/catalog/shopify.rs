//! Shopify's product CSV export (Products → Export), as documented in "Using CSV files to
//! import and export products" (help.shopify.com/en/manual/products/import-export/using-csv).
//!
//! One product spans several rows sharing its `Handle`: the first carries the product
//! (`Title`, `Vendor`, `Type`, `Tags`, `Published`, `Status`, …) and its first variant;
//! each later row carries another variant (`Option1 Value`…, `Variant SKU`,
//! `Variant Price`) and/or another image (`Image Src`).
//!
//! - The product id is the `Handle` (the product page is `/products/<handle>`).
//! - A product whose only variant is `Default Title` has no `variants`; its `Variant SKU`
//!   is the product's `sku`. Otherwise each variant is a config variant titled by its
//!   option values (`Black / L`), with its `Variant SKU` as `sku`. The export has no
//!   variant ids: a variant's id is its SKU (its title when it has none).
//! - `Variant Compare At Price` becomes the compare-at price; a variant is out of stock
//!   when its inventory is tracked (`Variant Inventory Tracker`), `Variant Inventory Qty`
//!   is 0 or less and `Variant Inventory Policy` is `deny`.
//! - The category is the product `Type`, else the last level of `Product Category`.
//! - Left out: `Gift Card` TRUE, `Status` draft or archived, `Published` FALSE.

use super::common::{
    CatalogError, CatalogErrorKind, Format, LeftOut, Offer, Out, column, leaf, list, settle, text,
};
use crate::config::raw::RawProduct;
use crate::csv::{Header, Record};
use std::collections::HashMap;

/// The columns read, by position.
#[derive(Debug)]
struct Columns {
    handle: usize,
    title: Option<usize>,
    vendor: Option<usize>,
    category: Option<usize>,
    kind: Option<usize>,
    tags: Option<usize>,
    published: Option<usize>,
    option_name: Option<usize>,
    options: [Option<usize>; 3],
    sku: Option<usize>,
    price: usize,
    compare_at: Option<usize>,
    tracker: Option<usize>,
    quantity: Option<usize>,
    policy: Option<usize>,
    image: Option<usize>,
    gift_card: Option<usize>,
    status: Option<usize>,
}

/// A product being assembled from its rows.
#[derive(Debug)]
struct Draft {
    line: u64,
    product: RawProduct,
    offers: Vec<Offer>,
    /// The first variant is `Default Title`: a product without options.
    default_title: bool,
    left_out: Option<LeftOut>,
}

/// Reads the rows of a Shopify product export.
#[derive(Debug)]
pub(super) struct Reader {
    columns: Columns,
    drafts: Vec<Draft>,
    by_handle: HashMap<String, usize>,
    /// Handles whose first row was skipped → its line.
    skipped: HashMap<String, u64>,
}

impl Reader {
    pub(super) fn new(header: &Header) -> Result<Reader, CatalogErrorKind> {
        let f = Format::Shopify;
        Ok(Reader {
            columns: Columns {
                handle: column(header, "Handle", f)?,
                title: Some(column(header, "Title", f)?),
                vendor: header.find("Vendor"),
                category: header.find("Product Category"),
                kind: header.find("Type"),
                tags: header.find("Tags"),
                published: header.find("Published"),
                option_name: header.find("Option1 Name"),
                options: [
                    header.find("Option1 Value"),
                    header.find("Option2 Value"),
                    header.find("Option3 Value"),
                ],
                sku: header.find("Variant SKU"),
                price: column(header, "Variant Price", f)?,
                compare_at: header.find("Variant Compare At Price"),
                tracker: header.find("Variant Inventory Tracker"),
                quantity: header.find("Variant Inventory Qty"),
                policy: header.find("Variant Inventory Policy"),
                image: header.find("Image Src"),
                gift_card: header.find("Gift Card"),
                status: header.find("Status"),
            },
            drafts: Vec::new(),
            by_handle: HashMap::new(),
            skipped: HashMap::new(),
        })
    }

    pub(super) fn row(
        &mut self,
        r: &Record<'_>,
        out: &mut Out<'_>,
    ) -> Result<(), CatalogErrorKind> {
        let c = &self.columns;
        let handle = text(r, Some(c.handle))?;
        if handle.is_empty() {
            return Err(CatalogErrorKind::Empty("Handle".into()));
        }
        if let Some(first) = self.skipped.get(handle) {
            return Err(CatalogErrorKind::Orphan(format!(
                "a row of product `{handle}`, whose first row (line {first}) was skipped"
            )));
        }
        let image = text(r, c.image)?;
        let Some(&at) = self.by_handle.get(handle) else {
            return match self.first_row(r, handle, out) {
                Ok(draft) => {
                    self.by_handle.insert(handle.to_string(), self.drafts.len());
                    self.drafts.push(draft);
                    Ok(())
                }
                Err(e) => {
                    self.skipped.insert(handle.to_string(), r.line);
                    Err(e)
                }
            };
        };
        let offer = self.offer(r, out)?;
        let draft = &mut self.drafts[at];
        if let Some(offer) = offer {
            draft.default_title = false;
            draft.offers.push(offer);
        }
        if draft.product.image.is_none() && !image.is_empty() {
            draft.product.image = Some(image.to_string());
        }
        Ok(())
    }

    fn first_row(
        &self,
        r: &Record<'_>,
        handle: &str,
        out: &Out<'_>,
    ) -> Result<Draft, CatalogErrorKind> {
        let c = &self.columns;
        let title = text(r, c.title)?;
        if title.is_empty() {
            return Err(CatalogErrorKind::Orphan(format!(
                "the first row of product `{handle}` has no Title"
            )));
        }
        let yes_no = |column: &str, i| -> Result<Option<bool>, CatalogErrorKind> {
            match text(r, i)?.to_ascii_lowercase().as_str() {
                "" => Ok(None),
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                other => Err(CatalogErrorKind::Value {
                    column: column.into(),
                    value: other.into(),
                    expected: "TRUE or FALSE",
                }),
            }
        };
        let gift_card = yes_no("Gift Card", c.gift_card)?.unwrap_or(false);
        let published = yes_no("Published", c.published)?.unwrap_or(true);
        let status = text(r, c.status)?;
        let left_out = match status.to_ascii_lowercase().as_str() {
            _ if gift_card => Some(LeftOut::GiftCard),
            "draft" => Some(LeftOut::Draft),
            "archived" => Some(LeftOut::Archived),
            "active" | "" if !published => Some(LeftOut::Unpublished),
            "active" | "" => None,
            _ => {
                return Err(CatalogErrorKind::Value {
                    column: "Status".into(),
                    value: status.into(),
                    expected: "active, draft or archived",
                });
            }
        };
        let offer = self.offer(r, out)?.ok_or_else(|| {
            CatalogErrorKind::Empty(format!("Variant Price on the first row of `{handle}`"))
        })?;
        let first_option = text(r, c.options[0])?;
        let default_title = first_option.is_empty()
            || first_option.eq_ignore_ascii_case("Default Title")
            || text(r, c.option_name)?.eq_ignore_ascii_case("Title");
        let category = Some(text(r, c.kind)?)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .or(leaf(text(r, c.category)?));
        let image = text(r, c.image)?;
        let vendor = text(r, c.vendor)?;
        Ok(Draft {
            line: r.line,
            product: RawProduct {
                id: handle.to_string(),
                title: title.to_string(),
                url: Some(out.url(&format!("/products/{handle}"))),
                image: (!image.is_empty()).then(|| image.to_string()),
                category,
                tags: list(text(r, c.tags)?),
                vendor: (!vendor.is_empty()).then(|| vendor.to_string()),
                in_stock: true,
                ..RawProduct::default()
            },
            offers: vec![offer],
            default_title,
            left_out,
        })
    }

    /// The row's variant, if it has one (an image-only row has none).
    fn offer(&self, r: &Record<'_>, out: &Out<'_>) -> Result<Option<Offer>, CatalogErrorKind> {
        let c = &self.columns;
        let mut options = Vec::new();
        for i in c.options {
            let value = text(r, i)?;
            if !value.is_empty() {
                options.push(value);
            }
        }
        let sku = text(r, c.sku)?;
        let price = text(r, Some(c.price))?;
        if options.is_empty() && sku.is_empty() && price.is_empty() {
            return Ok(None);
        }
        if price.is_empty() {
            return Err(CatalogErrorKind::Empty("Variant Price".into()));
        }
        let price = out.amount("Variant Price", price)?;
        let compare_at = match text(r, c.compare_at)? {
            "" => None,
            was => Some(out.amount("Variant Compare At Price", was)?),
        };
        let quantity = match text(r, c.quantity)? {
            "" => None,
            q => Some(q.parse::<i64>().map_err(|_| CatalogErrorKind::Value {
                column: "Variant Inventory Qty".into(),
                value: q.into(),
                expected: "a whole number",
            })?),
        };
        let tracked = c.tracker.is_none() || !text(r, c.tracker)?.is_empty();
        let continues = text(r, c.policy)?.eq_ignore_ascii_case("continue");
        let in_stock = !(tracked && !continues && quantity.is_some_and(|q| q <= 0));
        let title = options.join(" / ");
        Ok(Some(Offer {
            id: if sku.is_empty() {
                title.clone()
            } else {
                sku.to_string()
            },
            sku: (!sku.is_empty()).then(|| sku.to_string()),
            title,
            price,
            compare_at,
            in_stock,
        }))
    }

    pub(super) fn finish(self, out: &mut Out<'_>) -> Result<(), CatalogError> {
        out.platform_variant_ids = false;
        for draft in self.drafts {
            if let Some(why) = draft.left_out {
                out.leave_out(why);
                continue;
            }
            let mut product = draft.product;
            let variants = !(draft.default_title && draft.offers.len() == 1);
            if variants && draft.offers.iter().any(|o| o.id.is_empty()) {
                out.problem(
                    CatalogErrorKind::Orphan(format!(
                        "product `{}` has a variant with neither options nor a Variant SKU (product skipped)",
                        product.id
                    ))
                    .at(draft.line),
                )?;
                continue;
            }
            settle(&mut product, draft.offers, variants);
            out.product(draft.line, product)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::{Options, read};

    #[test]
    fn later_rows_of_a_skipped_product_and_image_rows_are_handled() {
        let csv = "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Image Src\n\
                   lamp,,Title,Default Title,lamp-1,40,\n\
                   lamp,,,,,,https://cdn.example/lamp.jpg\n\
                   desk,Desk,Size,S,desk-s,100,\n\
                   desk,,,,,,https://cdn.example/desk.jpg\n\
                   desk,,,L,desk-l,120,\n";
        let read = read(csv.as_bytes(), &Options::default()).unwrap();
        let problems: Vec<String> = read.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            [
                "line 2: the first row of product `lamp` has no Title",
                "line 3: a row of product `lamp`, whose first row (line 2) was skipped",
            ]
        );
        let [desk] = read.products.as_slice() else {
            panic!("{:?}", read.products)
        };
        assert_eq!(desk.image.as_deref(), Some("https://cdn.example/desk.jpg"));
        assert_eq!(
            desk.variants
                .iter()
                .map(|v| (v.id.as_str(), v.title.as_str(), v.price))
                .collect::<Vec<_>>(),
            [("desk-s", "S", None), ("desk-l", "L", Some(120.0))]
        );
        assert!(!read.platform_variant_ids);
    }
}
