"""Incremental crawling: per-URL fetch state, conditional requests, a revisit policy, and pages
stored whole.

Why: scheduled runs come every few hours. Each must find what is new, fetch as little as it can
(304 answers, known articles that are not due left alone), still pick up edits and comments on
recent articles, and survive SIGKILL at any point. That last part rests on one rule: a page's
article, links, comments and fetch state reach the database in one transaction. The spider
announces each page's items to a `PageLedger`; the store pipeline commits only when no announced
page has items still on their way, and writes the fetch state of a page only once all its items
were handled. A rerun then sees each page either wholly stored (and skips or revalidates it) or
not at all (and fetches it in full).

Settings (newscrawl/config.py): ``NEWSCRAWL_INCREMENTAL`` (on/off), ``NEWSCRAWL_REVISIT_RECENT_DAYS``,
``NEWSCRAWL_REVISIT_RECENT_HOURS``, ``NEWSCRAWL_REVISIT_OLDER_DAYS``, ``NEWSCRAWL_REVISIT_LIMIT``;
a profile's ``[revisit]`` table overrides the three policy numbers for its site.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from . import config
from .dates import parse_datetime, utc_now
from .items import Article, Comment, PageFailure, RelatedLink
from .store import Store, open_store
from .urls import url_key

logger = logging.getLogger(__name__)

_STORE_ATTR = "_newscrawl_store"
_API_SOURCES = ("wp-rest", "disqus-json")  # comment sources that are not the page itself
_LEDGER_ATTR = "_newscrawl_ledger"
_STATE_ATTR = "_newscrawl_crawl_state"


# --- the shared store --------------------------------------------------------------------------


def crawler_store(crawler: Any) -> Store:
    """The crawl's one Store (``NEWSCRAWL_DB``), shared by the store pipeline and the middleware.

    One connection per process, in autocommit mode: every write is a short ``BEGIN IMMEDIATE``
    transaction (see `Store.write`). It is closed when the engine stops, after every
    spider_closed handler has run. Workers that store through Redis never open it.
    """
    store = getattr(crawler, _STORE_ATTR, None)
    if store is None or store.closed:
        settings = crawler.settings
        store = open_store(
            config.get(settings, "NEWSCRAWL_DB"),
            busy_timeout=config.get(settings, "NEWSCRAWL_DB_BUSY_TIMEOUT"),
            retries=config.get(settings, "NEWSCRAWL_DB_RETRIES"),
        )
        setattr(crawler, _STORE_ATTR, store)
        crawler.signals.connect(store.close, signal=signals.engine_stopped)
    return store


def crawler_spool(crawler: Any) -> Any:
    """Where this crawl puts what it could not store (``NEWSCRAWL_SPOOL``, else beside the DB)."""
    from .store.pages import Spool, spool_path

    return Spool(
        spool_path(
            config.get(crawler.settings, "NEWSCRAWL_DB"),
            config.get(crawler.settings, "NEWSCRAWL_SPOOL"),
        )
    )


def crawler_state(crawler: Any) -> Any:
    """The incremental ledger as the crawl sees it: the SQLite store, or (workers that store
    through Redis, ``NEWSCRAWL_REDIS_STORE``) the copy the writer keeps in Redis."""
    state = getattr(crawler, _STATE_ATTR, None)
    if state is None:
        if config.get(crawler.settings, "NEWSCRAWL_REDIS_STORE"):
            from .redis_store.worker import RedisCrawlState

            state = RedisCrawlState.from_crawler(crawler)
        else:
            state = SQLiteCrawlState(crawler)
        setattr(crawler, _STATE_ATTR, state)
    return state


class SQLiteCrawlState:
    """Fetch state, comment sources and discovery validators read from and written to the store.

    A write that fails after the store's retries is spooled and counted, never raised into the
    crawl (it would cost a revalidation, not data).
    """

    def __init__(self, crawler: Any):
        self.crawler = crawler
        self._applier: Any = None

    @property
    def store(self) -> Store:
        return crawler_store(self.crawler)

    def fetch_state(self, url: str) -> dict[str, Any] | None:
        return fetch_state(self.store, url)

    def comments_from_api(self, state: dict[str, Any]) -> bool:
        """Whether the stored article's comments were read from a comment API."""
        if not state.get("article_id"):
            return False
        row = self.store.conn.execute(
            "select 1 from comments where article_id = ? and source in (?, ?) limit 1",
            (state["article_id"], *_API_SOURCES),
        ).fetchone()
        return row is not None

    def discovery_state(self, url: str) -> dict[str, Any] | None:
        return discovery_state(self.store, url)

    def due_urls(
        self, site: str, now: str, *, since: date | None = None, limit: int = 0
    ) -> list[str]:
        return due_urls(self.store, site, now, since=since, limit=limit)

    def submit(self, entry: dict[str, Any]) -> None:
        """Write a small entry (touch, lastmod, discovery) in a transaction of its own."""
        from .store.entries import EntryApplier

        store = self.store
        if self._applier is None or self._applier.store is not store:
            self._applier = EntryApplier(store)
        retries = store.retries
        try:
            store.write(self._applier.apply, entry)
            self._applier.touched.clear()  # no Redis copy of the ledger to update here
            self._applier.discovered.clear()
        except Exception as error:  # noqa: BLE001 - spooled and reported, never lost
            from .store.pages import report_failure

            report_failure(
                self.crawler.stats, crawler_spool(self.crawler), entry, entry["kind"], error
            )
        finally:
            if store.retries > retries:
                self.crawler.stats.inc_value("newscrawl/store/retries", store.retries - retries)


