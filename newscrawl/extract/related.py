"""Related-link blocks: labelled lists of links around an article.

A profile can name its blocks exactly; otherwise a generic detector finds them. A block is a
label the page shows (a heading, an aria-label, an element whose class names it a title) with
two or more links to article-like pages. Never a block: navigation, menus, breadcrumbs,
footers, tag clouds, share bars, pagination, author boxes and comment areas, and links inside
running prose. Three more shapes are recognised: third-party recommendation widgets (Outbrain,
Taboola and the like, kind ``sponsored``), "read also" callouts inside the article body (kind
``inline``), and lists whose label is a styled ``div`` rather than a heading.

Why so many rules: researchers use these blocks as a link graph, so a menu taken for a
"related" list is worse than a block missed. Each rule errs on the side of leaving out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from ..profiles import RelatedBlockRule
from ..urls import canonicalize_url, is_http_url, same_site, site_host
from .context import PageContext
from .document import (
    BLOCK_TAGS,
    HEADING_TAGS,
    ancestors,
    class_and_id,
    clean_text,
    select,
    select_text,
    text_of,
    text_start,
)
from .result import LinkData, RelatedBlock

# Areas whose links are site chrome, never related content.
_CHROME_TAGS = {"nav", "header", "footer", "form", "menu", "button"}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "menu", "menubar", "search", "toolbar"}
_CHROME_WORDS = re.compile(
    r"\b(nav|navbar|navigation|menu|mainmenu|megamenu|breadcrumbs?|footer|header|masthead|"
    r"tag-?cloud|tagcloud|tags|tag-?list|keywords|share|sharing|shariff|social|socials|"
    r"pagination|pager|paging|author-?box|author-?bio|author-?info|about-?author|byline|"
    r"comments?|commentlist|comment-list|respond|login|subscribe|paywall|cookie|consent|skip|"
    r"toolbar|topbar|site-?header|site-?footer|bottom-?bar|offcanvas|drawer|hamburger|jobs?|"
    r"job-?board|stellenmarkt)\b"
)
# Labels that name site chrome or a list of non-articles, whatever the markup around them.
_CHROME_LABEL = re.compile(
    r"^\W*(main |haupt|site |top |quick |useful |mobile |primary |secondary )?(menu|menü|navigation|nav|sitemap|"
    r"footer|header|sidebar|seitenleiste|barre latérale|panel|panneau|services?|sections?|"
    r"rubriques|ressorts|categories|catégories|kategorien|topics|themen|tags|schlagworte?|"
    r"stichworte?|mots[- ]clés|keywords|share|teilen|partager|follow us|folgen sie uns|"
    r"suivez[- ]nous|social( media)?|newsletters?|about( us)?|über uns|à propos|impressum|"
    r"contact|kontakt|legal|mentions légales|datenschutz|privacy|login|log in|account|konto|"
    r"abo|abonnement|subscribe|subscription|download|apps?|unsere apps|authors?|autor(en)?|"
    r"auteurs?|about the authors?|über (den|die) autor(in)?|comments?|kommentare|"
    r"commentaires|skip to.*|links|quick links|our sites|unsere angebote|weitere angebote|"
    r"partner ?sites|archives?|archiv|search|suche|recherche|jobs|karriere|shop|stellenmarkt|"
    r"stellenangebote|job offers|offres d'emploi|客户端下载|下载|kalender|calendar|calendrier|"
    r"archivado en|filed under|filed in|abgelegt unter|classé dans|tagged|tagged with|"
    r"(sign up|subscribe|abonnez-vous|jetzt abonnieren)\b.*)\W*$",
    re.IGNORECASE,
)
_NON_ARTICLE_PATH = re.compile(
    r"/(tag|tags|topic|topics|thema|themen|schlagwort|schlagworte|stichwort|keyword|keywords|"
    r"category|categories|categorie|categoria|kategorie|rubrique|author|authors|auteur|autor|"
    r"autoren|profile|profil|user|users|people/profile|page|search|suche|recherche|login|"
    r"logout|register|signin|signup|feed|rss|wp-admin|wp-login|account|konto|newsletter|"
    r"newsletters|contact|kontakt|about|impressum|datenschutz|privacy|terms|agb|abonnement|"
    r"abo|subscribe|subscription|shop|jobs|stellenmarkt|cart|checkout|section|sections|sekce|"
    r"ressort|rubrik|rubriken|download|app)(/|$|\.)|/(index|default)\.\w{2,5}$",
    re.IGNORECASE,
)
# Sub-domains that sell, log in or list jobs: never an article.
_SERVICE_HOST = re.compile(
    r"(abo|abonnement|abonnements|subscribe|subscription|subscriptions|shop|store|boutique|login|"
    r"account|accounts|konto|jobs|karriere|karrierewelt|stellenmarkt|kiosk|epaper|e-paper|"
    r"checkout|leserservice|aboshop|myaccount|connect|auth|sso|radio|tv)\.",
    re.IGNORECASE,
)
_SOCIAL_HOSTS = re.compile(
    r"(^|\.)(facebook|twitter|x|instagram|linkedin|pinterest|tiktok|whatsapp|telegram|t|"
    r"youtube|reddit|flipboard|xing|threads|bsky|mastodon|apple|google|play\.google)\.[a-z.]+$"
)
_SPONSOR_CONTAINER = re.compile(
    r"outbrain|\bob-widget|\bob_|taboola|\btrc_|\btbl-|plista|ligatus|zergnet|revcontent|"
    r"\bmgid|nativo|dianomi|sponsored-?(content|links|stories)|paid-?content|promoted-?(links|content)"
)
# The vendor's own "what is this", privacy and logo links (its click redirectors are kept).
_SPONSOR_CHROME_LINK = re.compile(
    r"//(www\.|popup\.)?(outbrain|taboola|plista|ligatus|mgid|revcontent)\.com(/|$)"
    r"|#(ob|tbl|trc)|/(what-is|whats-this)",
    re.IGNORECASE,
)
_SPONSOR_PROVIDERS = ("Outbrain", "Taboola", "Plista", "Ligatus", "Zergnet", "Revcontent", "MGID")
# "Read also" callouts inside the article body, in the languages of the corpus.
_INLINE_LABEL = re.compile(
    r"^\W*(à lire aussi|a lire aussi|à lire également|lire aussi|lire également|à lire|a lire|"
    r"voir aussi|read also|also read|read more|see also|related stories|more on this|"
    r"more:|related:|lesen sie auch|lesen sie mehr|mehr zum thema|auch interessant|"
    r"das könnte sie auch interessieren|weiterlesen|leggi anche|lee también|leia também|"
    r"čtěte také|czytaj też|czytaj także|lees ook)\b\s*[:>»→-]?",
    re.IGNORECASE,
)
_LEADING_SYMBOLS = re.compile(r"\W*")
_INLINE_CLASS = re.compile(
    r"lire-?aussi|read-?also|see-?also|also-?read|inline-?related|related-?inline|"
    r"mehr-?zum-?thema|further-?reading|read-?more-?box|embedded-?related"
)
# Labels that say "these are links to other articles": required for blocks inside the body.
_RELATED_HINT = re.compile(
    r"relat|similar|also|aussi|auch|anche|también|também|read more|more (on|from|stories|in)|raccomand|"
    r"recommend|empfehl|weitere|mehr zum|zum thema|zum selben|même (sujet|thème)|plus lus|"
    r"most (read|popular|viewed)|popular|trending|meistgelesen|dossier|series|à lire|a lire",
    re.IGNORECASE,
)
_BODY_XPATH = (
    "//*[@itemprop='articleBody' or @data-testid='article-body' or @property='articleBody']"
    " | //*[self::div or self::section or self::article][contains(concat(' ', normalize-space(@class), ' '),"
    " ' entry-content ') or contains(concat(' ', normalize-space(@class), ' '), ' post-content ')"
    " or contains(@class, 'article-body') or contains(@class, 'article__body')"
    " or contains(@class, 'articleBody') or contains(@class, 'story-body')"
    " or contains(@class, 'article-content') or contains(@class, 'post-body')"
    " or @id='article-body' or @id='articleBody' or @id='story-body']"
)
_TITLE_CLASS = (
    "//*[self::div or self::span or self::p or self::strong or self::header or self::a]"
    "[contains(@class,'widget-title') or contains(@class,'block-title')"
    " or contains(@class,'section-title') or contains(@class,'module-title')"
    " or contains(@class,'grid-title') or contains(@class,'box-title')"
    " or contains(@class,'list-title') or contains(@class,'rail-title')"
    " or contains(@class,'teaser-title') or contains(@class,'heading') or contains(@class,'headline')]"
)
# The XPaths above, read as Python tests over one `iter()` pass: libxml2 evaluates a
# `//*[contains(@class, …)]` union far slower (several ms a page) than this scan.
_TITLE_CLASS_TAGS = ("div", "span", "p", "strong", "header", "a")
_TITLE_CLASS_WORDS = re.compile(
    "widget-title|block-title|section-title|module-title|grid-title|box-title|list-title|"
    "rail-title|teaser-title|heading|headline"
)
_LABEL_TAGS = frozenset(("h2", "h3", "h4", "h5", "h6"))
_LABEL_SCAN_TAGS = ("h2", "h3", "h4", "h5", "h6", "section", "aside", *_TITLE_CLASS_TAGS)
_ARIA_TAGS = frozenset(("section", "aside", "div"))
_BODY_TOKENS = frozenset(("entry-content", "post-content"))  # whole class tokens
_BODY_CLASS_PARTS = re.compile(
    "article-body|article__body|articleBody|story-body|article-content|post-body"
)
_BODY_IDS = frozenset(("article-body", "articleBody", "story-body"))
_XML_SPACE = re.compile(r"[ \t\r\n]+")


def _labelled_elements(tree: HtmlElement) -> list[HtmlElement]:
    """What ``//h2 | … | //h6 | //*[@aria-label][section, aside, div] | _TITLE_CLASS`` finds,
    in document order."""
    out = []
    for element in tree.getroottree().getroot().iter(*_LABEL_SCAN_TAGS):
        tag = element.tag
        if tag in _LABEL_TAGS or (tag in _ARIA_TAGS and element.get("aria-label") is not None):
            out.append(element)
        elif tag in _TITLE_CLASS_TAGS:
            classes = element.get("class")
            if classes and _TITLE_CLASS_WORDS.search(classes):
                out.append(element)
    return out


def _marked_body_elements(tree: HtmlElement) -> list[HtmlElement]:
    """What `_BODY_XPATH` finds, in document order."""
    out = []
    for element in tree.getroottree().getroot().iter(etree.Element):
        attrib = element.attrib
        if not attrib:
            continue
        get = attrib.get
        if (
            get("itemprop") == "articleBody"
            or get("data-testid") == "article-body"
            or get("property") == "articleBody"
        ):
            out.append(element)
        elif element.tag in ("div", "section", "article"):
            classes = get("class")
            # Splitting the class into tokens is only worth it when a token's word is there.
            if get("id") in _BODY_IDS or (
                classes
                and (
                    _BODY_CLASS_PARTS.search(classes)
                    or (
                        any(word in classes for word in _BODY_TOKENS)
                        and not _BODY_TOKENS.isdisjoint(_XML_SPACE.split(classes))
                    )
                )
            ):
                out.append(element)
    return out


_KIND_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("sponsored", re.compile(r"sponsor|verlagsangebot|advertorial|annons|advertis|reklame|outbrain|taboola|plista|ligatus|partner|partenaire|promoted|\banzeige\b|publicit|\bpaid\b|werbung|ads by", re.I)),
    ("popular", re.compile(r"most (read|popular|viewed|shared|watched)|popular|meistgeklickt|mest läst|mest lästa|mest lest|mest leste|ranking|ランキング|人気|인기|najczęściej|trending|top lectures|top \d+|les plus (lus|populaires|partagés)|plus lus|meistgelesen|meistgesehen|meist gelesen|am meisten|beliebt|populaires|tendances|más leíd|più lett|nejčten|top stories|top-artikel", re.I)),
    ("dossier", re.compile(r"dossier|series|special|spezial|schwerpunkt|en ce moment sur|in focus|im fokus", re.I)),
    ("section", re.compile(r"more from|latest|newest|dans la même rubrique|même rubrique|more in|mehr aus|aus dem ressort|à la une|also in|aktuell|neueste|neuesten|schlagzeilen|headlines|top news|news in|nachrichten|dernières|derniers articles|en continu|senaste|just in|recent|新着|速報|최신|naujausi", re.I)),
    ("related", re.compile(r"relat|similar|also|関連|あわせて|ähnlich|leggi anche|più letti|más información|recommended|raccomandat|aussi|auch|lire|voir|read more|recommend|empfehl|weitere|mehr zum|zum thema|zum selben|même sujet|même thème|you may|you might", re.I)),
]  # fmt: skip


def classify(label: str, container: HtmlElement | None = None) -> str:
    """The block kind from its label, then from its container's class/id."""
    hints = [label] + ([class_and_id(container)] if container is not None else [])
    for hint in hints:
        for kind, pattern in _KIND_WORDS:
            if pattern.search(hint):
                return kind
    return "related"


