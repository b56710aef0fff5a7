"""The general rule: comments read from the repeated blocks of a comment area (Drupal,
Disqus-less blogs, forums), each block's author, date, text and parent found by shape."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

from lxml.html import HtmlElement

from .. import lexicon
from ..context import PageContext
from ..document import ancestors, classed, remove_elements, text_of, xpath
from ..result import CommentData
from ..thresholds import (
    AUTHOR_MAX_CHARS,
    BARE_THREAD_MIN_SHARE,
    COMMENT_TITLE_MAX_CHARS,
    HEADER_BLOCK_MAX_CHARS,
)
from .areas import BYLINE, INNER_BLOCK_TAGS
from .fields import DATE_IN_TEXT, date_in, inner_id, reply_hint, without_nested
from .items import ancestors_until, best_zones
from .text import clean_author, comment_text, has_class, is_chrome_block, site_comment_id

_WORD = re.compile(r"[^\W\d_]{2}")

# Where a comment's author stands, most telling first: each finder gives the elements of
# one kind inside the comment, in page order.
_AUTHOR_FINDERS: tuple[Callable[[HtmlElement], list], ...] = (
    lambda own: xpath(
        own, ".//*[@itemprop='author']//*[@itemprop='name'] | .//*[@itemprop='author']"
    ),
    lambda own: xpath(own, ".//*[" + has_class("fn") + "]"),
    lambda own: classed(own, lexicon.COMMENT_AUTHOR_CLASS_WORDS),
    lambda own: xpath(own, ".//cite"),
    lambda own: classed(own, ("name", "user", "member")),
    lambda own: xpath(own, ".//strong | .//b"),
)

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
    # Each item's own copy is made once: the loops below read it, and edit only copies.
    owns = {item: without_nested(item, item_set) for item in items}
    for item in items:
        own = owns[item]
        ids[item] = site_comment_id(item.get("id") or inner_id(own) or _anchor_before(item))
    for item in items:
        own = owns[item]
        published, date_el = date_in(own, ctx.date_languages)
        author = _first_short_text(own, _AUTHOR_FINDERS)
        author_el = None
        byline = _byline(own)
        if byline is not None and not author:
            author = clean_author(BYLINE.match(text_of(byline)).group(1))
        if author:
            author_el = next(
                (e for find in _AUTHOR_FINDERS for e in find(own) if author in text_of(e)), None
            )
        text_el = _text_element(own, [author_el, date_el])
        if text_el is own:
            own = copy.deepcopy(own)
            total = len(text_of(own))
            header = [
                e
                for e in xpath(
                    own,
                    ".//header | .//footer | .//*[contains(@class,'meta') or contains(@class,'author')"
                    " or contains(@class,'vcard') or contains(@class,'date') or contains(@class,'info')]",
                )
                if len(text_of(e)) < min(HEADER_BLOCK_MAX_CHARS, total / 2)
            ]
            remove_elements(header)
            remove_elements(_matching(own, author, published))
            remove_elements([e for e in own.iter() if _is_byline(e)])
            text = "\n\n".join(
                line
                for line in comment_text(own).split("\n\n")
                if not DATE_IN_TEXT.fullmatch(line.strip(" |-–—,·"))
            )
        else:
            title = _comment_title(own, text_el, author)
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
) -> str | None:
    for index, find in enumerate(finders):
        for element in find(own):
            if element.tag in ("p", "blockquote") and index >= 3:
                continue  # a paragraph counts only when it says it is the author
            text = element.get("content") if element.tag == "meta" else text_of(element)
            text = clean_author(text)
            if text and len(text) <= limit and not DATE_IN_TEXT.fullmatch(text):
                return text
    return None


def _is_byline(element: HtmlElement) -> bool:
    return (
        isinstance(element.tag, str)
        and element.tag in ("h3", "h4", "h5", "h6", "strong", "b", "span", "div", "p", "header")
        and not any(True for _ in element.iterdescendants(*INNER_BLOCK_TAGS))
        and bool(BYLINE.match(text_of(element)))
    )


def _byline(own: HtmlElement) -> HtmlElement | None:
    """The block that reads "Kommentar von NAME" / "Comment by NAME", if any."""
    return next((e for e in own.iter() if _is_byline(e)), None)


def _comment_title(own: HtmlElement, text_el: HtmlElement, author: str | None) -> str | None:
    """A title the reader gave the comment: a heading of the item outside its text block that
    is neither the author, a date nor a byline."""
    for heading in own.iter("h3", "h4", "h5", "h6"):
        if heading is text_el or text_el in ancestors(heading) or heading in ancestors(text_el):
            continue
        text = text_of(heading)
        if (
            text
            and len(text) <= COMMENT_TITLE_MAX_CHARS
            and (not author or author not in text)
            and not DATE_IN_TEXT.search(text)
            and not BYLINE.match(text)
            and not xpath(heading, "ancestor-or-self::a | .//a")
        ):
            return text
    return None


def _matching(own: HtmlElement, author: str | None, published: str | None) -> list[HtmlElement]:
    """Short leaf blocks that only repeat the author or date (kept out of the text)."""
    out = []
    for element in own.iterdescendants():
        if not isinstance(element.tag, str) or len(element):
            continue
        text = text_of(element)
        if text and (
            text == author
            or (published and text == published)
            or DATE_IN_TEXT.fullmatch(text)
            or re.fullmatch(r"\d{1,2}[:.h]\d{2}(?:\s*uhr)?", text, re.I)
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
