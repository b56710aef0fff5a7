"""Stage 2 of the generic body: measure every element of the pruned page once, bottom-up.

Both ways of finding the main block, and the paragraph walk after them, read these measures
instead of walking subtrees again; so can any later judge of the page's blocks.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from ..document import BLOCK_TAGS
from ..thresholds import (
    PROSE_RUN_CHARS,
    PROSE_RUN_LINK_SHARE,
)
from .hints import class_hints

# Elements whose own running text can be a paragraph of the story.
BLOCKISH = (BLOCK_TAGS - {"br"}) | {"body", "center", "font"}
_COMMAS = re.compile(r"[,，、،]")


class ElementStats:
    """Per-element text measures, computed bottom-up once.

    "Inline" text is the element's own running text: its text and that of inline children,
    but not of block-level descendants (which are paragraphs of their own).
    """

    __slots__ = (
        "chars", "link_chars", "inline", "inline_links", "commas", "blocks", "prose", "weight",
        "strong", "prompt",
    )  # fmt: skip

    def __init__(self) -> None:
        self.chars = 0
        self.link_chars = 0
        self.inline = 0
        self.inline_links = 0
        self.commas = 0
        self.blocks = False  # has block-level descendants
        self.prose = 0  # chars in long, link-poor runs of text (real paragraphs)
        self.weight = 0  # hints.class_weight()
        self.strong = False  # hints.strong_chrome()
        # Whether its text holds a paywall/sign-up prompt (`lines.has_prompt`), once asked:
        # the paragraph walk, the blocks and the chrome-box feature ask of the same boxes.
        self.prompt: bool | None = None


def measure(root: HtmlElement) -> dict[HtmlElement, ElementStats]:
    """`ElementStats` of `root` and of every element under it (comments and PIs left out)."""
    stats: dict[HtmlElement, ElementStats] = {}

    def add_inline(s: ElementStats, text: str | None, link: bool) -> None:
        if text:
            n = len(text.strip())
            if not n:  # indentation between tags: nothing to count, no commas to find
                return
            s.chars += n
            s.inline += n
            s.commas += len(_COMMAS.findall(text))
            if link:
                s.link_chars += n
                s.inline_links += n

    def walk(node: HtmlElement, in_link: bool) -> ElementStats:
        s = ElementStats()
        attrib = node.attrib
        if "class" in attrib or "id" in attrib or "itemprop" in attrib or "role" in attrib:
            s.weight, s.strong = class_hints(node)
        link = in_link or node.tag == "a"
        add_inline(s, node.text, link)
        for child in node:
            if isinstance(child.tag, str):
                c = walk(child, link)
                s.prose += c.prose
                if child.tag in BLOCK_TAGS and child.tag != "br":
                    s.blocks = True
                    s.chars += c.chars
                    s.link_chars += c.link_chars
                else:
                    s.blocks = s.blocks or c.blocks
                    s.chars += c.chars
                    s.link_chars += c.link_chars
                    s.inline += c.inline
                    s.inline_links += c.inline_links
                    s.commas += c.commas
            add_inline(s, child.tail, in_link)
        if (
            node.tag in BLOCKISH
            and s.inline >= PROSE_RUN_CHARS
            and s.inline_links < PROSE_RUN_LINK_SHARE * s.inline
        ):
            s.prose += s.inline
        stats[node] = s
        return s

    walk(root, False)
    return stats
