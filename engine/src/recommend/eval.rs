//! The evaluation pass behind [`Config::recommend`].

use super::model::{
    AttributeComparison, BasketLine, Bundle, BundlePrice, Context, FilterReason, Filtered,
    FreeShipping, Reason, ReasonDetail, Recommendations, Suggestion, UpgradeOffer,
};
use crate::config::{Config, Product, ProductIdx, Rule, RuleIdx, RuleKind, Selector, Triggers};
use crate::live::Live;
use crate::money::Money;
use crate::placement::Placement;
use crate::sort::{sort, sort_by, sort_by_key};

/// Strength of a hand-made cross-sell or add-on: deliberate, so above any mined
/// confidence; each later position in the rule's list counts a little less.
const HANDMADE_STRENGTH: f64 = 1.0;
const POSITION_STEP: f64 = 1e-3;

/// A hand-made list's products with their strength (also their confidence): near-certain,
/// in the listed order.
fn listed(products: &[ProductIdx]) -> impl Iterator<Item = (ProductIdx, (f64, f64))> + '_ {
    products.iter().enumerate().map(|(pos, &t)| {
        let strength = HANDMADE_STRENGTH - POSITION_STEP * pos as f64;
        (t, (strength, strength))
    })
}

impl Config {
    /// Ranks suggestions for a placement.
    ///
    /// ```
    /// use cartlift_engine::{Config, Context, Placement};
    /// let config = Config::from_json(r#"{
    ///   "version": 1, "store": {"currency": "USD"},
    ///   "catalog": [
    ///     {"id": "cam", "title": "Camera", "price": 89},
    ///     {"id": "cable", "title": "Cable", "price": 9},
    ///     {"id": "psu", "title": "Power supply", "price": 15}
    ///   ],
    ///   "rules": [
    ///     {"kind": "bought_together", "id": "r1", "antecedent": ["cam"], "consequent": ["cable"], "confidence": 0.6},
    ///     {"kind": "bought_together", "id": "r2", "antecedent": ["cam"], "consequent": ["psu"], "confidence": 0.4}
    ///   ]
    /// }"#).unwrap();
    /// let recs = config.recommend(&Context::new(Placement::Product, 0).product("cam"));
    /// let ids: Vec<_> = recs.cross_sells.iter().map(|s| config.product(s.product).id.as_str()).collect();
    /// assert_eq!(ids, ["cable", "psu"]);
    /// assert_eq!(recs.bundle.unwrap().price.total.minor(), 89_00 + 9_00 + 15_00);
    /// ```
    pub fn recommend(&self, ctx: &Context<'_>) -> Recommendations {
        let mut eval = Eval::new(self, ctx);
        let cross_sells = eval.cross_sells();
        let bundle = eval.bundle(&cross_sells);
        let add_ons = eval.add_ons();
        let upgrades = eval.upgrades();
        let free_shipping = eval.free_shipping();
        Recommendations {
            placement: ctx.placement,
            cross_sells,
            bundle,
            add_ons,
            upgrades,
            free_shipping,
            filtered: eval.finish(),
        }
    }

    /// What `products` cost together; `whole_bundle` when the shopper takes the complete
    /// bundle, which is when the store's bundle discount applies.
    /// Prices are `live`'s where the store said them ([`Config::offer`]).
    pub fn bundle_price(
        &self,
        products: &[ProductIdx],
        whole_bundle: bool,
        live: &Live,
    ) -> BundlePrice {
        let total: Money = products.iter().map(|&p| self.offer(live, p).price).sum();
        let discounted = match self.store().bundle_discount_percent {
            Some(percent) if whole_bundle && products.len() >= 2 => Some(Money(
                (total.minor() as f64 * (100.0 - percent) / 100.0).round() as i64,
            )),
            _ => None,
        };
        BundlePrice { total, discounted }
    }

