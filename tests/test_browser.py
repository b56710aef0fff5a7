"""A researcher's session in a real browser: `newscrawl browse` over a crawl of the sample sites,
a canned search typed without accents, then the seed article's comment thread.

Drives Debian's headless Chromium (`apt-get install chromium`) with Playwright for Python.
Without Chromium or Playwright the test skips, unless $CI is set: there it must run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawl.demo import run_demo
from newscrawl.store import open_store

from .conftest import expected

CHROMIUM = os.environ.get("NEWSCRAWL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
SEARCH_WORD = "developpement"  # the seed article has "développement"
SEED_URL = expected("larevuedudigital")["seed_article"]
SEED = expected("larevuedudigital")["articles"][SEED_URL]


def _browser_missing() -> str | None:
    """Why the browser test cannot run here, or None when it can."""
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright)"
    return None


@pytest.fixture(scope="module")
def chromium_ready() -> None:
    reason = _browser_missing()
    if reason and os.environ.get("CI"):
        pytest.fail(f"CI must run the browser test: {reason}")
    if reason:
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def datasette_db(chromium_ready, tmp_path_factory) -> Path:
    """A fresh crawl of the sample sites; not named news.db, so browse must re-key the metadata."""
    db = tmp_path_factory.mktemp("browser") / "sample-crawl.db"
    run_demo(db)
    return db


@pytest.fixture(scope="module")
def datasette_url(datasette_db) -> Iterator[str]:
    """`newscrawl browse` serving the sample crawl on 127.0.0.1."""
    db, folder = datasette_db, datasette_db.parent
    port = _free_port()
    log = open(folder / "datasette.log", "w", encoding="utf-8")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "newscrawl.cli", "browse", "--db", str(db), "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/-/versions.json", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        f"Datasette did not start:\n{(folder / 'datasette.log').read_text()[-3000:]}"
                    )
                time.sleep(0.2)
        yield f"{base}/sample-crawl"
    finally:
        process.terminate()  # browse turns SIGTERM into stopping Datasette too
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


@pytest.fixture
def page(chromium_ready) -> Iterator:
    """A headless Chromium page with its own HOME and TMPDIR."""
    from playwright.sync_api import sync_playwright

    # a short path: Chromium's singleton socket lives there and a Unix socket path has ~107 bytes
    with tempfile.TemporaryDirectory(prefix="nc-chromium-", dir="/tmp") as home:
        env = {**os.environ, "HOME": home, "TMPDIR": home, "XDG_CONFIG_HOME": home}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env, headless=True
            )
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            yield context.new_page()
            context.close()
            browser.close()


def _screenshot_dir(tmp_path: Path) -> Path:
    """$NEWSCRAWL_SCREENSHOTS if set (to keep them), else the test's temporary folder."""
    folder = Path(os.environ.get("NEWSCRAWL_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_search_without_accents_then_read_the_thread(datasette_url, page, tmp_path):
    shots = _screenshot_dir(tmp_path)
    page.goto(f"{datasette_url}/search_articles")
    assert "Search articles" in page.locator("h1").inner_text()  # the metadata applies
    page.fill("input[name=q]", SEARCH_WORD)
    page.locator("form.sql input[type=submit]").click()
    page.wait_for_selector("table.rows-and-columns tbody tr")
    rows = page.locator("table.rows-and-columns tbody tr")
    results = [rows.nth(i).inner_text() for i in range(rows.count())]
    seed_rows = [text for text in results if SEED["title"] in text]
    assert seed_rows, f"seed article not in the results: {results}"
    assert "[développement]" in seed_rows[0]  # the snippet marks the accented word found
    article_id = (
        page.locator("table.rows-and-columns tbody tr", has_text=SEED["title"])
        .locator("td.col-article_id")
        .inner_text()
    )
    search_shot = shots / "browser-search.png"
    page.screenshot(path=str(search_shot), full_page=True)

    page.goto(f"{datasette_url}/article_thread")
    page.fill("input[name=article_id]", article_id.strip())
    page.locator("form.sql input[type=submit]").click()
    page.wait_for_selector("table.rows-and-columns tbody tr")
    thread = page.locator("table.rows-and-columns tbody").inner_text()
    comment = SEED["comments"][0]
    assert comment["author"] in thread
    assert comment["text"][:60] in " ".join(thread.split())
    thread_shot = shots / "browser-thread.png"
    page.screenshot(path=str(thread_shot), full_page=True)
    assert search_shot.stat().st_size > 10_000 and thread_shot.stat().st_size > 10_000
    print(f"screenshots: {search_shot} {thread_shot}")


def test_table_search_and_a_live_database(datasette_url, datasette_db, page):
    page.goto(f"{datasette_url}/article_overview?_search=electricite")
    page.wait_for_selector("table.rows-and-columns tbody tr")
    assert "Stockage de l’électricité" in page.locator("table.rows-and-columns tbody").inner_text()
    # served live (not immutable): an article stored now is found without restarting
    store = open_store(datasette_db)
    site = store.site_id("larevuedudigital")
    store.upsert_article(
        {"canonical_url": "https://www.larevuedudigital.com/pendant-la-lecture/",
         "title": "Écrit pendant la lecture", "body": "Une hydroélectricité inédite."},
        site,
    )  # fmt: skip
    store.close()
    page.goto(f"{datasette_url}/search_articles?q=hydroelectricite")
    page.wait_for_selector("table.rows-and-columns tbody tr")
    assert "Écrit pendant la lecture" in page.locator("table.rows-and-columns tbody").inner_text()


# --- readable pages (issue 15), checked on screenshots and on the laid-out page --------------


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not on the page"
    return box


def _rows(page) -> list[str]:
    rows = page.locator("table.rows-and-columns tbody tr")
    return [rows.nth(i).inner_text() for i in range(rows.count())]


def _shot(page, tmp_path: Path, name: str) -> Path:
    path = _screenshot_dir(tmp_path) / name
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000
    return path


def _seed_id(datasette_db: Path) -> int:
    import sqlite3

    with sqlite3.connect(datasette_db) as conn:
        return conn.execute(
            "select id from articles where canonical_url = ?", (SEED_URL,)
        ).fetchone()[0]


def test_an_article_row_page_reads_one_field_per_line(datasette_url, datasette_db, page, tmp_path):
    page.goto(f"{datasette_url}/articles/{_seed_id(datasette_db)}")
    title, body = _box(page, "td.col-title"), _box(page, "td.col-body")
    line_height = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('td.col-title')).lineHeight)"
    )
    # Before: a table row as wide as the body squeezed the title to a word per line (~90 px).
    assert title["width"] >= 500, title
    assert title["height"] <= 4 * line_height + 30, title  # the field name, then 1-3 lines
    assert body["y"] > title["y"] + title["height"] - 1  # fields stacked, not side by side
    label = page.evaluate(
        "getComputedStyle(document.querySelector('td.col-title'), '::before').content"
    )
    assert label == '"title"'  # each field says which column it is
    assert "Links from other tables" in page.content()  # its comments and related links
    print(f"screenshot: {_shot(page, tmp_path, 'browser-row.png')}")


