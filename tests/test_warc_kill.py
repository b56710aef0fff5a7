"""Kill -9 while the WARC archive is being written, at five points, then crawl again.

The crawl kills itself (tests/faults.py `KillingArchive`) at the 40th write: after the request
record only, half-way through the response record, after the whole pair but before the page's
items are stored, half-way through the first pair of a file it just rotated to, and right after
creating a new file (mid-warcinfo). The rerun must end with the database of an uninterrupted
crawl, and an archive that is complete: every stored article points at its own response, every
response of the rerun is archived once, no truncated or half-written record is left, and no
record is there twice.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newscrawl.incremental import body_hash
from newscrawl.samples.generated import build_site
from newscrawl.warc.reader import read_response, resolve_warc_path
from newscrawl.warc.writer import MARKER_SUFFIX, scan_members

from .conftest import FAST, ROOT, run_crawl
from .test_resume import snapshot

pytestmark = pytest.mark.slow

ARTICLES = 60
SETTINGS: list[str] = []
KILLING = (
    'DOWNLOADER_MIDDLEWARES={"scrapy.downloadermiddlewares.retry.RetryMiddleware": null,'
    ' "newscrawl.middlewares.RetryAfterMiddleware": 550,'
    ' "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": null,'
    ' "newscrawl.middlewares.LoopSafeRedirectMiddleware": 600,'
    ' "newscrawl.warc.middleware.WarcArchiveMiddleware": null,'
    ' "tests.faults.KillingArchive": 650}'
)
POINTS = ["request_only", "response_partial", "after_pair", "rotation", "new_file"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from newscrawl.samples.server import SampleSite

    folder = tmp_path_factory.mktemp("warckill")
    site = build_site(folder / "gen", ARTICLES)
    old = os.environ.get("NEWSCRAWL_SITES_DIR")
    os.environ["NEWSCRAWL_SITES_DIR"] = str(site.profile_dir)
    server = SampleSite(site.root).start()
    reference = folder / "ref" / "news.db"
    run_crawl("generated", reference, {"base_url": server.url}, settings=SETTINGS)
    yield {"server": server, "reference": snapshot(reference)}
    server.stop()
    if old is None:
        os.environ.pop("NEWSCRAWL_SITES_DIR", None)
    else:
        os.environ["NEWSCRAWL_SITES_DIR"] = old


def killed_crawl(db: Path, server, point: str, at: int) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "scrapy", "crawl", "generated", "-a", f"base_url={server.url}",
               "-s", f"NEWSCRAWL_DB={db}", "-s", KILLING]  # fmt: skip
    for setting in [*FAST, *SETTINGS]:
        command += ["-s", setting]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings",
           "NEWSCRAWL_TEST_KILL": f"{point}:{at}"}  # fmt: skip
    env.pop("NEWSCRAWL_DB", None)
    env.pop("NEWSCRAWL_WARC_DIR", None)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)


def quiet(server, seconds: float = 1.0) -> int:
    """The server's answer count once it has not moved for `seconds` (at most 30 s)."""
    count, since, deadline = len(server.log), time.monotonic(), time.monotonic() + 30
    while time.monotonic() - since < seconds and time.monotonic() < deadline:
        time.sleep(0.05)
        if len(server.log) != count:
            count, since = len(server.log), time.monotonic()
    return count


def warc_files(db: Path) -> list[Path]:
    return sorted((db.parent / "warc").rglob("*.warc.gz"))


def records(path: Path) -> list[tuple[str, str, str | None]]:
    """(type, record id, target URI) of every record, read with warcio (any error fails)."""
    with path.open("rb") as handle:
        return [
            (r.rec_type, r.rec_headers.get_header("WARC-Record-ID"),
             r.rec_headers.get_header("WARC-Target-URI"))
            for r in ArchiveIterator(handle)
        ]  # fmt: skip


@pytest.mark.parametrize("point", POINTS)
def test_kill_during_warc_writing_then_rerun_is_complete(generated, tmp_path, point):
    server = generated["server"]
    db = tmp_path / "news.db"
    served_before = len(server.log)
    killed = killed_crawl(db, server, point, at=40)
    assert killed.returncode == -9, killed.stderr[-3000:]  # really killed, by itself
    with sqlite3.connect(db) as conn:
        stored = conn.execute("select count(*) from articles").fetchone()[0]
    assert stored < ARTICLES
    assert list((db.parent / "warc").rglob(f"*{MARKER_SUFFIX}"))  # left unfinished
    files_after_kill = set(warc_files(db))

    served_mid = quiet(server)  # requests the killed crawl had in flight are answered by now
    result = run_crawl("generated", db, {"base_url": server.url}, settings=SETTINGS)
    served_rerun = len(server.log) - served_mid
    assert served_mid > served_before
    if point in ("request_only", "response_partial", "rotation"):
        assert "left unfinished by a killed crawl: cut its" in result.stderr

    # The database equals an uninterrupted crawl's.
    assert snapshot(db) == generated["reference"]

    # No file is left unfinished, every file is whole gzip members, warcio reads all of it.
    assert not list((db.parent / "warc").rglob(f"*{MARKER_SUFFIX}"))
    all_records = []
    for path in warc_files(db):
        with path.open("rb") as handle:
            members = list(scan_members(handle))
        assert sum(length for _, length, _ in members) == path.stat().st_size, path
        assert members and members[0][2] == "warcinfo"
        kinds = [kind for _, _, kind in members[1:]]
        assert kinds == ["request", "response"] * (len(kinds) // 2), path  # whole pairs only
        all_records += records(path)
    ids = [record_id for _, record_id, _ in all_records]
    assert len(ids) == len(set(ids))  # no record twice

    # Every response the rerun read is archived, once, in the files it wrote.
    new_files = [p for p in warc_files(db) if p not in files_after_kill]
    rerun_responses = [r for p in new_files for r in records(p) if r[0] == "response"]
    assert len(rerun_responses) == served_rerun

    # Every stored article points at its own response, whose body is the one stored.
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "select a.url, a.warc_file, a.warc_offset, a.warc_length, f.content_hash"
            " from articles a join fetch_state f on f.article_id = a.id"
        ).fetchall()
    assert len(rows) == ARTICLES
    pointers = set()
    for url, file, offset, length, digest in rows:
        assert file is not None
        pointers.add((file, offset))
        response = read_response(resolve_warc_path(file, db), offset, length)
        assert response.url == url and response.status == 200
        assert body_hash(response.body) == digest
    assert len(pointers) == ARTICLES
