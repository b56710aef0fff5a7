"""Reader comments found in a page's HTML, with their threading.

Sources, first that yields wins: the profile's selectors, WordPress markup
(``ol.commentlist``/``ol.comment-list``), schema.org ``Comment`` in microdata, and the
``comment`` property of the JSON-LD article. API-served comments (WordPress REST, Disqus-
style JSON) are read by `newscrawl.extract.comment_api` from the API's JSON instead.
"""

from __future__ import annotations

import re
from typing import Any

from lxml.html import HtmlElement

from ..profiles import CommentRules, SiteProfile
from .document import (
    ancestors,
    clean_text,
    paragraphs,
    remove_elements,
    select,
    select_text,
    text_of,
)
from .result import CommentData

_ID_NUMBER = re.compile(r"(\d+)$")
# Chrome that sits inside a comment's markup but is not what the reader wrote.
_COMMENT_CHROME = (
    ".//*[contains(concat(' ',normalize-space(@class),' '),' reply ')] | .//*[contains(@class,'comment-reply')]"
    " | .//*[contains(@class,'comment-meta')] | .//*[contains(@class,'comment-author')] | .//form | .//button"
    " | .//*[contains(@class,'comment-awaiting-moderation')] | .//*[contains(@class,'edit-link')]"
)
_WP_LISTS = (
    "//ol[contains(concat(' ',normalize-space(@class),' '),' commentlist ') or contains(concat(' ',normalize-space(@class),' '),' comment-list ')]"
    " | //ul[contains(concat(' ',normalize-space(@class),' '),' commentlist ') or contains(concat(' ',normalize-space(@class),' '),' comment-list ')]"
)


def site_comment_id(raw: str | None) -> str | None:
    """``comment-1234`` / ``div-comment-1234`` / ``#comment-1234`` → ``1234``; other ids kept."""
    if not raw:
        return None
    raw = clean_text(raw).lstrip("#")
    match = _ID_NUMBER.search(raw)
    return match.group(1) if match else raw or None


def _text_without_chrome(element: HtmlElement) -> str:
    import copy

    clone = copy.deepcopy(element)
    remove_elements(clone.xpath(_COMMENT_CHROME))
    return "\n\n".join(paragraphs(clone))


def wordpress_comments(tree: HtmlElement) -> tuple[list[CommentData], list[HtmlElement]]:
    """Comments in WordPress theme markup, threaded by ``ul/ol.children`` nesting."""
    lists = [
        lst
        for lst in tree.xpath(_WP_LISTS)
        if not any(a in lst.iterancestors() for a in tree.xpath(_WP_LISTS))
    ]
    comments: list[CommentData] = []
    for lst in lists:
        for li in lst.xpath(
            ".//li[contains(concat(' ',normalize-space(@class),' '),' comment ') or starts-with(@id,'comment-') or contains(@class,'pingback') or contains(@class,'trackback')]"
        ):
            if "pingback" in li.get("class", "") or "trackback" in li.get("class", ""):
                continue
            body = _own_body(li)
            text_el = body.xpath(
                ".//*[contains(@class,'comment-content') or contains(@class,'comment-text') or contains(@class,'comment_text')]"
            )
            text = _text_without_chrome(text_el[0]) if text_el else _text_without_chrome(body)
            if not text:
                continue
            author = body.xpath(
                ".//*[contains(@class,'comment-author')]//*[contains(@class,'fn')] | .//cite[contains(@class,'fn')]"
            )
            author_name = (
                text_of(author[0]) if author else select_text(body, _sel(".comment-author"))
            )
            when = body.xpath(
                ".//*[contains(@class,'comment-meta')]//time/@datetime | .//time/@datetime"
            )
            when_text = (
                when[0]
                if when
                else select_text(body, _sel(".comment-metadata a, .commentmetadata a"))
            )
            parent = _parent_li(li, lst)
            comments.append(
                CommentData(
                    id=site_comment_id(
                        li.get("id") or (body.get("id") if body is not li else None)
                    ),
                    parent_id=site_comment_id(parent.get("id")) if parent is not None else None,
                    author=_clean_author(author_name),
                    published=when_text,
                    text=text,
                )
            )
    return comments, lists


def _own_body(li: HtmlElement) -> HtmlElement:
    """The part of a comment <li> that is its own, without nested replies."""
    import copy

    bodies = li.xpath(
        "./article | ./div[contains(@class,'comment-body') or starts-with(@id,'div-comment')]"
    )
    if bodies:
        return bodies[0]
    clone = copy.deepcopy(li)
    remove_elements(clone.xpath("./ol | ./ul"))
    return clone


def _parent_li(li: HtmlElement, stop: HtmlElement) -> HtmlElement | None:
    for node in ancestors(li):
        if node is stop:
            return None
        if node.tag == "li" and (
            node.get("id", "").startswith("comment-") or "comment" in node.get("class", "").split()
        ):
            return node
    return None


