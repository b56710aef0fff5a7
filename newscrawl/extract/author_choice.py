"""The article's authors chosen among every name the page offers, by a learned model.

`authors.authors` walks the sources in a fixed order and stops at the first that names a
person. Pages break that order in many ways: a JSON-LD author that is the CMS account, a meta
author that is the site, the writer only in a `<span class="authorDateBlock_authorName">`
or a "Written by" line under the headline. Here every name from every source (the rules'
answer, JSON-LD, meta tags, byline-like elements by class, link or microdata, labelled lines
near the headline, a bold lead paragraph) is a candidate described by which sources give it,
where it stands among the bylines, whether it is the site's own name and what it looks like;
a gradient-boosted model scores each name, and the names it is sure of are the authors.
Cross-validation by site decides whether it beats the fixed order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from . import authors as rules
from .context import PageContext
from .document import ancestors, text_of, xpath
from .metadata import _as_text, _norm, host_names, node_types, site_names
from .thresholds import (
    AUTHOR_SCORE,
    BEST_AUTHOR_SCORE,
    BYLINE_LINE_MAX_CHARS,
    BYLINE_MAX_CHARS,
    CO_AUTHOR_SCORE,
    LOOSE_BYLINE_CANDIDATES,
    NAME_LINE_MAX_WORDS,
    NEAR_DATE_NODES,
)

SOURCES = (
    "rule", "ld_person", "ld_org", "ld_node", "meta", "meta_label", "byline_strict",
    "byline_loose", "byline_link", "byline_itemprop", "text_label", "text_near", "lead",
)  # fmt: skip

FEATURE_NAMES: tuple[str, ...] = (
    *(f"from_{s}" for s in SOURCES),
    "sources", "occurrences", "byline_rank", "rule_rank", "is_own", "is_own_loose", "words",
    "chars", "capitalised", "lower_case", "in_title", "candidates", "rule_names",
    "has_ld_person", "has_meta", "has_strict_byline", "after_title", "labelled", "near_date",
    "text_index",
)  # fmt: skip

_LISTS = ("from_rule", "from_ld_person")

# Class words of byline-like elements ("author", "c-byline", "contributor", "writer",
# "posted-by"; "authorDateBlock_authorName" too), and tags that never hold one.
_BYLINE_WORDS = re.compile(r"uthor|yline|ontributor|riter|osted-by")
_NOT_BYLINES = frozenset({"html", "body", "head", "meta", "link", "script", "style"})
_AUTHOR_HREF = re.compile(r"/(?:autoren|authors?|autor|writers?|people|profile|team)/", re.I)
_LABEL_ONLY = re.compile(rf"^\s*(?:{rules.lexicon.BYLINE_LABELS})\s*:?\s*$", re.IGNORECASE)


@dataclass
class _Name:
    text: str
    sources: set[str] = field(default_factory=set)
    occurrences: int = 0
    byline_rank: int = -1
    rule_rank: int = -1
    after_title: bool = False
    labelled: bool = False
    near_date: bool = False
    text_index: int = -1


class NameCandidates:
    """Names by their normalised form, with what gave them."""

    def __init__(self) -> None:
        self.names: dict[str, _Name] = {}

    def add(self, source: str, name: str, **marks) -> None:
        key = _norm(name)
        if not key:
            return
        found = self.names.setdefault(key, _Name(name))
        found.sources.add(source)
        found.occurrences += 1
        for mark, value in marks.items():
            if mark in ("byline_rank", "rule_rank", "text_index"):
                if value >= 0 and (getattr(found, mark) < 0 or value < getattr(found, mark)):
                    setattr(found, mark, value)
            elif value:
                setattr(found, mark, True)


def _gather(ctx: PageContext) -> tuple:
    tree, sources, url = ctx.tree, ctx.sources, ctx.url
    found = NameCandidates()
    rule = rules.authors(tree, sources, url)
    for rank, name in enumerate(rule):
        found.add("rule", name, rule_rank=rank)
    for name, organisation in rules._jsonld_authors(sources):
        found.add("ld_org" if organisation else "ld_person", name)
    for node in sources.jsonld_nodes:
        if "person" in node_types(node):
            for name in rules.split_authors(_as_text(node.get("name")) or ""):
                found.add("ld_node", name)
    for key in rules._AUTHOR_META:
        for value in sources.meta.get(key, []):
            if not value.startswith("http"):
                for name in rules.split_authors(value):
                    found.add("meta", name)
    for value in rules._labelled_author(sources):
        for name in rules.split_authors(value):
            found.add("meta_label", name)
    _bylines(tree, found)
    _text_bylines(ctx.lines_after_headline(), found)
    for name in rules.lead_byline(tree):
        found.add("lead", name)
    return found, rule


def _bylines(tree: HtmlElement, found: NameCandidates) -> None:
    """Names in elements whose class, id, link or microdata says author or byline."""
    rank = 0
    chrome: dict[HtmlElement, bool] = {}

    def is_chrome(element: HtmlElement) -> bool:
        found = chrome.get(element)
        if found is None:
            found = chrome[element] = rules._in_comments(element) or rules._in_menu(element)
        return found

    for element in _byline_like(tree):
        if any(is_chrome(a) for a in (element, *ancestors(element))):
            continue
        if element.get("itemprop") == "author":
            source, text = "byline_itemprop", rules._byline_text(element)
        elif element.tag == "a" and (
            element.get("rel") == "author" or _AUTHOR_HREF.search(element.get("href") or "")
        ):
            source, text = "byline_link", text_of(element)
        else:
            strict = any(
                rules._BYLINE_CLASS.search(t) for t in (element.get("class") or "").lower().split()
            )
            source, text = ("byline_strict" if strict else "byline_loose"), text_of(element)
        if not text or len(text) > BYLINE_MAX_CHARS:
            continue
        labelled = bool(rules.BYLINE_PREFIX.match(text))
        names = rules.split_authors(text)
        for name in names:
            found.add(source, name, byline_rank=rank, labelled=labelled)
        if names:
            rank += 1


def _byline_like(tree: HtmlElement):
    """The first elements, in page order, whose class or id says author or byline, or that are
    microdata or a rel link for the author (a walk that stops early: an XPath of six
    `contains()` tests over every element took twice as long)."""
    found = 0
    root = tree.getroottree().getroot()
    # Broken pages parse into several top-level <html> elements, which XPath sees and
    # `iter()` of the first does not.
    every = (e for top in (root, *root.itersiblings()) for e in top.iter())
    for element in every:
        if found >= LOOSE_BYLINE_CANDIDATES:
            return
        tag = element.tag
        if not isinstance(tag, str) or tag in _NOT_BYLINES:
            continue
        names = element.get("class")
        if (
            (names and _BYLINE_WORDS.search(names))
            or "uthor" in (element.get("id") or "")
            or element.get("itemprop") == "author"
            or element.get("rel") == "author"
        ):
            found += 1
            yield element


def _text_bylines(texts: list[str], found: NameCandidates) -> None:
    """Names in the short lines after the headline: labelled ("By Ana Ruiz", "Written by" then
    a name) or a name-like line of its own (a byline with no label and no telling class)."""
    dated = [bool(_DATE_LIKE.search(t)) for t in texts]
    label_before = False
    for index, text in enumerate(texts):
        near_date = any(dated[max(0, index - NEAR_DATE_NODES) : index + NEAR_DATE_NODES + 1])
        marks = {"after_title": True, "text_index": index, "near_date": near_date}
        if len(text) > BYLINE_LINE_MAX_CHARS:
            label_before = False
            continue
        if _LABEL_ONLY.match(text):
            label_before = True
            continue
        if label_before or rules.BYLINE_PREFIX.match(text):
            for name in rules.split_authors(text):
                found.add("text_label", name, labelled=True, **marks)
        elif len(text.split()) <= NAME_LINE_MAX_WORDS and _NAME_LINE.fullmatch(text):
            name = rules.clean_author(text)
            if name:
                found.add("text_near", name, **marks)
        label_before = False


# A line that is only a name: capitalised words ("Ana Ruiz", "A. J. Neal", "Jean-Luc Aufranc").
_NAME_LINE = re.compile(
    r"[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+(?:[A-ZÀ-ÖØ-Þ][\w'’.-]*|van|von|de|der|da|di|la|le))*"
)
_DATE_LIKE = re.compile(r"\d{4}|\d{1,2}[./]\d{1,2}[./]\d{2}|\bago\b|\bmin(?:ute)?s?\b", re.I)


def candidates(ctx: PageContext) -> tuple[list[str], list[str], list[list[float]]]:
    """The rules' names, and every candidate name with its feature row."""
    tree, sources, url = ctx.tree, ctx.sources, ctx.url
    found, rule = _gather(ctx)
    if not found.names:
        return rule, [], []
    own = {_norm(n) for n in site_names(sources) + list(host_names(url))} - {""}
    title = _norm(
        " ".join(xpath(tree, "/descendant::title//text()"))
        + " "
        + (sources.first_meta("og:title") or "")
    )
    every = set().union(*(n.sources for n in found.names.values()))
    texts, rows = [], []
    for key, name in found.names.items():
        words = name.text.split()
        texts.append(name.text)
        rows.append(
            [
                *(float(s in name.sources) for s in SOURCES),
                len(name.sources),
                min(name.occurrences, 20),
                name.byline_rank,
                name.rule_rank,
                float(key in own),
                float(any(f" {o} " in f" {key} " for o in own)),
                len(words),
                len(name.text),
                sum(w[:1].isupper() for w in words) / len(words) if words else 0.0,
                float(name.text == name.text.lower()),
                float(f" {key} " in f" {title} "),
                len(found.names),
                len(rule),
                float("ld_person" in every),
                float("meta" in every),
                float("byline_strict" in every),
                float(name.after_title),
                float(name.labelled),
                float(name.near_date),
                name.text_index,
            ]
        )
    return rule, texts, rows


