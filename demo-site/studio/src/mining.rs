//! Mining an order file into rules the studio can show, sort and add: the same engine
//! path as `cartlift mine` (incremental [`OrderReader`], [`FpGrowth`], [`RuleGen`]), fed in
//! chunks so the Web Worker can report progress between them.
//!
//! This module is plain Rust (no DOM, no JS): the worker entry in `exports` calls
//! [`mine`] with a progress callback, and the page receives a [`Mined`] as JSON.

use cartlift_engine::mining::{FpGrowth, Ridge, RuleGen};
use cartlift_engine::orders::{Format, OrderReader};
use cartlift_engine::quality::tune_ridge;
use serde::{Deserialize, Serialize};

/// What to mine with; the page sends it to the worker as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MineSettings {
    /// `auto`, `baskets`, `shopify` or `woocommerce`.
    pub format: String,
    /// Minimum support (share of orders).
    pub min_support: f64,
    /// Minimum confidence.
    pub min_confidence: f64,
    /// Minimum lift.
    pub min_lift: f64,
}

impl Default for MineSettings {
    /// The CLI's defaults.
    fn default() -> Self {
        MineSettings {
            format: "auto".into(),
            min_support: 0.01,
            min_confidence: 0.1,
            min_lift: 1.0,
        }
    }
}

/// One mined rule, by item names as the file wrote them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MinedRule {
    /// Items that must be present.
    pub antecedent: Vec<String>,
    /// Items suggested.
    pub consequent: Vec<String>,
    /// Share of orders with all of them.
    pub support: f64,
    /// P(consequent | antecedent).
    pub confidence: f64,
    /// Confidence over the consequent's base rate.
    pub lift: f64,
    /// Orders with all of them.
    pub count: u32,
    /// The ranking weight the ridge fit gave the rule (as `cartlift mine` writes it).
    #[serde(default)]
    pub weight: Option<f64>,
}

impl MinedRule {
    /// `a + b → c`, for tables and tooltips.
    pub fn label(&self) -> String {
        format!(
            "{} → {}",
            self.antecedent.join(" + "),
            self.consequent.join(" + ")
        )
    }
}

/// The result of a run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Mined {
    /// Orders read.
    pub orders: u64,
    /// Distinct items.
    pub items: usize,
    /// The format detected.
    pub format: String,
    /// Rows skipped as malformed.
    pub skipped_rows: u64,
    /// The first few problems with the file, `line N: …`.
    pub problems: Vec<String>,
    /// Frequent itemsets found.
    pub itemsets: usize,
    /// The rules, strongest (confidence, then lift) first.
    pub rules: Vec<MinedRule>,
}

/// Where a run is, for the progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Reading bytes: `done` of `total`.
    Reading,
    /// Finding frequent itemsets.
    Mining,
    /// Deriving rules.
    Rules,
}

impl Phase {
    /// The name the page shows.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Reading => "reading",
            Phase::Mining => "finding frequent itemsets",
            Phase::Rules => "deriving rules",
        }
    }
}

/// Bytes per chunk fed to the reader; progress is reported after each.
pub const CHUNK: usize = 128 * 1024;

/// At most this many rules are returned (the strongest): enough for any table or plot,
/// and a posted message stays small.
pub const MAX_RULES: usize = 5_000;

