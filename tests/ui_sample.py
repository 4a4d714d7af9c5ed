"""What the UI shows, added to the sample archive (browse_sample): the schools' registry identity, site states and
topics as the registry, crawl and research code will store them, and captures written by the crawler's own WARC
writer and logged in `fetches` as a crawl logs them: a hostile page (scripts, handlers, javascript:/data: URLs,
CSS to other hosts, meta refresh, frames, forms) with an image of its own, an earlier capture, a huge page, a
record cut short and a file that is gone."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from browse_sample import BJM, BPN, SMD

from archive.crawl_state import record_fetch
from archive.db import open_archive
from scraper.crawl.capture import WarcRef, WarcWriter

DATA = Path(__file__).with_name("data") / "captures"
HOSTILE_URL = f"https://{BPN}/2025/lks/"
IMAGE_URL = f"https://{BPN}/wp-content/uploads/juara.png"
HUGE_URL = f"https://{BJM}/read/198/ppdb"
CUT_URL = f"https://{BJM}/read/199/kunjungan"
GONE_URL = f"https://{SMD}/2023/kerjasama-polnes/"
MOU_URL = f"https://{BPN}/2025/mou-pama/"
EARLIER = "2025-06-01T08:00:00Z"
LATER = "2025-07-01T08:00:00Z"
HUGE_BYTES = 3_000_000


@dataclass(slots=True)
class SampleCaptures:
    folder: Path
    hostile_html: bytes


def _write(writer: WarcWriter, url: str, body: bytes, fetched_at: str, content_type: str) -> WarcRef:
    return writer.write(url=url, method="GET", request_headers=[("User-Agent", "warta-test")], status=200,
                        reason="OK", response_headers=[("Content-Type", content_type)], body=body,
                        fetched_at=fetched_at)


def _log(db, url: str, ref: WarcRef, fetched_at: str) -> None:
    record_fetch(db, {"url": url, "method": "GET", "status": 200, "fetched_at": fetched_at, "bytes": 1,
                      "warc_file": ref.file, "warc_offset": ref.offset, "warc_length": ref.length}, [])


def add_captures(db_path: Path) -> SampleCaptures:
    """Write the captures into `captures/` beside the archive (where `warta serve` looks by default)."""
    folder = db_path.parent / "captures"
    hostile = (DATA / "hostile.html").read_bytes()
    earlier = hostile.replace(b"Tiga siswa", b"Dua siswa")
    huge = b"<html><body><h1>PPDB</h1>" + b"<p>Pendaftaran peserta didik baru dibuka.</p>" * (
        HUGE_BYTES // 45) + b"<p>THE END OF THE HUGE PAGE</p></body></html>"
    db = open_archive(db_path)
    html = "text/html; charset=UTF-8"
    with WarcWriter(folder) as writer:
        _log(db, HOSTILE_URL, _write(writer, HOSTILE_URL, earlier, EARLIER, html), EARLIER)
        _log(db, HOSTILE_URL, _write(writer, HOSTILE_URL, hostile, LATER, html), LATER)
        _log(db, IMAGE_URL, _write(writer, IMAGE_URL, (DATA / "juara.png").read_bytes(), LATER, "image/png"), LATER)
        _log(db, MOU_URL, _write(writer, MOU_URL, b"<h1>MoU</h1><p>Penandatanganan MoU.</p>", LATER, html), LATER)
        _log(db, HUGE_URL, _write(writer, HUGE_URL, huge, LATER, html), LATER)
    with WarcWriter(folder, prefix="cut") as writer:
        cut = _write(writer, CUT_URL, b"<h1>Kunjungan</h1>" + b"<p>isi</p>" * 2000, LATER, html)
        path = writer.current_file
    path.write_bytes(path.read_bytes()[: cut.offset + cut.length // 2])  # the crawl was killed while writing
    _log(db, CUT_URL, cut, LATER)
    _log(db, GONE_URL, WarcRef(file="warta-gone.warc.gz", offset=0, length=500), LATER)
    # The article rows say which capture they were extracted from.
    db.conn.execute("UPDATE articles SET fetched_at = ?", (LATER,))
    db.conn.commit()
    db.close()
    return SampleCaptures(folder=folder, hostile_html=hostile)


SCHOOLS = {
    BPN: ("20401234", "SMK", "negeri", "Kalimantan Timur", "Kota Balikpapan", "ok", "the last crawl read 2 pages"),
    BJM: ("30304567", "SMK", "negeri", "Kalimantan Selatan", "Kota Banjarmasin", "compromised",
          "injected gambling spam (slot gacor) on 3 pages, e.g. /slot-gacor/"),
    SMD: ("30405678", "SMK", "swasta", "Kalimantan Timur", "Kota Samarinda", "parked",
          "the home page is a registrar's parking page"),
}
TOPICS = {MOU_URL: ["kerja-sama"], HOSTILE_URL: ["prestasi"], HUGE_URL: ["ppdb"], GONE_URL: ["kerja-sama"]}


def add_school_data(db_path: Path) -> None:
    """Registry identity and a state for every sample school, and topics on some articles."""
    db = open_archive(db_path)
    for host, (npsn, level, ownership, province, regency, state, detail) in SCHOOLS.items():
        db.conn.execute(
            "UPDATE sites SET npsn = ?, level = ?, ownership = ?, province = ?, regency = ?, state = ?, "
            "state_detail = ?, state_since = '2025-06-20T02:00:00Z' WHERE host = ?",
            (npsn, level, ownership, province, regency, state, detail, host))
    for url, topics in TOPICS.items():
        db.conn.execute("UPDATE articles SET topics = ? WHERE url = ?", (json.dumps(topics), url))
    db.conn.commit()
    db.close()
