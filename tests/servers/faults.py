"""A real HTTP server on 127.0.0.1 that misbehaves on purpose, for crawler tests.

Routes (all under the server's base URL; an absolute-URI request line, as a proxy receives, routes by its path):
  /robots.txt                   `robots` text (404 when None; `robots_status` overrides the status; 301 to
                                /?robots=1 when `robots_redirect`)
  /page/<anything>              a small HTML page linking /page/next
  /retry/<status>/<n>?after=S   <status> with Retry-After: S seconds for the first n requests, then a page
  /retry/<status>/<n>?date=S    the same with Retry-After as an HTTP date S seconds ahead
  /stall/headers?seconds=S      says nothing for S seconds;  /stall/body?seconds=S: headers, half a body, silence
                                (`&length=N` announces N bytes: a 2 GB Content-Length that never comes)
  /drip?seconds=S               slowloris: headers, then one byte of body every 0.2 s for S seconds
  /big-headers?kb=N             a response head carrying N KB of headers
  /reset                        resets the connection (RST);  /close: closes it without an answer
  /loop/a, /loop/b              redirect to each other;  /chain/<n>: n redirects before a page
  /redirect?to=URL&status=301   a redirect anywhere
  /huge?mb=50                   a 50 MB HTML body, streamed (never built in memory)
  /bomb                         a gzip bomb: ~50 KB on the wire, 50 MB of HTML once decompressed
  /gzip                         an ordinary gzip-encoded page
  /binary                       PNG bytes sent as text/html;  /image.png: a 5 MB image/png
  /latin1                       windows-1252 bytes labelled UTF-8;  /utf16: UTF-16 HTML with a BOM
  /conditional                  ETag and Last-Modified; 304 to a matching If-None-Match / If-Modified-Since
  /cookie/set, /cookie/show     sets a cookie; shows the Cookie header it got
  /echo                         the method, body and X-Requested-With of the request as HTML
  /status/<code>                that status with a small HTML body
  /private/<anything>           a page that robots.txt disallows
Pages added with `add()` take precedence (`form=` makes one answer only a POST of that form);
`fail_first()` makes a path fail (503 or reset) its first n times.
Every request is logged in `requests` (method, path, headers, body, monotonic time).
"""

from __future__ import annotations

import gzip
import socket
import ssl
import struct
import subprocess
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlsplit

DEFAULT_ROBOTS = "User-agent: *\nDisallow: /private/\n\nSitemap: /sitemap.xml\n"
LAST_MODIFIED = "Wed, 21 Oct 2025 07:28:00 GMT"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
_CHUNK = 64 * 1024
CLOCK_SLACK = 0.05   # seconds of scheduling jitter in the server's arrival times (see FaultServer.gaps)


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    method: str
    path: str                 # path and query as requested (absolute URI when sent to a proxy)
    headers: dict[str, str]   # lower-cased names
    body: bytes
    time: float               # time.monotonic() when the request line arrived


@dataclass(slots=True)
class _Canned:
    body: bytes
    content_type: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)


