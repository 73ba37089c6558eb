//! `cartlift report --html`: the report as one self-contained page: inline CSS and SVG
//! charts drawn here, no script, no font, nothing fetched, so it opens offline and can be
//! mailed. Every piece of shop data (order ids never appear; placements, rule ids,
//! experiment names, file formats) is escaped.

use super::scope::{Scope, bucket_name, placement_cells};
use cartlift_engine::html::escape;
use cartlift_engine::report::stats::Interval;
use cartlift_engine::report::{Attributed, Effect, Report, Verdict, money, thousands};
use std::fmt::Write;

const TREATMENT: &str = "#1d4ed8";
const HOLDOUT: &str = "#6b7280";

/// The page.
pub fn page(r: &Report, c: &Scope) -> String {
    let cur = r.currency.as_deref();
    let e = |t: &str| escape(t);
    let orders: u64 = r.buckets.iter().map(|b| b.orders).sum();
    let mut subtitle = format!("{} orders from {}", thousands(orders), c.formats);
    if let Some((a, b)) = r.period {
        subtitle += &format!(", {a} to {b}");
    }
    if let Some(x) = &c.experiment {
        subtitle += &format!(", experiment {x}");
    }
    subtitle += &c.asked();

    let mut body = String::new();
    let _ = write!(
        body,
        "<header><h1>What the widget is worth</h1><p class=\"sub\">{}</p></header>",
        e(&subtitle)
    );

    // The verdicts first: what a store owner came for.
    body += "<section class=\"verdicts\">";
    let effects: Vec<&Effect> = r.order_value.iter().chain(&r.per_session).collect();
    if effects.is_empty() {
        body += "<p class=\"verdict none\">Not measured yet: see the notes below.</p>";
    }
    for eff in &effects {
        let class = match eff.verdict {
            Verdict::Raised => "up",
            Verdict::Lowered => "down",
            Verdict::NoMeasurableEffect | Verdict::TooFewOrders => "none",
        };
        let _ = write!(
            body,
            "<p class=\"verdict {class}\"><strong>{}:</strong> {}.</p>",
            e(&capitalized(eff.metric.name())),
            e(&eff.sentence(cur))
        );
    }
    body += "</section>";

    // Buckets.
    body += "<section><h2>Orders per bucket</h2>";
    let with_sessions = r.buckets.iter().any(|b| b.sessions.is_some());
    body += "<table><thead><tr><th>bucket</th><th>orders</th><th>revenue</th>\
             <th>average order value<small>95% interval</small></th><th>items per order</th>";
    if with_sessions {
        body += "<th>sessions with an impression</th>\
                 <th>revenue per session<small>95% interval</small></th>";
    }
    body += "</tr></thead><tbody>";
    for b in &r.buckets {
        let cell = |value: f64, iv: Option<Interval>| {
            let mut out = escape(&money(value, cur));
            if let Some(iv) = iv {
                let _ = write!(
                    out,
                    "<small>{} to {}</small>",
                    escape(&money(iv.low, cur)),
                    escape(&money(iv.high, cur))
                );
            }
            out
        };
        let _ = write!(
            body,
            "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            bucket_name(b.bucket),
            thousands(b.orders),
            e(&money(b.revenue, cur)),
            if b.orders == 0 {
                "–".into()
            } else {
                cell(b.average_order_value(), b.order_value)
            },
            if b.orders == 0 {
                "–".into()
            } else {
                format!("{:.2}", b.items_per_order())
            }
        );
        if with_sessions {
            let _ = write!(
                body,
                "<td>{}</td><td>{}</td>",
                b.sessions.map_or("–".into(), thousands),
                b.per_session
                    .map_or("–".into(), |iv| cell(iv.estimate, Some(iv)))
            );
        }
        body += "</tr>";
    }
    body += "</tbody></table>";
    body += "<div class=\"charts\">";
    let bars =
        |title: &str, pick: &dyn Fn(&cartlift_engine::report::BucketRow) -> Option<Interval>| {
            let items: Vec<(&str, &str, Interval)> = r
                .buckets
                .iter()
                .filter_map(|b| {
                    let color = match b.bucket? {
                        cartlift_engine::shopper::Bucket::Treatment => TREATMENT,
                        cartlift_engine::shopper::Bucket::Holdout => HOLDOUT,
                    };
                    Some((bucket_name(b.bucket), color, pick(b)?))
                })
                .collect();
            bar_chart(title, &items, cur)
        };
    body += &bars("Average order value, with 95% intervals", &|b| {
        b.order_value
    });
    if with_sessions {
        body += &bars("Revenue per session, with 95% intervals", &|b| {
            b.per_session
        });
    }
    body += "</div>";
    for eff in effects
        .iter()
        .filter(|e| e.verdict != Verdict::TooFewOrders)
    {
        body += &difference_chart(eff, cur);
    }
    body += "</section>";

    // Daily revenue.
    if r.daily.len() >= 2 {
        body += "<section><h2>Revenue per day</h2>";
        body += &daily_chart(&r.daily, cur);
        body += "<p class=\"note\">Each bucket's revenue as it came in: the holdout is the \
                 smaller share of shoppers, so compare its shape, and the per-order and \
                 per-session figures above, not its height.</p></section>";
    }

    // Placements.
    if !r.placements.is_empty() {
        body += "<section><h2>Placements</h2><table><thead><tr><th>bucket</th>\
                 <th class=\"key\">placement</th><th>sessions with an impression</th><th>impressions</th>\
                 <th>clicks</th><th>click-through</th><th>adds</th><th>add-to-cart</th>\
                 <th>value added</th></tr></thead><tbody>";
        for p in &r.placements {
            let [bucket, placement, figures @ ..] = placement_cells(p, cur);
            let _ = write!(
                body,
                "<tr><th>{}</th><td class=\"key\">{}</td>",
                e(&bucket),
                e(&placement)
            );
            for figure in &figures {
                let _ = write!(body, "<td>{}</td>", e(figure));
            }
            body += "</tr>";
        }
        body += "</tbody></table><p class=\"note\">Rates are per session with an impression. \
                 The holdout's impressions are what it would have been shown; it saw \
                 nothing.</p></section>";
    }

    // Attribution.
    let a = &r.attributed;
    let _ = write!(
        body,
        "<section><h2>Products the widget added</h2><p>{} added, {} bought in {} orders: \
         <strong>{}</strong>. This is the revenue of the lines bought, not the widget's \
         effect: shoppers may have bought some of them anyway. The effect is the difference \
         above.</p>",
        thousands(a.added),
        thousands(a.bought),
        thousands(a.orders),
        e(&money(a.revenue, cur))
    );
    if !r.by_placement.is_empty() {
        body += &attributed_table("placement", &r.by_placement, cur);
        let _ = write!(
            body,
            "<h3>Top rules ({} of {})</h3>",
            r.by_rule.len(),
            thousands(r.rules as u64)
        );
        body += &rule_chart(&r.by_rule, cur);
        body += &attributed_table("rule", &r.by_rule, cur);
    }
    body += "</section>";

    if !r.notes.is_empty() {
        body += "<section><h2>Notes</h2><ul>";
        for n in &r.notes {
            let _ = write!(body, "<li>{}</li>", e(n));
        }
        body += "</ul></section>";
    }
    let _ = write!(
        body,
        "<footer><h2>Method</h2><p>{}</p><p>Written by <code>cartlift report</code>.</p></footer>",
        e(&r.method())
    );

    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>cartlift report</title><style>{STYLE}</style></head><body>{body}</body></html>\n"
    )
}

