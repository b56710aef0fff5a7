"""Exit statuses of dead, partial, good and interrupted runs, as a scheduler sees them: real
`scrapy crawl` processes against local sites, the summary line, and the `crawl_runs` row."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newscrawl.cli import main
from newscrawl.samples.server import Answer, SampleSite

from .conftest import FAST, ROOT

pytestmark = pytest.mark.slow


def crawl(spider: str, db: Path, *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    """`scrapy crawl` into `db`, whatever its exit status."""
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-s", f"NEWSCRAWL_DB={db}"]
    for setting in FAST:
        command += ["-s", setting]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
    env.pop("NEWSCRAWL_DB", None)
    return subprocess.run(
        [*command, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def summary_line(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in result.stderr.splitlines() if "Crawl summary: " in line]
    assert len(lines) == 1, result.stderr[-3000:]
    return lines[0].split("Crawl summary: ", 1)[1]


def last_run(db: Path) -> dict:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    row = dict(conn.execute("select * from crawl_runs order by id desc limit 1").fetchone())
    conn.close()
    return row


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_no_response_at_all_exits_4(tmp_path):
    db = tmp_path / "news.db"
    port = closed_port()
    result = crawl(
        "generic", db, "-a", f"start_url=http://127.0.0.1:{port}/", "-s", "RETRY_TIMES=0"
    )
    assert result.returncode == 4, result.stderr[-3000:]
    line = summary_line(result)
    assert line.startswith("generic no_response (exit 4) in ")
    # the start page and the robots.txt the generic spider reads for sitemaps
    assert line.endswith("0 pages; articles 0 new, 0 updated, 0 unchanged; comments 0 new, 0 updated;"
                         " links 0 new; 2 failed (connection_refused 2)")  # fmt: skip
    run = last_run(db)
    assert (run["finish_reason"], run["outcome"], run["exit_status"]) == (
        "finished",
        "no_response",
        4,
    )
    assert run["failures"] == 2 and run["errors"] >= 1
    assert json.loads(run["failure_reasons"]) == {"connection_refused": 2}
    assert run["summary"] == "Crawl summary: " + line
    assert "ERROR: Crawl summary:" in result.stderr  # a failed run logs its summary as an error


def test_every_response_failed_exits_5_and_counts_the_failures(tmp_path, site_server):
    empty = tmp_path / "empty-site"
    empty.mkdir()
    server = site_server(empty)  # every URL answers 404
    db = tmp_path / "news.db"
    result = crawl("larevuedudigital", db, "-a", f"base_url={server.url}")
    assert result.returncode == 5, result.stderr[-3000:]
    assert summary_line(result).startswith("larevuedudigital all_failed (exit 5)")
    run = last_run(db)
    assert (run["outcome"], run["exit_status"]) == ("all_failed", 5)
    assert json.loads(run["failure_reasons"]) == {"http_404": 3}  # feed, sitemap, home page
    assert run["errors"] == 3  # it used to stay 0 for a run where every request failed


def test_partial_and_good_runs_exit_0(tmp_path, site_server):
    server = site_server("larevuedudigital")
    server.answers["/feed/"] = Answer(404, "<h1>gone</h1>")  # the sitemap still lists everything
    db = tmp_path / "news.db"
    partial = crawl("larevuedudigital", db, "-a", f"base_url={server.url}")
    assert partial.returncode == 0, partial.stderr[-3000:]
    line = summary_line(partial)
    assert line.startswith("larevuedudigital partial (exit 0)")
    assert "articles 7 new, 0 updated, 0 unchanged" in line and line.endswith(
        "1 failed (http_404 1)"
    )
    assert "WARNING: Crawl summary:" in partial.stderr
    del server.answers["/feed/"]
    good = crawl("larevuedudigital", db, "-a", f"base_url={server.url}")
    assert good.returncode == 0
    assert summary_line(good).startswith("larevuedudigital ok (exit 0)")
    assert summary_line(good).endswith("; 0 failed")
    conn = sqlite3.connect(db)
    outcomes = conn.execute("select outcome, exit_status from crawl_runs order by id").fetchall()
    conn.close()
    assert outcomes == [("partial", 0), ("ok", 0)]


def test_stats_counts_every_run(tmp_path, site_server, capsys):
    server = site_server("techpulse")
    db = tmp_path / "news.db"
    ok = crawl("article", db, "-a", f"url={server.url}/2024/11/05/rust-lands-in-the-linux-kernel/")
    assert ok.returncode == 0, ok.stderr[-2000:]
    dead = crawl(
        "article", db, "-a", f"url=http://127.0.0.1:{closed_port()}/x/", "-s", "RETRY_TIMES=0"
    )
    assert dead.returncode == 4
    with sqlite3.connect(db) as conn:  # a run recorded by an older newscrawl, without a site
        conn.execute(
            "insert into crawl_runs (spider, started) values ('article', '2025-01-01T00:00:00+00:00')"
        )
        total = conn.execute("select count(*) from crawl_runs").fetchone()[0]
    assert total == 3
    assert main(["stats", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = {line.split()[0]: line for line in lines[2:] if not line.startswith("-")}
    assert int(rows["total"].split()[4]) == total
    assert "(article)" in rows  # the run without a site is counted, under its spider's name
    assert "127.0.0.1" in rows and int(rows["127.0.0.1"].split()[4]) == 2
    assert "finished: no_response (exit 4)" in rows["127.0.0.1"]


def test_interrupted_run_exits_7(tmp_path):
    root = tmp_path / "slow-site"
    root.mkdir()
    links = "".join(f'<a href="/page-{i}/">page {i}</a>' for i in range(30))
    (root / "index.html").write_text(f"<html><body>{links}</body></html>")
    with SampleSite(root) as server:
        for i in range(30):
            server.answers[f"/page-{i}/"] = Answer(
                200, "<html><body><p>slow</p></body></html>", delay=1
            )
        db = tmp_path / "news.db"
        command = [sys.executable, "-m", "scrapy", "crawl", "generic", "-a", f"start_url={server.url}/",
                   "-s", f"NEWSCRAWL_DB={db}", *[a for s in FAST for a in ("-s", s)]]  # fmt: skip
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
        process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not any(path.startswith("/page-") for _, path in list(server.request_times)):
            assert time.monotonic() < deadline and process.poll() is None, "the crawl never started"
            time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
    assert process.returncode == 7, stderr[-3000:]
    assert (
        "generic interrupted, shutdown (exit 7)" in stderr
        or "generic interrupted (exit 7)" in stderr
    )
    assert last_run(db)["outcome"] == "interrupted"
