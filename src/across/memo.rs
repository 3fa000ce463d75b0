//! What the tables across reports computed per report and per pair of files, kept in the
//! output (`derive_memo.*.bin`) so that the next incremental build recomputes only what the
//! files it parsed or removed touch.
//!
//! Everything kept is a function of the per-report rows of the files that share one
//! `report_id`: the cells they read, their section-三 cells of the cross-year checks,
//! their aggregate figures, and the cells in which two such sets of files differ. Those
//! rows are in turn a function of each file's bytes (the `report_id` is their hash) and
//! path, under one parser. So an entry stands when the run parsed no file of its id and
//! the paths of its id are the ones it was computed from ([`Memo::carry`]); the caller
//! checks that the previous output was written by this version. At 100,000 reports
//! `derive` after a night's 1,000 new files takes 2.6 s instead of 5.2 s
//! (`docs/performance.md`).
//!
//! The files are Parquet, under names no `*.parquet` glob over the output picks up: they
//! are not tables for readers, and a missing or unreadable one only means recomputing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File};
use std::path::Path;

use polars::prelude::*;

use super::link::{Diff, YearCells, YEAR_CELLS};
use crate::dataset::{self, polars_err, DatasetError};
use crate::write::{self, WriteError};

/// What a memo entry means: bumped whenever that changes without `PARSER_VERSION` (which
/// re-parses every file) changing too — a figure's rows, what `cells read` counts, the
/// order of the cells a differing cell is numbered in. A memo of another version is not
/// read.
const MEMO_VERSION: u32 = 1;

/// The memo's files in an output directory: per report, and per pair of files.
pub const MEMO_FILES: [&str; 2] = ["derive_memo.reports.bin", "derive_memo.pairs.bin"];

/// A report's aggregate inputs: one value per figure of
/// [`crate::aggregate::FIGURE_COLUMNS`], and whether its two tables were read complete.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Figures {
    pub(crate) values: Vec<Option<i64>>,
    pub(crate) applications_complete: Option<bool>,
    pub(crate) review_complete: Option<bool>,
}

impl Figures {
    /// The figure columns ([`crate::aggregate::FIGURE_COLUMNS`]) and the two completeness
    /// flags of `of`, a row each; `None` gives nulls.
    pub(crate) fn columns(of: &[Option<&Figures>]) -> Vec<Column> {
        let mut columns: Vec<Column> = crate::aggregate::FIGURE_COLUMNS
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let v: Vec<Option<i64>> = of
                    .iter()
                    .map(|f| f.and_then(|f| f.values.get(k).copied().flatten()))
                    .collect();
                Column::new((*name).into(), v)
            })
            .collect();
        let flag = |name: &str, of_one: fn(&Figures) -> Option<bool>| {
            let v: Vec<Option<bool>> = of.iter().map(|f| f.and_then(of_one)).collect();
            Column::new(name.into(), v)
        };
        columns.push(flag("applications_complete", |f| f.applications_complete));
        columns.push(flag("review_complete", |f| f.review_complete));
        columns
    }

    /// The figures of each row of `df`, which has the columns [`Figures::columns`] writes.
    pub(crate) fn read(df: &DataFrame) -> Result<Vec<Figures>, DatasetError> {
        let values = crate::aggregate::FIGURE_COLUMNS
            .iter()
            .map(|name| dataset::integers(df, name))
            .collect::<Result<Vec<_>, _>>()?;
        let applications = dataset::booleans(df, "applications_complete")?;
        let review = dataset::booleans(df, "review_complete")?;
        Ok((0..df.height())
            .map(|i| Figures {
                values: values.iter().map(|v| v[i]).collect(),
                applications_complete: applications[i],
                review_complete: review[i],
            })
            .collect())
    }
}

/// See the module documentation.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Memo {
    /// Per report id, a hash of the paths of its files (see [`files_hash`]).
    pub(crate) files: HashMap<String, u64>,
    /// Cells read, over the files of the id.
    pub(crate) cells: HashMap<String, i64>,
    /// Section-三 cells of the cross-year checks (all `None` when it has none).
    pub(crate) year: YearCells,
    /// Aggregate inputs (of primaries only: nothing else is aggregated).
    pub(crate) figures: HashMap<String, Figures>,
    /// Differing cells of (member, primary) pairs, empty when they agree.
    pub(crate) pairs: HashMap<(String, String), Vec<Diff>>,
}

