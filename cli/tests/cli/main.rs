//! Integration tests of the `cartlift` binary: real files in, exit codes and output checked.

mod bad_configs;
mod catalog;
mod compile;
mod demo_data;
mod email;
mod evaluate;
mod explain;
mod flag_groups;
mod import;
mod mine;
mod report;
mod schema;
mod shard;
mod validate;
