//! Evaluation of every rule kind, condition and filter, on a small store whose answers
//! are known by hand.

use cartlift_engine::recommend::{FilterReason, ReasonDetail, Recommendations};
use cartlift_engine::{BasketLine, Config, Context, Money, Placement, PlainFormat};

const STORE: &str = r#"{
  "version": 1,
  "store": {
    "currency": "USD", "locale": "en-US", "free_shipping_threshold": 150,
    "bundle_discount_percent": 10, "bundle_discount_automatic": true, "max_items": {"product": 3, "cart": 3},
    "copy": {"fa-IR": {"reason_bought_together": "{percent} از خریداران {product} این را هم خریدند"}}
  },
  "catalog": [
    {"id": "cam", "title": "Dome camera", "price": 79, "category": "cameras", "tags": ["poe"], "attributes": {"Resolution": "4 MP", "Night vision": "30 m"}},
    {"id": "cam-4k", "title": "Dome camera 4K", "price": 139, "category": "cameras", "tags": ["poe"], "attributes": {"Resolution": "8 MP", "Night vision": "40 m"}},
    {"id": "cable", "title": "Cable", "price": 18, "category": "cabling"},
    {"id": "nvr", "title": "Recorder", "price": 229, "category": "recorders"},
    {"id": "disk", "title": "Disk", "price": 69, "category": "storage"},
    {"id": "mount", "title": "Mount", "price": 19, "category": "mounting"},
    {"id": "box", "title": "Junction box", "price": 16, "category": "mounting"},
    {"id": "sign", "title": "Sign", "price": 6.5, "category": "accessories"},
    {"id": "kit", "title": "Install kit", "price": 9, "category": "accessories"},
    {"id": "housing", "title": "Housing", "price": 59, "category": "mounting", "in_stock": false},
    {"id": "ups", "title": "UPS", "price": 89, "category": "power", "variants": [
      {"id": "ups-eu", "title": "EU plug", "in_stock": false}, {"id": "ups-us", "title": "US plug", "price": 94}
    ]},
    {"id": "gone", "title": "Gone", "price": 5, "category": "accessories", "variants": [{"id": "g1", "in_stock": false}]}
  ],
  "rules": [
    {"kind": "bought_together", "id": "bt-cable", "antecedent": ["cam"], "consequent": ["cable"], "confidence": 0.58, "lift": 2.9},
    {"kind": "bought_together", "id": "bt-nvr", "antecedent": ["cam"], "consequent": ["nvr"], "confidence": 0.34},
    {"kind": "bought_together", "id": "bt-disk", "antecedent": ["cam"], "consequent": ["disk"], "confidence": 0.29},
    {"kind": "bought_together", "id": "bt-mount", "antecedent": ["cam"], "consequent": ["mount"], "confidence": 0.22},
    {"kind": "bought_together", "id": "bt-housing", "antecedent": ["cam"], "consequent": ["housing"], "confidence": 0.9},
    {"kind": "bought_together", "id": "bt-nvr-disk", "antecedent": ["nvr"], "consequent": ["disk"], "confidence": 0.61},
    {"kind": "bought_together", "id": "bt-cam-nvr-ups", "antecedent": ["cam", "nvr"], "consequent": ["ups"], "confidence": 0.2},
    {"kind": "cross_sell", "id": "x-box", "priority": 5, "conditions": {"viewing": {"categories": ["cameras"]}, "placements": ["product"]},
     "suggest": {"products": ["box"]}, "copy": {"en": {"title": "Complete your kit", "reason": "Keeps {product} dry"}}},
    {"kind": "cross_sell", "id": "x-vip", "priority": 9, "conditions": {"segments": ["vip"]}, "suggest": {"products": ["ups"]}},
    {"kind": "cross_sell", "id": "x-winter", "priority": 9, "conditions": {"dates": {"from": "2026-12-01", "until": "2026-12-31"}}, "suggest": {"products": ["kit"]}},
    {"kind": "cross_sell", "id": "x-big", "priority": 9, "conditions": {"basket_value": {"min": 300}, "placements": ["cart"]}, "suggest": {"products": ["ups"]}},
    {"kind": "cross_sell", "id": "x-no-disk", "priority": 1, "limit": 1, "conditions": {"basket_contains_any": {"categories": ["recorders"]}, "basket_contains_none": {"categories": ["storage"]}},
     "suggest": {"categories": ["storage", "power"]}},
    {"kind": "upgrade", "id": "up-4k", "from": ["cam"], "to": "cam-4k", "compare": ["Resolution", "Night vision"]},
    {"kind": "add_on", "id": "ao-cams", "trigger": {"tags": ["poe"]}, "add_ons": ["sign", "kit", "gone"]},
    {"kind": "threshold", "id": "fill", "suggest": {"categories": ["accessories", "mounting", "cabling", "storage"]}}
  ]
}"#;

