"""Forum threads on the WCXB forum pages, and the cross-validated choice of
`FORUM_THREAD_GAIN`: ``python benchmarks/forum_threads.py [--corpus DIR]``.

WCXB's gold for a forum page is the whole thread, so a page scores the word F1 of its body
and comment texts together (the corpus README's metric). Each page is extracted twice:
without the thread read by its shape (`comments.thread`) and with it always taken; which
one a gain keeps follows from the text both hold. Then, fold by fold (folds by site, as in
``benchmarks/extraction.py --cv``), the gain that scores best on the other folds is judged
on the held-out one.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NamedTuple

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:  # runnable without installing the package
    sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks import evaluation as ev  # noqa: E402
from newscrawl.extract import extract_page  # noqa: E402
from newscrawl.extract.comments import thread  # noqa: E402

DEFAULT_CORPUS = Path(os.environ.get("NEWSCRAWL_CORPUS", PROJECT_ROOT.parent / "shared" / "corpus"))
GAINS = (1.0, 1.2, 1.5, 2.0, 3.0, float("inf"))  # inf: never read the thread by its shape


class Row(NamedTuple):
    fold: int
    by_name: float  # F1 without the thread reading
    by_shape: float  # F1 with the thread reading always taken
    ratio: float  # its text over the text found by name (0: both readings the same)


def _reading(page: ev.WcxbPage, gain: float) -> tuple[float, int, str]:
    saved = thread.FORUM_THREAD_GAIN
    thread.FORUM_THREAD_GAIN = gain
    try:
        result = extract_page(page.html, page.url)
    finally:
        thread.FORUM_THREAD_GAIN = saved
    text = "\n".join([result.article.body or "", *(c.text for c in result.comments)])
    size = len(result.article.body or "") + sum(len(c.text) for c in result.comments)
    return ev.word_counts(page.body, text).f1, size, text


def rows(corpus: Path) -> list[Row]:
    folds = ev.assign_folds(list(ev.load_wcxb(corpus)))
    out = []
    for page in ev.load_wcxb(corpus, types=["forum"]):
        by_name, name_size, name_text = _reading(page, float("inf"))
        by_shape, shape_size, shape_text = _reading(page, 0.0)
        if shape_text == name_text:
            ratio = 0.0
        else:
            ratio = shape_size / name_size if name_size else float("inf")
        out.append(Row(folds[("wcxb", page.id)], by_name, by_shape, ratio))
    return out


def score(rows: list[Row], gain: float) -> float:
    return sum(r.by_shape if r.ratio > gain else r.by_name for r in rows) / len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    if not (args.corpus / "wcxb").is_dir():
        print(f"WCXB set not found under {args.corpus}", file=sys.stderr)
        return 2
    found = rows(args.corpus)
    print(f"{len(found)} forum pages; mean F1 of body + comments by gain (all pages):")
    print("  " + ", ".join(f"{g}: {score(found, g):.3f}" for g in GAINS))
    held, without, count = 0.0, 0.0, 0
    for fold in sorted({r.fold for r in found}):
        train = [r for r in found if r.fold != fold]
        test = [r for r in found if r.fold == fold]
        gain = max(GAINS, key=lambda g: (score(train, g), -g))
        print(
            f"fold {fold}: gain {gain} chosen on the other folds; held-out"
            f" {score(test, gain):.3f}, without the thread reading"
            f" {score(test, float('inf')):.3f} ({len(test)} pages)"
        )
        held += score(test, gain) * len(test)
        without += score(test, float("inf")) * len(test)
        count += len(test)
    print(f"held-out mean {held / count:.3f}, without the thread reading {without / count:.3f}")
    print(f"shipped FORUM_THREAD_GAIN: {thread.FORUM_THREAD_GAIN}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
