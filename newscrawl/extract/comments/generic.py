"""The general rule: comments read from the repeated blocks of a comment area (Drupal,
Disqus-less blogs, forums), each block's author, date, text and parent found by shape."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

from lxml.html import HtmlElement

from .. import lexicon
from ..context import PageContext
from ..document import ancestors, classed, remove_elements, text_of
from ..result import CommentData
from ..thresholds import (
    AUTHOR_MAX_CHARS,
    BARE_THREAD_MIN_SHARE,
    COMMENT_TITLE_MAX_CHARS,
    HEADER_BLOCK_MAX_CHARS,
)
from .areas import BYLINE, INNER_BLOCK_TAGS
from .fields import DATE_IN_TEXT, Reader, date_in, inner_id, reply_hint, without_nested
from .find import all_classed, between, elements_below, has_token, holds_any, tagged
from .items import ancestors_until, best_zones
from .text import clean_author, comment_text, is_chrome_block, site_comment_id

_WORD = re.compile(r"[^\W\d_]{2}")

_BOLD = frozenset(("strong", "b"))
_HEADER_TAGS = ("header", "footer")
_HEADER_CLASSES = ("meta", "author", "vcard", "date", "info")
_INNER_BLOCKS = frozenset(INNER_BLOCK_TAGS)
_TITLE_TAGS = frozenset(("h3", "h4", "h5", "h6"))

# Where a comment's author stands, most telling first: each finder gives the elements of
# one kind inside the comment, in page order. (Walks, `find`: the XPaths they replace are
# in `tests/test_comments_fast_paths.py`.)
_AUTHOR_FINDERS: tuple[Callable[[HtmlElement], list], ...] = (
    lambda own: _itemprop_authors(own),
    lambda own: [e for e in elements_below(own) if has_token(e, "fn")],
    lambda own: classed(own, lexicon.COMMENT_AUTHOR_CLASS_WORDS),
    lambda own: list(own.iterdescendants("cite")),
    lambda own: classed(own, ("name", "user", "member")),
    lambda own: [e for e in own.iterdescendants() if e.tag in _BOLD],
)


def _itemprop_authors(own: HtmlElement) -> list[HtmlElement]:
    """``.//*[@itemprop='author']//*[@itemprop='name'] | .//*[@itemprop='author']``."""
    return [
        e
        for e in elements_below(own)
        if (prop := e.get("itemprop")) == "author"
        or (prop == "name" and any(a.get("itemprop") == "author" for a in between(e, own)))
    ]


_TEXT_CLASS = re.compile(lexicon.COMMENT_TEXT_CLASSES, re.I)
_NOT_TEXT_CLASS = re.compile(lexicon.NOT_COMMENT_TEXT_CLASSES, re.I)


def generic_comments(ctx: PageContext) -> tuple[list[CommentData], list[HtmlElement]]:
    """Repeated blocks with author, date and text inside a comment area, threaded by nesting,
    Drupal-style ``div.indented`` siblings or "in reply to" links."""
    comments: list[CommentData] = []
    used: list[HtmlElement] = []
    for zone, items, parts in best_zones(ctx):
        found = comments_of_items(ctx, zone, items)
        if _bare_blocks_of_a_wider_text(ctx, found, parts):
            continue
        used.extend(parts)
        comments += found
    return comments, used


def _bare_blocks_of_a_wider_text(
    ctx: PageContext, comments: list[CommentData], parts: list[HtmlElement]
) -> bool:
    """Blocks alike that say neither who wrote them nor when, and hold a small share of the
    area's text, are pieces of a page (credits under images, pros and cons, spec boxes), not a
    thread: taking the area out would take the article with it."""
    if any(c.author or c.published for c in comments):
        return False
    text = sum(len(ctx.texts.text(e)) for e in parts)
    said = sum(len(c.text or "") for c in comments)
    return said < BARE_THREAD_MIN_SHARE * text


