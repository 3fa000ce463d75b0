//! Across reports: which files are the same report, and whether an agency's years agree.
//!
//! Runs on the written per-report tables (so incremental, sharded and merged runs get the
//! same answer as a full build) and produces two tables:
//!
//! - `report_groups`, one row per row of `reports`: the files that are the same agency's
//!   report for the same year (an HTML page and its PDF attachment, a re-scrape) share a
//!   `group_id`; one of them is the **primary**, the one the aggregates count. The rule, in
//!   order: fewest error findings, most cells read, format preference (HTML, DOCX, PDF,
//!   text: structured tables before text extracted from a layout), then path order.
//! - `cross_findings`: findings that involve two reports, on both of them —
//!   `duplicate_values_differ` (a cell two files of one group read differently),
//!   `continuity_mismatch` (year N's 结转下年度 is not year N+1's 上年结转), and
//!   `year_on_year_jump` (requests received or processed changed by more than a factor).
//!
//! Reports are the same agency when their division code and their name as that division
//! names it agree (淮安市洪泽区人民政府 = 洪泽区人民政府); a name the gazetteer could not
//! place is grouped only with files of the same folder. Not-a-report files, pre-2019
//! reports and failed files are in no group. A report without agency or year cannot be
//! matched to another file, except a byte-identical copy (same `report_id`).

use crate::dataset::{polars_err, DatasetError};
use crate::facts::Fresh;
use crate::memo::Memo;
use polars::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::path::Path;

mod duplicates;
mod groups;
mod years;

use duplicates::*;
pub(crate) use duplicates::{ids_frame, Diff};
use groups::*;
pub use years::is_jump;
use years::*;
pub(crate) use years::{YearCells, YEAR_CELLS, YEAR_ROWS};

/// The checks of `cross_findings`, in the order the run summary lists them.
pub const CHECKS: [&str; 3] = [
    "duplicate_values_differ",
    "continuity_mismatch",
    "year_on_year_jump",
];

/// Thresholds of the cross-year checks.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Options {
    /// A change of requests received or processed by more than this factor (either way)
    /// from one year to the next is a `year_on_year_jump` warning.
    pub jump_factor: f64,
    /// ... but only when the larger of the two years is at least this many requests
    /// (3 → 40 is noise, not news).
    pub jump_floor: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            jump_factor: 10.0,
            jump_floor: 100,
        }
    }
}

/// The tables this stage produces.
pub struct Linked {
    /// `report_groups`.
    pub groups: DataFrame,
    /// `cross_findings`.
    pub findings: DataFrame,
    /// What was computed per report and pair, for the aggregates and the next run.
    pub memo: Memo,
}

/// A finding of [`Linked::findings`] before it becomes a row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Cross {
    source_path: String,
    check: &'static str,
    table: &'static str,
    row: Option<String>,
    column: Option<String>,
    other_source_path: String,
    report_id: String,
    other_report_id: String,
    expected: Option<String>,
    actual: Option<String>,
    message: String,
}

impl Cross {
    /// A finding on file `on` about its relation to file `other`, on the whole report
    /// until [`Cross::at`] names a cell.
    fn between(on: &Member, other: &Member, check: &'static str, message: String) -> Cross {
        Cross {
            source_path: on.source_path.clone(),
            check,
            table: "reports",
            row: None,
            column: None,
            other_source_path: other.source_path.clone(),
            report_id: on.report_id.clone(),
            other_report_id: other.report_id.clone(),
            expected: None,
            actual: None,
            message,
        }
    }

    /// The cell the finding is about.
    fn at(mut self, table: &'static str, row: &str, column: &str) -> Cross {
        self.table = table;
        self.row = Some(row.to_string());
        self.column = Some(column.to_string());
        self
    }

    /// What the other file says (`expected`) and what this one says (`actual`).
    fn values(mut self, expected: impl ToString, actual: impl ToString) -> Cross {
        self.expected = Some(expected.to_string());
        self.actual = Some(actual.to_string());
        self
    }
}