def _clean_author(name: str | None) -> str | None:
    name = clean_text(name)
    name = re.sub(r"\s+(says|dit|schreibt|sagt|écrit)\s*:?$", "", name, flags=re.I)
    return name or None


def _sel(css: str):
    from ..profiles import Selector

    return Selector(css)


def microdata_comments(tree: HtmlElement) -> tuple[list[CommentData], list[HtmlElement]]:
    """schema.org Comment items in microdata, threaded by nesting."""
    items = tree.xpath("//*[@itemscope][contains(@itemtype,'schema.org/Comment')]")
    comments = []
    for item in items:
        parent = next((a for a in ancestors(item) if a in items), None)
        author = item.xpath(".//*[@itemprop='author']")
        author_name = None
        if author:
            names = author[0].xpath(".//*[@itemprop='name']")
            author_name = (
                text_of(names[0]) if names else text_of(author[0]) or author[0].get("content")
            )
        when = item.xpath(
            ".//*[@itemprop='dateCreated' or @itemprop='datePublished' or @itemprop='commentTime']"
        )
        when_text = (
            (when[0].get("content") or when[0].get("datetime") or text_of(when[0]))
            if when
            else None
        )
        text_el = item.xpath(".//*[@itemprop='text' or @itemprop='commentText']")
        text = "\n\n".join(paragraphs(text_el[0])) if text_el else ""
        if not text:
            continue
        upvotes = item.xpath(".//*[@itemprop='upvoteCount']")
        comments.append(
            CommentData(
                id=site_comment_id(item.get("id") or item.get("itemid")),
                parent_id=site_comment_id(parent.get("id") or parent.get("itemid"))
                if parent is not None
                else None,
                author=_clean_author(author_name),
                published=when_text,
                text=text,
                score=_int(upvotes[0].get("content") or text_of(upvotes[0])) if upvotes else None,
            )
        )
    top = [i for i in items if not any(a in items for a in ancestors(i))]
    return comments, top


def jsonld_comments(article_node: dict[str, Any]) -> list[CommentData]:
    """The ``comment`` property of a JSON-LD article, nested replies included."""
    out: list[CommentData] = []

    def walk(node: Any, parent: str | None) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, parent)
            return
        if not isinstance(node, dict):
            return
        text = clean_text(node.get("text") or node.get("commentText") or "")
        author = node.get("author")
        if isinstance(author, dict):
            author = author.get("name")
        cid = (
            site_comment_id(str(node.get("@id") or node.get("identifier") or node.get("url") or ""))
            or None
        )
        if text:
            out.append(
                CommentData(
                    id=cid,
                    parent_id=parent,
                    author=_clean_author(author if isinstance(author, str) else None),
                    published=node.get("dateCreated") or node.get("datePublished"),
                    text=text,
                    score=_int(node.get("upvoteCount")),
                )
            )
        walk(node.get("comment"), cid)

    walk(article_node.get("comment"), None)
    return out


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip().replace("+", ""))
    except (TypeError, ValueError):
        return None


def profile_comments(
    tree: HtmlElement, rules: CommentRules
) -> tuple[list[CommentData], list[HtmlElement]]:
    """Comments read with the profile's selectors (container, item, id, parent, …)."""
    containers = (
        [c for c in select(tree, rules.container) if isinstance(c, HtmlElement)]
        if rules.container
        else [tree]
    )
    comments = []
    for container in containers:
        items = [i for i in select(container, rules.item) if isinstance(i, HtmlElement)]
        for item in items:
            text_match = (
                [t for t in select(item, rules.text) if isinstance(t, HtmlElement)]
                if rules.text
                else [item]
            )
            text = (
                "\n\n".join(paragraphs(text_match[0]))
                if text_match
                else select_text(item, rules.text)
            )
            if not text:
                continue
            raw_id = select_text(item, rules.id) if rules.id else item.get("id")
            if rules.parent:
                parent_id = site_comment_id(select_text(item, rules.parent))
            else:
                parent = next((a for a in ancestors(item) if a in items), None)
                parent_id = site_comment_id(parent.get("id")) if parent is not None else None
            comments.append(
                CommentData(
                    id=site_comment_id(raw_id),
                    parent_id=parent_id,
                    author=_clean_author(select_text(item, rules.author)),
                    published=select_text(item, rules.published),
                    text=text,
                    score=_int(select_text(item, rules.score)) if rules.score else None,
                )
            )
    return comments, [c for c in containers if c is not tree]


def extract_comments(
    tree: HtmlElement, profile: SiteProfile | None, article_node: dict[str, Any]
) -> tuple[list[CommentData], list[HtmlElement]]:
    """All HTML comments of the page, and the elements that hold them (kept out of the body)."""
    if profile and profile.comments.source == "none":
        return [], []
    if profile and profile.comments.item is not None:
        comments, used = profile_comments(tree, profile.comments)
        if comments:
            return comments, used
    for finder in (wordpress_comments, microdata_comments):
        comments, used = finder(tree)
        if comments:
            return comments, used
    return jsonld_comments(article_node), []
