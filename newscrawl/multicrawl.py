"""`newscrawl crawl [SITE...] [--all] [--jobs N]`: crawl profiled sites, N at a time, for people
watching a terminal and for cron or systemd.

Each site runs as its own ``scrapy crawl SITE`` process (its own reactor and politeness budget;
a crash stays in its process), logging to ``<log dir>/<site>-<time>.log``, and reports its
figures through its progress file (newscrawl/progress.py). In a terminal a live table shows a
line per site (pages, articles, comments, errors, rate); plain lines (start, progress every
minute, each site's summary line) go to ``<log dir>/crawl-<time>.log`` and, when stdout is not a
terminal, to stdout too. The exit status is 0 when every site's crawl exited 0, else the highest
of their statuses (newscrawl/runs.py: 2 usage, 3 start error, 4 no response, ...), so a
scheduler sees a failed site.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from .preflight import CrawlRefused, check_arguments, check_database, check_settings, spider_class
from .progress import read_progress
from .runs import EXIT_STATUSES

POLL_SECONDS = 0.5
PLAIN_PROGRESS_SECONDS = 60.0
SETTINGS_MODULE = "newscrawl.settings"


@dataclass
class SiteRun:
    """One site's crawl process and what it last reported."""

    site: str
    log_file: Path
    progress_file: Path
    command: list[str] = field(default_factory=list)
    process: subprocess.Popen | None = None
    started: float | None = None
    finished: float | None = None
    exit_status: int | None = None
    progress: dict[str, Any] = field(default_factory=dict)

    @property
    def state(self) -> str:
        if self.process is None:
            return "waiting"
        if self.exit_status is None:
            return "running"
        return self.progress.get("outcome") or ("ok" if self.exit_status == 0 else "failed")

    def figures(self) -> str:
        p = self.progress
        return (
            f"{p.get('pages', 0)} pages, {p.get('articles', 0)} articles,"
            f" {p.get('comments', 0)} comments, {p.get('errors', 0)} errors,"
            f" {p.get('pages_per_minute', 0):g} pages/min"
        )

    def summary(self) -> str:
        """The child's own summary line, or what we know when it died before writing one."""
        line = self.progress.get("summary") if self.progress.get("state") == "done" else None
        if line:
            return line
        status = self.exit_status
        if status is not None and status < 0:
            return f"Crawl of {self.site} killed by signal {-status}; see {self.log_file}"
        return f"Crawl of {self.site} ended with exit status {status}; see {self.log_file}"


def profiled_sites(spider_loader: Any) -> list[str]:
    """Spiders made from site profiles (not `article` or `generic`, which need arguments)."""
    names = []
    for name in spider_loader.list():
        if getattr(spider_loader.load(name), "profile", None) is not None:
            names.append(name)
    return sorted(names)


def choose_sites(spider_loader: Any, requested: Sequence[str], every: bool) -> list[str]:
    """The sites to crawl, or CrawlRefused (one line) for a name that is not a profiled site."""
    available = profiled_sites(spider_loader)
    if every:
        if not available:
            raise CrawlRefused("no site profiles found (newscrawl/sites/, NEWSCRAWL_SITES_DIR)")
        return available
    if not requested:
        raise CrawlRefused(f"name the sites to crawl, or --all (sites: {', '.join(available)})")
    chosen = []
    for name in dict.fromkeys(requested):
        if name not in available:
            cls = spider_class(spider_loader, name)  # refuses unknown names, bad profiles
            raise CrawlRefused(
                f"{cls.name} is not a profiled site and needs arguments: use"
                f" scrapy crawl {cls.name} -a ... (sites: {', '.join(available)})"
            )
        chosen.append(name)
    return chosen


def parse_pairs(pairs: Sequence[str], option: str) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise CrawlRefused(f"{option} {pair!r}: expected {option} NAME=VALUE")
        values[name] = value
    return values


