"""Comments served as JSON by a comment API, parsed into the same `CommentData` records as
HTML comments. Pure functions: the spider (`newscrawl.spiders.comments`) fetches, this reads.

- WordPress REST: ``/wp-json/wp/v2/comments?post=ID&per_page=100&page=N``, a JSON list;
  the page count is in the ``X-WP-TotalPages`` header; ``parent`` 0 means top level.
- Disqus-style thread listing: ``{"cursor": {"hasNext", "next"}, "response": [posts]}``
  with ``id``, ``parent``, ``author.name``, ``createdAt`` (UTC), ``message`` (HTML).

A body that is not the expected JSON raises `CommentApiError`, so the caller can log it,
count it, and leave the thread marked incomplete (no removals are inferred from it).

`wp_rest_comments_url` finds, without a profile, the WordPress REST listing of a page whose
comments are open but not in its HTML (themes and plugins that load them with JavaScript).
Disqus is not discovered: its API needs a key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement
from w3lib.url import add_or_replace_parameter

from ... import safejson
from ...urls import join_url
from ..document import clean_text, xpath
from ..result import CommentData
from .pages import post_id_from_page
from .text import fragment_text

# WordPress ≥ 4.4 advertises its REST root on every page, and ≥ 5.0 the post's own REST
# resource (any post type: posts, pages, products…).
_REST_ROOT = "/descendant::link[@rel='https://api.w.org/']/@href"
_REST_RESOURCE = "/descendant::link[@rel='alternate'][contains(@type,'json')]/@href"
_RESOURCE_ID = re.compile(r"/wp/v2/[a-z0-9_-]+/(\d+)/?(?:$|[?&#])")
# Signs that a page takes or shows comments: WordPress's comment form, the theme's comment
# area, or a comment count above zero.
_COMMENTS_OPEN = (
    "/descendant::*[self::form[contains(@action,'wp-comments-post.php')]"
    " or @id='respond' or @id='comments'"
    " or contains(concat(' ',normalize-space(@class),' '),' comments-area ')]"
)
_COMMENT_COUNT = "//*[@itemprop='commentCount']/@content | //*[@itemprop='commentCount']/text()"


class CommentApiError(ValueError):
    """The API answered something that is not a comment listing."""


@dataclass
class ApiPage:
    """One page of an API listing: its comments and how to get the next page, if any."""

    comments: list[CommentData]
    next_page: int | None = None  # WordPress REST
    next_cursor: str | None = None  # Disqus-style


def _load(body: bytes | str) -> Any:
    try:
        return safejson.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CommentApiError(f"not JSON: {exc}") from None


def _html_text(html: str | None) -> str:
    """Rendered comment HTML to paragraphs (the APIs send markup, not text)."""
    if not html or not html.strip():
        return ""
    if "<" not in html:
        return clean_text(html)
    return fragment_text(html)


def _utc(value: Any) -> str | None:
    """API dates are UTC; some leave the offset out."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    if value.endswith("Z") or value[-6:-5] in "+-" and value[-3:-2] == ":":
        return value
    return value + "+00:00"


def _id(value: Any) -> str | None:
    if value is None or value == "" or value == 0 or value == "0":
        return None
    return str(value)


def parse_wp_rest(body: bytes | str, page: int = 1, total_pages: str | None = None) -> ApiPage:
    """One page of ``/wp-json/wp/v2/comments``; `total_pages` is the X-WP-TotalPages header."""
    data = _load(body)
    if not isinstance(data, list):
        raise CommentApiError(f"expected a JSON list of comments, got {type(data).__name__}")
    comments = []
    for entry in data:
        if not isinstance(entry, dict) or "id" not in entry:
            raise CommentApiError("a comment entry has no id")
        content = entry.get("content")
        html = content.get("rendered") if isinstance(content, dict) else content
        text = _html_text(html if isinstance(html, str) else None)
        if not text:
            continue
        comments.append(
            CommentData(
                id=_id(entry.get("id")),
                parent_id=_id(entry.get("parent")),
                author=clean_text(entry.get("author_name")) or None,
                published=_utc(entry.get("date_gmt")) or entry.get("date"),
                text=text,
            )
        )
    try:
        total = int(total_pages) if total_pages else page
    except ValueError:
        total = page
    return ApiPage(comments, next_page=page + 1 if page < total and data else None)


def parse_disqus(body: bytes | str) -> ApiPage:
    """One page of a Disqus-style ``listPosts`` answer, with the cursor of the next page."""
    data = _load(body)
    if not isinstance(data, dict) or not isinstance(data.get("response"), list):
        raise CommentApiError("expected an object with a 'response' list")
    if data.get("code") not in (None, 0):
        raise CommentApiError(f"API error code {data.get('code')}: {data.get('response')}")
    comments = []
    for post in data["response"]:
        if not isinstance(post, dict) or "id" not in post:
            raise CommentApiError("a post has no id")
        if post.get("isDeleted") or post.get("isSpam"):
            continue
        text = _html_text(post.get("message") or post.get("raw_message"))
        if not text:
            continue
        author = post.get("author")
        name = author.get("name") if isinstance(author, dict) else author
        score = post.get("points")
        if score is None and ("likes" in post or "dislikes" in post):
            score = int(post.get("likes") or 0) - int(post.get("dislikes") or 0)
        comments.append(
            CommentData(
                id=_id(post.get("id")),
                parent_id=_id(post.get("parent")),
                author=clean_text(name) if isinstance(name, str) else None,
                published=_utc(post.get("createdAt")),
                text=text,
                score=int(score) if isinstance(score, (int, float)) else None,
            )
        )
    cursor = data.get("cursor") if isinstance(data.get("cursor"), dict) else {}
    has_next = bool(cursor.get("hasNext")) and bool(cursor.get("next"))
    return ApiPage(comments, next_cursor=str(cursor["next"]) if has_next else None)


def wp_rest_comments_url(tree: HtmlElement, page_url: str) -> str | None:
    """The WordPress REST comment listing of this page (``…/wp/v2/comments?post=ID&per_page=100``)
    when the page advertises the REST API, names its post and takes or shows comments.

    The post id is read from the post's REST resource link, else from WordPress's page
    markers (``?p=ID`` shortlink, ``postid-ID`` body class, ``article#post-ID``). Sites that
    serve the API under ``?rest_route=`` (no pretty permalinks) are asked that way.
    """
    roots = tree.xpath(_REST_ROOT)
    if not roots or not str(roots[0]).strip():
        return None
    post_id = next(
        (m.group(1) for h in tree.xpath(_REST_RESOURCE) if (m := _RESOURCE_ID.search(str(h)))),
        None,
    ) or post_id_from_page(tree)
    if not post_id or not _comments_expected(tree):
        return None
    root = join_url(page_url, str(roots[0]))
    if root is None:
        return None
    if "rest_route=" in root:
        url = add_or_replace_parameter(root, "rest_route", "/wp/v2/comments")
    else:
        url = root.rstrip("/") + "/wp/v2/comments"
    url = add_or_replace_parameter(url, "post", post_id)
    return add_or_replace_parameter(url, "per_page", "100")


def _comments_expected(tree: HtmlElement) -> bool:
    """A comment form or area, or a positive comment count: a closed post without comments
    shows none of these and is not asked for."""
    if xpath(tree, _COMMENTS_OPEN):
        return True
    for value in tree.xpath(_COMMENT_COUNT):
        digits = re.sub(r"\D", "", str(value))
        if digits and int(digits) > 0:
            return True
    return False
