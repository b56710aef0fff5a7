"""A crawl's live progress as a small JSON file, for `newscrawl crawl` to draw.

Why a file: ``newscrawl crawl`` runs each site in its own ``scrapy crawl`` process (one reactor
and one politeness budget per site, a crash stays in its process) and needs their figures while
they run. Parsing log lines would tie it to their wording; instead `ProgressFile` rewrites
``NEWSCRAWL_PROGRESS_FILE`` every ``NEWSCRAWL_PROGRESS_SECONDS`` (atomically: write, then rename)
with the figures below, and a last time with the run's outcome and summary line. Off when the
setting is empty (a plain ``scrapy crawl``).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from . import config
from .runs import crawl_outcome


def snapshot(stats: dict[str, Any], seconds: float) -> dict[str, Any]:
    """The figures a progress line shows, from a crawl's stats."""

    def count(key: str) -> int:
        return int(stats.get(key) or 0)

    pages = max(0, count("downloader/response_count") - count("robotstxt/response_count"))
    failed = sum(int(v) for k, v in stats.items() if k.startswith("newscrawl/failed/"))
    return {
        "pages": pages,
        "articles": count("newscrawl/articles/new") + count("newscrawl/articles/updated"),
        "articles_unchanged": count("newscrawl/articles/unchanged"),
        "comments": count("newscrawl/comments/new") + count("newscrawl/comments/updated"),
        "links": count("newscrawl/links/new"),
        "errors": failed + count("log_count/ERROR"),
        "seconds": round(seconds, 1),
        "pages_per_minute": round(pages / seconds * 60, 1) if seconds > 0 else 0.0,
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Replace `path` with `data` in one rename, so a reader never sees half a file."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data), encoding="utf-8")
    os.replace(partial, path)


def read_progress(path: Path) -> dict[str, Any] | None:
    """The last progress written to `path`, or None (not written yet)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class ProgressFile:
    """Extension: keeps ``NEWSCRAWL_PROGRESS_FILE`` up to date while the crawl runs."""

    def __init__(self, crawler: Any, path: Path, every: float):
        self.crawler = crawler
        self.path = path
        self.every = every
        self.started = time.monotonic()
        self.loop: Any = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressFile:
        path = config.get(crawler.settings, "NEWSCRAWL_PROGRESS_FILE")
        if not path:
            raise NotConfigured  # no message: Scrapy then says nothing (the usual case)
        return cls(crawler, Path(path), config.get(crawler.settings, "NEWSCRAWL_PROGRESS_SECONDS"))

    def figures(self, state: str) -> dict[str, Any]:
        data = snapshot(self.crawler.stats.get_stats(), time.monotonic() - self.started)
        return {"spider": self.crawler.spider.name, "pid": os.getpid(), "state": state, **data}

    def spider_opened(self, spider: Any) -> None:
        self.started = time.monotonic()
        self.write()
        self.loop = create_looping_call(self.write)
        self.loop.start(self.every, now=False)

    def write(self) -> None:
        write_json(self.path, self.figures("running"))

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        outcome = crawl_outcome(self.crawler, reason)
        data = self.figures("done")
        data.update(
            outcome=outcome.outcome, exit_status=outcome.exit_status, summary=outcome.summary()
        )
        write_json(self.path, data)
