"""The fetcher against hostile addresses and responses: private and metadata hosts, long URLs, huge headers,
a Content-Length that never comes and a slowloris drip (SECURITY.md, "Fetching")."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time

import httpx
import pytest
from servers.faults import FaultServer
from test_fetch import crawl_config, fetch_one, site_of

from scraper.config import SiteConfig
from scraper.crawl.fetch import MAX_URL_LENGTH, Fetcher, FetchResult
from scraper.crawl.guard import (
    AddressGuard,
    address_problem,
    environment_proxy,
    ip_literal_problem,
    parse_ip,
    uses_proxy,
)


class SpyTransport(httpx.AsyncBaseTransport):
    """The real transport, remembering every host it was asked to contact."""

    def __init__(self) -> None:
        self.hosts: list[str] = []
        self._real = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        return await self._real.handle_async_request(request)

    async def aclose(self) -> None:
        await self._real.aclose()


def fetch_urls(site: SiteConfig, *urls: str, transport: httpx.AsyncBaseTransport | None = None,
               **config: object) -> list[FetchResult]:
    async def run() -> list[FetchResult]:
        async with Fetcher(crawl_config(**config), transport=transport) as fetcher:
            session = fetcher.session(site)
            return [await session.fetch(url) for url in urls]

    return asyncio.run(run())


@pytest.mark.parametrize(("address", "problem"), [
    ("127.0.0.1", "a loopback address"), ("10.0.0.1", "a private address"), ("172.16.5.4", "a private address"),
    ("192.168.1.1", "a private address"), ("169.254.169.254", "a cloud metadata address"),
    ("169.254.1.1", "a link-local address"), ("0.0.0.0", "a private address"), ("224.0.0.1", "a multicast address"),
    ("240.0.0.1", "a private address"), ("100.64.0.1", "not a public address"), ("::1", "a loopback address"),
    ("fe80::1", "a link-local address"), ("fc00::1", "a private address"), ("::ffff:10.0.0.1", "a private address"),
    ("fd00:ec2::254", "a cloud metadata address"), ("8.8.8.8", None), ("2001:4860:4860::8888", None),
])
def test_non_public_addresses_are_named(address: str, problem: str | None) -> None:
    assert address_problem(ipaddress.ip_address(address)) == problem


def test_every_spelling_of_an_ip_is_recognised() -> None:
    loopback = ipaddress.ip_address("127.0.0.1")
    assert [parse_ip(host) for host in ("2130706433", "0x7f.1", "127.1", "[::1]")] == [
        loopback, loopback, loopback, ipaddress.ip_address("::1")]
    assert parse_ip("smkn7balikpapan.sch.id") is None
    assert ip_literal_problem("http://2130706433:8080/") == "2130706433 is a loopback address"
    assert ip_literal_problem("http://[::ffff:169.254.169.254]/") == \
        "::ffff:169.254.169.254 is a cloud metadata address"
    assert ip_literal_problem("https://smkn7balikpapan.sch.id/") is None


def test_private_and_metadata_links_are_blocked_without_any_traffic(
        fault_server: FaultServer, caplog: pytest.LogCaptureFixture) -> None:
    spy = SpyTransport()
    with caplog.at_level(logging.WARNING, logger="warta.fetch"):
        results = fetch_urls(site_of(fault_server), "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
                             "http://[::1]:8080/", fault_server.url("/page/1"), transport=spy)
    assert [r.error for r in results] == ["blocked: 10.0.0.1 is a private address",
                                          "blocked: 169.254.169.254 is a cloud metadata address",
                                          "blocked: ::1 is a loopback address", None]
    assert all(r.status is None for r in results[:3]) and results[3].ok
    assert spy.hosts == ["127.0.0.1", "127.0.0.1"]          # robots.txt and the configured site's page only
    assert "http://169.254.169.254/latest/meta-data/: blocked: 169.254.169.254 is a cloud metadata address" \
        in caplog.text


def test_a_name_resolving_to_a_private_address_is_blocked(fault_server: FaultServer) -> None:
    elsewhere = fault_server.url("/page/1").replace("127.0.0.1", "localhost")
    [result] = fetch_urls(site_of(fault_server), elsewhere)
    assert result.error == "blocked: localhost resolves to 127.0.0.1, a loopback address"
    assert fault_server.requests == []


def test_the_configured_site_is_trusted_even_on_a_private_address(fault_server: FaultServer) -> None:
    site = SiteConfig(name="local", url=fault_server.url("/").replace("127.0.0.1", "localhost"))
    [result] = fetch_urls(site, site.url + "page/1")
    assert result.ok and len(fault_server.requests) == 2


def test_through_a_proxy_names_are_left_to_the_proxy_but_ip_literals_are_checked(
        fault_server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", fault_server.base_url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert uses_proxy("http://smk-contoh.test/") and not uses_proxy("ftp://smk-contoh.test/")
    monkeypatch.setenv("NO_PROXY", "sekolah-lain.test")
    assert environment_proxy("http://smk-contoh.test/") == fault_server.base_url
    assert environment_proxy("http://www.sekolah-lain.test/") is None
    monkeypatch.setenv("HTTP_PROXY", fault_server.base_url.removeprefix("http://"))   # no scheme: http, as httpx
    assert environment_proxy("http://smk-contoh.test/") == fault_server.base_url
    site = SiteConfig(name="proxied", url="http://smk-contoh.test/")
    www, private = fetch_urls(site, "http://www.smk-contoh.test/page/1", "http://192.168.0.10/rapor")
    assert www.ok and private.error == "blocked: 192.168.0.10 is a private address"
    assert fault_server.paths() == ["http://smk-contoh.test/robots.txt", "http://www.smk-contoh.test/page/1"]


def test_the_guard_resolves_each_host_once() -> None:
    async def run() -> list[str | None]:
        guard = AddressGuard("http://smk-contoh.test/")
        return [await guard.problem("http://localhost:9/a"), await guard.problem("http://localhost:9/b"),
                await guard.problem("http://smk-contoh.test/x"), guard._resolved]

    first, second, trusted, cache = asyncio.run(run())
    assert first == second == "localhost resolves to 127.0.0.1, a loopback address"
    assert trusted is None and list(cache) == [("localhost", 9)]


def test_overlong_urls_and_redirect_targets_are_refused(fault_server: FaultServer) -> None:
    long_url = fault_server.url("/page/" + "a" * MAX_URL_LENGTH)
    [result] = fetch_urls(site_of(fault_server), long_url)
    assert result.error == f"bad URL (URL of {len(long_url)} characters, over {MAX_URL_LENGTH})"
    fault_server.add("/long-redirect", "moved", status=302, headers={"Location": "/page/" + "b" * 3000})
    redirected = fetch_one(fault_server, "/long-redirect")
    assert redirected.status == 302 and redirected.error.startswith("redirect to a bad URL (URL of ")
    assert not any(p.startswith("/page/") for p in fault_server.paths())


def test_an_off_site_redirect_to_a_metadata_address_names_the_reason(fault_server: FaultServer) -> None:
    result = fetch_one(fault_server, "/redirect?to=http://169.254.169.254/latest/meta-data/&status=302")
    assert result.error == ("off-site redirect to http://169.254.169.254/latest/meta-data/ "
                            "(blocked: 169.254.169.254 is a cloud metadata address)")


def test_a_response_head_over_100_kb_is_refused_not_retried(fault_server: FaultServer) -> None:
    result = fetch_one(fault_server, "/big-headers?kb=200")
    assert result.status is None and result.error == "response headers over 100 KB"
    assert len(fault_server.requests_for("/big-headers")) == 1
    assert fetch_one(fault_server, "/big-headers?kb=20").ok


@pytest.mark.parametrize("path", ["/stall/body?seconds=30&length=2000000000", "/drip?seconds=30"])
def test_a_body_that_never_comes_or_drips_is_cut_by_the_deadline(fault_server: FaultServer, path: str) -> None:
    started = time.monotonic()
    result = fetch_one(fault_server, path, config=crawl_config(timeout=0.5, retries=0))
    assert result.error == "timeout after 1 try"
    assert time.monotonic() - started < 4      # the drip never idles 0.5 s: the 4 × timeout deadline cuts it


def test_control_characters_are_refused_but_spaces_are_encoded(fault_server: FaultServer) -> None:
    [result] = fetch_urls(site_of(fault_server), fault_server.url("/page/a\r\nX-Injected: 1"))
    assert result.error.startswith("bad URL (control character in ")
    fault_server.add("/space-redirect", "moved", status=302, headers={"Location": "/page/judul berita"})
    redirected = fetch_one(fault_server, "/space-redirect")
    assert redirected.ok and fault_server.paths()[-1] == "/page/judul%20berita"
