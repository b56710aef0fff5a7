"""The onboarding crawl: a few dozen polite requests that show what a site offers.

`OnboardSpider` runs under the project's own settings (user agent, robots.txt, AutoThrottle,
per-domain cap), in phases, each started when the previous one has no request left:

1. robots.txt and the home page;
2. feeds (announced by the home page, else the usual paths), sitemaps (robots.txt, else the
   usual paths), the WordPress REST index and posts listing when the page advertises it, and
   child sitemaps of indexes (the newest first, at most ``max_child_sitemaps``);
3. sample pages: entries of the feeds and sitemaps and links of the home page, spread over the
   URL shapes seen, each read by `extract_page` (is it an article? comments? an embed?);
4. the WordPress REST comments of one sampled article, when the site has the API.

Everything found goes into a `Findings`; nothing is stored. Deciding what to write is
`newscrawl.onboard.profile`'s job.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from ..extract import extract_page
from ..extract.comments import post_id_from_page
from ..extract.document import parse_html
from ..mirror import origin
from ..spiders.discovery import (
    DiscoveryError,
    Entry,
    feed_entries,
    feed_links,
    newest_first,
    robots_sitemaps,
    sitemap_entries,
    wp_posts_entries,
)
from ..urls import canonicalize_url, is_http_url, site_host
from .detect import (
    Cms,
    CommentEmbed,
    detect_cms,
    detect_comment_embed,
    has_comment_form,
    wordpress_rest_root,
)

logger = logging.getLogger(__name__)

FEED_PATHS = ("/feed/", "/rss/", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml", "/rss")
CMS_FEED_PATHS = {
    "WordPress": "/feed/",
    "Ghost": "/rss/",
    "Drupal": "/rss.xml",
    "Hugo": "/index.xml",
}
SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/news-sitemap.xml", "/sitemap-news.xml")
CMS_SITEMAP_PATHS = {"WordPress": "/wp-sitemap.xml"}
_MISSING = [400, 401, 403, 404, 405, 406, 410, 500, 501, 502, 503]
_LINKS = LinkExtractor(unique=True)
_PHASES = {2: "feeds, sitemaps, REST API", 3: "sample pages", 4: "comment API"}


@dataclass
class Source:
    """A feed or sitemap the site has, how it was found, and what it lists."""

    url: str
    kind: str  # rss / atom for feeds; sitemapindex / urlset / news for sitemaps
    found: str  # where onboarding found it ("robots.txt", "<link rel=alternate> on the home page")
    entries: list[Entry] = field(default_factory=list)
    parent: str | None = None  # the sitemap index that lists it


@dataclass
class Page:
    """One page onboarding read, with what the extractor made of it."""

    url: str
    found: str  # "feed", "sitemap", "home page link"
    status: int
    is_article: bool = False
    title: str | None = None
    words: int = 0
    comments: int = 0
    comment_form: bool = False
    embed: CommentEmbed | None = None
    post_id: str | None = None
    body: bytes = b""
    content_type: str | None = None
    canonical: str | None = None


@dataclass
class Findings:
    """All onboarding saw of a site."""

    start_url: str
    day: date = field(default_factory=date.today)
    robots_status: int | None = None
    robots_sitemaps: list[str] = field(default_factory=list)
    home: Page | None = None
    home_links: list[str] = field(default_factory=list)
    site_title: str | None = None
    language: str | None = None
    cms: Cms | None = None
    feeds: list[Source] = field(default_factory=list)
    sitemaps: list[Source] = field(default_factory=list)
    child_sitemaps_skipped: int = 0  # children of indexes not read (beyond the cap)
    probed: list[str] = field(default_factory=list)  # guessed URLs the site does not have
    wp_rest_root: str | None = None
    wp_posts: str | None = None  # the posts endpoint, once it answered
    wp_posts_total: int | None = None
    wp_entries: list[Entry] = field(default_factory=list)  # the first page of the posts listing
    wp_comments: str | None = None  # the comments endpoint, once it answered for a post
    wp_comments_count: int | None = None
    pages: list[Page] = field(default_factory=list)
    wp_comments_probe: Page | None = None  # the sampled post it was asked for
    errors: list[str] = field(default_factory=list)  # what failed
    notes: list[str] = field(default_factory=list)  # what was left out, and why
    requests: int = 0

    @property
    def host(self) -> str:
        return site_host(self.start_url)

    def source(self, url: str) -> Source | None:
        return next((s for s in self.feeds + self.sitemaps if s.url == url), None)


class OnboardSpider(scrapy.Spider):
    """Reads what `newscrawl add-site` needs; see the module docstring for the phases."""

    name = "onboard"

    def __init__(self, *args: Any, findings: Findings, sample_pages: int = 16,
                 max_child_sitemaps: int = 12, progress: Callable[[str], None] | None = None,
                 **kwargs: Any):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.findings = findings
        self.sample_pages = sample_pages
        self.max_child_sitemaps = max_child_sitemaps
        self.phase = 1
        self.seen: set[str] = set()
        self.progress = progress
        self.robots: Any = (
            None  # the site's robots.txt rules (sample pages it refuses are not picked)
        )

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> OnboardSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.next_phase, signal=signals.spider_idle)
        crawler.signals.connect(spider.count_request, signal=signals.request_reached_downloader)
        return spider

    def count_request(self, request: scrapy.Request, spider: Any = None) -> None:
        self.findings.requests += 1

    def request(self, url: str, callback: Any, **meta: Any) -> scrapy.Request | None:
        """A request for `url` not asked for before in this run."""
        if url in self.seen:
            return None
        self.seen.add(url)
        meta.setdefault("handle_httpstatus_list", _MISSING)
        return scrapy.Request(
            url, callback=callback, errback=self.failed, meta=meta, dont_filter=True
        )

    def failed(self, failure: Any) -> None:
        request = failure.request
        self.findings.errors.append(f"{request.url}: {failure.getErrorMessage()}")
        logger.warning("add-site could not fetch %s: %s", request.url, failure.getErrorMessage())

    async def start(self) -> AsyncIterator[scrapy.Request]:
        start = self.findings.start_url
        robots = self.request(urljoin(origin(start), "/robots.txt"), self.parse_robots,
                              dont_obey_robotstxt=True)  # fmt: skip
        home = self.request(start, self.parse_home)
        for request in (robots, home):
            if request is not None:
                yield request

    def say(self, text: str) -> None:
        if self.progress is not None:
            self.progress(text)

    def next_phase(self, spider: Any = None) -> None:
        """Start the next phase when the current one has no request left (none without a home
        page: there is nothing to onboard)."""
        home = self.findings.home
        if home is None or home.status != 200:
            return
        while self.phase < 4:
            self.phase += 1
            requests = [r for r in self.phase_requests(self.phase) if r is not None]
            if requests:
                self.say(f"{_PHASES[self.phase]}: {len(requests)} requests")
                for request in requests:
                    self.crawler.engine.crawl(request)
                raise DontCloseSpider

    def phase_requests(self, phase: int) -> Iterator[scrapy.Request | None]:
        if phase == 2:
            yield from self.discovery_requests()
        elif phase == 3:
            yield from self.sample_requests()
        elif phase == 4:
            yield from self.comment_api_requests()

    # --- phase 1 ----------------------------------------------------------------------------

    def parse_robots(self, response: Response) -> None:
        self.findings.robots_status = response.status
        if response.status == 200 and isinstance(response, TextResponse):
            self.findings.robots_sitemaps = robots_sitemaps(response.text, response.url)
            from protego import Protego

            self.robots = Protego.parse(response.text)

    def parse_home(self, response: Response) -> None:
        findings = self.findings
        page = self.read_page(response, "the URL given")
        findings.home = page
        if response.status != 200 or not isinstance(response, TextResponse):
            findings.errors.append(f"{response.url}: HTTP {response.status}")
            return
        html = response.text
        headers = _headers(response)
        findings.cms = detect_cms(html, headers)
        findings.wp_rest_root = wordpress_rest_root(html, headers)
        if findings.wp_rest_root:
            findings.wp_rest_root = urljoin(response.url, findings.wp_rest_root)
        tree = parse_html(response.body, headers.get("Content-Type"))
        findings.site_title = _site_title(response)
        findings.language = (tree.get("lang") or "").split("-")[0].lower() or None
        for url in feed_links(response.body, response.url):
            findings.feeds.append(
                Source(canonicalize_url(url), "feed", "<link rel=alternate> on the home page")
            )
        links = []
        for link in _LINKS.extract_links(response):
            url = canonicalize_url(link.url)
            if is_http_url(url) and site_host(url) == findings.host and not link.nofollow:
                links.append(url)
        findings.home_links = list(
            dict.fromkeys(u for u in links if u != canonicalize_url(response.url))
        )

    # --- phase 2 ----------------------------------------------------------------------------

    def discovery_requests(self) -> Iterator[scrapy.Request | None]:
        findings = self.findings
        base = origin(findings.start_url)
        cms = findings.cms.name if findings.cms else None
        if findings.feeds:
            for source in findings.feeds:
                yield self.request(source.url, self.parse_feed, source=source.url)
        else:
            paths = [CMS_FEED_PATHS[cms]] if cms in CMS_FEED_PATHS else []
            for path in dict.fromkeys([*paths, *FEED_PATHS]):
                yield self.request(
                    urljoin(base, path), self.parse_feed, probe=f"common feed path {path}"
                )
        if findings.robots_sitemaps:
            listed = findings.robots_sitemaps
            if len(listed) > self.max_child_sitemaps:
                findings.notes.append(
                    f"robots.txt names {len(listed)} sitemaps: the first {self.max_child_sitemaps} were read"
                )
            for url in listed[: self.max_child_sitemaps]:
                yield self.request(canonicalize_url(url), self.parse_sitemap, found="robots.txt")
        else:
            paths = [CMS_SITEMAP_PATHS[cms]] if cms in CMS_SITEMAP_PATHS else []
            for path in dict.fromkeys([*paths, *SITEMAP_PATHS]):
                yield self.request(
                    urljoin(base, path), self.parse_sitemap, probe=f"common sitemap path {path}"
                )
        if findings.wp_rest_root:
            yield self.request(findings.wp_rest_root, self.parse_wp_root)

    def parse_feed(self, response: Response) -> None:
        probe = response.meta.get("probe")
        if response.status != 200:
            if probe:
                self.findings.probed.append(response.url)
            else:
                self.findings.errors.append(f"feed {response.url}: HTTP {response.status}")
            return
        try:
            entries = feed_entries(response.body, response.url)
        except DiscoveryError:
            entries = None
        text = response.body[:2048].lstrip().lower()
        if entries is None or (not entries and b"<rss" not in text and b"<feed" not in text):
            (self.findings.probed if probe else self.findings.errors).append(response.url)
            return
        kind = "atom" if b"<feed" in text else "rss"
        url = canonicalize_url(response.url)
        source = self.findings.source(url) or self.findings.source(response.meta.get("source", ""))
        if source is None:
            if any(f.entries for f in self.findings.feeds):
                return  # one guessed feed is enough
            source = Source(url, kind, probe or "")
            self.findings.feeds.append(source)
        source.kind, source.entries = kind, entries

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request | None]:
        probe = response.meta.get("probe")
        if response.status != 200:
            if probe:
                self.findings.probed.append(response.url)
            else:
                self.findings.errors.append(f"sitemap {response.url}: HTTP {response.status}")
            return
        try:
            kind, entries = sitemap_entries(response.body)
        except DiscoveryError as exc:
            (self.findings.probed if probe else self.findings.errors).append(
                f"{response.url}: {exc}"
            )
            return
        url = canonicalize_url(response.url)
        parent = response.meta.get("parent")
        if kind == "urlset" and (
            b"sitemap-news" in response.body[:2000] or any(e.published for e in entries)
        ):
            kind = "news"
        found = response.meta.get("found") or probe or ""
        source = Source(url, kind, f"listed in {parent}" if parent else found, entries, parent)
        if parent is None and any(s.url == url for s in self.findings.sitemaps):
            return
        self.findings.sitemaps.append(source)
        if kind == "sitemapindex":
            children = newest_first(entries)
            self.findings.child_sitemaps_skipped += max(0, len(children) - self.max_child_sitemaps)
            for child in children[: self.max_child_sitemaps]:
                yield self.request(canonicalize_url(urljoin(response.url, child.url)), self.parse_sitemap,
                                   parent=url)  # fmt: skip

    def parse_wp_root(self, response: Response) -> Iterator[scrapy.Request | None]:
        """The REST index: is ``wp/v2`` there? Then one small page of the posts listing."""
        try:
            data = json.loads(response.body) if response.status == 200 else {}
        except ValueError:
            data = {}
        namespaces = data.get("namespaces", []) if isinstance(data, dict) else []
        if "wp/v2" not in namespaces:
            self.findings.errors.append(f"WordPress REST index {response.url}: no wp/v2 namespace")
            return
        root = self.findings.wp_rest_root or response.url
        posts = _rest_url(root, "/wp/v2/posts")
        query = "per_page=10&_fields=link,date_gmt,modified_gmt"
        yield self.request(
            f"{posts}{'&' if '?' in posts else '?'}{query}", self.parse_wp_posts, endpoint=posts
        )

    def parse_wp_posts(self, response: Response) -> None:
        if response.status != 200:
            self.findings.errors.append(
                f"WordPress posts listing {response.url}: HTTP {response.status}"
            )
            return
        try:
            entries = wp_posts_entries(response.body)
        except DiscoveryError as exc:
            self.findings.errors.append(f"WordPress posts listing {response.url}: {exc}")
            return
        total = response.headers.get(b"X-WP-Total", b"").decode("latin-1").strip()
        self.findings.wp_posts = response.meta["endpoint"]
        self.findings.wp_posts_total = int(total) if total.isdigit() else len(entries)
        self.findings.wp_entries = entries

    # --- phase 3 ----------------------------------------------------------------------------

    def sample_requests(self) -> Iterator[scrapy.Request | None]:
        agent = self.crawler.settings.get("USER_AGENT") or "*"
        allowed = [
            (url, found)
            for url, found in choose_samples(self.findings, self.sample_pages * 2)
            if self.robots is None or self.robots.can_fetch(url, agent)
        ]
        for url, found in allowed[: self.sample_pages]:
            yield self.request(url, self.parse_sample, found=found)

    def parse_sample(self, response: Response) -> None:
        self.findings.pages.append(self.read_page(response, response.meta.get("found", "")))

    def read_page(self, response: Response, found: str) -> Page:
        page = Page(canonicalize_url(response.url), found, response.status)
        if response.status != 200 or not isinstance(response, TextResponse):
            return page
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        result = extract_page(response.body, response.url, False, content_type=content_type)
        html = response.text
        page.is_article = result.is_article
        page.title = result.article.title
        page.words = len((result.article.body or "").split())
        page.comments = len(result.comments)
        page.comment_form = has_comment_form(html)
        page.embed = detect_comment_embed(html)
        page.post_id = post_id_from_page(parse_html(response.body, content_type))
        page.body, page.content_type = response.body, content_type
        page.canonical = result.article.canonical_url
        return page

    # --- phase 4 ----------------------------------------------------------------------------

    def comment_api_requests(self) -> Iterator[scrapy.Request | None]:
        findings = self.findings
        if not findings.wp_posts or not findings.wp_rest_root:
            return
        # A post that takes comments but shows none in its HTML tells whether JavaScript loads them.
        ids = [p for p in findings.pages if p.is_article and p.post_id]
        article = next(
            (p for p in ids if p.comment_form and not p.comments), ids[0] if ids else None
        )
        if article is None:
            return
        findings.wp_comments_probe = article
        api = _rest_url(findings.wp_rest_root, "/wp/v2/comments")
        url = f"{api}{'&' if '?' in api else '?'}post={article.post_id}&per_page=100"
        yield self.request(url, self.parse_wp_comments, api=api)

    def parse_wp_comments(self, response: Response) -> None:
        try:
            data = json.loads(response.body) if response.status == 200 else None
        except ValueError:
            data = None
        if isinstance(data, list):
            self.findings.wp_comments = response.meta["api"]
            self.findings.wp_comments_count = len(data)


def choose_samples(findings: Findings, limit: int) -> list[tuple[str, str]]:
    """Up to `limit` pages to read, spread over where they were found and over URL shapes:
    feed entries and article sitemaps name likely articles; other sitemaps and the home page's
    links give the other kinds of page the pattern must leave out."""
    host = findings.host
    pools: list[tuple[str, list[str]]] = []
    for feed in findings.feeds:
        pools.append(("feed", [e.url for e in feed.entries]))
    for sitemap in findings.sitemaps:
        if sitemap.kind != "sitemapindex":
            pools.append(("sitemap", [e.url for e in newest_first(sitemap.entries)]))
    pools.append(("WordPress REST", [e.url for e in findings.wp_entries]))
    by_shape: dict[tuple[int, str], list[str]] = {}
    for url in findings.home_links:
        by_shape.setdefault(_shape(url), []).append(url)
    pools.append(
        (
            "home page link",
            [urls[i] for i in range(3) for urls in by_shape.values() if i < len(urls)],
        )
    )
    chosen: dict[str, str] = {}
    start = canonicalize_url(findings.start_url)
    queues = [
        (name, [canonicalize_url(u) for u in urls if site_host(u) == host]) for name, urls in pools
    ]
    while len(chosen) < limit and any(q for _, q in queues):
        for name, queue in queues:
            while queue:
                url = queue.pop(0)
                if url not in chosen and url != start:
                    chosen[url] = name
                    break
            if len(chosen) >= limit:
                break
    return list(chosen.items())


def _shape(url: str) -> tuple[int, str]:
    segments = [s for s in urlsplit(url).path.split("/") if s]
    first = (
        segments[0] if segments and not segments[0].isdigit() and "-" not in segments[0] else "*"
    )
    return len(segments), first


def _rest_url(root: str, route: str) -> str:
    """A route under a REST root that may be ``/wp-json/`` or ``/?rest_route=/``."""
    if "rest_route=" in root:
        from w3lib.url import add_or_replace_parameter

        return add_or_replace_parameter(root, "rest_route", route)
    return root.rstrip("/") + route


def _headers(response: Response) -> dict[str, str]:
    return {
        k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()
    }


def _site_title(response: TextResponse) -> str | None:
    for query in (
        "//meta[@property='og:site_name']/@content",
        "//meta[@name='application-name']/@content",
    ):
        value = response.xpath(query).get()
        if value and value.strip():
            return value.strip()
    title = (response.xpath("//title/text()").get() or "").strip()
    for separator in (" | ", " – ", " - ", " — ", " :: ", " · "):
        title = title.split(separator)[0]
    return title or None
