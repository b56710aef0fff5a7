"""The `newscrawl` command: demo, extract, reextract, import-warc, and the everyday tools around
the database."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .research.cli import add_research_commands
from .store import resolve_db_path
from .store.commands import add_store_commands


def _extract(args: argparse.Namespace) -> int:
    from .extract import extract_page
    from .profiles import load_profiles

    source = args.source
    if source.startswith(("http://", "https://")):
        try:
            html, content_type = _fetch(source)
        except FetchError as error:
            print(f"newscrawl extract: {error}", file=sys.stderr)
            return 2
        url = args.url or source
    else:
        path = Path(source)
        if not path.is_file():
            print(f"newscrawl extract: no such file: {source}", file=sys.stderr)
            return 2
        html = path.read_bytes()
        if path.suffix == ".gz":
            import gzip

            html = gzip.decompress(html)
        content_type = None
        url = args.url or path.resolve().as_uri()
    profile = None
    if args.profile:
        profiles = load_profiles()
        if args.profile not in profiles:
            print(
                f"newscrawl extract: unknown profile {args.profile!r} (have: {', '.join(profiles)})",
                file=sys.stderr,
            )
            return 2
        profile = profiles[args.profile]
    result = extract_page(html, url, profile, content_type=content_type)
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    for error in result.errors:  # the other stages' output is above
        print(f"newscrawl extract: stage failed: {error}", file=sys.stderr)
    return 0


class FetchError(Exception):
    """A page that could not be fetched; the message says why in one line."""


def _fetch(url: str, timeout: float = 30) -> tuple[bytes, str | None]:
    """The body and Content-Type of `url`, or a FetchError naming the URL and the reason."""
    import socket
    from urllib.error import HTTPError, URLError
    from urllib.parse import urlsplit
    from urllib.request import Request, urlopen

    from .settings import USER_AGENT

    try:
        with urlopen(Request(url, headers={"User-Agent": USER_AGENT}), timeout=timeout) as answer:
            return answer.read(), answer.headers.get("Content-Type")
    except HTTPError as error:
        raise FetchError(f"{url} answered HTTP {error.code} {error.reason}") from None
    except URLError as error:
        reason = error.reason
        if isinstance(reason, socket.gaierror):
            why = f"host {urlsplit(url).hostname!r} not found (DNS: {reason.strerror})"
        elif isinstance(reason, (TimeoutError, socket.timeout)):
            why = f"no answer within {timeout:g} s"
        else:
            why = getattr(reason, "strerror", None) or str(reason)
        raise FetchError(f"cannot fetch {url}: {why}") from None
    except TimeoutError:
        raise FetchError(f"cannot fetch {url}: no answer within {timeout:g} s") from None
    except (OSError, ValueError) as error:  # a reset connection, a malformed URL
        raise FetchError(f"cannot fetch {url}: {error}") from None


def _demo(args: argparse.Namespace) -> int:
    from .demo import format_summary, run_demo

    db = resolve_db_path(args.db)
    print(f"Crawling the bundled sample sites into {db} (offline, on 127.0.0.1)...")
    counts = run_demo(db, quiet=False)
    print(format_summary(counts))
    return 0


def _serve(args: argparse.Namespace) -> int:
    import errno
    import time

    from .samples import SITES_DIR
    from .samples.server import SampleSite

    have = sorted(p.name for p in SITES_DIR.iterdir() if p.is_dir())
    names = args.sites or have
    unknown = [name for name in names if name not in have]
    if unknown:
        print(
            f"newscrawl serve-samples: no bundled sample site {unknown[0]!r}"
            f" (have: {', '.join(have)})",
            file=sys.stderr,
        )
        return 2
    if not 0 <= args.port <= 65535 - len(names):
        print(
            f"newscrawl serve-samples: --port {args.port} is not a port (1-65535)", file=sys.stderr
        )
        return 2
    servers = []
    try:
        for i, name in enumerate(names):
            port = args.port + i if args.port else 0
            try:
                servers.append(SampleSite(SITES_DIR / name, port=port).start())
            except OSError as error:
                why = (
                    "is in use"
                    if error.errno == errno.EADDRINUSE
                    else f"cannot be used ({error.strerror})"
                )
                print(
                    f"newscrawl serve-samples: port {port} on 127.0.0.1 {why}; choose another"
                    " --port, or leave --port out to get free ports",
                    file=sys.stderr,
                )
                return 2
        for name, server in zip(names, servers, strict=True):
            print(f"{name}: {server.url}/")
        print("Serving; Ctrl-C stops.", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        for server in servers:
            server.stop()
    return 0


def _crawl(args: argparse.Namespace) -> int:
    from .multicrawl import crawl
    from .preflight import CrawlRefused

    try:
        return crawl(
            args.sites, args.all, resolve_db_path(args.db), args.jobs,
            Path(args.log_dir) if args.log_dir else None, args.spider_args, args.settings,
        )  # fmt: skip
    except CrawlRefused as refused:
        print(f"newscrawl crawl: {refused}", file=sys.stderr)
        return refused.exit_status


def _version() -> str:
    import platform
    from importlib.metadata import PackageNotFoundError, version

    try:
        scrapy_version = version("scrapy")
    except PackageNotFoundError:  # pragma: no cover
        scrapy_version = "?"
    return f"newscrawl {__version__} (Scrapy {scrapy_version}, Python {platform.python_version()})"


def _add_site(args: argparse.Namespace) -> int:
    from .onboard import main as add_site

    return add_site(args)


def _archive_summary(stats: dict, pages: int) -> str:
    def count(key: str) -> int:
        return int(stats.get(key) or 0)

    return (
        f"{pages} archived pages read: articles {count('newscrawl/articles/new')} new,"
        f" {count('newscrawl/articles/updated')} changed (new version),"
        f" {count('newscrawl/articles/unchanged')} unchanged;"
        f" links {count('newscrawl/links/new')} new, comments {count('newscrawl/comments/new')} new;"
        f" page failures {count('newscrawl/page_failures/resolved')} resolved,"
        f" {count('newscrawl/page_failures/new') + count('newscrawl/page_failures/updated')}"
        f" still failing; {count('newscrawl/warc/unreadable')} records unreadable"
    )


def _reextract(args: argparse.Namespace) -> int:
    from datetime import date

    from .reextract import run_archive_crawl, stored_pages

    db = resolve_db_path(args.db)
    if not db.is_file():
        print(f"newscrawl reextract: no database at {db}", file=sys.stderr)
        return 2
    since = date.fromisoformat(args.since) if args.since else None
    pages = stored_pages(db, site=args.site, since=since, failed=args.failed)
    if not pages:
        print("Nothing to re-extract (no archived responses match).")
        return 0
    print(f"Re-extracting {len(pages)} archived pages into {db} (offline)...", flush=True)
    stats = run_archive_crawl(pages, db, "reextract")
    print(_archive_summary(stats, len(pages)))
    return 0


def _import_warc(args: argparse.Namespace) -> int:
    from .reextract import run_archive_crawl, warc_pages

    db = resolve_db_path(args.db)
    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        print(f"newscrawl import-warc: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    print(f"Importing {len(args.files)} WARC file(s) into {db}...", flush=True)
    stats = run_archive_crawl(warc_pages(args.files, db), db, "import-warc")
    print(_archive_summary(stats, int(stats.get("newscrawl/reextract/pages") or 0)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newscrawl", description=__doc__)
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True)

    crawl = sub.add_parser(
        "crawl",
        help="crawl profiled sites, N at a time, with live progress and one exit status",
        description=(
            "Crawl profiled sites, each in its own `scrapy crawl` process, N at a time. A live"
            " line per site in a terminal; plain lines in <log dir>/crawl-<time>.log (and on"
            " stdout when it is not a terminal). Exit status: 0 when every site's crawl exited 0,"
            " else the highest of theirs (docs/scheduling.md)."
        ),
    )
    crawl.add_argument("sites", nargs="*", metavar="SITE", help="site profile names")
    crawl.add_argument("--all", action="store_true", help="every profiled site")
    crawl.add_argument(
        "--jobs", type=int, default=2, metavar="N", help="crawls at a time (default: 2)"
    )
    crawl.add_argument("--db", help="database path (default: $NEWSCRAWL_DB or data/news.db)")
    crawl.add_argument("--log-dir", help="where the logs go (default: logs/ beside the database)")
    crawl.add_argument(
        "-a",
        dest="spider_args",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="spider argument for every site, e.g. -a since=2025-01-01",
    )
    crawl.add_argument(
        "-s",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="Scrapy setting for every site, e.g. -s DOWNLOAD_DELAY=2",
    )
    crawl.set_defaults(func=_crawl)

    demo = sub.add_parser("demo", help="crawl the bundled sample sites into the database (offline)")
    demo.add_argument("--db", help="database path (default: $NEWSCRAWL_DB or data/news.db)")
    demo.set_defaults(func=_demo)

    extract = sub.add_parser("extract", help="print the extraction of one file or URL as JSON")
    extract.add_argument("source", metavar="FILE_OR_URL")
    extract.add_argument("--url", help="the page's URL, when extracting a saved file")
    extract.add_argument("--profile", help="site profile name (default: chosen by the URL's host)")
    extract.set_defaults(func=_extract)

    add = sub.add_parser(
        "add-site",
        help="write a site profile from what the site offers (feeds, sitemaps, CMS, comments)",
        description="Fetch a site's home page, robots.txt, feeds, sitemaps and a few pages (politely,"
        " through Scrapy), then write NAME.toml into your sites folder with the evidence for each value"
        " as a comment, and print what a first crawl would fetch.",
    )
    add.add_argument("url", metavar="URL", help="the site's home page")
    add.add_argument("--name", help="profile (spider) name (default: from the domain)")
    add.add_argument(
        "--save-sample", action="store_true",
        help="also save one article page and its expected output beside the profile (for scrapy check)",
    )  # fmt: skip
    add.add_argument(
        "--sites-dir", type=Path,
        help="folder to write into (default: the first NEWSCRAWL_SITES_DIR folder, else ~/.config/newscrawl/sites)",
    )  # fmt: skip
    add.add_argument(
        "--sample-pages", type=int, default=16, help="pages read to learn the URL pattern (16)"
    )
    add.add_argument("--dry-run", action="store_true", help="print the summary, write nothing")
    add.add_argument("--force", action="store_true", help="replace an existing NAME.toml")
    add.add_argument(
        "-s",
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="a Scrapy setting, as in scrapy crawl",
    )
    add.add_argument("-v", "--verbose", action="store_true", help="show the crawl's log")
    add.set_defaults(func=_add_site)

    serve = sub.add_parser("serve-samples", help="serve the bundled sample sites on 127.0.0.1")
    serve.add_argument("sites", nargs="*", help="site folders (default: all)")
    serve.add_argument("--port", type=int, default=0, help="first port (default: free ports)")
    serve.set_defaults(func=_serve)
    reextract = sub.add_parser(
        "reextract",
        help="run the installed extractor again over the archived responses (offline)",
    )
    reextract.add_argument("--db", help="database path (default: $NEWSCRAWL_DB or data/news.db)")
    reextract.add_argument("--site", help="only this site (sites.name)")
    reextract.add_argument(
        "--since", help="only articles published on or after YYYY-MM-DD (failures: failed since)"
    )
    reextract.add_argument(
        "--failed", action="store_true", help="only the open page failures (page_failures)"
    )
    reextract.set_defaults(func=_reextract)

    import_warc = sub.add_parser(
        "import-warc",
        help="load the HTML responses of WARC files (any crawler's) into the database",
    )
    import_warc.add_argument("files", nargs="+", metavar="FILE")
    import_warc.add_argument("--db", help="database path (default: $NEWSCRAWL_DB or data/news.db)")
    import_warc.set_defaults(func=_import_warc)
    add_research_commands(sub)
    add_store_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