def is_chrome(element: HtmlElement, memo: dict[HtmlElement, bool] | None = None) -> bool:
    """True when the element sits inside navigation, header/footer, or similar chrome.

    `memo` (one dict per page, tree unchanged) keeps each element's answer, so the walk up
    the tree is done once per element rather than once per link and heading.
    """
    if memo is None:
        memo = {}
    path: list[HtmlElement] = []
    node: HtmlElement | None = element
    answer = False
    while node is not None:
        known = memo.get(node)
        if known is not None:
            answer = known
            break
        path.append(node)
        if node.tag in _CHROME_TAGS or node.get("role") in _CHROME_ROLES:
            answer = True
            break
        if node.tag in ("body", "html"):
            break
        if _CHROME_WORDS.search(class_and_id(node).replace("_", "-")):
            answer = True
            break
        node = node.getparent()
    for seen in path:
        memo[seen] = answer
    return answer


def is_chrome_label(label: str) -> bool:
    """True for labels that name a menu, a footer, a tag list, an author box and the like."""
    return bool(_CHROME_LABEL.match(label.strip()))


def looks_like_article_url(url: str, page_url: str) -> bool:
    """Links worth keeping: http(s), not a tag/author/feed page. A link to the page itself
    stays: a "most read" list that shows the current article is data too."""
    if not is_http_url(url):
        return False
    parts = urlsplit(url)
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
            or len(slug) > 20
            or bool(re.search(r"\d{4,}", path))
        )
    return True


