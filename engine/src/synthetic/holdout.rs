//! A seeded store running a holdout, with a known, planted effect, to check that
//! `cartlift report` finds what is there and only that.
//!
//! Shoppers' sessions are split into treatment and holdout by the holdout share; a share
//! of them orders ([`HoldoutSpec::conversion`], the same in both buckets). An order's
//! basket is worth a log-normal amount (most orders small, a long tail of large ones, as
//! in real stores); some orders in both buckets also take an accessory the shopper would
//! have bought anyway, which in the treatment the widget often adds (attributed to the
//! widget, but not caused by it). The widget's planted effect: in the treatment a share
//! of orders gets an add the shopper would not have made, worth on average what raises
//! the treatment's mean order value by exactly [`HoldoutSpec::lift`]. Some adds are
//! removed again before checkout. So the truth is known: the difference in mean order
//! value is `lift` × the holdout's mean ([`HoldoutSpec::planted_order_value_difference`]),
//! and in revenue per session that times the conversion rate.

use super::Rng;
use crate::report::orders::{Added, Day, Order, Outcome};
use crate::shopper::Bucket;
use std::fmt::Write;

/// The shape of a simulated store.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HoldoutSpec {
    /// Sessions (shoppers' visits that reached a placement).
    pub sessions: usize,
    /// Share of shoppers held out, in percent.
    pub holdout_percent: f64,
    /// Share of sessions that order, in both buckets.
    pub conversion: f64,
    /// Mean value of the basket the shopper came for.
    pub basket_value: f64,
    /// Standard deviation of its logarithm (0.6: the top 5% of baskets are worth over
    /// twice the mean).
    pub basket_spread: f64,
    /// Share of orders that also take an accessory the shopper would have bought anyway.
    pub accessory_share: f64,
    /// The accessory's mean price.
    pub accessory_value: f64,
    /// In the treatment, the share of those accessories added through the widget.
    pub via_widget: f64,
    /// The planted effect: the treatment's mean order value ÷ the holdout's, minus 1.
    pub lift: f64,
    /// Share of treatment orders with an add the shopper would not have made (when
    /// `lift` > 0).
    pub incremental_share: f64,
    /// Share of treatment orders with an add removed before checkout.
    pub removed_share: f64,
    /// Days the sessions are spread over.
    pub days: u32,
}

impl HoldoutSpec {
    /// The coverage checks' store: 20,000 sessions, a 20% holdout, 5% conversion
    /// (about 1,000 orders, 200 of them in the holdout), baskets of USD 70 on average,
    /// +5% planted.
    pub const STORE: HoldoutSpec = HoldoutSpec {
        sessions: 20_000,
        holdout_percent: 20.0,
        conversion: 0.05,
        basket_value: 70.0,
        basket_spread: 0.6,
        accessory_share: 0.3,
        accessory_value: 20.0,
        via_widget: 0.5,
        lift: 0.05,
        incremental_share: 0.2,
        removed_share: 0.1,
        days: 28,
    };

    /// The holdout's mean order value.
    pub fn holdout_order_value(&self) -> f64 {
        self.basket_value + self.accessory_share * self.accessory_value
    }

    /// The planted treatment − holdout difference in mean order value.
    pub fn planted_order_value_difference(&self) -> f64 {
        self.lift * self.holdout_order_value()
    }

    /// The planted treatment − holdout difference in revenue per session.
    pub fn planted_per_session_difference(&self) -> f64 {
        self.conversion * self.planted_order_value_difference()
    }

