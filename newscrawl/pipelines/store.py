"""Write items into the SQLite store, in batched transactions, and record the run."""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem

from ..items import Article, Comment, RelatedLink
from ..store import Store, open_store
from ..urls import site_host

logger = logging.getLogger(__name__)


class SQLiteStorePipeline:
    """Upserts articles, related links and comments; one `crawl_runs` row per run.

    Settings: ``NEWSCRAWL_DB`` (path; also the environment variable), ``NEWSCRAWL_DB_BATCH``
    (writes per transaction). A page's article, links and comments are written in one
    transaction: the batch is only committed at an article boundary.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = crawler.settings.get("NEWSCRAWL_DB")
        self.batch_size = crawler.settings.getint("NEWSCRAWL_DB_BATCH", 200)
        self.store: Store | None = None
        self.run_id: int | None = None
        self.article_ids: dict[str, int] = {}
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        self.store = open_store(self.db_path)
        spider = self.crawler.spider
        profile = getattr(spider, "profile", None)
        self.run_id = self.store.start_run(
            spider.name, profile.name if profile else getattr(spider, "host", None)
        )
        logger.info("Storing items in %s (crawl run %s)", self.store.path, self.run_id)

    def process_item(self, item):
        assert self.store is not None
        adapter = ItemAdapter(item)
        if isinstance(item, Article):
            if self.store.pending >= self.batch_size:
                self.store.commit()  # the previous page is complete: a safe point
            site = item.site or site_host(item.canonical_url)
            profile = getattr(self.crawler.spider, "profile", None)
            info = (
                {"title": profile.title, "base_url": profile.base_url}
                if profile and profile.name == site
                else {}
            )
            site_id = self.store.site_id(site, language=item.language, **info)
            result = self.store.upsert_article(adapter.asdict(), site_id)
            self.article_ids[item.canonical_url] = result.row_id
            self.stats.inc_value(f"newscrawl/articles/{result.status}")
        elif isinstance(item, (RelatedLink, Comment)):
            article_id = self.article_ids.get(item.article_url) or self.store.article_id(
                item.article_url
            )
            if article_id is None:
                self.stats.inc_value("newscrawl/dropped/orphan")
                raise DropItem(f"{type(item).__name__} for unknown article {item.article_url}")
            kind = "links" if isinstance(item, RelatedLink) else "comments"
            upsert = self.store.upsert_link if kind == "links" else self.store.upsert_comment
            result = upsert(adapter.asdict(), article_id)
            self.stats.inc_value(f"newscrawl/{kind}/{result.status}")
        else:
            return item
        self.store.pending += 1
        return item

    def close_spider(self) -> None:
        if self.store:
            self.store.commit()

    def spider_closed(self, spider, reason: str) -> None:
        if self.store is None:
            return
        self.store.finish_run(self.run_id, reason, self.stats.get_stats())
        self.store.close()
        self.store = None
