"""Small fake news sites in the shapes onboarding meets: WordPress, Ghost, Drupal, a site with
only a sitemap index, one with only a Google News sitemap, one with neither (listing pages only).

Why: `newscrawl add-site` and the generic spider's discovery are only worth what they find on
sites built the way real ones are, and tests never touch the real web. Each shape writes its
pages, feeds, sitemaps and robots.txt the way its CMS does (WordPress core sitemaps and REST API,
Ghost's ``/rss/`` and sitemap index, Drupal's ``/rss.xml`` and an unannounced ``/sitemap.xml``)
and knows its own ground truth: which URLs are articles, which are not, what it announces.
Every shape keeps part of its archive off the home page, so only discovery (or pagination)
reaches it. Serve one with `ShapeSite.serve` (a `SampleSite` with the site's API handlers).
"""

from __future__ import annotations

import html
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

from .apis import WordPressComments
from .server import Answer, SampleSite, json_answer

SHAPES = ("wordpress", "ghost", "drupal", "sitemap-index", "news-sitemap", "listing")
NOW = datetime(2025, 3, 20, 9, 30, tzinfo=timezone.utc)
_SECTIONS = ("hardware", "software", "security")
_AUTHORS = ("Ada Lin", "Ben Okafor", "Chloé Martin", "Dev Patel")
_COMPANIES = ("Lumen Silicon", "HelixDB", "Vantage Cloud", "Nimbus Labs", "Orbit Systems",
              "Quanta Networks", "Kestrel Security", "Polar Compute")  # fmt: skip
_ACTIONS = ("unveils", "delays", "open-sources", "patches", "prices", "ships", "recalls",
            "benchmarks")  # fmt: skip
_THINGS = ("a 3 nm laptop chip", "its vector database", "a sovereign cloud region",
           "a kernel driver flaw", "the next GPU line", "a passkey manager",
           "an edge inference box", "a storage controller")  # fmt: skip
_SENTENCES = (
    "Engineers who tested early units said the results matched the claims made on stage.",
    "The company did not say how many customers were affected or when a fix would ship.",
    "Analysts expect rivals to answer within months, as prices for the parts keep falling.",
    "Developers can try the release today, though several features stay behind a flag.",
    "Regulators in two countries have asked for details about how user data is handled.",
    "The team published its benchmark scripts so that others can reproduce the numbers.",
    "Suppliers warned that demand for memory and packaging could slow deliveries this year.",
    "A spokesperson said the decision followed months of feedback from enterprise buyers.",
    "Independent researchers found the issue while auditing the firmware of older models.",
    "Pricing starts lower than the previous generation, but the top model costs more.",
)
_READERS = ("sam", "rita_k", "jdoe", "m.ortiz", "leo")
_Handler = Callable[[str, dict[str, list[str]]], "Answer | None"]


@dataclass
class Comment:
    id: int
    author: str
    published: datetime
    text: str
    parent: int | None = None


@dataclass
class Story:
    number: int
    title: str
    slug: str
    author: str
    section: str
    tags: tuple[str, ...]
    published: datetime
    paragraphs: list[str]
    comments: list[Comment] = field(default_factory=list)

    @property
    def post_id(self) -> int:
        return 100 + self.number

    @property
    def excerpt(self) -> str:
        return self.paragraphs[0].split(". ")[0].rstrip(".") + "."


@dataclass
class ShapeSite:
    """A written fake site and what it holds."""

    shape: str
    origin: str
    root: Path
    stories: list[Story]  # newest first
    article_path: Callable[[Story], str]
    non_articles: list[str]  # URLs of pages that are not articles (listings, static pages)
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # as robots.txt or the CMS announce them
    news_sitemap: bool = False
    cms: str | None = None
    comments: str = "none"  # "html", "disqus" or "none"
    handlers: dict[str, _Handler] = field(default_factory=dict)
    on_home: int = 0  # stories linked from the home page itself

    def url(self, story: Story) -> str:
        return self.origin + self.article_path(story)

    @property
    def article_urls(self) -> list[str]:
        return [self.url(s) for s in self.stories]

    @property
    def host(self) -> str:
        return urlsplit(self.origin).hostname or ""

    def serve(self) -> SampleSite:
        """A started `SampleSite` for this site (stop it when done)."""
        server = SampleSite(self.root)
        server.handlers.update(self.handlers)
        return server.start()


