"""Pure extraction: HTML in, article + related blocks + comments out.

No Scrapy objects here, so the same functions serve the spiders, the `newscrawl extract`
command, the tests and the benchmarks::

    from newscrawl.extract import extract_page
    result = extract_page(html_bytes, "https://example.com/a-story/")
    result.to_dict()  # {"article": {...}, "related": [...], "comments": [...]}
"""

from __future__ import annotations

import copy
import dataclasses

from ..profiles import SiteProfile, profile_for_url
from ..urls import canonicalize_url
from . import page_type
from .article import article_fields, comment_date, fallback_article, is_article, late_published
from .body import extract_body
from .comments import extract_comments, forum_comments, marked_comment_areas
from .context import PageContext
from .document import decode_document, parse_html, remove_counterparts
from .related import extract_related, find_body_elements
from .result import ArticleData, CommentData, LinkData, PageExtraction, RelatedBlock, StageError
from .stages import Stages

__all__ = [
    "ArticleData",
    "CommentData",
    "LinkData",
    "PageContext",
    "PageExtraction",
    "RelatedBlock",
    "StageError",
    "extract_page",
    "parse_html",
]


def extract_page(
    html: str | bytes,
    url: str,
    profile: SiteProfile | None | bool = None,
    content_type: str | None = None,
    collect: dict | None = None,
    *,
    isolate: bool = True,
) -> PageExtraction:
    """Extract the article, its related-link blocks and its comments from one page.

    `profile`: a SiteProfile, None to pick one by the URL's host, or False for none.
    `collect`, if given, receives what the learned stages saw (for training them).

    The stages run in this order, each on the `PageContext` built once here: comments, then
    related blocks (outside the comments), then the body (on a copy without either), then
    the article's fields and what kind of page it is (`page_type`: an article or not). Each
    runs isolated (`stages`): a stage that raises is logged and listed in the result's
    `errors`, and the others still run; `isolate=False` lets it raise instead.
    """
    if profile is None:
        profile = profile_for_url(url)
    stages = Stages(url, isolate)
    decoded = decode_document(html, content_type) if isinstance(html, bytes) else None
    text = decoded.text if decoded is not None else html
    tree = stages.run("article", lambda: parse_html(text), lambda: None)
    if tree is None:
        article = ArticleData(url=url, canonical_url=canonicalize_url(url) or url)
        return PageExtraction(
            article, is_article=False, page_type="listing", errors=stages.errors, encoding=decoded
        )
    ctx = stages.run(
        "metadata",
        lambda: PageContext.of(tree, url, profile or None, collect),
        lambda: PageContext(tree, url, profile or None, collect=collect),
    )

    def comment_stage():
        found, elements = extract_comments(ctx)
        return found, elements + marked_comment_areas(ctx.tree)

    comments, comment_elements = stages.run("comments", comment_stage, lambda: ([], []))
    related, related_elements = stages.run(
        "related",
        lambda: extract_related(ctx, find_body_elements(ctx), comment_elements),
        lambda: ([], []),
    )
    # The fields first: the body's block model reads the title and the declared summary.
    notes: list[str] = []
    article = stages.run(
        "metadata", lambda: article_fields(ctx, None, notes), lambda: fallback_article(ctx)
    )

    def body_stage() -> str | None:
        cleaned = copy.deepcopy(ctx.tree)
        remove_counterparts(cleaned, ctx.tree, comment_elements + related_elements)
        return extract_body(ctx, cleaned, article)

    article.body = stages.run("article", body_stage, lambda: None)

    def date_comments() -> list[CommentData]:
        for comment in comments:
            comment.published = comment_date(ctx, comment.published, article.published)
        return comments

    comments = stages.run("comments", date_comments, list)

    def decide_type() -> str:
        # The page type is judged on the fixed order's dates and names, as its model learned.
        as_ruled = dataclasses.replace(article, **ctx.rule_answers)
        return page_type.decide(ctx, as_ruled, comments, related, is_article(ctx, as_ruled))

    kind = stages.run("article", decide_type, lambda: "listing")
    if any(e.stage == "article" for e in stages.errors):
        kind = "listing" if kind == "article" else kind
    if kind == "forum":
        # A forum thread: its opening post is the body, the replies its comments.
        thread = stages.run(
            "comments", lambda: forum_comments(ctx, article.body, comments), lambda: None
        )
        if thread is not None:
            article.body, comments = thread
            comments = stages.run("comments", date_comments, list)
    if kind == "article" and article.published is None:
        article.published = stages.run("metadata", lambda: late_published(ctx), lambda: None)
    return PageExtraction(
        article=article,
        related=related,
        comments=comments,
        is_article=kind == "article",
        page_type=kind,
        errors=stages.errors,
        notes=notes,
        encoding=decoded,
    )
