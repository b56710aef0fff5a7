"""Comments read from a page's state blob (``window.__INITIAL_STATE__``, ``__NEXT_DATA__``) and
comment blocks that repeat in their own wrappers (React threads): small pages written here."""

from __future__ import annotations

import json

from newscrawl.extract import extract_page
from newscrawl.extract.comments.state import state_comments
from newscrawl.extract.document import parse_html

URL = "https://news.example/2024/05/story/"
ARTICLE = (
    "<article><h1>Story</h1><p>"
    + "The council met on Tuesday and voted on the new cycling plan for the city. " * 6
    + "</p></article>"
)


def _page(script: str, extra: str = "") -> str:
    return f"<html><head><title>Story</title></head><body>{ARTICLE}{extra}{script}</body></html>"


def _rows(comments) -> list[tuple]:
    return [(c.id, c.parent_id, c.author, c.published, c.text, c.score) for c in comments]


def test_assignment_blob_with_nested_replies_and_epoch_dates() -> None:
    state = {
        "article": {"id": 7, "title": "Story"},
        "comments": {
            "total": 3,
            "items": [
                {
                    "id": 101,
                    "user": {"displayName": "Ann"},
                    "createdAt": 1714557600,
                    "body": "<p>First point.</p><p>Second <b>point</b>.</p>",
                    "likes": 4,
                    "replies": [
                        {
                            "id": 102,
                            "user": {"displayName": "Bob"},
                            "createdAt": 1714561200000,
                            "body": "I disagree with Ann.",
                        }
                    ],
                },
                {"id": 103, "parentId": 0, "author": "Cleo", "date": "2024-05-02", "text": "Yes"},
            ],
        },
    }
    script = f"<script>window.__INITIAL_STATE__ = {json.dumps(state)};</script>"
    result = extract_page(_page(script), URL, False)
    assert _rows(result.comments) == [
        ("101", None, "Ann", "2024-05-01T10:00:00+00:00", "First point.\n\nSecond point.", 4),
        ("102", "101", "Bob", "2024-05-01T11:00:00+00:00", "I disagree with Ann.", None),
        ("103", None, "Cleo", "2024-05-02T00:00:00+00:00", "Yes", None),
    ]
    assert "disagree" not in (result.article.body or "")


def test_json_script_models_by_id_with_rich_text_and_parent_ids() -> None:
    rich = {
        "document": [{"c": [{"e": "text", "t": "Nice "}, {"t": "work."}]}, {"c": [{"t": "Two"}]}]
    }
    models = {
        "t1_a": {
            "id": "t1_a",
            "author": "x",
            "created": 1700000000,
            "media": {"richtextContent": rich},
        },
        "t1_b": {
            "id": "t1_b",
            "author": "y",
            "parentId": "t1_a",
            "created": 1700000060,
            "media": {"richtextContent": {"document": [{"c": [{"t": "Thanks!"}]}]}},
            "score": 2,
        },
    }
    blob = {"props": {"comments": {"drafts": {}, "models": models}}}
    script = f'<script type="application/json" id="__NEXT_DATA__">{json.dumps(blob)}</script>'
    assert _rows(state_comments(parse_html(_page(script)))) == [
        ("t1_a", None, "x", "2023-11-14T22:13:20+00:00", "Nice work.\n\nTwo", None),
        ("t1_b", "t1_a", "y", "2023-11-14T22:14:20+00:00", "Thanks!", 2),
    ]


def test_feed_of_articles_reads_the_first_articles_comments_only() -> None:
    def article(n: int) -> dict:
        comment = {"id": n * 10, "author": f"Reader {n}", "createdAt": "2024-05-01T10:00:00Z",
                   "comment": f"Comment on story {n}"}  # fmt: skip
        return {"id": n, "title": f"Story {n}", "comments": {"comments": [comment]}}

    blob = {"page": {"articles": [article(1), article(2)]}}
    script = f"<script>window.__STATE__={json.dumps(blob)};(function(){{}})();</script>"
    assert [c.text for c in state_comments(parse_html(_page(script)))] == ["Comment on story 1"]


