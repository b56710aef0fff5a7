"""Finding a profiled site's articles: feeds, sitemaps, listing pages, the WordPress REST API.

The parsers at the top are pure functions over bytes (tested without Scrapy); `DiscoverySpider`
only turns their entries into requests. Each entry may carry a publication date (to honour
``-a since=`` before downloading anything) and a ``lastmod`` (sitemaps, REST ``modified_gmt``),
which the incremental middleware compares with the stored one to skip unchanged articles.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import scrapy
from lxml import etree
from parsel import Selector
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip

from ..dates import parse_datetime
from ..incremental import revisit_requests
from ..urls import join_url
from .base import NewsSpider

logger = logging.getLogger(__name__)

_NEXT_LINK = (
    "//link[@rel='next']/@href"
    " | //a[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
)


@dataclass(frozen=True)
class Entry:
    """One URL found by discovery, with what the source says about its dates."""

    url: str
    published: str | None = None
    lastmod: str | None = None


class DiscoveryError(ValueError):
    """A feed, sitemap or API answer that cannot be read."""


def feed_entries(body: bytes | str, base_url: str) -> list[Entry]:
    """Entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, links resolved against `base_url`."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    try:
        selector = Selector(text=text, type="xml")
    except (ValueError, etree.XMLSyntaxError) as exc:
        raise DiscoveryError(f"unreadable feed: {exc}") from None
    selector.remove_namespaces()
    entries = []
    for node in selector.xpath("//item"):
        link = (
            node.xpath("link/text()").get() or node.xpath("guid[@isPermaLink='true']/text()").get()
        )
        url = join_url(base_url, link) if link and link.strip() else None
        if url:
            published = node.xpath("pubDate/text() | date/text()").get()
            entries.append(Entry(url, _clean(published)))
    for node in selector.xpath("//entry"):
        link = node.xpath("link[not(@rel) or @rel='alternate']/@href").get()
        url = join_url(base_url, link) if link and link.strip() else None
        if url:
            published = node.xpath("published/text()").get() or node.xpath("updated/text()").get()
            updated = node.xpath("updated/text()").get()
            entries.append(Entry(url, _clean(published), _clean(updated)))
    return entries


def sitemap_entries(body: bytes, max_size: int = 0) -> tuple[str, list[Entry]]:
    """``("sitemapindex" | "urlset", entries)`` of a sitemap, gzipped or not.

    Reads ``lastmod`` and, in Google News sitemaps, ``news:publication_date``.
    """
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=max_size)
        except (OSError, ValueError) as exc:
            raise DiscoveryError(f"unreadable gzipped sitemap: {exc}") from None
    parser = etree.XMLParser(
        recover=True, remove_comments=True, resolve_entities=False, no_network=True
    )
    try:
        root = etree.fromstring(body.strip(), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"unreadable sitemap: {exc}") from None
    if root is None:
        raise DiscoveryError("empty sitemap")
    kind = etree.QName(root).localname
    if kind not in ("sitemapindex", "urlset"):
        raise DiscoveryError(f"not a sitemap (root element {kind!r})")
    entries = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        loc = _clean(node.xpath("string(*[local-name()='loc'])"))
        if not loc:
            continue
        lastmod = _clean(node.xpath("string(*[local-name()='lastmod'])"))
        published = _clean(
            node.xpath("string(*[local-name()='news']/*[local-name()='publication_date'])")
        )
        entries.append(Entry(loc, published, lastmod))
    return kind, entries


FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


def feed_links(html: bytes | str, base_url: str) -> list[str]:
    """RSS/Atom feeds a page announces (``<link rel="alternate" type="application/rss+xml">``),
    site feeds first; comment feeds (WordPress's "Comments Feed", per-post ``/feed/`` of
    comments) are left out: they list comments, not articles."""
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    selector = Selector(text=text or "<html/>")
    found = []
    for link in selector.xpath("//link[@href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").lower().split(";")[0].strip()
        title = (link.attrib.get("title") or "").lower()
        href = link.attrib["href"].strip()
        if "alternate" not in rel or kind not in FEED_TYPES or not href:
            continue
        if "comment" in title or "/comments/" in href:
            continue
        if joined := join_url(base_url, href):
            found.append(joined)
    return list(dict.fromkeys(found))


