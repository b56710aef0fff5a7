"""`newscrawl add-site URL`: a profile for any news site in one command.

It crawls a few dozen pages of the site with the project's politeness and user agent
(`newscrawl.onboard.spider`), finds its feeds, sitemaps (indexes and Google News ones), CMS and
comment source (`detect`), infers which URLs are articles from pages the extractor reads
(`patterns`), writes ``NAME.toml`` into the user's sites folder with the evidence for each
value as a comment (`profile`), optionally saves one article and its expected output beside it
(`sample`), and prints what a first crawl would fetch (`report`).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..profiles import ProfileError, load_profile, load_profiles, user_sites_dir
from .profile import Proposal, propose
from .report import summary
from .sample import SavedSample, save_sample
from .spider import Findings, OnboardSpider

logger = logging.getLogger(__name__)


@dataclass
class Onboarding:
    findings: Findings
    proposal: Proposal
    path: Path
    written: bool
    sample: SavedSample | None


class OnboardError(RuntimeError):
    """add-site cannot go on; the message says why and what to do."""


def normalise_start_url(url: str) -> str:
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    if not url.startswith(("http://", "https://")):
        raise OnboardError(f"not a web address: {url!r} (give e.g. https://www.example.com/)")
    from ..urls import canonicalize_url

    return canonicalize_url(url)


def crawl_settings(overrides: dict[str, str], verbose: bool = False):
    """The project's settings (politeness, user agent, mirrors), for a crawl that stores nothing."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict(
        {
            "ITEM_PIPELINES": {},  # no database: onboarding stores nothing
            "SPIDER_MIDDLEWARES": {"newscrawl.incremental.IncrementalMiddleware": None},
            "SPIDER_LOADER_CLASS": "scrapy.spiderloader.DummySpiderLoader",
            # Failures are collected and printed in the summary; -v shows the crawl's log.
            "LOG_LEVEL": "INFO" if verbose else "CRITICAL",
            "LOG_FORMAT": "%(levelname)s: %(message)s",
            "ROBOTSTXT_OBEY": True,
        },
        priority="project",
    )
    settings.setdict(overrides, priority="cmdline")
    return settings


def onboard(
    url: str,
    name: str | None = None,
    *,
    sites_dir: Path | None = None,
    save: bool = False,
    dry_run: bool = False,
    force: bool = False,
    sample_pages: int = 16,
    overrides: dict[str, str] | None = None,
    verbose: bool = False,
) -> Onboarding:
    """Crawl, propose, write (unless `dry_run`) and save a sample (if `save`)."""
    from scrapy.crawler import CrawlerProcess

    start = normalise_start_url(url)
    if sample_pages < 1:
        raise OnboardError(f"--sample-pages {sample_pages}: at least 1 page is needed")
    folder = Path(sites_dir) if sites_dir else user_sites_dir()
    if name is not None:
        from ..profiles import _profile_name

        if problem := _profile_name(name):
            raise OnboardError(f"--name {name!r}: {problem}")
    findings = Findings(start)
    process = CrawlerProcess(crawl_settings(overrides or {}, verbose))

    def progress(text: str) -> None:
        print(f"add-site: {text}", file=sys.stderr, flush=True)

    if not verbose:
        progress(f"reading {start} (robots.txt, home page; then feeds, sitemaps and up to"
                 f" {sample_pages} pages, at the crawl's polite pace)")  # fmt: skip
    process.crawl(OnboardSpider, findings=findings, sample_pages=sample_pages,
                  progress=None if verbose else progress)  # fmt: skip
    process.start()
    home = findings.home
    if home is None or home.status != 200:
        if home is not None:
            why = f"HTTP {home.status}"
        else:  # the request failed: its own error says why (robots.txt, DNS, timeout)
            prefix = start + ": "
            why = next(
                (e[len(prefix) :] for e in findings.errors if e.startswith(prefix)), "no answer"
            )
        raise OnboardError(f"could not read the home page {start}: {why}")
    proposal = propose(findings, name)
    path = folder / f"{proposal.name}.toml"
    written, sample = False, None
    if not dry_run:
        _check_free(proposal.name, path, force)
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(proposal.toml(_command(url, name, save)), encoding="utf-8")
        written = True
        try:
            profile = load_profile(path)
        except ProfileError as exc:  # a bug here, never the user's fault: say so plainly
            raise OnboardError(f"the written profile does not load: {exc}") from exc
        if save:
            sample = save_sample(folder / proposal.name, profile, findings)
    return Onboarding(findings, proposal, path, written, sample)


def _check_free(name: str, path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise OnboardError(f"{path} exists: choose another --name, or --force to replace it")
    try:
        existing = load_profiles().get(name)
    except ProfileError:
        existing = None  # another folder's broken file: not add-site's business
    if existing is not None and existing.path.resolve() != path.resolve():
        raise OnboardError(
            f"a profile named {name!r} already exists in {existing.path}: use --name"
        )


def _command(url: str, name: str | None, save: bool) -> str:
    parts = ["newscrawl add-site", url]
    if name:
        parts += ["--name", name]
    if save:
        parts.append("--save-sample")
    return " ".join(parts)


def main(args, out: TextIO = sys.stdout) -> int:
    """The `newscrawl add-site` command (arguments parsed by newscrawl.cli)."""
    overrides = {}
    for item in args.set or []:
        key, sep, value = item.partition("=")
        if not sep:
            print(f"newscrawl add-site: -s wants NAME=VALUE, got {item!r}", file=sys.stderr)
            return 2
        overrides[key] = value
    try:
        result = onboard(
            args.url, args.name, sites_dir=args.sites_dir, save=args.save_sample, dry_run=args.dry_run,
            force=args.force, sample_pages=args.sample_pages, overrides=overrides, verbose=args.verbose,
        )  # fmt: skip
    except OnboardError as exc:
        print(f"newscrawl add-site: {exc}", file=sys.stderr)
        return 1
    print(summary(result.findings, result.proposal, result.path, result.written, result.sample,
                  args.save_sample), file=out)  # fmt: skip
    return 0
