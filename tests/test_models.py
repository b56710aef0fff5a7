"""The learned extraction models: features, loading, determinism, page types, fallbacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.extract import (
    author_choice,
    date_choice,
    extract_page,
    models,
    page_features,
    page_type,
    title_choice,
)
from newscrawl.extract.body import blocks, learned
from newscrawl.extract.body.measure import measure
from newscrawl.extract.body.prune import prune
from newscrawl.extract.document import parse_html

PAGES = Path(__file__).parent / "pages"

# The corpus tests extract all 1,781 pages (the `records` fixture, about 4 minutes on two
# idle cores) and fit every model several times over: more than the default 300 s.
pytestmark = pytest.mark.timeout(1800)


def test_shipped_models_load_once_and_match_the_feature_code() -> None:
    bundle = models.current()
    assert models.current() is bundle  # loaded once per process
    body, kind = bundle.get("body"), bundle.get("page_type")
    assert body is not None and kind is not None and bundle.get("title") is not None
    # A feature added or renamed without refitting would silently feed the wrong columns.
    assert body.features == blocks.FEATURE_NAMES
    context = bundle.get("body_context")
    assert context is not None
    assert context.features == (*blocks.FEATURE_NAMES, *learned.NEIGHBOUR_FEATURES)
    assert kind.features == page_features.FEATURE_NAMES
    assert kind.classes == page_type.PAGE_TYPES
    assert bundle.get("title").features == title_choice.FEATURE_NAMES
    assert bundle.get("date").features == date_choice.FEATURE_NAMES
    assert bundle.get("authors").features == author_choice.FEATURE_NAMES
    assert 0 < body.settings["threshold"] < 1


def test_shipped_model_files_stay_small() -> None:
    folder = Path(models.__file__).parent / models.MODEL_DIR
    assert sum(f.stat().st_size for f in folder.iterdir()) <= 5 * 1024 * 1024


def test_use_swaps_models_and_restores_them() -> None:
    shipped = models.current()
    empty = models.ModelBundle()
    with models.use(empty):
        assert models.current() is empty
    assert models.current() is shipped


def test_extraction_without_models_falls_back_to_the_rules() -> None:
    """The package extracts without model files (rules decide body and page type)."""
    html = (PAGES / "forum_thread.html").read_text(encoding="utf-8")
    url = "https://forum.tinkerboard.example/forum/hardware/laptops/topic-48213.html"
    with models.use(models.ModelBundle()):
        result = extract_page(html, url, profile=False)
    assert result.page_type in page_type.PAGE_TYPES
    assert "BIOS" in (result.article.body or "")


def test_neighbour_scores_read_the_blocks_around_each_block() -> None:
    rows = learned.neighbour_scores([0.9, 0.2, 0.8])
    assert len(rows[0]) == len(learned.NEIGHBOUR_FEATURES)
    named = [dict(zip(learned.NEIGHBOUR_FEATURES, row, strict=True)) for row in rows]
    middle = named[1]
    assert (middle["score"], middle["score_prev"], middle["score_next"]) == (0.2, 0.9, 0.8)
    assert middle["score_prev2"] == middle["score_next2"] == -1.0  # past the page's ends
    assert middle["score_max_before"] == 0.9 and middle["score_max_after"] == 0.8
    assert middle["score_rank"] == 0.0 and named[0]["score_rank"] == 1.0
    assert named[0]["score_window"] == pytest.approx((0.9 + 0.2 + 0.8) / 3)
    assert named[2]["score_max_after"] == 0.0 and named[0]["score_max_before"] == 0.0
    assert all(row["score_page_mean"] == pytest.approx(1.9 / 3) for row in named)
    assert learned.neighbour_scores([]) == []


class _Column:
    """A stand-in model whose score is one column of each row."""

    def __init__(self, column: int) -> None:
        self.column = column
        self.settings = {"threshold": 0.5}

    def predict(self, rows):
        return [row[self.column] for row in rows]


def test_the_context_model_decides_again_from_the_first_scores() -> None:
    rows = [[0.9], [0.4], [0.8]]
    first = _Column(0)
    assert learned.block_scores(rows, first) == [0.9, 0.4, 0.8]
    # a context model reading "the best score before" keeps the blocks after a sure one
    before = 1 + learned.NEIGHBOUR_FEATURES.index("score_max_before")
    assert learned.block_scores(rows, first, _Column(before)) == [0.0, 0.9, 0.9]


def test_blocks_cut_like_the_rules_and_rows_have_every_feature() -> None:
    html = (
        "<html><body><div class='story'><h2>Sub head</h2><p>First paragraph, with "
        "<a href='/x'>a link</a> inside.</p><table><tr><th>Pos</th><th>Player</th></tr>"
        "<tr><td>DL</td><td>Larry</td></tr></table><ul><li>One item</li><li>Two</li></ul>"
        "</div></body></html>"
    )
    tree = parse_html(html)
    prune(tree)
    body = tree.find("body")
    stats = measure(body)
    found = blocks.collect_blocks(body, stats)
    assert [b.text for b in found] == [
        "Sub head",
        "First paragraph, with a link inside.",
        "Pos | Player",
        "DL | Larry",
        "One item",
        "Two",
    ]
    assert found[0].heading == 2 and found[1].link_chars == len("a link")
    choice = blocks.RuleChoice(body, [body], None, {"Sub head"}, 1.0, False)
    rows = blocks.features(found, stats, body, choice, "A title")
    assert all(len(r) == len(blocks.FEATURE_NAMES) for r in rows)
    assert rows[0][blocks.FEATURE_NAMES.index("rule_kept")] == 1.0
    assert rows[1][blocks.FEATURE_NAMES.index("rule_kept")] == 0.0


def test_page_features_are_named_and_complete() -> None:
    html = (PAGES / "product.html").read_text(encoding="utf-8")
    collect: dict = {}
    extract_page(
        html, "https://keyforge.example/products/aurora-65", profile=False, collect=collect
    )
    features = collect["page_features"]
    assert tuple(features) == page_features.FEATURE_NAMES
    assert features["ld_product"] == 1.0 and features["meta_price"] == 1.0
    assert features["og_type"] == 3  # product


@pytest.mark.parametrize(
    ("page", "url", "kind"),
    [
        (
            "forum_thread.html",
            "https://forum.tinkerboard.example/forum/hardware/laptops/topic-48213.html",
            "forum",
        ),
        ("product.html", "https://keyforge.example/products/aurora-65", "product"),
    ],
)
def test_forum_threads_and_products_are_not_articles(page: str, url: str, kind: str) -> None:
    html = (PAGES / page).read_text(encoding="utf-8")
    result = extract_page(html, url, profile=False)
    assert not result.is_article
    assert result.page_type == kind


@pytest.fixture(scope="module")
def records(corpus):
    """Every corpus page extracted with its learned-stage inputs, fresh (no cache)."""
    from benchmarks import learning

    return learning.records(corpus, cache=False)


@pytest.mark.corpus
def test_training_is_deterministic_and_the_shipped_models_are_its_output(records) -> None:
    """Refit from the corpus: the same model text as shipped (the script is the source)."""
    from benchmarks import train_models

    bundle = train_models.fit_all(records)
    for name, model in bundle.models.items():
        assert train_models.model_text(model) == train_models.shipped_text(name), (
            f"{name}: the shipped model is not what benchmarks/train_models.py fits; "
            "run `python benchmarks/train_models.py` and commit the model files"
        )


# Held-out floors (folds by site, models fitted on the other folds), a little under the
# figures of docs/extraction.md.
CV_BODY_FLOORS = {"zyte": 0.97, "fundus": 0.94, "trafilatura": 0.96, "wcxb": 0.94}
CV_TITLE_FLOORS = {"fundus": 0.88, "trafilatura": 0.88, "wcxb": 0.85}
CV_DATE_FLOORS = {"fundus": 0.97, "wcxb": 0.86}
CV_AUTHOR_FLOORS = {"fundus": 0.91, "wcxb": 0.83}


@pytest.mark.corpus
def test_cross_validated_block_model_floors(records) -> None:
    from benchmarks import train_models

    learned, rules, _ = train_models.simulate_cv(records)
    for name, floor in CV_BODY_FLOORS.items():
        assert learned[name] >= floor, f"held-out {name} body {learned[name]:.3f} < {floor}"
    # on pages the rules were never tuned on, the model must beat them
    assert learned["wcxb"] > rules["wcxb"]


@pytest.mark.corpus
def test_cross_validated_title_and_page_type_floors(records) -> None:
    from benchmarks import train_models

    titles = train_models.simulate_title_cv(records)
    for name, floor in CV_TITLE_FLOORS.items():
        assert titles[name][0] >= floor, f"held-out {name} title {titles[name][0]:.3f} < {floor}"
    detection = train_models.simulate_page_cv(records)[train_models.ARTICLE_THRESHOLD]
    assert detection["precision"] >= 0.88 and detection["recall"] >= 0.94, detection


@pytest.mark.corpus
def test_cross_validated_date_and_author_floors(records) -> None:
    """The learned choices must beat the fixed source order on WCXB's held-out sites."""
    from benchmarks import train_models

    days = train_models.simulate_date_cv(records)
    for name, floor in CV_DATE_FLOORS.items():
        assert days[name][0] >= floor, f"held-out {name} date {days[name][0]:.3f} < {floor}"
    assert days["wcxb"][0] > days["wcxb"][1]
    names = train_models.simulate_author_cv(records)
    for name, floor in CV_AUTHOR_FLOORS.items():
        assert names[name][0] >= floor, f"held-out {name} authors {names[name][0]:.3f} < {floor}"
    assert names["wcxb"][0] > names["wcxb"][1]


