"""The article's language comes from the text (fastText's compact model), not a constant."""

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


def test_an_english_article_is_archived_as_english():
    html = (b"<html><head><title>Graduation Day 2025 - SMA Contoh</title>"
            b"<meta property='article:published_time' content='2025-06-14T09:00:00+07:00'></head><body>"
            b"<h1>Graduation Day 2025</h1><div class='content'><p>Two hundred students of the international class "
            b"celebrated their graduation with parents and teachers in the school hall on Saturday morning.</p>"
            b"<p>The principal thanked the parents for their support and wished the graduates success at "
            b"university and in their careers.</p></div></body></html>")
    article = extract_page(html, "https://smacontoh.sch.id/graduation-day-2025/").article
    assert article is not None and article.language == "en"
