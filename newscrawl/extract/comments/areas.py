"""Where a page's comment thread is: blocks named as comment areas by class or id, or opened
by a heading that names the thread ("Kommentare", "12 Comments", "Vos réactions")."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from .. import lexicon
from ..document import TextCache, ancestors, xpath
from ..thresholds import (
    HEADING_LEAD_CHARS,
    HEADING_WRAPPER_CHARS,
    ZONE_HEADING_MAX_CHARS,
)

# A class/id token naming a comment area (not a form, counter, link or widget about comments).
_ZONE_TOKEN = re.compile(
    r"^(?!(?:tag|category|cat|post|postid|format|page|single|term|has|type)[-_])"
    rf"(?:.*[-_])?(?:{lexicon.COMMENT_AREA_WORDS})(?:[-_]?(?:{lexicon.COMMENT_AREA_SUFFIXES}))*$",
    re.I,
)

_NOT_ZONE = re.compile(lexicon.NOT_COMMENT_AREA_WORDS, re.I)

_ZONE_HEADING = re.compile(
    rf"^\W*(?:\d+\s+)?(?:leser-?)?(?:{lexicon.COMMENT_HEADINGS})\b[^.!?]{{0,40}}$", re.I
)

SKIP_TAGS = frozenset({"form", "nav", "script", "style", "noscript", "template", "button"})


_NOISE_TOKEN = re.compile(
    r"^(?:odd|even|alt|first|last|parent|byuser|bypostauthor|highlander|thread-.*|depth-.*|"
    r"comment-author-.*|level-.*|is-.*|has-.*|clearfix|cf|group|row|show|active|visible|"
    r"(?:top|inline)level-thread|toplevel-thread|inline-thread|new|unread|.*\d.*)$",
    re.I,
)

_ITEM_TOKEN = re.compile(
    r"^(?!(?:add|write|leave|new|no|show|load|more|view|all|open|close|toggle|recent|latest|"
    rf"top|most|count|confirm|cancel|delete|edit|report|submit)[-_])(?:[a-z0-9]+[-_])?(?:{lexicon.COMMENT_ITEM_WORDS})"
    r"(?:s?[-_]?(?:item|entry|single|box|wrap|wrapper|container|con|block|card))?$",
    re.I,
)

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def word_token(token: str) -> str:
    """``kommentarModul`` → ``kommentar-modul``, ``MtnComment`` → ``mtn-comment``: camelCase
    class names read like hyphenated ones."""
    if token.islower():  # no capital, so no camel hump: skip the regex (3x faster)
        return token.lower()
    return _CAMEL.sub("-", token).lower()


def _is_zone(element: HtmlElement) -> bool:
    classes, ident = element.get("class"), element.get("id")
    return bool(classes or ident) and _is_zone_name(classes or "", ident or "")


@lru_cache(maxsize=8192)
def _is_zone_name(classes: str, ident: str) -> bool:
    """`_is_zone` by class and id: pages repeat the same few hundred class strings, so each is
    tested once (the test ran on every element of every page)."""
    tokens = [word_token(t) for t in f"{classes} {ident}".split()]
    return any(_ZONE_TOKEN.match(t) for t in tokens) and not any(
        _NOT_ZONE.search(t) for t in tokens if _ZONE_TOKEN.match(t)
    )


# A comment area given as a block, or as the blocks that follow a heading inside a wider one.
Area = tuple[HtmlElement, tuple[HtmlElement, ...] | None]

_WRITE_HEADING = re.compile(lexicon.COMMENT_FORM_HEADINGS, re.I)
# "#1 Kommentar von Naru-chan", "Comment by Ann": one comment's byline, not a thread heading.
BYLINE = re.compile(
    rf"^\W*(?:\d+\.?\s*)?(?:{lexicon.COMMENT_BYLINE_NOUNS})"
    rf"\s+(?:{lexicon.COMMENT_BYLINE_PREPOSITIONS})\s+(\S.{{0,59}})$",
    re.I,
)

_HEADING_CLASS = re.compile(r"title|head|rubri|caption|label|bar\b", re.I)


INNER_BLOCK_TAGS = ("div", "p", "ul", "ol", "li", "table", "section", "article", "form", "h1", "h2")


def heading_like(element: HtmlElement, texts: TextCache) -> bool:
    """A heading, or a short block standing for one (``<div class="titlebar">Kommentare</div>``),
    that names a comment thread (not a "write a comment" form title, not a link)."""
    if element.tag in ("h2", "h3", "h4", "h5", "h6"):
        pass
    elif element.tag in ("div", "p", "header"):
        # A block that only says so by its class: "titlebar", "rubrik", "section-heading".
        # (The class test comes first: it is cheap and rules out nearly every block.)
        if not _HEADING_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}") or any(
            True for _ in element.iterdescendants(*INNER_BLOCK_TAGS)
        ):
            return False
    else:
        return False
    text = texts.text(element)
    return bool(
        len(text) <= ZONE_HEADING_MAX_CHARS
        and _ZONE_HEADING.match(text)
        and not _WRITE_HEADING.search(text)
        and not BYLINE.match(text)
        and not any(a.tag in ("a", "button", "label", "nav") for a in ancestors(element))
    )


# Answers of `heading_like` already given on a page (`PageContext.comment_headings`).
Headings = dict[HtmlElement, bool]


def heading_known(element: HtmlElement, texts: TextCache, known: Headings | None) -> bool:
    """`heading_like`, answered once per element when `known` keeps the answers: the areas
    of a page ask of the same elements again (every element after a heading in <body>)."""
    if known is None:
        return heading_like(element, texts)
    found = known.get(element)
    if found is None:
        found = known[element] = heading_like(element, texts)
    return found


def _heading_area(
    heading: HtmlElement, texts: TextCache, known: Headings | None = None
) -> Area | None:
    """The block a comment heading opens: its parent when the heading comes first (after
    climbing out of wrappers that hold only the heading), else the blocks that follow the
    heading up to the next heading or form ("Kommentare" inside a page-wide column)."""
    node = heading
    size = len(texts.text(heading))
    parent = node.getparent()
    # Climb out of wrappers that are part of the heading (``div.secthead > h2``), not out of
    # a whole section whose list loads later (a "Kommentare" widget filled by JavaScript).
    while (
        parent is not None
        and parent.tag not in ("body", "html")
        and len(texts.text(parent)) <= size + HEADING_WRAPPER_CHARS
        and (
            _HEADING_CLASS.search(f"{parent.get('class', '')} {parent.get('id', '')}")
            or not (parent.get("class") or parent.get("id"))
        )
    ):
        node, parent = parent, parent.getparent()
    if parent is None:
        return None
    # A heading straight in <body> (old table-less pages) opens only the blocks after it.
    top = parent.tag in ("body", "html")
    before = list(node.itersiblings(preceding=True))
    # Other blocks shaped like the heading ("Stellenmarkt", "Verwandte Artikel") make the
    # parent a column of sections: only the heading's own section is the thread.
    shape = signature(node)
    sections = [
        d for d in parent.iterdescendants(node.tag) if d is not node and signature(d) == shape
    ]
    if (
        not top
        and not sections
        and sum(len(texts.text(s)) for s in before if isinstance(s.tag, str)) <= HEADING_LEAD_CHARS
        and not any(heading_known(s, texts, known) for s in before if isinstance(s.tag, str))
    ):
        return parent, None
    scope = []
    for sibling in node.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if (
            sibling in sections
            or sibling.tag in ("h1", "h2", "h3", "form", "aside", "nav", "footer")
            or xpath(sibling, "descendant-or-self::form | descendant-or-self::h1")
            or any(not BYLINE.match(texts.text(h)) for h in sibling.iterdescendants("h2", "h3"))
        ):
            break  # the next section of the page
        if heading_known(sibling, texts, known) or any(
            heading_known(d, texts, known) for d in sibling.iterdescendants()
        ):
            break
        scope.append(sibling)
    return (parent, (node, *scope)) if scope else None


def comment_areas(tree: HtmlElement, texts: TextCache, known: Headings | None = None) -> list[Area]:
    """Outermost elements that hold a page's comment thread (by class/id or by heading);
    `known`: the page's `heading_like` answers, kept (see `heading_known`)."""
    areas: list[tuple[HtmlElement, tuple[HtmlElement, ...] | None, bool]] = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("html", "body", "head"):
            continue
        if element.tag in SKIP_TAGS:
            continue
        if element.tag not in ("a", "span", "p") and _is_zone(element):
            areas.append((element, None, True))
        if heading_known(element, texts, known):
            area = _heading_area(element, texts, known)
            if area is not None:
                areas.append((*area, False))
    # A zone named by its class that is one of several alike blocks (li.kommentar,
    # li.kommentar…) is an item: its parent holds the thread. A zone named only by its id
    # (``div#kommentare``, an anchor) is unique, so classless siblings do not make it one of
    # many; and the parent must be mostly those blocks, not a column that also holds the
    # article's text.
    lifted: list[Area] = []
    common = _common_holders(areas, texts)
    for zone, scope, by_class in areas:
        parent = zone.getparent()
        alike = [
            s
            for s in (parent if by_class and parent is not None and zone.get("class") else ())
            if s.tag == zone.tag and s.get("class") == zone.get("class")
        ]
        if (
            len(alike) > 1
            and parent.tag not in ("body", "html")
            and 2 * sum(len(texts.text(s)) for s in alike) >= len(texts.text(parent))
        ):
            lifted.append((parent, None))
        elif id(zone) in common:
            lifted.append((common[id(zone)], None))
        else:
            lifted.append((zone, scope))
    unique = {(id(z), tuple(id(e) for e in s or ())): (z, s) for z, s in lifted}
    return [(z, s) for z, s in unique.values() if not any(_holds_article(e) for e in s or (z,))]


