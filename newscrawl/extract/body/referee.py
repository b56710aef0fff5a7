"""Stages 5 and 6 of the generic body: trafilatura as the referee where the DOM scorer's two
methods disagree, and the page's JSON-LD ``articleBody`` where the markup lost the story."""

from __future__ import annotations

import html
import logging
import re

import lxml.html
from lxml.html import HtmlElement

from ..document import clean_text, paragraphs
from ..thresholds import (
    DAMAGED_FFFD,
    DECLARED_DAMAGED_SHARE,
    DECLARED_GROWTH,
    DECLARED_GROWTH_CHARS,
    DECLARED_SHINGLE_SHARE,
    SCRAP_GROWTH,
    SCRAP_MAX_CHARS,
)
from .lines import trim
from .scorer import shingles

logger = logging.getLogger(__name__)


def trafilatura_body(tree: HtmlElement, url: str) -> str | None:
    """Body by trafilatura (the referee of `generic_body`)."""
    import trafilatura

    try:
        text = trafilatura.extract(
            tree,
            url=url,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
            favor_precision=False,
            with_metadata=False,
            output_format="txt",
        )
    except (ValueError, TypeError, AttributeError) as exc:  # trafilatura fails on exotic trees
        logger.debug("trafilatura failed on %s: %s", url, exc)
        text = None
    if not text:
        return None
    lines = [clean_text(p) for p in text.splitlines()]
    return "\n\n".join(trim([p for p in lines if p])) or None


def prefer_article_body(text: str, article_body: str) -> str:
    """JSON-LD articleBody wins when it holds the extracted text and much more besides, when
    the page yielded only a scrap of what it declares, or when the page's own text came out
    mis-decoded (replacement characters) and the declared body did not."""
    declared = _clean_declared(article_body)
    if (
        _damaged(text)
        and not _damaged(declared)
        and len(declared) >= DECLARED_DAMAGED_SHARE * len(text)
    ):
        return declared  # the page was stored with its characters broken; the JSON-LD was not
    if len(declared) < DECLARED_GROWTH * len(text) + DECLARED_GROWTH_CHARS:
        return text
    if len(text) < SCRAP_MAX_CHARS and len(declared) > SCRAP_GROWTH * len(text):
        return declared  # the page gave next to nothing: its markup lost the story
    a, b = shingles(text), shingles(declared)
    if a and sum((a & b).values()) < DECLARED_SHINGLE_SHARE * sum(a.values()):
        return text  # the markup says something else: a teaser, another article
    return declared


def _damaged(text: str) -> bool:
    """Text whose characters were lost to a wrong decoding (U+FFFD replacement characters)."""
    return text.count("\ufffd") >= DAMAGED_FFFD


def _clean_declared(article_body: str) -> str:
    """articleBody text as paragraphs (some sites put HTML or entities in it)."""
    text = html.unescape(article_body)
    if "<" in text and ">" in text:
        text = "\n".join(paragraphs(lxml.html.fragment_fromstring(text, create_parent="div")))
    return "\n\n".join(clean_text(p) for p in re.split(r"\n\s*", text) if clean_text(p))
