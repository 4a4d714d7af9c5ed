"""The site profile lives with the site in the archive: learned by one crawl, used and extended by the next."""

from __future__ import annotations

from pathlib import Path

from test_crawl_corpus import articles
from test_crawl_hints import one_site_config

from archive import crawl_state
from archive.db import open_archive
from scraper.crawl.run import run_crawl
from scraper.extract.site_profile import SiteProfile

SITE = Path(__file__).parent / "data" / "pages" / "site"
STATIC = ("<html><head><title>SMP Negeri 4 Contoh - Website Resmi</title></head><body><h1>{}</h1>"
          "<p>Halaman ini berisi keterangan tetap tentang sekolah.</p></body></html>")


def serve_site(server, *, with_new_post: bool) -> None:
    home = (SITE / "index.html").read_text(encoding="utf-8")
    if with_new_post:
        home = home.replace("</ul></div>", "<li><a href='/berita/22/kunjungan-pabrik-roti/'>Kunjungan ke Pabrik "
                            "Roti</a></li></ul></div>", 1)
    server.add("/", home)
    server.add("/berita/", (SITE / "berita.html").read_bytes())
    for path, name in (("/berita/21/lomba-kaligrafi/", "berita-21.html"), ("/berita/23/kerja-bakti/", "berita-23.html"),
                       ("/berita/22/kunjungan-pabrik-roti/", "berita-22.html"),
                       ("/berita/18/upacara-hari-guru/", "berita-21.html"),
                       ("/berita/17/pentas-seni/", "berita-21.html")):
        server.add(path, (SITE / name).read_bytes())
    for path, title in (("/profil/", "Profil Sekolah"), ("/kontak/", "Kontak")):
        server.add(path, STATIC.format(title))


def stored_profile(db_path: Path) -> SiteProfile:
    db = open_archive(db_path)
    try:
        [host] = [row[0] for row in db.conn.execute("SELECT host FROM sites")]
        return SiteProfile.from_json(crawl_state.load_profile(db, host))
    finally:
        db.close()


def test_the_profile_is_stored_with_the_site_and_used_by_the_next_crawl(fault_server, tmp_path: Path) -> None:
    serve_site(fault_server, with_new_post=False)
    config = one_site_config(fault_server, tmp_path)
    assert run_crawl(config).ok
    first = stored_profile(config.archive.path)
    assert first.pages >= 5 and first.month_first_dates            # taught by `Diposting: 11/23/2025`
    assert sum(first.is_template(key) for key in first.counts) >= 5  # banner, menu, sidebar, footer lines

    serve_site(fault_server, with_new_post=True)   # the month-first page is not fetched again in run 2
    assert run_crawl(config).ok
    assert len(fault_server.requests_for("/berita/21/lomba-kaligrafi/")) == 1
    second = stored_profile(config.archive.path)
    assert second.pages > first.pages and second.month_first >= first.month_first
    new = {a["url"].split("/")[-2]: a for a in articles(config.archive.path)}["kunjungan-pabrik-roti"]
    assert new["published"] == "2025-11-05"     # `11/05/2025` read month first, as the site writes
    assert new["title"] == "Kunjungan ke Pabrik Roti di Kawasan Industri"   # not the welcome banner


def test_an_unreadable_stored_profile_is_a_fresh_start(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "a.db")
    try:
        crawl_state.upsert_site(db, {"host": "smp.test", "name": "SMP", "url": "https://smp.test/"}, "2026-12-01")
        assert crawl_state.load_profile(db, "smp.test") is None
        db.conn.execute("UPDATE sites SET profile = '{not json' WHERE host = 'smp.test'")
        assert crawl_state.load_profile(db, "smp.test") is None
        crawl_state.save_profile(db, "smp.test", SiteProfile(pages=2).to_json())
        assert SiteProfile.from_json(crawl_state.load_profile(db, "smp.test")).pages == 2
        assert crawl_state.load_profile(db, "other.test") is None
    finally:
        db.close()
