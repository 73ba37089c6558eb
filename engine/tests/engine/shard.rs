//! A sharded config suggests exactly what the whole config suggests: for every product
//! page and many baskets, the core plus the shards of the page's product and the basket's
//! lines give the same sections, products, order, scores and reasons.

use cartlift_engine::config::shard::{Limits, ShardSet, Split, split};
use cartlift_engine::synthetic::store::{StoreSpec, store};
use cartlift_engine::{BasketLine, Config, Context, Placement, RawConfig, Recommendations};

/// A time inside the test stores' rule windows.
const NOW: i64 = 1_796_083_200;

fn demo() -> RawConfig {
    serde_json::from_str(&crate::demo_config_text()).expect("the demo config parses")
}

/// Everything a shopper would see, by product id (indexes differ between the configs).
fn seen(config: &Config, recs: &Recommendations) -> String {
    let id = |p: cartlift_engine::ProductIdx| config.product(p).id.as_str();
    let rule = |r: cartlift_engine::RuleIdx| config.rule(r).id.as_str();
    let list = |s: &[cartlift_engine::Suggestion]| -> Vec<String> {
        s.iter()
            .map(|s| {
                let reasons: Vec<(&str, Vec<&str>)> = s
                    .reasons
                    .iter()
                    .map(|r| (rule(r.rule), r.because.iter().map(|p| id(*p)).collect()))
                    .collect();
                format!(
                    "{} p{} {:.9} {reasons:?}",
                    id(s.product),
                    s.priority,
                    s.score
                )
            })
            .collect()
    };
    let bundle = recs.bundle.as_ref().map(|b| {
        (
            id(b.anchor),
            b.anchor_in_basket,
            b.price.total,
            b.price.discounted,
        )
    });
    let upgrades: Vec<(&str, &str, i64)> = recs
        .upgrades
        .iter()
        .map(|u| (id(u.from), id(u.to), u.price_difference))
        .collect();
    let free = recs
        .free_shipping
        .as_ref()
        .map(|f| (f.gap, f.basket_value, list(&f.items)));
    format!(
        "cross {:?}\nadd-ons {:?}\nbundle {bundle:?}\nupgrades {upgrades:?}\nfree {free:?}",
        list(&recs.cross_sells),
        list(&recs.add_ons)
    )
}

/// The config a page with `product` and `basket` ends up with (the cart and checkout
/// also fetch the cart shard).
fn page(
    split: &Split,
    placement: Placement,
    product: Option<&str>,
    basket: &[BasketLine],
) -> Config {
    let mut set = ShardSet::new(split.core.clone()).expect("a core");
    if placement.is_cart() {
        assert_eq!(set.cart_url().is_some(), split.cart.is_some());
        set.add_cart(split.cart.clone());
    }
    for id in product
        .into_iter()
        .chain(basket.iter().map(|l| l.product.as_str()))
    {
        let shard = split
            .shards
            .iter()
            .find(|(p, _)| p == id)
            .map(|(_, s)| s.clone());
        set.add(id, shard);
    }
    let (config, problems) = set.build();
    assert!(
        problems
            .iter()
            .all(|p| p.severity != cartlift_engine::Severity::Error),
        "{problems:#?}"
    );
    config.expect("a config")
}

fn line(id: &str, quantity: u32) -> BasketLine {
    BasketLine {
        product: id.to_owned(),
        variant: None,
        quantity,
        price: None,
    }
}

/// Every product page (empty basket, and with the next product in the basket), the empty
/// cart and checkout, and every basket of one or two products, in the product, cart and
/// confirmation placements.
fn same_everywhere(raw: &RawConfig, limits: Limits) -> usize {
    let whole = Config::build(raw).expect("valid");
    let split = split(raw, "shards/", limits).expect("splits");
    assert_eq!(split.shards.len(), raw.catalog.len());
    let ids: Vec<&str> = raw.catalog.iter().map(|p| p.id.as_str()).collect();
    let mut cases = 0;
    let mut check = |placement: Placement, product: Option<&str>, basket: Vec<BasketLine>| {
        let mut ctx = Context::new(placement, NOW).basket(&basket);
        if let Some(p) = product {
            ctx = ctx.product(p);
        }
        let sharded = page(&split, placement, product, &basket);
        let expected = seen(&whole, &whole.recommend(&ctx));
        assert_eq!(
            seen(&sharded, &sharded.recommend(&ctx)),
            expected,
            "{placement:?} {product:?} {basket:?}"
        );
        cases += 1;
    };
    check(Placement::Cart, None, Vec::new());
    check(Placement::Checkout, None, Vec::new());
    for (i, id) in ids.iter().enumerate() {
        let next = ids[(i + 1) % ids.len()];
        check(Placement::Product, Some(id), Vec::new());
        check(Placement::Product, Some(id), vec![line(next, 1)]);
        check(Placement::Cart, None, vec![line(id, 2)]);
        check(Placement::Checkout, None, vec![line(id, 1), line(next, 1)]);
        check(Placement::Confirmation, None, vec![line(id, 1)]);
        for other in ids.iter().skip(i + 1).step_by(1 + ids.len() / 12) {
            check(Placement::Cart, None, vec![line(id, 1), line(other, 3)]);
        }
    }
    cases
}

#[test]
fn the_sharded_demo_store_suggests_what_the_whole_config_suggests() {
    let cases = same_everywhere(&demo(), Limits::default());
    assert!(cases > 150, "{cases} cases");
}

#[test]
fn a_sharded_synthetic_store_suggests_what_the_whole_config_suggests() {
    let spec = StoreSpec {
        products: 300,
        mined_rules: 3_000,
        hand_rules: 120,
        categories: 8,
        tags: 20,
    };
    let limits = Limits {
        mined_per_product: usize::MAX,
        suggested: usize::MAX,
        fillers: usize::MAX,
    };
    let cases = same_everywhere(&store(spec, 11), limits);
    assert!(cases > 1_500, "{cases} cases");
}

#[test]
fn a_product_page_of_a_big_store_needs_a_small_shard() {
    let raw = store(StoreSpec::BENCHMARK, 7);
    let split = split(&raw, "shards/", Limits::default()).expect("splits");
    let core = serde_json::to_string(&split.core)
        .expect("serializes")
        .len();
    let mut sizes: Vec<usize> = split
        .shards
        .iter()
        .map(|(_, s)| serde_json::to_string(s).expect("serializes").len())
        .collect();
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2];
    assert!(
        core + median < 20_000,
        "core {core} B + median shard {median} B"
    );
}
