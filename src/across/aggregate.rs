//! The published statistics: `aggregates`, by year × province × level × agency kind.
//!
//! Computed with polars from the **primary** report of each group only (see
//! [`crate::link`]), so an HTML page and its PDF attachment count once. Each figure is
//! summed over the reports whose table was read **complete** — every template row
//! there, no error finding on the table (a cell lost) and none of [`LOSS_CHECKS`] (a row
//! cut off, missing or unrecognised) — and the number of those reports stands beside
//! the figures as `applications_coverage` / `review_coverage`; a figure over no complete
//! table is null, not 0. Within a complete table a blank cell counts as 0 (reports print
//! zeros as blanks). Other warnings, such as a failed balance rule, leave the table
//! complete: its values are what the agency printed.
//!
//! Rates are ratios of the summed figures (never averages of per-report rates):
//! `grant_rate` = granted / processed, `disclosure_rate` = (granted + partly granted) /
//! processed, `review_correction_rate` = corrected / decided (upheld + corrected + other,
//! i.e. without pending cases), and the same for litigation (both kinds of suit).

use crate::dataset::{self, polars_err, DatasetError};
use crate::memo::{Figures, Memo};
use crate::templates::APPLICATION_ROWS;
use polars::prelude::*;
use std::path::Path;
use std::sync::LazyLock;

/// What a section-三 figure sums (total column): one row, or every row of a category
/// of the template (`templates::APPLICATION_ROWS`, e.g. the eight 不予公开 reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// The row with this code.
    Row(&'static str),
    /// The rows of this category.
    Category(&'static str),
}

impl Rows {
    /// The row codes summed.
    pub fn codes(self) -> Vec<&'static str> {
        match self {
            Rows::Row(code) => vec![code],
            Rows::Category(category) => APPLICATION_ROWS
                .iter()
                .filter(|r| r.category == category)
                .map(|r| r.code)
                .collect(),
        }
    }
}

/// Section-三 figures: output column and the rows summed into it.
pub const APPLICATION_FIGURES: &[(&str, Rows)] = &[
    ("new_received", Rows::Row("new_received")),
    ("carried_over", Rows::Row("carried_over")),
    ("processed", Rows::Row("total_processed")),
    ("granted", Rows::Row("granted")),
    ("partly_granted", Rows::Row("partly_granted")),
    ("withheld", Rows::Category("withheld")),
    ("withheld_state_secret", Rows::Row("withheld_state_secret")),
    (
        "withheld_prohibited_by_law",
        Rows::Row("withheld_prohibited_by_law"),
    ),
    (
        "withheld_endangers_security",
        Rows::Row("withheld_endangers_security"),
    ),
    (
        "withheld_third_party_rights",
        Rows::Row("withheld_third_party_rights"),
    ),
    (
        "withheld_internal_affairs",
        Rows::Row("withheld_internal_affairs"),
    ),
    ("withheld_process_info", Rows::Row("withheld_process_info")),
    (
        "withheld_enforcement_file",
        Rows::Row("withheld_enforcement_file"),
    ),
    ("withheld_query_matter", Rows::Row("withheld_query_matter")),
    ("unavailable", Rows::Category("unavailable")),
    ("declined", Rows::Category("declined")),
    // 其他处理: the 2019 single row and the 2021 sub-rows, whichever was printed.
    ("other_handling", Rows::Category("other")),
    ("carried_forward", Rows::Row("carried_forward")),
];

/// Section-四 figures: output column and the (proceeding, outcome) cells summed into it.
pub const REVIEW_FIGURES: &[(&str, &[(&str, &str)])] = &[
    ("review_total", &[("review", "total")]),
    ("review_corrected", &[("review", "corrected")]),
    (
        "review_decided",
        &[
            ("review", "upheld"),
            ("review", "corrected"),
            ("review", "other"),
        ],
    ),
    (
        "litigation_total",
        &[
            ("litigation_direct", "total"),
            ("litigation_after_review", "total"),
        ],
    ),
    (
        "litigation_corrected",
        &[
            ("litigation_direct", "corrected"),
            ("litigation_after_review", "corrected"),
        ],
    ),
    (
        "litigation_decided",
        &[
            ("litigation_direct", "upheld"),
            ("litigation_direct", "corrected"),
            ("litigation_direct", "other"),
            ("litigation_after_review", "upheld"),
            ("litigation_after_review", "corrected"),
            ("litigation_after_review", "other"),
        ],
    ),
];