# --- content -------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def make_stories(count: int = 12, seed: int = 16, comments: bool = False) -> list[Story]:
    """`count` stories, one a day back from `NOW`, newest first; every third one with comments."""
    rng = random.Random(seed)
    stories = []
    for number in range(count):
        company = _COMPANIES[number % len(_COMPANIES)]
        action = _ACTIONS[(number * 3 + number // len(_COMPANIES)) % len(_ACTIONS)]
        thing = _THINGS[(number * 5) % len(_THINGS)]
        title = f"{company} {action} {thing}"
        section = _SECTIONS[number % len(_SECTIONS)]
        paragraphs = [
            " ".join(rng.sample(_SENTENCES, 3)) + f" {company} is based in {rng.choice(('Lyon', 'Austin', 'Leeds', 'Kyoto'))}."
            for _ in range(4)
        ]  # fmt: skip
        story = Story(
            number, title, _slug(title), _AUTHORS[number % len(_AUTHORS)], section,
            (company, section.capitalize() + " news"),
            NOW - timedelta(days=number, hours=number), paragraphs,
        )  # fmt: skip
        if comments and number % 3 == 0:
            for position in range(3):
                story.comments.append(
                    Comment(900 + number * 10 + position, _READERS[(number + position) % 5],
                            story.published + timedelta(hours=position + 2),
                            rng.choice(_SENTENCES), 900 + number * 10 if position == 2 else None)
                )  # fmt: skip
        stories.append(story)
    assert len({s.slug for s in stories}) == count, "story titles must differ"
    return stories


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _paragraphs(story: Story) -> str:
    return "\n".join(f"<p>{_e(p)}</p>" for p in story.paragraphs)


def _write(root: Path, path: str, text: str) -> None:
    """Write the file that serves URL `path` (``/a/`` → ``a/index.html``)."""
    clean = path.strip("/")
    if not clean:
        target = root / "index.html"
    elif path.endswith("/"):
        target = root / clean / "index.html"
    else:
        target = root / clean
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _rss(title: str, origin: str, items: list[tuple[str, Story]]) -> str:
    entries = "\n".join(
        f'<item><title>{_e(s.title)}</title><link>{url}</link><guid isPermaLink="true">{url}</guid>'
        f"<pubDate>{format_datetime(s.published)}</pubDate><dc:creator>{_e(s.author)}</dc:creator>"
        f"<description>{_e(s.excerpt)}</description></item>"
        for url, s in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{_e(title)}</title><link>{origin}/</link><description>{_e(title)}</description>\n"
        f"{entries}\n</channel></rss>\n"
    )


def _urlset(urls: list[tuple[str, datetime | None]]) -> str:
    rows = "\n".join(
        f"<url><loc>{u}</loc>" + (f"<lastmod>{d.isoformat()}</lastmod>" if d else "") + "</url>"
        for u, d in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
        f'sitemap/0.9">\n{rows}\n</urlset>\n'
    )


def _index(children: list[tuple[str, datetime | None]]) -> str:
    rows = "\n".join(
        f"<sitemap><loc>{u}</loc>"
        + (f"<lastmod>{d.isoformat()}</lastmod>" if d else "")
        + "</sitemap>"
        for u, d in children
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/'
        f'schemas/sitemap/0.9">\n{rows}\n</sitemapindex>\n'
    )


def _news_sitemap(name: str, items: list[tuple[str, Story]]) -> str:
    rows = "\n".join(
        f"<url><loc>{u}</loc><news:news><news:publication><news:name>{_e(name)}</news:name>"
        "<news:language>en</news:language></news:publication>"
        f"<news:publication_date>{s.published.isoformat()}</news:publication_date>"
        f"<news:title>{_e(s.title)}</news:title></news:news></url>"
        for u, s in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
        'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        f"{rows}\n</urlset>\n"
    )


def _teasers(site: ShapeSite, stories: list[Story]) -> str:
    return "\n".join(
        f'<li class="teaser"><h2><a href="{site.url(s)}">{_e(s.title)}</a></h2></li>'
        for s in stories
    )


def _listing_page(site: ShapeSite, name: str, heading: str, stories: list[Story], extra_head: str,
                  nav: str, next_url: str | None, prev_url: str | None) -> str:  # fmt: skip
    head_links = (f'<link rel="next" href="{next_url}">' if next_url else "") + (
        f'<link rel="prev" href="{prev_url}">' if prev_url else ""
    )
    pager = (
        f'<a class="next" rel="next" href="{next_url}">Older posts</a>' if next_url else ""
    ) + (f'<a class="prev" rel="prev" href="{prev_url}">Newer posts</a>' if prev_url else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(heading)} – {_e(name)}</title>
<meta property="og:type" content="website"><meta property="og:site_name" content="{_e(name)}">
{extra_head}{head_links}</head>
<body class="archive"><header class="site-header"><a href="{site.origin}/">{_e(name)}</a>
<nav class="main-nav">{nav}</nav></header>
<main><h1 class="page-title">{_e(heading)}</h1><ul class="posts">
{_teasers(site, stories)}
</ul><nav class="pagination">{pager}</nav></main>
<footer class="site-footer"><a href="{site.origin}/about/">About</a></footer></body></html>
"""


def _static_page(site: ShapeSite, name: str, title: str, extra_head: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(title)} – {_e(name)}</title>
<meta property="og:type" content="website">{extra_head}</head>
<body class="page"><header><a href="{site.origin}/">{_e(name)}</a></header>
<main><h1>{_e(title)}</h1><p>{_e(name)} is a fictional technology newsroom used to test a
crawler. Write to the desk for corrections.</p></main></body></html>
"""


def _paginate(site: ShapeSite, name: str, per_page: int, page_url: Callable[[int], str],
              extra_head: str, nav: str, heading: str = "Latest news") -> None:  # fmt: skip
    """The home page and its pagination; every page URL is a non-article."""
    pages = [site.stories[i : i + per_page] for i in range(0, len(site.stories), per_page)]
    for number, chunk in enumerate(pages, start=1):
        url = page_url(number)
        next_url = page_url(number + 1) if number < len(pages) else None
        prev_url = page_url(number - 1) if number > 1 else None
        text = _listing_page(site, name, heading, chunk, extra_head, nav, next_url, prev_url)
        if number > 1:
            site.non_articles.append(url)
        _write(site.root, urlsplit(url).path, text)
    site.on_home = len(pages[0])


# --- WordPress ------------------------------------------------------------------------------------


def _wordpress(root: Path) -> ShapeSite:
    origin = "https://wpnews.example"
    name = "WP News"
    site = ShapeSite("wordpress", origin, root, make_stories(comments=True),
                     lambda s: f"/{s.published:%Y/%m/%d}/{s.slug}/", [f"{origin}/"],
                     feeds=[f"{origin}/feed/"], sitemaps=[f"{origin}/wp-sitemap.xml"],
                     cms="WordPress", comments="html")  # fmt: skip
    wp_head = (
        '<meta name="generator" content="WordPress 6.5.2">\n'
        f"<link rel='stylesheet' href='{origin}/wp-content/themes/newsline/style.css?ver=6.5.2'>\n"
        f'<link rel="alternate" type="application/rss+xml" title="{name} &raquo; Feed" href="{origin}/feed/">\n'
        f'<link rel="alternate" type="application/rss+xml" title="{name} &raquo; Comments Feed" href="{origin}/comments/feed/">\n'
        f'<link rel="https://api.w.org/" href="{origin}/wp-json/">\n'
    )
    nav = " ".join(f'<a href="{origin}/category/{s}/">{s.capitalize()}</a>' for s in _SECTIONS)
    nav += f' <a href="{origin}/about/">About</a>'
    _paginate(
        site, name, 5, lambda n: f"{origin}/" if n == 1 else f"{origin}/page/{n}/", wp_head, nav
    )
    for index, story in enumerate(site.stories):
        url = site.url(story)
        newer = site.stories[index - 1] if index else None
        older = site.stories[index + 1] if index + 1 < len(site.stories) else None
        post_nav = "".join(
            f'<div class="nav-{k}"><a href="{site.url(s)}">{_e(s.title)}</a></div>'
            for k, s in (("previous", older), ("next", newer)) if s
        )  # fmt: skip
        tags = " ".join(
            f'<a href="{origin}/tag/{_slug(t)}/" rel="tag">{_e(t)}</a>' for t in story.tags
        )
        page = f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8">
<title>{_e(story.title)} &#8211; {name}</title>
{wp_head}<link rel="alternate" type="application/rss+xml" title="{name} &raquo; {_e(story.title)} Comments Feed" href="{url}feed/">
<link rel="alternate" type="application/json" href="{origin}/wp-json/wp/v2/posts/{story.post_id}">
<link rel="canonical" href="{url}">
<link rel='shortlink' href='{origin}/?p={story.post_id}'>
<meta property="og:type" content="article"><meta property="og:title" content="{_e(story.title)}">
<meta property="og:site_name" content="{name}"><meta property="og:url" content="{url}">
<meta property="article:published_time" content="{story.published.isoformat()}">
<meta property="article:section" content="{story.section.capitalize()}">
</head>
<body class="post-template-default single single-post postid-{story.post_id}">
<header class="site-header"><a href="{origin}/" rel="home">{name}</a><nav class="main-navigation">{nav}</nav></header>
<main id="main"><article id="post-{story.post_id}" class="post-{story.post_id} post type-post status-publish">
<header class="entry-header"><h1 class="entry-title">{_e(story.title)}</h1>
<div class="entry-meta">By <a class="url fn n" rel="author" href="{origin}/author/{_slug(story.author)}/">{_e(story.author)}</a>
<time class="entry-date published" datetime="{story.published.isoformat()}">{story.published:%B %d, %Y}</time></div></header>
<div class="entry-content">
{_paragraphs(story)}
</div>
<footer class="entry-footer"><span class="cat-links"><a href="{origin}/category/{story.section}/" rel="category tag">{story.section.capitalize()}</a></span>
<span class="tags-links">{tags}</span></footer>
</article>
<nav class="navigation post-navigation" aria-label="Posts"><div class="nav-links">{post_nav}</div></nav>
<div id="comments" class="comments-area">
{_wp_comments(story)}
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form action="{origin}/wp-comments-post.php" method="post" id="commentform" class="comment-form"><textarea id="comment" name="comment"></textarea>
<input name="submit" type="submit" id="submit" class="submit" value="Post Comment"></form></div>
</div></main>
<footer class="site-footer"><a href="{origin}/about/">About</a></footer>
</body></html>
"""
        _write(root, site.article_path(story), page)
    for section in _SECTIONS:
        chunk = [s for s in site.stories if s.section == section][:5]
        _write(
            root,
            f"/category/{section}/",
            _listing_page(site, name, section.capitalize(), chunk, wp_head, nav, None, None),
        )
        site.non_articles.append(f"{origin}/category/{section}/")
    for tag in sorted({t for s in site.stories for t in s.tags})[:4]:
        chunk = [s for s in site.stories if tag in s.tags][:5]
        _write(
            root,
            f"/tag/{_slug(tag)}/",
            _listing_page(site, name, tag, chunk, wp_head, nav, None, None),
        )
        site.non_articles.append(f"{origin}/tag/{_slug(tag)}/")
    for author in _AUTHORS:
        chunk = [s for s in site.stories if s.author == author]
        _write(
            root,
            f"/author/{_slug(author)}/",
            _listing_page(site, name, author, chunk, wp_head, nav, None, None),
        )
        site.non_articles.append(f"{origin}/author/{_slug(author)}/")
    _write(root, "/about/", _static_page(site, name, "About", wp_head))
    site.non_articles.append(f"{origin}/about/")
    items = [(site.url(s), s) for s in site.stories[:10]]
    _write(root, "/feed/index.xml", _rss(name, origin, items))
    _write(root, "/robots.txt", "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
           f"Sitemap: {origin}/wp-sitemap.xml\n")  # fmt: skip
    _write(root, "/wp-sitemap.xml", _index([(f"{origin}/wp-sitemap-posts-post-1.xml", None),
        (f"{origin}/wp-sitemap-posts-page-1.xml", None), (f"{origin}/wp-sitemap-taxonomies-category-1.xml", None),
        (f"{origin}/wp-sitemap-users-1.xml", None)]))  # fmt: skip
    _write(
        root,
        "/wp-sitemap-posts-post-1.xml",
        _urlset([(site.url(s), s.published) for s in site.stories]),
    )
    _write(root, "/wp-sitemap-posts-page-1.xml", _urlset([(f"{origin}/about/", None)]))
    _write(root, "/wp-sitemap-taxonomies-category-1.xml",
           _urlset([(f"{origin}/category/{c}/", None) for c in _SECTIONS]))  # fmt: skip
    _write(root, "/wp-sitemap-users-1.xml",
           _urlset([(f"{origin}/author/{_slug(a)}/", None) for a in _AUTHORS]))  # fmt: skip
    comments = WordPressComments({str(s.post_id): [_wp_rest_comment(s, c) for c in s.comments]
                                  for s in site.stories})  # fmt: skip
    site.handlers["/wp-json"] = _wp_json(site, name, comments)
    return site


def _wp_comments(story: Story) -> str:
    if not story.comments:
        return ""

    def items(parent: int | None) -> str:
        out = []
        for c in story.comments:
            if c.parent != parent:
                continue
            children = items(c.id)
            out.append(
                f'<li id="comment-{c.id}" class="comment"><article id="div-comment-{c.id}" class="comment-body">'
                f'<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">{_e(c.author)}</b> <span class="says">says:</span></div>'
                f'<div class="comment-metadata"><a href="#comment-{c.id}"><time datetime="{c.published.isoformat()}">{c.published:%B %d, %Y at %H:%M}</time></a></div></footer>'
                f'<div class="comment-content"><p>{_e(c.text)}</p></div></article>'
                + (f'<ol class="children">{children}</ol>' if children else "")
                + "</li>"
            )
        return "\n".join(out)

    return (
        f'<h2 class="comments-title">{len(story.comments)} thoughts on &ldquo;{_e(story.title)}&rdquo;</h2>'
        f'<ol class="comment-list">{items(None)}</ol>'
    )


def _wp_rest_comment(story: Story, c: Comment) -> dict:
    utc = _gmt(c.published)
    return {"id": c.id, "post": story.post_id, "parent": c.parent or 0, "author_name": c.author,
            "date": utc, "date_gmt": utc, "content": {"rendered": f"<p>{_e(c.text)}</p>"}}  # fmt: skip


def _gmt(when: datetime) -> str:
    return when.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")


def _wp_json(site: ShapeSite, name: str, comments: WordPressComments) -> _Handler:
    """``/wp-json/`` (the REST index), ``/wp/v2/posts`` and ``/wp/v2/comments``, like WordPress."""

    def answer(path: str, query: dict[str, list[str]]) -> Answer | None:
        path = path.rstrip("/")
        if path == "/wp-json":
            return json_answer({"name": name, "url": site.origin, "namespaces": ["oembed/1.0", "wp/v2"],
                                "routes": {"/wp/v2/posts": {}, "/wp/v2/comments": {}}})  # fmt: skip
        if path == "/wp-json/wp/v2/comments":
            return comments(path, query)
        if path != "/wp-json/wp/v2/posts":
            return json_answer({"code": "rest_no_route"}, status=404)
        per_page = int(query.get("per_page", ["10"])[0])
        page = int(query.get("page", ["1"])[0])
        chunk = site.stories[(page - 1) * per_page : page * per_page]
        pages = max(1, -(-len(site.stories) // per_page))
        if page > pages:
            return json_answer({"code": "rest_post_invalid_page_number"}, status=400)
        data = [{"id": s.post_id, "link": site.url(s), "date_gmt": _gmt(s.published),
                 "modified_gmt": _gmt(s.published)} for s in chunk]  # fmt: skip
        headers = {"X-WP-Total": str(len(site.stories)), "X-WP-TotalPages": str(pages)}
        return json_answer(data, headers=headers)

    return answer


# --- Ghost ----------------------------------------------------------------------------------------


def _ghost(root: Path) -> ShapeSite:
    origin = "https://ghostnews.example"
    name = "Ghost News"
    site = ShapeSite("ghost", origin, root, make_stories(seed=7), lambda s: f"/{s.slug}/", [f"{origin}/"],
                     feeds=[f"{origin}/rss/"], sitemaps=[f"{origin}/sitemap.xml"], cms="Ghost",
                     comments="disqus")  # fmt: skip
    head = (
        '<meta name="generator" content="Ghost 5.82">\n'
        f'<link rel="alternate" type="application/rss+xml" title="{name}" href="{origin}/rss/">\n'
        f'<script defer src="https://cdn.jsdelivr.net/ghost/portal@~2.37/umd/portal.min.js" data-ghost="{origin}/" crossorigin="anonymous"></script>\n'
        f'<link rel="stylesheet" href="{origin}/assets/built/screen.css?v=5f1e2a">\n'
    )
    nav = (
        f'<ul class="nav"><li class="nav-home"><a href="{origin}/">Home</a></li>'
        + "".join(f'<li><a href="{origin}/tag/{s}/">{s.capitalize()}</a></li>' for s in _SECTIONS)
        + f'<li><a href="{origin}/about/">About</a></li></ul>'
    )
    _paginate(site, name, 5, lambda n: f"{origin}/" if n == 1 else f"{origin}/page/{n}/", head, nav)
    for index, story in enumerate(site.stories):
        url = site.url(story)
        more = [site.stories[(index + k) % len(site.stories)] for k in (1, 2, 3)]
        cards = "".join(
            f'<article class="post-card post"><a class="post-card-content-link" href="{site.url(s)}">'
            f'<header class="post-card-header"><h2 class="post-card-title">{_e(s.title)}</h2></header>'
            f'<div class="post-card-excerpt">{_e(s.excerpt)}</div></a></article>'
            for s in more
        )
        data = {"@context": "https://schema.org", "@type": "Article",
                "publisher": {"@type": "Organization", "name": name, "url": f"{origin}/"},
                "author": {"@type": "Person", "name": story.author, "url": f"{origin}/author/{_slug(story.author)}/"},
                "headline": story.title, "url": url, "datePublished": story.published.isoformat(),
                "dateModified": story.published.isoformat(), "keywords": ", ".join(story.tags),
                "description": story.excerpt, "mainEntityOfPage": url}  # fmt: skip
        page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{_e(story.title)}</title>
<link rel="canonical" href="{url}">
<meta name="description" content="{_e(story.excerpt)}">
<meta property="og:site_name" content="{name}"><meta property="og:type" content="article">
<meta property="og:title" content="{_e(story.title)}"><meta property="og:url" content="{url}">
<meta property="article:published_time" content="{story.published.isoformat()}">
<script type="application/ld+json">{json.dumps(data)}</script>
{head}</head>
<body class="post-template tag-{story.section}"><div class="viewport">
<header id="gh-head" class="gh-head outer"><a class="gh-head-logo" href="{origin}/">{name}</a><nav class="gh-head-menu">{nav}</nav></header>
<main id="site-main" class="site-main"><article class="article post tag-{story.section}">
<header class="article-header gh-canvas">
<section class="article-tag post-card-tags"><span class="post-card-primary-tag"><a href="{origin}/tag/{story.section}/">{story.section.capitalize()}</a></span></section>
<h1 class="article-title">{_e(story.title)}</h1>
<div class="article-byline"><div class="article-byline-meta"><h4 class="author-name"><a href="{origin}/author/{_slug(story.author)}/">{_e(story.author)}</a></h4>
<div class="byline-meta-content"><time class="byline-meta-date" datetime="{story.published:%Y-%m-%d}">{story.published:%b %d, %Y}</time></div></div></div>
</header>
<section class="gh-content gh-canvas">
{_paragraphs(story)}
</section></article>
<section class="article-comments gh-canvas"><div id="disqus_thread"></div>
<script>var disqus_config = function () {{ this.page.url = "{url}"; this.page.identifier = "ghost-{story.post_id}"; }};
(function() {{ var d = document, s = d.createElement('script'); s.src = 'https://ghostnews.disqus.com/embed.js'; s.setAttribute('data-timestamp', +new Date()); (d.head || d.body).appendChild(s); }})();</script></section>
<aside class="read-more-wrap outer"><div class="read-more inner">{cards}</div></aside>
</main><footer class="site-footer outer"><a href="{origin}/about/">About</a></footer></div></body></html>
"""
        _write(root, site.article_path(story), page)
    for section in _SECTIONS:
        chunk = [s for s in site.stories if s.section == section][:5]
        _write(
            root,
            f"/tag/{section}/",
            _listing_page(site, name, section.capitalize(), chunk, head, nav, None, None),
        )
        site.non_articles.append(f"{origin}/tag/{section}/")
    for author in _AUTHORS:
        chunk = [s for s in site.stories if s.author == author]
        _write(
            root,
            f"/author/{_slug(author)}/",
            _listing_page(site, name, author, chunk, head, nav, None, None),
        )
        site.non_articles.append(f"{origin}/author/{_slug(author)}/")
    _write(root, "/about/", _static_page(site, name, "About this site", head))
    site.non_articles.append(f"{origin}/about/")
    _write(root, "/rss/index.xml", _rss(name, origin, [(site.url(s), s) for s in site.stories[:8]]))
    _write(root, "/robots.txt", f"User-agent: *\nSitemap: {origin}/sitemap.xml\nDisallow: /ghost/\n"
           "Disallow: /email/\nDisallow: /members/api/comments/counts/\nDisallow: /r/\n")  # fmt: skip
    _write(root, "/sitemap.xml", _index([(f"{origin}/sitemap-pages.xml", None),
        (f"{origin}/sitemap-posts.xml", site.stories[0].published), (f"{origin}/sitemap-authors.xml", None),
        (f"{origin}/sitemap-tags.xml", None)]))  # fmt: skip
    _write(root, "/sitemap-pages.xml", _urlset([(f"{origin}/about/", None)]))
    _write(root, "/sitemap-posts.xml", _urlset([(site.url(s), s.published) for s in site.stories]))
    _write(
        root,
        "/sitemap-authors.xml",
        _urlset([(f"{origin}/author/{_slug(a)}/", None) for a in _AUTHORS]),
    )
    _write(root, "/sitemap-tags.xml", _urlset([(f"{origin}/tag/{s}/", None) for s in _SECTIONS]))
    return site


# --- Drupal ---------------------------------------------------------------------------------------


def _drupal(root: Path) -> ShapeSite:
    origin = "https://drupalnews.example"
    name = "Drupal News"
    site = ShapeSite("drupal", origin, root, make_stories(seed=3, comments=True), lambda s: f"/news/{s.slug}",
                     [f"{origin}/"], feeds=[f"{origin}/rss.xml"], sitemaps=[f"{origin}/sitemap.xml"],
                     cms="Drupal", comments="html")  # fmt: skip
    head = (
        '<meta name="Generator" content="Drupal 10 (https://www.drupal.org)">\n'
        '<meta name="MobileOptimized" content="width">\n'
        f'<link rel="alternate" type="application/rss+xml" title="{name}" href="{origin}/rss.xml">\n'
        f'<link rel="stylesheet" media="all" href="{origin}/sites/default/files/css/css_q1w2e3.css">\n'
    )
    nav = (
        '<ul class="menu">'
        + "".join(
            f'<li class="menu__item"><a href="{origin}/topics/{s}" class="menu__link">{s.capitalize()}</a></li>'
            for s in _SECTIONS
        )
        + f'<li class="menu__item"><a href="{origin}/about">About</a></li></ul>'
    )
    per_page = 5
    pages = [site.stories[i : i + per_page] for i in range(0, len(site.stories), per_page)]
    page_url = lambda n: f"{origin}/" if n == 0 else f"{origin}/?page={n}"  # noqa: E731 (Drupal's pager)
    rendered = {}
    for number, chunk in enumerate(pages):
        next_url = page_url(number + 1) if number + 1 < len(pages) else None
        prev_url = page_url(number - 1) if number else None
        rendered[number] = _listing_page(
            site, name, "Latest news", chunk, head, nav, next_url, prev_url
        )
        if number:
            site.non_articles.append(page_url(number))
    _write(root, "/", rendered[0])
    site.on_home = len(pages[0])

    def pager(path: str, query: dict[str, list[str]]) -> Answer | None:
        if path != "/" or "page" not in query:
            return None
        number = int(query["page"][0]) if query["page"][0].isdigit() else -1
        if number not in rendered:
            return Answer(404, "<html><body><h1>Page not found</h1></body></html>")
        return Answer(200, rendered[number])

    site.handlers["/"] = pager
    settings = json.dumps({"path": {"baseUrl": "/", "currentPath": "node"}})
    for story in site.stories:
        url = site.url(story)
        tags = "".join(
            f'<li class="field__item"><a href="{origin}/topics/{story.section}" hreflang="en">{_e(t)}</a></li>'
            for t in story.tags
        )
        page = f"""<!DOCTYPE html>
<html lang="en" dir="ltr"><head><meta charset="utf-8">
<title>{_e(story.title)} | {name}</title>
{head}<link rel="canonical" href="{url}"><link rel="shortlink" href="{origin}/node/{story.post_id}">
<script type="application/json" data-drupal-selector="drupal-settings-json">{settings}</script>
</head>
<body class="path-node page-node-type-article"><div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<header class="site-header"><a href="{origin}/" rel="home" class="site-branding__name">{name}</a><nav class="primary-nav">{nav}</nav></header>
<main role="main"><div class="region region--content">
<article data-history-node-id="{story.post_id}" class="node node--type-article node--promoted node--view-mode-full">
<header class="node__header"><h1 class="title page-title"><span class="field field--name-title">{_e(story.title)}</span></h1>
<div class="node__meta"><span class="field field--name-uid">By <span class="author">{_e(story.author)}</span></span>,
<span class="field field--name-created"><time datetime="{story.published.isoformat()}">{story.published:%a, %m/%d/%Y - %H:%M}</time></span></div></header>
<div class="node__content"><div class="text-content clearfix field field--name-body field--type-text-with-summary">
{_paragraphs(story)}
</div>
<div class="field field--name-field-tags field--type-entity-reference"><h3 class="field__label">Tags</h3><ul class="links field__items">{tags}</ul></div>
</div></article>
{_drupal_comments(story)}
</div></main>
<footer class="site-footer"><a href="{origin}/about">About</a></footer></div></body></html>
"""
        _write(root, site.article_path(story), page)
    for section in _SECTIONS:
        chunk = [s for s in site.stories if s.section == section][:5]
        _write(
            root,
            f"/topics/{section}",
            _listing_page(site, name, section.capitalize(), chunk, head, nav, None, None),
        )
        site.non_articles.append(f"{origin}/topics/{section}")
    _write(root, "/about", _static_page(site, name, "About", head))
    site.non_articles.append(f"{origin}/about")
    _write(root, "/rss.xml", _rss(name, origin, [(site.url(s), s) for s in site.stories[:10]]))
    _write(root, "/robots.txt", "#\n# robots.txt\n#\nUser-agent: *\n# CSS, JS, Images\nAllow: /core/*.css$\n"
           "Allow: /core/*.js$\n# Directories\nDisallow: /core/\nDisallow: /profiles/\n# Paths (clean URLs)\n"
           "Disallow: /admin/\nDisallow: /comment/reply/\nDisallow: /node/add/\nDisallow: /search/\n"
           "Disallow: /user/login\n")  # fmt: skip
    nodes = [(site.url(s), s.published) for s in site.stories] + [(f"{origin}/about", None)]
    nodes += [(f"{origin}/topics/{s}", None) for s in _SECTIONS]
    _write(root, "/sitemap.xml", _urlset(nodes))
    return site


def _drupal_comments(story: Story) -> str:
    if not story.comments:
        return ""

    def one(c: Comment) -> str:
        return (
            f'<a id="comment-{c.id}"></a>\n<div class="comment comment-by-anonymous clearfix" about="/comment/{c.id}#comment-{c.id}" typeof="sioc:Post sioct:Comment">'
            f'<div class="attribution"><div class="comment-submitted"><p class="commenter-name"><span class="username">{_e(c.author)}</span></p>'
            f'<p class="comment-time"><span property="dc:date dc:created" content="{c.published.isoformat()}">{c.published:%m/%d/%Y - %H:%M}</span></p></div></div>'
            f'<div class="content"><div class="field field-name-comment-body"><div class="field-items"><div class="field-item even" property="content:encoded"><p>{_e(c.text)}</p></div></div></div></div>'
            f'<ul class="links inline"><li class="comment-reply"><a href="/comment/reply/{story.post_id}/{c.id}">Reply</a></li></ul></div>'
        )

    def thread(parent: int | None) -> str:
        out = []
        for c in story.comments:
            if c.parent == parent:
                children = thread(c.id)
                out.append(one(c) + (f'<div class="indented">{children}</div>' if children else ""))
        return "\n".join(out)

    return (
        f'<section id="comments" class="comment-wrapper"><h2 class="title">Comments</h2>{thread(None)}'
        f'<h2 class="title comment-form">Add new comment</h2><form class="comment-form" action="/comment/reply/{story.post_id}" method="post">'
        '<textarea name="comment_body"></textarea><input type="submit" value="Save"></form></section>'
    )


# --- custom sites: a sitemap index only, a Google News sitemap only, listing pages only ------------


def _custom_article(site: ShapeSite, name: str, story: Story, nav: str, jsonld: bool) -> str:
    url = site.url(story)
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title,
            "datePublished": story.published.isoformat(), "author": [{"@type": "Person", "name": story.author}],
            "publisher": {"@type": "Organization", "name": name}, "articleSection": story.section.capitalize(),
            "mainEntityOfPage": url}  # fmt: skip
    meta = (
        f'<script type="application/ld+json">{json.dumps(data)}</script>'
        if jsonld
        else f'<meta property="og:type" content="article"><meta property="article:published_time" content="{story.published.isoformat()}">'
    )
    others = [s for s in site.stories if s is not story][: 3 + story.number % 2]
    more = "".join(f'<li><a href="{site.url(s)}">{_e(s.title)}</a></li>' for s in others)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(story.title)} - {_e(name)}</title>
