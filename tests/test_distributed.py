"""Distributed mode: two `scrapy crawl` workers share one crawl through a real Redis server.

A generated site of 200 articles is crawled by two workers writing one SQLite file: each page is
fetched once across both (seeds included), both do part of the work, the database holds every
article once, and a second run is a new run (not blocked by the first run's duplicate filter)
whose conditional requests and 304s go through the same shared database without lock errors.
The commentlab site checks that paginated comment threads stay whole when two workers crawl.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.http import Request
from scrapy.settings import Settings

from newscrawl.samples import site_dir
from newscrawl.samples.apis import serve_commentlab_apis
from newscrawl.samples.generated import build_site
from newscrawl.samples.server import SampleSite

from .conftest import ROOT, _has_module, needs

pytestmark = pytest.mark.slow

ARTICLES = 200
# A small delay per request stands in for politeness: without it one worker drains the queue
# before the other has polled it (an idle worker looks at the shared queue every 5 s).
SETTINGS = ["AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0.05", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
            "LOG_LEVEL=INFO"]  # fmt: skip
PROFILES = ROOT / "newscrawl" / "samples" / "profiles"


def start_worker(spider: str, db: Path, base_url: str, redis_url: str, log: Path, *,
                 via_env: bool) -> subprocess.Popen:  # fmt: skip
    """One worker; the Redis URL comes from the environment or from ``-s`` (both must work)."""
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"base_url={base_url}",
               "-s", f"NEWSCRAWL_DB={db}"]  # fmt: skip
    for setting in SETTINGS:
        command += ["-s", setting]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
    env.pop("NEWSCRAWL_DB", None)
    env.pop("NEWSCRAWL_REDIS_URL", None)
    if via_env:
        env["NEWSCRAWL_REDIS_URL"] = redis_url
    else:
        command += ["-s", f"NEWSCRAWL_REDIS_URL={redis_url}"]
    with log.open("w") as out:  # a file, not a pipe: nobody reads the log while it runs
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)


def run_workers(spider: str, db: Path, base_url: str, redis_url: str, folder: Path,
                tag: str) -> tuple[list[str], float]:  # fmt: skip
    """Two workers started together; their logs and the wall time until both ended."""
    logs = [folder / f"{tag}-worker{i}.log" for i in range(2)]
    began = time.monotonic()
    workers = [
        start_worker(spider, db, base_url, redis_url, log, via_env=i == 0)
        for i, log in enumerate(logs)
    ]
    codes = [worker.wait(timeout=240) for worker in workers]
    texts = [log.read_text(encoding="utf-8", errors="replace") for log in logs]
    for code, text in zip(codes, texts, strict=True):
        assert code == 0, f"worker failed ({code}):\n{text[-4000:]}"
    return texts, time.monotonic() - began


def runs(db: Path) -> list[dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("select * from crawl_runs order by id")]


def redis_keys(url: str, pattern: str) -> list[bytes]:
    import redis

    return redis.Redis.from_url(url).keys(pattern)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("distributed")
    site = build_site(folder / "gen", ARTICLES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSCRAWL_SITES_DIR", str(site.profile_dir))
        server = SampleSite(site.root).start()
        yield {"site": site, "server": server, "folder": folder, "db": folder / "shared.db"}
        server.stop()


@pytest.fixture(scope="module")
def first_run(generated, redis_url) -> dict:
    """Both workers crawl the site into one new database (its schema created under the lock)."""
    server = generated["server"]
    logs, seconds = run_workers(
        "generated", generated["db"], server.url, redis_url, generated["folder"], "first"
    )
    return {"logs": logs, "seconds": seconds, "hits": dict(server.hits)}


def test_two_workers_fetch_each_page_once_into_one_database(generated, first_run, redis_url):
    site, db, hits = generated["site"], generated["db"], first_run["hits"]
    paths = [article.path for article in site.articles]
    assert {p: hits.get(p, 0) for p in paths if hits.get(p, 0) != 1} == {}
    for seed in ("/", "/feed/", "/sitemap.xml"):  # not fetched again by the second worker
        assert hits[seed] == 1, seed
    first = runs(db)
    assert [r["finish_reason"] for r in first] == ["finished", "finished"]
    assert [r["errors"] for r in first] == [0, 0]
    downloads = [r["article_downloads"] for r in first]
    assert min(downloads) > 0 and sum(downloads) == ARTICLES, downloads
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        stored = [u for (u,) in conn.execute("select canonical_url from articles")]
        comments = conn.execute("select count(*) from comments").fetchone()[0]
        links = conn.execute("select count(*) from related_links").fetchone()[0]
        fetch_states = conn.execute("select count(*) from fetch_state").fetchone()[0]
    assert sorted(stored) == sorted(article.url for article in site.articles)
    assert comments == sum(len(article.comments) for article in site.articles)
    assert links == sum(len(article.related) for article in site.articles)
    assert fetch_states == ARTICLES
    assert redis_keys(redis_url, "newscrawl:generated:*") == []  # the last worker cleared the run
    for log in first_run["logs"]:
        assert "database is locked" not in log and "Traceback" not in log


def test_a_second_run_starts_afresh_and_shares_the_database(generated, first_run, redis_url):
    site, server, db = generated["site"], generated["server"], generated["db"]
    before = len(server.log)
    logs, _ = run_workers("generated", db, server.url, redis_url, generated["folder"], "second")
    for seed in ("/", "/feed/", "/sitemap.xml"):  # once per run: the old dupefilter was cleared
        assert server.hits[seed] == 2, seed
    paths = {article.path for article in site.articles}
    again = [(path, status) for path, status in server.log[before:] if path in paths]
    assert again, "recent articles are due every run: some conditional requests were expected"
    assert {status for _, status in again} == {304}
    assert len(again) == len({path for path, _ in again})  # each at most once across workers
    second = runs(db)[2:]
    assert [r["errors"] for r in second] == [0, 0]
    # Every 304 is an article's or, since the first run finished, a feed's or article sitemap's.
    feeds = [
        json.loads(r["stats"]).get("newscrawl/incremental/discovery_not_modified", 0)
        for r in second
    ]
    assert sum(feeds) >= 1
    assert sum(r["not_modified"] for r in second) == len(again) + sum(feeds)
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from articles").fetchone()[0] == ARTICLES
        assert conn.execute("select count(*) from article_versions").fetchone()[0] == 0
    assert redis_keys(redis_url, "newscrawl:generated:*") == []
    for log in logs:
        assert "database is locked" not in log and "Traceback" not in log


def test_paginated_comment_threads_stay_whole(redis_url, tmp_path: Path, monkeypatch) -> None:
    """Further comment pages stay with the worker that read the article, so each thread is
    complete, in order, and no comment is taken as removed."""
    monkeypatch.setenv("NEWSCRAWL_SITES_DIR", str(PROFILES))
    expected = json.loads((site_dir("commentlab") / "expected.json").read_text(encoding="utf-8"))
    site = SampleSite(site_dir("commentlab")).start()
    serve_commentlab_apis(site)
    try:
        db = tmp_path / "news.db"
        logs, _ = run_workers("commentlab", db, site.url, redis_url, tmp_path, "lab")
    finally:
        site.stop()
    assert site.hits["/paginated/comment-page-2/"] == site.hits["/paginated/comment-page-3/"] == 1
    with sqlite3.connect(db) as conn:
        for url, want in expected["comments"].items():
            got = conn.execute(
                "select c.site_comment_id from comments c join articles a on a.id = c.article_id"
                " where a.canonical_url = ? order by c.position",
                (url,),
            ).fetchall()
            assert [r[0] for r in got] == [c["id"] for c in want], url
        removed = conn.execute("select count(*) from comments where removed_at is not null")
        assert removed.fetchone()[0] == 0
    assert sum("newscrawl/distributed/local_requests" in log for log in logs) >= 1
    assert redis_keys(redis_url, "newscrawl:commentlab:*") == []


def _open_at_once(url: str, db: str, barrier, results) -> None:
    """Child process: wait for the other one, then create the schema under the Redis lock."""
    import redis

    from newscrawl.distributed import create_schema_once

    barrier.wait()
    try:
        create_schema_once(redis.Redis.from_url(url), db)
        results.put("ok")
    except Exception as exc:  # reported to the parent, which asserts on it
        results.put(repr(exc))


def test_two_workers_create_a_new_database_at_once(redis_url, tmp_path: Path) -> None:
    """Opened by two processes at the same instant, a new database fails without the lock."""
    context = multiprocessing.get_context("spawn")
    for attempt in range(3):  # without the lock, each attempt fails (20 of 20 measured)
        barrier, results = context.Barrier(2), context.Queue()
        db = str(tmp_path / f"new{attempt}.db")
        children = [
            context.Process(target=_open_at_once, args=(redis_url, db, barrier, results))
            for _ in range(2)
        ]
        for child in children:
            child.start()
        outcomes = [results.get(timeout=60) for _ in children]
        for child in children:
            child.join(timeout=60)
        assert outcomes == ["ok", "ok"]
        with sqlite3.connect(db) as conn:
            assert conn.execute("select max(version) from schema_version").fetchone()[0] >= 2


# --- the parts, without a crawl -------------------------------------------------------------------


class _FakeShared:
    """Stands in for scrapy-redis's scheduler (not opened: no Redis queue to lease from)."""

    def __init__(self) -> None:
        self.pushed: list[Request] = []

    def enqueue_request(self, request: Request) -> bool:
        self.pushed.append(request)
        return True

    def next_request(self) -> Request | None:
        return self.pushed.pop(0) if self.pushed else None

    def has_pending_requests(self) -> bool:
        return bool(self.pushed)

    def __len__(self) -> int:
        return len(self.pushed)


