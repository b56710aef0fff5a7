"""How a run is classified from its stats (newscrawl/runs.py), the summary line, the store's
record of it, and a store that fails mid-crawl."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from unittest.mock import MagicMock

import pytest
from scrapy.utils.test import get_crawler

from newscrawl.items import Article
from newscrawl.pipelines.store import SQLiteStorePipeline
from newscrawl.runs import EXIT_STATUSES, STORE_FAILED, run_outcome
from newscrawl.store import open_store

ROBOTS_404 = {
    "robotstxt/request_count": 1,
    "robotstxt/response_count": 1,
    "robotstxt/response_status_count/404": 1,
}


def stats(**counts) -> dict:
    data = {"start_time": datetime.now(timezone.utc) - timedelta(seconds=12)}
    for key, value in counts.items():
        data[key.replace("__", "/")] = value
    return data


def test_every_response_failed():
    run = run_outcome(
        {
            **stats(),
            **ROBOTS_404,
            "downloader/request_count": 172,
            "downloader/response_count": 172,
            "downloader/response_status_count/404": 172,
            "newscrawl/failed/http_404": 171,
        },
        "finished",
        "larevuedudigital",
    )
    assert (run.outcome, run.exit_status, run.pages, run.failed) == ("all_failed", 5, 171, 171)
    assert run.summary().startswith("Crawl summary: larevuedudigital all_failed (exit 5) in 12.")
    assert run.summary().endswith("; 171 failed (http_404 171)")


def test_no_response_at_all():
    run = run_outcome(
        {
            **stats(),
            "downloader/request_count": 2,
            "robotstxt/request_count": 1,
            "newscrawl/failed/dns_error": 1,
        },
        "finished",
    )
    assert (run.outcome, run.exit_status, run.pages) == ("no_response", 4, 0)


def test_partial_and_good_runs_exit_0():
    common = {
        **stats(),
        **ROBOTS_404,
        "downloader/request_count": 11,
        "downloader/response_count": 11,
        "downloader/response_status_count/200": 8,
        "downloader/response_status_count/304": 2,
        "newscrawl/articles/new": 5,
        "newscrawl/articles/unchanged": 1,
        "newscrawl/comments/new": 7,
        "newscrawl/links/new": 12,
    }
    good = run_outcome(common, "finished", "site")
    assert (good.outcome, good.exit_status, good.pages, good.not_modified) == ("ok", 0, 10, 2)
    assert good.summary().split(" s: ", 1)[1] == (
        "10 pages (2 not modified); articles 5 new, 0 updated, 1 unchanged;"
        " comments 7 new, 0 updated; links 12 new; 0 failed"
    )
    partial = run_outcome(
        {**common, "newscrawl/failed/timeout": 1, "newscrawl/skipped/binary_body": 2}, "finished"
    )
    assert (partial.outcome, partial.exit_status) == ("partial", 0)
    assert partial.summary().endswith("; 1 failed (timeout 1); 2 skipped (binary_body 2)")
    limited = run_outcome(common, "max_articles", "site")
    assert limited.outcome == "ok" and "site ok, max_articles (exit 0)" in limited.summary()


def test_reasons_and_store_failures_come_first():
    answered = {
        **stats(),
        "downloader/response_count": 3,
        "downloader/response_status_count/200": 3,
    }
    assert run_outcome(answered, "shutdown").outcome == "interrupted"
    assert run_outcome(answered, "start_error").outcome == "start_error"
    failed = run_outcome({**answered, STORE_FAILED: "OperationalError: disk I/O error"}, "finished")
    assert (failed.outcome, failed.exit_status) == ("store_error", 6)
    assert run_outcome(stats(), "finished").outcome == "ok"  # nothing to do is not a failure
    assert sorted({code for code, _ in EXIT_STATUSES.values()}) == [0, 1, 2, 3, 4, 5, 6, 7]


def test_finish_run_records_outcome_and_counts_failures_as_errors(tmp_path):
    store = open_store(tmp_path / "news.db")
    run_id = store.start_run("larevuedudigital", "larevuedudigital")
    data = {
        **ROBOTS_404,
        "downloader/request_count": 4,
        "downloader/response_count": 4,
        "downloader/response_status_count/404": 4,
        "newscrawl/failed/http_404": 3,
    }
    store.finish_run(run_id, "finished", data)
    row = store.conn.execute(
        "select outcome, exit_status, failures, failure_reasons, errors, summary from crawl_runs"
    ).fetchone()
    store.close()
    assert row[:3] == ("all_failed", 5, 3)
    assert json.loads(row[3]) == {"http_404": 3}
    assert row[4] == 3  # failed requests count as errors (they were 0 before)
    assert row[5].startswith("Crawl summary: ? all_failed (exit 5)")


def test_no_schema_lock_file_is_left_beside_the_database(tmp_path):
    open_store(tmp_path / "news.db").close()
    open_store(tmp_path / "news.db").close()
    assert sorted(p.name for p in tmp_path.iterdir() if "lock" in p.name) == []


def _pipeline(tmp_path):
    crawler = get_crawler(settings_dict={"NEWSCRAWL_DB": str(tmp_path / "news.db")})
    crawler.spider = MagicMock(name="spider")
    crawler.spider.name = "generic"
    crawler.spider.profile = None
    crawler.spider.host = "example.org"
    crawler.engine = MagicMock()
    crawler.engine.spider = crawler.spider
    crawler.stats.open_spider()
    pipeline = SQLiteStorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return crawler, pipeline


def test_a_page_the_store_cannot_write_is_spooled_and_the_run_is_a_store_error(
    tmp_path, monkeypatch, caplog
):
    crawler, pipeline = _pipeline(tmp_path)

    def article(name: str) -> Article:
        url = f"https://example.org/{name}"
        return Article(url=url, canonical_url=url, title=name.upper(), body="x")

    pipeline.process_item(article("a"))
    original = pipeline.store.upsert_article

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(pipeline.store, "upsert_article", broken)
    pipeline.process_item(article("b"))  # rolled back whole, spooled
    monkeypatch.setattr(pipeline.store, "upsert_article", original)
    pipeline.process_item(article("c"))  # the store works again: the crawl went on
    assert crawler.stats.get_value(STORE_FAILED) == 1
    assert crawler.stats.get_value("newscrawl/store/spooled") == 1
    crawler.engine.close_spider_async.assert_not_called()  # the page was kept: no reason to stop
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and errors[0].startswith("Could not store https://example.org/b")
    pipeline.close_spider()
    pipeline.spider_closed(crawler.spider, "finished")
    crawler.engine = None
    conn = sqlite3.connect(tmp_path / "news.db")
    titles = [row[0] for row in conn.execute("select title from articles order by title")]
    run = conn.execute("select outcome, exit_status, store_failures from crawl_runs").fetchone()
    conn.close()
    assert titles == ["A", "C"]
    assert run == ("store_error", 6, 1)
    spooled = (tmp_path / "news.db-spool.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(spooled) == 1 and "https://example.org/b" in spooled[0]


def test_pages_that_can_be_neither_stored_nor_spooled_stop_the_crawl(tmp_path, monkeypatch):
    crawler, pipeline = _pipeline(tmp_path)

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    def no_room(entry):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline.store, "upsert_article", broken)
    monkeypatch.setattr(pipeline.writer.spool, "append", no_room)
    url = "https://example.org/a"
    pipeline.process_item(Article(url=url, canonical_url=url, title="A", body="x"))
    assert pipeline.writer.lost == 1
    crawler.engine.close_spider_async.assert_called_once_with(reason="store_error")


def test_a_database_that_cannot_be_opened_closes_the_spider(tmp_path):
    from scrapy.exceptions import CloseSpider

    (tmp_path / "file").write_text("x")
    crawler = get_crawler(settings_dict={"NEWSCRAWL_DB": str(tmp_path / "file" / "news.db")})
    crawler.spider = MagicMock(name="spider")
    crawler.spider.profile = None
    crawler.stats.open_spider()
    pipeline = SQLiteStorePipeline.from_crawler(crawler)
    with pytest.raises(CloseSpider) as closed:
        pipeline.open_spider()
    assert closed.value.reason == "store_error"
    assert crawler.stats.get_value(STORE_FAILED)
