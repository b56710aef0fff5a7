"""A DOM-scoring article body extractor on lxml (readability's idea, tuned for news pages).

Why our own: trafilatura is accurate but slow, and it keeps boxes a news reader does not count
as article text (teaser lists, galleries of captions, author bios). This extractor finds the
element that holds most of the page's running prose, merges siblings that continue it, then
keeps only its paragraph-like blocks that look like prose rather than chrome. It returns a
confidence, so the caller can fall back to trafilatura where the page has no clear main block.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from .document import BLOCK_TAGS, HEADING_TAGS, clean_text

# Whole elements that are never article text.
_DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas",
        "button", "select", "input", "textarea", "figcaption", "dialog", "label", "audio",
        "video", "picture", "img", "map", "head",
    }
)  # fmt: skip
# Page chrome, dropped too unless broken markup left the whole article inside it.
_CHROME_TAGS = frozenset({"nav", "aside", "footer", "menu"})
_HEADINGS = frozenset(HEADING_TAGS)
_FORM_MAX_CHARS = 1500
_BLOCKISH = (BLOCK_TAGS - {"br"}) | {"body", "center", "font"}
# Class/id words naming chrome. Matched against whole class tokens split at - and _.
_NEGATIVE = re.compile(
    r"^(share|sharing|shariff|social|socials|newsletter|newsletters|related|relatedposts|"
    r"advert|advertisement|ads?|adv|advertising|promo|promotion|sponsor|sponsored|comments?|"
    r"breadcrumbs?|breadcrumb|subscribe|subscription|signup|popup|modal|cookie|consent|banner|"
    r"sidebar|widget|widgets|footer|masthead|menu|caption|credit|credits|toolbar|recommended|"
    r"recommendations?|outbrain|taboola|teaser|teasers|byline|disclaimer|ratings?|print|"
    r"trending|popular|pagination|pager|tags|tag|keywords|author|authors|bio|meta|metadata|"
    r"dateline|timestamp|date|time|published|gallery|slideshow|carousel|slider|swiper|embed|video|"
    r"player|tools|actions|skip|hidden|visually|sr|screen|offscreen|infobox|teaserbox|factbox|fakta|"
    r"readmore|more|also|next|prev|previous|links|navigation|nav|navbar|header|headline|"
    r"title|kicker|lightbox|modal|overlay|photo|image|img|figure|thumb|thumbnail|icon|logo|"
    r"follow|login|register|cta|alert|notice|topics|category|categories|comment)$"
)
# Names of boxes that are never article text however much prose they hold.
_STRONG_NEGATIVE = re.compile(
    r"^(comments?|commentlist|kommentare|related|relatedposts|recommended|recommendations?|"
    r"outbrain|taboola|newsletter|newsletters|sidebar|footer|share|sharing|shariff|social|"
    r"bio|infobox|factbox|fakta|teaser|teasers|breadcrumbs?|disqus|respond|reply|replies|caption)$"
)
# An author box (bio, photo, links) by its usual names, with the Simple Author Box plugin's.
_AUTHOR_BOX = re.compile(
    r"author[-_]?(?:box|bio|card|about|description)|about[-_]?(?:the[-_]?)?author|saboxplugin",
    re.IGNORECASE,
)
_POSITIVE = re.compile(
    r"^(article|articlebody|body|content|entry|main|post|story|storybody|text|prose|richtext|"
    r"blog|page|news|paragraph|paragraphs|copy|detail|single|permalink|hentry|"
    r"contents|maincontent|postbody|entrycontent|articletext|bodytext)$"
)
_TOKEN_SPLIT = re.compile(r"[\s\-_:/]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_SENTENCE_END = re.compile(r"[.!?…。！？»“”\"')\]]\s*$")
_WORDS = re.compile(r"\w+")


@dataclass
class Extraction:
    """Paragraphs found and how sure the extractor is that they are the article."""

    paragraphs: list[str]
    confidence: float
    alternative: list[str]  # what the second method found

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def class_weight(element: HtmlElement) -> int:
    """Readability's class/id hint: +25 for article-like names, -25 for chrome names."""
    return _class_hints(element)[0]


def strong_chrome(element: HtmlElement) -> bool:
    """A box named as never article text (comments, related, share...), whatever it holds."""
    return _class_hints(element)[1]


def _class_hints(element: HtmlElement) -> tuple[int, bool]:
    """(weight, strong chrome) from the element's class and id names.

    A heading's id is an anchor made from its own words ("nav_nur_die_folie", "what-are-you-
    looking-forward-to-next"), not a name the designer chose, so it gives no hint.
    """
    ident = None if element.tag in _HEADINGS else element.get("id")
    weight, strong = _hints(element.get("class"), ident, element.get("itemprop"))
    if element.get("role") == "complementary":  # ARIA's aside: a fact box, a sidebar
        return min(weight, 0) - 25, True
    return weight, strong