# --- revisit policy ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevisitPolicy:
    """When a known article is due again, from its age and the time it was last fetched."""

    recent_days: float = config.default("NEWSCRAWL_REVISIT_RECENT_DAYS")
    recent_every_hours: float = config.default("NEWSCRAWL_REVISIT_RECENT_HOURS")
    older_every_days: float = config.default("NEWSCRAWL_REVISIT_OLDER_DAYS")

    def is_recent(self, published: datetime | None, now: datetime) -> bool:
        """Recent = published less than `recent_days` ago; an undated article counts as recent
        for `recent_days` after it was first fetched (the caller passes that time instead)."""
        return published is None or now - published < timedelta(days=self.recent_days)

    def next_due(self, published: datetime | None, fetched: datetime) -> datetime:
        """The time from which the article should be fetched again."""
        if self.is_recent(published, fetched):
            return fetched + timedelta(hours=self.recent_every_hours)
        return fetched + timedelta(days=self.older_every_days)


def revisit_policy(settings: Any, profile: Any = None) -> RevisitPolicy:
    """The crawl settings' policy, with the profile's ``[revisit]`` numbers taking precedence."""
    rules = getattr(profile, "revisit", None)

    def pick(name: str, setting: str) -> float:
        value = getattr(rules, name, None) if rules is not None else None
        return float(value) if value is not None else config.get(settings, setting)

    return RevisitPolicy(
        recent_days=pick("recent_days", "NEWSCRAWL_REVISIT_RECENT_DAYS"),
        recent_every_hours=pick("recent_every_hours", "NEWSCRAWL_REVISIT_RECENT_HOURS"),
        older_every_days=pick("older_every_days", "NEWSCRAWL_REVISIT_OLDER_DAYS"),
    )


def _iso(value: datetime) -> str:
    return value.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


# --- fetch state rows ------------------------------------------------------------------------------


@dataclass
class FetchRecord:
    """What one full (200) download of an article page tells the next run."""

    url: str  # as requested (before redirects): the URL a revisit asks for
    site: str | None
    etag: str | None
    last_modified: str | None
    content_hash: str
    sitemap_lastmod: str | None
    fetched_at: str
    status: int
    published: str | None = None  # filled in from the page's Article item
    article_key: str | None = None
    lease: str | None = None  # distributed mode: ended once the page is stored or sent


def body_hash(body: bytes) -> str:
    """Hash of a response body: tells a changed page from an unchanged one without validators."""
    return hashlib.sha256(body).hexdigest()[:32]


def fetch_state(store: Store, url: str) -> dict[str, Any] | None:
    """The stored fetch state of `url` (by its url_key), or None for a URL never stored."""
    cursor = store.conn.execute("select * from fetch_state where url_key = ?", (url_key(url),))
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([c[0] for c in cursor.description], row, strict=True))


