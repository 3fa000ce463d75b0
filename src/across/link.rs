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

use crate::dataset::{self, polars_err, DatasetError};
use crate::templates::APPLICANTS;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// The checks of `cross_findings`, in the order the run summary lists them.
pub const CHECKS: [&str; 3] = [
    "duplicate_values_differ",
    "continuity_mismatch",
    "year_on_year_jump",
];

/// Thresholds of the cross-year checks.
#[derive(Debug, Clone, Copy, PartialEq)]
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
}

/// One row of `reports`, as this stage needs it.
#[derive(Debug, Clone)]
struct Member {
    report_id: String,
    source_path: String,
    format: String,
    n_errors: i64,
    cells: i64,
    year: Option<i32>,
    /// The agency's name as its division names it (see [`agency_name`]).
    agency: Option<String>,
    /// Where it is: the division code, `national`, or the province when the province is
    /// all that is known; `None` when the name could not be placed.
    place: Option<String>,
    eligible: bool,
}

impl Member {
    /// The agency identity across files and years: `320813/洪泽区人民政府`, or
    /// `-/城关镇人民政府@FOLDER` when the name could not be placed.
    fn agency_id(&self) -> Option<String> {
        let agency = self.agency.as_deref()?;
        Some(match self.place.as_deref() {
            Some(place) => format!("{place}/{agency}"),
            // The same bare name in two places (城关镇人民政府 is in dozens of counties) is
            // two agencies: an unplaced name is one agency only within one folder, so
            // that no agency's report is dropped from the aggregates as a duplicate.
            None => {
                let folder = self.source_path.rsplit_once('/').map_or("", |(d, _)| d);
                format!("-/{agency}@{folder}")
            }
        })
    }
}

/// The agency's name with its place printed one way: the division's own name and what
/// the report's name says after its places, so 淮安市洪泽区人民政府 and 洪泽区人民政府 (the
/// same division) are one agency, and so are 互助县统计局 and 互助土族自治县统计局. A name
/// that names no division, or nothing after it, stays as normalised.
fn agency_name(normalised: &str, division: Option<&str>) -> String {
    match (crate::agency::local_part(normalised), division) {
        (Some(local), Some(place)) => format!("{place}{local}"),
        _ => normalised.to_string(),
    }
}

/// Lower is preferred: structured tables first, text extracted from a layout last.
fn format_rank(format: &str) -> u8 {
    match format {
        "html" => 0,
        "docx" => 1,
        "pdf" => 2,
        "text" => 3,
        _ => 4,
    }
}

/// Why `a` ranks before `b` (a is preferred), in words for the `primary_rule` column.
fn deciding_rule(a: &Member, b: &Member) -> &'static str {
    if a.n_errors != b.n_errors {
        "fewest_errors"
    } else if a.cells != b.cells {
        "most_cells"
    } else if format_rank(&a.format) != format_rank(&b.format) {
        "format_preference"
    } else if a.report_id == b.report_id {
        "identical_bytes"
    } else {
        "path_order"
    }
}

fn rank_key(m: &Member) -> (i64, i64, u8, &str) {
    (m.n_errors, -m.cells, format_rank(&m.format), &m.source_path)
}

/// Cells read (non-null values) per report over the four cell tables.
fn cells_read(dir: &Path) -> Result<HashMap<String, i64>, DatasetError> {
    let mut cells: HashMap<String, i64> = HashMap::new();
    let tables: [(&str, &[&str]); 4] = [
        ("applications", &["value"]),
        ("proactive", &["value"]),
        ("review_litigation", &["value"]),
        ("procurement", &["items", "amount_yuan"]),
    ];
    for (table, values) in tables {
        let df = dataset::collect(dir, table, |lf| {
            let n = values
                .iter()
                .map(|v| col(*v).count().cast(DataType::Int64))
                .reduce(|a, b| a + b)
                .expect("a value column");
            lf.group_by([col("report_id")]).agg([n.alias("n")])
        })?;
        for (id, n) in dataset::strings(&df, "report_id")?
            .into_iter()
            .zip(dataset::integers(&df, "n")?)
        {
            if let (Some(id), Some(n)) = (id, n) {
                *cells.entry(id.to_string()).or_default() += n;
            }
        }
    }
    Ok(cells)
}

/// The `reports` columns this stage reads.
const REPORT_COLUMNS: [&str; 13] = [
    "report_id",
    "source_path",
    "format",
    "kind",
    "status",
    "n_errors",
    "year",
    "agency_normalised",
    "division_code",
    "province",
    "prefecture",
    "county",
    "level",
];

