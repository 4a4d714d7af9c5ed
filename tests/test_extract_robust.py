"""Bad input never crashes or hangs extraction: garbage, wrong charsets, deep nesting, huge and empty pages."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.extract import Page, extract_article, extract_page
from scraper.extract.decode import decode_html

URL = "http://sman1contoh.sch.id/berita/kegiatan-sekolah/"
ARTICLE = """<html><head><meta charset="{charset}"><title>{title} | SMAN 1 Contoh</title></head><body>
<nav><a href="/">Beranda</a></nav><h1>{title}</h1><div class="meta">Diposting: Senin, 3 Maret 2025</div>
<div class="isi"><p>Contoh, Senin (3/3/2025) – Siswa SMAN 1 Contoh mengikuti kegiatan “Jumat Bersih”, menanam pohon
di halaman sekolah bersama para guru dan orang tua.</p><p>Kepala sekolah berharap kegiatan ini menjadi kebiasaan,
bukan sekadar acara tahunan, sehingga lingkungan sekolah tetap hijau.</p></div>
<footer>Hak cipta SMAN 1 Contoh</footer></body></html>"""
TITLE = "Siswa Menanam Pohon – Café “Hijau”"


def _page(charset: str, declared: str | None = None) -> bytes:
    return ARTICLE.format(charset=declared or charset, title=TITLE).encode(charset)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_random_bytes_never_raise(content):
    page = extract_page(content, URL)
    assert isinstance(page, Page)
    assert page.article is not None or page.reason


_TAGS = st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<h1>", "</h1>", "<a href='/x'>", "</a>", "<table>",
                         "<td>", "<script>", "</script>", "<!--", "-->", "<br>", "&amp;", "&#x;", "&", "<",
                         "<time datetime='2025-13-45'>", "<meta charset='bogus'>", "<title>", "</title>",
                         "Senin, 3 Maret 2025", "01/01/1970 07:00", "<article>", "</article>"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_TAGS, st.text(max_size=40)), max_size=80))
def test_random_html_soup_never_raises(parts):
    page = extract_page("".join(parts).encode("utf-8", "surrogatepass"), URL, tz="Asia/Makassar")
    assert page.article is not None or page.reason
    if page.article is not None:
        assert page.article.title and page.article.body


def test_empty_and_whitespace_pages_are_not_articles():
    for content in (b"", b"   \n", b"<html></html>", b"<html><body></body></html>"):
        page = extract_page(content, URL)
        assert page.article is None and page.reason in ("empty", "untitled")


def test_windows_1252_declared_as_utf8_is_read_as_windows_1252():
    article = extract_article(_page("cp1252", declared="utf-8"), URL, content_type="text/html; charset=UTF-8")
    assert article is not None and article.title == TITLE


def test_bom_wins_over_declarations():
    for codec in ("utf-8-sig", "utf-16"):
        content = _page(codec, declared="iso-8859-1")
        article = extract_article(content, URL, content_type="text/html; charset=windows-1252")
        assert article is not None and article.title == TITLE, codec


def test_meta_charset_used_when_the_header_names_none():
    assert extract_article(_page("cp1252", declared="windows-1252"), URL, content_type="text/html").title == TITLE
    assert decode_html("é".encode("latin-1"), "text/html; charset=nonsense-codec") == "é"


def test_header_charset_wins_over_a_wrong_meta_when_both_decode():
    content = _page("utf-8", declared="windows-1252")
    assert extract_article(content, URL, content_type="text/html; charset=utf-8").title == TITLE


def test_truncated_page_still_yields_what_arrived():
    content = _page("utf-8")
    cut = content[: content.index(b"</p>") + 4]
    article = extract_article(cut, URL)
    assert article is not None and article.title == TITLE and "Jumat Bersih" in article.body


def test_ten_thousand_deep_nesting_is_walked_without_recursion():
    content = (b"<html><head><title>Dalam | X</title></head><body><h1>Dalam</h1>" + b"<div>" * 10_000 +
               b"<p>Contoh, Senin 3 Maret 2025 - kegiatan sekolah yang sangat panjang, dengan banyak kata.</p>" +
               b"</div>" * 10_000 + b"</body></html>")
    started = time.perf_counter()
    article = extract_article(content, URL)
    assert time.perf_counter() - started < 10
    assert article is not None and article.title == "Dalam" and article.published == "2025-03-03"


def test_twenty_megabyte_page_finishes_in_bounded_time():
    paragraph = b"<p>Siswa melaksanakan praktik kerja lapangan, di industri mitra sekolah selama tiga bulan.</p>\n"
    content = (b"<html><head><title>Besar</title></head><body><h1>Besar</h1><div class='meta'>3 Maret 2025</div>"
               + paragraph * (20_000_000 // len(paragraph)) + b"</body></html>")
    started = time.perf_counter()
    article = extract_article(content, URL)
    assert time.perf_counter() - started < 60
    assert article is not None and article.body.count("\n\n") > 100_000


def test_broken_entities_are_kept_as_text():
    content = (b"<html><head><title>A &amp; B &bogus; | X</title></head><body><h1>A &amp; B &bogus;</h1>"
               b"<p>Senin, 3 Maret 2025 &ndash kegiatan &#99999999; sekolah yang panjang dan berguna bagi siswa.</p>"
               b"</body></html>")
    article = extract_article(content, URL)
    assert article is not None and article.title == "A & B &bogus;"


def test_feeds_json_and_binary_are_recognised_without_parsing():
    assert extract_page(b'<?xml version="1.0"?><rss><channel></channel></rss>', URL).reason == "feed"
    assert extract_page(b'{"rows": []}', URL).reason == "json"
    assert extract_page(b"\x89PNG\r\n\x1a\n\x00\x00", URL).reason == "binary"
    assert extract_page(b"<html></html>", URL, content_type="application/rss+xml").reason == "feed"
