"""What a site runs on and where its comments live, read from its pages and headers.

Pure functions over HTML text and response headers, so they are tested on strings. The CMS
matters to onboarding for what it implies (WordPress: a REST posts listing and REST comments;
Ghost and Drupal: their feed and sitemap paths); a comment embed matters because its comments
are not in the page (Disqus and the like serve them from their own API).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsel import Selector


@dataclass(frozen=True)
class Cms:
    """A content management system (or site builder) and how it was recognised."""

    name: str
    version: str | None
    evidence: str

    def __str__(self) -> str:
        return f"{self.name} {self.version}" if self.version else self.name


# name, generator regex (version in group 1), page markers, header markers ("Name: regex").
_CMS_RULES: tuple[tuple[str, str | None, tuple[str, ...], tuple[str, ...]], ...] = (
    ("WordPress", r"\bwordpress\b\s*(?:vip\s*)?([\d.]+)?",
     (r"/wp-content/", r"/wp-includes/", r"""rel=["']https://api\.w\.org/"""),
     (r"link: .*rel=\"https://api\.w\.org/\"", r"x-powered-by: wordpress")),
    ("Ghost", r"\bghost\b\s*([\d.]+)?", (r"ghost/portal", r"\bdata-ghost=", r"""class=["']gh-"""),
     (r"x-ghost-cache-status:",)),
    ("Drupal", r"\bdrupal\b\s*([\d.]+)?",
     (r"\bdata-drupal-", r"\bdrupalSettings\b", r"Drupal\.settings", r"/sites/default/files/"),
     (r"x-generator: drupal", r"x-drupal-(?:dynamic-)?cache:")),
    ("Joomla", r"\bjoomla!?(?:\s*-\s*open source content management)?\s*([\d.]+)?",
     (r"/media/jui/", r"/components/com_", r"/media/system/js/"), ()),
    ("TYPO3", r"\btypo3\b(?:\s*cms)?\s*([\d.]+)?", (r"/typo3conf/", r"/typo3temp/"), ()),
    ("Hugo", r"\bhugo\s+([\d.]+)", (), ()),
    ("Jekyll", r"\bjekyll\s+v?([\d.]+)", (), ()),
    ("Blogger", r"\bblogger\b", (r"blogger\.com/static/", r"\.blogspot\.com/"), ()),
    ("Medium", None, (r"miro\.medium\.com", r"cdn-static-1\.medium\.com"), ()),
    ("Substack", None, (r"substackcdn\.com",), ()),
    ("Squarespace", r"\bsquarespace\b", (r"static1\.squarespace\.com",), ()),
    ("Wix", r"\bwix\.com\b", (r"static\.wixstatic\.com",), ()),
    ("Webflow", r"\bwebflow\b", (r"assets\.website-files\.com",), ()),
    ("Arc XP", None, (r"Fusion\.globalContent", r"arcpublishing\.com"), ()),
    ("Next.js", None, (r"""id=["']__NEXT_DATA__["']""",), (r"x-powered-by: next\.js",)),
)  # fmt: skip


def generators(html: str) -> list[str]:
    """The page's ``<meta name="generator">`` values."""
    selector = Selector(text=html or "<html/>")
    return [
        v.strip()
        for v in selector.xpath(
            "//meta[translate(@name,'GENRATO','genrato')='generator']/@content"
        ).getall()
        if v.strip()
    ]


def detect_cms(html: str, headers: dict[str, str] | None = None) -> Cms | None:
    """The CMS a page was made with: its generator meta first, then page markers (asset
    paths, API links, data attributes), then response headers."""
    declared = generators(html)
    for name, generator, _, _ in _CMS_RULES:
        if generator is None:
            continue
        for value in declared:
            if match := re.search(generator, value, re.IGNORECASE):
                version = match.group(1) if match.groups() else None
                return Cms(name, version, f'generator meta "{value}"')
    header_lines = [f"{k.lower()}: {v}".lower() for k, v in (headers or {}).items()]
    for name, _, markers, header_rules in _CMS_RULES:
        for marker in markers:
            if match := re.search(marker, html or "", re.IGNORECASE):
                return Cms(name, None, f"page markup ({match.group(0).strip()!r})")
        for rule in header_rules:
            for line in header_lines:
                if re.search(rule, line):
                    return Cms(name, None, f"response header ({line.split(':', 1)[0]})")
    return None