/// Rates: output column, numerator figures (summed), denominator figure.
pub const RATES: &[(&str, &[&str], &str)] = &[
    ("grant_rate", &["granted"], "processed"),
    (
        "disclosure_rate",
        &["granted", "partly_granted"],
        "processed",
    ),
    (
        "review_correction_rate",
        &["review_corrected"],
        "review_decided",
    ),
    (
        "litigation_correction_rate",
        &["litigation_corrected"],
        "litigation_decided",
    ),
];

/// The grouping columns of `aggregates`, in order.
pub const KEYS: [&str; 4] = ["year", "province", "level", "agency_kind"];

/// Checks that say a table lost rows or values whatever their severity: a row cut off
/// (`truncated`), not printed or not recognised (`row_missing`, `unreadable_label`), a
/// table not found, a cell printed twice with two values.
pub const LOSS_CHECKS: [&str; 5] = [
    "truncated",
    "row_missing",
    "unreadable_label",
    "table_missing",
    "cell_conflict",
];

/// True (per report, in a group-by over a cell table) when `key` has a row equal to
/// `value`.
fn printed(key: &str, value: &str) -> Expr {
    col(key).eq(lit(value)).sum().gt(lit(0))
}

fn all_of(exprs: impl IntoIterator<Item = Expr>) -> Expr {
    exprs
        .into_iter()
        .reduce(|a, b| a.and(b))
        .unwrap_or_else(|| lit(true))
}

/// Section 三 is complete when every template row is there: 其他处理 as one row (2019)
/// or as its three sub-rows (2021).
fn applications_printed() -> Expr {
    // The "other" category is 其他处理 itself (2019) and its sub-rows (2021).
    let single = crate::templates::printed::OTHER_HANDLING_2019.0;
    let core = all_of(
        APPLICATION_ROWS
            .iter()
            .filter(|r| r.category != "other")
            .map(|r| printed("row", r.code)),
    );
    let split = all_of(
        Rows::Category("other")
            .codes()
            .into_iter()
            .filter(|c| *c != single)
            .map(|c| printed("row", c)),
    );
    core.and(printed("row", single).or(split))
}

/// Section 四 is complete when all fifteen cells are there.
fn review_printed() -> Expr {
    use crate::templates::{OUTCOMES, PROCEEDINGS};
    all_of(PROCEEDINGS.iter().flat_map(|p| {
        OUTCOMES.iter().map(move |o| {
            col("proceeding")
                .eq(lit(*p))
                .and(col("outcome").eq(lit(*o)))
                .sum()
                .gt(lit(0))
        })
    }))
}

/// Per report: one column per figure, and whether the table is complete: every row
/// printed (`printed`), no error finding on the table and none of [`LOSS_CHECKS`].
fn per_report(
    dir: &Path,
    table: &str,
    ids: &LazyFrame,
    only: Expr,
    mut cells: Vec<Expr>,
    printed: Expr,
    flag: &str,
) -> Result<LazyFrame, DatasetError> {
    let loss = LOSS_CHECKS
        .iter()
        .fold(col("severity").eq(lit("error")), |acc, c| {
            acc.or(col("check").eq(lit(*c)))
        });
    let lost = dataset::scan(dir, "findings")?
        .filter(loss.and(col("table").eq(lit(table))))
        .select([col("report_id")])
        .unique(None, UniqueKeepStrategy::Any)
        .with_column(lit(true).alias("lost"));
    let ids = ids.clone().select([col("report_id")]);
    let values =
        dataset::join_reports(dataset::scan(dir, table)?.filter(only), ids, JoinType::Semi)
            .group_by([col("report_id")])
            .agg({
                cells.push(printed.alias("printed"));
                cells
            });
    let values = dataset::join_reports(values, lost, JoinType::Left)
        .with_column(col("lost").is_null().and(col("printed")).alias(flag))
        .drop(cols(["lost", "printed"]));
    Ok(values)
}

