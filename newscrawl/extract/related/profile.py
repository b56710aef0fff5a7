"""Blocks named exactly by a site profile's [[related]] rules."""

from __future__ import annotations

from lxml.html import HtmlElement

from ...profiles import RelatedBlockRule
from ..context import PageContext
from ..document import (
    HEADING_TAGS,
    ancestors,
    clean_text,
    select,
    select_text,
    text_of,
)
from ..result import LinkData, RelatedBlock
from .links import link_data, unique_links


def blocks_from_profile(ctx: PageContext) -> tuple[list[RelatedBlock], list[HtmlElement]]:
    """Blocks named by the profile's [[related]] rules, and the elements they occupy."""
    blocks, used = [], []
    for rule in ctx.profile.related if ctx.profile else ():
        for container in select(ctx.tree, rule.container):
            if not isinstance(container, HtmlElement):
                continue
            block = _block_from_rule(container, ctx.url, rule)
            if block.links:
                blocks.append(block)
                used.append(container)
    return blocks, used


def _block_from_rule(container: HtmlElement, url: str, rule: RelatedBlockRule) -> RelatedBlock:
    label = (
        rule.label_text
        or select_text(container, rule.label)
        or _heading_label(container)
        or "Related"
    )
    links: list[LinkData] = []
    items = select(container, rule.item) if rule.item else [container]
    for item in items:
        anchors = [
            a for a in select(item, rule.link) if isinstance(a, HtmlElement) and a.get("href")
        ]
        if rule.label is not None:
            label_elements = set(select(container, rule.label))
            anchors = [
                a for a in anchors if not any(e in label_elements for e in [a, *ancestors(a)])
            ]
        for anchor in anchors if rule.item is None else anchors[:1]:
            teaser = select_text(item, rule.teaser) if rule.teaser else None
            links.append(
                link_data(anchor, url, len(links) + 1, item if rule.item else None, teaser)
            )
    return RelatedBlock(label=label, kind=rule.kind, links=unique_links(links))


def _heading_label(container: HtmlElement) -> str | None:
    label = clean_text(container.get("aria-label"))
    if label:
        return label
    for heading in container.iter(*HEADING_TAGS):
        text = text_of(heading)
        if text:
            return text
    titled = container.xpath(
        ".//*[contains(@class,'title') or contains(@class,'headline') or contains(@class,'header')]"
    )
    for element in titled:
        if not any(True for _ in element.iter("a")) and (text := text_of(element)):
            return text
    return None