def _common_holders(
    areas: list[tuple[HtmlElement, tuple[HtmlElement, ...] | None, bool]], texts: TextCache
) -> dict[int, HtmlElement]:
    """Zones whose class names one comment (``div.Comment``, ``article.comment-item``) and
    that repeat across the page, each in its own wrapper (React threads nest every comment in
    a few anonymous divs), are items: they map to their lowest common ancestor, when that
    holder is mostly made of them."""
    groups: dict[tuple[str, tuple[str, ...]], list[HtmlElement]] = defaultdict(list)
    for zone, scope, by_class in areas:
        if by_class and scope is None and naming_tokens(zone):
            groups[signature(zone)].append(zone)
    holders: dict[int, HtmlElement] = {}
    for zones in groups.values():
        if len(zones) < 2:
            continue
        chains = [[zone, *ancestors(zone)] for zone in zones]
        shared = set(map(id, chains[0]))
        for chain in chains[1:]:
            shared &= set(map(id, chain))
        holder = next((a for a in chains[0] if id(a) in shared), None)
        if holder is None or holder.tag in ("body", "html") or holder in zones:
            continue
        # The holder must be mostly those blocks: a column that also holds the article and
        # a few alike dialogs ("Post your comment?") is no thread.
        if _holds_article(holder) or 2 * sum(len(texts.text(z)) for z in zones) < len(
            texts.text(holder)
        ):
            continue
        for zone in zones:
            holders[id(zone)] = holder
    return holders


