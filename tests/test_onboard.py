"""The pure parts of onboarding: URL pattern inference, CMS and comment-embed detection, feed
links and robots.txt sitemaps, sitemap order, and the profile written from findings."""

from __future__ import annotations

import re
import sys

import pytest

from newscrawl.onboard.detect import (
    detect_cms,
    detect_comment_embed,
    has_comment_form,
    wordpress_rest_root,
)
from newscrawl.onboard.patterns import infer_article_pattern
from newscrawl.onboard.profile import default_name, propose
from newscrawl.onboard.spider import Findings, Page, Source, choose_samples
from newscrawl.profiles import parse_profile
from newscrawl.spiders.discovery import Entry, feed_links, newest_first, robots_sitemaps

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def check(articles, others, host, regex=None):
    pattern = infer_article_pattern(articles, others, host)
    assert pattern is not None
    assert all(pattern.matches(u) for u in articles), pattern.regex
    assert not any(pattern.matches(u) for u in others), pattern.regex
    if regex:
        assert pattern.regex == regex
    return pattern


def test_pattern_of_dated_wordpress_urls():
    check(
        [
            "https://www.site.com/2025/03/10/chip-maker-raises-money/",
            "https://site.com/2024/12/01/a-b/",
        ],
        [
            "https://site.com/category/news/",
            "https://site.com/2025/03/",
            "https://site.com/page/2/",
        ],
        "site.com",
        r"^https?://(?:www\.)?site\.com/\d{4}/\d{2}/\d{2}/[^/-]+(?:-[^/-]+)+/(?:\?|$)",
    )


def test_pattern_of_root_slugs_leaves_out_static_and_tag_pages():
    pattern = check(
        [
            "https://ghost.example/apple-ships-a-phone/",
            "https://ghost.example/intel-cuts-jobs-again/",
        ],
        [
            "https://ghost.example/about/",
            "https://ghost.example/tag/apple/",
            "https://ghost.example/",
        ],
        "ghost.example",
    )
    assert pattern.matches("https://ghost.example/a-story-never-sampled/")


def test_pattern_keeps_a_prefix_every_article_has_and_an_extension():
    articles = [f"https://www.heise.de/news/Titel-Nummer-{n}-1031{n}.html" for n in range(4)]
    pattern = check(
        articles,
        ["https://www.heise.de/newsticker/", "https://www.heise.de/thema/Apple"],
        "heise.de",
    )
    assert "/news/" in pattern.regex and r"\.html" in pattern.regex


def test_pattern_narrows_a_segment_only_as_far_as_needed():
    # Sections and tag pages have the same shape: the words tag pages use there are excluded.
    articles = [
        "https://n.example/tech/1913719-une-faille.html",
        "https://n.example/sciences/1912000-un-satellite.html",
    ]
    others = ["https://n.example/tag/les-failles.html", "https://n.example/auteur/jean-dupont.html"]
    pattern = check(articles, others, "n.example")
    assert pattern.matches("https://n.example/politique/1900000-une-loi.html")  # unseen section


def test_pattern_of_numeric_ids_and_query_ids():
    check(["https://v.example/2025/3/10/24382001/ipad-review", "https://v.example/2025/3/9/24381002/news"],
          ["https://v.example/tech", "https://v.example/reviews"], "v.example")  # fmt: skip
    check(["https://w.example/?p=12", "https://w.example/?p=15"],
          ["https://w.example/?page_id=2", "https://w.example/"], "w.example",
          r"^https?://(?:www\.)?w\.example/\?(?:[^#]*&)?p=\d+(?:&|$)")  # fmt: skip


def test_a_lone_url_shape_is_left_out_and_reported():
    articles = [f"https://s.example/news/story-number-{n}" for n in range(4)] + [
        "https://s.example/x/y/z-1/"
    ]
    pattern = infer_article_pattern(articles, [], "s.example")
    assert pattern.left_out == ["https://s.example/x/y/z-1/"]
    assert not pattern.matches("https://s.example/x/y/z-1/")
    assert infer_article_pattern([], ["https://s.example/"], "s.example") is None
    assert infer_article_pattern(["https://other.example/a-b/"], [], "s.example") is None


def test_a_non_article_shaped_like_articles_is_excluded_by_name_or_reported():
    articles = ["https://s.example/a-story/", "https://s.example/b-story/"]
    pattern = infer_article_pattern(articles, ["https://s.example/contact-us/"], "s.example")
    assert pattern.not_excluded == []
    assert not pattern.matches("https://s.example/contact-us/")
    assert pattern.matches("https://s.example/c-story/")
    same = infer_article_pattern(articles, ["https://s.example/a-story/"], "s.example")
    assert same.not_excluded == ["https://s.example/a-story/"]  # cannot be told apart: said so