<link rel="canonical" href="{url}"><meta property="og:title" content="{_e(story.title)}">
<meta property="og:site_name" content="{_e(name)}">{meta}</head>
<body><header class="masthead"><a href="{site.origin}/">{_e(name)}</a><nav>{nav}</nav></header>
<main><article class="story">
<h1>{_e(story.title)}</h1>
<p class="byline">By <span class="author">{_e(story.author)}</span> · <time datetime="{story.published.isoformat()}">{story.published:%d %B %Y}</time></p>
<div class="story-body">
{_paragraphs(story)}
</div></article>
<aside class="more-stories"><h2>More stories</h2><ul>{more}</ul></aside>
</main><footer><a href="{site.origin}/about/">About us</a></footer></body></html>
"""


def _custom(root: Path, shape: str) -> ShapeSite:
    hosts = {"sitemap-index": ("indexonly.example", "Index Only Times"),
             "news-sitemap": ("newsonly.example", "The News Only Wire"),
             "listing": ("listingonly.example", "Listing Only Post")}  # fmt: skip
    host, name = hosts[shape]
    origin = f"https://{host}"
    paths = {
        "sitemap-index": lambda s: f"/articles/{48000 + s.number * 7}-{s.slug}.html",
        "news-sitemap": lambda s: f"/story/{730000 + s.number * 13}/{s.slug}",
        "listing": lambda s: f"/{s.section}/{s.slug}-{4800 + s.number}",
    }
    site = ShapeSite(
        shape, origin, root, make_stories(seed=len(shape)), paths[shape], [f"{origin}/"]
    )
    sections = {"sitemap-index": lambda s: f"{origin}/section/{s}/",
                "news-sitemap": lambda s: f"{origin}/topics/{s}/",
                "listing": lambda s: f"{origin}/{s}/"}[shape]  # fmt: skip
    nav = " ".join(f'<a href="{sections(s)}">{s.capitalize()}</a>' for s in _SECTIONS)
    nav += f' <a href="{origin}/about/">About us</a>'
    if shape == "listing":
        _paginate(
            site, name, 4, lambda n: f"{origin}/" if n == 1 else f"{origin}/page/{n}", "", nav
        )
    else:
        on_home = 4 if shape == "sitemap-index" else 3
        _write(
            root,
            "/",
            _listing_page(site, name, "Top stories", site.stories[:on_home], "", nav, None, None),
        )
        site.on_home = on_home
    for story in site.stories:
        _write(
            root,
            site.article_path(story),
            _custom_article(site, name, story, nav, shape != "news-sitemap"),
        )
    for section in _SECTIONS:
        chunk = [s for s in site.stories if s.section == section][: 2 if shape != "listing" else 5]
        url = sections(section)
        _write(
            root,
            urlsplit(url).path,
            _listing_page(site, name, section.capitalize(), chunk, "", nav, None, None),
        )
        site.non_articles.append(url)
    _write(root, "/about/", _static_page(site, name, "About us"))
    site.non_articles.append(f"{origin}/about/")
    if shape == "sitemap-index":
        site.sitemaps = [f"{origin}/sitemap_index.xml"]
        _write(
            root,
            "/robots.txt",
            f"User-agent: *\nDisallow: /search\n\nSitemap: {origin}/sitemap_index.xml\n",
        )
        newer, older = site.stories[:6], site.stories[6:]
        _write(root, "/sitemap_index.xml", _index([
            (f"{origin}/sitemaps/articles-2.xml", older[0].published),
            (f"{origin}/sitemaps/articles-1.xml", newer[0].published),
            (f"{origin}/sitemaps/static.xml", None)]))  # fmt: skip
        _write(
            root, "/sitemaps/articles-1.xml", _urlset([(site.url(s), s.published) for s in newer])
        )
        _write(
            root, "/sitemaps/articles-2.xml", _urlset([(site.url(s), s.published) for s in older])
        )
        _write(
            root,
            "/sitemaps/static.xml",
            _urlset([(f"{origin}/about/", None)] + [(sections(s), None) for s in _SECTIONS]),
        )
    elif shape == "news-sitemap":
        site.sitemaps = [f"{origin}/news-sitemap.xml"]
        site.news_sitemap = True
        _write(
            root,
            "/robots.txt",
            f"User-agent: *\nDisallow: /api/\n\nSitemap: {origin}/news-sitemap.xml\n",
        )
        _write(
            root, "/news-sitemap.xml", _news_sitemap(name, [(site.url(s), s) for s in site.stories])
        )
    else:
        _write(root, "/robots.txt", "User-agent: *\nDisallow: /admin/\n")
    return site


def build_shape(shape: str, folder: Path | str) -> ShapeSite:
    """Write the fake site `shape` (one of `SHAPES`) under `folder` and return it."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    if shape == "wordpress":
        return _wordpress(root)
    if shape == "ghost":
        return _ghost(root)
    if shape == "drupal":
        return _drupal(root)
    if shape in ("sitemap-index", "news-sitemap", "listing"):
        return _custom(root, shape)
    raise ValueError(f"unknown shape {shape!r} (have: {', '.join(SHAPES)})")
