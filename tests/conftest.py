"""Shared fixtures: local sample sites on 127.0.0.1, crawls in subprocesses, the corpus."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawl.samples import site_dir
from newscrawl.samples.server import SampleSite

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSCRAWL_CORPUS") or ROOT.parent / "shared" / "corpus")
# Profiles in the user's own sites folder (~/.config/newscrawl/sites) load by default: keep a
# developer's profiles out of the suite (NEWSCRAWL_SITES_DIR still names folders on purpose).
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="newscrawl-tests-config-")
FAST = ["AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


@pytest.fixture
def site_server(request) -> Iterator[callable]:
    """Start a bundled (or any) site folder on a free 127.0.0.1 port: `site_server("techpulse")`."""
    started: list[SampleSite] = []

    def start(name_or_path: str | Path) -> SampleSite:
        root = Path(name_or_path) if isinstance(name_or_path, Path) else site_dir(name_or_path)
        server = SampleSite(root).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def expected(site: str) -> dict:
    """The sample site's ground truth, written with its pages."""
    return json.loads((site_dir(site) / "expected.json").read_text(encoding="utf-8"))


def run_crawl(
    spider: str,
    db: Path,
    args: dict[str, str] | None = None,
    settings: list[str] | None = None,
    extra: list[str] | None = None,
    timeout: int = 180,
) -> subprocess.CompletedProcess:
    """`scrapy crawl` as a real subprocess from the project root, into database `db`."""
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        spider,
        "-s",
        f"NEWSCRAWL_DB={db}",
        "-s",
        "LOG_LEVEL=INFO",
    ]
    for key, value in (args or {}).items():
        command += ["-a", f"{key}={value}"]
    for setting in [*FAST, *(settings or [])]:
        command += ["-s", setting]
    command += extra or []
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
    env.pop("NEWSCRAWL_DB", None)
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"crawl failed ({result.returncode}):\n{result.stderr[-4000:]}"
    return result


def table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        tables = ["sites", "articles", "article_versions", "related_links", "comments"]
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}


def crawl_stats(result: subprocess.CompletedProcess) -> str:
    """The 'Dumping Scrapy stats' part of a crawl's log."""
    log = result.stderr
    return log[log.find("Dumping Scrapy stats") :]


SNAPSHOT = {
    "articles": "select canonical_url, url, title, authors, published, modified, body, lead,"
    " section, tags, language, image, word_count, content_hash, version_count from articles",
    "related_links": "select a.url_key, l.block_label, l.block_kind, l.block_position, l.position,"
    " l.url, l.text, l.teaser, l.same_site from related_links l join articles a on a.id = l.article_id",
    "comments": "select a.url_key, c.comment_key, c.site_comment_id, c.parent_site_id, c.author,"
    " c.published, c.text, c.position, c.content_hash from comments c join articles a on a.id = c.article_id",
    "article_versions": "select count(*) from article_versions",
    "sites": "select name, title, base_url from sites",
    "fetch_state": "select url_key, url, site, etag, last_modified, content_hash, published"
    " from fetch_state",
}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Everything but timestamps and run bookkeeping, sorted, for comparison."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        assert conn.execute("pragma foreign_key_check").fetchall() == []
        return {name: sorted(conn.execute(sql).fetchall()) for name, sql in SNAPSHOT.items()}


def needs(what: str, present: bool, how: str) -> None:
    """Skip when a tool is missing locally; in CI (``CI`` set) a missing tool is a failure."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI: {how}")
    pytest.skip(f"{what} not installed ({how}); set CI=1 to make this a failure")


def _has_module(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """A private redis-server on 127.0.0.1 and a free port, with no persistence."""
    binary = shutil.which("redis-server")
    needs("redis-server", binary is not None, "apt-get install -y redis-server")
    needs("scrapy-redis", _has_module("scrapy_redis"), "pip install 'scrapy-redis>=0.9' 'redis>=5'")
    import redis

    folder = tmp_path_factory.mktemp("redis")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder), "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (set NEWSCRAWL_CORPUS to its folder)")
    return CORPUS
