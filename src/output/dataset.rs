//! Reading a written output directory back as lazy tables: the input of the stages that
//! work across reports ([`crate::link`], [`crate::aggregate`], [`crate::publish`]).
//!
//! A table is read from Parquet when the run wrote it (one file, or one file per year
//! partition), else from its CSV file with the schema the writer used, so the stages see
//! the same types whatever `--formats` and `--layout` were.
//!
//! Every read of Parquet output goes through [`scan_parquet`] (the stages across reports,
//! `stats`, `merge`, and the rows an incremental build carries over): left to itself,
//! polars guesses a Hive column's type per scan from the directory names, and a
//! `year=__HIVE_DEFAULT_PARTITION__` partition alone is guessed a string, which no
//! longer stacks with the integer years of the others.

use crate::write::{TableDef, TABLES};
use polars::io::HiveOptions;
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
        source: PolarsMessage,
    },
}

/// Maps a polars error to [`DatasetError::Polars`] with what was being done.
pub fn polars_err(what: impl Into<String>) -> impl FnOnce(PolarsError) -> DatasetError {
    let what = what.into();
    move |source| DatasetError::Polars {
        what,
        source: PolarsMessage(source),
    }
}

/// A polars error as nianbao reports it: polars' own message, without the query plan it
/// appends when a query cannot be resolved. That dump (every scan with its `ESTIMATED
/// ROWS: N`, dozens of lines) is for polars' developers and buried the one line a user
/// needs.
#[derive(Debug)]
pub struct PolarsMessage(pub PolarsError);

impl std::fmt::Display for PolarsMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let full = self.0.to_string();
        let message = full
            .split_once("\n\nResolved plan until failure")
            .map_or(full.as_str(), |(message, _)| message);
        f.write_str(message.trim_end())
    }
}

// No `source()`: the chain printed with `{:#}` would repeat the whole message, plan and all.
impl std::error::Error for PolarsMessage {}

/// The partition column of `--layout partitioned` (`NAME/year=2023/…`) and the type it is
/// read back as: null for `year=__HIVE_DEFAULT_PARTITION__`, the files of reports whose
/// year is unknown. DuckDB reads it as the same BIGINT.
pub const PARTITION_COLUMN: &str = "year";

fn partition_schema() -> Schema {
    Schema::from_iter([Field::new(PARTITION_COLUMN.into(), DataType::Int64)])
}

/// How [`scan_parquet`] reads a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parquet {
    /// One file, as it is: any `k=v` directory in its path (the user's, or the partition
    /// the file is in) is not a column.
    File,
    /// A table directory of `year=…/part-*.parquet` partitions, with [`PARTITION_COLUMN`]
    /// from the directory names.
    Partitions,
}

/// The definition of one of the per-report tables.
fn def(table: &str) -> Option<&'static TableDef> {
    TABLES.iter().find(|t| t.name == table)
}

fn ref_path(path: &Path) -> Result<PlRefPath, DatasetError> {
    PlRefPath::try_from_path(path).map_err(polars_err(path.display().to_string()))
}

