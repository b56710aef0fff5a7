"""Parsing and text helpers shared by every extractor (pure lxml, no Scrapy)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import lxml.html
from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction
from parsel.csstranslator import HTMLTranslator
from w3lib.encoding import html_to_unicode

from ..profiles import Selector

_TRANSLATOR = HTMLTranslator()
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# The ASCII ones of `_CONTROL` as UTF-8 bytes: never part of a multi-byte sequence.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_XML_PROLOG = re.compile(r"\s*<\?xml[^>]*>")
MAX_HTML_CHARS = 8_000_000  # bigger pages are cut: nothing readable lives past this

# lxml.html's own parser picks each element's class in Python (form, input, select… get
# subclasses); that lookup ran ~5,000 times per page and cost more than parsing. Extraction
# uses none of those subclasses, so every element is a plain HtmlElement, chosen in C.
_PARSER = etree.HTMLParser()
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
)

BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
        "br",
        "summary",
    ]
)
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Elements whose text is never content.
INVISIBLE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "object",
    "embed",
    "canvas",
)


def decode_html(html: str | bytes, content_type: str | None = None) -> str:
    """Bytes to text using the HTTP header, then BOM/meta charset, then a guess."""
    if isinstance(html, str):
        return html
    encoding, text = html_to_unicode(content_type, html)
    if "\ufffd" in text and content_type:
        # The HTTP header can lie (a UTF-8 server default over a Latin-1 page): when its
        # charset leaves undecodable bytes, trust the page's own declaration or a guess.
        _, own = html_to_unicode(None, html)
        if own.count("\ufffd") < text.count("\ufffd"):
            return own
    if "\ufffd" in text and encoding.replace("-", "").lower() == "utf8":
        guess = html.decode("cp1252", errors="replace")
        if guess.count("\ufffd") < text.count("\ufffd"):
            return guess
    return text


def parse_html(html: str | bytes, content_type: str | None = None) -> HtmlElement:
    """Parse any HTML, however broken, into an lxml tree (an empty one for empty input)."""
    text = _without_controls(decode_html(html, content_type)[:MAX_HTML_CHARS])
    # lxml refuses str input that declares an encoding in an XML prolog.
    if prolog := _XML_PROLOG.match(text):
        text = text[prolog.end() :]
    if not text.strip():
        return lxml.html.fromstring("<html><body></body></html>")
    try:
        tree = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        tree = lxml.html.fromstring("<html><body></body></html>")
    return tree


def _without_controls(text: str) -> str:
    """`text` without the characters of `_CONTROL`, which libxml2 chokes on.

    `_CONTROL.sub` over a whole page took ~1 ms; deleting the bytes from the UTF-8 form in C
    takes a third of that (`bytes.translate`), and most pages have none to delete.
    """
    if "\ufffe" in text or "\uffff" in text:
        return _CONTROL.sub("", text)
    raw = text.encode("utf-8", "surrogatepass")
    kept = raw.translate(None, _CONTROL_BYTES)
    return text if len(kept) == len(raw) else kept.decode("utf-8", "surrogatepass")


def clean_text(text: str | None) -> str:
    """Collapse white space (including NBSP) and trim.

    `str.split()` cuts at exactly the characters `\\s` matches (both use `str.isspace`), so
    joining the words is `re.sub(r"\\s+", " ", text).strip()`, five times faster (~228k
    calls over the corpus).
    """
    return " ".join(text.split()) if text else ""


def text_of(element: HtmlElement | str | None) -> str:
    """Visible text of an element (scripts and styles left out), white space collapsed."""
    if element is None:
        return ""
    if isinstance(element, str):
        return clean_text(element)
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node is not element and _is_invisible(node):
            return
        block = node.tag in BLOCK_TAGS
        if block:
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append(" ")

    walk(element)
    return clean_text("".join(parts))


def text_start(element: HtmlElement, size: int) -> tuple[str, bool]:
    """The start of `text_of(element)`, at least `size` characters of it, and whether that is
    the whole text: a test on how a text begins need not walk a long block to its end."""
    parts: list[str] = []
    raw = 0
    check = size

    def walk(node: HtmlElement) -> Iterator[str]:
        if node is not element and _is_invisible(node):
            return
        block = node.tag in BLOCK_TAGS
        if block:
            yield " "
        if node.text:
            yield node.text
        for child in node:
            yield from walk(child)
            if child.tail:
                yield child.tail
        if block:
            yield " "

    for part in walk(element):
        parts.append(part)
        raw += len(part)
        if raw > check:
            text = clean_text("".join(parts))
            if len(text) > size:
                return text, False
            check = raw * 2
    return clean_text("".join(parts)), True


def _is_invisible(node: HtmlElement) -> bool:
    return not isinstance(node.tag, str) or node.tag in INVISIBLE_TAGS


def paragraphs(element: HtmlElement) -> list[str]:
    """The element's text cut into paragraphs at block-level boundaries."""
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = clean_text("".join(current))
        if text:
            out.append(text)
        current.clear()

    def walk(node: HtmlElement) -> None:
        if _is_invisible(node):
            return
        block = node.tag in BLOCK_TAGS
        if block:
            flush()
        if node.text:
            current.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush()

    walk(element)
    flush()
    return out


