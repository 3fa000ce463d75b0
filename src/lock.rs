//! One run per output directory: a lock file beside it, created atomically.
//!
//! The lock is `.<name>.nianbao.lock` in the output's parent (not inside the output,
//! which is replaced by a rename at the end of the run). It holds the pid of its owner.
//! A lock whose pid is no longer alive (a killed run) is taken over with a warning.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
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

/// A held lock; removed when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
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

    /// Takes the lock of output directory `out`. A stale lock (its pid is not alive) is
    /// taken over; `warn` is called with a message saying so.
    pub fn acquire(out: &Path, warn: impl Fn(&str)) -> Result<Lock, LockError> {
        let path = Lock::path_for(out);
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        for attempt in 0..2 {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    writeln!(file, "{}", std::process::id()).map_err(io)?;
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt == 0 => {
                    let pid = fs::read_to_string(&path).unwrap_or_default();
                    let pid = pid.trim().to_string();
                    if pid_alive(&pid) {
                        return Err(LockError::Held { path, pid });
                    }
                    warn(&format!(
                        "taking over the stale lock {} of pid {pid}, which is not running",
                        path.display()
                    ));
                    match fs::remove_file(&path) {
                        Ok(()) => {}
                        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                        Err(e) => return Err(io(e)),
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    // Someone else took it over between our removal and our creation.
                    let pid = fs::read_to_string(&path).unwrap_or_default();
                    return Err(LockError::Held {
                        path,
                        pid: pid.trim().to_string(),
                    });
                }
                Err(e) => return Err(io(e)),
            }
        }
        unreachable!("the loop returns on its second attempt")
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether process `pid` is alive. Where that cannot be told (not Linux), a lock is
/// assumed live. An empty file is a lock being written (its owner creates it, then
/// writes its pid), so it is live; any other unreadable pid is assumed dead.
fn pid_alive(pid: &str) -> bool {
    if pid.is_empty() {
        return true;
    }
    let Ok(pid) = pid.parse::<u32>() else {
        return false;
    };
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
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
        fs::write(Lock::path_for(&out), "999999999\n").unwrap();
        let warned = std::cell::Cell::new(false);
        let _lock = Lock::acquire(&out, |_| warned.set(true)).unwrap();
        assert!(warned.get());
    }
}
