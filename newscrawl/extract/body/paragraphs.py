"""Stage 4 of the generic body: the paragraphs of the main block, and where each came from.

The block's text is cut into paragraphs at block-level boundaries. Boxes inside it that are
not prose (link lists, share bars, bios, prompts, fact boxes) are left out whole, a data
table's row is one line, the standfirst just above the block is put first, and crumbs are
dropped line by line (`lines`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from ..document import BLOCK_TAGS, HEADING_TAGS, clean_text, in_running_text
from ..thresholds import (
    CELL_MAX_CHARS,
    CHROME_BOX_LINK_SHARE,
    CHROME_BOX_PROSE_CHARS,
    DIGEST_TAIL_WORDS,
    LEAD_LEVELS,
    LEAD_MAX_CHARS,
    LEAD_MAX_LINK_SHARE,
    LEAD_MIN_CHARS,
    LEAD_SIBLINGS,
    LINK_BOX_MAX_CHARS,
    LINK_BOX_SHARE,
    LINK_LIST_MAX_CHARS,
    LINK_LIST_SHARE,
    PROMPT_MAX_CHARS,
    PROMPT_MIN_CHARS,
    SENTENCE_MAX_LINKS,
    SENTENCE_TAIL_WORDS,
    TITLE_PROSE_CHARS,
)
from .hints import class_weight, lead_class, strong_chrome
from .lines import has_prompt, is_story_line
from .main_block import SENTENCE_END, Candidate, block_parts
from .measure import ElementStats

_HEADINGS = frozenset(HEADING_TAGS)
_WORDS = re.compile(r"\w+")
# Boxes that can be a paywall, registration, newsletter or consent prompt (`lines._PROMPT`).
_PROMPT_TAGS = frozenset(
    {"div", "section", "header", "aside", "ul", "ol", "dl", "p", "figure", "span", "li"}
)
_CELL_TAGS = frozenset({"td", "th"})


@dataclass(slots=True)
class Paragraph:
    """One paragraph of the body text and the element it came from."""

    text: str
    element: HtmlElement  # the innermost block element (or walked part) holding the text
    heading: bool = False  # the text of a heading (h1-h6)


def block_paragraphs(
    main: Candidate,
    stats: dict[HtmlElement, ElementStats],
    parts: list[HtmlElement] | None = None,
) -> list[Paragraph]:
    """Paragraphs of the main block and the siblings that continue it (`parts`, found here
    if not given), after the story's lead."""
    paragraphs: list[Paragraph] = []
    parts = parts if parts is not None else block_parts(main, stats)
    for part in parts:
        collect(part, stats, paragraphs, main.element)
    headings = {p.text for p in paragraphs if p.heading}
    lead = lead_before(parts[0], stats)
    if lead and paragraphs and lead.text not in paragraphs[0].text:
        paragraphs.insert(0, lead)
    paragraphs = [p for p in paragraphs if is_story_line(p.text)]
    # A heading with nothing after it heads a box that is gone ("More on this", "Share"):
    # not a section of the story.
    while paragraphs and paragraphs[-1].text in headings:
        paragraphs.pop()
    return paragraphs


def collect(
    node: HtmlElement,
    stats: dict[HtmlElement, ElementStats],
    out: list[Paragraph],
    root: HtmlElement,
) -> None:
    """Append to `out` the paragraphs under `node`, skipping chrome boxes (judged against the
    main block `root`).

    An `<h1>` above the story is its title and stays out; one after prose is a sub-heading
    of pages that use `<h1>` for every heading.
    """
    current: list[str] = []
    heading_depth = 0
    blocks: list[HtmlElement] = []  # the block elements being walked, innermost last

    def flush() -> None:
        text = clean_text("".join(current))
        if text:
            out.append(Paragraph(text, blocks[-1] if blocks else node, heading_depth > 0))
        current.clear()

    def walk(el: HtmlElement, top: bool) -> None:
        s = stats.get(el)
        title = el.tag == "h1" and not any(len(p.text) >= TITLE_PROSE_CHARS for p in out)
        if not top and (
            title or (s is not None and looks_like_chrome(el, s, root) and not in_running_text(el))
        ):
            if el.tail:
                current.append(el.tail)
            return
        nonlocal heading_depth
        block = el.tag in BLOCK_TAGS
        if el.tag in _CELL_TAGS and _data_row(el.getparent(), stats):
            block = False  # a data table's row is one line, its cells set apart by " | "
            if "".join(current).strip():
                current.append(" | ")
        if block:
            flush()
            blocks.append(el)
        if el.tag == "br":
            flush()
        heading = el.tag in _HEADINGS
        heading_depth += heading
        if el.text:
            current.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                walk(child, False)
            elif child.tail:
                current.append(child.tail)
        if block:
            flush()
            blocks.pop()
        heading_depth -= heading
        if not top and el.tail:
            current.append(el.tail)

    walk(node, True)
    flush()


