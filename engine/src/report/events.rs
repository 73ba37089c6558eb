//! The widget's events as a collector wrote them, one JSON object per line, counted per
//! bucket and placement for `cartlift report`.
//!
//! Lines it reads:
//! - **cartlift's own** `dataLayer` pushes, `{"event": "cartlift_impression" |
//!   "cartlift_click" | "cartlift_add_to_cart" | "cartlift_dismiss", "cartlift": {…}}`,
//!   whose detail carries `placement`, `bucket` and `experiment` (and `value` on an add),
//!   with the session key a collector adds at the top level, `session_id` (or
//!   `client_id`), and its time, `timestamp` (ISO 8601, or Unix milliseconds);
//! - **GA4's recommended ecommerce events** the widget pushes next to them,
//!   `view_item_list`, `select_item` and `add_to_cart` with `cartlift_bucket`: as
//!   `dataLayer` lines (`ecommerce.item_list_id` or the items' `item_list_id` is the
//!   placement), or as rows of GA4's BigQuery export (`event_name`, `event_date`,
//!   `event_timestamp` in microseconds, `user_pseudo_id`, `event_params` as
//!   `[{key, value: {string_value | int_value | double_value | float_value}}]` holding
//!   `ga_session_id`, `cartlift_bucket` and `value`, and `items[].item_list_id`). A GA4
//!   event without `cartlift_bucket` is the store's own and is not counted. When a file
//!   has cartlift's own lines, its GA4-shaped lines repeat the same events and are not
//!   counted either.
//!
//! A session is a `session_id` / `client_id`, or GA4's `user_pseudo_id` with its
//! `ga_session_id`. A line without one is counted as an event but cannot be counted as a
//! session: how many there were is reported, never guessed.

use super::orders::{Day, RowProblem};
use crate::shopper::Bucket;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Impression,
    Click,
    Add,
    Dismiss,
}

/// One placement's events in one bucket.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlacementEvents {
    /// Impressions (for the holdout: what would have been shown).
    pub impressions: u64,
    /// Clicks.
    pub clicks: u64,
    /// Adds to cart.
    pub adds: u64,
    /// "Not interested".
    pub dismissals: u64,
    /// The value of what was added, where the events carry it.
    pub added_value: f64,
    /// Sessions with an impression here.
    pub sessions: u64,
    /// Of those, sessions with a click here.
    pub click_sessions: u64,
    /// Of those, sessions with an add here.
    pub add_sessions: u64,
}

/// Events, counted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Events {
    /// Per (bucket, placement).
    pub placements: BTreeMap<(BucketKey, String), PlacementEvents>,
    /// Sessions with an impression anywhere, per bucket (treatment, holdout).
    pub sessions: [u64; 2],
    /// Lines read (blank lines not counted).
    pub lines: u64,
    /// Events counted.
    pub counted: u64,
    /// Which lines were counted: cartlift's own, or GA4's.
    pub source: Source,
    /// Events counted without a session key.
    pub without_session: u64,
    /// Lines of other events (the store's own, GA4's without `cartlift_bucket`).
    pub other_events: u64,
    /// GA4-shaped lines of the widget's not counted because the file has cartlift's own
    /// lines, which record the same events.
    pub duplicates: u64,
    /// Lines outside `--from`/`--until`, or without a time when a period is set.
    pub outside_period: u64,
    /// Lines of another experiment than the one reported.
    pub other_experiment: u64,
    /// Every experiment name seen.
    pub experiments: BTreeSet<String>,
}

/// Orders [`Bucket`]s in tables: treatment first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BucketKey {
    /// Treatment.
    Treatment,
    /// Holdout.
    Holdout,
}

impl BucketKey {
    /// The bucket.
    pub fn bucket(self) -> Bucket {
        match self {
            BucketKey::Treatment => Bucket::Treatment,
            BucketKey::Holdout => Bucket::Holdout,
        }
    }

    /// Of a bucket.
    pub fn of(bucket: Bucket) -> BucketKey {
        match bucket {
            Bucket::Treatment => BucketKey::Treatment,
            Bucket::Holdout => BucketKey::Holdout,
        }
    }
}

/// Where the counted events came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Source {
    /// No events counted.
    #[default]
    None,
    /// cartlift's own `dataLayer` lines.
    Cartlift,
    /// GA4's recommended events (`dataLayer` lines or BigQuery export rows).
    Ga4,
}

