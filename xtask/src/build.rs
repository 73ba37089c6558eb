//! Building the widget (wasm-pack, then wasm-opt) and assembling the demo site, with a
//! size report of exactly the bytes a shopper downloads.

use crate::run::run;
use crate::{root, target_dir, tools};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The built widget: `cartlift.js`, `cartlift_widget.js`, `cartlift_widget_bg.wasm`.
pub fn widget_dir() -> PathBuf {
    target_dir().join("widget")
}

/// The assembled demo site.
pub fn site_dir() -> PathBuf {
    target_dir().join("demo-site")
}

/// wasm-opt settings: smallest code. The wasm features come from the module's own
/// `target_features` section (what rustc emitted), never `--all-features`: that saves
/// 6 KB by using instructions older browsers lack. Dropping the name section (wasm-opt
/// does unless `-g`) is the big win measured in toolchain.md.
const WASM_OPT: [&str; 2] = ["-Oz", "--strip-producers"];

/// Builds the widget and the demo site, printing the size report.
pub fn widget_and_site() -> Result<()> {
    widget()?;
    cartlift_demo::build_site(&site_dir(), &widget_dir())?;
    eprintln!("demo site assembled in {}", site_dir().display());
    Ok(())
}

/// Builds the widget into [`widget_dir`] and prints its size.
pub fn widget() -> Result<()> {
    let pkg = target_dir().join("wasm-pack");
    run(tools::command("wasm-pack")
        .current_dir(root())
        .args([
            "build",
            "--target",
            "web",
            "--profile",
            "wasm-release",
            "--no-typescript",
            "--no-pack",
            "--no-opt",
            "--out-dir",
        ])
        .arg(&pkg)
        .arg(root().join("widget")))?;

    let out = widget_dir();
    std::fs::create_dir_all(&out)?;
    run(tools::command("wasm-opt")
        .args(WASM_OPT)
        .arg(pkg.join("cartlift_widget_bg.wasm"))
        .arg("-o")
        .arg(out.join("cartlift_widget_bg.wasm")))?;
    copy(
        &pkg.join("cartlift_widget.js"),
        &out.join("cartlift_widget.js"),
    )?;
    copy(
        &root().join("widget/js/cartlift.js"),
        &out.join("cartlift.js"),
    )?;

    let report = size_report(&out)?;
    eprint!("{report}");
    std::fs::write(out.join("SIZE.md"), report)?;
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to).with_context(|| format!("copying {}", from.display()))?;
    Ok(())
}

/// Raw, gzip (-9) and brotli (q11) bytes of each shipped file and in total.
fn size_report(dir: &Path) -> Result<String> {
    let mut rows = Vec::new();
    for name in cartlift_demo::WIDGET_FILES {
        let bytes = std::fs::read(dir.join(name)).with_context(|| format!("reading {name}"))?;
        rows.push((name, bytes.len(), gzip(&bytes)?, brotli(&bytes)?));
    }
    let total = rows.iter().fold((0, 0, 0), |(r, g, b), row| {
        (r + row.1, g + row.2, b + row.3)
    });
    let mut out = String::from(
        "\nwidget size (what a shopper downloads)\n\n| file | raw | gzip | brotli |\n|---|---:|---:|---:|\n",
    );
    for (name, raw, gz, br) in &rows {
        out.push_str(&format!("| {name} | {raw} | {gz} | {br} |\n"));
    }
    out.push_str(&format!(
        "| **total** | **{}** | **{}** | **{}** |\n",
        total.0, total.1, total.2
    ));
    Ok(out)
}

fn gzip(bytes: &[u8]) -> Result<usize> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?.len())
}

fn brotli(bytes: &[u8]) -> Result<usize> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out.len())
}
