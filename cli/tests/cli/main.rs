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

/// Runs `cartlift ARGS`: the exit code, stdout and stderr.
fn cartlift(args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cartlift"))
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
