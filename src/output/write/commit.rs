//! The output directory as a whole: written in a temporary directory beside the target
//! and moved into place at the end, so a reader never sees half an output.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::io::csv::write::CsvWriter;
use polars::io::SerWriter;
use polars::prelude::{DataFrame, PolarsError};

use super::csv::CsvFill;
use super::previous::{CarriedRange, PreviousTables};
use super::schema::{Format, Layout, DERIVED_TABLES, EXTRA_FILES, TABLES};
use super::table::{Message, TableThread, TableWriter, REPORTS_PER_MESSAGE};
use super::{io_err, WriteError};
use crate::model::Report;

/// Where a file is written before it is renamed to `path`: `.NAME.partial` beside it, so
/// a reader never sees half a file and a killed run leaves a name [`settled_name`] knows.
pub fn partial_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.partial"))
}

/// The file a [`partial_path`] name was to become (`.index.html.partial` →
/// `index.html`); any other name as it is.
pub fn settled_name(name: &str) -> &str {
    name.strip_prefix('.')
        .and_then(|n| n.strip_suffix(".partial"))
        .unwrap_or(name)
}

/// Replaces `path` with `bytes` by way of its [`partial_path`].
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let temp = partial_path(path);
    let mut file = File::create(&temp).map_err(io_err(&temp))?;
    io::Write::write_all(&mut file, bytes).map_err(io_err(&temp))?;
    file.sync_all().map_err(io_err(&temp))?;
    fs::rename(&temp, path).map_err(io_err(path))
}

/// Writes a whole frame as `dir/<name>.parquet` and/or `dir/<name>.csv` with the same
/// settings as the per-report tables. Each file is written beside its final name and
/// renamed into place, so a reader never sees half a file; returns the rows written.
pub fn write_whole(
    dir: &Path,
    name: &str,
    df: &mut DataFrame,
    formats: &[Format],
) -> Result<usize, WriteError> {
    for format in formats {
        let path = dir.join(format!("{name}.{}", format.extension()));
        let temp = partial_path(&path);
        let polars = |source| WriteError::Polars {
            path: path.clone(),
            source,
        };
        let mut file = File::create(&temp).map_err(io_err(&temp))?;
        match format {
            Format::Parquet => {
                super::table_parquet_writer(&mut file)
                    .finish(df)
                    .map_err(polars)?;
            }
            Format::Csv => {
                CsvWriter::new(&mut file)
                    .include_header(true)
                    .finish(df)
                    .map_err(polars)?;
            }
        }
        file.sync_all().map_err(io_err(&temp))?;
        fs::rename(&temp, &path).map_err(io_err(&path))?;
    }
    Ok(df.height())
}

/// Stacks frames of one schema into one single-chunk frame.
pub(super) fn concat(frames: Vec<DataFrame>) -> Result<DataFrame, PolarsError> {
    let mut frames = frames.into_iter();
    let mut df = frames.next().unwrap_or_default();
    for other in frames {
        df.vstack_mut_owned(other)?;
    }
    df.rechunk_mut();
    Ok(df)
}

/// The thread that copies the carried bytes the CSV files still lack once their tables'
/// threads are done ([`CsvFill`]), started by [`Output::finish_tables`] and waited for
/// before the output is committed: meanwhile the tables across reports are computed
/// from the Parquet files.
#[derive(Default)]
struct Filling {
    thread: Option<std::thread::JoinHandle<Result<(), WriteError>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Filling {
    fn start(&mut self, fills: Vec<CsvFill>) -> Result<(), WriteError> {
        let Some(path) = fills.first().map(|f| f.path.clone()) else {
            return Ok(());
        };
        debug_assert!(self.thread.is_none(), "the CSV files are filled once");
        let stop = Arc::clone(&self.stop);
        let thread = std::thread::Builder::new()
            .name("nianbao-write-csv-fill".into())
            .spawn(move || fills.into_iter().try_for_each(|fill| fill.fill(&stop)))
            .map_err(|source| WriteError::Io { path, source })?;
        self.thread = Some(thread);
        Ok(())
    }

    fn join(&mut self) -> Result<(), WriteError> {
        match self.thread.take().map(std::thread::JoinHandle::join) {
            None => Ok(()),
            Some(Ok(result)) => result,
            Some(Err(payload)) => std::panic::resume_unwind(payload),
        }
    }
}

impl Drop for Filling {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
            // Its error is not what the run is failing of.
            let _ = thread.join();
        }
    }
}

