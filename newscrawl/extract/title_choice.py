"""The headline chosen among the page's stated forms of it by a learned model.

`titles.title` reconciles the sources by rules. Here each distinct form (the rules' answer,
og:title, twitter:title, the JSON-LD headline, the first h1, the shown headline, the <title>,
dc.title and the JSON-LD name, decoration removed) is a candidate described by which sources
state it, how many agree, its length and how it relates to the rules' answer; a
gradient-boosted model scores each candidate and the best one is the title. Gold sets differ
in taste (WCXB keeps the shown h1, fundus each publisher's parser's pick): the model learns what
holds across them, and cross-validation (folds by site) decides whether it beats the rules.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from . import models
from .metadata import MetadataSources, _norm
from .titles import TitleCandidates, is_part_of
from .titles import title as rule_title

SOURCES = ("rule", "og", "twitter", "headline", "h1", "visible", "page_title", "dc", "name")
_SEPARATORS = re.compile(r"\s[|\-–—:·•»/]\s|[:|｜：]")
_WORDS = re.compile(r"\w+")

FEATURE_NAMES: tuple[str, ...] = (
    *(f"from_{s}" for s in SOURCES),
    "sources", "chars", "words", "separators", "rule_part", "part_of_rule", "length_ratio",
    "word_overlap", "candidates", "shortest", "longest", "has_og", "has_headline", "has_h1",
    "live_blog", "ends_punctuation", "digits",
)  # fmt: skip


def candidates(
    tree: HtmlElement, sources: MetadataSources, url: str | None
) -> tuple[str | None, list[str], list[list[float]]]:
    """The rules' title, and every distinct candidate with its feature row."""
    found = TitleCandidates(tree, sources, url)
    rule = rule_title(tree, sources, url)
    other = found.other
    stated = {
        "rule": rule,
        "og": found.og,
        "twitter": found.twitter,
        "headline": found.headline,
        "h1": found.h1,
        "visible": found.visible,
        "page_title": found.page_title,
        "dc": other[0] if other else None,
        "name": other[1] if len(other) > 1 else None,
    }
    texts: dict[str, str] = {}
    by: dict[str, set[str]] = {}
    for source, text in stated.items():
        if not text:
            continue
        key = _norm(text)
        if not key:
            continue
        texts.setdefault(key, text)
        by.setdefault(key, set()).add(source)
    if not texts:
        return rule, [], []
    lengths = [len(t) for t in texts.values()]
    rule_words = set(_WORDS.findall((rule or "").lower()))
    rows = []
    for key, text in texts.items():
        names = by[key]
        words = _WORDS.findall(text.lower())
        overlap = len(set(words) & rule_words) / len(set(words) | rule_words) if words else 0.0
        rows.append(
            [
                *(float(s in names) for s in SOURCES),
                len(names),
                len(text),
                len(words),
                len(_SEPARATORS.findall(text)),
                float(bool(rule) and "rule" not in names and is_part_of(rule, text)),
                float(bool(rule) and "rule" not in names and is_part_of(text, rule)),
                len(text) / len(rule) if rule else 0.0,
                overlap,
                len(texts),
                float(len(text) == min(lengths)),
                float(len(text) == max(lengths)),
                float(bool(found.og)),
                float(bool(found.headline)),
                float(bool(found.h1)),
                float(found.live_blog),
                float(text.rstrip()[-1:] in ".!?"),
                float(any(c.isdigit() for c in text)),
            ]
        )
    return rule, list(texts.values()), rows


def title(
    tree: HtmlElement,
    sources: MetadataSources,
    url: str | None,
    model,
    collect: dict | None = None,
) -> str | None:
    """The headline: the model's best candidate, or the rules' answer without a model."""
    if model is None and collect is None:
        return rule_title(tree, sources, url)
    rule, texts, rows = candidates(tree, sources, url)
    if collect is not None:
        collect["title_candidates"] = (texts, rows)
    if model is None or not texts:
        return rule
    return texts[models.best_candidate(model, rows)]
