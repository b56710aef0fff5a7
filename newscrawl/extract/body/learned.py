"""Stage 5b of the generic body: learned block decisions over the rules' own measures.

The rules (stages 2-5) find a main block and keep its prose; here every block of the pruned
page is scored by a gradient-boosted model that sees the same measures plus where the rules
stood (`blocks.features`), and the blocks it keeps, in page order, are the body. Where no
model is shipped, or the model keeps nothing, the rules' text is the body.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from ..thresholds import RULE_KEPT_MIN_CHARS
from .blocks import Block, RuleChoice, collect_blocks, features
from .scorer import Extraction


@dataclass
class BodyAnalysis:
    """The rules' text and the page's blocks with their feature rows."""

    rule_text: str
    blocks: list[Block]
    rows: list[list[float]]


def analyse(
    tree: HtmlElement,
    found: Extraction,
    rule_text: str,
    refereed: bool,
    title: str | None,
    declared_body: str | None = None,
    description: str | None = None,
) -> BodyAnalysis:
    """Blocks and features of a pruned tree, given what the rules found on it (`found`, and
    `rule_text` after the referee, `refereed` when trafilatura's own text won)."""
    body = tree.find("body")
    if body is None:
        body = tree
    paragraphs = {p for p in rule_text.split("\n\n") if p}
    choice = RuleChoice(
        found.main if found.main is not None else body,
        found.parts,
        found.balance,
        paragraphs,
        found.confidence,
        refereed,
    )
    blocks = collect_blocks(body, found.measures)
    choice.kept = _kept_blocks(blocks, paragraphs, rule_text)
    rows = features(blocks, found.measures, body, choice, title, declared_body, description)
    return BodyAnalysis(rule_text, blocks, rows)


def _kept_blocks(blocks: list[Block], paragraphs: set[str], text: str) -> set[str]:
    """Which block texts the rules kept: a paragraph of theirs, or (for a block of some
    length) a part of their text, since the referee's text is cut into other paragraphs."""
    kept = set()
    for block in blocks:
        t = block.text
        if t in paragraphs or (len(t) >= RULE_KEPT_MIN_CHARS and t in text):
            kept.add(t)
    return kept


def choose(analysis: BodyAnalysis, model) -> str:
    """The body the model keeps; the rules' text when it keeps nothing."""
    if not analysis.blocks:
        return analysis.rule_text
    threshold = float(model.settings.get("threshold", 0.5))
    scores = model.predict(analysis.rows)
    kept = [b.text for b, p in zip(analysis.blocks, scores, strict=True) if p >= threshold]
    return "\n\n".join(kept) if kept else analysis.rule_text
