"""Article authors: a clean list of person names from every source a page offers.

Sources in order of trust: JSON-LD (persons, also through @graph @id references), author meta
tags, then visible bylines (microdata, rel=author, byline classes, author-page links). A name
that is the site's own is an organisation and is kept only when no person is named.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from .document import clean_text, text_of
from .metadata import (
    MetadataSources,
    _as_list,
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


def authors(tree: HtmlElement, sources: MetadataSources, url: str | None = None) -> list[str]:
    """Person names; an organisation only when no person is named.

    Sources in order: JSON-LD, meta tags, visible bylines. A name that is the site's own
    (its og:site_name, publisher or domain) counts as an organisation, so a byline naming a
    person still wins over it.
    """
    own = {_norm(n) for n in site_names(sources) + list(host_names(url))} - {""}
    people: list[str] = []
    orgs: list[str] = []

    def add(names: list[str], organisation: bool = False) -> None:
        for name in names:
            if organisation or _norm(name) in own or _DOMAIN.search(name):
                if not orgs or orgs_source[0] == source:  # organisations of one source only
                    orgs.append(name)
                    orgs_source[:] = [source]
            else:
                people.append(name)

    orgs_source: list[str] = []
    source = "jsonld"

    by_id = {n["@id"]: n for n in sources.jsonld_nodes if isinstance(n.get("@id"), str)}
    for author in _as_list(sources.jsonld.get("author")) + _as_list(sources.jsonld.get("creator")):
        if isinstance(author, dict) and "name" not in author and author.get("@id") in by_id:
            author = by_id[author["@id"]]  # Yoast and others point into their @graph
        if isinstance(author, dict):
            name = _as_text(author.get("name"))
            if name:
                add(split_authors(name), bool(node_types(author) & _ORG_TYPES))
        elif isinstance(author, str) and not author.startswith("http"):
            add(split_authors(author))
    if people:
        return dedupe(people)
    source = "meta"
    for key in _AUTHOR_META:
        for value in sources.meta.get(key, []):
            if not value.startswith("http"):
                names = split_authors(value)
                # "site.de, Frankfurt, Germany": a site and its address, not three people.
                add(names, any(_norm(n) in own or _DOMAIN.search(n) for n in names))
    if people:
        return dedupe(people)
    source = "byline"
    for element in tree.xpath(_BYLINE_XPATH)[:6]:
        add(split_authors(text_of(element)))
    return dedupe(people) or dedupe(orgs)


_ORG_TYPES = frozenset({"organization", "newsmediaorganization", "corporation"})
_DOMAIN = re.compile(r"\w\.(?:[a-z]{2,3}|com|info|online)$", re.IGNORECASE)
