"""Pipelines on items directly: normalise, validate (drop + counter), in-run dedupe."""

import pytest
from scrapy.exceptions import DropItem
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from newscrawl.items import Article, Comment, RelatedLink
from newscrawl.pipelines import DeduplicatePipeline, NormalizePipeline, ValidatePipeline


@pytest.fixture
def stats():
    return MemoryStatsCollector(get_crawler())


def article(**fields) -> Article:
    base = {"url": "https://Site.fr/a/?utm_source=x", "canonical_url": "HTTPS://WWW.Site.fr/a/?fbclid=1#top",
            "title": "  Un   titre ", "body": "Premier  paragraphe.\n\n\n  Second\tparagraphe. ",
            "published": "27 janvier 2025 à 10 h 12", "authors": ["Anne", "anne", " Paul "]}  # fmt: skip
    return Article(**{**base, **fields})


def test_normalize_article():
    item = NormalizePipeline().process_item(article())
    assert item.canonical_url == "https://www.site.fr/a/"
    assert item.title == "Un titre"
    assert item.body == "Premier paragraphe.\n\nSecond paragraphe."
    assert item.published.startswith("2025-01-27T10:12:00")
    assert item.authors == ["Anne", "Paul"]


def test_normalize_link_and_comment():
    link = NormalizePipeline().process_item(
        RelatedLink(
            article_url="https://www.site.fr/a/",
            url="https://site.fr/b/?utm_medium=email",
            block_label=" Top ",
        )
    )
    assert (link.url, link.block_label, link.same_site) == ("https://site.fr/b/", "Top", True)
    comment = NormalizePipeline().process_item(
        Comment(
            article_url="https://site.fr/a/#comments",
            text=" Bravo  !\n\n\nMerci ",
            published="2025-01-27 14:03",
        )
    )
    assert comment.article_url == "https://site.fr/a/"
    assert comment.text == "Bravo !\n\nMerci"
    assert comment.published.startswith("2025-01-27T14:03:00")


def test_validate_drops_with_counter(stats):
    pipeline = ValidatePipeline(stats)
    assert pipeline.process_item(article()) is not None
    with pytest.raises(DropItem, match="lacks title, body"):
        pipeline.process_item(article(title=None, body=""))
    with pytest.raises(DropItem):
        pipeline.process_item(Comment(article_url="https://site.fr/a/", text=""))
    assert stats.get_value("newscrawl/dropped/article/missing_title") == 1
    assert stats.get_value("newscrawl/dropped/article/missing_body") == 1
    assert stats.get_value("newscrawl/dropped/comment/missing_text") == 1


def test_dedupe_within_a_run(stats):
    pipeline = DeduplicatePipeline(stats)
    normalise = NormalizePipeline().process_item
    pipeline.process_item(normalise(article()))
    with pytest.raises(DropItem):
        pipeline.process_item(normalise(article(canonical_url="http://site.fr/a?utm_campaign=z")))
    comment = Comment(article_url="https://www.site.fr/a/", text="Bravo", author="Léa")
    pipeline.process_item(comment)
    with pytest.raises(DropItem):
        pipeline.process_item(Comment(article_url="https://site.fr/a", text="Bravo", author="Léa"))
    pipeline.process_item(Comment(article_url="https://site.fr/a", text="Bravo", author="Paul"))
    assert stats.get_value("newscrawl/duplicates/article") == 1
    assert stats.get_value("newscrawl/duplicates/comment") == 1
