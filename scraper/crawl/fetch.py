"""Polite HTTP fetching with httpx: one request at a time per host with a delay, robots.txt, retries with
backoff, Retry-After, size/redirect caps, conditional GET and WARC capture of every exchange.

`HostSession.fetch` never raises for network or HTTP problems: they come back in `FetchResult.error`, and each
failed URL is logged as one line on the `warta.fetch` logger.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import re
import ssl
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from scraper.config import CrawlConfig, SiteConfig
from scraper.crawl.capture import WarcRef, WarcWriter
from scraper.crawl.guard import AddressGuard, environment_proxy, ip_literal_problem
from scraper.crawl.network import AsyncioBackend
from scraper.crawl.robots import Robots
from scraper.sites import same_site

log = logging.getLogger("warta.fetch")

HTML_TYPES = ("text/html", "application/xhtml+xml")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# 429 and 503 are the "come back later" answers; 502/504 are a proxy's view of the same.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_RETRY_AFTER = 300.0      # a longer Retry-After fails the URL for this run instead of stalling the site
MAX_CRAWL_DELAY = 60.0       # robots.txt Crawl-delay above this is capped (logged)
MIN_BACKOFF = 0.1            # seconds; the backoff base is the host's delay, but never below this
MAX_BACKOFF = 60.0
DEADLINE_FACTOR = 4          # one attempt never takes longer than this many `timeout`s, even when bytes drip
ROBOTS_TIMEOUT_TRIES = 2     # a robots.txt that times out this often ends the site's crawl for the run
MAX_URL_LENGTH = 2048        # longer URLs (in links or Location headers) are refused; real article URLs are short
# httpcore refuses a response head (status line and headers) over 100 KB with this h11 message.
_HEADERS_TOO_LONG = "Receive buffer too long"
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")   # spaces are fine: httpx percent-encodes them
_QUIET_STATUSES = frozenset({404, 410})  # expected when probing sitemaps and feeds: logged at INFO


@dataclass(slots=True)
class FetchResult:
    """The outcome of fetching one URL (after redirects and retries)."""

    url: str                      # requested URL
    final_url: str                # after redirects (same site only)
    status: int | None = None     # None on network error
    headers: dict[str, str] = field(default_factory=dict)   # lower-cased names
    content: bytes = b""          # decompressed body, capped at max_bytes
    fetched_at: str = ""          # UTC ISO 8601 of the last exchange, e.g. 2026-11-22T17:40:00Z
    elapsed_ms: int = 0           # time on the network for all hops and tries (not the politeness waits)
    error: str | None = None
    not_modified: bool = False    # a 304 answer to a conditional GET
    redirects: list[str] = field(default_factory=list)     # the URLs redirected to, in order
    warc: WarcRef | None = None   # where the (last) response record was captured
    read_already: str | None = None   # a redirect target not followed: the caller had read it (see `fetch`)

    @property
    def ok(self) -> bool:
        """Status 200 and no error."""
        return self.status == 200 and self.error is None

    @property
    def content_type(self) -> str | None:
        """The media type without parameters, lower-cased (`text/html`), or None when absent."""
        return _media_type(self.headers.get("content-type"))


@dataclass(frozen=True, slots=True)
class _Ask:
    """What to send for one URL, kept across redirect hops and retries."""

    method: str = "GET"
    data: Mapping | None = None
    headers: Mapping | None = None
    etag: str | None = None
    last_modified: str | None = None
    accept: Sequence[str] = HTML_TYPES
    timeout_tries: int | None = None    # at most this many tries when they time out (None: `retries` + 1)
    read_already: Callable[[str], bool] | None = None   # redirect targets not to follow


@dataclass(slots=True)
class _Exchange:
    """One HTTP request and its response: a single hop, a single try."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    error: str | None = None
    retryable: bool = False
    retry_after: float | None = None
    truncated: str | None = None  # WARC-Truncated reason when the body was not read in full
    warc: WarcRef | None = None
    elapsed: float = 0.0
    fetched_at: str = ""


