"""Each metadata source on small pages written for the test: JSON-LD (in @graph, in lists),
OpenGraph/Twitter/Dublin Core meta, microdata, visible bylines and dates, <html lang>."""

from __future__ import annotations

import json

import pytest

from newscrawl.extract import authors, extract_page, metadata, parse_html

URL = "https://www.example-news.com/world/2025/03/a-story"


def page(head: str = "", body: str = "", lang: str = "en") -> str:
    return f"<html lang='{lang}'><head>{head}</head><body>{body}</body></html>"


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def article(html: str, url: str = URL):
    return extract_page(html, url, profile=False).article


GRAPH = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebSite", "name": "Example News", "url": "https://www.example-news.com/"},
        {"@type": "Organization", "name": "Example News Ltd"},
        {
            "@type": ["NewsArticle"],
            "headline": "Rivers rise &amp; towns brace",
            "datePublished": "2025-03-04T22:15:00-05:00",
            "dateModified": "2025-03-05T08:00:00-05:00",
            "author": [
                {"@type": "Person", "name": "By Ana Ruiz"},
                {"@type": "Person", "name": "Tom Becker"},
                {"@type": "Organization", "name": "Example News"},
            ],
            "publisher": {"@type": "Organization", "name": "Example News"},
            "articleSection": "World",
            "keywords": "floods, weather",
            "inLanguage": "en-GB",
            "image": {"@type": "ImageObject", "url": "https://cdn.example-news.com/a.jpg"},
            "description": "Towns along the river prepare.",
        },
    ],
}


def test_jsonld_article_inside_graph() -> None:
    a = article(page(ld(GRAPH)))
    assert a.title == "Rivers rise & towns brace"  # entities decoded
    assert a.authors == ["Ana Ruiz", "Tom Becker"]  # no "By", no organisation next to people
    assert a.published == "2025-03-04T22:15:00-05:00"  # offset kept, day not shifted
    assert a.modified == "2025-03-05T08:00:00-05:00"
    assert a.section == "World"
    assert a.tags == ["floods", "weather"]
    assert a.image == "https://cdn.example-news.com/a.jpg"
    assert a.lead == "Towns along the river prepare."


def test_jsonld_in_a_top_level_list_and_organisation_only() -> None:
    data = [
        {"@type": "BreadcrumbList", "itemListElement": []},
        {
            "@type": "ReportageNewsArticle",
            "headline": "Harbour reopens",
            "datePublished": "2025-01-02",
            "author": {"@type": "NewsMediaOrganization", "name": "Wire Service"},
        },
    ]
    a = article(page(ld(data)))
    assert a.title == "Harbour reopens"
    assert a.authors == ["Wire Service"]  # an organisation only when no person is named


@pytest.mark.parametrize(
    ("og_title", "site_name", "expected"),
    [
        ("Rivers rise | Example News", "Example News", "Rivers rise"),
        ("Rivers rise - World | Example News", "Example News", "Rivers rise - World"),
        ("Example News: Rivers rise", "Example News", "Rivers rise"),
        ("川が増水：例新聞デジタル", "例新聞デジタル", "川が増水"),
        ("Rivers rise - Example-News.com", "", "Rivers rise"),  # the host names the site
        ("Why rivers rise - and fall", "", "Why rivers rise - and fall"),  # no guessing on og
    ],
)
def test_title_without_site_suffix(og_title: str, site_name: str, expected: str) -> None:
    head = f'<meta property="og:title" content="{og_title}">'
    if site_name:
        head += f'<meta property="og:site_name" content="{site_name}">'
    assert article(page(head)).title == expected


def test_headline_wins_when_og_title_decorates_it() -> None:
    head = (
        '<meta property="og:title" content="Floods: Rivers rise across the north | Daily Wire">'
        + ld({"@type": "NewsArticle", "headline": "Rivers rise across the north"})
    )
    assert article(page(head)).title == "Rivers rise across the north"


