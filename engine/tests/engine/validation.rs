//! Validation finds every seeded mistake, with its path and line:column, and the lenient
//! entry point keeps what is valid.

use cartlift_engine::{Config, Problem, Severity};

fn problems(text: &str) -> Vec<Problem> {
    match Config::from_json(text) {
        Ok(config) => config.warnings().to_vec(),
        Err(e) => e.problems,
    }
}

fn paths(problems: &[Problem], severity: Severity) -> Vec<String> {
    problems
        .iter()
        .filter(|p| p.severity == severity)
        .map(|p| p.path.to_string())
        .collect()
}

fn find<'a>(problems: &'a [Problem], path: &str) -> &'a Problem {
    problems
        .iter()
        .find(|p| p.path.to_string() == path)
        .unwrap_or_else(|| panic!("no problem at {path}: {problems:#?}"))
}

const TEN_MISTAKES: &str = include_str!("../../../tests/data/configs/ten-mistakes.json");

#[test]
fn ten_seeded_mistakes_are_all_reported_with_paths_and_positions() {
    let problems = problems(TEN_MISTAKES);
    assert_eq!(
        paths(&problems, Severity::Error),
        [
            "store.copy.en.product_tittle",
            "catalog[1].prise",
            "catalog[2].price",
            "catalog[3].id",
            "catalog[4].title",
            "catalog[5].url",
            "rules[0].consequent[1]",
            "rules[2].id",
            "rules[3]",
            "rules[4]",
            "rules[5]",
            "rules[6].conditions.basket_value",
        ]
    );
    assert_eq!(
        paths(&problems, Severity::Warning),
        ["rules[4].to", "rules[7]"]
    );
    assert!(
        problems.iter().all(|p| p.location.is_some()),
        "every problem has a line:column"
    );
    assert_eq!(find(&problems, "catalog[1].prise").location, Some((10, 50)));
    assert_eq!(
        find(&problems, "catalog[1].prise").message,
        "unknown field `prise`; did you mean `price`?"
    );
    assert_eq!(
        find(&problems, "store.copy.en.product_tittle").message,
        "unknown copy key `product_tittle`; did you mean `product_title`?"
    );
    assert_eq!(
        find(&problems, "catalog[2].price").message,
        "price of `cable` (-18) is negative"
    );
    assert_eq!(
        find(&problems, "catalog[3].id").message,
        "duplicate product id `cam` (first at catalog[0])"
    );
    assert!(
        find(&problems, "catalog[5].url")
            .message
            .contains("`javascript:`")
    );
    assert_eq!(
        find(&problems, "rules[0].consequent[1]").message,
        "rule `cam-nvr` names unknown product `psu-12v`"
    );
    assert_eq!(
        find(&problems, "rules[3]").message,
        "upgrade cycle cam → cam-4k → cam (rules up-4k, down-4mp)"
    );
    assert!(
        find(&problems, "rules[5]")
            .message
            .contains("needs store.free_shipping_threshold")
    );
    assert!(
        find(&problems, "rules[6].conditions.basket_value")
            .message
            .contains("never fires")
    );
    assert!(
        find(&problems, "rules[7]")
            .message
            .contains("only suggests out-of-stock products")
    );
}

#[test]
fn lenient_loading_keeps_the_valid_part() {
    let read = Config::read(TEN_MISTAKES);
    let config = read.config.expect("the store settings are usable");
    assert!(read.problems.iter().any(|p| p.severity == Severity::Error));
    let ids: Vec<&str> = config.products().iter().map(|p| p.id.as_str()).collect();
    // cable (negative price), the second cam, disk (empty title) and mount (bad URL) are
    // left out; cam-4k's only problem is an unknown field, so it stays.
    assert_eq!(ids, ["cam", "cam-4k", "nvr", "housing"]);
    let rules: Vec<&str> = config.rules().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(rules, ["cam-extras", "nvr-housing"]);
}

const BASE: &str = r#"{"version": 1, "store": {"currency": "USD"}, "catalog": [
  {"id": "a", "title": "A", "price": 10}, {"id": "b", "title": "B", "price": 20, "category": "cams", "tags": ["poe"]}
], "rules": RULES}"#;

