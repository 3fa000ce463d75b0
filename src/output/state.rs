//! Incremental builds: what a run remembers of its files, and how a later run carries
//! the rows of unchanged files over from the previous tables instead of parsing again.
//!
//! Each output directory holds `state.json`: per file (in output order) its path, size,
//! mtime and content hash, and per report of the file its year (its partition) and how
//! many rows it has in each table. A nightly run stats every file and hashes only those
//! whose size or mtime changed; a file whose hash and the parser version are unchanged
//! is reused. Because rows are written in file order, a report's rows are a contiguous
//! range of its partition's file in every table, found by prefix sums of the row counts
//! ([`Source`]), and read back from Parquet a window at a time (memory stays bounded).
//!
//! The same machinery merges shard outputs (`crate::merge`): each shard is a [`Source`].

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use polars::prelude::DataFrame;
use serde::{Deserialize, Serialize};

use crate::model::{Report, Severity};
use crate::write::{
    csv_header, parquet_path, row_counts, CarriedRange, Layout, Output, PreviousTables, WriteError,
    TABLES,
};

/// The name of the state file in an output directory.
pub const STATE_FILE: &str = "state.json";
/// The name of the manifest in an output directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// Rows read at once from a previous table when carrying rows over.
const WINDOW_ROWS: usize = 64 * 1024;

/// Errors reading a previous output.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// A file could not be read.
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The state file is not valid.
    #[error("cannot parse {path}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: serde_json::Error,
    },
    /// A previous table could not be read.
    #[error("cannot carry rows over from {path}")]
    Polars {
        /// The table file.
        path: PathBuf,
        /// The underlying error.
        source: crate::dataset::DatasetError,
    },
    /// A previous table has fewer rows than its state says.
    #[error("{path} has fewer rows than {STATE_FILE} says; run with --full")]
    Short {
        /// The table file.
        path: PathBuf,
    },
    /// Writing the carried rows failed.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// The state of one output directory.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    /// [`crate::PARSER_VERSION`] of the run that wrote it.
    pub parser_version: u32,
    /// [`crate::write::SCHEMA_VERSION`] of the run that wrote it.
    pub schema_version: u32,
    /// The Parquet layout of the tables.
    pub layout: Layout,
    /// Whether the tables were written as Parquet (rows are carried over from Parquet).
    pub parquet: bool,
    /// Whether the tables were written as CSV (with [`ReportState::csv_bytes`], rows are
    /// carried over as bytes of the CSV files).
    #[serde(default)]
    pub csv: bool,
    /// When the run that wrote it started, nanoseconds since the Unix epoch. A file whose
    /// mtime is this close to it may have changed again within the file system's mtime
    /// granularity, so it is hashed rather than trusted (the "racy mtime" problem).
    #[serde(default)]
    pub started_ns: u64,
    /// How the tables across reports beside it were computed; `None` when unknown (an
    /// older state, or a `stats` run that stopped part-way), and they are then never
    /// reused.
    #[serde(default)]
    pub derived_with: Option<DerivedWith>,
    /// Every file, in output order.
    pub files: Vec<FileState>,
}

/// What the tables across reports depend on besides the per-report tables: an
/// incremental build whose per-report tables are the previous output's, row for row,
/// reuses the previous tables across reports when this is the same.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivedWith {
    /// The version of nianbao that computed them (the code of `link` and `aggregate`;
    /// between releases, a change to them bumps `PARSER_VERSION`).
    pub nianbao_version: String,
    /// The thresholds of the cross-year checks.
    pub link: crate::link::Options,
}

impl DerivedWith {
    /// This nianbao, with thresholds `link`.
    pub fn now(link: crate::link::Options) -> Self {
        DerivedWith {
            nianbao_version: env!("CARGO_PKG_VERSION").to_string(),
            link,
        }
    }
}

/// What a run remembers of one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileState {
    /// Path relative to the corpus root (the reports' `source_path`).
    pub source_path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: u64,
    /// `report_id` of the whole file's bytes; empty when the file could not be read (it
    /// is then never reused).
    pub hash: String,
    /// Its reports, in order (several for a zip archive).
    pub reports: Vec<ReportState>,
}

/// What a run remembers of one report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportState {
    /// The report's year (its partition).
    pub year: Option<i32>,
    /// Kind code, for the summary.
    pub kind: String,
    /// Status code, for the summary.
    pub status: String,
    /// Findings by severity: error, warning, info.
    pub findings: [usize; 3],
    /// Rows in each table of [`TABLES`].
    pub rows: [usize; 6],
    /// How many of the report's tables were lost (`table_missing` errors), for the
    /// summary line.
    #[serde(default)]
    pub tables_lost: usize,
    /// Bytes of the report's rows in each table's CSV file; `None` when unknown (no CSV
    /// written, or a state from before they were recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv_bytes: Option<[u64; 6]>,
}

