"""Platforms and themes the corpus does not have: hand-written pages in tests/data/pages in the markup of
Blogger, a WordPress SEO theme, Joomla, a multi-tenant school SaaS and custom CMSes, with the usual traps."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.extract import classify, extract_page

PAGES = Path(__file__).parent / "data" / "pages"


def page(name: str, url: str, tz: str = "Asia/Jakarta"):
    return extract_page((PAGES / name).read_bytes(), url, tz=tz)


def test_blogger_post_uses_the_exact_timestamp_and_labels_as_categories():
    result = page("blogger.html", "https://smpn2contoh.blogspot.com/2015/11/lomba-pidato-bahasa-inggris.html")
    article = result.article
    assert result.cms == "blogger" and article is not None
    assert article.title == "Lomba Pidato Bahasa Inggris Tingkat Kabupaten"
    assert article.published == "2015-11-27T10:00:00+07:00" and article.published_source == "time"
    assert article.categories == ["Berita", "Prestasi"]
    assert article.author == "Admin Sekolah"
    assert article.body.count("\n\n") == 2 and article.body.startswith("Siswa SMP Negeri 2 Contoh")
    assert "komentar" not in article.body.lower() and "Postingan Populer" not in article.body
    assert result.feeds == ["https://smpn2contoh.blogspot.com/feeds/posts/default"]


def test_blogger_post_in_another_zone_is_converted_to_the_site_offset():
    article = page("blogger.html", "https://smpn2contoh.blogspot.com/2015/11/lomba-pidato-bahasa-inggris.html",
                   tz="Asia/Makassar").article
    assert article.published == "2015-11-27T11:00:00+08:00"


def test_seo_theme_prefers_json_ld_and_ignores_comments_share_related_and_header_date():
    result = page("wpseo.html", "https://sman1contoh.sch.id/?p=77")
    article = result.article
    assert result.url == "https://sman1contoh.sch.id/2025/05/03/pelepasan-siswa-kelas-xii-tahun-2025/"
    assert article.url == result.url and article.source_url == "https://sman1contoh.sch.id/?p=77"
    assert article.published == "2025-05-03T08:15:00+07:00" and article.published_source == "jsonld"
    assert article.modified == "2025-05-04T09:00:00+07:00"
    assert article.categories == ["Berita"] and article.tags == ["kelulusan"]
    assert article.author == "Humas"
    for noise in ("Bagikan", "Terkait", "Selamat untuk para lulusan", "Pos-pos Terbaru", "Lomba Kebersihan"):
        assert noise not in article.body


def test_joomla_article_with_microdata():
    result = page("joomla.html", "https://smkn2pekan.sch.id/index.php/berita/13-juara-umum")
    article = result.article
    assert result.cms == "joomla"
    assert article.title == "Juara Umum Lomba Sains Tingkat Provinsi"
    assert article.published == "2020-10-01T08:30:00+07:00"
    assert article.categories == ["Berita"] and article.author == "Super User"
    assert "Dilihat" not in article.body and "Sebelumnya" not in article.body


def test_saas_page_with_a_date_line_under_the_title_and_other_news_beside():
    article = page("saas.html", "https://smpn4contoh.sch.id/berita/detail/983699/siswa-ikuti-lomba-cerdas-cermat/"
                   ).article
    assert article.title == "Siswa Ikuti Lomba Cerdas Cermat"
    assert article.published == "2022-11-26" and article.published_source == "label"
    assert "NEWS UPDATE" not in article.body and "Leave a Reply" not in article.body
    assert "Rapat Orang Tua" not in article.body


def test_traps_counter_school_year_today_widget_related_dates_deadline():
    article = page("traps.html", "https://mtsn3contoh.sch.id/berita/32/pengumuman-ekskul").article
    assert article.title == "Pengumuman Pendaftaran Ekstrakurikuler Semester Ganjil"
    assert article.published == "2025-07-14" and article.published_source == "label"
    assert "Diposting pada 14 Juli 2025" in article.published_text
    assert "Baca Juga" not in article.body or "Upacara HUT RI" not in article.body


def test_a_deadline_and_a_today_widget_are_not_a_publication_date():
    result = page("deadline.html", "https://smkn9contoh.sch.id/pengumuman/jadwal-pas")
    assert result.article is not None and result.article.published is None  # archived, but dated by neither


@pytest.mark.parametrize(("name", "url", "reason"), [
    ("listing.html", "https://sdn5contoh.sch.id/berita", "listing"),
    ("listing.html", "https://sdn5contoh.sch.id/index.php?mod=berita", "listing"),
    ("static.html", "https://sdn5contoh.sch.id/visi-misi", "static page"),
])
def test_listings_and_static_pages_of_unknown_cmses(name, url, reason):
    result = page(name, url)
    assert result.article is None and result.reason == reason
    assert result.heading


def test_listing_links_are_resolved_in_document_order():
    result = page("listing.html", "https://sdn5contoh.sch.id/berita")
    urls = [link.url for link in result.links]
    assert urls[:4] == ["https://sdn5contoh.sch.id/", "https://sdn5contoh.sch.id/berita/12/pentas-seni",
                        "https://sdn5contoh.sch.id/berita/11/lomba-mewarnai",
                        "https://sdn5contoh.sch.id/berita/10/kunjungan"]
    assert result.heading == "Berita Sekolah"


def test_configured_selectors_win():
    result = extract_page((PAGES / "saas.html").read_bytes(), "https://smpn4contoh.sch.id/berita/detail/1/x/",
                          selectors={"title": ".section-title", "body": ".news-content", "date": ".news-date"})
    assert result.article.title == "Berita"
    assert result.article.published == "2022-11-26"


def _html(head: str, body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


def test_the_site_name_heading_loses_to_the_post_heading_even_when_longer():
    content = _html("<title>Rapat Komite – Sekolah Menengah Kejuruan Negeri 1 Contoh Raya</title>",
                    "<h1>Sekolah Menengah Kejuruan Negeri 1 Contoh Raya</h1><h2>Rapat Komite</h2>"
                    "<p>Diposting: 2 Februari 2024</p><div><p>Komite sekolah mengadakan rapat bersama orang tua,"
                    " membahas program kerja dan anggaran satu tahun ke depan di aula sekolah.</p></div>")
    assert extract_page(content, "https://smkn1contoh.sch.id/rapat-komite").article.title == "Rapat Komite"


def test_a_one_line_post_marked_up_as_an_article_is_kept():
    content = _html('<title>Libur Idul Adha</title><script type="application/ld+json">'
                    '{"@type": "BlogPosting", "datePublished": "2025-06-05T07:00:00+07:00"}</script>',
                    "<article><h1>Libur Idul Adha</h1><div><p>Sekolah libur 6 Juni 2025.</p></div></article>")
    article = extract_page(content, "https://sdn1contoh.sch.id/libur-idul-adha").article
    assert article is not None and article.body == "Sekolah libur 6 Juni 2025."
    assert article.published == "2025-06-05T07:00:00+07:00" and article.published_source == "jsonld"


def test_not_found_pages_served_with_200_are_soft_404s():
    content = _html("<title>Halaman tidak ditemukan – SMA Contoh</title>",
                    "<h1>Halaman tidak ditemukan</h1><p>Maaf, halaman yang Anda cari tidak ada. Silakan kembali ke "
                    "beranda atau gunakan pencarian, 1 Januari 2025.</p>")
    assert extract_page(content, "https://smacontoh.sch.id/berita-lama").reason == "soft 404"


def test_an_seo_plugin_static_page_with_a_dated_webpage_is_still_a_static_page():
    content = _html('<title>Visi dan Misi – SMA Contoh</title><script type="application/ld+json">{"@graph": '
                    '[{"@type": "WebPage", "datePublished": "2019-09-14T08:57:00+07:00"}]}</script>',
                    "<h1>Visi dan Misi</h1><div><p>Visi: unggul dalam prestasi, santun dalam pekerti, dan peduli "
                    "lingkungan hidup di sekitar sekolah.</p></div>")
    result = extract_page(content, "https://smacontoh.sch.id/visi-dan-misi/")
    assert result.article is None and result.reason == "static page"


def test_page_builder_widgets_are_content_not_sidebars():
    result = page("elementor.html", "https://sman3contoh.sch.id/?p=901")
    article = result.article
    assert result.cms == "generic" and article is not None
    assert article.url == "https://sman3contoh.sch.id/workshop-kurikulum-merdeka/"
    assert article.title == "Workshop Kurikulum Merdeka untuk Guru"
    assert article.published == "2024-01-12" and article.categories == ["Berita"]
    assert article.body.startswith("Sebanyak 48 guru") and article.body.count("\n\n") == 1


def test_invalid_selectors_from_config_are_ignored_not_fatal():
    from scraper.extract import valid_selector

    assert not valid_selector("div >") and not valid_selector("[[") and valid_selector(".news-title")
    result = extract_page((PAGES / "saas.html").read_bytes(), "https://smpn4contoh.sch.id/berita/detail/1/x/",
                          selectors={"title": "[[", "body": "div >"})
    assert result.article.title == "Siswa Ikuti Lomba Cerdas Cermat"


def test_block_editor_columns_and_the_intro_above_them_are_all_body():
    article = page("gutenberg.html", "https://smkn4contoh.sch.id/?p=310", tz="Asia/Makassar").article
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0].startswith("Contoh, Selasa (20/2/2024)")
    assert paragraphs[-1].startswith("Kegiatan ditutup") and len(paragraphs) == 5
    assert "Siswa mendengarkan penjelasan" in article.body  # the caption is part of the story
    assert "Diposting" not in article.body and "Jalan Industri" not in article.body
    assert article.published == "2024-02-20T11:05:00+08:00" and article.categories == ["Kegiatan"]


def test_table_layout_page_with_a_bold_title_and_the_date_line_inside_the_cell():
    article = page("tablelayout.html", "http://sdn9contoh.sch.id/berita.php?id=45", tz="Asia/Makassar").article
    assert article.title == "Pramuka Juara Jambore Daerah"
    assert article.published == "2019-06-10T09:30:00+08:00"  # 08:30 WIB is 09:30 WITA
    assert article.published_source == "label" and article.published_text.startswith("Ditulis:")
    assert article.body.startswith("Regu pramuka") and article.body.endswith("dukungan orang tua dan sekolah.")


def test_relative_dates_in_the_meta_line_resolve_against_the_capture_time():
    content = _html("<title>Rapat Guru Awal Semester - SMP Contoh</title>",
                    "<h1>Rapat Guru Awal Semester</h1><div class='meta'>Diposting 3 hari yang lalu oleh Admin</div>"
                    "<div><p>Rapat guru awal semester membahas pembagian tugas mengajar, jadwal pelajaran, dan "
                    "program kerja sekolah tahun ini.</p></div>")
    url = "https://smpcontoh.sch.id/berita/rapat-guru"
    article = extract_page(content, url, fetched_at="2025-11-22T10:00:00Z").article
    assert article.published == "2025-11-19" and article.published_text.startswith("Diposting 3 hari")
    assert extract_page(content, url).reason == "no publication date"  # no capture time, no reference


def test_comment_dates_inside_the_article_are_not_the_publication_date():
    content = _html("<title>Bakti Sosial OSIS – SMA Contoh</title>",
                    "<article><h2>Bakti Sosial OSIS</h2><div class='isi'><p>Pengurus OSIS membagikan paket sembako "
                    "kepada warga sekitar sekolah, bekerja sama dengan komite dan alumni.</p><p>Kegiatan ini menjadi "
                    "agenda tahunan sekolah, dan tahun ini menjangkau dua ratus keluarga.</p></div>"
                    "<section class='komentar'><ol><li><article class='comment-body'><time datetime="
                    "'2025-03-09T20:00:00+07:00'>9 Maret 2025</time><p>Mantap, semoga berkah untuk semua warga.</p>"
                    "</article></li></ol></section></article>")
    result = extract_page(content, "https://smacontoh.sch.id/berita/bakti-sosial-osis")
    assert result.article is not None and result.article.published is None
    assert "Mantap" not in result.article.body


_EVENT_TIME_IN_TEXT = _html(
    "<title>Jadwal Class Meeting – SMA Contoh</title>",
    "<h1>Jadwal Class Meeting</h1><div class='meta'>Diterbitkan: 2 Desember 2025</div><div class='isi'>"
    "<p>Class meeting akan dilaksanakan pada <time datetime='2025-12-15'>15 Desember 2025</time> sampai dengan "
    "19 Desember 2025 di lapangan sekolah.</p><p>Setiap kelas wajib mengirimkan tim futsal, voli, dan tarik "
    "tambang, serta perwakilan lomba kebersihan kelas.</p></div>")
_TIME_LINKED_TO_DAY_ARCHIVE = _html(
    "<title>Lomba Baca Puisi – SMP Contoh</title>",
    "<article><h1>Lomba Baca Puisi</h1><div class='entry-meta'><a href='https://smpcontoh.sch.id/2024/10/28/'>"
    "<time class='entry-date' datetime='2024-10-28T09:00:00+07:00'>28 Oktober 2024</time></a></div>"
    "<div class='entry-content'><p>Dalam rangka Bulan Bahasa, sekolah menggelar lomba baca puisi yang diikuti "
    "perwakilan setiap kelas.</p><p>Juri berasal dari guru bahasa Indonesia dan pegiat sastra kota.</p></div>"
    "</article>")


@pytest.mark.parametrize(("content", "published", "source"), [
    (_EVENT_TIME_IN_TEXT, "2025-12-02", "label"),  # an event written as <time> in the text is not the date
    (_TIME_LINKED_TO_DAY_ARCHIVE, "2024-10-28T09:00:00+07:00", "time"),  # a link to its own day archive is fine
])
def test_machine_readable_dates_in_and_around_the_text(content, published, source):
    article = extract_page(content, "https://smacontoh.sch.id/berita/contoh/").article
    assert (article.published, article.published_source) == (published, source)


def test_an_immediate_meta_refresh_is_a_redirect_not_an_article():
    content = _html('<meta http-equiv="Refresh" content="0;url=https://smkcontoh.sch.id/"><title>Draf</title>',
                    "<h1>Draf</h1><p>Isi draf yang belum terbit, 3 Maret 2025, tidak boleh diarsipkan oleh warta.</p>")
    assert extract_page(content, "https://smkcontoh.sch.id/read/130/draf").reason == "redirect"


def test_a_blogger_home_page_with_one_blogposting_per_post_is_not_an_article():
    for url in ("https://smpn2contoh.blogspot.com/", "https://smpn2contoh.blogspot.com/?m=1"):
        result = page("blogger_home.html", url)
        assert result.cms == "blogger" and result.article is None and result.reason == "home", url


_PLAIN_POST = _html("<title>Upacara Bendera Hari Senin</title>",
                    "<h1>Upacara Bendera Hari Senin</h1><div><p>Contoh, Senin (3/11/2025) – Upacara bendera "
                    "dilaksanakan dengan petugas dari kelas XI, dipimpin guru piket, dan berjalan tertib.</p></div>")


@pytest.mark.parametrize(("url", "published", "source"), [
    ("https://smkcontoh.sch.id/2025/11/04/upacara-bendera/", "2025-11-04", "url"),   # the permalink wins
    ("https://smkcontoh.sch.id/2025/02/31/upacara-bendera/", "2025-11-03", "dateline"),  # not a real day
    ("https://smkcontoh.sch.id/2025/11/upacara-bendera.html", "2025-11-03", "dateline"),  # month agrees
    ("https://smkcontoh.sch.id/upacara-bendera/", "2025-11-03", "dateline"),
])
def test_permalink_dates_then_the_dateline(url, published, source):
    article = extract_page(_PLAIN_POST, url).article
    assert (article.published, article.published_source) == (published, source)


def test_a_dateline_from_another_month_than_the_permalink_is_not_trusted():
    result = extract_page(_PLAIN_POST, "https://smkcontoh.sch.id/2025/12/upacara-bendera.html")
    assert result.article is None and result.reason == "no publication date"


def test_a_canonical_link_claiming_every_page_is_the_home_page_is_ignored():
    content = (PAGES / "saas.html").read_bytes().replace(
        b"<title>", b'<link rel="canonical" href="https://smpn4contoh.sch.id/"><title>')
    result = extract_page(content, "https://smpn4contoh.sch.id/berita/detail/983699/lomba/")
    assert result.url == "https://smpn4contoh.sch.id/berita/detail/983699/lomba/"
    assert result.article is not None


@pytest.mark.parametrize(("head_title", "headings", "expected"), [
    # an SEO plugin cut the <title> short; the site name is the only h1
    ("Siswa SMK Negeri 1 Contoh Raih Juara Satu Lomba Kompetensi Sis... - SMKN 1 Contoh",
     "<h1>SMK Negeri 1 Contoh</h1><h2>Berita</h2>"
     "<h2>Siswa SMK Negeri 1 Contoh Raih Juara Satu Lomba Kompetensi Siswa Tingkat Provinsi</h2>",
     "Siswa SMK Negeri 1 Contoh Raih Juara Satu Lomba Kompetensi Siswa Tingkat Provinsi"),
    # curly quotes and dashes in <title>, straight ones in the heading
    ("Siswa &#8220;Juara&#8221; Lomba Pidato &#8211; SMPN 1", "<h1>SMPN 1</h1><h2>Siswa \"Juara\" Lomba Pidato</h2>",
     'Siswa "Juara" Lomba Pidato'),
])
def test_headline_matching_survives_cut_titles_and_typography(head_title, headings, expected):
    content = _html(f"<title>{head_title}</title>", f"{headings}<div class='meta'>Diposting: 5 Mei 2025</div><div>"
                    "<p>Siswa meraih juara pada lomba tingkat provinsi, mengalahkan tiga puluh peserta dari sekolah "
                    "lain.</p></div>")
    assert extract_page(content, "https://smkn1contoh.sch.id/berita/juara/").article.title == expected


def test_baca_juga_cross_links_are_not_part_of_the_story():
    content = _html("<title>Pentas Seni Akhir Tahun – SMA Contoh</title>",
                    "<h1>Pentas Seni Akhir Tahun</h1><div class='meta'>Diposting: 12 Juni 2025</div><div>"
                    "<p>Siswa kelas XII menampilkan tari daerah, paduan suara, dan drama musikal di aula sekolah.</p>"
                    "<p><strong>Baca juga:</strong> <a href='/berita/lomba-band'>Lomba Band Antarkelas</a></p>"
                    "<p>Pentas ditutup dengan penampilan guru yang disambut meriah oleh penonton.</p></div>")
    body = extract_page(content, "https://smacontoh.sch.id/berita/pentas-seni/").article.body
    assert "Baca juga" not in body and body.count("\n\n") == 1


@pytest.mark.parametrize("end", [".", "。", "؟", "۔"])
def test_a_dateless_story_reads_as_prose_whatever_script_ends_its_sentences(end: str):
    # pesantren pages end Arabic-script paragraphs with `؟` or `۔`; the check is the shape, not the alphabet
    paragraph = "Santri kelas akhir menghafal dan menyetorkan hafalan kepada ustadz setiap pagi selepas subuh" + end
    assert classify.is_story(f"{paragraph}\n\n{paragraph}")
    assert not classify.is_story(f"{paragraph[:-1]}\n\n{paragraph[:-1]}")


def test_a_headline_declared_as_the_application_name_is_not_the_site_name():
    # portals print each story's headline as `application-name`; a site's name is short
    title = "Siswa SMA Negeri 2 Contoh Meraih Medali Emas Olimpiade Sains Nasional Bidang Kimia Tahun Ini"
    content = _html(f"<title>{title}</title><meta name='application-name' content='{title}'>"
                    "<meta property='og:site_name' content='Portal Sekolah Contoh'>",
                    "<a href='/'>Portal Sekolah Contoh</a><div class='story'>"
                    "<p>Diposting: 2 Februari 2025</p><p>Siswa kelas XI meraih medali emas pada olimpiade sains"
                    " nasional bidang kimia setelah melewati seleksi tingkat kabupaten dan provinsi.</p>"
                    "<p>Sekolah menyambut kedatangannya dengan upacara dan doa bersama di halaman sekolah.</p></div>")
    page = extract_page(content, "https://portalsekolah.contoh.id/berita/medali-emas-kimia")
    assert page.reason is None and page.article.title == title


def test_a_story_beside_more_link_text_than_its_own_keeps_its_text():
    # an old portal: the story's paragraphs and a long list of other headlines share one row
    others = "".join(f"<div><a href='/berita/kabar-{n}'>Kabar sekolah nomor {n} tentang kegiatan siswa dan guru"
                     f" di lingkungan sekolah</a></div>" for n in range(30))
    content = _html("<title>Kerja Bakti Membersihkan Sungai</title>",
                    "<div id='isi'><div class='row'><p>05/10/2024 - Ditulis oleh: Humas</p>"
                    "<p>Siswa dan guru SMP Negeri 5 Contoh bekerja bakti membersihkan sungai di belakang sekolah,"
                    " mengangkat sampah plastik yang menyumbat aliran air sejak musim hujan lalu.</p>"
                    "<p>Warga sekitar ikut membantu, dan kelurahan menyediakan truk untuk mengangkut sampah ke"
                    f" tempat pembuangan akhir.</p>{others}</div></div>")
    article = extract_page(content, "https://smpn5contoh.sch.id/berita/kerja-bakti-sungai").article
    assert article is not None and "bekerja bakti membersihkan sungai" in article.body


@pytest.mark.parametrize(("headline", "reason"), [
    ("<h1>Lomba Cerdas Cermat Antarkelas</h1>", None),                                    # the post's own page
    ("<h1><a href='/berita/lomba-cerdas-cermat'>Lomba Cerdas Cermat Antarkelas</a></h1>", "listing"),  # an archive
])
def test_the_headline_in_the_entry_header_decides_whether_the_text_is_an_excerpt(headline: str, reason: str | None):
    # the entry header also prints the previous story's linked heading; only the headline says where the text lives
    content = _html("<title>Lomba Cerdas Cermat Antarkelas</title>",
                    "<div class='entry-header'><h2><a href='/berita/upacara-hari-guru'>Sebelumnya: Upacara Hari"
                    f" Guru</a></h2>{headline}</div><div class='entry'><p>Diposting: 4 Maret 2025</p><p>Lomba"
                    " cerdas cermat antarkelas diikuti dua puluh regu dari kelas VII sampai IX, dan babak final"
                    " disaksikan seluruh siswa di aula sekolah.</p></div>")
    assert extract_page(content, "https://smpn4contoh.sch.id/kabar-maret").reason == reason