fn with_rules(rules: &str) -> Vec<Problem> {
    problems(&BASE.replace("RULES", rules))
}

#[test]
fn every_wrong_type_and_unknown_field_in_one_element_is_reported() {
    let problems = problems(
        r#"{"version": 1, "store": {"currency": "USD", "colour": "red"}, "catalog": [
          {"id": "a", "title": "A", "price": "ten", "in_stock": "yes", "weight": 3, "tags": "x"}
        ]}"#,
    );
    assert_eq!(
        paths(&problems, Severity::Error),
        [
            "store.colour",
            "catalog[0].price",
            "catalog[0].in_stock",
            "catalog[0].weight",
            "catalog[0].tags"
        ]
    );
    assert!(
        find(&problems, "catalog[0].price")
            .message
            .contains("expected a number"),
        "{problems:#?}"
    );
    assert!(
        find(&problems, "catalog[0].in_stock")
            .message
            .contains("expected true or false")
    );
}

#[test]
fn syntax_errors_point_at_the_character() {
    let problems = problems("{\n  \"version\": 1,\n  \"store\": {\"currency\": \"USD\",}\n}");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].location, Some((3, 31)));
    assert!(
        problems[0].message.starts_with("trailing comma"),
        "{}",
        problems[0].message
    );
}

#[test]
fn unknown_kinds_and_unusable_store_settings() {
    let p = with_rules(r#"[{"kind": "cross_sel", "id": "x"}]"#);
    assert!(
        find(&p, "rules[0].kind")
            .message
            .contains("did you mean `cross_sell`?")
    );
    let p = problems(r#"{"version": 2, "store": {"currency": "usd"}}"#);
    assert_eq!(paths(&p, Severity::Error), ["version", "store.currency"]);
    assert!(
        Config::read(r#"{"version": 2, "store": {"currency": "USD"}}"#)
            .config
            .is_none()
    );
    let p = problems(
        r#"{"version": 1, "store": {"currency": "USD", "bundle_discount_percent": 100, "free_shipping_threshold": -5}}"#,
    );
    assert_eq!(
        paths(&p, Severity::Error),
        [
            "store.bundle_discount_percent",
            "store.free_shipping_threshold"
        ]
    );
}

#[test]
fn rules_that_can_never_fire_are_errors() {
    let p = with_rules(
        r#"[
      {"kind": "cross_sell", "id": "r0", "suggest": {"products": ["a"]}, "conditions": {"placements": ["cart"], "viewing": {"products": ["b"]}}},
      {"kind": "cross_sell", "id": "r1", "suggest": {"products": ["a"]}, "conditions": {"basket_contains_all": {"products": ["b"]}, "basket_contains_none": {"products": ["b"]}}},
      {"kind": "cross_sell", "id": "r2", "suggest": {"products": ["a"]}, "conditions": {"dates": {"from": "2026-12-01", "until": "2026-11-01"}}},
      {"kind": "cross_sell", "id": "r3", "suggest": {"categories": ["lenses"]}},
      {"kind": "bought_together", "id": "r4", "antecedent": ["a"], "consequent": ["a"]},
      {"kind": "cross_sell", "id": "r5", "suggest": {"products": ["a"]}, "limit": 0},
      {"kind": "cross_sell", "id": "r6", "suggest": {"products": ["a"]}, "conditions": {"placements": ["sidebar"]}},
      {"kind": "cross_sell", "id": "r7", "suggest": {"products": ["a"]}, "conditions": {"dates": {"from": "next week"}}},
      {"kind": "threshold", "id": "r8", "conditions": {"placements": ["product"]}},
      {"kind": "add_on", "id": "r9", "trigger": {}, "add_ons": ["a"]},
      {"kind": "upgrade", "id": "r10", "from": ["a"], "to": "a"},
      {"kind": "bought_together", "id": "r11", "antecedent": ["a"], "consequent": ["b"], "confidence": 1.5}
    ]"#,
    );
    assert_eq!(
        paths(&p, Severity::Error),
        [
            "rules[0].conditions.viewing",
            "rules[1].conditions",
            "rules[2].conditions.dates",
            "rules[3].suggest.categories[0]",
            "rules[4].consequent",
            "rules[5].limit",
            "rules[6].conditions.placements[0]",
            "rules[7].conditions.dates.from",
            "rules[8]",
            "rules[8].conditions.placements",
            "rules[9].trigger",
            "rules[10].to",
            "rules[11].confidence",
        ]
    );
    assert_eq!(
        find(&p, "rules[3].suggest.categories[0]").message,
        "rule `r3` names category `lenses`, which no product has"
    );
}

#[test]
fn warnings_do_not_stop_a_config() {
    let config = Config::from_json(&BASE.replace(
        "RULES",
        r#"[{"kind": "upgrade", "id": "u", "from": ["b"], "to": "a", "compare": ["Zoom"]}]"#,
    ))
    .expect("warnings only");
    let warnings = paths(config.warnings(), Severity::Warning);
    assert_eq!(warnings, ["rules[0].to", "rules[0].compare[0]"]);
}

#[test]
fn a_problem_reads_like_a_compiler_message() {
    let p = with_rules(r#"[{"kind": "cross_sell", "id": "r", "suggest": {"products": ["zz"]}}]"#);
    assert_eq!(
        p[0].to_string(),
        "3:73: error in rules[0].suggest.products[0]: rule `r` names unknown product `zz`"
    );
}

#[test]
fn a_segment_name_with_a_space_is_a_warning_since_no_page_can_say_it() {
    let config = Config::from_json(&BASE.replace(
        "RULES",
        r#"[{"kind": "cross_sell", "id": "r", "conditions": {"segments": ["vip", "big spender"]}, "suggest": {"products": ["a"]}}]"#,
    ))
    .expect("warnings only");
    let warnings = config.warnings();
    assert_eq!(
        paths(warnings, Severity::Warning),
        ["rules[0].conditions.segments[1]"]
    );
    assert_eq!(
        warnings[0].message,
        "segment `big spender` has a space, and a page separates segment names by spaces, so no shopper is ever in it"
    );
    assert_eq!(
        config.rules()[0].conditions().segments(),
        ["vip", "big spender"]
    );
}

/// A bundle price the store does not grant is a warning, and the widget does not promise
/// it; a way of granting with no bundle price is a warning too.
#[test]
fn a_bundle_discount_nothing_grants_is_warned_and_not_promised() {
    let store = |fields: &str| {
        format!(
            r#"{{"version": 1, "store": {{"currency": "USD"{fields}}},
                "catalog": [{{"id": "a", "title": "A", "price": 10}}, {{"id": "b", "title": "B", "price": 5}}]}}"#
        )
    };
    let ungranted = Config::from_json(&store(r#", "bundle_discount_percent": 5"#)).unwrap();
    let warning = find(ungranted.warnings(), "store.bundle_discount_percent");
    assert_eq!(warning.severity, Severity::Warning);
    assert!(
        warning.message.contains("store.bundle_discount_code")
            && warning.message.contains("bundle_discount_automatic"),
        "{}",
        warning.message
    );
    assert_eq!(ungranted.store().bundle_discount_percent, None);
    assert_eq!(
        ungranted
            .bundle_price(
                &[
                    ungranted.product_idx("a").unwrap(),
                    ungranted.product_idx("b").unwrap()
                ],
                true,
                &cartlift_engine::live::NONE
            )
            .discounted,
        None
    );
    for grant in [
        r#", "bundle_discount_code": "BUNDLE5""#,
        r#", "bundle_discount_automatic": true"#,
    ] {
        let granted =
            Config::from_json(&store(&format!(r#", "bundle_discount_percent": 5{grant}"#)))
                .unwrap();
        assert!(granted.warnings().is_empty(), "{:#?}", granted.warnings());
        assert_eq!(granted.store().bundle_discount_percent, Some(5.0));
    }
    let code = Config::from_json(&store(r#", "bundle_discount_code": " BUNDLE5 ""#)).unwrap();
    assert_eq!(
        paths(code.warnings(), Severity::Warning),
        ["store.bundle_discount_code"]
    );
    assert_eq!(
        code.store().bundle_discount_code.as_deref(),
        Some("BUNDLE5")
    );
}
