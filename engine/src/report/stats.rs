//! The statistics behind `cartlift report`: bootstrap-t intervals for the treatment −
//! holdout difference (per order and per session), and the normal approximation of how
//! many more orders a difference of a given size needs.
//!
//! Everything is seeded ([`Rng`]): the same data and seed give the same interval on
//! every machine and in wasm.

use crate::synthetic::Rng;

/// z for a two-sided 95% interval (the normal distribution's 97.5th percentile).
pub const Z_95: f64 = 1.959_963_984_540_054;
/// z for 80% power (the normal distribution's 80th percentile).
pub const Z_POWER_80: f64 = 0.841_621_233_572_914_3;

/// A point estimate and its interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// The estimate from the data as they are.
    pub estimate: f64,
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

impl Interval {
    /// Whether `x` lies in the interval (ends included).
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// One bucket's data for the per-session bootstrap: the totals of its orders and the
/// number of sessions they came from (each order in its own session; the sessions
/// without an order bought nothing).
#[derive(Clone, Copy, Debug)]
pub struct Sessions<'a> {
    /// Order totals.
    pub orders: &'a [f64],
    /// Sessions, at least `orders.len()`.
    pub sessions: u64,
}

/// Bootstrap intervals of the treatment's and the holdout's means and of their difference.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Comparison {
    /// Treatment's mean.
    pub treatment: Interval,
    /// Holdout's mean.
    pub holdout: Interval,
    /// Treatment − holdout.
    pub difference: Interval,
}

/// The bootstrap-t (studentized bootstrap) interval of the difference in mean order
/// value: each of `resamples` rounds draws `treatment.len()` orders from the
/// treatment's with replacement and `holdout.len()` from the holdout's, and studentizes
/// the round's difference by the round's own standard error; the interval is the
/// difference minus the 97.5th and the 2.5th percentile of those t values times the
/// data's standard error. Unlike the plain percentile interval it allows for the skew of
/// order values (a few large orders), which matters with a small holdout. The buckets'
/// own means get the same kind of interval. `None` when a bucket has fewer than two
/// orders.
pub fn mean_difference(
    treatment: &[f64],
    holdout: &[f64],
    resamples: usize,
    rng: &mut Rng,
) -> Option<Comparison> {
    if treatment.len() < 2 || holdout.len() < 2 || resamples < 2 {
        return None;
    }
    Some(studentized(
        Units::orders(treatment),
        Units::orders(holdout),
        resamples,
        rng,
    ))
}

/// The bootstrap-t interval of the difference in revenue per session. A bucket's
/// sessions are its orders' totals plus a 0 for every session without an order; a
/// round draws as many sessions with replacement. How many of them land on an order is
/// binomial (sessions, orders ÷ sessions), drawn exactly from its distribution, and
/// those orders are drawn uniformly, so a round costs the bucket's orders, not its
/// sessions. `None` when a bucket has fewer than two orders, or more orders than
/// sessions.
pub fn per_session_difference(
    treatment: Sessions<'_>,
    holdout: Sessions<'_>,
    resamples: usize,
    rng: &mut Rng,
) -> Option<Comparison> {
    let usable = |s: &Sessions<'_>| s.orders.len() >= 2 && s.sessions >= s.orders.len() as u64;
    if !usable(&treatment) || !usable(&holdout) || resamples < 2 {
        return None;
    }
    Some(studentized(
        Units::sessions(treatment),
        Units::sessions(holdout),
        resamples,
        rng,
    ))
}

/// One bucket for the bootstrap: `units` values (orders, sessions), of which `values`
/// are listed and the rest are 0.
struct Units<'a> {
    values: &'a [f64],
    /// How many listed values a round draws.
    draws: Draws,
    units: u64,
}

enum Draws {
    Fixed(u64),
    Binomial(Binomial),
}

/// A mean and its standard error.
#[derive(Clone, Copy)]
struct Moments {
    mean: f64,
    se: f64,
}

