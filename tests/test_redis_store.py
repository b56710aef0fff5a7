"""Workers on several machines sharing nothing but Redis, one SQLite writer.

"Machines" are worker processes with their own working folder and a NEWSCRAWL_DB they never
create; only `newscrawl store --from-redis` opens the database. A generated site is crawled by
two such workers and compared with one local crawl of it: same rows, each page fetched once.
Then: a second run after Redis lost everything still sends conditional requests (the writer
rebuilds the ledger copy); the writer killed -9 three times during a crawl, and workers killed
-9 three times followed by a rerun, end with the database of an uninterrupted crawl, nothing
counted twice.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawl.samples.generated import build_site
from newscrawl.samples.server import SampleSite

from .conftest import run_crawl, snapshot

pytestmark = pytest.mark.slow

ARTICLES = 120
PACE = ["AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "LOG_LEVEL=INFO",
        "NEWSCRAWL_REDIS_WORKER_TIMEOUT=8", "NEWSCRAWL_REDIS_IDLE_SECONDS=3"]  # fmt: skip


def article_paths(site) -> set[str]:
    return {article.path for article in site.articles}


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Iterator[dict]:
    """The site, its server and the snapshot of one local, uninterrupted crawl of it."""
    folder = tmp_path_factory.mktemp("redis-store")
    site = build_site(folder / "gen", ARTICLES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSCRAWL_SITES_DIR", str(site.profile_dir))
        server = SampleSite(site.root).start()
        reference = folder / "reference.db"
        run_crawl("generated", reference, {"base_url": server.url})
        yield {"site": site, "server": server, "folder": folder, "reference": snapshot(reference)}
        server.stop()


@pytest.fixture
def redis_flushed(redis_url: str) -> str:
    import redis

    redis.Redis.from_url(redis_url).flushall()
    return redis_url


def worker_env() -> dict[str, str]:
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
    for name in ("NEWSCRAWL_DB", "NEWSCRAWL_REDIS_URL", "NEWSCRAWL_REDIS_STORE"):
        env.pop(name, None)
    return env


def start_worker(machine: Path, server: SampleSite, redis_url: str, name: str,
                 delay: float = 0.05) -> subprocess.Popen:  # fmt: skip
    """A worker on "another machine": its own folder, a database path it must never create."""
    machine.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scrapy", "crawl", "generated", "-a", f"base_url={server.url}",
               "-s", f"NEWSCRAWL_DB={machine / 'no-access' / 'news.db'}",
               "-s", f"NEWSCRAWL_REDIS_URL={redis_url}", "-s", "NEWSCRAWL_REDIS_STORE=True",
               "-s", f"DOWNLOAD_DELAY={delay}", "-s", f"USER_AGENT=newscrawl-test-{name}"]  # fmt: skip
    for setting in PACE:
        command += ["-s", setting]
    log = (machine / f"{name}.log").open("a")
    return subprocess.Popen(command, cwd=machine, env=worker_env(), stdout=log, stderr=log)


def start_writer(db: Path, redis_url: str, log: Path, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "newscrawl.cli", "store", "--from-redis", redis_url,
               "--db", str(db), *extra]  # fmt: skip
    env = {**worker_env(), "NEWSCRAWL_REDIS_WORKER_TIMEOUT": "8"}
    out = log.open("a")
    return subprocess.Popen(command, cwd=db.parent, env=env, stdout=out, stderr=out)


def wait_all(processes: list[subprocess.Popen], logs: list[Path], timeout: float = 300) -> None:
    for process, log in zip(processes, logs, strict=True):
        code = process.wait(timeout=timeout)
        assert code == 0, f"{log.name} exited {code}:\n{log.read_text(errors='replace')[-4000:]}"


def agent_articles(server: SampleSite, name: str, paths: set[str]) -> int:
    agent = f"newscrawl-test-{name}"
    return sum(n for (who, path), n in server.agents.items() if who == agent and path in paths)


def stored_articles(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def stream_left(redis_url: str) -> tuple[int, int]:
    """Entries still in the item stream, and entries read but never acknowledged."""
    import redis

    client = redis.Redis.from_url(redis_url)
    if not client.exists("newscrawl:items"):
        return 0, 0
    pending = client.xpending("newscrawl:items", "newscrawl-writer")["pending"]
    return client.xlen("newscrawl:items"), pending


def exactly_once(db: Path) -> None:
    """What a page write adds to counters was added once: every article fetched once."""
    with sqlite3.connect(db) as conn:
        fetches = conn.execute("select min(fetches), max(fetches) from fetch_state").fetchone()
        new = conn.execute(
            "select sum(articles_new) from crawl_runs where spider = 'generated'"
        ).fetchone()
        assert fetches == (1, 1)
        assert new == (ARTICLES,)
        assert conn.execute("select count(*) from article_versions").fetchone() == (0,)


@pytest.fixture(scope="module")
def first_run(generated, redis_url, tmp_path_factory) -> dict:
    import redis

    redis.Redis.from_url(redis_url).flushall()
    folder = tmp_path_factory.mktemp("machines")
    server = generated["server"]
    before = dict(server.hits)
    db = folder / "writer" / "news.db"
    db.parent.mkdir()
    writer_log = folder / "writer.log"
    writer = start_writer(db, redis_url, writer_log, "--until-idle", "5")
    machines = [folder / "machine-a", folder / "machine-b"]
    workers = [start_worker(m, server, redis_url, m.name) for m in machines]
    wait_all(workers, [m / f"{m.name}.log" for m in machines])
    wait_all([writer], [writer_log])
    hits = {p: server.hits[p] - before.get(p, 0) for p in article_paths(generated["site"])}
    return {"db": db, "machines": machines, "hits": hits, "writer_log": writer_log}


def test_workers_sharing_only_redis_store_what_one_local_crawl_stores(generated, first_run,
                                                                     redis_url):  # fmt: skip
    db = first_run["db"]
    assert snapshot(db) == generated["reference"]
    assert set(first_run["hits"].values()) == {1}  # each article fetched once across machines
    for machine in first_run["machines"]:
        assert not (machine / "no-access").exists()  # the worker never touched a database
        log = (machine / f"{machine.name}.log").read_text(errors="replace")
        assert "Sending pages to Redis stream newscrawl:items" in log
        assert "Traceback" not in log
    with sqlite3.connect(db) as conn:
        runs = conn.execute(
            "select finish_reason, origin, articles_new, run_key from crawl_runs order by id"
        ).fetchall()
        offset = conn.execute("select stream, entries from stream_offsets").fetchall()
    assert [r[0] for r in runs] == ["finished", "finished"]
    assert sum(r[2] or 0 for r in runs) == ARTICLES and all(r[1] and r[3] for r in runs)
    assert offset[0][0] == "newscrawl:items" and offset[0][1] >= ARTICLES + 4
    assert stream_left(redis_url) == (0, 0)
    exactly_once(db)
    import redis

    ledger = redis.Redis.from_url(redis_url).hgetall("newscrawl:state:fetch")
    assert len(ledger) == ARTICLES
    state = json.loads(next(iter(ledger.values())))
    assert state["etag"] and state["next_due"] and state["content_hash"]
    assert "Writer done: articles/new=120" in first_run["writer_log"].read_text()


def test_a_second_run_after_redis_lost_everything_sends_conditional_requests(
    generated, first_run, redis_url
):
    """Redis restarted empty: the writer rebuilds the ledger copy from the database before the
    workers ask; due articles are asked for conditionally and answered 304."""
    import redis

    redis.Redis.from_url(redis_url).flushall()
    server, site, db = generated["server"], generated["site"], first_run["db"]
    start = len(server.log)
    writer_log = first_run["writer_log"]
    writer = start_writer(db, redis_url, writer_log, "--until-idle", "5")
    deadline = time.monotonic() + 60
    while not redis.Redis.from_url(redis_url).exists("newscrawl:state:ready"):
        assert writer.poll() is None and time.monotonic() < deadline, writer_log.read_text()
        time.sleep(0.1)
    machines = [m.parent / f"{m.name}-again" for m in first_run["machines"]]
    workers = [start_worker(m, server, redis_url, m.name) for m in machines]
    wait_all(workers, [m / f"{m.name}.log" for m in machines])
    wait_all([writer], [writer_log])
    articles = [(p, s) for p, s in server.log[start:] if p in article_paths(site)]
    recent = {a.path for a in site.articles if time.time() - a.published.timestamp() < 7 * 86400}
    assert articles and {s for _, s in articles} == {304}
    assert {p for p, _ in articles} == recent
    assert snapshot(db) == generated["reference"]
    with sqlite3.connect(db) as conn:
        not_modified = conn.execute(
            "select sum(not_modified) from crawl_runs where id > 2"
        ).fetchone()[0]
        revalidated = conn.execute("select count(*) from fetch_state where not_modified = 1")
        assert revalidated.fetchone()[0] == len(recent)
    assert not_modified >= len(recent)


def test_writer_killed_three_times_loses_nothing_and_writes_nothing_twice(
    generated, redis_flushed, tmp_path
):
    server = generated["server"]
    db = tmp_path / "writer" / "news.db"
    db.parent.mkdir()
    log = tmp_path / "writer.log"
    machines = [tmp_path / "machine-a", tmp_path / "machine-b"]
    workers = [start_worker(m, server, redis_flushed, m.name, delay=0.2) for m in machines]
    for kill_at in (15, 50, 90):
        writer = start_writer(db, redis_flushed, log, "--batch", "5")
        deadline = time.monotonic() + 180
        while stored_articles(db) < kill_at:
            assert writer.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the writer made no progress"
            time.sleep(0.01)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        if kill_at < 90:  # really killed part way (the last point may race the end)
            assert stored_articles(db) < ARTICLES
    writer = start_writer(db, redis_flushed, log, "--until-idle", "5")
    wait_all(workers, [m / f"{m.name}.log" for m in machines])
    wait_all([writer], [log])
    assert log.read_text().count("Taking over the lock of writer") >= 1
    assert snapshot(db) == generated["reference"]
    exactly_once(db)
    assert stream_left(redis_flushed) == (0, 0)


def test_workers_killed_three_times_then_a_rerun_equal_one_crawl(
    generated, redis_flushed, tmp_path
):
    """A killed worker's complete pages are in the stream; the requests it had taken (queued in
    its downloader, or fetched but not yet sent) are leased, and the steady worker puts them back
    in the queue once the victim's heartbeat stopped: the run itself stores every article. A
    rerun then changes nothing."""
    server, site = generated["server"], generated["site"]
    paths = article_paths(site)
    db = tmp_path / "writer" / "news.db"
    db.parent.mkdir()
    log = tmp_path / "writer.log"
    writer = start_writer(db, redis_flushed, log, "--until-idle", "6")
    # The steady worker is slower than the victims, so work is left for every victim to take.
    steady = start_worker(tmp_path / "machine-b", server, redis_flushed, "steady", delay=0.5)
    for number in range(3):
        name = f"victim{number}"
        victim = start_worker(tmp_path / "machine-a", server, redis_flushed, name, delay=0.25)
        deadline = time.monotonic() + 120
        while agent_articles(server, name, paths) < 8:
            assert victim.poll() is None, "the victim ended before its kill point"
            assert time.monotonic() < deadline, "the victim fetched nothing"
            time.sleep(0.01)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
    wait_all([steady], [tmp_path / "machine-b" / "steady.log"])
    wait_all([writer], [log])
    with sqlite3.connect(db) as conn:
        unfinished = conn.execute("select count(*) from crawl_runs where finished is null")
        assert unfinished.fetchone() == (3,)  # the victims' runs, honestly left open
    steady_log = (tmp_path / "machine-b" / "steady.log").read_text(errors="replace")
    assert "leased requests are back in the queue" in steady_log
    assert snapshot(db) == generated["reference"]  # nothing lost for this run
    writer = start_writer(db, redis_flushed, log, "--until-idle", "5")
    rerun = [start_worker(tmp_path / f"rerun-{i}", server, redis_flushed, f"rerun{i}")
             for i in range(2)]  # fmt: skip
    wait_all(rerun, [tmp_path / f"rerun-{i}" / f"rerun{i}.log" for i in range(2)])
    wait_all([writer], [log])
    assert snapshot(db) == generated["reference"]
    assert stream_left(redis_flushed) == (0, 0)


# --- the writer's bookkeeping, without a crawl ----------------------------------------------------


def _page(number: int) -> dict:
    from newscrawl.incremental import FetchRecord
    from newscrawl.items import Article, Comment
    from newscrawl.store.entries import page_entry
    from newscrawl.store.pages import Page
    from newscrawl.urls import url_key

    url = f"https://unit.example/{number}/"
    items = [
        Article(url=url, canonical_url=url, title=f"Unit {number}", body="Text. " * 30,
                site="unit.example"),
        Comment(article_url=url, text=f"First on {number}", comment_id=f"c{number}"),
    ]  # fmt: skip
    record = FetchRecord(url=url, site="unit.example", etag=f'"{number}"', last_modified=None,
                         content_hash=f"h{number}", sitemap_lastmod=None,
                         fetched_at="2026-01-02T00:00:00+00:00", status=200,
                         article_key=url_key(url))  # fmt: skip
    return page_entry(Page(items, [record], url_key(url)), "unit-run")


def _writer(db: Path, redis_url: str):
    from scrapy.settings import Settings

    from newscrawl.redis_store import redis_client
    from newscrawl.redis_store.writer import StreamWriter
    from newscrawl.store import open_store

    settings = Settings()
    settings.setmodule("newscrawl.settings")
    return StreamWriter(open_store(db), redis_client(redis_url), settings, batch=10)


def _push(redis_url: str, entries: list) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    for entry in entries:
        raw = entry if isinstance(entry, bytes) else json.dumps(entry)
        client.xadd("newscrawl:items", {"e": raw})


def test_a_writer_dying_between_commit_and_ack_writes_nothing_twice(redis_flushed, tmp_path):
    db = tmp_path / "news.db"
    start = {"kind": "run_start", "run": "unit-run", "spider": "unit", "site": "unit.example"}
    _push(redis_flushed, [start, *(_page(n) for n in range(25))])
    writer = _writer(db, redis_flushed)
    writer.acquire()
    writer.prepare()
    batch = writer.read()
    assert len(batch) == 10
    real_pipeline = writer.server.pipeline

    def dying_pipeline(*args, **kwargs):
        raise ConnectionError("the writer died right after its commit")

    writer.server.pipeline = dying_pipeline
    with pytest.raises(ConnectionError):
        writer.apply(batch)  # committed, never acknowledged
    writer.server.pipeline = real_pipeline
    writer.release()
    writer.store.close()
    assert stream_left(redis_flushed) == (26, 10)

    again = _writer(db, redis_flushed)
    assert again.run(drain=True) == 0
    again.store.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*), max(fetches) from fetch_state").fetchone() == (25, 1)
        assert conn.execute("select count(*) from comments").fetchone() == (25,)
        assert conn.execute("select articles_new from crawl_runs").fetchone() == (25,)
        assert conn.execute("select entries from stream_offsets").fetchone() == (26,)
    assert stream_left(redis_flushed) == (0, 0)


def test_entries_that_cannot_be_applied_are_set_aside_and_reported(redis_flushed, tmp_path):
    import redis

    db = tmp_path / "news.db"
    broken = _page(3)
    broken["records"][0]["url"] = None  # a fetch record without its URL: the page fails whole
    _push(redis_flushed, [_page(1), b"{not json", {"kind": "teleport"}, broken, _page(2)])
    writer = _writer(db, redis_flushed)
    assert writer.run(drain=True) == 3  # some entries could not be stored: the status says so
    writer.store.close()
    dead = redis.Redis.from_url(redis_flushed).xrange("newscrawl:items:dead")
    reasons = sorted(fields[b"reason"].decode().split(":")[0] for _, fields in dead)
    assert reasons == ["AttributeError", "BadEntry", "not JSON"]
    with sqlite3.connect(db) as conn:
        urls = [u for (u,) in conn.execute("select canonical_url from articles order by id")]
    assert urls == ["https://unit.example/1/", "https://unit.example/2/"]
    assert stream_left(redis_flushed) == (0, 0)
