"""Schema, created and upgraded by code: each migration is a function, applied once.

`schema_version` records what was applied; opening an older database upgrades it in place.
Tables are created with sqlite-utils so the DDL stays declarative and readable.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

try:
    import fcntl
except ImportError:  # Windows: no flock; concurrent first opens there are not protected
    fcntl = None  # type: ignore[assignment]

from ..dates import utc_now

FTS_TOKENIZE = "unicode61 remove_diacritics 2"  # "electricite" finds "électricité"


def _v1(db: sqlite_utils.Database) -> None:
    """Sites, articles (+ versions), related links, comments, crawl runs, full-text search."""
    db["sites"].create(
        {"id": int, "name": str, "title": str, "base_url": str, "language": str,
         "first_seen": str, "last_seen": str},
        pk="id", not_null={"name"},
    )  # fmt: skip
    db["sites"].create_index(["name"], unique=True)
    db["articles"].create(
        {
            "id": int, "site_id": int, "url_key": str, "canonical_url": str, "url": str,
            "title": str, "authors": str, "published": str, "modified": str, "body": str,
            "lead": str, "section": str, "tags": str, "language": str, "image": str,
            "word_count": int, "content_hash": str, "first_seen": str, "last_seen": str,
            "last_changed": str, "version_count": int,
        },
        pk="id", foreign_keys=[("site_id", "sites", "id")], not_null={"url_key", "canonical_url"},
    )  # fmt: skip
    db["articles"].create_index(["url_key"], unique=True)
    db["articles"].create_index(["site_id", "published"])
    db["article_versions"].create(
        {"id": int, "article_id": int, "seen_at": str, "title": str, "body": str,
         "content_hash": str, "modified": str},
        pk="id", foreign_keys=[("article_id", "articles", "id")],
    )  # fmt: skip
    db["article_versions"].create_index(["article_id", "seen_at"])
    db["related_links"].create(
        {
            "id": int, "article_id": int, "block_label": str, "block_kind": str,
            "block_position": int, "position": int, "url": str, "url_key": str, "text": str,
            "teaser": str, "same_site": int, "first_seen": str, "last_seen": str,
        },
        pk="id", foreign_keys=[("article_id", "articles", "id")], not_null={"article_id", "url", "block_label"},
    )  # fmt: skip
    db["related_links"].create_index(["article_id", "block_label", "url"], unique=True)
    db["related_links"].create_index(["url_key"])
    db["comments"].create(
        {
            "id": int, "article_id": int, "comment_key": str, "site_comment_id": str,
            "parent_site_id": str, "author": str, "published": str, "text": str, "score": int,
            "source": str, "position": int, "content_hash": str, "first_seen": str,
            "last_seen": str, "edited_at": str, "removed_at": str,
        },
        pk="id", foreign_keys=[("article_id", "articles", "id")], not_null={"article_id", "comment_key", "text"},
    )  # fmt: skip
    db["comments"].create_index(["article_id", "comment_key"], unique=True)
    db["comments"].create_index(["article_id", "parent_site_id"])
    db["crawl_runs"].create(
        {
            "id": int, "spider": str, "site": str, "started": str, "finished": str,
            "finish_reason": str, "requests": int, "responses": int, "not_modified": int,
            "articles_new": int, "articles_updated": int, "articles_unchanged": int,
            "links_new": int, "comments_new": int, "comments_updated": int, "items_dropped": int,
            "errors": int, "stats": str,
        },
        pk="id",
    )  # fmt: skip
    db["articles"].enable_fts(["title", "body"], tokenize=FTS_TOKENIZE, create_triggers=True)
    db["comments"].enable_fts(["text", "author"], tokenize=FTS_TOKENIZE, create_triggers=True)


def _v2(db: sqlite_utils.Database) -> None:
    """Per-URL fetch state for incremental runs, and what each run saved by it.

    `fetch_state` is keyed like `articles` (by `url_key`) but holds the URL as requested, so a
    due article can be asked for again; it is written in the same transaction as its article.
    """
    db["fetch_state"].create(
        {
            "url_key": str, "url": str, "site": str, "article_id": int, "etag": str,
            "last_modified": str, "content_hash": str, "published": str, "sitemap_lastmod": str,
            "first_fetch": str, "last_fetch": str, "last_changed": str, "last_status": int,
            "next_due": str, "fetches": int, "not_modified": int,
        },
        pk="url_key", foreign_keys=[("article_id", "articles", "id")], not_null={"url"},
    )  # fmt: skip
    db["fetch_state"].create_index(["site", "next_due"])
    db["fetch_state"].create_index(["article_id"])
    for column in ("article_downloads", "skipped_not_due", "skipped_lastmod", "revisits"):
        db["crawl_runs"].add_column(column, int)


def _v3(db: sqlite_utils.Database) -> None:
    """Validators of feeds and sitemaps, so the next run can ask for them conditionally.

    Apart from `fetch_state`, which lists articles (its rows are revisited); a discovery URL is
    keyed by its exact URL since feed URLs carry meaningful query strings.
    """
    db["discovery_state"].create(
        {"url": str, "kind": str, "etag": str, "last_modified": str, "last_fetch": str},
        pk="url",
    )


def _v4(db: sqlite_utils.Database) -> None:
    """How each run ended, for schedulers and `newscrawl stats` (see newscrawl/runs.py).

    `errors` keeps counting errors logged and spider exceptions; `failures` counts failed
    requests (a dead run used to show 0 errors), by reason in `failure_reasons`.
    """
    for column, kind in (("outcome", str), ("exit_status", int), ("failures", int),
                         ("failure_reasons", str), ("summary", str)):  # fmt: skip
        db["crawl_runs"].add_column(column, kind)


def _v5(db: sqlite_utils.Database) -> None:
    """The WARC record each article version was read from, the extractor that read it, and
    the pages whose extraction failed (issue 14: nothing lost).

    `warc_file` is relative to the database's folder (absolute when the archive lives outside
    it); `warc_offset`/`warc_length` delimit the response record's gzip member in that file.
    """
    for table in ("articles", "article_versions"):
        for column, kind in (("warc_file", str), ("warc_offset", int), ("warc_length", int),
                             ("extractor_version", str)):  # fmt: skip
            db[table].add_column(column, kind)
    db["page_failures"].create(
        {
            "id": int, "url_key": str, "url": str, "site": str, "stages": str, "error": str,
            "extractor_version": str, "article_id": int, "warc_file": str, "warc_offset": int,
            "warc_length": int, "first_failed": str, "last_failed": str, "failures": int,
            "resolved_at": str,
        },
        pk="id", foreign_keys=[("article_id", "articles", "id")], not_null={"url_key", "url"},
    )  # fmt: skip
    db["page_failures"].create_index(["url_key"], unique=True)
    db["page_failures"].create_index(["site", "resolved_at"])


def _v6(db: sqlite_utils.Database) -> None:
    """Runs from several machines and writers: who ran it, store retries and failures, stream
    offsets.

    `run_key` names a run everywhere (a worker's run arriving over Redis, a run copied by
    `newscrawl merge`), so recording it twice is impossible. `stream_offsets` holds the last
    Redis stream entry applied by `newscrawl store --from-redis`, written in the same transaction
    as the entry's rows: a writer killed after its commit skips what it already applied.
    """
    for column, kind in (("run_key", str), ("origin", str), ("store_retries", int),
                         ("store_failures", int)):  # fmt: skip
        db["crawl_runs"].add_column(column, kind)
    db.execute("update crawl_runs set run_key = lower(hex(randomblob(16))) where run_key is null")
    db["crawl_runs"].create_index(["run_key"], unique=True)
    db["stream_offsets"].create(
        {"stream": str, "epoch": str, "last_id": str, "entries": int, "updated": str},
        pk="stream",
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3, _v4, _v5, _v6]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(db: sqlite_utils.Database) -> int:
    if "schema_version" not in db.table_names():
        return 0
    row = db.execute("select max(version) from schema_version").fetchone()
    return row[0] or 0


def schema_is_current(db: sqlite_utils.Database) -> bool:
    """Whether every migration is applied: the cheap check that lets an open skip the lock."""
    return "schema_version" in db.table_names() and current_version(db) == SCHEMA_VERSION


@contextmanager
def schema_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<db>-schema.lock`` while the schema is created or upgraded,
    and remove the file afterwards.

    Two processes opening the same new database at once (parallel scrapyd jobs) would both see
    no tables and both create them ("table ... already exists"). SQLite's own lock cannot cover
    this: sqlite-utils' FTS set-up runs ``executescript``, which commits any open transaction.
    The file is unlinked while still locked, and a process that locked a file since unlinked
    starts again on the new one, so removing it never lets two holders in at once. On systems
    without ``fcntl`` the lock is a no-op.
    """
    if fcntl is None or str(path) == ":memory:":
        yield
        return
    lock_path = path.with_name(path.name + "-schema.lock")
    while True:
        handle = open(lock_path, "a+b")  # noqa: SIM115 (held across the yield)
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if os.stat(lock_path).st_ino == os.fstat(handle.fileno()).st_ino:
                break  # locked the file that is still there
        except FileNotFoundError:
            pass  # its holder removed it after we opened it
        handle.close()
    try:
        yield
    finally:
        with contextlib.suppress(OSError):  # a read-only folder: a stale file is harmless
            lock_path.unlink()
        handle.close()


def migrate(db: sqlite_utils.Database) -> int:
    """Apply every migration the database lacks, each in its own transaction."""
    if "schema_version" not in db.table_names():
        db["schema_version"].create({"version": int, "applied_at": str}, pk="version")
    version = current_version(db)
    if version > SCHEMA_VERSION:
        raise RuntimeError(
            f"database schema version {version} is newer than this newscrawl ({SCHEMA_VERSION}): upgrade newscrawl"
        )
    for number in range(version + 1, SCHEMA_VERSION + 1):
        with db.conn:
            MIGRATIONS[number - 1](db)
            db["schema_version"].insert({"version": number, "applied_at": utc_now()})
    return SCHEMA_VERSION
