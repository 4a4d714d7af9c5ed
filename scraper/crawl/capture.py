"""Capture every HTTP exchange to WARC files so extraction can be rerun offline.

Each record is its own gzip member and the file is flushed after each exchange (request and response records),
so a run killed with `kill -9` leaves a file that warcio reads up to the last complete record.

The records are built here, as warcio would write them (the same fields in the same order, SHA-1 block and
payload digests): warcio's record objects, header copies and digest passes cost more than compressing the page.
Each record is compressed, in one call, by ISA-L's deflate at level 1
(`isal`), not by warcio's zlib at level 9. On the corpus pages that is 0.07 ms a page instead of 0.6 ms, for files
about 10% larger (25% of the page size instead of 22%; zlib's level 1 costs 0.29 ms for the same size): a crawl is
CPU-bound, captures are written once and read rarely. The output is plain gzip, read by every WARC reader.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from isal import isal_zlib
from warcio.statusandheaders import StatusAndHeaders

from scraper import __version__

ROTATE_BYTES = 100_000_000
GZIP_LEVEL = 1      # ISA-L's levels are 0-3; see the module's docstring for why 1
GZIP_WBITS = 31     # a gzip member (header and trailer), not a raw deflate stream
# Headers that describe the wire encoding, not the body we store (which is decoded and de-chunked).
_WIRE_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
# A line break in a URL or header value would start a forged header line in the record (warcio writes as given).
_LINE_BREAKS = re.compile(r"[\r\n\x00]")


@dataclass(slots=True)
class WarcRef:
    """Where a response record sits: `file` is relative to the captures directory."""

    file: str
    offset: int
    length: int
    payload_sha1: bytes = b""     # SHA-1 of the response body (its WARC-Payload-Digest), for the crawl's content hash


class WarcWriter:
    """Appends request/response record pairs to `{prefix}-{UTC timestamp}-{pid}.warc.gz` files in `directory`,
    starting a new file once one grows past `rotate_bytes`."""

    def __init__(self, directory: Path, prefix: str = "warta", *, rotate_bytes: int = ROTATE_BYTES) -> None:
        self.directory = Path(directory)
        self.prefix = prefix
        self.rotate_bytes = rotate_bytes
        self._file = None
        self._name = ""
        self._size = 0                # bytes in the current file (no `tell()` system call per record)

    def write(
        self,
        *,
        url: str,
        method: str,
        request_headers: Iterable[tuple[str, str]],
        request_body: bytes = b"",
        status: int,
        reason: str = "",
        response_headers: Iterable[tuple[str, str]],
        body: bytes,
        fetched_at: str,
        truncated: str | None = None,
    ) -> WarcRef:
        """Write one exchange (a `request` then a `response` record) and return where the response is.

        `body` is the decoded body; wire-encoding headers are dropped and Content-Length is set to match it, so
        the record replays as a plain response. `truncated` ("length", "time", ...) marks a partial body.
        """
        self._open_file()
        url = _LINE_BREAKS.sub(lambda found: f"%{ord(found[0]):02X}", url)
        request_head = _http_head(f"{method} {_request_target(url)} HTTP/1.1", _one_line(request_headers))
        request_id, request = _warc_record("request", url, fetched_at, request_head, request_body,
                                           _sha1(request_body))
        kept = [(k, v) for k, v in _one_line(response_headers) if k.lower() not in _WIRE_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        response_head = _http_head(f"HTTP/1.1 {status} {reason}".strip(), kept)
        fields = [("WARC-Concurrent-To", request_id)] + ([("WARC-Truncated", truncated)] if truncated else [])
        payload_sha1 = _sha1(body)
        _, response = _warc_record("response", url, fetched_at, response_head, body, payload_sha1, fields)
        request_member, response_member = _member(request), _member(response)
        offset = self._size + len(request_member)
        self._append(request_member, response_member)
        return WarcRef(self._name, offset, len(response_member), payload_sha1)

    def close(self) -> None:
        """Close the current file (the next write opens a new one)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def current_file(self) -> Path | None:
        """The file being written, if any."""
        return self.directory / self._name if self._file is not None else None

    def _append(self, *members: bytes) -> None:
        """Append gzip members to the file and flush them to the operating system."""
        for member in members:
            self._file.write(member)
            self._size += len(member)
        self._file.flush()

    def _open_file(self) -> None:
        """Make sure a file is open for the next records (a new one past `rotate_bytes`)."""
        if self._file is not None and self._size >= self.rotate_bytes:
            self.close()
        if self._file is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
            self._name = f"{self.prefix}-{stamp}-{os.getpid()}.warc.gz"
            # "x": never append to (and so corrupt) a file another process is writing.
            self._file = open(self.directory / self._name, "xb")  # noqa: SIM115 - closed in close()
            self._size = 0
            info = (f"software: warta/{__version__}\r\nformat: WARC File Format 1.0\r\n"
                    "description: raw responses captured by warta crawl\r\n").encode()
            self._append(_member(_warcinfo_record(self._name, info)))


