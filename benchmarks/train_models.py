"""Fit the learned extraction models on the shared corpus and write them into the package.

    python benchmarks/train_models.py                 # fit on every visible page, write models
    python benchmarks/train_models.py --check         # fit again, compare with the shipped ones
    python benchmarks/train_models.py --simulate-cv   # held-out figures of the block model

The fit is deterministic (LightGBM on one thread, fixed seeds, rows in corpus order): the same
corpus and code give the same model files, which `tests/test_models.py` checks. Models:

- ``body``: keeps or drops each block of a page (`newscrawl/extract/blocks.py` features),
  trained on the article pages of every set (the trafilatura set through its snippets);
- ``body_context``: decides each block again from its row and the ``body`` model's scores
  around it (`newscrawl/extract/body/learned.py`), fitted on scores the first model gave
  pages of folds it was not fitted on;
- ``page_type``: article, listing, forum, product, service, documentation or collection
  (`newscrawl/extract/page_features.py`), trained on WCXB's labels and the other sets'
  articles.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks import evaluation as ev  # noqa: E402
from benchmarks import learning  # noqa: E402
from newscrawl.extract import (  # noqa: E402
    author_choice,
    date_choice,
    models,
    page_features,
    page_type,
    title_choice,
)
from newscrawl.extract.body import blocks, learned  # noqa: E402

DEFAULT_CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
MODEL_FOLDER = PROJECT_ROOT / "newscrawl" / "extract" / models.MODEL_DIR
VERSION = "2026.12"

BODY_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbosity": -1,
}
BODY_ROUNDS = 300
BODY_THRESHOLD = 0.5
LABEL_SHARE = 0.5  # a block is body text when this share of its shingles is in the gold
# Each set weighs the same in the block model's fit, whatever its number of pages.
SET_WEIGHT = {"zyte": 1.0, "fundus": 1.0, "trafilatura": 1.0, "wcxb": 1.0}

# The gold sets disagree on sub-headings: fundus' gold leaves them out, the other three keep
# them (and the body keeps the article's structure), so fundus pages do not teach the model
# about headings.
CONVENTION_OUT = {"fundus"}


def _convention_block(row: Sequence[float], heading: int) -> bool:
    return row[heading] > 0


PAGE_PARAMS: dict[str, Any] = {
    "objective": "multiclass",
    "num_class": len(page_type.PAGE_TYPES),
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 10,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbosity": -1,
}
PAGE_ROUNDS = 300
ARTICLE_THRESHOLD = 0.6

_FIXED = {
    "num_threads": 1,
    "deterministic": True,
    "force_row_wise": True,
    "seed": 7,
    "bagging_seed": 7,
    "feature_fraction_seed": 7,
    "data_random_seed": 7,
}


def _lgb():
    import lightgbm

    return lightgbm


def body_dataset(
    records: Sequence[learning.PageRecord],
    scores: dict[tuple[str, str], list[float]] | None = None,
):
    """Rows, labels and weights of the block model: each page's blocks weigh one page in all,
    spread over them by their words, and each set weighs the same. With `scores` (the first
    model's, per page), each row also holds the scores around its block: the context model's
    rows (`learned.neighbour_scores`)."""
    import numpy as np

    pages_per_set: dict[str, int] = {}
    usable = [r for r in records if r.page_type == "article" and r.block_rows and not r.error]
    for r in usable:
        pages_per_set[r.set] = pages_per_set.get(r.set, 0) + 1
    rows: list[list[float]] = []
    labels: list[float] = []
    weights: list[float] = []
    heading = blocks.FEATURE_NAMES.index("heading")
    for r in usable:
        page_rows = r.block_rows
        if scores is not None:
            around = learned.neighbour_scores(scores[(r.set, r.id)])
            page_rows = [row + extra for row, extra in zip(page_rows, around, strict=True)]
        words = [max(1, len(t.split())) for t in r.block_texts]
        labelled = [i for i, lab in enumerate(r.block_labels) if lab is not None]
        if r.set in CONVENTION_OUT:
            labelled = [i for i in labelled if not _convention_block(r.block_rows[i], heading)]
        total = sum(words[i] for i in labelled) or 1
        page_weight = SET_WEIGHT[r.set] * 1000.0 / pages_per_set[r.set]
        for i in labelled:
            rows.append(page_rows[i])
            labels.append(float(r.block_labels[i] >= LABEL_SHARE))
            weights.append(page_weight * words[i] / total)
    return np.asarray(rows, dtype=np.float64), np.asarray(labels), np.asarray(weights)


def _fit_blocks(x, y, w, names: list[str]) -> Any:
    lgb = _lgb()
    data = lgb.Dataset(
        x, label=y, weight=w, feature_name=names, categorical_feature=["tag", "parent_tag"]
    )
    return lgb.train({**BODY_PARAMS, **_FIXED}, data, num_boost_round=BODY_ROUNDS)


def fit_body(records: Sequence[learning.PageRecord]) -> models.Model:
    names = list(blocks.FEATURE_NAMES)
    booster = _fit_blocks(*body_dataset(records), names)
    return models.Model(booster, tuple(names), {"threshold": BODY_THRESHOLD})


def unseen_block_scores(
    records: Sequence[learning.PageRecord],
) -> dict[tuple[str, str], list[float]]:
    """The first model's scores of each article page's blocks, fitted without that page's
    fold: scores as the first model gives them on pages it never saw, which is what the
    context model meets in use (scores on its own training pages are too sure)."""
    out: dict[tuple[str, str], list[float]] = {}
    for fold in sorted({r.fold for r in records}):
        model = fit_body([r for r in records if r.fold != fold])
        for r in records:
            if r.fold == fold and r.page_type == "article" and r.block_rows and not r.error:
                out[(r.set, r.id)] = [float(p) for p in model.predict(r.block_rows)]
    return out


def fit_body_context(records: Sequence[learning.PageRecord]) -> models.Model:
    """The second block model: each block again, from its row and the first model's scores
    around it (`learned.block_scores`)."""
    names = [*blocks.FEATURE_NAMES, *learned.NEIGHBOUR_FEATURES]
    booster = _fit_blocks(*body_dataset(records, unseen_block_scores(records)), names)
    return models.Model(booster, tuple(names))


def page_dataset(records: Sequence[learning.PageRecord]):
    import numpy as np

    usable = [r for r in records if r.page_features and not r.error]
    names = page_features.FEATURE_NAMES
    x = np.asarray([[r.page_features.get(n, 0.0) for n in names] for r in usable], dtype=float)
    y = np.asarray([page_type.PAGE_TYPES.index(r.page_type) for r in usable])
    return x, y


def fit_page_type(records: Sequence[learning.PageRecord]) -> models.Model:
    lgb = _lgb()
    x, y = page_dataset(records)
    names = list(page_features.FEATURE_NAMES)
    data = lgb.Dataset(x, label=y, feature_name=names)
    booster = lgb.train({**PAGE_PARAMS, **_FIXED}, data, num_boost_round=PAGE_ROUNDS)
    return models.Model(
        booster,
        tuple(names),
        {"article_threshold": ARTICLE_THRESHOLD},
        classes=page_type.PAGE_TYPES,
    )


TITLE_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbosity": -1,
}
TITLE_ROUNDS = 200
DATE_ROUNDS = 200
AUTHOR_ROUNDS = 200


@dataclass(frozen=True)
class OneOf:
    """A learned choice of one candidate per page (the title, the publication day): where a
    record keeps its candidates' rows, their labels and its gold value."""

    features: tuple[str, ...]
    rounds: int
    gold: Callable[[learning.PageRecord], Any]
    rows: Callable[[learning.PageRecord], list[list[float]]]
    labels: Callable[[learning.PageRecord], list[float]]


TITLE = OneOf(
    title_choice.FEATURE_NAMES,
    TITLE_ROUNDS,
    lambda r: r.gold_title,
    lambda r: r.title_rows,
    lambda r: r.title_labels,
)
DATE = OneOf(
    date_choice.FEATURE_NAMES,
    DATE_ROUNDS,
    lambda r: r.gold_date,
    lambda r: r.date_rows,
    lambda r: r.date_labels,
)


def one_of_dataset(records: Sequence[learning.PageRecord], choice: OneOf):
    """Candidates of the article pages with a gold value; each page weighs one in all, and a
    page none of whose candidates is the gold teaches nothing (left out)."""
    import numpy as np

    rows, labels, weights = [], [], []
    for r in records:
        page_rows = choice.rows(r)
        if r.page_type != "article" or not choice.gold(r) or not page_rows or r.error:
            continue
        page_labels = choice.labels(r)
        if not any(page_labels):
            continue
        for row, label in zip(page_rows, page_labels, strict=True):
            rows.append(row)
            labels.append(label)
            weights.append(1.0 / len(page_rows))
    return np.asarray(rows, dtype=float), np.asarray(labels), np.asarray(weights)


def fit_one_of(records: Sequence[learning.PageRecord], choice: OneOf) -> models.Model:
    lgb = _lgb()
    x, y, w = one_of_dataset(records, choice)
    names = list(choice.features)
    data = lgb.Dataset(x, label=y, weight=w, feature_name=names)
    booster = lgb.train({**TITLE_PARAMS, **_FIXED}, data, num_boost_round=choice.rounds)
    return models.Model(booster, tuple(names))


def simulate_one_of_cv(
    records: Sequence[learning.PageRecord], choice: OneOf
) -> dict[str, tuple[float, float]]:
    """Held-out share of pages right per set: the model's choice against the rules' answer."""
    rule = choice.features.index("from_rule")
    hits: dict[str, list[tuple[float, float]]] = {}
    for fold in range(ev.FOLDS):
        model = fit_one_of([r for r in records if r.fold != fold], choice)
        for r in records:
            if r.fold != fold or r.page_type != "article" or not choice.gold(r) or r.error:
                continue
            rows, labels = choice.rows(r), choice.labels(r)
            if not rows:
                hits.setdefault(r.set, []).append((0.0, 0.0))
                continue
            best = models.best_candidate(model, rows)
            by_rule = next((lab for row, lab in zip(rows, labels, strict=True) if row[rule]), 0.0)
            hits.setdefault(r.set, []).append((labels[best], by_rule))
    return {
        name: (statistics.fmean(a for a, _ in v), statistics.fmean(b for _, b in v))
        for name, v in hits.items()
    }


def fit_title(records: Sequence[learning.PageRecord]) -> models.Model:
    return fit_one_of(records, TITLE)


def simulate_title_cv(records: Sequence[learning.PageRecord]) -> dict[str, tuple[float, float]]:
    """Held-out title exact per set: the model's choice against the rules' answer."""
    return simulate_one_of_cv(records, TITLE)


def fit_date(records: Sequence[learning.PageRecord]) -> models.Model:
    return fit_one_of(records, DATE)


def simulate_date_cv(records: Sequence[learning.PageRecord]) -> dict[str, tuple[float, float]]:
    """Held-out same-day share per set: the model's day against the fixed order's."""
    return simulate_one_of_cv(records, DATE)


def author_dataset(records: Sequence[learning.PageRecord]):
    """Candidate names of the article pages whose set states their authors (none is a
    statement too: fundus lists pages without a byline). Each page weighs one, half for its
    authors and half for the other names: a page with forty menu words among its short lines
    after the headline does not drown its one author."""
    import numpy as np

    rows, labels, weights = [], [], []
    for r in records:
        if r.gold_authors is None or r.page_type != "article" or not r.author_rows or r.error:
            continue
        page_labels = r.author_labels
        found = sum(page_labels)
        others = len(page_labels) - found
        for row, label in zip(r.author_rows, page_labels, strict=True):
            rows.append(row)
            labels.append(label)
            if not found:
                weights.append(1.0 / len(page_labels))
            else:
                weights.append(0.5 / found if label else 0.5 / others)
    return np.asarray(rows, dtype=float), np.asarray(labels), np.asarray(weights)


def fit_authors(records: Sequence[learning.PageRecord]) -> models.Model:
    lgb = _lgb()
    x, y, w = author_dataset(records)
    names = list(author_choice.FEATURE_NAMES)
    data = lgb.Dataset(x, label=y, weight=w, feature_name=names)
    booster = lgb.train({**TITLE_PARAMS, **_FIXED}, data, num_boost_round=AUTHOR_ROUNDS)
    return models.Model(booster, tuple(names))


def chosen_authors(model: models.Model, texts: list[str], rows: list[list[float]], limits=None):
    """What `author_choice.authors` returns for these candidates under `model`."""
    if limits is None:
        return author_choice.choose(texts, rows, model)
    return author_choice.choose(texts, rows, model, limits)


def simulate_author_cv(records: Sequence[learning.PageRecord]) -> dict[str, tuple[float, float]]:
    """Held-out author F1 per set: the model's names against the rules' names."""
    rule = author_choice.FEATURE_NAMES.index("from_rule")
    scores: dict[str, list[tuple[float, float]]] = {}
    for fold in range(ev.FOLDS):
        model = fit_authors([r for r in records if r.fold != fold])
        for r in records:
            if r.fold != fold or r.gold_authors is None or r.page_type != "article" or r.error:
                continue
            by_rule = [t for t, row in zip(r.author_texts, r.author_rows, strict=True) if row[rule]]
            chosen = chosen_authors(model, r.author_texts, r.author_rows) if r.author_rows else []
            scores.setdefault(r.set, []).append(
                (ev.author_f1(r.gold_authors, chosen), ev.author_f1(r.gold_authors, by_rule))
            )
    return {
        name: (statistics.fmean(a for a, _ in v), statistics.fmean(b for _, b in v))
        for name, v in scores.items()
    }


def fit_all(records: Sequence[learning.PageRecord]) -> models.ModelBundle:
    return models.ModelBundle(
        {
            "body": fit_body(records),
            "body_context": fit_body_context(records),
            "page_type": fit_page_type(records),
            "title": fit_title(records),
            "date": fit_date(records),
            "authors": fit_authors(records),
        },
        version=VERSION,
    )


def save(bundle: models.ModelBundle, folder: Path = MODEL_FOLDER) -> None:
    """Write each booster as LightGBM text and a manifest of features and settings."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"version": bundle.version, "models": {}}
    for name, model in sorted(bundle.models.items()):
        file = f"{name}.txt.gz"
        # mtime 0: the same model gives the same bytes
        (folder / file).write_bytes(gzip.compress(model_text(model).encode("utf-8"), mtime=0))
        manifest["models"][name] = {
            "file": file,
            "features": list(model.features),
            "settings": model.settings,
            "classes": list(model.classes),
        }
    (folder / models.MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def shipped_text(name: str, folder: Path = MODEL_FOLDER) -> str | None:
    """The shipped model `name` as text, or None if there is none."""
    path = folder / f"{name}.txt.gz"
    return gzip.decompress(path.read_bytes()).decode("utf-8") if path.is_file() else None


def model_text(model: models.Model) -> str:
    """The booster as text, without the parameter dump (paths and versions of this run)."""
    text = model.booster.model_to_string()
    cut = text.find("\nparameters:\n")
    return text if cut < 0 else text[:cut] + "\n"


# ---------------------------------------------------------------------------------------------
# Held-out figures without extracting again: blocks of each fold scored by a model fitted on
# the other folds, the text put together as extraction does.
# ---------------------------------------------------------------------------------------------


def _text(record: learning.PageRecord, keep: Sequence[bool]) -> str:
    from newscrawl.extract.body.referee import prefer_article_body as _prefer_article_body

    kept = [t for t, k in zip(record.block_texts, keep, strict=True) if k]
    text = "\n\n".join(kept) if kept else record.rule_text
    if record.article_body:
        text = _prefer_article_body(text, record.article_body)
    return text


def _rule_text(record: learning.PageRecord) -> str:
    from newscrawl.extract.body.referee import prefer_article_body as _prefer_article_body

    text = record.rule_text
    if record.article_body:
        text = _prefer_article_body(text, record.article_body)
    return text


def score_texts(items: Sequence[tuple[learning.PageRecord, str]]) -> dict[str, float]:
    """Each set's body figure for (record, text) pairs."""
    out: dict[str, float] = {}
    by_set: dict[str, list[tuple[learning.PageRecord, str]]] = {}
    for rec, text in items:
        by_set.setdefault(rec.set, []).append((rec, text))
    for name, pairs in by_set.items():
        if name == "trafilatura":
            counts = [ev.snippet_counts(t, *r.gold) for r, t in pairs]
            out[name] = ev.snippet_scores(counts)["f1"]
        elif name == "wcxb":
            out[name] = statistics.fmean(ev.word_counts(r.gold, t).f1 for r, t in pairs)
        else:
            out[name] = ev.body_scores(ev.shingle_counts(r.gold, t) for r, t in pairs)["f1"]
    return out


def simulate_cv(records: Sequence[learning.PageRecord], threshold: float = BODY_THRESHOLD):
    """Held-out body figures per set for the block models against the rules, fold by fold."""
    articles = [r for r in records if r.page_type == "article" and not r.error]
    model_items: list[tuple[learning.PageRecord, str]] = []
    rule_items: list[tuple[learning.PageRecord, str]] = []
    per_fold = []
    for fold in range(ev.FOLDS):
        train = [r for r in records if r.fold != fold]
        test = [r for r in articles if r.fold == fold]
        model, context = fit_body(train), fit_body_context(train)
        fold_model, fold_rule = [], []
        for r in test:
            if r.block_rows:
                scores = learned.block_scores(r.block_rows, model, context)
                text = _text(r, [p >= threshold for p in scores])
            else:
                text = _rule_text(r)
            fold_model.append((r, text))
            fold_rule.append((r, _rule_text(r)))
        per_fold.append((score_texts(fold_model), score_texts(fold_rule)))
        model_items += fold_model
        rule_items += fold_rule
    return score_texts(model_items), score_texts(rule_items), per_fold


def simulate_page_cv(records: Sequence[learning.PageRecord]) -> dict[str, Any]:
    """Held-out page-type decisions: WCXB article detection and the other sets' recall, with
    the probability of "article" kept per page so thresholds can be compared."""
    import numpy as np

    usable = [r for r in records if r.page_features and not r.error]
    out: list[tuple[learning.PageRecord, float, str]] = []
    for fold in range(ev.FOLDS):
        model = fit_page_type([r for r in usable if r.fold != fold])
        test = [r for r in usable if r.fold == fold]
        if not test:
            continue
        x = np.asarray([[r.page_features.get(n, 0.0) for n in model.features] for r in test])
        for r, p in zip(test, model.predict(x), strict=True):
            out.append((r, float(p[0]), page_type.PAGE_TYPES[int(np.argmax(p))]))
    figures: dict[str, Any] = {}
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        wcxb = [(r, p) for r, p, _ in out if r.set == "wcxb"]
        tp = sum(1 for r, p in wcxb if p >= threshold and r.page_type == "article")
        fp = sum(1 for r, p in wcxb if p >= threshold and r.page_type != "article")
        fn = sum(1 for r, p in wcxb if p < threshold and r.page_type == "article")
        others = [(r, p) for r, p, _ in out if r.set != "wcxb"]
        found = sum(1 for r, p in others if p >= threshold)
        figures[threshold] = {
            "precision": tp / (tp + fp) if tp + fp else 0.0,
            "recall": tp / (tp + fn) if tp + fn else 0.0,
            "fp": fp,
            "fn": fn,
            "others": f"{found}/{len(others)}",
            "all": f"{found + tp}/{len(others) + tp + fn}",
        }
    types = [(r.page_type, kind) for r, _, kind in out if r.set == "wcxb"]
    figures["type_accuracy"] = sum(a == b for a, b in types) / len(types) if types else 0.0
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--check", action="store_true", help="compare with the shipped models")
    parser.add_argument("--simulate-cv", action="store_true", help="block model, held out")
    parser.add_argument("--threshold", type=float, default=BODY_THRESHOLD)
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"error: corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    records = learning.records(args.corpus)
    if args.simulate_cv:
        for name, (model_hits, rule_hits) in simulate_title_cv(records).items():
            print(f"title exact {name}: model {model_hits:.3f} rules {rule_hits:.3f}")
        for name, (model_hits, rule_hits) in simulate_date_cv(records).items():
            print(f"date same day {name}: model {model_hits:.3f} rules {rule_hits:.3f}")
        for name, (model_f1, rule_f1) in simulate_author_cv(records).items():
            print(f"authors F1 {name}: model {model_f1:.3f} rules {rule_f1:.3f}")
        for key, value in simulate_page_cv(records).items():
            print("page type", key, value)
        learned, rules, per_fold = simulate_cv(records, args.threshold)
        print(f"{'set':<12} {'model':>7} {'rules':>7}   per fold (model/rules)")
        for name in learned:
            folds = "  ".join(f"{m[name]:.3f}/{r[name]:.3f}" for m, r in per_fold if name in m)
            print(f"{name:<12} {learned[name]:7.4f} {rules[name]:7.4f}   {folds}")
        return 0
    bundle = fit_all(records)
    if args.check:
        stale = [
            name for name, model in bundle.models.items() if shipped_text(name) != model_text(model)
        ]
        print("shipped models are up to date" if not stale else f"stale: {', '.join(stale)}")
        return 1 if stale else 0
    save(bundle)
    print(f"models written to {MODEL_FOLDER}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