const STYLE: &str = "\
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#111827;\
background:#f9fafb;margin:0 auto;max-width:1120px;padding:24px}\
h1{font-size:26px;margin:0}h2{font-size:19px;margin:0 0 10px}h3{font-size:16px;margin:18px 0 6px}\
.sub{color:#4b5563;margin:4px 0 0}\
section,footer{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:16px 18px;margin:16px 0}\
.verdict{margin:6px 0;padding:10px 12px;border-radius:6px;border-left:5px solid}\
.verdict.up{background:#ecfdf5;border-color:#047857}.verdict.down{background:#fef2f2;border-color:#b91c1c}\
.verdict.none{background:#f3f4f6;border-color:#6b7280}\
table{border-collapse:collapse;width:100%;margin:6px 0;font-variant-numeric:tabular-nums}\
th,td{padding:5px 8px;border-bottom:1px solid #e5e7eb;text-align:right;white-space:nowrap}\
th:first-child,th.key,td.key{text-align:left}thead th{font-weight:600;color:#374151;border-bottom:2px solid #d1d5db}\
tbody th{font-weight:600}small{display:block;font-size:12px;color:#4b5563;font-weight:400}\
.charts{display:flex;flex-wrap:wrap;gap:16px;margin-top:12px}\
svg{display:block;max-width:100%;height:auto}svg text{font:12px system-ui,sans-serif;fill:#374151}\
.note{color:#4b5563;font-size:13px}footer p{color:#374151;font-size:13px}\
code{font:13px ui-monospace,monospace}";

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Vertical bars with interval whiskers, one per bucket.
fn bar_chart(title: &str, items: &[(&str, &str, Interval)], cur: Option<&str>) -> String {
    let (w, h, top, bottom, left) = (360.0, 240.0, 34.0, 36.0, 16.0);
    let max = items
        .iter()
        .map(|(_, _, iv)| iv.high.max(iv.estimate))
        .fold(0.0f64, f64::max)
        .max(f64::MIN_POSITIVE)
        * 1.15;
    let y = |v: f64| top + (h - top - bottom) * (1.0 - v.max(0.0) / max);
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" \
         aria-label=\"{t}\"><text x=\"{left}\" y=\"18\" font-weight=\"600\">{t}</text>",
        t = escape(title)
    );
    let slot = (w - 2.0 * left) / items.len().max(1) as f64;
    for (i, (name, color, iv)) in items.iter().enumerate() {
        let cx = left + slot * (i as f64 + 0.5);
        let bw = slot * 0.45;
        let (yt, base) = (y(iv.estimate), y(0.0));
        let _ = write!(
            svg,
            "<rect x=\"{:.1}\" y=\"{yt:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{color}\" \
             rx=\"3\"/>",
            cx - bw / 2.0,
            (base - yt).max(0.0)
        );
        let (yl, yh) = (y(iv.low), y(iv.high));
        let _ = write!(
            svg,
            "<g stroke=\"#111827\" stroke-width=\"1.6\"><line x1=\"{cx:.1}\" y1=\"{yl:.1}\" \
             x2=\"{cx:.1}\" y2=\"{yh:.1}\"/><line x1=\"{:.1}\" y1=\"{yl:.1}\" x2=\"{:.1}\" \
             y2=\"{yl:.1}\"/><line x1=\"{:.1}\" y1=\"{yh:.1}\" x2=\"{:.1}\" y2=\"{yh:.1}\"/></g>",
            cx - 8.0,
            cx + 8.0,
            cx - 8.0,
            cx + 8.0
        );
        let _ = write!(
            svg,
            "<text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\
             <text x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-weight=\"600\">{}</text>",
            h - bottom + 16.0,
            escape(name),
            (yh - 6.0).max(top - 2.0),
            escape(&money(iv.estimate, cur))
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"{b:.1}\" x2=\"{:.1}\" y2=\"{b:.1}\" stroke=\"#9ca3af\"/></svg>",
        w - left,
        b = y(0.0)
    );
    svg
}