def authors(ctx: PageContext, model, collect: dict | None = None) -> list[str]:
    """The authors: the names the model is sure of, or the rules' answer without a model."""
    if model is None and collect is None:
        ctx.rule_answers["authors"] = found = rules.authors(ctx.tree, ctx.sources, ctx.url)
        return found
    rule, texts, rows = candidates(ctx)
    ctx.rule_answers["authors"] = rule
    if collect is not None:
        collect["author_candidates"] = (texts, rows)
    if model is None:
        return rule
    return (choose(texts, rows, model) if texts else []) or site_author(ctx)


def site_author(ctx: PageContext) -> list[str]:
    """The site as the author, when the model names nobody: a page that names no writer is
    signed by its publisher (WCXB's annotators then give the site's name, and a personal
    blog's name is its writer's). The site's declared name without its tagline ("MonsGeek -
    Make Cool Gears Accessible"), else the tail of a `<title>` such as "Post | Ana Ruiz"."""
    for name in site_names(ctx.sources):
        cleaned = rules.clean_author(_TAGLINE.split(name, maxsplit=1)[0])
        if cleaned:
            return [cleaned]
    title = " ".join(xpath(ctx.tree, "/descendant::title[1]//text()"))
    parts = _TITLE_SEPARATOR.split(title)
    tail = rules.clean_author(parts[-1]) if len(parts) > 1 else None
    return [tail] if tail else []


_TAGLINE = re.compile(r"\s+[-–—|:]+\s+")
_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+")


def choose(
    texts: list[str],
    rows: list[list[float]],
    model,
    limits: tuple[float, float, float] = (AUTHOR_SCORE, BEST_AUTHOR_SCORE, CO_AUTHOR_SCORE),
) -> list[str]:
    """The names the model scores as authors, in the rules' order, then the page's."""
    sure, best_needs, co_author = limits
    scores = list(model.predict(rows))
    chosen = [i for i, s in enumerate(scores) if s >= sure]
    if not chosen:
        best = max(range(len(texts)), key=lambda i: scores[i])
        chosen = [best] if scores[best] >= best_needs else []
    for column in (FEATURE_NAMES.index(name) for name in _LISTS):
        if any(rows[i][column] for i in chosen):
            chosen += [
                i
                for i, row in enumerate(rows)
                if row[column] and scores[i] >= co_author and i not in chosen
            ]
    rank = FEATURE_NAMES.index("rule_rank")

    def order(i: int) -> tuple[int, float]:
        return (0, rows[i][rank]) if rows[i][rank] >= 0 else (1, i)

    return [texts[i] for i in sorted(chosen, key=order)]
