"""Drop items that miss a required field, with a log line and a stats counter."""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from ..items import Article, Comment, RelatedLink

logger = logging.getLogger(__name__)

REQUIRED: dict[type, tuple[str, ...]] = {
    Article: ("canonical_url", "title", "body"),
    RelatedLink: ("article_url", "url", "block_label"),
    Comment: ("article_url", "text"),
}


class ValidatePipeline:
    """An item without its required fields never reaches the database."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        required = REQUIRED.get(type(item))
        if required is None:
            return item
        adapter = ItemAdapter(item)
        missing = [field for field in required if not adapter.get(field)]
        if missing:
            kind = type(item).__name__.lower()
            for field in missing:
                self.stats.inc_value(f"newscrawl/dropped/{kind}/missing_{field}")
            where = adapter.get("canonical_url") or adapter.get("article_url") or "?"
            raise DropItem(f"{kind} from {where} lacks {', '.join(missing)}")
        return item
