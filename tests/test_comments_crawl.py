"""Comment crawls as real `scrapy crawl` subprocesses against the commentlab sample site:
pagination over three pages, both comment APIs (with a malformed answer), and re-crawls that
add, edit and remove comments (removed ones are kept, marked `removed_at`)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawl.samples import site_dir
from newscrawl.samples.apis import disqus_post, serve_commentlab_apis, wp_comment
from newscrawl.samples.server import Answer, SampleSite

from .conftest import run_crawl

PROFILES = Path(__file__).resolve().parents[1] / "newscrawl" / "samples" / "profiles"
EXPECTED = json.loads((site_dir("commentlab") / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def lab(monkeypatch) -> Iterator[tuple[SampleSite, object, object]]:
    monkeypatch.setenv("NEWSCRAWL_SITES_DIR", str(PROFILES))
    site = SampleSite(site_dir("commentlab")).start()
    wordpress, disqus = serve_commentlab_apis(site)
    yield site, wordpress, disqus
    site.stop()


def comments(db: Path, article: str) -> dict[str, dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(
            "select c.* from comments c join articles a on a.id = c.article_id"
            " where a.canonical_url = ? order by c.position",
            (article,),
        ).fetchall()
    return {r["site_comment_id"]: dict(r) for r in rows}


def test_html_families_and_three_page_thread(lab, tmp_path: Path) -> None:
    site, _, _ = lab
    db = tmp_path / "news.db"
    run_crawl("commentlab", db, {"base_url": site.url})
    for url, want in EXPECTED["comments"].items():
        got = comments(db, url)
        assert [
            {"id": r["site_comment_id"], "parent_id": r["parent_site_id"], "author": r["author"],
             "published": r["published"], "text": r["text"], "score": r["score"]}
            for r in got.values()
        ] == want, url  # fmt: skip
    thread = comments(db, "https://commentlab.example/paginated/")
    assert [r["position"] for r in thread.values()] == [1, 2, 3, 4, 5, 6]
    assert thread["103"]["parent_site_id"] == "101"  # a reply on page 2 to a comment on page 1
    assert thread["105"]["parent_site_id"] == "104"
    assert site.hits["/paginated/comment-page-2/"] == site.hits["/paginated/comment-page-3/"] == 1
    with sqlite3.connect(db) as conn:  # comment pages are joined to the article, not articles
        urls = [u for (u,) in conn.execute("select canonical_url from articles")]
    assert not any("comment-page" in u for u in urls)


def test_wordpress_rest_api_three_pages(lab, tmp_path: Path) -> None:
    site, _, _ = lab
    db = tmp_path / "news.db"
    result = run_crawl("commentlab-wp", db, {"base_url": site.url})
    got = comments(db, "https://wp.commentlab.example/api-wp/")
    assert len(got) == 202 and site.hits["/wp-json/wp/v2/comments"] == 3
    assert got["7002"]["parent_site_id"] == "7001" and got["7002"]["source"] == "wp-rest"
    assert got["7150"]["parent_site_id"] == "7001"
    assert (got["7001"]["author"], got["7001"]["published"], got["7001"]["text"]) == (
        "Hanna Vogt", "2024-03-25T09:00:00+00:00", "Does the REST API show replies too?",
    )  # fmt: skip
    assert "'newscrawl/comments/threads_complete': 1" in result.stderr


def test_disqus_cursor_paging_and_malformed_answer(lab, tmp_path: Path) -> None:
    site, _, _ = lab
    db = tmp_path / "news.db"
    result = run_crawl("commentlab-disqus", db, {"base_url": site.url})
    good = comments(db, "https://talk.commentlab.example/api-disqus/")
    assert {k: (v["parent_site_id"], v["author"], v["score"]) for k, v in good.items()} == {
        "9001": (None, "Kai", 3), "9002": ("9001", "Lena", 0), "9003": (None, "Mo", 1),
        "9004": ("9002", "Kai", 0), "9005": (None, "Nia", 0),
    }  # fmt: skip
    broken = comments(db, "https://talk.commentlab.example/api-disqus-broken/")
    assert set(broken) == {"9101", "9102"}  # the page before the break is kept
    assert re.search(r"WARNING: Malformed disqus-json answer at \S+cursor=2 ", result.stderr)
    assert "'newscrawl/comments/api_malformed': 1" in result.stderr


def test_recrawl_adds_edits_and_removes(lab, tmp_path: Path) -> None:
    site, _, disqus = lab
    db = tmp_path / "news.db"
    args = {"base_url": site.url}
    run_crawl("commentlab", db, args)
    run_crawl("commentlab-disqus", db, args)
    article = "https://commentlab.example/wp-modern/"
    first = comments(db, article)
    assert set(first) == {"21", "22", "23", "24"}

    html = (site_dir("commentlab") / "wp-modern" / "index.html").read_text(encoding="utf-8")
    html = html.replace("Four weeks is nothing", "Four weeks is far too short")  # edit 22
    start = html.index('<li id="comment-24"')
    end = html.index("</li>", start) + len("</li>")
    added = html[start:end].replace("24", "25").replace("Sam Okafor", "Vera Holm")
    html = html[:start] + added + html[end:]  # 24 moderated away, 25 new
    site.overrides["/wp-modern/"] = html.encode("utf-8")
    # The three-page thread loses its last page to a server error: nothing may be removed.
    site.answers["/paginated/comment-page-3/"] = Answer(500, b"oops")
    disqus.threads["cl-thread-7"] = [p for p in disqus.threads["cl-thread-7"] if p["id"] != "9003"]
    # 9102 is gone from the broken thread, but its second page is still malformed.
    broken_thread = [p for p in disqus.threads["cl-thread-9"] if p["id"] != "9102"]
    late = disqus_post("9104", None, "Rae", "2024-03-30T08:00:00", "<p>On the broken page.</p>")
    disqus.threads["cl-thread-9"] = [*broken_thread, late]
    run_crawl("commentlab", db, args, settings=["RETRY_TIMES=0"])
    # The Disqus pages' own HTML did not change, but their comments live in the API: an
    # incremental run must still ask it again (no conditional request for such articles).
    run_crawl("commentlab-disqus", db, args)

    second = comments(db, article)
    assert set(second) == {"21", "22", "23", "24", "25"}  # never deleted
    assert second["25"]["author"] == "Vera Holm" and second["25"]["removed_at"] is None
    assert second["22"]["text"].startswith("Agreed. Four weeks is far too short")
    assert second["22"]["edited_at"] is not None and second["22"]["removed_at"] is None
    assert second["24"]["removed_at"] is not None and second["24"]["text"] == first["24"]["text"]
    for cid in ("21", "23"):
        assert second[cid]["edited_at"] is None and second[cid]["removed_at"] is None
    thread = comments(db, "https://commentlab.example/paginated/")
    assert len(thread) == 6 and all(r["removed_at"] is None for r in thread.values())
    talk = comments(db, "https://talk.commentlab.example/api-disqus/")
    assert talk["9003"]["removed_at"] is not None
    assert [k for k, v in talk.items() if v["removed_at"]] == ["9003"]
    broken = comments(db, "https://talk.commentlab.example/api-disqus-broken/")
    assert set(broken) == {"9101", "9102", "9103"}
    assert all(r["removed_at"] is None for r in broken.values())  # incomplete: none removed

    # The comment comes back (moderation undone): it is live again, same row.
    del site.overrides["/wp-modern/"]
    # Back to the original file: its ETag differs from the override's, so the incremental
    # run's conditional request gets the page in full.
    run_crawl("commentlab", db, args)
    third = comments(db, article)
    assert third["24"]["removed_at"] is None and third["24"]["id"] == second["24"]["id"]
    assert third["25"]["removed_at"] is not None


def test_wordpress_rest_discovered_without_profile(lab, tmp_path: Path) -> None:
    """A page that advertises the REST API and takes comments, none in its HTML: read from
    the API though no profile says so, with exact ids, parents, authors, dates and text."""
    site, wordpress, _ = lab
    db = tmp_path / "news.db"
    article = "https://press.commentlab.example/api-wp-auto/"
    mirrors = json.dumps({"https://press.commentlab.example": site.url})
    result = run_crawl("article", db, {"url": article}, settings=[f"NEWSCRAWL_MIRRORS={mirrors}"])
    got = comments(db, article)
    assert [
        (k, v["parent_site_id"], v["author"], v["published"], v["text"], v["source"])
        for k, v in got.items()
    ] == [
        ("7301", None, "Ines Marr", "2024-04-03T07:15:00+00:00",
         "Found without a profile?\n\nSee this.", "wp-rest"),
        ("7302", "7301", "Comment Lab", "2024-04-03T08:00:00+00:00",
         "Yes: the page advertises its REST API.", "wp-rest"),
        ("7303", None, "Tariq Bell", "2024-04-04T19:45:00+00:00", "Third comment.", "wp-rest"),
    ]  # fmt: skip
    assert site.hits["/wp-json/wp/v2/comments"] == 1
    assert "'newscrawl/comments/wp_rest_discovered': 1" in result.stderr
    assert "'newscrawl/comments/threads_complete': 1" in result.stderr
    assert result.stderr.count("advertises the WordPress REST API") == 1

    # A site whose REST API is switched off: logged, counted, the crawl goes on.
    del wordpress.comments["502"]
    site.answers["/wp-json/wp/v2/comments"] = Answer(404, b'{"code":"rest_no_route"}')
    again = run_crawl(
        "article", tmp_path / "other.db", {"url": article},
        settings=[f"NEWSCRAWL_MIRRORS={mirrors}", "RETRY_TIMES=0"],
    )  # fmt: skip
    assert "'newscrawl/comments/wp_rest_refused': 1" in again.stderr
    assert comments(tmp_path / "other.db", article) == {}


def test_discovered_api_comments_are_read_again_by_incremental_runs(lab, tmp_path: Path) -> None:
    """The page's HTML does not change, so a conditional request would get a 304 and hide a
    new API comment: an article whose stored comments came from an API is fetched in full."""
    site, wordpress, _ = lab
    db = tmp_path / "news.db"
    article = "https://press.commentlab.example/api-wp-auto/"
    settings = [f"NEWSCRAWL_MIRRORS={json.dumps({'https://press.commentlab.example': site.url})}"]
    run_crawl("article", db, {"url": article}, settings=settings)
    assert set(comments(db, article)) == {"7301", "7302", "7303"}
    wordpress.comments["502"].append(
        wp_comment(7304, 502, 7303, "Lea Wong", "2024-04-05T10:00:00", "<p>A late reply.</p>")
    )
    again = run_crawl("article", db, {"url": article}, settings=settings)
    got = comments(db, article)
    assert set(got) == {"7301", "7302", "7303", "7304"}
    assert (got["7304"]["parent_site_id"], got["7304"]["author"]) == ("7303", "Lea Wong")
    assert "'newscrawl/incremental/unconditional_api_comments': 1" in again.stderr
    assert site.hits["/wp-json/wp/v2/comments"] == 2
