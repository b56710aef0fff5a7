"""Incremental re-crawl benchmark: how many full article downloads a second, unchanged run makes.

Builds a generated site of N articles (default 500, published over the last 60 days) in a temp
folder, serves it on 127.0.0.1, crawls it twice with the ``generated`` profile into a fresh
database, and counts per run, from the server's side, the article pages answered in full (200)
and with 304, next to the crawl's own counters. Target: run 2 makes at most 10% of run 1's full
article downloads. Run from the project root::

    python benchmarks/incremental.py                 # 500 articles
    python benchmarks/incremental.py --articles 200 --json /tmp/incremental.json

Exit code 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:  # runnable without installing the package
    sys.path.insert(0, str(PROJECT_ROOT))

from newscrawl.samples.generated import build_site  # noqa: E402
from newscrawl.samples.server import SampleSite  # noqa: E402

DEFAULT_JSON = PROJECT_ROOT / "benchmarks" / "results" / "incremental-latest.json"
TARGET = 0.10
FAST = ["AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def crawl(db: Path, server: SampleSite, profiles: Path) -> float:
    """One `scrapy crawl generated` subprocess; returns its wall time in seconds."""
    command = [sys.executable, "-m", "scrapy", "crawl", "generated", "-a", f"base_url={server.url}",
               "-s", f"NEWSCRAWL_DB={db}", "-s", "LOG_LEVEL=WARNING"]  # fmt: skip
    for setting in FAST:
        command += ["-s", setting]
    env = {**os.environ, "NEWSCRAWL_SITES_DIR": str(profiles),
           "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=True)
    return time.perf_counter() - started


def article_answers(server: SampleSite, paths: set[str]) -> dict[str, int]:
    """Article pages answered in full and with 304 since the last reset, from the server log."""
    full = sum(1 for path, status in server.log if path in paths and status == 200)
    not_modified = sum(1 for path, status in server.log if path in paths and status == 304)
    return {"full": full, "not_modified": not_modified}


def last_run(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute(
            "select requests, not_modified, article_downloads, skipped_not_due, skipped_lastmod,"
            " revisits, articles_new, articles_updated, articles_unchanged, comments_new, errors"
            " from crawl_runs order by id desc limit 1"
        ).fetchone()
        return dict(row)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newscrawl-incremental-") as folder:
        site = build_site(Path(folder), args.articles)
        paths = {article.path for article in site.articles}
        db = Path(folder) / "news.db"
        runs = []
        with SampleSite(site.root) as server:
            for number in (1, 2):
                server.log.clear()
                seconds = crawl(db, server, site.profile_dir)
                runs.append(
                    {"run": number, "seconds": round(seconds, 1),
                     "server": article_answers(server, paths), "crawl_runs": last_run(db)}
                )  # fmt: skip
        with sqlite3.connect(db) as conn:
            stored = conn.execute("select count(*) from articles").fetchone()[0]
    first, second = runs[0]["server"]["full"], runs[1]["server"]["full"]
    ratio = second / first if first else float("inf")
    print(f"generated site: {args.articles} articles, {stored} stored")
    print(f"{'run':>3} {'full':>5} {'304':>5} {'skipped':>7} {'requests':>8} {'seconds':>7}")
    for run in runs:
        row = run["crawl_runs"]
        print(f"{run['run']:>3} {run['server']['full']:>5} {run['server']['not_modified']:>5} "
              f"{row['skipped_not_due'] + row['skipped_lastmod']:>7} {row['requests']:>8} "
              f"{run['seconds']:>7}")  # fmt: skip
    verdict = "ok" if ratio <= TARGET else "MISS"
    print(f"run 2 / run 1 full article downloads: {second}/{first} = {ratio:.3f} "
          f"(target <= {TARGET}): {verdict}")  # fmt: skip
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"articles": args.articles, "stored": stored, "ratio": ratio, "runs": runs},
                   indent=2),
        encoding="utf-8",
    )  # fmt: skip
    return 0 if ratio <= TARGET and stored == args.articles else 1


if __name__ == "__main__":
    sys.exit(main())
