"""Robustness benchmark: `extract_page` on every visible corpus page and on seeded mangled ones.

Target (issue 14): 0 exceptions out of `extract_page` on all 1,781 visible corpus pages and on
at least 20,000 mangled versions of them (truncated, bytes flipped, tags stripped, chunks
shuffled, dropped or repeated, and the page shapes that broke crawls inserted; see
`newscrawl/robustness.py`). Stage isolation is turned off here (``isolate=False``), so an
exception counts even though a crawl would have contained it. The same seed gives the same
pages; a failure prints the set, page id and manglers to reproduce it. Run from the project
root::

    python benchmarks/robustness.py                       # 1,781 pages + 20,000 mangled
    python benchmarks/robustness.py --mangled 2000 --seed 7
    python benchmarks/robustness.py --json /tmp/robustness.json

Exit code 1 when any page raised, 2 when the corpus is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:  # runnable without installing the package
    sys.path.insert(0, str(PROJECT_ROOT))

from newscrawl.extract import extract_page  # noqa: E402
from newscrawl.robustness import corpus_pages, mangled_pages  # noqa: E402

DEFAULT_CORPUS = Path(os.environ.get("NEWSCRAWL_CORPUS", PROJECT_ROOT.parent / "shared" / "corpus"))
DEFAULT_JSON = PROJECT_ROOT / "benchmarks" / "results" / "robustness-latest.json"


def run(page_url: str, data: bytes) -> str | None:
    """None, or "Type at file:line: message" of the exception `extract_page` raised."""
    try:
        extract_page(data, page_url or "https://example.com/page/", False, isolate=False)
    except Exception as exc:  # noqa: BLE001 (counting them is the point)
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}: {exc}"[:300]
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--mangled", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 2
    pages = list(corpus_pages(args.corpus))
    failures: list[dict[str, str]] = []
    started = time.perf_counter()
    for page in pages:
        if error := run(page.url, page.html):
            failures.append({"set": page.set, "id": page.id, "mangled": "", "error": error})
    plain_seconds = time.perf_counter() - started
    kinds: Counter[str] = Counter()
    started = time.perf_counter()
    for done, (page, name, data) in enumerate(mangled_pages(pages, args.mangled, args.seed), 1):
        kinds[name] += 1
        if error := run(page.url, data):
            failures.append({"set": page.set, "id": page.id, "mangled": name, "error": error})
        if done % 2000 == 0:
            print(f"  {done} mangled pages, {len(failures)} exceptions so far", flush=True)
    mangled_seconds = time.perf_counter() - started
    by_type = Counter(f["error"].split(" at ")[0] for f in failures)
    print(f"corpus pages: {len(pages)} in {plain_seconds:.0f}s,"
          f" exceptions {sum(1 for f in failures if not f['mangled'])}")  # fmt: skip
    print(f"mangled pages: {args.mangled} (seed {args.seed}) in {mangled_seconds:.0f}s,"
          f" exceptions {sum(1 for f in failures if f['mangled'])}")  # fmt: skip
    print("manglers:", ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    for kind, count in by_type.most_common():
        print(f"  {count:5d}  {kind}")
    for failure in failures[:20]:
        print(
            f"  {failure['set']}/{failure['id']} [{failure['mangled'] or 'plain'}] {failure['error']}"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"pages": len(pages), "mangled": args.mangled, "seed": args.seed,
                    "plain_seconds": plain_seconds, "mangled_seconds": mangled_seconds,
                    "manglers": kinds, "failures": failures}, indent=1),
        encoding="utf-8",
    )  # fmt: skip
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
