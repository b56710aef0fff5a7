"""Article body text.

A profile's body selector wins; otherwise the generic extractor runs on a copy of the page
from which comment areas and related-link blocks were already removed, so neither can leak
into the body. The generic extractor's stages, in order, each in its module:

1. `prune`: drop what is never body text (scripts, media, forms, navigation, hidden blocks);
2. `measure`: measure every element once (text, link text, running text, prose, class hints);
3. `main_block`: find the block holding the story, two ways, and what continues it;
4. `paragraphs` (with `lines`): its paragraphs, boxes and crumbs that are not prose left out;
   `scorer` runs stages 2-4 and says how far the two ways agree;
5. `referee`: trafilatura decides where they disagree;
6. `referee`: the page's JSON-LD articleBody replaces a result that lost the story.
"""

from __future__ import annotations

import copy

from lxml.html import HtmlElement

from ...profiles import Selector
from .. import metadata, models
from ..context import PageContext
from ..document import paragraphs as text_paragraphs
from ..document import remove_elements, select
from ..result import ArticleData
from ..thresholds import (
    AGREEMENT,
)
from . import learned, prune, referee, scorer

__all__ = ["NOISE_XPATH", "body_from_selector", "extract_body", "generic_body"]

# Never body text, whatever the site: captions, share bars, "read also" boxes, forms.
NOISE_XPATH = (
    ".//figcaption | .//form | .//button | .//nav | .//script | .//style | .//noscript | .//template"
    ' | .//*[@aria-hidden="true"]'
    " | .//*[contains(@class,'share') or contains(@class,'social') or contains(@class,'newsletter')"
    " or contains(@class,'lire-aussi') or contains(@class,'read-also') or contains(@class,'read-more')"
    " or contains(@class,'related') or contains(@class,'advert') or contains(@class,'sponsor')]"
)


def extract_body(
    ctx: PageContext, tree: HtmlElement, article: ArticleData | None = None
) -> str | None:
    """The article body as paragraphs separated by blank lines, or None.

    `tree` is a copy of the page the caller no longer needs (comment areas and related blocks
    taken out): extraction prunes it in place. `article`: the fields found so far (the block
    model reads the title and the declared summary).
    """
    profile = ctx.profile
    if profile and "body" in profile.article:
        text = body_from_selector(tree, profile.article["body"], profile.body_exclude)
        if text:
            return text
    return generic_body(ctx, tree, metadata.article_body(tree), article)


def body_from_selector(
    tree: HtmlElement, selector: Selector, exclude: tuple[Selector, ...]
) -> str | None:
    """Paragraphs under the profile's body selector, minus its exclusions and known noise."""
    matches = [m for m in select(tree, selector) if isinstance(m, HtmlElement)]
    if not matches:
        return None
    texts: list[str] = []
    for match in matches:
        element = copy.deepcopy(match)
        for rule in exclude:
            remove_elements(e for e in select(element, rule) if isinstance(e, HtmlElement))
        remove_elements(element.xpath(NOISE_XPATH))
        texts.extend(text_paragraphs(element))
    return "\n\n".join(texts) or None


def generic_body(
    ctx: PageContext,
    tree: HtmlElement,
    article_body: str | None = None,
    article: ArticleData | None = None,
) -> str | None:
    """Body without a profile: our DOM scorer, checked against trafilatura when unsure, and
    a learned model deciding block by block.

    The DOM scorer runs two methods of finding the main block. When they agree it is trusted
    as it is (most pages, and the fast path). When they disagree, trafilatura is asked too
    and acts as the referee: the candidate nearest to its text wins, and its own text wins
    when neither is near. That is the rules' text; where a block model is shipped
    (`models`), it keeps or drops every block of the page with the rules' choice as one of
    its inputs (`learned`). `article_body` (JSON-LD) replaces a result it contains and
    clearly extends: pages that render the rest of the story with scripts. The scorer's
    measures of the page stay on the context (`PageContext.body_measures`).
    """
    prune.prune(tree)
    found = scorer.extract(tree)
    ctx.body_measures = found.measures
    text = found.text
    refereed = False
    if found.confidence < AGREEMENT:
        # On the pruned tree: measured as good as on the unpruned one, and no copy to make.
        judged = referee.trafilatura_body(tree, ctx.url) or ""
        candidates = [text, "\n\n".join(found.alternative)]
        scores = [scorer.similarity(judged, c) for c in candidates]
        best = max(range(len(candidates)), key=scores.__getitem__)
        refereed = scores[best] < AGREEMENT
        text = judged if refereed else candidates[best]
    model = models.current().get("body")
    if model is not None or ctx.collect is not None:
        analysis = learned.analyse(
            tree,
            found,
            text,
            refereed,
            article.title if article else None,
            article_body,
            article.lead if article else None,
        )
        if ctx.collect is not None:
            ctx.collect["body"] = analysis
        if model is not None:
            text = learned.choose(analysis, model, models.current().get("body_context"))
    if article_body:
        text = referee.prefer_article_body(text, article_body)
    return text or None
