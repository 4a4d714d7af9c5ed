"""Kinds of date evidence on pages of themes warta was not written for (hand-written pages: tests/data/pages/dates)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scraper.extract import extract_page
from scraper.extract.dating import _LOWER_HIDES, _MODIFIED_LABEL, _STAMP_LABELS

DATES = Path(__file__).parent / "data" / "pages" / "dates"
CAPTURED = "2026-12-01T02:00:00Z"


def published(name: str, url: str, replace: tuple[str, str] = ("", "")):
    content = (DATES / name).read_text(encoding="utf-8").replace(*replace).encode()
    page = extract_page(content, url, fetched_at=CAPTURED)
    return page.published


def test_a_structured_date_weeks_after_the_dated_permalink_is_a_republication() -> None:
    found = published("republished.html", "https://sman7contoh.sch.id/2019/12/20/pentas-seni-akhir-tahun/")
    assert found is not None and (found.value, found.source) == ("2019-12-20", "url")
    # a day or two after the permalink's day is when the newsroom published what it filed
    found = published("republished.html", "https://sman7contoh.sch.id/2021/02/28/pentas-seni-akhir-tahun/")
    assert found is not None and (found.value[:10], found.source) == ("2021-03-02", "jsonld")
    # without a dated permalink the structured date stands
    found = published("republished.html", "https://sman7contoh.sch.id/pentas-seni-akhir-tahun/")
    assert found is not None and found.source == "jsonld"


@pytest.mark.parametrize(("printed", "source"), [
    ("Veröffentlicht am 06.01.2022", "meta"),    # the page prints the <meta>'s day
    ("Veröffentlicht am 04.01.2022", "jsonld"),  # ... or the JSON-LD's
    ("Schulfest", "jsonld"),                     # printing neither: JSON-LD first, as when they agree
])
def test_disagreeing_structured_dates_are_settled_by_the_day_the_page_prints(printed: str, source: str) -> None:
    found = published("disagreeing.html", "https://gymnasium.example/aktuelles/schulfest",
                      ("Veröffentlicht am 06.01.2022", printed))
    assert found is not None and found.source == source


def test_a_dateline_below_a_byline_below_a_photo_credit() -> None:
    found = published("credit_byline.html", "https://stadtmagazin.example/gedenken")
    assert found is not None and (found.value, found.source) == ("2022-01-27", "dateline")
    # two short lines before the byline: the third paragraph's date is no dateline
    found = published("credit_byline.html", "https://stadtmagazin.example/gedenken",
                      ("<p>Foto: Ulrike Beispiel</p>", "<p>Foto: Ulrike Beispiel</p><p>Bild 1 von 3</p>"))
    assert found is None or found.source != "dateline"


def test_chinese_japanese_and_korean_dates() -> None:
    found = published("cjk.html", "https://blog.example.jp/mihon/e/5d8c31a6")
    assert found is not None and found.value == "2020-07-03"
    found = published("cjk.html", "https://blog.example.jp/mihon/e/5d8c31a6",
                      ("2020年07月03日", "投稿日2020년 7월 3일"))
    assert found is not None and found.value == "2020-07-03"


@pytest.mark.parametrize("lead", ["mit Wirkung zum", "gültig ab", "effective", "à partir du", "hasta el"])
def test_a_date_something_takes_effect_on_is_no_dateline(lead: str) -> None:
    found = published("effective.html", "https://verein.example/news/neue-schulleitung", ("mit Wirkung zum", lead))
    assert found is None or found.source != "dateline"
    found = published("effective.html", "https://verein.example/news/neue-schulleitung", ("mit Wirkung zum", "am"))
    assert found is not None and (found.value, found.source) == ("2015-09-01", "dateline")


@pytest.mark.parametrize("profile", ["/userinfo.php?uid=6", "/user/6", "/memberlist.php?mode=viewprofile&u=6"])
def test_the_meta_line_keeps_its_date_beside_a_link_to_the_authors_profile(profile: str) -> None:
    found = published("author_link.html", "https://verein.example/modules/news/article.php?storyid=504",
                      ("/userinfo.php?uid=6", profile))
    assert found is not None and (found.value, found.source) == ("2015-08-25T22:30:00+07:00", "label")


@pytest.mark.parametrize(("line", "expected"), [
    ("Aktualisiert: 30.12.2016", "2016-12-30"),
    ("[Stand: 09.10.2017, 01:40 Uhr]", "2017-10-09T01:40:00+07:00"),
    ("This page was last edited on 25 October 2020, at 14:09.", "2020-10-25T14:09:00+07:00"),
    ("Diese Seite wurde zuletzt am 29. Januar 2020 um 10:19 Uhr bearbeitet.", "2020-01-29"),
    ("Dernière modification de cette page le 3 mars 2021 à 10:19.", "2021-03-03"),
    ("Copyright © 19.12.2019 - 12:14 h by Beispiel e.V.", "2019-12-19T12:14:00+07:00"),
    # a copyright named in the text, and the last change before the copyright line
    ("measures under article 11 of the WIPO copyright treaty adopted on 20 December 1996, or similar laws", None),
    ("Copyright © 19.12.2019 Beispiel e.V., alle Rechte vorbehalten. Aktualisiert: 30.12.2016", "2016-12-30"),
    ("Aktualisiert: Dezember 2016", None),          # no whole date
    ("Aktualisiert: 01.12.2026", None),            # the capture day (a clock, not a stamp)
    ("Aktualisiert von der Redaktion im Auftrag des Vorstands am 30.12.2016", None),  # far from its label
    # labels in capitals, also with letters that `str.lower` does not give back as the label's (Turkish `İ`)
    ("AKTUALISIERT: 30.12.2016", "2016-12-30"),
    ("AKTUALİSİERT: 30.12.2016", "2016-12-30"),
    ("COPYRIGHT (C) 19.12.2019 - 12:14 h", "2019-12-19T12:14:00+07:00"),
])
def test_a_last_modified_or_copyright_line_dates_a_page_with_nothing_else_weakly(line: str, expected) -> None:
    found = published("stamp_only.html", "https://beispiel.example/informationen/kinderarbeit/",
                      ("Aktualisiert: 30.12.2016", line))
    assert (found.value if found else None) == expected
    assert found is None or (found.weak and found.source == "text")


def test_a_stamp_line_never_outranks_the_pages_own_date() -> None:
    found = published("stamp_only.html", "https://beispiel.example/informationen/kinderarbeit/",
                      ("<h1>Kinderarbeit weltweit</h1>",
                       "<h1>Kinderarbeit weltweit</h1><p>Veröffentlicht am 3. März 2015</p>"))
    assert found is not None and found.value == "2015-03-03"


def test_a_date_in_a_later_sentence_of_the_first_paragraph_is_no_dateline() -> None:
    url = "https://verein.example/news/neue-schulleitung"
    later = published("effective.html", url, ("Frau Beispiel mit Wirkung zum 1.9.2015 zur Schulleiterin bestellt.",
                                              "Frau Beispiel übernimmt im neuen Schuljahr die Leitung der "
                                              "Gesamtschule. Laut Beschluss vom 1.9.2015 gilt"))
    assert later is None or later.source != "dateline"
    # an abbreviated title (`Drs.`, `S.Pd.`) ends no sentence
    first = published("effective.html", url, ("Frau Beispiel mit Wirkung zum 1.9.2015",
                                              "Kepala sekolah Drs. H. Ahmad, S.Pd. pada 1.9.2015"))
    assert first is not None and (first.value, first.source) == ("2015-09-01", "dateline")
    # a short first "sentence" is a place or the school's name before the dateline
    place = published("effective.html", url, ("Frau Beispiel mit Wirkung zum 1.9.2015 zur Schulleiterin bestellt.",
                                              "Humas SMAN 1 Contoh. Senin (1/9/2015) – Frau Beispiel bestellt."))
    assert place is not None and (place.value, place.source) == ("2015-09-01", "dateline")


def test_the_headlines_own_sub_line_dates_it_and_the_story_below_does_not() -> None:
    url = "https://handball.example/aktuell/detail/news/zuschauer-kehren-zurueck"
    found = published("headline_subline.html", url)
    assert found is not None and (found.value, found.source) == ("2022-02-02", "label")
    # without the sub-line, the date in the second sentence below the headline is the story's, not the page's
    found = published("headline_subline.html", url, ("<br><small>02.02.2022 • Verband, Presse</small>", ""))
    assert found is None or found.value != "2022-01-28"


def test_an_abbr_whose_title_is_a_date_marks_the_date() -> None:
    url = "https://smpn3contoh.sch.id/index.php/berita/juara-lomba-cerdas-cermat"
    found = published("abbr_title.html", url)
    assert found is not None and found.value == "2017-10-06T04:00:00+07:00"
    # an abbreviation's expansion is no date
    found = published("abbr_title.html", url, ("Jumat, 6 Oktober 2017 04:00", "Jumat"))
    assert found is None


def test_a_footer_by_name_is_the_sites_frame() -> None:
    url = "https://yayasancontoh.or.id/berita/pelatihan-guru-penggerak"
    assert published("site_footer.html", url) is None
    # the same line inside the post's own block is its date
    found = published("site_footer.html", url, ("Diposting oleh Admin", "Diposting oleh Admin, 06 November 2012"))
    assert found is not None and found.value == "2012-11-06"


@pytest.mark.parametrize("line", ["Article mis à jour le 7 janvier 2020.", "Diperbarui 7 Januari 2020",
                                  "Updated on January 7, 2020"])
def test_an_update_line_atop_the_body_is_no_dateline(line: str) -> None:
    found = published("credit_byline.html", "https://stadtmagazin.example/gedenken",
                      ("<p>Foto: Ulrike Beispiel</p>\n<p>Von Claudia Muster</p>\n<p>27.1.2022 - Zum",
                       f"<p>{line}</p><p>Zum"))
    assert found is not None and found.source != "dateline" and found.weak  # at most the page's weak stamp


def test_a_time_element_printing_another_day_than_its_attribute_is_the_printed_day() -> None:
    url = "https://ecole.example/fete-de-l-ecole"
    found = published("time_text.html", url)
    assert found is not None and (found.value, found.source) == ("2019-06-29", "time")
    # printing the attribute's day (or no whole date) keeps the attribute's time
    for text in ("Publié le 3 juillet 2019", "Publié samedi"):
        found = published("time_text.html", url, ("Publié le 29 juin 2019", text))
        assert found is not None and found.text == "2019-07-03T10:18:46Z", text


def test_a_wikis_last_edited_line_in_a_marked_element_is_only_the_pages_stamp() -> None:
    found = published("stamp_only.html", "https://beispiel.example/informationen/kinderarbeit/",
                      ("<p>Aktualisiert: 30.12.2016</p>",
                       "<div id='page-info'>page revision: 8, last edited: <span class='odate'>17 Jun 2018 15:15"
                       "</span></div>"))
    assert found is not None and found.weak and found.value == "2018-06-17T15:15:00+07:00"


@pytest.mark.parametrize(("name", "weak"), [("waktu-posting", False), ("tgl-posting", False), ("tarih", False),
                                             ("keterangan-lain", True)])
def test_classes_naming_a_date_in_indonesian_and_turkish_mark_it(name: str, weak: bool) -> None:
    found = published("marked_words.html", "https://smkn5contoh.sch.id/berita/kunjungan-industri",
                      ("waktu-posting", name))
    assert found is not None and (found.value, found.weak) == ("2025-03-03", weak)


def test_a_date_line_above_the_story_dates_it_and_leaves_the_body() -> None:
    url = "https://smkn1contoh.sch.id/berita/siswa-juara-lks/"
    content = (DATES / "date_line_above_story.html").read_bytes()
    article = extract_page(content, url, fetched_at=CAPTURED).article
    assert article is not None and (article.published, article.published_source) == ("2025-02-03", "dateline")
    assert article.published_text == "Senin, 3 Februari 2025"
    assert article.body.startswith("Siswa jurusan Teknik Kendaraan Ringan")
    # a dateline that opens the story's first sentence is part of it
    opening = content.replace(b"<div>Senin, 3 Februari 2025</div>\n<p>Siswa", b"<p>Samarinda, 3 Februari 2025 - Siswa")
    article = extract_page(opening, url, fetched_at=CAPTURED).article
    assert article is not None and article.published == "2025-02-03"
    assert article.body.startswith("Samarinda, 3 Februari 2025 - Siswa")


def test_every_letter_a_stamp_label_matches_case_blind_either_lowers_to_the_anchors_letter_or_is_looked_for() -> None:
    # the stamp scan skips a label none of whose lower-cased anchors is in the lower-cased page text: sound only
    # if each character the case-blind pattern takes for an anchor's letter lowers to exactly that letter
    letters = sorted({letter for _, _, anchors in _STAMP_LABELS for anchor in anchors for letter in anchor})
    any_letter = re.compile("[" + "".join(map(re.escape, letters)) + "]", re.IGNORECASE)
    hides = set()
    for code in range(0x110000):
        char = chr(code)
        if any_letter.fullmatch(char):
            taken_for = [letter for letter in letters if re.fullmatch(re.escape(letter), char, re.IGNORECASE)]
            if any(char.lower() != letter for letter in taken_for):
                hides.add(char)
    assert hides == set(_LOWER_HIDES.pattern.strip("[]"))


def test_every_word_of_the_modified_label_holds_one_of_the_stamp_scans_anchors() -> None:
    # the anchors are written out beside the label's words: a word added to one and not the other would make the
    # scan skip pages that name it
    label, _, anchors = _STAMP_LABELS[0]
    words = re.fullmatch(r"\\b\(\?:(.*)\)\\b", _MODIFIED_LABEL.pattern).group(1).split("|")
    assert len(words) > 20
    for word in words:
        written = word.replace("[ds]?", "")
        assert label.search(written) and any(anchor in written.lower() for anchor in anchors), word


@pytest.mark.parametrize(("printed", "expected"), [
    ("12 Januari 2022", ("2022-01-12", "label")),             # the revision's day, as the meta line gives it
    ("Diperbarui 12 Januari 2022", ("2021-11-29", "jsonld")),  # an `updated` line: the publication date stands
    ("3 Januari 2022", ("2021-11-29", "jsonld")),              # the day of neither stamp
])
def test_a_revised_story_shown_with_its_modified_day_is_dated_as_shown(printed: str, expected) -> None:
    found = published("revised.html", "https://sman3contoh.sch.id/berita/tim-debat-juara-provinsi",
                      ("12 Januari 2022", printed))
    assert found is not None and (found.value[:10], found.source) == expected and not found.weak


@pytest.mark.parametrize(("replace", "expected"), [
    (("", ""), ("2022-01-27", "time")),  # a bare `date` <meta>: the day the article's meta line shows
    (('name="date"', 'property="article:published_time"'), ("2022-01-21", "meta")),  # a name that says publication
    (("27.01.2022", "21.01.2022"), ("2022-01-21", "meta")),  # the same day: the <meta> and its time stand
])
def test_a_generic_date_meta_gives_way_to_the_date_the_article_shows(replace: tuple[str, str], expected) -> None:
    found = published("generic_meta.html", "https://realschule.example/aktuelles/projektwoche-klimaschutz",
                      replace)
    assert found is not None and (found.value[:10], found.source) == expected
