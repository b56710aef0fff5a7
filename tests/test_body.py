"""The generic body extractor (DOM scorer + referee) on small pages written for the test."""

from __future__ import annotations

import json

import pytest

from newscrawl.extract import body as body_module
from newscrawl.extract import extract_page, models, parse_html
from newscrawl.extract.body import lines, prune, referee, scorer

URL = "https://news.example.org/2025/03/story"
PROSE = [
    "The river rose by two metres overnight, and the town council met at dawn to decide "
    "whether the old bridge should close before the morning traffic began.",
    "Engineers, who had warned about the bridge for years, said the supports were sound, "
    "but they asked for sandbags along the east bank, where the water is highest.",
    "By noon, volunteers had filled four thousand bags, a record for the town, and the "
    "school gym had opened as a shelter for families from the lower streets.",
    "The weather service expects the water to fall again on Thursday, although more rain "
    "is forecast for the weekend, so the council will meet again on Friday morning.",
]


def story(extra_inside: str = "", extra_outside: str = "", heading: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PROSE[:2])
    paragraphs += heading + "".join(f"<p>{p}</p>" for p in PROSE[2:])
    return (
        "<html><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/world'>World</a></li></ul></nav>"
        f"<div class='layout'><div class='article-body'><h1>River rises</h1>{paragraphs}"
        f"{extra_inside}</div>"
        "<div class='sidebar'><h3>Most read</h3><ul>"
        + "".join(f"<li><a href='/s{i}'>Another story number {i} here</a></li>" for i in range(8))
        + f"</ul></div></div>{extra_outside}<footer>© Example 2025</footer></body></html>"
    )


def paragraphs_of(html: str) -> list[str]:
    body = extract_page(html, URL, profile=False).article.body
    return body.split("\n\n") if body else []


def test_paragraphs_kept_in_order_and_chrome_left_out() -> None:
    inside = (
        "<figure><img src='a.jpg'><figcaption>The bridge at dawn. Photo: A. Ruiz</figcaption>"
        "</figure>"
        "<div class='share-bar'><a href='#'>Share on X</a><a href='#'>Share by e-mail</a></div>"
        "<div class='newsletter-signup'><p>Get our morning briefing every day in your inbox, "
        "free of charge.</p><button>Sign up</button></div>"
        "<aside class='related'><h4>Read also</h4><a href='/x'>Earlier floods in the town "
        "and what they cost</a></aside>"
    )
    assert paragraphs_of(story(inside)) == PROSE


def test_subheadings_kept_title_h1_left_out() -> None:
    paragraphs = paragraphs_of(story(heading="<h2>What happens next</h2>"))
    assert paragraphs == PROSE[:2] + ["What happens next"] + PROSE[2:]
    assert "River rises" not in paragraphs


def test_text_split_around_an_ad_is_merged() -> None:
    html = (
        "<html><body><main><div class='chunk'>"
        + "".join(f"<p>{p}</p>" for p in PROSE[:2])
        + "</div><div class='ad-slot'><a href='https://ads.example.com'>Buy now</a></div>"
        "<div class='chunk'>"
        + "".join(f"<p>{p}</p>" for p in PROSE[2:])
        + "</div></main></body></html>"
    )
    assert paragraphs_of(html) == PROSE


def test_streamed_hidden_block_kept_small_hidden_block_dropped() -> None:
    html = (
        "<html><body><div hidden id='S:1'><article>"
        + "".join(f"<p>{p}</p>" for p in PROSE * 2)
        + "</article></div><div style='display:none'><p>Your browser is out of date, please "
        "update it to read this site.</p></div></body></html>"
    )
    paragraphs = paragraphs_of(html)
    assert paragraphs[:4] == PROSE
    assert not any("browser" in p for p in paragraphs)


