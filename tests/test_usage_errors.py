"""Every mistake of issue 15 ends in one line on stderr (what, the value, the fix) and exit
status 2, never a traceback: spider arguments, settings, the database path, `newscrawl extract`,
`serve-samples`, `stats --plot`, `export`, and `newscrawl crawl`'s own checks."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl import __version__
from newscrawl.cli import main
from newscrawl.store import open_store

from .conftest import ROOT

PORT_HINT = "choose another --port, or leave --port out to get free ports"


def run(*command: str, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
    environment.pop("NEWSCRAWL_DB", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, env=environment, capture_output=True,
        text=True, timeout=timeout,
    )  # fmt: skip


def one_line(result: subprocess.CompletedProcess) -> str:
    """The single line a refusal prints; fails on tracebacks or chatter around it."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr, result.stderr
    assert len(lines) == 1, result.stderr
    return lines[0]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "news.db"


CRAWL_CASES = [
    (["generic", "-a", "start_url=http://127.0.0.1:9/", "-a", "since=yesterday"],
     "scrapy crawl generic: -a since='yesterday' is not a date (YYYY-MM-DD); skip articles"
     " published before this day, e.g. -a since=2025-01-01"),
    (["generic", "-a", "start_url=http://127.0.0.1:9/", "-a", "max_depth=abc"],
     "scrapy crawl generic: -a max_depth='abc' is not a whole number; links followed this many"
     " hops from the start page, e.g. -a max_depth=2"),
    (["generic", "-a", "start_url=http://127.0.0.1:9/", "-a", "max_articles=-1"],
     "scrapy crawl generic: -a max_articles='-1' must be a whole number >= 0; stop after this"
     " many articles (0: no limit), e.g. -a max_articles=50"),
    (["generic", "-a", "start_url=http://127.0.0.1:9/", "-a", "max_artciles=1"],
     "scrapy crawl generic: unknown argument -a max_artciles for spider generic (known:"
     " discover, max_articles, max_depth, max_pages, since, start_url)"),
    (["generic", "-a", "start_url=http://127.0.0.1:9/", "-a", "base_url=http://127.0.0.1:9"],
     "scrapy crawl generic: unknown argument -a base_url for spider generic (known:"
     " discover, max_articles, max_depth, max_pages, since, start_url)"),
    (["article"],
     "scrapy crawl article: spider article needs -a url=... (the page to fetch), e.g. scrapy"
     " crawl article -a url=https://example.com/news/1/"),
    (["article", "-a", "url=ftp://example.com/x"],
     "scrapy crawl article: -a url='ftp://example.com/x' is not an http(s) URL; the page to"
     " fetch, e.g. -a url=https://example.com/news/1/"),
    (["article", "-a", "url=http://127.0.0.1:9/x", "-a", "base_url=http://127.0.0.1:9"],
     "scrapy crawl article: -a base_url needs a site profile, and spider article has none here;"
     ' use -s NEWSCRAWL_MIRRORS=\'{"https://site": "http://127.0.0.1:PORT"}\' instead'),
    (["larevuedudigital", "-a", "since=2025-13-01"],
     "scrapy crawl larevuedudigital: -a since='2025-13-01' is not a date (YYYY-MM-DD); skip"
     " articles published before this day, e.g. -a since=2025-01-01"),
    (["nosuchsite"],
     "scrapy crawl nosuchsite: no spider named 'nosuchsite' (known: article, generic,"
     " larevuedudigital)"),
    (["larevuedudigital", "-s", "NEWSCRAWL_DB_RETRIES=abc"],
     "scrapy crawl larevuedudigital: NEWSCRAWL_DB_RETRIES='abc' is not a whole number (retries of"
     " a locked write (pauses growing to 5 s) before the page is spooled)"),
    (["larevuedudigital", "-s", "NEWSCRAWL_MIRRORS=abc"],
     "scrapy crawl larevuedudigital: NEWSCRAWL_MIRRORS='abc' is not JSON: Expecting value: line 1"
     ' column 1 (char 0) ({"public_origin": "mirror_origin"} JSON: fetch a site from a copy of it)'),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "line"), CRAWL_CASES, ids=[" ".join(c[0][:1] + c[0][-1:]) for c in CRAWL_CASES]
)
def test_scrapy_crawl_refuses_in_one_line(args, line, db):
    result = run("scrapy", "crawl", *args, "-s", f"NEWSCRAWL_DB={db}")
    assert result.returncode == 2
    assert one_line(result) == line
    assert not db.exists()  # nothing was started


