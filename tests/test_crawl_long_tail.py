"""Discovery on the long tail, end to end: hand-written school sites (tests/servers/school_sites.py) with no
robots.txt, sitemap or feed, a door at the root and categories or dates printed only on listings, crawled twice
from a real server on 127.0.0.1 by `warta crawl`'s library function."""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from servers.faults import CLOCK_SLACK, FaultServer
from servers.school_sites import DOORS, Post, frames_site, portal_site, table_site
from test_crawl_corpus import articles

from scraper.config import ArchiveConfig, Config, CrawlConfig, SiteConfig
from scraper.crawl import entry, listings
from scraper.crawl.report import CrawlReport
from scraper.crawl.run import run_crawl

DELAY = 0.05


def crawl(server: FaultServer, tmp_path: Path, delay: float = 0.0) -> CrawlReport:
    site = SiteConfig(name="Sekolah Lama", url=server.url("/"), timezone="Asia/Jakarta")
    config = Config(path=tmp_path / "config.toml",
                    archive=ArchiveConfig(path=tmp_path / "archive.db", captures=tmp_path / "captures"),
                    crawl=CrawlConfig(delay=delay, timeout=5.0, retries=0), sites=(site,))
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
    assert site.doors == [f"{'meta refresh' if door == 'meta refresh' else 'script redirect'} "
                          f"{quiet_server.url('/')} → {quiet_server.url('/html/index.php')}"]
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        [(via,)] = conn.execute("SELECT found_via FROM urls WHERE url = ?", (quiet_server.url("/html/index.php"),))
    assert via.startswith(("meta refresh from", "script redirect from"))
