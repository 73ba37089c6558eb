//! A config loaded in bounded steps: [`Loading`] reads a parsed document
//! ([`super::read`]) and then checks and indexes it ([`super::build`]) a little at a time,
//! so the widget can give the page its main thread between steps and a large config
//! never freezes it. [`Config::read`] is the same, run to the end on JSON text, with every
//! problem located by line and column. This module owns the order of the work and the
//! entry points; the reading and the checking are the other modules'.

use super::build::Builder;
use super::model::Config;
use super::problem::{ConfigError, Problem, error_count, sort_for_people};
use super::raw::RawConfig;
use super::read::{Duplicates, Node, Reader, Reading, text};

/// What loading a config gave: the document as read, the config built from it, and every
/// problem found on the way.
#[derive(Clone, Debug, Default)]
pub struct Read {
    /// The parts of the document that read well: catalog entries and rules that could not
    /// be read are left out (their problems say so).
    pub raw: RawConfig,
    /// The config, keeping what is valid; `None` when nothing usable remains (unreadable
    /// JSON, a wrong version, unusable store settings).
    pub config: Option<Config>,
    /// Every problem: errors first, then warnings, each group in document order.
    pub problems: Vec<Problem>,
}

impl Read {
    /// How many problems are errors.
    pub fn errors(&self) -> usize {
        error_count(&self.problems)
    }

    /// Whether [`Read::raw`] is the whole document: reading left nothing out (no entry
    /// that could not be read, no unknown member dropped), so writing it back loses
    /// nothing.
    pub fn is_whole(&self) -> bool {
        !self.problems.iter().any(|p| p.kind.is_reading())
    }

    /// The config and the document it was built from, if the config has no errors; else
    /// every problem.
    pub fn valid(self) -> Result<(Config, RawConfig), ConfigError> {
        match self.config {
            Some(config) if error_count(&self.problems) == 0 => Ok((config, self.raw)),
            _ => Err(ConfigError::new(self.problems)),
        }
    }

    /// Sorts the problems for people and gives the config its (final) warnings.
    fn finish(mut self) -> Read {
        sort_for_people(&mut self.problems);
        self.config = self.config.map(|c| c.with_warnings(&self.problems));
        self
    }
}

impl Config {
    /// Reads, checks and indexes a config from JSON text: the config (keeping what is
    /// valid), the document as read, and every problem with its path and line:column.
    ///
    /// ```
    /// let read = cartlift_engine::Config::read(r#"{"version": 1, "store": {"currency": "USD"},
    ///   "catalog": [{"id": "cam", "title": "Camera", "price": 89},
    ///               {"id": "cable", "title": "Cable", "prise": 9}]}"#);
    /// assert_eq!(read.config.unwrap().products().len(), 1);
    /// assert_eq!(read.problems[0].to_string(), "3:15: error in catalog[1]: missing field `price`");
    /// assert_eq!(read.problems[1].location, Some((3, 49)));
    /// assert!(read.problems[1].message.ends_with("did you mean `price`?"));
    /// ```
    pub fn read(text: &str) -> Read {
        let (value, duplicates) = match text::parse(text) {
            Ok(parsed) => parsed,
            Err(problem) => {
                return Read {
                    problems: vec![*problem],
                    ..Read::default()
                };
            }
        };
        let mut read = Loading::with_duplicates(&value, duplicates).run();
        text::locate(text, &mut read.problems);
        read.finish()
    }

    /// Reads a config from JSON text; fails on any error, listing all of them with path
    /// and line:column.
    ///
    /// ```
    /// let config = cartlift_engine::Config::from_json(r#"{
    ///   "version": 1,
    ///   "store": {"currency": "USD"},
    ///   "catalog": [{"id": "cam", "title": "Camera", "price": 89.0}],
    ///   "rules": []
    /// }"#).unwrap();
    /// assert_eq!(config.product_by_id("cam").map(|p| p.price.minor()), Some(8900));
    /// ```
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        Config::read(text).valid().map(|(config, _)| config)
    }
}

/// A config being loaded from a parsed document. Each [`Loading::step`] does about `work`
/// units (a unit is one catalog entry or rule read, checked or indexed) and returns the
/// outcome once there is one.
///
/// ```
/// use cartlift_engine::config::Loading;
///
/// let text = r#"{"version": 1, "store": {"currency": "USD"},
///                "catalog": [{"id": "cam", "title": "Camera", "price": 89},
///                            {"id": "cable", "title": "Cable", "price": 9}],
///                "rules": [{"kind": "bought_together", "id": "r", "antecedent": ["cam"],
///                           "consequent": ["cable"], "confidence": 0.6}]}"#;
/// let document: serde_json::Value = serde_json::from_str(text).unwrap();
/// let mut loading = Loading::new(&document);
/// let mut steps = 1;
/// let read = loop {
///     if let Some(read) = loading.step(1) {
///         break read;
///     }
///     steps += 1; // the widget gives the page the main thread here
/// };
/// assert!(read.problems.is_empty());
/// assert_eq!(read.config.unwrap().products().len(), 2);
/// assert!(steps > 3);
/// ```
#[derive(Debug)]
pub struct Loading<N> {
    stage: Stage<N>,
}

#[derive(Debug)]
enum Stage<N> {
    Reading(Box<Reader<N>>),
    Building(Box<(Reading, Builder)>),
    Done,
}

impl<N: Node> Loading<N> {
    /// Starts loading the document `root`; its top level and store settings are read
    /// here, everything else in [`Loading::step`]s.
    pub fn new(root: N) -> Loading<N> {
        Loading::with_duplicates(root, Vec::new())
    }

    /// [`Loading::new`] for a document whose parser found members written twice: each
    /// object's path and the member's name.
    pub(crate) fn with_duplicates(root: N, duplicates: Duplicates) -> Self {
        Loading {
            stage: Stage::Reading(Box::new(Reader::new(root, duplicates))),
        }
    }

    /// Does about `work` units; the outcome once done (after that, `None`).
    pub fn step(&mut self, work: usize) -> Option<Read> {
        match std::mem::replace(&mut self.stage, Stage::Done) {
            Stage::Reading(mut reader) => {
                if reader.step(work) {
                    let reading = reader.finish();
                    let builder = Builder::new(&reading.raw);
                    self.stage = Stage::Building(Box::new((reading, builder)));
                } else {
                    self.stage = Stage::Reading(reader);
                }
                None
            }
            Stage::Building(mut building) => {
                let (reading, builder) = &mut *building;
                if !builder.step(&reading.raw, &reading.broken, work) {
                    self.stage = Stage::Building(building);
                    return None;
                }
                let (reading, builder) = *building;
                let Reading {
                    raw,
                    mut problems,
                    fatal,
                    ..
                } = reading;
                let (config, built) = builder.finish();
                problems.extend(built);
                let read = Read {
                    raw,
                    config: config.filter(|_| !fatal),
                    problems,
                };
                Some(read.finish())
            }
            Stage::Done => None,
        }
    }

    /// Every step at once.
    pub fn run(mut self) -> Read {
        loop {
            if let Some(read) = self.step(usize::MAX) {
                return read;
            }
        }
    }
}
