//! `cartlift report ORDERS... [--events EVENTS.jsonl] [--config CONFIG] [--from DATE]
//! [--until DATE] [--html report.html]`: what the widget is worth, with error bars.
//!
//! Reads the orders (Shopify's export with its `Note Attributes`, a WooCommerce export
//! with a bucket column, or a plain CSV) and, optionally, the widget's events as JSON
//! lines; the engine (`cartlift_engine::report`) does the counting, the bootstrap and the
//! sentences; this module reads files, picks the orders to compare, and prints the
//! tables as text, JSON or one self-contained HTML page (`report/html.rs`).

mod html;
mod scope;

pub use scope::{Scope, bucket_name, placement_cells};

use crate::config_file;
use anyhow::{Context, Result, bail};
use cartlift_engine::report::events::{EventFilter, EventReader, Events, Source};
use cartlift_engine::report::orders::{Catalog, Day, Order, OrdersReader, RowProblem, settle};
use cartlift_engine::report::{self, Effect, Report, Settings, Verdict, money, thousands};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Flags of `cartlift report`.
#[derive(clap::Args)]
pub struct Args {
    /// Order exports: Shopify's orders export, a WooCommerce order export with a
    /// `_cartlift_bucket` column, or a plain CSV (order_id, date, total, bucket, items,
    /// added); `-` for stdin.
    #[arg(required = true, value_name = "ORDERS")]
    orders: Vec<PathBuf>,
    /// The widget's events, one JSON object per line (cartlift's dataLayer pushes with a
    /// session_id and timestamp, or GA4 BigQuery export rows); repeat for several files.
    #[arg(long, value_name = "EVENTS.jsonl")]
    events: Vec<PathBuf>,
    /// The store's config: its catalog maps order lines (SKUs, variant SKUs, titles) to
    /// the product ids the widget records. Without it, a line's SKU is the product id.
    #[arg(long, value_name = "CONFIG")]
    config: Option<PathBuf>,
    /// First day to count (YYYY-MM-DD, the date the export writes).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Last day to count (YYYY-MM-DD, included).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// The holdout experiment to report, when the orders name several.
    #[arg(long, value_name = "NAME")]
    experiment: Option<String>,
    /// Also write the report as one self-contained HTML page (tables and charts, no
    /// script, nothing fetched).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Print one JSON object instead of the tables.
    #[arg(long)]
    json: bool,
    /// Bootstrap resamples.
    #[arg(long, default_value_t = Settings::default().resamples, value_name = "N")]
    resamples: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = Settings::default().seed)]
    seed: u64,
    /// Field delimiter of the order files (one byte: `,`, `;`, `\t`).
    #[arg(long, default_value = ",", value_parser = crate::flags::parse_delimiter)]
    delimiter: u8,
    /// Make malformed rows and lines fatal (exit 1) instead of skipping them.
    #[arg(long)]
    strict: bool,
}

/// Problems shown one by one per file; the rest are only counted.
const SHOWN_PROBLEMS: usize = 20;

/// What was set aside before the comparison, for the report's notes.
#[derive(Default)]
struct SetAside {
    duplicates: u64,
    cancelled: u64,
    outside_period: u64,
    no_date: u64,
    other_experiment: u64,
    other_currency: u64,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let day = |flag: &str, text: &Option<String>| -> Result<Option<Day>> {
        text.as_deref()
            .map(|t| match Day::parse(t) {
                Some(d) if t.trim().len() == 10 => Ok(d),
                _ => bail!("{flag} {t}: use a date, YYYY-MM-DD"),
            })
            .transpose()
    };
    let (from, until) = (day("--from", &args.from)?, day("--until", &args.until)?);
    if let (Some(f), Some(u)) = (from, until)
        && f > u
    {
        bail!("--from {} is after --until {}", f, u);
    }
    if args.resamples < 100 {
        bail!("--resamples {}: use at least 100", args.resamples);
    }
    if args.orders.iter().filter(|p| *p == Path::new("-")).count()
        + args.events.iter().filter(|p| *p == Path::new("-")).count()
        > 1
    {
        bail!("stdin (-) can be read once");
    }
    let (catalog, store_currency) = match &args.config {
        Some(path) => match config_file::load_valid(path, "fix them before reporting on it")? {
            Ok(valid) => (
                Catalog::new(&valid.raw.catalog),
                Some(valid.raw.store.currency.clone()),
            ),
            Err(code) => return Ok(code),
        },
        None => (Catalog::default(), None),
    };

