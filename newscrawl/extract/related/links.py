"""Which links are worth keeping: addresses that name one article, and the link records
(text, teaser, position) a block is made of."""

from __future__ import annotations

import re
from itertools import islice

from lxml.html import HtmlElement

from ...urls import canonicalize_url, is_http_url, same_site, site_host, url_parts
from .. import lexicon
from ..document import (
    HEADING_TAGS,
    clean_text,
    text_of,
)
from ..result import LinkData
from ..thresholds import (
    ARTICLE_SLUG_CHARS,
    ARTICLE_SLUG_WORDS,
    HEADLINE_CJK_CHARS,
    HEADLINE_WORDS,
    SAME_SITE_SLUG_CHARS,
)

_NON_ARTICLE_PATH = re.compile(
    rf"/({lexicon.NOT_ARTICLE_PATH_WORDS})(/|$|\.)|/(index|default)\.\w{{2,5}}$", re.IGNORECASE
)

# Sub-domains that sell, log in or list jobs: never an article.
_SERVICE_HOST = re.compile(rf"({lexicon.SERVICE_HOSTS})\.", re.IGNORECASE)

_SOCIAL_HOSTS = re.compile(rf"(^|\.)({lexicon.SOCIAL_HOSTS})\.[a-z.]+$")
_CJK = re.compile(lexicon.CJK_CHARS)


def looks_like_article_url(url: str, page_url: str) -> bool:
    """Links worth keeping: http(s), not a tag/author/feed page. A link to the page itself
    stays: a "most read" list that shows the current article is data too."""
    if not is_http_url(url):
        return False
    parts = url_parts(url)
    path = parts.path.rstrip("/")
    if not path or _NON_ARTICLE_PATH.search(parts.path) or re.fullmatch(r"[/\d]+", path):
        return False
    if _SERVICE_HOST.match(parts.hostname or ""):
        return False
    if _SOCIAL_HOSTS.search(site_host(url)) and not same_site(url, page_url):
        return False
    if same_site(url, page_url):
        slug = path.rsplit("/", 1)[-1]
        return (
            "-" in slug
            or any(c.isdigit() for c in slug)
            or len(slug) > SAME_SITE_SLUG_CHARS
            or bool(re.search(r"\d{4,}", path))
        )
    return True


def strong_article_url(url: str) -> bool:
    """URLs that name one article: an id of 4+ digits, a date, or a slug of 3+ words."""
    path = url_parts(url).path
    if re.search(r"\d{4,}", path):
        return True
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    slug = re.sub(r"\.\w{2,5}$", "", segments[-1])
    words = [w for w in re.split(r"[-_+.]", slug) if w]
    return len(words) >= ARTICLE_SLUG_WORDS or len(slug) > ARTICLE_SLUG_CHARS


def _headline_like(text: str) -> bool:
    """Anchor text that reads like an article title rather than a menu entry."""
    if _CJK.search(text):
        return len(text) >= HEADLINE_CJK_CHARS
    return len(text.split()) >= HEADLINE_WORDS


def is_article_link(anchor: HtmlElement, url: str, page_url: str) -> bool:
    """An anchor whose target is an article: a URL that names one, or a headline for text."""
    if not looks_like_article_url(url, page_url):
        return False
    text = text_of(anchor) or clean_text(anchor.get("title") or anchor.get("aria-label"))
    return strong_article_url(url) or _headline_like(text)


def link_data(
    anchor: HtmlElement,
    page_url: str,
    position: int,
    item: HtmlElement | None,
    teaser_text: str | None,
) -> LinkData:
    url = canonicalize_url(anchor.get("href", ""), base=page_url)
    text = text_of(anchor) or clean_text(anchor.get("title") or anchor.get("aria-label"))
    if teaser_text is None and item is not None:
        teaser_text = _teaser(item, anchor)
    return LinkData(url=url, text=text or None, teaser=teaser_text or None, position=position)


# A "card" holding more links than this is a list of stories, not one story's teaser.
_CARD_MAX_LINKS = 6


def _teaser(item: HtmlElement, anchor: HtmlElement) -> str | None:
    """Text of the card around a link, minus the link's own text and any heading.

    Each test reads the card once (sets, not a walk per pair): on a page whose "card" is a
    whole column of 900 links the pairwise walks took 33 s.
    """
    if len(list(islice(item.iter("a"), _CARD_MAX_LINKS + 1))) > _CARD_MAX_LINKS:
        return None
    texts = []
    marked = item.xpath(
        ".//*[contains(@class,'excerpt') or contains(@class,'teaser') or contains(@class,'summary')"
        " or contains(@class,'chapo') or contains(@class,'dek') or contains(@class,'standfirst')"
        " or contains(@class,'description') or contains(@class,'lede') or contains(@class,'intro')"
        " or contains(@class,'abstract')]"
    )
    titles = set(_titles(item))
    marked = [m for m in marked if m.tag != "a" and not any(d in titles for d in m.iter())]
    headings = set(item.iter(*HEADING_TAGS))
    for p in marked or item.xpath(".//p"):
        if any(d is anchor or d in headings for d in p.iter()):
            continue
        text = text_of(p)
        if text and text not in texts and not any(text in t for t in texts):
            texts.append(text)
    return " ".join(texts) or None


def _titles(item: HtmlElement) -> list[HtmlElement]:
    return [e for e in item.iter() if "title" in (e.get("class") or "")]


def unique_links(links: list[LinkData]) -> list[LinkData]:
    """One entry per target; a card's image link and title link merge into one."""
    by_url: dict[str, LinkData] = {}
    for link in links:
        if not is_http_url(link.url):
            continue
        kept = by_url.get(link.url)
        if kept is None:
            link.position = len(by_url) + 1
            by_url[link.url] = link
        else:
            kept.text = kept.text or link.text
            kept.teaser = kept.teaser or link.teaser
    return list(by_url.values())
