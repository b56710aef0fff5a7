"""From what onboarding saw (`Findings`) to a profile: each value with the reason it was chosen.

A `Proposal` is a list of values per TOML table, each carrying a ``why`` that becomes the
comment above it in the written file, so a user reading ``NAME.toml`` sees where every line
came from (the home page's ``<link rel=alternate>``, robots.txt, a pattern inferred from N
sampled articles...). Nothing here fetches anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import tomlkit

from .. import __version__
from ..mirror import origin
from ..profiles import DiscoveryRules
from ..urls import registrable_domain, site_host
from .patterns import InferredPattern, infer_article_pattern
from .spider import Findings, Page, Source


@dataclass
class Value:
    key: str
    value: Any
    why: str
    literal: bool = False  # a regex: written as a TOML literal string


@dataclass
class Proposal:
    """The profile to write, and what the dry-run summary says about it."""

    name: str
    base_url: str
    top: list[Value] = field(default_factory=list)
    tables: dict[str, list[Value]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)  # comment lines of a table
    pattern: InferredPattern | None = None
    comments: str = ""  # one line for the summary
    feeds: list[Source] = field(default_factory=list)
    sitemaps: list[Source] = field(default_factory=list)  # the top-level ones written

    def add(self, table: str, key: str, value: Any, why: str, literal: bool = False) -> None:
        target = self.top if not table else self.tables.setdefault(table, [])
        target.append(Value(key, value, why, literal))

    def note(self, table: str, *lines: str) -> None:
        self.notes.setdefault(table, []).extend(lines)

    def toml(self, command: str) -> str:
        doc = tomlkit.document()
        doc.add(
            tomlkit.comment(f"Written by `{command}` (newscrawl {__version__}) on the evidence")
        )
        doc.add(tomlkit.comment("named above each value; docs/sites.md explains every key."))
        doc.add(tomlkit.nl())
        _fill(doc, self.top)
        for table in ("discovery", "comments"):
            if table not in self.tables and table not in self.notes:
                continue
            section = tomlkit.table()
            for line in self.notes.get(table, []):
                section.add(tomlkit.comment(line))
            _fill(section, self.tables.get(table, []))
            doc.add(tomlkit.nl())
            doc.add(table, section)
        return tomlkit.dumps(doc)


def _fill(container: Any, values: list[Value]) -> None:
    for item in values:
        for line in _wrap(item.why):
            container.add(tomlkit.comment(line))
        value = item.value
        if item.literal:
            value = tomlkit.string(value, literal=True)
        elif isinstance(value, list):
            array = tomlkit.array()
            array.extend(value)
            if sum(len(str(v)) for v in value) > 60:
                array.multiline(True)
            value = array
        container.add(item.key, value)


def _wrap(text: str, width: int = 96) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def default_name(url: str) -> str:
    """A profile name from the site's domain: ``www.theverge.com`` → ``theverge``."""
    domain = registrable_domain(url)
    label = domain.split(".")[0] if "." in domain else domain
    name = re.sub(r"[^a-z0-9_-]+", "-", label.lower()).strip("-")
    return name or "site"


def propose(findings: Findings, name: str | None) -> Proposal:
    """The profile onboarding would write for what it found."""
    home = findings.home
    given = findings.start_url
    fetched = home.url if home else given  # after redirects
    final = home.canonical if home and home.canonical else fetched
    base = origin(fetched)
    proposal = Proposal(name or default_name(given), base)
    proposal.add("", "name", proposal.name,
                 "from --name" if name else f"from the domain ({registrable_domain(given)}); --name sets another")  # fmt: skip
    if findings.site_title:
        proposal.add(
            "", "title", findings.site_title, "the home page's og:site_name (else its <title>)"
        )
    proposal.add(
        "", "base_url", base, "the origin of the home page (the URL given, after redirects)"
    )
    hosts = list(dict.fromkeys(urlsplit(u).hostname or "" for u in (given, fetched, final)))
    if len({site_host("//" + h) for h in hosts}) > 1:
        proposal.add(
            "",
            "domains",
            hosts,
            "the host given, the one it redirects to, and the one the home page calls canonical",
        )
    if findings.language:
        proposal.add("", "language", findings.language, "the home page's <html lang>")
    proposal.add("", "start_urls", [fetched], "the home page: its article links are followed")

    proposal.feeds = [f for f in findings.feeds if f.entries]
    if proposal.feeds:
        why = "; ".join(f"{f.url}: {f.kind.upper()} of {len(f.entries)} entries, found by {f.found}"
                        for f in proposal.feeds)  # fmt: skip
        proposal.add("", "feeds", [f.url for f in proposal.feeds], why)
    top = [s for s in findings.sitemaps if s.parent is None]
    proposal.sitemaps = top
    if top:
        parts = []
        for sitemap in top:
            kind = {
                "sitemapindex": "sitemap index",
                "news": "Google News sitemap",
                "urlset": "sitemap",
            }[sitemap.kind]
            size = (f"{len(sitemap.entries)} sitemaps" if sitemap.kind == "sitemapindex"
                    else f"{len(sitemap.entries)} URLs")  # fmt: skip
            parts.append(f"{sitemap.url}: {kind} of {size}, found in {sitemap.found}")
        proposal.add("", "sitemaps", [s.url for s in top], "; ".join(parts))

    articles = [p for p in findings.pages if p.status == 200 and p.is_article]
    others = [p for p in findings.pages if p.status == 200 and not p.is_article]
    non_articles = [p.url for p in others] + ([home.url] if home else [])
    proposal.pattern = infer_article_pattern([p.url for p in articles], non_articles, findings.host)
    if proposal.pattern is not None:
        pattern = proposal.pattern
        why = (f"inferred from the URLs of the {len(pattern.articles)} sampled pages the extractor"
               f" took for articles; it leaves out the {len(pattern.others)} that were not")  # fmt: skip
        if pattern.not_excluded:
            why += f" except {len(pattern.not_excluded)} ({', '.join(pattern.not_excluded[:2])})"
        if pattern.left_out:
            why += f"; {len(pattern.left_out)} article(s) of a URL shape of their own left out ({pattern.left_out[0]})"
        proposal.add("", "article_url_pattern", pattern.regex, why, literal=True)

    _discovery(proposal, findings)
    _comments(proposal, findings, articles)
    return proposal


