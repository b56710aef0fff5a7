"""Store entries: a page or a small write as JSON, applied by the one process that writes SQLite.

Why: a worker that may not (another machine) or could not (the database stayed locked) write
the database sends what it would have written as an *entry*: to a Redis stream
(``newscrawl store --from-redis``) or to a spool file (``newscrawl store --from-spool``). The
same `EntryApplier` writes both, through the normalise → validate → deduplicate pipelines and
`PageWriter`, so a page stored this way is stored exactly as the crawl would have stored it.

Kinds (``entry["kind"]``), each with the worker's ``run`` key:

- ``run_start`` / ``run_finish``: a worker's `crawl_runs` row (spider, site, origin; reason,
  stats). The writer adds the article/link/comment counters as it stores the run's pages.
- ``page``: items (``{"type": "Article", "data": {...}}``), fetch records, the revisit policy,
  the crawl's profile and, for threads read to their end, the comment keys seen.
- ``touch``: a 304 (or a skip on an unchanged lastmod) moved a URL's ``last_fetch``/``next_due``.
- ``lastmod``: the sitemap ``lastmod`` baseline of a URL.
- ``discovery``: validators of feeds and sitemaps seen by a finished run.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.misc import load_object

from ..incremental import FetchRecord, RevisitPolicy, apply_touch
from ..items import Article, Comment, CommentThread, PageFailure, RelatedLink
from ..urls import url_key
from .db import Store
from .pages import Page, PageWriter, Spool

logger = logging.getLogger(__name__)

ITEM_TYPES: dict[str, type] = {
    cls.__name__: cls for cls in (Article, RelatedLink, Comment, CommentThread, PageFailure)
}
ENTRY_VERSION = 1
# Pipelines that are the store itself: the writer replaces them with `PageWriter`.
STORE_PIPELINES = (
    "newscrawl.pipelines.SQLiteStorePipeline",
    "newscrawl.pipelines.store.SQLiteStorePipeline",
    "newscrawl.redis_store.worker.RedisPagePipeline",
)


class BadEntry(ValueError):
    """An entry that cannot be read (kept aside in a dead-letter place, never applied)."""


# --- encoding ------------------------------------------------------------------------------


def item_to_json(item: Any) -> dict[str, Any]:
    return {"type": type(item).__name__, "data": dataclasses.asdict(item)}


def item_from_json(data: dict[str, Any]) -> Any:
    cls = ITEM_TYPES.get(data.get("type", ""))
    if cls is None:
        raise BadEntry(f"unknown item type {data.get('type')!r}")
    names = {f.name for f in dataclasses.fields(cls) if f.init}  # not `item_type`
    return cls(**{k: v for k, v in (data.get("data") or {}).items() if k in names})


def page_entry(page: Page, run_key: str | None) -> dict[str, Any]:
    return {
        "v": ENTRY_VERSION,
        "kind": "page",
        "run": run_key,
        "key": page.key,
        "items": [item_to_json(item) for item in page.items],
        "records": [dataclasses.asdict(record) for record in page.records],
        "profile": page.profile,
        "policy": dataclasses.asdict(page.policy),
        "thread_keys": page.thread_keys,
    }


def page_from_entry(entry: dict[str, Any]) -> Page:
    try:
        names = {f.name for f in dataclasses.fields(FetchRecord)}
        records = [
            FetchRecord(**{k: v for k, v in r.items() if k in names}) for r in entry["records"]
        ]
        return Page(
            items=[item_from_json(item) for item in entry["items"]],
            records=records,
            key=entry.get("key"),
            profile=entry.get("profile"),
            policy=RevisitPolicy(**(entry.get("policy") or {})),
            thread_keys=entry.get("thread_keys"),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise BadEntry(f"malformed page entry: {error!r}") from None


# --- applying --------------------------------------------------------------------------------


class _Stats:
    """The part of Scrapy's stats collector the pipelines use, for a writer without a crawl."""

    def __init__(self) -> None:
        self.values: Counter[str] = Counter()

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] += count

    def set_value(self, key: str, value: Any) -> None:
        self.values[key] = value

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def get_stats(self) -> dict[str, Any]:
        return dict(self.values)


class ItemChain:
    """The crawl's item pipelines up to the store (normalise → validate → deduplicate), built
    from ``ITEM_PIPELINES`` for one run, without a Scrapy engine."""

    def __init__(self, settings: Any, stats: Any):
        from types import SimpleNamespace

        crawler = SimpleNamespace(settings=settings, stats=stats)
        pipelines = settings.getwithbase("ITEM_PIPELINES") if settings is not None else {}
        order = sorted(
            (
                (priority, path)
                for path, priority in dict(pipelines).items()
                if priority is not None
            ),
            key=lambda pair: pair[0],
        )
        self.pipelines = []
        for _, path in order:
            name = path if isinstance(path, str) else f"{path.__module__}.{path.__qualname__}"
            if name in STORE_PIPELINES:
                continue
            cls = load_object(path)
            builder = getattr(cls, "from_crawler", None)
            self.pipelines.append(builder(crawler) if builder else cls())

    def process(self, item: Any) -> Any | None:
        """The item as the pipelines leave it, or None when one of them drops it."""
        for pipeline in self.pipelines:
            try:
                item = pipeline.process_item(item)
            except DropItem as reason:
                logger.debug("Dropped %s: %s", type(item).__name__, reason)
                return None
        return item


@dataclasses.dataclass
class _Run:
    row_id: int
    chain: ItemChain
    writer: PageWriter


