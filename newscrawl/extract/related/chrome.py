"""Site chrome a block must not come from (navigation, footers, share bars, tag lists), links
inside running prose, and the kind a block is by its label."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from ..document import (
    BLOCK_TAGS,
    ancestors,
    class_and_id,
    clean_text,
)

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


# Labels that say "these are links to other articles": required for blocks inside the body.
RELATED_HINT = re.compile(
    r"relat|similar|also|aussi|auch|anche|también|também|read more|more (on|from|stories|in)|raccomand|"
    r"recommend|empfehl|weitere|mehr zum|zum thema|zum selben|même (sujet|thème)|plus lus|"
    r"most (read|popular|viewed)|popular|trending|meistgelesen|dossier|series|à lire|a lire",
    re.IGNORECASE,
)


KIND_WORDS: list[tuple[str, re.Pattern[str]]] = [
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
        for kind, pattern in KIND_WORDS:
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
