//! Skipping build steps whose inputs have not changed.
//!
//! A [`Step`] names what it reads (files' bytes, a tool's version, its flags) and what it
//! writes. [`Step::run`] hashes the inputs (SHA-256) and skips the work when the step's stamp
//! (`<stamps>/<name>.json`, in `target/`) holds the same hash *and* every output still has the
//! bytes the step wrote: a changed input, flag or tool version runs the step again, and so
//! does a deleted, corrupted or extra output file. The stamp is removed before the step
//! runs and written only after it succeeded, so an interrupted step never looks done.

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One build step: its inputs, hashed as they are added, and its outputs.
#[derive(Debug)]
pub struct Step {
    name: String,
    inputs: Sha256,
    outputs: Vec<PathBuf>,
}

/// What [`Step::run`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ran {
    /// The work ran (no stamp, or something changed).
    Built,
    /// Inputs and outputs were as the stamp recorded: the work was skipped.
    Skipped,
}

/// What a stamp file records.
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Stamp {
    inputs: String,
    outputs: BTreeMap<String, String>,
}

impl Step {
    /// A step called `name` (unique among the steps sharing a stamp folder; it names the
    /// stamp file).
    pub fn new(name: &str) -> Step {
        let mut step = Step {
            name: name.to_owned(),
            inputs: Sha256::new(),
            outputs: Vec::new(),
        };
        step.hash_field(b"step", name.as_bytes());
        step
    }

    /// Every part is length-prefixed, so no two different lists of inputs hash the same
    /// bytes (`ab` + `c` vs `a` + `bc`).
    fn hash_field(&mut self, kind: &[u8], bytes: &[u8]) {
        for part in [kind, bytes] {
            self.inputs.update((part.len() as u64).to_le_bytes());
            self.inputs.update(part);
        }
    }

    /// A value the output depends on: a flag list, a tool's version.
    pub fn value(mut self, label: &str, value: impl AsRef<[u8]>) -> Step {
        self.hash_field(b"value", label.as_bytes());
        self.hash_field(b"bytes", value.as_ref());
        self
    }

    /// An input file or folder (every file under it, by path): its path and bytes.
    pub fn input(mut self, path: &Path) -> Result<Step> {
        for (file, digest) in hash_tree(path)? {
            self.hash_field(b"file", file.as_bytes());
            self.hash_field(b"sha256", digest.as_bytes());
        }
        Ok(self)
    }

    /// A file or folder the step writes.
    pub fn output(mut self, path: &Path) -> Step {
        self.outputs.push(path.to_owned());
        self
    }

    /// Runs `work` unless the stamp in `stamps` shows the same inputs and the outputs are
    /// as the step last wrote them; then records the new stamp.
    pub fn run(self, stamps: &Path, work: impl FnOnce() -> Result<()>) -> Result<Ran> {
        let file = stamps.join(format!("{}.json", self.name));
        let inputs = format!("{:x}", self.inputs.finalize());
        let recorded: Option<Stamp> = std::fs::read(&file)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok());
        if let Some(recorded) = recorded {
            if recorded.inputs == inputs && outputs(&self.outputs).ok() == Some(recorded.outputs) {
                eprintln!("{}: inputs unchanged, kept its output", self.name);
                return Ok(Ran::Skipped);
            }
        }
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("removing {}", file.display()));
            }
            _ => {}
        }
        work()?;
        let outputs = outputs(&self.outputs)
            .with_context(|| format!("reading what the step {} wrote", self.name))?;
        std::fs::create_dir_all(stamps)?;
        std::fs::write(
            &file,
            serde_json::to_vec_pretty(&Stamp { inputs, outputs })?,
        )
        .with_context(|| format!("writing {}", file.display()))?;
        Ok(Ran::Built)
    }
}

/// The SHA-256 of every file of every output; fails if one is missing.
fn outputs(paths: &[PathBuf]) -> Result<BTreeMap<String, String>> {
    let mut all = BTreeMap::new();
    for path in paths {
        all.extend(hash_tree(path)?);
    }
    Ok(all)
}