/// Whether `dir` holds `table` as Parquet: `table.parquet`, or a part file of a
/// partitioned table.
fn has_parquet(dir: &Path, table: &str) -> Result<bool, DatasetError> {
    if dir.join(format!("{table}.parquet")).is_file() {
        return Ok(true);
    }
    let root = dir.join(table);
    if !root.is_dir() {
        return Ok(false);
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DatasetError::Io { path, source }
    };
    for part in fs::read_dir(&root).map_err(io(&root))? {
        let part = part.map_err(io(&root))?.path();
        if !part.is_dir() {
            continue;
        }
        for file in fs::read_dir(&part).map_err(io(&part))? {
            if file
                .map_err(io(&part))?
                .path()
                .extension()
                .is_some_and(|e| e == "parquet")
            {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// The Parquet file(s) at `path` as one lazy frame (see [`Parquet`]). Partitions are read
/// in one scan with the partition column's type fixed, whatever years are present.
pub fn scan_parquet(path: &Path, how: Parquet) -> Result<LazyFrame, DatasetError> {
    let hive_options = match how {
        Parquet::File => HiveOptions::new_disabled(),
        // Scanning the table's own directory makes polars parse `k=v` only below it.
        Parquet::Partitions => HiveOptions {
            schema: Some(Arc::new(partition_schema())),
            try_parse_dates: false,
            ..HiveOptions::new_enabled()
        },
    };
    let args = ScanArgsParquet {
        // Paths are paths: a `[` in a directory name is not a glob.
        glob: false,
        hive_options,
        ..Default::default()
    };
    LazyFrame::scan_parquet(ref_path(path)?, args).map_err(polars_err(path.display().to_string()))
}

/// `lf`, a partitioned read of table `table`, with the columns the single layout has: the
/// partition column is the `reports` table's own `year`, cast back to its type, and is
/// dropped from the other tables (their rows join `reports` for their year).
fn conform(lf: LazyFrame, table: &str) -> LazyFrame {
    match def(table).and_then(|d| d.schema().get(PARTITION_COLUMN).cloned()) {
        Some(dtype) => lf.with_column(col(PARTITION_COLUMN).cast(dtype)),
        None => lf.drop(by_name([PARTITION_COLUMN], false, false)),
    }
}

/// Table `table` of output directory `dir`, lazily.
pub fn scan(dir: &Path, table: &str) -> Result<LazyFrame, DatasetError> {
    if has_parquet(dir, table)? {
        let single = dir.join(format!("{table}.parquet"));
        return if single.is_file() {
            scan_parquet(&single, Parquet::File)
        } else {
            Ok(conform(
                scan_parquet(&dir.join(table), Parquet::Partitions)?,
                table,
            ))
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
    // Outputs written before empty partitioned tables got a file of no year have no
    // directory for them: empty, when the run wrote Parquet at all.
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

/// Rows `start..start + len` (fewer at its end) of `file`, one Parquet file of a table (a
/// whole table, or one partition): the rows an incremental build or a merge carries
/// over. Read as a [`Parquet::File`]: the carried rows keep the columns they were written
/// with, and the writer puts them back into their report's partition.
pub fn read_rows(file: &Path, start: usize, len: usize) -> Result<DataFrame, DatasetError> {
    let what = format!("reading rows {start}..{}", start.saturating_add(len));
    scan_parquet(file, Parquet::File)?
        .slice(
            i64::try_from(start).unwrap_or(i64::MAX),
            IdxSize::try_from(len).unwrap_or(IdxSize::MAX),
        )
        .collect()
        .map_err(polars_err(what))
}

/// Rows of one Parquet file, from its footer.
pub fn count_rows(file: &Path) -> Result<usize, DatasetError> {
    let what = format!("counting rows of {}", file.display());
    let df = scan_parquet(file, Parquet::File)?
        .select([len()])
        .collect()
        .map_err(polars_err(what.clone()))?;
    let n = df
        .column("len")
        .and_then(|c| c.get(0))
        .map_err(polars_err(what))?;
    Ok(n.extract::<u64>().unwrap_or(0) as usize)
}

/// Checks that `table` of `dir` has `columns`: an output written by an older nianbao
/// lacks the agency columns the stages across reports group by.
pub fn require(dir: &Path, table: &str, columns: &[&str]) -> Result<(), DatasetError> {
    let present: Vec<String> = if !has_parquet(dir, table)? {
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

/// The values of a boolean column, null as `None`.
pub fn booleans(df: &DataFrame, name: &str) -> Result<Vec<Option<bool>>, DatasetError> {
    let col = df
        .column(name)
        .and_then(|c| c.bool())
        .map_err(polars_err(name.to_string()))?;
    Ok(col.iter().collect())
}

/// The values of a numeric column of type `T` exactly (no cast), null as `None`.
pub fn numbers<T: PolarsNumericType>(
    df: &DataFrame,
    name: &str,
) -> Result<Vec<Option<T::Native>>, DatasetError> {
    let col = df
        .column(name)
        .and_then(|c| c.as_materialized_series().unpack::<T>())
        .map_err(polars_err(name.to_string()))?;
    Ok(col.iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polars_message_leaves_out_the_plan() {
        let error = PolarsError::InvalidOperation(
            "inputs should all have the same schema\n\nResolved plan until failure:\n\n\t\
             ---> FAILED HERE RESOLVING 'sink' <---\nParquet SCAN [a.parquet]\nESTIMATED ROWS: 3"
                .into(),
        );
        let shown = DatasetError::Polars {
            what: "computing aggregates".into(),
            source: PolarsMessage(error),
        }
        .to_string();
        assert_eq!(
            shown,
            "computing aggregates: inputs should all have the same schema"
        );
    }
}
