"""The publication day chosen among the page's stated dates by a learned model.

`metadata.published` takes the first source of a fixed order (JSON-LD, meta tags, microdata,
`<time>`, htmldate). Pages disagree with that order: many state an old `datePublished` and
show "Updated December 4, 2025" under the headline, or state the time in UTC while the page
shows the local day. Here each distinct day the page states (machine-readable sources, the
URL's date, the dates written near the headline, each with the label before it) is a
candidate described by which sources state it, where it lies among the others and what the
shown ones are called; a gradient-boosted model scores each and the best day wins.
Cross-validation by site decides whether it beats the fixed order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from ..dates import to_iso8601
from . import lexicon, metadata, models
from .context import PageContext
from .metadata import _as_text
from .thresholds import SHOWN_MAX_DATES

SOURCES = (
    "rule", "ld_published", "ld_modified", "ld_created", "meta_published", "meta_modified",
    "itemprop_published", "itemprop_modified", "time_article", "time_first", "url",
    "shown_first", "shown_other", "shown_before_title",
)  # fmt: skip
LABELS = ("updated", "published")

FEATURE_NAMES: tuple[str, ...] = (
    *(f"from_{s}" for s in SOURCES),
    *(f"shown_{label}" for label in LABELS),
    "sources", "days", "earliest", "latest", "days_after_earliest", "days_before_latest",
    "has_ld_modified", "has_url_date", "has_shown", "shown_count", "machine_sources",
    "rule_is_modified", "year_gap_rule", "utc_time", "shown_day_apart",
)  # fmt: skip


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")
SHOWN_DATE = re.compile(
    rf"(?:\b\d{{1,2}}(?:st|nd|rd|th)?\.?\s*(?:de\s+)?{lexicon.MONTHS}\w*\.?,?\s*(?:de\s+)?\d{{4}}"
    rf"|\b{lexicon.MONTHS}\w*\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})\b"
    r"|\d{4}年\d{1,2}月\d{1,2}日)",
    re.IGNORECASE,
)
_UPDATED = re.compile(
    r"(?:updated?|modified|last\s+reviewed|reviewed|aktualisiert|mis à jour|actualizado"
    r"|aggiornato|bijgewerkt|uppdaterad|oppdatert|更新)\W*(?:on|am|le|el|il)?\W*$",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(
    r"(?:published|posted|written|veröffentlicht|publié|publicado|pubblicato|gepubliceerd"
    r"|publicerad|publisert|发布|on)\W*(?:on|am|le|el|il)?\W*$",
    re.IGNORECASE,
)


class Stated:
    """The days a page states, each with the sources that state it and its first ISO form."""

    def __init__(self) -> None:
        self.by_day: dict[str, set[str]] = {}
        self.iso: dict[str, str] = {}
        self.labels: dict[str, set[str]] = {}
        self.utc_times: set[str] = set()  # days stated as a UTC clock time ("…T02:41:41Z")

    def add(self, source: str, iso: str | None, label: str | None = None) -> None:
        if not iso or len(iso) < 10:
            return
        day = iso[:10]
        self.by_day.setdefault(day, set()).add(source)
        self.iso.setdefault(day, iso)
        if iso.endswith("+00:00") and iso[11:19] not in ("", "00:00:00"):
            self.utc_times.add(day)
        if label:
            self.labels.setdefault(day, set()).add(label)


def stated_days(ctx: PageContext, rule_raw: str | None) -> Stated:
    """Every day the page states, by source."""
    tree, sources = ctx.tree, ctx.sources

    def iso(raw: object) -> str | None:
        return to_iso8601(raw, ctx.timezone, ctx.date_languages)

    found = Stated()
    found.add("rule", iso(rule_raw))
    ld = sources.jsonld
    found.add("ld_published", iso(_as_text(ld.get("datePublished"))))
    found.add("ld_modified", iso(_as_text(ld.get("dateModified"))))
    found.add("ld_created", iso(_as_text(ld.get("dateCreated"))))
    found.add(
        "meta_published",
        iso(sources.first_meta("article:published_time", "og:published_time", "pubdate", "date")),
    )
    found.add(
        "meta_modified",
        iso(sources.first_meta("article:modified_time", "og:updated_time", "last-modified")),
    )
    for source, raw in metadata.marked_dates(tree, sources).items():
        found.add(source, iso(raw))
    found.add("url", url_day(ctx.url))
    for source, text, label in shown_dates(ctx.lines_after_headline(), ctx.lines_before_headline()):
        found.add(source, iso(text), label)
    return found


def url_day(url: str) -> str | None:
    """The day a URL names (``/2025/12/18/slug``), if it is a real day."""
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def shown_dates(after: list[str], before: list[str]) -> Iterable[tuple[str, str, str | None]]:
    """Dates written near the first headline: (source, text, label before it). `after` and
    `before`: the lines after it and before it, nearest first (`PageContext`)."""
    count = 0
    for source, texts in (("shown", after), ("shown_before_title", before)):
        previous = ""
        for text in texts:
            if count >= SHOWN_MAX_DATES:
                return
            for match in SHOWN_DATE.finditer(text):
                lead = (previous + " " + text[: match.start()])[-40:]
                label = (
                    "updated"
                    if _UPDATED.search(lead)
                    else "published"
                    if _PUBLISHED.search(lead)
                    else None
                )
                name = source
                if source == "shown":
                    name = "shown_first" if count == 0 else "shown_other"
                yield name, match.group(0), label
                count += 1
            previous = text[-40:]


def candidates(ctx: PageContext, rule_raw: str | None) -> tuple[list[str], list[list[float]]]:
    """Each stated day's ISO form and feature row."""
    found = stated_days(ctx, rule_raw)
    days = sorted(found.by_day)
    if not days:
        return [], []
    ordinals = {d: date.fromisoformat(d).toordinal() for d in days}
    first, last = min(ordinals.values()), max(ordinals.values())
    all_sources = set().union(*found.by_day.values())
    rule_day = next((d for d in days if "rule" in found.by_day[d]), None)
    rule_sources = found.by_day.get(rule_day, set()) if rule_day else set()
    shown = [
        d for d in days if found.by_day[d] & {"shown_first", "shown_other", "shown_before_title"}
    ]
    machine = {s for s in all_sources if not s.startswith("shown") and s != "rule"}
    rows = []
    for day in days:
        names = found.by_day[day]
        labels = found.labels.get(day, set())
        rows.append(
            [
                *(float(s in names) for s in SOURCES),
                *(float(label in labels) for label in LABELS),
                len(names),
                len(days),
                float(ordinals[day] == first),
                float(ordinals[day] == last),
                min(ordinals[day] - first, 3650),
                min(last - ordinals[day], 3650),
                float("ld_modified" in all_sources),
                float("url" in all_sources),
                float(bool(shown)),
                len(shown),
                len(names & machine),
                float(bool(rule_sources & {"ld_modified", "meta_modified", "itemprop_modified"})),
                abs(int(day[:4]) - int(rule_day[:4])) if rule_day else -1,
                # A UTC time late or early in the day names the next or previous day of the
                # one the page shows in its own zone.
                float(day in found.utc_times),
                float(any(abs(ordinals[day] - ordinals[d]) == 1 for d in shown)),
            ]
        )
    return [found.iso[d] for d in days], rows


def published(ctx: PageContext, model, collect: dict | None = None) -> str | None:
    """The publication date as ISO 8601: the model's best day, or the fixed order's answer."""
    rule_raw = metadata.published(ctx.tree, ctx.sources)
    rule = to_iso8601(rule_raw, ctx.timezone, ctx.date_languages)
    ctx.rule_answers["published"] = rule
    if model is None and collect is None:
        return rule
    texts, rows = candidates(ctx, rule_raw)
    if collect is not None:
        collect["date_candidates"] = (texts, rows)
    if model is None or not texts:
        return rule
    chosen = texts[models.best_candidate(model, rows)]
    if rule and rule[:10] == chosen[:10]:
        return rule  # the same day: keep the fixed order's full timestamp
    return chosen