/// Groups, primaries and cross-report findings of the output directory `dir`, reusing
/// what of `previous` (the memo of the output before this run, which parsed the reports
/// `parsed`) still stands.
pub fn link(
    dir: &Path,
    options: &Options,
    previous: Option<Memo>,
    parsed: &HashSet<String>,
    fresh: &mut Fresh,
) -> Result<Linked, DatasetError> {
    let (members, mut memo) = members(dir, previous, parsed, fresh)?;
    let groups = group(&members);

    let mut group_of: Vec<Option<(&str, usize)>> = vec![None; members.len()];
    for (id, list) in &groups {
        for (rank, &i) in list.iter().enumerate() {
            group_of[i] = Some((id.as_str(), rank));
        }
    }
    let primaries: Vec<usize> = groups.values().map(|l| l[0]).collect();
    let pairs = duplicate_pairs(&members, &groups);
    memo.keep_only(&pairs);
    let todo: BTreeSet<(String, String)> = pairs
        .iter()
        .filter(|p| !memo.pairs.contains_key(*p))
        .cloned()
        .collect();
    let mut found = differing_cells(dir, &todo)?;
    for pair in todo {
        let diffs = found.remove(&pair).unwrap_or_default();
        memo.pairs.insert(pair, diffs);
    }
    let by_agency = agencies_by_year(&members, &primaries);
    // Only primaries with a neighbouring year are compared across years.
    let mut neighbours: BTreeSet<&str> = BTreeSet::new();
    for years in by_agency.values() {
        for (&year, &i) in years {
            if years.contains_key(&(year + 1)) || years.contains_key(&(year - 1)) {
                neighbours.insert(&members[i].report_id);
            }
        }
    }
    let mut todo: Vec<&str> = neighbours
        .into_iter()
        .filter(|id| !memo.year.contains_key(*id))
        .collect();
    crate::facts::take_computed(&mut todo, &mut memo.year, |id| fresh.take_year(id));
    let mut cells = year_cells(dir, todo.clone())?;
    for id in todo {
        let row = cells.remove(id).unwrap_or([[None; 7]; 4]);
        memo.year.insert(id.to_string(), row);
    }

    let mut cross = Vec::new();
    duplicate_findings(&members, &groups, &memo.pairs, &mut cross);
    year_findings(&members, &by_agency, &memo.year, options, &mut cross);
    cross.sort();
    cross.dedup();

    Ok(Linked {
        groups: groups_frame(&members, &groups, &group_of)?,
        findings: findings_frame(&cross)?,
        memo,
    })
}