/// What to count.
#[derive(Clone, Debug, Default)]
pub struct EventFilter {
    /// First day counted.
    pub from: Option<Day>,
    /// Last day counted.
    pub until: Option<Day>,
    /// Only this experiment (events of a store without a holdout name none).
    pub experiment: Option<String>,
}

/// One event, read.
struct Read {
    kind: Kind,
    bucket: Bucket,
    placement: String,
    session: Option<String>,
    day: Option<Day>,
    experiment: Option<String>,
    value: Option<f64>,
    ga4: bool,
}

#[derive(Default)]
struct Tally {
    /// Lines of this source read, counted or not.
    seen: u64,
    counted: u64,
    without_session: u64,
    outside_period: u64,
    other_experiment: u64,
    per: BTreeMap<(BucketKey, String), PerPlacement>,
    sessions: [HashSet<String>; 2],
}

#[derive(Default)]
struct PerPlacement {
    events: PlacementEvents,
    impression: HashSet<String>,
    click: HashSet<String>,
    add: HashSet<String>,
}

/// The incremental reader: [`EventReader::push`] bytes, then [`EventReader::finish`].
pub struct EventReader {
    filter: EventFilter,
    strict: bool,
    pending: Vec<u8>,
    line: u64,
    lines: u64,
    other_events: u64,
    experiments: BTreeSet<String>,
    /// cartlift's own lines, GA4's.
    tallies: [Tally; 2],
    problems: Vec<RowProblem>,
}

impl std::fmt::Debug for EventReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventReader")
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

impl EventReader {
    /// A reader counting what `filter` selects.
    pub fn new(filter: EventFilter) -> EventReader {
        EventReader {
            filter,
            strict: false,
            pending: Vec::new(),
            line: 0,
            lines: 0,
            other_events: 0,
            experiments: BTreeSet::new(),
            tallies: [Tally::default(), Tally::default()],
            problems: Vec::new(),
        }
    }

    /// Make every problem fatal.
    pub fn strict(mut self, strict: bool) -> EventReader {
        self.strict = strict;
        self
    }

    /// Problems since the last call.
    pub fn take_problems(&mut self) -> Vec<RowProblem> {
        std::mem::take(&mut self.problems)
    }

    /// Reads the next chunk (chunks may split lines anywhere). Errors: in strict mode,
    /// the first problem.
    pub fn push(&mut self, mut bytes: &[u8]) -> Result<(), RowProblem> {
        while let Some(nl) = bytes.iter().position(|&b| b == b'\n') {
            let (line, rest) = bytes.split_at(nl + 1);
            bytes = rest;
            if self.pending.is_empty() {
                self.one(line)?;
            } else {
                let mut joined = std::mem::take(&mut self.pending);
                joined.extend_from_slice(line);
                self.one(&joined)?;
            }
        }
        self.pending.extend_from_slice(bytes);
        Ok(())
    }

    /// Ends one file of several: reads its last line, and the next file's lines are
    /// numbered from 1 (sessions are counted across files).
    pub fn end_file(&mut self) -> Result<(), RowProblem> {
        if !self.pending.is_empty() {
            let last = std::mem::take(&mut self.pending);
            self.one(&last)?;
        }
        self.line = 0;
        Ok(())
    }

    /// Ends the input.
    pub fn finish(mut self) -> Result<(Events, Vec<RowProblem>), RowProblem> {
        self.end_file()?;
        let [own, ga4] = self.tallies;
        let (tally, source, duplicates) = if own.seen > 0 {
            (own, Source::Cartlift, ga4.seen)
        } else if ga4.seen > 0 {
            (ga4, Source::Ga4, 0)
        } else {
            (own, Source::None, 0)
        };
        let placements = tally
            .per
            .into_iter()
            .map(|(key, p)| {
                let mut e = p.events;
                e.sessions = p.impression.len() as u64;
                e.click_sessions = p.click.intersection(&p.impression).count() as u64;
                e.add_sessions = p.add.intersection(&p.impression).count() as u64;
                (key, e)
            })
            .collect();
        let events = Events {
            placements,
            sessions: [
                tally.sessions[0].len() as u64,
                tally.sessions[1].len() as u64,
            ],
            lines: self.lines,
            counted: tally.counted,
            source,
            without_session: tally.without_session,
            other_events: self.other_events,
            duplicates,
            outside_period: tally.outside_period,
            other_experiment: tally.other_experiment,
            experiments: self.experiments,
        };
        Ok((events, self.problems))
    }

