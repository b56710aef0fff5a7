"""Pure extraction: HTML in, article + related blocks + comments out.

No Scrapy objects here, so the same functions serve the spiders, the `newscrawl extract`
command, the tests and the benchmarks::

    from newscrawl.extract import extract_page
    result = extract_page(html_bytes, "https://example.com/a-story/")
    result.to_dict()  # {"article": {...}, "related": [...], "comments": [...]}
"""

from __future__ import annotations

import copy
import ipaddress
import re
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from ..dates import date_languages, to_iso8601
from ..profiles import SiteProfile, profile_for_url
from ..urls import canonicalize_url, is_http_url, same_site
from . import authors as author_names
from . import metadata, titles
from .body import extract_body
from .comments import extract_comments
from .document import decode_document, parse_html, remove_elements, select_text, select_texts
from .related import extract_related, find_body_elements, strong_article_url
from .result import ArticleData, CommentData, LinkData, PageExtraction, RelatedBlock, StageError
from .stages import Stages

__all__ = [
    "ArticleData",
    "CommentData",
    "LinkData",
    "PageExtraction",
    "RelatedBlock",
    "StageError",
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
    *,
    isolate: bool = True,
) -> PageExtraction:
    """Extract the article, its related-link blocks and its comments from one page.

    `profile`: a SiteProfile, None to pick one by the URL's host, or False for none. Each
    stage runs isolated (`newscrawl.extract.stages`): a stage that raises is logged and listed
    in the result's `errors`, and the others still run; `isolate=False` lets it raise instead.
    """
    if profile is None:
        profile = profile_for_url(url)
    profile = profile or None
    stages = Stages(url, isolate)
    decoded = decode_document(html, content_type) if isinstance(html, bytes) else None
    text = decoded.text if decoded is not None else html
    tree = stages.run("article", lambda: parse_html(text), lambda: None)
    if tree is None:
        article = ArticleData(url=url, canonical_url=canonicalize_url(url) or url)
        return PageExtraction(article, is_article=False, errors=stages.errors, encoding=decoded)
    sources = stages.run("metadata", lambda: metadata.gather(tree), metadata.MetadataSources)
    tz = profile.timezone if profile else None
    language = stages.run("metadata", lambda: metadata.language(sources), lambda: None) or (
        profile.language if profile else None
    )
    # A page that does not say its language gets every language dateparser knows.
    with date_languages(*((language, "en") if language else ())):
        result = _extract(tree, url, profile, sources, tz, language, stages)
    result.encoding = decoded
    return result


def _extract(
    tree: HtmlElement,
    url: str,
    profile: SiteProfile | None,
    sources: metadata.MetadataSources,
    tz: str | None,
    language: str | None,
    stages: Stages,
) -> PageExtraction:
    def comment_stage() -> tuple[list[CommentData], list[HtmlElement]]:
        found, elements = extract_comments(tree, profile, sources.jsonld)
        return found, elements + _comment_areas(tree)

    comments, comment_elements = stages.run("comments", comment_stage, lambda: ([], []))
    related, related_elements = stages.run(
        "related",
        lambda: extract_related(
            tree, url, profile, find_body_elements(tree, profile), comment_elements
        ),
        lambda: ([], []),
    )

    def body_stage() -> str | None:
        cleaned = copy.deepcopy(tree)
        _remove_same(cleaned, tree, comment_elements + related_elements)
        return extract_body(cleaned, url, profile)

    body = stages.run("article", body_stage, lambda: None)
    notes: list[str] = []
    article = stages.run(
        "metadata",
        lambda: _article(tree, url, profile, sources, body, tz, language, notes),
        lambda: _fallback_article(tree, url, body, language),
    )

    def date_comments() -> list[CommentData]:
        for comment in comments:
            comment.published = _comment_date(comment.published, article.published, tz)
        return comments

    comments = stages.run("comments", date_comments, list)
    is_article = stages.run(
        "article", lambda: _is_article(article, sources, profile, url), lambda: False
    )
    return PageExtraction(
        article=article,
        related=related,
        comments=comments,
        is_article=is_article and not any(e.stage == "article" for e in stages.errors),
        errors=stages.errors,
        notes=notes,
    )


