"""Incremental runs: revisit policy, discovery parsers, and real re-crawls of a sample site."""

from __future__ import annotations

import gzip
import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newscrawl.incremental import PageLedger, RevisitPolicy
from newscrawl.profiles import ProfileError, parse_profile
from newscrawl.samples import site_dir
from newscrawl.spiders.discovery import (
    DiscoveryError,
    feed_entries,
    sitemap_entries,
    wp_posts_entries,
    wp_posts_url,
)

from .conftest import expected, run_crawl, table_counts

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
SEED_PATH = "/la-chine-annonce-des-investissements-en-ia-du-niveau-de-ceux-des-etats-unis/"
NEW_COMMENTS = """
<li class="comment odd depth-1" id="comment-18790"><article class="comment-body"><footer class="comment-meta">
<div class="comment-author vcard"><b class="fn">Lucie B.</b></div>
<div class="comment-metadata"><time datetime="2025-01-28T08:00:00+01:00">28 janvier 2025</time></div></footer>
<div class="comment-content"><p>Les annonces ne sont pas des investissements réalisés.</p></div></article></li>
<li class="comment even depth-1" id="comment-18791"><article class="comment-body"><footer class="comment-meta">
<div class="comment-author vcard"><b class="fn">Hugo P.</b></div>
<div class="comment-metadata"><time datetime="2025-01-28T09:30:00+01:00">28 janvier 2025</time></div></footer>
<div class="comment-content"><p>Et la facture d’électricité de ces centres de données ?</p></div></article></li>
"""


# --- pure parts ------------------------------------------------------------------------------


def test_recent_articles_are_due_every_run_older_ones_later():
    policy = RevisitPolicy(recent_days=7, recent_every_hours=0, older_every_days=30)
    recent = NOW - timedelta(days=2)
    old = NOW - timedelta(days=40)
    assert policy.next_due(recent, NOW) == NOW
    assert policy.next_due(old, NOW) == NOW + timedelta(days=30)
    assert policy.next_due(None, NOW) == NOW  # undated: treated as recent
    hourly = RevisitPolicy(recent_days=3, recent_every_hours=6, older_every_days=10)
    assert hourly.next_due(recent, NOW) == NOW + timedelta(hours=6)
    assert hourly.next_due(NOW - timedelta(days=5), NOW) == NOW + timedelta(days=10)


def test_ledger_completes_a_page_only_when_every_item_is_handled():
    ledger = PageLedger()
    ledger.expect("a", 3, None)
    ledger.expect("b", 1, None)
    assert ledger.handled("a") is None and ledger.handled("a") is None
    assert not ledger.idle
    assert ledger.handled("b") == [] and not ledger.idle
    assert ledger.handled("a") == [] and ledger.idle
    assert ledger.handled("unknown") is None


def test_feed_entries_rss_and_atom():
    rss = site_dir("larevuedudigital") / "feed" / "index.xml"
    entries = feed_entries(rss.read_bytes(), "https://www.larevuedudigital.com/feed/")
    assert len(entries) == 7
    assert entries[0].url.endswith(SEED_PATH)
    assert entries[0].published == "Mon, 27 Jan 2025 09:12:00 +0000"
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
      <entry><link rel="alternate" href="/a/"/><link rel="replies" href="/a/c"/>
      <published>2025-01-02T10:00:00Z</published><updated>2025-01-03T10:00:00Z</updated></entry>
    </feed>"""
    (entry,) = feed_entries(atom, "https://site.example/feed")
    assert entry.url == "https://site.example/a/"
    assert (entry.published, entry.lastmod) == ("2025-01-02T10:00:00Z", "2025-01-03T10:00:00Z")


def test_sitemap_entries_index_news_and_gzip():
    index = (site_dir("larevuedudigital") / "sitemap.xml").read_bytes()
    kind, entries = sitemap_entries(index)
    assert kind == "sitemapindex"
    assert entries[0].lastmod == "2025-01-27T18:40:00+01:00"
    news = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc> https://s.example/n/ </loc>
      <news:news><news:publication_date>2025-02-01T08:00:00+00:00</news:publication_date></news:news>
      </url><url><lastmod>2025-01-01</lastmod></url></urlset>"""
    kind, entries = sitemap_entries(gzip.compress(news))
    assert kind == "urlset"
    assert [(e.url, e.published, e.lastmod) for e in entries] == [
        ("https://s.example/n/", "2025-02-01T08:00:00+00:00", None)
    ]
    with pytest.raises(DiscoveryError):
        sitemap_entries(b"<html><body>not a sitemap</body></html>")


