"""Score article extractors against the shared gold corpus (``../shared/corpus``).

Benchmark code, not part of the shipped package: tests import it as ``benchmarks.evaluation``.

The corpus README defines the metrics; this module implements them so that every figure the
project reports comes from one place. Nothing here depends on Scrapy or on newscrawl's own
extractor: an extractor is any callable ``fn(html, url) -> dict`` shaped like
``newscrawl.extract.extract_page(html, url).to_dict()``::

    {"article": {"title", "authors", "published", "body", ...}, "related": [...],
     "comments": [{"text", ...}, ...]}

Loaders read the gzipped pages in place and never copy them.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import itertools
import json
import re
import statistics
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "SETS",
    "Extractor",
    "ZytePage",
    "FundusPage",
    "TrafilaturaPage",
    "ShingleCounts",
    "SnippetCounts",
    "load_zyte",
    "load_fundus",
    "load_trafilatura",
    "tokenize",
    "shingles",
    "shingle_counts",
    "body_scores",
    "normalize_title",
    "title_match",
    "same_day",
    "normalize_author",
    "author_f1",
    "collapse_ws",
    "snippet_counts",
    "snippet_scores",
    "comment_snippets_found",
    "body_text",
    "comment_texts",
    "score_extractor",
    "trafilatura_extractor",
    "score_trafilatura_reference",
    "fundus_body_text",
    "newscrawl_extractor",
    "WcxbPage",
    "load_wcxb",
    "word_counts",
    "word_scores",
    "load_set",
    "site_key",
    "assign_folds",
    "FOLDS",
    "split_gold_authors",
]

Extractor = Callable[[str, str], dict[str, Any]]
SETS: tuple[str, ...] = ("zyte", "fundus", "trafilatura", "wcxb")

# ---------------------------------------------------------------------------------------------
# Corpus records and loaders
# ---------------------------------------------------------------------------------------------


@dataclass
class ZytePage:
    """One page of the scrapinghub article-extraction-benchmark: gold is the body only."""

    id: str
    url: str
    html: str
    body: str


@dataclass
class FundusPage:
    """One page of fundus' parser test data with its gold body and metadata.

    ``id`` is the HTML path relative to ``fundus/test_data`` (e.g. ``de/Golem_2024_04_28.html.gz``).
    Gold fields absent from the record (fundus lists them in ``gold_fields``) are ``None`` so
    the metric can skip the page rather than count a miss.
    """

    id: str
    url: str
    html: str
    body: str
    title: str | None
    authors: list[str] | None
    published: str | None
    topics: list[str] | None
    publisher: str


@dataclass
class TrafilaturaPage:
    """One page of trafilatura's evaluation data: snippet lists instead of a full gold text."""

    id: str
    url: str
    html: str
    with_snippets: list[str]
    without_snippets: list[str]
    comment_snippets: list[str]
    title: str | None = None
    author: str | None = None
    date: str | None = None
    tags: list[str] = field(default_factory=list)


def _read_gz(path: Path) -> str:
    """Decode as UTF-8 whatever the page declares: the corpus stored pages already decoded."""
    with gzip.open(path, "rb") as fh:
        return fh.read().decode("utf-8", errors="replace")


def _read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def load_zyte(root: str | Path) -> Iterator[ZytePage]:
    """Yield the Zyte pages (``root`` is the corpus folder), in sorted id order."""
    base = Path(root) / "zyte"
    gold = _read_json(base / "ground-truth.json")
    for page_id in sorted(gold):
        rec = gold[page_id]
        yield ZytePage(
            id=page_id,
            url=rec.get("url") or "",
            html=_read_gz(base / "html" / f"{page_id}.html.gz"),
            body=rec.get("articleBody") or "",
        )


def fundus_body_text(body: dict[str, Any], *, headlines: bool = False) -> str:
    """Flatten a fundus ``ArticleBody`` to text: summary, then paragraphs, blank-line separated.

    Section headlines are left out by default because that is the gold behind the corpus
    README's reference figures: trafilatura 2.3.1 scores exactly its 0.929 (P 0.902 / R 0.957)
    with summary + paragraphs, but 0.947 (0.929 / 0.966) with headlines too. fundus' own
    benchmark (``ArticleBody.as_text_sequence()``) does count headlines; pass
    ``headlines=True`` to score that way. The summary (standfirst) counts in both.
    """
    parts: list[str] = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        if headlines:
            parts.extend(section.get("headline") or [])
        parts.extend(section.get("paragraphs") or [])
    return "\n\n".join(p for p in parts if p)