def _discovery(proposal: Proposal, findings: Findings) -> None:
    if findings.wp_posts:
        proposal.add("discovery", "wp_posts", findings.wp_posts,
                     f"the WordPress REST API at {findings.wp_rest_root} (advertised by the home page)"
                     f" lists {findings.wp_posts_total} posts")  # fmt: skip
        total = findings.wp_posts_total or 0
        default = DiscoveryRules().wp_posts_pages
        if total > default * 100:  # the default pages would not list the whole archive
            pages = min(10, -(-total // 100))
            proposal.add("discovery", "wp_posts_pages", pages,
                         f"{total} posts, 100 a page (at most 10 pages a run; the sitemaps list the rest)")  # fmt: skip
    if not proposal.feeds and not proposal.sitemaps and not findings.wp_posts:
        proposal.note("discovery", "No feed, sitemap or REST listing found: articles are reached",
                      f"through the start page and its rel=next pagination ({DiscoveryRules().max_pages} pages by",
                      "default); raise max_pages to go further back.")  # fmt: skip
        proposal.add("discovery", "max_pages", DiscoveryRules().max_pages,
                     "pages of the home page's pagination read (each run)")  # fmt: skip


def _comments(proposal: Proposal, findings: Findings, articles: list[Page]) -> None:
    with_comments = [p for p in articles if p.comments]
    embeds = [p.embed for p in articles if p.embed]
    forms = [p for p in articles if p.comment_form]
    sampled = len(articles)
    if with_comments:
        total = sum(p.comments for p in with_comments)
        proposal.add("comments", "source", "html",
                     f"{len(with_comments)} of {sampled} sampled articles show comments in the page ({total} in all)")  # fmt: skip
        proposal.comments = f"in the page (html): {total} comments on {len(with_comments)} of {sampled} sampled articles"
    elif findings.wp_comments and findings.wp_comments_count and findings.wp_comments_probe:
        api = urlsplit(findings.wp_comments)
        template = f"{api.path}?{api.query + '&' if api.query else ''}post={{post_id}}&per_page=100"
        proposal.add("comments", "source", "wp-rest",
                     f"no comments in the pages, but the WordPress REST comments listing gave"
                     f" {findings.wp_comments_count} for {findings.wp_comments_probe.url}: they load by JavaScript")  # fmt: skip
        proposal.add(
            "comments", "api_url", template, "{post_id} is read from the page (its ?p=ID shortlink)"
        )
        proposal.comments = f"WordPress REST API ({findings.wp_comments})"
    elif embeds:
        embed = embeds[0]
        proposal.add("comments", "source", "none",
                     f"{embed.name} embed on {len(embeds)} of {sampled} sampled articles ({embed.evidence}):"
                     " its comments are not in the page")  # fmt: skip
        if embed.name == "Disqus":
            forum = embed.details.get("forum", "FORUM")
            where = embed.details.get("identifier_in", "the embed's config")
            proposal.note("comments", f"Disqus forum {forum!r}; thread ids are in {where}. Disqus's API needs a key:",
                          "to read the threads, set source = \"disqus-json\",",
                          f'api_url = "https://disqus.com/api/3.0/threads/listPosts.json?api_key=KEY&forum={forum}&thread:ident={{post_id}}"',
                          "and post_id to a selector of the identifier.")  # fmt: skip
        said = [f"forum {embed.details['forum']}"] if "forum" in embed.details else []
        if "identifier_in" in embed.details:
            said.append(f"thread ids in {embed.details['identifier_in']}")
        said.append(
            f"on {len(embeds)} of {sampled} sampled articles; not read: its API needs a key"
        )
        proposal.comments = f"{embed.name} embed ({', '.join(said)})"
    else:
        why = (f"no comments seen on {sampled} sampled articles"
               + (f" ({len(forms)} have a comment form)" if forms else "")
               + ": html reads them if they appear in the page")  # fmt: skip
        proposal.add("comments", "source", "html", why)
        proposal.comments = "none seen" + (
            f" ({len(forms)} articles have a comment form)" if forms else ""
        )
