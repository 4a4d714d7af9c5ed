"""Extraction against hostile markup: scripts, off-site <base>, meta refresh and javascript: links, pathological
nesting, attributes and data URIs; and capture files no page can name (SECURITY.md, "Parsing")."""

from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser
from warcio.archiveiterator import ArchiveIterator

from scraper.crawl.capture import WarcWriter
from scraper.extract import extract_page, verdicts
from scraper.extract.bounds import (
    MAX_ATTRIBUTES,
    MAX_OPEN_ELEMENTS,
    flatten_deep_nesting,
    limit_attributes,
    parse_bounded,
)

URL = "https://sman1contoh.sch.id/berita/kegiatan-sekolah/"
HEAD = ("<html><head><title>Siswa Menanam Pohon | SMAN 1 Contoh</title></head><body><h1>Siswa Menanam Pohon</h1>"
        "<div class='meta'>Diposting: Senin, 3 Maret 2025</div>")
PARAGRAPH = ("<p>Contoh, Senin (3/3/2025) - Siswa SMAN 1 Contoh menanam pohon di halaman sekolah bersama para guru "
             "dan orang tua, sebuah kegiatan yang diharapkan menjadi kebiasaan.</p>")


def page_of(markup: str, url: str = URL):
    return extract_page(markup.encode(), url)


def test_scripts_never_run_and_never_reach_the_text() -> None:
    hostile = (HEAD.replace("<title>", "<title><script>alert(1)</script>")
               .replace("Pohon</h1>", "Pohon<script>alert(2)</script></h1>")
               + "<div class='isi'>" + PARAGRAPH + "<script>document.write('<p>DISUNTIKKAN</p>')</script>"
               "<img src=x onerror=alert(3)><noscript><p>DISUNTIKKAN</p></noscript>"
               "<iframe srcdoc='<p>DISUNTIKKAN</p>'></iframe></div></body></html>")
    article = page_of(hostile).article
    assert article is not None and article.title == "Siswa Menanam Pohon"
    assert "alert" not in article.body and "DISUNTIKKAN" not in article.body and "<" not in article.body


def test_an_off_site_base_is_ignored_and_a_same_site_one_honoured() -> None:
    markup = (HEAD + '<a href="latest/meta-data/">x</a><a href="/kontak">y</a>' + PARAGRAPH + "</body></html>")
    hostile = page_of(markup.replace("<head>", '<head><base href="http://169.254.169.254/">'))
    assert [link.url for link in hostile.links] == ["https://sman1contoh.sch.id/berita/kegiatan-sekolah/latest/"
                                                    "meta-data/", "https://sman1contoh.sch.id/kontak"]
    own = page_of(markup.replace("<head>", '<head><base href="https://www.sman1contoh.sch.id/arsip/">'))
    assert own.links[0].url == "https://www.sman1contoh.sch.id/arsip/latest/meta-data/"


def test_meta_refresh_and_javascript_links_are_never_links() -> None:
    markup = (HEAD.replace("<head>", '<head><meta http-equiv="refresh" content="0;url=http://10.0.0.1/admin">')
              + '<a href="javascript:fetch(\'http://10.0.0.1/\')">a</a><a href=" JavaScript:alert(1)">b</a>'
              '<a href="data:text/html,<script>alert(1)</script>">c</a><a href="vbscript:x">d</a>'
              + PARAGRAPH + "</body></html>")
    page = page_of(markup)
    assert page.reason == "redirect" and page.article is None and page.links == []
    assert page_of(markup.replace("http-equiv", "name")).links == []


def test_fuzz_finding_an_article_of_only_date_lines_is_empty_not_an_article() -> None:
    # Found by benchmarks/fuzz_extract.py: every line of the body was a leading date line, leaving it empty.
    found = (b"<htmet 2025</div><div title></head><body><h125</div><div title></head><body><h1>Siswa Menanam Pohon"
             b"</h1><div class='meta'>Diposting: Senin, 3 Maret 2026<></body></htm>Siswa Menanam Pohon</h1><div "
             b"class='meta'>Diposting: Senin, 3 Maret 2026<></body></html>")
    page = extract_page(found, "https://smkn7contoh.sch.id/2025/03/03/kegiatan-sekolah/")
    assert page.article is None and page.reason == "empty"


def test_fuzz_finding_a_host_less_http_link_is_dropped() -> None:
    # Found by benchmarks/fuzz_extract.py: `http:` plus garbage on an https page stayed a host-less "http" link.
    # And `href="http://"` alone, which took the already-absolute shortcut.
    page = extract_page(HEAD.encode() + b'<a href="http:\xd1\xd0\x8c\x8bkn3.test/x">x</a><a href="http://">y</a>'
                        b'<a href="https:///x">z</a><a href="http://?q">q</a><a href="http://[x/">v6</a><a href="http://a]b/">]</a>'
                        b'<a href="/ok">ok</a>', URL)
    assert [link.url for link in page.links] == ["https://sman1contoh.sch.id/ok"]