@lru_cache(maxsize=16384)
def _hints(classes: str | None, ident: str | None, itemprop: str | None) -> tuple[int, bool]:
    """Each class name is judged whole: "article-img-caption" names a caption even though it
    starts with "article", so one chrome word in a name makes the name chrome."""
    negative = positive = strong = False
    names = (classes or "").split()
    if ident and len(_name_parts(ident)) < 4:  # a longer id is a slug of the text, not a name
        names.append(ident)
    # The writer's bio box under the story, named by its class or by an id of any length.
    if any(_AUTHOR_BOX.search(n) for n in (classes, ident) if n):
        negative = strong = True
    for name in names:
        parts = _name_parts(name)
        if name == "not-prose":  # Tailwind typography's opt-out: a widget set in the prose
            negative = strong = True
        elif any(_NEGATIVE.match(t) for t in parts):
            negative = True
            strong = strong or any(_STRONG_NEGATIVE.match(t) for t in parts)
        elif any(_POSITIVE.match(t) for t in parts):
            positive = True
    weight = (25 if positive else 0) - (25 if negative else 0)
    if itemprop == "articleBody":
        weight += 50
    return weight, strong


@lru_cache(maxsize=8192)
def _name_parts(name: str) -> tuple[str, ...]:
    return tuple(t.lower() for t in _TOKEN_SPLIT.split(_CAMEL.sub("-", name)) if t)


def _is_hidden(element: HtmlElement) -> bool:
    """Hidden from every reader. ``aria-hidden`` hides icons and duplicate widgets from screen
    readers but not from the eye; on a paragraph it marks text a script will unlock (metered
    paywalls send the story's paragraphs so), which is still the story."""
    style = (element.get("style") or "").replace(" ", "").lower()
    return (
        element.get("hidden") is not None
        or (element.get("aria-hidden") == "true" and element.tag != "p")
        or "display:none" in style
        or "visibility:hidden" in style
        or _hidden_class(element.get("class"))
    )


def _hidden_class(classes: str | None) -> bool:
    """Bootstrap/Tailwind utility classes that hide an element on every screen size."""
    if not classes:
        return False
    names = classes.split()
    if not any(n in _HIDDEN_CLASSES for n in names):
        return False
    return not any(":" in n and n.rsplit(":", 1)[1] in _SHOWN for n in names)


# Candidates for _is_hidden (see `_hidden_candidates`).
_HIDDEN_XPATH = (
    "//*[@hidden or @aria-hidden='true' or contains(@style,'none') or contains(@style,'hidden')"
    " or contains(@class,'hid') or contains(@class,'d-none') or contains(@class,'sr-only')]"
)


def _hidden_candidates(root: HtmlElement) -> list[HtmlElement]:
    """What `_HIDDEN_XPATH` finds, in document order, tested in Python over one `iter()`:
    libxml2 turns each attribute into a string for every `contains()`, which made the XPath
    cost ~2.8 ms a page against ~1 ms for this loop."""
    out = []
    for element in root.getroottree().getroot().iter(etree.Element):
        get = element.get
        style, classes = get("style"), get("class")
        if (
            get("hidden") is not None
            or get("aria-hidden") == "true"
            or (style is not None and ("none" in style or "hidden" in style))
            or (
                classes is not None
                and ("hid" in classes or "d-none" in classes or "sr-only" in classes)
            )
        ):
            out.append(element)
    return out


_HIDDEN_CLASSES = frozenset({"hidden", "d-none", "is-hidden", "visually-hidden", "sr-only", "hide"})
_SHOWN = frozenset({"block", "flex", "grid", "inline", "inline-block", "inline-flex", "table"})


def prune(root: HtmlElement) -> None:
    """Drop elements that are never body text: scripts, forms, navigation, hidden blocks.

    A hidden block with much text stays: streaming renderers (React's ``<div hidden
    id="S:1">``) park the real article there until a script moves it into place. A hidden
    microdata block (``itemscope``) goes whatever its size: it restates the story for robots.
    """
    _expand_templates(root)
    doomed = [e for e in root.iter(_DROP_TAGS, etree.Comment, etree.ProcessingInstruction)]
    doomed += [e for e in root.iter(_CHROME_TAGS) if not _holds_prose(e)]
    forms = list(root.iter("form"))
    if forms:
        page_chars = len(root.text_content())
        doomed += [e for e in forms if _control_form(e, page_chars)]
    doomed += _hover_cards(root)
    doomed += [
        e
        for e in _hidden_candidates(root)
        if e is not root
        and _is_hidden(e)
        and (len(e.text_content()) < 1000 or e.get("itemscope") is not None)
    ]
    for element in doomed:
        parent = element.getparent()
        if parent is None:
            continue
        tail = element.tail
        previous = element.getprevious()
        parent.remove(element)
        if tail:
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail


