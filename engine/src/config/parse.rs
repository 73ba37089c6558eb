//! Text → config. A valid config takes the fast path: one pass of the small reader in
//! [`super::lite`], then [`super::build`]. When that fails, the `diagnostics` feature does
//! what it always did: one typed `serde_json` pass, and if that fails on the data, the slow
//! path, which deserializes each part on its own to report *every* unknown field and wrong
//! type with its path, and then builds what is valid. Without `diagnostics` (the widget,
//! which ships neither `serde_json` nor serde's derives) the small reader's first problem
//! is reported with its path and line:column.

use super::Config;
use super::build::Problem;
#[cfg(feature = "diagnostics")]
use super::build::{self, Broken};
use super::load::Loading;
#[cfg(feature = "diagnostics")]
use super::path::JsonPath;
#[cfg(feature = "diagnostics")]
use super::raw::RawConfig;

/// The whole text at once: [`Loading`] run to the end.
pub(super) fn from_json(text: &str) -> (Option<Config>, Vec<Problem>) {
    let mut loading = Loading::new(text);
    loop {
        if let Some(outcome) = loading.step(usize::MAX) {
            return outcome;
        }
    }
}

/// The first problem the small reader found is the answer (the widget).
#[cfg(not(feature = "diagnostics"))]
pub(super) fn not_lite(_text: &str, problem: Problem) -> (Option<Config>, Vec<Problem>) {
    (None, vec![problem])
}

/// The typed `serde_json` pass decides, as it always has; if it fails too, the slow path
/// reports every problem.
#[cfg(feature = "diagnostics")]
pub(super) fn not_lite(text: &str, problem: Problem) -> (Option<Config>, Vec<Problem>) {
    match serde_json::from_str::<RawConfig>(text) {
        Ok(raw) => build::build(&raw, &Broken::default()),
        // The slow path reads through `serde_json::Value`, whose maps keep the last of a
        // repeated key: it would call the config valid where the widget refuses it. The
        // small reader's problem names the object that repeats it.
        Err(e) if e.is_data() && e.to_string().starts_with("duplicate field") => {
            (None, vec![problem])
        }
        Err(e) if e.is_data() => diagnostics::parse(text),
        Err(e) => (None, vec![serde_problem(&e)]),
    }
}

#[cfg(feature = "diagnostics")]
fn serde_problem(e: &serde_json::Error) -> Problem {
    let mut message = e.to_string();
    // serde_json appends " at line L column C"; the location is kept separately.
    if let Some(cut) = message.rfind(" at line ") {
        message.truncate(cut);
    }
    let mut problem = Problem::error(JsonPath::root(), message);
    // serde_json says column 0 at the very start of a line (an empty file, EOF after a
    // newline); columns are 1-based everywhere else.
    problem.location = (e.line() > 0).then(|| (e.line(), e.column().max(1)));
    problem
}

#[cfg(feature = "diagnostics")]
mod diagnostics {
    use super::*;
    use crate::config::build::closest;
    use crate::config::raw::{
        RawAddOn, RawBoughtTogether, RawCrossSell, RawProduct, RawRule, RawStore, RawThreshold,
        RawUpgrade,
    };
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    const ROOT_KEYS: [&str; 6] = ["$schema", "version", "store", "catalog", "rules", "shards"];
    const KINDS: [&str; 5] = [
        "bought_together",
        "cross_sell",
        "upgrade",
        "add_on",
        "threshold",
    ];

