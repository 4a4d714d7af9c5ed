"""URL normalisation, same-site test, trap filters and kind guesses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scraper.crawl.urls import guess_kind, is_first_listing_page, is_pagination, normalize_url, page_number, trap_reason


@pytest.mark.parametrize(("raw", "expected"), [
    ("HTTP://Example.SCH.ID", "http://example.sch.id/"),
    ("http://example.sch.id:80/a/#comments", "http://example.sch.id/a/"),
    ("https://example.sch.id:8443/a", "https://example.sch.id:8443/a"),
    ("http://x.test/berita/?utm_source=fb&utm_medium=social&fbclid=abc", "http://x.test/berita/"),
    ("http://x.test/?PHPSESSID=123&p=5", "http://x.test/?p=5"),
    ("http://x.test/?sid=9&b=2&a=1", "http://x.test/?a=1&b=2"),
    ("http://x.test/index.php?p=483", "http://x.test/?p=483"),
    ("http://x.test/index.php?rest_route=/wp/v2/posts", "http://x.test/index.php?rest_route=/wp/v2/posts"),
    ("http://x.test/?rest_route=%2Fwp%2Fv2%2Fposts", "http://x.test/?rest_route=/wp/v2/posts"),
    ("http://x.test/read/1/judul berita", "http://x.test/read/1/judul%20berita"),
])
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


def test_normalize_resolves_relative_links_and_rejects_other_schemes() -> None:
    assert normalize_url("../../kategori/berita", "http://x.test/read/1/a") == "http://x.test/kategori/berita"
    assert normalize_url("mailto:humas@x.test") is None
    assert normalize_url("javascript:void(0)", "http://x.test/") is None
    assert normalize_url("http://[::1") is None
    assert normalize_url("http://..") is None and normalize_url("//./berita", "https://x.test/") is None


@given(st.text(alphabet="abc/?=&#%.:-_ XYZ", max_size=40))
def test_normalize_is_idempotent(tail: str) -> None:
    once = normalize_url("http://Host.test/" + tail)
    if once is not None:
        assert normalize_url(once) == once


@pytest.mark.parametrize("url", [
    "http://x.test/read/' + _BASE_URL + 'read/' + row.id",
    "http://x.test/berita/?replytocom=12",
    "http://x.test/berita/?share=facebook",
    "http://x.test/wp-login.php?redirect_to=x",
    "http://x.test/wp-admin/post.php",
    "http://x.test/berita/slug/feed/",
    "http://x.test/wp-content/uploads/2024/01/foto.jpg",
    "http://x.test/files/brosur.PDF",
    "http://x.test/page/500/",
    "http://x.test/?paged=999",
    "http://x.test/index.php?mod=berita&hal=201",
    "http://x.test/berita/halaman/999",
    "http://x.test/berita?offset=99990",
    "http://x.test/2025/13/",
    "http://x.test/1970/01/01/",
    "http://x.test/?m=30000101",
    "http://x.test/?s=pkl",
])
def test_traps_are_refused(url: str) -> None:
    assert trap_reason(url) is not None


@pytest.mark.parametrize("url", [
    "http://x.test/", "http://x.test/?p=591", "http://x.test/page/7/", "http://x.test/?paged=3",
    "http://x.test/2025/07/", "http://x.test/read/105/jadwal-spmb", "http://x.test/kategori/berita",
    "http://x.test/2025/01/31/mou-dengan-industri/",
])
def test_ordinary_pages_are_followed(url: str) -> None:
    assert trap_reason(url) is None


@pytest.mark.parametrize(("url", "kind"), [
    ("http://x.test/?p=591", "article"),
    ("http://x.test/read/198/mou-pt-abc", "article"),
    ("http://x.test/2025/01/31/mou/", "article"),
    ("http://x.test/2015/11/kunjungan-industri.html", "article"),
    ("http://x.test/", "listing"),
    ("http://x.test/?cat=3", "listing"),
    ("http://x.test/category/berita/page/2/", "listing"),
    ("http://x.test/kategori/kegiatan-siswa", "listing"),
    ("http://x.test/2025/07/", "listing"),
    ("http://x.test/profil-sekolah/", "page"),
    ("http://x.test/index.php?mod=berita&hal=2", "listing"),
    ("http://x.test/web/artikel/halaman/3", "listing"),
])
def test_guess_kind(url: str, kind: str) -> None:
    assert guess_kind(url) == kind


def test_first_listing_pages() -> None:
    assert is_first_listing_page("http://x.test/")
    assert is_first_listing_page("http://x.test/?cat=2")
    assert is_first_listing_page("http://x.test/kategori/berita")
    assert is_first_listing_page("http://x.test/category/prestasi/")
    assert not is_first_listing_page("http://x.test/category/prestasi/page/2/")
    assert not is_first_listing_page("http://x.test/?paged=2")
    assert not is_first_listing_page("http://x.test/tag/pkl")


def test_pagination_of_older_school_cms() -> None:
    for url in ("http://x.test/index.php?mod=berita&hal=2", "http://x.test/berita/halaman/2", "http://x.test/?pg=3",
                "http://x.test/berita?offset=10", "http://x.test/index.php?start=5"):
        assert is_pagination(url), url
    for url in ("http://x.test/index.php?mod=berita&hal=1", "http://x.test/berita?offset=0", "http://x.test/berita"):
        assert not is_pagination(url), url
    assert page_number("http://x.test/index.php?mod=berita&hal=1") == 1
    assert page_number("http://x.test/berita?offset=30") == 4 and page_number("http://x.test/berita") is None
