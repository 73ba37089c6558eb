//! `cargo xtask test`: every check the project has, in order, with one summary.
//!
//! Stages run even after an earlier one failed (so one run shows everything that is
//! wrong), except that the browser stages need a built widget.

use crate::run::{cargo, run};
use crate::{build, dist, tools};
use anyhow::Result;
use std::process::ExitCode;
use std::time::{Duration, Instant};

struct Stage {
    name: &'static str,
    outcome: Outcome,
    took: Duration,
}

enum Outcome {
    Passed,
    Failed(String),
    Skipped(&'static str),
}

/// Runs all stages; exit code 0 only if every stage passed.
pub fn all() -> Result<ExitCode> {
    let started = Instant::now();
    let mut stages = Vec::new();
    let mut stage = |name: &'static str, f: &mut dyn FnMut() -> Result<()>| {
        eprintln!("\n=== {name}");
        let t = Instant::now();
        let outcome = match f() {
            Ok(()) => Outcome::Passed,
            Err(e) => Outcome::Failed(format!("{e:#}")),
        };
        let passed = matches!(outcome, Outcome::Passed);
        stages.push(Stage {
            name,
            outcome,
            took: t.elapsed(),
        });
        passed
    };

    let tools_ok = stage("toolchain (installs what is missing)", &mut || {
        tools::ensure_test_tools()
    });
    stage("format (cargo fmt --check)", &mut || {
        run(cargo().args(["fmt", "--all", "--check"]))
    });
    const WASM_CLIPPY: [&str; 6] = [
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ];
    stage("lint (clippy -D warnings, native and wasm)", &mut || {
        run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))?;
        // wasm32: the studio, and the widget once per build it ships (each build is its
        // own set of cfgs: compiled configs only, one platform cart each).
        run(cargo()
            .args(["clippy", "-p", "cartlift-studio"])
            .args(WASM_CLIPPY))?;
        for (_, features, _) in build::BUILDS {
            run(cargo()
                .args(["clippy", "-p", "cartlift-widget"])
                .args(features)
                .args(WASM_CLIPPY))?;
        }
        Ok(())
    });
    stage(
        "native tests (engine, cli, widget logic, studio logic, demo)",
        &mut || {
            run(cargo().args(["test", "--workspace", "--exclude", "cartlift-e2e"]))?;
            // `cartlift report`'s interval coverage on 2,000 simulated stores per planted
            // effect: minutes in a debug build, ~20 s in release.
            run(cargo().args([
                "test",
                "--release",
                "-p",
                "cartlift-engine",
                "--test",
                "engine",
                "coverage_over_2000_stores",
                "--",
                "--ignored",
                "--nocapture",
            ]))
        },
    );
    let built = tools_ok
        && stage("build widget and demo site", &mut || {
            build::widget_and_site()
        });
    if built {
        // The release, then every check of it: the archive against its SHA256SUMS, a second
        // widget build from nothing (reproducible), `cargo install --path cli`, the npm
        // tarball installed and type-checked, the Shopify extension through theme-check.
        // The end-to-end tests below load the npm package and the extension in Chromium.
        stage(
            "release (cargo xtask dist: archive, reproducible, npm, Shopify extension)",
            &mut || {
                let report = dist::check()?;
                eprint!("{report}");
                Ok(())
            },
        );
        stage(
            "widget tests in headless Chromium (wasm-bindgen-test)",
            &mut || {
                run(cargo()
                    .env("PATH", tools::path())
                    .env("CHROMEDRIVER", tools::CHROMEDRIVER)
                    .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
                    .args([
                        "test",
                        "-p",
                        "cartlift-widget",
                        "--target",
                        "wasm32-unknown-unknown",
                        "--test",
                        "web",
                    ]))
            },
        );
        stage(
            "end-to-end tests (demo site, WebDriver, Chromium)",
            &mut || {
                // `cartlift email`'s block is rendered by the CLI (tests/e2e/email.rs).
                run(cargo().args(["build", "-p", "cartlift-cli"]))?;
                run(cargo()
                    .env("CARTLIFT_SITE", build::site_dir())
                    .env("CHROMEDRIVER", tools::CHROMEDRIVER)
                    .env("CHROMIUM", tools::CHROMIUM)
                    .env("AXE_CORE_JS", tools::axe_core_js())
                    .env("CARTLIFT_NPM_PROJECT", dist::npm_project_dir())
                    .env("CARTLIFT_SHOPIFY_PAGES", dist::shopify_pages_dir())
                    .env("TSC", tools::tsc())
                    .args(["test", "-p", "cartlift-e2e", "--", "--test-threads=1"]))
            },
        );
    } else {
        for name in [
            "release",
            "widget tests in headless Chromium",
            "end-to-end tests",
        ] {
            stages.push(Stage {
                name,
                outcome: Outcome::Skipped("no built widget"),
                took: Duration::ZERO,
            });
        }
    }

    eprintln!("\n=== summary ({:.0?} in all)", started.elapsed());
    let mut failed = 0;
    for s in &stages {
        let (mark, note) = match &s.outcome {
            Outcome::Passed => ("PASS", String::new()),
            Outcome::Failed(e) => {
                failed += 1;
                ("FAIL", format!("  {e}"))
            }
            Outcome::Skipped(why) => {
                failed += 1;
                ("SKIP", format!("  ({why})"))
            }
        };
        eprintln!("{mark}  {:<58} {:>7.1?}{note}", s.name, s.took);
    }
    if failed == 0 {
        eprintln!("all {} stages passed", stages.len());
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{failed} of {} stages did not pass", stages.len());
        Ok(ExitCode::FAILURE)
    }
}
