//! End-to-end tests against the assembled demo store (see `cartlift_e2e`).

mod adapters;
mod attribution;
mod bad_configs;
mod browser_faults;
mod bundle_discount;
mod compiled;
mod email;
mod first_suggestion;
mod live;
mod load;
mod network_faults;
mod npm_package;
mod page_quality;
mod placements;
mod product_page;
mod row_controls;
mod security;
mod segments;
mod shards;
mod shopify_extension;
mod shopper;
mod storefront;
mod studio;
