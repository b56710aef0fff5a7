"""Related blocks labelled by any heading-like element, on one small page per markup family:
exact labels and links, and the menus, data tables and site headers that stay out."""

from __future__ import annotations

import pytest

from newscrawl.extract import extract_page
from tests.prose import story_paragraphs

URL = "https://news.example/2009/03/04/council-votes.html"

ARTICLE = story_paragraphs(
    "council", "The vote was close and the debate went on late into the evening."
)


def story(slug: str) -> str:
    return f"https://news.example/2009/03/0{len(slug) % 9 + 1}/{slug}.html"


def links(*slugs: str) -> str:
    return "".join(f'<a href="{story(s)}">Story about {s.replace("-", " ")}</a><br>' for s in slugs)


def each(wrapper: str, *slugs: str) -> str:
    """One link per `wrapper` element (``tr><td``, ``li``), in turn."""
    close = "".join(f"</{t}>" for t in reversed(wrapper.split("><")))
    return "".join(f"<{wrapper}>{links(s)}{close}" for s in slugs)


def page(around: str) -> str:
    return (
        "<html><head><title>Council votes</title></head><body>"
        '<div id="nav"><a href="/">Home</a> <a href="/news/">News</a></div>'
        f"<h1>Council votes</h1><div class='story'>{ARTICLE}</div>{around}"
        "</body></html>"
    )


def blocks(html: str) -> list[tuple[str, list[str]]]:
    return [(b.label, [k.url for k in b.links]) for b in extract_page(html, URL).related]


FAMILIES = {
    # An old table layout: a bold line alone in a cell, links under it.
    "bold in a table cell": (
        "<table><tr><td><b>Related Stories</b><br>"
        + links("budget-row", "school-plan", "bridge-repair")
        + "</td></tr></table>",
        "Related Stories",
    ),
    # A table whose head cell spans the row.
    "table head cell": (
        "<table><tr><th>Past Coverage</th></tr>"
        + each("tr><td", "old-vote", "first-debate", "petition")
        + "</table>",
        "Past Coverage",
    ),
    "definition list": (
        "<dl><dt>Today's Most Read</dt><dd>"
        + links("mayor-quits", "storm-warning", "train-strike")
        + "</dd></dl>",
        "Today's Most Read",
    ),
    # A div whose class says "header" (Golem's "dh2 head4 header").
    "header-classed div": (
        '<div class="teaser-widget"><div class="dh2 head4 header">Verwandte Artikel</div>'
        + links("netz-ausbau", "glasfaser-plan", "funkloch-karte")
        + "</div>",
        "Verwandte Artikel",
    ),
    # CSS-module class names: "SectionTitle_title__x1" says title in camelCase.
    "camelCase title class": (
        '<div class="EndOfArticle_root__a1"><div class="SectionTitle_title__up1">Die Redaktion'
        " empfiehlt</div>" + links("stadtrat-streit", "schulbau", "wahl-termin") + "</div>",
        "Die Redaktion empfiehlt",
    ),
    # A box's own header class is the box's heading, not the site's header.
    "box header": (
        '<section class="widget"><div class="widget-header"><h3>Popular</h3></div><ul>'
        + each("li", "rent-rules", "tower-sale", "office-lease")
        + "</ul></section>",
        "Popular",
    ),
    "fieldset legend": (
        "<fieldset><legend>More in Politics</legend>"
        + links("senate-race", "poll-numbers", "new-district")
        + "</fieldset>",
        "More in Politics",
    ),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_block_is_found_under_each_kind_of_label(family: str) -> None:
    around, label = FAMILIES[family]
    found = blocks(page(around))
    urls = [part.split('"', 1)[0] for part in around.split('href="')[1:]]
    assert found == [(label, urls)]


def test_column_heads_of_a_data_table_label_nothing() -> None:
    table = (
        "<table><tr><th>Team</th><th>Points</th></tr>"
        + "".join(f"<tr><td>{links(s)}</td><td>{i}</td></tr>" for i, s in enumerate("abc"))
        + "</table>"
    )
    assert blocks(page(table)) == []


def test_bold_inside_a_sentence_labels_nothing() -> None:
    prose = "<p>The <b>council</b> said " + links("one-thing", "other-thing") + " today.</p>"
    assert blocks(page(prose)) == []


def test_a_site_header_stays_chrome() -> None:
    header = (
        '<div class="site-header"><div class="title">Trending</div>'
        + links("mayor-quits", "storm-warning", "train-strike")
        + "</div>"
    )
    assert blocks(page(header)) == []


def test_the_next_label_of_the_same_kind_starts_the_next_block() -> None:
    lists = (
        "<table><tr><td><b>Related Stories</b><br>"
        + links("budget-row", "school-plan")
        + "<b>Most Read</b><br>"
        + links("mayor-quits", "storm-warning")
        + "</td></tr></table>"
    )
    assert blocks(page(lists)) == [
        ("Related Stories", [story("budget-row"), story("school-plan")]),
        ("Most Read", [story("mayor-quits"), story("storm-warning")]),
    ]


def cards(*slugs: str) -> str:
    """Teaser cards whose title is a heading inside the link (``<a><h2>…</h2></a>``)."""
    return "".join(
        f'<div class="card"><a href="{story(s)}"><h2>Story about {s.replace("-", " ")}</h2></a>'
        "<p>A short teaser.</p></div>"
        for s in slugs
    )


def test_headings_inside_links_are_teaser_titles_not_the_next_block() -> None:
    # The cards' <h2> titles rank as high as the label: the outline rule must not stop there.
    grid = '<section><h2>Related articles</h2><div class="grid">'
    grid += cards("budget-row", "school-plan", "bridge-repair") + "</div></section>"
    assert blocks(page(grid)) == [
        ("Related articles", [story("budget-row"), story("school-plan"), story("bridge-repair")])
    ]


def test_a_heading_outside_the_links_still_ends_the_block() -> None:
    grid = (
        "<section><h2>Related articles</h2>"
        + cards("budget-row", "school-plan")
        + "<h2>Most read</h2><ul>"
        + each("li", "mayor-quits", "storm-warning")
        + "</ul></section>"
    )
    assert blocks(page(grid))[0] == (
        "Related articles",
        [story("budget-row"), story("school-plan")],
    )


@pytest.mark.parametrize(
    "wrapper",
    ['<div class="dialog-off-canvas-main-canvas">', '<form id="aspnetForm" action="/x.aspx">'],
    ids=["drupal page wrapper", "asp.net page form"],
)
def test_a_wrapper_around_the_whole_page_is_no_chrome(wrapper: str) -> None:
    """Drupal and ASP.NET wrap the whole page, article and all, in chrome-like markup."""
    sidebar = "<aside><h2>Related Stories</h2><ul>"
    sidebar += each("li", "budget-row", "school-plan", "bridge-repair") + "</ul></aside>"
    close = "</div>" if wrapper.startswith("<div") else "</form>"
    html = page(sidebar + close).replace("<body>", "<body>" + wrapper)
    assert blocks(html) == [
        ("Related Stories", [story("budget-row"), story("school-plan"), story("bridge-repair")])
    ]
    # A dialog beside the article stays chrome.
    dialog = '<div class="modal-dialog"><h2>Popular now</h2><ul>'
    dialog += each("li", "mayor-quits", "storm-warning", "train-strike") + "</ul></div>"
    assert blocks(page(dialog)) == []
