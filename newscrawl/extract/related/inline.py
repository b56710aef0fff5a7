"""\"Read also\" callouts inside the article body, one block per label shown."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from .. import lexicon
from ..context import PageContext
from ..document import (
    ancestors,
    class_and_id,
    clean_text,
    text_of,
    text_start,
)
from ..result import LinkData, RelatedBlock
from ..thresholds import (
    CALLOUT_EXTRA_CHARS,
    CALLOUT_LABEL_MAX_CHARS,
    CALLOUT_START_CHARS,
    CALLOUT_SYMBOLS,
    MIN_BLOCK_LINKS,
)
from .links import link_data, looks_like_article_url, unique_links

# "Read also" callouts inside the article body, in the languages of the corpus.
INLINE_LABEL = re.compile(rf"^\W*({lexicon.READ_ALSO_LABELS})\b\s*[:>»→-]?", re.IGNORECASE)

_LEADING_SYMBOLS = re.compile(r"\W*")


_INLINE_CLASS = re.compile(lexicon.READ_ALSO_CLASSES)


def inline_blocks(
    ctx: PageContext, body: list[HtmlElement]
) -> list[tuple[RelatedBlock, list[HtmlElement]]]:
    """ "Read also" callouts inside the article body, one block per label shown, each with
    the callout elements it came from.

    Several callouts with the same label ("Lire aussi" three times down the text) make one
    block; a block still needs two links, like any other.
    """
    groups: dict[str, tuple[str, list[HtmlElement], list[LinkData]]] = {}
    taken: set[HtmlElement] = set()
    for root in body:
        for element in root.iter("p", "div", "aside", "section", "li", "blockquote"):
            if element is root or (taken and any(a in taken for a in ancestors(element))):
                continue
            label, anchors = _callout(ctx, element)
            if not label or not anchors:
                continue
            taken.add(element)
            _, elements, links = groups.setdefault(label.casefold(), (label, [], []))
            elements.append(element)
            links += [link_data(a, ctx.url, 0, None, None) for a in anchors]
    found = []
    for label, elements, links in groups.values():
        unique = unique_links(links)
        if len(unique) >= MIN_BLOCK_LINKS:
            found.append((RelatedBlock(label=label, kind="inline", links=unique), elements))
    return found


def _callout(ctx: PageContext, element: HtmlElement) -> tuple[str | None, list[HtmlElement]]:
    """(label, links) when `element` is a "read also" callout, else (None, [])."""
    # Every block of the body is asked, so the label test reads only the start of its text:
    # a label is at most ~40 characters after a short run of symbols.
    text, whole = text_start(element, CALLOUT_START_CHARS)
    if not whole and _LEADING_SYMBOLS.match(text).end() >= CALLOUT_SYMBOLS:
        text, whole = text_of(element), True
    match = INLINE_LABEL.match(text)
    if not match and not _INLINE_CLASS.search(class_and_id(element).replace("_", "-")):
        return None, []
    if not whole:
        text = text_of(element)
        match = INLINE_LABEL.match(text)
    label = _strip_label(match.group(0)) if match else _leading_text(element)
    anchors = [a for a in element.iter("a") if a.get("href")]
    if not anchors and match:
        following = element.getnext()
        if following is not None and following.tag in ("ul", "ol", "div", "p"):
            anchors = [a for a in following.iter("a") if a.get("href")]
            text += " " + text_of(following)
    anchors = [
        a
        for a in anchors
        if looks_like_article_url(ctx.canonical(a.get("href", "")), ctx.url)
        and text_of(a)
        and text_of(a).casefold() != (label or "").casefold()
    ]
    linked = sum(len(text_of(a)) for a in anchors)
    if not label or not anchors or len(text) - linked > CALLOUT_EXTRA_CHARS + len(label):
        return None, []  # a paragraph of prose that happens to start with "see also"
    return label, anchors


def _strip_label(text: str) -> str:
    return clean_text(text).strip(" :>»→-\u00a0")


def _leading_text(element: HtmlElement) -> str | None:
    """The text a callout shows before its first link ("Lire aussi" in a styled span)."""
    parts = [element.text or ""]
    for child in element.iter():
        if child is element:
            continue
        if child.tag == "a":
            break
        parts += [child.text or "", child.tail or ""]
    label = _strip_label(" ".join(parts))
    return label if 0 < len(label) <= CALLOUT_LABEL_MAX_CHARS else None