class _Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def test_comment_thread_requests_stay_in_this_worker() -> None:
    from newscrawl.distributed import SharedScheduler

    shared, stats = _FakeShared(), _Stats()
    scheduler = SharedScheduler(shared, stats)
    article = Request("https://example.com/a/")
    thread = Request("https://example.com/a/comment-page-2/", meta={"comment_thread": {}})
    assert scheduler.enqueue_request(article) and scheduler.enqueue_request(thread)
    assert shared.pushed == [article] and len(scheduler) == 2
    assert scheduler.next_request() is thread  # a started thread is finished first
    assert scheduler.next_request() is article
    assert not scheduler.has_pending_requests() and scheduler.next_request() is None
    assert stats.values == {"newscrawl/distributed/local_requests": 1}


def test_addon_switches_on_only_with_a_local_redis_url() -> None:
    needs("scrapy-redis", _has_module("scrapy_redis"), "pip install 'scrapy-redis>=0.9' 'redis>=5'")
    from newscrawl.distributed import DistributedAddon, is_local_redis

    settings = Settings({"EXTENSIONS": {}, "NEWSCRAWL_REDIS_URL": ""})
    DistributedAddon().update_settings(settings)
    assert settings["SCHEDULER"] == "scrapy.core.scheduler.Scheduler"
    assert "REDIS_URL" not in settings and not settings.getdict("EXTENSIONS")

    settings = Settings({"EXTENSIONS": {}, "NEWSCRAWL_REDIS_URL": "redis://127.0.0.1:6390/2",
                         "NEWSCRAWL_REDIS_KEY": "nc:%(spider)s"})  # fmt: skip
    DistributedAddon().update_settings(settings)
    assert settings["SCHEDULER"] == "newscrawl.distributed.SharedScheduler"
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert settings["REDIS_URL"] == "redis://127.0.0.1:6390/2"
    assert settings["SCHEDULER_QUEUE_KEY"] % {"spider": "s"} == "nc:s:requests"
    assert settings.getbool("SCHEDULER_PERSIST")
    assert "newscrawl.distributed.WorkerPool" in settings.getdict("EXTENSIONS")

    remote = Settings({"EXTENSIONS": {}, "NEWSCRAWL_REDIS_URL": "redis://10.0.0.5:6379/0"})
    with pytest.raises(ValueError, match="SSH tunnel"):
        DistributedAddon().update_settings(remote)
    remote.set("NEWSCRAWL_REDIS_ALLOW_REMOTE", True)
    DistributedAddon().update_settings(remote)
    assert remote["REDIS_URL"] == "redis://10.0.0.5:6379/0"

    assert is_local_redis("redis://localhost:6379") and is_local_redis("redis://[::1]:6379/0")
    assert is_local_redis("unix:///run/redis.sock") and not is_local_redis("redis://redis:6379")
    with pytest.raises(ValueError):
        is_local_redis("http://127.0.0.1:6379")