def test_title_falls_back_to_h1_then_title_tag() -> None:
    assert article(page("<title>Page - Example</title>", "<h1>The headline</h1>")).title == (
        "The headline"
    )
    assert article(page("<title>Only a title | Example Site</title>")).title == "Only a title"


def test_meta_sources_opengraph_dublin_core_and_twitter() -> None:
    head = (
        '<meta name="dc.creator" content="Ana Ruiz; Tom Becker">'
        '<meta property="article:published_time" content="2025-03-04T10:00:00+01:00">'
        '<meta property="article:tag" content="Floods">'
        '<meta property="og:locale" content="de_DE">'
        '<meta name="twitter:title" content="Rivers rise">'
    )
    a = article(f"<html><head>{head}</head><body></body></html>")
    assert a.authors == ["Ana Ruiz", "Tom Becker"]
    assert a.published == "2025-03-04T10:00:00+01:00"
    assert a.tags == ["Floods"]
    assert a.language == "de"
    assert a.title == "Rivers rise"


def test_microdata_and_visible_byline() -> None:
    body = (
        '<article><h1>Rivers rise</h1><p class="byline">By <span itemprop="author" itemscope>'
        '<span itemprop="name">Ana Ruiz</span></span></p>'
        '<time datetime="2025-03-04T10:00:00+02:00">4 March</time><p>Text.</p></article>'
    )
    a = article(page("", body))
    assert a.authors == ["Ana Ruiz"]
    assert a.published == "2025-03-04T10:00:00+02:00"


def test_site_name_as_author_gives_way_to_a_person_in_the_byline() -> None:
    head = '<meta name="author" content="example-news.com">'
    body = '<p class="author">von <a href="/autoren/ana-ruiz">Ana Ruiz</a></p>'
    assert article(page(head, body)).authors == ["Ana Ruiz"]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By Ana Ruiz and Tom Becker", ["Ana Ruiz", "Tom Becker"]),
        ("Von Ana Ruiz und Tom Becker", ["Ana Ruiz", "Tom Becker"]),
        ("Par Ana Ruiz, 12/03/2025", ["Ana Ruiz"]),
        ("(Image: Getty Images)", []),
        ("ana-ruiz", []),
    ],
)
def test_split_authors_cleans_bylines(byline: str, expected: list[str]) -> None:
    assert authors.split_authors(byline) == expected


def test_visible_date_line_when_no_markup() -> None:
    body = (
        "<h1>Rivers rise</h1><div class='meta_date'>erstellt: 01. April 2025, 15:25</div>"
        "<p>The river rose overnight.</p>"
    )
    published = article(page("", body, lang="de")).published
    assert published is not None and published.startswith("2025-04-01")


def test_language_from_html_lang() -> None:
    tree = parse_html(page(lang="fr-FR"))
    assert metadata.language(metadata.gather(tree)) == "fr"


GERMAN_STORY = (
    "<h1>Der Stadtrat stimmt über die neue Brücke ab</h1>"
    "<p>Am Dienstagabend hat der Stadtrat nach einer langen Debatte beschlossen, dass die alte"
    " Brücke über den Fluss im kommenden Frühjahr abgerissen und durch einen Neubau ersetzt"
    " wird. Die Kosten werden auf rund zwölf Millionen Euro geschätzt.</p>"
)


def test_a_page_that_declares_no_language_gets_the_one_its_text_is_in() -> None:
    html = f"<html><head><title>Brücke</title></head><body>{GERMAN_STORY}</body></html>"
    assert article(html).language == "de"


def test_a_declared_language_is_kept_and_too_little_text_gives_no_guess() -> None:
    assert article(page("", GERMAN_STORY, lang="fr")).language == "fr"
    assert article("<html><body><h1>Brücke</h1><p>Ja.</p></body></html>").language is None


