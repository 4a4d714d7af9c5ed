"""Discovery parsers: sitemaps, feeds, WordPress REST and CMS Sekolahku listings (no network)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from scraper.crawl import discover
from scraper.crawl.discover import (
    category_name,
    feed_candidates,
    parse_feed,
    parse_sekolahku_listing,
    parse_sekolahku_rows,
    parse_sitemap,
    parse_wp_categories,
    parse_wp_posts,
    sekolahku_page_request,
    sitemap_candidates,
    wordpress_api_root,
    wp_rest_url,
)

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>http://x.test/2025/01/31/mou/</loc><lastmod>2025-02-01T10:00:00+07:00</lastmod></url>
  <url><loc> http://x.test/profil/ </loc></url>
</urlset>"""
INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://x.test/wp-sitemap-posts-post-1.xml</loc></sitemap></sitemapindex>"""


def test_sitemap_urlset_gives_pages_with_lastmod() -> None:
    pages, children = parse_sitemap(URLSET)
    assert children == []
    assert [(p.url, p.lastmod) for p in pages] == [
        ("http://x.test/2025/01/31/mou/", "2025-02-01T10:00:00+07:00"), ("http://x.test/profil/", None)]


def test_sitemap_index_gives_children_also_gzipped() -> None:
    assert parse_sitemap(gzip.compress(INDEX)) == ([], ["http://x.test/wp-sitemap-posts-post-1.xml"])


def test_broken_sitemap_still_yields_locs_and_garbage_yields_nothing() -> None:
    pages, _ = parse_sitemap(URLSET.replace(b"</urlset>", b"<url><loc>http://x.test/a</loc"))
    assert [p.url for p in pages][:1] == ["http://x.test/2025/01/31/mou/"]
    assert parse_sitemap(b"\x1f\x8b not gzip") == ([], [])
    assert parse_sitemap(b"<html>404</html>") == ([], [])


def test_feed_keeps_raw_mysql_pubdate_as_hint() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
    <item><title>A</title><link>http://x.test/read/106/a</link><pubDate>2025-05-20 16:45:00</pubDate></item>
    <item><title>B</title><link>/read/107/b</link></item></channel></rss>"""
    leads = parse_feed(rss, "http://x.test/feed")
    assert [(lead.url, lead.lastmod) for lead in leads] == [
        ("http://x.test/read/106/a", "2025-05-20 16:45:00"), ("http://x.test/read/107/b", None)]
    assert parse_feed(b"not a feed", "http://x.test/") == []


_WP_RSS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>SMKN 4</title><link>http://x.test</link>
 <item><title>MoU &amp; PKL</title><link>http://x.test/mou-pkl/</link><dc:creator><![CDATA[admin]]></dc:creator>
 <pubDate>Sat, 21 Jun 2025 04:16:00 +0000</pubDate><category><![CDATA[Berita]]></category>
 <guid isPermaLink="false">http://x.test/?p=12</guid><content:encoded><![CDATA[<p>Isi &nbsp; <b>berita</b></p>]]>
 </content:encoded></item>
 <item><title>Tanpa tanggal</title><link> /ppdb/ </link></item></channel></rss>"""


