"""The Celery side of a distributed crawl: the app with its one task (crawl a site) and the worker process.

Each host's task goes to the queue `scraper.distributed.queues` names for it; the task itself runs in
`scraper.distributed.worker`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

from scraper.config import DistributedConfig
from scraper.distributed.queues import QUEUE_PREFIX
from scraper.distributed.worker import BUSY, announce_failure, run_site_task, runtime

TASK_NAME = "warta.crawl_site"
MAX_TASK_RETRIES = 5                 # a task failing outside the crawl itself is tried again this often


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
            outcome = runtime().run(run_site_task(payload, broker))
        except Exception as exc:  # Redis unreachable, say (a site's own errors end in its report instead)
            if task.request.retries < MAX_TASK_RETRIES:
                raise task.retry(exc=exc, countdown=retry_in, max_retries=None) from exc
            runtime().run(announce_failure(payload, broker, f"worker error: {exc!r}"))
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
