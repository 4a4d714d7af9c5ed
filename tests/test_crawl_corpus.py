"""`warta crawl` end to end over the recorded corpus sites, served by a replay proxy on 127.0.0.1.

Two runs of the real CLI (subprocess, `HTTP_PROXY` pointing at the replay server): the first archives every post,
the second (nothing changed) reads only robots, sitemaps, feeds, the API and first listing pages.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from servers.replay import LoggedRequest, ReplayServer, load_recordings

DELAY = 0.1
JITTER = 0.04      # scheduling noise on a loaded 2-core machine between the crawler and the server's clock
SITES = [("SMK Karya Teknik Balikpapan", "http://smk-karyateknik-bpn.test/", "Asia/Makassar"),
         ("SMK Bhakti Wiyata Semarang", "http://smk-bhaktiwiyata-smg.test/", "Asia/Jakarta"),
         ("SMKN 3 Tanjung Harapan", "http://smkn3-tanjungharapan.test/", "Asia/Makassar")]
WARTA = [str(Path(sys.executable).parent / "warta")]


def write_config(directory: Path, delay: float = DELAY) -> Path:
    """A config.toml listing the three corpus sites (archive and captures inside `directory`)."""
    sites = "".join(f'\n[[site]]\nname = "{name}"\nurl = "{url}"\ntimezone = "{tz}"\n' for name, url, tz in SITES)
    path = directory / "config.toml"
    path.write_text(f'[archive]\npath = "archive.db"\ncaptures = "captures/"\n\n[crawl]\ndelay = {delay}\n'
                    f'timeout = 10\nretries = 3\n{sites}', encoding="utf-8")
    return path


def crawl_env(proxy: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("no_proxy", "https_proxy", "all_proxy")}
    env["HTTP_PROXY"] = proxy
    return env


def run_warta(args: list[str], proxy: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*WARTA, *args], env=crawl_env(proxy), capture_output=True, text=True, timeout=120,
                          **kwargs)


def load_truth(corpus: Path) -> list[dict]:
    rows = []
    for name in ("wordpress", "sekolahku"):
        rows += [json.loads(line) for line in (corpus / name / "truth.jsonl").read_text().splitlines() if line]
    return rows


def load_non_articles(corpus: Path) -> set[str]:
    urls = set()
    for name in ("wordpress", "sekolahku"):
        for line in (corpus / name / "non_articles.txt").read_text().splitlines():
            if line and not line.startswith("#"):
                urls.add(line.split("\t")[0])
    return urls


def articles(db_path: Path) -> list[dict]:
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute("SELECT * FROM articles")]


@dataclass
class Crawled:
    directory: Path
    db: Path
    truth: list[dict]
    run1: list[LoggedRequest]
    run2: list[LoggedRequest]
    results: list[subprocess.CompletedProcess]


@pytest.fixture(scope="module")
def recordings(corpus: Path) -> dict:
    return load_recordings(sorted(corpus.glob("*/*.warc.gz")))


@pytest.fixture(scope="module")
def crawled(corpus: Path, recordings: dict, tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    directory = tmp_path_factory.mktemp("crawl")
    config = write_config(directory)
    with ReplayServer(recordings) as server:
        first = run_warta(["crawl", "--config", str(config)], server.url)
        middle = len(server.log)
        second = run_warta(["crawl", "--config", str(config)], server.url)
        log = list(server.log)
    return Crawled(directory, directory / "archive.db", load_truth(corpus), log[:middle], log[middle:],
                   [first, second])


def test_both_runs_succeed_and_print_a_summary(crawled: Crawled) -> None:
    for result in crawled.results:
        assert result.returncode == 0, result.stderr[-3000:]
        assert "crawl run" in result.stdout and "pages fetched" in result.stdout
    assert "0 new" in crawled.results[1].stdout
    with sqlite3.connect(crawled.db) as conn:
        runs = conn.execute(
            "SELECT status, pages_fetched, new_articles, summary FROM crawl_runs ORDER BY id").fetchall()
        # A redirect to a page read already in the run is not followed: its answer is the fetch's last.
        [[unfollowed]] = conn.execute("SELECT count(*) FROM fetches WHERE run_id = 1 AND status BETWEEN 300 AND 399")
    assert [r[0] for r in runs] == ["ok", "ok"]
    assert runs[0][2] == len(crawled.truth) and runs[1][2] == 0
    followed_redirects = sum(300 <= r.status < 400 for r in crawled.run1) - unfollowed   # a page may take several
    assert runs[0][1] == len(crawled.run1) - followed_redirects
    assert len(json.loads(runs[1][3])["sites"]) == 3


def test_every_post_archived_once_and_nothing_else(crawled: Crawled, corpus: Path) -> None:
    stored = articles(crawled.db)
    by_url = {a["url"]: a for a in stored}
    matched: dict[str, int] = defaultdict(int)
    per_site_found: dict[str, list[bool]] = defaultdict(list)
    for post in crawled.truth:
        names = [post["url"], *post["alt_urls"]]
        hits = [name for name in names if name in by_url]
        per_site_found[post["site"]].append(bool(hits))
        for hit in hits:
            matched[hit] += 1
        assert len(hits) <= 1, f"stored twice: {hits}"
    for site, found in per_site_found.items():
        assert sum(found) / len(found) >= 0.99, f"{site}: {sum(found)} of {len(found)} posts archived"
    assert not load_non_articles(corpus) & set(by_url), "a non-article was archived"
    assert set(by_url) <= set(matched), f"archived but not a post: {sorted(set(by_url) - set(matched))[:5]}"
    assert len({(a["site"], a["title"], a["published"]) for a in stored}) == len(stored), "duplicate article"


def test_fields_and_sekolahku_categories(crawled: Crawled) -> None:
    by_url = {a["url"]: a for a in articles(crawled.db)}
    for post in crawled.truth:
        article = next(by_url[u] for u in [post["url"], *post["alt_urls"]] if u in by_url)
        assert article["title"] == post["title"]
        assert article["site"] == post["site"] and article["cms"] == post["cms"]
        assert article["body"].strip()
        assert (article["published"] or "")[:10] == post["published"][:10], post["url"]
        assert set(json.loads(article["categories"])) == set(post["categories"]), post["url"]
        assert article["fetched_at"] and article["source_url"].startswith(f"http://{post['site']}/")


def test_request_log_shows_politeness(crawled: Crawled) -> None:
    for _, site_url, _ in SITES:
        host = urlsplit(site_url).hostname
        for run in (crawled.run1, crawled.run2):
            requests = [r for r in run if urlsplit(r.url).hostname == host]
            assert urlsplit(requests[0].url).path == "/robots.txt", f"{host}: first request {requests[0].url}"
            # Arrival times at the server: the first request also paid for opening the connection, so the
            # first gap can look shorter than the client's; every later gap must show the delay.
            gaps = [b.at - a.at for a, b in zip(requests[1:], requests[2:], strict=False)]
            assert min(gaps) >= DELAY - JITTER, f"{host}: requests {min(gaps):.3f} s apart"
            assert statistics.median(gaps) >= DELAY
            assert all("warta" in r.headers.get("User-Agent", "") for r in requests)


def test_second_run_refetches_no_article(crawled: Crawled) -> None:
    stored = articles(crawled.db)
    article_urls = {a["url"] for a in stored} | {a["source_url"] for a in stored}
    for post in crawled.truth:
        article_urls.update([post["url"], *post["alt_urls"]])
    refetched = [r.url for r in crawled.run2 if r.url in article_urls]
    print(f"\nrequests: run 1 {len(crawled.run1)}, run 2 {len(crawled.run2)}; articles stored {len(stored)}, "
          f"article refetches on run 2: {len(refetched)}")
    assert refetched == []
    assert len(crawled.run2) < len(crawled.run1) / 4
    with sqlite3.connect(crawled.db) as conn:
        kinds = dict(conn.execute("SELECT url, kind FROM urls"))
    run2_kinds = {kinds.get(r.url.replace("/index.php?", "/?"), "robots") for r in crawled.run2}
    assert run2_kinds <= {"robots", "sitemap", "feed", "api", "listing"}, run2_kinds


def test_every_fetch_is_logged_and_captured(crawled: Crawled) -> None:
    with sqlite3.connect(crawled.db) as conn:
        rows = conn.execute("SELECT url, warc_file, warc_offset FROM fetches WHERE status = 200").fetchall()
    assert len(rows) > len(crawled.truth)
    captures = crawled.directory / "captures"
    assert all(file and (captures / file).is_file() and offset is not None for _, file, offset in rows)
    with sqlite3.connect(crawled.db) as conn:  # robots.txt too, whatever it answered (one site: 404)
        robots = conn.execute("SELECT run_id, url FROM fetches WHERE url LIKE '%/robots.txt'").fetchall()
    hosts = {urlsplit(r.url).hostname for r in crawled.run1}
    assert sorted(robots) == sorted((run, f"http://{host}/robots.txt") for run in (1, 2) for host in hosts)


def test_site_and_db_flags_choose_what_is_crawled_and_where(recordings: dict, tmp_path: Path) -> None:
    config = write_config(tmp_path, 0.0)
    with ReplayServer(recordings) as server:
        result = run_warta(["crawl", "--config", str(config), "--db", str(tmp_path / "other.db"),
                            "--site", "smkn3-tanjungharapan.test"], server.url)
        hosts = {urlsplit(r.url).hostname for r in server.log}
        unknown = run_warta(["crawl", "--config", str(config), "--site", "SMK Tidak Ada"], server.url)
    assert result.returncode == 0, result.stderr[-2000:]
    assert hosts == {"smkn3-tanjungharapan.test"}
    assert {a["site"] for a in articles(tmp_path / "other.db")} == {"smkn3-tanjungharapan.test"}
    assert not (tmp_path / "archive.db").exists()
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == (
        f"warta: error: {config}: no [[site]] named 'SMK Tidak Ada' (use a site's name or host)")