/// Mines `bytes`, calling `progress(phase, done, total)` along the way.
pub fn mine(
    bytes: &[u8],
    settings: &MineSettings,
    mut progress: impl FnMut(Phase, u64, u64),
) -> Result<Mined, String> {
    let format = match settings.format.as_str() {
        "auto" => Format::Auto,
        "baskets" => Format::Baskets,
        "shopify" => Format::Shopify,
        "woocommerce" => Format::WooCommerce,
        other => return Err(format!("unknown format `{other}`")),
    };
    if !(settings.min_support > 0.0 && settings.min_support <= 1.0) {
        return Err(format!(
            "minimum support {} is not in (0, 1]",
            settings.min_support
        ));
    }
    let total = bytes.len() as u64;
    let mut reader = OrderReader::new(format);
    let mut problems = Vec::new();
    for (i, chunk) in bytes.chunks(CHUNK).enumerate() {
        reader.push(chunk).map_err(|e| e.to_string())?;
        problems.extend(reader.take_problems());
        progress(
            Phase::Reading,
            ((i + 1) * CHUNK).min(bytes.len()) as u64,
            total,
        );
    }
    // A file without one readable order is the reader's error, with its first reasons.
    let read = reader.finish().map_err(|e| e.to_string())?;
    problems.extend(read.problems.iter().cloned());
    let tx = &read.transactions;

    progress(Phase::Mining, 0, 1);
    let miner = FpGrowth::new(settings.min_support)
        .map_err(|e| e.to_string())?
        .max_itemsets(2_000_000);
    let itemsets = miner.mine(tx).map_err(|e| e.to_string())?;
    progress(Phase::Rules, 0, 1);
    // The weights' penalty is chosen on held-out orders, as `cartlift mine --ridge auto`.
    let ridge = tune_ridge(tx, &miner, Ridge::DEFAULT)
        .map_err(|e| e.to_string())?
        .ridge;
    let rules = RuleGen::new()
        .weights(Some(ridge))
        .min_confidence(settings.min_confidence)
        .min_lift(settings.min_lift)
        .generate(&itemsets, tx);
    let names = |items: &[cartlift_engine::mining::Item]| -> Vec<String> {
        tx.names(items).into_iter().map(str::to_owned).collect()
    };
    let mined = rules
        .iter()
        .take(MAX_RULES)
        .map(|r| MinedRule {
            antecedent: names(r.antecedent()),
            consequent: names(r.consequent()),
            support: r.support(),
            confidence: r.confidence(),
            lift: r.lift(),
            count: r.count(),
            weight: r.weight(),
        })
        .collect();
    progress(Phase::Rules, 1, 1);
    Ok(Mined {
        orders: tx.len(),
        items: tx.item_count(),
        format: format_name(&read.format).into(),
        skipped_rows: read.stats.skipped_rows,
        problems: problems.iter().take(5).map(|p| p.to_string()).collect(),
        itemsets: itemsets.len(),
        rules: mined,
    })
}

fn format_name(format: &Format) -> &'static str {
    match format {
        Format::Auto | Format::Baskets => "baskets",
        Format::OrderLines { .. } => "order lines",
        Format::Shopify => "Shopify orders export",
        Format::WooCommerce => "WooCommerce orders export",
    }
}

/// Which column the rule table is sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Share of orders.
    Support,
    /// P(consequent | antecedent).
    Confidence,
    /// Over chance.
    Lift,
}

/// Indexes of `rules` in table order: by `key`, descending unless `ascending`; ties keep
/// the miner's order, so the table is stable.
pub fn sorted(rules: &[MinedRule], key: SortKey, ascending: bool) -> Vec<usize> {
    let value = |r: &MinedRule| match key {
        SortKey::Support => r.support,
        SortKey::Confidence => r.confidence,
        SortKey::Lift => r.lift,
    };
    let mut order: Vec<usize> = (0..rules.len()).collect();
    order.sort_by(|&a, &b| {
        let o = value(&rules[a]).total_cmp(&value(&rules[b]));
        if ascending { o } else { o.reverse() }
    });
    order
}

