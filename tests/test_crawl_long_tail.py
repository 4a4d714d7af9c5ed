"""Discovery on the long tail, end to end: hand-written school sites (tests/servers/school_sites.py) with no
robots.txt, sitemap or feed, a door at the root and categories or dates printed only on listings, crawled twice
from a real server on 127.0.0.1 by `warta crawl`'s library function."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from servers.faults import CLOCK_SLACK, FaultServer
from servers.school_sites import DOORS, Post, frames_site, portal_site, table_site
from test_crawl_corpus import articles
from test_parse_security import PATHOLOGICAL, SECONDS_PER_PAGE

from archive.warc import iter_responses
from scraper.config import ArchiveConfig, Config, CrawlConfig, SiteConfig
from scraper.crawl import entry, listings
from scraper.crawl.report import CrawlReport
from scraper.crawl.run import run_crawl
from scraper.extract.decode import decode_html

DELAY = 0.05


def crawl(server: FaultServer, tmp_path: Path, delay: float = 0.0, budget: int = 2000) -> CrawlReport:
    site = SiteConfig(name="Sekolah Lama", url=server.url("/"), timezone="Asia/Jakarta")
    config = Config(path=tmp_path / "config.toml",
                    archive=ArchiveConfig(path=tmp_path / "archive.db", captures=tmp_path / "captures"),
                    crawl=CrawlConfig(delay=delay, timeout=5.0, retries=0, max_pages_per_site=budget),
                    sites=(site,))
    return run_crawl(config)


def local(url: str) -> str:
    """An archived URL as the site's path and query, the query in the order the site prints it."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def archived(tmp_path: Path) -> dict[str, dict]:
    return {local(a["url"]): a for a in articles(tmp_path / "archive.db")}


def sorted_query(path: str) -> str:
    base, _, query = path.partition("?")
    return base + ("?" + "&".join(sorted(query.split("&"))) if query else "")


def assert_archived_exactly(tmp_path: Path, posts: dict[str, Post]) -> None:
    """Every post archived once with its title, day and categories; nothing else archived."""
    stored = archived(tmp_path)
    expected = {sorted_query(path): post for path, post in posts.items()}
    assert set(stored) == set(expected), (sorted(set(expected) - set(stored)), sorted(set(stored) - set(expected)))
    for path, post in expected.items():
        article = stored[path]
        assert article["title"] == post.title, path
        assert (article["published"] or "")[:10] == post.day, (path, article["published"], article["published_source"])
        assert set(json.loads(article["categories"])) == set(post.categories), (path, article["categories"])


def article_requests(server: FaultServer, posts: dict[str, Post], since: int = 0) -> list[str]:
    wanted = {sorted_query(path) for path in posts}
    return [r.path for r in server.requests[since:] if sorted_query(r.path) in wanted]


