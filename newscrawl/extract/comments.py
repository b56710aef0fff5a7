"""Reader comments found in a page's HTML, with their threading.

Sources, first that yields wins: the profile's selectors, WordPress markup
(``ol.commentlist``/``ol.comment-list``), schema.org ``Comment`` in microdata, a general rule
for repeated blocks inside a comment area (Drupal, Disqus-less blogs, forums, "Réactions" or
"Kommentare" blocks), and last the ``comment`` property of the JSON-LD article. API-served
comments (WordPress REST, Disqus-style JSON) are read by `newscrawl.extract.comment_api`.

`comment_page_links` finds the links to a thread's other pages (``comment-page-N``,
``?cpage=``, "older comments"), so the crawler can follow them and join them to the article.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urlsplit

from lxml.html import HtmlElement

from ..dates import parse_datetime
from ..profiles import CommentRules, Selector, SiteProfile
from ..urls import is_tracking_param, join_url
from .document import (
    ancestors,
    clean_text,
    paragraphs,
    parse_html,
    remove_elements,
    select,
    select_text,
    text_of,
)
from .result import CommentData

_DIGITS = re.compile(r"\d+")
_HAS_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_]{2}")


def _has_class(name: str) -> str:
    """XPath test for one whole class token (not a substring of another)."""
    return f"contains(concat(' ',normalize-space(@class),' '),' {name} ')"


# Chrome inside a comment's markup that is not what the reader wrote: reply/edit/report links,
# votes, forms, avatars, "awaiting moderation" notes.
_CHROME_WORDS = (
    "reply", "comment-reply", "comment-meta", "comment-metadata", "comment-author", "comment-actions",
    "comment-tools", "comment-footer", "comment-header", "edit-link", "comment-edit-link",
    "awaiting-moderation", "comment-awaiting-moderation", "avatar", "vote", "votes", "voting", "rating",
    "like", "likes", "report", "flag", "share", "permalink", "says", "links", "actions", "toolbar",
    "comment-links", "comment-like", "comment-likes", "comment-vote", "comment-report", "signature",
)  # fmt: skip
_COMMENT_CHROME = (
    ".//form | .//button | .//input | .//textarea | .//select | .//script | .//style | .//noscript"
    " | .//*[contains(@class,'comment-reply') or contains(@class,'reply-link')"
    " or contains(@class,'in-reply-to') or contains(@class,'reply-to')"
    " or contains(@class,'awaiting-moderation') or contains(@class,'edit-link')]"
    " | .//*[" + " or ".join(_has_class(w) for w in _CHROME_WORDS) + "]"
)
# A paragraph that is only a control ("Reply", "Antworten", "Log in to reply", "12 likes").
_CHROME_LINE = re.compile(
    r"^(?:reply|antworten|répondre|repondre|responder|rispondi|beantworten|melden|report|"
    r"report abuse|flag|like|share|teilen|partager|permalink|edit|bearbeiten|modifier|quote|zitieren|"
    r"citer|(?:log|sign) ?in(?: to (?:reply|comment))?|anmelden|einloggen|se connecter|"
    r"register|registrieren|s'inscrire|(?:zum|pour) (?:antworten|répondre).*|"
    r"\d+\s*(?:likes?|points?|votes?)|\W+)$",
    re.I,
)
_WP_LIST_TEST = (
    _has_class("commentlist") + " or " + _has_class("comment-list")
    + " or @id='commentlist' or @id='comment-list'"
)  # fmt: skip
_WP_LISTS = f"//ol[{_WP_LIST_TEST}] | //ul[{_WP_LIST_TEST}]"
_SAYS = re.compile(
    r"\s+(?:says|said|dit|a dit|schreibt|sagt|meint|écrit|escribió|scrive|zegt)\s*:?\s*$", re.I
)


def site_comment_id(raw: str | None) -> str | None:
    """``comment-1234`` / ``div-comment-1234`` / ``#comment-1234`` → ``1234``; other ids kept."""
    if not raw:
        return None
    raw = clean_text(raw).lstrip("#")
    if "#" in raw:
        raw = raw.rsplit("#", 1)[1]
    runs = _DIGITS.findall(raw)
    # "comment-42", "div-comment-42", "wc-comm-42_0", "c42-rt": the longest number is the id;
    # of equally long ones the first ("wc-comm-52845_52842" is 52845 replying to 52842).
    return max(runs, key=len) if runs else raw or None


def comment_text(element: HtmlElement) -> str:
    """What the reader wrote inside `element`: paragraphs without controls or counters."""
    clone = copy.deepcopy(element)
    remove_elements(c for c in clone.xpath(_COMMENT_CHROME) if not _wraps_text(c, clone))
    lines = [p for p in paragraphs(clone) if not _CHROME_LINE.match(p)]
    return "\n\n".join(lines)


def fragment_text(html: str) -> str:
    """`comment_text` of comment HTML served outside a page (comment APIs, state blobs), so
    it is read exactly like a comment in the page."""
    tree = parse_html(f"<html><body><div>{html}</div></body></html>")
    return comment_text(tree.body)


def _wraps_text(chrome: HtmlElement, whole: HtmlElement) -> bool:
    """A "chrome" class on a block that holds the comment's paragraphs is a wrapper (some
    themes put the text inside ``.comment-author.vcard``): its inner chrome goes, it stays."""
    if chrome.tag not in ("div", "section", "article", "header", "footer"):
        return False
    total = len(text_of(whole))
    return bool(
        total
        and len(text_of(chrome)) * 2 > total
        and any(len(text_of(p)) >= 20 for p in chrome.iter("p", "blockquote"))
    )


def _clean_author(name: str | None) -> str | None:
    name = _SAYS.sub("", clean_text(name))
    name = re.sub(r"^(?:von|by|par|de)\s+", "", name, flags=re.I).strip(" :,-–|")
    return name or None


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip().replace("+", ""))
    except (TypeError, ValueError):
        return None


