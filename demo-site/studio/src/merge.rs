//! Changing the config text the way the studio's buttons do: adding mined rules (with
//! minimal catalog entries for items the catalog lacks) and removing a rule.
//!
//! Every change goes through the engine's [`RawConfig`] (parse, change, pretty-print), so
//! what comes out is always a config the engine can read; text that does not parse is left
//! alone and the caller is told why. Plain Rust, tested on the host.

use crate::mining::MinedRule;
use cartlift_engine::config::raw::{RawBoughtTogether, RawProduct, RawRule};
use cartlift_engine::{RawConfig, config::RuleSource};
use std::collections::{HashMap, HashSet};

/// The tag given to catalog entries the studio adds for mined items the catalog lacks;
/// the store fills in their price, URL and image (or maps the rule to its own ids).
pub const PLACEHOLDER_TAG: &str = "added-by-studio";

/// What [`add_rules`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Added {
    /// Ids of the rules added.
    pub rules: Vec<String>,
    /// Rules already in the config with the same antecedent and consequent.
    pub duplicates: usize,
    /// Ids of the catalog entries added for items the catalog lacked.
    pub placeholders: Vec<String>,
}

/// Pretty-prints a config, as `cartlift mine --into` writes it.
pub fn print(raw: &RawConfig) -> String {
    let mut text = serde_json::to_string_pretty(raw).unwrap_or_default();
    text.push('\n');
    text
}

/// Adds `rules` to the config `text` as mined `bought_together` rules.
///
/// Items map to products by id, then by title (when only one product has it); an item
/// matching neither gets a minimal catalog entry (id from its name, price 0, tagged
/// [`PLACEHOLDER_TAG`]) so the rule is valid and can be previewed at once.
pub fn add_rules(document: &RawConfig, rules: &[&MinedRule]) -> (String, Added) {
    let mut raw = document.clone();
    let mut added = Added::default();
    let mut by_title: HashMap<String, Option<String>> = HashMap::new();
    for p in &raw.catalog {
        by_title
            .entry(p.title.clone())
            .and_modify(|t| *t = None)
            .or_insert(Some(p.id.clone()));
    }
    let mut ids: HashSet<String> = raw.catalog.iter().map(|p| p.id.clone()).collect();
    let mut product_of: HashMap<String, String> = HashMap::new();
    let mut resolve = |raw: &mut RawConfig, name: &str, added: &mut Added| -> String {
        if let Some(id) = product_of.get(name) {
            return id.clone();
        }
        let id = if ids.contains(name) {
            name.to_owned()
        } else if let Some(Some(id)) = by_title.get(name) {
            id.clone()
        } else {
            let id = unique(slug(name), &ids);
            ids.insert(id.clone());
            raw.catalog.push(RawProduct {
                id: id.clone(),
                title: name.to_owned(),
                price: 0.0,
                tags: vec![PLACEHOLDER_TAG.to_owned()],
                // Spelled out: the derived default is false (serde's default is true).
                in_stock: true,
                ..Default::default()
            });
            added.placeholders.push(id.clone());
            id
        };
        product_of.insert(name.to_owned(), id.clone());
        id
    };
    let mut rule_ids: HashSet<String> = raw.rules.iter().map(|r| r.id().to_owned()).collect();
    let mut existing: HashSet<(Vec<String>, Vec<String>)> = raw
        .rules
        .iter()
        .filter_map(|r| match r {
            RawRule::BoughtTogether(b) => Some((b.antecedent.clone(), b.consequent.clone())),
            _ => None,
        })
        .collect();
    for rule in rules {
        let antecedent: Vec<String> = rule
            .antecedent
            .iter()
            .map(|n| resolve(&mut raw, n, &mut added))
            .collect();
        let consequent: Vec<String> = rule
            .consequent
            .iter()
            .map(|n| resolve(&mut raw, n, &mut added))
            .collect();
        if !existing.insert((antecedent.clone(), consequent.clone())) {
            added.duplicates += 1;
            continue;
        }
        let id = unique(
            format!("mined:{}->{}", antecedent.join("+"), consequent.join("+")),
            &rule_ids,
        );
        rule_ids.insert(id.clone());
        raw.rules.push(RawRule::BoughtTogether(RawBoughtTogether {
            id: id.clone(),
            antecedent,
            consequent,
            support: Some(round4(rule.support)),
            confidence: Some(round4(rule.confidence)),
            lift: Some(round4(rule.lift)),
            weight: rule.weight.map(round4),
            source: RuleSource::Mined,
            ..Default::default()
        }));
        added.rules.push(id);
    }
    (print(&raw), added)
}

