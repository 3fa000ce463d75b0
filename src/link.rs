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
use std::collections::{BTreeMap, HashMap, HashSet};
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
    /// `-/城关镇人民政府` when the name could not be placed.
    fn agency_id(&self) -> Option<String> {
        let agency = self.agency.as_deref()?;
        Some(format!("{}/{agency}", self.place.as_deref().unwrap_or("-")))
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

fn members(dir: &Path) -> Result<Vec<Member>, DatasetError> {
    let df = dataset::collect(dir, "reports", |lf| {
        lf.select([
            col("report_id"),
            col("source_path"),
            col("format"),
            col("kind"),
            col("status"),
            col("n_errors"),
            col("year"),
            col("agency_normalised"),
            col("division_code"),
            col("province"),
            col("prefecture"),
            col("county"),
            col("level"),
        ])
    })?;
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
    Ok((0..df.height())
        .map(|i| {
            let report_id = ids[i].unwrap_or_default().to_string();
            let place = divisions[i]
                .or((levels[i] == Some("national")).then_some("national"))
                .or(provinces[i])
                .map(str::to_string);
            let division_name = counties[i].or(prefectures[i]).or(provinces[i]);
            let agency = agencies[i]
                .filter(|a| !a.is_empty())
                .map(|a| agency_name(a, division_name.filter(|_| place.is_some())));
            Member {
                cells: cells.get(&report_id).copied().unwrap_or(0),
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
    for (i, m) in members.iter().enumerate() {
        if !m.eligible {
            continue;
        }
        let id = match (m.agency_id(), m.year) {
            // The same bare name in two places (城关镇人民政府 is in dozens of counties) is
            // two agencies: without a division, only files of one folder are grouped, so
            // that no agency's report is dropped from the aggregates as a duplicate.
            (Some(agency), Some(year)) if m.place.is_none() => {
                let folder = m.source_path.rsplit_once('/').map_or("", |(d, _)| d);
                format!("{year}/{agency}@{folder}")
            }
            (Some(agency), Some(year)) => format!("{year}/{agency}"),
            _ => format!("id/{}", m.report_id),
        };
        groups.entry(id).or_default().push(i);
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
    row: String,
    column: String,
    other_source_path: String,
    report_id: String,
    other_report_id: String,
    expected: String,
    actual: String,
    message: String,
}

/// Cell values per report, keyed by (table, row, column) codes. Codes are interned as
/// the template's own `&'static str` (a national corpus has millions of these cells).
type Cells = HashMap<String, BTreeMap<(&'static str, &'static str, &'static str), f64>>;

/// The template's code equal to `s`, if there is one.
fn intern(s: &str) -> Option<&'static str> {
    use crate::templates::{APPLICATION_ROWS, OUTCOMES, PROACTIVE_ITEMS, PROCEEDINGS};
    static CODES: std::sync::OnceLock<HashSet<&'static str>> = std::sync::OnceLock::new();
    let codes = CODES.get_or_init(|| {
        APPLICATION_ROWS
            .iter()
            .map(|r| r.code)
            .chain(APPLICANTS.iter().copied())
            .chain(PROCEEDINGS.iter().copied())
            .chain(OUTCOMES.iter().copied())
            .chain(PROACTIVE_ITEMS.iter().flat_map(|i| {
                std::iter::once(i.code)
                    .chain(i.measures_2019.iter().copied())
                    .chain(i.measures_2021.iter().copied())
            }))
            .collect()
    });
    codes.get(s).copied()
}

/// Loads into `cells` the cells of reports `ids`: every cell, or with `only_rows` just
/// those section-三 rows (the cross-year checks need four rows of every primary, the
/// duplicate check every cell of the few reports with a duplicate).
fn load_cells(
    dir: &Path,
    ids: &HashSet<String>,
    only_rows: Option<&[&str]>,
    cells: &mut Cells,
) -> Result<(), DatasetError> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut sorted: Vec<&str> = ids.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let wanted = DataFrame::new_infer_height(vec![Column::new("report_id".into(), sorted)])
        .map_err(polars_err("report ids"))?
        .lazy();
    let tables: [(&'static str, &str, &str); 3] = [
        ("applications", "row", "applicant"),
        ("review_litigation", "proceeding", "outcome"),
        ("proactive", "item", "measure"),
    ];
    for (table, row, column) in tables {
        let rows_filter = match only_rows {
            None => lit(true),
            Some(_) if table != "applications" => continue,
            Some(rows) => rows
                .iter()
                .map(|r| col("row").eq(lit(*r)))
                .reduce(|a, b| a.or(b))
                .unwrap_or_else(|| lit(false)),
        };
        let df = dataset::collect(dir, table, |lf| {
            lf.filter(rows_filter)
                .join(
                    wanted.clone(),
                    [col("report_id")],
                    [col("report_id")],
                    JoinArgs::new(JoinType::Semi),
                )
                .filter(col("value").is_not_null())
                .select([
                    col("report_id"),
                    col(row).alias("r"),
                    col(column).alias("c"),
                    col("value").cast(DataType::Float64).alias("v"),
                ])
        })?;
        let ids = dataset::strings(&df, "report_id")?;
        let rows = dataset::strings(&df, "r")?;
        let columns = dataset::strings(&df, "c")?;
        let values = df
            .column("v")
            .and_then(|c| c.f64().cloned())
            .map_err(polars_err("values"))?;
        for i in 0..df.height() {
            let (Some(id), Some(r), Some(c), Some(v)) =
                (ids[i], rows[i], columns[i], values.get(i))
            else {
                continue;
            };
            let (Some(r), Some(c)) = (intern(r), intern(c)) else {
                continue;
            };
            cells
                .entry(id.to_string())
                .or_default()
                .insert((table, r, c), v);
        }
    }
    Ok(())
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Cells two files of one group read differently, as findings on both.
fn duplicate_findings(
    members: &[Member],
    groups: &BTreeMap<String, Vec<usize>>,
    cells: &Cells,
    out: &mut Vec<Cross>,
) {
    let empty = BTreeMap::new();
    for list in groups.values() {
        let primary = &members[list[0]];
        let p_cells = cells.get(&primary.report_id).unwrap_or(&empty);
        for &other in &list[1..] {
            let m = &members[other];
            if m.report_id == primary.report_id {
                continue;
            }
            let m_cells = cells.get(&m.report_id).unwrap_or(&empty);
            for (&(table, row, column), &pv) in p_cells {
                let Some(&mv) = m_cells.get(&(table, row, column)) else {
                    continue;
                };
                if mv == pv {
                    continue;
                }
                let (mv, pv) = (number(mv), number(pv));
                for (a, b, av, bv) in [(m, primary, &mv, &pv), (primary, m, &pv, &mv)] {
                    out.push(Cross {
                        source_path: a.source_path.clone(),
                        check: "duplicate_values_differ",
                        table,
                        row: row.into(),
                        column: column.into(),
                        other_source_path: b.source_path.clone(),
                        report_id: a.report_id.clone(),
                        other_report_id: b.report_id.clone(),
                        expected: bv.clone(),
                        actual: av.clone(),
                        message: format!(
                            "{table} {row}.{column} is {av} here but {bv} in {}, another file of the same report",
                            b.source_path
                        ),
                    });
                }
            }
        }
    }
}

/// Section-三 rows the cross-year checks read.
const YEAR_ROWS: [&str; 4] = [
    "carried_over",
    "carried_forward",
    "new_received",
    "total_processed",
];

/// Continuity and jumps between the primaries of consecutive years of one agency.
fn year_findings(
    members: &[Member],
    primaries: &[usize],
    cells: &Cells,
    options: &Options,
    out: &mut Vec<Cross>,
) {
    let mut by_agency: BTreeMap<String, BTreeMap<i32, usize>> = BTreeMap::new();
    for &i in primaries {
        let m = &members[i];
        if let (Some(key), Some(year)) = (m.agency_id(), m.year) {
            by_agency.entry(key).or_default().insert(year, i);
        }
    }
    let empty = BTreeMap::new();
    let value = |m: &Member, row: &'static str, column: &'static str| -> Option<i64> {
        cells
            .get(&m.report_id)
            .unwrap_or(&empty)
            .get(&("applications", row, column))
            .map(|&v| v as i64)
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
                out.push(Cross {
                    source_path: before.source_path.clone(),
                    check: "continuity_mismatch",
                    table: "applications",
                    row: "carried_forward".into(),
                    column: column.into(),
                    other_source_path: after.source_path.clone(),
                    report_id: before.report_id.clone(),
                    other_report_id: after.report_id.clone(),
                    expected: over.to_string(),
                    actual: forward.to_string(),
                    message: message.clone(),
                });
                out.push(Cross {
                    source_path: after.source_path.clone(),
                    check: "continuity_mismatch",
                    table: "applications",
                    row: "carried_over".into(),
                    column: column.into(),
                    other_source_path: before.source_path.clone(),
                    report_id: after.report_id.clone(),
                    other_report_id: before.report_id.clone(),
                    expected: forward.to_string(),
                    actual: over.to_string(),
                    message,
                });
            }
            for row in ["new_received", "total_processed"] {
                let (Some(a), Some(b)) = (value(before, row, "total"), value(after, row, "total"))
                else {
                    continue;
                };
                if is_jump(a, b, options) {
                    out.push(Cross {
                        source_path: after.source_path.clone(),
                        check: "year_on_year_jump",
                        table: "applications",
                        row: row.into(),
                        column: "total".into(),
                        other_source_path: before.source_path.clone(),
                        report_id: after.report_id.clone(),
                        other_report_id: before.report_id.clone(),
                        expected: a.to_string(),
                        actual: b.to_string(),
                        message: format!(
                            "{row} went from {a} in {year} to {b} in {}, more than a factor of {}",
                            year + 1,
                            options.jump_factor
                        ),
                    });
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
    let mut duplicated: HashSet<String> = HashSet::new();
    for list in groups.values() {
        if list.len() > 1 {
            duplicated.extend(list.iter().map(|&i| members[i].report_id.clone()));
        }
    }
    let others: HashSet<String> = primaries
        .iter()
        .map(|&i| members[i].report_id.clone())
        .filter(|id| !duplicated.contains(id))
        .collect();
    let mut cells = Cells::new();
    load_cells(dir, &duplicated, None, &mut cells)?;
    load_cells(dir, &others, Some(&YEAR_ROWS), &mut cells)?;

    let mut cross = Vec::new();
    duplicate_findings(&members, &groups, &cells, &mut cross);
    year_findings(&members, &primaries, &cells, options, &mut cross);
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
    DataFrame::new_infer_height(vec![
        Column::new("report_id".into(), s(|c| &c.report_id)),
        Column::new("source_path".into(), s(|c| &c.source_path)),
        Column::new(
            "severity".into(),
            cross.iter().map(|_| "warning").collect::<Vec<_>>(),
        ),
        Column::new("check".into(), s(|c| c.check)),
        Column::new("table".into(), s(|c| c.table)),
        Column::new("row".into(), s(|c| &c.row)),
        Column::new("column".into(), s(|c| &c.column)),
        Column::new("expected".into(), s(|c| &c.expected)),
        Column::new("actual".into(), s(|c| &c.actual)),
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
        let mut cells: Cells = HashMap::new();
        let put = |cells: &mut Cells, id: &str, row: &str, col: &str, v: f64| {
            cells.entry(id.into()).or_default().insert(
                ("applications", intern(row).unwrap(), intern(col).unwrap()),
                v,
            );
        };
        put(&mut cells, "id-2021.txt", "carried_forward", "total", 3.0);
        put(
            &mut cells,
            "id-2021.txt",
            "carried_forward",
            "natural_person",
            2.0,
        );
        put(&mut cells, "id-2022.txt", "carried_over", "total", 4.0);
        put(
            &mut cells,
            "id-2022.txt",
            "carried_over",
            "natural_person",
            2.0,
        );
        put(&mut cells, "id-2022.txt", "granted", "total", 7.0);
        put(&mut cells, "id-2022.html", "granted", "total", 8.0);
        let mut out = Vec::new();
        duplicate_findings(&ms, &groups, &cells, &mut out);
        year_findings(&ms, &primaries, &cells, &Options::default(), &mut out);
        let got: Vec<(&str, &str, &str, &str)> = out
            .iter()
            .map(|c| {
                (
                    c.source_path.as_str(),
                    c.check,
                    c.row.as_str(),
                    c.column.as_str(),
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
            (out[2].expected.as_str(), out[2].actual.as_str()),
            ("4", "3")
        );
    }
}