/// `path`'s SHA-256 if it is a file; if a folder, that of every file under it (sorted by
/// path, so the order the file system lists them in does not matter).
fn hash_tree(path: &Path) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    let meta = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if meta.is_dir() {
        let mut entries = std::fs::read_dir(path)
            .with_context(|| format!("reading {}", path.display()))?
            .map(|e| e.map(|e| e.path()))
            .collect::<std::io::Result<Vec<_>>>()?;
        entries.sort();
        for entry in entries {
            files.extend(hash_tree(&entry)?);
        }
    } else {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        files.insert(
            path.display().to_string(),
            format!("{:x}", Sha256::digest(&bytes)),
        );
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A step reading `input` and copying it to `output`, with `flag` as its one setting;
    /// returns what ran.
    fn copy(dir: &Path, flag: &str) -> Result<Ran> {
        let (input, output) = (dir.join("in.txt"), dir.join("out/out.txt"));
        Step::new("copy")
            .input(&input)?
            .value("flag", flag)
            .output(&dir.join("out"))
            .run(&dir.join("stamps"), || {
                std::fs::create_dir_all(output.parent().expect("out/"))?;
                std::fs::copy(&input, &output)?;
                Ok(())
            })
    }

    fn setup() -> Result<tempfile::TempDir> {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("in.txt"), "the input")?;
        assert_eq!(copy(dir.path(), "-O")?, Ran::Built);
        Ok(dir)
    }

    #[test]
    fn an_unchanged_step_is_skipped() -> Result<()> {
        let dir = setup()?;
        assert_eq!(copy(dir.path(), "-O")?, Ran::Skipped);
        assert_eq!(copy(dir.path(), "-O")?, Ran::Skipped);
        Ok(())
    }

    #[test]
    fn a_changed_input_byte_runs_the_step_again() -> Result<()> {
        let dir = setup()?;
        std::fs::write(dir.path().join("in.txt"), "the inpuT")?;
        assert_eq!(copy(dir.path(), "-O")?, Ran::Built);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("out/out.txt"))?,
            "the inpuT"
        );
        assert_eq!(copy(dir.path(), "-O")?, Ran::Skipped);
        Ok(())
    }

    #[test]
    fn a_changed_flag_or_tool_version_runs_the_step_again() -> Result<()> {
        let dir = setup()?;
        assert_eq!(copy(dir.path(), "-Oz")?, Ran::Built);
        assert_eq!(copy(dir.path(), "-Oz")?, Ran::Skipped);
        // The same bytes under another label are another input.
        let step = |label: &str| {
            Step::new("version")
                .value(label, "132")
                .output(&dir.path().join("in.txt"))
                .run(&dir.path().join("stamps"), || Ok(()))
        };
        assert_eq!(step("wasm-opt")?, Ran::Built);
        assert_eq!(step("wasm-opt")?, Ran::Skipped);
        assert_eq!(step("terser")?, Ran::Built);
        Ok(())
    }

    #[test]
    fn a_deleted_or_corrupted_output_runs_the_step_again() -> Result<()> {
        let dir = setup()?;
        let output = dir.path().join("out/out.txt");
        std::fs::remove_file(&output)?;
        assert_eq!(copy(dir.path(), "-O")?, Ran::Built);
        assert_eq!(std::fs::read_to_string(&output)?, "the input");
        std::fs::write(&output, "the inpux")?;
        assert_eq!(copy(dir.path(), "-O")?, Ran::Built);
        assert_eq!(std::fs::read_to_string(&output)?, "the input");
        // A file that appeared among a folder's outputs counts as a change too.
        std::fs::write(dir.path().join("out/stray.txt"), "")?;
        assert_eq!(copy(dir.path(), "-O")?, Ran::Built);
        Ok(())
    }

    #[test]
    fn a_missing_or_corrupt_stamp_runs_the_step_again() -> Result<()> {
        let dir = setup()?;
        let stamp = dir.path().join("stamps/copy.json");
        std::fs::write(&stamp, "{ not json")?;
        assert_eq!(copy(dir.path(), "-O")?, Ran::Built);
        std::fs::remove_file(&stamp)?;
        assert_eq!(copy(dir.path(), "-O")?, Ran::Built);
        assert_eq!(copy(dir.path(), "-O")?, Ran::Skipped);
        Ok(())
    }

    #[test]
    fn a_failed_step_leaves_no_stamp() -> Result<()> {
        let dir = setup()?;
        std::fs::write(dir.path().join("in.txt"), "changed")?;
        let failed = Step::new("copy")
            .input(&dir.path().join("in.txt"))?
            .value("flag", "-O")
            .output(&dir.path().join("out"))
            .run(&dir.path().join("stamps"), || {
                anyhow::bail!("the tool crashed")
            });
        assert!(failed.is_err());
        assert!(!dir.path().join("stamps/copy.json").exists());
        assert_eq!(copy(dir.path(), "-O")?, Ran::Built);
        Ok(())
    }

    #[test]
    fn a_step_that_writes_no_output_fails() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let ran = Step::new("nothing")
            .output(&dir.path().join("never-written"))
            .run(&dir.path().join("stamps"), || Ok(()));
        assert!(ran.is_err());
        Ok(())
    }
}
