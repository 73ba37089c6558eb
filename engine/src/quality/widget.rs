//! cartlift's own ranking under test: a config built from the training orders' mined
//! rules (merged into a store's config, if any), asked through [`Config::recommend`] in
//! the cart placement, exactly as the widget asks it.

use crate::config::raw::{RawBoughtTogether, RawProduct, RawRule};
use crate::config::{ConfigError, RawConfig, RuleSource};
use crate::mining::{Item, Rules, Transactions};
use crate::recommend::{BasketLine, Context, Placement, Ranking};
use crate::{Config, FxHashMap};

/// What [`WidgetRanker::new`] did with the store's config and the mined rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Assembly {
    /// Mined rules added.
    pub mined_rules: usize,
    /// The store config's own `source: mined` rules, dropped: they were mined from
    /// orders that include the test orders.
    pub dropped_mined: usize,
    /// Hand-written rules of the store config, kept.
    pub hand_rules: usize,
    /// Items of the orders that are not in the store's catalog, added as bare products
    /// so the widget and the baselines choose among the same items.
    pub added_products: usize,
    /// Items matched to a catalog product by its title instead of its id.
    pub by_title: usize,
}

/// Ranks through the engine.
#[derive(Clone, Debug)]
pub struct WidgetRanker {
    config: Config,
    /// Order item → catalog product id.
    product_of: Vec<String>,
    /// Catalog product id → order item.
    item_of: FxHashMap<String, Item>,
    lines: Vec<BasketLine>,
}

impl WidgetRanker {
    /// Builds the config to test: `store` (or an empty store) without its mined rules,
    /// plus `rules` mined from `train`, with the cart placement showing `depth` items.
    /// Items are matched to catalog products by id, else by a title no other product
    /// has; unmatched items become products.
    ///
    /// Errors: the assembled config does not validate (a broken store config).
    pub fn new(
        store: Option<&RawConfig>,
        train: &Transactions,
        rules: &Rules,
        depth: usize,
    ) -> Result<(WidgetRanker, Assembly), ConfigError> {
        let mut raw = store.cloned().unwrap_or_else(empty_store);
        let mut assembly = Assembly::default();
        let before = raw.rules.len();
        raw.rules
            .retain(|r| !matches!(r, RawRule::BoughtTogether(b) if b.source == RuleSource::Mined));
        assembly.dropped_mined = before - raw.rules.len();
        assembly.hand_rules = raw.rules.len();
        let cap = u32::try_from(depth).unwrap_or(u32::MAX);
        raw.store.max_items.cart = raw.store.max_items.cart.max(cap);

        let mut ids: FxHashMap<String, ()> = FxHashMap::default();
        let mut titles: FxHashMap<String, Option<String>> = FxHashMap::default();
        for p in &raw.catalog {
            ids.insert(p.id.clone(), ());
            titles
                .entry(p.title.clone())
                .and_modify(|t| *t = None)
                .or_insert_with(|| Some(p.id.clone()));
        }
        let mut product_of = Vec::with_capacity(train.item_count());
        for item in train.items() {
            let name = train.name(item);
            let id = if ids.contains_key(name) {
                name.to_string()
            } else if let Some(Some(id)) = titles.get(name) {
                assembly.by_title += 1;
                id.clone()
            } else {
                // A bare product; its id cannot clash with a catalog id (checked above).
                assembly.added_products += 1;
                ids.insert(name.to_string(), ());
                raw.catalog.push(RawProduct {
                    id: name.to_string(),
                    title: name.to_string(),
                    price: 1.0,
                    in_stock: true,
                    ..RawProduct::default()
                });
                name.to_string()
            };
            product_of.push(id);
        }
        for (n, rule) in rules.iter().enumerate() {
            let names = |items: &[Item]| -> Vec<String> {
                items
                    .iter()
                    .map(|i| product_of[i.index()].clone())
                    .collect()
            };
            let (antecedent, consequent) = (names(rule.antecedent()), names(rule.consequent()));
            if consequent.iter().any(|c| antecedent.contains(c)) {
                continue; // two items are one product (matched by title)
            }
            raw.rules.push(RawRule::BoughtTogether(RawBoughtTogether {
                id: format!("mined:{n}"),
                antecedent,
                consequent,
                support: Some(rule.support()),
                confidence: Some(rule.confidence()),
                lift: Some(rule.lift()),
                weight: rule.weight(),
                source: RuleSource::Mined,
                ..RawBoughtTogether::default()
            }));
            assembly.mined_rules += 1;
        }
        let config = Config::build(&raw)?;
        let mut item_of = FxHashMap::default();
        for item in train.items() {
            item_of
                .entry(product_of[item.index()].clone())
                .or_insert(item);
        }
        Ok((
            WidgetRanker {
                config,
                product_of,
                item_of,
                lines: Vec::new(),
            },
            assembly,
        ))
    }

