"""Title reconciliation rules (newscrawl/extract/titles.py), each on a small page written for
the test: decoration shown by another source, kickers set apart in the h1, site names inside
<title>, logo h1s, and the declared + shown headline against a social og:title."""

from __future__ import annotations

import json

import pytest

from newscrawl.extract import extract_page, metadata, parse_html, titles

URL = "https://www.example-news.com/world/2025/03/a-story"


def title_of(head: str = "", body: str = "", url: str = URL) -> str | None:
    tree = parse_html(f"<html><head>{head}</head><body>{body}</body></html>")
    return titles.title(tree, metadata.gather(tree), url)


def og(text: str) -> str:
    return f'<meta property="og:title" content="{text}">'


def ld_headline(text: str) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": text}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


@pytest.mark.parametrize(
    ("short", "long", "expected"),
    [
        ("Kaeser verarscht Neubauer", "Siemens und Adani: Kaeser verarscht Neubauer", True),
        ("Steigende Zinsen setzen Dax zu", "Steigende Zinsen setzen Dax zu | Börsen-Zeitung", True),
        ("Rivers rise", "Floods: Rivers rise | Daily Wire", True),  # a middle part
        ("Trump spricht", '"Es wird bald beginnen": Trump spricht', True),  # quote kicker
        ("Rivers rise", "Rivers rise again", False),  # the rest is the headline's own words
        ("Rivers rise", "Rivers rise", False),  # not a part: the whole
        ("TCP", "TCP/IP stacks compared", False),  # a slash inside a word separates nothing
    ],
)
def test_is_part_of(short: str, long: str, expected: bool) -> None:
    assert titles.is_part_of(short, long) is expected


def test_h1_stating_a_part_of_og_title_removes_the_rest() -> None:
    # No og:site_name declares "Börsen-Zeitung"; the h1 shows that the tail is decoration.
    head = og("Steigende Zinsen setzen Dax zu | Börsen-Zeitung")
    assert title_of(head, "<h1>Steigende Zinsen setzen Dax zu</h1>") == (
        "Steigende Zinsen setzen Dax zu"
    )
    # Without the h1 nothing shows it, and og:title tails are not guessed away.
    assert title_of(head) == "Steigende Zinsen setzen Dax zu | Börsen-Zeitung"


def test_a_kicker_that_the_jsonld_headline_repeats_is_kept() -> None:
    head = og("Akkutechnik: Hat Quantumscape genug Akkus gebaut?")
    body = "<h1>Hat Quantumscape genug Akkus gebaut?</h1>"
    assert title_of(head, body) == "Hat Quantumscape genug Akkus gebaut?"
    head += ld_headline("Akkutechnik: Hat Quantumscape genug Akkus gebaut?")
    assert title_of(head, body) == "Akkutechnik: Hat Quantumscape genug Akkus gebaut?"


def test_kicker_set_apart_in_the_h1_is_left_out() -> None:
    h1 = (
        '<h1 class="article-title"><span class="article-title__overline">Eskalation</span>'
        '<span class="h-offscreen"> - </span>'
        '<span class="article-title__text">«Die Zurückhaltung hat Gründe»</span></h1>'
    )
    # og:title carries another kicker; the h1's headline is a part of it.
    head = og("Angriff auf Israel: «Die Zurückhaltung hat Gründe»")
    assert title_of(head, h1) == "«Die Zurückhaltung hat Gründe»"
    assert title_of("", h1) == "«Die Zurückhaltung hat Gründe»"


def test_a_plain_span_in_the_h1_is_no_kicker() -> None:
    h1 = "<h1><span>Nationale Demo</span> Der 9. Juli naht</h1>"
    assert title_of("", h1) == "Nationale Demo Der 9. Juli naht"


def test_site_name_inside_the_title_ends_it() -> None:
    url = "http://archiv.krimiblog.de/?p=2895"
    page_title = (
        "<title>Das schwulste Musikvideo : Krimiblog-Archiv | Ermittlungen zum Verfall eines"
        " Genres | Gegründet 2005</title>"
    )
    assert title_of(page_title, url=url) == "Das schwulste Musikvideo"


def test_title_loses_its_site_name_and_two_tails() -> None:
    url = "https://www.mactechnews.de/forum/discussion/x.html"
    page_title = (
        "<title>Kein App Store über Mobile Daten? | iPhone | Forum | MacTechNews.de</title>"
    )
    assert title_of(page_title, url=url) == "Kein App Store über Mobile Daten?"