# --- WordPress ----------------------------------------------------------------------------


def wordpress_comments(tree: HtmlElement) -> tuple[list[CommentData], list[HtmlElement]]:
    """Comments in WordPress theme markup, threaded by ``ul/ol.children`` nesting."""
    found = tree.xpath(_WP_LISTS)
    lists = [lst for lst in found if not any(a in found for a in ancestors(lst))]
    comments: list[CommentData] = []
    for lst in lists:
        for li in lst.xpath(
            ".//li[" + _has_class("comment") + " or starts-with(@id,'comment-')"
            " or contains(@class,'pingback') or contains(@class,'trackback')]"
        ):
            if _PINGBACK.search(li.get("class", "")):
                continue
            body = _own_body(li)
            text_el = body.xpath(
                ".//*[contains(@class,'comment-content') or contains(@class,'comment-text')"
                " or contains(@class,'comment_text')]"
            )
            text = comment_text(text_el[0]) if text_el else comment_text(_without_byline(body))
            if not text:
                continue
            author = body.xpath(
                ".//*[contains(@class,'comment-author')]//*[" + _has_class("fn") + "]"
                " | .//cite[" + _has_class("fn") + "]"
            )
            author_name = (
                text_of(author[0]) if author else select_text(body, Selector(".comment-author"))
            )
            when = body.xpath(".//*[contains(@class,'comment-meta')]//time/@datetime")
            when = when or body.xpath(".//time/@datetime")
            when_text = (
                when[0]
                if when
                else select_text(body, Selector(".comment-metadata a, .commentmetadata a"))
                or _date_in(body)[0]
            )
            parent = _parent_li(li, lst)
            own_id = li.get("id") or (body.get("id") if body is not li else None)
            comments.append(
                CommentData(
                    id=site_comment_id(own_id),
                    parent_id=site_comment_id(parent.get("id")) if parent is not None else None,
                    author=_clean_author(author_name),
                    published=when_text,
                    text=text,
                )
            )
            if comments[-1].parent_id is None:
                comments[-1].parent_id = _reply_hint(body)
    return comments, lists


def _without_byline(body: HtmlElement) -> HtmlElement:
    """A copy of a comment without its byline ("Kommentar von <cite class=fn>…</cite> — date"),
    for themes that put the byline next to the text rather than in ``.comment-meta``."""
    clone = copy.deepcopy(body)
    fn = _has_class("fn")
    remove_elements(clone.xpath(f".//cite[{fn} or .//*[{fn}]]"))
    return clone


def _own_body(li: HtmlElement) -> HtmlElement:
    """The part of a comment <li> that is its own, without nested replies."""
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


# --- schema.org microdata and JSON-LD ------------------------------------------------------


def microdata_comments(tree: HtmlElement) -> tuple[list[CommentData], list[HtmlElement]]:
    """schema.org Comment items in microdata, threaded by nesting."""
    items = tree.xpath("//*[@itemscope][contains(@itemtype,'schema.org/Comment')]")
    item_set = set(items)
    comments = []
    for item in items:
        parent = next((a for a in ancestors(item) if a in item_set), None)
        own = _without_nested(item, item_set)
        author = own.xpath(".//*[@itemprop='author' or @itemprop='creator']")
        author_name = None
        if author:
            names = author[0].xpath(".//*[@itemprop='name']")
            author_name = (
                (names[0].get("content") or text_of(names[0]))
                if names
                else author[0].get("content") or text_of(author[0])
            )
        when = own.xpath(
            ".//*[@itemprop='dateCreated' or @itemprop='datePublished' or @itemprop='commentTime']"
        )
        when_text = (
            (when[0].get("content") or when[0].get("datetime") or text_of(when[0]))
            if when
            else None
        )
        text_el = own.xpath(".//*[@itemprop='text' or @itemprop='commentText']")
        text = comment_text(text_el[0]) if text_el else ""
        if not text:
            continue
        upvotes = own.xpath(".//*[@itemprop='upvoteCount']")
        comments.append(
            CommentData(
                id=site_comment_id(item.get("id") or item.get("itemid") or _inner_id(own)),
                parent_id=site_comment_id(parent.get("id") or parent.get("itemid"))
                if parent is not None
                else _reply_hint(own),
                author=_clean_author(author_name),
                published=when_text,
                text=text,
                score=_int(upvotes[0].get("content") or text_of(upvotes[0])) if upvotes else None,
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
                    author=_clean_author(author if isinstance(author, str) else None),
                    published=node.get("dateCreated") or node.get("datePublished"),
                    text=text,
                    score=_int(node.get("upvoteCount")),
                )
            )
        walk(node.get("comment"), cid)

    walk(article_node.get("comment"), None)
    return out


# --- profile selectors --------------------------------------------------------------------


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
            own = _without_nested(item, item_set)
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
                    else _reply_hint(own)
                )
            comments.append(
                CommentData(
                    id=site_comment_id(raw_id),
                    parent_id=parent_id,
                    author=_clean_author(select_text(own, rules.author)),
                    published=select_text(own, rules.published),
                    text=text,
                    score=_int(select_text(own, rules.score)) if rules.score else None,
                )
            )
    return comments, [c for c in containers if c is not tree]


# --- the general rule: repeated blocks inside a comment area ------------------------------