def test_article_inside_unclosed_nav_is_not_dropped() -> None:
    html = "<html><body><nav><a href='/'>Home</a><div class='post'>" + "".join(
        f"<p>{p}</p>"
        for p in PROSE * 6  # a long story, as on the real page this mimics
    )
    assert paragraphs_of(html)[:4] == PROSE


def test_article_body_from_jsonld_when_it_extends_the_page() -> None:
    full = "\n".join(PROSE + [p.replace("town", "city") for p in PROSE])
    ld = {"@type": "NewsArticle", "headline": "River rises", "articleBody": full}
    html = (
        f"<html><head><script type='application/ld+json'>{json.dumps(ld)}</script></head>"
        f"<body><article><h1>River rises</h1><p>{PROSE[0]}</p><p>{PROSE[1]}</p>"
        "<p>Subscribe to read the rest.</p></article></body></html>"
    )
    assert paragraphs_of(html) == full.split("\n")


def test_article_body_from_jsonld_ignored_when_it_tells_another_story() -> None:
    other = " ".join(f"Unrelated sentence number {i} about a football match." for i in range(60))
    ld = {"@type": "NewsArticle", "headline": "River rises", "articleBody": other}
    html = (
        f"<html><head><script type='application/ld+json'>{json.dumps(ld)}</script></head>"
        + story()[len("<html>") :]
    )
    assert paragraphs_of(html) == PROSE


def test_trafilatura_not_asked_when_both_methods_agree(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("the referee should not run on a clear page")

    monkeypatch.setattr(referee, "trafilatura_body", fail)
    assert paragraphs_of(story()) == PROSE


def test_referee_decides_when_methods_disagree(monkeypatch) -> None:
    calls = []

    def judge(tree, url):
        calls.append(url)
        return "\n\n".join(PROSE)

    monkeypatch.setattr(referee, "trafilatura_body", judge)
    monkeypatch.setattr(body_module, "AGREEMENT", 1.01)  # never trust agreement alone
    assert paragraphs_of(story()) == PROSE
    assert calls == [URL]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("one two three four five", "one two three four five", 1.0),
        ("one two three four five", "six seven eight nine ten", 0.0),
        ("", "one two three four", 0.0),
    ],
)
def test_similarity(first: str, second: str, expected: float) -> None:
    assert scorer.similarity(first, second) == pytest.approx(expected)


def test_extract_reports_confidence() -> None:
    tree = parse_html(story())
    prune.prune(tree)
    found = scorer.extract(tree)
    assert found.paragraphs == PROSE
    assert found.confidence == pytest.approx(1.0)


def dated(html: str, og_type: str) -> str:
    head = (
        f"<meta property='og:type' content='{og_type}'><meta property='og:title' content='River'>"
        "<meta property='article:published_time' content='2025-03-04T10:00:00+01:00'>"
    )
    return html.replace("<html>", f"<html><head>{head}</head>", 1)


LONGER = "".join(f"<p>{p.replace('town', 'city')}</p>" for p in PROSE)


def test_article_with_og_type_website_is_still_an_article() -> None:
    assert extract_page(dated(story(LONGER), "website"), URL, profile=False).is_article


@pytest.mark.parametrize(
    "url",
    [
        "https://news.example.org/",
        "https://news.example.org/world/",
        "https://news.example.org/tag/floods/",
        "https://news.example.org/world/page/2",
    ],
)
def test_listing_urls_are_not_articles(url: str) -> None:
    assert not extract_page(dated(story(LONGER), "website"), url, profile=False).is_article


