"""A 200-page site where a third of the pages make one extraction stage raise.

The faults come from tests/faults.py `StageFaults` (a stage raises on pages marked for it, the
way a bug would), in the crawl process only. Then: every page is in `articles` or
`page_failures`, every response is in the WARC files, and after `newscrawl reextract` (a process
without the faults: the "fixed" extractor) the database equals that of a crawl without faults.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from warcio.archiveiterator import ArchiveIterator

from newscrawl.samples.generated import build_site
from newscrawl.urls import url_key

from .conftest import ROOT, crawl_stats, run_crawl
from .test_resume import snapshot

pytestmark = pytest.mark.slow

ARTICLES = 200
STAGES = ("article", "metadata", "related", "comments")
FAULTS = (
    'EXTENSIONS={"newscrawl.middlewares.DownloadSizeMonitor": 0, "tests.faults.StageFaults": 0}'
)


@pytest.fixture(scope="module")
def fault_site(tmp_path_factory):
    from newscrawl.samples.server import SampleSite

    folder = tmp_path_factory.mktemp("faults")
    site = build_site(folder / "gen", ARTICLES)
    faults = {}
    for number, article in enumerate(site.articles):
        if number % 3 == 0:
            stage = STAGES[(number // 3) % len(STAGES)]
            faults[article.url] = stage
            path = site.article_file(article)
            html = path.read_text(encoding="utf-8")
            path.write_text(
                html.replace("<head>", f'<head><meta name="fault" content="{stage}">', 1),
                encoding="utf-8",
            )
    old = os.environ.get("NEWSCRAWL_SITES_DIR")
    os.environ["NEWSCRAWL_SITES_DIR"] = str(site.profile_dir)
    server = SampleSite(site.root).start()
    clean = folder / "clean" / "news.db"
    run_crawl("generated", clean, {"base_url": server.url})
    faulty = folder / "faulty" / "news.db"
    served = len(server.log)
    result = run_crawl("generated", faulty, {"base_url": server.url}, settings=[FAULTS])
    yield {
        "site": site, "faults": faults, "clean": clean, "faulty": faulty, "result": result,
        "served": len(server.log) - served, "clean_snapshot": snapshot(clean),
    }  # fmt: skip
    server.stop()
    if old is None:
        os.environ.pop("NEWSCRAWL_SITES_DIR", None)
    else:
        os.environ["NEWSCRAWL_SITES_DIR"] = old


def test_every_page_is_stored_or_kept_as_a_failure(fault_site):
    assert len(fault_site["faults"]) == 67
    stats = crawl_stats(fault_site["result"])
    for stage in STAGES:
        expected = sum(1 for s in fault_site["faults"].values() if s == stage)
        assert f"'newscrawl/extract_errors/{stage}': {expected}" in stats
    log = fault_site["result"].stderr
    assert log.count("Extraction stage 'related' failed on https://generated.example/") == 17
    with sqlite3.connect(fault_site["faulty"]) as conn:
        stored = {key for (key,) in conn.execute("select url_key from articles")}
        failures = {
            key: (stages, article_id, file)
            for key, stages, article_id, file in conn.execute(
                "select url_key, stages, article_id, warc_file from page_failures"
            )
        }
    for article in fault_site["site"].articles:
        key = url_key(article.url)
        stage = fault_site["faults"].get(article.url)
        assert key in stored or key in failures, article.url
        if stage in ("article", "metadata"):
            assert key not in stored and failures[key][0] == stage
            assert failures[key][1] is None and failures[key][2]  # no article, a WARC pointer
        elif stage in ("related", "comments"):
            assert key in stored and failures[key][0] == stage and failures[key][1]
        else:
            assert key in stored and key not in failures
    assert len(stored) == ARTICLES - 34


def test_every_response_is_in_the_warc_files(fault_site):
    responses = []
    for path in (fault_site["faulty"].parent / "warc").rglob("*.warc.gz"):
        with path.open("rb") as handle:
            responses += [r for r in ArchiveIterator(handle) if r.rec_type == "response"]
    assert len(responses) == fault_site["served"]


def test_reextract_with_the_fixed_stages_equals_a_crawl_without_faults(fault_site):
    db = fault_site["faulty"]
    assert snapshot(db) != fault_site["clean_snapshot"]
    env = {**os.environ}
    env.pop("NEWSCRAWL_DB", None)
    result = subprocess.run(
        [sys.executable, "-m", "newscrawl.cli", "reextract", "--db", str(db)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "page failures 67 resolved, 0 still failing" in result.stdout
    assert snapshot(db) == fault_site["clean_snapshot"]
    with sqlite3.connect(db) as conn:
        assert conn.execute(
            "select count(*) from page_failures where resolved_at is null"
        ).fetchone() == (0,)
        runs = conn.execute("select spider, finish_reason from crawl_runs order by id").fetchall()
    assert runs[-1] == ("reextract", "finished")
