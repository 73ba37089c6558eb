//! Association rules `antecedent → consequent` from frequent itemsets, with the usual
//! measures, filtered and ranked the way the widget uses them.
//!
//! Every rule comes from one frequent itemset X split into antecedent A and consequent
//! C; the counts of A and C are looked up in the [`Itemsets`] trie (they are frequent
//! because X is). Comparisons between rules use exact integer cross-products, never
//! rounded floats, so the order is the same on every machine.

use super::fpgrowth::Itemsets;
use super::transactions::{Item, Transactions};
use super::weights::Ridge;
use std::cmp::Ordering;

/// Rule generation settings.
///
/// Defaults: single-item consequents (what the widget shows), no minimum confidence or
/// lift, no limit per antecedent, pair rules weighted with [`Ridge::DEFAULT`].
#[derive(Clone, Debug)]
pub struct RuleGen {
    min_confidence: f64,
    min_lift: f64,
    max_consequent_len: usize,
    top: Option<usize>,
    ridge: Option<Ridge>,
}

impl Default for RuleGen {
    fn default() -> Self {
        RuleGen::new()
    }
}

impl RuleGen {
    /// The defaults.
    pub fn new() -> RuleGen {
        RuleGen {
            min_confidence: 0.0,
            min_lift: 0.0,
            max_consequent_len: 1,
            top: None,
            ridge: Some(Ridge::DEFAULT),
        }
    }

    /// Fit the pair rules' [`Rule::weight`] with these settings (`None`: no weights).
    pub fn weights(mut self, ridge: Option<Ridge>) -> RuleGen {
        self.ridge = ridge;
        self
    }

    /// Keep rules whose confidence is at least this.
    pub fn min_confidence(mut self, min: f64) -> RuleGen {
        self.min_confidence = min;
        self
    }

    /// Keep rules whose lift is at least this (e.g. 1: only pairs bought together more
    /// often than by chance).
    pub fn min_lift(mut self, min: f64) -> RuleGen {
        self.min_lift = min;
        self
    }

    /// Allow consequents of up to this many items (at least 1; the widget shows one
    /// product per rule, analysts sometimes want bundles).
    pub fn max_consequent_len(mut self, len: usize) -> RuleGen {
        self.max_consequent_len = len.max(1);
        self
    }

    /// Keep only the best `n` rules of each antecedent: highest [`Rule::weight`] when the
    /// rules are weighted (what the widget ranks by), else highest confidence, then lift.
    pub fn top_per_antecedent(mut self, n: usize) -> RuleGen {
        self.top = Some(n);
        self
    }

    /// The rules of `itemsets`, mined from `transactions` (which names the items).
    ///
    /// Order: by antecedent (item names, element by element), then confidence, lift and
    /// support descending, then consequent names. Items within antecedent and consequent
    /// are sorted by name.
    pub fn generate(&self, itemsets: &Itemsets, transactions: &Transactions) -> Rules {
        let name_rank = transactions.name_ranks();
        let weights = self.ridge.map(|r| r.fit(itemsets)).unwrap_or_default();
        let mut raw = RawRules::default();
        let mut path: Vec<u32> = Vec::new(); // ranks, root first
        let mut ancestors: Vec<u32> = Vec::new(); // ancestors[k]: node of path[..k]
        let mut rest: Vec<u32> = Vec::new();
        for node in itemsets.nodes() {
            path.clear();
            ancestors.clear();
            let mut n = node;
            while n != 0 {
                path.push(itemsets.node_rank(n));
                n = itemsets.node_parent(n);
                ancestors.push(n);
            }
            if path.len() < 2 {
                continue;
            }
            path.reverse();
            ancestors.reverse();
            let count = itemsets.node_count(node);
            // Single-item consequents: drop position p, look the rest up starting from the
            // shared prefix (the trie path up to p).
            for p in 0..path.len() {
                let c = path[p];
                let Some(a_node) = itemsets.find_from(ancestors[p], &path[p + 1..]) else {
                    continue;
                };
                let a_count = itemsets.node_count(a_node);
                let c_count = itemsets.rank_count(c);
                if !self.keep(count, a_count, c_count, itemsets.transactions()) {
                    continue;
                }
                let start = raw.items.len();
                raw.items.extend(
                    path.iter()
                        .enumerate()
                        .filter(|&(q, _)| q != p)
                        .map(|(_, &r)| itemsets.item_of_rank(r)),
                );
                raw.items.push(itemsets.item_of_rank(c));
                raw.push(start, path.len() - 1, count, a_node, a_count, c_count);
                if self.ridge.is_some() {
                    // Pairs take their fitted weight (0 beyond the consequent's
                    // neighbourhood). Longer rules add nothing: their pairs' weights already
                    // sum their evidence, and adding what the longer rule says beyond them
                    // measured worse (README, "Suggestion quality").
                    let w = match &raw.items[start..] {
                        &[a, c] => weights.get(a, c).unwrap_or(0.0),
                        _ => 0.0,
                    };
                    raw.weigh(Some(w));
                }
            }
            if self.max_consequent_len > 1 && path.len() > 2 && path.len() <= 64 {
                self.longer_consequents(itemsets, &path, count, &mut rest, &mut raw);
            }
        }
        raw.finish(
            &name_rank,
            itemsets.nodes().end as usize,
            self.top,
            itemsets.transactions(),
        )
    }

