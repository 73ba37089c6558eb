//! Reading a config document: one lenient reading of its parts, whatever holds them.
//!
//! A document arrives parsed, behind [`Node`]: as `serde_json` values from text
//! ([`text`]: the CLI, the studio, tests) or as the browser's own values from `JSON.parse`
//! (the widget). [`Reader`] takes it apart as the schema ([`super::raw`]) has it, a part at
//! a time: the store settings, then each catalog entry and each rule on its own, so one
//! bad product or rule costs that entry and never hides the next. Every part is read by
//! serde through [`adapter`], so the serde types are the only description of the config.
//! A part with a problem is read again without the value at fault, so every problem in
//! it is reported at once, each with its JSON path.

pub mod adapter;
mod node;
pub mod text;

pub use node::{JsonKind, Node};

use super::build::Broken;
use super::path::JsonPath;
use super::problem::{Problem, ProblemKind, closest, did_you_mean};
use super::raw::{
    CONFIG_VERSION, Kind, RawAddOn, RawBoughtTogether, RawConfig, RawCrossSell, RawProduct,
    RawRule, RawShard, RawShards, RawStore, RawThreshold, RawUpgrade,
};
use adapter::{Error, Mismatch, Track, Unknown, fields_of};
use serde::de::DeserializeOwned;

/// Objects of a document with a member written twice: each object's path and the
/// member's name (a text parser sees them; a browser's `JSON.parse` keeps the last).
pub type Duplicates = Vec<(JsonPath, String)>;

/// How many times one part is read at most, each time without one more value at fault.
const MAX_READS: usize = 64;

/// Reads one part at `path`, reporting every problem in it: after a failure the value at
/// fault is skipped and the part read again. A part whose only problems are unknown
/// members (typos) is still returned; any other problem makes it unusable. `ignore`
/// names members of the part that belong to the reader, not the schema (a rule's `kind`).
pub(crate) fn part<T: DeserializeOwned, N: Node>(
    node: &N,
    path: &JsonPath,
    ignore: &[&str],
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let mut value = None;
    let usable = reread(path, ignore, problems, &mut |track| {
        value = Some(track.read::<T, N>(path, node.clone())?);
        Ok(())
    });
    value.filter(|_| usable)
}

