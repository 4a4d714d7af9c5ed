"""A real HTTP proxy on 127.0.0.1 that answers from recorded WARC files, with a log of every request.

Point a client at it through `HTTP_PROXY=http://127.0.0.1:PORT` (or send origin-form requests with a Host header).
Responses are keyed by (method, absolute URL, POST form); query and form order do not matter. Unknown URLs get
404. Recorded ETag / Last-Modified validators are honoured with 304, like the live server would.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from warcio.archiveiterator import ArchiveIterator

from scraper.demo import LocalServer

# Headers describing the recorded wire format, not the decoded body we send.
_DROPPED = {"content-length", "transfer-encoding", "content-encoding", "connection", "keep-alive"}


@dataclass(frozen=True, slots=True)
class Recorded:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    at: float                 # time.monotonic() when the request arrived
    method: str
    url: str
    body: bytes
    headers: dict[str, str]
    status: int


@dataclass(frozen=True, slots=True)
class Override:
    """What a fault hook may answer instead of the recording: a status, or `reset` to drop the connection."""

    status: int = 503
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    reset: bool = False


def request_key(method: str, url: str, body: bytes = b"") -> tuple:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    form = tuple(sorted(parse_qsl(body.decode("latin-1"), keep_blank_values=True))) if method == "POST" else ()
    query = tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return method.upper(), host, parts.path or "/", query, form


def load_recordings(paths: Iterable[Path]) -> dict[tuple, Recorded]:
    """Every request/response pair of the WARC files, keyed by `request_key` (the last recording wins)."""
    recordings: dict[tuple, Recorded] = {}
    for path in paths:
        requests: dict[str, tuple[str, bytes]] = {}
        with Path(path).open("rb") as stream:
            for record in ArchiveIterator(stream):
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type == "request":
                    body = record.content_stream().read()
                    # warcio keeps the path but not the verb of a request line; only POSTs carry a body here
                    requests[uri] = ("POST" if body else "GET", body)
                elif record.rec_type == "response" and record.http_headers is not None:
                    method, body = requests.pop(uri, ("GET", b""))
                    status_line = record.http_headers.statusline
                    status, _, reason = status_line.partition(" ")
                    headers = [(k, v) for k, v in record.http_headers.headers if k.lower() not in _DROPPED]
                    recordings[request_key(method, uri, body)] = Recorded(
                        int(status), reason, headers, record.content_stream().read())
    return recordings


class ReplayServer(LocalServer):
    """Serve recordings on 127.0.0.1 (free port) in a background thread; `log` lists every request."""

    def __init__(self, recordings: dict[tuple, Recorded], *,
                 fault: Callable[[str, str, int], Override | None] | None = None) -> None:
        self.recordings = recordings
        self.fault = fault
        self.log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str], int] = {}
        super().__init__(self._handler())

    def requests_for(self, host: str) -> list[LoggedRequest]:
        return [r for r in self.log if urlsplit(r.url).hostname == host]

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args) -> None:     # quiet
                pass

            def _serve(self) -> None:
                arrived = time.monotonic()
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                url = self.path if self.path.startswith("http") else f"http://{self.headers['Host']}{self.path}"
                method = self.command
                with server._lock:
                    attempt = server._counts.get((method, url), 0) + 1
                    server._counts[(method, url)] = attempt
                override = server.fault(method, url, attempt) if server.fault else None
                if override is not None and override.reset:
                    server._append(LoggedRequest(arrived, method, url, body, dict(self.headers), 0))
                    self.connection.shutdown(2)
                    self.close_connection = True
                    return
                if override is not None:
                    status, reason, headers, payload = override.status, "", override.headers, override.body
                else:
                    recorded = server.recordings.get(request_key(method, url, body))
                    if recorded is None:
                        status, reason, headers, payload = 404, "Not Found", [("Content-Type", "text/html")], \
                            b"<html><body><h1>404 Not Found</h1></body></html>"
                    else:
                        status, reason, headers, payload = _conditional(recorded, self.headers)
                server._append(LoggedRequest(arrived, method, url, body, dict(self.headers), status))
                self.send_response(status, reason or None)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if method != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_HEAD = _serve

        return Handler

    def _append(self, entry: LoggedRequest) -> None:
        with self._lock:
            self.log.append(entry)


def _conditional(recorded: Recorded, request_headers) -> tuple[int, str, list[tuple[str, str]], bytes]:
    headers = {k.lower(): v for k, v in recorded.headers}
    etag, modified = headers.get("etag"), headers.get("last-modified")
    if recorded.status == 200 and ((etag and request_headers.get("If-None-Match") == etag)
                                   or (modified and request_headers.get("If-Modified-Since") == modified)):
        kept = [(k, v) for k, v in recorded.headers if k.lower() in {"etag", "last-modified", "date"}]
        return 304, "Not Modified", kept, b""
    return recorded.status, recorded.reason, recorded.headers, recorded.body
