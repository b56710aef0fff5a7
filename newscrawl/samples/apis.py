"""Comment APIs emulated on the sample server, as `SampleSite.handlers`.

- `WordPressComments`: ``/wp-json/wp/v2/comments?post=ID&per_page=N&page=P``, a JSON list
  with ``X-WP-Total`` / ``X-WP-TotalPages`` headers, like WordPress core.
- `DisqusThreads`: ``/api/3.0/threads/listPosts.json?thread=ID&limit=N&cursor=C``, the
  ``{"cursor": {...}, "code": 0, "response": [...]}`` shape of Disqus's listing.

Their data are plain lists that tests change between crawls (edit, add, remove comments).
A thread listed in `DisqusThreads.malformed_after` answers its page after that many pages
with cut-off JSON, to test that a broken answer is logged and the crawl goes on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .server import Answer, SampleSite, json_answer

WP_COMMENTS_PATH = "/wp-json/wp/v2/comments"
DISQUS_PATH = "/api/3.0/threads/listPosts.json"


def _first(query: dict[str, list[str]], name: str, default: str = "") -> str:
    return (query.get(name) or [default])[0]


@dataclass
class WordPressComments:
    """Comments by post id, each a dict in the WordPress REST shape (``id``, ``post``,
    ``parent``, ``author_name``, ``date``, ``date_gmt``, ``content.rendered``)."""

    comments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def __call__(self, path: str, query: dict[str, list[str]]) -> Answer | None:
        if path.rstrip("/") != WP_COMMENTS_PATH:
            return None
        post = _first(query, "post")
        try:
            per_page = max(1, min(100, int(_first(query, "per_page", "10"))))
            page = int(_first(query, "page", "1"))
        except ValueError:
            return json_answer({"code": "rest_invalid_param"}, status=400)
        listing = self.comments.get(post, [])
        pages = max(1, -(-len(listing) // per_page))
        if page < 1 or page > pages:
            return json_answer({"code": "rest_comment_invalid_page_number"}, status=400)
        chunk = listing[(page - 1) * per_page : page * per_page]
        return json_answer(
            chunk, headers={"X-WP-Total": str(len(listing)), "X-WP-TotalPages": str(pages)}
        )


@dataclass
class DisqusThreads:
    """Posts by thread id, each a dict in the Disqus shape (``id``, ``parent``,
    ``author.name``, ``createdAt``, ``message``); the cursor is the next offset."""

    threads: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    malformed_after: dict[str, int] = field(default_factory=dict)  # thread → good pages first

    def __call__(self, path: str, query: dict[str, list[str]]) -> Answer | None:
        if path.rstrip("/") != DISQUS_PATH:
            return None
        thread = _first(query, "thread")
        if thread not in self.threads:
            return json_answer({"code": 2, "response": "Invalid argument, 'thread'"}, status=400)
        try:
            limit = max(1, int(_first(query, "limit", "25")))
            offset = int(_first(query, "cursor", "0") or "0")
        except ValueError:
            return json_answer({"code": 2, "response": "Invalid cursor"}, status=400)
        if thread in self.malformed_after and offset >= self.malformed_after[thread] * limit:
            text = json.dumps({"cursor": {"hasNext": False}, "code": 0, "response": []})
            return Answer(200, text[: len(text) // 2], content_type="application/json")
        posts = self.threads[thread]
        chunk = posts[offset : offset + limit]
        has_next = offset + limit < len(posts)
        cursor = {"hasNext": has_next, "next": str(offset + limit) if has_next else None}
        return json_answer({"cursor": cursor, "code": 0, "response": chunk})


def wp_comment(
    cid: int, post: int, parent: int, author: str, date_gmt: str, html: str
) -> dict[str, Any]:
    """One comment as WordPress REST returns it (only the fields newscrawl reads, and link)."""
    return {
        "id": cid,
        "post": post,
        "parent": parent,
        "author_name": author,
        "date_gmt": date_gmt,
        "content": {"rendered": html},
        "link": f"https://wp.commentlab.example/api-wp/#comment-{cid}",
        "status": "approved",
    }


def disqus_post(
    pid: str, parent: str | None, author: str, created: str, html: str, likes: int = 0
) -> dict[str, Any]:
    """One post as Disqus's listPosts returns it (the fields newscrawl reads)."""
    return {
        "id": pid,
        "parent": parent,
        "author": {"name": author, "isAnonymous": False},
        "createdAt": created,
        "message": html,
        "likes": likes,
        "dislikes": 0,
        "isDeleted": False,
        "isSpam": False,
    }


