"""The comment searches walked in Python (`comments.find` and its users) give exactly what
the XPaths they replaced give, on every element of the sample pages and of a page of odd
markup; the cheap tests put first (tidy's header lines, chrome classes, leaf texts) give
what the full tests give."""

from __future__ import annotations

import copy
import importlib
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lxml import etree
from lxml.html import HtmlElement

from benchmarks.comment_scaling import FAMILIES, article_page
from newscrawl.extract import lexicon
from newscrawl.extract.comments import fields, markup, text
from newscrawl.extract.document import TextCache, parse_html, remove_elements, text_of
from newscrawl.samples import site_dir

# `newscrawl.extract.comments` exports a function named `tidy`, hiding the module.
tidy = importlib.import_module("newscrawl.extract.comments.tidy")
generic = importlib.import_module("newscrawl.extract.comments.generic")

FN = text.has_class("fn")

ODD_MARKUP = """<html><body><div id="root" class="comment">
<?php class="fn comment-content" ?><!-- class="fn" -->
<article class="comment-body" data-parent-id="0"><footer class="comment-meta">
<div class="comment-author vcard"><span class="fn">Ann</span><cite class="x fn">Bo</cite>
<b class="fn\u00a0x">nbsp</b><b class="fn\tx">tab</b></div>
<div class="comment-metadata"><time>no stamp</time><time datetime="">empty</time>
<time datetime="2024-01-02T10:00">Jan 2</time></div></footer>
<p class="comment-authorship"><i class="fn">inner</i></p>
<cite class="FN">upper</cite><cite class="fn">lone cite</cite>
<div class="comment_text"><p>Words <a href="#c-3" class="reply-to">@c3</a></p></div>
<time datetime="2023">outside</time><abbr title="2024">t</abbr><abbr>no title</abbr>
<meta property="article:date" content="2024-01-01"><span property="created" content="">x</span>
<span property="dated">no content</span><span itemprop="dateCreated">d</span>
<span itemprop="datePublishedX">not it</span>
<div data-parent="12" class="comment-reply-link">Reply</div><div data-reply-to="">e</div>
<div class="in-reply"><span><a href="/x#c-9">up</a></span><a href="/no-hash">n</a></div>
<a class="parent" href="#c-7">p</a><a class="replyto">no href</a>
<header>h</header><footer>f</footer><span class="metadata info">m</span>
<div itemprop="author"><span itemprop="name">Cy</span></div><span itemprop="name">Dee</span>
<span itemprop="author">Eve</span><strong>Fay</strong><b>Gil</b><p><strong>Hal</strong></p>
<h3>A title</h3><h5><a href="#">linked</a></h5>
</article><div class="comment-body" id="div-comment-9">second body</div>
<div id="div-comment-7">third</div><article>fourth</article></div></body></html>"""


def _trees() -> Iterator[HtmlElement]:
    yield parse_html(ODD_MARKUP)
    for page in sorted(Path(site_dir("commentlab")).rglob("*")):
        if page.is_file() and page.suffix in ("", ".html"):
            yield parse_html(page.read_bytes())
    for family in FAMILIES.values():
        yield parse_html(article_page(family(12, random.Random(3))))


def _elements() -> list[HtmlElement]:
    return [e for tree in _trees() for e in tree.iter() if isinstance(e.tag, str)]


ELEMENTS = _elements()


def _found(answer: object) -> bool:
    """Whether a search found something (an element found may be a leaf: len() 0)."""
    return not (answer is None or answer is False or answer == [])


def _first(found: list) -> object:
    return found[0] if found else None


