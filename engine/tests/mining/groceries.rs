//! groceries.csv (9,835 real baskets) at minimum support 0.001: the reference figures
//! that Borgelt's pyfim, mlxtend and efficient-apriori agree on.

use cartlift_engine::mining::{FpGrowth, Itemsets, RuleGen, Transactions};
use cartlift_engine::orders::{Format, OrderReader};
use std::sync::OnceLock;

fn groceries() -> &'static (Transactions, Itemsets) {
    static DATA: OnceLock<(Transactions, Itemsets)> = OnceLock::new();
    DATA.get_or_init(|| {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/data/groceries.csv"
        ))
        .expect("tests/data/groceries.csv");
        let mut reader = OrderReader::new(Format::Baskets).strict(true);
        // Odd chunk sizes: lines and fields are split anywhere.
        for chunk in bytes.chunks(4093) {
            reader.push(chunk).expect("groceries.csv is well formed");
        }
        let read = reader.finish().expect("well formed");
        let itemsets = FpGrowth::new(0.001)
            .expect("a valid support")
            .mine(&read.transactions)
            .expect("mines");
        (read.transactions, itemsets)
    })
}

#[test]
fn itemsets_match_the_reference_counts() {
    let (tx, itemsets) = groceries();
    assert_eq!(tx.len(), 9835);
    assert_eq!(tx.item_count(), 169);
    assert_eq!(itemsets.min_count(), 10);
    assert_eq!(itemsets.len(), 13_492);
    assert_eq!(itemsets.max_len(), 6);
}

#[test]
fn rules_match_the_reference_counts() {
    let (tx, itemsets) = groceries();
    let rules = RuleGen::new().min_confidence(0.1).generate(itemsets, tx);
    assert_eq!(rules.len(), 32_783);
    let any_length = RuleGen::new()
        .min_confidence(0.1)
        .max_consequent_len(usize::MAX)
        .generate(itemsets, tx);
    assert_eq!(any_length.len(), 43_770);
}

#[test]
fn specific_itemsets_and_rules_have_the_reference_values() {
    let (tx, itemsets) = groceries();
    let item = |name: &str| tx.item(name).expect(name);
    assert_eq!(itemsets.count_of(&[item("whole milk")]), Some(2513));
    assert_eq!(
        itemsets.count_of(&[item("whole milk"), item("other vegetables")]),
        Some(736)
    );
    // One of the ten longest itemsets (6 items), in 14 baskets.
    let six = [
        "citrus fruit",
        "other vegetables",
        "root vegetables",
        "tropical fruit",
        "whole milk",
        "yogurt",
    ]
    .map(item);
    assert_eq!(itemsets.count_of(&six), Some(14));
    assert_eq!(
        itemsets.count_of(&[item("baby food"), item("whole milk")]),
        None
    );
    let longest: Vec<_> = itemsets.iter().filter(|s| s.len() == 6).collect();
    assert_eq!(longest.len(), 10);

    let rules = RuleGen::new().min_confidence(0.1).generate(itemsets, tx);
    let find = |antecedent: &[&str], consequent: &str| {
        rules
            .iter()
            .find(|r| {
                tx.names(r.antecedent()) == antecedent && tx.names(r.consequent()) == [consequent]
            })
            .expect("the rule is there")
    };
    let r = find(&["butter", "yogurt"], "whole milk");
    assert_eq!(
        (r.count(), r.antecedent_count(), r.consequent_count()),
        (92, 144, 2513)
    );
    assert!((r.confidence() - 0.6388888888888888).abs() < 1e-12);
    assert!((r.lift() - 2.5003868771278244).abs() < 1e-9);
    assert!((r.support() - 92.0 / 9835.0).abs() < 1e-15);
    let leverage = 92.0 / 9835.0 - (144.0 / 9835.0) * (2513.0 / 9835.0);
    assert!((r.leverage() - leverage).abs() < 1e-15);
    let conviction = (1.0 - 2513.0 / 9835.0) / (1.0 - 92.0 / 144.0);
    assert!((r.conviction() - conviction).abs() < 1e-12);

    // The strongest rule by lift, as pyfim reports it.
    let best = rules
        .iter()
        .max_by(|a, b| a.lift().total_cmp(&b.lift()))
        .expect("rules");
    assert_eq!(
        tx.names(best.antecedent()),
        ["bottled beer", "red/blush wine"]
    );
    assert_eq!(tx.names(best.consequent()), ["liquor"]);
    assert_eq!(
        (
            best.count(),
            best.antecedent_count(),
            best.consequent_count()
        ),
        (19, 48, 109)
    );
    assert!((best.lift() - 35.7157874617737).abs() < 1e-9);

    // Rules are grouped by antecedent (names in order), best first within a group.
    let first: Vec<_> = rules.iter().take(2).collect();
    assert_eq!(tx.names(first[0].antecedent()), ["Instant food products"]);
    assert_eq!(tx.names(first[0].consequent()), ["hamburger meat"]);
    assert!(first[0].confidence() >= first[1].confidence());
}

#[test]
fn top_and_lift_filters_shrink_the_rule_set_as_the_widget_needs() {
    let (tx, itemsets) = groceries();
    let rules = RuleGen::new()
        .min_confidence(0.1)
        .min_lift(1.0)
        .top_per_antecedent(3)
        .generate(itemsets, tx);
    let mut per_antecedent = std::collections::BTreeMap::new();
    for r in rules.iter() {
        assert!(r.lift() >= 1.0 && r.confidence() >= 0.1);
        *per_antecedent.entry(tx.names(r.antecedent())).or_insert(0) += 1;
    }
    assert!(per_antecedent.values().all(|&n| n <= 3));
    let top_milk = rules
        .iter()
        .find(|r| tx.names(r.antecedent()) == ["butter", "yogurt"])
        .expect("a rule for butter + yogurt");
    assert_eq!(tx.names(top_milk.consequent()), ["whole milk"]);
}

#[test]
fn max_len_caps_itemsets() {
    let (tx, _) = groceries();
    let pairs = FpGrowth::new(0.001)
        .expect("valid")
        .max_len(2)
        .mine(tx)
        .expect("mines");
    assert_eq!(pairs.max_len(), 2);
    let singles = pairs.iter().filter(|s| s.len() == 1).count();
    assert_eq!(singles, 157); // items in at least 10 baskets
    assert_eq!(pairs.len(), 3138); // as pyfim with zmax=2
}