def project_settings(overrides: dict[str, str]) -> Any:
    """newscrawl's Scrapy settings with the ``-s`` overrides, as `scrapy crawl` would see them."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", SETTINGS_MODULE)
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict(overrides, priority="cmdline")
    return settings


def site_command(
    site: str, db: Path, progress: Path, spider_args: dict[str, str], settings: dict[str, str]
) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", site]
    for name, value in spider_args.items():
        command += ["-a", f"{name}={value}"]
    for name, value in {**settings, "NEWSCRAWL_DB": str(db),
                        "NEWSCRAWL_PROGRESS_FILE": str(progress)}.items():  # fmt: skip
        command += ["-s", f"{name}={value}"]
    return command


class PlainLog:
    """Timestamped plain lines into the run's log file (and stdout when it is not a terminal)."""

    def __init__(self, path: Path, echo: TextIO | None):
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115 (closed by close())
        self.echo = echo

    def line(self, text: str) -> None:
        stamped = f"{datetime.now().strftime('%Y-%m-%d %H:%M:%S')} {text}"
        self.file.write(stamped + "\n")
        self.file.flush()
        if self.echo is not None:
            print(stamped, file=self.echo, flush=True)

    def close(self) -> None:
        self.file.close()


class LiveTable:
    """A live table in the terminal, one line per site (rich)."""

    def __init__(self, runs: list[SiteRun]):
        from rich.console import Console
        from rich.live import Live

        self.runs = runs
        self.console = Console(stderr=False)
        self.live = Live(self.render(), console=self.console, refresh_per_second=4)

    def render(self) -> Any:
        from rich.table import Table
        from rich.text import Text

        table = Table(box=None, pad_edge=False, header_style="bold")
        for column in ("site", "state", "pages", "articles", "comments", "errors", "pages/min",
                       "time"):  # fmt: skip
            table.add_column(column, justify="left" if column in ("site", "state") else "right")
        now = time.monotonic()
        for run in self.runs:
            p = run.progress
            elapsed = ((run.finished or now) - run.started) if run.started else 0
            style = {"running": "cyan", "waiting": "dim", "ok": "green", "partial": "yellow"}
            table.add_row(
                Text(run.site),
                Text(run.state, style=style.get(run.state, "red")),
                str(p.get("pages", 0)), str(p.get("articles", 0)), str(p.get("comments", 0)),
                str(p.get("errors", 0)), f"{p.get('pages_per_minute', 0):g}",
                f"{elapsed:.0f} s" if run.started else "",
            )  # fmt: skip
        return table

    def __enter__(self) -> LiveTable:
        self.live.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.update()
        self.live.__exit__(*exc)

    def update(self) -> None:
        self.live.update(self.render())

    def print(self, text: str) -> None:
        from rich.text import Text

        self.live.console.print(Text(text))


