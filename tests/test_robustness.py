"""Pages that used to make `extract_page` raise or lose data (issue 14), one test per trigger,
each run with stage isolation off (so the fix, not the safety net, is what passes); then the
safety net itself, the caps, the canonical rules, and seeded fuzzing."""

from __future__ import annotations

import logging
import random
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

import newscrawl.extract as extract
from newscrawl.dates import to_iso8601
from newscrawl.extract import extract_page
from newscrawl.extract.comments.api import CommentApiError, parse_wp_rest
from newscrawl.items import Article, PageFailure, RelatedLink
from newscrawl.pipelines import NormalizePipeline
from newscrawl.robustness import TRIGGERS, corpus_pages, mangle, mangled_pages
from newscrawl.safejson import JSONTooDeep, loads
from newscrawl.samples import SITES_DIR
from newscrawl.spiders.base import items_from_page
from newscrawl.spiders.generic import GenericSpider
from newscrawl.urls import canonicalize_url, is_http_url, join_url, site_host, url_key

URL = "https://news.example/2025/03/04/a-story-about-chips/"
PARAGRAPH = (
    "The chip maker said on Tuesday that its new factory would open next year, employing two"
    " thousand people and doubling the output of the plant it runs in the same region today."
)


def page(head: str = "", before: str = "", after: str = "") -> str:
    return f"""<!doctype html><html lang="en"><head><title>A story about chips</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2025-03-04T10:00:00+01:00">{head}</head>
<body><article><h1>A story about chips</h1>{before}<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p>
<p>{PARAGRAPH}</p></article>{after}</body></html>"""


RELATED = (
    '<div class="related"><h3>Related stories</h3><ul>'
    '<li><a href="/2025/03/01/first-related-story-here/">First related story here</a></li>'
    '<li><a href="/2025/03/02/second-related-story-here/">Second related story here</a></li>'
    '<li><a href="/2025/03/03/third-related-story-here/">Third related story here</a></li>'
    "</ul></div>"
)
COMMENTS = (
    '<div id="comments" class="comments-area"><ol class="commentlist">'
    '<li class="comment" id="comment-7"><div class="comment-author"><b class="fn">Ann</b></div>'
    '<div class="comment-content"><p>A reader comment that says something.</p></div></li>'
    "</ol></div>"
)


def strict(html: str | bytes, url: str = URL):
    """`extract_page` with stage isolation off: any exception escapes."""
    result = extract_page(html, url, False, isolate=False)
    assert result.errors == []
    return result


def test_blocks_inside_namespaced_and_malformed_elements_are_removed():
    html = page(after=f"<o:p>{RELATED}</o:p><fb:widget>{COMMENTS}</fb:widget>")
    html = html.replace("<article>", '<div"class="wrap"><article>')
    result = strict(html)
    assert [len(b.links) for b in result.related] == [3]
    assert [c.text for c in result.comments] == ["A reader comment that says something."]
    assert (
        "Related stories" not in result.article.body and "reader comment" not in result.article.body
    )
    assert result.article.body.count(PARAGRAPH) == 3


def test_a_template_holding_a_whole_document():
    script = '<script type="text/template"><html><head></head></html>' + "filler " * 40
    result = strict(page(before=script + "</script>Text after the template."))
    assert PARAGRAPH in result.article.body


def test_what_follows_a_stray_closing_html_tag_is_read_as_body():
    """libxml2 parses what follows `</html>` into a second root; browsers show it in the body."""
    header = "<header><nav><a href='/'>Home</a></nav></header>"
    story = f"<article><h1>A story about chips</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></article>"
    html = page().split("<body>")[0] + f"<body>{header}</body></html>{story}<footer>Foot</footer>"
    result = strict(html)
    assert result.article.body == f"{PARAGRAPH}\n\n{PARAGRAPH}"
    from newscrawl.extract.document import parse_html, text_of

    tree = parse_html(html)
    assert [child.tag for child in tree.find("body")] == ["header", "article", "footer"]
    assert text_of(tree).endswith("Foot")


def test_control_character_references():
    html = page(
        before="<p>Before <script>x()</script>&#1; &#x1F; after &#xFFFE;&#0; &#8a11; end.</p>"
    )
    html = html.replace("<h1>", '<h1 title="&#1;&#x1F;">')
    result = strict(html)
    assert PARAGRAPH in result.article.body
    assert not any(ord(c) < 32 and c not in "\n\t" for c in result.article.body)