def strong_article_url(url: str) -> bool:
    """URLs that name one article: an id of 4+ digits, a date, or a slug of 3+ words."""
    path = urlsplit(url).path
    if re.search(r"\d{4,}", path):
        return True
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    slug = re.sub(r"\.\w{2,5}$", "", segments[-1])
    words = [w for w in re.split(r"[-_+.]", slug) if w]
    return len(words) >= 3 or len(slug) > 25


def _headline_like(text: str) -> bool:
    """Anchor text that reads like an article title rather than a menu entry."""
    if re.search(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]", text):
        return len(text) >= 8
    return len(text.split()) >= 4


def is_article_link(anchor: HtmlElement, url: str, page_url: str) -> bool:
    """An anchor whose target is an article: a URL that names one, or a headline for text."""
    if not looks_like_article_url(url, page_url):
        return False
    text = text_of(anchor) or clean_text(anchor.get("title") or anchor.get("aria-label"))
    return strong_article_url(url) or _headline_like(text)


def _inline_text(block: HtmlElement) -> tuple[int, int]:
    """(all, linked) characters of a block's own inline content, child blocks left out."""
    total = linked = 0

    def walk(node: HtmlElement, in_link: bool) -> None:
        nonlocal total, linked
        size = len(clean_text(node.text))
        total += size
        linked += size if in_link else 0
        for child in node:
            if isinstance(child.tag, str) and child.tag not in BLOCK_TAGS:
                walk(child, in_link or child.tag == "a")
            tail = len(clean_text(child.tail))
            total += tail
            linked += tail if in_link else 0

    walk(block, block.tag == "a")
    return total, linked