def _fallback_article(
    tree: HtmlElement, url: str, body: str | None, language: str | None
) -> ArticleData:
    """The article when its metadata stage failed: the body, and the `<title>` as headline."""
    titles_found = tree.xpath("//title//text()") if tree is not None else []
    title = " ".join(" ".join(str(t) for t in titles_found).split()) or None
    return ArticleData(
        url=url,
        canonical_url=canonicalize_url(url) or url,
        title=title,
        body=body,
        language=language,
    )


def _canonical(
    declared: str | None, url: str, profile: SiteProfile | None, notes: list[str]
) -> str:
    """The page's declared canonical URL when it can be trusted, else the fetched URL's.

    Trusted: an http(s) URL on the fetched URL's registrable domain (or one of the profile's
    domains, or any, for a copy served from a local address) that does not name the home page,
    nor a listing page while the fetched page is not one. Otherwise another site's article would be overwritten, and every article whose
    canonical is the home page would be stored as one. Refusals are named in `notes`.
    """
    own = canonicalize_url(url) or url
    if not declared:
        return own
    canonical = canonicalize_url(declared, base=url)
    if canonical == own:
        return own
    if not canonical or not is_http_url(canonical):
        notes.append("canonical/rejected_invalid")
        return own
    if (
        not same_site(canonical, own)
        and not (profile and profile.matches_host(canonical))
        and not _is_local_copy(own)
    ):
        notes.append("canonical/rejected_other_site")
        return own
    if _is_home(canonical) and not _is_home(own):
        notes.append("canonical/rejected_home")
        return own
    if _is_listing(canonical) and not _is_listing(own):
        notes.append("canonical/rejected_listing")
        return own
    return canonical


def _is_local_copy(url: str) -> bool:
    """A page served from this machine or a private address: a copy of a site (the demo, a
    saved page) that names its public URL in its canonical link."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private


def _is_home(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not _ITEM_QUERY.search(parts.query)


def _is_listing(url: str) -> bool:
    parts = urlsplit(url)
    return bool(_LISTING_URL.search(parts.path)) and not _ITEM_QUERY.search(parts.query)


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
    """Remove from `clone` (a deep copy of `original`) the counterparts of `elements`.

    The two trees have the same shape, so walking them side by side pairs every node with its
    copy. (Paths turned into XPath strings broke on namespaced tags such as ``<o:p>`` and on
    malformed ones, and could match other nodes.) Removed deepest first: reverse document order.
    """
    wanted = set(elements)
    if not wanted:
        return
    copies = [c for o, c in zip(original.iter(), clone.iter(), strict=True) if o in wanted]
    remove_elements(reversed(copies))


def _article(
    tree: HtmlElement,
    url: str,
    profile: SiteProfile | None,
    sources: metadata.MetadataSources,
    body: str | None,
    tz: str | None,
    language: str | None,
    notes: list[str] | None = None,
) -> ArticleData:
    """The article's fields; `language` is the one dates were read in (`extract_page`)."""
    rules = profile.article if profile else {}

    def pick(field: str, generic):
        if field in rules:
            value = select_text(tree, rules[field])
            if value:
                return value
        return generic()

    canonical = _canonical(
        metadata.canonical(tree, sources), url, profile, [] if notes is None else notes
    )
    if "authors" in rules and (names := select_texts(tree, rules["authors"])):
        authors = metadata.dedupe([a for n in names for a in author_names.split_authors(n)])
    else:
        authors = author_names.authors(tree, sources, url)
    if "tags" in rules and (values := select_texts(tree, rules["tags"])):
        tags = metadata.dedupe(values)
    else:
        tags = metadata.tags(tree, sources)
    image = pick("image", lambda: metadata.image(sources))
    return ArticleData(
        url=url,
        canonical_url=canonical,
        title=pick("title", lambda: titles.title(tree, sources, url)),
        authors=authors,
        published=to_iso8601(pick("published", lambda: metadata.published(tree, sources)), tz),
        modified=to_iso8601(pick("modified", lambda: metadata.modified(tree, sources)), tz),
        body=body,
        lead=pick("lead", lambda: metadata.lead(sources)),
        section=pick("section", lambda: metadata.section(sources)),
        tags=tags,
        language=language,
        image=(canonicalize_url(image, base=url) or None) if image else None,
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
