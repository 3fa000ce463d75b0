//! Stage 1: walk the corpus and list its files in a stable order.
//!
//! The order is the byte order of the `/`-separated path relative to the corpus root, so
//! the output tables are the same on every run and every machine. Hidden directories
//! (`.git`, `.cache`, …) are skipped. Symbolic links are never followed out of the tree:
//! a link to a file inside the corpus is listed under the link's own path, any other link
//! is ignored. An entry that cannot be read is listed with its error rather than stopping
//! the walk, so the run can record it as a failed report.

use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

/// One entry of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The path to open (the corpus root joined with the relative path).
    pub path: PathBuf,
    /// The path relative to the corpus root, `/`-separated.
    pub relative: String,
    /// Why the entry could not be listed, when it could not.
    pub error: Option<String>,
}

/// Lists the regular files under `root`, sorted by their relative path.
///
/// Never fails: an unreadable directory or a dangling link becomes an [`Entry`] whose
/// `error` says why.
pub fn discover(root: &Path) -> Vec<Entry> {
    // Resolved once, to decide whether a link points inside the tree.
    let canonical_root = root.canonicalize().ok();
    let mut entries = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| !(e.depth() > 0 && e.file_type().is_dir() && is_hidden(e.path())));
    for item in walker {
        match item {
            Ok(entry) => {
                let ft = entry.file_type();
                if ft.is_file() {
                    entries.push(file_entry(root, entry.path(), None));
                } else if ft.is_symlink() {
                    match entry.path().canonicalize() {
                        Ok(target) => {
                            let inside = canonical_root
                                .as_deref()
                                .is_some_and(|r| target.starts_with(r));
                            if inside && target.is_file() {
                                entries.push(file_entry(root, entry.path(), None));
                            }
                        }
                        Err(err) => entries.push(file_entry(
                            root,
                            entry.path(),
                            Some(format!("cannot resolve link: {err}")),
                        )),
                    }
                }
            }
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf());
                let message = match err.io_error() {
                    Some(io) => io.to_string(),
                    None => err.to_string(),
                };
                entries.push(file_entry(root, &path, Some(message)));
            }
        }
    }
    entries.sort_by(|a, b| a.relative.cmp(&b.relative));
    entries
}

fn file_entry(root: &Path, path: &Path, error: Option<String>) -> Entry {
    Entry {
        path: path.to_path_buf(),
        relative: relative_path(root, path),
        error,
    }
}

/// `path` relative to `root`, `/`-separated; the whole path when it is not under `root`.
fn relative_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn touch(root: &Path, rel: &str) {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(path, rel.as_bytes()).unwrap();
    }

    fn relatives(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.relative.as_str()).collect()
    }

    #[test]
    fn sorted_by_relative_path_with_slashes() {
        let dir = tempfile::tempdir().unwrap();
        for rel in ["b.txt", "a/z.txt", "a.txt", "a/b/c.txt", "省/年报.txt"] {
            touch(dir.path(), rel);
        }
        let entries = discover(dir.path());
        // Byte order of the relative path: '.' (0x2E) sorts before '/' (0x2F).
        assert_eq!(
            relatives(&entries),
            ["a.txt", "a/b/c.txt", "a/z.txt", "b.txt", "省/年报.txt"]
        );
        assert!(entries.iter().all(|e| e.error.is_none()));
        assert_eq!(
            entries[1].path,
            dir.path().join("a").join("b").join("c.txt")
        );
    }

    #[test]
    fn skips_hidden_directories_only() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), ".git/HEAD");
        touch(dir.path(), "x/.cache/y.txt");
        touch(dir.path(), "x/.note.txt");
        touch(dir.path(), "x/r.txt");
        assert_eq!(relatives(&discover(dir.path())), ["x/.note.txt", "x/r.txt"]);
    }

    #[test]
    fn empty_corpus() {
        let dir = tempfile::tempdir().unwrap();
        assert!(discover(dir.path()).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_kept_outside_ignored_dangling_recorded() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        touch(outside.path(), "secret.txt");
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "real.txt");
        symlink(
            dir.path().join("real.txt"),
            dir.path().join("inside_link.txt"),
        )
        .unwrap();
        symlink(
            outside.path().join("secret.txt"),
            dir.path().join("outside_link.txt"),
        )
        .unwrap();
        symlink(outside.path(), dir.path().join("outside_dir")).unwrap();
        symlink(
            dir.path().join("missing.txt"),
            dir.path().join("dangling.txt"),
        )
        .unwrap();
        let entries = discover(dir.path());
        assert_eq!(
            relatives(&entries),
            ["dangling.txt", "inside_link.txt", "real.txt"]
        );
        assert!(entries[0].error.is_some());
        assert!(entries[1].error.is_none());
    }
}
