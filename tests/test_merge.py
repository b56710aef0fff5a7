"""`newscrawl merge`: two half-crawls merged equal the whole crawl; versions kept; idempotent;
memory flat in the input size."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from newscrawl.samples.generated import build_site
from newscrawl.samples.server import Answer, SampleSite
from newscrawl.store import open_store
from newscrawl.store.merge import merge_databases

from .conftest import ROOT, run_crawl, snapshot

ARTICLE = {
    "canonical_url": "https://site.example/story/",
    "url": "https://site.example/story/",
    "title": "First title",
    "body": "First body, long enough.",
    "authors": ["Ann"],
    "published": "2026-01-01T10:00:00+00:00",
}


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        tables = ("sites", "articles", "article_versions", "related_links", "comments",
                  "fetch_state", "discovery_state", "crawl_runs")  # fmt: skip
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}


@pytest.mark.slow
def test_two_half_crawls_merged_equal_the_whole_crawl(tmp_path: Path, monkeypatch) -> None:
    site = build_site(tmp_path / "gen", 80)
    monkeypatch.setenv("NEWSCRAWL_SITES_DIR", str(site.profile_dir))
    server = SampleSite(site.root).start()
    try:
        whole = tmp_path / "whole.db"
        run_crawl("generated", whole, {"base_url": server.url})
        halves = []
        for half in (0, 1):  # each machine saw every other article (the rest answered 404)
            server.answers = {
                a.path: Answer(404, "<html><body>gone</body></html>")
                for a in site.articles
                if a.number % 2 == half
            }
            db = tmp_path / f"half{half}.db"
            run_crawl("generated", db, {"base_url": server.url})
            halves.append(db)
        server.answers = {}
    finally:
        server.stop()
    for db in halves:
        assert 0 < counts(db)["articles"] < 80
    merged = tmp_path / "merged.db"
    result = subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", "merge", str(merged), *map(str, halves)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "articles new 40" in result.stdout
    assert snapshot(merged) == snapshot(whole)
    assert counts(merged)["crawl_runs"] == 2
    with sqlite3.connect(merged) as conn:
        origins = conn.execute("select count(*) from crawl_runs where origin is not null")
        assert origins.fetchone() == (2,)
    before = counts(merged)
    merge_databases(merged, halves)  # again: nothing changes
    assert counts(merged) == before and snapshot(merged) == snapshot(whole)
    into_whole = tmp_path / "whole-again.db"
    merge_databases(into_whole, [whole, *halves])  # the halves add nothing to the whole
    assert snapshot(into_whole) == snapshot(whole)


def _db_with(path: Path, title: str, body: str, seen: str, comment: str, score: int) -> Path:
    store = open_store(path)
    site = store.site_id("site.example", title="Site")
    article = {**ARTICLE, "title": title, "body": body, "fetched_at": seen}
    row = store.upsert_article(article, site).row_id
    store.upsert_link({"url": "https://site.example/other/", "block_label": "Related",
                       "text": f"Other ({title})"}, row)  # fmt: skip
    store.upsert_comment({"comment_id": "c1", "author": "Bo", "text": comment, "score": score}, row)
    store.conn.execute("update comments set first_seen = ?, last_seen = ?", (seen, seen))
    store.conn.execute("update related_links set first_seen = ?, last_seen = ?", (seen, seen))
    store.close()
    return path


def _article(db: Path) -> tuple:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select title, body, version_count, first_seen, last_seen from articles"
        ).fetchone()


def test_the_latest_content_wins_and_the_other_is_kept_as_a_version(tmp_path: Path) -> None:
    old = _db_with(tmp_path / "old.db", "First title", "First body.", "2026-01-01T10:00:00+00:00",
                   "Nice piece", 1)  # fmt: skip
    new = _db_with(tmp_path / "new.db", "Second title", "Second body.", "2026-01-05T10:00:00+00:00",
                   "Nice piece (edited)", 4)  # fmt: skip
    results = []
    for order in ((old, new), (new, old)):  # the order of the inputs does not matter
        out = tmp_path / f"out-{order[0].stem}.db"
        merge_databases(out, list(order))
        merge_databases(out, list(order))  # idempotent
        with sqlite3.connect(out) as conn:
            versions = conn.execute("select title, body, seen_at from article_versions").fetchall()
            comment = conn.execute(
                "select text, score, edited_at is not null, first_seen from comments"
            ).fetchall()
            link = conn.execute("select text, first_seen, last_seen from related_links").fetchall()
        results.append((_article(out), versions, comment, link))
    assert results[0] == results[1]
    article, versions, comment, link = results[0]
    assert article == ("Second title", "Second body.", 2, "2026-01-01T10:00:00+00:00",
                       "2026-01-05T10:00:00+00:00")  # fmt: skip
    assert versions == [("First title", "First body.", "2026-01-05T10:00:00+00:00")]
    assert comment == [("Nice piece (edited)", 4, 1, "2026-01-01T10:00:00+00:00")]
    assert link == [("Other (Second title)", "2026-01-01T10:00:00+00:00",
                     "2026-01-05T10:00:00+00:00")]  # fmt: skip


def _big_db(path: Path, articles: int) -> Path:
    store = open_store(path)
    site = store.site_id("big.example")

    def fill() -> None:
        for number in range(articles):
            url = f"https://big.example/{number}/"
            row = store.upsert_article(
                {"canonical_url": url, "url": url, "title": f"Story {number}",
                 "body": f"Paragraph {number}. " * 200}, site,
            ).row_id  # fmt: skip
            for k in range(3):
                store.upsert_link({"url": f"https://big.example/{k}/", "block_label": "R"}, row)
                store.upsert_comment({"comment_id": f"{number}-{k}", "text": "Yes. " * 20}, row)

    store.write(fill)
    store.close()
    return path


def test_merging_streams_memory_stays_flat(tmp_path: Path) -> None:
    peaks = {}
    for size in (300, 1500):
        source = _big_db(tmp_path / f"in{size}.db", size)
        tracemalloc.start()
        merge_databases(tmp_path / f"out{size}.db", [source])
        peaks[size] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert counts(tmp_path / f"out{size}.db")["comments"] == 3 * size
    assert peaks[1500] < peaks[300] * 1.5, peaks  # 5x the input, not 5x the memory


def test_merge_refuses_missing_inputs_and_itself(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "newscrawl.cli", "merge"]
    missing = subprocess.run([*command, str(tmp_path / "out.db"), str(tmp_path / "nope.db")],
                             cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert missing.returncode == 2 and "no database at" in missing.stderr
    db = _db_with(tmp_path / "a.db", "T", "B.", "2026-01-01T10:00:00+00:00", "c", 1)
    itself = subprocess.run([*command, str(db), str(db)], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert itself.returncode == 2 and "is the output database" in itself.stderr
