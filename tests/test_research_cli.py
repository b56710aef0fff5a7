"""`newscrawl stats`, `stats --plot`, `export --parquet` and `browse`'s set-up, on the sample crawl."""

from __future__ import annotations

import json
import sqlite3
import struct
from pathlib import Path

import pytest

from newscrawl.cli import main
from newscrawl.demo import DEMO_SITES, run_demo
from newscrawl.research.browse import (
    datasette_command,
    load_metadata,
    missing_views,
    prepare_database,
    write_metadata,
)
from newscrawl.research.stats import format_table, site_stats
from newscrawl.store import open_store

from .conftest import expected

SITE_NAMES = {demo.folder: demo.site_name for demo in DEMO_SITES}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    """Both sample sites crawled for real (offline) into one database."""
    db = tmp_path_factory.mktemp("research") / "crawl.db"
    run_demo(db)
    return db


def truth() -> dict[str, dict[str, int]]:
    """Per site name: articles, comments and related links, from the sample ground truth."""
    counts = {}
    for folder, name in SITE_NAMES.items():
        articles = expected(folder)["articles"].values()
        counts[name] = {
            "articles": len(articles),
            "comments": sum(len(a["comments"]) for a in articles),
            "links": sum(len(b["links"]) for a in articles for b in a["related"]),
        }
    return counts


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])


# --- stats ---------------------------------------------------------------------------------


