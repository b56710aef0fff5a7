"""`newscrawl stats`: what the database holds per site, as a terminal table or a per-day plot."""

from __future__ import annotations

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
    """A crawl run in a few words: how it ended and what it added."""
    if row["finished"] is None:
        return f"run {row['id']} unfinished"
    parts = [row["finish_reason"] or "ended"]
    parts.append(f"+{row['articles_new'] or 0} art")
    if row["articles_updated"]:
        parts.append(f"~{row['articles_updated']} art")
    parts.append(f"+{row['comments_new'] or 0} com")
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
    for row in conn.execute(
        "select site, count(*) as runs, min(started) as first, max(coalesce(finished, started)) as last"
        " from crawl_runs where site is not null group by site"
    ):
        stats = get(row["site"])
        stats.runs, stats.first_crawl, stats.last_crawl = row["runs"], row["first"], row["last"]
    for row in conn.execute(
        "select * from crawl_runs where id in (select max(id) from crawl_runs where site is not null"
        " group by site)"
    ):
        get(row["site"]).last_run = _last_run_result(row)
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


def plot_daily(
    conn: sqlite3.Connection, out: Path, width: int = 1200, height: int = 800
) -> dict[str, int]:
    """Draw articles and comments per day per site (bars side by side) into a width x height PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    dpi = 100
    fig, axes = plt.subplots(2, 1, figsize=(width / dpi, height / dpi), dpi=dpi, sharex=True)
    summary: dict[str, int] = {}
    for ax, what, when in zip(axes, ("articles", "comments"), ("published", "posted"), strict=True):
        series, undated = daily_counts(conn, what)
        summary[f"{what}_undated"] = undated
        all_days = [day for days in series.values() for day in days]
        if all_days:
            bar = 0.8 / len(series)  # bars of one day side by side
            for i, site in enumerate(sorted(series)):
                days = sorted(series[site])
                xs = [mdates.date2num(day) - 0.4 + bar * (i + 0.5) for day in days]
                ax.bar(xs, [series[site][day] for day in days], width=bar, label=site)
            ax.set_xlim(mdates.date2num(min(all_days)) - 1, mdates.date2num(max(all_days)) + 1)
            ax.xaxis_date()
            ax.legend(loc="best", fontsize="small")
        else:
            ax.text(0.5, 0.5, f"no dated {what}", ha="center", va="center", transform=ax.transAxes)
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
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=dpi, format="png")
    plt.close(fig)
    return summary
