//! Writing files so that a crash, a full disk or Ctrl-C never leaves a half-written or
//! lost file: write a temporary file next to the target, flush it to disk, then rename it
//! over the target (atomic on the same filesystem). A symlinked target is written through
//! (the link stays a link), the old file's permissions are kept, and with
//! [`keep_backups`] the replaced file is kept as `FILE.bak`. Devices and FIFOs are written
//! to, never replaced.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

static BACKUPS: AtomicBool = AtomicBool::new(false);

/// From now on, every file this process replaces is first kept as `FILE.bak`.
pub fn keep_backups() {
    BACKUPS.store(true, Ordering::Relaxed);
}

/// `path` with `.bak` appended to its file name.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Replaces `path` with `bytes` atomically.
pub fn atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    atomically_with(path, |file| file.write_all(bytes))
}

/// Replaces `path` with what `fill` writes, atomically. If `fill` fails, the target is
/// untouched and the temporary file removed.
pub fn atomically_with(
    path: &Path,
    fill: impl FnOnce(&mut io::BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    // Through a symlink to the file it names, so the link survives the rename.
    let resolved;
    let path = if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        resolved = fs::canonicalize(path)?;
        resolved.as_path()
    } else {
        path
    };
    // A device or FIFO (`-o /dev/null`, a named pipe): nothing to replace, and renaming
    // over it would swap the device for a regular file (as root, even /dev/null).
    if fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut out = io::BufWriter::new(fs::OpenOptions::new().write(true).open(path)?);
        fill(&mut out)?;
        return out.flush();
    }
    let old = fs::metadata(path).ok().filter(|m| m.is_file());
    let tmp = temp_path(path);
    let result = (|| {
        let mut out = io::BufWriter::new(File::create(&tmp)?);
        fill(&mut out)?;
        let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        if let Some(old) = &old {
            file.set_permissions(old.permissions())?;
        }
        file.sync_all()?;
        if old.is_some() && BACKUPS.load(Ordering::Relaxed) {
            let backup = backup_path(path);
            let staged = temp_path(&backup);
            fs::copy(path, &staged)?;
            fs::rename(&staged, &backup)?;
        }
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// A folder of many files (`cartlift shard`'s shards, `cartlift email`'s blocks), written
/// beside its target and swapped in when complete, so a crash or a full disk never leaves
/// a half-written set: the previous one stays until the new one is whole. Files in it are
/// not synced one by one (thousands of `fsync`s would dominate the run).
#[derive(Debug)]
pub struct Folder {
    out: PathBuf,
    staging: PathBuf,
    done: bool,
}

impl Folder {
    /// Starts writing `out`. An existing `out` must be a folder that `ours` says an
    /// earlier run of the command wrote (`what` names that output in the refusal):
    /// replacing any other folder would lose whatever it holds.
    pub fn stage(out: &Path, ours: impl Fn(&Path) -> bool, what: &str) -> anyhow::Result<Folder> {
        use anyhow::Context;
        if out.exists() {
            if !out.is_dir() {
                anyhow::bail!("{} exists and is not a folder", out.display());
            }
            if !ours(out) {
                anyhow::bail!(
                    "{} exists and is not an earlier {what}; choose another folder",
                    out.display()
                );
            }
        }
        let staging = sibling(out, "new")?;
        let _ = fs::remove_dir_all(&staging);
        fs::create_dir_all(&staging).with_context(|| format!("creating {}", staging.display()))?;
        Ok(Folder {
            out: out.to_path_buf(),
            staging,
            done: false,
        })
    }

    /// Writes `name` (a path relative to the folder) with `bytes`.
    pub fn write(&self, name: impl AsRef<Path>, bytes: &[u8]) -> io::Result<()> {
        let path = self.staging.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let mut file = io::BufWriter::new(File::create(path)?);
        file.write_all(bytes)?;
        file.flush()
    }

    /// Where the files are being written.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Puts the finished folder in the place of `out`; an earlier output is kept until
    /// the new one is in place, then removed.
    pub fn finish(mut self) -> anyhow::Result<()> {
        use anyhow::Context;
        let (staging, out) = (&self.staging, &self.out);
        if out.exists() {
            let old = sibling(out, "old")?;
            fs::rename(out, &old)
                .with_context(|| format!("moving the earlier {} aside", out.display()))?;
            if let Err(e) = fs::rename(staging, out) {
                let _ = fs::rename(&old, out);
                return Err(e)
                    .with_context(|| format!("putting the new {} in place", out.display()));
            }
            fs::remove_dir_all(&old)
                .with_context(|| format!("removing the earlier {}", old.display()))?;
        } else {
            fs::rename(staging, out)
                .with_context(|| format!("putting {} in place", out.display()))?;
        }
        self.done = true;
        Ok(())
    }
}

impl Drop for Folder {
    /// An unfinished folder is removed: the target keeps what it had.
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// `out` with `.label-PID` appended to its name, in the same parent folder.
fn sibling(out: &Path, label: &str) -> anyhow::Result<PathBuf> {
    let name = out
        .file_name()
        .ok_or_else(|| anyhow::anyhow!("{} has no folder name", out.display()))?;
    let mut name = name.to_os_string();
    name.push(format!(".{label}-{}", std::process::id()));
    Ok(out.with_file_name(name))
}

/// A CSV field (RFC 4180), quoted when it holds a delimiter, a quote or a line break.
pub fn csv_field(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = std::env::temp_dir().join(format!("cartlift-write-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let target = dir.join("config.json");
        atomically(&target, b"old").unwrap();
        let err = atomically_with(&target, |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(err.is_err());
        assert_eq!(fs::read(&target).unwrap(), b"old");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left behind"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_fifo_is_written_to_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = std::env::temp_dir().join(format!("cartlift-write-fifo-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            fs::remove_dir_all(&dir).unwrap();
            panic!("mkfifo is needed for this test");
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(fifo).unwrap())
        };
        atomically(&fifo, b"rules").unwrap();
        // Before joining: a replaced FIFO would leave the reader waiting forever.
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(reader.join().unwrap(), b"rules");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1, "no temporary file");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn writes_through_symlinks_keeps_permissions_and_backups() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("cartlift-write-ln-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let real = dir.join("real.json");
        atomically(&real, b"old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.join("config.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        keep_backups();
        atomically(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).unwrap(), b"new");
        assert_eq!(
            fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );
        assert_eq!(fs::read(backup_path(&real)).unwrap(), b"old");
        fs::remove_dir_all(&dir).unwrap();
    }
}
