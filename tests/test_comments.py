"""Reader comments without a crawl: each markup family of the commentlab sample site, the
comment-page links, the two comment APIs, and the shared corpus (skipped when absent)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import lxml.html
import pytest

from newscrawl import evaluation as ev
from newscrawl.extract import extract_page
from newscrawl.extract.comment_api import CommentApiError, parse_disqus, parse_wp_rest
from newscrawl.extract.comments import comment_page_links, post_id_from_page
from newscrawl.extract.document import parse_html
from newscrawl.profiles import load_profile
from newscrawl.samples import site_dir
from newscrawl.samples.apis import commentlab_disqus, commentlab_wordpress

SITE = site_dir("commentlab")
PROFILES = Path(__file__).resolve().parents[1] / "newscrawl" / "samples" / "profiles"
EXPECTED = json.loads((SITE / "expected.json").read_text(encoding="utf-8"))
BASE = "https://commentlab.example"
FIELDS = ("id", "parent_id", "author", "published", "text", "score")


def _page(url: str) -> bytes:
    return (SITE / url[len(BASE) :].strip("/") / "index.html").read_bytes()


def _rows(comments) -> list[dict]:
    return [{f: getattr(c, f) for f in FIELDS} for c in comments]


def _first_page(url: str) -> list[dict]:
    wanted = EXPECTED["pages"].get(url, {}).get("1")
    rows = EXPECTED["comments"][url]
    return [r for r in rows if wanted is None or r["id"] in wanted]


@pytest.fixture(scope="module")
def profile():
    return load_profile(PROFILES / "commentlab.toml")


@pytest.mark.parametrize("url", sorted(EXPECTED["comments"]))
def test_markup_family_exact(url: str, profile) -> None:
    """Ids, parents, authors, dates (site time zone), text and score, exactly."""
    result = extract_page(_page(url), url, profile)
    assert _rows(result.comments) == _first_page(url)


@pytest.mark.parametrize("url", sorted(EXPECTED["comments"]))
def test_markup_family_without_profile(url: str) -> None:
    """The general rules alone find the same thread; naive dates are read as UTC then."""
    result = extract_page(_page(url), url, False)
    got = _rows(result.comments)
    want = _first_page(url)
    strip = [{**r, "published": r["published"][:16]} for r in want]
    assert [{**r, "published": (r["published"] or "")[:16]} for r in got] == strip


@pytest.mark.parametrize("url", sorted(EXPECTED["comments"]))
def test_no_comment_in_body_and_no_chrome_in_comments(url: str, profile) -> None:
    result = extract_page(_page(url), url, profile)
    body = result.article.body or ""
    assert body.count("The committee met on Tuesday") == 3  # the article itself is intact
    for comment in EXPECTED["comments"][url]:
        assert comment["text"].split("\n")[0] not in body
    chrome = ("Reply", "Antworten", "Répondre", "Signaler", "says:", "Log in", "likes", "(Edit)")
    for comment in result.comments:
        assert not any(word in comment.text for word in chrome), comment.text


def test_pagination_links_follow_the_thread_only() -> None:
    url = f"{BASE}/paginated/"
    tree = parse_html(_page(url))
    assert comment_page_links(tree, url) == [f"{BASE}/paginated/comment-page-2/"]
    page2 = f"{BASE}/paginated/comment-page-2/"
    tree = parse_html(_page(page2))
    # "Older comments" leads back to the article itself: read already, never a comment page.
    assert comment_page_links(tree, page2) == [f"{BASE}/paginated/comment-page-3/"]
    # Other articles' links and the article's own links are never comment pages.
    assert comment_page_links(parse_html(_page(f"{BASE}/wp-modern/")), f"{BASE}/wp-modern/") == []


def test_pagination_by_query_parameter_needs_a_comment_navigation() -> None:
    html = """<html><body><article><p>Text</p><a href="/story/?page=2">Next page of the story</a>
    </article><div class="comment-pagination"><a href="/story/?cpage=2">2</a>
    <a href="/story/?page=3&amp;utm_source=x">3</a></div><a href="/other/?cpage=2">x</a>
    <a href="/story/?page=9">Older comments</a></body></html>"""
    links = comment_page_links(parse_html(html), "https://ex.example/story/")
    assert links == [
        "https://ex.example/story/?cpage=2",
        "https://ex.example/story/?page=3&utm_source=x",
        "https://ex.example/story/?page=9",
    ]


def test_post_id_from_wordpress_markers_and_profile_selector() -> None:
    tree = parse_html((SITE / "api-wp" / "index.html").read_bytes())
    assert post_id_from_page(tree) == "501"
    disqus = load_profile(PROFILES / "commentlab-disqus.toml")
    tree = parse_html((SITE / "api-disqus" / "index.html").read_bytes())
    assert post_id_from_page(tree, disqus.comments.post_id) == "cl-thread-7"


def test_wp_rest_pages() -> None:
    listing = commentlab_wordpress().comments["501"]
    page = parse_wp_rest(json.dumps(listing[:100]), page=1, total_pages="3")
    assert page.next_page == 2
    first, reply = page.comments[0], page.comments[1]
    assert (first.id, first.parent_id, first.author, first.published, first.text) == (
        "7001", None, "Hanna Vogt", "2024-03-25T09:00:00+00:00", "Does the REST API show replies too?",
    )  # fmt: skip
    assert (reply.id, reply.parent_id, reply.text) == (
        "7002", "7001", "It does: parent names the comment replied to.",
    )  # fmt: skip
    assert parse_wp_rest(json.dumps(listing[200:]), page=3, total_pages="3").next_page is None


def test_disqus_cursor_pages_and_scores() -> None:
    posts = commentlab_disqus().threads["cl-thread-7"]
    body = {"cursor": {"hasNext": True, "next": "2"}, "code": 0, "response": posts[:2]}
    page = parse_disqus(json.dumps(body))
    assert page.next_cursor == "2"
    assert [(c.id, c.parent_id, c.author, c.published, c.text, c.score) for c in page.comments] == [
        ("9001", None, "Kai", "2024-03-27T08:00:00+00:00", "Cursor paging works?", 3),
        ("9002", "9001", "Lena", "2024-03-27T08:05:00+00:00", "It does.\n\nTwo paragraphs.", 0),
    ]
    last = parse_disqus(json.dumps({"cursor": {"hasNext": False}, "code": 0, "response": []}))
    assert last.next_cursor is None and last.comments == []


@pytest.mark.parametrize(
    "body",
    ['{"cursor": {"hasNext": fal', "[1, 2]", '{"code": 2, "response": "Invalid thread"}', ""],
)
def test_malformed_api_answers_raise(body: str) -> None:
    with pytest.raises(CommentApiError):
        parse_disqus(body)


def test_malformed_wp_answer_raises() -> None:
    with pytest.raises(CommentApiError):
        parse_wp_rest('{"code": "rest_post_invalid_id"}')
    with pytest.raises(CommentApiError):
        parse_wp_rest("<html>maintenance</html>")


# --- the shared corpus ---------------------------------------------------------------------

NETZPOLITIK = "trafilatura/cache/netzpolitik.org.abmahnungen.html.gz"


def test_netzpolitik_every_comment_with_author_date_parent(corpus: Path) -> None:
    """The Netzpolitik page of the corpus (it is in the trafilatura set, not in fundus)."""
    with gzip.open(corpus / NETZPOLITIK) as fh:
        html = fh.read().decode("utf-8", errors="replace")
    url = "https://netzpolitik.org/2016/die-cider-connection-abmahnungen-gegen-nutzer-von-creative-commons-bildern/"
    result = extract_page(html, url, False)
    tree = lxml.html.document_fromstring(html.encode())
    items = tree.xpath("//li[starts-with(@id,'comment-')]")
    # Independent reading of the same markup: every li's id, its parent li, author, time.
    want = {}
    for li in items:
        parent = li.xpath("ancestor::li[starts-with(@id,'comment-')][1]/@id")
        author = li.xpath("./article//*[contains(@class,'fn')]")[0].text_content().strip()
        when = li.xpath("./article//time/@datetime")[0]
        want[li.get("id")[8:]] = (parent[0][8:] if parent else None, author, when)
    got = {c.id: (c.parent_id, c.author, c.published) for c in result.comments}
    assert got == want and len(result.comments) == len(items) == 74
    assert got["2422784"] == ("2397090", "Mamabaer", "2018-05-23T21:15:24+02:00")
    for snippet in ("Hallo zusammen,", "Selbstverständlich darf man den Namen"):
        assert snippet in "\n".join(c.text for c in result.comments)
        assert snippet not in (result.article.body or "")


def test_trafilatura_comment_snippets(corpus: Path) -> None:
    """Measured 134/232 snippets found (0.578; 132/161 = 0.82 of those present in the page's
    visible text, the rest load with JavaScript), 9 leaked into bodies; floors sit below."""
    found = total = leaked = 0
    for page in ev.load_trafilatura(corpus):
        if not page.comment_snippets:
            continue
        result = extract_page(page.html, page.url, False).to_dict()
        f, t = ev.comment_snippets_found(ev.comment_texts(result), page.comment_snippets)
        leak, _ = ev.comment_snippets_found(ev.body_text(result), page.comment_snippets)
        found, total, leaked = found + f, total + t, leaked + leak
    assert total == 232
    assert found / total >= 0.55
    assert leaked <= 10