def test_collection_page_is_not_an_article() -> None:
    """A declared CollectionPage of teasers. (The declared type alone does not decide: on the
    corpus, 23 articles declare a listing type, against 24 pages that are listings.)"""
    ld = {"@type": "CollectionPage", "name": "The best of 2025"}
    items = "".join(
        f"<article class='card'><h3><a href='/2025/0{i % 9 + 1}/story-{i}-about-things'>"
        f"Story number {i} about things that happened</a></h3>"
        f"<p>A short teaser of the story number {i}, two lines at most.</p>"
        f"<time datetime='2025-0{i % 9 + 1}-01'>1 Jan</time></article>"
        for i in range(14)
    )
    html = (
        "<html><head><title>The best of 2025 - News</title>"
        f"<script type='application/ld+json'>{json.dumps(ld)}</script></head>"
        "<body><nav><a href='/'>Home</a><a href='/world/'>World</a></nav>"
        f"<main><h1>The best of 2025</h1>{items}</main><footer>(c) News</footer></body></html>"
    )
    result = extract_page(html, "https://news.example.org/best-of-2025", profile=False)
    assert not result.is_article
    assert result.page_type == "listing"


def test_h1_after_prose_is_a_subheading_kept() -> None:
    paragraphs = paragraphs_of(story(heading="<h1>A second heading</h1>"))
    assert paragraphs == PROSE[:2] + ["A second heading"] + PROSE[2:]
    assert "River rises" not in paragraphs


def test_heading_anchor_id_is_not_a_chrome_name() -> None:
    heading = "<h2 id='nav-what-comes-next'>What comes next</h2>"
    assert "What comes next" in paragraphs_of(story(heading=heading))


def test_lead_above_the_main_block_comes_first() -> None:
    lead = (
        "A night of rising water left the lower town under a metre of mud, and the council "
        "now asks who pays for the clean-up."
    )
    html = story().replace(
        "<div class='layout'>",
        f"<div class='layout'><header><h1>River rises</h1><p class='article-lead'>{lead}</p>"
        "</header>",
    )
    assert paragraphs_of(html) == [lead] + PROSE


def test_jsonld_article_body_when_the_page_yields_a_scrap() -> None:
    full = "\n".join(PROSE + [p.replace("town", "city") for p in PROSE])
    ld = {"@type": "NewsArticle", "headline": "River rises", "articleBody": full}
    html = (
        f"<html><head><script type='application/ld+json'>{json.dumps(ld)}</script></head>"
        "<body><div class='teasers'><p>Other stories: football, weather and a long list of "
        "links that the page shows where its article should be.</p></div></body></html>"
    )
    assert paragraphs_of(html) == full.split("\n")


def test_mis_decoded_page_text_gives_way_to_clean_jsonld_body() -> None:
    damaged = [p.replace("e", "\ufffd", 3) for p in PROSE]
    ld = {"@type": "NewsArticle", "headline": "River rises", "articleBody": "\n".join(PROSE)}
    html = (
        f"<html><head><script type='application/ld+json'>{json.dumps(ld)}</script></head>"
        "<body><article><h1>River rises</h1>"
        + "".join(f"<p>{p}</p>" for p in damaged)
        + "</article></body></html>"
    )
    assert paragraphs_of(html) == PROSE


def test_clean_page_text_is_kept_when_jsonld_body_is_the_same_story() -> None:
    ld = {"@type": "NewsArticle", "headline": "River rises", "articleBody": "\n".join(PROSE)}
    html = (
        f"<html><head><script type='application/ld+json'>{json.dumps(ld)}</script></head>"
        + story(heading="<h2>What happens next</h2>")[len("<html>") :]
    )
    assert "What happens next" in paragraphs_of(html)