    fn one(&mut self, raw: &[u8]) -> Result<(), RowProblem> {
        self.line += 1;
        let text = match std::str::from_utf8(raw) {
            Ok(t) => t.trim(),
            Err(_) => return self.problem("the line is not valid UTF-8".into()),
        };
        if text.is_empty() {
            return Ok(());
        }
        self.lines += 1;
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => return self.problem(format!("not JSON: {e}")),
        };
        let Some(object) = value.as_object() else {
            return self.problem("not a JSON object".into());
        };
        match read(object) {
            Ok(Some(event)) => {
                self.count(event);
                Ok(())
            }
            Ok(None) => {
                self.other_events += 1;
                Ok(())
            }
            Err(message) => self.problem(message),
        }
    }

    fn problem(&mut self, message: String) -> Result<(), RowProblem> {
        let problem = RowProblem {
            line: self.line,
            message,
            skipped: true,
        };
        if self.strict {
            return Err(problem);
        }
        self.problems.push(problem);
        Ok(())
    }

    fn count(&mut self, e: Read) {
        if let Some(x) = &e.experiment {
            self.experiments.insert(x.clone());
        }
        let tally = &mut self.tallies[usize::from(e.ga4)];
        tally.seen += 1;
        let f = &self.filter;
        if let Some(want) = &f.experiment
            && e.experiment.as_ref().is_some_and(|x| x != want)
        {
            tally.other_experiment += 1;
            return;
        }
        if f.from.is_some() || f.until.is_some() {
            let inside = e.day.is_some_and(|d| {
                f.from.is_none_or(|from| d >= from) && f.until.is_none_or(|u| d <= u)
            });
            if !inside {
                tally.outside_period += 1;
                return;
            }
        }
        tally.counted += 1;
        let key = BucketKey::of(e.bucket);
        let per = tally.per.entry((key, e.placement)).or_default();
        match e.kind {
            Kind::Impression => per.events.impressions += 1,
            Kind::Click => per.events.clicks += 1,
            Kind::Add => {
                per.events.adds += 1;
                per.events.added_value += e.value.unwrap_or(0.0);
            }
            Kind::Dismiss => per.events.dismissals += 1,
        }
        let Some(session) = e.session else {
            tally.without_session += 1;
            return;
        };
        match e.kind {
            Kind::Impression => {
                tally.sessions[key as usize].insert(session.clone());
                per.impression.insert(session);
            }
            Kind::Click => {
                per.click.insert(session);
            }
            Kind::Add => {
                per.add.insert(session);
            }
            Kind::Dismiss => {}
        }
    }
}

type Object = serde_json::Map<String, serde_json::Value>;

/// One line's event; `None` for an event that is not the widget's.
fn read(o: &Object) -> Result<Option<Read>, String> {
    if let Some(name) = o.get("event_name").and_then(|v| v.as_str()) {
        return read_bigquery(name, o);
    }
    let Some(name) = o.get("event").and_then(|v| v.as_str()) else {
        return Ok(None);
    };
    let session = text(o.get("session_id")).or_else(|| text(o.get("client_id")));
    let day = match o.get("timestamp") {
        None | Some(serde_json::Value::Null) => None,
        Some(t) => Some(moment(t).ok_or_else(|| {
            format!("timestamp {t} is not an ISO 8601 time or Unix milliseconds")
        })?),
    };
    if let Some(kind) = name.strip_prefix("cartlift_") {
        let kind = match kind {
            "impression" => Kind::Impression,
            "click" => Kind::Click,
            "add_to_cart" => Kind::Add,
            "dismiss" => Kind::Dismiss,
            _ => return Ok(None),
        };
        let Some(detail) = o.get("cartlift").and_then(|v| v.as_object()) else {
            return Err(format!("{name} has no \"cartlift\" object"));
        };
        let placement =
            text(detail.get("placement")).ok_or_else(|| format!("{name} has no placement"))?;
        return Ok(Some(Read {
            kind,
            bucket: bucket(detail.get("bucket"), name)?,
            placement,
            session,
            day,
            experiment: text(detail.get("experiment")),
            value: detail.get("value").and_then(|v| v.as_f64()),
            ga4: false,
        }));
    }
    let Some(kind) = ga4_kind(name) else {
        return Ok(None);
    };
    if o.get("cartlift_bucket").is_none() {
        return Ok(None);
    }
    let ecommerce = o.get("ecommerce").and_then(|v| v.as_object());
    let placement = ecommerce
        .and_then(|e| text(e.get("item_list_id")).or_else(|| list_id(e.get("items"))))
        .ok_or_else(|| format!("{name} has no item_list_id (the placement)"))?;
    Ok(Some(Read {
        kind,
        bucket: bucket(o.get("cartlift_bucket"), name)?,
        placement,
        session,
        day,
        experiment: text(o.get("cartlift_experiment")),
        value: ecommerce.and_then(|e| e.get("value")).and_then(number),
        ga4: true,
    }))
}