def _hover_cards(root: HtmlElement) -> list[HtmlElement]:
    """Pop-up cards set inside a sentence: a name's link followed by a ``<span>`` of three or
    more headline links, shown on hover ("Kristi Noem" and her latest stories). The card is
    not part of the sentence, and its links would make the paragraph look like a link list."""
    cards: list[HtmlElement] = []
    for paragraph in root.iter("p"):
        if next(itertools.islice(paragraph.iter("a"), 2, None), None) is None:
            continue  # fewer than three links: no card
        found = []
        for span in paragraph.iter("span"):
            links = list(span.iter("a"))
            if len(links) < 3 or (_in_running_text(span) and span.find(".//img") is None):
                continue  # a phrase of linked names inside the sentence is the sentence
            text = len(span.text_content())
            if text and sum(len(a.text_content()) for a in links) > 0.5 * text:
                found.append(span)
        # The innermost such span is the card; the ones around it also hold the sentence.
        cards += [s for s in found if not any(o is not s and _contains(s, o) for o in found)]
    return cards


def _control_form(form: HtmlElement, page_chars: int) -> bool:
    """A sign-up, log-in, poll, search or checkout box; not a form that wraps the page
    (ASP.NET pages put everything in one ``<form>``)."""
    chars = len(form.text_content())
    return chars < _FORM_MAX_CHARS and chars < 0.5 * page_chars


def _expand_templates(root: HtmlElement) -> None:
    """Put the HTML of ``<script type="text/template">`` blocks in place of the script.

    Some blog engines ship the post itself as a template that a script renders.
    """
    for script in root.xpath("//script[contains(@type,'template') or @type='text/html']"):
        markup = (script.text or "").strip()
        if len(markup) < 200 or "<" not in markup:
            continue
        try:
            fragment = lxml.html.fragment_fromstring(markup, create_parent="div")
        except (etree.ParserError, ValueError, AssertionError):
            continue  # AssertionError: a whole document ("too many bodies"), not a post
        fragment.tail = script.tail
        script.getparent().replace(script, fragment)


def _holds_prose(element: HtmlElement) -> bool:
    """More than a screenful of text that is mostly not links: not chrome, whatever its tag."""
    chars = len(element.text_content())
    if chars < 3000:
        return False
    links = sum(len(a.text_content()) for a in element.iter("a"))
    return links < 0.3 * chars


class _Stats:
    """Per-element text measures, computed bottom-up once.

    "Inline" text is the element's own running text: its text and that of inline children,
    but not of block-level descendants (which are paragraphs of their own).
    """

    __slots__ = (
        "chars", "link_chars", "inline", "inline_links", "commas", "blocks", "prose", "weight",
        "strong",
    )  # fmt: skip

    def __init__(self) -> None:
        self.chars = 0
        self.link_chars = 0
        self.inline = 0
        self.inline_links = 0
        self.commas = 0
        self.blocks = False  # has block-level descendants
        self.prose = 0  # chars in long, link-poor runs of text (real paragraphs)
        self.weight = 0  # class_weight()
        self.strong = False  # strong_chrome()


_COMMAS = re.compile(r"[,，、،]")


def _measure(root: HtmlElement) -> dict[HtmlElement, _Stats]:
    stats: dict[HtmlElement, _Stats] = {}

    def add_inline(s: _Stats, text: str | None, link: bool) -> None:
        if text:
            n = len(text.strip())
            if not n:  # indentation between tags: nothing to count, no commas to find
                return
            s.chars += n
            s.inline += n
            s.commas += len(_COMMAS.findall(text))
            if link:
                s.link_chars += n
                s.inline_links += n

    def walk(node: HtmlElement, in_link: bool) -> _Stats:
        s = _Stats()
        attrib = node.attrib
        if "class" in attrib or "id" in attrib or "itemprop" in attrib or "role" in attrib:
            s.weight, s.strong = _class_hints(node)
        link = in_link or node.tag == "a"
        add_inline(s, node.text, link)
        for child in node:
            if isinstance(child.tag, str):
                c = walk(child, link)
                s.prose += c.prose
                if child.tag in BLOCK_TAGS and child.tag != "br":
                    s.blocks = True
                    s.chars += c.chars
                    s.link_chars += c.link_chars
                else:
                    s.blocks = s.blocks or c.blocks
                    s.chars += c.chars
                    s.link_chars += c.link_chars
                    s.inline += c.inline
                    s.inline_links += c.inline_links
                    s.commas += c.commas
            add_inline(s, child.tail, in_link)
        if node.tag in _BLOCKISH and s.inline >= 150 and s.inline_links < 0.2 * s.inline:
            s.prose += s.inline
        stats[node] = s
        return s

    walk(root, False)
    return stats


_PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote", "dd", "li", "td", "dt"})


