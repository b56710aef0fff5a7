"""Article authors: a clean list of person names from every source a page offers.

Sources in order of trust: JSON-LD (persons, also through @graph @id references), author meta
tags, then visible bylines (microdata, rel=author, byline classes, author-page links). A name
that is the site's own is an organisation and is kept only when no person is named.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from . import lexicon
from .document import ancestors, class_and_id, clean_text, text_of, xpath
from .metadata import (
    MetadataSources,
    _as_text,
    _norm,
    dedupe,
    host_names,
    language,
    node_types,
    site_names,
)
from .thresholds import (
    AUTHOR_NAME_MAX_CHARS,
    AUTHOR_NAME_MAX_WORDS,
    BYLINE_CANDIDATES,
    BYLINE_GROUP_CHARS,
    BYLINE_MAX_CHARS,
    CJK_BYLINE_MAX_CHARS,
    LEAD_BYLINE_MAX_CHARS,
    LEAD_BYLINE_PROSE,
)

BYLINE_PREFIX = re.compile(
    rf"^\s*(?:{lexicon.BYLINE_LABELS}(?:\s*:\s*|\s+|$)|(?:{lexicon.BYLINE_FIELD_LABELS})\s*:\s*)",
    re.IGNORECASE,
)
# A label glued to the name by markup that put no space between them: "AuthorAndreas Kalt".
_GLUED_LABEL = re.compile(r"^(?:[Aa]uthor|[Aa]utor(?:in)?)(?=[A-ZÄÖÜ][a-zäöü])")
_AUTHOR_SPLIT = re.compile(rf"\s*(?:{lexicon.AUTHOR_JOINERS})\s*", re.IGNORECASE)


def clean_author(name: str) -> str | None:
    """One person's name without "By", dates, roles or e-mail addresses."""
    name = clean_text(name)
    name = _GLUED_LABEL.sub("", BYLINE_PREFIX.sub("", name))
    name = re.sub(r"\S+@\S+", "", name)
    name = re.split(
        r"\s+[|,–—-]\s+|\s*\d{1,2}[./]\d{1,2}[./]\d{2,4}|\s+(?:le|on|am|il|el)\s+\d", name
    )[0]
    name = name.strip(" ,;:|-–—·")
    if (
        not name
        or len(name) > AUTHOR_NAME_MAX_CHARS
        or len(name.split()) > AUTHOR_NAME_MAX_WORDS
        or re.search(r"https?:|www\.", name)
    ):
        return None
    if any(not re.match(r"[^\W\d_]", word) for word in name.split()):
        return None  # a date, a time or a count; user names such as "delta201" stay
    if _NOT_A_NAME.search(name) or re.fullmatch(r"[a-z]+(?:-[a-z]+)+", name):
        return None  # a photo credit, or a URL slug such as "emma-mackenzie"
    return name


_NOT_A_NAME = re.compile(rf"[()\[\]{{}}<>@=]|\b(?:{lexicon.NOT_IN_NAMES})\b", re.IGNORECASE)


def split_authors(text: str) -> list[str]:
    """Split a byline that names several people (credentials after a name are not people)."""
    text = BYLINE_PREFIX.sub("", clean_text(text))
    parts = [part for part in _AUTHOR_SPLIT.split(text) if part]
    parts = parts[:1] + [p for p in parts[1:] if not _CREDENTIAL.fullmatch(p.strip(" .,"))]
    names = [clean_author(part) for part in parts]
    return dedupe([n for n in names if n])


_CREDENTIAL = re.compile(rf"(?:{lexicon.CREDENTIALS})\.?")


_AUTHOR_META = (
    "author",
    "article:author",
    "dc.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
    "twitter:misc:written by",
    "cxenseparse:author",
)
# Yoast's "twitter:label1" = "Written by" / "twitter:data1" = name, in the page's language.
_WRITTEN_BY = re.compile(rf"^(?:{lexicon.WRITTEN_BY})$", re.IGNORECASE)


def _labelled_author(sources: MetadataSources) -> list[str]:
    """Names from twitter:labelN/dataN pairs whose label says "written by"."""
    found = []
    for n in range(1, 5):
        label, data = sources.meta.get(f"twitter:label{n}"), sources.meta.get(f"twitter:data{n}")
        if label and data and _WRITTEN_BY.match(label[0].strip(" :")):
            found.append(data[0])
    return found


