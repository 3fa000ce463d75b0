"""Reproduce two published figures from nianbao's Parquet tables, with polars and DuckDB.

    python3 examples/reproduce.py OUTPUT_DIR

OUTPUT_DIR is what `nianbao build` wrote. The script recomputes, from the per-report
tables alone (reports, applications, report_groups, findings):

1. requests received (本年新收), nationally, by year;
2. the grant rate (予以公开 / 总计), nationally, by year;

once with polars and once with DuckDB SQL, and checks both against the `aggregates`
table that `nianbao report` publishes. It exits 1 if any number differs.

The rules it follows are the published ones (README, "aggregates"): count each report
once (the primary file of its group), sum a figure only over reports whose section-三
table was read complete (every template row there, no error finding on it and no finding
that a row was lost), treat a blank cell of a complete table as 0, and compute rates as
ratios of sums.
"""

import sys
from pathlib import Path

import duckdb
import polars as pl

# Either layout, the partition column typed (see nianbao_tables.py beside this file).
from nianbao_tables import duckdb_source, scan


# Findings that say rows of a table were lost, whatever their severity.
LOSS_CHECKS = ["truncated", "row_missing", "unreadable_label", "table_missing", "cell_conflict"]
# Section 三 rows every complete table prints; 其他处理 is one row (2019 template) or three.
OTHER = ["other_overdue_correction", "other_unpaid_fee", "other_misc"]
CORE_ROWS = [
    "new_received", "carried_over", "granted", "partly_granted",
    "withheld_state_secret", "withheld_prohibited_by_law", "withheld_endangers_security",
    "withheld_third_party_rights", "withheld_internal_affairs", "withheld_process_info",
    "withheld_enforcement_file", "withheld_query_matter",
    "unavailable_not_held", "unavailable_needs_creation", "unavailable_still_unclear",
    "declined_petition", "declined_duplicate", "declined_publication", "declined_excessive",
    "declined_confirmation", "total_processed", "carried_forward",
]


def with_polars(out: Path) -> pl.DataFrame:
    groups = scan(out, "report_groups").collect()
    reports = scan(out, "reports").collect()
    apps = scan(out, "applications").collect()
    findings = scan(out, "findings").collect()

    primary = groups.filter(pl.col("is_primary")).select("report_id", "source_path")
    primaries = reports.join(primary, on=["report_id", "source_path"]).select("report_id", "year")
    lost = (
        findings.filter(
            ((pl.col("severity") == "error") | pl.col("check").is_in(LOSS_CHECKS))
            & (pl.col("table") == "applications")
        )
        .select("report_id")
        .unique()
    )
    # A printed row has its total cell (blank or not).
    rows = apps.filter(pl.col("applicant") == "total").group_by("report_id").agg(pl.col("row").unique())
    printed = rows.filter(
        pl.all_horizontal([pl.col("row").list.contains(r) for r in CORE_ROWS])
        & (
            pl.col("row").list.contains("other_handling")
            | pl.all_horizontal([pl.col("row").list.contains(r) for r in OTHER])
        )
    ).select("report_id")
    complete = (
        primaries.join(printed, on="report_id", how="semi")
        .join(lost, on="report_id", how="anti")
    )
    # Files with the same bytes share a report_id and repeat its rows: keep one copy.
    totals = (
        apps.filter(pl.col("applicant") == "total")
        .unique(subset=["report_id", "row"], keep="first")
        .filter(pl.col("row").is_in(["new_received", "granted", "total_processed"]))
        .pivot(on="row", index="report_id", values="value")
    )
    for row in ["new_received", "granted", "total_processed"]:
        if row not in totals.columns:
            totals = totals.with_columns(pl.lit(None, dtype=pl.Int64).alias(row))
    by_year = (
        complete.join(totals, on="report_id", how="left")
        .with_columns(pl.col("new_received", "granted", "total_processed").fill_null(0))
        .filter(pl.col("year").is_not_null())
        .group_by("year")
        .agg(
            pl.col("new_received").sum().alias("received"),
            pl.col("granted").sum(),
            pl.col("total_processed").sum().alias("processed"),
        )
        .with_columns(
            pl.when(pl.col("processed") > 0)
            .then(pl.col("granted") / pl.col("processed"))
            .alias("grant_rate")
        )
        .sort("year")
    )
    return by_year.select("year", "received", "grant_rate")


