"""Training data for the learned extraction stages, from the shared gold corpus.

Every corpus page is extracted once with `collect=` so the learned stages' inputs are kept
(the body's blocks with their feature rows, the page's type features); labels come from the
page's gold: a block is body text when most of its 4-word shingles are in the gold text (the
trafilatura set has snippets instead: a block holding a main-text snippet is body, one holding
a boilerplate snippet is not, the rest is left out). The page rows are cached on disk
(`benchmarks/results/cache/`, keyed by the extractor's source and the corpus) so fitting and
cross-validation need not extract again.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import multiprocessing
import pickle
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks import evaluation as ev  # noqa: E402

CACHE_DIR = PROJECT_ROOT / "benchmarks" / "results" / "cache"
_TOKENS = re.compile(r"\w+")


@dataclass
class PageRecord:
    """One corpus page as the learners see it."""

    set: str
    id: str
    url: str
    fold: int
    site: str
    page_type: str  # WCXB's label; "article" for the other sets
    gold: Any  # gold body text, or (with, without) snippets for the trafilatura set
    block_texts: list[str] = field(default_factory=list)
    block_rows: list[list[float]] = field(default_factory=list)
    block_labels: list[float | None] = field(default_factory=list)
    rule_text: str = ""
    article_body: str | None = None
    page_features: dict[str, float] = field(default_factory=dict)
    gold_title: str | None = None
    title_texts: list[str] = field(default_factory=list)
    title_rows: list[list[float]] = field(default_factory=list)
    gold_date: str | None = None
    gold_authors: list[str] | None = None  # None: the set says nothing of this page's authors
    author_texts: list[str] = field(default_factory=list)
    author_rows: list[list[float]] = field(default_factory=list)
    date_texts: list[str] = field(default_factory=list)
    date_rows: list[list[float]] = field(default_factory=list)
    error: str | None = None

    @property
    def title_labels(self) -> list[float]:
        """1 for each title candidate equal to the gold title (`evaluation.title_match`)."""
        return [float(ev.title_match(self.gold_title, t)) for t in self.title_texts]

    @property
    def date_labels(self) -> list[float]:
        """1 for each candidate day that is the gold publication day (`evaluation.same_day`)."""
        return [float(ev.same_day(self.gold_date, t)) for t in self.date_texts]

    @property
    def author_labels(self) -> list[float]:
        """1 for each candidate name that is one of the gold authors (`normalize_author`)."""
        gold = {ev.normalize_author(a) for a in self.gold_authors or []} - {""}
        return [float(ev.normalize_author(t) in gold) for t in self.author_texts]


def _shingles(tokens: Sequence[str], n: int = 4) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))}


def block_labels(texts: Sequence[str], gold: str) -> list[float]:
    """Share of each block's 4-word shingles found in the gold (lower-cased tokens); a block
    of under four words counts as found when its words stand in that order in the gold."""
    gold_tokens = _TOKENS.findall(gold.lower())
    gold_set = _shingles(gold_tokens)
    joined = " " + " ".join(gold_tokens) + " "
    out = []
    for text in texts:
        tokens = _TOKENS.findall(text.lower())
        if not tokens:
            out.append(0.0)
        elif len(tokens) < 4:
            out.append(float(f" {' '.join(tokens)} " in joined))
        else:
            shingles = [tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)]
            out.append(sum(s in gold_set for s in shingles) / len(shingles))
    return out


def snippet_labels(texts: Sequence[str], with_: Iterable[str], without: Iterable[str]) -> list:
    """1 for a block holding (or held by) a main-text snippet, 0 for one holding a boilerplate
    snippet, None where the snippets say nothing."""
    good = [ev.collapse_ws(s) for s in with_ if s and s.strip()]
    bad = [ev.collapse_ws(s) for s in without if s and s.strip()]
    out: list[float | None] = []
    for text in texts:
        t = ev.collapse_ws(text)
        if any(s in t or (len(t) >= 20 and t in s) for s in good):
            out.append(1.0)
        elif any(s in t for s in bad):
            out.append(0.0)
        else:
            out.append(None)
    return out


def _gold(page: Any) -> Any:
    if isinstance(page, ev.TrafilaturaPage):
        return (page.with_snippets, page.without_snippets)
    return page.body


def _gold_authors(page: Any) -> list[str] | None:
    """The page's gold author names as the metric reads them, None where the set has none."""
    if isinstance(page, ev.WcxbPage):
        return ev.split_gold_authors(page.author) if page.author else None
    if isinstance(page, ev.FundusPage):
        return page.authors
    return None


