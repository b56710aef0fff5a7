"""Where the article text is, so that blocks inside it need a "related" label and its
"read also" callouts become `inline` blocks."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree
from lxml.html import HtmlElement

from ..context import PageContext
from ..document import (
    ancestors,
    select,
    text_of,
)
from ..thresholds import (
    BODY_MIN_CHARS,
    BODY_PARAGRAPH_CHARS,
    BODY_SECTION_LEVELS,
    MARKED_BODY_MIN_CHARS,
)

_BODY_XPATH = (
    "//*[@itemprop='articleBody' or @data-testid='article-body' or @property='articleBody']"
    " | //*[self::div or self::section or self::article][contains(concat(' ', normalize-space(@class), ' '),"
    " ' entry-content ') or contains(concat(' ', normalize-space(@class), ' '), ' post-content ')"
    " or contains(@class, 'article-body') or contains(@class, 'article__body')"
    " or contains(@class, 'articleBody') or contains(@class, 'story-body')"
    " or contains(@class, 'article-content') or contains(@class, 'post-body')"
    " or @id='article-body' or @id='articleBody' or @id='story-body']"
)

_BODY_TOKENS = frozenset(("entry-content", "post-content"))  # whole class tokens


_BODY_CLASS_PARTS = re.compile(
    "article-body|article__body|articleBody|story-body|article-content|post-body"
)

_BODY_IDS = frozenset(("article-body", "articleBody", "story-body"))


_XML_SPACE = re.compile(r"[ \t\r\n]+")


def _marked_body_elements(tree: HtmlElement) -> list[HtmlElement]:
    """What `_BODY_XPATH` finds, in document order."""
    out = []
    for element in tree.getroottree().getroot().iter(etree.Element):
        attrib = element.attrib
        if not attrib:
            continue
        get = attrib.get
        if (
            get("itemprop") == "articleBody"
            or get("data-testid") == "article-body"
            or get("property") == "articleBody"
        ):
            out.append(element)
        elif element.tag in ("div", "section", "article"):
            classes = get("class")
            # Splitting the class into tokens is only worth it when a token's word is there.
            if get("id") in _BODY_IDS or (
                classes
                and (
                    _BODY_CLASS_PARTS.search(classes)
                    or (
                        any(word in classes for word in _BODY_TOKENS)
                        and not _BODY_TOKENS.isdisjoint(_XML_SPACE.split(classes))
                    )
                )
            ):
                out.append(element)
    return out


def find_body_elements(ctx: PageContext) -> list[HtmlElement]:
    """The element(s) holding the article text: the profile's body selector, a known body
    class, else the element with the most paragraph text directly under it."""
    tree, profile = ctx.tree, ctx.profile
    if profile is not None and "body" in profile.article:
        found = [e for e in select(tree, profile.article["body"]) if isinstance(e, HtmlElement)]
        if found:
            return found
    marked = [e for e in _marked_body_elements(tree) if len(text_of(e)) >= MARKED_BODY_MIN_CHARS]
    # The outermost of nested matches: a body split in several inner divs is one body.
    outer = [e for e in marked if not any(a in marked for a in ancestors(e))]
    if outer:
        return outer
    best, best_chars = None, 0
    # In page order (a set of elements iterates by address): the first of equals wins.
    for parent in dict.fromkeys(p.getparent() for p in tree.iter("p")):
        if parent is None:
            continue
        chars = _paragraph_chars(parent, deep=False)
        if chars > best_chars:
            best, best_chars = parent, chars
    if best is None or best_chars < BODY_PARAGRAPH_CHARS:
        return []
    # A body cut into sections (one per subheading) is their common parent.
    for _ in range(BODY_SECTION_LEVELS):
        parent = best.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        siblings = [c for c in parent if c is not best and isinstance(c.tag, str)]
        if not any(_paragraph_chars(c, deep=False) >= BODY_PARAGRAPH_CHARS for c in siblings):
            break
        best = parent
    return [best] if _paragraph_chars(best, deep=True) >= BODY_MIN_CHARS else []


def _paragraph_chars(element: HtmlElement, deep: bool) -> int:
    paragraphs = element.iter("p") if deep else (c for c in element if c.tag == "p")
    return sum(len(text_of(p)) for p in paragraphs)


def inside(element: HtmlElement, containers: Iterable[HtmlElement]) -> bool:
    chain = {element, *ancestors(element)}
    return any(c in chain for c in containers)
