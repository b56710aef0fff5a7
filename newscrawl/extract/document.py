"""Parsing and text helpers shared by every extractor (pure lxml, no Scrapy)."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import lxml.html
from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction
from parsel.csstranslator import HTMLTranslator
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

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
# huge_tree: without it libxml2 drops every element nested deeper than 255 levels (and with it,
# deeper than 2048: `parse_html` handles both).
_PARSER = etree.HTMLParser(huge_tree=True)
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


@dataclass(frozen=True)
class Decoded:
    """A page's text and how its encoding was chosen.

    `source`: ``bom``, ``header``, ``meta``, ``bytes`` (valid UTF-8 whatever was declared),
    ``detected`` (charset-normalizer) or ``text`` (given as str). `header_mismatch`: the HTTP
    header named a charset the bytes are not in (the crawler counts these).
    """

    text: str
    encoding: str
    source: str
    header: str | None = None
    header_mismatch: bool = False


# Latin-script single-byte code pages the detector cannot tell apart on short texts: for
# those, windows-1252 (what browsers assume for an undeclared Western page) wins unless its
# decoding reads clearly worse.
_LATIN_SINGLE_BYTE = frozenset((
    "cp1250", "cp1252", "cp1254", "cp1257", "cp437", "cp775", "cp850", "cp852", "cp858",
    "hp_roman8", "latin_1", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9", "iso8859_10",
    "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "mac_latin2", "mac_roman",
    "mac_iceland", "mac_turkish"
))  # fmt: skip
_MULTI_BYTE = frozenset((
    "utf_8", "cp932", "shift_jis", "euc_jp", "euc_jis_2004", "euc_jisx0213", "iso2022_jp",
    "gb2312", "gbk", "gb18030", "big5", "big5hkscs", "cp950", "euc_kr", "cp949", "johab"
))  # fmt: skip


def _codec(name: str | None) -> str | None:
    """Python's canonical codec name for an encoding label (WHATWG aliases applied first:
    ``iso-8859-1`` is windows-1252, ``shift_jis`` is cp932), or None for an unknown label."""
    if not name:
        return None
    resolved = resolve_encoding(name)
    if not resolved:
        return None
    try:
        return codecs.lookup(resolved).name.replace("-", "_")
    except LookupError:
        return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _mess(text: str) -> float:
    """charset-normalizer's measure of how garbled a decoded text reads (0 = clean)."""
    from charset_normalizer.md import mess_ratio

    return mess_ratio(text[:20_000], maximum_threshold=1.0)


# Code pages that decode the same bytes to different letters of one script.
_SIBLINGS = {"cp1253": ("iso8859_7",), "iso8859_7": ("cp1253",), "cp1255": ("iso8859_8",),
             "iso8859_8": ("cp1255",)}  # fmt: skip
_COMMON_SIGNS = frozenset("«»“”„‘’‚…·•€£¥©®°–—¡¿§")


def _oddities(text: str) -> int:
    """Signs, symbols and unassigned characters touching a letter ("¶ρθρο", "wi³ó", "’ρθρο"):
    the trace of a text decoded in a sibling code page."""
    from unicodedata import category

    count = 0
    sample = text[:50_000]
    for match in re.finditer(r"[^\x00-\x7f]", sample):
        char = match.group(0)
        at = match.start()
        if char == "’" and (at == 0 or not sample[at - 1].isalnum()):
            count += sample[at + 1 : at + 2].isalpha()  # a closing quote opening a word
            continue
        if char in _COMMON_SIGNS or category(char)[0] in "LMZ":
            continue
        around = sample[max(0, at - 1) : at] + sample[at + 1 : at + 2]
        if any(c.isalpha() for c in around):
            count += 1
    return count


