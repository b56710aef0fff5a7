"""Author rules on small pages written for the test: JSON-LD shapes, agencies, byline groups.

The rules (`authors.py`) are the learned choice's first input and the answer without model
files, so they are tested alone here, with no models in force; `test_date_author_choice.py`
tests the learned choice."""

from __future__ import annotations

import json

import pytest

from newscrawl.extract import extract_page, models
from newscrawl.extract.authors import split_authors

URL = "https://www.example-news.com/world/2025/03/a-story"


def page(head: str = "", body: str = "") -> str:
    return f"<html lang='en'><head>{head}</head><body>{body}</body></html>"


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def authors(html: str, url: str = URL) -> list[str]:
    with models.use(models.ModelBundle()):
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


def test_columnists_in_a_mega_menu_are_not_the_authors() -> None:
    menu = "".join(
        f'<div class="sub menue200"><a href="/author/{name.lower().replace(" ", "-")}/">'
        f"<div>COLUMN</div> <div>{name}</div></a></div>"
        for name in ("Ralf Keuper", "Boris Janek", "Anno Lederer")
    )
    body = (
        f'<ul class="mega-menu"><li class="mega-menu-item">{menu}</li></ul>'
        '<div class="wrap with-navigation"><article><h1>Story</h1>'
        '<span class="author"><a href="/author/ana-ruiz/">Ana Ruiz</a></span>'
        "<p>Text of the post.</p></article></div>"
    )
    assert authors(page("", body)) == ["Ana Ruiz"]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Posted by Ana Ruiz, Tom Li", ["Ana Ruiz", "Tom Li"]),
        ("Eingestellt von Ana Ruiz", ["Ana Ruiz"]),
        ("Von: Ana Ruiz", ["Ana Ruiz"]),
        ("vom Krimiblogger", ["Krimiblogger"]),
        ("Redaktion: Ana Ruiz und Tom Li", ["Ana Ruiz", "Tom Li"]),
        ("Redaktion example.de", ["Redaktion example.de"]),  # a label only with its colon
        ("AuthorAna Ruiz", ["Ana Ruiz"]),
        ("Veröffentlicht am", []),
        ("Posted on", []),
        ("Text by Ana Ruiz", ["Ana Ruiz"]),
        ("Article by: Ana Ruiz", ["Ana Ruiz"]),
        ("Authors:Ana Ruiz, Tom Li", ["Ana Ruiz", "Tom Li"]),
        ("Author Ana Ruiz", ["Ana Ruiz"]),
        ("Written by", []),
        ("By", []),
    ],
)
def test_byline_labels_come_off(byline: str, expected: list[str]) -> None:
    assert split_authors(byline) == expected


def test_written_by_label_pair_names_the_author() -> None:
    head = (
        '<meta name="author" content="ana@example-news.com">'
        '<meta name="twitter:label1" content="Verfasst von">'
        '<meta name="twitter:data1" content="Ana Ruiz">'
        '<meta name="twitter:label2" content="Est. reading time">'
        '<meta name="twitter:data2" content="9 minutes">'
    )
    assert authors(page(head)) == ["Ana Ruiz"]


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<p class="post-author-name">Ana Ruiz</p>', ["Ana Ruiz"]),
        ('<span class="article__author">Von Ana Ruiz, Berlin</span>', ["Ana Ruiz", "Berlin"]),
        ('<span class="field-contributor">Par <a href="/node/1">Ana Ruiz</a></span>', ["Ana Ruiz"]),
        ('<span itemprop="author">Ana Ruiz</span>', ["Ana Ruiz"]),
        ('<div class="author-bio">Ana Ruiz writes about rivers.</div>', []),
        ('<div class="comment-author">Tom Li</div>', []),
    ],
)
def test_byline_classes_and_microdata(markup: str, expected: list[str]) -> None:
    assert authors(page("", markup)) == expected


def test_the_site_as_a_desk_in_a_byline_is_not_a_person() -> None:
    body = '<div class="byline">von Ana Ruiz, EXAMPLE-NEWS Berlin</div>'
    assert authors(page("", body)) == ["Ana Ruiz"]
    only_desk = '<div class="byline">By Example News with Agencies</div>'
    assert authors(page(SITE, only_desk)) == ["Example News with Agencies"]