def _prompted(node: HtmlElement, s: ElementStats) -> bool:
    """`has_prompt` of the node's text, worked out once per element (kept on its stats)."""
    if s.prompt is None:
        s.prompt = has_prompt(node.text_content())
    return s.prompt


def looks_like_chrome(node: HtmlElement, s: ElementStats, root: HtmlElement) -> bool:
    """A box inside the main block `root` that is not prose: a teaser list, a share bar, a bio."""
    # The root's own names are read only when the box's are negative: most boxes have none.
    if (
        s.weight < 0
        and (s.prose < CHROME_BOX_PROSE_CHARS or s.link_chars > CHROME_BOX_LINK_SHARE * s.chars)
        and class_weight(root) >= 0
    ):
        return True
    if s.strong and not strong_chrome(root):
        return True
    if s.chars == 0:
        return False
    if (
        node.tag in _PROMPT_TAGS
        and PROMPT_MIN_CHARS <= s.chars <= PROMPT_MAX_CHARS
        and _prompted(node, s)
    ):
        return True
    density = s.link_chars / s.chars
    if node.tag in ("ul", "ol", "dl", "table", "div", "section", "li", "p"):
        # A <p> left open around a widget (a "most popular" list) holds the widget: judge
        # the widget, not the paragraph.
        if (
            density > LINK_LIST_SHARE
            and s.chars < LINK_LIST_MAX_CHARS
            and not _linked_sentence(node)
            and not (node.tag == "p" and s.blocks)
        ):
            return True
        if (
            density > LINK_BOX_SHARE
            and node.tag in ("ul", "ol", "div", "section")
            and s.chars < LINK_BOX_MAX_CHARS
        ):
            return True
    return False


def _linked_sentence(node: HtmlElement) -> bool:
    """A paragraph whose links sit inside a sentence that goes on after them ("<a>Meghan
    Markle</a>'s mum, <a>Doria is said to ...</a> when they are not around."): prose with
    links, not a "Read more: <a>headline</a>" line, which ends on its link. More than two links
    in such a line are a cluster (a name's hover card of headlines), not a sentence.
    A list item needs a whole sentence after its link ("<li><a>Google has bought X</a>.
    The startup was ...</li>", a news digest), not a teaser list's date or source."""
    if (
        node.tag not in ("p", "li")
        or not len(node)
        or sum(1 for _ in node.iter("a")) > SENTENCE_MAX_LINKS
    ):
        return False
    last = node[-1]
    tail = (last.tail or "").strip()
    words = len(_WORDS.findall(tail))
    needed = SENTENCE_TAIL_WORDS if node.tag == "p" else DIGEST_TAIL_WORDS
    return words >= needed and bool(SENTENCE_END.search(tail))


def _data_row(row: HtmlElement | None, stats: dict[HtmlElement, ElementStats]) -> bool:
    """A table row of short cells without blocks inside (a data table: "Pos | Player | Plays").
    A layout table's cells hold paragraphs or long runs of text and stay paragraphs of their own."""
    if row is None or row.tag != "tr":
        return False
    for cell in row:
        if cell.tag in _CELL_TAGS:
            s = stats.get(cell)
            if s is None or s.blocks or s.chars >= CELL_MAX_CHARS:
                return False
    return True


def lead_before(first: HtmlElement, stats: dict[HtmlElement, ElementStats]) -> Paragraph | None:
    """The standfirst just above the main block ("lead", "intro", "chapo" by class name).

    Templates put the lead in the header next to the title, outside the element that holds
    the paragraphs, yet it is the story's first paragraph.
    """
    node = first
    for _ in range(LEAD_LEVELS):
        for sibling in list(node.itersiblings(preceding=True))[:LEAD_SIBLINGS]:
            if not isinstance(sibling.tag, str):
                continue
            for element in sibling.iter():
                if element.tag in _HEADINGS or not lead_class(element.get("class")):
                    continue
                s = stats.get(element)
                if (
                    s is None
                    or s.chars < LEAD_MIN_CHARS
                    or s.link_chars > LEAD_MAX_LINK_SHARE * s.chars
                ):
                    continue
                text = clean_text(element.text_content())
                return Paragraph(text, element) if len(text) <= LEAD_MAX_CHARS else None
        node = node.getparent()
        if node is None or node.tag == "body":
            return None
    return None
