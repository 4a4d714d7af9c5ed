"""A background action repeated while a block of a worker's crawl runs (lease renewal, progress pushes)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger(__name__)


class Periodic:
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
