"""A real scrapyd on 127.0.0.1: deploy the project with scrapyd-deploy, schedule a crawl of a
sample site over the HTTP API, wait for it, check the rows.

The project is copied to a temp folder first: building the egg leaves setup.py, build/ and
*.egg-info behind, and the working tree must stay clean.
"""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, expected, table_counts

pytestmark = pytest.mark.slow
pytest.importorskip("scrapyd", reason="scrapyd is in the test extra")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def api(base: str, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{endpoint}", data=body, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def scrapyd(tmp_path):
    """A scrapyd bound to 127.0.0.1 on a free port, everything it writes under tmp_path."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"http_port = {port}\neggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\n"
        f"dbs_dir = {home / 'dbs'}\nitems_dir =\npoll_interval = 0.5\n"
        "jobstorage = scrapyd.jobstorage.SqliteJobStorage\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "scrapyd"],
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=(home / "scrapyd.log").open("wb"),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if api(base, "daemonstatus.json")["status"] == "ok":
                break
        except OSError:
            pass
        assert process.poll() is None, (home / "scrapyd.log").read_text()
        assert time.monotonic() < deadline, "scrapyd did not start"
        time.sleep(0.2)
    yield base, home
    process.terminate()
    process.wait(timeout=30)


def deploy(base: str, folder: Path) -> None:
    """Copy the project to `folder`, add a deploy target for `base`, run scrapyd-deploy."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "newscrawl", folder / "newscrawl", ignore=ignore)
    for name in ("scrapy.cfg", "pyproject.toml", "README.md"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, folder / name)
    with (folder / "scrapy.cfg").open("a", encoding="utf-8") as cfg:
        cfg.write(f"\n[deploy:test]\nurl = {base}/\nproject = newscrawl\n")
    deploy_cli = Path(sys.executable).with_name("scrapyd-deploy")
    result = subprocess.run(
        [str(deploy_cli), "test", "-p", "newscrawl", "-v", "1"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0 and '"status": "ok"' in result.stdout, (
        result.stdout + result.stderr
    )


def test_deploy_schedule_and_store(scrapyd, tmp_path, site_server):
    base, home = scrapyd
    deploy(base, tmp_path / "project")
    spiders = api(base, "listspiders.json?project=newscrawl")
    assert "larevuedudigital" in spiders["spiders"], spiders

    server = site_server("larevuedudigital")
    db = tmp_path / "news.db"
    job = api(
        base,
        "schedule.json",
        [("project", "newscrawl"), ("spider", "larevuedudigital"), ("base_url", server.url),
         ("setting", f"NEWSCRAWL_DB={db}"), ("setting", "AUTOTHROTTLE_ENABLED=False"),
         ("setting", "DOWNLOAD_DELAY=0")],
    )  # fmt: skip
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 180
    while True:
        jobs = api(base, "listjobs.json?project=newscrawl")
        if any(j["id"] == job["jobid"] for j in jobs["finished"]):
            break
        assert time.monotonic() < deadline, jobs
        time.sleep(0.5)

    counts = table_counts(db)
    truth = expected("larevuedudigital")["articles"]
    assert counts["articles"] == len(truth)
    assert counts["comments"] == sum(len(a["comments"]) for a in truth.values())
    with sqlite3.connect(db) as conn:
        run = conn.execute("select spider, finish_reason, articles_new from crawl_runs").fetchall()
    assert run == [("larevuedudigital", "finished", len(truth))]
    log = next((home / "logs" / "newscrawl" / "larevuedudigital").glob("*.log"))
    assert "Spider closed (finished)" in log.read_text(encoding="utf-8")
