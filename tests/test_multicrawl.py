"""`newscrawl crawl`: several profiled sites in their own processes, N at a time, plain lines for
cron (stdout not a terminal) and a log file, the live table, and the aggregate exit status."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.multicrawl import LiveTable, SiteRun, aggregate_status
from newscrawl.samples import site_dir
from newscrawl.samples.apis import serve_commentlab_apis
from newscrawl.samples.server import SampleSite

from .conftest import ROOT

PROFILES = ROOT / "newscrawl" / "samples" / "profiles"


@pytest.fixture
def sites(tmp_path):
    commentlab = SampleSite(site_dir("commentlab")).start()
    serve_commentlab_apis(commentlab)
    larevue = SampleSite(site_dir("larevuedudigital")).start()
    empty_root = tmp_path / "empty"
    empty_root.mkdir()
    empty = SampleSite(empty_root).start()
    yield commentlab, larevue, empty
    for server in (commentlab, larevue, empty):
        server.stop()


def newscrawl_crawl(db: Path, mirrors: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSCRAWL_SITES_DIR": str(PROFILES)}
    env.pop("NEWSCRAWL_DB", None)
    command = [
        sys.executable, "-m", "newscrawl.cli", "crawl", "--db", str(db), *args,
        "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
        "-s", f"NEWSCRAWL_MIRRORS={json.dumps(mirrors)}",
    ]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_two_sites_at_once_then_a_failing_one(sites, tmp_path):
    commentlab, larevue, empty = sites
    db = tmp_path / "news.db"
    mirrors = {
        "https://commentlab.example": commentlab.url,
        "https://www.larevuedudigital.com": larevue.url,
    }
    result = newscrawl_crawl(db, mirrors, "commentlab", "larevuedudigital", "--jobs", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line.split(" ", 2)[2] for line in result.stdout.splitlines()]  # without the time
    assert (
        lines[0]
        == f"newscrawl crawl: 2 site(s) into {db}, 2 at a time: commentlab, larevuedudigital"
    )
    started = [line for line in lines if ": started (pid " in line]
    assert [line.split(":")[0] for line in started] == ["commentlab", "larevuedudigital"]
    summaries = sorted(line for line in lines if line.startswith("Crawl summary: "))
    assert summaries[0].startswith("Crawl summary: commentlab ok (exit 0)")
    assert summaries[1].startswith("Crawl summary: larevuedudigital ok (exit 0)")
    assert "articles 7 new" in summaries[1] and "comments 11 new" in summaries[1]
    assert lines[-1] == "newscrawl crawl: 2 of 2 site(s) ok; exit status 0"
    logs = sorted(p.name.split("-2")[0] for p in (tmp_path / "logs").iterdir())
    assert logs == ["commentlab", "crawl", "larevuedudigital"]
    plain = next((tmp_path / "logs").glob("crawl-*.log")).read_text(encoding="utf-8")
    assert plain.splitlines() == result.stdout.splitlines()  # the log file has the same lines
    site_log = next((tmp_path / "logs").glob("larevuedudigital-*.log")).read_text(encoding="utf-8")
    assert "Crawl summary: larevuedudigital ok (exit 0)" in site_log
    with sqlite3.connect(db) as conn:
        per_site = dict(
            conn.execute(
                "select s.name, count(*) from articles a join sites s on s.id = a.site_id group by 1"
            )
        )
        runs = conn.execute("select site, outcome from crawl_runs order by site").fetchall()
    assert per_site["larevuedudigital"] == 7 and per_site["commentlab"] > 0
    assert runs == [("commentlab", "ok"), ("larevuedudigital", "ok")]

    mirrors["https://www.larevuedudigital.com"] = empty.url  # every page now answers 404
    failing = newscrawl_crawl(db, mirrors, "commentlab", "larevuedudigital", "--jobs", "1")
    assert failing.returncode == 5, failing.stdout + failing.stderr
    assert failing.stdout.splitlines()[-1].endswith(
        "newscrawl crawl: 1 of 2 site(s) ok; failed: larevuedudigital (all_failed); exit status 5"
    )


def test_live_table_shows_a_line_per_site():
    from rich.console import Console

    runs = [
        SiteRun("larevuedudigital", Path("a.log"), Path("a.json")),
        SiteRun("techpulse", Path("b.log"), Path("b.json")),
    ]
    runs[0].progress = {
        "pages": 14,
        "articles": 7,
        "comments": 11,
        "errors": 0,
        "pages_per_minute": 46.2,
    }
    runs[0].started, runs[0].finished, runs[0].exit_status = 100.0, 122.0, 0
    runs[0].process = object()
    runs[0].progress["outcome"] = "ok"
    table = LiveTable.__new__(LiveTable)
    table.runs = runs
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(table.render())
    text = console.file.getvalue().splitlines()
    assert text[0].split() == [
        "site",
        "state",
        "pages",
        "articles",
        "comments",
        "errors",
        "pages/min",
        "time",
    ]
    assert text[1].split() == ["larevuedudigital", "ok", "14", "7", "11", "0", "46.2", "22", "s"]
    assert text[2].split() == ["techpulse", "waiting", "0", "0", "0", "0", "0"]


def test_aggregate_status():
    def run(status):
        r = SiteRun("s", Path("x"), Path("y"))
        r.exit_status = status
        return r

    assert aggregate_status([run(0), run(0)]) == 0
    assert aggregate_status([run(0), run(5), run(4)]) == 5
    assert aggregate_status([run(0), run(-9)]) == 137  # killed by SIGKILL
    assert aggregate_status([run(0), run(None)]) == 7  # never started: the run was stopped
