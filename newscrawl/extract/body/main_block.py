"""Stage 3 of the generic body: the block that holds the story, found two ways.

`find_main` is readability's: each paragraph feeds its container and, less, the ancestors
above it; link density and a too-short text scale a container down. `find_main_by_balance`
takes the subtree whose prose most outweighs its link text and crumbs, so deep wrappers cost
nothing. Either block is then joined by the siblings or same-named cousins that continue it
(`block_parts`).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lxml.html import HtmlElement

from .. import lexicon
from ..document import HEADING_TAGS, contains
from ..thresholds import (
    BALANCE_CHROME_CHARS,
    BALANCE_CHROME_LINK_SHARE,
    BALANCE_CLAUSE_CHARS,
    BALANCE_PROSE_CHARS,
    COUSIN_LEVELS,
    COUSIN_LINK_SHARE,
    DOMINANCE,
    DOMINANT_MIN_SCORE,
    PARAGRAPH_MAX_LINK_SHARE,
    PARAGRAPH_MIN_CHARS,
    SCORED_ANCESTORS,
    SHORT_BLOCK_CHARS,
    SIBLING_LINK_SHARE,
    SIBLING_MIN_SCORE,
    SIBLING_P_CHARS,
    SIBLING_P_LINK_SHARE,
    SIBLING_SCORE_SHARE,
    WIDEN_SHARE,
)
from .hints import class_weight
from .measure import BLOCKISH, ElementStats

_HEADINGS = frozenset(HEADING_TAGS)
_PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote", "dd", "li", "td", "dt"})
_CJK = re.compile(lexicon.CJK_CHARS)
SENTENCE_END = re.compile(r"[.!?…。！？»“”\"')\]]\s*$")


class Candidate(NamedTuple):
    """A main block found by one method: the element, its score and every element's score."""

    element: HtmlElement
    score: float
    scores: dict[HtmlElement, float]


def find_main(root: HtmlElement, stats: dict[HtmlElement, ElementStats]) -> Candidate:
    """The element holding most of the prose, its score and every container's score."""
    scores: dict[HtmlElement, float] = {}
    for node, s in stats.items():
        if s.inline < PARAGRAPH_MIN_CHARS or node.tag in _HEADINGS or node.tag not in BLOCKISH:
            continue
        if s.inline_links > PARAGRAPH_MAX_LINK_SHARE * s.inline:
            continue
        score = 1 + s.commas + min(s.inline / 100, 3)
        # A <p> gives its score to its container; a <div> of bare text is its own container.
        parent = node.getparent() if node.tag in _PARAGRAPH_TAGS else node
        level = 0
        while parent is not None and level < SCORED_ANCESTORS:
            if parent not in scores:
                ps = stats.get(parent)
                scores[parent] = _initial_score(parent, ps.weight if ps else class_weight(parent))
            divider = 1 if level == 0 else 2 if level == 1 else level * 3
            scores[parent] += score / divider
            parent = parent.getparent()
            level += 1
    if not scores:
        return Candidate(root, 0.0, scores)
    best, best_score = root, -1e9
    for node, score in scores.items():
        s = stats.get(node)
        if s is None or s.chars == 0:
            continue
        # A short box with a good class name is not the article: scale by its text too.
        final = score * (1 - s.link_chars / s.chars) * min(1.0, s.chars / SHORT_BLOCK_CHARS)
        scores[node] = final
        if final > best_score:
            best, best_score = node, final
    return Candidate(_widen(best, scores), best_score, scores)


def find_main_by_balance(root: HtmlElement, stats: dict[HtmlElement, ElementStats]) -> Candidate:
    """The element whose prose most outweighs its link text and crumbs (maximum-sum subtree).

    Each run of text counts for its length when it reads like prose and against it when it
    is link text or a short label; chrome-classed boxes count wholly against. Unlike
    readability's decaying ancestor scores, deep wrappers around each paragraph cost nothing.
    """
    scores: dict[HtmlElement, float] = {}
    page_chars = stats[root].chars / 2

    def walk(node: HtmlElement, chrome: bool) -> float:
        s = stats[node]
        weight = s.weight if node is not root else 0
        chrome = chrome or (
            weight < 0
            and (
                s.chars < BALANCE_CHROME_CHARS or s.link_chars > BALANCE_CHROME_LINK_SHARE * s.chars
            )
            and s.chars < page_chars  # not a wrapper of the whole page
        )
        plain = s.inline - s.inline_links
        if node.tag in _HEADINGS:
            value = -0.5 * s.inline
        elif (
            plain >= BALANCE_PROSE_CHARS
            or (plain >= BALANCE_CLAUSE_CHARS and s.commas)
            or (plain >= BALANCE_CLAUSE_CHARS and _CJK.search(node.text or ""))
        ):
            value = plain - s.inline_links
        else:
            value = -0.5 * plain - s.inline_links
        if chrome and value > 0:
            value = -value
        for child in node:
            if isinstance(child.tag, str) and child in stats:
                value += walk(child, chrome)
        if weight > 0 and value > 0:
            value *= 1.1
        scores[node] = value
        return value

    walk(root, False)
    best = max(scores, key=scores.__getitem__)
    return Candidate(best, scores[best], scores)