/// [`part`]'s loop, once for every type read (each `part::<T>` is only the call above:
/// the widget downloads every copy). `read` reads the part through the track it is given;
/// whether the part is usable.
fn reread(
    path: &JsonPath,
    ignore: &[&str],
    problems: &mut Vec<Problem>,
    read: &mut dyn FnMut(&Track<'_>) -> Result<(), Error>,
) -> bool {
    let mut skip: Vec<JsonPath> = Vec::new();
    let mut unknown: Vec<Unknown> = Vec::new();
    let mut found = Vec::new();
    let mut usable = true;
    for _ in 0..MAX_READS {
        let track = Track::new(&skip, ignore);
        let outcome = read(&track);
        for u in track.into_unknown() {
            if !unknown.contains(&u) {
                unknown.push(u);
            }
        }
        let Err(error) = outcome else {
            break;
        };
        usable = false;
        let at = error.path.clone().unwrap_or_else(|| path.clone());
        if let Mismatch::Missing(field) = error.mismatch {
            // A required member skipped for its own problem is no news missing.
            if !skip.contains(&at.key(field)) {
                found.push(mismatch_problem(at, error.mismatch));
            }
            break;
        }
        let last = at == *path || skip.contains(&at);
        found.push(mismatch_problem(at.clone(), error.mismatch));
        if last {
            break;
        }
        skip.push(at);
    }
    problems.extend(unknown.into_iter().map(unknown_problem));
    problems.extend(found);
    usable
}

/// The problem a mismatch at `path` is.
fn mismatch_problem(path: JsonPath, mismatch: Mismatch) -> Problem {
    let kind = match &mismatch {
        Mismatch::Missing(field) => ProblemKind::MissingField {
            field: (*field).to_owned(),
        },
        Mismatch::Duplicate(field) => ProblemKind::DuplicateField {
            field: (*field).to_owned(),
        },
        Mismatch::Field { found, expected } => {
            return unknown_problem(Unknown {
                path,
                field: found.clone(),
                expected,
            });
        }
        Mismatch::Variant { found, expected } => {
            let hint = did_you_mean(closest(found, expected));
            return Problem::error(ProblemKind::WrongType, path, format!("{mismatch}{hint}"));
        }
        _ => ProblemKind::WrongType,
    };
    Problem::error(kind, path, mismatch.to_string())
}

fn unknown_problem(unknown: Unknown) -> Problem {
    let suggestion = closest(&unknown.field, unknown.expected);
    let message = format!(
        "unknown field `{}`{}",
        unknown.field,
        did_you_mean(suggestion)
    );
    Problem::error(
        ProblemKind::UnknownField {
            field: unknown.field,
            suggestion: suggestion.map(str::to_owned),
        },
        unknown.path,
        message,
    )
}

/// What reading a document gave: the parts that read well, where the entries among them
/// stood, and every problem. `fatal` when nothing of it can be used (no store settings,
/// no version, not an object).
#[derive(Debug, Default)]
pub(crate) struct Reading {
    pub(crate) raw: RawConfig,
    pub(crate) broken: Broken,
    pub(crate) problems: Vec<Problem>,
    pub(crate) fatal: bool,
}

/// Reads a config document in steps: [`Reader::new`] reads the top level and the store
/// settings; [`Reader::step`] then reads a few catalog entries, then rules, at a time, so
/// the widget can give the page its main thread between steps.
#[derive(Debug)]
pub(crate) struct Reader<N> {
    catalog: Vec<N>,
    rules: Vec<N>,
    next_product: usize,
    next_rule: usize,
    /// Objects of the document with a member written twice.
    duplicates: Duplicates,
    reading: Reading,
}

impl<N: Node> Reader<N> {
    /// Reads `root`'s top level; `duplicates` as [`Reader::duplicates`] has them.
    pub(crate) fn new(root: N, duplicates: Duplicates) -> Reader<N> {
        let mut reader = Reader {
            catalog: Vec::new(),
            rules: Vec::new(),
            next_product: 0,
            next_rule: 0,
            duplicates,
            reading: Reading::default(),
        };
        reader.top_level(root);
        reader
    }

    fn top_level(&mut self, root: N) {
        let r = &mut self.reading;
        let top = JsonPath::root();
        let Some(members) = root.members() else {
            r.fatal = true;
            r.problems.push(Problem::error(
                ProblemKind::WrongType,
                top,
                r#"a config is a JSON object: {"version": 1, "store": …}"#,
            ));
            return;
        };
        let known = fields_of::<RawConfig>();
        let (mut version, mut store) = (None, None);
        for (key, value) in members {
            let path = top.key(key.as_str());
            match key.as_str() {
                "$schema" => r.raw.schema = part(&value, &path, &[], &mut r.problems),
                "version" => version = Some(part::<u32, _>(&value, &path, &[], &mut r.problems)),
                "store" => store = Some(part::<RawStore, _>(&value, &path, &[], &mut r.problems)),
                "catalog" | "rules" => {
                    let Some(elements) = value.elements() else {
                        let message = format!("`{key}` must be an array, not {}", value.kind());
                        r.problems
                            .push(Problem::error(ProblemKind::WrongType, path, message));
                        continue;
                    };
                    if key == "catalog" {
                        self.catalog = elements;
                    } else {
                        self.rules = elements;
                    }
                }
                "shards" if value.kind() == JsonKind::Null => {}
                "shards" => {
                    r.raw.shards = part::<RawShards, _>(&value, &path, &[], &mut r.problems);
                    r.fatal |= r.raw.shards.is_none();
                }
                _ => {
                    debug_assert!(!known.contains(&key.as_str()), "a member read above");
                    r.problems.push(unknown_problem(Unknown {
                        path,
                        field: key,
                        expected: known,
                    }));
                }
            }
        }
        // A missing or unreadable version is reported here; reading on as version 1
        // keeps the builder from adding "unsupported config version 0" to it.
        r.raw.version = CONFIG_VERSION;
        match version {
            None => r.problems.push(Problem::error(
                ProblemKind::MissingField {
                    field: "version".into(),
                },
                top.clone(),
                "missing field `version` (use 1)",
            )),
            Some(read) => r.raw.version = read.unwrap_or(CONFIG_VERSION),
        }
        r.fatal |= !matches!(version, Some(Some(_)));
        r.fatal |= !matches!(store, Some(Some(_)));
        match store {
            None => r.problems.push(Problem::error(
                ProblemKind::MissingField {
                    field: "store".into(),
                },
                top,
                "missing field `store`",
            )),
            Some(read) => r.raw.store = read.unwrap_or_default(),
        }
        // A member written twice outside the catalog and the rules leaves nothing usable.
        let whole = self.duplicates.iter().any(|(path, _)| {
            !matches!(path.segments(), [super::path::Segment::Key(k), super::path::Segment::Index(_), ..] if k == "catalog" || k == "rules")
        });
        r.fatal |= whole;
        let duplicates = std::mem::take(&mut self.duplicates);
        for (path, field) in &duplicates {
            r.problems.push(Problem::error(
                ProblemKind::DuplicateField {
                    field: field.clone(),
                },
                path.clone(),
                format!("duplicate field `{field}`"),
            ));
        }
        self.duplicates = duplicates;
    }

    /// Whether the entry `key[index]` holds a member written twice (already reported).
    fn repeats(&self, key: &str, index: usize) -> bool {
        use super::path::Segment;
        self.duplicates.iter().any(|(path, _)| {
            matches!(path.segments(), [Segment::Key(k), Segment::Index(i), ..] if k == key && *i == index)
        })
    }

    /// Reads about `budget` catalog entries or rules; `true` once all are read.
    pub(crate) fn step(&mut self, budget: usize) -> bool {
        for _ in 0..budget.max(1) {
            if self.next_product < self.catalog.len() {
                let i = self.next_product;
                self.next_product += 1;
                self.product(i);
            } else if self.next_rule < self.rules.len() {
                let i = self.next_rule;
                self.next_rule += 1;
                self.rule(i);
            } else {
                return true;
            }
        }
        self.next_product >= self.catalog.len() && self.next_rule >= self.rules.len()
    }

    fn product(&mut self, i: usize) {
        let repeats = self.repeats("catalog", i);
        let node = &self.catalog[i];
        let path = JsonPath::root().key("catalog").index(i);
        let r = &mut self.reading;
        let read = part::<RawProduct, _>(node, &path, &[], &mut r.problems);
        match read {
            Some(product) if !repeats => {
                r.broken.catalog_index.push(i);
                r.raw.catalog.push(product);
            }
            _ => {
                // Rules naming it are left out without a second, misleading problem.
                if let Some(id) = node.member("id").and_then(|id| id.string()) {
                    r.broken.products.insert(id);
                }
            }
        }
    }

    fn rule(&mut self, i: usize) {
        let path = JsonPath::root().key("rules").index(i);
        let read = rule(&self.rules[i], &path, &mut self.reading.problems);
        if let Some(rule) = read.filter(|_| !self.repeats("rules", i)) {
            self.reading.broken.rules_index.push(i);
            self.reading.raw.rules.push(rule);
        }
    }

    /// What was read.
    pub(crate) fn finish(self) -> Reading {
        self.reading
    }
}

/// Reads one rule: its `kind` picks the struct its other members are read into.
fn rule<N: Node>(node: &N, path: &JsonPath, problems: &mut Vec<Problem>) -> Option<RawRule> {
    let kinds = || Kind::ALL.map(Kind::name).join(", ");
    let Some(kind_node) = node.member("kind") else {
        let problem = if node.kind() == JsonKind::Object {
            Problem::error(
                ProblemKind::MissingField {
                    field: "kind".into(),
                },
                path.clone(),
                format!("missing field `kind` (one of {})", kinds()),
            )
        } else {
            Problem::error(
                ProblemKind::WrongType,
                path.clone(),
                format!("a rule is an object, not {}", node.kind()),
            )
        };
        problems.push(problem);
        return None;
    };
    let kind_path = path.key("kind");
    let kind = match Track::default().read::<Kind, N>(&kind_path, kind_node.clone()) {
        Ok(kind) => kind,
        Err(Error {
            mismatch: Mismatch::Variant { found, expected },
            ..
        }) => {
            let suggestion = closest(&found, expected);
            let message = format!(
                "unknown rule kind `{found}` (one of {}){}",
                kinds(),
                did_you_mean(suggestion)
            );
            problems.push(Problem::error(
                ProblemKind::UnknownRuleKind {
                    kind: found,
                    suggestion: suggestion.map(str::to_owned),
                },
                kind_path,
                message,
            ));
            return None;
        }
        Err(_) => {
            let message = format!("`kind` must be a string, not {}", kind_node.kind());
            problems.push(Problem::error(ProblemKind::WrongType, kind_path, message));
            return None;
        }
    };
    let ignore = &["kind"];
    Some(match kind {
        Kind::BoughtTogether => {
            RawRule::BoughtTogether(part::<RawBoughtTogether, _>(node, path, ignore, problems)?)
        }
        Kind::CrossSell => {
            RawRule::CrossSell(part::<RawCrossSell, _>(node, path, ignore, problems)?)
        }
        Kind::Upgrade => RawRule::Upgrade(part::<RawUpgrade, _>(node, path, ignore, problems)?),
        Kind::AddOn => RawRule::AddOn(part::<RawAddOn, _>(node, path, ignore, problems)?),
        Kind::Threshold => {
            RawRule::Threshold(part::<RawThreshold, _>(node, path, ignore, problems)?)
        }
    })
}

/// Reads a shard file (`cartlift shard`): its first problem if it cannot be used (it was
/// written by `cartlift shard`, so anything it does not expect is refused). Its entries
/// are read as a config's are, one by one ([`part`], [`rule`]).
pub fn shard<N: Node>(root: &N) -> Result<RawShard, Box<Problem>> {
    let mut problems = Vec::new();
    let mut shard = RawShard::default();
    let top = JsonPath::root();
    match root.members() {
        None => problems.push(Problem::error(
            ProblemKind::WrongType,
            top.clone(),
            format!("a shard file is a JSON object, not {}", root.kind()),
        )),
        Some(members) => {
            for (key, value) in members {
                let path = top.key(key.as_str());
                let p = &mut problems;
                match key.as_str() {
                    "version" => shard.version = part(&value, &path, &[], p).unwrap_or_default(),
                    "catalog_at" => {
                        shard.catalog_at = part(&value, &path, &[], p).unwrap_or_default()
                    }
                    "rules_at" => shard.rules_at = part(&value, &path, &[], p).unwrap_or_default(),
                    "catalog" | "rules" => {
                        let Some(elements) = value.elements() else {
                            let message = format!("`{key}` must be an array, not {}", value.kind());
                            p.push(Problem::error(ProblemKind::WrongType, path, message));
                            continue;
                        };
                        for (i, element) in elements.iter().enumerate() {
                            let at = path.index(i);
                            if key == "catalog" {
                                shard
                                    .catalog
                                    .extend(part::<RawProduct, _>(element, &at, &[], p));
                            } else {
                                shard.rules.extend(rule(element, &at, p));
                            }
                        }
                    }
                    _ => p.push(unknown_problem(Unknown {
                        path,
                        field: key,
                        expected: fields_of::<RawShard>(),
                    })),
                }
            }
        }
    }
    if let Some(first) = problems.into_iter().next() {
        return Err(Box::new(first));
    }
    if shard.version != CONFIG_VERSION {
        return Err(Box::new(Problem::error(
            ProblemKind::UnsupportedVersion {
                version: shard.version,
            },
            top.key("version"),
            format!(
                "unsupported shard version {}; this engine reads version {CONFIG_VERSION}",
                shard.version
            ),
        )));
    }
    Ok(shard)
}
