"""Reading recorded responses back out of WARC files (warcio): extraction reruns, the replay server and the
archived copy `warta serve` shows.

It lives in the archive (the lower layer) because the archive reads its own captures and must never import
`scraper`; the scraper imports it from here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeadersParser, StatusAndHeadersParserException

_HTTP_HEAD = StatusAndHeadersParser(ArcWarcRecordLoader.HTTP_TYPES, verify=False)


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
        kind = (self.content_type or "").lower()
        return "html" in kind or not kind


def iter_responses(path: str | Path) -> Iterator[Response]:
    """Every HTTP response record in a .warc or .warc.gz file, in file order.

    Raises ArchiveLoadFailed (from warcio) when the file is not a WARC at all, `TruncatedRecord` when a response
    is cut short (warcio reads what is there without a word).
    """
    with open(path, "rb") as stream:
        # no_record_parse: warcio would parse the HTTP head of every request record too; only responses matter
        for record in ArchiveIterator(stream, no_record_parse=True):
            if (response := _response(record)) is not None:
                yield response


def read_response(path: str | Path, offset: int, length: int | None) -> Response:
    """The response record that starts at byte `offset` of a WARC file and is `length` bytes long (gzip member
    included), as the `fetches` table points at it; `length` None or 0 reads on to the record's end.

    Raises OSError when the file cannot be read, ArchiveLoadFailed when there is no WARC record at the offset,
    `TruncatedRecord` when the record is cut short, LookupError when the record there is not an HTTP response.
    """
    with open(path, "rb") as stream:
        stream.seek(offset)
        source: BinaryIO = stream
        if length:
            if len(data := stream.read(length)) < length:
                raise TruncatedRecord(f"the record at {offset:,} in {Path(path).name} is truncated "
                                      f"({length - len(data):,} of its {length:,} bytes missing)")
            source = BytesIO(data)
        try:
            record = next(ArchiveIterator(source, no_record_parse=True), None)
        except EOFError as exc:  # a gzip member cut short
            raise TruncatedRecord(f"the record at {offset:,} in {Path(path).name} is truncated") from exc
        response = _response(record) if record is not None else None
    if response is None:
        raise LookupError(f"no HTTP response record at {offset:,} in {Path(path).name}")
    return response


def _response(record) -> Response | None:
    """The HTTP response a WARC record holds, or None for other records (requests, metadata, non-HTTP URIs)."""
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    if record.rec_type != "response" or not url.startswith(("http:", "https:")):
        return None
    try:
        record.http_headers = _HTTP_HEAD.parse(record.raw_stream)
    except (EOFError, StatusAndHeadersParserException):
        return None
    try:
        status = int(record.http_headers.get_statuscode() or 0)
    except ValueError:
        status = 0
    try:
        body = record.content_stream().read()
    except EOFError as exc:  # the gzip member ends inside the record
        raise TruncatedRecord(f"the record of {url} is truncated") from exc
    if missing := record.raw_stream.limit:   # bytes the WARC header promised that never came
        raise TruncatedRecord(f"the record of {url} is truncated ({missing:,} bytes missing)")
    return Response(
        url=url,
        status=status,
        headers=list(record.http_headers.headers),
        body=body,
        fetched_at=record.rec_headers.get_header("WARC-Date"),
    )


def iter_html_responses(path: str | Path) -> Iterator[Response]:
    """The HTML 200 responses of a WARC file: the pages extraction looks at."""
    return (response for response in iter_responses(path) if response.status == 200 and response.is_html)


__all__ = ["ArchiveLoadFailed", "Response", "TruncatedRecord", "iter_html_responses", "iter_responses", "read_response"]
