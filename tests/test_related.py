"""Related-link blocks: exact blocks on the relatedlab sample pages, and the rules behind them."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.extract import PageContext, extract_page, parse_html
from newscrawl.extract.related import (
    classify,
    find_body_elements,
    in_prose,
    is_article_link,
    is_chrome_label,
)
from newscrawl.profiles import load_profile, load_profiles
from newscrawl.samples import site_dir
from newscrawl.samples.server import SampleSite
from newscrawl.urls import url_key

from .conftest import expected

SITE = "relatedlab"
TRUTH = expected(SITE)


def page(url: str, site: str = SITE) -> bytes:
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    file = SampleSite(site_dir(site)).resolve(path)
    assert file is not None, url
    return file.read_bytes()


def shape(blocks) -> list[dict]:
    """Blocks as plain data, targets by dedup key (the page writes www/utm variants)."""
    return [
        {
            "label": b.label,
            "kind": b.kind,
            "links": [(url_key(k.url), k.text, k.teaser, k.position) for k in b.links],
        }
        for b in blocks
    ]


def want(blocks: list[dict]) -> list[dict]:
    return [
        {
            "label": b["label"],
            "kind": b["kind"],
            "links": [
                (url_key(k["url"]), k["text"], k["teaser"], i)
                for i, k in enumerate(b["links"], start=1)
            ],
        }
        for b in blocks
    ]


@pytest.mark.parametrize("url", list(TRUTH["articles"]))
def test_exact_blocks_without_profile(url):
    result = extract_page(page(url), url, False)
    assert result.is_article
    assert shape(result.related) == want(TRUTH["articles"][url]["related"])


def test_changed_most_read_variant():
    variant = TRUTH["variants"]["most-read-changed"]
    html = (site_dir(SITE) / variant["file"]).read_bytes()
    result = extract_page(html, variant["serves"], False)
    assert shape(result.related) == want(variant["related"])


@pytest.mark.parametrize("url", list(TRUTH["articles"]))
def test_chrome_never_kept(url):
    result = extract_page(page(url), url, False)
    labels = {b.label for b in result.related}
    assert not labels & set(TRUTH["never_blocks"])
    targets = {url_key(k.url) for b in result.related for k in b.links}
    assert not targets & {url_key(t) for t in TRUTH["never_targets"]}


def test_inline_callouts_leave_the_body():
    url = next(iter(TRUTH["articles"]))
    body = extract_page(page(url), url, False).article.body
    assert "Read also" not in body
    assert "Qubitline plans to open an office in Munich" in body
    assert "Related stories" not in body


def test_larevue_seed_keeps_exactly_two_blocks():
    truth = expected("larevuedudigital")
    seed = truth["seed_article"]
    html = page(seed, "larevuedudigital")
    for profile in (load_profiles()["larevuedudigital"], False):
        got = extract_page(html, seed, profile).related
        assert [(b.label, b.kind, len(b.links)) for b in got] == [
            ("Top lectures en ce moment", "popular", 3),
            ("L'IA clé de nos besoins vitaux dans l'eau, l'électricité et le gaz", "dossier", 3),
        ]


def test_profile_names_blocks_and_excludes_others(tmp_path: Path):
    """A profile's [[related]] rule wins; [related_options] exclude drops a generic block."""
    url = next(iter(TRUTH["articles"]))
    path = tmp_path / "relatedlab.toml"
    path.write_text(
        """
name = "relatedlab"
base_url = "https://relatedlab.example"
[[related]]
container = "aside .card-list"
label_text = "Les plus lus"
kind = "popular"
item = "article.card"
link = ".card-title a"
teaser = ".card-teaser"
[related_options]
exclude = [".OUTBRAIN"]
""",
        encoding="utf-8",
    )
    profile = load_profile(path)
    got = extract_page(page(url), url, profile).related
    assert [(b.label, b.kind) for b in got] == [
        ("Les plus lus", "popular"),
        ("Read also", "inline"),
        ("Related stories", "related"),
    ]
    assert [k.teaser for k in got[0].links][0].startswith("How a university spin-off")
    path.write_text(path.read_text() + "generic = false\n", encoding="utf-8")
    assert [b.label for b in extract_page(page(url), url, load_profile(path)).related] == [
        "Les plus lus"
    ]


def test_follow_option_defaults_off(tmp_path: Path):
    path = tmp_path / "x.toml"
    path.write_text('name = "x"\nbase_url = "https://x.example"\n', encoding="utf-8")
    assert load_profile(path).related_follow is False
    path.write_text(path.read_text() + "[related_options]\nfollow = true\n", encoding="utf-8")
    assert load_profile(path).related_follow is True


# --- the rules, one at a time ---------------------------------------------------------------

PAGE = "https://news.example/2025/01/02/some-story-here/"


def anchor(html: str, href: str):
    tree = parse_html(f"<html><body>{html}</body></html>")
    return next(a for a in tree.iter("a") if a.get("href") == href)


