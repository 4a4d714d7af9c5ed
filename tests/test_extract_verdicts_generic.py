"""Article or not on themes warta never saw, decided by the kinds of evidence a page and the crawl give.

Hand-written pages in tests/data/pages/verdicts: stories WordPress serves as `page`s (dated with a byline; dateless
with a byline and tags), a story the menu links to under a short label, a story only a language switcher links to,
a headline in no heading beside other stories' headings, a story whose <article> follows the site's header and its
logo heading, a story told with trailing ellipses under a chapter menu, and the pages a school site must never
have archived (static pages with and without a theme's date line, a static page in the menu and the language switcher, a
long-titled programme page, an old CMS's staff table and history page, a magazine home, category listings (one with
long teasers, an archive holding one post, a member's profile listing their posts under cut excerpts), that story's
page without its date, a not-found page, search results)."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.extract import DateHint, classify, extract_page

VERDICTS = Path(__file__).parent / "data" / "pages" / "verdicts"


def extract(name: str, url: str, hint: DateHint | None = None):
    return extract_page((VERDICTS / name).read_bytes(), url, tz="Asia/Jakarta", discovered=hint)


@pytest.mark.parametrize(("name", "url", "title", "published"), [
    # WordPress's `page` body class, but a headline, a <time> and a byline: a story published as a page
    ("wp_page_dated_article.html", "https://sman1contoh.sch.id/prestasi-osn-2024/",
     "Siswa SMA Negeri 1 Contoh Raih Medali Emas Olimpiade Sains Nasional", "2024-09-12T08:00:00+07:00"),
    # a `page` with no date at all: its headline, byline and tag links make it a story, archived undated
    ("wp_page_dateless_article.html", "https://smpn3contoh.sch.id/catatan-studi-banding/",
     "Catatan Perjalanan Studi Banding Guru ke Sekolah Penggerak di Yogyakarta", None),
    # an old table-layout CMS whose menu links to this dateless story under a short label: the headline decides
    ("oldcms_menu_headline.html", "http://sdn7contoh.sch.id/index.php?hal=berita&id=88",
     "Siswa Kelas Enam Juarai Lomba Cerdas Cermat Tingkat Kecamatan", None),
    # a dateless story under a short title whose only link from the nav is the language switcher's own entry
    ("lang_switcher_story.html", "https://smpn9contoh.sch.id/pentas-seni-akhir-tahun/",
     "Pentas Seni Akhir Tahun", None),
    # a headline printed in no heading, a story, and a block of other stories' linked headings beside it
    ("portal_story_untitled.html", "https://sman5contoh.sch.id/tanam-seribu-pohon",
     "Siswa SMA Negeri 5 Contoh Tanam Seribu Pohon di Bantaran Sungai", "2024-11-05T09:30:00+07:00"),
    # an <article> holding its own headline right after the site's header, whose logo heading links home
    ("blog_logo_header_story.html", "http://smpn11contoh.sch.id/blog/menulis-jurnal-harian.html",
     "Catatan Guru: Mengajak Siswa Menulis Jurnal Harian", "2024-02-14"),
    # a story told with trailing ellipses, under a chapter menu of two linked headings: not a listing's cut excerpts
    ("story_trailing_ellipses.html", "https://sman9contoh.sch.id/cerpen/malam-di-perpustakaan",
     "Cerpen: Malam di Perpustakaan Sekolah", "2025-03-14"),
])
def test_stories_on_pages_that_look_static_are_archived(name: str, url: str, title: str, published: str | None):
    result = extract(name, url)
    article = result.article
    assert article is not None, result.reason
    assert article.title == title and article.published == published
    assert len(article.body.split("\n\n")) >= 3
    assert "Berita Terbaru" not in article.body and "Pengunjung" not in article.body


@pytest.mark.parametrize(("name", "url", "reason"), [
    # a theme printing a date line and an author on its pages does not turn `Profil Sekolah` into news
    ("wp_page_static_dated.html", "https://smkn2contoh.sch.id/profil-sekolah/", "static page"),
    # a headline-long title and prose, but nothing else a post has: a programme page
    ("wp_page_static_long_title.html", "https://sman4contoh.sch.id/program-adiwiyata/", "static page"),
    # a long title opening with a static page's name
    ("oldcms_static_history.html", "https://sman2contoh.sch.id/sejarah.html", "static page"),
    # a dateless page under a short label of a menu the old CMS calls `navigasi`
    ("oldcms_navigasi_static.html", "https://man3contoh.sch.id/layanan-bk.html", "static page"),
    # the language switcher links to it as to every page, but so does the main menu, under a short label
    ("lang_switcher_menu_static.html", "https://smpn10contoh.sch.id/layanan-perpustakaan/", "static page"),
    ("magazine_home.html", "https://smkn6contoh.sch.id/", "home"),
    ("category_listing.html", "https://mtsn4contoh.sch.id/kabar-sekolah", "listing"),
    # teasers of two paragraphs each under linked headings, the page's title printed in no heading
    ("category_listing_long_teasers.html", "https://mtsn8contoh.sch.id/kabar-sekolah", "listing"),
    # an old CMS's listing in a table cell: linked headlines (bold or not), each with its date and blurb, set
    # loose with `<br>`s, no heading, no date on the page's own
    ("oldcms_loose_listing.html", "http://smpn12contoh.sch.id/index.php?p=berita", "listing"),
    # a member's profile listing their posts: long excerpts, each cut by the CMS (`… di...`) under its linked
    # heading, the member's name as the page's own heading
    ("member_profile_posts.html", "https://smpn21contoh.sch.id/member/profile/admin", "listing"),
    # an archive holding one post: its heading links to the post's own page, just before the text
    ("archive_single_post.html", "https://smpn11contoh.sch.id/kegiatan-siswa", "listing"),
    # WordPress serves its own not-found text as a `page` on some themes
    ("wp_page_not_found.html", "https://sdislamcontoh.sch.id/halaman-lama/", "soft 404"),
    ("search_results.html", "https://smacontoh.sch.id/cari-berita?kata=lomba", "search results"),
])
def test_pages_a_school_site_never_has_archived(name: str, url: str, reason: str):
    result = extract(name, url)
    assert result.article is None and result.reason == reason


def test_the_same_rails_beside_a_dateless_page_make_a_listing_unless_the_crawl_gave_it_as_a_post():
    # only a dated story outweighs them: a dateless page of prose beside them is as often a programme's page
    content = (VERDICTS / "portal_story_untitled.html").read_bytes()
    dateless = content.replace(b'<time datetime="2024-11-05T09:30:00+07:00">5 November 2024</time>', b"")
    assert dateless != content
    result = extract_page(dateless, "https://sman5contoh.sch.id/program-sekolah-hijau", tz="Asia/Jakarta")
    assert result.article is None and result.reason == "listing"
    # … unless the crawl was given the URL as a post (a feed entry without a date): archived with no date
    listed = extract_page(dateless, "https://sman5contoh.sch.id/tanam-seribu-pohon", tz="Asia/Jakarta",
                          discovered=DateHint("feed", "")).article
    assert listed is not None and listed.published is None
    assert listed.title == "Siswa SMA Negeri 5 Contoh Tanam Seribu Pohon di Bantaran Sungai"
    # a sitemap lists every page: its word is no such sign
    assert extract_page(dateless, "https://sman5contoh.sch.id/program-sekolah-hijau", tz="Asia/Jakarta",
                        discovered=DateHint("sitemap", "2024-11-05")).reason == "listing"


def test_an_seo_plugins_webpage_date_is_no_sign_of_a_post():
    content = (VERDICTS / "wp_page_static_long_title.html").read_bytes().replace(b"</head>", (
        b'<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "WebPage", '
        b'"name": "Program Sekolah Adiwiyata", "datePublished": "2021-07-19T09:12:00+07:00"}]}</script></head>'
    ))
    result = extract_page(content, "https://sman4contoh.sch.id/program-adiwiyata/", tz="Asia/Jakarta")
    assert result.article is None and result.reason == "static page"
    assert result.published is not None and result.published.source == "jsonld"   # read, but no sign of a post


_WEBPAGE_LD = (b'<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": '
               b'"WebPage", "name": "Halaman", "datePublished": "2021-07-19T09:12:00+07:00"}]}</script>')
_POST_META = b'<meta property="article:published_time" content="2021-07-19T02:12:00+00:00">'


@pytest.mark.parametrize(("name", "url", "head", "reason"), [
    # WordPress's SEO plugins print `article:published_time` on posts only: beside the plugin's WebPage date (which
    # the page's date is read from) it is the date a post shows, so a headline-titled story on a `page` is news
    ("wp_page_static_long_title.html", "https://sman4contoh.sch.id/program-adiwiyata/", _WEBPAGE_LD + _POST_META,
     None),
    ("wp_page_static_long_title.html", "https://sman4contoh.sch.id/program-adiwiyata/", _POST_META + _WEBPAGE_LD,
     None),
    # … the plugin's WebPage date alone is no such sign, nor the post meta on a page the menu calls `Profil Sekolah`
    ("wp_page_static_long_title.html", "https://sman4contoh.sch.id/program-adiwiyata/", _WEBPAGE_LD, "static page"),
    ("wp_page_static_dated.html", "https://smkn2contoh.sch.id/profil-sekolah/", _WEBPAGE_LD + _POST_META,
     "static page"),
])
def test_a_posts_publication_meta_counts_beside_a_webpage_date(name: str, url: str, head: bytes,
                                                              reason: str | None):
    content = (VERDICTS / name).read_bytes().replace(b"</head>", head + b"</head>")
    result = extract_page(content, url, tz="Asia/Jakarta")
    assert result.reason == reason
    assert result.published is not None and result.published.source == "jsonld"


@pytest.mark.parametrize(("link", "in_menu"), [
    ('<a href="/acara/">Acara</a>', True),
    ('<a href="/acara/" hreflang="id">ID</a>', False),
    ('<a href="/acara/" lang="id">Indonesia</a>', False),
    ('<span class="wpml-ls-item"><a href="/acara/">Indonesia</a></span>', False),
    ('<span class="langkah"><a href="/acara/">Acara</a></span>', True),   # a word that merely opens with `lang`
])
def test_a_language_switchers_entry_for_the_page_is_no_menu_link_to_it(link: str, in_menu: bool):
    root = LexborHTMLParser(f"<html><body><nav>{link}</nav></body></html>").body
    url = "https://smacontoh.sch.id/acara/"
    assert classify.linked_from_menu(root, url, {url}) is in_menu


def test_a_staff_table_is_never_archived():
    result = extract("oldcms_static_staff.html", "http://smpn5contoh.sch.id/index.php?page=guru")
    assert result.article is None and result.reason in ("static page", "empty")


def test_the_crawls_word_that_a_url_is_a_post_outweighs_a_static_look():
    # the long-titled programme page, had a listing or a feed linked it as a post
    name, url = "wp_page_static_long_title.html", "https://sman4contoh.sch.id/program-adiwiyata/"
    dated = extract(name, url, DateHint("listing", "2024-08-01")).article
    assert dated is not None and (dated.published, dated.published_source) == ("2024-08-01", "listing")
    # a feed entry without a date still says "post": the article is kept with no date
    undated = extract(name, url, DateHint("feed", "")).article
    assert undated is not None and undated.published is None
    # a sitemap lists every page: its lastmod is no such word
    assert extract(name, url, DateHint("sitemap", "2024-08-01")).reason == "static page"


@pytest.mark.parametrize(("title", "headline", "static_name"), [
    ("Siswa SMA Negeri 1 Contoh Raih Medali Emas Olimpiade Sains Nasional", True, False),
    ("Sejarah Singkat SMA Negeri 2 Contoh Raya Sejak 1984", False, True),
    ("Guru dan Staf", False, True),
    ("Selamat Datang Peserta Didik Baru di SMP Negeri 1 Contoh", True, False),  # news of the school year's start
    ("Pentas Seni Akhir Semester", False, False),
])
def test_headlines_and_static_page_names(title: str, headline: bool, static_name: bool):
    assert classify.is_headline(title) is headline
    assert classify.opens_with_static_name(title) is static_name


def _evidence(**signs: bool) -> classify.Evidence:
    fields = dict.fromkeys(("listed_as_post", "dated", "shown_date", "strong_date", "marked_up", "byline",
                            "furniture", "story", "wordpress_page", "in_menu"), False)
    return classify.Evidence(**(fields | signs))


@pytest.mark.parametrize(("signs", "reason"), [
    ({"story": True}, "static page"),                                   # a WordPress page and text alone
    ({"story": True, "dated": True, "shown_date": True}, None),         # + the headline's length: two signs
    ({"story": True, "dated": True}, "static page"),                    # dated only by an SEO plugin's WebPage
    ({"dated": True, "byline": True}, "static page"),                   # no text that reads as a story
    ({"story": True, "listed_as_post": True}, None),
])
def test_a_wordpress_page_needs_two_signs_of_a_post(signs: dict, reason: str | None):
    headline = "Siswa SMA Negeri 1 Contoh Raih Medali Emas Olimpiade Sains Nasional"
    assert classify.static_reason(headline, _evidence(wordpress_page=True, **signs)) == reason
    assert classify.static_reason("Profil Sekolah", _evidence(wordpress_page=True, story=True, dated=True,
                                                              shown_date=True, byline=True)) == "static page"


def test_a_themes_date_line_and_author_on_a_menu_page_do_not_make_it_news():
    page_signs = {"wordpress_page": True, "story": True, "dated": True, "shown_date": True, "byline": True}
    assert classify.static_reason("Kepala Sekolah", _evidence(**page_signs, in_menu=True)) == "static page"
    assert classify.static_reason("Kepala Sekolah", _evidence(**page_signs)) is None
    # a dateless page the menu links to: a byline or tag links make it a post, a menu label alone does not
    assert classify.static_reason("Catatan Perjalanan", _evidence(in_menu=True, story=True)) == "static page"
    assert classify.static_reason("Catatan Perjalanan", _evidence(in_menu=True, byline=True)) is None
    assert classify.static_reason("Catatan Perjalanan", _evidence(in_menu=True, furniture=True)) is None


@pytest.mark.parametrize(("html", "furniture"), [
    ("<article><p>Isi</p><a rel='tag' href='/tag/osis/'>OSIS</a></article>", True),
    ("<article><p>Isi</p></article><nav><a rel='prev' href='/rapat-komite/'>Rapat Komite</a></nav>", True),
    ("<article><p>Isi</p></article><aside><a rel='tag' href='/tag/osis/'>OSIS</a></aside>", False),  # tag cloud
    ("<article><p>Isi</p></article><footer><a rel='tag' href='/tag/osis/'>OSIS</a></footer>", False),
])
def test_a_posts_furniture_is_tag_and_neighbour_links_outside_sidebars(html: str, furniture: bool):
    assert classify.has_post_furniture(LexborHTMLParser(f"<body>{html}</body>").body) is furniture


def test_paragraphs_ending_in_a_closing_guillemet_are_prose():
    quote = "Ketua regu pramuka itu berkata: «Kami berlatih setiap sore selama sebulan penuh sebelum lomba»"
    assert classify.is_story(f"{quote}\n\n{quote}")


@pytest.mark.parametrize("sentence", [
    "विद्यालय के छात्रों ने आज सुबह पूरे गाँव में स्वच्छता अभियान चलाया और लोगों को जागरूक किया।",   # the danda
    "นักเรียนชั้นมัธยมศึกษาปีที่หนึ่งร่วมกันปลูกต้นไม้ในบริเวณโรงเรียนเพื่อฉลองวันสิ่งแวดล้อมโลก",   # Thai: no full stop
])
def test_scripts_that_end_sentences_otherwise_read_as_prose(sentence: str):
    assert classify.is_story(f"{sentence}\n\n{sentence}")
    assert not classify.is_story(f"{sentence[:20]}\n\n{sentence[:20]}")     # short lines are no story


_PROSE = "<p>" + "Para siswa mengikuti kegiatan itu dengan tertib sejak pagi hingga siang hari. " * 2 + "</p>"


@pytest.mark.parametrize(("html", "beside"), [
    (_PROSE * 4, True),                                                       # other stories' headings elsewhere
    ('<h2><a href="/berita/satu">Satu</a></h2>' + _PROSE * 4, True),          # one linked heading inside
    ("".join(f'<h2><a href="/berita/{n}">Berita {n}</a></h2>{_PROSE * 2}' for n in range(3)), False),  # teasers
    (_PROSE * 3, False),                                                      # too short to outweigh them
])
def test_a_story_beside_teasers_holds_none_of_them(html: str, beside: bool):
    block = LexborHTMLParser(f"<div>{html}</div>").css_first("div")
    body = "\n\n".join(node.text().strip() for node in block.css("p"))
    assert classify.story_beside_teasers(block, body, "https://smacontoh.sch.id/berita/x") is beside
