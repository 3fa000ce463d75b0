//! One thread per table: rows arrive in output order, built from reports or carried over
//! from a previous output, and go to the table's Parquet files (one per partition) and
//! CSV file.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use polars::io::parquet::write::BatchedWriter;
use polars::prelude::{
    DataFrame, DataType, IntoColumn, NewChunkedArray, PolarsError, StringChunked,
};

use super::commit::concat;
use super::csv::{CsvFill, CsvSink, CSV_BUFFER};
use super::previous::{self, link_or_copy, CarriedRange, PreviousTable, PreviousTables};
use super::rows::Rows;
use super::schema::{parquet_path, Format, Layout, TableDef};
use super::{io_err, table_parquet_writer, WriteError, ROW_GROUP_ROWS};
use crate::model::Report;

/// The partition of a Parquet file: everything (single layout) or one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Part {
    All,
    Year(Option<i32>),
}

/// One open Parquet file and the rows waiting to become its next row group.
struct ParquetSink {
    pub(super) path: PathBuf,
    pub(super) writer: BatchedWriter<io::BufWriter<File>>,
    pub(super) sync: File,
    pending: Vec<DataFrame>,
    pub(super) rows: usize,
}

impl ParquetSink {
    pub(super) fn create(path: PathBuf, def: &TableDef) -> Result<Self, WriteError> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        let file = File::create(&path).map_err(io_err(&path))?;
        // A second handle on the same file, to fsync it once the writer is done.
        let sync = file.try_clone().map_err(io_err(&path))?;
        let writer = table_parquet_writer(file)
            // Each table has its own encoder thread already; polars' pool on top only
            // added hand-offs (the bytes are the same either way).
            .set_parallel(false)
            .batched(&def.schema())
            .map_err(|source| WriteError::Polars {
                path: path.clone(),
                source,
            })?;
        Ok(ParquetSink {
            path,
            writer,
            sync,
            pending: Vec::new(),
            rows: 0,
        })
    }

    pub(super) fn push(&mut self, df: DataFrame) -> Result<(), WriteError> {
        self.rows += df.height();
        self.pending.push(df);
        if self.rows >= ROW_GROUP_ROWS {
            self.write()?;
        } else if self.pending.len() >= MAX_PENDING_FRAMES {
            let joined = concat(std::mem::take(&mut self.pending)).and_then(compact);
            let joined = joined.map_err(|source| WriteError::Polars {
                path: self.path.clone(),
                source,
            })?;
            self.pending.push(joined);
        }
        Ok(())
    }

    /// Writes the pending rows as one row group.
    pub(super) fn write(&mut self) -> Result<(), WriteError> {
        if self.rows == 0 {
            return Ok(());
        }
        let path = &self.path;
        let polars = |source| WriteError::Polars {
            path: path.clone(),
            source,
        };
        let df = concat(std::mem::take(&mut self.pending)).map_err(polars)?;
        self.rows = 0;
        self.writer.write_batch(&df).map_err(polars)
    }

    pub(super) fn finish(mut self) -> Result<(), WriteError> {
        self.write()?;
        self.writer.finish().map_err(|source| WriteError::Polars {
            path: self.path.clone(),
            source,
        })?;
        drop(self.writer);
        self.sync.sync_all().map_err(io_err(&self.path))
    }
}

/// Frames a Parquet file holds before they are joined into one. A partition that gets a
/// few rows at each flush would otherwise keep a frame per flush until it has a row
/// group's worth, often until the end of the run, each frame's string columns with a
/// block of at least 8 KiB: memory that grew with the corpus.
const MAX_PENDING_FRAMES: usize = 32;

/// `df` with its string columns copied into buffers of their own, so that the frames it
/// was joined from are freed (joining keeps their buffers by reference). Its other
/// columns were copied by the join.
fn compact(df: DataFrame) -> Result<DataFrame, PolarsError> {
    let height = df.height();
    let columns = df
        .columns()
        .iter()
        .map(|c| match c.dtype() {
            DataType::String => {
                let s = c.str()?;
                Ok(StringChunked::from_iter_options(s.name().clone(), s.iter()).into_column())
            }
            _ => Ok(c.clone()),
        })
        .collect::<Result<Vec<_>, PolarsError>>()?;
    DataFrame::new(height, columns)
}

