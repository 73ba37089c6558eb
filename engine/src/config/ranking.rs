//! How a bought-together rule's measures become the strength it adds to a suggestion's
//! score. Evaluation sums these strengths over every rule that fires for a candidate
//! (every basket line's pair rules, and the longer rules whose whole antecedent is in the
//! basket), so a product backed by several basket lines beats one backed by a single line
//! of the same confidence.
//!
//! Computed once per rule when a config is built (the edges carry it), never per call.
//! Only the measures in the rule are used, so a config written by `cartlift mine` carries
//! everything the ranking needs: with support `s(a∪b)`, confidence `s(a∪b)/s(a)` and lift
//! `confidence/s(b)`, the supports of the antecedent and of the consequent follow.

/// Strength of a bought-together rule that states no confidence: like a good mined rule.
pub(crate) const HANDMADE_CONFIDENCE: f64 = 0.5;

/// Association measures of a rule; `None` where the config gives none (hand-made rules).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Measures {
    /// P(antecedent ∪ consequent).
    pub support: Option<f64>,
    /// P(consequent | antecedent).
    pub confidence: Option<f64>,
    /// confidence / P(consequent).
    pub lift: Option<f64>,
    /// The stated score contribution (ridge weight of a mined pair rule).
    pub weight: Option<f64>,
}

/// The ranking's settings; [`Ranking::DEFAULT`] is what the widget uses, tuned offline on
/// validation orders carved from training orders (see the README, "Suggestion quality").
///
/// A rule that states a `weight` (`cartlift mine` fits one for every pair rule: see
/// [`crate::mining::Ridge`]) adds that weight, times `longer` for longer antecedents. Any
/// other rule `a → b` with supports `s(a∪b)`, `s(a)`, `s(b)` adds
///
/// ```text
/// weight × ((s(a∪b) + smoothing × s(b)) / (s(a) + smoothing)) ^ power
///        × s(a) ^ spread / s(b) ^ damping
/// ```
///
/// - `smoothing` (a share of orders, a pseudo-count) shrinks the confidence of rules whose
///   antecedent was bought rarely towards the consequent's base rate `s(b)`: three orders
///   out of three is a weaker "100%" than three hundred out of three hundred. Rules that
///   state no support or lift (hand-made) are neither shrunk nor discounted: only the
///   power applies to their confidence.
/// - `power` above 1 lets one strong rule outweigh several weak ones (sum of confidences
///   is `power = 1`; the best single rule is the limit of a large power).
/// - `damping` discounts popular consequents: 0 ranks by confidence, which favours
///   bestsellers whatever the basket; 1 by lift, which favours rare items; in between,
///   like item-to-item cosine (0.5), a rare complement of a popular basket item can
///   still rank.
/// - `spread` gives weight back to basket items bought so often that their confidence is
///   spread thin over many consequents (item-to-item cosine is `power = 1`,
///   `damping = 0.5`, `spread = 0.5`).
/// - `weight` is 1 for a one-item antecedent and `longer` for longer antecedents (they
///   fire only when their whole antecedent is in the basket, and then say more).
///
/// ```
/// use cartlift_engine::config::Ranking;
/// let r: Ranking = "smoothing=0.001,power=2,longer=1.5".parse().unwrap();
/// assert_eq!((r.smoothing, r.power, r.longer), (0.001, 2.0, 1.5));
/// assert!("power=0".parse::<Ranking>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ranking {
    /// Pseudo-support added to the antecedent (0: none).
    pub smoothing: f64,
    /// Exponent applied to each rule's (smoothed) confidence.
    pub power: f64,
    /// Exponent of the consequent's support the strength is divided by.
    pub damping: f64,
    /// Exponent of the antecedent's support the strength is multiplied by.
    pub spread: f64,
    /// Weight of rules with two or more antecedent items.
    pub longer: f64,
    /// Whether rules' stated weights are used (else every rule takes the formula).
    pub weighted: bool,
    /// The share of a candidate's score that comes from its single most confident rule
    /// (0: the summed strengths alone; 1: the best rule's confidence alone, the "best
    /// pair confidence" ranking). Chosen per store by `cartlift mine` (see
    /// [`crate::quality::tune_ridge`]) and written as `store.ranking.peak`.
    pub peak: f64,
    /// How much the consequent's popularity (its share of orders) adds to the best
    /// rule's confidence in the [`Ranking::peak`] share: breaks near-ties towards what
    /// sells, and with a large value ranks the basket's co-purchases by popularity (what
    /// wins in a store whose items are bought independently).
    pub prior: f64,
}

