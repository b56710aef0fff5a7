"""`scrapy crawl generic -a start_url=URL`: crawl any site with no profile.

Discovery first, as a profiled site: the feeds the start page announces
(``<link rel="alternate">``) and the sitemaps robots.txt names (else ``/sitemap.xml``; indexes
and Google News sitemaps included) list the site's articles, its archive too. Then links,
breadth-first from the start page up to ``-a max_depth`` (default 2); a listing's ``rel=next``
pagination (up to 5 pages) is the same listing and costs no depth. ``-a max_pages`` (default
200; 0: no limit) bounds every page fetched, discovered or linked, newest sitemap entries
first. Runs are incremental like a profiled site's: known articles get conditional requests or
are skipped until due, feeds and sitemaps are asked for conditionally, and due articles are
revisited (kept under the site's host). ``-a discover=false`` follows links only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.http import Response, TextResponse

from ..arguments import Argument, http_url, whole_number, yes_no
from ..incremental import revisit_requests
from ..items import Article
from ..mirror import origin
from ..urls import canonicalize_url, site_host
from .discovery import _NEXT_LINK, DiscoverySpider, Entry, feed_links, robots_sitemaps

LISTING_PAGES = 5  # pages of one listing's rel=next pagination followed at the same depth
_MISSING = [403, 404, 410]  # a guessed sitemap or a robots.txt that is not there


class GenericSpider(DiscoverySpider):
    """Any news site, generic extraction only."""

    name = "generic"
    arguments = (
        Argument("start_url", http_url, "the page to start from", "https://example.com/",
                 required=True),
        Argument("max_depth", whole_number, "links followed this many hops from the start page",
                 "2"),
        Argument("max_pages", whole_number, "at most this many pages (0: no limit)", "200"),
        Argument("discover", yes_no, "read the site's feeds and sitemaps (default true)", "false"),
        *(a for a in DiscoverySpider.arguments if a.name != "base_url"),  # no profile to mirror
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.start_url = canonicalize_url(self.args["start_url"])
        self.host = site_host(self.start_url)
        self.max_depth = 2 if self.args["max_depth"] is None else self.args["max_depth"]
        self.max_pages = 200 if self.args["max_pages"] is None else self.args["max_pages"]
        self.discover = self.args["discover"] is not False
        self.requested: set[str] = {self.start_url}

    @property
    def site_name(self) -> str:
        return self.host

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.discover:
            yield scrapy.Request(
                urljoin(origin(self.start_url), "/robots.txt"),
                callback=self.parse_robots,
                # obeyed like any request: a host skipped for its Crawl-delay is not asked
                meta={"handle_httpstatus_list": _MISSING},
            )
        yield scrapy.Request(
            self.start_url, callback=self.parse_start, meta={"depth_left": self.max_depth}
        )
        for request in revisit_requests(self, self.parse_article):
            if self.take(request.url):
                yield request

    # --- bounds ---------------------------------------------------------------------------

    def take(self, url: str) -> bool:
        """Reserve one page of the budget for `url`; False when known or the budget is spent."""
        if url in self.requested:
            return False
        if self.max_pages and len(self.requested) >= self.max_pages:
            self.crawler.stats.set_value("newscrawl/generic/max_pages_reached", True)
            return False
        self.requested.add(url)
        return True

    def wants_more(self) -> bool:
        return not self.max_pages or len(self.requested) < self.max_pages

    def wants(self, url: str) -> bool:
        return site_host(url) == self.host

    # --- discovery --------------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """robots.txt's ``Sitemap:`` lines; without any, the usual ``/sitemap.xml`` is tried."""
        text = response.text if isinstance(response, TextResponse) else ""
        sitemaps = robots_sitemaps(text, response.url) if response.status == 200 else []
        self.crawler.stats.inc_value("newscrawl/discovery/robots_sitemaps", len(sitemaps))
        meta: dict[str, Any] = {"discovery": True}
        if not sitemaps:
            sitemaps = [urljoin(response.url, "/sitemap.xml")]
            meta = {**meta, "probe": "sitemap", "handle_httpstatus_list": _MISSING}
        for url in sitemaps:
            yield scrapy.Request(self.request_url(url), callback=self.parse_sitemap, meta=meta)

    def parse_start(self, response: Response) -> Iterator[Any]:
        """The start page: the feeds it announces, then what any page gives."""
        if self.discover and isinstance(response, TextResponse):
            for url in feed_links(response.body, response.url):
                self.crawler.stats.inc_value("newscrawl/discovery/feed_links")
                yield scrapy.Request(
                    self.request_url(url), callback=self.parse_feed, meta={"discovery": True}
                )
        yield from self.parse_article(response)

    def entry_request(self, entry: Entry, source: str) -> scrapy.Request | None:
        request = super().entry_request(entry, source)
        if request is None or not self.take(request.url):
            return None
        request.meta["depth_left"] = self.max_depth - 1  # one hop from the site's own lists
        return request

    # --- pages ------------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        items = list(self.page_items(response))
        yield from items
        depth_left = response.meta.get("depth_left", 0)
        if not isinstance(response, TextResponse):
            return
        page = response.meta.get("listing_page", 1)
        is_article = any(isinstance(i, Article) for i in items)
        next_url = None if is_article else response.xpath(_NEXT_LINK).get()
        if next_url and page < LISTING_PAGES:
            url = self.request_url(response.urljoin(next_url.strip()))
            if self.wants(url) and self.take(url):
                self.crawler.stats.inc_value("newscrawl/discovery/listing_pages")
                yield scrapy.Request(
                    url,
                    callback=self.parse_article,
                    meta={"depth_left": depth_left, "listing_page": page + 1},
                )
        if depth_left <= 0:
            return
        for url in self.page_links(response):
            if url in self.requested:
                continue
            if not self.take(url):
                return
            yield scrapy.Request(
                url, callback=self.parse_article, meta={"depth_left": depth_left - 1}
            )
