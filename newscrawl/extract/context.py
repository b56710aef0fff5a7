"""The page being extracted, as every stage sees it.

`extract_page` parses the page and reads its metadata once into a `PageContext`; the stages
(comments, related blocks, body, article fields, page type) take it instead of a list of
positional arguments, and read the languages dates are written in from it rather than from
global state. It also keeps per-page caches: answers about elements of `tree` that several
stages or many calls would otherwise work out again. They hold while `tree` is unchanged:
the stages never edit it (they edit copies).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml.html import HtmlElement

from ..dates import date_languages
from ..profiles import SiteProfile
from ..urls import canonicalize_url
from . import metadata
from .document import TextCache, xpath
from .language import guess_language
from .metadata import MetadataSources
from .thresholds import HEADLINE_LINES, HEADLINE_LINES_BEFORE

if TYPE_CHECKING:
    from .body.measure import ElementStats


@dataclass
class PageContext:
    """One page: its tree, address, site profile, metadata, and what dates are read in."""

    tree: HtmlElement
    url: str
    profile: SiteProfile | None = None
    sources: MetadataSources = field(default_factory=MetadataSources)
    timezone: str | None = None  # the site's, for dates written without an offset
    # The page's declared language, else the profile's, else the one its text is in.
    language: str | None = None
    # Languages free-text dates are read in (`dates.date_languages`); None: every language.
    date_languages: tuple[str, ...] | None = None
    # Per-page caches (see the module docstring).
    chrome: dict[HtmlElement, bool] = field(default_factory=dict, repr=False)
    # Each element's visible text, worked out once (bottom-up) however often it is asked.
    texts: TextCache = field(default_factory=TextCache, repr=False)
    canonical_urls: dict[str, str] = field(default_factory=dict, repr=False)
    # Whether an element is a comment-thread heading (`comments.areas.heading_like`).
    comment_headings: dict[HtmlElement, bool] = field(default_factory=dict, repr=False)
    # The posts of the page's thread by shape (`comments.thread.thread_posts`), once found.
    thread_posts: list[HtmlElement] | None = field(default=None, repr=False)
    # The body stage's measures of every element of the cleaned page it read (not `tree`),
    # for stages that judge the page after it; None until the generic body extractor ran.
    body_measures: dict[HtmlElement, ElementStats] | None = field(default=None, repr=False)
    # The fixed source order's answers where a learned choice replaced them ("published",
    # "authors"): the page-type stage reads these, as its model was fitted on them.
    rule_answers: dict[str, object] = field(default_factory=dict, repr=False)
    # The text lines after and before the first headline (dates and bylines are read there).
    _headline_lines: tuple[list[str], list[str]] | None = field(default=None, repr=False)
    # What the learned stages saw (block rows, page features, title candidates), when the
    # caller asks for it (`extract_page(collect=...)`: training the models).
    collect: dict | None = field(default=None, repr=False)

    @classmethod
    def of(
        cls,
        tree: HtmlElement,
        url: str,
        profile: SiteProfile | None,
        collect: dict | None = None,
    ) -> PageContext:
        """The context of an article page: its metadata read once, and its language.

        A page that does not say its language (nor its profile) gets the one its text is
        in (`language.guess_language`), and failing that every language dateparser knows.
        """
        sources = metadata.gather(tree)
        language = (
            metadata.language(sources)
            or (profile.language if profile else None)
            or guess_language(tree)
        )
        return cls(
            tree=tree,
            url=url,
            profile=profile,
            sources=sources,
            timezone=profile.timezone if profile else None,
            language=language,
            date_languages=date_languages(language, "en") if language else None,
            collect=collect,
        )

    def canonical(self, href: str) -> str:
        """`canonicalize_url(href, base=url)`, each href worked out once per page."""
        found = self.canonical_urls.get(href)
        if found is None:
            found = self.canonical_urls[href] = canonicalize_url(href, base=self.url)
        return found

    def lines_after_headline(self) -> list[str]:
        """The first text lines after the page's first `<h1>` (scripts and styles left out),
        white space collapsed: where a story's dateline and byline stand."""
        return self._lines_near_headline()[0]

    def lines_before_headline(self) -> list[str]:
        """The text lines just before the first `<h1>`, nearest first (a dateline above it)."""
        return self._lines_near_headline()[1]

    def _lines_near_headline(self) -> tuple[list[str], list[str]]:
        if self._headline_lines is None:
            heads = xpath(self.tree, "(/descendant::h1)[1]")
            self._headline_lines = (
                (
                    _text_lines(heads[0], "following", HEADLINE_LINES),
                    _text_lines(heads[0], "preceding", HEADLINE_LINES_BEFORE)[::-1],
                )
                if heads
                else ([], [])
            )
        return self._headline_lines

    def text_length(self, element: HtmlElement) -> int:
        """`len(text_of(element))` for an element of `tree`, measured once per page."""
        return self.texts.length(element)


def _text_lines(head: HtmlElement, axis: str, count: int) -> list[str]:
    """The `count` nearest non-blank text nodes on `axis` ("following", "preceding") of `head`,
    in document order, outside scripts and styles, white space collapsed."""
    lines = []
    for node in head.xpath(f"{axis}::text()[normalize-space()][position() <= {count}]"):
        parent = node.getparent()
        if parent is None or parent.tag not in ("script", "style", "noscript"):
            lines.append(" ".join(str(node).split()))
    return lines
