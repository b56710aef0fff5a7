"""A small threaded HTTP server for sample sites, on 127.0.0.1 and a free port.

It serves a folder the way a CMS serves pretty URLs (``/slug/`` → ``slug/index.html``), answers
conditional requests (ETag / Last-Modified → 304), and lets tests script special answers per
path (status, headers, delay, redirect, body) or plug in handlers (comment APIs). It counts
requests per path so tests can check what a crawl fetched.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

mimetypes.add_type("application/rss+xml", ".rss")
_TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml; charset=utf-8",
          ".txt": "text/plain; charset=utf-8", ".json": "application/json; charset=utf-8"}  # fmt: skip


@dataclass
class Answer:
    """A scripted answer for one path."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (timeouts)
    content_type: str = "text/html; charset=utf-8"
    chunked: bool = False  # send the body chunked, without a Content-Length
    declared_length: int | None = None  # a Content-Length other than the body's, then hang up


# A handler gets (path, query) and returns an Answer, or None to fall through to files.
Handler = Callable[[str, dict[str, list[str]]], "Answer | None"]


def resolve_path(root: Path, path: str) -> Path | None:
    """The file under `root` that serves URL `path`: `/a/` is `a/index.html` (or `.xml`),
    `/a` is `a`, `a/index.html` or `a.html`; `..` never leaves the folder."""
    clean = path.split("?", 1)[0].strip("/")
    if ".." in clean.split("/"):
        return None
    if not clean:
        candidates = [root / "index.html"]
    else:
        base = root / clean
        candidates = [
            base,
            base / "index.html",
            base / "index.xml",
            base.with_name(base.name + ".html"),
        ]
    return next((c for c in candidates if c.is_file()), None)


class SampleSite:
    """One sample site served from `root` on 127.0.0.1 (use as a context manager)."""

    def __init__(self, root: Path | str, port: int = 0):
        self.root = Path(root)
        self.answers: dict[str, Answer] = {}
        self.handlers: dict[str, Handler] = {}
        self.overrides: dict[str, bytes] = {}  # path → replacement file content
        self.hits: Counter[str] = Counter()
        self.agents: Counter[tuple[str, str]] = Counter()  # (User-Agent, path): tells workers apart
        self.statuses: Counter[int] = Counter()
        self.log: list[tuple[str, int]] = []  # (path, status) of every answer, in order
        self.request_times: list[tuple[float, str]] = []  # (time.monotonic(), path) on arrival
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321``."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> SampleSite:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"sample-site:{self.root.name}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SampleSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def resolve(self, path: str) -> Path | None:
        """The file that serves URL `path`, by the pretty-URL rules."""
        return resolve_path(self.root, path)

    def answer(self, method: str, raw_path: str, headers: Any) -> Answer:
        parts = urlsplit(raw_path)
        path = parts.path or "/"
        with self._lock:
            self.hits[path] += 1
            self.request_times.append((time.monotonic(), path))
            self.agents[(headers.get("User-Agent") or "", path)] += 1
        if path in self.answers:
            return self.answers[path]
        for prefix, handler in self.handlers.items():
            if path.startswith(prefix):
                result = handler(path, parse_qs(parts.query))
                if result is not None:
                    return result
        override = self.overrides.get(path)
        file = self.resolve(path)
        if override is None and file is None:
            return Answer(404, b"<html><body><h1>Not found</h1></body></html>")
        content = override if override is not None else file.read_bytes()
        suffix = Path(path.rstrip("/")).suffix if override is not None else file.suffix
        content_type = _TYPES.get(
            suffix or ".html", mimetypes.guess_type(f"x{suffix}")[0] or "application/octet-stream"
        )
        etag = '"' + hashlib.sha1(content).hexdigest()[:16] + '"'
        modified = file.stat().st_mtime if file is not None and override is None else time.time()
        answer_headers = {"ETag": etag, "Last-Modified": formatdate(modified, usegmt=True)}
        # RFC 9110 §13.1.3: If-None-Match, when sent, decides; If-Modified-Since only without it.
        if_none_match = headers.get("If-None-Match")
        if if_none_match is not None:
            fresh = (
                etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match == "*"
            )
        else:
            fresh = _not_modified_since(headers.get("If-Modified-Since"), modified)
        if fresh:
            return Answer(304, b"", answer_headers)
        return Answer(200, content, answer_headers, content_type=content_type)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                answer = site.answer("GET", self.path, self.headers)
                if answer.delay:
                    time.sleep(answer.delay)
                body = answer.body.encode("utf-8") if isinstance(answer.body, str) else answer.body
                with site._lock:
                    site.statuses[answer.status] += 1
                    site.log.append((urlsplit(self.path).path or "/", answer.status))
                try:
                    self.send_response(answer.status)
                    if answer.status != 304:
                        self.send_header("Content-Type", answer.content_type)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    if answer.chunked:
                        self.send_header("Transfer-Encoding", "chunked")
                    else:
                        length = answer.declared_length
                        self.send_header(
                            "Content-Length", str(len(body) if length is None else length)
                        )
                    self.end_headers()
                    if answer.status == 304:
                        return
                    if answer.chunked:
                        for start in range(0, len(body), 16384):
                            part = body[start : start + 16384]
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                        self.wfile.write(b"0\r\n\r\n")
                    else:
                        self.wfile.write(body)
                    if answer.declared_length is not None:
                        self.close_connection = True  # a body cut short
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the crawler gave up (timeout tests)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return _Handler


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up (timeouts, cancelled downloads) are expected here, not errors."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _not_modified_since(value: str | None, mtime: float) -> bool:
    if not value:
        return False
    try:
        return parsedate_to_datetime(value).timestamp() >= int(mtime)
    except (TypeError, ValueError):
        return False


def json_answer(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
    """An Answer carrying JSON (for comment API emulations)."""
    return Answer(
        status,
        json.dumps(data, ensure_ascii=False),
        headers or {},
        content_type="application/json; charset=utf-8",
    )
