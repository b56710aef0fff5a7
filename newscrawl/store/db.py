"""Deduplicating writes into the SQLite database.

Identity rules (docs/schema.md has the details):
- an article is its `url_key` (www/AMP/tracking/trailing-slash variants share one);
- a related link is (article, block label, target URL);
- a comment is (article, site comment id), or a hash of author + text + date without an id.
Re-writing the same thing only moves `last_seen`; a changed article keeps its old text in
`article_versions`; a changed comment gets `edited_at`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import socket
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from .. import config
from ..dates import utc_now
from ..runs import RunOutcome, run_outcome
from ..urls import url_key
from .schema import migrate, schema_is_current, schema_lock
from .views import ensure_views

logger = logging.getLogger(__name__)

DEFAULT_DB = "data/news.db"
# Where an article version came from: its WARC record and the extractor that read it.
_PROVENANCE = ("warc_file", "warc_offset", "warc_length", "extractor_version")
BUSY_TIMEOUT_MS = 5_000  # one attempt's wait for the write lock (SQLite's busy handler)
WRITE_RETRIES = 6  # attempts after the first, with growing pauses: about 35 s in all
_SITE_ID = "select id from sites where name = ?"  # asked again after an insert that may be ignored


def resolve_db_path(value: str | os.PathLike[str] | None = None) -> Path:
    """The database path: explicit value, else $NEWSCRAWL_DB, else the registry's default."""
    return Path(value or config.get(None, "NEWSCRAWL_DB"))


def open_store(path: str | os.PathLike[str] | None = None, *, readonly: bool = False,
               busy_timeout: float | None = None, retries: int | None = None) -> Store:  # fmt: skip
    """The store at `path`; `busy_timeout` (seconds per attempt) and `retries` bound how long a
    write waits for another process's lock (defaults: `BUSY_TIMEOUT_MS`, `WRITE_RETRIES`)."""
    return Store(
        resolve_db_path(path), readonly=readonly,
        busy_timeout_ms=BUSY_TIMEOUT_MS if busy_timeout is None else int(busy_timeout * 1000),
        retries=WRITE_RETRIES if retries is None else retries,
    )  # fmt: skip


