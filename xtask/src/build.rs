//! Building the widget and the rule studio (wasm-pack, then wasm-opt) and assembling the
//! demo site, with a size report of exactly the bytes a shopper (or store dev) downloads.
//!
//! cargo decides for itself what to recompile; every step after it (wasm-pack's
//! wasm-bindgen, wasm-opt, the name shortening, terser, the integrity and size reports,
//! the site) is a [`Step`] that is skipped while its inputs, tool version and flags hash as
//! they did when it last ran and its outputs are still as it wrote them. With nothing
//! changed, a build only asks cargo and prints the stored reports.

use crate::fresh::Step;
use crate::run::run;
use crate::{root, target_dir, tools};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The built widget: the loader `cartlift.js` and both builds' glue and wasm.
pub fn widget_dir() -> PathBuf {
    target_dir().join("widget")
}

/// The built rule studio: its page, styles, worker, glue and wasm, and a sample orders file.
pub fn studio_dir() -> PathBuf {
    target_dir().join("studio")
}

/// The files of the built studio that the page downloads, for the size report.
const STUDIO_FILES: [&str; 5] = [
    "index.html",
    "studio.css",
    "worker.js",
    "cartlift_studio.js",
    "cartlift_studio_bg.wasm",
];

/// The assembled demo site.
pub fn site_dir() -> PathBuf {
    target_dir().join("demo-site")
}

/// wasm-opt settings: smallest code. The wasm features come from the module's own
/// `target_features` section (what rustc emitted), never `--all-features`: that saves
/// 6 KB by using instructions older browsers lack. Dropping the name section (wasm-opt
/// does unless `-g`) is the big win measured in toolchain.md. `--converge` repeats the
/// passes until nothing shrinks; `--low-memory-unused` lets loads and stores fold
/// constant offsets, which holds for Rust's layout (the stack grows down from 1 MiB to 0,
/// data starts at 1 MiB, so the low 1 KiB is touched only by a stack about to overflow).
/// Measured on the widget: -1.2 KB and -0.9 KB brotli.
const WASM_OPT: [&str; 4] = [
    "-Oz",
    "--converge",
    "--low-memory-unused",
    "--strip-producers",
];

/// How the shipped widget builds are compiled, on [`tools::WIDGET_TOOLCHAIN`]: std is
/// rebuilt with the widget (`-Zbuild-std`) so that a panic aborts at once
/// (`panic=immediate-abort`: no panic messages and none of the formatting code they
/// reach in the wasm) and std picks its smaller implementations (`optimize_for_size`: sorting,
/// formatting). Measured on the smallest build: 125,812 → 112,531 B brotli (−11.4 KB from
/// the panic strategy, −1.8 KB from `optimize_for_size`). A panic is a bug either way
/// (`panic = "abort"` in the profile already stopped the module); what it loses is the
/// message: the loader reports the trap as an internal error. With no message to print,
/// panic locations (`-Zlocation-detail=none`) go too: another 0.8 KB, and no builder's
/// paths in the shipped file. Tests and `cargo check`/clippy build the widget on stable.
pub const WIDGET_RUSTFLAGS: &str =
    "-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none";
const WIDGET_CARGO_ARGS: [&str; 2] = [
    "-Zbuild-std=std,panic_abort",
    "-Zbuild-std-features=optimize_for_size",
];

/// Which compiler a wasm build uses.
#[derive(Clone, Copy)]
enum Toolchain {
    /// The workspace's (stable): the rule studio, which store devs download, not shoppers.
    Workspace,
    /// [`tools::WIDGET_TOOLCHAIN`] with [`WIDGET_RUSTFLAGS`]: what shoppers download.
    Widget,
}

impl Toolchain {
    /// `program` (cargo, or wasm-pack, which runs cargo) set up to compile with this
    /// toolchain.
    fn command(self, program: &str) -> Command {
        let mut cmd = tools::command(program);
        if let Toolchain::Widget = self {
            // wasm-pack runs `cargo` from PATH, rustup's proxy, which obeys
            // RUSTUP_TOOLCHAIN; `CARGO` would point it back at the toolchain running xtask.
            // The four builds compile the one widget crate with four feature sets. cargo
            // gives a path package's cdylib no hash in its file name, nor (this cargo) in its
            // fingerprint: each build overwrote the one before and the next build found
            // "features changed", so all four recompiled on every run (LTO: ~7 s each).
            // `__CARGO_DEFAULT_LIB_METADATA` is cargo's switch that hashes them as it does
            // every other crate (rustc's own build sets it), so the four builds are kept
            // side by side and a build with nothing changed is fresh; cargo still copies the
            // asked-for one to the path wasm-pack reads. Its value only seeds the hashes.
            cmd.env("RUSTUP_TOOLCHAIN", tools::WIDGET_TOOLCHAIN)
                .env("RUSTFLAGS", WIDGET_RUSTFLAGS)
                .env("__CARGO_DEFAULT_LIB_METADATA", "cartlift-widget")
                .env_remove("CARGO")
                .env_remove("RUSTC");
        }
        cmd
    }