/// The hash of the paths of the files of each report id, from `reports` rows
/// (`ids[i]`, `paths[i]`).
pub(crate) fn files_hash<'a>(
    rows: impl Iterator<Item = (&'a str, &'a str)>,
) -> HashMap<String, u64> {
    let mut by_id: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, path) in rows {
        by_id.entry(id).or_default().push(path);
    }
    by_id
        .into_iter()
        .map(|(id, mut paths)| {
            paths.sort_unstable();
            let mut hasher = blake3::Hasher::new();
            for p in paths {
                hasher.update(p.as_bytes());
                hasher.update(&[0]);
            }
            let bytes = hasher.finalize();
            let mut first = [0u8; 8];
            first.copy_from_slice(&bytes.as_bytes()[..8]);
            (id.to_string(), u64::from_le_bytes(first))
        })
        .collect()
}

impl Memo {
    /// The entries of `previous` that stand for the output whose report ids have the
    /// files `files` ([`files_hash`]), given the ids of the reports this run parsed
    /// (`parsed`); the result's `files` is `files`.
    pub(crate) fn carry(
        previous: Option<Memo>,
        files: HashMap<String, u64>,
        parsed: &HashSet<String>,
    ) -> Memo {
        let Some(mut memo) = previous else {
            return Memo {
                files,
                ..Memo::default()
            };
        };
        let valid: HashSet<String> = memo
            .files
            .iter()
            .filter(|(id, hash)| !parsed.contains(*id) && files.get(*id) == Some(*hash))
            .map(|(id, _)| id.clone())
            .collect();
        memo.cells.retain(|id, _| valid.contains(id));
        memo.year.retain(|id, _| valid.contains(id));
        memo.figures.retain(|id, _| valid.contains(id));
        memo.pairs
            .retain(|(m, p), _| valid.contains(m) && valid.contains(p));
        memo.files = files;
        memo
    }

    /// Drops what concerns ids no longer in the output, and pairs not compared any more.
    pub(crate) fn keep_only(&mut self, pairs: &std::collections::BTreeSet<(String, String)>) {
        let files = &self.files;
        self.cells.retain(|id, _| files.contains_key(id));
        self.year.retain(|id, _| files.contains_key(id));
        self.figures.retain(|id, _| files.contains_key(id));
        self.pairs.retain(|pair, _| pairs.contains(pair));
    }

    /// Reads the memo of output directory `dir`; `None` when there is none or it cannot
    /// be read (it is recomputed).
    pub fn load(dir: &Path) -> Option<Memo> {
        let read = |name: &str| {
            let path = dir.join(name);
            if !path.is_file() {
                return None;
            }
            let df = dataset::scan_parquet(&path, dataset::Parquet::File)
                .ok()?
                .collect()
                .ok()?;
            let version = df.column("memo_version").ok()?.u32().ok()?;
            (version.null_count() == 0 && version.iter().all(|v| v == Some(MEMO_VERSION)))
                .then_some(df)
        };
        let [reports, pairs] = MEMO_FILES;
        let (reports, pairs) = (read(reports)?, read(pairs)?);
        let mut memo = Memo::default();
        memo.read_reports(&reports).ok()?;
        memo.read_pairs(&pairs).ok()?;
        Some(memo)
    }

    /// Writes the memo into output directory `dir` (each file beside its final name,
    /// then renamed).
    pub fn save(&self, dir: &Path) -> Result<(), WriteError> {
        for (name, frame) in MEMO_FILES
            .iter()
            .zip([Memo::reports_frame, Memo::pairs_frame])
        {
            let path = dir.join(name);
            let polars = |source| WriteError::Polars {
                path: path.clone(),
                source,
            };
            let mut df = frame(self).map_err(polars)?;
            let version = Column::new("memo_version".into(), vec![MEMO_VERSION; df.height()]);
            df.with_column(version).map_err(polars)?;
            let temp = write::partial_path(&path);
            let io = |source| WriteError::Io {
                path: temp.clone(),
                source,
            };
            let mut file = File::create(&temp).map_err(io)?;
            ParquetWriter::new(write::parquet_buffer(&mut file))
                .with_compression(ParquetCompression::Zstd(None))
                .finish(&mut df)
                .map_err(polars)?;
            file.sync_all().map_err(io)?;
            fs::rename(&temp, &path).map_err(|source| WriteError::Io {
                path: path.clone(),
                source,
            })?;
        }
        Ok(())
    }