# A class/id token naming a comment area (not a form, counter, link or widget about comments).
_ZONE_TOKEN = re.compile(
    r"^(?!(?:tag|category|cat|post|postid|format|page|single|term|has|type)[-_])"
    r"(?:.*[-_])?(?:comments?|kommentare?|commentaires?|reactions?|réactions?|discussions?|"
    r"diskussion|disqus_thread|replies|responses|leserkommentare|comentarios|forum|talk|"
    r"reviews?|coral)(?:[-_]?(?:area|section|list|wrapper|wrap|container|box|inner|block|holder|"
    r"content|thread|items|entries|main|outer|body|widget|stream|modul|module|con))*$",
    re.I,
)
_NOT_ZONE = re.compile(
    r"form|respond|reply|count|link|open|closed|number|nav|pagination|button|icon|title|"
    r"heading|header|recent|latest|popular|most|widget|sidebar|meta|author|policy|rules|login|"
    r"toggle|trigger|cta|teaser|promo|share|partage|teilen",
    re.I,
)
_ZONE_HEADING = re.compile(
    r"^\W*(?:\d+\s+)?(?:leser-?)?(?:comments?|kommentare?|commentaires?|reactions?|réactions?|"
    r"discussions?|diskussion|responses?|replies|antworten|reacties|comentarios|commenti|"
    r"reader comments|leserbriefe|vos réactions|ihre meinung)\b[^.!?]{0,40}$",
    re.I,
)
_ITEM_TAGS = frozenset({"li", "div", "article", "section", "dd", "tr", "aside", "blockquote"})
_SKIP_TAGS = frozenset({"form", "nav", "script", "style", "noscript", "template", "button"})
_NOISE_TOKEN = re.compile(
    r"^(?:odd|even|alt|first|last|parent|byuser|bypostauthor|highlander|thread-.*|depth-.*|"
    r"comment-author-.*|level-.*|is-.*|has-.*|clearfix|cf|group|row|show|active|visible|"
    r"(?:top|inline)level-thread|toplevel-thread|inline-thread|new|unread|.*\d.*)$",
    re.I,
)
# Class tests that ignore case ("commentAuthor", "MtnCommentAccountName").
_LC = "translate(@class,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')"
_AUTHOR_XPATH = tuple(
    x.replace("$LC", _LC)
    for x in (
        ".//*[@itemprop='author']//*[@itemprop='name'] | .//*[@itemprop='author']",
        ".//*[" + _has_class("fn") + "]",
        ".//*[contains($LC,'author') or contains($LC,'username') or contains($LC,'user-name')"
        " or contains($LC,'autor') or contains($LC,'nickname') or contains($LC,'nick')"
        " or contains($LC,'benutzer') or contains($LC,'utilisateur') or contains($LC,'usuario')"
        " or contains($LC,'commenter') or contains($LC,'poster')]",
        ".//cite",
        ".//*[contains($LC,'name') or contains($LC,'user') or contains($LC,'member')]",
        ".//strong | .//b",
    )
)
_DATE_CLASS = (
    ".//*[contains($LC,'date') or contains($LC,'time') or contains($LC,'datum')"
    " or contains($LC,'zeit') or contains($LC,'posted') or contains($LC,'published')"
    " or contains($LC,'submitted') or contains($LC,'meta') or contains($LC,'when')"
    " or contains($LC,'info') or contains($LC,'header') or contains($LC,'byline')]"
).replace("$LC", _LC)
_TEXT_CLASS = re.compile(
    r"content|text|body|message|entry|inhalt|msg|copy|bubble|description|teaser-text|kommentar",
    re.I,
)
_NOT_TEXT_CLASS = re.compile(r"meta|author|avatar|footer|header|date|time|info|vcard|reply", re.I)
_DATE_IN_TEXT = re.compile(
    r"(\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}(?:,?\s+(?:um\s+|-\s+)?\d{1,2}[:.]\d{2})?|"
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2})?|"
    r"\d{1,2}\.?\s+[A-Za-zäéû]+\.?\s+\d{4}(?:,?\s+(?:um|à|at|a las)?\s*\d{1,2}[:h]\d{2})?|"
    r"[A-Z][a-z]+\.? \d{1,2},? \d{4}(?:,? (?:at )?\d{1,2}:\d{2}\s?(?:[ap]\.?m\.?)?)?|"
    r"\d{1,2}/\d{1,2}/\d{2,4}(?:,? \d{1,2}:\d{2})?)",
    re.I,
)


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _word_token(token: str) -> str:
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
    tokens = [_word_token(t) for t in f"{classes} {ident}".split()]
    return any(_ZONE_TOKEN.match(t) for t in tokens) and not any(
        _NOT_ZONE.search(t) for t in tokens if _ZONE_TOKEN.match(t)
    )


# A comment area given as a block, or as the blocks that follow a heading inside a wider one.
Area = tuple[HtmlElement, tuple[HtmlElement, ...] | None]

_WRITE_HEADING = re.compile(
    r"schreiben|verfassen|hinterlassen|write|leave|post a|add a|écrire|laisser|ajouter|"
    r"escribir|deja|policy|rules|regeln|richtlinien|charte",
    re.I,
)
# "#1 Kommentar von Naru-chan", "Comment by Ann": one comment's byline, not a thread heading.
_BYLINE = re.compile(
    r"^\W*(?:\d+\.?\s*)?(?:comment|kommentar|commentaire|réaction|reaction|antwort|reply|"
    r"beitrag)\s+(?:by|von|de|par|from)\s+(\S.{0,59})$",
    re.I,
)
_HEADING_CLASS = re.compile(r"title|head|rubri|caption|label|bar\b", re.I)
_BLOCK_TAGS = ("div", "p", "ul", "ol", "li", "table", "section", "article", "form", "h1", "h2")


def _heading_like(element: HtmlElement) -> bool:
    """A heading, or a short block standing for one (``<div class="titlebar">Kommentare</div>``),
    that names a comment thread (not a "write a comment" form title, not a link)."""
    if element.tag in ("h2", "h3", "h4", "h5", "h6"):
        pass
    elif element.tag in ("div", "p", "header"):
        # A block that only says so by its class: "titlebar", "rubrik", "section-heading".
        # (The class test comes first: it is cheap and rules out nearly every block.)
        if not _HEADING_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}") or any(
            True for _ in element.iterdescendants(*_BLOCK_TAGS)
        ):
            return False
    else:
        return False
    text = text_of(element)
    return bool(
        len(text) <= 60
        and _ZONE_HEADING.match(text)
        and not _WRITE_HEADING.search(text)
        and not _BYLINE.match(text)
        and not any(a.tag in ("a", "button", "label", "nav") for a in ancestors(element))
    )


