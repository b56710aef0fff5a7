"""A forum thread found by its shape: the longest run of alike sibling blocks that each read
as one post (some text, a date, few links), whatever their classes are called.

Comment areas are found by name (`areas`); forum software names its posts anything
("postbit", "ipsEntry", "Post", a bare ``article`` or ``tr``). A page the page-type model
calls a forum is read again this way, and where the thread holds clearly more than the
comments found by name (`FORUM_THREAD_GAIN`) its first post becomes the body and the others
its comments (`forum_thread`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from lxml.html import HtmlElement

from ..context import PageContext
from ..document import INVISIBLE_TAGS
from ..result import CommentData
from ..thresholds import (
    FORUM_POST_DATE_CHARS,
    FORUM_POST_MAX_LINK_SHARE,
    FORUM_POST_MIN_CHARS,
    FORUM_THREAD_GAIN,
)
from .areas import signature
from .fields import DATE_IN_TEXT

# Blocks a post can be; a group of them must share their parent and their signature.
_POST_TAGS = frozenset({"div", "article", "li", "tr", "section", "table", "tbody", "dd"})
_NOT_THREAD = frozenset({"head", "select", "nav", "footer", "header", *INVISIBLE_TAGS})


def thread_posts(ctx: PageContext) -> list[HtmlElement]:
    """The posts of the page's thread, in page order ([] when no run of posts is found).

    One pass over the tree: every element's children are grouped by signature (tag and
    class words), and each group is judged from cached text lengths; the group holding the
    most text that passes wins.
    """
    texts = ctx.texts
    best: tuple[int, list[HtmlElement]] | None = None
    for parent in ctx.tree.iter():
        if not isinstance(parent.tag, str) or parent.tag in _NOT_THREAD:
            continue
        groups: dict[tuple[str, tuple[str, ...]], list[HtmlElement]] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str) and child.tag in _POST_TAGS:
                groups[signature(child)].append(child)
        for members in groups.values():
            if len(members) < 2:
                continue
            total = sum(texts.length(m) for m in members)
            if best is not None and total <= best[0]:
                continue
            if _reads_as_posts(ctx, members, total):
                best = (total, members)
    return best[1] if best else []


def _reads_as_posts(ctx: PageContext, members: list[HtmlElement], total: int) -> bool:
    """Two or more blocks of text, most of them dated near their start, mostly not links."""
    texts = ctx.texts
    posts = [m for m in members if texts.length(m) >= FORUM_POST_MIN_CHARS]
    if len(posts) < 2:
        return False
    linked = sum(texts.length(a) for m in posts for a in m.iter("a"))
    if linked > FORUM_POST_MAX_LINK_SHARE * total:
        return False
    dated = sum(1 for m in posts if _dated(m, ctx))
    return dated * 2 > len(posts)


def _dated(post: HtmlElement, ctx: PageContext) -> bool:
    """A ``time`` element, or a date written near the start of the post."""
    if any(True for _ in post.iter("time")):
        return True
    return bool(DATE_IN_TEXT.search(ctx.texts.text(post)[:FORUM_POST_DATE_CHARS]))


def forum_thread(
    ctx: PageContext,
    body: str | None,
    comments: list[CommentData],
    read_posts: Callable[[list[HtmlElement]], list[CommentData]],
) -> tuple[str | None, list[CommentData]] | None:
    """The thread as (body, comments) when read by its shape it holds clearly more than
    `body` and `comments` do; None to keep them.

    `read_posts(posts)` turns the post elements into comments (the generic comment fields:
    author, date, text without chrome), so a post reads like any comment.
    """
    posts = thread_posts(ctx)
    if not posts:
        return None
    found = [c for c in read_posts(posts) if c.text]
    if len(found) < 2:
        return None
    now = len(body or "") + sum(len(c.text) for c in comments)
    thread = sum(len(c.text) for c in found)
    if thread <= FORUM_THREAD_GAIN * now:
        return None
    return found[0].text, found[1:]
