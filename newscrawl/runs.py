"""How a crawl ended, as one summary line and an exit status a scheduler can act on.

Why: Scrapy exits 0 with reason ``finished`` even when every request failed, so a cron job
cannot tell a dead run from a good one. `run_outcome` reads a run's stats and finish reason and
classifies it; `RunReport` (an extension) logs the summary line when the spider closes; the
store pipeline records the same outcome in ``crawl_runs``; newscrawl's ``crawl`` command exits
with its status. docs/scheduling.md documents the statuses.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

logger = logging.getLogger(__name__)

OUTCOME_ATTR = "newscrawl_outcome"  # set on the crawler when its spider closes

# outcome -> (exit status, meaning); 1 stays Scrapy's own "could not start the crawler at all".
EXIT_STATUSES: dict[str, tuple[int, str]] = {
    "ok": (0, "finished (or stopped at a limit you set); every request answered"),
    "partial": (0, "finished; some requests failed (see the failures in the summary line)"),
    "crashed": (1, "Scrapy could not start the crawl (an error in settings or components)"),
    "usage": (2, "bad command line: unknown spider or argument, bad value, bad profile"),
    "start_error": (3, "the spider failed while producing its first requests"),
    "no_response": (4, "not one page answered (DNS, refused connections, timeouts, robots.txt)"),
    "all_failed": (5, "pages answered, but every answer was an error (4xx/5xx)"),
    "store_error": (6, "the database could not be opened or written: the crawl stopped"),
    "interrupted": (7, "stopped by Ctrl-C or SIGTERM before its end (run it again to go on)"),
}
STORE_FAILED = "newscrawl/store/failed"  # stats key set by the store pipeline


@dataclass(frozen=True)
class RunOutcome:
    """What one crawl did, classified."""

    spider: str
    outcome: str
    reason: str
    seconds: float
    pages: int = 0
    not_modified: int = 0
    articles: dict[str, int] = field(default_factory=dict)
    comments: dict[str, int] = field(default_factory=dict)
    links_new: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def exit_status(self) -> int:
        return EXIT_STATUSES[self.outcome][0]

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    def summary(self) -> str:
        """The one line a log reader (or a scheduler's mail) needs."""
        parts = [
            f"{self.pages} pages"
            + (f" ({self.not_modified} not modified)" if self.not_modified else "")
        ]
        parts.append(
            "articles "
            + ", ".join(f"{self.articles.get(k, 0)} {k}" for k in ("new", "updated", "unchanged"))
        )
        parts.append(
            "comments " + ", ".join(f"{self.comments.get(k, 0)} {k}" for k in ("new", "updated"))
        )
        parts.append(f"links {self.links_new} new")
        parts.append(f"{self.failed} failed" + _by_reason(self.failures))
        if self.skipped:
            parts.append(f"{sum(self.skipped.values())} skipped" + _by_reason(self.skipped))
        how = (
            self.outcome
            if self.reason in ("finished", self.outcome)
            else f"{self.outcome}, {self.reason}"
        )
        return (
            f"Crawl summary: {self.spider} {how} (exit {self.exit_status}) in {self.seconds:.1f} s: "
            + "; ".join(parts)
        )  # fmt: skip


def _by_reason(counts: dict[str, int]) -> str:
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return " (" + ", ".join(f"{reason} {n}" for reason, n in ranked) + ")"


def _prefixed(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {k[len(prefix) :]: int(v) for k, v in stats.items() if k.startswith(prefix) and v}


def _statuses(stats: dict[str, Any], prefix: str) -> dict[int, int]:
    found = {}
    for key, value in _prefixed(stats, prefix).items():
        if key.isdigit():
            found[int(key)] = value
    return found


def run_outcome(stats: dict[str, Any], reason: str, spider: str = "?") -> RunOutcome:
    """Classify a finished crawl from its stats and finish reason (see EXIT_STATUSES)."""

    def count(key: str) -> int:
        return int(stats.get(key) or 0)

    robots = _statuses(stats, "robotstxt/response_status_count/")
    statuses = _statuses(stats, "downloader/response_status_count/")
    page_statuses = {code: n - robots.get(code, 0) for code, n in statuses.items()}
    pages = max(0, count("downloader/response_count") - count("robotstxt/response_count"))
    good = sum(n for code, n in page_statuses.items() if 200 <= code < 300 or code == 304)
    asked = max(0, count("downloader/request_count") - count("robotstxt/request_count"))
    failures = _prefixed(stats, "newscrawl/failed/")
    if stats.get(STORE_FAILED):
        outcome = "store_error"
    elif reason == "start_error":
        outcome = "start_error"
    elif reason == "shutdown":
        outcome = "interrupted"
    elif pages == 0 and (asked or failures):
        outcome = "no_response"
    elif pages and not good:
        outcome = "all_failed"
    elif failures or count("spider_exceptions/count"):
        outcome = "partial"
    else:
        outcome = "ok"
    started = stats.get("start_time")
    seconds = (
        (datetime.now(timezone.utc) - started).total_seconds()
        if isinstance(started, datetime)
        else float(stats.get("elapsed_time_seconds") or 0)
    )
    return RunOutcome(
        spider=spider,
        outcome=outcome,
        reason=reason,
        seconds=seconds,
        pages=pages,
        not_modified=page_statuses.get(304, 0),
        articles={k: count(f"newscrawl/articles/{k}") for k in ("new", "updated", "unchanged")},
        comments={k: count(f"newscrawl/comments/{k}") for k in ("new", "updated")},
        links_new=count("newscrawl/links/new"),
        failures=failures,
        skipped=_prefixed(stats, "newscrawl/skipped/"),
    )


def crawl_outcome(crawler: Any, reason: str) -> RunOutcome:
    """The outcome of `crawler`'s run, computed once at spider close and kept on the crawler."""
    outcome = getattr(crawler, OUTCOME_ATTR, None)
    if outcome is None or outcome.reason != reason:
        name = crawler.spider.name if getattr(crawler, "spider", None) else "?"
        outcome = run_outcome(crawler.stats.get_stats(), reason, name)
        setattr(crawler, OUTCOME_ATTR, outcome)
    return outcome


def exit_status(crawler: Any) -> int:
    """The status `scrapy crawl` exits with, once the crawl is over."""
    outcome: RunOutcome | None = getattr(crawler, OUTCOME_ATTR, None)
    if outcome is None:
        return EXIT_STATUSES["crashed"][0]
    if crawler.stats.get_value(STORE_FAILED):  # a failure while recording the run itself
        return EXIT_STATUSES["store_error"][0]
    return outcome.exit_status


class RunReport:
    """Extension: the summary line at the end of every crawl (INFO when it went well, WARNING
    for a partial run, ERROR for a failed one), and the outcome in the stats."""

    def __init__(self, crawler: Any):
        from scrapy import signals

        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunReport:
        return cls(crawler)

    def spider_closed(self, spider: Any, reason: str) -> None:
        outcome = crawl_outcome(self.crawler, reason)
        stats = self.crawler.stats
        stats.set_value("newscrawl/outcome", outcome.outcome)
        stats.set_value("newscrawl/exit_status", outcome.exit_status)
        level = (
            logging.INFO
            if outcome.outcome == "ok"
            else logging.WARNING
            if outcome.exit_status == 0
            else logging.ERROR
        )
        logger.log(level, "%s", outcome.summary())