    // Orders, from every file.
    let mut set_aside = SetAside::default();
    let mut orders: Vec<Order> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut formats = BTreeSet::new();
    for path in &args.orders {
        let name = shown(path);
        let bytes = read(path)?;
        let mut reader = OrdersReader::with_delimiter(args.delimiter).strict(args.strict);
        let read = reader.push(&bytes).and_then(|()| {
            let early = reader.take_problems();
            reader.finish().map(|mut r| {
                let mut all = early;
                all.append(&mut r.problems);
                r.problems = all;
                r
            })
        });
        let read = match read {
            Ok(read) => read,
            Err(p) => {
                eprintln!("cartlift: error: {name}:{}: {}", p.line, p.message);
                return Ok(ExitCode::from(1));
            }
        };
        warn(&name, &read.problems, "row");
        formats.insert(read.format.name());
        set_aside.cancelled += read.cancelled;
        for order in read.orders {
            if seen.insert(order.id.clone()) {
                orders.push(order);
            } else {
                set_aside.duplicates += 1;
            }
        }
    }
    settle(&mut orders, &catalog);

    // The experiment: the one asked for, or the only one the orders name.
    let experiments: BTreeSet<String> =
        orders.iter().filter_map(|o| o.experiment.clone()).collect();
    let experiment = match (&args.experiment, experiments.len()) {
        (Some(x), _) => Some(x.clone()),
        (None, 0) => None,
        (None, 1) => experiments.first().cloned(),
        (None, _) => {
            let names: Vec<&str> = experiments.iter().map(String::as_str).collect();
            bail!(
                "the orders are from {} experiments ({}): pick one with --experiment",
                names.len(),
                names.join(", ")
            );
        }
    };
    // The currency most orders are in.
    let mut currencies: BTreeMap<&str, u64> = BTreeMap::new();
    for o in &orders {
        if let Some(c) = &o.currency {
            *currencies.entry(c.as_str()).or_default() += 1;
        }
    }
    let currency = currencies
        .iter()
        .max_by_key(|(c, n)| (**n, std::cmp::Reverse(**c)))
        .map(|(c, _)| c.to_string())
        .or(store_currency);
    let before = orders.len();
    orders.retain(|o| {
        let keep_experiment = match (&experiment, &o.experiment) {
            (Some(want), Some(x)) => want == x,
            (Some(_), None) => experiments.is_empty(),
            (None, _) => true,
        };
        if !keep_experiment {
            set_aside.other_experiment += 1;
            return false;
        }
        if from.is_some() || until.is_some() {
            let Some(d) = o.day else {
                set_aside.no_date += 1;
                return false;
            };
            if from.is_some_and(|f| d < f) || until.is_some_and(|u| d > u) {
                set_aside.outside_period += 1;
                return false;
            }
        }
        if let (Some(want), Some(c)) = (&currency, &o.currency)
            && want != c
        {
            set_aside.other_currency += 1;
            return false;
        }
        true
    });
    debug_assert!(orders.len() <= before);
    if !orders.iter().any(|o| o.bucket.is_some()) {
        eprintln!(
            "cartlift: error: no order carries a holdout bucket ({} order(s) read). Shopify \
             orders get `_cartlift_bucket` in Note Attributes from the widget; WooCommerce \
             orders carry nothing from cartlift unless the store saves it as order meta and \
             exports it as a `_cartlift_bucket` column; any store can write the plain CSV \
             (order_id, date, total, bucket). See docs/measuring.md.",
            orders.len()
        );
        return Ok(ExitCode::from(1));
    }

