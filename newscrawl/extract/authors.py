"""Article authors: a clean list of person names from every source a page offers.

Sources in order of trust: JSON-LD (persons, also through @graph @id references), author meta
tags, then visible bylines (microdata, rel=author, byline classes, author-page links). A name
that is the site's own is an organisation and is kept only when no person is named.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from .document import ancestors, class_and_id, clean_text, text_of
from .metadata import (
    MetadataSources,
    _as_text,
    _norm,
    dedupe,
    host_names,
    node_types,
    site_names,
)

_BYLINE_PREFIX = re.compile(
    r"^\s*(by|par|von|van|di|de|por|door|av|af|written by|texte de|text:|ein artikel von|autor(?:in)?:?|auteur\s*:?)\s+",
    re.IGNORECASE,
)
_AUTHOR_SPLIT = re.compile(
    r"\s*(?:,|;|&|\band\b|\bet\b|\bund\b|\be\b|\by\b|\bog\b|\bsowie\b|\|)\s*", re.IGNORECASE
)


def clean_author(name: str) -> str | None:
    """One person's name without "By", dates, roles or e-mail addresses."""
    name = clean_text(name)
    name = _BYLINE_PREFIX.sub("", name)
    name = re.sub(r"\S+@\S+", "", name)
    name = re.split(
        r"\s+[|,–—-]\s+|\s*\d{1,2}[./]\d{1,2}[./]\d{2,4}|\s+(?:le|on|am|il|el)\s+\d", name
    )[0]
    name = name.strip(" ,;:|-–—·")
    if not name or len(name) > 60 or len(name.split()) > 5 or re.search(r"\d|https?:|www\.", name):
        return None
    if _NOT_A_NAME.search(name) or re.fullmatch(r"[a-z]+(?:-[a-z]+)+", name):
        return None  # a photo credit, or a URL slug such as "emma-mackenzie"
    return name


_NOT_A_NAME = re.compile(
    r"[()\[\]{}<>@=]|\b(?:image|images|photo|foto|bild|getty|istock|shutterstock|reuters pictures)\b",
    re.IGNORECASE,
)


def split_authors(text: str) -> list[str]:
    """Split a byline that names several people."""
    text = _BYLINE_PREFIX.sub("", clean_text(text))
    names = [clean_author(part) for part in _AUTHOR_SPLIT.split(text) if part]
    return dedupe([n for n in names if n])


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
# Visible bylines: schema.org markup, author links, elements whose class names a byline.
_BYLINE_XPATH = (
    '//*[@itemprop="author"]//*[@itemprop="name"] | //a[@rel="author"]'
    ' | //*[contains(concat(" ",normalize-space(@class)," ")," author ")][not(self::body)]'
    ' | //*[contains(concat(" ",normalize-space(@class)," ")," authorname ")]'
    ' | //*[contains(concat(" ",normalize-space(@class)," ")," author-name ")]'
    ' | //*[contains(concat(" ",normalize-space(@class)," ")," byline__name ")]'
    ' | //a[contains(@href,"/autoren/") or contains(@href,"/author/") or contains(@href,"/autor/")]'
)
# A byline group: later candidates count only while they sit in one small block with the first.
_GROUP_CHARS = 400
_COMMENT_WORD = re.compile(r"(?:^|[_-])(?:comments?|kommentare?|replies|respond)(?:$|[_-])")
_LISTING_LINK = re.compile(r"/(?:autoren|authors?|autor)/?(?:[?#].*)?$", re.IGNORECASE)