def test_links_in_running_text_are_prose():
    prose = (
        "<p>The minister said on Monday, in a long interview with a regional paper, that the "
        "plan would go ahead <a href='/2025/01/01/plan-goes-ahead/'>as announced</a> next year.</p>"
    )
    assert in_prose(anchor(prose, "/2025/01/01/plan-goes-ahead/"))
    listed = (
        "<ul><li><a href='/2025/01/01/plan-goes-ahead/'>Plan goes ahead as announced</a></li></ul>"
    )
    assert not in_prose(anchor(listed, "/2025/01/01/plan-goes-ahead/"))
    card = (
        "<div class='card'><a href='/a/b-c-d/'>Title of the story</a><p>A teaser long enough to "
        "be a sentence about the story, and then some more words to pass eighty characters.</p></div>"
    )
    assert not in_prose(anchor(card, "/a/b-c-d/"))


@pytest.mark.parametrize(
    ("href", "text", "kept"),
    [
        ("/2025/01/01/plan-goes-ahead/", "Plan", True),  # dated URL
        ("/news/1234567/plan/", "Plan", True),  # numeric id
        ("/politics/plan-goes-ahead-next-year", "Plan", True),  # slug of 3+ words
        ("/sport/vfl-wolfsburg/", "VfL Wolfsburg", False),  # section page, short text
        ("/sport/vfl-wolfsburg/", "Wolfsburg wins the cup final again", True),  # headline text
        ("/tag/quantum-computing-startups/", "Quantum computing startups news", False),
        ("/autoren/christian-unger/", "Christian Unger", False),
        ("/2025/03/", "March", False),  # date archive
        (
            "https://abo.news.example/checkout/digital-plus-offer",
            "Subscribe now for one euro",
            False,
        ),
        ("https://twitter.com/newsexample/status/123456789", "Follow us on X today", False),
        ("/world/index.html", "World news from every continent", False),
    ],
)
def test_article_link_rule(href, text, kept):
    html = f"<ul><li><a href='{href}'>{text}</a></li></ul>"
    url = href if href.startswith("http") else "https://news.example" + href
    assert is_article_link(anchor(html, href), url, PAGE) is kept


@pytest.mark.parametrize(
    ("label", "chrome"),
    [
        ("Hauptmenü", True),
        ("Main menu", True),
        ("About the author", True),
        ("Primary Sidebar", True),
        ("Mots-clés", True),
        ("Stellenmarkt", True),
        ("Most read", False),
        ("Related stories", False),
        ("Menu of the day: five recipes", False),
    ],
)
def test_chrome_labels(label, chrome):
    assert is_chrome_label(label) is chrome


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Most read", "popular"),
        ("Meistgelesen", "popular"),
        ("Les plus lus", "popular"),
        ("Lire aussi", "related"),
        ("Mehr zum Thema", "related"),
        ("More from Cloud", "section"),
        ("Dossier: the chip wars", "dossier"),
        ("Sponsored stories", "sponsored"),
        ("Aktuelle News alle anzeigen", "section"),
    ],
)
def test_kinds(label, kind):
    assert classify(label) == kind


def test_body_is_found_without_a_profile():
    url = next(iter(TRUTH["articles"]))
    body = find_body_elements(PageContext(parse_html(page(url)), url))
    assert [b.get("class") for b in body] == ["entry-content"]
    split = "<html><body><div id='text'>" + "".join(
        f"<section><h2>Part {i}</h2><p>{'Words of the article body. ' * 12}</p></section>"
        for i in range(3)
    )
    tree = parse_html(split + "</div><div><p>Footer text.</p></div></body></html>")
    assert [b.get("id") for b in find_body_elements(PageContext(tree, PAGE))] == ["text"]


def test_single_read_also_is_not_a_block():
    """A block has two links or more: one "Read also" link alone stays out."""
    body = "".join(f"<p>{'Body text of the story goes on. ' * 8}</p>" for _ in range(3))
    html = (
        f"<html><body><article><div class='entry-content'>{body}<p><strong>Read also:</strong> "
        f"<a href='/2025/01/01/plan-goes-ahead/'>Plan goes ahead</a></p>{body}</div></article>"
        "</body></html>"
    )
    assert extract_page(html, PAGE, False).related == []


def test_block_inside_article_prose_leaves_the_prose_in_the_body():
    """A "Related" list met inside the article text is a block, but only its label and links
    leave the body: the paragraphs around it in the same element stay."""
    before = "".join(
        f"<p>Opening fact number {i} of the story. It goes on here.</p>" for i in range(6)
    )
    after = "".join(f"<p>Closing fact number {i} of the story. It ends here.</p>" for i in range(6))
    links = "".join(
        f"<li><a href='/2025/01/0{i}/other-story-{i}/'>Another story about topic {i}</a></li>"
        for i in range(1, 4)
    )
    html = (
        f"<html><body><article><div><div><p>{'The lead of the story. ' * 8}</p></div>"
        f"<div>{before}<h2>Related</h2><ul>{links}</ul>{after}</div></div></article></body></html>"
    )
    result = extract_page(html, PAGE, False)
    assert [(b.label, len(b.links)) for b in result.related] == [("Related", 3)]
    body = result.article.body or ""
    assert "Opening fact number 0" in body and "Closing fact number 5" in body
    assert "Another story about topic" not in body and "Related" not in body
