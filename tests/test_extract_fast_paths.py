"""Fast paths of the extractor give exactly what the plain code they replace gives."""

from __future__ import annotations

import re

import pytest

from newscrawl.extract import authors, metadata
from newscrawl.extract.body import lines, measure, prune
from newscrawl.extract.comments import api, areas, markup, text
from newscrawl.extract.document import (
    _CONTROL,
    _without_controls,
    classed,
    clean_text,
    parse_html,
    text_of,
    xpath,
)
from newscrawl.extract.related import body_area
from newscrawl.urls import canonicalize_url


@pytest.mark.parametrize(
    "text",
    [
        "plain ascii <p>text</p>",
        "bell\x07 and del\x7f and nul\x00 gone, tab\t newline\n kept",
        "ümlaut \x0bvertical tab, 日本語\x1f",
        "non-characters \ufffe and \uffff\x01",
        "a lone surrogate \ud800 survives\x02",
        "",
    ],
)
def test_without_controls_matches_regex(text: str) -> None:
    assert _without_controls(text) == _CONTROL.sub("", text)


def test_parse_html_drops_control_characters() -> None:
    tree = parse_html("<html><body><p>Caf\x00é \x08au lait\x7f</p></body></html>")
    assert text_of(tree.find(".//p")) == "Café au lait"


@pytest.mark.parametrize(
    "text",
    [
        "Sign in to continue reading this story.",
        "SIGN IN TO CONTINUE",
        "Already have an account? Log in",
        "Bereits Abonnent? Hier anmelden",
        "Déjà abonné ? Connectez-vous",
        "DÉJÀ ABONNÉ",
        "Externe Inhalte werden hier nicht angezeigt",
        "この記事は会員限定です",
        "A paragraph about a town council vote on Tuesday.",
        "SİGN İN TO CONTİNUE",  # dotted capital I: re folds it to "i", str.lower does not
        "ſign in to continue",  # long s: re matches it with "s"
        "sıgn ın to contınue",  # dotless i: re matches it with "i"
        "UNLOCK MORE ARTICLES",  # Kelvin sign K
    ],
)
def test_has_prompt_matches_case_insensitive_regex(text: str) -> None:
    assert lines.has_prompt(text) == bool(lines._PROMPT.search(text))


def test_prompt_pattern_is_lower_case() -> None:
    # `_has_prompt` searches lower-cased text with the pattern as written.
    assert lines._PROMPT.pattern == lines._PROMPT.pattern.lower()


def test_canonicalize_url_cache_keys_on_base() -> None:
    first = canonicalize_url("story-1?utm_source=x", base="https://a.example/news/")
    second = canonicalize_url("story-1?utm_source=x", base="https://b.example/sport/")
    assert first == "https://a.example/news/story-1"
    assert second == "https://b.example/sport/story-1"
    assert canonicalize_url("story-1?utm_source=x", base="https://a.example/news/") == first


def test_hidden_candidates_match_the_xpath() -> None:
    tree = parse_html(
        """<html><body>
        <div hidden><p>a</p></div>
        <div aria-hidden="true">b</div><div aria-hidden="false">c</div>
        <span style="display: none">d</span><span style="visibility:hidden">e</span>
        <span style="color: red">f</span>
        <p class="visually-hidden">g</p><p class="d-none d-md-block">h</p>
        <p class="sr-only">i</p><p class="Hidden">j</p><p class="shadow">k</p>
        <!-- a comment --><p>l</p>
        </body></html>"""
    )
    body = tree.find("body")
    expected = tree.xpath(prune._HIDDEN_XPATH)
    assert [e.tag for e in expected] == ["div", "div", "span", "span", "p", "p", "p"]
    # From any element of the page, as the absolute XPath does.
    assert prune._hidden_candidates(body) == expected
    assert prune._hidden_candidates(tree) == expected


def test_marked_body_elements_match_the_xpath() -> None:
    tree = parse_html(
        """<html><body>
        <div class="post\tentry-content\n">a</div><div class="entry-contents">b</div>
        <section class="x  post-content">c</section><span class="post-content">d</span>
        <article class="main article-body">e</article><div id="story-body">f</div>
        <p itemprop="articleBody">g</p><div data-testid="article-body">h</div>
        <div class="my-entry-content">i</div><div class="post-contented">j</div>
        </body></html>"""
    )
    expected = tree.xpath(body_area._BODY_XPATH)
    assert [e.text for e in expected] == ["a", "c", "e", "f", "g", "h"]
    assert body_area._marked_body_elements(tree) == expected


