//! What a report covers beyond the engine's numbers, and the small formatting both the
//! terminal tables and the HTML page use.

use cartlift_engine::report::events::Events;
use cartlift_engine::report::orders::Day;
use cartlift_engine::report::{PlacementRow, money, thousands};

/// What the report covers, beyond the engine's report.
pub struct Scope {
    /// The exports read.
    pub formats: String,
    /// The experiment reported.
    pub experiment: Option<String>,
    /// The period asked for.
    pub from: Option<Day>,
    /// The period asked for.
    pub until: Option<Day>,
    /// The events, if read.
    pub events: Option<Events>,
}

impl Scope {
    /// ` (asked: 2026-11-01 to 2026-11-30)`, when a period was asked for.
    pub fn asked(&self) -> String {
        match (self.from, self.until) {
            (None, None) => String::new(),
            (from, until) => format!(
                " (asked: {} to {})",
                from.map_or("the first".into(), |d| d.to_string()),
                until.map_or("the last".into(), |d| d.to_string())
            ),
        }
    }
}

/// The bucket's name in tables.
pub fn bucket_name(b: Option<cartlift_engine::shopper::Bucket>) -> &'static str {
    b.map_or("no bucket", |b| b.name())
}

/// `12.3%`.
pub fn percent(x: f64) -> String {
    if x.is_finite() {
        format!("{:.1}%", x * 100.0)
    } else {
        "-".into()
    }
}

/// A placement's row, cell by cell, as the terminal table and the HTML page both show it:
/// bucket, placement, sessions, impressions, clicks, click-through, adds, add-to-cart,
/// value added.
pub fn placement_cells(p: &PlacementRow, currency: Option<&str>) -> [String; 9] {
    [
        p.bucket.name().to_string(),
        p.placement.clone(),
        thousands(p.events.sessions),
        thousands(p.events.impressions),
        thousands(p.events.clicks),
        percent(p.click_through()),
        thousands(p.events.adds),
        percent(p.add_to_cart()),
        money(p.events.added_value, currency),
    ]
}