@pytest.mark.parametrize(
    "box",
    [
        "<div class='article-block'><div class='h2'>Register / sign in to unlock more "
        "articles</div><p>Create an account or sign in to continue with your reading "
        "experience.</p><ul><li>Access articles from across the country.</li>"
        "<li>Get email updates from your favourite authors.</li></ul></div>",
        "<div class='box'><p>Für 0.99 € können Sie diesen Artikel erwerben.</p>"
        "<p>Sie sind bereits Kunde? Dann melden Sie sich an.</p></div>",
        "<div class='embed'><p>Empfohlener redaktioneller Inhalt</p><p>Ich bin damit "
        "einverstanden, dass mir der externe Inhalt angezeigt wird.</p></div>",
        "<div class='gate'><p>この記事は会員限定です。</p><p>無料で登録できます。</p></div>",
        "<p>Il vous reste 57.09% de cet article à lire. La suite est réservée aux abonnés.</p>",
        "<p>An dieser Stelle finden Sie einen von unseren Redakteuren ausgewählten, externen "
        "Inhalt. Sie können sich hier den externen Inhalt mit einem Klick anzeigen lassen.</p>",
        "<p class='postmetadata'>Von admin am 21/02/2021. Abgelegt unter Welt. Sie können alle "
        "Antworten zu diesem Eintrag durch den RSS 2.0 Feed verfolgen. Kommentare und Pings "
        "sind derzeit geschlossen.</p>",
        "<p>Follow Example News on Google News and add us as a preferred source to get our "
        "news in your feeds.</p>",
    ],
)
def test_paywall_registration_and_consent_boxes_left_out(box: str) -> None:
    assert paragraphs_of(story(box)) == PROSE


def test_prose_that_mentions_an_account_is_kept() -> None:
    long_prose = (
        "The council said residents could register for flood support at the town hall, and "
        "officials who had already registered families from the lower streets said the list "
        "was growing. " * 6
    )
    assert long_prose.strip() in paragraphs_of(story(f"<p>{long_prose}</p>"))


def test_small_form_left_out_page_wrapping_form_kept() -> None:
    form = (
        "<form action='/signup'><p>Get our award-winning daily news email featuring "
        "exclusive stories.</p><p>Your email address</p><input name='email'></form>"
    )
    assert paragraphs_of(story(form)) == PROSE
    wrapped = (
        story()
        .replace("<body>", "<body><form id='aspnetForm'>")
        .replace("</body>", "</form></body>")
    )
    assert paragraphs_of(wrapped) == PROSE


def test_tailwind_not_prose_widget_left_out() -> None:
    widget = (
        "<div class='not-prose mb-12'><p>Every second Sunday: answers to questions about "
        "love and family, honest and close to everyday life.</p></div>"
    )
    assert paragraphs_of(story(widget)) == PROSE


def test_heading_with_nothing_after_it_left_out() -> None:
    tail = "<h3>More on this topic</h3>"
    assert paragraphs_of(story(tail)) == PROSE
    assert "What happens next" in paragraphs_of(story(heading="<h2>What happens next</h2>"))


@pytest.mark.parametrize(
    "line",
    [
        "Stand: 08.07.2026 05:00 Uhr",
        "12.12.2025, 05:07 Uhr",
        "Updated at 1:23 p.m.",
        "2 hours ago",
        "segunda-feira, 22 de janeiro de 2018 às 0:13",
        "Publié le 12 mars 2024 à 10h13",
        "Publicado el 3 de mayo de 2023",
    ],
)
def test_dateline_left_out(line: str) -> None:
    assert paragraphs_of(story(f"<p>{line}</p>")) == PROSE


@pytest.mark.parametrize(
    "line",
    ["24. März 2004, 19:49 | Genesis", "March 24, 2004 · Jane Roe", "12.03.2020 | Max Muster"],
)
def test_date_and_name_byline_left_out(line: str) -> None:
    assert paragraphs_of(story(f"<p>{line}</p>")) == PROSE


@pytest.mark.parametrize(
    "line",
    [
        "29 November 2018 | 20 January 2019",
        "On March 24, 2004 we met the band.",
        "Berlin, 24. März 2004 | Genesis",
        "Le 12 mars 2024, la ville a rouvert le pont.",
    ],
)
def test_date_range_and_sentence_with_a_date_kept(line: str) -> None:
    assert lines.trim([line]) == [line]


@pytest.mark.parametrize("line", ["Kommentare schreiben", "Leave a Reply", "Write a comment:"])
def test_comment_form_title_left_out(line: str) -> None:
    assert lines.trim([PROSE[0], line]) == [PROSE[0]]
    kept = "Write a comment about the budget and send it to the mayor."
    assert lines.trim([kept]) == [kept]


