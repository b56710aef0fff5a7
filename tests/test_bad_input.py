"""A hostile site: every kind of bad answer gets a log line and a counter, never a crash,
and the good pages around them are still stored."""

from __future__ import annotations

import gzip
import re
import sqlite3
from pathlib import Path

import pytest

from newscrawl.extract import extract_page
from newscrawl.samples.server import Answer, SampleSite

from .conftest import crawl_stats, run_crawl

pytestmark = pytest.mark.slow

ARTICLE = """<!doctype html><html lang="{lang}"><head>{meta}<title>{title} | Hostile</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2025-02-03T09:00:00+01:00"></head>
<body><nav><a href="/">Home</a></nav><article><h1>{title}</h1>
<p>{text} This paragraph is long enough to be an article body for the extractor, with plenty of words.</p>
<p>Second paragraph with more words so that the page reads like a short news story, as real ones do.</p>
<p>A third paragraph quotes a spokesperson, who said the council would decide on Monday whether
the plan goes ahead, and that residents would be told by letter.</p>
<p>The decision follows months of talks between the two sides, according to people familiar with
the matter, who asked not to be named because the talks are private.</p>
</article></body></html>"""

LINKS = [
    "/good-story-one/", "/missing-page/", "/server-error/", "/rate-limited/", "/binary-file/",
    "/huge-page/", "/loop-a/", "/slow-page/", "/private/secret-story/", "/broken-markup/",
    "/latin1-story/", "/empty-page/", "/endless/", "/self-loop/", "/chunked-huge/", "/gzip-bomb/",
    "/truncated/",
]  # fmt: skip


def build_site(root: Path) -> None:
    (root / "index.html").write_text(
        "<html><body>"
        + "".join(f'<a href="{link}">{link}</a>' for link in LINKS)
        + "</body></html>"
    )
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    for slug, title in [
        ("good-story-one", "A good story"),
        ("private/secret-story", "Secret story"),
    ]:
        (root / slug).mkdir(parents=True)
        (root / slug / "index.html").write_text(
            ARTICLE.format(lang="en", meta="", title=title, text="Plain text.")
        )
    (root / "broken-markup").mkdir()
    broken = ARTICLE.format(
        lang="en", meta="", title="Broken markup story", text="<b><i>Unclosed <div><table><td>cells"
    )
    (root / "broken-markup" / "index.html").write_text(
        broken.replace("</article></body></html>", "<p>trailing <<<>>")
    )
    (root / "latin1-story").mkdir()
    latin = ARTICLE.format(
        lang="fr",
        meta='<meta charset="iso-8859-1">',
        title="Électricité à Noël",
        text="Le député a réagi à l'été.",
    )
    (root / "latin1-story" / "index.html").write_bytes(latin.encode("iso-8859-1"))