fn findings_frame(cross: &[Cross]) -> Result<DataFrame, DatasetError> {
    let s = |f: fn(&Cross) -> &str| cross.iter().map(f).collect::<Vec<&str>>();
    let o = |f: fn(&Cross) -> Option<&str>| cross.iter().map(f).collect::<Vec<Option<&str>>>();
    DataFrame::new_infer_height(vec![
        Column::new("report_id".into(), s(|c| &c.report_id)),
        Column::new("source_path".into(), s(|c| &c.source_path)),
        Column::new(
            "severity".into(),
            cross.iter().map(|_| "warning").collect::<Vec<_>>(),
        ),
        Column::new("check".into(), s(|c| c.check)),
        Column::new("table".into(), s(|c| c.table)),
        Column::new("row".into(), o(|c| c.row.as_deref())),
        Column::new("column".into(), o(|c| c.column.as_deref())),
        Column::new("expected".into(), o(|c| c.expected.as_deref())),
        Column::new("actual".into(), o(|c| c.actual.as_deref())),
        Column::new("message".into(), s(|c| &c.message)),
        Column::new("other_report_id".into(), s(|c| &c.other_report_id)),
        Column::new("other_source_path".into(), s(|c| &c.other_source_path)),
    ])
    .map_err(polars_err("cross_findings"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::APPLICANTS;
    use std::collections::HashMap;

    fn member(path: &str, format: &str, errors: i64, cells: i64) -> Member {
        Member {
            report_id: format!("id-{path}"),
            source_path: path.into(),
            format: format.into(),
            n_errors: errors,
            cells,
            year: Some(2022),
            agency: Some("杭州市统计局".into()),
            place: Some("330100".into()),
            eligible: true,
        }
    }

    #[test]
    fn primary_is_fewest_errors_then_most_cells_then_format() {
        let ms = vec![
            member("a.txt", "text", 0, 200),
            member("b.html", "html", 1, 220),
            member("c.docx", "docx", 0, 200),
            member("d.pdf", "pdf", 0, 210),
        ];
        let groups = group(&ms);
        assert_eq!(groups.len(), 1);
        let order: Vec<&str> = groups["2022/330100/杭州市统计局"]
            .iter()
            .map(|&i| ms[i].source_path.as_str())
            .collect();
        assert_eq!(order, ["d.pdf", "c.docx", "a.txt", "b.html"]);
        assert_eq!(deciding_rule(&ms[3], &ms[2]), "most_cells");
        assert_eq!(deciding_rule(&ms[2], &ms[0]), "format_preference");
        assert_eq!(deciding_rule(&ms[0], &ms[1]), "fewest_errors");
    }

    #[test]
    fn other_years_divisions_and_non_reports_are_not_grouped_together() {
        let mut ms = vec![member("a.txt", "text", 0, 1)];
        let mut other_year = member("b.txt", "text", 0, 1);
        other_year.year = Some(2023);
        let mut other_place = member("c.txt", "text", 0, 1);
        other_place.place = Some("330200".into());
        let mut not_report = member("d.txt", "text", 0, 1);
        not_report.eligible = false;
        let mut unknown = member("e.txt", "text", 0, 1);
        unknown.agency = None;
        let mut copy = member("f.txt", "text", 0, 1);
        copy.agency = None;
        copy.report_id = unknown.report_id.clone();
        ms.extend([other_year, other_place, not_report, unknown, copy]);
        let groups = group(&ms);
        let sizes: Vec<usize> = groups.values().map(Vec::len).collect();
        // a, b, c alone; e and f (same bytes) together; d in none.
        assert_eq!(groups.len(), 4);
        assert_eq!(sizes.iter().sum::<usize>(), 5);
        assert!(groups
            .values()
            .any(|l| l.len() == 2 && ms[l[0]].agency.is_none()));
    }

    #[test]
    fn one_division_printed_two_ways_is_one_agency() {
        assert_eq!(
            agency_name("淮安市洪泽区人民政府", Some("洪泽区")),
            agency_name("洪泽区人民政府", Some("洪泽区"))
        );
        assert_eq!(
            agency_name("互助县统计局", Some("互助土族自治县")),
            "互助土族自治县统计局"
        );
        assert_eq!(
            agency_name("兵团统计局", Some("新疆生产建设兵团")),
            "兵团统计局"
        );
        assert_eq!(agency_name("淮安市洪泽区", Some("洪泽区")), "淮安市洪泽区");
    }

    #[test]
    fn an_unplaced_name_groups_only_within_one_folder() {
        let unplaced = |path: &str| {
            let mut m = member(path, "text", 0, 1);
            m.agency = Some("城关镇人民政府".into());
            m.place = None;
            m
        };
        let ms = vec![
            unplaced("甘肃/a.txt"),
            unplaced("甘肃/a.pdf"),
            unplaced("河南/b.txt"),
        ];
        let groups = group(&ms);
        let sizes: Vec<usize> = groups.values().map(Vec::len).collect();
        assert_eq!(sizes, [1, 2], "{groups:?}");
    }

    #[test]
    fn copies_placed_differently_are_still_one_report() {
        let placed = member("长春/a.txt", "text", 0, 1);
        let mut unplaced = member("x/a.txt", "text", 0, 1);
        unplaced.place = None;
        unplaced.report_id = placed.report_id.clone();
        let other = member("y/b.txt", "text", 0, 1);
        let ms = vec![placed, unplaced, other];
        let groups = group(&ms);
        let with_copies: Vec<usize> = groups
            .values()
            .filter(|l| l.iter().any(|&i| i < 2))
            .map(Vec::len)
            .collect();
        assert_eq!(with_copies, [3], "{groups:?}");
    }

    #[test]
    fn files_differing_in_many_cells_get_one_finding_each() {
        let ms = vec![
            member("a.txt", "text", 0, 10),
            member("b.txt", "text", 0, 9),
        ];
        let groups = group(&ms);
        let diff = |row: &str| Diff::at("applications", row, "total", 1.0, 2.0);
        let key = ("id-b.txt".to_string(), "id-a.txt".to_string());
        let rows = ["granted", "partly_granted", "carried_over", "new_received"];
        for (n, want) in [(4, 8), (MAX_CELL_FINDINGS + 1, 2)] {
            let mut diffs = HashMap::new();
            diffs.insert(key.clone(), (0..n).map(|i| diff(rows[i % 4])).collect());
            let mut out = Vec::new();
            duplicate_findings(&ms, &groups, &diffs, &mut out);
            assert_eq!(out.len(), want, "{n} differing cells");
        }
    }

    #[test]
    fn jumps_need_the_factor_and_the_floor() {
        let o = Options::default();
        assert!(is_jump(20, 2_000, &o));
        assert!(is_jump(2_000, 20, &o));
        assert!(is_jump(0, 150, &o));
        assert!(!is_jump(0, 99, &o), "under the floor");
        assert!(
            !is_jump(100, 1_000, &o),
            "exactly the factor is not beyond it"
        );
        assert!(!is_jump(150, 900, &o));
    }

    #[test]
    fn continuity_and_duplicates_are_findings_on_both_reports() {
        let mut y1 = member("2021.txt", "text", 0, 10);
        y1.year = Some(2021);
        let y2 = member("2022.txt", "text", 0, 10);
        let dup = member("2022.html", "html", 0, 9);
        let ms = vec![y1, y2, dup];
        let groups = group(&ms);
        let primaries: Vec<usize> = groups.values().map(|l| l[0]).collect();
        let mut year_cells = YearCells::new();
        let mut at = |id: &str, row: &str, col: &str, v: i64| {
            let r = YEAR_ROWS.iter().position(|x| *x == row).unwrap();
            let c = APPLICANTS.iter().position(|x| *x == col).unwrap();
            year_cells.entry(id.into()).or_insert([[None; 7]; 4])[r][c] = Some(v);
        };
        at("id-2021.txt", "carried_forward", "total", 3);
        at("id-2021.txt", "carried_forward", "natural_person", 2);
        at("id-2022.txt", "carried_over", "total", 4);
        at("id-2022.txt", "carried_over", "natural_person", 2);
        let pairs = duplicate_pairs(&ms, &groups);
        assert_eq!(
            pairs.iter().collect::<Vec<_>>(),
            [&("id-2022.html".to_string(), "id-2022.txt".to_string())]
        );
        let mut diffs = HashMap::new();
        diffs.insert(
            ("id-2022.html".to_string(), "id-2022.txt".to_string()),
            vec![Diff::at("applications", "granted", "total", 8.0, 7.0)],
        );
        let mut out = Vec::new();
        duplicate_findings(&ms, &groups, &diffs, &mut out);
        let by_agency = agencies_by_year(&ms, &primaries);
        year_findings(&ms, &by_agency, &year_cells, &Options::default(), &mut out);
        let got: Vec<(&str, &str, &str, &str)> = out
            .iter()
            .map(|c| {
                (
                    c.source_path.as_str(),
                    c.check,
                    c.row.as_deref().unwrap_or(""),
                    c.column.as_deref().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("2022.html", "duplicate_values_differ", "granted", "total"),
                ("2022.txt", "duplicate_values_differ", "granted", "total"),
                (
                    "2021.txt",
                    "continuity_mismatch",
                    "carried_forward",
                    "total"
                ),
                ("2022.txt", "continuity_mismatch", "carried_over", "total"),
            ]
        );
        assert_eq!(
            (out[2].expected.as_deref(), out[2].actual.as_deref()),
            (Some("4"), Some("3"))
        );
    }
}
