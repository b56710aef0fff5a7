"""Bundled sample sites (static copies in the shape of real news sites) and their server.

The demo and the test suite crawl them on 127.0.0.1; see `newscrawl.samples.server`.
"""

from pathlib import Path

SITES_DIR = Path(__file__).with_name("sites")


def site_dir(name: str) -> Path:
    """Folder of the bundled sample site `name`."""
    path = SITES_DIR / name
    if not path.is_dir():
        raise FileNotFoundError(f"no bundled sample site {name!r} in {SITES_DIR}")
    return path
