//! A report's rows, cell by cell, into typed column builders and CSV text in one pass.

use polars::prelude::{
    ChunkedBuilder, Column, DataFrame, Float64Type, Int32Type, Int64Type, IntoColumn, PolarsError,
    PrimitiveChunkedBuilder, StringChunkedBuilder,
};

use super::csv::{csv_float, csv_int, csv_str};
use super::schema::{ColumnType, Format, Str, TableDef, F64, I32, I64};
use super::table::Part;
use crate::model::{Report, Sourced};
use crate::templates::APPLICATION_ROWS;

/// One cell handed to [`Rows::push`].
pub(super) enum Value<'a> {
    Str(Option<&'a str>),
    I32(Option<i32>),
    I64(Option<i64>),
    F64(Option<f64>),
}

pub(super) fn line(l: Option<u32>) -> Value<'static> {
    Value::I64(l.map(i64::from))
}

pub(super) fn count(n: usize) -> Value<'static> {
    Value::I64(Some(i64::try_from(n).unwrap_or(i64::MAX)))
}

pub(super) fn source<T>(s: &Option<Sourced<T>>) -> Value<'static> {
    Value::Str(s.as_ref().map(|s| s.source.code()))
}

pub(super) fn report_rows(r: &Report, out: &mut Rows) {
    use crate::model::Severity;
    let p = r.placement.as_ref();
    out.push(&[
        ("report_id", Value::Str(Some(&r.report_id))),
        ("source_path", Value::Str(Some(&r.source_path))),
        ("format", Value::Str(Some(r.format))),
        ("encoding", Value::Str(Some(&r.encoding))),
        (
            "bytes",
            Value::I64(Some(i64::try_from(r.bytes).unwrap_or(i64::MAX))),
        ),
        ("kind", Value::Str(Some(r.kind.code()))),
        ("kind_evidence", Value::Str(r.kind_evidence)),
        ("template", Value::Str(r.template.map(|t| t.code()))),
        (
            "agency",
            Value::Str(r.agency.as_ref().map(|a| a.value.as_str())),
        ),
        ("agency_source", source(&r.agency)),
        (
            "agency_normalised",
            Value::Str(p.map(|p| p.normalised.as_str())),
        ),
        (
            "division_code",
            Value::Str(p.and_then(|p| p.division_code.as_deref())),
        ),
        (
            "province",
            Value::Str(p.and_then(|p| p.province.as_deref())),
        ),
        (
            "prefecture",
            Value::Str(p.and_then(|p| p.prefecture.as_deref())),
        ),
        ("county", Value::Str(p.and_then(|p| p.county.as_deref()))),
        ("level", Value::Str(p.and_then(|p| p.level))),
        ("agency_kind", Value::Str(p.map(|p| p.kind))),
        (
            "division_evidence",
            Value::Str(p.map(|p| p.evidence.as_str())),
        ),
        ("year", Value::I32(r.year.as_ref().map(|y| y.value))),
        ("year_source", source(&r.year)),
        (
            "published_date",
            Value::Str(r.published_date.as_ref().map(|d| d.value.as_str())),
        ),
        ("published_date_source", source(&r.published_date)),
        ("status", Value::Str(Some(r.status.code()))),
        ("n_findings", count(r.findings.len())),
        ("n_errors", count(r.count(Severity::Error))),
        ("n_warnings", count(r.count(Severity::Warning))),
        ("title", Value::Str(r.title.as_deref())),
        ("page_meta_title", Value::Str(r.page_meta.title.as_deref())),
        (
            "page_meta_article_title",
            Value::Str(r.page_meta.article_title.as_deref()),
        ),
        (
            "page_meta_pub_date",
            Value::Str(r.page_meta.pub_date.as_deref()),
        ),
        (
            "page_meta_site_name",
            Value::Str(r.page_meta.site_name.as_deref()),
        ),
        (
            "page_meta_column_name",
            Value::Str(r.page_meta.column_name.as_deref()),
        ),
        (
            "page_meta_content_source",
            Value::Str(r.page_meta.content_source.as_deref()),
        ),
    ]);
}

pub(super) fn application_rows(r: &Report, out: &mut Rows) {
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
            ("report_id", Value::Str(Some(&r.report_id))),
            ("row", Value::Str(Some(c.row))),
            ("category", Value::Str(category)),
            ("applicant", Value::Str(Some(c.applicant))),
            ("value", Value::I64(c.value)),
            ("source_line", line(c.source_line)),
        ]);
    }
}

pub(super) fn proactive_rows(r: &Report, out: &mut Rows) {
    for c in &r.proactive {
        out.push(&[
            ("report_id", Value::Str(Some(&r.report_id))),
            ("item", Value::Str(Some(c.item))),
            ("measure", Value::Str(Some(c.measure))),
            ("value", Value::F64(c.value)),
            ("unit", Value::Str(Some(c.unit))),
            ("source_line", line(c.source_line)),
        ]);
    }
}

