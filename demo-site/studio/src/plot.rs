//! Geometry and colours of the mining charts (the SVG is drawn by `components::charts`):
//! axis ranges with round ticks, and a lift colour scale.

/// A linear axis from 0 to a round maximum.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    /// The top of the axis.
    pub max: f64,
    /// Distance between ticks.
    pub step: f64,
}

impl Axis {
    /// An axis from 0 that holds `max` with 4–10 ticks at 1, 2 or 5 × 10ⁿ.
    pub fn to(max: f64) -> Axis {
        let max = if max.is_finite() && max > 0.0 {
            max
        } else {
            1.0
        };
        let raw = max / 5.0;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| max / s <= 10.0 && s * 1.0 >= raw * 0.999)
            .unwrap_or(mag * 10.0);
        Axis {
            max: (max / step - 1e-9).ceil() * step,
            step,
        }
    }

    /// Tick values from 0 to `max`.
    pub fn ticks(&self) -> Vec<f64> {
        let n = (self.max / self.step).round() as usize;
        (0..=n).map(|i| i as f64 * self.step).collect()
    }

    /// `value` as a share of the axis, 0 to 1.
    pub fn share(&self, value: f64) -> f64 {
        (value / self.max).clamp(0.0, 1.0)
    }
}

/// The colour of a lift between `min` and `max` (log scale): pale blue for the weakest,
/// deep orange for the strongest.
pub fn lift_colour(lift: f64, min: f64, max: f64) -> String {
    let t = if max > min && lift > 0.0 && min > 0.0 {
        ((lift.ln() - min.ln()) / (max.ln() - min.ln())).clamp(0.0, 1.0)
    } else {
        0.5
    };
    let (a, b) = ([120.0, 170.0, 220.0], [220.0, 90.0, 20.0]);
    let c: Vec<u8> = (0..3)
        .map(|i| (a[i] + (b[i] - a[i]) * t).round() as u8)
        .collect();
    format!("rgb({},{},{})", c[0], c[1], c[2])
}

/// A tick label: `0.05`, `0.1`, `5%`.
pub fn tick_label(value: f64, percent: bool) -> String {
    if percent {
        let p = value * 100.0;
        if (p - p.round()).abs() < 1e-6 {
            format!("{p:.0}%")
        } else {
            format!("{p:.1}%")
        }
    } else {
        let s = format!("{value:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        let a = Axis::to(0.0745);
        assert_eq!(a.step, 0.02);
        assert!((a.max - 0.08).abs() < 1e-12);
        assert_eq!(a.ticks().len(), 5);
        let b = Axis::to(1.0);
        assert_eq!((b.max, b.step), (1.0, 0.2));
        assert_eq!(Axis::to(0.0).max, 1.0);
        assert_eq!(b.share(2.0), 1.0);
    }

    #[test]
    fn lift_colours_run_from_blue_to_orange() {
        assert_eq!(lift_colour(1.0, 1.0, 4.0), "rgb(120,170,220)");
        assert_eq!(lift_colour(4.0, 1.0, 4.0), "rgb(220,90,20)");
        assert_eq!(lift_colour(2.0, 1.0, 4.0), "rgb(170,130,120)");
    }

    #[test]
    fn tick_labels() {
        assert_eq!(tick_label(0.05, true), "5%");
        assert_eq!(tick_label(0.025, true), "2.5%");
        assert_eq!(tick_label(0.2, false), "0.2");
        assert_eq!(tick_label(0.0, false), "0");
    }
}
