"""Where `extract_page` spends its time, and how it compares with trafilatura, page by page:
medians, CPU percentiles (p50/p90/p99/max), the pages over 3x trafilatura's time, stages.

Run from the project root::

    python benchmarks/extract_speed.py --corpus ../shared/corpus
    python benchmarks/extract_speed.py --repeat 2       # two passes, each page's fastest run
    python benchmarks/extract_speed.py --sets zyte --limit 20 --cprofile /tmp/nc.prof

Each page is extracted by newscrawl and by trafilatura back to back (the order alternating
from page to page), so a change in machine load hits both alike: the ratio of two medians
measured minutes apart moved between 0.88 and 1.51 on a shared machine, this one does not.
newscrawl's CPU time is also split into its stages (parse, metadata, comments, related,
body) by wrapping the functions `extract_page` calls; "other" is what is left of the total.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:  # runnable without installing the package
    sys.path.insert(0, str(PROJECT_ROOT))

import newscrawl.extract as nc_extract  # noqa: E402
from benchmarks import evaluation as ev  # noqa: E402

DEFAULT_CORPUS = Path(os.environ.get("NEWSCRAWL_CORPUS", PROJECT_ROOT.parent / "shared" / "corpus"))
STAGES = ("parse", "metadata", "comments", "related", "body", "page_type", "other")
# Functions `extract_page` looks up in its module at call time, and the stage each belongs to.
_STAGE_OF: dict[str, str] = {
    "parse_html": "parse",
    "extract_comments": "comments",
    "find_body_elements": "related",
    "extract_related": "related",
    "extract_body": "body",
    "remove_counterparts": "body",
    "article_fields": "metadata",
    "is_article": "metadata",
}


class StageClock:
    """CPU seconds per stage for the page being extracted (nested calls count once)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._depth = 0

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth:
                return fn(*args, **kwargs)
            self._depth += 1
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[stage] += time.process_time() - start
                self._depth -= 1

        return timed

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """Patch the stage functions into `newscrawl.extract` for the duration."""
        saved: dict[tuple[Any, str], Any] = {}
        targets = [(nc_extract, name, stage) for name, stage in _STAGE_OF.items()]
        targets.append((nc_extract.metadata, "gather", "metadata"))
        targets.append((nc_extract.page_type, "decide", "page_type"))
        for module, name, stage in targets:
            if hasattr(module, name):
                saved[(module, name)] = getattr(module, name)
                setattr(module, name, self.wrap(stage, saved[(module, name)]))
        try:
            yield
        finally:
            for (module, name), fn in saved.items():
                setattr(module, name, fn)


def pages(corpus: Path, sets: list[str], limit: int | None) -> Iterator[tuple[str, str, str]]:
    """(set/id, html, url) for every chosen page."""
    for set_name in sets:
        for i, page in enumerate(ev.load_set(set_name, corpus)):
            if limit is not None and i >= limit:
                break
            yield f"{set_name}/{page.id}", page.html, page.url


def _timed(fn: Callable[[str, str], Any], html: str, url: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one call; a failure still counts its time."""
    wall, cpu = time.perf_counter(), time.process_time()
    with contextlib.suppress(Exception):
        fn(html, url)
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(corpus: Path, sets: list[str], limit: int | None, repeat: int = 1) -> dict[str, Any]:
    """Per-page times of both extractors (interleaved) and newscrawl's stage split.

    With `repeat` above 1 the whole page list is run that many times over and each page's
    fastest run counts, for each extractor alike: a one-time cost (a language's date tables
    loaded on its first page, a regex compiled once) or a collector pause then lands on no
    page. Whole passes, not runs back to back: a page's second run must not find its own
    lines, dates and URLs still in the caches its first run filled (they hold a few thousand
    entries, and a pass over the corpus turns them over), or the figure would flatter.
    """
    trafilatura = functools.partial(ev.trafilatura_extractor, include_comments=False)
    for fn in (ev.newscrawl_extractor, trafilatura):  # lazy imports, caches: not timed
        fn(ev.WARM_UP_HTML, "https://e.x/a")
    best: dict[str, dict[str, Any]] = {}
    clock = StageClock()

    def newscrawl(html: str, url: str) -> tuple[tuple[float, float], dict[str, float]]:
        clock.seconds.clear()
        times = _timed(ev.newscrawl_extractor, html, url)
        stages = {s: clock.seconds.get(s, 0.0) for s in STAGES if s != "other"}
        stages["other"] = max(0.0, times[1] - sum(stages.values()))
        return times, stages

    with clock.installed():
        for run in range(repeat):
            for i, (page_id, html, url) in enumerate(pages(corpus, sets, limit)):
                if (i + run) % 2 == 0:
                    nc, stages = newscrawl(html, url)
                    tf = _timed(trafilatura, html, url)
                else:
                    tf = _timed(trafilatura, html, url)
                    nc, stages = newscrawl(html, url)
                row = best.setdefault(page_id, {"id": page_id})
                if "nc_cpu" not in row or nc[1] < row["nc_cpu"]:
                    row.update(nc_wall=nc[0], nc_cpu=nc[1], stages=stages)
                if "tf_cpu" not in row or tf[1] < row["tf_cpu"]:
                    row.update(tf_wall=tf[0], tf_cpu=tf[1])
    return summarise(list(best.values())) | {"repeat": repeat}


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians in milliseconds, ratios of medians, and the median of per-page ratios."""

    def med(values: list[float]) -> float:
        return statistics.median(values) * 1000 if values else 0.0

    out: dict[str, Any] = {"pages": len(rows)}
    for key in ("nc_wall", "nc_cpu", "tf_wall", "tf_cpu"):
        out[f"{key}_ms"] = med([r[key] for r in rows])
    for kind in ("wall", "cpu"):
        tf = out[f"tf_{kind}_ms"]
        out[f"ratio_{kind}"] = out[f"nc_{kind}_ms"] / tf if tf else None
        per_page = [r[f"nc_{kind}"] / r[f"tf_{kind}"] for r in rows if r[f"tf_{kind}"] > 0]
        out[f"page_ratio_{kind}"] = statistics.median(per_page) if per_page else None
    out["stages_median_ms"] = {s: med([r["stages"][s] for r in rows]) for s in STAGES}
    out["stages_mean_ms"] = {
        s: statistics.fmean(r["stages"][s] for r in rows) * 1000 if rows else 0.0 for s in STAGES
    }
    for who in ("nc", "tf"):
        cpu = sorted(r[f"{who}_cpu"] * 1000 for r in rows)
        out[f"{who}_cpu_percentiles_ms"] = {
            name: _percentile(cpu, q) for name, q in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99))
        } | {"max": cpu[-1] if cpu else 0.0}
    ratios = sorted(
        ((r["nc_cpu"] / r["tf_cpu"], r["id"]) for r in rows if r["tf_cpu"] > 0), reverse=True
    )
    out["pages_over_3x"] = sum(1 for ratio, _ in ratios if ratio > SLOW_RATIO)
    out["worst_ratios"] = ratios[:WORST_SHOWN]
    out["rows"] = rows
    return out


