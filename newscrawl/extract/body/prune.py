"""Stage 1 of the generic body: drop from the page what is never body text.

Scripts, media, form controls, navigation, asides and footers (unless broken markup left the
article inside one), hidden blocks, and hover cards set inside a sentence. The tree is edited
in place: it is the caller's copy of the page.
"""

from __future__ import annotations

import itertools

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from ..document import contains, in_running_text, xpath
from ..thresholds import (
    CHROME_PROSE_CHARS,
    CHROME_PROSE_LINK_SHARE,
    FORM_MAX_CHARS,
    FORM_PAGE_SHARE,
    HIDDEN_KEEP_CHARS,
    HOVER_CARD_LINK_SHARE,
    HOVER_CARD_MIN_LINKS,
    TEMPLATE_MIN_CHARS,
)

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


def prune(root: HtmlElement) -> None:
    """Drop elements that are never body text: scripts, forms, navigation, hidden blocks.

    A hidden block with much text stays: streaming renderers (React's ``<div hidden
    id="S:1">``) park the real article there until a script moves it into place. A hidden
    microdata block (``itemscope``) goes whatever its size: it restates the story for robots.
    """
    _expand_templates(root)
    doomed = [
        e
        for e in root.iter(_DROP_TAGS, etree.Comment, etree.ProcessingInstruction)
        if e.tag not in _WRAPPING_TAGS or not _wraps_page(e)
    ]
    doomed += [e for e in root.iter(_CHROME_TAGS) if not _wraps_page(e)]
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
        and (len(e.text_content()) < HIDDEN_KEEP_CHARS or e.get("itemscope") is not None)
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


def _expand_templates(root: HtmlElement) -> None:
    """Put the HTML of ``<script type="text/template">`` blocks in place of the script.

    Some blog engines ship the post itself as a template that a script renders.
    """
    for script in xpath(
        root, "/descendant::script[contains(@type,'template') or @type='text/html']"
    ):
        markup = (script.text or "").strip()
        if len(markup) < TEMPLATE_MIN_CHARS or "<" not in markup:
            continue
        try:
            fragment = lxml.html.fragment_fromstring(markup, create_parent="div")
        except (etree.ParserError, ValueError, AssertionError):
            continue  # AssertionError: a whole document ("too many bodies"), not a post
        fragment.tail = script.tail
        script.getparent().replace(script, fragment)


# Controls that broken markup can leave open around the page: an unclosed header `<button>`
# or `<label>` swallows everything after it.
_WRAPPING_TAGS = frozenset({"button", "label", "dialog", "figcaption", "picture", "video", "audio"})


def _wraps_page(element: HtmlElement) -> bool:
    """Broken markup left the page inside this element: it holds the page's `<main>` or
    `<article>` landmark (never inside a control or a menu in a well-formed page), or more
    prose than chrome ever holds."""
    if element.find(".//main") is not None or element.find(".//article") is not None:
        return True
    return _holds_prose(element)


def _holds_prose(element: HtmlElement) -> bool:
    """More than a screenful of text that is mostly not links: not chrome, whatever its tag."""
    chars = len(element.text_content())
    if chars < CHROME_PROSE_CHARS:
        return False
    links = sum(len(a.text_content()) for a in element.iter("a"))
    return links < CHROME_PROSE_LINK_SHARE * chars


def _control_form(form: HtmlElement, page_chars: int) -> bool:
    """A sign-up, log-in, poll, search or checkout box; not a form that wraps the page
    (ASP.NET pages put everything in one ``<form>``)."""
    chars = len(form.text_content())
    return chars < FORM_MAX_CHARS and chars < FORM_PAGE_SHARE * page_chars


def _hover_cards(root: HtmlElement) -> list[HtmlElement]:
    """Pop-up cards set inside a sentence: a name's link followed by a ``<span>`` of three or
    more headline links, shown on hover ("Kristi Noem" and her latest stories). The card is
    not part of the sentence, and its links would make the paragraph look like a link list."""
    cards: list[HtmlElement] = []
    for paragraph in root.iter("p"):
        if (
            next(itertools.islice(paragraph.iter("a"), HOVER_CARD_MIN_LINKS - 1, None), None)
            is None
        ):
            continue  # fewer links than a card has: no card
        found = []
        for span in paragraph.iter("span"):
            links = list(span.iter("a"))
            if len(links) < HOVER_CARD_MIN_LINKS or (
                in_running_text(span) and span.find(".//img") is None
            ):
                continue  # a phrase of linked names inside the sentence is the sentence
            text = len(span.text_content())
            if text and sum(len(a.text_content()) for a in links) > HOVER_CARD_LINK_SHARE * text:
                found.append(span)
        # The innermost such span is the card; the ones around it also hold the sentence.
        cards += [s for s in found if not any(o is not s and contains(s, o) for o in found)]
    return cards


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
