"""Comments in markup that says what it is: WordPress themes, schema.org microdata, the
JSON-LD ``comment`` property, and a site profile's selectors."""

from __future__ import annotations

import copy
from typing import Any

from lxml.html import HtmlElement

from ...profiles import CommentRules, Selector
from ..context import PageContext
from ..document import ancestors, clean_text, remove_elements, select, select_text, text_of, xpath
from ..result import CommentData
from .fields import date_in, inner_id, reply_hint, without_nested
from .find import between, class_holds, first_classed, has_token
from .text import PINGBACK, clean_author, comment_text, has_class, site_comment_id, to_int

_WP_LIST_TEST = (
    has_class("commentlist") + " or " + has_class("comment-list")
    + " or @id='commentlist' or @id='comment-list'"
)  # fmt: skip

_WP_LISTS = f"/descendant::*[(self::ol or self::ul) and ({_WP_LIST_TEST})]"


def wordpress_comments(ctx: PageContext) -> tuple[list[CommentData], list[HtmlElement]]:
    """Comments in WordPress theme markup, threaded by ``ul/ol.children`` nesting."""
    found = xpath(ctx.tree, _WP_LISTS)
    lists = [lst for lst in found if not any(a in found for a in ancestors(lst))]
    comments: list[CommentData] = []
    for lst in lists:
        for li in xpath(
            lst,
            ".//li[" + has_class("comment") + " or starts-with(@id,'comment-')"
            " or contains(@class,'pingback') or contains(@class,'trackback')]",
        ):
            if PINGBACK.search(li.get("class", "")):
                continue
            body = _own_body(li)
            text_el = first_classed(body, _WP_TEXT_CLASSES)
            text = comment_text(text_el if text_el is not None else _without_byline(body))
            if not text:
                continue
            author = _wp_author(body)
            author_name = (
                text_of(author)
                if author is not None
                else select_text(body, Selector(".comment-author"))
            )
            when = _wp_datetime(body)
            when_text = (
                when
                if when is not None
                else select_text(body, Selector(".comment-metadata a, .commentmetadata a"))
                or date_in(body, ctx.date_languages)[0]
            )
            parent = _parent_li(li, lst)
            own_id = li.get("id") or (body.get("id") if body is not li else None)
            comments.append(
                CommentData(
                    id=site_comment_id(own_id),
                    parent_id=site_comment_id(parent.get("id")) if parent is not None else None,
                    author=clean_author(author_name),
                    published=when_text,
                    text=text,
                )
            )
            if comments[-1].parent_id is None:
                comments[-1].parent_id = reply_hint(body)
    return comments, lists


def _without_byline(body: HtmlElement) -> HtmlElement:
    """A copy of a comment without its byline ("Kommentar von <cite class=fn>…</cite> — date"),
    for themes that put the byline next to the text rather than in ``.comment-meta``."""
    clone = copy.deepcopy(body)
    fn = has_class("fn")
    remove_elements(xpath(clone, f".//cite[{fn} or .//*[{fn}]]"))
    return clone


_WP_TEXT_CLASSES = ("comment-content", "comment-text", "comment_text")


def _wp_author(body: HtmlElement) -> HtmlElement | None:
    """The commenter's name: ``(.//*[contains(@class,'comment-author')]//*[fn] | .//cite[fn])[1]``
    (`find`: a walk, not an XPath per comment)."""
    for element in body.iterdescendants():
        # The class first: the rare test, and cheap (and not of a processing instruction).
        if (
            has_token(element, "fn")
            and isinstance(element.tag, str)
            and (
                element.tag == "cite"
                or any(class_holds(a, ("comment-author",)) for a in between(element, body))
            )
        ):
            return element
    return None


def _wp_datetime(body: HtmlElement) -> str | None:
    """``(.//*[contains(@class,'comment-meta')]//time/@datetime)[1]``, else the first
    ``.//time/@datetime``."""
    stamped = [t for t in body.iterdescendants("time") if t.get("datetime") is not None]
    meta = next(
        (t for t in stamped if any(class_holds(a, ("comment-meta",)) for a in between(t, body))),
        None,
    )
    found = meta if meta is not None else next(iter(stamped), None)
    return found.get("datetime") if found is not None else None


