"""Downloader middlewares: archive every response, or answer a request from the archive.

`WarcArchiveMiddleware` sits just above Scrapy's redirect middleware (650 > 600), so it sees
every answer as it came off the wire: redirects, 4xx/5xx, 429s before their retry, 304s,
robots.txt, feeds, sitemaps, comment APIs, with the body still content-encoded as sent. It
writes the exchange before the response goes on to the spider, so a page's items, and the
pointer the store keeps (`response.meta["warc"]`), always come after its bytes are in the
file. Settings: ``NEWSCRAWL_WARC_DIR`` (default: ``warc/`` beside ``NEWSCRAWL_DB``; empty:
off) and ``NEWSCRAWL_WARC_MAX_SIZE`` (bytes per file before a new one is started).

`ArchivedResponseMiddleware` serves requests that carry ``meta["warc_source"]`` (a pointer)
from the archive without touching the network: `newscrawl reextract` and `import-warc`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes

from .. import __version__, config
from ..urls import site_host
from .reader import WarcReadError, read_response, resolve_warc_path
from .writer import WarcArchive

logger = logging.getLogger(__name__)
ARCHIVE_ATTR = "_newscrawl_warc_archive"
ARCHIVED_FLAG = "archived"  # response flag: read from the archive, not downloaded


def warc_dir(settings: Any) -> Path | None:
    """The archive folder from the settings, or None when archiving is off (empty value)."""
    value = config.get(settings, "NEWSCRAWL_WARC_DIR")
    if value is None:
        if stores_through_redis(settings):
            return Path("warc").resolve()  # a worker has no database folder: its own
        db = config.get(settings, "NEWSCRAWL_DB")
        return Path(db).parent / "warc"
    return Path(value) if str(value).strip() else None


def stores_through_redis(settings: Any) -> bool:
    """A worker that sends its pages to the Redis writer: the database is on another machine,
    so its archive's pointers are absolute paths on this one (`crawl_runs.origin` names it)."""
    return bool(
        config.get(settings, "NEWSCRAWL_REDIS_STORE")
        and config.get(settings, "NEWSCRAWL_REDIS_URL")
    )


def crawler_archive(crawler: Any) -> WarcArchive | None:
    """The crawl's archive, if archiving is on (the store syncs it before each commit)."""
    return getattr(crawler, ARCHIVE_ATTR, None)


class WarcArchiveMiddleware:
    """Write each response (and its request) as WARC records; see the module docstring."""

    def __init__(self, crawler: Any, root: Path) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        db = config.get(crawler.settings, "NEWSCRAWL_DB")
        self.archive = WarcArchive(
            root,
            relative_to=None
            if stores_through_redis(crawler.settings)
            else Path(db).resolve().parent,
            max_size=config.get(crawler.settings, "NEWSCRAWL_WARC_MAX_SIZE"),
            info={
                "software": f"newscrawl/{__version__} (Scrapy, warcio)",
                "format": "WARC File Format 1.0",
                "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
                "robots": "obey" if crawler.settings.getbool("ROBOTSTXT_OBEY") else "ignore",
                "http-header-user-agent": crawler.settings.get("USER_AGENT") or "",
            },
        )
        self.failed = False
        setattr(crawler, ARCHIVE_ATTR, self.archive)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcArchiveMiddleware:
        if os.environ.get("SCRAPY_CHECK"):
            raise NotConfigured("scrapy check: contracts archive nothing")
        root = warc_dir(crawler.settings)
        if root is None:
            raise NotConfigured("NEWSCRAWL_WARC_DIR is empty: no WARC archive")
        return cls(crawler, root)

    def site(self, url: str) -> str:
        """The archive folder of a URL: the crawl's profile for its own hosts, else the host."""
        profile = getattr(self.crawler.spider, "profile", None)
        if profile is not None and profile.matches_host(url):
            return profile.name
        return site_host(url) or "other"

    def process_response(self, request: Request, response: Response, spider: Any = None):
        if ARCHIVED_FLAG in response.flags or "cached" in response.flags:
            return response
        try:
            pointer = self.archive.write(self.site(response.url), request, response)
        except OSError as exc:
            self.stats.inc_value("newscrawl/warc/write_errors")
            if not self.failed:
                self.failed = True
                logger.error("Cannot write the WARC archive (%s): responses go unarchived", exc)
            return response
        request.meta["warc"] = pointer.as_meta()
        self.stats.inc_value("newscrawl/warc/responses")
        self.stats.set_value("newscrawl/warc/bytes", self.archive.bytes_written)
        return response

    def engine_stopped(self) -> None:
        self.archive.close()


class ArchivedResponseMiddleware:
    """Answer requests carrying ``meta["warc_source"]`` from the WARC archive (offline)."""

    def __init__(self, crawler: Any) -> None:
        self.db = config.get(crawler.settings, "NEWSCRAWL_DB")
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivedResponseMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> Response | None:
        source = request.meta.get("warc_source")
        if not source:
            return None
        path = resolve_warc_path(source["warc_file"], self.db)
        try:
            archived = read_response(path, source["warc_offset"], source["warc_length"])
        except WarcReadError as exc:
            self.stats.inc_value("newscrawl/warc/unreadable")
            raise IgnoreRequest(f"archived response unreadable: {exc}") from None
        headers = Headers()
        for name, value in archived.headers:
            headers.appendlist(name, value)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=archived.body)
        request.meta["warc"] = dict(source)
        request.meta.setdefault("warc_date", archived.date)
        self.stats.inc_value("newscrawl/warc/read")
        return cls(
            url=request.url,
            status=archived.status,
            headers=headers,
            body=archived.body,
            request=request,
            flags=[ARCHIVED_FLAG],
        )
