"""`scrapy check` contracts that run offline against the bundled sample sites.

Scrapy's own contracts need an ``@url`` on the live web, and our item callbacks yield three
item types at once (so ``@scrapes`` cannot name one set of fields). ``@sample_article`` points
the callback at the seed article of the sample site named like the spider (a ``file://`` URL)
and compares what it yields with that sample's ``expected.json``: the article's title, authors
and dates, every related block's label and link count, and the comment count. A site spider
without a bundled sample is checked against its profile's first start URL instead, with the
weaker test that one article with a title and a body comes out.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from itemadapter import ItemAdapter
from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail

from .items import Article, Comment, RelatedLink
from .samples import SITES_DIR
from .samples.server import resolve_path


class SampleArticleContract(Contract):
    """``@sample_article``: the callback turns the spider's sample seed page into its items."""

    name = "sample_article"

    def __init__(self, method: Any, *args: Any):
        super().__init__(method, *args)
        self.spider = getattr(method, "__self__", None)
        folder = SITES_DIR / getattr(self.spider, "name", "")
        self.expected: dict[str, Any] | None = None
        self.seed: dict[str, Any] | None = None
        self.file_url: str | None = None
        if (folder / "expected.json").is_file():
            self.expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
            seed_url = self.expected["seed_article"]
            self.seed = self.expected["articles"][seed_url]
            path = seed_url[len(self.expected["origin"]) :] or "/"
            found = resolve_path(folder, path)
            self.file_url = found.as_uri() if found else None

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        if self.file_url:
            args["url"] = self.file_url
        else:
            profile = getattr(self.spider, "profile", None)
            start = (profile.start_urls or [profile.base_url]) if profile else []
            if start:
                args["url"] = start[0]
        return args

    def post_process(self, output: list[Any]) -> None:
        articles = [ItemAdapter(i) for i in output if isinstance(i, Article)]
        if len(articles) != 1:
            raise ContractFail(f"expected one Article, got {len(articles)}")
        article = articles[0]
        if not article.get("title") or not article.get("body"):
            raise ContractFail("the Article has no title or no body")
        if self.seed is None:
            return
        for field in ("title", "authors", "published", "modified"):
            if field in self.seed and article.get(field) != self.seed[field]:
                raise ContractFail(f"{field}: {article.get(field)!r} != {self.seed[field]!r}")
        got = Counter(ItemAdapter(i)["block_label"] for i in output if isinstance(i, RelatedLink))
        wanted = Counter({b["label"]: len(b["links"]) for b in self.seed.get("related", [])})
        if got != wanted:
            raise ContractFail(f"related links per block {dict(got)} != {dict(wanted)}")
        comments = sum(isinstance(i, Comment) for i in output)
        if comments != len(self.seed.get("comments", [])):
            raise ContractFail(f"{comments} comments != {len(self.seed['comments'])}")
