#!/usr/bin/env python3
"""Checks a `nianbao build --layout partitioned` output with two independent readers.

    scripts/check_partitioned.py OUT [--corpus CORPUS]

Every table is read with polars and with DuckDB: the per-report tables from their year
partitions with Hive partitioning (`year` typed Int64 / BIGINT, null for
`year=__HIVE_DEFAULT_PARTITION__`), the tables across reports from their one file. Row
counts are compared with the CSV file and with manifest.json, and each `reports`
partition must hold only reports of its year. With `--corpus`, the `source_path`s of
`reports`, read back by each reader, must be the corpus's files, one row each (for a
corpus without zip archives, whose members are reports of their own). Exits 1 on a
mismatch.
"""
import argparse
import json
import sys
from pathlib import Path

import duckdb
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from nianbao_tables import duckdb_source, partitioned, scan  # noqa: E402

PER_REPORT = ["reports", "applications", "proactive", "procurement", "review_litigation", "findings"]
ACROSS_REPORTS = ["report_groups", "cross_findings", "aggregates"]


def corpus_files(corpus: Path) -> list[str]:
    """The files `nianbao build` lists: regular files outside hidden directories, minus
    gold truth files, as `/`-separated paths relative to the corpus."""
    files = []
    for path in corpus.rglob("*"):
        rel = path.relative_to(corpus)
        if any(p.startswith(".") for p in rel.parts[:-1]) or not path.is_file():
            continue
        if not path.name.endswith(".gold.json"):
            files.append(rel.as_posix())
    return sorted(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", type=Path, help="the corpus OUT was built from")
    args = parser.parse_args()
    out: Path = args.out
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["layout"] == "partitioned", manifest["layout"]
    errors = 0

    def bad(message: str) -> None:
        nonlocal errors
        errors += 1
        print(f"BAD {message}")

    for table in PER_REPORT + ACROSS_REPORTS:
        csv_rows = pl.read_csv(out / f"{table}.csv", infer_schema=False).height
        parts = sorted((out / table).glob("year=*/*.parquet"))
        if table in PER_REPORT and not parts:
            bad(f"{table}: no partition file (a table without rows has one of no year)")
            pl_rows = db_rows = 0
        else:
            if table in PER_REPORT and not partitioned(out, table):
                bad(f"{table}: not partitioned")
            lf = scan(out, table)
            pl_rows = lf.select(pl.len()).collect().item()
            db_rows = duckdb.sql(f"select count(*) from {duckdb_source(out, table)}").fetchall()[0][0]
            if table in PER_REPORT and pl_rows > 0:
                pl_type = lf.collect_schema()["year"]
                db_type = duckdb.sql(
                    f"select typeof(year) from {duckdb_source(out, table)} limit 1"
                ).fetchall()[0][0]
                if pl_type != pl.Int64 or db_type != "BIGINT":
                    bad(f"{table}: year read as {pl_type} (polars), {db_type} (DuckDB)")
        counts = {"csv": csv_rows, "polars": pl_rows, "duckdb": db_rows, "manifest": manifest["tables"][table]}
        ok = len(set(counts.values())) == 1
        if not ok:
            bad(f"{table}: {counts}")
        else:
            print(f"ok  {table}: {counts} in {len(parts) or 1} file(s)")

    # Each reports partition holds only reports of its year.
    for part in sorted((out / "reports").glob("year=*")):
        value = part.name.split("=", 1)[1]
        years = pl.read_parquet(part / "part-00000.parquet", hive_partitioning=False)["year"]
        expected = None if value == "__HIVE_DEFAULT_PARTITION__" else int(value)
        if set(years.to_list()) - {expected}:
            bad(f"reports/{part.name}: years {set(years.to_list())}")

    if args.corpus is not None:
        want = corpus_files(args.corpus)
        by_polars = scan(out, "reports").select("source_path").collect()["source_path"].sort().to_list()
        by_duckdb = [
            r[0]
            for r in duckdb.sql(
                f"select source_path from {duckdb_source(out, 'reports')} order by source_path"
            ).fetchall()
        ]
        for reader, got in [("polars", by_polars), ("duckdb", by_duckdb)]:
            if got != want:
                missing = sorted(set(want) - set(got))
                extra = sorted(set(got) - set(want))
                bad(f"reports by {reader}: {len(got)} rows for {len(want)} files; "
                    f"missing {missing[:5]}, unexpected or repeated {extra[:5] or 'duplicates'}")
            else:
                print(f"ok  reports by {reader}: one row per file ({len(want)} files)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
