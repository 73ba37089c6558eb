//! The config: what a store configures (catalog, rules, settings), from the document it
//! writes to the always-valid model evaluation reads.
//!
//! - [`raw`]: the JSON document as serde types, the only description of the schema
//!   (`cartlift schema` derives the published JSON Schema from them).
//! - [`read`]: one lenient reading of a parsed document, part by part, for text
//!   ([`read::text`]) and the browser's values alike; every problem with its JSON path.
//! - `build`: checks and indexes what was read into a [`Config`], every problem at once.
//! - `load`: reading and building in bounded steps ([`Loading`]), and [`Config::read`].
//! - `model`: the built [`Config`] and its lookups; `ranking`: how rule measures become
//!   strengths; `problem`: [`Problem`]s; [`path`]: JSON paths.
//! - `compiled`: a second encoding of a built config (`cartlift compile`); [`shard`]:
//!   one config split into files by product (`cartlift shard`).

mod build;
mod compiled;
mod load;
mod model;
pub mod path;
mod problem;
mod ranking;
pub mod raw;
pub mod read;
pub mod shard;

pub use compiled::{CompiledError, Decoding, FORMAT as COMPILED_FORMAT};
pub use load::{Loading, Read};
pub(crate) use model::Triggers;
pub use model::{
    AddOn, BoughtTogether, Conditions, Config, CrossSell, FrequencyCap, Holdout, MaxItems, Product,
    ProductIdx, Rule, RuleIdx, RuleKind, Selector, Store, Threshold, Upgrade, Variant,
};
pub use path::JsonPath;
pub use problem::{ConfigError, Problem, ProblemKind, Severity, error_count};
pub use ranking::{Measures, Ranking};
pub use raw::{RawConfig, RawRuleCopy, RuleSource};
