"""`scrapy check`: the site spider's contract runs offline on the bundled sample seed page."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from scrapy.exceptions import ContractFail
from scrapy.settings import Settings

from newscrawl import settings as project_settings
from newscrawl.contracts import SampleArticleContract, SampleFileMiddleware
from newscrawl.extract import extract_page
from newscrawl.items import Comment
from newscrawl.samples import site_dir
from newscrawl.spiders.base import items_from_page
from newscrawl.spiders.loader import ProfileSpiderLoader

from .conftest import ROOT


def _spider(name: str = "larevuedudigital"):
    loader = ProfileSpiderLoader(Settings({"SPIDER_MODULES": project_settings.SPIDER_MODULES}))
    return loader.load(name)()


def _contract() -> SampleArticleContract:
    return SampleArticleContract(_spider().parse_article)


def _items(contract: SampleArticleContract) -> list:
    result = extract_page(
        contract.file.read_bytes(), contract.sample.seed_url, contract.spider.profile
    )
    return list(items_from_page(result, "larevuedudigital"))


def test_contract_asks_for_the_public_url_answered_from_the_sample_file():
    contract = _contract()
    assert contract.file.is_relative_to(site_dir("larevuedudigital"))
    args = contract.adjust_request_args({})
    assert args["url"] == contract.sample.seed_url
    assert args["url"].startswith("https://www.larevuedudigital.com/")
    from scrapy import Request

    response = SampleFileMiddleware().process_request(Request(args["url"], meta=args["meta"]))
    assert response.url == args["url"]
    assert response.body == contract.file.read_bytes()
    assert SampleFileMiddleware().process_request(Request(args["url"])) is None
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