def save_fetch(
    store: Store, record: FetchRecord, article_id: int | None, policy: RevisitPolicy
) -> None:
    """Insert or update the fetch state after a full download (in the caller's transaction)."""
    fetched = parse_datetime(record.fetched_at) or _now()
    published = parse_datetime(record.published)
    record.published = published.isoformat() if published else None
    key = url_key(record.url)
    old = fetch_state(store, record.url)
    if old is not None and published is None:
        published = parse_datetime(old.get("published"))
    if published is None and old is not None:  # undated: recent for a while after first seen
        published = parse_datetime(old.get("first_fetch"))
    due = _iso(policy.next_due(published, fetched))
    if old is None:
        store.conn.execute(
            "insert into fetch_state (url_key, url, site, article_id, etag, last_modified,"
            " content_hash, published, sitemap_lastmod, first_fetch, last_fetch, last_changed,"
            " last_status, next_due, fetches, not_modified) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,0)",
            (key, record.url, record.site, article_id, record.etag, record.last_modified,
             record.content_hash, record.published, record.sitemap_lastmod, record.fetched_at,
             record.fetched_at, record.fetched_at, record.status, due),
        )  # fmt: skip
        return
    changed = old["content_hash"] != record.content_hash
    store.conn.execute(
        "update fetch_state set url = ?, site = coalesce(?, site), article_id = coalesce(?, article_id),"
        " etag = ?, last_modified = ?, content_hash = ?, published = coalesce(?, published),"
        " sitemap_lastmod = coalesce(?, sitemap_lastmod), last_fetch = ?, last_status = ?,"
        " last_changed = case when ? then ? else last_changed end, next_due = ?,"
        " fetches = fetches + 1 where url_key = ?",
        (record.url, record.site, article_id, record.etag, record.last_modified,
         record.content_hash, record.published, record.sitemap_lastmod, record.fetched_at,
         record.status, changed, record.fetched_at, due, key),
    )  # fmt: skip


def touch_entry(
    state: dict[str, Any], policy: RevisitPolicy, *, not_modified: bool
) -> dict[str, Any]:
    """What a 304 (or a skip on an unchanged sitemap lastmod) changes: last_fetch and next_due.

    Nothing else changes, so losing this write to a kill costs one more revalidation at most.
    """
    now = _now()
    published = parse_datetime(state.get("published")) or parse_datetime(state.get("first_fetch"))
    return {
        "kind": "touch",
        "url_key": state["url_key"],
        "next_due": _iso(policy.next_due(published, now)),
        "last_fetch": _iso(now) if not_modified else None,
        "not_modified": not_modified,
    }


def apply_touch(store: Store, entry: dict[str, Any]) -> None:
    """Write a `touch_entry` (in the caller's transaction, or as one statement)."""
    if entry.get("not_modified"):
        store.conn.execute(
            "update fetch_state set last_fetch = ?, last_status = 304, next_due = ?,"
            " fetches = fetches + 1, not_modified = not_modified + 1 where url_key = ?",
            (entry["last_fetch"], entry["next_due"], entry["url_key"]),
        )
    else:
        store.conn.execute(
            "update fetch_state set next_due = ? where url_key = ?",
            (entry["next_due"], entry["url_key"]),
        )


def touch_fetch(
    store: Store, state: dict[str, Any], policy: RevisitPolicy, *, not_modified: bool
) -> None:
    """After a 304 (or a skip on an unchanged sitemap lastmod): move last_fetch and next_due."""
    apply_touch(store, touch_entry(state, policy, not_modified=not_modified))


def due_urls(
    store: Store, site: str, now: str, *, since: date | None = None, limit: int = 0
) -> list[str]:
    """Known article URLs of `site` whose next_due has come, oldest due first."""
    sql = "select url, published from fetch_state where site = ? and next_due <= ?"
    sql += " order by next_due, url_key"
    rows = store.conn.execute(sql, (site, now)).fetchall()
    urls = []
    for url, published in rows:
        when = parse_datetime(published)
        if since and when and when.date() < since:
            continue
        urls.append(url)
        if limit and len(urls) >= limit:
            break
    return urls


# --- pages stored whole ----------------------------------------------------------------------------


