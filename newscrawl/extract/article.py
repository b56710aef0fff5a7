"""The article's fields and whether the page is an article at all (the last stages)."""

from __future__ import annotations

import ipaddress
import re

from ..dates import to_iso8601
from ..profiles import SiteProfile
from ..urls import canonicalize_url, is_http_url, same_site, url_parts
from . import author_choice, date_choice, lexicon, metadata, models, title_choice
from . import authors as author_names
from .context import PageContext
from .document import select_text, select_texts, xpath
from .related import strong_article_url
from .result import ArticleData
from .thresholds import (
    ARTICLE_MIN_WORDS,
    DATED_ARTICLE_WORDS,
    UNDATED_ARTICLE_WORDS,
)


def article_fields(
    ctx: PageContext, body: str | None, notes: list[str] | None = None
) -> ArticleData:
    """The article's fields: the profile's selectors first, else the generic rules. What the
    page declared but was refused (an untrusted canonical link) is named in `notes`."""
    tree, url, sources, tz = ctx.tree, ctx.url, ctx.sources, ctx.timezone
    rules = ctx.profile.article if ctx.profile else {}

    def pick(field: str, generic):
        if field in rules:
            value = select_text(tree, rules[field])
            if value:
                return value
        return generic()

    def iso(value: str | None) -> str | None:
        return to_iso8601(value, tz, ctx.date_languages)

    canonical = trusted_canonical(
        metadata.canonical(tree, sources), url, ctx.profile, [] if notes is None else notes
    )
    if "authors" in rules and (names := select_texts(tree, rules["authors"])):
        authors = metadata.dedupe([a for n in names for a in author_names.split_authors(n)])
    else:
        authors = author_choice.authors(ctx, models.current().get("authors"), ctx.collect)
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
            lambda: title_choice.title(
                tree, sources, url, models.current().get("title"), ctx.collect
            ),
        ),
        authors=authors,
        published=iso(
            pick(
                "published",
                lambda: date_choice.published(ctx, models.current().get("date"), ctx.collect),
            )
        ),
        modified=iso(pick("modified", lambda: metadata.modified(tree, sources))),
        body=body,
        lead=pick("lead", lambda: metadata.lead(sources)),
        section=pick("section", lambda: metadata.section(sources, url)),
        tags=tags,
        language=ctx.language,
        image=(canonicalize_url(image, base=url) or None) if image else None,
    )


def fallback_article(ctx: PageContext) -> ArticleData:
    """The article when its metadata stage failed: the `<title>` as headline, nothing else."""
    found = xpath(ctx.tree, "/descendant::title//text()") if ctx.tree is not None else []
    title = " ".join(" ".join(str(t) for t in found).split()) or None
    url = ctx.url
    return ArticleData(
        url=url, canonical_url=canonicalize_url(url) or url, title=title, language=ctx.language
    )


def trusted_canonical(
    declared: str | None, url: str, profile: SiteProfile | None, notes: list[str]
) -> str:
    """The page's declared canonical URL when it can be trusted, else the fetched URL's.

    Trusted: an http(s) URL on the fetched URL's registrable domain (or one of the profile's
    domains, or any, for a copy served from a local address) that does not name the home page,
    nor a listing page while the fetched page is not one. Otherwise another site's article
    would be overwritten, and every article whose canonical is the home page would be stored as
    one. Refusals are named in `notes`.
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
    host = (url_parts(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private


def _is_home(url: str) -> bool:
    parts = url_parts(url)
    return parts.path in ("", "/") and not _ITEM_QUERY.search(parts.query)


def _is_listing(url: str) -> bool:
    parts = url_parts(url)
    return bool(_LISTING_URL.search(parts.path)) and not _ITEM_QUERY.search(parts.query)


_HAS_YEAR = re.compile(r"\d{4}|\d{1,2}[./]\d{1,2}[./]\d{2}")


def comment_date(ctx: PageContext, raw: str | None, article_date: str | None) -> str | None:
    """A comment's date as ISO 8601. A date shown without its year ("Jun 20th at 2:41 am")
    takes the article's year (the next one if that would put it before the article), never
    the year of the crawl; without an article date it stays unknown."""
    if not raw or _HAS_YEAR.search(raw):
        return to_iso8601(raw, ctx.timezone, ctx.date_languages)
    published = to_iso8601(raw, ctx.timezone, ctx.date_languages)
    if not published or not article_date:
        return None
    year = int(article_date[:4])
    for candidate in (year, year + 1):
        dated = published.replace(published[:4], str(candidate), 1)
        if dated[:10] >= article_date[:10]:
            return dated
    return None


_LISTING_TYPES = frozenset(
    {"collectionpage", "searchresultspage", "profilepage", "itemlist", "website"}
)


def is_article(ctx: PageContext, article: ArticleData) -> bool:
    """The rules' answer to "is this an article?" (the page-type model's input, and the
    answer where no model is shipped). Home, section, tag and search pages are not
    articles, even with long text on them.

    Declared types decide first (JSON-LD article types, og:type article; listing types).
    Many article pages carry og:type "website" and a site-wide WebSite node, so those only
    count against a page that is also short, undated or at a listing-like URL.
    """
    sources, profile, url = ctx.sources, ctx.profile, ctx.url
    words = len(re.findall(r"\w+", article.body or ""))
    if not article.title or words < ARTICLE_MIN_WORDS:
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
    address = url_parts(article.canonical_url or url)
    if _LISTING_URL.search(address.path) and not _ITEM_QUERY.search(address.query):
        return False
    if og_type == "website":
        return bool(article.published) and words >= UNDATED_ARTICLE_WORDS
    if not article.published:
        # Many blogs and older sites declare nothing and show no machine-readable date: a
        # page of prose at a URL that names one item ("/311510-podolski-...", "/top-10-...")
        # is still a story.
        return words >= UNDATED_ARTICLE_WORDS and strong_article_url(address.geturl())
    return words >= DATED_ARTICLE_WORDS


# A query naming one item ("/?p=2895", "/index.php?id=77"): a WordPress or CMS story at the root.
_ITEM_QUERY = re.compile(r"(?:^|&)(?:p|id|story|article|artikel|news|item|post)=\d+(?:&|$)", re.I)

# Paths of home, section, tag, author, search and paging pages: "/", "/world/", "/tag/x/".
_LISTING_URL = re.compile(
    rf"^/?$|^/[a-z]+/?$|/(?:{lexicon.LISTING_PATH_WORDS})/|/page/\d+/?$", re.IGNORECASE
)


def late_published(ctx: PageContext) -> str | None:
    """The publication day an article without date markup shows (`metadata.visible_date`).

    Run after the page type is decided, on articles only: the search is slow, and the page-type
    model learned from the declared dates, not from this guess.
    """
    return to_iso8601(metadata.visible_date(ctx.tree, ctx.url), ctx.timezone, ctx.date_languages)
