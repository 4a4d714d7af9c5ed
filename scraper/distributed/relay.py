"""A site's progress from a worker to the coordinator: events on a Redis list per run, a checkpoint of the
report (a redone task counts on) and the final report (a redelivered task stops there)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from scraper.crawl.report import SiteReport
from scraper.distributed.periodic import Periodic

EVENTS_PREFIX = "warta:events:"      # + run id: a list of progress events for the coordinator
DONE_PREFIX = "warta:done:"          # + run id:host → the site's final report (a redelivered task stops there)
CHECKPOINT_PREFIX = "warta:report:"  # + run id:host → the site's report so far (a redone task counts on)
KEY_TTL = 7 * 24 * 3600
FLUSH_EVERY = 0.25                   # seconds between progress pushes of one site


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

    def flushing(self) -> Periodic:
        """Flush every FLUSH_EVERY seconds while the block runs, and once at its end."""
        return Periodic(self.flush, FLUSH_EVERY, final=True)

    async def announce_done(self, final_report: str) -> None:
        """Tell the coordinator the site is finished, with its final report (JSON)."""
        await self.flush()
        event = f'{{"event": "done", "report": {final_report}}}'
        await self.redis.rpush(self.events_key, event)
        await self.redis.expire(self.events_key, KEY_TTL)