    /// The store for a seed.
    pub fn generate(&self, seed: u64) -> SimulatedStore {
        let mut rng = Rng::new(seed);
        let start = Day::parse("2026-11-02").map_or(0, |d| d.0);
        let mut store = SimulatedStore {
            orders: Vec::new(),
            sessions: Vec::with_capacity(self.sessions),
        };
        let incremental_mean = if self.incremental_share > 0.0 {
            self.lift * self.holdout_order_value() / self.incremental_share
        } else {
            0.0
        };
        for s in 0..self.sessions {
            let bucket = if rng.unit() * 100.0 < self.holdout_percent {
                Bucket::Holdout
            } else {
                Bucket::Treatment
            };
            let day =
                Day(start + (s as u64 * u64::from(self.days.max(1)) / self.sessions as u64) as i32);
            let placement = if rng.unit() < 0.6 { "product" } else { "cart" };
            let mut session = SimulatedSession {
                id: format!("s{s}"),
                bucket,
                day,
                placement,
                order: None,
            };
            if rng.unit() < self.conversion {
                let treated = bucket == Bucket::Treatment;
                let mut total = log_normal(&mut rng, self.basket_value, self.basket_spread);
                let mut items = 1 + u64::from(rng.unit() < 0.4) + u64::from(rng.unit() < 0.15);
                let mut added = Vec::new();
                if rng.unit() < self.accessory_share {
                    let price = log_normal(&mut rng, self.accessory_value, 0.3);
                    total += price;
                    items += 1;
                    if treated && rng.unit() < self.via_widget {
                        added.push(add(
                            &mut rng,
                            "acc",
                            "bought-anyway",
                            Outcome::Bought(cents(price)),
                        ));
                    }
                }
                if treated && self.lift != 0.0 && rng.unit() < self.incremental_share {
                    let price = log_normal(&mut rng, incremental_mean, 0.5);
                    total += price;
                    items += 1;
                    added.push(add(
                        &mut rng,
                        "extra",
                        "incremental",
                        Outcome::Bought(cents(price)),
                    ));
                }
                if treated && rng.unit() < self.removed_share {
                    added.push(add(&mut rng, "removed", "removed", Outcome::NotBought));
                }
                store.orders.push(Order {
                    id: format!("#{}", 1001 + store.orders.len()),
                    line: store.orders.len() as u64 + 2,
                    day: Some(day),
                    total: cents(total),
                    currency: Some("USD".into()),
                    items,
                    bucket: Some(bucket),
                    experiment: Some("sim".into()),
                    lines: Vec::new(),
                    added,
                });
                session.order = Some(store.orders.len() - 1);
            }
            store.sessions.push(session);
        }
        store
    }
}

/// A product the widget added: one of a few products of a kind, through one of two
/// rules, from the session's placement.
fn add(rng: &mut Rng, kind: &str, rule: &str, outcome: Outcome) -> Added {
    let n = rng.below(4);
    Added {
        placement: if rng.unit() < 0.5 { "product" } else { "cart" }.into(),
        product: format!("{kind}-{n}"),
        rule: format!("{rule}-{}", n % 2),
        outcome,
    }
}

fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A log-normal amount with this mean and this standard deviation of its logarithm.
fn log_normal(rng: &mut Rng, mean: f64, sigma: f64) -> f64 {
    let mu = mean.ln() - sigma * sigma / 2.0;
    (mu + sigma * standard_normal(rng)).exp()
}

