"""A forum thread found by its shape: the longest run of alike sibling blocks that each read
as one post (some text, a date, few links), whatever their classes are called.

Comment areas are found by name (`areas`); forum software names its posts anything
("postbit", "ipsEntry", "Post", a bare ``article`` or ``tr``). A page the page-type model
calls a forum is read again this way, and where the thread holds clearly more than the
comments found by name (`FORUM_THREAD_GAIN`) its first post becomes the body and the others
its comments (`forum_thread`).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Callable

from lxml.html import HtmlElement

from .. import lexicon
from ..context import PageContext
from ..document import INVISIBLE_TAGS, TextCache, paragraphs
from ..result import CommentData
from ..thresholds import (
    FORUM_INNER_RUN_SHARE,
    FORUM_POST_DATE_CHARS,
    FORUM_POST_MAX_LINK_SHARE,
    FORUM_POST_MIN_CHARS,
    FORUM_THREAD_GAIN,
    POST_CHROME_MIN_POSTS,
    POST_CHROME_MIN_SHARE,
    REPEAT_MIN_CHARS,
)
from .areas import signature
from .fields import DATE_IN_TEXT

# Blocks a post can be; a group of them must share their parent and their signature.
_POST_TAGS = frozenset({"div", "article", "li", "tr", "section", "table", "tbody", "dd"})
_RELATIVE_DATE = re.compile(rf"\b\d+\s+(?:{lexicon.RELATIVE_DATE_UNITS})\s+ago\b", re.I)
_WORD = re.compile(r"[^\W\d_]{2}")
_DIALOG_ROLES = frozenset({"dialog", "alertdialog"})
_NOT_THREAD = frozenset({"head", "select", "nav", "footer", "header", *INVISIBLE_TAGS})


def thread_posts(ctx: PageContext) -> list[HtmlElement]:
    """The posts of the page's thread, in page order ([] when no run of posts is found),
    found once per page context (the thread reading and the Q&A remarks both ask)."""
    if ctx.thread_posts is None:
        ctx.thread_posts = _find_thread_posts(ctx)
    return ctx.thread_posts


def _find_thread_posts(ctx: PageContext) -> list[HtmlElement]:
    """One pass over the tree: every element's children are grouped by signature (tag and
    class words), and each group is judged from cached text lengths; the group holding the
    most text that passes wins."""
    texts = ctx.texts
    passing: list[tuple[int, list[HtmlElement]]] = []
    top = 0
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
            if total <= FORUM_INNER_RUN_SHARE * top:
                continue
            if _reads_as_posts(ctx, members, total):
                passing.append((total, members))
                top = max(top, total)
    if not passing:
        return []
    return _with_marked_posts(_innermost(passing, top))


def _innermost(passing: list[tuple[int, list[HtmlElement]]], top: int) -> list[HtmlElement]:
    """The run with the most text, or a run inside one of its blocks that holds nearly as
    much: the posts themselves rather than the wrappers around them (a title block and the
    block holding every post read as two "posts" too)."""
    best = max(passing, key=lambda run: run[0])[1]
    while True:
        inner = [
            run
            for run in passing
            if run[0] >= FORUM_INNER_RUN_SHARE * top
            and any(m in run[1][0].iterancestors() for m in best)
        ]
        if not inner:
            return best
        best = max(inner, key=lambda run: run[0])[1]


def _with_marked_posts(members: list[HtmlElement]) -> list[HtmlElement]:
    """`members` and their siblings of the same tag whose classes hold all of theirs and
    more: forums mark the opening post with an extra class ("is-first",
    "message-threadStarterPost"), which puts it out of the run it opens."""
    tag, words = signature(members[0])
    if not words:
        return members
    chosen = set(members)
    return [
        child
        for child in members[0].getparent()
        if child in chosen or (child.tag == tag and set(words) < set(signature(child)[1]))
    ]


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
    """A ``time`` element, a date in an element's ``title`` (forum software shows "2 years
    ago" and keeps the date in the tooltip), or a date written near the start of the post."""
    if any(True for _ in post.iter("time")):
        return True
    if any(DATE_IN_TEXT.search(e.get("title", "")) for e in post.iter() if isinstance(e.tag, str)):
        return True
    start = ctx.texts.text(post)[:FORUM_POST_DATE_CHARS]
    return bool(DATE_IN_TEXT.search(start) or _RELATIVE_DATE.search(start))


