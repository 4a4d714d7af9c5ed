"""Date rules and the per-site profile on hand-written pages of Indonesian school sites (tests/data/pages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.warc import iter_html_responses
from scraper.extract import extract_page
from scraper.extract.dating import url_date
from scraper.extract.site_profile import Fingerprint, SiteProfile, learn, page_fingerprint, trim_template

PAGES = Path(__file__).parent / "data" / "pages"
SITE = PAGES / "site"
HOST = "https://smpn4contoh.sch.id"
SITE_PAGES = {"index.html": "/", "berita.html": "/berita/", "berita-21.html": "/berita/21/lomba-kaligrafi/",
              "berita-22.html": "/berita/22/kunjungan-pabrik-roti/", "berita-23.html": "/berita/23/kerja-bakti/"}
CAPTURED = "2026-12-01T02:00:00Z"   # the day the header widget prints


def site_page(name: str, profile: SiteProfile | None = None):
    return extract_page((SITE / name).read_bytes(), HOST + SITE_PAGES[name], fetched_at=CAPTURED, profile=profile)


def learned(*names: str) -> SiteProfile:
    profile = None
    for name in names:
        profile = learn(profile, page_fingerprint((SITE / name).read_bytes()))
    assert profile is not None
    return profile


@pytest.fixture(scope="module")
def whole_site() -> SiteProfile:
    return learned(*SITE_PAGES)


def html(head: str, body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>".encode()


STORY = ("<p>Para siswa mengikuti kegiatan ini dengan penuh semangat bersama guru pendamping dan orang tua yang "
         "hadir sejak pagi di halaman sekolah.</p><p>Kepala sekolah menyampaikan terima kasih kepada semua pihak "
         "yang telah membantu sehingga acara berjalan lancar dan tertib.</p>")


def post(title: str, meta_line: str, story: str = STORY, head: str = "", before: str = "") -> bytes:
    return html(f"<title>{title} | SMA Negeri 9 Contoh</title>{head}",
                f"{before}<div class='konten'><h1>{title}</h1><div class='meta'>{meta_line}</div>"
                f"<div class='isi'>{story}</div></div>")


def published_of(title: str, meta_line: str, path: str, story: str = STORY, head: str = "") -> str | None:
    """The publication date extraction reads from a post of SMA Negeri 9 Contoh captured on CAPTURED."""
    page = extract_page(post(title, meta_line, story, head), "https://sman9contoh.sch.id" + path, fetched_at=CAPTURED)
    return page.published.value if page.published else None


# -- names and widgets are no dates --------------------------------------------------------------------------

def test_usa_today_and_info_hari_ini_are_names_not_the_capture_day() -> None:
    assert published_of("Siswa Kami Diliput Media Asing", "Sumber: USA TODAY | Info Hari Ini",
                        "/berita/liputan-media/") is None


def test_a_visitor_counter_labelled_hari_ini_is_no_date() -> None:
    assert published_of("Rapat Komite Sekolah", "Pengunjung hari ini: 57", "/berita/rapat-komite/") is None


def test_a_relative_word_that_is_the_date_still_is() -> None:
    found = published_of("Rapat Komite Sekolah", "Diposting hari ini, 08:30 WIB", "/berita/rapat-komite/")
    assert found == "2026-12-01T08:30:00+07:00"


def test_the_header_today_widget_is_never_the_date(whole_site) -> None:
    # The page has no date of its own; the header prints the capture day (`Selasa, 01-12-2026`).
    for profile in (None, whole_site):
        found = site_page("berita-23.html", profile).published
        assert found is None or found.value != "2026-12-01"


def test_a_date_marked_header_line_of_the_capture_day_is_skipped_but_the_article_date_is_read() -> None:
    page = extract_page(html("<title>Bakti Sosial | SMA Negeri 9 Contoh</title>",
                             "<div class='tanggal'>Selasa, 1 Desember 2026</div><div class='konten'>"
                             "<h1>Bakti Sosial</h1><div class='isi'>" + STORY + "</div>"
                             "<p><small class='tanggal-terbit'>Ditulis 27 November 2026</small></p></div>"),
                        "https://sman9contoh.sch.id/berita/bakti-sosial/", fetched_at=CAPTURED)
    assert page.published is not None and page.published.value == "2026-11-27"


# -- year-less dates ----------------------------------------------------------------------------------------

def test_a_year_less_dateline_takes_its_year_from_the_permalink() -> None:
    story = "<p>Contoh, Senin (10/6) – " + STORY[3:]
    page = extract_page(post("Penerimaan Rapor Semester Genap", "", story),
                        "https://sman9contoh.blogspot.com/2019/06/penerimaan-rapor.html")
    assert page.published is not None and (page.published.value, page.published.source) == ("2019-06-10", "dateline")


def test_a_year_less_dateline_without_the_articles_own_evidence_is_not_dated_by_the_capture() -> None:
    story = "<p>Contoh, Senin (10/6) – " + STORY[3:]
    assert published_of("Penerimaan Rapor Semester Genap", "", story, "/berita/penerimaan-rapor/") is None


def test_a_year_less_meta_date_never_lands_after_the_capture() -> None:
    assert published_of("Peringatan Hari Ibu", "Diposting 22 Desember", "/berita/hari-ibu/") == "2025-12-22"


def test_a_year_less_meta_date_never_lands_after_the_pages_modified_date() -> None:
    page = extract_page(post("Peringatan Hari Ibu", "Diposting 22 Desember",
                             head="<meta property='article:modified_time' content='2024-03-01T10:00:00+07:00'>"),
                        "https://sman9contoh.sch.id/berita/hari-ibu/", fetched_at=CAPTURED)
    assert page.published is not None and page.published.value == "2023-12-22"


def test_a_full_date_after_the_modified_date_is_kept_a_scheduled_post_is_edited_before_it_appears() -> None:
    page = extract_page(post("Jadwal Ujian Sekolah", "Diposting 5 Maret 2024",
                             head="<meta property='article:modified_time' content='2024-03-01T10:00:00+07:00'>"),
                        "https://sman9contoh.sch.id/berita/jadwal-ujian/", fetched_at=CAPTURED)
    assert page.published is not None and page.published.value == "2024-03-05"


def test_a_full_date_after_the_permalink_day_is_no_publication_date() -> None:
    page = extract_page(post("Jadwal Ujian Sekolah", "Tanggal: 15 Maret 2024"),
                        "https://sman9contoh.sch.id/2024/03/02/jadwal-ujian/", fetched_at=CAPTURED)
    assert page.published is not None and (page.published.value, page.published.source) == ("2024-03-02", "url")


def test_a_full_date_after_the_capture_is_no_publication_date() -> None:
    assert published_of("Jadwal Ujian Sekolah", "Tanggal: 15 Maret 2027", "/berita/jadwal-ujian/") is None


# -- other languages ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("meta_line", "expected"), [
    ("Posted on March 15th, 2021 at 10:00 am", "2021-03-15T10:00:00+07:00"),
    ("Published: 2 July 2025", "2025-07-02"),
    ("by Admin | Wednesday, September 3, 2025", "2025-09-03"),
])
def test_english_dates_of_bilingual_school_pages(meta_line: str, expected: str) -> None:
    page = extract_page(post("English Day at School", meta_line), "https://sman9contoh.sch.id/en/english-day/")
    assert page.published is not None and page.published.value == expected


def test_a_date_in_another_language_inside_a_date_element_is_read() -> None:
    page = extract_page(html("<title>Visite | Lycée Contoh</title>",
                             "<div class='konten'><h1>Visite</h1><div class='isi'>" + STORY + "</div></div>"
                             "<p class='post-date'>Publié le 14 juillet 2024 par l'équipe</p>"),
                        "https://lycee-contoh.example/visite/")
    assert page.published is not None and (page.published.value, page.published.source) == ("2024-07-14", "text")


@pytest.mark.parametrize(("meta_line", "expected"), [
    ("Veröffentlicht am 16.08.2019 | Dauer: 1 Stunde", "2019-08-16"),
    ("Letzte Änderung: 31.10.2023 - Erschienen am: 01.11.2023", "2023-11-01"),
    ("Written: 2023-11-07 15:03:30 / Updated: 2023-11-08 09:00:00", "2023-11-07T15:03:30+07:00"),
    ("Publié le 14 juillet 2024 · Mis à jour le 15 juillet 2024", "2024-07-14"),
    ("Updated on 8 November 2023 | by Admin", None),
    ("Zaktualizowano: 20 sierpnia 2016 | Opublikowano: 15 sierpnia 2016", "2016-08-15"),
    ("Aktualizováno 4. září 2020 · Publikováno 3. září 2020", "2020-09-03"),
    ("Обновлено 20 августа 2016 — Опубликовано 15 августа 2016", "2016-08-15"),
])
def test_publication_and_modified_labels_of_other_languages(meta_line: str, expected: str | None) -> None:
    assert published_of("Eine Geschichte", meta_line, "/geschichte/") == expected


def test_a_broken_json_ld_block_still_names_its_date() -> None:
    broken = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Direktor "EPRS" pozitivan",'
              ' "datePublished": "2020-10-26T18:10:00+01:00", }</script>')
    page = extract_page(post("Direktor pozitivan", "Autor: Redakcija", head=broken),
                        "https://vijesti.example/kantoni/604722/direktor-pozitivan")
    assert page.published is not None and (page.published.source, page.published.text) == (
        "jsonld", "2020-10-26T18:10:00+01:00")


# -- UTC stamps and the local day ---------------------------------------------------------------------------

def test_a_utc_stamp_gives_way_to_the_same_instant_with_the_sites_offset() -> None:
    head = "<meta property='article:published_time' content='2023-11-09T02:11:03+00:00'>"
    meta_line = "<time datetime='2023-11-08T21:11:03-05:00'>November 8, 2023</time>"
    page = extract_page(post("Two Hurt in Roxbury", meta_line, head=head), "https://news.example/two-hurt/")
    assert page.published is not None
    assert (page.published.source, page.published.text) == ("time", "2023-11-08T21:11:03-05:00")
    assert page.published.value == "2023-11-09T09:11:03+07:00"  # the same instant, in the configured zone


def test_a_utc_stamp_gives_way_to_the_same_instant_on_the_sites_clock_without_a_zone() -> None:
    head = ("<meta property='article:published_time' content='2019-11-19T01:19:34.819Z'>"
            "<meta name='article_date_original' content='Monday, November 18, 2019, 08:19 PM'>")
    page = extract_page(post("Florida Man Exists", "By Staff", head=head), "https://news.example/2019/11/florida-man/")
    assert page.published is not None
    assert (page.published.source, page.published.text) == ("meta", "Monday, November 18, 2019, 08:19 PM")
    assert page.published.value == "2019-11-19T08:19:00+07:00"  # the same instant (to the minute), in WIB
    # a stamp on another minute is another moment, and a stamp on the UTC day says nothing new
    for other in ("Monday, November 18, 2019, 08:25 PM", "Tuesday, November 19, 2019, 01:19 AM"):
        page = extract_page(post("Florida Man Exists", "By Staff", head=head.replace(
            "Monday, November 18, 2019, 08:19 PM", other)), "https://news.example/2019/11/florida-man/")
        assert page.published is not None and page.published.text == "2019-11-19T01:19:34.819Z", other


def test_a_utc_stamp_on_the_day_after_the_permalink_is_the_permalinks_day() -> None:
    head = "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", " \
           "\"datePublished\": \"2023-11-09T03:28:35Z\"}</script>"
    page = extract_page(post("Haley Rips Ramaswamy", "By Victor Nava", head=head),
                        "https://news.example/2023/11/08/news/haley-rips-ramaswamy/")
    assert page.published is not None and (page.published.value, page.published.source) == ("2023-11-08", "url")
    # a stamp the configured zone already puts on the permalink's day keeps its time
    page = extract_page(post("Lomba Kaligrafi", "Oleh Admin", head=head.replace("03:28:35Z", "20:00:00Z")
                             .replace("2023-11-09", "2023-11-07")),
                        "https://sman9contoh.sch.id/2023/11/08/lomba-kaligrafi/")
    assert page.published is not None and page.published.value == "2023-11-08T03:00:00+07:00"
    # a permalink day no zone can reach from the instant is not the local day of it
    page = extract_page(post("Haley Rips Ramaswamy", "By Victor Nava", head=head),
                        "https://news.example/2023/11/05/news/haley-rips-ramaswamy/")
    assert page.published is not None and page.published.source == "jsonld"


def test_without_a_dated_permalink_the_meta_line_gives_a_utc_stamps_local_day() -> None:
    head = "<meta property='article:published_time' content='2020-01-20T03:05:00Z'>"
    page = extract_page(post("Parasite Scores Upset", "By Reuters Staff | Jan. 19, 2020", head=head),
                        "https://news.example/article/parasite-scores-upset")
    assert page.published is not None and (page.published.value, page.published.source) == ("2020-01-19", "label")
    # a meta line printing another day than the instant can fall on leaves the stamp alone
    page = extract_page(post("Parasite Scores Upset", "By Reuters Staff | Jan. 15, 2020", head=head),
                        "https://news.example/article/parasite-scores-upset")
    assert page.published is not None and page.published.source == "meta"


def test_a_dateline_below_a_byline_opens_its_paragraph() -> None:
    story = ("<p>Von Claudia Lindner</p><p>27.1.2022 - Bei der Erinnerung an die Verfolgten wird vieles vergessen, "
             "was die Forschung der letzten Jahre zusammengetragen hat.</p><p>" + "Mehr dazu im Bericht. " * 8
             + "</p>")
    page = extract_page(html("<title>Gedenktag | Magazin</title>", "<div class='konten'><h1>Gedenktag</h1>"
                             "<div class='isi'>" + story + "</div></div>"), "https://magazin.example/gedenktag")
    assert page.published is not None and (page.published.value, page.published.source) == ("2022-01-27",
                                                                                             "dateline")
    # a date deep inside the second paragraph is what the story is about
    story = story.replace("<p>27.1.2022 - Bei", "<p>Bei").replace("Forschung der", "Forschung am 27.1.2022 der")
    page = extract_page(html("<title>Gedenktag | Magazin</title>", "<div class='konten'><h1>Gedenktag</h1>"
                             "<div class='isi'>" + story + "</div></div>"), "https://magazin.example/gedenktag")
    assert page.published is None or page.published.source != "dateline"
    # below a short line that is no byline (a listing's title, then its teaser), a date opening a paragraph is not one
    story = story.replace("Von Claudia Lindner", "Gedenken an die Verfolgten").replace(
        "<p>Bei", "<p>27.1.2022 - Bei").replace("Forschung am 27.1.2022 der", "Forschung der")
    page = extract_page(html("<title>Gedenktag | Magazin</title>", "<div class='konten'><h1>Gedenktag</h1>"
                             "<div class='isi'>" + story + "</div></div>"), "https://magazin.example/gedenktag")
    assert page.published is None or page.published.source != "dateline"


# -- permalinks and the page's other dates -------------------------------------------------------------------

@pytest.mark.parametrize(("path", "expected"), [
    ("/2019/11/8/20948348/delhi-air/", (2019, 11, 8)),
    ("/de/newsroom/23-01-2022-dorothea-wierer", (2022, 1, 23)),
    ("/meldungen/29-10-2021", (2021, 10, 29)),
    ("/20200428/meet-the-swede/", (2020, 4, 28)),
    ("/aktuelles/08112021-online-fachtag/", (2021, 11, 8)),
    ("/news/120200622120908039/slug", None),  # an ID with a date inside is no permalink date
    ("/p/20201234/", None),
])
def test_permalink_dates_of_other_publishing_systems(path: str, expected: tuple | None) -> None:
    assert url_date("https://news.example" + path) == expected


def test_a_date_before_the_permalinks_month_is_not_its_publication() -> None:
    found = published_of("Congresos y seminarios", "Publicado: 5 de septiembre de 2019 | Deportes",
                         "/puerto-montt/2020/08/24/670291/congresos/")
    assert found == "2020-08-24"
    assert published_of("Congresos y seminarios", "Publicado: 3 de agosto de 2020",
                        "/puerto-montt/2020/08/24/670291/congresos/") == "2020-08-03"


def test_a_teasers_date_in_a_link_to_another_story_is_that_storys() -> None:
    related = ("<ul class='units'><li><a href='/news/older-story'><div class='unit'><div class='head'>"
               "<div class='meta'><div class='date'>22 August 2019</div></div></div></div></a></li>"
               "<li><a href='/news/oldest-story'><b>11 April 2019</b></a></li></ul>")
    page = extract_page(html("<title>New Story | News</title>",
                             "<div class='konten'><h1>New Story</h1><div class='isi'>" + STORY + "</div></div>"
                             + related + "<div class='date' data-datetime='19 November 2019'>Tue</div>"),
                        "https://news.example/news/new-story")
    assert page.published is not None and page.published.value == "2019-11-19"


def test_an_explicit_publication_date_in_the_posts_header_is_read() -> None:
    page = extract_page(html("<title>Haltet Gewässer sauber | Seglerblog</title>",
                             "<header class='entry-head'><h4>von Admin am "
                             "<time class='date updated published' datetime='2020-02-23T10:07:02+01:00'>"
                             "23. Februar 2020</time></h4></header><div class='konten'><h1>Haltet Gewässer "
                             "sauber</h1><div class='isi'>" + STORY + "</div></div>"
                             "<header><span class='date'>Heute: 1. Dezember 2026</span></header>"),
                        "https://seglerblog.example/haltet-gewaesser-sauber/")
    assert page.published is not None and page.published.value[:10] == "2020-02-23"
    # a date a header prints without marking it the publication date is the frame's (a today widget)
    page = extract_page(html("<title>Haltet Gewässer sauber | Seglerblog</title>",
                             "<header><span class='date'>Heute: 1. Dezember 2026</span></header>"
                             "<div class='konten'><h1>Haltet Gewässer sauber</h1><div class='isi'>" + STORY
                             + "</div></div>"), "https://seglerblog.example/haltet-gewaesser-sauber/")
    assert page.published is None


def test_a_long_post_meta_sentence_dates_the_page_weakly() -> None:
    line = ("This entry was posted on Saturday, December 3rd, 2011 at 10:15 and is filed under News, Events. "
            "You can follow any responses to this entry through the RSS 2.0 feed. You can leave a response, or "
            "trackback from your own site.")
    page = extract_page(html("<title>No Cyberterrorism | Blog</title>",
                             "<div class='konten'><h1>No Cyberterrorism</h1><div class='isi'>" + STORY
                             + "</div></div><p class='postmetadata'><small>" + line + "</small></p>"),
                        "https://blog.example/no-cyberterrorism/")
    assert page.published is not None and page.published.value[:10] == "2011-12-03" and page.published.weak


def test_a_date_that_opens_the_title_dates_the_page_and_one_inside_it_does_not() -> None:
    def dated(title: str) -> str | None:
        page = extract_page(html(f"<title>{title}</title>", "<div class='konten'><h1>Online-Fachtag</h1>"
                                 "<div class='isi'>" + STORY + "</div></div>"), "https://verband.example/fachtag")
        return page.published.value if page.published else None
    assert dated("08.11.2021 | Online-Fachtag zum Intersex Day") == "2021-11-08"
    assert dated("Libur Sekolah 25 Desember 2025 | SMA Negeri 9 Contoh") is None


@pytest.mark.parametrize(("script", "expected"), [
    # a JavaScript front end's state
    ('window.__STATE__ = {"post": {"id": 7, "published_at": "2019-03-02T06:22:28+01:00", "title": "Kopi"}};',
     "2019-03-02T12:22:28+07:00"),
    # an analytics data layer, its slashes escaped
    ('var dataLayer = [{"page_type": "post", "post_id": 107886, "post_date": "2018\\/01\\/29"}];', "2018-01-29"),
])
def test_a_publication_date_in_a_scripts_data_dates_the_page_weakly(script: str, expected: str) -> None:
    page = extract_page(html(f"<title>Kopi Sidamo | Toko</title><script>{script}</script>",
                             "<div class='konten'><h1>Kopi Sidamo</h1><div class='isi'>" + STORY + "</div></div>"),
                        "https://toko.example/kopi-sidamo")
    assert page.published is not None and page.published.weak
    assert page.published.value == expected


# -- the site profile ---------------------------------------------------------------------------------------

def test_a_month_first_site_learned_from_one_page_is_applied_to_another() -> None:
    assert site_page("berita-22.html").published.value == "2025-05-11"     # alone: day first
    profile = learned("berita-21.html")                                     # prints 11/23/2025
    assert profile.month_first_dates
    assert site_page("berita-22.html", profile).published.value == "2025-11-05"


def test_sidebar_recent_post_dates_are_ignored_through_the_profile(whole_site) -> None:
    assert site_page("berita-23.html").published.value == "2026-11-25"     # the trap: a sidebar post's date
    assert site_page("berita-23.html", whole_site).published is None


def test_the_template_banner_is_not_the_title(whole_site) -> None:
    assert site_page("berita-21.html").article.title.startswith("Selamat Datang")   # the trap
    article = site_page("berita-21.html", whole_site).article
    assert article is not None
    assert (article.title, article.published) == ("Lomba Kaligrafi Tingkat Kecamatan", "2025-11-23")
    assert "Selamat Datang" not in article.body and "Pengunjung" not in article.body


def test_the_profile_round_trips_through_json_and_ignores_what_it_cannot_read(whole_site) -> None:
    assert SiteProfile.from_json(whole_site.to_json()) == whole_site
    assert SiteProfile.from_json({"version": 0, "pages": 9}) == SiteProfile()
    assert SiteProfile.from_json("not a profile") == SiteProfile()
    assert SiteProfile.from_json({"version": 1, "pages": -3, "counts": {"a": "x"}}).pages == 0


def test_learning_is_incremental_and_never_changes_its_argument() -> None:
    first = learned("berita-21.html")
    second = learn(first, page_fingerprint((SITE / "berita-22.html").read_bytes()))
    assert (first.pages, second.pages) == (1, 2)
    assert all(second.counts[key] >= count for key, count in first.counts.items())


def test_too_few_pages_teach_no_template() -> None:
    profile = learned("berita-21.html", "berita-22.html")
    assert site_page("berita-23.html", profile).article.title.startswith("Selamat Datang")


def test_only_a_template_line_a_body_starts_with_is_trimmed() -> None:
    lines = frozenset({"selamat datang", "humas sekolah"})
    assert trim_template("Selamat Datang\n\nIsi berita.\n\nHumas Sekolah", lines) == "Isi berita.\n\nHumas Sekolah"
    assert trim_template("Selamat Datang", lines) == "Selamat Datang"


def test_the_corpus_comes_out_the_same_with_the_profiles_warta_extract_learns(corpus) -> None:
    from extract_scoring import load_truth, site_zone, warc_paths

    from scraper.extract_files import extract_paths, page_record

    truth = load_truth(corpus)
    for path in warc_paths(corpus):
        zone = site_zone(truth, path)
        with_profile = [outcome.record for outcome in extract_paths([path], tz=zone, include_all=True)]
        alone = [page_record(extract_page(r.body, r.url, tz=zone, content_type=r.content_type,
                                          fetched_at=r.fetched_at, with_links=False), True)
                 for r in iter_html_responses(path)]
        assert with_profile == alone, path.name


def test_a_date_in_a_stray_text_segment_dates_the_page_but_never_makes_it_an_article() -> None:
    crumb = "<div class='jalur'><span>Beranda / Kegiatan / 12 Agustus 2024</span></div>"
    # without a headline the page's shape does not make it a story, and the weak date cannot
    page = extract_page(html("<title>Kegiatan Pramuka | SMA Negeri 9 Contoh</title>",
                             crumb + "<div class='konten'><div class='isi'>" + STORY + "</div></div>"),
                        "https://sman9contoh.sch.id/kegiatan-pramuka/", fetched_at=CAPTURED)
    assert page.published is not None
    assert (page.published.value, page.published.source, page.published.weak) == ("2024-08-12", "text", True)
    assert page.article is None and page.reason == "no publication date"
    # a story under its headline is an article by its shape; the weak date is then the best it has
    page = extract_page(html("<title>Kegiatan Pramuka | SMA Negeri 9 Contoh</title>",
                             crumb + "<div class='konten'><h1>Kegiatan Pramuka</h1><div class='isi'>" + STORY
                             + "</div></div>"),
                        "https://sman9contoh.sch.id/kegiatan-pramuka/", fetched_at=CAPTURED)
    assert page.article is not None and (page.article.published, page.article.published_source) == (
        "2024-08-12", "text")


def test_a_changed_template_is_learned_and_the_old_one_fades() -> None:
    profile = None
    for index in range(1000):
        # the first 700 pages carry the old sidebar line, the last 300 the new one; every page its own lines
        keys = [f"old-sidebar-{index < 700}", f"new-sidebar-{index >= 700}", f"story-{index}", f"photo-{index}"]
        profile = learn(profile, Fingerprint(keys=keys))
    assert profile.is_template("new-sidebar-True") and not profile.is_template("old-sidebar-True")
    assert profile.pages <= 200 and len(profile.counts) <= 400


def test_a_site_wide_og_title_names_the_site_not_the_article() -> None:
    def with_og(name: str) -> bytes:
        return (SITE / name).read_bytes().replace(b"</title>", b"</title><meta property='og:title' "
                                                  b"content='SMP Negeri 4 Contoh'>", 1)
    profile = None
    for name in SITE_PAGES:
        profile = learn(profile, page_fingerprint(with_og(name)))
    page = extract_page(with_og("berita-21.html"), HOST + SITE_PAGES["berita-21.html"], fetched_at=CAPTURED,
                        profile=profile)
    assert page.article is not None and page.article.title == "Lomba Kaligrafi Tingkat Kecamatan"


# -- the open web's layouts: a meta line outside the article's block, teaser cards, modified marks ---------------

RELATED_CARD = ("<div class='terkait'><div class='kartu'><a href='/berita/lomba-pidato-tingkat-kabupaten'>"
                "<h5>Lomba Pidato Tingkat Kabupaten Diikuti Tiga Siswa</h5></a>"
                "<p class='kartu-info'>16 November 2016</p></div></div>")


def test_the_meta_line_below_a_headline_outside_the_articles_block_dates_the_page_weakly() -> None:
    # the theme prints headline and meta line in a side column, the story in another one, related cards after
    page = extract_page(html("<title>Kunjungan Industri | SMK Negeri 2 Contoh</title>",
                             "<div class='kolom-kiri'><h1>Kunjungan Industri ke Pabrik Roti</h1>"
                             "<label><i class='ikon-kalender'></i> 20 November 2019 13:42</label></div>"
                             "<div class='kolom-kanan'><div class='isi'>" + STORY + "</div></div>" + RELATED_CARD),
                        "https://smkn2contoh.sch.id/kunjungan-industri")
    assert page.published is not None
    assert (page.published.value, page.published.source, page.published.weak) == (
        "2019-11-20T13:42:00+07:00", "label", True)


def test_below_a_listings_heading_the_first_teasers_date_is_not_the_pages() -> None:
    teasers = "".join(f"<div><a href='/berita/{n}'>Kegiatan Pramuka Penggalang Angkatan {n} Tahun Ini</a>"
                      f"<span>1{n} Januari 2024</span></div>" for n in range(1, 4))
    page = extract_page(html("<title>Berita | SMA Negeri 9 Contoh</title>",
                             "<h1>Berita</h1>" + teasers + "<div class='isi'>" + STORY + "</div>"),
                        "https://sman9contoh.sch.id/berita/")
    assert page.published is None or page.published.text[:2] not in ("11", "12", "13")


def test_a_related_cards_date_beside_its_linked_heading_is_that_storys() -> None:
    page = extract_page(html("<title>Kerja Bakti | SMA Negeri 9 Contoh</title>",
                             "<div class='konten'><h1>Kerja Bakti</h1><div class='isi'>" + STORY + "</div></div>"
                             + RELATED_CARD), "https://sman9contoh.sch.id/kerja-bakti/")
    assert page.published is None


def test_the_text_of_a_modified_date_mark_is_no_publication_date() -> None:
    meta_line = ("<span class='posted-on'><time class='entry-updated updated' datetime='2019-02-01T10:48:39+07:00'>"
                 "February 1, 2019</time></span> | BY: Humas")
    page = extract_page(post("Jalan Sehat Bersama", meta_line), "https://sman9contoh.sch.id/jalan-sehat/")
    assert page.published is None or page.published.value[:10] != "2019-02-01"
    assert page.article is None or page.article.modified[:10] == "2019-02-01"


def test_a_date_marked_as_the_publication_beats_a_header_widget_printed_before_it() -> None:
    page = extract_page(html("<title>Royal Arrogance | Columnists</title>",
                             "<div class='topbar'><span>14:53 GMT +3</span> 20 November 2019</div>"
                             "<div class='artikel'><div class='judul'><h1>Royal Arrogance</h1></div>"
                             "<div class='rubrik'><a href='/columnists/'>Columnists</a><div class='kredit'>"
                             "<time itemprop='dateCreated' datetime='2019-11-18T21:17'>21:17 18.11.2019</time>"
                             "</div></div><div class='isi'>" + STORY + "</div></div>"),
                        "https://news.example/columnists/201911181077343476-royal-arrogance/")
    assert page.published is not None and page.published.value[:10] == "2019-11-18"


def test_a_bare_hatom_updated_class_still_marks_the_publication_date() -> None:
    # hAtom themes put `updated` on the only date they print: it is the publication date
    meta_line = "Diposting pada <abbr class='updated' title='2024-03-05'>5 Maret 2024</abbr> oleh Humas"
    page = extract_page(post("Jalan Sehat Bersama", meta_line), "https://sman9contoh.sch.id/jalan-sehat/")
    assert page.published is not None and page.published.value[:10] == "2024-03-05"


def test_a_microdata_publication_date_outside_the_article_block_dates_the_page() -> None:
    page = extract_page(html("<title>Kerja Bakti | SMA Negeri 9 Contoh</title>",
                             "<div class='kepala'><span itemprop='datePublished' content='2023-07-14'>14/07</span>"
                             "</div><div class='konten'><h2>Kerja Bakti</h2><div class='isi'>" + STORY
                             + "</div></div>"), "https://sman9contoh.sch.id/kerja-bakti/")
    assert page.published is not None and page.published.value == "2023-07-14"


def test_a_kicker_line_just_above_the_headline_dates_the_page_weakly_but_never_a_today_widget() -> None:
    def dated(kicker: str):
        page = extract_page(html("<title>Pentas Seni | SMA Negeri 9 Contoh</title>",
                                 "<div class='kepala-berita'><div class='kicker'>" + kicker + "</div>"
                                 "<h1>Pentas Seni Akhir Tahun</h1></div><div class='kolom'><div class='isi'>"
                                 + STORY + "</div></div>"),
                            "https://sman9contoh.sch.id/pentas-seni/", fetched_at=CAPTURED)
        return page.published
    found = dated("Kegiatan | Sabtu, 14 Desember 2024")
    assert found is not None and (found.value, found.source, found.weak) == ("2024-12-14", "label", True)
    assert dated("Selasa, 01-12-2026") is None   # the capture day: a today widget
