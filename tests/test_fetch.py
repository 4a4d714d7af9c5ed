"""The polite fetcher against a real misbehaving HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import logging
import re
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from servers import PROXY_VARIABLES
from servers.faults import CLOCK_SLACK, LAST_MODIFIED, FaultServer, self_signed_certificate

from scraper.config import CrawlConfig, SiteConfig
from scraper.crawl.fetch import Fetcher, FetchResult, HostSession, parse_retry_after, utc_now_iso

FAST = {"delay": 0.0, "timeout": 2.0, "retries": 2, "max_bytes": 1_000_000, "max_redirects": 5}


def crawl_config(**overrides: object) -> CrawlConfig:
    return CrawlConfig(**{**FAST, **overrides})


def site_of(server: FaultServer) -> SiteConfig:
    return SiteConfig(name=f"school {server.port}", url=server.url("/"))


def fetch_paths(server: FaultServer, *paths: str, config: CrawlConfig | None = None,
                **kwargs: object) -> list[FetchResult]:
    """Fetch `paths` one after the other through one session, as a site's crawl coroutine does."""

    async def run() -> list[FetchResult]:
        async with Fetcher(config or crawl_config()) as fetcher:
            session = fetcher.session(site_of(server))
            return [await session.fetch(server.url(path), **kwargs) for path in paths]

    return asyncio.run(run())


def fetch_one(server: FaultServer, path: str, **kwargs: object) -> FetchResult:
    config = kwargs.pop("config", None)
    return fetch_paths(server, path, config=config, **kwargs)[0]


def assert_polite(server: FaultServer, delay: float) -> None:
    """Every request started at least `delay` after the previous one (within the server clock's slack)."""
    gaps = server.gaps()
    assert min(gaps) >= delay - CLOCK_SLACK, gaps


def test_plain_page_comes_back_with_headers_body_and_user_agent(fault_server: FaultServer) -> None:
    result = fetch_one(fault_server, "/page/1")
    assert result.ok and result.status == 200
    assert b"<h1>/page/1</h1>" in result.content
    assert result.content_type == "text/html"
    assert result.headers["content-type"] == "text/html; charset=utf-8"
    assert result.final_url == fault_server.url("/page/1") and result.redirects == []
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", result.fetched_at)
    request = fault_server.requests_for("/page/1")[0]
    assert request.headers["user-agent"] == CrawlConfig().user_agent
    assert "text/html" in request.headers["accept"]


def test_robots_txt_is_fetched_first_and_disallowed_urls_never_requested(fault_server: FaultServer) -> None:
    ok, blocked = fetch_paths(fault_server, "/page/1", "/private/secret")
    assert fault_server.paths()[0] == "/robots.txt"
    assert ok.ok
    assert blocked.error == "disallowed by robots.txt" and blocked.status is None
    assert fault_server.requests_for("/private/secret") == []


def test_requests_to_one_host_start_at_least_delay_apart(fault_server: FaultServer) -> None:
    fetch_paths(fault_server, *[f"/page/{n}" for n in range(5)], config=crawl_config(delay=0.25))
    assert len(fault_server.requests) == 6            # robots.txt + 5 pages
    assert_polite(fault_server, 0.25)


def test_robots_crawl_delay_raises_the_configured_delay(fault_server: FaultServer) -> None:
    fault_server.robots = "User-agent: *\nCrawl-delay: 0.3\nDisallow: /private/\n"
    fetch_paths(fault_server, "/page/1", "/page/2", "/page/3", config=crawl_config(delay=0.05))
    assert_polite(fault_server, 0.3)


def test_hosts_are_crawled_in_parallel_and_each_stays_polite(fault_server: FaultServer,
                                                              other_fault_server: FaultServer) -> None:
    pages = [f"/page/{n}" for n in range(5)]

    async def crawl_site(session: HostSession, server: FaultServer) -> None:
        for path in pages:
            assert (await session.fetch(server.url(path))).ok

    async def run() -> float:
        async with Fetcher(crawl_config(delay=0.25)) as fetcher:
            started = time.monotonic()
            await asyncio.gather(*(crawl_site(fetcher.session(site_of(s)), s)
                                   for s in (fault_server, other_fault_server)))
            return time.monotonic() - started

    elapsed = asyncio.run(run())
    one_host = 5 * 0.25                                 # 6 requests per host, 5 gaps of 0.25 s
    assert one_host - 0.02 <= elapsed < 1.6 * one_host, elapsed   # about the slowest host, not the sum
    for server in (fault_server, other_fault_server):
        assert_polite(server, 0.25)
    first_a, first_b = fault_server.requests[0].time, other_fault_server.requests[0].time
    assert abs(first_a - first_b) < 0.2                 # both hosts started together: their requests interleave