BIO = (
    "Jane Roe has reported on rivers and floods for twenty years, and she lives in the town "
    "with her two dogs and a boat she rarely takes out on the water."
)


@pytest.mark.parametrize(
    "box",
    [
        f'<div class="left relative" id="mvp-author-box-wrap"><div><p>{BIO}</p></div></div>',
        f'<div class="saboxplugin-wrap"><div class="saboxplugin-desc"><p>{BIO}</p></div></div>',
        f'<section class="about-the-author"><p>{BIO}</p></section>',
    ],
)
def test_author_bio_box_left_out(box: str) -> None:
    assert paragraphs_of(story(box)) == PROSE


def test_ratings_widget_left_out() -> None:
    widget = '<p><span class="post-ratings post-ratings-90871">(Noch keine Bewertungen)</span></p>'
    assert paragraphs_of(story(widget)) == PROSE


@pytest.mark.parametrize("line", ["4:14 p.m.", "9.30 A.M. / 7.00 P.M."])
def test_bare_clock_time_kept(line: str) -> None:
    assert lines.trim([line]) == [line]


@pytest.mark.parametrize(
    "line",
    ["mit dpa", "sak/Reuters", "Associated Press writer Jane Roe contributed to this report."],
)
def test_agency_credit_left_out(line: str) -> None:
    assert lines.trim([PROSE[0], line]) == [PROSE[0]]
    assert lines.trim(["Reuters reported the figures first, and others followed."]) != []


def undated(html: str) -> str:
    return html.replace("<html>", "<html><head><title>River</title></head>", 1)


def test_story_at_the_root_with_an_item_query_is_an_article() -> None:
    html = dated(story(LONGER), "article").replace("og:type", "x-type")  # no declared type
    assert extract_page(html, "https://blog.example.org/?p=2895", profile=False).is_article
    assert not extract_page(html, "https://blog.example.org/?page=2", profile=False).is_article
    assert not extract_page(html, "https://blog.example.org/", profile=False).is_article


def test_undated_prose_counts_as_an_article_only_at_a_url_naming_one_item() -> None:
    long_prose = "".join(f"<p>{p} {p} {p}</p>" for p in PROSE)
    html = undated(story(long_prose))
    item = "https://news.example.org/sport/311510-striker-ends-his-career.html"
    assert extract_page(html, item, profile=False).is_article
    assert not extract_page(
        html, "https://news.example.org/about/contact", profile=False
    ).is_article
    scrap = "<html><head><title>River</title></head><body><p>River rises again.</p></body></html>"
    assert not extract_page(scrap, item, profile=False).is_article  # under 30 words


def test_keyword_link_inside_a_sentence_is_kept() -> None:
    """A link whose class names chrome ("tag-link") is still part of the sentence around it."""
    sentence = (
        "<p>The former presenter <a class='tag-link' href='/tags/1'>Jane Roe</a> said on "
        "Monday that the council had known about the problem for years, and that the "
        "<a class='tag' href='/tags/2'>bridge</a> should have closed in the spring.</p>"
    )
    paragraphs = paragraphs_of(story(extra_inside=sentence))
    assert any(p.startswith("The former presenter Jane Roe said") for p in paragraphs)
    assert any("that the bridge should have closed" in p for p in paragraphs)


def test_next_story_scrolled_in_below_is_left_out() -> None:
    """Infinite-scroll pages stack the next `<article>` with the same template below: its
    text block is a cousin of the story's by name, but another story."""

    def article(title: str, texts: list[str]) -> str:
        paragraphs = "".join(f"<p>{t}</p>" for t in texts)
        return (
            f"<article><h1>{title}</h1><div class='wrap'><div class='body-text'>{paragraphs}"
            "</div></div></article>"
        )

    other = [p.replace("river", "lake").replace("bridge", "ferry") for p in PROSE[:2]]
    html = (
        "<html><body><main>"
        + article("River rises", PROSE)
        + "<div class='next'>"
        + article("Lake falls", other)
        + "</div></main></body></html>"
    )
    assert paragraphs_of(html) == PROSE


