//! Stage 8: stream reports into the output tables, as Parquet and CSV.
//!
//! This module is the one place that owns the output schema ([`TABLES`]) and the writer
//! settings (zstd, statistics, row-group size, CSV dialect). Reports arrive in ordered
//! chunks ([`Output::write`]) and are handed to one thread per table. Each thread puts the
//! cells straight into typed column builders (Arrow arrays through polars), which become
//! a data frame and a Parquet row group whenever [`ROW_GROUP_ROWS`] rows have piled up,
//! and writes the same cells as CSV text in the same pass; so memory stays bounded
//! whatever the size of the corpus, and the six tables are written side by side (see
//! `docs/performance.md`, "The writer").
//!
//! Everything is written into a temporary directory beside the output directory and only
//! [`Output::finish`] moves it into place, so an interrupted or failed run leaves the
//! previous output as it was and never a half-written one.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use polars::io::csv::write::CsvWriter;
use polars::io::parquet::write::{
    BatchedWriter, ParquetCompression, ParquetWriter, StatisticsOptions,
};
use polars::io::SerWriter;
use polars::prelude::{
    ChunkedBuilder, Column, DataFrame, DataType, Field, Float64Type, Int32Type, Int64Type,
    IntoColumn, PolarsDataType, PolarsError, PrimitiveChunkedBuilder, Schema, Series,
    StringChunkedBuilder, StringType,
};

use crate::model::{Report, Sourced};
use crate::templates::APPLICATION_ROWS;

mod previous;
use previous::{link_or_copy, PreviousTable};
pub use previous::{CarriedRange, PreviousTables};

/// Rows buffered per table (per partition) before they are written as one Parquet row
/// group. See `docs/performance.md` for the measurement behind the choice.
pub const ROW_GROUP_ROWS: usize = 64 * 1024;

/// The version of the output schema ([`TABLES`]), recorded in `manifest.json`. Bump it
/// whenever a table or column is added, removed, renamed or retyped.
pub const SCHEMA_VERSION: u32 = 3;

/// Files other than the tables that an output directory holds.
pub const EXTRA_FILES: [&str; 2] = ["state.json", "manifest.json"];

/// An output file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Apache Parquet, zstd-compressed, with column statistics.
    Parquet,
    /// Comma-separated values, UTF-8, with a header line; null is the empty field.
    Csv,
}

impl Format {
    /// Every format, in the order files are listed.
    pub const ALL: [Format; 2] = [Format::Parquet, Format::Csv];

    /// The file extension (and the name used on the command line).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Parquet => "parquet",
            Format::Csv => "csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for Format {
    type Err = WriteError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| WriteError::UnknownFormat(s.to_string()))
    }
}

/// Errors of the writers.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// A format name that is neither `parquet` nor `csv`.
    #[error("unknown output format {0:?} (expected parquet or csv)")]
    UnknownFormat(String),
    /// No format was selected.
    #[error("no output format selected")]
    NoFormats,
    /// A file system operation failed.
    #[error("{path}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// Polars failed to encode or write a table.
    #[error("cannot write {path}")]
    Polars {
        /// The file being written.
        path: PathBuf,
        /// The underlying error.
        source: PolarsError,
    },
    /// The output path exists and holds something nianbao did not write; it is never
    /// replaced, so a mistyped `--out` cannot delete a user's directory.
    #[error("refusing to replace {path}: {reason}")]
    NotOutput {
        /// The output path.
        path: PathBuf,
        /// What was found there.
        reason: String,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The type of an output column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// UTF-8 text.
    Str,
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 64-bit float.
    F64,
}

impl ColumnType {
    fn dtype(self) -> DataType {
        match self {
            ColumnType::Str => DataType::String,
            ColumnType::I32 => DataType::Int32,
            ColumnType::I64 => DataType::Int64,
            ColumnType::F64 => DataType::Float64,
        }
    }
}

/// One output table: its file stem and its columns, in order. Every column is nullable.
#[derive(Debug)]
pub struct TableDef {
    /// File stem: the table is written as `<name>.parquet` and `<name>.csv`.
    pub name: &'static str,
    /// Column names and types, in file order.
    pub columns: &'static [(&'static str, ColumnType)],
    rows: fn(&Report, &mut Rows),
}

impl TableDef {
    /// The Polars schema of the table.
    pub fn schema(&self) -> Schema {
        self.columns
            .iter()
            .map(|(name, ty)| Field::new((*name).into(), ty.dtype()))
            .collect()
    }
}

use ColumnType::{Str, F64, I32, I64};

/// The output tables, in the order they are written.
pub static TABLES: [TableDef; 6] = [
    TableDef {
        name: "reports",
        columns: &[
            ("report_id", Str),
            ("source_path", Str),
            ("format", Str),
            ("encoding", Str),
            ("bytes", I64),
            ("kind", Str),
            ("kind_evidence", Str),
            ("template", Str),
            ("agency", Str),
            ("agency_source", Str),
            ("agency_normalised", Str),
            ("division_code", Str),
            ("province", Str),
            ("prefecture", Str),
            ("county", Str),
            ("level", Str),
            ("agency_kind", Str),
            ("division_evidence", Str),
            ("year", I32),
            ("year_source", Str),
            ("published_date", Str),
            ("published_date_source", Str),
            ("status", Str),
            ("n_findings", I64),
            ("n_errors", I64),
            ("n_warnings", I64),
            ("title", Str),
            ("page_meta_title", Str),
            ("page_meta_article_title", Str),
            ("page_meta_pub_date", Str),
            ("page_meta_site_name", Str),
            ("page_meta_column_name", Str),
            ("page_meta_content_source", Str),
        ],
        rows: report_rows,
    },
    TableDef {
        name: "applications",
        columns: &[
            ("report_id", Str),
            ("row", Str),
            ("category", Str),
            ("applicant", Str),
            ("value", I64),
            ("source_line", I64),
        ],
        rows: application_rows,
    },
    TableDef {
        name: "proactive",
        columns: &[
            ("report_id", Str),
            ("item", Str),
            ("measure", Str),
            ("value", F64),
            ("unit", Str),
            ("source_line", I64),
        ],
        rows: proactive_rows,
    },
    TableDef {
        name: "procurement",
        columns: &[
            ("report_id", Str),
            ("items", I64),
            ("amount_yuan", F64),
            ("amount_raw", Str),
            ("source_line", I64),
        ],
        rows: procurement_rows,
    },
    TableDef {
        name: "review_litigation",
        columns: &[
            ("report_id", Str),
            ("proceeding", Str),
            ("outcome", Str),
            ("value", I64),
            ("source_line", I64),
        ],
        rows: review_rows,
    },
    TableDef {
        name: "findings",
        columns: &[
            ("report_id", Str),
            ("severity", Str),
            ("check", Str),
            ("table", Str),
            ("row", Str),
            ("column", Str),
            ("expected", Str),
            ("actual", Str),
            ("message", Str),
            ("source_line", I64),
        ],
        rows: finding_rows,
    },
];

