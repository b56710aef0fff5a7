"""Scaling benchmark: one machine's workers sharing SQLite, and Redis-only workers with one writer.

Builds a local site of real article pages from the shared corpus (benchmarks/corpus_site.py: the
pages read in place, each under several URLs), serves it on 127.0.0.1, and crawls it with the
generic spider at full speed (no AutoThrottle, no delay, 16 requests per domain) in each
configuration:

- 1, 2 and 4 workers on this machine, one shared ``NEWSCRAWL_DB`` (2 and 4 through scrapy-redis);
- 2 workers that store through Redis (``NEWSCRAWL_REDIS_STORE``, each in its own folder, no
  database) and one ``newscrawl store --from-redis`` writer.

Per configuration it prints the responses the server sent, pages fetched more than once (robots.txt
aside: each worker reads it), articles, links and comments stored with a checksum of their content,
"database is locked" errors in the logs, store retries and failures, wall time and the speed-up
over one worker. Every configuration must store exactly what one worker stores (same counts, same
checksum) with nothing fetched twice and no failed write; exit code 1 otherwise. Run from the
project root (a redis-server binary is needed for all but one worker)::

    python benchmarks/scaling.py                       # 3,000 URLs (~375 corpus pages), all configurations
    python benchmarks/scaling.py --pages 300 --configs 1,2,redis2    # a quick run
    python benchmarks/scaling.py --configs 1,2 --profile /tmp/prof    # cProfile of every worker
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
for entry in (PROJECT_ROOT, PROJECT_ROOT / "benchmarks"):
    if str(entry) not in sys.path:  # runnable without installing the package
        sys.path.insert(0, str(entry))

import corpus_site  # noqa: E402

DEFAULT_CORPUS = Path(
    os.environ.get("NEWSCRAWL_CORPUS") or PROJECT_ROOT.parent / "shared" / "corpus"
)
DEFAULT_JSON = PROJECT_ROOT / "benchmarks" / "results" / "scaling-latest.json"
FULL_SPEED = ["AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
              "NEWSCRAWL_DISCOVER_COMMENT_API=False", "LOG_LEVEL=INFO"]  # fmt: skip
CONTENT = {  # what must be the same whoever crawled (no timestamps, no fetched-URL variant)
    "articles": "select canonical_url, title, authors, published, modified, body, lead, section,"
    " tags, language, image, word_count, content_hash, version_count from articles",
    "related_links": "select a.url_key, l.block_label, l.block_kind, l.block_position, l.position,"
    " l.url, l.text, l.teaser from related_links l join articles a on a.id = l.article_id",
    "comments": "select a.url_key, c.comment_key, c.parent_site_id, c.author, c.published, c.text"
    " from comments c join articles a on a.id = c.article_id",
    "fetch_state": "select url_key, etag, content_hash from fetch_state",
}


@dataclass
class Result:
    config: str
    workers: int
    responses: int
    fetched_twice: int
    articles: int
    links: int
    comments: int
    checksum: str
    lock_errors: int
    retries: int
    failed: int
    seconds: float  # wall time, first worker started to last process ended
    crawl_seconds: float  # first to last page served (no start-up, no idle wait at the end)
    cpu_seconds: float  # user + system time of the workers (and writer)
    cores: float  # cpu_seconds / seconds: how many cores the crawl got
    load: float  # mean 1-minute load average during the run (the machine is shared)
    speedup: float = 0.0
    crawl_speedup: float = 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Redis:
    """A private redis-server on 127.0.0.1, no persistence."""

    def __init__(self, folder: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            raise SystemExit("redis-server not found (apt-get install -y redis-server)")
        self.port = free_port()
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        self.client = redis.Redis(port=self.port)
        for _ in range(200):
            try:
                self.client.ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise SystemExit("redis-server did not start")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def env() -> dict[str, str]:
    values = {**os.environ, "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
    values["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")) if p
    )
    for name in ("NEWSCRAWL_DB", "NEWSCRAWL_REDIS_URL", "NEWSCRAWL_REDIS_STORE"):
        values.pop(name, None)
    return values


# Run the scrapy module under cProfile counting CPU time (not wall time: workers that wait for a
# core would otherwise look slow in every function). argv: stats file, then scrapy's arguments.
CPU_PROFILE = """
import cProfile, runpy, sys, time
out, sys.argv = sys.argv[1], sys.argv[2:]
profile = cProfile.Profile(time.process_time)
profile.enable()
try:
    runpy.run_module("scrapy", run_name="__main__", alter_sys=True)
