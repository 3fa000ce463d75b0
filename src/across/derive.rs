//! The stages after the per-report tables are written: [`crate::link`] (groups,
//! duplicates, continuity) then [`crate::aggregate`], and writing their tables
//! ([`DERIVED_TABLES`]) into the same output directory.
//!
//! They read the per-report tables back from the directory, so a full build, an
//! incremental build, a merge of shards and `nianbao stats` on an existing output all
//! compute them the same way, from the same rows. A build hands over what it already
//! computed of each report it parsed ([`crate::facts`]: the values the memo keeps), and
//! only what that does not cover is read back.

use crate::dataset::{self, DatasetError};
use crate::facts::Fresh;
use crate::link::{self, Options};
use crate::memo::{Memo, MEMO_FILES};
use crate::write::{self, Format, WriteError, DERIVED_TABLES};
use polars::prelude::{col, len, DataFrame};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// Why the derived tables could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DeriveError {
    /// Reading or computing.
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    /// Writing.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// What the derived tables hold, for the run summary and the manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Derived {
    /// Rows per table of [`DERIVED_TABLES`], in order.
    pub rows: Vec<(String, usize)>,
    /// Groups of more than one file.
    pub duplicate_groups: usize,
    /// Cross-report findings per check.
    pub findings: BTreeMap<String, usize>,
}

/// What an incremental build takes from the output it replaces, for [`derive`].
#[derive(Debug)]
pub struct Previous<'a> {
    /// The memo of its derived tables ([`crate::memo`]), written by this version of
    /// nianbao (the caller checks); `None` when it had none or it could not be read.
    pub memo: Option<Memo>,
    /// The ids of the reports this run parsed: nothing the memo holds of them stands.
    pub parsed: &'a HashSet<String>,
}

/// Computes and writes the derived tables of output directory `dir` (in `formats`), and
/// the memo of what they were computed from, reusing what of `previous`'s memo stands
/// and taking from `fresh` what the run computed of the reports it parsed.
pub fn derive(
    dir: &Path,
    formats: &[Format],
    options: &Options,
    previous: Option<Previous>,
    mut fresh: Fresh,
) -> Result<Derived, DeriveError> {
    let nothing = HashSet::new();
    let (memo, parsed) = match previous {
        Some(p) => (p.memo, p.parsed),
        None => (None, &nothing),
    };
    let linked = link::link(dir, options, memo, parsed, &mut fresh)?;
    let mut memo = linked.memo;
    let mut aggregates = crate::aggregate::aggregate(dir, &linked.groups, &mut memo, &mut fresh)?;
    drop(fresh);
    let mut groups = linked.groups;
    let mut cross = linked.findings;
    // The memo is written beside the tables, on its own thread.
    let rows = std::thread::scope(|scope| -> Result<_, DeriveError> {
        let saved = scope.spawn(|| memo.save(dir));
        let mut rows = Vec::new();
        for (name, df) in DERIVED_TABLES
            .iter()
            .zip([&mut groups, &mut cross, &mut aggregates])
        {
            let n = write::write_whole(dir, name, df, formats)?;
            rows.push((name.to_string(), n));
        }
        saved
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        Ok(rows)
    })?;
    Ok(summarise(rows, &groups, &cross)?)
}

/// The derived tables of `previous`, an output whose per-report tables are row for row
/// those of `dir` and whose derived tables were computed as this run would compute them
/// (the caller checks both): linked into `dir` as they are, in `formats`. `None` when one
/// of their files is not there; [`derive`] then computes them.
///
/// The tables across reports are a function of the per-report tables (and of the
/// thresholds), so a night on which no file changed costs no recomputation: at 100,000
/// reports `derive` is about 4.5 s, three fifths of such a run (`docs/performance.md`).
pub fn reuse(
    previous: &Path,
    dir: &Path,
    formats: &[Format],
) -> Result<Option<Derived>, DeriveError> {
    let files: Vec<String> = DERIVED_TABLES
        .iter()
        .flat_map(|name| formats.iter().map(move |f| format!("{name}.{f}")))
        .collect();
    if !files.iter().all(|f| previous.join(f).is_file()) {
        return Ok(None);
    }
    for f in &files {
        write::link_or_copy(&previous.join(f), &dir.join(f))?;
    }
    // The memo goes with them; without it the next run computes it again.
    for f in MEMO_FILES {
        if previous.join(f).is_file() {
            write::link_or_copy(&previous.join(f), &dir.join(f))?;
        }
    }
    let [groups, cross, aggregates] = DERIVED_TABLES;
    let groups = dataset::collect(dir, groups, |lf| {
        lf.select([col("group_size"), col("rank")])
    })?;
    let cross = dataset::collect(dir, cross, |lf| lf.select([col("check")]))?;
    let n = dataset::collect(dir, aggregates, |lf| lf.select([len().alias("n")]))?;
    let n = dataset::integers(&n, "n")?.first().copied().flatten();
    let rows = DERIVED_TABLES
        .iter()
        .map(|name| name.to_string())
        .zip([groups.height(), cross.height(), n.unwrap_or(0) as usize])
        .collect();
    Ok(Some(summarise(rows, &groups, &cross)?))
}

