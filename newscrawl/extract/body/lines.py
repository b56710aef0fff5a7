"""Stage 4b of the generic body: lines that are page furniture, not story text.

The paragraph walk keeps blocks of text; some of them are crumbs the walk leaves behind even
inside the story's block: one-word labels, photo credits, "Advertisement", prompts to sign
in or subscribe, "Read also" labels, share-button rows, datelines and agency credits.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from .. import lexicon
from ..thresholds import (
    AGENCY_CREDIT_MAX_CHARS,
    CALL_TO_ACTION_MAX_CHARS,
    CREDIT_MAX_CHARS,
    DATELINE_MAX_CHARS,
    DATELINE_NAME_WORDS,
    LINE_MIN_CHARS,
    LINE_MIN_WORDS,
    PROMPT_MAX_CHARS,
)

_WORDS = re.compile(r"\w+")


def trim(paragraphs: list[str]) -> list[str]:
    """Drop crumbs the block walk leaves behind: one-word labels, photo credits, ad labels."""
    return [p for p in paragraphs if is_story_line(p)]


def is_story_line(p: str) -> bool:
    """Whether a paragraph can be story text: not one of the crumbs `trim` drops."""
    if len(p) <= LINE_FILTER_MAX_CHARS:
        return not any(line_hits(p))
    return not any(hit(p) for _, hit in LINE_FILTERS)


@functools.lru_cache(maxsize=8192)
def line_hits(line: str) -> tuple[bool, ...]:
    """What each of `LINE_FILTERS` says of a line, for lines up to `LINE_FILTER_MAX_CHARS`
    (at most ~5 MB kept). Cached: the rules' paragraph filter and the block model's
    features ask of the same lines, and a site's crumbs ("Share", "Advertisement", its
    sign-up line) recur on every page of it."""
    return tuple(bool(hit(line)) for _, hit in LINE_FILTERS)


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
        and len(parts[0].split()) <= DATELINE_NAME_WORDS
    )


# A short line naming a picture agency or a photo credit is a caption, not article text.
_CREDIT = re.compile(lexicon.PHOTO_CREDITS, re.IGNORECASE)
# Short prompts to subscribe, sign up, donate or share: chrome that sits inside article markup.
_CALL_TO_ACTION = re.compile(rf"\b(?:{lexicon.CALLS_TO_ACTION})\b", re.IGNORECASE)
# Lines that are data or a box label, never prose: a bare URL, a bare timestamp, "Read also",
# the title of a comment form ("Kommentare schreiben", "Leave a reply"), a row of share labels.
_NOT_PROSE = re.compile(
    r"^\s*(?:https?://\S+|\d{4}-\d{2}-\d{2}(?:[T ][\d:.+\-Z]+)?|"
    rf"{lexicon.READ_ALSO_LABELS}|{lexicon.READ_ALSO_LINE_LABELS}|{lexicon.COMMENT_FORM_TITLES}|"
    r"(?:related|previous|next) (?:post|article|story)\s*:.{0,120}|"
    rf"(?:{lexicon.SHARE_LABELS})?\W*(?:(?:{lexicon.SHARE_NETWORKS})\W*){{2,}})\W*$",
    re.IGNORECASE,
)
# A WordPress shortcode the theme failed to render: "[button link=...]Send us a review[/button]".
_SHORTCODE = re.compile(r"^\s*\[(?P<tag>[a-z_-]+)(?:\s[^\]]*)?\].{0,200}\[/(?P=tag)\]\W*$", re.I)
# Paywall, registration, newsletter and consent prompts that sit inside article markup:
# boxes of a few lines that say so, dropped whole (see `paragraphs.looks_like_chrome`).
_PROMPT = re.compile(lexicon.PROMPTS, re.IGNORECASE)
# `_PROMPT` without IGNORECASE, for lower-cased text: Python's re cannot skip ahead to a
# possible first letter of a case-insensitive alternation and tries every branch at every
# position, which made this one regex ~4% of all extraction time.
_PROMPT_LOWER = re.compile(_PROMPT.pattern)
# Characters that re's IGNORECASE matches to a letter that `str.lower` does not give:
# dotted capital I (whose lower case is two characters), dotless i and the long s.
_CASE_TRAPS = re.compile("[\u0130\u0131\u017f]")


def has_prompt(text: str) -> bool:
    """`_PROMPT.search(text)`, three times faster: the same answer from a case-sensitive
    search of the lower-cased text, unless the text holds one of the `_CASE_TRAPS`."""
    if _CASE_TRAPS.search(text):
        return bool(_PROMPT.search(text))
    return bool(_PROMPT_LOWER.search(text.lower()))


# Agency and contributor credits at the foot of a story: "mit dpa", "sak/Reuters",
# "John Doe contributed to this report".
_AGENCY_CREDIT = re.compile(
    rf"contributed to this report|^\W*with reporting by\b|^\W*mit (?:{lexicon.AGENCIES})\W*$|"
    rf"^\w{{1,5}}/(?:{lexicon.AGENCIES})\W*$",
    re.IGNORECASE,
)
_DATE = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
_MONTHS = rf"{lexicon.MONTHS}[a-zäéû]*\.?"
# "24. März 2004", "March 24, 2004", "24 March 2004": dates written with the month's name.
# Romance languages join the parts with "de"/"del"/"di": "22 de janeiro de 2018".
_MONTH_DATE = re.compile(
    rf"\b\d{{1,2}}\.?\s+(?:de\s+|di\s+)?{_MONTHS},?\s+(?:de\s+|del\s+)?\d{{4}}\b|"
    rf"\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",
    re.IGNORECASE,
)
# Weekday names that open a dateline ("segunda-feira, 22 de janeiro de 2018 às 0:13").
_WEEKDAY = re.compile(rf"\b(?:{lexicon.WEEKDAYS})(?:-feira)?\b", re.IGNORECASE)
_BYLINE_SEPARATOR = re.compile(r"\s[|·•]\s")
_CLOCK = re.compile(r"\b\d{1,2}[.:h]\d{2}\b(?:\s*[ap]\.?m\.?)?", re.IGNORECASE)
_DATE_LABEL = re.compile(rf"\b(?:{lexicon.DATE_LABELS})\b", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_AD_LABEL = re.compile(rf"^\W*(?:{lexicon.AD_LABELS})\W*$", re.IGNORECASE)


# The crumbs `is_story_line` drops, one test each, in the order they are tried (the block
# model reads each as a feature of its own: `blocks.FEATURE_NAMES`).
LINE_FILTERS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("crumb", lambda p: len(_WORDS.findall(p)) < LINE_MIN_WORDS and len(p) < LINE_MIN_CHARS),
    ("credit", lambda p: len(p) < CREDIT_MAX_CHARS and bool(_CREDIT.search(p))),
    ("ad_label", lambda p: bool(_AD_LABEL.match(p))),
    (
        "call_to_action",
        lambda p: len(p) < CALL_TO_ACTION_MAX_CHARS and bool(_CALL_TO_ACTION.search(p)),
    ),
    ("prompt", lambda p: len(p) <= PROMPT_MAX_CHARS and has_prompt(p)),
    ("not_prose", lambda p: bool(_NOT_PROSE.match(p))),
    ("shortcode", lambda p: bool(_SHORTCODE.match(p))),
    (
        "agency_credit",
        lambda p: len(p) < AGENCY_CREDIT_MAX_CHARS and bool(_AGENCY_CREDIT.search(p)),
    ),
    ("dateline", lambda p: len(p) < DATELINE_MAX_CHARS and _dateline(p)),
)
# No filter matches a longer line (the longest bounds are the prompt's and the patterns'
# own): the block model skips them on longer blocks.
LINE_FILTER_MAX_CHARS = PROMPT_MAX_CHARS
