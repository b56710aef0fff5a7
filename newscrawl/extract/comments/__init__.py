"""Reader comments found in a page's HTML, with their threading.

Sources, first that yields wins: the profile's selectors, WordPress markup
(``ol.commentlist``/``ol.comment-list``), schema.org ``Comment`` in microdata, a general rule
for repeated blocks inside a comment area (Drupal, Disqus-less blogs, forums, "Réactions" or
"Kommentare" blocks), and last the ``comment`` property of the JSON-LD article. A page-state
blob (`state`) wins over them where it holds more. API-served comments (WordPress REST,
Disqus-style JSON) are read by `api`.

The modules, in the order a page goes through them: `markup` (sources that say what they
are), `areas` (where a thread is), `items` (which blocks are single comments), `generic`
(each block's fields), `tidy` (lines that only repeat the author or date), with the shared
`text` and `fields` helpers and `find` (the searches made inside every comment, walked);
`thread` reads a forum page's posts by their shape alone; `pages` finds the links to a
thread's other pages (``comment-page-N``, ``?cpage=``, "older comments") so the crawler can
follow them.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from ...dates import to_iso8601
from ...profiles import SiteProfile
from ..context import PageContext
from ..document import parse_html
from ..result import CommentData
from .areas import marked_comment_areas
from .generic import comments_of_items, generic_comments
from .markup import jsonld_comments, microdata_comments, profile_comments, wordpress_comments
from .pages import comment_page_links, post_id_from_page
from .state import state_comments
from .text import comment_text, fragment_text, site_comment_id
from .thread import (
    forum_body,
    forum_thread,
    post_level_comments,
    with_noscript_shown,
    without_post_chrome,
    without_repeats,
)
from .tidy import tidy, unique_ids

__all__ = [
    "comment_page_links",
    "comment_text",
    "extract_comments",
    "forum_comments",
    "fragment_text",
    "marked_comment_areas",
    "post_id_from_page",
    "read_comment_page",
    "site_comment_id",
]


def extract_comments(ctx: PageContext) -> tuple[list[CommentData], list[HtmlElement]]:
    """All HTML comments of the page, and the elements that hold them (kept out of the body)."""
    tree, profile = ctx.tree, ctx.profile
    if profile and profile.comments.source == "none":
        return [], []
    if profile and profile.comments.item is not None:
        comments, used = profile_comments(tree, profile.comments)
        if comments:
            return comments, used
    # A page-state blob holds the comments the HTML is rendered from, with their real ids,
    # parents and dates, and often more than the HTML shows (the first few, a "top" tab): it
    # wins when it has more, and over the general rule when it has as many.
    state = state_comments(tree)
    zones: list[HtmlElement] = []
    for finder in (wordpress_comments, microdata_comments, generic_comments):
        comments, used = finder(ctx)
        comments = [c for c in map(tidy, comments) if c is not None]
        if comments:
            generic = finder is generic_comments
            if len(state) > len(comments) or (generic and len(state) == len(comments)):
                return unique_ids(state), used
            return unique_ids(comments), used
        zones = zones or used
    if state:
        return unique_ids(state), zones
    return jsonld_comments(ctx.sources.jsonld), zones


def forum_comments(
    ctx: PageContext, body: str | None, comments: list[CommentData]
) -> tuple[str | None, list[CommentData]] | None:
    """A forum page's thread read by its shape (`thread`): its opening post as the body and
    the other posts as comments, when that holds clearly more than `body` and `comments`;
    None to keep those."""

    shown = with_noscript_shown(ctx)

    def read(posts: list[HtmlElement]) -> list[CommentData]:
        found = comments_of_items(shown, posts[0].getparent(), posts)
        return [c for c in map(tidy, found) if c is not None]

    cleaned = forum_body(ctx, body)
    thread = forum_thread(shown, cleaned, comments, read)
    if thread is None:
        kept = without_repeats(cleaned, post_level_comments(ctx, cleaned, comments))
        kept = without_post_chrome(kept)
        return None if cleaned == body and kept == comments else (cleaned, kept)
    opening, replies = thread
    return opening, without_post_chrome(without_repeats(opening, unique_ids(replies)))


def read_comment_page(
    html: str | bytes, url: str, profile: SiteProfile | None, content_type: str | None = None
) -> tuple[list[CommentData], list[str]]:
    """A thread's further page: its comments (dates in ISO 8601) and its links to other pages.

    The page is read without its metadata (no JSON-LD comments) and its dates in any language.
    """
    tree = parse_html(html, content_type)
    tz = profile.timezone if profile else None
    comments, _ = extract_comments(PageContext(tree, url, profile, timezone=tz))
    for comment in comments:
        comment.published = to_iso8601(comment.published, tz)
    rules = profile.comments if profile else None
    return comments, comment_page_links(tree, url, rules.pagination if rules else None)
