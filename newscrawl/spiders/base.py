"""The base spider: discovery and link following only; extraction is delegated.

Spiders here never parse article content themselves: `newscrawl.extract.extract_page` does,
and `items_from_page` turns its result into Article / RelatedLink / Comment items.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from .. import config
from ..arguments import Argument, ArgumentError, http_url, iso_date, parse_arguments, whole_number
from ..dates import parse_datetime, utc_now
from ..distributed import release_leases
from ..extract import ArticleData, PageExtraction, StageError, extract_page
from ..incremental import announce_page
from ..items import Article, Comment, CommentThread, PageFailure, RelatedLink
from ..middlewares import report_failure
from ..mirror import origin
from ..profiles import SiteProfile
from ..urls import canonicalize_url, is_http_url, site_host, split_url
from ..versioning import extractor_version
from .comments import CommentThreadsMixin

logger = logging.getLogger(__name__)
_LINKS = LinkExtractor(unique=True)


def items_from_page(
    result: PageExtraction,
    site: str | None,
    fetched_at: str | None = None,
    *,
    source: dict[str, Any] | None = None,
    max_links: int = 0,
    stats: Any = None,
) -> Iterator[Any]:
    """Article first, then its related links, then its comments (the store relies on the order).

    `source`: the page's WARC pointer (``warc_file``, ``warc_offset``, ``warc_length``), kept
    with the article version. `max_links`: at most this many related links (0: all), the rest
    counted as ``newscrawl/capped/related_links``.
    """
    data = result.article
    site = site or site_host(data.canonical_url)
    source = source or {}
    yield Article(
        url=data.url, canonical_url=data.canonical_url, title=data.title, authors=data.authors,
        published=data.published, modified=data.modified, body=data.body, lead=data.lead,
        section=data.section, tags=data.tags, language=data.language, image=data.image,
        site=site, fetched_at=fetched_at or utc_now(), warc_file=source.get("warc_file"),
        warc_offset=source.get("warc_offset"), warc_length=source.get("warc_length"),
        extractor_version=extractor_version(),
    )  # fmt: skip
    count = 0
    for block_position, block in enumerate(result.related, start=1):
        for link in block.links:
            count += 1
            if max_links and count > max_links:
                continue
            yield RelatedLink(
                article_url=data.canonical_url, url=link.url, block_label=block.label, block_kind=block.kind,
                block_position=block_position, position=link.position, text=link.text, teaser=link.teaser,
                site=site,
            )  # fmt: skip
    if max_links and count > max_links:
        _capped(stats, "related_links", data.url, count, max_links)
    for position, comment in enumerate(result.comments, start=1):
        yield Comment(
            article_url=data.canonical_url, text=comment.text, comment_id=comment.id,
            parent_id=comment.parent_id, author=comment.author, published=comment.published,
            score=comment.score, source="html", position=position, site=site,
        )  # fmt: skip
    if result.errors:
        yield failure_item(result, site, source, stored=True)


def failure_item(
    result: PageExtraction, site: str | None, source: dict[str, Any] | None, stored: bool
) -> PageFailure:
    """The `page_failures` row of a page on which some extraction stage failed."""
    source = source or {}
    return PageFailure(
        url=result.article.url,
        stages=",".join(dict.fromkeys(e.stage for e in result.errors)),
        error="; ".join(str(e) for e in result.errors)[:2000],
        extractor_version=extractor_version(),
        article_url=result.article.canonical_url if stored else None,
        site=site or site_host(result.article.url) or None,
        warc_file=source.get("warc_file"),
        warc_offset=source.get("warc_offset"),
        warc_length=source.get("warc_length"),
        failed_at=utc_now(),
    )


def _capped(stats: Any, what: str, url: str, count: int, limit: int) -> None:
    if stats is not None:
        stats.inc_value(f"newscrawl/capped/{what}")
    logger.warning("%s: %d %s, kept the first %d", url, count, what.replace("_", " "), limit)


class NewsSpider(CommentThreadsMixin, scrapy.Spider):
    """Common arguments: ``-a base_url=`` (fetch the profile's site from a mirror, e.g. a
    local copy), ``-a max_articles=N`` (stop after N articles), ``-a since=YYYY-MM-DD``
    (skip articles published before). Unknown or malformed arguments are refused
    (`newscrawl.arguments`)."""

    profile: SiteProfile | None = None
    arguments: ClassVar[tuple[Argument, ...]] = (
        Argument("base_url", http_url, "fetch the profile's site from this copy of it",
                 "http://127.0.0.1:8000"),
        Argument("max_articles", whole_number, "stop after this many articles (0: no limit)", "50"),
        Argument("since", iso_date, "skip articles published before this day", "2025-01-01"),
    )  # fmt: skip

    @classmethod
    def check_arguments(cls, given: dict[str, Any]) -> dict[str, Any]:
        """The ``-a`` arguments converted, or an ArgumentError (one line) on the first problem."""
        values = parse_arguments(cls.name, cls.arguments, given)
        if values.get("base_url") and cls.profile_for(values) is None:
            raise ArgumentError(
                f"-a base_url needs a site profile, and spider {cls.name} has none here;"
                ' use -s NEWSCRAWL_MIRRORS=\'{"https://site": "http://127.0.0.1:PORT"}\' instead'
            )
        return values

    @classmethod
    def profile_for(cls, values: dict[str, Any]) -> SiteProfile | None:
        """The profile this crawl uses, from the class or (article spider) the arguments."""
        return cls.profile

    def __init__(self, *args: Any, **kwargs: Any):
        self.args = self.check_arguments(kwargs)
        # Only scheduler-added arguments (scrapyd's _job) become attributes, as Scrapy does.
        super().__init__(*args, **{k: v for k, v in kwargs.items() if k.startswith("_")})
        if self.profile is None:
            self.profile = self.profile_for(self.args)
        self.mirrors: dict[str, str] = {}
        if self.args.get("base_url"):
            self.mirrors = {origin(self.profile.base_url): origin(self.args["base_url"])}
        self.max_articles = self.args.get("max_articles") or 0
        self.since: date | None = self.args.get("since")
        self.articles_seen = 0

    # --- responses ----------------------------------------------------------------------

    def report_failure(self, failure) -> None:
        """Errback of every request (see FailureReportMiddleware): log and count why it failed."""
        report_failure(self.crawler.stats, failure)
        release_leases(self.crawler, [failure.request.meta.get("lease")])  # done with it

    def usable_html(self, response: Response) -> bool:
        """False (with a log line and a counter) for binary, empty or non-HTML bodies."""
        problem = None
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        head = response.body[:512].lstrip().lower()
        if not isinstance(response, TextResponse):
            problem = "binary"
        elif not response.body.strip():
            problem = "empty"
        elif b"\x00" in response.body[:4096]:
            problem = "binary"
        elif (
            "xhtml" not in content_type
            and any(t in content_type for t in ("xml", "json", "text/plain", "javascript", "css"))
        ) or (head.startswith(b"<?xml") and b"<html" not in response.body[:2048].lower()):
            problem = "not_html"  # a feed, sitemap or API answer reached as a page link
        if problem:
            self.crawler.stats.inc_value(f"newscrawl/skipped/{problem}_body")
            content_type = response.headers.get(b"Content-Type", b"?").decode("latin-1")
            logger.warning(
                "Skipping %s: %s body (Content-Type %s)", response.url, problem, content_type
            )
            return False
        return True

    def extract(self, response: TextResponse) -> PageExtraction:
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        result = extract_page(
            response.body,
            response.url,
            self.profile_on(response) or False,
            content_type=content_type,
        )
        stats = self.crawler.stats
        for error in result.errors:  # each already logged by extract_page
            stats.inc_value(f"newscrawl/extract_errors/{error.stage}")
        for note in result.notes:
            stats.inc_value(f"newscrawl/{note}")
        if result.notes:
            logger.info("%s: %s", response.url, ", ".join(result.notes))
        decoded = result.encoding
        if decoded is not None and decoded.header_mismatch:
            stats.inc_value("newscrawl/encoding/header_mismatch")
            logger.info(
                "%s: the HTTP header says charset %s, the bytes are %s (%s)",
                response.url, decoded.header, decoded.encoding, decoded.source,
            )  # fmt: skip
        if decoded is not None and decoded.source == "detected":
            stats.inc_value("newscrawl/encoding/detected")
        return result

    def page_source(self, response: Response) -> dict[str, Any] | None:
        """The WARC pointer of the response (set by the archive middleware), if archived."""
        return response.meta.get("warc")

    def page_time(self, response: Response) -> str | None:
        """When the page was fetched: now, or the archived record's date (reextract)."""
        return response.meta.get("warc_date")

    def profile_on(self, response: Response) -> SiteProfile | None:
        """The profile with the site design valid on the day `response` was fetched (today,
        or ``meta["fetched_on"]`` for a saved page), as fundus picks a parser version."""
        if self.profile is None:
            return None
        return self.profile.at(response.meta.get("fetched_on"))

    @property
    def site_name(self) -> str | None:
        """The ``sites.name`` this spider's articles are stored under (None: each article's
        host), which the store's revisit queue is kept by."""
        return self.profile.name if self.profile else None

    def page_items(self, response: Response, force: bool = False) -> Iterator[Any]:
        """Items of one page, if it is an article (or `force`), within since/max_articles.

        Never raises on a page: a failing extraction stage is counted and the rest kept; when
        the article itself cannot be extracted the page goes to `page_failures` instead.
        """
        try:
            yield from self._page_items(response, force)
        except CloseSpider:
            raise
        except Exception as exc:  # noqa: BLE001 (a bug past extraction still loses no page)
            self.crawler.stats.inc_value("newscrawl/extract_errors/page")
            logger.warning("Processing %s failed (%s: %s)", response.url, type(exc).__name__, exc)
            result = PageExtraction(
                ArticleData(url=response.url, canonical_url=response.url),
                errors=[StageError("article", type(exc).__name__, str(exc)[:500])],
            )
            yield failure_item(result, self.site_name, self.page_source(response), False)

    def _page_items(self, response: Response, force: bool) -> Iterator[Any]:
        if not self.usable_html(response):
            return
        result = self.extract(response)
        site = self.site_name
        source = self.page_source(response)
        if result.article_failed or any(e.stage == "metadata" for e in result.errors):
            # Without its body or metadata the article is not stored (a half-read copy would
            # overwrite a good one); the page is kept in page_failures to be read again.
            self.crawler.stats.inc_value("newscrawl/pages/failed")
            yield failure_item(result, site, source, stored=False)
            return
        if not result.is_article and not force:
            # listing, forum, product, service, documentation, collection (page_type.PAGE_TYPES)
            self.crawler.stats.inc_value(f"newscrawl/pages/{result.page_type}")
            logger.debug("Not an article (%s): %s", result.page_type, response.url)
            return
        published = parse_datetime(result.article.published)
        if self.since and published and published.date() < self.since:
            self.crawler.stats.inc_value("newscrawl/pages/before_since")
            return
        if self.max_articles and self.articles_seen >= self.max_articles:
            raise CloseSpider("max_articles")
        self.articles_seen += 1
        self.crawler.stats.inc_value("newscrawl/pages/article")
        items = items_from_page(
            result,
            site,
            self.page_time(response),
            source=source,
            max_links=config.get(self.crawler.settings, "NEWSCRAWL_MAX_RELATED_LINKS"),
            stats=self.crawler.stats,
        )
        yield from announce_page(self.crawler, response, site, items)
        yield from self.page_follow_ups(response, result)

    def page_follow_ups(self, response: Response, result: PageExtraction) -> Iterator[Any]:
        """Requests an article page leads to: the rest of its comments, followed related links."""
        if any(e.stage == "comments" for e in result.errors):
            # A failed comment extraction is no evidence that comments were removed.
            yield CommentThread(
                result.article.canonical_url, False, "html", 1, "comment extraction failed"
            )
        else:
            yield from self.follow_comments(response, result)  # comment pages / comment API
        if self.profile and self.profile.related_follow:  # [related_options] follow = true
            for url in dict.fromkeys(
                self.request_url(k.url) for b in result.related for k in b.links
            ):
                if url and self.is_article_url(url):
                    yield scrapy.Request(url, callback=self.parse_article)

    # --- discovery ----------------------------------------------------------------------

    def page_links(self, response: Response) -> list[str]:
        """Canonical same-site http(s) links of a page (no files, no fragments), at most
        ``NEWSCRAWL_MAX_FOLLOW_LINKS`` of them."""
        if not isinstance(response, TextResponse):
            return []
        urls = []
        try:
            links = _LINKS.extract_links(response)
        except Exception as exc:  # noqa: BLE001 (malformed markup: follow what can be read)
            logger.warning("Links of %s unreadable (%s: %s)", response.url, type(exc).__name__, exc)
            self.crawler.stats.inc_value("newscrawl/extract_errors/links")
            return []
        for link in links:
            if is_http_url(link.url) and not link.nofollow and self.wants(link.url):
                url = self.request_url(link.url)
                if url:
                    urls.append(url)
        urls = list(dict.fromkeys(urls))
        limit = config.get(self.crawler.settings, "NEWSCRAWL_MAX_FOLLOW_LINKS")
        if limit and len(urls) > limit:
            _capped(self.crawler.stats, "follow_links", response.url, len(urls), limit)
            urls = urls[:limit]
        return urls

    def page_join(self, response: Response, href: str) -> str:
        """`href` resolved against the page (its ``<base>`` too), or "" when unparsable."""
        try:
            url = response.urljoin(href.strip())
        except ValueError:
            return ""
        return url if split_url(url) is not None else ""

    def wants(self, url: str) -> bool:
        """Whether a discovered URL belongs to this crawl (overridden per spider)."""
        return self.profile.matches_host(url) if self.profile else False

    def request_url(self, url: str) -> str:
        """Canonicalise, and put the site's own scheme/host on www/non-www variants."""
        url = canonicalize_url(url)
        if not url:  # unparsable: callers skip it
            return ""
        if self.profile and site_host(url) == site_host(self.profile.base_url):
            base = urlsplit(self.profile.base_url)
            url = urlunsplit((base.scheme, base.netloc, *urlsplit(url)[2:]))
        return url

    def parse_article(self, response: Response) -> Iterator[Any]:
        """An article page: its items, then the article links it shows (if following).

        @sample_article
        """
        yield from self.page_items(response)
        if self.follows_links:
            yield from self.follow_articles(response)

    def follow_articles(self, response: Response) -> Iterator[scrapy.Request]:
        """Requests for the article links of a page (followed whatever its extraction did)."""
        for url in self.page_links(response):
            if self.is_article_url(url):
                yield scrapy.Request(url, callback=self.parse_article)

    @property
    def follows_links(self) -> bool:
        return self.profile.follow_links if self.profile else False

    def is_article_url(self, url: str) -> bool:
        return self.profile.is_article_url(url) if self.profile else self.wants(url)