const DEC_1: i64 = 1_796_083_200; // 2026-12-01T00:00:00Z
const NOV_25: i64 = 1_795_564_800; // 2026-11-25T00:00:00Z

fn config() -> Config {
    Config::from_json(STORE).expect("the test store is valid")
}

fn line(id: &str, quantity: u32) -> BasketLine {
    BasketLine {
        product: id.into(),
        variant: None,
        quantity,
        price: None,
    }
}

fn ids(
    config: &Config,
    products: impl Iterator<Item = cartlift_engine::ProductIdx>,
) -> Vec<String> {
    products.map(|p| config.product(p).id.clone()).collect()
}

fn cross(config: &Config, recs: &Recommendations) -> Vec<String> {
    ids(config, recs.cross_sells.iter().map(|s| s.product))
}

#[test]
fn product_page_bundle_ranks_priority_then_confidence_and_skips_out_of_stock() {
    let config = config();
    let recs = config.recommend(&Context::new(Placement::Product, NOV_25).product("cam"));
    // x-box (priority 5) first; then mined by confidence; housing is out of stock; the
    // limit is 3, so mount and disk fall off.
    assert_eq!(cross(&config, &recs), ["box", "cable", "nvr"]);
    let bundle = recs.bundle.expect("a bundle on a product page");
    assert_eq!(config.product(bundle.anchor).id, "cam");
    assert!(!bundle.anchor_in_basket);
    assert_eq!(bundle.price.total, Money(7900 + 1600 + 1800 + 22900));
    assert_eq!(bundle.price.discounted, Some(Money(30780)));
    // A partial bundle gets no discount.
    let some = [bundle.anchor, recs.cross_sells[1].product];
    assert_eq!(
        config
            .bundle_price(&some, false, &cartlift_engine::live::NONE)
            .discounted,
        None
    );
    assert_eq!(
        config
            .bundle_price(&some, false, &cartlift_engine::live::NONE)
            .total,
        Money(9700)
    );
    let locale = config.locale(None);
    let fmt = PlainFormat(config.store().currency);
    assert_eq!(
        config.reason_text(&recs.cross_sells[0].reasons[0], &locale, &fmt),
        "Keeps Dome camera dry"
    );
    assert_eq!(
        config.reason_text(&recs.cross_sells[1].reasons[0], &locale, &fmt),
        "Bought together with Dome camera by 58% of shoppers"
    );
    assert_eq!(
        config.section_title(
            cartlift_engine::copy::CopyKey::ProductTitle,
            &recs.cross_sells,
            &locale
        ),
        "Complete your kit"
    );
}

#[test]
fn the_basket_and_dismissals_are_never_suggested() {
    let config = config();
    let basket = [line("cable", 1), line("cam", 1)];
    let recs = config.recommend(
        &Context::new(Placement::Product, NOV_25)
            .product("cam")
            .basket(&basket)
            .exclude(&["box"]),
    );
    assert_eq!(cross(&config, &recs), ["nvr", "disk", "mount"]);
    assert!(recs.bundle.expect("bundle").anchor_in_basket);
}