def _heading_area(heading: HtmlElement) -> Area | None:
    """The block a comment heading opens: its parent when the heading comes first (after
    climbing out of wrappers that hold only the heading), else the blocks that follow the
    heading up to the next heading or form ("Kommentare" inside a page-wide column)."""
    node = heading
    size = len(text_of(heading))
    parent = node.getparent()
    # Climb out of wrappers that are part of the heading (``div.secthead > h2``), not out of
    # a whole section whose list loads later (a "Kommentare" widget filled by JavaScript).
    while (
        parent is not None
        and parent.tag not in ("body", "html")
        and len(text_of(parent)) <= size + 30
        and (
            _HEADING_CLASS.search(f"{parent.get('class', '')} {parent.get('id', '')}")
            or not (parent.get("class") or parent.get("id"))
        )
    ):
        node, parent = parent, parent.getparent()
    if parent is None or parent.tag in ("body", "html"):
        return None
    before = list(node.itersiblings(preceding=True))
    # Other blocks shaped like the heading ("Stellenmarkt", "Verwandte Artikel") make the
    # parent a column of sections: only the heading's own section is the thread.
    signature = _signature(node)
    sections = [
        d for d in parent.iterdescendants(node.tag) if d is not node and _signature(d) == signature
    ]
    if (
        not sections
        and sum(len(text_of(s)) for s in before if isinstance(s.tag, str)) <= 100
        and not any(_heading_like(s) for s in before if isinstance(s.tag, str))
    ):
        return parent, None
    scope = []
    for sibling in node.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if (
            sibling in sections
            or sibling.tag in ("h1", "h2", "h3", "form", "aside", "nav", "footer")
            or sibling.xpath("descendant-or-self::form | descendant-or-self::h1")
            or any(not _BYLINE.match(text_of(h)) for h in sibling.iterdescendants("h2", "h3"))
        ):
            break  # the next section of the page
        if _heading_like(sibling) or any(_heading_like(d) for d in sibling.iterdescendants()):
            break
        scope.append(sibling)
    return (parent, (node, *scope)) if scope else None


def comment_areas(tree: HtmlElement) -> list[Area]:
    """Outermost elements that hold a page's comment thread (by class/id or by heading)."""
    areas: list[tuple[HtmlElement, tuple[HtmlElement, ...] | None, bool]] = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("html", "body", "head"):
            continue
        if element.tag in _SKIP_TAGS:
            continue
        if element.tag not in ("a", "span", "p") and _is_zone(element):
            areas.append((element, None, True))
        if _heading_like(element):
            area = _heading_area(element)
            if area is not None:
                areas.append((*area, False))
    # A zone named by its class that is one of several alike blocks (li.kommentar,
    # li.kommentar…) is an item: its parent holds the thread. A zone named only by its id
    # (``div#kommentare``, an anchor) is unique, so classless siblings do not make it one of
    # many; and the parent must be mostly those blocks, not a column that also holds the
    # article's text.
    lifted: list[Area] = []
    common = _common_holders(areas)
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
            and 2 * sum(len(text_of(s)) for s in alike) >= len(text_of(parent))
        ):
            lifted.append((parent, None))
        elif id(zone) in common:
            lifted.append((common[id(zone)], None))
        else:
            lifted.append((zone, scope))
    unique = {(id(z), tuple(id(e) for e in s or ())): (z, s) for z, s in lifted}
    return [(z, s) for z, s in unique.values() if not any(_holds_article(e) for e in s or (z,))]


def _common_holders(
    areas: list[tuple[HtmlElement, tuple[HtmlElement, ...] | None, bool]],
) -> dict[int, HtmlElement]:
    """Zones whose class names one comment (``div.Comment``, ``article.comment-item``) and
    that repeat across the page, each in its own wrapper (React threads nest every comment in
    a few anonymous divs), are items: they map to their lowest common ancestor, when that
    holder is mostly made of them."""
    groups: dict[tuple[str, tuple[str, ...]], list[HtmlElement]] = defaultdict(list)
    for zone, scope, by_class in areas:
        if by_class and scope is None and _naming_tokens(zone):
            groups[_signature(zone)].append(zone)
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
        if _holds_article(holder) or 2 * sum(len(text_of(z)) for z in zones) < len(text_of(holder)):
            continue
        for zone in zones:
            holders[id(zone)] = holder
    return holders


def _holds_article(zone: HtmlElement) -> bool:
    """Too wide to be a comment area: it holds the article's title or body."""
    return bool(
        zone.xpath(
            ".//*[@itemprop='articleBody'] | .//h1[not(ancestor::form)]"
            "[not(contains(@class,'comment')) and not(contains(@class,'title comment'))]"
        )
    )


def _signature(element: HtmlElement) -> tuple[str, tuple[str, ...]]:
    tokens = sorted(
        t.lower() for t in element.get("class", "").split() if not _NOISE_TOKEN.match(t)
    )
    return element.tag, tuple(tokens)


def _link_density(element: HtmlElement, text: str) -> float:
    if not text:
        return 1.0
    linked = sum(len(text_of(a)) for a in element.iter("a"))
    return min(1.0, linked / len(text))


_ITEM_TOKEN = re.compile(
    r"^(?!(?:add|write|leave|new|no|show|load|more|view|all|open|close|toggle|recent|latest|"
    r"top|most|count|confirm|cancel|delete|edit|report|submit)[-_])(?:[a-z0-9]+[-_])?(?:comment|kommentar|commentaire|reaction|réaction|review|reply|message|post)"
    r"(?:s?[-_]?(?:item|entry|single|box|wrap|wrapper|container|con|block|card))?$",
    re.I,
)


_PINGBACK = re.compile(r"pingback|trackback", re.I)


def _naming_tokens(element: HtmlElement) -> set[str]:
    """The class tokens that say "one comment" (``comment``, ``wc-comment``, ``commentsCon``)."""
    words = (_word_token(t) for t in element.get("class", "").split())
    return {w for w in words if _ITEM_TOKEN.match(w)}


