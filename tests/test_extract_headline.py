"""The headline's choice on small hand-written pages: which element the `<title>` and og:title name."""

from selectolax.lexbor import LexborHTMLParser

from scraper.extract.headline import find_title, site_names


def _title(body: str, document_title: str, og_title: str = "", names: frozenset[str] = frozenset()) -> str:
    tree = LexborHTMLParser(f"<html><body>{body}</body></html>")
    return find_title(tree, document_title, og_title, names, None).text


def test_a_bold_name_that_only_starts_the_titles_sentence_is_no_headline():
    body = ("<h1>Tiga Puluh Lima Tahun Mengajar, Pak Darmono Pamit</h1>"
            "<p><strong>Pak Darmono</strong>, guru Bahasa Indonesia, pensiun.</p>")
    assert _title(body, "Pak Darmono Pensiun, Guru Teladan - SMPN 2") == \
        "Tiga Puluh Lima Tahun Mengajar, Pak Darmono Pamit"


def test_a_heading_ending_at_the_titles_punctuation_is_named_on_cjk_sites_too():
    headline = "这个约会软件想帮你找对象"
    assert _title(f"<h2>{headline}</h2><h2>相关文章推荐</h2>", f"{headline}_智能_好奇心日报") == headline
    assert _title("<h3>Lomba Pidato Bahasa Inggris</h3><h3>Terbaru</h3>", "Lomba Pidato Bahasa Inggris | SMAN 1") == \
        "Lomba Pidato Bahasa Inggris"


def test_a_kicker_and_title_in_two_spans_give_the_whole_spaced_headline():
    body = '<h1><span class="rubrik">Prestasi</span><span class="title">Siswa Juara Olimpiade Sains</span></h1>'
    assert _title(body, "Prestasi: Siswa Juara Olimpiade Sains | SMAN 6", "Prestasi: Siswa Juara Olimpiade Sains") \
        == "Prestasi: Siswa Juara Olimpiade Sains"


def test_quotes_the_title_adds_do_not_hide_the_heading():
    body = "<h1>The New Republic</h1><h1>Fantastic Beasts: A Nice Place to Visit</h1>"
    assert _title(body, "‘Fantastic Beasts’: A Nice Place to Visit | The New Republic") == \
        "Fantastic Beasts: A Nice Place to Visit"


def test_only_the_first_declared_site_name_counts():
    names = site_names(["SMAN 8 Contoh", "Pendaftaran Ekstrakurikuler Robotik Dibuka"], [], "https://a.sch.id/x/")
    assert names == frozenset({"sman 8 contoh"})
    assert site_names(["", "SMAN 8"], [], "https://a.sch.id/x/") == frozenset({"sman 8"})


def test_a_title_naming_site_and_section_gives_the_bold_line_opening_the_story():
    body = ('<table><tr><td><b>SELAMAT DATANG</b></td></tr><tr><td><a href="?p=berita">Berita</a></td><td>'
            "<b>Siswa Ikuti Lomba Cerdas Cermat</b><br>" + "Tiga siswa kelas delapan mewakili sekolah. " * 8 +
            "</td></tr></table>")
    assert _title(body, "SMP Negeri 7 - Berita") == "Siswa Ikuti Lomba Cerdas Cermat"
    listing = body.replace("<b>Siswa Ikuti Lomba Cerdas Cermat</b>", "".join(
        f'<b><a href="?id={i}">Kabar Sekolah Nomor {i}</a></b><br>' for i in range(4)))
    assert _title(listing, "SMP Negeri 7 - Berita") == "SMP Negeri 7 - Berita"


def test_an_h1_printed_twice_is_the_template_and_the_other_h1_is_the_headline():
    body = "<h1>SMK Negeri 3</h1><h1>SMK Negeri 3</h1><h1>Siswa Belajar di Lini Perakitan</h1>"
    assert _title(body, "Kunjungan Industri 2025") == "Siswa Belajar di Lini Perakitan"
