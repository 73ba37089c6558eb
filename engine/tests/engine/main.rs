//! Integration tests of the engine's public API.

mod bad_configs;
mod compiled;
mod fuzz_regressions;
mod properties;
mod ranking;
mod recommend;
mod shard;
mod validation;
