"""Property-based tests (hypothesis) on the parsers that read what sites send: robots.txt, sitemaps, feeds and
WordPress REST answers, the URL normaliser, the address guard, the markup bounds and the extractor's invariants.
The date parser and the extractor's never-raises properties live in test_dates.py and test_extract_robust.py."""

from __future__ import annotations

import ipaddress
import json
import time
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.crawl.discover import parse_feed, parse_sitemap, parse_wp_categories, parse_wp_posts
from scraper.crawl.guard import address_problem, ip_literal_problem, parse_ip
from scraper.crawl.robots import Robots
from scraper.crawl.urls import normalize_url, trap_reason
from scraper.extract import extract_page
from scraper.extract.bounds import bound_markup
from scraper.sites import same_site

AGENT = "warta/0.1 (+https://example.test/; research archive)"
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_ROBOTS_LINES = st.sampled_from(["User-agent: *", "User-agent: warta", "Disallow: /", "Disallow: /private/",
                                 "Allow: /private/ok", "Crawl-delay: 5", "Crawl-delay: -1", "Crawl-delay: 1e308",
                                 "Sitemap: /sitemap.xml", "Sitemap: http://10.0.0.1/s.xml", "Disallow: /*?s=",
                                 "Disallow: /$", "# comment", "", "\ufeffUser-agent: *", "Disallow: %"])


@SLOW
@given(st.lists(_ROBOTS_LINES | st.text(max_size=30), max_size=30), st.text(max_size=40))
def test_any_robots_txt_parses_and_answers(lines: list[str], path: str) -> None:
    robots = Robots.parse("\n".join(lines).encode("utf-8", "surrogatepass"), AGENT, "http://sekolah.test/")
    assert isinstance(robots.allowed("http://sekolah.test/" + path), bool)
    assert all(isinstance(url, str) for url in robots.sitemaps)
    assert robots.crawl_delay is None or isinstance(robots.crawl_delay, float)


@SLOW
@given(st.binary(max_size=3000))
def test_any_bytes_as_robots_txt_never_raise(content: bytes) -> None:
    assert isinstance(Robots.parse(content, AGENT).allowed("http://sekolah.test/x"), bool)


_XML_PARTS = st.sampled_from(['<?xml version="1.0"?>', "<urlset>", "</urlset>", "<sitemapindex>", "</sitemapindex>",
                              "<url>", "</url>", "<sitemap>", "</sitemap>", "<loc>", "</loc>", "<lastmod>",
                              "</lastmod>", "http://sekolah.test/a", "2025-13-45", "&amp;", "&lol;", "<![CDATA[x]]>",
                              '<!DOCTYPE r [<!ENTITY lol "lol">]>', "<rss>", "<item>", "<link>", "</link>",
                              '<!ENTITY x SYSTEM "file:///etc/passwd">', "&x;", "\x1f\x8b", "<", ">"])


@SLOW
@given(st.lists(_XML_PARTS | st.text(max_size=20), max_size=40))
def test_any_sitemap_or_feed_gives_string_urls(parts: list[str]) -> None:
    content = "".join(parts).encode("utf-8", "surrogatepass")
    pages, children = parse_sitemap(content)
    assert all(isinstance(lead.url, str) for lead in pages) and all(isinstance(url, str) for url in children)
    assert all(isinstance(lead.url, str) for lead in parse_feed(content, "http://sekolah.test/"))


def test_xml_bombs_and_external_entities_are_never_expanded() -> None:
    levels = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{levels}]>'
    external = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
    started = time.perf_counter()
    for prolog in (bomb, external):
        sitemap = (prolog + "<urlset><url><loc>http://sekolah.test/&l9;&x;</loc></url></urlset>").encode()
        feed = (prolog + "<rss><channel><item><link>http://sekolah.test/&l9;&x;</link></item></channel></rss>").encode()
        urls = [lead.url for lead in parse_sitemap(sitemap)[0] + parse_feed(feed, "http://sekolah.test/")]
        assert urls and all(len(url) < 100 for url in urls), urls
    assert time.perf_counter() - started < 1      # the DOCTYPE is gone before parsing: nothing to expand


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                         st.sampled_from(["id", "name", "link", "modified", "modified_gmt", "categories", "x"]),
                         inner, max_size=5), max_leaves=20)


