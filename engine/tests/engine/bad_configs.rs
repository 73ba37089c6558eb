//! The bad-config corpus (`tests/data/bad-configs/`) through the engine: reading and
//! validating never panics, never overflows a small stack (the widget's wasm stack is
//! 1 MB; nesting 100,000 deep must not recurse that deep), and takes time roughly
//! linear in the size of the document.

#[allow(dead_code)]
#[path = "../../../tests/src/bad_configs.rs"]
mod corpus;

use cartlift_engine::{Config, Severity};
use std::time::{Duration, Instant};

#[test]
fn bad_configs_are_refused_without_panic_deep_recursion_or_superlinear_time() {
    let mut failures = Vec::new();
    for case in corpus::all() {
        let size = case.bytes.len();
        let utf8 = std::str::from_utf8(&case.bytes).is_ok();
        let name = case.name.clone();
        // Not UTF-8 (Latin-1, UTF-16) is the CLI's to name; read lossily here, as a
        // browser's `Response.text()` does (a Latin-1 title then reads as valid).
        let text = String::from_utf8_lossy(&case.bytes).into_owned();
        let started = Instant::now();
        let outcome = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || {
                let read = Config::read(&text);
                let (config, problems) = (read.config, read.problems);
                let errors = problems
                    .iter()
                    .filter(|p| p.severity == Severity::Error)
                    .count();
                (config.is_some(), errors)
            })
            .expect("a thread")
            .join();
        let took = started.elapsed();
        // Generous for unoptimized builds on a busy machine; a quadratic pass over
        // 100,000 rules takes minutes.
        let budget = Duration::from_secs(2) + Duration::from_secs(3) * (size / 1_000_000) as u32;
        match outcome {
            Err(_) => failures.push(format!("{name}: panicked")),
            Ok((_, 0)) if utf8 => failures.push(format!("{name}: accepted without an error")),
            Ok(_) if took > budget => failures.push(format!(
                "{name}: {size} bytes took {took:?} (budget {budget:?})"
            )),
            Ok(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
