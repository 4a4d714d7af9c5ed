"""The archive connection of a crawl, owned by one worker thread so SQLite writes and stemming never stall the
event loop (and with it every host's politely timed requests).

The calls share write transactions: each runs in a savepoint of the open transaction (so a call that fails undoes
only its own writes), and the transaction is committed `COMMIT_SECONDS` after its first call. A commit writes
every page the transaction changed to the WAL, and one per call was most of the archive thread's time in a crawl.
A killed crawl loses at most the last `COMMIT_SECONDS` of its writes, as if it had been killed that much earlier:
the archive stays consistent and the next run fetches those pages again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from archive.db import open_archive, transaction

log = logging.getLogger(__name__)
T = TypeVar("T")

COMMIT_SECONDS = 0.2


class ArchiveWorker:
    """Opens the archive in its own thread; `await call(f, *args)` runs `f(db, *args)` there, one at a time."""

    def __init__(self, path: Path) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warta-archive")
        self._db = self._pool.submit(open_archive, path).result()
        self._commit_timer: asyncio.TimerHandle | None = None

    async def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `function(db, *args, **kwargs)` in the archive thread and return its result."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, self._run, function, args, kwargs)
        finally:
            if self._commit_timer is None:
                self._commit_timer = loop.call_later(COMMIT_SECONDS, self._commit_soon)

    def close(self) -> None:
        """Commit what is pending, close the connection and stop the thread."""
        if self._commit_timer is not None:
            self._commit_timer.cancel()
        self._pool.submit(self._commit).result()
        self._pool.submit(self._db.close).result()
        self._pool.shutdown()

    def _run(self, function: Callable[..., T], args: tuple, kwargs: dict[str, Any]) -> T:
        """In the archive thread: one call, in a savepoint of the shared transaction (begun if none is open)."""
        if not self._db.conn.in_transaction:
            self._db.conn.execute("BEGIN IMMEDIATE")
        with transaction(self._db):
            return function(self._db, *args, **kwargs)

    def _commit_soon(self) -> None:
        self._commit_timer = None
        self._pool.submit(self._commit).add_done_callback(_log_failure)

    def _commit(self) -> None:
        if self._db.conn.in_transaction:
            self._db.conn.commit()


def _log_failure(done: Future) -> None:
    if (exc := done.exception()) is not None:   # the next commit, or close(), tries again
        log.error("archive commit failed: %r", exc)