def test_dates_in_words_are_read_in_the_guessed_language_only(monkeypatch) -> None:
    """The guess narrows dateparser to the page's language and English."""
    from newscrawl import dates

    asked: list[tuple[str, ...] | None] = []
    real = dates._dateparser.__wrapped__

    def spy(text: str, languages: tuple[str, ...] | None):
        asked.append(languages)
        return real(text, languages)

    dates.clear_caches()  # dates read by earlier tests would not be read again
    monkeypatch.setattr(dates, "_dateparser", spy)
    body = GERMAN_STORY.replace("</h1>", "</h1><div class='date'>Erstellt am 3. März 2025</div>")
    html = f"<html><head><title>Brücke</title></head><body>{body}</body></html>"
    published = article(html).published
    assert published is not None and published.startswith("2025-03-03")
    assert asked and all(langs == ("de", "en") for langs in asked)


def test_jsonld_author_by_reference_into_the_graph() -> None:
    data = {
        "@graph": [
            {"@type": "Person", "@id": "https://x.org/#/person/1", "name": "Ana Ruiz"},
            {
                "@type": "BlogPosting",
                "headline": "Rivers rise",
                "author": {"@id": "https://x.org/#/person/1"},
            },
        ]
    }
    assert article(page(ld(data))).authors == ["Ana Ruiz"]


def test_author_meta_naming_the_site_and_its_address_is_an_organisation() -> None:
    head = (
        ld({"@type": "NewsArticle", "headline": "Rivers rise",
            "author": {"@type": "NewsMediaOrganization", "name": "Newsroom example-news.com"}})
        + '<meta name="author" content="example-news.com, Frankfurt, Germany">'
    )  # fmt: skip
    assert article(page(head)).authors == ["Newsroom example-news.com"]


# --- metadata that names the CMS, the page kind or the site, not the story -------------------


def test_cms_id_tags_and_site_initials_are_not_tags() -> None:
    data = {
        "@type": "NewsArticle",
        "headline": "A startup raises money",
        "keywords": ["@post-id:1913719", "tc", "AI", "Startups", "1913719"],
        "articleSection": "post",
        "image": {"@type": "ImageObject", "url": "https://techcrunch.com/a.jpg?w=150"},
    }
    head = ld(data) + (
        '<meta property="og:site_name" content="TechCrunch">'
        '<meta property="og:image" content="https://techcrunch.com/a.jpg?w=600">'
        '<meta property="article:section" content="Fundraising">'
    )
    a = article(page(head), "https://techcrunch.com/2025/03/10/a-startup-raises-money/")
    assert a.tags == ["AI", "Startups"]
    assert a.section == "Fundraising"  # "post" is the kind of page
    assert a.image == "https://techcrunch.com/a.jpg?w=600"  # the larger of the two declared


def test_a_section_that_is_the_host_or_the_site_name_is_no_section() -> None:
    for value in ("gizmodo.com", "Gizmodo"):
        head = ld({"@type": "NewsArticle", "headline": "A phone", "articleSection": value})
        head += '<meta property="og:site_name" content="Gizmodo">'
        assert article(page(head), "https://gizmodo.com/a-phone-123").section is None
    head = ld(
        {"@type": "NewsArticle", "headline": "A phone", "articleSection": ["Gizmodo", "Tech"]}
    )
    assert article(page(head), "https://gizmodo.com/a-phone-123").section == "Tech"


def test_short_real_tags_stay() -> None:
    head = ld({"@type": "NewsArticle", "headline": "x", "keywords": "TV, AI, 5G, Windows 11"})
    head += '<meta property="og:site_name" content="The Verge">'
    assert article(page(head), "https://www.theverge.com/x").tags == [
        "TV",
        "AI",
        "5G",
        "Windows 11",
    ]


