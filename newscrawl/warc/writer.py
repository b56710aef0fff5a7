"""Write request + response records to rotating, per-site WARC files.

Why each choice:
- One gzip member per record (what Common Crawl and pywb expect): a record can be read back
  from its (offset, length) alone, and a kill can only ever leave the last member incomplete.
- A request and its response are serialised first and written with one `os.write` loop, and
  the response's pointer is returned only after that: the database (which stores pointers)
  can never point at bytes that are not in the file.
- Files are named like Heritrix's (``newscrawl-<timestamp>-<serial>-<pid>-<host>.warc.gz``),
  so several workers (scrapy-redis) can write into one site folder. A writer holds an
  exclusive `flock` on its file and leaves a ``<file>.open`` marker beside it until it closes
  the file; the next writer in that folder repairs every marked file whose lock it can take
  (its writer is dead): it cuts the file back to the end of its last complete response, so a
  truncated record (or a request whose response was never written) does not stay behind.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

try:
    import fcntl
except ImportError:  # Windows: no flock; repairs then assume no other live writer
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

MARKER_SUFFIX = ".open"
_SITE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_WARC_TYPE = re.compile(rb"\r\nWARC-Type: *([A-Za-z]+)")
# Hop-by-hop framing the HTTP client already undid: kept under another name, as Common Crawl
# does, so that a reader does not try to undo it a second time.
_FRAMING_HEADERS = {"transfer-encoding": "X-Crawler-Transfer-Encoding"}


@dataclass(frozen=True)
class WarcPointer:
    """Where one response record is: `file` as stored in the database, its gzip member's
    `offset` and `length` in bytes."""

    file: str
    offset: int
    length: int

    def as_meta(self) -> dict[str, Any]:
        return {"warc_file": self.file, "warc_offset": self.offset, "warc_length": self.length}


def _headers(scrapy_headers: Any) -> list[tuple[str, str]]:
    """Scrapy `Headers` (bytes → list of bytes) as (name, value) text pairs, in order."""
    pairs = []
    for name, values in scrapy_headers.items():
        text = name.decode("latin-1")
        for value in values:
            pairs.append((text, value.decode("latin-1")))
    return pairs


def _datasync(fd: int) -> None:
    """The file's bytes (and size) on disk: fdatasync where there is one, else fsync."""
    getattr(os, "fdatasync", os.fsync)(fd)


def _gzip_member(data: bytes) -> bytes:
    # Level 6, not warcio's 9: a third of the CPU for ~2% more bytes (benchmarks/warc_cost.py).
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