@pytest.mark.parametrize(
    "text",
    ["  a \n\t b\xa0c\u2003d\u3000 ", "\x1c\x1d\x1e\x1f\x85 sep", "zero\u200bwidth", "", "x"],
)
def test_clean_text_is_the_regex_collapse(text: str) -> None:
    assert clean_text(text) == re.sub(r"\s+", " ", text).strip()


def test_measure_counts_only_visible_text() -> None:
    # Indentation between tags adds nothing; text and commas around it still count.
    root = parse_html(
        "<html><body><div>\n  <p>One, two,\n three</p>\n  <a href='/x'> Link, </a>\n</div>"
        "</body></html>"
    ).find("body")
    stats = measure.measure(root)
    div = stats[root.find("div")]
    assert (div.chars, div.link_chars, div.commas) == (len("One, two,\n three") + 5, 5, 1)
    assert stats[root.find(".//p")].commas == 2


@pytest.mark.parametrize(
    ("token", "word"),
    [("commentList", "comment-list"), ("comment-list", "comment-list"), ("Kommentare", "kommentare"),
     ("c3PO", "c3-po"), ("123", "123"), ("réactions", "réactions")],
)  # fmt: skip
def test_word_token(token: str, word: str) -> None:
    assert areas.word_token(token) == word


def test_comment_chrome_matches_the_xpath() -> None:
    """`comments.text._chrome` is the XPath it replaced: control tags, and classes naming a
    control as a whole word or holding a reply/edit part."""
    chrome_xpath = (
        ".//form | .//button | .//input | .//textarea | .//select | .//script | .//style"
        " | .//noscript | .//*[contains(@class,'comment-reply') or contains(@class,'reply-link')"
        " or contains(@class,'in-reply-to') or contains(@class,'reply-to')"
        " or contains(@class,'awaiting-moderation') or contains(@class,'edit-link')]"
        " | .//*[" + " or ".join(text.has_class(w) for w in text._CHROME_WORDS) + "]"
    )
    tree = parse_html(
        """<html><body><div id="c"><p>Kept words</p><form><input><button>Go</button></form>
        <div class="comment-reply-link">Reply</div><span class="Reply">not a control</span>
        <span class="x\treply\ny">Reply</span><span class="replying">kept</span>
        <div class="comment-meta"><a class="edit-link-x">Edit</a></div><!-- c -->
        <p class="votes up">3</p><p class="upvotes">kept</p><script>x()</script>
        </div></body></html>"""
    )
    root = tree.get_element_by_id("c")
    expected = root.xpath(chrome_xpath)
    assert len(expected) == 9
    assert text._chrome(root) == expected


def test_whole_page_queries_in_one_step_match_their_unions() -> None:
    """Queries over the whole page are one `/descendant::` step, not a union of `//` paths:
    libxml2 merges a union's node sets in quadratic time (a page of 10,000 comments)."""
    tree = parse_html(
        """<html><body><p><strong>A B</strong> <b>x</b><strong>2nd</strong></p>
        <span itemprop="author">Ann</span><a rel="author" href="/u">Bo</a>
        <div class="post-author">Cy</div><a href="/author/dee">Dee</a><p class="byline">E</p>
        <time datetime="2024-01-02">Jan 2</time><meta itemprop="datePublished" content="x">
        <ul class="comment-list"><li>c</li></ul><ol id="commentlist"></ol><div id="respond"></div>
        <form action="/wp-comments-post.php"></form><div class="comments-area"></div>
        <p><b>first</b><b>second</b></p></body></html>"""
    )
    unions = [
        (
            '//*[@itemprop="author"] | //a[@rel="author"] | //*[contains(@class,"uthor")'
            ' or contains(@class,"yline") or contains(@class,"ontributor")][not(self::body or'
            ' self::html)] | //a[contains(@href,"/autoren/") or contains(@href,"/author/") or'
            ' contains(@href,"/autor/")]',
            authors._BYLINE_XPATH,
            5,
        ),
        ("//p/strong[1] | //p/b[1]", authors._LEAD_BOLD, 3),
        (
            '//*[@itemprop="datePublished" or @itemprop="dateModified"] | //time[@datetime]',
            metadata._MARKED,
            2,
        ),
        (
            f"//ol[{markup._WP_LIST_TEST}] | //ul[{markup._WP_LIST_TEST}]",
            markup._WP_LISTS,
            2,
        ),
        (
            "//form[contains(@action,'wp-comments-post.php')] | //*[@id='respond' or"
            " @id='comments'] | //*[contains(concat(' ',normalize-space(@class),' '),"
            "' comments-area ')]",
            api._COMMENTS_OPEN,
            3,
        ),
    ]
    for union, one_step, count in unions:
        expected = tree.xpath(union)
        assert len(expected) == count, union
        assert xpath(tree, one_step) == expected


