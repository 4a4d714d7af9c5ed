"""`warta crawl --broker`: enqueue one task per site on Celery workers and wait, reporting like `run_crawl`.

The run itself (crawl_runs row, begin and end) is recorded through the writer, like every other archive write.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Sequence
from typing import Any

from archive import crawl_state
from scraper.config import Config, ConfigError
from scraper.crawl.fetch import utc_now_iso
from scraper.crawl.lock import CrawlLockedError
from scraper.crawl.report import CrawlReport, SiteReport, log_site_done
from scraper.crawl.run import ProgressCallback
from scraper.distributed.app import TASK_NAME, make_app
from scraper.distributed.queues import queue_for
from scraper.distributed.relay import EVENTS_PREFIX
from scraper.distributed.remote_archive import WRITER_KEY, ArchiveClient, check_broker
from scraper.distributed.worker import task_payload

log = logging.getLogger(__name__)

RUN_LOCK_KEY = "warta:crawl"     # one distributed crawl per broker at a time
RUN_LOCK_TTL = 60                # seconds; refreshed while the coordinator waits
SILENCE_WARNING = 60.0           # seconds without any event before saying that no worker seems to run


def run_distributed_crawl(config: Config, *, broker: str | None = None, site_names: Sequence[str] = (),
                          on_progress: ProgressCallback | None = None) -> CrawlReport:
    """Crawl the selected sites on the workers of `broker` (default `[distributed] broker`), the writer storing
    the results; returns the run report (stored in crawl_runs). Raises CrawlLockedError when another
    distributed crawl runs on the broker, ConfigError when no writer listens there."""
    broker = check_broker(broker or config.distributed.broker)
    import redis

    sites = config.select_sites(list(site_names))
    client = redis.Redis.from_url(broker, decode_responses=True)
    try:
        writer = client.get(WRITER_KEY)
    except redis.RedisError as exc:
        raise ConfigError(f"--broker {broker}: cannot reach Redis ({exc})") from None
    if writer is None:
        raise ConfigError(f"--broker {broker}: no writer is running there (start `warta writer --broker {broker} "
                          "--db ARCHIVE` first)")
    token = f"{os.getpid()}@{os.uname().nodename}"
    if not client.set(RUN_LOCK_KEY, token, nx=True, ex=RUN_LOCK_TTL):
        raise CrawlLockedError(f"another crawl is running on {broker} ({client.get(RUN_LOCK_KEY)})")
    try:
        archive = ArchiveClient(client)
        run_id = archive.call(crawl_state.begin_run, [s.host for s in sites], utc_now_iso())
        app = make_app(broker, config.distributed)
        for site in sites:
            app.send_task(TASK_NAME, args=[task_payload(run_id, site, config)],
                          queue=queue_for(site.host, config.distributed.queues))
        reports = _wait_for_sites(client, run_id, sites, on_progress, token)
        report = CrawlReport(run_id, reports)
        archive.call(crawl_state.end_run, run_id, status="ok" if report.ok else "errors",
                     finished_at=utc_now_iso(), summary=report.summary())
        client.delete(f"{EVENTS_PREFIX}{run_id}")
        return report
    finally:
        if client.get(RUN_LOCK_KEY) == token:
            client.delete(RUN_LOCK_KEY)


def _wait_for_sites(client: Any, run_id: int, sites: Sequence[Any], on_progress: ProgressCallback | None,
                    token: str) -> list[SiteReport]:
    """Read the workers' progress events until every site has reported `done`; returns the final reports."""
    reports = {s.host: SiteReport(host=s.host, name=s.name) for s in sites}
    done: set[str] = set()
    key = f"{EVENTS_PREFIX}{run_id}"
    last_event = time.monotonic()
    while len(done) < len(reports):
        client.set(RUN_LOCK_KEY, token, ex=RUN_LOCK_TTL)
        first = client.blpop([key], timeout=1)
        if first is None:
            if time.monotonic() - last_event > SILENCE_WARNING:
                log.warning("no worker has reported for %.0f s (%d of %d sites done): is `warta worker` "
                            "running on this broker?", SILENCE_WARNING, len(done), len(reports))
                last_event = time.monotonic()
            continue
        last_event = time.monotonic()
        for raw in [first[1], *(client.lpop(key, 1000) or [])]:
            event = json.loads(raw)
            report = SiteReport(**event["report"])
            if report.host not in reports or report.host in done:
                continue                              # a redelivered task announcing a finished site again
            reports[report.host] = report
            if event["event"] == "done":
                done.add(report.host)
                log_site_done(report)
            if on_progress:
                on_progress(event["event"], report)
    return [reports[s.host] for s in sites]
