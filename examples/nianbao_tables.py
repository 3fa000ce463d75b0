"""Reading a nianbao output directory with polars and DuckDB, whatever its layout.

    from nianbao_tables import scan, duckdb_source
    apps = scan("output", "applications").collect()
    duckdb.sql(f"SELECT count(*) FROM {duckdb_source('output', 'findings')}")

`--layout single` writes `OUT/NAME.parquet`; `--layout partitioned` writes
`OUT/NAME/year=2023/part-00000.parquet`, with `year=__HIVE_DEFAULT_PARTITION__` for the
rows of reports whose year is unknown (binary, empty or not-a-report files). Both readers
are told the partition column's type: left to guess from the directory names, polars and
DuckDB make `year` a string whenever the only partition a query sees is the default one,
and then it no longer matches the integer years of another table or run.
"""

from pathlib import Path

import polars as pl

# The partition column and its type (BIGINT in DuckDB); null for the default partition.
HIVE_SCHEMA = {"year": pl.Int64}
DUCKDB_HIVE_TYPES = "{'year': BIGINT}"


def partitioned(out, table: str) -> bool:
    """Whether `table` of output `out` is written as year partitions."""
    return not (Path(out) / f"{table}.parquet").exists() and (Path(out) / table).is_dir()


def glob(out, table: str) -> str:
    """The table's Parquet file, or a glob over its partitions."""
    if partitioned(out, table):
        return str(Path(out) / table / "**" / "*.parquet")
    return str(Path(out) / f"{table}.parquet")


def scan(out, table: str) -> pl.LazyFrame:
    """Table `table` of `out` as a polars LazyFrame; partitioned tables have `year`."""
    if partitioned(out, table):
        return pl.scan_parquet(glob(out, table), hive_partitioning=True, hive_schema=HIVE_SCHEMA)
    return pl.scan_parquet(glob(out, table), hive_partitioning=False)


def duckdb_source(out, table: str) -> str:
    """A DuckDB table expression for table `table` of `out` (quotes in `out` escaped)."""
    path = glob(out, table).replace("'", "''")
    if partitioned(out, table):
        return (
            f"read_parquet('{path}', hive_partitioning = true, "
            f"hive_types = {DUCKDB_HIVE_TYPES})"
        )
    return f"read_parquet('{path}', hive_partitioning = false)"
