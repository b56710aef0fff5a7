"""Article metadata from every source a page offers, reconciled.

Order of trust per field: the site profile's selector, JSON-LD, microdata, OpenGraph /
Twitter / Dublin Core meta tags, then visible markup (h1, bylines, <time>). Each source is
read once into a `MetadataSources` so the reconciliation rules stay readable.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from .. import safejson
from ..urls import url_parts
from .document import clean_text, meta_content, text_of, xpath

ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "techarticle",
        "scholarlyarticle", "report", "liveblogposting", "posting", "socialmediaposting",
        "askpublicnewsarticle", "satiricalarticle", "advertisercontentarticle",
    }
)  # fmt: skip


@dataclass
class MetadataSources:
    """Raw metadata gathered from one page, before reconciliation."""

    jsonld: dict[str, Any] = field(default_factory=dict)  # the main article node
    jsonld_nodes: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    lang: str | None = None
    marked: dict[str, str] | None = None  # `marked_dates`, once read

    def first_meta(self, *keys: str) -> str | None:
        for key in keys:
            values = self.meta.get(key)
            if values:
                return values[0]
        return None


def gather(tree: HtmlElement) -> MetadataSources:
    """Read JSON-LD, meta tags and the document language once."""
    nodes = list(_jsonld_nodes(tree))
    article = _main_article_node(nodes)
    lang = tree.get("lang") or tree.get("xml:lang")
    return MetadataSources(jsonld=article, jsonld_nodes=nodes, meta=meta_content(tree), lang=lang)


def article_body(tree: HtmlElement) -> str | None:
    """The main JSON-LD article node's ``articleBody``, if the page declares one."""
    value = _main_article_node(list(_jsonld_nodes(tree))).get("articleBody")
    return value if isinstance(value, str) and value.strip() else None


def _jsonld_nodes(tree: HtmlElement):
    for script in xpath(
        tree, '/descendant::script[contains(translate(@type,"LDJSON","ldjson"),"ld+json")]'
    ):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = safejson.loads(raw)
        except ValueError:
            # Common breakage: raw newlines or trailing commas inside strings/objects.
            try:
                data = safejson.loads(
                    re.sub(r",\s*([}\]])", r"\1", raw.replace("\n", " ")), strict=False
                )
            except ValueError:
                continue
        yield from _flatten(data)


def _flatten(data: Any):
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        graph = data.get("@graph")
        if graph is not None:
            yield from _flatten(graph)
        if "@type" in data:
            yield data
            main = data.get("mainEntity")
            if isinstance(main, dict):
                yield from _flatten(main)


def node_types(node: dict[str, Any]) -> set[str]:
    """The node's @type values, lower-cased, without schema prefixes."""
    types = node.get("@type", [])
    if isinstance(types, str):
        types = [types]
    return {str(t).rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for t in types if t}


