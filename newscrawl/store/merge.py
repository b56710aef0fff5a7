"""`newscrawl merge OUT.db IN.db...`: databases of separate crawls combined by the store's rules.

Why: researchers crawl on several machines without Redis, or want one database from several
crawls. Merging follows the identity rules of the store (docs/schema.md):

- an article is its `url_key`: the same article in both keeps the content seen last (latest
  `last_changed`) as current, and every other content as a row of `article_versions` (none
  twice: a version is its content hash and the time it was replaced); `first_seen` is the
  earliest, `last_seen` the latest; `version_count` is recounted;
- a related link is (article, block label, target URL), a comment (article, comment key: the
  site's id or a hash of author, text and date): the row seen last gives the content;
- a site is its name; fetch state is per URL, the latest fetch winning (so an incremental run
  from the merged database goes on from what was last known); discovery validators likewise;
- a crawl run is its `run_key`: each run once, with the machine it came from (`origin`).

Merging is idempotent (merging the same input twice changes nothing) and streaming: rows are
read with cursors and written in transactions of a few hundred articles, so memory does not grow
with the input. Columns are matched by name, so an input from an older schema merges too.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .db import Store, content_hash

logger = logging.getLogger(__name__)

CHUNK = 200  # articles per transaction


@dataclass
class MergeReport:
    source: Path
    counts: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items()) if v)
        return f"{self.source}: {parts or 'nothing new'}"


def _table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"pragma table_info({table})")]


def _rows(conn: sqlite3.Connection, sql: str, params: tuple = ()) -> Iterator[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [c[0] for c in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def _later(a: str | None, b: str | None) -> bool:
    """Whether time `a` is strictly later than `b` (ISO 8601 strings; None is earliest)."""
    return (a or "") > (b or "")


def _earliest(*values: str | None) -> str | None:
    present = [v for v in values if v]
    return min(present) if present else None


def _latest(*values: str | None) -> str | None:
    present = [v for v in values if v]
    return max(present) if present else None


class Merger:
    """Merges one input database into the output store (see the module docstring)."""

    def __init__(self, out: Store, source: Path):
        self.out = out
        self.source = source
        self.src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        self.src_tables = {
            name
            for (name,) in self.src.execute("select name from sqlite_master where type = 'table'")
        }
        self.report = MergeReport(source)
        self.columns: dict[str, list[str]] = {}
        self.sites: dict[int, int] = {}  # input site id → output site id (sites are few)

    def close(self) -> None:
        self.src.close()

    def shared_columns(self, table: str, skip: tuple[str, ...] = ("id",)) -> list[str]:
        """Columns present in both databases, `skip` left out."""
        if table not in self.columns:
            mine = set(_table_columns(self.out.conn, table))
            self.columns[table] = [
                c for c in _table_columns(self.src, table) if c in mine and c not in skip
            ]
        return self.columns[table]

    # --- the whole input -------------------------------------------------------------------

    def run(self) -> MergeReport:
        self.out.write(self.merge_sites)
        self.merge_articles()
        for table, method in (("fetch_state", self.merge_fetch_state),
                              ("discovery_state", self.merge_discovery),
                              ("crawl_runs", self.merge_runs)):  # fmt: skip
            if table in self.src_tables:
                self.in_chunks(_rows(self.src, f"select * from {table}"), method)
        return self.report

    def in_chunks(self, rows: Iterator[dict[str, Any]], method: Any, size: int = 1000) -> None:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= size:
                self.out.write(lambda rows=chunk: [method(r) for r in rows])
                chunk = []
        if chunk:
            self.out.write(lambda rows=chunk: [method(r) for r in rows])

    # --- sites -------------------------------------------------------------------------------

    def merge_sites(self) -> None:
        conn = self.out.conn
        for site in _rows(self.src, "select * from sites"):
            row = conn.execute(
                "select id, first_seen, last_seen from sites where name = ?", (site["name"],)
            ).fetchone()
            if row is None:
                columns = self.shared_columns("sites")
                cursor = conn.execute(
                    f"insert into sites ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
                    [site[c] for c in columns],
                )
                self.sites[site["id"]] = cursor.lastrowid
                self.report.counts["sites new"] += 1
                continue
            self.sites[site["id"]] = row[0]
            conn.execute(
                "update sites set first_seen = ?, last_seen = ?, title = coalesce(title, ?),"
                " base_url = coalesce(base_url, ?), language = coalesce(language, ?) where id = ?",
                (_earliest(row[1], site["first_seen"]), _latest(row[2], site["last_seen"]),
                 site.get("title"), site.get("base_url"), site.get("language"), row[0]),
            )  # fmt: skip

    # --- articles and what hangs on them -------------------------------------------------------

    def merge_articles(self) -> None:
        chunk: list[dict[str, Any]] = []
        for article in _rows(self.src, "select * from articles order by id"):
            chunk.append(article)
            if len(chunk) >= CHUNK:
                self.out.write(self._article_chunk, chunk)
                chunk = []
        if chunk:
            self.out.write(self._article_chunk, chunk)

    def _article_chunk(self, articles: list[dict[str, Any]]) -> None:
        for article in articles:
            out_id = self.merge_article(article)
            self.merge_versions(article["id"], out_id)
            self.merge_links(article["id"], out_id)
            self.merge_comments(article["id"], out_id)
            self.recount_versions(out_id)

    def merge_article(self, src: dict[str, Any]) -> int:
        conn = self.out.conn
        columns = self.shared_columns("articles")
        values = {c: src[c] for c in columns}
        values["site_id"] = self.sites.get(src["site_id"]) if src.get("site_id") else None
        row = next(_rows(conn, "select * from articles where url_key = ?", (src["url_key"],)), None)
        if row is None:
            cursor = conn.execute(
                f"insert into articles ({', '.join(values)}) values ({', '.join('?' * len(values))})",
                list(values.values()),
            )
            self.report.counts["articles new"] += 1
            return cursor.lastrowid
        first_seen = _earliest(row["first_seen"], src["first_seen"])
        last_seen = _latest(row["last_seen"], src["last_seen"])
        if row["content_hash"] == src["content_hash"]:
            conn.execute(
                "update articles set first_seen = ?, last_seen = ?, last_changed = ? where id = ?",
                (first_seen, last_seen, _earliest(row["last_changed"], src["last_changed"]),
                 row["id"]),
            )  # fmt: skip
            return row["id"]
        if _later(src["last_changed"], row["last_changed"]):
            loser, winner_changed = row, src["last_changed"]
            sets = {
                c: v for c, v in values.items() if c not in ("url_key", "first_seen", "last_seen")
            }
            sets.update(first_seen=first_seen, last_seen=last_seen)
            conn.execute(
                f"update articles set {', '.join(f'{c} = ?' for c in sets)} where id = ?",
                (*sets.values(), row["id"]),
            )
            self.report.counts["articles updated"] += 1
        else:
            loser, winner_changed = src, row["last_changed"]
            conn.execute(
                "update articles set first_seen = ?, last_seen = ? where id = ?",
                (first_seen, last_seen, row["id"]),
            )
        self.add_version(row["id"], winner_changed, loser)
        return row["id"]

    def add_version(self, article_id: int, seen_at: str | None, content: dict[str, Any]) -> None:
        """Keep a content as a version, unless that (hash, replaced at) is already there."""
        conn = self.out.conn
        exists = conn.execute(
            "select 1 from article_versions where article_id = ? and content_hash = ?"
            " and seen_at is ?",
            (article_id, content["content_hash"], seen_at),
        ).fetchone()
        if exists:
            return
        conn.execute(
            "insert into article_versions (article_id, seen_at, title, body, content_hash, modified)"
            " values (?, ?, ?, ?, ?, ?)",
            (article_id, seen_at, content.get("title"), content.get("body"),
             content["content_hash"], content.get("modified")),
        )  # fmt: skip
        self.report.counts["versions"] += 1

    def merge_versions(self, src_id: int, out_id: int) -> None:
        for version in _rows(
            self.src, "select * from article_versions where article_id = ? order by id", (src_id,)
        ):
            self.add_version(out_id, version["seen_at"], version)

    def recount_versions(self, out_id: int) -> None:
        self.out.conn.execute(
            "update articles set version_count = 1 + (select count(*) from article_versions"
            " where article_id = ?) where id = ?",
            (out_id, out_id),
        )

    def merge_links(self, src_id: int, out_id: int) -> None:
        conn = self.out.conn
        columns = self.shared_columns("related_links", ("id", "article_id"))
        for link in _rows(self.src, "select * from related_links where article_id = ?", (src_id,)):
            row = conn.execute(
                "select id, first_seen, last_seen from related_links"
                " where article_id = ? and block_label = ? and url = ?",
                (out_id, link["block_label"], link["url"]),
            ).fetchone()
            if row is None:
                names = ["article_id", *columns]
                conn.execute(
                    f"insert into related_links ({', '.join(names)}) values ({', '.join('?' * len(names))})",
                    [out_id, *(link[c] for c in columns)],
                )
                self.report.counts["links new"] += 1
                continue
            self._merge_seen_row(
                "related_links", row, link, columns, ("article_id", "block_label", "url")
            )

    def merge_comments(self, src_id: int, out_id: int) -> None:
        conn = self.out.conn
        columns = self.shared_columns("comments", ("id", "article_id"))
        for comment in _rows(self.src, "select * from comments where article_id = ?", (src_id,)):
            row = conn.execute(
                "select id, first_seen, last_seen, content_hash, edited_at from comments"
                " where article_id = ? and comment_key = ?",
                (out_id, comment["comment_key"]),
            ).fetchone()
            if row is None:
                names = ["article_id", *columns]
                conn.execute(
                    f"insert into comments ({', '.join(names)}) values ({', '.join('?' * len(names))})",
                    [out_id, *(comment[c] for c in columns)],
                )
                self.report.counts["comments new"] += 1
                continue
            edited = _latest(row[4], comment.get("edited_at"))
            if row[3] != comment.get("content_hash"):  # two texts: an edit happened in between
                edited = edited or _latest(row[1], comment["first_seen"])
            self._merge_seen_row("comments", row, comment, columns, ("article_id", "comment_key"))
            conn.execute("update comments set edited_at = ? where id = ?", (edited, row[0]))

    def _merge_seen_row(self, table: str, row: Any, src: dict[str, Any], columns: list[str],
                        identity: tuple[str, ...]) -> None:  # fmt: skip
        """A row known on both sides: the one seen last gives the content; seen times widen."""
        row_id, first_seen, last_seen = row[0], row[1], row[2]
        sets: dict[str, Any] = {}
        if _later(src["last_seen"], last_seen):
            sets = {c: src[c] for c in columns if c not in identity}
            self.report.counts[f"{table} refreshed"] += 1
        sets["first_seen"] = _earliest(first_seen, src["first_seen"])
        sets["last_seen"] = _latest(last_seen, src["last_seen"])
        self.out.conn.execute(
            f"update {table} set {', '.join(f'{c} = ?' for c in sets)} where id = ?",
            (*sets.values(), row_id),
        )

    # --- per-URL state and runs ---------------------------------------------------------------

    def merge_fetch_state(self, state: dict[str, Any]) -> None:
        conn = self.out.conn
        columns = self.shared_columns("fetch_state", ("article_id",))
        article_id = None
        if state.get("article_id"):
            key = self.src.execute(
                "select url_key from articles where id = ?", (state["article_id"],)
            ).fetchone()
            if key:
                found = conn.execute("select id from articles where url_key = ?", key).fetchone()
                article_id = found[0] if found else None
        row = conn.execute(
            "select first_fetch, last_fetch, fetches, not_modified from fetch_state where url_key = ?",
            (state["url_key"],),
        ).fetchone()
        values = {c: state[c] for c in columns}
        values["article_id"] = article_id
        if row is None:
            conn.execute(
                f"insert into fetch_state ({', '.join(values)}) values ({', '.join('?' * len(values))})",
                list(values.values()),
            )
            self.report.counts["fetch states new"] += 1
            return
        if _later(state.get("last_fetch"), row[1]):
            sets = {c: v for c, v in values.items() if c != "url_key"}
            if article_id is None:
                sets.pop("article_id")
        else:
            sets = {}
        sets["first_fetch"] = _earliest(row[0], state.get("first_fetch"))
        if "fetches" in values:
            sets["fetches"] = max(row[2] or 0, state.get("fetches") or 0)
            sets["not_modified"] = max(row[3] or 0, state.get("not_modified") or 0)
        conn.execute(
            f"update fetch_state set {', '.join(f'{c} = ?' for c in sets)} where url_key = ?",
            (*sets.values(), state["url_key"]),
        )

    def merge_discovery(self, state: dict[str, Any]) -> None:
        conn = self.out.conn
        row = conn.execute(
            "select last_fetch from discovery_state where url = ?", (state["url"],)
        ).fetchone()
        if row is not None and not _later(state.get("last_fetch"), row[0]):
            return
        columns = self.shared_columns("discovery_state", ())
        conn.execute(
            f"insert or replace into discovery_state ({', '.join(columns)})"
            f" values ({', '.join('?' * len(columns))})",
            [state[c] for c in columns],
        )

    def merge_runs(self, run: dict[str, Any]) -> None:
        conn = self.out.conn
        run_key = run.get("run_key") or content_hash(
            run.get("spider"), run.get("site"), run.get("started"), run.get("finished")
        )
        if conn.execute("select 1 from crawl_runs where run_key = ?", (run_key,)).fetchone():
            return
        values = {c: run[c] for c in self.shared_columns("crawl_runs")}
        values["run_key"] = run_key
        values["origin"] = run.get("origin") or self.source.stem
        conn.execute(
            f"insert into crawl_runs ({', '.join(values)}) values ({', '.join('?' * len(values))})",
            list(values.values()),
        )
        self.report.counts["runs"] += 1


def merge_databases(out_path: Path, sources: list[Path]) -> list[MergeReport]:
    """Merge each of `sources` into `out_path` (created if missing), in order."""
    out = Store(Path(out_path))
    reports = []
    try:
        for source in sources:
            merger = Merger(out, Path(source))
            try:
                reports.append(merger.run())
            finally:
                merger.close()
    finally:
        out.close()
    return reports
