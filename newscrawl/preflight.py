"""Checks made before a crawl starts, so a mistake is one line and an exit status, not a
traceback in the middle of Scrapy's start-up log.

`check_crawl` runs them for ``scrapy crawl`` (newscrawl/commands/crawl.py) and for every site
of ``newscrawl crawl``: the spider exists (or its profile file says what is wrong), newscrawl's
settings have values of the right type, the ``-a`` arguments are known and well-formed, and the
database can be opened for writing.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import config
from .arguments import ArgumentError
from .runs import EXIT_STATUSES

STORE_PIPELINE = "newscrawl.pipelines.SQLiteStorePipeline"


class CrawlRefused(Exception):
    """The crawl cannot start; ``str()`` is the one line to print, `exit_status` the code."""

    def __init__(self, message: str, outcome: str = "usage"):
        super().__init__(message)
        self.exit_status = EXIT_STATUSES[outcome][0]


def spider_class(spider_loader: Any, name: str) -> type:
    """The spider class `name`, or CrawlRefused saying why there is none."""
    try:
        return spider_loader.load(name)
    except KeyError:
        pass
    from .profiles import profile_errors

    errors = profile_errors()
    for error in errors:
        if error.spider == name:
            raise CrawlRefused(
                f"spider {name} is not available, its profile is malformed: {error}"
                " (fix the file; docs/sites.md lists the keys)"
            )
    known = ", ".join(sorted(spider_loader.list())) or "none"
    hint = "".join(f"; {e}" for e in errors if e.spider is None)  # e.g. a missing sites folder
    raise CrawlRefused(f"no spider named {name!r} (known: {known}){hint}")


def check_settings(settings: Mapping[str, Any]) -> None:
    problems = config.check(settings)
    if problems:
        raise CrawlRefused(problems[0])


def check_arguments(spidercls: type, spargs: Mapping[str, Any]) -> None:
    checker = getattr(spidercls, "check_arguments", None)
    if checker is None:
        return
    try:
        checker(dict(spargs))
    except ArgumentError as exc:
        raise CrawlRefused(str(exc)) from None


def stores_items(settings: Any) -> bool:
    """Whether this crawl writes the database (the store pipeline is on, not contract mode)."""
    if config.get(settings, "NEWSCRAWL_CHECK"):
        return False
    if config.get(settings, "NEWSCRAWL_REDIS_STORE") and config.get(
        settings, "NEWSCRAWL_REDIS_URL"
    ):
        return False  # a worker: its pages go to the Redis writer, which has the database
    pipelines = settings.getdict("ITEM_PIPELINES") if hasattr(settings, "getdict") else {}
    return pipelines.get(STORE_PIPELINE) is not None


def check_database(path: str | os.PathLike[str]) -> None:
    """Open (creating if needed) the database for writing, or CrawlRefused with the path and
    the fix: a usage error for a path that cannot be a database, a store error (exit 6) for a
    database that is there but cannot be written now (locked, disk full)."""
    from .store import open_store

    path = Path(path)
    fix = "choose another path with -s NEWSCRAWL_DB=PATH or the NEWSCRAWL_DB environment variable"
    try:
        open_store(path).close()
    except (FileExistsError, NotADirectoryError):
        raise CrawlRefused(
            f"cannot create the database {path} (NEWSCRAWL_DB): a file is in the way of its"
            f" folder {path.parent}; {fix}"
        ) from None
    except OSError as exc:
        raise CrawlRefused(
            f"cannot create the database {path} (NEWSCRAWL_DB): {exc.strerror or exc}; {fix}"
        ) from None
    except sqlite3.DatabaseError as exc:
        message = str(exc)
        if "locked" in message or "disk" in message or "full" in message:
            raise CrawlRefused(
                f"cannot write the database {path} (NEWSCRAWL_DB): {message}; another process"
                " may hold it: run again when it is done",
                "store_error",
            ) from None
        if "not a database" in message:
            raise CrawlRefused(
                f"{path} (NEWSCRAWL_DB) is not an SQLite database: {message}; {fix}"
            ) from None
        raise CrawlRefused(
            f"cannot open the database {path} (NEWSCRAWL_DB) for writing: {message}; {fix}"
        ) from None
    except RuntimeError as exc:  # a schema newer than this newscrawl
        raise CrawlRefused(f"{path} (NEWSCRAWL_DB): {exc}") from None


def check_crawl(spider_loader: Any, name: str, spargs: Mapping[str, Any], settings: Any) -> type:
    """Every check before `name` is crawled; returns its spider class."""
    spidercls = spider_class(spider_loader, name)
    check_settings(settings)
    check_arguments(spidercls, spargs)
    if stores_items(settings):
        check_database(config.get(settings, "NEWSCRAWL_DB"))
    return spidercls
