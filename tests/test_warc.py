"""The WARC archive: records written and read back, rotation, repairs, and the crawl's use of it
(every response archived, articles pointing at theirs), `reextract` and `import-warc`."""

from __future__ import annotations

import gzip
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawl.incremental import body_hash
from newscrawl.samples import site_dir
from newscrawl.samples.server import SampleSite
from newscrawl.warc import WarcArchive, iter_responses, read_response, repair_file
from newscrawl.warc.middleware import warc_dir
from newscrawl.warc.reader import resolve_warc_path
from newscrawl.warc.writer import MARKER_SUFFIX, repair_folder, scan_members

from .conftest import ROOT, crawl_stats, run_crawl

PAGE = "<html><head><title>Été</title></head><body><p>Un été à Paris.</p></body></html>"


def exchange(n: int = 0, body: bytes | None = None) -> tuple[Request, HtmlResponse]:
    request = Request(f"https://news.example/story-{n}/?a=1", headers={"User-Agent": "test"})
    payload = gzip.compress((body or PAGE.encode()) * (n + 1))
    response = HtmlResponse(
        request.url, status=200, body=payload, request=request,
        headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip",
                 "Transfer-Encoding": "chunked", "ETag": '"x1"'},
    )  # fmt: skip
    return request, response


def test_records_round_trip_and_read_by_warcio(tmp_path):
    archive = WarcArchive(tmp_path / "warc", relative_to=tmp_path, info={"software": "test"})
    pointers = [archive.write("news.example", *exchange(n)) for n in range(3)]
    archive.close()
    assert {p.file for p in pointers} == {pointers[0].file}
    assert pointers[0].file.startswith("warc/news.example/newscrawl-")
    for n, pointer in enumerate(pointers):
        response = read_response(tmp_path / pointer.file, pointer.offset, pointer.length)
        assert response.url == f"https://news.example/story-{n}/?a=1" and response.status == 200
        assert response.body == PAGE.encode() * (n + 1)  # content encoding undone
        assert response.header("ETag") == '"x1"' and response.header("Content-Encoding") is None
        assert response.header("X-Crawler-Transfer-Encoding") == "chunked"  # framing renamed
    with (tmp_path / pointers[0].file).open("rb") as handle:
        records = list(ArchiveIterator(handle, check_digests=True))
    assert [r.rec_type for r in records] == ["warcinfo"] + ["request", "response"] * 3
    request_record, response_record = records[1], records[2]
    assert request_record.rec_headers.get_header("WARC-Concurrent-To") == (
        response_record.rec_headers.get_header("WARC-Record-ID")
    )
    assert request_record.http_headers.protocol == "GET"
    assert request_record.http_headers.get_header("Host") == "news.example"
    assert not list((tmp_path / "warc").rglob(f"*{MARKER_SUFFIX}"))  # closed cleanly


def test_files_rotate_by_size(tmp_path):
    archive = WarcArchive(tmp_path / "warc", max_size=1500)
    for n in range(6):
        archive.write("news.example", *exchange(n, os.urandom(400)))
    archive.close()
    files = sorted((tmp_path / "warc" / "news.example").glob("*.warc.gz"))
    assert len(files) >= 3
    for path in files:
        with path.open("rb") as handle:
            kinds = [kind for _, _, kind in scan_members(handle)]
        assert kinds[0] == "warcinfo" and kinds[1:] and len(kinds[1:]) % 2 == 0


