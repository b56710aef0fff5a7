"""The generic rule: a label the page shows (a heading, an aria-label, a title-classed
element) followed by two or more article links, outside chrome and prose."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from ...urls import canonicalize_url, same_site
from ..body.hints import name_parts
from ..context import PageContext
from ..document import (
    BLOCK_TAGS,
    HEADING_TAGS,
    TextCache,
    ancestors,
    class_and_id,
    clean_text,
    text_of,
)
from ..result import RelatedBlock
from ..thresholds import (
    CONTAINER_LEVELS,
    LABEL_MAX_CHARS,
    MIN_BLOCK_LINKS,
    PAGE_WRAPPER_SHARE,
    REMOVABLE_PROSE_CHARS,
    REMOVABLE_PROSE_SENTENCES,
)
from .body_area import inside
from .chrome import (
    KIND_WORDS,
    RELATED_HINT,
    classify,
    in_prose,
    is_chrome,
    is_chrome_label,
    is_chrome_tag,
)
from .inline import INLINE_LABEL
from .links import is_article_link, link_data, looks_like_article_url, unique_links

# Class or id words of an element that titles the box it opens ("widget-title",
# "dh2 head4 header", "box_hd", "SectionTitle_title__x1"): whole words of the class or id,
# split at "-", "_", digits and camelCase humps.
_TITLE_WORDS = frozenset(
    ("head", "header", "heading", "headline", "hd", "title", "titel", "titre", "titulo", "caption")
)
_DIGITS = re.compile(r"\d+")


def class_words(element: HtmlElement) -> set[str]:
    """The lower-cased words of an element's class and id (`hints.name_parts`, digits
    splitting words too: "head4" is "head")."""
    names = f"{element.get('class', '')} {element.get('id', '')}"
    return set(name_parts(_DIGITS.sub("-", names)))


# Box titles that rank as a level-3 heading (see `_level`).
_BOX_TITLE_CLASS = re.compile(
    "widget-title|block-title|section-title|module-title|grid-title|box-title|list-title|"
    "rail-title|teaser-title|heading|headline"
)

# Not h1: a page's h1 is its own title (or its logo), and the block under it the page.
_HEADING_LABEL_TAGS = frozenset(("h2", "h3", "h4", "h5", "h6"))
# Elements that caption what follows by what they are: a table head cell, a definition term,
# a fieldset's legend, a table caption.
_CAPTION_TAGS = frozenset(("th", "dt", "legend", "caption"))
# Elements that title a box when their class or id says so.
_TITLE_CLASS_TAGS = frozenset(("div", "span", "p", "strong", "b", "td", "header", "section"))
# Bold text that titles what follows when it stands alone on its line.
_EMPHASIS_TAGS = frozenset(("strong", "b"))
_ARIA_TAGS = frozenset(("section", "aside", "div", "nav", "ul"))
_LINE_BREAKS = frozenset(("br", "hr"))

_LABEL_SCAN_TAGS = tuple(
    _HEADING_LABEL_TAGS | _CAPTION_TAGS | _TITLE_CLASS_TAGS | _EMPHASIS_TAGS | _ARIA_TAGS
)


def _labelled_elements(tree: HtmlElement) -> list[HtmlElement]:
    """Every element that can label a block, in document order: headings, caption-like
    elements (``th``, ``dt``, ``legend``, ``caption``), elements whose class or id says
    header/title/heading, bold text alone on its line, and regions with an ``aria-label``.

    What kind of element it is decides nothing else: each still needs a short label and two
    or more article links after it, outside chrome (`generic_blocks`).
    """
    return [e for e in tree.getroottree().getroot().iter(*_LABEL_SCAN_TAGS) if _is_label(e)]


def _is_label(element: HtmlElement) -> bool:
    tag = element.tag
    return (
        tag in _HEADING_LABEL_TAGS
        or (tag in _CAPTION_TAGS and _captions_whole(element))
        or (tag in _ARIA_TAGS and element.get("aria-label") is not None)
        or (tag in _TITLE_CLASS_TAGS and _title_classed(element))
        or (tag in _EMPHASIS_TAGS and _alone_on_line(element))
    )


def _captions_whole(element: HtmlElement) -> bool:
    """A table head cell labels what follows only when it spans its row (one of several
    column heads labels a column of data)."""
    if element.tag != "th":
        return True
    row = element.getparent()
    return row is None or sum(1 for c in row if c.tag in ("th", "td")) == 1


def _title_classed(element: HtmlElement) -> bool:
    """A class or id that says the element titles a box, and no link list inside it."""
    if not (element.get("class") or element.get("id")) or not class_words(element) & _TITLE_WORDS:
        return False
    if any(True for _ in element.iterdescendants(*HEADING_TAGS)):
        return False  # a wrapper round a heading ("articleHeader"): the heading is the label
    return sum(1 for a in element.iter("a") if a.get("href")) < MIN_BLOCK_LINKS


def _alone_on_line(element: HtmlElement) -> bool:
    """Bold text with nothing else on its line: no text or inline element before it, and a
    line break, a block or its block's end after it (``<td><b>Related Stories</b><br>``)."""
    node = element
    while True:
        previous = node.getprevious()
        before = previous.tail if previous is not None else node.getparent().text
        if (before or "").strip() or (
            previous is not None
            and previous.tag not in _LINE_BREAKS
            and previous.tag not in BLOCK_TAGS
            and isinstance(previous.tag, str)
        ):
            return False
        if (node.tail or "").strip(" \t\r\n:"):
            return False
        following = node.getnext()
        if following is not None:
            return following.tag in _LINE_BREAKS or following.tag in BLOCK_TAGS
        parent = node.getparent()
        if parent is None or parent.tag in BLOCK_TAGS or parent.tag in ("td", "th", "body"):
            return True
        if parent.tag == "a":
            return False
        node = parent  # an inline wrapper (<font>, <span>) around the bold text alone


