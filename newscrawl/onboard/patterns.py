"""Inferring a site's ``article_url_pattern`` from URLs known to be articles and URLs known not
to be.

Why a pattern at all: with one, discovery skips tag, author and page URLs before fetching them,
and a page the extractor is unsure of is not stored as an article. The inference is deliberately
plain, so its result reads like a hand-written one: URLs are grouped by path shape (number of
segments, trailing slash, extension); each segment becomes the most general class its article
values share (a year, a day or month, an id, a hyphenated slug, any segment, a fixed word when
every article has it); and a segment is narrowed (fewer matching values, more hyphens, an
exclusion of the words non-articles have there) only as far as needed to exclude every known
non-article. Groups of one URL are left out when there are other groups: a lone shape is more
likely a stray page than a kind of article.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from ..urls import site_host

_EXTENSIONS = (".html", ".htm", ".shtml", ".php", ".aspx", ".asp", ".jsp")
_TEXT = "[^/]+"


@dataclass(frozen=True)
class _Url:
    url: str
    segments: tuple[str, ...]
    slash: bool
    ext: str
    query: dict[str, str]

    @classmethod
    def of(cls, url: str) -> _Url:
        parts = urlsplit(url)
        path = parts.path or "/"
        segments = [s for s in path.split("/") if s]
        ext = ""
        if segments:
            last = segments[-1].lower()
            ext = next((e for e in _EXTENSIONS if last.endswith(e)), "")
            if ext:
                segments[-1] = segments[-1][: -len(ext)]
        slash = path.endswith("/") and bool(segments)
        return cls(url, tuple(segments), slash, ext, dict(parse_qsl(parts.query)))

    @property
    def shape(self) -> tuple[int, bool, str]:
        return len(self.segments), self.slash, self.ext


@dataclass
class InferredPattern:
    """The pattern and how it was checked."""

    regex: str
    articles: list[str]  # the article URLs it was inferred from
    others: list[str]  # the non-article URLs it had to exclude
    left_out: list[str] = field(default_factory=list)  # articles of a lone URL shape
    not_excluded: list[str] = field(default_factory=list)  # non-articles it still matches

    @property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.regex)

    def matches(self, url: str) -> bool:
        return bool(self.compiled.search(url))


def _kind(segment: str) -> str:
    if re.fullmatch(r"(?:19|20)\d\d", segment):
        return "year"
    if re.fullmatch(r"\d{1,2}", segment):
        return "day"
    if segment.isdigit():
        return "id"
    return "slug" if "-" in segment.strip("-") else "word"


def _slug(hyphens: int, lead_id: bool = False, tail_id: bool = False) -> str:
    part = "[^/-]+"
    head = r"\d+-" if lead_id else ""
    tail = r"-\d+" if tail_id else ""
    rest = max(hyphens - int(lead_id) - int(tail_id), 0)
    if not rest:
        return f"{head}{part}{tail}"
    repeat = "+" if rest == 1 else f"{{{rest},}}"
    return f"{head}{part}(?:-{part}){repeat}{tail}"


def _options(values: list[str], negatives: list[str], many: bool) -> list[str]:
    """Regexes for one segment, most general first, each matching every value in `values`."""
    kinds = {_kind(v) for v in values}
    if kinds <= {"year"}:
        return [r"\d{4}"]
    if kinds <= {"day"}:
        return [r"\d{2}" if all(len(v) == 2 for v in values) else r"\d{1,2}"]
    if kinds <= {"year", "day", "id"}:
        return [r"\d+"]
    words = sorted(set(values))
    literal = (
        "(?:" + "|".join(re.escape(w) for w in words) + ")"
        if len(words) > 1
        else re.escape(words[0])
    )
    if len(words) == 1 and many:  # every article has it: "/news/", "/articles/", "/story/"
        return [literal]
    options = []
    if kinds == {"slug"}:
        least = min(v.strip("-").count("-") for v in values)
        options.append(_slug(1))
        if all(re.match(r"\d+-", v) for v in values):
            options.append(_slug(1, lead_id=True))
        if all(re.search(r"-\d+$", v) for v in values):
            options.append(_slug(1, tail_id=True))
        options.extend(_slug(k) for k in range(2, least + 1))
    else:
        options.append(_TEXT)
    others = sorted({n for n in negatives if n not in set(values)})
    if others:
        excluded = "|".join(re.escape(n) for n in others)
        options.append(f"(?!(?:{excluded})(?:/|$)){options[0]}")
    if literal not in options:
        options.append(literal)
    return options


def _path_regex(shape: tuple[int, bool, str], parts: tuple[str, ...], query: str) -> str:
    count, slash, ext = shape
    body = "/".join(parts)
    end = re.escape(ext) + ("/" if slash else "")
    return f"/{body}{end}{query}" if count else "/" + query


def _query_rule(group: list[_Url]) -> str:
    """An id parameter every article URL of the group carries (``?p=123``), else nothing."""
    if not group or not all(u.query for u in group):
        return r"(?:\?|$)"
    shared = set.intersection(*(set(u.query) for u in group))
    for name in sorted(shared):
        if all(u.query[name].isdigit() for u in group):
            return rf"\?(?:[^#]*&)?{re.escape(name)}=\d+(?:&|$)"
    return r"(?:\?|$)"


def _group_regex(group: list[_Url], negatives: list[_Url]) -> tuple[str, list[_Url]]:
    """The least narrowed regex for one shape of article URLs, and the non-articles it still
    matches (none, unless a non-article looks exactly like an article)."""
    shape = group[0].shape
    count = shape[0]
    same_shape = [n for n in negatives if n.shape == shape]
    columns = [
        _options(
            [u.segments[i] for u in group], [n.segments[i] for n in same_shape], len(group) >= 3
        )
        for i in range(count)
    ]
    while _combinations(columns) > 4096:  # deep paths: fewer narrowings per segment
        widest = max(range(count), key=lambda i: len(columns[i]))
        columns[widest] = columns[widest][:-1]
    query = _query_rule(group)
    best: tuple[int, int, str, list[_Url]] | None = None
    for choice in itertools.product(*(range(len(c)) for c in columns)):
        parts = tuple(columns[i][k] for i, k in enumerate(choice))
        regex = _path_regex(shape, parts, query)
        compiled = re.compile("^" + regex)
        if not all(compiled.match(_path_and_query(u.url)) for u in group):
            continue
        matched = [n for n in negatives if compiled.match(_path_and_query(n.url))]
        if best is None or (len(matched), sum(choice)) < best[:2]:
            best = (len(matched), sum(choice), regex, matched)
    assert best is not None  # the most specific options match their own values
    return best[2], best[3]


def _combinations(columns: list[list[str]]) -> int:
    total = 1
    for options in columns:
        total *= len(options)
    return total


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def infer_article_pattern(
    articles: list[str], others: list[str], host: str
) -> InferredPattern | None:
    """A regex over full URLs matching `articles` and none of `others` (URLs of the site
    `host`), or None without articles."""
    own = site_host("//" + host)
    positives = [_Url.of(u) for u in dict.fromkeys(articles) if site_host(u) == own]
    negatives = [_Url.of(u) for u in dict.fromkeys(others) if site_host(u) == own]
    positives = [u for u in positives if u.segments or u.query]  # the home page is no article
    if not positives:
        return None
    groups: dict[tuple[int, bool, str], list[_Url]] = {}
    for url in positives:
        groups.setdefault(url.shape, []).append(url)
    left_out: list[str] = []
    if len(groups) > 1:
        for shape, group in list(groups.items()):
            if len(group) == 1:
                left_out.append(group[0].url)
                del groups[shape]
    if not groups:  # every article has a shape of its own: keep them all
        groups = {u.shape: [u] for u in positives}
        left_out = []
    regexes, unmatched = [], []
    for shape in sorted(groups):
        regex, still = _group_regex(groups[shape], negatives)
        regexes.append(regex)
        unmatched.extend(n.url for n in still)
    paths = regexes[0] if len(regexes) == 1 else "(?:" + "|".join(regexes) + ")"
    host_regex = r"(?:www\.)?" + re.escape(own)
    return InferredPattern(
        regex=f"^https?://{host_regex}{paths}",
        articles=[u.url for u in positives if u.url not in left_out],
        others=[n.url for n in negatives],
        left_out=left_out,
        not_excluded=list(dict.fromkeys(unmatched)),
    )
