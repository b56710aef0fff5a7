"""Stage 5b of the generic body: learned block decisions over the rules' own measures.

The rules (stages 2-5) find a main block and keep its prose; here every block of the pruned
page is scored by a gradient-boosted model that sees the same measures plus where the rules
stood (`blocks.features`), and the blocks it keeps, in page order, are the body. Where no
model is shipped, or the model keeps nothing, the rules' text is the body.

A second model (``body_context``) then decides each block again from the same row and the
first model's scores around it (`neighbour_scores`): a story is a run of blocks, so a doubtful
block between two kept paragraphs is likely text and a lone "kept" line among furniture is
likely not. It is fitted on first-stage scores of pages the first model did not see
(`benchmarks/train_models.py`), as they are on new pages.
"""

from __future__ import annotations

from collections.abc import Sequence
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


# The first-stage scores a block's second decision reads, beside its own feature row.
NEIGHBOUR_FEATURES: tuple[str, ...] = (
    "score", "score_prev", "score_next", "score_prev2", "score_next2", "score_window",
    "score_max_before", "score_max_after", "score_page_mean", "score_rank",
)  # fmt: skip
_NO_BLOCK = -1.0  # the score of a neighbour past either end of the page


def neighbour_scores(scores: Sequence[float]) -> list[list[float]]:
    """Per block, in page order: its score, its neighbours' (two each side), the mean of the
    five, the best score before and after it, the page's mean and its rank on the page."""
    n = len(scores)
    if not n:
        return []
    before, best = [], 0.0
    for score in scores:
        before.append(best)
        best = max(best, score)
    after, best = [0.0] * n, 0.0
    for i in range(n - 1, -1, -1):
        after[i] = best
        best = max(best, scores[i])
    mean = sum(scores) / n
    order = sorted(range(n), key=lambda i: scores[i])
    rank = [0.0] * n
    for position, i in enumerate(order):
        rank[i] = position / max(1, n - 1)

    def at(i: int) -> float:
        return scores[i] if 0 <= i < n else _NO_BLOCK

    rows = []
    for i, score in enumerate(scores):
        window = scores[max(0, i - 2) : i + 3]
        rows.append(
            [
                score, at(i - 1), at(i + 1), at(i - 2), at(i + 2), sum(window) / len(window),
                before[i], after[i], mean, rank[i],
            ]
        )  # fmt: skip
    return rows


def block_scores(rows: list[list[float]], model, context_model=None) -> list[float]:
    """Each block's probability of being story text: the first model's, decided again by
    `context_model` from the scores around it when one is shipped."""
    import numpy as np

    matrix = np.asarray(rows, dtype=np.float64)  # converted once for both models
    scores = [float(p) for p in model.predict(matrix)]
    if context_model is None:
        return scores
    stacked = np.hstack([matrix, np.asarray(neighbour_scores(scores), dtype=np.float64)])
    return [float(p) for p in context_model.predict(stacked)]


def choose(analysis: BodyAnalysis, model, context_model=None) -> str:
    """The body the models keep; the rules' text when they keep nothing."""
    if not analysis.blocks:
        return analysis.rule_text
    threshold = float(model.settings.get("threshold", 0.5))
    scores = block_scores(analysis.rows, model, context_model)
    kept = [b.text for b, p in zip(analysis.blocks, scores, strict=True) if p >= threshold]
    return "\n\n".join(kept) if kept else analysis.rule_text
