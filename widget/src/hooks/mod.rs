//! Hooks shared by the placements.

mod use_runtime;

pub(crate) use use_runtime::use_runtime;
