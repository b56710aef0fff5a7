"""Distributed mode: several ``scrapy crawl`` workers share one crawl through Redis (scrapy-redis).

Why: one process, or one machine, is sometimes not enough. Off unless ``NEWSCRAWL_REDIS_URL``
is set (setting or environment variable); then every newscrawl spider runs as a worker of a
shared crawl, and its items still go through newscrawl's own pipelines into SQLite.

The pieces:

- `DistributedAddon` (in ``ADDONS``, settings.py) switches the scheduler to scrapy-redis's shared
  priority queue and Redis duplicate filter, with per-spider keys, and enables `WorkerPool`.
  A URL is fetched once across all workers: seeds included, as newscrawl's spiders do not mark
  them ``dont_filter``.
- `SharedScheduler` is scrapy-redis's scheduler, except that the further pages of a comment
  thread stay with the worker that read the article (the thread's state and its "which comments
  were removed" check live in that worker's store pipeline), and that a request taken from the
  shared queue is *leased*: it moves, in one Redis script, from the queue to the worker's lease
  hash, and leaves it only once its response was handled (its page stored or sent, or its
  callback's requests queued) or it went back to the queue (a retry, a redirect). A killed
  worker's leases are put back in the queue by the other workers once its heartbeat stopped
  (`WorkerPool.recover_dead`), so its requests are crawled in the same run.
- `WorkerPool` (an extension) keeps a registry of workers with heartbeats. An idle worker stays
  open while the shared queue has work or another worker is busy (it may still add requests),
  then for ``NEWSCRAWL_REDIS_IDLE_SECONDS``. The last worker to leave with nothing queued clears
  the run's keys, so the next scheduled run starts afresh; requests still queued (a stopped or
  killed run) are left for the next worker to resume. Workers sharing one SQLite file get its
  schema created under a Redis lock (concurrent first opens of a new database fail); they write
  it in one short transaction per page (newscrawl.store), so none holds the lock for long.
- With ``NEWSCRAWL_REDIS_STORE`` the workers never open the database: their pages go to a Redis
  stream that ``newscrawl store --from-redis`` writes, and what they need of the incremental
  ledger they read from the copy that writer keeps in Redis (newscrawl.redis_store). Workers on
  several machines then share nothing but Redis.

Requests are pickled into Redis, and unpickling runs code: the server must be reachable by the
workers only. Hence only loopback or unix-socket URLs are accepted (reach a remote Redis through an
SSH tunnel) unless ``NEWSCRAWL_REDIS_ALLOW_REMOTE`` is set. See docs/scaling.md.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import time
from collections import deque
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.misc import load_object

from . import config
from .store import open_store

logger = logging.getLogger(__name__)

DEFAULT_KEY = config.default("NEWSCRAWL_REDIS_KEY")  # prefix of one crawl's Redis keys
SCHEMA_LOCK = "newscrawl:schema-lock"
LOCAL_META_KEYS = ("comment_thread",)  # requests carrying these stay with their worker
LEASES_ATTR = "_newscrawl_leases"
# Take the best request off the priority queue and into the worker's lease hash, atomically: a
# worker killed at any instant has each request either still queued or leased, never neither.
POP_AND_LEASE = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0)
if #found == 0 then return false end
redis.call('ZREM', KEYS[1], found[1])
redis.call('HSET', KEYS[2], ARGV[1], found[1])
return found[1]
"""
HEARTBEAT_SECONDS = 5.0
WAKE_SECONDS = 0.5
WORKER_TIMEOUT = config.default("NEWSCRAWL_REDIS_WORKER_TIMEOUT")  # silent this long: dead


def is_local_redis(url: str) -> bool:
    """True for a Redis URL on this machine only: a unix socket or a loopback address."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return True
    if parts.scheme not in ("redis", "rediss"):
        raise ValueError(f"not a Redis URL: {url!r} (expected redis://127.0.0.1:6379/0)")
    host = parts.hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def redis_keys(settings: Any, spider_name: str) -> dict[str, str]:
    """The Redis keys of one spider's shared crawl: queue, dupefilter, workers."""
    prefix = (config.get(settings, "NEWSCRAWL_REDIS_KEY") or DEFAULT_KEY) % {"spider": spider_name}
    return {
        "queue": f"{prefix}:requests",
        "dupefilter": f"{prefix}:dupefilter",
        "workers": f"{prefix}:workers",
        "leases": f"{prefix}:leases:",  # + worker name: lease id → encoded request
    }


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def release_leases(crawler: Any, leases: Any) -> None:
    """The requests behind `leases` are done (their page stored or sent): forget the leases.
    Does nothing outside distributed mode."""
    scheduler = getattr(crawler, LEASES_ATTR, None)
    leases = [lease for lease in leases if lease]
    if scheduler is not None and leases:
        scheduler.release(leases)


