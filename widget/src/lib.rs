//! # cartlift-widget
//!
//! The script-tag widget. A store pastes
//!
//! ```html
//! <script type="module" src="/cartlift/cartlift.js" data-config="/cartlift/config.json"></script>
//! <cartlift-suggestions placement="product" product="SKU-123"></cartlift-suggestions>
//! ```
//!
//! and `cartlift.js` (in `widget/js/`, a few hundred bytes) defines the custom element,
//! loads this module and calls the exports in [`exports`]. Each element gets its own shadow
//! root and its own Yew app ([`components::PlacementView`]); they share one [`runtime`].
//!
//! This crate is a thin shell: every decision about *what* to suggest is made by
//! `cartlift-engine`, and every decision about the page (when a basket applies, when an
//! impression is due) by the [`state`] reducer, tested on the host. What else lives here
//! is the browser: fetching, the DOM, events, the cart. Nothing here may throw into the
//! host page: errors become one console warning.
//!
//! The modules depend on each other in one direction only: `exports` → `runtime` (the
//! shell) → `components`, `config_source`, `adapter`, `state` → `events`, `basket`,
//! `segments`, `view`, `format` → `shop_money` (Shopify's money format, feature `shopify`),
//! `dom`, `net`, `js_value`, `report`, `error`.
#![deny(missing_docs)]

pub mod adapter;
pub mod basket;
mod bindings;
pub mod components;
mod config_source;
mod dom;
mod error;
pub mod events;
pub mod exports;
mod format;
mod js_value;
pub mod live;
mod memory;
mod net;
mod report;
pub mod runtime;
pub mod segments;
#[cfg(feature = "shopify")]
mod shop_money;
pub mod state;
pub mod view;

pub use error::WidgetError;

/// The allocator: talc, not std's dlmalloc. Measured on the smallest build: 3.8 KB of wasm
/// and 1.5 KB brotli less, and the 200-placement load test's longest task went from 107 to
/// 83 ms. Built without `unsafe` in this workspace (its constructor is safe), and the
/// wasm is single-threaded. lol_alloc was smaller still (0.45 KB brotli), but its
/// free list is searched on every allocation: the 42 MB config of the load test did not
/// finish loading within the test's minute.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