def generic_blocks(
    ctx: PageContext,
    skip: list[HtmlElement],
    exclude: list[HtmlElement] | None = None,
    body: list[HtmlElement] | None = None,
) -> tuple[list[RelatedBlock], list[list[HtmlElement]]]:
    """Label + ≥2 article links outside site chrome, prose and the profile's exclusions, and
    per block the elements to keep out of the body text (see `_removable`).

    Inside the article body a block also needs a label that says "related" (a body's own
    subheadings are followed by links too, and they are not a block).
    """
    tree, url, chrome, canonical = ctx.tree, ctx.url, ctx.chrome, ctx.canonical
    skip_set = set(skip)
    blocked = set(exclude or [])
    body = body or []
    _not_chrome_around(body, chrome, ctx.texts, tree)
    found: list[tuple[HtmlElement, RelatedBlock, list[HtmlElement], HtmlElement]] = []
    labels = _labelled_elements(tree)
    label_set = set(labels)
    for heading in labels:
        chain = [heading, *ancestors(heading)]
        if _label_in_chrome(heading, chrome) or any(n in skip_set or n in blocked for n in chain):
            continue
        if heading.tag not in HEADING_TAGS and any(a.tag == "a" for a in chain):
            continue  # a title inside a link is a teaser's, not a block's
        if heading.get("aria-label") and heading.tag not in HEADING_TAGS:
            # A labelled region with headings inside is a wrapper: its headings make the blocks.
            if any(True for _ in heading.iter(*HEADING_TAGS)):
                continue
            container = heading
        else:
            container = _container_for(heading)
        if container is None or any(
            n in skip_set or n in blocked for n in [container, *ancestors(container)]
        ):
            continue
        # One block per container, except for a series of labels made alike (bold lines, `dt`s
        # in one cell or list): each opens its own block, up to the next (`_anchors_under`).
        if is_chrome(container, chrome) or any(
            (container is c and not _same_kind(heading, h)) or c in container.iterancestors()
            for c, _, _, h in found
        ):
            continue
        # A block never holds a page's main heading: a container with another h1 is the page.
        if any(h is not heading for h in container.iter("h1")):
            continue
        # A container holding the article text is the page, not a block around it.
        if any(b is container or container in b.iterancestors() for b in body):
            continue
        if _is_card_title(heading, url):
            continue
        label = (
            clean_text(container.get("aria-label")) if container is heading else text_of(heading)
        )
        if not label or len(label) > LABEL_MAX_CHARS or is_chrome_label(label):
            continue
        if inside(container, body) and not (
            RELATED_HINT.search(label) or RELATED_HINT.search(class_and_id(container))
        ):
            continue
        anchors = [
            a for a in _anchors_under(heading, container, label_set)
            if not is_chrome(a, chrome) and not in_prose(a)
            and is_article_link(a, canonical(a.get("href", "")), url)
        ]  # fmt: skip
        if len(anchors) < MIN_BLOCK_LINKS:
            continue
        links = unique_links(
            [link_data(a, url, i + 1, _card_of(a, container), None) for i, a in enumerate(anchors)]
        )
        own = sum(same_site(link.url, url) for link in links)
        if own * 2 < len(links) and not (
            RELATED_HINT.search(label) or KIND_WORDS[0][1].search(label)
        ):
            continue  # mostly other sites under a plain heading: partners, services, citations
        if len(links) >= MIN_BLOCK_LINKS:
            found = [f for f in found if f[0] not in container.iterdescendants()]
            kind = (
                "inline"
                if inside(container, body) and INLINE_LABEL.match(label)
                else classify(label, container)
            )
            block = RelatedBlock(label=label, kind=kind, links=links)
            found.append((container, block, _removable(container, heading, anchors), heading))
    found.sort(key=lambda triple: document_order(triple[0]))
    return [b for _, b, _, _ in found], [e for _, _, e, _ in found]