def _holds_article(zone: HtmlElement) -> bool:
    """Too wide to be a comment area: it holds the article's title or body."""
    return bool(
        xpath(
            zone,
            ".//*[@itemprop='articleBody'] | .//h1[not(ancestor::form)]"
            "[not(contains(@class,'comment')) and not(contains(@class,'title comment'))]",
        )
    )


def signature(element: HtmlElement) -> tuple[str, tuple[str, ...]]:
    """An element's tag and its class tokens that are not noise, sorted: blocks made alike."""
    return _signature(element.tag, element.get("class", ""))


@lru_cache(maxsize=8192)
def _signature(tag: str, classes: str) -> tuple[str, tuple[str, ...]]:
    """`signature` by tag and class string: a page repeats a few hundred of them, and the
    areas of a page ask of the same elements many times."""
    tokens = sorted(t.lower() for t in classes.split() if not _NOISE_TOKEN.match(t))
    return tag, tuple(tokens)


def naming_tokens(element: HtmlElement) -> set[str]:
    """The class tokens that say "one comment" (``comment``, ``wc-comment``, ``commentsCon``)."""
    words = (word_token(t) for t in element.get("class", "").split())
    return {w for w in words if _ITEM_TOKEN.match(w)}


# Comment areas (list, form, counters) as a whole: never body text. Tested in Python over one
# `iter()` pass; the same test as a `//*[…contains(@class…)]` XPath took ~2 ms a page.
_COMMENT_AREA_IDS = frozenset(lexicon.COMMENT_AREA_IDS)
_COMMENT_AREA_CLASS = re.compile(lexicon.COMMENT_AREA_CLASSES)


def marked_comment_areas(tree: HtmlElement) -> list[HtmlElement]:
    """Elements whose id or class names a comment area (with or without comments found in
    it: a form, a counter, a list a script fills), in document order."""
    return [
        e
        for e in tree.getroottree().getroot().iter(etree.Element)
        if e.get("id") in _COMMENT_AREA_IDS or _COMMENT_AREA_CLASS.search(e.get("class") or "")
    ]
