"""The repeated blocks of a comment area that are single comments, and the best areas of a
page (non-overlapping, those whose items most plainly say they are comments)."""

from __future__ import annotations

import re
from collections import defaultdict

from lxml.html import HtmlElement

from ..context import PageContext
from ..document import TextCache, ancestors
from ..thresholds import (
    ITEM_MAX_LINK_DENSITY,
    ITEM_MIN_CHARS,
)
from .areas import SKIP_TAGS, comment_areas, heading_known, naming_tokens, signature
from .fields import HAS_DIGIT, date_in
from .text import PINGBACK

_ITEM_TAGS = frozenset({"li", "div", "article", "section", "dd", "tr", "aside", "blockquote"})


def _link_density(element: HtmlElement, text: str, texts: TextCache) -> float:
    if not text:
        return 1.0
    linked = sum(texts.length(a) for a in element.iter("a"))
    return min(1.0, linked / len(text))


def _item_like(element: HtmlElement) -> int:
    """How plainly a block says it is one comment: 2 by class or schema.org type, 1 by a
    numbered id, 0 not at all (a lone block must say so to count)."""
    if (
        naming_tokens(element)
        or "Comment" in (element.get("itemtype") or "")
        or element.get("data-comment-id")
    ):
        return 2
    ident = element.get("id", "")
    first = next(iter(element), None)
    if (
        HAS_DIGIT.search(ident)
        and re.search(r"comment|kommentar|post|msg|message|c\d|reply", ident, re.I)
    ) or (first is not None and first.tag == "a" and HAS_DIGIT.search(first.get("id") or "")):
        return 1
    return 0


def _page_wide(form: HtmlElement, ctx: PageContext) -> bool:
    """A form that holds most of the page's text wraps the page (ASP.NET), not a comment box.

    Text lengths are kept on the page's context: every comment area inside such a form asks
    again, and the body's text is the whole page.
    """
    body = next((a for a in ancestors(form) if a.tag == "body"), None)
    if body is None:
        return False
    return ctx.text_length(form) * 2 > ctx.text_length(body)


def _area_elements(zone: HtmlElement, scope: tuple[HtmlElement, ...] | None):
    """Every element of an area, the zone itself excluded."""
    if scope is None:
        yield from zone.iterdescendants()
        return
    for top in scope:
        yield from top.iter()


def _outside_skipped(zone: HtmlElement, scope: tuple[HtmlElement, ...] | None):
    """The area's elements (`_area_elements`) that no `SKIP_TAGS` element holds below the
    zone, in document order: one walk that does not enter those elements, where asking each
    element's ancestors cost the depth of the page for every element of every area."""
    if scope is None:
        tops = list(zone)
    else:
        tops = [t for t in scope if not any(a.tag in SKIP_TAGS for a in ancestors_until(t, zone))]
    stack = list(reversed(tops))
    while stack:
        element = stack.pop()
        yield element
        if element.tag not in SKIP_TAGS:
            stack.extend(reversed(element))


