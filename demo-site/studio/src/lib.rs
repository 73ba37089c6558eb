//! # cartlift-studio
//!
//! The rule studio at `/studio/` on the demo site, for store developers: edit a cartlift
//! config with live validation, preview what the widget shows for a placement, product
//! and basket (and why), mine an order file in a Web Worker and add the rules, export the
//! config. A separate wasm from the widget, so it adds nothing to what shoppers download.
//!
//! The logic is plain Rust tested on the host ([`check`], [`preview`], [`mining`],
//! [`merge`], [`plot`]); the Yew components in [`components`] only draw it; the browser
//! (fetch, files, the worker, downloads) is in `browser`; the JS entry points in
//! [`exports`].
#![deny(missing_docs)]

mod browser;
pub mod check;
pub mod components;
pub mod exports;
pub mod merge;
pub mod mining;
pub mod plot;
pub mod preview;
pub mod state;
