//! Which files are one report: members read from `reports`, grouped by agency and year,
//! and a primary chosen in each group.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use polars::prelude::*;

use super::duplicates::ids_frame;
use crate::dataset::{self, polars_err, DatasetError};
use crate::facts::Fresh;
use crate::memo::{files_hash, Memo};

/// One row of `reports`, as this stage needs it.
#[derive(Debug, Clone)]
pub(super) struct Member {
    pub(super) report_id: String,
    pub(super) source_path: String,
    pub(super) format: String,
    pub(super) n_errors: i64,
    pub(super) cells: i64,
    pub(super) year: Option<i32>,
    /// The agency's name as its division names it (see [`agency_name`]).
    pub(super) agency: Option<String>,
    /// Where it is: the division code, `national`, or the province when the province is
    /// all that is known; `None` when the name could not be placed.
    pub(super) place: Option<String>,
    pub(super) eligible: bool,
}

impl Member {
    /// The agency identity across files and years: `320813/洪泽区人民政府`, or
    /// `-/城关镇人民政府@FOLDER` when the name could not be placed.
    pub(super) fn agency_id(&self) -> Option<String> {
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
pub(super) fn agency_name(normalised: &str, division: Option<&str>) -> String {
    match (crate::agency::local_part(normalised), division) {
        (Some(local), Some(place)) => format!("{place}{local}"),
        _ => normalised.to_string(),
    }
}

/// Lower is preferred: structured tables first, text extracted from a layout last.
fn format_rank(format: &str) -> u8 {
    match format {
        "html" => 0,
        "docx" | "word_xml" => 1,
        "doc" | "odt" => 2,
        "rtf" => 3,
        "pdf" | "ofd" => 4,
        "text" => 5,
        _ => 6,
    }
}

/// Why `a` ranks before `b` (a is preferred), in words for the `primary_rule` column.
pub(super) fn deciding_rule(a: &Member, b: &Member) -> &'static str {
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

/// Cells read (non-null values) per report over the four cell tables, of the reports
/// `only` (every report when `None`).
fn cells_read(dir: &Path, only: Option<Vec<&str>>) -> Result<HashMap<String, i64>, DatasetError> {
    let mut cells: HashMap<String, i64> = HashMap::new();
    let tables: [(&str, &[&str]); 4] = [
        ("applications", &["value"]),
        ("proactive", &["value"]),
        ("review_litigation", &["value"]),
        ("procurement", &["items", "amount_yuan"]),
    ];
    let only = only.map(ids_frame).transpose()?;
    for (table, values) in tables {
        let df = dataset::collect(dir, table, |lf| {
            let n = values
                .iter()
                .map(|v| col(*v).count().cast(DataType::Int64))
                .reduce(|a, b| a + b)
                .expect("a value column");
            let lf = match &only {
                Some(ids) => dataset::join_reports(lf, ids.clone(), JoinType::Semi),
                None => lf,
            };
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

/// The rows of `reports`, and what of `previous` (the memo of the output before this run,
/// which parsed the reports `parsed`) still stands for them, with the cells read of every
/// report.
pub(super) fn members(
    dir: &Path,
    previous: Option<Memo>,
    parsed: &HashSet<String>,
    fresh: &mut Fresh,
) -> Result<(Vec<Member>, Memo), DatasetError> {
    dataset::require(dir, "reports", &REPORT_COLUMNS)?;
    let df = dataset::collect(dir, "reports", |lf| lf.select(REPORT_COLUMNS.map(col)))?;
    let ids = dataset::strings(&df, "report_id")?;
    let paths = dataset::strings(&df, "source_path")?;
    let files = files_hash(
        ids.iter()
            .zip(&paths)
            .map(|(id, path)| (id.unwrap_or_default(), path.unwrap_or_default())),
    );
    let mut memo = Memo::carry(previous, files, parsed);
    // Files with the same bytes share a report_id, and the cell tables hold their rows
    // once per file: the cells read by one file are the total over its copies.
    let mut copies: HashMap<&str, i64> = HashMap::new();
    for id in ids.iter().flatten() {
        *copies.entry(id).or_default() += 1;
    }
    fresh.keep_complete(&copies);
    let mut todo: Vec<&str> = memo
        .files
        .keys()
        .filter(|id| !memo.cells.contains_key(*id))
        .map(String::as_str)
        .collect();
    crate::facts::take_computed(&mut todo, &mut memo.cells, |id| fresh.cells(id));
    if !todo.is_empty() {
        // Read for the reports whose count is not carried, or for all in one pass.
        let only = (todo.len() < memo.files.len()).then(|| todo.clone());
        let mut counted = cells_read(dir, only)?;
        let todo: Vec<String> = todo.into_iter().map(str::to_string).collect();
        for id in todo {
            let n = counted.remove(&id).unwrap_or(0);
            memo.cells.insert(id, n);
        }
    }
    let cells = &memo.cells;
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
    let members = (0..df.height())
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
        .collect();
    Ok((members, memo))
}

/// The group of each member (None: in no group), groups keyed by a readable id.
pub(super) fn group(members: &[Member]) -> BTreeMap<String, Vec<usize>> {
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

pub(super) fn groups_frame(
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
