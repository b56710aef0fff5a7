"""Killed runs: SIGKILL part way, run again, and the database equals one uninterrupted run's.

A generated site of 300 articles is crawled; each page is one short transaction, so a kill lands
between and inside many commits. Compared: every content column of articles, related
links, comments and versions, the fetch state's validators, and `PRAGMA integrity_check`.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newscrawl.samples.generated import build_site

from .conftest import FAST, ROOT, run_crawl, snapshot

pytestmark = pytest.mark.slow

ARTICLES = 300
SETTINGS: list[str] = []


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The site, its server, and the database of one uninterrupted crawl of it."""
    from newscrawl.samples.server import SampleSite

    folder = tmp_path_factory.mktemp("resume")
    site = build_site(folder / "gen", ARTICLES)
    old = os.environ.get("NEWSCRAWL_SITES_DIR")
    os.environ["NEWSCRAWL_SITES_DIR"] = str(site.profile_dir)
    server = SampleSite(site.root).start()
    reference = folder / "reference.db"
    run_crawl("generated", reference, {"base_url": server.url}, settings=SETTINGS)
    yield {"site": site, "server": server, "reference": snapshot(reference), "folder": folder}
    server.stop()
    if old is None:
        os.environ.pop("NEWSCRAWL_SITES_DIR", None)
    else:
        os.environ["NEWSCRAWL_SITES_DIR"] = old


def article_hits(server) -> int:
    return sum(count for path, count in server.hits.items() if path.count("/") == 5)


def start_crawl(db: Path, server, extra: list[str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "scrapy", "crawl", "generated", "-a", f"base_url={server.url}",
               "-s", f"NEWSCRAWL_DB={db}", "-s", "LOG_LEVEL=INFO"]  # fmt: skip
    for setting in [*FAST, *SETTINGS]:
        command += ["-s", setting]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
    env.pop("NEWSCRAWL_DB", None)
    return subprocess.Popen(
        [*command, *extra], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def crawl_until(db: Path, server, hits: int, sig: int, extra: list[str] | None = None) -> None:
    """Start a crawl and send it `sig` once it has asked for `hits` more article pages."""
    start = article_hits(server)
    process = start_crawl(db, server, extra or [])
    deadline = time.monotonic() + 120
    while article_hits(server) - start < hits:
        assert process.poll() is None, "the crawl ended before the kill point"
        assert time.monotonic() < deadline, "the crawl made no progress"
        time.sleep(0.02)
    process.send_signal(sig)
    process.communicate(timeout=120)


@pytest.mark.parametrize("kill_after", [5, 90, 240])
def test_sigkill_then_rerun_equals_one_run(generated, tmp_path, kill_after):
    db = tmp_path / "news.db"
    crawl_until(db, generated["server"], kill_after, signal.SIGKILL)
    with sqlite3.connect(db) as conn:
        stored = conn.execute("select count(*) from articles").fetchone()[0]
        unfinished = conn.execute(
            "select count(*) from crawl_runs where finished is null"
        ).fetchone()
    assert stored < ARTICLES and unfinished == (1,)  # really killed part way
    run_crawl("generated", db, {"base_url": generated["server"].url}, settings=SETTINGS)
    assert snapshot(db) == generated["reference"]


def test_killed_twice_then_rerun_equals_one_run(generated, tmp_path):
    db = tmp_path / "news.db"
    crawl_until(db, generated["server"], 60, signal.SIGKILL)
    crawl_until(db, generated["server"], 60, signal.SIGKILL)
    run_crawl("generated", db, {"base_url": generated["server"].url}, settings=SETTINGS)
    assert snapshot(db) == generated["reference"]


def test_jobdir_pause_and_resume(generated, tmp_path):
    """`-s JOBDIR=...`: stopped gracefully (SIGTERM) part way, resumed from its queue."""
    db = tmp_path / "news.db"
    jobdir = ["-s", f"JOBDIR={tmp_path / 'job'}"]
    crawl_until(db, generated["server"], 80, signal.SIGTERM, jobdir)
    assert (tmp_path / "job" / "requests.seen").is_file()
    with sqlite3.connect(db) as conn:
        reason, stats = conn.execute("select finish_reason, stats from crawl_runs").fetchone()
    assert "scheduler/unserializable" not in stats  # every request could go to the JOBDIR queue
    with sqlite3.connect(db) as conn:
        stored = conn.execute("select count(*) from articles").fetchone()[0]
    assert reason == "shutdown" and stored < ARTICLES
    result = run_crawl(
        "generated", db, {"base_url": generated["server"].url}, settings=SETTINGS, extra=jobdir
    )
    assert "Resuming crawl" in result.stderr
    assert snapshot(db) == generated["reference"]
