"""Site profiles: what newscrawl knows about one site, as a TOML file.

A profile names the site's domains, where to discover articles (start pages, feeds,
sitemaps), which URLs are articles, and CSS/XPath selectors that override the generic
extractor. Adding a site means adding a file to a sites folder (the package's
``newscrawl/sites/``, the folders named by ``NEWSCRAWL_SITES_DIR``, or the user's own folder,
where ``newscrawl add-site`` writes): no Python. See docs/sites.md.

The dataclasses below are the one definition of the format: every TOML key is a dataclass
field made with `key()` (its type, default, limits and documentation), the parser reads
them generically, and the tests hold docs/sites.md to the same list (`profile_keys`).

A site's selectors may come in dated blocks (``[[article]]`` with ``valid_until = 2024-05-31``
and so on), as fundus keeps parser versions: a redesign is a new block, not an edit, and a
page fetched on a given day is read with the block valid that day (`SiteProfile.at`).
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
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
BLOCK_KINDS = ("related", "popular", "section", "dossier", "sponsored", "inline", "adjacent")
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
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
_ABSOLUTE = re.compile(r"^https?://[^/]+")


class ProfileError(ValueError):
    """A profile file is malformed; the message names the file and the key."""

    spider: str | None = None  # the spider name the file would have given (set when loading)


def key(doc: str, default: Any = None, **spec: Any) -> Any:
    """A dataclass field that is a TOML key: `doc` is its one-line meaning (docs/sites.md says
    the same). `spec`: ``required``, ``choices``, ``minimum``, ``check`` (a function returning
    a problem or None), ``toml`` (the key when it differs from the field name)."""
    metadata = {"doc": doc, **spec}
    if spec.get("required"):
        return field(metadata=metadata)
    return field(default=default, metadata=metadata)  # defaults are immutable (tuples, frozen)


def internal(default: Any = dataclasses.MISSING, **kwargs: Any) -> Any:
    """A dataclass field that is not a TOML key (filled in by the parser)."""
    if default is not dataclasses.MISSING:
        kwargs["default"] = default
    return field(metadata={"key": False}, **kwargs)


def _absolute_url(value: str) -> str | None:
    return None if _ABSOLUTE.match(value) else "must be an absolute http(s) URL"


def _profile_name(value: str) -> str | None:
    return None if _NAME.fullmatch(value) else "must be lower-case letters, digits, '-' or '_'"


def _time_zone(value: str) -> str | None:
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(value)
    except (KeyError, ValueError):
        return f"unknown time zone {value!r}"
    return None


VALID_UNTIL_DOC = (
    "last day (YYYY-MM-DD) of the design this block reads; leave it out on the current one"
)


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
class ArticleRules(Mapping[str, Selector]):
    """``[article]``: selectors of article fields, read before the generic extractor.

    A mapping of field name to selector (only the fields the profile sets), which is how the
    extractor asks: ``"body" in profile.article``, ``profile.article["body"]``.
    """

    title: Selector | None = key("the article's headline")
    authors: Selector | None = key("every byline (names joined in one element are split)")
    published: Selector | None = key("the publication date")
    modified: Selector | None = key("the last-modified date")
    body: Selector | None = key("the element(s) holding the article text; paragraphs are kept")
    lead: Selector | None = key("the standfirst / summary")
    section: Selector | None = key("the section or category")
    tags: Selector | None = key("every tag of the article")
    image: Selector | None = key("the main image URL")
    body_exclude: tuple[Selector, ...] = key(
        "selectors removed from inside `body` (share bars, 'read also' boxes, figures)", ()
    )
    valid_until: date | None = key(VALID_UNTIL_DOC, None)

    def __getitem__(self, name: str) -> Selector:
        value = getattr(self, name, None) if name in ARTICLE_FIELDS else None
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return (name for name in ARTICLE_FIELDS if getattr(self, name) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True)
class RelatedBlockRule:
    """``[[related]]``: how to find one named related-link block on a page."""

    container: Selector = key("the element holding the block", required=True)
    kind: str = key("what the block is", "related", choices=BLOCK_KINDS)
    label: Selector | None = key(
        "the block's label inside the container (default: its first heading or aria-label)"
    )
    label_text: str | None = key("a fixed label, when the page shows none")
    item: Selector | None = key("one element per link (gives teasers their scope)")
    link: Selector = key("the link inside an item or the container", Selector("a[href]"))
    teaser: Selector | None = key("the teaser text inside an item")
    valid_until: date | None = key(VALID_UNTIL_DOC, None)


@dataclass(frozen=True)
class RelatedOptions:
    """``[related_options]``: what else counts as a related block."""

    exclude: tuple[Selector, ...] = key("selectors whose links are never a block", ())
    generic: bool = key("also run the generic block detector (false: only the named blocks)", True)
    follow: bool = key("also crawl the targets of related links to discover articles", False)
    valid_until: date | None = key(VALID_UNTIL_DOC, None)


def _api_url_needed(rules: CommentRules) -> tuple[str, str] | None:
    if rules.source in ("wp-rest", "disqus-json") and not rules.api_url:
        return "api_url", f"is required when source is {rules.source!r}"
    return None


@dataclass(frozen=True)
class CommentRules:
    """``[comments]``: where a site keeps its comments and how to read them."""

    source: str = key("where comments come from", "html", choices=COMMENT_SOURCES)
    container: Selector | None = key("the comment list")
    item: Selector | None = key("one element per comment (nesting gives threading)")
    id: Selector | None = key("the comment's id, inside an item")
    parent: Selector | None = key("the parent comment's id, inside an item")
    author: Selector | None = key("the commenter's name, inside an item")
    published: Selector | None = key("the comment's date, inside an item")
    text: Selector | None = key("the comment's text, inside an item")
    score: Selector | None = key("the comment's votes or likes, inside an item")
    api_url: str | None = key("for API sources: URL template with `{post_id}` / `{url}`")
    post_id: Selector | None = key(
        "the id the API wants, on the page (default: WordPress's own markers)"
    )
    pagination: Selector | None = key(
        "links to the thread's other comment pages (default: `comment-page-N`, `?cpage=`,"
        " `?page=` links in a comment navigation or saying 'older comments')"
    )
    valid_until: date | None = key(VALID_UNTIL_DOC, None)

    checks = (_api_url_needed,)


@dataclass(frozen=True)
class RevisitRules:
    """``[revisit]``: how often known articles are fetched again; None: the settings decide.

    Recent articles still gather comments and edits, so they are due every run by default;
    older ones rarely change, so they are asked for on a slower schedule.
    """

    recent_days: float | None = key(
        "an article younger than this (by publication date) is 'recent' (default 7)",
        None,
        minimum=0,
    )
    recent_every_hours: float | None = key(
        "a recent article is due again after this long (0: every run)", None, minimum=0
    )
    older_every_days: float | None = key(
        "an older article is due again after this long (default 30)", None, minimum=0
    )


@dataclass(frozen=True)
class DiscoveryRules:
    """``[discovery]``: how far listing pages, pagination and the WordPress REST posts
    listing are followed."""

    next_page: Selector | None = key("the 'next page' link of a listing (default: rel=next)")
    max_pages: int = key("pages of one listing's pagination, the first included", 5, minimum=1)
    listing_depth: int = key("listing pages reached from listing pages, this many hops deep", 0)
    listing_url_pattern: re.Pattern[str] | None = key(
        "regex: which links are listing pages (sections, archives)"
    )
    wp_posts: str | None = key(
        "WordPress REST posts endpoint (`https://site/wp-json/wp/v2/posts`) to list articles",
        check=_absolute_url,
    )
    wp_posts_pages: int = key("pages of 100 posts read from it", 3, minimum=1)


@dataclass(frozen=True)
class Layout:
    """The selectors of one design of a site: what fundus calls a parser version.

    Each of the four tables may come in dated blocks; a design a table has no block for
    reads that table's block of the next newer design (the current one at the end).
    """

    article: ArticleRules = key("field selectors", ArticleRules())
    related: tuple[RelatedBlockRule, ...] = key("named related-link blocks, one table each", ())
    related_options: RelatedOptions = key("what else counts as a related block", RelatedOptions())
    comments: CommentRules = key("where comments are and how to read them", CommentRules())
    valid_until: date | None = internal(None)


VERSIONED_TABLES = ("article", "related", "related_options", "comments")


@dataclass(frozen=True)
class SiteProfile:
    """A parsed, validated site profile (its `layout` is the design in effect)."""

    base_url: str = key(
        "the site's origin; `-a base_url=` on the command line replaces it for fetching",
        required=True,
        check=_absolute_url,
    )
    name: str = key(
        "spider name (lower-case letters, digits, `-`, `_`); default: file name",
        "",
        check=_profile_name,
    )
    title: str | None = key("the site's name, stored in `sites.title`")
    domains: tuple[str, ...] = key(
        "hosts that belong to the site (www and bare forms match each other);"
        " default: `base_url`'s host",
        (),
    )
    language: str | None = key("ISO 639-1 code used when a page does not declare one")
    timezone: str | None = key(
        "IANA zone for dates written without an offset (e.g. `Europe/Paris`)", check=_time_zone
    )
    start_urls: tuple[str, ...] = key(
        "pages whose article links are followed (default: the home page)", ()
    )
    feeds: tuple[str, ...] = key("RSS 2.0, RSS 1.0 or Atom feeds", ())
    sitemaps: tuple[str, ...] = key("sitemaps, sitemap indexes or Google News sitemaps", ())
    article_url_pattern: re.Pattern[str] | None = key(
        "regex: which URLs are articles (searched in the full URL); without it every same-site"
        " link is a candidate and the extractor decides"
    )
    deny_url_patterns: tuple[re.Pattern[str], ...] = key(
        "regexes: URLs never fetched as articles", ()
    )
    follow_links: bool = key("follow article links found on article pages", True)
    revisit: RevisitRules = key("how often known articles are fetched again", RevisitRules())
    discovery: DiscoveryRules = key("listing pages and APIs", DiscoveryRules())
    path: Path = internal(Path("profile.toml"))
    layouts: tuple[Layout, ...] = internal((Layout(),))  # oldest design first, current last
    layout: Layout = internal(Layout())  # the design in effect (see `at`)

    def __post_init__(self) -> None:
        base = self.base_url.rstrip("/")
        object.__setattr__(self, "base_url", base)
        if not self.domains:
            object.__setattr__(self, "domains", (site_host(base),))
        if not self.start_urls:
            object.__setattr__(self, "start_urls", (base + "/",))
        if not self.name:
            object.__setattr__(self, "name", self.path.stem)

    # --- the design in effect: what the extractor reads ---------------------------------

    @property
    def article(self) -> ArticleRules:
        return self.layout.article

    @property
    def body_exclude(self) -> tuple[Selector, ...]:
        return self.layout.article.body_exclude

    @property
    def related(self) -> tuple[RelatedBlockRule, ...]:
        return self.layout.related

    @property
    def related_exclude(self) -> tuple[Selector, ...]:
        return self.layout.related_options.exclude

    @property
    def related_generic(self) -> bool:
        return self.layout.related_options.generic

    @property
    def related_follow(self) -> bool:
        return self.layout.related_options.follow

    @property
    def comments(self) -> CommentRules:
        return self.layout.comments

    def at(self, when: date | datetime | str | None = None) -> SiteProfile:
        """This profile with the design valid on `when` (a page's fetch day; default today):
        the block with the earliest ``valid_until`` on or after it, else the current one."""
        day = _as_day(when)
        chosen = next(
            (x for x in self.layouts if x.valid_until is None or x.valid_until >= day),
            self.layouts[-1],
        )
        return self if chosen is self.layout else dataclasses.replace(self, layout=chosen)

    # --- URLs -------------------------------------------------------------------------------

    def matches_host(self, url: str) -> bool:
        """True when `url` is on one of this site's domains."""
        host = site_host(url)
        return any(host == site_host("//" + d) for d in self.domains)

    def is_article_url(self, url: str) -> bool:
        """True when `url` looks like an article of this site (pattern, deny list)."""
        if not self.matches_host(url) or any(p.search(url) for p in self.deny_url_patterns):
            return False
        return bool(self.article_url_pattern.search(url)) if self.article_url_pattern else True


def _as_day(when: date | datetime | str | None) -> date:
    if when is None:
        return date.today()
    if isinstance(when, datetime):
        return when.date()
    if isinstance(when, date):
        return when
    return date.fromisoformat(str(when)[:10])


# --- the key registry ------------------------------------------------------------------------


def _keys(cls: type) -> list[dataclasses.Field]:
    return [f for f in fields(cls) if f.metadata.get("key", True) is not False]


_TABLES: dict[str, type] = {
    "article": ArticleRules,
    "related": RelatedBlockRule,
    "related_options": RelatedOptions,
    "comments": CommentRules,
    "revisit": RevisitRules,
    "discovery": DiscoveryRules,
}


def profile_keys() -> dict[str, dict[str, str]]:
    """Every accepted key with its meaning, by table ("" is the top level): what docs/sites.md
    documents, read from the dataclasses."""
    top = {f.name: f.metadata["doc"] for f in _keys(SiteProfile) + _keys(Layout)}
    tables = {
        name: {f.name: f.metadata["doc"] for f in _keys(cls)} for name, cls in _TABLES.items()
    }
    return {"": top, **tables}


# --- reading TOML ----------------------------------------------------------------------------


class _Reader:
    """Typed access to a TOML table that reports errors as ``file: key 'a.b': problem``."""

    def __init__(self, path: Path, data: dict[str, Any], prefix: str = ""):
        self.path, self.data, self.prefix = path, data, prefix

    def fail(self, key: str, problem: str) -> ProfileError:
        return ProfileError(f"{self.path}: key '{self.prefix}{key}': {problem}")

    def check_keys(self, allowed: set[str] | dict[str, Any]) -> None:
        for name in self.data:
            if name not in allowed:
                raise self.fail(name, f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
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

    def boolean(self, key: str) -> bool:
        value = self.data[key]
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def number(self, key: str, minimum: float) -> float:
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
            raise self.fail(key, f"must be a number >= {minimum:g}")
        return float(value)

    def integer(self, key: str, minimum: int) -> int:
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(key, f"must be a whole number >= {minimum}")
        return value

    def day(self, key: str) -> date:
        value = self.data[key]
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(key, "must be a date, e.g. 2024-05-31") from None

    def regex(self, key: str, value: str) -> re.Pattern[str]:
        try:
            return re.compile(value)
        except re.error as exc:
            raise self.fail(key, f"invalid regular expression: {exc}") from None

    def selector(self, key: str, value: str) -> Selector:
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
            raise self.fail(key, f"invalid selector {value!r}: {exc}") from None
        return selector

    def table(self, key: str) -> _Reader:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        return _Reader(self.path, value, f"{self.prefix}{key}.")

    def blocks(self, key: str) -> list[_Reader]:
        """A table or an array of tables (dated blocks), as readers."""
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, dict):
            return [_Reader(self.path, value, f"{self.prefix}{key}.")]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, f"must be a table ([{key}]) or an array of tables ([[{key}]])")
        return [_Reader(self.path, v, f"{self.prefix}{key}[{i}].") for i, v in enumerate(value)]


