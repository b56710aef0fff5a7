"""`scrapy crawl article -a url=URL`: fetch one page and store what it holds."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from ..profiles import profile_for_url
from .base import NewsSpider


class ArticleSpider(NewsSpider):
    """One URL, no link following. The site's profile is used when one matches the host.

    The page is stored even when it does not look like an article: you asked for it.
    """

    name = "article"

    def __init__(self, url: str | None = None, *args: Any, **kwargs: Any):
        if not url:
            raise ValueError("usage: scrapy crawl article -a url=URL")
        self.profile = profile_for_url(url)
        super().__init__(*args, **kwargs)
        self.url = url

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(
            self.request_url(self.url), callback=self.parse_article, dont_filter=True
        )

    def parse_article(self, response: Response) -> Iterator[Any]:
        yield from self.page_items(response, force=True)
