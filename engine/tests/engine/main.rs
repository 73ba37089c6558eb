//! Integration tests of the engine's public API.

mod properties;
mod recommend;
mod validation;