def find_main(
    root: HtmlElement, stats: dict[HtmlElement, _Stats]
) -> tuple[HtmlElement, float, dict[HtmlElement, float]]:
    """The element holding most of the prose, its score and every container's score."""
    scores: dict[HtmlElement, float] = {}
    for node, s in stats.items():
        if s.inline < 25 or node.tag in _HEADINGS or node.tag not in _BLOCKISH:
            continue
        if s.inline_links > 0.5 * s.inline:
            continue
        score = 1 + s.commas + min(s.inline / 100, 3)
        # A <p> gives its score to its container; a <div> of bare text is its own container.
        parent = node.getparent() if node.tag in _PARAGRAPH_TAGS else node
        level = 0
        while parent is not None and level < 5:
            if parent not in scores:
                ps = stats.get(parent)
                scores[parent] = _initial_score(parent, ps.weight if ps else class_weight(parent))
            divider = 1 if level == 0 else 2 if level == 1 else level * 3
            scores[parent] += score / divider
            parent = parent.getparent()
            level += 1
    if not scores:
        return root, 0.0, scores
    best, best_score = root, -1e9
    for node, score in scores.items():
        s = stats.get(node)
        if s is None or s.chars == 0:
            continue
        # A short box with a good class name is not the article: scale by its text too.
        final = score * (1 - s.link_chars / s.chars) * min(1.0, s.chars / 250)
        scores[node] = final
        if final > best_score:
            best, best_score = node, final
    return _widen(best, scores), best_score, scores


def find_main_by_balance(
    root: HtmlElement, stats: dict[HtmlElement, _Stats]
) -> tuple[HtmlElement, float, dict[HtmlElement, float]]:
    """The element whose prose most outweighs its link text and crumbs (maximum-sum subtree).

    Each run of text counts for its length when it reads like prose and against it when it
    is link text or a short label; chrome-classed boxes count wholly against. Unlike
    readability's decaying ancestor scores, deep wrappers around each paragraph cost nothing.
    """
    scores: dict[HtmlElement, float] = {}
    page_chars = stats[root].chars / 2

    def walk(node: HtmlElement, chrome: bool) -> float:
        s = stats[node]
        weight = s.weight if node is not root else 0
        chrome = chrome or (
            weight < 0
            and (s.chars < 600 or s.link_chars > 0.3 * s.chars)
            and s.chars < page_chars  # not a wrapper of the whole page
        )
        plain = s.inline - s.inline_links
        if node.tag in _HEADINGS:
            value = -0.5 * s.inline
        elif (
            plain >= 40
            or (plain >= 15 and s.commas)
            or (plain >= 15 and _CJK.search(node.text or ""))
        ):
            value = plain - s.inline_links
        else:
            value = -0.5 * plain - s.inline_links
        if chrome and value > 0:
            value = -value
        for child in node:
            if isinstance(child.tag, str) and child in stats:
                value += walk(child, chrome)
        if weight > 0 and value > 0:
            value *= 1.1
        scores[node] = value
        return value

    walk(root, False)
    best = max(scores, key=scores.__getitem__)
    return best, scores[best], scores


def _initial_score(node: HtmlElement, weight: int) -> float:
    tag = node.tag
    base = {"div": 5, "article": 10, "main": 5, "section": 3, "pre": 3, "td": 3, "blockquote": 3}
    penalty = {"ol": -3, "ul": -3, "dl": -3, "li": -3, "form": -3, "th": -5}
    return base.get(tag, penalty.get(tag, 0)) + weight


def _widen(best: HtmlElement, scores: dict[HtmlElement, float]) -> HtmlElement:
    """Move up while the parent scores nearly as well: the prose is split over siblings."""
    node = best
    top = scores.get(best, 0.0)
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return node
        parent_score = scores.get(parent, 0.0)
        if parent_score < top * 0.75:
            return node
        node = parent


def _with_siblings(
    main: HtmlElement,
    score: float,
    scores: dict[HtmlElement, float],
    stats: dict[HtmlElement, _Stats],
) -> list[HtmlElement]:
    """The main block plus siblings that continue it (article text split around an ad)."""
    parent = main.getparent()
    if parent is None or main.tag == "body":
        return [main]
    threshold = max(10.0, score * 0.2)
    signature = (main.tag, main.get("class"))
    parts = []
    for sibling in parent:
        if sibling is main:
            parts.append(main)
            continue
        if not isinstance(sibling.tag, str):
            continue
        s = stats.get(sibling)
        if s is None or s.chars == 0:
            continue
        density = s.link_chars / s.chars
        if (
            scores.get(sibling, 0.0) >= threshold
            or (signature[1] and (sibling.tag, sibling.get("class")) == signature and density < 0.3)
            or (
                sibling.tag == "p"
                and density < 0.25
                and (s.chars > 80 or (s.chars > 0 and _SENTENCE_END.search(sibling.text_content())))
            )
        ):
            parts.append(sibling)
    if len(parts) == 1:
        return _with_cousins(main, signature, stats)
    return parts


