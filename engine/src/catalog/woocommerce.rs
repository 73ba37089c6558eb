//! WooCommerce's product CSV export (Products → Export), as documented in "Product CSV
//! Importer and Exporter" (woocommerce.com/document/product-csv-importer-exporter/, and
//! the column schema in github.com/woocommerce/woocommerce/wiki/Product-CSV-Import-Schema).
//!
//! One row per product and one per variation. `Type` is `simple`, `variable`,
//! `variation`, `grouped` or `external`, possibly with `virtual` / `downloadable` after a
//! comma; a variation names its product in `Parent` as `id:123` (or by the parent's SKU).
//!
//! - The product id is the WooCommerce `ID` (what the Store API adds to the cart), its
//!   `SKU` the product's `sku`; a variation becomes a variant with its `ID`, `SKU`, and
//!   its attribute values (`Attribute 1 value(s)`…) as title (`Black / L`).
//! - `Sale price`, when set, is the price and `Regular price` the compare-at price.
//! - `In stock?` 0 is out of stock (1 and `backorder` are for sale); without it, `Stock`
//!   0 or less.
//! - The category is the last level of the first of `Categories` (`Cameras > Dome, Sale`
//!   → `Dome`); the image the first of `Images`. The export has no product URL: it is
//!   `/?post_type=product&p=<ID>`, which WordPress redirects to the product's page.
//! - Left out: `Published` -1 (draft) and 0 (private), grouped and external products,
//!   variations not enabled (`Published` 0).

use super::common::{
    CatalogError, CatalogErrorKind, Format, LeftOut, Offer, Out, column, leaf, list, settle, text,
};
use crate::config::raw::RawProduct;
use crate::csv::{Header, Record};
use std::collections::{HashMap, HashSet};

#[derive(Debug)]
struct Columns {
    id: usize,
    kind: usize,
    sku: Option<usize>,
    name: usize,
    published: Option<usize>,
    in_stock: Option<usize>,
    stock: Option<usize>,
    regular: Option<usize>,
    sale: Option<usize>,
    categories: Option<usize>,
    tags: Option<usize>,
    images: Option<usize>,
    parent: Option<usize>,
    /// `Attribute N value(s)`, N = 1, 2, …
    attributes: Vec<usize>,
}

#[derive(Debug)]
struct Parent {
    line: u64,
    product: RawProduct,
    variable: bool,
    /// Its own offer (simple products).
    offer: Option<Offer>,
}

#[derive(Debug)]
struct Variation {
    line: u64,
    parent: String,
    offer: Offer,
}

/// Reads the rows of a WooCommerce product export.
#[derive(Debug)]
pub(super) struct Reader {
    columns: Columns,
    parents: Vec<Parent>,
    variations: Vec<Variation>,
    /// `id:123` and SKUs of the products left out.
    left_out: HashSet<String>,
}

impl Reader {
    pub(super) fn new(header: &Header) -> Result<Reader, CatalogErrorKind> {
        let f = Format::WooCommerce;
        let mut attributes = Vec::new();
        while let Some(i) = header.find(&format!("Attribute {} value(s)", attributes.len() + 1)) {
            attributes.push(i);
        }
        Ok(Reader {
            columns: Columns {
                id: column(header, "ID", f)?,
                kind: column(header, "Type", f)?,
                sku: header.find("SKU"),
                name: column(header, "Name", f)?,
                published: header.find("Published"),
                in_stock: header.find("In stock?"),
                stock: header.find("Stock"),
                regular: Some(column(header, "Regular price", f)?),
                sale: header.find("Sale price"),
                categories: header.find("Categories"),
                tags: header.find("Tags"),
                images: header.find("Images"),
                parent: header.find("Parent"),
                attributes,
            },
            parents: Vec::new(),
            variations: Vec::new(),
            left_out: HashSet::new(),
        })
    }

