"""A thread's further pages and the post id comment APIs ask for."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urldefrag

from lxml.html import HtmlElement

from ...profiles import Selector
from ...urls import is_tracking_param, join_url, url_parts
from .. import lexicon
from ..document import ancestors, select, select_text, text_of, xpath

_PAGE_LINK_TEXT = re.compile(lexicon.COMMENT_PAGE_LINKS, re.I)
_PAGE_PARAMS = ("cpage", "page", "comment_page", "comments_page", "commentpage", "pg", "p")


_COMMENT_PAGE_PATH = re.compile(r"/comment-page-\d+/?$|/comments?/page/\d+/?$")


def _article_path(url: str) -> tuple[str, str, str]:
    """Host, path and query of `url` with any comment-page part taken out."""
    parts = url_parts(url)
    path = _COMMENT_PAGE_PATH.sub("/", parts.path).rstrip("/") or "/"
    query = "&".join(
        f"{k}={v}"
        for k, v in parse_qsl(parts.query)
        if k.lower() not in _PAGE_PARAMS and not is_tracking_param(k)
    )
    return parts.netloc.lower(), path, query


def comment_page_links(tree: HtmlElement, url: str, selector: Selector | None = None) -> list[str]:
    """Links to the other pages of this article's comment thread, in page order.

    A link counts when the profile's selector matches it, when it is a WordPress
    ``comment-page-N`` / ``?cpage=N`` link of the same article, or when it sits in a comment
    navigation block (or says "older comments") and points at the same article with a page
    parameter. Links to other articles or the article's own pages never count.
    """
    here = _article_path(url)
    current = urldefrag(url)[0]
    found: list[str] = []
    if selector is not None:
        anchors = [a for a in select(tree, selector) if isinstance(a, HtmlElement)]
        candidates = [(a, True) for a in anchors]
    else:
        candidates = [(a, False) for a in tree.iter("a")]
    for anchor, trusted in candidates:
        href = anchor.get("href")
        if not href or href.startswith(("javascript:", "mailto:")):
            continue
        joined = join_url(url, href)
        if joined is None:
            continue
        target = urldefrag(joined)[0]
        if target == current or _article_path(target) != here:
            continue
        parts = url_parts(target)
        params = {k.lower() for k, _ in parse_qsl(parts.query)}
        wordpress = bool(_COMMENT_PAGE_PATH.search(parts.path)) or "cpage" in params
        if not (trusted or wordpress):
            in_nav = any(
                "comment" in class_ and re.search(r"nav|pag", class_)
                for class_ in (
                    f"{a.get('class', '')} {a.get('id', '')}".lower() for a in ancestors(anchor)
                )
            )
            says = bool(_PAGE_LINK_TEXT.search(text_of(anchor)))
            if not ((in_nav or says) and params & set(_PAGE_PARAMS)):
                continue
        found.append(target)
    return list(dict.fromkeys(found))


def post_id_from_page(tree: HtmlElement, selector: Selector | None = None) -> str | None:
    """The id a comment API wants: the profile's selector, else WordPress's own markers
    (``?p=ID`` shortlink, ``postid-ID`` body class, ``article#post-ID``)."""
    if selector is not None:
        return select_text(tree, selector)
    for href in xpath(tree, "/descendant::link[@rel='shortlink']/@href"):
        match = re.search(r"[?&]p=(\d+)", href)
        if match:
            return match.group(1)
    for classes in xpath(tree, "/descendant::body/@class"):
        match = re.search(r"\bpostid-(\d+)\b", classes)
        if match:
            return match.group(1)
    for ident in xpath(tree, "/descendant::article/@id"):
        match = re.fullmatch(r"post-(\d+)", ident)
        if match:
            return match.group(1)
    return None