class Fetcher:
    """Owns the HTTP connections of one crawl run; hand out one `HostSession` per site.

    Requests go to httpx transports directly, not through an `httpx.AsyncClient`: the sessions do redirects,
    cookies (a jar per site) and the proxy choice themselves, and the client's layers around each request (URL,
    header and cookie merging, auth and redirect flows, a cookie pass over every response) were a tenth of the
    crawl's fetching CPU. Each session gets transports of its own (pools of two connections) unless a test
    transport is given: httpcore's connection pool costs time in the square of its connections at every request,
    and one pool shared by hundreds of hosts spent most of a crawl's CPU there (issue 13's fleet benchmark). The
    transports share one TLS context, which is what costs to build. Their connections are asyncio's own
    (scraper/crawl/network.py), not anyio's."""

    def __init__(self, crawl: CrawlConfig, *, capture: WarcWriter | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.crawl = crawl
        self.capture = capture
        self.transport = transport                      # a test transport, for every session
        self.timeout = httpx.Timeout(crawl.timeout, connect=min(crawl.connect_timeout, crawl.timeout)).as_dict()
        # Sent with every request, in the order an httpx client sends its own and these (the name sent last).
        self.headers = {"Connection": "keep-alive", "User-Agent": crawl.user_agent,
                        "Accept-Encoding": "gzip, deflate", "Accept-Language": "id, en;q=0.7"}
        self._open: set[httpx.AsyncBaseTransport] = set()   # per-session transports not yet closed
        self._tls: ssl.SSLContext | None = None
        self._network = AsyncioBackend()

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for transport in [*self._open, *([self.transport] if self.transport else [])]:
            await transport.aclose()
        self._open.clear()

    def session(self, site: SiteConfig) -> HostSession:
        """A polite session for one site (its own cookies, delay and robots rules); `aclose()` it when done."""
        return HostSession(self, site)

    def open_transport(self, verify: bool, proxy: str | None) -> httpx.AsyncBaseTransport:
        """A pool of two connections for one session, direct or through `proxy` (`release` it when done)."""
        if verify and self._tls is None:
            self._tls = httpx.create_ssl_context()
        transport = httpx.AsyncHTTPTransport(verify=self._tls if verify else False, proxy=proxy,
                                             limits=httpx.Limits(max_connections=2, max_keepalive_connections=1))
        # httpx passes no network backend to the httpcore pool it builds; where its pool has none, anyio's stays.
        pool = getattr(transport, "_pool", None)
        if hasattr(pool, "_network_backend"):
            pool._network_backend = self._network
        self._open.add(transport)
        return transport

    async def release(self, transport: httpx.AsyncBaseTransport) -> None:
        """Close a session's transport."""
        if transport in self._open:
            self._open.discard(transport)
            await transport.aclose()


class HostSession:
    """Fetches from one site politely: one request at a time, each starting at least `delay` after the previous
    response ended (the config delay raised by robots.txt Crawl-delay), robots.txt honoured, cookies kept per site.

    Counting the delay from the end of the previous exchange, not its start, is the stricter rule: the server
    never sees two requests closer than `delay`, however slow the network or the machine."""

    def __init__(self, fetcher: Fetcher, site: SiteConfig) -> None:
        self.site = site
        self.robots: Robots | None = None
        self.robots_fetch: FetchResult | None = None   # the exchange that fetched robots.txt, for the log
        self._crawl = fetcher.crawl
        self._capture = fetcher.capture
        self._fetcher = fetcher
        self._proxies: dict[str, str | None] = {}    # origin → the proxy the environment names for it (None: none)
        self._transports: dict[str | None, httpx.AsyncBaseTransport] = {}    # proxy → its pool (None: direct)
        self._cookies = httpx.Cookies()
        self._guard = AddressGuard(site.url)
        self._turn = asyncio.Lock()
        self._robots_lock = asyncio.Lock()
        self._last_end: float | None = None   # monotonic time the previous exchange finished
        self._not_before = 0.0   # monotonic time set by Retry-After and backoff
        if not site.verify_tls:
            log.warning("%s: TLS certificate verification is off (verify_tls = false)", site.host)

    async def aclose(self) -> None:
        """Close this session's connections (the site's crawl is over)."""
        for transport in self._transports.values():
            await self._fetcher.release(transport)
        self._transports.clear()

    @property
    def delay(self) -> float:
        """Minimum seconds from the end of one exchange to the start of the next: config delay, raised by robots
        Crawl-delay (capped)."""
        robots_delay = self.robots.crawl_delay if self.robots and self.robots.crawl_delay else 0.0
        return max(self._crawl.delay, min(robots_delay, MAX_CRAWL_DELAY))

    async def load_robots(self) -> Robots:
        """Fetch and parse the site's /robots.txt (RFC 9309: 4xx → allow all; 5xx or unreachable → disallow
        all for this run), following same-site redirects such as WordPress's `/?robots=1`."""
        async with self._robots_lock:
            if self.robots is None:
                self.robots = await self._load_robots()
            return self.robots

    async def _load_robots(self) -> Robots:
        url = urljoin(self.site.url, "/robots.txt")
        agent = self._crawl.user_agent
        # A host that lets robots.txt time out twice is dead or hopelessly slow: two waits of `timeout`, not four
        # (one more than none, as a busy crawler on a loaded machine may itself miss an answer once).
        result = self.robots_fetch = await self._fetch(url, _Ask(accept=(), timeout_tries=ROBOTS_TIMEOUT_TRIES),
                                                       check_robots=False)
        status = result.status
        if status is not None and 200 <= status < 300:
            robots = Robots.parse(result.content, agent, result.final_url)
        elif status is not None and 400 <= status < 500 and status != 429:
            robots = Robots.allow_all(agent, f"robots.txt answered HTTP {status}")
        elif result.error and result.error.startswith("off-site redirect"):
            robots = Robots.allow_all(agent, f"robots.txt: {result.error}")
        else:
            problem = result.error or f"HTTP {status}"
            robots = Robots.disallow_all(agent, f"robots.txt unreachable ({problem})")
            log.warning("%s: robots.txt unreachable (%s): nothing fetched from this site this run (RFC 9309)",
                        self.site.host, problem)
        if robots.crawl_delay and robots.crawl_delay > MAX_CRAWL_DELAY:
            log.warning("%s: robots.txt Crawl-delay %g s capped at %g s", self.site.host, robots.crawl_delay,
                        MAX_CRAWL_DELAY)
        return robots

    async def fetch(self, url: str, *, method: str = "GET", data: Mapping | None = None,
                    headers: Mapping | None = None, etag: str | None = None, last_modified: str | None = None,
                    accept: Sequence[str] = HTML_TYPES,
                    read_already: Callable[[str], bool] | None = None) -> FetchResult:
        """Fetch `url` (robots.txt is loaded first if it has not been). `data` is sent form-encoded; `etag` and
        `last_modified` make the GET conditional; `accept` lists the media types wanted (empty: any). A redirect
        to a target for which `read_already` is true is not followed: the result is the redirect, with
        `read_already` set to the target."""
        if problem := url_problem(url):
            return self._refuse(url, f"bad URL ({problem})")
        if problem := await self._guard.problem(url):
            return self._refuse(url, f"blocked: {problem}")
        robots = self.robots or await self.load_robots()
        if not robots.allowed(url):
            return self._refuse(url, "disallowed by robots.txt")
        ask = _Ask(method, data, headers, etag, last_modified, tuple(accept), read_already=read_already)
        return await self._fetch(url, ask, check_robots=True)

    async def _fetch(self, url: str, ask: _Ask, *, check_robots: bool) -> FetchResult:
        redirects: list[str] = []
        current, elapsed = url, 0.0
        for _hop in range(self._crawl.max_redirects + 1):
            exchange = await self._exchange_with_retries(current, ask)
            elapsed += exchange.elapsed
            result = FetchResult(
                url, current, exchange.status, exchange.headers, exchange.content, exchange.fetched_at,
                round(elapsed * 1000), exchange.error, exchange.status == 304, redirects, exchange.warc,
            )
            location = exchange.headers.get("location")
            if exchange.status not in REDIRECT_STATUSES or not location or exchange.error:
                return self._finish(result)
            target = urldefrag(urljoin(current, location.strip())).url
            if problem := url_problem(target):
                result.error = f"redirect to a bad URL ({problem})"
                return self._finish(result)
            if not (same_site(target, self.site.url) or same_site(target, url)):
                why = ip_literal_problem(target)
                result.error = f"off-site redirect to {target}" + (f" (blocked: {why})" if why else "")
                return self._finish(result)
            if problem := await self._guard.problem(target):
                result.error = f"blocked: redirect to {target}: {problem}"
                return self._finish(result)
            if target == url or target in redirects:
                result.error = f"redirect loop at {target}"
                return self._finish(result)
            if check_robots and self.robots and not self.robots.allowed(target):
                result.error = f"redirect to {target} disallowed by robots.txt"
                return self._finish(result)
            redirects.append(target)
            if ask.read_already is not None and ask.read_already(target):
                result.read_already = target
                return self._finish(result)
            current = target
            if exchange.status == 303 or (exchange.status in (301, 302) and ask.method == "POST"):
                ask = replace(ask, method="GET", data=None)
        result.error = f"too many redirects (over {self._crawl.max_redirects})"
        return self._finish(result)

    async def _exchange_with_retries(self, url: str, ask: _Ask) -> _Exchange:
        tries = self._crawl.retries + 1
        for attempt in range(tries):
            exchange = await self._exchange(url, ask)
            if not exchange.retryable:
                return exchange
            if exchange.error == "timeout" and ask.timeout_tries is not None and attempt + 1 >= ask.timeout_tries:
                exchange.error = f"timeout after {attempt + 1} {'try' if attempt == 0 else 'tries'}"
                return exchange
            problem = exchange.error or f"HTTP {exchange.status}"
            if exchange.retry_after is not None and exchange.retry_after > MAX_RETRY_AFTER:
                exchange.error = (f"HTTP {exchange.status} with Retry-After {exchange.retry_after:.0f} s "
                                  f"(over the {MAX_RETRY_AFTER:.0f} s cap): skipped for this run")
                return exchange
            if attempt + 1 == tries:
                break
            wait = exchange.retry_after if exchange.retry_after is not None else self._backoff(attempt)
            log.info("%s: %s; retry %d of %d in %.1f s", url, problem, attempt + 1, tries - 1, wait)
            self._not_before = max(self._not_before, time.monotonic() + wait)
        exchange.error = f"{problem} after {tries} {'try' if tries == 1 else 'tries'}"
        return exchange

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter, scaled by the host's delay."""
        base = max(self.delay, MIN_BACKOFF)
        return min(MAX_BACKOFF, base * 2 ** attempt * random.uniform(0.5, 1.0))

    async def _wait_turn(self) -> None:
        """Sleep until this host may see its next request start."""
        while True:
            start = self._not_before
            if self._last_end is not None:
                start = max(start, self._last_end + self.delay)
            remaining = start - time.monotonic()
            if remaining <= 0:
                break
            await asyncio.sleep(remaining)

    async def _exchange(self, url: str, ask: _Ask) -> _Exchange:
        async with self._turn:
            await self._wait_turn()
            fetched_at, started = utc_now_iso(), time.monotonic()
            request = response = None
            try:
                request = self._build_request(url, ask)
                async with asyncio.timeout(self._crawl.timeout * DEADLINE_FACTOR):
                    response = await self._transport_for(request.url).handle_async_request(request)
                    response.request = request
                    try:
                        exchange = await self._read(response, ask.accept)
                    finally:
                        await response.aclose()
            except Exception as exc:  # noqa: BLE001 - any failure is this URL's error, never the crawl's crash
                problem, retryable = describe_error(exc)
                exchange = _Exchange(error=problem, retryable=retryable)
            self._last_end = time.monotonic()
            exchange.elapsed = self._last_end - started
            exchange.fetched_at = fetched_at
            if self._capture is not None and exchange.status is not None:
                exchange.warc = self._capture.write(
                    url=url, method=request.method, request_headers=request.headers.multi_items(),
                    request_body=request.content, status=exchange.status, reason=response.reason_phrase,
                    response_headers=response.headers.multi_items(), body=exchange.content,
                    fetched_at=fetched_at, truncated=exchange.truncated,
                )
            return exchange

    def _build_request(self, url: str, ask: _Ask) -> httpx.Request:
        own = {"Accept": _accept_header(ask.accept)}
        if ask.etag:
            own["If-None-Match"] = ask.etag
        if ask.last_modified:
            own["If-Modified-Since"] = ask.last_modified
        own.update(ask.headers or {})
        named = {name.lower() for name in own}
        headers = {**{k: v for k, v in self._fetcher.headers.items() if k.lower() not in named}, **own}
        request = httpx.Request(ask.method, url, data=ask.data, headers=headers,
                                extensions={"timeout": self._fetcher.timeout})
        if self._cookies:
            self._cookies.set_cookie_header(request)
        return request

    def _transport_for(self, url: httpx.URL) -> httpx.AsyncBaseTransport:
        if self._fetcher.transport is not None:
            return self._fetcher.transport
        origin = f"{url.scheme}://{url.netloc.decode('ascii')}/"
        if origin not in self._proxies:
            self._proxies[origin] = environment_proxy(origin)
        proxy = self._proxies[origin]
        if proxy not in self._transports:
            self._transports[proxy] = self._fetcher.open_transport(self.site.verify_tls, proxy)
        return self._transports[proxy]

    async def _read(self, response: httpx.Response, accept: Sequence[str]) -> _Exchange:
        status = response.status_code
        headers = {name.lower(): value for name, value in response.headers.items()}
        if "set-cookie" in headers:
            self._cookies.extract_cookies(response)
        exchange = _Exchange(status=status, headers=headers)
        if status in RETRY_STATUSES:
            exchange.retryable = True
            exchange.retry_after = parse_retry_after(headers.get("retry-after"))
        elif status >= 400:
            exchange.error = f"HTTP {status}"
        media_type = _media_type(headers.get("content-type"))
        if 200 <= status < 300 and media_type and not _accepted(media_type, accept):
            exchange.error = f"{_wanted(accept)} ({media_type})"
            exchange.truncated = "unspecified"
            return exchange
        exchange.content, over = await self._read_body(response)
        if over:
            exchange.error = f"body over {self._crawl.max_bytes} bytes"
            exchange.truncated = "length"
        elif 200 <= status < 300 and "text/html" in accept and (kind := sniff_binary(exchange.content)):
            exchange.error = f"not HTML ({kind} content sent as {media_type or 'no type'})"
        return exchange

    async def _read_body(self, response: httpx.Response) -> tuple[bytes, bool]:
        """The decoded body up to max_bytes, and whether there was more. Decompression is bounded too, so a
        gzip bomb costs at most max_bytes of memory."""
        limit = self._crawl.max_bytes
        if response.is_stream_consumed:   # a transport that read the body already (httpx.MockTransport)
            return response.content[:limit], len(response.content) > limit
        decoder = _BodyDecoder(response.headers.get("content-encoding"))
        chunks: list[bytes] = []
        size = 0
        async for raw in response.aiter_raw():
            part = decoder.decode(raw, limit - size + 1)
            size += len(part)
            chunks.append(part)
            if size > limit:
                return b"".join(chunks)[:limit], True
        return b"".join(chunks), False

    def _refuse(self, url: str, error: str) -> FetchResult:
        """The result for a URL refused before any request was sent."""
        return self._finish(FetchResult(url, url, fetched_at=utc_now_iso(), error=error))

    def _finish(self, result: FetchResult) -> FetchResult:
        if result.error:
            quiet = (result.status in _QUIET_STATUSES or "robots.txt" in result.error
                     or result.error.startswith("not "))
            log.log(logging.INFO if quiet else logging.WARNING, "%s: %s", result.url, result.error)
        return result


class _BodyDecoder:
    """Undoes a gzip/deflate Content-Encoding incrementally, never producing more than asked for."""

    def __init__(self, encoding: str | None) -> None:
        codings = [c.strip().lower() for c in (encoding or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise ValueError(f"unsupported content encoding {encoding!r}")
        self._deflate = codings == ["deflate"]
        # wbits 31: gzip; 47: zlib or gzip header (servers disagree on what "deflate" means; raw is tried next)
        self._zlib = zlib.decompressobj(31 if codings and not self._deflate else 47) if codings else None
        self._started = False

    def decode(self, data: bytes, max_length: int) -> bytes:
        if self._zlib is None:
            return data[:max_length]
        try:
            out = self._zlib.decompress(data, max_length)
        except zlib.error:
            if not (self._deflate and not self._started):
                raise
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._zlib.decompress(data, max_length)
        self._started = True
        return out


_BINARY_SIGNATURES = (
    (b"\x89PNG", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF8", "image/gif"),
    (b"%PDF", "application/pdf"), (b"PK\x03\x04", "application/zip"), (b"\x1f\x8b", "application/gzip"),
)


def sniff_binary(content: bytes) -> str | None:
    """What binary format `content` looks like (by signature or NUL bytes), or None for text."""
    head = content[:1024]
    for signature, kind in _BINARY_SIGNATURES:
        if head.startswith(signature):
            return kind
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has NULs too
        return "binary"
    return None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def describe_error(exc: BaseException) -> tuple[str, bool]:
    """A short description of a failed exchange and whether trying again may help."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:   # anyio wraps connect failures
        exc = exc.exceptions[0]
    message = str(exc).strip()
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        return "timeout", True
    if isinstance(exc, httpx.ConnectError):
        if "ssl" in message.lower() or "certificate" in message.lower():
            return f"TLS error: {message}", False
        return f"cannot connect ({message or 'connection refused'})", True
    if isinstance(exc, (httpx.ReadError, httpx.WriteError)):
        return "connection reset", True
    if isinstance(exc, httpx.RemoteProtocolError):
        if _HEADERS_TOO_LONG in message:
            return "response headers over 100 KB", False
        return f"connection closed by the server ({message})", True
    if isinstance(exc, httpx.ProxyError):
        return f"proxy error ({message})", True
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return f"bad URL ({message})", False
    if isinstance(exc, zlib.error):
        return f"corrupt compressed body ({message})", False
    if isinstance(exc, (httpx.HTTPError, OSError)):
        return f"{type(exc).__name__}: {message}", True
    if isinstance(exc, ValueError) and message:
        return message, False
    return f"{type(exc).__name__}: {message}", False


def url_problem(url: str) -> str | None:
    """Why `url` cannot be fetched (not http(s), no host, bad port, too long), or None when it looks fine."""
    if len(url) > MAX_URL_LENGTH:
        return f"URL of {len(url)} characters, over {MAX_URL_LENGTH}"
    if _CONTROL_CHARACTERS.search(url):
        return f"control character in {url!r}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError when out of range
    except ValueError as exc:
        return str(exc)
    if parts.scheme not in ("http", "https"):
        return f"not an http(s) URL: {url!r}"
    if not parts.hostname:
        return f"no host in {url!r}"
    return None


def _media_type(content_type: str | None) -> str | None:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media or None


def _accepted(media_type: str, accept: Sequence[str]) -> bool:
    if not accept or "*/*" in accept:
        return True
    return any(media_type == wanted or (wanted.endswith("/*") and media_type.startswith(wanted[:-1]))
               for wanted in accept)


def _wanted(accept: Sequence[str]) -> str:
    return "not HTML" if "text/html" in accept else f"not {' or '.join(accept)}"


def _accept_header(accept: Sequence[str]) -> str:
    return ", ".join([*accept, "*/*;q=0.1"]) if accept else "*/*"


_last_second: tuple[int, str] = (-1, "")     # the second utc_now_iso last spelled, and its spelling


def utc_now_iso() -> str:
    """Current UTC time as `YYYY-MM-DDTHH:MM:SSZ` (the format of `fetched_at` and WARC-Date)."""
    # Asked for every exchange and every new URL: spelled once a second (datetime.now and strftime cost 2.5 µs).
    global _last_second
    second = int(time.time())
    if _last_second[0] != second:
        _last_second = (second, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(second)))
    return _last_second[1]