    fn keep(&self, count: u32, a_count: u32, c_count: u32, total: u64) -> bool {
        let confidence = f64::from(count) / f64::from(a_count);
        if confidence < self.min_confidence {
            return false;
        }
        if self.min_lift > 0.0 {
            let lift = f64::from(count) * total as f64 / (f64::from(a_count) * f64::from(c_count));
            if lift < self.min_lift {
                return false;
            }
        }
        true
    }

    /// Consequents of 2 to `max_consequent_len` items, grown level by level from the ones
    /// that passed: moving an item from antecedent to consequent never raises confidence,
    /// so a consequent whose sub-consequent failed cannot pass.
    fn longer_consequents(
        &self,
        itemsets: &Itemsets,
        path: &[u32],
        count: u32,
        scratch: &mut Vec<u32>,
        raw: &mut RawRules,
    ) {
        let n = path.len();
        let total = itemsets.transactions();
        let lookup = |mask: u64, scratch: &mut Vec<u32>| -> Option<u32> {
            scratch.clear();
            scratch.extend((0..n).filter(|&q| mask & (1 << q) != 0).map(|q| path[q]));
            itemsets.find_from(0, scratch)
        };
        let full: u64 = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
        // Level 1: single consequents that pass the confidence test (lift is not
        // anti-monotone, so it filters output only).
        let mut level: Vec<u64> = (0..n)
            .map(|q| 1u64 << q)
            .filter(|&m| {
                lookup(full & !m, scratch).is_some_and(|a| {
                    f64::from(count) / f64::from(itemsets.node_count(a)) >= self.min_confidence
                })
            })
            .collect();
        for size in 2..=self.max_consequent_len.min(n - 1) {
            let mut next: Vec<u64> = Vec::new();
            for (i, &a) in level.iter().enumerate() {
                for &b in &level[i + 1..] {
                    let m = a | b;
                    if m.count_ones() as usize == size {
                        next.push(m);
                    }
                }
            }
            next.sort_unstable();
            next.dedup();
            next.retain(|&m| {
                let (Some(a_node), Some(c_node)) = (lookup(full & !m, scratch), lookup(m, scratch))
                else {
                    return false;
                };
                let a_count = itemsets.node_count(a_node);
                let c_count = itemsets.node_count(c_node);
                let confident = f64::from(count) / f64::from(a_count) >= self.min_confidence;
                if confident && self.keep(count, a_count, c_count, total) {
                    let start = raw.items.len();
                    raw.items.extend(
                        (0..n)
                            .filter(|&q| m & (1 << q) == 0)
                            .map(|q| itemsets.item_of_rank(path[q])),
                    );
                    raw.items.extend(
                        (0..n)
                            .filter(|&q| m & (1 << q) != 0)
                            .map(|q| itemsets.item_of_rank(path[q])),
                    );
                    raw.push(start, n - size, count, a_node, a_count, c_count);
                }
                confident
            });
            if next.is_empty() {
                break;
            }
            level = next;
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct RuleRecord {
    start: u32,
    antecedent_len: u16,
    len: u16,
    count: u32,
    antecedent_count: u32,
    consequent_count: u32,
    /// The antecedent's itemset node while generating; its place in name order after.
    antecedent: u32,
    /// The ridge weight (pair rules, when fitted).
    weight: Option<f64>,
}

#[derive(Default)]
struct RawRules {
    items: Vec<Item>,
    records: Vec<RuleRecord>,
}

impl RawRules {
    fn push(&mut self, start: usize, antecedent_len: usize, count: u32, node: u32, a: u32, c: u32) {
        self.records.push(RuleRecord {
            start: start as u32,
            antecedent_len: antecedent_len as u16,
            len: (self.items.len() - start) as u16,
            count,
            antecedent_count: a,
            consequent_count: c,
            antecedent: node,
            weight: None,
        });
    }

    /// Sets the last rule's weight.
    fn weigh(&mut self, weight: Option<f64>) {
        if let Some(r) = self.records.last_mut() {
            r.weight = weight;
        }
    }

    fn finish(mut self, name_rank: &[u32], nodes: usize, top: Option<usize>, total: u64) -> Rules {
        // Items by name inside each side, so equal antecedents compare equal.
        for r in &self.records {
            let s = r.start as usize;
            let a = s + r.antecedent_len as usize;
            let e = s + r.len as usize;
            self.items[s..a].sort_unstable_by_key(|i| name_rank[i.index()]);
            self.items[a..e].sort_unstable_by_key(|i| name_rank[i.index()]);
        }
        let items = &self.items;
        let side = |r: &RuleRecord, antecedent: bool| {
            let s = r.start as usize;
            let a = s + r.antecedent_len as usize;
            let range = if antecedent {
                s..a
            } else {
                a..s + r.len as usize
            };
            items[range].iter().map(|i| name_rank[i.index()])
        };
        // Rules share antecedents: sort the distinct ones by name once, then rules by that
        // position (an integer compare) instead of comparing name sequences per rule.
        let mut order = vec![u32::MAX; nodes];
        let mut distinct: Vec<usize> = Vec::new();
        for (k, r) in self.records.iter().enumerate() {
            let slot = &mut order[r.antecedent as usize];
            if *slot == u32::MAX {
                *slot = 0;
                distinct.push(k);
            }
        }
        distinct.sort_unstable_by(|&x, &y| {
            side(&self.records[x], true).cmp(side(&self.records[y], true))
        });
        for (position, &k) in distinct.iter().enumerate() {
            order[self.records[k].antecedent as usize] = position as u32;
        }
        for r in &mut self.records {
            r.antecedent = order[r.antecedent as usize];
        }
        self.records.sort_unstable_by(|x, y| {
            x.antecedent
                .cmp(&y.antecedent)
                .then_with(|| better(x, y))
                .then_with(|| side(x, false).cmp(side(y, false)))
        });
        if let Some(n) = top {
            // The best by the measure the widget ranks with: the weight when the rules
            // have one, else the order above (confidence, then lift); ties keep that order.
            let mut keep = vec![true; self.records.len()];
            let mut group: Vec<usize> = Vec::new();
            let mut start = 0;
            while start < self.records.len() {
                let antecedent = self.records[start].antecedent;
                let end = start
                    + self.records[start..]
                        .iter()
                        .take_while(|r| r.antecedent == antecedent)
                        .count();
                if end - start > n {
                    group.clear();
                    group.extend(start..end);
                    let weight = |k: usize| self.records[k].weight.unwrap_or(0.0);
                    group.sort_by(|&x, &y| weight(y).total_cmp(&weight(x)).then(x.cmp(&y)));
                    for &k in &group[n..] {
                        keep[k] = false;
                    }
                }
                start = end;
            }
            let mut k = 0;
            self.records.retain(|_| {
                k += 1;
                keep[k - 1]
            });
        }
        Rules {
            items: self.items,
            records: self.records,
            total,
        }
    }
}

/// Higher confidence first, then lift, then support; exact.
fn better(x: &RuleRecord, y: &RuleRecord) -> Ordering {
    // conf_x > conf_y  ⇔  count_x · a_y > count_y · a_x
    let cx = u64::from(x.count) * u64::from(y.antecedent_count);
    let cy = u64::from(y.count) * u64::from(x.antecedent_count);
    cy.cmp(&cx)
        .then_with(|| {
            // lift_x > lift_y  ⇔  count_x · a_y · c_y > count_y · a_x · c_x (total cancels)
            let lx = u128::from(x.count)
                * u128::from(y.antecedent_count)
                * u128::from(y.consequent_count);
            let ly = u128::from(y.count)
                * u128::from(x.antecedent_count)
                * u128::from(x.consequent_count);
            ly.cmp(&lx)
        })
        .then_with(|| y.count.cmp(&x.count))
}

/// Association rules: the result of [`RuleGen::generate`].
#[derive(Clone, Debug, Default)]
pub struct Rules {
    items: Vec<Item>,
    records: Vec<RuleRecord>,
    total: u64,
}

impl Rules {
    /// How many rules.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// No rule passed.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Every rule, in the documented order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Rule<'_>> + '_ {
        self.records.iter().map(move |r| Rule {
            items: &self.items[r.start as usize..(r.start as usize + r.len as usize)],
            record: r,
            total: self.total,
        })
    }
}

/// One rule "orders with all of the antecedent also have the consequent".
#[derive(Clone, Copy, Debug)]
pub struct Rule<'a> {
    items: &'a [Item],
    record: &'a RuleRecord,
    total: u64,
}

impl<'a> Rule<'a> {
    /// The items that make the rule fire, sorted by name.
    pub fn antecedent(&self) -> &'a [Item] {
        &self.items[..self.record.antecedent_len as usize]
    }

