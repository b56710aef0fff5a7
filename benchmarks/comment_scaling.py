"""Whether comment extraction costs no more than the page is long.

Run from the project root::

    python benchmarks/comment_scaling.py                 # 100, 1,000 and 10,000 comments
    python benchmarks/comment_scaling.py --counts 100,1000 --repeat 3

For each markup family (WordPress ``ol.comment-list``, and class-less ``Posted by: NAME |
DATE`` blocks under a "Comments" heading) it generates one article page with N comments,
times `extract_page` on it (CPU time, best of ``--repeat``), and prints the time per comment
over the same page without comments, so the article's own cost does not count. Linear
extraction gives the same time per comment at every N; the spread printed is the largest
over the smallest.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:  # runnable without installing the package
    sys.path.insert(0, str(PROJECT_ROOT))

from newscrawl.extract import extract_page  # noqa: E402

URL = "https://blog.example/2024/01/05/a-long-thread.html"
WORDS = [
    "the",
    "council",
    "vote",
    "road",
    "bridge",
    "money",
    "school",
    "plan",
    "park",
    "people",
    "city",
    "week",
    "new",
    "old",
    "said",
    "would",
    "could",
    "think",
    "agree",
    "never",
    "always",
    "because",
    "before",
    "after",
    "again",
]


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def wordpress(count: int, rng: random.Random) -> str:
    """A WordPress theme's thread, every fifth comment a reply to the one before."""
    items = []
    for i in range(count):
        reply = f' data-parent-id="{i - 1}"' if i % 5 == 4 else ""
        items.append(
            f'<li class="comment" id="comment-{i}"{reply}><article class="comment-body">'
            f'<footer class="comment-meta"><div class="comment-author vcard">'
            f'<b class="fn">Reader {i}</b></div><div class="comment-metadata">'
            f'<time datetime="2024-01-{1 + i % 28:02d}T10:{i % 60:02d}:00">Jan {1 + i % 28}'
            f'</time></div></footer><div class="comment-content"><p>{_sentence(rng, 25)}</p>'
            '</div><div class="reply"><a class="comment-reply-link" href="#">Reply</a></div>'
            "</article></li>"
        )
    return '<div id="comments"><ol class="comment-list">' + "".join(items) + "</ol></div>"


def posted_by(count: int, rng: random.Random) -> str:
    """Blocks without a class that says "comment": text, then a ``Posted by`` line."""
    items = [
        f"<div><p>{_sentence(rng, 25)}</p><p>Posted by: Reader{i} | January {1 + i % 28}, 2009"
        f" {1 + i % 12}:{i % 60:02d} PM</p></div>"
        for i in range(count)
    ]
    return "<h3>Comments</h3><div>" + "".join(items) + "</div>"


FAMILIES: dict[str, Callable[[int, random.Random], str]] = {
    "wordpress": wordpress,
    "posted-by": posted_by,
}


def article_page(thread: str) -> str:
    rng = random.Random(7)
    body = "".join(f"<p>{_sentence(rng, 40)}</p>" for _ in range(12))
    return (
        "<html><head><title>A long thread</title></head><body><article><h1>A long thread</h1>"
        f"{body}</article>{thread}</body></html>"
    )


def cpu_seconds(html: str, repeat: int) -> tuple[float, int]:
    """Best CPU time of `repeat` runs, and the comments found."""
    best, found = float("inf"), 0
    for _ in range(repeat):
        start = time.process_time()
        result = extract_page(html, URL)
        best = min(best, time.process_time() - start)
        found = len(result.comments)
    return best, found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counts", default="100,1000,10000", help="comments per page")
    parser.add_argument("--repeat", type=int, default=1, help="runs per page (best is kept)")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.counts.split(",")]
    extract_page(article_page(""), URL)  # models and lexicons loaded before timing
    for name, family in FAMILIES.items():
        base, _ = cpu_seconds(article_page(""), max(args.repeat, 3))
        per_comment = []
        print(f"{name}: page without comments {base * 1000:.1f} ms")
        for count in counts:
            seconds, found = cpu_seconds(
                article_page(family(count, random.Random(count))), args.repeat
            )
            each = (seconds - base) / count
            per_comment.append(each)
            print(
                f"  {count:>6} comments: {seconds * 1000:9.1f} ms, {each * 1e6:7.1f} us a comment,"
                f" {found} found"
            )
        print(f"  spread of the time a comment: {max(per_comment) / min(per_comment):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
