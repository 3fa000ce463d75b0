//! Between an agency's years: `continuity_mismatch` (carried over) and
//! `year_on_year_jump`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use polars::prelude::*;

use super::duplicates::ids_frame;
use super::groups::Member;
use super::{Cross, Options};
use crate::dataset::{self, DatasetError};
use crate::templates::APPLICANTS;

/// Per report, the cells of [`YEAR_ROWS`] × [`APPLICANTS`] (compact: a national corpus
/// has a primary for nearly every agency and year).
pub(crate) type YearCells = HashMap<String, [[Option<i64>; 7]; 4]>;

/// The cells of a row of [`YearCells`], row-major.
pub(crate) const YEAR_CELLS: usize = 4 * 7;

pub(super) fn year_cells(dir: &Path, ids: Vec<&str>) -> Result<YearCells, DatasetError> {
    let mut out = YearCells::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let wanted = ids_frame(ids)?;
    let rows = YEAR_ROWS
        .iter()
        .map(|r| col("row").eq(lit(*r)))
        .reduce(|a, b| a.or(b))
        .expect("rows");
    let cells: Vec<Expr> = YEAR_ROWS
        .iter()
        .enumerate()
        .flat_map(|(ri, r)| {
            APPLICANTS.iter().enumerate().map(move |(ci, c)| {
                col("value")
                    .filter(col("row").eq(lit(*r)).and(col("applicant").eq(lit(*c))))
                    .first()
                    .alias(format!("c{ri}_{ci}"))
            })
        })
        .collect();
    let df = dataset::collect(dir, "applications", |lf| {
        dataset::join_reports(lf.filter(rows), wanted, JoinType::Semi)
            .group_by([col("report_id")])
            .agg(cells)
    })?;
    let ids = dataset::strings(&df, "report_id")?;
    let mut columns = Vec::new();
    for ri in 0..YEAR_ROWS.len() {
        for ci in 0..APPLICANTS.len() {
            columns.push(dataset::integers(&df, &format!("c{ri}_{ci}"))?);
        }
    }
    for (i, id) in ids.iter().enumerate() {
        let Some(id) = id else { continue };
        let mut v = [[None; 7]; 4];
        for (ri, row) in v.iter_mut().enumerate() {
            for (ci, cell) in row.iter_mut().enumerate() {
                *cell = columns[ri * APPLICANTS.len() + ci][i];
            }
        }
        out.insert(id.to_string(), v);
    }
    Ok(out)
}

/// Section-三 rows the cross-year checks read.
pub(crate) const YEAR_ROWS: [&str; 4] = [
    "carried_over",
    "carried_forward",
    "new_received",
    "total_processed",
];

/// The primaries of each agency, by year.
pub(super) fn agencies_by_year(
    members: &[Member],
    primaries: &[usize],
) -> BTreeMap<String, BTreeMap<i32, usize>> {
    let mut by_agency: BTreeMap<String, BTreeMap<i32, usize>> = BTreeMap::new();
    for &i in primaries {
        let m = &members[i];
        if let (Some(key), Some(year)) = (m.agency_id(), m.year) {
            by_agency.entry(key).or_default().insert(year, i);
        }
    }
    by_agency
}

/// Continuity and jumps between the primaries of consecutive years of one agency.
pub(super) fn year_findings(
    members: &[Member],
    by_agency: &BTreeMap<String, BTreeMap<i32, usize>>,
    cells: &YearCells,
    options: &Options,
    out: &mut Vec<Cross>,
) {
    let value = |m: &Member, row: &str, column: &str| -> Option<i64> {
        let r = YEAR_ROWS.iter().position(|x| *x == row)?;
        let c = APPLICANTS.iter().position(|x| *x == column)?;
        cells.get(&m.report_id)?[r][c]
    };
    for years in by_agency.values() {
        for (&year, &i) in years {
            let Some(&j) = years.get(&(year + 1)) else {
                continue;
            };
            let (before, after) = (&members[i], &members[j]);
            for &column in APPLICANTS {
                let (Some(forward), Some(over)) = (
                    value(before, "carried_forward", column),
                    value(after, "carried_over", column),
                ) else {
                    continue;
                };
                if forward == over {
                    continue;
                }
                let message = format!(
                    "{year} carried {forward} requests ({column}) forward, {} says {over} were carried over",
                    year + 1
                );
                out.push(
                    Cross::between(before, after, "continuity_mismatch", message.clone())
                        .at("applications", "carried_forward", column)
                        .values(over, forward),
                );
                out.push(
                    Cross::between(after, before, "continuity_mismatch", message)
                        .at("applications", "carried_over", column)
                        .values(forward, over),
                );
            }
            for row in ["new_received", "total_processed"] {
                let (Some(a), Some(b)) = (value(before, row, "total"), value(after, row, "total"))
                else {
                    continue;
                };
                if is_jump(a, b, options) {
                    let message = format!(
                        "{row} went from {a} in {year} to {b} in {}, more than a factor of {}",
                        year + 1,
                        options.jump_factor
                    );
                    out.push(
                        Cross::between(after, before, "year_on_year_jump", message)
                            .at("applications", row, "total")
                            .values(a, b),
                    );
                }
            }
        }
    }
}

/// True when `a` → `b` changes by more than the factor and the larger is over the floor.
pub fn is_jump(a: i64, b: i64, options: &Options) -> bool {
    let (lo, hi) = (a.min(b), a.max(b));
    if hi < options.jump_floor || lo < 0 {
        return false;
    }
    lo == 0 || hi as f64 / lo as f64 > options.jump_factor
}
