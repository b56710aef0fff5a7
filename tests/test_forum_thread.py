"""Forum threads: the opening post is the body, every reply a comment with its author and
date, whether the posts are named by class (phpBB) or only shaped alike (a bare table)."""

from __future__ import annotations

from pathlib import Path

from newscrawl.extract import PageContext, extract_page, parse_html
from newscrawl.extract.comments import forum_comments
from newscrawl.extract.comments.thread import thread_posts

PAGES = Path(__file__).parent / "pages"
PHPBB_URL = "https://forum.tinkerboard.example/forum/hardware/laptops/topic-48213.html"


def test_a_phpbb_thread_gives_its_opening_post_as_body_and_the_replies_as_comments() -> None:
    result = extract_page((PAGES / "forum_thread.html").read_text(encoding="utf-8"), PHPBB_URL)
    assert result.page_type == "forum"
    assert result.article.body == (
        "Since I installed BIOS 1.31 last week the fan spins up to full speed every few minutes"
        " even when the machine is idle. Temperatures look normal in the sensors panel. Has"
        " anyone else seen this, and is there a way to roll back?"
    )
    assert [(c.id, c.author, c.published) for c in result.comments] == [
        ("302", "marta.k", "2025-10-14T21:40:00+00:00"),
        ("303", "kettle_jim", "2025-10-15T07:02:00+00:00"),
        ("304", "dtr", "2025-10-15T08:30:00+00:00"),
    ]
    assert (
        result.comments[1].text == "Thanks, that worked. Back on 1.29 and the fan is quiet again."
    )


POSTS = [
    (
        "oldtimer",
        "12.03.2009 14:05",
        "My router drops the line every night at three. Firmware is current.",
    ),
    (
        "netwiz",
        "12.03.2009 15:40",
        "Check the scheduled reboot in the admin pages, mine had one set.",
    ),
    ("oldtimer", "13.03.2009 09:12", "That was it, thanks. Turned it off and the line stayed up."),
]


def table_thread(posts: list[tuple[str, str, str]]) -> str:
    """A 2009-style board: one table row per post, no class saying what anything is."""
    rows = "".join(
        f"<tr><td width='120'><b>{name}</b><br>{when}</td><td>{text}</td></tr>"
        for name, when, text in posts
    )
    return (
        "<html><head><title>Router drops the line - Board</title></head><body>"
        "<table width='100%'><tr><td><a href='/'>Board index</a></td></tr></table>"
        f"<table width='100%' border='1'>{rows}</table>"
        "<p>Powered by an old board</p></body></html>"
    )


def test_a_thread_without_class_names_is_read_by_its_shape() -> None:
    ctx = PageContext.of(parse_html(table_thread(POSTS)), "https://board.example/t/77", None)
    assert [p.tag for p in thread_posts(ctx)] == ["tr", "tr", "tr"]
    body, replies = forum_comments(ctx, None, [])
    assert body == POSTS[0][2]
    # Dates as the page writes them, day first read as ISO (`extract_page` adds the zone).
    assert [(c.author, c.published, c.text) for c in replies] == [
        ("netwiz", "2009-03-12 15:40", POSTS[1][2]),
        ("oldtimer", "2009-03-13 09:12", POSTS[2][2]),
    ]


def test_what_the_comments_already_hold_is_kept() -> None:
    """The shape reading replaces the comments found by name only when it holds more."""
    ctx = PageContext.of(parse_html(table_thread(POSTS)), "https://board.example/t/77", None)
    everything = " ".join(text for _, _, text in POSTS) * 2
    assert forum_comments(ctx, everything, []) is None


def test_undated_teasers_are_no_thread() -> None:
    teasers = "".join(
        f"<div class='teaser'><a href='/s/{i}'>Story {i}</a><p>{'A teaser text. ' * 5}</p></div>"
        for i in range(6)
    )
    ctx = PageContext.of(parse_html(f"<html><body>{teasers}</body></html>"), "https://e.x/", None)
    assert thread_posts(ctx) == []
