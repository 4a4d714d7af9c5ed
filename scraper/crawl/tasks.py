"""The Celery side of a distributed crawl: the app, the host → queue routing and the per-site task.

One task crawls one site with the same `SiteCrawler` as the single-machine run; its archive calls go to the
writer over Redis (`RemoteArchive`). Every worker process runs one asyncio loop in a thread of its own, shared by
the sites it crawls at the same time (one per pool thread), with one HTTP client and one WARC file, as in
`run_crawl`. Politeness across workers rests on two things: each host's task goes to one queue (a stable hash of
the host) and, while a worker crawls a host, it holds that host's lease in Redis, so even a task Celery hands out
twice (a worker lost, a visibility timeout passed) never makes two workers fetch from one host at once.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import logging
import os
import threading
import uuid
import zlib
from collections.abc import Coroutine, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from scraper.config import ArchiveConfig, Config, CrawlConfig, DistributedConfig, SiteConfig
from scraper.crawl.capture import WarcWriter
from scraper.crawl.fetch import Fetcher
from scraper.crawl.remote import RemoteArchive
from scraper.crawl.report import SiteReport
from scraper.crawl.run import SiteCrawler, crawl_site

log = logging.getLogger(__name__)

TASK_NAME = "warta.crawl_site"
QUEUE_PREFIX = "warta.q."
EVENTS_PREFIX = "warta:events:"      # + run id: a list of progress events for the coordinator
DONE_PREFIX = "warta:done:"          # + run id:host → the site's final report (a redelivered task stops there)
CHECKPOINT_PREFIX = "warta:report:"  # + run id:host → the site's report so far (a redone task counts on)
LEASE_PREFIX = "warta:lease:"        # + host → the worker crawling it now
KEY_TTL = 7 * 24 * 3600
FLUSH_EVERY = 0.25                   # seconds between progress pushes of one site
BUSY = "busy"
MAX_TASK_RETRIES = 5                 # a task failing outside the crawl itself is tried again this often

_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


def queue_for(host: str, queues: int) -> str:
    """The queue of `host`: the same for every process and machine (crc32, not Python's salted hash)."""
    return f"{QUEUE_PREFIX}{zlib.crc32(host.lower().encode()) % queues}"


def queue_names(queues: int) -> list[str]:
    """All queue names for a `[distributed] queues` count."""
    return [f"{QUEUE_PREFIX}{n}" for n in range(queues)]


def make_app(broker: str, distributed: DistributedConfig) -> Any:
    """The Celery app on `broker` with the crawl task registered: JSON messages, late acknowledgement,
    requeue when a worker is lost, one task prefetched per pool thread."""
    from celery import Celery

    app = Celery("warta", broker=broker, set_as_current=False)
    visibility = distributed.visibility_timeout
    app.conf.update(
        task_serializer="json", accept_content=["json"], task_ignore_result=True,
        task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
        task_default_queue=f"{QUEUE_PREFIX}0", broker_connection_retry_on_startup=True,
        worker_enable_remote_control=False, worker_send_task_events=False,
        # A task of a vanished worker comes back after `visibility`; sweep for such tasks often enough.
        broker_transport_options={"visibility_timeout": visibility, "unacked_restore_throttle": 1,
                                  "unacked_restore_interval": max(1, min(10, int(visibility / 4)))},
    )

    @app.task(name=TASK_NAME, bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
    def crawl_site_task(task: Any, payload: dict[str, Any]) -> str:
        # Retries wait less than the visibility timeout, or Redis would hand the waiting copy out again.
        retry_in = max(0.5, min(visibility / 2, payload["lease_timeout"] / 2, 30.0))
        broker = task.app.conf.broker_url
        try:
            outcome = _runtime().run(run_site_task(payload, broker))
        except Exception as exc:  # Redis unreachable, say (a site's own errors end in its report instead)
            if task.request.retries < MAX_TASK_RETRIES:
                raise task.retry(exc=exc, countdown=retry_in, max_retries=None) from exc
            _runtime().run(announce_failure(payload, broker, f"worker error: {exc!r}"))
            raise
        if outcome == BUSY:     # another worker crawls this host now: look again later
            raise task.retry(countdown=retry_in, max_retries=None)
        return outcome

    return app


def start_worker(broker: str, distributed: DistributedConfig, *, queues: Sequence[str], concurrency: int,
                 loglevel: str = "INFO") -> None:
    """Run a Celery worker consuming `queues` with `concurrency` sites crawled at once (threads sharing one
    event loop: the work is network waits plus extraction, and one process per core scales the CPU part)."""
    app = make_app(broker, distributed)
    logging.getLogger("httpx").setLevel(logging.WARNING)     # a log line per request costs CPU and says little
    app.worker_main(["worker", "--pool=threads", f"--concurrency={concurrency}", f"--queues={','.join(queues)}",
                     "--without-mingle", "--without-gossip", "--without-heartbeat", f"--loglevel={loglevel}",
                     f"--hostname=warta-{os.getpid()}@%h"])


def task_payload(run_id: int, site: SiteConfig, config: Config) -> dict[str, Any]:
    """What a worker needs to crawl `site` for run `run_id` (JSON-ready)."""
    return {"run_id": run_id, "site": asdict(site), "crawl": asdict(config.crawl),
            "captures": str(config.archive.captures.resolve()), "lease_timeout": config.distributed.lease_timeout}


async def run_site_task(payload: dict[str, Any], broker: str) -> str:
    """Crawl one site of a run unless that is done already; BUSY when another worker holds the host."""
    redis = _runtime().redis(broker)
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
        fetcher = _runtime().fetcher(crawl, captures)
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
    relay = ProgressRelay(_runtime().redis(broker), payload["run_id"], report.host)
    await relay.announce_done(json.dumps(asdict(report), ensure_ascii=False))


class HostLease:
    """A host claimed in Redis by one worker: taken with SET NX, renewed while the crawl runs, released after.
    A lost worker's claim expires after `timeout` seconds, longer than any per-host delay."""

    def __init__(self, redis: Any, host: str, timeout: float) -> None:
        self.redis, self.key = redis, f"{LEASE_PREFIX}{host}"
        self.token = f"{os.getpid()}:{uuid.uuid4().hex}"
        self.timeout_ms = int(timeout * 1000)

    async def acquire(self) -> bool:
        """True when this worker now holds the host."""
        return bool(await self.redis.set(self.key, self.token, nx=True, px=self.timeout_ms))

    async def release(self) -> None:
        """Give the host back (only if still ours)."""
        await self.redis.eval(_RELEASE, 1, self.key, self.token)

    def kept(self) -> _Periodic:
        """Renew the lease every third of its timeout while the block runs."""
        async def renew() -> None:
            if not await self.redis.eval(_RENEW, 1, self.key, self.token, self.timeout_ms):
                log.error("%s: lease lost (worker stalled longer than lease_timeout?)", self.key)
        return _Periodic(renew, self.timeout_ms / 3000)


class ProgressRelay:
    """Sends a site's progress to the coordinator: events are buffered by `note` (the crawler's on_progress)
    and pushed a few times a second with a checkpoint of the report; `done` goes out only via announce_done."""

    def __init__(self, redis: Any, run_id: int, host: str) -> None:
        self.redis, self.host = redis, host
        self.events_key = f"{EVENTS_PREFIX}{run_id}"
        self.checkpoint_key = f"{CHECKPOINT_PREFIX}{run_id}:{host}"
        self.buffer: list[str] = []
        self.latest: SiteReport | None = None

    def note(self, event: str, report: SiteReport) -> None:
        """The crawler's progress callback."""
        self.latest = report
        if event == "page":
            self.buffer.append(json.dumps({"event": "page", "report": asdict(report)}, ensure_ascii=False))

    async def flush(self) -> None:
        """Push buffered events and checkpoint the report."""
        if not self.buffer:
            return
        events, self.buffer = self.buffer, []
        pipe = self.redis.pipeline(transaction=False)
        pipe.rpush(self.events_key, *events)
        pipe.expire(self.events_key, KEY_TTL)
        if self.latest is not None:
            pipe.set(self.checkpoint_key, json.dumps(asdict(self.latest), ensure_ascii=False), ex=KEY_TTL)
        await pipe.execute()

    def flushing(self) -> _Periodic:
        """Flush every FLUSH_EVERY seconds while the block runs, and once at its end."""
        return _Periodic(self.flush, FLUSH_EVERY, final=True)

    async def announce_done(self, final_report: str) -> None:
        """Tell the coordinator the site is finished, with its final report (JSON)."""
        await self.flush()
        event = f'{{"event": "done", "report": {final_report}}}'
        await self.redis.rpush(self.events_key, event)
        await self.redis.expire(self.events_key, KEY_TTL)


class _Periodic:
    """Async context manager running `action` every `interval` seconds in the background (and at exit if
    `final`). Stopped by an event, never cancelled: a Redis command cut off mid-reply would spoil its connection."""

    def __init__(self, action: Any, interval: float, *, final: bool = False) -> None:
        self.action, self.interval, self.final = action, interval, final
        self.stop = asyncio.Event()
        self.task: asyncio.Task | None = None

    async def _loop(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self.stop.wait(), self.interval)
                return
            except TimeoutError:
                pass
            try:
                await self.action()
            except Exception as exc:          # Redis hiccup: the next round tries again
                log.warning("periodic %s failed: %r", getattr(self.action, "__name__", "task"), exc)

    async def __aenter__(self) -> None:
        self.task = asyncio.create_task(self._loop())

    async def __aexit__(self, *exc_info: object) -> None:
        self.stop.set()
        if self.task is not None:
            await self.task
        if self.final:
            await self.action()


class _WorkerRuntime:
    """Per worker process: one event loop in a thread of its own, its Redis clients, HTTP clients and WARC files."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="warta-crawl-loop", daemon=True).start()
        self._redis: dict[str, Any] = {}
        self._fetchers: dict[tuple[CrawlConfig, Path], Fetcher] = {}
        self._captures: dict[Path, WarcWriter] = {}
        atexit.register(self.close)

    def run(self, coroutine: Coroutine[Any, Any, str]) -> str:
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


def _runtime() -> _WorkerRuntime:
    global _RUNTIME
    with _RUNTIME_LOCK:
        if _RUNTIME is None:
            _RUNTIME = _WorkerRuntime()
        return _RUNTIME
