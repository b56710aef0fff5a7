"""Reader comments kept in a page's state blob: the JSON a JavaScript front end renders from.

Server-rendered single-page apps ship their data in a ``<script>``: ``window.__INITIAL_STATE__ =
{…}``, ``<script type="application/json" id="__NEXT_DATA__">``, ``window.___r = {…}``. When
that data holds the article's comments, they are there with their real ids, parents, authors
and dates, often more of them than the HTML shows (a "load more" button reveals the rest), and
sometimes only there (the HTML is filled in by the browser).

A *comment listing* is a list or a dict of objects under a key that says comments (``comments``,
``commentList``, ``comments.models``), where most objects have an id, a text with words, and an
author or a date. Replies come nested (``replies``, ``children``) or with a parent id
(``parentId``, ``parent_id``, ``replyTo``). Rich-text bodies (a document of paragraphs of text
runs) are flattened to paragraphs. Listings of several articles (an infinite-scroll feed)
are read for the first article only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from lxml.html import HtmlElement

from ..document import clean_text
from ..result import CommentData
from .text import fragment_text

# A script is worth parsing only if a key names comments and opens a list or object.
# (No leading ``\w*``: on long base64 runs that backtracks quadratically.)
_COMMENT_KEY = re.compile(r"""[Cc]omment\w{0,40}["']?\s*:\s*[\[{]""")
_JSON_TYPES = ("", "application/json", "text/javascript", "application/javascript", "module")
_ASSIGNMENT = re.compile(r"^\s*(?:(?:window|self|globalThis)\.)?[\w$.\[\]'\"]+\s*=\s*(?=[\[{])")
_WORDS = re.compile(r"[^\W\d_]{2}")

_ID_KEYS = ("id", "commentId", "comment_id", "_id", "cid", "uuid")
_PARENT_KEYS = (
    "parentId", "parent_id", "parentCommentId", "parent_comment_id", "parent",
    "replyTo", "reply_to", "inReplyTo", "in_reply_to", "replyToId",
)  # fmt: skip
_AUTHOR_KEYS = (
    "author", "authorName", "author_name", "user", "userName", "username", "owner",
    "displayName", "display_name", "nickname", "name",
)  # fmt: skip
_NAME_KEYS = ("name", "displayName", "display_name", "username", "userName", "nickname", "login")
_DATE_KEYS = (
    "createdAt", "created_at", "created", "created_utc", "dateCreated", "date", "date_gmt",
    "datePublished", "publishedAt", "published_at", "published", "postedAt", "posted_at",
    "creationDate", "timestamp", "time",
)  # fmt: skip
_TEXT_KEYS = (
    "body", "text", "comment", "content", "message", "html", "bodyHtml", "body_html",
    "commentText", "comment_text", "contentHtml", "content_html", "raw_message",
)  # fmt: skip
_TEXT_NAME = re.compile(r"text|content|body|message", re.I)
_SCORE_KEYS = ("score", "points", "likesTotal", "likes", "likeCount", "upvotes", "voteCount")
_CHILD_KEYS = ("replies", "children", "comments", "answers", "responses", "subComments")
_DELETED_KEYS = ("isDeleted", "deleted", "is_deleted", "isRemoved", "removed", "isSpam")
# Article-like objects (teasers of "most commented" lists) are not comments.
_NOT_COMMENT_KEYS = ("headline", "teaser", "slug", "commentCount", "commentsCount")


def state_comments(tree: HtmlElement) -> list[CommentData]:
    """Comments found in the page's state blobs, threaded; empty when there are none."""
    comments: list[CommentData] = []
    seen: set[tuple[str | None, str]] = set()
    for data in _state_blobs(tree):
        for comment in _listing_comments(data):
            key = (comment.id, comment.text) if comment.id is None else (comment.id, "")
            if key not in seen:
                seen.add(key)
                comments.append(comment)
    return comments


def _state_blobs(tree: HtmlElement) -> Iterator[Any]:
    """The JSON values of scripts that mention a comments key (JSON scripts or assignments)."""
    decoder = json.JSONDecoder()
    for script in tree.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        if kind not in _JSON_TYPES or kind == "application/ld+json":
            continue
        source = script.text or ""
        if len(source) < 40 or "omment" not in source or not _COMMENT_KEY.search(source):
            continue
        source = source.strip()
        if source[:1] not in "[{":
            match = _ASSIGNMENT.match(source)
            if not match:
                continue
            source = source[match.end() :]
        try:
            data, _ = decoder.raw_decode(source)
        except ValueError:
            continue
        yield data


def _listing_comments(data: Any) -> list[CommentData]:
    """The first comment listing (and those beside it) found walking `data`."""
    found: list[CommentData] = []
    _walk(data, False, found)
    return found


def _walk(node: Any, named: bool, found: list[CommentData]) -> bool:
    """Depth-first search for comment listings; `named`: a key on the way said comments.

    Returns True once a listing was found under `node`, so that of a list of articles only the
    first article's comments are read.
    """
    if isinstance(node, dict):
        hit = False
        for key, value in node.items():
            if not isinstance(value, (dict, list)) or not value:
                continue
            says = "comment" in str(key).lower()
            if (says or named) and _is_listing(value):
                found.extend(_read_listing(value, None))
                hit = True
            elif _walk(value, says or (named and _is_container_key(key)), found):
                hit = True
        return hit
    if isinstance(node, list):
        for item in node:
            if isinstance(item, (dict, list)) and _walk(item, named, found):
                return True
    return False