impl<'a> Units<'a> {
    fn orders(values: &'a [f64]) -> Units<'a> {
        Units {
            values,
            draws: Draws::Fixed(values.len() as u64),
            units: values.len() as u64,
        }
    }

    fn sessions(s: Sessions<'a>) -> Units<'a> {
        Units {
            values: s.orders,
            draws: Draws::Binomial(Binomial::new(s)),
            units: s.sessions,
        }
    }

    fn moments(&self, sum: f64, squares: f64) -> Moments {
        let n = self.units as f64;
        let mean = sum / n;
        let variance = ((squares - sum * mean) / (n - 1.0)).max(0.0);
        Moments {
            mean,
            se: (variance / n).sqrt(),
        }
    }

    fn data(&self) -> Moments {
        let sum = self.values.iter().sum();
        let squares = self.values.iter().map(|v| v * v).sum();
        self.moments(sum, squares)
    }

    fn resample(&self, rng: &mut Rng) -> Moments {
        let k = match &self.draws {
            Draws::Fixed(k) => *k,
            Draws::Binomial(b) => b.sample(rng),
        };
        let n = self.values.len() as u64;
        let (mut sum, mut squares) = (0.0, 0.0);
        for _ in 0..k {
            let v = self.values[rng.below(n) as usize];
            sum += v;
            squares += v * v;
        }
        self.moments(sum, squares)
    }
}

fn studentized(t: Units<'_>, h: Units<'_>, resamples: usize, rng: &mut Rng) -> Comparison {
    let (dt, dh) = (t.data(), h.data());
    let dd = Moments {
        mean: dt.mean - dh.mean,
        se: (dt.se * dt.se + dh.se * dh.se).sqrt(),
    };
    let (mut tt, mut th, mut td) = (
        Vec::with_capacity(resamples),
        Vec::with_capacity(resamples),
        Vec::with_capacity(resamples),
    );
    let student = |v: &mut Vec<f64>, r: Moments, d: Moments| {
        if r.se > 0.0 {
            v.push((r.mean - d.mean) / r.se);
        }
    };
    for _ in 0..resamples {
        let (rt, rh) = (t.resample(rng), h.resample(rng));
        let rd = Moments {
            mean: rt.mean - rh.mean,
            se: (rt.se * rt.se + rh.se * rh.se).sqrt(),
        };
        student(&mut tt, rt, dt);
        student(&mut th, rh, dh);
        student(&mut td, rd, dd);
    }
    // Order totals are never negative, nor is a bucket's mean: a small bucket's interval
    // is cut at 0.
    let at_least_0 = |iv: Interval| Interval {
        low: iv.low.max(0.0),
        ..iv
    };
    Comparison {
        treatment: at_least_0(interval(dt, &mut tt)),
        holdout: at_least_0(interval(dh, &mut th)),
        difference: interval(dd, &mut td),
    }
}

/// estimate − t₀.₉₇₅ · se to estimate − t₀.₀₂₅ · se.
fn interval(d: Moments, t: &mut [f64]) -> Interval {
    if t.len() < 2 || d.se == 0.0 {
        return Interval {
            estimate: d.mean,
            low: d.mean,
            high: d.mean,
        };
    }
    t.sort_by(f64::total_cmp);
    Interval {
        estimate: d.mean,
        low: d.mean - percentile(t, 0.975) * d.se,
        high: d.mean - percentile(t, 0.025) * d.se,
    }
}

/// The `q` quantile of sorted values, interpolated between the two nearest ranks (R's
/// and numpy's default, "type 7").
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let at = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let i = at.floor() as usize;
            let frac = at - i as f64;
            match sorted.get(i + 1) {
                Some(next) => sorted[i] + frac * (next - sorted[i]),
                None => sorted[i],
            }
        }
    }
}

/// Mean (NaN for no values).
pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Sample variance (n − 1; 0 for fewer than two values).
pub fn variance(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let m = mean(values);
    values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (values.len() - 1) as f64
}

/// How many units (orders, sessions) in all a two-bucket comparison needs to find a
/// difference of `delta` with 80% power at the two-sided 5% level, splitting them between
/// the buckets as `share` (the treatment's share, in (0, 1)), when one unit varies with
/// `variance`: n = (z₀.₉₇₅ + z₀.₈)² · variance · (1 / share + 1 / (1 − share)) / delta².
/// `None` when that cannot be worked out (no variance, no difference, one bucket only).
pub fn units_needed(variance: f64, delta: f64, share: f64) -> Option<f64> {
    if variance.is_nan() || variance <= 0.0 || delta == 0.0 || !(share > 0.0 && share < 1.0) {
        return None;
    }
    let z = Z_95 + Z_POWER_80;
    Some(z * z * variance * (1.0 / share + 1.0 / (1.0 - share)) / (delta * delta))
}

/// The number of a round's sessions that land on an order: binomial (sessions,
/// orders ÷ sessions), drawn by inverting its distribution, tabulated once around the
/// mode out to 12 standard deviations (the mass beyond is below 10⁻³⁰).
struct Binomial {
    /// The smallest count tabulated.
    low: u64,
    /// Cumulative probabilities from `low` on (unnormalized; the last is the total).
    cdf: Vec<f64>,
}

