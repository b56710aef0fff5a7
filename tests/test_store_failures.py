"""A store failure is never silent: pages that cannot be written are spooled, counted, reported
in `crawl_runs` and the exit status, and `newscrawl store --from-spool` writes them later."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newscrawl.runs import EXIT_STATUSES
from newscrawl.samples.generated import build_site
from newscrawl.samples.server import SampleSite
from newscrawl.store import open_store

from .conftest import FAST, ROOT, run_crawl, snapshot

pytestmark = pytest.mark.slow

ARTICLES = 40
# One quick retry only, so a lock held for a few seconds makes pages fail (the defaults wait ~35 s).
IMPATIENT = ["NEWSCRAWL_DB_RETRIES=1", "NEWSCRAWL_DB_BUSY_TIMEOUT=0.2", "DOWNLOAD_DELAY=0.1"]


def article_hits(server: SampleSite) -> int:
    return sum(count for path, count in server.hits.items() if path.count("/") == 5)


def test_pages_that_cannot_be_written_are_spooled_then_stored(tmp_path: Path, monkeypatch) -> None:
    site = build_site(tmp_path / "gen", ARTICLES)
    monkeypatch.setenv("NEWSCRAWL_SITES_DIR", str(site.profile_dir))
    server = SampleSite(site.root).start()
    try:
        reference = tmp_path / "reference.db"
        run_crawl("generated", reference, {"base_url": server.url})
        db = tmp_path / "news.db"
        open_store(db).close()
        before = article_hits(server)
        command = [sys.executable, "-m", "scrapy", "crawl", "generated", "-a", f"base_url={server.url}",
                   "-s", f"NEWSCRAWL_DB={db}", "-s", "LOG_LEVEL=INFO"]  # fmt: skip
        for setting in [*FAST, *IMPATIENT]:
            command += ["-s", setting]
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
        env.pop("NEWSCRAWL_DB", None)
        log = tmp_path / "crawl.log"
        with log.open("w") as out:
            crawl = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        deadline = time.monotonic() + 120
        while article_hits(server) - before < 3:  # crawling articles: take the write lock
            assert crawl.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline
            time.sleep(0.01)
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("begin immediate")  # another process holds the write lock...
        while article_hits(server) - before < 20:  # ... while half the articles are stored
            assert crawl.poll() is None, "the crawl ended while the lock was held"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        holder.execute("rollback")
        holder.close()
        assert crawl.wait(timeout=180) == EXIT_STATUSES["store_error"][0], log.read_text()[-3000:]
    finally:
        server.stop()

    text = log.read_text(encoding="utf-8")
    assert "Could not store" in text and "newscrawl store --from-spool" in text
    with sqlite3.connect(db) as conn:
        failures, errors, stats = conn.execute(
            "select store_failures, errors, stats from crawl_runs"
        ).fetchone()
        stored = conn.execute("select count(*) from articles").fetchone()[0]
    spool = Path(f"{db}-spool.jsonl")
    lines = spool.read_text(encoding="utf-8").splitlines()
    assert failures >= 1 and errors >= failures
    assert len(lines) == failures == json.loads(stats)["newscrawl/store/spooled"]
    assert stored < ARTICLES  # the spooled pages are not in the database yet

    replay = subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", "store", "--from-spool", str(spool), "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert replay.returncode == 0, replay.stderr[-3000:]
    assert f"{len(lines)} entries stored, 0 left" in replay.stdout
    assert not spool.exists() and list(tmp_path.glob("news.db-spool.jsonl.*.done"))
    assert snapshot(db) == snapshot(reference)