    /// Arguments for cargo that come before a build's own.
    fn cargo_args(self) -> &'static [&'static str] {
        match self {
            Toolchain::Workspace => &[],
            Toolchain::Widget => &WIDGET_CARGO_ARGS,
        }
    }
}

/// Builds the widget, the studio and the demo site (the studio at `/studio/`), printing
/// the size reports.
pub fn widget_and_site() -> Result<()> {
    widget()?;
    studio()?;
    let site = site_dir();
    // What `build_site` reads: the demo's folder (pages' sources, config, orders), the
    // config's schema, the built widget and studio; its code is part of this program.
    Step::new("demo-site")
        .value("xtask", own_code()?)
        .input(&cartlift_demo::source_dir())?
        .input(&root().join("engine/schema"))?
        .input(&widget_dir())?
        .input(&studio_dir())?
        .output(&site)
        .run(&stamps(), || {
            cartlift_demo::build_site(&site, &widget_dir())?;
            copy_dir(&studio_dir(), &site.join("studio"))
        })?;
    eprintln!("demo site assembled in {}", site.display());
    Ok(())
}

/// Builds the rule studio (`demo-site/studio`) into [`studio_dir`] and prints its size.
/// A separate wasm from the widget, so it costs shoppers nothing; its worker loads the
/// same wasm.
pub fn studio() -> Result<()> {
    let pkg = target_dir().join("wasm-pack-studio");
    let crate_dir = root().join("demo-site/studio");
    let optimized = wasm_build(
        (&crate_dir, "cartlift_studio"),
        "cartlift_studio",
        (Toolchain::Workspace, &[]),
        &pkg,
    )?;
    // Assembled afresh each time (copies of kept files: milliseconds), so that nothing a
    // previous build put there outlives its source.
    let out = studio_dir();
    fresh_dir(&out)?;
    std::fs::create_dir_all(out.join("samples"))?;
    copy(&optimized, &out.join("cartlift_studio_bg.wasm"))?;
    copy(
        &pkg.join("cartlift_studio.js"),
        &out.join("cartlift_studio.js"),
    )?;
    copy_dir(&crate_dir.join("www"), &out)?;
    copy(
        &root().join("tests/data/groceries.csv"),
        &out.join("samples/groceries.csv"),
    )?;

    let report = pkg.join("SIZE.md");
    let mut step = Step::new("size-studio").value("xtask", own_code()?);
    for file in STUDIO_FILES {
        step = step.input(&out.join(file))?;
    }
    step.output(&report).run(&stamps(), || {
        let sizes = size_report(&out, "rule studio (what /studio/ downloads)", &STUDIO_FILES)?;
        Ok(std::fs::write(&report, sizes)?)
    })?;
    eprint!("{}", std::fs::read_to_string(&report)?);
    copy(&report, &out.join("SIZE.md"))?;
    Ok(())
}