def test_entities_are_decoded_in_every_field() -> None:
    data = {
        "@type": "NewsArticle",
        "headline": "Bundesl&auml;nder pr&uuml;fen KI",
        "description": "Die L&auml;nder wollen &quot;mehr&quot; wissen &amp; fragen nach.",
        "author": {"@type": "Person", "name": "J&ouml;rg M&uuml;ller"},
        "articleSection": "Politik &amp; Recht",
        "keywords": "K&uuml;nstliche Intelligenz",
        "image": "https://www.golem.de/a.jpg?x=1&amp;y=2",
    }
    a = article(page(ld(data), lang="de"), "https://www.golem.de/news/a-2503-1.html")
    assert a.title == "Bundesländer prüfen KI"
    assert a.lead == 'Die Länder wollen "mehr" wissen & fragen nach.'
    assert a.authors == ["Jörg Müller"]
    assert a.section == "Politik & Recht"
    assert a.tags == ["Künstliche Intelligenz"]
    assert a.image == "https://www.golem.de/a.jpg?x=1&y=2"
    twice = '<meta name="description" content="Ein &amp;auml;hnlicher Fall">'
    assert article(page(twice, lang="de")).lead == "Ein ähnlicher Fall"


def test_image_widths_from_metadata_and_urls() -> None:
    sized = ld({"@type": "NewsArticle", "headline": "x",
                "image": {"url": "https://x.com/a.jpg", "width": 1200}})  # fmt: skip
    sized += '<meta property="og:image" content="https://x.com/b-300x200.jpg">'
    assert article(page(sized)).image == "https://x.com/a.jpg"  # declared larger: kept
    unknown = ld({"@type": "NewsArticle", "headline": "x", "image": "https://x.com/a.jpg"})
    unknown += '<meta property="og:image" content="https://x.com/b.jpg?w=1600">'
    assert article(page(unknown)).image == "https://x.com/a.jpg"  # no size to compare: trust order
    og = (
        '<meta property="og:image" content="https://x.com/small.jpg">'
        '<meta property="og:image:width" content="150">'
        '<meta property="og:image" content="https://x.com/large.jpg">'
        '<meta property="og:image:width" content="1024">'
    )
    assert article(page(og)).image == "https://x.com/large.jpg"


STORY_TEXT = "".join(
    f"<p>Paragraph {n} of the story says what the council decided and why, with the figures"
    " the city published and what residents said about the plan at the meeting.</p>"
    for n in range(8)
)


def undated(line: str) -> str:
    return page(
        "<title>The council decides</title>",
        f"<article><h1>The council decides</h1><div>{line}</div>{STORY_TEXT}</article>",
    )


@pytest.mark.parametrize(
    "line", ["Ana Lopez · 19 December 2025 · 4 min read", "Ana Lopez | Dec 19, 2025"]
)
def test_an_article_without_date_markup_gets_the_day_its_text_shows(line):
    found = extract_page(undated(line), URL, profile=False)
    assert found.is_article
    assert found.article.published.startswith("2025-12-19")


def test_the_day_in_an_article_url_is_read_when_the_page_shows_none():
    url = "https://blog.example.org/2025/12/18/the-council-decides/"
    found = extract_page(undated("By Ana Lopez"), url, profile=False)
    assert found.article.published.startswith("2025-12-18")


def test_a_copyright_year_or_a_month_alone_is_not_a_publication_day():
    for line in ("© 2025 Example Blog", "Archive: December 2025"):
        found = extract_page(undated(line), URL, profile=False)
        assert found.is_article and found.article.published is None, line


def test_pages_that_are_not_articles_get_no_guessed_date():
    teasers = "".join(
        f"<li><a href='/posts/story-{n}'>Story number {n} about the council</a></li>"
        for n in range(30)
    )
    listing = page(
        "<title>All posts</title>", f"<p>Updated December 19, 2025</p><ul>{teasers}</ul>"
    )
    found = extract_page(listing, "https://blog.example.org/posts/", profile=False)
    assert not found.is_article and found.article.published is None
