"""Layouts the corpus does not have, hand-written in tests/data/pages/layouts: a magazine theme with a ticker and a
sidebar of dated headlines, a page builder, an old PHP table layout, a forum thread, a long story split over several
blocks, a short story beside a long sidebar, and dateless pages (a story is archived undated, a static page is not)."""

from __future__ import annotations

from pathlib import Path

from scraper.extract import extract_page

LAYOUTS = Path(__file__).parent / "data" / "pages" / "layouts"


def extract(name: str, url: str):
    return extract_page((LAYOUTS / name).read_bytes(), url, tz="Asia/Jakarta")


def paragraphs(body: str) -> list[str]:
    return body.split("\n\n")


def test_magazine_theme_keeps_the_story_and_drops_ticker_and_sidebar_headlines():
    result = extract("magazine.html", "https://sman4contoh.sch.id/tim-robotik-lolos-final-nasional/")
    article = result.article
    assert article is not None, result.reason
    assert article.title == "Tim Robotik SMAN 4 Contoh Lolos ke Final Nasional"
    assert article.published == "2025-11-14"          # not the header's today, not a sidebar date
    body = paragraphs(article.body)
    assert len(body) == 4 and body[0].startswith("Tim robotik SMAN 4 Contoh memastikan")
    assert body[-1].endswith("membawa pulang gelar juara.")
    for noise in ("Terkini", "Jadwal PTS", "Donor Darah", "Terpopuler", "Dibaca 312"):
        assert noise not in article.body
    assert article.language == "id"


def test_page_builder_modules_are_joined_without_the_button_and_posts_widget():
    article = extract("pagebuilder.html", "https://smpn3contoh.sch.id/peringatan-hari-guru-nasional/").article
    assert article is not None
    assert article.title == "Peringatan Hari Guru Nasional di SMPN 3 Contoh"
    assert article.published == "2025-11-25"
    body = paragraphs(article.body)
    assert len(body) == 4, body
    assert body[0].startswith("Suasana haru") and body[-1].endswith("mendidik mereka setiap hari.")
    assert "Kabar lainnya" not in article.body and "Pramuka" not in article.body


def test_old_php_table_layout_reads_the_middle_cell_not_the_menus_and_counters():
    article = extract("oldphp_table.html", "https://smkn2contoh.sch.id/index.php?page=berita&id=42").article
    assert article is not None
    assert article.title == "Siswa Praktik Kerja Lapangan di Bengkel Resmi"
    assert article.published == "2025-02-03"
    body = paragraphs(article.body)
    assert body[0].startswith("Sebanyak empat puluh siswa") and body[-1].endswith("keselamatan kerja di bengkel.")
    for noise in ("MENU UTAMA", "pengunjung", "Ujian Kompetensi", "Kembali ke daftar", "SELAMAT DATANG"):
        assert noise not in article.body


def test_forum_thread_is_the_first_post_without_the_replies():
    article = extract("forum.html", "https://forum.sman9contoh.sch.id/thread/812-jadwal-remedial-matematika").article
    assert article is not None
    assert article.title == "Pengumuman Jadwal Remedial Matematika"
    assert article.published == "2025-03-10T07:30:00+07:00"
    body = paragraphs(article.body)
    assert len(body) == 2 and body[0].startswith("Bagi siswa kelas X")
    assert "latihan basket" not in article.body and "Bergabung" not in article.body


def test_long_story_split_over_blocks_is_read_whole_without_the_promos_between():
    article = extract("long_split.html", "https://man1contoh.sch.id/kabar/studi-wisata-yogyakarta/").article
    assert article is not None
    assert article.title == "Catatan Perjalanan Studi Wisata ke Yogyakarta"
    body = paragraphs(article.body)
    assert len(body) == 6, body
    assert body[0].startswith("Pukul empat pagi") and body[-1].endswith("pekan literasi bulan depan.")
    for noise in ("PPDB", "brosur", "Baca juga", "Kaligrafi", "Manasik"):
        assert noise not in article.body


def test_short_story_beside_a_long_sidebar_of_agenda_text_is_the_story():
    article = extract("short_sidebar.html", "https://sdn5contoh.sch.id/kabar/libur-semester-dimajukan").article
    assert article is not None
    assert article.title == "Libur Semester Dimajukan Satu Hari"
    assert article.published == "2025-12-12"
    body = paragraphs(article.body)
    assert len(body) == 2 and body[0].startswith("Libur semester ganjil dimajukan")
    assert "Class meeting" not in article.body and "Mewarnai" not in article.body


def test_a_dateless_story_is_archived_without_a_date():
    article = extract("dateless_article.html", "https://smkkesehatancontoh.sch.id/kelas-inspirasi-alumni/").article
    assert article is not None
    assert article.title == "Kelas Inspirasi Bersama Alumni Perawat"
    assert (article.published, article.published_source) == (None, None)
    assert len(paragraphs(article.body)) == 3 and article.body.startswith("Tiga alumni")


def test_a_dateless_page_the_menu_links_to_is_a_static_page():
    result = extract("dateless_static.html", "https://smkkesehatancontoh.sch.id/program-unggulan/")
    assert result.article is None and result.reason == "static page"
