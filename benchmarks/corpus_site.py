"""A local news site of real article pages, built at run time from the shared corpus.

Why: crawl throughput and store contention only show with real pages (hundreds of KB, CPU-bound
extraction) in numbers. The corpus pages are read in place (never copied into the project) and
served from memory on 127.0.0.1 under a public-looking origin (``https://bench.example``, reached
through ``NEWSCRAWL_MIRRORS``), each page under several URLs, as a crawler meets them on a real
site: ``/a/<n>/`` and copies ``/c/<k>/<n>/``, all declaring ``/a/<n>/`` canonical. Listing pages
``/list/<j>/`` link to every URL once, in a shuffled order, and the home page links to the listings.

Used by ``benchmarks/scaling.py``; ``python benchmarks/corpus_site.py --pages 300`` serves one.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from newscrawl.samples.server import Answer, SampleSite

ORIGIN = "https://bench.example"
PER_LIST = 50
_HEAD = re.compile(rb"<head[^>]*>", re.I)


def corpus_files(corpus: Path) -> list[Path]:
    """Every page of the corpus (zyte, fundus, trafilatura and WCXB articles), sorted."""
    files = sorted((corpus / "zyte" / "html").glob("*.html.gz"))
    files += sorted((corpus / "fundus").rglob("*.html.gz"))
    files += sorted((corpus / "trafilatura").rglob("*.html.gz"))
    wcxb = corpus / "wcxb"
    if (wcxb / "metadata.json").is_file():
        import json

        meta = json.loads((wcxb / "metadata.json").read_text(encoding="utf-8"))["files"]
        files += [
            wcxb / "html" / f"{page_id}.html.gz"
            for page_id, info in sorted(meta.items())
            if info.get("page_type") == "article"
            and (wcxb / "html" / f"{page_id}.html.gz").is_file()
        ]
    return files


@dataclass
class CorpusSite:
    """`pages` URLs over `distinct` corpus pages, served gzip-encoded from memory."""

    sources: list[Path]
    pages: int
    seed: int = 0
    bodies: dict[int, bytes] = field(default_factory=dict)  # distinct page -> gzipped HTML
    server: SampleSite | None = None
    first_answer: float | None = None  # monotonic times of the first and last page served
    last_answer: float | None = None

    @property
    def distinct(self) -> int:
        return len(self.sources)

    def page_path(self, index: int) -> str:
        number, copy = index % self.distinct, index // self.distinct
        return f"/a/{number}/" if copy == 0 else f"/c/{copy}/{number}/"

    def page_paths(self) -> list[str]:
        return [self.page_path(i) for i in range(self.pages)]

    def list_count(self) -> int:
        return -(-self.pages // PER_LIST)

    def body(self, number: int) -> bytes:
        """The corpus page, its canonical link pointing at ``/a/<n>/`` (read once, kept gzipped)."""
        if number not in self.bodies:
            html = gzip.decompress(self.sources[number].read_bytes())
            link = f'<link rel="canonical" href="{ORIGIN}/a/{number}/">'.encode()
            match = _HEAD.search(html)
            at = match.end() if match else 0
            html = html[:at] + link + html[at:]
            self.bodies[number] = gzip.compress(html, compresslevel=1, mtime=0)
        return self.bodies[number]

    def listing(self, number: int) -> str:
        paths = self.page_paths()
        random.Random(self.seed).shuffle(paths)
        chunk = paths[number * PER_LIST : (number + 1) * PER_LIST]
        items = "".join(f'<li><a href="{ORIGIN}{p}">Story {p}</a></li>' for p in chunk)
        return f"<!DOCTYPE html><html><head><title>List {number}</title></head><body><ul>{items}</ul></body></html>"

    def home(self) -> str:
        items = "".join(
            f'<li><a href="{ORIGIN}/list/{j}/">Page {j}</a></li>' for j in range(self.list_count())
        )
        return f"<!DOCTYPE html><html><head><title>Bench news</title></head><body><ul>{items}</ul></body></html>"

    def answer(self, path: str, query: dict) -> Answer | None:
        now = time.monotonic()
        if path != "/robots.txt":
            self.first_answer = self.first_answer or now
            self.last_answer = now
        if path == "/robots.txt":
            return Answer(200, "User-agent: *\nAllow: /\n", content_type="text/plain")
        if path == "/":
            return Answer(200, self.home())
        match = re.fullmatch(r"/list/(\d+)/", path)
        if match and int(match.group(1)) < self.list_count():
            return Answer(200, self.listing(int(match.group(1))))
        match = re.fullmatch(r"/(?:a/(\d+)|c/(\d+)/(\d+))/", path)
        if match:
            number = int(match.group(1) or match.group(3))
            copy = int(match.group(2) or 0)
            if number < self.distinct and copy * self.distinct + number < self.pages:
                body = self.body(number)
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                return Answer(200, body, {"Content-Encoding": "gzip", "ETag": etag})
        return Answer(404, "<html><body>Not found</body></html>")

    def start(self) -> SampleSite:
        for number in range(self.distinct):  # warm the cache: serving is then cheap
            self.body(number)
        self.server = SampleSite(Path("/nonexistent"))
        self.server.handlers["/"] = self.answer
        return self.server.start()

    def stop(self) -> None:
        if self.server:
            self.server.stop()


def build(corpus: Path, pages: int, copies: int = 8, seed: int = 0) -> CorpusSite:
    """A site of `pages` URLs: `pages / copies` corpus pages, picked with `seed`."""
    files = corpus_files(corpus)
    if not files:
        raise SystemExit(f"no corpus pages under {corpus}")
    distinct = max(1, min(len(files), -(-pages // copies)))
    picked = random.Random(seed).sample(files, distinct)
    return CorpusSite(picked, pages, seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus"
    )
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    site = build(args.corpus, args.pages)
    server = site.start()
    print(f"{site.pages} URLs over {site.distinct} corpus pages at {server.url}/ (as {ORIGIN})")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        site.stop()


if __name__ == "__main__":
    main()
