//! Properties over random stores and shoppers: the filters always hold, the answer is
//! deterministic, configs round-trip, and seeded mistakes are always found.

use cartlift_engine::config::raw::{
    RawAddOn, RawBoughtTogether, RawConditions, RawCrossSell, RawProduct, RawRange, RawRule,
    RawSelector, RawStore, RawThreshold, RawUpgrade,
};
use cartlift_engine::synthetic::Rng;
use cartlift_engine::{BasketLine, Config, Context, Placement, RawConfig, Severity};
use proptest::prelude::*;

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.below(items.len() as u64) as usize]
}

fn selector(rng: &mut Rng, n: usize) -> RawSelector {
    let mut s = RawSelector::default();
    match rng.below(3) {
        0 => {
            s.products = (0..1 + rng.below(2))
                .map(|_| format!("p{}", rng.below(n as u64)))
                .collect()
        }
        1 => s.categories = vec![format!("c{}", rng.below(3))],
        _ => s.tags = vec![format!("t{}", rng.below(3))],
    }
    s
}

fn conditions(rng: &mut Rng, n: usize) -> RawConditions {
    let mut c = RawConditions::default();
    if rng.below(4) == 0 {
        c.placements =
            vec![pick(rng, &["product", "cart", "checkout", "confirmation"]).to_string()];
    }
    if rng.below(4) == 0 && c.placements.iter().all(|p| p == "product") {
        c.viewing = selector(rng, n);
    }
    if rng.below(4) == 0 {
        c.basket_contains_any = selector(rng, n);
    }
    if rng.below(6) == 0 {
        c.basket_contains_none = selector(rng, n);
    }
    if rng.below(6) == 0 {
        c.basket_value = RawRange {
            min: Some(rng.below(200) as f64),
            max: None,
        };
    }
    if rng.below(6) == 0 {
        c.segments = vec!["vip".into()];
    }
    c
}