def test_a_truncated_last_record_is_cut_and_skipped(tmp_path, caplog):
    archive = WarcArchive(tmp_path / "warc")
    pointers = [archive.write("news.example", *exchange(n)) for n in range(3)]
    path = archive.files["news.example"].path
    sound = path.stat().st_size
    request_member, response_member = archive.serializer.pair(*exchange(9), None, _now())
    with path.open("ab") as handle:  # what a kill -9 leaves: a request, half a response
        handle.write(request_member + response_member[: len(response_member) // 2])
    assert len(list(iter_responses(path))) == 3  # readers skip the truncated record
    assert "truncated or corrupt record skipped" in caplog.text
    # The writer is alive (locked): its file is not touched; once it is gone, it is repaired.
    assert repair_folder(path.parent) == []
    os.close(archive.files.pop("news.example").fd)
    cut = path.stat().st_size - sound
    assert repair_folder(path.parent) == [(path, cut)]
    assert path.stat().st_size == sound  # the lone request went too
    assert not path.with_name(path.name + MARKER_SUFFIX).exists()
    assert repair_file(path) == 0
    last = pointers[-1]
    assert read_response(path, last.offset, last.length).url.endswith("story-2/?a=1")


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


def test_warc_dir_setting(tmp_path):
    settings = Settings({"NEWSCRAWL_DB": str(tmp_path / "x" / "news.db")})
    assert warc_dir(settings) == tmp_path / "x" / "warc"  # unset: beside the database
    settings.set("NEWSCRAWL_WARC_DIR", "")
    assert warc_dir(settings) is None  # empty: off
    settings.set("NEWSCRAWL_WARC_DIR", str(tmp_path / "w"))
    assert warc_dir(settings) == tmp_path / "w"


# --- in crawls ---------------------------------------------------------------------------------

ALL_ROWS = {
    table: f"select * from {table} order by 1"
    for table in ("sites", "articles", "article_versions", "related_links", "comments",
                  "fetch_state", "page_failures")
}  # fmt: skip


def rows(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {table: conn.execute(sql).fetchall() for table, sql in ALL_ROWS.items()}


def newscrawl(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.pop("NEWSCRAWL_DB", None)
    result = subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("warccrawl")
    db = folder / "news.db"
    with SampleSite(site_dir("larevuedudigital")) as server:
        result = run_crawl("larevuedudigital", db, {"base_url": server.url})
        served = list(server.log)
    return {"db": db, "result": result, "served": served}


@pytest.mark.slow
def test_every_response_is_archived_and_articles_point_at_theirs(crawled):
    db = crawled["db"]
    files = sorted((db.parent / "warc" / "larevuedudigital").glob("*.warc.gz"))
    assert len(files) == 1
    with files[0].open("rb") as handle:
        responses = [
            (r.rec_headers.get_header("WARC-Target-URI"), int(r.http_headers.get_statuscode()))
            for r in ArchiveIterator(handle)
            if r.rec_type == "response"
        ]
    assert len(responses) == len(crawled["served"])  # robots.txt, feeds, sitemaps, pages, 404s
    assert sorted(s for _, s in responses) == sorted(s for _, s in crawled["served"])
    assert any(url.endswith("/robots.txt") for url, _ in responses)
    assert any(url.endswith("/feed/") for url, _ in responses)
    with sqlite3.connect(db) as conn:
        stored = conn.execute(
            "select a.url, a.warc_file, a.warc_offset, a.warc_length, a.extractor_version,"
            " f.content_hash from articles a join fetch_state f on f.article_id = a.id"
        ).fetchall()
    assert len(stored) == 7
    for url, file, offset, length, version, digest in stored:
        assert file == f"warc/larevuedudigital/{files[0].name}" and version.startswith("0.1.0+")
        response = read_response(resolve_warc_path(file, db), offset, length)
        assert response.url == url and body_hash(response.body) == digest
    stats = crawl_stats(crawled["result"])
    assert f"'newscrawl/warc/responses': {len(responses)}" in stats


@pytest.mark.slow
def test_archiving_off_with_an_empty_value(tmp_path):
    db = tmp_path / "news.db"
    with SampleSite(site_dir("larevuedudigital")) as server:
        run_crawl(
            "larevuedudigital", db, {"base_url": server.url}, settings=["NEWSCRAWL_WARC_DIR="]
        )
    assert not (tmp_path / "warc").exists()
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*), count(warc_file) from articles").fetchone() == (7, 0)


@pytest.mark.slow
def test_reextract_moves_nothing_then_versions_a_changed_extraction(crawled, tmp_path):
    db = tmp_path / "news.db"
    db.write_bytes(crawled["db"].read_bytes())
    (tmp_path / "warc").symlink_to(crawled["db"].parent / "warc")
    before = rows(db)
    result = newscrawl("reextract", "--db", str(db))
    assert (
        "7 archived pages read: articles 0 new, 0 changed (new version), 7 unchanged"
        in result.stdout
    )
    assert rows(db) == before  # same extractor: not a timestamp moves

    # Pretend an older extractor wrote one article differently.
    with sqlite3.connect(db) as conn:
        conn.execute(
            "update articles set body = 'Old text.', content_hash = 'old', extractor_version ="
            " '0.0.1+old' where id = 1"
        )
        old = conn.execute(
            "select first_seen, last_seen, warc_offset from articles where id = 1"
        ).fetchone()
    result = newscrawl("reextract", "--db", str(db), "--site", "larevuedudigital")
    assert "1 changed (new version), 6 unchanged" in result.stdout
    with sqlite3.connect(db) as conn:
        article = conn.execute(
            "select first_seen, last_seen, warc_offset, extractor_version, version_count, body"
            " from articles where id = 1"
        ).fetchone()
        version = conn.execute(
            "select body, extractor_version, warc_offset from article_versions where article_id = 1"
        ).fetchall()
    assert article[:3] == old  # nothing else moves
    assert article[3].startswith("0.1.0+") and article[4] == 2 and article[5] != "Old text."
    assert version == [("Old text.", "0.0.1+old", old[2])]
    after = rows(db)
    for table in ("related_links", "comments", "fetch_state", "sites"):
        assert after[table] == before[table]
    assert (
        "Nothing to re-extract" in newscrawl("reextract", "--db", str(db), "--site", "nope").stdout
    )
    assert "Nothing to re-extract" in newscrawl("reextract", "--db", str(db), "--failed").stdout


LINKS = (
    "select a.canonical_url, l.block_label, l.url, l.text from related_links l join articles a"
    " on a.id = l.article_id where a.canonical_url like '%larevuedudigital%' order by 1, 2, 3"
)
COMMENTS = (
    "select a.canonical_url, c.comment_key, c.author, c.text, c.parent_site_id from comments c"
    " join articles a on a.id = c.article_id where a.canonical_url like '%larevuedudigital%'"
    " order by 1, 2"
)


@pytest.mark.slow
def test_import_warc_loads_a_crawl_and_another_crawlers_file(crawled, tmp_path):
    files = sorted((crawled["db"].parent / "warc").rglob("*.warc.gz"))
    db = tmp_path / "imported.db"
    # A WARC written by another tool: uncompressed, chunked body kept as sent.
    other = tmp_path / "other.warc"
    html = (site_dir("techpulse") / "2024/11/25/nimbus-14-review/index.html").read_bytes()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(html), html)
    with other.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")],
            protocol="HTTP/1.1",
        )  # fmt: skip
        writer.write_record(
            writer.create_warc_record(
                "https://techpulse.example/2024/11/25/nimbus-14-review/", "response",
                payload=io.BytesIO(chunked), length=len(chunked), http_headers=headers,
            )
        )  # fmt: skip
    newscrawl("import-warc", "--db", str(db), *map(str, files), str(other))
    query = "select canonical_url, title, body, authors, published from articles order by 1"
    with sqlite3.connect(crawled["db"]) as conn:
        original = conn.execute(query).fetchall()
        links = conn.execute(LINKS).fetchall()
        comments = conn.execute(COMMENTS).fetchall()
    with sqlite3.connect(db) as conn:
        imported = conn.execute(query).fetchall()
        assert conn.execute(LINKS).fetchall() == links
        assert conn.execute(COMMENTS).fetchall() == comments
        pointers = conn.execute("select distinct warc_file from articles").fetchall()
    assert set(original) < set(imported) and len(imported) == len(original) + 1
    # Relative to the database folder when inside it, else absolute.
    assert {p for (p,) in pointers} == {str(files[0].resolve()), "other.warc"}