/// The value of one cell of a report's table (first: byte-identical copies repeat it).
fn cell(pred: Expr) -> Expr {
    col("value").filter(pred).first().fill_null(lit(0i64))
}

fn sum_of(exprs: Vec<Expr>) -> Expr {
    exprs
        .into_iter()
        .reduce(|a, b| a + b)
        .expect("at least one cell")
}

/// The `aggregates` table of output directory `dir`, given its `report_groups`; the
/// figures of primaries that `memo` lacks are computed and added to it.
pub fn aggregate(
    dir: &Path,
    groups: &DataFrame,
    memo: &mut Memo,
    fresh: &mut crate::facts::Fresh,
) -> Result<DataFrame, DatasetError> {
    let primary = groups.clone().lazy().filter(col("is_primary")).select([
        col("report_id"),
        col("source_path"),
        col("agency_id"),
    ]);
    let reports = dataset::scan(dir, "reports")?
        .select([
            col("report_id"),
            col("source_path"),
            col("year"),
            col("province"),
            col("level"),
            col("agency_kind"),
        ])
        .join(
            primary.clone(),
            [col("report_id"), col("source_path")],
            [col("report_id"), col("source_path")],
            JoinArgs::new(JoinType::Inner),
        )
        // The figures below are joined on report_id: one row per report, even if two
        // files with the same bytes were both primaries (link::group prevents it).
        .unique_stable(
            Some(Selector::ByName {
                names: Arc::new(["report_id".into()]),
                strict: true,
            }),
            UniqueKeepStrategy::First,
        );
    let ids = primary_ids(groups)?;
    let mut todo: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| !memo.figures.contains_key(*id))
        .collect();
    crate::facts::take_computed(&mut todo, &mut memo.figures, |id| fresh.take_figures(id));
    if !todo.is_empty() {
        for (id, figures) in figures_of(dir, todo)? {
            memo.figures.insert(id, figures);
        }
    }
    let per = dataset::join_reports(reports, figures_frame(&ids, memo)?.lazy(), JoinType::Left);

    let figure = |name: &str, flag: &str| {
        let sum = col(name)
            .filter(col(flag).fill_null(lit(false)))
            .sum()
            .cast(DataType::Int64);
        sum.alias(name)
    };
    let mut aggs = vec![
        len().cast(DataType::Int64).alias("reports"),
        col("agency_id")
            .drop_nulls()
            .n_unique()
            .cast(DataType::Int64)
            .alias("agencies"),
        col("applications_complete")
            .fill_null(lit(false))
            .sum()
            .cast(DataType::Int64)
            .alias("applications_coverage"),
    ];
    aggs.extend(
        APPLICATION_FIGURES
            .iter()
            .map(|(n, _)| figure(n, "applications_complete")),
    );
    aggs.push(
        col("review_complete")
            .fill_null(lit(false))
            .sum()
            .cast(DataType::Int64)
            .alias("review_coverage"),
    );
    aggs.extend(
        REVIEW_FIGURES
            .iter()
            .map(|(n, _)| figure(n, "review_complete")),
    );

    // A figure over no complete table is unknown, not zero.
    let mut nulled: Vec<Expr> = Vec::new();
    for (name, _) in APPLICATION_FIGURES {
        nulled.push(unknown_without(name, "applications_coverage"));
    }
    for (name, _) in REVIEW_FIGURES {
        nulled.push(unknown_without(name, "review_coverage"));
    }
    let rates: Vec<Expr> = RATES
        .iter()
        .map(|(name, num, den)| {
            let num = sum_of(num.iter().map(|n| col(*n)).collect()).cast(DataType::Float64);
            let den = col(*den).cast(DataType::Float64);
            when(den.clone().gt(lit(0.0)))
                .then(num / den)
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias(*name)
        })
        .collect();

    let keys: Vec<Expr> = KEYS.iter().map(|k| col(*k)).collect();
    let query = per
        .group_by(keys)
        .agg(aggs)
        .with_columns(nulled)
        .with_columns(rates)
        .sort(
            KEYS,
            SortMultipleOptions::default()
                .with_nulls_last(true)
                .with_maintain_order(true),
        );
    dataset::run(query, "computing aggregates")
}

