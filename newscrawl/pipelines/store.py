"""Write items into the SQLite store, in batched transactions, and record the run."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import CloseSpider, DropItem, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from .. import config
from ..incremental import (
    crawler_ledger,
    crawler_store,
    item_article_key,
    revisit_policy,
    save_fetch,
)
from ..items import Article, Comment, CommentThread, PageFailure, RelatedLink
from ..runs import STORE_FAILED, crawl_outcome
from ..store import Store
from ..store.db import comment_key
from ..urls import site_host, url_key
from ..warc.middleware import crawler_archive

logger = logging.getLogger(__name__)


class SQLiteStorePipeline:
    """Upserts articles, related links and comments; one `crawl_runs` row per run.

    Settings: ``NEWSCRAWL_DB`` (path; also the environment variable), ``NEWSCRAWL_DB_BATCH``
    (writes per transaction), ``NEWSCRAWL_DB_COMMIT_SECONDS`` (longest open transaction). A page's
    article, links, comments and fetch state are written in one transaction: a batch is only
    committed when no page announced to the `PageLedger` has items still on their way (see
    newscrawl.incremental), so a killed run never leaves half a page.

    A database that cannot be opened or written stops the crawl (reason ``store_error``, exit
    status 6) after one log line: items that cannot be stored are not worth fetching. What the
    failed transaction held is rolled back, so the file keeps whole pages only.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = config.get(crawler.settings, "NEWSCRAWL_DB")
        self.batch_size = config.get(crawler.settings, "NEWSCRAWL_DB_BATCH")
        self.commit_seconds = config.get(crawler.settings, "NEWSCRAWL_DB_COMMIT_SECONDS")
        self.last_commit = time.monotonic()
        self.failed = False
        self.store: Store | None = None
        self.run_id: int | None = None
        self.article_ids: dict[str, int] = {}
        self.stored_keys: dict[str, int] = {}  # url_key → article id, for the fetch state
        self.thread_keys: dict[int, set[str]] = {}  # article id → comment keys seen this run
        self.page_times: dict[str, str | None] = {}  # canonical URL → when its page was read
        self.ledger = crawler_ledger(crawler)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self.item_done, signal=signal)

    @classmethod
    def from_crawler(cls, crawler):
        if config.get(crawler.settings, "NEWSCRAWL_CHECK"):
            raise NotConfigured("scrapy check: contracts never write to the database")
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        profile = getattr(spider, "profile", None)
        try:
            self.store = crawler_store(self.crawler)
            self.run_id = self.store.start_run(
                spider.name, profile.name if profile else getattr(spider, "host", None)
            )
        except (sqlite3.Error, OSError) as exc:
            self.fail("open", exc)
            raise CloseSpider("store_error") from None
        logger.info("Storing items in %s (crawl run %s)", self.store.path, self.run_id)

    def fail(self, doing: str, exc: BaseException) -> None:
        """One log line and a stats flag; roll back the open transaction (half a page at most)."""
        first = not self.failed
        self.failed = True
        self.stats.set_value(STORE_FAILED, f"{type(exc).__name__}: {exc}")
        if self.store is not None:
            with contextlib.suppress(sqlite3.Error):
                self.store.conn.rollback()
            self.store.pending = 0
        if first:
            logger.error(
                "Store failure: cannot %s the database %s: %s. The crawl stops (exit status 6);"
                " what was committed is kept, run again once the database is writable"
                " (NEWSCRAWL_DB).",
                doing, self.db_path, exc,
            )  # fmt: skip

    def process_item(self, item):
        if self.failed or self.store is None:
            self.stats.inc_value("newscrawl/store/not_written")
            raise DropItem("not stored: the database failed", log_level="DEBUG")
        try:
            return self.write(item)
        except sqlite3.Error as exc:
            self.fail("write to", exc)
            self.stop_crawl()
            raise DropItem(f"not stored: {exc}", log_level="DEBUG") from None

    def stop_crawl(self) -> None:
        """Close the spider with reason store_error (from a callback, where raising cannot)."""
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason="store_error"))

    def write(self, item):
        adapter = ItemAdapter(item)
        if isinstance(item, Article):
            site = item.site or site_host(item.canonical_url)
            profile = getattr(self.crawler.spider, "profile", None)
            info = (
                {"title": profile.title, "base_url": profile.base_url}
                if profile and profile.name == site
                else {}
            )
            site_id = self.store.site_id(site, item.fetched_at, language=item.language, **info)
            result = self.store.upsert_article(adapter.asdict(), site_id)
            self.article_ids[item.canonical_url] = result.row_id
            self.stored_keys[url_key(item.canonical_url)] = result.row_id
            self.page_times[item.canonical_url] = item.fetched_at
            self.stats.inc_value(f"newscrawl/articles/{result.status}")
            if self.store.resolve_failures(item.url, item.canonical_url):
                self.stats.inc_value("newscrawl/page_failures/resolved")
        elif isinstance(item, (RelatedLink, Comment)):
            article_id = self.article_ids.get(item.article_url) or self.store.article_id(
                item.article_url
            )
            if article_id is None:
                self.stats.inc_value("newscrawl/dropped/orphan")
                raise DropItem(f"{type(item).__name__} for unknown article {item.article_url}")
            kind = "links" if isinstance(item, RelatedLink) else "comments"
            upsert = self.store.upsert_link if kind == "links" else self.store.upsert_comment
            result = upsert(adapter.asdict(), article_id, self.page_times.get(item.article_url))
            self.stats.inc_value(f"newscrawl/{kind}/{result.status}")
            if kind == "comments":
                self.thread_keys.setdefault(article_id, set()).add(
                    comment_key(item.comment_id, item.author, item.text, item.published)
                )
        elif isinstance(item, CommentThread):
            self.close_thread(item)
        elif isinstance(item, PageFailure):
            article_id = (
                self.article_ids.get(item.article_url) or self.store.article_id(item.article_url)
                if item.article_url
                else None
            )
            result = self.store.record_failure(adapter.asdict(), article_id)
            self.stats.inc_value(f"newscrawl/page_failures/{result.status}")
        else:
            return item
        self.store.pending += 1
        return item

    def close_thread(self, item: CommentThread) -> None:
        """A thread read to its end: stored comments it no longer has get `removed_at`.

        An incomplete thread (failed or malformed page) removes nothing: a missing page is not
        a moderator's decision.
        """
        article_id = self.article_ids.get(item.article_url) or self.store.article_id(
            item.article_url
        )
        if article_id is None:
            return
        if not item.complete:
            self.stats.inc_value("newscrawl/comments/threads_incomplete")
            logger.info(
                "Comments of %s incomplete (%s): none marked removed", item.article_url, item.reason
            )
            return
        removed = self.store.mark_removed_comments(
            article_id, self.thread_keys.get(article_id, set())
        )
        self.stats.inc_value("newscrawl/comments/threads_complete")
        if removed:
            self.stats.inc_value("newscrawl/comments/removed", removed)

    def item_done(self, item: Any, **kwargs: Any) -> None:
        """An item left the pipelines (stored, dropped or failed): complete its page, maybe commit."""
        if self.store is None or self.failed:
            return
        try:
            self.complete_page(item)
        except sqlite3.Error as exc:
            self.fail("write to", exc)
            self.stop_crawl()

    def complete_page(self, item: Any) -> None:
        key = item_article_key(item)
        records = self.ledger.handled(key)
        if records:
            article_id = self.stored_keys.get(key)
            if article_id is not None:  # an article dropped as invalid gets no fetch state
                policy = revisit_policy(
                    self.crawler.settings, getattr(self.crawler.spider, "profile", None)
                )
                for record in records:
                    save_fetch(self.store, record, article_id, policy)
                    self.store.pending += 1
        if (
            self.ledger.idle
            and self.store.pending
            and (
                self.store.pending >= self.batch_size
                or (
                    self.commit_seconds
                    and time.monotonic() - self.last_commit >= self.commit_seconds
                )
            )
        ):
            self.commit()  # every announced page is complete: a safe point
            self.last_commit = time.monotonic()

    def commit(self) -> None:
        """Commit, once the WARC records the new rows point at are on disk."""
        archive = crawler_archive(self.crawler)
        if archive is not None:
            archive.sync()
        self.store.commit()

    def close_spider(self) -> None:
        if self.store and not self.failed:
            try:
                self.commit()
            except sqlite3.Error as exc:
                self.fail("write to", exc)

    def spider_closed(self, spider, reason: str) -> None:
        if self.store is None or self.run_id is None:
            return
        outcome = crawl_outcome(self.crawler, reason)
        try:
            self.store.finish_run(self.run_id, reason, self.stats.get_stats(), outcome)
        except sqlite3.Error as exc:
            self.fail("record the run in", exc)
        self.store = None  # closed with the engine (shared with the incremental middleware)
