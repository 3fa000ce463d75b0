//! The per-report inputs of the tables across reports (what [`crate::memo`] keeps: cells
//! read, section-三 cells of the cross-year checks, aggregate figures), computed from a
//! report while the run hands it to the writer.
//!
//! Without them, `derive` reads the values back from the tables just written: at 10,000
//! text reports that was three passes over `applications` and one over each other cell
//! table, about 0.2 s of a 1.8 s build, most of the run's tail after parsing ends
//! (`docs/performance.md`). The reading back stays: it serves `merge`, `stats`, the
//! reports an incremental build carried over without a memo, and copies whose rows this
//! cannot vouch for (below). What is computed here is what those queries compute from the
//! rows [`crate::write`] makes of the report — one row per cell, the same codes and values
//! — and `tests::fresh_facts_are_what_reading_back_gives` holds the two to each other.
//!
//! Files with the same bytes share a `report_id`, and the cell tables hold their rows once
//! per file. The queries take the first value of a cell over all of them, see a row
//! printed if any of them printed it, a table lost if any of them lost it, and count the
//! cells of all of them. The files of an id are normally parsed alike, and then that is
//! one file's facts with the cells multiplied; when they were parsed differently (a path
//! can decide a template or a year), the id is left to reading back.

use std::collections::hash_map::Entry as MapEntry;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use crate::aggregate::{APPLICATION_FIGURES, LOSS_CHECKS, REVIEW_FIGURES};
use crate::link::YEAR_ROWS;
use crate::memo::Figures;
use crate::model::{Report, Severity, Table};
use crate::templates::{APPLICANTS, APPLICATION_ROWS, OUTCOMES, PROCEEDINGS};

/// A cell of interest: `None` when no row of it was printed, `Some(value)` for the first.
type Cell = Option<Option<i64>>;

/// What the queries read of one report's rows, before it is reduced to the memo's values.
#[derive(Debug, Clone, PartialEq, Hash)]
struct ReportCells {
    /// Non-null values over the four cell tables.
    cells: i64,
    /// Total column of each row of [`APPLICATION_ROWS`].
    totals: Vec<Cell>,
    /// Whether any row has its total column (the aggregates read only those).
    any_total: bool,
    /// [`YEAR_ROWS`] × [`APPLICANTS`].
    year: [[Cell; 7]; 4],
    /// [`PROCEEDINGS`] × [`OUTCOMES`].
    review: Vec<Cell>,
    any_review: bool,
    /// A finding that says the table lost rows or values ([`LOSS_CHECKS`], or an error).
    lost_applications: bool,
    lost_review: bool,
}

fn first(cell: &mut Cell, value: Option<i64>) {
    if cell.is_none() {
        *cell = Some(value);
    }
}

impl ReportCells {
    fn of(r: &Report) -> Self {
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let mut cells = count(r.applications.iter().filter(|c| c.value.is_some()).count());
        cells += count(r.proactive.iter().filter(|c| c.value.is_some()).count());
        cells += count(
            r.review_litigation
                .iter()
                .filter(|c| c.value.is_some())
                .count(),
        );
        if let Some(p) = &r.procurement {
            cells += i64::from(p.items.is_some()) + i64::from(p.amount_yuan.is_some());
        }
        let mut rows = ReportCells {
            cells,
            totals: vec![None; APPLICATION_ROWS.len()],
            any_total: false,
            year: [[None; 7]; 4],
            review: vec![None; PROCEEDINGS.len() * OUTCOMES.len()],
            any_review: !r.review_litigation.is_empty(),
            lost_applications: false,
            lost_review: false,
        };
        for c in &r.applications {
            if let Some(ri) = YEAR_ROWS.iter().position(|y| *y == c.row) {
                if let Some(ci) = APPLICANTS.iter().position(|a| *a == c.applicant) {
                    first(&mut rows.year[ri][ci], c.value);
                }
            }
            if c.applicant == "total" {
                rows.any_total = true;
                if let Some(i) = APPLICATION_ROWS.iter().position(|a| a.code == c.row) {
                    first(&mut rows.totals[i], c.value);
                }
            }
        }
        for c in &r.review_litigation {
            if let Some(i) = review_index(c.proceeding, c.outcome) {
                first(&mut rows.review[i], c.value);
            }
        }
        for f in &r.findings {
            let lost = f.severity == Severity::Error || LOSS_CHECKS.contains(&f.check);
            match f.table {
                Some(Table::Applications) => rows.lost_applications |= lost,
                Some(Table::ReviewLitigation) => rows.lost_review |= lost,
                _ => {}
            }
        }
        rows
    }