impl Default for Ranking {
    fn default() -> Ranking {
        Ranking::DEFAULT
    }
}

impl Ranking {
    /// The widget's ranking, tuned with `cartlift evaluate --validation` on groceries.csv
    /// and on the synthetic shop (`cargo xtask quality`), mining with `--min-count 2`.
    pub const DEFAULT: Ranking = Ranking {
        smoothing: 0.0001,
        power: 1.25,
        damping: 0.15,
        spread: 0.1,
        longer: 1.0,
        weighted: true,
        peak: 0.0,
        prior: 0.0,
    };

    /// The plain sum of confidences (cartlift's ranking before it was tuned).
    pub const CONFIDENCE_SUM: Ranking = Ranking {
        smoothing: 0.0,
        power: 1.0,
        damping: 0.0,
        spread: 0.0,
        longer: 1.0,
        weighted: false,
        peak: 0.0,
        prior: 0.0,
    };

    /// What the best-rule share of the score ([`Ranking::peak`]) takes from a rule: its
    /// confidence shrunk by `smoothing` towards the consequent's base rate (as in
    /// [`Ranking::strength`]) plus `prior` times that base rate; the stated confidence of
    /// a rule without support and lift, [`HANDMADE_CONFIDENCE`] without any.
    pub fn confidence(&self, m: &Measures) -> f64 {
        let c = match (m.support, m.confidence, m.lift) {
            (Some(s), Some(c), Some(l)) if s > 0.0 && c > 0.0 && l > 0.0 => {
                let antecedent = (s / c).min(1.0);
                let consequent = (c / l).min(1.0);
                ((s + self.smoothing * consequent) / (antecedent + self.smoothing)).min(1.0)
                    + self.prior * consequent
            }
            (_, Some(c), _) => c,
            _ => HANDMADE_CONFIDENCE,
        };
        if c.is_finite() { c.max(0.0) } else { 0.0 }
    }

    /// How a candidate's summed strengths and its best rule's confidence make its score.
    pub fn score(&self, sum: f64, best: f64) -> f64 {
        if self.peak == 0.0 {
            sum
        } else {
            (1.0 - self.peak) * sum + self.peak * best
        }
    }

    /// The strength a rule with these measures and an antecedent of `antecedent` items
    /// adds to each of its consequents.
    pub fn strength(&self, m: &Measures, antecedent: usize) -> f64 {
        let weight = if antecedent > 1 { self.longer } else { 1.0 };
        if self.weighted
            && let Some(w) = m.weight
        {
            let strength = weight * w;
            return if strength.is_finite() {
                strength.max(0.0)
            } else {
                0.0
            };
        }
        let (confidence, antecedent, consequent) = match (m.support, m.confidence, m.lift) {
            (Some(s), Some(c), Some(l)) if s > 0.0 && c > 0.0 && l > 0.0 => {
                let antecedent = (s / c).min(1.0);
                let consequent = (c / l).min(1.0);
                let shrunk = (s + self.smoothing * consequent) / (antecedent + self.smoothing);
                (shrunk.min(1.0), antecedent, consequent)
            }
            // Without support and lift there is no base rate to shrink towards or to
            // discount: the stated confidence is the evidence.
            (_, Some(c), _) => (c, 1.0, 1.0),
            _ => (HANDMADE_CONFIDENCE, 1.0, 1.0),
        };
        let strength = weight * confidence.powf(self.power) * antecedent.powf(self.spread)
            / consequent.powf(self.damping);
        if strength.is_finite() { strength } else { 0.0 }
    }
}

/// `name=value` pairs, comma-separated, for `smoothing`, `power`, `damping`, `spread`,
/// `longer`, `peak`, `prior` and `weights` (1: use stated weights, 0: ignore them); unnamed settings keep
/// their [`Ranking::DEFAULT`] value.
impl std::str::FromStr for Ranking {
    type Err = String;

