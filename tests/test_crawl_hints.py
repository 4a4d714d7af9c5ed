"""The crawler hands extraction the publication date its feeds, REST answers and sitemaps gave for each URL."""

from __future__ import annotations

import json
from pathlib import Path

from test_crawl_corpus import articles

from scraper.config import ArchiveConfig, Config, CrawlConfig, SiteConfig
from scraper.crawl import discover
from scraper.crawl.run import run_crawl
from scraper.extract import DateHint

SEKOLAHKU_FEED = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>SMK</title>
<item><title>Bakti Sosial</title><link>https://smk.test/read/12/bakti-sosial</link>
<pubDate>2025-05-20 16:45:00</pubDate></item></channel></rss>"""


def test_feed_leads_carry_the_pubdate_as_printed() -> None:
    [lead] = discover.parse_feed(SEKOLAHKU_FEED, "https://smk.test/feed")
    assert lead.published == "2025-05-20 16:45:00"
    assert lead.date_hint() == DateHint("feed", "2025-05-20 16:45:00")


def test_rest_leads_carry_the_local_date_and_sitemaps_their_lastmod_as_weak_hint() -> None:
    posts = json.dumps([{"link": "https://smk.test/bakti/", "date": "2025-05-20T16:45:00",
                         "modified": "2025-05-21T08:00:00"}, {"link": "https://smk.test/x/", "date": 5}])
    [dated, undated] = discover.parse_wp_posts(posts.encode(), {})
    assert dated.date_hint() == DateHint("api", "2025-05-20T16:45:00")
    assert undated.date_hint() == DateHint("api", "")       # still a post: REST lists posts only
    sitemap = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://smk.test/a/</loc>'
               b'<lastmod>2025-05-22</lastmod></url></urlset>')
    [lead], _ = discover.parse_sitemap(sitemap)
    assert lead.date_hint() == DateHint("sitemap", "2025-05-22")


def dateless(title: str) -> str:
    """A page of a theme that prints no date and no article markup."""
    return (f"<!doctype html><html lang='id'><head><title>{title} - SMK Contoh</title></head><body>"
            f"<div class='content'><h1>{title}</h1><div class='isi'>"
            "<p>Siswa kelas XI mengikuti kegiatan bakti sosial di panti asuhan dekat sekolah bersama para guru.</p>"
            "<p>Kegiatan ini melatih kepedulian siswa terhadap sesama dan mempererat hubungan dengan warga.</p>"
            "</div></div></body></html>")


def one_site_config(server, tmp_path: Path) -> Config:
    site = SiteConfig(name="Sekolah Tanpa Tanggal", url=server.url("/"), timezone="Asia/Makassar")
    return Config(path=tmp_path / "config.toml",
                  archive=ArchiveConfig(path=tmp_path / "archive.db", captures=tmp_path / "captures"),
                  crawl=CrawlConfig(delay=0.0, timeout=2.0, retries=0), sites=(site,))


def test_a_post_dated_only_by_the_feed_is_archived_with_the_feeds_date(fault_server, tmp_path: Path) -> None:
    fault_server.add("/", "<html><head><link rel='alternate' type='application/rss+xml' href='/feed/'></head>"
                     "<body><h1>Beranda</h1><a href='/bakti-sosial/'>Bakti</a> <a href='/donor-darah/'>Donor</a>"
                     "</body></html>")
    fault_server.add("/feed/", f"""<?xml version="1.0"?><rss version="2.0"><channel><title>SMK</title>
        <item><title>Bakti Sosial</title><link>{fault_server.url('/bakti-sosial/')}</link>
        <pubDate>Tue, 20 May 2025 08:45:00 +0000</pubDate></item></channel></rss>""",
                     content_type="application/rss+xml")
    fault_server.add("/sitemap.xml", f"""<?xml version="1.0"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <url><loc>{fault_server.url('/bakti-sosial/')}</loc><lastmod>2025-06-01T00:00:00+00:00</lastmod></url>
        <url><loc>{fault_server.url('/profil-sekolah/')}</loc><lastmod>2025-06-01T00:00:00+00:00</lastmod></url>
        </urlset>""", content_type="application/xml")
    fault_server.add("/bakti-sosial/", dateless("Bakti Sosial Kelas XI"))
    fault_server.add("/donor-darah/", dateless("Donor Darah Bersama PMR"))     # in no feed: archived undated
    fault_server.add("/profil-sekolah/", dateless("Profil Sekolah"))           # in the sitemap only: stays out
    report = run_crawl(one_site_config(fault_server, tmp_path))
    assert report.ok, report.summary()
    assert {"/bakti-sosial/", "/donor-darah/", "/profil-sekolah/"} <= set(fault_server.paths())
    stored = [(a["url"], a["published"], a["published_source"], a["published_text"])
              for a in articles(tmp_path / "archive.db")]
    assert sorted(stored) == [(fault_server.url("/bakti-sosial/"), "2025-05-20T16:45:00+08:00", "feed",
                               "Tue, 20 May 2025 08:45:00 +0000"),
                              (fault_server.url("/donor-darah/"), None, None, None)]


def test_a_post_its_feed_lists_without_a_date_is_archived_undated(fault_server, tmp_path: Path) -> None:
    """Alone, a dateless page under a menu label is a static page; the feed listing it says it is a post."""
    menu = ("<nav class='menu'><a href='/'>Beranda</a> <a href='/kunjungan-industri/'>Kunjungan Industri</a> "
            "<a href='/profil/'>Profil</a></nav>")
    fault_server.add("/", "<html><head><link rel='alternate' type='application/rss+xml' href='/feed/'></head>"
                     f"<body>{menu}<h1>Beranda</h1></body></html>")
    fault_server.add("/feed/", f"""<?xml version="1.0"?><rss version="2.0"><channel><title>SMK</title>
        <item><title>Kunjungan Industri</title><link>{fault_server.url('/kunjungan-industri/')}</link></item>
        </channel></rss>""", content_type="application/rss+xml")
    fault_server.add("/kunjungan-industri/", dateless("Kunjungan Industri").replace("<body>", f"<body>{menu}"))
    fault_server.add("/profil/", dateless("Profil").replace("<body>", f"<body>{menu}"))
    report = run_crawl(one_site_config(fault_server, tmp_path))
    assert report.ok, report.summary()
    assert "/profil/" in set(fault_server.paths())
    stored = [(a["url"], a["title"], a["published"]) for a in articles(tmp_path / "archive.db")]
    assert stored == [(fault_server.url("/kunjungan-industri/"), "Kunjungan Industri", None)]


def test_a_post_fetched_after_its_feed_dropped_it_keeps_the_feeds_date(fault_server, tmp_path: Path) -> None:
    fault_server.add("/", "<html><head><link rel='alternate' type='application/rss+xml' href='/feed/'></head>"
                     "<body><h1>Beranda</h1><a href='/bakti-sosial/'>Bakti</a></body></html>")
    feed = """<?xml version="1.0"?><rss version="2.0"><channel><title>SMK</title>{}</channel></rss>"""
    fault_server.add("/feed/", feed.format(f"""<item><title>Bakti Sosial</title>
        <link>{fault_server.url('/bakti-sosial/')}</link><pubDate>Tue, 20 May 2025 08:45:00 +0000</pubDate></item>"""),
                     content_type="application/rss+xml")
    fault_server.add("/bakti-sosial/", "<h1>sibuk</h1>", status=503)       # down during the first run
    config = one_site_config(fault_server, tmp_path)
    run_crawl(config)
    assert articles(tmp_path / "archive.db") == []

    fault_server.add("/feed/", feed.format(""), content_type="application/rss+xml")   # newer posts pushed it out
    fault_server.add("/bakti-sosial/", dateless("Bakti Sosial Kelas XI"))
    report = run_crawl(config)
    assert report.ok, report.summary()
    stored = [(a["url"], a["published"], a["published_source"]) for a in articles(tmp_path / "archive.db")]
    assert stored == [(fault_server.url("/bakti-sosial/"), "2025-05-20T16:45:00+08:00", "feed")]
