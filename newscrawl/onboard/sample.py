"""``--save-sample``: one article page of the site and its expected output, beside the profile.

The folder (``DIR/NAME/`` beside ``DIR/NAME.toml``) has the layout `newscrawl.samples.Sample`
reads: pages in the URL layout and an ``expected.json`` naming the ``seed_article``, the day it
was ``fetched`` (the profile design it is read with) and what extraction gave for it with the
new profile. `scrapy check NAME` and the sample tests then hold the profile to that output;
the file is a snapshot to review, not a truth to trust blindly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .. import __version__
from ..extract import extract_page
from ..profiles import SiteProfile
from .spider import Findings, Page


@dataclass
class SavedSample:
    folder: Path
    seed: str
    comments: int
    related: int
    files: list[Path]


def page_path(folder: Path, url: str) -> Path:
    """Where a page of `url` is saved: ``/a/b/`` → ``a/b/index.html``, ``/a/b`` → ``a/b``."""
    path = urlsplit(url).path or "/"
    clean = path.strip("/")
    if not clean:
        return folder / "index.html"
    if path.endswith("/"):
        return folder / clean / "index.html"
    return folder / clean


def _score(page: Page) -> tuple[int, int, int]:
    return (page.comments > 0, page.embed is None, page.words)


def save_sample(folder: Path, profile: SiteProfile, findings: Findings) -> SavedSample | None:
    """Save the best sampled article (comments, then length) and the home page, with the output
    the profile gives for the article; None when no sampled article reads as one with it."""
    candidates = [
        p for p in findings.pages
        if p.is_article and p.body and p.canonical and urlsplit(p.canonical).path == urlsplit(p.url).path
    ]  # fmt: skip
    design = profile.at(findings.day)
    for page in sorted(candidates, key=_score, reverse=True):
        result = extract_page(page.body, page.url, design, content_type=page.content_type)
        if not result.is_article or not result.article.title or not result.article.body:
            continue
        return _write(folder, profile, findings, page, result)
    return None


def _write(
    folder: Path, profile: SiteProfile, findings: Findings, page: Page, result
) -> SavedSample:
    article = result.article
    url = article.canonical_url
    files = [page_path(folder, url)]
    home = findings.home
    non_articles = []
    if home and home.body and not home.is_article and urlsplit(url).path.strip("/"):
        files.append(page_path(folder, home.url))
        non_articles.append(home.url)
    for file, body in zip(files, (page.body, home.body if home else b""), strict=False):
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(body)
    truth = {
        "title": article.title,
        "authors": article.authors,
        "published": article.published,
        "modified": article.modified,
        "lead": article.lead,
        "section": article.section,
        "tags": article.tags,
        "image": article.image,
        "body_paragraphs": (article.body or "").split("\n\n"),
        "not_in_body": [],
        "related": [
            {
                "label": block.label,
                "kind": block.kind,
                "links": [{"url": k.url, "text": k.text, "teaser": k.teaser} for k in block.links],
            }
            for block in result.related
        ],
        "comments": [
            {
                "id": c.id,
                "parent_id": c.parent_id,
                "author": c.author,
                "published": c.published,
                "text": c.text,
            }  # fmt: skip
            for c in result.comments
        ],
    }
    expected = {
        "site": profile.name,
        "origin": profile.base_url,
        "language": article.language,
        "fetched": findings.day.isoformat(),
        "saved_by": f"newscrawl add-site {__version__}: review the expected output below",
        "content_type": page.content_type,
        "seed_article": url,
        "articles": {url: truth},
        "non_articles": non_articles,
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "expected.json"
    path.write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return SavedSample(folder, url, len(result.comments), len(result.related), [*files, path])
