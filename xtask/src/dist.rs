//! `cargo xtask dist`: one versioned release a store can install without Rust, and the npm
//! package. `cargo xtask test` runs it and then checks what it wrote ([`check`]).
//!
//! ```text
//! target/dist/
//!   cartlift-<version>/                 the release (also as the archive below)
//!     widget/                           cartlift.js, the four builds, integrity.json
//!     bin/cartlift                      the CLI for this platform (release build)
//!     schema/config.v1.schema.json      the config's JSON Schema
//!     shopify-extension/                the theme app extension, widget in assets/
//!     INSTALL.md  CHANGELOG.md  LICENSE-MIT  LICENSE-APACHE  SHA256SUMS
//!   cartlift-<version>-<host>.tar.gz
//!   npm/                                the npm package's folder
//!   cartlift-widget-<version>.tgz       `npm pack` of it
//! ```
//!
//! The widget's files are reproducible: [`check`] builds them a second time from nothing in
//! another target folder and compares the bytes. The archive is written with fixed
//! metadata (sorted entries, owner 0, the commit's time), so the same files give the same
//! archive.

use crate::build::{self, copy, copy_dir, fresh_dir, loader_sri};
use crate::run::{cargo, output, run};
use crate::{root, target_dir, tools};
use anyhow::{Context, Result, bail, ensure};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The workspace's version: the release's, the CLI's and the npm package's.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where `cargo xtask dist` writes.
pub fn dist_dir() -> PathBuf {
    target_dir().join("dist")
}

/// The scratch project [`check`] installs the npm tarball into (the end-to-end test serves
/// it and type-checks the events a real widget sends).
pub fn npm_project_dir() -> PathBuf {
    dist_dir().join("npm-project")
}

/// Where [`check`] renders the Shopify extension's pages for the end-to-end test.
pub fn shopify_pages_dir() -> PathBuf {
    dist_dir().join("shopify-pages")
}

/// What one `dist` wrote.
#[derive(Debug)]
pub struct Release {
    /// `target/dist/cartlift-<version>/`.
    pub dir: PathBuf,
    /// The `.tar.gz` of it.
    pub archive: PathBuf,
    /// `target/dist/cartlift-widget-<version>.tgz`.
    pub npm_tarball: PathBuf,
    /// The loader's Subresource Integrity hash.
    pub loader_sri: String,
}

