"""`newscrawl export --parquet|--jsonl|--csv DIR`: tables and views as files for pandas,
duckdb, R, spreadsheets.

The same tables and views in each format, one file per table (``articles.parquet``,
``articles.jsonl``, ``articles.csv``), each written under a ``.partial`` name and renamed when
complete. Parquet column types follow the SQLite declarations (INTEGER → int64, REAL → float64,
TEXT → string); columns without one (view expressions) take the type of their first value. JSON
arrays (articles.authors, articles.tags) become list<string> columns in Parquet and arrays in
JSONL; CSV keeps them as JSON text (``["A", "B"]``). Dates stay ISO 8601 strings: they carry the
publisher's UTC offset, which a Parquet timestamp would drop.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable, Iterator
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
    """Write one table or view to `out` as Parquet in batches (bounded memory); the row count."""
    schema = arrow_schema(conn, table)
    lists = [i for i, field in enumerate(schema) if pa.types.is_list(field.type)]
    partial = out.with_name(out.name + ".partial")
    rows_written = 0
    with pq.ParquetWriter(partial, schema, compression="zstd") as writer:
        for rows in _batches(conn, table, schema.names):
            data = [list(column) for column in zip(*rows, strict=True)]
            for i in lists:
                data[i] = [_as_list(value) for value in data[i]]
            writer.write_table(
                pa.Table.from_pydict(dict(zip(schema.names, data, strict=True)), schema=schema)
            )
            rows_written += len(rows)
    partial.replace(out)  # a half-written export never takes the real name
    return rows_written


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"pragma table_info({_quote(table)})")]


def _batches(conn: sqlite3.Connection, table: str, names: list[str]) -> Iterator[list[tuple]]:
    cursor = conn.execute(f"select {', '.join(map(_quote, names))} from {_quote(table)}")
    while rows := cursor.fetchmany(BATCH_ROWS):
        yield rows


def export_jsonl(conn: sqlite3.Connection, table: str, out: Path) -> int:
    """One JSON object per row (JSON array columns as arrays); the row count."""
    names = _columns(conn, table)
    lists = {i for i, name in enumerate(names) if name in JSON_LIST_COLUMNS.get(table, ())}
    partial = out.with_name(out.name + ".partial")
    count = 0
    with open(partial, "w", encoding="utf-8") as handle:
        for rows in _batches(conn, table, names):
            for row in rows:
                record = {
                    name: _as_list(value) if i in lists else value
                    for i, (name, value) in enumerate(zip(names, row, strict=True))
                }
                handle.write(json.dumps(record, ensure_ascii=False, default=_bytes_hex) + "\n")
                count += 1
    partial.replace(out)
    return count


def export_csv(conn: sqlite3.Connection, table: str, out: Path) -> int:
    """A header row, then one row per row (NULL as an empty cell, JSON arrays as JSON text)."""
    names = _columns(conn, table)
    partial = out.with_name(out.name + ".partial")
    count = 0
    with open(partial, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for rows in _batches(conn, table, names):
            writer.writerows(
                ["" if v is None else _bytes_hex(v) if isinstance(v, bytes) else v for v in row]
                for row in rows
            )
            count += len(rows)
    partial.replace(out)
    return count


def _bytes_hex(value: object) -> str:
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot export {type(value).__name__}")


FORMATS: dict[str, tuple[str, Callable[[sqlite3.Connection, str, Path], int]]] = {
    "parquet": (".parquet", export_table),
    "jsonl": (".jsonl", export_jsonl),
    "csv": (".csv", export_csv),
}


class ExportError(ValueError):
    """The export cannot be written; the message names the folder and the reason."""


def prepare_folder(out_dir: Path) -> None:
    """Create `out_dir` (and its parents) or ExportError saying why it cannot be written into."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} is a file, not a folder: give a folder to export into")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ExportError(
            f"cannot create the folder {out_dir}: a file is in the way of its path"
        ) from None
    except OSError as exc:
        raise ExportError(
            f"cannot create the folder {out_dir}: {exc.strerror or exc};"
            " choose a folder you can write to"
        ) from None


def export_tables(
    conn: sqlite3.Connection,
    out_dir: Path,
    tables: list[str] | tuple[str, ...] = DEFAULT_TABLES,
    fmt: str = "parquet",
) -> dict[str, int]:
    """Write `<table>.<fmt>` for each table into `out_dir`; return rows per table."""
    known = exportable(conn)
    unknown = [table for table in tables if table not in known]
    if unknown:
        raise ValueError(f"no such table or view: {', '.join(unknown)} (have: {', '.join(known)})")
    suffix, write = FORMATS[fmt]
    prepare_folder(out_dir)
    written = {}
    for table in tables:
        try:
            written[table] = write(conn, table, out_dir / f"{table}{suffix}")
        except OSError as exc:
            raise ExportError(
                f"cannot write {out_dir / (table + suffix)}: {exc.strerror or exc}"
            ) from None
    return written


def export_parquet(
    conn: sqlite3.Connection, out_dir: Path, tables: list[str] | tuple[str, ...] = DEFAULT_TABLES
) -> dict[str, int]:
    """Write `<table>.parquet` for each table into `out_dir`; return rows per table."""
    return export_tables(conn, out_dir, tables, "parquet")
