"""Which extractor produced a stored article: ``articles.extractor_version``.

Why: `newscrawl reextract` re-runs the installed extractor over archived responses, and a
researcher must be able to tell rows written by one extractor from rows written by another.
The package version alone does not move when the extraction code does, so the version is the
package version plus a digest of the extraction sources (``0.1.0+3f9a1c2e``): any change to
``newscrawl/extract/`` (or to the URL and date helpers it relies on) gives a new version.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from . import __version__

_PACKAGE = Path(__file__).resolve().parent
_SOURCES = ("extract", "urls.py", "dates.py", "safejson.py", "profiles.py")


@lru_cache(maxsize=1)
def _digest() -> str:
    digest = hashlib.sha256()
    for name in _SOURCES:
        path = _PACKAGE / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                digest.update(file.relative_to(_PACKAGE).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:8]


def extractor_version() -> str:
    """``<package version>+<digest of the extraction sources>``."""
    return f"{__version__}+{_digest()}"