def test_initials_do_not_beat_a_declared_organisation() -> None:
    data = {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Example News"}}
    body = '<p class="article__author">amw</p>'
    assert authors(page(SITE + ld(data), body)) == ["Example News"]
    assert authors(page("", body)) == ["amw"]  # with nothing declared the sign-off is all we have


def test_first_byline_anchors_the_group_even_when_it_names_nobody() -> None:
    filler = " ".join(["Water rose in every street of the old town."] * 12)
    body = (
        '<header><p class="c-header__byline">Veröffentlicht am 27.04.24</p></header>'
        f"<p>{filler}</p>"
        f'<div class="video"><span class="video__byline">Tom Li</span><p>{filler}</p></div>'
    )
    assert authors(page(SITE, body)) == []


def test_bold_first_paragraph_names_the_writers_when_nothing_else_does() -> None:
    prose = " ".join(["Villagers say the blasts crack their walls every week."] * 8)
    body = (
        "<article><p><em>Villages cry foul</em></p><p><strong>Ana Ruiz/Tom Li</strong></p>"
        f"<p>{prose}</p><p><strong>Later a bold subheading</strong></p><p>{prose}</p></article>"
    )
    assert authors(page(SITE, body)) == ["Ana Ruiz", "Tom Li"]
    named = '<meta name="author" content="Bo Berg">'
    assert authors(page(named, body)) == ["Bo Berg"]  # a declared person wins
    late = f"<article><p>{prose}</p><p><strong>Ana Ruiz</strong></p><p>{prose}</p></article>"
    assert authors(page(SITE, late)) == []  # after the story has begun it is a subheading


def test_cms_admin_account_yields_to_a_named_person() -> None:
    data = {
        "@type": "Article",
        "author": {"name": "Site D", "url": "https://www.example-news.com/author/admin/"},
    }
    prose = " ".join(["Villagers say the blasts crack their walls every week."] * 8)
    body = (
        '<span class="author"><a href="/author/admin/">Site D</a></span>'
        f"<p><strong>ANA RUIZ</strong></p><p>{prose}</p>"
    )
    assert authors(page(ld(data), body)) == ["ANA RUIZ"]
    assert authors(page(ld(data), body.split("<p>")[0])) == ["Site D"]  # kept when alone


def test_registry_label_of_the_host_is_not_the_site_name() -> None:
    body = '<div class="byline">By Ana Co Ruiz</div>'
    assert authors(page("", body), "https://www.example.co.za/a-story") == ["Ana Co Ruiz"]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("delta201", ["delta201"]),  # user names with digits are names
        ("Author: Bo2man am 29.12.2010, 13:36 Uhr", ["Bo2man"]),
        ("Ana Ruiz, 5 min read", ["Ana Ruiz"]),
        ("Updated 3rd March", []),
    ],
)
def test_digits_only_inside_user_names(byline: str, expected: list[str]) -> None:
    assert split_authors(byline) == expected


def test_recipe_author_when_the_page_declares_no_article() -> None:
    data = [
        {"@type": "WebSite", "name": "Cook Club"},
        {"@type": "Recipe", "name": "Plum cake", "author": {"@type": "Person", "name": "cook42"}},
    ]
    assert authors(page(ld(data))) == ["cook42"]


def test_short_author_box_is_a_byline_but_a_long_one_is_a_bio() -> None:
    box = '<div class="authorbox"><strong>von</strong> <span>Ana Ruiz</span></div>'
    assert authors(page("", box)) == ["Ana Ruiz"]
    bio = " ".join(["She has covered rivers, towns and floods for years."] * 4)
    long_box = f'<div class="author-info">Ana Ruiz. {bio}</div>'
    assert authors(page("", long_box)) == []


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<div class='edit'>(责编：牛镛、岳弘彬)</div>", ["牛镛", "岳弘彬"]),
        ("<p class='src'>作者：王明</p><div class='edit'>(责编：牛镛)</div>", ["王明"]),
        (
            "<p>" + "中方表示愿同各方加强合作。" * 5 + "（记者宋晨、田中全）</p>",
            [],
        ),
    ],
)
def test_chinese_byline_labels(markup: str, expected: list[str]) -> None:
    """Writers after 作者/记者 in a short element, else the editors after 责编."""
    url = "https://world.people.com.cn/n1/2024/0424/c1002-1.html"
    body = f"<article><h1>标题</h1><p>正文。</p>{markup}</article>"
    assert authors(f"<html lang='zh-CN'><body>{body}</body></html>", url) == expected


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Dylan Ruiz, MS, RD, FAND", ["Dylan Ruiz"]),
        ("Ana Ruiz, Ph.D.", ["Ana Ruiz"]),
        ("Ana Ruiz, DVM and Tom Li", ["Ana Ruiz", "Tom Li"]),
        ("Ana Ruiz, AFP", ["Ana Ruiz", "AFP"]),  # an agency is not a degree
    ],
)
def test_credentials_after_a_name_are_not_authors(byline: str, expected: list[str]) -> None:
    assert split_authors(byline) == expected
