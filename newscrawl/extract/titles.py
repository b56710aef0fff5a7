"""The article headline, reconciled from every place a page states it.

A page states its headline four or five times: ``og:title`` and ``twitter:title`` (written for
sharing), the JSON-LD ``headline``, the ``<title>`` (site name and often section appended) and
the heading shown above the article (an ``<h1>``, often with its kicker, the "Dachzeile", in a
span of its own). They differ in two ways, and each has its rule:

* Decoration (site names, sections, kickers around the same words). Site names go wherever
  they stand; for the rest, a source that states a separator-bounded part of og:title shows
  the rest to be decoration, unless the JSON-LD headline repeats og:title whole.
* Wording (a social or SEO variant). og:title wins, except where the JSON-LD headline and the
  shown headline agree on other words: two sources, one of them what the reader sees.

Measured on the shared corpus (fundus: 183 gold titles; trafilatura: 103), pages fixed/broken
by each rule, switched off one at a time:

* a source stating a part of og:title wins (was: only a JSON-LD headline inside it): fundus
  2/0, trafilatura 7/0; kicker spans left out of the h1 (needed by two of those): 1/0, 1/0;
* a site-name part ends the title wherever it stands: 0/0, 2/0; logo h1s skipped: 0/0, 1/0;
* JSON-LD headline = shown headline beats og:title: fundus 14/9, trafilatura 4/0. Without
  leaving breadcrumb h1s out of "shown" it would break 10 fundus pages more (and fix 2);
  without leaving live blogs out, 2 more.

fundus's gold is each publisher's own parser, which reads og:title for some publishers and
the JSON-LD headline for others; where the two differ in wording, no page-level signal tried
(agreement of <title>, twitter:title or h1, lengths, counts in the page) separates them.
"""

from __future__ import annotations

import bisect
import copy
import html
import re
from functools import cached_property

from lxml.html import HtmlElement

from . import lexicon
from .document import clean_text, text_of
from .metadata import MetadataSources, _as_text, _norm, host_names, node_types, site_names
from .thresholds import (
    GUESSED_SITE_TAIL_WORDS,
    SITE_NAME_MAX_WORDS,
    TITLE_MAX_CHARS,
)

__all__ = ["TitleCandidates", "title", "is_part_of"]

_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»*/]\s+|\s+::\s+|\s*[｜：|]\s*|\s+--\s+|--")
# Separators between a kicker, the headline and its decorations, for `is_part_of`: the title
# separators plus a colon, dash or slash glued to the word before it ("Topic: Title").
_PART_SEPARATORS = re.compile(
    r"\s+[|\-–—:·•»*/]\s+|\s+::\s+|\s*[｜：|]\s*|\s+--\s+|--|(?<=\w)[:–—/]\s+|[.!?»“\"]\s*[:–—-]\s+"
)
# Class words of the kicker ("Dachzeile", overline) that templates set in the h1 before the
# headline, and of the visually hidden separator that follows it for screen readers.
_KICKER_CLASS = re.compile(rf"(?:^|[\s_-])(?:{lexicon.KICKER_CLASSES})(?:$|[\s_-])", re.IGNORECASE)
_HIDDEN_CLASS = re.compile(
    r"hidden|offscreen|sr-only|visually|invisible|a11y|screen-reader|colon|dash", re.IGNORECASE
)
_LOGO_CLASS = re.compile(r"logo|brand|site-?title|masthead|blog-?title|site-?name", re.IGNORECASE)


class TitleCandidates:
    """Every stated form of the headline on one page, decoded and without site names.

    The declared sources are read at once; the headings and the <title>, which need a walk of
    the page, only when a rule asks for them (most pages settle on og:title and JSON-LD).
    """

    def __init__(self, tree: HtmlElement, sources: MetadataSources, url: str | None) -> None:
        self._tree, self._sources = tree, sources
        self._names = {_norm(n) for n in site_names(sources)} - {""}
        self._hosts = {_norm(h) for h in host_names(url)} - {""}
        self.og = self._declared(sources.first_meta("og:title"))
        self.twitter = self._declared(sources.first_meta("twitter:title"))
        self.headline = self._declared(_as_text(sources.jsonld.get("headline")))
        self.live_blog = "liveblogposting" in node_types(sources.jsonld)

    def _declared(self, value: str | None, guess: bool = False) -> str | None:
        if not value:
            return None
        text = _strip_site(clean_text(html.unescape(value)), self._names, self._hosts, guess)
        return text or None

    @cached_property
    def other(self) -> list[str]:
        """dc.title or a meta headline, and the JSON-LD name."""
        values = [
            self._declared(self._sources.first_meta("dc.title", "headline")),
            self._declared(_as_text(self._sources.jsonld.get("name"))),
        ]
        return [v for v in values if v]

    @cached_property
    def page_title(self) -> str | None:
        """The <title>, its site name (declared or guessed) removed."""
        return self._declared(self._tree.findtext(".//title"), guess=True)

    @cached_property
    def _headings(self) -> tuple[str | None, str | None]:
        return _headings(self._tree, self._names | self._hosts)

    @property
    def h1(self) -> str | None:
        """The first h1 that is not a logo, without its kicker."""
        return self._headings[0]

    @property
    def visible(self) -> str | None:
        """The headline shown above the article, outside breadcrumbs."""
        return self._headings[1]

    def confirmations(self) -> list[str]:
        """Sources that can show part of another source to be decoration."""
        return [c for c in (self.headline, self.h1, self.twitter, self.page_title) if c]