/// wasm-pack (without its own wasm-opt) on `crate_dir`, whose library is `lib`, with
/// `toolchain` and `cargo_args`, writing `{name}.js` and `{name}_bg.wasm` into `pkg`; then
/// wasm-opt into `pkg/{name}_opt.wasm`, whose path it returns.
///
/// cargo runs first on its own, exactly as wasm-pack runs it (same folder, arguments and
/// environment): cargo alone knows whether the crate changed, and wasm-pack would run
/// wasm-bindgen again even when it had not. wasm-pack runs only when what cargo built is
/// not what it last read; its cargo then has nothing to do.
fn wasm_build(
    (crate_dir, lib): (&Path, &str),
    name: &str,
    (toolchain, cargo_args): (Toolchain, &[&str]),
    pkg: &Path,
) -> Result<PathBuf> {
    run(toolchain
        .command("cargo")
        .current_dir(crate_dir)
        .args(["build", "--lib", "--profile", "wasm-release", "--target"])
        .arg(tools::WASM_TARGET)
        .args(toolchain.cargo_args())
        .args(cargo_args))?;
    let built = target_dir()
        .join(tools::WASM_TARGET)
        .join("wasm-release")
        .join(format!("{lib}.wasm"));
    let wasm_pack_args = [
        "build",
        "--target",
        "web",
        "--profile",
        "wasm-release",
        "--no-typescript",
        "--no-pack",
        "--no-opt",
        "--out-name",
        name,
    ];
    let wasm = pkg.join(format!("{name}_bg.wasm"));
    Step::new(&format!("wasm-pack-{name}"))
        .input(&built)?
        // Its `[package.metadata.wasm-pack]` settings.
        .input(&crate_dir.join("Cargo.toml"))?
        .value("wasm-pack", wasm_pack_version()?)
        .value("wasm-bindgen", wasm_bindgen_version()?)
        .value("wasm-pack args", wasm_pack_args.join(" "))
        .value("cargo args", cargo_args.join(" "))
        .output(&wasm)
        .output(&pkg.join(format!("{name}.js")))
        .run(&stamps(), || {
            run(toolchain
                .command("wasm-pack")
                .current_dir(root())
                .args(wasm_pack_args)
                .arg("--out-dir")
                .arg(pkg)
                .arg(crate_dir)
                .arg("--")
                .args(toolchain.cargo_args())
                .args(cargo_args))
        })?;
    let optimized = pkg.join(format!("{name}_opt.wasm"));
    Step::new(&format!("wasm-opt-{name}"))
        .input(&wasm)?
        .value("wasm-opt", wasm_opt_version()?)
        .value("flags", WASM_OPT.join(" "))
        .output(&optimized)
        .run(&stamps(), || {
            run(tools::command("wasm-opt")
                .args(WASM_OPT)
                .arg(&wasm)
                .arg("-o")
                .arg(&optimized))
        })?;
    Ok(optimized)
}

/// Empties `dir` (creating it if missing), so that nothing an earlier run put there
/// outlives its source.
pub(crate) fn fresh_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("emptying {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir)?;
    Ok(())
}

/// The loader's `sha384-…` from the build's `integrity.json`.
pub(crate) fn loader_sri(widget: &Path) -> Result<String> {
    let path = widget.join("integrity.json");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let hashes: serde_json::Value = serde_json::from_str(&text)?;
    let sri = hashes["cartlift.js"]
        .as_str()
        .with_context(|| format!("{} has no cartlift.js", path.display()))?;
    anyhow::ensure!(
        sri.starts_with("sha384-") && sri.len() > "sha384-".len(),
        "{}: cartlift.js's hash is not sha384-…",
        path.display()
    );
    Ok(sri.to_owned())
}

pub(crate) fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            copy(&entry.path(), &target)?;
        }
    }
    Ok(())
}

/// The widget's builds: file stem, cargo features, and the pages that get it. The full
/// one reads JSON configs (inline, fetched, sharded) and has every cart adapter; the small
/// ones read only compiled configs (`cartlift compile`, a `.bin` file) and carry one
/// platform cart each besides `js`, so they ship neither the JSON reader and validator
/// nor the other platforms' code. The loader picks one per page from `data-config` and
/// `data-cart`. Listed smallest first, as the size report shows them.
pub const BUILDS: [(&str, &[&str], &str); 4] = [
    (
        "cartlift_compiled",
        &["--no-default-features"],
        "a compiled config (`data-config` ends in .bin), `data-cart=\"js\"`",
    ),
    (
        "cartlift_compiled_shopify",
        &["--no-default-features", "--features", "shopify"],
        "a compiled config, `data-cart=\"shopify\"`",
    ),
    (
        "cartlift_compiled_woocommerce",
        &["--no-default-features", "--features", "woocommerce"],
        "a compiled config, `data-cart=\"woocommerce\"`",
    ),
    (
        "cartlift_widget",
        &[],
        "a JSON config (fetched, inline or sharded), any cart",
    ),
];

