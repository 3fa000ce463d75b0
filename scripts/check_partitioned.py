#!/usr/bin/env python3
"""Checks a `nianbao build --layout partitioned` output with two independent readers.

    scripts/check_partitioned.py OUT

For every table, the partitioned Parquet files are read with polars and with DuckDB
(both with Hive partitioning, so `year` comes from the directory names) and their row
counts compared with the single CSV file and with manifest.json. Exits 1 on a mismatch.
"""
import json
import sys
from pathlib import Path

import duckdb
import polars as pl

TABLES = ["reports", "applications", "proactive", "procurement", "review_litigation", "findings"]


def main(out: Path) -> int:
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["layout"] == "partitioned", manifest["layout"]
    errors = 0
    for table in TABLES:
        csv_rows = pl.read_csv(out / f"{table}.csv", infer_schema=False).height
        files = sorted((out / table).glob("year=*/*.parquet"))
        glob = str(out / table / "**" / "*.parquet")
        if files:
            pl_rows = pl.scan_parquet(glob, hive_partitioning=True).select(pl.len()).collect().item()
            db_rows = duckdb.sql(
                f"select count(*) from read_parquet('{glob}', hive_partitioning = true)"
            ).fetchall()[0][0]
        else:
            pl_rows = db_rows = 0
        counts = {"csv": csv_rows, "polars": pl_rows, "duckdb": db_rows, "manifest": manifest["tables"][table]}
        ok = len(set(counts.values())) == 1
        errors += not ok
        print(f"{'ok ' if ok else 'BAD'} {table}: {counts} in {len(files)} partitions")
    # Each reports partition holds only reports of its year.
    for part in sorted((out / "reports").glob("year=*")):
        value = part.name.split("=", 1)[1]
        years = pl.read_parquet(part / "part-00000.parquet", hive_partitioning=False)["year"]
        expected = None if value == "__HIVE_DEFAULT_PARTITION__" else int(value)
        if set(years.to_list()) != {expected}:
            print(f"BAD reports/{part.name}: years {set(years.to_list())}")
            errors += 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
