"""Downloader middleware for servers that ask us to slow down (429/503 with Retry-After)."""

from __future__ import annotations

import asyncio
import logging
from email.utils import parsedate_to_datetime
from time import time

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.response import response_status_message

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
        self.max_wait = settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX", 300)

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