def deep(count: int, opening: str = "<div>", closing: str = "</div>") -> str:
    return HEAD + opening * count + PARAGRAPH + closing * count + "</body></html>"


def open_elements(markup: str) -> int:
    """The deepest nesting lexbor builds from `markup`."""
    from selectolax.lexbor import LexborHTMLParser

    deepest, stack = 0, [(LexborHTMLParser(markup).root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        child = node.child
        while child is not None:
            stack.append((child, depth + 1))
            child = child.next
    return deepest


def test_real_pages_are_never_touched_by_the_nesting_bound() -> None:
    ordinary = deep(20) + "<p>x</p>" * 10_000 + "<ul><li>x" * 100 + "</ul>" * 100
    assert flatten_deep_nesting(ordinary) is ordinary
    assert flatten_deep_nesting(deep(MAX_OPEN_ELEMENTS)) == deep(MAX_OPEN_ELEMENTS)
    deep_bytes = deep(MAX_OPEN_ELEMENTS + 50).encode()
    assert flatten_deep_nesting(deep_bytes).count(b"<div>") == MAX_OPEN_ELEMENTS


def test_nesting_beyond_the_bound_is_flattened_keeping_the_text() -> None:
    flat = flatten_deep_nesting(deep(100_000))
    assert open_elements(flat) < MAX_OPEN_ELEMENTS + 10
    assert PARAGRAPH in flat and flat.count("<div>") == MAX_OPEN_ELEMENTS
    assert flat.count("</div>") == MAX_OPEN_ELEMENTS + 1          # and the meta line's own


@pytest.mark.parametrize("comment", ["<!-- menu -->", "<!---->", "<!-->", "<!-- <div> -->"])
def test_a_comment_before_the_nesting_does_not_lift_the_bound(comment: str) -> None:
    markup = deep(20_000).replace("<body>", f"<body>{comment}")  # the bound once stopped at a comment's end
    started = time.perf_counter()
    tree = parse_bounded(markup)
    assert time.perf_counter() - started < 2
    assert open_elements(tree.html) < MAX_OPEN_ELEMENTS + 10
    assert "menanam pohon di halaman sekolah" in tree.body.text()


@pytest.mark.parametrize("count", [MAX_OPEN_ELEMENTS + 50, 1_000, 20_000])
def test_parse_bounded_builds_no_deeper_tree_than_the_bound(count: int) -> None:
    """Few tags: parsed first, depth checked on the tree; many tags: the token pass first. Same bound either way."""
    tree = parse_bounded(deep(count, "<b>", "</b>"))
    assert open_elements(tree.html) < MAX_OPEN_ELEMENTS + 10
    assert "menanam pohon di halaman sekolah" in tree.body.text()


def test_parse_bounded_leaves_ordinary_pages_as_lexbor_parses_them() -> None:
    ordinary = deep(40) + "<ul><li>x" * 50 + "</ul>" * 50
    assert parse_bounded(ordinary).html == LexborHTMLParser(ordinary).html


@pytest.mark.parametrize("noise", [
    "<svg>" + "<path d='M0 0'/>" * 20_000 + "</svg>",                     # self-closing foreign tags (re-checked)
    "<script>" + "var s = '<div>';" * 20_000 + "</script>",                            # markup inside scripts
    "<!--" + "<div>" * 20_000 + "-->",                                                 # and comments
])
def test_what_does_not_nest_is_not_counted(noise: str) -> None:
    markup = HEAD + noise + PARAGRAPH
    assert flatten_deep_nesting(markup) is markup


def test_fake_end_tags_inside_attributes_do_not_hide_real_nesting() -> None:
    markup = HEAD + "<div title='</div></div>'>" * 20_000 + PARAGRAPH
    assert flatten_deep_nesting(markup).count("<div title") == MAX_OPEN_ELEMENTS


def test_a_tag_keeps_its_first_thousand_attributes_and_long_values_whole() -> None:
    crowded = "<p " + " ".join(f'a{n}="v>{n}"' for n in range(5000)) + ">isi</p>"
    bounded = limit_attributes(crowded)
    assert bounded.startswith('<p a0="v>0"') and f' a{MAX_ATTRIBUTES - 1}="v>' in bounded
    assert f" a{MAX_ATTRIBUTES}=" not in bounded and bounded.endswith(">isi</p>")
    data_uri = "<img src='data:image/png;base64," + "A" * 100_000 + "' alt=x>"
    assert limit_attributes(data_uri) is data_uri


@pytest.mark.parametrize("separator", [" ", "/", "\n", '="" ', '=""', " <"])
def test_attributes_count_as_the_tokenizer_counts_them(separator: str) -> None:
    # `<a x0/x1/x2>` and `<a x0=""x1=""x2="">` are three attributes each to lexbor, and `<` is a name character
    # inside a tag: 50,000 of any of them cost lexbor seconds unless bounded.
    crowded = HEAD + "<a " + separator.join(f"x{n}" for n in range(50_000)) + ">tautan</a>" + PARAGRAPH
    started = time.perf_counter()
    tree = parse_bounded(crowded)
    assert time.perf_counter() - started < 2
    assert len(tree.css_first("a").attributes) == MAX_ATTRIBUTES
    assert tree.css_first("a").text() == "tautan" and "menanam pohon" in tree.body.text()


PATHOLOGICAL = {
    "100,000 nested div": lambda: deep(100_000),
    "100,000 nested ul/li": lambda: HEAD + "<ul><li>" * 100_000 + PARAGRAPH,
    "100,000 distinct formatting tags": lambda: HEAD + "".join(f"<b id={n}>x" for n in range(100_000)) + PARAGRAPH,
    "table, list and inline nesting": lambda: HEAD + "<table><tr><td><ul><li><b><i><a href='/x'>" * 12_500 + PARAGRAPH,
    "a million attributes": lambda: HEAD + "<p " + " ".join(f"a{n}=x" for n in range(1_000_000)) + ">x</p>"
    + PARAGRAPH,
    "a 20 MB data: URI": lambda: HEAD + "<img src='data:image/png;base64," + "A" * 20_000_000 + "'>" + PARAGRAPH,
    # under 300 KB and without links: the size the placeholder check (parked page? app shell?) reads as a tree
    "50,000 nested div, no link": lambda: HEAD + "<div>" * 50_000 + PARAGRAPH,
}
SECONDS_PER_PAGE = 20      # CPU seconds: the worst measured is ~3.5 s (README "Security"), tracemalloc on
PEAK_PYTHON_MB = 200


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_pages_are_bounded_in_time_and_memory(name: str) -> None:
    content = PATHOLOGICAL[name]().encode()
    tracemalloc.start()
    started = time.process_time()   # CPU, not wall: a loaded machine must not fail a bounded page
    try:
        page = extract_page(content, URL)
        elapsed = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert page.article is not None or page.reason
    assert elapsed < SECONDS_PER_PAGE, f"{name}: {elapsed:.1f} s"
    assert peak < PEAK_PYTHON_MB * 1e6 + 2 * len(content), f"{name}: {peak / 1e6:.0f} MB"


def test_the_placeholder_check_reads_a_bounded_tree() -> None:
    markup = HEAD + "<div>" * 50_000 + PARAGRAPH      # an unbounded parse of it took lexbor ~20 s
    assert len(markup) < verdicts.PLACEHOLDER_MAX_HTML and "<a " not in markup
    started = time.perf_counter()
    assert verdicts.placeholder_reason(markup) is None
    assert time.perf_counter() - started < 2


def test_capture_file_names_never_come_from_a_page(tmp_path: Path) -> None:
    captures = tmp_path / "captures"
    hostile = ["http://x.test/../../../../tmp/evil.warc.gz", "http://x.test/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
               "http://x.test/a\r\nWARC-Type: metadata\r\nX: y", "http://x.test/" + "a" * 5000]
    with WarcWriter(captures) as writer:
        for url in hostile:
            writer.write(url=url, method="GET", request_headers=[("Host", "x.test")], status=200,
                         response_headers=[("Content-Type", "text/html"), ("X-Evil", "a\r\nWARC-Type: resource")],
                         body=b"<p>isi</p>", fetched_at="2025-03-03T00:00:00Z")
    files = [p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 1 and re.fullmatch(r"captures/warta-\d{20}-\d+\.warc\.gz", str(files[0]))
    with open(tmp_path / files[0], "rb") as stream:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.http_headers)
                   for r in ArchiveIterator(stream) if r.rec_type != "warcinfo"]
    assert [kind for kind, _, _ in records] == ["request", "response"] * len(hostile)
    assert records[5][1] == "http://x.test/a%0D%0AWARC-Type:%20metadata%0D%0AX:%20y"
    assert records[5][2].get_header("X-Evil") == "a  WARC-Type: resource"
    assert records[5][2].get_header("WARC-Type") is None