impl Binomial {
    fn new(s: Sessions<'_>) -> Binomial {
        let (n, k) = (s.sessions, s.orders.len() as u64);
        if k == n {
            return Binomial {
                low: n,
                cdf: vec![1.0],
            };
        }
        let p = k as f64 / n as f64;
        let sd = (n as f64 * p * (1.0 - p)).sqrt();
        let mode = (((n + 1) as f64 * p).floor() as u64).min(n);
        let reach = (12.0 * sd + 10.0) as u64;
        let (low, high) = (mode.saturating_sub(reach), (mode + reach).min(n));
        let odds = p / (1.0 - p);
        // Weights relative to the mode's, by the ratio of neighbouring probabilities.
        let mut up = vec![1.0];
        for j in mode + 1..=high {
            let w = up[up.len() - 1] * (n - j + 1) as f64 / j as f64 * odds;
            up.push(w);
        }
        let mut down = Vec::new();
        let mut w = 1.0;
        for j in (low..mode).rev() {
            w *= (j + 1) as f64 / (n - j) as f64 / odds;
            down.push(w);
        }
        let mut cdf = Vec::with_capacity(down.len() + up.len());
        let mut total = 0.0;
        for w in down.iter().rev().chain(&up) {
            total += w;
            cdf.push(total);
        }
        Binomial { low, cdf }
    }

    fn sample(&self, rng: &mut Rng) -> u64 {
        let total = self.cdf[self.cdf.len() - 1];
        let x = rng.unit() * total;
        let i = self
            .cdf
            .partition_point(|&c| c <= x)
            .min(self.cdf.len() - 1);
        self.low + i as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile(&v, 0.0), 1.0);
        assert_eq!(percentile(&v, 0.5), 3.0);
        assert_eq!(percentile(&v, 0.975), 4.9);
        assert_eq!(percentile(&v, 1.0), 5.0);
        assert_eq!(percentile(&[7.0], 0.3), 7.0);
    }

    #[test]
    fn binomial_draws_have_the_binomial_mean_and_spread() {
        let orders = vec![1.0; 300];
        let b = Binomial::new(Sessions {
            orders: &orders,
            sessions: 6_000,
        });
        let mut rng = Rng::new(3);
        let draws: Vec<f64> = (0..20_000).map(|_| b.sample(&mut rng) as f64).collect();
        let (m, v) = (mean(&draws), variance(&draws));
        // Binomial(6000, 0.05): mean 300, variance 285.
        assert!((m - 300.0).abs() < 0.5, "{m}");
        assert!((v - 285.0).abs() < 15.0, "{v}");
        // Every session an order: always all of them.
        let all = Binomial::new(Sessions {
            orders: &orders,
            sessions: 300,
        });
        assert_eq!(all.sample(&mut rng), 300);
    }

    #[test]
    fn intervals_are_seeded_and_cover_the_estimate() {
        let t: Vec<f64> = (0..200).map(|i| 50.0 + (i % 17) as f64).collect();
        let h: Vec<f64> = (0..100).map(|i| 45.0 + (i % 13) as f64).collect();
        let a = mean_difference(&t, &h, 500, &mut Rng::new(1)).unwrap();
        let b = mean_difference(&t, &h, 500, &mut Rng::new(1)).unwrap();
        assert_eq!(a, b);
        assert!(a.difference.contains(a.difference.estimate));
        assert!(a.difference.low > 0.0, "{:?}", a.difference);
        assert!(mean_difference(&t, &h[..1], 500, &mut Rng::new(1)).is_none());
        let s = per_session_difference(
            Sessions {
                orders: &t,
                sessions: 4_000,
            },
            Sessions {
                orders: &h,
                sessions: 2_000,
            },
            500,
            &mut Rng::new(1),
        )
        .unwrap();
        assert!((s.treatment.estimate - mean(&t) / 20.0).abs() < 1e-9);
        assert!(s.difference.contains(s.difference.estimate));
        // More orders than sessions: no interval.
        let few = Sessions {
            orders: &t,
            sessions: 10,
        };
        assert!(per_session_difference(few, few, 10, &mut Rng::new(1)).is_none());
    }

    #[test]
    fn units_needed_follows_the_normal_approximation() {
        // σ = 1, δ = 0.1, half and half: (1.96 + 0.84)² · 4 / 0.01 ≈ 3,140.
        let n = units_needed(1.0, 0.1, 0.5).unwrap();
        assert!((n - 3_139.6).abs() < 1.0, "{n}");
        assert!(units_needed(0.0, 0.1, 0.5).is_none());
        assert!(units_needed(1.0, 0.1, 1.0).is_none());
    }
}
