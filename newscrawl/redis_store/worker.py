"""The worker side of storing through Redis: pages to the stream, the ledger read from Redis.

`RedisPagePipeline` takes the place of the SQLite store pipeline (the distributed add-on swaps
them when ``NEWSCRAWL_REDIS_STORE`` is on): it groups a page's items as the SQLite pipeline does
(`PageBuffer`) and sends each whole page as one stream entry. `RedisCrawlState` answers the
incremental middleware from the ledger copy the writer keeps, and sends the middleware's writes
as entries. A push that fails even after redis-py's retries goes to the local spool
(``newscrawl/store/failed``, exit status 6), never nowhere.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from datetime import date, datetime
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from .. import config
from ..dates import parse_datetime, utc_now
from ..distributed import release_leases
from ..incremental import crawler_spool
from ..items import Comment, CommentThread
from ..pipelines.store import STORED_TYPES, PageBuffer
from ..store.db import comment_key
from ..store.entries import page_entry
from ..store.pages import Page, report_failure
from ..urls import url_key
from . import redis_client, state_keys, stream_keys

logger = logging.getLogger(__name__)
_PUSHER_ATTR = "_newscrawl_stream_pusher"


class StreamPusher:
    """Sends this worker run's entries to the item stream (one per crawler)."""

    def __init__(self, crawler: Any):
        settings = crawler.settings
        url = settings.get("REDIS_URL") or config.get(settings, "NEWSCRAWL_REDIS_URL")
        if not url:
            raise NotConfigured("NEWSCRAWL_REDIS_STORE needs NEWSCRAWL_REDIS_URL")
        self.crawler = crawler
        self.server = redis_client(url)
        self.stream = stream_keys(settings)["stream"]
        self.run_key = f"{socket.gethostname()}-{os.getpid()}-{os.urandom(6).hex()}"
        self.spool = crawler_spool(crawler)

    def push(self, entry: dict[str, Any], what: str) -> bool:
        entry = {**entry, "run": self.run_key}
        try:
            data = json.dumps(entry, ensure_ascii=False, default=str)
            self.server.xadd(self.stream, {"e": data})
        except Exception as error:  # noqa: BLE001 - spooled and reported, never lost
            report_failure(self.crawler.stats, self.spool, entry, what, error)
            return False
        self.crawler.stats.inc_value(f"newscrawl/redis/pushed/{entry.get('kind')}")
        return True


def crawler_pusher(crawler: Any) -> StreamPusher:
    pusher = getattr(crawler, _PUSHER_ATTR, None)
    if pusher is None:
        pusher = StreamPusher(crawler)
        setattr(crawler, _PUSHER_ATTR, pusher)
    return pusher


class RedisPagePipeline:
    """Sends whole pages to the Redis item stream; the run's start and end too (its
    `crawl_runs` row is written by ``newscrawl store --from-redis``)."""

    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.pusher = crawler_pusher(crawler)
        self.buffer = PageBuffer(crawler)
        self.thread_keys: dict[str, set[str]] = {}  # article URL → comment keys seen this run
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self.item_done, signal=signal)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisPagePipeline:
        if os.environ.get("SCRAPY_CHECK"):
            raise NotConfigured("scrapy check: contracts never store anything")
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        profile = getattr(spider, "profile", None)
        self.pusher.push(
            {"kind": "run_start", "spider": spider.name, "started": utc_now(),
             "site": profile.name if profile else getattr(spider, "host", None),
             "origin": socket.gethostname()},
            "the crawl run's start",
        )  # fmt: skip
        logger.info(
            "Sending pages to Redis stream %s (run %s)", self.pusher.stream, self.pusher.run_key
        )

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Comment):
            self.thread_keys.setdefault(item.article_url, set()).add(
                comment_key(item.comment_id, item.author, item.text, item.published)
            )
        if isinstance(item, STORED_TYPES) and not self.buffer.add(item):
            self.send(self.buffer.page([item]))
        return item

    def item_done(self, item: Any, **kwargs: Any) -> None:
        page = self.buffer.complete(item)
        if page is not None and (page.items or page.records):
            self.send(page)

    def send(self, page: Page) -> None:
        ends = [i for i in page.items if isinstance(i, CommentThread) and i.complete]
        if ends:
            page.thread_keys = {
                i.article_url: sorted(self.thread_keys.get(i.article_url, ())) for i in ends
            }
        if self.pusher.push(page_entry(page, None), page.describe()):
            self.crawler.stats.inc_value("newscrawl/redis/pages")
        release_leases(self.crawler, [r.lease for r in page.records])  # sent, or spooled

    def close_spider(self) -> None:
        for page in self.buffer.leftovers():
            self.send(page)

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.pusher.push(
            {"kind": "run_finish", "reason": reason, "finished": utc_now(),
             "stats": self.crawler.stats.get_stats()},
            "the crawl run's stats",
        )  # fmt: skip


class RedisCrawlState:
    """The incremental ledger from the copy ``newscrawl store --from-redis`` keeps in Redis."""

    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.pusher = crawler_pusher(crawler)
        self.server = self.pusher.server
        self.keys = state_keys(crawler.settings)
        self.warned = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisCrawlState:
        return cls(crawler)

    def _check_ready(self) -> None:
        if self.warned:
            return
        self.warned = True
        ready = self.server.get(self.keys["ready"])
        if ready is None:
            logger.warning(
                "No incremental ledger in Redis (%s): start `newscrawl store --from-redis` before "
                "the workers, or every known page is fetched in full",
                self.keys["ready"],
            )
        else:
            logger.info("Incremental ledger in Redis: %s", ready.decode("utf-8", "replace"))

    def fetch_state(self, url: str) -> dict[str, Any] | None:
        self._check_ready()
        raw = self.server.hget(self.keys["fetch"], url_key(url))
        return json.loads(raw) if raw else None

    def comments_from_api(self, state: dict[str, Any]) -> bool:
        return bool(state.get("api_comments"))

    def discovery_state(self, url: str) -> dict[str, Any] | None:
        raw = self.server.hget(self.keys["discovery"], url)
        return json.loads(raw) if raw else None

    def due_urls(
        self, site: str, now: str, *, since: date | None = None, limit: int = 0
    ) -> list[str]:
        """Like `newscrawl.incremental.due_urls`: oldest due first, then by url_key."""
        self._check_ready()
        moment = parse_datetime(now) or datetime.now().astimezone()
        members = self.server.zrangebyscore(
            self.keys["due"] + site, "-inf", moment.timestamp(), withscores=True
        )
        members.sort(key=lambda pair: (pair[1], pair[0]))
        urls: list[str] = []
        for start in range(0, len(members), 500):
            chunk = [key for key, _ in members[start : start + 500]]
            for raw in self.server.hmget(self.keys["fetch"], chunk):
                if raw is None:
                    continue
                state = json.loads(raw)
                when = parse_datetime(state.get("published"))
                if since and when and when.date() < since:
                    continue
                urls.append(state["url"])
                if limit and len(urls) >= limit:
                    return urls
        return urls

    def submit(self, entry: dict[str, Any]) -> None:
        self.pusher.push(entry, entry.get("kind", "entry"))