def _dialog_paragraphs(ctx: PageContext) -> set[str]:
    """The paragraphs of the page's modal dialogs (``role="dialog"``, ``aria-modal``): a
    consent or login box that is hidden until opened, which the body search can take for
    the longest text of a forum page whose posts are cut in small blocks."""
    found: set[str] = set()
    for element in ctx.tree.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("aria-modal") == "true" or element.get("role") in _DIALOG_ROLES:
            found.update(paragraphs(element))
    return found


def with_noscript_shown(ctx: PageContext) -> PageContext:
    """`ctx` on a copy of its tree whose ``noscript`` blocks are shown (as ``div``).

    Forums rendered by JavaScript (Discourse, Flarum) put the thread, for crawlers and
    readers without scripts, in a ``noscript`` block that the body search never reads;
    the thread is read by its shape there as anywhere else. `ctx` itself when the page
    has no such block.
    """
    if next(ctx.tree.iter("noscript"), None) is None:
        return ctx
    tree = copy.deepcopy(ctx.tree)
    for element in tree.iter("noscript"):
        element.tag = "div"
    return dataclasses.replace(
        ctx,
        tree=tree,
        texts=TextCache(),
        chrome={},
        comment_headings={},
        body_measures=None,
        thread_posts=None,
    )


def forum_body(ctx: PageContext, body: str | None) -> str | None:
    """`body` without the paragraphs of modal dialogs (`_dialog_paragraphs`); None when
    nothing else is left."""
    if not body:
        return body
    dialog = _dialog_paragraphs(ctx)
    if not dialog:
        return body
    kept = [line for line in body.split("\n\n") if line not in dialog]
    return "\n\n".join(kept) or None


def post_level_comments(
    ctx: PageContext, body: str | None, comments: list[CommentData]
) -> list[CommentData]:
    """`comments`, or none of them when the body already holds the thread.

    Q&A forums put the question and its answers in the body, and under each post short
    remarks on it that the comment search finds by name: when two or more posts of the
    thread (by shape) stand in the body (their longest paragraph is one of its lines),
    the replies are in the body and what the search found are those remarks, or posts the
    body repeats.
    """
    if not body or not comments:
        return comments
    lines = set(body.split("\n\n"))
    in_body = 0
    for post in thread_posts(ctx):
        own = paragraphs(post)
        in_body += bool(own) and max(own, key=len) in lines
        if in_body >= 2:
            return []
    return comments


def without_repeats(body: str | None, comments: list[CommentData]) -> list[CommentData]:
    """`comments` without the paragraphs the thread already showed above them: quotes of an
    earlier post, a poster's signature under each of their posts, "Link to comment" lines.
    A reply left with nothing of its own is dropped."""
    seen = {line for line in (body or "").split("\n\n") if len(line) >= REPEAT_MIN_CHARS}
    kept = []
    for comment in comments:
        lines = comment.text.split("\n\n")
        own = [line for line in lines if len(line) < REPEAT_MIN_CHARS or line not in seen]
        seen.update(line for line in lines if len(line) >= REPEAT_MIN_CHARS)
        if own == lines:
            kept.append(comment)
        elif any(_WORD.search(line) for line in own):
            kept.append(dataclasses.replace(comment, text="\n\n".join(own)))
    return kept


def without_post_chrome(comments: list[CommentData]) -> list[CommentData]:
    """`comments` without the short lines that recur under many posts the same ("Click to
    expand...", "Senior Member", "Link to comment", "Reply Quote Like"): the forum's
    controls and rank titles, not anything a poster wrote."""
    counts: Counter[str] = Counter()
    for comment in comments:
        counts.update({line for line in comment.text.split("\n\n") if len(line) < REPEAT_MIN_CHARS})
    least = max(POST_CHROME_MIN_POSTS, POST_CHROME_MIN_SHARE * len(comments))
    chrome = {line for line, count in counts.items() if count >= least}
    if not chrome:
        return comments
    kept = []
    for comment in comments:
        own = [line for line in comment.text.split("\n\n") if line not in chrome]
        if any(_WORD.search(line) for line in own):
            kept.append(dataclasses.replace(comment, text="\n\n".join(own)))
    return kept


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