def _warc_record(record_type: str, url: str, date: str, http_head: bytes, payload: bytes, payload_sha1: bytes,
                 fields: Sequence[tuple[str, str]] = ()) -> tuple[str, bytes]:
    """A `request` or `response` record (its ID, its bytes) as warcio writes it: the HTTP head and the payload
    (`payload_sha1`: its SHA-1), with their digests."""
    record_id = _record_id()
    block = hashlib.sha1(http_head)
    block.update(payload)
    header = _warc_header([("WARC-Date", date), *fields, ("WARC-Type", record_type), ("WARC-Record-ID", record_id),
                           ("WARC-Target-URI", url), ("WARC-Payload-Digest", _digest(payload_sha1)),
                           ("WARC-Block-Digest", _digest(block.digest())),
                           ("Content-Type", f"application/http; msgtype={record_type}"),
                           ("Content-Length", str(len(http_head) + len(payload)))])
    return record_id, b"".join((header, http_head, payload, b"\r\n\r\n"))


def _warcinfo_record(filename: str, info: bytes) -> bytes:
    """The `warcinfo` record that opens each file."""
    header = _warc_header([("WARC-Type", "warcinfo"), ("WARC-Record-ID", _record_id()),
                           ("WARC-Filename", filename),
                           ("WARC-Date", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
                           ("WARC-Block-Digest", _digest(hashlib.sha1(info).digest())),
                           ("Content-Type", "application/warc-fields"), ("Content-Length", str(len(info)))])
    return b"".join((header, info, b"\r\n\r\n"))


def _warc_header(fields: list[tuple[str, str]]) -> bytes:
    return ("WARC/1.0\r\n" + "".join(f"{name}: {value}\r\n" for name, value in fields) + "\r\n").encode()


def _http_head(first_line: str, headers: list[tuple[str, str]]) -> bytes:
    """The HTTP status or request line and headers, ASCII; other characters percent-encoded as warcio does."""
    head = first_line + "\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers) + "\r\n"
    if head.isascii():
        return head.encode()
    protocol, line = first_line.split(" ", 1)
    return StatusAndHeaders(line, headers, protocol=protocol).to_ascii_bytes()


_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_BASE32_PAIRS = [a + b for a in _BASE32 for b in _BASE32]    # every 10 bits as their two base-32 letters


def _digest(sha1: bytes) -> str:
    """`sha1:` and the 20-byte digest in base 32, as `base64.b32encode` spells it (in Python, and twice as slow)."""
    bits = int.from_bytes(sha1, "big")
    return "sha1:" + "".join([_BASE32_PAIRS[(bits >> shift) & 1023] for shift in range(150, -1, -10)])


_RANDOM_POOL = 4096     # random bytes asked of the system at once: 256 record IDs
_random_hex: list[str] = []   # unused random bytes, hex-spelled, 16 bytes an item


def _forget_random() -> None:
    _random_hex.clear()


# A forked child (a distributed worker) must not spell the parent's next IDs.
os.register_at_fork(after_in_child=_forget_random)


def _record_id() -> str:
    """A random (version 4) UUID URN, as `uuid.uuid4()` makes one, without building a UUID object."""
    # One os.urandom call per record was two system calls an exchange, each letting go of the GIL, and in a crawl
    # the extraction threads take it at once: the event loop then waited for it at every record.
    if not _random_hex:
        pool = os.urandom(_RANDOM_POOL).hex()
        _random_hex.extend(pool[i:i + 32] for i in range(len(pool) - 32, -1, -32))
    h = _random_hex.pop()
    return f"<urn:uuid:{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}>"


_EMPTY_SHA1 = hashlib.sha1(b"").digest()


def _sha1(payload: bytes) -> bytes:
    """The SHA-1 of a payload; a request's is nearly always empty (a GET)."""
    return hashlib.sha1(payload).digest() if payload else _EMPTY_SHA1


def _member(record: bytes) -> bytes:
    """One record as a gzip member of its own."""
    return isal_zlib.compress(record, GZIP_LEVEL, wbits=GZIP_WBITS)


def _one_line(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers with line breaks and NULs replaced by spaces (one search when there are none, the usual case)."""
    headers = list(headers)
    if _LINE_BREAKS.search("".join(name + value for name, value in headers)) is None:
        return headers
    return [(_LINE_BREAKS.sub(" ", name), _LINE_BREAKS.sub(" ", value)) for name, value in headers]


def _request_target(url: str) -> str:
    """The origin-form request target (`/path?query`) of an absolute URL."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