def run_sites(
    runs: list[SiteRun],
    jobs: int,
    log: PlainLog,
    live: LiveTable | None = None,
    env: dict[str, str] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Start the runs `jobs` at a time, follow them until all have ended; the aggregate status."""
    pending = list(runs)
    running: list[SiteRun] = []
    last_plain = clock()
    stopping = False

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        while pending or running:
            try:
                while pending and len(running) < jobs and not stopping:
                    run = pending.pop(0)
                    start(run, env)
                    running.append(run)
                    log.line(f"{run.site}: started (pid {run.process.pid}), log {run.log_file}")
                for run in list(running):
                    run.progress = read_progress(run.progress_file) or run.progress
                    code = run.process.poll()
                    if code is None:
                        continue
                    run.exit_status, run.finished = code, clock()
                    run.progress = read_progress(run.progress_file) or run.progress
                    running.remove(run)
                    log.line(run.summary())
                    if live is not None:
                        live.print(run.summary())
                if clock() - last_plain >= PLAIN_PROGRESS_SECONDS:
                    last_plain = clock()
                    for run in running:
                        log.line(f"{run.site}: running, {run.figures()}")
                if live is not None:
                    live.update()
                if pending or running:
                    time.sleep(POLL_SECONDS)
            except KeyboardInterrupt:
                if stopping:  # a second Ctrl-C: stop at once
                    for run in running:
                        run.process.kill()
                    continue
                stopping = True
                pending.clear()
                log.line("Stopping: each running crawl finishes its requests in flight")
                for run in running:
                    run.process.send_signal(signal.SIGINT)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return aggregate_status(runs)


def start(run: SiteRun, env: dict[str, str] | None) -> None:
    run.progress_file.unlink(missing_ok=True)
    with open(run.log_file, "w", encoding="utf-8") as out:
        # A session of its own: a Ctrl-C in the terminal reaches this process only, which
        # passes one SIGINT on (Scrapy takes a second one as "stop now, unclean").
        run.process = subprocess.Popen(
            run.command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            start_new_session=True,
        )  # fmt: skip
    run.started = time.monotonic()


def aggregate_status(runs: Sequence[SiteRun]) -> int:
    """0 when every site's crawl exited 0; else the highest status (a signal N counts 128+N)."""
    codes = [
        (128 - r.exit_status if r.exit_status < 0 else r.exit_status)
        for r in runs
        if r.exit_status is not None
    ]
    if any(r.exit_status is None for r in runs):  # never started (stopped before its turn)
        codes.append(EXIT_STATUSES["interrupted"][0])
    return max(codes, default=0)


def crawl(
    sites: Sequence[str],
    every: bool,
    db: Path,
    jobs: int = 2,
    log_dir: Path | None = None,
    spider_args: Sequence[str] = (),
    setting_args: Sequence[str] = (),
    live: bool | None = None,
) -> int:
    """`newscrawl crawl`: checks first (one line and exit 2 on a mistake), then the runs."""
    from scrapy.spiderloader import get_spider_loader

    if jobs < 1:
        raise CrawlRefused(f"--jobs {jobs}: run at least one crawl at a time")
    spargs = parse_pairs(spider_args, "-a")
    overrides = parse_pairs(setting_args, "-s")
    settings = project_settings({**overrides, "NEWSCRAWL_DB": str(db)})
    loader = get_spider_loader(settings)
    names = choose_sites(loader, sites, every)
    check_settings(settings)
    for name in names:
        check_arguments(loader.load(name), spargs)
    check_database(db)
    log_dir = log_dir or db.parent / "logs"
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        plain = PlainLog(log_dir / f"crawl-{stamp}.log", None)
    except OSError as exc:
        raise CrawlRefused(
            f"cannot write logs into {log_dir}: {exc.strerror or exc}; choose --log-dir DIR"
        ) from None
    live = sys.stdout.isatty() if live is None else live
    plain.echo = None if live else sys.stdout
    env = {**os.environ}
    env.setdefault("SCRAPY_SETTINGS_MODULE", SETTINGS_MODULE)
    with tempfile.TemporaryDirectory(prefix="newscrawl-progress-") as folder:
        runs = [
            SiteRun(name, log_dir / f"{name}-{stamp}.log", Path(folder) / f"{name}.json")
            for name in names
        ]
        for run in runs:
            run.command = site_command(run.site, db, run.progress_file, spargs, overrides)
        plain.line(
            f"newscrawl crawl: {len(runs)} site(s) into {db}, {min(jobs, len(runs))} at a time:"
            f" {', '.join(names)}"
        )
        try:
            if live:
                with LiveTable(runs) as table:
                    status = run_sites(runs, jobs, plain, table, env)
            else:
                status = run_sites(runs, jobs, plain, None, env)
            failed = [r for r in runs if r.exit_status != 0]
            plain.line(
                f"newscrawl crawl: {len(runs) - len(failed)} of {len(runs)} site(s) ok"
                + (f"; failed: {', '.join(f'{r.site} ({r.state})' for r in failed)}" if failed else "")
                + f"; exit status {status}"
            )  # fmt: skip
            if live:
                print(f"Log: {plain.file.name}")
        finally:
            plain.close()
    return status