def item_article_key(item: Any) -> str | None:
    """The url_key of the article an item belongs to (None for other item types)."""
    if isinstance(item, Article):
        return url_key(item.canonical_url or item.url)
    if isinstance(item, (RelatedLink, Comment)):
        return url_key(item.article_url)
    if isinstance(item, PageFailure) and item.article_url:
        return url_key(item.article_url)  # a partial failure belongs to its stored article
    return None


@dataclass
class _OpenPage:
    expected: int = 0
    handled: int = 0
    records: list[FetchRecord] = field(default_factory=list)


class PageLedger:
    """Counts each announced page's items through the pipelines (why: see the module docstring)."""

    def __init__(self) -> None:
        self.pages: dict[str, _OpenPage] = {}

    def expect(self, key: str, count: int, record: FetchRecord | None) -> None:
        page = self.pages.setdefault(key, _OpenPage())
        page.expected += count
        if record is not None:
            page.records.append(record)

    def handled(self, key: str | None) -> list[FetchRecord] | None:
        """Count one item of page `key` as done; the page's records when it is now complete."""
        page = self.pages.get(key) if key else None
        if page is None:
            return None
        page.handled += 1
        if page.handled < page.expected:
            return None
        del self.pages[key]
        return page.records

    @property
    def idle(self) -> bool:
        """True when no announced page has items still on their way: a safe commit point."""
        return not self.pages


def crawler_ledger(crawler: Any) -> PageLedger:
    ledger = getattr(crawler, _LEDGER_ATTR, None)
    if ledger is None:
        ledger = PageLedger()
        setattr(crawler, _LEDGER_ATTR, ledger)
    return ledger


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1").strip() if value else None


def announce_page(
    crawler: Any, response: Response, site: str | None, items: Iterable[Any]
) -> Iterator[Any]:
    """Yield a page's items after telling the ledger how many there are and how it was fetched.

    Spiders wrap `items_from_page(...)` with this; the store pipeline does the rest.
    """
    items = list(items)
    article = next((i for i in items if isinstance(i, Article)), None)
    if article is None:
        yield from items
        return
    key = item_article_key(article)
    if response.meta.get("warc_source") and not response.meta.get("record_fetch"):
        # Re-read from the archive (`newscrawl reextract`): no fetch happened. A page read
        # from it for the first time (a failure now extracted, an import) does get the state
        # its archived fetch would have left.
        crawler_ledger(crawler).expect(key, len(items), None)
        yield from items
        return
    first_url = (response.meta.get("redirect_urls") or [response.url])[0]
    record = FetchRecord(
        url=first_url,
        site=site,
        etag=_header(response, b"ETag"),
        last_modified=_header(response, b"Last-Modified"),
        content_hash=body_hash(response.body),
        sitemap_lastmod=response.meta.get("lastmod"),
        fetched_at=article.fetched_at or utc_now(),
        status=response.status,
        published=article.published,
        article_key=key,
        lease=response.meta.get("lease"),
    )
    response.meta["page_announced"] = True  # its lease ends with the page, not the callback
    crawler_ledger(crawler).expect(key, len(items), record)
    yield from items


# --- the downloader middleware -------------------------------------------------------------------


