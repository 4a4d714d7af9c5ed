"""WARC capture: records that warcio reads back, offsets that point at them, rotation, and kill -9 safety."""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from io import BytesIO
from pathlib import Path

from servers.faults import FaultServer
from warcio.archiveiterator import ArchiveIterator

from scraper.config import CrawlConfig, SiteConfig
from scraper.crawl.capture import WarcRef, WarcWriter
from scraper.crawl.fetch import Fetcher, FetchResult

REPO = Path(__file__).resolve().parents[1]


def write_exchange(writer: WarcWriter, n: int, body: bytes = b"") -> WarcRef:
    return writer.write(
        url=f"https://smkn7.sch.id/read/{n}/berita", method="GET",
        request_headers=[("Host", "smkn7.sch.id"), ("User-Agent", "warta-test")],
        status=200, reason="OK",
        response_headers=[("Content-Type", "text/html; charset=UTF-8"), ("Content-Encoding", "gzip"),
                          ("Transfer-Encoding", "chunked"), ("Content-Length", "17")],
        body=body or f"<h1>Berita {n}</h1>".encode(), fetched_at="2026-11-22T17:40:00Z",
    )


def request_line(http_headers) -> str:
    """warcio splits a request line into protocol (the method) and statusline (target and version)."""
    return f"{http_headers.protocol} {http_headers.statusline}"


def read_records(path: Path) -> list:
    """(type, uri, warc headers, http headers, body) of every complete record, stopping at a torn one."""
    records = []
    with path.open("rb") as stream:
        try:
            for record in ArchiveIterator(stream):
                records.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI"),
                                record.rec_headers, record.http_headers, record.content_stream().read()))
        except Exception:  # noqa: BLE001 - a torn last record is expected after kill -9
            pass
    return records