    fn digest(&self) -> u64 {
        // SipHash with fixed keys: the same rows give the same digest in every run.
        let mut h = std::hash::DefaultHasher::new();
        self.hash(&mut h);
        h.finish()
    }

    fn year(&self) -> [[Option<i64>; 7]; 4] {
        self.year.map(|row| row.map(Option::flatten))
    }

    fn figures(&self) -> Figures {
        let value = |cell: &Cell| cell.flatten().unwrap_or(0);
        let sum = |cells: &[usize], of: &[Cell]| {
            cells
                .iter()
                .fold(0i64, |acc, &i| acc.wrapping_add(value(&of[i])))
        };
        let index = &*INDEX;
        let mut values: Vec<Option<i64>> = index
            .applications
            .iter()
            .map(|rows| self.any_total.then(|| sum(rows, &self.totals)))
            .collect();
        values.extend(
            index
                .review
                .iter()
                .map(|cells| self.any_review.then(|| sum(cells, &self.review))),
        );
        let printed = |cells: &[usize], of: &[Cell]| cells.iter().all(|&i| of[i].is_some());
        let applications_printed = printed(&index.core, &self.totals)
            && (self.totals[index.other_2019].is_some()
                || printed(&index.other_2021, &self.totals));
        let review_printed = self.review.iter().all(Option::is_some);
        Figures {
            values,
            applications_complete: self
                .any_total
                .then_some(!self.lost_applications && applications_printed),
            review_complete: self
                .any_review
                .then_some(!self.lost_review && review_printed),
        }
    }
}

fn review_index(proceeding: &str, outcome: &str) -> Option<usize> {
    let p = PROCEEDINGS.iter().position(|x| *x == proceeding)?;
    let o = OUTCOMES.iter().position(|x| *x == outcome)?;
    Some(p * OUTCOMES.len() + o)
}

/// The cells each figure sums and a complete table needs, as indexes into [`ReportCells`].
struct Index {
    applications: Vec<Vec<usize>>,
    review: Vec<Vec<usize>>,
    /// Every row but 其他处理's.
    core: Vec<usize>,
    /// 其他处理 as the 2019 template prints it, one row.
    other_2019: usize,
    /// Its 2021 sub-rows.
    other_2021: Vec<usize>,
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let row = |code: &str| APPLICATION_ROWS.iter().position(|r| r.code == code);
    let single = crate::templates::printed::OTHER_HANDLING_2019.0;
    Index {
        applications: APPLICATION_FIGURES
            .iter()
            .map(|(_, rows)| rows.codes().into_iter().filter_map(row).collect())
            .collect(),
        review: REVIEW_FIGURES
            .iter()
            .map(|(_, cells)| {
                cells
                    .iter()
                    .filter_map(|(p, o)| review_index(p, o))
                    .collect()
            })
            .collect(),
        core: (0..APPLICATION_ROWS.len())
            .filter(|&i| APPLICATION_ROWS[i].category != "other")
            .collect(),
        other_2019: row(single).expect("其他处理 is a template row"),
        other_2021: (0..APPLICATION_ROWS.len())
            .filter(|&i| {
                APPLICATION_ROWS[i].category == "other" && APPLICATION_ROWS[i].code != single
            })
            .collect(),
    }
});

/// One report id's facts, while its files are added.
#[derive(Debug)]
struct Entry {
    /// Reports added with this id.
    reports: usize,
    /// `None` once two of them had different rows.
    facts: Option<Facts>,
}

/// What one report of an id gives the memo, until taken.
#[derive(Debug)]
struct Facts {
    /// Cells read by one report.
    cells: i64,
    /// [`ReportCells::digest`]: the copies' rows are compared by it.
    digest: u64,
    /// Until taken: the section-三 cells, row-major.
    year: Option<Packed<28>>,
    /// Until taken: the figures, then the two completeness flags (`None`, `Some(false)`,
    /// `Some(true)` as 0, 1, 2).
    figures: Option<(Packed<FIGURES>, [u8; 2])>,
}