class RecordSerializer:
    """Scrapy request/response → gzipped WARC records (bytes), built with warcio."""

    def __init__(self) -> None:
        self._buffer = BytesIO()
        self._writer = WARCWriter(self._buffer, gzip=False)

    def _serialise(self, record: Any) -> bytes:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.write_record(record)
        return _gzip_member(self._buffer.getvalue())

    def warcinfo(self, filename: str, info: dict[str, str]) -> tuple[bytes, str]:
        record = self._writer.create_warcinfo_record(filename, info)
        return self._serialise(record), record.rec_headers.get_header("WARC-Record-ID")

    def pair(
        self, request: Any, response: Any, warcinfo_id: str | None, when: datetime
    ) -> tuple[bytes, bytes]:
        """(request member, response member) for one exchange."""
        date = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        common = {"WARC-Date": date}
        if warcinfo_id:
            common["WARC-Warcinfo-ID"] = warcinfo_id
        status = int(response.status)
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
        headers = [
            (_FRAMING_HEADERS.get(name.lower(), name), value)
            for name, value in _headers(response.headers)
        ]
        protocol = getattr(response, "protocol", None) or "HTTP/1.1"
        response_headers = dict(common)
        if getattr(response, "ip_address", None) is not None:
            response_headers["WARC-IP-Address"] = str(response.ip_address)
        body = response.body or b""
        response_record = self._writer.create_warc_record(
            response.url,
            "response",
            payload=BytesIO(body),
            length=len(body),
            warc_headers_dict=response_headers,
            http_headers=StatusAndHeaders(f"{status} {reason}".strip(), headers, protocol=protocol),
        )
        parts = urlsplit(request.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_headers = [("Host", parts.netloc), *_headers(request.headers)]
        request_body = request.body or b""
        request_record = self._writer.create_warc_record(
            response.url,
            "request",
            payload=BytesIO(request_body),
            length=len(request_body),
            warc_headers_dict={
                **common,
                "WARC-Concurrent-To": response_record.rec_headers.get_header("WARC-Record-ID"),
            },
            http_headers=StatusAndHeaders(
                f"{request.method} {target} HTTP/1.1", request_headers, is_http_request=True
            ),
        )
        return self._serialise(request_record), self._serialise(response_record)


class _OpenFile:
    """One WARC file being written: its descriptor (locked), size and warcinfo id."""

    def __init__(self, path: Path, fd: int, warcinfo_id: str | None = None) -> None:
        self.path = path
        self.fd = fd
        self.size = 0
        self.records = 0
        self.warcinfo_id = warcinfo_id
        self.stored_name = ""  # the name pointers use (see WarcArchive._stored_name)
        self.dirty = False  # bytes written since the last fsync

    @property
    def marker(self) -> Path:
        return self.path.with_name(self.path.name + MARKER_SUFFIX)


class WarcArchive:
    """Rotating per-site WARC files under `root` (see the module docstring).

    `relative_to`: pointers name files relative to this folder (the database's) when the file
    is inside it, else by their absolute path. `max_size`: a file is closed and a new one
    started before a write would take it past this many bytes. `info`: the warcinfo fields
    written at the start of every file.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        relative_to: str | os.PathLike[str] | None = None,
        max_size: int = 1_000_000_000,
        info: dict[str, str] | None = None,
    ) -> None:
        self.root = Path(root)
        self.relative_to = Path(relative_to).resolve() if relative_to else None
        self.max_size = max_size
        self.info = info or {}
        self.serializer = RecordSerializer()
        self.files: dict[str, _OpenFile] = {}
        self.repaired: set[Path] = set()
        self.serial = 0
        self.host = _SITE_CHARS.sub("_", socket.gethostname())[:40] or "host"
        self.bytes_written = 0
        self.records_written = 0

    # --- writing ---------------------------------------------------------------------

    def write(self, site: str, request: Any, response: Any) -> WarcPointer:
        """Archive one exchange; the response record's pointer once it is in the file."""
        request_member, response_member = self.serializer.pair(
            request, response, self._warcinfo_id(site), datetime.now(timezone.utc)
        )
        needed = len(request_member) + len(response_member)
        current = self._file(site, needed)
        offset = current.size + len(request_member)
        self._write(current, request_member + response_member)
        self.records_written += 2
        return WarcPointer(current.stored_name, offset, len(response_member))

    def sync(self) -> None:
        """Flush every open file to disk (called before the database commits)."""
        for current in self.files.values():
            if current.dirty:
                _datasync(current.fd)
                current.dirty = False

    def close(self) -> None:
        """Close every file cleanly (synced, unlocked, marker removed); closing twice is fine."""
        for site in list(self.files):
            self._close(self.files.pop(site))

    # --- files -------------------------------------------------------------------------

    def site_dir(self, site: str) -> Path:
        return self.root / (_SITE_CHARS.sub("_", site).strip("._") or "site")

    def _file(self, site: str, needed: int) -> _OpenFile:
        current = self.files.get(site)
        if current is not None and current.records and current.size + needed > self.max_size:
            self._close(self.files.pop(site))
            current = None
        if current is None:
            current = self.files[site] = self._open(site)
        return current

    def _warcinfo_id(self, site: str) -> str | None:
        current = self.files.get(site)
        return current.warcinfo_id if current is not None else None

    def _open(self, site: str) -> _OpenFile:
        folder = self.site_dir(site)
        folder.mkdir(parents=True, exist_ok=True)
        if folder not in self.repaired:
            self.repaired.add(folder)
            repair_folder(folder)
        while True:
            stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")[:17]
            name = f"newscrawl-{stamp}-{self.serial:05d}-{os.getpid()}-{self.host}.warc.gz"
            self.serial += 1
            path = folder / name
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644)
            except FileExistsError:
                continue
            break
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        current = _OpenFile(path, fd)
        current.stored_name = self._stored_name(path)
        current.marker.touch()
        member, current.warcinfo_id = self.serializer.warcinfo(name, self.info)
        self._write(current, member)
        logger.info("Archiving responses of %s in %s", site, path)
        return current

    def _write(self, current: _OpenFile, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(current.fd, view)
            view = view[written:]
        current.size += len(data)
        current.records += 1
        current.dirty = True
        self.bytes_written += len(data)

    def _close(self, current: _OpenFile) -> None:
        os.fsync(current.fd)
        if fcntl is not None:
            fcntl.flock(current.fd, fcntl.LOCK_UN)
        os.close(current.fd)
        current.marker.unlink(missing_ok=True)

    def _stored_name(self, path: Path) -> str:
        absolute = path.resolve()
        if self.relative_to is not None:
            try:
                return absolute.relative_to(self.relative_to).as_posix()
            except ValueError:
                pass
        return str(absolute)


# --- repairs ----------------------------------------------------------------------------------


def scan_members(handle: Any, chunk_size: int = 1 << 20) -> Any:
    """Yield (offset, length, record type) of each complete gzip member of a WARC file, in
    order, and stop at the first incomplete or corrupt one."""
    position = 0
    pending = b""
    while True:
        decompressor = zlib.decompressobj(31)
        start = position
        head = b""
        fed = False
        while not decompressor.eof:
            if not pending:
                pending = handle.read(chunk_size)
                if not pending:
                    return  # end of file: clean between members, truncated inside one
            fed = True
            try:
                out = decompressor.decompress(pending)
            except zlib.error:
                return
            if len(head) < 1024:
                head += out[: 1024 - len(head)]
            used = len(pending) - len(decompressor.unused_data)
            position += used
            pending = decompressor.unused_data
        if not fed:
            return
        match = _WARC_TYPE.search(head)
        yield start, position - start, (match.group(1).decode().lower() if match else "")


def repair_file(path: str | os.PathLike[str]) -> int:
    """Cut a WARC file back to the end of its last complete record that is not a lone
    request; returns the number of bytes cut (0 for a sound file)."""
    path = Path(path)
    size = path.stat().st_size
    keep = 0
    with path.open("rb") as handle:
        for offset, length, kind in scan_members(handle):
            if kind != "request":
                keep = offset + length
    if keep < size:
        with path.open("r+b") as handle:
            handle.truncate(keep)
            handle.flush()
            os.fsync(handle.fileno())
    return size - keep


def repair_folder(folder: Path) -> list[tuple[Path, int]]:
    """Repair every file of `folder` left unfinished by a writer that is gone (see the module
    docstring); files another live writer holds are left alone."""
    repaired = []
    for marker in sorted(folder.glob(f"*{MARKER_SUFFIX}")):
        path = marker.with_name(marker.name[: -len(MARKER_SUFFIX)])
        if not path.exists():
            marker.unlink(missing_ok=True)
            continue
        with path.open("rb") as handle:
            if fcntl is not None:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a live writer
            cut = repair_file(path)
            if path.stat().st_size == 0:
                path.unlink()  # nothing complete in it: nothing can point into it
            marker.unlink(missing_ok=True)
        repaired.append((path, cut))
        if cut:
            logger.warning(
                "WARC file %s was left unfinished by a killed crawl: cut its %d-byte incomplete"
                " last record (the page it held is fetched again)",
                path,
                cut,
            )
    return repaired