/// Box–Muller.
fn standard_normal(rng: &mut Rng) -> f64 {
    let u = 1.0 - rng.unit(); // (0, 1]
    let v = rng.unit();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// One session of a simulated store.
#[derive(Clone, Debug, PartialEq)]
pub struct SimulatedSession {
    /// Its session key.
    pub id: String,
    /// Its bucket.
    pub bucket: Bucket,
    /// Its day.
    pub day: Day,
    /// The placement it saw (or, in the holdout, would have seen).
    pub placement: &'static str,
    /// Its order, as an index into [`SimulatedStore::orders`].
    pub order: Option<usize>,
}

/// A simulated store's orders and sessions.
#[derive(Clone, Debug, PartialEq)]
pub struct SimulatedStore {
    /// Orders, as a reader would return them.
    pub orders: Vec<Order>,
    /// Every session, in order.
    pub sessions: Vec<SimulatedSession>,
}

impl SimulatedStore {
    /// Sessions per bucket: (treatment, holdout).
    pub fn session_counts(&self) -> [u64; 2] {
        let holdout = self
            .sessions
            .iter()
            .filter(|s| s.bucket == Bucket::Holdout)
            .count() as u64;
        [self.sessions.len() as u64 - holdout, holdout]
    }

    /// The orders as the plain CSV `cartlift report` reads: `order_id`, `date`,
    /// `total`, `currency`, `bucket`, `items`, `experiment`, and `added` with each
    /// product's revenue (`null`: not bought).
    pub fn orders_csv(&self) -> String {
        let mut out = String::from("order_id,date,total,currency,bucket,items,experiment,added\n");
        for o in &self.orders {
            let added: Vec<serde_json::Value> = o
                .added
                .iter()
                .map(|a| {
                    let mut v = vec![
                        a.placement.clone().into(),
                        a.product.clone().into(),
                        a.rule.clone().into(),
                    ];
                    v.push(match a.outcome {
                        Outcome::Bought(r) => r.into(),
                        _ => serde_json::Value::Null,
                    });
                    serde_json::Value::Array(v)
                })
                .collect();
            let added = if added.is_empty() {
                String::new()
            } else {
                let json = serde_json::Value::Array(added).to_string();
                format!("\"{}\"", json.replace('"', "\"\""))
            };
            let _ = writeln!(
                out,
                "{},{},{:.2},USD,{},{},sim,{added}",
                o.id,
                o.day.map(|d| d.to_string()).unwrap_or_default(),
                o.total,
                o.bucket.map_or("", |b| b.name()),
                o.items,
            );
        }
        out
    }

    /// The widget's events as a collector writes them: per session an impression
    /// (`shown: false` in the holdout), and for a treatment session whose order has an
    /// add, a click and the add.
    pub fn events_jsonl(&self) -> String {
        let mut out = String::new();
        for s in &self.sessions {
            let detail = |rest: serde_json::Value| {
                let mut d = serde_json::json!({
                    "placement": s.placement, "bucket": s.bucket.name(), "experiment": "sim"
                });
                if let (Some(d), Some(rest)) = (d.as_object_mut(), rest.as_object()) {
                    d.extend(rest.clone());
                }
                d
            };
            let line = |event: &str, detail: serde_json::Value| {
                serde_json::json!({
                    "event": event, "cartlift": detail, "session_id": s.id,
                    "timestamp": format!("{}T12:00:00Z", s.day)
                })
                .to_string()
            };
            let shown = s.bucket == Bucket::Treatment;
            let _ = writeln!(
                out,
                "{}",
                line(
                    "cartlift_impression",
                    detail(
                        serde_json::json!({"products": ["acc-0"], "rules": ["bought-anyway-0"], "shown": shown})
                    )
                )
            );
            let Some(order) = s.order.map(|i| &self.orders[i]) else {
                continue;
            };
            if let Some(a) = order.added.first().filter(|_| shown) {
                let rules = [a.rule.clone()];
                let _ = writeln!(
                    out,
                    "{}",
                    line(
                        "cartlift_click",
                        detail(serde_json::json!({"product": a.product, "rules": rules}))
                    )
                );
                let value = match a.outcome {
                    Outcome::Bought(r) => r,
                    _ => 10.0,
                };
                let _ = writeln!(
                    out,
                    "{}",
                    line(
                        "cartlift_add_to_cart",
                        detail(serde_json::json!({
                            "items": [{"id": a.product, "variant": null, "quantity": 1}],
                            "rules": rules, "replaces": null, "value": value, "currency": "USD"
                        }))
                    )
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_with_the_planted_shape() {
        let spec = HoldoutSpec {
            sessions: 100_000,
            ..HoldoutSpec::STORE
        };
        let a = spec.generate(1);
        assert_eq!(a, spec.generate(1));
        assert_ne!(a.orders, spec.generate(2).orders);
        let [t, h] = a.session_counts();
        let share = h as f64 / (t + h) as f64;
        assert!((share - 0.2).abs() < 0.005, "{share}");
        let mean = |b: Bucket| {
            let v: Vec<f64> = a
                .orders
                .iter()
                .filter(|o| o.bucket == Some(b))
                .map(|o| o.total)
                .collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        // 5,000 orders: the means are within 3 standard errors of the truth (1,000 in
        // the holdout: 2.1%; 4,000 in the treatment: 1.1%).
        let (mt, mh) = (mean(Bucket::Treatment), mean(Bucket::Holdout));
        assert!(
            (mh / spec.holdout_order_value() - 1.0).abs() < 0.063,
            "{mh}"
        );
        assert!(
            (mt / (spec.holdout_order_value() * 1.05) - 1.0).abs() < 0.033,
            "{mt}"
        );
        let conversion = a.orders.len() as f64 / spec.sessions as f64;
        assert!((conversion - 0.05).abs() < 0.003, "{conversion}");
        // Adds only in the treatment.
        assert!(
            a.orders
                .iter()
                .filter(|o| o.bucket == Some(Bucket::Holdout))
                .all(|o| o.added.is_empty())
        );
        let small = HoldoutSpec {
            sessions: 2_000,
            ..spec
        }
        .generate(1);
        let csv = small.orders_csv();
        assert!(csv.starts_with(
            "order_id,date,total,currency,bucket,items,experiment,added\n#1001,2026-11-02,"
        ));
        assert_eq!(csv.lines().count(), small.orders.len() + 1);
        let events = small.events_jsonl();
        assert_eq!(
            events
                .lines()
                .filter(|l| l.contains("cartlift_impression"))
                .count(),
            2_000
        );
    }
}