finally:
    profile.disable()
    profile.dump_stats(out)
"""


# Extraction alone, no crawl: every distinct page of the site once, after a warm-up page (models
# loaded). Prints the process's CPU seconds and wall seconds. argv: folder of the pages.
EXTRACT_ONLY = """
import pathlib, sys, time
from newscrawl.extract import extract_page
files = sorted(pathlib.Path(sys.argv[1]).glob("*.html"), key=lambda f: int(f.stem))
pages = [f.read_bytes() for f in files]
extract_page(pages[0], "https://bench.example/a/0/", False)
cpu, wall = time.process_time(), time.perf_counter()
for number, data in enumerate(pages):
    extract_page(data, f"https://bench.example/a/{number}/", False)
print(time.process_time() - cpu, time.perf_counter() - wall)
"""


@dataclass
class Ceiling:
    """What two processes gain on this machine when they only extract (no crawl, no sharing):
    the most a 2-worker crawl can gain here, since the crawl is CPU-bound in extraction."""

    pages: int
    one_wall: float
    one_cpu_ms: float  # CPU per page, one process alone
    two_wall: float  # both processes, each extracting every page, started together
    two_cpu_ms: float
    speedup: float  # pages per second of two processes at once over one alone


def extraction_ceiling(site: corpus_site.CorpusSite, folder: Path) -> Ceiling:
    """Extract the site's distinct pages in one process, then in two at once (each all pages)."""
    pages = folder / "ceiling"
    pages.mkdir()
    for number in range(site.distinct):
        (pages / f"{number}.html").write_bytes(gzip.decompress(site.body(number)))

    def run(count: int) -> tuple[float, float]:
        began = time.perf_counter()
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", EXTRACT_ONLY, str(pages)],
                env=env(),
                stdout=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for _ in range(count)
        ]
        outputs = [process.communicate()[0].split() for process in processes]
        wall = time.perf_counter() - began
        cpu = sum(float(out[0]) for out in outputs) / count
        slowest = max(float(out[1]) for out in outputs)
        return (slowest if slowest else wall), cpu

    one_wall, one_cpu = run(1)
    two_wall, two_cpu = run(2)
    count = site.distinct
    return Ceiling(
        pages=count,
        one_wall=round(one_wall, 1),
        one_cpu_ms=round(1000 * one_cpu / count, 1),
        two_wall=round(two_wall, 1),
        two_cpu_ms=round(1000 * two_cpu / count, 1),
        speedup=round(2 * one_wall / two_wall, 2),
    )


def worker_command(site: corpus_site.CorpusSite, db: Path, redis_url: str | None,
                   redis_store: bool, profile: Path | None = None) -> list[str]:  # fmt: skip
    """The worker's command line; under cProfile (stats written to `profile`) when given."""
    mirrors = json.dumps({corpus_site.ORIGIN: site.server.url})
    command = [sys.executable, "-m", "scrapy"]
    if profile is not None:
        command = [sys.executable, "-c", CPU_PROFILE, str(profile), "scrapy"]
    command += ["crawl", "generic", "-a",
               f"start_url={corpus_site.ORIGIN}/", "-a", f"max_pages={site.pages + 1000}",
               "-s", f"NEWSCRAWL_DB={db}", "-s", f"NEWSCRAWL_MIRRORS={mirrors}"]  # fmt: skip
    for setting in FULL_SPEED:
        command += ["-s", setting]
    if redis_url:
        command += ["-s", f"NEWSCRAWL_REDIS_URL={redis_url}"]
    if redis_store:
        command += ["-s", "NEWSCRAWL_REDIS_STORE=True"]
    return command


def checksum(db: Path) -> tuple[dict[str, int], str]:
    digest = hashlib.sha256()
    counts = {}
    with sqlite3.connect(db) as conn:
        for name, sql in CONTENT.items():
            rows = sorted(conn.execute(sql).fetchall(), key=repr)
            counts[name] = len(rows)
            digest.update(json.dumps(rows, default=str).encode())
    return counts, digest.hexdigest()[:16]