RUN_COUNTERS = {
    "newscrawl/articles/new": "articles_new",
    "newscrawl/articles/updated": "articles_updated",
    "newscrawl/articles/unchanged": "articles_unchanged",
    "newscrawl/links/new": "links_new",
    "newscrawl/comments/new": "comments_new",
    "newscrawl/comments/updated": "comments_updated",
}


class EntryApplier:
    """Applies entries inside the caller's transaction (see the module docstring).

    Each worker run gets its own `ItemChain` (deduplication is per run) and `PageWriter`
    (article ids, thread keys), dropped when its ``run_finish`` arrives. The run's counters in
    `crawl_runs` grow in the same transaction as its pages, so they count each page once.
    """

    def __init__(self, store: Store, settings: Any = None, stats: Any = None,
                 spool: Spool | None = None):  # fmt: skip
        self.store = store
        self.settings = settings
        self.stats = stats if stats is not None else _Stats()
        self.spool = spool
        self.runs: dict[str, _Run] = {}
        self.pending: list[tuple[PageWriter, Counter[str]]] = []
        self.touched: set[str] = set()  # url_keys whose fetch state changed (for mirrors)
        self.discovered: set[str] = set()
        self._created: list[str] = []  # runs first seen in the open transaction
        store.on_rollback(self.rolled_back)

    def run(self, key: str | None, *, create: dict[str, Any] | None = None) -> _Run:
        key = key or "unknown"
        run = self.runs.get(key)
        if run is None:
            info = create or {}
            row_id = self.store.start_run(
                info.get("spider") or "unknown", info.get("site"), run_key=key,
                origin=info.get("origin"), started=info.get("started"),
            )  # fmt: skip
            writer = PageWriter(self.store, self.stats, spool=self.spool, run_key=key)
            run = self.runs[key] = _Run(row_id, ItemChain(self.settings, self.stats), writer)
            self._created.append(key)
        return run

    def apply(self, entry: dict[str, Any]) -> str:
        """Write one entry (in the caller's transaction); returns its kind.

        If it raises, whatever it began is to be rolled back by the caller (a savepoint): the
        ids it may have cached are forgotten here.
        """
        if not isinstance(entry, dict):
            raise BadEntry("an entry is a JSON object")
        created = len(self._created)
        pending = len(self.pending)
        try:
            return self._apply(entry)
        except BaseException:
            for key in self._created[created:]:
                self.runs.pop(key, None)
            del self._created[created:]
            del self.pending[pending:]
            for run in self.runs.values():
                run.writer.forget_uncommitted()
            raise

    def _apply(self, entry: dict[str, Any]) -> str:
        kind = entry.get("kind")
        if kind == "run_start":
            self.run(entry.get("run"), create=entry)
        elif kind == "run_finish":
            run = self.run(entry.get("run"), create=entry)
            self.store.finish_run(
                run.row_id, entry.get("reason") or "finished", entry.get("stats") or {},
                finished=entry.get("finished"), store_counts=False,
            )  # fmt: skip
        elif kind == "page":
            self._page(entry)
        elif kind == "touch":
            apply_touch(self.store, entry)
            self.touched.add(entry["url_key"])
        elif kind == "lastmod":
            self.store.conn.execute(
                "update fetch_state set sitemap_lastmod = ? where url_key = ? and sitemap_lastmod is null",
                (entry["lastmod"], entry["url_key"]),
            )
            self.touched.add(entry["url_key"])
        elif kind == "discovery":
            self.store.conn.executemany(
                "insert or replace into discovery_state (url, kind, etag, last_modified,"
                " last_fetch) values (?, ?, ?, ?, ?)",
                [tuple(row) for row in entry["rows"]],
            )
            self.discovered.update(row[0] for row in entry["rows"])
        else:
            raise BadEntry(f"unknown entry kind {kind!r}")
        self.stats.inc_value(f"newscrawl/writer/entries/{kind}")
        return kind

    def _page(self, entry: dict[str, Any]) -> None:
        page = page_from_entry(entry)
        run = self.run(entry.get("run"))
        kept = [item for item in (run.chain.process(i) for i in page.items) if item is not None]
        page.items = kept
        results = run.writer.apply(page)
        if results:
            counters = {RUN_COUNTERS[k]: v for k, v in results.items() if k in RUN_COUNTERS}
            if counters:
                sets = ", ".join(f"{c} = coalesce({c}, 0) + ?" for c in counters)
                self.store.conn.execute(
                    f"update crawl_runs set {sets} where id = ?", (*counters.values(), run.row_id)
                )
        self.pending.append((run.writer, results))
        self.touched.update(url_key(record.url) for record in page.records)

    def committed(self) -> None:
        """After the transaction that applied the entries committed: ids and stats are final."""
        for run in self.runs.values():
            run.writer.committed()
        for writer, results in self.pending:
            writer.count(results)
        self.pending.clear()
        self._created.clear()

    def rolled_back(self) -> None:
        """The whole transaction was rolled back: forget what it did."""
        for key in self._created:
            self.runs.pop(key, None)
        self._created.clear()
        self.pending.clear()
        self.touched.clear()
        self.discovered.clear()

    def forget_finished(self, entry_kinds: list[tuple[str, str | None]]) -> None:
        """Drop the per-run state of runs whose ``run_finish`` was committed."""
        for kind, run in entry_kinds:
            if kind == "run_finish":
                self.runs.pop(run or "unknown", None)
