"""The base spider: discovery and link following only; extraction is delegated.

Spiders here never parse article content themselves: `newscrawl.extract.extract_page` does,
and `items_from_page` turns its result into Article / RelatedLink / Comment items.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from ..dates import parse_datetime, utc_now
from ..distributed import release_leases
from ..extract import PageExtraction, extract_page
from ..incremental import announce_page
from ..items import Article, Comment, RelatedLink
from ..middlewares import report_failure
from ..mirror import origin
from ..profiles import SiteProfile
from ..urls import canonicalize_url, is_http_url, site_host
from .comments import CommentThreadsMixin

logger = logging.getLogger(__name__)
_LINKS = LinkExtractor(unique=True)


def items_from_page(
    result: PageExtraction, site: str | None, fetched_at: str | None = None
) -> Iterator[Any]:
    """Article first, then its related links, then its comments (the store relies on the order)."""
    data = result.article
    site = site or site_host(data.canonical_url)
    yield Article(
        url=data.url, canonical_url=data.canonical_url, title=data.title, authors=data.authors,
        published=data.published, modified=data.modified, body=data.body, lead=data.lead,
        section=data.section, tags=data.tags, language=data.language, image=data.image,
        site=site, fetched_at=fetched_at or utc_now(),
    )  # fmt: skip
    for block_position, block in enumerate(result.related, start=1):
        for link in block.links:
            yield RelatedLink(
                article_url=data.canonical_url, url=link.url, block_label=block.label, block_kind=block.kind,
                block_position=block_position, position=link.position, text=link.text, teaser=link.teaser,
                site=site,
            )  # fmt: skip
    for position, comment in enumerate(result.comments, start=1):
        yield Comment(
            article_url=data.canonical_url, text=comment.text, comment_id=comment.id,
            parent_id=comment.parent_id, author=comment.author, published=comment.published,
            score=comment.score, source="html", position=position, site=site,
        )  # fmt: skip


class NewsSpider(CommentThreadsMixin, scrapy.Spider):
    """Common arguments: ``-a base_url=`` (fetch the profile's site from a mirror, e.g. a
    local copy), ``-a max_articles=N`` (stop after N articles), ``-a since=YYYY-MM-DD``
    (skip articles published before)."""

    profile: SiteProfile | None = None

    def __init__(self, *args: Any, base_url: str | None = None, max_articles: str | int | None = None,
                 since: str | None = None, **kwargs: Any):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.mirrors: dict[str, str] = {}
        if base_url:
            if self.profile is None:
                raise ValueError(
                    "base_url needs a site profile; use NEWSCRAWL_MIRRORS for other spiders"
                )
            self.mirrors = {origin(self.profile.base_url): origin(base_url)}
        self.max_articles = int(max_articles) if max_articles else 0
        self.since = date.fromisoformat(since) if since else None
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
        return extract_page(
            response.body, response.url, self.profile or False, content_type=content_type
        )

    def page_items(self, response: Response, force: bool = False) -> Iterator[Any]:
        """Items of one page, if it is an article (or `force`), within since/max_articles."""
        if not self.usable_html(response):
            return
        result = self.extract(response)
        if not result.is_article and not force:
            self.crawler.stats.inc_value("newscrawl/pages/not_article")
            logger.debug("Not an article: %s", response.url)
            return
        published = parse_datetime(result.article.published)
        if self.since and published and published.date() < self.since:
            self.crawler.stats.inc_value("newscrawl/pages/before_since")
            return
        if self.max_articles and self.articles_seen >= self.max_articles:
            raise CloseSpider("max_articles")
        self.articles_seen += 1
        self.crawler.stats.inc_value("newscrawl/pages/article")
        site = self.profile.name if self.profile else None
        yield from announce_page(self.crawler, response, site, items_from_page(result, site))
        yield from self.follow_comments(response, result)  # comment pages / comment API
        if self.profile and self.profile.related_follow:  # [related_options] follow = true
            for url in dict.fromkeys(
                self.request_url(k.url) for b in result.related for k in b.links
            ):
                if self.is_article_url(url):
                    yield scrapy.Request(url, callback=self.parse_article)

    # --- discovery ----------------------------------------------------------------------

    def page_links(self, response: Response) -> list[str]:
        """Canonical same-site http(s) links of a page (no files, no fragments)."""
        if not isinstance(response, TextResponse):
            return []
        urls = []
        for link in _LINKS.extract_links(response):
            if is_http_url(link.url) and not link.nofollow and self.wants(link.url):
                urls.append(self.request_url(link.url))
        return list(dict.fromkeys(urls))

    def wants(self, url: str) -> bool:
        """Whether a discovered URL belongs to this crawl (overridden per spider)."""
        return self.profile.matches_host(url) if self.profile else False

    def request_url(self, url: str) -> str:
        """Canonicalise, and put the site's own scheme/host on www/non-www variants."""
        url = canonicalize_url(url)
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
        for url in self.page_links(response):
            if self.is_article_url(url):
                yield scrapy.Request(url, callback=self.parse_article)

    @property
    def follows_links(self) -> bool:
        return self.profile.follow_links if self.profile else False

    def is_article_url(self, url: str) -> bool:
        return self.profile.is_article_url(url) if self.profile else self.wants(url)