def test_paragraph_with_links_inside_its_sentence_is_kept() -> None:
    linked = (
        "<p><a href='/people/ann'>Ann Lee</a>'s mother, <a href='/s/1'>Doria, is said to be the "
        "only person the couple trusts with the children</a> when they are away.</p>"
    )
    read_more = "<p>Read more: <a href='/s/2'>The only person the couple trusts with kids</a></p>"
    paragraphs = paragraphs_of(story(extra_inside=linked + read_more))
    assert any(p.startswith("Ann Lee's mother, Doria") for p in paragraphs)
    assert not any("Read more" in p for p in paragraphs)


def test_digest_items_with_a_linked_first_sentence_are_kept() -> None:
    items = "".join(
        f"<li><strong><a href='/s/{i}'>Company {i} has bought a startup that once made maps "
        f"for the city's buses and for its trains</a>.</strong> The startup employs forty "
        f"people in three cities.</li>"
        for i in range(10)
    )
    paragraphs = paragraphs_of(story(extra_inside=f"<ul>{items}</ul>"))
    assert sum(1 for p in paragraphs if p.startswith("Company ")) == 10


def test_aria_hidden_paragraph_is_text_hidden_microdata_block_is_not() -> None:
    """Metered paywalls send locked paragraphs with aria-hidden; a display:none microdata
    block restates the story for robots and would double it."""
    locked = f"<p class='paywall' aria-hidden='true'>{PROSE[0].replace('river', 'canal')}</p>"
    microdata = (
        "<div style='display:none' itemscope itemtype='http://schema.org/NewsArticle'>"
        f"<div itemprop='articleBody'>{' '.join(PROSE * 3)}</div></div>"
    )
    paragraphs = paragraphs_of(story(extra_inside=locked, extra_outside=microdata))
    assert paragraphs.count(PROSE[0]) == 1
    assert any(p.startswith("The canal rose") for p in paragraphs)


def test_paragraph_left_open_around_a_widget_keeps_its_text() -> None:
    widget = (
        "<p>Speaking at the summit, the mayor said the town had never seen anything like it, "
        "and that she expected the repairs to take all summer."
        "<section class='most-popular'><h4>Most popular</h4><ul>"
        + "".join(f"<li><a href='/m{i}'>Popular story number {i}</a></li>" for i in range(12))
        + "</ul></section></p>"
    )
    tree = parse_html(story(extra_inside=widget))
    prune.prune(tree)
    paragraphs = scorer.extract(tree).paragraphs
    assert any(p.startswith("Speaking at the summit") for p in paragraphs)
    assert not any("Popular story" in p for p in paragraphs)


@pytest.mark.parametrize(
    "line",
    ["Related post: Pickled Brussels Sprouts Recipe", "Facebook Twitter Google+ Whatsapp"],
)
def test_related_post_line_and_share_labels_left_out(line: str) -> None:
    assert paragraphs_of(story(extra_inside=f"<p>{line}</p>")) == PROSE


def test_sentence_naming_social_networks_kept() -> None:
    line = "The council posted the warning on Facebook and Twitter before the bridge closed."
    assert line in paragraphs_of(story(extra_inside=f"<p>{line}</p>"))


def test_long_wordpress_caption_left_out() -> None:
    """A caption is never story text, however long (WordPress: div.wp-caption > p.wp-caption-text)."""
    caption = (
        "<div class='wp-caption alignnone'><img src='a.jpg'><p class='wp-caption-text'>"
        + "Volunteers fill sandbags along the east bank of the river in the early morning, "
        "while engineers inspect the supports of the old bridge, which the council may close "
        "before the morning traffic begins, on 4 March 2025. " * 3 + "(Photo: A. Ruiz)</p></div>"
    )
    assert paragraphs_of(story(extra_inside=caption)) == PROSE