    // Events.
    let events = if args.events.is_empty() {
        None
    } else {
        let mut reader = EventReader::new(EventFilter {
            from,
            until,
            experiment: experiment.clone(),
        })
        .strict(args.strict);
        for path in &args.events {
            let name = shown(path);
            let bytes = read(path)?;
            if let Err(p) = reader.push(&bytes).and_then(|()| reader.end_file()) {
                eprintln!("cartlift: error: {name}:{}: {}", p.line, p.message);
                return Ok(ExitCode::from(1));
            }
            warn(&name, &reader.take_problems(), "line");
        }
        match reader.finish() {
            Ok((events, _)) => Some(events),
            Err(p) => {
                eprintln!(
                    "cartlift: error: {}:{}: {}",
                    shown(&args.events[0]),
                    p.line,
                    p.message
                );
                return Ok(ExitCode::from(1));
            }
        }
    };

    let settings = Settings {
        resamples: args.resamples,
        seed: args.seed,
        ..Settings::default()
    };
    let mut report = report::build(&orders, events.as_ref(), &settings);
    if report.currency.is_none() {
        report.currency = currency;
    }
    let mut notes = set_aside.notes();
    if let Some(e) = &events {
        notes.extend(events_notes(e));
    }
    notes.append(&mut report.notes);
    report.notes = notes;
    let context = Scope {
        formats: formats.into_iter().collect::<Vec<_>>().join(", "),
        experiment,
        from,
        until,
        events: events.clone(),
    };

    if let Some(path) = &args.html {
        let page = html::page(&report, &context);
        crate::write::atomically(path, page.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if args.json {
        println!("{}", json(&report, &context));
    } else {
        print!("{}", text(&report, &context));
    }
    Ok(ExitCode::SUCCESS)
}

impl SetAside {
    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        let mut say = |n: u64, what: &str| {
            if n > 0 {
                notes.push(format!("{} {what}", thousands(n)));
            }
        };
        say(
            self.cancelled,
            "cancelled, failed or refunded order(s) left out",
        );
        say(
            self.duplicates,
            "order(s) found in an earlier file too, counted once",
        );
        say(
            self.outside_period,
            "order(s) outside --from/--until left out",
        );
        say(
            self.no_date,
            "order(s) without a date left out (a period was asked for)",
        );
        say(
            self.other_experiment,
            "order(s) of another experiment, or of none, left out",
        );
        say(self.other_currency, "order(s) in another currency left out");
        notes
    }
}

fn events_notes(e: &Events) -> Vec<String> {
    let mut notes = Vec::new();
    match e.source {
        Source::None => notes.push(format!(
            "no event of the widget's in {} line(s): sessions not counted",
            thousands(e.lines)
        )),
        Source::Cartlift | Source::Ga4 => {}
    }
    if e.outside_period > 0 {
        notes.push(format!(
            "{} event(s) outside --from/--until, or without a time, left out",
            thousands(e.outside_period)
        ));
    }
    if e.other_experiment > 0 {
        notes.push(format!(
            "{} event(s) of another experiment left out",
            thousands(e.other_experiment)
        ));
    }
    notes
}

fn shown(path: &Path) -> String {
    if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

fn read(path: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("reading <stdin>")?;
    } else {
        bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    }
    Ok(bytes)
}

/// `file:line: reason (row skipped)`, the first few; then how many more.
fn warn(name: &str, problems: &[RowProblem], unit: &str) {
    for (i, p) in problems.iter().enumerate() {
        if i == SHOWN_PROBLEMS {
            eprintln!(
                "cartlift: warning: {name}: {} more problem(s)",
                problems.len() - i
            );
            break;
        }
        let tail = if p.skipped {
            format!(" ({unit} skipped)")
        } else {
            String::new()
        };
        eprintln!("cartlift: warning: {name}:{}: {}{tail}", p.line, p.message);
    }
}

/// A plain-text table: columns padded, the first `left` columns (names) left-aligned,
/// the rest (numbers) right-aligned.
fn table(left: usize, headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut out = String::from(" ");
        for (i, (cell, w)) in cells.zip(&widths).enumerate() {
            let pad = w - cell.chars().count();
            if i < left {
                out.push_str(&format!(" {cell}{} ", " ".repeat(pad)));
            } else {
                out.push_str(&format!("  {}{cell}", " ".repeat(pad)));
            }
        }
        out.trim_end().to_string() + "\n"
    };
    let mut out = line(&mut headers.iter().copied());
    for row in rows {
        out += &line(&mut row.iter().map(String::as_str));
    }
    out
}