def test_records_round_trip_through_warcio(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        write_exchange(writer, 1)
        write_exchange(writer, 2)
        path = writer.current_file
    assert re.fullmatch(rf"warta-\d{{20}}-{os.getpid()}\.warc\.gz", path.name)
    records = read_records(path)
    assert [r[0] for r in records] == ["warcinfo", "request", "response", "request", "response"]
    _, uri, warc_headers, http_headers, body = records[2]
    assert uri == "https://smkn7.sch.id/read/1/berita" and body == b"<h1>Berita 1</h1>"
    assert warc_headers.get_header("WARC-Date") == "2026-11-22T17:40:00Z"
    assert warc_headers.get_header("WARC-Concurrent-To") == records[1][2].get_header("WARC-Record-ID")
    assert http_headers.get_statuscode() == "200"
    assert http_headers.get_header("Content-Type") == "text/html; charset=UTF-8"
    # the stored body is decoded, so the wire-encoding headers must not claim otherwise
    assert http_headers.get_header("Content-Encoding") is None
    assert http_headers.get_header("Transfer-Encoding") is None
    assert http_headers.get_header("Content-Length") == str(len(body))
    assert request_line(records[1][3]) == "GET /read/1/berita HTTP/1.1"


def test_a_warc_ref_points_at_its_response_record(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        refs = [write_exchange(writer, n) for n in range(3)]
    data = (tmp_path / refs[1].file).read_bytes()
    member = data[refs[1].offset: refs[1].offset + refs[1].length]
    records = ArchiveIterator(BytesIO(member))
    record = next(records)
    assert record.rec_type == "response" and record.content_stream().read() == b"<h1>Berita 1</h1>"
    assert next(records, None) is None
    # the body's SHA-1 the crawl keeps as its content hash is the record's payload digest
    assert refs[1].payload_sha1 == hashlib.sha1(b"<h1>Berita 1</h1>").digest()
    assert record.rec_headers.get_header("WARC-Payload-Digest") == "sha1:" + base64.b32encode(
        refs[1].payload_sha1).decode()
    assert gzip.decompress(member).startswith(b"WARC/1.0")           # one gzip member per record


def test_digests_and_record_ids_are_spelled_as_base64_and_uuid_spell_them(tmp_path: Path) -> None:
    bodies = [os.urandom(n) for n in range(1, 200)]
    with WarcWriter(tmp_path) as writer:
        refs = [write_exchange(writer, n, body) for n, body in enumerate(bodies)]
        path = writer.current_file
    with path.open("rb") as stream:       # warcio checks every block and payload digest as it reads
        records = []
        for record in ArchiveIterator(stream, check_digests="raise"):
            record.content_stream().read()
            records.append(record)
    responses = [r for r in records if r.rec_type == "response"]
    for ref, body, record in zip(refs, bodies, responses, strict=True):
        assert record.rec_headers.get_header("WARC-Payload-Digest") == "sha1:" + base64.b32encode(
            hashlib.sha1(body).digest()).decode()
        assert record.rec_headers.get_header("WARC-Block-Digest").startswith("sha1:")
        assert ref.payload_sha1 == hashlib.sha1(body).digest()
    ids = [record.rec_headers.get_header("WARC-Record-ID") for record in records]
    assert len(set(ids)) == len(ids) == 1 + 2 * len(bodies)
    for record_id in ids:
        parsed = uuid.UUID(record_id.removeprefix("<urn:uuid:").removesuffix(">"))
        assert record_id == f"<urn:uuid:{parsed}>" and parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_files_rotate_and_each_starts_with_warcinfo(tmp_path: Path) -> None:
    with WarcWriter(tmp_path, prefix="uji", rotate_bytes=2_000) as writer:
        refs = [write_exchange(writer, n, os.urandom(1_500)) for n in range(4)]
    files = sorted(tmp_path.iterdir())
    assert len(files) == len({r.file for r in refs}) >= 3
    assert all(f.name.startswith("uji-") for f in files)
    for file in files:
        records = read_records(file)
        assert records[0][0] == "warcinfo" and records[1:] and records[-1][0] == "response"


def test_a_torn_file_is_readable_up_to_the_last_full_record(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        refs = [write_exchange(writer, n, os.urandom(3_000)) for n in range(5)]
    path = tmp_path / refs[-1].file
    path.write_bytes(path.read_bytes()[: refs[-1].offset + refs[-1].length // 2])
    responses = [r for r in read_records(path) if r[0] == "response"]
    complete = [r[1] for r in responses if len(r[4]) == int(r[3].get_header("Content-Length"))]
    assert complete == [f"https://smkn7.sch.id/read/{n}/berita" for n in range(4)]


KILLED_WRITER = """
import sys, os
sys.path.insert(0, {repo!r})
from pathlib import Path
from scraper.crawl.capture import WarcWriter
writer = WarcWriter(Path({directory!r}))
n = 0
while True:
    writer.write(url=f"https://a.sch.id/{{n}}", method="GET", request_headers=[("Host", "a.sch.id")],
                 status=200, response_headers=[("Content-Type", "text/html")],
                 body=os.urandom(20_000), fetched_at="2026-11-22T17:40:00Z")
    n += 1
"""


def test_kill_9_while_writing_leaves_a_readable_file(tmp_path: Path) -> None:
    script = KILLED_WRITER.format(repo=str(REPO), directory=str(tmp_path))
    process = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            files = list(tmp_path.glob("*.warc.gz"))
            if files and files[0].stat().st_size > 500_000:
                break
            time.sleep(0.05)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    (path,) = tmp_path.glob("*.warc.gz")
    records = read_records(path)
    responses = [r for r in records if r[0] == "response"]
    assert len(responses) >= 20
    assert all(len(r[4]) == 20_000 for r in responses[:-1])     # only the last can be torn
    assert [r[1] for r in responses] == [f"https://a.sch.id/{n}" for n in range(len(responses))]


def test_the_fetcher_captures_every_exchange(tmp_path: Path, fault_server: FaultServer) -> None:
    async def run() -> list[FetchResult]:
        with WarcWriter(tmp_path) as writer:
            async with Fetcher(CrawlConfig(delay=0.0, retries=0), capture=writer) as fetcher:
                session = fetcher.session(SiteConfig(name="school", url=fault_server.url("/")))
                return [await session.fetch(fault_server.url("/redirect?to=/gzip")),
                        await session.fetch(fault_server.url("/echo"), method="POST", data={"page_number": "2"}),
                        await session.fetch(fault_server.url("/status/404")),
                        await session.fetch(fault_server.url("/image.png"))]

    redirected, posted, missing, image = asyncio.run(run())
    (path,) = tmp_path.glob("*.warc.gz")
    records = read_records(path)
    responses = [(r[1], r[3].get_statuscode()) for r in records if r[0] == "response"]
    assert responses == [
        (fault_server.url("/robots.txt"), "200"), (fault_server.url("/redirect?to=/gzip"), "301"),
        (fault_server.url("/gzip"), "200"), (fault_server.url("/echo"), "200"),
        (fault_server.url("/status/404"), "404"), (fault_server.url("/image.png"), "200"),
    ]
    assert len([r for r in records if r[0] == "request"]) == len(responses)

    def record_at(ref: WarcRef):
        data = path.read_bytes()[ref.offset: ref.offset + ref.length]
        return next(iter(ArchiveIterator(BytesIO(data))))

    gzip_record = record_at(redirected.warc)
    assert gzip_record.rec_headers.get_header("WARC-Target-URI") == fault_server.url("/gzip")
    assert gzip_record.http_headers.get_header("Content-Encoding") is None
    assert gzip_record.content_stream().read() == redirected.content            # stored decoded
    assert gzip_record.rec_headers.get_header("WARC-Date") == redirected.fetched_at
    post_request = next(r for r in records if r[0] == "request" and r[1] == fault_server.url("/echo"))
    assert request_line(post_request[3]) == "POST /echo HTTP/1.1" and post_request[4] == b"page_number=2"
    assert missing.warc is not None and record_at(missing.warc).http_headers.get_statuscode() == "404"
    image_record = record_at(image.warc)
    assert image_record.rec_headers.get_header("WARC-Truncated") == "unspecified"
    assert image_record.content_stream().read() == b""


def test_a_forked_child_spells_record_ids_of_its_own(tmp_path: Path) -> None:
    from scraper.crawl.capture import _record_id

    _record_id()                          # the parent holds unused random bytes now
    reader, writer = os.pipe()
    if (pid := os.fork()) == 0:           # the child: its next IDs, to the parent
        os.write(writer, " ".join(_record_id() for _ in range(3)).encode())
        os._exit(0)
    os.close(writer)
    child_ids = os.read(reader, 4096).decode().split()
    os.waitpid(pid, 0)
    assert len(child_ids) == 3 and not set(child_ids) & {_record_id() for _ in range(3)}
