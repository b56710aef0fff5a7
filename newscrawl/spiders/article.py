"""`scrapy crawl article -a url=URL`: fetch one page and store what it holds."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from ..arguments import Argument, http_url
from ..profiles import SiteProfile, profile_for_url
from ..urls import site_host
from .base import NewsSpider


class ArticleSpider(NewsSpider):
    """One URL, no link following. The site's profile is used when one matches the host.

    The page is stored even when it does not look like an article: you asked for it.
    """

    name = "article"
    arguments = (
        Argument(
            "url", http_url, "the page to fetch", "https://example.com/news/1/", required=True
        ),
        *NewsSpider.arguments,
    )

    @classmethod
    def profile_for(cls, values: dict[str, Any]) -> SiteProfile | None:
        return profile_for_url(values["url"])

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.url = self.args["url"]
        if self.profile is None:
            self.host = site_host(self.url)  # the site its crawl_runs row names

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(
            self.request_url(self.url), callback=self.parse_article, dont_filter=True
        )

    def parse_article(self, response: Response) -> Iterator[Any]:
        yield from self.page_items(response, force=True)
