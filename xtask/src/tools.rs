//! Installs what the build and the tests need, only if it is missing. Facts behind the
//! choices are in `docs/toolchain.md`: wasm-bindgen-cli must equal the locked
//! `wasm-bindgen` crate exactly; wasm-opt comes from npm `binaryen` (Debian's is too old
//! to read current wasm-bindgen output), as do terser, axe-core (the accessibility test)
//! and playwright-core (the screenshots); Chromium and ChromeDriver come from Debian.

use crate::run::{self, output, run};
use anyhow::{Context, Result, bail};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the widget and the studio are compiled for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The toolchain the shipped widget builds are compiled with: a pinned nightly, because
/// only nightly rebuilds std for the wasm (`-Zbuild-std`) with `panic=immediate-abort`
/// and std's `optimize_for_size`, and without panic locations: 14 KB less brotli for
/// every shopper (see [`crate::build::WIDGET_RUSTFLAGS`]). Pinned, so every machine and CI
/// compile the same bytes; the rest of the workspace, the widget's tests and clippy stay
/// on stable.
pub const WIDGET_TOOLCHAIN: &str = "nightly-2026-05-20";
const WASM_PACK_VERSION: &str = "0.15.1";
/// Debian's packages put them here.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's packages put them here.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Everything `cargo xtask demo` needs.
pub fn ensure_build_tools() -> Result<()> {
    ensure_wasm_target()?;
    ensure_widget_toolchain()?;
    ensure_wasm_bindgen()?;
    ensure_wasm_pack()?;
    ensure_node_tools()?;
    Ok(())
}

/// Everything `cargo xtask test` needs: the build tools plus a headless browser.
pub fn ensure_test_tools() -> Result<()> {
    ensure_build_tools()?;
    ensure_chromium()
}

/// A command for an installed tool, with `xtask/node_modules/.bin` and `~/.cargo/bin` first
/// on its PATH (wasm-pack finds wasm-bindgen and wasm-opt there).
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.env("PATH", path())
        .env("CARGO_TARGET_DIR", crate::target_dir());
    cmd
}

/// PATH with the project's tool folders in front.
pub fn path() -> OsString {
    let mut dirs = vec![node_bin(), cargo_bin()];
    if let Some(existing) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&existing));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// terser (pinned in xtask/package.json), which minifies the widget's loader and glue.
pub fn terser() -> PathBuf {
    node_bin().join("terser")
}

fn node_bin() -> PathBuf {
    crate::root().join("xtask/node_modules/.bin")
}

fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"))
        .join("bin")
}

fn ensure_wasm_target() -> Result<()> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// [`WIDGET_TOOLCHAIN`] with std's sources (for `-Zbuild-std`) and the wasm target
/// (wasm-pack checks for it): ~10 s to download once.
fn ensure_widget_toolchain() -> Result<()> {
    let sysroot = output(Command::new("rustup").args([
        "run",
        WIDGET_TOOLCHAIN,
        "rustc",
        "--print",
        "sysroot",
    ]));
    if let Some(sysroot) = sysroot {
        let lib = Path::new(sysroot.trim()).join("lib/rustlib");
        if lib.join("src/rust/library/std").is_dir() && lib.join(WASM_TARGET).is_dir() {
            return Ok(());
        }
    }
    eprintln!("installing Rust {WIDGET_TOOLCHAIN} (the shipped widget is built with it)");
    run(Command::new("rustup").args([
        "toolchain",
        "install",
        WIDGET_TOOLCHAIN,
        "--profile",
        "minimal",
        "--component",
        "rust-src",
        "--target",
        WASM_TARGET,
    ]))
}

/// The `wasm-bindgen` version Cargo.lock pins.
pub fn locked_wasm_bindgen() -> Result<String> {
    let lock =
        std::fs::read_to_string(crate::root().join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == r#"name = "wasm-bindgen""# {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \""))
                .and_then(|l| l.strip_suffix('"'))
            {
                return Ok(version.to_owned());
            }
        }
    }
    bail!("Cargo.lock has no wasm-bindgen package")
}