/// The `n` strongest pairs (one item each side) by support, each unordered pair once:
/// `a → b` and `b → a` have the same support, the one with the higher confidence is kept.
pub fn top_pairs(rules: &[MinedRule], n: usize) -> Vec<usize> {
    let mut best: Vec<usize> = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        if r.antecedent.len() != 1 || r.consequent.len() != 1 {
            continue;
        }
        let same = |j: &usize| {
            let o = &rules[*j];
            o.antecedent[0] == r.consequent[0] && o.consequent[0] == r.antecedent[0]
        };
        match best.iter().position(same) {
            Some(k) if rules[best[k]].confidence < r.confidence => best[k] = i,
            Some(_) => {}
            None => best.push(i),
        }
    }
    best.sort_by(|&a, &b| {
        rules[b]
            .support
            .total_cmp(&rules[a].support)
            .then(a.cmp(&b))
    });
    best.truncate(n);
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORDERS: &str = "camera,cable\ncamera,cable,nvr\ncamera,nvr\ncable\n";

    fn settings() -> MineSettings {
        MineSettings {
            min_support: 0.5,
            min_confidence: 0.6,
            min_lift: 0.0,
            ..MineSettings::default()
        }
    }

    #[test]
    fn mines_a_baskets_file_with_progress() {
        let mut phases = Vec::new();
        let mined = mine(ORDERS.as_bytes(), &settings(), |p, done, total| {
            phases.push((p, done, total))
        })
        .unwrap();
        assert_eq!(mined.orders, 4);
        assert_eq!(mined.items, 3);
        assert_eq!(mined.format, "baskets");
        let nvr = mined
            .rules
            .iter()
            .find(|r| r.antecedent == ["nvr"])
            .unwrap();
        assert_eq!(nvr.consequent, ["camera"]);
        assert_eq!(nvr.confidence, 1.0);
        assert_eq!(nvr.label(), "nvr → camera");
        assert!(nvr.weight.is_some_and(|w| w > 0.0), "{:?}", nvr.weight);
        let n = ORDERS.len() as u64;
        assert_eq!(phases[0], (Phase::Reading, n, n));
        assert_eq!(phases.last(), Some(&(Phase::Rules, 1, 1)));
    }

    #[test]
    fn reads_a_shopify_export() {
        let csv = "Name,Lineitem quantity,Lineitem name,Lineitem sku\n#1,1,Cam,cam\n#1,1,Cable,cable\n#2,1,Cam,cam\n#2,1,Cable,cable\n";
        let mined = mine(csv.as_bytes(), &settings(), |_, _, _| {}).unwrap();
        assert_eq!(mined.format, "Shopify orders export");
        assert_eq!(mined.orders, 2);
        assert!(mined.rules.iter().any(|r| r.antecedent == ["cam"]));
    }

    #[test]
    fn rejects_bad_settings_and_empty_files() {
        let bad = MineSettings {
            min_support: 0.0,
            ..settings()
        };
        assert!(mine(ORDERS.as_bytes(), &bad, |_, _, _| {}).is_err());
        assert_eq!(
            mine(b"", &settings(), |_, _, _| {}).unwrap_err(),
            "line 1: no order could be read: the input holds no rows of orders"
        );
        // Issue 23: nothing but malformed rows says why, not "0 orders".
        assert_eq!(
            mine(b"a,,b\n,,c\n", &settings(), |_, _, _| {}).unwrap_err(),
            "line 1: no order could be read: all 2 row(s) were malformed; the first: \
             line 1: empty item in field 2; line 2: empty item in field 1"
        );
    }

    fn rule(a: &str, c: &str, support: f64, confidence: f64, lift: f64) -> MinedRule {
        MinedRule {
            antecedent: vec![a.into()],
            consequent: vec![c.into()],
            support,
            confidence,
            lift,
            count: 1,
            weight: None,
        }
    }

    #[test]
    fn sorts_by_any_measure_both_ways() {
        let rules = [
            rule("a", "b", 0.2, 0.5, 1.5),
            rule("b", "a", 0.2, 0.4, 1.5),
            rule("c", "d", 0.1, 0.9, 3.0),
        ];
        assert_eq!(sorted(&rules, SortKey::Support, false), [0, 1, 2]);
        assert_eq!(sorted(&rules, SortKey::Support, true), [2, 0, 1]);
        assert_eq!(sorted(&rules, SortKey::Confidence, false), [2, 0, 1]);
        assert_eq!(sorted(&rules, SortKey::Lift, false), [2, 0, 1]);
        // Each pair once, the direction with the higher confidence.
        assert_eq!(top_pairs(&rules, 10), [0, 2]);
        assert_eq!(top_pairs(&rules, 1), [0]);
    }
}
