"""A generated WordPress-shaped news site of N articles, written to a folder, with its profile.

Why: incremental and resume behaviour only shows at scale (hundreds of pages, several
transactions, a crawl that can be killed part way), and the bundled sample sites have a handful
of articles. The site is deterministic for a given `now` and seed; its pages carry what the
crawler uses: a canonical link, an ``article:published_time``, a related block, threaded
comments, a paginated home page, an RSS feed, a sitemap index with ``lastmod`` and a Google News
sitemap. `GeneratedSite.wp_posts` answers the WordPress REST posts listing for `SampleSite`.

Serve it with ``SampleSite(site.root)``, crawl it with the ``generated`` spider after pointing
``NEWSCRAWL_SITES_DIR`` at ``site.profile_dir`` (and ``-a base_url=`` at the server).
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

from .server import Answer, json_answer

ORIGIN = "https://generated.example"
WORDS = (
    "cloud", "data", "model", "open", "source", "kernel", "chip", "network", "browser", "privacy",
    "security", "update", "release", "developer", "server", "storage", "battery", "quantum",
    "robot", "startup", "funding", "regulation", "standard", "protocol", "database", "compiler",
    "framework", "benchmark", "outage", "patch", "vulnerability", "encryption", "platform",
)  # fmt: skip
AUTHORS = ("Ada Lin", "Ben Okafor", "Chloé Martin", "Dev Patel", "Eva Novak")
READERS = ("sam", "rita_k", "jdoe", "m.ortiz", "leo", "nina", "p4blo", "ursula")


@dataclass
class Comment:
    id: int
    author: str
    published: datetime
    text: str
    parent: int | None = None


@dataclass
class GeneratedArticle:
    number: int
    slug: str
    title: str
    author: str
    published: datetime
    paragraphs: list[str]
    comments: list[Comment] = field(default_factory=list)
    related: list[int] = field(default_factory=list)  # numbers of other articles
    modified: datetime | None = None

    @property
    def path(self) -> str:
        return f"/{self.published:%Y/%m/%d}/{self.slug}/"

    @property
    def url(self) -> str:
        return ORIGIN + self.path

    @property
    def lastmod(self) -> datetime:
        return self.modified or self.published


@dataclass
class GeneratedSite:
    """A written site: `root` is served, `profile_dir` holds ``generated.toml``."""

    root: Path
    profile_dir: Path
    articles: list[GeneratedArticle]  # newest first
    per_page: int = 20

    def article_file(self, article: GeneratedArticle) -> Path:
        return self.root / article.path.strip("/") / "index.html"

    def write_article(self, article: GeneratedArticle) -> None:
        """(Re)write one article page, e.g. after a test edited it or added comments."""
        path = self.article_file(article)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_article(article, self.articles), encoding="utf-8")

    def write_sitemaps(self) -> None:
        """(Re)write the sitemaps, e.g. after an edit moved an article's lastmod."""
        write_sitemaps(self.root, self.articles)

    def add_comments(self, article: GeneratedArticle, count: int, when: datetime) -> None:
        """Append `count` comments (the first one a reply) and rewrite the page."""
        next_id = max((c.id for a in self.articles for c in a.comments), default=1000) + 1
        for offset in range(count):
            parent = article.comments[0].id if offset == 0 and article.comments else None
            article.comments.append(
                Comment(next_id + offset, READERS[offset % len(READERS)],
                        when + timedelta(minutes=offset), f"Late comment {offset + 1} on {article.title}.",
                        parent)
            )  # fmt: skip
        self.write_article(article)

    def wp_posts(self, path: str, query: dict[str, list[str]]) -> Answer | None:
        """`SampleSite` handler for ``/wp-json/wp/v2/posts``: pages of posts, newest first."""
        if path.rstrip("/") != "/wp-json/wp/v2/posts":
            return None
        per_page = int(query.get("per_page", ["10"])[0])
        page = int(query.get("page", ["1"])[0])
        after = query.get("after", [None])[0]
        posts = self.articles
        if after:
            limit = datetime.fromisoformat(after).replace(tzinfo=timezone.utc)
            posts = [a for a in posts if a.published > limit]
        total_pages = max(1, -(-len(posts) // per_page))
        chunk = posts[(page - 1) * per_page : page * per_page]
        data = [
            {"link": a.url, "date_gmt": _gmt(a.published), "modified_gmt": _gmt(a.lastmod)}
            for a in chunk
        ]
        headers = {"X-WP-Total": str(len(posts)), "X-WP-TotalPages": str(total_pages)}
        return json_answer(data, headers=headers)


def _gmt(value: datetime) -> str:
    return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def make_articles(
    count: int, now: datetime, days: float = 60.0, seed: int = 0
) -> list[GeneratedArticle]:
    """`count` articles published evenly over the last `days` days, newest first."""
    rng = random.Random(seed)
    articles = []
    step = timedelta(days=days) / max(count, 1)
    comment_id = 1000
    for number in range(count):
        published = (now - step * (number + 1)).replace(microsecond=0)
        words = [rng.choice(WORDS) for _ in range(4)]
        title = f"{' '.join(words).capitalize()} story {number}"
        slug = f"{'-'.join(words)}-story-{number}"
        paragraphs = [_sentence(rng, rng.randint(18, 40)) for _ in range(rng.randint(3, 6))]
        article = GeneratedArticle(
            number, slug, title, AUTHORS[number % len(AUTHORS)], published, paragraphs
        )
        for position in range(number % 4):  # 0–3 comments, the third a reply to the first
            comment_id += 1
            parent = article.comments[0].id if position == 2 else None
            article.comments.append(
                Comment(comment_id, rng.choice(READERS), published + timedelta(hours=position + 1),
                        _sentence(rng, rng.randint(6, 20)), parent)
            )  # fmt: skip
        articles.append(article)
    for article in articles:
        article.related = [(article.number + k) % count for k in (1, 2, 3) if count > 3]
    return articles


def render_article(article: GeneratedArticle, articles: list[GeneratedArticle]) -> str:
    e = html.escape
    body = "\n".join(f"<p>{e(p)}</p>" for p in article.paragraphs)
    related = "\n".join(
        f'<li><a href="{articles[n].url}">{e(articles[n].title)}</a></li>' for n in article.related
    )
    comments = _render_comments(article, None)
    modified = (
        f'<meta property="article:modified_time" content="{article.modified.isoformat()}">'
        if article.modified
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{e(article.title)} - Generated News</title>
<link rel="canonical" href="{article.url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(article.title)}">
<meta property="article:published_time" content="{article.published.isoformat()}">
{modified}
</head><body>
<header><a href="{ORIGIN}/">Generated News</a></header>
<main><article class="post">
<h1 class="entry-title">{e(article.title)}</h1>
<div class="entry-meta">By <a rel="author" href="{ORIGIN}/author/{article.author.split()[0].lower()}/">{e(article.author)}</a>
<time class="entry-date" datetime="{article.published.isoformat()}">{article.published:%d %B %Y}</time></div>
<div class="entry-content">
{body}
</div>
</article>
<section class="related"><h2>Related stories</h2><ul>
{related}
</ul></section>
<div id="comments" class="comments-area"><h2 class="comments-title">{len(article.comments)} comments</h2>
<ol class="commentlist">
{comments}
</ol></div>
</main></body></html>
"""


def _render_comments(article: GeneratedArticle, parent: int | None) -> str:
    parts = []
    for comment in article.comments:
        if comment.parent != parent:
            continue
        children = _render_comments(article, comment.id)
        parts.append(
            f'<li class="comment" id="comment-{comment.id}"><article class="comment-body">'
            f'<div class="comment-author vcard"><b class="fn">{html.escape(comment.author)}</b></div>'
            f'<div class="comment-metadata"><time datetime="{comment.published.isoformat()}">'
            f"{comment.published:%d %B %Y %H:%M}</time></div>"
            f'<div class="comment-content"><p>{html.escape(comment.text)}</p></div></article>'
            + (f'<ol class="children">{children}</ol>' if children else "")
            + "</li>"
        )
    return "\n".join(parts)


def _listing(articles: list[GeneratedArticle], page: int, pages: int, per_page: int) -> str:
    chunk = articles[(page - 1) * per_page : page * per_page]
    items = "\n".join(
        f'<li><h2><a href="{a.url}">{html.escape(a.title)}</a></h2></li>' for a in chunk
    )
    nav = ""
    if page < pages:
        nav += f'<a class="next page-numbers" rel="next" href="{ORIGIN}/page/{page + 1}/">Older</a>'
    if page > 1:
        previous = f"{ORIGIN}/" if page == 2 else f"{ORIGIN}/page/{page - 1}/"
        nav += f'<a class="prev page-numbers" rel="prev" href="{previous}">Newer</a>'
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Generated News - page {page}</title></head>
<body><main><ul class="posts">
{items}
</ul><nav class="pagination">{nav}</nav></main></body></html>
"""


def write_sitemaps(root: Path, articles: list[GeneratedArticle], per_sitemap: int = 250) -> None:
    """Sitemap index → post sitemaps with lastmod, plus a Google News sitemap of the last 2 days."""
    chunks = [articles[i : i + per_sitemap] for i in range(0, len(articles), per_sitemap)]
    index = []
    for number, chunk in enumerate(chunks, start=1):
        urls = "\n".join(
            f"<url><loc>{a.url}</loc><lastmod>{a.lastmod.isoformat()}</lastmod></url>"
            for a in chunk
        )
        (root / f"post-sitemap{number}.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n',
            encoding="utf-8",
        )
        newest = max(a.lastmod for a in chunk)
        index.append(
            f"<sitemap><loc>{ORIGIN}/post-sitemap{number}.xml</loc>"
            f"<lastmod>{newest.isoformat()}</lastmod></sitemap>"
        )
    newest_time = articles[0].published if articles else datetime.now(timezone.utc)
    recent = [a for a in articles if newest_time - a.published < timedelta(days=2)]
    news = "\n".join(
        f"<url><loc>{a.url}</loc><news:news><news:publication><news:name>Generated News"
        f"</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{a.published.isoformat()}</news:publication_date>"
        f"<news:title>{html.escape(a.title)}</news:title></news:news></url>"
        for a in recent
    )
    (root / "news-sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
        'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        f"{news}\n</urlset>\n",
        encoding="utf-8",
    )
    index.append(f"<sitemap><loc>{ORIGIN}/news-sitemap.xml</loc></sitemap>")
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(index)
        + "\n</sitemapindex>\n",
        encoding="utf-8",
    )


def _feed(articles: list[GeneratedArticle]) -> str:
    items = "\n".join(
        f"<item><title>{html.escape(a.title)}</title><link>{a.url}</link>"
        f"<pubDate>{format_datetime(a.published)}</pubDate><guid>{a.url}</guid></item>"
        for a in articles[:20]
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>Generated News</title><link>{ORIGIN}/</link>\n{items}\n</channel></rss>\n"
    )


PROFILE = f"""# Profile of the generated test site (newscrawl.samples.generated).
name = "generated"
title = "Generated News"
base_url = "{ORIGIN}"
language = "en"
start_urls = ["{ORIGIN}/"]
feeds = ["{ORIGIN}/feed/"]
sitemaps = ["{ORIGIN}/sitemap.xml"]
article_url_pattern = '^https?://{urlsplit(ORIGIN).hostname.replace(".", "[.]")}/\\d{{4}}/\\d{{2}}/\\d{{2}}/[a-z0-9-]+/$'
follow_links = true

[article]
title = "h1.entry-title"
body = ".entry-content"
published = "xpath://meta[@property='article:published_time']/@content"

[[related]]
container = "section.related"
label = "h2"
kind = "related"
link = "li a[href]"

[related_options]
generic = false

[comments]
source = "html"
container = "#comments ol.commentlist"
item = "li.comment"
id = "xpath:@id"
author = ".comment-author .fn"
published = "xpath:.//div[contains(@class,'comment-metadata')]//time/@datetime"
text = ".comment-content"

[discovery]
max_pages = {{max_pages}}
"""


def build_site(
    folder: Path | str,
    count: int = 500,
    *,
    now: datetime | None = None,
    days: float = 60.0,
    per_page: int = 20,
    seed: int = 0,
    wp_posts: bool = False,
) -> GeneratedSite:
    """Write a site of `count` articles under ``folder/site`` and its profile under
    ``folder/profiles``. With `wp_posts`, the profile also names the REST posts listing."""
    folder = Path(folder)
    root = folder / "site"
    profile_dir = folder / "profiles"
    root.mkdir(parents=True, exist_ok=True)
    profile_dir.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(timezone.utc).replace(microsecond=0)
    articles = make_articles(count, now, days, seed)
    site = GeneratedSite(root, profile_dir, articles, per_page)
    for article in articles:
        site.write_article(article)
    pages = max(1, -(-len(articles) // per_page))
    (root / "index.html").write_text(_listing(articles, 1, pages, per_page), encoding="utf-8")
    for page in range(2, pages + 1):
        target = root / "page" / str(page)
        target.mkdir(parents=True, exist_ok=True)
        (target / "index.html").write_text(
            _listing(articles, page, pages, per_page), encoding="utf-8"
        )
    (root / "feed").mkdir(exist_ok=True)
    (root / "feed" / "index.xml").write_text(_feed(articles), encoding="utf-8")
    write_sitemaps(root, articles)
    (root / "robots.txt").write_text(
        f"User-agent: *\nDisallow: /wp-admin/\n\nSitemap: {ORIGIN}/sitemap.xml\n", encoding="utf-8"
    )
    profile = PROFILE.replace("{max_pages}", str(pages + 1))
    if wp_posts:
        profile += f'wp_posts = "{ORIGIN}/wp-json/wp/v2/posts"\nwp_posts_pages = {pages}\n'
    (profile_dir / "generated.toml").write_text(profile, encoding="utf-8")
    return site
