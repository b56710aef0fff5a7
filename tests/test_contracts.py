"""`scrapy check`: the site spider's contract runs offline on the bundled sample seed page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


def _check(names: list[str], sites: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "SCRAPY_SETTINGS_MODULE": "newscrawl.settings",
        "NEWSCRAWL_SITES_DIR": str(sites),
    }
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "check", *names], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_a_user_folder_sample_is_read_with_the_design_of_the_day_it_was_saved(tmp_path):
    import json

    from newscrawl.profiles import load_profile
    from newscrawl.samples.shapes import build_shape

    site = build_shape("wordpress", tmp_path / "site")
    story = site.stories[0]  # it has comments
    url = site.url(story)
    sites = tmp_path / "sites"
    page = sites / "redesigned" / site.article_path(story).strip("/") / "index.html"
    page.parent.mkdir(parents=True)
    page.write_bytes((site.root / site.article_path(story).strip("/") / "index.html").read_bytes())
    (sites / "redesigned.toml").write_text(
        'base_url = "https://wpnews.example"\n'
        '[[article]]\nvalid_until = 2025-03-31\ntitle = "h1.entry-title"\n'
        '[[article]]\ntitle = ".entry-meta"\n',  # the current design reads another layout
        encoding="utf-8",
    )
    profile = load_profile(sites / "redesigned.toml")
    old = extract_page(page.read_bytes(), url, profile.at("2025-03-20"))
    assert old.article.title == story.title
    assert extract_page(page.read_bytes(), url, profile.at()).article.title != story.title
    truth = {
        "title": old.article.title,
        "authors": old.article.authors,
        "published": old.article.published,
        "body_paragraphs": old.article.body.split("\n\n"),
        "related": [
            {"label": b.label, "links": [{"url": k.url} for k in b.links]} for b in old.related
        ],
        "comments": [{"id": c.id} for c in old.comments],
    }
    (sites / "redesigned" / "expected.json").write_text(
        json.dumps({"origin": site.origin, "language": "en", "fetched": "2025-03-20",
                    "seed_article": url, "articles": {url: truth}, "non_articles": []}),
        encoding="utf-8",
    )  # fmt: skip
    assert len(truth["comments"]) == 3
    result = _check(["redesigned"], sites)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Ran 1 contract" in result.stderr and "OK" in result.stderr


def test_a_profile_without_a_sample_fails_its_check_and_says_how_to_make_one(tmp_path):
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "golem.toml").write_text('base_url = "https://www.golem.de"\n', encoding="utf-8")
    result = _check(["golem"], sites)
    assert result.returncode == 1
    assert "golem has no sample: expected" in result.stderr
    assert f"{sites / 'golem'}/expected.json" in result.stderr
    assert "newscrawl add-site URL --name golem --save-sample" in result.stderr