fn interval_text(iv: Option<report::stats::Interval>, currency: Option<&str>) -> String {
    match iv {
        Some(iv) => format!(
            "{} ({} to {})",
            money(iv.estimate, currency),
            money(iv.low, currency),
            money(iv.high, currency)
        ),
        None => "-".into(),
    }
}

/// The whole report as text.
fn text(r: &Report, c: &Scope) -> String {
    let cur = r.currency.as_deref();
    let orders: u64 = r.buckets.iter().map(|b| b.orders).sum();
    let mut out = format!(
        "cartlift report: {} order(s) from {}",
        thousands(orders),
        c.formats
    );
    if let Some((a, b)) = r.period {
        out += &format!(", {a} to {b}");
    }
    if let Some(x) = &c.experiment {
        out += &format!(", experiment {x}");
    }
    out += &c.asked();
    out += "\n\n";

    let with_sessions = r.buckets.iter().any(|b| b.sessions.is_some());
    let mut headers = vec![
        "bucket",
        "orders",
        "revenue",
        "average order value (95% interval)",
        "items/order",
    ];
    if with_sessions {
        headers.extend(["sessions", "revenue/session (95% interval)"]);
    }
    let rows: Vec<Vec<String>> = r
        .buckets
        .iter()
        .map(|b| {
            let mut row = vec![
                bucket_name(b.bucket).to_string(),
                thousands(b.orders),
                money(b.revenue, cur),
                match (b.order_value, b.orders) {
                    (_, 0) => "-".into(),
                    (Some(_), _) => interval_text(b.order_value, cur),
                    (None, _) => money(b.average_order_value(), cur),
                },
                if b.orders == 0 {
                    "-".into()
                } else {
                    format!("{:.2}", b.items_per_order())
                },
            ];
            if with_sessions {
                row.push(b.sessions.map_or("-".into(), thousands));
                row.push(interval_text(b.per_session, cur));
            }
            row
        })
        .collect();
    out += &table(1, &headers, &rows);

    out += "\neffect of the widget (treatment − holdout)\n";
    let effects: Vec<&Effect> = r.order_value.iter().chain(&r.per_session).collect();
    if effects.is_empty() {
        out += "  not measured: see the notes\n";
    }
    for e in effects {
        let interval = if e.verdict == Verdict::TooFewOrders {
            "no interval yet".to_string()
        } else {
            format!(
                "95% interval {} to {}",
                money(e.difference.low, cur),
                money(e.difference.high, cur)
            )
        };
        let sign = if e.difference.estimate >= 0.0 {
            "+"
        } else {
            ""
        };
        out += &format!(
            "  {}: {sign}{} ({:+.1}%), {interval}\n    {}\n",
            e.metric.name(),
            money(e.difference.estimate, cur),
            e.relative() * 100.0,
            e.sentence(cur)
        );
    }

    if !r.placements.is_empty() {
        out += "\nplacements (rates per session with an impression; the holdout's impressions \
                are what it would have been shown)\n";
        let rows: Vec<Vec<String>> = r
            .placements
            .iter()
            .map(|p| placement_cells(p, cur).to_vec())
            .collect();
        out += &table(
            2,
            &[
                "bucket",
                "placement",
                "sessions",
                "impressions",
                "clicks",
                "click-through",
                "adds",
                "add-to-cart",
                "value added",
            ],
            &rows,
        );
    }

    let a = &r.attributed;
    out += &format!(
        "\nproducts the widget added: {} added, {} bought in {} order(s), {}\n",
        thousands(a.added),
        thousands(a.bought),
        thousands(a.orders),
        money(a.revenue, cur)
    );
    out += "  (revenue of the lines bought, not the widget's effect: shoppers may have bought \
            some anyway; the effect is the difference above)\n";
    let attributed = |rows: &[report::Attributed]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|x| {
                vec![
                    x.key.clone(),
                    thousands(x.added),
                    thousands(x.bought),
                    thousands(x.orders),
                    money(x.revenue, cur),
                ]
            })
            .collect()
    };
    if !r.by_placement.is_empty() {
        out += &table(
            1,
            &["placement", "added", "bought", "orders", "revenue"],
            &attributed(&r.by_placement),
        );
        out += &format!(
            "\n  by rule (top {} of {})\n",
            r.by_rule.len(),
            thousands(r.rules as u64)
        );
        out += &table(
            1,
            &["rule", "added", "bought", "orders", "revenue"],
            &attributed(&r.by_rule),
        );
    }
    if !r.notes.is_empty() {
        out += "\nnotes\n";
        for n in &r.notes {
            out += &format!("  - {n}\n");
        }
    }
    out += &format!("\nmethod: {}\n", r.method());
    out
}