/// The difference and its interval against 0, on one line.
fn difference_chart(e: &Effect, cur: Option<&str>) -> String {
    let (w, h, pad) = (720.0, 92.0, 60.0);
    let d = e.difference;
    let reach = [d.low.abs(), d.high.abs(), d.estimate.abs()]
        .into_iter()
        .fold(0.0f64, f64::max)
        .max(f64::MIN_POSITIVE)
        * 1.2;
    let x = |v: f64| pad + (w - 2.0 * pad) * (v + reach) / (2.0 * reach);
    let color = match e.verdict {
        Verdict::Raised => "#047857",
        Verdict::Lowered => "#b91c1c",
        Verdict::NoMeasurableEffect | Verdict::TooFewOrders => "#374151",
    };
    let title = format!(
        "Difference in {} (treatment − holdout), 95% interval",
        e.metric.name()
    );
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" \
         aria-label=\"{t}\"><text x=\"8\" y=\"18\" font-weight=\"600\">{t}</text>",
        t = escape(&title)
    );
    let mid = 52.0;
    let _ = write!(
        svg,
        "<line x1=\"{:.1}\" y1=\"30\" x2=\"{:.1}\" y2=\"74\" stroke=\"#9ca3af\" \
         stroke-dasharray=\"4 3\"/><text x=\"{:.1}\" y=\"88\" text-anchor=\"middle\">0</text>",
        x(0.0),
        x(0.0),
        x(0.0)
    );
    let _ = write!(
        svg,
        "<line x1=\"{:.1}\" y1=\"{mid}\" x2=\"{:.1}\" y2=\"{mid}\" stroke=\"{color}\" \
         stroke-width=\"4\" stroke-linecap=\"round\"/><circle cx=\"{:.1}\" cy=\"{mid}\" r=\"7\" \
         fill=\"{color}\"/>",
        x(d.low),
        x(d.high),
        x(d.estimate)
    );
    let _ = write!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"start\">{}</text>\
         <text x=\"{:.1}\" y=\"38\" text-anchor=\"middle\" font-weight=\"600\">{}</text></svg>",
        x(d.low) - 8.0,
        mid + 4.0,
        escape(&money(d.low, cur)),
        x(d.high) + 8.0,
        mid + 4.0,
        escape(&money(d.high, cur)),
        x(d.estimate),
        escape(&money(d.estimate, cur))
    );
    svg
}

