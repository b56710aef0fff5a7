"""Score newscrawl's extractor and trafilatura side by side on the shared gold corpus.

Run from the project root::

    python benchmarks/extraction.py --corpus ../shared/corpus
    python benchmarks/extraction.py --sets zyte,fundus --worst 10
    python benchmarks/extraction.py --only trafilatura --json /tmp/trafilatura.json

Metrics are defined in the corpus README and implemented in ``benchmarks.evaluation``; this
script only runs them, prints the table and writes the figures as JSON.

Timing: both extractors run on each page back to back, the order alternating from page to
page, before anything is scored; scoring then replays those results. Timed in two phases
(all of newscrawl, then all of trafilatura), a shared machine's load moved the time ratio
between 0.88 and 1.51; interleaved, load changes hit both alike.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import itertools
import json
import os
import statistics
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:  # runnable without installing the package
    sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks import evaluation as ev  # noqa: E402

DEFAULT_CORPUS = Path(os.environ.get("NEWSCRAWL_CORPUS", PROJECT_ROOT.parent / "shared" / "corpus"))
DEFAULT_JSON = PROJECT_ROOT / "benchmarks" / "results" / "extraction-latest.json"

# The project's targets for newscrawl: minimums, except the time ratio, which is a maximum.
TARGETS: dict[str, float] = {
    "zyte_f1": 0.975,
    "fundus_f1": 0.95,
    "snippets_f1": 0.965,
    "title": 0.90,
    "comments": 0.90,
    "wcxb_f1": 0.96,
    "wcxb_title": 0.90,
    "wcxb_date": 0.93,
    "wcxb_authors": 0.88,
    "detect_precision": 0.97,
    "detect_recall": 0.97,
    "recognised_recall": 0.98,
    "time_ratio": 0.6,
}


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _prf(block: dict[str, Any] | None) -> str:
    """Render a body or snippet score block as F1 (P/R)."""
    if not block:
        return "-"
    return f"{block['f1']:.3f} ({block['precision']:.3f}/{block['recall']:.3f})"


def _metric_values(result: dict[str, Any] | None) -> dict[str, Any]:
    """Flatten one extractor's summary into the values the table and the targets use."""
    if result is None:
        return {}
    sets = result["sets"]
    zyte, fundus, snip = sets.get("zyte"), sets.get("fundus"), sets.get("trafilatura")
    out: dict[str, Any] = {"median_ms": result["median_ms"]}
    if zyte:
        out["zyte"] = zyte["body"]
        out["zyte_f1"] = zyte["body"]["f1"]
    if fundus:
        out["fundus"] = fundus["body"]
        out["fundus_f1"] = fundus["body"]["f1"]
        out.update(title=fundus["title"], date=fundus["date"], authors=fundus["authors"])
    if snip:
        out["snippets"] = snip["snippets"]
        out["snippets_f1"] = snip["snippets"]["f1"]
        out["comments"] = snip["comments"]["recall"]
        out["comments_counts"] = snip["comments"]
        out["leaks"] = snip["comments"]["leaked_into_body"]
    wcxb = sets.get("wcxb")
    if wcxb:
        out["wcxb"] = wcxb["body"]
        out["wcxb_f1"] = wcxb["body"]["f1"]
        out.update(
            wcxb_title=wcxb["title"],
            wcxb_date=wcxb["date"],
            wcxb_authors=wcxb["authors"],
        )
        forum = wcxb["types"].get("forum")
        if forum:
            out["wcxb_forum"] = forum["f1_with_comments"]
        if "detection" in wcxb:
            out["detect_precision"] = wcxb["detection"]["precision"]
            out["detect_recall"] = wcxb["detection"]["recall"]
            out["detection"] = wcxb["detection"]
    recognised = [
        (sets[name]["detection"], name)
        for name in ("zyte", "fundus", "trafilatura")
        if name in sets and sets[name].get("detection", {}).get("articles")
    ]
    found = sum(d["recognised"] for d, _ in recognised) + out.get("detection", {}).get("tp", 0)
    total = sum(d["articles"] for d, _ in recognised) + (
        wcxb["articles"] if wcxb and "detection" in wcxb else 0
    )
    if total:
        out["recognised"] = (found, total)
        out["recognised_recall"] = found / total
    return out


def _target_cell(key: str, value: Any) -> str:
    """Target text plus whether newscrawl meets it ("ok" / "MISS")."""
    if key not in TARGETS:
        return "-"
    limit = TARGETS[key]
    text = f"<={limit:.1f}" if key == "time_ratio" else f">={limit:.3f}"
    if not isinstance(value, float):
        return text
    met = value <= limit if key == "time_ratio" else value >= limit
    return f"{text} {'ok' if met else 'MISS'}"


