"""Site profiles: what newscrawl knows about one site, as a TOML file.

A profile names the site's domains, where to discover articles (start pages, feeds,
sitemaps), which URLs are articles, and CSS/XPath selectors that override the generic
extractor. Adding a site means adding a file to ``newscrawl/sites/`` (or a folder named by
the ``NEWSCRAWL_SITES_DIR`` environment variable): no Python. See docs/sites.md.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from . import config
from .urls import site_host

PACKAGE_SITES_DIR = Path(__file__).with_name("sites")
BLOCK_KINDS = ("related", "popular", "section", "dossier", "sponsored", "inline")
COMMENT_SOURCES = ("html", "wp-rest", "disqus-json", "none")
ARTICLE_FIELDS = (
    "title",
    "authors",
    "published",
    "modified",
    "body",
    "lead",
    "section",
    "tags",
    "image",
)


class ProfileError(ValueError):
    """A profile file is malformed; the message names the file and the key."""

    spider: str | None = None  # the spider name the file would have given (set when loading)


@dataclass(frozen=True)
class Selector:
    """A CSS selector, or an XPath one when written ``xpath:...``."""

    expression: str

    @property
    def is_xpath(self) -> bool:
        return self.expression.startswith("xpath:")

    @property
    def query(self) -> str:
        return self.expression[6:].strip() if self.is_xpath else self.expression


@dataclass(frozen=True)
class RelatedBlockRule:
    """How to find one named related-link block on a page."""

    container: Selector
    kind: str = "related"
    label: Selector | None = None  # element holding the label, inside the container
    label_text: str | None = None  # fixed label when the page shows none
    item: Selector | None = None  # one element per link (for teasers)
    link: Selector = Selector("a[href]")
    teaser: Selector | None = None


@dataclass(frozen=True)
class CommentRules:
    """Where a site keeps its comments and how to read them."""

    source: str = "html"
    container: Selector | None = None
    item: Selector | None = None
    id: Selector | None = None
    parent: Selector | None = None
    author: Selector | None = None
    published: Selector | None = None
    text: Selector | None = None
    score: Selector | None = None
    api_url: str | None = None  # for wp-rest / disqus-json; {post_id} and {url} are filled in
    post_id: Selector | None = None  # where the page shows the id the API wants
    pagination: Selector | None = None  # links to the thread's other comment pages


@dataclass(frozen=True)
class RevisitRules:
    """How often known articles are fetched again; None means the crawl settings decide.

    Recent articles still gather comments and edits, so they are due every run by default;
    older ones rarely change, so they are asked for on a slower schedule.
    """

    recent_days: float | None = None  # younger than this (by publication date): "recent"
    recent_every_hours: float | None = None  # recent: due again after this long (0: every run)
    older_every_days: float | None = None  # older: due again after this long


@dataclass(frozen=True)
class DiscoveryRules:
    """How far listing pages, pagination and the WordPress REST posts listing are followed."""

    next_page: Selector | None = None  # the "next page" link of a listing (default: rel=next)
    max_pages: int = 5  # pages of one listing's pagination, the first included
    listing_depth: int = 0  # listing pages reached from listing pages, this many hops deep
    listing_url_pattern: re.Pattern[str] | None = None  # which links are listing pages
    wp_posts: str | None = None  # WordPress REST endpoint: https://site/wp-json/wp/v2/posts
    wp_posts_pages: int = 3  # pages of 100 posts read from it


@dataclass(frozen=True)
class SiteProfile:
    """A parsed, validated site profile."""

    name: str
    path: Path
    base_url: str
    domains: tuple[str, ...]
    title: str | None = None
    language: str | None = None
    timezone: str | None = None
    start_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    article_url_pattern: re.Pattern[str] | None = None
    deny_url_patterns: tuple[re.Pattern[str], ...] = ()
    follow_links: bool = True
    article: dict[str, Selector] = field(default_factory=dict)
    body_exclude: tuple[Selector, ...] = ()
    related: tuple[RelatedBlockRule, ...] = ()
    related_exclude: tuple[Selector, ...] = ()
    related_generic: bool = True  # also run the generic block detector
    related_follow: bool = False  # crawl the targets of related links to discover articles
    comments: CommentRules = field(default_factory=CommentRules)
    revisit: RevisitRules = field(default_factory=RevisitRules)
    discovery: DiscoveryRules = field(default_factory=DiscoveryRules)

    def matches_host(self, url: str) -> bool:
        """True when `url` is on one of this site's domains."""
        host = site_host(url)
        return any(host == site_host("//" + d) for d in self.domains)

    def is_article_url(self, url: str) -> bool:
        """True when `url` looks like an article of this site (pattern, deny list)."""
        if not self.matches_host(url) or any(p.search(url) for p in self.deny_url_patterns):
            return False
        return bool(self.article_url_pattern.search(url)) if self.article_url_pattern else True