    /// One row per report id, in id order (the same memo gives the same file).
    fn reports_frame(&self) -> PolarsResult<DataFrame> {
        let mut ids: Vec<&String> = self.files.keys().collect();
        ids.sort_unstable();
        let year: Vec<Option<&[[Option<i64>; 7]; 4]>> =
            ids.iter().map(|r| self.year.get(*r)).collect();
        let figures: Vec<Option<&Figures>> = ids.iter().map(|r| self.figures.get(*r)).collect();
        let mut columns = vec![
            Column::new(
                "id".into(),
                ids.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "files".into(),
                ids.iter().map(|r| self.files[*r]).collect::<Vec<u64>>(),
            ),
            Column::new(
                "cells".into(),
                ids.iter()
                    .map(|r| self.cells.get(*r).copied())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "has_year".into(),
                year.iter().map(Option::is_some).collect::<Vec<_>>(),
            ),
        ];
        for k in 0..YEAR_CELLS {
            let v: Vec<Option<i64>> = year
                .iter()
                .map(|y| y.and_then(|y| y[k / 7][k % 7]))
                .collect();
            columns.push(Column::new(format!("y{k}").into(), v));
        }
        columns.push(Column::new(
            "has_figures".into(),
            figures.iter().map(Option::is_some).collect::<Vec<_>>(),
        ));
        columns.extend(Figures::columns(&figures));
        DataFrame::new_infer_height(columns)
    }

    /// One row per differing cell of a pair, and one without a cell for a pair that
    /// agrees; pairs in order.
    fn pairs_frame(&self) -> PolarsResult<DataFrame> {
        let pairs: BTreeMap<&(String, String), &Vec<Diff>> = self.pairs.iter().collect();
        let n: usize = pairs.values().map(|d| d.len().max(1)).sum();
        let mut member_id = Vec::with_capacity(n);
        let mut primary_id = Vec::with_capacity(n);
        let mut cell = Vec::with_capacity(n);
        let mut member = Vec::with_capacity(n);
        let mut primary = Vec::with_capacity(n);
        for ((m, p), diffs) in pairs {
            let cells: Vec<Option<&Diff>> = if diffs.is_empty() {
                vec![None]
            } else {
                diffs.iter().map(Some).collect()
            };
            for d in cells {
                member_id.push(m.as_str());
                primary_id.push(p.as_str());
                cell.push(d.map(|d| d.cell));
                member.push(d.map(|d| d.member));
                primary.push(d.map(|d| d.primary));
            }
        }
        DataFrame::new_infer_height(vec![
            Column::new("member_id".into(), member_id),
            Column::new("primary_id".into(), primary_id),
            Column::new("cell".into(), cell),
            Column::new("member".into(), member),
            Column::new("primary".into(), primary),
        ])
    }

    fn read_reports(&mut self, df: &DataFrame) -> Result<(), DatasetError> {
        let integers = |name: &str| dataset::integers(df, name);
        let booleans = |name: &str| dataset::booleans(df, name);
        let files = dataset::numbers::<UInt64Type>(df, "files")?;
        let id = dataset::strings(df, "id")?;
        let cells = integers("cells")?;
        let (has_year, has_figures) = (booleans("has_year")?, booleans("has_figures")?);
        let year = (0..YEAR_CELLS)
            .map(|k| integers(&format!("y{k}")))
            .collect::<Result<Vec<_>, _>>()?;
        let mut figures = Figures::read(df)?.into_iter();
        for i in 0..df.height() {
            let f_i = figures.next();
            let (Some(id), Some(f)) = (id[i], files[i]) else {
                return Err(bad(format!("row {i}: no id or files")));
            };
            self.files.insert(id.to_string(), f);
            if let Some(n) = cells[i] {
                self.cells.insert(id.to_string(), n);
            }
            if has_year[i] == Some(true) {
                let mut y = [[None; 7]; 4];
                for (k, column) in year.iter().enumerate() {
                    y[k / 7][k % 7] = column[i];
                }
                self.year.insert(id.to_string(), y);
            }
            if let (Some(true), Some(f)) = (has_figures[i], f_i) {
                self.figures.insert(id.to_string(), f);
            }
        }
        Ok(())
    }

    fn read_pairs(&mut self, df: &DataFrame) -> Result<(), DatasetError> {
        let strings = |name| dataset::strings(df, name);
        let floats = |name| dataset::numbers::<Float64Type>(df, name);
        let (member_id, primary_id) = (strings("member_id")?, strings("primary_id")?);
        let cell = dataset::numbers::<UInt32Type>(df, "cell")?;
        let (member, primary) = (floats("member")?, floats("primary")?);
        let mut last: Option<(&str, &str)> = None;
        let mut diffs: Option<&mut Vec<Diff>> = None;
        for i in 0..df.height() {
            let (Some(m), Some(p)) = (member_id[i], primary_id[i]) else {
                return Err(bad(format!("pair row {i}: no ids")));
            };
            if last != Some((m, p)) {
                last = Some((m, p));
                diffs = Some(
                    self.pairs
                        .entry((m.to_string(), p.to_string()))
                        .or_default(),
                );
            }
            let Some(c) = cell[i] else { continue };
            let (Some(mv), Some(pv)) = (member[i], primary[i]) else {
                return Err(bad(format!("pair {m} / {p}: a cell without values")));
            };
            let Some(diff) = Diff::new(c, mv, pv) else {
                return Err(bad(format!("pair {m} / {p}: no cell {c}")));
            };
            if let Some(d) = diffs.as_mut() {
                d.push(diff);
            }
        }
        Ok(())
    }
}

