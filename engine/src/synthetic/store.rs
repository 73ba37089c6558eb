//! A synthetic store: catalog, mined pair rules and hand-written rules of every kind, at
//! any scale. Used by the benchmarks and the scale tests; valid by construction (the
//! tests check it builds without errors).

use super::Rng;
use crate::config::raw::{
    RawAddOn, RawBoughtTogether, RawConditions, RawConfig, RawCrossSell, RawProduct, RawRule,
    RawSelector, RawStore, RawThreshold, RawUpgrade, RuleSource,
};
use crate::map::StrMap;

/// How big a store to make.
#[derive(Clone, Copy, Debug)]
pub struct StoreSpec {
    /// Catalog size.
    pub products: usize,
    /// Mined `bought_together` pair rules.
    pub mined_rules: usize,
    /// Hand-written rules, spread over cross-sells, upgrades, add-ons and thresholds.
    pub hand_rules: usize,
    /// Categories (products are spread over them).
    pub categories: usize,
    /// Distinct tags.
    pub tags: usize,
}

impl StoreSpec {
    /// The scale of the benchmark: 20,000 products, 200,000 mined pair rules and
    /// 2,000 hand-written rules.
    pub const BENCHMARK: StoreSpec = StoreSpec {
        products: 20_000,
        mined_rules: 200_000,
        hand_rules: 2_000,
        categories: 50,
        tags: 200,
    };
}

/// Product ids are `p0`, `p1`, …; popular products (low numbers) anchor more rules, as in
/// real order histories.
pub fn store(spec: StoreSpec, seed: u64) -> RawConfig {
    let mut rng = Rng::new(seed);
    let n = spec.products.max(2);
    let id = |i: usize| format!("p{i}");
    let category_of = |i: usize| i % spec.categories.max(1);
    let catalog: Vec<RawProduct> = (0..n)
        .map(|i| {
            let cents = 199 + rng.below(60_000);
            RawProduct {
                id: id(i),
                title: format!("Product {i}"),
                price: cents as f64 / 100.0,
                url: Some(format!("/products/p{i}")),
                image: Some(format!("/img/p{i}.svg")),
                category: Some(format!("c{}", category_of(i))),
                tags: vec![format!("t{}", rng.below(spec.tags.max(1) as u64))],
                in_stock: rng.below(20) != 0,
                attributes: StrMap::from([("Size".to_owned(), format!("{}", rng.below(10)))]),
                ..RawProduct::default()
            }
        })
        .collect();
    // Long-tailed choice: squaring a uniform number favours low (popular) ids.
    let popular = |rng: &mut Rng| ((rng.unit() * rng.unit()) * n as f64) as usize;
    let mut rules = Vec::with_capacity(spec.mined_rules + spec.hand_rules);
    for r in 0..spec.mined_rules {
        let a = popular(&mut rng);
        let mut c = rng.below(n as u64) as usize;
        if c == a {
            c = (c + 1) % n;
        }
        let confidence = 0.01 + 0.9 * rng.unit();
        rules.push(RawRule::BoughtTogether(RawBoughtTogether {
            id: format!("m{r}"),
            antecedent: vec![id(a)],
            consequent: vec![id(c)],
            support: Some(0.0005 + 0.01 * rng.unit()),
            confidence: Some(confidence),
            lift: Some(0.5 + 8.0 * rng.unit()),
            source: RuleSource::Mined,
            ..RawBoughtTogether::default()
        }));
    }
    let price_cents = |i: usize| (catalog[i].price * 100.0).round() as i64;
    for h in 0..spec.hand_rules {
        let rule = match h % 20 {
            // 40%: cross-sells on a product page or for a basket category.
            0..=7 => {
                let suggest = RawSelector {
                    products: (0..3).map(|_| id(rng.below(n as u64) as usize)).collect(),
                    ..RawSelector::default()
                };
                let mut conditions = RawConditions::default();
                if h % 2 == 0 {
                    conditions.viewing.products = vec![id(popular(&mut rng))];
                } else {
                    conditions.basket_contains_any.categories =
                        vec![format!("c{}", rng.below(spec.categories as u64))];
                }
                let trigger = conditions.viewing.products.first().cloned();
                let mut suggest = suggest;
                suggest.products.retain(|p| Some(p) != trigger.as_ref());
                if suggest.products.is_empty() {
                    suggest.products.push(id((h + 1) % n));
                }
                RawRule::CrossSell(RawCrossSell {
                    id: format!("x{h}"),
                    conditions,
                    suggest,
                    priority: (h % 3) as i32,
                    ..RawCrossSell::default()
                })
            }
            // 30%: upgrades to a pricier product (never a cycle: prices strictly rise).
            8..=13 => {
                let from = popular(&mut rng);
                let to = (0..20)
                    .map(|_| rng.below(n as u64) as usize)
                    .find(|&t| price_cents(t) > price_cents(from))
                    .unwrap_or(from);
                if to == from {
                    RawRule::CrossSell(RawCrossSell {
                        id: format!("x{h}"),
                        suggest: RawSelector {
                            products: vec![id((from + 1) % n)],
                            ..RawSelector::default()
                        },
                        conditions: RawConditions {
                            viewing: RawSelector {
                                products: vec![id(from)],
                                ..RawSelector::default()
                            },
                            ..RawConditions::default()
                        },
                        ..RawCrossSell::default()
                    })
                } else {
                    RawRule::Upgrade(RawUpgrade {
                        id: format!("u{h}"),
                        from: vec![id(from)],
                        to: id(to),
                        compare: vec!["Size".into()],
                        ..RawUpgrade::default()
                    })
                }
            }
            // 25%: add-ons for a category.
            14..=18 => RawRule::AddOn(RawAddOn {
                id: format!("a{h}"),
                trigger: RawSelector {
                    categories: vec![format!("c{}", rng.below(spec.categories as u64))],
                    ..RawSelector::default()
                },
                add_ons: (0..2).map(|_| id(rng.below(n as u64) as usize)).collect(),
                ..RawAddOn::default()
            }),
            // 5%: free-shipping gap fillers from a tag.
            _ => RawRule::Threshold(RawThreshold {
                id: format!("s{h}"),
                suggest: RawSelector {
                    tags: vec![catalog[rng.below(n as u64) as usize].tags[0].clone()],
                    ..RawSelector::default()
                },
                ..RawThreshold::default()
            }),
        };
        rules.push(rule);
    }
    RawConfig {
        schema: None,
        shards: None,
        version: 1,
        store: RawStore {
            name: format!("synthetic store {seed}"),
            free_shipping_threshold: Some(150.0),
            bundle_discount_percent: Some(5.0),
            bundle_discount_automatic: true,
            ..RawStore::default()
        },
        catalog,
        rules,
    }
}
