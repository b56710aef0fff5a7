"""`newscrawl stats`: what the database holds per site, as a terminal table or a per-day plot."""

from __future__ import annotations

import contextlib
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass
class SiteStats:
    """One site's row of the summary table."""

    site: str
    articles: int = 0
    comments: int = 0
    links: int = 0
    runs: int = 0
    first_crawl: str | None = None
    last_crawl: str | None = None
    last_run: str = "no run"


def _last_run_result(row: sqlite3.Row) -> str:
    """A crawl run in a few words: how it ended (reason, outcome, exit status), what it added."""
    if row["finished"] is None:
        return f"run {row['id']} unfinished"
    keys = row.keys()
    outcome = row["outcome"] if "outcome" in keys else None
    status = row["exit_status"] if "exit_status" in keys else None
    ended = row["finish_reason"] or "ended"
    if outcome:
        ended += f": {outcome}" + (f" (exit {status})" if status else "")
    parts = [ended, f"+{row['articles_new'] or 0} art"]
    if row["articles_updated"]:
        parts.append(f"~{row['articles_updated']} art")
    parts.append(f"+{row['comments_new'] or 0} com")
    if "failures" in keys and row["failures"] is not None:
        parts.append(f"{row['failures']} failed")
    else:
        parts.append(f"{row['errors'] or 0} err")
    return ", ".join(parts)


def site_stats(conn: sqlite3.Connection) -> list[SiteStats]:
    """Per site (in `sites`, or named by a crawl run): counts, crawl span and last run's result."""
    conn.row_factory = sqlite3.Row
    by_name: dict[str, SiteStats] = {}

    def get(name: str) -> SiteStats:
        return by_name.setdefault(name, SiteStats(name))

    for row in conn.execute("select name from sites"):
        get(row["name"])
    counts = {
        "articles": "select s.name, count(*) from articles a join sites s on s.id = a.site_id"
        " group by s.name",
        "comments": "select s.name, count(*) from comments c join articles a on a.id = c.article_id"
        " join sites s on s.id = a.site_id group by s.name",
        "links": "select s.name, count(*) from related_links r join articles a on a.id = r.article_id"
        " join sites s on s.id = a.site_id group by s.name",
    }
    for field, sql in counts.items():
        for name, count in conn.execute(sql):
            setattr(get(name), field, count)
    # Every run counts: one that named no site (it failed before it knew one) is listed under
    # its spider's name in parentheses.
    run_site = "coalesce(site, '(' || spider || ')')"
    for row in conn.execute(
        f"select {run_site} as run_site, count(*) as runs, min(started) as first,"
        " max(coalesce(finished, started)) as last from crawl_runs group by run_site"
    ):
        stats = get(row["run_site"])
        stats.runs, stats.first_crawl, stats.last_crawl = row["runs"], row["first"], row["last"]
    for row in conn.execute(
        f"select {run_site} as run_site, * from crawl_runs where id in"
        f" (select max(id) from crawl_runs group by {run_site})"
    ):
        get(row["run_site"]).last_run = _last_run_result(row)
    conn.row_factory = None
    return sorted(by_name.values(), key=lambda s: s.site)


def _minute(value: str | None) -> str:
    return value[:16].replace("T", " ") if value else "-"


def format_table(rows: list[SiteStats]) -> str:
    """A plain-text table with a total line, sized to its content."""
    header = (
        "site",
        "articles",
        "comments",
        "links",
        "runs",
        "first crawl",
        "last crawl",
        "last run",
    )
    body = [
        (r.site, str(r.articles), str(r.comments), str(r.links), str(r.runs),
         _minute(r.first_crawl), _minute(r.last_crawl), r.last_run)
        for r in rows
    ]  # fmt: skip
    total = (
        "total",
        *(str(sum(getattr(r, f) for r in rows)) for f in ("articles", "comments", "links", "runs")),
        _minute(min((r.first_crawl for r in rows if r.first_crawl), default=None)),
        _minute(max((r.last_crawl for r in rows if r.last_crawl), default=None)),
        "",
    )
    table = [header, *body, total]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    numeric = {1, 2, 3, 4}

    def render(line: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([render(header), rule, *map(render, body), rule, render(total)])


def daily_counts(conn: sqlite3.Connection, what: str) -> tuple[dict[str, dict[date, int]], int]:
    """Per site, how many articles (by published) or comments (by posted) each day; + undated."""
    if what == "articles":
        sql = (
            "select s.name, substr(a.published, 1, 10), count(*) from articles a"
            " join sites s on s.id = a.site_id group by 1, 2"
        )
    elif what == "comments":
        sql = (
            "select s.name, substr(c.published, 1, 10), count(*) from comments c"
            " join articles a on a.id = c.article_id join sites s on s.id = a.site_id group by 1, 2"
        )
    else:
        raise ValueError(f"unknown series {what!r}")
    series: dict[str, dict[date, int]] = defaultdict(dict)
    undated = 0
    for site, day, count in conn.execute(sql):
        try:
            series[site][date.fromisoformat(day)] = count
        except (TypeError, ValueError):
            undated += count
    return dict(series), undated


class PlotError(ValueError):
    """The plot cannot be drawn or written; the message says why and what to do."""


# Formats matplotlib writes without extra packages (Pillow, a dependency of matplotlib, does JPEG).
PLOT_FORMATS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg", ".pdf": "pdf",
                ".webp": "webp", ".tif": "tiff", ".tiff": "tiff"}  # fmt: skip


