"""The crawl's connections on asyncio's transports (scraper/crawl/network.py), against real servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from servers import PROXY_VARIABLES
from servers.faults import FaultServer, self_signed_certificate

from scraper.config import CrawlConfig, SiteConfig
from scraper.crawl.fetch import Fetcher, FetchResult
from scraper.crawl.network import HIGH_WATER, AsyncioBackend


@pytest.fixture(autouse=True)
def _direct(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def fetch_all(server: FaultServer, paths: list[str], *, pause: float = 0.0, **config: object) -> list[FetchResult]:
    """Fetch `paths` in turn through one session (TLS unverified), `pause` seconds apart."""

    async def run() -> list[FetchResult]:
        crawl = CrawlConfig(**{"delay": 0.0, "timeout": 2.0, "retries": 0, **config})
        async with Fetcher(crawl) as fetcher:
            session = fetcher.session(SiteConfig(name="school", url=server.url("/"), verify_tls=False))
            results = []
            for path in paths:
                results.append(await session.fetch(server.url(path)))
                await asyncio.sleep(pause)
            (pool,) = [transport._pool for transport in fetcher._open]
            assert isinstance(pool._network_backend, AsyncioBackend)
            return results

    return asyncio.run(run())


@pytest.mark.parametrize("tls", [False, True])
def test_a_body_many_times_the_read_buffer_arrives_whole(tmp_path: Path, tls: bool) -> None:
    body = b"".join(b"<p>baris %07d</p>\n" % n for n in range(300_000))      # 5.7 MB: reading pauses and resumes
    assert len(body) > 20 * HIGH_WATER
    with FaultServer(tls=self_signed_certificate(tmp_path) if tls else None) as server:
        server.add("/big", body)
        big, after = fetch_all(server, ["/big", "/page/1"], max_bytes=10_000_000)
    assert big.ok and big.content == body
    assert after.ok and b"/page/1" in after.content          # the connection is reused after a paused read


def test_a_connection_the_server_closed_while_idle_is_not_reused(fault_server: FaultServer) -> None:
    # The server hangs up after answering: the next request must go out on a new connection, not fail.
    results = fetch_all(fault_server, ["/hangup/1", "/hangup/2", "/page/1"], pause=0.05)
    assert [r.status for r in results] == [200, 200, 200] and all(r.error is None for r in results)


def test_a_refused_connection_is_a_connect_error() -> None:
    with FaultServer() as server:
        url = server.url("/")
    # The server is gone: nobody listens on its port any more.

    async def run() -> FetchResult:
        async with Fetcher(CrawlConfig(delay=0.0, timeout=2.0, retries=0)) as fetcher:
            session = fetcher.session(SiteConfig(name="gone", url=url))
            await session.load_robots()
            return session.robots_fetch

    result = asyncio.run(run())
    assert result.status is None and result.error.startswith("cannot connect (")