def _unwrap(hint: Any) -> tuple[Any, bool]:
    """(the type inside Optional, whether None is allowed)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0], True
    return hint, False


def _read_value(reader: _Reader, name: str, hint: Any, spec: Mapping[str, Any]) -> Any:
    """One key's value, by the field's type."""
    hint, _ = _unwrap(hint)
    origin = typing.get_origin(hint)
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        values = reader.str_list(name)
        if inner is Selector:
            return tuple(reader.selector(name, v) for v in values)
        if typing.get_origin(inner) is re.Pattern or inner is re.Pattern:
            return tuple(reader.regex(name, v) for v in values)
        return values
    if hint is bool:
        return reader.boolean(name)
    if hint is int:
        return reader.integer(name, spec.get("minimum", 0))
    if hint is float:
        return reader.number(name, spec.get("minimum", 0))
    if hint is date:
        return reader.day(name)
    if dataclasses.is_dataclass(hint) and hint is not Selector:
        return _read_table(hint, reader.table(name))
    text = reader.text(name)
    if text is None:
        return None
    if "choices" in spec and text not in spec["choices"]:
        raise reader.fail(name, f"must be one of {', '.join(spec['choices'])} (got {text!r})")
    if "check" in spec and (problem := spec["check"](text)):
        raise reader.fail(name, problem)
    if hint is Selector:
        return reader.selector(name, text)
    if origin is re.Pattern or hint is re.Pattern:
        return reader.regex(name, text)
    return text


def _read_table(
    cls: type, reader: _Reader, skip: tuple[str, ...] = (), extra: dict[str, Any] | None = None
) -> Any:
    """A dataclass from a TOML table: every key-field read by its type; unknown keys refused.
    `skip`: keys read elsewhere; `extra`: values of the fields that are not keys."""
    keys = [f for f in _keys(cls) if f.name not in skip]
    reader.check_keys({f.name for f in keys} | set(skip))
    hints = typing.get_type_hints(cls)
    values = {}
    for spec in keys:
        if spec.name not in reader.data:
            if spec.metadata.get("required"):
                raise reader.fail(spec.name, "is required")
            continue
        value = _read_value(reader, spec.name, hints[spec.name], spec.metadata)
        if value is None and spec.metadata.get("required"):
            raise reader.fail(spec.name, "is required")
        if value is not None:
            values[spec.name] = value
    result = cls(**values, **(extra or {}))
    for check in getattr(cls, "checks", ()):
        if problem := check(result):
            raise reader.fail(*problem)
    return result


def _layouts(top: _Reader) -> tuple[Layout, ...]:
    """The site's designs, oldest first, current last, from the dated blocks of each table."""
    by_table: dict[str, dict[date | None, Any]] = {}
    for table, cls in (("article", ArticleRules), ("related_options", RelatedOptions),
                       ("comments", CommentRules)):  # fmt: skip
        blocks: dict[date | None, Any] = {}
        for reader in top.blocks(table):
            block = _read_table(cls, reader)
            if block.valid_until in blocks:
                when = block.valid_until or "the current design"
                raise reader.fail("valid_until", f"a second [{table}] block for {when}")
            blocks[block.valid_until] = block
        by_table[table] = blocks
    raw_related = top.data.get("related", [])
    if not isinstance(raw_related, list):
        raise top.fail("related", "must be an array of tables ([[related]])")
    related: dict[date | None, list[RelatedBlockRule]] = {}
    for index, block in enumerate(raw_related):
        if not isinstance(block, dict):
            raise top.fail(f"related[{index}]", "must be a table")
        rule = _read_table(RelatedBlockRule, _Reader(top.path, block, f"related[{index}]."))
        related.setdefault(rule.valid_until, []).append(rule)
    by_table["related"] = {k: tuple(v) for k, v in related.items()}

    dated = sorted({d for blocks in by_table.values() for d in blocks if d is not None})
    defaults = {"article": ArticleRules(), "related": (), "related_options": RelatedOptions(),
                "comments": CommentRules()}  # fmt: skip
    current = {t: by_table[t].get(None, defaults[t]) for t in VERSIONED_TABLES}
    layouts = [Layout(**current)]
    newer = current
    for day in reversed(dated):  # each design inherits what it does not name from the next newer
        newer = {t: by_table[t].get(day, newer[t]) for t in VERSIONED_TABLES}
        layouts.append(Layout(**newer, valid_until=day))
    return tuple(reversed(layouts))