/// What the writer hands to a table's thread, in output order.
pub(super) enum Message {
    /// Reports, shared by the six tables' threads.
    Reports(Arc<Vec<Report>>),
    /// Rows of the table carried over from a previous output, of one report of a year.
    Carried(Option<i32>, DataFrame),
    /// Rows of the table carried over by reference to the previous output's files.
    CarriedRange(CarriedRange),
}

/// Reports gathered before they are handed to the tables' threads: one hand-off per
/// chunk of a run rather than per file.
pub(super) const REPORTS_PER_MESSAGE: usize = 256;

/// Messages queued for a table's thread before the writer waits: bounds the reports held
/// in memory, and lets the next messages be gathered while these are written.
const QUEUE: usize = 2;

/// One table's thread, which builds the table's columns from the reports it is handed
/// and encodes them into the table's files ([`TableWriter`]). The six tables are built
/// and encoded side by side, each from the same ordered stream, so every file receives
/// its rows in order and cut at the same points whatever the number of threads.
///
/// Dropped before [`TableThread::join`] (an error or a panic of the run), the thread stops at
/// its next message and is waited for, so that nothing is still writing into the
/// temporary directory when that is removed.
pub(super) struct TableThread {
    pub(super) tx: Option<SyncSender<Message>>,
    thread: Option<JoinHandle<Result<Written, WriteError>>>,
    abort: Arc<AtomicBool>,
    pub(super) dir: PathBuf,
}

impl TableThread {
    pub(super) fn spawn(mut writer: TableWriter) -> Result<Self, WriteError> {
        let (tx, rx) = sync_channel::<Message>(QUEUE);
        let abort = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&abort);
        let dir = writer.files.dir.clone();
        let thread = std::thread::Builder::new()
            .name(format!("nianbao-write-{}", writer.rows.def.name))
            .spawn(move || {
                for message in rx {
                    if stop.load(Ordering::Relaxed) {
                        return Ok(Written::default());
                    }
                    let t = crate::timing::start();
                    match message {
                        Message::Reports(reports) => {
                            for report in reports.iter() {
                                writer.add(report)?;
                            }
                        }
                        Message::Carried(year, df) => writer.add_frame(year, df)?,
                        Message::CarriedRange(range) => writer.add_range(range)?,
                    }
                    crate::timing::record(crate::timing::Stage::Write, t);
                }
                if stop.load(Ordering::Relaxed) {
                    return Ok(Written::default());
                }
                let t = crate::timing::start();
                let written = writer.finish()?;
                crate::timing::record(crate::timing::Stage::Write, t);
                Ok(written)
            })
            .map_err(io_err(&dir))?;
        Ok(TableThread {
            tx: Some(tx),
            thread: Some(thread),
            abort,
            dir,
        })
    }

    pub(super) fn send(&mut self, message: Message) -> Result<(), WriteError> {
        if self.tx.as_ref().is_some_and(|tx| tx.send(message).is_ok()) {
            return Ok(());
        }
        // The thread is gone: it stopped on an error, which joining returns.
        self.close();
        self.join()?;
        Err(WriteError::Io {
            path: self.dir.clone(),
            source: io::Error::other("the table's writer thread stopped"),
        })
    }

    /// No more messages: the thread finishes its files once its queue is empty.
    pub(super) fn close(&mut self) {
        self.tx = None;
    }

    /// Waits for the thread; what it wrote.
    pub(super) fn join(&mut self) -> Result<Written, WriteError> {
        match self.thread.take().map(JoinHandle::join) {
            None => Ok(Written::default()),
            Some(Ok(result)) => result,
            Some(Err(payload)) => std::panic::resume_unwind(payload),
        }
    }
}

impl Drop for TableThread {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            self.abort.store(true, Ordering::Relaxed);
            self.tx = None;
            // Its error (or panic) is not what the run is failing of.
            let _ = thread.join();
        }
    }
}