def test_wp_posts_entries_and_url():
    body = json.dumps(
        [
            {
                "link": "https://s.example/p/",
                "date_gmt": "2025-01-02T03:04:05",
                "modified_gmt": "2025-01-03T00:00:00",
            },
            {"id": 3},
        ]
    )
    (entry,) = wp_posts_entries(body)
    assert (entry.published, entry.lastmod) == (
        "2025-01-02T03:04:05+00:00",
        "2025-01-03T00:00:00+00:00",
    )
    with pytest.raises(DiscoveryError):
        wp_posts_entries('{"code": "rest_no_route"}')
    url = wp_posts_url("https://s.example/wp-json/wp/v2/posts", 2, "2025-01-01T00:00:00")
    assert "page=2" in url and "per_page=100" in url and "after=2025-01-01T00%3A00%3A00" in url


def test_profile_revisit_and_discovery_keys_are_validated():
    base = {"name": "x", "base_url": "https://x.example"}
    profile = parse_profile(
        Path("x.toml"),
        {
            **base,
            "revisit": {"recent_days": 3, "older_every_days": 90},
            "discovery": {"max_pages": 4, "listing_depth": 1, "listing_url_pattern": "/category/",
                          "next_page": "a.next", "wp_posts": "https://x.example/wp-json/wp/v2/posts"},
        },
    )  # fmt: skip
    assert (profile.revisit.recent_days, profile.revisit.recent_every_hours) == (3.0, None)
    assert profile.revisit.older_every_days == 90.0
    assert profile.discovery.max_pages == 4 and profile.discovery.listing_depth == 1
    assert profile.discovery.listing_url_pattern.search("https://x.example/category/ia/")
    for bad, key in [
        ({"revisit": {"recent_days": -1}}, "revisit.recent_days"),
        ({"revisit": {"recent_days": "7"}}, "revisit.recent_days"),
        ({"revisit": {"every": 1}}, "revisit.every"),
        ({"discovery": {"max_pages": 0}}, "discovery.max_pages"),
        ({"discovery": {"wp_posts": "/wp-json/"}}, "discovery.wp_posts"),
        ({"discovery": {"next_page": "a[["}}, "discovery.next_page"),
    ]:
        with pytest.raises(ProfileError, match=key.replace(".", r"\.")):
            parse_profile(Path("x.toml"), {**base, **bad})


