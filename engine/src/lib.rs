//! # cartlift-engine
//!
//! The brain of cartlift: the config contract, its validation, and the evaluation that
//! turns "where the shopper is and what is in the basket" into ranked, explained
//! suggestions. Pure Rust: no I/O, no clock, no DOM, so it runs the same natively (the
//! CLI, the tests, the benchmarks) and in the browser (the widget, the studio).
//!
//! ```
//! use cartlift_engine::{BasketLine, Config, Context, Placement, PlainFormat};
//!
//! let config = Config::from_json(r#"{
//!   "version": 1,
//!   "store": {"currency": "USD", "locale": "en-US"},
//!   "catalog": [
//!     {"id": "cam-4mp", "title": "4 MP dome camera", "price": 89.0},
//!     {"id": "cable-20m", "title": "20 m PoE cable", "price": 12.5},
//!     {"id": "nvr-8", "title": "8-channel NVR", "price": 219.0}
//!   ],
//!   "rules": [
//!     {"kind": "bought_together", "id": "cam-cable",
//!      "antecedent": ["cam-4mp"], "consequent": ["cable-20m"], "confidence": 0.38, "lift": 2.1},
//!     {"kind": "bought_together", "id": "cam-nvr",
//!      "antecedent": ["cam-4mp"], "consequent": ["nvr-8"], "confidence": 0.21}
//!   ]
//! }"#)?;
//!
//! // The cable is already in the basket, so only the recorder is suggested.
//! let basket = [BasketLine { product: "cable-20m".into(), variant: None, quantity: 1, price: None }];
//! let now = 1_795_000_000; // the engine has no clock: time is an argument
//! let recs = config.recommend(&Context::new(Placement::Product, now).product("cam-4mp").basket(&basket));
//! assert_eq!(recs.cross_sells.len(), 1);
//! let top = &recs.cross_sells[0];
//! assert_eq!(config.product(top.product).id, "nvr-8");
//! let sentence = config.reason_text(&top.reasons[0], &config.locale(None), &PlainFormat(config.store().currency));
//! assert_eq!(sentence, "Bought together with 4 MP dome camera by 21% of shoppers");
//! # Ok::<(), cartlift_engine::ConfigError>(())
//! ```
#![deny(missing_docs)]

#[cfg(feature = "catalog")]
pub mod catalog;
pub mod config;
pub mod copy;
pub mod csv;
pub mod feed;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod html;
pub mod live;
pub mod map;
pub mod mining;
pub mod money;
pub mod orders;
pub mod placement;
pub mod quality;
pub mod recommend;
pub mod report;
pub mod shopper;
pub mod sort;
pub mod synthetic;
pub mod time;
pub mod url;

pub use config::{
    COMPILED_FORMAT, CompiledError, Config, ConfigError, JsonPath, Problem, ProblemKind, Product,
    ProductIdx, RawConfig, Rule, RuleIdx, Severity,
};
pub use money::{Currency, Money};

/// `HashMap` with rustc's Fx hasher: the engine's keys are the store's own ids and small
/// integers, so speed matters and resistance to collision attacks does not.
pub(crate) type FxHashMap<K, V> = std::collections::HashMap<K, V, rustc_hash::FxBuildHasher>;
pub use recommend::{
    BasketLine, Context, Format, Placement, PlainFormat, Reason, Recommendations, Suggestion,
};