def test_json_nested_a_thousand_deep():
    deep = '{"a":' * 1000 + "1" + "}" * 1000
    result = strict(page(head=f'<script type="application/ld+json">{deep}</script>'))
    assert result.article.title == "A story about chips"
    with pytest.raises(JSONTooDeep):
        loads("[" * 5000 + "]" * 5000)
    with pytest.raises(JSONTooDeep):
        loads("[" * 150 + "]" * 150)
    assert loads('{"a": [1, {"b": 2}]}') == {"a": [1, {"b": 2}]}
    with pytest.raises(CommentApiError):
        parse_wp_rest("[" * 2000 + "]" * 2000, 1, "1")


@pytest.mark.parametrize("depth", [300, 1500, 3000])
def test_deeply_nested_elements_keep_their_text(depth):
    nested = "<div>" * depth + "<p>Deeply nested paragraph text.</p>" + "</div>" * depth
    result = strict(page(after=nested + "<p>The paragraph after it.</p>"))
    assert PARAGRAPH in result.article.body
    from newscrawl.extract.document import parse_html, text_of

    text = text_of(parse_html(page(after=nested + "<p>The paragraph after it.</p>")))
    assert "Deeply nested paragraph text." in text and "The paragraph after it." in text


BAD_URLS = ["http://[bad/x", "http://example.com:abc/x", "http://example.com:99999999/x"]


@pytest.mark.parametrize("bad", BAD_URLS)
def test_malformed_urls_from_the_page(bad):
    links = "".join(
        f'<li><a href="{href}">A headline that reads like a story {n}</a></li>'
        for n, href in enumerate(
            [bad, "/2025/03/01/one-more-story-here/", "/2025/03/02/and-another-one/"]
        )
    )
    html = page(
        head=f'<link rel="canonical" href="{bad}"><meta property="og:image" content="{bad}">'
        f'<meta property="og:url" content="{bad}"><meta property="article:tag" content="Energy">',
        after=f'<div class="related"><h3>Related stories</h3><ul>{links}</ul></div>{COMMENTS}',
    ).replace("<article>", f'<article><a href="{bad}">bad</a>')
    result = strict(html)
    assert result.article.canonical_url == URL and result.article.image is None
    assert all(is_http_url(link.url) for block in result.related for link in block.links)
    assert canonicalize_url(bad) == "" and url_key(bad) == "" and not is_http_url(bad)
    assert join_url(URL, bad) is None and isinstance(site_host(bad), str)


def test_junk_dates_are_refused():
    for junk in ("-1", "0", "5", "12", " -1 "):
        assert to_iso8601(junk) is None
    junk = page().replace("2025-03-04T10:00:00+01:00", "-1")
    undated_url = "https://news.example/tech/a-story-about-chips/"
    assert strict(junk, undated_url).article.published is None  # not "2026-01-01"
    # The declared value is refused; the day the article's URL shows is what is left.
    assert strict(junk).article.published.startswith("2025-03-04")
    assert to_iso8601("2025-03-04") == "2025-03-04T00:00:00+00:00"
    assert to_iso8601("4 mars 2025") is not None


# --- the safety net: stages isolated ---------------------------------------------------------


