"""One site crawled on a worker: the same `SiteCrawler` as the single-machine run, its archive calls sent to
the writer over Redis (`RemoteArchive`).

Every worker process runs one asyncio loop in a thread of its own, shared by the sites it crawls at the same
time (one per pool thread), with one HTTP client and one WARC file, as in `run_crawl`. While a worker crawls a
host it holds that host's lease (`scraper.distributed.lease`).
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import threading
from collections.abc import Coroutine
from dataclasses import asdict
from pathlib import Path
from typing import Any

from scraper.config import ArchiveConfig, Config, CrawlConfig, SiteConfig
from scraper.crawl.capture import WarcWriter
from scraper.crawl.fetch import Fetcher
from scraper.crawl.report import SiteReport
from scraper.crawl.run import SiteCrawler, crawl_site
from scraper.distributed.lease import HostLease
from scraper.distributed.relay import CHECKPOINT_PREFIX, DONE_PREFIX, KEY_TTL, ProgressRelay
from scraper.distributed.remote_archive import RemoteArchive

BUSY = "busy"


def task_payload(run_id: int, site: SiteConfig, config: Config) -> dict[str, Any]:
    """What a worker needs to crawl `site` for run `run_id` (JSON-ready)."""
    return {"run_id": run_id, "site": asdict(site), "crawl": asdict(config.crawl),
            "captures": str(config.archive.captures.resolve()), "lease_timeout": config.distributed.lease_timeout}


async def run_site_task(payload: dict[str, Any], broker: str) -> str:
    """Crawl one site of a run unless that is done already; BUSY when another worker holds the host."""
    redis = runtime().redis(broker)
    raw_site = payload["site"]
    site = SiteConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw_site.items()})
    run_id, host = payload["run_id"], site.host
    done_key = f"{DONE_PREFIX}{run_id}:{host}"
    relay = ProgressRelay(redis, run_id, host)
    if (final := await redis.get(done_key)) is not None:
        await relay.announce_done(final)       # a redelivered task: tell the coordinator again, do nothing else
        return "done before"
    lease = HostLease(redis, host, payload["lease_timeout"])
    if not await lease.acquire():
        return BUSY
    try:
        if (final := await redis.get(done_key)) is not None:
            await relay.announce_done(final)
            return "done before"
        saved = await redis.get(f"{CHECKPOINT_PREFIX}{run_id}:{host}")
        report = SiteReport(**json.loads(saved)) if saved else SiteReport(host=host, name=site.name)
        crawl = CrawlConfig(**payload["crawl"])
        captures = Path(payload["captures"])
        config = Config(path=Path("distributed"), archive=ArchiveConfig(path=Path(), captures=captures),
                        crawl=crawl, sites=(site,))
        fetcher = runtime().fetcher(crawl, captures)
        crawler = SiteCrawler(RemoteArchive(redis), config, site, fetcher.session(site), run_id, report,
                              relay.note)
        async with relay.flushing(), lease.kept():
            await crawl_site(crawler)
        final = json.dumps(asdict(report), ensure_ascii=False)
        await redis.set(done_key, final, ex=KEY_TTL)
        await relay.announce_done(final)
        return report.line()
    finally:
        await lease.release()


async def announce_failure(payload: dict[str, Any], broker: str, problem: str) -> None:
    """Report a site that could not be crawled at all as failed, so the coordinator does not wait for it."""
    site = payload["site"]
    report = SiteReport(host=SiteConfig(name=site["name"], url=site["url"]).host, name=site["name"], failed=problem)
    relay = ProgressRelay(runtime().redis(broker), payload["run_id"], report.host)
    await relay.announce_done(json.dumps(asdict(report), ensure_ascii=False))


class _WorkerRuntime:
    """Per worker process: one event loop in a thread of its own, its Redis clients, HTTP clients and WARC files."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="warta-crawl-loop", daemon=True).start()
        self._redis: dict[str, Any] = {}
        self._fetchers: dict[tuple[CrawlConfig, Path], Fetcher] = {}
        self._captures: dict[Path, WarcWriter] = {}
        atexit.register(self.close)

    def run(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        """Run `coroutine` on the shared loop and wait for its result (called from a pool thread)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def redis(self, broker: str) -> Any:
        """The asyncio Redis client of `broker` (created on the loop's first use)."""
        import redis.asyncio

        if broker not in self._redis:
            self._redis[broker] = redis.asyncio.Redis.from_url(broker, decode_responses=True)
        return self._redis[broker]

    def fetcher(self, crawl: CrawlConfig, captures: Path) -> Fetcher:
        """The HTTP side shared by every site with the same crawl settings and captures directory."""
        key = (crawl, captures)
        if key not in self._fetchers:
            if captures not in self._captures:
                self._captures[captures] = WarcWriter(captures, prefix=f"warta-{os.uname().nodename}")
            self._fetchers[key] = Fetcher(crawl, capture=self._captures[captures])
        return self._fetchers[key]

    def close(self) -> None:
        """Close HTTP clients and WARC files (at process exit)."""
        async def close_all() -> None:
            for fetcher in self._fetchers.values():
                await fetcher.__aexit__(None, None, None)
        if self.loop.is_running():
            asyncio.run_coroutine_threadsafe(close_all(), self.loop).result(timeout=10)
        for writer in self._captures.values():
            writer.close()


_RUNTIME: _WorkerRuntime | None = None
_RUNTIME_LOCK = threading.Lock()


def runtime() -> _WorkerRuntime:
    """This process's worker runtime (created on first use)."""
    global _RUNTIME
    with _RUNTIME_LOCK:
        if _RUNTIME is None:
            _RUNTIME = _WorkerRuntime()
        return _RUNTIME
