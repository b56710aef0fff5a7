"""Read responses back from WARC files: by pointer (offset, length), or all of a file.

The body given back is the payload as the page was served, with transfer and content
encodings undone (warcio's `content_stream`), so it can be handed to the extractor as is;
the headers lose the ones that described those encodings.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

logger = logging.getLogger(__name__)

_ENCODING_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class WarcReadError(ValueError):
    """A pointer that does not lead to a readable response record."""


@dataclass
class ArchivedResponse:
    """One archived HTTP response, decoded."""

    url: str
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    date: str | None = None  # WARC-Date, ISO 8601 UTC
    record_id: str | None = None

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def content_type(self) -> str | None:
        return self.header("Content-Type")


def resolve_warc_path(stored: str, db_path: str | os.PathLike[str] | None) -> Path:
    """The file a `warc_file` column names: relative to the database's folder, or absolute."""
    path = Path(stored)
    if path.is_absolute() or db_path is None:
        return path
    return Path(db_path).resolve().parent / path


def _response(record: Any) -> ArchivedResponse | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    try:
        status = int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return None
    headers = [(k, v) for k, v in record.http_headers.headers if k.lower() not in _ENCODING_HEADERS]
    body = record.content_stream().read()
    date = record.rec_headers.get_header("WARC-Date")
    return ArchivedResponse(
        url=record.rec_headers.get_header("WARC-Target-URI") or "",
        status=status,
        headers=headers,
        body=body,
        date=_iso(date),
        record_id=record.rec_headers.get_header("WARC-Record-ID"),
    )


def _iso(date: str | None) -> str | None:
    """WARC-Date (``2026-12-01T10:00:00Z``, maybe with fractions) as newscrawl's UTC form."""
    if not date:
        return None
    text = date.strip().replace("Z", "+00:00")
    if "." in text:
        head, _, rest = text.partition(".")
        text = head + rest[rest.find("+") :] if "+" in rest else head
    return text


def read_response(path: str | os.PathLike[str], offset: int, length: int) -> ArchivedResponse:
    """The response record at `offset` (`length` bytes) of the WARC file at `path`."""
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            data = handle.read(length)
    except OSError as exc:
        raise WarcReadError(f"cannot read {path}: {exc}") from None
    if len(data) < length:
        raise WarcReadError(f"{path} ends before offset {offset} + {length}")
    try:
        for record in ArchiveIterator(BytesIO(data)):
            response = _response(record)
            if response is not None:
                return response
            break
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as exc:
        raise WarcReadError(f"no readable record at {path}:{offset}: {exc}") from None
    raise WarcReadError(f"no response record at {path}:{offset}")


def iter_responses(
    path: str | os.PathLike[str],
) -> Iterator[tuple[int, int, ArchivedResponse]]:
    """(offset, length, response) of every response record of a WARC file written by any
    crawler (gzipped per record or not). A truncated or corrupt last record ends the file
    with a warning instead of an exception."""
    size = os.path.getsize(path)
    end = 0
    with open(path, "rb") as handle:
        iterator = ArchiveIterator(handle)
        try:
            for record in iterator:
                response = _response(record)
                offset = iterator.get_record_offset()
                length = iterator.get_record_length()
                end = offset + length
                if response is not None:
                    yield offset, length, response
        except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as exc:
            logger.warning("%s: truncated or corrupt record skipped (%s)", path, exc)
            return
    if end < size and str(path).endswith(".gz"):
        # warcio ends quietly on a gzip member cut short (a crawl killed while writing it).
        logger.warning(
            "%s: truncated or corrupt record skipped (%d bytes after the last whole record)",
            path, size - end,
        )  # fmt: skip
