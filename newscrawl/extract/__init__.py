"""Pure extraction: HTML in, article + related blocks + comments out.

No Scrapy objects here, so the same functions serve the spiders, the `newscrawl extract`
command, the tests and the benchmarks::

    from newscrawl.extract import extract_page
    result = extract_page(html_bytes, "https://example.com/a-story/")
    result.to_dict()  # {"article": {...}, "related": [...], "comments": [...]}
"""

from __future__ import annotations

import copy

from ..profiles import SiteProfile, profile_for_url
from . import page_type
from .article import article_fields, comment_date, is_article
from .body import extract_body
from .comments import extract_comments, marked_comment_areas
from .context import PageContext
from .document import parse_html, remove_counterparts
from .related import extract_related, find_body_elements
from .result import ArticleData, CommentData, LinkData, PageExtraction, RelatedBlock

__all__ = [
    "ArticleData",
    "CommentData",
    "LinkData",
    "PageContext",
    "PageExtraction",
    "RelatedBlock",
    "extract_page",
    "parse_html",
]


def extract_page(
    html: str | bytes,
    url: str,
    profile: SiteProfile | None | bool = None,
    content_type: str | None = None,
    collect: dict | None = None,
) -> PageExtraction:
    """Extract the article, its related-link blocks and its comments from one page.

    `profile`: a SiteProfile, None to pick one by the URL's host, or False for none.
    `collect`, if given, receives what the learned stages saw (for training them).

    The stages run in this order, each on the `PageContext` built once here: comments, then
    related blocks (outside the comments), then the body (on a copy without either), then
    the article's fields and what kind of page it is (`page_type`: an article or not).
    """
    if profile is None:
        profile = profile_for_url(url)
    ctx = PageContext.of(parse_html(html, content_type), url, profile or None, collect)
    comments, comment_elements = extract_comments(ctx)
    comment_elements = comment_elements + marked_comment_areas(ctx.tree)
    related, related_elements = extract_related(ctx, find_body_elements(ctx), comment_elements)

    cleaned = copy.deepcopy(ctx.tree)
    remove_counterparts(cleaned, ctx.tree, comment_elements + related_elements)
    # The fields first: the body's block model reads the title and the declared summary.
    article = article_fields(ctx, None)
    article.body = extract_body(ctx, cleaned, article)
    for comment in comments:
        comment.published = comment_date(ctx, comment.published, article.published)
    kind = page_type.decide(ctx, article, comments, related, is_article(ctx, article))
    return PageExtraction(
        article=article,
        related=related,
        comments=comments,
        is_article=kind == "article",
        page_type=kind,
    )
