"""`warta writer`: the one process that writes the archive in a distributed crawl.

It reads the `warta:archive` stream (scraper/distributed/remote_archive.py) and applies its entries in batches,
one SQLite transaction per batch, each entry in a savepoint of its own so a bad one is rolled back alone. The id of
the last applied entry is stored in the same transaction: a writer killed at any point restarts exactly after the
last committed batch, so no entry is applied twice or lost. Answers go out only after the commit.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from archive.db import open_archive, transaction
from scraper.crawl.lock import CrawlLock, CrawlLockedError
from scraper.distributed.remote_archive import REPLY_TTL, STREAM, WRITER_KEY, apply_entry

log = logging.getLogger(__name__)

BATCH_SIZE = 500          # stream entries per transaction
LOCK_TTL = 30             # seconds; the writer refreshes its claim on WRITER_KEY every loop (≤ 1 s)
POSITION_TABLE = "distributed_writer"


def run_writer(db_path: Path, broker: str, *, stop: threading.Event | None = None,
               batch_size: int = BATCH_SIZE) -> None:
    """Apply the archive stream to the archive at `db_path` until `stop` is set (or the process ends).
    Holds the archive's crawl lock and the broker's writer claim: raises CrawlLockedError if either is taken."""
    import redis

    stop = stop or threading.Event()
    client = redis.Redis.from_url(broker, decode_responses=True)
    with CrawlLock(db_path):
        token = f"{os.getpid()}@{os.uname().nodename}"
        if not client.set(WRITER_KEY, token, nx=True, ex=LOCK_TTL):
            raise CrawlLockedError(f"another writer is running on {broker} ({client.get(WRITER_KEY)})")
        db = open_archive(db_path)
        try:
            position = _ensure_position(db)
            ms, seq = position.split("-")      # entries committed before a crash but never deleted: drop them
            client.xtrim(STREAM, minid=f"{ms}-{int(seq) + 1}", approximate=False)
            log.info("writer on %s: applying %s from entry %s", db_path, broker, position)
            while not stop.is_set():
                client.set(WRITER_KEY, token, ex=LOCK_TTL)
                answer = client.xread({STREAM: position}, count=batch_size, block=1000)
                if not answer:
                    continue
                entries = answer[0][1]
                try:
                    apply_batch(db, client, entries)
                except sqlite3.OperationalError as exc:     # e.g. a reader holding a lock too long: try again
                    log.warning("archive busy, batch retried: %s", exc)
                    stop.wait(1.0)
                    continue
                position = entries[-1][0]
        finally:
            db.close()
            if client.get(WRITER_KEY) == token:
                client.delete(WRITER_KEY)


def apply_batch(db: Any, client: Any, entries: Sequence[tuple[str, dict[str, str]]]) -> None:
    """Apply stream entries in one transaction that also records the last entry's id, then answer the
    callers waiting on them and delete the entries from the stream."""
    replies: list[tuple[str, str]] = []
    with transaction(db) as conn:
        for entry_id, fields in entries:
            try:
                with transaction(db):
                    result = {"result": apply_entry(db, fields)}
            except sqlite3.OperationalError:
                raise                  # locked or disk full: the whole batch is retried, nothing answered
            except Exception as exc:   # bad data in one call: rolled back alone, its caller told why
                log.error("archive stream entry %s (%s) not applied: %r", entry_id, fields.get("op"), exc)
                result = {"error": repr(exc)}
            if fields.get("reply"):
                replies.append((fields["reply"], json.dumps(result, ensure_ascii=False)))
        conn.execute(f"UPDATE {POSITION_TABLE} SET last_entry = ? WHERE stream = ?", (entries[-1][0], STREAM))
    pipe = client.pipeline(transaction=False)
    for key, value in replies:
        pipe.rpush(key, value)
        pipe.expire(key, REPLY_TTL)
    pipe.xdel(STREAM, *(entry_id for entry_id, _ in entries))
    pipe.execute()


def _ensure_position(db: Any) -> str:
    """The id of the last entry this archive applied ("0-0": none yet)."""
    with transaction(db) as conn:
        conn.execute(f"CREATE TABLE IF NOT EXISTS {POSITION_TABLE} (stream TEXT PRIMARY KEY, last_entry TEXT)")
        conn.execute(f"INSERT OR IGNORE INTO {POSITION_TABLE} VALUES (?, '0-0')", (STREAM,))
        return conn.execute(f"SELECT last_entry FROM {POSITION_TABLE} WHERE stream = ?", (STREAM,)).fetchone()[0]
