"""The registry of newscrawl's own settings: each ``NEWSCRAWL_*`` setting defined once.

Why: a default written in ``settings.py``, again as a ``getint(..., 200)`` fallback in a
component and a third time in the docs drifts. Here each setting is one `Setting` entry (name,
default, type, help); ``settings.py`` takes its defaults from `scrapy_defaults`, components read
values through `get` (typed, with the registry's default), and docs/settings.md holds the table
`markdown_table` renders (tests/test_settings_registry.py fails when they differ).

Adding a setting: append one `Setting(...)` to `REGISTRY`, read it with
``config.get(crawler.settings, "NEWSCRAWL_...")``, then paste ``python -m newscrawl.config``'s
table into docs/settings.md.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

TYPES = ("bool", "int", "float", "str", "path", "json")


class SettingError(ValueError):
    """A setting has a value of the wrong type; the message names the setting and the value."""


@dataclass(frozen=True)
class Setting:
    """One newscrawl setting.

    ``source``: ``"scrapy"`` for a Scrapy setting (``-s NAME=VALUE``, ``settings.py``,
    scrapyd's ``setting=``), ``"env+scrapy"`` when the environment variable of the same name
    also sets its default, ``"env"`` for one read from the environment only (needed before any
    Scrapy settings exist, e.g. to find the spiders).
    """

    name: str
    default: Any
    type: str
    help: str
    group: str
    source: str = "scrapy"
    minimum: float | None = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: unknown type {self.type!r}")
        if not self.name.startswith("NEWSCRAWL_"):
            raise ValueError(f"{self.name}: newscrawl settings start with NEWSCRAWL_")

    def initial(self) -> Any:
        """The value ``settings.py`` starts from: the environment variable when it may set it."""
        if self.source == "env+scrapy" and self.name in os.environ:
            return os.environ[self.name]  # set, even empty (NEWSCRAWL_WARC_DIR= turns it off)
        return self.default

    def convert(self, value: Any) -> Any:
        """`value` (from settings.py, ``-s``, the environment) as this setting's type."""
        if value is None:
            return self.default
        try:
            converted = _CONVERTERS[self.type](value)
        except (TypeError, ValueError) as exc:
            raise SettingError(
                f"{self.name}={value!r} is not {_A_TYPE[self.type]}"
                f"{': ' + str(exc) if self.type == 'json' else ''} ({self.help})"
            ) from None
        if self.minimum is not None and converted < self.minimum:
            raise SettingError(f"{self.name}={value!r} must be >= {self.minimum:g} ({self.help})")
        return converted


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(value)


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError(value)
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(value)
    return int(str(value).strip()) if isinstance(value, str) else int(value)


def _float(value: Any) -> float:
    if isinstance(value, bool):
        raise TypeError(value)
    return float(value)


def _json(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return value
    text = str(value).strip()
    return json.loads(text) if text else {}


_CONVERTERS = {"bool": _bool, "int": _int, "float": _float, "str": str, "path": str, "json": _json}
_A_TYPE = {"bool": "true or false", "int": "a whole number", "float": "a number",
           "str": "text", "path": "a path", "json": "JSON"}  # fmt: skip


REGISTRY: tuple[Setting, ...] = (
    # --- storage -----------------------------------------------------------------------------
    Setting("NEWSCRAWL_DB", "data/news.db", "path",
            "the SQLite database the crawl writes", "storage", source="env+scrapy"),
    Setting("NEWSCRAWL_DB_BUSY_TIMEOUT", 5.0, "float",
            "seconds one write attempt waits for another process's lock", "storage", minimum=0),
    Setting("NEWSCRAWL_DB_RETRIES", 6, "int",
            "retries of a locked write (pauses growing to 5 s) before the page is spooled",
            "storage", minimum=0),
    Setting("NEWSCRAWL_SPOOL", None, "path",
            "where pages that could not be stored or sent go (JSON lines; default"
            " `<NEWSCRAWL_DB>-spool.jsonl`; `newscrawl store --from-spool` writes them later)",
            "storage"),
    # --- politeness and bad input ------------------------------------------------------------
    Setting("NEWSCRAWL_MAX_CRAWL_DELAY", 30.0, "float",
            "longest robots.txt Crawl-delay / Request-rate interval honoured, in seconds; a host"
            " asking for more is skipped", "politeness", minimum=0),
    Setting("NEWSCRAWL_RETRY_AFTER_MAX", 300.0, "float",
            "longest Retry-After wait, in seconds; a server asking for more is given up on",
            "politeness", minimum=0),
    Setting("NEWSCRAWL_MIRRORS", "", "json",
            '{"public_origin": "mirror_origin"} JSON: fetch a site from a copy of it',
            "politeness", source="env+scrapy"),
    Setting("NEWSCRAWL_MAX_TITLE_CHARS", 1_000, "int",
            "longer titles are cut (counted: newscrawl/capped/title)", "politeness", minimum=1),
    Setting("NEWSCRAWL_MAX_LEAD_CHARS", 5_000, "int",
            "longer leads are cut (counted: newscrawl/capped/lead)", "politeness", minimum=1),
    Setting("NEWSCRAWL_MAX_RELATED_LINKS", 500, "int",
            "related links kept per page, 0: all (counted: newscrawl/capped/related_links)",
            "politeness", minimum=0),
    Setting("NEWSCRAWL_MAX_FOLLOW_LINKS", 2_000, "int",
            "links followed per page, 0: all (counted: newscrawl/capped/follow_links)",
            "politeness", minimum=0),
    # --- archive (WARC) ----------------------------------------------------------------------
    Setting("NEWSCRAWL_WARC_DIR", None, "path",
            "WARC files of every response, under DIR/<site>/; unset: warc/ beside NEWSCRAWL_DB"
            " (a NEWSCRAWL_REDIS_STORE worker: warc/ in its working folder); empty: no archive", "archive", source="env+scrapy"),
    Setting("NEWSCRAWL_WARC_MAX_SIZE", 1_000_000_000, "int",
            "bytes per WARC file before the next one is started", "archive", minimum=1),
    # --- incremental runs ----------------------------------------------------------------------
    Setting("NEWSCRAWL_INCREMENTAL", True, "bool",
            "conditional requests and the revisit policy; False for a full re-crawl",
            "incremental"),
    Setting("NEWSCRAWL_REVISIT_RECENT_DAYS", 7.0, "float",
            "articles published less than this many days ago are recent"
            " (profile: [revisit] recent_days)", "incremental", minimum=0),
    Setting("NEWSCRAWL_REVISIT_RECENT_HOURS", 0.0, "float",
            "a recent article is due again after this many hours, 0: every run"
            " (profile: [revisit] recent_every_hours)", "incremental", minimum=0),
    Setting("NEWSCRAWL_REVISIT_OLDER_DAYS", 30.0, "float",
            "an older article is due again after this many days"
            " (profile: [revisit] older_every_days)", "incremental", minimum=0),
    Setting("NEWSCRAWL_REVISIT_LIMIT", 0, "int",
            "at most this many due known articles asked for per run (0: all)", "incremental",
            minimum=0),
    # --- comments --------------------------------------------------------------------------------
    Setting("NEWSCRAWL_MAX_COMMENT_PAGES", 50, "int",
            "comment pages (HTML or API) read for one article's thread", "comments", minimum=1),
    Setting("NEWSCRAWL_DISCOVER_COMMENT_API", True, "bool",
            "read the WordPress REST comments of pages that load them with JavaScript"
            " (no profile needed)", "comments"),
    # --- sites -------------------------------------------------------------------------------------
    Setting("NEWSCRAWL_SITES_DIR", "", "str",
            "extra folders of site profiles, os.pathsep-separated; unset:"
            " ~/.config/newscrawl/sites (environment only: read before the spiders exist)",
            "sites", source="env"),
    # --- runs: progress and contracts ------------------------------------------------------------
    Setting("NEWSCRAWL_PROGRESS_FILE", "", "path",
            "file a crawl rewrites with its progress as JSON (`newscrawl crawl` sets it)",
            "runs"),
    Setting("NEWSCRAWL_PROGRESS_SECONDS", 1.0, "float",
            "how often the progress file is rewritten", "runs", minimum=0.1),
    Setting("NEWSCRAWL_CHECK", False, "bool",
            "contract mode: nothing is written, no fetch state is read (`scrapy check` sets it)",
            "runs"),
    # --- distributed mode (scrapy-redis) --------------------------------------------------------
    Setting("NEWSCRAWL_REDIS_URL", "", "str",
            "Redis URL (redis://127.0.0.1:6379/0); set = distributed mode", "distributed",
            source="env+scrapy"),
    Setting("NEWSCRAWL_REDIS_KEY", "newscrawl:%(spider)s", "str",
            "prefix of one crawl's Redis keys; change it to run two separate crawls of one spider",
            "distributed"),
    Setting("NEWSCRAWL_REDIS_IDLE_SECONDS", 5.0, "float",
            "a worker closes once the whole crawl was idle this long", "distributed", minimum=0),
    Setting("NEWSCRAWL_REDIS_WORKER_TIMEOUT", 60.0, "float",
            "a worker without a heartbeat this long is dead: its leases go back to the queue",
            "distributed", minimum=0),
    Setting("NEWSCRAWL_REDIS_STORE", False, "bool",
            "workers send pages to a Redis stream and never open the database"
            " (`newscrawl store --from-redis` is the one writer)", "distributed"),
    Setting("NEWSCRAWL_REDIS_STREAM", "newscrawl:items", "str",
            "the item stream (and prefix of its lock, epoch, dead letters)", "distributed"),
    Setting("NEWSCRAWL_REDIS_STATE_KEY", "newscrawl:state", "str",
            "prefix of the ledger copy the Redis writer keeps", "distributed"),
    Setting("NEWSCRAWL_REDIS_ALLOW_REMOTE", False, "bool",
            "accept a Redis URL that is not on this machine (see docs/scaling.md)",
            "distributed"),
)  # fmt: skip

SETTINGS: dict[str, Setting] = {s.name: s for s in REGISTRY}
if len(SETTINGS) != len(REGISTRY):  # pragma: no cover - a typo when adding an entry
    raise RuntimeError("a newscrawl setting is defined twice in config.REGISTRY")


def setting(name: str) -> Setting:
    """The registry entry `name`; a KeyError naming the registry for unknown names."""
    try:
        return SETTINGS[name]
    except KeyError:
        raise KeyError(f"{name} is not in newscrawl.config.REGISTRY") from None


def get(settings: Mapping[str, Any] | None, name: str) -> Any:
    """The typed value of setting `name` in Scrapy `settings` (or the environment, for an
    environment-only setting); the registry's default when unset."""
    entry = setting(name)
    if entry.source == "env" or settings is None:
        return entry.convert(os.environ.get(name) if entry.source != "scrapy" else None)
    return entry.convert(settings.get(name))


def default(name: str) -> Any:
    """The registry's default of `name` (for code with no crawler settings at hand)."""
    return setting(name).default


def check(settings: Mapping[str, Any]) -> list[str]:
    """One line per newscrawl setting whose value has the wrong type (empty when all are fine)."""
    problems = []
    for entry in REGISTRY:
        try:
            get(settings, entry.name)
        except SettingError as exc:
            problems.append(str(exc))
    return problems


def scrapy_defaults() -> dict[str, Any]:
    """What settings.py assigns: every setting Scrapy carries, at its initial value."""
    return {s.name: s.initial() for s in REGISTRY if s.source != "env"}


def _shown_default(entry: Setting) -> str:
    value = entry.default
    if value == "" or value is None:
        text = "empty"
    elif isinstance(value, float) and value.is_integer():
        text = f"`{int(value)}`"
    else:
        text = f"`{value}`"
    if entry.source == "env+scrapy":
        text += f" (or `${entry.name}`)"
    return text


def markdown_table() -> str:
    """The settings table of docs/settings.md, generated from the registry."""
    where = {"scrapy": "setting", "env+scrapy": "setting, env", "env": "env"}
    lines = ["| setting | default | type | set by | meaning |", "|---|---|---|---|---|"]
    for entry in REGISTRY:
        lines.append(
            f"| `{entry.name}` | {_shown_default(entry)} | {entry.type} | {where[entry.source]}"
            f" | {entry.help.replace('|', '/')} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(markdown_table() + "\n")