def test_stats_table_per_site(sample_db, capsys):
    assert main(["stats", "--db", str(sample_db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:5] == ["site", "articles", "comments", "links", "runs"]
    rows = {line.split()[0]: line.split() for line in lines[2:] if not line.startswith("-")}
    for name, counts in truth().items():
        cells = rows[name]
        assert [int(c) for c in cells[1:5]] == [
            counts["articles"], counts["comments"], counts["links"], 1,
        ]  # fmt: skip
        assert "finished" in " ".join(cells[5:])
        assert f"+{counts['articles']} art" in " ".join(cells[5:])
    total = rows["total"]
    assert int(total[1]) == sum(c["articles"] for c in truth().values())
    assert int(total[2]) == sum(c["comments"] for c in truth().values())


def test_stats_reports_unfinished_runs_and_sites_without_articles(tmp_path):
    store = open_store(tmp_path / "news.db")
    run = store.start_run("larevuedudigital", "larevuedudigital")
    store.finish_run(run, "finished", {"newscrawl/articles/new": 3, "log_count/ERROR": 2})
    store.start_run("larevuedudigital", "larevuedudigital")  # still running (or killed)
    store.start_run("generic", "example.org")
    rows = {row.site: row for row in site_stats(store.conn)}
    store.close()
    assert set(rows) == {"larevuedudigital", "example.org"}
    assert rows["larevuedudigital"].runs == 2
    assert rows["larevuedudigital"].last_run.endswith("unfinished")
    assert rows["example.org"].articles == 0
    table = format_table(list(rows.values()))
    lines = {line.split()[0]: line for line in table.splitlines()}
    assert lines["example.org"].split()[1:5] == ["0", "0", "0", "1"]
    header, rule = table.splitlines()[:2]
    starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
    assert [header[i : i + 4] for i in starts[:2]] == ["site", "arti"]  # columns line up


def test_stats_plot_writes_png_of_requested_size(sample_db, tmp_path, capsys):
    out = tmp_path / "plots" / "daily.png"
    assert main(["stats", "--db", str(sample_db), "--plot", str(out), "--size", "900x600"]) == 0
    assert png_size(out) == (900, 600)
    assert "22 comments" in capsys.readouterr().out
    import matplotlib.image

    pixels = matplotlib.image.imread(out)[:, :, :3]
    # bars are drawn in the two first colours of matplotlib's cycle (blue, orange)
    blue = ((abs(pixels - [0.12, 0.47, 0.71]) < 0.03).all(axis=2)).sum()
    orange = ((abs(pixels - [1.0, 0.5, 0.05]) < 0.03).all(axis=2)).sum()
    assert blue > 200 and orange > 200, (blue, orange)

    default = tmp_path / "default.png"
    assert main(["stats", "--db", str(sample_db), "--plot", str(default)]) == 0
    assert png_size(default) == (1200, 800)
    assert default.stat().st_size > 10_000


def test_stats_rejects_bad_size_and_missing_db(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["stats", "--size", "big", "--db", str(tmp_path / "x.db")])
    assert main(["stats", "--db", str(tmp_path / "missing.db")]) == 2
    assert not (tmp_path / "missing.db").exists()  # never creates an empty database


# --- export --------------------------------------------------------------------------------


def test_export_parquet_default_tables(sample_db, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "parquet"
    assert main(["export", "--db", str(sample_db), "--parquet", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "articles.parquet", "comments.parquet", "related_links.parquet", "sites.parquet",
    ]  # fmt: skip
    conn = sqlite3.connect(sample_db)
    for table in ("sites", "articles", "related_links", "comments"):
        parquet = pq.read_table(out / f"{table}.parquet")
        db_columns = [r[1] for r in conn.execute(f"pragma table_info({table})")]
        assert parquet.column_names == db_columns
        assert parquet.num_rows == conn.execute(f"select count(*) from {table}").fetchone()[0]
    articles = pq.read_table(out / "articles.parquet").to_pylist()
    seed_url = expected("larevuedudigital")["seed_article"]
    seed = next(a for a in articles if a["canonical_url"] == seed_url)
    truth_seed = expected("larevuedudigital")["articles"][seed_url]
    assert seed["authors"] == truth_seed["authors"]  # JSON arrays become lists
    assert seed["tags"] == truth_seed["tags"]
    assert (
        seed["body"]
        == conn.execute("select body from articles where id = ?", (seed["id"],)).fetchone()[0]
    )
    assert isinstance(seed["word_count"], int)
    comments = pq.read_table(out / "comments.parquet")
    assert str(comments.schema.field("article_id").type) == "int64"
    conn.close()


def test_export_views_and_unknown_tables(sample_db, tmp_path, capsys):
    import pyarrow.parquet as pq

    out = tmp_path / "views"
    args = ["export", "--db", str(sample_db), "--parquet", str(out)]
    assert main([*args, "--table", "comment_threads", "--table", "article_overview"]) == 0
    threads = pq.read_table(out / "comment_threads.parquet")
    assert str(threads.schema.field("depth").type) == "int64"
    assert max(threads.column("depth").to_pylist()) == 2
    overview = pq.read_table(out / "article_overview.parquet")
    assert sum(overview.column("comment_count").to_pylist()) == threads.num_rows
    assert main([*args, "--table", "articles_fts_data"]) == 2
    assert "no such table or view: articles_fts_data" in capsys.readouterr().err
    assert not (out / "articles_fts_data.parquet").exists()


def test_export_jsonl_and_csv_hold_the_same_tables(sample_db, tmp_path, capsys):
    import csv

    import pyarrow.parquet as pq

    for fmt in ("parquet", "jsonl", "csv"):
        assert main(["export", "--db", str(sample_db), f"--{fmt}", str(tmp_path / fmt)]) == 0
        assert sorted(p.name for p in (tmp_path / fmt).iterdir()) == [
            f"{t}.{fmt}" for t in ("articles", "comments", "related_links", "sites")
        ]
    assert f"{tmp_path / 'csv' / 'comments.csv'}: 22 rows" in capsys.readouterr().out
    conn = sqlite3.connect(sample_db)
    for table in ("sites", "articles", "related_links", "comments"):
        columns = [r[1] for r in conn.execute(f"pragma table_info({table})")]
        parquet = pq.read_table(tmp_path / "parquet" / f"{table}.parquet").to_pylist()
        with open(tmp_path / "jsonl" / f"{table}.jsonl", encoding="utf-8") as handle:
            jsonl = [json.loads(line) for line in handle]
        with open(tmp_path / "csv" / f"{table}.csv", encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header, *csv_rows = list(reader)
        assert header == columns and list(jsonl[0]) == columns
        assert len(jsonl) == len(csv_rows) == len(parquet)
        assert jsonl == parquet  # the same values, lists included
        for row, parsed in zip(csv_rows, jsonl, strict=True):
            for name, cell in zip(columns, row, strict=True):
                value = parsed[name]
                if isinstance(value, list):
                    assert json.loads(cell) == value  # JSON text in CSV
                else:
                    assert cell == ("" if value is None else str(value))
    conn.close()
    seed_url = expected("larevuedudigital")["seed_article"]
    with open(tmp_path / "jsonl" / "articles.jsonl", encoding="utf-8") as handle:
        seed = next(a for a in map(json.loads, handle) if a["canonical_url"] == seed_url)
    assert seed["authors"] == expected("larevuedudigital")["articles"][seed_url]["authors"]
    out = tmp_path / "views"
    assert (
        main(["export", "--db", str(sample_db), "--jsonl", str(out), "--table", "link_graph"]) == 0
    )
    assert (out / "link_graph.jsonl").read_text(encoding="utf-8").count("\n") == 74
    assert not list(out.glob("*.partial"))


# --- browse --------------------------------------------------------------------------------


def test_browse_metadata_follows_the_database_name(sample_db, tmp_path):
    path = write_metadata(sample_db, tmp_path)
    metadata = json.loads(path.read_text(encoding="utf-8"))
    assert list(metadata["databases"]) == ["crawl"]  # Datasette names a database by its stem
    assert (
        metadata["databases"]["crawl"]["queries"] == load_metadata()["databases"]["news"]["queries"]
    )
    command = datasette_command(sample_db, path, port=8123)
    assert command[1:4] == ["-m", "datasette", "serve"]
    assert "-i" not in command and "--immutable" not in command  # a live crawl DB stays live
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--metadata") + 1] == str(path)


def test_browse_adds_views_to_an_older_file_and_refuses_a_missing_one(tmp_path, capsys):
    db = tmp_path / "old.db"
    open_store(db).close()
    with sqlite3.connect(db) as raw:
        raw.execute("drop view link_graph")
    assert missing_views(db) == ["link_graph"]
    assert prepare_database(db) is True
    assert missing_views(db) == []
    assert prepare_database(db) is False  # up to date: not opened for writing
    assert main(["browse", "--db", str(tmp_path / "missing.db")]) == 2
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "missing.db").exists()