def in_prose(anchor: HtmlElement) -> bool:
    """True for a link inside running text (a sentence around it), never a list entry."""
    block = next((a for a in ancestors(anchor) if a.tag in BLOCK_TAGS), None)
    if block is None:
        return False
    total, linked = _inline_text(block)
    limit = 200 if block.tag == "li" else 80
    return total - linked > limit and linked < total / 2


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
        " or contains(@class,'chapo') or contains(@class,'dek') or contains(@class,'standfirst')"
        " or contains(@class,'description') or contains(@class,'lede') or contains(@class,'intro')"
        " or contains(@class,'abstract')]"
    )
    marked = [m for m in marked if m.tag != "a" and not any(h in m.iter() for h in _titles(item))]
    for p in marked or item.xpath(".//p"):
        if anchor in p.iter() or any(h in p.iter() for h in item.iter(*HEADING_TAGS)):
            continue
        text = text_of(p)
        if text and text not in texts and not any(text in t for t in texts):
            texts.append(text)
    return " ".join(texts) or None


def _titles(item: HtmlElement) -> list[HtmlElement]:
    return [e for e in item.iter() if "title" in (e.get("class") or "")]


def blocks_from_profile(ctx: PageContext) -> tuple[list[RelatedBlock], list[HtmlElement]]:
    """Blocks named by the profile's [[related]] rules, and the elements they occupy."""
    blocks, used = [], []
    for rule in ctx.profile.related if ctx.profile else ():
        for container in select(ctx.tree, rule.container):
            if not isinstance(container, HtmlElement):
                continue
            block = _block_from_rule(container, ctx.url, rule)
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
    titled = container.xpath(
        ".//*[contains(@class,'title') or contains(@class,'headline') or contains(@class,'header')]"
    )
    for element in titled:
        if not any(True for _ in element.iter("a")) and (text := text_of(element)):
            return text
    return None