/// One table, on its thread. Rows arrive in output order, either built from reports or
/// carried over as frames from a previous output. CSV is written in that order as the
/// rows come; for Parquet, once [`ROW_GROUP_ROWS`] rows are pending they go to the
/// Parquet file of their partition, which writes a row group when it has that many.
pub(super) struct TableWriter {
    pub(super) layout: Layout,
    pub(super) rows: Rows,
    /// Frames for Parquet waiting to be written, in output order within each partition.
    segments: Vec<(Part, DataFrame)>,
    pending: usize,
    pub(super) written: usize,
    files: TableFiles,
    /// The previous output's files of this table, in an incremental build.
    pub(super) previous: Option<PreviousTable>,
    /// Partitions that so far received only the previous file's first rows, in order
    /// (how many): they are linked as they are unless something else arrives.
    lazy: BTreeMap<Part, usize>,
    /// Partitions that received anything else, so are written.
    started: BTreeSet<Part>,
    /// CSV bytes of each report handed over (not carried), in order.
    pub(super) csv_bytes: Vec<u64>,
}

/// What a table's thread wrote.
#[derive(Debug, Default)]
pub(super) struct Written {
    pub(super) rows: usize,
    /// CSV bytes of each report it was handed, in order (empty without CSV).
    pub(super) csv_bytes: Vec<u64>,
    /// Carried bytes its CSV file still lacks.
    pub(super) csv_fill: Option<CsvFill>,
}

