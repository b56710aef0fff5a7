"""Extraction of every bundled sample page against the ground truth written with it.

Each site is checked with its profile (where it has one) and with the generic extractor
alone, so the generic path is held to the same expected output.
"""

from __future__ import annotations

import json

import pytest

from newscrawl.extract import extract_page
from newscrawl.profiles import load_profiles
from newscrawl.samples import site_dir
from newscrawl.samples.server import SampleSite
from newscrawl.urls import url_key

from .conftest import expected

SITES = ["larevuedudigital", "techpulse"]
MODES = [("larevuedudigital", "profile"), ("larevuedudigital", "generic"), ("techpulse", "generic")]
EXPECTED_KEYS = {
    "article": {
        "url",
        "canonical_url",
        "title",
        "authors",
        "published",
        "modified",
        "body",
        "lead",
        "section",
        "tags",
        "language",
        "image",
    },  # fmt: skip
    "link": {"url", "text", "teaser", "position"},
    "comment": {"id", "parent_id", "author", "published", "text", "score"},
}


def page_html(site: str, url: str) -> bytes:
    path = url.split("://", 1)[1].split("/", 1)[1]
    file = SampleSite(site_dir(site)).resolve("/" + path)
    assert file is not None, url
    return file.read_bytes()


def extracted(site: str, url: str, mode: str):
    profile = load_profiles()[site] if mode == "profile" else False
    return extract_page(page_html(site, url), url, profile)


def cases():
    for site, mode in MODES:
        for url in expected(site)["articles"]:
            yield pytest.param(
                site, mode, url, id=f"{site}-{mode}-{url.rstrip('/').rsplit('/', 1)[-1][:30]}"
            )


@pytest.mark.parametrize(("site", "mode", "url"), list(cases()))
def test_article_fields(site, mode, url):
    truth = expected(site)["articles"][url]
    result = extracted(site, url, mode)
    article = result.article
    assert result.is_article
    assert article.canonical_url == url
    assert article.title == truth["title"]
    assert article.authors == truth["authors"]
    assert article.published == truth["published"]
    assert article.language == expected(site)["language"]
    assert article.body.split("\n\n") == truth["body_paragraphs"]
    for text in truth["not_in_body"]:
        assert text not in article.body
    for comment in truth["comments"]:
        assert comment["text"] not in article.body


@pytest.mark.parametrize(("site", "mode", "url"), list(cases()))
def test_related_blocks(site, mode, url):
    truth = expected(site)["articles"][url]["related"]
    got = extracted(site, url, mode).related
    assert [(b.label, b.kind) for b in got] == [(b["label"], b["kind"]) for b in truth]
    for block, want in zip(got, truth, strict=True):
        # Targets are kept as the page writes them; their dedup keys match the canonical URLs.
        assert [url_key(link.url) for link in block.links] == [
            url_key(link["url"]) for link in want["links"]
        ]
        assert [link.text for link in block.links] == [link["text"] for link in want["links"]]
        assert [link.teaser for link in block.links] == [link["teaser"] for link in want["links"]]
        assert [link.position for link in block.links] == list(range(1, len(want["links"]) + 1))


@pytest.mark.parametrize(("site", "mode", "url"), list(cases()))
def test_comments(site, mode, url):
    truth = expected(site)["articles"][url]["comments"]
    got = extracted(site, url, mode).comments
    assert [(c.id, c.parent_id, c.author, c.published, c.text) for c in got] == [
        (c["id"], c["parent_id"], c["author"], c["published"], c["text"]) for c in truth
    ]


@pytest.mark.parametrize("site", SITES)
def test_non_article_pages_are_recognised(site):
    truth = expected(site)
    assert truth["non_articles"]
    for url in truth["non_articles"]:
        assert not extract_page(page_html(site, url), url, False).is_article, url


def test_to_dict_shape_is_stable():
    site = "larevuedudigital"
    url = (
        expected(site)["seed_article"]
        if "seed_article" in expected(site)
        else next(iter(expected(site)["articles"]))
    )
    data = extracted(site, url, "profile").to_dict()
    assert set(data) == {"page_type", "is_article", "article", "related", "comments"}
    assert data["page_type"] == "article" and data["is_article"] is True
    assert set(data["article"]) == EXPECTED_KEYS["article"]
    assert all(set(b) == {"label", "kind", "links"} for b in data["related"])
    assert all(set(link) == EXPECTED_KEYS["link"] for b in data["related"] for link in b["links"])
    assert all(set(c) == EXPECTED_KEYS["comment"] for c in data["comments"])
    json.dumps(data)  # serialisable as it is
