"""`warta demo` offline, and incremental crawling on the demo sites: new posts found, edited posts re-read,
nothing else fetched again."""

from __future__ import annotations

import copy
import dataclasses
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx

from scraper.crawl import pages
from scraper.crawl.run import run_crawl
from scraper.demo import DemoServer, demo_config, load_demo_sites

WARTA = str(Path(sys.executable).parent / "warta")


def test_warta_demo_crawls_the_bundled_sites_offline(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HTTP_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}  # any proxy is ignored
    result = subprocess.run([WARTA, "demo"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Browse it: warta serve --db demo/archive.db" in result.stdout
    with sqlite3.connect(tmp_path / "demo" / "archive.db") as conn:
        rows = conn.execute("SELECT site, title, published, categories, cms FROM articles").fetchall()
    posts = {post["title"]: (site, post) for site in load_demo_sites() for post in site["posts"]}
    assert sorted(title for _, title, *_ in rows) == sorted(posts)
    for host, title, published, categories, cms in rows:
        site, post = posts[title]
        assert (host, cms) == (site["host"], site["cms"])
        assert published.startswith(post["date"])
        assert sorted(json.loads(categories)) == sorted(site["categories"][c] for c in post["categories"])
    assert list((tmp_path / "demo" / "captures").glob("*.warc.gz"))


def crawl(server: DemoServer, directory: Path, sites: list[dict]) -> tuple[int, dict[str, int]]:
    report = run_crawl(demo_config(directory, sites), transport=httpx.AsyncHTTPTransport(proxy=server.url))
    totals = report.totals()
    return report.run_id, totals


def fetched_in(db: Path, run_id: int) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {url for (url,) in conn.execute("SELECT url FROM fetches WHERE run_id = ?", (run_id,))}


def test_next_run_finds_new_and_edited_posts_and_fetches_nothing_else(tmp_path: Path) -> None:
    sites = copy.deepcopy(load_demo_sites())
    wordpress, sekolahku = sites
    with DemoServer(sites) as server:
        first, totals = crawl(server, tmp_path, sites)
        assert totals["new_articles"] == 9
        unchanged, totals = crawl(server, tmp_path, sites)
        assert (totals["new_articles"], totals["updated_articles"]) == (0, 0)
        assert not any("/read/" in u or "/2025/" in u for u in fetched_in(tmp_path / "archive.db", unchanged))

        wordpress["posts"].append({
            "id": 15, "slug": "lomba-kompetensi-siswa-2025", "title": "Lomba Kompetensi Siswa 2025",
            "date": "2025-11-01T10:00:00", "modified": "2025-11-01T10:00:00", "categories": ["prestasi"],
            "author": "Humas", "body": [
                "Lima siswa SMK Nusantara mengikuti lomba kompetensi siswa tingkat provinsi di Samarinda.",
                "Mereka bertanding di bidang otomotif, teknologi informasi, dan tata boga selama tiga hari."]})
        edited = wordpress["posts"][1]
        edited["body"] = [*edited["body"], "Tambahan: kedua siswa akan mewakili kota di tingkat provinsi."]
        edited["modified"] = "2025-11-02T08:00:00"
        sekolahku["posts"].append({
            "id": 26, "slug": "bakti-sosial-osis", "title": "Bakti Sosial OSIS", "date": "2025-11-03T09:00:00",
            "categories": ["kegiatan-siswa"], "author": "Tim Humas",
            "body": ["OSIS mengadakan bakti sosial di panti asuhan dekat sekolah pada hari Sabtu pagi.",
                     "Siswa mengumpulkan bahan makanan, buku bacaan, dan perlengkapan sekolah untuk anak-anak."]})
        changed, totals = crawl(server, tmp_path, sites)

    assert (totals["new_articles"], totals["updated_articles"]) == (2, 1)
    articles_fetched = {u for u in fetched_in(tmp_path / "archive.db", changed) if "/read/" in u or "/2025/" in u}
    assert articles_fetched == {
        "http://smk-nusantara-demo.test/2025/11/01/lomba-kompetensi-siswa-2025/",
        "http://smk-nusantara-demo.test/2025/03/12/siswa-tkj-juara-lomba-jaringan-tingkat-kota/",
        "http://smkn-harapan-demo.test/read/26/bakti-sosial-osis"}
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        body, = conn.execute("SELECT body FROM articles WHERE url LIKE '%siswa-tkj-juara%'").fetchone()
        versions, = conn.execute("SELECT count(*) FROM article_versions").fetchone()
        category, = conn.execute("SELECT categories FROM articles WHERE url LIKE '%bakti-sosial%'").fetchone()
    assert "Tambahan" in body and versions == 1
    assert json.loads(category) == ["Kegiatan Siswa"]


def test_revisit_policy_rereads_old_articles_with_conditional_get(tmp_path: Path) -> None:
    sites = load_demo_sites()
    config = demo_config(tmp_path, sites)
    with DemoServer(sites) as server:
        run_crawl(config, transport=httpx.AsyncHTTPTransport(proxy=server.url))
        revisit_all = dataclasses.replace(config, crawl=dataclasses.replace(config.crawl, revisit_days=0))
        report = run_crawl(revisit_all, transport=httpx.AsyncHTTPTransport(proxy=server.url))
    totals = report.totals()
    assert (totals["new_articles"], totals["updated_articles"]) == (0, 0)
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        revisited = dict(conn.execute(
            "SELECT url, status FROM fetches WHERE run_id = ? AND (url LIKE '%/read/%' OR url LIKE '%/2025/%')",
            (report.run_id,)))
    assert len(revisited) == 9 and set(revisited.values()) == {304}
    assert totals["not_modified"] >= 9


def test_a_shortlink_to_a_page_read_this_run_is_marked_as_that_page_not_extracted_again(
        tmp_path: Path, monkeypatch) -> None:
    """The demo's posts link `?p=ID`, which redirects to the post read already: done, an alias, not re-read."""
    extracted: list[str] = []
    extract_page = pages.extract_page

    def counting(content: bytes, url: str, **kwargs):
        extracted.append(url)
        return extract_page(content, url, **kwargs)

    monkeypatch.setattr(pages, "extract_page", counting)
    sites = [site for site in load_demo_sites() if site["cms"] == "wordpress"]
    with DemoServer(sites) as server:
        run_id, totals = crawl(server, tmp_path, sites)
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        shortlinks = conn.execute("SELECT kind, done, canonical_url FROM urls WHERE url LIKE '%?p=%'").fetchall()
        stored = {url for (url,) in conn.execute("SELECT url FROM articles")}
        answers = [status for (status,) in conn.execute("SELECT status FROM fetches WHERE url LIKE '%?p=%'")]
    assert shortlinks and any("?p=" in url for url in fetched_in(tmp_path / "archive.db", run_id))
    assert all(kind == "article" and done == 1 and canonical in stored for kind, done, canonical in shortlinks)
    assert len(extracted) == len(set(extracted))                 # each page extracted once
    assert answers == [301] * len(shortlinks)                    # the redirect, not followed to the post again
    assert totals["new_articles"] == len(stored) and totals["unchanged_articles"] == len(shortlinks)