/// `cargo xtask dist [--check]`.
pub fn run_dist(and_check: bool) -> Result<ExitCode> {
    if and_check {
        tools::ensure_test_tools()?;
        eprint!("{}", check()?);
    } else {
        tools::ensure_build_tools()?;
        summary(&release()?)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn summary(release: &Release) -> Result<()> {
    let size = |p: &Path| -> Result<u64> { Ok(std::fs::metadata(p)?.len()) };
    eprintln!("\nrelease {VERSION}:");
    eprintln!("  {}", release.dir.display());
    eprintln!(
        "  {} ({} bytes)",
        release.archive.display(),
        size(&release.archive)?
    );
    eprintln!(
        "  {} ({} bytes)",
        release.npm_tarball.display(),
        size(&release.npm_tarball)?
    );
    eprintln!(
        "the loader's script tag: <script type=\"module\" src=\"…/cartlift.js\" integrity=\"{}\" crossorigin=\"anonymous\" data-config=\"…\"></script>",
        release.loader_sri
    );
    Ok(())
}

/// Builds the widget and the CLI and writes the release, its archive and the npm package.
pub fn release() -> Result<Release> {
    build::widget()?;
    let cli = build_cli()?;
    let out = dist_dir();
    let dir = out.join(format!("cartlift-{VERSION}"));
    fresh_dir(&dir)?;

    let widget = dir.join("widget");
    copy_widget(&widget)?;
    let loader_sri = loader_sri(&widget)?;
    copy_dir(&root().join("engine/schema"), &dir.join("schema"))?;
    std::fs::create_dir_all(dir.join("bin"))?;
    copy(&cli, &dir.join("bin").join(cli_name()))?;
    let readme = std::fs::read_to_string(root().join("README.md"))?;
    std::fs::write(
        dir.join("INSTALL.md"),
        install_md(&readme, &loader_sri, &host()?)?,
    )?;
    let changelog = std::fs::read_to_string(root().join("CHANGELOG.md"))?;
    std::fs::write(dir.join("CHANGELOG.md"), changelog_excerpt(&changelog)?)?;
    for license in LICENSES {
        copy(&root().join(license), &dir.join(license))?;
    }
    crate::shopify_ext::assemble(&build::widget_dir(), &dir.join("shopify-extension"))?;
    std::fs::write(dir.join("SHA256SUMS"), sha256sums(&dir)?)?;

    let archive = out.join(format!("cartlift-{VERSION}-{}.tar.gz", host()?));
    write_archive(&dir, &archive)?;
    let npm_tarball = npm_package(&out)?;
    Ok(Release {
        dir,
        archive,
        npm_tarball,
        loader_sri,
    })
}

const LICENSES: [&str; 2] = ["LICENSE-MIT", "LICENSE-APACHE"];

/// `cartlift`, or `cartlift.exe` where executables say so.
fn cli_name() -> String {
    format!("cartlift{}", std::env::consts::EXE_SUFFIX)
}

/// `cargo build --release -p cartlift-cli`; checks that `--version` says this version.
fn build_cli() -> Result<PathBuf> {
    run(cargo().args(["build", "--release", "--locked", "-p", "cartlift-cli"]))?;
    let cli = target_dir().join("release").join(cli_name());
    check_version(&cli)?;
    Ok(cli)
}

/// `cli --version` is `cartlift <VERSION>`.
fn check_version(cli: &Path) -> Result<()> {
    let said = output(Command::new(cli).arg("--version"))
        .with_context(|| format!("{} --version did not run", cli.display()))?;
    ensure!(
        said.trim() == format!("cartlift {VERSION}"),
        "{} --version says {:?}, not cartlift {VERSION}",
        cli.display(),
        said.trim()
    );
    Ok(())
}

/// The platform the CLI was built for (`rustc -vV`'s host), as the archive's name says it.
fn host() -> Result<String> {
    let info = output(Command::new("rustc").arg("-vV")).context("running rustc -vV")?;
    info.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_owned)
        .context("rustc -vV names no host")
}

/// The built widget's files and `integrity.json` into `to`.
fn copy_widget(to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for file in cartlift_demo::WIDGET_FILES
        .iter()
        .chain(std::iter::once(&"integrity.json"))
    {
        copy(&build::widget_dir().join(file), &to.join(file))?;
    }
    Ok(())
}

/// The README's "Embed it in a store" section as the release's `INSTALL.md`: what the
/// release holds first, then the section with its pictures left out (the release has
/// none) and its links to the repository's files made absolute.
pub fn install_md(readme: &str, loader_sri: &str, host: &str) -> Result<String> {
    let section = section(readme, "## Embed it in a store")
        .context("README.md has no \"## Embed it in a store\" section")?;
    let mut body = String::new();
    let mut lines = section.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("![") {
            // The picture's caption, an emphasised line under it, goes with it.
            if lines
                .peek()
                .is_some_and(|l| l.starts_with('*') && l.ends_with('*'))
            {
                lines.next();
            }
            continue;
        }
        body.push_str(&absolute_links(line));
        body.push('\n');
    }
    let body = body
        .trim_end()
        .replacen("## Embed it in a store", "## Embed it", 1);
    Ok(format!(
        "# Installing cartlift {VERSION}\n\n\
         This release holds:\n\n\
         - `widget/`: the files to host on your site, in one folder: the loader `cartlift.js`, \
         its four builds (glue `.js` and `_bg.wasm`) and `integrity.json` (each file's SHA-384). \
         The loader's Subresource Integrity hash is `{loader_sri}`.\n\
         - `bin/cartlift`: the CLI for {host} (`bin/cartlift --help`): validate, explain, mine, \
         compile your config.\n\
         - `schema/config.v1.schema.json`: the config's JSON Schema, for your editor.\n\
         - `shopify-extension/`: the Shopify theme app extension (deploy it with Shopify CLI).\n\
         - `SHA256SUMS`: check the files with `sha256sum -c SHA256SUMS`.\n\n\
         Where the guide below says `target/widget/`, use this release's `widget/`. The same \
         files are on npm as `cartlift-widget`.\n\n{body}\n"
    ))
}