def find_body_elements(ctx: PageContext) -> list[HtmlElement]:
    """The element(s) holding the article text: the profile's body selector, a known body
    class, else the element with the most paragraph text directly under it."""
    tree, profile = ctx.tree, ctx.profile
    if profile is not None and "body" in profile.article:
        found = [e for e in select(tree, profile.article["body"]) if isinstance(e, HtmlElement)]
        if found:
            return found
    marked = [e for e in _marked_body_elements(tree) if len(text_of(e)) >= 200]
    # The outermost of nested matches: a body split in several inner divs is one body.
    outer = [e for e in marked if not any(a in marked for a in ancestors(e))]
    if outer:
        return outer
    best, best_chars = None, 0
    for parent in {p.getparent() for p in tree.iter("p")}:
        if parent is None:
            continue
        chars = _paragraph_chars(parent, deep=False)
        if chars > best_chars:
            best, best_chars = parent, chars
    if best is None or best_chars < 150:
        return []
    # A body cut into sections (one per subheading) is their common parent.
    for _ in range(2):
        parent = best.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        siblings = [c for c in parent if c is not best and isinstance(c.tag, str)]
        if not any(_paragraph_chars(c, deep=False) >= 150 for c in siblings):
            break
        best = parent
    return [best] if _paragraph_chars(best, deep=True) >= 400 else []


def _paragraph_chars(element: HtmlElement, deep: bool) -> int:
    paragraphs = element.iter("p") if deep else (c for c in element if c.tag == "p")
    return sum(len(text_of(p)) for p in paragraphs)


def _inside(element: HtmlElement, containers: Iterable[HtmlElement]) -> bool:
    chain = {element, *ancestors(element)}
    return any(c in chain for c in containers)


