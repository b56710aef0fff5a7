"""`scrapy check` contracts that run offline on each profile's saved sample.

Scrapy's own contracts need an ``@url`` on the live web, and our item callbacks yield three
item types at once (so ``@scrapes`` cannot name one set of fields). ``@sample_article`` asks
for the seed article of the spider's sample (`newscrawl.samples.sample_for`: a folder beside
the profile, in the package or a user's sites folder) under its public URL; `SampleFileMiddleware`
answers that request from the saved file, so the spider reads it exactly as in a crawl, with the
profile design valid on the day the sample was saved (``expected.json`` ``fetched``). What the
callback yields is compared with ``expected.json``: the article's title, authors, dates and body
paragraphs, every related block's label and link count, and the comment count.

A profile without a sample fails its check with a message saying how to make one
(``newscrawl add-site URL --save-sample``): it is never checked against the live site.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail
from scrapy.http import HtmlResponse, Request

from .items import Article, Comment, RelatedLink
from .samples import Sample, sample_for

SAMPLE_FILE = "newscrawl_sample_file"  # request meta: answer from this saved file
SAMPLE_TYPE = "newscrawl_sample_type"  # request meta: the Content-Type it was served with
FETCHED_ON = "fetched_on"  # request meta: the day the page was fetched (profile design)


class SampleArticleContract(Contract):
    """``@sample_article``: the callback turns the spider's sample seed page into its items."""

    name = "sample_article"

    def __init__(self, method: Any, *args: Any):
        super().__init__(method, *args)
        self.spider = getattr(method, "__self__", None)
        profile = getattr(self.spider, "profile", None)
        self.sample: Sample | None = sample_for(profile) if profile is not None else None
        self.seed: dict[str, Any] | None = None
        self.file: Path | None = None
        if self.sample is not None:
            self.seed = self.sample.articles.get(self.sample.seed_url)
            self.file = self.sample.page_file(self.sample.seed_url)

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        if self.sample is None or self.file is None or self.seed is None:
            args["url"] = "data:text/html,<html><body>no sample</body></html>"
            return args
        args["url"] = self.sample.seed_url
        meta = {
            SAMPLE_FILE: str(self.file),
            SAMPLE_TYPE: self.sample.content_type,
            "dont_obey_robotstxt": True,
        }
        if self.sample.fetched:
            meta[FETCHED_ON] = self.sample.fetched.isoformat()
        args["meta"] = meta
        return args

    def post_process(self, output: list[Any]) -> None:
        name = getattr(self.spider, "name", "?")
        if self.sample is None:
            profile = getattr(self.spider, "profile", None)
            where = profile.path.with_suffix("") if profile is not None else name
            raise ContractFail(
                f"{name} has no sample: expected {where}/expected.json beside the profile"
                f" (`newscrawl add-site URL --name {name} --save-sample` writes one)"
            )
        if self.seed is None or self.file is None:
            raise ContractFail(
                f"{self.sample.root}: seed_article {self.sample.seed_url} has no saved page or"
                " no expected output"
            )
        articles = [ItemAdapter(i) for i in output if isinstance(i, Article)]
        if len(articles) != 1:
            raise ContractFail(f"expected one Article, got {len(articles)}")
        article = articles[0]
        if not article.get("title") or not article.get("body"):
            raise ContractFail("the Article has no title or no body")
        for field in ("title", "authors", "published", "modified"):
            if field in self.seed and article.get(field) != self.seed[field]:
                raise ContractFail(f"{field}: {article.get(field)!r} != {self.seed[field]!r}")
        if "body_paragraphs" in self.seed:
            got = (article.get("body") or "").split("\n\n")
            if got != self.seed["body_paragraphs"]:
                raise ContractFail(
                    f"body: {len(got)} paragraphs, first {got[0][:60]!r}; expected"
                    f" {len(self.seed['body_paragraphs'])}"
                )
        got_links = Counter(
            ItemAdapter(i)["block_label"] for i in output if isinstance(i, RelatedLink)
        )
        wanted = Counter({b["label"]: len(b["links"]) for b in self.seed.get("related", [])})
        if got_links != wanted:
            raise ContractFail(f"related links per block {dict(got_links)} != {dict(wanted)}")
        comments = sum(isinstance(i, Comment) for i in output)
        if comments != len(self.seed.get("comments", [])):
            raise ContractFail(f"{comments} comments != {len(self.seed['comments'])}")


class SampleFileMiddleware:
    """Downloader middleware: a request carrying ``meta["newscrawl_sample_file"]`` (set by
    `SampleArticleContract`) is answered from that saved file, under its public URL."""

    def process_request(self, request: Request, spider: Any = None) -> HtmlResponse | None:
        path = request.meta.get(SAMPLE_FILE)
        if not path:
            return None
        body = Path(path).read_bytes()
        headers = {"Content-Type": request.meta.get(SAMPLE_TYPE) or "text/html"}
        return HtmlResponse(request.url, body=body, headers=headers, request=request)
