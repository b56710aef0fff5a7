"""Date parsing to ISO 8601 with a UTC offset.

Sites write dates every way there is (ISO, RFC 822 in feeds, "27 janvier 2025 à 14 h 03").
Everything we store goes through `to_iso8601`, so the database holds one comparable form.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

_ISO_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_PLAUSIBLE = (1990, 2100)
# What free text needs to be a date at all: a year, two numbers apart, or a word (a month's
# name, "ago", 月).
_DATE_SHAPE = re.compile(r"\d{4}|\d\D+\d|[^\W\d_]")


@lru_cache(maxsize=64)
def _zone(name: str | None) -> tzinfo:
    if not name:
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return timezone.utc


def _with_zone(value: datetime, tz_name: str | None) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=_zone(tz_name))
    return value


_TWELVE_HOUR = re.compile(r"\d\s*([ap])\.?\s?m\b\.?", re.I)


def _twelve_hour(value: datetime, text: str) -> datetime:
    """RFC 2822 parsing reads "Oct 14, 2025 9:40 pm" and drops the "pm": put it back."""
    marker = _TWELVE_HOUR.search(text)
    if marker is None or value.hour > 12:
        return value
    if marker.group(1).lower() == "p" and value.hour < 12:
        return value.replace(hour=value.hour + 12)
    if marker.group(1).lower() == "a" and value.hour == 12:
        return value.replace(hour=0)
    return value


def parse_datetime(
    value: object, tz_name: str | None = None, languages: tuple[str, ...] | None = None
) -> datetime | None:
    """Parse `value` into an aware datetime, or None when it holds no plausible date.

    Naive dates get the site's time zone (`tz_name`, e.g. "Europe/Paris"), else UTC.
    Free text is read in `languages` (from `date_languages`), else in every language.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return _with_zone(value, tz_name)
    text = " ".join(str(value).split())
    if not text or len(text) > 120:
        return None
    return _parse_text(text, tz_name, languages)


@lru_cache(maxsize=8192)
def _parse_text(
    text: str, tz_name: str | None, languages: tuple[str, ...] | None
) -> datetime | None:
    """`parse_datetime` of a collapsed text, once per text: a page asks for the same date
    again and again (each comment's date when it is found and when it is stored, a date
    stated by several metadata sources), and the RFC 822 attempt alone costs ~25 µs."""
    parsed: datetime | None = None
    if _ISO_LIKE.match(text):
        candidate = text.replace("Z", "+00:00").replace(" ", "T", 1)
        # Python < 3.11 and odd sites: "+0100" offsets, fractional seconds of any length.
        candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)
        candidate = re.sub(r"(\.\d{6})\d+", r"\1", candidate)
        try:
            parsed = datetime.fromisoformat(candidate)
        except ValueError:
            parsed = None
    if parsed is None:
        try:
            parsed = _twelve_hour(parsedate_to_datetime(text), text)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        parsed = _english_day(text)
    if parsed is None:
        parsed = _dateparser(text, languages)
    if parsed is None or not (_PLAUSIBLE[0] <= parsed.year <= _PLAUSIBLE[1]):
        return None
    return _with_zone(parsed, tz_name)


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ENGLISH_DAY = re.compile(
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH})\.?,?"
    rf"|(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?)\s+(?P<y>\d{{4}})",
    re.IGNORECASE,
)


def _english_day(text: str) -> datetime | None:
    """ "November 20, 2025", "Nov. 20 2025", "20 Nov 2025": the day alone, read without
    dateparser (which takes ~3 ms for what is most of the dates shown under headlines)."""
    match = _ENGLISH_DAY.fullmatch(text)
    if match is None:
        return None
    month = _MONTHS[(match["m1"] or match["m2"]).lower()]
    try:
        return datetime(int(match["y"]), month, int(match["d1"] or match["d2"]))
    except ValueError:
        return None


def date_languages(*codes: str | None) -> tuple[str, ...] | None:
    """The languages to read free-text dates in, as dateparser codes ("de-DE" counts as "de").

    dateparser guessing among its 200 languages costs tens of milliseconds a call; told the
    page's language (and English, which sites mix in: "2 hours ago"), well under two. Codes
    dateparser does not know are left out; None (every language) when none is left.
    """
    return tuple(dict.fromkeys(c for c in map(_language_code, codes) if c)) or None


def _language_code(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().replace("_", "-").lower()
    for candidate in (code, code.split("-")[0]):
        if candidate in _known_languages():
            return candidate
    return None


@lru_cache(maxsize=1)
def _known_languages() -> frozenset[str]:
    """dateparser's language codes, as a set built once (not a tuple of ~200 codes copied and
    hashed on every call); imported here since dateparser is slow to import."""
    from dateparser.data import language_order

    return frozenset(language_order)


@lru_cache(maxsize=4096)
def _dateparser(text: str, languages: tuple[str, ...] | None) -> datetime | None:
    """Free-text dates in `languages` (see `date_languages`), else in any language.

    dateparser is slow, so this is the last resort, cached per text and languages."""
    import dateparser

    if not re.search(r"\d", text) or not _DATE_SHAPE.search(text):
        return None  # "-1", "5": dateparser would make them a day of this month
    # French/German clock styles dateparser misses: "10 h 12", "10h12 min", "10.12 Uhr".
    text = re.sub(r"\b(\d{1,2})\s*h\s*(\d{2})(?:\s*min)?\b", r"\1:\2", text)
    text = re.sub(r"\b(\d{1,2})\.(\d{2})\s*Uhr\b", r"\1:\2", text)
    try:
        return dateparser.parse(
            text,
            languages=list(languages) if languages else None,
            settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False},
        )
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None


def clear_caches() -> None:
    """Forget every date read so far: for a caller that changes what "now" is (relative
    dates, "3 days ago", are read against it and kept with the rest)."""
    _parse_text.cache_clear()
    _dateparser.cache_clear()


def to_iso8601(
    value: object, tz_name: str | None = None, languages: tuple[str, ...] | None = None
) -> str | None:
    """`value` as ISO 8601 with offset (``2025-01-27T10:12:00+01:00``), or None."""
    parsed = parse_datetime(value, tz_name, languages)
    return parsed.isoformat() if parsed else None


def utc_now() -> str:
    """The current time as ISO 8601 UTC, second precision (used for first/last seen)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()