def generic_blocks(
    ctx: PageContext,
    skip: list[HtmlElement],
    exclude: list[HtmlElement] | None = None,
    body: list[HtmlElement] | None = None,
) -> tuple[list[RelatedBlock], list[list[HtmlElement]]]:
    """Label + ≥2 article links outside site chrome, prose and the profile's exclusions, and
    per block the elements to keep out of the body text (see `_removable`).

    Inside the article body a block also needs a label that says "related" (a body's own
    subheadings are followed by links too, and they are not a block).
    """
    tree, url, chrome, canonical = ctx.tree, ctx.url, ctx.chrome, ctx.canonical
    skip_set = set(skip)
    blocked = set(exclude or [])
    body = body or []
    found: list[tuple[HtmlElement, RelatedBlock, list[HtmlElement]]] = []
    for heading in _labelled_elements(tree):
        chain = [heading, *ancestors(heading)]
        if is_chrome(heading, chrome) or any(n in skip_set or n in blocked for n in chain):
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
        if is_chrome(container, chrome) or any(
            container is c or c in container.iterancestors() for c, _, _ in found
        ):
            continue
        # A container holding the article text is the page, not a block around it.
        if any(b is container or container in b.iterancestors() for b in body):
            continue
        if _is_card_title(heading, url):
            continue
        label = (
            clean_text(container.get("aria-label")) if container is heading else text_of(heading)
        )
        if not label or len(label) > 120 or is_chrome_label(label):
            continue
        if _inside(container, body) and not (
            _RELATED_HINT.search(label) or _RELATED_HINT.search(class_and_id(container))
        ):
            continue
        anchors = [
            a for a in _anchors_under(heading, container)
            if not is_chrome(a, chrome) and not in_prose(a)
            and is_article_link(a, canonical(a.get("href", "")), url)
        ]  # fmt: skip
        if len(anchors) < 2:
            continue
        links = _unique_links(
            [_link_data(a, url, i + 1, _card_of(a, container), None) for i, a in enumerate(anchors)]
        )
        own = sum(same_site(link.url, url) for link in links)
        if own * 2 < len(links) and not (
            _RELATED_HINT.search(label) or _KIND_WORDS[0][1].search(label)
        ):
            continue  # mostly other sites under a plain heading: partners, services, citations
        if len(links) >= 2:
            found = [f for f in found if f[0] not in container.iterdescendants()]
            kind = (
                "inline"
                if _inside(container, body) and _INLINE_LABEL.match(label)
                else classify(label, container)
            )
            block = RelatedBlock(label=label, kind=kind, links=links)
            found.append((container, block, _removable(container, heading, anchors)))
    found.sort(key=lambda triple: _document_order(triple[0]))
    return [b for _, b, _ in found], [e for _, _, e in found]


def _removable(
    container: HtmlElement, heading: HtmlElement, anchors: list[HtmlElement]
) -> list[HtmlElement]:
    """The elements a block takes out of the body text: its container, unless that also holds
    running prose (a heading with a few links met inside the article text), then only the
    container's parts holding the label and the links, or the label alone when those hold
    prose too (the label is at most a short line, never article text).

    A related block is a link list with short teasers; the article's paragraphs around it
    must stay in the body.
    """
    cards = ((_card_of(a, container), a) for a in anchors)
    covered = {heading, *(a if card is None else card for card, a in cards)}
    if not _is_prose(_text_outside(container, covered)):
        return [container]
    parts: list[HtmlElement] = []
    for element in covered:
        part = element
        while part.getparent() is not container and part is not container:
            part = part.getparent()
        if part is not container and part not in parts:
            parts.append(part)
    if any(_is_prose(_text_outside(p, covered)) for p in parts):
        return [heading]
    return sorted(parts, key=_document_order)


_INVISIBLE_TAGS = frozenset(("script", "style", "noscript", "template"))
_SENTENCE_END = re.compile(r"[.!?](?=[\s\"'”’»)]|$)|[。！？]")