/// The output directory being written: open writers for every table and format, in a
/// temporary directory until [`Output::finish`].
pub struct Output {
    target: PathBuf,
    // Declared before `temp`, so dropped first: their threads are stopped and waited for
    // before the directory they write into is removed.
    tables: Vec<TableThread>,
    // Likewise: the thread copying carried CSV bytes is stopped and waited for.
    fills: Filling,
    // Removed on drop unless `finish` moved it into place: an error or a panic mid-run
    // leaves no temporary directory behind.
    temp: tempfile::TempDir,
    reports: usize,
    /// Reports not yet handed to the tables' threads.
    waiting: Vec<Report>,
    /// Per table, once finished: CSV bytes of each report handed over.
    csv_bytes: Vec<Vec<u64>>,
}

impl Output {
    /// Checks that `target` can be written (its parent exists and is writable) and can
    /// be replaced (it does not exist, or it is a directory holding only what nianbao
    /// writes), without creating anything.
    pub fn check_target(target: &Path) -> Result<(), WriteError> {
        let parent = parent_dir(target)?;
        // The only reliable test of writability is to try.
        tempfile::Builder::new()
            .prefix(".nianbao-check-")
            .tempfile_in(&parent)
            .map_err(io_err(&parent))?;
        check_replaceable(target)
    }

    /// Opens writers for every table in a new temporary directory beside `target`, in
    /// the single-file layout.
    pub fn create(target: &Path, formats: &[Format]) -> Result<Self, WriteError> {
        Output::create_with_layout(target, formats, Layout::Single)
    }

    /// Opens writers for every table in a new temporary directory beside `target`.
    pub fn create_with_layout(
        target: &Path,
        formats: &[Format],
        layout: Layout,
    ) -> Result<Self, WriteError> {
        Output::create_incremental(target, formats, layout, None)
    }

    /// Like [`Output::create_with_layout`], for a run that carries rows over from
    /// `previous` by reference ([`Output::write_range`]).
    pub fn create_incremental(
        target: &Path,
        formats: &[Format],
        layout: Layout,
        previous: Option<&PreviousTables>,
    ) -> Result<Self, WriteError> {
        if formats.is_empty() {
            return Err(WriteError::NoFormats);
        }
        let mut formats = formats.to_vec();
        formats.sort_by_key(|f| Format::ALL.iter().position(|a| a == f));
        formats.dedup();
        let target = std::path::absolute(target).map_err(io_err(target))?;
        check_replaceable(&target)?;
        let parent = parent_dir(&target)?;
        let temp = tempfile::Builder::new()
            .prefix(&temp_prefix(&target))
            .tempdir_in(&parent)
            .map_err(io_err(&parent))?;
        let tables = TABLES
            .iter()
            .enumerate()
            .map(|def| {
                TableThread::spawn(TableWriter::create(
                    def,
                    temp.path(),
                    &formats,
                    layout,
                    previous,
                )?)
            })
            .collect::<Result<_, _>>()?;
        Ok(Output {
            target,
            temp,
            tables,
            fills: Filling::default(),
            reports: 0,
            waiting: Vec::new(),
            csv_bytes: Vec::new(),
        })
    }

    /// The final output directory.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The temporary directory being written.
    pub fn temp_dir(&self) -> &Path {
        self.temp.path()
    }

    /// Appends reports to every table, in the order given. They are handed to the
    /// tables' threads a few hundred at a time, and dropped once every table is done.
    pub fn write(&mut self, reports: Vec<Report>) -> Result<(), WriteError> {
        self.reports += reports.len();
        if self.waiting.is_empty() {
            self.waiting = reports;
        } else {
            self.waiting.extend(reports);
        }
        if self.waiting.len() >= REPORTS_PER_MESSAGE {
            self.hand_over()?;
        }
        Ok(())
    }

