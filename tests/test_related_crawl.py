"""Related links through real crawls: a "most read" list that changes between two crawls, the
same-site flag, and following related links when a profile asks for it."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from newscrawl.dates import utc_now
from newscrawl.samples import site_dir
from newscrawl.samples.server import SampleSite
from newscrawl.urls import url_key

from .conftest import expected, run_crawl

pytestmark = pytest.mark.slow

SITE = "relatedlab"
TRUTH = expected(SITE)
SEED = next(iter(TRUTH["articles"]))  # the article with the "Most read" sidebar
ORIGIN = TRUTH["origin"]


def mirror(server: SampleSite) -> list[str]:
    return [f"NEWSCRAWL_MIRRORS={json.dumps({ORIGIN: server.url})}"]


def links(db: Path, label: str | None = None) -> dict[str, sqlite3.Row]:
    """Related-link rows of the seed article by target key (one block, or all)."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = conn.execute(
        "select l.* from related_links l join articles a on a.id = l.article_id"
        " where a.url_key = ? and (? is null or l.block_label = ?)",
        (url_key(SEED), label, label),
    ).fetchall()
    conn.close()
    return {f"{r['block_label']}|{url_key(r['url'])}": r for r in rows}


def next_second(after: str) -> None:
    """Wait until the clock (second precision, as the store writes it) has moved past `after`."""
    while utc_now() <= after:
        time.sleep(0.1)


def test_most_read_change_moves_first_and_last_seen(tmp_path: Path):
    db = tmp_path / "news.db"
    variant = TRUTH["variants"]["most-read-changed"]
    before = {url_key(k["url"]) for k in TRUTH["articles"][SEED]["related"][-1]["links"]}
    after = {url_key(k["url"]) for k in variant["related"][-1]["links"]}
    dropped, added, kept = before - after, after - before, before & after
    assert dropped and added and kept  # the fixture changes the list in all three ways

    with SampleSite(site_dir(SITE)) as server:
        run_crawl("article", db, {"url": SEED}, mirror(server))
        first = links(db, "Most read")
        assert {k.split("|", 1)[1] for k in first} == before
        first_crawl = max(r["last_seen"] for r in first.values())
        next_second(first_crawl)

        path = "/" + SEED.split("://", 1)[1].split("/", 1)[1]
        server.overrides[path] = (site_dir(SITE) / variant["file"]).read_bytes()
        run_crawl("article", db, {"url": SEED}, mirror(server))
    second = links(db, "Most read")

    assert {k.split("|", 1)[1] for k in second} == before | after  # history is kept
    by_target = {k.split("|", 1)[1]: r for k, r in second.items()}
    second_crawl = max(r["last_seen"] for r in second.values())
    assert second_crawl > first_crawl
    for key in kept:
        assert by_target[key]["first_seen"] == first[f"Most read|{key}"]["first_seen"]
        assert by_target[key]["last_seen"] == second_crawl
    for key in dropped:  # no longer shown: last_seen stays at the crawl that last saw it
        assert by_target[key]["first_seen"] == by_target[key]["last_seen"] == first_crawl
    for key in added:
        assert by_target[key]["first_seen"] == by_target[key]["last_seen"] == second_crawl
    # Positions follow the current list.
    order = [url_key(k["url"]) for k in variant["related"][-1]["links"]]
    assert [by_target[key]["position"] for key in order] == [1, 2, 3]

    # same_site: the site's own pages (www and utm variants included) vs. widget redirects.
    every = links(db)
    assert {r["same_site"] for k, r in every.items() if k.startswith("Around the web|")} == {0}
    own = [r for k, r in every.items() if not k.startswith("Around the web|")]
    assert own and {r["same_site"] for r in own} == {1}
    assert all("utm_" not in r["url"] for r in own)


PROFILE = """
name = "relatedlab"
base_url = "https://relatedlab.example"
article_url_pattern = '^https://relatedlab\\.example/\\d{4}/\\d{2}/\\d{2}/[a-z0-9-]+/$'
follow_links = false
"""


@pytest.mark.parametrize("follow", [False, True])
def test_following_related_links_is_a_profile_option(tmp_path: Path, monkeypatch, follow):
    sites = tmp_path / "sites"
    sites.mkdir()
    text = PROFILE + ("[related_options]\nfollow = true\n" if follow else "")
    (sites / "relatedlab.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("NEWSCRAWL_SITES_DIR", str(sites))
    db = tmp_path / "news.db"
    with SampleSite(site_dir(SITE)) as server:
        run_crawl("article", db, {"url": SEED}, mirror(server))
    with sqlite3.connect(db) as conn:
        stored = {url_key(u) for (u,) in conn.execute("select canonical_url from articles")}
    served = {url_key(u) for u in TRUTH["articles"]}
    assert stored == (served if follow else {url_key(SEED)})