def load_fundus(root: str | Path, *, headlines: bool = False) -> Iterator[FundusPage]:
    """Yield the fundus pages in sorted path order.

    ``html_to_version.json`` gives each page's URL (the crawled one), its gold JSON and the
    version key inside it; publisher JSONs are read once each. ``headlines``: see
    :func:`fundus_body_text`.
    """
    base = Path(root) / "fundus"
    mapping = _read_json(base / "html_to_version.json")
    cache: dict[str, dict[str, Any]] = {}
    for rel in sorted(mapping):
        info = mapping[rel]
        gold_json = info["gold_json"]
        if gold_json not in cache:
            cache[gold_json] = _read_json(base / "test_data" / gold_json)
        rec = cache[gold_json][info["version"]]
        listed = set(info.get("gold_fields") or rec)
        authors = rec.get("authors") if "authors" in listed else None
        topics = rec.get("topics") if "topics" in listed else None
        yield FundusPage(
            id=rel,
            url=info.get("url") or "",
            html=_read_gz(base / "test_data" / rel),
            body=fundus_body_text(rec.get("body") or {}, headlines=headlines),
            title=rec.get("title") if "title" in listed else None,
            authors=list(authors) if authors is not None else None,
            published=rec.get("publishing_date") if "publishing_date" in listed else None,
            topics=list(topics) if topics is not None else None,
            publisher=Path(gold_json).stem,
        )


def load_trafilatura(root: str | Path) -> Iterator[TrafilaturaPage]:
    """Yield trafilatura's evaluation pages in sorted URL order; ``id`` is the file name."""
    base = Path(root) / "trafilatura"
    gold = _read_json(base / "evaldata.json")
    for url in sorted(gold):
        rec = gold[url]
        yield TrafilaturaPage(
            id=rec.get("file") or Path(rec["html"]).name,
            url=url,
            html=_read_gz(base / rec["html"]),
            with_snippets=list(rec.get("with") or []),
            without_snippets=list(rec.get("without") or []),
            comment_snippets=list(rec.get("comments") or []),
            title=rec.get("title"),
            author=rec.get("author"),
            date=rec.get("date"),
            tags=list(rec.get("tags") or []),
        )


@dataclass
class WcxbPage:
    """One WCXB page: a labelled page type, gold main text (headings on their own lines) and,
    for most articles, title, author and date."""

    id: str
    url: str
    html: str
    page_type: str
    domain: str
    body: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)


def load_wcxb(root: str | Path, *, types: Iterable[str] | None = None) -> Iterator[WcxbPage]:
    """Yield the WCXB pages in id order; ``types`` keeps only those page types."""
    base = Path(root) / "wcxb"
    files = _read_json(base / "metadata.json")["files"]
    wanted = set(types) if types is not None else None
    for page_id in sorted(files):
        info = files[page_id]
        if wanted is not None and info["page_type"] not in wanted:
            continue
        rec = _read_json(base / "ground-truth" / f"{page_id}.json")
        gold = rec.get("ground_truth") or {}
        yield WcxbPage(
            id=page_id,
            url=rec.get("url") or "",
            html=_read_gz(base / "html" / f"{page_id}.html.gz"),
            page_type=info["page_type"],
            domain=info.get("domain") or "",
            body=gold.get("main_content") or "",
            title=gold.get("title") or None,
            author=gold.get("author") or None,
            published=gold.get("publish_date") or None,
            with_snippets=list(gold.get("with") or []),
            without_snippets=list(gold.get("without") or []),
        )


def load_set(name: str, root: str | Path) -> Iterator[Any]:
    """The pages of one corpus set by name (see :data:`SETS`)."""
    loaders: dict[str, Callable[[str | Path], Iterator[Any]]] = {
        "zyte": load_zyte,
        "fundus": load_fundus,
        "trafilatura": load_trafilatura,
        "wcxb": load_wcxb,
    }
    if name not in loaders:
        raise ValueError(f"unknown corpus set {name!r}; known: {', '.join(SETS)}")
    return loaders[name](root)


# ---------------------------------------------------------------------------------------------
# Cross-validation folds: pages of one site never in two folds
# ---------------------------------------------------------------------------------------------

FOLDS = 5


