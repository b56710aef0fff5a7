"""Forum threads: the opening post is the body, every reply a comment with its author and
date, whether the posts are named by class (phpBB) or only shaped alike (a bare table)."""

from __future__ import annotations

from pathlib import Path

from newscrawl.extract import PageContext, extract_page, parse_html
from newscrawl.extract.comments import comment_text, forum_comments
from newscrawl.extract.comments.thread import thread_posts
from newscrawl.extract.result import CommentData

PAGES = Path(__file__).parent / "pages"
PHPBB_URL = "https://forum.tinkerboard.example/forum/hardware/laptops/topic-48213.html"


def fields(comments) -> list[tuple]:
    """Each comment's author, date, parent and text: what the tests compare."""
    return [(c.author, c.published, c.parent_id, c.text) for c in comments]


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


def board(rows: str, extra: str = "") -> PageContext:
    """A bare table board (see `table_thread`) around `rows`, with `extra` after it."""
    html = (
        "<html><head><title>Router drops the line - Board</title></head><body>"
        f"<table width='100%' border='1'>{rows}</table>{extra}</body></html>"
    )
    return PageContext.of(parse_html(html), "https://board.example/t/77", None)


def row(name: str, when: str, text: str) -> str:
    return f"<tr><td width='120'><b>{name}</b><br>{when}</td><td>{text}</td></tr>"


def test_a_consent_dialog_taken_for_the_body_gives_way_to_the_opening_post() -> None:
    consent = (
        "We and our partners store and access information on your device to measure and"
        " personalise the advertising you see."
    )
    dialog = f"<div role='dialog' aria-modal='true'><h2>Privacy Preference Center</h2><p>{consent}</p></div>"
    ctx = board("".join(row(*post) for post in POSTS), dialog)
    body, replies = forum_comments(ctx, f"Privacy Preference Center\n\n{consent}", [])
    assert body == POSTS[0][2]
    assert fields(replies) == [
        ("netwiz", "2009-03-12 15:40", None, POSTS[1][2]),
        ("oldtimer", "2009-03-13 09:12", None, POSTS[2][2]),
    ]


def test_posts_dated_only_in_a_tooltip_or_by_a_relative_date_are_a_thread() -> None:
    tooltip = "<span title='2/21/2024 5:00:00 AM'>2 years ago</span>"
    rows = row("lion", tooltip, POSTS[0][2]) + row("dog", tooltip, POSTS[1][2])
    assert [p.tag for p in thread_posts(board(rows))] == ["tr", "tr"]
    rows = row("lion", "3 days ago", POSTS[0][2]) + row("dog", "5 hours ago", POSTS[1][2])
    assert [p.tag for p in thread_posts(board(rows))] == ["tr", "tr"]


QUESTION = "How do I keep the router from dropping the line every night at three o'clock?"
ANSWERS = [
    "Look for a scheduled reboot in the admin pages; most firmware ships with one enabled.",
    "Replace the power supply, a failing one browns out when the fan spins up at night.",
]


def qa_page() -> str:
    """A Q&A page: a question and two answers, each with short remarks under it."""

    def post(kind: str, text: str, remark: str, day: int) -> str:
        return (
            f"<div class='{kind}'><div class='post-body'><p>{text}</p></div>"
            f"<div class='post-meta'>answered <time datetime='2024-03-0{day}'>Mar {day}, 2024</time></div>"
            "<div class='comments'><ul class='comments-list'>"
            f"<li class='comment' id='comment-{day}'><span class='comment-copy'>{remark}</span>"
            f" – <a class='comment-user'>ann{day}</a> <span class='comment-date'>Mar {day}, 2024 at 10:00</span></li>"
            "</ul></div></div>"
        )

    answers = "".join(
        post("answer", text, f"Remark number {i} on this answer, thanks.", i + 2)
        for i, text in enumerate(ANSWERS)
    )
    return (
        "<html><head><title>Router drops the line</title></head><body><div id='mainbar'>"
        f"{post('question', QUESTION, 'Which router model is this exactly?', 1)}"
        f"<div id='answers'>{answers}</div></div></body></html>"
    )


def test_remarks_under_posts_the_body_already_holds_are_no_replies() -> None:
    ctx = PageContext.of(parse_html(qa_page()), "https://qa.example/q/1", None)
    body = "\n\n".join([QUESTION, *ANSWERS])
    remarks = [
        CommentData("1", None, "ann1", "2024-03-01T10:00", "Which router model is this exactly?"),
        CommentData(
            "2", None, "ann2", "2024-03-02T10:00", "Remark number 0 on this answer, thanks."
        ),
    ]
    assert [p.get("class") for p in thread_posts(ctx)] == ["answer", "answer"]
    assert forum_comments(ctx, body, remarks) == (body, [])