    /// The basket's value: each line at the price the cart reports, else the store's live
    /// price, else the catalog's.
    pub fn basket_value(&self, basket: &[BasketLine], live: &Live) -> Money {
        basket
            .iter()
            .map(|line| {
                let unit = line.price.or_else(|| {
                    let idx = self.product_idx(&line.product)?;
                    let p = self.product(idx);
                    // The line's own variant at the config's price, unless the store
                    // said the product's price now.
                    let variant = line
                        .variant
                        .as_deref()
                        .and_then(|v| p.variants.iter().find(|x| x.id == v));
                    Some(match (live.get(&p.id), variant) {
                        (None, Some(v)) => v.price,
                        _ => self.offer(live, idx).price,
                    })
                });
                unit.unwrap_or(Money::ZERO).times(line.quantity)
            })
            .sum()
    }
}

/// Rules reached through an index: `(rule, start, end)` groups over `(rule, product)`
/// pairs.
struct Reached {
    pairs: Vec<(RuleIdx, ProductIdx)>,
    groups: Vec<(RuleIdx, usize, usize)>,
}

impl Reached {
    fn products(&self, start: usize, end: usize) -> impl Iterator<Item = ProductIdx> + '_ {
        self.pairs[start..end].iter().map(|(_, p)| *p)
    }
}

/// Candidates of one section: a score per product, and the reasons behind them kept as
/// cheap records until the top few are known (most candidates never make the cut).
struct Candidates {
    /// Candidate products in first-seen order.
    touched: Vec<ProductIdx>,
    pending: Vec<Pending>,
    /// Products whose simple bought-together edges were tallied unfiltered and without
    /// reasons: [`Eval::rank`] filters the few candidates that can be shown and walks
    /// these edges again for their reasons.
    deferred: Vec<ProductIdx>,
}

thread_local! {
    /// Each product's [`Score`], reused across calls: scoring a candidate is an array
    /// write instead of a hash-map insert. Only touched entries are reset, so a call costs
    /// what it visits, not the catalog's size.
    static SCORES: std::cell::RefCell<Vec<Score>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// What the rules that reached one candidate add up to.
#[derive(Clone, Copy, Debug, Default)]
struct Score {
    /// The highest priority among them.
    priority: i32,
    /// Their summed strengths.
    sum: f64,
    /// The best confidence among them (see [`crate::config::Ranking::peak`]).
    best: f64,
    /// Touched in this call.
    seen: bool,
}

impl Candidates {
    fn new(expected: usize) -> Candidates {
        Candidates {
            touched: Vec::with_capacity(expected),
            pending: Vec::with_capacity(expected),
            deferred: Vec::new(),
        }
    }

    /// Adds a rule's strength to `product`'s score, without recording the reason (the
    /// caller records it, or [`Candidates::deferred`] lets [`Eval::rank`] find it).
    fn tally(
        &mut self,
        scores: &mut [Score],
        product: ProductIdx,
        priority: i32,
        (strength, confidence): (f64, f64),
    ) {
        let entry = &mut scores[product.get()];
        if !entry.seen {
            *entry = Score {
                priority,
                sum: 0.0,
                best: 0.0,
                seen: true,
            };
            self.touched.push(product);
        }
        entry.priority = entry.priority.max(priority);
        entry.sum += strength;
        entry.best = entry.best.max(confidence);
    }

    fn add(
        &mut self,
        scores: &mut [Score],
        product: ProductIdx,
        priority: i32,
        (strength, confidence): (f64, f64),
        rule: RuleIdx,
        because: Because,
    ) {
        self.tally(scores, product, priority, (strength, confidence));
        self.pending.push(Pending {
            product,
            strength,
            rule,
            because,
        });
    }
}

#[derive(Clone, Copy)]
struct Pending {
    product: ProductIdx,
    strength: f64,
    rule: RuleIdx,
    because: Because,
}

/// Where a pending reason's triggering products are.
#[derive(Clone, Copy)]
enum Because {
    /// The bought-together rule's antecedent.
    Antecedent,
    /// A run of [`Eval::triggers`]: `(start, end)`.
    Triggers(u32, u32),
}

struct Eval<'a> {
    config: &'a Config,
    ctx: &'a Context<'a>,
    current: Option<ProductIdx>,
    /// Known basket products, sorted, without repeats.
    basket: Vec<ProductIdx>,
    /// Categories and tags of the basket's products, sorted: conditions check a selector
    /// against these instead of against every line.
    basket_categories: Vec<u32>,
    basket_tags: Vec<u32>,
    basket_value: Money,
    excluded: Vec<ProductIdx>,
    /// Products already placed in an earlier section.
    shown: Vec<ProductIdx>,
    /// The triggering products of fired hand-made rules, for their reasons, one run per
    /// rule (one flat vector: no allocation per rule).
    triggers: Vec<ProductIdx>,
    /// The thread's score array (see [`SCORES`]), held for the call.
    scores: Vec<Score>,
    filtered: Vec<Filtered>,
}

