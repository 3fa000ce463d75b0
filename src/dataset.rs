//! Reading a written output directory back as lazy tables: the input of the stages that
//! work across reports ([`crate::link`], [`crate::aggregate`], [`crate::publish`]).
//!
//! A table is read from Parquet when the run wrote it (one file, or one file per year
//! partition), else from its CSV file with the schema the writer used, so the stages see
//! the same types whatever `--formats` and `--layout` were.

use crate::write::{TableDef, TABLES};
use polars::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// Why a table of an output directory could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// Neither a Parquet nor a CSV file of the table is there.
    #[error("{dir}: no {table}.parquet or {table}.csv (is this a nianbao output directory?)")]
    Missing {
        /// The output directory.
        dir: PathBuf,
        /// The table looked for.
        table: String,
    },
    /// The table lacks columns this version needs.
    #[error(
        "{dir}: {table} has no column {missing}; it was written by an older nianbao \
         (rebuild it with `nianbao build --full`)"
    )]
    OldOutput {
        /// The output directory.
        dir: PathBuf,
        /// The table.
        table: String,
        /// The missing columns, comma-separated.
        missing: String,
    },
    /// Listing a partitioned table failed.
    #[error("{path}: {source}")]
    Io {
        /// The directory being listed.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Polars could not scan or compute.
    #[error("{what}: {source}")]
    Polars {
        /// What was being read or computed.
        what: String,
        /// The error.
        source: PolarsError,
    },
}

/// Maps a polars error to [`DatasetError::Polars`] with what was being done.
pub fn polars_err(what: impl Into<String>) -> impl FnOnce(PolarsError) -> DatasetError {
    let what = what.into();
    move |source| DatasetError::Polars { what, source }
}

/// The definition of one of the per-report tables.
fn def(table: &str) -> Option<&'static TableDef> {
    TABLES.iter().find(|t| t.name == table)
}

fn ref_path(path: &Path) -> Result<PlRefPath, DatasetError> {
    PlRefPath::try_from_path(path).map_err(polars_err(path.display().to_string()))
}

/// The Parquet files of `table` in `dir`: `table.parquet`, or the part files of a
/// partitioned table in partition order.
fn parquet_files(dir: &Path, table: &str) -> Result<Vec<PathBuf>, DatasetError> {
    let single = dir.join(format!("{table}.parquet"));
    if single.is_file() {
        return Ok(vec![single]);
    }
    let root = dir.join(table);
    if !root.is_dir() {
        return Ok(Vec::new());
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DatasetError::Io { path, source }
    };
    let mut files = Vec::new();
    for part in fs::read_dir(&root).map_err(io(&root))? {
        let part = part.map_err(io(&root))?.path();
        if !part.is_dir() {
            continue;
        }
        for file in fs::read_dir(&part).map_err(io(&part))? {
            let file = file.map_err(io(&part))?.path();
            if file.extension().is_some_and(|e| e == "parquet") {
                files.push(file);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Table `table` of output directory `dir`, lazily.
pub fn scan(dir: &Path, table: &str) -> Result<LazyFrame, DatasetError> {
    let files = parquet_files(dir, table)?;
    if !files.is_empty() {
        let args = || ScanArgsParquet {
            // Paths are paths: a `[` in a directory name is not a glob.
            glob: false,
            ..Default::default()
        };
        let frames = files
            .iter()
            .map(|f| {
                LazyFrame::scan_parquet(ref_path(f)?, args())
                    .map_err(polars_err(f.display().to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        return if frames.len() == 1 {
            Ok(frames.into_iter().next().expect("one frame"))
        } else {
            concat(frames, UnionArgs::default()).map_err(polars_err(table))
        };
    }
    let csv = dir.join(format!("{table}.csv"));
    if csv.is_file() {
        let mut reader = LazyCsvReader::new(ref_path(&csv)?).with_has_header(true);
        if let Some(def) = def(table) {
            reader = reader.with_schema(Some(Arc::new(def.schema())));
        }
        return reader
            .finish()
            .map_err(polars_err(csv.display().to_string()));
    }
    // A partitioned Parquet table with no rows has no partition to write (the single
    // layout writes an empty file): empty, when the run wrote Parquet at all.
    if let Some(def) = def(table) {
        if dir.join("reports").is_dir() {
            return Ok(DataFrame::empty_with_schema(&def.schema()).lazy());
        }
    }
    Err(DatasetError::Missing {
        dir: dir.to_path_buf(),
        table: table.to_string(),
    })
}

/// Checks that `table` of `dir` has `columns`: an output written by an older nianbao
/// lacks the agency columns the stages across reports group by.
pub fn require(dir: &Path, table: &str, columns: &[&str]) -> Result<(), DatasetError> {
    let present: Vec<String> = if parquet_files(dir, table)?.is_empty() {
        // CSV is scanned with the current schema, so its own header is what tells.
        let path = dir.join(format!("{table}.csv"));
        let text = fs::read_to_string(&path).map_err(|source| DatasetError::Io {
            path: path.clone(),
            source,
        })?;
        let header = text.lines().next().unwrap_or_default();
        header
            .split(',')
            .map(|c| c.trim_matches('"').to_string())
            .collect()
    } else {
        scan(dir, table)?
            .collect_schema()
            .map_err(polars_err(format!("reading {table}")))?
            .iter_names()
            .map(|n| n.to_string())
            .collect()
    };
    let missing: Vec<&str> = columns
        .iter()
        .copied()
        .filter(|c| !present.iter().any(|p| p == c))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(DatasetError::OldOutput {
            dir: dir.to_path_buf(),
            table: table.to_string(),
            missing: missing.join(", "),
        })
    }
}

/// Table `table` of `dir`, reduced by `query` and collected.
pub fn collect(
    dir: &Path,
    table: &str,
    query: impl FnOnce(LazyFrame) -> LazyFrame,
) -> Result<DataFrame, DatasetError> {
    run(query(scan(dir, table)?), &format!("reading {table}"))
}

/// Collects `lf` on polars' streaming engine: the cell tables of a national corpus hold
/// tens of millions of rows, which the in-memory engine would load whole before
/// filtering and grouping them.
pub fn run(lf: LazyFrame, what: &str) -> Result<DataFrame, DatasetError> {
    // One query, one sink: the result is a single frame (several come only from
    // collecting several queries at once).
    lf.collect_with_engine(Engine::Streaming)
        .map(|r| r.unwrap_single())
        .map_err(polars_err(what))
}

/// `lf` joined with `other` on `report_id` (`how`: semi to keep the reports `other`
/// lists, left to add its columns, inner for both).
pub fn join_reports(lf: LazyFrame, other: LazyFrame, how: JoinType) -> LazyFrame {
    lf.join(
        other,
        [col("report_id")],
        [col("report_id")],
        JoinArgs::new(how),
    )
}

/// The values of a string column, null as `None`.
pub fn strings<'a>(df: &'a DataFrame, name: &str) -> Result<Vec<Option<&'a str>>, DatasetError> {
    let col = df
        .column(name)
        .and_then(|c| c.str())
        .map_err(polars_err(name.to_string()))?;
    Ok(col.iter().collect())
}

/// The values of an integer column (any integer type), null as `None`.
pub fn integers(df: &DataFrame, name: &str) -> Result<Vec<Option<i64>>, DatasetError> {
    let col = df
        .column(name)
        .and_then(|c| c.cast(&DataType::Int64))
        .map_err(polars_err(name.to_string()))?;
    let ca = col.i64().map_err(polars_err(name.to_string()))?;
    Ok(ca.iter().collect())
}