    pub(super) fn parse(text: &str) -> (Option<Config>, Vec<Problem>) {
        let mut problems = Vec::new();
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => return (None, vec![serde_problem(&e)]),
        };
        let Value::Object(mut root) = value else {
            return (
                None,
                vec![Problem::error(
                    JsonPath::root(),
                    "a config is a JSON object: {\"version\": 1, \"store\": …}",
                )],
            );
        };
        let root_path = JsonPath::root();
        for key in root.keys() {
            if !ROOT_KEYS.contains(&key.as_str()) {
                problems.push(unknown_field(&root_path, key, &ROOT_KEYS));
            }
        }
        let mut raw = RawConfig::default();
        let mut fatal = false;
        // A missing or mistyped version is reported here; reading on as version 1 keeps
        // the builder from adding "unsupported config version 0" to it.
        raw.version = crate::config::raw::CONFIG_VERSION;
        match root.remove("version") {
            None => {
                fatal = true;
                problems.push(Problem::error(
                    root_path.clone(),
                    "missing field `version` (use 1)",
                ));
            }
            Some(v) => match part::<u32>(v, &root_path.key("version"), &mut problems) {
                Some(v) => raw.version = v,
                None => fatal = true,
            },
        }
        match root.remove("store") {
            None => {
                fatal = true;
                problems.push(Problem::error(root_path.clone(), "missing field `store`"));
            }
            Some(v) => match part::<RawStore>(v, &root_path.key("store"), &mut problems) {
                Some(store) => raw.store = store,
                None => fatal = true,
            },
        }
        let mut broken = Broken::default();
        for (i, item) in array(root.remove("catalog"), "catalog", &mut problems) {
            let id = item.get("id").and_then(Value::as_str).map(str::to_owned);
            match part::<RawProduct>(item, &root_path.key("catalog").index(i), &mut problems) {
                Some(product) => {
                    broken.catalog_index.push(i);
                    raw.catalog.push(product);
                }
                None => broken.products.extend(id),
            }
        }
        for (i, item) in array(root.remove("rules"), "rules", &mut problems) {
            if let Some(rule) = rule(item, &root_path.key("rules").index(i), &mut problems) {
                broken.rules_index.push(i);
                raw.rules.push(rule);
            }
        }
        if let Some(v) = root.remove("shards").filter(|v| !v.is_null()) {
            raw.shards = part(v, &root_path.key("shards"), &mut problems);
            fatal |= raw.shards.is_none();
        }
        let (config, built) = build::build(&raw, &broken);
        problems.extend(built);
        (if fatal { None } else { config }, problems)
    }

    fn array(value: Option<Value>, name: &str, problems: &mut Vec<Problem>) -> Vec<(usize, Value)> {
        match value {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items.into_iter().enumerate().collect(),
            Some(other) => {
                problems.push(Problem::error(
                    JsonPath::root().key(name),
                    format!("`{name}` must be an array, not {}", kind_of(&other)),
                ));
                Vec::new()
            }
        }
    }

    fn rule(item: Value, path: &JsonPath, problems: &mut Vec<Problem>) -> Option<RawRule> {
        let Value::Object(mut fields) = item else {
            problems.push(Problem::error(
                path.clone(),
                format!("a rule is an object, not {}", kind_of(&item)),
            ));
            return None;
        };
        let kind = match fields.remove("kind") {
            Some(Value::String(k)) => k,
            Some(other) => {
                problems.push(Problem::error(
                    path.key("kind"),
                    format!("`kind` must be a string, not {}", kind_of(&other)),
                ));
                return None;
            }
            None => {
                problems.push(Problem::error(
                    path.clone(),
                    format!("missing field `kind` (one of {})", KINDS.join(", ")),
                ));
                return None;
            }
        };
        let value = Value::Object(fields);
        // Internally tagged enums lose field paths in serde's errors, so each kind's struct
        // is read directly.
        match kind.as_str() {
            "bought_together" => {
                part::<RawBoughtTogether>(value, path, problems).map(RawRule::BoughtTogether)
            }
            "cross_sell" => part::<RawCrossSell>(value, path, problems).map(RawRule::CrossSell),
            "upgrade" => part::<RawUpgrade>(value, path, problems).map(RawRule::Upgrade),
            "add_on" => part::<RawAddOn>(value, path, problems).map(RawRule::AddOn),
            "threshold" => part::<RawThreshold>(value, path, problems).map(RawRule::Threshold),
            other => {
                let hint = closest(other, &KINDS)
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default();
                problems.push(Problem::error(
                    path.key("kind"),
                    format!(
                        "unknown rule kind `{other}` (one of {}){hint}",
                        KINDS.join(", ")
                    ),
                ));
                None
            }
        }
    }

    /// Deserializes one part, reporting every unknown field and wrong type in it: after
    /// each error the offending member is removed and the part read again. A part whose
    /// only problems are unknown fields (typos) is still returned, so the rest of it stays
    /// usable; a wrong type or a missing field makes it unusable.
    fn part<T: DeserializeOwned>(
        mut value: Value,
        base: &JsonPath,
        problems: &mut Vec<Problem>,
    ) -> Option<T> {
        let mut unusable = false;
        let mut removed: Vec<JsonPath> = Vec::new();
        for _ in 0..64 {
            let err = match serde_path_to_error::deserialize::<_, T>(value.clone()) {
                Ok(t) => return (!unusable).then_some(t),
                Err(e) => e,
            };
            let mut at = JsonPath::parse(&err.path().to_string());
            let message = err.inner().to_string();
            if let Some(field) = quoted_after(&message, "unknown field `") {
                // serde_path_to_error's path already ends in the unknown key for structs.
                if !matches!(at.segments().last(), Some(super::super::path::Segment::Key(k)) if k == field)
                {
                    at = at.key(field);
                }
                let expected = expected_fields(&message);
                let hint = closest(field, &expected)
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default();
                problems.push(Problem::error(
                    base.join(&at),
                    format!("unknown field `{field}`{hint}"),
                ));
            } else if let Some(field) = quoted_after(&message, "missing field `") {
                if !removed.iter().any(|r| *r == at.key(field)) {
                    problems.push(Problem::error(
                        base.join(&at),
                        format!("missing field `{field}`"),
                    ));
                }
                // Otherwise it is the consequence of removing a wrongly typed required field.
                return None;
            } else {
                unusable = true;
                problems.push(Problem::error(
                    base.join(&at),
                    describe_type_error(&message),
                ));
            }
            if !remove(&mut value, &at) {
                return None;
            }
            removed.push(at);
        }
        None
    }

    /// Removes the member at `path`; only object members can be removed.
    fn remove(value: &mut Value, path: &JsonPath) -> bool {
        use super::super::path::Segment;
        let Some((last, parents)) = path.segments().split_last() else {
            return false;
        };
        let mut at = value;
        for segment in parents {
            at = match (segment, at) {
                (Segment::Key(k), Value::Object(m)) => match m.get_mut(k) {
                    Some(v) => v,
                    None => return false,
                },
                (Segment::Index(i), Value::Array(a)) => match a.get_mut(*i) {
                    Some(v) => v,
                    None => return false,
                },
                _ => return false,
            };
        }
        match (last, at) {
            (Segment::Key(k), Value::Object(m)) => m.remove(k).is_some(),
            _ => false,
        }
    }

    fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
        let rest = &message[message.find(prefix)? + prefix.len()..];
        Some(&rest[..rest.find('`')?])
    }

    /// The names in serde's "expected one of `a`, `b`" tail.
    fn expected_fields(message: &str) -> Vec<&str> {
        message
            .split_once("expected")
            .map(|(_, tail)| tail.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default()
    }

    fn describe_type_error(message: &str) -> String {
        message
            .replace("expected f64", "expected a number")
            .replace("expected u32", "expected a whole number ≥ 0")
            .replace("expected i32", "expected a whole number")
            .replace("expected a boolean", "expected true or false")
    }

    fn unknown_field(path: &JsonPath, key: &str, known: &[&str]) -> Problem {
        let hint = closest(key, known)
            .map(|k| format!("; did you mean `{k}`?"))
            .unwrap_or_default();
        Problem::error(path.key(key), format!("unknown field `{key}`{hint}"))
    }

    fn kind_of(value: &Value) -> &'static str {
        match value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}