/// The figures of a report ([`crate::aggregate::FIGURE_COLUMNS`]).
const FIGURES: usize = APPLICATION_FIGURES.len() + REVIEW_FIGURES.len();

/// Optional integers at half the size of `[Option<i64>; N]`: a national corpus's facts
/// are held until `derive`, a few hundred bytes a report.
#[derive(Debug, Clone, Copy)]
struct Packed<const N: usize> {
    values: [i64; N],
    /// Bit `i` set: `values[i]` is a value; clear: null.
    present: u32,
}

impl<const N: usize> Packed<N> {
    fn pack(of: impl IntoIterator<Item = Option<i64>>) -> Self {
        const { assert!(N <= 32) };
        let mut p = Packed {
            values: [0; N],
            present: 0,
        };
        for (i, v) in of.into_iter().take(N).enumerate() {
            if let Some(v) = v {
                p.values[i] = v;
                p.present |= 1 << i;
            }
        }
        p
    }

    fn get(&self, i: usize) -> Option<i64> {
        (self.present & (1 << i) != 0).then_some(self.values[i])
    }
}

fn pack_flag(flag: Option<bool>) -> u8 {
    flag.map_or(0, |f| 1 + u8::from(f))
}

fn unpack_flag(flag: u8) -> Option<bool> {
    (flag > 0).then_some(flag == 2)
}

/// The facts of the reports a run parsed, by report id; see the module documentation.
#[derive(Debug, Default)]
pub struct Fresh {
    by_id: HashMap<String, Entry>,
}

/// Moves into `known` what the build computed of the ids in `todo` (`computed`: the
/// value of one id, if the build has it), and keeps in `todo` only the ids it has
/// nothing of: those are read back from the tables.
pub(crate) fn take_computed<T>(
    todo: &mut Vec<&str>,
    known: &mut HashMap<String, T>,
    mut computed: impl FnMut(&str) -> Option<T>,
) {
    todo.retain(|id| match computed(id) {
        Some(value) => {
            known.insert(id.to_string(), value);
            false
        }
        None => true,
    });
}

impl Fresh {
    /// Adds a report the run parsed, in output order.
    pub fn add(&mut self, report: &Report) {
        let rows = ReportCells::of(report);
        let digest = rows.digest();
        match self.by_id.entry(report.report_id.clone()) {
            MapEntry::Occupied(mut e) => {
                let e = e.get_mut();
                e.reports += 1;
                if e.facts.as_ref().is_some_and(|f| f.digest != digest) {
                    e.facts = None;
                }
            }
            MapEntry::Vacant(e) => {
                e.insert(Entry {
                    reports: 1,
                    facts: Some(Facts {
                        cells: rows.cells,
                        digest,
                        year: Some(Packed::pack(rows.year().into_iter().flatten())),
                        figures: Some({
                            let f = rows.figures();
                            debug_assert_eq!(f.values.len(), FIGURES);
                            (
                                Packed::pack(f.values),
                                [
                                    pack_flag(f.applications_complete),
                                    pack_flag(f.review_complete),
                                ],
                            )
                        }),
                    }),
                });
            }
        }
    }

    /// Keeps only the ids all of whose `copies` (rows in `reports`, per id) were added
    /// alike: the others have rows this run did not see, or copies parsed differently.
    pub(crate) fn keep_complete(&mut self, copies: &HashMap<&str, i64>) {
        self.by_id.retain(|id, e| {
            e.facts.is_some()
                && copies
                    .get(id.as_str())
                    .is_some_and(|&n| usize::try_from(n).is_ok_and(|n| n == e.reports))
        });
    }

    /// Cells read over the files of `id`.
    pub(crate) fn cells(&self, id: &str) -> Option<i64> {
        let e = self.by_id.get(id)?;
        let reports = i64::try_from(e.reports).ok()?;
        e.facts.as_ref().map(|f| f.cells.saturating_mul(reports))
    }

    /// The section-三 cells of the cross-year checks of `id`, taken out.
    pub(crate) fn take_year(&mut self, id: &str) -> Option<[[Option<i64>; 7]; 4]> {
        let p = self.by_id.get_mut(id)?.facts.as_mut()?.year.take()?;
        Some(std::array::from_fn(|r| {
            std::array::from_fn(|c| p.get(r * 7 + c))
        }))
    }

