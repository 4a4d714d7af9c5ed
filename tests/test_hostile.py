"""A real `warta crawl` over a hostile school site on 127.0.0.1: a decompression bomb, an off-site redirect chain,
links and a REST root on private and metadata addresses, 100,000 nested tags, a script in the title, a 2 GB
Content-Length that never comes, a slowloris drip and a 200 KB response head. The crawl finishes, archives nothing
harmful and logs each refusal with its reason (SECURITY.md)."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from servers.faults import FaultServer
from test_crawl_corpus import WARTA

from archive.serve import build_datasette

ARTICLE = """<html><head><title>{title} | SMK Contoh</title></head><body><h1>{heading}</h1>
<div class="meta">Diposting: Senin, 3 Maret 2025</div><div class="isi">{body}</div></body></html>"""
PARAGRAPH = ("<p>Contoh, Senin (3/3/2025) - Siswa SMK Contoh mengikuti lomba robotik tingkat provinsi dan membawa "
             "pulang juara pertama setelah tiga hari bertanding melawan sekolah lain.</p>")
HOME = """<html><head><title>SMK Contoh</title><link rel="alternate" type="application/rss+xml"
href="http://10.0.0.1/feed/"></head><body><h1>SMK Contoh</h1>
<a href="/bomb">bom</a> <a href="/hop/1">pindah</a> <a href="/hop/a">pindah lagi</a>
<a href="http://10.0.0.1/">intranet</a> <a href="http://169.254.169.254/latest/meta-data/">metadata</a>
<a href="http://[::1]:6379/">redis</a> <a href="javascript:fetch('http://10.0.0.1/')">js</a>
<a href="/berita/bersarang">bersarang</a> <a href="/berita/judul-skrip">skrip</a> <a href="/berita/dasar">base</a>
<a href="/berita/segarkan">refresh</a> <a href="/stall/body?seconds=30&amp;length=2000000000">janji</a>
<a href="/drip?seconds=30">tetes</a> <a href="/big-headers?kb=200">kepala</a></body></html>"""
REFUSALS = [
    "link to http://10.0.0.1/ blocked: 10.0.0.1 is a private address",
    "link to http://169.254.169.254/latest/meta-data/ blocked: 169.254.169.254 is a cloud metadata address",
    "link to http://[::1]:6379/ blocked: ::1 is a loopback address",
    "link to http://10.0.0.1/feed/ blocked: 10.0.0.1 is a private address",
    "blocked: 169.254.169.254 is a cloud metadata address",                       # the REST root
    "off-site redirect to http://169.254.169.254/latest/meta-data/ (blocked: 169.254.169.254 is a cloud metadata",
    "off-site redirect to http://sekolah-lain.test/",
    "body over 2000000 bytes",
    "timeout",
    "response headers over 100 KB",
]


def hostile_site(server: FaultServer) -> None:
    server.add("/", HOME, headers={"Link": '<http://169.254.169.254/wp-json/>; rel="https://api.w.org/"'})
    server.add("/hop/1", "", status=302, headers={"Location": "/hop/2"})
    server.add("/hop/2", "", status=301, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    server.add("/hop/a", "", status=307, headers={"Location": "http://sekolah-lain.test/"})
    nested = "<div>" * 100_000 + PARAGRAPH + "</div>" * 100_000
    server.add("/berita/bersarang", ARTICLE.format(title="Bersarang", heading="Bersarang", body=nested))
    server.add("/berita/judul-skrip", ARTICLE.format(
        title="<script>alert(1)</script> Juara Lomba Robotik", heading="Juara Lomba Robotik<script>alert(2)</script>",
        body=PARAGRAPH + "<script>document.write('<p>DISUNTIKKAN</p>')</script><img src=x onerror=alert(3)>"))
    server.add("/berita/dasar", ARTICLE.format(title="Dasar", heading="Dasar", body=PARAGRAPH).replace(
        "<head>", '<head><base href="http://169.254.169.254/">') + '<a href="latest/user-data">x</a>')
    server.add("/berita/segarkan", '<meta http-equiv="refresh" content="0;url=http://10.0.0.1/admin">')


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path, FaultServer]:
    directory = tmp_path_factory.mktemp("hostile")
    with pytest.MonkeyPatch.context() as patch:
        from servers import PROXY_VARIABLES

        for name in PROXY_VARIABLES:
            patch.delenv(name, raising=False)
        with FaultServer() as server:
            hostile_site(server)
            config = directory / "config.toml"
            config.write_text(f'[archive]\npath = "archive.db"\ncaptures = "captures/"\n\n[crawl]\ndelay = 0.01\n'
                              f'timeout = 1\nretries = 0\nmax_bytes = 2000000\n\n[[site]]\nname = "SMK Contoh"\n'
                              f'url = "{server.url("/")}"\ntimezone = "Asia/Makassar"\n', encoding="utf-8")
            started = time.monotonic()
            result = subprocess.run([*WARTA, "crawl", "--config", str(config)], capture_output=True, text=True,
                                    timeout=120, cwd=directory)
            result.elapsed = time.monotonic() - started  # type: ignore[attr-defined]
    return result, directory, server


def test_the_crawl_finishes_with_a_summary_and_no_traceback(crawled) -> None:
    result, _, _ = crawled
    assert result.returncode == 1, result.stderr[-3000:]      # the bomb and the stalls are failed pages
    assert "Traceback" not in result.stderr and result.stdout.startswith("crawl run 1: 1 sites")
    assert result.elapsed < 30


def test_each_refusal_is_logged_with_its_reason(crawled) -> None:
    result, _, _ = crawled
    missing = [refusal for refusal in REFUSALS if refusal not in result.stderr]
    assert not missing, result.stderr[-4000:]


def test_refusals_are_recorded_in_fetches_and_only_the_site_was_contacted(crawled) -> None:
    _, directory, server = crawled
    with sqlite3.connect(directory / "archive.db") as conn:
        fetched = conn.execute("SELECT url, error FROM fetches").fetchall()
    errors = {url: error for url, error in fetched}
    assert errors["http://169.254.169.254/wp-json/wp/v2/categories?per_page=100"] == \
        "blocked: 169.254.169.254 is a cloud metadata address"
    assert errors[server.url("/hop/1")].startswith("off-site redirect to http://169.254.169.254/")
    assert errors[server.url("/bomb")] == "body over 2000000 bytes"
    assert errors[server.url("/drip?seconds=30")] == "timeout after 1 try"
    blocked_or_local = {url for url, error in fetched if not (error or "").startswith("blocked")}
    assert all(url.startswith(server.base_url) for url in blocked_or_local)
    # what the server saw is all there is: nothing went to 10.0.0.1 or 169.254.169.254 (no route is tried)
    assert not [path for path in server.paths() if "meta-data" in path or "user-data" in path and "berita" not in path]


def test_nothing_harmful_is_archived(crawled) -> None:
    _, directory, _ = crawled
    with sqlite3.connect(directory / "archive.db") as conn:
        rows = dict(conn.execute("SELECT url, title || ' ' || body FROM articles").fetchall())
    scripted = next(text for url, text in rows.items() if url.endswith("/berita/judul-skrip"))
    assert scripted.startswith("Juara Lomba Robotik ")
    assert not [url for url, text in rows.items() if "<" in text or "alert" in text or "DISUNTIKKAN" in text]
    assert any(url.endswith("/berita/bersarang") for url in rows)          # 100,000 levels, flattened, still read
    captures = [p.name for p in (directory / "captures").iterdir()]
    assert captures and all(name.startswith("warta-") and name.endswith(".warc.gz") for name in captures)


def test_the_archive_browses_with_the_hostile_page_escaped(crawled) -> None:
    _, directory, _ = crawled
    ds = build_datasette(directory / "archive.db")
    html = asyncio.run(ds.client.get("/archive/articles?_search=robotik")).text
    assert "Juara Lomba Robotik" in html and "<script>alert" not in html