    fn from_str(text: &str) -> Result<Ranking, String> {
        let mut r = Ranking::DEFAULT;
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("{part:?}: write name=value"))?;
            let v: f64 = value
                .trim()
                .parse()
                .map_err(|_| format!("{part:?}: {value:?} is not a number"))?;
            if name.trim() == "weights" {
                r.weighted = match value.trim() {
                    "1" => true,
                    "0" => false,
                    _ => return Err(format!("{part:?}: weights is 0 or 1")),
                };
                continue;
            }
            let (slot, ok) = match name.trim() {
                "smoothing" => (&mut r.smoothing, v >= 0.0),
                "power" => (&mut r.power, v > 0.0),
                "damping" => (&mut r.damping, (0.0..=1.0).contains(&v)),
                "spread" => (&mut r.spread, (0.0..=1.0).contains(&v)),
                "longer" => (&mut r.longer, v >= 0.0),
                "peak" => (&mut r.peak, (0.0..=1.0).contains(&v)),
                "prior" => (&mut r.prior, v >= 0.0),
                other => {
                    return Err(format!(
                        "unknown setting {other:?} (smoothing, power, damping, spread, longer, peak, prior, weights)"
                    ));
                }
            };
            if !(ok && v.is_finite()) {
                return Err(format!("{part:?}: out of range"));
            }
            *slot = v;
        }
        Ok(r)
    }
}

#[cfg(test)]
mod tests {
    use crate::Config;
    use crate::config::raw::RawConfig;
    use crate::recommend::{BasketLine, Context, Placement};

    /// Two basket items each weakly predict `pair`; one strongly predicts `single`.
    fn config(ranking: serde_json::Value) -> Config {
        let rule = |id: &str, from: &str, to: &str, confidence: f64, weight: f64| {
            serde_json::json!({"kind": "bought_together", "id": id, "antecedent": [from],
                "consequent": [to], "support": 0.01, "confidence": confidence,
                "lift": confidence / 0.1, "weight": weight, "source": "mined"})
        };
        let product =
            |id: &str| serde_json::json!({"id": id, "title": id, "price": 1, "in_stock": true});
        let mut store = serde_json::json!({"currency": "USD"});
        if !ranking.is_null() {
            store["ranking"] = ranking;
        }
        let catalog = ["a", "b", "pair", "single"].map(product);
        let raw: RawConfig = serde_json::from_value(serde_json::json!({
            "version": 1, "store": store,
            "catalog": catalog,
            "rules": [
                rule("1", "a", "pair", 0.3, 0.3),
                rule("2", "b", "pair", 0.3, 0.3),
                rule("3", "a", "single", 0.5, 0.5),
            ]
        }))
        .unwrap();
        Config::build(&raw).unwrap()
    }

    fn first(config: &Config) -> String {
        let basket = ["a", "b"].map(|p| BasketLine {
            product: p.into(),
            variant: None,
            quantity: 1,
            price: None,
        });
        let recs = config.recommend(&Context::new(Placement::Cart, 0).basket(&basket));
        let p = recs.products().next().expect("a suggestion");
        config.product(p).id.clone()
    }

    #[test]
    fn the_store_ranking_decides_between_summed_and_best_rule() {
        // Summed weights: 0.3 + 0.3 beat 0.5.
        assert_eq!(first(&config(serde_json::Value::Null)), "pair");
        // The best rule's confidence: 0.5 beats 0.3.
        let peak = config(serde_json::json!({"peak": 1}));
        assert_eq!(peak.ranking().peak, 1.0);
        assert_eq!(first(&peak), "single");
        // And a compiled config ranks the same.
        let bytes = peak.to_compiled().unwrap();
        let back = Config::from_compiled(&bytes).unwrap();
        assert_eq!(back.ranking(), peak.ranking());
        assert_eq!(first(&back), "single");
        // Out of range is a problem with its path.
        let raw: RawConfig = serde_json::from_value(serde_json::json!({
            "version": 1, "store": {"currency": "USD", "ranking": {"peak": 2}}
        }))
        .unwrap();
        let err = Config::build(&raw).unwrap_err();
        assert!(err.to_string().contains("store.ranking.peak"), "{err}");
    }
}