/// Two lines: each bucket's revenue per day.
fn daily_chart(
    daily: &[(cartlift_engine::report::orders::Day, f64, f64)],
    cur: Option<&str>,
) -> String {
    let (w, h, left, right, top, bottom) = (1040.0, 260.0, 86.0, 16.0, 28.0, 34.0);
    let max = daily
        .iter()
        .map(|(_, t, h)| t.max(*h))
        .fold(0.0f64, f64::max)
        .max(f64::MIN_POSITIVE)
        * 1.1;
    let n = daily.len();
    let x = |i: usize| left + (w - left - right) * i as f64 / (n - 1).max(1) as f64;
    let y = |v: f64| top + (h - top - bottom) * (1.0 - v / max);
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" \
         aria-label=\"Revenue per day, per bucket\">"
    );
    for k in 0..=4 {
        let v = max * f64::from(k) / 4.0;
        let _ = write!(
            svg,
            "<line x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{:.1}\" y2=\"{yy:.1}\" stroke=\"#e5e7eb\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            w - right,
            left - 6.0,
            y(v) + 4.0,
            escape(money(v.round(), cur).trim_end_matches(".00")),
            yy = y(v)
        );
    }
    for (series, color) in [(1, TREATMENT), (2, HOLDOUT)] {
        let points: Vec<String> = daily
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let v = if series == 1 { row.1 } else { row.2 };
                format!("{:.1},{:.1}", x(i), y(v))
            })
            .collect();
        let _ = write!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2.2\"/>",
            points.join(" ")
        );
    }
    for (i, anchor) in [(0, "start"), (n / 2, "middle"), (n - 1, "end")] {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
            x(i),
            h - 12.0,
            daily[i].0
        );
    }
    let _ = write!(
        svg,
        "<rect x=\"{l}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{TREATMENT}\"/>\
         <text x=\"{:.1}\" y=\"16\">treatment</text><rect x=\"{:.1}\" y=\"6\" width=\"12\" \
         height=\"12\" fill=\"{HOLDOUT}\"/><text x=\"{:.1}\" y=\"16\">holdout</text></svg>",
        left + 16.0,
        left + 100.0,
        left + 116.0,
        l = left
    );
    svg
}

/// Horizontal bars: the top rules' revenue.
fn rule_chart(rows: &[Attributed], cur: Option<&str>) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let (w, row_h, label, value) = (1040.0, 22.0, 330.0, 120.0);
    let h = row_h * rows.len() as f64 + 8.0;
    let max = rows
        .iter()
        .map(|r| r.revenue)
        .fold(0.0f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" \
         aria-label=\"Revenue of the products each rule added\">"
    );
    for (i, r) in rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let bw = (w - label - value - 8.0) * r.revenue / max;
        let name: String = if r.key.chars().count() > 48 {
            r.key.chars().take(47).collect::<String>() + "…"
        } else {
            r.key.clone()
        };
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"{:.1}\" fill=\"{TREATMENT}\" \
             rx=\"2\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            label - 8.0,
            y + 15.0,
            escape(&name),
            y + 3.0,
            row_h - 6.0,
            label + bw + 6.0,
            y + 15.0,
            escape(&money(r.revenue, cur))
        );
    }
    svg + "</svg>"
}

fn attributed_table(what: &str, rows: &[Attributed], cur: Option<&str>) -> String {
    let mut out = format!(
        "<table><thead><tr><th class=\"key\">{what}</th><th>added</th><th>bought</th><th>orders</th>\
         <th>revenue</th></tr></thead><tbody>"
    );
    for r in rows {
        let _ = write!(
            out,
            "<tr><td class=\"key\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&r.key),
            thousands(r.added),
            thousands(r.bought),
            thousands(r.orders),
            escape(&money(r.revenue, cur))
        );
    }
    out + "</tbody></table>"
}
