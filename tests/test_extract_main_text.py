"""Every page's main text: the title and body extraction read stay on the Page whatever the verdict, and
`warta extract --all` prints them on the non-article line; pages refused by their address are not read.

Hand-written pages in tests/data/pages (verdicts/, layouts/, cjk/)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scraper.extract import extract_page
from scraper.extract_files import page_record

PAGES = Path(__file__).parent / "data" / "pages"
WARTA = Path(sys.executable).with_name("warta")


def extract(name: str, url: str):
    return extract_page((PAGES / name).read_bytes(), url, tz="Asia/Jakarta", with_links=False)


@pytest.mark.parametrize(("name", "url", "reason", "title", "opens"), [
    ("verdicts/wp_page_static_dated.html", "https://smkn2contoh.sch.id/profil-sekolah/", "static page",
     "Profil Sekolah", "SMK Negeri 2 Contoh berdiri pada tahun 1978"),
    ("layouts/dateless_static.html", "https://smkkesehatancontoh.sch.id/program-unggulan/", "static page",
     "Program Unggulan", "Sekolah menyelenggarakan kelas industri"),
    # a listing told by its shape was read before it was told
    ("verdicts/category_listing.html", "https://mtsn4contoh.sch.id/kabar-sekolah", "listing",
     "Kabar Sekolah", "Manasik Haji Siswa Kelas VII"),
])
def test_a_page_that_is_no_article_keeps_the_text_extraction_read(name, url, reason, title, opens):
    page = extract(name, url)
    assert page.article is None and page.reason == reason
    assert page.title == title
    assert page.body is not None and page.body.startswith(opens)
    assert "Beranda" not in page.body            # the menu is not main text


def test_a_page_refused_by_its_address_is_not_read():
    page = extract("verdicts/category_listing.html", "https://mtsn4contoh.sch.id/category/berita/")
    assert page.reason == "listing" and page.title is None and page.body is None


def test_an_articles_page_holds_the_articles_title_and_body():
    page = extract("verdicts/wp_page_dated_article.html", "https://sman1contoh.sch.id/prestasi-osn-2024/")
    assert page.article is not None
    assert (page.title, page.body) == (page.article.title, page.article.body)


def test_an_injected_page_keeps_its_text_but_is_no_article():
    page = extract("cjk/hacked_school_template.html", "https://smpn4contoh.sch.id/louis-vuitton-saifu/")
    assert page.article is None and page.reason.startswith("spam: injected keyword page")
    assert "ルイヴィトンの財布は毎シーズン新作" in page.body


def test_the_non_article_line_adds_title_and_body_after_the_fields_it_had():
    page = extract("verdicts/wp_page_static_dated.html", "https://smkn2contoh.sch.id/profil-sekolah/")
    record = page_record(page, include_all=True)
    assert list(record) == ["url", "source_url", "article", "reason", "title", "body"]
    assert record["article"] is False and record["title"] == "Profil Sekolah"
    assert page_record(page, include_all=False) is None
    refused = page_record(extract("verdicts/magazine_home.html", "https://smkn6contoh.sch.id/"), include_all=True)
    assert refused["reason"] == "home" and refused["title"] is None and refused["body"] is None


def test_warta_extract_all_prints_the_main_text_of_a_static_page():
    if not WARTA.exists():
        pytest.skip(f"{WARTA} not installed (make install)")
    result = subprocess.run([str(WARTA), "extract", "--all", "--url", "https://smkn2contoh.sch.id/profil-sekolah/",
                             str(PAGES / "verdicts" / "wp_page_static_dated.html")],
                            capture_output=True, text=True, check=True)
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["reason"] == "static page" and record["body"].startswith("SMK Negeri 2 Contoh berdiri")