fn members(dir: &Path) -> Result<Vec<Member>, DatasetError> {
    dataset::require(dir, "reports", &REPORT_COLUMNS)?;
    let df = dataset::collect(dir, "reports", |lf| lf.select(REPORT_COLUMNS.map(col)))?;
    let cells = cells_read(dir)?;
    let ids = dataset::strings(&df, "report_id")?;
    let paths = dataset::strings(&df, "source_path")?;
    let formats = dataset::strings(&df, "format")?;
    let kinds = dataset::strings(&df, "kind")?;
    let statuses = dataset::strings(&df, "status")?;
    let errors = dataset::integers(&df, "n_errors")?;
    let years = dataset::integers(&df, "year")?;
    let agencies = dataset::strings(&df, "agency_normalised")?;
    let divisions = dataset::strings(&df, "division_code")?;
    let provinces = dataset::strings(&df, "province")?;
    let prefectures = dataset::strings(&df, "prefecture")?;
    let counties = dataset::strings(&df, "county")?;
    let levels = dataset::strings(&df, "level")?;
    // Files with the same bytes share a report_id, and the cell tables hold their rows
    // once per file: the cells read by one file are the total over its copies.
    let mut copies: HashMap<&str, i64> = HashMap::new();
    for id in ids.iter().flatten() {
        *copies.entry(id).or_default() += 1;
    }
    Ok((0..df.height())
        .map(|i| {
            let report_id = ids[i].unwrap_or_default().to_string();
            let n_copies = copies.get(report_id.as_str()).copied().unwrap_or(1).max(1);
            let place = divisions[i]
                .or((levels[i] == Some("national")).then_some("national"))
                .or(provinces[i])
                .map(str::to_string);
            let division_name = counties[i].or(prefectures[i]).or(provinces[i]);
            let agency = agencies[i]
                .filter(|a| !a.is_empty())
                .map(|a| agency_name(a, division_name.filter(|_| place.is_some())));
            Member {
                cells: cells.get(&report_id).copied().unwrap_or(0) / n_copies,
                report_id,
                source_path: paths[i].unwrap_or_default().to_string(),
                format: formats[i].unwrap_or_default().to_string(),
                n_errors: errors[i].unwrap_or(0),
                year: years[i].and_then(|y| i32::try_from(y).ok()),
                agency,
                place,
                eligible: kinds[i] == Some("report") && statuses[i] != Some("failed"),
            }
        })
        .collect())
}

/// The group of each member (None: in no group), groups keyed by a readable id.
fn group(members: &[Member]) -> BTreeMap<String, Vec<usize>> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut keys: Vec<(usize, String)> = Vec::new();
    for (i, m) in members.iter().enumerate() {
        if !m.eligible {
            continue;
        }
        let id = match (m.agency_id(), m.year) {
            (Some(agency), Some(year)) => format!("{year}/{agency}"),
            _ => format!("id/{}", m.report_id),
        };
        keys.push((i, id));
    }
    // Copies with the same bytes are one report even when their paths placed them
    // differently (a folder decides an ambiguous name for one copy only): one group, the
    // most specific key of any copy (placed before unplaced before no agency), so a
    // report is never the primary of two groups.
    let preference = |id: &str| (id.starts_with("id/"), id.contains("/-/"), id.to_string());
    let mut by_id: HashMap<&str, &str> = HashMap::new();
    for (i, id) in &keys {
        let best = by_id.entry(&members[*i].report_id).or_insert(id);
        if preference(id) < preference(best) {
            *best = id;
        }
    }
    for (i, _) in &keys {
        let id = by_id[members[*i].report_id.as_str()];
        groups.entry(id.to_string()).or_default().push(*i);
    }
    for list in groups.values_mut() {
        list.sort_by(|&a, &b| rank_key(&members[a]).cmp(&rank_key(&members[b])));
    }
    groups
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

/// A cell a file reads differently from its group's primary (found with polars: only
/// the differences are collected, whatever the number of duplicated reports).
#[derive(Debug, Clone)]
struct Diff {
    table: &'static str,
    row: String,
    column: String,
    member: f64,
    primary: f64,
}

