//! CSV in polars' dialect, written directly: the header, and rows carried over from a
//! previous output encoded from their Arrow arrays.

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};

use polars::io::csv::write::CsvWriter;
use polars::io::SerWriter;
use polars::prelude::{
    Column, DataFrame, DataType, Float64Type, Int32Type, Int64Type, PolarsDataType, PolarsError,
    Series, StringType,
};

use super::previous::{link_or_copy, short};
use super::schema::TableDef;
use super::{io_err, WriteError};

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
pub(super) const CSV_BUFFER: usize = 1 << 20;

/// One CSV file: the header, then the text [`Rows`] built, rows carried over from a
/// previous output written by [`csv_rows`] from their Arrow arrays, and byte ranges of
/// the previous output's file ([`CsvSink::carry`]).
pub(super) struct CsvSink {
    pub(super) path: PathBuf,
    file: File,
    buf: Vec<u8>,
    header_len: u64,
    /// Whether anything but the header and carried bytes was written.
    wrote_rows: bool,
    /// The previous output's file of the table, once bytes of it were carried.
    previous: Option<(File, PathBuf)>,
    /// Carried bytes not yet copied: consecutive ranges join, and are copied before
    /// anything else is written after them; if they end up all the previous file holds,
    /// the file is linked instead ([`CsvSink::finish`]), so a night without changes
    /// copies no CSV. Nothing is buffered while a range waits.
    pending: Option<Range<u64>>,
    /// Whether carried bytes are left as holes in the file, filled by [`CsvFill`] after
    /// the table's thread is done, instead of being copied in between the rows.
    defer: bool,
    /// The holes left so far.
    holes: Vec<Hole>,
}

/// Bytes of the previous output's file that belong at an offset of the new one.
#[derive(Debug, Clone, PartialEq)]
struct Hole {
    at: u64,
    from: Range<u64>,
}

/// The carried bytes a CSV file still lacks once its table's thread is done
/// ([`CsvSink::finish`] with `defer`): copied by [`CsvFill::fill`], on another thread
/// while the tables across reports are computed from the Parquet files. A night that
/// adds reports rewrites each CSV file whole (1.6 GB at 100,000 reports), so copying its
/// carried bytes after the table is written, beside `derive`, takes them off the night's
/// critical path.
#[derive(Debug)]
pub(super) struct CsvFill {
    pub(super) path: PathBuf,
    file: File,
    /// The previous output's file, open since its first bytes were carried, and its path.
    previous: (File, PathBuf),
    holes: Vec<Hole>,
}

impl CsvFill {
    /// Copies the carried bytes into their holes (the kernel copies them), then syncs
    /// the file. `stop` is checked between holes: a run that fails does not wait for
    /// the rest.
    pub(super) fn fill(mut self, stop: &std::sync::atomic::AtomicBool) -> Result<(), WriteError> {
        let (previous, previous_path) = &mut self.previous;
        for hole in &self.holes {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                return Ok(());
            }
            self.file
                .seek(SeekFrom::Start(hole.at))
                .map_err(io_err(&self.path))?;
            copy_range(previous, previous_path, hole.from.clone(), &mut self.file)?;
        }
        self.file.sync_all().map_err(io_err(&self.path))
    }
}

/// Appends bytes `range` of `from` (the previous output's file at `path`) at `to`'s
/// position; the kernel copies them.
fn copy_range(
    from: &mut File,
    path: &Path,
    range: Range<u64>,
    to: &mut File,
) -> Result<(), WriteError> {
    from.seek(SeekFrom::Start(range.start))
        .map_err(io_err(path))?;
    let want = range.end - range.start;
    let copied = io::copy(&mut Read::by_ref(from).take(want), to).map_err(io_err(path))?;
    if copied != want {
        return Err(short(path, "it is shorter than the state file says"));
    }
    Ok(())
}