def byline_names(tree: HtmlElement) -> list[str]:
    """Names from the page's first visible byline and the bylines next to it.

    Teasers of other stories, author boxes of "more from" lists and comment threads carry
    bylines too; they lie far from the article's own, so only candidates whose common
    ancestor with the first one holds little text are kept.
    """
    first: HtmlElement | None = None
    first_line: set[HtmlElement] = set()
    names: list[str] = []
    for element in tree.xpath(_BYLINE_XPATH)[:12]:
        if _LISTING_LINK.search(element.get("href") or "") or any(
            _in_comments(a) for a in ancestors(element)
        ):
            continue  # a menu link to the list of all authors, or a reader's comment
        found = split_authors(text_of(element))
        if not found:
            continue
        if first is None:
            first, first_line = element, {element, *ancestors(element)}
        elif not _near(element, first_line):
            continue
        names += found
    return names


def _in_comments(element: HtmlElement) -> bool:
    """Whether a class or id token names a comment area ("comment-list", "js-comments"), not
    a WordPress taxonomy class such as "category-kommentar"."""
    return any(
        _COMMENT_WORD.search(token) and not token.startswith(("category-", "tag-"))
        for token in class_and_id(element).split()
    )


def _near(element: HtmlElement, first_line: set[HtmlElement]) -> bool:
    """Whether `element` shares a small block (under _GROUP_CHARS of text) with the first."""
    for node in ancestors(element):
        if node in first_line:
            return len(node.text_content()) < _GROUP_CHARS
    return False


def authors(tree: HtmlElement, sources: MetadataSources, url: str | None = None) -> list[str]:
    """Person names; an organisation only when no person is named.

    Sources in order: JSON-LD, meta tags, visible bylines. A name that is the site's own
    (its og:site_name, publisher or domain) counts as an organisation, so a byline naming a
    person still wins over it. Agencies that the JSON-LD lists next to its persons ("SDA",
    "Deutsche Presse-Agentur") are co-authors and stay.
    """
    own = {_norm(n) for n in site_names(sources) + list(host_names(url))} - {""}

    def is_own(name: str) -> bool:
        return _norm(name) in own or bool(_DOMAIN.search(name))

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
        for value in sources.meta.get(key, []):
            if value.startswith("http"):
                continue
            names = split_authors(value)
            # "site.de, Frankfurt, Germany": a site and its address, not three people.
            if any(is_own(n) for n in names):
                meta_orgs += [n for n in names if is_own(n)]
            else:
                people += names
    if people:
        return dedupe(people)
    orgs = orgs or meta_orgs
    byline_orgs: list[str] = []
    for name in byline_names(tree):
        (byline_orgs if is_own(name) else people).append(name)
    return dedupe(people) or dedupe(orgs or byline_orgs)


def _jsonld_authors(sources: MetadataSources) -> list[tuple[str, bool]]:
    """(name, is an organisation) for each author and creator of the main JSON-LD node.

    Nested lists are flattened and ``{"@id": ...}`` references resolved into the @graph
    (Yoast and others declare the person once there).
    """
    by_id = {n["@id"]: n for n in sources.jsonld_nodes if isinstance(n.get("@id"), str)}
    out: list[tuple[str, bool]] = []
    for author in _flat(sources.jsonld.get("author")) + _flat(sources.jsonld.get("creator")):
        if isinstance(author, dict) and "name" not in author and author.get("@id") in by_id:
            author = by_id[author["@id"]]
        if isinstance(author, dict):
            name = _as_text(author.get("name"))
            types = node_types(author)
            # A blogger's own site often types its author ["Person", "Organization"].
            organisation = bool(types & _ORG_TYPES) and "person" not in types
            out += [(n, organisation) for n in split_authors(name or "")]
        elif isinstance(author, str) and not author.startswith("http"):
            out += [(n, False) for n in split_authors(author)]
    return out


def _flat(value: object) -> list[object]:
    """A JSON-LD value as a flat list: authors come as one node, a list, or lists of lists."""
    if isinstance(value, list):
        return [item for v in value for item in _flat(v)]
    return [] if value is None else [value]


_ORG_TYPES = frozenset({"organization", "newsmediaorganization", "corporation"})
_DOMAIN = re.compile(r"\w\.(?:[a-z]{2,3}|com|info|online)$", re.IGNORECASE)
