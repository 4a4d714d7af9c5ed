"""Discovery dates (feed, REST, listing, sitemap) in extraction: where they rank and when they make an article."""

from __future__ import annotations

from scraper.extract import DateHint, extract_page

BODY = ("<p>Siswa kelas XI mengikuti kegiatan bakti sosial di panti asuhan dekat sekolah bersama para guru.</p>"
        "<p>Kegiatan ini melatih kepedulian siswa terhadap sesama dan mempererat hubungan dengan masyarakat.</p>")


def page(title: str, body: str = BODY, head: str = "", header: str = "") -> bytes:
    """A theme without article markup: a heading, an optional header line and the body paragraphs."""
    return (f"<!doctype html><html lang='id'><head><title>{title} - SMK Contoh</title>{head}</head><body>"
            f"<nav><a href='/'>Beranda</a> <a href='/profil-sekolah/'>Profil</a></nav>"
            f"<div class='content'><h1>{title}</h1>{header}<div class='isi'>{body}</div></div>"
            f"<footer>SMK Contoh</footer></body></html>").encode()


URL = "https://smkcontoh.sch.id/bakti-sosial-kelas-xi/"
TZ = "Asia/Makassar"


def dating(content: bytes, hint: DateHint | None = None, url: str = URL) -> tuple[str, str] | None:
    """(published, published_source) of the article extracted from `content`, or None when it is no article."""
    article = extract_page(content, url, tz=TZ, discovered=hint).article
    return None if article is None else (article.published, article.published_source)


def test_a_dateless_story_is_an_article_without_a_date_when_no_hint_dates_it() -> None:
    article = extract_page(page("Bakti Sosial Kelas XI"), URL, tz=TZ).article
    assert article is not None and article.title == "Bakti Sosial Kelas XI"
    assert (article.published, article.published_source, article.published_text) == (None, None, None)


def test_a_dateless_post_with_a_feed_date_is_an_article_dated_by_the_feed() -> None:
    hint = DateHint("feed", "Tue, 20 May 2025 08:45:00 +0000")
    article = extract_page(page("Bakti Sosial Kelas XI"), URL, tz=TZ, discovered=hint).article
    assert article is not None
    assert (article.published, article.published_source, article.published_text) == \
        ("2025-05-20T16:45:00+08:00", "feed", "Tue, 20 May 2025 08:45:00 +0000")


def test_a_raw_feed_date_without_offset_is_the_sites_local_time() -> None:
    hint = DateHint("feed", "2025-05-20 16:45:00")     # CMS Sekolahku's RSS pubDate
    assert dating(page("Bakti Sosial Kelas XI"), hint) == ("2025-05-20T16:45:00+08:00", "feed")


def test_the_rest_date_beats_a_body_dateline() -> None:
    body = "<p>Balikpapan, Jumat 16 Mei 2025 – " + BODY[3:]
    assert dating(page("Bakti Sosial Kelas XI", body)) == ("2025-05-16", "dateline")
    hint = DateHint("api", "2025-05-20T16:45:00")
    assert dating(page("Bakti Sosial Kelas XI", body), hint) == ("2025-05-20T16:45:00+08:00", "api")


def test_page_metadata_labels_and_the_url_beat_the_hint() -> None:
    hint = DateHint("feed", "2025-05-20T16:45:00+08:00")
    meta = "<meta property='article:published_time' content='2025-05-18T07:00:00+08:00'>"
    assert dating(page("Bakti Sosial Kelas XI", head=meta), hint) == ("2025-05-18T07:00:00+08:00", "meta")
    label = "<p class='meta'>Diterbitkan : 17 Mei 2025</p>"
    assert dating(page("Bakti Sosial Kelas XI", header=label), hint) == ("2025-05-17", "label")
    dated_url = "https://smkcontoh.sch.id/2025/05/19/bakti-sosial-kelas-xi/"
    assert dating(page("Bakti Sosial Kelas XI"), hint, dated_url) == ("2025-05-19", "url")


def test_a_hint_outside_the_permalinks_month_is_not_used() -> None:
    blogger_like = "https://smkcontoh.sch.id/2025/04/bakti-sosial-kelas-xi.html"
    hint = DateHint("feed", "2025-05-20T16:45:00+08:00")
    assert dating(page("Bakti Sosial Kelas XI"), hint, blogger_like) == (None, None)
    in_month = DateHint("feed", "2025-04-28T10:00:00+08:00")
    assert dating(page("Bakti Sosial Kelas XI"), in_month, blogger_like) == ("2025-04-28T10:00:00+08:00", "feed")


def test_a_sitemap_lastmod_never_makes_a_page_an_article() -> None:
    hint = DateHint("sitemap", "2025-05-20T16:45:00+08:00")
    static = extract_page(page("Profil Sekolah"), "https://smkcontoh.sch.id/profil-sekolah/", tz=TZ,
                          discovered=hint)
    assert static.article is None and static.reason == "static page"
    # a story is an article on its own shape; then the lastmod dates it, as it does a marked-up one (below)
    assert dating(page("Bakti Sosial Kelas XI"), hint) == ("2025-05-20T16:45:00+08:00", "sitemap")
    assert extract_page(page("Profil Sekolah"), URL, tz=TZ, discovered=hint).reason == "static page"


def test_a_sitemap_lastmod_dates_an_article_only_when_nothing_else_does() -> None:
    hint = DateHint("sitemap", "2025-05-20T16:45:00+08:00")
    marked_up = '<script type="application/ld+json">{"@type": "BlogPosting", "headline": "Bakti Sosial"}</script>'
    assert dating(page("Bakti Sosial Kelas XI", head=marked_up), hint) == ("2025-05-20T16:45:00+08:00", "sitemap")
    body = "<p>Balikpapan, Jumat 16 Mei 2025 – " + BODY[3:]
    assert dating(page("Bakti Sosial Kelas XI", body, head=marked_up), hint) == ("2025-05-16", "dateline")


def test_an_unreadable_hint_is_ignored() -> None:
    hint = DateHint("feed", "sometime last spring")
    assert dating(page("Bakti Sosial Kelas XI"), hint) == (None, None)
