"""Body text by learned block decisions over the rules' own measures.

The rules (`readable`) find a main block and keep its prose; here every block of the pruned
page is scored by a gradient-boosted model that sees the same measures plus where the rules
stood (`blocks.features`), and the blocks it keeps, in page order, are the body. Where no
model is shipped, or the model keeps nothing, the rules' text is the body.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from . import readable
from .blocks import Block, RuleChoice, collect_blocks, features

REFEREE = True  # ask trafilatura when the two rule methods disagree (see body.generic_body)
SHORT_BLOCK = 20  # a block shorter than this is "kept by the rules" only as a whole paragraph


@dataclass
class BodyAnalysis:
    """The rules' text and the page's blocks with their feature rows."""

    rule_text: str
    blocks: list[Block]
    rows: list[list[float]]


def rule_body(
    tree: HtmlElement, url: str, referee_fn, agreement: float
) -> tuple[str, RuleChoice, dict, HtmlElement]:
    """The rules' body text on a pruned tree, with what they chose (see `body.generic_body`):
    `referee_fn(tree, url)` is asked when the two methods agree less than `agreement`."""
    body = tree.find("body")
    if body is None:
        body = tree
    stats = readable._measure(body)
    main, score, scores = readable.find_main(body, stats)
    parts = readable._with_siblings(main, score, scores, stats)
    paragraphs = readable._paragraphs(main, score, scores, stats)
    balance = None
    if readable._dominant(main, score, scores):
        confidence = 1.0 if paragraphs else 0.0
        alternative = paragraphs
    else:
        balance, other_score, other_scores = readable.find_main_by_balance(body, stats)
        if balance is main:
            alternative = paragraphs
        else:
            alternative = readable._paragraphs(balance, other_score, other_scores, stats)
        confidence = readable._agreement(paragraphs, alternative)
    text = "\n\n".join(paragraphs)
    referee = False
    if confidence < agreement and referee_fn is not None:
        judge = referee_fn(tree, url) or ""
        candidates = [text, "\n\n".join(alternative)]
        similarity = [readable.similarity(judge, c) for c in candidates]
        best = max(range(len(candidates)), key=similarity.__getitem__)
        if similarity[best] >= agreement:
            text = candidates[best]
        else:
            text, referee = judge, True
    kept = set(p for p in text.split("\n\n") if p)
    choice = RuleChoice(main, parts, balance, kept, confidence, referee)
    return text, choice, stats, body


def analyse(
    tree: HtmlElement,
    url: str,
    title: str | None,
    referee_fn,
    agreement: float,
    declared_body: str | None = None,
    description: str | None = None,
) -> BodyAnalysis:
    """Blocks and features of a pruned tree, with the rules' text (training and inference)."""
    text, choice, stats, body = rule_body(tree, url, referee_fn, agreement)
    blocks = collect_blocks(body, stats)
    choice.kept = _kept_blocks(blocks, choice.kept, text)
    rows = features(blocks, stats, body, choice, title, declared_body, description)
    return BodyAnalysis(text, blocks, rows)


def _kept_blocks(blocks: list[Block], paragraphs: set[str], text: str) -> set[str]:
    """Which block texts the rules kept: a paragraph of theirs, or (for a block of some
    length) a part of their text, since the referee's text is cut into other paragraphs."""
    kept = set()
    for block in blocks:
        t = block.text
        if t in paragraphs or (len(t) >= SHORT_BLOCK and t in text):
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
