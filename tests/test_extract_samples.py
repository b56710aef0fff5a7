"""Extraction of every saved sample page against the ground truth written with it.

The cases are found, not listed: every profile with a sample (`newscrawl.samples.sample_for`:
in the package or any sites folder) is checked with its profile, and every bundled sample site
with article ground truth also with the generic extractor alone, so the generic path is held
to the same expected output.
"""

from __future__ import annotations

import json

import pytest

from newscrawl.extract import extract_page
from newscrawl.samples import Sample, sample_sites, sampled_profiles
from newscrawl.urls import url_key

PROFILED = {sample.root: (sample, profile) for profile, sample in sampled_profiles()}
GENERIC = sample_sites()
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


def modes():
    """(sample, profile or False) pairs: each sampled profile, and each sample site generically."""
    for sample, profile in PROFILED.values():
        yield sample, profile.at(sample.fetched), "profile"
    for sample in GENERIC:
        yield sample, False, "generic"


def extracted(sample: Sample, profile, url: str):
    return extract_page(sample.page(url), url, profile, content_type=sample.content_type)


def cases():
    for sample, profile, mode in modes():
        for url in sample.articles:
            slug = url.rstrip("/").rsplit("/", 1)[-1][:30]
            yield pytest.param(sample, profile, url, id=f"{sample.name}-{mode}-{slug}")


def test_samples_beside_a_profile_in_any_sites_folder_are_found(tmp_path, monkeypatch):
    from newscrawl.samples import sample_for

    (tmp_path / "golem.toml").write_text('base_url = "https://www.golem.de"\n', encoding="utf-8")
    (tmp_path / "heise.toml").write_text('base_url = "https://www.heise.de"\n', encoding="utf-8")
    folder = tmp_path / "golem"
    (folder / "news").mkdir(parents=True)
    url = "https://www.golem.de/news/a-story-2503-1.html"
    (folder / "news" / "a-story-2503-1.html").write_text(
        "<html><h1>A story</h1></html>", encoding="utf-8"
    )
    (folder / "expected.json").write_text(
        json.dumps(
            {"seed_article": url, "fetched": "2025-03-01", "articles": {url: {"title": "A story"}}}
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWSCRAWL_SITES_DIR", str(tmp_path))
    found = {profile.name: sample for profile, sample in sampled_profiles()}
    assert set(found) == {"golem", "larevuedudigital"}  # heise has none
    assert found["golem"].root == folder and found["golem"].page(url).startswith(b"<html>")
    assert found["golem"].fetched.isoformat() == "2025-03-01"
    assert sample_for(next(p for p, _ in sampled_profiles() if p.name == "golem")) == found["golem"]


def test_samples_are_found():
    names = {(sample.name, mode) for sample, _, mode in modes()}
    assert {("larevuedudigital", "profile"), ("larevuedudigital", "generic"),
            ("techpulse", "generic")} <= names  # fmt: skip


@pytest.mark.parametrize(("sample", "profile", "url"), list(cases()))
def test_article_fields(sample, profile, url):
    truth = sample.articles[url]
    result = extracted(sample, profile, url)
    article = result.article
    assert result.is_article
    assert article.canonical_url == url
    assert article.title == truth["title"]
    assert article.authors == truth["authors"]
    assert article.published == truth["published"]
    assert article.language == sample.expected["language"]
    assert article.body.split("\n\n") == truth["body_paragraphs"]
    for text in truth["not_in_body"]:
        assert text not in article.body
    for comment in truth["comments"]:
        assert comment["text"] not in article.body


@pytest.mark.parametrize(("sample", "profile", "url"), list(cases()))
def test_related_blocks(sample, profile, url):
    truth = sample.articles[url]["related"]
    got = extracted(sample, profile, url).related
    assert [(b.label, b.kind) for b in got] == [(b["label"], b["kind"]) for b in truth]
    for block, want in zip(got, truth, strict=True):
        # Targets are kept as the page writes them; their dedup keys match the canonical URLs.
        assert [url_key(link.url) for link in block.links] == [
            url_key(link["url"]) for link in want["links"]
        ]
        assert [link.text for link in block.links] == [link["text"] for link in want["links"]]
        assert [link.teaser for link in block.links] == [link["teaser"] for link in want["links"]]
        assert [link.position for link in block.links] == list(range(1, len(want["links"]) + 1))


@pytest.mark.parametrize(("sample", "profile", "url"), list(cases()))
def test_comments(sample, profile, url):
    truth = sample.articles[url]["comments"]
    got = extracted(sample, profile, url).comments
    assert [(c.id, c.parent_id, c.author, c.published, c.text) for c in got] == [
        (c["id"], c["parent_id"], c["author"], c["published"], c["text"]) for c in truth
    ]


@pytest.mark.parametrize(
    "sample", [*GENERIC, *(s for s, _ in PROFILED.values() if s not in GENERIC)],
    ids=lambda s: s.name,
)  # fmt: skip
def test_non_article_pages_are_recognised(sample):
    if sample in GENERIC:  # hand-written ground truth lists them; a saved sample may have none
        assert sample.expected["non_articles"]
    for url in sample.expected["non_articles"]:
        assert not extract_page(sample.page(url), url, False).is_article, url


def test_to_dict_shape_is_stable():
    sample, profile = next((s, p) for s, p in PROFILED.values() if s.name == "larevuedudigital")
    data = extracted(sample, profile, sample.seed_url).to_dict()
    assert set(data) == {"page_type", "is_article", "article", "related", "comments"}
    assert data["page_type"] == "article" and data["is_article"] is True
    assert set(data["article"]) == EXPECTED_KEYS["article"]
    assert all(set(b) == {"label", "kind", "links"} for b in data["related"])
    assert all(set(link) == EXPECTED_KEYS["link"] for b in data["related"] for link in b["links"])
    assert all(set(c) == EXPECTED_KEYS["comment"] for c in data["comments"])
    json.dumps(data)  # serialisable as it is
