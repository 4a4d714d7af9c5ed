"""`warta import` with its reader process: same archive and messages as in one process, and no stray process."""

from __future__ import annotations

import fcntl
import gc
import json
import multiprocessing
import os
import pickle
import signal
import time
from pathlib import Path

import pytest
from archive_samples import make_article, start_import, wait_for_articles, write_many_articles
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import exchange, pipeline, stemming, stories
from archive.db import open_archive
from archive.exchange import import_jsonl
from archive.store import Prepared

LINES = [
    json.dumps(make_article(1)).encode(),
    b'{"url": "https://x.sch.id/1", "title": ',
    json.dumps(make_article(2, body=None)).encode(),
    b"\xff\xfe not utf-8",
    b"",
    json.dumps(make_article(3, title="Kerja sama dengan PT Maju Jaya")).encode(),
    json.dumps(make_article(1, body="Isi yang diubah.")).encode(),  # the same URL again: an update
]


def _rows(db):
    return db.conn.execute("SELECT * FROM articles ORDER BY rowid").fetchall()


def _stems(db):
    return db.conn.execute("SELECT rowid FROM articles_stem_fts WHERE articles_stem_fts MATCH 'kerjasama'").fetchall()


def _import(tmp_path: Path, name: str, source: Path):
    db = open_archive(tmp_path / f"{name}.db")
    return db, import_jsonl(db, source)


def test_a_file_read_by_the_worker_gives_the_same_archive_and_messages_as_one_process(tmp_path, monkeypatch):
    source = tmp_path / "articles.jsonl"
    source.write_bytes(b"\n".join(LINES * 300) + b"\n")  # several chunks, repeated URLs within and across them
    monkeypatch.setattr(pipeline, "WORKER_MIN_BYTES", source.stat().st_size + 1)
    alone, expected = _import(tmp_path, "alone", source)
    started = []
    monkeypatch.setattr(pipeline, "WORKER_MIN_BYTES", 0)
    monkeypatch.setattr(pipeline, "_from_worker",
                        lambda path, archive_file, real=pipeline._from_worker: started.append(path)
                        or real(path, archive_file))
    piped, result = _import(tmp_path, "piped", source)
    assert started == [source]
    assert (result.new, result.updated, result.unchanged) == (expected.new, expected.updated, expected.unchanged)
    assert result.errors == expected.errors and result.errors[0] == f"{source}:2: not valid JSON " \
        "(Expecting value at column 40)"
    assert _rows(piped) == _rows(alone) and len(_rows(piped)) == 2
    assert _stems(piped) == _stems(alone) != []
    assert multiprocessing.active_children() == []


def test_the_writer_learns_the_stems_the_worker_made_and_gets_the_same_research_columns(tmp_path, monkeypatch):
    # Words no other test stems: only the worker stems them, so the writer knows them only if it was told.
    words = ["dikolaborasikannya", "pemberdayaannya", "menyinergikan"]
    source = tmp_path / "articles.jsonl"
    body = f"Sekolah {' '.join(words)} bersama PT Maju Jaya. " + "Siswa belajar di kelas industri. " * 10
    source.write_text("".join(json.dumps(make_article(number, title="Kerja Sama dengan PT Maju Jaya", body=body))
                              + "\n" for number in range(600)), encoding="utf-8")  # one story: candidates to check
    monkeypatch.setattr(pipeline, "WORKER_MIN_BYTES", source.stat().st_size + 1)
    alone, _ = _import(tmp_path, "alone", source)
    monkeypatch.setattr(pipeline, "WORKER_MIN_BYTES", 0)
    monkeypatch.setattr(stemming, "_STEMS", stemming._StemCache())  # neither process has stemmed anything
    stories._text_shingles.cache_clear()  # nor read the candidates' shingles
    stemmed_here = []
    missing = stemming._StemCache.__missing__
    writer = os.getpid()
    monkeypatch.setattr(stemming._StemCache, "__missing__", lambda cache, word: (
        stemmed_here.append(word) if os.getpid() == writer else None) or missing(cache, word))
    piped, _ = _import(tmp_path, "piped", source)
    learned = dict(stemming.learned_stems(0)[1])
    assert {word: learned.get(word) for word in words} == {word: stemming._stemmer().stem_word(word) for word in words}
    assert not set(words) & set(stemmed_here)
    research = "SELECT url, topics, organisations, story_id FROM articles ORDER BY rowid"
    assert piped.conn.execute(research).fetchall() == alone.conn.execute(research).fetchall()
    assert len({story for (story,) in piped.conn.execute("SELECT story_id FROM articles")}) < 600
    assert piped.conn.execute("SELECT count(*) FROM story_bands").fetchone()[0] == 600 * stories.BANDS


def test_both_processes_of_an_import_collect_garbage_less_often_and_the_thresholds_are_restored_after(
        tmp_path, monkeypatch):
    source = tmp_path / "articles.jsonl"
    source.write_text(json.dumps(make_article(1)) + "\n", encoding="utf-8")
    monkeypatch.setattr(pipeline, "WORKER_MIN_BYTES", 0)
    before = gc.get_threshold()
    # The reader reports its threshold as the record's error; the writer notes its own.
    monkeypatch.setattr(pipeline, "prepare", lambda label, record, bands=None: Prepared(
        label, None, error=str(gc.get_threshold())))
    in_writer = []
    save = exchange.save_prepared
    monkeypatch.setattr(exchange, "save_prepared", lambda db, prepared: in_writer.append(gc.get_threshold())
                        or save(db, prepared))
    result = import_jsonl(open_archive(tmp_path / "archive.db"), source)
    raised = (max(before[0], pipeline.YOUNG_COLLECTION_AFTER), *before[1:])
    assert in_writer == [raised] and result.errors == [str(raised)]
    assert gc.get_threshold() == before


