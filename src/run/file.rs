//! One listed file: reused from the previous run, or read and parsed (a parse that
//! panics, or a file over the size limit, becomes a `failed` report).

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use crate::discover::Entry;
use crate::model::{Finding, Kind, Report, Severity, Status, Table};
use crate::state::{self, FileState};

/// What to do with one listed file.
pub(super) enum Work {
    /// Unchanged since the previous run: carry over file `prev` of the previous state.
    Reuse { prev: usize, file: FileState },
    /// New or changed: its reports, just parsed.
    Parsed {
        reports: Vec<Report>,
        file: FileState,
    },
}

/// Decides whether an entry can be reused (same size and mtime, or else same hash, as
/// in the previous run) and parses it if not. Size and mtime are only trusted for an
/// mtime before `trusted_before` (well before the previous run started); a file changed
/// around then is hashed. Reads the file at most once.
pub(super) fn process(
    entry: &Entry,
    prev: Option<(usize, &FileState)>,
    trusted_before: u64,
) -> Work {
    let mut file = FileState {
        source_path: entry.relative.clone(),
        size: 0,
        mtime_ns: 0,
        hash: String::new(),
        reports: Vec::new(),
    };
    if entry.error.is_some() {
        return Work::Parsed {
            reports: read_entry(entry),
            file,
        };
    }
    let stat = state::stat(&entry.path);
    if let Some((size, mtime)) = stat {
        file.size = size;
        file.mtime_ns = mtime;
        if let Some(report) = over_size_limit(&entry.relative, size) {
            // Not read at all, so never hashed: the next run looks at it again.
            return Work::Parsed {
                reports: vec![report],
                file,
            };
        }
    }
    if let Some((i, p)) = prev {
        if !p.hash.is_empty() && stat == Some((p.size, p.mtime_ns)) && p.mtime_ns < trusted_before {
            file.hash = p.hash.clone();
            return Work::Reuse { prev: i, file };
        }
    }
    match fs::read(&entry.path) {
        Ok(bytes) => {
            file.hash = crate::report_id(&bytes);
            if let Some((i, p)) = prev {
                if p.hash == file.hash {
                    return Work::Reuse { prev: i, file };
                }
            }
            Work::Parsed {
                reports: parse_guarded(&bytes, &entry.relative, |b, path| {
                    crate::parse_file_hashed(b, path, &file.hash)
                }),
                file,
            }
        }
        Err(_) => Work::Parsed {
            reports: parse_path(&entry.path, &entry.relative),
            file,
        },
    }
}

/// Reads and parses one listed entry (several reports for an archive); never fails.
fn read_entry(entry: &Entry) -> Vec<Report> {
    if let Some(error) = &entry.error {
        return vec![failed_report(
            &entry.relative,
            0,
            "unreadable_entry",
            error.clone(),
        )];
    }
    parse_path(&entry.path, &entry.relative)
}

/// The `failed` report of a file over `--max-file-size`, decided from its size before
/// reading it.
fn over_size_limit(source_path: &str, size: u64) -> Option<Report> {
    let limit = crate::limits::get().file_bytes;
    (size > limit).then(|| {
        failed_report(
            source_path,
            size,
            "limit_exceeded",
            crate::too_large(size, limit),
        )
    })
}

/// Reads and parses one file, with `source_path` set to `source_path`. Never fails: a
/// file that cannot be read becomes a `failed` report with a `read_error` finding.
pub fn parse_path(path: &Path, source_path: &str) -> Vec<Report> {
    if let Some(report) = fs::metadata(path)
        .ok()
        .and_then(|meta| over_size_limit(source_path, meta.len()))
    {
        return vec![report];
    }
    let t = crate::timing::start();
    let read = fs::read(path);
    crate::timing::record(crate::timing::Stage::Load, t);
    match read {
        Ok(bytes) => parse_bytes(&bytes, source_path),
        Err(err) => {
            let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            vec![failed_report(
                source_path,
                size,
                "read_error",
                format!("cannot read file: {err}"),
            )]
        }
    }
}

/// Parses one file's bytes (several reports for an archive), catching a panic of the
/// parser: a panic becomes a `failed` report with a `parser_panic` finding.
pub fn parse_bytes(bytes: &[u8], source_path: &str) -> Vec<Report> {
    parse_guarded(bytes, source_path, crate::parse_file)
}

fn parse_guarded(
    bytes: &[u8],
    source_path: &str,
    parse: impl Fn(&[u8], &str) -> Vec<Report>,
) -> Vec<Report> {
    match panic::catch_unwind(AssertUnwindSafe(|| parse(bytes, source_path))) {
        Ok(reports) => reports,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            let mut report = failed_report(
                source_path,
                bytes.len() as u64,
                "parser_panic",
                format!("the parser panicked: {what}"),
            );
            report.report_id = crate::report_id(bytes);
            vec![report]
        }
    }
}

/// A `failed` report for a document that could not be read or parsed. Without bytes to
/// hash, its id is the hash of its relative path, so it is still stable across runs.
fn failed_report(source_path: &str, bytes: u64, check: &'static str, message: String) -> Report {
    Report {
        report_id: crate::report_id(source_path.as_bytes()),
        source_path: source_path.to_string(),
        format: "text",
        encoding: String::new(),
        bytes,
        kind: Kind::NotAReport,
        kind_evidence: None,
        template: None,
        title: None,
        page_meta: Default::default(),
        agency: None,
        year: None,
        published_date: None,
        placement: None,
        status: Status::Failed,
        proactive: Vec::new(),
        procurement: None,
        applications: Vec::new(),
        review_litigation: Vec::new(),
        findings: vec![Finding::new(Severity::Error, check, message).at(
            Table::Reports,
            None,
            None,
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_error_and_panic_become_failed_reports() {
        let dir = tempfile::tempdir().unwrap();
        let r = parse_path(&dir.path().join("vanished.txt"), "vanished.txt").remove(0);
        assert_eq!(r.status, Status::Failed);
        assert_eq!(r.source_path, "vanished.txt");
        assert_eq!(r.findings[0].check, "read_error");

        let r = parse_bytes(b"abc", "x/y.txt").remove(0);
        assert_eq!(r.source_path, "x/y.txt");
        assert_eq!(r.report_id, crate::report_id(b"abc"));

        fn explode(_: &[u8], _: &str) -> Vec<Report> {
            panic!("boom")
        }
        let default_hook = panic::take_hook();
        panic::set_hook(Box::new(|_| {}));
        let r = parse_guarded(b"abc", "bad.txt", explode).remove(0);
        panic::set_hook(default_hook);
        assert_eq!(r.status, Status::Failed);
        assert_eq!(r.source_path, "bad.txt");
        assert_eq!(r.report_id, crate::report_id(b"abc"));
        assert_eq!(r.bytes, 3);
        assert_eq!(r.findings[0].check, "parser_panic");
        assert!(r.findings[0].message.contains("boom"));
    }
}