/// Builds the widget into [`widget_dir`] and prints its size.
pub fn widget() -> Result<()> {
    let out = widget_dir();
    std::fs::create_dir_all(&out)?;
    let mut loader = std::fs::read_to_string(root().join("widget/js/cartlift.js"))?;
    for (name, cargo_args, _) in BUILDS {
        let pkg = target_dir().join(format!("wasm-pack-{name}"));
        let optimized = wasm_build(
            (&root().join("widget"), "cartlift_widget"),
            name,
            (Toolchain::Widget, cargo_args),
            &pkg,
        )?;
        let wasm = out.join(format!("{name}_bg.wasm"));
        let (glue, short) = (
            pkg.join(format!("{name}.js")),
            pkg.join(format!("{name}.short.js")),
        );
        Step::new(&format!("shorten-{name}"))
            .input(&optimized)?
            .input(&glue)?
            .value("wasm-opt", wasm_opt_version()?)
            .value("xtask", own_code()?)
            .output(&wasm)
            .output(&short)
            .run(&stamps(), || {
                shorten_names((&optimized, &wasm), (&glue, &short))
            })?;
        minify_js(&short, &out.join(format!("{name}.js")))?;
        // Subresource Integrity: the loader checks the wasm it fetches against the hash
        // written into it; integrity.json lists every file for the store's script tag / CDN.
        let hash = sri(&std::fs::read(wasm)?);
        let placeholder = format!("  {name}: '',");
        anyhow::ensure!(
            loader.contains(&placeholder),
            "widget/js/cartlift.js lost its `{placeholder}` line"
        );
        loader = loader.replace(&placeholder, &format!("  {name}: '{hash}',"));
    }
    let loader_source = target_dir().join("cartlift.js");
    std::fs::write(&loader_source, loader)?;
    minify_js(&loader_source, &out.join("cartlift.js"))?;

    let (integrity, sizes) = (out.join("integrity.json"), out.join("SIZE.md"));
    let mut step = Step::new("reports-widget").value("xtask", own_code()?);
    for file in cartlift_demo::WIDGET_FILES {
        step = step.input(&out.join(file))?;
    }
    step.output(&integrity)
        .output(&sizes)
        .run(&stamps(), || widget_reports(&out, &integrity, &sizes))?;
    eprint!(
        "Subresource Integrity (target/widget/integrity.json):\n{}",
        std::fs::read_to_string(&integrity)?
    );
    eprint!("{}", std::fs::read_to_string(&sizes)?);
    Ok(())
}

/// Writes the widget's `integrity.json` (every shipped file's SRI hash) and its size
/// report (`SIZE.md`), both read from `out`.
fn widget_reports(out: &Path, integrity: &Path, sizes: &Path) -> Result<()> {
    let mut hashes = serde_json::Map::new();
    for file in cartlift_demo::WIDGET_FILES {
        hashes.insert(file.to_owned(), sri(&std::fs::read(out.join(file))?).into());
    }
    let hashes = serde_json::to_string_pretty(&hashes)?;
    std::fs::write(integrity, format!("{hashes}\n"))?;

    let mut report = String::new();
    for (name, _, pages) in BUILDS {
        report += &size_report(
            out,
            &format!("widget size with {pages}"),
            &[
                "cartlift.js",
                &format!("{name}.js"),
                &format!("{name}_bg.wasm"),
            ],
        )?;
    }
    std::fs::write(sizes, report)?;
    Ok(())
}

