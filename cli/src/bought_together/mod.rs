//! `bought_together` rules on their way into a config, whoever mined them: `cartlift mine`
//! (the engine's FP-growth) and `cartlift import` (Apache Spark's FPGrowth) both hand their
//! rules here, so ids, number formatting, the standalone rules file and the `--into` merge
//! are one code path and cannot drift apart.
//!
//! A rule names its items by dense [`Item`] ids of a [`Transactions`]; for imported rules
//! that collection holds only the interned names (no baskets), which is all this module
//! reads from it.

pub mod file;
pub mod into;
pub mod json;

use cartlift_engine::mining::{Item, Rule, Transactions};
use std::collections::HashSet;
use std::io::{self, Write};

/// What a config's `bought_together` rule records of a mined rule.
pub trait MinedRule {
    /// The items that make the rule fire, sorted by name.
    fn antecedent(&self) -> &[Item];
    /// The items suggested, sorted by name.
    fn consequent(&self) -> &[Item];
    /// Share of all orders with antecedent and consequent; `None` if the miner did not
    /// say (Spark before 3.0 wrote no support column).
    fn support(&self) -> Option<f64>;
    /// Share of orders with the antecedent that also hold the consequent.
    fn confidence(&self) -> f64;
    /// Confidence over the consequent's support.
    fn lift(&self) -> f64;
    /// The ranking weight, when the miner fitted one (`cartlift mine` does for every
    /// rule; Spark's rules have none).
    fn weight(&self) -> Option<f64> {
        None
    }
}

impl MinedRule for Rule<'_> {
    fn antecedent(&self) -> &[Item] {
        Rule::antecedent(self)
    }
    fn consequent(&self) -> &[Item] {
        Rule::consequent(self)
    }
    fn support(&self) -> Option<f64> {
        Some(Rule::support(self))
    }
    fn confidence(&self) -> f64 {
        Rule::confidence(self)
    }
    fn lift(&self) -> f64 {
        Rule::lift(self)
    }
    fn weight(&self) -> Option<f64> {
        Rule::weight(self)
    }
}

impl<R: MinedRule + ?Sized> MinedRule for &R {
    fn antecedent(&self) -> &[Item] {
        (**self).antecedent()
    }
    fn consequent(&self) -> &[Item] {
        (**self).consequent()
    }
    fn support(&self) -> Option<f64> {
        (**self).support()
    }
    fn confidence(&self) -> f64 {
        (**self).confidence()
    }
    fn lift(&self) -> f64 {
        (**self).lift()
    }
    fn weight(&self) -> Option<f64> {
        (**self).weight()
    }
}

/// Rule ids: `mined:` antecedent names joined by `+`, `->`, consequent names. Unique by
/// construction unless a name contains `+` or `->`; then collisions get `#2`, `#3`, …
pub struct RuleIds {
    seen: Option<HashSet<String>>,
}

impl RuleIds {
    /// Ids for rules over `names`' items, distinct from `taken`.
    pub fn new<'a>(names: &Transactions, taken: impl IntoIterator<Item = &'a str>) -> RuleIds {
        let ambiguous = names.items().any(|i| {
            let n = names.name(i);
            n.contains('+') || n.contains("->")
        });
        let taken: HashSet<String> = taken.into_iter().map(str::to_string).collect();
        RuleIds {
            seen: (ambiguous || taken.iter().any(|id| id.starts_with("mined:"))).then_some(taken),
        }
    }

    /// The next rule's id.
    pub fn id(&mut self, rule: &impl MinedRule, names: &Transactions) -> String {
        let mut id = String::from("mined:");
        for (k, &i) in rule.antecedent().iter().enumerate() {
            if k > 0 {
                id.push('+');
            }
            id.push_str(names.name(i));
        }
        id.push_str("->");
        for (k, &i) in rule.consequent().iter().enumerate() {
            if k > 0 {
                id.push('+');
            }
            id.push_str(names.name(i));
        }
        if let Some(seen) = &mut self.seen {
            if seen.contains(&id) {
                let base = id.clone();
                let mut n = 2;
                while seen.contains(&id) {
                    id = format!("{base}#{n}");
                    n += 1;
                }
            }
            seen.insert(id.clone());
        }
        id
    }

    /// Writes the id as a JSON string; without building it when ids cannot collide.
    fn write_json(
        &mut self,
        out: &mut dyn Write,
        rule: &impl MinedRule,
        names: &Transactions,
    ) -> io::Result<()> {
        if self.seen.is_some() {
            return json::string(out, &self.id(rule, names));
        }
        out.write_all(b"\"mined:")?;
        for (k, &i) in rule.antecedent().iter().enumerate() {
            if k > 0 {
                out.write_all(b"+")?;
            }
            json::inner(out, names.name(i))?;
        }
        out.write_all(b"->")?;
        for (k, &i) in rule.consequent().iter().enumerate() {
            if k > 0 {
                out.write_all(b"+")?;
            }
            json::inner(out, names.name(i))?;
        }
        out.write_all(b"\"")
    }
}

/// `1234567` as `1,234,567`, for summaries.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