    /// Hands the waiting reports to every table's thread.
    fn hand_over(&mut self) -> Result<(), WriteError> {
        if self.waiting.is_empty() {
            return Ok(());
        }
        let reports = Arc::new(std::mem::take(&mut self.waiting));
        for table in &mut self.tables {
            table.send(Message::Reports(Arc::clone(&reports)))?;
        }
        Ok(())
    }

    /// Appends rows of table `TABLES[table]` carried over from a previous output; they
    /// belong to one report of year `year`. Call once per table for each carried report
    /// and then [`Output::count_carried`].
    pub fn write_frame(
        &mut self,
        table: usize,
        year: Option<i32>,
        df: DataFrame,
    ) -> Result<(), WriteError> {
        // The reports before these rows go first.
        self.hand_over()?;
        self.tables[table].send(Message::Carried(year, df))
    }

    /// Appends the rows of a run of unchanged files, by reference to the previous
    /// output's files (see [`PreviousTables`]), to table `TABLES[table]`. Call
    /// [`Output::count_carried`] once per report of the run.
    pub fn write_range(&mut self, table: usize, carried: CarriedRange) -> Result<(), WriteError> {
        self.hand_over()?;
        self.tables[table].send(Message::CarriedRange(carried))
    }

    /// Counts one report whose rows were carried over with [`Output::write_frame`].
    pub fn count_carried(&mut self) {
        self.reports += 1;
    }

    /// Number of reports written so far.
    pub fn reports(&self) -> usize {
        self.reports
    }

    /// Writes an extra file (state, manifest) into the output directory.
    pub fn add_file(&self, name: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let path = self.temp.path().join(name);
        fs::write(&path, bytes).map_err(io_err(&path))
    }

    /// Finishes every table file; returns the rows written per table of [`TABLES`]. Call
    /// [`Output::commit`] next to move the output into place.
    pub fn finish_tables(&mut self) -> Result<Vec<usize>, WriteError> {
        self.hand_over()?;
        let mut tables = std::mem::take(&mut self.tables);
        // Every thread gets to its last rows before any is waited for.
        tables.iter_mut().for_each(TableThread::close);
        let written = tables
            .iter_mut()
            .map(TableThread::join)
            .collect::<Result<Vec<_>, _>>()?;
        let mut rows = Vec::with_capacity(written.len());
        let mut fills = Vec::new();
        for w in written {
            rows.push(w.rows);
            self.csv_bytes.push(w.csv_bytes);
            fills.extend(w.csv_fill);
        }
        self.fills.start(fills)?;
        Ok(rows)
    }

    /// After [`Output::finish_tables`], waits until the CSV files hold every byte (their
    /// carried bytes are copied on another thread, see [`CsvFill`]); before that, only
    /// the Parquet files may be read.
    pub fn wait_for_csv(&mut self) -> Result<(), WriteError> {
        self.fills.join()
    }

    /// After [`Output::finish_tables`], per table of [`TABLES`]: the CSV bytes of each
    /// report handed to [`Output::write`], in order (empty when CSV is not written). The
    /// incremental state records them to copy the rows next time.
    pub fn take_csv_bytes(&mut self) -> Vec<Vec<u64>> {
        std::mem::take(&mut self.csv_bytes)
    }

    /// Finishes every file and moves the temporary directory into place.
    pub fn finish(mut self) -> Result<PathBuf, WriteError> {
        self.finish_tables()?;
        self.commit()
    }