@dataclass(frozen=True)
class CommentEmbed:
    """A third-party comment system a page loads (its comments are not in the HTML)."""

    name: str
    evidence: str
    details: dict[str, str] = field(default_factory=dict)  # e.g. Disqus forum, identifier


_EMBEDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Disqus", (r"""id=["']disqus_thread["']""", r"[\w-]+\.disqus\.com/embed\.js", r"disqus_shortname")),
    ("Facebook comments", (r"""class=["'][^"']*\bfb-comments\b""",)),
    ("Coral Talk", (r"coral(?:project)?[\w./-]*/assets/js/embed\.js", r"Coral\.createStreamEmbed")),
    ("OpenWeb (Spot.IM)", (r"launcher\.spot\.im", r"data-spotim-module")),
    ("Viafoura", (r"cdn\.viafoura\.net", r"""class=["']viafoura["']""")),
    ("Commento", (r"cdn\.commento\.io", r"""id=["']commento["']""")),
    ("Hyvor Talk", (r"talk\.hyvor\.com",)),
    ("Remark42", (r"remark42", r"""id=["']remark42["']""")),
    ("giscus", (r"giscus\.app/client\.js",)),
    ("utterances", (r"utteranc\.es/client\.js",)),
    ("Isso", (r"""data-isso=""", r"/js/embed\.min\.js.*isso")),
    ("Ghost comments", (r"comments-ui", r"data-ghost-comments")),
)  # fmt: skip


def detect_comment_embed(html: str) -> CommentEmbed | None:
    """The comment embed a page loads, with what it names (Disqus: forum and thread id)."""
    for name, markers in _EMBEDS:
        for marker in markers:
            if match := re.search(marker, html or "", re.IGNORECASE):
                details = _disqus_details(html) if name == "Disqus" else {}
                return CommentEmbed(name, f"page markup ({match.group(0)[:60]!r})", details)
    return None


def _disqus_details(html: str) -> dict[str, str]:
    details = {}
    forum = re.search(r"//([\w-]+)\.disqus\.com/(?:embed|count)\.js", html) or re.search(
        r"""disqus_shortname\s*=\s*['"]([\w-]+)['"]""", html
    )
    if forum:
        details["forum"] = forum.group(1)
    if ident := re.search(r"""page\.identifier\s*=\s*['"]([^'"]+)['"]""", html):
        details["identifier"] = ident.group(1)
        details["identifier_in"] = "disqus_config (page.identifier)"
    elif ident := re.search(r"""disqus_identifier\s*=\s*['"]([^'"]+)['"]""", html):
        details["identifier"] = ident.group(1)
        details["identifier_in"] = "disqus_identifier"
    elif ident := re.search(r"""data-(?:disqus-identifier|thread)=['"]([^'"]+)['"]""", html):
        details["identifier"] = ident.group(1)
        details["identifier_in"] = "a data attribute of #disqus_thread"
    return details


_COMMENT_FORM = re.compile(
    r"""id=["'](?:respond|commentform)["']|wp-comments-post\.php|class=["'][^"']*\bcomment-form\b""",
    re.IGNORECASE,
)


def has_comment_form(html: str) -> bool:
    """A comment form in the page (comments are open on it)."""
    return bool(_COMMENT_FORM.search(html or ""))


def wordpress_rest_root(html: str, headers: dict[str, str] | None = None) -> str | None:
    """The REST API root a WordPress page advertises (``<link rel="https://api.w.org/">`` or
    the same in a ``Link`` header)."""
    selector = Selector(text=html or "<html/>")
    href = selector.xpath("//link[@rel='https://api.w.org/']/@href").get()
    if href and href.strip():
        return href.strip()
    for name, value in (headers or {}).items():
        if name.lower() == "link" and (
            m := re.search(r'<([^>]+)>;\s*rel="https://api\.w\.org/"', value)
        ):
            return m.group(1)
    return None
