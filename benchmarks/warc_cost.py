"""What the WARC archive costs: bytes per page, and crawl throughput with and without it.

Builds a generated site of N articles (default 300) in a temp folder, serves it on 127.0.0.1,
and crawls it into fresh databases alternately with the archive on (the default) and off
(``NEWSCRAWL_WARC_DIR=``), `--rounds` times each, in the same run, so that machine load hits
both alike. Throughput is articles stored per second of the crawl's own elapsed time (Scrapy's
``elapsed_time_seconds``, start-up excluded); the ratio is the median with the archive over
the median without. Target (issue 14): ratio >= 0.9. Run from the project root::

    python benchmarks/warc_cost.py
    python benchmarks/warc_cost.py --articles 500 --rounds 3 --json /tmp/warc.json

Exit code 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:  # runnable without installing the package
    sys.path.insert(0, str(PROJECT_ROOT))

from newscrawl.samples.generated import build_site  # noqa: E402
from newscrawl.samples.server import SampleSite  # noqa: E402

DEFAULT_JSON = PROJECT_ROOT / "benchmarks" / "results" / "warc-cost-latest.json"
TARGET = 0.9
FAST = ["AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
        "LOG_LEVEL=INFO"]  # fmt: skip


def crawl(db: Path, server: SampleSite, profiles: Path, archive: bool) -> dict[str, float]:
    command = [sys.executable, "-m", "scrapy", "crawl", "generated", "-a", f"base_url={server.url}",
               "-s", f"NEWSCRAWL_DB={db}"]  # fmt: skip
    for setting in [*FAST, *([] if archive else ["NEWSCRAWL_WARC_DIR="])]:
        command += ["-s", setting]
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings",
           "NEWSCRAWL_SITES_DIR": str(profiles)}  # fmt: skip
    env.pop("NEWSCRAWL_DB", None)
    env.pop("NEWSCRAWL_WARC_DIR", None)
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"crawl failed:\n{result.stderr[-3000:]}")
    elapsed = float(re.search(r"'elapsed_time_seconds': ([\d.]+)", result.stderr).group(1))
    with sqlite3.connect(db) as conn:
        articles = conn.execute("select count(*) from articles").fetchone()[0]
    responses = re.search(r"'downloader/response_count': (\d+)", result.stderr)
    warc = sum(p.stat().st_size for p in (db.parent / "warc").rglob("*.warc.gz"))
    body = re.search(r"'downloader/response_bytes': (\d+)", result.stderr)
    return {"elapsed": elapsed, "articles": articles, "responses": int(responses.group(1)),
            "warc_bytes": warc, "response_bytes": int(body.group(1)),
            "throughput": articles / elapsed}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        site = build_site(folder / "gen", args.articles)
        runs: dict[str, list[dict[str, float]]] = {"with": [], "without": []}
        with SampleSite(site.root) as server:
            for n in range(args.rounds):
                order = ("with", "without") if n % 2 == 0 else ("without", "with")
                for mode in order:
                    db = folder / f"{mode}-{n}" / "news.db"
                    runs[mode].append(crawl(db, server, site.profile_dir, mode == "with"))
    with_tp = statistics.median(r["throughput"] for r in runs["with"])
    without_tp = statistics.median(r["throughput"] for r in runs["without"])
    ratio = with_tp / without_tp
    archived = runs["with"][0]
    per_response = archived["warc_bytes"] / archived["responses"]
    per_article = archived["warc_bytes"] / archived["articles"]
    compression = archived["warc_bytes"] / archived["response_bytes"]
    print(f"site: {args.articles} articles, {archived['responses']} responses per crawl,"
          f" {args.rounds} crawls with and without the archive, alternating")  # fmt: skip
    print(f"WARC bytes: {archived['warc_bytes']:,} = {per_response:,.0f} B per response,"
          f" {per_article:,.0f} B per article; {compression:.2f} x the bytes downloaded")  # fmt: skip
    for mode in ("with", "without"):
        values = ", ".join(f"{r['throughput']:.1f}" for r in runs[mode])
        print(f"throughput {mode:7s} archive: articles/s {values}")
    print(f"throughput ratio (with / without, medians): {ratio:.3f}  target >= {TARGET}"
          f"  {'ok' if ratio >= TARGET else 'MISS'}")  # fmt: skip
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"runs": runs, "ratio": ratio, "bytes_per_response": per_response,
                                     "bytes_per_article": per_article}, indent=1), encoding="utf-8")  # fmt: skip
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
