"""What an element's class, id and role names say about it: article text or page chrome.

Readability's idea: designers name their boxes, and the names tell the story's container
("article-body", "entry-content") from the furniture around it ("share", "related",
"sidebar"). Class names are judged whole, split into their words at ``-``, ``_`` and camel
humps, so "article-img-caption" is a caption although it starts with "article".
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml.html import HtmlElement

from .. import lexicon
from ..document import HEADING_TAGS

_HEADINGS = frozenset(HEADING_TAGS)
# Class/id words naming chrome, and boxes that are never article text however much prose
# they hold. Matched against whole class tokens split at - and _.
_NEGATIVE = re.compile(rf"^({lexicon.CHROME_CLASS_TOKENS})$")
_STRONG_NEGATIVE = re.compile(rf"^({lexicon.STRONG_CHROME_CLASS_TOKENS})$")
# An author box (bio, photo, links) by its usual names, with the Simple Author Box plugin's.
_AUTHOR_BOX = re.compile(
    r"author[-_]?(?:box|bio|card|about|description)|about[-_]?(?:the[-_]?)?author|saboxplugin",
    re.IGNORECASE,
)
_POSITIVE = re.compile(rf"^({lexicon.STORY_CLASS_TOKENS})$")
_TOKEN_SPLIT = re.compile(r"[\s\-_:/]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def class_weight(element: HtmlElement) -> int:
    """Readability's class/id hint: +25 for article-like names, -25 for chrome names."""
    return class_hints(element)[0]


def strong_chrome(element: HtmlElement) -> bool:
    """A box named as never article text (comments, related, share...), whatever it holds."""
    return class_hints(element)[1]


def class_hints(element: HtmlElement) -> tuple[int, bool]:
    """(weight, strong chrome) from the element's class and id names.

    A heading's id is an anchor made from its own words ("nav_nur_die_folie", "what-are-you-
    looking-forward-to-next"), not a name the designer chose, so it gives no hint.
    """
    ident = None if element.tag in _HEADINGS else element.get("id")
    weight, strong = _hints(element.get("class"), ident, element.get("itemprop"))
    if element.get("role") == "complementary":  # ARIA's aside: a fact box, a sidebar
        return min(weight, 0) - 25, True
    return weight, strong


@lru_cache(maxsize=16384)
def _hints(classes: str | None, ident: str | None, itemprop: str | None) -> tuple[int, bool]:
    """Each class name is judged whole: "article-img-caption" names a caption even though it
    starts with "article", so one chrome word in a name makes the name chrome."""
    negative = positive = strong = False
    names = (classes or "").split()
    if ident and len(name_parts(ident)) < 4:  # a longer id is a slug of the text, not a name
        names.append(ident)
    # The writer's bio box under the story, named by its class or by an id of any length.
    if any(_AUTHOR_BOX.search(n) for n in (classes, ident) if n):
        negative = strong = True
    for name in names:
        parts = name_parts(name)
        if name == "not-prose":  # Tailwind typography's opt-out: a widget set in the prose
            negative = strong = True
        elif any(_NEGATIVE.match(t) for t in parts):
            negative = True
            strong = strong or any(_STRONG_NEGATIVE.match(t) for t in parts)
        elif any(_POSITIVE.match(t) for t in parts):
            positive = True
    weight = (25 if positive else 0) - (25 if negative else 0)
    if itemprop == "articleBody":
        weight += 50
    return weight, strong


@lru_cache(maxsize=8192)
def name_parts(name: str) -> tuple[str, ...]:
    """A class or id name's words, lower-cased: "articleBody-main" -> article, body, main."""
    return tuple(t.lower() for t in _TOKEN_SPLIT.split(_CAMEL.sub("-", name)) if t)


@lru_cache(maxsize=8192)
def lead_class(classes: str | None) -> bool:
    """A class naming the lead paragraph, judged on whole name parts."""
    return bool(classes) and any(
        _LEAD.match(t) for name in classes.split() for t in name_parts(name)
    )


_LEAD = re.compile(rf"^({lexicon.LEAD_CLASS_TOKENS})$")
