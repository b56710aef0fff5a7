"""The offline demo: serve the bundled sample sites on 127.0.0.1 and crawl them for real.

Each site is crawled by a real spider in a child `scrapy crawl` process (as a cron job would),
fetching through the mirror layer, so the database holds the sites' public URLs and a second
run finds everything already there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .samples import site_dir
from .samples.server import SampleSite
from .store import open_store


@dataclass(frozen=True)
class DemoSite:
    """A bundled sample site and the spider command that crawls it."""

    folder: str
    public_origin: str
    spider: str
    spider_args: tuple[str, ...] = ()
    site_name: str | None = None  # the `sites.name` its rows carry


DEMO_SITES = (
    DemoSite(
        "larevuedudigital",
        "https://www.larevuedudigital.com",
        "larevuedudigital",
        site_name="larevuedudigital",
    ),
    DemoSite(
        "techpulse",
        "https://techpulse.example",
        "generic",
        ("start_url=https://techpulse.example/",),
        "techpulse.example",
    ),
)
# Local sample sites may be crawled fast; real sites keep the polite defaults.
FAST_LOCAL = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=8")


def crawl_command(
    spider: str, db: Path, args: tuple[str, ...] = (), settings: tuple[str, ...] = ()
) -> list[str]:
    """The `scrapy crawl` command line for one spider into `db`."""
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-s", f"NEWSCRAWL_DB={db}"]
    for arg in args:
        command += ["-a", arg]
    for setting in settings:
        command += ["-s", setting]
    return command


def run_demo(
    db: Path, log_dir: Path | None = None, quiet: bool = True
) -> dict[str, dict[str, int]]:
    """Crawl every sample site into `db`; return per-site counts."""
    db = db.resolve()
    logs = log_dir or db.parent
    logs.mkdir(parents=True, exist_ok=True)  # a new folder: `newscrawl demo --db new/news.db`
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
    for demo in DEMO_SITES:
        with SampleSite(site_dir(demo.folder)) as server:
            mirrors = json.dumps({demo.public_origin: server.url})
            settings = (*FAST_LOCAL, f"NEWSCRAWL_MIRRORS={mirrors}", "LOG_LEVEL=INFO")
            command = crawl_command(demo.spider, db, demo.spider_args, settings)
            log_file = logs / f"demo-{demo.folder}.log"
            with open(log_file, "w", encoding="utf-8") as log:
                completed = subprocess.run(
                    command, stdout=log, stderr=subprocess.STDOUT, env=env, check=False
                )
            if completed.returncode != 0:
                raise RuntimeError(
                    f"crawl of {demo.folder} failed (exit {completed.returncode}); see {log_file}"
                )
            if not quiet:
                print(
                    f"crawled {demo.folder} ({server.hits.total()} requests served); log: {log_file}"
                )
    return summary(db)


def summary(db: Path) -> dict[str, dict[str, int]]:
    """Per site: articles, related-link blocks, related links, comments."""
    store = open_store(db, readonly=True)
    rows = store.conn.execute(
        """
        select s.name,
          (select count(*) from articles a where a.site_id = s.id),
          (select count(*) from (select distinct r.article_id, r.block_label from related_links r
                                 join articles a on a.id = r.article_id where a.site_id = s.id)),
          (select count(*) from related_links r join articles a on a.id = r.article_id where a.site_id = s.id),
          (select count(*) from comments c join articles a on a.id = c.article_id where a.site_id = s.id)
        from sites s order by s.name
        """
    ).fetchall()
    store.conn.close()
    keys = ("articles", "related_blocks", "related_links", "comments")
    return {name: dict(zip(keys, counts, strict=True)) for name, *counts in rows}


def format_summary(counts: dict[str, dict[str, int]]) -> str:
    header = f"{'site':<22}{'articles':>10}{'blocks':>8}{'links':>8}{'comments':>10}"
    lines = [header, "-" * len(header)]
    for name, c in counts.items():
        lines.append(
            f"{name:<22}{c['articles']:>10}{c['related_blocks']:>8}{c['related_links']:>8}{c['comments']:>10}"
        )
    return "\n".join(lines)
