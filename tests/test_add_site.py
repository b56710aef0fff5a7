"""`newscrawl add-site` on fake sites of six shapes (newscrawl.samples.shapes), end to end.

For each shape served on 127.0.0.1 under its public origin: add-site finds what the site has
(CMS, feeds, sitemaps and their kinds, the comment source) and writes a profile whose article
pattern takes every article and no other page; `scrapy check` passes on the sample it saved; a
crawl with the profile stores every article (and comment); `generic` finds the same articles
through discovery alone (no link following) wherever the site lists them.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.profiles import load_profile
from newscrawl.samples.shapes import SHAPES, build_shape

from .conftest import FAST, ROOT, crawl_stats, run_crawl

pytestmark = pytest.mark.slow

NAMES = {"wordpress": "wpnews", "ghost": "ghostnews", "drupal": "drupalnews",
         "sitemap-index": "indexonly", "news-sitemap": "newsonly", "listing": "listingonly"}  # fmt: skip
# What add-site must report for each shape: CMS, sitemap kind, comment source.
FINDS = {
    "wordpress": ("WordPress", "index of 4, from robots.txt", "html"),
    "ghost": ("Ghost", "index of 4, from robots.txt", "none"),
    "drupal": ("Drupal", "sitemap, 16 URLs, from common sitemap path /sitemap.xml", "html"),
    "sitemap-index": (None, "index of 3, from robots.txt", "html"),
    "news-sitemap": (None, "Google News sitemap, 12 URLs, from robots.txt", "html"),
    "listing": (None, None, "html"),
}


def _env(sites: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "SCRAPY_SETTINGS_MODULE": "newscrawl.settings",
        "NEWSCRAWL_SITES_DIR": str(sites),
    }
    env.pop("NEWSCRAWL_DB", None)
    return env


def _settings(mirrors: str) -> list[str]:
    return [arg for s in [*FAST, f"NEWSCRAWL_MIRRORS={mirrors}"] for arg in ("-s", s)]


def _articles(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute("select canonical_url from articles")}


@pytest.fixture(scope="module", params=SHAPES)
def onboarded(request, tmp_path_factory):
    """One shape: built, served, onboarded, checked, crawled with its profile and with generic."""
    shape = request.param
    folder = tmp_path_factory.mktemp(shape)
    site = build_shape(shape, folder / "site")
    sites = folder / "sites"
    server = site.serve()
    try:
        mirrors = json.dumps({site.origin: server.url})
        env = _env(sites)
        added = subprocess.run(
            [sys.executable, "-m", "newscrawl.cli", "add-site", site.origin + "/", "--save-sample",
             "--sites-dir", str(sites), *_settings(mirrors)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert added.returncode == 0, added.stderr[-3000:]
        name = NAMES[shape]
        checked = subprocess.run(
            [sys.executable, "-m", "scrapy", "check", name], cwd=ROOT, env=env,
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        os.environ["NEWSCRAWL_SITES_DIR"] = str(sites)  # run_crawl passes os.environ on
        try:
            db = folder / "profile.db"
            crawled = run_crawl(name, db, {"base_url": server.url})
            generic_db = folder / "generic.db"
            depth = "1" if shape == "listing" else "0"  # discovery only, where the site lists
            generic = run_crawl("generic", generic_db, {"start_url": site.origin + "/", "max_depth": depth},
                                settings=[f"NEWSCRAWL_MIRRORS={mirrors}"])  # fmt: skip
            hits_before = sum(server.hits[p] for p in (site.article_path(s) for s in site.stories))
            again = run_crawl("generic", generic_db, {"start_url": site.origin + "/", "max_depth": depth},
                              settings=[f"NEWSCRAWL_MIRRORS={mirrors}"])  # fmt: skip
            hits_after = sum(server.hits[p] for p in (site.article_path(s) for s in site.stories))
        finally:
            os.environ.pop("NEWSCRAWL_SITES_DIR", None)
    finally:
        server.stop()
    print(f"\n--- add-site on the {shape} site ---\n{added.stdout}")
    return {
        "shape": shape, "site": site, "stdout": added.stdout, "profile": load_profile(sites / f"{name}.toml"),
        "sites": sites, "checked": checked, "db": db, "crawled": crawled, "generic_db": generic_db,
        "generic": generic, "again": again, "article_hits_again": hits_after - hits_before,
    }  # fmt: skip


def test_add_site_finds_what_the_site_has(onboarded):
    site, out, profile = onboarded["site"], onboarded["stdout"], onboarded["profile"]
    cms, sitemap, comments = FINDS[onboarded["shape"]]
    assert f"profile {NAMES[onboarded['shape']]!r}" in out
    if cms:
        assert f"CMS          {cms}" in out
    else:
        assert "CMS          not recognised" in out
    assert list(profile.feeds) == site.feeds
    for feed in site.feeds:
        assert f"feed         {feed} (RSS" in out
    assert list(profile.sitemaps) == site.sitemaps
    if sitemap:
        assert f"({sitemap}" in out
    else:
        assert "sitemaps     none" in out
    assert ("news sitemap https://" in out) == site.news_sitemap
    assert profile.comments.source == comments
    if site.comments == "disqus":
        assert "Disqus embed (forum ghostnews" in out
        assert "disqus.com/api/3.0/threads/listPosts.json" in profile.path.read_text()
    if onboarded["shape"] == "wordpress":
        assert profile.discovery.wp_posts == "https://wpnews.example/wp-json/wp/v2/posts"
        assert "REST posts   https://wpnews.example/wp-json/wp/v2/posts: 12 posts" in out
    if onboarded["shape"] == "listing":
        assert profile.discovery.max_pages == 5
        assert "first crawl  up to" in out


def test_every_value_says_where_it_came_from(onboarded):
    lines = onboarded["profile"].path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.startswith(("#", "[")):
            assert lines[number - 1].startswith("#"), f"no comment above {line!r}"


def test_the_article_pattern_takes_articles_only(onboarded):
    site, profile = onboarded["site"], onboarded["profile"]
    assert profile.article_url_pattern is not None
    assert [u for u in site.article_urls if not profile.is_article_url(u)] == []
    assert [u for u in site.non_articles if profile.is_article_url(u)] == []
    assert re.search(
        r"matches (\d+) of \1 sampled articles, 0 of \d+ other pages", onboarded["stdout"]
    )


def test_the_saved_sample_passes_scrapy_check(onboarded):
    checked = onboarded["checked"]
    assert checked.returncode == 0, checked.stderr[-3000:]
    assert "Ran 1 contract" in checked.stderr and "OK" in checked.stderr
    sample = onboarded["sites"] / NAMES[onboarded["shape"]] / "expected.json"
    expected = json.loads(sample.read_text(encoding="utf-8"))
    assert expected["seed_article"] in onboarded["site"].article_urls
    assert expected["non_articles"] == [onboarded["site"].origin + "/"]


def test_a_crawl_with_the_profile_stores_every_article(onboarded):
    site = onboarded["site"]
    assert _articles(onboarded["db"]) == set(site.article_urls)
    with sqlite3.connect(onboarded["db"]) as conn:
        comments = conn.execute("select count(*) from comments").fetchone()[0]
    if site.comments == "html":
        assert comments == sum(len(s.comments) for s in site.stories) > 0


def test_generic_finds_the_same_articles_through_discovery(onboarded):
    site = onboarded["site"]
    assert _articles(onboarded["generic_db"]) == set(site.article_urls)
    stats = crawl_stats(onboarded["generic"])
    if site.feeds or site.sitemaps:  # max_depth=0: no link was followed, discovery found them
        assert "'newscrawl/discovery/" in stats
        assert site.on_home < len(site.stories)  # the home page alone does not list them all


def test_generic_runs_incrementally(onboarded):
    again = crawl_stats(onboarded["again"])
    assert "'newscrawl/articles/new'" not in again
    assert _articles(onboarded["generic_db"]) == set(onboarded["site"].article_urls)
    # Feeds and sitemaps answered 304, or their entries and links were known and not due.
    assert onboarded["article_hits_again"] == 0


def _add_site(
    url: str, mirrors: dict[str, str], sites: Path, *extra: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", "add-site", url, "--sites-dir", str(sites), *extra,
         *_settings(json.dumps(mirrors))],
        cwd=ROOT, env=_env(sites), capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_dry_run_writes_nothing_and_a_second_run_refuses_to_overwrite(tmp_path):
    site = build_shape("listing", tmp_path / "site")
    sites = tmp_path / "sites"
    server = site.serve()
    try:
        mirrors = {site.origin: server.url}
        dry = _add_site(site.origin, mirrors, sites, "--dry-run", "--name", "listing")
        assert dry.returncode == 0, dry.stderr[-2000:]
        assert "would write  " + str(sites / "listing.toml") in dry.stdout
        assert not sites.exists()
        first = _add_site(site.origin, mirrors, sites, "--name", "listing")
        again = _add_site(site.origin, mirrors, sites, "--name", "listing")
        bad_name = _add_site(site.origin, mirrors, sites, "--name", "Bad Name")
    finally:
        server.stop()
    assert first.returncode == 0 and (sites / "listing.toml").is_file()
    assert again.returncode == 1 and "exists: choose another --name, or --force" in again.stderr
    assert bad_name.returncode == 1 and "--name 'Bad Name': must be lower-case" in bad_name.stderr


def test_a_site_that_cannot_be_read_or_refuses_robots_gets_a_clear_message(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    closed = tmp_path / "closed"
    closed.mkdir()
    (closed / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    (closed / "index.html").write_text(
        "<html><body><h1>Closed</h1></body></html>", encoding="utf-8"
    )
    from newscrawl.samples.server import SampleSite

    with SampleSite(empty) as missing, SampleSite(closed) as refusing:
        gone = _add_site(
            "https://gone.example/", {"https://gone.example": missing.url}, tmp_path / "s"
        )
        refused = _add_site(
            "closed.example", {"https://closed.example": refusing.url}, tmp_path / "s"
        )
    assert gone.returncode == 1
    assert "could not read the home page https://gone.example/: HTTP 404" in gone.stderr
    assert refused.returncode == 1
    assert "could not read the home page https://closed.example/" in refused.stderr
    assert "robots.txt" in refused.stderr
    assert not (tmp_path / "s").exists()