def _item_like(element: HtmlElement) -> int:
    """How plainly a block says it is one comment: 2 by class or schema.org type, 1 by a
    numbered id, 0 not at all (a lone block must say so to count)."""
    if (
        _naming_tokens(element)
        or "Comment" in (element.get("itemtype") or "")
        or element.get("data-comment-id")
    ):
        return 2
    ident = element.get("id", "")
    first = next(iter(element), None)
    if (
        _HAS_DIGIT.search(ident)
        and re.search(r"comment|kommentar|post|msg|message|c\d|reply", ident, re.I)
    ) or (first is not None and first.tag == "a" and _HAS_DIGIT.search(first.get("id") or "")):
        return 1
    return 0


def _page_wide(form: HtmlElement, lengths: dict[HtmlElement, int] | None = None) -> bool:
    """A form that holds most of the page's text wraps the page (ASP.NET), not a comment box.

    `lengths` keeps text lengths for one page (tree unchanged): every comment area inside
    such a form asks again, and the body's text is the whole page.
    """
    lengths = {} if lengths is None else lengths
    body = next((a for a in ancestors(form) if a.tag == "body"), None)
    if body is None:
        return False
    for element in (form, body):
        if element not in lengths:
            lengths[element] = len(text_of(element))
    return lengths[form] * 2 > lengths[body]


def _area_elements(zone: HtmlElement, scope: tuple[HtmlElement, ...] | None):
    """Every element of an area, the zone itself excluded."""
    if scope is None:
        yield from zone.iterdescendants()
        return
    for top in scope:
        yield from top.iter()


def _items_in_zone(
    zone: HtmlElement,
    scope: tuple[HtmlElement, ...] | None = None,
    lengths: dict[HtmlElement, int] | None = None,
) -> tuple[list[HtmlElement], int]:
    """The repeated blocks of a zone that are single comments (replies may nest inside), and
    how plainly they say so (see `_item_like`). A lone block counts when it says so, or when
    it follows a comment heading and carries a date."""
    groups: dict[tuple[str, tuple[str, ...]], list[HtmlElement]] = defaultdict(list)
    # A form round the area is a comment form, unless it wraps the whole page (ASP.NET).
    in_form = any(a.tag == "form" and not _page_wide(a, lengths) for a in (zone, *ancestors(zone)))
    for element in _area_elements(zone, scope):
        if not isinstance(element.tag, str) or element.tag not in _ITEM_TAGS:
            continue
        if any(a.tag in _SKIP_TAGS for a in _ancestors_until(element, zone)) or in_form:
            continue
        if _PINGBACK.search(element.get("class", "")):
            continue  # another site's link notice, not a reader's comment
        groups[_signature(element)].append(element)
    # Blocks that hold a thread heading ("Kommentare") are sections of a page, not comments.
    headings = [
        e for e in _area_elements(zone, scope) if isinstance(e.tag, str) and _heading_like(e)
    ]
    holders = {a for h in headings for a in (h, *_ancestors_until(h, zone))}
    valid: list[list[HtmlElement]] = []
    for members in groups.values():
        if any(m in holders for m in members):
            continue
        texts = [text_of(m) for m in members]
        if sum(len(t) for t in texts) / len(texts) < 15:
            continue
        density = sum(_link_density(m, t) for m, t in zip(members, texts, strict=True))
        if density / len(members) > 0.6:
            continue
        if (
            len(members) == 1
            and not _item_like(members[0])
            and not (scope and members[0] in scope and _date_in(members[0])[0])
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
            depth = min(sum(1 for _ in _ancestors_until(m, zone)) for m in members)
            candidates.append((-named_of[index], depth, -len(members), index))
    if not candidates:
        return [], 0
    best = min(candidates)
    chosen = valid[best[3]]
    # Replies and flagged comments carry other classes ("wc-comment wc-reply wc-blog-user",
    # "xenforo-comment" beside "xenforo-comment xenforo-read-more-target"): same tag, and a
    # superset of the tokens or the same token that names the block a comment.
    tag, tokens = _signature(chosen[0])
    if tokens:
        chosen_set = set(chosen)
        naming = _naming_tokens(chosen[0])
        extra = [
            e
            for e in _area_elements(zone, scope)
            if e.tag == tag
            and e not in chosen_set
            and (set(tokens) <= set(_signature(e)[1]) or naming & _naming_tokens(e))
        ]
        chosen = [e for e in _area_elements(zone, scope) if e in chosen_set or e in extra]
    return chosen, -best[0]


def _best_zones(
    tree: HtmlElement,
) -> list[tuple[HtmlElement, list[HtmlElement], list[HtmlElement]]]:
    """Non-overlapping comment areas with their items and the elements that make them up, in
    page order. Where areas nest, the one whose items most plainly say they are comments wins:
    a page-wide block that mentions comments loses to the comment list inside it."""
    scored = []
    areas = comment_areas(tree)
    # A heading inside a wide block narrows it: the blocks after "Kommentare" beat the whole
    # column (which also holds the article or a forum thread's first post).
    narrowed = {id(zone) for zone, scope in areas if scope}
    lengths: dict[HtmlElement, int] = {}
    for order, (zone, scope) in enumerate(areas):
        items, named = _items_in_zone(zone, scope, lengths)
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


def _ancestors_until(element: HtmlElement, stop: HtmlElement):
    for node in ancestors(element):
        if node is stop:
            return
        yield node


def _without_nested(item: HtmlElement, items: set) -> HtmlElement:
    """A copy of `item` without the other comments nested in it (its replies)."""
    clone = copy.deepcopy(item)
    originals = list(item.iterdescendants())
    copies = list(clone.iterdescendants())
    remove_elements(c for o, c in zip(originals, copies, strict=True) if o in items)
    return clone


def _inner_id(own: HtmlElement) -> str | None:
    for element in own.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in ("data-comment-id", "data-commentid", "data-id"):
            if element.get(attr):
                return element.get(attr)
        ident = element.get("id") or element.get("name") or ""
        if _HAS_DIGIT.search(ident) and re.search(r"comment|kommentar|c\d|msg|post", ident, re.I):
            return ident
        if element.tag == "a" and ident.isdigit() and not element.get("href"):
            return ident  # an anchor target <a name="167559"></a> at the comment
    return None


def _reply_hint(own: HtmlElement) -> str | None:
    """The parent named by attributes or an "in reply to" link, for comments not nested."""
    for element in own.iter():
        if not isinstance(element.tag, str) or "reply-link" in element.get("class", ""):
            continue  # WordPress's own "Reply" button names this comment, not its parent
        for attr in ("data-parent-id", "data-parent", "data-reply-to", "data-in-reply-to"):
            value = (element.get(attr) or "").strip()
            if _HAS_DIGIT.search(value) and value.strip("0"):
                return site_comment_id(value)
    for link in own.xpath(
        ".//a[contains(@href,'#')][contains(@class,'reply-to') or contains(@class,'in-reply')"
        " or contains(@class,'parent') or contains(@class,'replyto')]"
        " | .//*[contains(@class,'in-reply') or contains(@class,'reply-to')]//a[contains(@href,'#')]"
    ):
        return site_comment_id(link.get("href"))
    return None


def _first_short_text(own: HtmlElement, xpaths: tuple[str, ...], limit: int = 80) -> str | None:
    for index, xpath in enumerate(xpaths):
        for element in own.xpath(xpath):
            if element.tag in ("p", "blockquote") and index >= 3:
                continue  # a paragraph counts only when it says it is the author
            text = element.get("content") if element.tag == "meta" else text_of(element)
            text = _clean_author(text)
            if text and len(text) <= limit and not _DATE_IN_TEXT.fullmatch(text):
                return text
    return None


def _date_in(own: HtmlElement) -> tuple[str | None, HtmlElement | None]:
    for element in own.xpath(
        ".//time | .//*[@itemprop='dateCreated' or @itemprop='datePublished'] | .//abbr[@title]"
        " | .//*[@content][contains(@property,'date') or contains(@property,'created')]"
    ):
        value = element.get("datetime") or element.get("content") or element.get("title")
        value = value or text_of(element)
        if parse_datetime(value):
            return value, element
    for element in own.xpath(_DATE_CLASS):
        text = text_of(element)
        if len(text) > 160:
            continue
        match = _DATE_IN_TEXT.search(text)
        if match and parse_datetime(_day_first(match.group(0))):
            return _day_first(match.group(0)), element
    for element in own.iter("b", "span", "small", "div", "em", "i", "p", "strong", "a", "cite"):
        text = text_of(element)
        if len(text) > 60:
            continue
        match = _DATE_IN_TEXT.search(text)
        if match and parse_datetime(_day_first(match.group(0))):
            return _day_first(match.group(0)), element
    # A date written straight into the block, between its child elements.
    for element in own.iter():
        if not isinstance(element.tag, str):
            continue
        pieces = [element.text] + [child.tail for child in element]
        for piece in (clean_text(p) for p in pieces if p):
            match = _DATE_IN_TEXT.search(piece) if len(piece) <= 60 else None
            if match and parse_datetime(_day_first(match.group(0))):
                return _day_first(match.group(0)), None
    return None, None


_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:,?\s+(\d{1,2}:\d{2}))?$")
_DOTTED = re.compile(
    r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:,?\s+(?:um\s+|-\s+)?(\d{1,2})[:.](\d{2}))?$"
)