    /// Moves the temporary directory into place, replacing the previous output: the old
    /// directory is renamed away, the new one renamed in, then the old one removed. If
    /// the second rename fails the old one is put back.
    pub fn commit(mut self) -> Result<PathBuf, WriteError> {
        self.finish_tables()?;
        self.wait_for_csv()?;
        let temp_path = self.temp.path().to_path_buf();
        let target = self.target;
        check_replaceable(&target)?;
        let parent = parent_dir(&target)?;
        let old = if target.exists() {
            let old = parent.join(format!(
                ".{}.nianbao-old-{}",
                file_name(&target),
                std::process::id()
            ));
            if old.exists() {
                fs::remove_dir_all(&old).map_err(io_err(&old))?;
            }
            fs::rename(&target, &old).map_err(io_err(&target))?;
            Some(old)
        } else {
            None
        };
        if let Err(source) = fs::rename(&temp_path, &target) {
            if let Some(old) = &old {
                // Best effort: the previous output goes back where it was.
                let _ = fs::rename(old, &target);
            }
            return Err(WriteError::Io {
                path: target,
                source,
            });
        }
        // The temporary directory is now the output: do not let the guard delete it.
        let _ = self.temp.keep();
        if let Some(old) = old {
            fs::remove_dir_all(&old).map_err(io_err(&old))?;
        }
        Ok(target)
    }
}

/// The name prefix of the temporary directories of `target`'s runs.
fn temp_prefix(target: &Path) -> String {
    format!(".{}.nianbao-tmp-", file_name(target))
}

/// Removes temporary directories left beside `target` by killed runs. Only call it while
/// holding the output's lock, so that no live run's directory is removed.
pub fn remove_stale_temp_dirs(target: &Path) -> Result<usize, WriteError> {
    let target = std::path::absolute(target).map_err(io_err(target))?;
    let parent = parent_dir(&target)?;
    let prefixes = [
        temp_prefix(&target),
        format!(".{}.nianbao-old-", file_name(&target)),
    ];
    let mut removed = 0;
    for entry in fs::read_dir(&parent).map_err(io_err(&parent))? {
        let entry = entry.map_err(io_err(&parent))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| name.starts_with(p)) && entry.path().is_dir() {
            fs::remove_dir_all(entry.path()).map_err(io_err(&entry.path()))?;
            removed += 1;
        }
    }
    Ok(removed)
}
pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string())
}

/// The directory the output lives in (`.` for a bare name).
fn parent_dir(target: &Path) -> Result<PathBuf, WriteError> {
    let parent = match target.parent() {
        Some(p) if p.as_os_str().is_empty() => Path::new("."),
        Some(p) => p,
        None => {
            return Err(WriteError::NotOutput {
                path: target.to_path_buf(),
                reason: "it has no parent directory".into(),
            })
        }
    };
    if !parent.is_dir() {
        return Err(WriteError::Io {
            path: parent.to_path_buf(),
            source: io::Error::new(io::ErrorKind::NotFound, "parent directory does not exist"),
        });
    }
    Ok(parent.to_path_buf())
}

/// True for the names of the files [`Output`] writes.
fn is_output_file(name: &str) -> bool {
    TABLES
        .iter()
        .map(|t| t.name)
        .chain(DERIVED_TABLES)
        .any(|t| {
            Format::ALL
                .iter()
                .any(|f| name == format!("{t}.{}", f.extension()))
        })
}

fn check_replaceable(target: &Path) -> Result<(), WriteError> {
    let meta = match fs::symlink_metadata(target) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err(target)(e)),
    };
    let not_output = |reason: String| WriteError::NotOutput {
        path: target.to_path_buf(),
        reason,
    };
    if !meta.is_dir() {
        return Err(not_output("it is not a directory".into()));
    }
    for entry in fs::read_dir(target).map_err(io_err(target))? {
        let entry = entry.map_err(io_err(target))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let file_type = entry.file_type().map_err(io_err(target))?;
        // A `.NAME.partial` file is what a killed `nianbao stats` left of NAME.
        let settled = settled_name(&name);
        let ours = if file_type.is_file() {
            is_output_file(settled) || EXTRA_FILES.contains(&settled)
        } else {
            // A partitioned table.
            file_type.is_dir() && TABLES.iter().any(|t| t.name == name)
        };
        if !ours {
            return Err(not_output(format!(
                "it contains {name:?}, which nianbao did not write"
            )));
        }
    }
    Ok(())
}