fn interval_json(iv: &Option<report::stats::Interval>) -> serde_json::Value {
    match iv {
        Some(iv) => serde_json::json!({"estimate": iv.estimate, "low": iv.low, "high": iv.high}),
        None => serde_json::Value::Null,
    }
}

fn json(r: &Report, c: &Scope) -> serde_json::Value {
    let cur = r.currency.as_deref();
    let effect = |e: &Option<Effect>| match e {
        Some(e) => serde_json::json!({
            "treatment": interval_json(&Some(e.treatment)),
            "holdout": interval_json(&Some(e.holdout)),
            "difference": interval_json(&Some(e.difference)),
            "relative": e.relative(),
            "verdict": format!("{:?}", e.verdict),
            "units": e.units,
            "needed": e.needed,
            "sentence": e.sentence(cur),
        }),
        None => serde_json::Value::Null,
    };
    let attributed = |rows: &[report::Attributed]| -> Vec<serde_json::Value> {
        rows.iter()
            .map(|x| {
                serde_json::json!({"key": x.key, "added": x.added, "bought": x.bought,
                    "orders": x.orders, "revenue": x.revenue})
            })
            .collect()
    };
    serde_json::json!({
        "formats": c.formats,
        "experiment": c.experiment,
        "from": c.from.map(|d| d.to_string()),
        "until": c.until.map(|d| d.to_string()),
        "currency": r.currency,
        "period": r.period.map(|(a, b)| [a.to_string(), b.to_string()]),
        "buckets": r.buckets.iter().map(|b| serde_json::json!({
            "bucket": bucket_name(b.bucket),
            "orders": b.orders,
            "revenue": b.revenue,
            "average_order_value": b.average_order_value(),
            "order_value": interval_json(&b.order_value),
            "items_per_order": b.items_per_order(),
            "sessions": b.sessions,
            "per_session": interval_json(&b.per_session),
        })).collect::<Vec<_>>(),
        "order_value": effect(&r.order_value),
        "per_session": effect(&r.per_session),
        "placements": r.placements.iter().map(|p| serde_json::json!({
            "bucket": p.bucket.name(),
            "placement": p.placement,
            "sessions": p.events.sessions,
            "impressions": p.events.impressions,
            "clicks": p.events.clicks,
            "adds": p.events.adds,
            "dismissals": p.events.dismissals,
            "click_sessions": p.events.click_sessions,
            "add_sessions": p.events.add_sessions,
            "added_value": p.events.added_value,
        })).collect::<Vec<_>>(),
        "events": c.events.as_ref().map(|e| serde_json::json!({
            "lines": e.lines,
            "counted": e.counted,
            "source": format!("{:?}", e.source),
            "without_session": e.without_session,
            "other_events": e.other_events,
            "duplicates": e.duplicates,
            "outside_period": e.outside_period,
            "other_experiment": e.other_experiment,
        })),
        "attributed": attributed(std::slice::from_ref(&r.attributed))[0],
        "by_placement": attributed(&r.by_placement),
        "by_rule": attributed(&r.by_rule),
        "rules": r.rules,
        "daily": r.daily.iter().map(|(d, t, h)| serde_json::json!([d.to_string(), t, h])).collect::<Vec<_>>(),
        "notes": r.notes,
        "method": r.method(),
        "resamples": r.settings.resamples,
        "seed": r.settings.seed,
    })
}