def comments_of_items(
    ctx: PageContext, zone: HtmlElement, items: list[HtmlElement]
) -> list[CommentData]:
    """Each block of `items` (inside `zone`) read as one comment: its id, author, date and
    text, threaded by nesting, Drupal-style ``div.indented`` siblings or "in reply to" links.
    Blocks without words (a score, a counter) are left out."""
    comments: list[CommentData] = []
    item_set = set(items)
    ids: dict[HtmlElement, str | None] = {}
    # Each item's own part is made once: the loops below read it, and edit only copies.
    holders = _holders(items, item_set)
    owns = {item: without_nested(item, item_set) if item in holders else item for item in items}
    for item in items:
        own = owns[item]
        ids[item] = site_comment_id(item.get("id") or inner_id(own) or _anchor_before(item))
    for item in items:
        own = owns[item]
        # An item of the page is read from the page's texts (worked out once, bottom-up, when
        # the areas were measured); a copy without its replies, walk by walk.
        read = ctx.texts.text if own is item else text_of
        published, date_el = date_in(own, ctx.date_languages, read)
        author = _first_short_text(own, _AUTHOR_FINDERS, read=read)
        author_el = None
        byline = _byline(own, read)
        if byline is not None and not author:
            author = clean_author(BYLINE.match(read(byline)).group(1))
        if author:
            author_el = next(
                (e for find in _AUTHOR_FINDERS for e in find(own) if author in read(e)), None
            )
        text_el = _text_element(own, [author_el, date_el])
        if text_el is own:
            own = _without_fields(own, author, published, byline is not None, read)
            text = "\n\n".join(
                line
                for line in comment_text(own).split("\n\n")
                if not DATE_IN_TEXT.fullmatch(line.strip(" |-–—,·"))
            )
        else:
            title = _comment_title(own, text_el, author, read)
            text = comment_text(text_el)
            text = f"{title}\n\n{text}" if title and text else text
        if not _WORD.search(text):  # a bare number is a score or a user's points
            continue
        comments.append(
            CommentData(
                id=ids[item],
                parent_id=_own_parent(
                    ids[item], _generic_parent(item, item_set, ids, zone) or reply_hint(own)
                ),
                author=author,
                published=published,
                text=text,
                score=None,
            )
        )
    return comments


def _holders(items: list[HtmlElement], item_set: set) -> set[HtmlElement]:
    """The items that hold another item (a reply nested in them), found from below.

    Only those are copied without their replies (`without_nested`): any other item is its
    own part as it stands, and nothing edits it (a copy of each cost more than reading it).
    """
    return {a for item in items for a in ancestors(item) if a in item_set}


def _without_fields(
    own: HtmlElement, author: str | None, published: str | None, bylined: bool, read: Reader
) -> HtmlElement:
    """`own` without its header blocks, the leaves that only repeat its author or date, and
    its bylines, in that order: a copy when there are any, else `own` itself (each test is
    asked of `own` first; as long as nothing was taken out it answers as the copy would).
    `bylined`: whether `own` has a byline (`_byline`, already asked); `read`: texts of `own`
    as it is."""
    if not (bylined or _header_blocks(own, read) or _matching(own, author, published, read)):
        return own
    own = copy.deepcopy(own)
    remove_elements(_header_blocks(own))
    remove_elements(_matching(own, author, published))
    remove_elements([e for e in own.iter() if _is_byline(e)])
    return own


def _header_blocks(own: HtmlElement, read: Reader = text_of) -> list[HtmlElement]:
    """Headers, footers and meta/author/date blocks shorter than half the comment."""
    found = all_classed(own, _HEADER_TAGS, _HEADER_CLASSES)
    if not found:
        return found
    limit = min(HEADER_BLOCK_MAX_CHARS, len(read(own)) / 2)
    return [e for e in found if len(read(e)) < limit]


def _text_element(own: HtmlElement, skip: list[HtmlElement]) -> HtmlElement:
    """The element holding the comment's words: a content-like block, else the whole item."""
    best, best_len = None, 0
    for element in own.iterdescendants():
        if not isinstance(element.tag, str) or element.tag not in (
            "div", "p", "section", "blockquote", "span", "dd", "td",
        ):  # fmt: skip
            continue
        if element.get("itemprop") in ("text", "commentText"):
            return element
        classes = element.get("class", "")
        if not _TEXT_CLASS.search(classes) or _NOT_TEXT_CLASS.search(classes):
            continue
        if any(s is element or s in element.iterdescendants() for s in skip if s is not None):
            continue
        if any(is_chrome_block(a) for a in ancestors_until(element, own)):
            continue  # a "sig_text" inside the signature is not what the reader wrote
        # Length of what a reader wrote: a "text-right" block of Reply buttons has none.
        length = len(comment_text(element))
        if length > best_len:
            best, best_len = element, length
    return best if best is not None else own