def _is_own_body(child: HtmlElement) -> bool:
    """``self::article | self::div[contains(@class,'comment-body') or
    starts-with(@id,'div-comment')]``."""
    return child.tag == "article" or (
        child.tag == "div"
        and (
            "comment-body" in (child.get("class") or "")
            or (child.get("id") or "").startswith("div-comment")
        )
    )


def _own_body(li: HtmlElement) -> HtmlElement:
    """The part of a comment <li> that is its own, without nested replies."""
    body = next((child for child in li if _is_own_body(child)), None)
    if body is not None:
        return body
    clone = copy.deepcopy(li)
    remove_elements(xpath(clone, "./ol | ./ul"))
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


def microdata_comments(ctx: PageContext) -> tuple[list[CommentData], list[HtmlElement]]:
    """schema.org Comment items in microdata, threaded by nesting."""
    items = xpath(ctx.tree, "/descendant::*[@itemscope][contains(@itemtype,'schema.org/Comment')]")
    item_set = set(items)
    comments = []
    for item in items:
        parent = next((a for a in ancestors(item) if a in item_set), None)
        own = without_nested(item, item_set)
        author = xpath(own, ".//*[@itemprop='author' or @itemprop='creator']")
        author_name = None
        if author:
            names = xpath(author[0], ".//*[@itemprop='name']")
            author_name = (
                (names[0].get("content") or text_of(names[0]))
                if names
                else author[0].get("content") or text_of(author[0])
            )
        when = xpath(
            own,
            ".//*[@itemprop='dateCreated' or @itemprop='datePublished' or @itemprop='commentTime']",
        )
        when_text = (
            (when[0].get("content") or when[0].get("datetime") or text_of(when[0]))
            if when
            else None
        )
        text_el = xpath(own, ".//*[@itemprop='text' or @itemprop='commentText']")
        text = comment_text(text_el[0]) if text_el else ""
        if not text:
            continue
        upvotes = xpath(own, ".//*[@itemprop='upvoteCount']")
        comments.append(
            CommentData(
                id=site_comment_id(item.get("id") or item.get("itemid") or inner_id(own)),
                parent_id=site_comment_id(parent.get("id") or parent.get("itemid"))
                if parent is not None
                else reply_hint(own),
                author=clean_author(author_name),
                published=when_text,
                text=text,
                score=to_int(upvotes[0].get("content") or text_of(upvotes[0])) if upvotes else None,
            )
        )
    top = [i for i in items if not any(a in item_set for a in ancestors(i))]
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
        author = node.get("author") or node.get("creator")
        if isinstance(author, list):
            author = author[0] if author else None
        if isinstance(author, dict):
            author = author.get("name")
        raw_id = node.get("@id") or node.get("identifier") or node.get("url") or ""
        cid = site_comment_id(str(raw_id)) or None
        parent_ref = node.get("parentItem")
        if isinstance(parent_ref, dict):
            parent_ref = parent_ref.get("@id") or parent_ref.get("url")
        own_parent = site_comment_id(str(parent_ref)) if parent_ref else parent
        if text:
            out.append(
                CommentData(
                    id=cid,
                    parent_id=own_parent,
                    author=clean_author(author if isinstance(author, str) else None),
                    published=node.get("dateCreated") or node.get("datePublished"),
                    text=text,
                    score=to_int(node.get("upvoteCount")),
                )
            )
        walk(node.get("comment"), cid)

    walk(article_node.get("comment"), None)
    return out


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
        item_set = set(items)
        for item in items:
            own = without_nested(item, item_set)
            text_match = (
                [t for t in select(own, rules.text) if isinstance(t, HtmlElement)]
                if rules.text
                else [own]
            )
            text = comment_text(text_match[0]) if text_match else select_text(own, rules.text)
            if not text:
                continue
            raw_id = select_text(item, rules.id) if rules.id else item.get("id")
            if rules.parent:
                parent_id = site_comment_id(select_text(own, rules.parent))
            else:
                parent = next((a for a in ancestors(item) if a in item_set), None)
                parent_id = (
                    site_comment_id(select_text(parent, rules.id) if rules.id else parent.get("id"))
                    if parent is not None
                    else reply_hint(own)
                )
            comments.append(
                CommentData(
                    id=site_comment_id(raw_id),
                    parent_id=parent_id,
                    author=clean_author(select_text(own, rules.author)),
                    published=select_text(own, rules.published),
                    text=text,
                    score=to_int(select_text(own, rules.score)) if rules.score else None,
                )
            )
    return comments, [c for c in containers if c is not tree]
