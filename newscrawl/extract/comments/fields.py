"""Fields of one comment inside its markup: its date, its own id, its parent, its replies."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator

from lxml.html import HtmlElement

from ...dates import parse_datetime
from .. import lexicon
from ..document import classed, clean_text, remove_elements, short_text, text_of
from ..thresholds import (
    DATE_BLOCK_MAX_CHARS,
    DATE_TEXT_MAX_CHARS,
)
from .find import between, class_holds, elements_below, tagged
from .text import site_comment_id

HAS_DIGIT = re.compile(r"\d")

# How a comment's parts are read: `text_of`, or the page's texts for an element of the page.
Reader = Callable[[HtmlElement], str]

DATE_IN_TEXT = re.compile(
    r"(\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}(?:,?\s+(?:um\s+|-\s+)?\d{1,2}[:.]\d{2})?|"
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2})?|"
    rf"\d{{1,2}}\.?\s+[A-Za-zäéû]+\.?\s+\d{{4}}(?:,?\s+(?:{lexicon.CLOCK_JOINERS})?\s*\d{{1,2}}[:h]\d{{2}})?|"
    r"[A-Z][a-z]+\.? \d{1,2},? \d{4}(?:,? (?:at )?\d{1,2}:\d{2}\s?(?:[ap]\.?m\.?)?)?|"
    r"\d{1,2}/\d{1,2}/\d{2,4}(?:,? \d{1,2}:\d{2})?)",
    re.I,
)


def date_in(
    own: HtmlElement, languages: tuple[str, ...] | None, read: Reader = text_of
) -> tuple[str | None, HtmlElement | None]:
    """The comment's date as written (and the element showing it); free text is read in
    `languages` (the page's, see `PageContext.date_languages`). `read`: `text_of`, or the
    page's texts (`PageContext.texts`) when `own` is an element of the page."""
    for element in _marked_dates(own):
        value = element.get("datetime") or element.get("content") or element.get("title")
        value = value or read(element)
        if parse_datetime(value, None, languages):
            return value, element
    for element in classed(own, lexicon.DATE_CLASS_WORDS):
        text = _short(element, DATE_BLOCK_MAX_CHARS, read)
        if text is not None and (found := _written_date(text, languages)):
            return found, element
    for element in tagged(own, _DATE_TAGS):
        text = _short(element, DATE_TEXT_MAX_CHARS, read)
        if text is not None and (found := _written_date(text, languages)):
            return found, element
    # A date written straight into the block, between its child elements.
    for element in own.iter():
        if not isinstance(element.tag, str):
            continue
        pieces = [element.text] + [child.tail for child in element]
        for piece in (clean_text(p) for p in pieces if p):
            if len(piece) <= DATE_TEXT_MAX_CHARS and (found := _written_date(piece, languages)):
                return found, None
    return None, None


# The elements whose short text can be a comment's date.
_DATE_TAGS = frozenset(("b", "span", "small", "div", "em", "i", "p", "strong", "a", "cite"))


def _short(element: HtmlElement, limit: int, read: Reader) -> str | None:
    """`read(element)` when at most `limit` characters, else None; without a cache to read
    from, found without walking a long block to its end (`short_text`)."""
    if read is text_of:
        return short_text(element, limit)
    text = read(element)
    return text if len(text) <= limit else None


def _is_marked_date(element: HtmlElement) -> bool:
    """``self::time | self::*[@itemprop='dateCreated' or @itemprop='datePublished'] |
    self::abbr[@title] | self::*[@content][contains(@property,'date') or
    contains(@property,'created')]``."""
    tag = element.tag
    if tag == "time" or element.get("itemprop") in ("dateCreated", "datePublished"):
        return True
    if tag == "abbr" and element.get("title") is not None:
        return True
    prop = element.get("property")
    return (
        bool(prop) and element.get("content") is not None and ("date" in prop or "created" in prop)
    )


def _marked_dates(own: HtmlElement) -> list[HtmlElement]:
    """The elements marked as dates inside `own`, in document order (`_is_marked_date`)."""
    return [e for e in elements_below(own) if _is_marked_date(e)]


def _written_date(text: str, languages: tuple[str, ...] | None) -> str | None:
    """The first date written in `text` (numeric dates day first, as ISO), if it parses."""
    # Every form of `DATE_IN_TEXT` has a digit: a text without one is passed over unsearched.
    match = DATE_IN_TEXT.search(text) if HAS_DIGIT.search(text) else None
    if match:
        written = _day_first(match.group(0))
        if parse_datetime(written, None, languages):
            return written
    return None


_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:,?\s+(\d{1,2}:\d{2}))?$")


