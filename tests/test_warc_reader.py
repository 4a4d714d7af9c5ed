"""Reading WARC recordings back: warta's own (decoded bodies) and foreign ones that kept the wire codings."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.warc import TruncatedRecord, iter_html_responses, iter_responses

PAGE = b"<html><head><title>Rapat Komite</title></head><body><p>Rapat komite sekolah.</p></body></html>"


def recording(tmp_path: Path, body: bytes, headers: list[tuple[str, str]]) -> Path:
    path = tmp_path / "site.warc.gz"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"), *headers],
                                protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://smkcontoh.sch.id/rapat-komite/", "response",
                                                      payload=io.BytesIO(body), http_headers=http))
        writer.write_record(writer.create_warc_record("https://smkcontoh.sch.id/", "request",
                                                      payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
    return path


def test_a_plain_response_is_read_with_its_headers_and_date(tmp_path):
    [response] = iter_html_responses(recording(tmp_path, PAGE, []))
    assert response.url == "https://smkcontoh.sch.id/rapat-komite/" and response.status == 200
    assert response.body == PAGE and response.content_type == "text/html; charset=utf-8"
    assert response.fetched_at is not None and response.fetched_at.startswith("20")


def test_a_foreign_recording_with_chunked_gzip_body_is_decoded(tmp_path):
    packed = gzip.compress(PAGE)
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(packed), packed)
    path = recording(tmp_path, chunked, [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")])
    [response] = iter_responses(path)
    assert response.body == PAGE


def test_a_cut_recording_raises_truncated_record(tmp_path):
    path = recording(tmp_path, PAGE * 400, [])
    whole = gzip.decompress(path.read_bytes())
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(TruncatedRecord):
        list(iter_responses(path))


def test_html_responses_skip_other_records_but_a_cut_one_still_raises(tmp_path):
    path = tmp_path / "site.warc"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        for url, status, kind, body in (("https://smkcontoh.sch.id/logo.png", "200 OK", "image/png", b"\x89PNG" * 9),
                                        ("https://smkcontoh.sch.id/lama/", "404 Not Found", "text/html", PAGE),
                                        ("https://smkcontoh.sch.id/rapat-komite/", "200 OK", "text/html", PAGE),
                                        ("https://smkcontoh.sch.id/foto.jpg", "200 OK", "image/jpeg", PAGE * 400)):
            http = StatusAndHeaders(status, [("content-type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=http))
    assert [response.url for response in iter_html_responses(path)] == ["https://smkcontoh.sch.id/rapat-komite/"]
    path.write_bytes(path.read_bytes()[:-5000])         # the photo at the end is cut short
    pages = iter_html_responses(path)
    assert next(pages).url == "https://smkcontoh.sch.id/rapat-komite/"
    with pytest.raises(TruncatedRecord):
        next(pages)


def test_a_wget_recording_whose_target_uri_is_in_angle_brackets_is_read(tmp_path):
    # wget writes WARC 1.0's `<uri>` form (dropped by WARC 1.1): its recordings must not read as empty
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n" + PAGE
    record = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: <https://smkcontoh.sch.id/rapat-komite/>\r\n"
              b"WARC-Date: 2026-12-03T07:23:57Z\r\nWARC-Record-ID: <urn:uuid:a7f22959-89ca-4179-91b6-2ea8eb8d7518>\r\n"
              b"Content-Type: application/http;msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n"
              % (len(http), http))
    path = tmp_path / "wget.warc.gz"
    path.write_bytes(gzip.compress(record))
    [response] = iter_html_responses(path)
    assert response.url == "https://smkcontoh.sch.id/rapat-komite/" and response.body == PAGE