def _strip_site(title: str, names: set[str], hosts: set[str], guess: bool) -> str:
    """Remove " | Site name" style suffixes (or prefixes) from a page title.

    `names` are the declared site names, `hosts` names taken from the URL ("globalnews",
    "globalnews.ca"), both normalised (`_norm`): a short tail that holds a host as a word
    goes. `guess`: with no declared site name, take a short tail for one (right for <title>,
    too bold for og:title, whose tails are usually part of the headline). A part that names
    the site ends the title wherever it stands after the first part.
    """
    own = names | hosts
    kicker = re.match(r"(.{2,40}?):\s+", title)  # "Site name: Title"
    if kicker and _norm(kicker.group(1)) in own:
        title = title[kicker.end() :]

    def names_site(part: str) -> bool:
        norm = _norm(part)
        return norm in own or (
            len(part.split()) <= SITE_NAME_MAX_WORDS and any(f" {h} " in f" {norm} " for h in hosts)
        )

    # "Title : Blog name | Motto | Founded 2005": the site's name and all after it go.
    separators = list(_TITLE_SEPARATORS.finditer(title))
    ends = [s.start() for s in separators[1:]] + [len(title)]
    for sep, end in zip(separators, ends[: len(separators)], strict=True):
        if names_site(title[sep.end() : end]):
            title = title[: sep.start()].strip()
            break
    for _ in range(2):  # "Title | Section | Site" loses both tails
        separators = list(_TITLE_SEPARATORS.finditer(title))
        if not separators:
            break
        first, last = separators[0], separators[-1]
        head, tail = title[: first.start()], title[last.end() :]
        if names_site(tail) or (
            guess
            and not names
            and len(tail.split()) <= GUESSED_SITE_TAIL_WORDS
            and len(tail) * 2 < len(title)
        ):
            title = title[: last.start()].strip()
        elif _norm(head) in own:
            title = title[first.end() :].strip()
        else:
            break
    return title


def is_part_of(short: str, long: str) -> bool:
    """Whether `short` is a run of the separator-delimited parts of `long`, not all of it.

    "Kaeser verarscht Neubauer" is a part of "Siemens und die Kohlemine Adani: Kaeser verarscht
    Neubauer" (a kicker before it) and "Steigende US-Zinsen setzen Dax zu" of "Steigende
    US-Zinsen setzen Dax zu | Börsen-Zeitung"; "Rivers rise" is not a part of "Rivers rise
    again", where the rest is no decoration but the headline's own words.
    """
    target, whole = _norm(short), _norm(long)
    if not target or target == whole or target not in whole:
        return False
    cuts = [0]
    for match in _PART_SEPARATORS.finditer(long):
        cuts.extend((match.start(), match.end()))
    cuts.append(len(long))
    starts, ends = cuts[0::2], cuts[1::2]
    lowered = long.lower()
    if len(lowered) != len(long):  # lower() changed lengths: word spans would not line up
        return any(
            _norm(long[start:end]) == target
            for i, start in enumerate(starts)
            for end in ends[i:]
            if end > start
        )
    # Separators never split a word, so a part's words are those wholly inside it: for each
    # start, the target's words must follow it, and some end must fall after the last of them
    # and before the next word. Linear in the title's length (a title of a thousand separators
    # took minutes when every part was normalised).
    spans = [(m.start(), m.end()) for m in _WORD_RUN.finditer(lowered)]
    words = [lowered[a:b] for a, b in spans]
    word_starts = [a for a, _ in spans]
    wanted = target.split(" ")
    size = len(wanted)
    for i, start in enumerate(starts):
        first = bisect.bisect_left(word_starts, start)
        if words[first : first + size] != wanted:
            continue
        low = spans[first + size - 1][1]
        high = spans[first + size][0] if first + size < len(spans) else len(long)
        k = bisect.bisect_left(ends, max(low, start + 1), lo=i)
        if k < len(ends) and ends[k] <= high:
            return True
    return False


_WORD_RUN = re.compile(r"\w+")


