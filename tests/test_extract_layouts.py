"""Layouts the corpus does not have, hand-written in tests/data/pages/layouts: a magazine theme with a ticker and a
sidebar of dated headlines, a page builder, an old PHP table layout, a forum thread, a long story split over several
blocks, a lead under the headline with the story's parts each in its own wrapper further down, a story in grid rows
whose first row carries a rail of most-read links, a page builder's one- paragraph cards (short ones too) beside an
author card, a story with a slideshow figure (its controls and a promotion go, its caption stays) and
follow/subscribe lines, a guide whose sections are anchored by their headings' slugs (`bagikan-tugas-...`: a name
like a share row's, but the section's own), a story printed twice (a teaser part and a continued part holding it
again), a short story beside a long sidebar, a list article whose sub-headings link to other pages (not a listing),
a story with hidden parts (a closed pop-up, a print-only line) on a theme that fades the whole page in from
`display: none`, a story told in a table of text (its longest cell is the chosen block; a layout table with a header
row of `<th>` cells around a menu, the story and a footer is not one), a story whose list of points sits in a
wrapper of its own between the parts, a story whose lead is a `<span>` of text and line breaks beside its
paragraphs, a short lead paragraph above the story's photo, links in the middle of a sentence (wrapped in a `<span>`, or
named `popup` by a script), a theme's timestamp lines at the ends of the story (an agenda's date inside it stays),
a short story above other stories' teasers (linked headlines with blurbs, in wrappers without telling names), a
short story ending in a dated schedule above a comment thread without telling names (each comment a name and date,
then a paragraph), an old PHP CMS's story cell of loose text and `<br>`s ending in loose link rows (`Cetak | Kirim ke
teman`, other stories with their dates under `Berita Lainnya:`), a story holding a newsletter sign-up box (an
e-mail field with its lines, outside any `<form>`) beside a poll, headlines the `<title>` names only in part (a
kicker and the title in two spans of one `<h1>`; a `<title>` whose first words a bold name in the lead repeats; a
headline also declared as `application-name` beside a header `<h1>`; an old CMS's `<title>` naming only the site
and the section, the story's headline a bold line opening its cell; a logo `<h1>` printed in two headers beside the
story's `<h1>` under a different `<title>`), a lead set in a `<div>` above the story's photo and parts that the
page's og:description repeats (read first; a one-line tagline so repeated, and a short subtitle in the headline's
`<header>`, stay out; a lead of two sentences set as an `<h2>` is read; so is a lead sentence in a wrapper of its
own above the story, while such a line below it, a theme's note, stays out), a lead in a wrapper of its
own five levels above the story's text beside a rail of links (read first), a story beside a privacy notice shown
as a dialog (by its `role`) and terms of use in a `modal` (both long prose, neither the story), a recipe whose
steps sit beside a cooking-time line, under its intro and list of ingredients (all joined, the line left out), a
story in bare `<div><div>` wrappers beside a site's note built the same way (no class: not a part of the story), a
story with a
gallery set between its paragraphs (slides with counters and captions,
cut-short copies of them, controls: all go; a gallery page's captions are its story and stay), a how-to whose
steps are blocks built alike (the first with a modifier class on its inner block, each step ending in its photo's
caption, without a full stop), a story whose parts are rows straight in `<body>` (joined, without the page's
header and footer), a story whose block ends in a theme's short lines (`Kategori ...`, `Kembali ke atas`: they go,
the sign-off paragraph `(Humas ...)` stays), a story ending in a list of short lines that a sentence ending in `:`
introduces (it stays), a post a theme renders from a `<script type="text/template">` whose only
readable copy is a `<noscript>` (kept; a page's "enable JavaScript" line is not), a
first paragraph holding a person's pop-up card of links on their name (the card goes, the paragraph stays), and
dateless pages (a story is archived undated, also when the menu's drop- down toggles, an icon link or a menu of
recent headlines link to it; a static page is not)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.extract import extract_page
from scraper.extract.content import without_timestamps

LAYOUTS = Path(__file__).parent / "data" / "pages" / "layouts"
# Per page: URL, title, published, paragraph count, the first paragraph's start, the last one's end, and text that
# must be absent (ticker, sidebar headlines, promos, replies, counters...).
EXPECTED = json.loads((LAYOUTS / "expected.json").read_text(encoding="utf-8"))


def extract(name: str, url: str):
    return extract_page((LAYOUTS / name).read_bytes(), url, tz="Asia/Jakarta")


@pytest.mark.parametrize("case", EXPECTED, ids=lambda case: case["page"])
def test_the_story_is_found_whole_and_alone(case: dict):
    result = extract(case["page"], case["url"])
    article = result.article
    assert article is not None, result.reason
    assert article.title == case["title"]
    assert article.published == case["published"]
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == case["paragraphs"], paragraphs
    assert paragraphs[0].startswith(case["opens"]) and paragraphs[-1].endswith(case["closes"])
    for absent in case["absent"]:
        assert absent not in article.body
    assert article.language == "id"


@pytest.mark.parametrize(("page", "url"), [
    ("dateless_static.html", "https://smkkesehatancontoh.sch.id/program-unggulan/"),   # the menu links to it
    ("dateless_welcome.html", "https://smpn8contoh.sch.id/kata-sambutan/"),            # its title names one
])
def test_a_dateless_static_page_is_not_archived(page: str, url: str):
    result = extract(page, url)
    assert result.article is None and result.reason == "static page"


def test_a_configured_body_selector_is_taken_as_it_is():
    content = (LAYOUTS / "long_split.html").read_bytes()
    article = extract_page(content, "https://man1contoh.sch.id/kabar/studi-wisata-yogyakarta/",
                           selectors={"body": "div.story-part"}).article
    assert article is not None and article.body.split("\n\n")[0].startswith("Pukul empat pagi")
    assert len(article.body.split("\n\n")) == 2       # the first part only: no joining of the other parts


@pytest.mark.parametrize(("body", "expected"), [
    ("16:56\n\nPasukan tiba di lokasi.\n\n16:48\n\nWarga mengungsi.\n\n9:27 am\n\nJalan ditutup.",
     "Pasukan tiba di lokasi.\n\nWarga mengungsi.\n\nJalan ditutup."),     # a live blog's clock lines
    ("Acara dimulai.\n\nPukul 08.00 WIB\n\nPembukaan.", "Acara dimulai.\n\nPukul 08.00 WIB\n\nPembukaan."),
    ("Sekolah libur 6 Juni 2025.", "Sekolah libur 6 Juni 2025."),                 # a sentence, not a meta line
    ("Sabtu, 04 Mei 2024 - 09:15 WIB | Dibaca: 532 kali\n\nSiswa dilepas.\n\nAcara selesai.\n\nDilihat 87x",
     "Siswa dilepas.\n\nAcara selesai."),                                     # meta lines with a view counter
    ("Siswa dilepas.\n\nJadwal:\n\nDaftar ulang: 18 Juni 2025\n\nMasuk: 14 Juli 2025",
     "Siswa dilepas.\n\nJadwal:\n\nDaftar ulang: 18 Juni 2025\n\nMasuk: 14 Juli 2025"),   # a schedule's end
    ("Pidato kepala sekolah.\n\n— Humas (@smpn3) 3 November 2025",
     "Pidato kepala sekolah.\n\n— Humas (@smpn3) 3 November 2025"),            # an embedded post's signature
])
def test_timestamp_lines_leave_the_body(body: str, expected: str):
    assert without_timestamps(body) == expected