/// One cell handed to [`Rows::push`].
enum Value<'a> {
    Str(Option<&'a str>),
    I32(Option<i32>),
    I64(Option<i64>),
    F64(Option<f64>),
}

fn line(l: Option<u32>) -> Value<'static> {
    Value::I64(l.map(i64::from))
}

fn count(n: usize) -> Value<'static> {
    Value::I64(Some(i64::try_from(n).unwrap_or(i64::MAX)))
}

fn source<T>(s: &Option<Sourced<T>>) -> Value<'static> {
    Value::Str(s.as_ref().map(|s| s.source.code()))
}

fn report_rows(r: &Report, out: &mut Rows) {
    use crate::model::Severity;
    let p = r.placement.as_ref();
    out.push(&[
        Value::Str(Some(&r.report_id)),
        Value::Str(Some(&r.source_path)),
        Value::Str(Some(r.format)),
        Value::Str(Some(&r.encoding)),
        Value::I64(Some(i64::try_from(r.bytes).unwrap_or(i64::MAX))),
        Value::Str(Some(r.kind.code())),
        Value::Str(r.kind_evidence),
        Value::Str(r.template.map(|t| t.code())),
        Value::Str(r.agency.as_ref().map(|a| a.value.as_str())),
        source(&r.agency),
        Value::Str(p.map(|p| p.normalised.as_str())),
        Value::Str(p.and_then(|p| p.division_code.as_deref())),
        Value::Str(p.and_then(|p| p.province.as_deref())),
        Value::Str(p.and_then(|p| p.prefecture.as_deref())),
        Value::Str(p.and_then(|p| p.county.as_deref())),
        Value::Str(p.and_then(|p| p.level)),
        Value::Str(p.map(|p| p.kind)),
        Value::Str(p.map(|p| p.evidence.as_str())),
        Value::I32(r.year.as_ref().map(|y| y.value)),
        source(&r.year),
        Value::Str(r.published_date.as_ref().map(|d| d.value.as_str())),
        source(&r.published_date),
        Value::Str(Some(r.status.code())),
        count(r.findings.len()),
        count(r.count(Severity::Error)),
        count(r.count(Severity::Warning)),
        Value::Str(r.title.as_deref()),
        Value::Str(r.page_meta.title.as_deref()),
        Value::Str(r.page_meta.article_title.as_deref()),
        Value::Str(r.page_meta.pub_date.as_deref()),
        Value::Str(r.page_meta.site_name.as_deref()),
        Value::Str(r.page_meta.column_name.as_deref()),
        Value::Str(r.page_meta.content_source.as_deref()),
    ]);
}

fn application_rows(r: &Report, out: &mut Rows) {
    // A row's cells come together (one per applicant): its category is looked up once.
    let mut last: Option<(&str, Option<&'static str>)> = None;
    for c in &r.applications {
        let category = match last {
            Some((row, category)) if row == c.row => category,
            _ => {
                let category = APPLICATION_ROWS
                    .iter()
                    .find(|row| row.code == c.row)
                    .map(|row| row.category);
                last = Some((c.row, category));
                category
            }
        };
        out.push(&[
            Value::Str(Some(&r.report_id)),
            Value::Str(Some(c.row)),
            Value::Str(category),
            Value::Str(Some(c.applicant)),
            Value::I64(c.value),
            line(c.source_line),
        ]);
    }
}

fn proactive_rows(r: &Report, out: &mut Rows) {
    for c in &r.proactive {
        out.push(&[
            Value::Str(Some(&r.report_id)),
            Value::Str(Some(c.item)),
            Value::Str(Some(c.measure)),
            Value::F64(c.value),
            Value::Str(Some(c.unit)),
            line(c.source_line),
        ]);
    }
}

fn procurement_rows(r: &Report, out: &mut Rows) {
    if let Some(p) = &r.procurement {
        out.push(&[
            Value::Str(Some(&r.report_id)),
            Value::I64(p.items),
            Value::F64(p.amount_yuan),
            Value::Str(p.amount_raw.as_deref()),
            line(p.source_line),
        ]);
    }
}

fn review_rows(r: &Report, out: &mut Rows) {
    for c in &r.review_litigation {
        out.push(&[
            Value::Str(Some(&r.report_id)),
            Value::Str(Some(c.proceeding)),
            Value::Str(Some(c.outcome)),
            Value::I64(c.value),
            line(c.source_line),
        ]);
    }
}

fn finding_rows(r: &Report, out: &mut Rows) {
    for f in &r.findings {
        out.push(&[
            Value::Str(Some(&r.report_id)),
            Value::Str(Some(f.severity.code())),
            Value::Str(Some(f.check)),
            Value::Str(f.table.map(|t| t.code())),
            Value::Str(f.row),
            Value::Str(f.column),
            Value::Str(f.expected.as_deref()),
            Value::Str(f.actual.as_deref()),
            Value::Str(Some(&f.message)),
            line(f.source_line),
        ]);
    }
}

/// The builder of one column: cells are appended straight into polars' Arrow builders (a
/// string is copied once, into the array's buffer), not collected as owned values first.
enum Builder {
    Str(StringChunkedBuilder),
    I32(PrimitiveChunkedBuilder<Int32Type>),
    I64(PrimitiveChunkedBuilder<Int64Type>),
    F64(PrimitiveChunkedBuilder<Float64Type>),
}

impl Builder {
    fn new(name: &str, ty: ColumnType, capacity: usize) -> Self {
        let name = name.into();
        match ty {
            Str => Builder::Str(StringChunkedBuilder::new(name, capacity)),
            I32 => Builder::I32(PrimitiveChunkedBuilder::new(name, capacity)),
            I64 => Builder::I64(PrimitiveChunkedBuilder::new(name, capacity)),
            F64 => Builder::F64(PrimitiveChunkedBuilder::new(name, capacity)),
        }
    }

    fn finish(self) -> Column {
        match self {
            Builder::Str(b) => b.finish().into_column(),
            Builder::I32(b) => b.finish().into_column(),
            Builder::I64(b) => b.finish().into_column(),
            Builder::F64(b) => b.finish().into_column(),
        }
    }
}

/// The rows of one table waiting to be written: as column builders when Parquet is
/// written, and as CSV text when CSV is, both filled in one pass over the cells.
struct Rows {
    def: &'static TableDef,
    parquet: bool,
    /// Empty until the first row after a [`Rows::take`]: the builders are made then, so
    /// that the frame taken before has been written and freed and its memory is taken
    /// again at once (memory left free is soon handed back to the system, and fresh
    /// pages cost the kernel's zeroing).
    columns: Vec<Builder>,
    /// Rows of the last frame taken: the next builders' capacity.
    capacity: usize,
    csv: Option<Vec<u8>>,
    len: usize,
}

impl Rows {
    fn new(def: &'static TableDef, formats: &[Format]) -> Self {
        Rows {
            def,
            parquet: formats.contains(&Format::Parquet),
            columns: Vec::new(),
            capacity: 0,
            csv: formats.contains(&Format::Csv).then(Vec::new),
            len: 0,
        }
    }

    /// Appends one row. The row functions above and [`TABLES`] are written together, so
    /// a mismatch is a programming error caught by every test that writes a table.
    fn push(&mut self, row: &[Value<'_>]) {
        assert_eq!(row.len(), self.def.columns.len(), "table {}", self.def.name);
        if self.parquet {
            if self.columns.is_empty() {
                self.columns = self
                    .def
                    .columns
                    .iter()
                    .map(|(name, ty)| Builder::new(name, *ty, self.capacity))
                    .collect();
            }
            for (builder, value) in self.columns.iter_mut().zip(row) {
                match (builder, value) {
                    (Builder::Str(b), Value::Str(v)) => b.append_option(*v),
                    (Builder::I32(b), Value::I32(v)) => b.append_option(*v),
                    (Builder::I64(b), Value::I64(v)) => b.append_option(*v),
                    (Builder::F64(b), Value::F64(v)) => b.append_option(*v),
                    _ => panic!("column type mismatch in table {}", self.def.name),
                }
            }
        }
        if let Some(out) = &mut self.csv {
            for (i, value) in row.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                match *value {
                    Value::Str(Some(s)) => csv_str(out, s),
                    Value::I32(Some(v)) => csv_int(out, i64::from(v)),
                    Value::I64(Some(v)) => csv_int(out, v),
                    Value::F64(Some(v)) => csv_float(out, v),
                    // Null is the empty field.
                    _ => {}
                }
            }
            out.push(b'\n');
        }
        self.len += 1;
    }

    /// Moves the buffered rows out as a data frame (one chunk per column) when Parquet is
    /// written. The CSV text stays: its owner writes it out and clears it.
    fn take(&mut self) -> Result<Option<DataFrame>, PolarsError> {
        let height = std::mem::take(&mut self.len);
        if self.columns.is_empty() {
            return Ok(None);
        }
        self.capacity = height;
        let columns = std::mem::take(&mut self.columns)
            .into_iter()
            .map(Builder::finish)
            .collect();
        DataFrame::new(height, columns).map(Some)
    }
}

/// How the Parquet files of a table are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// One file per table: `NAME.parquet`.
    #[default]
    Single,
    /// Hive-style partitions by report year: `NAME/year=2023/part-00000.parquet`,
    /// `NAME/year=__HIVE_DEFAULT_PARTITION__/…` when the year is unknown.
    Partitioned,
}

