"""Spider arguments (``-a NAME=VALUE``): declared, checked and refused in one line.

Why: Scrapy hands every ``-a`` to the spider as a string attribute. A misspelt name
(``max_artciles``) was silently ignored, ``since=yesterday`` ended in a traceback inside
"Task exception was never retrieved", ``max_articles=-1`` stopped the crawl at once. Each spider
declares its arguments as `Argument`s; `parse_arguments` converts them or raises an
`ArgumentError` whose message names the argument, the value and the fix. newscrawl's ``crawl``
command checks them before Scrapy starts, so a mistake is one line and exit status 2.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .urls import is_http_url


class ArgumentError(ValueError):
    """A spider argument is unknown, missing or has a bad value (one-line message)."""


@dataclass(frozen=True)
class Argument:
    """One ``-a NAME=VALUE`` a spider accepts."""

    name: str
    parse: Callable[[str], Any]  # raises ValueError with the expected form as its message
    help: str
    example: str
    required: bool = False


def whole_number(value: str | int) -> int:
    """A whole number >= 0 (0 meaning no limit where the argument says so)."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError("is not a whole number") from None
    if number < 0:
        raise ValueError("must be a whole number >= 0")
    return number


def yes_no(value: str | bool) -> bool:
    """true/false, yes/no, on/off, 1/0."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError("is not true or false")


def iso_date(value: str | date) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError("is not a date (YYYY-MM-DD)") from None


def http_url(value: str) -> str:
    value = str(value).strip()
    if not is_http_url(value):
        raise ValueError("is not an http(s) URL")
    return value


def _ignored(name: str) -> bool:
    """Arguments schedulers add on their own (scrapyd passes ``_job``): accepted, unused."""
    return name.startswith("_")


def parse_arguments(
    spider: str, known: Iterable[Argument], given: Mapping[str, Any]
) -> dict[str, Any]:
    """`given` converted by the `known` arguments; ArgumentError on the first problem."""
    known = {argument.name: argument for argument in known}
    for name in given:
        if name not in known and not _ignored(name):
            raise ArgumentError(
                f"unknown argument -a {name} for spider {spider}"
                f" (known: {', '.join(sorted(known)) or 'none'})"
            )
    values = {}
    for name, argument in known.items():
        raw = given.get(name)
        if raw is None or raw == "":
            if argument.required:
                raise ArgumentError(
                    f"spider {spider} needs -a {name}=... ({argument.help}),"
                    f" e.g. scrapy crawl {spider} -a {name}={argument.example}"
                )
            values[name] = None
            continue
        try:
            values[name] = argument.parse(raw)
        except ValueError as exc:
            raise ArgumentError(
                f"-a {name}={raw!r} {exc}; {argument.help}, e.g. -a {name}={argument.example}"
            ) from None
    return values
