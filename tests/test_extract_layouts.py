"""Layouts the corpus does not have, hand-written in tests/data/pages/layouts: a magazine theme with a ticker and a
sidebar of dated headlines, a page builder, an old PHP table layout, a forum thread, a long story split over several
blocks, a short story beside a long sidebar, and dateless pages (a story is archived undated, a static page is not)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from scraper.extract import extract_page

LAYOUTS = Path(__file__).parent / "data" / "pages" / "layouts"


@dataclass(frozen=True)
class Layout:
    """A page and what its article must be: title, date, paragraph count, first and last words, absent noise."""

    page: str
    url: str
    title: str
    published: str | None
    paragraphs: int
    opens: str
    closes: str
    noise: tuple[str, ...]


LAYOUT_CASES = [
    Layout("magazine.html", "https://sman4contoh.sch.id/tim-robotik-lolos-final-nasional/",
           "Tim Robotik SMAN 4 Contoh Lolos ke Final Nasional", "2025-11-14",   # not the header's today, no sidebar
           4, "Tim robotik SMAN 4 Contoh memastikan", "membawa pulang gelar juara.",
           ("Terkini", "Jadwal PTS", "Donor Darah", "Terpopuler", "Dibaca 312")),
    Layout("pagebuilder.html", "https://smpn3contoh.sch.id/peringatan-hari-guru-nasional/",
           "Peringatan Hari Guru Nasional di SMPN 3 Contoh", "2025-11-25",
           4, "Suasana haru", "mendidik mereka setiap hari.", ("Kabar lainnya", "Pramuka", "Diterbitkan")),
    Layout("oldphp_table.html", "https://smkn2contoh.sch.id/index.php?page=berita&id=42",
           "Siswa Praktik Kerja Lapangan di Bengkel Resmi", "2025-02-03",
           3, "Sebanyak empat puluh siswa", "keselamatan kerja di bengkel.",
           ("MENU UTAMA", "pengunjung", "Ujian Kompetensi", "Kembali ke daftar", "SELAMAT DATANG")),
    Layout("forum.html", "https://forum.sman9contoh.sch.id/thread/812-jadwal-remedial-matematika",
           "Pengumuman Jadwal Remedial Matematika", "2025-03-10T07:30:00+07:00",
           2, "Bagi siswa kelas X", "mohon hadir tepat waktu.", ("latihan basket", "Bergabung", "Rina")),
    Layout("long_split.html", "https://man1contoh.sch.id/kabar/studi-wisata-yogyakarta/",
           "Catatan Perjalanan Studi Wisata ke Yogyakarta", "2025-02-20T10:00:00+07:00",
           6, "Pukul empat pagi", "pekan literasi bulan depan.",
           ("PPDB", "brosur", "Baca juga", "Kaligrafi", "Manasik")),
    Layout("short_sidebar.html", "https://sdn5contoh.sch.id/kabar/libur-semester-dimajukan",
           "Libur Semester Dimajukan Satu Hari", "2025-12-12",
           2, "Libur semester ganjil dimajukan", "mulai pukul delapan pagi.", ("Class meeting", "Mewarnai")),
    Layout("dateless_article.html", "https://smkkesehatancontoh.sch.id/kelas-inspirasi-alumni/",
           "Kelas Inspirasi Bersama Alumni Perawat", None,                      # archived undated, not dropped
           3, "Tiga alumni", "dipandu langsung oleh para alumni.", ("Tentang Kami", "SMK Kesehatan Contoh")),
]


def extract(name: str, url: str):
    return extract_page((LAYOUTS / name).read_bytes(), url, tz="Asia/Jakarta")


@pytest.mark.parametrize("case", LAYOUT_CASES, ids=lambda case: case.page)
def test_the_story_is_found_whole_and_alone(case: Layout):
    result = extract(case.page, case.url)
    article = result.article
    assert article is not None, result.reason
    assert article.title == case.title
    assert article.published == case.published
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == case.paragraphs, paragraphs
    assert paragraphs[0].startswith(case.opens) and paragraphs[-1].endswith(case.closes)
    for noise in case.noise:
        assert noise not in article.body
    assert article.language == "id"


@pytest.mark.parametrize(("page", "url"), [
    ("dateless_static.html", "https://smkkesehatancontoh.sch.id/program-unggulan/"),   # the menu links to it
    ("dateless_welcome.html", "https://smpn8contoh.sch.id/kata-sambutan/"),            # its title names one
])
def test_a_dateless_static_page_is_not_archived(page: str, url: str):
    result = extract(page, url)
    assert result.article is None and result.reason == "static page"
