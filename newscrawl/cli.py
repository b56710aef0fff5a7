"""The `newscrawl` command: demo, extract, and the everyday tools around the database."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .research.cli import add_research_commands
from .store import resolve_db_path
from .store.commands import add_store_commands


def _extract(args: argparse.Namespace) -> int:
    from .extract import extract_page
    from .profiles import load_profiles

    source = args.source
    if source.startswith(("http://", "https://")):
        from urllib.request import Request, urlopen

        from .settings import USER_AGENT

        with urlopen(Request(source, headers={"User-Agent": USER_AGENT}), timeout=30) as response:
            html = response.read()
            content_type = response.headers.get("Content-Type")
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
    return 0


def _demo(args: argparse.Namespace) -> int:
    from .demo import format_summary, run_demo

    db = resolve_db_path(args.db)
    print(f"Crawling the bundled sample sites into {db} (offline, on 127.0.0.1)...")
    counts = run_demo(db, quiet=False)
    print(format_summary(counts))
    return 0


def _serve(args: argparse.Namespace) -> int:
    import time

    from .samples import SITES_DIR, site_dir
    from .samples.server import SampleSite

    names = args.sites or sorted(p.name for p in SITES_DIR.iterdir() if p.is_dir())
    servers = [
        SampleSite(site_dir(name), port=args.port + i if args.port else 0).start()
        for i, name in enumerate(names)
    ]
    for name, server in zip(names, servers, strict=True):
        print(f"{name}: {server.url}/")
    print("Serving; Ctrl-C stops.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newscrawl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="crawl the bundled sample sites into the database (offline)")
    demo.add_argument("--db", help="database path (default: $NEWSCRAWL_DB or data/news.db)")
    demo.set_defaults(func=_demo)

    extract = sub.add_parser("extract", help="print the extraction of one file or URL as JSON")
    extract.add_argument("source", metavar="FILE_OR_URL")
    extract.add_argument("--url", help="the page's URL, when extracting a saved file")
    extract.add_argument("--profile", help="site profile name (default: chosen by the URL's host)")
    extract.set_defaults(func=_extract)

    serve = sub.add_parser("serve-samples", help="serve the bundled sample sites on 127.0.0.1")
    serve.add_argument("sites", nargs="*", help="site folders (default: all)")
    serve.add_argument("--port", type=int, default=0, help="first port (default: free ports)")
    serve.set_defaults(func=_serve)
    add_research_commands(sub)
    add_store_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
