"""Reading Article JSON lines for an import, on a second core when there is one.

Parsing, validating and stemming an article needs no archive (`store.prepare`), so for a large file a forked
process does it while this one only writes: the two halves of an import then run side by side. The worker holds
nothing durable: a killed import loses what the writer had not committed, exactly as without it. Small files and
stdin are read in this process (starting a worker costs more than it saves there).

The worker also keeps the import's filter of story band keys (`stories.KnownBands`: the archive's, read when it
starts, and those of every article it prepared), so it tells the writer which keys of an article may be archived
already; most articles have none, and the writer then looks nothing up (`stories.filtered_elsewhere`, which
the writer's caller holds from before the worker starts until the last article is placed).
"""

from __future__ import annotations

import fcntl
import gc
import json
import multiprocessing
import os
import queue
import signal
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import orjson

from archive.records import RecordError
from archive.stemming import learn_stems, learned_stems, stems_known
from archive.store import Prepared, prepare
from archive.stories import BANDS, KnownBands

# Files smaller than this (about 2,000 articles) are read in this process.
WORKER_MIN_BYTES = 4 * 1024 * 1024
# Prepared articles sent at a time, and chunks in flight: bounds what the worker holds ahead (a few MB).
CHUNK_ARTICLES = 250
CHUNKS_AHEAD = 16
# Bytes the pipe under the queue holds (Linux's default is 64 KB, its unprivileged limit 1 MB): a chunk is about
# 800 KB pickled, so the writer reads one whole instead of in a dozen turns, each waiting for the worker's feeding
# thread to be scheduled and write the next 64 KB.
PIPE_BYTES = 1 << 20
# How often the worker checks that the writer is still there, and the writer that the worker is.
POLL_SECONDS = 1.0
# Bytes of JSON lines per article, at least, when sizing the worker's band filter (an estimate: a filter given
# more keys than it has room for only answers "may hold" a little more often).
BYTES_PER_ARTICLE = 1000
# New tracked objects (net) before a young garbage collection during an import, where Python's default is 700.
# Both processes make and free millions (rows, records, features), none of them cyclic, and each collection
# traversed the few hundred articles in flight: at 700 the writer ran a collection every ~80 articles, 3-4% of
# its CPU. Cyclic garbage, if any, is still collected, after at most this many objects.
YOUNG_COLLECTION_AFTER = 50_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Young-generation garbage collections after `YOUNG_COLLECTION_AFTER` new objects while the block runs (and
    in a reader process forked inside it), Python's thresholds again after it. For one import at a time (the
    CLI's): blocks overlapping in threads would restore each other's thresholds out of order."""
    first, *older = gc.get_threshold()
    gc.set_threshold(max(first, YOUNG_COLLECTION_AFTER), *older)
    try:
        yield
    finally:
        gc.set_threshold(first, *older)


def labelled_records(lines: Iterable[bytes], name: str) -> Iterator[tuple[str, Any]]:
    """(`name:line`, record) for each non-blank JSON line; a `RecordError` in place of a line that is not JSON."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield f"{name}:{number}", _decoded(line)
        except json.JSONDecodeError as exc:
            yield f"{name}:{number}", RecordError(f"not valid JSON ({exc.msg} at column {exc.colno})")
        except UnicodeDecodeError as exc:
            yield f"{name}:{number}", RecordError(f"not UTF-8 text ({exc.reason})")


def _decoded(line: bytes) -> Any:
    """The JSON value of one line as `json.loads` gives it, by orjson (a third less time) where it can: a line
    orjson refuses is read by `json`, which takes a little more (NaN, lone surrogates) and whose messages an import
    reports. orjson reads an integer past 64 bits as a float: a record with a float field is read again by `json`
    (a message would name its type); nested in a field, a number is an error either way, whose message names none."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        pass
    else:
        if type(value) is not float and not (type(value) is dict and float in map(type, value.values())):
            return value
    return json.loads(line.decode("utf-8").rstrip("\r\n"))


def prepared_lines(lines: Iterable[bytes], name: str, bands: KnownBands | None = None) -> Iterator[Prepared]:
    """Each record of `lines` prepared for the writer, in this process (`bands`: see `store.prepare`)."""
    return (prepare(label, record, bands=bands) for label, record in labelled_records(lines, name))


def _worker_wanted(path: Path) -> bool:
    return len(os.sched_getaffinity(0)) > 1 and path.stat().st_size >= WORKER_MIN_BYTES


def prepared_file(path: Path, archive: sqlite3.Connection | None = None) -> Iterator[Prepared]:
    """The records of the JSON lines file `path`, prepared: by a worker process for a large file on a machine with
    more than one core, else here. `archive`: the connection that writes them (its file's story bands are then
    filtered by the worker). Raises `FileNotFoundError`/`IsADirectoryError` before yielding."""
    if not _worker_wanted(path):
        with open(path, "rb") as lines:
            yield from prepared_lines(lines, str(path))
        return
    open(path, "rb").close()  # a missing file or a folder: the error the caller reports, raised here
    yield from _from_worker(path, _archive_file(archive))


def _archive_file(archive: sqlite3.Connection | None) -> str | None:
    """The file of a connection's main database (None for none, or one in memory)."""
    if archive is None:
        return None
    return next((file or None for _, name, file in archive.execute("PRAGMA database_list") if name == "main"), None)


def _from_worker(path: Path, archive_file: str | None) -> Iterator[Prepared]:
    context = multiprocessing.get_context("fork")  # the worker starts with this process's modules (and stubs)
    chunks: multiprocessing.Queue[Any] = context.Queue(CHUNKS_AHEAD)
    _widen_pipe(chunks)
    worker = context.Process(target=_prepare_in_worker, args=(path, os.getpid(), chunks, archive_file),
                             daemon=True, name="warta-import-reader")
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


def _widen_pipe(chunks: multiprocessing.Queue[Any]) -> None:
    """Give the queue's pipe room for `PIPE_BYTES` where the system allows it (else it keeps its size)."""
    with suppress(AttributeError, OSError):  # not Linux, or a lower limit
        fcntl.fcntl(chunks._reader.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)  # type: ignore[attr-defined]


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


def _prepare_in_worker(path: Path, writer_pid: int, chunks: multiprocessing.Queue[Any],
                       archive_file: str | None) -> None:
    """The worker: prepare every record of `path` and send them in chunks, each with the stems it learned making
    it (the writer stems only a story's candidates, and then mostly finds their words known), then None (or the
    exception that stopped it). Ends on its own if the writer is gone (killed), rather than waiting for it for
    ever. With `archive_file`, each article's features say which of its band keys may be archived."""
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
        bands = _band_filter(archive_file, path)
        with open(path, "rb") as lines:
            chunk: list[Prepared] = []
            for item in prepared_lines(lines, str(path), bands):
                chunk.append(item)
                if len(chunk) >= CHUNK_ARTICLES:
                    known, stems = learned_stems(known)
                    send((chunk, stems))
                    chunk = []
            send((chunk, learned_stems(known)[1]))
        send(None)
    except Exception as exc:  # noqa: BLE001 - handed to the writer, which raises it
        send(exc)



def _band_filter(archive_file: str | None, path: Path) -> KnownBands | None:
    """The archive's band keys, with room for those of the articles `path` may hold; None when there is no
    archive file to read (the writer then filters by itself)."""
    if archive_file is None:
        return None
    try:
        return KnownBands.read(archive_file, path.stat().st_size // BYTES_PER_ARTICLE * BANDS)
    except sqlite3.Error:
        return None