# Visible bylines: schema.org markup, author links, elements whose class names a byline. The
# class test is finished in Python (`_BYLINE_CLASS`): XPath 1.0 has no word-end match.
_BYLINE_XPATH = (
    '/descendant::*[@itemprop="author" or self::a[@rel="author"]'
    ' or (contains(@class,"uthor") or contains(@class,"yline") or contains(@class,"ontributor"))'
    " and not(self::body or self::html)"
    ' or self::a[contains(@href,"/autoren/") or contains(@href,"/author/")'
    ' or contains(@href,"/autor/")]]'
)  # one step, not a union: libxml2 merges a union's node sets in quadratic time
# "author", "post-author", "article__author", "author-name", "authorbox", "c-byline",
# "field-contributor"; not "author-bio", "author-avatar" or "bypostauthor".
_BYLINE_CLASS = re.compile(
    r"(?:^|[-_])(?:author|autor|byline|contributor)s?(?:[-_]{0,2}(?:name|box|info))?$"
)
_COMMENT_WORD = re.compile(rf"(?:^|[_-])(?:{lexicon.COMMENT_CLASS_WORDS})(?:$|[_-])")
_AUTHOR_PAGE = re.compile(r"/(?:autoren|author|autor)/", re.IGNORECASE)
_ADMIN_ACCOUNT = re.compile(r"/author/(?:admin|administrator|webmaster)\b", re.IGNORECASE)
_LISTING_LINK = re.compile(r"/(?:autoren|authors?|autor)/?(?:[?#].*)?$", re.IGNORECASE)


def byline_names(tree: HtmlElement) -> tuple[list[str], set[str]]:
    """Names from the page's first visible byline and the bylines next to it, and the
    names among them that link to the CMS admin account (they stand for the site).

    Teasers of other stories, author boxes of "more from" lists and comment threads carry
    bylines too; they lie far from the article's own, so only candidates whose common
    ancestor with the first one holds little text are kept.
    """
    first: HtmlElement | None = None
    first_line: set[HtmlElement] = set()
    names: list[str] = []
    accounts: set[str] = set()
    for element in xpath(tree, _BYLINE_XPATH)[:BYLINE_CANDIDATES]:
        if _LISTING_LINK.search(element.get("href") or "") or any(
            _in_comments(a) or _in_menu(a) for a in (element, *ancestors(element))
        ):
            continue  # a link to the list of all authors, a reader's comment, a menu
        text = _byline_text(element)
        if not text:
            continue
        found = split_authors(text)
        if first is None:
            first, first_line = element, {element, *ancestors(element)}
        elif not _near(element, first_line):
            continue
        names += found
        if _ADMIN_ACCOUNT.search(element.get("href") or ""):
            accounts.update(found)
    return names, accounts


def _byline_text(element: HtmlElement) -> str:
    """The text a byline candidate gives, or "" when it is not one after all."""
    if element.get("itemprop") == "author":
        names = element.xpath('.//*[@itemprop="name"]')
        if names:
            return " , ".join(n.get("content") or text_of(n) for n in names)
        return element.get("content") or text_of(element)
    by_class = any(_BYLINE_CLASS.search(t) for t in (element.get("class") or "").lower().split())
    by_link = element.tag == "a" and (
        element.get("rel") == "author" or _AUTHOR_PAGE.search(element.get("href") or "")
    )
    if not (by_class or by_link):
        return ""
    text = text_of(element)
    return text if len(text) <= BYLINE_MAX_CHARS else ""


def _in_comments(element: HtmlElement) -> bool:
    """Whether a class or id token names a comment area ("comment-list", "js-comments"), not
    a WordPress taxonomy class such as "category-kommentar"."""
    return any(
        _COMMENT_WORD.search(token) and not token.startswith(("category-", "tag-"))
        for token in class_and_id(element).split()
    )


def _in_menu(element: HtmlElement) -> bool:
    """A navigation menu: mega-menus list the site's columnists by their author pages. Layout
    flags on a page wrapper ("with-navigation", "has-menu") name no menu."""
    return element.tag == "nav" or any(
        _MENU_WORD.search(token) and not token.startswith(("with-", "has-", "no-", "is-"))
        for token in class_and_id(element).lower().split()
    )


_MENU_WORD = re.compile(rf"(?:^|[-_])(?:{lexicon.MENU_CLASS_WORDS})(?:$|[-_\d])")