    /// The items suggested, sorted by name.
    pub fn consequent(&self) -> &'a [Item] {
        &self.items[self.record.antecedent_len as usize..]
    }

    /// Orders holding antecedent and consequent.
    pub fn count(&self) -> u32 {
        self.record.count
    }

    /// Orders holding the antecedent.
    pub fn antecedent_count(&self) -> u32 {
        self.record.antecedent_count
    }

    /// Orders holding the consequent.
    pub fn consequent_count(&self) -> u32 {
        self.record.consequent_count
    }

    /// Share of all orders holding antecedent and consequent.
    pub fn support(&self) -> f64 {
        f64::from(self.record.count) / self.total as f64
    }

    /// Share of orders with the antecedent that also hold the consequent.
    pub fn confidence(&self) -> f64 {
        f64::from(self.record.count) / f64::from(self.record.antecedent_count)
    }

    /// Confidence over the consequent's support: above 1, the items are bought together
    /// more often than if they were independent.
    pub fn lift(&self) -> f64 {
        f64::from(self.record.count) * self.total as f64
            / (f64::from(self.record.antecedent_count) * f64::from(self.record.consequent_count))
    }

    /// The pair rule's ridge weight (see [`Ridge`]): what the rule adds to its consequent's
    /// score in the widget's ranking. `None` for longer rules, and when not fitted.
    pub fn weight(&self) -> Option<f64> {
        self.record.weight
    }

    /// Support minus what independence predicts: `s(A∪C) − s(A)·s(C)`.
    pub fn leverage(&self) -> f64 {
        let n = self.total as f64;
        self.support()
            - (f64::from(self.record.antecedent_count) / n)
                * (f64::from(self.record.consequent_count) / n)
    }

    /// `(1 − s(C)) / (1 − confidence)`: how much more often the rule would be wrong if
    /// the items were independent. Infinite when the confidence is 1.
    pub fn conviction(&self) -> f64 {
        let c = self.confidence();
        if c >= 1.0 {
            return f64::INFINITY;
        }
        (1.0 - f64::from(self.record.consequent_count) / self.total as f64) / (1.0 - c)
    }
}