def test_429_with_retry_after_seconds_waits_and_retries(fault_server: FaultServer) -> None:
    result = fetch_one(fault_server, "/retry/429/1?after=1")
    assert result.ok and b"finally" in result.content
    first, second = fault_server.requests_for("/retry/429/1")
    assert second.time - first.time >= 1.0 - 0.01


def test_503_with_retry_after_http_date_waits_until_then(fault_server: FaultServer) -> None:
    result = fetch_one(fault_server, "/retry/503/1?date=2")
    assert result.ok
    first, second = fault_server.requests_for("/retry/503/1")
    assert second.time - first.time >= 0.9              # the date has a one-second resolution


def test_retry_after_beyond_the_cap_fails_the_url_at_once(fault_server: FaultServer) -> None:
    started = time.monotonic()
    result = fetch_one(fault_server, "/retry/503/5?after=3600")
    assert time.monotonic() - started < 2
    assert result.status == 503 and not result.ok
    assert "Retry-After 3600 s" in result.error and "cap" in result.error
    assert len(fault_server.requests_for("/retry/503/5")) == 1


def test_a_host_that_stays_busy_fails_after_the_configured_retries(fault_server: FaultServer) -> None:
    result = fetch_one(fault_server, "/retry/503/99", config=crawl_config(retries=2))
    assert result.status == 503
    assert result.error == "HTTP 503 after 3 tries"
    assert len(fault_server.requests_for("/retry/503/99")) == 3


def test_a_path_failing_once_succeeds_on_retry(fault_server: FaultServer) -> None:
    fault_server.fail_first("/page/flaky", how="503")
    fault_server.fail_first("/page/reset", how="reset")
    flaky, reset = fetch_paths(fault_server, "/page/flaky", "/page/reset")
    assert flaky.ok and reset.ok
    assert len(fault_server.requests_for("/page/flaky")) == 2
    assert len(fault_server.requests_for("/page/reset")) == 2


@pytest.mark.parametrize("path", ["/stall/headers?seconds=5", "/stall/body?seconds=5"])
def test_a_stalled_server_times_out_after_bounded_retries(fault_server: FaultServer, path: str) -> None:
    started = time.monotonic()
    result = fetch_one(fault_server, path, config=crawl_config(timeout=0.3, retries=1))
    assert time.monotonic() - started < 2.5
    assert result.status is None and result.content == b""
    assert result.error == "timeout after 2 tries"
    assert len(fault_server.requests_for(path.split("?")[0])) == 2


def test_connection_resets_are_retried_then_reported(fault_server: FaultServer) -> None:
    reset, closed = fetch_paths(fault_server, "/reset", "/close", config=crawl_config(retries=1))
    assert reset.status is None and reset.error.endswith("after 2 tries")
    assert "connection" in reset.error
    assert closed.status is None and "connection" in closed.error
    assert len(fault_server.requests_for("/reset")) == 2


def test_same_site_redirects_are_followed_and_listed(fault_server: FaultServer) -> None:
    result = fetch_one(fault_server, "/redirect?to=/chain/1")
    assert result.ok and b"end of the chain" in result.content
    assert result.redirects == [fault_server.url("/chain/1"), fault_server.url("/chain/0")]
    assert result.final_url == fault_server.url("/chain/0")


def test_redirect_loops_and_long_chains_stop(fault_server: FaultServer) -> None:
    loop, chain = fetch_paths(fault_server, "/loop/a", "/chain/10", config=crawl_config(max_redirects=3))
    assert loop.error == f"redirect loop at {fault_server.url('/loop/a')}"
    assert chain.error == "too many redirects (over 3)"
    assert len(fault_server.requests_for("/loop/a")) == 1
    assert len([p for p in fault_server.paths() if p.startswith("/chain/")]) == 4