/// The part of `text` from the line `heading` to the next heading of the same level.
fn section<'a>(text: &'a str, heading: &str) -> Option<&'a str> {
    let start = text
        .match_indices(heading)
        .find(|(at, _)| *at == 0 || text[..*at].ends_with('\n'))?
        .0;
    let level = heading.split(' ').next().unwrap_or("##");
    let rest = &text[start + heading.len()..];
    let end = rest
        .match_indices(&format!("\n{level} "))
        .next()
        .map_or(rest.len(), |(at, _)| at + 1);
    Some(&text[start..start + heading.len() + end])
}

/// `[text](docs/x.md)` → `[text](<repository>/blob/v<VERSION>/docs/x.md)`; absolute URLs,
/// site paths and anchors stay.
fn absolute_links(line: &str) -> String {
    let repository = env!("CARGO_PKG_REPOSITORY");
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("](") {
        out.push_str(&rest[..at + 2]);
        rest = &rest[at + 2..];
        let relative = !(rest.starts_with("http:")
            || rest.starts_with("https:")
            || rest.starts_with('#')
            || rest.starts_with('/'));
        if relative {
            out.push_str(&format!("{repository}/blob/v{VERSION}/"));
        }
    }
    out.push_str(rest);
    out
}

/// CHANGELOG.md's `[Unreleased]` section, as this version's notes.
pub fn changelog_excerpt(changelog: &str) -> Result<String> {
    let section = section(changelog, "## [Unreleased]")
        .context("CHANGELOG.md has no \"## [Unreleased]\" section")?;
    let body = section.trim_end().replacen(
        "## [Unreleased]",
        &format!(
            "## {VERSION}\n\nThe changes in this release (CHANGELOG.md's unreleased section)."
        ),
        1,
    );
    Ok(format!(
        "# cartlift changelog (excerpt)\n\n{}\n",
        absolute_links_all(&body)
    ))
}

fn absolute_links_all(text: &str) -> String {
    text.lines()
        .map(absolute_links)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every file under `dir`, as sorted paths relative to it with `/` between parts.
fn files_under(dir: &Path) -> Result<Vec<String>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<()> {
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let entry = entry?;
            let name = entry
                .file_name()
                .into_string()
                .map_err(|n| anyhow::anyhow!("{} is not UTF-8", Path::new(&n).display()))?;
            let path = format!("{prefix}{name}");
            if entry.file_type()?.is_dir() {
                walk(&entry.path(), &format!("{path}/"), out)?;
            } else {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, "", &mut files)?;
    files.sort();
    Ok(files)
}

/// `sha256sum`'s format (`<hex>  <path>`) for every file under `dir` but `SHA256SUMS`.
fn sha256sums(dir: &Path) -> Result<String> {
    use sha2::Digest;
    let mut sums = String::new();
    for file in files_under(dir)? {
        if file == "SHA256SUMS" {
            continue;
        }
        let bytes = std::fs::read(dir.join(&file))?;
        sums.push_str(&format!("{:x}  {file}\n", sha2::Sha256::digest(bytes)));
    }
    Ok(sums)
}

/// The time written into the archive: `SOURCE_DATE_EPOCH` if set (the reproducible-builds
/// convention), else the commit's time, else 0.
fn source_date() -> u64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .or_else(|| output(Command::new("git").args(["log", "-1", "--format=%ct"])))
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(0)
}