def _initial_score(node: HtmlElement, weight: int) -> float:
    tag = node.tag
    base = {"div": 5, "article": 10, "main": 5, "section": 3, "pre": 3, "td": 3, "blockquote": 3}
    penalty = {"ol": -3, "ul": -3, "dl": -3, "li": -3, "form": -3, "th": -5}
    return base.get(tag, penalty.get(tag, 0)) + weight


def _widen(best: HtmlElement, scores: dict[HtmlElement, float]) -> HtmlElement:
    """Move up while the parent scores nearly as well: the prose is split over siblings."""
    node = best
    top = scores.get(best, 0.0)
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return node
        parent_score = scores.get(parent, 0.0)
        if parent_score < top * WIDEN_SHARE:
            return node
        node = parent


def dominant(main: Candidate) -> bool:
    """The main block outscores every block outside it many times over: no second opinion."""
    element, score, scores = main
    lineage = set(element.iterancestors())
    rival = max(
        (
            v
            for k, v in scores.items()
            if k is not element and k not in lineage and not contains(element, k)
        ),
        default=0.0,
    )
    return score >= DOMINANT_MIN_SCORE and score >= DOMINANCE * max(rival, 1.0)


def block_parts(main: Candidate, stats: dict[HtmlElement, ElementStats]) -> list[HtmlElement]:
    """The main block plus siblings that continue it (article text split around an ad), else
    plus its same-named cousins; in page order."""
    element, score, scores = main
    parent = element.getparent()
    if parent is None or element.tag == "body":
        return [element]
    threshold = max(SIBLING_MIN_SCORE, score * SIBLING_SCORE_SHARE)
    signature = (element.tag, element.get("class"))
    parts = []
    for sibling in parent:
        if sibling is element:
            parts.append(element)
            continue
        if not isinstance(sibling.tag, str):
            continue
        s = stats.get(sibling)
        if s is None or s.chars == 0:
            continue
        density = s.link_chars / s.chars
        if (
            scores.get(sibling, 0.0) >= threshold
            or (
                signature[1]
                and (sibling.tag, sibling.get("class")) == signature
                and density < SIBLING_LINK_SHARE
            )
            or (
                sibling.tag == "p"
                and density < SIBLING_P_LINK_SHARE
                and (
                    s.chars > SIBLING_P_CHARS
                    or (s.chars > 0 and SENTENCE_END.search(sibling.text_content()))
                )
            )
        ):
            parts.append(sibling)
    if len(parts) == 1:
        return _with_cousins(element, signature, stats)
    return parts


def _with_cousins(
    main: HtmlElement, signature: tuple[str, str | None], stats: dict[HtmlElement, ElementStats]
) -> list[HtmlElement]:
    """The main block plus same-named blocks a few levels around it, in page order.

    Magazines cut long stories into chunks, each in its own grid wrapper between ads:
    the chunks are cousins of each other, not siblings.
    """
    if not signature[1]:
        return [main]
    ancestor = main
    for _ in range(COUSIN_LEVELS):
        parent = ancestor.getparent()
        if parent is None or parent.tag == "body":
            break
        ancestor = parent
    parts = []
    story = _story(main)
    for element in ancestor.iter(main.tag):
        if element is main:
            parts.append(main)
        elif element.get("class") == signature[1] and _story(element) is story:
            s = stats.get(element)
            if s is not None and s.prose > 0 and s.link_chars < COUSIN_LINK_SHARE * s.chars:
                parts.append(element)
    # Nested matches would repeat text: keep the outermost.
    return [p for p in parts if not any(q is not p and contains(q, p) for q in parts)]


def _story(element: HtmlElement) -> HtmlElement | None:
    """The nearest `<article>` holding the element. Pages that scroll on into the next story
    stack a second `<article>` with the same template below the first: its text blocks are
    cousins by name but another story."""
    return next(element.iterancestors("article"), None)
