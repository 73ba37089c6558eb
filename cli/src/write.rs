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