def test_a_failing_stage_is_logged_counted_and_the_rest_kept(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(extract, "extract_related", broken)
    with caplog.at_level(logging.WARNING, logger="newscrawl.extract"):
        result = extract_page(page(after=RELATED + COMMENTS), URL, False)
    assert [(e.stage, e.type) for e in result.errors] == [("related", "KeyError")]
    assert caplog.text.count("Extraction stage 'related' failed on " + URL) == 1
    assert result.article.body.count(PARAGRAPH) == 3 and len(result.comments) == 1
    assert result.is_article and not result.article_failed
    with pytest.raises(KeyError):
        extract_page(page(), URL, False, isolate=False)

    monkeypatch.setattr(extract, "extract_body", broken)
    result = extract_page(page(), URL, False)
    assert result.article_failed and not result.is_article


def test_links_are_followed_when_a_page_cannot_be_extracted(monkeypatch):
    crawler = get_crawler(GenericSpider, {"NEWSCRAWL_MAX_FOLLOW_LINKS": 2000})
    spider = GenericSpider.from_crawler(crawler, start_url="https://news.example/")
    links = "".join(f'<a href="/2025/03/0{n}/story-number-{n}/">story {n}</a>' for n in range(1, 6))
    request = Request("https://news.example/", meta={"depth_left": 2})
    response = HtmlResponse(
        request.url, body=page(after=links).encode(), encoding="utf-8", request=request
    )

    def broken(*args, **kwargs):
        raise RuntimeError("the whole extractor is broken")

    monkeypatch.setattr("newscrawl.spiders.base.extract_page", broken)
    output = list(spider.parse_article(response))
    requests = [o for o in output if isinstance(o, Request)]
    failures = [o for o in output if isinstance(o, PageFailure)]
    assert len(requests) == 5
    assert len(failures) == 1 and "the whole extractor is broken" in failures[0].error
    assert crawler.stats.get_value("newscrawl/extract_errors/page") == 1


# --- caps --------------------------------------------------------------------------------------


def test_titles_leads_and_links_are_capped():
    crawler = get_crawler(GenericSpider)
    normalise = NormalizePipeline.from_crawler(crawler)
    item = Article(
        url=URL, canonical_url=URL, title="word " * 200_000, lead="lead " * 5_000, body="x"
    )
    normalise.process_item(item)
    assert len(item.title) <= 1_000 and item.title.endswith("word")
    assert len(item.lead) <= 5_000
    assert crawler.stats.get_value("newscrawl/capped/title") == 1
    assert crawler.stats.get_value("newscrawl/capped/lead") == 1

    links = "".join(
        f'<li><a href="/2025/01/01/story-number-{n}/">A linked story headline {n}</a></li>'
        for n in range(50_000)
    )
    result = extract_page(
        page(after=f'<div class="related"><h3>Related</h3><ul>{links}</ul></div>'), URL, False
    )
    total = sum(len(b.links) for b in result.related)
    assert total > 500
    items = list(items_from_page(result, "news", max_links=500, stats=crawler.stats))
    assert sum(isinstance(i, RelatedLink) for i in items) == 500
    assert crawler.stats.get_value("newscrawl/capped/related_links") == 1


# --- canonical links ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("canonical", "expected", "note"),
    [
        ("https://www.news.example/2025/03/04/a-story-about-chips/", "www.news.example", None),
        ("https://m.news.example/amp/2025/03/04/a-story-about-chips/", "m.news.example", None),
        ("https://other.example/2025/01/01/their-story/", URL, "canonical/rejected_other_site"),
        ("https://news.example/", URL, "canonical/rejected_home"),
        ("https://news.example/tag/chips/", URL, "canonical/rejected_listing"),
        ("javascript:void(0)", URL, "canonical/rejected_invalid"),
    ],
)
def test_canonical_links_are_trusted_only_within_the_site(canonical, expected, note):
    result = strict(page(head=f'<link rel="canonical" href="{canonical}">'))
    assert expected in result.article.canonical_url
    assert result.notes == ([note] if note else [])


def test_a_profile_names_the_domains_a_canonical_may_use():
    from newscrawl.profiles import load_profiles

    profile = load_profiles()["larevuedudigital"]
    url = "https://www.larevuedudigital.com/some-story-here/"
    html = page(head='<link rel="canonical" href="https://larevuedudigital.com/some-story-here/">')
    assert extract_page(html, url, profile).article.canonical_url.startswith("https://larevue")


# --- fuzzing ------------------------------------------------------------------------------------

SAMPLE_PAGES = sorted(SITES_DIR.rglob("index.html"))


def test_triggers_anywhere_in_the_sample_pages():
    """Every trigger of `newscrawl.robustness`, at a random place of every sample page."""
    rng = random.Random(14)
    for path in SAMPLE_PAGES:
        html = path.read_bytes()
        for trigger in TRIGGERS:
            at = rng.randrange(len(html) + 1)
            strict(html[:at] + trigger + html[at:], "https://techpulse.example/2024/11/25/x/")


def test_seeded_mangled_sample_pages():
    rng = random.Random(2014)
    for _ in range(300):
        path = rng.choice(SAMPLE_PAGES)
        name, data = mangle(path.read_bytes(), rng)
        strict(data, "https://www.larevuedudigital.com/some-story/")


@pytest.mark.corpus
def test_seeded_mangled_corpus_pages(corpus: Path):
    """400 mangled versions of the corpus pages (the long run: benchmarks/robustness.py)."""
    pages = list(corpus_pages(corpus))
    assert len(pages) == 1781
    for corpus_page, name, data in mangled_pages(pages, 400, seed=14):
        try:
            extract_page(data, corpus_page.url or URL, False, isolate=False)
        except Exception as exc:  # pragma: no cover - the message says which page and mangling
            raise AssertionError(f"{corpus_page.set}/{corpus_page.id} ({name}): {exc!r}") from exc


def test_a_local_copy_may_name_its_public_url():
    html = page(head=f'<link rel="canonical" href="{URL}">')
    assert strict(html, "http://127.0.0.1:8000/a-story/").article.canonical_url == URL
    assert strict(html, "http://localhost/a-story/").article.canonical_url == URL
    result = strict(html, "https://copycat.example/a-story/")
    assert result.article.canonical_url == "https://copycat.example/a-story/"
