//! Text → config in steps: [`Loading`] reads, validates and indexes a config a bounded
//! amount of work at a time, so the widget can hand the page's main thread back between
//! steps and a large config never freezes the page. It owns the order of the work and
//! nothing else: reading is [`super::lite`]'s, checking and indexing [`super::build`]'s.

use super::Config;
use super::build::{Broken, Builder, Problem, sort_for_people};
use super::lite::Reader;
use super::parse::not_lite;
use super::path::{JsonPath, Sweep, offsets_from};
use super::raw::RawConfig;

/// A config being loaded. Each [`Loading::step`] does about `work` units (a unit is one
/// catalog entry or one rule read, checked or indexed, or a kilobyte of text scanned to
/// locate problems) and returns the outcome once there is one: exactly what
/// [`Config::from_json_lenient`] returns for the same text.
///
/// ```
/// use cartlift_engine::config::Loading;
///
/// let text = r#"{"version": 1, "store": {"currency": "USD"},
///                "catalog": [{"id": "cam", "title": "Camera", "price": 89},
///                            {"id": "cable", "title": "Cable", "price": 9}],
///                "rules": [{"kind": "bought_together", "id": "r", "antecedent": ["cam"],
///                           "consequent": ["cable"], "confidence": 0.6}]}"#;
/// let mut loading = Loading::new(text);
/// let mut steps = 1;
/// let (config, problems) = loop {
///     if let Some(outcome) = loading.step(1) {
///         break outcome;
///     }
///     steps += 1; // the widget gives the page the main thread here
/// };
/// assert!(problems.is_empty());
/// assert_eq!(config.unwrap().products().len(), 2);
/// assert!(steps > 3);
/// ```
#[derive(Debug)]
pub struct Loading<'t> {
    text: &'t str,
    stage: Stage<'t>,
}

#[derive(Debug)]
enum Stage<'t> {
    Reading(Box<Reader<'t>>),
    Building(Box<Building>),
    Locating(Box<Locating>),
    Done,
}

/// Problems waiting for their line:column.
#[derive(Debug)]
struct Locating {
    /// What the config was built from, freed a step at a time (at once, 200,000 rules
    /// take a long task to free).
    raw: RawConfig,
    config: Option<Config>,
    problems: Vec<Problem>,
    /// Byte offset of each problem without a location, in order.
    offsets: Vec<Option<usize>>,
    sweep: Sweep,
}

#[derive(Debug)]
struct Building {
    raw: RawConfig,
    builder: Builder,
    /// Where each catalog entry and rule starts in the text, to locate problems.
    catalog_at: Vec<usize>,
    rules_at: Vec<usize>,
}

impl<'t> Loading<'t> {
    /// Starts loading `text`; nothing is done until [`Loading::step`].
    pub fn new(text: &'t str) -> Loading<'t> {
        Loading {
            text,
            stage: Stage::Reading(Box::new(Reader::new(text))),
        }
    }

    /// Does about `work` units; the config (`None` if nothing usable remains) and every
    /// problem, located and sorted, when done. After that it returns `None`.
    pub fn step(&mut self, work: usize) -> Option<(Option<Config>, Vec<Problem>)> {
        match std::mem::replace(&mut self.stage, Stage::Done) {
            Stage::Reading(mut reader) => match reader.step(work) {
                None => {
                    self.stage = Stage::Reading(reader);
                    None
                }
                Some(Ok(raw)) => {
                    self.stage = Stage::Building(Box::new(Building {
                        builder: Builder::new(&raw),
                        raw,
                        catalog_at: std::mem::take(&mut reader.catalog_at),
                        rules_at: std::mem::take(&mut reader.rules_at),
                    }));
                    None
                }
                Some(Err(problem)) => {
                    let (config, problems) = not_lite(self.text, problem);
                    self.locate(RawConfig::default(), config, problems, &[], &[]);
                    None
                }
            },
            Stage::Building(mut building) => {
                let b = &mut *building;
                if b.builder.step(&b.raw, &Broken::default(), work) {
                    let Building {
                        builder,
                        catalog_at,
                        rules_at,
                        raw,
                    } = *building;
                    let (config, problems) = builder.finish();
                    self.locate(raw, config, problems, &catalog_at, &rules_at);
                } else {
                    self.stage = Stage::Building(building);
                }
                None
            }
            Stage::Locating(mut locating) => {
                let l = &mut *locating;
                for _ in 0..work {
                    if l.raw.rules.pop().is_none() && l.raw.catalog.pop().is_none() {
                        break;
                    }
                }
                let freed = l.raw.rules.is_empty() && l.raw.catalog.is_empty();
                if !freed
                    || !l
                        .sweep
                        .step(self.text, &l.offsets, work.saturating_mul(1024))
                {
                    self.stage = Stage::Locating(locating);
                    return None;
                }
                let Locating {
                    config,
                    mut problems,
                    sweep,
                    ..
                } = *locating;
                let mut found = sweep.into_locations().into_iter();
                for p in problems.iter_mut().filter(|p| p.location.is_none()) {
                    p.location = found.next().flatten();
                }
                sort_for_people(&mut problems);
                Some((config.map(|c| c.with_warnings(&problems)), problems))
            }
            Stage::Done => None,
        }
    }

    /// Finds where the problems without a line:column are (the sweep to line:column is
    /// the next stage).
    fn locate(
        &mut self,
        raw: RawConfig,
        config: Option<Config>,
        problems: Vec<Problem>,
        catalog_at: &[usize],
        rules_at: &[usize],
    ) {
        let unlocated: Vec<&JsonPath> = problems
            .iter()
            .filter(|p| p.location.is_none())
            .map(|p| &p.path)
            .collect();
        let start = |key: &str, i: usize| match key {
            "catalog" => catalog_at.get(i).copied(),
            "rules" => rules_at.get(i).copied(),
            _ => None,
        };
        let offsets = offsets_from(self.text, &unlocated, start);
        self.stage = Stage::Locating(Box::new(Locating {
            raw,
            config,
            problems,
            sweep: Sweep::new(&offsets),
            offsets,
        }));
    }
}