def _not_chrome_around(
    body: list[HtmlElement], memo: dict[HtmlElement, bool], texts: TextCache, page: HtmlElement
) -> None:
    """Mark the page's wrappers around the article text as no chrome, whatever their class
    or tag: chrome (menus, dialogs, headers) sits beside the story, it does not hold the
    story and most of the page with it.

    Drupal wraps every page in `dialog-off-canvas-main-canvas` (54 corpus pages: every block
    under it was taken for a dialog's), ASP.NET in one `<form>`, paywalled sites the article
    in a `paywall` box. A wrapper is an ancestor of the article text holding at least
    `PAGE_WRAPPER_SHARE` of the page's text: a small `<header>` or menu around what was taken
    for the article stays chrome.
    """
    floor = PAGE_WRAPPER_SHARE * texts.length(page)
    for element in body:
        for node in (element, *ancestors(element)):
            if node.tag not in ("body", "html") and texts.length(node) >= floor:
                memo[node] = False


def _removable(
    container: HtmlElement, heading: HtmlElement, anchors: list[HtmlElement]
) -> list[HtmlElement]:
    """The elements a block takes out of the body text: its container, unless that also holds
    running prose (a heading with a few links met inside the article text), then only the
    container's parts holding the label and the links, or the label alone when those hold
    prose too (the label is at most a short line, never article text).

    A related block is a link list with short teasers; the article's paragraphs around it
    must stay in the body.
    """
    cards = ((_card_of(a, container), a) for a in anchors)
    covered = {heading, *(a if card is None else card for card, a in cards)}
    if not _is_prose(_text_outside(container, covered)):
        return [container]
    parts: list[HtmlElement] = []
    for element in covered:
        part = element
        while part.getparent() is not container and part is not container:
            part = part.getparent()
        if part is not container and part not in parts:
            parts.append(part)
    if any(_is_prose(_text_outside(p, covered)) for p in parts):
        return [heading]
    return sorted(parts, key=document_order)


_INVISIBLE_TAGS = frozenset(("script", "style", "noscript", "template"))


_SENTENCE_END = re.compile(r"[.!?](?=[\s\"'”’»)]|$)|[。！？]")


