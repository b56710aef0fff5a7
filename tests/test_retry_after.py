"""Retry-After: the wait holds no concurrency slot, and none happens when no retry is left.

No wall-clock assertion: what is checked is the order in which the server saw the requests
(with 2 slots, a wait that held them would let no other page through until it ended) and the
counters.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from newscrawl.samples.server import Answer, SampleSite

from .conftest import FAST, ROOT, crawl_stats, run_crawl
from .test_bad_input import ARTICLE

pytestmark = pytest.mark.slow

LIMITED = [f"/busy-{n}/" for n in range(4)]
NORMAL = [f"/calm-story-{n}/" for n in range(12)]


# A short story, but clearly one: the page-type model is sure of it (p(article) > 0.7).
STORY = (
    "The city said the new service would start in spring, after a trial in two districts where"
    " residents had asked for shorter waits at the counters. Officials expect the first results"
    " by the end of the year, and the council will publish them in full, it said."
)


def article(title: str) -> Answer:
    return Answer(200, ARTICLE.format(lang="en", meta="", title=title, text=STORY))


@pytest.fixture
def busy_site(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    server = SampleSite(root).start()
    # Scrapy schedules last in, first out: the rate-limited pages, last on the page, go first.
    links = "".join(f'<a href="{path}">{path}</a>' for path in [*NORMAL, *LIMITED])
    server.answers["/"] = Answer(200, f"<html><body>{links}</body></html>")
    server.answers["/robots.txt"] = Answer(
        200, "User-agent: *\nAllow: /\n", content_type="text/plain"
    )
    for path in NORMAL:
        server.answers[path] = article(f"Calm story {path[-3:-1]}")
    seen: dict[str, int] = {}

    def limited(path, query):
        seen[path] = seen.get(path, 0) + 1
        if seen[path] == 1:
            return Answer(429, "slow down", {"Retry-After": "5"})
        return article(f"Busy story {path[-2]}")

    for path in LIMITED:
        server.handlers[path] = limited
    server.handlers["/always-busy/"] = lambda path, query: Answer(
        429, "slow down", {"Retry-After": "2"}
    )
    yield server
    server.stop()


def test_waits_hold_no_slot(tmp_path, busy_site):
    db = tmp_path / "news.db"
    result = run_crawl(
        "generic",
        db,
        {"start_url": busy_site.url + "/"},
        # Retries keep their priority: a retry ready early would be fetched before the rest.
        settings=[
            "CONCURRENT_REQUESTS=2",
            "CONCURRENT_REQUESTS_PER_DOMAIN=2",
            "RETRY_TIMES=2",
            "RETRY_PRIORITY_ADJUST=0",
        ],  # fmt: skip
    )
    stats = crawl_stats(result)
    assert "'newscrawl/retry_after/waited': 4" in stats
    order = [path for path, _ in busy_site.log]
    first_retry = min(
        i for i, path in enumerate(order) if path in LIMITED and order[:i].count(path)
    )
    last_normal = max(i for i, path in enumerate(order) if path in NORMAL)
    assert last_normal < first_retry, order  # every other page went by during the waits
    with sqlite3.connect(db) as conn:
        titles = {t for (t,) in conn.execute("select title from articles")}
    assert len(titles) == len(LIMITED) + len(NORMAL)


def test_no_wait_when_no_retry_is_left(tmp_path, busy_site):
    busy_site.answers["/"] = Answer(200, '<html><body><a href="/always-busy/">x</a></body></html>')
    db = tmp_path / "news.db"
    result = run_crawl(
        "generic", db, {"start_url": busy_site.url + "/"}, settings=["RETRY_TIMES=1"]
    )
    stats = crawl_stats(result)
    assert busy_site.hits["/always-busy/"] == 2
    assert "'newscrawl/retry_after/waited': 1" in stats  # before the one retry, not after it
    assert "'newscrawl/retry_after/no_retry_left': 1" in stats
    assert "'newscrawl/failed/http_429': 1" in stats


def test_a_waiting_retry_survives_a_jobdir_pause(tmp_path, busy_site):
    """SIGTERM while a retry waits: it is saved in the JOBDIR and fetched on resume."""
    busy_site.answers["/"] = Answer(
        200, '<html><body><a href="/the-story-that-waited/">x</a></body></html>'
    )
    answers = {"n": 0}

    def paused(path, query):
        answers["n"] += 1
        if answers["n"] == 1:
            return Answer(429, "slow down", {"Retry-After": "120"})
        return article("Fetched after the pause")

    busy_site.handlers["/the-story-that-waited/"] = paused
    db = tmp_path / "news.db"
    jobdir = tmp_path / "job"
    command = [sys.executable, "-m", "scrapy", "crawl", "generic", "-a",
               f"start_url={busy_site.url}/", "-s", f"NEWSCRAWL_DB={db}", "-s", f"JOBDIR={jobdir}"]  # fmt: skip
    for setting in FAST:
        command += ["-s", setting]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while busy_site.hits["/the-story-that-waited/"] < 1:
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(1)  # the 429 reaches the middleware
    process.send_signal(signal.SIGTERM)
    log = process.communicate(timeout=120)[1]
    assert "Saved 1 waiting retries" in log
    assert (jobdir / "newscrawl-retry-after.pickle").is_file()
    result = run_crawl(
        "generic", db, {"start_url": busy_site.url + "/"}, settings=[f"JOBDIR={jobdir}"]
    )
    assert "Rescheduled 1 retries" in result.stderr
    with sqlite3.connect(db) as conn:
        titles = {t for (t,) in conn.execute("select title from articles")}
    assert titles == {"Fetched after the pause"}