/// `dir` as a `.tar.gz` whose one top folder is `dir`'s name: entries sorted, owner 0,
/// mode 755 for folders and executables and 644 for the rest, one fixed time.
fn write_archive(dir: &Path, archive: &Path) -> Result<()> {
    let top = dir
        .file_name()
        .and_then(|n| n.to_str())
        .context("the release folder has no name")?;
    let time = source_date();
    let gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(std::fs::File::create(archive)?, flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    let header = |kind: tar::EntryType, mode: u32, size: u64| {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_mode(mode);
        h.set_size(size);
        h.set_mtime(time);
        h.set_uid(0);
        h.set_gid(0);
        h
    };
    let mut folders = std::collections::BTreeSet::new();
    for file in files_under(dir)? {
        // Each folder once, before its first file.
        let mut prefix = String::new();
        for part in file
            .split('/')
            .collect::<Vec<_>>()
            .split_last()
            .map_or(&[][..], |(_, p)| p)
        {
            prefix = format!("{prefix}{part}/");
            if folders.insert(prefix.clone()) {
                let mut h = header(tar::EntryType::Directory, 0o755, 0);
                tar.append_data(&mut h, format!("{top}/{prefix}"), std::io::empty())?;
            }
        }
        let path = dir.join(&file);
        let bytes = std::fs::read(&path)?;
        let mode = if is_executable(&path)? { 0o755 } else { 0o644 };
        let mut h = header(tar::EntryType::Regular, mode, bytes.len() as u64);
        tar.append_data(&mut h, format!("{top}/{file}"), &bytes[..])?;
    }
    tar.into_inner()?.finish()?;
    Ok(())
}

#[cfg(unix)]
fn is_executable(path: &Path) -> Result<bool> {
    use std::os::unix::fs::PermissionsExt;
    Ok(std::fs::metadata(path)?.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> Result<bool> {
    Ok(path.extension().is_some_and(|e| e == "exe"))
}

/// Writes the npm package's folder (`out/npm/`) and packs it with `npm pack`; returns the
/// tarball's path.
fn npm_package(out: &Path) -> Result<PathBuf> {
    let dir = out.join("npm");
    fresh_dir(&dir)?;
    copy_widget(&dir)?;
    let source = root().join("widget/npm");
    for file in ["index.d.ts", "README.md"] {
        copy(&source.join(file), &dir.join(file))?;
    }
    for license in LICENSES {
        copy(&root().join(license), &dir.join(license))?;
    }
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(source.join("package.json"))?)?;
    manifest["version"] = VERSION.into();
    manifest["repository"]["url"] = format!("git+{}.git", env!("CARGO_PKG_REPOSITORY")).into();
    std::fs::write(
        dir.join("package.json"),
        serde_json::to_string_pretty(&manifest)? + "\n",
    )?;
    let tarball = out.join(npm_tarball_name());
    if tarball.exists() {
        std::fs::remove_file(&tarball)?;
    }
    run(Command::new("npm")
        .current_dir(&dir)
        .args(["pack", "--silent", "--pack-destination"])
        .arg(out))?;
    ensure!(
        tarball.is_file(),
        "npm pack did not write {}",
        tarball.display()
    );
    Ok(tarball)
}

fn npm_tarball_name() -> String {
    format!("cartlift-widget-{VERSION}.tgz")
}

/// What the npm tarball must hold, under `package/`.
fn npm_files() -> Vec<String> {
    let mut files: Vec<String> = cartlift_demo::WIDGET_FILES
        .iter()
        .map(|f| (*f).to_owned())
        .chain(
            [
                "integrity.json",
                "index.d.ts",
                "README.md",
                "package.json",
                "LICENSE-MIT",
                "LICENSE-APACHE",
            ]
            .map(str::to_owned),
        )
        .collect();
    files.sort();
    files
}

/// `cargo xtask test`'s release stage: [`release`], then every check of what it wrote.
/// Returns the report to print (theme-check's findings among them).
pub fn check() -> Result<String> {
    let release = release()?;
    summary(&release)?;
    let mut report = String::new();

    // The archive, unpacked by the system's tar, checks against its own SHA256SUMS, and
    // its CLI runs.
    let unpacked = dist_dir().join("unpacked");
    fresh_dir(&unpacked)?;
    run(Command::new("tar")
        .arg("-xzf")
        .arg(&release.archive)
        .arg("-C")
        .arg(&unpacked))?;
    let top = unpacked.join(format!("cartlift-{VERSION}"));
    run(Command::new("sha256sum")
        .args(["--check", "--strict", "--quiet", "SHA256SUMS"])
        .current_dir(&top))?;
    let listed = std::fs::read_to_string(top.join("SHA256SUMS"))?
        .lines()
        .count();
    let expected = files_under(&release.dir)?.len() - 1;
    ensure!(
        listed == expected,
        "SHA256SUMS lists {listed} files, the release has {expected} besides it"
    );
    check_version(&top.join("bin").join(cli_name()))?;
    report += &format!(
        "archive {}: {} bytes, {listed} files, SHA256SUMS verified by sha256sum\n",
        release.archive.display(),
        std::fs::metadata(&release.archive)?.len()
    );

    report += &reproducible()?;
    report += &cargo_install()?;
    report += &npm_checks(&release)?;
    report +=
        &crate::shopify_ext::check(&release.dir.join("shopify-extension"), &shopify_pages_dir())?;
    Ok(report)
}

/// Builds the widget again, from nothing, in another target folder (`target/reproducible`,
/// so other absolute paths too) with `cargo xtask widget --target-dir`, and compares every
/// shipped file byte for byte. The folder is kept: later runs rebuild what changed in it,
/// as in `target/`.
fn reproducible() -> Result<String> {
    let other = target_dir().join("reproducible");
    run(cargo()
        .args(["run", "-q", "-p", "xtask", "--", "widget", "--target-dir"])
        .arg(&other))?;
    let mut differ = Vec::new();
    let files: Vec<&str> = cartlift_demo::WIDGET_FILES
        .iter()
        .copied()
        .chain(["integrity.json"])
        .collect();
    for file in &files {
        let (a, b) = (
            std::fs::read(build::widget_dir().join(file))?,
            std::fs::read(other.join("widget").join(file))?,
        );
        if a != b {
            differ.push(format!("{file} ({} vs {} bytes)", a.len(), b.len()));
        }
    }
    if !differ.is_empty() {
        bail!(
            "the widget is not reproducible: a second build in {} differs in {}",
            other.display(),
            differ.join(", ")
        );
    }
    Ok(format!(
        "reproducible: a second widget build in {} is byte-identical ({} files)\n",
        other.display(),
        files.len()
    ))
}

/// `cargo install --path cli` (into `target/dist/install`, sharing this target folder so
/// the release build is reused) gives a `cartlift` that says this version.
fn cargo_install() -> Result<String> {
    let root_dir = dist_dir().join("install");
    run(cargo()
        .args(["install", "--locked", "--path", "cli", "--root"])
        .arg(&root_dir)
        .arg("--target-dir")
        .arg(target_dir()))?;
    check_version(&root_dir.join("bin").join(cli_name()))?;
    Ok(format!(
        "cargo install --path cli: {} says cartlift {VERSION}\n",
        root_dir.join("bin").join(cli_name()).display()
    ))
}

/// The npm tarball holds exactly the package's files; installed with `npm install` from
/// the file (offline) into a scratch project, the project's TypeScript (tests/npm/) type-
/// checks with `tsc --strict` against its declarations, and the project is ready for the
/// end-to-end test (a page loading the widget from `node_modules/cartlift-widget/`).
fn npm_checks(release: &Release) -> Result<String> {
    let mut inside = Vec::new();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(std::fs::File::open(
        &release.npm_tarball,
    )?));
    for entry in archive.entries()? {
        let path = entry?.path()?.to_string_lossy().into_owned();
        inside.push(
            path.strip_prefix("package/")
                .with_context(|| format!("{path} is outside package/"))?
                .to_owned(),
        );
    }
    inside.sort();
    ensure!(
        inside == npm_files(),
        "the npm tarball holds {inside:?}, expected {:?}",
        npm_files()
    );

    let project = npm_project_dir();
    fresh_dir(&project)?;
    let source = root().join("tests/npm");
    copy_dir(&source, &project)?;
    run(Command::new("npm")
        .current_dir(&project)
        .args(["install", "--offline", "--no-audit", "--no-fund"])
        .arg(&release.npm_tarball))?;
    let installed = project.join("node_modules/cartlift-widget");
    for file in npm_files() {
        ensure!(
            installed.join(&file).is_file(),
            "npm install left out {file}"
        );
    }
    // What the page needs besides the widget: the demo's config and product images.
    let site = build::site_dir();
    copy(
        &site.join("cartlift/config.json"),
        &project.join("config.json"),
    )?;
    copy_dir(&site.join("img"), &project.join("img"))?;
    // Resolved as bundlers do and as Node's ES modules do (the `exports` map's `types`).
    for config in ["tsconfig.json", "tsconfig.nodenext.json"] {
        run(tools::command("node")
            .arg(tools::tsc())
            .args(["--project", config, "--noEmit", "--strict"])
            .current_dir(&project))?;
    }
    Ok(format!(
        "npm {}: {} bytes, {} files; installed offline into {}; tsc --noEmit --strict passed (bundler and nodenext resolution)\n",
        release.npm_tarball.display(),
        std::fs::metadata(&release.npm_tarball)?.len(),
        inside.len(),
        project.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const README: &str = "# cartlift\n\nIntro.\n\n## Embed it in a store\n\nHost the files.\n\n\
        See [the design](docs/design.md) and [MDN](https://developer.mozilla.org/) and [below](#the-config).\n\n\
        ![A picture](demo-site/screenshots/p.png)\n*Its caption.*\n\n### Events\n\nMore.\n\n\
        ## The config\n\nNot this.\n";

    #[test]
    fn install_md_is_the_embed_section_with_pictures_out_and_links_absolute() {
        let md = install_md(README, "sha384-abc", "x86_64-unknown-linux-gnu").unwrap();
        assert!(md.starts_with(&format!("# Installing cartlift {VERSION}\n")));
        assert!(md.contains("`sha384-abc`"), "{md}");
        assert!(md.contains("the CLI for x86_64-unknown-linux-gnu"));
        assert!(md.contains("## Embed it\n\nHost the files."));
        assert!(md.contains("### Events\n\nMore."));
        assert!(!md.contains("Not this"), "stops at the next section");
        assert!(!md.contains("A picture") && !md.contains("caption"));
        let repository = env!("CARGO_PKG_REPOSITORY");
        assert!(md.contains(&format!(
            "[the design]({repository}/blob/v{VERSION}/docs/design.md)"
        )));
        assert!(md.contains("[MDN](https://developer.mozilla.org/)"));
        assert!(md.contains("[below](#the-config)"));
    }

    #[test]
    fn a_readme_without_the_section_is_an_error() {
        let e = install_md("# cartlift\n\n## Other\n", "h", "x").unwrap_err();
        assert!(e.to_string().contains("Embed it in a store"), "{e}");
    }

    #[test]
    fn the_changelog_excerpt_is_the_unreleased_section_under_this_version() {
        let log = "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n### Added\n- A [thing](docs/a.md).\n\n\
            ## 2026-12-01: older\n\n- Old.\n";
        let ex = changelog_excerpt(log).unwrap();
        assert!(ex.contains(&format!("## {VERSION}\n")));
        assert!(ex.contains("### Added\n- A [thing]("));
        assert!(!ex.contains("Old."));
    }

    #[test]
    fn sums_list_every_file_sorted_but_themselves_in_sha256sums_format() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b")).unwrap();
        std::fs::write(dir.path().join("b/x.txt"), "x").unwrap();
        std::fs::write(dir.path().join("a.txt"), "").unwrap();
        std::fs::write(dir.path().join("SHA256SUMS"), "old").unwrap();
        assert_eq!(
            sha256sums(dir.path()).unwrap(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  a.txt\n\
             2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881  b/x.txt\n"
        );
    }

    #[test]
    fn the_archive_is_the_same_bytes_for_the_same_files_and_unpacks_with_modes() {
        let dir = tempfile::tempdir().unwrap();
        let release = dir.path().join("cartlift-9");
        std::fs::create_dir_all(release.join("bin")).unwrap();
        std::fs::write(release.join("bin/tool"), "#!/bin/sh\n").unwrap();
        std::fs::write(release.join("README"), "hi").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let tool = release.join("bin/tool");
            std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o775)).unwrap();
        }
        let (one, two) = (dir.path().join("1.tar.gz"), dir.path().join("2.tar.gz"));
        write_archive(&release, &one).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        write_archive(&release, &two).unwrap();
        assert_eq!(std::fs::read(&one).unwrap(), std::fs::read(&two).unwrap());
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(
            std::fs::File::open(&one).unwrap(),
        ));
        let entries: Vec<(String, u32)> = archive
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.path().unwrap().to_string_lossy().into_owned(),
                    e.header().mode().unwrap(),
                )
            })
            .collect();
        let tool_mode = if cfg!(unix) { 0o755 } else { 0o644 };
        assert_eq!(
            entries,
            [
                ("cartlift-9/README".to_owned(), 0o644),
                ("cartlift-9/bin/".to_owned(), 0o755),
                ("cartlift-9/bin/tool".to_owned(), tool_mode),
            ]
        );
    }
}
