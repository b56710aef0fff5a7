"""End to end: real `scrapy crawl` subprocesses against the sample sites on 127.0.0.1."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

import pytest

from newscrawl.urls import url_key

from .conftest import crawl_stats, expected, run_crawl, table_counts

SEED = "https://www.larevuedudigital.com/la-chine-annonce-des-investissements-en-ia-du-niveau-de-ceux-des-etats-unis/"
SEED_PARAGRAPH_STARTS = [
    "On pensait que la startup",
    "Mais Bank of China",
    "Le but est de donner",
    "Et vous, qu’en pensez-vous ?",
]
COMMENT = (
    "Macron, il va les prendre où ces 103 Milliards ? Comme Trump ? Et le reste de l’Europe ? Les Chinois "
    "quant à eux vont certainement le faire. Ils y a les parleurs et les faiseurs, pas photo."
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def larevue_db(tmp_path_factory):
    """One crawl of the La Revue du Digital sample site, then a second one over it."""
    from newscrawl.samples import site_dir
    from newscrawl.samples.server import SampleSite

    db = tmp_path_factory.mktemp("larevue") / "news.db"
    with SampleSite(site_dir("larevuedudigital")) as server:
        first = run_crawl("larevuedudigital", db, {"base_url": server.url})
        counts_first = table_counts(db)
        # A full re-crawl (every page parsed and stored again) tests the store's dedup;
        # an incremental one (the default) must leave the same counts too.
        full = ["NEWSCRAWL_INCREMENTAL=False"]
        second = run_crawl("larevuedudigital", db, {"base_url": server.url}, settings=full)
        counts_second = table_counts(db)
        run_crawl("larevuedudigital", db, {"base_url": server.url})
        counts_third = table_counts(db)
    counts = (counts_first, counts_second, counts_third)
    return {"db": db, "first": first, "second": second, "counts": counts}


def test_seed_article(larevue_db):
    conn = sqlite3.connect(larevue_db["db"])
    conn.row_factory = sqlite3.Row
    row = conn.execute("select * from articles where url_key = ?", (url_key(SEED),)).fetchone()
    assert row["canonical_url"] == SEED
    assert (
        row["title"]
        == "La Chine annonce des investissements en IA du niveau de ceux des Etats-Unis"
    )
    paragraphs = row["body"].split("\n\n")
    assert len(paragraphs) == 4
    for paragraph, start in zip(paragraphs, SEED_PARAGRAPH_STARTS, strict=True):
        assert paragraph.startswith(start)
    truth = expected("larevuedudigital")["articles"][SEED]
    for block in truth["related"]:
        assert block["label"] not in row["body"]
        for link in block["links"]:
            assert link["text"].rstrip(".…") not in row["body"]
            if link["teaser"]:
                assert link["teaser"].rstrip(".…") not in row["body"]
    assert COMMENT not in row["body"]
    assert "Je réagis à cet article" not in row["body"]

    links = conn.execute(
        "select block_label, block_kind, block_position, position, url, text, teaser from related_links"
        " where article_id = ? order by block_position, position",
        (row["id"],),
    ).fetchall()
    assert [(r["block_label"], r["block_kind"]) for r in links] == [
        ("Top lectures en ce moment", "popular")
    ] * 3 + [("L'IA clé de nos besoins vitaux dans l'eau, l'électricité et le gaz", "dossier")] * 3
    want = [link for block in truth["related"] for link in block["links"]]
    assert [url_key(r["url"]) for r in links] == [url_key(link["url"]) for link in want]
    assert [r["text"] for r in links] == [link["text"] for link in want]
    assert [r["teaser"] for r in links[3:]] == [link["teaser"] for link in want[3:]]

    comments = conn.execute("select * from comments where article_id = ?", (row["id"],)).fetchall()
    assert len(comments) == 1
    assert comments[0]["text"] == COMMENT
    assert comments[0]["author"] == truth["comments"][0]["author"]
    assert comments[0]["published"] == truth["comments"][0]["published"]


def test_every_sample_article_stored_once(larevue_db):
    truth = expected("larevuedudigital")
    conn = sqlite3.connect(larevue_db["db"])
    stored = {row[0] for row in conn.execute("select canonical_url from articles")}
    assert stored == set(truth["articles"])
    n_comments = sum(len(a["comments"]) for a in truth["articles"].values())
    n_links = sum(len(b["links"]) for a in truth["articles"].values() for b in a["related"])
    assert conn.execute("select count(*) from comments").fetchone()[0] == n_comments
    assert conn.execute("select count(*) from related_links").fetchone()[0] == n_links
    threads = conn.execute(
        "select site_comment_id, parent_site_id from comments where parent_site_id is not null"
    ).fetchall()
    assert len(threads) >= 4  # the Doctolib discussion and its replies


def test_second_crawl_adds_nothing(larevue_db):
    first, second, third = larevue_db["counts"]
    assert first == second == third
    assert first["articles"] == len(expected("larevuedudigital")["articles"])
    assert first["article_versions"] == 0
    stats = crawl_stats(larevue_db["second"])
    assert "'newscrawl/articles/unchanged': 7" in stats
    assert "newscrawl/articles/new" not in stats


def test_crawl_runs_recorded(larevue_db):
    conn = sqlite3.connect(larevue_db["db"])
    runs = conn.execute(
        "select spider, finish_reason, articles_new, articles_unchanged, requests from crawl_runs order by id"
    ).fetchall()
    assert [r[:4] for r in runs] == [
        ("larevuedudigital", "finished", 7, 0),
        ("larevuedudigital", "finished", 0, 7),
        ("larevuedudigital", "finished", 0, 0),  # incremental: nothing due was rewritten
    ]
    assert all(r[4] > 7 for r in runs[:2])


def test_robots_txt_is_obeyed(larevue_db):
    stats = crawl_stats(larevue_db["first"])
    assert "'robotstxt/request_count': 1" in stats


def test_generic_spider_without_profile(tmp_path, site_server):
    """No profile: the generic path finds articles, threads and related blocks by itself."""
    server = site_server("techpulse")
    db = tmp_path / "news.db"
    mirrors = f'NEWSCRAWL_MIRRORS={{"https://techpulse.example": "{server.url}"}}'
    run_crawl("generic", db, {"start_url": "https://techpulse.example/"}, settings=[mirrors])
    conn = sqlite3.connect(db)
    titles = {row[0] for row in conn.execute("select title from articles")}
    assert titles == {a["title"] for a in expected("techpulse")["articles"].values()}
    depth = conn.execute(
        "select count(*) from comments where parent_site_id is not null"
    ).fetchone()[0]
    assert depth >= 4
    assert (
        conn.execute("select count(*) from related_links where block_label = 'Related'").fetchone()[
            0
        ]
        == 15
    )


def test_feed_export_has_all_three_item_kinds(tmp_path, site_server):
    server = site_server("larevuedudigital")
    out = tmp_path / "out.jsonl"
    run_crawl(
        "larevuedudigital", tmp_path / "news.db", {"base_url": server.url}, extra=["-O", str(out)]
    )
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    kinds = Counter(row["item_type"] for row in rows)  # every row says what it is
    assert set(kinds) == {"article", "related_link", "comment", "comment_thread"}
    assert (kinds["article"], kinds["related_link"], kinds["comment"]) == (7, 39, 11)
    assert all(next(iter(row)) == "item_type" for row in rows)  # first, for people reading it
    articles = [r for r in rows if r["item_type"] == "article"]
    assert {"canonical_url", "title", "body"} <= set(articles[0])


def test_article_spider_one_url(tmp_path, site_server):
    server = site_server("larevuedudigital")
    db = tmp_path / "news.db"
    run_crawl(
        "article",
        db,
        {"url": SEED},
        settings=[f'NEWSCRAWL_MIRRORS={{"https://www.larevuedudigital.com": "{server.url}"}}'],
    )
    counts = table_counts(db)
    assert (counts["articles"], counts["related_links"], counts["comments"]) == (1, 6, 1)


def test_article_spider_on_a_plain_local_url(tmp_path, site_server):
    """Without any mirror the page is fetched from 127.0.0.1 and stored under its canonical URL."""
    server = site_server("techpulse")
    db = tmp_path / "news.db"
    run_crawl("article", db, {"url": server.url + "/2024/11/05/rust-lands-in-the-linux-kernel/"})
    conn = sqlite3.connect(db)
    assert conn.execute("select canonical_url from articles").fetchall() == [
        ("https://techpulse.example/2024/11/05/rust-lands-in-the-linux-kernel/",)
    ]
    assert conn.execute("select count(*) from comments").fetchone()[0] == 5