@pytest.fixture
def quiet_server(monkeypatch: pytest.MonkeyPatch):
    """A server without robots.txt (404), as most of these sites."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    with FaultServer(robots=None) as server:
        yield server


@pytest.mark.parametrize("door", sorted(DOORS))
def test_a_door_at_the_root_leads_to_the_whole_table_site(quiet_server: FaultServer, tmp_path: Path,
                                                         door: str) -> None:
    posts = table_site(quiet_server, door)
    report = crawl(quiet_server, tmp_path)
    assert report.ok, report.summary()
    assert_archived_exactly(tmp_path, posts)
    [site] = report.sites
    info, notices = quiet_server.url("/html/index.php?mod=info"), quiet_server.url("/html/index.php?mod=pengumuman")
    kind = door if door in ("meta refresh", "splash link") else "script redirect"
    assert site.doors == [f"{kind} "
                          f"{quiet_server.url('/')} → {quiet_server.url('/html/index.php')}",
                          f"script redirect {info} → {notices}"]     # a menu link's page that is a door
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        found_via = dict(conn.execute("SELECT url, found_via FROM urls"))
    assert found_via[quiet_server.url("/html/index.php")] == f"{kind} from {quiet_server.url('/')}"
    assert found_via[notices] == f"script redirect from {info}"


def test_the_table_site_is_crawled_politely_and_its_second_run_refetches_no_post(quiet_server: FaultServer,
                                                                                  tmp_path: Path) -> None:
    posts = table_site(quiet_server, "meta refresh")
    first = crawl(quiet_server, tmp_path, delay=DELAY)
    assert first.ok, first.summary()
    assert quiet_server.requests[0].path == "/robots.txt"
    assert min(quiet_server.gaps()) >= DELAY - CLOCK_SLACK
    assert sorted(article_requests(quiet_server, posts)) == sorted(set(article_requests(quiet_server, posts)))
    middle = len(quiet_server.requests)
    second = crawl(quiet_server, tmp_path, delay=DELAY)
    assert second.ok and second.sites[0].new_articles == 0, second.summary()
    assert article_requests(quiet_server, posts, since=middle) == []
    assert quiet_server.requests[middle].path == "/robots.txt"
    reread = [r.path for r in quiet_server.requests[middle:]]
    assert "/html/index.php?mod=berita" in reread and not any("hal=" in path for path in reread)
    assert_archived_exactly(tmp_path, posts)


def test_a_new_post_on_an_unchanged_table_site_is_found_on_its_listing(quiet_server: FaultServer,
                                                                       tmp_path: Path) -> None:
    posts = table_site(quiet_server, "location.replace")
    crawl(quiet_server, tmp_path)
    page = quiet_server.served("/html/index.php?mod=pengumuman")
    new = "/html/index.php?mod=pengumuman&id=9"
    quiet_server.add("/html/index.php?mod=pengumuman", page.replace(
        "<table><tr><td>", '<table><tr><td><a href="index.php?mod=pengumuman&amp;id=9"><b>Pengumuman Libur '
                           'Semester Genap Tahun Ini</b></a><br><i>3 Desember 2025</i></td></tr><tr><td>', 1))
    # a post page that prints no date of its own (the copied page's `Ditulis:` line dropped): the card dates it
    copied = quiet_server.served("/html/index.php?mod=pengumuman&id=1").replace(
        posts["/html/index.php?mod=pengumuman&id=1"].title, "Pengumuman Libur Semester Genap Tahun Ini")
    quiet_server.add(new, re.sub(r"<p><i>Ditulis:.*?</i></p>", "", copied))
    middle = len(quiet_server.requests)
    report = crawl(quiet_server, tmp_path)
    assert report.sites[0].new_articles == 1, report.summary()
    assert article_requests(quiet_server, posts, since=middle) == []
    assert archived(tmp_path)[sorted_query(new)]["published"][:10] == "2025-12-03"


def test_a_site_larger_than_the_budget_is_finished_by_the_next_runs(quiet_server: FaultServer,
                                                                    tmp_path: Path) -> None:
    posts = table_site(quiet_server, "window.location")
    new = [crawl(quiet_server, tmp_path, budget=20).sites[0].new_articles for _ in range(3)]
    assert new[0] > 0 and sum(new) == len(posts), new
    assert_archived_exactly(tmp_path, posts)          # categories and dates kept in `urls` between the runs
    fetched = article_requests(quiet_server, posts)
    assert len(fetched) == len(set(fetched)) == len(posts)


def test_a_frameset_with_an_image_map_menu_and_dates_only_on_cards(quiet_server: FaultServer,
                                                                    tmp_path: Path) -> None:
    posts = frames_site(quiet_server)
    report = crawl(quiet_server, tmp_path)
    assert report.ok, report.summary()
    assert_archived_exactly(tmp_path, posts)          # the posts print no date: each comes from its card
    assert {a["published_source"] for a in archived(tmp_path).values()} == {"listing"}
    assert report.sites[0].doors == [f"frame {quiet_server.url('/')} → {quiet_server.url(path)}"
                                     for path in ("/web/menu.html", "/web/beranda.html")]
    assert "/web/profil.html" in quiet_server.paths()         # reached through the image map, not archived
    middle = len(quiet_server.requests)
    crawl(quiet_server, tmp_path)
    assert article_requests(quiet_server, posts, since=middle) == []
    assert not any("halaman" in path for path in quiet_server.paths()[middle:])


def test_a_site_of_no_known_platform_gets_categories_and_dates_from_its_listings_despite_its_sitemap(
        quiet_server: FaultServer, tmp_path: Path) -> None:
    posts = frames_site(quiet_server)
    entries = "".join(f"<url><loc>{quiet_server.url(path)}</loc></url>" for path in posts)
    quiet_server.add("/sitemap.xml", f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/'
                                     f'0.9">{entries}</urlset>', content_type="application/xml")
    report = crawl(quiet_server, tmp_path)
    assert report.ok, report.summary()
    assert_archived_exactly(tmp_path, posts)
    middle = len(quiet_server.requests)
    crawl(quiet_server, tmp_path)
    assert article_requests(quiet_server, posts, since=middle) == []


def test_an_iframe_portal_paginated_by_post(quiet_server: FaultServer, tmp_path: Path) -> None:
    posts = portal_site(quiet_server)
    report = crawl(quiet_server, tmp_path, delay=DELAY)
    assert report.ok, report.summary()
    assert_archived_exactly(tmp_path, posts)
    assert quiet_server.requests[0].path == "/robots.txt"
    assert min(quiet_server.gaps()) >= DELAY - CLOCK_SLACK          # the POSTs wait their turn too
    posted = [(r.path, r.body) for r in quiet_server.requests if r.method == "POST"]
    assert posted == [("/portal/ajax/berita.php", b"page=2"), ("/portal/ajax/berita.php", b"page=3"),
                      ("/portal/info", b"hal=2")]
    assert all(r.headers.get("x-requested-with") == "XMLHttpRequest" for r in quiet_server.requests
               if r.method == "POST")
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        found_via = dict(conn.execute("SELECT url, found_via FROM urls"))
    assert {found_via[quiet_server.url(f"/portal/baca.php?id={n}")] for n in (4, 7, 8)} == {
        f"load more of {quiet_server.url('/portal/berita')}"}       # 7 and 8 from the JSON answer
    middle = len(quiet_server.requests)
    crawl(quiet_server, tmp_path)
    assert article_requests(quiet_server, posts, since=middle) == []
    assert all(r.method == "GET" for r in quiet_server.requests[middle:])


def test_a_door_to_another_site_or_a_private_address_is_not_followed(
        quiet_server: FaultServer, other_fault_server: FaultServer, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    elsewhere = other_fault_server.url("/html/index.php")
    quiet_server.add("/", '<html><head><meta http-equiv="refresh" content="0;url=http://10.0.0.7/portal/">'
                          f'<script>window.location.href = "{elsewhere}";</script></head><body></body></html>')
    with caplog.at_level(logging.WARNING, logger="scraper.crawl.long_tail"):
        report = crawl(quiet_server, tmp_path)
    assert other_fault_server.requests == []
    assert all(urlsplit(r.path).path in ("/robots.txt", "/", "/sitemap.xml", "/sitemap_index.xml")
               for r in quiet_server.requests)
    assert report.sites[0].doors == [
        f"not followed: meta refresh {quiet_server.url('/')} → http://10.0.0.7/portal/ (another site; 10.0.0.7 is "
        "a private address)",
        f"not followed: script redirect {quiet_server.url('/')} → {elsewhere} (another site; 127.0.0.1 is a "
        "loopback address)"]
    assert "not followed: another site; 10.0.0.7 is a private address" in caplog.text
    assert archived(tmp_path) == {}


def test_doors_are_read_from_the_markup_only_on_pages_that_are_doors() -> None:
    menu = ("<html><body><p>" + "Berita sekolah hari ini. " * 30 + "</p><select onchange=\"location = 'x'\">"
            "</select><script>if (screen.width < 600) { window.location = '/m/'; }</script></body></html>")
    assert entry.find_doors(menu.encode(), "http://sekolah.test/") == []
    door = b"<script>top.location = '/web/'; document.location.replace('/old/');</script><p>Tunggu...</p>"
    assert entry.find_doors(door, "http://sekolah.test/") == [
        entry.Door("script redirect", "http://sekolah.test/web/"),
        entry.Door("script redirect", "http://sekolah.test/old/")]
    slow = b'<meta http-equiv="refresh" content="300; url=/">'
    assert entry.find_doors(slow, "http://sekolah.test/berita/") == []
    splash = b'<a href="html/index.php"><img src="masuk.gif"></a> <a href="/bakti-sosial/">Bakti</a> <a href="/?p=5">'
    assert entry.splash_links(splash, "http://sekolah.test/") == [
        entry.Door("splash link", "http://sekolah.test/html/index.php")]      # a tiny home's posts are no doors


def test_pages_without_a_door_word_are_not_parsed_and_no_door_is_missed(
        corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shouting = (b'<HTML><HEAD><META HTTP-EQUIV="Refresh" CONTENT="0; URL=/web/"></HEAD><FRAMESET>'
                b'<FRAME SRC="/menu.html"></FRAMESET></HTML>')
    assert entry.find_doors(shouting, "http://sekolah.test/") == [
        entry.Door("meta refresh", "http://sekolah.test/web/"), entry.Door("frame", "http://sekolah.test/menu.html")]
    assert entry.find_doors(b'<BODY><IFRAME SRC="/x/"></IFRAME></BODY>', "http://sekolah.test/") == [
        entry.Door("frame", "http://sekolah.test/x/")]
    pages = [(record.url, record.body) for path in sorted(corpus.glob("*/*.warc.gz"))
             for record in iter_responses(path) if record.is_html]
    quick = [entry.find_doors(body, url) for url, body in pages]
    assert sum(not entry._may_have_doors(decode_html(body)) for _, body in pages) > len(pages) / 4
    monkeypatch.setattr(entry, "_may_have_doors", lambda markup: True)   # every page parsed, as before
    assert quick == [entry.find_doors(body, url) for url, body in pages]


def test_listing_parts_are_read_without_scripts() -> None:
    assert listings.url_shape("http://s.test/html/berita/12-juara-lomba.html") == "/html/berita/*.html"
    assert listings.url_shape("http://s.test/index.php?mod=berita&id=12") == "/index.php?id=*&mod=berita"
    page = (b'<div><button class="more" data-url="/ajax/list.php" data-page="2" data-pages="4">Lihat lagi</button>'
            b'<a href="/berita/halaman/2">2</a> <a href="/berita?offset=10">Next</a> <a href="/berita/index/20">3</a>'
            b'<a href="/berita?tgl=12&amp;bln=5">12</a> <a href="/agenda/4">4</a></div>')   # a calendar, a module
    listing = listings.read_listing(page, "http://s.test/berita", tz="Asia/Jakarta")
    assert listing.load_more == listings.LoadMore("http://s.test/ajax/list.php", {"page": "2"}, "page", 4)
    assert listing.pages == ["http://s.test/berita/halaman/2", "http://s.test/berita?offset=10",
                             "http://s.test/berita/index/20"]
    labelled = b"<title>Berita</title><h3>Kategori : Prestasi Siswa</h3>"
    assert listings.read_listing(labelled, "http://s.test/x.php", tz="Asia/Jakarta").category == "Prestasi Siswa"
    by_link = listings.read_listing(b"<h1>SMA</h1>", "http://s.test/index.php?kat=4", tz="Asia/Jakarta",
                                    led_by="Seni Budaya")
    assert by_link.category == "Seni Budaya"
    # the listing of every post is no category, whether its title or the menu link that led to it names it
    for title, led_by in (("Semua Kategori", None), ("All Categories", None), ("Berita", "Kategori")):
        every = f"<title>{title}</title><h1>SMK</h1>".encode()
        assert listings.read_listing(every, "http://s.test/category/all", tz="Asia/Jakarta",
                                     led_by=led_by).category is None
    titled = listings.read_listing(b"<title>Artikel Guru</title>", "http://s.test/category/artikel-guru",
                                   tz="Asia/Jakarta")
    assert titled.category == "Artikel Guru"



def test_card_dates_in_one_table_cell_and_on_read_more_cards() -> None:
    cell = ('<table><tr><td><a href="/berita.php?id=1">Juara Satu Lomba Pidato Bahasa Jawa</a> (12/05/2025)<br>'
            '<a href="/berita.php?id=2">Kunjungan Kerja ke Dinas Pendidikan Kota</a> <font size=1>Senin, 3 Maret '
            '2025</font><br><a href="/berita.php?id=3">Upacara 17 Agustus 2024 di Lapangan Sekolah</a><br>'
            '</td></tr></table>')
    cards = "".join(f'<div class="post"><h3>Kabar Sekolah Nomor {n} Hari Ini</h3><span>{n} Juni 2025</span>'
                    f'<a href="/baca.php?id={n}">Selengkapnya &raquo;</a></div>' for n in (7, 8, 9))
    listing = listings.read_listing((cell + cards).encode(), "http://s.test/", tz="Asia/Jakarta")
    assert [(urlsplit(p.url).query, p.date) for p in listing.posts] == [
        ("id=1", "12/05/2025"), ("id=2", "Senin, 3 Maret 2025"), ("id=3", None),   # a date in a title is none
        ("id=7", "7 Juni 2025"), ("id=8", "8 Juni 2025"), ("id=9", "9 Juni 2025")]


_MARKUP = st.sampled_from([
    "<a href='/berita/detail.php?id=1'>Juara Lomba Cerdas Cermat Tingkat Kabupaten</a>", "<time datetime='x'>",
    "<button class='more' data-url='/a' data-page='²' data-total='9' data-form-x>lagi</button>", "<frameset>",
    "<form method=post action='//other.test/'><input name=hal value=2></form>", "<meta http-equiv=refresh content",
    "<script>location.replace('http://[::1')</script>", "<area href='javascript:x'>", "<h3>Kategori: </h3>",
    "<iframe src='/portal/'>", "<a href='?hal=1'>1</a>", "<a href='/berita/halaman/9999999999'>»</a>", "</div>"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_MARKUP | st.text(max_size=40), max_size=25))
def test_any_markup_reads_as_doors_and_a_listing_without_raising(parts: list[str]) -> None:
    page = "".join(parts).encode("utf-8", "surrogatepass")
    assert all(door.url.startswith("http") for door in entry.find_doors(page, "http://sekolah.test/"))
    listing = listings.read_listing(page, "http://sekolah.test/berita", tz="Asia/Jakarta")
    assert all(post.url.startswith("http://sekolah.test/") for post in listing.posts)
    assert listing.load_more is None or listing.load_more.next().number > listing.load_more.number


@pytest.mark.parametrize("name", ["100,000 nested ul/li", "table, list and inline nesting"])
def test_pathological_pages_are_read_as_doors_and_listings_in_bounded_time(name: str) -> None:
    content = PATHOLOGICAL[name]().encode()
    started = time.perf_counter()
    assert entry.find_doors(content, "http://sekolah.test/") == []
    listings.read_listing(content, "http://sekolah.test/berita", tz="Asia/Jakarta")
    assert time.perf_counter() - started < SECONDS_PER_PAGE