@pytest.fixture
def hostile(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    build_site(root)
    server = SampleSite(root).start()
    server.answers["/server-error/"] = Answer(500, "<h1>oops</h1>")
    server.answers["/binary-file/"] = Answer(
        200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(2000), content_type="image/png"
    )
    server.answers["/huge-page/"] = Answer(
        200, "<html><body>" + "<p>word </p>" * 60_000 + "</body></html>"
    )
    server.answers["/loop-a/"] = Answer(302, "", {"Location": "/loop-b/"})
    server.answers["/loop-b/"] = Answer(302, "", {"Location": "/loop-a/"})
    # A redirect chain that never ends (each hop a new URL, so only the redirect cap stops it).
    server.handlers["/endless/"] = lambda path, query: Answer(
        302, "", {"Location": f"/endless/?hop={int(query.get('hop', ['0'])[0]) + 1}"}
    )
    server.answers["/self-loop/"] = Answer(301, "", {"Location": "/self-loop/"})
    big = ("<html><body>" + "<p>word </p>" * 60_000 + "</body></html>").encode()
    server.answers["/chunked-huge/"] = Answer(200, big, chunked=True)  # no Content-Length
    server.answers["/gzip-bomb/"] = Answer(
        200, gzip.compress(b"<html><body>" + b" " * 30_000_000), {"Content-Encoding": "gzip"}
    )
    server.answers["/truncated/"] = Answer(200, big[:5000], declared_length=50_000)
    server.answers["/slow-page/"] = Answer(200, "<html><body>late</body></html>", delay=4)
    server.answers["/empty-page/"] = Answer(200, "")
    calls = {"n": 0}

    def rate_limited(path, query):
        calls["n"] += 1
        if calls["n"] == 1:
            return Answer(429, "slow down", {"Retry-After": "1"})
        return Answer(
            200, ARTICLE.format(lang="en", meta="", title="Worth the wait", text="Patience.")
        )

    server.handlers["/rate-limited/"] = rate_limited
    yield server
    server.stop()


def test_hostile_site_crawl(tmp_path, hostile):
    db = tmp_path / "news.db"
    result = run_crawl(
        "generic",
        db,
        {"start_url": hostile.url + "/"},
        settings=[
            "DOWNLOAD_TIMEOUT=2",
            "DOWNLOAD_MAXSIZE=200000",
            "DOWNLOAD_WARNSIZE=100000",
            "RETRY_TIMES=1",
            "REDIRECT_MAX_TIMES=4",
        ],
    )
    stats = crawl_stats(result)
    log = result.stderr
    assert "'finish_reason': 'finished'" in stats
    assert "'newscrawl/failed/http_404': 1" in stats
    assert "'newscrawl/failed/http_500': 1" in stats
    assert "'newscrawl/failed/redirect_loop': 2" in stats  # A→B→A and A→A
    assert "'newscrawl/failed/too_many_redirects': 1" in stats
    assert f"Failed {hostile.url}/loop-b/: redirect_loop" in log
    assert "'newscrawl/failed/truncated': 1" in stats
    assert "'newscrawl/failed/robots_txt': 1" in stats
    assert "Failed http://127.0.0.1" in log
    assert "'newscrawl/retry_after/waited': 1" in stats
    assert "'newscrawl/skipped/binary_body': 1" in stats
    assert "'newscrawl/skipped/empty_body': 1" in stats
    assert "'robotstxt/forbidden': 1" in stats
    assert "'newscrawl/failed/timeout': 1" in stats
    assert "'newscrawl/failed/too_large': 3" in stats  # Content-Length, chunked, gzip bomb
    reasons = set(re.findall(r"'newscrawl/failed/([a-z_0-9]+)'", stats))
    assert reasons == {"http_404", "http_500", "redirect_loop", "too_many_redirects", "truncated",
                       "robots_txt", "timeout", "too_large"}  # fmt: skip
    assert hostile.hits["/private/secret-story/"] == 0
    assert hostile.hits["/loop-a/"] == 1  # the A→B→A cycle is seen before B's redirect is followed
    assert hostile.hits["/self-loop/"] == 1
    assert hostile.hits["/endless/"] == 5  # first request + REDIRECT_MAX_TIMES hops

    conn = sqlite3.connect(db)
    titles = {row[0] for row in conn.execute("select title from articles")}
    assert titles == {"A good story", "Worth the wait", "Broken markup story", "Électricité à Noël"}
    body = conn.execute("select body from articles where title = 'Électricité à Noël'").fetchone()[
        0
    ]
    assert "Le député a réagi à l'été." in body
    run = conn.execute("select finish_reason, errors from crawl_runs").fetchone()
    assert run[0] == "finished"


@pytest.mark.parametrize(
    "html",
    [
        b"",
        b"\x00\x01\x02binary",
        b"<html",
        "<p>only text</p>",
        b"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00",
        "<html>" * 5000,
    ],
)
def test_extract_page_survives_garbage(html):
    result = extract_page(html, "https://example.com/x/")
    assert not result.is_article
    assert set(result.to_dict()) == {"page_type", "is_article", "article", "related", "comments"}