/// What a run reports of its derived tables: `rows` per table, and the duplicate groups
/// and cross-report findings counted in `groups` and `cross`.
fn summarise(
    rows: Vec<(String, usize)>,
    groups: &DataFrame,
    cross: &DataFrame,
) -> Result<Derived, DatasetError> {
    let sizes = dataset::integers(groups, "group_size")?;
    let ranks = dataset::integers(groups, "rank")?;
    let duplicate_groups = sizes
        .iter()
        .zip(&ranks)
        .filter(|(s, r)| s.unwrap_or(0) > 1 && **r == Some(1))
        .count();
    let mut findings = BTreeMap::new();
    for check in dataset::strings(cross, "check")?.into_iter().flatten() {
        *findings.entry(check.to_string()).or_default() += 1;
    }
    Ok(Derived {
        rows,
        duplicate_groups,
        findings,
    })
}

/// The formats the per-report tables of `dir` were written in.
pub fn formats_of(dir: &Path) -> Vec<Format> {
    Format::ALL
        .into_iter()
        .filter(|f| match f {
            Format::Parquet => {
                dir.join("reports.parquet").is_file() || dir.join("reports").is_dir()
            }
            Format::Csv => dir.join("reports.csv").is_file(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::lit;

    /// `cells_read` of the file `path` in `report_groups` of `out`.
    fn cells_read(out: &Path, path: &str) -> i64 {
        let df = dataset::collect(out, "report_groups", |lf| {
            lf.filter(col("source_path").eq(lit(path.to_string())))
                .select([col("cells_read")])
        })
        .unwrap();
        dataset::integers(&df, "cells_read").unwrap()[0].unwrap()
    }

    // The memo is what an incremental build takes for the reports it did not parse (a
    // value planted in it shows up), and nothing of a report it parsed.
    #[test]
    fn an_incremental_build_takes_what_stands_from_the_memo() {
        let corpus = tempfile::tempdir().unwrap();
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
        for name in ["gbk_2019.txt", "pipe_2021.txt", "layout_2021.txt"] {
            std::fs::copy(sample.join(name), corpus.path().join(name)).unwrap();
        }
        let out = tempfile::tempdir().unwrap();
        let config = crate::run::Config::new(corpus.path(), out.path().join("o"), 1);
        let build = || crate::run::build(&config).unwrap();
        let append = |name: &str| {
            let path = corpus.path().join(name);
            let mut bytes = std::fs::read(&path).unwrap();
            bytes.extend_from_slice(b"\n");
            std::fs::write(path, bytes).unwrap();
        };
        build();
        let read = cells_read(&config.out, "pipe_2021.txt");
        assert!(read > 0);
        let mut memo = Memo::load(&config.out).expect("a memo");
        for n in memo.cells.values_mut() {
            *n += 1000;
        }
        memo.save(&config.out).unwrap();

        append("gbk_2019.txt");
        build();
        assert_eq!(cells_read(&config.out, "pipe_2021.txt"), read + 1000);
        let memo = Memo::load(&config.out).unwrap();
        assert_eq!(memo.files.len(), 3);
        assert!(
            memo.cells.values().filter(|n| **n < 1000).count() == 1,
            "the parsed report counted anew: {:?}",
            memo.cells
        );

        append("pipe_2021.txt");
        build();
        assert_eq!(cells_read(&config.out, "pipe_2021.txt"), read);
    }

    #[test]
    fn derived_table_names_are_not_per_report_tables() {
        for name in DERIVED_TABLES {
            assert!(write::TABLES.iter().all(|t| t.name != name));
        }
    }
}
