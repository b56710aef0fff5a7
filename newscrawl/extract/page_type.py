"""Which kind of page this is: an article, or a listing, forum thread, product, service page,
documentation or collection, which the crawl counts but does not store as articles.

A gradient-boosted classifier over `page_features` decides, learned from WCXB's labelled page
types and the article pages of the other corpus sets (`benchmarks/train_models.py`). A site
profile's `article_url_pattern` refuses the URLs it does not match; without a shipped model
the rules (`article.is_article`) decide alone.
"""

from __future__ import annotations

import re

from . import models
from .page_features import page_features
from .thresholds import ARTICLE_MIN_WORDS

PAGE_TYPES = ("article", "listing", "forum", "product", "service", "documentation", "collection")
_WORDS = re.compile(r"\w+")


def classify(features: dict[str, float], model) -> tuple[str, dict[str, float]]:
    """The page type and the model's probability for each type."""
    row = [float(features.get(name, 0.0)) for name in model.features]
    probabilities = dict(zip(model.classes, map(float, model.predict([row])[0]), strict=True))
    threshold = float(model.settings.get("article_threshold", 0.5))
    if probabilities.get("article", 0.0) >= threshold:
        return "article", probabilities
    others = {k: v for k, v in probabilities.items() if k != "article"}
    return max(others, key=others.__getitem__), probabilities


def decide(ctx, article, comments: list, related: list, rule_article: bool) -> str:
    """The page's type (`PAGE_TYPES`), from the model, the profile's URL pattern and, without
    a model, the rules' answer (`rule_article`)."""
    model = models.current().get("page_type")
    words = len(_WORDS.findall(article.body or ""))  # as the rules count (a CJK run is one)
    has_text = bool(article.title) and words >= ARTICLE_MIN_WORDS
    features = None
    if model is not None or ctx.collect is not None:
        features = page_features(
            ctx.tree,
            ctx.url,
            ctx.sources,
            article,
            comments,
            related,
            rule_article,
            ctx.lines_after_headline(),
        )
        if ctx.collect is not None:
            ctx.collect["page_features"] = features
    # A profile's pattern is a condition: a URL it does not match is never an article.
    profile = ctx.profile
    refused = (
        profile is not None
        and profile.article_url_pattern is not None
        and not (profile.is_article_url(article.canonical_url) or profile.is_article_url(ctx.url))
    )
    if model is None or features is None:
        return "article" if rule_article and not refused else "listing"
    kind, probabilities = classify(features, model)
    if kind == "article" and (refused or not has_text):
        probabilities.pop("article")
        return max(probabilities, key=probabilities.__getitem__)
    return kind