def _text_outside(element: HtmlElement, covered: set[HtmlElement]) -> str:
    """Visible text of `element` outside the `covered` elements (label, link cards)."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node in covered or node.tag in _INVISIBLE_TAGS:
            return
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            parts.append(child.tail or "")

    walk(element)
    return clean_text(" ".join(parts))


def _is_prose(text: str) -> bool:
    """Article paragraphs rather than a block's label, teasers or "more" link: several
    sentences and a few hundred characters."""
    return len(text) >= 400 and len(_SENTENCE_END.findall(text)) >= 3


def sponsored_blocks(
    ctx: PageContext, skip: list[HtmlElement]
) -> tuple[list[RelatedBlock], list[HtmlElement]]:
    """Third-party recommendation widgets (Outbrain, Taboola…), labelled or not.

    Their links go to redirectors and other sites, so no article-URL test applies; the
    widget's own "what is this" and privacy links are left out.
    """
    url = ctx.url
    skip_set = set(skip)
    candidates = [
        e
        for e in ctx.tree.iter("div", "section", "aside", "ul")
        if _SPONSOR_CONTAINER.search(class_and_id(e))
    ]
    outer = [
        e for e in candidates if not any(a in candidates for a in ancestors(e))
    ]  # one widget, however deeply its vendor nests it
    blocks, used = [], []
    for container in outer:
        if any(n in skip_set for n in [container, *ancestors(container)]):
            continue
        anchors = [
            a
            for a in container.iter("a")
            if a.get("href")
            and not _SPONSOR_CHROME_LINK.search(a.get("href", ""))
            and is_http_url(ctx.canonical(a.get("href", "")))
            and (text_of(a) or a.get("title"))
        ]
        links = _unique_links([_sponsored_link(a, url, i + 1) for i, a in enumerate(anchors)])
        if len(links) < 2:
            continue
        label = _sponsor_label(container)
        # The vendor's "organic" widget, all links to the site itself, is not paid content.
        organic = all(same_site(link.url, url) for link in links)
        kind = classify(label, None) if organic else "sponsored"
        blocks.append(RelatedBlock(label=label, kind=kind, links=links))
        used.append(container)
    return blocks, used


def _sponsored_link(anchor: HtmlElement, page_url: str, position: int) -> LinkData:
    """A widget's link: its headline element's text (the advertiser's name is left out)."""
    link = _link_data(anchor, page_url, position, None, None)
    titled = anchor.xpath(
        ".//*[contains(@class,'title') or contains(@class,'rec-text') or contains(@class,'headline')]"
    )
    text = text_of(titled[0]) if titled else clean_text(anchor.get("title"))
    link.text = text or link.text
    return link


def _sponsor_label(container: HtmlElement) -> str:
    """The widget's header as shown, else the vendor's name."""
    for element in container.xpath(
        ".//*[self::h2 or self::h3 or self::h4 or self::span or self::div or self::p]"
        "[contains(@class,'header') or contains(@class,'title') or contains(@class,'heading')]"
        " | .//h2 | .//h3"
    ):
        if any(True for _ in element.iter("a")):
            continue
        text = text_of(element)
        if text and len(text) <= 80:
            return text
    hint = class_and_id(container)
    return next((p for p in _SPONSOR_PROVIDERS if p.lower() in hint), "Sponsored")


def inline_blocks(
    ctx: PageContext, body: list[HtmlElement]
) -> list[tuple[RelatedBlock, list[HtmlElement]]]:
    """ "Read also" callouts inside the article body, one block per label shown, each with
    the callout elements it came from.

    Several callouts with the same label ("Lire aussi" three times down the text) make one
    block; a block still needs two links, like any other.
    """
    groups: dict[str, tuple[str, list[HtmlElement], list[LinkData]]] = {}
    taken: set[HtmlElement] = set()
    for root in body:
        for element in root.iter("p", "div", "aside", "section", "li", "blockquote"):
            if element is root or (taken and any(a in taken for a in ancestors(element))):
                continue
            label, anchors = _callout(ctx, element)
            if not label or not anchors:
                continue
            taken.add(element)
            _, elements, links = groups.setdefault(label.casefold(), (label, [], []))
            elements.append(element)
            links += [_link_data(a, ctx.url, 0, None, None) for a in anchors]
    found = []
    for label, elements, links in groups.values():
        unique = _unique_links(links)
        if len(unique) >= 2:
            found.append((RelatedBlock(label=label, kind="inline", links=unique), elements))
    return found


def _callout(ctx: PageContext, element: HtmlElement) -> tuple[str | None, list[HtmlElement]]:
    """(label, links) when `element` is a "read also" callout, else (None, [])."""
    # Every block of the body is asked, so the label test reads only the start of its text:
    # a label is at most ~40 characters after a short run of symbols.
    text, whole = text_start(element, 200)
    if not whole and _LEADING_SYMBOLS.match(text).end() >= 100:
        text, whole = text_of(element), True
    match = _INLINE_LABEL.match(text)
    if not match and not _INLINE_CLASS.search(class_and_id(element).replace("_", "-")):
        return None, []
    if not whole:
        text = text_of(element)
        match = _INLINE_LABEL.match(text)
    label = _strip_label(match.group(0)) if match else _leading_text(element)
    anchors = [a for a in element.iter("a") if a.get("href")]
    if not anchors and match:
        following = element.getnext()
        if following is not None and following.tag in ("ul", "ol", "div", "p"):
            anchors = [a for a in following.iter("a") if a.get("href")]
            text += " " + text_of(following)
    anchors = [
        a
        for a in anchors
        if looks_like_article_url(ctx.canonical(a.get("href", "")), ctx.url)
        and text_of(a)
        and text_of(a).casefold() != (label or "").casefold()
    ]
    linked = sum(len(text_of(a)) for a in anchors)
    if not label or not anchors or len(text) - linked > 60 + len(label):
        return None, []  # a paragraph of prose that happens to start with "see also"
    return label, anchors


def _strip_label(text: str) -> str:
    return clean_text(text).strip(" :>»→-\u00a0")


def _leading_text(element: HtmlElement) -> str | None:
    """The text a callout shows before its first link ("Lire aussi" in a styled span)."""
    parts = [element.text or ""]
    for child in element.iter():
        if child is element:
            continue
        if child.tag == "a":
            break
        parts += [child.text or "", child.tail or ""]
    label = _strip_label(" ".join(parts))
    return label if 0 < len(label) <= 40 else None


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
    if heading.tag == "a":
        anchors = [heading]
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
            r"card|item|post|teaser|entry|story|tile", class_and_id(parent)
        ):
            return parent
        node = parent
    return None