def test_classed_matches_the_lower_cased_class_xpath() -> None:
    """`document.classed` is ``.//*[contains(translate(@class, A-Z, a-z), part) or ...]``:
    ASCII case folded only, parts matched anywhere in the class, the root left out."""
    lower = "translate(@class,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')"
    parts = ("author", "user-name", "date")
    tree = parse_html(
        """<html><body><div class="author" id="root"><span class="commentAuthor">a</span>
        <span class="MtnUser-Name">b</span><span class="updated">c</span><!-- x -->
        <span class="DATE">d</span><span class="AUTHÖR">e</span><span>f</span>
        <p class="x"><b class="by-author">g</b></p></div></body></html>"""
    )
    root = tree.get_element_by_id("root")
    expected = root.xpath(".//*[" + " or ".join(f"contains({lower},'{p}')" for p in parts) + "]")
    assert [e.text for e in expected] == ["a", "b", "c", "d", "g"]  # "updated" holds "date"
    assert classed(root, parts) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Share this article",
        "Advertisement",
        "Read also: the council's vote",
        "Stand: 08.07.2026 05:00 Uhr",
        "(AFP)",
        "A paragraph about a town council vote on Tuesday, with a comma.",
        "",
        "x" * lines.LINE_FILTER_MAX_CHARS,
    ],
)
def test_line_hits_are_the_filters_answers(line: str) -> None:
    # The cached answers are what each filter says, and is_story_line reads them the same way.
    plain = tuple(bool(hit(line)) for _, hit in lines.LINE_FILTERS)
    assert lines.line_hits(line) == plain
    assert lines.is_story_line(line) is (not any(plain))


def test_prompt_answer_is_kept_on_the_stats() -> None:
    from newscrawl.extract.body import paragraphs

    root = parse_html(
        "<html><body><div><p>Sign in to continue reading this story.</p></div></body></html>"
    ).find("body")
    p = root.find(".//p")
    s = measure.measure(root)[p]
    assert s.prompt is None
    assert paragraphs._prompted(p, s) is lines.has_prompt(p.text_content()) is True
    s.prompt = False  # the kept answer is read, not worked out again
    assert paragraphs._prompted(p, s) is False


def test_paired_counts_each_common_block_once_and_caps_it() -> None:
    from newscrawl.extract.related import adjacent
    from newscrawl.extract.thresholds import ADJACENT_PAIR_MAX_LINKS

    def page(extra: int) -> tuple:
        others = "".join(f"<a href='/o{i}'>o</a>" for i in range(extra))
        tree = parse_html(
            f"<html><body><nav><span class='prev'><a href='/a'>A</a></span>{others}"
            "<span class='next'><a href='/b'>B</a></span></nav></body></html>"
        )
        return tree.find(".//span[@class='prev']"), tree.find(".//span[@class='next']"), tree

    for extra, expected in [(ADJACENT_PAIR_MAX_LINKS - 2, True), (ADJACENT_PAIR_MAX_LINKS, False)]:
        prev, nxt, tree = page(extra)
        counts: dict = {}
        assert adjacent._paired(prev, nxt, counts) is expected
        nav = tree.find(".//nav")
        assert counts == {nav: min(extra + 2, ADJACENT_PAIR_MAX_LINKS + 1)}
        counts[nav] = 0  # a second pair under the same block reads the kept count
        assert adjacent._paired(prev, nxt, counts) is True


def test_outside_skipped_is_the_ancestor_test() -> None:
    from newscrawl.extract.comments import items

    tree = parse_html(
        "<html><body><div id='zone'><ol><li>a<form><li>in form</li></form></li>"
        "<li><nav><ul><li>menu</li></ul></nav><p>b</p></li><button><span>x</span></button>"
        "</ol><div><script>s</script><p>c<noscript><p>n</p></noscript></p></div></div>"
        "</body></html>"
    )
    zone = tree.get_element_by_id("zone")
    lis = tuple(zone.iter("li"))
    for scope in (None, lis, (lis[1], lis[2], zone.find("div"))):
        expected = [
            e
            for e in items._area_elements(zone, scope)
            if not any(a.tag in areas.SKIP_TAGS for a in items.ancestors_until(e, zone))
        ]
        assert list(items._outside_skipped(zone, scope)) == expected