/// The figure columns of a report (what [`Figures::values`] holds), in order.
pub static FIGURE_COLUMNS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    APPLICATION_FIGURES
        .iter()
        .map(|(n, _)| *n)
        .chain(REVIEW_FIGURES.iter().map(|(n, _)| *n))
        .collect()
});

/// The distinct report ids of the primaries of `groups`, sorted.
fn primary_ids(groups: &DataFrame) -> Result<Vec<&str>, DatasetError> {
    let ids = dataset::strings(groups, "report_id")?;
    let primary = dataset::booleans(groups, "is_primary")?;
    let mut out: Vec<&str> = ids
        .into_iter()
        .zip(primary)
        .filter_map(|(id, p)| if p == Some(true) { id } else { None })
        .collect();
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// The figures of the reports `ids`, read from their tables: a report with no row in a
/// table has its figures null and that table not complete.
fn figures_of(dir: &Path, ids: Vec<&str>) -> Result<Vec<(String, Figures)>, DatasetError> {
    let wanted = crate::link::ids_frame(ids)?;
    // The total column alone: every figure is a total, and a printed row has its total
    // cell (blank or not); a row printed short is an error finding anyway.
    let applications = per_report(
        dir,
        "applications",
        &wanted,
        col("applicant").eq(lit("total")),
        APPLICATION_FIGURES
            .iter()
            .map(|(name, rows)| {
                sum_of(
                    rows.codes()
                        .into_iter()
                        .map(|r| cell(col("row").eq(lit(r))))
                        .collect(),
                )
                .alias(*name)
            })
            .collect(),
        applications_printed(),
        "applications_complete",
    )?;
    let review = per_report(
        dir,
        "review_litigation",
        &wanted,
        lit(true),
        REVIEW_FIGURES
            .iter()
            .map(|(name, cells)| {
                sum_of(
                    cells
                        .iter()
                        .map(|(p, o)| {
                            cell(
                                col("proceeding")
                                    .eq(lit(*p))
                                    .and(col("outcome").eq(lit(*o))),
                            )
                        })
                        .collect(),
                )
                .alias(*name)
            })
            .collect(),
        review_printed(),
        "review_complete",
    )?;
    let join = |lf, other| dataset::join_reports(lf, other, JoinType::Left);
    let df = dataset::run(
        join(join(wanted, applications), review),
        "reading the aggregates' figures",
    )?;
    let ids = dataset::strings(&df, "report_id")?;
    Ok(ids
        .into_iter()
        .zip(Figures::read(&df)?)
        .filter_map(|(id, figures)| id.map(|id| (id.to_string(), figures)))
        .collect())
}

/// The figures of the reports `ids` from `memo`, one row each (columns as
/// [`figures_of`] reads them; a report the memo lacks has nulls).
fn figures_frame(ids: &[&str], memo: &Memo) -> Result<DataFrame, DatasetError> {
    let of: Vec<Option<&Figures>> = ids.iter().map(|id| memo.figures.get(*id)).collect();
    let mut columns = vec![Column::new("report_id".into(), ids.to_vec())];
    columns.extend(Figures::columns(&of));
    DataFrame::new_infer_height(columns).map_err(polars_err("aggregate figures"))
}

fn unknown_without(name: &str, coverage: &str) -> Expr {
    when(col(coverage).gt(lit(0i64)))
        .then(col(name))
        .otherwise(lit(NULL).cast(DataType::Int64))
        .alias(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_figures_sum_the_template_rows_of_their_category() {
        let codes = |c| Rows::Category(c).codes();
        assert_eq!(codes("withheld").len(), 8);
        assert_eq!(
            codes("unavailable"),
            [
                "unavailable_not_held",
                "unavailable_needs_creation",
                "unavailable_still_unclear"
            ]
        );
        assert_eq!(codes("declined").len(), 5);
        assert_eq!(
            codes("other"),
            [
                "other_handling",
                "other_overdue_correction",
                "other_unpaid_fee",
                "other_misc"
            ]
        );
        for (name, rows) in APPLICATION_FIGURES {
            assert!(!rows.codes().is_empty(), "{name} sums no row");
        }
    }
}