def _document_order(element: HtmlElement) -> int:
    return element.sourceline or 0


def extract_related(
    ctx: PageContext, body_elements: list[HtmlElement], comment_elements: list[HtmlElement]
) -> tuple[list[RelatedBlock], list[HtmlElement]]:
    """All related blocks of the page in page order, and the elements they occupy (kept out
    of the body text).

    `body_elements` hold the article text (see `find_body_elements`): blocks inside them
    need a "related" label, and "read also" callouts there become `inline` blocks.
    """
    tree, profile = ctx.tree, ctx.profile
    blocks: list[RelatedBlock] = []
    used: list[HtmlElement] = []
    if profile and profile.related:
        blocks, used = blocks_from_profile(ctx)
    if profile is None or profile.related_generic:
        excluded = [
            e for s in (profile.related_exclude if profile else ()) for e in select(tree, s)
        ]
        found: list[tuple[RelatedBlock, list[HtmlElement]]] = []
        sponsored, sponsored_used = sponsored_blocks(ctx, used + excluded)
        found += [(b, [e]) for b, e in zip(sponsored, sponsored_used, strict=True)]
        taken = used + sponsored_used
        headed, headed_used = generic_blocks(
            ctx, skip=taken + comment_elements, exclude=excluded, body=body_elements
        )
        found += list(zip(headed, headed_used, strict=True))
        taken += [e for elements in headed_used for e in elements] + excluded
        found += inline_blocks(ctx, [b for b in body_elements if not _inside(b, taken)])
        found.sort(key=lambda pair: _document_order(pair[1][0]))
        known = {b.label.casefold() for b in blocks}
        targets = [{link.url for link in b.links} for b in blocks]
        for block, elements in found:
            urls = {link.url for link in block.links}
            # The same list shown twice (a desktop and a mobile copy) is one block.
            if block.label.casefold() not in known and urls not in targets:
                known.add(block.label.casefold())
                targets.append(urls)
                blocks.append(block)
                used += elements
    return blocks, used