def _detect(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best guess for bytes that declare nothing usable: (codec, text).

    Among Latin single-byte code pages windows-1252 (what browsers assume for an undeclared
    Western page) is preferred, and between sibling code pages the reading with the fewest
    `_oddities` wins: the detector cannot tell them apart on short texts.
    """
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    name = _codec(best.encoding) or best.encoding
    candidates = (
        ["cp1252", name] if name in _LATIN_SINGLE_BYTE else [name, *_SIBLINGS.get(name, ())]
    )
    readings = [(c, t) for c in dict.fromkeys(candidates) if (t := _strict(data, c)) is not None]
    if not readings:
        return name, data.decode(name, errors="replace")
    return min(readings, key=lambda reading: _oddities(reading[1]))  # first of equals


def _plausible(data: bytes, encoding: str, text: str) -> tuple[str, str] | None:
    """A better reading than `text` (the bytes strictly decoded with a declared `encoding`)
    when the declaration is wrong: a Cyrillic or CJK page sent as windows-1252, a GBK page
    declared Shift_JIS. Latin code pages are not second-guessed among themselves."""
    if text.isascii():
        return None
    if encoding in _MULTI_BYTE:
        mess = _mess(text)
        if mess < 0.2:  # a wrong CJK codec reads as a soup of rare characters
            return None
    else:
        mess = None
    guess = _detect(data)
    if guess is None or guess[0] == encoding:
        return None
    if encoding in _LATIN_SINGLE_BYTE and guess[0] in _LATIN_SINGLE_BYTE:
        return None
    if _mess(guess[1]) + 0.05 < (mess if mess is not None else _mess(text)):
        return guess
    return None


def decode_document(html: bytes, content_type: str | None = None) -> Decoded:
    """Bytes to text the way browsers choose, plus a check of what the bytes say.

    Order: a byte-order mark; then valid UTF-8 with non-ASCII bytes (whatever the declaration:
    legacy text is practically never valid UTF-8, and server defaults often lie); then the
    HTTP header's charset, then the page's ``<meta charset>``, each used only if the bytes
    decode in it (and, for a single-byte charset, read plausibly); then charset-normalizer.
    """
    header = _codec(http_content_type_encoding(content_type)) if content_type else None
    bom = read_bom(html)
    if bom[0]:
        encoding = _codec(bom[0]) or bom[0]
        text = html[len(bom[1]) :].decode(encoding, errors="replace")
        return Decoded(text, encoding, "bom", header, bool(header and header != encoding))
    utf8 = _strict(html, "utf-8")
    if utf8 is not None and not utf8.isascii():
        return Decoded(utf8, "utf_8", "bytes", header, bool(header and header != "utf_8"))
    meta = _codec(html_body_declared_encoding(html))
    for source, declared in (("header", header), ("meta", meta)):
        if declared is None or declared in ("utf_16", "utf_16_le", "utf_16_be", "utf_32"):
            continue  # UTF-16 without a BOM is never what a page declaring it holds
        text = _strict(html, declared)
        if text is None:
            continue
        better = _plausible(html, declared, text)
        if better is not None:
            return Decoded(better[1], better[0], "detected", header, header is not None)
        return Decoded(text, declared, source, header, source != "header" and header is not None)
    if utf8 is not None:  # ASCII
        return Decoded(utf8, "utf_8", "bytes", header)
    guess = _detect(html)
    if guess is None:
        return Decoded(html.decode("cp1252", errors="replace"), "cp1252", "detected", header)
    return Decoded(guess[1], guess[0], "detected", header, header is not None)


def decode_html(html: str | bytes, content_type: str | None = None) -> str:
    """Bytes to text (see `decode_document`); text is returned as it is."""
    if isinstance(html, str):
        return html
    return decode_document(html, content_type).text


# Elements nested deeper than this are lifted up to this depth (their text kept in order):
# the recursive walkers of the extractors need a frame or two per level, and Python allows
# about 1,000. Real pages stay under 60 levels.
MAX_TREE_DEPTH = 250
_DEEP = "/" + "/".join(["*"] * MAX_TREE_DEPTH)
# Tags kept when a page nested beyond libxml2's hard limit (2048) is read again flat.
_FLAT_KEEP = frozenset((
    "html", "head", "body", "title", "meta", "link", "base", "script", "style", "p", "br", "a",
    "h1", "h2", "h3", "h4", "h5", "h6", "img", "time"
))  # fmt: skip
_ANY_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9:_-]*)[^<>]*>")


def parse_html(html: str | bytes, content_type: str | None = None) -> HtmlElement:
    """Parse any HTML, however broken or deeply nested, into an lxml tree (an empty one for
    empty input)."""
    text = _without_controls(decode_html(html, content_type)[:MAX_HTML_CHARS])
    # lxml refuses str input that declares an encoding in an XML prolog.
    if prolog := _XML_PROLOG.match(text):
        text = text[prolog.end() :]
    if not text.strip():
        return lxml.html.fromstring("<html><body></body></html>")
    try:
        tree = lxml.html.document_fromstring(text, parser=_PARSER)
        if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in _PARSER.error_log):
            # Nested deeper than libxml2 reads at all: what follows the limit would be lost.
            flat = _ANY_TAG.sub(
                lambda m: m.group(0) if m.group(1).lower() in _FLAT_KEEP else " ", text
            )
            tree = lxml.html.document_fromstring(flat, parser=_PARSER)
    except (etree.ParserError, ValueError):
        tree = lxml.html.fromstring("<html><body></body></html>")
    _adopt_stray_roots(tree)
    for element in tree.xpath(_DEEP):
        _flatten(element)
    return tree


def _adopt_stray_roots(tree: HtmlElement) -> None:
    """Move what libxml2 put in a second `<html>` root into the page's body, as browsers do.

    After a stray `</html>` (in an inline snippet, a template, a theme's header) libxml2
    starts another root element beside the document's and parses the rest of the page into
    it; walks from the root never see it. On 26 of the 1,781 corpus pages there is one, and
    on some it holds the whole article (wcxb/0310: its 755 words of story, and the footer).
    A browser appends whatever follows `</html>` to the body, `<head>` and `<body>` tags
    dropped; so does this.
    """
    strays = [node for node in tree.itersiblings() if isinstance(node.tag, str)]
    if not strays:
        return
    body = tree.find("body")
    if body is None:
        body = etree.SubElement(tree, "body")
    for stray in strays:
        _append_content(body, stray)
        for child in list(stray):
            if child.tag in ("head", "body"):
                _append_content(body, child)
                for grandchild in list(child):
                    body.append(grandchild)
                _append_text(body, child.tail)
                child.tail = None
            else:
                body.append(child)


def _append_content(target: HtmlElement, source: HtmlElement) -> None:
    """`source`'s leading text, added at the end of `target`'s content."""
    _append_text(target, source.text)
    source.text = None


def _append_text(target: HtmlElement, text: str | None) -> None:
    if not text:
        return
    if len(target):
        last = target[-1]
        last.tail = (last.tail or "") + text
    else:
        target.text = (target.text or "") + text


def _flatten(element: HtmlElement) -> None:
    """Make every descendant of `element` its child, in document order, text kept in place.

    A node's tail text follows its last descendant, innermost tails first.
    """
    flat = list(element.iterdescendants())
    last: dict[Any, Any] = {}
    for node in reversed(flat):
        last[node] = last[node[-1]] if len(node) else node
    position = {node: i for i, node in enumerate(flat)}
    tails: dict[int, str] = {}
    for node in reversed(flat):
        if node.tail:
            at = position[last[node]]
            tails[at] = tails.get(at, "") + node.tail
    for node in flat:
        element.append(node)  # moves it; its children follow it one by one
    for i, node in enumerate(flat):
        node.tail = tails.get(i)


# Character references to those characters (``&#x1F;``, ``&#1;``, ``&#xFFFE;``, ``&#0;``):
# libxml2 decodes them into the tree, where lxml then refuses any text built from them.
_CONTROL_REFERENCE = re.compile(
    r"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF]|[fF]{3}[eEfF])(?![0-9a-fA-F])"
    r"|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]|127|6553[45])(?![0-9]));?"
)


def _without_controls(text: str) -> str:
    """`text` without the characters of `_CONTROL` (and references to them), which libxml2
    and lxml choke on.

    `_CONTROL.sub` over a whole page took ~1 ms; deleting the bytes from the UTF-8 form in C
    takes a third of that (`bytes.translate`), and most pages have none to delete.
    """
    if "&#" in text:
        text = _CONTROL_REFERENCE.sub("", text)
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
    if not len(element):  # a leaf (most asked of a comment's parts): its own text alone
        return clean_text(element.text)
    parts: list[str] = []
    _visible_parts(element, parts)
    return clean_text("".join(parts))


_INVISIBLE = frozenset(INVISIBLE_TAGS)


def _visible_parts(node: HtmlElement, parts: list[str]) -> None:
    """The raw text pieces of `node` for `text_of`, blocks set apart by spaces; invisible
    children (scripts, comments) left out but for their tails. A module-level function
    and a set lookup: a closure per call and a tuple scan per child cost a fifth of it."""
    block = node.tag in BLOCK_TAGS
    if block:
        parts.append(" ")
    if node.text:
        parts.append(node.text)
    for child in node:
        tag = child.tag
        if isinstance(tag, str) and tag not in _INVISIBLE:
            _visible_parts(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append(" ")


class TextCache:
    """`text_of` for the elements of one unchanged tree, each element's text worked out
    once, from its children's (bottom-up), so asking for every block of a page costs one
    walk of it rather than one walk per block and per ancestor.

    A text is kept as (leading white space?, collapsed text, trailing white space?): the
    collapsed texts of the parts, joined with one space where white space met, are exactly
    `clean_text` of the raw text, so no subtree is read twice.
    """

    __slots__ = ("_parts",)

    def __init__(self) -> None:
        self._parts: dict[HtmlElement, tuple[bool, str, bool]] = {}

    def text(self, element: HtmlElement) -> str:
        """`text_of(element)`, from the cache."""
        if element.tag in INVISIBLE_TAGS:  # asked for itself, a script's text is its text
            return text_of(element)
        return self._measure(element)[1]

    def length(self, element: HtmlElement) -> int:
        """`len(text_of(element))`, from the cache."""
        return len(self.text(element))

    def _measure(self, element: HtmlElement) -> tuple[bool, str, bool]:
        found = self._parts.get(element)
        if found is not None:
            return found
        # Children first, deepest first, without recursion (pages nest thousands deep).
        stack = [element]
        order = []
        while stack:
            node = stack.pop()
            order.append(node)
            stack.extend(c for c in node if isinstance(c.tag, str) and c not in self._parts)
        for node in reversed(order):
            self._parts[node] = self._join(node)
        return self._parts[element]

    def _join(self, node: HtmlElement) -> tuple[bool, str, bool]:
        if node.tag in INVISIBLE_TAGS:
            return (False, "", False)
        words: list[str] = []
        lead = False
        space = node.tag in BLOCK_TAGS  # a block is set apart by white space on both sides

        def add(ws_before: bool, core: str, ws_after: bool) -> None:
            nonlocal lead, space
            if not core:
                space = space or ws_before or ws_after
                return
            if words:
                if space or ws_before:
                    words.append(" ")
            elif space or ws_before:
                lead = True
            words.append(core)
            space = ws_after

        if space:
            lead = True
        if node.text:
            add(*_raw_parts(node.text))
        for child in node:
            if isinstance(child.tag, str):
                add(*self._parts[child])
            if child.tail:
                add(*_raw_parts(child.tail))
        if node.tag in BLOCK_TAGS:
            space = True
        return (lead, "".join(words), space)


def _raw_parts(raw: str) -> tuple[bool, str, bool]:
    return (raw[:1].isspace(), clean_text(raw), raw[-1:].isspace())


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


def short_text(element: HtmlElement, limit: int) -> str | None:
    """`text_of(element)` when it is at most `limit` characters, else None, found without
    reading a long block to its end (a comment's date is looked for in its short parts,
    and the comment's whole text is the first part asked)."""
    if not len(element):
        text = clean_text(element.text)
    else:
        text, whole = text_start(element, limit)
        if not whole:  # what was read is already longer, and the whole is no shorter
            return None
    return text if len(text) <= limit else None


def _is_invisible(node: HtmlElement) -> bool:
    return not isinstance(node.tag, str) or node.tag in INVISIBLE_TAGS


def paragraphs(element: HtmlElement) -> list[str]:
    """The element's text cut into paragraphs at block-level boundaries."""
    out: list[str] = []
    current: list[str] = []
    if isinstance(element.tag, str) and element.tag not in _INVISIBLE:
        _paragraph_parts(element, current, out)
    _flush(current, out)
    return out


def _flush(current: list[str], out: list[str]) -> None:
    text = clean_text("".join(current))
    if text:
        out.append(text)
    current.clear()


def _paragraph_parts(node: HtmlElement, current: list[str], out: list[str]) -> None:
    """`paragraphs`' walk, module-level like `_visible_parts` (no closures per call)."""
    block = node.tag in BLOCK_TAGS
    if block:
        _flush(current, out)
    if node.text:
        current.append(node.text)
    for child in node:
        tag = child.tag
        if isinstance(tag, str) and tag not in _INVISIBLE:
            _paragraph_parts(child, current, out)
        if child.tail:
            current.append(child.tail)
    if block:
        _flush(current, out)


def css_or_xpath(selector: Selector) -> str:
    """The XPath for a profile selector (CSS is translated once per call site)."""
    return selector.query if selector.is_xpath else _css_to_xpath(selector.query)


_XPATH_CACHE: dict[str, str] = {}


def _css_to_xpath(css: str) -> str:
    xpath = _XPATH_CACHE.get(css)
    if xpath is None:
        xpath = _XPATH_CACHE[css] = _TRANSLATOR.css_to_xpath(css, prefix="descendant-or-self::")
    return xpath


@lru_cache(maxsize=1024)
def _compiled(expr: str) -> etree.XPath:
    return etree.XPath(expr)


def xpath(root: HtmlElement, expr: str) -> list:
    """`root.xpath(expr)` with `expr` compiled once per process: lxml parses a string XPath
    again on every call, which for the short per-comment queries costs as much as running them
    (a page of 10,000 comments runs each 10,000 times)."""
    return _compiled(expr)(root)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def classed(root: HtmlElement, parts: tuple[str, ...]) -> list[HtmlElement]:
    """The descendants of `root` whose class, ASCII lower-cased, holds one of `parts`, in
    document order: ``.//*[contains(translate(@class, A-Z, a-z), part) or ...]`` in one walk.
    libxml2 translates the class again for every part of every element; on a page of long
    comments that XPath cost more than reading the comments."""
    found = []
    for element in root.iterdescendants():
        if not isinstance(element.tag, str):
            continue
        classes = element.get("class")
        if classes:
            lowered = classes.translate(_ASCII_LOWER)
            if any(part in lowered for part in parts):
                found.append(element)
    return found


def select(root: HtmlElement, selector: Selector | str | None) -> list:
    """Elements (or strings, for XPath ending in /@attr or text()) matching `selector`."""
    if selector is None:
        return []
    if isinstance(selector, str):
        selector = Selector(selector)
    try:
        return list(xpath(root, css_or_xpath(selector)))
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