/// Removes the rule at `index` (its position in `rules`).
pub fn remove_rule(document: &RawConfig, index: usize) -> Result<String, String> {
    let mut raw = document.clone();
    if index >= raw.rules.len() {
        return Err(format!("there is no rules[{index}]"));
    }
    raw.rules.remove(index);
    Ok(print(&raw))
}

/// A catalog id from an item name: lowercase letters and digits, `-` between words
/// (`"UHT-milk"` → `uht-milk`, `"whole milk"` → `whole-milk`).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "item".into() } else { out }
}

/// `base`, or `base-2`, `base-3`… whichever is not taken.
fn unique(base: String, taken: &HashSet<String>) -> String {
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|c| !taken.contains(c))
        .unwrap_or(base)
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartlift_engine::Config;

    fn parse(text: &str) -> RawConfig {
        let read = Config::read(text);
        assert!(read.is_whole(), "{:?}", read.problems);
        read.raw
    }

    const CONFIG: &str = r#"{
      "version": 1,
      "store": {"currency": "USD"},
      "catalog": [
        {"id": "cam", "title": "Dome camera", "price": 79},
        {"id": "cable", "title": "Cable", "price": 9}
      ],
      "rules": [{"kind": "bought_together", "id": "r1", "antecedent": ["cam"], "consequent": ["cable"]}]
    }"#;

    fn mined(a: &str, c: &str) -> MinedRule {
        MinedRule {
            antecedent: vec![a.into()],
            consequent: vec![c.into()],
            support: 0.012_345_6,
            confidence: 0.5,
            lift: 2.25,
            count: 3,
            weight: Some(0.123_456),
        }
    }

    #[test]
    fn maps_items_by_id_then_title_and_adds_placeholders_for_the_rest() {
        let rules = [
            mined("Dome camera", "whole milk"),
            mined("cable", "cam"),
            mined("cam", "cable"),
        ];
        let refs: Vec<&MinedRule> = rules.iter().collect();
        let (text, added) = add_rules(&parse(CONFIG), &refs);
        assert_eq!(added.rules, ["mined:cam->whole-milk", "mined:cable->cam"]);
        assert_eq!(added.duplicates, 1, "cam → cable was there as r1");
        assert_eq!(added.placeholders, ["whole-milk"]);
        let config = Config::from_json(&text).expect("the result is valid");
        let milk = config.product(config.product_idx("whole-milk").unwrap());
        assert_eq!(milk.title, "whole milk");
        assert_eq!(milk.tags, [PLACEHOLDER_TAG]);
        let raw = parse(&text);
        let RawRule::BoughtTogether(r) = &raw.rules[1] else {
            panic!("{:?}", raw.rules[1])
        };
        assert_eq!(r.support, Some(0.0123));
        assert_eq!(r.weight, Some(0.1235), "the ranking weight is kept");
        assert_eq!(r.source, RuleSource::Mined);
    }

    #[test]
    fn adding_twice_gives_distinct_ids() {
        let (text, _) = add_rules(&parse(CONFIG), &[&mined("cam", "milk")]);
        let raw = parse(&text);
        let mut clash = raw.clone();
        if let RawRule::BoughtTogether(b) = &mut clash.rules[1] {
            b.antecedent = vec!["cable".into()];
        }
        let (text, added) = add_rules(&clash, &[&mined("cam", "milk")]);
        assert_eq!(added.rules, ["mined:cam->milk-2"]);
        assert!(Config::from_json(&text).is_ok());
    }

    #[test]
    fn removes_a_rule_that_is_there() {
        let text = remove_rule(&parse(CONFIG), 0).unwrap();
        assert!(parse(&text).rules.is_empty());
        assert!(remove_rule(&parse(CONFIG), 5).is_err());
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("whole milk"), "whole-milk");
        assert_eq!(slug("UHT-milk"), "uht-milk");
        assert_eq!(slug("  ham / sausage "), "ham-sausage");
        assert_eq!(slug("!!"), "item");
    }
}
