//! One run per output directory: an OS file lock on a file beside it.
//!
//! The lock file is `.<name>.nianbao.lock` in the output's parent (not inside the output,
//! which is replaced by a rename at the end of the run). The lock itself is the kernel's
//! (`File::try_lock`: `flock` on Unix, `LockFileEx` on Windows), so it is released when
//! its owner exits, however it exits, and no pid has to be trusted. The file holds the
//! owner's pid only for messages; a file left behind by a killed run is taken over with
//! a warning that names that pid.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LockError {
    /// Another live run holds the lock.
    #[error("another nianbao run (pid {pid}) is writing this output; lock file {path}")]
    Held {
        /// The lock file.
        path: PathBuf,
        /// The owner's pid, as written in the file.
        pid: String,
    },
    /// The lock file could not be created or read.
    #[error("cannot create lock file {path}")]
    Io {
        /// The lock file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
}

/// A held lock; released (and its file removed) when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    // Holding the open file holds the lock.
    _file: File,
}

impl Lock {
    /// The lock file of output directory `out`.
    pub fn path_for(out: &Path) -> PathBuf {
        let abs = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
        let name = abs
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let parent = abs.parent().unwrap_or(Path::new("."));
        parent.join(format!(".{name}.nianbao.lock"))
    }

    /// Takes the lock of output directory `out`. A lock file left by a run that is gone
    /// is taken over; `warn` is called with a message saying so.
    pub fn acquire(out: &Path, warn: impl Fn(&str)) -> Result<Lock, LockError> {
        let path = Lock::path_for(out);
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        // A holder that removes the file as it finishes can leave us locking a file no
        // longer at the path; then the path is tried again.
        for _ in 0..8 {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(io)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(LockError::Held {
                        pid: owner(&mut file),
                        path,
                    });
                }
                Err(fs::TryLockError::Error(e)) => return Err(io(e)),
            }
            if !same_file(&file, &path) {
                continue;
            }
            let previous = owner(&mut file);
            if !previous.is_empty() {
                warn(&format!(
                    "taking over the stale lock {} of pid {previous}, which is not running",
                    path.display()
                ));
            }
            file.set_len(0).map_err(io)?;
            file.seek(SeekFrom::Start(0)).map_err(io)?;
            writeln!(file, "{}", std::process::id()).map_err(io)?;
            file.flush().map_err(io)?;
            return Ok(Lock { path, _file: file });
        }
        Err(io(io::Error::other(
            "the lock file kept being replaced by other runs",
        )))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed before the file is closed (and the lock released), so a run that opens
        // the path afterwards creates a fresh file; see `same_file`.
        let _ = fs::remove_file(&self.path);
    }
}

/// The pid written in a lock file ("" when empty or unreadable).
fn owner(file: &mut File) -> String {
    let mut s = String::new();
    let _ = file.seek(SeekFrom::Start(0));
    let _ = file.read_to_string(&mut s);
    s.trim().to_string()
}

/// Whether `file` is still the file at `path`.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        // Windows does not let a file that is open be removed, so the race cannot occur.
        let _ = (file, path);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_acquire_refused_stale_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let lock = Lock::acquire(&out, |_| {}).unwrap();
        assert!(matches!(
            Lock::acquire(&out, |_| {}),
            Err(LockError::Held { .. })
        ));
        drop(lock);
        assert!(!Lock::path_for(&out).exists());
        // A killed run leaves its file, unlocked.
        fs::write(Lock::path_for(&out), "999999999\n").unwrap();
        let warned = std::cell::Cell::new(false);
        let _lock = Lock::acquire(&out, |_| warned.set(true)).unwrap();
        assert!(warned.get());
        assert!(matches!(
            Lock::acquire(&out, |_| {}),
            Err(LockError::Held { pid, .. }) if pid == std::process::id().to_string()
        ));
    }
}