def _text_outside(element: HtmlElement, covered: set[HtmlElement]) -> str:
    """Visible text of `element` outside the `covered` elements (label, link cards)."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node in covered or node.tag in _INVISIBLE_TAGS:
            return
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            parts.append(child.tail or "")

    walk(element)
    return clean_text(" ".join(parts))


def _is_prose(text: str) -> bool:
    """Article paragraphs rather than a block's label, teasers or "more" link: several
    sentences and a few hundred characters."""
    return (
        len(text) >= REMOVABLE_PROSE_CHARS
        and len(_SENTENCE_END.findall(text)) >= REMOVABLE_PROSE_SENTENCES
    )


def _level(element: HtmlElement) -> int:
    """Heading level: h2 → 2; a box title ("widget-title") counts as a level-3 heading; any
    other label (bold line, ``dt``, ``th``, a "header" class) as below every heading, so a
    real heading after it starts another block."""
    if element.tag in HEADING_TAGS:
        return int(element.tag[1])
    return 3 if _BOX_TITLE_CLASS.search(element.get("class") or "") else 7


def _anchors_under(
    heading: HtmlElement, container: HtmlElement, labels: set[HtmlElement]
) -> list[HtmlElement]:
    """Links that follow `heading` in `container`, up to the next heading of its level or
    above, or the next label of its own kind (the next ``dt``, the next bold line).

    This is the outline rule: a link belongs to the nearest heading before it, so a block
    never takes the links of a sibling block that has its own heading.
    """
    if heading is container:
        return [a for a in container.iter("a") if a.get("href")]
    level = _level(heading)
    anchors, started = [], False
    inside_heading = set(heading.iter())
    for element in container.iter():
        if element is heading:
            started = True
            continue
        if not started or element in inside_heading or not isinstance(element.tag, str):
            continue
        is_heading = element.tag in HEADING_TAGS or "widget-title" in element.get("class", "")
        if is_heading and _level(element) <= level and not _is_teaser_title(element):
            break
        if _same_kind(element, heading) and element in labels:
            break
        if element.tag == "a" and element.get("href"):
            anchors.append(element)
    return anchors


def _is_teaser_title(heading: HtmlElement) -> bool:
    """A heading that is one link's text, or sits inside a link (``<a><h2>Title</h2></a>``):
    a teaser's title inside the block, not the heading of the next block."""
    return _is_card_title(heading, "") or any(a.tag == "a" for a in heading.iterancestors())


def _same_kind(element: HtmlElement, label: HtmlElement) -> bool:
    """Another label made like `label` (same tag and class): the next block of a series."""
    return (
        label.tag not in HEADING_TAGS
        and element.tag == label.tag
        and element.get("class") == label.get("class")
    )


def _label_in_chrome(label: HtmlElement, memo: dict[HtmlElement, bool]) -> bool:
    """Whether a label sits in site chrome. Its own class is not asked: "header" or
    "box-head" there is what makes it a label; its tag and role are, and its ancestors."""
    parent = label.getparent()
    return (
        (label.tag != "header" and is_chrome_tag(label))
        or (parent is not None and is_chrome(parent, memo))
        or (label.tag == "header" and is_chrome(label, memo))
    )


def _is_card_title(heading: HtmlElement, page_url: str) -> bool:
    """A heading that is itself one article link is a teaser's title, not a block label."""
    anchors = [a for a in heading.iter("a") if a.get("href")]
    if heading.tag == "a":
        anchors = [heading]
    if len(anchors) != 1 or text_of(anchors[0]) != text_of(heading):
        return False
    return not page_url or looks_like_article_url(
        canonicalize_url(anchors[0].get("href", ""), base=page_url), page_url
    )


def _container_for(heading: HtmlElement) -> HtmlElement | None:
    """The nearest ancestor (at most three levels up) that holds the heading and its links."""
    node = heading.getparent()
    for _ in range(CONTAINER_LEVELS):
        if node is None or node.tag in ("body", "html", "main"):
            return None
        if len([a for a in node.iter("a") if a.get("href")]) >= MIN_BLOCK_LINKS:
            # A wrapper holding several headed lists is not one block.
            headings = [h for h in node.iter(*HEADING_TAGS) if h is not heading]
            return node if len(headings) <= len(list(node.iter("a"))) else None
        node = node.getparent()
    return None


def _card_of(anchor: HtmlElement, container: HtmlElement) -> HtmlElement | None:
    """The list item or card that holds one link inside a block."""
    node = anchor
    for parent in ancestors(anchor):
        if parent is container:
            return node if node is not anchor else None
        if parent.tag in HEADING_TAGS or parent.tag == "a":
            node = parent
            continue
        if parent.tag in ("li", "article") or re.search(
            r"card|item|post|teaser|entry|story|tile", class_and_id(parent)
        ):
            return parent
        node = parent
    return None


def document_order(element: HtmlElement) -> int:
    return element.sourceline or 0