def test_page_features_read_the_dateline_and_byline_under_the_headline() -> None:
    """A story shows its date and byline in the lines after its <h1>; a listing its teasers."""
    from newscrawl.extract.context import PageContext

    story = (
        "<html><body><h1>Rates rise again</h1><div><span>By Ana Ruiz</span>"
        "<time>December 4, 2025</time></div><p>The bank raised its rates.</p></body></html>"
    )
    listing = (
        "<html><body><h1>World news</h1><ul><li><a href='/a'>First story</a></li>"
        "<li><a href='/b'>Second story</a></li></ul></body></html>"
    )
    rows = {}
    for name, html in (("story", story), ("listing", listing)):
        ctx = PageContext.of(parse_html(html), "https://news.example/x", None)
        result = extract_page(html, "https://news.example/x", profile=False)
        rows[name] = page_features.page_features(
            ctx.tree,
            ctx.url,
            ctx.sources,
            result.article,
            [],
            [],
            False,
            ctx.lines_after_headline(),
        )
        assert set(rows[name]) == set(page_features.FEATURE_NAMES)
    assert rows["story"]["headline_byline_line"] == 0
    assert rows["story"]["headline_date_line"] == 1
    assert rows["listing"]["headline_byline_line"] == rows["listing"]["headline_date_line"] == -1
    assert rows["listing"]["headline_lines"] == 2
