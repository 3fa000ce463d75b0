//! The tables of a previous output, as an incremental build reuses them.
//!
//! A nightly run mostly finds the files of the night before unchanged. Their rows are
//! not decoded and encoded again where that can be avoided:
//!
//! - **CSV**: a run of unchanged files is one byte range of the previous CSV file (rows
//!   are written in file order, and the state records each report's CSV bytes), copied
//!   as it is.
//! - **Parquet**: a partition (a year, or the whole table in the single layout) that
//!   receives only the previous file's rows, all of them and in their order, *is* that
//!   file: it is linked into the new output instead of being written again. Until
//!   something else arrives for it, a partition only counts the rows it has been given
//!   ([`TableWriter`](super::TableWriter)'s `lazy` map); the first new row, or a gap left
//!   by a deleted file, makes it decode what it had been given and go on as usual.
//!
//! So the cost of a run is the files that changed plus the partitions they touch, and
//! the output is the same as a full build's (`tests/incremental.rs` compares them).

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use polars::prelude::DataFrame;

use super::{io_err, parquet_path, Layout, TableDef, WriteError};

/// Rows decoded at once from a previous Parquet file.
pub(crate) const WINDOW_ROWS: usize = 64 * 1024;

/// What a run needs to know of the previous output it reuses rows from.
#[derive(Debug, Clone)]
pub struct PreviousTables {
    /// The previous output directory.
    pub dir: PathBuf,
    /// Its layout; partitions are linked only when it is the run's.
    pub layout: Layout,
    /// Per table of [`super::TABLES`]: rows of each previous Parquet file, by year (the
    /// single layout's one file under `None`); empty when it had no Parquet.
    pub parquet_rows: Vec<BTreeMap<Option<i32>, usize>>,
}

/// Rows of one table carried over from the previous output for a run of unchanged
/// files, by reference.
#[derive(Debug, Clone, Default)]
pub struct CarriedRange {
    /// Rows of each previous Parquet file (by year; `None` in the single layout), each a
    /// contiguous range because rows are written in file order.
    pub parts: Vec<(Option<i32>, Range<usize>)>,
    /// Bytes of the previous CSV file, when CSV is written.
    pub csv: Option<Range<u64>>,
}

/// Rows `lo..lo + df.height()` of one previous Parquet file.
struct Window {
    lo: usize,
    df: DataFrame,
}

/// One table's previous files, read forward.
pub(super) struct PreviousTable {
    def: &'static TableDef,
    tables: PreviousTables,
    index: usize,
    windows: BTreeMap<Option<i32>, Window>,
}

impl PreviousTable {
    pub(super) fn new(def: &'static TableDef, index: usize, tables: PreviousTables) -> Self {
        PreviousTable {
            def,
            tables,
            index,
            windows: BTreeMap::new(),
        }
    }

    pub(super) fn layout(&self) -> Layout {
        self.tables.layout
    }

    /// The previous Parquet file of `year` and its rows.
    pub(super) fn file(&self, year: Option<i32>) -> (PathBuf, usize) {
        let key = match self.tables.layout {
            Layout::Single => None,
            Layout::Partitioned => year,
        };
        let rows = self
            .tables
            .parquet_rows
            .get(self.index)
            .and_then(|m| m.get(&key))
            .copied()
            .unwrap_or(0);
        let path = parquet_path(&self.tables.dir, self.tables.layout, self.def.name, key);
        (path, rows)
    }

    /// Rows `range` of the previous Parquet file of `year`, decoded a window at a time
    /// (ranges must come in increasing order per file).
    pub(super) fn rows(
        &mut self,
        year: Option<i32>,
        range: Range<usize>,
    ) -> Result<DataFrame, WriteError> {
        let (path, _) = self.file(year);
        let (start, len) = (range.start, range.len());
        let covered = self
            .windows
            .get(&year)
            .is_some_and(|w| w.lo <= start && start + len <= w.lo + w.df.height());
        if !covered {
            let df = crate::dataset::read_rows(&path, start, len.max(WINDOW_ROWS))
                .map_err(|e| short(&path, &e.to_string()))?;
            if df.height() < len {
                return Err(short(&path, "it has fewer rows than the state file says"));
            }
            self.windows.insert(year, Window { lo: start, df });
        }
        let w = &self.windows[&year];
        Ok(w.df.slice((start - w.lo) as i64, len))
    }

    /// Checks that the previous Parquet file of `year` holds the rows the state says,
    /// before it is linked into the new output as it is.
    pub(super) fn check_rows(&self, year: Option<i32>) -> Result<PathBuf, WriteError> {
        let (path, rows) = self.file(year);
        let found = crate::dataset::count_rows(&path).map_err(|e| short(&path, &e.to_string()))?;
        if found != rows {
            return Err(short(
                &path,
                &format!("it has {found} rows where the state file says {rows}"),
            ));
        }
        Ok(path)
    }

    /// The previous CSV file of the table.
    pub(super) fn csv_path(&self) -> PathBuf {
        self.tables.dir.join(format!("{}.csv", self.def.name))
    }
}

/// Links `from` (a file of a previous output) at `to`, or copies it where links are not
/// possible. Output files are only ever replaced, never changed in place, so the two
/// outputs can share the file.
pub(crate) fn link_or_copy(from: &Path, to: &Path) -> Result<(), WriteError> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    fs::copy(from, to).map_err(io_err(to))?;
    // A copy is new data, synced like every file the run writes before it is committed
    // (a link is the previous output's file, synced when that was written).
    fs::File::open(to)
        .and_then(|f| f.sync_all())
        .map_err(io_err(to))
}

pub(super) fn short(path: &Path, why: &str) -> WriteError {
    WriteError::Io {
        path: path.to_path_buf(),
        source: io::Error::other(format!(
            "cannot reuse the previous output's rows: {why}; run with --full"
        )),
    }
}
