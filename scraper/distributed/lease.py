"""A host's lease in Redis: while a worker crawls a host it holds the lease, so even a task Celery hands out
twice (a worker lost, a visibility timeout passed) never makes two workers fetch from one host at once."""

from __future__ import annotations

import logging
import os
import uuid
from typing import Any

from scraper.distributed.periodic import Periodic

log = logging.getLogger(__name__)

LEASE_PREFIX = "warta:lease:"        # + host → the worker crawling it now

_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


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

    def kept(self) -> Periodic:
        """Renew the lease every third of its timeout while the block runs."""
        async def renew() -> None:
            if not await self.redis.eval(_RENEW, 1, self.key, self.token, self.timeout_ms):
                log.error("%s: lease lost (worker stalled longer than lease_timeout?)", self.key)
        return Periodic(renew, self.timeout_ms / 3000)
