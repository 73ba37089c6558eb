//! Validation and indexing: [`RawConfig`] → [`Config`], collecting every problem.

use super::raw::{CONFIG_VERSION, RawBoughtTogether, RawConfig, RawProduct, RawRule};
use super::{
    BoughtTogether, Config, Measures, Product, ProductIdx, Rule, RuleIdx, RuleKind, Store,
};
use crate::copy::{CopyKey, CopyTexts};
use crate::money::{Currency, Money};
use crate::url::check_url;
use std::collections::HashMap;
use std::fmt;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The config works, but probably not as intended.
    Warning,
    /// The config cannot be used.
    Error,
}

/// One problem in a config, located by its JSON path (`rules[3].consequent[0]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// JSON path of the offending value; empty for the whole document.
    pub path: String,
    /// What is wrong, naming the id at fault.
    pub message: String,
    /// 1-based line and column in the source text, when known.
    pub location: Option<(usize, usize)>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}")?;
        if let Some((line, column)) = self.location {
            write!(f, " at {line}:{column}")?;
        }
        if !self.path.is_empty() {
            write!(f, " in {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A config that cannot be used, with every problem found (errors and warnings).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    /// All problems, errors first, then in document order.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count();
        write!(f, "invalid cartlift config ({errors} error(s))")?;
        for problem in &self.problems {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

impl ConfigError {
    /// A JSON syntax or type error: serde stops at the first one and knows its position.
    pub(crate) fn from_json(err: serde_json::Error) -> ConfigError {
        let location = (err.line() > 0).then(|| (err.line(), err.column()));
        // serde_json appends " at line L column C"; the location is kept separately.
        let mut message = err.to_string();
        if let Some(cut) = message.rfind(" at line ") {
            message.truncate(cut);
        }
        ConfigError {
            problems: vec![Problem {
                severity: Severity::Error,
                path: String::new(),
                message,
                location,
            }],
        }
    }
}

/// Collects problems while building.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Error, path.into(), message.into());
    }

    fn warning(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Warning, path.into(), message.into());
    }

    fn push(&mut self, severity: Severity, path: String, message: String) {
        self.0.push(Problem {
            severity,
            path,
            message,
            location: None,
        });
    }

    fn has_errors(&self) -> bool {
        self.0.iter().any(|p| p.severity == Severity::Error)
    }
}

pub(super) fn build(raw: &RawConfig) -> Result<Config, ConfigError> {
    let mut problems = Problems::default();
    if raw.version != CONFIG_VERSION {
        problems.error(
            "version",
            format!(
                "unsupported config version {}; this engine reads version {CONFIG_VERSION}",
                raw.version
            ),
        );
    }
    let store = build_store(raw, &mut problems);
    let currency = store.currency;
    let (products, by_id) = build_catalog(&raw.catalog, currency, &mut problems);
    let rules = build_rules(&raw.rules, &by_id, &mut problems);

    let mut anchored = vec![Vec::new(); products.len()];
    for (i, rule) in rules.iter().enumerate() {
        let RuleKind::BoughtTogether(bt) = &rule.kind;
        if let Some(anchor) = bt.antecedent.first() {
            anchored[anchor.get()].push(RuleIdx(i as u32));
        }
        if bt.consequent.iter().all(|c| !products[c.get()].in_stock) {
            problems.warning(
                format!("rules[{i}]"),
                format!(
                    "rule `{}` only suggests out-of-stock products, so it never shows anything",
                    rule.id
                ),
            );
        }
    }

    if problems.has_errors() {
        let mut all = problems.0;
        all.sort_by_key(|p| std::cmp::Reverse(p.severity));
        return Err(ConfigError { problems: all });
    }
    Ok(Config {
        store,
        products,
        rules,
        by_id,
        anchored,
        warnings: problems.0,
    })
}

fn build_store(raw: &RawConfig, problems: &mut Problems) -> Store {
    let currency = Currency::parse(&raw.store.currency).unwrap_or_else(|| {
        problems.error(
            "store.currency",
            format!(
                "`{}` is not a three-letter ISO 4217 currency code such as USD",
                raw.store.currency
            ),
        );
        Currency::parse("USD").expect("USD is a currency code")
    });
    if raw.store.locale.trim().is_empty() {
        problems.error(
            "store.locale",
            "locale is empty; use a BCP 47 tag such as en-US",
        );
    }
    let mut copy = CopyTexts::default();
    for (key, text) in &raw.store.copy {
        match CopyKey::from_name(key) {
            Some(k) => copy.set(k, text),
            None => problems.error(
                format!("store.copy.{key}"),
                format!(
                    "unknown copy key `{key}`; known keys: {}",
                    CopyKey::ALL.map(CopyKey::name).join(", ")
                ),
            ),
        }
    }
    Store {
        name: raw.store.name.clone(),
        currency,
        locale: raw.store.locale.clone(),
        max_items: raw.store.max_items,
        copy,
    }
}

