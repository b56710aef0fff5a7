"""The store's upserts: one row per identity, versions on change, FTS with folded accents."""

import sqlite3

import pytest

from newscrawl.store import SCHEMA_VERSION, open_store
from newscrawl.store.db import comment_key

ARTICLE = {
    "canonical_url": "https://www.site.fr/une-histoire/",
    "url": "https://site.fr/une-histoire/?utm_source=rss",
    "title": "L'électricité chère",
    "body": "Le prix de l'électricité monte.\n\nLes ménages s'inquiètent.",
    "authors": ["Anne Martin"],
    "published": "2025-01-27T10:00:00+01:00",
}


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "news.db")
    yield s
    s.close()


def test_schema_is_versioned_and_wal(store, tmp_path):
    assert (
        store.conn.execute("select max(version) from schema_version").fetchone()[0]
        == SCHEMA_VERSION
    )
    assert store.conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    store.close()
    again = open_store(tmp_path / "news.db")  # reopening applies nothing twice
    assert again.conn.execute("select count(*) from schema_version").fetchone()[0] == SCHEMA_VERSION


def test_article_variants_are_one_row_and_changes_are_versioned(store):
    site = store.site_id("site", title="Site")
    assert store.upsert_article(ARTICLE, site).status == "new"
    for url in ("http://site.fr/une-histoire", "https://site.fr/une-histoire/amp/"):
        assert store.upsert_article({**ARTICLE, "canonical_url": url}, site).status == "unchanged"
    changed = {**ARTICLE, "body": ARTICLE["body"] + "\n\nMise à jour : le gouvernement réagit."}
    assert store.upsert_article(changed, site).status == "updated"
    store.commit()
    assert store.counts()["articles"] == 1
    row = store.conn.execute("select version_count, body from articles").fetchone()
    assert row[0] == 2 and "Mise à jour" in row[1]
    old = store.conn.execute("select body from article_versions").fetchone()[0]
    assert old == ARTICLE["body"]


def test_links_unique_per_article_block_and_target(store):
    article_id = store.upsert_article(ARTICLE, store.site_id("site")).row_id
    link = {
        "block_label": "Top lectures",
        "block_kind": "popular",
        "url": "https://www.site.fr/autre/",
        "text": "Autre",
        "position": 1,
    }
    assert store.upsert_link(link, article_id).status == "new"
    assert store.upsert_link(link, article_id).status == "unchanged"
    assert store.upsert_link({**link, "position": 2}, article_id).status == "updated"
    assert store.upsert_link({**link, "block_label": "Dossier"}, article_id).status == "new"
    assert store.counts()["related_links"] == 2


def test_comments_by_id_or_by_content_hash(store):
    article_id = store.upsert_article(ARTICLE, store.site_id("site")).row_id
    comment = {
        "comment_id": "12",
        "author": "Léa",
        "text": "Bravo",
        "published": "2025-01-27T12:00:00+01:00",
    }
    assert store.upsert_comment(comment, article_id).status == "new"
    assert store.upsert_comment(comment, article_id).status == "unchanged"
    edited = store.upsert_comment({**comment, "text": "Bravo, enfin !"}, article_id)
    assert edited.status == "updated"
    assert store.conn.execute("select edited_at is not null from comments").fetchone()[0] == 1
    anonymous = {
        "author": "Paul",
        "text": "Pas  d'accord.",
        "published": "2025-01-28T08:00:00+01:00",
    }
    assert store.upsert_comment(anonymous, article_id).status == "new"
    assert (
        store.upsert_comment({**anonymous, "text": " Pas d'accord. "}, article_id).status
        == "unchanged"
    )
    assert store.counts()["comments"] == 2


def test_comment_key():
    assert comment_key("42", "a", "t", None) == "id:42"
    assert comment_key(None, "Anne", "Hello,  world", "2025-01-01T10:00:00+00:00") == comment_key(
        None, "anne", "hello world!", "2025-01-01T10:00:59+00:00"
    )
    assert comment_key(None, "Anne", "Hello", None) != comment_key(None, "Bob", "Hello", None)


def test_full_text_search_folds_accents(store, tmp_path):
    store.upsert_article(ARTICLE, store.site_id("site"))
    store.commit()
    conn = sqlite3.connect(tmp_path / "news.db")
    found = conn.execute(
        "select title from articles_fts where articles_fts match 'electricite'"
    ).fetchall()
    assert found == [("L'électricité chère",)]


def test_crawl_runs_row(store):
    run = store.start_run("larevuedudigital", "larevuedudigital")
    store.finish_run(
        run,
        "finished",
        {"downloader/request_count": 7, "newscrawl/articles/new": 3, "log_count/ERROR": 1},
    )
    row = store.conn.execute(
        "select finish_reason, requests, articles_new, errors, finished is not null from crawl_runs"
    ).fetchone()
    assert row == ("finished", 7, 3, 1, 1)
