"""robots.txt: parsing (protego) and how a session treats each answer (RFC 9309)."""

from __future__ import annotations

import asyncio

import pytest
from servers.faults import FaultServer

from scraper.config import CrawlConfig, SiteConfig
from scraper.crawl.fetch import Fetcher, FetchResult
from scraper.crawl.robots import Robots, product_token

AGENT = CrawlConfig().user_agent
ROBOTS = """\ufeffUser-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php
Crawl-delay: 2

User-agent: warta
Disallow: /private/
Disallow: /*?replytocom=
Crawl-delay: 5

User-agent: research
Disallow: /

Sitemap: /wp-sitemap.xml
Sitemap: https://smkn7.sch.id/sitemap_index.xml
"""


def test_the_most_specific_group_applies_to_warta() -> None:
    robots = Robots.parse(ROBOTS.encode(), AGENT, "https://smkn7.sch.id/robots.txt")
    assert not robots.allowed("https://smkn7.sch.id/private/nilai.html")
    assert not robots.allowed("https://smkn7.sch.id/berita/?replytocom=12")
    assert robots.allowed("https://smkn7.sch.id/wp-admin/")          # only the * group forbids it
    assert robots.crawl_delay == 5.0
    assert not robots.allowed("https://smkn7.sch.id/wp-admin/", "OtherBot/1.0")
    assert robots.allowed("https://smkn7.sch.id/wp-admin/admin-ajax.php", "OtherBot/1.0")


def test_sitemaps_are_listed_as_absolute_urls() -> None:
    robots = Robots.parse(ROBOTS, AGENT, "https://smkn7.sch.id/robots.txt")
    assert robots.sitemaps == ["https://smkn7.sch.id/wp-sitemap.xml", "https://smkn7.sch.id/sitemap_index.xml"]


def test_words_inside_the_user_agent_comment_do_not_select_a_group() -> None:
    # Our User-Agent says "research archive"; only the product token "warta" may match a group.
    robots = Robots.parse("User-agent: research\nDisallow: /\n", AGENT)
    assert robots.allowed("https://smkn7.sch.id/berita/")
    assert product_token(AGENT) == "warta"


def test_garbage_and_html_bodies_allow_everything() -> None:
    robots = Robots.parse(b"<html><body>\xff\xfe Halaman tidak ditemukan</body></html>", AGENT)
    assert robots.allowed("https://smkn7.sch.id/anything") and robots.crawl_delay is None


def test_allow_all_and_disallow_all() -> None:
    assert Robots.allow_all(AGENT).allowed("https://a.sch.id/x")
    closed = Robots.disallow_all(AGENT, "robots.txt unreachable (HTTP 503)")
    assert not closed.allowed("https://a.sch.id/x") and closed.source.endswith("(HTTP 503)")
    assert closed.sitemaps == [] and closed.crawl_delay is None


def load(server: FaultServer, **crawl: object) -> tuple[Robots, FetchResult]:
    async def run() -> tuple[Robots, FetchResult]:
        config = CrawlConfig(**{"delay": 0.0, "timeout": 2.0, "retries": 0, **crawl})
        async with Fetcher(config) as fetcher:
            session = fetcher.session(SiteConfig(name="school", url=server.url("/")))
            result = await session.fetch(server.url("/page/1"))
            return session.robots, result

    return asyncio.run(run())


def test_missing_robots_txt_allows_everything(fault_server: FaultServer) -> None:
    fault_server.robots = None
    robots, page = load(fault_server)
    assert robots.allowed(fault_server.url("/private/x")) and page.ok
    assert robots.source == "robots.txt answered HTTP 404"


@pytest.mark.parametrize("status", [500, 503])
def test_a_failing_robots_txt_disallows_the_site_for_this_run(fault_server: FaultServer, status: int,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    fault_server.robots_status = status
    robots, page = load(fault_server)
    assert page.error == "disallowed by robots.txt"
    assert fault_server.paths() == ["/robots.txt"]
    assert f"robots.txt unreachable (HTTP {status}" in caplog.text


def test_plain_permalink_wordpress_robots_redirect_is_followed(fault_server: FaultServer) -> None:
    fault_server.robots_redirect = True
    robots, page = load(fault_server)
    assert fault_server.paths()[:2] == ["/robots.txt", "/?robots=1"]
    assert not robots.allowed(fault_server.url("/private/secret"))
    assert robots.sitemaps == [fault_server.url("/sitemap.xml")]     # relative to where robots.txt was found
    assert page.ok


def test_robots_txt_is_read_once_per_session(fault_server: FaultServer) -> None:
    async def run() -> None:
        async with Fetcher(CrawlConfig(delay=0.0)) as fetcher:
            session = fetcher.session(SiteConfig(name="school", url=fault_server.url("/")))
            await asyncio.gather(*(session.fetch(fault_server.url(f"/page/{n}")) for n in range(3)))
            assert await session.load_robots() is session.robots

    asyncio.run(run())
    assert len(fault_server.requests_for("/robots.txt")) == 1
    assert len(fault_server.requests) == 4


def test_a_huge_crawl_delay_is_capped(fault_server: FaultServer, caplog: pytest.LogCaptureFixture) -> None:
    fault_server.robots = "User-agent: *\nCrawl-delay: 86400\n"

    async def run() -> float:
        async with Fetcher(CrawlConfig(delay=0.0)) as fetcher:
            session = fetcher.session(SiteConfig(name="school", url=fault_server.url("/")))
            await session.load_robots()
            return session.delay

    assert asyncio.run(run()) == 60.0
    assert "Crawl-delay 86400 s capped at 60 s" in caplog.text