@SLOW
@given(_JSON)
def test_any_rest_answer_gives_leads_or_nothing(data) -> None:
    content = json.dumps(data).encode()
    categories = parse_wp_categories(content)
    assert all(isinstance(key, int) and isinstance(name, str) for key, name in categories.items())
    for lead in parse_wp_posts(content, categories):
        assert isinstance(lead.url, str) and isinstance(lead.lastmod, str | None)
        assert all(isinstance(name, str) for name in lead.categories)


_URL_PARTS = st.sampled_from(["http://", "https://", "HTTP://", "//", "[::1]", "[fe80::1%25eth0]", "10.0.0.1",
                              "sekolah.test", "www.", ":80", ":8080", ":99999", "/", "?", "#", "&", "=", "%",
                              "%2e%2e", "..", "utm_source=x", "p=5", "index.php", "@", "\\", " ", "\t", "ü", "\x00"])


@SLOW
@given(st.lists(_URL_PARTS | st.text(max_size=8), max_size=12).map("".join))
def test_normalised_urls_are_http_with_a_host_and_stable(raw: str) -> None:
    url = normalize_url(raw, "https://sekolah.test/berita/")
    if url is None:
        return
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.hostname
    assert normalize_url(url) == url
    assert isinstance(same_site(url, "https://sekolah.test/"), bool) and trap_reason(url) in (None, *[trap_reason(url)])


@given(st.text(max_size=40))
def test_host_parsing_never_raises(host: str) -> None:
    address = parse_ip(host)
    assert address is None or address_problem(address) in (None, *[address_problem(address)])
    assert ip_literal_problem(f"http://{host}/") is None or isinstance(ip_literal_problem(f"http://{host}/"), str)


@given(st.ip_addresses(network="10.0.0.0/8") | st.ip_addresses(network="127.0.0.0/8")
       | st.ip_addresses(network="169.254.0.0/16") | st.ip_addresses(network="192.168.0.0/16")
       | st.ip_addresses(network="fe80::/10") | st.ip_addresses(network="fc00::/7"))
def test_every_private_address_is_refused_in_any_spelling(address) -> None:
    host = f"[{address}]" if address.version == 6 else str(address)
    assert ip_literal_problem(f"http://{host}:8080/x") is not None
    if address.version == 4:
        assert ip_literal_problem(f"http://{int(address)}/") is not None          # the decimal spelling
        assert ip_literal_problem(f"http://[::ffff:{address}]/") is not None      # IPv4-mapped IPv6


@given(st.ip_addresses(v=4))
def test_public_addresses_pass_and_others_are_named(address: ipaddress.IPv4Address) -> None:
    assert (address_problem(address) is None) == (address.is_global and not address.is_multicast)


_SOUP = st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<ul><li>", "<b id=1>", "<svg><path/>", "<script>",
                         "</script>", "<!--", "-->", "<a title='</div>'>", "<td>", "x", " ", "<", ">", "'", '"'])


@SLOW
@given(st.lists(_SOUP, max_size=60).map("".join), st.integers(0, 3))
def test_markup_bounds_only_ever_remove_tags(soup: str, repeat: int) -> None:
    markup = soup * (1 + repeat * 5000 // max(1, len(soup)))
    bounded = bound_markup(markup)
    assert len(bounded) <= len(markup)
    assert bound_markup(markup.encode()) == bounded.encode()


@SLOW
@given(st.text(alphabet="abcdefghij<>/'\"= ", max_size=80), st.sampled_from(["script", "style", "template"]))
def test_hidden_content_never_reaches_the_article(secret: str, tag: str) -> None:
    marker = "RAHASIA" + secret.replace("<", "").replace(">", "")[:20].replace(" ", "")
    content = (f"<html><head><title>Siswa Juara | SMK</title></head><body><h1>Siswa Juara</h1>"
               f"<div class='meta'>Diposting: Senin, 3 Maret 2025</div><div class='isi'><p>Contoh, Senin (3/3/2025)"
               f" - siswa meraih juara lomba robotik tingkat provinsi setelah bertanding tiga hari.</p>"
               f"<{tag}>{marker}</{tag}><p>Kepala sekolah memberi ucapan selamat.</p></div></body></html>")
    page = extract_page(content.encode(), "https://sekolah.test/berita/juara/")
    assert page.article is not None and marker not in page.article.body and marker not in page.article.title
    assert all(urlsplit(link.url).hostname for link in page.links)
