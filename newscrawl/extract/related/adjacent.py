"""The previous and next posts: the pair of links a blog or news page shows next to its story
("← Older post", "Next article →"), kept as one block of kind ``adjacent``.

They carry no heading, so `headed` never sees them, and they often sit in a ``<nav>``, which
it skips as chrome. What marks them is the markup: an element whose class says previous
(prev, older…) and one that says next (newer…), or links with ``rel=prev`` and ``rel=next``
in the page body, each holding one link to an article of the same site.
"""

from __future__ import annotations

import copy
import re
from itertools import islice

from lxml import etree
from lxml.html import HtmlElement

from ...urls import same_site
from .. import lexicon
from ..context import PageContext
from ..document import ancestors, clean_text
from ..result import LinkData, RelatedBlock
from ..thresholds import ADJACENT_PAIR_MAX_LINKS
from .headed import class_words
from .links import link_data, looks_like_article_url

# Class parts that make an element a candidate, whole words checked after (`class_words`).
# Class names are English whatever the page's language ("nav-previous" on German blogs).
_CLASS_PARTS = re.compile("prev|Prev|next|Next|older|newer")
_LABELS = lexicon.ADJACENT_POST_LABELS
# A piece of the link's text that is only its label ("« Previous Post", "Next →"), and a
# label set before the title with a colon ("Vorheriger Beitrag: Digitale Daten…").
_LABEL_ONLY = re.compile(rf"[\W_]*(?:{_LABELS})[\W_]*", re.IGNORECASE)
_LABEL_COLON = re.compile(rf"^[\W_]*(?:{_LABELS})\s*:\s*", re.IGNORECASE)
DEFAULT_LABEL = "Previous / Next"
_SYMBOLS = " «»‹›←→<>|:-–—·"


def adjacent_blocks(
    ctx: PageContext, skip: list[HtmlElement]
) -> list[tuple[RelatedBlock, list[HtmlElement]]]:
    """At most one block: the first previous/next pair of the page, with its two elements."""
    found: dict[str, list[tuple[HtmlElement, str]]] = {"prev": [], "next": []}
    for element in _candidates(ctx.tree, set(skip)):
        side = _side(element)
        if side is None:
            continue
        url = _single_article_link(ctx, element)
        if url is not None:
            found[side].append((element, url))
    links_under: dict[HtmlElement, int] = {}
    for prev, prev_url in _outermost(found["prev"]):
        for nxt, next_url in _outermost(found["next"]):
            if prev_url == next_url or not _paired(prev, nxt, links_under):
                continue
            (prev_labels, prev_title), (next_labels, next_title) = _pieces(prev), _pieces(nxt)
            links = [
                _link(ctx, prev, prev_url, 1, prev_title),
                _link(ctx, nxt, next_url, 2, next_title),
            ]
            # The labels the pair shows ("Older Blog Post / Newer Blog Post"), else the default.
            label = (
                f"{prev_labels[0]} / {next_labels[0]}"
                if prev_labels and next_labels
                else DEFAULT_LABEL
            )
            block = RelatedBlock(label=label, kind="adjacent", links=links)
            return [(block, [prev, nxt])]
    return []


def _candidates(tree: HtmlElement, skip: set[HtmlElement]) -> list[HtmlElement]:
    """The elements of the page body, in page order, whose rel says prev/next or whose class
    holds one of the `_CLASS_PARTS`, the subtrees of `skip` (comment areas, blocks already taken)
    not entered: a thread of 10,000 comments is not read again here."""
    found = []
    root = tree.getroottree().getroot()
    # Broken pages parse into several top-level <html> elements, each with its <body>.
    bodies = [child for top in (root, *root.itersiblings()) for child in top if child.tag == "body"]
    stack = [child for body in reversed(bodies) for child in reversed(body)]
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str) or element in skip:
            continue
        rel = element.get("rel")
        classes = element.get("class")
        if (rel and ("prev" in rel or "next" in rel)) or (classes and _CLASS_PARTS.search(classes)):
            found.append(element)
        stack.extend(reversed(element))
    return found


