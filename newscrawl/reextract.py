"""`newscrawl reextract` and `newscrawl import-warc`: archived responses through today's extractor.

Why: a better extractor should not need a new crawl. Both commands run a Scrapy crawl whose
requests are answered from WARC files (`ArchivedResponseMiddleware`: no network, no robots.txt,
no archive written), so every page takes the path a crawled one takes: the spider's
`page_items`, then the normalise → validate → deduplicate → store pipelines, stats and a
`crawl_runs` row. What differs is what a crawl would record about fetching: no fetch state is
written, comment pages and APIs are not followed, and items carry the record's capture time
(so `last_seen` never moves: the store only moves it forward). A stored article whose
re-extraction differs gets a new version, marked with `articles.extractor_version`.

- ``reextract``: the response behind each stored article (the current version's) and each open
  page failure; ``--site``, ``--since`` (published on or after; failures: failed since) and
  ``--failed`` (the failures only) narrow that down.
- ``import-warc FILE...``: every HTML response (status 200) of WARC files written by any
  crawler; the first capture of a URL in a run wins.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response

from .profiles import load_profiles, profile_for_url
from .spiders.base import NewsSpider
from .store import open_store
from .urls import site_host, url_key
from .warc.reader import iter_responses

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml")


@dataclass(frozen=True)
class ArchivedPage:
    """One archived response to extract: where it is, and what the store knows of it."""

    url: str
    site: str | None
    warc_file: str
    warc_offset: int
    warc_length: int
    known_article: bool  # stored as an article already: extracted even if it looks otherwise
    date: str | None = None  # capture time, when known before reading the record

    @property
    def source(self) -> dict[str, Any]:
        return {"warc_file": self.warc_file, "warc_offset": self.warc_offset,
                "warc_length": self.warc_length}  # fmt: skip


def stored_pages(
    db: str | Path, *, site: str | None = None, since: date | None = None, failed: bool = False
) -> list[ArchivedPage]:
    """The archived responses `reextract` reads: stored articles' and open failures'."""
    store = open_store(db, readonly=True)
    try:
        conn = store.conn
        pages: dict[str, ArchivedPage] = {}
        if not failed:
            sql = (
                "select a.url, a.canonical_url, s.name, a.warc_file, a.warc_offset, a.warc_length,"
                " a.published from articles a left join sites s on s.id = a.site_id"
                " where a.warc_file is not null"
            )
            params: list[Any] = []
            if site:
                sql += " and s.name = ?"
                params.append(site)
            for url, canonical, name, file, offset, length, published in conn.execute(
                sql + " order by a.id", params
            ):
                if since and published and published[:10] < since.isoformat():
                    continue
                pages[url_key(canonical)] = ArchivedPage(
                    url or canonical, name, file, offset, length, True
                )
        sql = (
            "select url, site, warc_file, warc_offset, warc_length, first_failed from page_failures"
            " where resolved_at is null and warc_file is not null"
        )
        params = []
        if site:
            sql += " and site = ?"
            params.append(site)
        if since:
            sql += " and substr(last_failed, 1, 10) >= ?"
            params.append(since.isoformat())
        for url, name, file, offset, length, _ in conn.execute(sql + " order by id", params):
            pages.setdefault(url_key(url), ArchivedPage(url, name, file, offset, length, False))
        return list(pages.values())
    finally:
        store.conn.close()


def warc_pages(files: Iterable[str | Path], db: str | Path) -> Iterator[ArchivedPage]:
    """Every HTML response (status 200) of WARC files, pointing at them as `warc_file`."""
    base = Path(db).resolve().parent
    for file in files:
        path = Path(file).resolve()
        try:
            stored = path.relative_to(base).as_posix()
        except ValueError:
            stored = str(path)
        for offset, length, response in iter_responses(path):
            content_type = (response.content_type or "").lower()
            if response.status != 200 or not content_type.startswith(_HTML_TYPES):
                continue
            profile = profile_for_url(response.url)
            site = profile.name if profile else site_host(response.url)
            yield ArchivedPage(response.url, site, stored, offset, length, False, response.date)


class ArchiveSpider(NewsSpider):
    """Reads pages from the archive instead of the web (see the module docstring)."""

    name = "reextract"
    custom_settings = {
        "ROBOTSTXT_OBEY": False,  # nothing is fetched
        "NEWSCRAWL_WARC_DIR": "",  # nothing new to archive
        "NEWSCRAWL_INCREMENTAL": False,  # no conditional requests: nothing is fetched
        "NEWSCRAWL_REDIS_URL": "",  # one process reads the archive: no shared queue
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "CONCURRENT_REQUESTS": 8,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    }

    def __init__(self, pages: Iterable[ArchivedPage] = (), *args: Any, **kwargs: Any) -> None:
        run_name = kwargs.pop("name", None)  # the run is recorded under the archive's spider
        super().__init__(*args, **kwargs)
        if run_name:
            self.name = run_name
        self.pages = pages
        self.profiles = load_profiles()
        self._site: str | None = None
        self.read = 0

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for page in self.pages:
            self.read += 1
            meta = {"warc_source": page.source, "site": page.site, "known": page.known_article,
                    "record_fetch": not page.known_article, "dont_incremental": True}  # fmt: skip
            if page.date:
                meta["warc_date"] = page.date
            yield scrapy.Request(
                page.url,
                callback=self.parse_archived,
                errback=self.report_failure,
                meta=meta,
                dont_filter=True,
            )

    def parse_archived(self, response: Response) -> Iterator[Any]:
        """One archived page: its items, extracted now (the spider's profile set for it)."""
        site = response.meta.get("site")
        self.profile = self.profiles.get(site) if site else None
        if self.profile is None:
            self.profile = profile_for_url(response.url)
        self._site = site
        try:
            # Eagerly: the profile is the spider's, and other pages come next.
            items = list(self.page_items(response, force=response.meta.get("known", False)))
        finally:
            self.profile = None
            self._site = None
        self.crawler.stats.inc_value("newscrawl/reextract/pages")
        yield from items

    @property
    def site_name(self) -> str | None:
        return self._site or (self.profile.name if self.profile else None)

    def page_follow_ups(self, response: Response, result: Any) -> Iterator[Any]:
        """Nothing is followed offline (comment pages and APIs are not re-read)."""
        return iter(())


def run_archive_crawl(
    pages: Iterable[ArchivedPage], db: str | Path, name: str, settings: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Run `ArchiveSpider` over `pages` into database `db`; returns the crawl's stats."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    project = Settings()
    project.setmodule("newscrawl.settings", priority="project")
    project.set("NEWSCRAWL_DB", str(db), priority="cmdline")
    for key, value in (settings or {}).items():
        project.set(key, value, priority="cmdline")
    process = CrawlerProcess(project)
    crawler = process.create_crawler(ArchiveSpider)
    process.crawl(crawler, pages=pages, name=name)
    process.start()
    return crawler.stats.get_stats()
