"""Normalise items: canonical URLs, ISO 8601 dates, collapsed white space, clean lists."""

from __future__ import annotations

import logging
import re

from itemadapter import ItemAdapter

from .. import config
from ..dates import to_iso8601
from ..extract.metadata import dedupe
from ..items import Article, Comment, RelatedLink
from ..urls import canonicalize_url, same_site

logger = logging.getLogger(__name__)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\s*\n\s*\n\s*")


def normalise_text(text: str | None, multiline: bool = False) -> str | None:
    """Collapse runs of spaces; keep paragraph breaks (as one blank line) when `multiline`."""
    if text is None:
        return None
    if multiline:
        paragraphs = [
            _SPACES.sub(" ", p).strip() for p in _BLANK_LINES.split(text.replace("\r", ""))
        ]
        text = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
    else:
        text = " ".join(text.split())
    return text or None


def cap_text(text: str | None, limit: int) -> str | None:
    """`text` cut to at most `limit` characters, at a word boundary when there is one."""
    if text is None or not limit or len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.8 else cut).rstrip()


class NormalizePipeline:
    """Bring every field into the one form the store and the dedup keys expect.

    Titles and leads longer than ``NEWSCRAWL_MAX_TITLE_CHARS`` / ``NEWSCRAWL_MAX_LEAD_CHARS``
    (a page once gave a 1,000,000-character title) are cut, with a warning and a
    ``newscrawl/capped/<field>`` counter.
    """

    def __init__(self, stats=None, limits: dict[str, int] | None = None):
        self.stats = stats
        self.limits = limits if limits is not None else {"title": 1_000, "lead": 5_000}

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        limits = {
            "title": config.get(settings, "NEWSCRAWL_MAX_TITLE_CHARS"),
            "lead": config.get(settings, "NEWSCRAWL_MAX_LEAD_CHARS"),
        }
        return cls(crawler.stats, limits)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        if isinstance(item, Article):
            adapter["canonical_url"] = canonicalize_url(item.canonical_url or item.url)
            for field in ("title", "lead", "section", "language"):
                adapter[field] = normalise_text(adapter.get(field))
            for field, limit in self.limits.items():
                value = adapter.get(field)
                capped = cap_text(value, limit)
                if capped is not value:
                    adapter[field] = capped
                    if self.stats is not None:
                        self.stats.inc_value(f"newscrawl/capped/{field}")
                    logger.warning(
                        "%s: %s of %d characters cut to %d", item.url, field, len(value), limit
                    )
            adapter["body"] = normalise_text(item.body, multiline=True)
            adapter["published"] = to_iso8601(item.published)
            adapter["modified"] = to_iso8601(item.modified)
            adapter["authors"] = dedupe([a for a in (normalise_text(x) for x in item.authors) if a])
            adapter["tags"] = dedupe([t for t in (normalise_text(x) for x in item.tags) if t])
        elif isinstance(item, RelatedLink):
            adapter["article_url"] = canonicalize_url(item.article_url)
            adapter["url"] = canonicalize_url(item.url)
            adapter["block_label"] = normalise_text(item.block_label)
            adapter["text"] = normalise_text(item.text)
            adapter["teaser"] = normalise_text(item.teaser)
            if item.same_site is None:
                adapter["same_site"] = same_site(item.url, item.article_url)
        elif isinstance(item, Comment):
            adapter["article_url"] = canonicalize_url(item.article_url)
            adapter["text"] = normalise_text(item.text, multiline=True)
            adapter["author"] = normalise_text(item.author)
            adapter["published"] = to_iso8601(item.published)
        return item
