"""Site chrome a block must not come from (navigation, footers, share bars, tag lists), links
inside running prose, and the kind a block is by its label."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from .. import lexicon
from ..document import (
    BLOCK_TAGS,
    ancestors,
    class_and_id,
    clean_text,
)
from ..thresholds import (
    IN_PROSE_CHARS,
    IN_PROSE_LIST_CHARS,
)

# Areas whose links are site chrome, never related content.
_CHROME_TAGS = {"nav", "header", "footer", "form", "menu", "button"}

_CHROME_ROLES = {"navigation", "banner", "contentinfo", "menu", "menubar", "search", "toolbar"}


# Class and id words of site chrome (whole words of the lower-cased class and id).
_CHROME_WORDS = re.compile(rf"\b({lexicon.RELATED_CHROME_CLASSES})\b")

# Labels that name site chrome or a list of non-articles, whatever the markup around them.
_CHROME_LABEL = re.compile(
    rf"^\W*({lexicon.CHROME_LABEL_QUALIFIERS})?({lexicon.CHROME_LABELS})\W*$", re.IGNORECASE
)

# Labels that say "these are links to other articles": required for blocks inside the body.
RELATED_HINT = re.compile(lexicon.RELATED_HINTS, re.IGNORECASE)

# The kinds a block's label can say it is, first match first.
KIND_WORDS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(words, re.I)) for kind, words in lexicon.BLOCK_KIND_WORDS
]


def classify(label: str, container: HtmlElement | None = None) -> str:
    """The block kind from its label, then from its container's class/id."""
    hints = [label] + ([class_and_id(container)] if container is not None else [])
    for hint in hints:
        for kind, pattern in KIND_WORDS:
            if pattern.search(hint):
                return kind
    return "related"


def is_chrome(element: HtmlElement, memo: dict[HtmlElement, bool] | None = None) -> bool:
    """True when the element sits inside navigation, header/footer, or similar chrome.

    `memo` (one dict per page, tree unchanged) keeps each element's answer, so the walk up
    the tree is done once per element rather than once per link and heading.
    """
    if memo is None:
        memo = {}
    path: list[HtmlElement] = []
    node: HtmlElement | None = element
    answer = False
    while node is not None:
        known = memo.get(node)
        if known is not None:
            answer = known
            break
        path.append(node)
        if node.tag in _CHROME_TAGS or node.get("role") in _CHROME_ROLES:
            answer = True
            break
        if node.tag in ("body", "html"):
            break
        words = class_and_id(node).replace("_", "-")
        match = _CHROME_WORDS.search(words)
        if match and not (match.group(1) == "header" and _box_header(words)):
            answer = True
            break
        node = node.getparent()
    for seen in path:
        memo[seen] = answer
    return answer


# A box's own header ("widget-header", "module__header", "card-header") titles that box; it
# is not the site's header.
_BOX_HEADER = re.compile(
    r"\b(?:widget|box|module|block|card|panel|rail|section|list|teaser)s?-+header\b"
)


def _box_header(words: str) -> bool:
    """Whether every "header" word of a class and id is a box's header."""
    return len(_CHROME_WORDS.findall(words)) == len(_BOX_HEADER.findall(words))


def is_chrome_tag(element: HtmlElement) -> bool:
    """Chrome by the element's own tag or role (``nav``, ``footer``, ``role=navigation``)."""
    return element.tag in _CHROME_TAGS or element.get("role") in _CHROME_ROLES


def is_chrome_label(label: str) -> bool:
    """True for labels that name a menu, a footer, a tag list, an author box and the like."""
    return bool(_CHROME_LABEL.match(label.strip()))


def _inline_text(block: HtmlElement) -> tuple[int, int]:
    """(all, linked) characters of a block's own inline content, child blocks left out."""
    total = linked = 0

    def walk(node: HtmlElement, in_link: bool) -> None:
        nonlocal total, linked
        size = len(clean_text(node.text))
        total += size
        linked += size if in_link else 0
        for child in node:
            if isinstance(child.tag, str) and child.tag not in BLOCK_TAGS:
                walk(child, in_link or child.tag == "a")
            tail = len(clean_text(child.tail))
            total += tail
            linked += tail if in_link else 0

    walk(block, block.tag == "a")
    return total, linked


def in_prose(anchor: HtmlElement) -> bool:
    """True for a link inside running text (a sentence around it), never a list entry."""
    block = next((a for a in ancestors(anchor) if a.tag in BLOCK_TAGS), None)
    if block is None:
        return False
    total, linked = _inline_text(block)
    limit = IN_PROSE_LIST_CHARS if block.tag == "li" else IN_PROSE_CHARS
    return total - linked > limit and linked < total / 2