class LeaseMiddleware:
    """Spider middleware: a response's lease ends once its callback's output was handed on
    (requests queued), unless it announced a page (then the store pipeline ends it when the
    page is written or sent)."""

    def __init__(self, crawler: Any):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> LeaseMiddleware:
        return cls(crawler)

    def done(self, response: Any) -> None:
        if not response.meta.get("page_announced"):
            release_leases(self.crawler, [response.meta.get("lease")])

    def process_spider_output(self, response: Any, result: Any, spider: Any = None) -> Any:
        yield from result
        self.done(response)

    async def process_spider_output_async(
        self, response: Any, result: Any, spider: Any = None
    ) -> Any:
        async for output in result:
            yield output
        self.done(response)


def create_schema_once(server: Any, path: str) -> None:
    """Create or upgrade the database schema, one worker at a time: a new database opened by
    two processes at once fails ("database is locked", "table ... already exists")."""
    with server.lock(SCHEMA_LOCK, timeout=300, blocking_timeout=300):
        open_store(path).close()


class DistributedAddon:
    """Scrapy add-on: configures scrapy-redis when ``NEWSCRAWL_REDIS_URL`` is set, else nothing.

    An add-on (not settings.py code) because ``-s NEWSCRAWL_REDIS_URL=...`` is only known once
    the command line is read, and add-ons run after that, before settings freeze.
    """

    def update_settings(self, settings: Any) -> None:
        url = config.get(settings, "NEWSCRAWL_REDIS_URL").strip()
        if not url:
            return
        if not is_local_redis(url) and not config.get(settings, "NEWSCRAWL_REDIS_ALLOW_REMOTE"):
            raise ValueError(
                f"NEWSCRAWL_REDIS_URL {url!r} is not on this machine. Requests are pickled into "
                "Redis, so anyone who can write to it can run code in the workers: reach a remote "
                "Redis through an SSH tunnel (redis://127.0.0.1:PORT), or set "
                "NEWSCRAWL_REDIS_ALLOW_REMOTE=True on a network only the workers share."
            )
        try:
            import scrapy_redis  # noqa: F401
        except ImportError:
            # Not NotConfigured: that would log a warning and crawl alone, unnoticed.
            raise ImportError(
                "NEWSCRAWL_REDIS_URL is set but scrapy-redis is missing: "
                "pip install 'newscrawl[distributed]'"
            ) from None
        settings.set("REDIS_URL", url, priority="cmdline")  # one switch: this URL, not another
        template = config.get(settings, "NEWSCRAWL_REDIS_KEY") or DEFAULT_KEY
        defaults = {
            "SCHEDULER": f"{__name__}.SharedScheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
            "SCHEDULER_QUEUE_KEY": f"{template}:requests",
            "SCHEDULER_DUPEFILTER_KEY": f"{template}:dupefilter",
            # Never flushed by a closing worker (others may still be crawling): WorkerPool
            # clears the keys when the last worker leaves.
            "SCHEDULER_PERSIST": True,
        }
        for name, value in defaults.items():
            settings.set(name, value, priority="addon")
        settings["EXTENSIONS"][f"{__name__}.WorkerPool"] = 0
        settings["SPIDER_MIDDLEWARES"][f"{__name__}.LeaseMiddleware"] = 5
        if config.get(settings, "NEWSCRAWL_REDIS_STORE"):
            use_redis_store(settings)


REDIS_PIPELINE = "newscrawl.redis_store.worker.RedisPagePipeline"
SQLITE_PIPELINES = ("newscrawl.pipelines.SQLiteStorePipeline",
                    "newscrawl.pipelines.store.SQLiteStorePipeline")  # fmt: skip


def use_redis_store(settings: Any) -> None:
    """Pages go to the Redis stream instead of SQLite: the store pipeline's place is taken by
    `RedisPagePipeline` (same order, so the normalise/validate/deduplicate steps still run first)."""
    pipelines = settings["ITEM_PIPELINES"]
    order = 900
    for name in SQLITE_PIPELINES:
        if pipelines.get(name) is not None:
            order = pipelines[name]
            pipelines[name] = None
    pipelines[REDIS_PIPELINE] = order


