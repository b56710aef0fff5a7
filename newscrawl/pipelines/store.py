"""Write items into the SQLite store, one short transaction per page, and record the run."""

from __future__ import annotations

import logging
import os
import sqlite3
from typing import Any

from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from .. import config
from ..distributed import release_leases
from ..incremental import (
    crawler_ledger,
    crawler_spool,
    crawler_store,
    item_article_key,
    revisit_policy,
)
from ..items import Article, Comment, CommentThread, PageFailure, RelatedLink
from ..runs import STORE_FAILED, crawl_outcome
from ..store import Store
from ..store.pages import Page, PageWriter, report_failure
from ..urls import url_key
from ..warc.middleware import crawler_archive

logger = logging.getLogger(__name__)
STORED_TYPES = (Article, RelatedLink, Comment, CommentThread, PageFailure)


def profile_info(spider: Any) -> dict[str, Any] | None:
    """The crawl's profile as a page carries it (its site row gets the title and base URL)."""
    profile = getattr(spider, "profile", None)
    if profile is None:
        return None
    return {"name": profile.name, "title": profile.title, "base_url": profile.base_url}


class PageBuffer:
    """The items of pages still open in the `PageLedger`, kept until the page is complete.

    Shared by the SQLite and Redis store pipelines: an item of an announced page waits here;
    when the ledger says the page's last item was handled, `complete` hands back the page's
    items with its fetch records. A `CommentThread` joins its article's open page, if any, so it
    is written after the comments it closes.
    """

    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.ledger = crawler_ledger(crawler)
        self.open: dict[str, list[Any]] = {}

    def add(self, item: Any) -> bool:
        """Keep `item` for its page; False when it belongs to no open page (write it now)."""
        key = item_article_key(item)
        if key is None and isinstance(item, CommentThread):
            key = url_key(item.article_url)
            if key not in self.open:
                return False
        elif key is None or key not in self.ledger.pages:
            return False
        self.open.setdefault(key, []).append(item)
        return True

    def complete(self, item: Any) -> Page | None:
        """Count `item` as handled; the whole page once its last item is."""
        key = item_article_key(item)
        records = self.ledger.handled(key)
        if records is None:
            return None
        return self.page(self.open.pop(key, []), records, key)

    def page(
        self, items: list[Any], records: list[Any] | None = None, key: str | None = None
    ) -> Page:
        settings, spider = self.crawler.settings, self.crawler.spider
        return Page(
            items, list(records or []), key, profile_info(spider),
            revisit_policy(settings, getattr(spider, "profile", None)),
        )  # fmt: skip

    def leftovers(self) -> list[Page]:
        """Pages still open when the crawl closes (their fetch state is not written)."""
        pages = [self.page(items, None, key) for key, items in self.open.items() if items]
        self.open.clear()
        return pages


class SQLiteStorePipeline:
    """Upserts articles, related links and comments; one `crawl_runs` row per run.

    Settings: ``NEWSCRAWL_DB`` (path; also the environment variable), ``NEWSCRAWL_SPOOL``.
    A page's article, links, comments and fetch state are written together in one short
    transaction once its last item has been handled (`PageBuffer`, newscrawl.incremental), so a
    killed run never leaves half a page and no transaction is held while the crawl goes on.
    Writes are retried while another process holds the lock; a page that still cannot be written
    is spooled and counted (``newscrawl/store/failed``), and the run ends ``store_error`` (exit
    status 6). A database that cannot be opened stops the crawl at once, with one log line.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = config.get(crawler.settings, "NEWSCRAWL_DB")
        self.stopping = False
        self.store: Store | None = None
        self.writer: PageWriter | None = None
        self.run_id: int | None = None
        self.buffer = PageBuffer(crawler)
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
        run_key = os.urandom(16).hex()
        try:
            self.store = crawler_store(self.crawler)
            self.run_id = self.store.start_run(
                spider.name,
                profile.name if profile else getattr(spider, "host", None),
                run_key=run_key,
            )
        except (sqlite3.Error, OSError) as exc:
            self.stats.set_value(STORE_FAILED, f"{type(exc).__name__}: {exc}")
            logger.error(
                "Store failure: cannot open the database %s: %s. The crawl stops (exit status 6);"
                " run again once the database is writable (NEWSCRAWL_DB).",
                self.db_path, exc,
            )  # fmt: skip
            raise CloseSpider("store_error") from None
        self.writer = PageWriter(
            self.store, self.stats, spool=crawler_spool(self.crawler), run_key=run_key
        )
        logger.info("Storing items in %s (crawl run %s)", self.store.path, self.run_id)

    def process_item(self, item):
        if isinstance(item, STORED_TYPES) and not self.buffer.add(item):
            self.write(self.buffer.page([item]))  # not part of an announced page
        return item

    def item_done(self, item: Any, **kwargs: Any) -> None:
        """An item left the pipelines (stored, dropped or failed): maybe its page is complete."""
        if self.writer is None:
            return
        page = self.buffer.complete(item)
        if page is not None and (page.items or page.records):
            self.write(page)  # stored, or spooled: either way the request is done
            release_leases(self.crawler, [r.lease for r in page.records])

    def write(self, page: Page) -> None:
        """Write one page, once the WARC records its rows point at are on disk."""
        archive = crawler_archive(self.crawler)
        try:
            if archive is not None:
                archive.sync()
        except OSError as error:
            self.writer.failed(page, error)  # spooled: stored, its pointers could dangle
        else:
            self.writer.write(page)
        if self.writer.lost and not self.stopping:
            self.stopping = True  # nothing can be kept: fetching more would only lose more
            logger.error(
                "Store failure: pages can be neither stored in %s nor spooled. The crawl stops"
                " (exit status 6); what was stored is kept, run again once the disk is writable.",
                self.db_path,
            )
            engine = self.crawler.engine
            if engine is not None and engine.spider is not None:
                deferred_from_coro(engine.close_spider_async(reason="store_error"))

    def close_spider(self) -> None:
        if self.writer:
            for page in self.buffer.leftovers():
                self.write(page)

    def spider_closed(self, spider, reason: str) -> None:
        if self.store is None or self.run_id is None:
            return
        stats = self.stats.get_stats()
        outcome = crawl_outcome(self.crawler, reason)
        try:
            self.store.finish_run(self.run_id, reason, stats, outcome)
        except Exception as error:  # noqa: BLE001 - the run's stats go to the spool instead
            entry = {"kind": "run_finish", "run": self.writer.run_key, "reason": reason,
                     "stats": stats}  # fmt: skip
            report_failure(self.stats, self.writer.spool, entry, "the crawl run's stats", error)
        self.store = None  # closed with the engine (shared with the incremental middleware)