    pub(super) fn row(
        &mut self,
        r: &Record<'_>,
        out: &mut Out<'_>,
    ) -> Result<(), CatalogErrorKind> {
        let c = &self.columns;
        let id = text(r, Some(c.id))?;
        if id.is_empty() {
            return Err(CatalogErrorKind::Empty("ID".into()));
        }
        let kinds = text(r, Some(c.kind))?;
        let kind = kinds
            .split(',')
            .map(str::trim)
            .find(|k| {
                ["simple", "variable", "variation", "grouped", "external"]
                    .iter()
                    .any(|known| k.eq_ignore_ascii_case(known))
            })
            .map(str::to_ascii_lowercase)
            .ok_or_else(|| CatalogErrorKind::Value {
                column: "Type".into(),
                value: kinds.into(),
                expected: "simple, variable, variation, grouped or external",
            })?;
        let published = match text(r, c.published)? {
            "" | "1" => 1,
            "0" => 0,
            "-1" => -1,
            other => {
                return Err(CatalogErrorKind::Value {
                    column: "Published".into(),
                    value: other.into(),
                    expected: "1, 0 or -1",
                });
            }
        };
        let name = text(r, Some(c.name))?;
        if name.is_empty() && kind != "variation" {
            return Err(CatalogErrorKind::Empty("Name".into()));
        }
        let sku = text(r, c.sku)?;
        if kind == "variation" {
            let parent = text(r, c.parent)?;
            if parent.is_empty() {
                return Err(CatalogErrorKind::Empty("Parent of a variation".into()));
            }
            let mut values = Vec::new();
            for &i in &c.attributes {
                let v = text(r, Some(i))?;
                if !v.is_empty() {
                    values.push(v);
                }
            }
            if published != 1 {
                out.leave_out(LeftOut::DisabledVariation);
                return Ok(());
            }
            let title = if values.is_empty() {
                name.to_string()
            } else {
                values.join(" / ")
            };
            let offer = self.offer(r, out, id, sku, title)?;
            self.variations.push(Variation {
                line: r.line,
                parent: parent.to_string(),
                offer,
            });
            return Ok(());
        }
        let left_out = match (kind.as_str(), published) {
            ("grouped", _) => Some(LeftOut::Grouped),
            ("external", _) => Some(LeftOut::External),
            (_, -1) => Some(LeftOut::Draft),
            (_, 0) => Some(LeftOut::Private),
            _ => None,
        };
        if let Some(why) = left_out {
            // Its variations go with it, unreported.
            self.left_out.insert(format!("id:{id}"));
            if !sku.is_empty() {
                self.left_out.insert(sku.to_string());
            }
            out.leave_out(why);
            return Ok(());
        }
        let variable = kind == "variable";
        let offer = if variable {
            None
        } else {
            Some(self.offer(r, out, id, sku, String::new())?)
        };
        let categories = text(r, c.categories)?;
        let first_category = categories.split(',').next().unwrap_or_default();
        let image = list(text(r, c.images)?).into_iter().next();
        self.parents.push(Parent {
            line: r.line,
            product: RawProduct {
                id: id.to_string(),
                title: name.to_string(),
                sku: (!sku.is_empty()).then(|| sku.to_string()),
                url: Some(out.url(&format!("/?post_type=product&p={id}"))),
                image,
                category: leaf(first_category),
                tags: list(text(r, c.tags)?),
                in_stock: true,
                ..RawProduct::default()
            },
            variable,
            offer,
        });
        Ok(())
    }

    fn offer(
        &self,
        r: &Record<'_>,
        out: &Out<'_>,
        id: &str,
        sku: &str,
        title: String,
    ) -> Result<Offer, CatalogErrorKind> {
        let c = &self.columns;
        let regular = text(r, c.regular)?;
        if regular.is_empty() {
            return Err(CatalogErrorKind::Empty("Regular price".into()));
        }
        let regular = out.amount("Regular price", regular)?;
        let sale = match text(r, c.sale)? {
            "" => None,
            sale => Some(out.amount("Sale price", sale)?),
        };
        let in_stock = match text(r, c.in_stock)?.to_ascii_lowercase().as_str() {
            "1" | "backorder" | "onbackorder" => true,
            "0" => false,
            "" => match text(r, c.stock)? {
                "" => true,
                n => {
                    n.parse::<f64>().map_err(|_| CatalogErrorKind::Value {
                        column: "Stock".into(),
                        value: n.into(),
                        expected: "a number",
                    })? > 0.0
                }
            },
            other => {
                return Err(CatalogErrorKind::Value {
                    column: "In stock?".into(),
                    value: other.into(),
                    expected: "1, 0 or backorder",
                });
            }
        };
        Ok(Offer {
            id: id.to_string(),
            sku: (!sku.is_empty()).then(|| sku.to_string()),
            title,
            price: sale.unwrap_or(regular),
            compare_at: sale.map(|_| regular),
            in_stock,
        })
    }