#[test]
fn add_ons_and_upgrades_on_a_product_page() {
    let config = config();
    let recs = config.recommend(
        &Context::new(Placement::Product, NOV_25)
            .product("cam")
            .traced(),
    );
    // `gone` has only out-of-stock variants, so it is out of stock.
    assert_eq!(
        ids(&config, recs.add_ons.iter().map(|s| s.product)),
        ["sign", "kit"]
    );
    assert!(
        recs.filtered
            .iter()
            .any(|f| f.why == FilterReason::OutOfStock && f.product == config.product_idx("gone"))
    );
    let upgrade = &recs.upgrades[0];
    assert_eq!(
        (
            config.product(upgrade.from).id.as_str(),
            config.product(upgrade.to).id.as_str()
        ),
        ("cam", "cam-4k")
    );
    assert_eq!(upgrade.price_difference, 6000);
    let rows: Vec<(&str, Option<&str>, Option<&str>)> = upgrade
        .comparison
        .iter()
        .map(|r| (r.name.as_str(), r.from.as_deref(), r.to.as_deref()))
        .collect();
    assert_eq!(
        rows,
        [
            ("Resolution", Some("4 MP"), Some("8 MP")),
            ("Night vision", Some("30 m"), Some("40 m"))
        ]
    );
}

#[test]
fn cart_sums_rules_over_the_basket_and_fills_the_free_shipping_gap() {
    let config = config();
    let basket = [line("cam", 1), line("nvr", 1)];
    let recs = config.recommend(
        &Context::new(Placement::Cart, NOV_25)
            .basket(&basket)
            .traced(),
    );
    // disk: 0.29 (cam) + 0.61 (nvr) = 0.90 beats cable 0.58; x-big (basket ≥ $300) puts the
    // UPS first; the cam+nvr→ups rule adds to it; x-no-disk's storage suggestion (disk)
    // counts too.
    assert_eq!(cross(&config, &recs), ["ups", "disk", "cable"]);
    let disk = &recs.cross_sells[1];
    assert_eq!(disk.priority, 1);
    // The UPS's first in-stock variant is the one added, at its own price.
    let ups = config.product_by_id("ups").expect("ups");
    assert_eq!(ups.default_variant().map(|v| v.id.as_str()), Some("ups-us"));
    assert_eq!(ups.price_to_add(), Money(9400));
    // Basket worth 79 + 229 = 308 > 150: free shipping reached, nothing to fill.
    let fs = recs.free_shipping.expect("the store has a threshold");
    assert_eq!((fs.basket_value, fs.gap), (Money(30800), Money::ZERO));
    assert!(fs.items.is_empty());
    // Upgrades also work in the cart, from a basket line.
    assert_eq!(ids(&config, recs.upgrades.iter().map(|u| u.to)), ["cam-4k"]);
}

#[test]
fn an_empty_cart_is_not_nudged_towards_free_shipping() {
    let config = config();
    let recs = config.recommend(&Context::new(Placement::Cart, NOV_25).basket(&[]));
    assert!(recs.free_shipping.is_none());
    assert!(recs.is_empty(), "{recs:?}");
}

#[test]
fn free_shipping_items_close_the_gap_cheapest_first_then_closest_below() {
    let config = config();
    let basket = [line("cable", 2), line("sign", 10)]; // 36 + 65 = 101: gap 49
    let recs = config.recommend(&Context::new(Placement::Cart, NOV_25).basket(&basket));
    let fs = recs.free_shipping.expect("threshold");
    assert_eq!(fs.gap, Money(4900));
    assert!((fs.progress() - 101.0 / 150.0).abs() < 1e-9);
    // Closers: disk (69) is the only candidate ≥ 49 (housing is out of stock); then the
    // closest below: mount (19), box (16), kit (9); limit 3.
    assert_eq!(
        ids(&config, fs.items.iter().map(|s| s.product)),
        ["disk", "mount", "box"]
    );
    assert!(
        matches!(fs.items[0].reasons[0].detail, ReasonDetail::Threshold { gap } if gap == Money(4900))
    );
}

