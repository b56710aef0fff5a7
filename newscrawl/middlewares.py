"""Middlewares for bad answers: Retry-After waits, redirect loops, and a reason for every failure.

Failure reasons (``newscrawl/failed/<reason>`` counters and ``Failed URL: reason`` warnings),
documented in docs/scheduling.md: ``http_<status>``, ``redirect_loop``, ``too_many_redirects``,
``robots_txt``, ``too_large``, ``truncated``, ``timeout``, ``dns_error``,
``connection_refused``, ``connection_lost``, ``tls_error``, ``unsupported_url``,
``warc_unreadable``, ``cancelled``, ``ignored`` and ``error`` (anything else; the warning
names the exception).
"""

from __future__ import annotations

import logging
import pickle
from email.utils import parsedate_to_datetime
from pathlib import Path
from time import time
from typing import Any

from scrapy import signals
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.request import request_from_dict
from scrapy.utils.response import response_status_message

from . import config

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        return max(0.0, parsedate_to_datetime(text).timestamp() - time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


class RetryLater(IgnoreRequest):
    """Not a failure: the request was put aside to be retried after a Retry-After wait."""


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL of its own chain (A→B→A, or A→A)."""


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, honouring ``Retry-After`` on 429 and 503 answers.

    Waiting inside the downloader would hold a concurrency slot for the whole wait (20 URLs
    answering "Retry-After: 15" stalled every other URL), so the retry is put aside on a
    timer and handed to the engine when the wait is over; the spider stays open meanwhile.
    No wait happens when no retry is left (the answer goes on as ``http_429``). Waits longer
    than ``NEWSCRAWL_RETRY_AFTER_MAX`` seconds are given up on for this run (stats:
    ``newscrawl/retry_after/too_long``). With ``JOBDIR``, retries still waiting when the crawl
    stops are saved there and scheduled again when it resumes.
    """

    SAVED = "newscrawl-retry-after.pickle"  # request dicts, pickled as Scrapy's disk queues are

    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = config.get(settings, "NEWSCRAWL_RETRY_AFTER_MAX")
        self.jobdir = settings.get("JOBDIR")
        self.pending: dict[int, tuple[Any, Request]] = {}  # id → (timer, request)

    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    async def process_response(
        self, request: Request, response: Response, spider=None
    ) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        reason = response_status_message(response.status)
        wait = (
            retry_after_seconds(response.headers.get(b"Retry-After"))
            if response.status in (429, 503)
            else None
        )
        if wait is None:
            return self._retry(request, reason) or response
        stats = self.crawler.stats
        retries = request.meta.get("retry_times", 0) + 1
        if retries > request.meta.get("max_retry_times", self.max_retry_times):
            stats.inc_value("newscrawl/retry_after/no_retry_left")
            logger.info("%s asks to retry after %.0fs, but no retry is left", request.url, wait)
            return response
        if wait > self.max_wait:
            stats.inc_value("newscrawl/retry_after/too_long")
            logger.warning(
                "%s asks to retry after %.0fs (over %.0fs): giving up for this run",
                request.url,
                wait,
                self.max_wait,
            )
            return response
        retry = self._retry(request, reason)
        if retry is None:
            return response
        if wait <= 0:
            return retry
        stats.inc_value("newscrawl/retry_after/waited")
        logger.info(
            "%s answered %s: retrying in %.1fs as Retry-After asks (no slot held meanwhile)",
            request.url,
            response.status,
            wait,
        )
        self.later(retry, wait)
        raise RetryLater(f"retry after {wait:.1f}s")

    def later(self, request: Request, wait: float) -> None:
        from twisted.internet import reactor

        key = id(request)
        timer = reactor.callLater(wait, self._release, key)
        self.pending[key] = (timer, request)

    def _release(self, key: int) -> None:
        entry = self.pending.pop(key, None)
        if entry is not None and self.crawler.engine is not None:
            self.crawler.engine.crawl(entry[1])

    def spider_idle(self, spider) -> None:
        if self.pending:
            raise DontCloseSpider("retries waiting for Retry-After")

    def _saved_path(self) -> Path | None:
        return Path(self.jobdir) / self.SAVED if self.jobdir else None

    def spider_opened(self, spider) -> None:
        path = self._saved_path()
        if path is None or not path.is_file():
            return
        saved = pickle.loads(path.read_bytes())
        path.unlink()
        for data in saved:
            self.later(request_from_dict(data, spider=spider), 0.0)
        logger.info("Rescheduled %d retries that were waiting when the crawl stopped", len(saved))

    def spider_closed(self, spider, reason: str) -> None:
        waiting = [request for timer, request in self.pending.values()]
        for timer, _ in self.pending.values():
            if timer.active():
                timer.cancel()
        self.pending.clear()
        path = self._saved_path()
        if waiting and path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pickle.dumps([r.to_dict(spider=spider) for r in waiting], protocol=4))
            logger.info("Saved %d waiting retries in %s for the resumed crawl", len(waiting), path)
        elif waiting:
            self.crawler.stats.inc_value("newscrawl/retry_after/abandoned", len(waiting))
            logger.warning("%d retries were still waiting when the crawl closed", len(waiting))


class LoopSafeRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirects, with loops reported instead of silently dropped.

    A redirect to a URL already in the request's chain (A→B→A), or to itself, would only be
    stopped by the duplicate filter, at DEBUG level and without a counter; here it fails the
    request with `RedirectLoop` (``newscrawl/failed/redirect_loop``).
    """

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        chain = {*request.meta.get("redirect_urls", ()), request.url}
        if redirected.url in chain:
            raise RedirectLoop(f"redirect loop: {request.url} -> {redirected.url}")
        return super()._redirect(redirected, request, reason)


class DownloadSizeMonitor:
    """Extension: marks a request whose body passed ``DOWNLOAD_MAXSIZE`` while it was being received.

    A chunked body has no Content-Length: Scrapy cancels it part way and the failure says
    only "cancelled"; the mark lets `failure_reason` call it ``too_large``.
    """

    def __init__(self, crawler: Any) -> None:
        self.maxsize = crawler.settings.getint("DOWNLOAD_MAXSIZE", 0)
        crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler: Any) -> DownloadSizeMonitor:
        return cls(crawler)

    def bytes_received(self, data: bytes, request: Request, spider: Any = None) -> None:
        limit = request.meta.get("download_maxsize", self.maxsize)
        if not limit:
            return
        received = request.meta.get("_newscrawl_received", 0) + len(data)
        request.meta["_newscrawl_received"] = received
        if received > limit:
            request.meta["newscrawl_too_large"] = True


class FailureReportMiddleware:
    """Spider middleware: every request without an errback gets one that says why it failed.

    Scrapy logs several failures only at DEBUG (redirect loops, robots.txt) or not per reason;
    here each failure gets a WARNING line with the URL and the reason, and a stats counter
    ``newscrawl/failed/<reason>`` (the names are listed in the module docstring), so a cron
    job's log says what went wrong. The errback is the spider's ``report_failure`` method
    (spiders without one are left alone): only spider methods survive JOBDIR's request
    serialisation.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _attach(self, result):
        if isinstance(result, Request) and result.errback is None:
            errback = getattr(self.crawler.spider, "report_failure", None)
            if errback is not None:
                return result.replace(errback=errback)
        return result

    async def process_start(self, start):
        async for result in start:
            yield self._attach(result)

    def process_spider_output(self, response, result, spider=None):
        for item in result:
            yield self._attach(item)

    async def process_spider_output_async(self, response, result, spider=None):
        async for item in result:
            yield self._attach(item)


def report_failure(stats, failure) -> None:
    """Log one failed request with its reason and count it under ``newscrawl/failed/``."""
    if failure.check(RetryLater):
        return  # put aside to be retried: not a failure
    request = getattr(failure, "request", None)
    reason = failure_reason(failure)
    stats.inc_value(f"newscrawl/failed/{reason}")
    url = request.url if request is not None else "?"
    message = failure.getErrorMessage() or (failure.type.__name__ if failure.type else "")
    logger.warning("Failed %s: %s (%s)", url, reason, message)


# Exception class names (Scrapy's, Twisted's, the standard library's) → reason.
_REASONS_BY_TYPE = {
    "ResponseDataLossError": "truncated",
    "_DataLoss": "truncated",
    "PotentialDataLoss": "truncated",
    "DownloadTimeoutError": "timeout",
    "TimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    "CannotResolveHostError": "dns_error",
    "DNSLookupError": "dns_error",
    "DownloadConnectionRefusedError": "connection_refused",
    "ConnectionRefusedError": "connection_refused",
    "ConnectionLost": "connection_lost",
    "ConnectionDone": "connection_lost",
    "ConnectionAborted": "connection_lost",
    "ResponseNeverReceived": "connection_lost",
    "ResponseFailed": "connection_lost",
    "DownloadFailedError": "connection_lost",
    "TunnelError": "connection_lost",
    "SSLError": "tls_error",
    "Error": "tls_error",  # OpenSSL.SSL.Error
    "UnsupportedURLSchemeError": "unsupported_url",
    "NotSupported": "unsupported_url",
}


def failure_reason(failure) -> str:
    """A short, countable name for why a request failed (see the module docstring)."""
    from scrapy.spidermiddlewares.httperror import HttpError

    request = getattr(failure, "request", None)
    meta = request.meta if request is not None else {}
    message = failure.getErrorMessage().lower()
    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"
    if failure.check(RedirectLoop):
        return "redirect_loop"
    if failure.check(IgnoreRequest):
        message = str(failure.value).lower()
        if "crawl_delay_too_long" in message:  # newscrawl.robots: the host asks for too long
            return "crawl_delay_too_long"
        if "max redirections" in message:
            return "too_many_redirects"
        if "redirect" in message:
            return "redirect_loop"
        if "robots" in message:
            return "robots_txt"
        if "maxsize" in message or "max size" in message:
            return "too_large"  # e.g. a gzip bomb, stopped while decompressing
        if "archived response" in message:
            return "warc_unreadable"
        return "ignored"
    if meta.get("newscrawl_too_large") or "max size" in message or "maxsize" in message:
        return "too_large"
    name = failure.type.__name__ if failure.type else "error"
    if name in _REASONS_BY_TYPE:
        return _REASONS_BY_TYPE[name]
    if name in ("DownloadCancelledError", "CancelledError"):
        return "cancelled"
    if "timeout" in name.lower() or "timed out" in message:
        return "timeout"
    if isinstance(failure.value, ValueError) and "url" in message:
        return "unsupported_url"
    cause = getattr(failure.value, "__cause__", None)
    if cause is not None and type(cause).__name__ in _REASONS_BY_TYPE:
        return _REASONS_BY_TYPE[type(cause).__name__]
    return "error"
