"""Tidying found comments: header and footer lines that only repeat the author or the date,
comments that were only controls, and ids that repeat on one page."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from .. import lexicon
from ..result import CommentData
from ..thresholds import (
    HEADER_LINE_MAX_CHARS,
    NAME_LINE_MAX_CHARS,
)
from .text import CHROME_LINE

# A comment's header or footer line that is only its date ("März 7, 2018", "Jun 20th at 2:41
# am", "(15.05.2019)", "22.09.20 | 12:45"), possibly beside the author's name ("Tobsen · April
# 19, 2019", "23.09.20 | 18:19 emari").


def _by_first_letter(alternation: str) -> str:
    """``(?:jan|jun|feb)`` as ``(?:j(?:an|un)|f(?:eb))``: the same matches (alternatives
    keep their order within a letter, and no two letters match the same character), but
    `re` tries one branch a position instead of each of 32, which made `_DATE_LINE.search`
    cost 16 µs on a 44-character line."""
    words = alternation.removeprefix("(?:").removesuffix(")").split("|")
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0].lower(), []).append(word[1:])
    return "(?:" + "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items()) + ")"


_MONTH = rf"{_by_first_letter(lexicon.MONTHS)}[^\W\d_]*"

_MONTH_DATE = (
    rf"{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\.?,?(?:\s+\d{{4}})?"
    rf"|\d{{1,2}}\.?\s+{_MONTH}\.?(?:\s+\d{{4}})?"
)

_NUM_DATE = r"\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}"


_TIME = (
    rf"(?:,?\s*(?:{lexicon.CLOCK_JOINERS}|-|\|)?\s*\d{{1,2}}[:.h]\d{{2}}(?::\d{{2}})?\s*"
    r"(?:[ap]\.?m\.?|uhr)?)"
)

_DATE_LINE = re.compile(rf"(?:{_NUM_DATE}|{_MONTH_DATE}){_TIME}?", re.I)


# A part that is only a time ("12:45", "9:10 PM"), and a time opening a name part.
_TIME_ONLY = re.compile(_TIME, re.I)

_LEADING_TIME = re.compile(rf"^{_TIME}\s*", re.I)


# What parts a header line: a separator between spaces, or a bar.
_SEPARATOR = re.compile(r"\s+[·|•–—-]\s+|\s*\|\s*")
_SEPARATORS = frozenset("·|•–—-")

_NAME_PART = re.compile(r"[^\s·|]{2,}(?:\s[^\s·|]+){0,3}")


def tidy(comment: CommentData) -> CommentData | None:
    """Drop a comment's header and footer lines that only repeat its author or date (themes
    that print "Name · date" beside the text rather than in marked-up fields), take the
    author from such a line when no field gave it, and drop a comment that was only controls
    (a lone "Log In" or "Reply")."""
    lines = [line for line in comment.text.split("\n\n") if not CHROME_LINE.match(line)]
    if not lines and comment.text:
        return None
    for end in (0, -1):
        while lines:
            line = lines[end].strip(" ()[]")
            # The author's name closing the text is the reader's sign-off: it stays.
            author = _header_author(line, comment.author if end == 0 else None)
            if author is None:
                break
            if author and not comment.author:
                comment.author = author
            # (The search only when it is wanted: on a 44-character line it costs 10 µs.)
            if not comment.published and (date := _DATE_LINE.search(line)):
                comment.published = date.group(0)
            del lines[end]
        if (
            end == 0
            and len(lines) > 1
            and not comment.author
            and _header_author(lines[1].strip(" ()[]"), None) == ""
            and _NAME_PART.fullmatch(lines[0])
            and len(lines[0]) <= NAME_LINE_MAX_CHARS
        ):
            # "dottoressa" then "März 7, 2018": the first line is the author's name
            comment.author = lines[0].strip()
            comment.published = comment.published or lines[1].strip(" ()[]")
            del lines[0:2]
    if not lines:
        return None
    comment.text = "\n\n".join(lines)
    return comment


@lru_cache(maxsize=4096)
def _header_author(line: str, author: str | None) -> str | None:
    """For a line that is only a date, or an author and a date, or the author's name: the
    name it holds ('' when none); None when the line is the reader's own words."""
    if author and line == author:
        return author
    if _DATE_LINE.fullmatch(line):
        return ""
    # Cheap tests first: a long line, or one without a separator, is not one of name and
    # date (the split costs 15 µs on a paragraph, and every comment has one).
    if len(line) > HEADER_LINE_MAX_CHARS or _SEPARATORS.isdisjoint(line):
        return None
    parts = [p.strip() for p in _SEPARATOR.split(line) if p.strip()]
    if len(parts) < 2:
        return None
    dates = [p for p in parts if _DATE_LINE.fullmatch(p) or _TIME_ONLY.fullmatch(p)]
    if not dates:
        match = _DATE_LINE.match(line)
        rest = line[match.end() :].strip(" |·-") if match else ""
        return rest if match and _NAME_PART.fullmatch(rest) else None
    names = [_LEADING_TIME.sub("", p) for p in parts if p not in dates]
    if len(names) > 1 or (names and not _NAME_PART.fullmatch(names[0])):
        return None
    return names[0] if names else ""


def unique_ids(comments: list[CommentData]) -> list[CommentData]:
    """Ids that repeat on one page are not ids (theme counters): drop them, and their parents."""
    counts: dict[str | None, int] = defaultdict(int)
    for comment in comments:
        counts[comment.id] += 1
    bad = {i for i, n in counts.items() if i is not None and n > 1}
    for comment in comments:
        if comment.id in bad:
            comment.id = None
        if comment.parent_id in bad:
            comment.parent_id = None
    return comments
