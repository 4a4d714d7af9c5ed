"""Capture every HTTP exchange to WARC files so extraction can be rerun offline.

Each record is its own gzip member and the file is flushed after each exchange (request and response records),
so a run killed with `kill -9` leaves a file that warcio reads up to the last complete record.

warcio builds the records (headers, digests); each is compressed here, in one call, by ISA-L's deflate at level 1
(`isal`), not by warcio's zlib at level 9. On the corpus pages that is 0.07 ms a page instead of 0.6 ms, for files
about 10% larger (25% of the page size instead of 22%; zlib's level 1 costs 0.29 ms for the same size): a crawl is
CPU-bound, captures are written once and read rarely. The output is plain gzip, read by every WARC reader.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from isal import isal_zlib
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

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
        self._record = BytesIO()      # warcio writes each record here, uncompressed
        self._writer = WARCWriter(self._record, gzip=False)

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
        writer = self._current_writer()
        url = _LINE_BREAKS.sub(lambda found: f"%{ord(found[0]):02X}", url)
        request_headers, response_headers = _one_line(request_headers), _one_line(response_headers)
        target = _request_target(url)
        request_http = StatusAndHeaders(f"{method} {target} HTTP/1.1", list(request_headers), is_http_request=True)
        request = writer.create_warc_record(
            url, "request", payload=BytesIO(request_body), length=len(request_body), http_headers=request_http,
            warc_headers_dict={"WARC-Date": fetched_at},
        )
        kept = [(k, v) for k, v in response_headers if k.lower() not in _WIRE_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        response_http = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
        warc_headers = {
            "WARC-Date": fetched_at,
            "WARC-Concurrent-To": request.rec_headers.get_header("WARC-Record-ID"),
        }
        if truncated:
            warc_headers["WARC-Truncated"] = truncated
        response = writer.create_warc_record(
            url, "response", payload=BytesIO(body), length=len(body), http_headers=response_http,
            warc_headers_dict=warc_headers,
        )
        request_member, response_member = self._member(request), self._member(response)
        offset = self._size + len(request_member)
        self._append(request_member, response_member)
        return WarcRef(self._name, offset, len(response_member))

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

    def _member(self, record) -> bytes:
        """One record as a gzip member of its own."""
        self._record.seek(0)
        self._record.truncate()
        self._writer.write_record(record)
        return isal_zlib.compress(self._record.getbuffer(), GZIP_LEVEL, wbits=GZIP_WBITS)

    def _append(self, *members: bytes) -> None:
        """Append gzip members to the file and flush them to the operating system."""
        for member in members:
            self._file.write(member)
            self._size += len(member)
        self._file.flush()

    def _current_writer(self) -> WARCWriter:
        if self._file is not None and self._size >= self.rotate_bytes:
            self.close()
        if self._file is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
            self._name = f"{self.prefix}-{stamp}-{os.getpid()}.warc.gz"
            # "x": never append to (and so corrupt) a file another process is writing.
            self._file = open(self.directory / self._name, "xb")  # noqa: SIM115 - closed in close()
            self._size = 0
            info = self._writer.create_warcinfo_record(self._name, {
                "software": f"warta/{__version__}",
                "format": "WARC File Format 1.0",
                "description": "raw responses captured by warta crawl",
            })
            self._append(self._member(info))
        return self._writer


def _one_line(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(_LINE_BREAKS.sub(" ", name), _LINE_BREAKS.sub(" ", value)) for name, value in headers]


def _request_target(url: str) -> str:
    """The origin-form request target (`/path?query`) of an absolute URL."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
