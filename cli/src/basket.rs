//! What `explain` and `email` ask the engine, read from flags the same way: the basket
//! (`--basket 'A,B*2'`) and the moment (`--now`).

use anyhow::{Result, bail};
use cartlift_engine::{BasketLine, Config};

/// `--basket` items (`ID` or `ID*QUANTITY`), each a catalog product.
pub fn parse(config: &Config, ids: &[String]) -> Result<Vec<BasketLine>> {
    ids.iter()
        .filter(|s| !s.is_empty())
        .map(|item| {
            let (id, quantity) = match item.split_once('*') {
                Some((id, q)) => (
                    id,
                    q.parse().map_err(|_| {
                        anyhow::anyhow!("--basket {item}: quantity must be a whole number")
                    })?,
                ),
                None => (item.as_str(), 1),
            };
            if config.product_idx(id).is_none() {
                bail!("basket product `{id}` is not in the catalog");
            }
            Ok(line(id, quantity))
        })
        .collect()
}

/// A basket line of a catalog product at the catalog's price.
pub fn line(id: &str, quantity: u32) -> BasketLine {
    BasketLine {
        product: id.to_owned(),
        variant: None,
        quantity,
        price: None,
    }
}

/// `--now` (a date or RFC 3339 time) in Unix seconds, or the clock's now.
pub fn now(text: Option<&str>) -> Result<i64> {
    match text {
        Some(text) => cartlift_engine::time::parse_moment(text)
            .ok_or_else(|| anyhow::anyhow!("--now {text}: use YYYY-MM-DD or an RFC 3339 time")),
        None => Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)),
    }
}
