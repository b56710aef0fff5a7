"""Print the related-link blocks the generic detector keeps on real corpus pages.

The corpus has no gold for related blocks, so precision is judged by reading: this script
prints, per page, every block kept (label, kind, link count, first links) so a person can
mark each one as a true related/popular/section list or as a menu wrongly kept. Marks are
kept in a JSON file (``--judgments``); with one, the script prints precision over the
judged blocks and lists the blocks judged wrong and those not judged yet.

Run from the project root::

    python benchmarks/related_blocks.py --per-site 1 --limit 40          # one page per site
    python benchmarks/related_blocks.py --sets fundus --per-site 1 --judgments benchmarks/related_judgments.json
    python benchmarks/related_blocks.py --page de/FAZ_2024_04_17.html.gz --links 20

Judgments file: ``{"<set>:<page id>": {"<block label>": "ok" | "menu" | "other"}}``; "ok" is
a list of links to other articles (related, popular, section, dossier, sponsored, inline),
"menu" is navigation or other site chrome, "other" is any other wrong block (an author
list, links inside the article text, a job board).

Recall needs every block a reader sees, so it has its own file (``--recall``, kept in
``benchmarks/related_recall.json``): 64 pages of 64 sites (fundus, zyte, trafilatura and
WCXB articles, 2008-2026), each read by a person who listed every related, popular, section,
dossier and sponsored block with its label, its first (up to six) links and its link count,
without looking at what newscrawl finds::

    python benchmarks/related_blocks.py --recall benchmarks/related_recall.json

A judged block is found when one block newscrawl keeps holds at least half of its listed
links (URLs compared canonicalised); a kept block is right when it is the finding of a
judged block. Recall is over judged blocks, precision over the kept blocks of those pages.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:  # runnable without installing the package
    sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks import evaluation as ev  # noqa: E402
from newscrawl.extract import extract_page  # noqa: E402
from newscrawl.urls import canonicalize_url, same_site, site_host  # noqa: E402

DEFAULT_CORPUS = Path(os.environ.get("NEWSCRAWL_CORPUS", PROJECT_ROOT.parent / "shared" / "corpus"))
LOADERS = {
    "zyte": ev.load_zyte,
    "fundus": ev.load_fundus,
    "trafilatura": ev.load_trafilatura,
    "wcxb": ev.load_wcxb,
}


def pages(corpus: Path, sets: list[str], per_site: int, only: str | None) -> Iterator[tuple]:
    """(set, page) pairs, at most `per_site` pages of each host (so sites count once)."""
    seen: dict[str, int] = {}
    for name in sets:
        for page in LOADERS[name](corpus):
            if only and page.id != only:
                continue
            host = site_host(page.url)
            if per_site and seen.get(host, 0) >= per_site:
                continue
            seen[host] = seen.get(host, 0) + 1
            yield name, page


def run(args: argparse.Namespace) -> dict[str, Any]:
    judgments: dict[str, dict[str, str]] = {}
    if args.judgments and Path(args.judgments).exists():
        judgments = json.loads(Path(args.judgments).read_text(encoding="utf-8"))
    counts = {"pages": 0, "pages_with_blocks": 0, "blocks": 0, "links": 0}
    verdicts: dict[str, int] = {}
    wrong: list[str] = []
    unjudged: list[str] = []
    for set_name, page in pages(args.corpus, args.sets.split(","), args.per_site, args.page):
        if args.limit and counts["pages"] >= args.limit:
            break
        counts["pages"] += 1
        key = f"{set_name}:{page.id}"
        result = extract_page(page.html, page.url, False)
        print(f"== {key}  {page.url}")
        counts["pages_with_blocks"] += bool(result.related)
        for block in result.related:
            counts["blocks"] += 1
            counts["links"] += len(block.links)
            own = sum(same_site(link.url, page.url) for link in block.links)
            verdict = judgments.get(key, {}).get(block.label)
            mark = f" <{verdict}>" if verdict else ""
            print(
                f"   [{block.kind}] {block.label!r}: {len(block.links)} links,"
                f" {own} same-site{mark}"
            )
            for link in block.links[: args.links]:
                print(f"      {link.position}. {(link.text or '')[:70]!r} -> {link.url[:110]}")
            if verdict:
                verdicts[verdict] = verdicts.get(verdict, 0) + 1
                if verdict != "ok":
                    wrong.append(f"{key}  {block.label!r} ({verdict})")
            else:
                unjudged.append(f"{key}  {block.label!r}")
    judged = sum(verdicts.values())
    summary = {
        **counts,
        "judged": judged,
        "verdicts": verdicts,
        "precision": round(verdicts.get("ok", 0) / judged, 3) if judged else None,
        "wrong": wrong,
        "unjudged": unjudged,
    }
    print(
        "\n"
        + json.dumps(
            {k: v for k, v in summary.items() if k != "unjudged"}, indent=1, ensure_ascii=False
        )
    )
    if args.judgments and unjudged:
        print(f"{len(unjudged)} blocks not judged yet:\n  " + "\n  ".join(unjudged))
    return summary


def _matches(kept: set[str], judged: set[str]) -> bool:
    """A kept block is the judged one when it holds at least half of its listed links."""
    return bool(judged) and 2 * len(kept & judged) >= len(judged)


def score_recall(corpus: Path, path: Path) -> dict[str, Any]:
    """Recall and precision of the kept blocks against a file of judged pages (see above)."""
    judged_pages = json.loads(path.read_text(encoding="utf-8"))
    wanted: dict[str, set[str]] = {}
    for key in judged_pages:
        set_name, page_id = key.split(":", 1)
        wanted.setdefault(set_name, set()).add(page_id)
    found = kept_total = kept_right = judged_total = 0
    missed: list[str] = []
    wrong: list[str] = []
    for set_name, ids in wanted.items():
        for page in LOADERS[set_name](corpus):
            if page.id not in ids:
                continue
            key = f"{set_name}:{page.id}"
            result = extract_page(page.html, page.url, False)
            kept = [
                (b.label, {canonicalize_url(link.url, base=page.url) for link in b.links})
                for b in result.related
            ]
            judged = [
                (b["label"], {canonicalize_url(u, base=page.url) for u in b["links"]})
                for b in judged_pages[key]["blocks"]
            ]
            judged_total += len(judged)
            kept_total += len(kept)
            for label, urls in judged:
                if any(_matches(k, urls) for _, k in kept):
                    found += 1
                else:
                    missed.append(f"{key}  {label!r}")
            for label, urls in kept:
                if any(_matches(urls, j) for _, j in judged):
                    kept_right += 1
                else:
                    wrong.append(f"{key}  {label!r}")
    summary = {
        "pages": sum(len(ids) for ids in wanted.values()),
        "judged_blocks": judged_total,
        "found": found,
        "recall": round(found / judged_total, 3) if judged_total else None,
        "kept_blocks": kept_total,
        "kept_right": kept_right,
        "precision": round(kept_right / kept_total, 3) if kept_total else None,
    }
    print(json.dumps(summary, indent=1))
    print(f"{len(missed)} judged blocks not found:\n  " + "\n  ".join(missed))
    print(f"{len(wrong)} kept blocks no judge listed:\n  " + "\n  ".join(wrong))
    return {**summary, "missed": missed, "wrong": wrong}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sets", default="fundus,zyte,trafilatura")
    parser.add_argument("--per-site", type=int, default=1, help="pages per host (0: all)")
    parser.add_argument("--limit", type=int, default=0, help="stop after N pages")
    parser.add_argument("--links", type=int, default=3, help="links printed per block")
    parser.add_argument("--page", help="only this page id")
    parser.add_argument("--judgments", help="JSON file of hand marks per block (see above)")
    parser.add_argument("--recall", type=Path, help="JSON file of every block of judged pages")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    if args.recall:
        score_recall(args.corpus, args.recall)
    else:
        run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
