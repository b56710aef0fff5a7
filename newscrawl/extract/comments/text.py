"""One comment's text as the reader wrote it, and its id: helpers every comment source shares.

Comment markup carries controls (Reply, Report, votes, avatars) around the reader's words;
`comment_text` leaves them out. Comments served outside the page (APIs, state blobs) are read
through `fragment_text`, so they come out exactly like comments in the page.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from lxml.html import HtmlElement

from .. import lexicon
from ..document import clean_text, paragraphs, parse_html, remove_elements, text_of
from ..thresholds import (
    WRAPPER_PARAGRAPH_CHARS,
)

_DIGITS = re.compile(r"\d+")


def has_class(name: str) -> str:
    """XPath test for one whole class token (not a substring of another)."""
    return f"contains(concat(' ',normalize-space(@class),' '),' {name} ')"


# Chrome inside a comment's markup that is not what the reader wrote: reply/edit/report links,
# votes, forms, avatars, "awaiting moderation" notes.
_CHROME_WORDS = frozenset(lexicon.COMMENT_CHROME_CLASSES)

_CHROME_TAGS = frozenset(
    ("form", "button", "input", "textarea", "select", "script", "style", "noscript")
)
_CHROME_CLASS_PARTS = (
    "comment-reply", "reply-link", "in-reply-to", "reply-to", "awaiting-moderation", "edit-link",
)  # fmt: skip

# A poster's signature under each post, however the forum software names it
# ("message-signature", "post-signature", "ipsEntry__signature", "postsignature").
_SIGNATURE = re.compile(r"(?<!with-)signature$", re.I)


def is_chrome_block(element: HtmlElement) -> bool:
    """A block whose class names a control or a signature (the test `_chrome` makes)."""
    classes = element.get("class")
    if not classes:
        return False
    for part in _CHROME_CLASS_PARTS:
        if part in classes:
            return True
    words = classes.split()
    if not _CHROME_WORDS.isdisjoint(words):
        return True
    # No letter of "gnature" has another case form `re` folds to it (as "ſ" is "s"), so a
    # class without it lower-cased holds no signature: the regex runs for the few that do.
    return "gnature" in classes.lower() and any(_SIGNATURE.search(word) for word in words)


def _chrome(root: HtmlElement) -> list[HtmlElement]:
    """The controls inside `root`, in document order: form elements and scripts, and blocks
    whose class names a control (a whole word of `_CHROME_WORDS`, or a reply/edit part).
    Read in one walk with the class split in Python: the same test as an XPath of forty
    ``contains(concat(...))`` clauses, which lxml ran for each element of each comment."""
    found = []
    for element in root.iterdescendants():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag in _CHROME_TAGS:
            found.append(element)
            continue
        if is_chrome_block(element):
            found.append(element)
    return found


# A paragraph that is only a control ("Reply", "Antworten", "Log in to reply", "12 likes").
CHROME_LINE = re.compile(rf"^(?:{lexicon.COMMENT_CONTROLS}|\W+)$", re.I)

_SAYS = re.compile(rf"\s+(?:{lexicon.COMMENT_SAYS})\s*:?\s*$", re.I)
_AUTHOR_LABEL = re.compile(rf"^(?:{lexicon.COMMENT_AUTHOR_LABELS})(?:\s*:\s*|\s+)", re.I)

PINGBACK = re.compile(r"pingback|trackback", re.I)


def site_comment_id(raw: str | None) -> str | None:
    """``comment-1234`` / ``div-comment-1234`` / ``#comment-1234`` → ``1234``; other ids kept."""
    if not raw:
        return None
    raw = clean_text(raw).lstrip("#")
    if "#" in raw:
        raw = raw.rsplit("#", 1)[1]
    runs = _DIGITS.findall(raw)
    # "comment-42", "div-comment-42", "wc-comm-42_0", "c42-rt": the longest number is the id;
    # of equally long ones the first ("wc-comm-52845_52842" is 52845 replying to 52842).
    return max(runs, key=len) if runs else raw or None


def comment_text(element: HtmlElement) -> str:
    """What the reader wrote inside `element`: paragraphs without controls or counters.

    The controls are found in `element` itself and a copy is edited only when there are
    some to take out: most comments have none, and the copy cost more than reading them."""
    chrome = [c for c in _chrome(element) if not _wraps_text(c, element)]
    if chrome:
        element = _without(element, chrome)
    lines = [p for p in paragraphs(element) if not CHROME_LINE.match(p)]
    return "\n\n".join(lines)


def _without(element: HtmlElement, inner: list[HtmlElement]) -> HtmlElement:
    """A copy of `element` without the copies of `inner` (elements inside it)."""
    clone = copy.deepcopy(element)
    wanted = set(inner)
    remove_elements(
        [
            c
            for o, c in zip(element.iterdescendants(), clone.iterdescendants(), strict=True)
            if o in wanted
        ]
    )
    return clone


def fragment_text(html: str) -> str:
    """`comment_text` of comment HTML served outside a page (comment APIs, state blobs), so
    it is read exactly like a comment in the page."""
    tree = parse_html(f"<html><body><div>{html}</div></body></html>")
    return comment_text(tree.body)


def _wraps_text(chrome: HtmlElement, whole: HtmlElement) -> bool:
    """A "chrome" class on a block that holds the comment's paragraphs is a wrapper (some
    themes put the text inside ``.comment-author.vcard``): its inner chrome goes, it stays."""
    if chrome.tag not in ("div", "section", "article", "header", "footer"):
        return False
    total = len(text_of(whole))
    return bool(
        total
        and len(text_of(chrome)) * 2 > total
        and any(len(text_of(p)) >= WRAPPER_PARAGRAPH_CHARS for p in chrome.iter("p", "blockquote"))
    )


def clean_author(name: str | None) -> str | None:
    name = _SAYS.sub("", clean_text(name))
    name = _AUTHOR_LABEL.sub("", name).strip(" :,-–|")
    return name or None


def to_int(value: Any) -> int | None:
    try:
        return int(str(value).strip().replace("+", ""))
    except (TypeError, ValueError):
        return None