fn build_catalog(
    raw: &[RawProduct],
    currency: Currency,
    problems: &mut Problems,
) -> (Vec<Product>, HashMap<String, ProductIdx>) {
    let mut by_id = HashMap::with_capacity(raw.len());
    let mut products = Vec::with_capacity(raw.len());
    for (i, p) in raw.iter().enumerate() {
        let path = format!("catalog[{i}]");
        if p.id.trim().is_empty() {
            problems.error(format!("{path}.id"), "product id is empty");
        } else if let Some(first) = by_id.get(&p.id) {
            let ProductIdx(first) = first;
            problems.error(
                format!("{path}.id"),
                format!(
                    "duplicate product id `{}` (first at catalog[{first}])",
                    p.id
                ),
            );
        } else {
            by_id.insert(p.id.clone(), ProductIdx(products.len() as u32));
        }
        if p.title.trim().is_empty() {
            problems.error(
                format!("{path}.title"),
                format!("product `{}` has an empty title", p.id),
            );
        }
        let price = currency.to_minor(p.price).unwrap_or_else(|e| {
            problems.error(format!("{path}.price"), format!("price of `{}` {e}", p.id));
            Money::ZERO
        });
        let compare_at_price =
            p.compare_at_price
                .and_then(|amount| match currency.to_minor(amount) {
                    Ok(was) if was > price => Some(was),
                    Ok(_) => None,
                    Err(e) => {
                        problems.error(
                            format!("{path}.compare_at_price"),
                            format!("compare-at price of `{}` {e}", p.id),
                        );
                        None
                    }
                });
        for (field, value) in [("url", &p.url), ("image", &p.image)] {
            if let Some(url) = value
                && let Err(e) = check_url(url)
            {
                problems.error(
                    format!("{path}.{field}"),
                    format!("{field} of `{}` {e}", p.id),
                );
            }
        }
        // Keep a slot for a duplicate so indexes stay aligned; the config fails anyway.
        if by_id.get(&p.id) == Some(&ProductIdx(products.len() as u32)) {
            products.push(Product {
                id: p.id.clone(),
                title: p.title.clone(),
                price,
                compare_at_price,
                url: p.url.clone(),
                image: p.image.clone(),
                category: p.category.clone(),
                tags: p.tags.clone(),
                vendor: p.vendor.clone(),
                in_stock: p.in_stock,
                attributes: p
                    .attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            });
        }
    }
    (products, by_id)
}

fn build_rules(
    raw: &[RawRule],
    by_id: &HashMap<String, ProductIdx>,
    problems: &mut Problems,
) -> Vec<Rule> {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(raw.len());
    let mut rules = Vec::with_capacity(raw.len());
    for (i, rule) in raw.iter().enumerate() {
        let path = format!("rules[{i}]");
        let RawRule::BoughtTogether(bt) = rule;
        if bt.id.trim().is_empty() {
            problems.error(format!("{path}.id"), "rule id is empty");
        } else if let Some(first) = seen.insert(&bt.id, i) {
            problems.error(
                format!("{path}.id"),
                format!("duplicate rule id `{}` (first at rules[{first}])", bt.id),
            );
        }
        if let Some(kind) = build_bought_together(bt, &path, by_id, problems) {
            rules.push(Rule {
                id: bt.id.clone(),
                priority: bt.priority,
                kind,
            });
        }
    }
    rules
}

fn build_bought_together(
    bt: &RawBoughtTogether,
    path: &str,
    by_id: &HashMap<String, ProductIdx>,
    problems: &mut Problems,
) -> Option<RuleKind> {
    let mut resolve = |field: &str, ids: &[String]| -> Vec<ProductIdx> {
        if ids.is_empty() {
            problems.error(
                format!("{path}.{field}"),
                format!("rule `{}` has an empty {field}", bt.id),
            );
        }
        ids.iter()
            .enumerate()
            .filter_map(|(j, id)| {
                let idx = by_id.get(id).copied();
                if idx.is_none() {
                    problems.error(
                        format!("{path}.{field}[{j}]"),
                        format!("rule `{}` names unknown product `{id}`", bt.id),
                    );
                }
                idx
            })
            .collect()
    };
    let antecedent = resolve("antecedent", &bt.antecedent);
    let consequent = resolve("consequent", &bt.consequent);
    if antecedent.iter().any(|a| consequent.contains(a)) {
        problems.error(
            path.to_owned(),
            format!(
                "rule `{}` suggests a product that is in its own antecedent",
                bt.id
            ),
        );
    }
    for (field, value, max) in [
        ("support", bt.support, Some(1.0)),
        ("confidence", bt.confidence, Some(1.0)),
        ("lift", bt.lift, None),
    ] {
        if let Some(v) = value {
            let in_range = v.is_finite() && v >= 0.0 && max.is_none_or(|m| v <= m);
            if !in_range {
                let range = if max.is_some() {
                    "between 0 and 1"
                } else {
                    "a finite number ≥ 0"
                };
                problems.error(
                    format!("{path}.{field}"),
                    format!("{field} of rule `{}` is {v}; it must be {range}", bt.id),
                );
            }
        }
    }
    let resolved =
        antecedent.len() == bt.antecedent.len() && consequent.len() == bt.consequent.len();
    resolved.then_some(RuleKind::BoughtTogether(BoughtTogether {
        antecedent,
        consequent,
        measures: Measures {
            support: bt.support,
            confidence: bt.confidence,
            lift: bt.lift,
        },
    }))
}