def css_or_xpath(selector: Selector) -> str:
    """The XPath for a profile selector (CSS is translated once per call site)."""
    return selector.query if selector.is_xpath else _css_to_xpath(selector.query)


_XPATH_CACHE: dict[str, str] = {}


def _css_to_xpath(css: str) -> str:
    xpath = _XPATH_CACHE.get(css)
    if xpath is None:
        xpath = _XPATH_CACHE[css] = _TRANSLATOR.css_to_xpath(css, prefix="descendant-or-self::")
    return xpath


def select(root: HtmlElement, selector: Selector | str | None) -> list:
    """Elements (or strings, for XPath ending in /@attr or text()) matching `selector`."""
    if selector is None:
        return []
    if isinstance(selector, str):
        selector = Selector(selector)
    try:
        return list(root.xpath(css_or_xpath(selector)))
    except etree.XPathError:
        return []


def select_text(root: HtmlElement, selector: Selector | None) -> str | None:
    """Text of the first match, or None; attributes and text() results are taken as they are."""
    for match in select(root, selector):
        text = clean_text(match) if isinstance(match, str) else text_of(match)
        if text:
            return text
    return None


def select_texts(root: HtmlElement, selector: Selector | None) -> list[str]:
    """Text of every match, empty ones left out."""
    texts = [clean_text(m) if isinstance(m, str) else text_of(m) for m in select(root, selector)]
    return [t for t in texts if t]


def ancestors(element: HtmlElement) -> Iterator[HtmlElement]:
    """The element's ancestors, nearest first."""
    node = element.getparent()
    while node is not None:
        yield node
        node = node.getparent()


def contains(outer: HtmlElement, inner: HtmlElement) -> bool:
    """Whether `inner` is a descendant of `outer` (not `outer` itself)."""
    node = inner.getparent()
    while node is not None:
        if node is outer:
            return True
        node = node.getparent()
    return False


def in_running_text(element: HtmlElement) -> bool:
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


def class_and_id(element: HtmlElement) -> str:
    """Lower-cased class and id attributes, for keyword tests."""
    return f"{element.get('class', '')} {element.get('id', '')}".lower()


def remove_elements(elements: Iterable[HtmlElement]) -> None:
    """Detach elements from their tree, keeping the tail text in place."""
    for element in list(elements):
        parent = element.getparent()
        if parent is None:
            continue
        if element.tail:
            previous = element.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + element.tail
            else:
                parent.text = (parent.text or "") + element.tail
        parent.remove(element)


def remove_counterparts(
    clone: HtmlElement, original: HtmlElement, elements: list[HtmlElement]
) -> None:
    """Remove from `clone` (a deep copy of `original`) the counterparts of `elements` of
    `original`: the elements at the same tree paths."""
    root = original.getroottree()
    paths = {root.getpath(e) for e in elements if e.getroottree().getroot() is root.getroot()}
    remove_elements(
        [m for p in sorted(paths, key=len, reverse=True) for m in clone.getroottree().xpath(p)]
    )


def meta_content(tree: HtmlElement) -> dict[str, list[str]]:
    """All <meta> name/property → content values, keys lower-cased."""
    found: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        key = (
            (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        )
        content = meta.get("content")
        if key and content and content.strip():
            found.setdefault(key, []).append(clean_text(content))
    return found
