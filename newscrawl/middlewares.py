"""Downloader middleware for servers that ask us to slow down (429/503 with Retry-After)."""

from __future__ import annotations

import asyncio
import logging
from email.utils import parsedate_to_datetime
from time import time

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
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
    except (TypeError, ValueError):
        return None


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, honouring ``Retry-After`` on 429 and 503 answers.

    The wait is capped by ``NEWSCRAWL_RETRY_AFTER_MAX`` seconds; a server asking for longer
    is given up on for this run (stats: ``newscrawl/retry_after/too_long``).
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = config.get(settings, "NEWSCRAWL_RETRY_AFTER_MAX")

    async def process_response(
        self, request: Request, response: Response, spider=None
    ) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        wait = (
            retry_after_seconds(response.headers.get(b"Retry-After"))
            if response.status in (429, 503)
            else None
        )
        stats = self.crawler.stats
        if wait is not None:
            if wait > self.max_wait:
                stats.inc_value("newscrawl/retry_after/too_long")
                logger.warning(
                    "%s asks to retry after %.0fs (over %.0fs): giving up for this run",
                    request.url,
                    wait,
                    self.max_wait,
                )
                return response
            stats.inc_value("newscrawl/retry_after/waited")
            logger.info(
                "%s answered %s: waiting %.1fs as Retry-After asks",
                request.url,
                response.status,
                wait,
            )
            await asyncio.sleep(wait)
        return self._retry(request, response_status_message(response.status)) or response


class FailureReportMiddleware:
    """Spider middleware: every request without an errback gets one that says why it failed.

    Scrapy logs several failures only at DEBUG (redirect loops, robots.txt) or not per reason;
    here each failure gets a WARNING line with the URL and the reason, and a stats counter
    ``newscrawl/failed/<reason>`` (``http_404``, ``http_500``, ``redirect_loop``,
    ``robots_txt``, ``timeout``, ``too_large`` …), so a cron job's log says what went wrong.
    The errback is the spider's ``report_failure`` method (spiders without one are left
    alone): only spider methods survive JOBDIR's request serialisation.
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
    request = getattr(failure, "request", None)
    reason = failure_reason(failure)
    stats.inc_value(f"newscrawl/failed/{reason}")
    url = request.url if request is not None else "?"
    logger.warning("Failed %s: %s (%s)", url, reason, failure.getErrorMessage())


def failure_reason(failure) -> str:
    """A short, countable name for why a request failed."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError

    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"
    if failure.check(IgnoreRequest):
        message = str(failure.value).lower()
        if "crawl_delay_too_long" in message:  # newscrawl.robots: the host asks for too long
            return "crawl_delay_too_long"
        if "redirect" in message:
            return "redirect_loop"
        if "robots" in message:
            return "robots_txt"
        return "ignored"
    message = failure.getErrorMessage().lower()
    if "max size" in message or "maxsize" in message or "larger than download" in message:
        return "too_large"
    name = failure.type.__name__ if failure.type else "error"
    if "timeout" in name.lower():
        return "timeout"
    if "dns" in name.lower() or "resolvehost" in name.lower():
        return "dns_error"  # twisted's DNSLookupError, Scrapy's CannotResolveHostError
    if "refused" in name.lower():
        return "connection_refused"
    return name