def _main_article_node(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    articles = [n for n in nodes if node_types(n) & ARTICLE_TYPES]
    if not articles:
        pages = [
            n for n in nodes if node_types(n) & {"webpage", "itempage"} and n.get("datePublished")
        ]
        return pages[0] if pages else {}
    # The richest node wins: live blogs and listings may carry several short ones.
    return max(
        articles, key=lambda n: (bool(n.get("articleBody")), bool(n.get("headline")), len(n))
    )


def _as_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("text")
    if value is None or isinstance(value, (dict, list)):
        return None
    text = clean_text(decoded(str(value)))
    return text or None


def decoded(text: str) -> str:
    """HTML entities decoded: JSON-LD strings and twice-escaped meta values carry them
    (``&auml;``, ``&#8217;``, ``&amp;``) where the page's text has the characters."""
    return html.unescape(text) if "&" in text else text


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# --- site names (for titles and authors) ---------------------------------------------


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def site_names(sources: MetadataSources) -> list[str]:
    """Names a page may append to its titles: og:site_name, publisher, @handle."""
    names = [
        sources.first_meta("og:site_name") or "",
        sources.first_meta("application-name") or "",
        (sources.first_meta("twitter:site") or "").lstrip("@"),
        _as_text(sources.jsonld.get("publisher") or {}) or "",
    ]
    return [n for n in names if n]


def host_names(url: str | None) -> tuple[str, ...]:
    """ "globalnews" and "globalnews.ca" from https://www.globalnews.ca/...: site-name guesses.

    Past registry labels: "ilanganews" and "ilanganews.co.za", not the "co" of .co.za, which
    as a word would make any "Co" in a title tail or a byline the site's name.
    """
    labels = [x for x in (url_parts(url).hostname or "").split(".") if x not in _HOST_NOISE]
    if len(labels) >= 3 and labels[-2] in _REGISTRY_LABELS:
        return (labels[-3], ".".join(labels[-3:]))
    return (labels[-2], ".".join(labels[-2:])) if len(labels) >= 2 else ()


_HOST_NOISE = frozenset({"www", "m", "amp", "mobile"})
_REGISTRY_LABELS = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go"})


def dedupe(values: list[str]) -> list[str]:
    """Keep first occurrences, comparing case-insensitively."""
    seen: set[str] = set()
    out = []
    for value in values:
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


# --- dates, section, tags, image, lead, language -------------------------------------------


def published(tree: HtmlElement, sources: MetadataSources) -> str | None:
    """The raw publication date string, best source first (normalised by the caller)."""
    return (
        _as_text(sources.jsonld.get("datePublished"))
        or sources.first_meta(
            "article:published_time",
            "article:published:time",
            "og:published_time",
            "datepublished",
            "pubdate",
            "publishdate",
            "dc.date",
            "dc.date.issued",
            "dcterms.created",
            "date",
            "sailthru.date",
            "parsely-pub-date",
            "publish-date",
            "article.published",
        )  # fmt: skip
        or marked_dates(tree, sources).get("itemprop_published")
        or marked_dates(tree, sources).get("time_article")
        or marked_dates(tree, sources).get("time_first")
        or _as_text(sources.jsonld.get("dateCreated"))
        or _htmldate(tree)
    )


def _htmldate(tree: HtmlElement) -> str | None:
    """Last resort for pages with no date markup: htmldate reads visible date lines.

    The tree is passed as it is: htmldate (1.11+) reads it and prunes a copy of its own."""
    from htmldate import find_date

    try:
        return find_date(
            tree,
            original_date=True,
            extensive_search=False,  # the extensive mode costs ~15x the time for 6 pages in 53
            outputformat="%Y-%m-%dT%H:%M:%S",
        )
    except (ValueError, TypeError, AttributeError):  # htmldate fails on exotic trees
        return None


def visible_date(tree: HtmlElement, url: str) -> str | None:
    """The day an article shows in its text or URL, for an article that declares no date.

    htmldate's extensive search (date patterns in the text, the URL's date) costs ~30 ms a page,
    so it runs only once a page is known to be an article without a date. Its guesses from a
    year or a month alone (a copyright line gives "2025-01-01", "December 2025" "2025-12-01")
    are refused: a wrong day is worse than none, and a real first of the month is rare.
    htmldate (1.11+) prunes a copy of its own, so the tree is passed as it is.
    """
    from htmldate import find_date

    try:
        found = find_date(
            tree,
            url=url,
            original_date=True,
            extensive_search=True,
            outputformat="%Y-%m-%d",
        )
    except (ValueError, TypeError, AttributeError):  # htmldate fails on exotic trees
        return None
    if not found or found.endswith(_REFUSED_DAYS):
        return None
    return found


_REFUSED_DAYS = ("-01",)


def modified(tree: HtmlElement, sources: MetadataSources) -> str | None:
    """The raw last-modified date string, if the page declares one."""
    return (
        _as_text(sources.jsonld.get("dateModified"))
        or sources.first_meta(
            "article:modified_time",
            "article:modified:time",
            "og:updated_time",
            "dc.date.modified",
            "last-modified",
        )
        or marked_dates(tree, sources).get("itemprop_modified")
    )


_MARKED = (
    '/descendant::*[@itemprop="datePublished" or @itemprop="dateModified" or self::time[@datetime]]'
)
_ITEMPROP_DATES = {"datePublished": "itemprop_published", "dateModified": "itemprop_modified"}


def marked_dates(tree: HtmlElement, sources: MetadataSources) -> dict[str, str]:
    """The first value of each dated markup, read in one pass and kept on `sources`:
    `itemprop_published` / `itemprop_modified` (microdata `content`, else `datetime`),
    `time_article` (a `<time datetime>` inside an `<article>` or marked `pubdate`) and
    `time_first` (the page's first `<time datetime>`).

    Not `//article//time`: libxml2 merges one node set per <article>, quadratic on a page
    whose comments are <article>s (3,000 of them took 1.5 s).
    """
    if sources.marked is not None:
        return sources.marked
    found: dict[str, str] = {}
    for element in xpath(tree, _MARKED):
        key = _ITEMPROP_DATES.get(element.get("itemprop") or "")
        if key and key not in found:
            value = next(
                (
                    v
                    for name, raw in element.attrib.items()
                    if name in ("content", "datetime") and (v := clean_text(raw))
                ),
                None,
            )
            if value:
                found[key] = value
        if element.tag == "time" and (value := clean_text(element.get("datetime") or "")):
            found.setdefault("time_first", value)
            if "time_article" not in found and (
                element.get("pubdate") is not None
                or any(a.tag == "article" for a in element.iterancestors())
            ):
                found["time_article"] = value
    sources.marked = found
    return found


# Sections that name the kind of page, not a part of the site (a CMS's post type).
_PAGE_KINDS = frozenset(
    {"post", "posts", "article", "articles", "page", "pages", "story", "stories", "entry",
     "node", "item", "content", "default", "single", "newsarticle", "blogposting", "news_article"}
)  # fmt: skip
# Tags that are CMS ids or machine keys: "@post-id:1913719", "wpid:42", "1913719".
_ID_TAG = re.compile(r"^@|^[\w.-]+:\S*\d|^\d+$")


def own_names(sources: MetadataSources, url: str | None = None) -> set[str]:
    """The site's own names, folded: its declared names, the initials of a one-word camel-case
    name ("tc" for TechCrunch) and its host ("gizmodo", "gizmodo.com"). A tag or section equal
    to one names the site, not the story."""
    names: set[str] = set()
    for name in site_names(sources):
        names.update((name.casefold(), _norm(name)))
        humps = re.findall(r"[A-Z][a-z]+", name)
        if " " not in name.strip() and len(humps) >= 2 and "".join(humps) == name.strip():
            names.add("".join(h[0] for h in humps).casefold())
    for address in (url, sources.first_meta("og:url"), _as_text(sources.jsonld.get("url"))):
        names.update(n.casefold() for n in host_names(address))
    return {n for n in names if n}


def _says_something(value: str, own: set[str]) -> bool:
    folded = value.casefold()
    return folded not in own and _norm(value) not in own


def section(sources: MetadataSources, url: str | None = None) -> str | None:
    """The first declared section that is a part of the site: not a page kind ("post"), not
    the site's own name or host."""
    candidates = [_as_text(v) for v in _as_list(sources.jsonld.get("articleSection"))]
    for key in ("article:section", "section", "parsely-section", "category"):
        candidates.extend(sources.meta.get(key, []))
    own: set[str] | None = None
    for value in candidates:
        value = clean_text(decoded(value or ""))
        if not value or value.casefold().replace(" ", "_") in _PAGE_KINDS:
            continue
        own = own_names(sources, url) if own is None else own
        if _says_something(value, own):
            return value
    return None


def tags(tree: HtmlElement, sources: MetadataSources, url: str | None = None) -> list[str]:
    """Keywords/tags from JSON-LD, article:tag, news_keywords, or rel=tag links; CMS ids
    (``@post-id:1913719``) and the site's own name or initials (TechCrunch's "tc") left out."""
    values: list[str] = []
    keywords = sources.jsonld.get("keywords")
    for value in _as_list(keywords):
        if isinstance(value, str):
            values.extend(value.split(","))
    values.extend(sources.meta.get("article:tag", []))
    if not values:
        for key in ("news_keywords", "keywords", "parsely-tags"):
            for value in sources.meta.get(key, []):
                values.extend(value.split(","))
    if not values:
        values.extend(
            text_of(a) for a in xpath(tree, '/descendant::a[@rel="tag" or contains(@rel," tag")]')
        )
    cleaned = [clean_text(decoded(v)) for v in values]
    kept = [v for v in cleaned if v and len(v) < 80 and not _ID_TAG.search(v)]
    if kept:
        own = own_names(sources, url)
        kept = [v for v in kept if _says_something(v, own)]
    return dedupe(kept)


# Widths written into image URLs: ?w=150, ?resize=150,100, -150x150.jpg, /w_150/, /150x100/.
_URL_WIDTH = re.compile(
    r"[?&](?:w|width|imwidth|resize|fit)=(\d{2,5})|[-_](\d{2,5})x\d{2,5}\.(?:jpe?g|png|webp|gif|avif)"
    r"|[/,]w_(\d{2,5})\b|/(\d{2,5})x\d{2,5}/",
    re.IGNORECASE,
)


def _width(value: Any) -> int | None:
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    match = re.match(r"\s*(\d+)", str(value or ""))
    return int(match.group(1)) if match else None


def _url_width(url: str) -> int | None:
    match = _URL_WIDTH.search(url)
    return int(next(g for g in match.groups() if g)) if match else None


def image(sources: MetadataSources) -> str | None:
    """The main image: the first declared one (JSON-LD, og:image, twitter:image), unless
    another declares a larger width (``og:image:width``, ImageObject ``width``, or the width
    written in its URL): a ``?w=150`` thumbnail gives way to the ``?w=600`` picture."""
    candidates: list[tuple[str, int | None]] = []
    for item in _as_list(sources.jsonld.get("image")):
        url = item.get("url") or item.get("contentUrl") if isinstance(item, dict) else item
        if isinstance(url, str) and url.strip():
            width = _width(item.get("width")) if isinstance(item, dict) else None
            candidates.append((decoded(url.strip()), width))
    widths = sources.meta.get("og:image:width", [])
    for index, url in enumerate(
        sources.meta.get("og:image", []) or sources.meta.get("og:image:url", [])
    ):
        candidates.append((decoded(url), _width(widths[index]) if index < len(widths) else None))
    for key in ("twitter:image", "twitter:image:src"):
        candidates.extend((decoded(url), None) for url in sources.meta.get(key, []))
    if not candidates:
        return None
    sized = [(url, width or _url_width(url)) for url, width in candidates]
    first_url, first_width = sized[0]
    if first_width is None:
        return first_url
    best = max(sized, key=lambda c: c[1] or 0)  # the first of the largest, in trust order
    return best[0] if (best[1] or 0) > first_width else first_url


def lead(sources: MetadataSources) -> str | None:
    value = _as_text(sources.jsonld.get("description")) or sources.first_meta(
        "og:description", "description", "twitter:description", "dc.description"
    )
    return clean_text(decoded(value)) or None if value else None


def language(sources: MetadataSources) -> str | None:
    value = (
        sources.lang
        or _as_text(sources.jsonld.get("inLanguage"))
        or sources.first_meta("og:locale", "content-language", "language", "dc.language")
    )
    if not value:
        return None
    code = value.replace("_", "-").split("-")[0].strip().lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def canonical(tree: HtmlElement, sources: MetadataSources) -> str | None:
    """The page's declared canonical URL (link rel=canonical, og:url, JSON-LD url)."""
    for href in tree.xpath(
        '/descendant::link[contains(concat(" ",normalize-space(@rel)," ")," canonical ")]/@href'
    ):
        if href.strip():
            return href.strip()
    value = sources.first_meta("og:url")
    if value:
        return value
    main = sources.jsonld.get("mainEntityOfPage")
    if isinstance(main, dict):
        main = main.get("@id") or main.get("url")
    return (
        main
        if isinstance(main, str) and main.startswith("http")
        else _as_text(sources.jsonld.get("url"))
    )
