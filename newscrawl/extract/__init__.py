"""Pure extraction: HTML in, article + related blocks + comments out.

No Scrapy objects here, so the same functions serve the spiders, the `newscrawl extract`
command, the tests and the benchmarks::

    from newscrawl.extract import extract_page
    result = extract_page(html_bytes, "https://example.com/a-story/")
    result.to_dict()  # {"article": {...}, "related": [...], "comments": [...]}
"""

from __future__ import annotations

import copy
import re
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from ..dates import date_languages, to_iso8601
from ..profiles import SiteProfile, profile_for_url
from ..urls import canonicalize_url
from . import authors as author_names
from . import metadata, models, page_type, title_choice
from .body import extract_body
from .comments import extract_comments
from .document import parse_html, remove_elements, select_text, select_texts
from .related import extract_related, find_body_elements, strong_article_url
from .result import ArticleData, CommentData, LinkData, PageExtraction, RelatedBlock

__all__ = [
    "ArticleData",
    "CommentData",
    "LinkData",
    "PageExtraction",
    "RelatedBlock",
    "extract_page",
    "parse_html",
]

# Comment areas (list, form, counters) as a whole: never body text. Tested in Python over one
# `iter()` pass; the same test as a `//*[…contains(@class…)]` XPath took ~2 ms a page.
_COMMENT_AREA_IDS = frozenset({"comments", "respond", "disqus_thread"})
_COMMENT_AREA_CLASS = re.compile("comments-area|comment-respond|comment-cta")


def _comment_areas(tree: HtmlElement) -> list[HtmlElement]:
    """Elements whose id or class names a comment area, in document order."""
    return [
        e
        for e in tree.getroottree().getroot().iter(etree.Element)
        if e.get("id") in _COMMENT_AREA_IDS or _COMMENT_AREA_CLASS.search(e.get("class") or "")
    ]


_LISTING_TYPES = frozenset(
    {"collectionpage", "searchresultspage", "profilepage", "itemlist", "website"}
)


def extract_page(
    html: str | bytes,
    url: str,
    profile: SiteProfile | None | bool = None,
    content_type: str | None = None,
    collect: dict | None = None,
) -> PageExtraction:
    """Extract the article, its related-link blocks and its comments from one page.

    `profile`: a SiteProfile, None to pick one by the URL's host, or False for none.
    `collect`, if given, receives what the learned stages saw (for training them).
    """
    if profile is None:
        profile = profile_for_url(url)
    profile = profile or None
    tree = parse_html(html, content_type)
    sources = metadata.gather(tree)
    tz = profile.timezone if profile else None
    language = metadata.language(sources) or (profile.language if profile else None)
    # A page that does not say its language gets every language dateparser knows.
    with date_languages(*((language, "en") if language else ())):
        return _extract(tree, url, profile, sources, tz, language, collect)


def _extract(
    tree: HtmlElement,
    url: str,
    profile: SiteProfile | None,
    sources: metadata.MetadataSources,
    tz: str | None,
    language: str | None,
    collect: dict | None = None,
) -> PageExtraction:
    comments, comment_elements = extract_comments(tree, profile, sources.jsonld)
    comment_elements = comment_elements + _comment_areas(tree)
    related, related_elements = extract_related(
        tree, url, profile, find_body_elements(tree, profile), comment_elements
    )

    cleaned = copy.deepcopy(tree)
    _remove_same(cleaned, tree, comment_elements + related_elements)
    article = _article(tree, url, profile, sources, None, tz, language, collect)
    article.body = extract_body(
        cleaned, url, profile, article.title, collect=collect, description=article.lead
    )
    for comment in comments:
        comment.published = _comment_date(comment.published, article.published, tz)
    kind = page_type.decide(
        tree,
        url,
        sources,
        article,
        comments,
        related,
        _is_article(article, sources, profile, url),
        profile,
        models.current().get("page_type"),
        collect,
    )
    return PageExtraction(
        article=article,
        related=related,
        comments=comments,
        is_article=kind == "article",
        page_type=kind,
    )


_HAS_YEAR = re.compile(r"\d{4}|\d{1,2}[./]\d{1,2}[./]\d{2}")


def _comment_date(raw: str | None, article_date: str | None, tz: str | None) -> str | None:
    """A comment's date as ISO 8601. A date shown without its year ("Jun 20th at 2:41 am")
    takes the article's year (the next one if that would put it before the article), never
    the year of the crawl; without an article date it stays unknown."""
    if not raw or _HAS_YEAR.search(raw):
        return to_iso8601(raw, tz)
    published = to_iso8601(raw, tz)
    if not published or not article_date:
        return None
    year = int(article_date[:4])
    for candidate in (year, year + 1):
        dated = published.replace(published[:4], str(candidate), 1)
        if dated[:10] >= article_date[:10]:
            return dated
    return None