def with_duckdb(out: Path) -> pl.DataFrame:
    quoted = lambda names: ", ".join(f"'{n}'" for n in names)  # noqa: E731
    core, other, loss = quoted(CORE_ROWS), quoted(OTHER), quoted(LOSS_CHECKS)
    sql = f"""
    WITH primaries AS (
        SELECT r.report_id, r.year
        FROM {duckdb_source(out, "reports")} r
        JOIN {duckdb_source(out, "report_groups")} g
          ON g.report_id = r.report_id AND g.source_path = r.source_path
        WHERE g.is_primary
    ),
    cells AS (
        SELECT DISTINCT report_id, "row", value
        FROM {duckdb_source(out, "applications")}
        WHERE applicant = 'total'
    ),
    printed AS (
        SELECT report_id,
               count(DISTINCT "row") FILTER (WHERE "row" IN ({core})) AS core,
               count(DISTINCT "row") FILTER (WHERE "row" IN ({other})) AS other,
               bool_or("row" = 'other_handling') AS single
        FROM {duckdb_source(out, "applications")}
        WHERE applicant = 'total'
        GROUP BY report_id
    ),
    complete AS (
        SELECT p.* FROM primaries p JOIN printed x ON x.report_id = p.report_id
        WHERE x.core = {len(CORE_ROWS)} AND (x.single OR x.other = {len(OTHER)})
          AND NOT EXISTS (SELECT 1 FROM {duckdb_source(out, "findings")} f
                          WHERE f.report_id = p.report_id AND f."table" = 'applications'
                            AND (f.severity = 'error' OR f."check" IN ({loss})))
    ),
    per_report AS (
        SELECT c.report_id, c.year,
               coalesce(max(CASE WHEN x."row" = 'new_received' THEN x.value END), 0) AS received,
               coalesce(max(CASE WHEN x."row" = 'granted' THEN x.value END), 0) AS granted,
               coalesce(max(CASE WHEN x."row" = 'total_processed' THEN x.value END), 0) AS processed
        FROM complete c LEFT JOIN cells x ON x.report_id = c.report_id
        GROUP BY c.report_id, c.year
    )
    SELECT year, sum(received)::BIGINT AS received,
           CASE WHEN sum(processed) > 0 THEN sum(granted) / sum(processed) END AS grant_rate
    FROM per_report WHERE year IS NOT NULL
    GROUP BY year ORDER BY year
    """
    # Plain rows (no pyarrow needed).
    rows = duckdb.sql(sql).fetchall()
    return pl.DataFrame(
        rows,
        schema={"year": pl.Int32, "received": pl.Int64, "grant_rate": pl.Float64},
        orient="row",
    )


def published(out: Path) -> pl.DataFrame:
    agg = scan(out, "aggregates").collect()
    return (
        agg.filter(pl.col("year").is_not_null() & (pl.col("applications_coverage") > 0))
        .group_by("year")
        .agg(
            pl.col("new_received").sum().alias("received"),
            pl.col("granted").sum(),
            pl.col("processed").sum(),
        )
        .with_columns(
            pl.when(pl.col("processed") > 0)
            .then(pl.col("granted") / pl.col("processed"))
            .alias("grant_rate")
        )
        .sort("year")
        .select("year", "received", "grant_rate")
    )


def same(name: str, got: pl.DataFrame, want: pl.DataFrame) -> bool:
    got = got.with_columns(pl.col("year").cast(pl.Int32), pl.col("received").cast(pl.Int64))
    want = want.with_columns(pl.col("year").cast(pl.Int32), pl.col("received").cast(pl.Int64))
    joined = want.join(got, on="year", how="full", suffix="_got", coalesce=True)
    bad = joined.filter(
        (pl.col("received") != pl.col("received_got"))
        | (pl.col("received").is_null() != pl.col("received_got").is_null())
        | ((pl.col("grant_rate") - pl.col("grant_rate_got")).abs() > 1e-12)
        | (pl.col("grant_rate").is_null() != pl.col("grant_rate_got").is_null())
    )
    if bad.height:
        print(f"{name}: differs from aggregates:\n{bad}")
        return False
    print(f"{name}: {got.height} years agree with aggregates")
    return True


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    out = Path(sys.argv[1])
    want = published(out)
    print("Published (aggregates, rolled up by year):")
    print(want)
    ok = same("polars", with_polars(out), want)
    ok &= same("duckdb", with_duckdb(out), want)
    if want.height == 0:
        print("no year with a complete table: nothing to compare")
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
