//! The output schema: the tables, their columns and types ([`TABLES`]), the formats,
//! and where each table's files go in each layout.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use polars::prelude::{DataType, Field, Schema};

use super::rows::{
    application_rows, finding_rows, proactive_rows, procurement_rows, report_rows, review_rows,
    Rows,
};
use super::WriteError;
use crate::model::Report;

/// The version of the output schema ([`TABLES`]), recorded in `manifest.json`. Bump it
/// whenever a table or column is added, removed, renamed or retyped.
pub const SCHEMA_VERSION: u32 = 3;

/// Files other than the tables that an output directory holds.
pub const EXTRA_FILES: [&str; 4] = [
    "state.json",
    "manifest.json",
    crate::memo::MEMO_FILES[0],
    crate::memo::MEMO_FILES[1],
];

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
    pub(super) rows: fn(&Report, &mut Rows),
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

pub(super) use ColumnType::{Str, F64, I32, I64};

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

/// The tables computed across reports after the per-report tables are written
/// ([`crate::derive`]): always one file per format, whatever the layout (they are small,
/// and derived from every year at once).
pub const DERIVED_TABLES: [&str; 3] = ["report_groups", "cross_findings", "aggregates"];