impl ReportState {
    /// What to remember of `report`.
    pub fn of(report: &Report) -> Self {
        ReportState {
            year: report.year.as_ref().map(|y| y.value),
            kind: report.kind.code().to_string(),
            status: report.status.code().to_string(),
            findings: [Severity::Error, Severity::Warning, Severity::Info].map(|s| report.count(s)),
            rows: row_counts(report),
            tables_lost: report.tables_lost(),
            csv_bytes: None,
        }
    }
}

/// How close to a run's start an mtime must be to be distrusted: coarser than any common
/// file system's timestamp granularity (FAT: 2 s).
pub const RACY_MTIME_NS: u64 = 3_000_000_000;

/// Now, nanoseconds since the Unix epoch.
pub fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// Size and modification time of a file, as recorded in [`FileState`].
pub fn stat(path: &Path) -> Option<(u64, u64)> {
    let meta = fs::metadata(path).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((meta.len(), u64::try_from(mtime).unwrap_or(u64::MAX)))
}

impl State {
    /// Reads the state of output directory `dir`; `None` when there is none (no previous
    /// run, or one older than incremental builds).
    pub fn load(dir: &Path) -> Result<Option<State>, StateError> {
        let path = dir.join(STATE_FILE);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(StateError::Io { path, source }),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|source| StateError::Json { path, source })
    }

    /// The state as written to [`STATE_FILE`].
    pub fn to_json(&self) -> Vec<u8> {
        // Plain data: serialising it cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// A previous output whose rows can be carried over.
pub struct Source {
    dir: PathBuf,
    /// Its state.
    pub state: State,
    /// Per file, per report: the first row of each table within its partition's file.
    starts: Vec<Vec<[usize; 6]>>,
    windows: HashMap<(usize, Option<i32>), Window>,
    /// Rows of each previous Parquet file, per table, by partition year.
    totals: Vec<std::collections::BTreeMap<Option<i32>, usize>>,
    /// Per file (and one past the last): where its rows start in each CSV file, when
    /// every report's CSV bytes are known and the files have the size they add up to.
    csv_starts: Option<Vec<[u64; 6]>>,
    /// Whether runs of files are carried by reference ([`Output::write_range`]) rather
    /// than as decoded frames.
    by_reference: bool,
}

/// Rows `lo..lo + df.height()` of one previous table file.
struct Window {
    lo: usize,
    df: DataFrame,
}

impl Source {
    /// A source over output directory `dir` with state `state`; `None` when its rows
    /// cannot be carried over (no Parquet tables).
    pub fn new(dir: &Path, state: State) -> Option<Source> {
        if !state.parquet {
            return None;
        }
        Some(Source::open(dir, state))
    }

    /// A source for an incremental build writing `layout` with Parquet and/or CSV:
    /// carried by reference to the previous files where those can be reused as they
    /// are, else as decoded frames; `None` when neither is possible (a full build).
    pub fn for_build(
        dir: &Path,
        state: State,
        layout: Layout,
        parquet: bool,
        csv: bool,
    ) -> Option<Source> {
        let mut source = Source::open(dir, state);
        let parquet_ok = !parquet || (source.state.parquet && source.state.layout == layout);
        let csv_ok = !csv || source.csv_starts.is_some();
        source.by_reference = parquet_ok && csv_ok;
        (source.by_reference || source.state.parquet).then_some(source)
    }

    /// What the new output's writers need to reuse this output's files, when runs are
    /// carried by reference.
    pub fn previous_tables(&self) -> Option<PreviousTables> {
        self.by_reference.then(|| PreviousTables {
            dir: self.dir.clone(),
            layout: self.state.layout,
            parquet_rows: if self.state.parquet {
                self.totals.clone()
            } else {
                Vec::new()
            },
        })
    }

    fn open(dir: &Path, state: State) -> Source {
        let mut next: HashMap<(usize, Option<i32>), usize> = HashMap::new();
        let starts = state
            .files
            .iter()
            .map(|f| {
                f.reports
                    .iter()
                    .map(|r| {
                        let year = match state.layout {
                            Layout::Single => None,
                            Layout::Partitioned => r.year,
                        };
                        std::array::from_fn(|t| {
                            let n = next.entry((t, year)).or_default();
                            let start = *n;
                            *n += r.rows[t];
                            start
                        })
                    })
                    .collect()
            })
            .collect();
        let mut totals = vec![std::collections::BTreeMap::new(); TABLES.len()];
        for ((t, year), n) in next {
            totals[t].insert(year, n);
        }
        let csv_starts = csv_starts(dir, &state);
        Source {
            dir: dir.to_path_buf(),
            state,
            starts,
            windows: HashMap::new(),
            totals,
            csv_starts,
            by_reference: false,
        }
    }

    /// Appends the rows of file `file` (an index into `state.files`) to `output`. Files
    /// must be carried in increasing order, as the windows only move forward.
    pub fn carry(&mut self, file: usize, output: &mut Output) -> Result<(), StateError> {
        let layout = self.state.layout;
        let reports: Vec<(Option<i32>, [usize; 6])> = self.state.files[file]
            .reports
            .iter()
            .map(|r| (r.year, r.rows))
            .collect();
        for (r, (year, rows)) in reports.into_iter().enumerate() {
            let part = match layout {
                Layout::Single => None,
                Layout::Partitioned => year,
            };
            for (t, &len) in rows.iter().enumerate() {
                if len == 0 {
                    continue;
                }
                let start = self.starts[file][r][t];
                let df = self.rows(t, part, start, len)?;
                output.write_frame(t, year, df)?;
            }
            output.count_carried();
        }
        Ok(())
    }

    /// Appends the rows of the consecutive files `first..=last` to `output`, one slice per
    /// table in the single layout (per-report slices cost more than the copying itself
    /// when most files are unchanged); file by file in the partitioned layout, where a
    /// run of files spreads over several partitions.
    pub fn carry_run(
        &mut self,
        first: usize,
        last: usize,
        output: &mut Output,
    ) -> Result<(), StateError> {
        if self.by_reference {
            return self.carry_by_reference(first, last, output);
        }
        if self.state.layout == Layout::Partitioned || first == last {
            return (first..=last).try_for_each(|f| self.carry(f, output));
        }
        for t in 0..TABLES.len() {
            let len: usize = self.state.files[first..=last]
                .iter()
                .flat_map(|f| f.reports.iter())
                .map(|r| r.rows[t])
                .sum();
            if len == 0 {
                continue;
            }
            let start = self.starts[first][0][t];
            let df = self.rows(t, None, start, len)?;
            output.write_frame(t, None, df)?;
        }
        for f in first..=last {
            for _ in &self.state.files[f].reports {
                output.count_carried();
            }
        }
        Ok(())
    }

    /// Hands the rows of files `first..=last` to `output` as ranges of the previous files:
    /// per table, one range of rows per partition and one range of CSV bytes.
    fn carry_by_reference(
        &mut self,
        first: usize,
        last: usize,
        output: &mut Output,
    ) -> Result<(), StateError> {
        for t in 0..TABLES.len() {
            let mut parts: std::collections::BTreeMap<Option<i32>, std::ops::Range<usize>> =
                std::collections::BTreeMap::new();
            for f in first..=last {
                for (r, report) in self.state.files[f].reports.iter().enumerate() {
                    let len = report.rows[t];
                    if len == 0 {
                        continue;
                    }
                    let year = match self.state.layout {
                        Layout::Single => None,
                        Layout::Partitioned => report.year,
                    };
                    let start = self.starts[f][r][t];
                    // Rows of one partition within consecutive files are consecutive.
                    parts
                        .entry(year)
                        .and_modify(|range| range.end = start + len)
                        .or_insert(start..start + len);
                }
            }
            let csv = self
                .csv_starts
                .as_ref()
                .map(|s| s[first][t]..s[last + 1][t])
                .filter(|range| !range.is_empty());
            if parts.is_empty() && csv.is_none() {
                continue;
            }
            let carried = CarriedRange {
                parts: parts.into_iter().collect(),
                csv,
            };
            output.write_range(t, carried)?;
        }
        for f in first..=last {
            for _ in &self.state.files[f].reports {
                output.count_carried();
            }
        }
        Ok(())
    }

    /// Rows `start..start + len` of table `t`, partition `part`.
    fn rows(
        &mut self,
        t: usize,
        part: Option<i32>,
        start: usize,
        len: usize,
    ) -> Result<DataFrame, StateError> {
        let path = parquet_path(&self.dir, self.state.layout, TABLES[t].name, part);
        let window = self.windows.get(&(t, part));
        let covered = window.is_some_and(|w| w.lo <= start && start + len <= w.lo + w.df.height());
        if !covered {
            let df = crate::dataset::read_rows(&path, start, len.max(WINDOW_ROWS)).map_err(
                |source| StateError::Polars {
                    path: path.clone(),
                    source,
                },
            )?;
            if df.height() < len {
                return Err(StateError::Short { path });
            }
            self.windows.insert((t, part), Window { lo: start, df });
        }
        let w = &self.windows[&(t, part)];
        Ok(w.df.slice((start - w.lo) as i64, len))
    }
}

/// Where each file's rows start in the previous CSV files (one entry past the last
/// file: the ends), when CSV was written, every report's bytes are recorded and each file
/// has the size they add up to; `None` otherwise (rows are then re-encoded from Parquet).
fn csv_starts(dir: &Path, state: &State) -> Option<Vec<[u64; 6]>> {
    if !state.csv {
        return None;
    }
    let mut next: [u64; 6] = std::array::from_fn(|t| csv_header(&TABLES[t]).len() as u64);
    let mut starts = Vec::with_capacity(state.files.len() + 1);
    for file in &state.files {
        starts.push(next);
        for report in &file.reports {
            let bytes = report.csv_bytes?;
            for t in 0..TABLES.len() {
                next[t] += bytes[t];
            }
        }
    }
    starts.push(next);
    let sizes_match = TABLES.iter().zip(next).all(|(def, end)| {
        fs::metadata(dir.join(format!("{}.csv", def.name))).is_ok_and(|m| m.len() == end)
    });
    sizes_match.then_some(starts)
}

/// Whether [`backfill_csv_bytes`] would read the CSV files: some report of a state with
/// CSV lacks its CSV bytes.
pub fn needs_csv_backfill(state: &State) -> bool {
    state.csv
        && !state
            .files
            .iter()
            .flat_map(|f| &f.reports)
            .all(|r| r.csv_bytes.is_some())
}

/// Records the CSV bytes of every report of `state` that lacks them, from the CSV files
/// of `dir` (written in the state's file order): a state from before they were recorded
/// gets them on its first incremental run, which then copies by reference again.
pub fn backfill_csv_bytes(dir: &Path, state: &mut State) -> Result<(), StateError> {
    if !needs_csv_backfill(state) {
        return Ok(());
    }
    let mut ends: Vec<Vec<u64>> = Vec::with_capacity(TABLES.len());
    for def in &TABLES {
        let path = dir.join(format!("{}.csv", def.name));
        let bytes = fs::read(&path).map_err(|source| StateError::Io { path, source })?;
        ends.push(csv_row_ends(&bytes));
    }
    let mut next = [0usize; 6];
    for report in state.files.iter_mut().flat_map(|f| f.reports.iter_mut()) {
        let mut bytes = [0u64; 6];
        for t in 0..TABLES.len() {
            // Row k ends at ends[t][k]; ends[t][0] is the header's end.
            let (a, b) = (next[t], next[t] + report.rows[t]);
            let (Some(&start), Some(&end)) = (ends[t].get(a), ends[t].get(b)) else {
                // Fewer rows than the state says: leave them unknown.
                return Ok(());
            };
            bytes[t] = end - start;
            next[t] = b;
        }
        report.csv_bytes.get_or_insert(bytes);
    }
    Ok(())
}

/// Where each line of a CSV file ends (one past its `\n`), newlines inside quoted fields
/// not counted.
fn csv_row_ends(bytes: &[u8]) -> Vec<u64> {
    let mut ends = Vec::new();
    let mut quoted = false;
    for i in memchr::memchr2_iter(b'"', b'\n', bytes) {
        if bytes[i] == b'"' {
            quoted = !quoted;
        } else if !quoted {
            ends.push(i as u64 + 1);
        }
    }
    ends
}

/// What a run did with its files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Files whose rows were carried over.
    pub reused: usize,
    /// Files parsed.
    pub parsed: usize,
    /// Files of the previous run that are gone.
    pub removed: usize,
}

