"""The trim of a theme's short lines after the story (scraper/extract/trim.py), on paragraphs written here; the
layouts test reads it on whole pages (tail_lines.html, list_at_end.html)."""

from __future__ import annotations

from scraper.extract.trim import without_tail

STORY = ["Sebanyak dua ratus siswa menanam seribu bibit pohon di bantaran sungai bersama relawan lingkungan.",
         "Setiap kelas merawat bibit di satu petak hingga tumbuh besar, dengan jadwal penyiraman per kelompok."]


def test_short_lines_after_the_last_prose_paragraph_go():
    assert without_tail([*STORY, "Kategori Berita Sekolah", "Kembali ke atas"], set(), set) == STORY


def test_a_row_of_links_goes_however_it_ends():
    row = "Pramuka, OSIS, Lomba Sains."
    assert without_tail([*STORY, row], {"Pramuka", "OSIS", "Lomba Sains"}, set) == STORY


def test_a_short_sentence_ends_the_story():
    lines = [*STORY, "Semoga bermanfaat bagi kita semua."]
    assert without_tail(lines, set(), set) == lines


def test_a_paragraph_of_the_authors_own_stays():
    lines = [*STORY, "(Humas SMAN 5 Contoh)", "Kembali ke atas"]
    assert without_tail(lines, set(), lambda: {"(Humas SMAN 5 Contoh)"}) == lines[:3]


def test_a_list_introduced_by_a_colon_stays():
    lines = [*STORY, "Berikut jadwal kegiatan selama sepekan:", "Senin pembukaan", "Selasa lomba menulis"]
    assert without_tail(lines, set(), set) == lines


def test_a_long_run_of_short_lines_is_a_list_and_stays():
    lines = [*STORY, *(f"Juni {day} Gedung Serbaguna Kota" for day in range(1, 9))]
    assert without_tail(lines, set(), set) == lines


def test_a_page_of_short_lines_only_stays():
    lines = ["Senin upacara", "Selasa olahraga", "Rabu pramuka"]
    assert without_tail(lines, set(), set) == lines