/// The report ids of a frame, as a lazy one-column frame to semi-join on.
fn ids_frame(ids: Vec<&str>) -> Result<LazyFrame, DatasetError> {
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
fn differing_cells(
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
    let mut cells: Vec<(u32, u32, f64)> = Vec::new();
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
        cells.reserve_exact(df.height());
        for ((i, c), v) in idx.iter().zip(code.iter()).zip(value.iter()) {
            if let (Some(i), Some(c), Some(v)) = (i, c, v) {
                cells.push((i, c, v));
            }
        }
    }
    // Files with the same bytes repeat a report's cells: one copy each.
    cells.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.total_cmp(&b.2)));
    cells.dedup();
    let mut start = vec![0usize; ids.len() + 1];
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
                        let (table, row, column) = codes[a[x].1 as usize];
                        diffs.push(Diff {
                            table,
                            row: row.to_string(),
                            column: column.to_string(),
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
            out.insert((m.clone(), p.clone()), diffs);
        }
    }
    Ok(out)
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
fn duplicate_pairs(
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
fn duplicate_findings(
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
                let (mv, pv) = (number(d.member), number(d.primary));
                for (a, b, av, bv) in [(m, primary, &mv, &pv), (primary, m, &pv, &mv)] {
                    let message = format!(
                        "{} {}.{} is {av} here but {bv} in {}, another file of the same report",
                        d.table, d.row, d.column, b.source_path
                    );
                    out.push(
                        Cross::between(a, b, "duplicate_values_differ", message)
                            .at(d.table, &d.row, &d.column)
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
const MAX_CELL_FINDINGS: usize = 10;

/// Per report, the cells of [`YEAR_ROWS`] × [`APPLICANTS`] (compact: a national corpus
/// has a primary for nearly every agency and year).
type YearCells = HashMap<String, [[Option<i64>; 7]; 4]>;

fn year_cells(dir: &Path, ids: Vec<&str>) -> Result<YearCells, DatasetError> {
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
const YEAR_ROWS: [&str; 4] = [
    "carried_over",
    "carried_forward",
    "new_received",
    "total_processed",
];

/// The primaries of each agency, by year.
fn agencies_by_year(
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
fn year_findings(
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

/// Groups, primaries and cross-report findings of the output directory `dir`.
pub fn link(dir: &Path, options: &Options) -> Result<Linked, DatasetError> {
    let members = members(dir)?;
    let groups = group(&members);

    let mut group_of: Vec<Option<(&str, usize)>> = vec![None; members.len()];
    for (id, list) in &groups {
        for (rank, &i) in list.iter().enumerate() {
            group_of[i] = Some((id.as_str(), rank));
        }
    }
    let primaries: Vec<usize> = groups.values().map(|l| l[0]).collect();
    let diffs = differing_cells(dir, &duplicate_pairs(&members, &groups))?;
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
    let cells = year_cells(dir, neighbours.into_iter().collect())?;

    let mut cross = Vec::new();
    duplicate_findings(&members, &groups, &diffs, &mut cross);
    year_findings(&members, &by_agency, &cells, options, &mut cross);
    cross.sort();
    cross.dedup();

    Ok(Linked {
        groups: groups_frame(&members, &groups, &group_of)?,
        findings: findings_frame(&cross)?,
    })
}

fn groups_frame(
    members: &[Member],
    groups: &BTreeMap<String, Vec<usize>>,
    group_of: &[Option<(&str, usize)>],
) -> Result<DataFrame, DatasetError> {
    let n = members.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        (&members[a].source_path, &members[a].report_id)
            .cmp(&(&members[b].source_path, &members[b].report_id))
    });
    let mut report_id = Vec::with_capacity(n);
    let mut source_path = Vec::with_capacity(n);
    let mut group_id: Vec<Option<&str>> = Vec::with_capacity(n);
    let mut group_size: Vec<Option<i64>> = Vec::with_capacity(n);
    let mut rank: Vec<Option<i64>> = Vec::with_capacity(n);
    let mut is_primary = Vec::with_capacity(n);
    let mut primary_id: Vec<Option<&str>> = Vec::with_capacity(n);
    let mut primary_path: Vec<Option<&str>> = Vec::with_capacity(n);
    let mut rule: Vec<Option<&str>> = Vec::with_capacity(n);
    let mut cells = Vec::with_capacity(n);
    let mut agency_id: Vec<Option<String>> = Vec::with_capacity(n);
    for &i in &order {
        let m = &members[i];
        agency_id.push(m.agency_id());
        report_id.push(m.report_id.as_str());
        source_path.push(m.source_path.as_str());
        cells.push(m.cells);
        match group_of[i] {
            Some((id, r)) => {
                let list = &groups[id];
                let primary = &members[list[0]];
                group_id.push(Some(id));
                group_size.push(Some(list.len() as i64));
                rank.push(Some(r as i64 + 1));
                is_primary.push(r == 0);
                primary_id.push(Some(primary.report_id.as_str()));
                primary_path.push(Some(primary.source_path.as_str()));
                rule.push(Some(match r {
                    _ if list.len() == 1 => "only_file",
                    0 => deciding_rule(primary, &members[list[1]]),
                    _ => deciding_rule(&members[list[r - 1]], m),
                }));
            }
            None => {
                group_id.push(None);
                group_size.push(None);
                rank.push(None);
                is_primary.push(false);
                primary_id.push(None);
                primary_path.push(None);
                rule.push(None);
            }
        }
    }
    DataFrame::new_infer_height(vec![
        Column::new("report_id".into(), report_id),
        Column::new("source_path".into(), source_path),
        Column::new("group_id".into(), group_id),
        Column::new("group_size".into(), group_size),
        Column::new("rank".into(), rank),
        Column::new("is_primary".into(), is_primary),
        Column::new("primary_report_id".into(), primary_id),
        Column::new("primary_source_path".into(), primary_path),
        Column::new("primary_rule".into(), rule),
        Column::new("cells_read".into(), cells),
        Column::new("agency_id".into(), agency_id),
    ])
    .map_err(polars_err("report_groups"))
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
        let diff = |row: &str| Diff {
            table: "applications",
            row: row.into(),
            column: "total".into(),
            member: 1.0,
            primary: 2.0,
        };
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
            vec![Diff {
                table: "applications",
                row: "granted".into(),
                column: "total".into(),
                member: 8.0,
                primary: 7.0,
            }],
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