def _with_cousins(
    main: HtmlElement, signature: tuple[str, str | None], stats: dict[HtmlElement, _Stats]
) -> list[HtmlElement]:
    """The main block plus same-named blocks a few levels around it, in page order.

    Magazines cut long stories into chunks, each in its own grid wrapper between ads:
    the chunks are cousins of each other, not siblings.
    """
    if not signature[1]:
        return [main]
    ancestor = main
    for _ in range(3):
        parent = ancestor.getparent()
        if parent is None or parent.tag == "body":
            break
        ancestor = parent
    parts = []
    story = _story(main)
    for element in ancestor.iter(main.tag):
        if element is main:
            parts.append(main)
        elif element.get("class") == signature[1] and _story(element) is story:
            s = stats.get(element)
            if s is not None and s.prose > 0 and s.link_chars < 0.3 * s.chars:
                parts.append(element)
    # Nested matches would repeat text: keep the outermost.
    return [p for p in parts if not any(q is not p and _contains(q, p) for q in parts)]


def _story(element: HtmlElement) -> HtmlElement | None:
    """The nearest `<article>` holding the element. Pages that scroll on into the next story
    stack a second `<article>` with the same template below the first: its text blocks are
    cousins by name but another story."""
    return next(element.iterancestors("article"), None)


def _contains(outer: HtmlElement, inner: HtmlElement) -> bool:
    node = inner.getparent()
    while node is not None:
        if node is outer:
            return True
        node = node.getparent()
    return False


def _in_running_text(element: HtmlElement) -> bool:
    """An inline element with sentence text on either side: a keyword link or an emphasis
    inside a paragraph ("元タレントの<a class="tag-link">中居正広</a>氏"), part of the sentence
    whatever its class says."""
    if element.tag in BLOCK_TAGS:
        return False
    tail = (element.tail or "").strip()
    if not tail:
        return False
    previous = element.getprevious()
    before = (previous.tail if previous is not None else element.getparent().text) or ""
    return bool(before.strip())


def _linked_sentence(node: HtmlElement) -> bool:
    """A paragraph whose links sit inside a sentence that goes on after them ("<a>Meghan
    Markle</a>'s mum, <a>Doria is said to ...</a> when they are not around."): prose with
    links, not a "Read more: <a>headline</a>" line, which ends on its link. More than two links
    in such a line are a cluster (a name's hover card of headlines), not a sentence.
    A list item needs a whole sentence after its link ("<li><a>Google has bought X</a>.
    The startup was ...</li>", a news digest), not a teaser list's date or source."""
    if node.tag not in ("p", "li") or not len(node) or sum(1 for _ in node.iter("a")) > 2:
        return False
    last = node[-1]
    tail = (last.tail or "").strip()
    words = len(_WORDS.findall(tail))
    return words >= (2 if node.tag == "p" else 8) and bool(_SENTENCE_END.search(tail))


def _looks_like_chrome(node: HtmlElement, s: _Stats, root: HtmlElement) -> bool:
    """A box inside the main block that is not prose: a teaser list, a share bar, a bio."""
    weight, root_weight, root_strong = s.weight, class_weight(root), strong_chrome(root)
    if weight < 0 and root_weight >= 0 and (s.prose < 400 or s.link_chars > 0.3 * s.chars):
        return True
    if s.strong and not root_strong:
        return True
    if s.chars == 0:
        return False
    if (
        node.tag in _PROMPT_TAGS
        and 15 <= s.chars <= _PROMPT_MAX_CHARS
        and _has_prompt(node.text_content())
    ):
        return True
    density = s.link_chars / s.chars
    if node.tag in ("ul", "ol", "dl", "table", "div", "section", "li", "p"):
        # A <p> left open around a widget (a "most popular" list) holds the widget: judge
        # the widget, not the paragraph.
        if (
            density > 0.5
            and s.chars < 1000
            and not _linked_sentence(node)
            and not (node.tag == "p" and s.blocks)
        ):
            return True
        if density > 0.33 and node.tag in ("ul", "ol", "div", "section") and s.chars < 300:
            return True
    return False


def _collect(
    node: HtmlElement,
    stats: dict[HtmlElement, _Stats],
    out: list[str],
    root: HtmlElement,
    headings: set[str] | None = None,
) -> None:
    """Paragraph texts under `node`, skipping chrome boxes; `headings` gets the texts that
    came from heading elements.

    An `<h1>` above the story is its title and stays out; one after prose is a sub-heading
    of pages that use `<h1>` for every heading.
    """
    current: list[str] = []
    heading_depth = 0

    def flush() -> None:
        text = clean_text("".join(current))
        if text:
            out.append(text)
            if heading_depth and headings is not None:
                headings.add(text)
        current.clear()

    def walk(el: HtmlElement, top: bool) -> None:
        s = stats.get(el)
        title = el.tag == "h1" and not any(len(p) >= 150 for p in out)
        if not top and (
            title
            or (s is not None and _looks_like_chrome(el, s, root) and not _in_running_text(el))
        ):
            if el.tail:
                current.append(el.tail)
            return
        nonlocal heading_depth
        block = el.tag in BLOCK_TAGS
        if el.tag in _CELL_TAGS and _data_row(el.getparent(), stats):
            block = False  # a data table's row is one line, its cells set apart by " | "
            if "".join(current).strip():
                current.append(" | ")
        if block:
            flush()
        if el.tag == "br":
            flush()
        heading = el.tag in _HEADINGS
        heading_depth += heading
        if el.text:
            current.append(el.text)
        for child in el:
            if isinstance(child.tag, str):
                walk(child, False)
            elif child.tail:
                current.append(child.tail)
        if block:
            flush()
        heading_depth -= heading
        if not top and el.tail:
            current.append(el.tail)

    walk(node, True)
    flush()