def _first_short_text(
    own: HtmlElement,
    finders: tuple[Callable[[HtmlElement], list], ...],
    limit: int = AUTHOR_MAX_CHARS,
    read: Reader = text_of,
) -> str | None:
    for index, find in enumerate(finders):
        for element in find(own):
            if element.tag in ("p", "blockquote") and index >= 3:
                continue  # a paragraph counts only when it says it is the author
            text = element.get("content") if element.tag == "meta" else read(element)
            text = clean_author(text)
            if text and len(text) <= limit and not DATE_IN_TEXT.fullmatch(text):
                return text
    return None


def _is_byline(element: HtmlElement, read: Reader = text_of) -> bool:
    return (
        isinstance(element.tag, str)
        and element.tag in ("h3", "h4", "h5", "h6", "strong", "b", "span", "div", "p", "header")
        and not holds_any(element, _INNER_BLOCKS)
        and bool(BYLINE.match(read(element)))
    )


def _byline(own: HtmlElement, read: Reader = text_of) -> HtmlElement | None:
    """The block that reads "Kommentar von NAME" / "Comment by NAME", if any."""
    return next((e for e in own.iter() if _is_byline(e, read)), None)


def _comment_title(
    own: HtmlElement, text_el: HtmlElement, author: str | None, read: Reader = text_of
) -> str | None:
    """A title the reader gave the comment: a heading of the item outside its text block that
    is neither the author, a date nor a byline."""
    for heading in tagged(own, _TITLE_TAGS):
        if heading is text_el or text_el in ancestors(heading) or heading in ancestors(text_el):
            continue
        text = read(heading)
        if (
            text
            and len(text) <= COMMENT_TITLE_MAX_CHARS
            and (not author or author not in text)
            and not DATE_IN_TEXT.search(text)
            and not BYLINE.match(text)
            and not _in_or_holds_link(heading, own)
        ):
            return text
    return None


def _in_or_holds_link(heading: HtmlElement, own: HtmlElement) -> bool:
    """``ancestor-or-self::a | .//a`` of `heading`, its ancestors counted up to `own` (the
    root of a copy, or the item itself: the same answer for both)."""
    node = heading
    while node is not None:
        if node.tag == "a":
            return True
        if node is own:
            break
        node = node.getparent()
    return next(heading.iterdescendants("a"), None) is not None


_CLOCK = re.compile(r"\d{1,2}[:.h]\d{2}(?:\s*uhr)?", re.I)  # "12:45", "10.12 Uhr"


def _matching(
    own: HtmlElement, author: str | None, published: str | None, read: Reader = text_of
) -> list[HtmlElement]:
    """Short leaf blocks that only repeat the author or date (kept out of the text)."""
    out = []
    for element in own.iterdescendants():
        if not isinstance(element.tag, str) or len(element):
            continue
        text = read(element)
        if text and (
            text == author
            or (published and text == published)
            or DATE_IN_TEXT.fullmatch(text)
            or _CLOCK.fullmatch(text)
        ):
            out.append(element)
    return out


def _own_parent(own_id: str | None, parent_id: str | None) -> str | None:
    """A comment is never its own parent (an outer block can borrow its inner block's id)."""
    return None if parent_id is not None and parent_id == own_id else parent_id


def _anchor_before(item: HtmlElement) -> str | None:
    """Drupal puts ``<a id="comment-12"></a>`` just before the comment's block."""
    previous = item.getprevious()
    if previous is not None and previous.tag == "a":
        return previous.get("id") or previous.get("name")
    return None


def _generic_parent(
    item: HtmlElement, items: set, ids: dict[HtmlElement, str | None], zone: HtmlElement
) -> str | None:
    for node in ancestors_until(item, zone):
        if node in items:
            return ids[node]
        # Drupal: replies sit in a div.indented that follows their parent's block.
        if "indented" in node.get("class", "").split() or (
            node.tag in ("ul", "ol", "div")
            and {"children", "replies"} & set(node.get("class", "").split())
        ):
            sibling = node.getprevious()
            while sibling is not None:
                if sibling in items:
                    return ids[sibling]
                if sibling.tag == "a" and sibling.get("id"):
                    sibling = sibling.getprevious()
                    continue
                break
    return None