def _day_first(text: str) -> str:
    """Numeric dates as ISO: ``12/03/2024`` is day first (most of the world) unless the second
    number cannot be a month; ``16.03.2024 - 07:20`` is always day first."""
    if match := _SLASHED.match(text):
        first, second, year, clock = match.groups()
        day, month = (second, first) if int(second) > 12 else (first, second)
        return f"{year}-{int(month):02d}-{int(day):02d}" + (f" {clock}" if clock else "")
    if match := _DOTTED.match(text):
        day, month, year, hour, minute = match.groups()
        iso = f"{year}-{int(month):02d}-{int(day):02d}"
        return iso + (f" {int(hour):02d}:{minute}" if hour else "")
    return text


def _text_element(own: HtmlElement, skip: list[HtmlElement]) -> HtmlElement:
    """The element holding the comment's words: a content-like block, else the whole item."""
    best, best_len = None, 0
    for element in own.iterdescendants():
        if not isinstance(element.tag, str) or element.tag not in (
            "div", "p", "section", "blockquote", "span", "dd", "td",
        ):  # fmt: skip
            continue
        if element.get("itemprop") in ("text", "commentText"):
            return element
        classes = element.get("class", "")
        if not _TEXT_CLASS.search(classes) or _NOT_TEXT_CLASS.search(classes):
            continue
        if any(s is element or s in element.iterdescendants() for s in skip if s is not None):
            continue
        # Length of what a reader wrote: a "text-right" block of Reply buttons has none.
        length = len(comment_text(element))
        if length > best_len:
            best, best_len = element, length
    return best if best is not None else own


