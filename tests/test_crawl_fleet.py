"""`warta sites import` then `warta crawl` over a hostile fleet on 127.0.0.1 (tests/data/fleet/, served by host
name through a proxy): healthy sites, a dead host, one that never answers, a parked domain, a moved site, a
script-only shell, a hacked site mixing real posts with injected gambling pages, robots.txt disallowing all.
The archive must hold exactly the real articles, and each site the state a person would give it."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from servers.fleet import FleetServer, Response, load_sites, redirect

DATA = Path(__file__).parent / "data"
WARTA = [str(Path(sys.executable).parent / "warta")]
TIMEOUT = 4.0
REAL_ARTICLES = {
    "http://sma-sehat.test/berita/lomba-debat-bahasa-indonesia/",
    "http://sma-sehat.test/berita/kunjungan-industri-kelas-xi/",
    "http://sma-sehat.test/berita/sosialisasi-bahaya-judi-online/",   # about gambling, not selling it
    "http://diretas.test/berita/upacara-hari-guru/",
    "http://diretas.test/berita/ppdb-tahun-2025/",
    "http://tautan.test/berita/pelatihan-guru/",                      # its home page hides spam links
}


def closed_port() -> int:
    """A port of 127.0.0.1 nothing listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fleet_sites() -> dict[str, dict[str, Response]]:
    sites = load_sites(DATA / "fleet")
    sites["pindah.test"] = {"/robots.txt": redirect("http://sekolah-baru.test/robots.txt"),
                            "/": redirect("http://sekolah-baru.test/")}
    return sites


