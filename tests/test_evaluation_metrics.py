"""Metric functions of benchmarks.evaluation on hand-made inputs with hand-computed numbers.

Expected values are worked out in the comments so a wrong metric fails loudly; the last tests
read a few real pages from the shared corpus (skipped when it is absent).
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest

from benchmarks import evaluation as ev

CORPUS = Path(
    os.environ.get("NEWSCRAWL_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus"
)


# --- body: shingle matching -------------------------------------------------------------------


def test_tokenize_keeps_case_and_drops_punctuation() -> None:
    assert ev.tokenize("a b,cd:e(foo,bar) Über-Äpfel") == [
        "a",
        "b",
        "cd",
        "e",
        "foo",
        "bar",
        "Über",
        "Äpfel",
    ]
    assert ev.tokenize(None) == []


def test_shingles_are_a_multiset_and_short_text_is_one_shingle() -> None:
    # "a b c d a b c d": abcd, bcda, cdab, dabc, abcd -> abcd twice
    s = ev.shingles("a b c d a b c d")
    assert s[("a", "b", "c", "d")] == 2
    assert sum(s.values()) == 5
    assert ev.shingles("a b") == {("a", "b"): 1}
    assert ev.shingles("  ,; ") == {}


def test_perfect_match() -> None:
    c = ev.shingle_counts("a b c d e", "a b c d e")  # abcd, bcde on both sides
    assert (c.tp, c.fp, c.fn) == (1.0, 0.0, 0.0)
    assert c.precision == 1.0 and c.recall == 1.0


def test_disjoint() -> None:
    c = ev.shingle_counts("a b c d", "w x y z")  # tp 0, fp 1, fn 1 -> normalised 0, .5, .5
    assert (c.tp, c.fp, c.fn) == (0.0, 0.5, 0.5)
    assert c.precision == 0.0 and c.recall == 0.0


def test_partial_overlap() -> None:
    # gold abcd bcde cdef; pred abcd bcde cdex dexy -> tp 2, fp 2, fn 1, /5
    c = ev.shingle_counts("a b c d e f", "a b c d e x y")
    assert c.tp == pytest.approx(0.4) and c.fp == pytest.approx(0.4) and c.fn == pytest.approx(0.2)
    assert c.precision == pytest.approx(0.5)
    assert c.recall == pytest.approx(2 / 3)


def test_repeated_gold_text_counts_each_occurrence() -> None:
    # gold has 5 shingles (abcd twice), pred abcd once -> tp 1, fn 4, /5
    c = ev.shingle_counts("a b c d a b c d", "a b c d")
    assert (c.tp, c.fp, c.fn) == pytest.approx((0.2, 0.0, 0.8))


def test_tokens_are_case_sensitive_as_in_the_reference() -> None:
    assert ev.shingle_counts("A b c d", "a b c d").tp == 0.0


def test_empty_prediction_has_no_precision_and_zero_recall() -> None:
    c = ev.shingle_counts("a b c d", "")
    assert (c.tp, c.fp, c.fn) == (0.0, 0.0, 1.0)
    assert c.precision is None
    assert c.recall == 0.0
    both = ev.shingle_counts("", None)
    assert (both.tp, both.fp, both.fn) == (0.0, 0.0, 0.0)
    assert both.precision is None and both.recall is None


def test_body_scores_average_p_and_r_then_harmonic_mean() -> None:
    pages = [
        ev.shingle_counts("a b c d e", "a b c d e"),  # P 1,   R 1
        ev.shingle_counts("a b c d e f", "a b c d e x y"),  # P 1/2, R 2/3
        ev.shingle_counts("a b c d", ""),  # P -,   R 0
    ]
    scores = ev.body_scores(pages)
    # P = mean(1, 1/2) = 3/4 (empty prediction left out); R = mean(1, 2/3, 0) = 5/9
    assert scores["precision"] == pytest.approx(3 / 4)
    assert scores["recall"] == pytest.approx(5 / 9)
    # F1 = 2 * 3/4 * 5/9 / (3/4 + 5/9) = 30/47
    assert scores["f1"] == pytest.approx(30 / 47)
    assert scores["pages"] == 3


def test_body_scores_of_nothing_is_zero() -> None:
    assert ev.body_scores([ev.shingle_counts("a b c d", "")])["f1"] == 0.0


# --- metadata ---------------------------------------------------------------------------------


def test_title_normalisation() -> None:
    assert ev.normalize_title("Apple’s M4 — Review!") == "apple s m4 review"
    assert ev.title_match("Apple’s M4 — Review!", "apple's  M4: review")
    assert ev.title_match("Über Äpfel", "über äpfel")
    assert not ev.title_match("Apple's M4", "Apple M4")
    assert not ev.title_match("Apple's M4", None)
    assert not ev.title_match("", "")


def test_same_day_uses_the_first_ten_characters() -> None:
    assert ev.same_day("2024-03-05T23:30:00-05:00", "2024-03-05")
    assert ev.same_day("2024-03-05 19:01:58", "2024-03-05T01:00:00+02:00")
    # same instant, different written day: no time-zone conversion
    assert not ev.same_day("2024-03-05T23:30:00-05:00", "2024-03-06T04:30:00+00:00")
    assert not ev.same_day("2024-03-05", "2024-03-06")
    assert not ev.same_day("2024-03-05", None)
    assert not ev.same_day("2024-03-05", "2024-03")


def test_author_normalisation() -> None:
    assert ev.normalize_author("  José  PÉREZ ") == "jose perez"
    assert ev.normalize_author("Dr. Jean-Luc O'Neil") == "dr jean luc o neil"


def test_author_f1() -> None:
    gold = ["José Pérez", "Anna Smith"]
    assert ev.author_f1(gold, ["jose perez"]) == pytest.approx(2 / 3)  # 2*1 / (2+1)
    assert ev.author_f1(gold, ["Jose Perez", "Anna Smith", "Staff"]) == pytest.approx(0.8)  # 4/5
    assert ev.author_f1(gold, ["Anna Smith", "anna  smith", "JOSÉ PÉREZ"]) == 1.0  # a set
    assert ev.author_f1(gold, []) == 0.0
    assert ev.author_f1([], []) == 1.0


# --- snippets ---------------------------------------------------------------------------------


def test_snippets_are_pooled_over_pages() -> None:
    page1 = ev.snippet_counts(
        "Hello   world.\nThis is   the article.",
        ["Hello world.", "the\n article", "missing bit"],  # tp 2, fn 1
        ["This is the", "Share on Twitter"],  # fp 1
    )
    page2 = ev.snippet_counts("", ["x y"], ["z"])  # tp 0, fn 1, fp 0
    assert (page1.tp, page1.fp, page1.fn) == (2, 1, 1)
    assert (page2.tp, page2.fp, page2.fn) == (0, 0, 1)
    scores = ev.snippet_scores([page1, page2])
    # pooled tp 2, fp 1, fn 2: P 2/3, R 1/2, F 4/7 (a per-page mean would give R 1/3)
    assert scores["precision"] == pytest.approx(2 / 3)
    assert scores["recall"] == pytest.approx(1 / 2)
    assert scores["f1"] == pytest.approx(4 / 7)


def test_comment_snippets_found() -> None:
    text = "Great post!\nThanks   a lot"
    assert ev.comment_snippets_found(text, ["Great post", "Thanks a lot", "Nope", " "]) == (2, 3)
    assert ev.comment_snippets_found(None, ["Great post"]) == (0, 1)


# --- scoring an extractor over a tiny hand-made corpus ---------------------------------------


def _gz(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(text.encode("utf-8")))


def _tiny_corpus(root: Path) -> None:
    (root / "zyte").mkdir(parents=True)
    (root / "zyte" / "ground-truth.json").write_text(
        json.dumps(
            {
                "p1": {"url": "https://z.test/1", "articleBody": "a b c d e"},
                "p2": {"url": "https://z.test/2", "articleBody": "a b c d e f"},
            }
        )
    )
    _gz(root / "zyte" / "html" / "p1.html.gz", "<p>one</p>")
    _gz(root / "zyte" / "html" / "p2.html.gz", "<p>two</p>")
    fundus = root / "fundus"
    (fundus / "test_data" / "de").mkdir(parents=True)
    (fundus / "html_to_version.json").write_text(
        json.dumps(
            {
                "de/Pub_2024.html.gz": {
                    "gold_json": "de/Pub.json",
                    "version": "V1",
                    "url": "https://f.test/1",
                    "gold_fields": ["authors", "body", "publishing_date", "title"],
                }
            }
        )
    )
    gold = {
        "title": "Fundus Title",
        "authors": ["Anna Smith"],
        "publishing_date": "2024-01-02 10:00:00+01:00",
        "body": {
            "summary": ["s t u v"],
            "sections": [{"headline": ["H"], "paragraphs": ["w x y z"]}],
        },
    }
    (fundus / "test_data" / "de" / "Pub.json").write_text(json.dumps({"V1": gold}))
    _gz(fundus / "test_data" / "de" / "Pub_2024.html.gz", "<p>fundus</p>")
    (root / "trafilatura").mkdir()
    (root / "trafilatura" / "evaldata.json").write_text(
        json.dumps(
            {
                "https://t.test/1": {
                    "file": "t1.html",
                    "html": "eval/t1.html.gz",
                    "with": ["main text"],
                    "without": ["menu"],
                    "comments": ["nice one", "second"],
                }
            }
        )
    )
    _gz(root / "trafilatura" / "eval" / "t1.html.gz", "<p>t</p>")
    wcxb = root / "wcxb"
    (wcxb / "ground-truth").mkdir(parents=True)
    files = {
        "0001": {"page_type": "article", "domain": "w.test"},
        "0002": {"page_type": "listing", "domain": "other.test"},
    }
    (wcxb / "metadata.json").write_text(json.dumps({"files": files}))
    truths = {
        "0001": {
            "title": "A Title",
            "author": "Ann Lee, MS, and Bo Ek",
            "publish_date": "2025-03-04",
            "main_content": "Word word two three",
        },
        "0002": {"title": "Home", "main_content": "x y"},
    }
    for fid, gt in truths.items():
        url = f"https://www.{files[fid]['domain']}/{fid}"
        (wcxb / "ground-truth" / f"{fid}.json").write_text(
            json.dumps({"url": url, "ground_truth": gt})
        )
        _gz(wcxb / "html" / f"{fid}.html.gz", "<p>w</p>")


FAKE: dict[str, dict[str, Any]] = {
    "https://z.test/1": {"article": {"body": "a b c d e"}},
    "https://z.test/2": {"article": {"body": "a b c d e x y"}},
    "https://f.test/1": {
        "article": {
            "body": "s t u v\n\nw x y z",
            "title": "fundus title!",
            "authors": ["anna smith", "Bob"],
            "published": "2024-01-02T10:00:00+01:00",
        }
    },
    "https://t.test/1": {
        "article": {"body": "the main text, and second"},
        "comments": [{"text": "nice one"}],
    },
}


FAKE["https://www.w.test/0001"] = {
    "article": {
        "body": "word two four",
        "title": "a title",
        "authors": ["Ann Lee"],
        "published": "2025-03-04T09:00:00+00:00",
    },
    "is_article": True,
}
FAKE["https://www.other.test/0002"] = {"article": {"body": "x"}, "is_article": True}


def _fake(html: str, url: str) -> dict[str, Any]:
    return FAKE[url]


def test_score_extractor_on_a_tiny_corpus(tmp_path: Path) -> None:
    _tiny_corpus(tmp_path)
    result = ev.score_extractor("fake", _fake, tmp_path)
    zyte = result["sets"]["zyte"]
    assert zyte["pages"] == 2
    assert zyte["body"]["precision"] == pytest.approx(3 / 4)  # mean(1, 1/2)
    assert zyte["body"]["recall"] == pytest.approx(5 / 6)  # mean(1, 2/3)
    fundus = result["sets"]["fundus"]
    assert fundus["body"]["f1"] == pytest.approx(1.0)  # summary + paragraphs, no headline
    assert fundus["title"] == 1.0 and fundus["date"] == 1.0
    assert fundus["authors"] == pytest.approx(2 / 3)
    traf = result["sets"]["trafilatura"]
    assert (traf["snippets"]["tp"], traf["snippets"]["fp"], traf["snippets"]["fn"]) == (1, 0, 0)
    assert traf["comments"]["found"] == 1 and traf["comments"]["total"] == 2
    assert traf["comments"]["leaked_into_body"] == 1  # "second" sits in the body
    wcxb = result["sets"]["wcxb"]
    # gold word word two three / predicted word two four: overlap 2, P 2/3, R 2/4, F1 4/7
    assert wcxb["body"]["f1"] == pytest.approx(4 / 7)
    assert wcxb["body"]["precision"] == pytest.approx(2 / 3)
    assert wcxb["title"] == 1.0 and wcxb["date"] == 1.0
    assert wcxb["authors"] == pytest.approx(2 / 3)  # {ann lee, bo ek} against {ann lee}
    assert wcxb["detection"] == {"precision": 0.5, "recall": 1.0, "tp": 1, "fp": 1, "fn": 0}
    assert wcxb["types"]["listing"]["f1"] == pytest.approx(2 / 3)
    assert wcxb["types"]["listing"]["taken_for_articles"] == 1
    assert len(result["pages"]) == 6
    assert {r["id"] for r in result["pages"]} == {
        "p1",
        "p2",
        "de/Pub_2024.html.gz",
        "t1.html",
        "0001",
        "0002",
    }
    assert result["median_ms"] >= 0


def test_headlines_option_and_failing_extractor(tmp_path: Path) -> None:
    _tiny_corpus(tmp_path)
    with_h = ev.score_extractor("fake", _fake, tmp_path, ["fundus"], fundus_headlines=True)
    # shingles run across paragraphs: gold tokens s t u v H w x y z -> 6 shingles, predicted
    # s t u v w x y z -> 5; only stuv and wxyz match: P 2/5, R 2/6
    body = with_h["sets"]["fundus"]["body"]
    assert body["precision"] == pytest.approx(2 / 5)
    assert body["recall"] == pytest.approx(1 / 3)

    def broken(html: str, url: str) -> dict[str, Any]:
        raise RuntimeError("boom")

    result = ev.score_extractor("broken", broken, tmp_path, ["zyte"])
    assert result["sets"]["zyte"]["errors"] == 2
    assert result["sets"]["zyte"]["body"]["recall"] == 0.0
    assert result["pages"][0]["error"] == "RuntimeError: boom"
    with pytest.raises(ValueError):
        ev.score_extractor("fake", _fake, tmp_path, ["nope"])


def test_trafilatura_adapter_shape() -> None:
    html = (
        "<html><head><title>A headline for a test</title></head><body><article>"
        + "<p>This is a long enough paragraph of article text to be kept by trafilatura.</p>" * 8
        + "</article></body></html>"
    )
    d = ev.trafilatura_extractor(html, "https://example.com/a")
    assert set(d) == {"article", "related", "comments"}
    assert "long enough paragraph" in d["article"]["body"]
    assert isinstance(d["article"]["authors"], list)


# --- the real corpus --------------------------------------------------------------------------


@pytest.mark.corpus
def test_loaders_read_the_shared_corpus() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    for page in itertools.islice(ev.load_zyte(CORPUS), 3):
        assert "<" in page.html and page.body.strip() and page.url.startswith("http")
    for page in itertools.islice(ev.load_fundus(CORPUS), 3):
        assert "<" in page.html and page.body.strip() and page.url.startswith("http")
        assert page.title and page.published
    for page in itertools.islice(ev.load_trafilatura(CORPUS), 3):
        assert "<" in page.html and page.with_snippets and page.without_snippets


def test_word_counts_are_lower_cased_token_multisets() -> None:
    c = ev.word_counts("The the cat", "the THE the dog")
    assert (c.overlap, c.predicted, c.gold) == (2, 4, 3)
    assert c.f1 == pytest.approx(4 / 7)
    assert ev.word_counts("gold text", "").f1 == 0.0
    assert ev.word_counts("", "").f1 == 1.0


def test_gold_author_strings_split_into_names() -> None:
    assert ev.split_gold_authors("Dylan Bailey, MS, RD, FAND") == ["Dylan Bailey"]
    assert ev.split_gold_authors("A Bee, C Dee, and E Eff") == ["A Bee", "C Dee", "E Eff"]
    assert ev.split_gold_authors("Maria & Katerina") == ["Maria", "Katerina"]
    assert ev.split_gold_authors(None) == []


def test_folds_keep_a_site_together(tmp_path: Path) -> None:
    _tiny_corpus(tmp_path)
    pages = [p for name in ev.SETS for p in ev.load_set(name, tmp_path)]
    folds = ev.assign_folds(pages)
    assert set(folds) == {(ev._set_name(p), p.id) for p in pages}
    assert all(0 <= f < ev.FOLDS for f in folds.values())
    assert folds[("zyte", "p1")] == folds[("zyte", "p2")]  # both on z.test
    # the fold depends on the site's name only: the same for a corpus of one set
    assert ev.assign_folds(list(ev.load_zyte(tmp_path))) == {
        k: v for k, v in folds.items() if k[0] == "zyte"
    }
    sub = ev.ZytePage("x", "https://news.bbc.co.uk/a", "", "")
    assert ev.site_key(sub) == "bbc.co.uk"
