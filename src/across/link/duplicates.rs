//! `duplicate_values_differ`: the cells a file of a group reads differently from the
//! group's primary.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use polars::prelude::*;

use super::groups::Member;
use super::Cross;
use crate::dataset::{self, polars_err, DatasetError};
use crate::templates::APPLICANTS;

/// A cell a file reads differently from its group's primary (found with polars: only
/// the differences are collected, whatever the number of duplicated reports).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Diff {
    /// The cell's number in [`cell_codes`].
    pub(crate) cell: u32,
    pub(crate) member: f64,
    pub(crate) primary: f64,
}

impl Diff {
    /// A differing cell; `None` when `cell` is no cell's number.
    pub(crate) fn new(cell: u32, member: f64, primary: f64) -> Option<Diff> {
        ((cell as usize) < cell_codes().len()).then_some(Diff {
            cell,
            member,
            primary,
        })
    }

    /// The cell of `table` at `row` × `column`.
    #[cfg(test)]
    pub(crate) fn at(table: &str, row: &str, column: &str, member: f64, primary: f64) -> Diff {
        let cell = cell_codes()
            .iter()
            .position(|c| *c == (table, row, column))
            .expect("a template cell");
        Diff {
            cell: cell as u32,
            member,
            primary,
        }
    }

    /// Its table, row and column codes.
    pub(crate) fn codes(&self) -> (&'static str, &'static str, &'static str) {
        cell_codes()[self.cell as usize]
    }
}

/// The report ids of a frame, as a lazy one-column frame to semi-join on.
pub(crate) fn ids_frame(ids: Vec<&str>) -> Result<LazyFrame, DatasetError> {
    Ok(
        DataFrame::new_infer_height(vec![Column::new("report_id".into(), ids)])
            .map_err(polars_err("report ids"))?
            .lazy(),
    )
}

/// Every cell a report can have, as (table, row, column) codes: its index is the cell's
/// number in [`differing_cells`].
fn cell_codes() -> &'static [(&'static str, &'static str, &'static str)] {
    use crate::templates::{APPLICATION_ROWS, OUTCOMES, PROACTIVE_ITEMS, PROCEEDINGS};
    static CODES: std::sync::OnceLock<Vec<(&str, &str, &str)>> = std::sync::OnceLock::new();
    CODES.get_or_init(|| {
        let mut codes = Vec::new();
        for r in APPLICATION_ROWS {
            for c in APPLICANTS {
                codes.push(("applications", r.code, *c));
            }
        }
        for p in PROCEEDINGS {
            for o in OUTCOMES {
                codes.push(("review_litigation", *p, *o));
            }
        }
        for item in PROACTIVE_ITEMS {
            let mut measures: Vec<&str> = item.measures_2019.to_vec();
            measures.extend(item.measures_2021);
            measures.sort_unstable();
            measures.dedup();
            for m in measures {
                codes.push(("proactive", item.code, m));
            }
        }
        codes
    })
}

/// The cells in which each (member, primary) pair of report ids differs (both non-null).
///
/// A national corpus has tens of thousands of HTML pages with their PDF attachment, so
/// the cells involved run into millions: they are read as three numbers each (report,
/// cell, value; the codes are mapped to numbers by joins in polars) and compared in
/// sorted order, instead of joining the string-keyed tables with each other.
pub(super) fn differing_cells(
    dir: &Path,
    pairs: &BTreeSet<(String, String)>,
) -> Result<HashMap<(String, String), Vec<Diff>>, DatasetError> {
    let mut out: HashMap<(String, String), Vec<Diff>> = HashMap::new();
    if pairs.is_empty() {
        return Ok(out);
    }
    let ids: BTreeSet<&str> = pairs
        .iter()
        .flat_map(|(m, p)| [m.as_str(), p.as_str()])
        .collect();
    let index: HashMap<&str, u32> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i as u32))
        .collect();
    let ids_lf = DataFrame::new_infer_height(vec![
        Column::new("report_id".into(), ids.iter().copied().collect::<Vec<_>>()),
        Column::new("idx".into(), (0..ids.len() as u32).collect::<Vec<_>>()),
    ])
    .map_err(polars_err("report ids"))?
    .lazy();
    let codes = cell_codes();
    // One table at a time: the cells of the reports in pairs are a large share of all
    // cells (~40 % in the synthetic corpora), and only one table's are held at once. The
    // tables come in the order of `codes`, so each pair's differences stay in code order.
    for (table, row, column) in [
        ("applications", "row", "applicant"),
        ("review_litigation", "proceeding", "outcome"),
        ("proactive", "item", "measure"),
    ] {
        let (mut rows, mut columns, mut numbers) = (Vec::new(), Vec::new(), Vec::new());
        for (k, (t, r, c)) in codes.iter().enumerate() {
            if *t == table {
                rows.push(*r);
                columns.push(*c);
                numbers.push(k as u32);
            }
        }
        let codes_lf = DataFrame::new_infer_height(vec![
            Column::new("r".into(), rows),
            Column::new("c".into(), columns),
            Column::new("code".into(), numbers),
        ])
        .map_err(polars_err("cell codes"))?
        .lazy();
        let df = dataset::collect(dir, table, |lf| {
            dataset::join_reports(
                lf.filter(col("value").is_not_null()),
                ids_lf.clone(),
                JoinType::Inner,
            )
            .join(
                codes_lf,
                [col(row), col(column)],
                [col("r"), col("c")],
                JoinArgs::new(JoinType::Inner),
            )
            .select([
                col("idx"),
                col("code"),
                col("value").cast(DataType::Float64),
            ])
        })?;
        let number = |name: &str| {
            df.column(name)
                .and_then(|c| c.u32())
                .map_err(polars_err(name.to_string()))
        };
        let (idx, code) = (number("idx")?, number("code")?);
        let value = df
            .column("value")
            .and_then(|c| c.f64())
            .map_err(polars_err("value"))?;
        let mut cells: Vec<(u32, u32, f64)> = Vec::with_capacity(df.height());
        for ((i, c), v) in idx.iter().zip(code.iter()).zip(value.iter()) {
            if let (Some(i), Some(c), Some(v)) = (i, c, v) {
                cells.push((i, c, v));
            }
        }
        drop(df);
        compare(cells, ids.len(), pairs, &index, &mut out);
    }
    Ok(out)
}

