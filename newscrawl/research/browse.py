"""`newscrawl browse`: serve a database in Datasette with the shipped metadata and queries."""

from __future__ import annotations

import json
import signal
import sqlite3
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..store import open_store
from ..store.views import VIEWS

METADATA_RESOURCE = "datasette/metadata.yml"
DATASETTE_DIR = Path(__file__).resolve().parents[1] / "datasette"  # templates, static, plugins
STATIC_MOUNT = "newscrawl-static"  # metadata.yml's extra_css_urls point here
METADATA_DB_KEY = "news"  # the key used in metadata.yml: the stem of the default data/news.db
# The thread and search queries walk whole tables on big databases: Datasette's 1 s is too short.
# Table pages show at most 300 characters of a cell (a body would fill the screen); row pages,
# JSON and CSV show everything.
DEFAULT_SETTINGS = (
    ("sql_time_limit_ms", "10000"),
    ("max_returned_rows", "5000"),
    ("truncate_cells_html", "300"),
)


def load_metadata(db_name: str = METADATA_DB_KEY) -> dict[str, Any]:
    """The shipped Datasette metadata, keyed to the database Datasette will call `db_name`."""
    text = resources.files("newscrawl").joinpath(METADATA_RESOURCE).read_text(encoding="utf-8")
    metadata = yaml.safe_load(text)
    databases = metadata["databases"]
    databases[db_name] = databases.pop(METADATA_DB_KEY)
    return metadata


def database_name(db_path: Path) -> str:
    """The name Datasette gives a database file (its stem), as used in URLs and metadata."""
    return db_path.stem


def missing_views(db_path: Path) -> list[str]:
    """Views of this newscrawl the file lacks (an older file, or one never opened for writing)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute("select name, sql from sqlite_master where type = 'view'").fetchall()
    finally:
        conn.close()
    stored = dict(rows)
    return [name for name, sql in VIEWS.items() if stored.get(name) != sql]


def prepare_database(db_path: Path) -> bool:
    """Bring schema and views up to date when needed, as any crawl would; True if it did."""
    if not missing_views(db_path):
        return False
    open_store(db_path).close()
    return True


def datasette_command(
    db_path: Path,
    metadata_path: Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    extra: list[str] | None = None,
) -> list[str]:
    """The Datasette command line: mutable file (opened read-only, sees new rows), our settings,
    templates, stylesheet and link plugin (newscrawl/datasette/)."""
    command = [
        sys.executable, "-m", "datasette", "serve", str(db_path),
        "--metadata", str(metadata_path), "--host", host, "--port", str(port),
        "--template-dir", str(DATASETTE_DIR / "templates"),
        "--plugins-dir", str(DATASETTE_DIR / "plugins"),
        "--static", f"{STATIC_MOUNT}:{DATASETTE_DIR / 'static'}",
    ]  # fmt: skip
    for name, value in DEFAULT_SETTINGS:
        command += ["--setting", name, value]
    return command + list(extra or [])


def write_metadata(db_path: Path, folder: Path) -> Path:
    """Write the metadata keyed to `db_path` into `folder`; return the file."""
    path = folder / "metadata.json"
    metadata = load_metadata(database_name(db_path))
    path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _interrupt(signum: int, frame: object) -> None:
    """Turn SIGTERM into KeyboardInterrupt: subprocess.run then kills the child it waits for."""
    raise KeyboardInterrupt


def browse(
    db_path: Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    extra: list[str] | None = None,
    upgrade: bool = True,
) -> int:
    """Run Datasette over `db_path` until it stops; return its exit code."""
    import subprocess

    if not db_path.is_file():
        print(f"newscrawl browse: no database at {db_path}", file=sys.stderr)
        return 2
    if upgrade:
        try:
            if prepare_database(db_path):
                print(f"Updated the schema and views of {db_path}", file=sys.stderr)
        except sqlite3.OperationalError as error:  # read-only media: serve it as it is
            print(f"newscrawl browse: could not update views ({error})", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="newscrawl-browse-") as folder:
        command = datasette_command(
            db_path, write_metadata(db_path, Path(folder)), host, port, extra
        )
        print(f"Datasette on http://{host}:{port}/{database_name(db_path)} (Ctrl-C stops)")
        previous = signal.signal(signal.SIGTERM, _interrupt)  # so Datasette stops with us
        try:
            return subprocess.run(command, check=False).returncode
        except KeyboardInterrupt:  # subprocess.run has stopped Datasette by now
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