# (what the walk gives, what the XPath it replaced gives), for one element
CASES: dict[str, tuple[Callable, Callable]] = {
    "wp text": (
        lambda e: markup.first_classed(e, markup._WP_TEXT_CLASSES),
        lambda e: _first(
            e.xpath(
                ".//*[contains(@class,'comment-content') or contains(@class,'comment-text')"
                " or contains(@class,'comment_text')]"
            )
        ),
    ),
    "wp author": (
        markup._wp_author,
        lambda e: _first(
            e.xpath(f".//*[contains(@class,'comment-author')]//*[{FN}] | .//cite[{FN}]")
        ),
    ),
    "wp datetime": (
        markup._wp_datetime,
        lambda e: _first(
            e.xpath(".//*[contains(@class,'comment-meta')]//time/@datetime")
            or e.xpath(".//time/@datetime")
        ),
    ),
    "wp own body": (
        lambda e: next((c for c in e if markup._is_own_body(c)), None),
        lambda e: _first(
            e.xpath(
                "./article | ./div[contains(@class,'comment-body')"
                " or starts-with(@id,'div-comment')]"
            )
        ),
    ),
    "marked dates": (
        fields._marked_dates,
        lambda e: e.xpath(
            ".//time | .//*[@itemprop='dateCreated' or @itemprop='datePublished']"
            " | .//abbr[@title] | .//*[@content][contains(@property,'date')"
            " or contains(@property,'created')]"
        ),
    ),
    "parent named": (
        lambda e: list(fields._parent_named(e)),
        lambda e: e.xpath(
            "descendant-or-self::*[not(contains(@class,'reply-link'))]"
            "[@data-parent-id or @data-parent or @data-reply-to or @data-in-reply-to]"
        ),
    ),
    "reply link": (
        fields._reply_link,
        lambda e: _first(
            e.xpath(
                ".//a[contains(@href,'#')][contains(@class,'reply-to')"
                " or contains(@class,'in-reply') or contains(@class,'parent')"
                " or contains(@class,'replyto')] | .//*[contains(@class,'in-reply')"
                " or contains(@class,'reply-to')]//a[contains(@href,'#')]"
            )
        ),
    ),
    "header blocks": (
        lambda e: generic.all_classed(e, generic._HEADER_TAGS, generic._HEADER_CLASSES),
        lambda e: e.xpath(
            ".//header | .//footer | .//*[contains(@class,'meta') or contains(@class,'author')"
            " or contains(@class,'vcard') or contains(@class,'date') or contains(@class,'info')]"
        ),
    ),
    "date tags": (
        lambda e: fields.tagged(e, fields._DATE_TAGS),
        lambda e: list(e.iter("b", "span", "small", "div", "em", "i", "p", "strong", "a", "cite")),
    ),
    "title tags": (
        lambda e: generic.tagged(e, generic._TITLE_TAGS),
        lambda e: list(e.iter("h3", "h4", "h5", "h6")),
    ),
    "inner blocks": (
        lambda e: generic.holds_any(e, generic._INNER_BLOCKS),
        lambda e: any(True for _ in e.iterdescendants(*generic.INNER_BLOCK_TAGS)),
    ),
}
AUTHOR_XPATHS = (
    ".//*[@itemprop='author']//*[@itemprop='name'] | .//*[@itemprop='author']",
    f".//*[{FN}]",
    None,  # `classed`, unchanged
    ".//cite",
    None,
    ".//strong | .//b",
)


@pytest.mark.parametrize("case", sorted(CASES))
def test_walk_is_the_xpath(case: str) -> None:
    walk, xpath = CASES[case]
    hits = 0
    for element in ELEMENTS:
        expected = xpath(element)
        assert walk(element) == expected, (case, etree.tostring(element)[:200])
        hits += _found(expected)
    assert hits, case  # the pages hold cases where the XPath finds something


def test_author_finders_are_their_xpaths() -> None:
    for find, xpath in zip(generic._AUTHOR_FINDERS, AUTHOR_XPATHS, strict=True):
        if xpath is None:
            continue
        hits = 0
        for element in ELEMENTS:
            expected = element.xpath(xpath)
            assert find(element) == expected, (xpath, etree.tostring(element)[:200])
            hits += _found(expected)
        assert hits, xpath


def test_has_token_is_has_class() -> None:
    for element in ELEMENTS:
        assert bool(element.xpath(f"self::*[{FN}]")) == markup.has_token(element, "fn")


def test_text_of_leaf_and_tree_agree_with_the_cache() -> None:
    """`text_of`'s shortcut for leaves gives the walk's answer (the bottom-up cache is
    built the long way for every element)."""
    for tree in _trees():
        cache = TextCache()
        for element in tree.iter():
            if isinstance(element.tag, str):
                assert text_of(element) == cache.text(element)


def test_chrome_block_signature_shortcut() -> None:
    """`is_chrome_block` tests the signature regex only on classes holding "gnature"."""
    for classes in ("post-signature x", "SIGNATURE", "ſignature", "with-signature", "sig", ""):
        element = parse_html(f'<div class="{classes}">x</div>').find(".//div")
        words = classes.split()
        expected = bool(
            classes
            and (
                any(part in classes for part in text._CHROME_CLASS_PARTS)
                or not text._CHROME_WORDS.isdisjoint(words)
                or any(text._SIGNATURE.search(word) for word in words)
            )
        )
        assert text.is_chrome_block(element) == expected, classes


