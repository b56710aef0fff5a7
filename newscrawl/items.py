"""The three item kinds a page yields, as dataclasses read through itemadapter.

An `Article` comes first; its `RelatedLink` and `Comment` items point back to it by
`article_url`, so pipelines and feed exports can treat them as separate rows. Each carries an
``item_type`` field (``article``, ``related_link``, ``comment``, ``comment_thread``), first in its
feed-export row, so a consumer of ``-O out.jsonl`` tells the kinds apart without guessing from
keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Article:
    """One article as published: text and metadata, no related links or comments."""

    item_type: str = field(default="article", init=False)  # what this row is, for feed exports
    url: str  # the URL that was fetched
    canonical_url: str  # the page's own canonical URL, cleaned (dedup goes by its key)
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # ISO 8601 with offset
    modified: str | None = None
    body: str | None = None  # paragraphs separated by blank lines
    lead: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    image: str | None = None
    site: str | None = None  # profile name, or the host for generic crawls
    fetched_at: str | None = None
    # Where the response this version was read from is archived (see newscrawl.warc), and
    # which extractor read it (newscrawl.versioning).
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_length: int | None = None
    extractor_version: str | None = None


@dataclass
class RelatedLink:
    """One link of a labelled block around an article ("Top lectures", "Related")."""

    item_type: str = field(default="related_link", init=False)  # what this row is, for feed exports
    article_url: str  # canonical URL of the article the block sits on
    url: str  # target, canonicalised
    block_label: str
    block_kind: str = "related"  # related | popular | section | dossier | sponsored | inline
    block_position: int = 0  # order of the block on the page
    position: int = 0  # order of the link in its block
    text: str | None = None
    teaser: str | None = None
    same_site: bool | None = None
    site: str | None = None


@dataclass
class Comment:
    """One reader comment, threaded by `parent_id` (the site's id of the parent)."""

    item_type: str = field(default="comment", init=False)  # what this row is, for feed exports
    article_url: str
    text: str
    comment_id: str | None = None  # the site's own id, when it has one
    parent_id: str | None = None
    author: str | None = None
    published: str | None = None
    score: int | None = None
    source: str = "html"  # html | wp-rest | disqus-json
    position: int = 0  # order on the page/API, for stable threads without dates
    site: str | None = None


@dataclass
class CommentThread:
    """Internal marker, not data: "the comments of `article_url` sent so far are all it has".

    Comments arrive page by page (comment pages, API pages), so only the crawler knows when a
    thread is complete. The store marks the article's stored comments not seen in this run as
    `removed_at` only on a complete thread; an incomplete one (a failed or malformed page)
    removes nothing. Feed exports can leave it out with ``item_classes`` (docs/comments.md).
    """

    item_type: str = field(
        default="comment_thread", init=False
    )  # what this row is, for feed exports
    article_url: str
    complete: bool
    source: str = "html"  # html | wp-rest | disqus-json
    pages: int = 1  # pages read (HTML comment pages or API pages)
    reason: str | None = None  # why the thread is incomplete


@dataclass
class PageFailure:
    """A page on which an extraction stage failed, kept to be extracted again.

    When the article itself (body or metadata) could not be extracted, nothing else of the
    page is stored and this is its only trace; when only related blocks or comments failed,
    the article is stored (`article_url`) and this says what it lacks. Stored in
    `page_failures`; `newscrawl reextract --failed` retries it from the WARC archive.
    """

    url: str  # the URL that was fetched
    stages: str  # the failed stages, comma-separated (article, metadata, related, comments)
    error: str  # "stage: ExceptionType: message" of each, "; "-separated
    extractor_version: str
    article_url: str | None = None  # canonical URL of the article stored anyway, if any
    site: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_length: int | None = None
    failed_at: str | None = None