SLOW_RATIO = 3.0  # a page over this many times trafilatura's CPU time is listed
WORST_SHOWN = 10


def _percentile(sorted_values: list[float], q: float) -> float:
    """The nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def print_summary(result: dict[str, Any]) -> None:
    runs = result.get("repeat", 1)
    best = f"; the fastest of {runs} runs of each" if runs > 1 else "; one run of each"
    print(f"pages: {result['pages']}  (newscrawl and trafilatura interleaved page by page{best})")
    print(f"{'':24}{'newscrawl':>12}{'trafilatura':>13}{'ratio':>8}{'per-page':>10}")
    for kind in ("wall", "cpu"):
        print(
            f"median ms/page ({kind}){'':>{7 - len(kind)}}"
            f"{result[f'nc_{kind}_ms']:>12.1f}{result[f'tf_{kind}_ms']:>13.1f}"
            f"{result[f'ratio_{kind}']:>8.2f}{result[f'page_ratio_{kind}']:>10.2f}"
        )
    print(f"\nCPU ms/page{'':13}{'p50':>8}{'p90':>8}{'p99':>8}{'max':>9}")
    for who, name in (("nc", "newscrawl"), ("tf", "trafilatura")):
        pct = result[f"{who}_cpu_percentiles_ms"]
        print(
            f"  {name:<22}{pct['p50']:>8.1f}{pct['p90']:>8.1f}{pct['p99']:>8.1f}{pct['max']:>9.1f}"
        )
    print(
        f"\npages over {SLOW_RATIO:g}x trafilatura's CPU time: {result['pages_over_3x']};"
        f" the {len(result['worst_ratios'])} highest ratios:"
    )
    for ratio, page_id in result["worst_ratios"]:
        print(f"  {ratio:6.1f}x  {page_id}")
    print("\nnewscrawl CPU per stage (ms):  median   mean")
    for stage in STAGES:
        print(
            f"  {stage:<28}{result['stages_median_ms'][stage]:>7.1f}"
            f"{result['stages_mean_ms'][stage]:>7.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="shared corpus folder")
    parser.add_argument("--sets", default=",".join(ev.SETS), help="comma-separated set names")
    parser.add_argument("--limit", type=int, metavar="N", help="first N pages of each set")
    parser.add_argument("--json", type=Path, help="also write the figures (with per-page rows)")
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="N",
        help="run each extractor N times a page and count the fastest (steady state)",
    )  # fmt: skip
    parser.add_argument(
        "--cprofile", type=Path, metavar="FILE", help="profile newscrawl alone into FILE instead"
    )
    args = parser.parse_args(argv)
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    if not all((args.corpus / s).is_dir() for s in sets):
        print(f"error: corpus sets {sets} not found under {args.corpus}", file=sys.stderr)
        return 2
    if args.cprofile:
        loaded = list(pages(args.corpus, sets, args.limit))
        ev.newscrawl_extractor(ev.WARM_UP_HTML, "https://e.x/a")
        profiler = cProfile.Profile()
        profiler.enable()
        for _, html, url in loaded:
            with contextlib.suppress(Exception):
                ev.newscrawl_extractor(html, url)
        profiler.disable()
        profiler.dump_stats(args.cprofile)
        print(f"profile of {len(loaded)} pages written to {args.cprofile}")
        return 0
    result = measure(args.corpus, sets, args.limit, max(1, args.repeat))
    print_summary(result)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
