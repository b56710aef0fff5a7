"""The DOM scorer: stages 2 to 4 of the generic body on a pruned page, and how sure it is.

Why our own: trafilatura is accurate but slow, and it keeps boxes a news reader does not count
as article text (teaser lists, galleries of captions, author bios). This extractor finds the
element that holds most of the page's running prose, merges siblings that continue it, then
keeps only its paragraph-like blocks that look like prose rather than chrome. It returns a
confidence, so the caller can fall back to trafilatura where the page has no clear main block.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from .main_block import block_parts, dominant, find_main, find_main_by_balance
from .measure import ElementStats, measure
from .paragraphs import Paragraph, block_paragraphs

_WORDS = re.compile(r"\w+")


@dataclass
class Extraction:
    """Paragraphs found and how sure the extractor is that they are the article."""

    paragraphs: list[str]
    confidence: float
    alternative: list[str]  # what the second method found
    # Every element's measures, and the paragraphs kept with the elements they came from.
    measures: dict[HtmlElement, ElementStats] = field(default_factory=dict, repr=False)
    records: list[Paragraph] = field(default_factory=list, repr=False)
    # The elements chosen: the main block, the parts that continue it, the second method's.
    main: HtmlElement | None = field(default=None, repr=False)
    parts: list[HtmlElement] = field(default_factory=list, repr=False)
    balance: HtmlElement | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def extract(root: HtmlElement) -> Extraction:
    """Body paragraphs of a pruned page tree (see `prune.prune`), with a confidence in [0, 1].

    Two independent ways of finding the main block run over the same measures: readability's
    decaying ancestor scores and the maximum-balance subtree. Where they pick the same text,
    the result is trusted; where they differ, the confidence says so. When readability's
    block outscores every rival outside it (most pages), the second opinion is skipped.
    """
    body = root.find("body")
    if body is None:
        body = root
    stats = measure(body)
    main = find_main(body, stats)
    parts = block_parts(main, stats)
    records = block_paragraphs(main, stats, parts)
    paragraphs = [p.text for p in records]
    chosen = {"main": main.element, "parts": parts}
    if dominant(main):
        confidence = 1.0 if paragraphs else 0.0
        return Extraction(paragraphs, confidence, paragraphs, stats, records, **chosen)
    other = find_main_by_balance(body, stats)
    if other.element is main.element:
        alternative = paragraphs
    else:
        alternative = [p.text for p in block_paragraphs(other, stats)]
    confidence = _agreement(paragraphs, alternative)
    return Extraction(
        paragraphs, confidence, alternative, stats, records, **chosen, balance=other.element
    )


def _agreement(first: list[str], second: list[str]) -> float:
    """How much text two paragraph lists have in common (1.0: the same text)."""
    if first is second:
        return 1.0 if first else 0.0
    return similarity(" ".join(first), " ".join(second))


def similarity(first: str, second: str) -> float:
    """F1 of 4-word shingles: how much of the same text two extractions hold."""
    a, b = shingles(first), shingles(second)
    if not a or not b:
        return 0.0
    common = sum((a & b).values())
    return 2 * common / (sum(a.values()) + sum(b.values()))


def shingles(text: str) -> Counter:
    """The text's 4-word runs, counted."""
    words = _WORDS.findall(text)
    if len(words) < 4:
        return Counter([tuple(words)])
    return Counter(zip(words, words[1:], words[2:], words[3:], strict=False))
