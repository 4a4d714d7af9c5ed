"""The archived copy (`/-/capture`, DESIGN §15) through the real Datasette app: real WARC files written by the
crawler's writer, real `fetches` rows, hostile captures neutralised, missing and cut captures as 404 pages."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from browse_sample import BPN, make_sample_archive
from datasette.utils import tilde_encode
from ui_sample import (
    CUT_URL,
    DATA,
    EARLIER,
    GONE_URL,
    HOSTILE_URL,
    HUGE_URL,
    IMAGE_URL,
    LATER,
    MOU_URL,
    add_captures,
)

from archive.capture import Capture, CaptureMissing, read_capture
from archive.safe_page import MAX_HTML_BYTES, decode, make_safe
from archive.serve import METADATA_PATH, build_datasette
from archive.warc import TruncatedRecord, read_response
from scraper.crawl.capture import WarcWriter

OTHER_HOSTS = re.compile(r"""(?:src|href|action|data|poster)\s*=\s*["']?(?:https?:)?//(?!""" + re.escape(BPN)
                         + r"/)", re.IGNORECASE)


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_sample_archive(tmp_path_factory.mktemp("captured") / "archive.db")
    add_captures(path)
    return path


@pytest.fixture(scope="module")
def ds(archive_path: Path):
    return build_datasette(archive_path)


def get(ds, path: str):
    return asyncio.run(ds.client.get(path))


def capture(ds, url: str, at: str | None = None):
    return get(ds, "/-/capture?" + urlencode({"url": url} | ({"at": at} if at else {})))


def row_path(url: str) -> str:
    return f"/archive/articles/{tilde_encode(url)}"


def main_part(html: str) -> str:
    return html.split('<main class="warta-capture">', 1)[1]


def test_the_archived_copy_shows_the_page_with_a_banner(ds) -> None:
    response = capture(ds, HOSTILE_URL)
    assert response.status_code == 200
    html = response.text
    banner = html.split("</header>")[0]
    assert "Archived copy" in banner and f'<time datetime="{LATER}">{LATER}</time>' in banner
    assert f'class="warta-live" href="{HOSTILE_URL}"' in banner
    assert f'href="{row_path(HOSTILE_URL)}"' in banner
    assert "<title>Archived: Siswa Juara Lomba LKS Tingkat Provinsi – SMKN 7 Balikpapan</title>" in html
    assert "Tiga siswa meraih juara" in main_part(html)
    # The other capture is offered, and opens with &at=.
    assert f"at={quote(EARLIER)}" in banner
    earlier = capture(ds, HOSTILE_URL, at=EARLIER)
    assert "Dua siswa meraih juara" in earlier.text and f'datetime="{EARLIER}"' in earlier.text


def test_the_archived_copy_forbids_scripts_and_other_hosts_by_policy(ds) -> None:
    headers = capture(ds, HOSTILE_URL).headers
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'none'" in policy and "img-src 'self'" in policy
    assert "form-action 'none'" in policy and "sandbox" in policy and "allow-scripts" not in policy
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"


def test_a_hostile_capture_is_neutralised(ds) -> None:
    html = capture(ds, HOSTILE_URL).text
    body = main_part(html)
    lowered = html.lower()
    for sign in ("<script", "onload", "onclick", "onerror", "onmouseover", "javascript:", "data:", "<iframe",
                 "<object", "<embed", "<form", "<input", "<svg", "<video", "<base", "http-equiv", "@import",
                 "url(", "expression(", "<style", "style="):
        assert sign not in lowered, sign
    assert not OTHER_HOSTS.findall(html), OTHER_HOSTS.findall(html)
    # Links stay, made absolute to the live site; the captured image comes from the archive, the other one is
    # a placeholder of this server.
    assert f'<a href="https://{BPN}/2025/mou-pama/" rel="noopener noreferrer nofollow">MoU dengan PT Pama</a>' in body
    assert f'src="/-/capture?{urlencode({"url": IMAGE_URL})}"' in body
    assert body.count('src="/-/warta-no-image.svg"') == 3  # cdn.example/banner.jpg, the data: one, the broken "x"
    assert "Kepala sekolah memberi selamat." in body


def test_a_captured_image_is_served_from_its_record(ds) -> None:
    response = capture(ds, IMAGE_URL)
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.content == (DATA / "juara.png").read_bytes()
    placeholder = get(ds, "/-/warta-no-image.svg")
    assert placeholder.status_code == 200 and "<script" not in placeholder.text


def test_a_huge_page_is_bounded_and_says_so(ds) -> None:
    response = capture(ds, HUGE_URL)
    assert response.status_code == 200
    assert "Only the start of this very long page is shown." in response.text
    assert len(response.content) < MAX_HTML_BYTES * 1.1
    assert "THE END OF THE HUGE PAGE" not in response.text