def title(tree: HtmlElement, sources: MetadataSources, url: str | None = None) -> str | None:
    """The article headline without site-name, section or kicker decoration.

    og:title (else twitter:title, else the JSON-LD headline) is the declared headline; a
    shorter form of it that another source states wins (see `is_part_of`). Pages that declare
    none fall back on the article's h1, then dc.title / JSON-LD name, then the <title>.
    """
    found = TitleCandidates(tree, sources, url)
    primary = found.og or found.twitter or found.headline
    if not primary:
        return found.h1 or next(iter(found.other), None) or found.page_title
    if _shown_headline_differs(primary, found):
        return found.headline or primary
    return _undecorated(primary, found)


def _shown_headline_differs(primary: str, found: TitleCandidates) -> bool:
    """The JSON-LD headline and the headline shown on the page agree, in other words than
    `primary` (a social or SEO variant written for sharing).

    Two sources against one: the declared headline is the article's own, and the reader sees
    it. A `primary` that is only a shorter form of it (its kicker left off) is kept, and so is
    a live blog's: its headline and h1 are the running label ("UK riots LIVE: ..."), its
    og:title is retitled with the latest news.
    """
    headline = found.headline
    if not headline or found.live_blog or _norm(primary) == _norm(headline):
        return False
    shown = found.visible
    return bool(
        shown
        and _norm(headline) == _norm(shown)
        and not is_part_of(primary, headline)
        and not is_part_of(headline, primary)
    )


def _undecorated(primary: str, found: TitleCandidates) -> str:
    """`primary` without decoration that the page itself shows to be decoration.

    The shortest source that states a part of it wins ("Title | Paper" beside an h1
    "Title"), unless the JSON-LD headline repeats `primary` as it is: its kicker or tail is
    then part of the headline as published, even where the h1 sets the kicker apart.
    """
    if found.headline and _norm(found.headline) == _norm(primary):
        return primary
    parts = [c for c in found.confirmations() if is_part_of(c, primary)]
    return min(parts, key=len) if parts else primary


def _headings(tree: HtmlElement, own_names: set[str]) -> tuple[str | None, str | None]:
    """The first h1 that is not the site's logo, and the headline shown above the article.

    Blog themes set the site name in an h1 (a link home, a logo class, the site's name);
    such an h1 is never the headline. Many news templates put an h1 with the SEO title in
    the breadcrumb trail and show the headline in an h2 of the article's header: the shown
    headline is the first h1 outside navigation, else the first h2 of an ``<article>`` or
    ``<hgroup>``. Kickers set apart in the heading are left out of both.
    """
    first = visible = shown_h2 = None
    for heading in tree.iter("h1", "h2"):  # one walk of the page for both
        if heading.tag == "h2":
            if shown_h2 is None and _in_article_header(heading):
                text = _h1_text(heading)
                shown_h2 = text if 3 <= len(text) <= TITLE_MAX_CHARS else None
            continue
        text = _h1_text(heading)
        if not 3 <= len(text) <= TITLE_MAX_CHARS or _is_logo(heading, text, own_names):
            continue
        first = first or text
        if not _in_navigation(heading):
            visible = text
            break
    return first, visible or shown_h2


def _in_article_header(h2: HtmlElement) -> bool:
    """An h2 in an ``<hgroup>`` or anywhere inside an ``<article>``."""
    parent = h2.getparent()
    return (parent is not None and parent.tag == "hgroup") or any(
        a.tag == "article" for a in h2.iterancestors()
    )


def _in_navigation(element: HtmlElement) -> bool:
    """Inside a ``<nav>`` or a breadcrumb trail."""
    return any(
        a.tag == "nav" or "crumb" in (a.get("class") or "").lower() for a in element.iterancestors()
    )


def _h1_text(h1: HtmlElement) -> str:
    """The h1's text; a kicker set in a child element of its own, before the headline, and
    the hidden separator after it are left out."""
    children = [c for c in h1 if isinstance(c.tag, str) and text_of(c)]
    if len(children) < 2 or not _KICKER_CLASS.search(children[0].get("class") or ""):
        return text_of(h1)
    clone = copy.deepcopy(h1)
    kept = [c for c in clone if isinstance(c.tag, str) and text_of(c)]
    for child in kept[:1] + [c for c in kept[1:] if _HIDDEN_CLASS.search(c.get("class") or "")]:
        child.drop_tree()
    return clean_text(text_of(clone).lstrip(":-–—|/ "))


def _is_logo(h1: HtmlElement, text: str, own_names: set[str]) -> bool:
    """An h1 holding the site's name or logo: a link to the home page, or a logo class."""
    if _norm(text) in own_names or _LOGO_CLASS.search(h1.get("class") or ""):
        return True
    links = h1.xpath(".//a[@href]")
    if len(links) == 1 and text_of(links[0]) == text:
        href = links[0].get("href") or ""
        # The path after the last "//": an archived page links to the archived home page.
        return re.sub(r"^.*//[^/]*", "", href) in ("", "/")
    return False