def stat_sum(logs: list[str], key: str) -> int:
    total = 0
    for text in logs:
        marker = f"'{key}': "
        at = text.rfind(marker)
        if at >= 0:
            total += int(text[at + len(marker) :].split(",", 1)[0].split("}", 1)[0])
    return total


def run_config(name: str, workers: int, site: corpus_site.CorpusSite, folder: Path,
               redis: Redis | None, redis_store: bool,
               profile: Path | None = None) -> Result:  # fmt: skip
    """One crawl of the whole site; returns what it did (each worker profiled into `profile`)."""
    server = site.server
    server.hits.clear()
    server.statuses.clear()
    site.first_answer = site.last_answer = None
    run = folder / name
    run.mkdir()
    db = run / "writer" / "news.db"
    db.parent.mkdir()
    if redis is not None:
        redis.client.flushall()
    writer = None
    logs: list[Path] = []
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    loads: list[float] = []
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.wait(2.0):
            loads.append(os.getloadavg()[0])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    began = time.perf_counter()
    if redis_store:
        log = run / "writer.log"
        logs.append(log)
        writer = subprocess.Popen(
            [sys.executable, "-m", "newscrawl.cli", "store", "--from-redis", redis.url, "--db",
             str(db), "--until-idle", "3"],
            env=env(), stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
    processes = []
    for number in range(workers):
        machine = run / f"machine{number}"
        machine.mkdir()
        target = machine / "no-database" / "news.db" if redis_store else db
        stats = profile / f"{name}-worker{number}.prof" if profile else None
        command = worker_command(site, target, redis.url if redis else None, redis_store, stats)
        log = machine / "worker.log"
        logs.append(log)
        processes.append(
            subprocess.Popen(
                command,
                cwd=machine if redis_store else PROJECT_ROOT,
                env=env(),
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        )
    codes = [process.wait() for process in processes]
    if writer is not None:
        codes.append(writer.wait())
    seconds = time.perf_counter() - began
    sampling.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    texts = [log.read_text(encoding="utf-8", errors="replace") for log in logs]
    if any(codes):
        print(f"  {name}: exit codes {codes}; see {run}", file=sys.stderr)
    counts, digest = checksum(db)
    twice = sum(1 for path, n in server.hits.items() if n > 1 and path != "/robots.txt")
    return Result(
        config=name, workers=workers, responses=sum(server.statuses.values()),
        fetched_twice=twice, articles=counts["articles"], links=counts["related_links"],
        comments=counts["comments"], checksum=digest,
        lock_errors=sum(text.count("database is locked") for text in texts),
        retries=stat_sum(texts, "newscrawl/store/retries"),
        failed=stat_sum(texts, "newscrawl/store/failed") + sum(bool(c) for c in codes),
        seconds=round(seconds, 1),
        crawl_seconds=round((site.last_answer or 0) - (site.first_answer or 0), 1),
        cpu_seconds=round(cpu, 1), cores=round(cpu / seconds, 2),
        load=round(sum(loads) / len(loads), 1) if loads else round(os.getloadavg()[0], 1),
    )  # fmt: skip


CONFIGS = {  # name: (workers, through Redis scheduler, store through Redis)
    "1": (1, False, False),
    "2": (2, True, False),
    "4": (4, True, False),
    "redis2": (2, True, True),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--pages", type=int, default=3000, help="URLs on the site (3000)")
    parser.add_argument("--copies", type=int, default=8, help="URLs per corpus page (8)")
    parser.add_argument("--configs", default="1,2,4,redis2", help="which of 1,2,4,redis2")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--keep", type=Path, help="keep databases and logs in this folder")
    parser.add_argument(
        "--no-ceiling", action="store_true", help="skip the extraction-alone ceiling measurement"
    )
    parser.add_argument(
        "--profile", type=Path, help="run each worker under cProfile, stats files in this folder"
    )
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus} (--corpus or NEWSCRAWL_CORPUS)", file=sys.stderr)
        return 2
    names = [n.strip() for n in args.configs.split(",") if n.strip()]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown or not names:
        print(
            f"unknown configurations {unknown}: choose from {', '.join(CONFIGS)}", file=sys.stderr
        )
        return 2
    if args.profile:
        args.profile = args.profile.resolve()
        args.profile.mkdir(parents=True, exist_ok=True)
    site = corpus_site.build(args.corpus, args.pages, args.copies)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="newscrawl-scaling-") as temp:
        folder = Path(temp)
        if args.keep:
            shutil.rmtree(args.keep, ignore_errors=True)
            folder = args.keep
            folder.mkdir(parents=True)
        site.start()
        redis = Redis(folder) if any(CONFIGS[n][1] for n in names) else None
        try:
            print(f"site: {site.pages} URLs over {site.distinct} corpus pages, "
                  f"{site.list_count()} listing pages; {os.cpu_count()} CPUs")  # fmt: skip
            ceiling = None if args.no_ceiling else extraction_ceiling(site, folder)
            for name in names:
                workers, shared, through = CONFIGS[name]
                redis_used = redis if shared else None
                result = run_config(name, workers, site, folder, redis_used, through, args.profile)
                results.append(result)
                print(f"  done: {name} in {result.seconds} s", flush=True)
        finally:
            site.stop()
            if redis is not None:
                redis.stop()
    base = next((r for r in results if r.config == "1"), None)
    for result in results:
        result.speedup = round(base.seconds / result.seconds, 2) if base else 0.0
        if base and result.crawl_seconds:
            result.crawl_speedup = round(base.crawl_seconds / result.crawl_seconds, 2)
    header = (f"{'config':<8} {'workers':>7} {'responses':>9} {'twice':>5} {'articles':>8} "
              f"{'links':>6} {'comments':>8} {'checksum':>16} {'locked':>6} {'retries':>7} "
              f"{'failed':>6} {'wall s':>7} {'speed-up':>8} {'crawl s':>7} {'speed-up':>8} "
              f"{'cpu s':>6} {'cores':>5} {'load':>5}")  # fmt: skip
    print(header)
    for r in results:
        print(f"{r.config:<8} {r.workers:>7} {r.responses:>9} {r.fetched_twice:>5} {r.articles:>8} "
              f"{r.links:>6} {r.comments:>8} {r.checksum:>16} {r.lock_errors:>6} {r.retries:>7} "
              f"{r.failed:>6} {r.seconds:>7} {r.speedup:>8} {r.crawl_seconds:>7} "
              f"{r.crawl_speedup:>8} {r.cpu_seconds:>6} {r.cores:>5} {r.load:>5}")  # fmt: skip
    reference = results[0]
    same = all((r.articles, r.links, r.comments, r.checksum)
               == (reference.articles, reference.links, reference.comments, reference.checksum)
               for r in results)  # fmt: skip
    clean = all(r.fetched_twice == 0 and r.lock_errors == 0 and r.failed == 0 for r in results)
    print(
        f"same content in every configuration: {'yes' if same else 'NO'}; "
        f"nothing fetched twice, no lock error, no failed write: {'yes' if clean else 'NO'}"
    )
    two = next((r for r in results if r.config == "2"), None)
    if base and two:
        verdict = "ok" if two.speedup >= 1.6 else "below"
        print(f"2 workers vs 1: {two.speedup}x wall, {two.crawl_speedup}x crawl "
              f"(target >= 1.6x on 2 cores): {verdict}")  # fmt: skip
    if ceiling is not None:
        print(f"ceiling, extraction alone of the {ceiling.pages} distinct pages: one process "
              f"{ceiling.one_wall} s ({ceiling.one_cpu_ms} ms CPU a page), two at once "
              f"{ceiling.two_wall} s each doing all ({ceiling.two_cpu_ms} ms CPU a page): "
              f"{ceiling.speedup}x")  # fmt: skip
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"pages": site.pages, "distinct": site.distinct, "cpus": os.cpu_count(),
                    "results": [asdict(r) for r in results],
                    "ceiling": asdict(ceiling) if ceiling else None}, indent=2),
        encoding="utf-8",
    )  # fmt: skip
    return 0 if same and clean else 1


if __name__ == "__main__":
    sys.exit(main())