@pytest.mark.parametrize(("url", "at", "reason"), [
    (CUT_URL, None, "is cut short"),
    (GONE_URL, None, "is not in the captures folder"),
    ("https://nowhere.sch.id/never-crawled", None, "warta has no capture of https://nowhere.sch.id/never-crawled"),
    (HOSTILE_URL, "1999-01-01T00:00:00Z", "no capture of"),
    ("", None, "no address given"),
])
def test_a_missing_or_cut_capture_is_a_clear_404_page(ds, url: str, at: str | None, reason: str) -> None:
    response = capture(ds, url, at) if url else get(ds, "/-/capture")
    assert response.status_code == 404
    assert "No archived copy" in response.text and reason in response.text
    assert "Traceback" not in response.text
    assert "script-src 'none'" in response.headers["content-security-policy"]


def test_a_missing_capture_of_an_article_links_back_to_its_row(ds) -> None:
    html = capture(ds, CUT_URL).text
    assert f'href="{row_path(CUT_URL)}"' in html


def test_the_articles_table_and_row_link_to_the_archived_copy(ds) -> None:
    link = f'href="/-/capture?{urlencode({"url": HOSTILE_URL})}"'
    assert link in get(ds, "/archive/articles").text
    row = get(ds, row_path(HOSTILE_URL)).text
    assert link in row and "(archived copy)" in row


def test_captures_are_read_from_the_folder_given(archive_path: Path, tmp_path: Path) -> None:
    elsewhere = build_datasette(archive_path, captures=tmp_path)
    assert "is not in the captures folder" in capture(elsewhere, MOU_URL).text
    published = build_datasette(archive_path, immutable=True, captures=archive_path.parent / "captures")
    assert capture(published, MOU_URL).status_code == 200


def test_a_capture_pointing_outside_the_captures_folder_is_refused(archive_path: Path, tmp_path: Path) -> None:
    import sqlite3

    copy = tmp_path / "archive.db"
    copy.write_bytes(archive_path.read_bytes())
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE fetches SET warc_file = '../../../etc/passwd' WHERE url = ?", (MOU_URL,))
    response = capture(build_datasette(copy, captures=archive_path.parent / "captures"), MOU_URL)
    assert response.status_code == 404 and "outside the captures folder" in response.text


def test_make_safe_keeps_text_and_drops_every_active_part() -> None:
    html = decode((DATA / "hostile.html").read_bytes(), "text/html")
    page = make_safe(html, HOSTILE_URL, lambda src: "/img", "/none")
    assert page.title == "Siswa Juara Lomba LKS Tingkat Provinsi – SMKN 7 Balikpapan"
    assert "<h1>Siswa Juara Lomba LKS Tingkat Provinsi</h1>" in page.body_html
    assert "HACKED" not in page.body_html and "evil.example" not in page.body_html


@pytest.mark.parametrize(("content_type", "body", "text"), [
    ("text/html; charset=windows-1252", "Caf\xe9".encode("cp1252"), "Café"),
    ("text/html", '<meta charset="iso-8859-1">Caf\xe9'.encode("latin-1"), "Café"),
    (None, "Caf\xe9 \u201cindah\u201d".encode("cp1252"), "Café “indah”"),
    ("text/html; charset=utf-8", b"\x81 broken", "\ufffd"),
    ("text/html; charset=no-such-charset", b"ok", "ok"),
])
def test_decode_follows_the_declared_charset(content_type: str | None, body: bytes, text: str) -> None:
    assert text in decode(body, content_type)


def test_plain_datasette_serves_archived_copies_from_beside_the_archive(archive_path: Path) -> None:
    # The README's plain `datasette` command: the plugin's entry point, captures/ beside the file by default.
    command = [sys.executable, "-m", "datasette", str(archive_path), "--metadata", str(METADATA_PATH),
               "--get", "/-/capture?" + urlencode({"url": MOU_URL})]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    assert "Archived copy" in result.stdout and "Penandatanganan MoU." in result.stdout


def test_read_response_reads_one_record_at_its_offset(tmp_path: Path) -> None:
    with WarcWriter(tmp_path) as writer:
        first = writer.write(url=MOU_URL, method="GET", request_headers=[], status=200, reason="OK",
                             response_headers=[("Content-Type", "text/html")], body=b"<p>satu</p>",
                             fetched_at=LATER)
        second = writer.write(url=HOSTILE_URL, method="GET", request_headers=[], status=200, reason="OK",
                              response_headers=[], body=b"<p>dua</p>", fetched_at=LATER)
        path = writer.current_file
    assert read_response(path, second.offset, second.length).body == b"<p>dua</p>"
    # Without a length the record is read to its end, and nothing after it.
    response = read_response(path, first.offset, None)
    assert (response.url, response.body, response.fetched_at) == (MOU_URL, b"<p>satu</p>", LATER)
    with pytest.raises(LookupError):  # the warcinfo record that starts the file is no response
        read_response(path, 0, None)
    # An offset inside a record makes warcio raise whatever the bytes there suggest: the page says it is unreadable.
    inside = Capture(url=MOU_URL, fetched_at=LATER, warc_file=path.name, warc_offset=first.offset + 1,
                     warc_length=None)
    with pytest.raises(CaptureMissing, match="cannot be read|cut short"):
        read_capture(tmp_path, inside)
    with pytest.raises(TruncatedRecord):
        read_response(path, second.offset, second.length + 10_000)
