"""What kind of page this is, described by numbers for the page-type model.

Declared types (JSON-LD, OpenGraph), the URL's shape, dates and bylines, how much running text
the body holds against the page's links, repeated teaser structure, forms and prices, code
blocks, comment threads: one pass over the tree plus what extraction already found.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from ..urls import url_parts
from . import authors, date_choice, metadata
from .document import xpath
from .thresholds import BYLINE_LINE_MAX_CHARS

_WORDS = re.compile(r"\w+")
_DATE_PATH = re.compile(r"/(?:19|20)\d{2}[/-](?:0?[1-9]|1[0-2])(?:[/-]|$)|/\d{4}-\d{2}-\d{2}")
_LONG_ID = re.compile(r"\d{5,}")
_ITEM_QUERY = re.compile(r"(?:^|&)(?:p|id|story|article|artikel|news|item|post)=\d+(?:&|$)", re.I)
_SEGMENT_WORDS: dict[str, frozenset[str]] = {
    "url_product": frozenset(
        [
            "product",
            "products",
            "produkt",
            "produit",
            "shop",
            "store",
            "p",
            "dp",
            "item",
            "items",
            "buy",
            "cart",
            "sku",
            "collections",
            "catalog",
            "catalogue",
            "deals",
            "offer",
        ]
    ),
    "url_forum": frozenset(
        [
            "forum",
            "forums",
            "thread",
            "threads",
            "topic",
            "topics",
            "t",
            "community",
            "communities",
            "discussion",
            "discussions",
            "discuss",
            "questions",
            "question",
            "q",
            "answers",
            "board",
            "boards",
            "r",
            "comments",
            "viewtopic",
            "showthread",
        ]
    ),
    "url_docs": frozenset(
        [
            "docs",
            "doc",
            "documentation",
            "api",
            "reference",
            "manual",
            "guide",
            "guides",
            "learn",
            "tutorial",
            "tutorials",
            "wiki",
            "kb",
            "help",
            "support",
            "knowledge",
            "handbook",
            "developer",
            "developers",
            "sdk",
        ]
    ),
    "url_service": frozenset(
        [
            "services",
            "service",
            "solutions",
            "solution",
            "pricing",
            "plans",
            "about",
            "contact",
            "company",
            "careers",
            "features",
            "industries",
            "locations",
            "location",
            "team",
            "why",
        ]
    ),
    "url_listing": frozenset(
        [
            "tag",
            "tags",
            "category",
            "categories",
            "author",
            "authors",
            "archive",
            "archives",
            "page",
            "search",
            "section",
            "sections",
            "topic",
            "themen",
            "rubrique",
            "ressort",
            "list",
            "lists",
            "latest",
            "all",
            "index",
        ]
    ),
    "url_article": frozenset(
        [
            "news",
            "article",
            "articles",
            "blog",
            "blogs",
            "story",
            "stories",
            "post",
            "posts",
            "insights",
            "magazine",
            "features",
            "opinion",
            "analysis",
            "review",
            "reviews",
        ]
    ),
}
_TYPE_GROUPS: dict[str, frozenset[str]] = {
    "ld_article": metadata.ARTICLE_TYPES,
    "ld_product": frozenset({"product", "offer", "aggregateoffer", "productgroup", "car"}),
    "ld_forum": frozenset(
        {"discussionforumposting", "qapage", "question", "answer", "comment", "conversation"}
    ),
    "ld_faq": frozenset({"faqpage"}),
    "ld_listing": frozenset(
        {"collectionpage", "itemlist", "searchresultspage", "blog", "mediagallery"}
    ),
    "ld_webpage": frozenset({"webpage", "aboutpage", "contactpage", "medicalwebpage"}),
    "ld_website": frozenset({"website"}),
    "ld_profile": frozenset({"profilepage", "person"}),
    "ld_org": frozenset({"organization", "localbusiness", "service", "corporation", "store"}),
    "ld_howto": frozenset({"howto", "techarticle", "apireference", "course", "learningresource"}),
    "ld_recipe": frozenset({"recipe"}),
    "ld_event": frozenset({"event"}),
    "ld_software": frozenset({"softwareapplication", "webapplication", "mobileapplication"}),
    "ld_video": frozenset({"videoobject"}),
    "ld_breadcrumb": frozenset({"breadcrumblist"}),
}
_OG_TYPES = {"article": 1, "website": 2, "product": 3, "profile": 4, "video.other": 5, "book": 6}
# Words in class and id attributes that tell a page's kind.
_CLASS_WORDS = (
    "price", "cart", "sku", "product", "forum", "thread", "reply", "topic", "post", "docs",
    "toc", "sidebar", "breadcrumb", "pagination", "card", "teaser", "byline", "author",
    "comment", "article", "entry", "listing", "grid", "search", "filter", "rating", "review",
    "avatar", "signature", "member", "quote", "code", "highlight", "hero", "cta", "pricing",
    "testimonial", "faq", "accordion", "tab", "menu", "date", "time", "share", "related",
)  # fmt: skip
_TAGS = (
    "a", "p", "h1", "h2", "h3", "h4", "article", "section", "time", "form", "input", "button",
    "pre", "code", "table", "img", "li", "ul", "blockquote", "select", "nav", "aside",
    "footer", "iframe", "video", "dl", "figure",
)  # fmt: skip

FEATURE_NAMES: tuple[str, ...] = (
    "path_depth", "last_segment_len", "last_segment_words", "path_date", "path_long_id",
    "url_root", "url_query", "url_item_query", "url_file_ext",
    *_SEGMENT_WORDS,
    *_TYPE_GROUPS,
    "ld_main_article", "og_type", "meta_published", "meta_author", "meta_price", "meta_section",
    "published", "modified", "authors", "title_words", "title_separators",
    "body_words", "body_paragraphs", "body_mean_paragraph", "body_share",
    "page_text_chars", "page_link_ratio", "linked_headings", "headings", "linked_heading_ratio",
    *(f"tag_{t}" for t in _TAGS),
    *(f"class_{w}" for w in _CLASS_WORDS),
    "comments", "comment_authors", "related_blocks", "related_links", "rule_article",
    "prose_paragraphs", "prose_share", "long_paragraphs", "list_like_share", "prices",
    "first_person", "second_person", "questions", "title_how", "title_best", "title_number",
    "title_question", "title_brand_share", "date_in_text", "main_time", "headline_date_line",
    "headline_byline_line", "headline_lines",
)  # fmt: skip
_PRICE = re.compile(r"(?:[$€£¥]\s?\d|\d(?:[.,]\d{2})?\s?(?:€|eur|usd)\b)", re.I)
_FIRST_PERSON = re.compile(r"\b(?:i|we|my|our|ich|wir|je|nous)\b", re.I)
_SECOND_PERSON = re.compile(r"\b(?:you|your|ihr|sie|vous|votre)\b", re.I)
_HOW = re.compile(r"\b(?:how|why|what|when|who|where|wie|warum|was|comment|pourquoi)\b", re.I)
_BEST = re.compile(r"\b(?:best|top|review|reviews|vs|versus|guide|tips|ideas)\b", re.I)
_LEADING_NUMBER = re.compile(r"^\W*\d+\b|\b\d+\s+(?:best|ways|tips|things|ideas|reasons)\b", re.I)
_TEXT_DATE = re.compile(
    r"\b(?:19|20)\d{2}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./](?:19|20)?\d{2}\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+(?:19|20)\d{2}\b|"
    r"\b\d{1,2}\.?\s+(?:jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec)[a-zä]*\.?\s+(?:19|20)\d{2}\b",
    re.I,
)


def page_features(
    tree: HtmlElement,
    url: str,
    sources: metadata.MetadataSources,
    article,
    comments: list,
    related: list,
    rule_article: bool,
    headline_lines: list[str] | None = None,
) -> dict[str, float]:
    """The page's features by name (see `FEATURE_NAMES`). `headline_lines`: the text lines
    after the first `<h1>` (`PageContext.lines_after_headline`), where a story shows its
    dateline and byline and a listing its first teasers."""
    f: dict[str, float] = {}
    address = url_parts(article.canonical_url or url)
    segments = [s for s in address.path.split("/") if s]
    if _ITEM_QUERY.search(address.query):
        # "/?p=2895", "/index.php?id=77": the query names the item a path would name
        segments.append(address.query)
    last = segments[-1] if segments else ""
    stem = re.sub(r"\.(?:html?|php|aspx?|jsp|cfm)$", "", last.lower())
    f["path_depth"] = len(segments)
    f["last_segment_len"] = len(stem)
    f["last_segment_words"] = len([w for w in re.split(r"[-_+]", stem) if w])
    f["path_date"] = float(bool(_DATE_PATH.search(address.path)))
    f["path_long_id"] = float(bool(_LONG_ID.search(address.path)))
    f["url_root"] = float(not segments)
    f["url_query"] = float(bool(address.query))
    f["url_item_query"] = float(bool(_ITEM_QUERY.search(address.query)))
    f["url_file_ext"] = float(stem != last.lower())
    lowered = [s.lower() for s in segments]
    for name, words in _SEGMENT_WORDS.items():
        f[name] = sum(1 for s in lowered if s in words)
    types: set[str] = set()
    for node in sources.jsonld_nodes:
        types |= metadata.node_types(node)
    for name, group in _TYPE_GROUPS.items():
        f[name] = float(bool(types & group))
    f["ld_main_article"] = float(bool(sources.jsonld))
    og = (sources.first_meta("og:type") or "").lower()
    f["og_type"] = _OG_TYPES.get(og, 7 if og else 0)
    f["meta_published"] = float(
        bool(sources.first_meta("article:published_time", "datepublished", "date", "pubdate"))
    )
    f["meta_author"] = float(bool(sources.first_meta("author", "article:author")))
    f["meta_price"] = float(
        bool(sources.first_meta("product:price:amount", "og:price:amount", "price"))
    )
    f["meta_section"] = float(bool(sources.first_meta("article:section")))
    f["published"] = float(bool(article.published))
    f["modified"] = float(bool(article.modified))
    f["authors"] = len(article.authors)
    title = article.title or ""
    f["title_words"] = len(_WORDS.findall(title))
    f["title_separators"] = len(re.findall(r"\s[|–—-]\s|:", title))
    body = article.body or ""
    paragraphs = [p for p in body.split("\n\n") if p]
    words = len(_WORDS.findall(body))
    f["body_words"] = words
    f["body_paragraphs"] = len(paragraphs)
    f["body_mean_paragraph"] = words / len(paragraphs) if paragraphs else 0.0
    counts, link_chars, text_chars, classes = _walk(tree)
    f["body_share"] = len(body) / text_chars if text_chars else 0.0
    f["page_text_chars"] = text_chars
    f["page_link_ratio"] = link_chars / text_chars if text_chars else 0.0
    linked = counts.pop("linked_headings", 0)
    headings = counts["h2"] + counts["h3"] + counts["h4"]
    f["linked_headings"] = linked
    f["headings"] = headings
    f["linked_heading_ratio"] = linked / headings if headings else 0.0
    for tag in _TAGS:
        f[f"tag_{tag}"] = counts.get(tag, 0)
    for word in _CLASS_WORDS:
        f[f"class_{word}"] = classes.count(word)
    f["comments"] = len(comments)
    f["comment_authors"] = len({c.author for c in comments if c.author})
    f["related_blocks"] = len(related)
    f["related_links"] = sum(len(b.links) for b in related)
    f["rule_article"] = float(rule_article)
    prose = [p for p in paragraphs if len(p.split()) >= 20 and p.rstrip()[-1:] in '.!?"”»)']
    f["prose_paragraphs"] = len(prose)
    f["prose_share"] = sum(map(len, prose)) / len(body) if body else 0.0
    f["long_paragraphs"] = sum(1 for p in paragraphs if len(p.split()) >= 40)
    f["list_like_share"] = (
        sum(1 for p in paragraphs if len(p.split()) < 8) / len(paragraphs) if paragraphs else 0.0
    )
    sample = body[:5000]
    f["prices"] = len(_PRICE.findall(sample))
    f["first_person"] = len(_FIRST_PERSON.findall(sample)) / (len(sample.split()) or 1)
    f["second_person"] = len(_SECOND_PERSON.findall(sample)) / (len(sample.split()) or 1)
    f["questions"] = sample.count("?")
    f["title_how"] = float(bool(_HOW.search(title)))
    f["title_best"] = float(bool(_BEST.search(title)))
    f["title_number"] = float(bool(_LEADING_NUMBER.search(title)))
    f["title_question"] = float(title.rstrip().endswith("?"))
    names = {n.lower() for n in metadata.site_names(sources)} | set(metadata.host_names(url))
    title_words = _WORDS.findall(title.lower())
    f["title_brand_share"] = (
        sum(1 for w in title_words if any(w in n for n in names)) / len(title_words)
        if title_words
        else 0.0
    )
    f["date_in_text"] = float(bool(_TEXT_DATE.search(body[:3000])))
    # `//article//time` merges one node set per <article>: quadratic on a page of many.
    f["main_time"] = float(
        bool(xpath(tree, "/descendant::time[ancestor::article or ancestor::main]"))
    )
    lines = headline_lines or []
    f["headline_date_line"] = next(
        (i for i, line in enumerate(lines) if date_choice.SHOWN_DATE.search(line)), -1
    )
    f["headline_byline_line"] = next(
        (
            i
            for i, line in enumerate(lines)
            if len(line) <= BYLINE_LINE_MAX_CHARS and authors.BYLINE_PREFIX.match(line)
        ),
        -1,
    )
    f["headline_lines"] = len(lines)  # 0: no <h1>
    return f


_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
_HEADING_TAGS = frozenset({"h2", "h3", "h4"})


def _walk(tree: HtmlElement) -> tuple[dict[str, int], int, int, str]:
    """Tag counts, link and text characters (scripts and styles left out), and the page's
    class and id names lower-cased in one string, from one pass over the tree."""
    counts = dict.fromkeys(_TAGS, 0)
    counts["linked_headings"] = 0
    classes: list[str] = []
    link_chars = text_chars = 0
    root = tree.getroottree().getroot()
    stack = [(root, False)]
    while stack:
        node, in_link = stack.pop()
        tag = node.tag
        if not isinstance(tag, str) or tag in _SKIP:
            if node.tail and isinstance(tag, str):
                n = len(node.tail.strip())
                text_chars += n
            continue
        if tag in counts:
            counts[tag] += 1
        if tag in _HEADING_TAGS and node.find(".//a") is not None:
            counts["linked_headings"] += 1
        names = node.get("class")
        if names:
            classes.append(names)
        ident = node.get("id")
        if ident:
            classes.append(ident)
        link = in_link or tag == "a"
        if node.text:
            n = len(node.text.strip())
            text_chars += n
            if link:
                link_chars += n
        if node.tail and node is not root:
            n = len(node.tail.strip())
            text_chars += n
            if in_link:
                link_chars += n
        for child in reversed(node):
            if isinstance(child.tag, str) or isinstance(child, etree._Comment):
                stack.append((child, link))
    return counts, link_chars, text_chars, " ".join(classes).lower()
