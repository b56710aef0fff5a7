"""``newscrawl store --from-redis``: the one process that writes the workers' pages into SQLite.

Reads the item stream in a consumer group, a batch at a time; applies the batch's entries in one
transaction that also moves the stream's offset (`stream_offsets`), commits, then updates the
ledger copy in Redis and acknowledges and deletes the entries. Killed before the commit, the
entries are read again (they are still pending); killed after it, the offset says they are done.
An entry that cannot be applied (malformed JSON, a bad item) goes to the dead-letter stream
``<stream>:dead`` with the reason, and the writer exits non-zero at the end.

A lock in Redis (``<stream>:writer``) keeps a second writer from draining the same stream.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sqlite3
import time
from typing import Any

from .. import config
from ..store.db import Store, StoreWriteError
from ..store.entries import BadEntry, EntryApplier
from ..store.pages import Spool, spool_path
from . import CONSUMER, GROUP, state_keys, stream_keys

logger = logging.getLogger(__name__)

LOCK_SECONDS = 15
API_SOURCES = ("wp-rest", "disqus-json")
FETCH_ROW = (
    "select f.*, exists(select 1 from comments c where c.article_id = f.article_id"
    " and c.source in (?, ?)) as api_comments from fetch_state f"
)


def entry_id_tuple(entry_id: str) -> tuple[int, int]:
    millis, _, seq = entry_id.partition("-")
    return int(millis), int(seq or 0)


class LedgerMirror:
    """The copy of the incremental ledger workers read (see newscrawl.redis_store)."""

    def __init__(self, store: Store, server: Any, settings: Any):
        self.store = store
        self.server = server
        self.keys = state_keys(settings)

    def _rows(self, where: str = "", params: tuple = ()) -> Any:
        cursor = self.store.conn.execute(f"{FETCH_ROW} {where}", (*API_SOURCES, *params))
        names = [c[0] for c in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))

    def _put(self, pipe: Any, state: dict[str, Any], fetch_key: str, due_prefix: str) -> None:
        from ..dates import parse_datetime

        state["api_comments"] = bool(state["api_comments"])
        pipe.hset(fetch_key, state["url_key"], json.dumps(state, ensure_ascii=False))
        due = parse_datetime(state.get("next_due"))
        if state.get("site") and due is not None:
            pipe.zadd(due_prefix + state["site"], {state["url_key"]: due.timestamp()})

    def rebuild(self, tick: Any = None) -> int:
        """Copy the whole ledger from the database (new keys swapped in at the end); `tick` is
        called every 1,000 URLs (the writer renews its lock)."""
        for stale in self.server.scan_iter(match=f"{self.keys['fetch']}:rebuilding:*"):
            self.server.delete(stale)  # left by a writer killed while rebuilding
        for stale in self.server.scan_iter(match=f"{self.keys['discovery']}:rebuilding:*"):
            self.server.delete(stale)
        temp = f"{self.keys['fetch']}:rebuilding:{os.getpid()}"
        due_temp = f"{temp}:due:"
        count = 0
        pipe = self.server.pipeline(transaction=False)
        sites: set[str] = set()
        for state in self._rows():
            self._put(pipe, state, temp, due_temp)
            if state.get("site"):
                sites.add(state["site"])
            count += 1
            if count % 1000 == 0:
                pipe.execute()
                if tick is not None:
                    tick()
        discovery_temp = f"{self.keys['discovery']}:rebuilding:{os.getpid()}"
        for url, kind, etag, modified in self.store.conn.execute(
            "select url, kind, etag, last_modified from discovery_state"
        ):
            value = {"kind": kind, "etag": etag, "last_modified": modified}
            pipe.hset(discovery_temp, url, json.dumps(value))
        pipe.execute()
        old_due = list(self.server.scan_iter(match=self.keys["due"] + "*", count=1000))
        swap = self.server.pipeline(transaction=True)
        swap.delete(self.keys["fetch"], self.keys["discovery"], *old_due)
        if count:
            swap.rename(temp, self.keys["fetch"])
        for site in sites:
            swap.rename(due_temp + site, self.keys["due"] + site)
        if self.server.exists(discovery_temp):
            swap.rename(discovery_temp, self.keys["discovery"])
        swap.set(self.keys["ready"], f"{count} URLs from {self.store.path} at {time.time():.0f}")
        swap.execute()
        return count

    def update(self, url_keys: set[str], discovery_urls: set[str]) -> None:
        """After a commit: the rows that changed."""
        if not url_keys and not discovery_urls:
            return
        pipe = self.server.pipeline(transaction=False)
        keys = sorted(url_keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for state in self._rows(f"where f.url_key in ({marks})", tuple(chunk)):
                self._put(pipe, state, self.keys["fetch"], self.keys["due"])
        for url in sorted(discovery_urls):
            row = self.store.conn.execute(
                "select kind, etag, last_modified from discovery_state where url = ?", (url,)
            ).fetchone()
            if row:
                value = {"kind": row[0], "etag": row[1], "last_modified": row[2]}
                pipe.hset(self.keys["discovery"], url, json.dumps(value))
        pipe.execute()


class WriterLocked(RuntimeError):
    """Another writer drains this stream."""


class StreamWriter:
    """Drains the item stream into the store (see the module docstring)."""

    def __init__(self, store: Store, server: Any, settings: Any, *, batch: int = 100,
                 block_ms: int = 1000) -> None:  # fmt: skip
        self.store = store
        self.server = server
        self.keys = stream_keys(settings)
        self.stream = self.keys["stream"]
        self.batch = batch
        self.block_ms = block_ms
        self.applier = EntryApplier(
            store,
            settings,
            spool=Spool(spool_path(store.path, config.get(settings, "NEWSCRAWL_SPOOL"))),
        )
        self.stats = self.applier.stats
        self.mirror = LedgerMirror(store, server, settings)
        self.token = f"{socket.gethostname()}:{os.getpid()}"
        self.lock_renewed = 0.0
        self.epoch = ""
        self.offset = (0, 0)
        self.pending_phase = True
        self.stopping = False
        self.dead = 0
        self.open_runs: dict[str, float] = {}  # run key → last time an entry of it arrived

    # --- start ------------------------------------------------------------------------------

    def acquire(self, wait_seconds: float = LOCK_SECONDS + 5) -> None:
        """Take the writer lock; a lock left by a dead writer on this machine is taken over."""
        deadline = time.monotonic() + wait_seconds
        while True:
            if self.server.set(self.keys["lock"], self.token, nx=True, ex=LOCK_SECONDS):
                self.lock_renewed = time.monotonic()
                return
            holder = (self.server.get(self.keys["lock"]) or b"").decode()
            host, _, pid = holder.rpartition(":")
            if host == socket.gethostname() and pid.isdigit() and not _alive(int(pid)):
                logger.info("Taking over the lock of writer %s (no longer running)", holder)
                self.server.delete(self.keys["lock"])
                continue
            if time.monotonic() > deadline:
                raise WriterLocked(f"another writer ({holder}) drains {self.stream}")
            time.sleep(0.5)

    def renew(self) -> None:
        if time.monotonic() - self.lock_renewed < LOCK_SECONDS / 3:
            return
        holder = self.server.get(self.keys["lock"])
        if holder is not None and holder.decode() != self.token:
            raise WriterLocked(f"writer lock of {self.stream} taken by {holder.decode()}")
        self.server.set(self.keys["lock"], self.token, ex=LOCK_SECONDS)
        self.lock_renewed = time.monotonic()

    def release(self) -> None:
        holder = self.server.get(self.keys["lock"])
        if holder is not None and holder.decode() == self.token:
            self.server.delete(self.keys["lock"])

    def prepare(self) -> None:
        """Consumer group, the stream's epoch, our offset in it, and a fresh ledger copy."""
        import redis

        try:
            self.server.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except redis.exceptions.ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise
        self.server.set(self.keys["epoch"], os.urandom(8).hex(), nx=True)
        self.epoch = self.server.get(self.keys["epoch"]).decode()
        row = self.store.conn.execute(
            "select epoch, last_id from stream_offsets where stream = ?", (self.stream,)
        ).fetchone()
        if row and row[0] == self.epoch:
            self.offset = entry_id_tuple(row[1])
        else:
            if row:
                logger.info("Stream %s is new in Redis (epoch %s): reading it from the start",
                            self.stream, self.epoch)  # fmt: skip
            self.offset = (0, 0)
        self.pending_phase = True
        started = time.monotonic()
        count = self.mirror.rebuild(tick=self.renew)
        logger.info(
            "Ledger copy in Redis: %d URLs (%.1f s); draining %s into %s",
            count, time.monotonic() - started, self.stream, self.store.path,
        )  # fmt: skip

    # --- the loop -----------------------------------------------------------------------------

    def read(self) -> list[tuple[str, dict[bytes, bytes]]]:
        """The next batch: our pending entries first (a killed writer's), then new ones."""
        start = "0" if self.pending_phase else ">"
        reply = self.server.xreadgroup(
            GROUP, CONSUMER, {self.stream: start}, count=self.batch,
            block=None if self.pending_phase else self.block_ms,
        )  # fmt: skip
        entries = reply[0][1] if reply else []
        if self.pending_phase and not entries:
            self.pending_phase = False
            return self.read()
        return [(i.decode() if isinstance(i, bytes) else i, f) for i, f in entries]

    def apply(self, entries: list[tuple[str, dict[bytes, bytes]]]) -> int:
        """Write one batch; returns how many entries were applied (not skipped or dead)."""
        fresh = [(i, f) for i, f in entries if entry_id_tuple(i) > self.offset]
        dead: list[tuple[str, bytes, str]] = []
        kinds: list[tuple[str, str | None]] = []
        if fresh:
            last = fresh[-1][0]

            def work() -> None:
                dead.clear()
                kinds.clear()
                for entry_id, fields in fresh:
                    raw = fields.get(b"e") or b""
                    try:
                        entry = json.loads(raw)
                    except ValueError as error:
                        dead.append((entry_id, raw, f"not JSON: {error}"))
                        continue
                    try:
                        with self.store.savepoint():
                            kinds.append((self.applier.apply(entry), entry.get("run")))
                    except (BadEntry, KeyError, TypeError, ValueError, AttributeError,
                            sqlite3.IntegrityError, sqlite3.InterfaceError) as error:  # fmt: skip
                        dead.append((entry_id, raw, f"{type(error).__name__}: {error}"))
                self.store.conn.execute(
                    "insert into stream_offsets (stream, epoch, last_id, entries, updated)"
                    " values (?, ?, ?, ?, datetime('now')) on conflict (stream) do update set"
                    " epoch = excluded.epoch, last_id = excluded.last_id, updated = excluded.updated,"
                    " entries = case when stream_offsets.epoch = excluded.epoch"
                    " then stream_offsets.entries + excluded.entries else excluded.entries end",
                    (self.stream, self.epoch, last, len(fresh)),
                )

            try:
                self.store.write(work)
            except BaseException:
                self.applier.rolled_back()
                raise
            self.applier.committed()
            self.applier.forget_finished(kinds)
            self.offset = entry_id_tuple(last)
            self.mirror.update(self.applier.touched, self.applier.discovered)
            self.applier.touched.clear()
            self.applier.discovered.clear()
            now = time.monotonic()
            for kind, run in kinds:
                if kind == "run_finish":
                    self.open_runs.pop(run or "unknown", None)
                else:
                    self.open_runs[run or "unknown"] = now
            for entry_id, raw, reason in dead:
                self.dead += 1
                self.stats.inc_value("newscrawl/writer/dead_letters")
                logger.error("Entry %s of %s set aside in %s: %s", entry_id, self.stream,
                             self.keys["dead"], reason)  # fmt: skip
                self.server.xadd(self.keys["dead"], {"id": entry_id, "e": raw, "reason": reason})
        ids = [i for i, _ in entries]
        if ids:
            pipe = self.server.pipeline(transaction=True)
            pipe.xack(self.stream, GROUP, *ids)
            pipe.xdel(self.stream, *ids)
            pipe.execute()
        return len(fresh) - len(dead)

    def run(self, *, until_idle: float | None = None, drain: bool = False,
            run_timeout: float = 60.0) -> int:  # fmt: skip
        """Drain until stopped (SIGINT/SIGTERM), or until idle; returns the exit status.

        `drain`: stop as soon as the stream is empty. `until_idle`: stop once nothing arrived
        for that many seconds and every run seen starting has finished (or sent nothing for
        `run_timeout` seconds: a killed worker). Entries left in the stream wait for the next
        writer: stopping early loses nothing.
        """
        self.acquire()
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        failures = 0
        last_entry = time.monotonic()
        try:
            self.prepare()
            while not self.stopping:
                self.renew()
                entries = self.read()
                if entries:
                    try:
                        self.apply(entries)
                        failures = 0
                    except (StoreWriteError, sqlite3.OperationalError) as error:
                        failures += 1
                        self.stats.inc_value("newscrawl/writer/batch_failures")
                        logger.error("Batch of %d entries not written (%s); retry %d",
                                     len(entries), error, failures)  # fmt: skip
                        if failures >= 5:
                            logger.error("Giving up: the entries stay in %s", self.stream)
                            return 1
                        self.pending_phase = True  # read them again
                        time.sleep(min(2**failures, 30))
                        continue
                    last_entry = time.monotonic()
                    continue
                if drain and not self.pending_phase:
                    break
                if until_idle is not None:
                    now = time.monotonic()
                    live = [r for r, seen in self.open_runs.items() if now - seen < run_timeout]
                    if now - last_entry >= until_idle and not live:
                        break
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.release()
        self.log_summary()
        return 3 if self.dead or self.stats.get_value("newscrawl/store/failed") else 0

    def _stop(self, signum: int, frame: Any) -> None:
        logger.info("Signal %d: finishing the current batch, then stopping", signum)
        self.stopping = True

    def log_summary(self) -> None:
        values = self.stats.get_stats()
        shown = {k: v for k, v in sorted(values.items()) if v}
        logger.info(
            "Writer done: %s",
            ", ".join(f"{k.removeprefix('newscrawl/')}={v}" for k, v in shown.items()) or "nothing",
        )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
