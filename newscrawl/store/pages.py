"""Whole pages into the store: one short transaction per page, retried, never lost silently.

A *page* is what one download produced: its article, related links, comments (or a comment
thread's page and its end marker) and the fetch state the next run needs. Writing it in one
transaction keeps the rule that a killed run leaves each page either wholly stored or not at
all (newscrawl.incremental). The store pipeline, `newscrawl store --from-redis` and
`newscrawl store --from-spool` all write pages through `PageWriter`.

When a page cannot be written even after the store's retries (a lock held for half a minute, a
full disk, a bug), it is appended to a *spool* (JSON lines beside the database, see
`newscrawl.store.entries`), counted as ``newscrawl/store/failed`` and logged as an error: the
crawl's exit status and its `crawl_runs` row say so, and ``newscrawl store --from-spool FILE``
writes it later.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter

from ..incremental import FetchRecord, RevisitPolicy, save_fetch
from ..items import Article, Comment, CommentThread, PageFailure, RelatedLink
from ..urls import site_host, url_key
from .db import Store, comment_key

logger = logging.getLogger(__name__)

FAILED = "newscrawl/store/failed"  # pages (or other writes) that could not be stored: spooled
SPOOLED = "newscrawl/store/spooled"
RETRIES = "newscrawl/store/retries"


@dataclass
class Page:
    """Items written together, with the fetch records of the download(s) they came from.

    `profile` names the crawl's site profile (name, title, base_url) so its site row gets them;
    `thread_keys` (article URL → comment keys), when given, is the whole set of comments a
    complete thread had, sent by the worker that read it (a writer restarted mid-thread would
    otherwise mark the comments of earlier pages removed).
    """

    items: list[Any]
    records: list[FetchRecord] = field(default_factory=list)
    key: str | None = None
    profile: dict[str, Any] | None = None
    policy: RevisitPolicy = field(default_factory=RevisitPolicy)
    thread_keys: dict[str, list[str]] | None = None

    def describe(self) -> str:
        first = self.items[0] if self.items else None
        url = getattr(first, "canonical_url", None) or getattr(first, "article_url", None)
        url = url or (self.records[0].url if self.records else "?")
        return f"{url} ({len(self.items)} items, {len(self.records)} fetch records)"


class Spool:
    """An append-only JSON-lines file of entries that could not be stored (fsync'ed per entry)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)

    def append(self, entry: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(entry, ensure_ascii=False, default=str) + "\n"
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())


def report_failure(stats: Any, spool: Spool | None, entry: dict[str, Any], what: str,
                   error: BaseException) -> bool:  # fmt: skip
    """Count a write that failed for good, keep its entry in the spool, and log one error line.

    True when the entry is in the spool, False when it could not be kept anywhere.
    """
    stats.inc_value(FAILED)
    where = "nowhere (no spool)"
    kept = False
    if spool is not None:
        try:
            spool.append(entry)
            stats.inc_value(SPOOLED)
            where = str(spool.path)
            kept = True
        except OSError as spool_error:
            where = f"nowhere: the spool failed too ({spool_error})"
    logger.error(
        "Could not store %s: %s: %s; saved to %s (newscrawl store --from-spool)",
        what, type(error).__name__, error, where,
        exc_info=None if isinstance(error, (OSError, RuntimeError, sqlite3.Error)) else error,
    )  # fmt: skip
    return kept


def spool_path(db_path: Path | str, setting: str | None = None) -> Path:
    """``NEWSCRAWL_SPOOL`` if set, else ``<database>-spool.jsonl`` beside the database."""
    return Path(setting) if setting else Path(f"{db_path}-spool.jsonl")


class PageWriter:
    """Writes pages for one run: keeps the run's article ids and the comment keys of its threads.

    `apply` does the work inside the caller's transaction and returns what happened;
    `committed` must follow a successful commit (ids of this transaction become known), `count`
    adds the results to the stats. `write` does all three in a transaction of its own and
    spools the page if it fails.
    """

    def __init__(self, store: Store, stats: Any, *, spool: Spool | None = None,
                 run_key: str | None = None):  # fmt: skip
        self.store = store
        self.stats = stats
        self.spool = spool
        self.run_key = run_key
        self.article_ids: dict[str, int] = {}  # url_key → article id, stored in this run
        self.thread_keys: dict[int, set[str]] = {}  # article id → comment keys seen this run
        self.lost = 0  # pages that could be neither stored nor spooled
        self._staged: dict[str, int] = {}
        store.on_rollback(self._staged.clear)

    # --- one transaction ------------------------------------------------------------------

    def write(self, page: Page) -> bool:
        """Write `page` in its own transaction; False (spooled, counted, logged) if it failed."""
        retries_before = self.store.retries
        try:
            results = self.store.write(self.apply, page)
        except Exception as error:  # noqa: BLE001 - whatever it is, the page must not vanish
            self._staged.clear()
            self._count_retries(retries_before)
            self.failed(page, error)
            return False
        self._count_retries(retries_before)
        self.committed()
        self.count(results)
        return True

    def _count_retries(self, before: int) -> None:
        if self.store.retries > before:
            self.stats.inc_value(RETRIES, self.store.retries - before)

    def failed(self, page: Page, error: BaseException) -> None:
        """Spool a page that could not be written, and say so."""
        from .entries import page_entry

        entry = page_entry(page, self.run_key)
        if not report_failure(self.stats, self.spool, entry, page.describe(), error):
            self.lost += 1

    def committed(self) -> None:
        self.article_ids.update(self._staged)
        self._staged.clear()

    def forget_uncommitted(self) -> None:
        self._staged.clear()

    def count(self, results: Counter[str]) -> None:
        for key, value in results.items():
            if value:
                self.stats.inc_value(key, value)

    # --- the work, inside a transaction ---------------------------------------------------

    def apply(self, page: Page) -> Counter[str]:
        """Write the page's items, then its fetch records; return stats increments."""
        results: Counter[str] = Counter()
        # When each article's page was read: its links' and comments' `last_seen`.
        read_at = {i.canonical_url: i.fetched_at for i in page.items if isinstance(i, Article)}
        for item in page.items:
            self._item(item, page, results, read_at)
        for record in page.records:
            article_id = self._article_id_by_key(record.article_key or url_key(record.url))
            if article_id is None:  # an article dropped as invalid gets no fetch state
                continue
            save_fetch(self.store, record, article_id, page.policy)
        return results

    def _article_id_by_key(self, key: str | None) -> int | None:
        if key is None:
            return None
        return self._staged.get(key) or self.article_ids.get(key)

    def _article_id(self, article_url: str) -> int | None:
        key = url_key(article_url)
        found = self._article_id_by_key(key)
        if found is not None:
            return found
        return self.store.article_id(article_url)

    def _item(
        self, item: Any, page: Page, results: Counter[str], read_at: dict[str, str | None]
    ) -> None:
        store = self.store
        if isinstance(item, Article):
            site = item.site or site_host(item.canonical_url)
            profile = page.profile or {}
            info = (
                {"title": profile.get("title"), "base_url": profile.get("base_url")}
                if profile.get("name") == site
                else {}
            )
            site_id = store.site_id(site, item.fetched_at, language=item.language, **info)
            result = store.upsert_article(ItemAdapter(item).asdict(), site_id)
            self._staged[url_key(item.canonical_url)] = result.row_id
            results[f"newscrawl/articles/{result.status}"] += 1
            if store.resolve_failures(item.url, item.canonical_url):
                results["newscrawl/page_failures/resolved"] += 1
        elif isinstance(item, (RelatedLink, Comment)):
            article_id = self._article_id(item.article_url)
            if article_id is None:
                results["newscrawl/dropped/orphan"] += 1
                logger.debug("%s for unknown article %s", type(item).__name__, item.article_url)
                return
            kind = "links" if isinstance(item, RelatedLink) else "comments"
            upsert = store.upsert_link if kind == "links" else store.upsert_comment
            result = upsert(ItemAdapter(item).asdict(), article_id, read_at.get(item.article_url))
            results[f"newscrawl/{kind}/{result.status}"] += 1
            if kind == "comments":
                self.thread_keys.setdefault(article_id, set()).add(
                    comment_key(item.comment_id, item.author, item.text, item.published)
                )
        elif isinstance(item, CommentThread):
            self._close_thread(item, page, results)
        elif isinstance(item, PageFailure):
            article_id = self._article_id(item.article_url) if item.article_url else None
            result = store.record_failure(ItemAdapter(item).asdict(), article_id)
            results[f"newscrawl/page_failures/{result.status}"] += 1

    def _close_thread(self, item: CommentThread, page: Page, results: Counter[str]) -> None:
        """A thread read to its end: stored comments it no longer has get `removed_at`.

        An incomplete thread (failed or malformed page) removes nothing: a missing page is not
        a moderator's decision.
        """
        article_id = self._article_id(item.article_url)
        if article_id is None:
            return
        if not item.complete:
            results["newscrawl/comments/threads_incomplete"] += 1
            logger.info(
                "Comments of %s incomplete (%s): none marked removed", item.article_url, item.reason
            )
            return
        if page.thread_keys is not None and item.article_url in page.thread_keys:
            seen = set(page.thread_keys[item.article_url])
        else:
            seen = self.thread_keys.get(article_id, set())
        removed = self.store.mark_removed_comments(article_id, seen)
        results["newscrawl/comments/threads_complete"] += 1
        results["newscrawl/comments/removed"] += removed