def test_most_commented_teasers_and_comment_settings_are_not_comments() -> None:
    blob = {
        "mostCommented": [
            {
                "id": 5,
                "headline": "Other story",
                "author": "Desk",
                "date": "2024-05-01",
                "text": "A teaser of another story",
            },
        ],  # fmt: skip
        "comments": {"enabled": True, "display_comments": True},
    }
    script = f"<script>var state = {json.dumps(blob)};</script>"
    assert state_comments(parse_html(_page(script))) == []


def test_html_thread_with_more_comments_beats_a_preview_blob() -> None:
    items = "".join(
        f'<li class="comment" id="comment-{n}"><span class="comment-author">R{n}</span>'
        f'<time datetime="2024-05-0{n}T10:00:00Z">May {n}</time>'
        f'<div class="comment-content"><p>Reader comment number {n} here.</p></div></li>'
        for n in (1, 2, 3)
    )
    html_thread = f'<ol class="comment-list">{items}</ol>'
    preview = {"topComments": [{"id": 1, "author": "R1", "text": "Reader comment number 1 here."}]}
    script = f"<script>window.__DATA__ = {json.dumps(preview)};</script>"
    result = extract_page(_page(script, html_thread), URL, False)
    assert [c.id for c in result.comments] == ["1", "2", "3"]


def test_repeated_comment_blocks_each_in_own_wrapper_are_one_comment_each() -> None:
    def comment(n: int, pad: int) -> str:
        return (
            f'<div><div><div id="t1_{n}" style="padding-left:{pad}px">'
            f'<div class="x9f Comment t1_{n}">'
            f'<button aria-label="upvote">up</button>'
            f"<div><span>level 1</span><div><span>{n} points</span>"
            f'<a href="/c/{n}/"><span>6 years ago</span></a></div>'
            f"<div><p>This is what reader {n} thinks about the cycling plan.</p></div></div>"
            f"</div></div></div></div>"
        )

    thread = '<div class="threadwrap">' + "".join(comment(n, 16) for n in (1, 2, 3)) + "</div>"
    result = extract_page(_page("", thread), URL, False)
    texts = [c.text for c in result.comments]
    assert len(texts) == 3
    assert all(f"reader {n} thinks" in t for n, t in zip((1, 2, 3), texts, strict=True))
    assert "reader 2 thinks" not in (result.article.body or "")


# --- WordPress REST discovery (no profile) ---------------------------------------------------

WP_HEAD = '<link rel="https://api.w.org/" href="https://blog.example/wp-json/">'
WP_FORM = '<div id="respond"><form action="https://blog.example/wp-comments-post.php"></form></div>'


def _wp(head: str, body: str, body_class: str = "single postid-42") -> str:
    return f'<html><head>{head}</head><body class="{body_class}">{ARTICLE}{body}</body></html>'


def test_wp_rest_discovered_from_resource_link_and_comment_form() -> None:
    from newscrawl.extract.comments.api import wp_rest_comments_url

    head = WP_HEAD + (
        '<link rel="alternate" type="application/json"'
        ' href="https://blog.example/wp-json/wp/v2/posts/77">'
    )
    url = wp_rest_comments_url(parse_html(_wp(head, WP_FORM, "single")), URL)
    assert url == "https://blog.example/wp-json/wp/v2/comments?post=77&per_page=100"


