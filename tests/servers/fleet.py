"""A fleet of school sites behind one HTTP server on 127.0.0.1, told apart by host name (the crawler reaches it
as its HTTP proxy, so every site keeps its own name), with the ways real sites fail: hosts that never answer,
slow hosts, redirects to a new domain.

Sites come from a directory (`load_sites`: `tests/data/fleet/<host>/…`, `index.html` answering for its
folder, so `berita/x/index.html` is `/berita/x/`) or from code (`FleetServer(sites)`). Unknown paths get 404.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
         ".js": "application/javascript"}
NOT_FOUND = b"<html><body><h1>404 Not Found</h1></body></html>"


@dataclass(frozen=True, slots=True)
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class FleetLog:
    """Every request the fleet answered: (host, path, monotonic arrival time), and how many per host."""

    requests: list[tuple[str, str, float]] = field(default_factory=list)
    per_host: Counter[str] = field(default_factory=Counter)


def load_sites(directory: Path) -> dict[str, dict[str, Response]]:
    """Each subdirectory of `directory` as a site named after it: its files by URL path."""
    sites: dict[str, dict[str, Response]] = {}
    for site in sorted(p for p in directory.iterdir() if p.is_dir()):
        pages = {}
        for file in sorted(p for p in site.rglob("*") if p.is_file()):
            relative = file.relative_to(site).as_posix()
            path = "/" + (relative.removesuffix("index.html") if relative.endswith("index.html") else relative)
            pages[path] = Response(body=file.read_bytes(), content_type=TYPES.get(file.suffix, "text/plain"))
        sites[site.name] = pages
    return sites


def redirect(location: str, status: int = 301) -> Response:
    """A redirect answer."""
    return Response(status, b"", "text/html", (("Location", location),))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024    # hundreds of hosts connect at once; the default backlog of 5 drops their SYNs


class FleetServer:
    """`with FleetServer(sites, hanging={...}, slow={host: seconds}) as fleet:` serves on `fleet.url`.
    `hanging` hosts accept the request and never answer; `slow` hosts wait that long before each answer."""

    def __init__(self, sites: dict[str, dict[str, Response]], *, hanging: frozenset[str] = frozenset(),
                 slow: dict[str, float] | None = None, hang_seconds: float = 60.0) -> None:
        self.sites = sites
        self.hanging, self.slow, self.hang_seconds = hanging, dict(slow or {}), hang_seconds
        self.log = FleetLog()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), self._handler())
        self._httpd.handle_error = lambda request, address: None   # clients giving up on a hanging host
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`, the proxy URL."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def set_page(self, host: str, path: str, response: Response) -> None:
        """Serve `response` at `path` of `host` from now on (a site that changes between runs)."""
        with self._lock:
            self.sites.setdefault(host, {})[path] = response

    def answer(self, host: str, path: str) -> Response:
        """What `host` answers for `path` (after its waits)."""
        with self._lock:
            self.log.requests.append((host, path, time.monotonic()))
            self.log.per_host[host] += 1
        if host in self.hanging:
            self._stopping.wait(self.hang_seconds)
        elif host in self.slow:
            self._stopping.wait(self.slow[host])
        pages = self.sites.get(host)
        if pages is None:
            return Response(502, b"<html><body>Bad Gateway</body></html>")
        return pages.get(urlsplit(path).path or "/", Response(404, NOT_FOUND))

    def _handler(self):
        fleet = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args) -> None:     # quiet
                pass

            def do_GET(self) -> None:
                if self.path.startswith("http"):
                    parts = urlsplit(self.path)
                    host, path = parts.netloc, parts.path + (f"?{parts.query}" if parts.query else "")
                else:
                    host, path = self.headers.get("Host", ""), self.path
                response = fleet.answer(host.lower(), path)
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                for name, value in response.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)

            do_HEAD = do_GET

        return Handler

    def __enter__(self) -> FleetServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