def test_quotes_of_earlier_posts_and_recurring_lines_are_no_reply_text() -> None:
    quoted = f"<blockquote>{POSTS[0][2]}</blockquote>"
    replies = [
        ("netwiz", "12.03.2009 15:40", f"{quoted}<p>Check the scheduled reboot.</p>"),
        ("oldtimer", "13.03.2009 09:12", "<p>That was it, thanks.</p>"),
        ("mo", "13.03.2009 10:30", "<p>Good to know, mine too.</p>"),
    ]
    rows = row(*POSTS[0]) + "".join(
        row(name, f"{when}<p>Senior Member</p>", text) for name, when, text in replies
    )
    body, found = forum_comments(board(rows), None, [])
    assert body == POSTS[0][2]
    assert fields(found) == [
        ("netwiz", "2009-03-12 15:40", None, "Check the scheduled reboot."),
        ("oldtimer", "2009-03-13 09:12", None, "That was it, thanks."),
        ("mo", "2009-03-13 10:30", None, "Good to know, mine too."),
    ]


def test_a_posters_signature_is_no_part_of_the_post() -> None:
    post = parse_html(
        "<div><p>Check the scheduled reboot.</p>"
        "<div class='message-signature'><p>My rig: 2 routers, 1 switch</p></div></div>"
    ).body[0]
    assert comment_text(post) == "Check the scheduled reboot."


def test_an_opening_post_marked_by_an_extra_class_opens_the_thread() -> None:
    def post(extra: str, name: str, when: str, text: str) -> str:
        return (
            f"<article class='message {extra}'><div class='user'>{name}</div>"
            f"<time datetime='{when}'>{when}</time><div class='text'>{text}</div></article>"
        )

    posts = [
        ("message-threadStarterPost", "oldtimer", "2009-03-12T14:05:00", POSTS[0][2]),
        ("", "netwiz", "2009-03-12T15:40:00", POSTS[1][2]),
        ("", "oldtimer", "2009-03-13T09:12:00", POSTS[2][2]),
    ]
    html = f"<html><body><div class='thread'>{''.join(post(*p) for p in posts)}</div></body></html>"
    ctx = PageContext.of(parse_html(html), "https://board.example/t/78", None)
    assert len(thread_posts(ctx)) == 3
    body, replies = forum_comments(ctx, None, [])
    assert body == POSTS[0][2]
    assert fields(replies) == [
        ("netwiz", "2009-03-12T15:40:00", None, POSTS[1][2]),
        ("oldtimer", "2009-03-13T09:12:00", None, POSTS[2][2]),
    ]


def test_a_text_block_inside_a_signature_is_not_the_posts_text() -> None:
    signature = "Pillars of modern warfare have no place here, said someone long ago, at length."

    def post(name: str, when: str, text: str) -> str:
        return (
            f"<tr><td class='msg'><div class='msg_infobox'><span class='user'>{name}</span>"
            f" <time datetime='{when}'>{when}</time></div><div class='msg_body'>"
            f"<div class='msg_text'>{text}</div><div class='signature'>"
            f"<div class='sig_text'>{signature}</div></div></div></td></tr>"
        )

    posts = [
        ("lion", "2024-02-21T05:00:00", POSTS[0][2]),
        ("dog", "2024-02-21T05:03:38", POSTS[1][2]),
        ("owl", "2024-02-21T05:11:36", POSTS[2][2]),
    ]
    html = f"<html><body><table><tbody>{''.join(post(*p) for p in posts)}</tbody></table></body></html>"
    ctx = PageContext.of(parse_html(html), "https://board.example/t/79", None)
    body, replies = forum_comments(ctx, None, [])
    assert body == POSTS[0][2]
    assert fields(replies) == [
        ("dog", "2024-02-21T05:03:38", None, POSTS[1][2]),
        ("owl", "2024-02-21T05:11:36", None, POSTS[2][2]),
    ]


def test_a_thread_shown_only_in_noscript_is_read_there_post_by_post() -> None:
    """A JavaScript forum's crawler view: a dated title block and one block holding the
    posts read as a run of two "posts" too; the posts inside win."""

    def post(number: int, name: str, when: str, text: str) -> str:
        return (
            f"<div id='post_{number}' class='topic-body crawler-post'>"
            f"<span class='creator'><b>{name}</b></span>"
            f" <time datetime='{when}'>{when}</time><div class='post'><p>{text}</p></div></div>"
        )

    opening = (
        f"{POSTS[0][2]} It started after the update, the lights stay green all along. The"
        " log shows nothing before the drop, and the line comes back by itself at four."
    )
    reply = (
        f"{POSTS[1][2]} It is under Maintenance, then Schedule, in most firmware; turn it"
        " off there and save, the router keeps the setting across updates."
    )
    posts = [
        post(1, "oldtimer", "2009-03-12T14:05:00", opening),
        post(2, "netwiz", "2009-03-12T15:40:00", reply),
    ]
    html = (
        "<html><body><div id='app'></div><noscript><div id='main-outlet'>"
        "<div id='topic-title'><h1>Router drops the line at night</h1>"
        "<time datetime='2009-03-12T14:05:00'>12 March 2009</time></div>"
        f"<div itemscope>{''.join(posts)}</div></div></noscript></body></html>"
    )
    ctx = PageContext.of(parse_html(html), "https://board.example/t/80", None)
    body, replies = forum_comments(ctx, None, [])
    assert body == opening
    assert [(c.id, c.author, c.published, c.parent_id, c.text) for c in replies] == [
        ("2", "netwiz", "2009-03-12T15:40:00", None, reply),
    ]