/// A row of GA4's BigQuery export.
fn read_bigquery(name: &str, o: &Object) -> Result<Option<Read>, String> {
    let Some(kind) = ga4_kind(name) else {
        return Ok(None);
    };
    let params = o
        .get("event_params")
        .and_then(|v| v.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default();
    let param = |key: &str| {
        params.iter().find_map(|p| {
            (p.get("key").and_then(|k| k.as_str()) == Some(key)).then(|| {
                let v = p.get("value")?;
                ["string_value", "int_value", "double_value", "float_value"]
                    .iter()
                    .find_map(|f| v.get(*f).filter(|x| !x.is_null()))
            })?
        })
    };
    let Some(b) = param("cartlift_bucket") else {
        return Ok(None);
    };
    let placement = list_id(o.get("items"))
        .or_else(|| text(param("item_list_id")))
        .ok_or_else(|| format!("{name} has no item_list_id (the placement)"))?;
    let session = match (text(o.get("user_pseudo_id")), text(param("ga_session_id"))) {
        (Some(user), Some(s)) => Some(format!("{user}.{s}")),
        _ => None,
    };
    let day = match (o.get("event_date"), o.get("event_timestamp")) {
        (Some(d), _) if !d.is_null() => Some(
            text(Some(d))
                .and_then(|d| Day::parse(&d))
                .ok_or_else(|| format!("event_date {d} is not YYYYMMDD"))?,
        ),
        (_, Some(t)) if !t.is_null() => Some(
            number(t)
                .map(|us| Day::from_unix_millis((us / 1_000.0) as i64))
                .ok_or_else(|| format!("event_timestamp {t} is not a number"))?,
        ),
        _ => None,
    };
    Ok(Some(Read {
        kind,
        bucket: bucket(Some(b), name)?,
        placement,
        session,
        day,
        experiment: text(param("cartlift_experiment")),
        value: param("value").and_then(number),
        ga4: true,
    }))
}

fn ga4_kind(name: &str) -> Option<Kind> {
    match name {
        "view_item_list" => Some(Kind::Impression),
        "select_item" => Some(Kind::Click),
        "add_to_cart" => Some(Kind::Add),
        _ => None,
    }
}

fn bucket(v: Option<&serde_json::Value>, event: &str) -> Result<Bucket, String> {
    match text(v).as_deref() {
        Some("treatment") => Ok(Bucket::Treatment),
        Some("holdout") => Ok(Bucket::Holdout),
        Some(other) => Err(format!(
            "{event}: bucket {other:?} is neither treatment nor holdout"
        )),
        None => Err(format!("{event} has no bucket")),
    }
}

/// The first item's `item_list_id`.
fn list_id(items: Option<&serde_json::Value>) -> Option<String> {
    items?
        .as_array()?
        .iter()
        .find_map(|i| text(i.get("item_list_id")))
}

/// A string, or a number written as text (BigQuery's JSON writes 64-bit integers as
/// strings; collectors write ids either way). Empty and null are none.
fn text(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A number, or a number written as a string.
fn number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .filter(|x: &f64| x.is_finite())
}

/// The day of a timestamp: ISO 8601 text, or Unix milliseconds.
fn moment(v: &serde_json::Value) -> Option<Day> {
    match v {
        serde_json::Value::String(s) => Day::parse(s),
        serde_json::Value::Number(n) => n.as_f64().map(|ms| Day::from_unix_millis(ms as i64)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &str, filter: EventFilter) -> (Events, Vec<RowProblem>) {
        let mut r = EventReader::new(filter);
        for chunk in text.as_bytes().chunks(5) {
            r.push(chunk).unwrap();
        }
        r.finish().unwrap()
    }

    const OWN: &str = r#"{"event":"cartlift_impression","cartlift":{"placement":"cart","bucket":"treatment","experiment":"q4","products":["a"],"rules":["r"],"shown":true},"session_id":"s1","timestamp":"2025-03-01T10:00:00Z"}
{"event":"cartlift_click","cartlift":{"placement":"cart","bucket":"treatment","experiment":"q4","product":"a","rules":["r"]},"session_id":"s1","timestamp":1740823200000}
{"event":"cartlift_add_to_cart","cartlift":{"placement":"cart","bucket":"treatment","experiment":"q4","items":[{"id":"a","variant":null,"quantity":1}],"rules":["r"],"replaces":null,"value":12.5,"currency":"USD"},"session_id":"s1"}
{"event":"cartlift_impression","cartlift":{"placement":"cart","bucket":"holdout","experiment":"q4","products":["a"],"rules":["r"],"shown":false},"session_id":"s2"}
{"event":"cartlift_impression","cartlift":{"placement":"cart","bucket":"treatment","experiment":"q4","products":["a"],"rules":["r"],"shown":true}}
{"event":"view_item_list","ecommerce":{"item_list_id":"cart","items":[{"item_id":"a","item_list_id":"cart"}]},"cartlift_bucket":"treatment","session_id":"s1"}
{"event":"page_view"}

{"event":"cartlift_impression","cartlift":{"placement":"cart"}}
not json
"#;

    #[test]
    fn cartlift_lines_counted_by_bucket_placement_and_session() {
        let (e, problems) = read_all(OWN, EventFilter::default());
        assert_eq!(e.source, Source::Cartlift);
        assert_eq!((e.lines, e.counted), (9, 5));
        assert_eq!((e.without_session, e.other_events, e.duplicates), (1, 1, 1));
        assert_eq!(e.sessions, [1, 1]);
        let t = &e.placements[&(BucketKey::Treatment, "cart".to_string())];
        assert_eq!((t.impressions, t.clicks, t.adds), (2, 1, 1));
        assert_eq!((t.sessions, t.click_sessions, t.add_sessions), (1, 1, 1));
        assert_eq!(t.added_value, 12.5);
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2);
        assert_eq!(
            shown[0],
            "line 9: cartlift_impression has no bucket (row skipped)"
        );
        assert!(shown[1].starts_with("line 10: not JSON"), "{}", shown[1]);
        assert_eq!(e.experiments.iter().collect::<Vec<_>>(), ["q4"]);
    }

    #[test]
    fn periods_and_experiments_filter_lines() {
        let filter = EventFilter {
            from: Day::parse("2025-03-01"),
            until: Day::parse("2025-03-01"),
            experiment: None,
        };
        let (e, _) = read_all(OWN, filter);
        // Two lines have a time on that day; the others have none.
        assert_eq!((e.counted, e.outside_period), (2, 3));
        let filter = EventFilter {
            experiment: Some("q1".into()),
            ..EventFilter::default()
        };
        let (e, _) = read_all(OWN, filter);
        assert_eq!((e.counted, e.other_experiment), (0, 5));
    }

    #[test]
    fn bigquery_rows_make_sessions_of_user_and_ga_session() {
        let rows = r#"{"event_date":"20250301","event_timestamp":"1740823200000000","event_name":"view_item_list","user_pseudo_id":"123.456","event_params":[{"key":"ga_session_id","value":{"int_value":"1740823100"}},{"key":"cartlift_bucket","value":{"string_value":"holdout"}}],"items":[{"item_id":"a","item_list_id":"product","price":12.5,"quantity":1}]}
{"event_date":"20250301","event_timestamp":1740823260000000,"event_name":"add_to_cart","user_pseudo_id":"123.456","event_params":[{"key":"ga_session_id","value":{"int_value":1740823100}},{"key":"cartlift_bucket","value":{"string_value":"treatment"}},{"key":"value","value":{"double_value":12.5}}],"items":[{"item_id":"a","item_list_id":"product"}]}
{"event_date":"20250301","event_name":"add_to_cart","user_pseudo_id":"9","event_params":[{"key":"ga_session_id","value":{"int_value":"1"}}],"items":[]}
{"event_date":"20250301","event_name":"session_start","user_pseudo_id":"9","event_params":[]}
"#;
        let (e, problems) = read_all(rows, EventFilter::default());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(e.source, Source::Ga4);
        assert_eq!((e.counted, e.other_events), (2, 2));
        assert_eq!(e.sessions, [0, 1]);
        let t = &e.placements[&(BucketKey::Treatment, "product".to_string())];
        assert_eq!((t.adds, t.added_value, t.add_sessions), (1, 12.5, 0));
    }
}