/// Adds to `out` the cells each pair of `pairs` reads differently, of `cells` (report
/// index in `index`, cell code, value) of one table.
fn compare(
    mut cells: Vec<(u32, u32, f64)>,
    n_ids: usize,
    pairs: &BTreeSet<(String, String)>,
    index: &HashMap<&str, u32>,
    out: &mut HashMap<(String, String), Vec<Diff>>,
) {
    // Files with the same bytes repeat a report's cells: one copy each.
    cells.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.total_cmp(&b.2)));
    cells.dedup();
    let mut start = vec![0usize; n_ids + 1];
    for &(i, _, _) in &cells {
        start[i as usize + 1] += 1;
    }
    for k in 1..start.len() {
        start[k] += start[k - 1];
    }
    let of = |i: u32| &cells[start[i as usize]..start[i as usize + 1]];
    for (m, p) in pairs {
        let (a, b) = (of(index[m.as_str()]), of(index[p.as_str()]));
        let (mut x, mut y) = (0, 0);
        let mut diffs = Vec::new();
        while x < a.len() && y < b.len() {
            match a[x].1.cmp(&b[y].1) {
                std::cmp::Ordering::Less => x += 1,
                std::cmp::Ordering::Greater => y += 1,
                std::cmp::Ordering::Equal => {
                    if a[x].2 != b[y].2 {
                        diffs.push(Diff {
                            cell: a[x].1,
                            member: a[x].2,
                            primary: b[y].2,
                        });
                    }
                    x += 1;
                    y += 1;
                }
            }
        }
        if !diffs.is_empty() {
            out.entry((m.clone(), p.clone())).or_default().extend(diffs);
        }
    }
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// The (member, primary) report-id pairs whose cells must be compared: files of one
/// group with different bytes.
pub(super) fn duplicate_pairs(
    members: &[Member],
    groups: &BTreeMap<String, Vec<usize>>,
) -> BTreeSet<(String, String)> {
    let mut pairs = BTreeSet::new();
    for list in groups.values() {
        let primary = &members[list[0]];
        for &other in &list[1..] {
            let m = &members[other];
            if m.report_id != primary.report_id {
                pairs.insert((m.report_id.clone(), primary.report_id.clone()));
            }
        }
    }
    pairs
}

/// Cells two files of one group read differently, as findings on both.
pub(super) fn duplicate_findings(
    members: &[Member],
    groups: &BTreeMap<String, Vec<usize>>,
    diffs: &HashMap<(String, String), Vec<Diff>>,
    out: &mut Vec<Cross>,
) {
    for list in groups.values() {
        let primary = &members[list[0]];
        for &other in &list[1..] {
            let m = &members[other];
            let Some(found) = diffs.get(&(m.report_id.clone(), primary.report_id.clone())) else {
                continue;
            };
            if found.len() > MAX_CELL_FINDINGS {
                for (a, b) in [(m, primary), (primary, m)] {
                    let message = format!(
                        "{} cells differ from {}, which has the same agency and year: \
                         probably not the same report (only the primary, {}, is counted)",
                        found.len(),
                        b.source_path,
                        primary.source_path
                    );
                    out.push(Cross::between(a, b, "duplicate_values_differ", message));
                }
                continue;
            }
            for d in found {
                let (table, row, column) = d.codes();
                let (mv, pv) = (number(d.member), number(d.primary));
                for (a, b, av, bv) in [(m, primary, &mv, &pv), (primary, m, &pv, &mv)] {
                    let message = format!(
                        "{} {}.{} is {av} here but {bv} in {}, another file of the same report",
                        table, row, column, b.source_path
                    );
                    out.push(
                        Cross::between(a, b, "duplicate_values_differ", message)
                            .at(table, row, column)
                            .values(bv, av),
                    );
                }
            }
        }
    }
}

/// Cells a pair of files may differ in and be reported cell by cell. Beyond it they are
/// hardly one report (two agencies taken for one, a mislabelled year), and one finding
/// on each file says so instead of a finding per cell.
pub(super) const MAX_CELL_FINDINGS: usize = 10;