def plot_format(out: Path) -> str:
    """The image format `out`'s suffix names, or PlotError listing the ones we write."""
    fmt = PLOT_FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise PlotError(
            f"cannot draw {out}: {out.suffix or 'no suffix'!r} is not an image format we write"
            f" (use {', '.join(PLOT_FORMATS)})"
        )
    return fmt


def plot_daily(
    conn: sqlite3.Connection, out: Path, width: int = 1200, height: int = 800
) -> dict[str, int]:
    """Draw articles and comments per day per site (bars side by side) into a width x height
    image, in the format `out`'s suffix names (PNG, JPEG, SVG, PDF, WebP, TIFF).

    PlotError (nothing written) for an unknown format, a database without one dated article or
    comment, or a file that cannot be written.
    """
    fmt = plot_format(out)
    data = {what: daily_counts(conn, what) for what in ("articles", "comments")}
    if not any(series for series, _ in data.values()):
        undated = sum(n for _, n in data.values())
        raise PlotError(
            "nothing to plot: no dated articles or comments in the database"
            + (f" ({undated} undated)" if undated else "")
        )
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    dpi = 100
    fig, axes = plt.subplots(2, 1, figsize=(width / dpi, height / dpi), dpi=dpi, sharex=True)
    summary: dict[str, int] = {}
    first = min(day for series, _ in data.values() for days in series.values() for day in days)
    last = max(day for series, _ in data.values() for days in series.values() for day in days)
    for ax, what, when in zip(axes, ("articles", "comments"), ("published", "posted"), strict=True):
        series, undated = data[what]
        summary[f"{what}_undated"] = undated
        if series:
            bar = 0.8 / len(series)  # bars of one day side by side
            for i, site in enumerate(sorted(series)):
                days = sorted(series[site])
                xs = [mdates.date2num(day) - 0.4 + bar * (i + 0.5) for day in days]
                ax.bar(xs, [series[site][day] for day in days], width=bar, label=site)
            ax.legend(loc="best", fontsize="small")
        else:
            ax.text(0.5, 0.5, f"no dated {what}", ha="center", va="center", transform=ax.transAxes)
        # Both panels span the dated days of either: an empty one never shows 1970.
        ax.set_xlim(mdates.date2num(first) - 1, mdates.date2num(last) + 1)
        ax.xaxis_date()
        note = f" ({undated} undated not shown)" if undated else ""
        ax.set_title(f"{what.capitalize()} per day per site, by date {when}{note}")
        ax.set_ylabel(what)
        ax.set_ylim(bottom=0)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.grid(True, alpha=0.3)
        summary[what] = sum(sum(days.values()) for days in series.values())
    axes[-1].xaxis.set_major_formatter(
        mdates.ConciseDateFormatter(axes[-1].xaxis.get_major_locator())
    )
    fig.tight_layout()
    partial = out.with_name(out.name + ".partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(partial, dpi=dpi, format=fmt)
        partial.replace(out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise PlotError(f"cannot write {out}: {_os_reason(exc, out)}") from None
    finally:
        plt.close(fig)
    return summary


def _os_reason(exc: OSError, path: Path) -> str:
    """Why a file could not be written, in words that point at the fix."""
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return "a file is in the way of its folder; choose another path"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder; give a file name"
    if isinstance(exc, PermissionError):
        return "permission denied; choose a folder you can write to"
    return f"{exc.strerror or exc}; choose a folder you can write to"
