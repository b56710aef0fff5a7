"""Bundled sample sites (static copies in the shape of real news sites) and their server, and
the saved samples that hold a site profile to its expected output.

The demo and the test suite crawl the sample sites on 127.0.0.1; see `newscrawl.samples.server`.

A profile's sample is a folder named like the profile beside its TOML file (``DIR/NAME.toml``
→ ``DIR/NAME/``), in the package or a user's sites folder; the package's own profiles may keep
theirs among the bundled sample sites (``newscrawl/samples/sites/NAME/``). It holds pages in the
URL layout (``/a/b/`` → ``a/b/index.html``) and an ``expected.json`` naming the
``seed_article`` and what extraction must give for each article. `scrapy check NAME` and
tests/test_extract_samples.py find them here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .server import resolve_path

if TYPE_CHECKING:
    from ..profiles import SiteProfile

SITES_DIR = Path(__file__).with_name("sites")


def site_dir(name: str) -> Path:
    """Folder of the bundled sample site `name`."""
    path = SITES_DIR / name
    if not path.is_dir():
        raise FileNotFoundError(f"no bundled sample site {name!r} in {SITES_DIR}")
    return path


@dataclass(frozen=True)
class Sample:
    """Saved pages of one site and the output expected from them (``expected.json``)."""

    root: Path

    @cached_property
    def expected(self) -> dict[str, Any]:
        return json.loads((self.root / "expected.json").read_text(encoding="utf-8"))

    @property
    def name(self) -> str:
        return self.root.name

    @property
    def articles(self) -> dict[str, dict[str, Any]]:
        """Expected output by canonical URL, for samples in the article format."""
        articles = self.expected.get("articles")
        if not isinstance(articles, dict):
            return {}
        return {u: a for u, a in articles.items() if isinstance(a, dict) and "title" in a}

    @property
    def seed_url(self) -> str | None:
        return self.expected.get("seed_article")

    @property
    def fetched(self) -> date | None:
        """The day the pages were saved: the profile design they are read with."""
        value = self.expected.get("fetched")
        return date.fromisoformat(value[:10]) if value else None

    @property
    def content_type(self) -> str:
        """The Content-Type the seed page was served with (its charset, when the page names
        none), as saved; plain ``text/html`` for hand-written samples."""
        return self.expected.get("content_type") or "text/html"

    def page_file(self, url: str) -> Path | None:
        """The saved file of page `url` (by its path, as the sample server serves it)."""
        return resolve_path(self.root, urlsplit(url).path or "/")

    def page(self, url: str) -> bytes:
        file = self.page_file(url)
        if file is None:
            raise FileNotFoundError(f"{self.root}: no saved page for {url}")
        return file.read_bytes()


def _is_sample(folder: Path) -> bool:
    return (folder / "expected.json").is_file()


def sample_for(profile: SiteProfile) -> Sample | None:
    """The saved sample of a profile, if it has one with a seed article."""
    from ..profiles import PACKAGE_SITES_DIR

    candidates = [profile.path.parent / profile.name]
    if profile.path.parent == PACKAGE_SITES_DIR:
        candidates.append(SITES_DIR / profile.name)
    for folder in candidates:
        if _is_sample(folder):
            sample = Sample(folder)
            if sample.seed_url and sample.articles:
                return sample
    return None


def sampled_profiles() -> list[tuple[SiteProfile, Sample]]:
    """Every loaded profile that has a sample, by name."""
    from ..profiles import load_profiles

    found = [(p, sample_for(p)) for _, p in sorted(load_profiles().items())]
    return [(p, s) for p, s in found if s is not None]


def sample_sites() -> list[Sample]:
    """The bundled sample sites whose ``expected.json`` gives articles (generic extraction is
    held to them too)."""
    folders = sorted(p for p in SITES_DIR.iterdir() if p.is_dir() and _is_sample(p))
    return [s for s in map(Sample, folders) if s.articles]
