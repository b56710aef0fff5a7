"""Related-link blocks: labelled lists of links around an article.

A profile can name its blocks exactly; otherwise a generic detector looks for a heading (or
aria-label) followed by two or more links to article-like pages, outside the article body and
outside navigation, footers, breadcrumbs, tag clouds, share bars and comment areas.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from ..profiles import RelatedBlockRule, SiteProfile
from ..urls import canonicalize_url, is_http_url, same_site
from .document import (
    HEADING_TAGS,
    ancestors,
    class_and_id,
    clean_text,
    select,
    select_text,
    text_of,
)
from .result import LinkData, RelatedBlock

# Areas whose links are site chrome, never related content.
_CHROME_TAGS = {"nav", "header", "footer", "form", "menu"}
_CHROME_WORDS = re.compile(
    r"\b(nav|navbar|navigation|menu|breadcrumbs?|footer|header|masthead|tag-?cloud|tagcloud|tags|"
    r"share|sharing|social|pagination|pager|author-?box|byline|comments?|commentlist|comment-list|"
    r"respond|login|subscribe|cookie|skip)\b"
)
_NON_ARTICLE_PATH = re.compile(
    r"/(tag|tags|category|categories|categorie|rubrique|author|auteur|autor|page|search|recherche|"
    r"login|feed|rss|wp-admin|wp-login|account|newsletter|contact|about|abonnement|subscribe)(/|$)",
    re.IGNORECASE,
)
_KIND_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("sponsored", re.compile(r"sponsor|outbrain|taboola|partner|partenaire|promoted|anzeige|publicit", re.I)),
    ("popular", re.compile(r"most (read|popular|viewed|shared)|popular|trending|top |top lectures|les plus lus|plus lus|meistgelesen|beliebt|populaires", re.I)),
    ("dossier", re.compile(r"dossier|series|special|schwerpunkt|en ce moment sur", re.I)),
    ("section", re.compile(r"more from|latest|dans la même rubrique|more in|mehr aus|à la une|also in", re.I)),
    ("related", re.compile(r"relat|similar|also|lire aussi|à lire|a lire|voir aussi|read more|recommended|weitere|mehr zum|sur le même sujet", re.I)),
]  # fmt: skip


def classify(label: str, container: HtmlElement | None = None) -> str:
    """The block kind from its label, then from its container's class/id."""
    hints = [label] + ([class_and_id(container)] if container is not None else [])
    for hint in hints:
        for kind, pattern in _KIND_WORDS:
            if pattern.search(hint):
                return kind
    return "related"


def is_chrome(element: HtmlElement) -> bool:
    """True when the element sits inside navigation, header/footer, or similar chrome."""
    for node in [element, *ancestors(element)]:
        if node.tag in _CHROME_TAGS or node.get("role") in ("navigation", "banner", "contentinfo"):
            return True
        if node.tag in ("body", "html"):
            return False
        if _CHROME_WORDS.search(class_and_id(node).replace("_", "-")):
            return True
    return False


def looks_like_article_url(url: str, page_url: str) -> bool:
    """Links worth keeping: http(s), not a tag/author/feed page. A link to the page itself
    stays: a "most read" list that shows the current article is data too."""
    if not is_http_url(url):
        return False
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if not path or _NON_ARTICLE_PATH.search(parts.path):
        return False
    if same_site(url, page_url):
        slug = path.rsplit("/", 1)[-1]
        return "-" in slug or any(c.isdigit() for c in slug) or len(slug) > 20
    return True


