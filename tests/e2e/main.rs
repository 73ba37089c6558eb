//! End-to-end tests against the assembled demo store (see `cartlift_e2e`).

mod adapters;
mod product_page;
