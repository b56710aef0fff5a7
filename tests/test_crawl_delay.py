"""robots.txt Crawl-delay and Request-rate, measured: a local site records when each request
arrives, and the spacing between page requests is asserted (with generous margins), never the
test's own wall time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.robots import robots_delay
from newscrawl.samples.server import SampleSite

from .conftest import ROOT, crawl_stats

pytestmark = pytest.mark.slow
PAGES = 5


def build_site(root: Path, robots: str) -> None:
    links = "".join(f'<a href="/page-{i}/">page {i}</a>' for i in range(PAGES))
    (root / "index.html").write_text(f"<html><body>{links}</body></html>")
    for i in range(PAGES):
        (root / f"page-{i}").mkdir()
        (root / f"page-{i}" / "index.html").write_text("<html><body><p>A page.</p></body></html>")
    (root / "robots.txt").write_text(robots)


def crawl_site(
    tmp_path: Path, robots: str, *settings: str
) -> tuple[subprocess.CompletedProcess, list[float]]:
    """Crawl a 6-page local site (robots.txt as given, no DOWNLOAD_DELAY, 8 requests per domain
    allowed); return the result and the times page requests arrived, robots.txt left out."""
    root = tmp_path / "site"
    root.mkdir()
    build_site(root, robots)
    with SampleSite(root) as server:
        command = [
            sys.executable, "-m", "scrapy", "crawl", "generic", "-a", f"start_url={server.url}/",
            "-s", f"NEWSCRAWL_DB={tmp_path / 'news.db'}", "-s", "DOWNLOAD_DELAY=0",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=INFO",
        ]  # fmt: skip
        for setting in settings:
            command += ["-s", setting]
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
        )
        # robots.txt left out, and the /sitemap.xml the generic spider looks for (spaced too)
        times = [t for t, path in server.request_times if path != "/robots.txt"]
    return result, times


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def test_crawl_delay_spaces_every_request_even_with_autothrottle(tmp_path):
    result, times = crawl_site(
        tmp_path, "User-agent: *\nCrawl-delay: 2\n", "AUTOTHROTTLE_ENABLED=True"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(times) == PAGES + 2
    # Without it: AutoThrottle starts at 1 s and lowers the delay after fast local answers.
    assert min(gaps(times)) >= 1.8, gaps(times)
    stats = crawl_stats(result)
    assert "'newscrawl/robots/crawl_delay/127.0.0.1:" in stats and "': 2.0" in stats
    assert "robots.txt asks for 2 s between requests; waiting 2 s" in result.stderr


def test_request_rate_is_a_delay_too(tmp_path):
    result, times = crawl_site(
        tmp_path, "User-agent: *\nRequest-rate: 2/3\n", "AUTOTHROTTLE_ENABLED=False"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(times) == PAGES + 2
    assert min(gaps(times)) >= 1.35, gaps(times)  # 2 requests per 3 s: 1.5 s apart


def test_download_delay_wins_when_it_is_larger_and_loses_its_jitter(tmp_path):
    result, times = crawl_site(
        tmp_path,
        "User-agent: *\nCrawl-delay: 0.5\n",
        "AUTOTHROTTLE_ENABLED=False",
        "DOWNLOAD_DELAY=1.5",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # Scrapy alone waits 0.75-2.25 s (±50 % jitter); a host asking for a delay gets at least it.
    assert min(gaps(times)) >= 1.4, gaps(times)
    assert "waiting 1.5 s" in result.stderr


def test_a_host_asking_for_more_than_the_cap_is_skipped(tmp_path):
    result, times = crawl_site(tmp_path, "User-agent: *\nCrawl-delay: 60\n")
    assert result.returncode == 4  # no page answered: a scheduler sees it
    assert times == []  # only robots.txt was asked for
    assert (
        "Skipping 127.0.0.1:" in result.stderr
        and "its robots.txt asks for 60 s between requests, more than NEWSCRAWL_MAX_CRAWL_DELAY (30 s)"
        in result.stderr
    )
    stats = crawl_stats(result)
    assert "'newscrawl/robots/hosts_skipped': 1" in stats
    # the start page and the robots.txt the generic spider reads for sitemaps: both refused
    assert "'newscrawl/failed/crawl_delay_too_long': 2" in stats
    assert "2 failed (crawl_delay_too_long 2)" in result.stderr


def test_robots_delay_reads_both_directives_for_our_agent():
    from scrapy.robotstxt import ProtegoRobotParser

    def parse(text: str) -> ProtegoRobotParser:
        return ProtegoRobotParser(text.encode(), None)

    agent = "newscrawl/0.1.0 (research news crawler)"
    assert robots_delay(parse("User-agent: *\nDisallow: /x/\n"), agent) is None
    assert robots_delay(parse("User-agent: *\nCrawl-delay: 4\nRequest-rate: 1/10\n"), agent) == 10
    assert robots_delay(parse("User-agent: *\nCrawl-delay: 4\nRequest-rate: 10/10\n"), agent) == 4
    both = "User-agent: newscrawl\nCrawl-delay: 3\n\nUser-agent: *\nCrawl-delay: 9\n"
    assert robots_delay(parse(both), agent) == 3  # the group naming us, not the wildcard