def _link_data(
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


def _teaser(item: HtmlElement, anchor: HtmlElement) -> str | None:
    """Text of the card around a link, minus the link's own text and any heading."""
    texts = []
    marked = item.xpath(
        ".//*[contains(@class,'excerpt') or contains(@class,'teaser') or contains(@class,'summary')"
        " or contains(@class,'chapo') or contains(@class,'dek') or contains(@class,'standfirst')]"
    )
    for p in marked or item.xpath(".//p"):
        if anchor in p.iter() or any(h in p.iter() for h in item.iter(*HEADING_TAGS)):
            continue
        text = text_of(p)
        if text and text not in texts:
            texts.append(text)
    return " ".join(texts) or None


def blocks_from_profile(
    tree: HtmlElement, url: str, profile: SiteProfile
) -> tuple[list[RelatedBlock], list[HtmlElement]]:
    """Blocks named by the profile's [[related]] rules, and the elements they occupy."""
    blocks, used = [], []
    for rule in profile.related:
        for container in select(tree, rule.container):
            if not isinstance(container, HtmlElement):
                continue
            block = _block_from_rule(container, url, rule)
            if block.links:
                blocks.append(block)
                used.append(container)
    return blocks, used


def _block_from_rule(container: HtmlElement, url: str, rule: RelatedBlockRule) -> RelatedBlock:
    label = (
        rule.label_text
        or select_text(container, rule.label)
        or _heading_label(container)
        or "Related"
    )
    links: list[LinkData] = []
    items = select(container, rule.item) if rule.item else [container]
    for item in items:
        anchors = [
            a for a in select(item, rule.link) if isinstance(a, HtmlElement) and a.get("href")
        ]
        if rule.label is not None:
            label_elements = set(select(container, rule.label))
            anchors = [
                a for a in anchors if not any(e in label_elements for e in [a, *ancestors(a)])
            ]
        for anchor in anchors if rule.item is None else anchors[:1]:
            teaser = select_text(item, rule.teaser) if rule.teaser else None
            links.append(
                _link_data(anchor, url, len(links) + 1, item if rule.item else None, teaser)
            )
    return RelatedBlock(label=label, kind=rule.kind, links=_unique_links(links))


def _unique_links(links: list[LinkData]) -> list[LinkData]:
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


def _heading_label(container: HtmlElement) -> str | None:
    label = clean_text(container.get("aria-label"))
    if label:
        return label
    for heading in container.iter(*HEADING_TAGS):
        text = text_of(heading)
        if text:
            return text
    titled = container.xpath(".//*[contains(@class,'title') or contains(@class,'headline')][1]")
    return text_of(titled[0]) if titled else None


def generic_blocks(
    tree: HtmlElement, url: str, skip: list[HtmlElement], exclude: list[HtmlElement] | None = None
) -> tuple[list[RelatedBlock], list[HtmlElement]]:
    """Heading + ≥2 article links outside the body and site chrome."""
    skip_set = set(skip)
    blocked = set(exclude or [])
    found: list[tuple[HtmlElement, RelatedBlock]] = []
    labelled = tree.xpath(
        "//h2 | //h3 | //h4 | //h5 | //h6 | //*[@aria-label][self::section or self::aside or self::div] "
        "| //*[contains(@class,'widget-title') or contains(@class,'block-title') or contains(@class,'section-title')]"
    )
    for heading in labelled:
        if is_chrome(heading) or any(
            n in skip_set or n in blocked for n in [heading, *ancestors(heading)]
        ):
            continue
        if heading.get("aria-label") and heading.tag not in HEADING_TAGS:
            # A labelled region with headings inside is a wrapper: its headings make the blocks.
            if any(True for _ in heading.iter(*HEADING_TAGS)):
                continue
            container = heading
        else:
            container = _container_for(heading)
        if container is None or any(
            n in skip_set or n in blocked for n in [container, *ancestors(container)]
        ):
            continue
        if is_chrome(container) or any(
            container is c or c in container.iterancestors() for c, _ in found
        ):
            continue
        if _is_card_title(heading, url):
            continue
        label = (
            clean_text(container.get("aria-label")) if container is heading else text_of(heading)
        )
        if not label or len(label) > 120:
            continue
        anchors = [
            a for a in _anchors_under(heading, container)
            if not is_chrome(a) and looks_like_article_url(canonicalize_url(a.get("href", ""), base=url), url)
        ]  # fmt: skip
        if len(anchors) < 2:
            continue
        links = _unique_links(
            [_link_data(a, url, i + 1, _card_of(a, container), None) for i, a in enumerate(anchors)]
        )
        if len(links) >= 2:
            found = [(c, b) for c, b in found if c not in container.iterdescendants()]
            found.append(
                (container, RelatedBlock(label=label, kind=classify(label, container), links=links))
            )
    found.sort(key=lambda pair: _document_order(tree, pair[0]))
    return [b for _, b in found], [c for c, _ in found]


def _level(element: HtmlElement) -> int:
    """Heading level: h2 → 2; a styled title element counts as a level-3 heading."""
    return int(element.tag[1]) if element.tag in HEADING_TAGS else 3


def _anchors_under(heading: HtmlElement, container: HtmlElement) -> list[HtmlElement]:
    """Links that follow `heading` in `container`, up to the next heading of its level or above.

    This is the outline rule: a link belongs to the nearest heading before it, so a block
    never takes the links of a sibling block that has its own heading.
    """
    if heading is container:
        return [a for a in container.iter("a") if a.get("href")]
    level = _level(heading)
    anchors, started = [], False
    inside_heading = set(heading.iter())
    for element in container.iter():
        if element is heading:
            started = True
            continue
        if not started or element in inside_heading or not isinstance(element.tag, str):
            continue
        is_heading = element.tag in HEADING_TAGS or "widget-title" in element.get("class", "")
        if is_heading and _level(element) <= level and not _is_card_title(element, ""):
            break
        if element.tag == "a" and element.get("href"):
            anchors.append(element)
    return anchors


def _is_card_title(heading: HtmlElement, page_url: str) -> bool:
    """A heading that is itself one article link is a teaser's title, not a block label."""
    anchors = [a for a in heading.iter("a") if a.get("href")]
    if len(anchors) != 1 or text_of(anchors[0]) != text_of(heading):
        return False
    return not page_url or looks_like_article_url(
        canonicalize_url(anchors[0].get("href", ""), base=page_url), page_url
    )


def _container_for(heading: HtmlElement) -> HtmlElement | None:
    """The nearest ancestor (at most three levels up) that holds the heading and its links."""
    node = heading.getparent()
    for _ in range(3):
        if node is None or node.tag in ("body", "html", "main"):
            return None
        if len([a for a in node.iter("a") if a.get("href")]) >= 2:
            # A wrapper holding several headed lists is not one block.
            headings = [h for h in node.iter(*HEADING_TAGS) if h is not heading]
            return node if len(headings) <= len(list(node.iter("a"))) else None
        node = node.getparent()
    return None


def _card_of(anchor: HtmlElement, container: HtmlElement) -> HtmlElement | None:
    """The list item or card that holds one link inside a block."""
    node = anchor
    for parent in ancestors(anchor):
        if parent is container:
            return node if node is not anchor else None
        if parent.tag in HEADING_TAGS or parent.tag == "a":
            node = parent
            continue
        if parent.tag in ("li", "article") or re.search(
            r"card|item|post|teaser|entry", class_and_id(parent)
        ):
            return parent
        node = parent
    return None


def _document_order(tree: HtmlElement, element: HtmlElement) -> int:
    return element.sourceline or 0


def extract_related(
    tree: HtmlElement,
    url: str,
    profile: SiteProfile | None,
    body_elements: list[HtmlElement],
    comment_elements: list[HtmlElement],
) -> tuple[list[RelatedBlock], list[HtmlElement]]:
    """All related blocks of the page, and the elements they occupy (kept out of the body)."""
    blocks: list[RelatedBlock] = []
    used: list[HtmlElement] = []
    if profile and profile.related:
        blocks, used = blocks_from_profile(tree, url, profile)
    if profile is None or profile.related_generic:
        excluded = [
            e for s in (profile.related_exclude if profile else ()) for e in select(tree, s)
        ]
        extra, extra_used = generic_blocks(
            tree, url, skip=used + body_elements + comment_elements, exclude=excluded
        )
        known = {b.label.casefold() for b in blocks}
        for block, element in zip(extra, extra_used, strict=True):
            if block.label.casefold() not in known:
                blocks.append(block)
                used.append(element)
    return blocks, used