def site_key(page: Any) -> str:
    """The site a page belongs to: its registrable domain (``www.bbc.co.uk`` -> ``bbc.co.uk``),
    for fundus pages the publisher's domain. :func:`assign_folds` also joins a fundus
    publisher's pages that live on several domains."""
    from tld import get_fld

    url = page.url or ""
    if isinstance(page, WcxbPage) and page.domain and not url:
        url = "https://" + page.domain
    try:
        return get_fld(url, fail_silently=True) or (urlsplit(url).hostname or url).lower()
    except ValueError:
        return (urlsplit(url).hostname or url).lower()


def _fold_of(key: str, folds: int) -> int:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % folds


def assign_folds(pages: Iterable[Any], folds: int = FOLDS) -> dict[tuple[str, str], int]:
    """``{(set, page id): fold}``, fixed by the sites' names alone (a hash), so adding pages
    never moves a site to another fold. Pages sharing a domain or a fundus publisher form one
    group (union-find) and the group's fold is that of its smallest key."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    keys: dict[tuple[str, str], str] = {}
    for page in pages:
        name = _set_name(page)
        key = "site:" + site_key(page)
        find(key)
        if isinstance(page, FundusPage):
            union(key, "publisher:" + page.publisher)
        keys[(name, page.id)] = key
    return {page: _fold_of(find(key), folds) for page, key in keys.items()}


def _set_name(page: Any) -> str:
    return {
        ZytePage: "zyte",
        FundusPage: "fundus",
        TrafilaturaPage: "trafilatura",
        WcxbPage: "wcxb",
    }[type(page)]


# ---------------------------------------------------------------------------------------------
# Body text: article-extraction-benchmark shingle matching
# ---------------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"\w+")
NGRAM_N = 4


@dataclass(frozen=True)
class ShingleCounts:
    """Per-page TP/FP/FN over shingle multisets, normalised to sum to 1 (all 0 if both empty)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        """``None`` when nothing was predicted: such pages are left out of the precision mean."""
        if self.tp + self.fp == 0:
            return None
        return 1.0 if self.fp == self.fn == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """``None`` when the gold is empty: such pages are left out of the recall mean."""
        if self.tp + self.fn == 0:
            return None
        return 1.0 if self.fp == self.fn == 0 else self.tp / (self.tp + self.fn)


def tokenize(text: str | None) -> list[str]:
    """``\\w+`` tokens, case kept: the benchmark's language-agnostic tokeniser."""
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = NGRAM_N) -> Counter[tuple[str, ...]]:
    """Multiset of n-token shingles; a text shorter than n tokens is one short shingle."""
    tokens = tokenize(text)
    out: Counter[tuple[str, ...]] = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i : i + n])
        if shingle:
            out[shingle] += 1
    return out


def shingle_counts(gold: str | None, pred: str | None, n: int = NGRAM_N) -> ShingleCounts:
    """Compare gold and predicted text the article-extraction-benchmark way.

    Normalising TP+FP+FN to 1 gives each page the same weight whatever its length.
    """
    true_s, pred_s = shingles(gold, n), shingles(pred, n)
    tp = fp = fn = 0.0
    for key in true_s.keys() | pred_s.keys():
        t, p = true_s.get(key, 0), pred_s.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total > 0:
        tp, fp, fn = tp / total, fp / total, fn / total
    return ShingleCounts(tp, fp, fn)