impl Layout {
    /// The name used on the command line and in `manifest.json`.
    pub fn code(self) -> &'static str {
        match self {
            Layout::Single => "single",
            Layout::Partitioned => "partitioned",
        }
    }
}

/// The Parquet file a table's rows of reports of `year` go to, under output `dir`.
pub fn parquet_path(dir: &Path, layout: Layout, table: &str, year: Option<i32>) -> PathBuf {
    match layout {
        Layout::Single => dir.join(format!("{table}.parquet")),
        Layout::Partitioned => dir
            .join(table)
            .join(partition_dir(year))
            .join("part-00000.parquet"),
    }
}

fn partition_dir(year: Option<i32>) -> String {
    match year {
        Some(y) => format!("year={y}"),
        None => "year=__HIVE_DEFAULT_PARTITION__".to_string(),
    }
}

/// Rows a report adds to each table of [`TABLES`], in order. Kept with the row
/// functions above: the incremental state records these to find a report's rows again.
pub fn row_counts(r: &Report) -> [usize; 6] {
    [
        1,
        r.applications.len(),
        r.proactive.len(),
        usize::from(r.procurement.is_some()),
        r.review_litigation.len(),
        r.findings.len(),
    ]
}

/// The partition of a Parquet file: everything (single layout) or one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    All,
    Year(Option<i32>),
}

/// One open Parquet file and the rows waiting to become its next row group.
struct ParquetSink {
    path: PathBuf,
    writer: BatchedWriter<File>,
    sync: File,
    pending: Vec<DataFrame>,
    rows: usize,
}

