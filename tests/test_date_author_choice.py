"""The learned date and author choices: their candidates, features and decisions."""

from __future__ import annotations

import pytest

from newscrawl import dates
from newscrawl.extract import author_choice, date_choice, extract_page, models
from newscrawl.extract.context import PageContext
from newscrawl.extract.document import parse_html
from newscrawl.extract.metadata import published

UPDATED_PAGE = """<html><head>
<script type="application/ld+json">{"@type": "BlogPosting", "headline": "Ten tips",
 "datePublished": "2021-03-02T10:00:00+00:00", "dateModified": "2025-11-20T09:00:00+00:00",
 "author": {"@type": "Person", "name": "Ana Ruiz"}}</script>
<meta property="og:site_name" content="Tips Weekly"></head>
<body><nav><a href="/author/">Our authors</a></nav><article><h1>Ten tips</h1>
<div class="meta"><span>Updated</span> <span>November 20, 2025</span></div>
<p>By Tom Li</p><p>Body text of the article, long enough to be a story.</p></article>
</body></html>"""
URL = "https://tips.example/2021/03/02/ten-tips/"


def _context(html: str, url: str = URL) -> PageContext:
    return PageContext.of(parse_html(html), url, None)


def test_date_candidates_name_every_source_and_the_shown_label() -> None:
    ctx = _context(UPDATED_PAGE)
    texts, rows = date_choice.candidates(ctx, published(ctx.tree, ctx.sources))
    days = {
        t[:10]: dict(zip(date_choice.FEATURE_NAMES, row, strict=True))
        for t, row in zip(texts, rows, strict=True)
    }
    assert set(days) == {"2021-03-02", "2025-11-20"}
    old, new = days["2021-03-02"], days["2025-11-20"]
    assert old["from_rule"] and old["from_ld_published"] and old["from_url"] and old["earliest"]
    assert new["from_ld_modified"] and new["from_shown_first"] and new["shown_updated"]
    assert new["latest"] and new["days_after_earliest"] > 1000
    assert all(len(row) == len(date_choice.FEATURE_NAMES) for row in rows)


def test_url_day_is_a_real_day_only() -> None:
    assert date_choice.url_day("https://x.example/2025/12/18/slug") == "2025-12-18"
    assert date_choice.url_day("https://x.example/2025/13/45/slug") is None
    assert date_choice.url_day("https://x.example/news/12345") is None


class _Scores:
    """A stand-in model: fixed scores for the candidate rows, in order."""

    def __init__(self, scores: list[float]) -> None:
        self.scores = scores

    def predict(self, rows):
        assert len(rows) == len(self.scores)
        return self.scores


def test_the_model_picks_the_day_and_the_rules_full_timestamp_is_kept() -> None:
    ctx = _context(UPDATED_PAGE)
    # candidates are sorted by day: 2021-03-02 first, 2025-11-20 second
    assert date_choice.published(ctx, _Scores([0.9, 0.1])) == "2021-03-02T10:00:00+00:00"
    assert date_choice.published(ctx, _Scores([0.1, 0.9])).startswith("2025-11-20T09:00")
    assert date_choice.published(ctx, None) == "2021-03-02T10:00:00+00:00"


def test_author_candidates_gather_labelled_lines_and_jsonld_people() -> None:
    rule, texts, rows = author_choice.candidates(_context(UPDATED_PAGE))
    assert rule == ["Ana Ruiz"]
    found = {
        t: dict(zip(author_choice.FEATURE_NAMES, r, strict=True))
        for t, r in zip(texts, rows, strict=True)
    }
    assert found["Ana Ruiz"]["from_rule"] and found["Ana Ruiz"]["from_ld_person"]
    assert found["Tom Li"]["from_text_label"] and found["Tom Li"]["labelled"]
    assert "Our authors" not in found  # a menu link to the author list is no byline


