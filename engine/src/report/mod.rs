//! What the widget is worth, with error bars: orders and revenue per holdout bucket, the
//! treatment − holdout difference in average order value and in revenue per session with
//! a seeded bootstrap interval, a plain verdict, and the revenue of the products the
//! widget added, per placement and per rule (`cartlift report`).
//!
//! Pure: the readers ([`orders`], [`events`]) are fed bytes, [`build`] works on what they
//! read. The method, as the report states it:
//! - **interval**: 95% bootstrap-t ([`stats`]): each of [`Settings::resamples`] rounds
//!   redraws every bucket's orders with replacement (for revenue per session, its
//!   sessions: an order's total, or 0 for a session without an order) and studentizes
//!   the round's figure by its own standard error; seeded with [`Settings::seed`];
//! - **verdict**: an interval that includes 0 is "no measurable effect yet"; otherwise
//!   the widget raised (or lowered) the figure;
//! - **how many more**: the two-sample normal approximation for 80% power at the
//!   two-sided 5% level to find a change of [`Settings::target`] (+5%) of the holdout's
//!   figure, with the buckets' variance pooled and split as they are now
//!   ([`stats::units_needed`]).

pub mod events;
pub mod orders;
pub mod stats;

use crate::shopper::Bucket;
use crate::synthetic::Rng;
use events::{BucketKey, Events};
use orders::{Day, Order, Outcome};
use stats::{Interval, Sessions};
use std::collections::BTreeMap;

/// How the report is computed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// Bootstrap rounds.
    pub resamples: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// The relative change "how many more orders" is worked out for (0.05: +5%).
    pub target: f64,
    /// Rules listed in the attribution table.
    pub top: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            resamples: 2_000,
            seed: 42,
            target: 0.05,
            top: 20,
        }
    }
}

/// What is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Revenue ÷ orders.
    OrderValue,
    /// Revenue ÷ sessions with an impression.
    RevenuePerSession,
}

impl Metric {
    /// `average order value`, `revenue per session`.
    pub fn name(self) -> &'static str {
        match self {
            Metric::OrderValue => "average order value",
            Metric::RevenuePerSession => "revenue per session",
        }
    }

    /// What the sample is counted in: `orders`, `sessions`.
    pub fn units(self) -> &'static str {
        match self {
            Metric::OrderValue => "orders",
            Metric::RevenuePerSession => "sessions",
        }
    }
}

/// What the interval says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The interval is above 0.
    Raised,
    /// The interval is below 0.
    Lowered,
    /// The interval includes 0.
    NoMeasurableEffect,
    /// A bucket has fewer than [`MIN_ORDERS`] orders: no interval yet (its ends are NaN).
    TooFewOrders,
}

/// The fewest orders in each bucket for an interval: below, the bootstrap's intervals
/// are unreliable (a bootstrap-t interval of 4 orders can be wider than any order).
pub const MIN_ORDERS: usize = 20;

/// The treatment − holdout difference in one metric.
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    /// Which.
    pub metric: Metric,
    /// Treatment's figure and its interval.
    pub treatment: Interval,
    /// Holdout's figure and its interval.
    pub holdout: Interval,
    /// Treatment − holdout.
    pub difference: Interval,
    /// What the interval says.
    pub verdict: Verdict,
    /// Units (orders, sessions) in the comparison now.
    pub units: u64,
    /// Orders in the treatment and in the holdout.
    pub orders: (u64, u64),
    /// Units in all needed to find [`Settings::target`] with 80% power (`None`: cannot
    /// be worked out, e.g. no variance).
    pub needed: Option<u64>,
    /// The relative change it is worked out for.
    pub target: f64,
}

impl Effect {
    /// The difference relative to the holdout's figure.
    pub fn relative(&self) -> f64 {
        self.difference.estimate / self.holdout.estimate
    }