def test_requests_are_leased_and_a_dead_workers_leases_go_back_to_the_queue(redis_url) -> None:
    """Taken from the queue and leased in one step; a lease ends when its request is done or
    queued again (a retry); what a dead worker still held is put back, once."""
    from types import SimpleNamespace

    import redis
    from scrapy import Spider
    from scrapy_redis.queue import PriorityQueue

    from newscrawl.distributed import SharedScheduler, requeue_leases

    server = redis.Redis.from_url(redis_url)
    server.flushall()
    queue = PriorityQueue(server, Spider("leases"), "t:requests")
    for number in range(5):
        queue.push(Request(f"https://x.example/{number}/", priority=10 - number))
    shared = SimpleNamespace(queue=queue, server=server, enqueue_request=queue.push)
    scheduler = SharedScheduler(shared, _Stats(), "t:leases:vm:1")
    taken = [scheduler.next_request() for _ in range(3)]
    assert [r.url for r in taken] == [f"https://x.example/{n}/" for n in range(3)]
    assert len(queue) == 2 and server.hlen("t:leases:vm:1") == 3
    scheduler.release([taken[0].meta["lease"]])  # its page was stored
    retry = taken[1].replace(dont_filter=True)
    scheduler.enqueue_request(retry)  # a retry: back in the queue, no longer leased
    assert len(queue) == 3 and server.hlen("t:leases:vm:1") == 1
    assert requeue_leases(server, "t:leases:vm:1", queue) == 1  # the worker died holding one
    assert requeue_leases(server, "t:leases:vm:1", queue) == 0  # put back once only
    urls = {queue.pop().url for _ in range(len(queue))}
    assert urls == {f"https://x.example/{n}/" for n in (1, 2, 3, 4)}