# --- real crawls of the La Revue du Digital sample ------------------------------------------------


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def _last_run(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("select * from crawl_runs order by id desc limit 1").fetchone()
        return dict(row)


def _changed_seed(original: bytes) -> bytes:
    """The seed article with one sentence edited and two more comments."""
    page = original.decode("utf-8")
    edited = page.replace("Mais Bank of China", "Mais la Bank of China", 1)
    assert edited != page
    marker = '<ol class="commentlist">'
    return edited.replace(marker, marker + NEW_COMMENTS, 1).encode("utf-8")


@pytest.mark.slow
def test_recent_articles_are_revalidated_and_edits_picked_up(tmp_path, site_server):
    """Every article counted as recent: run 2 gets seven 304s and rewrites nothing; after one
    edit and two new comments, run 3 stores one new version and two comments, nothing else."""
    server = site_server("larevuedudigital")
    db = tmp_path / "news.db"
    settings = ["NEWSCRAWL_REVISIT_RECENT_DAYS=36500"]
    run_crawl("larevuedudigital", db, {"base_url": server.url}, settings=settings)
    first = table_counts(db)
    articles_before = _rows(db, "select * from articles order by id")
    run_crawl("larevuedudigital", db, {"base_url": server.url}, settings=settings)
    second = _last_run(db)
    assert table_counts(db) == first
    assert _rows(db, "select * from articles order by id") == articles_before  # not even last_seen
    assert second["not_modified"] >= 7  # every article (a URL variant of one may add a 304)
    assert second["article_downloads"] == 0
    assert second["articles_new"] + second["articles_updated"] + second["articles_unchanged"] == 0
    assert _rows(db, "select count(*) from fetch_state where not_modified = 0") == [(0,)]

    seed_file = site_dir("larevuedudigital") / SEED_PATH.strip("/") / "index.html"
    server.overrides[SEED_PATH] = _changed_seed(seed_file.read_bytes())
    run_crawl("larevuedudigital", db, {"base_url": server.url}, settings=settings)
    third = _last_run(db)
    counts = table_counts(db)
    assert counts == {**first, "article_versions": 1, "comments": first["comments"] + 2}
    assert (third["articles_updated"], third["comments_new"]) == (1, 2)
    assert third["not_modified"] >= 6
    assert third["article_downloads"] == 1 and third["articles_new"] == 0
    (version,) = _rows(
        db,
        "select a.url_key, v.body from article_versions v join articles a on a.id = v.article_id",
    )
    assert version[0].endswith(SEED_PATH.rstrip("/"))
    assert "Mais Bank of China" in version[1]
    (body,) = _rows(db, f"select body from articles where url_key like '%{SEED_PATH.rstrip('/')}'")[
        0
    ]
    assert "Mais la Bank of China" in body
    authors = {r[0] for r in _rows(db, "select author from comments where first_seen is not null")}
    assert {"Lucie B.", "Hugo P."} <= authors


@pytest.mark.slow
def test_old_articles_are_skipped_until_their_lastmod_moves(tmp_path, site_server):
    """Default policy: the sample's articles are old, so run 2 sends no article request at all;
    an edit announced by a newer sitemap lastmod is fetched in run 3, and only that one."""
    server = site_server("larevuedudigital")
    db = tmp_path / "news.db"
    run_crawl("larevuedudigital", db, {"base_url": server.url})
    first = table_counts(db)
    paths = {urlsplit(url).path for url in expected("larevuedudigital")["articles"]}
    hits_before = sum(server.hits[p] for p in paths)
    run_crawl("larevuedudigital", db, {"base_url": server.url})
    second = _last_run(db)
    hits_after = sum(server.hits[p] for p in paths)
    assert second["skipped_not_due"] == 7 and second["article_downloads"] == 0
    assert hits_after == hits_before  # no article page was asked for
    assert table_counts(db) == first

    seed_file = site_dir("larevuedudigital") / SEED_PATH.strip("/") / "index.html"
    server.overrides[SEED_PATH] = _changed_seed(seed_file.read_bytes())
    sitemap = (site_dir("larevuedudigital") / "post-sitemap.xml").read_text(encoding="utf-8")
    # Edited after our last fetch, as a real edit is (the sitemap itself is answered in full,
    # not 304, since its body changed).
    edited_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    server.overrides["/post-sitemap.xml"] = sitemap.replace(
        "2025-01-27T18:40:00+01:00", edited_at
    ).encode("utf-8")
    run_crawl("larevuedudigital", db, {"base_url": server.url})
    third = _last_run(db)
    assert third["article_downloads"] == 1 and third["articles_updated"] == 1
    assert third["comments_new"] == 2 and third["articles_new"] == 0
    assert "newscrawl/incremental/lastmod_moved" in third["stats"]
    assert table_counts(db)["article_versions"] == 1
    (lastmod,) = _rows(db, f"select sitemap_lastmod from fetch_state where url like '%{SEED_PATH}'")
    assert lastmod == (edited_at,)


@pytest.mark.slow
def test_feeds_and_sitemaps_are_revalidated_after_a_finished_run(tmp_path, site_server):
    """A run cut short keeps no validators; after a finished run the feed and the urlset sitemap
    are asked for conditionally (304), the sitemap index in full; a changed feed is read again."""
    server = site_server("larevuedudigital")
    db = tmp_path / "news.db"
    run_crawl("larevuedudigital", db, {"base_url": server.url}, ["CLOSESPIDER_PAGECOUNT=3"])
    assert _rows(db, "select count(*) from discovery_state") == [(0,)]

    run_crawl("larevuedudigital", db, {"base_url": server.url})
    kinds = dict(_rows(db, "select url, kind from discovery_state"))
    base = "https://www.larevuedudigital.com"
    assert kinds == {
        f"{base}/feed/": "feed",
        f"{base}/sitemap.xml": "sitemapindex",
        f"{base}/post-sitemap.xml": "urlset",
    }
    first = table_counts(db)
    server.log.clear()
    run_crawl("larevuedudigital", db, {"base_url": server.url})
    statuses = {path: status for path, status in server.log}
    assert statuses["/feed/"] == 304 and statuses["/post-sitemap.xml"] == 304
    assert statuses["/sitemap.xml"] == 200
    stats = json.loads(_last_run(db)["stats"])
    assert stats["newscrawl/incremental/discovery_not_modified"] == 2
    assert "newscrawl/feeds/entries" not in stats  # the feed was not parsed again
    assert table_counts(db) == first

    feed = (site_dir("larevuedudigital") / "feed" / "index.xml").read_bytes()
    server.overrides["/feed/"] = feed.replace(b"</channel>", b"<!-- changed --></channel>")
    server.log.clear()
    run_crawl("larevuedudigital", db, {"base_url": server.url})
    statuses = {path: status for path, status in server.log}
    assert statuses["/feed/"] == 200 and statuses["/post-sitemap.xml"] == 304
    assert json.loads(_last_run(db)["stats"])["newscrawl/feeds/entries"] == 7


@pytest.mark.slow
def test_full_recrawl_setting_turns_incremental_off(tmp_path, site_server):
    server = site_server("larevuedudigital")
    db = tmp_path / "news.db"
    run_crawl("larevuedudigital", db, {"base_url": server.url})
    run_crawl(
        "larevuedudigital", db, {"base_url": server.url}, settings=["NEWSCRAWL_INCREMENTAL=False"]
    )
    run = _last_run(db)
    assert run["article_downloads"] >= 7  # one article is reached under two URLs
    assert (run["articles_unchanged"], run["not_modified"], run["skipped_not_due"]) == (7, 0, 0)


@pytest.mark.slow
def test_generated_site_discovery_since_and_wp_posts(tmp_path, site_server, monkeypatch):
    """Feed, sitemap index + Google News sitemap, paginated listing and WordPress REST posts
    all lead to the articles; ``-a since=`` drops older entries before they are downloaded."""
    from newscrawl.samples.generated import build_site

    site = build_site(tmp_path / "gen", 45, wp_posts=True, days=45)
    server = site_server(site.root)
    server.handlers["/wp-json/"] = site.wp_posts
    monkeypatch.setenv("NEWSCRAWL_SITES_DIR", str(site.profile_dir))
    db = tmp_path / "news.db"
    since = (site.articles[0].published - timedelta(days=10)).date()
    result = run_crawl("generated", db, {"base_url": server.url, "since": since.isoformat()})
    wanted = {a.url for a in site.articles if a.published.date() >= since}
    stored = {r[0] for r in _rows(db, "select canonical_url from articles")}
    assert stored == wanted and 5 < len(wanted) < 45
    assert "'newscrawl/discovery/before_since'" in result.stderr  # feed/sitemap/REST entries
    assert server.hits["/wp-json/wp/v2/posts"] >= 1
    for source in ("feed", "sitemap", "wp_posts"):
        assert f"'newscrawl/discovery/{source}'" in result.stderr
    assert "'newscrawl/discovery/listing_pages'" in result.stderr
