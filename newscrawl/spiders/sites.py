"""One spider per site profile, generated from the TOML files at import time.

`scrapy list` shows them by profile name. A malformed profile stops start-up with a
ProfileError naming the file and the key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from ..profiles import SiteProfile, load_profiles
from .base import NewsSpider


class ProfileSpider(NewsSpider):
    """Crawls one profiled site: start pages, feeds and sitemaps, then article links."""

    async def start(self) -> AsyncIterator[scrapy.Request]:
        profile = self.profile
        assert profile is not None
        for url in profile.feeds:
            yield scrapy.Request(url, callback=self.parse_feed, meta={"expects": "xml"})
        for url in profile.sitemaps:
            yield scrapy.Request(url, callback=self.parse_sitemap, meta={"expects": "xml"})
        for url in profile.start_urls:
            yield scrapy.Request(url, callback=self.parse_listing)

    def parse_listing(self, response: Response) -> Iterator[Any]:
        """A start page: store it if it is an article, follow its article links."""
        if not self.usable_html(response):
            return
        if self.profile.is_article_url(response.url):
            yield from self.page_items(response)
        yield from self.follow_articles(response)


def _spider_class(profile: SiteProfile) -> type[ProfileSpider]:
    name = (
        "".join(part.capitalize() for part in profile.name.replace("-", "_").split("_")) + "Spider"
    )
    return type(
        name,
        (ProfileSpider,),
        {
            "name": profile.name,
            "profile": profile,
            "allowed_domains": list(profile.domains),
            "__module__": __name__,
            "__doc__": f"Spider for {profile.title or profile.name} (profile {profile.path.name}).",
        },
    )


for _profile in load_profiles().values():
    _cls = _spider_class(_profile)
    globals()[_cls.__name__] = _cls
del _profile, _cls  # keep each class under one module name only (Scrapy lists module globals)
