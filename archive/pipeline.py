"""Reading Article JSON lines for an import, on a second core when there is one.

Parsing, validating and stemming an article needs no archive (`store.prepare`), so for a large file a forked
process does it while this one only writes: the two halves of an import then run side by side. The worker holds
nothing durable: a killed import loses what the writer had not committed, exactly as without it. Small files and
stdin are read in this process (starting a worker costs more than it saves there).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import signal
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from archive.records import RecordError
from archive.stemming import learn_stems, learned_stems, stems_known
from archive.store import Prepared, prepare

# Files smaller than this (about 2,000 articles) are read in this process.
WORKER_MIN_BYTES = 4 * 1024 * 1024
# Prepared articles sent at a time, and chunks in flight: bounds what the worker holds ahead (a few MB).
CHUNK_ARTICLES = 250
CHUNKS_AHEAD = 16
# How often the worker checks that the writer is still there, and the writer that the worker is.
POLL_SECONDS = 1.0


def labelled_records(lines: Iterable[bytes], name: str) -> Iterator[tuple[str, Any]]:
    """(`name:line`, record) for each non-blank JSON line; a `RecordError` in place of a line that is not JSON."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield f"{name}:{number}", json.loads(line.decode("utf-8").rstrip("\r\n"))
        except json.JSONDecodeError as exc:
            yield f"{name}:{number}", RecordError(f"not valid JSON ({exc.msg} at column {exc.colno})")
        except UnicodeDecodeError as exc:
            yield f"{name}:{number}", RecordError(f"not UTF-8 text ({exc.reason})")


def prepared_lines(lines: Iterable[bytes], name: str) -> Iterator[Prepared]:
    """Each record of `lines` prepared for the writer, in this process."""
    return (prepare(label, record) for label, record in labelled_records(lines, name))


def _worker_wanted(path: Path) -> bool:
    return len(os.sched_getaffinity(0)) > 1 and path.stat().st_size >= WORKER_MIN_BYTES


def prepared_file(path: Path) -> Iterator[Prepared]:
    """The records of the JSON lines file `path`, prepared: by a worker process for a large file on a machine with
    more than one core, else here. Raises `FileNotFoundError`/`IsADirectoryError` before yielding."""
    if not _worker_wanted(path):
        with open(path, "rb") as lines:
            yield from prepared_lines(lines, str(path))
        return
    open(path, "rb").close()  # a missing file or a folder: the error the caller reports, raised here
    yield from _from_worker(path)


def _from_worker(path: Path) -> Iterator[Prepared]:
    context = multiprocessing.get_context("fork")  # the worker starts with this process's modules (and stubs)
    chunks: multiprocessing.Queue[Any] = context.Queue(CHUNKS_AHEAD)
    worker = context.Process(target=_prepare_in_worker, args=(path, os.getpid(), chunks), daemon=True,
                             name="warta-import-reader")
    worker.start()
    try:
        while (sent := _next_chunk(chunks, worker)) is not None:
            if isinstance(sent, BaseException):
                raise sent
            chunk, stems = sent
            learn_stems(stems)
            yield from chunk
        worker.join()
    finally:
        if worker.is_alive():
            worker.terminate()
            worker.join()
        chunks.close()


def _next_chunk(chunks: multiprocessing.Queue[Any], worker: Any) -> Any:
    while True:
        try:
            return chunks.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if not worker.is_alive():
                try:
                    return chunks.get(timeout=POLL_SECONDS)  # what it sent just before ending
                except queue.Empty:
                    raise RuntimeError(f"the import's reader process ended unexpectedly "
                                       f"(exit code {worker.exitcode})") from None


def _prepare_in_worker(path: Path, writer_pid: int, chunks: multiprocessing.Queue[Any]) -> None:
    """The worker: prepare every record of `path` and send them in chunks, each with the stems it learned making
    it (the writer stems only a story's candidates, and then mostly finds their words known), then None (or the
    exception that stopped it). Ends on its own if the writer is gone (killed), rather than waiting for it for
    ever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the writer's to handle; it then ends this process

    def send(item: Any) -> None:
        while True:
            try:
                chunks.put(item, timeout=POLL_SECONDS)
                return
            except queue.Full:
                if os.getppid() != writer_pid:
                    os._exit(0)

    try:
        known = stems_known()
        with open(path, "rb") as lines:
            chunk: list[Prepared] = []
            for item in prepared_lines(lines, str(path)):
                chunk.append(item)
                if len(chunk) >= CHUNK_ARTICLES:
                    known, stems = learned_stems(known)
                    send((chunk, stems))
                    chunk = []
            send((chunk, learned_stems(known)[1]))
        send(None)
    except Exception as exc:  # noqa: BLE001 - handed to the writer, which raises it
        send(exc)