def _record(args: tuple[str, Any, int, str]) -> PageRecord:
    from newscrawl.extract import extract_page, metadata
    from newscrawl.extract.document import parse_html

    set_name, page, fold, site = args
    rec = PageRecord(
        set=set_name,
        id=page.id,
        url=page.url,
        fold=fold,
        site=site,
        page_type=getattr(page, "page_type", "article"),
        gold=_gold(page),
        gold_title=getattr(page, "title", None),
        gold_date=getattr(page, "published", None),
        gold_authors=_gold_authors(page),
    )
    collect: dict[str, Any] = {}
    try:
        extract_page(page.html, page.url, False, collect=collect)
    except Exception as exc:  # noqa: BLE001 - a failing page is kept with its error
        rec.error = f"{type(exc).__name__}: {exc}"
        return rec
    analysis = collect.get("body")
    if analysis is not None:
        rec.block_texts = [b.text for b in analysis.blocks]
        rec.block_rows = analysis.rows
        rec.rule_text = analysis.rule_text
    rec.page_features = collect.get("page_features") or {}
    rec.title_texts, rec.title_rows = collect.get("title_candidates") or ([], [])
    rec.date_texts, rec.date_rows = collect.get("date_candidates") or ([], [])
    rec.author_texts, rec.author_rows = collect.get("author_candidates") or ([], [])
    rec.article_body = metadata.article_body(parse_html(page.html))
    if isinstance(page, ev.TrafilaturaPage):
        rec.block_labels = snippet_labels(rec.block_texts, *rec.gold)
    else:
        rec.block_labels = block_labels(rec.block_texts, rec.gold or "")
    return rec


def _source_hash() -> str:
    """Changes whenever the extractor's code does: a stale cache is never read. The whole
    package counts: extraction also reads dates, URLs and profiles from outside `extract`."""
    digest = hashlib.sha1()
    for path in sorted((PROJECT_ROOT / "newscrawl").rglob("*.py")):
        digest.update(path.read_bytes())
    digest.update((PROJECT_ROOT / "benchmarks" / "learning.py").read_bytes())
    return digest.hexdigest()[:12]


def corpus_pages(corpus: Path, sets: Sequence[str] = ev.SETS) -> list[tuple[str, Any]]:
    return [(name, page) for name in sets for page in ev.load_set(name, corpus)]


def records(
    corpus: Path, sets: Sequence[str] = ev.SETS, processes: int = 2, cache: bool = True
) -> list[PageRecord]:
    """Every page of `sets` extracted with its learned-stage inputs and labels (cached).

    Extraction runs with no models in force (`models.use(ModelBundle())`): the features are
    the rules' own, whatever models are shipped, so training never depends on a previous fit.
    """
    key = f"{_source_hash()}-{'-'.join(sets)}"
    path = CACHE_DIR / f"records-{key}.pickle"
    if cache and path.is_file():
        with path.open("rb") as fh:
            return pickle.load(fh)
    pages = corpus_pages(corpus, sets)
    folds = ev.assign_folds([p for _, p in corpus_pages(corpus)])
    jobs = [(name, page, folds[(name, page.id)], ev.site_key(page)) for name, page in pages]
    if processes > 1:
        with multiprocessing.get_context("fork").Pool(processes, initializer=_setup) as pool:
            out = pool.map(_record, jobs, chunksize=8)
    else:
        from newscrawl.extract import models

        with models.use(models.ModelBundle()), _fixed_now():
            out = [_record(job) for job in jobs]
    if cache:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            pickle.dump(out, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return out


def _setup() -> None:
    """A worker's set-up: no models in force, relative dates read against a fixed day."""
    from newscrawl.extract import models

    models._override.append(models.ModelBundle())
    _fixed_now().__enter__()


# Dates written without a year or relative to today ("Dec 2", "3 days ago") are read against
# this day, so the training data (and the models fitted on it) do not change with the clock.
FIXED_NOW = datetime.datetime(2026, 1, 1, 12, 0, 0)


@contextlib.contextmanager
def _fixed_now():
    import dateparser

    from newscrawl import dates

    original = dateparser.parse

    def parse(date_string, *args, settings=None, **kwargs):
        return original(
            date_string, *args, settings={**(settings or {}), "RELATIVE_BASE": FIXED_NOW}, **kwargs
        )

    dateparser.parse = parse
    dates.clear_caches()
    try:
        yield
    finally:
        dateparser.parse = original
        dates.clear_caches()