impl<'a> Eval<'a> {
    fn new(config: &'a Config, ctx: &'a Context<'a>) -> Eval<'a> {
        let current = ctx.product.and_then(|id| config.product_idx(id));
        let mut basket: Vec<ProductIdx> = ctx
            .basket
            .iter()
            .filter_map(|l| config.product_idx(&l.product))
            .collect();
        sort(&mut basket);
        basket.dedup();
        let mut excluded: Vec<ProductIdx> = ctx
            .exclude
            .iter()
            .filter_map(|id| config.product_idx(id))
            .collect();
        sort(&mut excluded);
        let mut basket_categories: Vec<u32> = basket
            .iter()
            .filter_map(|&p| config.product(p).category_key)
            .collect();
        sort(&mut basket_categories);
        basket_categories.dedup();
        let mut basket_tags: Vec<u32> = basket
            .iter()
            .flat_map(|&p| config.product(p).tag_keys.iter().copied())
            .collect();
        sort(&mut basket_tags);
        basket_tags.dedup();
        Eval {
            config,
            ctx,
            current,
            basket_value: config.basket_value(ctx.basket, ctx.live),
            basket,
            basket_categories,
            basket_tags,
            excluded,
            shown: Vec::new(),
            triggers: Vec::new(),
            scores: {
                let mut scores = SCORES.with(|s| std::mem::take(&mut *s.borrow_mut()));
                scores.resize(config.products.len().max(scores.len()), Score::default());
                scores
            },
            filtered: Vec::new(),
        }
    }

    /// Gives the (all reset) score array back to the thread for the next call.
    fn finish(self) -> Vec<Filtered> {
        SCORES.with(|s| *s.borrow_mut() = self.scores);
        self.filtered
    }

    /// In stock, by the store's live word if it gave one, else by the config.
    fn in_stock(&self, p: ProductIdx) -> bool {
        if self.ctx.live.is_empty() {
            self.config.stock[p.get()]
        } else {
            self.config.offer(self.ctx.live, p).in_stock
        }
    }

    fn in_basket(&self, p: ProductIdx) -> bool {
        self.basket.binary_search(&p).is_ok()
    }

    fn trace(&mut self, rule: RuleIdx, product: Option<ProductIdx>, why: FilterReason) {
        if self.ctx.trace {
            self.filtered.push(Filtered { rule, product, why });
        }
    }

    /// Why `target` may not be suggested, if it may not.
    fn blocked(&self, target: ProductIdx) -> Option<FilterReason> {
        if Some(target) == self.current {
            Some(FilterReason::CurrentProduct)
        } else if self.in_basket(target) {
            Some(FilterReason::InBasket)
        } else if !self.in_stock(target) {
            Some(FilterReason::OutOfStock)
        } else if self.excluded.binary_search(&target).is_ok() {
            Some(FilterReason::Excluded)
        } else if self.shown.contains(&target) {
            Some(FilterReason::ShownElsewhere)
        } else {
            None
        }
    }

    /// The rules of one kind that the page's product, the basket or nothing at all
    /// (rules without a product trigger) reach, with the products that reached each;
    /// sorted by rule, so the order never depends on the basket's order.
    fn reached(&self, triggers: &Triggers) -> Reached {
        let mut pairs: Vec<(RuleIdx, ProductIdx)> = Vec::new();
        if let Some(p) = self.current {
            triggers
                .on_page
                .collect(p, self.config.product(p), &mut pairs);
        }
        for &p in &self.basket {
            triggers
                .in_basket
                .collect(p, self.config.product(p), &mut pairs);
        }
        sort(&mut pairs);
        pairs.dedup();
        let mut groups: Vec<(RuleIdx, usize, usize)> =
            triggers.always.iter().map(|&r| (r, 0, 0)).collect();
        let mut start = 0;
        while start < pairs.len() {
            let rule = pairs[start].0;
            let end = start
                + pairs[start..]
                    .iter()
                    .take_while(|(r, _)| *r == rule)
                    .count();
            groups.push((rule, start, end));
            start = end;
        }
        sort_by_key(&mut groups, |(rule, _, _)| *rule);
        Reached { pairs, groups }
    }

    /// Whether some basket line matches `selector`.
    fn basket_has(&self, selector: &Selector) -> bool {
        selector.products.iter().any(|&p| self.in_basket(p))
            || selector
                .categories
                .iter()
                .any(|c| self.basket_categories.binary_search(c).is_ok())
            || selector
                .tags
                .iter()
                .any(|t| self.basket_tags.binary_search(t).is_ok())
    }

    /// Whether a rule's conditions hold; records why not.
    fn applies(&mut self, idx: RuleIdx, rule: &Rule) -> bool {
        let c = rule.conditions();
        if c.trivial {
            return true;
        }
        let viewing_holds = || {
            self.ctx.placement == Placement::Product
                && self
                    .current
                    .is_some_and(|p| c.viewing.matches(p, self.config.product(p)))
        };
        let why = if !c.allows(self.ctx.placement) {
            Some(FilterReason::Placement)
        } else if !c.viewing.is_empty() && !viewing_holds() {
            Some(FilterReason::Viewing)
        } else if !self.basket_conditions_hold(c) {
            Some(FilterReason::Basket)
        } else if c.min_value.is_some_and(|m| self.basket_value < m)
            || c.max_value.is_some_and(|m| self.basket_value > m)
        {
            Some(FilterReason::BasketValue)
        } else if !c.segments.is_empty()
            && !c
                .segments
                .iter()
                .any(|x| self.ctx.segments.contains(&x.as_str()))
        {
            Some(FilterReason::Segment)
        } else if c.from.is_some_and(|f| self.ctx.now < f)
            || c.until.is_some_and(|u| self.ctx.now >= u)
        {
            Some(FilterReason::Dates)
        } else {
            None
        };
        if let Some(why) = why {
            self.trace(idx, None, why);
        }
        why.is_none()
    }

    fn basket_conditions_hold(&self, c: &crate::config::Conditions) -> bool {
        if !c.any.is_empty() && !self.basket_has(&c.any) {
            return false;
        }
        if !c.none.is_empty() && self.basket_has(&c.none) {
            return false;
        }
        let all = &c.all;
        all.products.iter().all(|&p| self.in_basket(p))
            && all
                .categories
                .iter()
                .all(|c| self.basket_categories.binary_search(c).is_ok())
            && all
                .tags
                .iter()
                .all(|t| self.basket_tags.binary_search(t).is_ok())
    }

    /// What triggers rules on this placement: the page's product, or the basket.
    fn present(&self) -> Vec<ProductIdx> {
        match self.ctx.placement {
            Placement::Product => self.current.into_iter().collect(),
            _ => self.basket.clone(),
        }
    }

    fn cross_sells(&mut self) -> Vec<Suggestion> {
        let config = self.config;
        let present = self.present();
        let edges: usize = present.iter().map(|&p| config.bought.of(p).len()).sum();
        let mut candidates = Candidates::new(edges + 64);
        // Simple edges (one-item antecedent, no conditions, no limit) need only the
        // filters; the few others take the full path below, once per rule.
        let mut complex: Vec<(RuleIdx, (f64, f64))> = Vec::new();
        // Unless every filtered rule is being explained, the filters and the reasons of
        // simple edges wait until the few candidates that can be shown are known: a
        // popular basket item reaches thousands (with the mask in `rank`, this took
        // `cartlift evaluate`'s 8,000 ten-item carts a thread on the suite's
        // retail-sized store, 944,862 rules, from 6.5 s to 3.3 s).
        let defer = !self.ctx.trace;
        if defer {
            candidates.deferred.clone_from(&present);
        }
        for &anchor in &present {
            for e in config.bought.of(anchor) {
                if !e.simple {
                    complex.push((e.rule, (e.strength, e.confidence)));
                    continue;
                }
                if defer {
                    let measures = (e.strength, e.confidence);
                    candidates.tally(&mut self.scores, e.target, e.priority, measures);
                    continue;
                }
                match self.blocked(e.target) {
                    Some(why) => self.trace(e.rule, Some(e.target), why),
                    None => candidates.add(
                        &mut self.scores,
                        e.target,
                        e.priority,
                        (e.strength, e.confidence),
                        e.rule,
                        Because::Antecedent,
                    ),
                }
            }
        }
        sort_by(&mut complex, |a, b| a.0.cmp(&b.0));
        complex.dedup_by_key(|(rule, _)| *rule);
        for (idx, strength) in complex {
            let rule = config.rule(idx);
            let RuleKind::BoughtTogether(bt) = &rule.kind else {
                continue;
            };
            if !bt.antecedent.iter().all(|a| present.contains(a)) {
                self.trace(idx, None, FilterReason::Antecedent);
                continue;
            }
            if !self.applies(idx, rule) {
                continue;
            }
            let items = bt.consequent.iter().map(|&t| (t, strength));
            self.offer(&mut candidates, idx, rule, items, Because::Antecedent);
        }
        let reached = self.reached(&config.hand.cross_sell);
        for &(idx, start, end) in &reached.groups {
            let rule = config.rule(idx);
            let RuleKind::CrossSell(cs) = &rule.kind else {
                continue;
            };
            if !self.applies(idx, rule) {
                continue;
            }
            // The products that reached the rule through its index are what it reacted
            // to: the page's product for `viewing`, matching basket lines otherwise.
            let from = self.triggers.len() as u32;
            for p in reached.products(start, end) {
                if self.is_trigger(p, rule) {
                    self.triggers.push(p);
                }
            }
            let because = Because::Triggers(from, self.triggers.len() as u32);
            self.offer(&mut candidates, idx, rule, listed(&cs.suggest), because);
        }
        let limit = config.store().max_items.of(self.ctx.placement);
        self.rank(candidates, limit)
    }

    /// Whether a product that reached a cross-sell is what it reacts to here (the page's
    /// product only through `viewing` on product pages).
    fn is_trigger(&self, p: ProductIdx, rule: &Rule) -> bool {
        if Some(p) == self.current && !rule.conditions().viewing.is_empty() {
            return self.ctx.placement == Placement::Product;
        }
        self.in_basket(p)
    }

    /// Adds a rule's targets to `candidates`, honouring filters and the rule's limit.
    fn offer(
        &mut self,
        candidates: &mut Candidates,
        rule_idx: RuleIdx,
        rule: &Rule,
        targets: impl Iterator<Item = (ProductIdx, (f64, f64))>,
        because: Because,
    ) {
        let mut taken = 0;
        for (target, strength) in targets {
            if let Some(why) = self.blocked(target) {
                self.trace(rule_idx, Some(target), why);
                continue;
            }
            if rule.limit.is_some_and(|l| taken >= l) {
                self.trace(rule_idx, Some(target), FilterReason::RuleLimit);
                continue;
            }
            taken += 1;
            candidates.add(
                &mut self.scores,
                target,
                rule.priority,
                strength,
                rule_idx,
                because,
            );
        }
    }

    /// Orders candidates (priority, then score, then catalog order), keeps `limit`, and
    /// only then builds their reasons, strongest first.
    fn rank(&mut self, candidates: Candidates, limit: usize) -> Vec<Suggestion> {
        let order = |(pa, a): &(ProductIdx, (i32, f64)), (pb, b): &(ProductIdx, (i32, f64))| {
            b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(pa.cmp(pb))
        };
        // The first `limit` by `order`, kept sorted while the candidates stream past: a
        // popular basket item reaches thousands of candidates and only a few are shown.
        // `order` is total (the product breaks ties), so this keeps exactly what a full
        // sort would keep.
        let ranking = self.config.ranking;
        let mut ranked: Vec<(ProductIdx, (i32, f64))> = Vec::with_capacity(limit + 1);
        let mut over: Vec<ProductIdx> = Vec::new();
        for &p in &candidates.touched {
            let Score {
                priority,
                sum,
                best,
                ..
            } = std::mem::take(&mut self.scores[p.get()]);
            let entry = (p, (priority, ranking.score(sum, best)));
            let full = ranked.len() >= limit;
            if full && ranked.last().is_none_or(|last| order(&entry, last).is_gt()) {
                if self.ctx.trace {
                    over.push(p);
                }
                continue;
            }
            // Deferred candidates are filtered here (the others already were, and pass).
            if self.blocked(p).is_some() {
                continue;
            }
            let at = ranked.partition_point(|kept| order(kept, &entry).is_lt());
            ranked.insert(at, entry);
            if ranked.len() > limit
                && let Some((dropped, _)) = ranked.pop()
                && self.ctx.trace
            {
                over.push(dropped);
            }
        }
        if self.ctx.trace {
            sort(&mut over);
            for product in over {
                if let Some(p) = candidates.pending.iter().find(|p| p.product == product) {
                    let rule = p.rule;
                    self.trace(rule, Some(product), FilterReason::PlacementLimit);
                }
            }
        }
        let mut reasons: Vec<Vec<Pending>> = vec![Vec::new(); ranked.len()];
        // Most records are of candidates that were not kept: a mask of the kept products
        // (by index mod 64) turns nearly all of them away without a search.
        let bit = |p: ProductIdx| 1u64 << (p.get() % 64);
        let kept = ranked.iter().fold(0u64, |mask, &(p, _)| mask | bit(p));
        let position = |p: ProductIdx| -> Option<usize> {
            if kept & bit(p) == 0 {
                return None;
            }
            ranked.iter().position(|&(product, _)| product == p)
        };
        for p in &candidates.pending {
            if let Some(i) = position(p.product) {
                reasons[i].push(*p);
            }
        }
        for &anchor in &candidates.deferred {
            for e in self.config.bought.of(anchor).iter().filter(|e| e.simple) {
                if let Some(i) = position(e.target) {
                    reasons[i].push(Pending {
                        product: e.target,
                        strength: e.strength,
                        rule: e.rule,
                        because: Because::Antecedent,
                    });
                }
            }
        }
        ranked
            .into_iter()
            .zip(reasons)
            .map(|((product, (priority, score)), mut pending)| {
                self.shown.push(product);
                sort_by(&mut pending, |a, b| {
                    b.strength.total_cmp(&a.strength).then(a.rule.cmp(&b.rule))
                });
                Suggestion {
                    product,
                    priority,
                    score,
                    reasons: pending.iter().map(|p| self.reason(p)).collect(),
                }
            })
            .collect()
    }

    fn reason(&self, p: &Pending) -> Reason {
        let because = match p.because {
            Because::Antecedent => Vec::new(),
            Because::Triggers(from, to) => self.triggers[from as usize..to as usize].to_vec(),
        };
        match &self.config.rule(p.rule).kind {
            RuleKind::BoughtTogether(bt) => Reason {
                rule: p.rule,
                because: bt.antecedent.clone(),
                detail: ReasonDetail::BoughtTogether {
                    confidence: bt.measures.confidence,
                    lift: bt.measures.lift,
                },
            },
            RuleKind::AddOn(_) => Reason {
                rule: p.rule,
                because,
                detail: ReasonDetail::AddOn,
            },
            _ => Reason {
                rule: p.rule,
                because,
                detail: ReasonDetail::CrossSell,
            },
        }
    }

    fn bundle(&self, cross_sells: &[Suggestion]) -> Option<Bundle> {
        let anchor = self
            .current
            .filter(|&p| self.ctx.placement == Placement::Product && self.in_stock(p))?;
        if cross_sells.is_empty() {
            return None;
        }
        let items: Vec<ProductIdx> = std::iter::once(anchor)
            .chain(cross_sells.iter().map(|s| s.product))
            .collect();
        Some(Bundle {
            anchor,
            anchor_in_basket: self.in_basket(anchor),
            price: self.config.bundle_price(&items, true, self.ctx.live),
        })
    }

    fn add_ons(&mut self) -> Vec<Suggestion> {
        let config = self.config;
        let mut candidates = Candidates::new(64);
        let present = self.present();
        let reached = self.reached(&config.hand.add_on);
        for &(idx, start, end) in &reached.groups {
            let rule = config.rule(idx);
            let RuleKind::AddOn(a) = &rule.kind else {
                continue;
            };
            if !reached.products(start, end).any(|p| present.contains(&p)) {
                self.trace(idx, None, FilterReason::Antecedent);
                continue;
            }
            if !self.applies(idx, rule) {
                continue;
            }
            let from = self.triggers.len() as u32;
            self.triggers
                .extend(reached.products(start, end).filter(|p| present.contains(p)));
            let because = Because::Triggers(from, self.triggers.len() as u32);
            self.offer(&mut candidates, idx, rule, listed(&a.add_ons), because);
        }
        let limit = config.store().max_items.of(self.ctx.placement);
        self.rank(candidates, limit)
    }

    fn upgrades(&mut self) -> Vec<UpgradeOffer> {
        let config = self.config;
        if self.ctx.placement == Placement::Confirmation {
            return Vec::new();
        }
        let present = self.present();
        let mut offers: Vec<UpgradeOffer> = Vec::new();
        let reached = self.reached(&config.hand.upgrade);
        for &(idx, start, end) in &reached.groups {
            let rule = config.rule(idx);
            let RuleKind::Upgrade(u) = &rule.kind else {
                continue;
            };
            let sources: Vec<ProductIdx> = reached
                .products(start, end)
                .filter(|p| present.contains(p))
                .collect();
            if sources.is_empty() {
                self.trace(idx, None, FilterReason::Antecedent);
                continue;
            }
            if !self.applies(idx, rule) {
                continue;
            }
            if let Some(why) = self.blocked(u.to) {
                self.trace(idx, Some(u.to), why);
                continue;
            }
            for from in sources {
                let reason = Reason {
                    rule: idx,
                    because: vec![from],
                    detail: ReasonDetail::Upgrade,
                };
                if let Some(existing) = offers.iter_mut().find(|o| o.to == u.to) {
                    existing.priority = existing.priority.max(rule.priority);
                    existing.reasons.push(reason);
                    continue;
                }
                let (source, target) = (config.product(from), config.product(u.to));
                offers.push(UpgradeOffer {
                    from,
                    to: u.to,
                    price_difference: config.offer(self.ctx.live, u.to).price.minor()
                        - config.offer(self.ctx.live, from).price.minor(),
                    comparison: compare(source, target, &u.compare),
                    priority: rule.priority,
                    reasons: vec![reason],
                });
            }
        }
        sort_by(&mut offers, |a, b| {
            b.priority
                .cmp(&a.priority)
                .then(a.price_difference.cmp(&b.price_difference))
                .then(a.to.cmp(&b.to))
        });
        let limit = config.store().max_items.of(self.ctx.placement);
        for offer in offers.iter().skip(limit) {
            let rule = offer.reasons[0].rule;
            let to = offer.to;
            self.trace(rule, Some(to), FilterReason::PlacementLimit);
        }
        offers.truncate(limit);
        self.shown.extend(offers.iter().map(|o| o.to));
        offers
    }

    /// Free-shipping progress, only for a cart worth something: an empty cart is
    /// not nudged towards a threshold (nor offered gap fillers).
    fn free_shipping(&mut self) -> Option<FreeShipping> {
        let config = self.config;
        let threshold = config
            .store()
            .free_shipping_threshold
            .filter(|_| self.ctx.placement.is_cart() && self.basket_value > Money::ZERO)?;
        let gap = if self.basket_value >= threshold {
            Money::ZERO
        } else {
            threshold - self.basket_value
        };
        let mut items = Vec::new();
        if gap > Money::ZERO {
            let limit = config.store().max_items.of(self.ctx.placement);
            // (priority, closes the gap, distance from the gap, product, rule)
            let mut picks: Vec<(i32, bool, i64, ProductIdx, RuleIdx)> = Vec::new();
            for &idx in &config.hand.threshold {
                let rule = config.rule(idx);
                let RuleKind::Threshold(t) = &rule.kind else {
                    continue;
                };
                if !self.applies(idx, rule) {
                    continue;
                }
                // `by_price` is in the config's price order: live prices may differ, so
                // whether an item closes the gap is decided by its own price below.
                let split = t
                    .by_price
                    .partition_point(|p| config.product(*p).price_to_add() < gap);
                let want = rule.limit.unwrap_or(limit).min(limit);
                // Cheapest items that close the gap, then the closest ones below it.
                let closers = t.by_price[split..].iter();
                let below = t.by_price[..split].iter().rev();
                let mut taken = 0;
                for p in closers.chain(below).copied() {
                    if taken >= want {
                        break;
                    }
                    if let Some(why) = self.blocked(p) {
                        self.trace(idx, Some(p), why);
                        continue;
                    }
                    taken += 1;
                    let price = config.offer(self.ctx.live, p).price;
                    picks.push((
                        rule.priority,
                        price >= gap,
                        (price.minor() - gap.minor()).abs(),
                        p,
                        idx,
                    ));
                }
            }
            sort_by(&mut picks, |a, b| {
                b.0.cmp(&a.0)
                    .then(b.1.cmp(&a.1))
                    .then(a.2.cmp(&b.2))
                    .then(a.3.cmp(&b.3))
            });
            for (priority, _, _, product, rule) in picks {
                if items.iter().any(|s: &Suggestion| s.product == product) {
                    continue;
                }
                if items.len() >= limit {
                    self.trace(rule, Some(product), FilterReason::PlacementLimit);
                    continue;
                }
                items.push(Suggestion {
                    product,
                    priority,
                    score: 0.0,
                    reasons: vec![Reason {
                        rule,
                        because: Vec::new(),
                        detail: ReasonDetail::Threshold { gap },
                    }],
                });
            }
            self.shown.extend(items.iter().map(|s| s.product));
        }
        Some(FreeShipping {
            threshold,
            basket_value: self.basket_value,
            gap,
            items,
        })
    }
}

fn compare(from: &Product, to: &Product, attributes: &[String]) -> Vec<AttributeComparison> {
    attributes
        .iter()
        .map(|name| AttributeComparison {
            name: name.clone(),
            from: from.attribute(name).map(str::to_owned),
            to: to.attribute(name).map(str::to_owned),
        })
        .collect()
}
