"""Which worker queue owns a host: every host goes to exactly one queue, so politeness holds across machines."""

from __future__ import annotations

import zlib

QUEUE_PREFIX = "warta.q."


def queue_for(host: str, queues: int) -> str:
    """The queue of `host`: the same for every process and machine (crc32, not Python's salted hash)."""
    return f"{QUEUE_PREFIX}{zlib.crc32(host.lower().encode()) % queues}"


def queue_names(queues: int) -> list[str]:
    """All queue names for a `[distributed] queues` count."""
    return [f"{QUEUE_PREFIX}{n}" for n in range(queues)]
