"""The extraction stages' shared parts: the page context, explicit date languages, the lexicon,
and the body stage's paragraph records."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from newscrawl import dates
from newscrawl.extract import PageContext, lexicon, parse_html
from newscrawl.extract.body import generic_body, scorer
from newscrawl.extract.body.prune import prune
from newscrawl.extract.document import text_of

PROSE = [
    "The council met on Tuesday evening to vote on the new cycle lanes, which have divided the"
    " town for months, and the debate ran late into the night before a narrow majority agreed.",
    "Shopkeepers on the high street said the lanes would cost them trade, while parents at the"
    " primary school argued that their children would at last be able to ride to lessons safely.",
    "Work on the first section is due to start in the spring, the council said, and the whole"
    " route should be finished before the end of next year if the budget holds as planned.",
]


def page(lang: str = "en") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PROSE)
    return (
        f"<html lang='{lang}'><head><title>Cycle lanes</title></head><body>"
        "<nav><a href='/'>Home</a><a href='/news/'>News</a></nav>"
        f"<article><h1>Cycle lanes approved</h1><div class='entry'>{paragraphs}</div></article>"
        "</body></html>"
    )


def test_date_languages_are_normalised_codes() -> None:
    assert dates.date_languages("de-DE", "en", "de") == ("de", "en")
    assert dates.date_languages("xx-YY") is None
    assert dates.date_languages() is None


def test_free_text_dates_read_in_the_given_languages() -> None:
    french = dates.parse_datetime("27 janvier 2025 à 14 h 03", "Europe/Paris", ("fr", "en"))
    assert french is not None and french.isoformat() == "2025-01-27T14:03:00+01:00"
    # Other callers keep every language by default.
    assert dates.to_iso8601("27 janvier 2025") == "2025-01-27T00:00:00+00:00"


def test_page_context_reads_the_page_language_once() -> None:
    ctx = PageContext.of(parse_html(page("fr")), "https://news.example/cycle-lanes/", None)
    assert ctx.language == "fr"
    assert ctx.date_languages == ("fr", "en")
    undeclared = PageContext.of(
        parse_html("<html><body><p>x</p></body></html>"), "https://e.x/", None
    )
    assert undeclared.language is None and undeclared.date_languages is None


def test_page_context_caches_answer_like_the_plain_calls() -> None:
    ctx = PageContext(parse_html(page()), "https://news.example/a/b/")
    assert ctx.canonical("../c?utm_source=x") == "https://news.example/a/c"
    body = ctx.tree.find("body")
    assert ctx.text_length(body) == ctx.text_length(body) == len(text_of(body)) > 0
    assert ctx.texts.text(body) == text_of(body)


def test_body_paragraphs_keep_the_element_they_came_from() -> None:
    tree = parse_html(page())
    prune(tree)
    found = scorer.extract(tree)
    assert found.paragraphs == PROSE
    assert [r.text for r in found.records] == PROSE
    assert all(r.element.tag == "p" and not r.heading for r in found.records)
    assert found.measures[found.records[0].element].chars == len(PROSE[0])


def test_generic_body_leaves_its_measures_on_the_context() -> None:
    ctx = PageContext(parse_html(page()), "https://news.example/cycle-lanes/")
    assert generic_body(ctx, parse_html(page())) == "\n\n".join(PROSE)
    assert ctx.body_measures and all(e.getroottree() is not ctx.tree for e in ctx.body_measures)


@pytest.mark.parametrize(
    "name", [n for n, v in vars(lexicon).items() if n.isupper() and isinstance(v, str)]
)
def test_lexicon_entries_are_alternations_that_compile(name: str) -> None:
    pattern = re.compile(f"(?:{getattr(lexicon, name)})")
    assert pattern.pattern


@pytest.mark.parametrize(
    "module", ["comments.state", "comments.api", "comments", "related", "body"]
)
def test_each_stage_imports_on_its_own(module: str) -> None:
    """No import cycle: every stage package loads first in a fresh interpreter."""
    code = f"import newscrawl.extract.{module}"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