/// Renames the wasm's imports, exports and import module to a letter or two (binaryen's
/// `--minify-imports-and-exports-and-modules`) and the glue's uses of them to match,
/// writing the glue to `glue_out`. wasm-bindgen names every import after its JS function
/// plus a 16-hex-digit hash (`__wbg_addEventListener_f2d27251d333a631`), and closure
/// shims after their Rust types (up to 334 characters): both files carried each name,
/// and hashes do not compress. Measured on the smallest build: −1.9 KB brotli of wasm and
/// −1.7 KB of glue. Each import name must occur exactly once in the glue (its key in the
/// imports object), or the build fails rather than ship a glue that does not fit its
/// wasm. Exports are renamed where the glue reaches them, as `wasm.NAME` (the only way
/// wasm-bindgen's glue does); that is not checked here: a glue that reached one another
/// way would fail to start in the end-to-end tests, which load every build.
fn shorten_names(
    (wasm_in, wasm): (&Path, &Path),
    (glue_in, glue_out): (&Path, &Path),
) -> Result<()> {
    let map = tools::command("wasm-opt")
        .arg("--minify-imports-and-exports-and-modules")
        .arg(wasm_in)
        .arg("-o")
        .arg(wasm)
        .output()
        .context("running wasm-opt")?;
    anyhow::ensure!(
        map.status.success(),
        "wasm-opt could not shorten the names in {}: {}",
        wasm.display(),
        String::from_utf8_lossy(&map.stderr)
    );
    let map: serde_json::Value =
        serde_json::from_slice(&map.stdout).context("reading wasm-opt's name map")?;
    let pairs = |key: &str| -> Result<Vec<Vec<String>>> {
        serde_json::from_value(map[key].clone()).with_context(|| format!("wasm-opt's {key} map"))
    };
    let mut js = std::fs::read_to_string(glue_in)?;
    let (imports, exports) = (pairs("imports")?, pairs("exports")?);
    // Renaming one name at a time is sound only if no new name is also an old one.
    let old: Vec<&String> = imports
        .iter()
        .map(|i| &i[1])
        .chain(exports.iter().map(|e| &e[0]))
        .collect();
    let new: Vec<&String> = imports
        .iter()
        .map(|i| &i[2])
        .chain(exports.iter().map(|e| &e[1]))
        .collect();
    anyhow::ensure!(
        !new.iter().any(|n| old.contains(n)),
        "wasm-opt reused a name"
    );
    // One module, which binaryen renames "a" (the old name must be gone from the wasm).
    let mut modules: Vec<&str> = imports.iter().map(|i| i[0].as_str()).collect();
    modules.sort_unstable();
    modules.dedup();
    anyhow::ensure!(
        modules.len() == 1,
        "the wasm imports from {modules:?}, not one module"
    );
    let bytes = std::fs::read(wasm)?;
    let named = modules[0].as_bytes();
    anyhow::ensure!(
        !bytes.windows(named.len()).any(|w| w == named),
        "wasm-opt left the module name {} in {}",
        modules[0],
        wasm.display()
    );
    let module = format!("\"{}\": import0", modules[0]);
    anyhow::ensure!(
        js.matches(&module).count() == 1,
        "the glue names {module} not once"
    );
    js = js.replace(&module, "\"a\": import0");
    for import in &imports {
        let (old, new) = (&import[1], &import[2]);
        let at = identifier_at(&js, old);
        anyhow::ensure!(
            at.len() == 1,
            "the glue names the import {old} {} times",
            at.len()
        );
        js.replace_range(at[0]..at[0] + old.len(), new);
    }
    for export in exports {
        let (old, new) = (format!("wasm.{}", export[0]), format!("wasm.{}", export[1]));
        for at in identifier_at(&js, &old).into_iter().rev() {
            js.replace_range(at..at + old.len(), &new);
        }
    }
    std::fs::write(glue_out, trim_init(js)?)?;
    Ok(())
}

/// wasm-bindgen's initialization code, cut to what the loader uses (it always calls the
/// default export with `{module_or_path}`, a `Response` promise): no `initSync` export
/// (terser then drops the function), no warning about the old call form, and the
/// wrong-MIME fallback's warning in one short line. Measured on the smallest build's
/// glue: 3,357 → 3,209 B brotli. Each cut must match exactly once, or the build fails
/// (a new wasm-bindgen changed its glue; see docs/toolchain.md for the pinned version).
fn trim_init(mut js: String) -> Result<String> {
    const CUTS: [(&str, &str); 3] = [
        (
            "export { initSync, __wbg_init as default };",
            "export { __wbg_init as default };",
        ),
        (
            "console.warn('using deprecated parameters for the initialization function; pass a single object instead')",
            "",
        ),
        (
            "console.warn(\"`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\\n\", e);",
            "console.warn(\"cartlift: serve .wasm as application/wasm, it compiles faster:\", e);",
        ),
    ];
    for (from, to) in CUTS {
        anyhow::ensure!(
            js.matches(from).count() == 1,
            "wasm-bindgen's glue no longer has, once: {from}"
        );
        js = js.replacen(from, to, 1);
    }
    Ok(js)
}

/// Where `name` occurs in `js` as a whole identifier (or `wasm.identifier`).
fn identifier_at(js: &str, name: &str) -> Vec<usize> {
    let part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$');
    js.match_indices(name)
        .map(|(at, _)| at)
        .filter(|&at| {
            !part(js[..at].chars().next_back()) && !part(js[at + name.len()..].chars().next())
        })
        .collect()
}

/// terser's settings: an ES module, compressed, local names mangled, no comments.
const TERSER: [&str; 3] = ["--module", "--compress", "--mangle"];

