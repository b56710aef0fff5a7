"""Third-party recommendation widgets (Outbrain, Taboola and the like), labelled or not."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from ...urls import is_http_url, same_site
from .. import lexicon
from ..context import PageContext
from ..document import (
    ancestors,
    class_and_id,
    clean_text,
    text_of,
)
from ..result import LinkData, RelatedBlock
from ..thresholds import (
    MIN_BLOCK_LINKS,
    SPONSOR_LABEL_MAX_CHARS,
)
from .chrome import classify
from .links import link_data, unique_links

_SPONSOR_CONTAINER = re.compile(
    r"outbrain|\bob-widget|\bob_|taboola|\btrc_|\btbl-|plista|ligatus|zergnet|revcontent|"
    r"\bmgid|nativo|dianomi|sponsored-?(content|links|stories)|paid-?content|promoted-?(links|content)"
)

# The vendor's own "what is this", privacy and logo links (its click redirectors are kept).
_SPONSOR_CHROME_LINK = re.compile(
    r"//(www\.|popup\.)?(outbrain|taboola|plista|ligatus|mgid|revcontent)\.com(/|$)"
    r"|#(ob|tbl|trc)|/(what-is|whats-this)",
    re.IGNORECASE,
)

_SPONSOR_PROVIDERS = lexicon.SPONSOR_VENDORS


def sponsored_blocks(
    ctx: PageContext, skip: list[HtmlElement]
) -> tuple[list[RelatedBlock], list[HtmlElement]]:
    """Third-party recommendation widgets (Outbrain, Taboola…), labelled or not.

    Their links go to redirectors and other sites, so no article-URL test applies; the
    widget's own "what is this" and privacy links are left out.
    """
    url = ctx.url
    skip_set = set(skip)
    candidates = [
        e
        for e in ctx.tree.iter("div", "section", "aside", "ul")
        if _SPONSOR_CONTAINER.search(class_and_id(e))
    ]
    outer = [
        e for e in candidates if not any(a in candidates for a in ancestors(e))
    ]  # one widget, however deeply its vendor nests it
    blocks, used = [], []
    for container in outer:
        if any(n in skip_set for n in [container, *ancestors(container)]):
            continue
        anchors = [
            a
            for a in container.iter("a")
            if a.get("href")
            and not _SPONSOR_CHROME_LINK.search(a.get("href", ""))
            and is_http_url(ctx.canonical(a.get("href", "")))
            and (text_of(a) or a.get("title"))
        ]
        links = unique_links([_sponsored_link(a, url, i + 1) for i, a in enumerate(anchors)])
        if len(links) < MIN_BLOCK_LINKS:
            continue
        label = _sponsor_label(container)
        # The vendor's "organic" widget, all links to the site itself, is not paid content.
        organic = all(same_site(link.url, url) for link in links)
        kind = classify(label, None) if organic else "sponsored"
        blocks.append(RelatedBlock(label=label, kind=kind, links=links))
        used.append(container)
    return blocks, used


def _sponsored_link(anchor: HtmlElement, page_url: str, position: int) -> LinkData:
    """A widget's link: its headline element's text (the advertiser's name is left out)."""
    link = link_data(anchor, page_url, position, None, None)
    titled = anchor.xpath(
        ".//*[contains(@class,'title') or contains(@class,'rec-text') or contains(@class,'headline')]"
    )
    text = text_of(titled[0]) if titled else clean_text(anchor.get("title"))
    link.text = text or link.text
    return link


def _sponsor_label(container: HtmlElement) -> str:
    """The widget's header as shown, else the vendor's name."""
    for element in container.xpath(
        ".//*[self::h2 or self::h3 or self::h4 or self::span or self::div or self::p]"
        "[contains(@class,'header') or contains(@class,'title') or contains(@class,'heading')]"
        " | .//h2 | .//h3"
    ):
        if any(True for _ in element.iter("a")):
            continue
        text = text_of(element)
        if text and len(text) <= SPONSOR_LABEL_MAX_CHARS:
            return text
    hint = class_and_id(container)
    return next((p for p in _SPONSOR_PROVIDERS if p.lower() in hint), "Sponsored")