def test_a_table_page_opens_on_its_search_box(datasette_url, page, tmp_path):
    page.goto(f"{datasette_url}/articles")
    search = _box(page, "input#_search")
    assert search["y"] < 350, search  # before: a screen of column descriptions came first
    assert not page.locator("dl.column-descriptions").is_visible()
    description = page.locator(".metadata-description").inner_text()
    assert len(description) < 250 and "rust OR engie" in description
    assert "Data license" not in page.locator("section.content").inner_text()  # home page only
    page.locator("th.col-title svg.dropdown-menu-icon").click()  # the column's ⚙ menu
    assert page.locator(".dropdown-column-description").inner_text() == "Headline."
    print(f"screenshot: {_shot(page, tmp_path, 'browser-table.png')}")


def test_the_articles_search_box_takes_fts5_syntax_and_plain_words(datasette_url, page):
    page.goto(f"{datasette_url}/articles?_search=rust+OR+engie")
    rows = _rows(page)
    assert len(rows) == 2, rows  # plain mode found none
    assert any("Rust lands" in r for r in rows) and any("Engie" in r for r in rows)
    page.goto(f"{datasette_url}/articles?_search=electri*")
    assert len(_rows(page)) >= 1
    page.goto(f"{datasette_url}/articles?_search=l%27etat")  # not FTS5 syntax: plain words
    assert "Invalid SQL" not in page.content()
    assert any("La Chine annonce" in r for r in _rows(page))
    page.goto(f"{datasette_url}/article_overview?_search=NEAR(stockage+electricite%2C+3)")
    assert any("Stockage de l’électricité" in r for r in _rows(page))


def test_canned_query_ids_and_titles_link_to_their_rows(
    datasette_url, datasette_db, page, tmp_path
):
    page.goto(f"{datasette_url}/search_articles?q=electricite")
    assert not page.locator("textarea#sql-editor").is_visible()  # the SQL is hidden, results first
    row = page.locator("table.rows-and-columns tbody tr", has_text="Stockage")
    id_link, title_link = row.locator("td.col-article_id a"), row.locator("td.col-title a")
    assert id_link.get_attribute("href") == title_link.get_attribute("href")
    print(f"screenshot: {_shot(page, tmp_path, 'browser-query-links.png')}")
    title_link.click()
    page.wait_for_selector("td.col-body")
    assert page.locator("h1").inner_text().startswith("articles: ")
    assert "Stockage de l’électricité" in page.locator("td.col-title").inner_text()
    page.goto(f"{datasette_url}/article_thread?article_id={_seed_id(datasette_db)}")
    comment = page.locator("table.rows-and-columns tbody tr").first.locator("td.col-comment_id a")
    comment.click()
    page.wait_for_selector("td.col-text")
    assert page.locator("h1").inner_text().startswith("comments: ")


def test_article_overview_facets_by_site_and_month(datasette_url, page, tmp_path):
    page.goto(f"{datasette_url}/article_overview")
    facets = {
        page.locator(".facet-info").nth(i).get_attribute("data-column"): page.locator(".facet-info")
        .nth(i)
        .inner_text()
        for i in range(page.locator(".facet-info").count())
    }
    assert {"site", "month"} <= set(facets)
    assert "techpulse.example 5" in " ".join(facets["site"].split())  # the other site grows live
    months = " ".join(facets["month"].split())
    assert "2025-01 7" in months and "2024-11 5" in months
    page.locator(".facet-info[data-column=month] a", has_text="2024-11").click()
    page.wait_for_selector("table.rows-and-columns tbody tr")
    assert len(_rows(page)) == 5
    assert page.locator("td.col-title a").count() == 5  # titles link to the articles
    print(f"screenshot: {_shot(page, tmp_path, 'browser-facets.png')}")
