"""The crawl's archive thread: calls share write transactions, committed within COMMIT_SECONDS; a failing call
undoes only its own writes; closing commits what is pending; a killed crawl loses at most the uncommitted tail.
The page thread (extraction) works in a forked child too."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive import crawl_state
from archive.db import open_archive
from scraper.crawl.writer import COMMIT_SECONDS, ArchiveWorker

REPO = Path(__file__).resolve().parents[1]


def fetch_row(run_id: int, url: str) -> dict:
    return {"run_id": run_id, "url": url, "method": "GET", "status": 200, "fetched_at": "2026-12-01T10:00:00Z",
            "elapsed_ms": 1, "bytes": 10, "warc_file": None, "warc_offset": None, "warc_length": None, "error": None}


def logged_urls(path: Path) -> list[str]:
    """What another connection sees committed in `fetches`."""
    with sqlite3.connect(path) as conn:
        return [url for (url,) in conn.execute("SELECT url FROM fetches ORDER BY id")]


def test_calls_are_committed_together_within_the_commit_interval(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    open_archive(path).close()
    worker = ArchiveWorker(path)

    async def crawl() -> list[list[str]]:
        run_id = await worker.call(crawl_state.begin_run, ["a.sch.id"], "2026-12-01T10:00:00Z")
        for n in range(5):
            await worker.call(crawl_state.record_fetch, fetch_row(run_id, f"https://a.sch.id/{n}"), [])
        seen = [logged_urls(path)]                   # still one open transaction: nothing visible yet
        deadline = time.monotonic() + 10 * COMMIT_SECONDS + 5
        while len(logged_urls(path)) < 5 and time.monotonic() < deadline:
            await asyncio.sleep(COMMIT_SECONDS / 4)
        seen.append(logged_urls(path))
        await worker.call(crawl_state.record_fetch, fetch_row(run_id, "https://a.sch.id/last"), [])
        return seen

    try:
        before, after = asyncio.run(crawl())
    finally:
        worker.close()
    assert before == []
    assert after == [f"https://a.sch.id/{n}" for n in range(5)]
    assert logged_urls(path)[-1] == "https://a.sch.id/last"        # close() committed the tail


def test_a_failing_call_undoes_only_its_own_writes(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    open_archive(path).close()
    worker = ArchiveWorker(path)

    def log_then_fail(db, run_id: int) -> None:
        crawl_state.record_fetch(db, fetch_row(run_id, "https://a.sch.id/failed"), [])
        raise ValueError("bad data")

    async def crawl() -> None:
        run_id = await worker.call(crawl_state.begin_run, ["a.sch.id"], "2026-12-01T10:00:00Z")
        await worker.call(crawl_state.record_fetch, fetch_row(run_id, "https://a.sch.id/before"), [])
        with pytest.raises(ValueError, match="bad data"):
            await worker.call(log_then_fail, run_id)
        await worker.call(crawl_state.record_fetch, fetch_row(run_id, "https://a.sch.id/after"), [])

    try:
        asyncio.run(crawl())
    finally:
        worker.close()
    assert logged_urls(path) == ["https://a.sch.id/before", "https://a.sch.id/after"]


KILLED_CRAWL = """
import asyncio, os, signal, sys
sys.path.insert(0, {repo!r})
from archive import crawl_state
from scraper.crawl.writer import ArchiveWorker
worker = ArchiveWorker({path!r})
async def crawl():
    run_id = await worker.call(crawl_state.begin_run, ["a.sch.id"], "2026-12-01T10:00:00Z")
    for n in range(200):
        row = {{"run_id": run_id, "url": f"https://a.sch.id/{{n}}", "method": "GET", "status": 200}}
        await worker.call(crawl_state.record_fetch, row, [{{"url": f"https://a.sch.id/{{n}}", "site": "a.sch.id",
                                                           "kind": "article", "done": 1}}])
        await asyncio.sleep(0.002)
    os.kill(os.getpid(), signal.SIGKILL)
asyncio.run(crawl())
"""


def test_a_killed_crawl_leaves_every_committed_call_whole(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    open_archive(path).close()
    subprocess.run([sys.executable, "-c", KILLED_CRAWL.format(repo=str(REPO), path=str(path))], check=False,
                   timeout=120)
    with sqlite3.connect(path) as conn:
        fetched = [url for (url,) in conn.execute("SELECT url FROM fetches ORDER BY id")]
        done = {url for (url,) in conn.execute("SELECT url FROM urls WHERE done = 1")}
    assert 0 < len(fetched) < 200                         # the uncommitted tail is lost, the rest kept
    assert fetched == [f"https://a.sch.id/{n}" for n in range(len(fetched))]
    assert done == set(fetched)                           # each call's writes are kept or lost together


def test_the_page_thread_runs_work_in_a_forked_child() -> None:
    from scraper.crawl.pages import in_page_thread

    assert asyncio.run(in_page_thread(sum, [1, 2])) == 3      # the parent's thread is running now
    if (pid := os.fork()) == 0:
        signal.alarm(10)                                      # a pool waiting for a thread it lost would hang
        os._exit(0 if asyncio.run(in_page_thread(sum, [2, 3])) == 5 else 1)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