def test_wp_rest_discovery_needs_api_post_and_open_comments() -> None:
    from newscrawl.extract.comments.api import wp_rest_comments_url

    # rest_route sites (no pretty permalinks), post id from the body class
    head = '<link rel="https://api.w.org/" href="https://blog.example/?rest_route=/">'
    assert wp_rest_comments_url(parse_html(_wp(head, WP_FORM)), URL) == (
        "https://blog.example/?rest_route=%2Fwp%2Fv2%2Fcomments&post=42&per_page=100"
    )
    count = '<meta itemprop="commentCount" content="3">'
    assert wp_rest_comments_url(parse_html(_wp(WP_HEAD, count)), URL) is not None
    closed = '<meta itemprop="commentCount" content="0"><p>Comments are closed.</p>'
    assert wp_rest_comments_url(parse_html(_wp(WP_HEAD, closed)), URL) is None
    assert wp_rest_comments_url(parse_html(_wp("", WP_FORM)), URL) is None  # not WordPress
    assert wp_rest_comments_url(parse_html(_wp(WP_HEAD, WP_FORM, "home")), URL) is None


# --- comment text hygiene ----------------------------------------------------------------


def _blog(items: str, published: str = "2019-06-18T10:00:00+00:00") -> str:
    return (
        f'<html><head><meta property="article:published_time" content="{published}"></head>'
        f'<body>{ARTICLE}<div id="comments"><h2>3 Comments</h2>{items}</div></body></html>'
    )


def test_header_lines_give_author_and_date_and_leave_the_text() -> None:
    items = "".join(
        f'<div class="comment" id="comment-{n}"><div class="comment-body">'
        f"<p>{head}</p><p>Reader {n} writes about the cycling plan here.</p>"
        f"<p>{foot}</p></div></div>"
        for n, head, foot in (
            (1, "Tobsen · April 19, 2019", "Viele Grüße, Tobsen"),
            (2, "22.09.20 | 12:45 emari", "Reply"),
            (3, "Log In", "Antworten"),
        )
    )
    result = extract_page(_blog(items), URL, False)
    got = [(c.author, c.published[:10] if c.published else None, c.text) for c in result.comments]
    assert got[:2] == [
        ("Tobsen", "2019-04-19", "Reader 1 writes about the cycling plan here.\n\nViele Grüße, Tobsen"),
        ("emari", "2020-09-22", "Reader 2 writes about the cycling plan here."),
    ]  # fmt: skip
    assert got[2][2] == "Reader 3 writes about the cycling plan here."


def test_header_line_with_an_upper_case_clock_time() -> None:
    """ "12:45 PM" and "12:45 Uhr" are times however they are written, never part of a name."""
    items = "".join(
        f'<div class="comment" id="comment-{n}"><div class="comment-body">'
        f"<p>{head}</p><p>Reader {n} writes about the cycling plan here.</p></div></div>"
        for n, head in ((1, "22.09.20 | 12:45 PM emari"), (2, "23.09.20 | 09:10 UHR Tobsen"))
    )
    got = [(c.author, c.published[:10]) for c in extract_page(_blog(items), URL, False).comments]
    assert got == [("emari", "2020-09-22"), ("Tobsen", "2020-09-23")]


def test_a_comment_that_is_only_a_login_prompt_is_dropped() -> None:
    items = "".join(
        f'<div class="comment" id="comment-{n}"><p>{text}</p></div>'
        for n, text in ((1, "Log In"), (2, "Log In"))
    )
    assert extract_page(_blog(items), URL, False).comments == []


def test_a_date_without_year_takes_the_articles_year() -> None:
    items = "".join(
        f'<li class="comment" id="comment-{n}"><div class="comment-author"><cite class="fn">Ann'
        f'</cite></div><div class="comment-metadata"><a href="#comment-{n}">{when}</a></div>'
        f'<div class="comment-content"><p>Reader comment number {n} here.</p></div></li>'
        for n, when in ((1, "Jun 20th at 2:41 am"), (2, "Jan 3rd at 9:00 pm"))
    )
    items = f'<ol class="commentlist">{items}</ol>'
    dates = [c.published for c in extract_page(_blog(items), URL, False).comments]
    assert dates == ["2019-06-20T02:41:00+00:00", "2020-01-03T21:00:00+00:00"]
