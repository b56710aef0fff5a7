"""The `store` and `merge` subcommands, registered by `newscrawl.cli.build_parser`.

Exit statuses: 0 done; 1 the database or Redis failed (nothing acknowledged, nothing lost);
2 usage; 3 some entries could not be stored (kept in the spool or the dead-letter stream).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from .. import config
from .db import resolve_db_path

DB_HELP = "database path (default: $NEWSCRAWL_DB or data/news.db)"


def project_settings():
    """newscrawl's Scrapy settings (or the project's, when SCRAPY_SETTINGS_MODULE names one)."""
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.settings")
    return get_project_settings()


def _logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s [%(name)s] %(levelname)s: %(message)s",
    )


def _store(args: argparse.Namespace) -> int:
    _logging(args.verbose)
    settings = project_settings()
    if args.stream:
        settings.set("NEWSCRAWL_REDIS_STREAM", args.stream, priority="cmdline")
    db = resolve_db_path(args.db or config.get(settings, "NEWSCRAWL_DB"))
    if args.from_spool:
        return _from_spool(db, [Path(p) for p in args.from_spool], settings)
    url = args.from_redis or config.get(settings, "NEWSCRAWL_REDIS_URL")
    if not url:
        print(
            "newscrawl store: give --from-redis URL (or set NEWSCRAWL_REDIS_URL), or --from-spool FILE",
            file=sys.stderr,
        )
        return 2
    try:
        import redis
    except ImportError:
        print(
            "newscrawl store: redis is missing: pip install 'newscrawl[distributed]'",
            file=sys.stderr,
        )
        return 2
    from ..redis_store import redis_client
    from ..redis_store.writer import StreamWriter, WriterLocked
    from .db import open_store

    store = open_store(db)
    try:
        writer = StreamWriter(store, redis_client(url), settings, batch=args.batch)
        return writer.run(
            until_idle=args.until_idle, drain=args.drain,
            run_timeout=config.get(settings, "NEWSCRAWL_REDIS_WORKER_TIMEOUT"),
        )  # fmt: skip
    except WriterLocked as error:
        print(f"newscrawl store: {error}", file=sys.stderr)
        return 1
    except redis.exceptions.ConnectionError as error:
        print(f"newscrawl store: cannot reach Redis at {url}: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()


def _from_spool(db: Path, files: list[Path], settings) -> int:
    """Write spooled entries; a file written whole is renamed ``<file>.<time>.done``."""
    from .db import open_store
    from .entries import EntryApplier

    status = 0
    store = open_store(db)
    try:
        applier = EntryApplier(store, settings)
        for path in files:
            if not path.is_file():
                print(f"newscrawl store: no such spool file: {path}", file=sys.stderr)
                status = 2
                continue
            left: list[str] = []
            written = 0
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    store.write(applier.apply, json.loads(line))
                except Exception as error:  # noqa: BLE001 - the line stays in the spool
                    applier.rolled_back()
                    logging.getLogger(__name__).error(
                        "%s line %d not stored: %s: %s", path, number, type(error).__name__, error
                    )
                    left.append(line)
                    continue
                applier.committed()
                written += 1
            if left:
                temp = path.with_name(path.name + ".tmp")
                temp.write_text("\n".join(left) + "\n", encoding="utf-8")
                temp.replace(path)
                status = 3
            else:
                path.rename(path.with_name(f"{path.name}.{time.strftime('%Y%m%dT%H%M%S')}.done"))
            print(f"{path}: {written} entries stored, {len(left)} left in the spool")
    finally:
        store.close()
    return status


def _merge(args: argparse.Namespace) -> int:
    from .merge import merge_databases

    out = Path(args.out)
    sources = [Path(p) for p in args.inputs]
    for source in sources:
        if not source.is_file():
            print(f"newscrawl merge: no database at {source}", file=sys.stderr)
            return 2
        if out.exists() and source.resolve() == out.resolve():
            print(f"newscrawl merge: {source} is the output database", file=sys.stderr)
            return 2
    started = time.monotonic()
    for report in merge_databases(out, sources):
        print(report.line())
    print(f"Merged {len(sources)} database(s) into {out} in {time.monotonic() - started:.1f} s")
    return 0


def add_store_commands(sub: argparse._SubParsersAction) -> None:
    """Register `store` and `merge` on the `newscrawl` parser."""
    store = sub.add_parser(
        "store",
        help="write what workers sent through Redis (or a spool file) into the database",
        description="The one SQLite writer for workers that store through Redis "
        "(NEWSCRAWL_REDIS_STORE), or a replay of pages a crawl could not store.",
    )
    source = store.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--from-redis", nargs="?", const="", metavar="URL",
        help="drain the item stream (URL default: NEWSCRAWL_REDIS_URL)",
    )  # fmt: skip
    source.add_argument("--from-spool", nargs="+", metavar="FILE", help="spool files to store")
    store.add_argument("--db", help=DB_HELP)
    store.add_argument("--stream", help="item stream key (default: NEWSCRAWL_REDIS_STREAM)")
    store.add_argument("--batch", type=int, default=100, help="entries per transaction (100)")
    store.add_argument(
        "--until-idle", type=float, metavar="SECONDS",
        help="stop once nothing arrived for SECONDS and every worker run seen has ended",
    )  # fmt: skip
    store.add_argument("--drain", action="store_true", help="stop as soon as the stream is empty")
    store.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    store.set_defaults(func=_store)

    merge = sub.add_parser(
        "merge",
        help="combine databases of separate crawls (same deduplication rules; idempotent)",
    )
    merge.add_argument("out", metavar="OUT.db", help="output database (created if missing)")
    merge.add_argument("inputs", nargs="+", metavar="IN.db", help="databases to merge in")
    merge.set_defaults(func=_merge)