def parse_profile(path: Path, data: dict[str, Any]) -> SiteProfile:
    """Validate the TOML `data` read from `path` into a SiteProfile."""
    top = _Reader(path, data)
    top.check_keys(profile_keys()[""])
    layouts = _layouts(top)
    extra = {"path": path, "layouts": layouts, "layout": layouts[-1]}
    profile = _read_table(SiteProfile, top, skip=VERSIONED_TABLES, extra=extra)
    if problem := _profile_name(profile.name):  # also the default: the file's name
        raise top.fail("name", problem)
    return profile


def load_profile(path: Path) -> SiteProfile:
    """Read and validate one profile file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from None
    return parse_profile(path, data)


# --- the folders ------------------------------------------------------------------------------


def user_sites_dir() -> Path:
    """The user's own sites folder, where ``newscrawl add-site`` writes: the first folder of
    ``NEWSCRAWL_SITES_DIR``, else ``$XDG_CONFIG_HOME/newscrawl/sites`` (``~/.config/...``)."""
    extra = _env_dirs()
    return extra[0] if extra else _default_user_dir()


def _default_user_dir() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "newscrawl" / "sites"


def _env_dirs() -> list[Path]:
    return [Path(p) for p in config.get(None, "NEWSCRAWL_SITES_DIR").split(os.pathsep) if p]


def profile_dirs() -> list[Path]:
    """The package's own sites folder, the folders named by ``NEWSCRAWL_SITES_DIR``
    (os.pathsep-separated), then the user's folder (`user_sites_dir`) when none is named."""
    return [PACKAGE_SITES_DIR, *(_env_dirs() or [_default_user_dir()])]


@lru_cache(maxsize=8)
def _load_all(dirs: tuple[Path, ...]) -> tuple[dict[str, SiteProfile], tuple[ProfileError, ...]]:
    """Good profiles by name, and one error per file that is not (a bad file stops only its
    own spider) or per folder that does not exist."""
    profiles: dict[str, SiteProfile] = {}
    errors: list[ProfileError] = []
    for folder in dirs:
        if folder == _default_user_dir() and not folder.is_dir():
            continue  # the user's own folder exists once add-site has written to it
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