    /// Ranks with `ranking` instead of the widget's default (for tuning).
    pub fn set_ranking(&mut self, ranking: Ranking) {
        self.config.set_ranking(ranking);
    }

    /// The config under test.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// What the cart placement suggests for `cart`, in the order the widget shows it
    /// (its sections in order, without repeats), at most `k`, into `out`.
    pub fn rank(&mut self, cart: &[Item], k: usize, out: &mut Vec<Item>) {
        out.clear();
        self.lines.clear();
        self.lines.extend(cart.iter().map(|&i| BasketLine {
            product: self.product_of[i.index()].clone(),
            variant: None,
            quantity: 1,
            price: None,
        }));
        let recs = self
            .config
            .recommend(&Context::new(Placement::Cart, 0).basket(&self.lines));
        for p in recs.products() {
            if out.len() >= k {
                break;
            }
            let id = &self.config.product(p).id;
            if let Some(&item) = self.item_of.get(id)
                && !out.contains(&item)
            {
                out.push(item);
            }
        }
    }
}

fn empty_store() -> RawConfig {
    let store = serde_json::json!({"currency": "USD", "locale": "en-US"});
    RawConfig {
        schema: None,
        shards: None,
        version: crate::config::raw::CONFIG_VERSION,
        store: serde_json::from_value(store).expect("a store with defaults"),
        catalog: Vec::new(),
        rules: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mining::{FpGrowth, RuleGen};

    #[test]
    fn ranks_mined_rules_through_the_engine_and_keeps_hand_rules_first() {
        let mut t = Transactions::new();
        for _ in 0..5 {
            t.push(["camera", "cable"]);
        }
        for _ in 0..3 {
            t.push(["camera", "mount"]);
        }
        t.push(["camera", "Gift wrap"]);
        let itemsets = FpGrowth::new(0.1).unwrap().mine(&t).unwrap();
        let rules = RuleGen::new().generate(&itemsets, &t);
        let id = |n: &str| t.item(n).unwrap();
        let (mut ranker, assembly) = WidgetRanker::new(None, &t, &rules, 10).unwrap();
        assert_eq!(assembly.added_products, 4);
        let mut out = Vec::new();
        ranker.rank(&[id("camera")], 10, &mut out);
        assert_eq!(out, [id("cable"), id("mount"), id("Gift wrap")]);

        // A store whose hand rule puts gift wrap first, and whose stale mined rule goes.
        let store: RawConfig = serde_json::from_value(serde_json::json!({
            "version": 1, "store": {"currency": "EUR"},
            "catalog": [
                {"id": "cam-1", "title": "camera", "price": 90, "in_stock": true},
                {"id": "gift", "title": "Gift wrap", "price": 2, "in_stock": true},
                {"id": "cable", "title": "Cable", "price": 9, "in_stock": true}
            ],
            "rules": [
                {"kind": "cross_sell", "id": "wrap-it", "priority": 5,
                 "conditions": {"basket_contains_any": {"products": ["cam-1"]}},
                 "suggest": {"products": ["gift"]}},
                {"kind": "bought_together", "id": "old", "antecedent": ["cam-1"],
                 "consequent": ["cable"], "confidence": 0.9, "source": "mined"}
            ]
        }))
        .unwrap();
        let (mut ranker, assembly) = WidgetRanker::new(Some(&store), &t, &rules, 10).unwrap();
        assert_eq!(
            (
                assembly.dropped_mined,
                assembly.hand_rules,
                assembly.by_title,
                assembly.added_products
            ),
            (1, 1, 2, 1)
        );
        ranker.rank(&[id("camera")], 2, &mut out);
        assert_eq!(out, [id("Gift wrap"), id("cable")]);
    }
}