pub(super) fn procurement_rows(r: &Report, out: &mut Rows) {
    if let Some(p) = &r.procurement {
        out.push(&[
            ("report_id", Value::Str(Some(&r.report_id))),
            ("items", Value::I64(p.items)),
            ("amount_yuan", Value::F64(p.amount_yuan)),
            ("amount_raw", Value::Str(p.amount_raw.as_deref())),
            ("source_line", line(p.source_line)),
        ]);
    }
}

pub(super) fn review_rows(r: &Report, out: &mut Rows) {
    for c in &r.review_litigation {
        out.push(&[
            ("report_id", Value::Str(Some(&r.report_id))),
            ("proceeding", Value::Str(Some(c.proceeding))),
            ("outcome", Value::Str(Some(c.outcome))),
            ("value", Value::I64(c.value)),
            ("source_line", line(c.source_line)),
        ]);
    }
}

pub(super) fn finding_rows(r: &Report, out: &mut Rows) {
    for f in &r.findings {
        out.push(&[
            ("report_id", Value::Str(Some(&r.report_id))),
            ("severity", Value::Str(Some(f.severity.code()))),
            ("check", Value::Str(Some(f.check))),
            ("table", Value::Str(f.table.map(|t| t.code()))),
            ("row", Value::Str(f.row)),
            ("column", Value::Str(f.column)),
            ("expected", Value::Str(f.expected.as_deref())),
            ("actual", Value::Str(f.actual.as_deref())),
            ("message", Value::Str(Some(&f.message))),
            ("source_line", line(f.source_line)),
        ]);
    }
}

/// The builder of one column: cells are appended straight into polars' Arrow builders (a
/// string is copied once, into the array's buffer), not collected as owned values first.
pub(super) enum Builder {
    Str(StringChunkedBuilder),
    I32(PrimitiveChunkedBuilder<Int32Type>),
    I64(PrimitiveChunkedBuilder<Int64Type>),
    F64(PrimitiveChunkedBuilder<Float64Type>),
}

impl Builder {
    pub(super) fn new(name: &str, ty: ColumnType, capacity: usize) -> Self {
        let name = name.into();
        match ty {
            Str => Builder::Str(StringChunkedBuilder::new(name, capacity)),
            I32 => Builder::I32(PrimitiveChunkedBuilder::new(name, capacity)),
            I64 => Builder::I64(PrimitiveChunkedBuilder::new(name, capacity)),
            F64 => Builder::F64(PrimitiveChunkedBuilder::new(name, capacity)),
        }
    }