class FaultServer:
    """Start with `with FaultServer() as server:`; `server.url("/page/1")` is an absolute URL on it.
    `tls=(certificate, key)` serves HTTPS (see `self_signed_certificate`)."""

    def __init__(self, *, robots: str | None = DEFAULT_ROBOTS, robots_status: int | None = None,
                 robots_redirect: bool = False, tls: tuple[Path, Path] | None = None) -> None:
        self.robots = robots
        self.robots_status = robots_status
        self.robots_redirect = robots_redirect
        self.requests: list[LoggedRequest] = []
        self.stopping = threading.Event()
        self._pages: dict[str, _Canned] = {}
        self._posts: dict[tuple[str, tuple[tuple[str, str], ...]], _Canned] = {}
        self._failures: dict[str, tuple[int, str]] = {}
        self._seen: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.fault_server = self  # type: ignore[attr-defined]
        self._httpd.handle_error = lambda request, address: None  # clients hanging up mid-body is the point
        self.scheme = "https" if tls else "http"
        if tls:   # (certificate, key) files: serve HTTPS
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def add(self, path: str, body: bytes | str, *, content_type: str = "text/html; charset=utf-8",
            status: int = 200, headers: dict[str, str] | None = None, form: dict[str, str] | None = None) -> None:
        """Serve `body` at `path` (path and query, exactly as requested); with `form`, only to a POST of that
        form (fields in any order)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        canned = _Canned(data, content_type, status, dict(headers or {}))
        if form is None:
            self._pages[path] = canned
            self._pages[_sorted_query(path)] = canned
        else:
            self._posts[(path, tuple(sorted(form.items())))] = canned

    def served(self, path: str) -> str:
        """The text of a page added with `add()` (to serve an edited copy of it)."""
        return self._pages[path].body.decode("utf-8")

    def fail_first(self, path: str, times: int = 1, how: str = "503") -> None:
        """Make `path` answer 503 (`how="503"`) or reset the connection (`how="reset"`) its first `times` times."""
        self._failures[path] = (times, how)

    def requests_for(self, path: str) -> list[LoggedRequest]:
        """Logged requests whose path (without query) is `path`."""
        return [r for r in self.requests if urlsplit(r.path).path == path]

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def gaps(self) -> list[float]:
        """Seconds between consecutive request arrivals. The times are taken by a server thread that shares
        the GIL with the client, so each can lag by a few ms: compare with a tolerance such as CLOCK_SLACK."""
        times = [r.time for r in self.requests]
        return [later - earlier for earlier, later in zip(times, times[1:], strict=False)]

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _count(self, key: str) -> int:
        """How many times `key` was requested before (thread-safe)."""
        with self._lock:
            seen = self._seen[key]
            self._seen[key] += 1
            return seen

    def _log(self, entry: LoggedRequest) -> None:
        with self._lock:
            self.requests.append(entry)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive, as real servers; every answer carries Content-Length
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall between
    server_version = "FaultServer/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Quiet: the request log is in FaultServer.requests."""

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    @property
    def fault(self) -> FaultServer:
        return self.server.fault_server  # type: ignore[attr-defined]

    def _dispatch(self) -> None:
        arrived = time.monotonic()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.body = body
        self.fault._log(LoggedRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                                      body, arrived))
        parts = urlsplit(self.path)
        path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        local = path + (f"?{parts.query}" if parts.query else "")
        failure = self.fault._failures.get(local)
        if failure and self.fault._count("fail " + local) < failure[0]:
            return self._reset() if failure[1] == "reset" else self._send(503, _html("busy"))
        posted = (local, tuple(sorted(parse_qsl(body.decode("latin-1"), keep_blank_values=True))))
        if self.command == "POST" and posted in self.fault._posts:
            page = self.fault._posts[posted]
            return self._send(page.status, page.body, page.content_type, page.headers)
        if (page := self.fault._pages.get(local) or self.fault._pages.get(_sorted_query(local))) is not None:
            return self._send(page.status, page.body, page.content_type, page.headers)
        route = _ROUTES.get(path.split("/")[1] if len(path) > 1 else "/")
        if route is None:
            return self._send(404, _html("not found"))
        route(self, path, query)

    # -- answers -------------------------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _redirect(self, location: str, status: int = 301) -> None:
        self._send(status, _html("moved"), headers={"Location": location})

    def _reset(self) -> None:
        """Abort the connection with a TCP RST (SO_LINGER 0), as a crashing server or middlebox does."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    # -- routes ----------------------------------------------------------------------------------------

    def robots(self, path: str, query: dict[str, str]) -> None:
        server = self.fault
        if server.robots_redirect and path == "/robots.txt":
            return self._redirect("/?robots=1")
        if server.robots_status:
            return self._send(server.robots_status, _html("robots trouble"))
        if server.robots is None:
            return self._send(404, _html("not found"))
        self._send(200, server.robots.encode(), "text/plain; charset=utf-8")

    def home(self, path: str, query: dict[str, str]) -> None:
        if "robots" in query:
            return self.robots(path, query)
        self._send(200, _html("home", '<a href="/page/1">one</a>'))

    def page(self, path: str, query: dict[str, str]) -> None:
        self._send(200, _html(path, '<a href="/page/next">next</a>'))

    def retry(self, path: str, query: dict[str, str]) -> None:
        _, _, status, times = path.split("/")[:4]
        if self.fault._count(self.path) >= int(times):
            return self._send(200, _html("finally"))
        if "date" in query:
            retry_after = formatdate(time.time() + float(query["date"]), usegmt=True)
        else:
            retry_after = query.get("after", "")
        self._send(int(status), _html("slow down"), headers={"Retry-After": retry_after} if retry_after else {})

    def stall(self, path: str, query: dict[str, str]) -> None:
        seconds = float(query.get("seconds", "5"))
        if path.endswith("/body"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", query.get("length", "2000"))
            self.end_headers()
            self.wfile.write(b"<html><body>" + b"x" * 988)
            self.wfile.flush()
        self.fault.stopping.wait(seconds)
        self.close_connection = True

    def drip(self, path: str, query: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        deadline = time.monotonic() + float(query.get("seconds", "5"))
        while time.monotonic() < deadline and not self.fault.stopping.wait(0.2):
            self.wfile.write(b"<")
            self.wfile.flush()
        self.close_connection = True

    def big_headers(self, path: str, query: dict[str, str]) -> None:
        filler = {f"X-Filler-{n}": "x" * 1000 for n in range(int(query.get("kb", "200")))}
        self._send(200, _html("big headers"), headers=filler)

    def reset(self, path: str, query: dict[str, str]) -> None:
        self._reset()

    def close(self, path: str, query: dict[str, str]) -> None:
        self.close_connection = True

    def hangup(self, path: str, query: dict[str, str]) -> None:
        """Answer, then close the connection without a `Connection: close` (an idle keep-alive timeout)."""
        self._send(200, _html(path))
        self.close_connection = True

    def loop(self, path: str, query: dict[str, str]) -> None:
        self._redirect("/loop/b" if path == "/loop/a" else "/loop/a", 302)

    def chain(self, path: str, query: dict[str, str]) -> None:
        left = int(path.split("/")[2])
        if left <= 0:
            return self._send(200, _html("end of the chain"))
        self._redirect(f"/chain/{left - 1}")

    def redirect(self, path: str, query: dict[str, str]) -> None:
        self._redirect(query["to"], int(query.get("status", "301")))

    def huge(self, path: str, query: dict[str, str]) -> None:
        size = int(float(query.get("mb", "50")) * 1_000_000)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"<p>" + b"a" * (_CHUNK - 7) + b"</p>\n"
        sent = 0
        while sent < size and not self.fault.stopping.is_set():
            piece = chunk[: size - sent]
            self.wfile.write(piece)
            sent += len(piece)

    def bomb(self, path: str, query: dict[str, str]) -> None:
        self._send(200, _gzip_bomb(), headers={"Content-Encoding": "gzip"})

    def gzip(self, path: str, query: dict[str, str]) -> None:
        self._send(200, gzip.compress(_html("compressed", "<p>isi berita</p>")), headers={"Content-Encoding": "gzip"})

    def binary(self, path: str, query: dict[str, str]) -> None:
        self._send(200, PNG)

    def image(self, path: str, query: dict[str, str]) -> None:
        self._send(200, PNG + b"\x00" * 5_000_000, "image/png")

    def latin1(self, path: str, query: dict[str, str]) -> None:
        self._send(200, _html("Prestasi siswa – juara", "<p>Caf\u00e9 \u201cjuara\u201d</p>").decode().encode("cp1252"))

    def utf16(self, path: str, query: dict[str, str]) -> None:
        self._send(200, _html("utf-16 page").decode().encode("utf-16"), "text/html; charset=utf-16")

    def conditional(self, path: str, query: dict[str, str]) -> None:
        validators = {"ETag": '"v1"', "Last-Modified": LAST_MODIFIED}
        if (self.headers.get("If-None-Match") == '"v1"'
                or self.headers.get("If-Modified-Since") == LAST_MODIFIED):
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send(200, _html("conditional"), headers=validators)

    def cookie(self, path: str, query: dict[str, str]) -> None:
        if path.endswith("/set"):
            return self._send(200, _html("cookie set"), headers={"Set-Cookie": "session=abc123; Path=/"})
        self._send(200, _html("cookie: " + self.headers.get("Cookie", "")))

    def echo(self, path: str, query: dict[str, str]) -> None:
        text = f"{self.command} {self.body.decode()} {self.headers.get('X-Requested-With', '')}"
        self._send(200, _html(text))

    def status(self, path: str, query: dict[str, str]) -> None:
        self._send(int(path.split("/")[2]), _html(f"status {path}"))


_ROUTES = {
    "robots.txt": _Handler.robots, "/": _Handler.home, "page": _Handler.page, "private": _Handler.page,
    "retry": _Handler.retry, "stall": _Handler.stall, "reset": _Handler.reset, "close": _Handler.close,
    "loop": _Handler.loop, "chain": _Handler.chain, "redirect": _Handler.redirect, "huge": _Handler.huge,
    "bomb": _Handler.bomb, "gzip": _Handler.gzip, "binary": _Handler.binary, "image.png": _Handler.image,
    "latin1": _Handler.latin1, "utf16": _Handler.utf16, "conditional": _Handler.conditional,
    "cookie": _Handler.cookie, "echo": _Handler.echo, "status": _Handler.status, "drip": _Handler.drip,
    "big-headers": _Handler.big_headers, "hangup": _Handler.hangup,
}


def _sorted_query(path: str) -> str:
    """`path?b=2&a=1` as `path?a=1&b=2`: a page added with its query in one order answers it in any order."""
    local, _, query = path.partition("?")
    return local + ("?" + "&".join(sorted(query.split("&"))) if query else "")


def _html(title: str, body: str = "") -> bytes:
    return (f"<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>{title}</title></head>"
            f"<body><h1>{title}</h1>{body}</body></html>").encode()


@cache
def _gzip_bomb() -> bytes:
    """50 MB of HTML compressed to ~50 KB, built once in 1 MB steps (never 50 MB in memory)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"<p>" + b" " * (1_000_000 - 7) + b"</p>\n"
    parts = [compressor.compress(b"<!doctype html><html><body>")]
    parts += [compressor.compress(block) for _ in range(50)]
    parts.append(compressor.flush())
    return b"".join(parts)


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A throwaway certificate and key for 127.0.0.1, made with the openssl command line tool."""
    certificate, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(certificate), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return certificate, key