    pub(super) fn finish(self, out: &mut Out<'_>) -> Result<(), CatalogError> {
        // `id:123` or the parent's SKU → the parent.
        let mut index: HashMap<String, usize> = HashMap::new();
        for (k, p) in self.parents.iter().enumerate() {
            index.insert(format!("id:{}", p.product.id), k);
            if let Some(sku) = &p.product.sku {
                index.entry(sku.clone()).or_insert(k);
            }
        }
        let mut offers: Vec<Vec<Offer>> = vec![Vec::new(); self.parents.len()];
        for v in self.variations {
            match index.get(v.parent.as_str()) {
                Some(&k) if self.parents[k].variable => offers[k].push(v.offer),
                Some(_) => out.problem(
                    CatalogErrorKind::Orphan(format!(
                        "variation `{}` names parent `{}`, which is not a variable product",
                        v.offer.id, v.parent
                    ))
                    .at(v.line),
                )?,
                None if self.left_out.contains(&v.parent) => {}
                None => out.problem(
                    CatalogErrorKind::Orphan(format!(
                        "variation `{}` names parent `{}`, which is not in the file or was left out",
                        v.offer.id, v.parent
                    ))
                    .at(v.line),
                )?,
            }
        }
        for (parent, offers) in self.parents.into_iter().zip(offers) {
            let mut product = parent.product;
            let sku = product.sku.take();
            if parent.variable {
                if offers.is_empty() {
                    out.problem(
                        CatalogErrorKind::Orphan(format!(
                            "variable product `{}` has no enabled variation in the file (product skipped)",
                            product.id
                        ))
                        .at(parent.line),
                    )?;
                    continue;
                }
                settle(&mut product, offers, true);
                product.sku = sku;
            } else {
                settle(&mut product, parent.offer.into_iter().collect(), false);
            }
            out.product(parent.line, product)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::{Options, read};

    const HEADER: &str = "ID,Type,SKU,Name,Published,In stock?,Regular price,Sale price,Parent,Attribute 1 value(s)\r\n";

    #[test]
    fn variations_find_their_parent_by_id_or_sku_and_orphans_are_named() {
        let csv = format!(
            "{HEADER}\
             7,variable,tee,Tee,1,1,,,,\"S, M\"\r\n\
             8,variation,tee-s,Tee - S,1,1,20,,tee,S\r\n\
             9,variation,tee-m,Tee - M,1,0,22,18,id:7,M\r\n\
             10,variation,cap-1,Cap,1,1,9,,id:99,One size\r\n\
             11,variable,mug,Mug,1,1,,,,\r\n"
        );
        let read = read(csv.as_bytes(), &Options::default()).unwrap();
        let problems: Vec<String> = read.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            problems,
            [
                "line 5: variation `10` names parent `id:99`, which is not in the file or was left out",
                "line 6: variable product `11` has no enabled variation in the file (product skipped)",
            ]
        );
        let [tee] = read.products.as_slice() else {
            panic!("{:?}", read.products)
        };
        assert_eq!((tee.price, tee.compare_at_price), (20.0, None));
        let variant = |v: &crate::config::raw::RawVariant| {
            format!(
                "{} {:?} {} {:?} {}",
                v.id, v.sku, v.title, v.price, v.in_stock
            )
        };
        assert_eq!(
            tee.variants.iter().map(variant).collect::<Vec<_>>(),
            [
                "8 Some(\"tee-s\") S None true",
                "9 Some(\"tee-m\") M Some(18.0) false"
            ]
        );
        assert_eq!(read.summary.skipped_rows, 2);
    }

    #[test]
    fn strict_mode_stops_at_the_first_bad_row() {
        let csv = format!("{HEADER}1,simple,a,A,1,1,ten,,,\r\n2,simple,b,B,1,1,3,,,\r\n");
        let options = Options {
            strict: true,
            ..Options::default()
        };
        let e = read(csv.as_bytes(), &options).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 2: Regular price \"ten\" is not a price"
        );
    }
}