impl TableWriter {
    pub(super) fn create(
        (index, def): (usize, &'static TableDef),
        dir: &Path,
        formats: &[Format],
        layout: Layout,
        previous: Option<&PreviousTables>,
    ) -> Result<Self, WriteError> {
        // With a previous output of the same layout the single file may be linked, so it
        // is not created up front (`finish` creates it if nothing else did).
        let linkable = previous.is_some_and(|p| p.layout == layout);
        Ok(TableWriter {
            layout,
            rows: Rows::new(def, formats),
            segments: Vec::new(),
            pending: 0,
            written: 0,
            files: TableFiles::create(def, dir, formats, layout, !linkable)?,
            previous: previous.map(|p| PreviousTable::new(def, index, p.clone())),
            lazy: BTreeMap::new(),
            started: BTreeSet::new(),
            csv_bytes: Vec::new(),
        })
    }

    fn year_of(part: Part) -> Option<i32> {
        match part {
            Part::All => None,
            Part::Year(y) => y,
        }
    }

    /// Rows carried over by reference: CSV bytes are copied; Parquet rows extend a
    /// partition that can still be linked, or are decoded and written.
    fn add_range(&mut self, carried: CarriedRange) -> Result<(), WriteError> {
        self.take_rows()?;
        if let Some(csv) = &mut self.files.csv {
            let (Some(range), Some(previous)) = (carried.csv, &self.previous) else {
                return Err(WriteError::Io {
                    path: csv.path.clone(),
                    source: io::Error::other("rows carried over without their CSV bytes"),
                });
            };
            csv.carry(&previous.csv_path(), range)?;
        }
        if !self.files.parquet {
            return Ok(());
        }
        for (year, range) in carried.parts {
            if range.is_empty() {
                continue;
            }
            let part = self.part(year);
            let same_layout = self
                .previous
                .as_ref()
                .is_some_and(|p| p.layout() == self.layout);
            let next = self.lazy.get(&part).copied();
            if same_layout && !self.started.contains(&part) && next.unwrap_or(0) == range.start {
                self.lazy.insert(part, range.end);
                continue;
            }
            self.materialise(part)?;
            self.started.insert(part);
            // Decoded a window at a time, so a long run never sits in memory whole.
            let mut start = range.start;
            while start < range.end {
                let end = range.end.min(start + previous::WINDOW_ROWS);
                let Some(previous) = &mut self.previous else {
                    break;
                };
                let df = previous.rows(year, start..end)?;
                self.pending += df.height();
                self.segments.push((part, df));
                start = end;
                if self.pending >= ROW_GROUP_ROWS {
                    self.flush()?;
                }
            }
        }
        self.maybe_flush()
    }

    /// Ends partition `part`'s wait to be linked: the previous rows it was given are
    /// decoded and written to its file before anything else.
    fn materialise(&mut self, part: Part) -> Result<(), WriteError> {
        let Some(n) = self.lazy.remove(&part) else {
            return Ok(());
        };
        let Some(previous) = &mut self.previous else {
            return Ok(());
        };
        let year = Self::year_of(part);
        let mut start = 0;
        while start < n {
            let end = n.min(start + previous::WINDOW_ROWS);
            let df = previous.rows(year, start..end)?;
            self.written += df.height();
            self.files.sink(part)?.push(df)?;
            start = end;
        }
        Ok(())
    }

    fn part(&self, year: Option<i32>) -> Part {
        match self.layout {
            Layout::Single => Part::All,
            Layout::Partitioned => Part::Year(year),
        }
    }

    fn add(&mut self, report: &Report) -> Result<(), WriteError> {
        let part = self.part(report.year.as_ref().map(|y| y.value));
        self.rows.select(part);
        let before = self.rows.len;
        let csv_before = self.rows.csv.as_ref().map_or(0, Vec::len);
        (self.rows.def.rows)(report, &mut self.rows);
        let added = self.rows.len - before;
        if let Some(text) = &self.rows.csv {
            self.csv_bytes.push((text.len() - csv_before) as u64);
        }
        if added > 0 {
            if self.files.parquet && self.started.insert(part) {
                // The partition's earlier rows (carried, not yet decoded) go first: they
                // go straight to its file, these new rows later.
                self.materialise(part)?;
            }
            self.pending += added;
        }
        // CSV text goes out in blocks that stay in cache, not a row group's worth.
        if let (Some(csv), Some(text)) = (&mut self.files.csv, &mut self.rows.csv) {
            if text.len() >= CSV_BUFFER {
                csv.write_text(text)?;
                text.clear();
            }
        }
        self.maybe_flush()
    }

    /// Appends rows carried over from a previous output (they belong to one report of
    /// year `year`).
    fn add_frame(&mut self, year: Option<i32>, df: DataFrame) -> Result<(), WriteError> {
        if df.height() == 0 {
            return Ok(());
        }
        self.take_rows()?;
        if let Some(csv) = &mut self.files.csv {
            csv.write(&df)?;
        }
        self.pending += df.height();
        if self.files.parquet {
            let part = self.part(year);
            if self.started.insert(part) {
                self.materialise(part)?;
            }
            self.segments.push((part, df));
        }
        self.maybe_flush()
    }

    fn maybe_flush(&mut self) -> Result<(), WriteError> {
        if self.pending >= ROW_GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the buffered rows' CSV text, and moves their frames (one per partition)
    /// into `segments`.
    fn take_rows(&mut self) -> Result<(), WriteError> {
        if let (Some(csv), Some(text)) = (&mut self.files.csv, &mut self.rows.csv) {
            if !text.is_empty() {
                csv.write_text(text)?;
                text.clear();
            }
        }
        if self.rows.len == 0 {
            return Ok(());
        }
        let frames = self.rows.take().map_err(|source| WriteError::Polars {
            path: PathBuf::from(self.rows.def.name),
            source,
        })?;
        self.segments.extend(frames);
        Ok(())
    }

    /// Writes every pending row.
    fn flush(&mut self) -> Result<(), WriteError> {
        self.take_rows()?;
        self.written += self.pending;
        self.pending = 0;
        for (part, df) in std::mem::take(&mut self.segments) {
            self.files.sink(part)?.push(df)?;
        }
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<Written, WriteError> {
        self.flush()?;
        for (part, n) in std::mem::take(&mut self.lazy) {
            let year = Self::year_of(part);
            let whole = self.previous.as_ref().is_some_and(|p| p.file(year).1 == n);
            if whole {
                if let Some(previous) = &self.previous {
                    let from = previous.check_rows(year)?;
                    let to = parquet_path(&self.files.dir, self.layout, self.rows.def.name, year);
                    link_or_copy(&from, &to)?;
                    self.files.linked.insert(part);
                    self.written += n;
                }
            } else {
                // Files at its end are gone: what is left is written anew.
                self.lazy.insert(part, n);
                self.materialise(part)?;
            }
        }
        let csv_fill = self.files.finish()?;
        Ok(Written {
            rows: self.written,
            csv_bytes: self.csv_bytes,
            csv_fill,
        })
    }
}

/// The files of one table.
struct TableFiles {
    pub(super) def: &'static TableDef,
    pub(super) dir: PathBuf,
    pub(super) layout: Layout,
    pub(super) parquet: bool,
    sinks: BTreeMap<Part, ParquetSink>,
    /// Partitions linked from the previous output.
    pub(super) linked: BTreeSet<Part>,
    pub(super) csv: Option<CsvSink>,
}

impl TableFiles {
    /// Creates the files every run has (on the caller's thread, so that a directory that
    /// cannot be written fails the run before anything is parsed).
    pub(super) fn create(
        def: &'static TableDef,
        dir: &Path,
        formats: &[Format],
        layout: Layout,
        single_up_front: bool,
    ) -> Result<Self, WriteError> {
        let mut sinks = BTreeMap::new();
        let parquet = formats.contains(&Format::Parquet);
        if parquet && layout == Layout::Single && single_up_front {
            // Created up front so that an empty table still has a file with its schema.
            let path = parquet_path(dir, layout, def.name, None);
            sinks.insert(Part::All, ParquetSink::create(path, def)?);
        }
        let csv = if formats.contains(&Format::Csv) {
            // With Parquet beside it, the stages after the tables read the Parquet files,
            // so the CSV file's carried bytes may be copied while they run.
            let defer = parquet;
            Some(CsvSink::create(
                dir.join(format!("{}.csv", def.name)),
                def,
                defer,
            )?)
        } else {
            None
        };
        Ok(TableFiles {
            def,
            dir: dir.to_path_buf(),
            layout,
            parquet,
            sinks,
            linked: BTreeSet::new(),
            csv,
        })
    }

    /// The Parquet file of partition `part`, created on its first rows.
    pub(super) fn sink(&mut self, part: Part) -> Result<&mut ParquetSink, WriteError> {
        Ok(match self.sinks.entry(part) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                let year = match part {
                    Part::All => None,
                    Part::Year(y) => y,
                };
                let path = parquet_path(&self.dir, self.layout, self.def.name, year);
                e.insert(ParquetSink::create(path, self.def)?)
            }
        })
    }

    pub(super) fn finish(&mut self) -> Result<Option<CsvFill>, WriteError> {
        let fill = match self.csv.take() {
            Some(csv) => csv.finish()?,
            None => None,
        };
        if self.parquet && self.layout == Layout::Single && !self.linked.contains(&Part::All) {
            // An empty table still has a file with its schema.
            self.sink(Part::All)?;
        }
        if self.parquet
            && self.layout == Layout::Partitioned
            && self.sinks.is_empty()
            && self.linked.is_empty()
        {
            // So has a partitioned one, in the partition of no year: `scan_parquet` of the
            // table's directory (the stages across reports', a user's) then reads an
            // empty table instead of failing on a directory that is not there.
            self.sink(Part::Year(None))?;
        }
        for sink in std::mem::take(&mut self.sinks).into_values() {
            sink.finish()?;
        }
        Ok(fill)
    }
}

#[cfg(test)]
mod tests {
    use super::super::rows::{Value, TEST_TABLE as T};
    use super::*;

    fn frame(from: i64, n: i64) -> DataFrame {
        let mut rows = Rows::new(&T, &[Format::Parquet]);
        for i in from..from + n {
            let s = format!("{i:0>40}");
            rows.push(&[("s", Value::Str(Some(&s))), ("i", Value::I64(Some(i)))]);
        }
        rows.take().unwrap().remove(0).1
    }

    // A file given a few rows at a time joins them into one frame instead of keeping a
    // frame per push (each with a string block of at least 8 KiB: 20,000 three-row frames
    // took 123 MB); what it writes is every row, in order.
    #[test]
    fn a_partition_of_few_rows_holds_them_compactly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let mut sink = ParquetSink::create(path.clone(), &T).unwrap();
        let mut all = Vec::new();
        for k in 0..1_000 {
            let df = frame(k * 3, 3);
            all.push(df.clone());
            sink.push(df).unwrap();
            assert!(sink.pending.len() < MAX_PENDING_FRAMES);
        }
        sink.finish().unwrap();
        use polars::prelude::{ParquetReader, SerReader};
        let written = ParquetReader::new(File::open(&path).unwrap())
            .finish()
            .unwrap();
        let expected = concat(all).unwrap();
        assert!(written.equals_missing(&expected));
    }
}