def _near(element: HtmlElement, first_line: set[HtmlElement]) -> bool:
    """Whether `element` shares a small block (under BYLINE_GROUP_CHARS of text) with the first."""
    for node in ancestors(element):
        if node in first_line:
            return len(node.text_content()) < BYLINE_GROUP_CHARS
    return False


def authors(tree: HtmlElement, sources: MetadataSources, url: str | None = None) -> list[str]:
    """Person names; an organisation only when no person is named.

    Sources in order: JSON-LD, meta tags, visible bylines. A name that is the site's own
    (its og:site_name, publisher or domain) counts as an organisation, so a byline naming a
    person still wins over it. Agencies that the JSON-LD lists next to its persons ("SDA",
    "Deutsche Presse-Agentur") are co-authors and stay.
    """
    own = {_norm(n) for n in site_names(sources) + list(host_names(url))} - {""}

    def is_own(name: str, loose: bool = False) -> bool:
        """The site's own name; `loose`: or one holding it as words ("MDR THÜRINGEN", "Euronews
        with Agencies"), which in a free-text byline is a desk, not a person."""
        norm = _norm(name)
        if norm in own or _DOMAIN.search(name):
            return True
        return loose and any(f" {o} " in f" {norm} " for o in own)

    orgs: list[str] = []  # organisations of the first source that names any
    people: list[str] = []
    agencies: list[str] = []
    for name, organisation in _jsonld_authors(sources):
        if organisation or is_own(name):
            (orgs if is_own(name) else agencies).append(name)
        else:
            people.append(name)
    if people:
        return dedupe(people + agencies)
    orgs += agencies
    meta_orgs: list[str] = []
    for key in _AUTHOR_META:
        for value in sources.meta.get(key, []) + (
            _labelled_author(sources) if key == "byl" else []
        ):
            if value.startswith("http"):
                continue
            names = split_authors(value)
            # "site.de, Frankfurt, Germany": a site and its address, not three people.
            if any(is_own(n, loose=True) for n in names):
                meta_orgs += [n for n in names if is_own(n, loose=True)]
            else:
                people += names
    if people:
        return dedupe(people)
    orgs = orgs or meta_orgs
    byline_orgs: list[str] = []
    names, accounts = byline_names(tree)
    for name in names:
        if is_own(name, loose=True) or name in accounts or name in orgs:
            byline_orgs.append(name)
        elif not (orgs and _INITIALS.fullmatch(name)):  # "amw" does not beat a declared org
            people.append(name)
    return (
        dedupe(people)
        or lead_byline(tree)
        or (labelled_cjk_byline(tree) if _chinese(tree, sources) else [])
        or dedupe(orgs or byline_orgs)
    )


# A print-style byline pasted into the story: a bold paragraph of one to three names.
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
_LEAD_NAME = re.compile(rf"{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}")
_LEAD_SPLIT = re.compile(r"\s*(?:/|,|&|\band\b)\s*")


# The first <strong> and the first <b> of each paragraph (`//p/strong[1] | //p/b[1]`, as one step).
_LEAD_BOLD = (
    "/descendant::*[parent::p][self::strong[not(preceding-sibling::strong)]"
    " or self::b[not(preceding-sibling::b)]]"
)


def lead_byline(tree: HtmlElement) -> list[str]:
    """Names from a bold paragraph that opens the story, when no other source names a person.

    Small publishers type the byline into the article as its first paragraph
    (``<p><strong>Ana Ruiz/Tom Li</strong></p>``). It counts only when it is wholly bold, is
    made of capitalised names, comes before any long paragraph and is followed by prose.
    """
    for strong in xpath(tree, _LEAD_BOLD):
        para = strong.getparent()
        text = text_of(para)
        if not text or text != text_of(strong) or len(text) > LEAD_BYLINE_MAX_CHARS:
            continue
        parts = [p for p in _LEAD_SPLIT.split(text) if p]
        if not parts or len(parts) > 3 or not all(_LEAD_NAME.fullmatch(p) for p in parts):
            continue
        before = [text_of(p) for p in para.itersiblings("p", preceding=True)]
        after = [text_of(p) for _, p in zip(range(3), para.itersiblings("p"), strict=False)]
        if sum(map(len, after)) >= LEAD_BYLINE_PROSE and all(
            len(b) < LEAD_BYLINE_PROSE for b in before
        ):
            return parts
    return []