@pytest.mark.parametrize("feed", [
    _WP_RSS,
    # feedparser's path: an item dated by dc:date as well, an item whose link is only its guid, and an Atom feed
    _WP_RSS.replace(b"<dc:creator>", b"<dc:date>2025-06-21T11:16:00+07:00</dc:date><dc:creator>"),
    _WP_RSS.replace(b"<link> /ppdb/ </link>", b'<guid isPermaLink="true">http://x.test/ppdb/</guid>'),
    b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>b</title><entry><title>A</title>
    <link rel="alternate" href="http://x.test/2025/06/a.html"/><published>2025-06-21T11:16:00+07:00</published>
    <updated>2025-06-22T08:00:00+07:00</updated></entry></feed>""",
])
def test_a_plain_rss_feed_reads_as_feedparser_reads_it(feed: bytes) -> None:
    # expat reads the plain RSS 2.0 feeds CMSes print ~60x faster; every other feed goes to feedparser
    assert parse_feed(feed, "http://x.test/feed/") == discover._feedparser_leads(feed, "http://x.test/feed/")
    assert (discover._plain_rss(feed, "http://x.test/feed/") is not None) is (feed == _WP_RSS)
    assert parse_feed(feed, "http://x.test/feed/")[0].url.startswith("http://x.test/")


def test_one_posts_rest_answer_is_a_lead_too() -> None:
    post = b'{"id": 12, "date": "2025-06-21T11:16:00", "link": "http://x.test/mou-pkl/", "categories": [3]}'
    [lead] = parse_wp_posts(post, {3: "Berita"})
    assert (lead.url, lead.published, lead.categories) == ("http://x.test/mou-pkl/", "2025-06-21T11:16:00", ("Berita",))


def test_candidates_follow_robots_then_cms_defaults() -> None:
    site = "http://x.test/"
    assert sitemap_candidates(site, ["http://x.test/s.xml", "http://x.test/s.xml"], None) == ["http://x.test/s.xml"]
    assert sitemap_candidates(site, [], "wordpress") == ["http://x.test/wp-sitemap.xml", "http://x.test/?sitemap=index"]
    assert sitemap_candidates(site, [], "sekolahku") == []
    assert feed_candidates(site, ["http://x.test/?feed=rss2", "http://x.test/?feed=comments-rss2"], "wordpress") == [
        "http://x.test/?feed=rss2"]
    assert feed_candidates(site, [], "blogger") == ["http://x.test/feeds/posts/default"]
    assert feed_candidates(site, [], None) == []


def test_rest_urls_for_pretty_and_plain_permalinks() -> None:
    assert wp_rest_url("http://x.test/wp-json/", "wp/v2/posts") == "http://x.test/wp-json/wp/v2/posts?per_page=100"
    assert wp_rest_url("http://x.test/index.php?rest_route=/", "wp/v2/posts", 2) == (
        "http://x.test/?rest_route=/wp/v2/posts&per_page=100&page=2")
    headers = {"link": '<http://x.test/index.php?rest_route=/>; rel="https://api.w.org/"'}
    assert wordpress_api_root(headers, b"", "http://x.test/") == "http://x.test/index.php?rest_route=/"
    html = b'<link rel="https://api.w.org/" href="http://x.test/wp-json/" />'
    assert wordpress_api_root({}, html, "http://x.test/") == "http://x.test/wp-json/"
    assert wordpress_api_root({}, b"<html></html>", "http://x.test/") is None


def test_rest_posts_resolve_category_names() -> None:
    categories = parse_wp_categories(json.dumps([{"id": 3, "name": "Berita &amp; Info"}, {"x": 1}]).encode())
    posts = json.dumps([{"link": "http://x.test/?p=5", "modified": "2025-01-02T10:00:00", "categories": [3, 9]},
                        {"id": 7}]).encode()
    [lead] = parse_wp_posts(posts, categories)
    assert (lead.url, lead.lastmod) == ("http://x.test/?p=5", "2025-01-02T10:00:00")
    assert lead.categories == ("Berita & Info",)
    assert parse_wp_posts(b'{"code": "rest_no_route"}', {}) == []


def test_sekolahku_rows_and_request() -> None:
    rows = json.dumps({"rows": [{"id": "102", "post_slug": "benchmark"}, {"id": "x"}]}).encode()
    [lead] = parse_sekolahku_rows(rows, "http://x.test/", "Berita")
    assert (lead.url, lead.categories) == ("http://x.test/read/102/benchmark", ("Berita",))
    assert parse_sekolahku_rows(b"<html>", "http://x.test/", None) == []
    assert sekolahku_page_request("http://x.test/", "berita", 2) == (
        "http://x.test/public/post_categories/get_posts", {"category_slug": "berita", "page_number": "2"})
    assert category_name("KEGIATAN SISWA") == "Kegiatan Siswa"
    assert category_name("Berita Sekolah") == "Berita Sekolah"


def _recorded(warc: Path, url: str) -> bytes:
    with warc.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI") == url:
                return record.content_stream().read()
    raise AssertionError(f"{url} not recorded")


def test_real_sekolahku_listing(corpus: Path) -> None:
    warc = corpus / "sekolahku" / "smkn3-tanjungharapan.test.warc.gz"
    url = "http://smkn3-tanjungharapan.test/kategori/berita"
    listing = parse_sekolahku_listing(_recorded(warc, url), url)
    assert listing.category == "Berita"
    assert listing.category_slug == "berita"
    assert listing.total_pages == 2
    assert len(listing.post_urls) == 10 and all("/read/" in u for u in listing.post_urls)


@pytest.mark.parametrize(("path", "url", "count"), [
    ("wordpress/smk-bhaktiwiyata-smg.test.warc.gz", "http://smk-bhaktiwiyata-smg.test/wp-sitemap-posts-post-1.xml", 38),
    ("wordpress/smk-karyateknik-bpn.test.warc.gz", "http://smk-karyateknik-bpn.test/?feed=rss2", 10),
    ("sekolahku/smkn3-tanjungharapan.test.warc.gz", "http://smkn3-tanjungharapan.test/feed", 10),
])
def test_real_sitemaps_and_feeds(corpus: Path, path: str, url: str, count: int) -> None:
    content = _recorded(corpus / path, url)
    leads = parse_feed(content, url) if "feed" in url else parse_sitemap(content)[0]
    assert len(leads) >= count
    assert all(lead.url.startswith(url.split("/")[0] + "//" + url.split("/")[2]) for lead in leads)