@pytest.mark.parametrize(
    ("html", "headers", "name", "version"),
    [
        ('<meta name="generator" content="WordPress 6.5.2">', {}, "WordPress", "6.5.2"),
        (
            '<meta name="generator" content="Site Kit by Google 1.2"><meta name="generator" content="WordPress 6.4">',
            {},
            "WordPress",
            "6.4",
        ),  # fmt: skip
        ('<meta name="generator" content="Ghost 5.82">', {}, "Ghost", "5.82"),
        (
            '<meta name="Generator" content="Drupal 10 (https://www.drupal.org)">',
            {},
            "Drupal",
            "10",
        ),
        (
            '<meta name="generator" content="Joomla! - Open Source Content Management">',
            {},
            "Joomla",
            None,
        ),
        ('<meta name="generator" content="Hugo 0.124.1">', {}, "Hugo", "0.124.1"),
        ('<link rel="stylesheet" href="/wp-content/themes/x/style.css">', {}, "WordPress", None),
        ('<div data-drupal-selector="x"></div>', {}, "Drupal", None),
        ("<html></html>", {"X-Generator": "Drupal 9 (https://www.drupal.org)"}, "Drupal", None),
        ('<script id="__NEXT_DATA__" type="application/json">{}</script>', {}, "Next.js", None),
    ],
)
def test_cms_detection(html, headers, name, version):
    cms = detect_cms(f"<html><head>{html}</head><body></body></html>", headers)
    assert cms is not None and (cms.name, cms.version) == (name, version)
    assert cms.evidence


def test_no_cms_on_plain_pages():
    assert detect_cms("<html><head><title>x</title></head><body><p>hi</p></body></html>") is None


def test_comment_embeds():
    disqus = """<div id="disqus_thread"></div><script>var disqus_config = function () {
      this.page.url = "https://g.example/a/"; this.page.identifier = "ghost-105"; };
      s.src = 'https://gnews.disqus.com/embed.js';</script>"""
    embed = detect_comment_embed(disqus)
    assert embed.name == "Disqus"
    assert embed.details["forum"] == "gnews" and embed.details["identifier"] == "ghost-105"
    assert (
        detect_comment_embed('<div class="fb-comments" data-href="x"></div>').name
        == "Facebook comments"
    )
    assert (
        detect_comment_embed('<script src="https://giscus.app/client.js"></script>').name
        == "giscus"
    )
    assert detect_comment_embed("<ol class='comment-list'><li>hi</li></ol>") is None
    assert has_comment_form('<div id="respond"><form id="commentform"></form></div>')
    assert not has_comment_form("<p>Comments are closed.</p>")


def test_wordpress_rest_root_from_the_page_or_a_header():
    page = '<html><head><link rel="https://api.w.org/" href="https://w.example/wp-json/"></head></html>'
    assert wordpress_rest_root(page) == "https://w.example/wp-json/"
    header = {"Link": '<https://w.example/?rest_route=/>; rel="https://api.w.org/"'}
    assert wordpress_rest_root("<html></html>", header) == "https://w.example/?rest_route=/"
    assert wordpress_rest_root("<html></html>") is None


def test_feed_links_leave_comment_feeds_out():
    page = """<html><head>
      <link rel="alternate" type="application/rss+xml" title="Site &raquo; Feed" href="/feed/">
      <link rel="alternate" type="application/rss+xml" title="Site &raquo; Comments Feed" href="/comments/feed/">
      <link rel="alternate" type="application/rss+xml" title="A post Comments Feed" href="/a-post/feed/">
      <link rel="alternate" type="application/atom+xml" href="https://s.example/atom.xml">
      <link rel="alternate" hreflang="de" href="https://s.example/de/">
      <link rel="stylesheet" type="application/rss+xml" href="/not-a-feed.xml">
    </head></html>"""
    assert feed_links(page, "https://s.example/") == [
        "https://s.example/feed/",
        "https://s.example/atom.xml",
    ]