# Chinese bylines are labelled text, not markup: "作者：王明", "（记者 宋晨、田中全）", and at
# the foot "(责编：牛镛、岳弘彬)", the editors, who sign the story when no writer is named.
_CJK_NAME = r"[\u4e00-\u9fff·]{2,4}"
_CJK_WRITER = re.compile(
    rf"(?:{lexicon.CJK_WRITER_LABELS})\s*[:：]?\s*({_CJK_NAME}(?:[、，,\s]+{_CJK_NAME})*)"
)
_CJK_EDITOR = re.compile(
    rf"(?:{lexicon.CJK_EDITOR_LABELS})\s*[:：]\s*({_CJK_NAME}(?:[、，,\s]+{_CJK_NAME})*)"
)
_CJK_LABELS = (
    "//*["
    + " or ".join(
        f"contains(text(),'{label}')"
        for labels in (lexicon.CJK_WRITER_LABELS, lexicon.CJK_EDITOR_LABELS)
        for label in labels.split("|")
    )
    + "]"
)


def _chinese(tree: HtmlElement, sources: MetadataSources) -> bool:
    """Declared Chinese, or undeclared with Han characters and no kana (Japanese) in the title:
    the label search walks every text node, so it runs only where such labels are used."""
    declared = language(sources)
    if declared:
        return declared == "zh"
    title = tree.findtext(".//title") or ""
    return bool(_HAN.search(title)) and not _KANA.search(title)


_HAN = re.compile(lexicon.HAN)
_KANA = re.compile(lexicon.KANA)


def labelled_cjk_byline(tree: HtmlElement) -> list[str]:
    """Names after a Chinese byline label in a short element: writers first, else editors."""
    texts = [
        text_of(e) for e in tree.xpath(_CJK_LABELS) if e.tag not in ("script", "style", "title")
    ]
    for pattern in (_CJK_WRITER, _CJK_EDITOR):
        for text in texts:
            if len(text) > CJK_BYLINE_MAX_CHARS:
                continue
            match = pattern.search(text)
            if match:
                return dedupe(re.split(r"[、，,\s]+", match.group(1).strip()))
    return []


def _jsonld_authors(sources: MetadataSources) -> list[tuple[str, bool]]:
    """(name, is an organisation) for each author and creator of the main JSON-LD node (or,
    when it names none, of the page's recipe, review or forum post).

    Nested lists are flattened and ``{"@id": ...}`` references resolved into the @graph
    (Yoast and others declare the person once there).
    """
    by_id = {n["@id"]: n for n in sources.jsonld_nodes if isinstance(n.get("@id"), str)}
    out: list[tuple[str, bool]] = []
    node = sources.jsonld
    if not (node.get("author") or node.get("creator")):
        # Recipes, reviews and how-tos are the page's story on sites that declare no article.
        node = next(
            (n for n in sources.jsonld_nodes if node_types(n) & _WORK_TYPES and n.get("author")),
            node,
        )
    for author in _flat(node.get("author")) + _flat(node.get("creator")):
        if isinstance(author, dict) and "name" not in author and author.get("@id") in by_id:
            author = by_id[author["@id"]]
        if isinstance(author, dict):
            name = _as_text(author.get("name"))
            types = node_types(author)
            # A blogger's own site often types its author ["Person", "Organization"]; a CMS
            # admin account stands for the site, not for a writer.
            organisation = (bool(types & _ORG_TYPES) and "person" not in types) or any(
                _ADMIN_ACCOUNT.search(str(author.get(k) or "")) for k in ("@id", "url")
            )
            out += [(n, organisation) for n in split_authors(name or "")]
        elif isinstance(author, str) and not author.startswith("http"):
            out += [(n, False) for n in split_authors(author)]
    return out


def _flat(value: object) -> list[object]:
    """A JSON-LD value as a flat list: authors come as one node, a list, or lists of lists."""
    if isinstance(value, list):
        return [item for v in value for item in _flat(v)]
    return [] if value is None else [value]


_INITIALS = re.compile(r"[a-zäöü]{2,5}")  # a desk's lower-case sign-off: "red", "amw"
_WORK_TYPES = frozenset({"recipe", "review", "howto", "creativework", "discussionforumposting"})
_ORG_TYPES = frozenset({"organization", "newsmediaorganization", "corporation"})
_DOMAIN = re.compile(r"\w\.(?:[a-z]{2,3}|com|info|online)$", re.IGNORECASE)
