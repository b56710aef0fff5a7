"""The crawl side of reader comments: a thread's further pages and comment APIs.

An article page's own comments come with its items (`items_from_page`). What this module
adds, called from `NewsSpider.page_items`:

- HTML threads spread over pages (``comment-page-N``, ``?cpage=``, "older comments"): the
  pages are fetched one after the other, each page's links added to the queue, until none is
  left; their comments are joined to the article by its canonical URL.
- Comment APIs chosen by the profile's ``[comments] source``: WordPress REST (paged by
  ``X-WP-TotalPages``) and Disqus-style JSON (paged by cursor), parsed by
  `newscrawl.extract.comments.api`.
- Without such a choice, a WordPress page whose comments are open but not in its HTML
  (loaded by JavaScript) has them read from its public REST API
  (`wp_rest_comments_url`); counted as ``newscrawl/comments/wp_rest_discovered``, logged
  once per site, and not asked again on a site that refuses it. Setting
  ``NEWSCRAWL_DISCOVER_COMMENT_API = False`` turns this off.

When a thread is read to its end a `CommentThread(complete=True)` item follows its last
comment; a failed or malformed page ends it with ``complete=False``, so the store never
takes comments missing from a broken page as removed. Parsing stays in `newscrawl.extract`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urljoin

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure
from w3lib.url import add_or_replace_parameter

from .. import config
from ..extract import PageExtraction, parse_html
from ..extract.comments import comment_page_links, post_id_from_page, read_comment_page
from ..extract.comments.api import (
    CommentApiError,
    parse_disqus,
    parse_wp_rest,
    wp_rest_comments_url,
)
from ..extract.result import CommentData
from ..items import Comment, CommentThread
from ..middlewares import RetryLater
from ..urls import site_host

logger = logging.getLogger(__name__)


def comment_items(
    comments: list[CommentData], article_url: str, source: str, start: int, site: str | None
) -> Iterator[Comment]:
    """Comment items numbered on from `start` (positions run on across pages)."""
    for offset, comment in enumerate(comments, start=1):
        yield Comment(
            article_url=article_url, text=comment.text, comment_id=comment.id,
            parent_id=comment.parent_id, author=comment.author, published=comment.published,
            score=comment.score, source=source, position=start + offset, site=site,
        )  # fmt: skip


class CommentThreadsMixin:
    """Spider methods that read a thread to its end (mixed into `NewsSpider`; they are methods
    so that requests stay serialisable for ``JOBDIR``)."""

    crawler: Any
    profile: Any

    def follow_comments(self, response: Response, result: PageExtraction) -> Iterator[Any]:
        """After an article's own items: requests for the rest of its thread, or the thread's end."""
        profile = self.profile
        rules = profile.comments if profile else None
        source = rules.source if rules else "html"
        if source == "none":
            return
        article_url = result.article.canonical_url
        state = {
            "article": article_url,
            "source": source,
            "position": len(result.comments),
            "pages": 1,
            "site": profile.name if profile else None,
        }
        tree = parse_html(
            response.body, response.headers.get(b"Content-Type", b"").decode("latin-1")
        )
        if source in ("wp-rest", "disqus-json"):
            post_id = post_id_from_page(tree, rules.post_id)
            if not post_id:
                self.crawler.stats.inc_value("newscrawl/comments/api_no_post_id")
                logger.warning("No post id for the %s comment API on %s", source, response.url)
                yield CommentThread(article_url, False, source, 0, "no post id on the page")
                return
            api = rules.api_url.replace("{post_id}", quote(post_id, safe="")).replace(
                "{url}", quote(article_url, safe="")
            )
            url = urljoin(response.url, api)
            state.update(api=url, position=0, pages=0)
            if source == "wp-rest":
                url = add_or_replace_parameter(url, "page", "1")
            yield self._comment_api_request(url, state)
            return
        if source == "html" and not result.comments:
            api = self._discovered_api(tree, response.url)
            if api:
                state.update(source="wp-rest", api=api, position=0, pages=0, discovered=True)
                yield self._comment_api_request(add_or_replace_parameter(api, "page", "1"), state)
                return
        links = comment_page_links(tree, response.url, rules.pagination if rules else None)
        if not links:
            yield CommentThread(article_url, True, "html", 1)
            return
        state.update(done=[response.url], queue=links)
        yield from self._next_comment_page(state)

    def _discovered_api(self, tree: Any, url: str) -> str | None:
        """The WordPress REST listing of a page whose comments are not in its HTML, unless
        discovery is off or the site refused it earlier in this run."""
        if not config.get(self.crawler.settings, "NEWSCRAWL_DISCOVER_COMMENT_API"):
            return None
        host = site_host(url)
        refused: set[str] = self.__dict__.setdefault("_wp_rest_refused", set())
        if host in refused:
            return None
        api = wp_rest_comments_url(tree, url)
        if api is None:
            return None
        self.crawler.stats.inc_value("newscrawl/comments/wp_rest_discovered")
        announced: set[str] = self.__dict__.setdefault("_wp_rest_announced", set())
        if host not in announced:
            announced.add(host)
            logger.info(
                "%s advertises the WordPress REST API and loads its comments with JavaScript:"
                " reading them from %s",
                host, api.split("?", 1)[0],
            )  # fmt: skip
        return api

    def _refuse_discovered(self, state: dict[str, Any], url: str, why: str) -> None:
        """A discovered API that failed is not asked again on that site in this run."""
        if not state.get("discovered"):
            return
        host = site_host(state["article"])
        refused: set[str] = self.__dict__.setdefault("_wp_rest_refused", set())
        if host not in refused:
            refused.add(host)
            self.crawler.stats.inc_value("newscrawl/comments/wp_rest_refused")
            logger.info("WordPress REST comments of %s unavailable (%s at %s)", host, why, url)

    def _next_comment_page(self, state: dict[str, Any]) -> Iterator[Any]:
        """Request the next unread page of an HTML thread, or end the thread."""
        limit = config.get(self.crawler.settings, "NEWSCRAWL_MAX_COMMENT_PAGES")
        queue = [u for u in state["queue"] if u not in state["done"]]
        if not queue:
            yield CommentThread(state["article"], True, "html", state["pages"])
            return
        if state["pages"] >= limit:
            self.crawler.stats.inc_value("newscrawl/comments/max_pages_reached")
            logger.info("Comment pages of %s cut at %d", state["article"], limit)
            yield CommentThread(state["article"], False, "html", state["pages"], "page limit")
            return
        url, state = queue[0], {**state, "queue": queue[1:]}
        yield scrapy.Request(
            url,
            callback=self.parse_comment_page,
            errback=self.comment_page_failed,
            meta={"comment_thread": state},
            dont_filter=True,
        )

    def parse_comment_page(self, response: Response) -> Iterator[Any]:
        """One further page of an HTML thread: its comments, then the next page."""
        state = dict(response.meta["comment_thread"])
        profile = self.profile
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        try:
            comments, links = read_comment_page(response.body, response.url, profile, content_type)
        except Exception as exc:  # noqa: BLE001 (one bad page ends the thread, not the crawl)
            self.crawler.stats.inc_value("newscrawl/extract_errors/comments")
            logger.warning(
                "Extraction stage 'comments' failed on %s (%s: %s); thread of %s left incomplete",
                response.url, type(exc).__name__, exc, state["article"],
            )  # fmt: skip
            yield CommentThread(state["article"], False, "html", state["pages"], str(exc)[:200])
            return
        self.crawler.stats.inc_value("newscrawl/comments/pages")
        yield from comment_items(
            comments, state["article"], "html", state["position"], state["site"]
        )
        state.update(
            position=state["position"] + len(comments),
            pages=state["pages"] + 1,
            done=[*state["done"], response.url],
            queue=[*state["queue"], *(u for u in links if u not in state["queue"])],
        )
        yield from self._next_comment_page(state)

    def comment_page_failed(self, failure: Failure) -> Iterator[Any]:
        """A comment page or API page could not be fetched: the thread stays incomplete."""
        if failure.check(RetryLater):
            return  # put aside until its Retry-After wait is over
        request = failure.request
        state = request.meta["comment_thread"]
        self.crawler.stats.inc_value("newscrawl/comments/pages_failed")
        if failure.check(HttpError) and failure.value.response.status in (401, 403, 404, 410):
            self._refuse_discovered(state, request.url, f"HTTP {failure.value.response.status}")
        logger.warning(
            "Comment page %s of %s failed (%s): thread left incomplete",
            request.url, state["article"], failure.getErrorMessage(),
        )  # fmt: skip
        yield CommentThread(
            state["article"], False, state["source"], state["pages"], failure.getErrorMessage()
        )

    def _comment_api_request(self, url: str, state: dict[str, Any]) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_comment_api,
            errback=self.comment_page_failed,
            meta={"comment_thread": state, "expects": "json"},
            headers={"Accept": "application/json"},
            dont_filter=True,
        )

    def parse_comment_api(self, response: Response) -> Iterator[Any]:
        """One page of a comment API answer: its comments, then the next page or the thread's end."""
        state = dict(response.meta["comment_thread"])
        source = state["source"]
        stats = self.crawler.stats
        try:
            if source == "wp-rest":
                page = int(response.meta.get("api_page", 1))
                total = response.headers.get(b"X-WP-TotalPages")
                parsed = parse_wp_rest(response.body, page, total.decode() if total else None)
            else:
                parsed = parse_disqus(response.body)
        except CommentApiError as exc:
            stats.inc_value("newscrawl/comments/api_malformed")
            self._refuse_discovered(state, response.url, "not a comment listing")
            logger.warning(
                "Malformed %s answer at %s for %s: %s; thread left incomplete",
                source, response.url, state["article"], exc,
            )  # fmt: skip
            yield CommentThread(state["article"], False, source, state["pages"], str(exc))
            return
        stats.inc_value("newscrawl/comments/api_pages")
        yield from comment_items(
            parsed.comments, state["article"], source, state["position"], state["site"]
        )
        state.update(position=state["position"] + len(parsed.comments), pages=state["pages"] + 1)
        limit = config.get(self.crawler.settings, "NEWSCRAWL_MAX_COMMENT_PAGES")
        more = parsed.next_page is not None or parsed.next_cursor is not None
        if more and state["pages"] >= limit:
            stats.inc_value("newscrawl/comments/max_pages_reached")
            yield CommentThread(state["article"], False, source, state["pages"], "page limit")
            return
        if parsed.next_page is not None:
            url = add_or_replace_parameter(state["api"], "page", str(parsed.next_page))
            request = self._comment_api_request(url, state)
            request.meta["api_page"] = parsed.next_page
            yield request
        elif parsed.next_cursor is not None:
            yield self._comment_api_request(
                add_or_replace_parameter(state["api"], "cursor", parsed.next_cursor), state
            )
        else:
            yield CommentThread(state["article"], True, source, state["pages"])