    /// The plain sentence: "no measurable effect yet: the interval includes 0; about
    /// 12,000 more orders needed to detect +5%", or "the widget raised average order
    /// value by USD 4.10 (+5.2%; 95% interval USD 0.90 to USD 7.30)". With enough orders
    /// for 80% power it does not claim the effect is small: only that the interval
    /// includes 0, and which effects remain possible.
    pub fn sentence(&self, currency: Option<&str>) -> String {
        let target = format!("{:+.0}%", self.target * 100.0);
        let more = |n: u64| {
            format!(
                "about {} more {} needed to detect {target}",
                thousands(round_2(n)),
                self.metric.units()
            )
        };
        match self.verdict {
            Verdict::TooFewOrders => {
                let mut s = format!(
                    "no measurable effect yet: too few orders for an interval ({} in the \
                     treatment, {} in the holdout; it takes {MIN_ORDERS} in each)",
                    thousands(self.orders.0),
                    thousands(self.orders.1)
                );
                if let Some(n) = self.needed.map(|n| n.saturating_sub(self.units)) {
                    s += "; ";
                    s += &more(n.max(1));
                }
                s
            }
            Verdict::NoMeasurableEffect => {
                match self.needed.map(|n| n.saturating_sub(self.units)) {
                    Some(0) => format!(
                        "no measurable effect: the interval includes 0, with {} {}, enough to \
                         detect {target} four times in five; effects up to the interval's \
                         upper end remain possible",
                        thousands(self.units),
                        self.metric.units()
                    ),
                    Some(n) => format!(
                        "no measurable effect yet: the interval includes 0; {}",
                        more(n)
                    ),
                    None => "no measurable effect yet: the interval includes 0".to_string(),
                }
            }
            Verdict::Raised | Verdict::Lowered => format!(
                "the widget {} {} by {} ({:+.1}%; 95% interval {} to {})",
                if self.verdict == Verdict::Raised {
                    "raised"
                } else {
                    "lowered"
                },
                self.metric.name(),
                money(self.difference.estimate.abs(), currency),
                self.relative() * 100.0,
                money(self.difference.low, currency),
                money(self.difference.high, currency),
            ),
        }
    }
}

/// One bucket's orders (and sessions).
#[derive(Clone, Debug, PartialEq)]
pub struct BucketRow {
    /// Treatment, holdout, or `None`: orders without a bucket.
    pub bucket: Option<Bucket>,
    /// Orders.
    pub orders: u64,
    /// Their revenue.
    pub revenue: f64,
    /// Items bought.
    pub items: u64,
    /// Average order value and its 95% interval (`None` for fewer than two orders).
    pub order_value: Option<Interval>,
    /// Sessions with an impression, when events were read.
    pub sessions: Option<u64>,
    /// Revenue per session and its interval.
    pub per_session: Option<Interval>,
}

impl BucketRow {
    /// Revenue ÷ orders.
    pub fn average_order_value(&self) -> f64 {
        self.revenue / self.orders as f64
    }

    /// Items ÷ orders.
    pub fn items_per_order(&self) -> f64 {
        self.items as f64 / self.orders as f64
    }
}

/// One line of an attribution table: what the widget added from a placement, or for a
/// rule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attributed {
    /// The placement or rule id.
    pub key: String,
    /// Products added (in orders placed).
    pub added: u64,
    /// Of them, bought.
    pub bought: u64,
    /// Their revenue.
    pub revenue: f64,
    /// Orders with at least one of them bought.
    pub orders: u64,
}

/// One placement's events in one bucket.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacementRow {
    /// The bucket.
    pub bucket: Bucket,
    /// The placement.
    pub placement: String,
    /// Counts.
    pub events: events::PlacementEvents,
}

impl PlacementRow {
    /// Sessions with a click ÷ sessions with an impression.
    pub fn click_through(&self) -> f64 {
        self.events.click_sessions as f64 / self.events.sessions as f64
    }

    /// Sessions with an add ÷ sessions with an impression.
    pub fn add_to_cart(&self) -> f64 {
        self.events.add_sessions as f64 / self.events.sessions as f64
    }
}