impl CsvSink {
    /// Opens the file and writes the header line, so an empty table still has it.
    pub(super) fn create(path: PathBuf, def: &TableDef, defer: bool) -> Result<Self, WriteError> {
        let file = File::create(&path).map_err(io_err(&path))?;
        let mut buf = Vec::with_capacity(CSV_BUFFER);
        buf.extend_from_slice(&csv_header(def));
        Ok(CsvSink {
            path,
            file,
            header_len: buf.len() as u64,
            buf,
            wrote_rows: false,
            previous: None,
            pending: None,
            defer,
            holes: Vec::new(),
        })
    }

    pub(super) fn write(&mut self, df: &DataFrame) -> Result<(), WriteError> {
        self.copy_pending()?;
        self.wrote_rows |= df.height() > 0;
        csv_rows(df, &mut self.buf).map_err(|source| WriteError::Polars {
            path: self.path.clone(),
            source,
        })?;
        if self.buf.len() >= CSV_BUFFER {
            self.drain()?;
        }
        Ok(())
    }

    pub(super) fn write_text(&mut self, text: &[u8]) -> Result<(), WriteError> {
        self.copy_pending()?;
        self.wrote_rows |= !text.is_empty();
        self.drain()?;
        io::Write::write_all(&mut self.file, text).map_err(io_err(&self.path))
    }

    /// Appends bytes `range` of `previous`, the previous output's file of this table.
    pub(super) fn carry(&mut self, previous: &Path, range: Range<u64>) -> Result<(), WriteError> {
        match &mut self.pending {
            Some(pending) if pending.end == range.start => pending.end = range.end,
            _ => {
                self.copy_pending()?;
                self.drain()?;
                self.pending = Some(range);
            }
        }
        if self.previous.is_none() {
            let file = File::open(previous).map_err(io_err(previous))?;
            self.previous = Some((file, previous.to_path_buf()));
        }
        Ok(())
    }

    /// Copies the carried bytes waiting in `pending` (the kernel copies them), or with
    /// `defer` leaves a hole of their length for [`CsvFill`].
    fn copy_pending(&mut self) -> Result<(), WriteError> {
        let (Some(range), Some((file, path))) = (self.pending.take(), &mut self.previous) else {
            return Ok(());
        };
        if self.defer {
            // Nothing is buffered while a range waits: the file's position is its end.
            let at = self.file.stream_position().map_err(io_err(&self.path))?;
            let len = range.end - range.start;
            self.file
                .seek(SeekFrom::Start(at + len))
                .map_err(io_err(&self.path))?;
            self.holes.push(Hole { at, from: range });
            return Ok(());
        }
        copy_range(file, path, range, &mut self.file)
    }

    fn drain(&mut self) -> Result<(), WriteError> {
        io::Write::write_all(&mut self.file, &self.buf).map_err(io_err(&self.path))?;
        self.buf.clear();
        Ok(())
    }

