"""Reading recorded responses back out of WARC files: extraction reruns, the replay server and the
archived copy `warta serve` shows.

It lives in the archive (the lower layer) because the archive reads its own captures and must never import
`scraper`; the scraper imports it from here. FastWARC reads the records (about 8x faster than warcio, which made
up a third of `warta extract`'s time on a WARC); warcio's readers still undo a chunked or compressed body that a
foreign recorder stored as it came off the wire (warta's own WARCs store bodies decoded).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType


class TruncatedRecord(EOFError):
    """A record shorter than its WARC Content-Length says: the file ends inside it (e.g. a crawl killed while
    writing). Its page is never yielded: a partial body would archive as an edit of the article."""


@dataclass(slots=True)
class Response:
    """One recorded HTTP response."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: str | None

    def header(self, name: str) -> str | None:
        """The first value of a header (case-insensitive), or None."""
        lowered = name.lower()
        return next((value for key, value in self.headers if key.lower() == lowered), None)

    @property
    def content_type(self) -> str | None:
        return self.header("Content-Type")

    @property
    def is_html(self) -> bool:
        return _is_html_type(self.content_type)


def _is_html_type(content_type: str | None) -> bool:
    kind = (content_type or "").lower()
    return "html" in kind or not kind


def iter_responses(path: str | Path) -> Iterator[Response]:
    """Every HTTP response record in a .warc or .warc.gz file, in file order.

    Raises OSError when the file is not a WARC at all, `TruncatedRecord` when a response is cut short.
    """
    with open(path, "rb") as stream:
        for record, url in _http_responses(stream):
            yield _response(record, url)


def read_response(path: str | Path, offset: int, length: int | None) -> Response:
    """The response record that starts at byte `offset` of a WARC file and is `length` bytes long (gzip member
    included), as the `fetches` table points at it; `length` None or 0 reads on to the record's end.

    Raises OSError when the file cannot be read, `TruncatedRecord` when the record is cut short, LookupError when
    there is no HTTP response record at the offset.
    """
    with open(path, "rb") as stream:
        stream.seek(offset)
        source: BinaryIO = stream
        if length:
            if len(data := stream.read(length)) < length:
                raise TruncatedRecord(f"the record at {offset:,} in {Path(path).name} is truncated "
                                      f"({length - len(data):,} of its {length:,} bytes missing)")
            source = io.BytesIO(data)
        found = next(_http_responses(source, only_first=True), None)
        if found is None:
            raise LookupError(f"no HTTP response record at {offset:,} in {Path(path).name}")
        return _response(*found)


def _http_responses(stream: BinaryIO, *, only_first: bool = False) -> Iterator[tuple[WarcRecord, str]]:
    """The HTTP response records of a stream (FastWARC), each with its target URI (read once); with `only_first`,
    the first record's if it is one."""
    # when reading on, FastWARC passes over the other records (requests, metadata) itself, at C speed
    records = ArchiveIterator(stream, parse_http=True) if only_first \
        else ArchiveIterator(stream, parse_http=True, record_types=WarcRecordType.response)
    for record in records:
        if record.record_type == WarcRecordType.response and record.is_http \
                and (url := _target_uri(record)).startswith(("http:", "https:")):
            yield record, url
        if only_first:
            return


def _target_uri(record: WarcRecord) -> str:
    """The record's WARC-Target-URI. WARC 1.0's grammar wrapped it in angle brackets, which WARC 1.1 dropped as an
    erratum; wget writes them (`<http://...>`), so a wget recording reads as any other."""
    uri = (record.headers.get("WARC-Target-URI") or "").strip()
    return uri[1:-1].strip() if uri.startswith("<") and uri.endswith(">") else uri


def _payload(record: WarcRecord, url: str) -> bytes:
    """The record's HTTP body as stored; `TruncatedRecord` when it is cut short."""
    raw = record.reader.read()
    if len(raw) < record.content_length:   # bytes the WARC header promised that never came
        missing = record.content_length - len(raw)
        raise TruncatedRecord(f"the record of {url} is truncated ({missing:,} bytes missing)")
    return raw


def _response(record: WarcRecord, url: str) -> Response:
    """The HTTP response a WARC response record (whose target URI is `url`) holds, its body decoded;
    `TruncatedRecord` when cut short."""
    raw = _payload(record, url)
    headers = [(str(key), str(value)) for key, value in record.http_headers.items()]
    return Response(url=url, status=int(record.http_headers.status_code or 0), headers=headers,
                    body=_decoded(raw, headers), fetched_at=record.headers.get("WARC-Date"))


_CODING_HEADERS = frozenset({"content-encoding", "transfer-encoding"})


def _decoded(raw: bytes, headers: list[tuple[str, str]]) -> bytes:
    """The body without the chunked transfer coding or content coding it was recorded with, if any."""
    if not any(key.lower() in _CODING_HEADERS for key, _ in headers):
        return raw                       # every WARC warta writes: warcio is not even imported
    fields = {key.lower(): value.strip().lower() for key, value in reversed(headers)}
    from warcio.bufferedreaders import BufferedReader, ChunkedDataReader

    encoding = fields.get("content-encoding")
    if encoding not in BufferedReader.get_supported_decompressors():
        encoding = None
    try:
        if fields.get("transfer-encoding") == "chunked":
            return ChunkedDataReader(io.BytesIO(raw), decomp_type=encoding).read()
        if encoding:
            return BufferedReader(io.BytesIO(raw), decomp_type=encoding).read()
    except Exception:  # noqa: BLE001 - each decompressor has its own error type; a bad coding keeps the bytes
        return raw
    return raw


def iter_html_responses(path: str | Path) -> Iterator[Response]:
    """The HTML 200 responses of a WARC file: the pages extraction looks at (the others are only read through,
    so a truncated one still raises `TruncatedRecord` as in `iter_responses`)."""
    with open(path, "rb") as stream:
        for record, url in _http_responses(stream):
            http = record.http_headers
            if int(http.status_code or 0) == 200 and _is_html_type(http.get("Content-Type")):
                yield _response(record, url)
            else:
                _payload(record, url)


def iter_data_responses(path: str | Path, wanted: Callable[[str, str], bool] | None = None) -> Iterator[Response]:
    """The 200 responses of a WARC file whose Content-Type is XML or JSON (feeds, sitemaps, API answers), only
    those `wanted(url, content_type)` accepts when given; the other records are passed over unread (a truncated
    one among them is `iter_html_responses`' to report)."""
    with open(path, "rb") as stream:
        for record, url in _http_responses(stream):
            http = record.http_headers
            kind = (http.get("Content-Type") or "").lower()
            if int(http.status_code or 0) == 200 and ("xml" in kind or "json" in kind) \
                    and (wanted is None or wanted(url, kind)):
                yield _response(record, url)


__all__ = ["Response", "TruncatedRecord", "iter_data_responses", "iter_html_responses", "iter_responses",
           "read_response"]
