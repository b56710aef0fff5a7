"""Drop an item already seen in this run (same article, link or comment identity)."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from ..items import Article, Comment, RelatedLink
from ..store.db import comment_key
from ..urls import url_key


def item_key(item) -> tuple | None:
    """The identity the store deduplicates on, or None for unknown item types."""
    adapter = ItemAdapter(item)
    if isinstance(item, Article):
        return ("article", url_key(adapter["canonical_url"]))
    if isinstance(item, RelatedLink):
        return ("link", url_key(adapter["article_url"]), adapter["block_label"], adapter["url"])
    if isinstance(item, Comment):
        key = comment_key(
            adapter.get("comment_id"),
            adapter.get("author"),
            adapter["text"],
            adapter.get("published"),
        )
        return ("comment", url_key(adapter["article_url"]), key)
    return None


class DeduplicatePipeline:
    """The same article, link or comment arriving twice in one run is passed on once."""

    def __init__(self, stats):
        self.stats = stats
        self.seen: set[tuple] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        key = item_key(item)
        if key is None:
            return item
        if key in self.seen:
            self.stats.inc_value(f"newscrawl/duplicates/{key[0]}")
            raise DropItem(f"duplicate {key[0]} in this run: {key[1]}", log_level="DEBUG")
        self.seen.add(key)
        return item