@pytest.mark.parametrize(
    "logo",
    [
        '<h1><a href="https://www.example-news.com/">Example Blog</a></h1>',
        '<h1><a href="https://web.archive.org/web/2014/http://example.org/">Blog</a></h1>',
        '<h1 class="site-title">Insubordinate Thinking</h1>',
    ],
)
def test_logo_h1_is_never_the_headline(logo: str) -> None:
    assert title_of("<title>The real headline | Example Blog</title>", logo) == (
        "The real headline"
    )


def test_declared_and_shown_headline_beat_a_social_og_title() -> None:
    head = og("16-0! All six British players win at US Open") + ld_headline(
        "US Open results: six British players record first-round wins"
    )
    shown = "<article><h1>US Open results: six British players record first-round wins</h1>"
    assert title_of(head, shown + "</article>") == (
        "US Open results: six British players record first-round wins"
    )
    # The JSON-LD headline alone, not shown on the page, does not beat og:title.
    assert title_of(head, "<h1>Something else</h1>") == (
        "16-0! All six British players win at US Open"
    )


def test_live_blog_keeps_its_og_title() -> None:
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": "UK riots LIVE: stand-off in Plymouth as protesters gather",
    }
    head = og("Protesters throw stones in Plymouth as three officers are hurt - updates")
    head += f'<script type="application/ld+json">{json.dumps(data)}</script>'
    body = "<article><h1>UK riots LIVE: stand-off in Plymouth as protesters gather</h1></article>"
    assert title_of(head, body) == (
        "Protesters throw stones in Plymouth as three officers are hurt - updates"
    )


def test_breadcrumb_h1_is_not_the_shown_headline() -> None:
    head = og("Archäologische Sensation: Maya-Städte entdeckt") + ld_headline(
        "Unbekannte Maya-Städte werfen neues Licht auf die Frühzeit"
    )
    crumbs = '<nav><ul><li><h1 class="whitespace-nowrap">{}</h1></li></ul></nav>'
    article = "<article><hgroup><h2>{}</h2></hgroup><p>Text.</p></article>"
    # The SEO h1 in the breadcrumb repeats og:title; the article shows the headline in an h2.
    body = crumbs.format("Archäologische Sensation: Maya-Städte entdeckt") + article.format(
        "Unbekannte Maya-Städte werfen neues Licht auf die Frühzeit"
    )
    assert title_of(head, body) == "Unbekannte Maya-Städte werfen neues Licht auf die Frühzeit"
    # A breadcrumb h1 that repeats the JSON-LD headline is not what the reader sees above
    # the article: og:title stays.
    body = crumbs.format("Unbekannte Maya-Städte werfen neues Licht auf die Frühzeit")
    assert title_of(head, body) == "Archäologische Sensation: Maya-Städte entdeckt"


def test_og_title_that_only_drops_the_kicker_is_kept() -> None:
    head = og("Chiesa ruft zum Widerstand auf") + ld_headline(
        "SVP-Parteitag zur Migration: Chiesa ruft zum Widerstand auf"
    )
    body = "<h1>SVP-Parteitag zur Migration: Chiesa ruft zum Widerstand auf</h1>"
    assert title_of(head, body) == "Chiesa ruft zum Widerstand auf"


def test_extract_page_uses_the_reconciled_title() -> None:
    html = (
        "<html><head>"
        + og("Steigende Zinsen setzen Dax zu | Börsen-Zeitung")
        + "</head><body><h1>Steigende Zinsen setzen Dax zu</h1></body></html>"
    )
    assert extract_page(html, URL, profile=False).article.title == (
        "Steigende Zinsen setzen Dax zu"
    )


def test_parts_of_a_title_with_thousands_of_separators():
    """A mangled page's title of 2,000 parts: found part by part (each part used to be
    normalised once per later separator, which took minutes)."""
    from newscrawl.extract.titles import is_part_of

    long = " | ".join(f"Part {n} of the title" for n in range(2000))
    assert is_part_of("Part 1999 of the title", long)
    assert is_part_of("Part 7 of the title | Part 8 of the title", long)
    assert not is_part_of("Part 7 of the", long)  # the words of a part, but not a whole part
