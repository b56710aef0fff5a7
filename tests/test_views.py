"""Views, full-text search, canned queries and schema docs, checked against the sample sites.

Expected rows come from each sample site's expected.json (the ground truth written with the
pages), never from the views themselves.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from newscrawl.demo import DEMO_SITES, run_demo
from newscrawl.research.browse import load_metadata
from newscrawl.store import open_store
from newscrawl.store.views import VIEWS, ensure_views
from newscrawl.urls import url_key

from .conftest import ROOT, expected

SITE_NAMES = {demo.folder: demo.site_name for demo in DEMO_SITES}
SEED = expected("larevuedudigital")["seed_article"]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    """Both sample sites crawled for real (offline) into one database."""
    db = tmp_path_factory.mktemp("views") / "news.db"
    run_demo(db)
    return db


@pytest.fixture
def conn(sample_db) -> sqlite3.Connection:
    connection = sqlite3.connect(f"file:{sample_db}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


def expected_articles() -> dict[str, tuple[str, dict]]:
    """url_key → (site name, expected article) over every sample site."""
    return {
        url_key(url): (SITE_NAMES[folder], article)
        for folder in SITE_NAMES
        for url, article in expected(folder)["articles"].items()
    }


def article_ids(conn: sqlite3.Connection) -> dict[str, int]:
    return {key: row_id for row_id, key in conn.execute("select id, url_key from articles")}


def thread_shape(comments: list[dict]) -> dict[str, tuple[int, str]]:
    """Site comment id → (depth, root's site id), walking expected parent ids."""
    parents = {c["id"]: c["parent_id"] for c in comments}
    shape = {}
    for comment_id in parents:
        depth, node = 0, comment_id
        while parents.get(node):
            node, depth = parents[node], depth + 1
        shape[comment_id] = (depth, node)
    return shape


# --- views ---------------------------------------------------------------------------------


def test_article_overview_counts_match_ground_truth(conn):
    articles = expected_articles()
    inbound = Counter(
        url_key(link["url"])
        for _, article in articles.values()
        for block in article["related"]
        for link in block["links"]
    )
    rows = {
        url_key(row["canonical_url"]): row for row in conn.execute("select * from article_overview")
    }
    assert set(rows) == set(articles)
    for key, (site, article) in articles.items():
        row = rows[key]
        assert (row["site"], row["title"], row["language"]) == (
            site,
            article["title"],
            article["language"],
        )
        assert row["comment_count"] == len(article["comments"]), key
        assert row["related_link_count"] == sum(len(b["links"]) for b in article["related"]), key
        assert row["inbound_link_count"] == inbound[key], key
        assert row["published"] == article["published"]
        assert row["word_count"] > 50


def test_comment_threads_depth_root_and_reading_order(conn):
    ids = article_ids(conn)
    for key, (_, article) in expected_articles().items():
        rows = conn.execute(
            "select * from comment_threads where article_id = ? order by thread_path", (ids[key],)
        ).fetchall()
        by_site_id = {row["site_comment_id"]: row for row in rows}
        shape = thread_shape(article["comments"])
        assert len(rows) == len(article["comments"]), key
        # the page lists a thread depth-first: thread_path must give back that order
        assert [row["site_comment_id"] for row in rows] == [c["id"] for c in article["comments"]]
        for site_id, (depth, root) in shape.items():
            row = by_site_id[site_id]
            assert row["depth"] == depth, (key, site_id)
            assert by_site_id[root]["comment_id"] == row["root_id"], (key, site_id)
            parent = article["comments"][[c["id"] for c in article["comments"]].index(site_id)]
            if parent["parent_id"]:
                assert row["parent_id"] == by_site_id[parent["parent_id"]]["comment_id"]
            else:
                assert row["parent_id"] is None and row["root_id"] == row["comment_id"]
    deepest = conn.execute("select max(depth) from comment_threads").fetchone()[0]
    assert deepest == 2  # Doctolib and Rust threads go two replies deep


def test_link_graph_edges_and_targets(conn):
    articles = expected_articles()
    ids = article_ids(conn)
    want = Counter()
    for key, (site, article) in articles.items():
        for block in article["related"]:
            for link in block["links"]:
                target = url_key(link["url"])
                want[(ids[key], site, target, ids.get(target), block["label"], block["kind"])] += 1
    got = Counter(
        (r["source_id"], r["source_site"], r["target_url_key"], r["target_id"], r["block_label"],
         r["block_kind"])
        for r in conn.execute("select * from link_graph")
    )  # fmt: skip
    assert got == want
    titles = dict(conn.execute("select id, title from articles").fetchall())
    for row in conn.execute("select target_id, target_title from link_graph"):
        assert row["target_title"] == titles.get(row["target_id"])


# --- behaviour on hand-made data -----------------------------------------------------------


def _article(store, path: str) -> int:
    site = store.site_id("site")
    return store.upsert_article(
        {"canonical_url": f"https://site.fr/{path}/", "title": path, "body": "texte"}, site
    ).row_id


def test_threads_keep_orphans_and_never_cross_articles(tmp_path):
    store = open_store(tmp_path / "news.db")
    first, second = _article(store, "un"), _article(store, "deux")
    for article, comment_id, parent, position in [
        (first, "1", None, 1),
        (first, "2", "1", 2),
        (first, "3", "99", 3),  # parent deleted upstream: a thread of its own
        (first, "4", "4", 4),  # claims to answer itself: treated as top-level
        (second, "2", "1", 1),  # same ids on another article: its parent "1" is not here
        (second, "1", None, 2),
    ]:
        store.upsert_comment(
            {"comment_id": comment_id, "parent_id": parent, "text": f"c{comment_id}",
             "position": position},
            article,
        )  # fmt: skip
    store.commit()
    rows = store.conn.execute(
        "select article_id, site_comment_id, depth, parent_id is not null from comment_threads"
        " order by article_id, thread_path"
    ).fetchall()
    assert rows == [
        (first, "1", 0, 0),
        (first, "2", 1, 1),
        (first, "3", 0, 0),
        (first, "4", 0, 0),
        (second, "1", 0, 0),  # position 2, but its reply (position 1) follows it
        (second, "2", 1, 1),
    ]
    # reply "2" of the second article hangs under that article's own "1"
    parent = store.conn.execute(
        "select p.article_id from comment_threads t join comments p on p.id = t.parent_id"
        " where t.article_id = ? and t.site_comment_id = '2'",
        (second,),
    ).fetchone()
    assert parent == (second,)
    store.close()


def test_views_are_recreated_only_when_changed(tmp_path):
    path = tmp_path / "news.db"
    open_store(path).close()
    store = open_store(path)
    assert ensure_views(store.conn) == []  # up to date: no write
    store.conn.execute("drop view link_graph")
    store.conn.execute("create view article_overview_old as select 1")
    store.conn.execute("drop view article_overview")
    store.conn.execute("create view article_overview as select 1 as article_id")
    store.conn.commit()
    assert sorted(ensure_views(store.conn)) == ["article_overview", "link_graph"]
    stored = dict(store.conn.execute("select name, sql from sqlite_master where type = 'view'"))
    assert stored["article_overview"] == VIEWS["article_overview"]
    assert "article_overview_old" in stored  # a user's own view is left alone
    store.close()


def test_readonly_store_creates_no_views(tmp_path):
    path = tmp_path / "news.db"
    open_store(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("drop view comment_threads")
    readonly = open_store(path, readonly=True)
    names = {
        n for (n,) in readonly.conn.execute("select name from sqlite_master where type='view'")
    }
    readonly.conn.close()
    assert "comment_threads" not in names
    open_store(path).close()  # the next writable open puts it back
    with sqlite3.connect(path) as raw:
        assert raw.execute("select count(*) from comment_threads").fetchone() == (0,)


# --- full-text search ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ("developpement", "développement"),  # accents folded
        ("DÉVELOPPEMENT", "développement"),  # case and accents, both ways
        ("etat", "l’état"),  # French elision: the curly apostrophe separates tokens
        ("chaine", "chaîne"),
    ],
)
def test_article_search_folds_accents_and_elisions(conn, query, needle):
    rows = conn.execute(
        "select a.canonical_url, a.title, a.body from articles_fts"
        " join articles a on a.id = articles_fts.rowid where articles_fts match ?",
        (query,),
    ).fetchall()
    assert SEED in [row["canonical_url"] for row in rows]
    assert (
        needle
        in conn.execute("select body from articles where canonical_url = ?", (SEED,)).fetchone()[0]
    )
    for row in rows:  # every hit has the word, whatever its accents and case
        assert re.search(rf"\b{fold(query)}\b", fold(row["title"] + " " + row["body"]))