def test_off_site_redirects_are_recorded_not_followed(fault_server: FaultServer,
                                                      other_fault_server: FaultServer) -> None:
    elsewhere = other_fault_server.url("/page/1")
    result = fetch_one(fault_server, f"/redirect?to={elsewhere}&status=302")
    assert result.status == 302 and result.error.startswith(f"off-site redirect to {elsewhere}")
    assert result.headers["location"] == elsewhere
    assert other_fault_server.requests == []


def test_a_50_mb_body_is_cut_at_max_bytes(fault_server: FaultServer) -> None:
    started = time.monotonic()
    result = fetch_one(fault_server, "/huge?mb=50")
    assert time.monotonic() - started < 5
    assert result.error == "body over 1000000 bytes" and not result.ok
    assert len(result.content) == 1_000_000


def test_a_gzip_bomb_is_cut_at_max_bytes_without_inflating_in_memory(fault_server: FaultServer) -> None:
    tracemalloc.start()
    try:
        result = fetch_one(fault_server, "/bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.error == "body over 1000000 bytes"
    assert len(result.content) == 1_000_000
    assert peak < 15_000_000, peak                      # 50 MB decompressed would show here


def test_gzip_pages_are_decoded(fault_server: FaultServer) -> None:
    result = fetch_one(fault_server, "/gzip")
    assert result.ok and b"isi berita" in result.content
    assert fault_server.requests_for("/gzip")[0].headers["accept-encoding"] == "gzip, deflate"


def test_non_html_is_skipped_without_reading_the_body(fault_server: FaultServer) -> None:
    image, binary = fetch_paths(fault_server, "/image.png", "/binary")
    assert image.error == "not HTML (image/png)" and image.content == b"" and image.status == 200
    assert binary.error == "not HTML (image/png content sent as text/html)"


def test_other_media_types_can_be_asked_for(fault_server: FaultServer) -> None:
    image = fetch_one(fault_server, "/image.png", accept=("image/*",), config=crawl_config(max_bytes=10_000_000))
    assert image.ok and image.content.startswith(b"\x89PNG")
    robots = fetch_one(fault_server, "/robots.txt", accept=("application/json",))
    assert robots.error == "not application/json (text/plain)"


def test_wrong_charsets_come_back_as_the_exact_bytes(fault_server: FaultServer) -> None:
    latin1, utf16 = fetch_paths(fault_server, "/latin1", "/utf16")
    assert latin1.ok and "Café “juara”".encode("cp1252") in latin1.content
    assert utf16.ok and utf16.content.startswith(b"\xff\xfe")   # UTF-16 has NULs but is not binary


def test_conditional_get_answers_not_modified(fault_server: FaultServer) -> None:
    first = fetch_one(fault_server, "/conditional")
    assert first.ok and not first.not_modified
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    by_etag = fetch_one(fault_server, "/conditional", etag=etag)
    by_date = fetch_one(fault_server, "/conditional", last_modified=last_modified)
    for result in (by_etag, by_date):
        assert result.status == 304 and result.not_modified and result.error is None
        assert result.content == b"" and not result.ok
    logged = fault_server.requests_for("/conditional")
    assert logged[1].headers["if-none-match"] == '"v1"'
    assert logged[2].headers["if-modified-since"] == LAST_MODIFIED


def test_post_sends_form_data_and_extra_headers(fault_server: FaultServer) -> None:
    result = fetch_one(fault_server, "/echo", method="POST", data={"page_number": "2", "category_slug": "berita"},
                       headers={"X-Requested-With": "XMLHttpRequest"})
    assert result.ok and b"POST page_number=2&category_slug=berita XMLHttpRequest" in result.content
    request = fault_server.requests_for("/echo")[0]
    assert request.method == "POST" and request.body == b"page_number=2&category_slug=berita"
    assert request.headers["x-requested-with"] == "XMLHttpRequest"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"


def test_cookies_stay_with_their_site(fault_server: FaultServer, other_fault_server: FaultServer) -> None:
    async def run() -> tuple[FetchResult, FetchResult]:
        async with Fetcher(crawl_config()) as fetcher:
            first = fetcher.session(site_of(fault_server))
            second = fetcher.session(site_of(other_fault_server))
            await first.fetch(fault_server.url("/cookie/set"))
            return (await first.fetch(fault_server.url("/cookie/show")),
                    await second.fetch(other_fault_server.url("/cookie/show")))

    same, other = asyncio.run(run())
    assert b"cookie: session=abc123" in same.content
    assert b"session=abc123" not in other.content
    assert "cookie" not in other_fault_server.requests_for("/cookie/show")[0].headers


def test_http_errors_come_back_in_the_result_and_each_failure_is_logged_once(
        fault_server: FaultServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="warta.fetch")
    missing, broken = fetch_paths(fault_server, "/status/404", "/status/500")
    assert missing.status == 404 and missing.error == "HTTP 404"
    assert broken.status == 500 and broken.error == "HTTP 500"
    assert len(fault_server.requests_for("/status/500")) == 1            # a 500 is not retried
    lines = [r for r in caplog.records if r.name == "warta.fetch"]
    assert [(r.levelname, r.getMessage()) for r in lines] == [
        ("INFO", f"{fault_server.url('/status/404')}: HTTP 404"),
        ("WARNING", f"{fault_server.url('/status/500')}: HTTP 500"),
    ]


def test_an_unreachable_host_is_disallowed_by_rfc_9309_and_bad_urls_do_not_raise(
        fault_server: FaultServer) -> None:
    async def run() -> tuple[FetchResult, str, FetchResult]:
        async with Fetcher(crawl_config(retries=0, timeout=1.0)) as fetcher:
            gone = fetcher.session(SiteConfig(name="gone", url="http://127.0.0.1:9/"))
            result = await gone.fetch("http://127.0.0.1:9/x")
            bad = await fetcher.session(site_of(fault_server)).fetch(fault_server.url("/page/x").replace(
                str(fault_server.port), "99999"))
            return result, gone.robots.source, bad

    gone, source, bad = asyncio.run(run())
    assert gone.status is None and gone.error == "disallowed by robots.txt"
    assert source.startswith("robots.txt unreachable (cannot connect")
    assert bad.status is None and bad.error.startswith("bad URL")


def test_requests_go_through_the_proxy_from_the_environment(fault_server: FaultServer,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", fault_server.base_url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)

    async def run() -> FetchResult:
        async with Fetcher(crawl_config()) as fetcher:
            session = fetcher.session(SiteConfig(name="proxied", url="http://smk-contoh.test/"))
            return await session.fetch("http://smk-contoh.test/page/1")

    result = asyncio.run(run())
    assert result.ok
    assert fault_server.paths() == ["http://smk-contoh.test/robots.txt", "http://smk-contoh.test/page/1"]


def test_retry_after_values_parse_as_seconds_or_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 11, 22, 17, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Sun, 22 Nov 2026 17:01:30 GMT", now) == 90.0
    assert parse_retry_after("Sun, 22 Nov 2026 16:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_gzip_body_constant_is_really_a_bomb() -> None:
    from servers.faults import _gzip_bomb

    bomb = _gzip_bomb()
    assert len(bomb) < 200_000
    assert len(gzip.decompress(bomb)) > 50_000_000


def test_tls_is_verified_unless_the_site_turns_it_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    caplog.set_level(logging.INFO, logger="warta.fetch")

    async def run(server: FaultServer) -> tuple[FetchResult, str, FetchResult]:
        async with Fetcher(crawl_config()) as fetcher:
            strict = fetcher.session(SiteConfig(name="strict", url=server.url("/")))
            lax = fetcher.session(SiteConfig(name="lax", url=server.url("/"), verify_tls=False))
            refused = await strict.fetch(server.url("/page/1"))
            return refused, strict.robots.source, await lax.fetch(server.url("/page/1"))

    with FaultServer(tls=self_signed_certificate(tmp_path)) as server:
        refused, source, accepted = asyncio.run(run(server))
        assert server.paths() == ["/robots.txt", "/page/1"]          # only the lax session got through
    assert refused.error == "disallowed by robots.txt" and "TLS error" in source
    assert "CERTIFICATE_VERIFY_FAILED" in source and "tries" not in source   # not retried
    assert accepted.ok and accepted.final_url.startswith("https://")
    assert "127.0.0.1: TLS certificate verification is off (verify_tls = false)" in caplog.text


def test_utc_now_iso_spells_the_current_second_and_moves_on() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    stamp = utc_now_iso()
    assert before <= datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) <= datetime.now(UTC)
    time.sleep(1.05)
    assert utc_now_iso() > stamp                  # the spelling kept for one second is not kept longer
