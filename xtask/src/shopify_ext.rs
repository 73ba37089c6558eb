//! The Shopify theme app extension (`integrations/shopify/`): assembled with the built
//! widget into the release, then checked with Shopify's own tooling.
//!
//! - [`assemble`] copies the extension's source, puts the widget's files in its `assets/`
//!   (one folder, as Shopify serves it: the loader finds its builds next to itself) and
//!   writes the loader's SRI hash into the app embed in place of [`SRI_PLACEHOLDER`].
//! - [`check`] runs `@shopify/theme-check-node` on the result (`xtask/shopify/check.mjs`:
//!   every offense printed, any error fails, offline) and renders the test pages with
//!   liquidjs (`xtask/shopify/render.mjs`, fixtures in `tests/data/shopify/`), which the
//!   end-to-end test `shopify_extension` serves from the fake Shopify store.
//!
//! Both Node tools are pinned in `xtask/package.json`; `tools::ensure_build_tools`
//! installs them.

use crate::build;
use anyhow::{Context, Result, bail, ensure};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the app embed's source holds where the loader's hash goes.
pub const SRI_PLACEHOLDER: &str = "sha384-CARTLIFT_LOADER_INTEGRITY";

/// Where the rendered pages say the extension's assets are (what `asset_url` returns
/// there, the shape of Shopify's own CDN paths), and so where the fake store serves them.
pub const ASSETS_URL: &str = "/cdn/shop/extensions/cartlift/assets/";

/// The extension's source folder.
pub fn source_dir() -> PathBuf {
    crate::root().join("integrations/shopify")
}

/// Writes the deployable extension to `out` (replaced if it exists): a copy of
/// `integrations/shopify/` with the built widget from `widget` (`target/widget/`: the files
/// of `cartlift_demo::WIDGET_FILES`) in `assets/`, and the loader's hash from
/// `widget/integrity.json` in the app embed. The same inputs give the same files.
pub fn assemble(widget: &Path, out: &Path) -> Result<()> {
    let source = source_dir();
    build::fresh_dir(out)?;
    build::copy_dir(&source, out)?;
    let assets = out.join("assets");
    std::fs::create_dir_all(&assets)?;
    for file in cartlift_demo::WIDGET_FILES {
        let from = widget.join(file);
        std::fs::copy(&from, assets.join(file)).with_context(|| {
            format!(
                "copying {} (build the widget first: cargo xtask build)",
                from.display()
            )
        })?;
    }
    let sri = build::loader_sri(widget)?;
    let mut filled = Vec::new();
    for block in sorted_entries(&out.join("blocks"))? {
        let text = std::fs::read_to_string(&block)?;
        if text.contains(SRI_PLACEHOLDER) {
            std::fs::write(&block, text.replace(SRI_PLACEHOLDER, &sri))?;
            filled.push(block);
        }
    }
    ensure!(
        filled.len() == 1,
        "expected one block of {} to hold {SRI_PLACEHOLDER} (the app embed's loader tag), found {}",
        source.display(),
        filled.len()
    );
    Ok(())
}

/// Runs theme-check on the assembled `extension` (an error-severity offense, or a break of
/// `shopify app deploy`'s file rules, fails) and renders the end-to-end test's pages into
/// `pages` (replaced). Returns theme-check's report followed by the rendering's line.
pub fn check(extension: &Path, pages: &Path) -> Result<String> {
    let scripts = crate::root().join("xtask/shopify");
    let work = crate::target_dir().join("shopify-theme-check");
    let out = crate::tools::command("node")
        .arg(scripts.join("check.mjs"))
        .arg(extension)
        .arg(&work)
        .output()
        .context("could not start node for theme-check")?;
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!(
            "theme-check on {} failed:\n{report}{}",
            extension.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let rendered = node_output(
        crate::tools::command("node")
            .arg(scripts.join("render.mjs"))
            .arg(extension)
            .arg(crate::root().join("tests/data/shopify"))
            .arg(pages)
            .arg(ASSETS_URL),
    )?;
    Ok(format!("{report}{rendered}"))
}

/// `node …`'s standard output, or an error with both of its outputs.
fn node_output(cmd: &mut Command) -> Result<String> {
    let out = cmd.output().context("could not start node")?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!(
            "`{}` failed:\n{stdout}{}",
            crate::run::show(cmd),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(stdout)
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut entries = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()?;
    entries.sort();
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake build: each widget file holds its name.
    fn widget(dir: &Path) {
        for file in cartlift_demo::WIDGET_FILES {
            std::fs::write(dir.join(file), file).unwrap();
        }
        std::fs::write(
            dir.join("integrity.json"),
            r#"{"cartlift.js": "sha384-abc+/def"}"#,
        )
        .unwrap();
    }

    #[test]
    fn the_assembled_extension_has_the_widget_in_assets_and_the_loaders_hash_in_the_embed() {
        let tmp = tempfile::tempdir().unwrap();
        let (build, out) = (tmp.path().join("widget"), tmp.path().join("ext"));
        std::fs::create_dir_all(&build).unwrap();
        widget(&build);
        // A file left from an earlier assembly goes.
        std::fs::create_dir_all(out.join("assets")).unwrap();
        std::fs::write(out.join("assets/stale.js"), "").unwrap();
        assemble(&build, &out).unwrap();
        let mut assets: Vec<String> = std::fs::read_dir(out.join("assets"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assets.sort();
        let mut expected = cartlift_demo::WIDGET_FILES.map(String::from).to_vec();
        expected.sort();
        assert_eq!(assets, expected);
        let embed = std::fs::read_to_string(out.join("blocks/cartlift-embed.liquid")).unwrap();
        assert!(embed.contains(r#"integrity="sha384-abc+/def""#), "{embed}");
        assert!(!embed.contains(SRI_PLACEHOLDER));
        assert!(out.join("shopify.extension.toml").is_file());
        assert!(out.join("locales/en.default.schema.json").is_file());
        // The source keeps its placeholder.
        let source = std::fs::read_to_string(source_dir().join("blocks/cartlift-embed.liquid"));
        assert!(source.unwrap().contains(SRI_PLACEHOLDER));
    }

    #[test]
    fn a_build_without_the_loaders_hash_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let build = tmp.path().join("widget");
        std::fs::create_dir_all(&build).unwrap();
        widget(&build);
        std::fs::write(build.join("integrity.json"), r#"{"other.js": "sha384-x"}"#).unwrap();
        let err = assemble(&build, &tmp.path().join("ext")).unwrap_err();
        assert!(format!("{err:#}").contains("no cartlift.js"), "{err:#}");
    }
}