def _side(element: HtmlElement) -> str | None:
    """ "prev" or "next" by the element's rel, class and id words; None when both or neither."""
    rel = set((element.get("rel") or "").lower().split())
    words = class_words(element) | rel
    previous = bool(words & lexicon.PREVIOUS_POST_WORDS)
    following = bool(words & lexicon.NEXT_POST_WORDS)
    if previous == following:
        return None
    return "prev" if previous else "next"


def _anchors(element: HtmlElement) -> list[HtmlElement]:
    if element.tag == "a":
        return [element] if element.get("href") else []
    return [a for a in element.iter("a") if a.get("href")]


def _single_article_link(ctx: PageContext, element: HtmlElement) -> str | None:
    """The one article of the same site that `element` links to, else None: pagination, a
    list, the page itself or a page under it (its comments' or its story's page 2)."""
    urls = {ctx.canonical(a.get("href")) for a in _anchors(element)}
    urls.discard(None)
    if len(urls) != 1:
        return None
    url = urls.pop()
    own = ctx.canonical(ctx.url)
    if (
        url == own
        or url.startswith(own.rstrip("/") + "/")
        or not same_site(url, ctx.url)
        or not looks_like_article_url(url, ctx.url)
    ):
        return None
    return url


def _outermost(pairs: list[tuple[HtmlElement, str]]) -> list[tuple[HtmlElement, str]]:
    """Of nested candidates for the same link, the outermost (it holds the label too)."""
    elements = {e for e, _ in pairs}
    return [(e, u) for e, u in pairs if not any(a in elements for a in ancestors(e))]


def _paired(prev: HtmlElement, nxt: HtmlElement, links_under: dict[HtmlElement, int]) -> bool:
    """Whether the two stand together: their nearest common block holds few other links.
    `links_under` keeps each block's count (up to one over the limit) for the other pairs:
    on a large page most pairs meet in the same few wrappers, and the page body has many."""
    chain = set(ancestors(prev))
    common = next((a for a in ancestors(nxt) if a in chain), None)
    if common is None:
        return False
    count = links_under.get(common)
    if count is None:
        linked = (a for a in common.iter("a") if a.get("href"))
        count = links_under[common] = sum(1 for _ in islice(linked, ADJACENT_PAIR_MAX_LINKS + 1))
    return count <= ADJACENT_PAIR_MAX_LINKS


def _link(ctx: PageContext, element: HtmlElement, url: str, position: int, title: str) -> LinkData:
    """The link to `url`, its text the other post's `title` when the element shows one."""
    anchor = next(a for a in _anchors(element) if ctx.canonical(a.get("href")) == url)
    link = link_data(anchor, ctx.url, position, None, None)
    link.url = url
    link.text = title or link.text
    return link


def _pieces(element: HtmlElement) -> tuple[list[str], str]:
    """The labels the element shows and the other post's title: its text pieces that are only
    a label ("Previous Post", "«", "Next"), and the rest. Pieces, not the joined text: a
    label in its own <span> runs into the title ("PrevIs Your Mindset…"), and a title may
    start with a label's word ("Older people and exercise")."""
    labels, rest = [], []
    clone = copy.deepcopy(element)
    etree.strip_elements(clone, "script", "style", "noscript", with_tail=False)
    for piece in clone.itertext():
        piece = clean_text(piece)
        if not piece:
            continue
        if _LABEL_ONLY.fullmatch(piece):
            labels.append(piece.strip(_SYMBOLS))
        elif not rest and (match := _LABEL_COLON.match(piece)):
            labels.append(match.group(0).strip(_SYMBOLS))
            rest.append(piece[match.end() :])
        elif any(c.isalnum() for c in piece):
            rest.append(piece)
    return [label for label in labels if label], clean_text(" ".join(rest)).strip(_SYMBOLS)