def commentlab_wordpress() -> WordPressComments:
    """The WordPress REST comments of the commentlab pages ``/api-wp/`` (post 501: 3 pages of
    100) and ``/api-wp-auto/`` (post 502, found without a profile)."""
    listing = [
        wp_comment(7001, 501, 0, "Hanna Vogt", "2024-03-25T09:00:00",
                   "<p>Does the REST API show replies too?</p>"),
        wp_comment(7002, 501, 7001, "Comment Lab", "2024-03-25T09:20:00",
                   "<p>It does: <em>parent</em> names the comment replied to.</p>"),
    ]  # fmt: skip
    listing += [
        wp_comment(7100 + i, 501, 7001 if i % 50 == 0 else 0, f"Reader {i}",
                   f"2024-03-26T{10 + i // 60:02d}:{i % 60:02d}:00", f"<p>Comment number {i}.</p>")
        for i in range(1, 201)
    ]  # fmt: skip
    # /api-wp-auto/ (post 502): no profile names the API; the page advertises it.
    auto = [
        wp_comment(7301, 502, 0, "Ines Marr", "2024-04-03T07:15:00",
                   '<p>Found without a profile?</p><p>See <a href="https://example.org/">this</a>.</p>'),
        wp_comment(7302, 502, 7301, "Comment Lab", "2024-04-03T08:00:00",
                   "<p>Yes: the page advertises its REST API.</p>"),
        wp_comment(7303, 502, 0, "Tariq Bell", "2024-04-04T19:45:00", "<p>Third comment.</p>"),
    ]  # fmt: skip
    return WordPressComments({"501": listing, "502": auto})


def commentlab_disqus() -> DisqusThreads:
    """The Disqus-style threads of ``/api-disqus/`` (complete) and ``/api-disqus-broken/``
    (its second page is cut-off JSON)."""
    good = [
        disqus_post("9001", None, "Kai", "2024-03-27T08:00:00", "<p>Cursor paging works?</p>", 3),
        disqus_post("9002", "9001", "Lena", "2024-03-27T08:05:00", "<p>It does.</p><p>Two paragraphs.</p>"),
        disqus_post("9003", None, "Mo", "2024-03-27T09:00:00", "<p>Third post, second page.</p>", 1),
        disqus_post("9004", "9002", "Kai", "2024-03-27T09:30:00", "<p>Reply to a reply.</p>"),
        disqus_post("9005", None, "Nia", "2024-03-28T12:00:00", "<p>Last one, third page.</p>"),
    ]  # fmt: skip
    broken = [
        disqus_post("9101", None, "Oz", "2024-03-29T10:00:00", "<p>Before the break.</p>"),
        disqus_post("9102", None, "Pia", "2024-03-29T10:10:00", "<p>Also before it.</p>"),
        disqus_post("9103", None, "Quin", "2024-03-29T10:20:00", "<p>Never read.</p>"),
    ]  # fmt: skip
    return DisqusThreads({"cl-thread-7": good, "cl-thread-9": broken}, {"cl-thread-9": 1})


def serve_commentlab_apis(site: SampleSite) -> tuple[WordPressComments, DisqusThreads]:
    """Plug both emulations into a running commentlab `SampleSite`; returns them to edit."""
    wordpress, disqus = commentlab_wordpress(), commentlab_disqus()
    site.handlers[WP_COMMENTS_PATH] = wordpress
    site.handlers[DISQUS_PATH] = disqus
    return wordpress, disqus