def test_author_choice_keeps_co_authors_of_a_chosen_list_and_the_rules_order() -> None:
    texts = ["Ana Ruiz", "Tom Li", "Home"]
    rule, ld = (
        author_choice.FEATURE_NAMES.index("from_rule"),
        author_choice.FEATURE_NAMES.index("from_ld_person"),
    )
    rank = author_choice.FEATURE_NAMES.index("rule_rank")
    rows = [[0.0] * len(author_choice.FEATURE_NAMES) for _ in texts]
    for i in (0, 1):
        rows[i][rule] = rows[i][ld] = 1.0
        rows[i][rank] = float(1 - i)  # the rules list Tom Li first
    rows[2][rank] = -1.0
    # Tom Li is under the sure score but listed with Ana Ruiz: kept; "Home" is not.
    assert author_choice.choose(texts, rows, _Scores([0.9, 0.3, 0.2])) == ["Tom Li", "Ana Ruiz"]
    # nobody sure: the best name if it reaches the lower score, else none
    assert author_choice.choose(texts, rows, _Scores([0.05, 0.02, 0.3])) == ["Home"]
    assert author_choice.choose(texts, rows, _Scores([0.05, 0.02, 0.01])) == []


UNSIGNED_PAGE = """<html><head><title>Ten tips | Tips Weekly</title>
<meta property="og:site_name" content="MonsGeek - Make Cool Gears Accessible"></head>
<body><article><h1>Ten tips</h1><p>Body text of the article, long enough.</p></article>
</body></html>"""
BLOG_PAGE = """<html><head><title>Go ahead, self-host Postgres | Pierce Freeman</title></head>
<body><article><h1>Go ahead, self-host Postgres</h1><p>Body text.</p></article>
</body></html>"""


def test_a_page_the_model_finds_no_author_on_is_signed_by_its_site() -> None:
    """When the model is sure of nobody, the site's declared name (tagline cut) is the author,
    else the tail of a `<title>` that has one (a personal blog's name is its writer's)."""
    ctx = _context(UNSIGNED_PAGE)
    texts, rows = author_choice.candidates(ctx)[1:]
    nobody = _Scores([0.0] * len(texts))
    assert author_choice.authors(ctx, nobody) == ["MonsGeek"]
    assert author_choice.authors(_context(BLOG_PAGE), _Scores([])) == ["Pierce Freeman"]
    assert author_choice.site_author(_context(UPDATED_PAGE)) == ["Tips Weekly"]
    # without a model the rules answer, and they name no organisation here
    assert author_choice.authors(_context(UNSIGNED_PAGE), None) == []


def test_shipped_models_decide_an_updated_page_end_to_end() -> None:
    """With the shipped models the page's fields still come out whole (no crash, a day the
    page states, a person it names)."""
    result = extract_page(UPDATED_PAGE, URL, profile=False)
    assert result.article.published[:10] in {"2021-03-02", "2025-11-20"}
    assert set(result.article.authors) <= {"Ana Ruiz", "Tom Li"} and result.article.authors
    with models.use(models.ModelBundle()):
        assert extract_page(UPDATED_PAGE, URL, profile=False).article.authors == ["Ana Ruiz"]


@pytest.mark.parametrize(
    "text, day",
    [
        ("November 20, 2025", "2025-11-20"),
        ("Nov. 20 2025", "2025-11-20"),
        ("20th November 2025", "2025-11-20"),
        ("Sept 3, 2024", "2024-09-03"),
        ("Feb 30, 2024", None),  # no such day, and dateparser agrees
    ],
)
def test_english_days_under_headlines_are_read_without_dateparser(text, day) -> None:
    """The common shown forms take a fast path that gives dateparser's answer."""
    fast = dates._english_day(text)
    assert (fast.date().isoformat() if fast else None) == day
    slow = dates._dateparser.__wrapped__(text, None)
    assert (slow.date().isoformat() if slow else None) == day
    assert (dates.to_iso8601(text, "Europe/Paris") or "")[:10] == (day or "")


def test_a_utc_time_next_to_the_shown_day_is_marked() -> None:
    """JSON-LD in UTC names the next day of an evening story; the page shows its own day."""
    html = (
        '<html><head><script type="application/ld+json">{"@type": "BlogPosting",'
        ' "datePublished": "2025-12-19T03:05:00+00:00"}</script></head><body>'
        "<h1>Late story</h1><p>December 18, 2025</p><p>Text.</p></body></html>"
    )
    ctx = _context(html, "https://blog.example/late-story")
    texts, rows = date_choice.candidates(ctx, published(ctx.tree, ctx.sources))
    named = dict(zip((t[:10] for t in texts), rows, strict=True))
    column = date_choice.FEATURE_NAMES.index
    assert named["2025-12-19"][column("utc_time")] == 1.0
    assert named["2025-12-18"][column("utc_time")] == 0.0
    assert named["2025-12-19"][column("shown_day_apart")] == 1.0
    assert named["2025-12-18"][column("from_shown_first")] == 1.0