/// A random small store with every rule kind. All categories and tags are used by some
/// product, so it is valid apart from rare warnings.
fn random_store(seed: u64) -> RawConfig {
    let mut rng = Rng::new(seed);
    let n = 3 + rng.below(12) as usize;
    let catalog: Vec<RawProduct> = (0..n)
        .map(|i| RawProduct {
            id: format!("p{i}"),
            title: format!("Product {i}"),
            price: (100 + rng.below(40_000)) as f64 / 100.0,
            category: Some(format!("c{}", i % 3)),
            tags: vec![format!("t{}", i % 3)],
            in_stock: rng.below(5) != 0,
            ..RawProduct::default()
        })
        .collect();
    let price = |i: usize| catalog[i].price;
    let mut rules = Vec::new();
    for r in 0..rng.below(16) {
        let id = format!("r{r}");
        let a = rng.below(n as u64) as usize;
        let b = (a + 1 + rng.below(n as u64 - 1) as usize) % n;
        let rule = match rng.below(5) {
            0 => RawRule::BoughtTogether(RawBoughtTogether {
                id,
                antecedent: vec![format!("p{a}")],
                consequent: vec![format!("p{b}")],
                confidence: (rng.below(2) == 0).then(|| rng.unit()),
                conditions: conditions(&mut rng, n),
                limit: (rng.below(4) == 0).then_some(1),
                priority: rng.below(3) as i32,
                ..RawBoughtTogether::default()
            }),
            1 => RawRule::CrossSell(RawCrossSell {
                id,
                conditions: conditions(&mut rng, n),
                suggest: selector(&mut rng, n),
                priority: rng.below(3) as i32,
                limit: (rng.below(4) == 0).then_some(1 + rng.below(2) as u32),
                ..RawCrossSell::default()
            }),
            // Upgrades only go up in price, so they never form a cycle.
            2 if price(b) > price(a) => RawRule::Upgrade(RawUpgrade {
                id,
                from: vec![format!("p{a}")],
                to: format!("p{b}"),
                conditions: conditions(&mut rng, n),
                ..RawUpgrade::default()
            }),
            2 | 3 => RawRule::AddOn(RawAddOn {
                id,
                trigger: selector(&mut rng, n),
                add_ons: vec![format!("p{b}")],
                conditions: conditions(&mut rng, n),
                ..RawAddOn::default()
            }),
            _ => RawRule::Threshold(RawThreshold {
                id,
                suggest: selector(&mut rng, n),
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
            free_shipping_threshold: Some(100.0),
            bundle_discount_percent: (rng.below(2) == 0).then_some(10.0),
            bundle_discount_automatic: true,
            max_items: cartlift_engine::config::raw::RawMaxItems {
                product: 1 + rng.below(4) as u32,
                cart: 1 + rng.below(4) as u32,
                checkout: 2,
                confirmation: 3,
            },
            ..RawStore::default()
        },
        catalog,
        rules,
    }
}

struct Shopper {
    placement: Placement,
    product: Option<String>,
    basket: Vec<BasketLine>,
    exclude: Vec<String>,
    segments: &'static [&'static str],
}

fn random_shopper(seed: u64, n: usize) -> Shopper {
    let mut rng = Rng::new(seed ^ 0x5eed);
    let placement = *pick(&mut rng, &Placement::ALL);
    let product = (placement == Placement::Product || rng.below(3) == 0)
        .then(|| format!("p{}", rng.below(n as u64)));
    let basket = (0..rng.below(6))
        .map(|_| BasketLine {
            product: format!("p{}", rng.below(n as u64 + 2)),
            variant: None,
            quantity: 1 + rng.below(3) as u32,
            price: None,
        })
        .collect();
    let exclude = (0..rng.below(3))
        .map(|_| format!("p{}", rng.below(n as u64)))
        .collect();
    let segments: &[&str] = match rng.below(3) {
        0 => &[],
        1 => &["vip"],
        _ => &["returning", "vip"],
    };
    Shopper {
        placement,
        product,
        basket,
        exclude,
        segments,
    }
}

fn context<'a>(s: &'a Shopper, exclude: &'a [&'a str], basket: &'a [BasketLine]) -> Context<'a> {
    let mut ctx = Context::new(s.placement, 1_795_000_000)
        .basket(basket)
        .exclude(exclude)
        .traced();
    if let Some(p) = &s.product {
        ctx = ctx.product(p);
    }
    ctx.segments(s.segments)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn filters_always_hold(store_seed in any::<u64>(), shopper_seed in any::<u64>()) {
        let raw = random_store(store_seed);
        let config = Config::build(&raw).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let shopper = random_shopper(shopper_seed, raw.catalog.len());
        let exclude: Vec<&str> = shopper.exclude.iter().map(String::as_str).collect();
        let recs = config.recommend(&context(&shopper, &exclude, &shopper.basket));
        let limit = config.store().max_items.of(shopper.placement);
        prop_assert!(recs.cross_sells.len() <= limit && recs.add_ons.len() <= limit && recs.upgrades.len() <= limit);
        let mut seen = Vec::new();
        for p in recs.products() {
            let product = config.product(p);
            prop_assert!(Some(&product.id) != shopper.product.as_ref(), "suggested the page's product {}", product.id);
            prop_assert!(!shopper.basket.iter().any(|l| l.product == product.id), "suggested {} from the basket", product.id);
            prop_assert!(!shopper.exclude.contains(&product.id), "suggested dismissed {}", product.id);
            prop_assert!(product.in_stock, "suggested out-of-stock {}", product.id);
            prop_assert!(!seen.contains(&p), "suggested {} twice", product.id);
            seen.push(p);
        }
        for s in recs.cross_sells.iter().chain(&recs.add_ons) {
            prop_assert!(!s.reasons.is_empty());
            for r in &s.reasons {
                if let Some(limit) = config.rule(r.rule).limit {
                    let from_rule = recs.cross_sells.iter().chain(&recs.add_ons)
                        .filter(|x| x.reasons.iter().any(|y| y.rule == r.rule)).count();
                    prop_assert!(from_rule <= limit);
                }
            }
        }
    }

    #[test]
    fn the_answer_is_deterministic_ignores_basket_order_and_tracing(store_seed in any::<u64>(), shopper_seed in any::<u64>()) {
        let raw = random_store(store_seed);
        let config = Config::build(&raw).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let shopper = random_shopper(shopper_seed, raw.catalog.len());
        let exclude: Vec<&str> = shopper.exclude.iter().map(String::as_str).collect();
        let first = config.recommend(&context(&shopper, &exclude, &shopper.basket));
        let again = config.recommend(&context(&shopper, &exclude, &shopper.basket));
        prop_assert_eq!(&first, &again);
        let mut reversed = shopper.basket.clone();
        reversed.reverse();
        let swapped = config.recommend(&context(&shopper, &exclude, &reversed));
        prop_assert_eq!(&first, &swapped);
        // Tracing (explain) filters every edge as it is read, the widget only the
        // candidates that can be shown: the answer is the same.
        let answer = |trace: bool| {
            let mut ctx = context(&shopper, &exclude, &shopper.basket);
            ctx.trace = trace;
            let mut recs = config.recommend(&ctx);
            recs.filtered.clear();
            recs
        };
        prop_assert_eq!(answer(false), answer(true));
    }

    #[test]
    fn configs_round_trip_through_json(store_seed in any::<u64>()) {
        let raw = random_store(store_seed);
        let text = serde_json::to_string_pretty(&raw).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let back: RawConfig = serde_json::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&raw, &back);
        prop_assert!(Config::from_json(&text).is_ok());
    }

    #[test]
    fn seeded_mistakes_are_found_where_they_were_made(store_seed in any::<u64>(), mistake in 0u8..6) {
        let mut raw = random_store(store_seed);
        let last = raw.catalog.len() - 1;
        let expected = match mistake {
            0 => { raw.catalog[last].id = "p0".into(); format!("catalog[{last}].id") }
            1 => { raw.catalog[1].price = -1.0; "catalog[1].price".to_owned() }
            2 => { raw.catalog[0].url = Some("javascript:alert(1)".into()); "catalog[0].url".to_owned() }
            3 => { raw.catalog[2].title = String::new(); "catalog[2].title".to_owned() }
            4 => {
                raw.rules.push(RawRule::BoughtTogether(RawBoughtTogether {
                    id: "seeded".into(), antecedent: vec!["p0".into()], consequent: vec!["nope".into()], ..RawBoughtTogether::default()
                }));
                format!("rules[{}].consequent[0]", raw.rules.len() - 1)
            }
            _ => {
                raw.rules.push(RawRule::Threshold(RawThreshold { id: "dup".into(), ..RawThreshold::default() }));
                raw.rules.push(RawRule::Threshold(RawThreshold { id: "dup".into(), ..RawThreshold::default() }));
                format!("rules[{}].id", raw.rules.len() - 1)
            }
        };
        let text = serde_json::to_string_pretty(&raw).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let err = Config::from_json(&text).err().ok_or_else(|| TestCaseError::fail("accepted a seeded mistake"))?;
        prop_assert!(
            err.problems.iter().any(|p| p.severity == Severity::Error && p.path.to_string() == expected && p.location.is_some()),
            "expected an error at {} in {:#?}", expected, err.problems
        );
    }
}