    /// The aggregate figures of `id`, taken out.
    pub(crate) fn take_figures(&mut self, id: &str) -> Option<Figures> {
        let (p, [applications, review]) = self.by_id.get_mut(id)?.facts.as_mut()?.figures.take()?;
        Some(Figures {
            values: (0..FIGURES).map(|i| p.get(i)).collect(),
            applications_complete: unpack_flag(applications),
            review_complete: unpack_flag(review),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memo::Memo;
    use crate::write::{Format, Layout};
    use std::path::Path;

    /// A corpus of synth's reports in every format with defects, a panel of agencies over
    /// years (cross-year neighbours, duplicates), and copies of some files with the same
    /// bytes under other paths, some of which a path changes the reading of.
    fn corpus(dir: &Path) -> usize {
        use crate::synth::{Options, SynthFormat};
        let mut files = 0;
        let mut put = |path: &str, bytes: &[u8]| {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
            files += 1;
        };
        let formats = vec![SynthFormat::Text, SynthFormat::Html, SynthFormat::Docx];
        for (k, panel) in [None, Some(4)].into_iter().enumerate() {
            let options = Options {
                seed: 11 + k as u64,
                defect_rate: 0.4,
                formats: formats.clone(),
                panel,
            };
            for i in 0..120 {
                for file in crate::synth::report(&options, i) {
                    let path = format!("{k}/{}", file.path);
                    put(&path, &file.bytes);
                    if i % 9 == 0 {
                        // The same bytes where the folder names another year and place.
                        put(
                            &format!("copies/2019/北京市/{k}-{i}-{}", file.path.replace('/', "-")),
                            &file.bytes,
                        );
                    }
                }
            }
        }
        files
    }

    /// The files of the tables across reports and of the memo in `out`, whatever the
    /// layout and formats.
    fn derived_files(out: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(out)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let name = e.path().strip_prefix(out).unwrap().to_str()?.to_string();
                let derived = crate::write::DERIVED_TABLES
                    .iter()
                    .chain(&crate::memo::MEMO_FILES)
                    .any(|t| name.starts_with(t));
                derived.then(|| (name, std::fs::read(e.path()).unwrap()))
            })
            .collect();
        files.sort();
        assert!(files.len() >= 5, "{files:?}");
        files
    }

    // The build takes the facts of what it parsed from `Fresh`; recomputing the tables
    // across reports from the written tables alone (as `stats` does) gives the same
    // bytes, and the facts are, id by id, the values read back.
    #[test]
    fn fresh_facts_are_what_reading_back_gives() {
        let dir = tempfile::tempdir().unwrap();
        let n = corpus(&dir.path().join("corpus"));
        let runs = [
            (Layout::Single, Format::ALL.to_vec()),
            (Layout::Partitioned, Format::ALL.to_vec()),
            // Read back from CSV alone.
            (Layout::Single, vec![Format::Csv]),
        ];
        for (k, (layout, formats)) in runs.into_iter().enumerate() {
            let out = dir.path().join(format!("out-{k}"));
            let mut config = crate::run::Config::new(dir.path().join("corpus"), &out, 2);
            config.formats = formats;
            config.layout = layout;
            crate::run::build(&config).unwrap();
            let built = derived_files(&out);
            crate::derive::derive(&out, &config.formats, &config.link, None, Fresh::default())
                .unwrap();
            assert_eq!(
                built,
                derived_files(&out),
                "derived tables differ ({layout:?})"
            );
            let memo = Memo::load(&out).expect("a memo");

            // Id by id, over the files as the build read them.
            let mut fresh = Fresh::default();
            let corpus = dir.path().join("corpus");
            let mut paths: Vec<_> = walkdir::WalkDir::new(&corpus)
                .into_iter()
                .map(|e| e.unwrap())
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .collect();
            paths.sort();
            assert_eq!(paths.len(), n);
            let mut copies: HashMap<String, i64> = HashMap::new();
            for path in &paths {
                let relative = path.strip_prefix(&corpus).unwrap().to_str().unwrap();
                for report in crate::parse_file(&std::fs::read(path).unwrap(), relative) {
                    *copies.entry(report.report_id.clone()).or_default() += 1;
                    fresh.add(&report);
                }
            }
            let differing =
                copies.len() - fresh.by_id.values().filter(|e| e.facts.is_some()).count();
            let copies: HashMap<&str, i64> = copies.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            fresh.keep_complete(&copies);
            let (mut cells, mut years, mut figures) = (0, 0, 0);
            for (id, n) in &memo.cells {
                if let Some(f) = fresh.cells(id) {
                    assert_eq!(f, *n, "cells of {id}");
                    cells += 1;
                }
            }
            for (id, v) in &memo.year {
                if let Some(f) = fresh.take_year(id) {
                    assert_eq!(&f, v, "year cells of {id}");
                    years += 1;
                }
            }
            for (id, v) in &memo.figures {
                if let Some(f) = fresh.take_figures(id) {
                    assert_eq!(&f, v, "figures of {id}");
                    figures += 1;
                }
            }
            // Most ids were compared; every kind of fact was.
            assert!(
                cells + differing >= memo.cells.len(),
                "{cells} of {}",
                memo.cells.len()
            );
            assert!(
                years * 10 >= memo.year.len() * 9 && years > 50,
                "{years} of {}",
                memo.year.len()
            );
            assert!(
                figures * 10 >= memo.figures.len() * 9 && figures > 100,
                "{figures}"
            );
            let complete = memo
                .figures
                .values()
                .filter(|f| f.applications_complete == Some(true));
            assert!(complete.count() > 20);
        }
    }

    fn sample() -> Report {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/pipe_2021.txt");
        let r = crate::parse_document(&std::fs::read(path).unwrap());
        assert!(r.applications.len() > 100 && !r.review_litigation.is_empty());
        r
    }

    // Copies of one id count their cells once each; copies read differently, or an id
    // with a copy the run did not parse, are left to reading back.
    #[test]
    fn copies_are_merged_only_when_read_alike() {
        let r = sample();
        let one = ReportCells::of(&r).cells;
        assert!(one > 100);
        let mut other = r.clone();
        other.report_id = "other".into();
        let mut changed = other.clone();
        changed.applications[0].value = Some(changed.applications[0].value.unwrap_or(0) + 1);
        let mut fresh = Fresh::default();
        for report in [&r, &r, &other, &changed] {
            fresh.add(report);
        }
        let id = r.report_id.as_str();
        let copies = HashMap::from([(id, 2), ("other", 2), ("missing", 1)]);
        fresh.keep_complete(&copies);
        assert_eq!(fresh.cells(id), Some(2 * one));
        assert_eq!(fresh.cells("other"), None);
        assert!(fresh.take_figures(id).is_some());
        assert!(fresh.take_figures(id).is_none(), "taken once");
        let mut fresh = Fresh::default();
        fresh.add(&r);
        fresh.keep_complete(&HashMap::from([(id, 2)]));
        assert_eq!(fresh.cells(id), None, "a copy the run did not see");
    }

    // A table with a loss finding is not complete; one missing a template row is not
    // either; a cell printed twice counts with its first value.
    #[test]
    fn completeness_and_first_values() {
        let r = sample();
        let base = ReportCells::of(&r).figures();
        assert_eq!(base.applications_complete, Some(true));
        assert_eq!(base.review_complete, Some(true));

        let mut lost = r.clone();
        lost.findings.push(
            crate::model::Finding::new(Severity::Warning, "truncated", "cut").at(
                Table::ReviewLitigation,
                None,
                None,
            ),
        );
        let f = ReportCells::of(&lost).figures();
        assert_eq!(
            (f.applications_complete, f.review_complete),
            (Some(true), Some(false))
        );

        let mut short = r.clone();
        short.applications.retain(|c| c.row != "granted");
        assert_eq!(
            ReportCells::of(&short).figures().applications_complete,
            Some(false)
        );

        let mut twice = r.clone();
        let granted = r
            .applications
            .iter()
            .position(|c| c.row == "granted" && c.applicant == "total")
            .unwrap();
        let mut again = twice.applications[granted].clone();
        again.value = Some(again.value.unwrap_or(0) + 1000);
        twice.applications.push(again);
        assert_eq!(ReportCells::of(&twice).figures().values, base.values);

        let mut none = r.clone();
        none.applications.clear();
        let f = ReportCells::of(&none).figures();
        assert_eq!(f.applications_complete, None);
        assert!(f.values[..APPLICATION_FIGURES.len()]
            .iter()
            .all(Option::is_none));
    }
}
