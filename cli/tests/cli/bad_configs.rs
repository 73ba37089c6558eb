//! `cartlift validate` on every malformed or hostile config of the corpus
//! (`tests/data/bad-configs/`): exit 1, and the first error names the path and line:column.

#[allow(dead_code)]
#[path = "../../../tests/src/bad_configs.rs"]
mod corpus;

use std::process::Command;
use std::time::Instant;

#[test]
fn the_base_config_is_valid() {
    let base = corpus::dir().join("valid-base.json");
    let out = Command::new(env!("CARGO_BIN_EXE_cartlift"))
        .arg("validate")
        .arg(&base)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("valid: 5 products, 4 rules, 0 warning(s)"),
        "{stdout}"
    );
}

#[test]
fn every_bad_config_is_rejected_with_its_path_and_line_column() {
    let dir = std::env::temp_dir().join(format!("cartlift-bad-configs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let cases = corpus::all();
    assert!(cases.len() >= 50);
    let mut failures = Vec::new();
    for case in &cases {
        let file = dir.join(&case.name);
        std::fs::write(&file, &case.bytes).expect("writes");
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_cartlift"))
            .arg("validate")
            .arg(&file)
            .output()
            .expect("runs");
        let took = started.elapsed();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let first = stdout.lines().next().unwrap_or_default();
        let shown = file.display().to_string();
        // `FILE:LINE:COL: error in PATH: MESSAGE`, or `error: MESSAGE` for the root.
        let located = first.strip_prefix(&format!("{shown}:")).and_then(|rest| {
            let (line, rest) = rest.split_once(':')?;
            let (column, rest) = rest.split_once(':')?;
            Some((
                line.parse::<usize>().ok()?,
                column.parse::<usize>().ok()?,
                rest,
            ))
        });
        let want_path = if case.path.is_empty() {
            " error: ".to_owned()
        } else {
            format!(" error in {}: ", case.path)
        };
        let ok = out.status.code() == Some(1)
            && located.is_some_and(|(line, column, rest)| {
                case.at.is_none_or(|at| at == (line, column))
                    && rest.starts_with(&want_path)
                    && rest.contains(&case.message)
            });
        if !ok {
            let mut first = first.to_owned();
            first.truncate(300);
            failures.push(format!(
                "{}: exit {:?}, first line {first:?}; want {:?} at {:?} with {:?}",
                case.name,
                out.status.code(),
                case.path,
                case.at,
                case.message
            ));
        }
        eprintln!("{:>8.1} ms  {}", took.as_secs_f64() * 1e3, case.name);
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        failures.is_empty(),
        "{} of {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
