"""Author rules on small pages written for the test: JSON-LD shapes, agencies, byline groups."""

from __future__ import annotations

import json

from newscrawl.extract import extract_page

URL = "https://www.example-news.com/world/2025/03/a-story"


def page(head: str = "", body: str = "") -> str:
    return f"<html lang='en'><head>{head}</head><body>{body}</body></html>"


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def authors(html: str, url: str = URL) -> list[str]:
    return extract_page(html, url, profile=False).article.authors


SITE = '<meta property="og:site_name" content="Example News">'


def test_agency_listed_next_to_a_person_stays_but_the_site_itself_goes() -> None:
    data = {
        "@type": "NewsArticle",
        "author": [
            {"@type": "Person", "name": "Ana Ruiz"},
            {"@type": "Organization", "name": "Wire Agency"},
            {"@type": "Organization", "name": "Example News"},
        ],
    }
    assert authors(page(SITE + ld(data))) == ["Ana Ruiz", "Wire Agency"]


def test_nested_author_lists_are_flattened() -> None:
    data = {
        "@type": "NewsArticle",
        "author": [
            {"@type": "Person", "name": "Ana Ruiz"},
            [{"@type": "Person", "name": "Tom Li"}],
        ],
    }
    assert authors(page(ld(data))) == ["Ana Ruiz", "Tom Li"]


def test_graph_person_typed_also_as_organisation_is_a_person() -> None:
    data = {
        "@graph": [
            {"@type": ["Person", "Organization"], "@id": "#me", "name": "Ana Ruiz"},
            {"@type": "Article", "author": {"@id": "#me"}},
        ]
    }
    body = '<span class="author">AuthorTom Li</span>'  # the byline must not be needed
    assert authors(page(ld(data), body)) == ["Ana Ruiz"]


def test_bylines_of_teasers_far_from_the_first_byline_are_ignored() -> None:
    story = " ".join(["The river rose overnight and the town prepared."] * 20)
    body = (
        '<article><h1>Rivers rise</h1><div class="byline"><a rel="author" href="/author/ana-ruiz">'
        'By Ana Ruiz</a> and <a rel="author" href="/author/tom-li">Tom Li</a></div>'
        f"<p>{story}</p></article>"
        '<section class="more"><div class="card"><h3>Other story</h3>'
        '<a rel="author" href="/author/bo-berg">Bo Berg</a></div></section>'
    )
    assert authors(page("", body)) == ["Ana Ruiz", "Tom Li"]


def test_bylines_in_comment_threads_and_author_index_links_are_ignored() -> None:
    body = (
        '<nav><a href="/authors/">Our authors</a></nav>'
        '<div class="post category-kommentar"><a href="/author/ana-ruiz/">Ana Ruiz</a>'
        "<p>Text of the post.</p></div>"
        '<ol class="comment-list"><li><span class="author">Tom Li</span> Great post!</li></ol>'
    )
    assert authors(page("", body)) == ["Ana Ruiz"]