def test_complementary_fact_box_left_out() -> None:
    """ARIA's role="complementary" marks an aside (a fact box) whatever its tag and class."""
    box = (
        "<amedia-factbox role='complementary' class='fact-box'><h3>Facts about floods</h3><ul>"
        + "".join(f"<li>{p.replace('river', 'stream')}</li>" for p in PROSE)
        + "</ul></amedia-factbox>"
    )
    assert paragraphs_of(story(extra_inside=box)) == PROSE


def test_hover_card_inside_a_sentence_left_out_sentence_kept() -> None:
    card = "".join(
        f"<a href='/s{i}'>Latest headline about the mayor number {i}</a>" for i in range(4)
    )
    sentence = (
        "<p><span style='font-weight: 400'>The town's mayor, <span class='rollover-people'>"
        "<a href='/people/ann-lee'>Ann Lee</a><span class='rollover-block'><span>"
        f"<img src='ann.jpg'><a href='/people/ann-lee'>Ann Lee</a>{card}</span></span></span>"
        ", said the bridge would reopen once the engineers had finished their work.</span></p>"
    )
    paragraphs = paragraphs_of(story(extra_inside=sentence))
    assert (
        "The town's mayor, Ann Lee, said the bridge would reopen once the engineers had "
        "finished their work." in paragraphs
    )
    assert not any("Latest headline" in p for p in paragraphs)


def test_swiper_carousel_of_teasers_left_out() -> None:
    slides = "".join(
        f"<div class='swiper-slide'><span class='rail__item-sub'>Teaser headline number {i} "
        "about another story on the site</span></div>"
        for i in range(6)
    )
    rail = f"<div class='rail'><div class='swiper-container'>{slides}</div></div>"
    assert paragraphs_of(story(extra_inside=rail)) == PROSE


def test_unrendered_shortcode_line_left_out() -> None:
    line = '[button link="https://example.org/submit/" type="big"] Send us YOUR review[/button]'
    assert paragraphs_of(story(extra_inside=f"<p>{line}</p>")) == PROSE


def test_phrase_of_linked_names_inside_a_sentence_kept() -> None:
    sentence = (
        "<p>The new board has five members, among them <span class='names'>"
        "<a href='/p/1'>Ann Lee</a>, <a href='/p/2'>Tom Li</a> and <a href='/p/3'>Eva Ruiz</a>"
        "</span>, who will meet for the first time on Friday to discuss the bridge.</p>"
    )
    paragraphs = paragraphs_of(story(extra_inside=sentence))
    assert any("among them Ann Lee, Tom Li and Eva Ruiz, who will meet" in p for p in paragraphs)


def test_data_table_rows_are_lines_layout_table_cells_are_paragraphs() -> None:
    """The rules' segmentation (the block model picks among the same lines)."""
    with models.use(models.ModelBundle()):
        _data_table_rows_are_lines()


def _data_table_rows_are_lines() -> None:
    table = (
        "<table><thead><tr><th>Pos</th><th>Player</th><th>Plays</th></tr></thead><tbody>"
        "<tr><td>DL</td><td>Larry Ogunjobi</td><td>63</td></tr>"
        "<tr><td>LB</td><td>Joe Schobert</td><td>74</td></tr></tbody></table>"
    )
    paragraphs = paragraphs_of(story(extra_inside=table))
    rows = [p for p in paragraphs if "|" in p]
    assert rows == ["Pos | Player | Plays", "DL | Larry Ogunjobi | 63", "LB | Joe Schobert | 74"]
    layout = f"<table><tr><td>{PROSE[0]} {PROSE[1]}</td><td>{PROSE[2]} {PROSE[3]}</td></tr></table>"
    html = f"<html><body><div class='article-body'><h1>River rises</h1>{layout}</div></body></html>"
    assert not any("|" in p for p in paragraphs_of(html))