def test_robots_sitemaps_and_newest_first():
    robots = "User-agent: *\nDisallow: /wp-admin/\nSitemap: https://s.example/sitemap.xml\nsitemap: /news.xml\n"
    assert robots_sitemaps(robots, "https://s.example/robots.txt") == [
        "https://s.example/sitemap.xml", "https://s.example/news.xml"]  # fmt: skip
    assert robots_sitemaps("User-agent: *\nDisallow:\n", "https://s.example/robots.txt") == []
    entries = [Entry("a", lastmod="2024-01-01"), Entry("b"), Entry("c", "2025-03-01T10:00:00+01:00"),
               Entry("d", lastmod="2024-06-01")]  # fmt: skip
    assert [e.url for e in newest_first(entries)] == ["c", "d", "a", "b"]


def _findings() -> Findings:
    findings = Findings("https://news.example/")
    findings.home = Page(
        "https://news.example/", "the URL given", 200, canonical="https://news.example/"
    )
    findings.site_title, findings.language = "News Example", "en"
    findings.home_links = ["https://news.example/tag/ai/", "https://news.example/2025/03/01/a-b-c/"]
    feed = Source("https://news.example/feed/", "rss", "<link rel=alternate> on the home page",
                  [Entry(f"https://news.example/2025/03/0{n}/story-{n}-here/") for n in range(1, 4)])  # fmt: skip
    findings.feeds = [feed]
    findings.sitemaps = [Source("https://news.example/news.xml", "news", "robots.txt",
                                [Entry("https://news.example/2025/02/01/story-0-here/", "2025-02-01")])]  # fmt: skip
    findings.pages = [
        Page(
            f"https://news.example/2025/03/0{n}/story-{n}-here/",
            "feed",
            200,
            is_article=True,
            comments=2,
        )
        for n in range(1, 4)
    ] + [Page("https://news.example/tag/ai/", "home page link", 200)]
    return findings


def test_choose_samples_spreads_over_sources_and_shapes():
    chosen = choose_samples(_findings(), 3)
    assert [found for _, found in chosen] == ["feed", "sitemap", "home page link"]
    assert len({url for url, _ in chosen}) == 3


def test_proposal_writes_a_loadable_commented_profile(tmp_path):
    proposal = propose(_findings(), None)
    assert proposal.name == "news"
    text = proposal.toml("newscrawl add-site https://news.example/")
    path = tmp_path / "news.toml"
    path.write_text(text, encoding="utf-8")
    profile = parse_profile(path, tomllib.loads(text))
    assert profile.feeds == ("https://news.example/feed/",)
    assert profile.sitemaps == ("https://news.example/news.xml",)
    assert profile.comments.source == "html"
    assert profile.is_article_url("https://news.example/2025/04/30/another-story-here/")
    assert not profile.is_article_url("https://news.example/tag/ai/")
    assert re.search(r"# .*3 of 3 sampled articles show comments", text)
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.startswith(("#", "[")):
            assert lines[number - 1].startswith("#"), line


@pytest.mark.parametrize(
    ("url", "name"),
    [("https://www.theverge.com/", "theverge"), ("https://www.01net.com/", "01net"),
     ("https://golem.de", "golem"), ("https://www.bbc.co.uk/news", "bbc"), ("http://wpnews.example/", "wpnews")],
)  # fmt: skip
def test_default_names(url, name):
    assert default_name(url) == name


def test_comment_source_from_the_rest_api_or_an_embed(tmp_path):
    from newscrawl.onboard.detect import CommentEmbed

    findings = _findings()
    for page in findings.pages:
        page.comments, page.comment_form, page.post_id = 0, True, "12"
    findings.wp_rest_root = "https://news.example/wp-json/"
    findings.wp_comments = "https://news.example/wp-json/wp/v2/comments"
    findings.wp_comments_count, findings.wp_comments_probe = 4, findings.pages[0]
    proposal = propose(findings, "news")
    text = proposal.toml("test")
    profile = parse_profile(tmp_path / "news.toml", tomllib.loads(text))
    assert profile.comments.source == "wp-rest"
    assert profile.comments.api_url == "/wp-json/wp/v2/comments?post={post_id}&per_page=100"
    assert "they load by JavaScript" in text

    findings.wp_comments_count = 0  # the API answers, but with nothing: comments stay html
    assert propose(findings, "news").tables["comments"][0].value == "html"

    findings.wp_comments = None
    for page in findings.pages:
        page.embed = CommentEmbed("Disqus", "page markup", {"forum": "newsex", "identifier": "x-1",
                                                            "identifier_in": "disqus_config (page.identifier)"})  # fmt: skip
    text = propose(findings, "news").toml("test")
    profile = parse_profile(tmp_path / "news.toml", tomllib.loads(text))
    assert profile.comments.source == "none"
    assert "forum=newsex&thread:ident={post_id}" in text and "Disqus's API needs a key" in text
