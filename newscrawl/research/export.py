"""`newscrawl export --parquet DIR`: tables and views as Parquet files for pandas, duckdb, R.

Column types follow the SQLite declarations (INTEGER → int64, REAL → float64, TEXT → string);
columns without one (view expressions) take the type of their first value. JSON arrays
(articles.authors, articles.tags) become list<string> columns. Dates stay ISO 8601 strings:
they carry the publisher's UTC offset, which a Parquet timestamp would drop.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

DEFAULT_TABLES = ("sites", "articles", "related_links", "comments")
JSON_LIST_COLUMNS = {"articles": frozenset({"authors", "tags"})}
BATCH_ROWS = 5000
_DECLARED = {"INTEGER": pa.int64(), "INT": pa.int64(), "REAL": pa.float64(), "FLOAT": pa.float64(),
             "TEXT": pa.string(), "BLOB": pa.binary()}  # fmt: skip
_TYPEOF = {"integer": pa.int64(), "real": pa.float64(), "blob": pa.binary()}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def exportable(conn: sqlite3.Connection) -> list[str]:
    """Tables and views a user may export (not SQLite's or FTS5's internal tables)."""
    rows = conn.execute(
        "select name from sqlite_master where type in ('table', 'view')"
        " and name not like 'sqlite_%' and name not like '%_fts' and name not like '%_fts_%'"
        " order by name"
    ).fetchall()
    return [name for (name,) in rows]


def arrow_schema(conn: sqlite3.Connection, table: str) -> pa.Schema:
    """The Arrow schema for a table or view, from declared types or first values."""
    fields = []
    lists = JSON_LIST_COLUMNS.get(table, frozenset())
    for _, name, declared, *_ in conn.execute(f"pragma table_info({_quote(table)})"):
        if name in lists:
            arrow_type = pa.list_(pa.string())
        elif declared.upper() in _DECLARED:
            arrow_type = _DECLARED[declared.upper()]
        else:
            first = conn.execute(
                f"select typeof({_quote(name)}) from {_quote(table)}"
                f" where {_quote(name)} is not null limit 1"
            ).fetchone()
            arrow_type = _TYPEOF.get(first[0] if first else "", pa.string())
        fields.append(pa.field(name, arrow_type))
    return pa.schema(fields)


def _as_list(value: Any) -> list[str] | None:
    """A stored JSON array as a list of strings (a lone value becomes a one-item list)."""
    if value is None:
        return None
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return [str(value)]
    if isinstance(parsed, list):
        return [str(item) for item in parsed]
    return [str(parsed)]


def export_table(conn: sqlite3.Connection, table: str, out: Path) -> int:
    """Write one table or view to `out` in batches (bounded memory); return the row count."""
    schema = arrow_schema(conn, table)
    lists = [i for i, field in enumerate(schema) if pa.types.is_list(field.type)]
    columns = ", ".join(_quote(name) for name in schema.names)
    cursor = conn.execute(f"select {columns} from {_quote(table)}")
    partial = out.with_name(out.name + ".partial")
    rows_written = 0
    with pq.ParquetWriter(partial, schema, compression="zstd") as writer:
        while True:
            rows = cursor.fetchmany(BATCH_ROWS)
            if not rows:
                break
            data = [list(column) for column in zip(*rows, strict=True)]
            for i in lists:
                data[i] = [_as_list(value) for value in data[i]]
            writer.write_table(
                pa.Table.from_pydict(dict(zip(schema.names, data, strict=True)), schema=schema)
            )
            rows_written += len(rows)
    partial.replace(out)  # a half-written export never takes the real name
    return rows_written


def export_parquet(
    conn: sqlite3.Connection, out_dir: Path, tables: list[str] | tuple[str, ...] = DEFAULT_TABLES
) -> dict[str, int]:
    """Write `<table>.parquet` for each table into `out_dir`; return rows per table."""
    known = exportable(conn)
    unknown = [table for table in tables if table not in known]
    if unknown:
        raise ValueError(f"no such table or view: {', '.join(unknown)} (have: {', '.join(known)})")
    out_dir.mkdir(parents=True, exist_ok=True)
    return {table: export_table(conn, table, out_dir / f"{table}.parquet") for table in tables}