#[test]
fn segments_dates_and_values_gate_rules() {
    let config = config();
    let basket = [line("cable", 1)];
    let plain = config.recommend(
        &Context::new(Placement::Cart, NOV_25)
            .basket(&basket)
            .traced(),
    );
    assert!(!cross(&config, &plain).contains(&"ups".to_string()));
    assert!(
        plain
            .filtered
            .iter()
            .any(|f| f.why == FilterReason::Segment && config.rule(f.rule).id == "x-vip")
    );
    assert!(
        plain
            .filtered
            .iter()
            .any(|f| f.why == FilterReason::Dates && config.rule(f.rule).id == "x-winter")
    );
    let vip = config.recommend(
        &Context::new(Placement::Cart, NOV_25)
            .basket(&basket)
            .segments(&["vip"]),
    );
    assert_eq!(cross(&config, &vip)[0], "ups");
    // A shopper in several segments: the rule fires when any of them is one of its own;
    // names match exactly (no case folding, no trimming: the page's text is split by
    // `shopper::segment_names`).
    let segments = |names: &[&str]| {
        let recs = config.recommend(
            &Context::new(Placement::Cart, NOV_25)
                .basket(&basket)
                .segments(names)
                .traced(),
        );
        let gated = recs
            .filtered
            .iter()
            .any(|f| f.why == FilterReason::Segment && config.rule(f.rule).id == "x-vip");
        (cross(&config, &recs).first().cloned(), gated)
    };
    assert_eq!(segments(&["returning", "vip"]), (Some("ups".into()), false));
    for names in [&["returning"][..], &["VIP"], &[" vip"], &[]] {
        let (first, gated) = segments(names);
        assert!(first.as_deref() != Some("ups") && gated, "{names:?}");
    }
    let december = config.recommend(&Context::new(Placement::Cart, DEC_1).basket(&basket));
    assert_eq!(cross(&config, &december)[0], "kit");
    // "until 2026-12-31" includes that whole day.
    let dec_31_late = DEC_1 + 30 * 86_400 + 86_399;
    assert_eq!(
        cross(
            &config,
            &config.recommend(&Context::new(Placement::Cart, dec_31_late).basket(&basket))
        )[0],
        "kit"
    );
    assert!(
        !cross(
            &config,
            &config.recommend(&Context::new(Placement::Cart, dec_31_late + 1).basket(&basket))
        )
        .contains(&"kit".to_string())
    );
}

#[test]
fn a_product_appears_once_per_placement() {
    let config = config();
    let basket = [line("cam", 1)];
    let recs = config.recommend(&Context::new(Placement::Cart, NOV_25).basket(&basket));
    let all: Vec<_> = recs.products().collect();
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        all.len(),
        unique.len(),
        "{:?}",
        ids(&config, all.into_iter())
    );
}

#[test]
fn the_answer_does_not_depend_on_basket_order() {
    let config = config();
    let a = [line("cam", 1), line("nvr", 2), line("sign", 1)];
    let b = [line("sign", 1), line("nvr", 2), line("cam", 1)];
    let ra = config.recommend(&Context::new(Placement::Cart, NOV_25).basket(&a).traced());
    let rb = config.recommend(&Context::new(Placement::Cart, NOV_25).basket(&b).traced());
    assert_eq!(ra, rb);
}

#[test]
fn reasons_follow_the_page_language() {
    let config = config();
    let recs = config.recommend(&Context::new(Placement::Cart, NOV_25).basket(&[line("cam", 1)]));
    let cable = recs
        .cross_sells
        .iter()
        .find(|s| config.product(s.product).id == "cable")
        .expect("cable");
    let fa = config.locale(Some("fa"));
    assert!(fa.rtl);
    let fmt = PlainFormat(config.store().currency);
    // The Latin product name is bidi-isolated (FSI … PDI) so it cannot reorder the
    // Persian sentence around it.
    assert_eq!(
        config.reason_text(&cable.reasons[0], &fa, &fmt),
        "58% از خریداران \u{2068}Dome camera\u{2069} این را هم خریدند"
    );
}

#[test]
fn unknown_basket_lines_count_towards_value_but_trigger_nothing() {
    let config = config();
    let basket = [BasketLine {
        product: "gift-card".into(),
        variant: None,
        quantity: 2,
        price: Some(Money(2500)),
    }];
    let recs = config.recommend(&Context::new(Placement::Cart, NOV_25).basket(&basket));
    assert!(recs.cross_sells.is_empty());
    assert_eq!(
        recs.free_shipping.expect("threshold").basket_value,
        Money(5000)
    );
}
