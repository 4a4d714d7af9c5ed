"""`warta crawl` under faults: flaky servers, SIGKILL mid-run, and two runs overlapping on one archive."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import time
import zlib
from pathlib import Path

import pytest
from servers.replay import Override, ReplayServer, load_recordings
from test_crawl_corpus import WARTA, articles, crawl_env, run_warta, write_config

FAST = 0.01      # seconds between requests to one host: fast tests, the politeness test is in test_crawl_corpus


def snapshot(db_path: Path) -> set[tuple]:
    """What the archive says, independent of when it was fetched."""
    return {(a["url"], a["title"], a["published"], a["categories"], hashlib.sha1(a["body"].encode()).hexdigest())
            for a in articles(db_path)}


@pytest.fixture(scope="module")
def recordings(corpus: Path) -> dict:
    return load_recordings(sorted(corpus.glob("*/*.warc.gz")))


@pytest.fixture(scope="module")
def clean(recordings: dict, tmp_path_factory: pytest.TempPathFactory) -> set[tuple]:
    directory = tmp_path_factory.mktemp("clean")
    with ReplayServer(recordings) as server:
        result = run_warta(["crawl", "--config", str(write_config(directory, FAST))], server.url)
    assert result.returncode == 0, result.stderr[-2000:]
    return snapshot(directory / "archive.db")


def fails_once(share: float):
    """A fault hook: `share` of the URLs (chosen by a hash) answer 503 or drop the connection the first time."""
    def hook(method: str, url: str, attempt: int) -> Override | None:
        bucket = zlib.crc32(f"{method} {url}".encode()) % 1000
        if attempt == 1 and bucket < share * 1000:
            return Override(reset=True) if bucket % 2 else Override(503, [("Retry-After", "0")])
        return None
    return hook


def test_flaky_sites_archive_what_a_clean_run_does(recordings: dict, clean: set, tmp_path: Path) -> None:
    with ReplayServer(recordings, fault=fails_once(0.15)) as server:
        result = run_warta(["crawl", "--config", str(write_config(tmp_path, FAST))], server.url)
        failed_first = {(r.method, r.url) for r in server.log if r.status in (0, 503)}
    assert len(failed_first) > 30, "the fault hook did not bite"
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert snapshot(tmp_path / "archive.db") == clean


def test_sigkill_mid_run_then_rerun_completes(recordings: dict, clean: set, tmp_path: Path) -> None:
    config = write_config(tmp_path, 0.02)
    with ReplayServer(recordings) as server:
        process = subprocess.Popen([*WARTA, "crawl", "--config", str(config)], env=crawl_env(server.url),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while len(server.log) < 150 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        db = tmp_path / "archive.db"
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("running",)]
            unfinished = conn.execute("SELECT count(*) FROM urls WHERE done = 0").fetchone()[0]
        partial = snapshot(db)
        assert 0 < len(partial) < len(clean) and unfinished > 0
        result = run_warta(["crawl", "--config", str(config)], server.url)
    assert result.returncode == 0, result.stderr[-2000:]
    assert snapshot(db) == clean
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [s for (s,) in conn.execute("SELECT status FROM crawl_runs ORDER BY id")] == ["killed", "ok"]


def test_overlapping_run_exits_at_once_with_a_clear_message(recordings: dict, tmp_path: Path) -> None:
    config = write_config(tmp_path, 0.2)
    with ReplayServer(recordings) as server:
        first = subprocess.Popen([*WARTA, "crawl", "--config", str(config)], env=crawl_env(server.url),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while not server.log and time.monotonic() < deadline:
                time.sleep(0.02)
            started = time.monotonic()
            second = run_warta(["crawl", "--config", str(config)], server.url)
            took = time.monotonic() - started
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
    assert second.returncode == 1
    assert f"another crawl is running on {tmp_path / 'archive.db'} (pid {first.pid})" in second.stderr
    assert "Traceback" not in second.stderr
    assert took < 10


ARTICLE = """<!doctype html><html lang="id"><head><title>Siswa Juara Lomba Robotik</title></head><body>
<article><h1>Siswa Juara Lomba Robotik</h1><time datetime="2025-03-04T09:00:00+07:00">4 Maret 2025</time>
<p>Tim robotik sekolah meraih juara pertama lomba robotik tingkat provinsi setelah bersaing dengan tiga puluh tim.</p>
<p>Kepala sekolah menyampaikan terima kasih kepada guru pembimbing dan orang tua yang mendukung persiapan tim.</p>
<p>Tim akan mewakili provinsi pada kompetisi tingkat nasional bulan depan di Jakarta.</p></article></body></html>"""


def test_misbehaving_site_is_crawled_politely_and_its_failures_reported(fault_server, tmp_path: Path) -> None:
    from servers.faults import CLOCK_SLACK, FaultServer

    from scraper.config import ArchiveConfig, Config, CrawlConfig, SiteConfig
    from scraper.crawl.run import run_crawl

    assert isinstance(fault_server, FaultServer)
    fault_server.robots = "User-agent: *\nCrawl-delay: 0.2\nDisallow: /private/\n"
    links = ["/berita/robotik", "/private/rapat-guru", "/status/500", "/status/404", "/binary", "/huge?mb=50",
             "/loop/a", "/stall/headers?seconds=5", "/reset", "/image.png"]
    fault_server.add("/", "<html><body><h1>Beranda</h1>" + "".join(f'<a href="{u}">{u}</a> ' for u in links)
                     + "</body></html>")
    fault_server.add("/berita/robotik", ARTICLE)
    site = SiteConfig(name="Sekolah Rusak", url=fault_server.url("/"), timezone="Asia/Jakarta")
    config = Config(path=tmp_path / "config.toml",
                    archive=ArchiveConfig(path=tmp_path / "archive.db", captures=tmp_path / "captures"),
                    crawl=CrawlConfig(delay=0.0, timeout=1.0, retries=1, max_bytes=1_000_000), sites=(site,))
    started = time.monotonic()
    report = run_crawl(config)
    assert time.monotonic() - started < 60
    [site_report] = report.sites
    assert not report.ok and site_report.failed is None
    assert site_report.new_articles == 1
    failed = "\n".join(site_report.errors)
    for path in ("/status/500", "/reset", "/loop/a", "/stall/headers", "/huge"):
        assert path in failed, f"{path} not reported in {failed}"
    assert "/status/404" not in failed and site_report.broken_links == 1
    assert not fault_server.requests_for("/private/rapat-guru"), "robots.txt disallows /private/"
    assert fault_server.paths()[0] == "/robots.txt"
    assert min(fault_server.gaps()[1:]) >= 0.2 - CLOCK_SLACK, "robots.txt Crawl-delay not honoured"
    assert [a["title"] for a in articles(tmp_path / "archive.db")] == ["Siswa Juara Lomba Robotik"]


def test_unreachable_site_is_named_and_the_run_exits_1(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[crawl]\ndelay = 0\nretries = 1\ntimeout = 2\n\n[[site]]\nname = "Offline"\n'
                      'url = "http://127.0.0.1:9/"\n', encoding="utf-8")
    env = {k: v for k, v in crawl_env("").items() if k != "HTTP_PROXY"}
    result = subprocess.run([*WARTA, "crawl", "--config", str(config)], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert "127.0.0.1: 1 pages, 0 new, 0 updated, 0 errors — FAILED: robots.txt unreachable (cannot connect" \
        in result.stdout
    assert "Traceback" not in result.stderr