_TOP_KEYS = {
    "name", "title", "base_url", "domains", "language", "timezone", "start_urls", "feeds",
    "sitemaps", "article_url_pattern", "deny_url_patterns", "follow_links", "article",
    "related", "related_options", "comments", "revisit", "discovery",
}  # fmt: skip
_RELATED_KEYS = {"container", "kind", "label", "label_text", "item", "link", "teaser"}
_COMMENT_KEYS = {
    "source", "container", "item", "id", "parent", "author", "published", "text", "score",
    "api_url", "post_id", "pagination",
}  # fmt: skip


class _Reader:
    """Typed access to a TOML table that reports errors as ``file: key 'a.b': problem``."""

    def __init__(self, path: Path, data: dict[str, Any], prefix: str = ""):
        self.path, self.data, self.prefix = path, data, prefix

    def fail(self, key: str, problem: str) -> ProfileError:
        return ProfileError(f"{self.path}: key '{self.prefix}{key}': {problem}")

    def check_keys(self, allowed: set[str]) -> None:
        for key in self.data:
            if key not in allowed:
                raise self.fail(key, f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def str(self, key: str, required: bool = False, default: str | None = None) -> str | None:
        value = self.data.get(key, default)
        if value is None:
            if required:
                raise self.fail(key, "is required")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        return value.strip()

    def str_list(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, "must be a list of non-empty strings")
        return tuple(v.strip() for v in value)

    def bool(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def number(self, key: str, default: float | None, minimum: float = 0) -> float | None:
        value = self.data.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
            raise self.fail(key, f"must be a number >= {minimum:g}")
        return float(value)

    def integer(self, key: str, default: int, minimum: int = 0) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(key, f"must be a whole number >= {minimum}")
        return value

    def regex(self, key: str, value: str) -> re.Pattern[str]:
        try:
            return re.compile(value)
        except re.error as exc:
            raise self.fail(key, f"invalid regular expression: {exc}") from None

    def selector(self, key: str, required: bool = False) -> Selector | None:
        value = self.str(key, required=required)
        return None if value is None else _compile_selector(self, key, value)

    def table(self, key: str) -> _Reader:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        return _Reader(self.path, value, f"{self.prefix}{key}.")


def _compile_selector(reader: _Reader, key: str, value: str) -> Selector:
    """Check a selector compiles now, so a typo fails at start-up and not mid-crawl."""
    from lxml import etree
    from parsel.csstranslator import HTMLTranslator

    selector = Selector(value)
    try:
        if selector.is_xpath:
            etree.XPath(selector.query)
        else:
            HTMLTranslator().css_to_xpath(selector.query)
    except Exception as exc:  # cssselect and lxml raise several unrelated types
        raise reader.fail(key, f"invalid selector {value!r}: {exc}") from None
    return selector


def _one_of(reader: _Reader, key: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise reader.fail(key, f"must be one of {', '.join(allowed)} (got {value!r})")
    return value


def parse_profile(path: Path, data: dict[str, Any]) -> SiteProfile:
    """Validate the TOML `data` read from `path` into a SiteProfile."""
    top = _Reader(path, data)
    top.check_keys(_TOP_KEYS)
    name = top.str("name", default=path.stem)
    if not re.fullmatch(r"[a-z][a-z0-9_-]*", name or ""):
        raise top.fail("name", "must be lower-case letters, digits, '-' or '_'")
    base_url = top.str("base_url", required=True)
    if not re.match(r"^https?://[^/]+", base_url or ""):
        raise top.fail("base_url", "must be an absolute http(s) URL")
    base_url = base_url.rstrip("/")
    domains = top.str_list("domains") or (site_host(base_url),)
    pattern = top.str("article_url_pattern")

    article = top.table("article")
    article.check_keys(set(ARTICLE_FIELDS) | {"body_exclude"})
    selectors = {f: s for f in ARTICLE_FIELDS if (s := article.selector(f)) is not None}
    body_exclude = tuple(
        _compile_selector(article, "body_exclude", s) for s in article.str_list("body_exclude")
    )

    related_rules = []
    raw_related = data.get("related", [])
    if not isinstance(raw_related, list):
        raise top.fail("related", "must be an array of tables ([[related]])")
    for index, block in enumerate(raw_related):
        if not isinstance(block, dict):
            raise top.fail(f"related[{index}]", "must be a table")
        reader = _Reader(path, block, f"related[{index}].")
        reader.check_keys(_RELATED_KEYS)
        related_rules.append(
            RelatedBlockRule(
                container=reader.selector("container", required=True),
                kind=_one_of(reader, "kind", reader.str("kind", default="related"), BLOCK_KINDS),
                label=reader.selector("label"),
                label_text=reader.str("label_text"),
                item=reader.selector("item"),
                link=reader.selector("link") or Selector("a[href]"),
                teaser=reader.selector("teaser"),
            )
        )
    options = top.table("related_options")
    options.check_keys({"exclude", "generic", "follow"})

    comments = top.table("comments")
    comments.check_keys(_COMMENT_KEYS)
    source = _one_of(comments, "source", comments.str("source", default="html"), COMMENT_SOURCES)
    if source in ("wp-rest", "disqus-json") and not comments.str("api_url"):
        raise comments.fail("api_url", f"is required when source is {source!r}")
    comment_rules = CommentRules(
        source=source,
        api_url=comments.str("api_url"),
        **{k: comments.selector(k) for k in _COMMENT_KEYS - {"source", "api_url"}},
    )
    revisit = top.table("revisit")
    revisit.check_keys({"recent_days", "recent_every_hours", "older_every_days"})
    discovery = top.table("discovery")
    discovery.check_keys(
        {"next_page", "max_pages", "listing_depth", "listing_url_pattern", "wp_posts",
         "wp_posts_pages"}
    )  # fmt: skip
    wp_posts = discovery.str("wp_posts")
    if wp_posts and not re.match(r"^https?://[^/]+", wp_posts):
        raise discovery.fail("wp_posts", "must be an absolute http(s) URL")
    listing_pattern = discovery.str("listing_url_pattern")
    return SiteProfile(
        name=name,
        path=path,
        base_url=base_url,
        domains=domains,
        title=top.str("title"),
        language=top.str("language"),
        timezone=_timezone(top),
        start_urls=top.str_list("start_urls") or (base_url + "/",),
        feeds=top.str_list("feeds"),
        sitemaps=top.str_list("sitemaps"),
        article_url_pattern=top.regex("article_url_pattern", pattern) if pattern else None,
        deny_url_patterns=tuple(
            top.regex("deny_url_patterns", p) for p in top.str_list("deny_url_patterns")
        ),
        follow_links=top.bool("follow_links", True),
        article=selectors,
        body_exclude=body_exclude,
        related=tuple(related_rules),
        related_exclude=tuple(
            _compile_selector(options, "exclude", s) for s in options.str_list("exclude")
        ),
        related_generic=options.bool("generic", True),
        related_follow=options.bool("follow", False),
        comments=comment_rules,
        revisit=RevisitRules(
            recent_days=revisit.number("recent_days", None),
            recent_every_hours=revisit.number("recent_every_hours", None),
            older_every_days=revisit.number("older_every_days", None),
        ),
        discovery=DiscoveryRules(
            next_page=discovery.selector("next_page"),
            max_pages=discovery.integer("max_pages", 5, minimum=1),
            listing_depth=discovery.integer("listing_depth", 0),
            listing_url_pattern=(
                discovery.regex("listing_url_pattern", listing_pattern) if listing_pattern else None
            ),
            wp_posts=wp_posts,
            wp_posts_pages=discovery.integer("wp_posts_pages", 3, minimum=1),
        ),
    )


def _timezone(top: _Reader) -> str | None:
    name = top.str("timezone")
    if name:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(name)
        except (KeyError, ValueError):
            raise top.fail("timezone", f"unknown time zone {name!r}") from None
    return name


def load_profile(path: Path) -> SiteProfile:
    """Read and validate one profile file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from None
    return parse_profile(path, data)


def profile_dirs() -> list[Path]:
    """The package's own sites folder, then any named by ``NEWSCRAWL_SITES_DIR`` (os.pathsep)."""
    extra = [Path(p) for p in config.get(None, "NEWSCRAWL_SITES_DIR").split(os.pathsep) if p]
    return [PACKAGE_SITES_DIR, *extra]


@lru_cache(maxsize=8)
def _load_all(dirs: tuple[Path, ...]) -> tuple[dict[str, SiteProfile], tuple[ProfileError, ...]]:
    """Good profiles by name, and one error per file that is not (a bad file stops only its
    own spider) or per folder that does not exist."""
    profiles: dict[str, SiteProfile] = {}
    errors: list[ProfileError] = []
    for folder in dirs:
        if folder != PACKAGE_SITES_DIR and not folder.is_dir():
            errors.append(
                ProfileError(
                    f"NEWSCRAWL_SITES_DIR names {folder}, which is not a folder:"
                    " no profiles read from it"
                )
            )
            continue
        for path in _toml_files(folder):
            try:
                profile = load_profile(path)
                if profile.name in profiles:
                    raise ProfileError(
                        f"{path}: key 'name': {profile.name!r} is already defined in {profiles[profile.name].path}"
                    )
            except ProfileError as error:
                error.spider = _declared_name(path)
                errors.append(error)
                continue
            profiles[profile.name] = profile
    return profiles, tuple(errors)


def _declared_name(path: Path) -> str:
    """The spider name a (possibly malformed) profile file asks for: its ``name``, else its stem."""
    try:
        name = tomllib.loads(path.read_text(encoding="utf-8")).get("name")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        name = None
    return name if isinstance(name, str) and name.strip() else path.stem


def _toml_files(folder: Path) -> list[Any]:
    """A folder's ``*.toml`` files, sorted. The package's own folder is read through
    importlib.resources, so profiles load from a zipped egg too (scrapyd runs projects so)."""
    if folder == PACKAGE_SITES_DIR and not folder.is_dir():
        from importlib.resources import files

        files_in = list((files(__package__) / "sites").iterdir())
    else:
        files_in = list(folder.iterdir()) if folder.is_dir() else []
    return sorted((p for p in files_in if p.name.endswith(".toml")), key=lambda p: p.name)


def load_profiles() -> dict[str, SiteProfile]:
    """Every well-formed profile by name (see `profile_errors` for the others)."""
    return dict(_load_all(tuple(profile_dirs()))[0])


def profile_errors() -> list[ProfileError]:
    """What is wrong with each profile file that did not load (``.spider``: the spider name it
    would have had), and with each NEWSCRAWL_SITES_DIR folder that does not exist."""
    return list(_load_all(tuple(profile_dirs()))[1])


def profile_for_url(url: str) -> SiteProfile | None:
    """The profile whose domains include the host of `url`, if any."""
    return next((p for p in load_profiles().values() if p.matches_host(url)), None)
