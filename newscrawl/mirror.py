"""Fetch a site's public URLs from a local mirror of it.

The demo and the tests serve sample sites on 127.0.0.1, but the crawler must see the sites'
real public URLs (in links, canonical tags, feeds, and in the database), so that data from a
mirror and from the real site deduplicate alike and do not depend on a random port.
`MirrorDownloadHandler` rewrites a request's origin only for the download itself; every other
component, robots.txt handling included, sees the public URL.

Configure with the ``NEWSCRAWL_MIRRORS`` setting (a dict or JSON object ``{public_origin:
mirror_origin}``) or a spider's ``mirrors`` attribute (set by ``-a base_url=...``).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.http import Request, Response

from . import config


def origin(url: str) -> str:
    """``scheme://host[:port]`` of `url`, lower-cased."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def parse_mirrors(value: object) -> dict[str, str]:
    """Accept a dict or its JSON text; keys and values become bare origins."""
    if not value:
        return {}
    if isinstance(value, str):
        value = json.loads(value)
    if not isinstance(value, dict):
        raise ValueError("NEWSCRAWL_MIRRORS must be a JSON object {public_origin: mirror_origin}")
    return {origin(k): origin(v) for k, v in value.items()}


def mirror_url(url: str, mirrors: dict[str, str]) -> str | None:
    """The mirror URL for a public `url`, or None when its origin is not mirrored.

    A site's http and https, www and bare forms all go to the same mirror.
    """
    parts = urlsplit(url)
    host = parts.netloc.lower()
    candidates = {host, host[4:] if host.startswith("www.") else "www." + host}
    for public, mirror in mirrors.items():
        if urlsplit(public).netloc in candidates:
            rest = url[len(parts.scheme) + 3 + len(parts.netloc) :]
            return mirror + rest
    return None


class MirrorDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP handler, downloading mirrored origins from their mirror."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self._settings_mirrors = parse_mirrors(config.get(crawler.settings, "NEWSCRAWL_MIRRORS"))

    def _mirrors(self) -> dict[str, str]:
        spider = getattr(self._crawler, "spider", None)
        return {**self._settings_mirrors, **(getattr(spider, "mirrors", None) or {})}

    async def download_request(self, request: Request) -> Response:
        target = mirror_url(request.url, self._mirrors())
        if target is None:
            return await super().download_request(request)
        response = await super().download_request(request.replace(url=target))
        # Redirects from the mirror point at the mirror: map them back to the public origin.
        location = response.headers.get(b"Location")
        if location:
            text = location.decode("latin-1")
            mirror_origin = origin(target)
            if text.startswith(mirror_origin):
                response.headers[b"Location"] = (
                    origin(request.url) + text[len(mirror_origin) :]
                ).encode()
        return response.replace(url=request.url)