class IncrementalMiddleware:
    """Spider middleware: conditional requests for known articles, and no requests at all for
    known articles that are not due.

    For a request whose URL has fetch state (i.e. a stored article):
    - the sitemap/REST ``lastmod`` it was found with (``meta["lastmod"]``) moved → asked for now,
      even when not due (an edit);
    - not due yet → dropped before it is scheduled (``newscrawl/incremental/skipped_not_due``);
    - an older article whose ``lastmod`` has not moved → dropped (``.../skipped_lastmod``);
    - otherwise sent with If-None-Match / If-Modified-Since. A 304 answer reaches this
      middleware (``handle_httpstatus_list``), which moves next_due and does not run the
      callback, so nothing is parsed or rewritten (``.../not_modified``).
    Working before scheduling and around the callback (not as a downloader middleware) keeps
    skips and 304s out of error counts and failure logs. It must sit closest to the spider
    (highest order), so a 304's callback generator is never started. ``dont_filter`` requests
    (a URL asked for by hand) are never dropped, only made conditional; ``meta["dont_incremental"]``
    turns all of it off for one request.
    """

    def __init__(self, crawler: Any):
        if not config.get(crawler.settings, "NEWSCRAWL_INCREMENTAL"):
            raise NotConfigured("NEWSCRAWL_INCREMENTAL is off")
        if config.get(crawler.settings, "NEWSCRAWL_CHECK"):
            raise NotConfigured("scrapy check: contracts read no fetch state")
        self.crawler = crawler
        self.stats = crawler.stats
        self.run_started = _iso(_now())
        self._policy: RevisitPolicy | None = None
        self._counted: set[tuple[str, str]] = (
            set()
        )  # (stat, url_key): a URL found twice counts once
        self.discovered: dict[str, dict[str, Any]] = {}  # discovery URL -> validators, kind

    @classmethod
    def from_crawler(cls, crawler: Any) -> IncrementalMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    @property
    def policy(self) -> RevisitPolicy:
        if self._policy is None:
            spider = self.crawler.spider
            self._policy = revisit_policy(self.crawler.settings, getattr(spider, "profile", None))
        return self._policy

    # --- Scrapy hooks ---------------------------------------------------------------------

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for result in start:
            if (kept := self.prepare(result)) is not None:
                yield kept

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Any = None
    ) -> Iterator[Any]:
        if self.not_modified(response):
            return
        for output in result:
            if (kept := self.prepare(output)) is not None:
                yield kept
        self.note_discovery(response)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Any = None
    ) -> AsyncIterator[Any]:
        if self.not_modified(response):
            return
        async for output in result:
            if (kept := self.prepare(output)) is not None:
                yield kept
        self.note_discovery(response)

    # --- the work -------------------------------------------------------------------------

    def prepare(self, output: Any) -> Any:
        """Pass items on; drop a request for a known article that is not due, else make it
        conditional."""
        if not isinstance(output, Request) or output.meta.get("dont_incremental"):
            return output
        if output.meta.get("discovery"):
            return self.prepare_discovery(output)
        state = crawler_state(self.crawler).fetch_state(output.url)
        if state is None:
            return output
        if not output.dont_filter and self.skip_reason(output, state):
            return None
        profile = getattr(self.crawler.spider, "profile", None)
        if (profile is not None and profile.comments.source in _API_SOURCES) or crawler_state(
            self.crawler
        ).comments_from_api(state):
            # Comments live in an API, not the page (chosen by the profile, or found on the
            # page without one): a 304 on the page would hide new ones, so a due article is
            # fetched in full and its thread asked for again.
            self.count("unconditional_api_comments", state)
            return output
        request = _conditional(output, state, incremental_state=state)
        if request is None:
            return output
        self.count("conditional", state)
        return request

    def skip_reason(self, request: Request, state: dict[str, Any]) -> str | None:
        """Why a request for a known article is not worth sending now (None: send it)."""
        lastmod = request.meta.get("lastmod")
        if lastmod:
            # Against the lastmod seen before, else against our last fetch (found by a feed).
            reference = state.get("sitemap_lastmod") or state.get("last_fetch")
            if reference and _moved(lastmod, reference):
                self.count("lastmod_moved", state)
                return None
            if not state.get("sitemap_lastmod"):  # unchanged since we fetched it: the baseline
                crawler_state(self.crawler).submit(
                    {"kind": "lastmod", "url_key": state["url_key"], "lastmod": lastmod}
                )
        if (state.get("next_due") or "") > self.run_started:
            self.count("skipped_not_due", state)
            return "not_due"
        published = parse_datetime(state.get("published")) or parse_datetime(
            state.get("first_fetch")
        )
        if lastmod and not self.policy.is_recent(published, _now()):
            self.count("skipped_lastmod", state)
            crawler_state(self.crawler).submit(touch_entry(state, self.policy, not_modified=False))
            return "lastmod"
        return None

    def count(self, stat: str, state: dict[str, Any]) -> None:
        if (stat, state["url_key"]) not in self._counted:
            self._counted.add((stat, state["url_key"]))
            self.stats.inc_value(f"newscrawl/incremental/{stat}")

    def not_modified(self, response: Response) -> bool:
        """True for a 304 to our conditional request: record it; the callback must not run."""
        if response.status == 304 and response.meta.get("discovery_conditional"):
            self.stats.inc_value("newscrawl/incremental/discovery_not_modified")
            return True
        state = response.meta.get("incremental_state")
        if response.status != 304 or state is None:
            return False
        self.stats.inc_value("newscrawl/incremental/not_modified")
        crawler_state(self.crawler).submit(touch_entry(state, self.policy, not_modified=True))
        return True

    # --- feeds and sitemaps ----------------------------------------------------------------

    def prepare_discovery(self, request: Request) -> Request:
        """Ask for a feed or sitemap seen in an earlier finished run only if it changed.

        A sitemap index stays unconditional: its children can change while it does not.
        """
        row = crawler_state(self.crawler).discovery_state(request.url)
        if row is None or row["kind"] == "sitemapindex":
            return request
        conditional = _conditional(request, row, discovery_conditional=True)
        if conditional is None:
            return request
        self.stats.inc_value("newscrawl/incremental/discovery_conditional")
        return conditional

    def note_discovery(self, response: Response) -> None:
        """Remember a fully parsed feed's or sitemap's validators (written if the run finishes)."""
        kind = response.meta.get("discovery_kind")
        if not response.meta.get("discovery") or not kind or response.status != 200:
            return
        requested = (response.meta.get("redirect_urls") or [response.url])[0]
        self.discovered[requested] = {
            "kind": kind,
            "etag": _header(response, b"ETag"),
            "last_modified": _header(response, b"Last-Modified"),
            "last_fetch": _iso(_now()),
        }

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Save discovery validators only after a finished run.

        A killed or paused run may not have fetched every article its feeds listed; a 304 on
        the next run would then hide those articles for good.
        """
        if reason != "finished" or not self.discovered:
            return
        rows = [
            [url, v["kind"], v["etag"], v["last_modified"], v["last_fetch"]]
            for url, v in self.discovered.items()
        ]
        crawler_state(self.crawler).submit({"kind": "discovery", "rows": rows})


def _conditional(request: Request, validators: dict[str, Any], **meta: Any) -> Request | None:
    """`request` asking If-None-Match / If-Modified-Since with the stored ``etag`` and
    ``last_modified``, a 304 let through to `not_modified` and `meta` added; None when
    neither was stored. Articles, feeds and sitemaps ask the same way."""
    headers = {
        b"If-None-Match": validators.get("etag"),
        b"If-Modified-Since": validators.get("last_modified"),
    }
    headers = {name: value for name, value in headers.items() if value}
    if not headers:
        return None
    handled = list(request.meta.get("handle_httpstatus_list", ()))
    meta["handle_httpstatus_list"] = handled if 304 in handled else [*handled, 304]
    conditional = request.replace(meta={**request.meta, **meta})
    for name, value in headers.items():
        conditional.headers.setdefault(name, value)
    return conditional


def discovery_state(store: Store, url: str) -> dict[str, Any] | None:
    """The validators and kind stored for a feed or sitemap URL, or None."""
    cursor = store.conn.execute(
        "select kind, etag, last_modified from discovery_state where url = ?", (url,)
    )
    row = cursor.fetchone()
    return None if row is None else dict(zip(("kind", "etag", "last_modified"), row, strict=True))


def _moved(new: str, old: str) -> bool:
    """True when lastmod `new` is later than `old` (compared as instants when both parse)."""
    a, b = parse_datetime(new), parse_datetime(old)
    if a and b:
        return a > b
    return new.strip() != old.strip()


# --- revisits ---------------------------------------------------------------------------------------


def revisit_requests(spider: Any, callback: Any) -> list[Request]:
    """Requests for the spider's known articles that are due (their comments and edits).

    Discovery alone would miss a recent article that already left the feed and the first
    listing page; these come from the store. Bounded by ``NEWSCRAWL_REVISIT_LIMIT`` (0: all).
    """
    crawler = spider.crawler
    settings = crawler.settings
    if not config.get(settings, "NEWSCRAWL_INCREMENTAL"):
        return []
    site = getattr(spider, "site_name", None)
    if site is None:
        return []
    urls = crawler_state(crawler).due_urls(
        site,
        _iso(_now()),
        since=getattr(spider, "since", None),
        limit=config.get(settings, "NEWSCRAWL_REVISIT_LIMIT"),
    )
    crawler.stats.inc_value("newscrawl/incremental/revisits", len(urls))
    return [Request(url, callback=callback, meta={"revisit": True}) for url in urls]