def _scalar(value: Any) -> float | None:
    """The number a table cell stands for (F1 of a score block, recall of a count pair)."""
    if isinstance(value, dict):
        return value.get("f1", value.get("precision"))
    if isinstance(value, tuple):
        return value[0] / value[1] if value[1] else None
    return value if isinstance(value, (int, float)) else None


def build_table(
    nc: dict[str, Any] | None,
    tf: dict[str, Any] | None,
    folds: list[dict[str, Any]] | None = None,
) -> list[list[str]]:
    """Rows of (metric, newscrawl, trafilatura, target), with the spread of the held-out
    folds after newscrawl's figure when `folds` (one result per fold) is given."""
    a, b = _metric_values(nc), _metric_values(tf)
    per_fold = [_metric_values(f) for f in folds or []]
    rows: list[list[str]] = []

    def add(label: str, key: str, render: Any, target_key: str | None = None) -> None:
        if key not in a and key not in b:
            return
        tk = target_key or key
        cell = render(a.get(key))
        if folds is not None:
            values = [v for f in per_fold if (v := _scalar(f.get(tk))) is not None]
            spread = f"{min(values):.3f}-{max(values):.3f}" if values else "-"
            rows.append([label, cell, spread, render(b.get(key)), _target_cell(tk, a.get(tk))])
        else:
            rows.append([label, cell, render(b.get(key)), _target_cell(tk, a.get(tk))])

    add("zyte body F1 (P/R)", "zyte", _prf, "zyte_f1")
    add("fundus body F1 (P/R)", "fundus", _prf, "fundus_f1")
    add("fundus title exact", "title", _fmt)
    add("fundus date same-day", "date", _fmt)
    add("fundus authors F1", "authors", _fmt)
    add("trafilatura snippets F (P/R)", "snippets", _prf, "snippets_f1")
    add(
        "comment snippets found",
        "comments_counts",
        lambda c: "-" if c is None else f"{c['recall']:.3f} ({c['found']}/{c['total']})",
        "comments",
    )
    add("comment snippets leaked into body", "leaks", lambda v: "-" if v is None else str(v))
    add("wcxb articles word F1 (P/R)", "wcxb", _prf, "wcxb_f1")
    add("wcxb title exact", "wcxb_title", _fmt)
    add("wcxb date same-day", "wcxb_date", _fmt)
    add("wcxb authors F1", "wcxb_authors", _fmt)
    add("wcxb forums, body+comments F1", "wcxb_forum", _fmt)
    add(
        "wcxb article detection P",
        "detection",
        lambda d: "-" if d is None else f"{d['precision']:.3f} ({d['fp']} FP)",
        "detect_precision",
    )
    add(
        "wcxb article detection R",
        "detection",
        lambda d: "-" if d is None else f"{d['recall']:.3f} ({d['fn']} FN)",
        "detect_recall",
    )
    add(
        "articles recognised, 4 sets",
        "recognised",
        lambda c: "-" if c is None else f"{c[0] / c[1]:.3f} ({c[0]}/{c[1]})",
        "recognised_recall",
    )
    add("median ms/page", "median_ms", lambda v: _fmt(v, 1))
    if nc is not None and tf is not None and tf["median_ms"] > 0:
        ratio = nc["median_ms"] / tf["median_ms"]
        cells = [f"{ratio:.2f}", "1.00", _target_cell("time_ratio", ratio)]
        if folds is not None:
            cells.insert(1, "-")
        rows.append(["time ratio newscrawl/trafilatura", *cells])
    return rows


