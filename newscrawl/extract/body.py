"""Article body text.

A profile's body selector wins; otherwise the generic extractor runs on a copy of the page
from which comment areas and related-link blocks were already removed, so neither can leak
into the body. The generic extractor is our own DOM scorer (`readable`), with trafilatura as
the referee on pages where the scorer is unsure (see `generic_body`).
"""

from __future__ import annotations

import copy
import html
import logging
import re

import lxml.html
from lxml.html import HtmlElement

from ..profiles import Selector
from . import metadata, readable
from .context import PageContext
from .document import clean_text, paragraphs, remove_elements, select

logger = logging.getLogger(__name__)
_WORDS = re.compile(r"\w+")

# Never body text, whatever the site: captions, share bars, "read also" boxes, forms.
NOISE_XPATH = (
    ".//figcaption | .//form | .//button | .//nav | .//script | .//style | .//noscript | .//template"
    ' | .//*[@aria-hidden="true"]'
    " | .//*[contains(@class,'share') or contains(@class,'social') or contains(@class,'newsletter')"
    " or contains(@class,'lire-aussi') or contains(@class,'read-also') or contains(@class,'read-more')"
    " or contains(@class,'related') or contains(@class,'advert') or contains(@class,'sponsor')]"
)


def body_from_selector(
    tree: HtmlElement, selector: Selector, exclude: tuple[Selector, ...]
) -> str | None:
    """Paragraphs under the profile's body selector, minus its exclusions and known noise."""
    matches = [m for m in select(tree, selector) if isinstance(m, HtmlElement)]
    if not matches:
        return None
    texts: list[str] = []
    for match in matches:
        element = copy.deepcopy(match)
        for rule in exclude:
            remove_elements(e for e in select(element, rule) if isinstance(e, HtmlElement))
        remove_elements(element.xpath(NOISE_XPATH))
        texts.extend(paragraphs(element))
    return "\n\n".join(texts) or None


def trafilatura_body(tree: HtmlElement, url: str) -> str | None:
    """Body by trafilatura (the fallback of `generic_body`)."""
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
    return "\n\n".join(readable.trim([p for p in lines if p])) or None


def generic_body(
    ctx: PageContext, tree: HtmlElement, article_body: str | None = None
) -> str | None:
    """Body without a profile: our DOM scorer, checked against trafilatura when unsure.

    The DOM scorer (`readable`) runs two methods of finding the main block. When they agree it
    is trusted as it is (most pages, and the fast path). When they disagree, trafilatura is
    asked too and acts as the referee: the candidate nearest to its text wins, and its own
    text wins when neither is near. `article_body` (JSON-LD) replaces a result it contains
    and clearly extends: pages that render the rest of the story with scripts.
    """
    readable.prune(tree)
    found = readable.extract(tree)
    ctx.body_measures = found.measures
    text = found.text
    if found.confidence < AGREEMENT:
        # On the pruned tree: measured as good as on the unpruned one, and no copy to make.
        referee = trafilatura_body(tree, ctx.url) or ""
        candidates = [text, "\n\n".join(found.alternative)]
        scores = [readable.similarity(referee, c) for c in candidates]
        best = max(range(len(candidates)), key=scores.__getitem__)
        text = candidates[best] if scores[best] >= AGREEMENT else referee
    if article_body:
        text = _prefer_article_body(text, article_body)
    return text or None


AGREEMENT = 0.8  # share of text two methods must have in common to be trusted


def _prefer_article_body(text: str, article_body: str) -> str:
    """JSON-LD articleBody wins when it holds the extracted text and much more besides, when
    the page yielded only a scrap of what it declares, or when the page's own text came out
    mis-decoded (replacement characters) and the declared body did not."""
    declared = _clean_declared(article_body)
    if _damaged(text) and not _damaged(declared) and len(declared) >= 0.8 * len(text):
        return declared  # the page was stored with its characters broken; the JSON-LD was not
    if len(declared) < 1.5 * len(text) + 200:
        return text
    if len(text) < 600 and len(declared) > 4 * len(text):
        return declared  # the page gave next to nothing: its markup lost the story
    a, b = readable._shingles(text), readable._shingles(declared)
    if a and sum((a & b).values()) < 0.8 * sum(a.values()):
        return text  # the markup says something else: a teaser, another article
    return declared


def _damaged(text: str) -> bool:
    """Text whose characters were lost to a wrong decoding (U+FFFD replacement characters)."""
    return text.count("\ufffd") >= 3


def _clean_declared(article_body: str) -> str:
    """articleBody text as paragraphs (some sites put HTML or entities in it)."""
    text = html.unescape(article_body)
    if "<" in text and ">" in text:
        text = "\n".join(paragraphs(lxml.html.fragment_fromstring(text, create_parent="div")))
    return "\n\n".join(clean_text(p) for p in re.split(r"\n\s*", text) if clean_text(p))


def extract_body(ctx: PageContext, tree: HtmlElement) -> str | None:
    """The article body as paragraphs separated by blank lines, or None.

    `tree` is a copy of the page the caller no longer needs (comment areas and related blocks
    taken out): extraction prunes it in place.
    """
    profile = ctx.profile
    if profile and "body" in profile.article:
        text = body_from_selector(tree, profile.article["body"], profile.body_exclude)
        if text:
            return text
    return generic_body(ctx, tree, metadata.article_body(tree))
