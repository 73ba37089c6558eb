//! `--into CONFIG`: mined or imported rules merged into a store's config.
//!
//! The config's `source: mined` rules are replaced by the new ones; hand-written rules,
//! the catalog and the settings are kept. Items are matched to catalog products by id,
//! else by a SKU or variant id of one product (order exports name line items by SKU, and
//! `cartlift catalog` keeps every SKU a product has), else by an unambiguous title
//! (WooCommerce's Analytics export names products, not SKUs). Rules with an item outside the catalog are skipped and counted, never dropped
//! silently. The result must pass `Config::build` before it replaces the file, atomically.

use super::{MinedRule, RuleIds, thousands};
use crate::write;
use anyhow::{Context, Result};
use cartlift_engine::Config;
use cartlift_engine::config::RuleSource;
use cartlift_engine::config::raw::{RawBoughtTogether, RawRanking, RawRule};
use cartlift_engine::mining::{Item, Transactions};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::ExitCode;

/// What the merge did.
pub struct Report {
    pub written: usize,
    pub replaced: usize,
    pub kept: usize,
    /// Rules skipped because an item is not in the catalog.
    pub skipped: usize,
    /// A few of the items not found, for the summary.
    pub missing: Vec<String>,
    /// Rules skipped because two items map to the same product.
    pub collapsed: usize,
    /// Items matched by a SKU or variant id rather than the product id.
    pub by_sku: usize,
    /// Items matched by title rather than id.
    pub by_title: usize,
}

/// Merges `rules` (items named by `tx`) into the config at `config` and writes it to
/// `target`. `Ok(Err(code))`: the config is invalid (reported).
pub fn merge<R: MinedRule>(
    config: &Path,
    target: &Path,
    rules: impl IntoIterator<Item = R>,
    tx: &Transactions,
    ranking: Option<RawRanking>,
) -> Result<std::result::Result<Report, ExitCode>> {
    let shown = config.display();
    let mut raw =
        match crate::config_file::load_valid(config, "fix them before merging rules into it")? {
            Ok(valid) => valid.raw,
            Err(code) => return Ok(Err(code)),
        };

    // Item → product id.
    let ids: HashMap<&str, &str> = raw
        .catalog
        .iter()
        .map(|p| (p.id.as_str(), p.id.as_str()))
        .collect();
    // SKU or variant id → product; `None` when two products have it (ambiguous).
    let mut skus: HashMap<&str, Option<&str>> = HashMap::new();
    for p in &raw.catalog {
        let own = p.sku.iter();
        let variants = p.variants.iter().flat_map(|v| v.sku.iter().chain([&v.id]));
        for sku in own.chain(variants) {
            skus.entry(sku.as_str())
                .and_modify(|t| {
                    if *t != Some(p.id.as_str()) {
                        *t = None;
                    }
                })
                .or_insert(Some(p.id.as_str()));
        }
    }
    let mut titles: HashMap<&str, Option<&str>> = HashMap::new();
    for p in &raw.catalog {
        titles
            .entry(p.title.as_str())
            .and_modify(|t| *t = None) // two products share the title: ambiguous
            .or_insert(Some(p.id.as_str()));
    }
    let (mut by_sku, mut by_title) = (0, 0);
    let product: Vec<Option<String>> = tx
        .items()
        .map(|i| {
            let name = tx.name(i);
            ids.get(name)
                .map(|s| s.to_string())
                .or_else(|| {
                    let id = skus.get(name).copied().flatten().map(str::to_string);
                    by_sku += usize::from(id.is_some());
                    id
                })
                .or_else(|| {
                    let id = titles.get(name).copied().flatten().map(str::to_string);
                    by_title += usize::from(id.is_some());
                    id
                })
        })
        .collect();
    let lookup = |items: &[Item]| -> Option<Vec<String>> {
        items.iter().map(|i| product[i.index()].clone()).collect()
    };

    let before = raw.rules.len();
    raw.rules
        .retain(|r| !matches!(r, RawRule::BoughtTogether(b) if b.source == RuleSource::Mined));
    let kept = raw.rules.len();
    let mut ids = RuleIds::new(tx, raw.rules.iter().map(RawRule::id));
    let mut report = Report {
        written: 0,
        replaced: before - kept,
        kept,
        skipped: 0,
        missing: Vec::new(),
        collapsed: 0,
        by_sku,
        by_title,
    };
    let mut missing = BTreeSet::new();
    for rule in rules {
        let (Some(antecedent), Some(consequent)) =
            (lookup(rule.antecedent()), lookup(rule.consequent()))
        else {
            report.skipped += 1;
            for &i in rule.antecedent().iter().chain(rule.consequent()) {
                if product[i.index()].is_none() && missing.len() < 5 {
                    missing.insert(tx.name(i).to_string());
                }
            }
            continue;
        };
        let distinct: BTreeSet<&String> = antecedent.iter().chain(&consequent).collect();
        if distinct.len() < antecedent.len() + consequent.len() {
            report.collapsed += 1;
            continue;
        }
        raw.rules.push(RawRule::BoughtTogether(RawBoughtTogether {
            id: ids.id(&rule, tx),
            antecedent,
            consequent,
            support: rule.support(),
            confidence: Some(rule.confidence()),
            lift: Some(rule.lift()),
            weight: rule.weight(),
            priority: 0,
            source: RuleSource::Mined,
            ..Default::default()
        }));
        report.written += 1;
    }
    report.missing = missing.into_iter().map(|m| format!("{m:?}")).collect();
    if let Some(r) = ranking {
        // The mined rules' ranking replaces the old one's (the summed weights: none).
        raw.store.ranking = (r != RawRanking::default()).then_some(r);
    }

    if let Err(e) = Config::build(&raw) {
        for p in &e.problems {
            eprintln!("cartlift: error: merged config: {p}");
        }
        eprintln!("cartlift: error: the merged config is invalid; {shown} was not changed");
        return Ok(Err(ExitCode::from(1)));
    }
    let mut json = serde_json::to_vec_pretty(&raw).context("serializing the config")?;
    json.push(b'\n');
    write::atomically(target, &json).with_context(|| format!("writing {}", target.display()))?;
    Ok(Ok(report))
}

impl Report {
    /// The summary line's part about the merge.
    pub fn text(&self, config: &Path) -> String {
        let mut s = format!(
            "into {}: {} mined rules written, {} old mined rules replaced, {} other rules kept; {} rule(s) skipped: items not in the catalog",
            config.display(),
            thousands(self.written as u64),
            thousands(self.replaced as u64),
            thousands(self.kept as u64),
            thousands(self.skipped as u64),
        );
        if !self.missing.is_empty() {
            s += &format!(" (e.g. {})", self.missing.join(", "));
        }
        if self.collapsed > 0 {
            s += &format!(
                "; {} rule(s) skipped: two of their items are the same catalog product",
                thousands(self.collapsed as u64)
            );
        }
        if self.by_sku > 0 {
            s += &format!("; {} item(s) matched by SKU", self.by_sku);
        }
        if self.by_title > 0 {
            s += &format!("; {} item(s) matched by product title", self.by_title);
        }
        s
    }

    /// The same as a JSON object, for `--summary-json`.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "written": self.written, "replaced": self.replaced, "kept": self.kept,
            "skipped": self.skipped, "collapsed": self.collapsed, "by_sku": self.by_sku,
            "by_title": self.by_title,
        })
    }
}