class SharedScheduler:
    """scrapy-redis's scheduler, with comment-thread requests kept in this worker.

    A thread's next page is requested by the callback of the previous one, carrying the thread's
    state; the store pipeline of the worker that stored the article collects the thread's comment
    keys to mark removed comments. Handing a page to another worker would split that.
    """

    def __init__(self, shared: Any, stats: Any, leases_key: str = ""):
        self.shared = shared
        self.stats = stats
        self.local: deque[Request] = deque()
        self.leases_key = (
            leases_key or f"{DEFAULT_KEY % {'spider': 'unknown'}}:leases:{worker_name()}"
        )
        self._pop = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> SharedScheduler:
        from scrapy_redis.scheduler import Scheduler

        keys = redis_keys(crawler.settings, crawler.spidercls.name)
        scheduler = cls(
            Scheduler.from_crawler(crawler), crawler.stats, keys["leases"] + worker_name()
        )
        setattr(crawler, LEASES_ATTR, scheduler)
        return scheduler

    def open(self, spider: Any) -> Any:
        return self.shared.open(spider)

    def close(self, reason: str) -> Any:
        if self.local:
            logger.warning("%d comment-thread requests left unfetched", len(self.local))
        server = self.shared.server
        if reason == "finished":  # every response was handled
            server.delete(self.leases_key)
        else:  # stopped early: what this worker had taken goes back for the next worker
            count = requeue_leases(server, self.leases_key, self.shared.queue)
            if count:
                logger.info("Put %d leased requests back in the shared queue", count)
        return self.shared.close(reason)

    def __len__(self) -> int:
        return len(self.local) + len(self.shared)

    def has_pending_requests(self) -> bool:
        return bool(self.local) or self.shared.has_pending_requests()

    def enqueue_request(self, request: Request) -> bool:
        lease = request.meta.pop("lease", None)
        if lease:  # a retry or a redirect of a leased request: the queue holds it now
            self.release([lease])
        if any(key in request.meta for key in LOCAL_META_KEYS):
            self.local.append(request)
            self.stats.inc_value("newscrawl/distributed/local_requests")
            return True
        return self.shared.enqueue_request(request)

    def next_request(self) -> Request | None:
        if self.local:
            return self.local.popleft()
        from scrapy_redis.queue import PriorityQueue

        queue = getattr(self.shared, "queue", None)
        if queue is None:  # not scrapy-redis's scheduler: nothing to lease in
            return self.shared.next_request()
        lease = os.urandom(8).hex()
        if isinstance(queue, PriorityQueue):
            if self._pop is None:
                self._pop = queue.server.register_script(POP_AND_LEASE)
            data = self._pop(keys=[queue.key, self.leases_key], args=[lease])
            if data is None:
                return None
            request = queue._decode_request(data)
            self.stats.inc_value("scheduler/dequeued/redis")
        else:  # another queue class: leased right after the pop
            request = self.shared.next_request()
            if request is None:
                return None
            queue.server.hset(self.leases_key, lease, queue._encode_request(request))
        request.meta["lease"] = lease
        return request

    def release(self, leases: list[str]) -> None:
        self.shared.server.hdel(self.leases_key, *leases)


def requeue_leases(server: Any, key: str, queue: Any) -> int:
    """Put the requests of lease hash `key` back in `queue`; returns how many."""
    from redis.exceptions import ResponseError

    claimed = f"{key}:requeue:{worker_name()}"
    try:
        server.rename(key, claimed)  # one worker wins the whole hash
    except ResponseError:  # no such hash: nothing leased, or another worker took it
        return 0
    count = 0
    for data in server.hvals(claimed):
        queue.push(queue._decode_request(data))
        count += 1
    server.delete(claimed)
    return count


