"""Faults injected into crawl subprocesses (test helpers, loaded with ``-s EXTENSIONS=...``).

- `StageFaults`: an extraction stage raises on pages that carry ``<meta name="fault"
  content="STAGE">`` (article, metadata, related, comments), the way a bug in one extractor
  would. A crawl without the extension (e.g. `newscrawl reextract`) is the "fixed" extractor.
  ``NEWSCRAWL_TEST_EXTRACTOR_VERSION`` also pretends the extractor has another version.
- `KillingArchive`: the WARC archive middleware, killing its own process with SIGKILL at one
  point of the N-th write (``NEWSCRAWL_TEST_KILL=point:N``), to test what a kill leaves.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import newscrawl.extract as extract
from newscrawl import versioning
from newscrawl.warc.middleware import ARCHIVE_ATTR, WarcArchiveMiddleware, warc_dir
from newscrawl.warc.writer import WarcArchive

STAGE_FUNCTIONS = {  # the module-level names extract_page calls, per stage
    "article": "extract_body",
    "metadata": "article_fields",
    "related": "extract_related",
    "comments": "extract_comments",
}


class InjectedFault(RuntimeError):
    pass


def _faulty(stage: str, original: Any) -> Any:
    def wrapper(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        root = ctx.tree.getroottree().getroot()  # every stage function takes the PageContext
        if root.xpath(f"//meta[@name='fault'][@content='{stage}']"):
            raise InjectedFault(f"injected {stage} fault")
        return original(ctx, *args, **kwargs)

    return wrapper


class StageFaults:
    """Extension: patches the stage functions of `newscrawl.extract` in this process."""

    def __init__(self) -> None:
        for stage, name in STAGE_FUNCTIONS.items():
            setattr(extract, name, _faulty(stage, getattr(extract, name)))
        version = os.environ.get("NEWSCRAWL_TEST_EXTRACTOR_VERSION")
        if version:
            versioning.extractor_version = lambda: version  # type: ignore[assignment]

    @classmethod
    def from_crawler(cls, crawler: Any) -> StageFaults:
        return cls()


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class _KillingWarcArchive(WarcArchive):
    """Dies at `point` of write number `at` (1-based)."""

    def __init__(self, *args: Any, point: str, at: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.point = point
        self.at = at
        self.writes = 0

    def write(self, site: str, request: Any, response: Any):  # type: ignore[override]
        self.writes += 1
        if self.writes == self.at and self.point in ("rotation", "new_file"):
            self.max_size = 1  # this write starts a new file
        return super().write(site, request, response)

    def _open(self, site: str):  # type: ignore[override]
        current = (
            super()._open(site) if self.point != "new_file" or self.writes != self.at else None
        )
        if current is None:  # new_file: die right after creating it, mid-warcinfo
            folder = self.site_dir(site)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"newscrawl-killed-{os.getpid()}.warc.gz"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
            Path(str(path) + ".open").touch()
            os.write(fd, b"\x1f\x8b")
            _die()
        return current

    def _write(self, current: Any, data: bytes) -> None:
        if self.writes == self.at and data[:2] == b"\x1f\x8b" and current.records:
            point = self.point
            if point == "rotation":
                # the write after the rotation: die half-way through the new file's first pair
                os.write(current.fd, data[: len(data) // 2])
                _die()
            if point == "request_only":
                first = _member_length(data)
                os.write(current.fd, data[:first])
                _die()
            if point == "response_partial":
                first = _member_length(data)
                os.write(current.fd, data[: first + (len(data) - first) // 2])
                _die()
        super()._write(current, data)
        if self.writes == self.at and self.point == "after_pair" and current.records > 1:
            _die()  # the pair is on disk, the page's items never reach the database


def _member_length(data: bytes) -> int:
    """Length of the first gzip member of `data`."""
    import zlib

    decompressor = zlib.decompressobj(31)
    decompressor.decompress(data)
    return len(data) - len(decompressor.unused_data)


class KillingArchive(WarcArchiveMiddleware):
    """`WarcArchiveMiddleware` whose archive kills the process (``NEWSCRAWL_TEST_KILL``)."""

    def __init__(self, crawler: Any, root: Path) -> None:
        super().__init__(crawler, root)
        point, at = os.environ["NEWSCRAWL_TEST_KILL"].split(":")
        killing = _KillingWarcArchive(
            root,
            relative_to=self.archive.relative_to,
            max_size=self.archive.max_size,
            info=self.archive.info,
            point=point,
            at=int(at),
        )
        self.archive = killing
        setattr(crawler, ARCHIVE_ATTR, killing)

    @classmethod
    def from_crawler(cls, crawler: Any) -> KillingArchive:
        return cls(crawler, warc_dir(crawler.settings))
