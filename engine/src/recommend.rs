//! Evaluation: given where the shopper is and what is in the basket, what to suggest and why.
//!
//! Pure and deterministic: the same config and context always give the same suggestions
//! in the same order. Filters that always hold: never the current product, never what is
//! already in the basket, never out of stock, never the same product twice, never more
//! than the placement's limit.

use crate::config::{Config, ProductIdx, RuleIdx, RuleKind};
use crate::copy::CopyKey;
use crate::money::Money;
use std::cmp::Ordering;
use std::collections::HashMap;

/// Where on the store the widget is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Placement {
    /// A product page, with a current product.
    Product,
    /// The cart page or drawer.
    Cart,
    /// The checkout page.
    Checkout,
    /// The order confirmation ("thank you") page.
    Confirmation,
}

impl Placement {
    /// Parses the `placement` attribute value.
    pub fn parse(name: &str) -> Option<Placement> {
        match name {
            "product" => Some(Placement::Product),
            "cart" => Some(Placement::Cart),
            "checkout" => Some(Placement::Checkout),
            "confirmation" => Some(Placement::Confirmation),
            _ => None,
        }
    }

    /// The attribute value for this placement.
    pub fn name(self) -> &'static str {
        match self {
            Placement::Product => "product",
            Placement::Cart => "cart",
            Placement::Checkout => "checkout",
            Placement::Confirmation => "confirmation",
        }
    }
}

/// One line of the shopper's basket.
#[derive(Clone, Debug, PartialEq)]
pub struct BasketLine {
    /// Product id as in the catalog; unknown ids are kept out of suggestions but trigger nothing.
    pub product: String,
    /// Variant id, if the store has variants.
    pub variant: Option<String>,
    /// How many.
    pub quantity: u32,
    /// Unit price as the cart reports it, if known; otherwise the catalog price is used.
    pub price: Option<Money>,
}

/// Everything evaluation needs to know about the moment.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// Where the widget is.
    pub placement: Placement,
    /// The product page's product, if any.
    pub product: Option<&'a str>,
    /// The basket.
    pub basket: &'a [BasketLine],
}

/// Why a product is suggested.
#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    /// The rule that fired.
    pub rule: RuleIdx,
    /// The present products that made it fire.
    pub because: Vec<ProductIdx>,
    /// The rule's confidence, when known.
    pub confidence: Option<f64>,
}

/// One suggested product.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// The product to show.
    pub product: ProductIdx,
    /// Ranking score: higher first (ties broken by lift, then catalog order).
    pub score: f64,
    /// Every rule that suggested it, strongest first.
    pub reasons: Vec<Reason>,
}

/// The answer for one placement.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recommendations {
    /// Ranked suggestions, at most the placement's limit.
    pub suggestions: Vec<Suggestion>,
}

/// Confidence assumed for hand-made rules that state none: ranks them like a good mined rule.
const HANDMADE_CONFIDENCE: f64 = 0.5;

#[derive(Default)]
struct Candidate {
    priority: i32,
    score: f64,
    lift: f64,
    reasons: Vec<Reason>,
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
    /// let recs = config.recommend(&Context { placement: Placement::Product, product: Some("cam"), basket: &[] });
    /// let ids: Vec<_> = recs.suggestions.iter().map(|s| config.product(s.product).id.as_str()).collect();
    /// assert_eq!(ids, ["cable", "psu"]);
    /// ```
    pub fn recommend(&self, ctx: &Context<'_>) -> Recommendations {
        let current = ctx.product.and_then(|id| self.product_idx(id));
        let in_basket: Vec<ProductIdx> = {
            let mut v: Vec<_> = ctx
                .basket
                .iter()
                .filter_map(|l| self.product_idx(&l.product))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        // What triggers rules: the page's product on product pages, the basket elsewhere.
        let present: Vec<ProductIdx> = match (ctx.placement, current) {
            (Placement::Product, Some(p)) => vec![p],
            (Placement::Product, None) => Vec::new(),
            _ => in_basket.clone(),
        };
        let is_present = |p: &ProductIdx| present.contains(p) || in_basket.binary_search(p).is_ok();

        let mut candidates: HashMap<ProductIdx, Candidate> = HashMap::new();
        for &anchor in &present {
            for &rule_idx in self.rules_anchored_on(anchor) {
                let rule = self.rule(rule_idx);
                let RuleKind::BoughtTogether(bt) = &rule.kind;
                if !bt.antecedent.iter().all(|a| present.contains(a)) {
                    continue;
                }
                let confidence = bt.measures.confidence;
                let score = confidence.unwrap_or(HANDMADE_CONFIDENCE);
                for &target in &bt.consequent {
                    if Some(target) == current || is_present(&target) {
                        continue;
                    }
                    if !self.product(target).in_stock {
                        continue;
                    }
                    let c = candidates.entry(target).or_default();
                    if c.reasons.is_empty() || (rule.priority, score) > (c.priority, c.score) {
                        c.priority = rule.priority;
                        c.score = score;
                        c.lift = bt.measures.lift.unwrap_or(1.0);
                    }
                    c.reasons.push(Reason {
                        rule: rule_idx,
                        because: bt.antecedent.clone(),
                        confidence,
                    });
                }
            }
        }

        let mut ranked: Vec<(ProductIdx, Candidate)> = candidates.into_iter().collect();
        ranked.sort_by(|(pa, a), (pb, b)| {
            b.priority
                .cmp(&a.priority)
                .then(b.score.total_cmp(&a.score))
                .then(b.lift.total_cmp(&a.lift))
                .then(pa.cmp(pb))
        });
        let limit = self.limit(ctx.placement);
        Recommendations {
            suggestions: ranked
                .into_iter()
                .take(limit)
                .map(|(product, mut c)| {
                    c.reasons.sort_by(|a, b| {
                        b.confidence
                            .unwrap_or(HANDMADE_CONFIDENCE)
                            .partial_cmp(&a.confidence.unwrap_or(HANDMADE_CONFIDENCE))
                            .unwrap_or(Ordering::Equal)
                            .then(a.rule.cmp(&b.rule))
                    });
                    Suggestion {
                        product,
                        score: c.score,
                        reasons: c.reasons,
                    }
                })
                .collect(),
        }
    }

    /// The most suggestions a placement shows.
    pub fn limit(&self, placement: Placement) -> usize {
        let max = &self.store().max_items;
        let n = match placement {
            Placement::Product => max.product,
            Placement::Cart | Placement::Checkout => max.cart,
            Placement::Confirmation => max.confirmation,
        };
        n as usize
    }

    /// The human sentence for a reason, in the config's copy: "Bought with X by 38% of shoppers".
    pub fn explain(&self, reason: &Reason) -> String {
        let names: Vec<&str> = reason
            .because
            .iter()
            .map(|&p| self.product(p).title.as_str())
            .collect();
        let product = names.join(" + ");
        let copy = &self.store().copy;
        match reason.confidence {
            Some(c) => {
                let percent = format!("{}%", (c * 100.0).round() as u32);
                copy.fill(
                    CopyKey::ReasonBoughtTogether,
                    &[("product", &product), ("percent", &percent)],
                )
            }
            None => copy.fill(CopyKey::ReasonGoesWith, &[("product", &product)]),
        }
    }
}