def test_comment_text_copies_only_to_edit() -> None:
    """`comment_text` reads the element itself when it holds no controls, and otherwise
    what a copy without them reads; the element is never edited."""
    for element in ELEMENTS:
        before = etree.tostring(element)
        clone = copy.deepcopy(element)
        remove_elements([c for c in text._chrome(clone) if not text._wraps_text(c, clone)])
        expected = "\n\n".join(p for p in text.paragraphs(clone) if not text.CHROME_LINE.match(p))
        assert text.comment_text(element) == expected
        assert etree.tostring(element) == before


OLD_DATE_LINE = re.compile(
    tidy._DATE_LINE.pattern.replace(tidy._by_first_letter(lexicon.MONTHS), lexicon.MONTHS),
    re.I,
)
LINES = [
    "Posted by: Reader4 | January 5, 2009 5:04 PM",
    "Tobsen · April 19, 2019",
    "23.09.20 | 18:19 emari",
    "März 7, 2018",
    "Jun 20th at 2:41 am",
    "(15.05.2019)",
    "dottoressa",
    "aoûT 3 2020 - 10h12",
    "ſep 3, 2020",
    "Said agree because plan could city could school because week school before the vote.",
    "a - b",
    "one|two|three",
    "Ann — 12:45",
    "",
]


@pytest.mark.parametrize("line", LINES)
def test_date_line_by_first_letter_is_the_plain_alternation(line: str) -> None:
    assert tidy._DATE_LINE.pattern != OLD_DATE_LINE.pattern
    for method in ("search", "fullmatch", "match"):
        found = getattr(tidy._DATE_LINE, method)(line)
        old = getattr(OLD_DATE_LINE, method)(line)
        assert (found and found.span()) == (old and old.span()), method


@pytest.mark.parametrize("line", LINES)
def test_header_author_cheap_tests_first(line: str) -> None:
    """The length and separator tests before the split give the full test's answer."""

    def full(line: str, author: str | None) -> str | None:  # as it was, regexes and all
        if author and line == author:
            return author
        if OLD_DATE_LINE.fullmatch(line):
            return ""
        parts = [p.strip() for p in re.split(r"\s+[·|•–—-]\s+|\s*\|\s*", line) if p.strip()]
        if len(parts) < 2 or len(line) > tidy.HEADER_LINE_MAX_CHARS:
            return None
        dates = [p for p in parts if OLD_DATE_LINE.fullmatch(p) or tidy._TIME_ONLY.fullmatch(p)]
        if not dates:
            match = OLD_DATE_LINE.match(line)
            rest = line[match.end() :].strip(" |·-") if match else ""
            return rest if match and tidy._NAME_PART.fullmatch(rest) else None
        names = [tidy._LEADING_TIME.sub("", p) for p in parts if p not in dates]
        if len(names) > 1 or (names and not tidy._NAME_PART.fullmatch(names[0])):
            return None
        return names[0] if names else ""

    for author in (None, "Ann", line):
        assert tidy._header_author(line, author) == full(line, author)


def test_holders_are_the_items_with_an_item_inside() -> None:
    """`generic._holders` (found from below) is the test of each item's descendants."""
    for tree in _trees():
        for tags in (("div",), ("li", "article"), ("div", "li", "ul", "ol", "article")):
            items = [e for e in tree.iter(*tags)]
            item_set = set(items)
            expected = {i for i in items if any(d in item_set for d in i.iterdescendants())}
            assert generic._holders(items, item_set) == expected


def _top_level_branches(pattern: str) -> list[str]:
    """The alternatives of a pattern ``(a|b|...)`` at its outer level."""
    body, depth, start, branches = pattern[1:-1], 0, 0, []
    escaped = in_class = False
    for index, char in enumerate(body):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(body[start:index])
            start = index + 1
    return [*branches, body[start:]]


def test_every_written_date_has_a_digit() -> None:
    """`fields._written_date` searches only texts with a digit: each form needs one."""
    branches = _top_level_branches(fields.DATE_IN_TEXT.pattern)
    assert len(branches) == 5
    for branch in branches:
        assert re.match(r"(?:\\d|\[A-Z\]\[a-z\]\+\\\.\? \\d)", branch), branch
