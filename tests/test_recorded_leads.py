"""`warta extract` over a WARC uses the feeds and REST answers recorded beside the pages, as the crawl does."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.extract_files import extract_paths
from scraper.recorded_leads import recorded_date_hints

SITE = "https://smkn4contoh.sch.id"
# A theme that prints no date on its posts (Astra's default post meta: comments, category, author)
POST = (b"<html><head><title>Kunjungan Industri ke PT Arunika | SMKN 4</title></head><body class='single-post'>"
        b"<header><a href='/'>SMKN 4 Contoh</a></header><main><article><h1 class='entry-title'>Kunjungan Industri "
        b"ke PT Arunika</h1><div class='entry-meta'><a href='/category/berita/' rel='category tag'>Berita</a> / By "
        b"<a href='/author/admin/' rel='author'>admin</a></div><div class='entry-content'>"
        + b"".join(b"<p>Siswa kelas XI jurusan teknik elektro mengunjungi pabrik PT Arunika untuk melihat langsung "
                   b"proses produksi panel listrik dan berdiskusi dengan para teknisi di sana. Kegiatan ini bagian "
                   b"dari program kelas industri yang disepakati sekolah dan perusahaan.</p>" for _ in range(3))
        + b"</div></article></main></body></html>")
FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>SMKN 4</title><item><title>Kunjungan</title>'
        b"<link>https://smkn4contoh.sch.id/kunjungan-industri/</link>"
        b"<pubDate>Tue, 14 Oct 2025 02:30:00 +0000</pubDate></item></channel></rss>")
REST_POST = b'{"id": 7, "date": "2025-10-14T09:30:00", "link": "https://smkn4contoh.sch.id/kunjungan-industri/"}'


def recording(path: Path, responses: list[tuple[str, str, bytes]]) -> Path:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, content_type, body in responses:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=http))
    return path


def test_a_dateless_post_takes_the_date_its_recorded_feed_gives(tmp_path):
    # the page comes first in the file, the feed after it: the hints are read before any page is extracted
    warc = recording(tmp_path / "site.warc.gz", [(f"{SITE}/kunjungan-industri/", "text/html", POST),
                                                 (f"{SITE}/feed/", "application/rss+xml; charset=UTF-8", FEED)])
    [outcome] = list(extract_paths([warc], tz="Asia/Jakarta"))
    assert outcome.record is not None and outcome.record["published"] == "2025-10-14T09:30:00+07:00"
    assert outcome.record["published_source"] == "feed"


def test_without_a_recorded_feed_the_same_post_is_archived_undated(tmp_path):
    warc = recording(tmp_path / "site.warc.gz", [(f"{SITE}/kunjungan-industri/", "text/html", POST)])
    [outcome] = list(extract_paths([warc], tz="Asia/Jakarta"))
    assert outcome.record is not None and outcome.record["published"] is None


def test_one_posts_rest_answer_and_other_files_count_and_sitemaps_do_not(tmp_path):
    sitemap = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
               b"https://smkn4contoh.sch.id/profil/</loc><lastmod>2025-01-02</lastmod></url></urlset>")
    first = recording(tmp_path / "a.warc.gz", [(f"{SITE}/wp-sitemap-posts-page-1.xml", "application/xml", sitemap)])
    second = recording(tmp_path / "b.warc.gz", [(f"{SITE}/wp-json/wp/v2/posts/7", "application/json", REST_POST),
                                                (f"{SITE}/not-a-warc", "text/html", b"<p>x</p>")])
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(b"\x1f\x8b not a warc")
    hints = recorded_date_hints([first, broken, second])
    assert hints.for_url("https://SMKN4contoh.sch.id/kunjungan-industri/?utm_source=x").published == \
        "2025-10-14T09:30:00"
    assert hints.for_url(f"{SITE}/profil/") is None