def print_table(rows: list[list[str]]) -> None:
    if rows and len(rows[0]) == 5:
        header = ["metric", "newscrawl (held-out)", "folds min-max", "trafilatura", "target"]
    else:
        header = ["metric", "newscrawl", "trafilatura", "target"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


def print_worst(result: dict[str, Any], n: int) -> None:
    """List the N worst pages per set: the pages most worth looking at to improve extraction."""
    print(f"\nWorst {n} pages per set for {result['name']}:")
    by_set: dict[str, list[dict[str, Any]]] = {}
    for row in result["pages"]:
        by_set.setdefault(row["set"], []).append(row)
    for set_name, rows in by_set.items():
        if set_name == "trafilatura":
            # most snippet errors first, then most comment snippets missed
            rows = sorted(
                rows,
                key=lambda r: (-(r["fn"] + r["fp"]), r["comments_found"] - r["comments_total"]),
            )[:n]
        else:
            rows = sorted(rows, key=lambda r: r["f1"])[:n]
        w = max(len(r["id"]) for r in rows)
        print(f"\n[{set_name}]")
        if set_name == "trafilatura":
            print(f"  {'id':<{w}} {'P':>5} {'R':>5} {'FN':>3} {'FP':>3}  comments  leaked")
        else:
            print(f"  {'id':<{w}} {'P':>5} {'R':>5}  notes")
        for r in rows:
            cells = f"  {r['id']:<{w}} {_fmt(r['precision'], 2):>5} {_fmt(r['recall'], 2):>5}"
            notes = []
            if set_name == "trafilatura":
                comments = f"{r['comments_found']}/{r['comments_total']}"
                cells += f" {r['fn']:>3} {r['fp']:>3}  {comments:>8}  {r['comments_leaked']:>6}"
            else:
                if r.get("title_ok") is False:
                    notes.append("title")
                if r.get("date_ok") is False:
                    notes.append("date")
                if r.get("author_f1") is not None and r["author_f1"] < 1:
                    notes.append(f"authors {r['author_f1']:.2f}")
            if r["error"]:
                notes.append(f"ERROR {r['error']}")
            print((cells + "  " + ", ".join(notes)).rstrip())


Run = tuple[dict[str, Any], float, BaseException | None]


def _page_key(html: str, url: str) -> tuple[str, int, int]:
    return url, len(html), hash(html)


def _interleaved_runs(
    extractors: dict[str, ev.Extractor],
    corpus: Path,
    sets: list[str],
    limit: int | None,
    context: Any = None,
) -> dict[str, dict[tuple[str, int, int], Run]]:
    """Each extractor's result, wall time and error per page, the extractors taking turns to
    go first from page to page. `context(set_name, page)`, if given, is a context manager
    entered around each page's runs (the fold's models, in cross-validation)."""
    runs: dict[str, dict[tuple[str, int, int], Run]] = {name: {} for name in extractors}
    names = list(extractors)
    pages = (
        (set_name, page)
        for set_name in sets
        for page in itertools.islice(ev.load_set(set_name, corpus), limit)
    )
    for index, (set_name, page) in enumerate(pages):
        order = names if index % 2 == 0 else names[::-1]
        for name in order:
            scope = context(set_name, page) if context else contextlib.nullcontext()
            start = time.perf_counter()
            try:
                with scope:
                    result, error = extractors[name](page.html, page.url), None
            except Exception as exc:  # noqa: BLE001 - scored as a miss, as evaluation._run does
                result, error = {}, exc
            runs[name][_page_key(page.html, page.url)] = (
                result,
                time.perf_counter() - start,
                error,
            )
    return runs


def _replay(runs: dict[tuple[str, int, int], Run], html: str, url: str) -> dict[str, Any]:
    """An extractor that returns the result measured by `_interleaved_runs`."""
    result, _, error = runs[_page_key(html, url)]
    if error is not None:
        raise error
    return result


def _use_interleaved_times(
    scored: dict[str, Any], runs: dict[tuple[str, int, int], Run], corpus: Path, limit: int | None
) -> None:
    """Put the interleaved wall times in place of the (near-zero) replay times."""
    seconds: dict[tuple[str, str], float] = {}
    for set_name in scored["sets"]:
        for page in itertools.islice(ev.load_set(set_name, corpus), limit):
            seconds[(set_name, page.id)] = runs[_page_key(page.html, page.url)][1]
    for row in scored["pages"]:
        row["ms"] = seconds[(row["set"], row["id"])] * 1000
    for set_name, summary in scored["sets"].items():
        times = [r["ms"] for r in scored["pages"] if r["set"] == set_name]
        summary["median_ms"] = statistics.median(times) if times else 0.0
    all_times = [r["ms"] for r in scored["pages"]]
    scored["median_ms"] = statistics.median(all_times) if all_times else 0.0
    scored["total_s"] = sum(all_times) / 1000


def fold_models(corpus: Path) -> tuple[Any, dict[tuple[str, str], int]]:
    """Models fitted on all folds but one, for each fold, and the context that puts a page's
    fold models in force: every page is then scored by models that never saw its site."""
    from benchmarks import learning, train_models
    from newscrawl.extract import models

    print("extracting training data and fitting fold models ...", file=sys.stderr, flush=True)
    records = learning.records(corpus)
    folds = ev.assign_folds([p for name in ev.SETS for p in ev.load_set(name, corpus)])
    bundles = [train_models.fit_all([r for r in records if r.fold != k]) for k in range(ev.FOLDS)]

    def context(set_name: str, page: Any):
        return models.use(bundles[folds[(set_name, page.id)]])

    return context, folds


def held_out_folds(
    result: dict[str, Any] | None, folds: dict[tuple[str, str], int]
) -> list[dict[str, Any]] | None:
    """One result per fold, computed from that fold's page rows alone."""
    if result is None:
        return None
    out = []
    for k in range(ev.FOLDS):
        rows = [r for r in result["pages"] if folds[(r["set"], r["id"])] == k]
        sets = {
            name: ev.summarize(name, [r for r in rows if r["set"] == name])
            for name in result["sets"]
        }
        out.append({"sets": sets, "median_ms": result["median_ms"]})
    return out


def _warm_up(fn: ev.Extractor) -> None:
    """Pay lazy imports and one-time set-up before anything is timed."""
    with contextlib.suppress(Exception):  # real failures are reported per page
        fn(ev.WARM_UP_HTML, "https://example.com/a")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="shared corpus folder")
    parser.add_argument(
        "--sets", default=",".join(ev.SETS), help="comma-separated: zyte,fundus,trafilatura"
    )
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help="where to write the figures"
    )
    parser.add_argument(
        "--worst", type=int, default=0, metavar="N", help="list the N worst pages per set"
    )
    parser.add_argument("--only", choices=["newscrawl", "trafilatura"], help="score one extractor")
    parser.add_argument(
        "--limit", type=int, metavar="N", help="first N pages of each set (quick trial)"
    )
    parser.add_argument(
        "--fundus-headlines",
        action="store_true",
        help="count section headlines as fundus gold body (fundus' own benchmark does; README does not)",
    )
    parser.add_argument(
        "--cv",
        action="store_true",
        help="cross-validate: score each fold's pages with models fitted on the other folds",
    )
    args = parser.parse_args(argv)

    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in sets if s not in ev.SETS]
    if unknown:
        parser.error(f"unknown set(s) {', '.join(unknown)}; choose from {', '.join(ev.SETS)}")
    corpus: Path = args.corpus
    missing = [s for s in sets if not (corpus / s).is_dir()]
    if not corpus.is_dir() or missing:
        where = corpus if not corpus.is_dir() else ", ".join(str(corpus / s) for s in missing)
        print(
            f"error: corpus not found: {where}\n"
            "Pass --corpus PATH (or set NEWSCRAWL_CORPUS) to the shared corpus folder "
            "(../shared/corpus from the project root).",
            file=sys.stderr,
        )
        return 2

    started = time.perf_counter()
    results: dict[str, dict[str, Any] | None] = {"newscrawl": None, "trafilatura": None}
    common = {"fundus_headlines": args.fundus_headlines, "limit": args.limit}
    # trafilatura is timed on its reference call (comments off), as score_trafilatura_reference
    # does; its comment recall comes from a second, untimed call made while scoring.
    timed: dict[str, ev.Extractor] = {
        "newscrawl": ev.newscrawl_extractor,
        "trafilatura": functools.partial(ev.trafilatura_extractor, include_comments=False),
    }
    if args.only is not None:
        timed = {args.only: timed[args.only]}
    for fn in timed.values():
        _warm_up(fn)
    context, folds = fold_models(corpus) if args.cv else (None, None)
    print(f"running {' and '.join(timed)} page by page ...", file=sys.stderr, flush=True)
    runs = _interleaved_runs(timed, corpus, sets, args.limit, context)
    if "newscrawl" in timed:
        replay = functools.partial(_replay, runs["newscrawl"])
        results["newscrawl"] = ev.score_extractor("newscrawl", replay, corpus, sets, **common)
    if "trafilatura" in timed:
        _warm_up(ev.trafilatura_extractor)
        results["trafilatura"] = ev.score_extractor(
            "trafilatura",
            functools.partial(_replay, runs["trafilatura"]),
            corpus,
            sets,
            comments_fn=ev.trafilatura_extractor,
            **common,
        )
    for name, scored in results.items():
        if scored is not None:
            _use_interleaved_times(scored, runs[name], corpus, args.limit)
            print(f"  {name}: {scored['total_s']:.1f}s extracting", file=sys.stderr)
    total_s = time.perf_counter() - started

    per_fold = held_out_folds(results["newscrawl"], folds) if folds else None
    if per_fold is not None:
        print(f"cross-validated: {ev.FOLDS} folds by site, models fitted on the other folds")
    print_table(build_table(results["newscrawl"], results["trafilatura"], per_fold))
    print(
        f"\ntotal run time {total_s:.1f}s; sets: {', '.join(sets)}"
        + (f"; limit {args.limit}" if args.limit else "")
    )

    if args.worst > 0:
        for name in ("newscrawl", "trafilatura"):
            if results[name] is not None:
                print_worst(results[name], args.worst)
                break

    nc, tf = results["newscrawl"], results["trafilatura"]
    try:
        trafilatura_version = version("trafilatura")
    except PackageNotFoundError:
        trafilatura_version = None
    payload = {
        "generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "corpus": str(corpus.resolve()),
        "sets": sets,
        "limit": args.limit,
        "fundus_headlines": args.fundus_headlines,
        "trafilatura_version": trafilatura_version,
        "targets": TARGETS,
        "time_ratio": nc["median_ms"] / tf["median_ms"] if nc and tf and tf["median_ms"] else None,
        "total_s": total_s,
        "extractors": {k: v for k, v in results.items() if v is not None},
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