def generic_comments(tree: HtmlElement) -> tuple[list[CommentData], list[HtmlElement]]:
    """Repeated blocks with author, date and text inside a comment area, threaded by nesting,
    Drupal-style ``div.indented`` siblings or "in reply to" links."""
    comments: list[CommentData] = []
    used: list[HtmlElement] = []
    for zone, items, parts in _best_zones(tree):
        used.extend(parts)
        item_set = set(items)
        ids: dict[HtmlElement, str | None] = {}
        # Each item's own copy is made once: the loops below read it, and edit only copies.
        owns = {item: _without_nested(item, item_set) for item in items}
        for item in items:
            own = owns[item]
            ids[item] = site_comment_id(item.get("id") or _inner_id(own) or _anchor_before(item))
        for item in items:
            own = owns[item]
            published, date_el = _date_in(own)
            author = _first_short_text(own, _AUTHOR_XPATH)
            author_el = None
            byline = _byline(own)
            if byline is not None and not author:
                author = _clean_author(_BYLINE.match(text_of(byline)).group(1))
            if author:
                author_el = next(
                    (e for x in _AUTHOR_XPATH for e in own.xpath(x) if author in text_of(e)), None
                )
            text_el = _text_element(own, [author_el, date_el])
            if text_el is own:
                own = copy.deepcopy(own)
                total = len(text_of(own))
                header = [
                    e
                    for e in own.xpath(
                        ".//header | .//footer | .//*[contains(@class,'meta') or contains(@class,'author')"
                        " or contains(@class,'vcard') or contains(@class,'date') or contains(@class,'info')]"
                    )
                    if len(text_of(e)) < min(200, total / 2)
                ]
                remove_elements(header)
                remove_elements(_matching(own, author, published))
                remove_elements([e for e in own.iter() if _is_byline(e)])
                text = "\n\n".join(
                    line
                    for line in comment_text(own).split("\n\n")
                    if not _DATE_IN_TEXT.fullmatch(line.strip(" |-–—,·"))
                )
            else:
                title = _comment_title(own, text_el, author)
                text = comment_text(text_el)
                text = f"{title}\n\n{text}" if title and text else text
            if not _WORD.search(text):  # a bare number is a score or a user's points
                continue
            comments.append(
                CommentData(
                    id=ids[item],
                    parent_id=_own_parent(
                        ids[item], _generic_parent(item, item_set, ids, zone) or _reply_hint(own)
                    ),
                    author=author,
                    published=published,
                    text=text,
                    score=None,
                )
            )
    return comments, used


def _is_byline(element: HtmlElement) -> bool:
    return (
        isinstance(element.tag, str)
        and element.tag in ("h3", "h4", "h5", "h6", "strong", "b", "span", "div", "p", "header")
        and not any(True for _ in element.iterdescendants(*_BLOCK_TAGS))
        and bool(_BYLINE.match(text_of(element)))
    )


def _byline(own: HtmlElement) -> HtmlElement | None:
    """The block that reads "Kommentar von NAME" / "Comment by NAME", if any."""
    return next((e for e in own.iter() if _is_byline(e)), None)


def _comment_title(own: HtmlElement, text_el: HtmlElement, author: str | None) -> str | None:
    """A title the reader gave the comment: a heading of the item outside its text block that
    is neither the author, a date nor a byline."""
    for heading in own.iter("h3", "h4", "h5", "h6"):
        if heading is text_el or text_el in ancestors(heading) or heading in ancestors(text_el):
            continue
        text = text_of(heading)
        if (
            text
            and len(text) <= 200
            and (not author or author not in text)
            and not _DATE_IN_TEXT.search(text)
            and not _BYLINE.match(text)
            and not heading.xpath("ancestor-or-self::a | .//a")
        ):
            return text
    return None


def _matching(own: HtmlElement, author: str | None, published: str | None) -> list[HtmlElement]:
    """Short leaf blocks that only repeat the author or date (kept out of the text)."""
    out = []
    for element in own.iterdescendants():
        if not isinstance(element.tag, str) or len(element):
            continue
        text = text_of(element)
        if text and (
            text == author
            or (published and text == published)
            or _DATE_IN_TEXT.fullmatch(text)
            or re.fullmatch(r"\d{1,2}[:.h]\d{2}(?:\s*uhr)?", text, re.I)
        ):
            out.append(element)
    return out


def _own_parent(own_id: str | None, parent_id: str | None) -> str | None:
    """A comment is never its own parent (an outer block can borrow its inner block's id)."""
    return None if parent_id is not None and parent_id == own_id else parent_id


def _anchor_before(item: HtmlElement) -> str | None:
    """Drupal puts ``<a id="comment-12"></a>`` just before the comment's block."""
    previous = item.getprevious()
    if previous is not None and previous.tag == "a":
        return previous.get("id") or previous.get("name")
    return None


def _generic_parent(
    item: HtmlElement, items: set, ids: dict[HtmlElement, str | None], zone: HtmlElement
) -> str | None:
    for node in _ancestors_until(item, zone):
        if node in items:
            return ids[node]
        # Drupal: replies sit in a div.indented that follows their parent's block.
        if "indented" in node.get("class", "").split() or (
            node.tag in ("ul", "ol", "div")
            and {"children", "replies"} & set(node.get("class", "").split())
        ):
            sibling = node.getprevious()
            while sibling is not None:
                if sibling in items:
                    return ids[sibling]
                if sibling.tag == "a" and sibling.get("id"):
                    sibling = sibling.getprevious()
                    continue
                break
    return None


# --- entry points -------------------------------------------------------------------------


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
    # A page-state blob holds the comments the HTML is rendered from, with their real ids,
    # parents and dates, and often more than the HTML shows (the first few, a "top" tab): it
    # wins when it has more, and over the general rule when it has as many.
    from .comment_state import state_comments

    state = state_comments(tree)
    zones: list[HtmlElement] = []
    for finder in (wordpress_comments, microdata_comments, generic_comments):
        comments, used = finder(tree)
        comments = [c for c in map(_tidy, comments) if c is not None]
        if comments:
            generic = finder is generic_comments
            if len(state) > len(comments) or (generic and len(state) == len(comments)):
                return _unique_ids(state), used
            return _unique_ids(comments), used
        zones = zones or used
    if state:
        return _unique_ids(state), zones
    return jsonld_comments(article_node), zones