def test_learned_stems_are_those_added_since_a_mark_or_all_after_the_cache_started_again(monkeypatch):
    monkeypatch.setattr(stemming, "_STEMS", stemming._StemCache())
    stemming.stem_text("membaca buku")
    mark = stemming.stems_known()
    stemming.stem_text("menulis surat membaca")
    assert stemming.learned_stems(mark) == (4, [("surat", "surat"), ("menulis", "tulis")])
    assert stemming.learned_stems(mark + 10)[1] == list(reversed(stemming._STEMS.items()))
    other = stemming._StemCache()
    monkeypatch.setattr(stemming, "_STEMS", other)
    stemming.learn_stems([("menulis", "tulis")])
    assert dict(other) == {"menulis": "tulis"}


def test_a_missing_file_is_still_one_clear_error_with_the_worker(tmp_path, monkeypatch):
    from archive.errors import ArchiveUserError

    monkeypatch.setattr(pipeline, "WORKER_MIN_BYTES", 0)
    with pytest.raises(ArchiveUserError, match="no such file"):
        import_jsonl(open_archive(tmp_path / "a.db"), tmp_path / "missing.jsonl")


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in found.read_text().split()] if found.exists() else []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists() or len(os.sched_getaffinity(0)) < 2,
                    reason="needs Linux /proc and two cores (the worker runs only then)")
def test_the_worker_ends_when_the_writer_is_killed(tmp_path):
    source, db_path = tmp_path / "many.jsonl", tmp_path / "a.db"
    write_many_articles(source, 30_000)
    assert source.stat().st_size > pipeline.WORKER_MIN_BYTES
    open_archive(db_path).conn.close()
    process = start_import(source, db_path)
    try:
        wait_for_articles(db_path, 1)
        workers = _children(process.pid)
        assert workers, "the import of a large file reads it in a worker process"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    deadline = time.monotonic() + 10 * pipeline.POLL_SECONDS
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, workers)), "an orphaned worker must end on its own"



def _reference(line: bytes) -> object:
    """What an import read from a line before orjson: `json.loads` of its text, or the message of its error."""
    try:
        return json.loads(line.decode("utf-8").rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        return f"not valid JSON ({exc.msg} at column {exc.colno})"
    except UnicodeDecodeError as exc:
        return f"not UTF-8 text ({exc.reason})"


def _read(line: bytes) -> object:
    ((_, record),) = pipeline.labelled_records([line], "f")
    return str(record) if isinstance(record, Exception) else record


EDGE_LINES = [
    json.dumps(make_article(1), ensure_ascii=False).encode() + b"\r\n",
    b'{"url": NaN, "title": Infinity}',  # json takes these, orjson does not
    b'{"url": 123456789012345678901234567890}',  # orjson reads a float
    b"123456789012345678901234567890",
    b'{"title": "\\ud800 lone surrogate"}',
    b'\xef\xbb\xbf{"url": "x"}',  # a byte order mark
    b'{"url": "\xed\xa0\x80"}',  # a surrogate encoded in UTF-8
    b'{"url": "a\tb"}',  # a control character in a string
    b'{"url": "x", "url": "y"}',
    b'{"url": "x"} {"url": "y"}',
    b'{"url": "x",}',
    b"\xff\xfe not utf-8",
    b'{"body": "Kerja sama \xe2\x80\x93 \\u00e9l\\u00e8ve", "categories": ["A", "B"], "n": -0.0, "t": true}',
]


@pytest.mark.parametrize("line", EDGE_LINES)
def test_a_line_reads_as_json_reads_it_values_and_messages_alike(line):
    expected = _reference(line)
    found = _read(line)
    assert found == expected or (found != found and expected != expected)  # NaN is not equal to itself
    assert type(found) is type(expected)
    if isinstance(found, dict):
        assert [type(value) for value in found.values()] == [type(value) for value in expected.values()]


def test_a_number_past_64_bits_inside_a_record_is_rejected_with_the_same_message():
    # orjson reads it as a float; no field holds a number, and a list field's message names no type.
    record = make_article(1) | {"categories": [2**70], "extra": {"n": 2**70}}
    line = json.dumps(record).encode()
    (read,) = pipeline.prepared_lines([line], "f")
    assert read.row is None and read.error == "f:1: field 'categories' must be a list of strings"
    assert read.error == pipeline.prepare("f:1", json.loads(line)).error


# Integers within 64 bits: past them orjson reads a float nested in a value (see the test above).
@settings(max_examples=300, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers(-2**63, 2**64 - 1) | st.floats(allow_nan=False) | st.text(),
                    lambda children: st.lists(children) | st.dictionaries(st.text(), children), max_leaves=20))
def test_any_json_value_reads_as_json_reads_it(value):
    line = json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    assert _read(line) == _reference(line)


def test_a_prepared_article_crosses_to_the_writer_as_its_fields_alone_and_comes_back_equal():
    prepared = [pipeline.prepare(label, record) for label, record in pipeline.labelled_records(LINES, "x.jsonl")]
    assert any(item.features is not None for item in prepared) and any(item.error for item in prepared)
    for item in prepared:
        assert pickle.loads(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)) == item
        assert item.__reduce__()[0] is Prepared  # not copyreg's reconstruction of a class and a dict of fields


def test_the_queue_pipe_is_widened_where_the_system_allows_it():
    chunks = multiprocessing.get_context("fork").Queue(1)
    pipeline._widen_pipe(chunks)
    assert fcntl.fcntl(chunks._reader.fileno(), fcntl.F_GETPIPE_SZ) == pipeline.PIPE_BYTES
    chunks.close()
