"""Several processes opening one brand-new database at the same instant (parallel scrapyd jobs)."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from pathlib import Path

from newscrawl.store.db import Store
from newscrawl.store.schema import SCHEMA_VERSION

WORKERS = 6


def _open(
    path: str, barrier: multiprocessing.synchronize.Barrier, queue: multiprocessing.Queue
) -> None:
    barrier.wait()
    try:
        Store(Path(path)).close()
        queue.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which asserts on it
        queue.put(f"{type(exc).__name__}: {exc}")


def test_simultaneous_first_opens_create_the_schema_once(tmp_path: Path) -> None:
    path = str(tmp_path / "new.db")
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    queue = ctx.Queue()
    procs = [ctx.Process(target=_open, args=(path, barrier, queue)) for _ in range(WORKERS)]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    assert results == ["ok"] * WORKERS
    conn = sqlite3.connect(path)
    versions = [
        row[0] for row in conn.execute("select version from schema_version order by version")
    ]
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"


def _register_sites(
    path: str, barrier: multiprocessing.synchronize.Barrier, queue: multiprocessing.Queue
) -> None:
    store = Store(Path(path), busy_timeout_ms=60_000)
    barrier.wait()
    try:
        ids = {}
        for number in range(SITES):
            ids[f"site-{number}"] = store.site_id(f"site-{number}")
            store.commit()
        queue.put(ids)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which asserts on it
        queue.put(f"{type(exc).__name__}: {exc}")
    finally:
        store.close()


SITES = 60


def test_processes_sharing_a_database_register_each_site_once(tmp_path: Path) -> None:
    """scrapy-redis workers share one file: a site first seen by two of them at once is one row."""
    path = str(tmp_path / "shared.db")
    Store(Path(path)).close()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_register_sites, args=(path, barrier, queue)) for _ in range(WORKERS)
    ]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    assert all(isinstance(result, dict) for result in results), results
    assert all(result == results[0] for result in results)  # every process got the same ids
    conn = sqlite3.connect(path)
    assert conn.execute("select count(*), count(distinct name) from sites").fetchone() == (
        SITES,
        SITES,
    )


# --- two workers writing one file for longer than a busy timeout ---------------------------------------------------------

PAGES = 120
# A page every 0.3 s: the crawl lasts longer than the store's busy timeout (30 s before this fix),
# as any real crawl does. Without the pause both workers would be done before the other waits.
PAUSE = 0.3


def _page_items(worker: int, number: int) -> list:
    from newscrawl.items import Article, Comment, RelatedLink

    url = f"https://w{worker}.example/{number}/"
    items = [Article(url=url, canonical_url=url, title=f"Story {worker}-{number}",
                     body=f"Paragraph {number} of worker {worker}. " * 20, site=f"w{worker}.example",
                     published="2026-01-01T10:00:00+00:00")]  # fmt: skip
    items += [
        RelatedLink(article_url=url, url=f"https://w{worker}.example/{(number + k) % PAGES}/",
                    block_label="Related", position=k)
        for k in (1, 2, 3)
    ]  # fmt: skip
    items += [
        Comment(article_url=url, text=f"Comment {k} on {number}", comment_id=f"c{number}-{k}")
        for k in (1, 2)
    ]
    return items


def _full_speed_worker(path: str, worker: int, barrier, queue) -> None:
    """One crawl process's store side, fed the way Scrapy's engine feeds it under load: items of
    consecutive pages interleave (the next page is announced before the last item of the one
    before is done), the incremental middleware reads fetch state and records a 304 between pages.
    Exceptions are caught and logged as the engine does (signal handlers, item_error)."""
    import logging
    from types import SimpleNamespace

    from scrapy import signals
    from scrapy.utils.test import get_crawler

    from newscrawl.incremental import (
        FetchRecord,
        RevisitPolicy,
        crawler_ledger,
        crawler_state,
        touch_entry,
    )  # fmt: skip
    from newscrawl.pipelines import NormalizePipeline, SQLiteStorePipeline
    from newscrawl.urls import url_key

    errors: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR:
                errors.append(record.getMessage()[:200])

    logging.getLogger().addHandler(Collect())
    crawler = get_crawler(settings_dict={"NEWSCRAWL_DB": path})
    crawler.spider = SimpleNamespace(name=f"worker{worker}", profile=None, host=None)
    pipeline = SQLiteStorePipeline.from_crawler(crawler)
    normalize = NormalizePipeline()
    ledger, state = crawler_ledger(crawler), crawler_state(crawler)
    pipeline.open_spider()
    barrier.wait()

    def handle(item) -> None:
        try:
            pipeline.process_item(normalize.process_item(item))
        except Exception as exc:  # what Scrapy's scraper does with a failing pipeline
            errors.append(repr(exc))
            crawler.signals.send_catch_log(signals.item_error, item=item, response=None,
                                           spider=crawler.spider, failure=exc)  # fmt: skip
            return
        crawler.signals.send_catch_log(signals.item_scraped, item=item, response=None,
                                       spider=crawler.spider)  # fmt: skip

    held = None
    for number in range(PAGES):
        time.sleep(PAUSE)  # downloading and extracting the page
        items = _page_items(worker, number)
        url = items[0].url
        known = state.fetch_state(url)  # a request for a known URL would be made conditional
        if known is None and number > 0:
            previous = state.fetch_state(f"https://w{worker}.example/{number - 1}/")
            if previous:
                state.submit(touch_entry(previous, RevisitPolicy(), not_modified=True))
        record = FetchRecord(url=url, site=f"w{worker}.example", etag=f'"{number}"',
                             last_modified=None, content_hash=f"h{number}", sitemap_lastmod=None,
                             fetched_at="2026-01-02T00:00:00+00:00", status=200,
                             article_key=url_key(url))  # fmt: skip
        ledger.expect(url_key(url), len(items), record)
        for item in items[:-1]:
            handle(item)
        if held is not None:
            handle(held)
        held = items[-1]
    handle(held)
    pipeline.close_spider()
    pipeline.spider_closed(crawler.spider, "finished")
    crawler_state(crawler).store.close()
    queue.put({"errors": errors, "stats": crawler.stats.get_stats()})


def test_two_workers_sharing_one_file_lose_nothing(tmp_path: Path) -> None:
    """Two processes store pages into one file as fast as they can: every page of both is
    stored whole, with its fetch state, and no write failed (retries are allowed, and counted)."""
    path = str(tmp_path / "shared.db")
    Store(Path(path)).close()
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_full_speed_worker, args=(path, w, barrier, queue)) for w in (1, 2)]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=240) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    for result in results:
        assert result["errors"] == [], result["errors"][:5]
        assert result["stats"].get("newscrawl/store/failed", 0) == 0
        assert result["stats"]["newscrawl/articles/new"] == PAGES
    conn = sqlite3.connect(path)
    counts = [
        conn.execute(f"select count(*) from {table}").fetchone()[0]
        for table in ("articles", "related_links", "comments", "fetch_state")
    ]
    assert counts == [2 * PAGES, 2 * PAGES * 3, 2 * PAGES * 2, 2 * PAGES]
    runs = conn.execute("select finish_reason, articles_new, store_failures from crawl_runs")
    assert sorted(runs.fetchall()) == [("finished", PAGES, 0)] * 2
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