/// The report.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The orders' currency, if they say.
    pub currency: Option<String>,
    /// First and last day with an order.
    pub period: Option<(Day, Day)>,
    /// Treatment, holdout, then orders without a bucket (when there are).
    pub buckets: Vec<BucketRow>,
    /// The difference in average order value (`None`: a bucket has fewer than two orders).
    pub order_value: Option<Effect>,
    /// The difference in revenue per session (`None`: no sessions, or see `notes`).
    pub per_session: Option<Effect>,
    /// Events per bucket and placement.
    pub placements: Vec<PlacementRow>,
    /// What the widget added, per placement (every order's: the holdout's have none).
    pub by_placement: Vec<Attributed>,
    /// Per rule, by revenue, the first [`Settings::top`].
    pub by_rule: Vec<Attributed>,
    /// Rules with adds in all.
    pub rules: usize,
    /// Every add, summed.
    pub attributed: Attributed,
    /// Revenue per day: (day, treatment, holdout).
    pub daily: Vec<(Day, f64, f64)>,
    /// How it was computed.
    pub settings: Settings,
    /// What the reader should know (sessions that could not be counted, …).
    pub notes: Vec<String>,
}

/// The report on `orders` (already filtered to the period and experiment), with the
/// events if there are.
pub fn build(orders: &[Order], events: Option<&Events>, settings: &Settings) -> Report {
    let mut rng = Rng::new(settings.seed);
    let currency = orders.iter().find_map(|o| o.currency.clone());
    let days = orders.iter().filter_map(|o| o.day);
    let period = days.clone().min().zip(days.max());
    let mut notes = Vec::new();

    let totals = |bucket: Option<Bucket>| -> Vec<f64> {
        orders
            .iter()
            .filter(|o| o.bucket == bucket)
            .map(|o| o.total)
            .collect()
    };
    let t = totals(Some(Bucket::Treatment));
    let h = totals(Some(Bucket::Holdout));
    let sessions = events.map(|e| e.sessions);

    let enough = t.len() >= MIN_ORDERS && h.len() >= MIN_ORDERS;
    let order_value = if enough {
        stats::mean_difference(&t, &h, settings.resamples, &mut rng)
    } else {
        None
    };
    let per_session = match sessions {
        Some(s) if s[0] > 0 || s[1] > 0 => {
            let fits = |orders: usize, sessions: u64, name: &str, notes: &mut Vec<String>| {
                let ok = orders as u64 <= sessions;
                if !ok {
                    notes.push(format!(
                        "{name} has more orders ({orders}) than sessions with an impression \
                         ({sessions}): the events do not cover the orders' period or \
                         shoppers, so revenue per session is not compared"
                    ));
                }
                ok
            };
            let ok = fits(t.len(), s[0], "treatment", &mut notes)
                & fits(h.len(), s[1], "holdout", &mut notes);
            (ok && enough)
                .then(|| {
                    stats::per_session_difference(
                        Sessions {
                            orders: &t,
                            sessions: s[0],
                        },
                        Sessions {
                            orders: &h,
                            sessions: s[1],
                        },
                        settings.resamples,
                        &mut rng,
                    )
                })
                .flatten()
        }
        _ => None,
    };

    let mut buckets = Vec::new();
    for (i, bucket) in [Some(Bucket::Treatment), Some(Bucket::Holdout), None]
        .into_iter()
        .enumerate()
    {
        let mine: Vec<&Order> = orders.iter().filter(|o| o.bucket == bucket).collect();
        if bucket.is_none() && mine.is_empty() {
            continue;
        }
        let pick =
            |c: &Option<stats::Comparison>| c.map(|c| if i == 0 { c.treatment } else { c.holdout });
        buckets.push(BucketRow {
            bucket,
            orders: mine.len() as u64,
            // (0.0 + : an empty f64 sum is -0.0.)
            revenue: 0.0 + mine.iter().map(|o| o.total).sum::<f64>(),
            items: mine.iter().map(|o| o.items).sum(),
            order_value: if i < 2 { pick(&order_value) } else { None },
            sessions: if i < 2 { sessions.map(|s| s[i]) } else { None },
            per_session: if i < 2 { pick(&per_session) } else { None },
        });
    }

    let effect = |metric: Metric, c: stats::Comparison, variance: f64, units: (u64, u64)| {
        let d = c.difference;
        let verdict = if d.low.is_nan() {
            Verdict::TooFewOrders
        } else if d.low > 0.0 {
            Verdict::Raised
        } else if d.high < 0.0 {
            Verdict::Lowered
        } else {
            Verdict::NoMeasurableEffect
        };
        let all = units.0 + units.1;
        let share = units.0 as f64 / all as f64;
        let needed = stats::units_needed(variance, settings.target * c.holdout.estimate, share)
            .map(|n| n.ceil() as u64);
        Effect {
            metric,
            treatment: c.treatment,
            holdout: c.holdout,
            difference: d,
            verdict,
            units: all,
            orders: (t.len() as u64, h.len() as u64),
            needed,
            target: settings.target,
        }
    };
    // Below MIN_ORDERS: the figures, without intervals.
    let bare = |t: f64, h: f64| {
        let iv = |estimate: f64| Interval {
            estimate,
            low: f64::NAN,
            high: f64::NAN,
        };
        stats::Comparison {
            treatment: iv(t),
            holdout: iv(h),
            difference: iv(t - h),
        }
    };
    let few = !enough && t.len() >= 2 && h.len() >= 2;
    let pooled = |a: f64, na: u64, b: f64, nb: u64| {
        ((na.saturating_sub(1)) as f64 * a + (nb.saturating_sub(1)) as f64 * b)
            / ((na + nb).saturating_sub(2)).max(1) as f64
    };
    let (nt, nh) = (t.len() as u64, h.len() as u64);
    let order_value = order_value.or_else(|| few.then(|| bare(stats::mean(&t), stats::mean(&h))));
    let order_value_effect = order_value.map(|c| {
        let v = pooled(stats::variance(&t), nt, stats::variance(&h), nh);
        effect(Metric::OrderValue, c, v, (nt, nh))
    });
    let per_session = per_session.or_else(|| match sessions {
        Some(s) if few && s[0] >= nt && s[1] >= nh && s[0] > 0 && s[1] > 0 => Some(bare(
            t.iter().sum::<f64>() / s[0] as f64,
            h.iter().sum::<f64>() / s[1] as f64,
        )),
        _ => None,
    });
    let per_session_effect = match (per_session, sessions) {
        (Some(c), Some(s)) => {
            // The variance of one session's revenue (its order's total, or 0).
            let var = |x: &[f64], n: u64| {
                let m = x.iter().sum::<f64>() / n as f64;
                let sq = x.iter().map(|v| v * v).sum::<f64>() / n as f64;
                (sq - m * m) * n as f64 / (n.saturating_sub(1)).max(1) as f64
            };
            let v = pooled(var(&t, s[0]), s[0], var(&h, s[1]), s[1]);
            Some(effect(Metric::RevenuePerSession, c, v, (s[0], s[1])))
        }
        _ => None,
    };
    if h.is_empty() {
        notes.push(
            "no order is in the holdout: set store.holdout in the config (e.g. {\"experiment\": \
             \"q4\", \"percent\": 10}) so a share of shoppers sees no suggestions, and compare \
             once their orders come in"
                .into(),
        );
    } else if order_value_effect.is_none() {
        notes.push("fewer than two orders in a bucket: nothing to compare yet".into());
    }

    // Attribution: every order's adds (the holdout sees no suggestions to add).
    let mut by_placement: BTreeMap<&str, Attributed> = BTreeMap::new();
    let mut by_rule: BTreeMap<&str, Attributed> = BTreeMap::new();
    let mut attributed = Attributed {
        key: "all".into(),
        ..Attributed::default()
    };
    let mut unknown = 0u64;
    for o in orders {
        let mut touched: Vec<(&str, &str)> = Vec::new();
        for a in &o.added {
            let rows = [
                by_placement.entry(&a.placement).or_default(),
                by_rule.entry(&a.rule).or_default(),
            ];
            for row in rows {
                row.added += 1;
                if let Outcome::Bought(r) = a.outcome {
                    row.bought += 1;
                    row.revenue += r;
                }
            }
            attributed.added += 1;
            match a.outcome {
                Outcome::Bought(r) => {
                    attributed.bought += 1;
                    attributed.revenue += r;
                    touched.push((&a.placement, &a.rule));
                }
                Outcome::Unknown => unknown += 1,
                Outcome::NotBought => {}
            }
        }
        let mut placements: Vec<&str> = touched.iter().map(|t| t.0).collect();
        let mut rules: Vec<&str> = touched.iter().map(|t| t.1).collect();
        for (list, map) in [
            (&mut placements, &mut by_placement),
            (&mut rules, &mut by_rule),
        ] {
            list.sort_unstable();
            list.dedup();
            for key in list.iter() {
                if let Some(row) = map.get_mut(key) {
                    row.orders += 1;
                }
            }
        }
        attributed.orders += u64::from(!touched.is_empty());
    }
    if unknown > 0 {
        notes.push(format!(
            "{unknown} added product(s) could not be matched to a line: the export lists no \
             line items and gives no revenue for them"
        ));
    }
    let finish = |map: BTreeMap<&str, Attributed>| -> Vec<Attributed> {
        let mut rows: Vec<Attributed> = map
            .into_iter()
            .map(|(key, row)| Attributed {
                key: key.to_string(),
                ..row
            })
            .collect();
        rows.sort_by(|a, b| {
            b.revenue
                .total_cmp(&a.revenue)
                .then(b.bought.cmp(&a.bought))
                .then(a.key.cmp(&b.key))
        });
        rows
    };
    let by_placement = finish(by_placement);
    let mut by_rule = finish(by_rule);
    let rules = by_rule.len();
    by_rule.truncate(settings.top);

    let mut daily: BTreeMap<Day, (f64, f64)> = BTreeMap::new();
    for o in orders {
        if let (Some(day), Some(bucket)) = (o.day, o.bucket) {
            let row = daily.entry(day).or_default();
            match bucket {
                Bucket::Treatment => row.0 += o.total,
                Bucket::Holdout => row.1 += o.total,
            }
        }
    }

    let placements = events
        .map(|e| {
            e.placements
                .iter()
                .map(|((bucket, placement), ev)| PlacementRow {
                    bucket: BucketKey::bucket(*bucket),
                    placement: placement.clone(),
                    events: ev.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    if let Some(e) = events {
        if e.without_session > 0 {
            notes.push(format!(
                "{} event(s) had no session key (session_id, client_id, or GA4's \
                 user_pseudo_id with ga_session_id): counted as events, not as sessions",
                thousands(e.without_session)
            ));
        }
        if e.duplicates > 0 {
            notes.push(format!(
                "{} GA4 ecommerce event(s) not counted: cartlift's own lines record the same \
                 events",
                thousands(e.duplicates)
            ));
        }
    }

    Report {
        currency,
        period,
        buckets,
        order_value: order_value_effect,
        per_session: per_session_effect,
        placements,
        by_placement,
        by_rule,
        rules,
        attributed,
        daily: daily.into_iter().map(|(d, (t, h))| (d, t, h)).collect(),
        settings: *settings,
        notes,
    }
}

impl Report {
    /// The method in one sentence, for the report's footer.
    pub fn method(&self) -> String {
        format!(
            "95% bootstrap-t intervals (studentized bootstrap): {} resamples of each bucket's \
             orders (for revenue per session, of its sessions with an impression: an order's \
             total, or 0 for a session without one), seed {}. An interval that includes 0 is \
             no measurable effect. Orders needed: the two-sample normal approximation for 80% \
             power at the two-sided 5% level to detect {:+.0}% of the holdout's figure.",
            thousands(self.settings.resamples as u64),
            self.settings.seed,
            self.settings.target * 100.0
        )
    }

    /// The headline: revenue per session when sessions were counted, else average order
    /// value.
    pub fn headline(&self) -> Option<&Effect> {
        self.per_session.as_ref().or(self.order_value.as_ref())
    }
}

/// `1,234,567`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Rounded to two significant digits (12,345 → 12,000), for "about N more".
fn round_2(n: u64) -> u64 {
    if n < 100 {
        return n;
    }
    let scale = 10u64.pow(n.ilog10() - 1);
    (n + scale / 2) / scale * scale
}

/// `USD 1,234.50`, `-USD 3.00`; two decimals unless the currency has another number
/// (`JPY 1,200`); without a currency, the number alone.
pub fn money(amount: f64, currency: Option<&str>) -> String {
    let digits = currency
        .and_then(crate::money::Currency::parse)
        .map_or(2, |c| c.exponent());
    let text = format!("{:.*}", usize::from(digits), amount.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let whole = thousands(whole.parse().unwrap_or(0));
    let number = if frac.is_empty() {
        whole
    } else {
        format!("{whole}.{frac}")
    };
    let sign = if amount < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        "-"
    } else {
        ""
    };
    match currency {
        Some(c) => format!("{sign}{c} {number}"),
        None => format!("{sign}{number}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use orders::Added;

    fn order(id: &str, day: &str, total: f64, bucket: Option<Bucket>) -> Order {
        Order {
            id: id.into(),
            line: 2,
            day: Day::parse(day),
            total,
            currency: Some("USD".into()),
            items: 2,
            bucket,
            experiment: None,
            lines: Vec::new(),
            added: Vec::new(),
        }
    }

    #[test]
    fn money_and_counts_read_well() {
        assert_eq!(money(1234.5, Some("USD")), "USD 1,234.50");
        assert_eq!(money(-3.0, Some("USD")), "-USD 3.00");
        assert_eq!(money(-0.001, Some("USD")), "USD 0.00");
        assert_eq!(money(1200.0, Some("JPY")), "JPY 1,200");
        assert_eq!(money(7.25, None), "7.25");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(round_2(12_345), 12_000);
        assert_eq!(round_2(99), 99);
        assert_eq!(round_2(1_050), 1_100);
    }

    #[test]
    fn buckets_effects_attribution_and_days() {
        let mut orders = Vec::new();
        for i in 0..40 {
            let b = if i % 4 == 0 {
                Bucket::Holdout
            } else {
                Bucket::Treatment
            };
            let day = if i < 20 { "2025-03-01" } else { "2025-03-02" };
            let total = 20.0 + (i * 37 % 100) as f64;
            orders.push(order(&format!("#{i}"), day, total, Some(b)));
        }
        orders.push(order("#x", "2025-03-02", 10.0, None));
        orders[1].added = vec![
            Added {
                placement: "cart".into(),
                product: "hdd".into(),
                rule: "r1".into(),
                outcome: Outcome::Bought(69.0),
            },
            Added {
                placement: "product".into(),
                product: "cable".into(),
                rule: "r2".into(),
                outcome: Outcome::NotBought,
            },
        ];
        let report = build(&orders, None, &Settings::default());
        assert_eq!(report.buckets.len(), 3);
        assert_eq!(
            report.buckets.iter().map(|b| b.orders).collect::<Vec<_>>(),
            [30, 10, 1]
        );
        // 10 orders in the holdout: the figures, but no interval yet.
        let e = report.order_value.as_ref().unwrap();
        assert_eq!((e.units, e.orders), (40, (30, 10)));
        assert_eq!(e.verdict, Verdict::TooFewOrders);
        assert!(e.difference.low.is_nan() && report.buckets[0].order_value.is_none());
        let s = e.sentence(Some("USD"));
        assert!(
            s.starts_with(
                "no measurable effect yet: too few orders for an interval (30 in the treatment, \
                 10 in the holdout; it takes 20 in each); about "
            ),
            "{s}"
        );
        // 40 in the holdout: an interval.
        let mut more = orders.clone();
        for i in 0..40 {
            let b = if i % 4 == 0 {
                Bucket::Holdout
            } else {
                Bucket::Treatment
            };
            let total = 20.0 + (i * 53 % 90) as f64;
            more.push(order(&format!("#m{i}"), "2025-03-02", total, Some(b)));
        }
        for i in 0..20 {
            let total = 30.0 + (i * 31 % 70) as f64;
            more.push(order(
                &format!("#h{i}"),
                "2025-03-02",
                total,
                Some(Bucket::Holdout),
            ));
        }
        let bigger = build(&more, None, &Settings::default());
        let e = bigger.order_value.as_ref().unwrap();
        assert_eq!(e.orders, (60, 40));
        assert_eq!(e.verdict, Verdict::NoMeasurableEffect, "{e:?}");
        assert!(e.difference.contains(e.difference.estimate));
        assert!(bigger.buckets[1].order_value.is_some());
        assert!(report.per_session.is_none());
        assert_eq!(report.by_placement[0].key, "cart");
        assert_eq!(
            (
                report.attributed.added,
                report.attributed.bought,
                report.attributed.revenue
            ),
            (2, 1, 69.0)
        );
        assert_eq!(report.by_rule.len(), 2);
        assert_eq!(report.daily.len(), 2);
        assert_eq!(report.period.unwrap().0.to_string(), "2025-03-01");
        // Same seed, same report.
        // (Debug text: NaN, the ends of no interval, is not equal to itself.)
        let again = build(&orders, None, &Settings::default());
        assert_eq!(format!("{report:?}"), format!("{again:?}"));
    }

    #[test]
    fn a_store_without_a_holdout_is_told_how_to_get_one() {
        let orders: Vec<Order> = (0..5)
            .map(|i| order(&i.to_string(), "2025-03-01", 20.0, Some(Bucket::Treatment)))
            .collect();
        let report = build(&orders, None, &Settings::default());
        assert!(report.order_value.is_none());
        assert!(report.notes[0].starts_with("no order is in the holdout"));
    }

    #[test]
    fn sentences_for_every_verdict() {
        let iv = |estimate: f64, low: f64, high: f64| Interval {
            estimate,
            low,
            high,
        };
        let mut e = Effect {
            metric: Metric::OrderValue,
            treatment: iv(84.0, 82.0, 86.0),
            holdout: iv(80.0, 78.0, 82.0),
            difference: iv(4.0, 1.5, 6.5),
            verdict: Verdict::Raised,
            units: 20_000,
            orders: (16_000, 4_000),
            needed: Some(12_345),
            target: 0.05,
        };
        assert_eq!(
            e.sentence(Some("USD")),
            "the widget raised average order value by USD 4.00 (+5.0%; 95% interval USD 1.50 \
             to USD 6.50)"
        );
        e.verdict = Verdict::NoMeasurableEffect;
        assert_eq!(
            e.sentence(Some("USD")),
            "no measurable effect: the interval includes 0, with 20,000 orders, enough to \
             detect +5% four times in five; effects up to the interval's upper end remain \
             possible"
        );
        e.units = 2_000;
        assert_eq!(
            e.sentence(None),
            "no measurable effect yet: the interval includes 0; about 10,000 more orders \
             needed to detect +5%"
        );
        e.verdict = Verdict::TooFewOrders;
        e.orders = (12, 3);
        e.units = 15;
        assert_eq!(
            e.sentence(None),
            "no measurable effect yet: too few orders for an interval (12 in the treatment, 3 \
             in the holdout; it takes 20 in each); about 12,000 more orders needed to detect +5%"
        );
    }
}