def run(args: list[str], proxy: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("https_proxy", "all_proxy", "no_proxy")}
    env.update(HTTP_PROXY=proxy, NO_PROXY="localhost,127.0.0.1")
    return subprocess.run([*WARTA, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=180)


def states(db: Path) -> dict[str, tuple[str, str, str]]:
    with sqlite3.connect(db) as conn:
        return {host: (state, detail, since) for host, state, detail, since in
                conn.execute("SELECT host, state, state_detail, state_since FROM sites")}


def articles(db: Path) -> dict[str, dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {row["url"]: dict(row) for row in conn.execute("SELECT * FROM articles")}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    directory = tmp_path_factory.mktemp("fleet")
    dead = closed_port()
    (directory / "config.toml").write_text(
        '[archive]\npath = "archive.db"\ncaptures = "captures/"\n\n'
        f'[crawl]\ndelay = 0.01\ntimeout = {TIMEOUT}\nconnect_timeout = 1\nretries = 1\n\n'
        f'[[site]]\nname = "SD Negeri Mati"\nurl = "http://localhost:{dead}/"\ntimezone = "Asia/Jakarta"\n',
        encoding="utf-8")
    with FleetServer(fleet_sites(), hanging=frozenset({"hang.test"})) as fleet:
        imported = run(["sites", "import", str(DATA / "schools" / "fleet.csv")], fleet.url, directory)
        assert imported.returncode == 0, imported.stderr
        started = time.monotonic()
        first = run(["crawl"], fleet.url, directory)
        elapsed = time.monotonic() - started
        first_states = states(directory / "archive.db")
        first_articles = articles(directory / "archive.db")
        requests_run1 = dict(fleet.log.per_host)
        # After the first run the hack spreads: the PPDB post becomes a gambling page (and its lastmod moves).
        later = (DATA / "fleet_later" / "diretas.test" / "berita" / "ppdb-tahun-2025" / "index.html").read_bytes()
        fleet.set_page("diretas.test", "/berita/ppdb-tahun-2025/", Response(body=later))
        sitemap = fleet.sites["diretas.test"]["/sitemap.xml"].body.replace(
            b"ppdb-tahun-2025/</loc><lastmod>2025-05-01", b"ppdb-tahun-2025/</loc><lastmod>2025-06-05")
        fleet.set_page("diretas.test", "/sitemap.xml", Response(body=sitemap, content_type="application/xml"))
        second = run(["crawl"], fleet.url, directory)
        stats = run(["stats"], fleet.url, directory)
        listed = run(["sites", "list", "--state", "compromised", "--format", "json"], fleet.url, directory)
    return {"dir": directory, "dead": dead, "first": first, "second": second, "elapsed": elapsed,
            "states1": first_states, "articles1": first_articles, "requests1": requests_run1,
            "states2": states(directory / "archive.db"), "articles2": articles(directory / "archive.db"),
            "stats": stats, "listed": listed}


def test_the_archive_holds_exactly_the_real_articles(crawled) -> None:
    assert crawled["first"].returncode == 1, crawled["first"].stderr[-3000:]     # dead sites are failures
    assert "Traceback" not in crawled["first"].stderr + crawled["second"].stderr
    assert set(crawled["articles1"]) == REAL_ARTICLES
    assert set(crawled["articles2"]) == REAL_ARTICLES


def test_each_site_has_its_state(crawled) -> None:
    found = {host: (state, detail) for host, (state, detail, _since) in crawled["states1"].items()}
    assert {host: state for host, (state, _) in found.items()} == {
        "sma-sehat.test": "ok", "diretas.test": "compromised", "parkir.test": "parked",
        "spa.test": "script-only", "larang.test": "blocked", "pindah.test": "moved", "hang.test": "unreachable",
        "localhost": "unreachable", "tautan.test": "compromised"}
    assert "slot-gacor-hari-ini" in found["diretas.test"][1] and "situs-togel-resmi" in found["diretas.test"][1]
    assert found["diretas.test"][1].startswith("2 page(s) with injected spam")
    assert found["tautan.test"][1].startswith("1 page(s) with injected spam on the site, e.g. http://tautan.test/ "
                                              "(3 links to gambling or pharma sites")
    assert "sedoparking" in found["parkir.test"][1]
    assert 'root element <div id="root">' in found["spa.test"][1]
    assert found["pindah.test"][1] == "home page http://pindah.test/ redirects to http://sekolah-baru.test/ " \
                                      "(not followed)"
    assert found["hang.test"][1] == "robots.txt: timeout after 2 tries"
    assert found["localhost"][1].startswith("robots.txt: cannot connect")
    assert found["larang.test"][1] == "robots.txt disallows warta at http://larang.test/"
    assert found["sma-sehat.test"][1].endswith("3 of them articles")


def test_dead_and_silent_hosts_cost_seconds(crawled) -> None:
    # hang.test let robots.txt time out twice and was given up: two requests, two timeouts, not four
    assert crawled["requests1"]["hang.test"] == 2
    assert crawled["requests1"].get("larang.test") == 1 and crawled["requests1"].get("sekolah-baru.test") is None
    assert crawled["elapsed"] < 30, crawled["elapsed"]


def test_a_post_that_turns_into_spam_keeps_its_clean_version(crawled) -> None:
    ppdb = "http://diretas.test/berita/ppdb-tahun-2025/"
    assert crawled["articles2"][ppdb]["title"] == "Pendaftaran Peserta Didik Baru Tahun 2025 Dibuka"
    assert crawled["articles2"][ppdb]["body"] == crawled["articles1"][ppdb]["body"]
    # found as spam in the second run; the injected pages the first run found still count
    assert crawled["states2"]["diretas.test"][1].startswith(
        "3 page(s) with injected spam on the site (2 found by earlier runs), e.g. http://diretas.test/berita/ppdb-tahun")
    # the same state keeps its `since`; the states did not change between the runs
    assert crawled["states2"]["sma-sehat.test"][2] == crawled["states1"]["sma-sehat.test"][2]
    assert {h: s for h, (s, _, _) in crawled["states2"].items()} == \
        {h: s for h, (s, _, _) in crawled["states1"].items()}


def test_articles_carry_the_registry_identity(crawled) -> None:
    article = crawled["articles1"]["http://diretas.test/berita/upacara-hari-guru/"]
    assert (article["npsn"], article["level"], article["ownership"], article["province"], article["regency"]) == (
        "30402002", "SMK", "swasta", "Kalimantan Selatan", "Kota Banjarmasin")
    assert article["published"] == "2024-11-25T07:30:00+08:00"      # read in the school's zone (WITA)


def test_stats_and_sites_list_show_the_states(crawled) -> None:
    out = crawled["stats"].stdout
    assert "Sites by state" in out and "compromised" in out and "script-only" in out
    assert {row["host"] for row in json.loads(crawled["listed"].stdout)} == {"diretas.test", "tautan.test"}