class WorkerPool:
    """Worker registry, keep-alive while the shared crawl has work, end-of-run cleanup, and safe
    SQLite sharing (see the module docstring)."""

    def __init__(self, crawler: Any):
        from scrapy_redis import connection

        settings = crawler.settings
        if not settings.get("REDIS_URL"):
            raise NotConfigured("distributed mode is off (NEWSCRAWL_REDIS_URL)")
        self.crawler = crawler
        self.server = connection.from_settings(settings)
        self.keys = redis_keys(settings, crawler.spidercls.name)
        self.idle_seconds = config.get(settings, "NEWSCRAWL_REDIS_IDLE_SECONDS")
        self.worker_timeout = config.get(settings, "NEWSCRAWL_REDIS_WORKER_TIMEOUT")
        self.worker = worker_name()
        self.state = ""
        self.idle_since: float | None = None
        self.queue: Any = None
        self.loops: list[Any] = []
        self.running = False
        db_path = config.get(settings, "NEWSCRAWL_DB")
        if db_path and not config.get(settings, "NEWSCRAWL_REDIS_STORE"):
            create_schema_once(self.server, db_path)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.request_reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> WorkerPool:
        return cls(crawler)

    # --- signals ------------------------------------------------------------------------

    def spider_opened(self, spider: Any) -> None:
        settings = self.crawler.settings
        queue_cls = load_object(settings.get("SCHEDULER_QUEUE_CLASS"))
        self.queue = queue_cls(server=self.server, spider=spider, key=self.keys["queue"])
        self.running = True
        self.mark("busy")  # start requests are on their way
        self.recover_dead()  # a killed worker of an earlier run may have left leases
        others = len(self.live_workers()) - 1
        logger.info(
            "Distributed worker %s: shared queue %s (%d requests), %d other worker(s)",
            self.worker, self.keys["queue"], len(self.queue), others,
        )  # fmt: skip
        for func, interval in ((self.heartbeat, HEARTBEAT_SECONDS), (self.wake, WAKE_SECONDS)):
            loop = create_looping_call(self._guarded, func)
            loop.start(interval, now=False)
            self.loops.append(loop)

    def request_reached(self, request: Request, spider: Any = None) -> None:
        self.idle_since = None
        if self.state != "busy":
            self.mark("busy")

    def spider_idle(self, spider: Any = None) -> None:
        """Close only when the whole crawl is idle: nothing queued, no worker busy, for a while."""
        self.mark("idle")
        self.recover_dead()
        stats = self.crawler.stats
        if len(self.queue) or any(state == "busy" for state in self.live_workers().values()):
            self.idle_since = None
            stats.inc_value("newscrawl/distributed/kept_open")
            raise DontCloseSpider
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_seconds:
            stats.inc_value("newscrawl/distributed/kept_open")
            raise DontCloseSpider
        logger.info(
            "Shared crawl idle for %.0f s: worker %s closes", self.idle_seconds, self.worker
        )

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.running = False
        for loop in self.loops:
            if loop.running:
                loop.stop()
        self.loops = []
        self.leave()

    # --- registry -----------------------------------------------------------------------

    def now(self) -> float:
        """Redis server time: worker clocks may disagree, the server's is the same for all."""
        seconds, micros = self.server.time()
        return seconds + micros / 1e6

    def mark(self, state: str) -> None:
        self.state = state
        self.server.hset(self.keys["workers"], self.worker, f"{state} {self.now()}")

    def wake(self) -> None:
        """While idle, have the engine look at the shared queue (and at whether to close) every
        WAKE_SECONDS instead of on its 5-second heartbeat: a worker joins a crawl another worker
        just filled within half a second. Uses the engine's own wake-up call (not public API:
        without it, the 5-second heartbeat still does the job)."""
        if self.state != "idle":
            return
        slot = getattr(getattr(self.crawler, "engine", None), "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None:
            nextcall.schedule()

    def heartbeat(self) -> None:
        self.mark(self.state or "busy")
        self.recover_dead()

    def recover_dead(self) -> int:
        """Put the leased requests of workers silent for the worker timeout (killed) back in the
        shared queue, and forget those workers; returns how many requests were put back."""
        if self.queue is None:
            return 0
        now = self.now()
        count = 0
        for name, value in self.server.hgetall(self.keys["workers"]).items():
            name = name.decode()
            beat = value.decode().partition(" ")[2]
            if name == self.worker or now - float(beat or 0) < self.worker_timeout:
                continue
            requeued = requeue_leases(self.server, self.keys["leases"] + name, self.queue)
            self.server.hdel(self.keys["workers"], name)
            if requeued:
                logger.warning(
                    "Worker %s stopped answering: its %d leased requests are back in the queue",
                    name, requeued,
                )  # fmt: skip
                self.crawler.stats.inc_value("newscrawl/distributed/requeued", requeued)
            count += requeued
        return count

    def live_workers(self) -> dict[str, str]:
        """Workers (this one included) heard from within the worker timeout: name → busy/idle."""
        now = self.now()
        live = {}
        for name, value in self.server.hgetall(self.keys["workers"]).items():
            state, _, beat = value.decode().partition(" ")
            if now - float(beat or 0) < self.worker_timeout:
                live[name.decode()] = state
        live.pop(self.worker, None)
        live[self.worker] = self.state
        return live

    def leave(self) -> None:
        """Unregister; the last live worker with nothing queued clears the run's keys."""
        from redis.exceptions import WatchError

        keys = self.keys
        with self.server.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(keys["workers"], keys["queue"])
                    others = [w for w in self.live_workers() if w != self.worker]
                    pending = len(self.queue) if self.queue is not None else 0
                    pipe.multi()
                    pipe.hdel(keys["workers"], self.worker)
                    if not others and not pending:
                        pipe.delete(keys["dupefilter"], keys["queue"], keys["workers"])
                    pipe.execute()
                    break
                except WatchError:
                    continue
        if others:
            logger.info(
                "Worker %s left; %d other worker(s) still crawling", self.worker, len(others)
            )
        elif pending:
            logger.info(
                "Last worker left %d requests in %s: the next worker resumes them",
                pending, keys["queue"],
            )  # fmt: skip
        else:
            logger.info("Shared crawl complete: Redis keys of %s cleared", keys["queue"])

    def _guarded(self, func: Any) -> None:
        """A looping call stops at its first exception: log it and keep the loop."""
        try:
            func()
        except Exception:
            logger.exception("Distributed worker %s: %s failed", self.worker, func.__name__)
