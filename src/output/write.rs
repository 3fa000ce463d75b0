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

use std::io;
use std::path::{Path, PathBuf};

use polars::prelude::PolarsError;

mod commit;
mod csv;
mod previous;
mod rows;
mod schema;
mod table;

pub use self::csv::csv_header;
pub use commit::{
    partial_path, remove_stale_temp_dirs, replace_file, settled_name, write_whole, Output,
};
pub(crate) use previous::link_or_copy;
pub use previous::{CarriedRange, PreviousTables};
pub use rows::row_counts;
pub use schema::{
    parquet_path, ColumnType, Format, Layout, TableDef, DERIVED_TABLES, EXTRA_FILES,
    SCHEMA_VERSION, TABLES,
};

/// Rows buffered per table (per partition) before they are written as one Parquet row
/// group. See `docs/performance.md` for the measurement behind the choice.
pub const ROW_GROUP_ROWS: usize = 64 * 1024;

/// The buffer between a Parquet encoder and its file. Unbuffered, polars' writer made one
/// system call per field of each page header (35,000 `write`s of one to eight bytes for
/// 2,000 reports, a tenth of the build's CPU time in the kernel).
pub(crate) const PARQUET_BUFFER: usize = 256 * 1024;

/// `file` behind a [`PARQUET_BUFFER`]: polars' Parquet writer flushes it when it writes
/// the footer, so an error in the last bytes is still returned by the writer.
pub(crate) fn parquet_buffer<W: io::Write>(file: W) -> io::BufWriter<W> {
    io::BufWriter::with_capacity(PARQUET_BUFFER, file)
}

/// The Parquet writer of every output table, per-report or across reports: one set of
/// settings, so a table's files read the same whichever path wrote them.
pub(crate) fn table_parquet_writer<W: io::Write>(
    file: W,
) -> polars::io::parquet::write::ParquetWriter<io::BufWriter<W>> {
    use polars::io::parquet::write::{ParquetCompression, ParquetWriter, StatisticsOptions};
    ParquetWriter::new(parquet_buffer(file))
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(StatisticsOptions::default())
        .with_row_group_size(Some(ROW_GROUP_ROWS))
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

#[cfg(test)]
pub(crate) mod tests {
    use super::csv::{csv_rows, CsvSink};
    use super::rows::{Rows, Value};
    use super::schema::{Str, F64, I32, I64};
    use super::*;
    use crate::model::*;
    use crate::templates::APPLICATION_ROWS;
    use polars::io::csv::write::CsvWriter;
    use polars::io::SerWriter;
    use polars::prelude::{Column, CsvReadOptions, DataFrame, ParquetReader, SerReader};
    use std::fs::{self, File};

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
                ("s", Value::Str(s.get(r))),
                ("i", Value::I64(i.get(r))),
                ("j", Value::I32(j.get(r))),
                ("f", Value::F64(f.get(r))),
            ]);
        }
        let frame = rows.take().unwrap().remove(0).1;
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
            CsvSink::create(path.clone(), def, false)
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