_CELL_TAGS = frozenset({"td", "th"})
_CELL_MAX_CHARS = 300


def _data_row(row: HtmlElement | None, stats: dict[HtmlElement, _Stats]) -> bool:
    """A table row of short cells without blocks inside (a data table: "Pos | Player | Plays").
    A layout table's cells hold paragraphs or long runs of text and stay paragraphs of their own."""
    if row is None or row.tag != "tr":
        return False
    for cell in row:
        if cell.tag in _CELL_TAGS:
            s = stats.get(cell)
            if s is None or s.blocks or s.chars >= _CELL_MAX_CHARS:
                return False
    return True


def extract(root: HtmlElement) -> Extraction:
    """Body paragraphs of a pruned page tree (see `prune`), with a confidence in [0, 1].

    Two independent ways of finding the main block run over the same measures: readability's
    decaying ancestor scores and the maximum-balance subtree. Where they pick the same text,
    the result is trusted; where they differ, the confidence says so. When readability's
    block outscores every rival outside it (most pages), the second opinion is skipped.
    """
    body = root.find("body")
    if body is None:
        body = root
    stats = _measure(body)
    main, score, scores = find_main(body, stats)
    paragraphs = _paragraphs(main, score, scores, stats)
    if _dominant(main, score, scores):
        return Extraction(paragraphs, 1.0 if paragraphs else 0.0, paragraphs)
    other, other_score, other_scores = find_main_by_balance(body, stats)
    if other is main:
        alternative = paragraphs
    else:
        alternative = _paragraphs(other, other_score, other_scores, stats)
    return Extraction(paragraphs, _agreement(paragraphs, alternative), alternative)


def _dominant(main: HtmlElement, score: float, scores: dict[HtmlElement, float]) -> bool:
    """The main block outscores every block outside it many times over: no second opinion."""
    lineage = set(main.iterancestors())
    rival = max(
        (
            v
            for k, v in scores.items()
            if k is not main and k not in lineage and not _contains(main, k)
        ),
        default=0.0,
    )
    return score >= 40 and score >= DOMINANCE * max(rival, 1.0)


DOMINANCE = 2.0  # measured: below this the second method starts to change results


def _paragraphs(
    main: HtmlElement,
    score: float,
    scores: dict[HtmlElement, float],
    stats: dict[HtmlElement, _Stats],
) -> list[str]:
    """Texts of the main block and the siblings that continue it, after the story's lead."""
    paragraphs: list[str] = []
    headings: set[str] = set()
    parts = _with_siblings(main, score, scores, stats)
    for part in parts:
        _collect(part, stats, paragraphs, main, headings)
    lead = _lead_before(parts[0], stats)
    if lead and paragraphs and lead not in paragraphs[0]:
        paragraphs.insert(0, lead)
    paragraphs = trim(paragraphs)
    # A heading with nothing after it heads a box that is gone ("More on this", "Share"):
    # not a section of the story.
    while paragraphs and paragraphs[-1] in headings:
        paragraphs.pop()
    return paragraphs


def _lead_before(first: HtmlElement, stats: dict[HtmlElement, _Stats]) -> str | None:
    """The standfirst just above the main block ("lead", "intro", "chapo" by class name).

    Templates put the lead in the header next to the title, outside the element that holds
    the paragraphs, yet it is the story's first paragraph.
    """
    node = first
    for _ in range(4):
        for sibling in list(node.itersiblings(preceding=True))[:6]:
            if not isinstance(sibling.tag, str):
                continue
            for element in sibling.iter():
                if element.tag in _HEADINGS or not _lead_class(element.get("class")):
                    continue
                s = stats.get(element)
                if s is None or s.chars < 60 or s.link_chars > 0.3 * s.chars:
                    continue
                text = clean_text(element.text_content())
                return text if len(text) <= 1500 else None
        node = node.getparent()
        if node is None or node.tag == "body":
            return None
    return None


@lru_cache(maxsize=8192)
def _lead_class(classes: str | None) -> bool:
    """A class naming the lead paragraph, judged on whole name parts."""
    return bool(classes) and any(
        _LEAD.match(t) for name in classes.split() for t in _name_parts(name)
    )


_LEAD = re.compile(
    r"^(lead|leadtext|intro|introduction|standfirst|summary|excerpt|dek|deck|subhead|"
    r"einleitung|vorspann|chapo|chapeau|sapo|perex|entradilla|ingress|ingres|abstract)$"
)


def _agreement(first: list[str], second: list[str]) -> float:
    """How much text two paragraph lists have in common (1.0: the same text)."""
    if first is second:
        return 1.0 if first else 0.0
    return similarity(" ".join(first), " ".join(second))