def _hmean(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def body_scores(counts: Iterable[ShingleCounts]) -> dict[str, float]:
    """Mean precision and mean recall over pages, F1 as their harmonic mean.

    As in article-extraction-benchmark's ``evaluate.py``: a page with an empty prediction has
    recall 0 but no precision (it is left out of the precision mean), a page with empty gold
    has no recall. An extractor that returns nothing is thus punished through recall only.
    """
    items = list(counts)
    precisions = [c.precision for c in items if c.precision is not None]
    recalls = [c.recall for c in items if c.recall is not None]
    p = statistics.fmean(precisions) if precisions else 0.0
    r = statistics.fmean(recalls) if recalls else 0.0
    return {"precision": p, "recall": r, "f1": _hmean(p, r), "pages": len(items)}


@dataclass(frozen=True)
class WordCounts:
    """WCXB's bag-of-words comparison for one page: lower-cased ``\\w+`` token multisets."""

    overlap: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float | None:
        return self.overlap / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.overlap / self.gold if self.gold else None

    @property
    def f1(self) -> float:
        """0 for an empty prediction (or gold), like any other miss."""
        total = self.predicted + self.gold
        return 2 * self.overlap / total if self.predicted and self.gold else float(total == 0)


def word_counts(gold: str | None, pred: str | None) -> WordCounts:
    """Token overlap of gold and predicted text (WCXB's ``evaluate.py`` metric)."""
    g = Counter(_TOKEN_RE.findall((gold or "").lower()))
    p = Counter(_TOKEN_RE.findall((pred or "").lower()))
    return WordCounts(sum((g & p).values()), sum(p.values()), sum(g.values()))


def word_scores(counts: Iterable[WordCounts]) -> dict[str, float]:
    """Means over pages of per-page F1, precision and recall (pages without a prediction are
    left out of the precision mean, as for the body shingles)."""
    items = list(counts)
    precisions = [c.precision for c in items if c.precision is not None]
    recalls = [c.recall for c in items if c.recall is not None]
    return {
        "f1": statistics.fmean(c.f1 for c in items) if items else 0.0,
        "precision": statistics.fmean(precisions) if precisions else 0.0,
        "recall": statistics.fmean(recalls) if recalls else 0.0,
        "pages": len(items),
    }


# ---------------------------------------------------------------------------------------------
# Metadata: title, date, authors
# ---------------------------------------------------------------------------------------------


def normalize_title(title: str | None) -> str:
    """Lower-case and keep only ``\\w+`` tokens, so punctuation and dash styles do not count."""
    return " ".join(tokenize((title or "").lower()))


def title_match(gold: str | None, pred: str | None) -> bool:
    """Exact title match after :func:`normalize_title`; an empty prediction never matches."""
    g, p = normalize_title(gold), normalize_title(pred)
    return bool(p) and g == p


def same_day(gold: str | None, pred: str | None) -> bool:
    """Same calendar day: the first 10 characters of the ISO 8601 strings are equal.

    No time-zone conversion: the day is the one written in the page's own offset, as the
    README defines it.
    """
    if not gold or not pred:
        return False
    g, p = gold.strip()[:10], pred.strip()[:10]
    return len(g) == 10 and g == p


def normalize_author(name: str | None) -> str:
    """Lower-case, strip accents (NFKD, drop combining marks), keep ``\\w+`` tokens.

    "José  Pérez-Smith" and "jose perez smith" are the same author; nothing else (no "by"
    removal, no reordering) so that an extractor still has to produce the clean name.
    """
    decomposed = unicodedata.normalize("NFKD", (name or "").lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(tokenize(stripped))


def author_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Set F1 between normalised gold and predicted author names (1.0 if both are empty)."""
    g = {a for a in map(normalize_author, gold) if a}
    p = {a for a in map(normalize_author, pred) if a}
    if not g and not p:
        return 1.0
    tp = len(g & p)
    return 2 * tp / (len(g) + len(p))


_AUTHOR_SEPARATORS = re.compile(r"\s*(?:[,;&/|]|\band\b|\bund\b|\bet\b|\by\b)\s*", re.I)
# Degrees and credentials written after a name ("Dylan Bailey, MS, RD, FAND"): not names.
_CREDENTIAL = re.compile(r"^(?:[A-Z]{2,5}|Ph\.?D\.?|M\.?D\.?|Jr\.?|Sr\.?|Dr\.?|MSc|BSc)$")


def split_gold_authors(value: str | None) -> list[str]:
    """WCXB keeps one author string ("A, B, and C"; "Name, MS, RD"): its names, for
    :func:`author_f1` (separators and trailing credentials are not names)."""
    parts = [p.strip() for p in _AUTHOR_SEPARATORS.split(value or "")]
    return [p for p in parts if p and not _CREDENTIAL.match(p)]


# ---------------------------------------------------------------------------------------------
# Snippets (trafilatura set)
# ---------------------------------------------------------------------------------------------


def collapse_ws(text: str | None) -> str:
    """Collapse whitespace runs to one space so line-break choices do not cost matches."""
    return " ".join((text or "").split())


@dataclass(frozen=True)
class SnippetCounts:
    """Snippet confusion counts for one page (or pooled): TP/FN from ``with``, FP from ``without``."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: SnippetCounts) -> SnippetCounts:
        return SnippetCounts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def snippet_counts(
    body: str | None, with_snippets: Iterable[str], without: Iterable[str]
) -> SnippetCounts:
    """Substring matching on whitespace-collapsed text, as trafilatura's own evaluation does."""
    text = collapse_ws(body)
    tp = fn = fp = 0
    for s in with_snippets:
        if collapse_ws(s) in text:
            tp += 1
        else:
            fn += 1
    for s in without:
        if collapse_ws(s) in text:
            fp += 1
    return SnippetCounts(tp, fp, fn)


def snippet_scores(counts: Iterable[SnippetCounts]) -> dict[str, float]:
    """Pooled (micro) precision, recall and F over all pages."""
    total = sum(counts, SnippetCounts())
    p = total.tp / (total.tp + total.fp) if total.tp + total.fp else 0.0
    r = total.tp / (total.tp + total.fn) if total.tp + total.fn else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": _hmean(p, r),
        "tp": total.tp,
        "fp": total.fp,
        "fn": total.fn,
    }


def comment_snippets_found(comment_text: str | None, snippets: Iterable[str]) -> tuple[int, int]:
    """(found, total) of gold comment snippets in the extracted comment text."""
    text = collapse_ws(comment_text)
    items = [collapse_ws(s) for s in snippets if s and s.strip()]
    return sum(1 for s in items if s in text), len(items)


# ---------------------------------------------------------------------------------------------
# Scoring an extractor over the corpus
# ---------------------------------------------------------------------------------------------


def body_text(result: dict[str, Any]) -> str:
    """The text scored as body: ``article.body`` only (title and ``lead`` are not added).

    An extractor that keeps a standfirst in ``lead`` must also keep it in ``body`` if it is part
    of the article text; fundus' gold counts the summary as body.
    """
    return str(((result or {}).get("article") or {}).get("body") or "")


def comment_texts(result: dict[str, Any]) -> str:
    """All extracted comment texts joined by newlines, for snippet matching."""
    comments = (result or {}).get("comments") or []
    return "\n".join(str(c.get("text") or "") for c in comments if isinstance(c, dict))


def _authors(article: dict[str, Any]) -> list[str]:
    value = article.get("authors") or []
    return [value] if isinstance(value, str) else [str(a) for a in value if a]


def _median_ms(seconds: Sequence[float]) -> float:
    return statistics.median(seconds) * 1000 if seconds else 0.0


def _run(fn: Extractor, html: str, url: str) -> tuple[dict[str, Any], float, str | None]:
    """Call the extractor once; an exception counts as an empty result so one page cannot
    abort a run, and the error text is kept for the per-page row."""
    start = time.perf_counter()
    try:
        result = fn(html, url)
        error = None
    except Exception as exc:  # noqa: BLE001 - any extractor failure is a scored miss
        result, error = {}, f"{type(exc).__name__}: {exc}"
    return result or {}, time.perf_counter() - start, error


def _score_body_set(
    fn: Extractor, pages: Iterable[ZytePage | FundusPage], set_name: str
) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    times: list[float] = []
    for page in pages:
        result, seconds, error = _run(fn, page.html, page.url)
        article = result.get("article") or {}
        c = shingle_counts(page.body, body_text(result))
        times.append(seconds)
        row: dict[str, Any] = {
            "set": set_name,
            "id": page.id,
            "url": page.url,
            "ms": seconds * 1000,
            "precision": c.precision,
            "recall": c.recall,
            "f1": _hmean(c.precision or 0.0, c.recall or 0.0),
            "predicted_article": predicted_is_article(result),
            "error": error,
        }
        if isinstance(page, FundusPage):
            if page.title is not None:
                row["title_ok"] = title_match(page.title, article.get("title"))
            if page.published is not None:
                row["date_ok"] = same_day(page.published, article.get("published"))
            if page.authors is not None:
                row["author_f1"] = author_f1(page.authors, _authors(article))
        rows.append(row)
    return {"summary": summarize_body_set(set_name, rows), "rows": rows, "times": times}


def _mean_of(rows: Sequence[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.fmean(values) if values else None


def _detected(rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """How many of a set's pages (all articles) the extractor recognised as articles."""
    decided = [r for r in rows if r.get("predicted_article") is not None]
    return {
        "articles": len(decided),
        "recognised": sum(1 for r in decided if r["predicted_article"]),
    }


def summarize_body_set(set_name: str, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The zyte/fundus figures of some page rows (a whole set or one fold of it)."""
    precisions = [r["precision"] for r in rows if r["precision"] is not None]
    recalls = [r["recall"] for r in rows if r["recall"] is not None]
    p = statistics.fmean(precisions) if precisions else 0.0
    r = statistics.fmean(recalls) if recalls else 0.0
    summary: dict[str, Any] = {
        "pages": len(rows),
        "body": {"precision": p, "recall": r, "f1": _hmean(p, r), "pages": len(rows)},
        "median_ms": statistics.median([x["ms"] for x in rows]) if rows else 0.0,
        "errors": sum(1 for x in rows if x["error"]),
        "detection": _detected(rows),
    }
    if set_name == "fundus":
        summary["title"] = _mean_of(rows, "title_ok") or 0.0
        summary["date"] = _mean_of(rows, "date_ok") or 0.0
        summary["authors"] = _mean_of(rows, "author_f1") or 0.0
        summary["metadata_pages"] = {
            "title": sum(1 for x in rows if "title_ok" in x),
            "date": sum(1 for x in rows if "date_ok" in x),
            "authors": sum(1 for x in rows if "author_f1" in x),
        }
    return summary


def _score_snippet_set(
    fn: Extractor, pages: Iterable[TrafilaturaPage], comments_fn: Extractor | None
) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    times: list[float] = []
    for page in pages:
        result, seconds, error = _run(fn, page.html, page.url)
        if comments_fn is not None and page.comment_snippets:
            comments, _, comments_error = _run(comments_fn, page.html, page.url)
            error = error or comments_error
        else:
            comments = result
        body = body_text(result)
        c = snippet_counts(body, page.with_snippets, page.without_snippets)
        f, t = comment_snippets_found(comment_texts(comments), page.comment_snippets)
        leaks, _ = comment_snippets_found(body, page.comment_snippets)
        times.append(seconds)
        rows.append(
            {
                "set": "trafilatura",
                "id": page.id,
                "url": page.url,
                "ms": seconds * 1000,
                "tp": c.tp,
                "fp": c.fp,
                "fn": c.fn,
                "precision": c.tp / (c.tp + c.fp) if c.tp + c.fp else None,
                "recall": c.tp / (c.tp + c.fn) if c.tp + c.fn else None,
                "comments_found": f,
                "comments_total": t,
                "comments_leaked": leaks,
                "predicted_article": predicted_is_article(result),
                "error": error,
            }
        )
    return {"summary": summarize_snippet_set(rows), "rows": rows, "times": times}


def summarize_snippet_set(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The trafilatura-set figures of some page rows (a whole set or one fold of it)."""
    found = sum(r["comments_found"] for r in rows)
    total = sum(r["comments_total"] for r in rows)
    return {
        "pages": len(rows),
        "snippets": snippet_scores(SnippetCounts(r["tp"], r["fp"], r["fn"]) for r in rows),
        "comments": {
            "recall": found / total if total else 0.0,
            "found": found,
            "total": total,
            "leaked_into_body": sum(r["comments_leaked"] for r in rows),
        },
        "median_ms": statistics.median([x["ms"] for x in rows]) if rows else 0.0,
        "errors": sum(1 for r in rows if r["error"]),
        "detection": _detected(rows),
    }


def summarize(set_name: str, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A set's figures from its page rows: how folds are scored apart."""
    if set_name == "trafilatura":
        return summarize_snippet_set(rows)
    if set_name == "wcxb":
        return summarize_wcxb(rows)
    return summarize_body_set(set_name, rows)


def predicted_is_article(result: dict[str, Any]) -> bool | None:
    """The extractor's article decision (``is_article`` or ``page_type``), None if it has none."""
    if "is_article" in (result or {}):
        return bool(result["is_article"])
    if (result or {}).get("page_type"):
        return result["page_type"] == "article"
    return None


def _score_wcxb_set(fn: Extractor, pages: Iterable[WcxbPage]) -> dict[str, Any]:
    """Articles: word F1, title, date, author. Other types: word F1 of body and of body plus
    comments (forum threads). All types: whether the page was taken for an article."""
    rows: list[dict[str, Any]] = []
    times: list[float] = []
    for page in pages:
        result, seconds, error = _run(fn, page.html, page.url)
        article = result.get("article") or {}
        body = body_text(result)
        c = word_counts(page.body, body)
        with_comments = word_counts(page.body, "\n".join([body, comment_texts(result)]))
        row: dict[str, Any] = {
            "set": "wcxb",
            "id": page.id,
            "url": page.url,
            "type": page.page_type,
            "ms": seconds * 1000,
            "precision": c.precision,
            "recall": c.recall,
            "f1": c.f1,
            "f1_with_comments": with_comments.f1,
            "predicted_article": predicted_is_article(result),
            "predicted_type": result.get("page_type"),
            "error": error,
        }
        if page.page_type == "article":
            if page.title:
                row["title_ok"] = title_match(page.title, article.get("title"))
            if page.published:
                row["date_ok"] = same_day(page.published, article.get("published"))
            if page.author:
                row["author_f1"] = author_f1(split_gold_authors(page.author), _authors(article))
        rows.append(row)
        times.append(seconds)
    summary = summarize_wcxb(rows)
    return {"summary": summary, "rows": rows, "times": times}


def summarize_wcxb(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The WCXB figures of a set of page rows (also used on one fold's rows)."""

    def mean(key: str, subset: Sequence[dict[str, Any]]) -> float | None:
        return _mean_of(subset, key)

    articles = [r for r in rows if r["type"] == "article"]
    summary: dict[str, Any] = {
        "pages": len(rows),
        "articles": len(articles),
        "body": {
            "f1": mean("f1", articles) or 0.0,
            "precision": mean("precision", articles) or 0.0,
            "recall": mean("recall", articles) or 0.0,
            "pages": len(articles),
        },
        "title": mean("title_ok", articles),
        "date": mean("date_ok", articles),
        "authors": mean("author_f1", articles),
        "metadata_pages": {
            k: sum(1 for r in articles if r.get(k) is not None)
            for k in ("title_ok", "date_ok", "author_f1")
        },
        "types": {},
        "errors": sum(1 for r in rows if r["error"]),
        "median_ms": statistics.median([r["ms"] for r in rows]) if rows else 0.0,
    }
    for kind in sorted({r["type"] for r in rows}):
        subset = [r for r in rows if r["type"] == kind]
        summary["types"][kind] = {
            "pages": len(subset),
            "f1": mean("f1", subset),
            "f1_with_comments": mean("f1_with_comments", subset),
            "taken_for_articles": sum(1 for r in subset if r["predicted_article"]),
        }
    decided = [r for r in rows if r["predicted_article"] is not None]
    if decided:
        tp = sum(1 for r in decided if r["predicted_article"] and r["type"] == "article")
        fp = sum(1 for r in decided if r["predicted_article"] and r["type"] != "article")
        fn = sum(1 for r in decided if not r["predicted_article"] and r["type"] == "article")
        summary["detection"] = {
            "precision": tp / (tp + fp) if tp + fp else 0.0,
            "recall": tp / (tp + fn) if tp + fn else 0.0,
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }
    return summary


def score_extractor(
    name: str,
    fn: Extractor,
    corpus_root: str | Path,
    sets: Sequence[str] = SETS,
    *,
    comments_fn: Extractor | None = None,
    fundus_headlines: bool = False,
    limit: int | None = None,
) -> dict[str, Any]:
    """Run ``fn(html, url)`` over the chosen corpus sets and compute every README metric.

    Returns ``{"name", "sets": {set: summary}, "median_ms", "total_s", "pages": [row, ...]}``;
    each row carries the page id, its own scores, time and any error, so the worst pages can
    be listed. Time is the wall time of each ``fn`` call (``time.perf_counter``); ``median_ms``
    is the median over all pages of all sets. A raising ``fn`` scores as an empty result.

    ``comments_fn``, if given, supplies the comments (not the body) on pages with gold comment
    snippets and is *not* timed: it lets a baseline whose reference body setting differs from
    its comment setting (trafilatura) be scored and timed on its reference call alone.
    ``fundus_headlines`` counts section headlines as fundus gold body (see
    :func:`fundus_body_text`). ``limit`` takes only the first N pages of each set.
    """
    unknown = [s for s in sets if s not in SETS]
    if unknown:
        raise ValueError(f"unknown corpus set(s): {', '.join(unknown)}; known: {', '.join(SETS)}")
    started = time.perf_counter()
    out: dict[str, Any] = {"name": name, "sets": {}, "pages": []}
    all_times: list[float] = []
    for set_name in sets:
        pages: Iterable[Any]
        if set_name == "fundus":
            pages = load_fundus(corpus_root, headlines=fundus_headlines)
        else:
            pages = load_set(set_name, corpus_root)
        if limit is not None:
            pages = itertools.islice(pages, limit)
        if set_name == "trafilatura":
            scored = _score_snippet_set(fn, pages, comments_fn)
        elif set_name == "wcxb":
            scored = _score_wcxb_set(fn, pages)
        else:
            scored = _score_body_set(fn, pages, set_name)
        out["sets"][set_name] = scored["summary"]
        out["pages"].extend(scored["rows"])
        all_times.extend(scored["times"])
    out["median_ms"] = _median_ms(all_times)
    out["total_s"] = time.perf_counter() - started
    return out


# ---------------------------------------------------------------------------------------------
# Extractor adapters
# ---------------------------------------------------------------------------------------------


def _split_authors(value: str | None) -> list[str]:
    """trafilatura joins several authors with "; " in one string."""
    return [a.strip() for a in (value or "").split(";") if a.strip()]


def trafilatura_extractor(html: str, url: str, *, include_comments: bool = True) -> dict[str, Any]:
    """trafilatura 2.3.1 as the baseline, in the ``to_dict()`` shape, from one call.

    ``bare_extraction(include_tables=True, with_metadata=True)``: body is its ``text`` (which
    never holds the comments), the flat ``comments`` text becomes one comment entry, and
    title/author/date map to title/authors/published. Texts are NFC-normalised as
    ``trafilatura.extract()`` does. trafilatura prunes comment sections
    differently when ``include_comments`` is on, so its body then scores slightly lower; the
    README's reference body figures use ``include_comments=False`` (see
    :func:`score_trafilatura_reference`).
    """
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url or None,
        include_tables=True,
        include_comments=include_comments,
        with_metadata=True,
    )
    if doc is None:
        return {"article": {"url": url, "body": "", "authors": []}, "related": [], "comments": []}
    data: dict[str, Any] = doc if isinstance(doc, dict) else doc.as_dict()
    # extract() NFC-normalises its string output and the README figures come from that output;
    # bare_extraction() does not, and NFD pages then shingle differently.
    body = unicodedata.normalize("NFC", data.get("text") or "")
    comments_text = unicodedata.normalize("NFC", data.get("comments") or "")
    comments = []
    if include_comments and comments_text.strip():
        comments.append(
            {
                "id": "1",
                "parent_id": None,
                "author": None,
                "published": None,
                "text": comments_text,
                "score": None,
            }
        )
    article = {
        "url": url,
        "canonical_url": data.get("url"),
        "title": data.get("title"),
        "authors": _split_authors(data.get("author")),
        "published": data.get("date"),
        "modified": None,
        "body": body,
        "lead": data.get("description"),
        "section": None,
        "tags": list(data.get("tags") or []),
        "language": data.get("language"),
        "image": data.get("image"),
    }
    return {"article": article, "related": [], "comments": comments}


def score_trafilatura_reference(
    corpus_root: str | Path,
    sets: Sequence[str] = SETS,
    *,
    fundus_headlines: bool = False,
    limit: int | None = None,
) -> dict[str, Any]:
    """Score trafilatura the way the corpus README's reference figures were measured.

    Body, snippets, metadata and time come from ``include_comments=False`` (trafilatura's own
    benchmark setting); comment recall from a second, untimed call with comments on. Timing
    only the reference call keeps the newscrawl/trafilatura time ratio conservative.
    """
    return score_extractor(
        "trafilatura",
        functools.partial(trafilatura_extractor, include_comments=False),
        corpus_root,
        sets,
        comments_fn=trafilatura_extractor,
        fundus_headlines=fundus_headlines,
        limit=limit,
    )


# The page both extractors are run on once before anything is timed, so lazy imports and
# one-time set-up land on no measured page: it declares no language and holds enough text
# for newscrawl to load its language identifier (`extract/language.py`, ~2 s once a process).
WARM_UP_HTML = (
    "<html><head><title>Warm up</title></head><body><h1>Warm up</h1>"
    "<p>This page is read once before the timed pages, so that what each extractor loads on"
    " first use is loaded already.</p></body></html>"
)


def newscrawl_extractor(html: str, url: str) -> dict[str, Any]:
    """newscrawl's own extractor; imported lazily so this module stays importable without it."""
    from newscrawl.extract import extract_page

    return extract_page(html, url).to_dict()