def robots_sitemaps(text: str, base_url: str) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt (read with Protego, Scrapy's robots parser)."""
    from protego import Protego

    try:
        parsed = Protego.parse(text)
    except Exception:  # a robots.txt Protego cannot read declares nothing usable
        return []
    joined = (join_url(base_url, url) for url in parsed.sitemaps)
    return list(dict.fromkeys(url for url in joined if url))


def newest_first(entries: list[Entry]) -> list[Entry]:
    """Entries by publication (else modification) date, newest first, undated ones last in
    their own order: a bounded crawl spends its pages on the latest articles."""
    dated = [
        (parse_datetime(e.published) or parse_datetime(e.lastmod), i, e)
        for i, e in enumerate(entries)
    ]
    with_date = sorted((x for x in dated if x[0]), key=lambda x: (x[0], -x[1]), reverse=True)
    return [e for _, _, e in with_date] + [e for when, _, e in dated if when is None]


def wp_posts_entries(body: bytes | str) -> list[Entry]:
    """Posts of a WordPress REST ``/wp/v2/posts`` answer (``link``, ``date_gmt``, ``modified_gmt``)."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise DiscoveryError(f"unreadable WordPress posts answer: {exc}") from None
    if not isinstance(data, list):
        raise DiscoveryError("WordPress posts answer is not a list")
    entries = []
    for post in data:
        if not isinstance(post, dict) or not isinstance(post.get("link"), str):
            continue
        entries.append(
            Entry(post["link"], _gmt(post.get("date_gmt")), _gmt(post.get("modified_gmt")))
        )
    return entries


def wp_posts_url(endpoint: str, page: int, after: str | None = None) -> str:
    """The REST URL for one page of 100 posts, newest first, only the fields discovery needs."""
    query = {"per_page": 100, "page": page, "orderby": "date", "order": "desc",
             "_fields": "link,date_gmt,modified_gmt"}  # fmt: skip
    if after:
        query["after"] = after
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _gmt(value: Any) -> str | None:
    """WordPress ``*_gmt`` fields are UTC without an offset: say so."""
    return f"{value}+00:00" if isinstance(value, str) and value.strip() else None


class DiscoverySpider(NewsSpider):
    """Starts from a profile's feeds, sitemaps, WordPress posts listing and start pages, and
    asks the store for known articles that are due again (see newscrawl.incremental).

    Listing pages follow their pagination up to ``[discovery] max_pages`` and, when
    ``listing_url_pattern`` is set, other listing pages up to ``listing_depth`` hops.
    """

    async def start(self) -> AsyncIterator[scrapy.Request]:
        profile = self.profile
        if profile is None:
            raise ValueError(f"{type(self).__name__} needs a site profile")
        for url in profile.feeds:
            yield scrapy.Request(url, callback=self.parse_feed, meta={"discovery": True})
        for url in profile.sitemaps:
            yield scrapy.Request(url, callback=self.parse_sitemap, meta={"discovery": True})
        if profile.discovery.wp_posts:
            yield self.wp_posts_request(1)
        for url in profile.start_urls:
            yield scrapy.Request(url, callback=self.parse_listing, meta={"listing_depth": 0})
        for request in revisit_requests(self, self.parse_article):
            yield request

    # --- entries → requests -------------------------------------------------------------

    def entry_request(self, entry: Entry, source: str) -> scrapy.Request | None:
        """A request for a discovered article URL, or None (other site, not an article, too old)."""
        url = self.request_url(entry.url)
        if not url or not self.wants(url):
            return None
        if not self.is_article_url(url):  # a sitemap of tags or pages, a feed's odd entry
            self.crawler.stats.inc_value("newscrawl/discovery/not_article_url")
            return None
        if self.since:
            when = parse_datetime(entry.published) or parse_datetime(entry.lastmod)
            if when and when.date() < self.since:
                self.crawler.stats.inc_value("newscrawl/discovery/before_since")
                return None
        self.crawler.stats.inc_value(f"newscrawl/discovery/{source}")
        meta = {"lastmod": entry.lastmod} if entry.lastmod else {}
        return scrapy.Request(url, callback=self.parse_article, meta=meta)

    def _unreadable(self, kind: str, response: Response, exc: Exception) -> None:
        self.crawler.stats.inc_value(f"newscrawl/{kind}/unreadable")
        logger.warning("Unreadable %s %s: %s", kind[:-1], response.url, exc)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """RSS 2.0 / RSS 1.0 / Atom: one request per entry."""
        if self.probe_missing(response):
            return
        try:
            entries = feed_entries(response.body, response.url)
        except DiscoveryError as exc:
            self._unreadable("feeds", response, exc)
            return
        self.crawler.stats.inc_value("newscrawl/feeds/entries", len(entries))
        response.meta["discovery_kind"] = "feed"  # parsed: its validators may be kept
        for entry in entries:
            if request := self.entry_request(entry, "feed"):
                yield request

    def probe_missing(self, response: Response) -> bool:
        """True (quietly counted) for a guessed feed or sitemap URL the site does not have."""
        if response.meta.get("probe") and response.status != 200:
            self.crawler.stats.inc_value("newscrawl/discovery/probe_missing")
            logger.debug(
                "No %s at %s (HTTP %d)", response.meta["probe"], response.url, response.status
            )
            return True
        return False

    def wants_more(self) -> bool:
        """Whether discovery should still ask for more sitemaps (a bounded crawl stops)."""
        return True

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Sitemap index → child sitemaps; urlset (plain or Google News) → article requests,
        newest first."""
        if self.probe_missing(response):
            return
        max_size = self.crawler.settings.getint("DOWNLOAD_MAXSIZE", 0)
        try:
            kind, entries = sitemap_entries(response.body, max_size)
        except DiscoveryError as exc:
            self._unreadable("sitemaps", response, exc)
            return
        response.meta["discovery_kind"] = kind  # parsed: its validators may be kept
        for entry in newest_first(entries):
            if kind == "sitemapindex":
                if not self.wants_more():
                    break
                url = self.request_url(self.page_join(response, entry.url))
                if not url:
                    continue
                if (
                    self.since
                    and (when := parse_datetime(entry.lastmod))
                    and when.date() < self.since
                ):
                    continue  # nothing in it changed since: no article published since either
                yield scrapy.Request(url, callback=self.parse_sitemap, meta={"discovery": True})
            else:
                self.crawler.stats.inc_value("newscrawl/sitemaps/urls")
                if request := self.entry_request(entry, "sitemap"):
                    yield request

    def wp_posts_request(self, page: int) -> scrapy.Request:
        endpoint = self.profile.discovery.wp_posts
        after = f"{self.since.isoformat()}T00:00:00" if self.since else None
        return scrapy.Request(
            wp_posts_url(endpoint, page, after),
            callback=self.parse_wp_posts,
            meta={"wp_page": page},
        )

    def parse_wp_posts(self, response: Response) -> Iterator[scrapy.Request]:
        """One page of the WordPress REST posts listing; the next one while the API has more."""
        try:
            entries = wp_posts_entries(response.body)
        except DiscoveryError as exc:
            self._unreadable("wp_posts", response, exc)
            return
        for entry in entries:
            if request := self.entry_request(entry, "wp_posts"):
                yield request
        page = response.meta.get("wp_page", 1)
        total = response.headers.get(b"X-WP-TotalPages", b"0").decode("latin-1").strip()
        more = int(total) > page if total.isdigit() else len(entries) >= 100
        if more and page < self.profile.discovery.wp_posts_pages:
            yield self.wp_posts_request(page + 1)

    def parse_listing(self, response: Response) -> Iterator[Any]:
        """A start or listing page: store it if it is an article, follow its article links, its
        next page (up to max_pages) and other listings (up to listing_depth)."""
        if not self.usable_html(response):
            return
        if self.profile.is_article_url(response.url):
            yield from self.page_items(response)
        yield from self.follow_articles(response)
        if not isinstance(response, TextResponse):
            return
        rules = self.profile.discovery
        page = response.meta.get("listing_page", 1)
        depth = response.meta.get("listing_depth", 0)
        if page < rules.max_pages:
            query = rules.next_page
            if query is None:
                next_url = response.xpath(_NEXT_LINK).get()
            elif query.is_xpath:
                next_url = response.xpath(query.query).get()
            else:
                next_url = response.css(query.query).xpath("(@href | .//a/@href)").get()
            if next_url:
                url = self.request_url(self.page_join(response, next_url))
                if url and self.wants(url):
                    self.crawler.stats.inc_value("newscrawl/discovery/listing_pages")
                    yield scrapy.Request(
                        url,
                        callback=self.parse_listing,
                        meta={"listing_page": page + 1, "listing_depth": depth},
                    )
        if rules.listing_url_pattern and depth < rules.listing_depth:
            for url in self.page_links(response):
                if rules.listing_url_pattern.search(url) and not self.is_article_url(url):
                    yield scrapy.Request(
                        url,
                        callback=self.parse_listing,
                        meta={"listing_page": 1, "listing_depth": depth + 1},
                    )