def similarity(first: str, second: str) -> float:
    """F1 of 4-word shingles: how much of the same text two extractions hold."""
    a, b = _shingles(first), _shingles(second)
    if not a or not b:
        return 0.0
    common = sum((a & b).values())
    return 2 * common / (sum(a.values()) + sum(b.values()))


def _shingles(text: str) -> Counter:
    words = _WORDS.findall(text)
    return Counter(tuple(words[i : i + 4]) for i in range(max(1, len(words) - 3)))


def trim(paragraphs: list[str]) -> list[str]:
    """Drop crumbs the block walk leaves behind: one-word labels, photo credits, ad labels."""
    return [
        p
        for p in paragraphs
        if (len(_WORDS.findall(p)) >= 2 or len(p) >= 10)
        and not (len(p) < 100 and _CREDIT.search(p))
        and not _AD_LABEL.match(p)
        and not (len(p) < 250 and _CALL_TO_ACTION.search(p))
        and not (len(p) <= _PROMPT_MAX_CHARS and _has_prompt(p))
        and not _NOT_PROSE.match(p)
        and not _SHORTCODE.match(p)
        and not (len(p) < 200 and _AGENCY_CREDIT.search(p))
        and not (len(p) < 60 and _dateline(p))
    ]


def _dateline(line: str) -> bool:
    """A line that only says when the story was published or updated ("Stand: 08.07.2026
    05:00 Uhr", "Updated at 1:23 p.m.", "2 hours ago"): page furniture, not text. A bare
    clock time stays: live blogs and schedules use those inside the story."""
    # Dates by month name count when there is one: two make a range ("29 November 2018 |
    # 20 January 2019"), an exhibition's or a schedule's, which is text.
    named = len(_MONTH_DATE.findall(line)) == 1
    if not (_DATE.search(line) or _DATE_LABEL.search(line) or named):
        return False
    rest = _WEEKDAY.sub(" ", _DATE_LABEL.sub(" ", _CLOCK.sub(" ", _DATE.sub(" ", line))))
    rest = _MONTH_DATE.sub(" ", rest) if named else rest
    if not _LETTERS.search(rest):
        return True
    # "24. März 2004, 19:49 | Genesis": a full date and a name set off by a bar or dot is
    # the post's byline; a date inside a sentence has no such separator.
    parts = [p for p in _BYLINE_SEPARATOR.split(rest) if _LETTERS.search(p)]
    return (
        bool(_DATE.search(line) or named)
        and _BYLINE_SEPARATOR.search(line) is not None
        and len(parts) == 1
        and len(parts[0].split()) <= 3
    )


# A short line naming a picture agency or a photo credit is a caption, not article text.
_CREDIT = re.compile(
    r"getty ?images|/dpa\b|\bdpa/|picture[ -]alliance|shutterstock|istock|imago images|"
    r"\bap photo\b|^\s*(?:photo|foto|bild|image|credit|fotos?|bildquelle|quelle)\s*:|©",
    re.IGNORECASE,
)
# Short prompts to subscribe, sign up, donate or share: chrome that sits inside article markup.
_CALL_TO_ACTION = re.compile(
    r"\b(?:subscribe to|sign up for|sign up to|enjoyed reading|enjoyed this|support our|"
    r"support us|donate|newsletter abonnieren|jetzt abonnieren|jetzt anmelden|folgen sie uns|"
    r"follow us on|share this (?:article|story|post)|abonnez-vous|inscrivez-vous|"
    r"unterstützen sie uns|rezept drucken|print recipe|(?:on|auf|sur|di|en) google news|"
    r"preferred source|whatsapp[- ](?:channel|kanal))\b",
    re.IGNORECASE,
)
# Lines that are data or a box label, never prose: a bare URL, a bare timestamp, "Read also",
# the title of a comment form ("Kommentare schreiben", "Leave a reply").
_NOT_PROSE = re.compile(
    r"^\s*(?:https?://\S+|\d{4}-\d{2}-\d{2}(?:[T ][\d:.+\-Z]+)?|(?:read|see) (?:also|more)|"
    r"related(?: articles| stories)?|auch interessant|lesen sie auch|mehr zum thema|"
    r"(?:à )?lire aussi|leggi anche|lee también|you (?:may|might) also like|"
    r"kommentare? (?:schreiben|verfassen|hinterlassen)|schreibe einen kommentar|"
    r"(?:leave|write|post|add) a (?:comment|reply)|laisser un commentaire|deja un comentario|"
    r"(?:related|previous|next) (?:post|article|story)\s*:.{0,120}|"
    r"(?:share|teilen|partager|compartir)?\W*(?:(?:facebook|twitter|x|whatsapp|linkedin|pinterest|"
    r"telegram|reddit|google\+|e-?mail|messenger|flipboard|xing)\W*){2,})\W*$",
    re.IGNORECASE,
)
# A WordPress shortcode the theme failed to render: "[button link=...]Send us a review[/button]".
_SHORTCODE = re.compile(r"^\s*\[(?P<tag>[a-z_-]+)(?:\s[^\]]*)?\].{0,200}\[/(?P=tag)\]\W*$", re.I)
# Paywall, registration, newsletter and consent prompts that sit inside article markup:
# boxes of a few lines that say so, dropped whole (see `_looks_like_chrome`).
_PROMPT = re.compile(
    r"sign in to (?:continue|read|unlock)|(?:create|register) (?:a |an |your )?(?:free )?account|"
    r"already (?:have an account|a subscriber|registered)|unlock (?:more|this|unlimited) "
    r"(?:articles?|stories)|to continue reading|don't want to see this\?|"
    r"(?:article|content) is (?:for|only available to|exclusive to) (?:subscribers|members)|"
    r"bereits (?:kunde|abonnent|registriert)|diesen artikel (?:erwerben|kaufen|freischalten)|"
    r"anmeldung zum newsletter|externen? inhalte?\b.{0,60}(?:angezeigt|anzeigen)|"
    r"ein klick für den datenschutz|empfohlener redaktioneller inhalt|déjà abonné|"
    r"réservée? aux abonnés|pour lire la suite|il vous reste \d+(?:[.,]\d+)? ?% de cet article|"
    r"responses to this entry|antworten zu diesem eintrag|(?:comments|kommentare) (?:and|und) pings|"
    r"ya eres suscriptor|exclusivo para suscriptores|会員限定|会員登録|有料会員",
    re.IGNORECASE,
)
# `_PROMPT` without IGNORECASE, for lower-cased text: Python's re cannot skip ahead to a
# possible first letter of a case-insensitive alternation and tries every branch at every
# position, which made this one regex ~4% of all extraction time.
_PROMPT_LOWER = re.compile(_PROMPT.pattern)
# Characters that re's IGNORECASE matches to a letter that `str.lower` does not give:
# dotted capital I (whose lower case is two characters), dotless i and the long s.
_CASE_TRAPS = re.compile("[\u0130\u0131\u017f]")