# A comment's header or footer line that is only its date ("März 7, 2018", "Jun 20th at 2:41
# am", "(15.05.2019)", "22.09.20 | 12:45"), possibly beside the author's name ("Tobsen · April
# 19, 2019", "23.09.20 | 18:19 emari").
_MONTH = (
    r"(?:jan|feb|fév|fev|mär|maer|mar|apr|avr|abr|mai|may|mag|jun|jui|giu|jul|lug|aug|aoû|aou|"
    r"ago|sep|set|okt|oct|ott|nov|dez|dec|déc|dic)[^\W\d_]*"
)
_MONTH_DATE = (
    rf"{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\.?,?(?:\s+\d{{4}})?"
    rf"|\d{{1,2}}\.?\s+{_MONTH}\.?(?:\s+\d{{4}})?"
)
_NUM_DATE = r"\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}"
_TIME = r"(?:,?\s*(?:at|um|à|a las|-|\|)?\s*\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?|uhr)?)"
_DATE_LINE = re.compile(rf"(?:{_NUM_DATE}|{_MONTH_DATE}){_TIME}?", re.I)
# A part that is only a time ("12:45", "9:10 PM"), and a time opening a name part.
_TIME_ONLY = re.compile(_TIME, re.I)
_LEADING_TIME = re.compile(rf"^{_TIME}\s*", re.I)
_NAME_PART = re.compile(r"[^\s·|]{2,}(?:\s[^\s·|]+){0,3}")


def _tidy(comment: CommentData) -> CommentData | None:
    """Drop a comment's header and footer lines that only repeat its author or date (themes
    that print "Name · date" beside the text rather than in marked-up fields), take the
    author from such a line when no field gave it, and drop a comment that was only controls
    (a lone "Log In" or "Reply")."""
    lines = [line for line in comment.text.split("\n\n") if not _CHROME_LINE.match(line)]
    if not lines and comment.text:
        return None
    for end in (0, -1):
        while lines:
            line = lines[end].strip(" ()[]")
            # The author's name closing the text is the reader's sign-off: it stays.
            author = _header_author(line, comment.author if end == 0 else None)
            if author is None:
                break
            if author and not comment.author:
                comment.author = author
            date = _DATE_LINE.search(line)
            if date and not comment.published:
                comment.published = date.group(0)
            del lines[end]
        if (
            end == 0
            and len(lines) > 1
            and not comment.author
            and _header_author(lines[1].strip(" ()[]"), None) == ""
            and _NAME_PART.fullmatch(lines[0])
            and len(lines[0]) <= 40
        ):
            # "dottoressa" then "März 7, 2018": the first line is the author's name
            comment.author = lines[0].strip()
            comment.published = comment.published or lines[1].strip(" ()[]")
            del lines[0:2]
    if not lines:
        return None
    comment.text = "\n\n".join(lines)
    return comment


def _header_author(line: str, author: str | None) -> str | None:
    """For a line that is only a date, or an author and a date, or the author's name: the
    name it holds ('' when none); None when the line is the reader's own words."""
    if author and line == author:
        return author
    if _DATE_LINE.fullmatch(line):
        return ""
    parts = [p.strip() for p in re.split(r"\s+[·|•–—-]\s+|\s*\|\s*", line) if p.strip()]
    if len(parts) < 2 or len(line) > 80:
        return None
    dates = [p for p in parts if _DATE_LINE.fullmatch(p) or _TIME_ONLY.fullmatch(p)]
    if not dates:
        match = _DATE_LINE.match(line)
        rest = line[match.end() :].strip(" |·-") if match else ""
        return rest if match and _NAME_PART.fullmatch(rest) else None
    names = [_LEADING_TIME.sub("", p) for p in parts if p not in dates]
    if len(names) > 1 or (names and not _NAME_PART.fullmatch(names[0])):
        return None
    return names[0] if names else ""


def _unique_ids(comments: list[CommentData]) -> list[CommentData]:
    """Ids that repeat on one page are not ids (theme counters): drop them, and their parents."""
    counts: dict[str | None, int] = defaultdict(int)
    for comment in comments:
        counts[comment.id] += 1
    bad = {i for i, n in counts.items() if i is not None and n > 1}
    for comment in comments:
        if comment.id in bad:
            comment.id = None
        if comment.parent_id in bad:
            comment.parent_id = None
    return comments


_PAGE_LINK_TEXT = re.compile(
    r"(?:older|newer|previous|next|more|ältere|neuere|weitere|vorherige|nächste|plus anciens|"
    r"plus récents|précédents|suivants|anteriores|siguientes).{0,20}"
    r"(?:comments?|kommentare?|commentaires?|réactions?|comentarios)",
    re.I,
)
_PAGE_PARAMS = ("cpage", "page", "comment_page", "comments_page", "commentpage", "pg", "p")
_COMMENT_PAGE_PATH = re.compile(r"/comment-page-\d+/?$|/comments?/page/\d+/?$")


def _article_path(url: str) -> tuple[str, str, str]:
    """Host, path and query of `url` with any comment-page part taken out."""
    parts = urlsplit(url)
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
        parts = urlsplit(target)
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
    for href in tree.xpath("//link[@rel='shortlink']/@href"):
        match = re.search(r"[?&]p=(\d+)", href)
        if match:
            return match.group(1)
    for classes in tree.xpath("//body/@class"):
        match = re.search(r"\bpostid-(\d+)\b", classes)
        if match:
            return match.group(1)
    for ident in tree.xpath("//article/@id"):
        match = re.fullmatch(r"post-(\d+)", ident)
        if match:
            return match.group(1)
    return None


def read_comment_page(
    html: str | bytes, url: str, profile: SiteProfile | None, content_type: str | None = None
) -> tuple[list[CommentData], list[str]]:
    """A thread's further page: its comments (dates in ISO 8601) and its links to other pages."""
    from ..dates import to_iso8601
    from .document import parse_html

    tree = parse_html(html, content_type)
    comments, _ = extract_comments(tree, profile, {})
    tz = profile.timezone if profile else None
    for comment in comments:
        comment.published = to_iso8601(comment.published, tz)
    rules = profile.comments if profile else None
    return comments, comment_page_links(tree, url, rules.pagination if rules else None)
