"""The previous and next posts: the link pair under a story, found by its markup (class, id or
rel words in several languages), with the titles cut free of their labels; pagination and
comment pages are not a pair."""

from __future__ import annotations

from newscrawl.extract import extract_page
from tests.prose import story_paragraphs

URL = "https://blog.example/2024/05/why-bridges-rust.html"

ARTICLE = story_paragraphs(
    "bridge", "The inspectors found rust under the deck and asked for money to repair it."
)


def page(after: str) -> str:
    return (
        "<html><head><title>Why bridges rust</title></head><body>"
        f"<article><h1>Why bridges rust</h1>{ARTICLE}</article>{after}</body></html>"
    )


def adjacent(html: str):
    return [b for b in extract_page(html, URL).related if b.kind == "adjacent"]


def test_wordpress_post_navigation_with_labels_in_their_own_spans() -> None:
    blocks = adjacent(
        page(
            '<nav class="navigation post-navigation"><div class="nav-links">'
            '<div class="nav-previous"><a href="/2024/04/older-bridge-story.html" rel="prev">'
            '<span class="meta-nav">Previous Post</span>Older people and bridges</a></div>'
            '<div class="nav-next"><a href="/2024/06/newer-bridge-story.html" rel="next">'
            '<span class="meta-nav">Next Post</span>A new bridge opens</a></div></div></nav>'
        )
    )
    assert len(blocks) == 1
    block = blocks[0]
    assert block.label == "Previous Post / Next Post"
    assert [(link.url, link.text, link.position) for link in block.links] == [
        ("https://blog.example/2024/04/older-bridge-story.html", "Older people and bridges", 1),
        ("https://blog.example/2024/06/newer-bridge-story.html", "A new bridge opens", 2),
    ]


def test_camel_case_classes_glued_labels_and_arrows() -> None:
    blocks = adjacent(
        page(
            '<div class="postNav"><a class="prevLink" href="/2024/04/rust-and-salt">'
            "<span>←</span><span>Vorheriger Beitrag</span>Rost und Salz</a>"
            '<a class="nextLink" href="/2024/06/paint-that-lasts">'
            "Farbe, die hält<span>Nächster Beitrag</span><span>→</span></a></div>"
        )
    )
    assert [b.label for b in blocks] == ["Vorheriger Beitrag / Nächster Beitrag"]
    assert [link.text for link in blocks[0].links] == ["Rost und Salz", "Farbe, die hält"]


def test_unlabelled_pair_gets_the_default_label() -> None:
    blocks = adjacent(
        page(
            '<div class="gridlove-prev-next-nav"><div class="gridlove-prev-link">'
            '<a href="/2024/04/essay-prompts/">Essay example prompts</a></div>'
            '<div class="gridlove-next-link"><a href="/2024/06/how-many-colleges/">'
            "How many colleges?</a></div></div>"
        )
    )
    assert [b.label for b in blocks] == ["Previous / Next"]
    assert [link.text for link in blocks[0].links] == [
        "Essay example prompts",
        "How many colleges?",
    ]


def test_listing_pagination_and_comment_pages_are_no_pair() -> None:
    pagination = (
        '<div class="pagination"><a class="prev" href="/blog/page/1/">Newer</a>'
        '<a class="next" href="/blog/page/3/">Older</a></div>'
    )
    comment_pages = (
        '<div class="comment-navigation"><div class="nav-previous">'
        '<a href="/2024/05/why-bridges-rust.html/comment-page-1/">Older comments</a></div>'
        '<div class="nav-next"><a href="/2024/05/why-bridges-rust.html/comment-page-3/">'
        "Newer comments</a></div></div>"
    )
    one_side = '<div class="nav-previous"><a href="/2024/04/older-bridge-story.html">Old</a></div>'
    for after in (pagination, comment_pages, one_side):
        assert adjacent(page(after)) == [], after


def test_a_pair_far_apart_in_a_big_link_block_is_no_pair() -> None:
    menu = "".join(f'<a href="/2024/0{i % 9 + 1}/story-{i}.html">Story {i}</a>' for i in range(12))
    blocks = adjacent(
        page(
            f'<div class="sidebar"><a class="prev" href="/2024/04/a-b.html">A</a>{menu}'
            '<a class="next" href="/2024/06/c-d.html">C</a></div>'
        )
    )
    assert blocks == []


def test_the_pair_stays_out_of_the_body() -> None:
    html = page(
        '<div class="post-navigation"><div class="nav-previous"><a href="/2024/04/x-y.html">'
        'Unique previous title words</a></div><div class="nav-next"><a href="/2024/06/z-w.html">'
        "Unique next title words</a></div></div>"
    )
    body = extract_page(html, URL).article.body
    assert "Unique previous title words" not in body
    assert "Paragraph 7 of the bridge story" in body


def test_rel_words_alone_make_a_pair() -> None:
    """Blogger's pager: no telling class, ``rel="previous"`` / ``rel="next"`` on the links."""
    blocks = adjacent(
        page(
            '<div class="blog-pager"><a class="old-title" rel="previous"'
            ' href="/2024/04/ruckblick-april.html">Rückblick April</a>'
            '<a class="new-title" rel="next" href="/2024/06/lesen-09.html">Lesen 09</a></div>'
        )
    )
    assert [[link.text for link in b.links] for b in blocks] == [["Rückblick April", "Lesen 09"]]
