"""Related-link blocks: labelled lists of links around an article.

A profile can name its blocks exactly (`profile`); otherwise a generic detector finds them.
A block is a label the page shows (a heading, an aria-label, an element whose class names it
a title) with two or more links to article-like pages (`headed`, `links`). Never a block:
navigation, menus, breadcrumbs, footers, tag clouds, share bars, pagination, author boxes and
comment areas, and links inside running prose (`chrome`). Two more shapes are recognised:
third-party recommendation widgets (Outbrain, Taboola and the like, kind ``sponsored``:
`sponsored`), and "read also" callouts inside the article body (kind ``inline``: `inline`),
which `body_area` locates.

Why so many rules: researchers use these blocks as a link graph, so a menu taken for a
"related" list is worse than a block missed. Each rule errs on the side of leaving out.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from ..context import PageContext
from ..document import select
from ..result import RelatedBlock
from .adjacent import adjacent_blocks
from .body_area import find_body_elements, inside
from .chrome import classify, in_prose, is_chrome_label
from .headed import document_order, generic_blocks
from .inline import inline_blocks
from .links import is_article_link, looks_like_article_url, strong_article_url
from .profile import blocks_from_profile
from .sponsored import sponsored_blocks

__all__ = [
    "classify",
    "extract_related",
    "find_body_elements",
    "in_prose",
    "is_article_link",
    "is_chrome_label",
    "looks_like_article_url",
    "strong_article_url",
]


def extract_related(
    ctx: PageContext, body_elements: list[HtmlElement], comment_elements: list[HtmlElement]
) -> tuple[list[RelatedBlock], list[HtmlElement]]:
    """All related blocks of the page in page order, and the elements they occupy (kept out
    of the body text).

    `body_elements` hold the article text (see `find_body_elements`): blocks inside them
    need a "related" label, and "read also" callouts there become `inline` blocks.
    """
    tree, profile = ctx.tree, ctx.profile
    blocks: list[RelatedBlock] = []
    used: list[HtmlElement] = []
    if profile and profile.related:
        blocks, used = blocks_from_profile(ctx)
    if profile is None or profile.related_generic:
        excluded = [
            e for s in (profile.related_exclude if profile else ()) for e in select(tree, s)
        ]
        found: list[tuple[RelatedBlock, list[HtmlElement]]] = []
        sponsored, sponsored_used = sponsored_blocks(ctx, used + excluded)
        found += [(b, [e]) for b, e in zip(sponsored, sponsored_used, strict=True)]
        taken = used + sponsored_used
        headed, headed_used = generic_blocks(
            ctx, skip=taken + comment_elements, exclude=excluded, body=body_elements
        )
        found += list(zip(headed, headed_used, strict=True))
        taken += [e for elements in headed_used for e in elements] + excluded
        found += adjacent_blocks(ctx, taken + comment_elements)
        found += inline_blocks(ctx, [b for b in body_elements if not inside(b, taken)])
        found.sort(key=lambda pair: document_order(pair[1][0]))
        known = {b.label.casefold() for b in blocks}
        targets = [{link.url for link in b.links} for b in blocks]
        for block, elements in found:
            urls = {link.url for link in block.links}
            # The same list shown twice (a desktop and a mobile copy) is one block.
            if block.label.casefold() not in known and urls not in targets:
                known.add(block.label.casefold())
                targets.append(urls)
                blocks.append(block)
                used += elements
    return blocks, used