/// `manifest.json`: what an output directory holds and how it was made.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// Version of nianbao.
    pub nianbao_version: &'static str,
    /// [`crate::PARSER_VERSION`] (or its override).
    pub parser_version: u32,
    /// [`crate::write::SCHEMA_VERSION`].
    pub schema_version: u32,
    /// When the run finished, UTC, ISO 8601.
    pub run_time: String,
    /// The corpus root as given (for a merge: the merged directories).
    pub corpus_root: String,
    /// `single` or `partitioned`.
    pub layout: Layout,
    /// Formats written.
    pub formats: Vec<String>,
    /// `I/N` when the run processed one shard.
    pub shard: Option<String>,
    /// Rows per table.
    pub tables: std::collections::BTreeMap<String, usize>,
    /// Files reused, parsed, removed.
    pub files: Counts,
}

impl Manifest {
    /// The manifest as written to [`MANIFEST_FILE`].
    pub fn to_json(&self) -> Vec<u8> {
        let mut json = serde_json::to_vec_pretty(self).unwrap_or_default();
        json.push(b'\n');
        json
    }
}

/// The current time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_utc() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_row_ends_skip_quoted_newlines() {
        let text = b"a,b\n1,\"x\ny\"\n2,\"say \"\"hi\"\"\"\n";
        assert_eq!(csv_row_ends(text), vec![4, 12, 27]);
    }

    #[test]
    fn utc_timestamp_shape() {
        let t = now_utc();
        assert_eq!(t.len(), 20, "{t}");
        assert!(t.starts_with("20") && t.ends_with('Z'), "{t}");
    }
}
