"""The searches made inside every comment, as Python walks of its few elements.

Each function gives exactly what the XPath named in its docstring gives (the tests hold the
XPaths and compare): a page of 10,000 comments runs each search 10,000 times, and an XPath
call costs lxml and libxml2 10-20 µs there (a ``.//`` step builds and merges a node set per
element, every ``contains(@class, ...)`` copies the attribute), where a walk of a comment's
dozen elements costs a few. The cheapest test comes first in each walk (the tag, or whether
the element has the attribute at all).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml.html import HtmlElement

# XPath's normalize-space() splits at these four only (not at NBSP, as str.split() does).
_XML_SPACE = str.maketrans("\t\n\r", "   ")


def elements_below(root: HtmlElement) -> Iterator[HtmlElement]:
    """The elements inside `root` in document order (``.//*``: comments and PIs left out)."""
    for element in root.iterdescendants():
        if isinstance(element.tag, str):
            yield element


def has_token(element: HtmlElement, name: str) -> bool:
    """`text.has_class(name)`: one whole class token, white space as XPath reads it."""
    classes = element.get("class")
    return bool(classes) and name in classes and name in classes.translate(_XML_SPACE).split(" ")


def class_holds(element: HtmlElement, parts: tuple[str, ...]) -> bool:
    """``contains(@class, part) or ...`` (case kept, a part anywhere in the class)."""
    classes = element.get("class")
    if classes:
        for part in parts:  # a loop, not any(): no generator made per element
            if part in classes:
                return True
    return False


def between(element: HtmlElement, root: HtmlElement) -> Iterator[HtmlElement]:
    """The ancestors of `element` below `root`, nearest first (`root` left out)."""
    node = element.getparent()
    while node is not None and node is not root:
        yield node
        node = node.getparent()


def first_classed(root: HtmlElement, parts: tuple[str, ...]) -> HtmlElement | None:
    """``(.//*[contains(@class, part) or ...])[1]``."""
    for element in root.iterdescendants():
        # The class first: comments have none, and processing instructions only in name.
        if class_holds(element, parts) and isinstance(element.tag, str):
            return element
    return None


def all_classed(root: HtmlElement, tags: tuple[str, ...], parts: tuple[str, ...]) -> list:
    """``.//tag | ... | .//*[contains(@class, part) or ...]``: elements of `tags` or whose
    class holds one of `parts`, in document order."""
    return [e for e in elements_below(root) if e.tag in tags or class_holds(e, parts)]


def first_under_classed(
    root: HtmlElement, tag: str | None, test, parts: tuple[str, ...]
) -> HtmlElement | None:
    """The first element inside `root` (of `tag`, any when None) passing `test` that sits
    inside an element below `root` whose class holds one of `parts`:
    ``(.//*[contains(@class, part)]//tag[test])[1]``."""
    found = root.iterdescendants(tag) if tag else elements_below(root)
    for element in found:
        if test(element) and any(class_holds(a, parts) for a in between(element, root)):
            return element
    return None


def tagged(root: HtmlElement, tags: frozenset[str]) -> list[HtmlElement]:
    """``root.iter(*tags)`` (root included, document order): lxml builds a matcher of the
    tag names on every call, which for ten names costs more than the walk of a comment."""
    return [e for e in root.iter() if e.tag in tags]


def holds_any(element: HtmlElement, tags: frozenset[str]) -> bool:
    """Whether an element of `tags` is inside `element` (a leaf holds none: no walk)."""
    return any(d.tag in tags for d in element.iterdescendants())