    /// Writes what is left; or, when the file would hold the previous file's bytes and
    /// nothing else, links that file in its place. What is left to copy into holes, if
    /// anything, is returned.
    pub(super) fn finish(mut self) -> Result<Option<CsvFill>, WriteError> {
        if let (false, Some(range), Some((file, previous))) =
            (self.wrote_rows, &self.pending, &self.previous)
        {
            let whole = file.metadata().is_ok_and(|m| m.len() == range.end);
            if range.start == self.header_len && whole {
                drop(self.file);
                fs::remove_file(&self.path).map_err(io_err(&self.path))?;
                return link_or_copy(previous, &self.path).map(|()| None);
            }
        }
        self.copy_pending()?;
        self.drain()?;
        let Some(previous) = self.previous.take().filter(|_| !self.holes.is_empty()) else {
            self.file.sync_all().map_err(io_err(&self.path))?;
            return Ok(None);
        };
        // A file that ends in a hole is as long as its holes say.
        let end = self.file.stream_position().map_err(io_err(&self.path))?;
        self.file.set_len(end).map_err(io_err(&self.path))?;
        Ok(Some(CsvFill {
            path: self.path,
            file: self.file,
            previous,
            holes: self.holes,
        }))
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
pub(super) fn csv_rows(df: &DataFrame, out: &mut Vec<u8>) -> Result<(), PolarsError> {
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
pub(super) fn csv_str(out: &mut Vec<u8>, s: &str) {
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

pub(super) fn csv_int(out: &mut Vec<u8>, v: i64) {
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
pub(super) fn csv_float(out: &mut Vec<u8>, v: f64) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::schema::Str;
    use std::sync::atomic::AtomicBool;

    static T: TableDef = TableDef {
        name: "t",
        columns: &[("a", Str)],
        rows: |_, _| {},
    };

    /// The file a sink writes when rows 1 and 2–3 of the previous file are carried around
    /// a new row, and ending with a carried row 4 when `end_carried`.
    fn write(defer: bool, end_carried: bool, previous: &Path, out: &Path) -> Option<CsvFill> {
        let mut sink = CsvSink::create(out.to_path_buf(), &T, defer).unwrap();
        sink.carry(previous, 2..4).unwrap();
        sink.write_text(b"new\n").unwrap();
        sink.carry(previous, 4..6).unwrap();
        sink.carry(previous, 6..8).unwrap();
        sink.write_text(b"x\n").unwrap();
        if end_carried {
            sink.carry(previous, 8..10).unwrap();
        }
        sink.finish().unwrap()
    }

    // Carried bytes left as holes and copied afterwards give the file that copying them
    // in place gives, a file ending in a hole included.
    #[test]
    fn deferred_carried_bytes_fill_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let previous = dir.path().join("previous.csv");
        fs::write(&previous, b"a\n1\n2\n3\n4\n").unwrap();
        for end_carried in [false, true] {
            let copied = dir.path().join("copied.csv");
            assert!(write(false, end_carried, &previous, &copied).is_none());
            let deferred = dir.path().join("deferred.csv");
            let fill = write(true, end_carried, &previous, &deferred).expect("holes to fill");
            let before = fs::read(&deferred).unwrap();
            assert_eq!(before.len(), fs::metadata(&copied).unwrap().len() as usize);
            assert!(before.contains(&0), "the carried bytes are not there yet");
            fill.fill(&AtomicBool::new(false)).unwrap();
            let want: &[u8] = if end_carried {
                b"a\n1\nnew\n2\n3\nx\n4\n"
            } else {
                b"a\n1\nnew\n2\n3\nx\n"
            };
            assert_eq!(fs::read(&copied).unwrap(), want);
            assert_eq!(fs::read(&deferred).unwrap(), want);
        }
    }

    // A previous file shorter than the state says fails the fill, as it fails the copy.
    #[test]
    fn a_short_previous_file_fails_the_fill() {
        let dir = tempfile::tempdir().unwrap();
        let previous = dir.path().join("previous.csv");
        fs::write(&previous, b"a\n1\n2\n").unwrap();
        let fill = write(true, false, &previous, &dir.path().join("out.csv")).unwrap();
        let err = fill.fill(&AtomicBool::new(false)).unwrap_err();
        let message = format!("{err}: {}", std::error::Error::source(&err).unwrap());
        assert!(message.contains("previous.csv"), "{message}");
        assert!(message.contains("shorter"), "{message}");
    }

    // Two holes in a row (the rows of a removed file between them) and a stop before
    // the fill: the holes hold their own bytes; a stopped fill copies nothing.
    #[test]
    fn holes_in_a_row_and_a_stopped_fill() {
        let dir = tempfile::tempdir().unwrap();
        let previous = dir.path().join("previous.csv");
        fs::write(&previous, b"a\n1\n2\n3\n4\n").unwrap();
        let out = dir.path().join("out.csv");
        let sink = |out: &Path| {
            let mut sink = CsvSink::create(out.to_path_buf(), &T, true).unwrap();
            sink.carry(&previous, 2..4).unwrap();
            sink.carry(&previous, 6..8).unwrap();
            sink.finish().unwrap().expect("holes")
        };
        sink(&out).fill(&AtomicBool::new(false)).unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"a\n1\n3\n");
        let stopped = dir.path().join("stopped.csv");
        sink(&stopped).fill(&AtomicBool::new(true)).unwrap();
        assert_eq!(fs::read(&stopped).unwrap(), b"a\n\0\0\0\0");
    }
}