fn bad(message: String) -> DatasetError {
    polars_err(MEMO_FILES[0])(PolarsError::ComputeError(message.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Memo {
        let files = files_hash(
            [
                ("a", "x/a.txt"),
                ("b", "x/b.html"),
                ("b", "y/b.txt"),
                ("c", "c.pdf"),
            ]
            .into_iter(),
        );
        let mut memo = Memo {
            files,
            ..Memo::default()
        };
        for (id, n) in [("a", 40), ("b", 0), ("c", 12)] {
            memo.cells.insert(id.to_string(), n);
        }
        let mut year = [[None; 7]; 4];
        year[0][0] = Some(5);
        year[3][6] = Some(-1);
        memo.year.insert("a".to_string(), year);
        memo.year.insert("c".to_string(), [[None; 7]; 4]);
        let n = crate::aggregate::FIGURE_COLUMNS.len();
        memo.figures.insert(
            "a".to_string(),
            Figures {
                values: (0..n).map(|k| (k % 3 != 0).then_some(k as i64)).collect(),
                applications_complete: Some(true),
                review_complete: None,
            },
        );
        memo.figures.insert(
            "c".to_string(),
            Figures {
                values: vec![None; n],
                applications_complete: Some(false),
                review_complete: Some(false),
            },
        );
        let d = |cell, m, p| Diff::new(cell, m, p).unwrap();
        memo.pairs.insert(
            ("b".to_string(), "a".to_string()),
            vec![d(0, 1.0, 2.0), d(3, 0.5, 7.0)],
        );
        memo.pairs
            .insert(("c".to_string(), "a".to_string()), Vec::new());
        memo
    }

    #[test]
    fn a_saved_memo_loads_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let memo = sample();
        memo.save(dir.path()).unwrap();
        assert_eq!(Memo::load(dir.path()), Some(memo));
    }

    #[test]
    fn a_missing_or_damaged_memo_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Memo::load(dir.path()), None);
        sample().save(dir.path()).unwrap();
        for name in MEMO_FILES {
            let path = dir.path().join(name);
            let bytes = fs::read(&path).unwrap();
            fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
            assert_eq!(Memo::load(dir.path()), None, "{name}");
            fs::write(&path, bytes).unwrap();
        }
        fs::remove_file(dir.path().join(MEMO_FILES[1])).unwrap();
        assert_eq!(Memo::load(dir.path()), None);
    }

    #[test]
    fn a_memo_of_another_version_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        sample().save(dir.path()).unwrap();
        let path = dir.path().join(MEMO_FILES[0]);
        let mut df = dataset::scan_parquet(&path, dataset::Parquet::File)
            .unwrap()
            .collect()
            .unwrap();
        let other = Column::new("memo_version".into(), vec![MEMO_VERSION + 1; df.height()]);
        df.with_column(other).unwrap();
        ParquetWriter::new(File::create(&path).unwrap())
            .finish(&mut df)
            .unwrap();
        assert_eq!(Memo::load(dir.path()), None);
    }

    // An entry stands only for an id not parsed whose files are the same paths; a pair
    // only when both of its ids stand.
    #[test]
    fn what_a_run_touched_is_not_carried() {
        let mut files = sample().files;
        // b lost a file; a was parsed again; c is as it was.
        files.insert(
            "b".to_string(),
            files_hash([("b", "x/b.html")].into_iter())["b"],
        );
        let parsed: HashSet<String> = ["a".to_string()].into();
        let memo = Memo::carry(Some(sample()), files.clone(), &parsed);
        assert_eq!(memo.files, files);
        assert_eq!(memo.cells.keys().collect::<Vec<_>>(), ["c"]);
        assert_eq!(memo.year.keys().collect::<Vec<_>>(), ["c"]);
        assert_eq!(memo.figures.keys().collect::<Vec<_>>(), ["c"]);
        assert!(memo.pairs.is_empty());

        let memo = Memo::carry(Some(sample()), sample().files, &HashSet::new());
        assert_eq!(memo, sample());
        let memo = Memo::carry(None, files.clone(), &HashSet::new());
        assert_eq!((memo.files, memo.cells.len()), (files, 0));
    }

    #[test]
    fn the_paths_of_an_id_hash_in_any_order() {
        let one = files_hash([("a", "p"), ("a", "q")].into_iter());
        let other = files_hash([("a", "q"), ("a", "p")].into_iter());
        assert_eq!(one, other);
        // Not a concatenation: "p" + "q" is not "pq".
        assert_ne!(one, files_hash([("a", "pq")].into_iter()));
    }
}