def fold(text: str) -> str:
    """Lower case without diacritics, as the unicode61 tokenizer compares words."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_comment_search_folds_accents(conn):
    rows = conn.execute(
        "select c.author from comments_fts join comments c on c.id = comments_fts.rowid"
        " where comments_fts match 'gerard'"
    ).fetchall()
    assert [row["author"] for row in rows] == ["Gérard Lemoine"]


# --- canned queries ------------------------------------------------------------------------

QUERIES = load_metadata()["databases"]["news"]["queries"]


def run_query(conn: sqlite3.Connection, name: str, **params) -> list[sqlite3.Row]:
    return conn.execute(QUERIES[name]["sql"], params).fetchall()


def test_search_articles_finds_the_seed_with_a_snippet(conn):
    rows = run_query(conn, "search_articles", q="developpement")
    assert [row["canonical_url"] for row in rows] == [SEED]
    assert "[développement]" in rows[0]["snippet"]
    phrase = run_query(conn, "search_articles", q="banque detenue par l'etat")
    assert [row["canonical_url"] for row in phrase] == [SEED]


@pytest.mark.parametrize(
    "q", ["", "prix-electricite", "l'etat", 'say "hi"', "NEAR(", "*", "OR", "a AND"]
)
def test_search_queries_accept_any_input(conn, q):
    for name in ("search_articles", "search_comments"):
        run_query(conn, name, q=q)  # FTS5 syntax errors would raise here


def test_search_comments(conn):
    rows = run_query(conn, "search_comments", q="milliards")
    assert [(row["author"], row["article_title"]) for row in rows] == [
        ("Gérard Lemoine", expected("larevuedudigital")["articles"][SEED]["title"])
    ]


def test_most_commented(conn):
    commented = sorted(
        (article for _, article in expected_articles().values() if article["comments"]),
        key=lambda article: (len(article["comments"]), article["published"]),
        reverse=True,
    )
    rows = run_query(conn, "most_commented")
    assert [(row["title"], row["comment_count"]) for row in rows] == [
        (article["title"], len(article["comments"])) for article in commented
    ]


def test_comments_per_day(conn):
    truth = Counter(
        (site, comment["published"][:10])
        for site, article in expected_articles().values()
        for comment in article["comments"]
    )
    rows = run_query(conn, "comments_per_day")
    assert {(row["site"], row["day"]): row["comments"] for row in rows} == dict(truth)
    assert [row["day"] for row in rows] == sorted((row["day"] for row in rows), reverse=True)


def test_most_linked(conn):
    truth = Counter(
        url_key(link["url"])
        for _, article in expected_articles().values()
        for block in article["related"]
        for link in block["links"]
    )
    rows = run_query(conn, "most_linked")
    assert {url_key(row["url"]): row["inbound_links"] for row in rows} == dict(truth)
    counts = [row["inbound_links"] for row in rows]
    assert counts == sorted(counts, reverse=True)
    stored = {url_key(row["url"]) for row in rows if row["article_id"] is not None}
    assert stored == set(expected_articles()) & set(truth)


def test_article_thread(conn):
    ids = article_ids(conn)
    for key, (_, article) in expected_articles().items():
        rows = run_query(conn, "article_thread", article_id=ids[key])
        shape = thread_shape(article["comments"])
        assert [row["text"] for row in rows] == [c["text"] for c in article["comments"]]
        for row, comment in zip(rows, article["comments"], strict=True):
            depth = shape[comment["id"]][0]
            assert row["depth"] == depth
            assert row["author"] == "↳ " * depth + comment["author"]
    seed = run_query(conn, "article_thread", article_id=ids[url_key(SEED)])
    assert [row["author"] for row in seed] == ["Gérard Lemoine"]


def test_thread_query_and_view_agree(conn):
    view = conn.execute(
        "select article_id, comment_id, parent_id, depth from comment_threads"
        " order by article_id, thread_path"
    ).fetchall()
    query = [
        (article_id, row["comment_id"], row["parent_id"], row["depth"])
        for (article_id,) in conn.execute("select id from articles order by id")
        for row in run_query(conn, "article_thread", article_id=article_id)
    ]
    assert [tuple(row) for row in view] == query


# --- the database explains itself ----------------------------------------------------------


def documented_objects(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Every table and view a reader sees (not FTS5's shadow tables), with its columns."""
    names = [
        name
        for (name,) in conn.execute(
            "select name from sqlite_master where type in ('table', 'view')"
            " and name not like 'sqlite_%' and name not like '%_fts_%' order by name"
        )
    ]
    return {n: [r[1] for r in conn.execute(f"pragma table_info({n})")] for n in names}


def test_metadata_describes_every_table_and_column(conn):
    tables = load_metadata()["databases"]["news"]["tables"]
    for name, columns in documented_objects(conn).items():
        assert name in tables, f"metadata.yml lacks table {name}"
        described = tables[name].get("columns", {})
        missing = [c for c in columns if not described.get(c)]
        assert not missing, f"metadata.yml lacks {name} columns {missing}"
    assert set(QUERIES) >= {
        "search_articles", "most_commented", "comments_per_day", "most_linked", "article_thread",
    }  # fmt: skip


def test_schema_doc_lists_every_table_view_and_column(conn):
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    sections = re.split(r"^#{2,3} ", text, flags=re.MULTILINE)
    for name, columns in documented_objects(conn).items():
        section = next((s for s in sections if s.split("\n", 1)[0].strip("` ") == name), None)
        assert section is not None, f"docs/schema.md has no section for {name}"
        documented = set(re.findall(r"^\| `(\w+)`", section, flags=re.MULTILINE))
        missing = [c for c in columns if c not in documented]
        assert not missing, f"docs/schema.md lacks {name} columns {missing}"
