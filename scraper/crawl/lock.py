"""One crawl per archive at a time: an exclusive `flock` on `<archive>.lock`, released when the process ends.

The kernel drops the lock when the holder dies (even by `kill -9`), so a stale lock file never blocks cron.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class CrawlLockedError(RuntimeError):
    """Another crawl holds the archive's lock."""


class CrawlLock:
    """Context manager holding the lock of the archive at `archive_path` (raises CrawlLockedError at once)."""

    def __init__(self, archive_path: Path) -> None:
        self.path = Path(f"{archive_path}.lock")
        self.archive_path = archive_path
        self._fd: int | None = None

    def __enter__(self) -> CrawlLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise CrawlLockedError(f"another crawl is running on {self.archive_path} (pid {holder})") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
