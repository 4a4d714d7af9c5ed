"""The article's language comes from the text (CLD2 when it is sure, else fastText's compact model), not a
constant."""

from __future__ import annotations

import pytest

from scraper.extract import extract_page, language
from scraper.extract.language import DEFAULT_LANGUAGE, detect_language


@pytest.mark.parametrize(("text", "code"), [
    ("Siswa kelas XI mengikuti kegiatan bakti sosial di panti asuhan dekat sekolah bersama para guru pembimbing.",
     "id"),
    ("Students of class XI joined a community service programme at the orphanage near the school with teachers.",
     "en"),
    ("Bocah-bocah padha sinau bebarengan ing kelas, banjur mulih sawise bel muni jam loro awan.", "jv"),
    ("Murid-murid Tahun Enam Sekolah Kebangsaan Taman Melati telah mengadakan majlis jamuan akhir tahun di dewan "
     "sekolah pada hari Jumaat lepas. Guru besar mengucapkan terima kasih kepada ibu bapa.", "ms"),
    ("Barudak kelas genep SD Negeri Sukamaju diajar ngaos di masjid sakola unggal dinten Jumaah. Ibu guru "
     "nyarioskeun yén kagiatan ieu penting pikeun ngawangun ahlak barudak anu saé.", "su"),
    ("شارك طلاب الصف الحادي عشر في نشاط خدمة المجتمع في دار الأيتام القريبة من المدرسة مع معلميهم.", "ar"),
])
def test_languages_school_pages_are_written_in(text, code):
    assert detect_language("", text) == code


def test_too_little_text_keeps_the_sites_language():
    assert detect_language("", "OK") == DEFAULT_LANGUAGE == "id"


def test_too_little_text_does_not_read_the_model(monkeypatch):
    monkeypatch.setattr(language, "_model", None)
    monkeypatch.setattr(language, "load_model", lambda: pytest.fail("the model was read for two letters"))
    assert detect_language("Hi", "OK") == DEFAULT_LANGUAGE


def _no_fasttext(monkeypatch):
    monkeypatch.setattr(language, "_model", None)
    monkeypatch.setattr(language, "load_model", lambda: pytest.fail("fastText was read for a text CLD2 is sure of"))


@pytest.mark.parametrize(("text", "code"), [
    ("Pengumuman penerimaan peserta didik baru tahun pelajaran 2025/2026. Pendaftaran dibuka mulai tanggal 10 Juni "
     "melalui laman resmi sekolah.", "id"),
    ("Bocah-bocah padha sinau bebarengan ing kelas, banjur mulih sawise bel muni jam loro awan.", "jv"),  # CLD2's jw
])
def test_a_text_cld2_is_sure_of_never_reads_fasttext(monkeypatch, text, code):
    _no_fasttext(monkeypatch)
    assert detect_language("", text) == code


MIXED = ("Schulfest am Gymnasium. Am Samstag feierten die Schüler der zehnten Klasse ihr Sommerfest auf dem Schulhof "
         "mit den Eltern und Lehrern. The school band played songs like Here comes the sun and we are the champions "
         "for everyone who came.")


def test_a_mixed_text_is_left_to_fasttext():
    # CLD2 reads it as 59% English, 40% German; fastText finds the German story it is
    assert language._cld2_language(MIXED) is None
    assert detect_language("", MIXED) == "de"


def test_text_cld2_refuses_is_left_to_fasttext():
    text = "Students of class XI\x01 joined a community service programme at the orphanage near the school."
    assert language._cld2_language(text) is None  # CLD2 rejects control characters as invalid UTF-8
    assert detect_language("", text) == "en"


def test_an_english_article_is_archived_as_english():
    html = (b"<html><head><title>Graduation Day 2025 - SMA Contoh</title>"
            b"<meta property='article:published_time' content='2025-06-14T09:00:00+07:00'></head><body>"
            b"<h1>Graduation Day 2025</h1><div class='content'><p>Two hundred students of the international class "
            b"celebrated their graduation with parents and teachers in the school hall on Saturday morning.</p>"
            b"<p>The principal thanked the parents for their support and wished the graduates success at "
            b"university and in their careers.</p></div></body></html>")
    article = extract_page(html, "https://smacontoh.sch.id/graduation-day-2025/").article
    assert article is not None and article.language == "en"
