"""Storing through Redis: workers on several machines, one SQLite writer.

Why: SQLite is safe for several processes on one machine only. Workers elsewhere share nothing
but a Redis server: scrapy-redis shares their request queue (newscrawl.distributed), and with
``NEWSCRAWL_REDIS_STORE = True`` their pages go, as JSON entries (newscrawl.store.entries), to a
Redis stream instead of the database. One ``newscrawl store --from-redis`` process reads the
stream in a consumer group and writes the pages through the same normalise → validate →
deduplicate → store steps as a local crawl.

- Nothing lost, nothing twice: an entry is acknowledged (and deleted) only after the
  transaction that wrote it committed, and that transaction also records the entry's id in
  `stream_offsets`; a writer killed before its commit gets the entries again, one killed after
  it skips them.
- Workers never open the database: what the crawl reads from the store (a URL's fetch state:
  ETag, Last-Modified, content hash, due time, whether its comments came from an API; feed and
  sitemap validators; the due articles of a site) the writer keeps in Redis, rebuilt from the
  database when it starts and updated after each commit. Workers' writes to that ledger (a 304,
  a sitemap lastmod, discovery validators) are entries too.

Keys (``NEWSCRAWL_REDIS_STREAM``, default ``newscrawl:items``; ``NEWSCRAWL_REDIS_STATE_KEY``,
default ``newscrawl:state``) are listed by `stream_keys` and `state_keys`; docs/scaling.md.
"""

from __future__ import annotations

from typing import Any

from .. import config

DEFAULT_STREAM = config.default("NEWSCRAWL_REDIS_STREAM")
DEFAULT_STATE = config.default("NEWSCRAWL_REDIS_STATE_KEY")
GROUP = "newscrawl-writer"
CONSUMER = "writer"  # one name: a restarted writer finds the entries its predecessor had read


def stream_keys(settings: Any) -> dict[str, str]:
    """The item stream and its companions: writer lock, epoch, dead letters."""
    stream = (
        config.get(settings, "NEWSCRAWL_REDIS_STREAM") if settings else None
    ) or DEFAULT_STREAM
    return {
        "stream": stream,
        "epoch": f"{stream}:epoch",
        "lock": f"{stream}:writer",
        "dead": f"{stream}:dead",
    }


def state_keys(settings: Any) -> dict[str, str]:
    """The ledger copy: fetch state by url_key, due times per site, discovery validators."""
    prefix = (
        config.get(settings, "NEWSCRAWL_REDIS_STATE_KEY") if settings else None
    ) or DEFAULT_STATE
    return {
        "fetch": f"{prefix}:fetch",
        "due": f"{prefix}:due:",  # + site name: sorted set of url_keys by next_due
        "discovery": f"{prefix}:discovery",
        "ready": f"{prefix}:ready",
    }


def redis_client(url: str) -> Any:
    """A redis-py client for `url`, retrying a dropped connection a few times."""
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(
        url,
        retry=Retry(ExponentialBackoff(cap=2.0, base=0.1), 5),
        retry_on_error=[redis.exceptions.ConnectionError, redis.exceptions.TimeoutError],
        health_check_interval=30,
    )