_DOTTED = re.compile(
    r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:,?\s+(?:um\s+|-\s+)?(\d{1,2})[:.](\d{2}))?$"
)


def _day_first(text: str) -> str:
    """Numeric dates as ISO: ``12/03/2024`` is day first (most of the world) unless the second
    number cannot be a month; ``16.03.2024 - 07:20`` is always day first."""
    if match := _SLASHED.match(text):
        first, second, year, clock = match.groups()
        day, month = (second, first) if int(second) > 12 else (first, second)
        return f"{year}-{int(month):02d}-{int(day):02d}" + (f" {clock}" if clock else "")
    if match := _DOTTED.match(text):
        day, month, year, hour, minute = match.groups()
        iso = f"{year}-{int(month):02d}-{int(day):02d}"
        return iso + (f" {int(hour):02d}:{minute}" if hour else "")
    return text


def without_nested(item: HtmlElement, items: set) -> HtmlElement:
    """A copy of `item` without the other comments nested in it (its replies)."""
    clone = copy.deepcopy(item)
    originals = list(item.iterdescendants())
    copies = list(clone.iterdescendants())
    remove_elements(c for o, c in zip(originals, copies, strict=True) if o in items)
    return clone


def inner_id(own: HtmlElement) -> str | None:
    for element in own.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in ("data-comment-id", "data-commentid", "data-id"):
            if element.get(attr):
                return element.get(attr)
        ident = element.get("id") or element.get("name") or ""
        if HAS_DIGIT.search(ident) and re.search(r"comment|kommentar|c\d|msg|post", ident, re.I):
            return ident
        if element.tag == "a" and ident.isdigit() and not element.get("href"):
            return ident  # an anchor target <a name="167559"></a> at the comment
    return None


_PARENT_ATTRIBUTES = ("data-parent-id", "data-parent", "data-reply-to", "data-in-reply-to")
_PARENT_ATTRIBUTE_SET = frozenset(_PARENT_ATTRIBUTES)
_REPLY_LINK_CLASSES = ("reply-to", "in-reply", "parent", "replyto")
_REPLY_BLOCK_CLASSES = ("in-reply", "reply-to")


def reply_hint(own: HtmlElement) -> str | None:
    """The parent named by attributes or an "in reply to" link, for comments not nested."""
    # WordPress's own "Reply" button names this comment, not its parent.
    for element in _parent_named(own):
        for attr in _PARENT_ATTRIBUTES:
            value = (element.get(attr) or "").strip()
            if HAS_DIGIT.search(value) and value.strip("0"):
                return site_comment_id(value)
    link = _reply_link(own)
    return site_comment_id(link.get("href")) if link is not None else None


def _parent_named(own: HtmlElement) -> Iterator[HtmlElement]:
    """``descendant-or-self::*[not(contains(@class,'reply-link'))][@data-parent-id or
    @data-parent or ...]``: `own` and its elements with a parent attribute (all of
    `_PARENT_ATTRIBUTES`), in document order, but for WordPress "Reply" links."""
    for element in own.iter():
        if (
            isinstance(element.tag, str)
            and not _PARENT_ATTRIBUTE_SET.isdisjoint(element.keys())
            and "reply-link" not in (element.get("class") or "")
        ):
            yield element


def _reply_link(own: HtmlElement) -> HtmlElement | None:
    """``(.//a[contains(@href,'#')][contains(@class,'reply-to') or contains(@class,'in-reply')
    or contains(@class,'parent') or contains(@class,'replyto')] | .//*[contains(@class,'in-reply')
    or contains(@class,'reply-to')]//a[contains(@href,'#')])[1]``: an "in reply to" link."""
    for link in own.iterdescendants("a"):
        if "#" in (link.get("href") or "") and (
            class_holds(link, _REPLY_LINK_CLASSES)
            or any(class_holds(a, _REPLY_BLOCK_CLASSES) for a in between(link, own))
        ):
            return link
    return None