def _remove_same(clone: HtmlElement, original: HtmlElement, elements: list[HtmlElement]) -> None:
    """Remove from `clone` the counterparts of `elements` of `original` (same tree paths)."""
    root = original.getroottree()
    paths = {root.getpath(e) for e in elements if e.getroottree().getroot() is root.getroot()}
    remove_elements(
        [m for p in sorted(paths, key=len, reverse=True) for m in clone.getroottree().xpath(p)]
    )


def _article(
    tree: HtmlElement,
    url: str,
    profile: SiteProfile | None,
    sources: metadata.MetadataSources,
    body: str | None,
    tz: str | None,
    language: str | None,
    collect: dict | None = None,
) -> ArticleData:
    """The article's fields; `language` is the one dates were read in (`extract_page`)."""
    rules = profile.article if profile else {}

    def pick(field: str, generic):
        if field in rules:
            value = select_text(tree, rules[field])
            if value:
                return value
        return generic()

    declared = metadata.canonical(tree, sources)
    canonical = canonicalize_url(declared, base=url) if declared else canonicalize_url(url)
    if "authors" in rules and (names := select_texts(tree, rules["authors"])):
        authors = metadata.dedupe([a for n in names for a in author_names.split_authors(n)])
    else:
        authors = author_names.authors(tree, sources, url)
    if "tags" in rules and (values := select_texts(tree, rules["tags"])):
        tags = metadata.dedupe(values)
    else:
        tags = metadata.tags(tree, sources, url)
    image = pick("image", lambda: metadata.image(sources))
    return ArticleData(
        url=url,
        canonical_url=canonical,
        title=pick(
            "title",
            lambda: title_choice.title(tree, sources, url, models.current().get("title"), collect),
        ),
        authors=authors,
        published=to_iso8601(pick("published", lambda: metadata.published(tree, sources)), tz),
        modified=to_iso8601(pick("modified", lambda: metadata.modified(tree, sources)), tz),
        body=body,
        lead=pick("lead", lambda: metadata.lead(sources)),
        section=pick("section", lambda: metadata.section(sources, url)),
        tags=tags,
        language=language,
        image=canonicalize_url(image, base=url) if image else None,
    )


def _is_article(
    article: ArticleData, sources: metadata.MetadataSources, profile: SiteProfile | None, url: str
) -> bool:
    """Home, section, tag and search pages are not articles, even with long text on them.

    Declared types decide first (JSON-LD article types, og:type article; listing types).
    Many article pages carry og:type "website" and a site-wide WebSite node, so those only
    count against a page that is also short, undated or at a listing-like URL.
    """
    words = len(re.findall(r"\w+", article.body or ""))
    if not article.title or words < 30:
        return False
    if (
        profile
        and profile.article_url_pattern is not None
        and not (profile.is_article_url(article.canonical_url) or profile.is_article_url(url))
    ):
        return False
    og_type = (sources.first_meta("og:type") or "").lower()
    if sources.jsonld and metadata.node_types(sources.jsonld) & metadata.ARTICLE_TYPES:
        return True
    if og_type == "article":
        return True
    if any(metadata.node_types(n) & (_LISTING_TYPES - {"website"}) for n in sources.jsonld_nodes):
        return False
    address = urlsplit(article.canonical_url or url)
    if _LISTING_URL.search(address.path) and not _ITEM_QUERY.search(address.query):
        return False
    if og_type == "website":
        return bool(article.published) and words >= 150
    if not article.published:
        # Many blogs and older sites declare nothing and show no machine-readable date: a
        # page of prose at a URL that names one item ("/311510-podolski-...", "/top-10-...")
        # is still a story.
        return words >= 150 and strong_article_url(address.geturl())
    return words >= 80


# A query naming one item ("/?p=2895", "/index.php?id=77"): a WordPress or CMS story at the root.
_ITEM_QUERY = re.compile(r"(?:^|&)(?:p|id|story|article|artikel|news|item|post)=\d+(?:&|$)", re.I)

# Paths of home, section, tag, author, search and paging pages: "/", "/world/", "/tag/x/".
_LISTING_URL = re.compile(
    r"^/?$|^/[a-z]+/?$|/(?:tags?|category|categories|topics?|themen?|rubrique|ressort|author|"
    r"authors|autor|autoren|auteur|search|suche|recherche|page)/|/page/\d+/?$",
    re.IGNORECASE,
)