def _items_in_zone(
    ctx: PageContext, zone: HtmlElement, scope: tuple[HtmlElement, ...] | None = None
) -> tuple[list[HtmlElement], int]:
    """The repeated blocks of a zone that are single comments (replies may nest inside), and
    how plainly they say so (see `_item_like`). A lone block counts when it says so, or when
    it follows a comment heading and carries a date."""
    groups: dict[tuple[str, tuple[str, ...]], list[HtmlElement]] = defaultdict(list)
    # A form round the area is a comment form, unless it wraps the whole page (ASP.NET).
    in_form = any(a.tag == "form" and not _page_wide(a, ctx) for a in (zone, *ancestors(zone)))
    for element in () if in_form else _outside_skipped(zone, scope):
        if not isinstance(element.tag, str) or element.tag not in _ITEM_TAGS:
            continue
        if PINGBACK.search(element.get("class", "")):
            continue  # another site's link notice, not a reader's comment
        groups[signature(element)].append(element)
    # Blocks that hold a thread heading ("Kommentare") are sections of a page, not comments.
    headings = [
        e for e in _area_elements(zone, scope) if isinstance(e.tag, str) and _heading(ctx, e)
    ]
    holders = {a for h in headings for a in (h, *ancestors_until(h, zone))}
    valid: list[list[HtmlElement]] = []
    for members in groups.values():
        if any(m in holders for m in members):
            continue
        texts = [ctx.texts.text(m) for m in members]
        if sum(len(t) for t in texts) / len(texts) < ITEM_MIN_CHARS:
            continue
        density = sum(_link_density(m, t, ctx.texts) for m, t in zip(members, texts, strict=True))
        if density / len(members) > ITEM_MAX_LINK_DENSITY:
            continue
        if (
            len(members) == 1
            and not _item_like(members[0])
            and not (scope and members[0] in scope and date_in(members[0], ctx.date_languages)[0])
        ):
            continue
        valid.append(members)
    if not valid:
        return [], 0
    member_sets = [set(m) for m in valid]

    def own_count(element: HtmlElement, own_set: set, other: set) -> int:
        return sum(
            1
            for d in element.iterdescendants()
            if d in other and next((a for a in ancestors(d) if a in own_set), None) is element
        )

    named_of = [sorted((_item_like(m) for m in ms), reverse=True)[len(ms) // 2] for ms in valid]
    candidates = []
    for index, members in enumerate(valid):
        own_set = member_sets[index]
        container = False
        for other_index, other in enumerate(member_sets):
            # Blocks that say "comment" hold their anonymous inner divs; they are no container
            # of those (React threads: header, body and footer divs without classes).
            if other_index == index or named_of[other_index] < named_of[index]:
                continue
            many = sum(1 for m in members if own_count(m, own_set, other) >= 2)
            if many * 2 > len(members):
                container = True
                break
        if not container:
            depth = min(sum(1 for _ in ancestors_until(m, zone)) for m in members)
            candidates.append((-named_of[index], depth, -len(members), index))
    if not candidates:
        return [], 0
    best = min(candidates)
    chosen = valid[best[3]]
    # Replies and flagged comments carry other classes ("wc-comment wc-reply wc-blog-user",
    # "xenforo-comment" beside "xenforo-comment xenforo-read-more-target"): same tag, and a
    # superset of the tokens or the same token that names the block a comment.
    tag, tokens = signature(chosen[0])
    if tokens:
        chosen_set = set(chosen)
        naming = naming_tokens(chosen[0])
        extra = [
            e
            for e in _area_elements(zone, scope)
            if e.tag == tag
            and e not in chosen_set
            and (set(tokens) <= set(signature(e)[1]) or naming & naming_tokens(e))
        ]
        chosen = [e for e in _area_elements(zone, scope) if e in chosen_set or e in extra]
    return chosen, -best[0]


def _heading(ctx: PageContext, element: HtmlElement) -> bool:
    """`heading_like`, answered once per element of the page: nested areas ask of the same
    elements again."""
    return heading_known(element, ctx.texts, ctx.comment_headings)


def best_zones(
    ctx: PageContext,
) -> list[tuple[HtmlElement, list[HtmlElement], list[HtmlElement]]]:
    """Non-overlapping comment areas with their items and the elements that make them up, in
    page order. Where areas nest, the one whose items most plainly say they are comments wins:
    a page-wide block that mentions comments loses to the comment list inside it."""
    scored = []
    areas = comment_areas(ctx.tree, ctx.texts, ctx.comment_headings)
    # A heading inside a wide block narrows it: the blocks after "Kommentare" beat the whole
    # column (which also holds the article or a forum thread's first post).
    narrowed = {id(zone) for zone, scope in areas if scope}
    for order, (zone, scope) in enumerate(areas):
        items, named = _items_in_zone(ctx, zone, scope)
        if items:
            wide = scope is None and id(zone) in narrowed
            scored.append((-named, wide, -len(items), order, zone, items, list(scope or (zone,))))
    chosen: list[tuple[int, HtmlElement, list[HtmlElement], list[HtmlElement]]] = []
    for _, _, _, order, zone, items, parts in sorted(scored, key=lambda s: s[:4]):
        if any(_overlap(parts, other) for _, _, _, other in chosen):
            continue
        chosen.append((order, zone, items, parts))
    return [(zone, items, parts) for _, zone, items, parts in sorted(chosen, key=lambda c: c[0])]


def _overlap(first: list[HtmlElement], second: list[HtmlElement]) -> bool:
    return any(a is b or a in ancestors(b) or b in ancestors(a) for a in first for b in second)


def ancestors_until(element: HtmlElement, stop: HtmlElement):
    for node in ancestors(element):
        if node is stop:
            return
        yield node