/// What a shopper downloads is minified ([`TERSER`]): on the loader and glue of a small
/// build that is 3.1 KB of 10.0 KB brotli. The readable sources stay in `widget/js/` and
/// wasm-bindgen's output.
fn minify_js(from: &Path, to: &Path) -> Result<()> {
    let name = to.file_name().unwrap_or_default().to_string_lossy();
    Step::new(&format!("terser-{name}"))
        .input(from)?
        .value("terser", terser_version()?)
        .value("flags", TERSER.join(" "))
        .output(to)
        .run(&stamps(), || {
            run(tools::command(tools::terser())
                .arg(from)
                .args(TERSER)
                .arg("--output")
                .arg(to))
        })?;
    Ok(())
}

/// `sha384-…`, as the `integrity` attribute and `fetch` option take it.
fn sri(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(bytes))
    )
}

pub(crate) fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to).with_context(|| format!("copying {}", from.display()))?;
    Ok(())
}

/// Raw, gzip (-9) and brotli (q11) bytes of each shipped file and in total.
fn size_report(dir: &Path, title: &str, files: &[&str]) -> Result<String> {
    let mut rows = Vec::new();
    for name in files {
        let bytes = std::fs::read(dir.join(name)).with_context(|| format!("reading {name}"))?;
        rows.push((name, bytes.len(), gzip(&bytes)?, brotli(&bytes)?));
    }
    let total = rows.iter().fold((0, 0, 0), |(r, g, b), row| {
        (r + row.1, g + row.2, b + row.3)
    });
    let mut out = format!("\n{title}\n\n| file | raw | gzip | brotli |\n|---|---:|---:|---:|\n");
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

/// Where the build steps' stamps are kept (see [`crate::fresh`]).
fn stamps() -> PathBuf {
    target_dir().join("stamps")
}

/// A tool's `--version` output, asked once per run: part of the inputs of each step it
/// runs, so that another version of the tool redoes its work.
fn version(cell: &'static OnceLock<String>, program: &str) -> Result<&'static str> {
    if let Some(version) = cell.get() {
        return Ok(version);
    }
    let version = crate::run::output(tools::command(program).arg("--version"))
        .with_context(|| format!("asking {program} for its version"))?;
    Ok(cell.get_or_init(|| version))
}

fn wasm_pack_version() -> Result<&'static str> {
    static VERSION: OnceLock<String> = OnceLock::new();
    version(&VERSION, "wasm-pack")
}

fn wasm_bindgen_version() -> Result<&'static str> {
    static VERSION: OnceLock<String> = OnceLock::new();
    version(&VERSION, "wasm-bindgen")
}

/// The version of the npm package (pinned in xtask/package.json) that provides a Node
/// tool, from its package.json: asking the tool itself starts Node, ~0.5 s each.
fn npm_version(cell: &'static OnceLock<String>, package: &str) -> Result<&'static str> {
    if let Some(version) = cell.get() {
        return Ok(version);
    }
    let manifest = root().join(format!("xtask/node_modules/{package}/package.json"));
    let text = std::fs::read_to_string(&manifest)
        .with_context(|| format!("reading {}", manifest.display()))?;
    let version = serde_json::from_str::<serde_json::Value>(&text)?["version"]
        .as_str()
        .map(|v| format!("{package} {v}"))
        .with_context(|| format!("{} has no version", manifest.display()))?;
    Ok(cell.get_or_init(|| version))
}

/// `tools::command("wasm-opt")` runs binaryen's, from xtask/node_modules.
fn wasm_opt_version() -> Result<&'static str> {
    static VERSION: OnceLock<String> = OnceLock::new();
    npm_version(&VERSION, "binaryen")
}

fn terser_version() -> Result<&'static str> {
    static VERSION: OnceLock<String> = OnceLock::new();
    npm_version(&VERSION, "terser")
}

/// The SHA-256 of this program: the version of the steps it does itself (renaming the
/// wasm's names in the glue, the reports, the site's pages), so that changing that code
/// redoes them.
fn own_code() -> Result<&'static str> {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(hash) = HASH.get() {
        return Ok(hash);
    }
    use sha2::Digest;
    let exe = std::env::current_exe().context("finding the xtask executable")?;
    let bytes = std::fs::read(&exe).with_context(|| format!("reading {}", exe.display()))?;
    let hash = format!("{:x}", sha2::Sha256::digest(bytes));
    Ok(HASH.get_or_init(|| hash))
}
