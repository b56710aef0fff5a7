"""Quality floors on the shared corpus of real pages (skipped when the corpus is absent).

The floors sit a little under what `benchmarks/extraction.py` measured (see
docs/extraction.md), so a change that makes extraction worse fails here. They use the corpus
README's metrics, implemented once in `benchmarks.evaluation`.
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks import evaluation as ev

# The first test's set-up scores all 1,781 pages: about three minutes on one idle core, over
# the suite's 300 s limit on a machine busy with other work (seen on a loaded 2-core machine).
pytestmark = pytest.mark.timeout(1200)

# With the shipped models, which were fitted on these pages: the floors sit under the
# cross-validated figures (docs/extraction.md; held-out floors in tests/test_models.py), so
# they hold with margin in-sample and still catch a broken stage.
FLOORS = {
    ("wcxb", "body"): 0.94,
    ("wcxb", "title"): 0.85,
    ("zyte", "body"): 0.965,
    ("fundus", "body"): 0.935,
    ("trafilatura", "snippets"): 0.96,
    ("fundus", "title"): 0.90,
    ("fundus", "date"): 0.98,
    ("fundus", "authors"): 0.925,  # 0.940 measured with extract/authors.py rules
}


@pytest.fixture(scope="module")
def scores(corpus) -> dict[str, Any]:
    """newscrawl scored once over every set (about three minutes on one core)."""
    return ev.score_extractor("newscrawl", ev.newscrawl_extractor, corpus)["sets"]


@pytest.mark.parametrize(("set_name", "metric"), list(FLOORS), ids=lambda v: str(v))
def test_quality_floor(scores: dict[str, Any], set_name: str, metric: str) -> None:
    value = scores[set_name][metric]
    if isinstance(value, dict):
        value = value["f1"]
    assert value >= FLOORS[(set_name, metric)], f"{set_name} {metric} fell to {value:.3f}"


def test_non_articles_are_recognised(scores: dict[str, Any]) -> None:
    """WCXB's listings, forums, products, service, documentation and collection pages are
    not taken for articles, and its articles are (cross-validated: P 0.90, R 0.96)."""
    detection = scores["wcxb"]["detection"]
    assert detection["precision"] >= 0.9 and detection["recall"] >= 0.95, detection


def test_no_page_raises(scores: dict[str, Any]) -> None:
    assert all(summary["errors"] == 0 for summary in scores.values())


def test_body_precision_and_recall_both_high(scores: dict[str, Any]) -> None:
    """Neither half of F1 may be bought with the other (zyte measured P 0.975, R 0.982)."""
    body = scores["zyte"]["body"]
    assert body["precision"] >= 0.95 and body["recall"] >= 0.96


def test_snippet_recall_not_bought_with_precision(scores: dict[str, Any]) -> None:
    """Snippet recall was the gap to trafilatura (measured P 0.963, R 0.942)."""
    snippets = scores["trafilatura"]["snippets"]
    assert snippets["precision"] >= 0.97 and snippets["recall"] >= 0.945


def test_titles_on_the_second_gold_set(corpus) -> None:
    """Title rules are tuned on fundus; trafilatura's gold titles check that they generalise
    (measured 0.883 exact, 91 of 103 pages with a gold title; 0.757 before titles.py)."""
    from newscrawl.extract import extract_page

    pages = [p for p in ev.load_trafilatura(corpus) if p.title]
    hits = sum(ev.title_match(p.title, extract_page(p.html, p.url).article.title) for p in pages)
    assert hits / len(pages) >= 0.86, f"trafilatura title exact fell to {hits / len(pages):.3f}"


def test_corpus_articles_are_recognised_as_articles(corpus) -> None:
    """Every corpus page is an article: a crawl that took one for a listing would drop it
    (measured: zyte 119/119, fundus 183/183, trafilatura 119/121 — a 35-word news snippet and a
    page whose body comes out at 45 words)."""
    from newscrawl.extract import extract_page

    missed = [
        page.id
        for loader in (ev.load_zyte, ev.load_fundus, ev.load_trafilatura)
        for page in loader(corpus)
        if not extract_page(page.html, page.url, False).is_article
    ]
    assert len(missed) <= 4, missed
