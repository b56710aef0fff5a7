"""robots.txt ``Crawl-delay`` and ``Request-rate``, honoured per host.

Why: Scrapy obeys robots.txt ``Allow``/``Disallow`` but does not act on the delay a site asks
for (its docs say so); fundus, Nutch and StormCrawler do. `PoliteRobotsTxtMiddleware` is
Scrapy's `RobotsTxtMiddleware` plus this: once a host's robots.txt is parsed, the wait between
two requests to that host becomes the larger of its ``Crawl-delay`` (or the interval of its
``Request-rate``, e.g. ``1/5`` = one request every 5 s) and ``DOWNLOAD_DELAY``, with no random
jitter below it and AutoThrottle kept from lowering it. A host asking for more than
``NEWSCRAWL_MAX_CRAWL_DELAY`` seconds (30, as fundus, Nutch and StormCrawler do) is skipped for
the run: a warning once, ``newscrawl/robots/hosts_skipped``, and each request refused counts as
failure ``crawl_delay_too_long``.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.utils.httpobj import urlparse_cached

from . import config

logger = logging.getLogger(__name__)

TOO_LONG = "crawl_delay_too_long"  # the failure reason (see middlewares.failure_reason)


def robots_delay(parser: Any, user_agent: str) -> float | None:
    """Seconds between requests a parsed robots.txt asks of `user_agent`, or None.

    The larger of ``Crawl-delay`` and ``Request-rate``'s interval (seconds / requests); the
    optional time window of ``Request-rate`` is ignored, i.e. it applies all day (the polite
    reading). Parsers other than Protego (Scrapy's default) give Crawl-delay only.
    """
    delays = []
    crawl_delay = parser.crawl_delay(user_agent)
    if crawl_delay is not None:
        delays.append(float(crawl_delay))
    protego = getattr(parser, "rp", None)
    request_rate = getattr(protego, "request_rate", None)
    if callable(request_rate):
        rate = request_rate(user_agent)
        if rate is not None and rate.requests:
            delays.append(rate.seconds / rate.requests)
    return max(delays) if delays else None


class _OneLineNetworkErrors(logging.Filter):
    """Scrapy logs a robots.txt download that failed on the network (DNS, refused, timeout)
    with a traceback; the error message says it all, and the page's own failure follows."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            name = type(record.exc_info[1]).__name__.lower()
            if any(word in name for word in ("dns", "resolve", "refused", "timeout", "connect")):
                record.exc_info = None
                record.exc_text = None
        return True


_SCRAPY_ROBOTS_LOGGER = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
if not any(isinstance(f, _OneLineNetworkErrors) for f in _SCRAPY_ROBOTS_LOGGER.filters):
    _SCRAPY_ROBOTS_LOGGER.addFilter(_OneLineNetworkErrors())


class PoliteRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, also honouring Crawl-delay and Request-rate per host."""

    def __init__(self, crawler: Any):
        super().__init__(crawler)
        self.max_delay: float = config.get(crawler.settings, "NEWSCRAWL_MAX_CRAWL_DELAY")
        self.download_delay = crawler.settings.getfloat("DOWNLOAD_DELAY")
        self.delays: dict[str, float | None] = {}  # netloc -> enforced delay (None: none asked)
        self.skipped: set[str] = set()

    def process_request_2(self, rp: Any, request: Request) -> None:
        super().process_request_2(rp, request)  # Disallow first: a forbidden URL stays forbidden
        if rp is None:
            return
        netloc = urlparse_cached(request).netloc
        if netloc not in self.delays:
            self.delays[netloc] = self.host_delay(rp, request, netloc)
        if netloc in self.skipped:
            raise IgnoreRequest(
                f"robots.txt of {netloc} asks for a crawl delay over NEWSCRAWL_MAX_CRAWL_DELAY"
                f" ({self.max_delay:g} s): {TOO_LONG}"
            )
        delay = self.delays[netloc]
        if delay is not None:
            self.hold_slot(request, delay)

    def host_delay(self, rp: Any, request: Request, netloc: str) -> float | None:
        """The delay to enforce for `netloc` (None: leave Scrapy's), deciding a skip once."""
        useragent = self._robotstxt_useragent or request.headers.get(
            b"User-Agent", self._default_useragent
        )
        if isinstance(useragent, bytes):
            useragent = useragent.decode("latin-1")
        asked = robots_delay(rp, useragent)
        if asked is None:
            return None
        stats = self.crawler.stats
        if asked > self.max_delay:
            self.skipped.add(netloc)
            stats.inc_value("newscrawl/robots/hosts_skipped")
            logger.warning(
                "Skipping %s: its robots.txt asks for %g s between requests, more than"
                " NEWSCRAWL_MAX_CRAWL_DELAY (%g s); raise that setting to crawl it this slowly",
                netloc, asked, self.max_delay,
            )  # fmt: skip
            return None
        delay = max(asked, self.download_delay)
        stats.set_value(f"newscrawl/robots/crawl_delay/{netloc}", delay)
        logger.info(
            "%s: robots.txt asks for %g s between requests; waiting %g s", netloc, asked, delay
        )
        return delay

    def hold_slot(self, request: Request, delay: float) -> None:
        """Make the download slot of `request` wait `delay` between requests, exactly.

        Set both on the live slot and in the per-slot settings new slots are built from (Scrapy
        drops slots idle for a minute). ``autothrottle_dont_adjust_delay`` keeps AutoThrottle
        from lowering it after fast answers.
        """
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        downloader.per_slot_settings[key] = {
            **downloader.per_slot_settings.get(key, {}),
            "delay": delay,
            "jitter": 0.0,
        }
        slot = downloader.slots.get(key)
        if slot is not None and (slot.delay < delay or slot.jitter):
            slot.delay = max(slot.delay, delay)
            slot.jitter = 0.0
        request.meta["autothrottle_dont_adjust_delay"] = True
