"""`scrapy check`: the site spider's contract runs offline on the bundled sample seed page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.exceptions import ContractFail

from newscrawl.contracts import SampleArticleContract
from newscrawl.extract import extract_page
from newscrawl.items import Comment
from newscrawl.samples import site_dir
from newscrawl.spiders.base import items_from_page
from newscrawl.spiders.sites import LarevuedudigitalSpider

from .conftest import ROOT


def _contract() -> SampleArticleContract:
    spider = LarevuedudigitalSpider()
    return SampleArticleContract(spider.parse_article)


def _items(contract: SampleArticleContract) -> list:
    page = Path(contract.file_url.removeprefix("file://"))
    result = extract_page(
        page.read_bytes(), contract.expected["seed_article"], contract.spider.profile
    )
    return list(items_from_page(result, "larevuedudigital"))


def test_contract_points_at_the_sample_file_and_accepts_the_right_items():
    contract = _contract()
    assert contract.file_url.startswith("file://")
    assert Path(contract.file_url.removeprefix("file://")).is_relative_to(
        site_dir("larevuedudigital")
    )
    assert contract.adjust_request_args({})["url"] == contract.file_url
    contract.post_process(_items(contract))  # no ContractFail


def test_contract_fails_on_a_missing_comment_or_a_wrong_title():
    contract = _contract()
    items = _items(contract)
    with pytest.raises(ContractFail, match="comments"):
        contract.post_process([i for i in items if not isinstance(i, Comment)])
    article = next(i for i in items if type(i).__name__ == "Article")
    article.title = "Something else"
    with pytest.raises(ContractFail, match="title"):
        contract.post_process(items)


def test_scrapy_check_runs_offline_and_writes_no_database(tmp_path):
    db = tmp_path / "never.db"
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "check", "-s", f"NEWSCRAWL_DB={db}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Ran 1 contract" in result.stderr and "OK" in result.stderr
    assert not db.exists()