def _is_container_key(key: Any) -> bool:
    """Keys between a comments key and its items (``comments.models``, ``comments.data``)."""
    return str(key).lower() in {"models", "data", "items", "list", "entries", "results", "nodes"}


def _members(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return list(value.values())
    return value if isinstance(value, list) else []


def _is_listing(value: Any) -> bool:
    """Most members are comment-shaped objects."""
    members = _members(value)
    if not members or not all(isinstance(m, dict) for m in members):
        return False
    good = sum(1 for m in members if _looks_like_comment(m))
    return good > 0 and good * 2 > len(members)


def _looks_like_comment(obj: dict[str, Any]) -> bool:
    if any(obj.get(k) for k in _NOT_COMMENT_KEYS):
        return False
    if _first(obj, _ID_KEYS) is None:
        return False
    if not _WORDS.search(_text(obj)):
        return False
    return _author(obj) is not None or _date(obj) is not None


def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = obj.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _read_listing(value: Any, parent: str | None) -> list[CommentData]:
    """The listing's comments in order, each followed by its nested replies."""
    out: list[CommentData] = []
    for obj in _members(value):
        if not isinstance(obj, dict) or not _looks_like_comment(obj):
            continue
        own = _ident(_first(obj, _ID_KEYS))
        if not any(obj.get(k) is True for k in _DELETED_KEYS):
            out.append(
                CommentData(
                    id=own,
                    parent_id=_parent(obj) or parent,
                    author=_author(obj),
                    published=_date(obj),
                    text=_text(obj),
                    score=_score(obj),
                )
            )
        for key in _CHILD_KEYS:
            child = obj.get(key)
            if not _is_listing(child):  # else a wrapper: ``"replies": {"items": [...]}``
                wrapped = child.values() if isinstance(child, dict) else ()
                child = next((v for v in wrapped if _is_listing(v)), None)
            if child is not None:
                out.extend(_read_listing(child, own))
    return out


def _ident(value: Any) -> str | None:
    """An id as text; 0 and empty mean none (a top-level comment's parent)."""
    if value is None or isinstance(value, (dict, list, bool)) or value in ("", 0, "0"):
        return None
    return str(value)


def _parent(obj: dict[str, Any]) -> str | None:
    value = _first(obj, _PARENT_KEYS)
    if isinstance(value, dict):
        value = _first(value, _ID_KEYS)
    return _ident(value)


def _author(obj: dict[str, Any]) -> str | None:
    for key in _AUTHOR_KEYS:
        value = obj.get(key)
        if isinstance(value, dict):
            value = _first(value, _NAME_KEYS)
        if isinstance(value, str) and clean_text(value):
            return clean_text(value)
    return None


def _date(obj: dict[str, Any]) -> str | None:
    """ISO 8601: strings as given (the pipeline normalises them), epoch numbers as UTC."""
    for key in _DATE_KEYS:
        value = obj.get(key)
        if isinstance(value, bool) or value in (None, ""):
            continue
        if isinstance(value, (int, float)) and value > 0:
            seconds = value / 1000 if value > 10**11 else value
            try:
                return datetime.fromtimestamp(seconds, timezone.utc).isoformat()
            except (OverflowError, OSError, ValueError):
                continue
        if isinstance(value, str) and re.search(r"\d{4}|\d{1,2}[./]\d{1,2}", value):
            return value.strip()
    return None


def _score(obj: dict[str, Any]) -> int | None:
    votes = obj.get("votes")
    if isinstance(votes, dict) and isinstance(votes.get("up"), int):
        down = votes.get("down")
        return votes["up"] - (down if isinstance(down, int) else 0)
    for key in _SCORE_KEYS:
        value = obj.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return int(value)
    return None


def _text(obj: dict[str, Any]) -> str:
    """The reader's words: a text key's string (HTML rendered to paragraphs) or rich text."""
    for key in _TEXT_KEYS:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return _html_text(value)
    for key, value in obj.items():
        if key in _CHILD_KEYS or not isinstance(value, dict):
            continue
        for inner_key, inner in value.items():
            if _TEXT_NAME.search(str(inner_key)) and isinstance(inner, (dict, list)):
                text = "\n\n".join(_rich_paragraphs(inner))
                if text:
                    return text
            if inner_key in (*_TEXT_KEYS, "rendered") and isinstance(inner, str) and inner.strip():
                return _html_text(inner)
    return ""


def _rich_paragraphs(node: Any) -> list[str]:
    """A rich-text document (``{"document": [{"c": [{"t": "…"}]}]}``, Draft.js blocks,
    ProseMirror nodes): one paragraph per block of the first list, its text runs joined."""
    if isinstance(node, dict):
        for value in node.values():
            if isinstance(value, list):
                return _rich_paragraphs(value)
        return []
    paragraphs = [clean_text("".join(_runs(block))) for block in node]
    return [p for p in paragraphs if p]


def _runs(node: Any) -> Iterator[str]:
    """Text runs of a rich-text block: strings under ``t``/``text``/``value``, in order."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("t", "text", "value") and isinstance(value, str):
                yield value
            elif isinstance(value, (dict, list)):
                yield from _runs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _runs(item)


def _html_text(value: str) -> str:
    """Comment bodies often come as HTML: render them to paragraphs."""
    if "<" not in value or not re.search(r"<[a-zA-Z/][^>]*>", value):
        return "\n\n".join(p for p in (clean_text(x) for x in value.split("\n\n")) if p)
    return fragment_text(value)
