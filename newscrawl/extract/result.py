"""What `extract_page` returns: plain dataclasses with a stable `to_dict()` shape."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ArticleData:
    url: str
    canonical_url: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    body: str | None = None
    lead: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    image: str | None = None


@dataclass
class LinkData:
    url: str
    text: str | None = None
    teaser: str | None = None
    position: int = 0


@dataclass
class RelatedBlock:
    label: str
    kind: str
    links: list[LinkData] = field(default_factory=list)


@dataclass
class CommentData:
    id: str | None
    parent_id: str | None
    author: str | None
    published: str | None
    text: str
    score: int | None = None


@dataclass(frozen=True)
class StageError:
    """One extraction stage that raised on a page (see `newscrawl.extract.stages`)."""

    stage: str  # article | metadata | comments | related
    type: str  # the exception's class name
    message: str

    def __str__(self) -> str:
        return f"{self.stage}: {self.type}: {self.message}"


@dataclass
class PageExtraction:
    """Everything read from one page. `page_type` is "article" or what else the page is
    (listing, forum, product, service, documentation, collection: `page_type.PAGE_TYPES`);
    `is_article` says whether it is an article.

    `errors` lists the stages that failed (the rest was extracted); `notes` names what the
    extractor refused on the page (``canonical/rejected_other_site``, ...), for the crawler's
    counters; `encoding` says how the bytes were decoded. None of the three is in `to_dict()`.
    """

    article: ArticleData
    related: list[RelatedBlock] = field(default_factory=list)
    comments: list[CommentData] = field(default_factory=list)
    is_article: bool = True
    page_type: str = "article"
    errors: list[StageError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    encoding: Any = None  # document.Decoded for bytes input, else None

    @property
    def article_failed(self) -> bool:
        """The article itself could not be extracted: the page belongs in `page_failures`."""
        return any(error.stage == "article" for error in self.errors)

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape documented in README (benchmarks and tests rely on it)."""
        return {
            "page_type": self.page_type,
            "is_article": self.is_article,
            "article": asdict(self.article),
            "related": [asdict(block) for block in self.related],
            "comments": [asdict(comment) for comment in self.comments],
        }
