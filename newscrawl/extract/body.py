"""Article body text.

A profile's body selector wins; otherwise the generic extractor runs on a copy of the page
from which comment areas and related-link blocks were already removed, so neither can leak
into the body.
"""

from __future__ import annotations

import copy
import logging

from lxml.html import HtmlElement

from ..profiles import Selector, SiteProfile
from .document import clean_text, paragraphs, remove_elements, select

logger = logging.getLogger(__name__)

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


def generic_body(tree: HtmlElement, url: str) -> str | None:
    """Body by trafilatura over the already-cleaned tree (see module docstring)."""
    import trafilatura

    try:
        text = trafilatura.extract(
            copy.deepcopy(tree),
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
    return "\n\n".join(clean_text(p) for p in text.splitlines() if clean_text(p)) or None


def extract_body(tree: HtmlElement, url: str, profile: SiteProfile | None) -> str | None:
    """The article body as paragraphs separated by blank lines, or None."""
    if profile and "body" in profile.article:
        text = body_from_selector(tree, profile.article["body"], profile.body_exclude)
        if text:
            return text
    return generic_body(tree, url)
