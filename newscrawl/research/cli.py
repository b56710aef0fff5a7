"""The `browse`, `stats` and `export` subcommands, registered by `newscrawl.cli.build_parser`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..store import open_store, resolve_db_path

DB_HELP = "database path (default: $NEWSCRAWL_DB or data/news.db)"


def _existing_db(value: str | None, command: str) -> Path | None:
    """The database path, or None (after saying so) when there is no such file."""
    path = resolve_db_path(value)
    if not path.is_file():
        print(f"newscrawl {command}: no database at {path}", file=sys.stderr)
        return None
    return path


def _size(value: str) -> tuple[int, int]:
    """Parse WIDTHxHEIGHT in pixels."""
    try:
        width, height = (int(part) for part in value.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected WIDTHxHEIGHT, e.g. 1200x800, not {value!r}"
        ) from None
    if not (100 <= width <= 10_000 and 100 <= height <= 10_000):
        raise argparse.ArgumentTypeError("width and height must be between 100 and 10000 pixels")
    return width, height


def _browse(args: argparse.Namespace) -> int:
    from .browse import browse

    path = _existing_db(args.db, "browse")
    if path is None:
        return 2
    extra = args.datasette_args[1:] if args.datasette_args[:1] == ["--"] else args.datasette_args
    return browse(path, args.host, args.port, extra, upgrade=not args.no_upgrade)


def _stats(args: argparse.Namespace) -> int:
    from .stats import PlotError, format_table, plot_daily, plot_format, site_stats

    path = _existing_db(args.db, "stats")
    if path is None:
        return 2
    if args.plot:
        try:
            plot_format(Path(args.plot))  # refuse a format we cannot write before any work
        except PlotError as error:
            print(f"newscrawl stats: {error}", file=sys.stderr)
            return 2
    store = open_store(path, readonly=True)
    try:
        print(format_table(site_stats(store.conn)))
        if args.plot:
            width, height = args.size
            try:
                drawn = plot_daily(store.conn, Path(args.plot), width, height)
            except PlotError as error:
                print(f"newscrawl stats: {error}", file=sys.stderr)
                return 2
            print(
                f"Plot: {args.plot} ({width}x{height} px; {drawn['articles']} articles,"
                f" {drawn['comments']} comments by day)"
            )
    finally:
        store.conn.close()
    return 0


def _export(args: argparse.Namespace) -> int:
    from .export import DEFAULT_TABLES, FORMATS, export_tables

    fmt = next(name for name in FORMATS if getattr(args, name))
    out_dir = Path(getattr(args, fmt))
    path = _existing_db(args.db, "export")
    if path is None:
        return 2
    store = open_store(path, readonly=True)
    try:
        written = export_tables(store.conn, out_dir, args.table or DEFAULT_TABLES, fmt)
    except ValueError as error:  # ExportError too
        print(f"newscrawl export: {error}", file=sys.stderr)
        return 2
    finally:
        store.conn.close()
    suffix = FORMATS[fmt][0]
    for table, rows in written.items():
        print(f"{out_dir / (table + suffix)}: {rows} rows")
    return 0


def add_research_commands(sub: argparse._SubParsersAction) -> None:
    """Register browse, stats and export on the `newscrawl` parser."""
    browse = sub.add_parser(
        "browse",
        help="open the database in Datasette (read-only) with its metadata and canned queries",
        description="Serve the database with Datasette; arguments after -- go to Datasette.",
    )
    browse.add_argument("--db", help=DB_HELP)
    browse.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    browse.add_argument("--port", type=int, default=8001, help="port (default: 8001)")
    browse.add_argument(
        "--no-upgrade",
        action="store_true",
        help="serve the file as it is, without first adding missing views",
    )
    browse.add_argument(
        "datasette_args", nargs=argparse.REMAINDER, help="-- then Datasette options"
    )
    browse.set_defaults(func=_browse)

    stats = sub.add_parser("stats", help="per-site summary table; --plot draws items per day")
    stats.add_argument("--db", help=DB_HELP)
    stats.add_argument(
        "--plot",
        metavar="OUT.png",
        help="also draw articles and comments per day (.png, .jpg, .svg, .pdf, .webp, .tiff)",
    )
    stats.add_argument(
        "--size", type=_size, default=(1200, 800), metavar="WxH", help="plot size in pixels"
    )
    stats.set_defaults(func=_stats)

    export = sub.add_parser(
        "export",
        help="write tables and views as Parquet, JSON Lines or CSV files",
        description="One file per table or view (<table>.parquet, .jsonl or .csv) in DIR.",
    )
    export.add_argument("--db", help=DB_HELP)
    formats = export.add_mutually_exclusive_group(required=True)
    formats.add_argument("--parquet", metavar="DIR", help="Parquet files into DIR")
    formats.add_argument("--jsonl", metavar="DIR", help="JSON Lines files into DIR")
    formats.add_argument("--csv", metavar="DIR", help="CSV files into DIR")
    export.add_argument(
        "--table",
        action="append",
        metavar="NAME",
        help="table or view to export, repeatable (default: sites, articles, related_links, comments)",
    )
    export.set_defaults(func=_export)
