"""The archive connection of a crawl, owned by one worker thread so SQLite writes and stemming never stall the
event loop (and with it every host's politely timed requests)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from archive.db import open_archive

T = TypeVar("T")


class ArchiveWorker:
    """Opens the archive in its own thread; `await call(f, *args)` runs `f(db, *args)` there, one at a time."""

    def __init__(self, path: Path) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warta-archive")
        self._db = self._pool.submit(open_archive, path).result()

    async def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `function(db, *args, **kwargs)` in the archive thread and return its result."""
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, partial(function, self._db, *args, **kwargs))

    def close(self) -> None:
        """Close the connection and stop the thread."""
        self._pool.submit(self._db.close).result()
        self._pool.shutdown()