def _has_prompt(text: str) -> bool:
    """`_PROMPT.search(text)`, three times faster: the same answer from a case-sensitive
    search of the lower-cased text, unless the text holds one of the `_CASE_TRAPS`."""
    if _CASE_TRAPS.search(text):
        return bool(_PROMPT.search(text))
    return bool(_PROMPT_LOWER.search(text.lower()))


_PROMPT_TAGS = frozenset(
    {"div", "section", "header", "aside", "ul", "ol", "dl", "p", "figure", "span", "li"}
)
_PROMPT_MAX_CHARS = 600
# Agency and contributor credits at the foot of a story: "mit dpa", "sak/Reuters",
# "John Doe contributed to this report".
_AGENCY_CREDIT = re.compile(
    r"contributed to this report|^\W*with reporting by\b|^\W*mit (?:dpa|afp|reuters|ap|kna|epd)\W*$|"
    r"^\w{1,5}/(?:dpa|afp|reuters|ap|kna|epd)\W*$",
    re.IGNORECASE,
)
_DATE = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
_MONTHS = r"(?:jan|feb|mär|mar|apr|ma[iy]|jun|jul|aug|sep|o[ck]t|nov|de[cz])[a-zäéû]*\.?"
# "24. März 2004", "March 24, 2004", "24 March 2004": dates written with the month's name.
# Romance languages join the parts with "de"/"del"/"di": "22 de janeiro de 2018".
_MONTH_DATE = re.compile(
    rf"\b\d{{1,2}}\.?\s+(?:de\s+|di\s+)?{_MONTHS},?\s+(?:de\s+|del\s+)?\d{{4}}\b|"
    rf"\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",
    re.IGNORECASE,
)
# Weekday names that open a dateline ("segunda-feira, 22 de janeiro de 2018 às 0:13").
_WEEKDAY = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|"
    r"donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|lunedì|martedì|mercoledì|giovedì|"
    r"venerdì|sabato|domenica|segunda|terça|quarta|quinta|sexta)(?:-feira)?\b",
    re.IGNORECASE,
)
_BYLINE_SEPARATOR = re.compile(r"\s[|·•]\s")
_CLOCK = re.compile(r"\b\d{1,2}[.:h]\d{2}\b(?:\s*[ap]\.?m\.?)?", re.IGNORECASE)
_DATE_LABEL = re.compile(
    r"\b(?:stand|uhr|aktualisiert|veröffentlicht|updated?|published|posted|publicerad|"
    r"uppdaterad|oppdatert|publisert|ago|\d+ (?:minutes?|hours?|days?|weeks?)|at|on|am|um|"
    r"às|à|a las|alle|le|el|il|publicado|publié|pubblicato)\b",
    re.IGNORECASE,
)
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_AD_LABEL = re.compile(
    r"^\W*(?:advertisement|anzeige|werbung|publicité|pubblicità|publicidad|sponsored)\W*$",
    re.IGNORECASE,
)
