"""The page cut into text blocks, each with the measures a learned model decides on.

The rule-based body extractor (`scorer`) picks a main block and filters the boxes inside it
with hand thresholds. Here every paragraph-like block of the pruned page is listed with the
element it came from, and described by numbers: its own text (length, links, punctuation, the
line filters that hit it), its element and ancestors (tag, class hints, link density), where
it stands against the rules' choice (inside the main block, kept by the rules), and its
neighbours. `features()` turns them into the rows the block model (`learned`) scores.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from lxml.html import HtmlElement

from ..document import BLOCK_TAGS, clean_text, in_running_text
from .lines import LINE_FILTER_MAX_CHARS, LINE_FILTERS, line_hits
from .main_block import SENTENCE_END
from .measure import ElementStats
from .paragraphs import _CELL_TAGS, _data_row, looks_like_chrome

_COMMAS = re.compile(r"[,，、،]")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_WORDS = re.compile(r"\w+")
_SENTENCE_MARK = re.compile(r"[.!?。！？](?:\s|$)")
_DIGITS = re.compile(r"\d")
_UPPER = re.compile(r"[A-ZÀ-Ý]")
# Tag codes for the model (a categorical feature): the paragraph-like tags apart, the rest
# grouped.
TAG_CODES = {
    "p": 1, "li": 2, "h1": 3, "h2": 4, "h3": 4, "h4": 5, "h5": 5, "h6": 5, "td": 6, "th": 6,
    "dd": 7, "dt": 7, "blockquote": 8, "pre": 9, "div": 10, "section": 11, "article": 12,
    "span": 13, "figure": 14, "tr": 6, "main": 12, "table": 6, "ul": 2, "ol": 2, "dl": 7,
    "header": 15, "address": 15, "summary": 15, "details": 15,
}  # fmt: skip


@dataclass
class Block:
    """One paragraph of the page: its text, the innermost block element holding it, and the
    characters of it that are link text."""

    text: str
    element: HtmlElement
    link_chars: int
    heading: int  # 1-6 inside <h1>..<h6>, else 0


def collect_blocks(root: HtmlElement, stats: dict[HtmlElement, ElementStats]) -> list[Block]:
    """Every paragraph under `root`, in page order, cut at block boundaries as
    `paragraphs.collect` cuts them (a data table's row is one line), but with nothing left
    out: which blocks are furniture is for the model to say. Inline chrome that is not part
    of a sentence (a share button in a paragraph) stays out, as in `paragraphs.collect`."""
    out: list[Block] = []
    current: list[str] = []
    links = [0]
    stack: list[HtmlElement] = [root]
    heading = [0]

    def flush() -> None:
        text = clean_text("".join(current))
        if text:
            out.append(Block(text, stack[-1], min(links[0], len(text)), heading[0]))
        current.clear()
        links[0] = 0

    def add(text: str | None, in_link: bool) -> None:
        if text:
            current.append(text)
            if in_link:
                links[0] += len(text.strip())

    def walk(el: HtmlElement, in_link: bool) -> None:
        tag = el.tag
        block = tag in BLOCK_TAGS
        if not block and el is not root:
            s = stats.get(el)
            if s is not None and looks_like_chrome(el, s, root) and not in_running_text(el):
                return
        if tag in _CELL_TAGS and _data_row(el.getparent(), stats):
            block = False
            if "".join(current).strip():
                current.append(" | ")
        if block or tag == "br":
            flush()
        level = _HEADINGS.get(tag, 0)
        saved = heading[0]
        if level:
            heading[0] = level
        if block:
            stack.append(el)
        link = in_link or tag == "a"
        add(el.text, link)
        for child in el:
            if isinstance(child.tag, str):
                walk(child, link)
            add(child.tail, in_link)
        if block:
            flush()
            stack.pop()
        heading[0] = saved

    walk(root, False)
    flush()
    return out


_NO_FILTER = (0.0,) * len(LINE_FILTERS)

FEATURE_NAMES: tuple[str, ...] = (
    # the block's own text
    "chars", "words", "link_ratio", "commas", "sentences", "ends_sentence", "digit_ratio",
    "upper_start", "mean_word_len", "heading", "tag",
    *(f"line_{name}" for name, _ in LINE_FILTERS),
    # its element, parent and grandparent
    "el_chars", "el_link_ratio", "el_prose", "el_weight", "el_strong",
    "parent_chars", "parent_link_ratio", "parent_prose", "parent_weight", "parent_tag",
    "grand_chars", "grand_link_ratio", "grand_weight",
    "same_siblings", "siblings",
    # ancestors up to the body
    "depth", "min_weight", "negative_ancestors", "positive_ancestors", "strong_ancestor",
    "in_article", "in_main", "in_list", "in_table", "in_blockquote", "article_body_prop",
    # the rules' choice
    "in_main_block", "in_main_parts", "in_balance_block", "rule_kept", "chrome_box",
    "confidence", "referee",
    # place on the page and neighbours
    "index_ratio", "chars_before_ratio", "vs_rule_span", "blocks_to_rule_block",
    "prev_chars", "prev_link_ratio", "prev_rule_kept", "prev_heading",
    "next_chars", "next_link_ratio", "next_rule_kept", "next_heading",
    "title_overlap", "after_title", "in_declared_body", "description_overlap",
    # the page
    "page_blocks", "page_chars", "rule_chars_ratio", "declared_body",
)  # fmt: skip


@dataclass
class RuleChoice:
    """What the rules chose on the page: the elements and the text they kept."""

    main: HtmlElement
    parts: list[HtmlElement]
    balance: HtmlElement | None
    kept: set[str]
    confidence: float
    referee: bool


def features(
    blocks: list[Block],
    stats: dict,
    body: HtmlElement,
    rules: RuleChoice,
    title: str | None,
    declared_body: str | None = None,
    description: str | None = None,
) -> list[list[float]]:
    """One row of `FEATURE_NAMES` values per block. `declared_body` is the JSON-LD
    articleBody, `description` the page's declared summary (both may be missing)."""
    inside_main = _descendants(rules.main)
    inside_parts = set().union(*(_descendants(p) for p in rules.parts)) if rules.parts else set()
    inside_balance = _descendants(rules.balance) if rules.balance is not None else set()
    chrome = _ChromeBoxes(rules.parts or [rules.main], stats)
    families: dict[HtmlElement, tuple[int, Counter]] = {}
    title_words = set(_WORDS.findall((title or "").lower()))
    title_at = _title_position(blocks, title_words)
    declared = " ".join(declared_body.split()) if declared_body else ""
    described = set(_WORDS.findall((description or "").lower()))
    total_chars = sum(len(b.text) for b in blocks) or 1
    kept = [b.text in rules.kept for b in blocks]
    kept_index = [i for i, k in enumerate(kept) if k]
    first, last = (kept_index[0], kept_index[-1]) if kept_index else (-1, -1)
    rule_chars = sum(len(b.text) for b, k in zip(blocks, kept, strict=True) if k)
    ancestry: dict[HtmlElement, tuple[float, ...]] = {}
    rows: list[list[float]] = []
    before = 0
    n = len(blocks)
    for i, block in enumerate(blocks):
        text, el = block.text, block.element
        words = _WORDS.findall(text)
        chars = len(text)
        s = stats.get(el)
        parent = el.getparent()
        ps = stats.get(parent) if parent is not None else None
        grand = parent.getparent() if parent is not None else None
        gs = stats.get(grand) if grand is not None else None
        family = families.get(parent) if parent is not None else (0, Counter())
        if family is None:
            children = [(c.tag, c.get("class")) for c in parent if isinstance(c.tag, str)]
            family = families[parent] = (len(children), Counter(children))
        siblings, same = family[0], family[1][(el.tag, el.get("class"))]
        anc = ancestry.get(el)
        if anc is None:
            anc = ancestry[el] = _ancestry(el, body, stats)
        prev = blocks[i - 1] if i else None
        nxt = blocks[i + 1] if i + 1 < n else None
        if first < 0:
            span, distance = 0, n
        else:
            span = -1 if i < first else 1 if i > last else 0
            distance = min(abs(i - j) for j in (first, last)) if span else 0
        block_words = set(w.lower() for w in words)
        row = [
            chars,
            len(words),
            block.link_chars / chars if chars else 0.0,
            len(_COMMAS.findall(text)),
            len(_SENTENCE_MARK.findall(text)),
            float(bool(SENTENCE_END.search(text))),
            len(_DIGITS.findall(text)) / chars if chars else 0.0,
            float(bool(_UPPER.match(text))),
            (sum(len(w) for w in words) / len(words)) if words else 0.0,
            block.heading,
            TAG_CODES.get(el.tag, 0),
            *(_NO_FILTER if chars > LINE_FILTER_MAX_CHARS else map(float, line_hits(text))),
            *_element(s),
            *_element(ps)[:4],
            TAG_CODES.get(parent.tag, 0) if parent is not None else 0,
            *_element(gs)[:2],
            gs.weight if gs is not None else 0,
            same,
            siblings,
            *anc,
            float(el in inside_main),
            float(el in inside_parts),
            float(el in inside_balance),
            float(kept[i]),
            float(chrome.holds(el)),
            rules.confidence,
            float(rules.referee),
            i / n,
            before / total_chars,
            span,
            distance,
            *_neighbour(prev, kept[i - 1] if prev else False),
            *_neighbour(nxt, kept[i + 1] if nxt else False),
            len(block_words & title_words) / len(block_words) if block_words else 0.0,
            -1 if title_at < 0 else (i > title_at) - (i < title_at),
            float(bool(declared) and len(text) >= 20 and text in declared),
            len(block_words & described) / len(block_words) if block_words and described else 0.0,
            n,
            total_chars,
            rule_chars / total_chars,
            float(bool(declared)),
        ]
        rows.append(row)
        before += chars
    return rows


def _title_position(blocks: list[Block], title_words: set[str]) -> int:
    """Index of the heading that shows the page's title (most of its words), or -1."""
    if not title_words:
        return -1
    for i, block in enumerate(blocks):
        if block.heading and len(block.text) < 400:
            words = set(_WORDS.findall(block.text.lower()))
            if words and len(words & title_words) >= 0.6 * max(len(words), len(title_words)):
                return i
    return -1


def _element(s) -> tuple[float, ...]:
    if s is None:
        return (0.0, 0.0, 0.0, 0.0, 0.0)
    return (
        s.chars,
        s.link_chars / s.chars if s.chars else 0.0,
        s.prose,
        s.weight,
        float(s.strong),
    )


def _neighbour(block: Block | None, kept: bool) -> tuple[float, ...]:
    if block is None:
        return (-1.0, 0.0, 0.0, 0.0)
    chars = len(block.text)
    return (chars, block.link_chars / chars if chars else 0.0, float(kept), block.heading)


def _ancestry(el: HtmlElement, body: HtmlElement, stats: dict) -> tuple[float, ...]:
    """Depth, class hints and enclosing tags from the element up to the body."""
    depth = 0
    min_weight = 0
    negative = positive = 0
    strong = False
    tags: set[str] = set()
    prop = False
    node: HtmlElement | None = el
    while node is not None and node is not body:
        s = stats.get(node)
        if s is not None:
            min_weight = min(min_weight, s.weight)
            negative += s.weight < 0
            positive += s.weight > 0
            strong = strong or s.strong
        tags.add(node.tag)
        prop = prop or node.get("itemprop") == "articleBody"
        depth += 1
        node = node.getparent()
    return (
        depth,
        min_weight,
        negative,
        positive,
        float(strong),
        float("article" in tags),
        float("main" in tags),
        float(bool(tags & {"ul", "ol"})),
        float("table" in tags),
        float("blockquote" in tags),
        float(prop),
    )


def _descendants(element: HtmlElement) -> set[HtmlElement]:
    return set(element.iter())


class _ChromeBoxes:
    """Whether an element inside the rules' main block(s) sits in a box the rules skip as
    chrome (`paragraphs.looks_like_chrome` judged against its part), worked out for the
    blocks' elements and their ancestors only, each once."""

    def __init__(self, parts: list[HtmlElement], stats: dict) -> None:
        self.stats = stats
        # element -> (inside a chrome box, the part it belongs to); None: outside every part
        self.known: dict[HtmlElement, tuple[bool, HtmlElement] | None] = {
            p: (False, p) for p in parts
        }

    def holds(self, element: HtmlElement) -> bool:
        chain = []
        node: HtmlElement | None = element
        while node is not None and node not in self.known:
            chain.append(node)
            node = node.getparent()
        found = self.known.get(node) if node is not None else None
        for n in reversed(chain):
            if found is not None and not found[0]:
                s = self.stats.get(n)
                chrome = (
                    s is not None and looks_like_chrome(n, s, found[1]) and not in_running_text(n)
                )
                found = (chrome, found[1])
            self.known[n] = found
        return bool(found and found[0])