fn ensure_wasm_bindgen() -> Result<()> {
    let want = locked_wasm_bindgen()?;
    let have = output(command("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(want.as_str()) {
        return Ok(());
    }
    eprintln!("installing wasm-bindgen-cli {want} (matches Cargo.lock; takes a few minutes once)");
    let install = |locked: bool| {
        let mut cmd = run::cargo();
        cmd.args(["install", "wasm-bindgen-cli", "--version", &want]);
        if locked {
            cmd.arg("--locked");
        }
        run(&mut cmd)
    };
    // `--locked` has failed when a pinned dependency was missing from the registry.
    install(true).or_else(|_| install(false))
}

fn ensure_wasm_pack() -> Result<()> {
    let have = output(command("wasm-pack").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(WASM_PACK_VERSION) {
        return Ok(());
    }
    eprintln!("installing wasm-pack {WASM_PACK_VERSION} (takes a few minutes once)");
    let install = |locked: bool| {
        let mut cmd = run::cargo();
        cmd.args(["install", "wasm-pack", "--version", WASM_PACK_VERSION]);
        if locked {
            cmd.arg("--locked");
        }
        run(&mut cmd)
    };
    install(true).or_else(|_| install(false))
}

/// Installs xtask/package.json's packages (`npm ci`) unless each is in xtask/node_modules
/// at exactly its pinned version.
fn ensure_node_tools() -> Result<()> {
    let xtask = crate::root().join("xtask");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(xtask.join("package.json"))?)?;
    let pinned = manifest["dependencies"]
        .as_object()
        .context("xtask/package.json has no dependencies")?;
    let installed = |name: &str| -> Option<String> {
        let path = xtask.join("node_modules").join(name).join("package.json");
        let text = std::fs::read_to_string(path).ok()?;
        let package: serde_json::Value = serde_json::from_str(&text).ok()?;
        package["version"].as_str().map(str::to_owned)
    };
    if pinned
        .iter()
        .all(|(name, version)| installed(name).as_deref() == version.as_str())
    {
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(&xtask))
}

/// TypeScript's compiler (pinned in xtask/package.json), run with `node`.
pub fn tsc() -> PathBuf {
    crate::root().join("xtask/node_modules/typescript/bin/tsc")
}

/// axe-core (pinned in xtask/package.json), injected by the end-to-end accessibility test.
pub fn axe_core_js() -> PathBuf {
    crate::root().join("xtask/node_modules/axe-core/axe.min.js")
}

fn ensure_chromium() -> Result<()> {
    let versions = || {
        let browser = output(Command::new(CHROMIUM).arg("--version"))?;
        let driver = output(Command::new(CHROMEDRIVER).arg("--version"))?;
        Some((major(&browser)?, major(&driver)?))
    };
    if versions().is_none() {
        eprintln!("installing Debian chromium and chromium-driver");
        let root = output(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0");
        let apt = |args: &[&str]| {
            let mut cmd = if root {
                Command::new("apt-get")
            } else {
                let mut c = Command::new("sudo");
                c.arg("apt-get");
                c
            };
            cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            run(&mut cmd)
        };
        apt(&["update"])?;
        apt(&[
            "install",
            "-y",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
        ])?;
    }
    match versions() {
        Some((b, d)) if b == d => Ok(()),
        Some((b, d)) => bail!("chromium {b} and chromedriver {d} differ; reinstall both from apt"),
        None => bail!("{CHROMIUM} or {CHROMEDRIVER} does not run after installing"),
    }
}

/// The major version in "Chromium 156.0.8078.79 …" / "ChromeDriver 156.0…".
fn major(version: &str) -> Option<u32> {
    version
        .split_whitespace()
        .find_map(|w| w.split('.').next()?.parse().ok())
}

/// What `cargo xtask fuzz` needs: a nightly toolchain and cargo-fuzz (from the crate
/// registry; no binary downloads).
pub fn ensure_fuzz_tools() -> Result<()> {
    let toolchains = output(Command::new("rustup").args(["toolchain", "list"])).unwrap_or_default();
    if !toolchains.lines().any(|l| l.starts_with("nightly")) {
        eprintln!("installing the nightly toolchain (cargo-fuzz needs it)");
        run(Command::new("rustup").args([
            "toolchain",
            "install",
            "nightly",
            "--profile",
            "minimal",
        ]))?;
    }
    if output(nightly_cargo().args(["fuzz", "--version"])).is_some() {
        return Ok(());
    }
    eprintln!("installing cargo-fuzz (takes a minute or two once)");
    let install = |locked: bool| {
        let mut cmd = run::cargo();
        cmd.args(["install", "cargo-fuzz"]);
        if locked {
            cmd.arg("--locked");
        }
        run(&mut cmd)
    };
    install(true).or_else(|_| install(false))
}

/// `cargo +nightly` through rustup's proxy (the `cargo` running xtask is a toolchain's own
/// binary, which does not take `+toolchain`), with the project's tool folders on PATH.
/// `CARGO_TARGET_DIR` is dropped: fuzz builds (instrumented) stay in `engine/fuzz/target`.
pub fn nightly_cargo() -> Command {
    let proxy = cargo_bin().join("cargo");
    let mut cmd = command(if proxy.is_file() {
        proxy.into_os_string()
    } else {
        "cargo".into()
    });
    cmd.arg("+nightly")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO");
    cmd
}