    pub(super) fn finish(self) -> Column {
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
///
/// The builders are kept per partition ([`Rows::select`]), so that each partition's frame
/// holds its own rows only. Slices of one frame shared by every partition kept the whole
/// frame alive until the partition of fewest rows wrote a row group, often at the end of
/// the run: memory grew with the corpus (1.8 GB at 100,000 reports against 0.8 GB in
/// the single layout).
pub(super) struct Rows {
    pub(super) def: &'static TableDef,
    pub(super) parquet: bool,
    /// Builders per partition, in the order the partitions first came.
    parts: Vec<PartColumns>,
    /// The entry of `parts` that [`Rows::push`] fills.
    current: usize,
    pub(super) csv: Option<Vec<u8>>,
    /// Rows pushed since the last [`Rows::take`], over all partitions.
    pub(super) len: usize,
}

/// The builders of one partition's rows.
struct PartColumns {
    part: Part,
    /// Empty until the first row after a [`Rows::take`]: the builders are made then, so
    /// that the frame taken before has usually been written and freed and its memory is
    /// taken again at once (memory left free is soon handed back to the system, and
    /// fresh pages cost the kernel's zeroing). A partition's frame waits in its file
    /// until the file has a row group's worth (see `MAX_PENDING_FRAMES` in table.rs).
    columns: Vec<Builder>,
    len: usize,
    /// Rows of the last frame taken: the next builders' capacity.
    capacity: usize,
}

impl PartColumns {
    fn new(part: Part) -> Self {
        PartColumns {
            part,
            columns: Vec::new(),
            len: 0,
            capacity: 0,
        }
    }
}

impl Rows {
    pub(super) fn new(def: &'static TableDef, formats: &[Format]) -> Self {
        Rows {
            def,
            parquet: formats.contains(&Format::Parquet),
            parts: vec![PartColumns::new(Part::All)],
            current: 0,
            csv: formats.contains(&Format::Csv).then(Vec::new),
            len: 0,
        }
    }

    /// The partition the next rows belong to.
    pub(super) fn select(&mut self, part: Part) {
        if self.parts[self.current].part == part {
            return;
        }
        self.current = match self.parts.iter().position(|p| p.part == part) {
            Some(i) => i,
            None => {
                self.parts.push(PartColumns::new(part));
                self.parts.len() - 1
            }
        };
    }

    /// Appends one row, each cell named by its column. The names are checked against
    /// [`TABLES`] in debug builds (every test that writes a table), so a cell pushed into
    /// the wrong column cannot go unnoticed; release builds check only the count.
    pub(super) fn push(&mut self, row: &[(&'static str, Value<'_>)]) {
        assert_eq!(row.len(), self.def.columns.len(), "table {}", self.def.name);
        debug_assert!(
            row.iter()
                .zip(self.def.columns)
                .all(|((cell, _), (column, _))| cell == column),
            "table {}: cells {:?} against columns {:?}",
            self.def.name,
            row.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
            self.def.columns.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
        );
        if self.parquet {
            let part = &mut self.parts[self.current];
            if part.columns.is_empty() {
                part.columns = self
                    .def
                    .columns
                    .iter()
                    .map(|(name, ty)| Builder::new(name, *ty, part.capacity))
                    .collect();
            }
            for (builder, (_, value)) in part.columns.iter_mut().zip(row) {
                match (builder, value) {
                    (Builder::Str(b), Value::Str(v)) => b.append_option(*v),
                    (Builder::I32(b), Value::I32(v)) => b.append_option(*v),
                    (Builder::I64(b), Value::I64(v)) => b.append_option(*v),
                    (Builder::F64(b), Value::F64(v)) => b.append_option(*v),
                    _ => panic!("column type mismatch in table {}", self.def.name),
                }
            }
            part.len += 1;
        }
        if let Some(out) = &mut self.csv {
            for (i, (_, value)) in row.iter().enumerate() {
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

    /// Moves the buffered rows out as one data frame per partition (one chunk per
    /// column) when Parquet is written. The CSV text stays: its owner writes it out and
    /// clears it.
    pub(super) fn take(&mut self) -> Result<Vec<(Part, DataFrame)>, PolarsError> {
        self.len = 0;
        let mut frames = Vec::new();
        for part in &mut self.parts {
            let height = std::mem::take(&mut part.len);
            if part.columns.is_empty() {
                continue;
            }
            part.capacity = height;
            let columns = std::mem::take(&mut part.columns)
                .into_iter()
                .map(Builder::finish)
                .collect();
            frames.push((part.part, DataFrame::new(height, columns)?));
        }
        Ok(frames)
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

/// A table of a string and an integer column, for the writer's unit tests.
#[cfg(test)]
pub(super) static TEST_TABLE: TableDef = TableDef {
    name: "t",
    columns: &[("s", Str), ("i", I64)],
    rows: |_, _| {},
};

#[cfg(test)]
mod tests {
    use super::*;

    // Each partition's frame holds its own rows, in order, and none of another's
    // bytes: a partition that gets a row now and then must not keep the others' frames
    // alive until it writes a row group.
    #[test]
    fn each_partition_takes_a_frame_of_its_own_rows() {
        let mut rows = Rows::new(&TEST_TABLE, &Format::ALL);
        let long = "年度报告".repeat(64);
        for i in 0..2_000 {
            let part = if i % 1_000 == 7 { 2008 } else { 2024 };
            rows.select(Part::Year(Some(part)));
            rows.push(&[("s", Value::Str(Some(&long))), ("i", Value::I64(Some(i)))]);
        }
        assert_eq!(rows.len, 2_000);
        let frames = rows.take().unwrap();
        assert_eq!(rows.len, 0);
        let parts: Vec<Part> = frames.iter().map(|(p, _)| *p).collect();
        assert_eq!(parts, [Part::Year(Some(2024)), Part::Year(Some(2008))]);
        let ids = |df: &DataFrame| -> Vec<Option<i64>> {
            df.column("i").unwrap().i64().unwrap().iter().collect()
        };
        assert_eq!(ids(&frames[1].1), [Some(7), Some(1_007)]);
        let others: Vec<Option<i64>> = (0..2_000).filter(|i| i % 1_000 != 7).map(Some).collect();
        assert_eq!(ids(&frames[0].1), others);
        // What the strings' buffers hold, shared or not (`estimated_size` leaves out
        // buffers a slice shares): 1,998 long strings when the frames are slices of one.
        let buffers = |df: &DataFrame| -> usize {
            let s = df.column("s").unwrap().str().unwrap();
            s.downcast_iter().map(|a| a.total_buffer_len()).sum()
        };
        assert_eq!(buffers(&frames[1].1), 2 * long.len());
        assert_eq!(
            buffers(&frames[1].1.slice(0, 1)),
            2 * long.len(),
            "a slice keeps its frame's buffers: the check above can fail"
        );
        // The CSV text keeps every row in the order pushed.
        let csv = String::from_utf8(rows.csv.take().unwrap()).unwrap();
        let order: Vec<i64> = csv
            .lines()
            .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(order, (0..2_000).collect::<Vec<i64>>());
    }

    // Debug builds only: release builds check the count of cells, not their names.
    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "against columns")]
    fn a_cell_under_another_columns_name_is_refused() {
        static T: TableDef = TableDef {
            name: "t",
            columns: &[("a", Str), ("b", Str)],
            rows: |_, _| {},
        };
        let mut rows = Rows::new(&T, &Format::ALL);
        rows.push(&[("b", Value::Str(Some("x"))), ("a", Value::Str(None))]);
    }
}