def test_unwritable_database_paths(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    blocked = tmp_path / "a-file" / "news.db"
    result = run("scrapy", "crawl", "larevuedudigital", "-s", f"NEWSCRAWL_DB={blocked}")
    assert result.returncode == 2
    assert one_line(result) == (
        f"scrapy crawl larevuedudigital: cannot create the database {blocked} (NEWSCRAWL_DB): a file"
        f" is in the way of its folder {blocked.parent}; choose another path with -s"
        " NEWSCRAWL_DB=PATH or the NEWSCRAWL_DB environment variable"
    )
    result = run("scrapy", "crawl", "larevuedudigital", env={"NEWSCRAWL_DB": "/proc/news.db"})
    assert result.returncode == 2
    assert one_line(result) == (
        "scrapy crawl larevuedudigital: cannot open the database /proc/news.db (NEWSCRAWL_DB) for"
        " writing: unable to open database file; choose another path with -s NEWSCRAWL_DB=PATH or"
        " the NEWSCRAWL_DB environment variable"
    )
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("hello " * 200)
    result = run("scrapy", "crawl", "larevuedudigital", "-s", f"NEWSCRAWL_DB={not_a_db}")
    assert result.returncode == 2
    assert one_line(result).startswith(
        f"scrapy crawl larevuedudigital: {not_a_db} (NEWSCRAWL_DB) is not an SQLite database"
    )


def test_a_locked_database_is_a_store_error_not_a_usage_error(tmp_path):
    db = tmp_path / "news.db"  # another program's file, in rollback-journal mode, held locked
    holder = sqlite3.connect(db)
    holder.execute("create table other (x)")
    holder.commit()
    holder.execute("begin exclusive")
    try:
        import newscrawl.store.db as store_db
        from newscrawl.preflight import CrawlRefused, check_database

        original = store_db.Store.__init__

        def impatient(self, path, **kwargs):
            original(self, path, **{**kwargs, "busy_timeout_ms": 200, "retries": 0})

        store_db.Store.__init__ = impatient
        try:
            with pytest.raises(CrawlRefused) as refused:
                check_database(db)
        finally:
            store_db.Store.__init__ = original
    finally:
        holder.rollback()
        holder.close()
    assert refused.value.exit_status == 6
    assert str(refused.value).startswith(
        f"cannot write the database {db} (NEWSCRAWL_DB): database is locked"
    )


# --- newscrawl ----------------------------------------------------------------------------


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith(f"newscrawl {__version__} (Scrapy 2.")


def test_extract_of_a_404_and_of_a_refused_connection(site_server, capsys):
    server = site_server("techpulse")
    assert main(["extract", server.url + "/no-such-article/"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"newscrawl extract: {server.url}/no-such-article/ answered HTTP 404 Not Found"
    )
    port = closed_port()
    assert main(["extract", f"http://127.0.0.1:{port}/"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"newscrawl extract: cannot fetch http://127.0.0.1:{port}/: Connection refused"
    )


def test_extract_of_a_host_that_does_not_resolve(monkeypatch, capsys):
    """The resolver is not asked (tests stay off the network): urlopen fails as it would."""
    import urllib.request
    from urllib.error import URLError

    def unresolvable(*args, **kwargs):
        raise URLError(socket.gaierror(-2, "Name or service not known"))

    monkeypatch.setattr(urllib.request, "urlopen", unresolvable)
    assert main(["extract", "https://news.invalid/story/"]) == 2
    assert capsys.readouterr().err.strip() == (
        "newscrawl extract: cannot fetch https://news.invalid/story/: host 'news.invalid' not found"
        " (DNS: Name or service not known)"
    )


def test_serve_samples_unknown_site_and_busy_port():
    result = run("newscrawl.cli", "serve-samples", "golem")
    assert result.returncode == 2
    assert one_line(result) == (
        "newscrawl serve-samples: no bundled sample site 'golem' (have: commentlab,"
        " larevuedudigital, relatedlab, techpulse)"
    )
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("newscrawl.cli", "serve-samples", "--port", str(port), "techpulse")
    assert result.returncode == 2
    assert (
        one_line(result)
        == f"newscrawl serve-samples: port {port} on 127.0.0.1 is in use; {PORT_HINT}"
    )


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("small") / "news.db"
    store = open_store(db)
    site = store.site_id("example")
    store.upsert_article(
        {"canonical_url": "https://example.org/a/", "title": "A", "body": "Text.",
         "published": "2025-01-02T10:00:00+01:00"}, site,
    )  # fmt: skip
    store.close()
    return db


def test_stats_plot_writes_the_format_its_suffix_names(small_db, tmp_path, capsys):
    jpg = tmp_path / "daily.jpg"
    assert main(["stats", "--db", str(small_db), "--plot", str(jpg), "--size", "600x400"]) == 0
    assert jpg.read_bytes()[:3] == b"\xff\xd8\xff"  # JPEG, not PNG bytes under a .jpg name
    from PIL import Image

    assert Image.open(jpg).size == (600, 400)
    svg = tmp_path / "daily.svg"
    assert main(["stats", "--db", str(small_db), "--plot", str(svg)]) == 0
    assert b"<svg" in svg.read_bytes()[:400]
    capsys.readouterr()
    assert main(["stats", "--db", str(small_db), "--plot", str(tmp_path / "daily.bmp")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"newscrawl stats: cannot draw {tmp_path / 'daily.bmp'}: '.bmp' is not an image format we"
        " write (use .png, .jpg, .jpeg, .svg, .pdf, .webp, .tif, .tiff)"
    )
    assert not (tmp_path / "daily.bmp").exists()


def test_stats_plot_into_a_folder_that_cannot_be_written(small_db, tmp_path, capsys):
    (tmp_path / "a-file").write_text("x")
    out = tmp_path / "a-file" / "daily.png"
    assert main(["stats", "--db", str(small_db), "--plot", str(out)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"newscrawl stats: cannot write {out}: a file is in the way of its folder; choose another path"
    )


def test_stats_plot_of_an_empty_database(tmp_path, capsys):
    db = tmp_path / "empty.db"
    open_store(db).close()
    out = tmp_path / "daily.png"
    assert main(["stats", "--db", str(db), "--plot", str(out)]) == 2
    assert capsys.readouterr().err.strip() == (
        "newscrawl stats: nothing to plot: no dated articles or comments in the database"
    )
    assert not out.exists()  # no axis labelled 1970


@pytest.mark.parametrize("fmt", ["--parquet", "--jsonl", "--csv"])
def test_export_onto_a_file_or_below_one(small_db, tmp_path, capsys, fmt):
    a_file = tmp_path / "out"
    a_file.write_text("x")
    assert main(["export", "--db", str(small_db), fmt, str(a_file)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"newscrawl export: {a_file} is a file, not a folder: give a folder to export into"
    )
    assert main(["export", "--db", str(small_db), fmt, str(a_file / "sub")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"newscrawl export: cannot create the folder {a_file / 'sub'}: a file is in the way of its path"
    )
    assert main(["export", "--db", str(small_db), fmt, "/proc/newscrawl-export"]) == 2
    assert (
        capsys.readouterr()
        .err.strip()
        .startswith("newscrawl export: cannot create the folder /proc/newscrawl-export:")
    )


CRAWL_COMMAND_CASES = [
    (["generic"], "newscrawl crawl: generic is not a profiled site and needs arguments: use scrapy"
     " crawl generic -a ... (sites: larevuedudigital)"),
    (["nosuch"], "newscrawl crawl: no spider named 'nosuch' (known: article, generic, larevuedudigital)"),
    ([], "newscrawl crawl: name the sites to crawl, or --all (sites: larevuedudigital)"),
    (["--all", "-a", "since=yesterday"], "newscrawl crawl: -a since='yesterday' is not a date"
     " (YYYY-MM-DD); skip articles published before this day, e.g. -a since=2025-01-01"),
    (["--all", "-a", "sine=2025-01-01"], "newscrawl crawl: unknown argument -a sine for spider"
     " larevuedudigital (known: base_url, max_articles, since)"),
    (["--all", "-s", "NEWSCRAWL_INCREMENTAL=maybe"], "newscrawl crawl: NEWSCRAWL_INCREMENTAL='maybe'"
     " is not true or false (conditional requests and the revisit policy; False for a full re-crawl)"),
    (["--all", "--jobs", "0"], "newscrawl crawl: --jobs 0: run at least one crawl at a time"),
    (["--all", "-a", "since"], "newscrawl crawl: -a 'since': expected -a NAME=VALUE"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "line"), CRAWL_COMMAND_CASES)
def test_newscrawl_crawl_refuses_in_one_line(args, line, tmp_path):
    db = tmp_path / "news.db"
    result = run("newscrawl.cli", "crawl", "--db", str(db), *args)
    assert result.returncode == 2
    assert one_line(result) == line
    assert not (tmp_path / "logs").exists()


def test_newscrawl_crawl_refuses_an_unwritable_database(tmp_path):
    (tmp_path / "a-file").write_text("x")
    db = tmp_path / "a-file" / "news.db"
    result = run("newscrawl.cli", "crawl", "--all", "--db", str(db))
    assert result.returncode == 2
    assert one_line(result).startswith(f"newscrawl crawl: cannot create the database {db}")
