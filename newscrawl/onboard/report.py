"""The dry-run summary `newscrawl add-site` prints: what the site has, what the profile says,
and what a first crawl with it would fetch."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..profiles import DiscoveryRules
from .profile import Proposal
from .sample import SavedSample
from .spider import Findings


@dataclass
class Estimate:
    """A first crawl with the proposed profile, counted from what onboarding read."""

    feed_urls: int
    sitemap_urls: int  # URLs in the article sitemaps read (before the pattern)
    sitemap_articles: int  # of which match the pattern
    rest_posts: int
    home_articles: int  # home page links matching the pattern
    articles: int  # distinct article pages a first crawl would fetch (about)
    documents: int  # feeds, sitemaps, REST listing pages
    listing_pages: int  # start pages and their pagination
    approximate: str  # "" (counted), "about " (extrapolated) or "up to " (pagination's bound)

    @property
    def requests(self) -> int:
        return self.articles + self.documents + self.listing_pages + 1  # + robots.txt


def estimate(findings: Findings, proposal: Proposal) -> Estimate:
    pattern = proposal.pattern

    def article(url: str) -> bool:
        return pattern.matches(url) if pattern else True

    feed_urls = {e.url for f in proposal.feeds for e in f.entries}
    urlsets = [s for s in findings.sitemaps if s.kind != "sitemapindex"]
    sitemap_urls = {e.url for s in urlsets for e in s.entries}
    rest = {e.url for e in findings.wp_entries}
    home = {u for u in findings.home_links if pattern and article(u)}
    known = {u for u in feed_urls | sitemap_urls | rest | home if article(u)}
    articles = len(known)
    approximate = ""
    if findings.child_sitemaps_skipped and urlsets:
        per_child = len([u for u in sitemap_urls if article(u)]) / len(urlsets)
        articles += round(per_child * findings.child_sitemaps_skipped)
        approximate = "about "
    rules = DiscoveryRules()
    rest_pages = 0
    if findings.wp_posts and findings.wp_posts_total:
        pages = [v.value for v in proposal.tables.get("discovery", []) if v.key == "wp_posts_pages"]
        rest_pages = min(
            pages[0] if pages else rules.wp_posts_pages, -(-findings.wp_posts_total // 100)
        )
        if min(findings.wp_posts_total, rest_pages * 100) > articles:
            articles = min(findings.wp_posts_total, rest_pages * 100)
            approximate = "about "
    sitemaps = len(findings.sitemaps) + findings.child_sitemaps_skipped
    listing = 1
    if not proposal.feeds and not proposal.sitemaps and not findings.wp_posts:
        listing = rules.max_pages  # the start page's pagination carries the crawl
        per_page = max(len(home), 1)
        if per_page * listing > articles:
            articles, approximate = per_page * listing, "up to "
    return Estimate(
        feed_urls=len(feed_urls), sitemap_urls=len(sitemap_urls),
        sitemap_articles=len({u for u in sitemap_urls if article(u)}), rest_posts=findings.wp_posts_total or 0,
        home_articles=len(home), articles=articles, documents=len(proposal.feeds) + sitemaps + rest_pages,
        listing_pages=listing, approximate=approximate,
    )  # fmt: skip


def summary(findings: Findings, proposal: Proposal, path: Path | None, written: bool,
            sample: SavedSample | None, sample_wanted: bool) -> str:  # fmt: skip
    """The lines printed at the end of `newscrawl add-site`."""
    lines = [f"newscrawl add-site {findings.start_url} -> profile {proposal.name!r}"]

    def row(label: str, text: str) -> None:
        lines.append(f"  {label:<13}{text}")

    robots = {None: "not read", 200: "read"}.get(
        findings.robots_status, f"HTTP {findings.robots_status}"
    )
    row(
        "fetched",
        f"{findings.requests} requests (robots.txt {robots} and obeyed, the crawl's user agent and delays)",
    )
    if findings.cms:
        rest = f"; REST API {findings.wp_rest_root}" if findings.wp_posts else ""
        row("CMS", f"{findings.cms} ({findings.cms.evidence}){rest}")
    else:
        row("CMS", "not recognised (no generator meta or known markers)")
    if proposal.feeds:
        for feed in proposal.feeds:
            row(
                "feed",
                f"{feed.url} ({feed.kind.upper()}, {len(feed.entries)} entries; {feed.found})",
            )
    else:
        row("feeds", "none (no <link rel=alternate>; common paths answered nothing)")
    if proposal.sitemaps:
        for sitemap in proposal.sitemaps:
            children = [s for s in findings.sitemaps if s.parent == sitemap.url]
            if sitemap.kind == "sitemapindex":
                sizes = " + ".join(str(len(c.entries)) for c in children) or "0"
                extra = (
                    f" (+{findings.child_sitemaps_skipped} not read)"
                    if findings.child_sitemaps_skipped
                    else ""
                )
                row(
                    "sitemap",
                    f"{sitemap.url} (index of {len(sitemap.entries)}{extra}, from {sitemap.found}): {sizes} URLs",
                )
            else:
                kind = "Google News sitemap" if sitemap.kind == "news" else "sitemap"
                row(
                    "sitemap",
                    f"{sitemap.url} ({kind}, {len(sitemap.entries)} URLs, from {sitemap.found})",
                )
    else:
        row("sitemaps", "none (robots.txt names none; common paths answered nothing)")
    news = [s for s in findings.sitemaps if s.kind == "news"]
    row("news sitemap", ", ".join(s.url for s in news) if news else "none")
    if findings.wp_posts:
        row("REST posts", f"{findings.wp_posts}: {findings.wp_posts_total} posts")
    row("comments", proposal.comments)
    pages = [p for p in findings.pages if p.status == 200]
    articles = [p for p in pages if p.is_article]
    row(
        "sampled",
        f"{len(pages)} pages: {len(articles)} articles, {len(pages) - len(articles)} other pages",
    )
    est = estimate(findings, proposal)
    if proposal.pattern:
        pattern = proposal.pattern
        others = [p for p in pages if not p.is_article]
        row("article URLs", pattern.regex)
        row("", f"matches {sum(pattern.matches(p.url) for p in articles)} of {len(articles)} sampled articles,"
                f" {sum(pattern.matches(p.url) for p in others)} of {len(others)} other pages;"
                f" {est.sitemap_articles} of {est.sitemap_urls} sitemap URLs")  # fmt: skip
    else:
        row(
            "article URLs",
            "no pattern (no sampled page was an article): the extractor decides page by page",
        )
    listed = [f"feeds {est.feed_urls}", f"sitemaps {est.sitemap_articles} article URLs"]
    if est.rest_posts:
        listed.append(f"REST {est.rest_posts} posts")
    listed.append(f"home page {est.home_articles}")
    about = est.approximate
    row("listed", ", ".join(listed))
    row("first crawl", f"{about}{est.requests} requests: {est.articles} article pages, {est.documents} feeds/sitemaps/"
                       f"REST pages, {est.listing_pages} listing page{'s' if est.listing_pages > 1 else ''},"
                       " robots.txt (comment pages and APIs on top)")  # fmt: skip
    row("wrote" if written else "would write", str(path) if path else "(nothing)")
    if sample_wanted:
        if sample:
            row("sample", f"{sample.folder}/ (seed {sample.seed}: {sample.comments} comments,"
                          f" {sample.related} related blocks): review expected.json")  # fmt: skip
        else:
            row("sample", "not saved: no sampled article reads as one with the new profile")
    for note in findings.notes + findings.errors[:5]:
        row("note", note)
    if written:
        row("next", f"scrapy check {proposal.name} && scrapy crawl {proposal.name}")
    return "\n".join(lines)
