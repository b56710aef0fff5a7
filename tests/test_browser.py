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
