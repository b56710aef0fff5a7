"""`scrapy crawl generic -a start_url=URL`: crawl any site with no profile.

Follows same-site links breadth-first up to ``-a max_depth`` (default 2) and
``-a max_pages`` (default 200), and stores the pages the extractor recognises as articles.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from ..arguments import Argument, http_url, whole_number
from ..urls import canonicalize_url, site_host
from .base import NewsSpider


class GenericSpider(NewsSpider):
    """Any news site, generic extraction only."""

    name = "generic"
    arguments = (
        Argument("start_url", http_url, "the page to start from", "https://example.com/",
                 required=True),
        Argument("max_depth", whole_number, "links followed this many hops from the start page",
                 "2"),
        Argument("max_pages", whole_number, "at most this many pages (0: no limit)", "200"),
        *(a for a in NewsSpider.arguments if a.name != "base_url"),  # no profile to mirror
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.start_url = canonicalize_url(self.args["start_url"])
        self.host = site_host(self.start_url)
        self.max_depth = 2 if self.args["max_depth"] is None else self.args["max_depth"]
        self.max_pages = 200 if self.args["max_pages"] is None else self.args["max_pages"]
        self.requested: set[str] = {self.start_url}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(
            self.start_url, callback=self.parse_article, meta={"depth_left": self.max_depth}
        )

    def wants(self, url: str) -> bool:
        return site_host(url) == self.host

    def parse_article(self, response: Response) -> Iterator[Any]:
        yield from self.page_items(response)
        depth_left = response.meta.get("depth_left", 0)
        if depth_left <= 0:
            return
        for url in self.page_links(response):
            if url in self.requested:
                continue
            if self.max_pages and len(self.requested) >= self.max_pages:
                self.crawler.stats.set_value("newscrawl/generic/max_pages_reached", True)
                return
            self.requested.add(url)
            yield scrapy.Request(
                url, callback=self.parse_article, meta={"depth_left": depth_left - 1}
            )