impl ParquetSink {
    fn create(path: PathBuf, def: &TableDef) -> Result<Self, WriteError> {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        let file = File::create(&path).map_err(io_err(&path))?;
        // A second handle on the same file, to fsync it once the writer is done.
        let sync = file.try_clone().map_err(io_err(&path))?;
        let writer = ParquetWriter::new(file)
            .with_compression(ParquetCompression::Zstd(None))
            .with_statistics(StatisticsOptions::default())
            .with_row_group_size(Some(ROW_GROUP_ROWS))
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

    fn push(&mut self, df: DataFrame) -> Result<(), WriteError> {
        self.rows += df.height();
        self.pending.push(df);
        if self.rows >= ROW_GROUP_ROWS {
            self.write()?;
        }
        Ok(())
    }

    /// Writes the pending rows as one row group.
    fn write(&mut self) -> Result<(), WriteError> {
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

    fn finish(mut self) -> Result<(), WriteError> {
        self.write()?;
        self.writer.finish().map_err(|source| WriteError::Polars {
            path: self.path.clone(),
            source,
        })?;
        drop(self.writer);
        self.sync.sync_all().map_err(io_err(&self.path))
    }
}

/// The tables computed across reports after the per-report tables are written
/// ([`crate::derive`]): always one file per format, whatever the layout (they are small,
/// and derived from every year at once).
pub const DERIVED_TABLES: [&str; 3] = ["report_groups", "cross_findings", "aggregates"];

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
                ParquetWriter::new(&mut file)
                    .with_compression(ParquetCompression::Zstd(None))
                    .with_statistics(StatisticsOptions::default())
                    .with_row_group_size(Some(ROW_GROUP_ROWS))
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
fn concat(frames: Vec<DataFrame>) -> Result<DataFrame, PolarsError> {
    let mut frames = frames.into_iter();
    let mut df = frames.next().unwrap_or_default();
    for other in frames {
        df.vstack_mut_owned(other)?;
    }
    df.rechunk_mut();
    Ok(df)
}

/// What the writer hands to a table's thread, in output order.
enum Message {
    /// Reports, shared by the six tables' threads.
    Reports(Arc<Vec<Report>>),
    /// Rows of the table carried over from a previous output, of one report of a year.
    Carried(Option<i32>, DataFrame),
    /// Rows of the table carried over by reference to the previous output's files.
    CarriedRange(CarriedRange),
}

/// Reports gathered before they are handed to the tables' threads: one hand-off per
/// chunk of a run rather than per file.
const REPORTS_PER_MESSAGE: usize = 256;

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
struct TableThread {
    tx: Option<SyncSender<Message>>,
    thread: Option<JoinHandle<Result<Written, WriteError>>>,
    abort: Arc<AtomicBool>,
    dir: PathBuf,
}

impl TableThread {
    fn spawn(mut writer: TableWriter) -> Result<Self, WriteError> {
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

    fn send(&mut self, message: Message) -> Result<(), WriteError> {
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
    fn close(&mut self) {
        self.tx = None;
    }

    /// Waits for the thread; what it wrote.
    fn join(&mut self) -> Result<Written, WriteError> {
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
struct TableWriter {
    layout: Layout,
    rows: Rows,
    /// Partition runs of the rows in `rows`, in order.
    runs: Vec<(Part, usize)>,
    /// Frames for Parquet waiting to be written, in output order.
    segments: Vec<(Part, DataFrame)>,
    pending: usize,
    written: usize,
    files: TableFiles,
    /// The previous output's files of this table, in an incremental build.
    previous: Option<PreviousTable>,
    /// Partitions that so far received only the previous file's first rows, in order
    /// (how many): they are linked as they are unless something else arrives.
    lazy: BTreeMap<Part, usize>,
    /// Partitions that received anything else, so are written.
    started: BTreeSet<Part>,
    /// CSV bytes of each report handed over (not carried), in order.
    csv_bytes: Vec<u64>,
}

/// What a table's thread wrote.
#[derive(Debug, Default)]
struct Written {
    rows: usize,
    /// CSV bytes of each report it was handed, in order (empty without CSV).
    csv_bytes: Vec<u64>,
}

impl TableWriter {
    fn create(
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
            runs: Vec::new(),
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
            let (Some(range), Some(previous)) = (carried.csv, &mut self.previous) else {
                return Err(WriteError::Io {
                    path: csv.path.clone(),
                    source: io::Error::other("rows carried over without their CSV bytes"),
                });
            };
            csv.drain()?;
            previous.copy_csv(range, &mut csv.file)?;
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
        let before = self.rows.len;
        let csv_before = self.rows.csv.as_ref().map_or(0, Vec::len);
        (self.rows.def.rows)(report, &mut self.rows);
        let added = self.rows.len - before;
        if let Some(text) = &self.rows.csv {
            self.csv_bytes.push((text.len() - csv_before) as u64);
        }
        if added > 0 {
            let part = self.part(report.year.as_ref().map(|y| y.value));
            if self.files.parquet && self.started.insert(part) {
                // The partition's earlier rows (carried, not yet decoded) go first: they
                // go straight to its file, these new rows later.
                self.materialise(part)?;
            }
            match self.runs.last_mut() {
                Some((p, n)) if *p == part => *n += added,
                _ => self.runs.push((part, added)),
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

    /// Writes the buffered rows' CSV text, and moves their frame into `segments`, one
    /// slice per partition run.
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
        let frame = self.rows.take().map_err(|source| WriteError::Polars {
            path: PathBuf::from(self.rows.def.name),
            source,
        })?;
        let runs = std::mem::take(&mut self.runs);
        if let Some(df) = frame {
            let mut offset = 0;
            for (part, n) in runs {
                self.segments.push((part, df.slice(offset as i64, n)));
                offset += n;
            }
        }
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

    fn finish(mut self) -> Result<Written, WriteError> {
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
        self.files.finish()?;
        Ok(Written {
            rows: self.written,
            csv_bytes: self.csv_bytes,
        })
    }
}

/// The files of one table.
struct TableFiles {
    def: &'static TableDef,
    dir: PathBuf,
    layout: Layout,
    parquet: bool,
    sinks: BTreeMap<Part, ParquetSink>,
    /// Partitions linked from the previous output.
    linked: BTreeSet<Part>,
    csv: Option<CsvSink>,
}

impl TableFiles {
    /// Creates the files every run has (on the caller's thread, so that a directory that
    /// cannot be written fails the run before anything is parsed).
    fn create(
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
            Some(CsvSink::create(dir.join(format!("{}.csv", def.name)), def)?)
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
    fn sink(&mut self, part: Part) -> Result<&mut ParquetSink, WriteError> {
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

    fn finish(&mut self) -> Result<(), WriteError> {
        if let Some(csv) = self.csv.take() {
            csv.finish()?;
        }
        if self.parquet && self.layout == Layout::Single && !self.linked.contains(&Part::All) {
            // An empty table still has a file with its schema.
            self.sink(Part::All)?;
        }
        for sink in std::mem::take(&mut self.sinks).into_values() {
            sink.finish()?;
        }
        Ok(())
    }
}

/// The header line of a table's CSV file: the column names.
pub fn csv_header(def: &TableDef) -> Vec<u8> {
    let mut buf = Vec::new();
    for (i, (name, _)) in def.columns.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        csv_str(&mut buf, name);
    }
    buf.push(b'\n');
    buf
}

/// Bytes of CSV gathered before they are written to the file.
const CSV_BUFFER: usize = 1 << 20;

/// One CSV file: the header, then the text [`Rows`] built, and rows carried over from a
/// previous output written by [`csv_rows`] from their Arrow arrays.
struct CsvSink {
    path: PathBuf,
    file: File,
    buf: Vec<u8>,
}

impl CsvSink {
    /// Opens the file and writes the header line, so an empty table still has it.
    fn create(path: PathBuf, def: &TableDef) -> Result<Self, WriteError> {
        let file = File::create(&path).map_err(io_err(&path))?;
        let mut buf = Vec::with_capacity(CSV_BUFFER);
        buf.extend_from_slice(&csv_header(def));
        Ok(CsvSink { path, file, buf })
    }

    fn write(&mut self, df: &DataFrame) -> Result<(), WriteError> {
        csv_rows(df, &mut self.buf).map_err(|source| WriteError::Polars {
            path: self.path.clone(),
            source,
        })?;
        if self.buf.len() >= CSV_BUFFER {
            self.drain()?;
        }
        Ok(())
    }

    fn write_text(&mut self, text: &[u8]) -> Result<(), WriteError> {
        self.drain()?;
        io::Write::write_all(&mut self.file, text).map_err(io_err(&self.path))
    }

    fn drain(&mut self) -> Result<(), WriteError> {
        io::Write::write_all(&mut self.file, &self.buf).map_err(io_err(&self.path))?;
        self.buf.clear();
        Ok(())
    }

    fn finish(mut self) -> Result<(), WriteError> {
        self.drain()?;
        self.file.sync_all().map_err(io_err(&self.path))
    }
}

type StrArray = <StringType as PolarsDataType>::Array;
type I32Array = <Int32Type as PolarsDataType>::Array;
type I64Array = <Int64Type as PolarsDataType>::Array;
type F64Array = <Float64Type as PolarsDataType>::Array;

/// One column of a frame, as its Arrow array.
enum Cells<'a> {
    Str(&'a StrArray),
    I32(&'a I32Array),
    I64(&'a I64Array),
    F64(&'a F64Array),
}

/// Appends the rows of `df` as CSV in polars' dialect (what `CsvWriter` wrote before:
/// comma, `"` quotes only where necessary, null as the empty field, `\n` after every
/// row), byte for byte. Strings, integers and floats are the only column types of the
/// per-report tables.
fn csv_rows(df: &DataFrame, out: &mut Vec<u8>) -> Result<(), PolarsError> {
    // One chunk per column, so that a row is an index into each array (frames carried
    // over from a previous output may come in several).
    let series: Vec<Series> = df
        .columns()
        .iter()
        .map(|c| {
            let s = c.as_materialized_series();
            if s.n_chunks() == 1 {
                s.clone()
            } else {
                s.rechunk()
            }
        })
        .collect();
    let cells = series
        .iter()
        .map(|s| {
            Ok(match s.dtype() {
                DataType::String => Cells::Str(s.str()?.downcast_as_array()),
                DataType::Int32 => Cells::I32(s.i32()?.downcast_as_array()),
                DataType::Int64 => Cells::I64(s.i64()?.downcast_as_array()),
                DataType::Float64 => Cells::F64(s.f64()?.downcast_as_array()),
                other => {
                    return Err(PolarsError::SchemaMismatch(
                        format!("column {} of type {other} in a CSV table", s.name()).into(),
                    ))
                }
            })
        })
        .collect::<Result<Vec<_>, PolarsError>>()?;
    out.reserve(df.height() * 64);
    for row in 0..df.height() {
        for (i, column) in cells.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match column {
                Cells::Str(a) => {
                    if let Some(s) = a.get(row) {
                        csv_str(out, s);
                    }
                }
                Cells::I32(a) => {
                    if a.validity().is_none_or(|v| v.get_bit(row)) {
                        csv_int(out, i64::from(a.value(row)));
                    }
                }
                Cells::I64(a) => {
                    if a.validity().is_none_or(|v| v.get_bit(row)) {
                        csv_int(out, a.value(row));
                    }
                }
                Cells::F64(a) => {
                    if a.validity().is_none_or(|v| v.get_bit(row)) {
                        csv_float(out, a.value(row));
                    }
                }
            }
        }
        out.push(b'\n');
    }
    Ok(())
}

/// A string field: quoted when empty (the empty field is null) or when it holds a comma,
/// a quote or a line break; quotes inside are doubled.
fn csv_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let quoted = bytes.is_empty() || has_byte_below_dash(bytes) && needs_quotes(bytes);
    if !quoted {
        out.extend_from_slice(bytes);
        return;
    }
    out.push(b'"');
    for part in bytes.split_inclusive(|&b| b == b'"') {
        out.extend_from_slice(part);
        if part.last() == Some(&b'"') {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

/// Whether `bytes` holds a byte below `-`. The four bytes that call for quotes all do,
/// while ids, codes and Chinese text seldom hold one: eight bytes are tested at a time
/// (a byte `b` of `x` is below `n` ≤ 0x80 when `b - n` borrows into its top bit, and
/// `b` itself has it clear).
fn has_byte_below_dash(bytes: &[u8]) -> bool {
    const DASH: u64 = u64::from_ne_bytes([b'-'; 8]);
    const TOP: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut x = [0u8; 8];
        x.copy_from_slice(word);
        let x = u64::from_ne_bytes(x);
        if x.wrapping_sub(DASH) & !x & TOP != 0 {
            return true;
        }
    }
    words.remainder().iter().any(|&b| b < b'-')
}

fn needs_quotes(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

fn csv_int(out: &mut Vec<u8>, v: i64) {
    // Most cells are counts below 100: no buffer, no copy call.
    if (0..10).contains(&v) {
        out.push(b'0' + v as u8);
        return;
    }
    if (10..100).contains(&v) {
        out.extend_from_slice(&[b'0' + (v / 10) as u8, b'0' + (v % 10) as u8]);
        return;
    }
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = v.unsigned_abs();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[i..]);
}

/// A float as polars' CSV writer prints it (its `zmij`): the shortest digits that read
/// back to the same value, with at least one decimal (`2.0`, `356800.0`, `0.25`). For
/// magnitudes in [1e-4, 1e15) Rust's `{:?}` prints the same, except where two renderings
/// of equal length both read back, which needs 16 significant digits or more (the
/// libraries then choose differently: `…19.12` vs `…19.13`). Such values, and the tiny or
/// huge ones where the notations differ, are handed to polars: reports print a few digits.
fn csv_float(out: &mut Vec<u8>, v: f64) {
    let magnitude = v.abs();
    if magnitude == 0.0 || (1e-4..1e15).contains(&magnitude) {
        let start = out.len();
        // Writing into a Vec cannot fail.
        let _ = io::Write::write_fmt(out, format_args!("{v:?}"));
        let significant = out[start..]
            .iter()
            .filter(|b| b.is_ascii_digit())
            .skip_while(|&&b| b == b'0')
            .count();
        if significant <= 15 {
            return;
        }
        out.truncate(start);
    }
    polars_float(out, v);
}

fn polars_float(out: &mut Vec<u8>, v: f64) {
    let mut df = DataFrame::new(1, vec![Column::new("v".into(), [v])]).unwrap_or_default();
    let mut text = Vec::new();
    match CsvWriter::new(&mut text)
        .include_header(false)
        .finish(&mut df)
    {
        Ok(()) => out.extend_from_slice(text.strip_suffix(b"\n").unwrap_or(&text)),
        // Not expected of a one-cell frame; the value is still written, in Rust's notation.
        Err(_) => {
            let _ = io::Write::write_fmt(out, format_args!("{v:?}"));
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
        for w in written {
            rows.push(w.rows);
            self.csv_bytes.push(w.csv_bytes);
        }
        Ok(rows)
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
fn file_name(path: &Path) -> String {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::*;
    use polars::prelude::{CsvReadOptions, ParquetReader, SerReader};

    /// A report with every kind of row and a mix of nulls.
    pub(crate) fn sample(id: &str, path: &str, with_tables: bool) -> Report {
        let sourced = |v: String| Sourced {
            value: v,
            source: MetaSource::Title,
            line: Some(1),
        };
        Report {
            report_id: id.to_string(),
            source_path: path.to_string(),
            format: "text",
            encoding: "GB18030".to_string(),
            bytes: 1234,
            kind: if with_tables {
                Kind::Report
            } else {
                Kind::NotAReport
            },
            kind_evidence: Some(if with_tables {
                "table_labels"
            } else {
                "no_report_evidence"
            }),
            template: with_tables.then_some(Template::T2019),
            title: None,
            page_meta: Default::default(),
            agency: with_tables.then(|| sourced("某市人民政府, \"办公室\"".to_string())),
            year: with_tables.then_some(Sourced {
                value: 2020,
                source: MetaSource::StatisticsPeriod,
                line: Some(3),
            }),
            published_date: None,
            placement: None,
            status: if with_tables {
                Status::Partial
            } else {
                Status::Empty
            },
            proactive: if with_tables {
                vec![
                    ProactiveCell {
                        item: "regulations",
                        measure: "made",
                        value: Some(2.5),
                        unit: "count",
                        raw: "2.5".into(),
                        source_line: Some(10),
                    },
                    ProactiveCell {
                        item: "administrative_fees",
                        measure: "prior_items",
                        value: None,
                        unit: "count",
                        raw: String::new(),
                        source_line: None,
                    },
                ]
            } else {
                Vec::new()
            },
            procurement: with_tables.then(|| Procurement {
                items: Some(3),
                amount_yuan: None,
                amount_raw: Some("12.5".into()),
                source_line: Some(20),
            }),
            applications: if with_tables {
                vec![
                    ApplicationCell {
                        row: "new_received",
                        applicant: "natural_person",
                        value: Some(7),
                        raw: "7".into(),
                        source_line: Some(30),
                    },
                    ApplicationCell {
                        row: "granted",
                        applicant: "total",
                        value: None,
                        raw: String::new(),
                        source_line: Some(31),
                    },
                ]
            } else {
                Vec::new()
            },
            review_litigation: if with_tables {
                vec![ReviewCell {
                    proceeding: "review",
                    outcome: "upheld",
                    value: Some(0),
                    raw: "0".into(),
                    source_line: Some(40),
                }]
            } else {
                Vec::new()
            },
            findings: vec![
                Finding::new(
                    Severity::Warning,
                    "balance",
                    "does not balance, \"really\"\nsecond line",
                )
                .at(Table::Applications, Some("new_received"), None)
                .values("10", "9")
                .line(Some(30)),
                Finding::new(Severity::Info, "charset_mismatch", "decoded as GB18030"),
            ],
        }
    }

    fn read_parquet(path: &Path) -> DataFrame {
        ParquetReader::new(File::open(path).unwrap())
            .finish()
            .unwrap()
    }

    fn read_csv(path: &Path, def: &TableDef) -> DataFrame {
        CsvReadOptions::default()
            .with_has_header(true)
            .with_schema(Some(def.schema().into()))
            .try_into_reader_with_file_path(Some(path.to_path_buf()))
            .unwrap()
            .finish()
            .unwrap()
    }

    fn table(name: &str) -> &'static TableDef {
        TABLES.iter().find(|t| t.name == name).unwrap()
    }

    #[test]
    fn round_trip_two_chunks_parquet_and_csv() {
        let parent = tempfile::tempdir().unwrap();
        let target = parent.path().join("out");
        let mut output = Output::create(&target, &Format::ALL).unwrap();
        let chunk1 = vec![
            sample("id1", "a/1.txt", true),
            sample("id2", "a/2.txt", false),
        ];
        let chunk2 = vec![sample("id3", "b/3.txt", true)];
        output.write(chunk1).unwrap();
        output.write(chunk2).unwrap();
        output.finish().unwrap();

        let mut names: Vec<String> = fs::read_dir(&target)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names.len(), 12);
        // No temporary directory left beside the output.
        assert_eq!(fs::read_dir(parent.path()).unwrap().count(), 1);

        for def in &TABLES {
            let pq = read_parquet(&target.join(format!("{}.parquet", def.name)));
            let csv = read_csv(&target.join(format!("{}.csv", def.name)), def);
            assert_eq!(pq.schema().as_ref(), &def.schema(), "{}", def.name);
            assert!(pq.equals_missing(&csv), "{}: {pq:?} vs {csv:?}", def.name);
        }

        let reports = read_parquet(&target.join("reports.parquet"));
        assert_eq!(reports.height(), 3);
        let ids: Vec<_> = reports
            .column("report_id")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(ids, [Some("id1"), Some("id2"), Some("id3")]);
        let year: Vec<_> = reports
            .column("year")
            .unwrap()
            .i32()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(year, [Some(2020), None, Some(2020)]);
        let agency: Vec<_> = reports
            .column("agency")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(agency[0], Some("某市人民政府, \"办公室\""));
        assert_eq!(agency[1], None);
        let n: Vec<_> = reports
            .column("n_warnings")
            .unwrap()
            .i64()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(n, [Some(1), Some(1), Some(1)]);

        let apps = read_parquet(&target.join("applications.parquet"));
        assert_eq!(apps.height(), 4);
        let cat: Vec<_> = apps
            .column("category")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        let expected_cat = APPLICATION_ROWS
            .iter()
            .find(|r| r.code == "new_received")
            .unwrap()
            .category;
        assert_eq!(cat[0], Some(expected_cat));
        let value: Vec<_> = apps
            .column("value")
            .unwrap()
            .i64()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(value, [Some(7), None, Some(7), None]);

        let proactive = read_parquet(&target.join("proactive.parquet"));
        let value: Vec<_> = proactive
            .column("value")
            .unwrap()
            .f64()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(value, [Some(2.5), None, Some(2.5), None]);

        let procurement = read_parquet(&target.join("procurement.parquet"));
        assert_eq!(procurement.height(), 2);

        let findings = read_csv(&target.join("findings.csv"), table("findings"));
        assert_eq!(findings.height(), 6);
        let msg: Vec<_> = findings
            .column("message")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(msg[0], Some("does not balance, \"really\"\nsecond line"));
    }

    /// The hand-written CSV is polars' `CsvWriter` output, byte for byte: strings that
    /// need quoting or not, integers, floats of every magnitude (random bit patterns
    /// included), nulls, and frames of several chunks.
    #[test]
    fn csv_is_byte_identical_to_polars() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let words = [
            "",
            "a",
            "a,b",
            "say \"hi\"",
            "\"",
            "\"\"",
            "end\"",
            "line\nbreak",
            "cr\rx",
            "某市人民政府, \"办公室\"",
            " padded ",
            "#hash",
            "null",
            "NaN",
            "tab\tx",
            "'",
            "0123456789abcdef0123456789abcdef",
        ];
        let mut floats = vec![
            0.0,
            -0.0,
            1.0,
            2.5,
            35.68,
            356800.0,
            1e-4,
            9.99e-5,
            1e-5,
            1.5e-5,
            1e-6,
            0.1,
            0.3,
            1e15,
            9.999_999_999_999_99e14,
            1e16,
            1.2e16,
            1e17,
            1e21,
            1e22,
            -1e15,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1.0 / 3.0,
            123456789.123,
            0.000123,
            4503599627370497.0,
            // Two shortest renderings tie (…19.12 and …19.13): polars' choice is kept.
            84_418_043_664_819.0 + 0.125,
        ];
        for i in 0..60_000u64 {
            let r = next();
            floats.push(match i % 4 {
                0 => f64::from_bits(r),
                1 => (r % 10_000_000) as f64 / 10f64.powi((r >> 40) as i32 % 9),
                2 => (r >> 11) as f64 * 10f64.powi((r % 40) as i32 - 20),
                _ => (r % 1_000_000) as f64 * 10f64.powi((r >> 50) as i32 % 12),
            });
        }
        let n = floats.len();
        let pick = |r: u64| (!r.is_multiple_of(7)).then_some(r);
        let strs: Vec<Option<String>> = (0..n)
            .map(|_| {
                let r = next();
                pick(r).map(|r| {
                    let a = words[(r % words.len() as u64) as usize];
                    let b = words[((r >> 8) % words.len() as u64) as usize];
                    if r & 0x10000 == 0 {
                        a.to_string()
                    } else {
                        format!("{a}{b}")
                    }
                })
            })
            .collect();
        let ints: Vec<Option<i64>> = (0..n)
            .map(|i| {
                let r = next();
                pick(r).map(|r| match i % 3 {
                    0 => r as i64,
                    1 => (r % 1000) as i64 - 500,
                    _ => [i64::MIN, i64::MAX, 0, -1, 10][(r % 5) as usize],
                })
            })
            .collect();
        let small: Vec<Option<i32>> = (0..n).map(|_| pick(next()).map(|r| r as i32)).collect();
        let floats: Vec<Option<f64>> = floats
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i % 11 != 5).then_some(v))
            .collect();
        let columns = vec![
            Column::new("s".into(), strs),
            Column::new("i".into(), ints),
            Column::new("j".into(), small),
            Column::new("f".into(), floats),
        ];
        let whole = DataFrame::new(n, columns).unwrap();
        // The same rows pushed cell by cell, as reports are: CSV text and frame.
        static MIXED: TableDef = TableDef {
            name: "mixed",
            columns: &[("s", Str), ("i", I64), ("j", I32), ("f", F64)],
            rows: |_, _| {},
        };
        let mut rows = Rows::new(&MIXED, &Format::ALL);
        let cols = whole.columns();
        let (s, i, j, f) = (
            cols[0].str().unwrap(),
            cols[1].i64().unwrap(),
            cols[2].i32().unwrap(),
            cols[3].f64().unwrap(),
        );
        for r in 0..n {
            rows.push(&[
                Value::Str(s.get(r)),
                Value::I64(i.get(r)),
                Value::I32(j.get(r)),
                Value::F64(f.get(r)),
            ]);
        }
        let frame = rows.take().unwrap().unwrap();
        assert!(frame.equals_missing(&whole));
        let pushed = rows.csv.take().unwrap();
        let mut chunked = whole.slice(0, 1000);
        chunked
            .vstack_mut_owned(whole.slice(1000, n - 1000))
            .unwrap();
        for (k, mut df) in [whole, chunked, whole_slice_of(n)].into_iter().enumerate() {
            let mut expected = Vec::new();
            CsvWriter::new(&mut expected)
                .include_header(false)
                .finish(&mut df)
                .unwrap();
            let mut ours = Vec::new();
            csv_rows(&df, &mut ours).unwrap();
            if k == 0 {
                assert!(pushed == ours, "pushed rows differ from the frame's");
            }
            if ours != expected {
                let (a, b) = (
                    String::from_utf8_lossy(&ours),
                    String::from_utf8_lossy(&expected),
                );
                let (l, (x, y)) = a
                    .lines()
                    .zip(b.lines())
                    .enumerate()
                    .find(|(_, (x, y))| x != y)
                    .unwrap_or((0, ("", "")));
                panic!("line {l}: ours {x:?}, polars {y:?}");
            }
        }
        // Header lines: one CSV sink per table against polars' empty frame.
        let dir = tempfile::tempdir().unwrap();
        for def in &TABLES {
            let path = dir.path().join(def.name);
            CsvSink::create(path.clone(), def)
                .unwrap()
                .finish()
                .unwrap();
            let mut expected = Vec::new();
            CsvWriter::new(&mut expected)
                .include_header(true)
                .finish(&mut DataFrame::empty_with_schema(&def.schema()))
                .unwrap();
            assert_eq!(fs::read(&path).unwrap(), expected, "{}", def.name);
        }

        fn whole_slice_of(n: usize) -> DataFrame {
            let c = Column::new("x".into(), (0..n as i64).map(Some).collect::<Vec<_>>());
            DataFrame::new(n, vec![c]).unwrap().slice(7, n / 2)
        }
    }

    /// Reports and rows carried over from a previous output reach each table's thread in
    /// the order given, and its CSV (written from cells and from arrays) and Parquet agree.
    #[test]
    fn carried_rows_keep_their_place() {
        let parent = tempfile::tempdir().unwrap();
        let old = parent.path().join("old");
        let mut first = Output::create(&old, &Format::ALL).unwrap();
        first.write(vec![sample("carried", "c.txt", true)]).unwrap();
        first.finish().unwrap();
        let target = parent.path().join("out");
        let mut output = Output::create(&target, &Format::ALL).unwrap();
        output.write(vec![sample("before", "a.txt", true)]).unwrap();
        for (t, def) in TABLES.iter().enumerate() {
            let df = read_parquet(&old.join(format!("{}.parquet", def.name)));
            output.write_frame(t, Some(2020), df).unwrap();
        }
        output.count_carried();
        output.write(vec![sample("after", "b.txt", false)]).unwrap();
        output.finish().unwrap();
        for def in &TABLES {
            let pq = read_parquet(&target.join(format!("{}.parquet", def.name)));
            let csv = read_csv(&target.join(format!("{}.csv", def.name)), def);
            assert!(pq.equals_missing(&csv), "{}", def.name);
        }
        let findings = read_parquet(&target.join("findings.parquet"));
        let ids: Vec<_> = findings
            .column("report_id")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(Option::unwrap)
            .collect();
        assert_eq!(
            ids,
            ["before", "before", "carried", "carried", "after", "after"]
        );
    }

    #[test]
    fn tables_larger_than_a_row_group() {
        let parent = tempfile::tempdir().unwrap();
        let target = parent.path().join("out");
        let mut output = Output::create(&target, &Format::ALL).unwrap();
        let per_report = ROW_GROUP_ROWS / 3;
        for i in 0..5 {
            let mut r = sample(&format!("id{i}"), &format!("{i}.txt"), false);
            r.findings = (0..per_report)
                .map(|j| Finding::new(Severity::Info, "template_inferred", format!("{i}-{j}")))
                .collect();
            output.write(vec![r]).unwrap();
        }
        output.finish().unwrap();
        let pq = read_parquet(&target.join("findings.parquet"));
        let csv = read_csv(&target.join("findings.csv"), table("findings"));
        assert_eq!(pq.height(), 5 * per_report);
        assert!(pq.equals_missing(&csv));
        let msg = pq.column("message").unwrap().str().unwrap();
        assert_eq!(msg.get(0), Some("0-0"));
        assert_eq!(
            msg.get(5 * per_report - 1),
            Some(format!("4-{}", per_report - 1).as_str())
        );
    }

    #[test]
    fn empty_tables_have_schema_and_header() {
        let parent = tempfile::tempdir().unwrap();
        let target = parent.path().join("out");
        let output = Output::create(&target, &Format::ALL).unwrap();
        output.finish().unwrap();
        for def in &TABLES {
            let pq = read_parquet(&target.join(format!("{}.parquet", def.name)));
            assert_eq!(pq.height(), 0);
            assert_eq!(pq.schema().as_ref(), &def.schema());
            let csv = fs::read_to_string(target.join(format!("{}.csv", def.name))).unwrap();
            let header: Vec<&str> = def.columns.iter().map(|(n, _)| *n).collect();
            assert_eq!(csv, format!("{}\n", header.join(",")));
        }
    }

    #[test]
    fn only_selected_formats() {
        let parent = tempfile::tempdir().unwrap();
        let target = parent.path().join("out");
        Output::create(&target, &[Format::Csv])
            .unwrap()
            .finish()
            .unwrap();
        assert!(target.join("reports.csv").exists());
        assert!(!target.join("reports.parquet").exists());
        assert!(matches!(
            Output::create(&target, &[]),
            Err(WriteError::NoFormats)
        ));
        assert_eq!("Parquet".parse::<Format>().unwrap(), Format::Parquet);
        assert!("xlsx".parse::<Format>().is_err());
    }

    #[test]
    fn replaces_previous_output() {
        let parent = tempfile::tempdir().unwrap();
        let target = parent.path().join("out");
        let mut first = Output::create(&target, &Format::ALL).unwrap();
        first.write(vec![sample("old", "old.txt", true)]).unwrap();
        first.finish().unwrap();
        let mut second = Output::create(&target, &[Format::Csv]).unwrap();
        second.write(vec![sample("new", "new.txt", false)]).unwrap();
        second.finish().unwrap();
        let csv = fs::read_to_string(target.join("reports.csv")).unwrap();
        assert!(csv.contains("new.txt") && !csv.contains("old.txt"));
        // The Parquet files of the first run went with the old directory.
        assert!(!target.join("reports.parquet").exists());
        assert_eq!(fs::read_dir(parent.path()).unwrap().count(), 1);
    }

    #[test]
    fn failed_or_interrupted_write_leaves_old_output_intact() {
        let parent = tempfile::tempdir().unwrap();
        let target = parent.path().join("out");
        let mut first = Output::create(&target, &[Format::Csv]).unwrap();
        first.write(vec![sample("old", "old.txt", true)]).unwrap();
        first.finish().unwrap();
        let before = fs::read(target.join("reports.csv")).unwrap();

        // Interrupted: dropped before `finish`.
        let mut second = Output::create(&target, &Format::ALL).unwrap();
        second.write(vec![sample("new", "new.txt", true)]).unwrap();
        drop(second);
        assert_eq!(fs::read(target.join("reports.csv")).unwrap(), before);
        assert_eq!(
            fs::read_dir(parent.path()).unwrap().count(),
            1,
            "temp dir removed"
        );

        // Failed: the temporary directory vanished under the writer.
        let mut third = Output::create(&target, &Format::ALL).unwrap();
        third.write(vec![sample("new", "new.txt", true)]).unwrap();
        fs::remove_dir_all(third.temp_dir()).unwrap();
        assert!(third.finish().is_err());
        assert_eq!(fs::read(target.join("reports.csv")).unwrap(), before);
        assert!(!target.join("reports.parquet").exists());
    }

    #[test]
    fn refuses_to_replace_foreign_directory() {
        let parent = tempfile::tempdir().unwrap();
        let target = parent.path().join("home");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("thesis.tex"), "precious").unwrap();
        assert!(matches!(
            Output::check_target(&target),
            Err(WriteError::NotOutput { .. })
        ));
        assert!(Output::create(&target, &Format::ALL).is_err());
        assert!(target.join("thesis.tex").exists());
        let file = parent.path().join("file");
        fs::write(&file, "x").unwrap();
        assert!(Output::check_target(&file).is_err());
        assert!(Output::check_target(&parent.path().join("missing/out")).is_err());
        assert!(Output::check_target(&parent.path().join("new")).is_ok());
    }
}
