"""Several processes opening one brand-new database at the same instant (parallel scrapyd jobs)."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

from newscrawl.store.db import Store
from newscrawl.store.schema import SCHEMA_VERSION

WORKERS = 6


def _open(
    path: str, barrier: multiprocessing.synchronize.Barrier, queue: multiprocessing.Queue
) -> None:
    barrier.wait()
    try:
        Store(Path(path)).close()
        queue.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which asserts on it
        queue.put(f"{type(exc).__name__}: {exc}")


def test_simultaneous_first_opens_create_the_schema_once(tmp_path: Path) -> None:
    path = str(tmp_path / "new.db")
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    queue = ctx.Queue()
    procs = [ctx.Process(target=_open, args=(path, barrier, queue)) for _ in range(WORKERS)]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    assert results == ["ok"] * WORKERS
    conn = sqlite3.connect(path)
    versions = [
        row[0] for row in conn.execute("select version from schema_version order by version")
    ]
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"


def _register_sites(
    path: str, barrier: multiprocessing.synchronize.Barrier, queue: multiprocessing.Queue
) -> None:
    store = Store(Path(path), busy_timeout_ms=60_000)
    barrier.wait()
    try:
        ids = {}
        for number in range(SITES):
            ids[f"site-{number}"] = store.site_id(f"site-{number}")
            store.commit()
        queue.put(ids)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which asserts on it
        queue.put(f"{type(exc).__name__}: {exc}")
    finally:
        store.close()


SITES = 60


def test_processes_sharing_a_database_register_each_site_once(tmp_path: Path) -> None:
    """scrapy-redis workers share one file: a site first seen by two of them at once is one row."""
    path = str(tmp_path / "shared.db")
    Store(Path(path)).close()
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_register_sites, args=(path, barrier, queue)) for _ in range(WORKERS)
    ]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    assert all(isinstance(result, dict) for result in results), results
    assert all(result == results[0] for result in results)  # every process got the same ids
    conn = sqlite3.connect(path)
    assert conn.execute("select count(*), count(distinct name) from sites").fetchone() == (
        SITES,
        SITES,
    )