def content_hash(*parts: Any) -> str:
    """Stable hash of the parts (JSON-encoded), to tell changed content from unchanged."""
    raw = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def normalised_comment_text(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def comment_key(site_id: str | None, author: str | None, text: str, published: str | None) -> str:
    """The site's id when there is one; else a hash of who said what when."""
    if site_id:
        return f"id:{site_id}"
    return "h:" + content_hash(
        (author or "").casefold().strip(), normalised_comment_text(text), (published or "")[:16]
    )


@dataclass
class WriteResult:
    """What one upsert did: 'new', 'updated' or 'unchanged', and the row id."""

    status: str
    row_id: int


def is_busy(error: BaseException) -> bool:
    """True for SQLITE_BUSY / SQLITE_LOCKED ("database is locked"): another connection writes."""
    if not isinstance(error, sqlite3.OperationalError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(error) or "busy" in str(error)


class StoreWriteError(RuntimeError):
    """A write transaction that still failed after its retries (the caller spools its data)."""


class Store:
    """One SQLite database (WAL) written in short transactions that take the write lock first.

    Why: in WAL mode a transaction that reads and then writes fails at once ("database is locked",
    whatever the busy timeout) when another connection committed in between; and a transaction
    kept open across pages holds the one write lock while other workers wait. So the connection
    runs in autocommit mode and every multi-statement write goes through `write` (or
    `transaction`): ``BEGIN IMMEDIATE``, the work, ``COMMIT``, retried with growing pauses while
    another process holds the lock. `retries` counts those retries (crawl stats
    ``newscrawl/store/retries``).
    """

    def __init__(self, path: Path, *, readonly: bool = False, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                 retries: int = WRITE_RETRIES):  # fmt: skip
        self.path = path
        if readonly:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=busy_timeout_ms / 1000)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000)
        self.db = sqlite_utils.Database(conn)
        self.conn = conn
        conn.execute(f"pragma busy_timeout = {busy_timeout_ms}")
        if not readonly:
            conn.execute("pragma journal_mode = wal")
            conn.execute("pragma synchronous = normal")
            conn.execute("pragma foreign_keys = on")
            if not schema_is_current(self.db):
                with schema_lock(path):
                    migrate(self.db)
            ensure_views(conn)
        if conn.in_transaction:
            conn.commit()
        conn.isolation_level = None  # autocommit: no implicit BEGIN DEFERRED holding the lock
        self.max_retries = retries
        self.retries = 0  # write attempts retried because another connection held the lock
        self.transactions = 0
        self._site_ids: dict[str, int] = {}
        self._rollback_hooks: list[Callable[[], None]] = []
        self.closed = False

    # --- transactions ------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, the write lock taken up front (``BEGIN IMMEDIATE``).

        Nested use joins the outer transaction. On an exception everything is rolled back and the
        caches that may hold ids from it are cleared. No retry here: see `write`.
        """
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("begin immediate")
        try:
            yield self.conn
        except BaseException:
            self.rollback()
            raise
        self.conn.execute("commit")
        self.transactions += 1

    @contextmanager
    def savepoint(self, name: str = "entry") -> Iterator[None]:
        """A part of the open transaction that can fail alone (rolled back to its start)."""
        self.conn.execute(f"savepoint {name}")
        try:
            yield
        except BaseException:
            self.conn.execute(f"rollback to {name}")
            self.conn.execute(f"release {name}")
            self._site_ids.clear()
            raise
        self.conn.execute(f"release {name}")

    def rollback(self) -> None:
        """Roll back the open transaction (if any) and forget ids it may have created."""
        if self.conn.in_transaction:
            self.conn.execute("rollback")
        self._site_ids.clear()
        for hook in self._rollback_hooks:
            hook()

    def on_rollback(self, hook: Callable[[], None]) -> None:
        """Call `hook` after every rollback (callers drop caches of row ids)."""
        self._rollback_hooks.append(hook)

    def write(self, work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``work(*args, **kwargs)`` in one write transaction; retried while the database is
        locked by another connection (``max_retries`` times, pauses growing from 0.05 s).

        Raises `StoreWriteError` once the retries are spent; other errors pass through at once.
        """
        pause = 0.05
        for attempt in range(self.max_retries + 1):
            try:
                with self.transaction():
                    return work(*args, **kwargs)
            except sqlite3.OperationalError as error:
                if not is_busy(error) or self.conn.in_transaction:
                    raise  # not contention, or a nested call: the outer `write` retries
                if attempt == self.max_retries:
                    raise StoreWriteError(
                        f"{self.path}: still locked after {attempt + 1} attempts ({error})"
                    ) from error
                self.retries += 1
                logger.debug(
                    "%s locked (%s): retry %d in %.2f s", self.path, error, attempt + 1, pause
                )
                time.sleep(pause)
                pause = min(pause * 2, 5.0)
        raise AssertionError("unreachable")

    def commit(self) -> None:
        """End a transaction left open by a caller (the store itself never leaves one open)."""
        if self.conn.in_transaction:
            self.conn.commit()

    def close(self) -> None:
        """Commit and close; closing twice is harmless."""
        if self.closed:
            return
        self.commit()
        self.conn.close()
        self.closed = True

    # --- rows ---------------------------------------------------------------------------

    def site_id(self, name: str, seen: str | None = None, **info: Any) -> int:
        """Id of site `name`, creating the row on first use; moves its last_seen (forward only)
        to `seen` (when its page was read; default now)."""
        now = seen or utc_now()
        if name in self._site_ids:
            return self._site_ids[name]
        row = self.conn.execute(_SITE_ID, (name,)).fetchone()
        if row:
            site_id = row[0]
            fields = {k: v for k, v in info.items() if v}
            sets = ", ".join(f"{k} = coalesce(?, {k})" for k in fields)
            self.conn.execute(f"update sites set last_seen = max(coalesce(last_seen, ''), ?){', ' + sets if sets else ''} where id = ?",
                              (now, *fields.values(), site_id))  # fmt: skip
        else:
            # "or ignore": another process sharing the file (scrapy-redis workers, parallel jobs)
            # may insert the same site between our select and this insert.
            self.conn.execute(
                "insert or ignore into sites (name, title, base_url, language, first_seen, last_seen) values (?, ?, ?, ?, ?, ?)",
                (name, info.get("title"), info.get("base_url"), info.get("language"), now, now),
            )
            (site_id,) = self.conn.execute(_SITE_ID, (name,)).fetchone()
        self._site_ids[name] = site_id
        return site_id

    def article_id(self, url: str) -> int | None:
        row = self.conn.execute(
            "select id from articles where url_key = ?", (url_key(url),)
        ).fetchone()
        return row[0] if row else None

    def upsert_article(self, item: dict[str, Any], site_id: int | None) -> WriteResult:
        """Insert a new article, or update a known one (recording its previous version)."""
        now = item.get("fetched_at") or utc_now()
        key = url_key(item["canonical_url"])
        body = item.get("body") or ""
        digest = content_hash(
            item.get("title"), body, item.get("authors"), item.get("published"), item.get("lead")
        )
        values = {
            "site_id": site_id,
            "canonical_url": item["canonical_url"],
            "url": item.get("url"),
            "title": item.get("title"),
            "authors": json.dumps(item.get("authors") or [], ensure_ascii=False),
            "published": item.get("published"),
            "modified": item.get("modified"),
            "body": body,
            "lead": item.get("lead"),
            "section": item.get("section"),
            "tags": json.dumps(item.get("tags") or [], ensure_ascii=False),
            "language": item.get("language"),
            "image": item.get("image"),
            "word_count": len(re.findall(r"\w+", body)),
            "content_hash": digest,
            **{k: item.get(k) for k in _PROVENANCE},
        }
        row = self.conn.execute(
            "select id, content_hash, title, body, modified, last_seen, warc_file, warc_offset,"
            " warc_length, extractor_version from articles where url_key = ?",
            (key,),
        ).fetchone()
        if row is None:
            columns = [
                "url_key",
                *values,
                "first_seen",
                "last_seen",
                "last_changed",
                "version_count",
            ]
            params = [key, *values.values(), now, now, now, 1]
            cursor = self.conn.execute(
                f"insert into articles ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
                params,
            )
            return WriteResult("new", cursor.lastrowid)
        row_id, old_hash, old_title, old_body, old_modified, _, *old_source = row
        if old_hash == digest:
            # The version is the same: it keeps the record (and extractor) it first came from;
            # last_seen only moves forward (a re-extraction passes its record's capture time).
            self.conn.execute(
                "update articles set last_seen = max(coalesce(last_seen, ''), ?),"
                " warc_file = coalesce(warc_file, ?), warc_offset = coalesce(warc_offset, ?),"
                " warc_length = coalesce(warc_length, ?),"
                " extractor_version = coalesce(extractor_version, ?) where id = ?",
                (now, *(item.get(k) for k in _PROVENANCE), row_id),
            )
            return WriteResult("unchanged", row_id)
        self.conn.execute(
            "insert into article_versions (article_id, seen_at, title, body, content_hash, modified,"
            " warc_file, warc_offset, warc_length, extractor_version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row_id, now, old_title, old_body, old_hash, old_modified, *old_source),
        )
        sets = ", ".join(f"{k} = ?" for k in values)
        self.conn.execute(
            f"update articles set {sets}, last_seen = max(coalesce(last_seen, ''), ?), last_changed = ?,"
            " version_count = version_count + 1 where id = ?",
            (*values.values(), now, now, row_id),
        )
        return WriteResult("updated", row_id)

    def upsert_link(
        self, item: dict[str, Any], article_id: int, now: str | None = None
    ) -> WriteResult:
        """One related link, unique per (article, block label, target URL).

        `now`: when the page was read (default: now); `last_seen` never moves backwards.
        """
        now = now or utc_now()
        row = self.conn.execute(
            "select id, text, teaser, position, block_position, block_kind from related_links"
            " where article_id = ? and block_label = ? and url = ?",
            (article_id, item["block_label"], item["url"]),
        ).fetchone()
        fields = (
            item.get("text"),
            item.get("teaser"),
            item.get("position", 0),
            item.get("block_position", 0),
            item.get("block_kind"),
        )
        if row is None:
            same = item.get("same_site")
            cursor = self.conn.execute(
                "insert into related_links (article_id, block_label, block_kind, block_position, position, url,"
                " url_key, text, teaser, same_site, first_seen, last_seen) values (?,?,?,?,?,?,?,?,?,?,?,?)",
                (article_id, item["block_label"], item.get("block_kind"), item.get("block_position", 0),
                 item.get("position", 0), item["url"], url_key(item["url"]), item.get("text"), item.get("teaser"),
                 None if same is None else int(same), now, now),
            )  # fmt: skip
            return WriteResult("new", cursor.lastrowid)
        if tuple(row[1:]) == fields:
            self.conn.execute(
                "update related_links set last_seen = max(coalesce(last_seen, ''), ?) where id = ?",
                (now, row[0]),
            )
            return WriteResult("unchanged", row[0])
        self.conn.execute(
            "update related_links set text = ?, teaser = ?, position = ?, block_position = ?, block_kind = ?,"
            " last_seen = max(coalesce(last_seen, ''), ?) where id = ?",
            (*fields, now, row[0]),
        )
        return WriteResult("updated", row[0])

    def upsert_comment(
        self, item: dict[str, Any], article_id: int, now: str | None = None
    ) -> WriteResult:
        """One comment, unique per (article, site id or content hash); edits get `edited_at`.

        `now`: when the page was read (default: now); `last_seen` never moves backwards.
        """
        now = now or utc_now()
        key = comment_key(
            item.get("comment_id"), item.get("author"), item["text"], item.get("published")
        )
        digest = content_hash(
            item.get("author"), " ".join(item["text"].split()), item.get("parent_id")
        )
        row = self.conn.execute(
            "select id, content_hash, score, removed_at from comments where article_id = ? and comment_key = ?",
            (article_id, key),
        ).fetchone()
        if row is None:
            cursor = self.conn.execute(
                "insert into comments (article_id, comment_key, site_comment_id, parent_site_id, author, published,"
                " text, score, source, position, content_hash, first_seen, last_seen) values (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (article_id, key, item.get("comment_id"), item.get("parent_id"), item.get("author"),
                 item.get("published"), item["text"], item.get("score"), item.get("source", "html"),
                 item.get("position", 0), digest, now, now),
            )  # fmt: skip
            return WriteResult("new", cursor.lastrowid)
        row_id, old_hash, old_score, removed_at = row
        if old_hash == digest:
            self.conn.execute(
                "update comments set last_seen = max(coalesce(last_seen, ''), ?), score = coalesce(?, score),"
                " removed_at = null where id = ?",
                (now, item.get("score"), row_id),
            )
            changed = removed_at is not None or (
                item.get("score") is not None and item.get("score") != old_score
            )
            return WriteResult("updated" if changed else "unchanged", row_id)
        self.conn.execute(
            "update comments set text = ?, author = ?, parent_site_id = ?, score = coalesce(?, score),"
            " content_hash = ?, last_seen = max(coalesce(last_seen, ''), ?), edited_at = ?,"
            " removed_at = null where id = ?",
            (
                item["text"],
                item.get("author"),
                item.get("parent_id"),
                item.get("score"),
                digest,
                now,
                now,
                row_id,
            ),
        )
        return WriteResult("updated", row_id)

    def mark_removed_comments(self, article_id: int, seen_keys: set[str]) -> int:
        """Comments of an article missing from its complete thread: set `removed_at`, keep the row.

        Call only with the keys of a thread read to its end; returns how many were marked.
        """
        now = utc_now()
        rows = self.conn.execute(
            "select id, comment_key from comments where article_id = ? and removed_at is null",
            (article_id,),
        ).fetchall()
        gone = [row_id for row_id, key in rows if key not in seen_keys]
        self.conn.executemany(
            "update comments set removed_at = ? where id = ?", [(now, i) for i in gone]
        )
        return len(gone)

    # --- page failures ----------------------------------------------------------------

    def record_failure(self, item: dict[str, Any], article_id: int | None) -> WriteResult:
        """A page whose extraction failed in some stage: one open row per page (`url_key`)."""
        now = item.get("failed_at") or utc_now()
        key = url_key(item["url"])
        values = (item["url"], item.get("site"), item["stages"], item["error"],
                  item.get("extractor_version"), article_id,
                  *(item.get(k) for k in ("warc_file", "warc_offset", "warc_length")))  # fmt: skip
        row = self.conn.execute("select id from page_failures where url_key = ?", (key,)).fetchone()
        if row is None:
            cursor = self.conn.execute(
                "insert into page_failures (url, site, stages, error, extractor_version, article_id,"
                " warc_file, warc_offset, warc_length, url_key, first_failed, last_failed, failures)"
                " values (?,?,?,?,?,?,?,?,?,?,?,?,1)",
                (*values, key, now, now),
            )
            return WriteResult("new", cursor.lastrowid)
        self.conn.execute(
            "update page_failures set url = ?, site = coalesce(?, site), stages = ?, error = ?,"
            " extractor_version = ?, article_id = coalesce(?, article_id), warc_file = ?,"
            " warc_offset = ?, warc_length = ?, last_failed = ?, failures = failures + 1,"
            " resolved_at = null where id = ?",
            (*values, now, row[0]),
        )
        return WriteResult("updated", row[0])

    def resolve_failures(self, *urls: str | None) -> int:
        """A page read without failure: its open `page_failures` row (by any of `urls`) is
        marked resolved. Returns the rows resolved."""
        keys = {url_key(u) for u in urls if u}
        if not keys:
            return 0
        cursor = self.conn.execute(
            f"update page_failures set resolved_at = ? where resolved_at is null"
            f" and url_key in ({', '.join('?' * len(keys))})",
            (utc_now(), *keys),
        )
        return cursor.rowcount

    # --- runs ---------------------------------------------------------------------------

    def start_run(self, spider: str, site: str | None, *, run_key: str | None = None,
                  origin: str | None = None, started: str | None = None) -> int:  # fmt: skip
        """A `crawl_runs` row for a starting run (one per `run_key`: asking twice returns it)."""
        run_key = run_key or uuid.uuid4().hex
        origin = origin or socket.gethostname()

        def insert() -> int:
            self.conn.execute(
                "insert or ignore into crawl_runs (spider, site, started, run_key, origin)"
                " values (?, ?, ?, ?, ?)",
                (spider, site, started or utc_now(), run_key, origin),
            )
            return self.conn.execute(
                "select id from crawl_runs where run_key = ?", (run_key,)
            ).fetchone()[0]

        return self.write(insert)

    def finish_run(self, run_id: int, reason: str, stats: dict[str, Any],
                   outcome: RunOutcome | None = None, *, finished: str | None = None,
                   store_counts: bool = True) -> None:  # fmt: skip
        """Close a run with its stats and outcome (newscrawl/runs.py). Without `store_counts` the
        article, link and comment counters are left as they are (a writer that stored another
        process's items counted them)."""

        def count(key: str) -> int:
            return int(stats.get(key) or 0)

        outcome = outcome or run_outcome(stats, reason)
        errors = outcome.failed + sum(
            int(v)
            for k, v in stats.items()
            if k.startswith(("log_count/ERROR", "spider_exceptions/count"))
        )
        columns = {
            "finished": finished or utc_now(), "finish_reason": reason,
            "requests": count("downloader/request_count"),
            "responses": count("downloader/response_count"),
            "not_modified": count("downloader/response_status_count/304"),
            "items_dropped": count("item_dropped_count"), "errors": errors,
            "stats": json.dumps(stats, default=str, sort_keys=True),
            "article_downloads": count("newscrawl/pages/article"),
            "skipped_not_due": count("newscrawl/incremental/skipped_not_due"),
            "skipped_lastmod": count("newscrawl/incremental/skipped_lastmod"),
            "revisits": count("newscrawl/incremental/revisits"),
            "store_retries": count("newscrawl/store/retries"),
            "store_failures": count("newscrawl/store/failed"),
            "outcome": outcome.outcome, "exit_status": outcome.exit_status,
            "failures": outcome.failed,
            "failure_reasons": json.dumps(outcome.failures, sort_keys=True),
            "summary": outcome.summary(),
        }  # fmt: skip
        if store_counts:
            columns.update({
                "articles_new": count("newscrawl/articles/new"),
                "articles_updated": count("newscrawl/articles/updated"),
                "articles_unchanged": count("newscrawl/articles/unchanged"),
                "links_new": count("newscrawl/links/new"),
                "comments_new": count("newscrawl/comments/new"),
                "comments_updated": count("newscrawl/comments/updated"),
            })  # fmt: skip
        sets = ", ".join(f"{name} = ?" for name in columns)
        self.write(
            self.conn.execute,
            f"update crawl_runs set {sets} where id = ?",
            (*columns.values(), run_id),
        )

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables (for summaries and tests)."""
        tables = (
            "sites",
            "articles",
            "article_versions",
            "related_links",
            "comments",
            "crawl_runs",
            "page_failures",
        )
        return {t: self.conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
